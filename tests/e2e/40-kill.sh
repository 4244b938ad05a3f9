#!/bin/sh
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
A=$(gen --seed 11 --big $ROWS "$T/big-a.csv")
B=$(gen --seed 12 --big $ROWS "$T/big-b.csv")
[ "$A" != "$B" ] || fail "the two big files have the same totals"
note "big-a.csv totals $A, big-b.csv totals $B"

integrity() {
    [ $have_sqlite = 1 ] && [ -f "$DB" ] || return 0
    r=$(sqlite3 "$DB" 'PRAGMA integrity_check' 2>&1)
    [ "$r" = ok ] || fail "$1: integrity_check says: $r"
}

state=0,0.00
i=0
for delay in 0.05 0.6 0.15 0.45 0.3 0.1 0.25 0.5; do
    i=$((i + 1))
    if [ $((i % 2)) = 1 ]; then f=big-a.csv want=$A; else f=big-b.csv want=$B; fi
    "$GONGJI" ingest --db "$DB" "$T/$f" >"$T/kill.out" 2>"$T/kill.err" &
    pid=$!
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    st=$?
    integrity "run $i ($f, killed after ${delay}s)"
    if [ -f "$DB" ]; then
        now=$(total "$DB") || fail "run $i: query failed after the kill"
    else
        now=0,0.00 # killed before the store was created
    fi
    if [ "$now" = "$state" ]; then
        what=before
    elif [ "$now" = "$want" ]; then
        what=after
    else
        fail "run $i ($f, killed after ${delay}s, exit $st): total $now, neither before ($state) nor after ($want)"
    fi
    note "run $i: $f killed after ${delay}s (exit $st): store $what"
    state=$now
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
