#!/bin/sh
# SPDX-License-Identifier: MIT
# Per-settlement detail files (DESIGN §3b) and `gongji aggregate`:
#  - aggregate gives, byte for byte, the generator's own expected summary,
#    with any number of threads, in any encoding and line-end style, from a
#    file or from stdin;
#  - ingest stores the same figures; a corrected file replaces them;
#  - shards cut by payer province, aggregated one by one and then merged
#    with aggregate again, give the same bytes as the whole file;
#  - bad rows are rejected with FILE:LINE:COL, and personal IDs never
#    appear in a message except masked.
. "$(dirname "$0")/lib.sh"

GEND="$GONGJI_BUILD/tests/gen_detail"
[ -x "$GEND" ] || fail "no generator at $GEND (make $GEND)"
HEADER=settlement_id,settle_time,payer_area,beneficiary_area,use,relation,amount,payer_id,beneficiary_id

note "aggregate equals the generator's expected sums"
"$GEND" --seed 5 --rows 60000 --months 2 --expect "$T/exp.csv" "$T/d.csv" ||
    fail "gen_detail"
for j in 1 2 3; do
    run agg$j "$GONGJI" aggregate --threads $j "$T/d.csv"
    expect_rc agg$j 0
    cmp -s "$T/agg$j.out" "$T/exp.csv" ||
        fail "aggregate -j$j differs from the expected sums: $(diff "$T/exp.csv" "$T/agg$j.out" | head -n 5)"
    [ -s "$T/agg$j.err" ] && bad "aggregate -j$j wrote to stderr: $(head -n 3 "$T/agg$j.err")"
done
[ "$(head -n 1 "$T/agg1.out")" = "period,area,scope,use,relation,person_times,amount" ] ||
    bad "aggregate header: $(head -n 1 "$T/agg1.out")"
grep -q '\.[0-9][0-9]$' "$T/agg1.out" || bad "amounts without two decimals"
grep -q "$(printf '\r')" "$T/agg1.out" && bad "aggregate output has CR"

run stdin "$GONGJI" aggregate - <"$T/d.csv"
expect_rc stdin 0
cmp -s "$T/stdin.out" "$T/exp.csv" || bad "aggregate - (stdin) differs"

note "GB18030, Chinese header, CRLF: same sums"
"$GEND" --seed 5 --rows 60000 --months 2 --chinese --gb18030 --crlf \
    "$T/d-gb.csv" || fail "gen_detail --gb18030"
run gb "$GONGJI" aggregate "$T/d-gb.csv"
expect_rc gb 0
cmp -s "$T/gb.out" "$T/exp.csv" ||
    bad "GB18030/CRLF file: $(diff "$T/exp.csv" "$T/gb.out" | head -n 5)"

note "ingest stores the same figures; again: unchanged"
DB="$T/detail.db"
run ing "$GONGJI" ingest --db "$DB" "$T/d.csv"
expect_rc ing 0
grep -q '^stored ' "$T/ing.out" || fail "ingest did not say stored: $(cat "$T/ing.out")"
"$GONGJI" query --db "$DB" --period 2024-01..2024-12 \
    --by period,area,scope,use,relation --format csv >"$T/q.csv" ||
    fail "query after ingest"
cmp_sorted_csv "$T/exp.csv" "$T/q.csv" "ingested detail"
run chk "$GONGJI" check "$T/d.csv"
expect_rc chk 0
run ing2 "$GONGJI" ingest --db "$DB" "$T/d.csv"
expect_rc ing2 0
grep -q '^unchanged ' "$T/ing2.out" || bad "a repeat ingest was not unchanged"
sha=$(sha256sum <"$T/d.csv" | cut -c1-64)
"$GONGJI" submissions --db "$DB" --format csv >"$T/subs.csv" 2>&1 ||
    fail "submissions"
grep -q "$sha" "$T/subs.csv" || bad "the stored SHA-256 is not the file's ($sha)"

note "a corrected file replaces what the first stored"
"$GEND" --seed 6 --rows 30000 --no-multiline "$T/c.csv" || fail "gen_detail"
"$GONGJI" ingest --db "$T/c.db" "$T/c.csv" >/dev/null || fail "ingest c.csv"
head -n 29001 "$T/c.csv" >"$T/c2.csv" # the last 1000 rows withdrawn
run fix "$GONGJI" ingest --db "$T/c.db" "$T/c2.csv"
expect_rc fix 0
grep -q 'replaces' "$T/fix.out" || bad "the correction did not replace: $(cat "$T/fix.out")"
run fixagg "$GONGJI" aggregate "$T/c2.csv"
expect_rc fixagg 0
"$GONGJI" query --db "$T/c.db" --period 2024-01 \
    --by period,area,scope,use,relation --format csv >"$T/cq.csv" ||
    fail "query after the correction"
cmp_sorted_csv "$T/fixagg.out" "$T/cq.csv" "corrected detail"
"$GONGJI" submissions --db "$T/c.db" --history --format csv >"$T/ch.csv" ||
    fail "submissions --history"
grep -q 'c\.csv' "$T/ch.csv" || bad "the replaced version is not in the history"

note "shards by payer province, aggregated and merged: same bytes"
# Split by the first two digits of payer_area (field 3), joining records
# whose quoted settlement_id holds a newline; the header goes to every shard.
awk -v dir="$T" '
    NR == 1 { hdr = $0; next }
    {
        rec = (pending == "") ? $0 : pending "\n" $0
        n = gsub(/"/, "\"", rec)
        if (n % 2) { pending = rec; next }
        pending = ""
        split(rec, f, ",")
        a = f[3]; gsub(/"/, "", a)
        s = substr(a, 1, 2) % 4
        out = dir "/shard" s ".csv"
        if (!(out in seen)) { print hdr > out; seen[out] = 1 }
        print rec > out
    }' "$T/d.csv" || fail "awk split"
nshards=$(ls "$T"/shard*.csv | wc -l)
[ "$nshards" -ge 2 ] || fail "only $nshards shard(s)"
rows_whole=$(($(grep -c '' "$T/d.csv") - 1))
rows_shards=$(cat "$T"/shard*.csv | grep -vc '^settlement_id,')
[ "$rows_whole" = "$rows_shards" ] ||
    fail "the shards hold $rows_shards lines, the file $rows_whole"
for f in "$T"/shard*.csv; do
    "$GONGJI" aggregate "$f" >"${f%.csv}.part" ||
        fail "aggregate $(basename "$f")"
done
run merged "$GONGJI" aggregate "$T"/shard*.part
expect_rc merged 0
cmp -s "$T/merged.out" "$T/agg1.out" ||
    fail "merged partials differ from the whole: $(diff "$T/agg1.out" "$T/merged.out" | head -n 5)"
run merged2 sh -c "cat '$T'/shard*.part | '$GONGJI' aggregate -"
expect_rc merged2 0
cmp -s "$T/merged2.out" "$T/agg1.out" ||
    bad "concatenated partials on stdin differ from the whole"
# the same keys in two partials, each line ending in a tab (as Hadoop
# Streaming's text output leaves them): summed, not duplicates
"$GONGJI" aggregate "$T/shard0.part" "$T/shard0.part" >"$T/double.want" ||
    fail "aggregate a partial twice"
run double sh -c "cat '$T/shard0.part' '$T/shard0.part' | sed 's/\$/\t/' |
    '$GONGJI' aggregate -"
expect_rc double 0
cmp -s "$T/double.out" "$T/double.want" || bad "repeated partials on stdin"
run mixed "$GONGJI" aggregate "$T/shard0.part" "$T/shard1.csv" \
    "$T/shard2.part" "$T/shard3.csv"
expect_rc mixed 0
cmp -s "$T/mixed.out" "$T/agg1.out" || bad "detail and summary inputs mixed differ"
run hdrless sh -c "tail -n +2 '$T/d.csv' | '$GONGJI' aggregate --header '$HEADER' -"
expect_rc hdrless 0
cmp -s "$T/hdrless.out" "$T/agg1.out" || bad "headerless input with --header differs"
run twice sh -c "cat '$T/shard0.csv' '$T/shard1.csv' | '$GONGJI' aggregate -"
expect_rc twice 0
"$GONGJI" aggregate "$T/shard0.csv" "$T/shard1.csv" >"$T/twice.want" ||
    fail "aggregate two shards"
cmp -s "$T/twice.out" "$T/twice.want" || bad "concatenated detail files on stdin"

note "bad rows: FILE:LINE:COL, masked IDs, nothing stored"
cat >"$T/bad.csv" <<EOF
$HEADER
S1,2024-02-30 10:00:00,110100,110100,medical,spouse,12.30,110101199001011234,110101196505054321
S2,2024-02-03 10:00:00,990100,110100,medical,spouse,12.30,110101199001011235,110101196505054322
S3,2024-02-03 10:00:00,110100,110100,massage,spouse,12.30,110101199001011236,110101196505054323
S4,2024-02-03 10:00:00,110100,110100,medical,cousin,12.3O,110101199001011237,110101196505054324
S5,2024-02-03 10:00:00,110100,110100,medical,spouse,5.00,110101199001011238,110101199001011238
S6,2024-02-03 10:00:00,110100,110100,medical,spouse,5.00
S7,2024-02-03 10:00:00,110100,110100,medical,spouse,5.00,,110101196505054325
S8,2024-13-03 10:00:00,110100,110100,medical,spouse,5.00,110101199001011239,110101196505054326
S9,2024-02-03 10:00:00,110100,110100,medical,spouse,5.00,110101199001011241,11010119650505432"7
EOF
run bad "$GONGJI" ingest --db "$T/bad.db" "$T/bad.csv"
expect_rc bad 1
for want in "bad.csv:2:2: error: settle_time '2024-02-30 10:00:00'" \
    "bad.csv:3:3: error: payer_area '990100'" \
    "bad.csv:4:5: error: use 'massage'" \
    "bad.csv:5:6: error: relation 'cousin'" \
    "bad.csv:5:7: error: amount '12.3O'" \
    "bad.csv:6:9: error: beneficiary_id '110*************38'" \
    "bad.csv:7:7: error: row has 7 fields" \
    "bad.csv:8:8: error: payer_id is empty" \
    "bad.csv:9:2: error: settle_time '2024-13-03 10:00:00'" \
    "bad.csv:10:9: error: malformed quoting"; do
    grep -qF "$want" "$T/bad.err" || bad "no '$want' in: $(cat "$T/bad.err")"
done
for id in $(cut -d, -f8,9 "$T/bad.csv" | tail -n +2 | tr ',"' '\n\n' |
    grep -E '^[0-9X]{8,}$' | sort -u); do
    grep -qF "$id" "$T/bad.err" && bad "an ID appears in full in stderr: $id"
done
"$GONGJI" query --db "$T/bad.db" --period 2024-02 --format csv >"$T/bq.out" 2>&1
grep -q '^[0-9]' "$T/bq.out" && bad "a rejected file stored something"
run badagg "$GONGJI" aggregate "$T/bad.csv"
expect_rc badagg 1
[ -s "$T/badagg.out" ] && bad "aggregate wrote output for a rejected input"

note "more reversals than settlements is an error naming the key"
printf '%s\n%s\n%s\n' "$HEADER" \
    "S1,2024-03-01 09:00:00,330100,330100,pharmacy,child,20.00,330102198001010011,330102201001010022" \
    "R2,2024-03-02 09:00:00,330100,330100,pharmacy,child,-25.00,330102198001010011,330102201001010022" \
    >"$T/rev.csv"
run rev "$GONGJI" aggregate "$T/rev.csv"
expect_rc rev 1
grep -qF "more reversals than settlements: (2024-03, 330100, same_area, pharmacy, child)" \
    "$T/rev.err" || bad "reversal message: $(cat "$T/rev.err")"

note "syntax errors and empty files"
printf '%s\n%s\n%s\n' "$HEADER" \
    "S1,2024-03-01 09:00:00,330100,330100,pharmacy,child,20.00,330102198001010011,330102201001010022" \
    "\"S2,2024-03-01 09:00:00,330100,330100,pharmacy,child,20.00,330102198001010011,330102201001010022" \
    >"$T/open.csv"
run open "$GONGJI" aggregate "$T/open.csv"
expect_rc open 1
grep -qF "open.csv:3:1: error: unterminated quoted field" "$T/open.err" ||
    bad "unterminated quote: $(cat "$T/open.err")"
printf '%s\n' "$HEADER" >"$T/hdr.csv"
run hdr "$GONGJI" aggregate "$T/hdr.csv"
expect_rc hdr 1
grep -qF "not followed by any data rows" "$T/hdr.err" || bad "header only: $(cat "$T/hdr.err")"
printf 'settle_time,payer_area,use,amount\n2024-03-01 09:00:00,330100,medical,1.00\n' >"$T/miss.csv"
run miss "$GONGJI" aggregate "$T/miss.csv"
expect_rc miss 1
grep -qF "required column beneficiary_area" "$T/miss.err" || bad "missing column: $(cat "$T/miss.err")"

note "progress line on a terminal only, not with --quiet"
if command -v script >/dev/null 2>&1; then
    # a pipe that stalls for a second: the line is due after 0.25 s
    slow="{ head -n 30000 '$T/d.csv'; sleep 1; tail -n +30001 '$T/d.csv'; }"
    script -qc "$slow | '$GONGJI' aggregate - >/dev/null" /dev/null \
        >"$T/tty.txt" 2>&1
    grep -q 'M rows, .* MB/s' "$T/tty.txt" ||
        bad "no progress line on a terminal: $(head -c 300 "$T/tty.txt")"
    script -qc "$slow | '$GONGJI' aggregate --quiet - >/dev/null" /dev/null \
        >"$T/ttyq.txt" 2>&1
    grep -q 'MB/s' "$T/ttyq.txt" && bad "a progress line despite --quiet"
fi

note "usage"
run u1 "$GONGJI" aggregate
expect_rc u1 2
run u2 "$GONGJI" aggregate --threads 0 "$T/d.csv"
expect_rc u2 2
run u3 "$GONGJI" aggregate "$T/no-such.csv"
expect_rc u3 3
finish
