#!/bin/sh
# SPDX-License-Identifier: MIT
# A national half-year in every accepted file shape, ingested in one command;
# every roll-up must equal the generator's own sums to the fen.
. "$(dirname "$0")/lib.sh"

DB="$T/g.db"
gen --seed 1 --year 2024 --months 6 "$T/g"
nfiles=$(ls "$T/g/in" | wc -l)
[ "$nfiles" -gt 150 ] || fail "generator wrote only $nfiles files"

note "check $nfiles files: all valid, nothing stored"
run chk "$GONGJI" check "$T"/g/in/*.csv
expect_rc chk 0
! grep -q ': error:' "$T/chk.err" || fail "check printed errors"
if [ -e "$T/gongji.db" ] || [ -e "$DB" ]; then fail "check created a store"; fi

note "ingest $nfiles files in one command"
run ingest "$GONGJI" ingest --db "$DB" "$T"/g/in/*.csv
expect_rc ingest 0
n=$(grep -c '^stored ' "$T/ingest.out")
[ "$n" = "$nfiles" ] || fail "ingest: $n 'stored' lines for $nfiles files"
[ "$(wc -l <"$T/ingest.out")" = "$nfiles" ] ||
    bad "ingest: stdout is not one line per file: $(grep -v '^stored ' "$T/ingest.out")"
for f in "$T"/g/in/*.csv; do
    grep -q "^stored  *$f\($\|[: ]\)" "$T/ingest.out" ||
        fail "ingest: no 'stored $f'"
done
! grep -q ': error:' "$T/ingest.err" || fail "ingest printed errors"

P=2024-01..2024-06
for e in "$T"/g/expected/*.csv; do
    dims=$(basename "$e" .csv)
    if [ "$dims" = total ]; then
        run q "$GONGJI" query --db "$DB" --period $P --format csv
    else
        run q "$GONGJI" query --db "$DB" --period $P --by "$dims" --format csv
    fi
    expect_rc q 0
    cmp_sorted_csv "$e" "$T/q.out" "query --by $dims"
done
exp_total=$(sed -n 2p "$T/g/expected/total.csv")
exp_pt=${exp_total%,*}
exp_amount=${exp_total#*,}

note "a single month equals its row of period.csv"
run q "$GONGJI" query --db "$DB" --period 2024-03 --format csv
expect_rc q 0
want=$(grep '^2024-03,' "$T/g/expected/period.csv" | cut -d, -f2-)
[ "$(sed -n 2p "$T/q.out")" = "$want" ] ||
    fail "--period 2024-03: '$(sed -n 2p "$T/q.out")', expected '$want'"

note "--where province by code and by Chinese name"
grep -E '^(area|33)' "$T/g/expected/area.csv" >"$T/zj.exp"
for v in 330000 浙江 浙江省; do
    run q "$GONGJI" query --db "$DB" --period $P --by area \
        --where "province=$v" --format csv
    expect_rc q 0
    cmp_sorted_csv "$T/zj.exp" "$T/q.out" "--where province=$v --by area"
done
run q "$GONGJI" query --db "$DB" --period $P --where province=浙江 --format csv
expect_rc q 0
want=$(grep '^330000,' "$T/g/expected/province.csv" | cut -d, -f2-)
[ "$(sed -n 2p "$T/q.out")" = "$want" ] ||
    fail "--where province=浙江 total '$(sed -n 2p "$T/q.out")', expected '$want'"

note "--where with two values sums them"
run q "$GONGJI" query --db "$DB" --period $P --where scope=cross_area,same_area \
    --format csv
expect_rc q 0
[ "$(sed -n 2p "$T/q.out")" = "$exp_total" ] ||
    fail "--where scope=cross_area,same_area: '$(sed -n 2p "$T/q.out")', expected '$exp_total'"
run q "$GONGJI" query --db "$DB" --period $P --where scope=cross_area \
    --by use --format csv
expect_rc q 0
[ "$(tail -n +2 "$T/q.out" | wc -l)" -ge 1 ] || fail "cross_area by use: no rows"
sum=$(tail -n +2 "$T/q.out" | awk -F, '{s += $2} END {printf "%d", s}')
want=$(grep '^cross_area,' "$T/g/expected/scope.csv" | cut -d, -f2)
[ "$sum" = "$want" ] || fail "cross_area by use sums to $sum, expected $want"

note "--top 5 --sort amount --by province"
tail -n +2 "$T/g/expected/province.csv" | sort -t, -k3,3 -g -r | head -n 5 \
    >"$T/top.exp"
run q "$GONGJI" query --db "$DB" --period $P --by province --sort amount \
    --top 5 --format csv
expect_rc q 0
[ "$(head -n 1 "$T/q.out")" = "province,person_times,amount" ] ||
    fail "--top 5: header '$(head -n 1 "$T/q.out")'"
tail -n +2 "$T/q.out" >"$T/top.act"
if ! cmp -s "$T/top.exp" "$T/top.act"; then
    diff "$T/top.exp" "$T/top.act" >&2
    fail "--top 5 --sort amount: not the 5 largest in descending order"
fi

note "--format json"
run q "$GONGJI" query --db "$DB" --period $P --format json
expect_rc q 0
flat=$(tr -d ' \n\t\r' <"$T/q.out")
case "$flat" in
"[{"*"}]") ;;
*) fail "json: not an array of one object: $flat" ;;
esac
echo "$flat" | grep -q "\"amount\":\"$exp_amount\"" ||
    fail "json: amount is not the string \"$exp_amount\": $flat"
echo "$flat" | grep -q "\"person_times\":${exp_pt}[,}]" ||
    fail "json: person_times is not $exp_pt: $flat"
run q "$GONGJI" query --db "$DB" --period $P --by scope --format json
expect_rc q 0
flat=$(tr -d ' \n\t\r' <"$T/q.out")
for s in cross_area same_area; do
    a=$(grep "^$s," "$T/g/expected/scope.csv" | cut -d, -f3)
    echo "$flat" | grep -q "{\"scope\":\"$s\",\"person_times\":[0-9]*,\"amount\":\"$a\"}" ||
        fail "json --by scope: no object for $s with amount \"$a\": $flat"
done

note "--format table"
run q "$GONGJI" query --db "$DB" --period $P --by province --format table
expect_rc q 0
grep -q '浙江' "$T/q.out" || fail "table: no 浙江 in: $(head -n 5 "$T/q.out")"
[ ! -s "$T/q.err" ] || fail "table: stderr not empty: $(cat "$T/q.err")"

note "submissions: one current row per (province, month)"
run s "$GONGJI" submissions --db "$DB" --format csv
expect_rc s 0
check_submissions_header "$T/s.out"
[ "$(tail -n +2 "$T/s.out" | wc -l)" = 192 ] ||
    fail "submissions: $(tail -n +2 "$T/s.out" | wc -l) rows, expected 32 x 6"
[ "$(csv_cols "$T/s.out" status | sort -u)" = current ] ||
    fail "submissions: a status other than current"
pairs=$(csv_cols "$T/s.out" province period | sort -u | wc -l)
[ "$pairs" = 192 ] || fail "submissions: $pairs distinct (province, period)"
files=$(csv_cols "$T/s.out" file | sort -u | wc -l)
[ "$files" = "$nfiles" ] || fail "submissions: $files distinct files, expected $nfiles"
csv_cols "$T/s.out" file sha256 | sort -u | while IFS=, read -r f h; do
    [ "$(sha256sum <"$f" | cut -c1-64)" = "$h" ] ||
        { echo "FAIL: submissions: wrong sha256 for $f" >&2; exit 1; }
done || fail "submissions: sha256 mismatch"
rows=$(csv_cols "$T/s.out" rows | awk '{s += $1} END {print s}')
want=$(cat "$T"/g/in/*.csv | wc -l)
want=$((want - nfiles))
[ "$rows" = "$want" ] || fail "submissions: rows add up to $rows, expected $want"
finish
