#!/bin/sh
# SPDX-License-Identifier: MIT
# The bundled sample data/sample/ reproduces the published national figures
# for 2024年1-9月 (shared/DOMAIN.md) to the exact integers it was calibrated
# on (tests/gen/gen_sample.c): a change to the sample or to the ingest and
# query paths that moves any of them fails here.  First from the arrival
# batches up to the release (2024-10-20), then from every batch (to
# December 2025, resubmissions included): no later batch restates 2024-01
# .. 2024-09, so the figures, the bulletin's phrases and the split by scope
# and use of the final store are those of the release.
. "$(dirname "$0")/lib.sh"

DB="$T/sample.db"
[ -d "$SAMPLE/2024-10-15" ] || fail "no sample batch $SAMPLE/2024-10-15"

# stored_files DB: how many files the store has a version of
stored_files() {
    "$GONGJI" submissions --db "$1" --history --format csv >"$T/sub.out" ||
        fail "submissions --db $1"
    tail -n +2 "$T/sub.out" | cut -d, -f1 | LC_ALL=C sort -u | wc -l |
        tr -d ' '
}

# ingest_checked DB [LAST]: ingest_sample, then every file must have been
# stored and no batch may have printed a diagnostic.
ingest_checked() {
    ingest_sample "$@"
    [ "$(stored_files "$1")" = "$SAMPLE_FILES" ] ||
        fail "ingest: $(stored_files "$1") files stored of $SAMPLE_FILES"
    ! grep -qi 'warning\|error' "$T/ingest_sample.err" ||
        fail "ingest printed diagnostics: $(head -n 5 "$T/ingest_sample.err")"
}

note "ingest the batches up to 2024-10-20"
ingest_checked "$DB" 2024-10-20
note "$SAMPLE_FILES files in $SAMPLE_BATCHES batches"

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

# figures LABEL: every published 1-9月 figure, from the store $DB.
figures() {
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
        bad "$1: by scope: $(tr '\n' ' ' <"$T/scope.out")"

    note "by use: 273.18, 12.21, 17.03, 2.15亿元"
    q use --period 2024-01..2024-09 --by use
    for w in medical,27318000000.00 pharmacy,1221000000.00 \
        premium,1703000000.00 other,215000000.00; do
        got=$(grep "^${w%,*}," "$T/use.out" | cut -d, -f3)
        [ "$got" = "${w#*,}" ] || bad "$1: use ${w%,*}: amount '$got', want ${w#*,}"
    done
    [ "$(tail -n +2 "$T/use.out" | wc -l)" = 4 ] ||
        bad "$1: by use: not four rows: $(tr '\n' ' ' <"$T/use.out")"
    pt=$(tail -n +2 "$T/use.out" | awk -F, '{s += $2} END {printf "%d", s}')
    [ "$pt" = 246345000 ] || bad "$1: by use: person-times add to $pt"

    note "top five by person-times: 浙江、江苏、广东、北京、上海"
    q toppt --period 2024-01..2024-09 --by province --sort person_times --top 5
    got=$(tail -n +2 "$T/toppt.out" | cut -d, -f1 | tr '\n' ' ')
    [ "$got" = "330000 320000 440000 110000 310000 " ] ||
        bad "$1: top 5 by person-times: $got"

    note "top five by amount: 浙江、江苏、广东、北京、重庆"
    q topfen --period 2024-01..2024-09 --by province --sort amount --top 5
    got=$(tail -n +2 "$T/topfen.out" | cut -d, -f1 | tr '\n' ' ')
    [ "$got" = "330000 320000 440000 110000 500000 " ] ||
        bad "$1: top 5 by amount: $got"

    note "山西 1-7月: 156.19万人次, 1.76亿元"
    q sx --period 2024-01..2024-07 --where province=140000
    want sx "person_times,amount
1561900,176000000.00" "山西 2024-01..2024-07"

    note "the 2024-09 bulletin carries every published figure, as displayed"
    "$GONGJI" bulletin --quiet --no-charts --db "$DB" --period 2024-09 \
        --as-of 2024-10-20 --out "$T/b" 2>/dev/null || bad "$1: bulletin failed"
    for phrase in \
        "共济2.46亿人次，比1-8月增长0.28亿人次" \
        "共济金额304.57亿元，比1-8月增长42亿元" \
        "同一统筹区内共济2.31亿人次、275.59亿元" \
        "省内跨统筹区共济1534.50万人次、28.98亿元" \
        "在定点医疗机构共济273.18亿元" \
        "在定点零售药店共济12.21亿元" \
        "用于参加居民医保等个人缴费17.03亿元" \
        "其他用途2.15亿元" \
        "共济人次居前五位的省份是浙江、江苏、广东、北京、上海；" \
        "共济金额居前五位的省份是浙江、江苏、广东、北京、重庆；" \
        "天津、河北、山西、吉林、黑龙江、江苏、江西、山东、河南、湖北、湖南、广西、贵州、云南、西藏、陕西、甘肃、新疆等18个省份已将共济范围扩大到近亲属" \
        "等29个省份和新疆生产建设兵团已实现省内跨统筹区共济"; do
        grep -qF -- "$phrase" "$T/b/bulletin.md" ||
            bad "$1: bulletin.md lacks '$phrase'"
    done
    grep -q "跨省共济" "$T/b/bulletin.md" &&
        bad "$1: bulletin.md mentions 跨省 although 2024 has none"
}

figures "store as of 2024-10-20"
q scopeuse10 --period 2024-01..2024-09 --by scope,use

note "ingest every batch (to 2026-01-15, resubmissions included)"
DB="$T/full.db"
ingest_checked "$DB"
note "$SAMPLE_FILES files in $SAMPLE_BATCHES batches"
figures "final store"
note "the final store's 1-9月 split by scope and use: that of 2024-10-20"
q scopeuse --period 2024-01..2024-09 --by scope,use
cmp -s "$T/scopeuse10.out" "$T/scopeuse.out" || {
    diff "$T/scopeuse10.out" "$T/scopeuse.out" | head -n 20 >&2
    bad "query --period 2024-01..2024-09 --by scope,use differs between the stores"
}
[ "$(wc -l <"$T/scopeuse.out")" -gt 4 ] ||
    bad "by scope,use: $(tr '\n' ' ' <"$T/scopeuse.out")"

finish
