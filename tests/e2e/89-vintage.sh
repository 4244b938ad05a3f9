#!/bin/sh
# SPDX-License-Identifier: MIT
# Releases, vintages and revision notes (issue 12): the sample's arrival
# batches are ingested each at its own date (SOURCE_DATE_EPOCH), each
# release is written - and recorded in the store - on its date; then every
# earlier release is reproduced byte for byte from the store as it stood
# (--vintage), today's figures differ where the sample restated them, the
# next release's 修订说明 names the figure, the old and new value and the
# resubmission, `revisions` lists what changed, and the completeness gate
# refuses a release with province-months missing.
. "$(dirname "$0")/lib.sh"

S="$GONGJI_TOP/data/sample"
DB="$T/v.db"
[ -d "$S/2024-02-15" ] || fail "no arrival batches in $S"

# at DATE CMD...: CMD with the clock at DATE 02:00 UTC
at() {
    _d=$1
    shift
    SOURCE_DATE_EPOCH=$(date -u -d "$_d 02:00" +%s) "$@"
}

RELEASES="2024-07:2024-08-27 2024-09:2024-10-20 2024-10:2024-11-25
2024-11:2024-12-26 2024-12:2025-01-19 2025-02:2025-03-19 2025-04:2025-05-22
2025-05:2025-06-20 2025-06:2025-07-22 2025-07:2025-08-31"

note "ingest the batches at their dates, a release on each release date"
for d in "$S"/*/; do
    b=$(basename "$d")
    for pair in $RELEASES; do
        p=${pair%%:*} dt=${pair#*:}
        if [ ! -d "$T/$p" ] && [ "$b" \> "$dt" ]; then
            run "rel-$p" at "$dt" "$GONGJI" bulletin --db "$DB" --period "$p" \
                --as-of "$dt" --no-charts --out "$T/$p"
            expect_rc "rel-$p" 0
            grep -q "^recorded release [0-9]* (vintage: submissions up to #[0-9]*)$" \
                "$T/rel-$p.out" || bad "rel-$p: no 'recorded release' line"
        fi
    done
    at "$b" "$GONGJI" ingest --quiet --db "$DB" "$d"*.csv 2>"$T/ing.err" ||
        fail "ingest $b: $(head -n 3 "$T/ing.err")"
done

note "gongji releases: ten, in order, with their figures"
run rels "$GONGJI" releases --db "$DB" --format csv
expect_rc rels 0
[ "$(sed 1d "$T/rels.out" | wc -l)" = 10 ] || bad "releases: $(cat "$T/rels.out")"
[ "$(head -n 1 "$T/rels.out")" = "id,period,province,style,template,released_at,vintage,fingerprint,figures" ] ||
    bad "releases header: $(head -n 1 "$T/rels.out")"
grep -q '^4,2024-11,000000,2024,"bulletin-2024.md.tmpl",2024-12-26T02:00:00Z,[0-9]*,[0-9a-f]\{64\},23$' \
    "$T/rels.out" || bad "release 4: $(sed -n 5p "$T/rels.out")"
grep -q '^6,2025-02,000000,2025,"bulletin-2025.md.tmpl",2025-03-19T02:00:00Z,' \
    "$T/rels.out" || bad "release 6: $(sed -n 7p "$T/rels.out")"
# vintages grow with the releases
sed 1d "$T/rels.out" | cut -d, -f7 | sort -n -c 2>/dev/null ||
    bad "vintages not increasing: $(cut -d, -f7 "$T/rels.out" | tr '\n' ' ')"
[ "$(sqlite3 "$DB" "SELECT value FROM release_figure WHERE release_id = 4 AND name = 'acct.use.pharmacy.amount'")" = 2072000000.00 ] ||
    bad "release 4 did not record pharmacy 20.72亿元"

note "修订说明 in the release after each restatement"
has() {
    _f=$1
    shift
    for _w in "$@"; do
        grep -qF -- "$_w" "$_f" || bad "$_f lacks '$_w'"
    done
}
for p in 2024-07 2024-09 2024-10 2025-02; do
    grep -q "修订说明" "$T/$p/bulletin.md" && bad "$p has a 修订说明 (nothing was revised)"
done
has "$T/2024-11/bulletin.md" "修订说明：因广西、四川2024年10月数据重报，已发布的2024年1-10月数据修订如下：" \
    "个人账户参加居民医保等个人缴费共济金额由44.54亿元修订为44.59亿元" \
    "个人账户其他共济金额由3.74亿元修订为3.69亿元" "本期比1-10月增长按修订后数据计算。"
# the quarterly provinces sent their quarters again with the same figures:
# not a cause
grep "修订说明" "$T/2024-11/bulletin.md" | grep -q "内蒙古" &&
    bad "2024-11 names 内蒙古 (resent, unchanged) as a cause"
has "$T/2024-12/bulletin.md" "修订说明：因北京、上海、广东2024年11月数据重报，已发布的2024年1-11月数据修订如下：" \
    "个人账户定点零售药店共济金额由20.72亿元修订为17.52亿元" \
    "个人账户定点医疗机构共济金额由343.08亿元修订为346.28亿元" \
    "本期比1-11月增长按修订后数据计算。"
# ... and the increase is computed from the revised figures (DOMAIN.md)
has "$T/2024-12/bulletin.md" "511.54亿元，比1-11月增长67.01亿元" "药店共济19.22亿元"
has "$T/2025-07/bulletin.md" "修订说明：因江苏、浙江2025年1-6月数据重报" \
    "医保钱包共济金额由6964.23万元修订为6660.50万元"

note "every release reproduced at its vintage, byte for byte"
for pair in $RELEASES; do
    p=${pair%%:*} dt=${pair#*:}
    run "re-$p" "$GONGJI" bulletin --quiet --db "$DB" --period "$p" --as-of "$dt" \
        --no-charts --vintage "$dt" --out "$T/re-$p"
    expect_rc "re-$p" 0
    for f in bulletin.md figures.csv; do
        cmp -s "$T/$p/$f" "$T/re-$p/$f" ||
            bad "$p at vintage $dt: $f differs: $(diff "$T/$p/$f" "$T/re-$p/$f" | head -n 4)"
    done
done
run re4 "$GONGJI" bulletin --db "$DB" --period 2024-11 --as-of 2024-12-26 \
    --no-charts --vintage release:4 --out "$T/re4"
expect_rc re4 0
cmp -s "$T/2024-11/bulletin.md" "$T/re4/bulletin.md" || bad "release:4 differs"
grep -q "the store as it stood at release 4: submissions up to #" "$T/re4.err" ||
    bad "re4 stderr: $(cat "$T/re4.err")"
grep -q "recorded release" "$T/re4.out" && bad "a reproduction was recorded"
run re4p "$GONGJI" bulletin --quiet --db "$DB" --period 2024-11 --as-of 2024-12-26 \
    --no-charts --vintage release:2024-11 --out "$T/re4p"
expect_rc re4p 0
cmp -s "$T/2024-11/bulletin.md" "$T/re4p/bulletin.md" || bad "release:2024-11 differs"

note "today's 2024年1-11月 has the restated pharmacy figure"
run now "$GONGJI" bulletin --db "$DB" --period 2024-11 --as-of 2024-12-26 \
    --no-charts --no-record --out "$T/now"
expect_rc now 0
has "$T/now/bulletin.md" "在定点零售药店共济17.52亿元"
grep -q "在定点零售药店共济20.72亿元" "$T/now/bulletin.md" && bad "today's 1-11月 still says 20.72"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM release")" = 10 ] ||
    bad "--no-record or --vintage recorded a release"

note "query at a vintage"
Q="--period 2024-01..2024-11 --where use=pharmacy --where channel=account --format csv"
run qv "$GONGJI" query --db "$DB" $Q --vintage 2024-12-26
expect_rc qv 0
[ "$(sed 1d "$T/qv.out")" = "30516247,2072000000.00" ] || bad "query at 2024-12-26: $(cat "$T/qv.out")"
run qn "$GONGJI" query --db "$DB" $Q
[ "$(sed 1d "$T/qn.out")" = "25816247,1752000000.00" ] || bad "query now: $(cat "$T/qn.out")"
run qr "$GONGJI" query --db "$DB" $Q --vintage release:4
[ "$(sed 1d "$T/qr.out")" = "30516247,2072000000.00" ] || bad "query at release:4: $(cat "$T/qr.out")"
# a time in UTC and one in 北京时间: the 2025-01-15 batch is stored at 02:00Z
run qz "$GONGJI" query --db "$DB" $Q --vintage 2025-01-15T01:59:59Z
[ "$(sed 1d "$T/qz.out")" = "30516247,2072000000.00" ] || bad "at 01:59:59Z: $(cat "$T/qz.out")"
run qz2 "$GONGJI" query --db "$DB" $Q --vintage "2025-01-15 10:00"
[ "$(sed 1d "$T/qz2.out")" = "25816247,1752000000.00" ] || bad "at 10:00 北京时间: $(cat "$T/qz2.out")"
run qbad "$GONGJI" query --db "$DB" $Q --vintage 2024-13-01
expect_rc qbad 2
grep -q "'2024-13-01' is not a time" "$T/qbad.err" || bad "qbad: $(cat "$T/qbad.err")"
run qrel "$GONGJI" query --db "$DB" $Q --vintage release:99
expect_rc qrel 2
run qearly "$GONGJI" query --db "$DB" $Q --vintage 2023-01-01
expect_rc qearly 3
grep -q "nothing was stored by then" "$T/qearly.err" || bad "qearly: $(cat "$T/qearly.err")"
# every dimension at once (a cube of seven keys) adds up to the total
run q7 "$GONGJI" query --db "$DB" --period 2024-11 --format csv \
    --by period,province,area,channel,scope,use,relation
expect_rc q7 0
run q0 "$GONGJI" query --db "$DB" --period 2024-11 --format csv
s7=$(sed 1d "$T/q7.out" | awk -F, '{ n += $8 } END { print n }')
[ "$s7" = "$(sed 1d "$T/q0.out" | cut -d, -f1)" ] || bad "7-key rows add to $s7"

note "a time the store cannot place (submissions out of time order)"
cp "$DB" "$T/ooo.db"
sqlite3 "$T/ooo.db" "UPDATE submission SET ingested_at = '2024-03-01T00:00:00Z' WHERE id = (SELECT max(id) FROM submission)"
run ooo "$GONGJI" query --db "$T/ooo.db" $Q --vintage 2024-06-01
expect_rc ooo 1
grep -q "not in the order of their times" "$T/ooo.err" || bad "ooo: $(cat "$T/ooo.err")"

note "gongji revisions since release 4"
run rv "$GONGJI" revisions --db "$DB" --since release:4 --period 2024-10..2024-11 --format csv
expect_rc rv 0
[ "$(head -n 1 "$T/rv.out")" = "province,period,status,old_person_times,person_times,delta_person_times,old_amount,amount,delta_amount,file,ingested_at" ] ||
    bad "revisions header: $(head -n 1 "$T/rv.out")"
grep -q '^110000,2024-11,revised,[0-9]*,[0-9]*,+0,\([0-9.]*\),\1,0.00,"[^"]*110000_2024-11.csv",2025-01-15T02:00:00Z$' "$T/rv.out" ||
    bad "北京 2024-11: $(grep '^110000' "$T/rv.out")"
grep -q '^150000,2024-10,resent,' "$T/rv.out" || bad "内蒙古 2024-10 not 'resent'"
grep -q '^510000,2024-10' "$T/rv.out" && bad "四川 2024-10 was restated before release 4"
run rk "$GONGJI" revisions --db "$DB" --since release:4 --period 2024-11 --province 北京 --by-key --format csv
expect_rc rk 0
# pharmacy moved to medical: the deltas add to zero
ph=$(grep '^110000,2024-11,account,[a-z_]*,pharmacy,' "$T/rk.out" | awk -F, '{ s += $11 } END { printf "%.2f", s }')
md=$(grep '^110000,2024-11,account,[a-z_]*,medical,' "$T/rk.out" | awk -F, '{ s += $11 } END { printf "%.2f", s }')
[ "$(echo "$ph < 0" | bc)" = 1 ] && [ "$(echo "$ph + $md" | bc)" = 0 ] ||
    bad "北京 2024-11 by key: pharmacy $ph, medical $md: $(cat "$T/rk.out")"
run rdef "$GONGJI" revisions --db "$DB" --period 2025-01..2025-06 --province 江苏
expect_rc rdef 0
grep -q "since release 10" "$T/rdef.out" || bad "default --since: $(head -n 1 "$T/rdef.out")"
run rnone "$GONGJI" revisions --db "$T/none.db" 2>/dev/null
[ "$rc" != 0 ] || bad "revisions without a store succeeded"

note "review against the releases: revised figures, a cumulative fall"
run rvw "$GONGJI" review --db "$DB" --period 2024-12 --vintage release:5 --format csv
# (the sample's own restatements also give plausibility findings: 1 or 4)
[ "$rc" = 4 ] || [ "$rc" = 1 ] || bad "review at release:5: exit $rc"
grep -q '^warning,published_revised,,,2024-11,,,,amount,1752000000.00,2072000000.00,0.8456,,,,"[^"]*110000_2024-11.csv;[^"]*310000_2024-11.csv;[^"]*440000_2024-11.csv",acct.use.pharmacy.amount$' "$T/rvw.out" ||
    bad "no published_revised for pharmacy: $(grep published_revised "$T/rvw.out" | head -n 3)"
grep -q '^warning,cumulative_fall,,,2024-12,,,,amount,1922000000.00,2072000000.00,' "$T/rvw.out" ||
    bad "no cumulative_fall 20.72 -> 19.22: $(grep cumulative_fall "$T/rvw.out")"
grep -q '^warning,revised,110000,,2024-11,' "$T/rvw.out" || bad "北京 2024-11 not 'revised'"
grep -q '^[a-z]*,revised,150000,' "$T/rvw.out" && bad "内蒙古 (resent, unchanged) reported as revised"
# the same review today (no release since the last one changed): none
run rvn "$GONGJI" review --db "$DB" --period 2025-07 --format csv
grep -q ',published_revised,\|,cumulative_fall,\|,revised,' "$T/rvn.out" &&
    bad "review 2025-07 today: $(grep 'revised\|fall' "$T/rvn.out" | head -n 3)"
# a cumulative lowered without any resubmission (the store changed by
# hand): an error, as is the coverage that no longer adds up
cp "$DB" "$T/hand.db"
sqlite3 "$T/hand.db" "UPDATE fact SET amount_fen = 0 WHERE period BETWEEN '2025-01' AND '2025-06' AND use = 'pharmacy'"
run rvh "$GONGJI" review --db "$T/hand.db" --period 2025-07 --format csv
expect_rc rvh 1
grep -q '^error,cumulative_fall,,,2025-07,,,,amount,[0-9.]*,[0-9.]*,[0-9.]*,,,,,acct.use.pharmacy.amount$' "$T/rvh.out" ||
    bad "hand-lowered: $(grep cumulative_fall "$T/rvh.out" | head -n 3)"
grep -q '^error,coverage_mismatch,' "$T/rvh.out" || bad "hand-lowered: no coverage_mismatch"

note "the completeness gate"
ingest_sample "$T/g.db" 2024-09-15
run gate "$GONGJI" bulletin --db "$T/g.db" --period 2024-08 --no-charts --out "$T/gate"
expect_rc gate 1
has "$T/gate.err" "2024年1-8月 is incomplete: nothing is stored for 7 province-month(s):" \
    "内蒙古、湖南、海南、西藏、青海、宁夏、新疆生产建设兵团2024年8月" "--allow-incomplete"
[ -e "$T/gate" ] && [ -n "$(ls -A "$T/gate")" ] && bad "the refused bulletin wrote files"
[ "$(sqlite3 "$T/g.db" "SELECT count(*) FROM release")" = 0 ] || bad "a refused bulletin was recorded"
run gate2 "$GONGJI" bulletin --db "$T/g.db" --period 2024-08 --no-charts \
    --allow-incomplete --out "$T/gate2"
expect_rc gate2 0
has "$T/gate2/bulletin.md" "注：本期数据不含内蒙古、湖南、海南、西藏、青海、宁夏、新疆生产建设兵团2024年8月数据"
grep -q "warning: 2024年1-8月 is incomplete" "$T/gate2.err" || bad "gate2: no warning"
# a template without {completeness_note} still gets it, at the end
printf '# {period}\n\n{all.amount}\n' >"$T/t.tmpl"
run gate3 "$GONGJI" bulletin --quiet --db "$T/g.db" --period 2024-08 --no-charts \
    --allow-incomplete --no-record --template "$T/t.tmpl" --out "$T/gate3"
expect_rc gate3 0
tail -n 1 "$T/gate3/bulletin.md" | grep -q "^注：本期数据不含内蒙古" ||
    bad "custom template: $(cat "$T/gate3/bulletin.md")"
# a provincial release is gated on its own province only
run gate4 "$GONGJI" bulletin --quiet --db "$T/g.db" --period 2024-08 --province 浙江 \
    --no-record --out "$T/gate4"
expect_rc gate4 0
run gate5 "$GONGJI" bulletin --quiet --db "$T/g.db" --period 2024-08 --province 湖南 \
    --no-record --out "$T/gate5"
expect_rc gate5 1

finish
