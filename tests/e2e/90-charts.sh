#!/bin/sh
# SPDX-License-Identifier: MIT
# Charts (gongji chart): every kind in PNG, PDF and SVG from a small store;
# 300-dpi PNGs, PDFs with the CJK font embedded, SVGs with text as outlines;
# the numbers in the chart data equal `gongji query`; hostile titles and
# names are drawn literally and run nothing; gnuplot missing, failing or
# hanging gives exit status 3 with a clear message; nothing is left behind.
. "$(dirname "$0")/lib.sh"

command -v gnuplot >/dev/null 2>&1 ||
    skip "gnuplot is not installed (scripts/setup-deps.sh installs gnuplot-nox)"
for p in pdftoppm pdftocairo pdffonts pdftotext; do
    command -v $p >/dev/null 2>&1 ||
        skip "$p is not installed (scripts/setup-deps.sh installs poppler-utils)"
done

DB="$T/c.db"
P=2024-01..2024-06
KEEP="$T/keep"
mkdir -p "$KEEP" "$T/tmp" "$T/out"
# the private work directories go here, so we can see none is left
export TMPDIR="$T/tmp"

gen --seed 3 --year 2024 --months 6 "$T/g"
run ingest "$GONGJI" ingest --db "$DB" "$T"/g/in/*.csv
expect_rc ingest 0

# chart NAME ARGS...: gongji chart with the store and period, data kept;
# $XENV (VAR=VALUE words, no spaces) changes gongji's environment.
XENV=
chart() {
    _n=$1
    shift
    # shellcheck disable=SC2086 # XENV is split on purpose
    run "$_n" env GONGJI_KEEP_PLOT_DATA="$KEEP" $XENV "$GONGJI" chart \
        --db "$DB" --period "$P" "$@"
}

# png_check FILE: a PNG at least 1800 px wide whose pHYs says 300 dpi
# (11811 pixels per metre, unit 1).
png_check() {
    _hex=$(od -An -v -tx1 -N 4096 "$1" | tr -d ' \n')
    case "$_hex" in
    89504e470d0a1a0a*) ;;
    *)
        bad "$1 is not a PNG"
        return
        ;;
    esac
    _ihdr=${_hex#*49484452}
    _w=$((0x$(echo "$_ihdr" | cut -c1-8)))
    _h=$((0x$(echo "$_ihdr" | cut -c9-16)))
    [ "$_w" -ge 1800 ] && [ "$_h" -ge 900 ] ||
        bad "$1: ${_w}x${_h} pixels, expected at least 1800 wide"
    case "$_hex" in
    *70485973*) ;;
    *)
        bad "$1: no pHYs chunk (resolution not recorded)"
        return
        ;;
    esac
    _phys=${_hex#*70485973}
    _x=$((0x$(echo "$_phys" | cut -c1-8)))
    _y=$((0x$(echo "$_phys" | cut -c9-16)))
    _u=$(echo "$_phys" | cut -c17-18)
    [ "$_x" = 11811 ] && [ "$_y" = 11811 ] && [ "$_u" = 01 ] ||
        bad "$1: pHYs $_x x $_y unit $_u, expected 11811 (300 dpi) unit 01"
}

# pdf_check FILE: the CJK font is there and every font is embedded.
pdf_check() {
    pdffonts "$1" >"$T/fonts.txt" 2>&1 || {
        bad "pdffonts $1 failed: $(head -n 2 "$T/fonts.txt")"
        return
    }
    grep -q 'NotoSansCJK' "$T/fonts.txt" ||
        bad "$1: no Noto Sans CJK font: $(cat "$T/fonts.txt")"
    _notemb=$(awk 'NR > 2 && $(NF - 4) != "yes"' "$T/fonts.txt")
    [ -z "$_notemb" ] || bad "$1: fonts not embedded: $_notemb"
}

# svg_check FILE: glyphs as paths, no text elements, no font reliance.
svg_check() {
    head -c 200 "$1" | grep -q '<svg' || bad "$1 is not an SVG"
    ! grep -q '<text' "$1" || bad "$1 has <text> elements"
    ! grep -qi 'font-family\|@font-face' "$1" || bad "$1 relies on fonts"
    grep -q '<path' "$1" || bad "$1 has no paths"
}

note "every kind in every format"
for kind in province_bars scope use trend map; do
    for fmt in png pdf svg; do
        f="$T/out/$kind.$fmt"
        chart "$kind-$fmt" --kind "$kind" --out "$f"
        expect_rc "$kind-$fmt" 0
        [ -s "$f" ] || fail "$kind.$fmt: not written"
        case $fmt in
        png) png_check "$f" ;;
        pdf) pdf_check "$f" ;;
        svg) svg_check "$f" ;;
        esac
    done
    [ -s "$KEEP/$kind.tsv" ] || fail "$kind: no data file kept"
done
note "each PNG: the pixels pdftoppm renders from the chart's PDF"
# gongji encodes pdftoppm's raster itself (fast zlib settings): decoded,
# it must be pdftoppm's own -png rendering of the same PDF, pixel for
# pixel, with the same resolution chunk.
for kind in province_bars scope use trend map; do
    pdftoppm -r 300 -png -singlefile "$T/out/$kind.pdf" "$T/ref-$kind" ||
        fail "pdftoppm -png $kind.pdf failed"
    got=$("$GONGJI_BUILD/tests/gen_pngpixels" "$T/out/$kind.png") ||
        bad "$kind.png: libpng cannot decode it"
    want=$("$GONGJI_BUILD/tests/gen_pngpixels" "$T/ref-$kind.png")
    [ -n "$got" ] && [ "$got" = "$want" ] ||
        bad "$kind.png: '$got', pdftoppm's rendering: '$want'"
done

chart amount-bars --kind province_bars --metric amount \
    --out "$T/out/amount_bars.png"
expect_rc amount-bars 0
png_check "$T/out/amount_bars.png"

note "the default title, period, unit and source are on the chart"
pdftotext "$T/out/province_bars.pdf" "$T/pb.txt"
for s in 职工医保个人账户共济人次 2024年1-6月 单位 万人次 数据来源 北京 新疆生产建设兵团; do
    grep -q "$s" "$T/pb.txt" || bad "province_bars.pdf does not show '$s'"
done

# rows_equal LABEL EXPECTED ACTUAL: ACTUAL (all units, zeros included) has
# every row of EXPECTED (the query), and its other rows are zero.
rows_equal() {
    LC_ALL=C sort "$2" >"$T/.re.exp"
    LC_ALL=C sort "$3" >"$T/.re.act"
    _missing=$(LC_ALL=C comm -23 "$T/.re.exp" "$T/.re.act" | head -n 5)
    [ -z "$_missing" ] || bad "$1: rows of the query missing or different in the chart data: $_missing"
    _extra=$(LC_ALL=C comm -13 "$T/.re.exp" "$T/.re.act" |
        grep -v ',0,0\.00$' | head -n 5)
    [ -z "$_extra" ] || bad "$1: chart data rows not in the query: $_extra"
    [ -s "$T/.re.act" ] || bad "$1: no chart data"
}

# query_rows NAME ARGS...: gongji query --format csv, header dropped.
query_rows() {
    _n=$1
    shift
    run "$_n" "$GONGJI" query --db "$DB" --format csv "$@"
    expect_rc "$_n" 0
    tail -n +2 "$T/$_n.out" >"$T/$_n.rows"
}

note "chart data equal gongji query"
query_rows qp --period "$P" --by province
awk -F'\t' 'NR > 1 { print $1 "," $3 "," $4 }' "$KEEP/province_bars.tsv" \
    >"$T/c.rows"
rows_equal province_bars "$T/qp.rows" "$T/c.rows"
[ "$(wc -l <"$T/c.rows")" = 32 ] || bad "province_bars: not 32 units"
awk -F'\t' 'NR > 1 { print $1 "," $3 "," $4 }' "$KEEP/amount_bars.tsv" \
    >"$T/c.rows"
rows_equal amount_bars "$T/qp.rows" "$T/c.rows"
awk -F'\t' 'NR > 1 { print $1 "," $7 "," $8 }' "$KEEP/map.tsv" >"$T/c.rows"
rows_equal map "$T/qp.rows" "$T/c.rows"
[ "$(wc -l <"$T/c.rows")" = 32 ] || bad "map: not 32 tiles"

query_rows qs --period "$P" --by province,scope
awk -F'\t' 'NR > 1 {
        print $1 ",same_area," $5 "," $6
        print $1 ",cross_area," $7 "," $8
        print $1 ",cross_province," $9 "," $10
    }' "$KEEP/scope.tsv" >"$T/c.rows"
rows_equal scope "$T/qs.rows" "$T/c.rows"

query_rows qu --period "$P" --by use
awk -F'\t' 'NR > 1 { print $1 "," $3 "," $4 }' "$KEEP/use.tsv" >"$T/c.rows"
rows_equal use "$T/qu.rows" "$T/c.rows"

query_rows qt --period "$P" --by period
awk -F'\t' 'NR > 1 { print $1 "," $3 "," $4 }' "$KEEP/trend.tsv" >"$T/c.rows"
rows_equal trend "$T/qt.rows" "$T/c.rows"
query_rows qtot --period "$P"
last=$(tail -n 1 "$KEEP/trend.tsv" | awk -F'\t' '{ print $5 "," $6 }')
[ "$last" = "$(cat "$T/qtot.rows")" ] ||
    bad "trend: last cumulative '$last', query total '$(cat "$T/qtot.rows")'"

note "--where filters apply as in query"
W1="province=浙江,江苏,330000"
W2="scope=省内跨统筹区"
chart fb --kind province_bars --metric amount --where "$W1" --where "$W2" \
    --out "$T/out/filtered.pdf"
expect_rc fb 0
query_rows qf --period "$P" --by province --where "$W1" --where "$W2"
awk -F'\t' 'NR > 1 { print $1 "," $3 "," $4 }' "$KEEP/filtered.tsv" \
    >"$T/c.rows"
rows_equal filtered "$T/qf.rows" "$T/c.rows"
[ "$(grep -vc ',0,0\.00$' "$T/c.rows")" = 2 ] ||
    bad "filtered: expected 2 non-zero provinces: $(grep -v ',0,0\.00$' "$T/c.rows")"
pdftotext "$T/out/filtered.pdf" "$T/f.txt"
grep -q '共济范围：省内跨统筹区' "$T/f.txt" ||
    bad "filtered chart does not state its filter"

note "same store and arguments: byte-identical files"
for fmt in pdf png svg; do
    chart again --kind map --out "$T/out/again.$fmt"
    expect_rc again 0
    cmp -s "$T/out/map.$fmt" "$T/out/again.$fmt" ||
        bad "map.$fmt differs between two runs"
done

# Hostile text.  Markers are absolute paths: gnuplot runs in its own
# directory, which is removed afterwards.
M=$(mktemp -d /tmp/gjXXXXXX) || fail "mktemp"
trap 'rm -rf "$T" "$M"' EXIT
markers_absent() {
    _left=$(ls -A "$M")
    [ -z "$_left" ] || bad "$1: something ran: $_left"
}

note "hostile titles: drawn literally, nothing runs"
i=0
for title in \
    "标题\`touch $M/bq\`" \
    "x\" . system(\"touch $M/sy\") . \"" \
    "x' . system('touch $M/sq') . '" \
    "\`touch $M/q\` “全角”‘单’ \"双\" 'x'" \
    "<touch $M/lt" \
    "|touch $M/pipe" \
    "@macro _^{}& \\n \\\\ EOD"; do
    i=$((i + 1))
    chart ht$i --kind province_bars --title "$title" --out "$T/out/ht$i.pdf"
    expect_rc ht$i 0
    pdftotext -raw "$T/out/ht$i.pdf" "$T/ht.txt"
    grep -qF -- "$title" "$T/ht.txt" ||
        bad "title $i not drawn literally: wanted '$title', got '$(head -n 1 "$T/ht.txt")'"
    markers_absent "title $i"
done
chart htsvg --kind map --title "\`touch $M/svg\`" --out "$T/out/ht.svg"
expect_rc htsvg 0
markers_absent "svg title"

note "titles with control characters are usage errors"
nl='
'
for title in "a${nl}EOD" "a${nl}!touch $M/nl" "tab	x" "$(printf 'cr\rx')" \
    "$(printf 'bell\007')" ""; do
    chart hc --kind use --title "$title" --out "$T/out/hc.pdf"
    [ "$rc" = 2 ] || bad "title with a control character: exit $rc, expected 2"
    [ ! -e "$T/out/hc.pdf" ] || bad "a rejected title still wrote a chart"
done
markers_absent "control titles"
chart hw --kind use --title "这个标题实在是太长了这个标题实在是太长了这个标题实在是太长了" \
    --out "$T/out/hw.pdf"
[ "$rc" = 2 ] || bad "a title too wide for the chart: exit $rc, expected 2"

note "hostile names in the reference tables: sanitised, drawn, nothing runs"
H="$T/hdata"
cp -r "$GONGJI_DATA" "$H"
awk -F, -v OFS=, -v m="$M" -v q="'" '
    $1 == "110000" { $3 = "`touch " m "/n1`" }
    $1 == "120000" { $3 = "system(" q "touch " m "/n2" q ")" }
    $1 == "130000" { $3 = "<touch " m "/n3" }
    $1 == "140000" { $3 = "|touch " m "/n4" }
    $1 == "150000" { $3 = "@macro" }
    $1 == "210000" { $3 = "EOD" }
    $1 == "220000" { $3 = "back\\slash“x”" }
    $1 == "230000" { $3 = "tab\there" }
    { print }' "$GONGJI_DATA/provinces.csv" >"$H/provinces.csv"
awk -F, -v OFS=, -v m="$M" '
    $1 == "330100" { $2 = "`touch " m "/a1`" }
    { print }' "$GONGJI_DATA/areas.csv" >"$H/areas.csv"
XENV="GONGJI_DATA=$H"
for kind in province_bars scope map; do
    chart hn-$kind --kind $kind --out "$T/out/hn-$kind.pdf"
    expect_rc hn-$kind 0
    pdftotext -raw "$T/out/hn-$kind.pdf" "$T/hn-$kind.txt"
    markers_absent "hostile names ($kind)"
done
for s in '`touch' "system('touch" '<touch' '|touch' '@macro' 'EOD' \
    'back＼slash“x”' 'tab here'; do
    for kind in province_bars scope; do
        grep -qF -- "$s" "$T/hn-$kind.txt" || bad "$kind: name '$s' not drawn"
    done
done
# tiles take 2 lines of 4 characters
grep -qF 'EOD' "$T/hn-map.txt" || bad "map: name 'EOD' not drawn"
chart ha --kind use --where area=330100 --out "$T/out/ha.pdf"
expect_rc ha 0
XENV=
pdftotext -raw "$T/out/ha.pdf" "$T/ha.txt"
grep -qF "\`touch $M/a1\`" "$T/ha.txt" ||
    bad "hostile area name not drawn literally in the filter line"
markers_absent "hostile area name"
! grep -q '"\|\\' "$KEEP"/hn-*.tsv || bad "a data file has a quote or backslash"

note "usage errors and environment failures"
chart ue1 --kind pie --out "$T/out/x.png"
[ "$rc" = 2 ] || bad "--kind pie: exit $rc, expected 2"
chart ue2 --kind use --out "$T/out/x.jpg"
[ "$rc" = 2 ] || bad "--out x.jpg: exit $rc, expected 2"
chart ue3 --kind use --metric fen --out "$T/out/x.png"
[ "$rc" = 2 ] || bad "--metric fen: exit $rc, expected 2"
chart ue4 --kind use
[ "$rc" = 2 ] || bad "no --out: exit $rc, expected 2"
run ue5 "$GONGJI" chart --db "$DB" --kind use --out "$T/out/x.png"
[ "$rc" = 2 ] || bad "no --period: exit $rc, expected 2"
run ue6 "$GONGJI" chart --db "$DB" --period 2020-01..2024-12 --kind trend \
    --out "$T/out/x.png"
[ "$rc" = 2 ] || bad "60-month trend: exit $rc, expected 2"
run nodb "$GONGJI" chart --db "$T/none.db" --period "$P" --kind use \
    --out "$T/out/x.png"
[ "$rc" = 3 ] || bad "missing store: exit $rc, expected 3"
chart unw --kind use --out "$T/no/such/dir/x.png"
[ "$rc" = 3 ] || bad "unwritable output: exit $rc, expected 3"
grep -q 'x.png' "$T/unw.err" || bad "unwritable output: message does not name it"

note "PATH without gnuplot: exit 3 and a clear message"
XENV="PATH=$T/nothing"
chart nogp --kind use --out "$T/out/nogp.png"
XENV=
[ "$rc" = 3 ] || bad "no gnuplot: exit $rc, expected 3"
grep -q 'gnuplot not found' "$T/nogp.err" ||
    bad "no gnuplot: unclear message: $(cat "$T/nogp.err")"
[ ! -e "$T/out/nogp.png" ] || bad "no gnuplot: a file was still written"

# alive PID: the process runs (a zombie waiting for init to reap it does
# not count).
alive() {
    kill -0 "$1" 2>/dev/null || return 1
    case $(ps -o stat= -p "$1" 2>/dev/null) in
    Z*) return 1 ;;
    esac
    return 0
}

note "gnuplot failing, hanging, or leaving children: exit 3, all stopped"
FAKE="$T/fake"
mkdir -p "$FAKE"
printf '#!/bin/sh\necho "line 3: fake failure" >&2\nexit 1\n' >"$FAKE/gnuplot"
chmod +x "$FAKE/gnuplot"
XENV="PATH=$FAKE:$PATH"
chart fail1 --kind use --out "$T/out/f1.png"
[ "$rc" = 3 ] || bad "failing gnuplot: exit $rc, expected 3"
grep -q 'gnuplot failed.*fake failure' "$T/fail1.err" ||
    bad "failing gnuplot: message does not say so: $(cat "$T/fail1.err")"
printf '#!/bin/sh\necho $$ >%s/hang.pid\nsleep 30\n' "$T" >"$FAKE/gnuplot"
start=$(date +%s)
XENV="PATH=$FAKE:$PATH GONGJI_PLOT_TIMEOUT=1"
chart hang --kind use --out "$T/out/hang.png"
XENV="PATH=$FAKE:$PATH"
[ "$rc" = 3 ] || bad "hanging gnuplot: exit $rc, expected 3"
[ $(($(date +%s) - start)) -lt 20 ] || bad "hanging gnuplot: not stopped in time"
grep -q 'did not finish' "$T/hang.err" ||
    bad "hanging gnuplot: unclear message: $(cat "$T/hang.err")"
sleep 1
if [ -s "$T/hang.pid" ] && alive "$(cat "$T/hang.pid")"; then
    bad "hanging gnuplot still runs"
fi
printf '#!/bin/sh\nsleep 30 &\necho $! >%s/child.pid\nexit 0\n' "$T" \
    >"$FAKE/gnuplot"
chart orphan --kind use --out "$T/out/orphan.png"
XENV=
[ "$rc" = 3 ] || bad "gnuplot writing nothing: exit $rc, expected 3"
sleep 1
if [ -s "$T/child.pid" ] && alive "$(cat "$T/child.pid")"; then
    bad "a child gnuplot left behind still runs"
fi

note "nothing left behind"
left=$(ls -A "$T/tmp")
[ -z "$left" ] || bad "temporary directories left: $left"
left=$(find "$T/out" -name '*.tmp-*' -o -name '.*.tmp.*')
[ -z "$left" ] || bad "temporary output files left: $left"
markers_absent "the whole run"

finish
