#!/bin/sh
# SPDX-License-Identifier: MIT
# Every published national release of shared/DOMAIN.md, reproduced as
# printed, each from the data as it stood on its date: the sample's
# arrival batches (data/sample/YYYY-MM-DD/) are ingested in order, and a
# release is written when the last batch before its date is in - so the
# restatements between releases (resubmitted months, stored as history)
# give each release its own figures.  Then: 山西's 1-7月 as a provincial
# bulletin, provincial bulletins that add up to the national one, and a
# store of the schema before channels that gives the same bulletin.
. "$(dirname "$0")/lib.sh"

S="$GONGJI_TOP/data/sample"
DB="$T/r.db"
[ -d "$S/2024-02-15" ] || fail "no arrival batches in $S"

# release PERIOD DATE: the bulletin as of DATE into $T/PERIOD
release() {
    run "rel-$1" "$GONGJI" bulletin --quiet --db "$DB" --period "$1" \
        --as-of "$2" --no-charts --out "$T/$1"
    expect_rc "rel-$1" 0
}

RELEASES="2024-07:2024-08-27 2024-09:2024-10-20 2024-10:2024-11-25
2024-11:2024-12-26 2024-12:2025-01-19 2025-02:2025-03-19 2025-04:2025-05-22
2025-05:2025-06-20 2025-06:2025-07-22 2025-07:2025-08-31 2025-12:2026-01-30"

note "ingest the arrival batches in order, each release on its date"
nb=0
for d in "$S"/*/; do
    b=$(basename "$d")
    for pair in $RELEASES; do
        p=${pair%%:*} dt=${pair#*:}
        if [ ! -d "$T/$p" ] && [ "$b" \> "$dt" ]; then
            release "$p" "$dt"
            [ "$p" = 2024-07 ] && {
                run sx "$GONGJI" bulletin --quiet --db "$DB" --period 2024-07 \
                    --as-of "$dt" --province 山西 --out "$T/sx"
                expect_rc sx 0
            }
        fi
    done
    "$GONGJI" ingest --quiet --db "$DB" "$d"*.csv 2>"$T/ing.err" ||
        fail "ingest $b: $(head -n 3 "$T/ing.err")"
    nb=$((nb + 1))
done
release 2025-12 2026-01-30
[ "$nb" -ge 24 ] || bad "only $nb batches"

# has PERIOD PHRASE...: each phrase is in that release's bulletin.md
has() {
    _p=$1
    shift
    for _w in "$@"; do
        grep -qF -- "$_w" "$T/$_p/bulletin.md" ||
            bad "$_p: bulletin.md lacks '$_w'"
    done
}

TOP_PT="共济人次居前五位的省份是浙江、江苏、广东、北京、上海"
note "2024年1-7月"
has 2024-07 "共济1.91亿人次" "共济金额227.38亿元" "1.80亿人次、208.32亿元" \
    "1095.83万人次、19.06亿元" "医疗机构共济212.39亿元" "药店共济9.67亿元" \
    "个人缴费3.77亿元" "$TOP_PT" "共济金额居前五位的省份是浙江、江苏、广东、北京、重庆"
grep -qF "全省职工医保个人账户共济156.19万人次，" "$T/sx/bulletin.md" &&
    grep -qF "；共济金额1.76亿元，" "$T/sx/bulletin.md" ||
    bad "山西 1-7月: $(grep 全省 "$T/sx/bulletin.md")"
note "2024年1-9月"
has 2024-09 "2.46亿人次，比1-8月增长0.28亿人次" "304.57亿元，比1-8月增长42亿元" \
    "2.31亿人次、275.59亿元" "1534.50万人次、28.98亿元" "273.18亿元" \
    "12.21亿元" "17.03亿元，比1-8月增长12.28亿元" "其他用途2.15亿元" "$TOP_PT" \
    "共济金额居前五位的省份是浙江、江苏、广东、北京、重庆"
note "2024年1-10月"
has 2024-10 "2.83亿人次，比1-9月增长0.37亿人次" \
    "369.08亿元，比1-9月增长64.51亿元" "2.63亿人次、329.75亿元" \
    "1976.29万人次、39.33亿元" "306.64亿元" "14.16亿元" \
    "44.54亿元，比1-9月增长27.51亿元" \
    "共济金额居前五位的省份是浙江、江苏、广东、北京、四川"
note "2024年1-11月 (premium of October restated since 1-10月)"
has 2024-11 "3.25亿人次，比1-10月增长0.42亿人次" \
    "444.53亿元，比1-10月增长75.45亿元" "3.00亿人次、393.17亿元" \
    "2536.01万人次、51.36亿元" "343.08亿元" "药店共济20.72亿元" \
    "74.80亿元，比1-10月增长30.21亿元" \
    "河北8.30亿元、河南7.66亿元、浙江4.86亿元、山东4.79亿元、湖南4.77亿元"
note "2024年1-12月 (pharmacy of November restated since 1-11月)"
has 2024-12 "3.71亿人次，比1-11月增长0.46亿人次" \
    "511.54亿元，比1-11月增长67.01亿元" "3.41亿人次、451.02亿元" \
    "3000.62万人次、60.52亿元" "381.40亿元" "药店共济19.22亿元" "101.16亿元" \
    "河北9.66亿元、河南9.42亿元、贵州7.49亿元、浙江6.66亿元、湖南5.96亿元" \
    "7695笔、367.44万元" "省内6592笔、322.41万元" "跨省1103笔、45.03万元"
note "2025年1-2月"
has 2025-02 "共济人次6052.23万，金额86.87亿元" \
    "共济6050.51万人次，共济金额86.75亿元" "5530.72万人次、77.22亿元" \
    "519.79万人次、9.53亿元" "75.29亿元" "4.43亿元" "6.49亿元" "共济1.72万笔" \
    "共济9679笔、724.22万元" "6590笔、488.05万元" "3089笔、236.17万元" \
    "就医购药2916笔、53.67万元" "缴纳居民医保19笔、8506元"
note "2025年1-4月, 1-5月, 1-6月"
has 2025-04 "共济人次1.33亿，金额177.92亿元" "共济金额177.59亿元" "金额3262.69万元"
has 2025-05 "共济人次1.67亿，金额220.26亿元" "共济金额219.82亿元" \
    "共济6.42万笔，金额4370.31万元"
has 2025-06 "共济人次2亿，金额261.77亿元" "共济金额261.07亿元" \
    "共济10.01万笔，金额6964.23万元"
note "2025年1-7月 (the wallet of 1-6月 restated since 1-6月)"
has 2025-07 "共济人次2.31亿，金额304.57亿元" "共济2.31亿人次，共济金额303.41亿元" \
    "2.12亿人次、269.94亿元" "1950.72万人次、33.47亿元" "274.87亿元" \
    "17.34亿元" "7.09亿元" "共济17.06万笔，金额11612.69万元" \
    "共济7.05万笔、4952.19万元" "3.83万笔、2743.13万元" "3.22万笔、2209.06万元" \
    "江苏（2839.81万人次）" "浙江（45.25亿元）"
note "2025年1-12月"
has 2025-12 "共济人次4.64亿，金额687.7亿元" "共济4.63亿人次，共济金额680.20亿元" \
    "4.21亿人次、600.82亿元" "4173.51万人次、79.38亿元" "488.38亿元" \
    "34.32亿元" "142.27亿元" "长期护理保险个人缴费0.76亿元" "其他用途14.48亿元" \
    "共济112.10万笔，金额7.50亿元" "64.88万笔、4.36亿元" "47.22万笔、3.14亿元" \
    "共济人次增长25.1%，金额增长34.4%"

note "the styles: 2025 text has no province top five, 2024 no wallet section"
! grep -q "居前五位" "$T/2025-12/bulletin.md" || bad "2025 style has top-five lists"
grep -q "比1-11月增长" "$T/2024-12/bulletin.md" || bad "2024 style lacks 增长"
! grep -q "增加" "$T/2024-12/bulletin.md" || bad "2024 style says 增加"

note "restatements are history: earlier versions kept, replaced"
run hist "$GONGJI" submissions --db "$DB" --history --format csv
expect_rc hist 0
for pair in 510000,2024-10 450000,2024-10 440000,2024-11 320000,2025-03; do
    n=$(grep -c ",${pair%,*},${pair#*,}," "$T/hist.out")
    [ "$n" -ge 2 ] || bad "$pair: $n version(s) in submissions --history"
done

note "provincial bulletins add up to the national one (figures.csv, exact)"
nat="$T/2025-12/figures.csv"
: >"$T/sum.csv"
tail -n +2 "$GONGJI_DATA/provinces.csv" | cut -d, -f1 | while read -r code; do
    "$GONGJI" bulletin --quiet --db "$DB" --period 2025-12 --as-of 2026-01-30 \
        --province "$code" --out "$T/p$code" ||
        fail "bulletin --province $code"
    cat "$T/p$code/figures.csv" >>"$T/sum.csv"
done
for f in all.count all.amount acct.count acct.amount wallet.count \
    wallet.amount acct.scope.cross_area.amount wallet.scope.cross_province.count \
    acct.use.ltc_premium.amount; do
    want=$(grep "^$f," "$nat" | cut -d, -f2)
    got=$(grep "^$f," "$T/sum.csv" | cut -d, -f2 |
        awk '{ split($1, a, "."); i += a[1]; c += a[2] }
             END { if ($0 ~ /\./) printf "%.0f.%02d", i + int(c / 100), c % 100;
                   else printf "%.0f", i }')
    [ -n "$want" ] && [ "$got" = "$want" ] ||
        bad "$f: provinces add to '$got', the nation is '$want'"
done
grep -q "共济人次最多的统筹区是" "$T/p330000/bulletin.md" ||
    bad "a provincial bulletin does not rank its pooling areas"
grep -q "^# 浙江省职工医保个人账户共济情况" "$T/p330000/bulletin.md" ||
    bad "provincial title: $(head -n 1 "$T/p330000/bulletin.md")"
# its attachment: the province, then one row per pooling area
unzip -p "$T/p330000/attachment.xlsx" xl/sharedStrings.xml >"$T/pss.xml" ||
    fail "unzip the provincial attachment"
for w in "附件 2025年1-12月浙江省各统筹区职工医保个人账户共济情况" 浙江省 杭州市 \
    宁波市 温州市; do
    grep -qF "$w" "$T/pss.xml" || bad "provincial attachment lacks '$w'"
done

note "a store of schema 3 (before channels) gives the same bulletin"
DB3="$T/v3.db"
for d in "$S"/2024-0*/ "$S"/2024-10-15/; do
    "$GONGJI" ingest --quiet --db "$DB3" "$d"*.csv || fail "ingest $d"
done
"$GONGJI" bulletin --quiet --db "$DB3" --period 2024-09 --as-of 2024-10-20 \
    --no-charts --out "$T/v4out" || fail "bulletin from the new store"
sqlite3 "$DB3" "
CREATE TABLE f3 (period TEXT NOT NULL, province INTEGER NOT NULL,
  area INTEGER NOT NULL, scope TEXT NOT NULL, use TEXT NOT NULL,
  relation TEXT NOT NULL,
  person_times INTEGER NOT NULL CHECK (person_times >= 0),
  amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
  submission_id INTEGER NOT NULL REFERENCES submission(id),
  source_line INTEGER NOT NULL,
  PRIMARY KEY (period, area, scope, use, relation)) WITHOUT ROWID;
INSERT INTO f3 SELECT period, province, area, scope, use, relation,
  person_times, amount_fen, submission_id, source_line FROM fact;
DROP TABLE fact; ALTER TABLE f3 RENAME TO fact;
CREATE INDEX fact_province ON fact(province, period);
ALTER TABLE fact_history DROP COLUMN channel;
DROP TABLE release_figure; DROP TABLE release;
DROP INDEX IF EXISTS fact_history_replaced;
UPDATE meta SET value = '3' WHERE key = 'schema_version';" ||
    fail "cannot make a schema-3 store"
"$GONGJI" bulletin --quiet --db "$DB3" --period 2024-09 --as-of 2024-10-20 \
    --no-charts --out "$T/v3out" || bad "bulletin from a schema-3 store"
cmp -s "$T/v4out/bulletin.md" "$T/v3out/bulletin.md" ||
    bad "the schema-3 store gives another bulletin"
[ "$(sqlite3 "$DB3" "SELECT value FROM meta WHERE key = 'schema_version'")" = 6 ] ||
    bad "the schema-3 store was not migrated"

finish
