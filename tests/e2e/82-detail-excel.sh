#!/bin/sh
# SPDX-License-Identifier: MIT
# Detail files that went through Excel or WPS (issue 9):
#  - settle_time rewritten as 2024/9/3 10:21, 2024/9/3 10:21:05 or
#    2024-09-03 10:21 is read: the month is what counts, and aggregate gives
#    the same sums as the file in the strict shape; an impossible date in
#    the new shapes is still an error;
#  - payer_id / beneficiary_id turned into scientific notation (3.30102E+17)
#    are refused with a message that says Excel converted the ID column to
#    numbers, masked, and not "nobody shares with themselves" when two IDs
#    became the same number.
. "$(dirname "$0")/lib.sh"

H=settle_time,payer_area,beneficiary_area,use,relation,amount,payer_id,beneficiary_id
cat >"$T/strict.csv" <<CSV
$H
2024-09-03 10:21:00,330100,330100,medical,spouse,12.30,330102199001011234,330102199201021235
2024-09-30 23:59:00,330100,330200,pharmacy,child,7.70,330102199001011234,330203201001011236
2024-10-01 08:05:00,330100,110100,medical,parent,100.00,330102199001011234,110101196001011237
2024-09-03 02:05:00,330100,330100,medical,spouse,0.70,330102199001011234,330102199201021235
CSV
cat >"$T/excel.csv" <<CSV
$H
2024/9/3 10:21,330100,330100,medical,spouse,12.30,330102199001011234,330102199201021235
2024-09-30 23:59,330100,330200,pharmacy,child,7.70,330102199001011234,330203201001011236
2024/10/1 8:05:00,330100,110100,medical,parent,100.00,330102199001011234,110101196001011237
2024/9/3 2:05,330100,330100,medical,spouse,0.70,330102199001011234,330102199201021235
CSV

note "Excel-rewritten times give the same sums as the strict shape"
run strict "$GONGJI" aggregate "$T/strict.csv"
expect_rc strict 0
run excel "$GONGJI" aggregate "$T/excel.csv"
expect_rc excel 0
cat >"$T/want.csv" <<'CSV'
period,area,scope,use,relation,person_times,amount
2024-09,330100,same_area,medical,spouse,2,13.00
2024-09,330100,cross_area,pharmacy,child,1,7.70
2024-10,330100,cross_province,medical,parent,1,100.00
CSV
cmp_sorted_csv "$T/strict.out" "$T/want.csv" "strict shape"
cmp_sorted_csv "$T/excel.out" "$T/want.csv" "Excel shapes"
[ -s "$T/excel.err" ] && bad "Excel shapes: stderr: $(head -n 3 "$T/excel.err")"

note "an impossible date in the Excel shape is still an error"
printf '%s\n2024/2/30 10:21,330100,330100,medical,spouse,1.00,330102199001011234,330102199201021235\n' \
    "$H" >"$T/baddate.csv"
run baddate "$GONGJI" check "$T/baddate.csv"
expect_rc baddate 1
grep -qF "baddate.csv:2:1: error: settle_time '2024/2/30 10:21' is not a real date and time" "$T/baddate.err" ||
    bad "impossible date: $(head -n 3 "$T/baddate.err")"

note "IDs in scientific notation: Excel converted the ID column"
cat >"$T/sci.csv" <<CSV
$H
2024-09-03 10:21:00,330100,330100,medical,spouse,12.30,3.30102E+17,3.30102E+17
2024-09-03 10:22:00,330100,330100,medical,spouse,1.00,330102199001011234,3.30102E+17
CSV
run sci "$GONGJI" check "$T/sci.csv"
expect_rc sci 1
grep -qF "sci.csv:2:7: error: payer_id '3.3******17' is a number in scientific notation: Excel converted the ID column to numbers" "$T/sci.err" ||
    bad "payer_id in scientific notation: $(head -n 5 "$T/sci.err")"
grep -qF "sci.csv:2:8: error: beneficiary_id '3.3******17' is a number in scientific notation" "$T/sci.err" ||
    bad "beneficiary_id in scientific notation: $(head -n 5 "$T/sci.err")"
grep -q "themselves" "$T/sci.err" &&
    bad "two mangled IDs reported as one person: $(grep themselves "$T/sci.err")"
grep -q "30102" "$T/sci.err" && bad "an ID printed unmasked: $(grep 30102 "$T/sci.err")"
run scistore "$GONGJI" ingest --db "$T/s.db" "$T/sci.csv"
expect_rc scistore 1

note "a real payer == beneficiary is still refused as before"
printf '%s\n2024-09-03 10:21:00,330100,330100,medical,spouse,1.00,330102199001011234,330102199001011234\n' \
    "$H" >"$T/same.csv"
run same "$GONGJI" check "$T/same.csv"
expect_rc same 1
grep -q "nobody shares with themselves" "$T/same.err" ||
    bad "payer == beneficiary: $(head -n 3 "$T/same.err")"
grep -q "scientific" "$T/same.err" && bad "real IDs called scientific notation"

note "title rows and a blank line above a detail header"
printf '%s\n2024-09-03 10:21:00,330100,330100,medical,spouse,1.25,330102199001011234,330102199203041238\n2024-09-04 10:21:00,330100,330100,medical,spouse,2.00,330102199001011234,330102199203041238\n' \
    "$H" >"$T/plain.csv"
{
    printf '2024年9月职工医保个人账户共济明细,,,\n填报单位：杭州市医保局\n\n'
    cat "$T/plain.csv"
} >"$T/titled.csv"
run plain "$GONGJI" aggregate "$T/plain.csv"
expect_rc plain 0
run titled "$GONGJI" aggregate "$T/titled.csv"
expect_rc titled 0
cmp -s "$T/plain.out" "$T/titled.out" ||
    bad "titled detail file aggregates differently: $(cat "$T/titled.out")"
grep -qF "titled.csv:4: warning: the header is line 4: the 3 row(s) above it are read as title rows" \
    "$T/titled.err" || bad "titled: $(head -n 2 "$T/titled.err")"
printf '2024-09-05 10:21:00,330100,330100,medical,spouse,1.2x,330102199001011234,330102199203041238\n' >>"$T/titled.csv"
run titled-bad "$GONGJI" aggregate "$T/titled.csv"
expect_rc titled-bad 1
grep -q "titled.csv:7:6: error: " "$T/titled-bad.err" ||
    bad "titled, bad amount on line 7: $(grep error "$T/titled-bad.err" | head -n 2)"

finish
