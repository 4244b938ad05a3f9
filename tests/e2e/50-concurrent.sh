#!/bin/sh
# SPDX-License-Identifier: MIT
# Two ingests at once on the same store, on disjoint halves of the national
# half-year: both succeed and nothing is lost or counted twice.
. "$(dirname "$0")/lib.sh"

P=2024-01..2024-06
gen --seed 3 "$T/g"
mkdir "$T/odd" "$T/even" || fail "mkdir"
n=0
for f in "$T"/g/in/*.csv; do
    n=$((n + 1))
    if [ $((n % 2)) = 1 ]; then cp "$f" "$T/odd/"; else cp "$f" "$T/even/"; fi
done

for round in 1 2 3; do
    DB="$T/c$round.db"
    if [ $round = 3 ]; then
        # the store exists already, with an unrelated file in it
        run pre "$GONGJI" ingest --db "$DB" "$BAD/good.csv"
        expect_rc pre 0
    fi
    "$GONGJI" ingest --db "$DB" "$T"/odd/*.csv >"$T/odd.out" 2>"$T/odd.err" &
    p1=$!
    "$GONGJI" ingest --db "$DB" "$T"/even/*.csv >"$T/even.out" 2>"$T/even.err" &
    p2=$!
    wait $p1
    r1=$?
    wait $p2
    r2=$?
    [ $r1 = 0 ] || fail "round $round: odd half exit $r1: $(head -n 5 "$T/odd.err")"
    [ $r2 = 0 ] || fail "round $round: even half exit $r2: $(head -n 5 "$T/even.err")"
    [ "$(grep -c '^stored ' "$T/odd.out")" = "$(ls "$T/odd" | wc -l)" ] ||
        fail "round $round: odd half not all stored"
    [ "$(grep -c '^stored ' "$T/even.out")" = "$(ls "$T/even" | wc -l)" ] ||
        fail "round $round: even half not all stored"
    for dims in total province area period; do
        if [ $dims = total ]; then
            run q "$GONGJI" query --db "$DB" --period $P --format csv
        else
            run q "$GONGJI" query --db "$DB" --period $P --by $dims --format csv
        fi
        expect_rc q 0
        cmp_sorted_csv "$T/g/expected/$dims.csv" "$T/q.out" \
            "round $round: --by $dims"
    done
    run s "$GONGJI" submissions --db "$DB" --format csv
    expect_rc s 0
    [ "$(tail -n +2 "$T/s.out" | wc -l)" = 192 ] ||
        fail "round $round: $(tail -n +2 "$T/s.out" | wc -l) submissions rows, expected 192"
    note "round $round ok"
done
exit 0
