#!/bin/sh
# SPDX-License-Identifier: MIT
# bench/xlsx.sh BUILD_DIR - an Excel workbook of per-settlement detail:
# `gongji aggregate book.xlsx` against python3-openpyxl's read-only mode
# reading every cell of the same sheet and summing the amount column.
#
# One generated detail file of 1,000,000 rows (build/tests/gen_detail, with
# its own sums as the expected result) is converted by
# build/tests/gen_csv2xlsx into a workbook with numbers as number cells and
# inline strings (constant_memory: what large exports write), and, unless
# XLSX_SHARED=0, into one with a shared string table (what Excel itself
# saves).  Each is read three times by gongji (median wall time, peak RSS from
# /usr/bin/time -f '%e %M'), and its result must equal the generator's
# sums byte for byte; the inline one (and the shared one when
# XLSX_OPENPYXL_SHARED=1: another ~2 minutes) once by bench/openpyxl_sum.py,
# whose row count and sum must agree with gongji's.  gongji on the CSV
# file itself is shown for reference.  Targets, printed, not asserted:
# peak RSS at most 64 MiB on each workbook, at least 10 times faster
# than openpyxl.  A wrong result fails the bench (exit 1).
#
# openpyxl is the Debian package python3-openpyxl, run with /usr/bin/python3;
# it and /usr/bin/time (package time) are installed here with apt-get when
# missing (as bench/detail.sh installs its tools); nothing of them ships
# with gongji.
#
# Environment: XLSX_ROWS (default 1000000), XLSX_SHARED (default 1),
# XLSX_OPENPYXL_SHARED (default 0).
set -eu
BUILD=${1:-build}
TOP=$(cd "$(dirname "$0")/.." && pwd)
case "$BUILD" in /*) ;; *) BUILD="$TOP/$BUILD" ;; esac
G="$BUILD/gongji"
GEN="$BUILD/tests/gen_detail"
CONV="$BUILD/tests/gen_csv2xlsx"
W="$TOP/bench/work"
ROWS=${XLSX_ROWS:-1000000}
SHARED=${XLSX_SHARED:-1}
OPX_SHARED=${XLSX_OPENPYXL_SHARED:-0}
PY=/usr/bin/python3
export GONGJI_DATA="$TOP/data" LC_ALL=C.UTF-8
mkdir -p "$W"

[ -x "$G" ] && [ -x "$GEN" ] && [ -x "$CONV" ] || {
    echo "bench/xlsx.sh: build first (make tools)" >&2
    exit 3
}

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then
        sudo "$@"; else return 1; fi
}

need=""
[ -x /usr/bin/time ] || need="$need time"
{ [ -x "$PY" ] && "$PY" -c 'import openpyxl' 2>/dev/null; } ||
    need="$need python3-openpyxl"
if [ -n "$need" ]; then
    echo "== installing:$need"
    as_root apt-get update -qq >&2 &&
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            --no-install-recommends $need >&2 ||
        echo "bench/xlsx.sh: could not install$need" >&2
fi
[ -x /usr/bin/time ] || {
    echo "bench/xlsx.sh: /usr/bin/time is missing" >&2
    exit 3
}
OPX=""
"$PY" -c 'import openpyxl' 2>/dev/null && OPX=1
[ -n "$OPX" ] || echo "   (openpyxl unavailable: timing gongji alone)"

F="$W/detail-$ROWS.csv"
EXP="$W/detail-$ROWS.expect.csv"
if [ ! -s "$F" ] || [ ! -s "$EXP" ]; then
    echo "== generating $ROWS detail rows"
    "$GEN" --seed 1 --rows "$ROWS" --expect "$EXP" "$F"
fi

# timed OUT ERR CMD...: wall seconds and peak KiB into $sec and $kb
timed() {
    _o=$1 _e=$2
    shift 2
    /usr/bin/time -f '%e %M' -o "$W/.xtime" "$@" >"$_o" 2>"$_e" || {
        cat "$_e" >&2
        echo "bench/xlsx.sh: failed: $*" >&2
        exit 1
    }
    sec=$(awk '{print $1}' "$W/.xtime")
    kb=$(awk '{print $2}' "$W/.xtime")
}
mib() { echo $((($1 + 512) / 1024)); }

INL="$W/detail-$ROWS-inline.xlsx"
SST="$W/detail-$ROWS-shared.xlsx"
echo "== converting with gen_csv2xlsx --numbers (numbers as number cells)"
timed /dev/null "$W/conv.err" "$CONV" --inline --numbers "$F" "$INL"
echo "   inline strings: $(($(wc -c <"$INL") / 1000000)) MB, written in $sec s ($(mib "$kb") MiB)"
books="inline"
if [ "$SHARED" = 1 ]; then
    timed /dev/null "$W/conv.err" "$CONV" --numbers "$F" "$SST"
    echo "   shared strings: $(($(wc -c <"$SST") / 1000000)) MB, written in $sec s ($(mib "$kb") MiB)"
    books="inline shared"
fi
cat "$F" "$INL" >/dev/null # into the page cache

ok=1
# totals FILE: person-times and yuan of an aggregate result
totals() {
    awk -F, 'NR > 1 { p += $6; a = $7; sub(/\./, "", a); f += a }
        END { s = f < 0 ? "-" : ""; f = f < 0 ? -f : f
              printf "%.0f person-times, %s%.0f.%02d yuan", p, s, (f - f % 100) / 100, f % 100 }' "$1"
}
yuan() { totals "$1" | sed 's/.*person-times, //'; }

echo "== gongji aggregate, $ROWS rows"
timed "$W/xcsv.out" "$W/xcsv.err" "$G" aggregate --quiet "$F"
csv_sec=$sec csv_kb=$kb
printf '   %-22s %7s s %5s MiB peak RSS\n' "CSV (reference)" "$csv_sec" "$(mib "$csv_kb")"
for b in $books; do
    book=$INL
    [ "$b" = shared ] && book=$SST
    # the median of three runs (the machine's noise is ±20 %), the most RSS
    secs="" maxkb=0
    for _r in 1 2 3; do
        timed "$W/x$b.out" "$W/x$b.err" "$G" aggregate --quiet "$book"
        secs="$secs $sec"
        [ "$kb" -gt "$maxkb" ] && maxkb=$kb
    done
    sec=$(printf '%s\n' $secs | sort -n | sed -n 2p) kb=$maxkb
    eval "g_${b}_sec=$sec g_${b}_kb=$kb"
    printf '   %-22s %7s s %5s MiB peak RSS (runs:%s s)\n' "xlsx, $b strings" "$sec" "$(mib "$kb")" "$secs"
    if cmp -s "$W/x$b.out" "$EXP"; then
        echo "     = the generator's own sums, byte for byte ($(totals "$W/x$b.out"))"
    else
        echo "   !!! MISMATCH: gongji on the $b-strings workbook differs from the generator's sums:"
        diff "$EXP" "$W/x$b.out" | head -n 6
        ok=0
    fi
done
cmp -s "$W/xcsv.out" "$EXP" || {
    echo "   !!! MISMATCH: gongji on the CSV file differs from the generator's sums"
    ok=0
}

if [ -n "$OPX" ]; then
    echo "== openpyxl read_only, every cell read, the amount column summed"
    for b in $books; do
        [ "$b" = shared ] && [ "$OPX_SHARED" != 1 ] && continue
        book=$INL
        [ "$b" = shared ] && book=$SST
        timed "$W/opx-$b.out" "$W/opx-$b.err" "$PY" "$TOP/bench/openpyxl_sum.py" "$book"
        eval "o_${b}_sec=$sec o_${b}_kb=$kb"
        printf '   %-22s %7s s %5s MiB peak RSS: %s\n' "xlsx, $b strings" "$sec" "$(mib "$kb")" "$(cat "$W/opx-$b.out")"
        want="$ROWS rows, $(yuan "$EXP")"
        if [ "$(cat "$W/opx-$b.out")" != "$want" ]; then
            echo "   !!! MISMATCH: openpyxl's sum differs from gongji's ($want)"
            ok=0
        fi
    done
fi

echo
echo "== .xlsx detail, $ROWS rows x 9 columns (wall clock: gongji the median of 3 runs, openpyxl one)"
printf '   %-34s %9s %9s %9s %8s\n' "" "gongji" "openpyxl" "ratio" "RSS"
for b in $books; do
    eval "gs=\$g_${b}_sec gk=\$g_${b}_kb os=\${o_${b}_sec:-} ok_=\${o_${b}_kb:-}"
    if [ -n "$os" ]; then
        r=$(awk -v a="$os" -v g="$gs" 'BEGIN { printf "%.1fx", a / g }')
        printf '   %-34s %7s s %7s s %9s %4s MiB (openpyxl %s MiB)\n' \
            "aggregate, $b strings" "$gs" "$os" "$r" "$(mib "$gk")" "$(mib "$ok_")"
        awk -v a="$os" -v g="$gs" 'BEGIN { exit !(a >= 10 * g) }' ||
            echo "   NOT MET: gongji is not at least 10 times faster than openpyxl ($b strings)"
    else
        printf '   %-34s %7s s %9s %9s %4s MiB\n' "aggregate, $b strings" "$gs" "-" "-" "$(mib "$gk")"
    fi
done
printf '   %-34s %7s s %9s %9s %4s MiB\n' "aggregate, the CSV file" "$csv_sec" "" "" "$(mib "$csv_kb")"
for b in $books; do
    eval "gk=\$g_${b}_kb"
    [ "$gk" -le 65536 ] ||
        echo "   NOT MET: gongji's peak RSS on the $b-strings workbook is over 64 MiB"
done
if [ "$SHARED" = 1 ]; then
    echo "   (shared strings: up to 16 MiB held in memory, the rest in a temporary"
    echo "    file; gongji's time includes reading the table before the sheet)"
fi
[ $ok = 1 ] || {
    echo "   !!! bench/xlsx.sh: WRONG RESULTS (see MISMATCH above)"
    exit 1
}
