#!/bin/sh
# SPDX-License-Identifier: MIT
# The bundled sample data/sample/ reproduces the published national figures
# for 2024年1-9月 (shared/DOMAIN.md) to the exact integers it was calibrated
# on (tests/gen/gen_sample.c): a change to the sample or to the ingest and
# query paths that moves any of them fails here.
. "$(dirname "$0")/lib.sh"

S="$GONGJI_TOP/data/sample"
DB="$T/sample.db"
set -- "$S"/*/*.csv
[ -f "$1" ] || fail "no sample files in $S"
nfiles=$#

note "ingest the $nfiles sample files"
run ingest "$GONGJI" ingest --db "$DB" "$@"
expect_rc ingest 0
[ "$(grep -c '^stored ' "$T/ingest.out")" = "$nfiles" ] ||
    fail "ingest: not one 'stored' line per file: $(head -n 5 "$T/ingest.out")"
! grep -qi 'warning\|error' "$T/ingest.err" ||
    fail "ingest printed diagnostics: $(head -n 5 "$T/ingest.err")"

# q NAME ARGS...: query csv into $T/NAME.out, which must succeed.
q() {
    _q=$1
    shift
    run "$_q" "$GONGJI" query --db "$DB" "$@" --format csv
    expect_rc "$_q" 0
}

# want NAME EXPECTED-CSV LABEL: the whole output must be exactly EXPECTED.
want() {
    printf '%s\n' "$2" >"$T/.want"
    cmp -s "$T/.want" "$T/$1.out" || {
        echo "--- expected:" >&2
        cat "$T/.want" >&2
        echo "--- got:" >&2
        cat "$T/$1.out" >&2
        bad "$3"
    }
}

note "national 1-9月: 2.46亿人次, 304.57亿元"
q total --period 2024-01..2024-09
want total "person_times,amount
246345000,30457000000.00" "total 2024-01..2024-09"

note "national 1-8月: 2.18亿人次, 262.57亿元"
q total8 --period 2024-01..2024-08
want total8 "person_times,amount
218345000,26257000000.00" "total 2024-01..2024-08"

note "increase in 9月: 0.28亿人次, 42.00亿元"
q sep --period 2024-09
want sep "person_times,amount
28000000,4200000000.00" "total 2024-09"

note "by scope: 2.31亿人次/275.59亿元, 1534.50万人次/28.98亿元, no 跨省"
q scope --period 2024-01..2024-09 --by scope
tail -n +2 "$T/scope.out" | LC_ALL=C sort >"$T/scope.sorted"
printf '%s\n' "cross_area,15345000,2898000000.00" \
    "same_area,231000000,27559000000.00" >"$T/scope.want"
cmp -s "$T/scope.want" "$T/scope.sorted" ||
    bad "by scope: $(tr '\n' ' ' <"$T/scope.out")"

note "by use: 273.18, 12.21, 17.03, 2.15亿元"
q use --period 2024-01..2024-09 --by use
for w in medical,27318000000.00 pharmacy,1221000000.00 \
    premium,1703000000.00 other,215000000.00; do
    got=$(grep "^${w%,*}," "$T/use.out" | cut -d, -f3)
    [ "$got" = "${w#*,}" ] || bad "use ${w%,*}: amount '$got', want ${w#*,}"
done
[ "$(tail -n +2 "$T/use.out" | wc -l)" = 4 ] ||
    bad "by use: not four rows: $(tr '\n' ' ' <"$T/use.out")"
pt=$(tail -n +2 "$T/use.out" | awk -F, '{s += $2} END {printf "%d", s}')
[ "$pt" = 246345000 ] || bad "by use: person-times add to $pt"

note "top five by person-times: 浙江、江苏、广东、北京、上海"
q toppt --period 2024-01..2024-09 --by province --sort person_times --top 5
got=$(tail -n +2 "$T/toppt.out" | cut -d, -f1 | tr '\n' ' ')
[ "$got" = "330000 320000 440000 110000 310000 " ] ||
    bad "top 5 by person-times: $got"

note "top five by amount: 浙江、江苏、广东、北京、重庆"
q topfen --period 2024-01..2024-09 --by province --sort amount --top 5
got=$(tail -n +2 "$T/topfen.out" | cut -d, -f1 | tr '\n' ' ')
[ "$got" = "330000 320000 440000 110000 500000 " ] ||
    bad "top 5 by amount: $got"

note "山西 1-7月: 156.19万人次, 1.76亿元"
q sx --period 2024-01..2024-07 --where province=140000
want sx "person_times,amount
1561900,176000000.00" "山西 2024-01..2024-07"

note "the 2024-09 bulletin carries every published figure, as displayed"
"$GONGJI" bulletin --quiet --no-charts --db "$DB" --period 2024-09 \
    --as-of 2024-10-20 --out "$T/b" 2>/dev/null || bad "bulletin failed"
for phrase in \
    "共济2.46亿人次，比1-8月增加0.28亿人次" \
    "共济金额304.57亿元，比1-8月增加42.00亿元" \
    "同一统筹区内共济2.31亿人次、275.59亿元" \
    "省内跨统筹区共济1534.50万人次、28.98亿元" \
    "在定点医疗机构共济273.18亿元" \
    "在定点零售药店共济12.21亿元" \
    "用于参加居民医保等个人缴费17.03亿元" \
    "其他用途2.15亿元" \
    "共济人次居前五位的省份是浙江、江苏、广东、北京、上海；" \
    "共济金额居前五位的省份是浙江、江苏、广东、北京、重庆。" \
    "天津、河北、山西、吉林、黑龙江、江苏、江西、山东、河南、湖北、湖南、广西、贵州、云南、西藏、陕西、甘肃、新疆等18个省份已将共济范围扩大到近亲属" \
    "等29个省份和新疆生产建设兵团已实现省内跨统筹区共济"; do
    grep -qF -- "$phrase" "$T/b/bulletin.md" ||
        bad "bulletin.md lacks '$phrase'"
done
grep -q "跨省共济" "$T/b/bulletin.md" &&
    bad "bulletin.md mentions 跨省 although 2024 has none"

finish
