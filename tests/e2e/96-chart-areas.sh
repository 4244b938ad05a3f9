#!/bin/sh
# SPDX-License-Identifier: MIT
# Charts of pooling areas (issue 13): a province_bars or scope chart
# filtered to one province draws that province's pooling areas (not 31
# bars of zero), and --kind area_bars ranks the 20 largest pooling areas;
# the values are those of `gongji query`.
. "$(dirname "$0")/lib.sh"

command -v gnuplot >/dev/null 2>&1 || skip "gnuplot is not installed (make deps)"
command -v pdftotext >/dev/null 2>&1 || skip "pdftotext is not installed"

ingest_sample "$T/s.db" 2024-10-20
P=2024-01..2024-09

note "province_bars of 浙江: its pooling areas"
run zj "$GONGJI" chart --db "$T/s.db" --period $P --kind province_bars \
    --where province=浙江 --out "$T/zj.pdf"
expect_rc zj 0
pdftotext "$T/zj.pdf" "$T/zj.txt"
grep -qF "（分统筹区）" "$T/zj.txt" || bad "title: $(head -n 2 "$T/zj.txt")"
run qz "$GONGJI" query --db "$T/s.db" --period $P --where province=浙江 \
    --by area --format csv
n=0
sed 1d "$T/qz.out" | while IFS=, read -r area pt amount; do
    name=$(awk -F, -v c="$area" '$1 == c { print $2 }' "$GONGJI_DATA/areas.csv")
    grep -qF "$name" "$T/zj.txt" || echo "missing $area $name"
done >"$T/zj.missing"
[ -s "$T/zj.missing" ] && bad "areas not drawn: $(cat "$T/zj.missing")"
grep -qF "北京" "$T/zj.txt" && bad "the 浙江 chart draws other provinces"
# the largest area's value as the table shows it (万人次, two decimals)
top=$(sed 1d "$T/qz.out" | sort -t, -k2,2nr | head -n 1 | cut -d, -f2)
want=$(awk -v v="$top" 'BEGIN { printf "%.2f", v / 10000 }')
grep -qxF "$want" "$T/zj.txt" || bad "the largest area's $want is not on the chart"

note "scope of 广东: its pooling areas, stacked"
run gd "$GONGJI" chart --db "$T/s.db" --period $P --kind scope \
    --where province=广东 --out "$T/gd.pdf"
expect_rc gd 0
pdftotext "$T/gd.pdf" "$T/gd.txt"
grep -qF "广州市" "$T/gd.txt" && grep -qF "深圳市" "$T/gd.txt" ||
    bad "广东 scope chart lacks its areas"
grep -qF "浙江" "$T/gd.txt" && bad "the 广东 chart draws other provinces"

note "area_bars: the 20 largest pooling areas by amount"
run ab "$GONGJI" chart --db "$T/s.db" --period $P --kind area_bars \
    --metric amount --out "$T/ab.pdf"
expect_rc ab 0
pdftotext "$T/ab.pdf" "$T/ab.txt"
grep -qF "共济金额居前20位的统筹区" "$T/ab.txt" || bad "area_bars title"
run qa "$GONGJI" query --db "$T/s.db" --period $P --by area --sort amount \
    --top 21 --format csv
i=0
sed 1d "$T/qa.out" | while IFS=, read -r area pt amount; do
    i=$((i + 1))
    name=$(awk -F, -v c="$area" '$1 == c { print $2 }' "$GONGJI_DATA/areas.csv")
    v=$(awk -v a="$amount" 'BEGIN { printf "%.2f", a / 100000000 }')
    if [ $i -le 20 ]; then
        grep -qF "$name" "$T/ab.txt" || echo "rank $i $name not drawn"
    fi
done >"$T/ab.bad"
[ -s "$T/ab.bad" ] && bad "$(cat "$T/ab.bad")"
first=$(sed -n 2p "$T/qa.out" | cut -d, -f3)
want=$(awk -v a="$first" 'BEGIN { printf "%.2f", a / 100000000 }')
grep -qxF "$want" "$T/ab.txt" || bad "the largest amount $want is not on the chart"

finish
