#!/bin/sh
# SPDX-License-Identifier: MIT
# Ingesting the same files again changes nothing and says so; a corrected
# file replaces its (province, month) pairs, by exactly the difference,
# says so in a 'changed' line, and the old version stays in the history.
. "$(dirname "$0")/lib.sh"

DB="$T/r.db"
P=2024-01..2024-06
gen --seed 7 "$T/g"
nfiles=$(ls "$T/g/in" | wc -l)

run i1 "$GONGJI" ingest --db "$DB" "$T"/g/in/*.csv
expect_rc i1 0
[ "$(grep -c '^stored ' "$T/i1.out")" = "$nfiles" ] ||
    fail "first ingest: not $nfiles 'stored' lines"
"$GONGJI" query --db "$DB" --period $P --by area,period,scope,use,relation \
    --format csv >"$T/q1.csv" || fail "query after first ingest"
"$GONGJI" query --db "$DB" --period $P --by area --format csv >"$T/a1.csv" ||
    fail "query by area"
cmp_sorted_csv "$T/g/expected/area.csv" "$T/a1.csv" "first ingest, by area"
run s1 "$GONGJI" submissions --db "$DB" --format csv
expect_rc s1 0
run h1 "$GONGJI" submissions --db "$DB" --history --format csv
expect_rc h1 0
cmp -s "$T/s1.out" "$T/h1.out" ||
    fail "--history differs from current while nothing was replaced"

note "the same files again: every one unchanged"
run i2 "$GONGJI" ingest --db "$DB" "$T"/g/in/*.csv
expect_rc i2 0
[ "$(grep -c '^unchanged ' "$T/i2.out")" = "$nfiles" ] ||
    fail "second ingest: $(grep -c '^unchanged ' "$T/i2.out") 'unchanged' lines for $nfiles files"
! grep -q '^stored ' "$T/i2.out" || fail "second ingest stored something"
"$GONGJI" query --db "$DB" --period $P --by area,period,scope,use,relation \
    --format csv >"$T/q2.csv" || fail "query after second ingest"
cmp -s "$T/q1.csv" "$T/q2.csv" || fail "query results changed by a repeat"
run s2 "$GONGJI" submissions --db "$DB" --history --format csv
expect_rc s2 0
cmp -s "$T/h1.out" "$T/s2.out" ||
    fail "submissions --history changed by a repeat: $(diff "$T/h1.out" "$T/s2.out" | head -n 5)"

note "one file corrected: one amount up by 1.23"
# A plain file (UTF-8, LF, no quotes, English header) covering one month,
# so that awk can edit it safely.
victim=
cr=$(printf '\r')
for f in "$T"/g/in/*_[0-9][0-9][0-9][0-9][0-9][0-9].csv; do
    case "$f" in *+*) continue ;; esac
    head -n 1 "$f" | grep -q '^[a-z_,]*$' || continue
    grep -q "[\"$cr]" "$f" && continue
    head -n 1 "$f" | grep -q amount || continue
    victim=$f
    break
done
[ -n "$victim" ] || fail "no plain single-month file to edit (seed 7)"
old_sha=$(sha256sum <"$victim" | cut -c1-64)
cp "$victim" "$T/orig.csv"
awk -F, -v OFS=, '
    NR == 1 { for (i = 1; i <= NF; i++) if ($i == "amount") c = i }
    NR == 2 {
        n = split($c, p, ".")
        f = p[1] * 100 + (n > 1 ? substr(p[2] "00", 1, 2) : 0) + 123
        $c = sprintf("%d.%02d", int(f / 100), f % 100)
    }
    { print }' "$T/orig.csv" >"$victim"
new_sha=$(sha256sum <"$victim" | cut -c1-64)
[ "$old_sha" != "$new_sha" ] || fail "edit did not change $victim"
[ "$(diff "$T/orig.csv" "$victim" | grep -c '^[<>]')" = 2 ] ||
    fail "edit changed more than one line"

before=$(total "$DB" $P)
run i3 "$GONGJI" ingest --db "$DB" "$T"/g/in/*.csv
expect_rc i3 0
[ "$(grep -c '^stored ' "$T/i3.out")" = 1 ] ||
    fail "third ingest: not exactly one 'stored' line: $(grep '^stored' "$T/i3.out")"
grep -q "^stored  *$victim\\($\\|[: ]\\)" "$T/i3.out" ||
    fail "third ingest: the edited file is not 'stored'"
[ "$(grep -c '^unchanged ' "$T/i3.out")" = $((nfiles - 1)) ] ||
    fail "third ingest: the others are not all 'unchanged'"
after=$(total "$DB" $P)
[ "${after%,*}" = "${before%,*}" ] ||
    fail "person_times changed from ${before%,*} to ${after%,*}"
diff=$(($(fen "${after#*,}") - $(fen "${before#*,}")))
[ "$diff" = 123 ] ||
    fail "total amount moved by $diff fen (${before#*,} -> ${after#*,}), expected 123"
[ "$(grep -c '^  changed ' "$T/i3.out")" = 1 ] ||
    fail "third ingest: not exactly one 'changed' line: $(cat "$T/i3.out")"
grep -q "^  changed [0-9]\{6\} .*: person-times +0 ([0-9]* -> [0-9]*), amount +1.23 ([0-9.]* -> [0-9.]*); replaces $victim\$" "$T/i3.out" ||
    fail "the correction's change is not reported: $(grep '^  changed' "$T/i3.out")"

note "history keeps the replaced version"
run h3 "$GONGJI" submissions --db "$DB" --history --format csv
expect_rc h3 0
check_submissions_header "$T/h3.out"
csv_cols "$T/h3.out" sha256 status >"$T/h3.cols"
grep -qx "$old_sha,replaced" "$T/h3.cols" ||
    fail "--history: old version $old_sha not 'replaced': $(grep "$old_sha" "$T/h3.cols")"
grep -qx "$new_sha,current" "$T/h3.cols" ||
    fail "--history: new version $new_sha not 'current'"
[ "$(wc -l <"$T/h3.cols")" = 193 ] ||
    fail "--history: $(wc -l <"$T/h3.cols") rows, expected 192 current + 1 replaced"
run s3 "$GONGJI" submissions --db "$DB" --format csv
expect_rc s3 0
csv_cols "$T/s3.out" sha256 status >"$T/s3.cols"
! grep -q "$old_sha" "$T/s3.cols" || fail "the replaced version is listed without --history"
! grep -q ',replaced$' "$T/s3.cols" || fail "'replaced' rows without --history"
[ "$(wc -l <"$T/s3.cols")" = 192 ] ||
    fail "submissions: $(wc -l <"$T/s3.cols") current rows, expected 192"

note "the original bytes again: stored, totals back"
cp "$T/orig.csv" "$victim"
run i4 "$GONGJI" ingest --db "$DB" "$victim"
expect_rc i4 0
grep -q '^stored ' "$T/i4.out" ||
    fail "re-ingest of the earlier version: not 'stored': $(cat "$T/i4.out")"
grep -q "^  changed .*: person-times +0 (.*), amount -1.23 (.*); replaces $victim\$" "$T/i4.out" ||
    fail "the revert's change is not reported: $(cat "$T/i4.out")"
[ "$(total "$DB" $P)" = "$before" ] || fail "totals not back to $before"
"$GONGJI" query --db "$DB" --period $P --by area,period,scope,use,relation \
    --format csv >"$T/q4.csv" || fail "query after revert"
cmp -s "$T/q1.csv" "$T/q4.csv" || fail "detail not back to the first ingest"
finish
