#!/bin/sh
# SPDX-License-Identifier: MIT
# The wallet chart (医保钱包 by month, stacked 省内 / 跨省): `gongji chart
# --kind wallet` from summary files with a channel column, its data exact
# and equal to `gongji query`, counts labelled 笔; the bulletin draws
# charts/wallet.* only when the period has wallet data; hostile names and
# titles run nothing.
. "$(dirname "$0")/lib.sh"

command -v gnuplot >/dev/null 2>&1 ||
    skip "gnuplot is not installed (scripts/setup-deps.sh installs gnuplot-nox)"
for p in pdftoppm pdftocairo pdftotext; do
    command -v $p >/dev/null 2>&1 ||
        skip "$p is not installed (scripts/setup-deps.sh installs poppler-utils)"
done

DB="$T/w.db"
KEEP="$T/keep"
mkdir -p "$KEEP" "$T/tmp" "$T/out" "$T/in"
export TMPDIR="$T/tmp"

H='period,area,channel,scope,use,person_times,amount'
# 浙江: both channels in January and February; March only the account
cat >"$T/in/330000_2025-01.csv" <<CSV
$H
2025-01,330100,account,same_area,medical,1000,20000.00
2025-01,330100,wallet,in_province,medical_pharmacy,120,3400.50
2025-01,330100,wallet,cross_province,medical_pharmacy,30,900.25
2025-01,330200,wallet,in_province,premium,5,150.00
CSV
cat >"$T/in/330000_2025-02.csv" <<CSV
$H
2025-02,330100,account,cross_area,medical,2000,40000.00
2025-02,330100,wallet,in_province,medical_pharmacy,6590,4880500.00
2025-02,330100,wallet,cross_province,premium,3089,2361700.00
CSV
cat >"$T/in/330000_2025-03.csv" <<CSV
$H
2025-03,330100,account,same_area,pharmacy,700,7000.00
CSV
# 江苏: only 跨省 through the wallet, in March
cat >"$T/in/320000_2025-03.csv" <<CSV
$H
2025-03,320100,account,same_area,medical,10,100.00
2025-03,320100,wallet,cross_province,medical_pharmacy,7,70.07
CSV
run ingest "$GONGJI" ingest --db "$DB" "$T"/in/*.csv
expect_rc ingest 0

chart() {
    _n=$1
    shift
    run "$_n" env GONGJI_KEEP_PLOT_DATA="$KEEP" "$GONGJI" chart --db "$DB" "$@"
}

note "gongji chart --kind wallet: PNG, PDF and SVG"
for fmt in png pdf svg; do
    chart w-$fmt --kind wallet --period 2025-01..2025-03 --out "$T/out/w.$fmt"
    expect_rc w-$fmt 0
    [ -s "$T/out/w.$fmt" ] || fail "wallet.$fmt: not written"
done
sz=$(wc -c <"$T/out/w.png")
[ "$sz" -gt 20000 ] || bad "wallet.png: only $sz bytes"
case $(od -An -tx1 -N 8 "$T/out/w.png" | tr -d ' \n') in
89504e470d0a1a0a) ;;
*) bad "wallet.png is not a PNG" ;;
esac

note "the data are exact: 省内 and 跨省 by month, the total on top"
cat >"$T/want.tsv" <<'TSV'
period	label	person_times	amount	in_province_person_times	in_province_amount	cross_province_person_times	cross_province_amount	end1	end2	value
2025-01	1月	155	4450.75	125	3550.50	30	900.25	125	155	155
2025-02	2月	9679	7242200.00	6590	4880500.00	3089	2361700.00	6590	9679	9679
2025-03	3月	7	70.07	0	0.00	7	70.07	0	7	7
TSV
diff "$T/want.tsv" "$KEEP/w.tsv" >"$T/d.txt" ||
    bad "wallet data file differs: $(cat "$T/d.txt")"

note "and equal gongji query (channel=wallet, by period and scope)"
run q "$GONGJI" query --db "$DB" --period 2025-01..2025-03 --by period,scope \
    --where channel=wallet --format csv
expect_rc q 0
tail -n +2 "$T/q.out" | LC_ALL=C sort >"$T/q.rows"
awk -F'\t' 'NR > 1 {
        if ($5 != 0 || $6 != "0.00") print $1 ",in_province," $5 "," $6
        if ($7 != 0 || $8 != "0.00") print $1 ",cross_province," $7 "," $8
    }' "$KEEP/w.tsv" | LC_ALL=C sort >"$T/c.rows"
cmp -s "$T/q.rows" "$T/c.rows" ||
    bad "wallet data and query differ: $(diff "$T/q.rows" "$T/c.rows")"

note "amounts, labels in 笔 not 人次, the legend"
chart wa --kind wallet --metric amount --period 2025-01..2025-03 \
    --out "$T/out/wa.pdf"
expect_rc wa 0
awk -F'\t' 'NR == 3 { print $11 }' "$KEEP/wa.tsv" >"$T/v.txt"
[ "$(cat "$T/v.txt")" = "724.22" ] ||
    bad "February amount in 万元: '$(cat "$T/v.txt")', want 724.22"
pdftotext "$T/out/w.pdf" "$T/w.txt"
for s in 医保钱包共济笔数 2025年1-3月 '单位：笔' '共济笔数（笔）' 省内 跨省 1月 3月 9679 数据来源; do
    grep -qF "$s" "$T/w.txt" || bad "wallet.pdf does not show '$s'"
done
! grep -q '人次' "$T/w.txt" || bad "wallet.pdf counts in 人次"
pdftotext "$T/out/wa.pdf" "$T/wa.txt"
grep -qF '共济金额（万元）' "$T/wa.txt" || bad "wallet amount axis not in 万元"

note "--where narrows, --where channel is implied"
chart wp --kind wallet --period 2025-01..2025-03 --where province=江苏 \
    --out "$T/out/wp.pdf"
expect_rc wp 0
awk -F'\t' 'NR > 1 { print $3 }' "$KEEP/wp.tsv" | tr '\n' ' ' >"$T/p.txt"
[ "$(cat "$T/p.txt")" = "0 0 7 " ] || bad "wallet for 江苏: $(cat "$T/p.txt")"
chart wc --kind wallet --period 2025-01..2025-03 --where channel=wallet,account \
    --out "$T/out/wc.pdf"
expect_rc wc 0
cmp -s "$KEEP/w.tsv" "$KEEP/wc.tsv" || bad "--where channel=wallet,account added the account"
chart wx --kind wallet --period 2025-01..2025-03 --where channel=account \
    --out "$T/out/wx.pdf"
[ "$rc" = 2 ] || bad "wallet chart of the account channel: exit $rc, expected 2"
chart wl --kind wallet --period 2022-01..2025-03 --out "$T/out/wl.pdf"
[ "$rc" = 2 ] || bad "39-month wallet chart: exit $rc, expected 2"

note "the bulletin draws charts/wallet.* when the period has wallet data"
run b "$GONGJI" bulletin --allow-incomplete --db "$DB" --period 2025-03 --out "$T/b"
expect_rc b 0
for fmt in png svg pdf; do
    [ -s "$T/b/charts/wallet.$fmt" ] || bad "bulletin: no charts/wallet.$fmt"
done
grep -q 'map,wallet}\.{png,svg,pdf}' "$T/b.out" ||
    bad "bulletin does not list the wallet chart: $(tail -n 1 "$T/b.out")"
run b2 "$GONGJI" bulletin --allow-incomplete --db "$DB" --period 2025-03 --out "$T/b2" --quiet
expect_rc b2 0
for f in "$T"/b/charts/*; do
    cmp -s "$f" "$T/b2/charts/${f##*/}" || bad "${f##*/} differs between two runs"
done

note "no wallet chart without wallet data"
grep -v ',wallet,' "$T/in/330000_2025-01.csv" >"$T/acct.csv"
run ia "$GONGJI" ingest --db "$T/a.db" "$T/acct.csv"
expect_rc ia 0
run ba "$GONGJI" bulletin --allow-incomplete --db "$T/a.db" --period 2025-01 --out "$T/ba"
expect_rc ba 0
[ -s "$T/ba/charts/map.png" ] || bad "account-only bulletin: no charts"
! ls "$T"/ba/charts/wallet.* >/dev/null 2>&1 ||
    bad "account-only bulletin drew a wallet chart"
grep -q 'trend,map}\.{png,svg,pdf}' "$T/ba.out" ||
    bad "account-only bulletin: wrong list: $(tail -n 1 "$T/ba.out")"
# the same store through 2025-02 (wallet in January only from 2025-02 on)
run bj "$GONGJI" bulletin --allow-incomplete --db "$DB" --period 2025-01 --out "$T/bj" --quiet
expect_rc bj 0
[ -s "$T/bj/charts/wallet.png" ] || bad "January with wallet data: no chart"

note "hostile names and titles: drawn literally, nothing runs"
M=$(mktemp -d /tmp/gjXXXXXX) || fail "mktemp"
trap 'rm -rf "$T" "$M"' EXIT
HD="$T/hdata"
cp -r "$GONGJI_DATA" "$HD"
awk -F, -v OFS=, -v m="$M" '
    $1 == "330000" { $3 = "`touch " m "/p`x\\y" }
    { print }' "$GONGJI_DATA/provinces.csv" >"$HD/provinces.csv"
run hn env GONGJI_DATA="$HD" GONGJI_KEEP_PLOT_DATA="$KEEP" "$GONGJI" chart \
    --db "$DB" --kind wallet --period 2025-01..2025-03 \
    --where province=330000 --title "钱包\`touch $M/t\`" --out "$T/out/hn.pdf"
expect_rc hn 0
run hs "$GONGJI" chart --db "$DB" --kind wallet --period 2025-01..2025-03 \
    --title "x\" . system(\"touch $M/s\") . \"" --out "$T/out/hs.pdf"
expect_rc hs 0
pdftotext -raw "$T/out/hn.pdf" "$T/hn.txt"
grep -qF "\`touch $M/p\`x\\y" "$T/hn.txt" || bad "hostile name not drawn literally"
grep -qF "钱包\`touch $M/t\`" "$T/hn.txt" || bad "hostile title not drawn literally"
left=$(ls -A "$M")
[ -z "$left" ] || bad "something ran: $left"
! grep -q '"\|\\' "$KEEP/hn.tsv" || bad "the data file has a quote or backslash"

note "nothing left behind"
left=$(ls -A "$T/tmp")
[ -z "$left" ] || bad "temporary directories left: $left"

finish
