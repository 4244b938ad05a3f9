#!/bin/sh
# SPDX-License-Identifier: MIT
# Personal IDs are never printed in full (DESIGN §3b), whatever column a bad
# row puts them in.  Crafted files, each one bad row next to IDs: an ID
# shifted into every column, rows shifted left and right, unclosed quotes
# whose excerpt runs into the ID columns, a quote inside an unquoted field, a
# detail file without its header row, IDs with a lower-case x, IDs inside
# longer fields, in Chinese-headed files and in summary files.  Every stdout
# and stderr of check, ingest and aggregate (and of submissions and query
# after a good ingest) is searched for an ID-shaped token.
. "$(dirname "$0")/lib.sh"

HEADER=settlement_id,settle_time,payer_area,beneficiary_area,use,relation,amount,payer_id,beneficiary_id
CNHEADER=结算编号,结算时间,共济人统筹区,被共济人统筹区,共济用途,共济关系,共济金额,共济人编号,被共济人编号
SHEADER=period,area,area_name,scope,use,relation,person_times,amount
ID1=110101199001011234
ID2=11010119650505432X
IDx=11010119650505432x
GOOD="S1,2024-02-03 10:00:00,110100,110100,medical,spouse,12.30,$ID1,$ID2"
GOOD2="S2,2024-02-04 10:00:00,110100,110100,medical,parent,5.00,110101199001011242,110101196505054329"
ROWS="S3 2024-02-05_10:00:00 110100 110100 medical spouse 7.00 $ID1 $IDx"
ID_RE='[0-9]{17}[0-9Xx]'

n=0
# detail NAME ROW...: a detail file with the header, a good row, the rows
# given, another good row.
detail() {
    _name=$1
    shift
    {
        echo "$HEADER"
        echo "$GOOD"
        for _r in "$@"; do printf '%s\n' "$_r"; done
        echo "$GOOD2"
    } >"$T/$_name.csv"
    n=$((n + 1))
}

# raw NAME TEXT: a file holding exactly TEXT (printf format, no arguments).
raw() {
    printf "$2" >"$T/$1.csv"
    n=$((n + 1))
}

# A row of the nine columns with column $1 (1-based) replaced by $2.
row_with() {
    echo "$ROWS" | tr ' ' '\n' | awk -v c="$1" -v v="$2" '
        { f[NR] = (NR == c) ? v : $0 }
        END { s = f[1]; for (i = 2; i <= 9; i++) s = s "," f[i]; print s }' |
        tr _ ' '
}

note "crafting the files"
for c in 1 2 3 4 5 6 7 8 9; do
    detail "col$c" "$(row_with "$c" "$ID1")"
    detail "colx$c" "$(row_with "$c" "$IDx")"
done
# an ID one character too long or short in its own column
detail long "$(row_with 8 "${ID1}7")"
detail short "$(row_with 9 "11010119650505432")"
# settlement_id missing: every field shifts left, IDs land in relation
# and amount
detail left "2024-02-03 10:00:00,110100,110100,medical,spouse,12.30,$ID1,$ID2"
# one field too many in front: the IDs shift right, past the header
detail right "S9,X,2024-02-03 10:00:00,110100,110100,medical,spouse,12.30,$ID1,$ID2"
# use and amount dropped: the IDs sit in use/relation/amount
detail drop "S9,2024-02-03 10:00:00,110100,110100,$ID1,$ID2,$ID1,$ID2,5.00"
# unclosed quotes whose excerpt runs into the ID columns
detail openq1 "\"S9,2024-02-03 10:00:00,110100,110100,medical,spouse,12.30,$ID1,$ID2"
detail openq2 "S9,2024-02-03 10:00:00,\"110100,110100,medical,spouse,12.30,$ID1,$ID2"
detail openq3 "S9,2024-02-03 10:00:00,110100,110100,medical,spouse,\"12.30,$ID1,$ID2"
raw openq4 "$HEADER\n$GOOD\nS9,2024-02-03 10:00:00,110100,110100,medical,spouse,12.30,$ID1,\"$ID2\n"
# a quote inside unquoted fields next to the IDs
detail quote1 "S9,2024-02-03 10:00:00,110100,110100,medical,spouse,12\"30,$ID1,$ID2"
detail quote2 "S9,2024-02-03 10:00:00,110100,110100,medical,spouse,12.30,1101\"01199001011234,$ID2"
detail quote3 "S9,2024-02-03 10:00:00,110100,110100,medical,sp\"ouse $ID1,12.30,$ID1,$ID2"
# IDs inside longer fields, quoted or not
detail inside1 "S9,2024-02-03 10:00:00,110100,110100,medical-$ID1-x,spouse,12.30,$ID1,$ID2"
detail inside2 "\"S9,$ID1\",2024-02-03 10:00:00,110100,110100,medical,spouse,12.30,$ID1,$ID2"
detail inside3 "S9,2024-02-03 10:00:00 $ID2,110100,110100,medical,spouse,12.30,$ID1,$ID2"
detail inside4 "S9,2024-02-03 10:00:00,110100,110100,medical,spouse,12.30,ID:$ID1,$ID2"
detail inside5 "S9,2024-02-03 10:00:00,110100,110100,medical,spouse,12.30,$ID1$ID1,$ID2"
# 40 digits in an area
detail digits "S9,2024-02-03 10:00:00,1101001101001101001101001101001101001100,110100,medical,spouse,12.30,$ID1,$ID2"
# no header row: the first data row is read as the header
raw nohdr "$GOOD\n$GOOD2\n"
raw nohdr2 "$ID1,$ID2,$ID1,$IDx\n$GOOD\n"
# a Chinese header
printf '%s\n%s\n%s\n' "$CNHEADER" "$GOOD" \
    "S9,2024-02-03 10:00:00,110100,110100,$ID1,spouse,12.30,$ID1,$ID2" \
    >"$T/chinese.csv"
n=$((n + 1))
# CRLF and an ID at the very end of an unclosed quote
raw crlf "$HEADER\r\n$GOOD\r\n\"S9,2024-02-03 10:00:00,110100,110100,medical,spouse,12.30,$ID1,$IDx\r\n"
# summary files: an ID in every column, or after the header is missing
for c in 1 2 3 4 5 6 7 8; do
    printf '%s\n%s\n' "$SHEADER" \
        "$(echo "2024-02 110100 北京市 same_area medical spouse 10 100.00" |
            tr ' ' '\n' | awk -v c="$c" -v v="$ID1" '
            { f[NR] = (NR == c) ? v : $0 }
            END { s = f[1]; for (i = 2; i <= 8; i++) s = s "," f[i]; print s }')" \
        >"$T/sum$c.csv"
    n=$((n + 1))
done
raw sumx "$SHEADER\n2024-02,110100,北京市,same_area,medical,spouse,10,$IDx\n"
raw sumq "$SHEADER\n2024-02,\"110100,北京市,same_area,medical,spouse,10,$ID1\n"
raw sumnohdr "2024-02,$ID1,北京市,same_area,medical,spouse,10,100.00\n"
raw sumlong "$SHEADER\n2024-02,1101001101001101001101001101001101001100,北京市,same_area,medical,spouse,10,100.00\n"
note "$n files"
[ "$n" -ge 19 ] || fail "only $n crafted files"

# leak LABEL FILE...: any ID-shaped token in FILE is a failure.
leaks=0
leak() {
    _l=$1
    shift
    for _f in "$@"; do
        # under build/san a sanitizer report counts as a failure too
        grep -Eq 'runtime error|Sanitizer' "$_f" &&
            bad "$_l: sanitizer report in ${_f##*/}: $(grep -E 'runtime error|Sanitizer' "$_f" | head -n 1)"
        if grep -Eq "$ID_RE" "$_f"; then
            bad "$_l: an ID in full in ${_f##*/}: $(grep -E "$ID_RE" "$_f" | head -n 2)"
            leaks=$((leaks + 1))
        fi
    done
}

note "check, ingest, aggregate on every file"
for f in "$T"/*.csv; do
    b=${f##*/}
    b=${b%.csv}
    run "chk-$b" "$GONGJI" check "$f"
    run "ing-$b" "$GONGJI" ingest --db "$T/bad.db" "$f"
    run "ingk-$b" "$GONGJI" ingest --keep-going --db "$T/bad.db" "$f"
    run "agg-$b" "$GONGJI" aggregate --threads 2 --quiet "$f"
    run "aggs-$b" "$GONGJI" aggregate --strict "$f"
    for k in chk ing ingk agg aggs; do
        leak "$k $b" "$T/$k-$b.out" "$T/$k-$b.err"
    done
done
# every problem in one run, and aggregate fed the detail rows on stdin and
# without a header
run all "$GONGJI" check "$T"/*.csv
leak "check all" "$T/all.out" "$T/all.err"
run stdin sh -c "cat '$T/openq1.csv' | '$GONGJI' aggregate -"
leak "aggregate -" "$T/stdin.out" "$T/stdin.err"
run hdrl "$GONGJI" aggregate --header "$HEADER" "$T/nohdr2.csv"
leak "aggregate --header" "$T/hdrl.out" "$T/hdrl.err"

note "a good ingest, then submissions and query"
detail good "$(row_with 9 "$ID2")"
run good "$GONGJI" ingest --db "$T/good.db" "$T/good.csv"
expect_rc good 0
leak "ingest good" "$T/good.out" "$T/good.err"
for fmt in table csv; do
    run "subs-$fmt" "$GONGJI" submissions --db "$T/good.db" --history --format $fmt
    expect_rc "subs-$fmt" 0
    leak "submissions $fmt" "$T/subs-$fmt.out" "$T/subs-$fmt.err"
done
for fmt in table csv json; do
    run "q-$fmt" "$GONGJI" query --db "$T/good.db" --period 2024-02 \
        --by period,area,scope,use,relation --format $fmt
    expect_rc "q-$fmt" 0
    leak "query $fmt" "$T/q-$fmt.out" "$T/q-$fmt.err"
done
note "$leaks output(s) with an ID in full"
finish
