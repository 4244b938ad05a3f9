#!/bin/sh
# SPDX-License-Identifier: MIT
# The command line: help, usage errors (exit 2, message on stderr, nothing on
# stdout), the store's location, and results on an empty store.
. "$(dirname "$0")/lib.sh"

DB="$T/cli.db"

note "help"
run h "$GONGJI" --help
expect_rc h 0
grep -qi '^usage:' "$T/h.out" || fail "--help: no usage line on stdout"
for c in ingest check query submissions; do
    grep -q "$c" "$T/h.out" || fail "--help does not list '$c'"
done
for c in ingest check query submissions; do
    run h "$GONGJI" $c --help
    expect_rc h 0
    grep -qi "^usage: .*$c" "$T/h.out" || fail "$c --help: no usage line on stdout"
done
run h "$GONGJI" query --help
for o in --db --period --by --where --sort --top --format; do
    grep -q -- "$o" "$T/h.out" || fail "query --help does not mention $o"
done

# usage_error NAME ARGS...: exit 2, stderr says something, stdout empty.
usage_error() {
    _name=$1
    shift
    run ue "$GONGJI" "$@"
    [ "$rc" = 2 ] || bad "$_name (gongji $*): exit $rc, expected 2; stderr: $(head -n 2 "$T/ue.err")"
    [ -s "$T/ue.err" ] || bad "$_name (gongji $*): no message on stderr"
    [ ! -s "$T/ue.out" ] || bad "$_name (gongji $*): output on stdout: $(head -n 2 "$T/ue.out")"
}

run i "$GONGJI" ingest --db "$DB" "$BAD/good.csv"
expect_rc i 0

note "usage errors"
usage_error "no command"
usage_error "unknown command" frobnicate
grep -q frobnicate "$T/ue.err" || bad "unknown command: the message does not name it"
usage_error "bad option" query --db "$DB" --period 2024-01 --bogus
usage_error "bad ingest option" ingest --db "$DB" --bogus "$BAD/good.csv"
usage_error "ingest without files" ingest --db "$DB"
usage_error "check without files" check
usage_error "impossible period" query --db "$DB" --period 2024-13
grep -q '2024-13' "$T/ue.err" || bad "--period 2024-13: the message does not quote it"
usage_error "malformed period" query --db "$DB" --period 2024-1x
usage_error "reversed range" query --db "$DB" --period 2024-06..2024-01
usage_error "no period" query --db "$DB"
usage_error "unknown dimension" query --db "$DB" --period 2024-01 --by county
usage_error "unknown --where dimension" query --db "$DB" --period 2024-01 --where county=1
usage_error "unknown province" query --db "$DB" --period 2024-01 --where province=火星
usage_error "unknown scope value" query --db "$DB" --period 2024-01 --where scope=nearby
usage_error "bad sort" query --db "$DB" --period 2024-01 --sort rows
usage_error "bad top" query --db "$DB" --period 2024-01 --top x
usage_error "zero top" query --db "$DB" --period 2024-01 --top 0
usage_error "bad format" query --db "$DB" --period 2024-01 --format xml
usage_error "bad submissions format" submissions --db "$DB" --format xml

note "csv headers"
run q "$GONGJI" query --db "$DB" --period 2024-01 --by period --format csv
expect_rc q 0
[ "$(cat "$T/q.out")" = "period,person_times,amount
2024-01,1540,231000.55" ] || fail "--by period csv: $(cat "$T/q.out")"
run q "$GONGJI" query --db "$DB" --period 2024-01 --by scope,area --format csv
expect_rc q 0
[ "$(head -n 1 "$T/q.out")" = "scope,area,person_times,amount" ] ||
    fail "--by scope,area header: $(head -n 1 "$T/q.out")"
grep -qx 'same_area,330100,1500,225000.55' "$T/q.out" ||
    fail "--by scope,area: no row same_area,330100,1500,225000.55: $(cat "$T/q.out")"
grep -qx 'same_area,339900,0,0.00' "$T/q.out" ||
    fail "--by scope,area: the zero row is missing: $(cat "$T/q.out")"
run q "$GONGJI" query --db "$DB" --period 202401 --by relation --format csv
expect_rc q 0
grep -qx 'child,40,6000.00' "$T/q.out" ||
    fail "--period 202401 --by relation: $(cat "$T/q.out")"
run q "$GONGJI" query --db "$DB" --period 2024年1月 --where use=定点零售药店 --format csv
expect_rc q 0
[ "$(sed -n 2p "$T/q.out")" = "300,45000.05" ] ||
    fail "--period 2024年1月 --where use=定点零售药店: $(cat "$T/q.out")"

note "a period with no data"
run q "$GONGJI" query --db "$DB" --period 2030-01 --format csv
expect_rc q 0
case "$(tail -n +2 "$T/q.out")" in
"" | "0,0.00") ;;
*) fail "empty period: $(cat "$T/q.out")" ;;
esac
[ "$(head -n 1 "$T/q.out")" = "person_times,amount" ] || fail "empty period: no header"
run q "$GONGJI" query --db "$DB" --period 2030-01 --by period --format csv
expect_rc q 0
[ "$(cat "$T/q.out")" = "period,person_times,amount" ] ||
    fail "empty period --by period: $(cat "$T/q.out")"
run q "$GONGJI" query --db "$DB" --period 2030-01 --by province --format json
expect_rc q 0
[ "$(tr -d ' \n' <"$T/q.out")" = "[]" ] || fail "empty period json: $(cat "$T/q.out")"

note "a store that does not exist: a clear message, exit 3, nothing created"
for cmd in "query --period 2024-01" "submissions"; do
    run q "$GONGJI" $cmd --db "$T/none.db"
    [ "$rc" = 3 ] || bad "$cmd on a missing store: exit $rc, expected 3"
    grep -q 'none.db' "$T/q.err" || bad "$cmd on a missing store: message does not name it"
    [ ! -e "$T/none.db" ] || bad "$cmd created the missing store"
done

note "a missing input file: exit 3, nothing stored"
snapshot "$DB" "$T/snap0"
run i "$GONGJI" ingest --db "$DB" "$BAD/good2.csv" "$T/missing.csv"
[ "$rc" = 3 ] || bad "missing input: exit $rc, expected 3"
grep -q "^$T/missing.csv:" "$T/i.err" || bad "missing input: not named: $(cat "$T/i.err")"
snapshot "$DB" "$T/snap"
cmp -s "$T/snap0" "$T/snap" || bad "missing input: the store changed"

note "where the store is: --db, else \$GONGJI_DB, else ./gongji.db"
mkdir "$T/w" && cd "$T/w" || fail "mkdir"
run i "$GONGJI" ingest "$BAD/good2.csv"
expect_rc i 0
[ -f "$T/w/gongji.db" ] || fail "no ./gongji.db after ingest without --db"
GONGJI_DB="$T/env.db" "$GONGJI" ingest "$BAD/good.csv" >/dev/null 2>&1 ||
    fail "ingest with GONGJI_DB failed"
[ -f "$T/env.db" ] || fail "GONGJI_DB=$T/env.db not used"
[ "$(total "$T/w/gongji.db")" = "15,2100.10" ] || fail "./gongji.db holds the wrong data"
[ "$(GONGJI_DB="$T/env.db" "$GONGJI" query --period 2024-01..2024-02 --format csv |
    sed -n 2p)" = "1540,231000.55" ] || fail "query with GONGJI_DB: wrong data"
[ "$(GONGJI_DB="$T/env.db" "$GONGJI" query --db "$T/w/gongji.db" \
    --period 2024-01..2024-02 --format csv | sed -n 2p)" = "15,2100.10" ] ||
    fail "--db does not win over GONGJI_DB"
cd "$T" || fail "cd"
finish
