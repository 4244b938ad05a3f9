#!/bin/sh
# SPDX-License-Identifier: MIT
# Units in headers and unit rows are honoured exactly (issue 9, §1):
#  1. 共济金额(万元) with 0 to 6 decimals, （亿元）, 共济人次(万人次): the
#     stored totals (query --format csv) are the values times the unit,
#     to the fen and the person-time;
#  2. a unit row above the header (单位：万元、人次, 单位:万元,人次,
#     金额单位：万元, （单位：万元） beside 填报单位, under a title row)
#     gives the columns without a unit of their own its units;
#  3. an ambiguous unit row (单位：万元、元; two rows that disagree; a header
#     in 元 under a 万元 row), an unknown unit (单位：千元) and a value that
#     is no whole fen or person-time in its unit (1.2345678 万元,
#     1.23456 万人次) are errors naming the value and the unit, and nothing
#     is stored;
#  4. a detail file's amount in 万元 is refused with a message saying so;
#     its amounts may carry ￥, 元, an apostrophe, full-width digits;
#  5. values as spreadsheets write them: periods 2024.09, 2024-09-01,
#     2024/9/1, 2024 年 9 月; 218080.00 person-times; full-width digits;
#     ￥ and 元 around amounts; a leading apostrophe ('330100);
#  6. a unit row below the header (人次 / 万元, bracketed or not, under the
#     measured columns: merged header cells) gives those columns their
#     units; one that contradicts the header or puts a unit under the other
#     measure is an error; mixed brackets 共济金额（万元) are a unit suffix;
#     共济金额(千元) is refused as a unit gongji does not know.
. "$(dirname "$0")/lib.sh"

HDR_ROW=统计期,统筹区编码,共济范围,共济用途
N=0

# sumfile NAME PRE PT_HEADER AMOUNT_HEADER ROW...: write $T/NAME.csv with
# the lines PRE (may be empty; "|" separates lines), then the header, then
# each ROW as "person_times,amount" of the month 2024-09 in area 330100,
# 330200, ... (so that no key repeats)
sumfile() {
    _f=$T/$1.csv
    _pre=$2 _pth=$3 _amh=$4
    shift 4
    : >"$_f"
    if [ -n "$_pre" ]; then
        printf '%s\n' "$_pre" | tr '|' '\n' >>"$_f"
    fi
    printf '%s,%s,%s\n' "$HDR_ROW" "$_pth" "$_amh" >>"$_f"
    _a=1
    for _r in "$@"; do
        printf '2024-09,33%02d00,同一统筹区,定点医疗机构,%s\n' "$_a" "$_r" >>"$_f"
        _a=$((_a + 1))
    done
}

# stored NAME WANT: ingest $T/NAME.csv into a store of its own; it must
# exit 0 and the store must hold exactly WANT ("person_times,amount").
stored() {
    N=$((N + 1))
    run "$1" "$GONGJI" ingest --db "$T/$1.db" "$T/$1.csv"
    if [ "$rc" != 0 ]; then
        bad "$1: exit $rc, expected 0: $(grep error "$T/$1.err" | head -n 2 | tr '\n' ' ')"
        return
    fi
    _got=$(total "$T/$1.db")
    [ "$_got" = "$2" ] || bad "$1: stored $_got, expected $2 [$(sed -n '$p' "$T/$1.csv")]"
}

# refused NAME LINE:COL MESSAGE: check and ingest must exit 1, the error
# at $T/NAME.csv:LINE:COL must contain MESSAGE, and nothing is stored.
refused() {
    N=$((N + 1))
    run "$1" "$GONGJI" check "$T/$1.csv"
    [ "$rc" = 1 ] || bad "$1: check exit $rc, expected 1"
    grep -F "$T/$1.csv:$2: error: " "$T/$1.err" | grep -qF "$3" ||
        bad "$1: no error at $2 with \"$3\": $(head -n 3 "$T/$1.err" | tr '\n' ' ')"
    run "$1-ingest" "$GONGJI" ingest --db "$T/$1.db" "$T/$1.csv"
    [ "$rc" = 1 ] || bad "$1: ingest exit $rc, expected 1"
    [ ! -e "$T/$1.db" ] || [ "$(total "$T/$1.db")" = "0,0.00" ] ||
        bad "$1: a refused file stored $(total "$T/$1.db")"
}

note "1: 万元 with 0 to 6 decimals, 亿元, 万人次 in the header"
d=0
for v in 12 12.3 12.34 12.345 12.3456 12.34567 12.345678; do
    # the value in fen is the digits padded to 6 decimals
    int=${v%%.*}
    frac=${v#"$int"}
    frac=${frac#.}
    while [ ${#frac} -lt 6 ]; do frac=${frac}0; done
    fen=$(printf '%s%s' "$int" "$frac" | sed 's/^0*//')
    want="3,$((fen / 100)).$(printf '%02d' $((fen % 100)))"
    sumfile "wan$d" "" 共济人次 "共济金额(万元)" "3,$v"
    stored "wan$d" "$want"
    sumfile "wanfw$d" "" 共济人次 "共济金额（万元）" "3,$v"
    stored "wanfw$d" "$want"
    d=$((d + 1))
done
sumfile wan-rows "" 共济人次 "共济金额 (万元)" "1,0.000001" "1,9999.999999" "1,\"1,234.5\""
stored wan-rows "3,112345000.00"
sumfile yi "" 共济人次 "共济金额（亿元）" "1,3.0457" "1,0.0000000001" "1,1.2345678901"
stored yi "3,428026789.02"
sumfile wanpt "" "共济人次(万人次)" 共济金额 "1.5,10.00" "21.808,0.5" "0.0001,0"
stored wanpt "233081,10.50"
sumfile both "" "共济人次（万人次）" "共济金额（万元）" "1.2345,1.2345"
stored both "12345,12345.00"

note "2: unit rows above the header"
sumfile row1 "单位：万元、人次" 共济人次 共济金额 "7,1.5"
stored row1 "7,15000.00"
sumfile row2 "单位:万元,人次" 共济人次 共济金额 "7,1.5"
stored row2 "7,15000.00"
sumfile row3 "金额单位：万元" 共济人次 共济金额 "7,1.5"
stored row3 "7,15000.00"
sumfile row4 "2024年9月职工医保个人账户共济情况,,,,,|填报单位：浙江省医保局,,,,,（单位：万元）" \
    共济人次 共济金额 "7,1.5"
stored row4 "7,15000.00"
grep -qF "$T/row4.csv:3: warning: the header is line 3" "$T/row4.err" ||
    bad "row4: the header's line is not said: $(head -n 2 "$T/row4.err" | tr '\n' ' ')"
sumfile row5 "2024年9月职工医保个人账户共济情况|填报单位：浙江省医保局|单位：万元、万人次" \
    共济人次 共济金额 "1.5,1.5" "0.0001,0.000001"
stored row5 "15001,15000.01"
sumfile row6 "单位：万元" 共济人次 "共济金额(万元)" "7,1.5"
stored row6 "7,15000.00"
sumfile row7 "单位：万人次" 共济人次 "共济金额(元)" "1.5,1.5"
stored row7 "15000,1.50"

note "3: ambiguous unit rows, unknown units and inexact values are refused"
sumfile amb1 "单位：万元、元" 共济人次 共济金额 "7,1.5"
refused amb1 1:1 "names both 万元 and 元 for amounts: which applies to which column is ambiguous"
sumfile amb2 "单位：万元|金额单位：元" 共济人次 共济金额 "7,1.5"
refused amb2 2:1 "says 元 for amounts but line 1 says 万元"
sumfile amb3 "单位：万元" 共济人次 "共济金额(元)" "7,1.5"
refused amb3 2:6 "column '共济金额(元)' is in 元 but the unit row (line 1) says 万元"
sumfile amb4 "单位：千元" 共济人次 共济金额 "7,1.5"
refused amb4 1:1 "'千元' is not a unit"
sumfile amb5 "金额单位：人次" 共济人次 共济金额 "7,1.5"
refused amb5 1:1 "人次 is not a unit of amounts"
sumfile inex1 "" 共济人次 "共济金额(万元)" "7,1.5" "7,1.2345678"
refused inex1 3:6 "amount '1.2345678' in 万元 has more than 6 decimals: it is not a whole number of fen"
sumfile inex2 "" 共济人次 "共济金额(亿元)" "7,1.00000000001"
refused inex2 2:6 "amount '1.00000000001' in 亿元 has more than 10 decimals"
sumfile inex3 "" "共济人次(万人次)" 共济金额 "1.23456,1"
refused inex3 2:5 "person_times '1.23456' in 万人次 is not a whole number (more than 4 decimals)"
sumfile inex4 "" 共济人次 共济金额 "1.5,1"
refused inex4 2:5 "person_times '1.5' is not a whole number"
sumfile inex5 "单位：万人次" 共济人次 共济金额 "1.23456,1"
refused inex5 3:5 "person_times '1.23456' in 万人次 is not a whole number"
sumfile big "" 共济人次 "共济金额(亿元)" "1,922337203.6854775808"
refused big 2:6 "in 亿元 is too large"

note "4: a detail file's amount in 万元 is refused"
cat >"$T/det.csv" <<'CSV'
结算编号,结算时间,共济人统筹区,被共济人统筹区,共济用途,共济关系,共济金额(万元)
S1,2024-09-01 08:00:00,330100,330100,定点医疗机构,配偶,1.5
CSV
refused det 1:7 "column '共济金额(万元)' is in 万元: a detail file's amount is read in 元 only"

cat >"$T/det-shapes.csv" <<'CSV'
结算编号,结算时间,共济人统筹区,被共济人统筹区,共济用途,共济关系,共济金额(元)
S1,2024-09-01 08:00:00,330100,330100,定点医疗机构,配偶,￥10.00
S2,2024-09-02 08:00:00,330100,330100,定点医疗机构,配偶,'5.5
S3,2024-09-03 08:00:00,330100,330100,定点医疗机构,配偶,3元
S4,2024-09-04 08:00:00,330100,330100,定点医疗机构,配偶,１．２５
CSV
stored det-shapes "4,19.75"

note "5: values as spreadsheets write them"
cat >"$T/shapes.csv" <<'CSV'
统计期,统筹区编码,共济范围,共济用途,共济人次,共济金额
2024.09,330100,同一统筹区,定点医疗机构,218080.00,12.30
2024-09-01,'330200,同一统筹区,定点医疗机构,１２,"￥1,234.50"
2024/9/1,３３０３００,同一统筹区,定点医疗机构,"1,000",5元
2024 年 9 月,330400,同一统筹区,定点医疗机构,　7　,"￥１，２３４．５０元"
2024年9月1日,'330500,同一统筹区,定点医疗机构,'8,'0.01
CSV
stored shapes "219107,2486.31"
run shapes-q "$GONGJI" query --db "$T/shapes.db" --period 2024-09 --by area --format csv
grep -qx '330200,12,1234.50' "$T/shapes-q.out" ||
    bad "shapes: '330200 with １２ and ￥1,234.50: $(tr '\n' ' ' <"$T/shapes-q.out")"
cat >"$T/ambig.csv" <<'CSV'
统计期,统筹区编码,共济范围,共济用途,共济人次,共济金额
2024.1,330100,同一统筹区,定点医疗机构,1,1
CSV
refused ambig 2:1 "period '2024.1' is ambiguous: Excel shows 2024.10 as 2024.1"

note "6: a unit row below the header, brackets, unknown units"
sumfile below "" 共济人次 共济金额 "3,12.345678"
sed -i '1a ,,,,人次,万元' "$T/below.csv"
stored below "3,123456.78"
sumfile below2 "" 共济人次 共济金额 "30000,12.5"
sed -i '1a ,,,,（万人次）,(亿元)' "$T/below2.csv"
stored below2 "300000000,1250000000.00"
sumfile below-clash "" 共济人次 "共济金额(元)" "3,12.345678"
sed -i '1a ,,,,人次,万元' "$T/below-clash.csv"
refused below-clash 2:6 "the header says amount is in 元 but the unit row below it says 万元"
sumfile below-swap "" 共济人次 共济金额 "3,12"
sed -i '1a ,,,,万元,人次' "$T/below-swap.csv"
refused below-swap 2:5 "the unit row below the header gives '万元', which is no unit of person_times"
sumfile mixed "" 共济人次 "共济金额（万元)" "3,12.345678"
stored mixed "3,123456.78"
sumfile qian "" 共济人次 "共济金额(千元)" "3,12"
refused qian 1:6 "column '共济金额(千元)': '千元' is not a unit gongji knows for amount"

note "$N files"
finish
