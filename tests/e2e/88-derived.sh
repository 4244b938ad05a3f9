#!/bin/sh
# SPDX-License-Identifier: MIT
# Derived indicators of `gongji query --measures` on a small store whose
# rates are worked out by hand below:
#  - 同比 (yoy) and 环比 (mom) with period in --by (the same month a year
#    before / the month before) and without it (the range shifted back 12
#    months / by its length), one decimal, half away from zero (.x5);
#  - 持平 for a zero change, — for a zero base, for a base month with
#    nothing stored, and for a base range with one month missing;
#  - 占比 of the raw total, 次均金额 (per 笔 for the wallet);
#  - csv empty fields / json null, the table's Chinese headings;
#  - the default output is unchanged, --measures errors are usage errors.
. "$(dirname "$0")/lib.sh"

# want NAME TEXT: $T/NAME.out must be TEXT
want() {
    [ "$(cat "$T/$1.out")" = "$2" ] ||
        bad "$1: got
$(cat "$T/$1.out")
expected
$2"
}
# q NAME ARGS...: a query of d.db into $T/NAME.out, which must succeed
q() {
    _qn=$1
    shift
    run "$_qn" "$GONGJI" query --db d.db "$@"
    expect_rc "$_qn" 0
}

# 浙江 (330100) and 江苏 (320100), the account channel, and the wallet in
# 浙江.  2023-03 is stored for nobody; 2023-11 neither.
#   浙江 account: 2023-12 800 / 8000.00; 2023-01 1000 / 10000.00;
#     2023-02 2000 / 20000.00; 2024-01 1000 / 11050.00 (人次 unchanged);
#     2024-02 1999 / 20010.00 (-0.05% and +0.05%: -0.1 and 0.1);
#     2024-03 500 / 5000.00 same_area + 2 / 10.05 cross_area pharmacy.
#   江苏 account: nothing in 2023-01 and 2023-12 (a zero base in a stored
#     month); 2023-02 100 / 0.00 (a zero amount base); 2024-01 300 /
#     3000.00; 2024-02 150 / 1500.00.
#   wallet (浙江, 省内, 就医购药): 2024-01 300笔 / 100.00, 2024-02 450笔 /
#     90.00.
cat >d.csv <<'EOF'
period,area,channel,scope,use,person_times,amount
2023-12,330100,account,same_area,medical,800,8000.00
2023-01,330100,account,same_area,medical,1000,10000.00
2023-02,330100,account,same_area,medical,2000,20000.00
2023-02,320100,account,same_area,medical,100,0.00
2024-01,330100,account,same_area,medical,1000,11050.00
2024-01,320100,account,same_area,medical,300,3000.00
2024-01,330100,wallet,in_province,medical_pharmacy,300,100.00
2024-02,330100,account,same_area,medical,1999,20010.00
2024-02,320100,account,same_area,medical,150,1500.00
2024-02,330100,wallet,in_province,medical_pharmacy,450,90.00
2024-03,330100,account,same_area,medical,500,5000.00
2024-03,330100,account,cross_area,pharmacy,2,10.05
EOF
run ingest "$GONGJI" ingest --quiet --db d.db d.csv
expect_rc ingest 0

note "the default output is the same with and without --measures"
q def --period 2024-01..2024-03 --by period,province --format csv
want def "period,province,person_times,amount
2024-01,320000,300,3000.00
2024-01,330000,1300,11150.00
2024-02,320000,150,1500.00
2024-02,330000,2449,20100.00
2024-03,330000,502,5010.05"
for f in table csv json; do
    q plain$f --period 2024-01..2024-03 --by province,channel --format $f
    q expl$f --period 2024-01..2024-03 --by province,channel --format $f \
        --measures person_times,amount
    cmp -s "$T/plain$f.out" "$T/expl$f.out" ||
        bad "$f: --measures person_times,amount changed the output"
done

note "同比 and 环比 by month (the account channel)"
# 2024-01 江苏: 2023-01 stored, nothing of 江苏 -> zero base; 2023-12 the
# same.  浙江: 1000 vs 1000 = 0.0 (持平); 11050 vs 10000 = 10.5; mom
# 1000 vs 800 = 25.0, 11050 vs 8000 = 38.125 -> 38.1.
# 2024-02 江苏: 150 vs 100 = 50.0; amount base 0.00 -> empty; mom 150 vs
# 300 = -50.0, 1500 vs 3000 = -50.0.  浙江: 1999 vs 2000 = -0.05 -> -0.1,
# 20010 vs 20000 = 0.05 -> 0.1; mom 1999 vs 1000 = 99.9, 20010 vs 11050 =
# 81.086 -> 81.1.
# 2024-03 浙江: 2023-03 not stored -> empty; mom 502 vs 1999 = -74.887 ->
# -74.9, 5010.05 vs 20010 = -74.962 -> -75.0.
q bymonth --period 2024-01..2024-03 --by period,province \
    --where channel=account --measures yoy,mom --format csv
want bymonth "period,province,yoy_person_times,yoy_amount,mom_person_times,mom_amount
2024-01,320000,,,,
2024-01,330000,0.0,10.5,25.0,38.1
2024-02,320000,50.0,,-50.0,-50.0
2024-02,330000,-0.1,0.1,99.9,81.1
2024-03,330000,,,-74.9,-75.0"

note "the same in json: null where undefined, rates as numbers"
q json --period 2024-02 --by province --where channel=account \
    --measures 人次同比,金额同比 --format json
want json '[
 {"province": "320000", "yoy_person_times": 50.0, "yoy_amount": null},
 {"province": "330000", "yoy_person_times": -0.1, "yoy_amount": 0.1}
]'

note "a table: 持平, —, the 合计 row against the total a year before"
# 合计: 1300 vs 1000 = 30.0; 14050 vs 10000 = 40.5
q table --period 2024-01 --by province --where channel=account \
    --measures person_times,同比
grep -q '人次同比  金额同比$' "$T/table.out" || bad "table: headings
$(cat "$T/table.out")"
grep -q '^江苏  *300  *— *—$' "$T/table.out" || bad "table: 江苏 —
$(cat "$T/table.out")"
grep -q '^浙江  *1000  *持平  *10.5%$' "$T/table.out" || bad "table: 浙江 持平
$(cat "$T/table.out")"
grep -q '^合计  *1300  *30.0%  *40.5%$' "$T/table.out" || bad "table: 合计
$(cat "$T/table.out")"

note "without period in --by: the range shifted back (12 months / its length)"
# yoy 2024-01..02 against 2023-01..02 (both stored): 江苏 450 vs 100 =
# 350.0, amount base 0; 浙江 2999 vs 3000 = -0.033 -> 0.0, 31060 vs 30000
# = 3.533 -> 3.5.  mom against 2023-11..2023-12: 2023-11 is not stored.
q range --period 2024-01..2024-02 --by province --where channel=account \
    --measures yoy,mom --format csv
want range "province,yoy_person_times,yoy_amount,mom_person_times,mom_amount
320000,350.0,,,
330000,0.0,3.5,,"
# mom 2024-02..03 against 2023-12..2024-01 (stored): 江苏 150 vs 300 =
# -50.0, 1500 vs 3000 = -50.0; 浙江 2501 vs 1800 = 38.944 -> 38.9,
# 25020.05 vs 19050 = 31.339 -> 31.3.  yoy: 2023-03 is missing.
q range2 --period 2024-02..2024-03 --by province --where channel=account \
    --measures 环比,同比 --format csv
want range2 "province,mom_person_times,mom_amount,yoy_person_times,yoy_amount
320000,-50.0,-50.0,,
330000,38.9,31.3,,"
# a --where on period moves with the range: 2024-02 of 2024-01..02 is
# compared with 2023-02 of 2023-01..02: 2149 vs 2100 = 2.333 -> 2.3;
# 21510 vs 20000 = 7.55 -> 7.6
q wper --period 2024-01..2024-02 --where period=2024-02 --where \
    channel=account --measures yoy --format csv
want wper "yoy_person_times,yoy_amount
2.3,7.6"

note "占比 of the raw total and 次均金额, .x5 rounding"
# 2024-03: same_area 500 / 5000.00, cross_area 2 / 10.05 of 502 / 5010.05:
# avg 10.00 and 5.025 -> 5.03; shares 99.60 -> 99.6, 99.799 -> 99.8,
# 0.398 -> 0.4, 0.2006 -> 0.2.
q share --period 2024-03 --by scope --measures avg,share --format csv
want share "scope,avg_amount,share_person_times,share_amount
same_area,10.00,99.6,99.8
cross_area,5.03,0.4,0.2"
# 2024-01 by channel: wallet 300 of 1600 = 18.75 -> 18.8 (account 81.25 ->
# 81.3: the rounded parts add to 100.1, each from the raw total); amounts
# 100.00 of 14150.00 = 0.707 -> 0.7, 99.293 -> 99.3.  avg per 笔 100/300 =
# 0.333 -> 0.33; the account 14050/1300 = 10.807 -> 10.81.
q chan --period 2024-01 --by channel --measures share,avg_amount --format csv
want chan "channel,share_person_times,share_amount,avg_amount
account,81.3,99.3,10.81
wallet,18.8,0.7,0.33"
# --top keeps the share of the whole total
q top --period 2024-01 --by channel --top 1 --measures share_person_times \
    --format csv
want top "channel,share_person_times
account,81.3"

note "the wallet: 笔, 笔均金额, 环比"
# 2024-02 against 2024-01: 450 vs 300 = 50.0; 90.00 vs 100.00 = -10.0;
# avg 90/450 = 0.20; no wallet a year before: —
q wallet --period 2024-02 --where channel=wallet \
    --measures person_times,avg_amount,mom,yoy
grep -q '共济笔数（笔）  笔均金额（元）  笔数环比  金额环比  笔数同比  金额同比$' \
    "$T/wallet.out" || bad "wallet headings
$(cat "$T/wallet.out")"
grep -q '^ *450  *0.20  *50.0%  *-10.0%  *—  *—$' "$T/wallet.out" ||
    bad "wallet row
$(cat "$T/wallet.out")"

note "all measures, json, a range with nothing a year before"
# 2024-03: 502 / 5010.05, avg 9.980 -> 9.98; 2024-02 of every channel and
# province: 2599 / 21600.00: -80.68 -> -80.7, -76.805 -> -76.8
q all --period 2024-03 --measures all --format json
want all '[
 {"person_times": 502, "amount": "5010.05", "avg_amount": "9.98", "share_person_times": 100.0, "share_amount": 100.0, "yoy_person_times": null, "yoy_amount": null, "mom_person_times": -80.7, "mom_amount": -76.8}
]'

note "bad --measures"
run m1 "$GONGJI" query --db d.db --period 2024-01 --measures amount,ratio
expect_rc m1 2
grep -q "'ratio' is not a measure" "$T/m1.err" || bad "m1: $(cat "$T/m1.err")"
run m2 "$GONGJI" query --db d.db --period 2024-01 --measures yoy,yoy_amount
expect_rc m2 2
grep -q "yoy_amount given twice" "$T/m2.err" || bad "m2: $(cat "$T/m2.err")"
run m3 "$GONGJI" query --db d.db --period 2024-01 --measures ''
expect_rc m3 2

note "bulletin placeholders share., avg., mom. (Jan-Feb 2024, worked out by hand)"
# account: 3449 人次 / 35560.00 (Feb alone 2149 / 21510.00, Jan 1300 /
# 14050.00); wallet 750笔 / 190.00 (Feb 450, Jan 300); all 4199 / 35750.00
printf '%s\n' '{share.wallet.count}|{share.acct.amount}|{share.acct.amount|d2}|{avg.acct}|{avg.wallet}|{mom.acct.amount}|{mom.acct.count}|{mom.wallet.count}' >t.tmpl
run tb "$GONGJI" bulletin --quiet --db d.db --period 2024-02 --allow-incomplete \
    --no-record --no-charts --template t.tmpl --out tb
expect_rc tb 0
# 750/4199 = 17.86%, 35560/35750 = 99.468%, 35560/3449 = 10.310,
# 190/750 = 0.253, 21510/14050 - 1 = 53.10%, 2149/1300 - 1 = 65.31%
[ "$(head -n 1 tb/bulletin.md)" = "17.9%|99.5%|99.47%|10.31元|0.25元|53.1%|65.3%|50.0%" ] ||
    bad "placeholders: $(head -n 1 tb/bulletin.md)"
grep -qx 'share.acct.amount,35560.00/35750.00' tb/figures.csv &&
    grep -qx 'mom.acct.amount,21510.00/14050.00' tb/figures.csv &&
    grep -qx 'avg.wallet,190.00/750' tb/figures.csv ||
    bad "figures.csv: $(cat tb/figures.csv)"

finish
