#!/bin/sh
# SPDX-License-Identifier: MIT
# One way in: an input is read once, whatever it is - a regular file, a
# pipe by name (what `gongji check <(cat f.csv)` passes), standard input
# ('-'), a FIFO - and gives the same rows and totals.  And the shipped
# vocabulary (data/columns.csv, data/values.csv) extended by a user is
# honoured by both kinds of file.
. "$(dirname "$0")/lib.sh"

# A summary file larger than the 64 KiB read to tell the kind of a file:
# 2 areas x 12 months x 3 scopes x 4 uses x 7 relations = 2016 rows.
awk 'BEGIN {
    print "统计期,统筹区编码,统筹区名称,共济范围,共济用途,共济关系,共济人次,共济金额(元)"
    split("同一统筹区 省内跨统筹区 跨省", s, " ")
    split("定点医疗机构 定点零售药店 参加居民医保等个人缴费 其他", u, " ")
    split("配偶 父母 子女 兄弟姐妹 祖父母/外祖父母 孙子女/外孙子女 未区分", r, " ")
    k = 0
    for (a = 0; a < 2; a++) for (m = 1; m <= 12; m++)
    for (i = 1; i <= 3; i++) for (j = 1; j <= 4; j++) for (l = 1; l <= 7; l++) {
        k++
        printf "2024年%d月,%s,某统筹区,%s,%s,%s,%d,%d.%02d\n", m,
            a ? "120100" : "110100", s[i], u[j], r[l], k, k, k % 100
    }
}' >"$T/big.csv"
[ "$(wc -c <"$T/big.csv")" -gt 65536 ] || fail "big.csv is not over 64 KiB"
# sums: person_times 1..2016, amount k yuan k%100 fen
WANT=$(awk 'BEGIN { for (k = 1; k <= 2016; k++) { p += k; f += k * 100 + k % 100 }
    printf "%d,%d.%02d\n", p, f / 100, f % 100 }')

note "reference: a regular file"
run ref "$GONGJI" ingest --db "$T/ref.db" "$T/big.csv"
expect_rc ref 0
[ "$(total "$T/ref.db")" = "$WANT" ] || fail "regular file: total $(total "$T/ref.db"), expected $WANT"

note "a pipe by name"
cat "$T/big.csv" | "$GONGJI" check /dev/fd/0 >"$T/p.out" 2>"$T/p.err"
rc=$?
expect_rc p 0
grep -q "2016 rows" "$T/p.out" || bad "check /dev/fd/0 (pipe): $(cat "$T/p.out")"

note "bash process substitution, as a user types it"
if command -v bash >/dev/null 2>&1; then
    largest=$(ls -S "$SAMPLE"/*/*.csv | head -n 1)
    bash -c '"$1" check <(cat "$2") && "$1" check <(cat "$3")' _ "$GONGJI" \
        "$largest" "$T/big.csv" >"$T/ps.out" 2>"$T/ps.err"
    rc=$?
    expect_rc ps 0
    [ "$(grep -c '^ok ' "$T/ps.out")" = 2 ] || bad "check <(cat f): $(cat "$T/ps.out")"
fi

note "standard input"
cat "$T/big.csv" | "$GONGJI" ingest --db "$T/stdin.db" - >"$T/s.out" 2>"$T/s.err"
rc=$?
expect_rc s 0
grep -q "<stdin>: 2016 rows" "$T/s.out" || bad "ingest -: $(cat "$T/s.out")"
[ "$(total "$T/stdin.db")" = "$WANT" ] || bad "ingest -: total $(total "$T/stdin.db"), expected $WANT"
sha_file=$(sha256sum <"$T/big.csv" | cut -c1-12)
"$GONGJI" submissions --db "$T/stdin.db" | grep -q "$sha_file" ||
    bad "ingest -: the stored SHA-256 is not the input's ($sha_file)"

note "'-' twice is a usage error"
run twice "$GONGJI" check - - </dev/null
[ "$rc" = 2 ] || bad "check - -: exit $rc, expected 2"
grep -q "given twice" "$T/twice.err" || bad "check - -: $(cat "$T/twice.err")"

note "a FIFO"
mkfifo "$T/fifo" || skip "mkfifo failed"
cat "$T/big.csv" >"$T/fifo" &
run f "$GONGJI" ingest --db "$T/fifo.db" "$T/fifo"
wait
expect_rc f 0
[ "$(total "$T/fifo.db")" = "$WANT" ] || bad "FIFO: total $(total "$T/fifo.db"), expected $WANT"

note "a pipe with a bad row past the first 64 KiB: reported at its line"
{ cat "$T/big.csv"; echo "2024年1月,110100,某统筹区,跨省,其他,配偶,x,1.00"; } |
    "$GONGJI" check /dev/fd/0 >"$T/b.out" 2>"$T/b.err"
rc=$?
expect_rc b 1
grep -q '^/dev/fd/0:2018:7: error' "$T/b.err" || bad "bad row in a pipe: $(head -n 3 "$T/b.err")"

note "the vocabulary, extended by a user, serves both kinds of file"
cp -r "$GONGJI_DATA" "$T/data"
echo "amount,共济支付金额" >>"$T/data/columns.csv"
echo "use,medical,卫生院" >>"$T/data/values.csv"
cat >"$T/sum.csv" <<'CSV'
统计期,统筹区编码,共济范围,共济用途,共济人次,共济支付金额(元)
2024-05,330100,同一统筹区,卫生院,3,30.00
CSV
cat >"$T/det.csv" <<'CSV'
结算编号,结算时间,共济人统筹区,被共济人统筹区,共济用途,共济关系,共济支付金额
S1,2024-05-01 08:00:00,330100,330100,卫生院,配偶,10.00
S2,2024-05-02 08:00:00,330100,330100,卫生院,配偶,15.00
S3,2024-05-03 08:00:00,330100,330100,卫生院,配偶,5.00
CSV
for f in sum det; do
    run shipped "$GONGJI" check "$T/$f.csv"
    [ "$rc" = 1 ] || bad "$f.csv with the shipped tables: exit $rc, expected 1"
    GONGJI_DATA="$T/data" "$GONGJI" aggregate "$T/$f.csv" >"$T/$f.out" 2>"$T/$f.err"
    rc=$?
    expect_rc "$f" 0
    grep -qx '2024-05,330100,same_area,medical,\(spouse\|unspecified\),3,30.00' "$T/$f.out" ||
        bad "$f.csv with the extended tables: $(cat "$T/$f.out")"
done
note "a header in 万元: a summary file's values are read exactly as 万元, a detail file is refused"
sed 's/共济支付金额(元)/共济金额(万元)/; s/卫生院/定点医疗机构/' "$T/sum.csv" >"$T/wan-sum.csv"
sed 's/共济支付金额/共济金额（万元）/; s/卫生院/定点医疗机构/' "$T/det.csv" >"$T/wan-det.csv"
run wan-sum "$GONGJI" ingest --db "$T/wan.db" "$T/wan-sum.csv"
expect_rc wan-sum 0
[ "$(total "$T/wan.db")" = "3,300000.00" ] ||
    bad "30.00 万元 stored as $(total "$T/wan.db"), expected 300000.00 yuan"
run wan-det "$GONGJI" ingest --db "$T/wan-det.db" "$T/wan-det.csv"
expect_rc wan-det 1
grep -q "wan-det.csv:1:7: error: column .*is in 万元: a detail file's amount is read in 元 only" "$T/wan-det.err" ||
    bad "wan-det.csv: $(head -n 3 "$T/wan-det.err")"
[ ! -e "$T/wan-det.db" ] || [ "$(total "$T/wan-det.db")" = "0,0.00" ] ||
    bad "a 万元 detail file stored something"
finish
