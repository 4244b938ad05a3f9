#!/bin/sh
# SPDX-License-Identifier: MIT
# The two workbooks of a release (issue 13), the sample's 2024年1-9月 as of
# 2024-10-20:
#  - attachment.xlsx, what is published: sheet 附件 only (and 月度 with
#    --with-monthly), nothing internal in it (no file names, no pooling
#    areas, no exact values);
#  - internal.xlsx, the working copy: 附件 (cell for cell the published
#    one), 附件精确值 (每省 人次 and 元 as `gongji query` has them, to the
#    fen; the published figure is that value rounded once; parts add up to
#    the totals exactly), 统筹区, 月度, 来源 (names relative to their
#    common directory, which a note gives; each name + that directory is
#    the file, with that SHA-256; the ingestion time in 北京时间 as a date
#    cell, 8 hours after the store's UTC), 审核.
# The cells are read back by LibreOffice (CSV export of every sheet); the
# sheet list and cell types from the workbook's XML.
. "$(dirname "$0")/lib.sh"

command -v unzip >/dev/null 2>&1 || skip "unzip is not installed"
SOFFICE=$(command -v soffice || command -v libreoffice || true)

ingest_sample "$T/s.db" 2024-10-20
run b "$GONGJI" bulletin --db "$T/s.db" --period 2024-09 --as-of 2024-10-20 \
    --no-charts --no-record --out "$T/b"
expect_rc b 0
for f in attachment.xlsx internal.xlsx; do
    grep -q "^wrote .*/$f$" "$T/b.out" || bad "stdout does not name $f"
done

sheets() { # xlsx: the sheet names in order, one per line
    unzip -p "$1" xl/workbook.xml | grep -o '<sheet name="[^"]*"' |
        sed 's/<sheet name="//; s/"$//'
}
[ "$(sheets "$T/b/attachment.xlsx" | tr '\n' ' ')" = "附件 " ] ||
    bad "attachment.xlsx sheets: $(sheets "$T/b/attachment.xlsx" | tr '\n' ' ')"
[ "$(sheets "$T/b/internal.xlsx" | tr '\n' ' ')" = "附件 附件精确值 统筹区 月度 来源 审核 " ] ||
    bad "internal.xlsx sheets: $(sheets "$T/b/internal.xlsx" | tr '\n' ' ')"
unzip -p "$T/b/attachment.xlsx" xl/sharedStrings.xml >"$T/pub.ss"
for w in 精确 .csv SHA-256 杭州市 审核 "$SAMPLE"; do
    grep -qF -- "$w" "$T/pub.ss" && bad "the publishable workbook holds '$w'"
done

note "--with-monthly: 附件 and 月度"
run m "$GONGJI" bulletin --quiet --db "$T/s.db" --period 2024-09 \
    --as-of 2024-10-20 --no-charts --no-record --with-monthly --out "$T/m"
expect_rc m 0
[ "$(sheets "$T/m/attachment.xlsx" | tr '\n' ' ')" = "附件 月度 " ] ||
    bad "--with-monthly: $(sheets "$T/m/attachment.xlsx" | tr '\n' ' ')"
cmp -s "$T/m/internal.xlsx" "$T/b/internal.xlsx" ||
    bad "--with-monthly changed internal.xlsx"

note "来源: the ingestion times are date cells"
# sheet5 is 来源: column F holds numbers (no t="s" / t="str"), one per file
unzip -p "$T/b/internal.xlsx" xl/worksheets/sheet5.xml >"$T/src.xml"
nfiles=$(unzip -p "$T/b/internal.xlsx" xl/sharedStrings.xml |
    grep -o '共 [0-9]* 个文件' | tr -dc 0-9)
[ "${nfiles:-0}" -gt 200 ] || bad "来源 names ${nfiles:-no} files"
nf=$(grep -o '<c r="F[0-9]*"[^>]*><v>' "$T/src.xml" | grep -vc ' t="')
ns=$(grep -o '<c r="F[0-9]*"[^>]*><v>' "$T/src.xml" | grep -c ' t="')
[ "$nf" = "$nfiles" ] || bad "来源: $nf numeric time cells, expected $nfiles"
[ "$ns" = 1 ] || bad "来源: $ns text cells in column F, expected the header alone"

[ -n "$SOFFICE" ] || { note "no LibreOffice: the cells are not read back"; finish; }

export_sheets() { # xlsx outdir
    mkdir -p "$2"
    (cd "$2" && timeout 180 "$SOFFICE" --headless --norestore \
        "-env:UserInstallation=file://$T/lo-profile" \
        --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
        --outdir "$2" "$1" >/dev/null 2>&1)
    ls "$2"/*.csv >/dev/null 2>&1 || fail "LibreOffice could not open $1"
}
export_sheets "$T/b/attachment.xlsx" "$T/csv"
export_sheets "$T/b/internal.xlsx" "$T/csv"
C="$T/csv"
cmp -s "$C/attachment-附件.csv" "$C/internal-附件.csv" ||
    bad "internal 附件 differs from the published one: $(diff "$C/attachment-附件.csv" "$C/internal-附件.csv" | head -n 4)"

note "附件精确值: the stored figures, to the fen"
run q "$GONGJI" query --db "$T/s.db" --period 2024-01..2024-09 --by province \
    --format csv
expect_rc q 0
# want: 简称,人次,金额 (as query prints it: yuan with two decimals)
awk -F, 'NR == FNR { if (FNR > 1) short[$1] = $3; next }
         FNR > 1 { print short[$1] "," $2 "," $3 }' \
    "$GONGJI_DATA/provinces.csv" "$T/q.out" | sort >"$T/want"
[ "$(wc -l <"$T/want")" = 32 ] || bad "query gave $(wc -l <"$T/want") provinces"
# rows 5.. of the exact sheet: name, 人次, 元 (LibreOffice writes 1234.5 for
# 1234.50: back to two decimals by string, never through a float)
awk -F, 'NR > 5 && $1 != "" && $1 !~ /^注|^数据来源/ {
           a = $3; if (a !~ /\./) a = a ".00"; else if (a ~ /\.[0-9]$/) a = a "0"
           print $1 "," $2 "," a }' "$C/internal-附件精确值.csv" | sort >"$T/got"
diff "$T/want" "$T/got" >"$T/exact.diff" ||
    bad "附件精确值 differs from gongji query: $(head -n 6 "$T/exact.diff")"
# 全国 is the sum of the provinces, exactly (fen as integers)
awk -F, 'NR == FNR { pt += $2; s = $3; sub(/\./, "", s); fen += s; next }
         END { printf "%.0f,%.0f\n", pt, fen }' "$T/want" >"$T/sum"
awk -F, '$1 == "全国" { a = $3; if (a !~ /\./) a = a ".00"
                        else if (a ~ /\.[0-9]$/) a = a "0"
                        sub(/\./, "", a); printf "%.0f,%.0f\n", $2, a }' \
    "$C/internal-附件精确值.csv" >"$T/nat"
cmp -s "$T/sum" "$T/nat" || bad "全国 $(cat "$T/nat") is not the provinces' sum $(cat "$T/sum")"

note "附件 is 附件精确值 rounded once; parts add up in the exact one"
# columns: 地区,人次,金额, then per scope 人次,金额, then the uses' 金额
paste -d, "$C/internal-附件精确值.csv" "$C/internal-附件.csv" |
    awk -F, -v n="$(head -n 4 "$C/internal-附件.csv" | tail -n 1 | awk -F, '{ print NF }')" '
    function fen(v) { if (v !~ /\./) v = v ".00"; else if (v ~ /\.[0-9]$/) v = v "0"
                      sub(/\./, "", v); return v + 0 }
    function two(v) { if (v !~ /\./) v = v ".00"; else if (v ~ /\.[0-9]$/) v = v "0"; return v }
    # round half up on integers: x / d to two decimals
    # (mawk: %d stops at 2^31 - 1; %.0f does not)
    function rnd(x, d,   q) { q = int((x * 100 + d / 2) / d); return sprintf("%.0f.%02d", int(q / 100), q % 100) }
    NR > 4 && $1 != "" && $1 !~ /^注|^数据来源/ {
        rows++
        for (c = 2; c <= n; c++) {
            e = $c; p = $(c + n)
            # person-time columns: 2 and every even column up to the uses
            if (c == 2 || (c >= 4 && c < uses && c % 2 == 0)) want = rnd(e, 10000)
            else want = rnd(fen(e), 10000000000)
            if (want != two(p)) { printf "%s col %d: exact %s, shown %s, want %s\n", $1, c, e, p, want; bad++ }
        }
        # scope parts add up (人次 and 金额), uses add up (金额)
        spt = 0; sfen = 0; ufen = 0
        for (c = 4; c < uses; c += 2) { spt += $c; sfen += fen($(c + 1)) }
        for (c = uses; c <= n; c++) ufen += fen($c)
        if (spt != $2 || sfen != fen($3) || ufen != fen($3)) { printf "%s: parts %.0f %.0f %.0f, totals %.0f %.0f\n", $1, spt, sfen, ufen, $2, fen($3); bad++ }
    }
    NR == 3 { for (c = NF; c >= 1; c--) if ($c == "按用途分共济金额") uses = c }
    END { if (rows != 33) { printf "%d rows compared, expected 33\n", rows; bad++ }
          exit bad > 0 }' >"$T/round.bad" ||
    bad "$(head -n 8 "$T/round.bad")"

note "来源: relative names, the directory in a note, 北京时间"
src="$C/internal-来源.csv"
dirline=$(grep '^文件名相对于目录 ' "$src" | cut -d, -f1)
dir=${dirline#文件名相对于目录 }
dir=${dir%。}
[ "$dir" = "$SAMPLE/" ] || bad "来源: the note names '$dir', expected '$SAMPLE/'"
grep -qF ",$SAMPLE/" "$src" && bad "来源: absolute file names in the table"
"$GONGJI" submissions --db "$T/s.db" --format csv >"$T/subs" ||
    fail "submissions"
awk -F, 'NR > 2 && $4 ~ /^[0-9a-f]+$/ { print $3 "," $4 "," $6 }' "$src" >"$T/src.rows"
[ "$(wc -l <"$T/src.rows")" = "$nfiles" ] ||
    bad "来源 lists $(wc -l <"$T/src.rows") files, expected $nfiles"
while IFS=, read -r name sha when; do
    f="$dir$name"
    [ -f "$f" ] || { bad "来源: $name is no file below $dir"; continue; }
    [ "$(sha256sum "$f" | cut -d' ' -f1)" = "$sha" ] || bad "来源: $name: SHA-256 differs"
    utc=$(awk -F, -v f="\"$f\"" -v s="$sha" '$1 == f && $2 == s { print $6 }' "$T/subs" | head -n 1)
    [ -n "$utc" ] || { bad "来源: $name not in gongji submissions"; continue; }
    bj=$(date -u -d "$(echo "$utc" | sed 's/T/ /; s/Z$/ UTC/') + 8 hours" '+%Y-%m-%d %H:%M:%S')
    [ "$when" = "$bj" ] || bad "来源: $name ingested $utc, shown '$when', expected $bj (北京时间)"
done <"$T/src.rows"

note "审核: the review's findings"
run rv "$GONGJI" review --db "$T/s.db" --period 2024-09 --format csv
n=$(($(wc -l <"$T/rv.out") - 1))
got=$(awk -F, 'NR > 2 && $1 != "" && $1 !~ /^共|^注/' "$C/internal-审核.csv" | wc -l)
[ "$got" -ge "$n" ] || bad "审核 has $got rows, review printed $n findings"

finish
