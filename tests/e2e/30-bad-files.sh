#!/bin/sh
# SPDX-License-Identifier: MIT
# Bad input files (tests/e2e/bad/): each is rejected with exit 1, reported at
# FILE:LINE:COL with a message quoting the value, and leaves the store
# exactly as it was.  FILE is the path as given on the command line.
. "$(dirname "$0")/lib.sh"

DB="$T/b.db"

# has_line FILE PREFIX WORD: some line of FILE starts with PREFIX and
# contains WORD (both plain strings).
has_line() {
    awk -v p="$2" -v k="$3" \
        'index($0, p) == 1 && index($0, k) > 0 { f = 1 } END { exit !f }' "$1"
}

note "baseline: good.csv (浙江 2024-01)"
run base "$GONGJI" ingest --db "$DB" "$BAD/good.csv"
expect_rc base 0
[ "$(total "$DB")" = "1540,231000.55" ] ||
    fail "good.csv total $(total "$DB"), expected 1540,231000.55"
snapshot "$DB" "$T/snap0"
grep -q '^rc=0$' "$T/snap0" || fail "snapshot queries failed: $(cat "$T/snap0")"

# case FILE PREFIX WORD: FILE is rejected by ingest (absolute path) and by
# check (relative path), with a line "FILE<PREFIX>" containing WORD, and the
# store is unchanged.
bad_case() {
    f=$1
    run ing "$GONGJI" ingest --db "$DB" "$BAD/$f"
    if [ "$rc" != 1 ]; then
        bad "$f: ingest exit $rc, expected 1; stderr: $(head -n 3 "$T/ing.err")"
    elif ! has_line "$T/ing.err" "$BAD/$f$2" "$3"; then
        bad "$f: ingest stderr has no line '$BAD/$f$2...$3...': $(head -n 3 "$T/ing.err")"
    fi
    grep -q '^stored ' "$T/ing.out" && bad "$f: ingest says stored"
    snapshot "$DB" "$T/snap"
    cmp -s "$T/snap0" "$T/snap" || bad "$f: the store changed"

    (cd "$BAD" && "$GONGJI" check "$f") >"$T/chk.out" 2>"$T/chk.err"
    rc=$?
    if [ "$rc" != 1 ]; then
        bad "$f: check exit $rc, expected 1"
    elif ! has_line "$T/chk.err" "$f$2" "$3"; then
        bad "$f: check stderr has no line '$f$2...$3...': $(head -n 3 "$T/chk.err")"
    fi
}

note "one bad value per file"
bad_case amount-malformed.csv ':3:7: error:' "'12,5O'"
bad_case amount-3decimals.csv ':2:7: error:' "'12.345'"
bad_case amount-negative.csv ':4:7: error:' "'-5.00'"
bad_case persontimes-negative.csv ':2:6: error:' "'-3'"
# 15 digits or more are shown masked, as an ID would be
bad_case amount-overflow.csv ':3:7: error:' "'123*************************90'"
bad_case province-unknown.csv ':2:2: error:' "'990100'"
bad_case period-impossible.csv ':3:1: error:' "'2024-13'"
bad_case scope-unknown.csv ':2:3: error:' "'same_city'"
bad_case use-unknown.csv ':2:4: error:' "'hospital'"
bad_case relation-unknown.csv ':2:5: error:' "'cousin'"
note "file-level problems"
bad_case column-missing.csv ':1: error:' 'amount'
bad_case duplicate-key.csv ':4: error:' 'line 2'
bad_case duplicate-key.csv ':4: error:' 'duplicate'
bad_case undecodable.csv ':4:' 'UTF-8'
bad_case quote-unterminated.csv ':3:' 'quote'
bad_case empty.csv ': error:' 'empty'
# A header without rows covers no (province, month): rejecting it is the
# safer reading (a truncated export), and what gongji does.
bad_case header-only.csv ':1: error:' 'data rows'

note "three errors in one file: all reported"
run ing "$GONGJI" ingest --db "$DB" "$BAD/three-errors.csv"
[ "$rc" = 1 ] || bad "three-errors.csv: exit $rc, expected 1"
for p in ":3:6: error:|'x3'" ":4:4: error:|'medicine'" ":6:1: error:|'2024-00'"; do
    has_line "$T/ing.err" "$BAD/three-errors.csv${p%|*}" "${p#*|}" ||
        bad "three-errors.csv: no '${p%|*} ... ${p#*|}' in: $(cat "$T/ing.err")"
done
[ "$(grep -c ': error:' "$T/ing.err")" = 3 ] ||
    bad "three-errors.csv: $(grep -c ': error:' "$T/ing.err") error lines, expected 3"
snapshot "$DB" "$T/snap"
cmp -s "$T/snap0" "$T/snap" || bad "three-errors.csv: the store changed"

note "one good and one bad file: nothing stored without --keep-going"
run ing "$GONGJI" ingest --db "$DB" "$BAD/good2.csv" "$BAD/amount-3decimals.csv"
[ "$rc" = 1 ] || bad "good2 + bad: exit $rc, expected 1"
has_line "$T/ing.err" "$BAD/amount-3decimals.csv:2:7: error:" "'12.345'" ||
    bad "good2 + bad: the error is not reported"
grep -q '^stored ' "$T/ing.out" && bad "good2 + bad: says stored: $(cat "$T/ing.out")"
snapshot "$DB" "$T/snap"
cmp -s "$T/snap0" "$T/snap" || bad "good2 + bad: the store changed"

note "--keep-going stores the good one and still exits 1"
run ing "$GONGJI" ingest --db "$DB" --keep-going "$BAD/good2.csv" \
    "$BAD/amount-3decimals.csv"
[ "$rc" = 1 ] || bad "--keep-going good2 + bad: exit $rc, expected 1"
grep -q "^stored  *$BAD/good2.csv" "$T/ing.out" ||
    bad "--keep-going: good2.csv not stored: $(cat "$T/ing.out")"
[ "$(total "$DB" 2024-02)" = "15,2100.10" ] ||
    bad "--keep-going: 2024-02 total $(total "$DB" 2024-02), expected 15,2100.10"
[ "$(total "$DB" 2024-01)" = "1540,231000.55" ] ||
    bad "--keep-going: 2024-01 total $(total "$DB" 2024-01), expected the baseline"

note "an area missing from data/areas.csv: error with --strict, else warning"
snapshot "$DB" "$T/snap1"
run ing "$GONGJI" ingest --db "$DB" --strict "$BAD/area-unknown.csv"
[ "$rc" = 1 ] || bad "area-unknown.csv --strict: exit $rc, expected 1"
has_line "$T/ing.err" "$BAD/area-unknown.csv:3:2: error:" "'330199'" ||
    bad "area-unknown.csv --strict: no error at 3:2: $(cat "$T/ing.err")"
snapshot "$DB" "$T/snap"
cmp -s "$T/snap1" "$T/snap" || bad "area-unknown.csv --strict: the store changed"
(cd "$BAD" && "$GONGJI" check --strict area-unknown.csv) >/dev/null 2>&1
[ $? = 1 ] || bad "check --strict area-unknown.csv: not exit 1"
(cd "$BAD" && "$GONGJI" check area-unknown.csv) >/dev/null 2>"$T/chk.err"
[ $? = 0 ] || bad "check area-unknown.csv: not exit 0"
has_line "$T/chk.err" "area-unknown.csv:3:2: warning:" "330199" ||
    bad "check area-unknown.csv: no warning at 3:2"

# it drops 浙江 2024-01's stored areas on purpose: --replace
run ing "$GONGJI" ingest --db "$DB" --replace "$BAD/area-unknown.csv"
[ "$rc" = 0 ] || bad "area-unknown.csv: exit $rc, expected 0"
has_line "$T/ing.err" "$BAD/area-unknown.csv:3:2: warning:" "330199" ||
    bad "area-unknown.csv: no warning at 3:2: $(cat "$T/ing.err")"
grep -q ': error:' "$T/ing.err" && bad "area-unknown.csv: an error was printed"
run q "$GONGJI" query --db "$DB" --period 2024-01 --by area --format csv
grep -qx '330199,3,450.00' "$T/q.out" ||
    bad "area-unknown.csv: area 330199 not stored: $(cat "$T/q.out")"
[ "$(total "$DB" 2024-01)" = "103,15450.00" ] ||
    bad "area-unknown.csv replaced 浙江 2024-01: total $(total "$DB" 2024-01), expected 103,15450.00"
finish
