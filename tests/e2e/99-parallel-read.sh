#!/bin/sh
# SPDX-License-Identifier: MIT
# A long query reads its months in parts, each on a connection and thread
# of its own (query/review --threads; the default is one per CPU, up to 4).
# On the sample store (every batch: over 1 MiB, so the parts are used):
#  - query: the same bytes with --threads 1, 2, 4 and the default, for
#    every grouping shape, with --where, --measures and at a --vintage;
#  - review: the same findings and exit status;
#  - readers while an ingest commits: every answer is the store before the
#    ingest or after it, never months of one and months of the other.
. "$(dirname "$0")/lib.sh"

# a vintage between the batches up to 2024-10-20 and the rest
ingest_sample s.db 2024-10-20
sleep 1
V=$(date -u +%Y-%m-%dT%H:%M:%SZ)
sleep 1
ingest_sample s.db
size=$(wc -c <s.db)
[ "$size" -ge 1048576 ] ||
    fail "the sample store is $size bytes: too small to be read in parts"

note "query: the same output however many connections read it"
i=0
while read -r args; do
    i=$((i + 1))
    args=$(printf '%s' "$args" | sed "s/--vintage V/--vintage $V/")
    for j in 1 2 4 default; do
        if [ $j = default ]; then
            # shellcheck disable=SC2086 # args is a word list
            run "q$i-$j" "$GONGJI" query --db s.db --format csv $args
        else
            # shellcheck disable=SC2086
            run "q$i-$j" "$GONGJI" query --db s.db --format csv \
                --threads $j $args
        fi
        expect_rc "q$i-$j" 0
        [ $j = 1 ] && continue
        cmp -s "$T/q$i-1.out" "$T/q$i-$j.out" ||
            bad "query $args: --threads $j differs from --threads 1: $(diff "$T/q$i-1.out" "$T/q$i-$j.out" | head -n 4)"
        cmp -s "$T/q$i-1.err" "$T/q$i-$j.err" ||
            bad "query $args: --threads $j says other things on stderr"
    done
    [ "$(wc -l <"$T/q$i-1.out")" -ge 2 ] || bad "query $args: no rows"
done <<'EOF'
--period 2024-01..2025-12
--period 2024-01..2025-12 --by period
--period 2024-01..2025-12 --by period,area,channel,scope,use,relation
--period 2024-01..2025-12 --by period,area,channel,scope,use
--period 2024-01..2025-12 --by area
--period 2024-01..2025-12 --by relation,province
--period 2024-01..2025-12 --by scope:top,use:top --sort amount
--period 2024-01..2025-12 --by area --top 5 --sort person_times
--period 2024-01..2025-12 --by area --where province=浙江,广东 --where use=pharmacy
--period 2024-02..2024-11 --by area --measures all
--period 2024-01..2024-09 --by period,area --vintage V
--period 2024-01..2024-09 --by relation --vintage V
EOF

note "review: the same findings and exit status"
run rv-1 "$GONGJI" review --db s.db --period 2024-12 --format csv --threads 1
rc1=$rc
run rv-3 "$GONGJI" review --db s.db --period 2024-12 --format csv --threads 3
[ "$rc1" = "$rc" ] ||
    bad "review: exit $rc1 with one connection, $rc with three"
cmp -s "$T/rv-1.out" "$T/rv-3.out" ||
    bad "review --threads 3 differs: $(diff "$T/rv-1.out" "$T/rv-3.out" | head -n 4)"
[ "$(wc -l <"$T/rv-1.out")" -ge 2 ] || bad "review: no findings at all"

note "readers while an ingest commits see the store before or after it"
for round in 1 2 3; do
    rm -f r.db r.db-wal r.db-shm
    ingest_sample r.db 2024-10-20
    "$GONGJI" query --db r.db --period 2024-01..2024-12 --by period,area \
        --format csv --threads 1 >"$T/before.csv" 2>/dev/null
    "$GONGJI" ingest --quiet --db r.db "$SAMPLE"/2024-11-15/*.csv \
        >"$T/w.out" 2>"$T/w.err" &
    w=$!
    n=0
    while kill -0 $w 2>/dev/null || [ $n = 0 ]; do
        n=$((n + 1))
        "$GONGJI" query --db r.db --period 2024-01..2024-12 --by period,area \
            --format csv --threads 4 >"$T/r$n.csv" 2>"$T/r$n.err" ||
            bad "round $round: reader $n: exit $?: $(head -n 2 "$T/r$n.err")"
        [ $n -lt 200 ] || break
    done
    wait $w || fail "round $round: the ingest failed: $(head -n 3 "$T/w.err")"
    "$GONGJI" query --db r.db --period 2024-01..2024-12 --by period,area \
        --format csv --threads 1 >"$T/after.csv" 2>/dev/null
    cmp -s "$T/before.csv" "$T/after.csv" &&
        fail "round $round: the ingest changed nothing to read"
    k=1
    while [ $k -le $n ]; do
        cmp -s "$T/r$k.csv" "$T/before.csv" || cmp -s "$T/r$k.csv" "$T/after.csv" ||
            bad "round $round: reader $k saw neither the store before nor after the ingest"
        k=$((k + 1))
    done
    note "round $round: $n readers"
done

finish
