#!/bin/sh
# SPDX-License-Identifier: MIT
# kill -9 at any moment of an ingest leaves the store as it was before or
# after, never between: two big files with the same keys and different
# values are ingested in turn and killed after varied delays.
. "$(dirname "$0")/lib.sh"

sleep 0.01 2>/dev/null || skip "sleep does not take fractions of a second"
have_sqlite=0
command -v sqlite3 >/dev/null 2>&1 && have_sqlite=1
[ $have_sqlite = 1 ] || note "sqlite3 missing: integrity_check not run"

DB="$T/k.db"
ROWS=300000
A=$(gen --seed 11 --big $ROWS "$T/big-a.csv") || exit 1
B=$(gen --seed 12 --big $ROWS "$T/big-b.csv") || exit 1
[ "$A" != "$B" ] || fail "the two big files have the same totals"
note "big-a.csv totals $A, big-b.csv totals $B"

integrity() {
    [ $have_sqlite = 1 ] && [ -f "$DB" ] || return 0
    r=$(sqlite3 "$DB" 'PRAGMA integrity_check' 2>&1)
    [ "$r" = ok ] || fail "$1: integrity_check says: $r"
}

now_ms() {
    _t=$(date +%s%N 2>/dev/null)
    case "$_t" in
    *N | "") echo $(($(date +%s) * 1000)) ;;
    *) echo $((_t / 1000000)) ;;
    esac
}

# kill_run DELAY: ingest the file that is not in effect (so that there is
# work to do), kill -9 it after DELAY seconds, and check that the store is
# sound and holds either the state before or the file's totals.
state=0,0.00
i=0
kill_run() {
    i=$((i + 1))
    if [ "$state" = "$A" ]; then f=big-b.csv want=$B; else f=big-a.csv want=$A; fi
    "$GONGJI" ingest --db "$DB" "$T/$f" >"$T/kill.out" 2>"$T/kill.err" &
    pid=$!
    sleep "$1"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    st=$?
    integrity "run $i ($f, killed after $1 s)"
    if [ -f "$DB" ] && "$GONGJI" query --db "$DB" --period 2024-01 \
        >/dev/null 2>"$T/kq.err"; then
        now=$(total "$DB") || fail "run $i: query failed after the kill"
    elif [ -f "$DB" ] && grep -q 'has no gongji tables' "$T/kq.err"; then
        # killed before the schema was committed: the file is an empty store
        now=0,0.00
    elif [ -f "$DB" ]; then
        fail "run $i: query failed after the kill: $(cat "$T/kq.err")"
    else
        now=0,0.00 # killed before the store was created
    fi
    if [ "$now" = "$state" ]; then
        what=before
    elif [ "$now" = "$want" ]; then
        what=after
    else
        fail "run $i ($f, killed after $1 s, exit $st): total $now, neither before ($state) nor after ($want)"
    fi
    note "run $i: $f killed after $1 s (exit $st): store $what"
    state=$now
}

note "kills while the store is created"
kill_run 0.05
kill_run 0.3

note "big-a.csv in full"
t0=$(now_ms)
run fin "$GONGJI" ingest --db "$DB" "$T/big-a.csv"
expect_rc fin 0
ms=$(($(now_ms) - t0))
state=$(total "$DB")
[ "$state" = "$A" ] || fail "big-a.csv in full: total $state, expected $A"
integrity "full ingest of big-a.csv"
note "took $ms ms"

note "kills while a version is replaced"
for d in 0.6 0.15 0.45 0.1; do
    kill_run $d
done
# Late kills, at fractions of a full ingest's time, hit the writing and the
# commit rather than the parsing.
for pct in 60 80 90 100 110 120 130 150; do
    d=$((ms * pct / 100))
    kill_run "$((d / 1000)).$(printf %03d $((d % 1000)))"
done

note "to completion"
for f in big-a.csv big-b.csv; do
    run fin "$GONGJI" ingest --db "$DB" "$T/$f"
    expect_rc fin 0
    integrity "complete ingest of $f"
done
[ "$(total "$DB")" = "$B" ] || fail "total $(total "$DB"), expected $B"
run fin "$GONGJI" ingest --db "$DB" "$T/big-b.csv"
expect_rc fin 0
grep -q '^unchanged ' "$T/fin.out" || fail "big-b.csv again: not unchanged"
[ "$(total "$DB")" = "$B" ] || fail "total after repeat $(total "$DB"), expected $B"
exit 0
