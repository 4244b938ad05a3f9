#!/bin/sh
# SPDX-License-Identifier: MIT
# The channel dimension (account 即时调用 / wallet 医保钱包) end to end:
#  - summary files with a channel column (English, Chinese, 共济方式, codes
#    in upper case, .xlsx) and without one (all account) store exact sums,
#    queried by channel, scope and use and filtered by coarse values
#    (省内 = 同一统筹区 + 省内跨统筹区 + unsplit 省内, 就医购药);
#  - 合计 rows per channel and over all channels are checked, not stored;
#  - a coarse row beside its parts: a subtotal (skipped) or an error;
#  - a bad or blank channel is an error at FILE:LINE:COL, nothing stored;
#  - a resubmission dropping the wallet's rows is refused as lost keys;
#  - detail files with a channel column (wallet transfers count 1 each);
#  - a query table counts the wallet in 笔 and notes a mix;
#  - a version-3 store is migrated by a writer and read as account by a
#    reader that cannot write.
. "$(dirname "$0")/lib.sh"

P=2025-01
Q() { "$GONGJI" query --db "$1" --period $P --format csv "$@"; }
# q NAME DB ARGS...: the csv query into $T/NAME.out, which must succeed
q() {
    _qn=$1
    _qdb=$2
    shift 2
    run "$_qn" "$GONGJI" query --db "$_qdb" --period $P --format csv "$@"
    expect_rc "$_qn" 0
}
# want NAME TEXT: $T/NAME.out must be TEXT
want() {
    [ "$(cat "$T/$1.out")" = "$2" ] ||
        bad "$1: got
$(cat "$T/$1.out")
expected
$2"
}

note "summary files with and without a channel column"
cat >a.csv <<'EOF'
period,area,channel,scope,use,relation,person_times,amount
2025-01,330100,account,same_area,medical,spouse,100,1000.00
2025-01,330100,account,cross_area,pharmacy,parent,20,200.50
2025-01,330100,wallet,in_province,medical_pharmacy,spouse,7,70.00
2025-01,330100,wallet,cross_province,premium,child,3,30.00
2025-01,330100,wallet,合计,,,10,100.00
2025-01,330100,account,合计,,,120,1200.50
2025-01,330100,,合计,,,130,1300.50
EOF
cat >b.csv <<'EOF'
统计期,统筹区编码,渠道,共济范围,共济用途,共济人次,共济金额
2025年1月,320100,即时调用,同一统筹区,定点医疗机构,50,500.00
2025年1月,320100,即时调用,省内跨统筹区,定点零售药店,5,5.05
2025年1月,320100,医保钱包,省内,就医购药,4,40.00
2025年1月,320100,医保钱包,跨省,缴纳居民医保,2,2.00
EOF
cat >c.csv <<'EOF'
period,area,共济方式,scope,use,person_times,amount
2025-01,110100,WALLET,IN_PROVINCE,MEDICAL_PHARMACY,1,1.00
2025-01,110100,ACCOUNT,SAME_AREA,MEDICAL,9,9.00
2025-01,110100,wallet,省内,缴纳居民医保,1,0.50
EOF
cat >d.csv <<'EOF'
period,area,scope,use,relation,person_times,amount
2025-01,310100,same_area,medical,spouse,8,8.00
2025-01,310100,in_province,other,spouse,2,2.00
EOF
DB=$T/ch.db
run ing "$GONGJI" ingest --db "$DB" a.csv b.csv c.csv d.csv
expect_rc ing 0
grep -q 'row(s) marked 合计/小计/总计 equal the sum' "$T/ing.err" ||
    bad "the 合计 rows of a.csv were not reported as checked: $(cat "$T/ing.err")"

q bych "$DB" --by channel
want bych "channel,person_times,amount
account,194,1724.55
wallet,18,143.50"
q bycsu "$DB" --by channel,scope,use
want bycsu "channel,scope,use,person_times,amount
account,same_area,medical,167,1517.00
account,cross_area,pharmacy,25,205.55
account,in_province,other,2,2.00
wallet,in_province,medical_pharmacy,12,111.00
wallet,in_province,premium,1,0.50
wallet,cross_province,premium,5,32.00"
q wallet "$DB" --where channel=wallet
want wallet "person_times,amount
18,143.50"
q wallet_zh "$DB" --where channel=医保钱包 --by area
want wallet_zh "area,person_times,amount
110100,2,1.50
320100,6,42.00
330100,10,100.00"
q inprov "$DB" --where scope=省内
want inprov "person_times,amount
207,1836.05"
q inprov_by "$DB" --where scope=in_province --by scope
want inprov_by "scope,person_times,amount
same_area,167,1517.00
cross_area,25,205.55
in_province,15,113.50"
q medph "$DB" --where use=就医购药
want medph "person_times,amount
204,1833.55"
q wprov "$DB" --where channel=wallet --where scope=省内
want wprov "person_times,amount
13,111.50"
q nochan "$DB" --where area=310100 --by channel
want nochan "channel,person_times,amount
account,10,10.00"

note "the same files as .xlsx"
XL="$GONGJI_BUILD/tests/gen_csv2xlsx"
if [ -x "$XL" ]; then
    for f in a b c d; do
        "$XL" $f.csv $f.xlsx || fail "gen_csv2xlsx $f.csv"
    done
    run ingx "$GONGJI" ingest --db "$T/x.db" a.xlsx b.xlsx c.xlsx d.xlsx
    expect_rc ingx 0
    q xbycsu "$T/x.db" --by channel,scope,use
    cmp -s "$T/bycsu.out" "$T/xbycsu.out" ||
        bad "the .xlsx files store other figures: $(diff "$T/bycsu.out" "$T/xbycsu.out")"
else
    note "no $XL: .xlsx skipped"
fi

note "query tables: 笔 for the wallet, a note for a mix"
run tw "$GONGJI" query --db "$DB" --period $P --where channel=wallet
expect_rc tw 0
grep -q '单位：笔、元' "$T/tw.out" || bad "wallet table unit line: $(head -n 1 "$T/tw.out")"
grep -q '共济笔数（笔）' "$T/tw.out" || bad "wallet table heading: $(cat "$T/tw.out")"
grep -q '人次\|注：' "$T/tw.out" && bad "wallet table says 人次: $(cat "$T/tw.out")"
run tb "$GONGJI" query --db "$DB" --period $P --by channel
expect_rc tb 0
grep -q '共济人次（人次）' "$T/tb.out" || bad "mixed table heading: $(cat "$T/tb.out")"
[ "$(tail -n 1 "$T/tb.out")" = "注：共济人次含医保钱包转账笔数。" ] ||
    bad "mixed table: no note under it: $(cat "$T/tb.out")"
run ta "$GONGJI" query --db "$DB" --period $P --where area=310100
expect_rc ta 0
grep -q '注：\|笔' "$T/ta.out" && bad "account table mentions 笔: $(cat "$T/ta.out")"
run tj "$GONGJI" query --db "$DB" --period $P --where channel=wallet --format json
expect_rc tj 0
grep -q '"person_times": 18, "amount": "143.50"' "$T/tj.out" ||
    bad "json of the wallet: $(cat "$T/tj.out")"

note "bad and blank channels, wrong totals: errors, nothing stored"
snapshot "$DB" before.snap
printf 'period,area,channel,scope,use,person_times,amount\n2025-01,330100,paypal,same_area,medical,1,1.00\n' >bad1.csv
run bad1 "$GONGJI" ingest --db "$DB" bad1.csv
expect_rc bad1 1
grep -q "^bad1.csv:2:3: error: channel 'paypal' is not a known value" "$T/bad1.err" ||
    bad "bad channel: $(cat "$T/bad1.err")"
printf 'period,area,channel,scope,use,person_times,amount\n2025-01,330100,wallet,same_area,medical,1,1.00\n2025-01,330100,,same_area,medical,1,1.00\n' >bad2.csv
run bad2 "$GONGJI" ingest --db "$DB" bad2.csv
expect_rc bad2 1
grep -q "^bad2.csv:3:3: error: channel .* is not a known value" "$T/bad2.err" ||
    bad "blank channel: $(cat "$T/bad2.err")"
sed 's/^2025-01,330100,wallet,合计,,,10,100.00$/2025-01,330100,wallet,合计,,,11,100.00/' a.csv >bad3.csv
run bad3 "$GONGJI" ingest --db "$DB" bad3.csv
expect_rc bad3 1
grep -q "^bad3.csv:6:7: error: total row (2025-01, 330100, wallet, all scopes, all uses, all relations) says person_times 11, but the 2 rows it totals (lines 4 to 5) sum to 10" "$T/bad3.err" ||
    bad "wrong wallet 合计: $(cat "$T/bad3.err")"
snapshot "$DB" after.snap
cmp -s before.snap after.snap || bad "a rejected file changed the store"

note "a coarse row beside its parts"
cat >sub.csv <<'EOF'
period,area,channel,scope,use,person_times,amount
2025-02,330100,account,same_area,medical,10,10.00
2025-02,330100,account,cross_area,medical,2,1.50
2025-02,330100,account,省内,medical,12,11.50
2025-02,330100,wallet,省内,medical,3,3.00
EOF
run sub "$GONGJI" ingest --db "$T/sub.db" sub.csv
expect_rc sub 0
grep -q '^sub.csv:4:4: warning: 1 coarse row(s) .* skipped, not stored (line 4)' "$T/sub.err" ||
    bad "coarse subtotal: $(cat "$T/sub.err")"
run subq "$GONGJI" query --db "$T/sub.db" --period 2025-02 --format csv --by channel,scope
expect_rc subq 0
want subq "channel,scope,person_times,amount
account,same_area,10,10.00
account,cross_area,2,1.50
wallet,in_province,3,3.00"
sed 's/^2025-02,330100,account,省内,medical,12,11.50$/2025-02,330100,account,省内,medical,5,5.00/' sub.csv >rest.csv
run rest "$GONGJI" ingest --db "$T/rest.db" rest.csv
expect_rc rest 1
grep -q '^rest.csv:4:4: error: 省内 row beside 同一统筹区/省内跨统筹区 rows of the same key (line 2 on): as their subtotal it would be 12人次/11.50元, but it is 5人次/5.00元; as an unsplit rest it would be counted on top of them' "$T/rest.err" ||
    bad "ambiguous coarse row: $(cat "$T/rest.err")"
[ -e "$T/rest.db" ] && [ "$(total "$T/rest.db")" != "0,0.00" ] &&
    bad "the ambiguous file was stored"

note "a resubmission without the wallet's rows: refused, then --replace"
# leaving the wallet out drops a whole channel of the province-month:
# refused like a lost area, nothing stored
cp "$DB" lost.db || fail "cp"
snapshot lost.db lost0.snap
grep -v ',wallet,' a.csv | grep -v ',,合计,' >a2.csv
run lost0 "$GONGJI" ingest --db lost.db a2.csv
expect_rc lost0 1
grep -q '^a2.csv: error: 330000 浙江 2025-01: the file has no row of channel 医保钱包, which the version from a.csv holds (10 笔, 100.00 yuan): storing it would drop that channel of the province-month$' "$T/lost0.err" ||
    bad "dropped channel not refused: $(cat "$T/lost0.err")"
grep -q 'add --replace' "$T/lost0.err" || bad "no way on: $(cat "$T/lost0.err")"
snapshot lost.db lost1.snap
cmp -s lost0.snap lost1.snap || bad "the refused file changed the store"
# ... stored when asked for, the keys counted
run lost "$GONGJI" ingest --replace --db lost.db a2.csv
expect_rc lost 0
grep -q 'drops 0 area(s) and 2 key(s): 2 row(s), 10 person-times, 100.00 yuan' "$T/lost.out" ||
    bad "dropped wallet keys not counted: $(cat "$T/lost.out")"
q lostq lost.db --where area=330100 --by channel
want lostq "channel,person_times,amount
account,120,1200.50"
# ... and with an area dropped too: refused, every lost key listed
cat >e.csv <<'EOF'
period,area,channel,scope,use,person_times,amount
2025-01,440100,account,same_area,medical,5,5.00
2025-01,440100,wallet,in_province,medical_pharmacy,2,2.00
2025-01,440100,wallet,cross_province,premium,1,1.00
2025-01,440300,account,same_area,medical,4,4.00
EOF
run inge "$GONGJI" ingest --db "$DB" e.csv
expect_rc inge 0
snapshot "$DB" before2.snap
head -n 2 e.csv >e2.csv
run lost2 "$GONGJI" ingest --db "$DB" e2.csv
expect_rc lost2 1
grep -q 'lost area 440300' "$T/lost2.err" || bad "lost area not listed: $(cat "$T/lost2.err")"
grep -q '^  lost key  440100 wallet in_province medical_pharmacy unspecified: 2 person-times, 2.00 yuan, from e.csv' "$T/lost2.err" ||
    bad "lost wallet key not listed: $(cat "$T/lost2.err")"
grep -q '^  lost key  440100 wallet cross_province premium unspecified: 1 person-times' "$T/lost2.err" ||
    bad "lost wallet key (cross_province) not listed"
snapshot "$DB" after2.snap
cmp -s before2.snap after2.snap || bad "a refused resubmission changed the store"

note "detail files with a channel column"
cat >det.csv <<'EOF'
settlement_id,settle_time,payer_area,beneficiary_area,use,relation,amount,payer_id,beneficiary_id,channel
1,2025-01-03 10:00:00,330100,330100,medical,spouse,10.00,X1,Y1,wallet
2,2025-01-04 10:00:00,330100,330100,medical,spouse,5.00,X2,Y2,医保钱包
3,2025-01-05 10:00:00,330100,110100,premium,child,5.00,X1,Y3,wallet
4,2025-01-05 11:00:00,330100,330200,medical,spouse,1.00,X1,Y1,account
5,2025-01-06 11:00:00,330100,330100,medical,spouse,2.00,X4,Y4,即时调用
EOF
run agg "$GONGJI" aggregate det.csv
expect_rc agg 0
want agg "period,area,channel,scope,use,relation,person_times,amount
2025-01,330100,account,same_area,medical,spouse,1,2.00
2025-01,330100,account,cross_area,medical,spouse,1,1.00
2025-01,330100,wallet,same_area,medical,spouse,2,15.00
2025-01,330100,wallet,cross_province,premium,child,1,5.00"
run ingd "$GONGJI" ingest --db "$T/det.db" det.csv
expect_rc ingd 0
q detq "$T/det.db" --by channel
want detq "channel,person_times,amount
account,2,3.00
wallet,3,20.00"
# the aggregate is valid input and stores the same
run ingagg "$GONGJI" ingest --db "$T/agg.db" "$T/agg.out"
expect_rc ingagg 0
q aggq "$T/agg.db" --by channel
cmp -s "$T/detq.out" "$T/aggq.out" || bad "the aggregate stores other figures"
sed 's/,X4,Y4,即时调用$/,X4,Y4,支付宝/' det.csv >detbad.csv
run detbad "$GONGJI" ingest --db "$T/detbad.db" detbad.csv
expect_rc detbad 1
grep -q "^detbad.csv:6:10: error: channel '支付宝' is not a known value" "$T/detbad.err" ||
    bad "unknown detail channel: $(cat "$T/detbad.err")"
grep -q 'X4\|Y4' "$T/detbad.err" && bad "an ID was echoed: $(cat "$T/detbad.err")"

note "months without anything stored are named on stderr"
run empty "$GONGJI" query --db "$DB" --period 2024-11..2025-02 --format csv
expect_rc empty 0
grep -qx 'gongji query: warning: nothing is stored for 3 of the 4 month(s) of --period: 2024-11..2024-12, 2025-02' "$T/empty.err" ||
    bad "empty months: $(cat "$T/empty.err")"
run full "$GONGJI" query --db "$DB" --period 2025-01 --format csv
expect_rc full 0
[ -s "$T/full.err" ] && bad "a covered month warns: $(cat "$T/full.err")"

note "a version-3 store"
cp "$DB" v3.db || fail "cp"
sqlite3 v3.db <<'EOF' || fail "sqlite3: making a v3 store"
BEGIN;
DELETE FROM fact WHERE channel <> 'account';
CREATE TABLE fact_v3 (
  period TEXT NOT NULL,
  province INTEGER NOT NULL,
  area INTEGER NOT NULL,
  scope TEXT NOT NULL,
  use TEXT NOT NULL,
  relation TEXT NOT NULL,
  person_times INTEGER NOT NULL CHECK (person_times >= 0),
  amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
  submission_id INTEGER NOT NULL REFERENCES submission(id),
  source_line INTEGER NOT NULL,
  PRIMARY KEY (period, area, scope, use, relation)) WITHOUT ROWID;
INSERT INTO fact_v3 SELECT period, province, area, scope, use, relation,
  person_times, amount_fen, submission_id, source_line FROM fact;
DROP TABLE fact;
ALTER TABLE fact_v3 RENAME TO fact;
CREATE INDEX fact_province ON fact(province, period);
CREATE TABLE fact_history_v3 (
  period TEXT NOT NULL,
  province INTEGER NOT NULL,
  area INTEGER NOT NULL,
  scope TEXT NOT NULL,
  use TEXT NOT NULL,
  relation TEXT NOT NULL,
  person_times INTEGER NOT NULL,
  amount_fen INTEGER NOT NULL,
  submission_id INTEGER NOT NULL REFERENCES submission(id),
  source_line INTEGER NOT NULL,
  replaced_by INTEGER NOT NULL REFERENCES submission(id));
INSERT INTO fact_history_v3 SELECT period, province, area, scope, use,
  relation, person_times, amount_fen, submission_id, source_line,
  replaced_by FROM fact_history;
DROP TABLE fact_history;
ALTER TABLE fact_history_v3 RENAME TO fact_history;
CREATE INDEX fact_history_sub ON fact_history(submission_id);
DROP TABLE release_figure; DROP TABLE release;
UPDATE meta SET value = '3' WHERE key = 'schema_version';
COMMIT;
EOF
[ "$(sqlite3 v3.db "SELECT value FROM meta WHERE key = 'schema_version'")" = 3 ] ||
    fail "v3.db: schema_version not 3"
# e.csv added 440100 and 440300: 9 person-times, 9.00 yuan more
ACCT="channel,scope,use,person_times,amount
account,same_area,medical,176,1526.00
account,cross_area,pharmacy,25,205.55
account,in_province,other,2,2.00"
mkdir ro && cp v3.db ro/v3.db || fail "cp ro"
q v3q v3.db --by channel,scope,use
want v3q "$ACCT"
[ "$(sqlite3 v3.db "SELECT value FROM meta WHERE key = 'schema_version'")" = 6 ] ||
    bad "query did not migrate the writable v3 store"
sqlite3 v3.db 'SELECT DISTINCT channel FROM fact' >v3chan.txt
[ "$(cat v3chan.txt)" = account ] || bad "migrated facts: channel $(cat v3chan.txt)"
q v3w v3.db --where channel=wallet
want v3w "person_times,amount"

chmod 444 ro/v3.db && chmod 555 ro || fail "chmod"
if [ "$(id -u)" != 0 ]; then
    AS=
elif command -v setpriv >/dev/null 2>&1 &&
    setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
    AS="setpriv --reuid=65534 --regid=65534 --clear-groups"
else
    AS=none
fi
chmod 755 "$T"
if [ "$AS" != none ] && ! $AS test -r "$GONGJI_DATA/provinces.csv" -a -x "$GONGJI" -a -r ro/v3.db; then
    AS=none
fi
if [ "$AS" = none ]; then
    note "skipped: cannot run as a user without write access here"
else
    run roq $AS "$GONGJI" query --db ro/v3.db --period $P --format csv --by channel,scope,use
    expect_rc roq 0
    want roq "$ACCT"
    run roqw $AS "$GONGJI" query --db ro/v3.db --period $P --format csv --where channel=account --by channel
    expect_rc roqw 0
    want roqw "channel,person_times,amount
account,203,1733.55"
    run rot $AS "$GONGJI" query --db ro/v3.db --period $P
    expect_rc rot 0
    grep -q '笔\|注：' "$T/rot.out" && bad "read-only v3 table mentions 笔"
    [ "$(sqlite3 -readonly ro/v3.db "SELECT value FROM meta WHERE key = 'schema_version'")" = 3 ] ||
        bad "the read-only v3 store was changed"
fi
chmod -R u+w ro

finish
