#!/bin/sh
# SPDX-License-Identifier: MIT
# Kill soak (make check-soak): SIGKILL at random moments of
#   A. an ingest of many files into a new store,
#   B. a correction: new versions of every stored (province, month),
#   C. a bulletin (a reader),
# and after each kill: PRAGMA integrity_check is ok, and what a user sees
# (every stored cell by `query --format csv`, every version by
# `submissions --history --format csv`, ingest times aside) is exactly the
# state before or the state after, nothing between.  A new ingest must then
# still work.  tests/e2e/40-kill.sh kills one big file at chosen delays;
# this kills runs of 179 files at random delays.
#
#   sh tests/soak.sh BUILD_DIR
#
# SOAK_SEED fixes the random delays (printed, to replay a failure);
# SOAK_KILLS (default 12) kills per part.  The process group is killed
# (setsid), so that a bulletin's gnuplot children die with it.
#
# The bulletin outputs (part C): each of bulletin.md, attachment.xlsx and
# charts/* must be absent or byte-identical to a full run's (the bulletin
# writes every output by rename).  SOAK_BULLETIN_ATOMIC=0 only counts and
# reports such kills instead of failing (XFAIL).
BUILD=${1:-build}
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/tests/scratch.sh"
case "$BUILD" in /*) ;; *) BUILD="$TOP/$BUILD" ;; esac
GONGJI_TOP=$TOP GONGJI_BUILD=$BUILD GONGJI=$BUILD/gongji
export GONGJI_TOP GONGJI_BUILD GONGJI
. "$TOP/tests/e2e/lib.sh"

command -v setsid >/dev/null 2>&1 || skip "no setsid (util-linux)"
command -v sqlite3 >/dev/null 2>&1 || skip "no sqlite3 (PRAGMA integrity_check)"
sleep 0.01 2>/dev/null || skip "sleep does not take fractions of a second"

KILLS=${SOAK_KILLS:-12}
SEED=${SOAK_SEED:-$(($(date +%s) % 100000))}
ATOMIC=${SOAK_BULLETIN_ATOMIC:-1}
export SOURCE_DATE_EPOCH=1730000000
DB="$T/k.db"
note "seed $SEED (SOAK_SEED=$SEED replays these delays), $KILLS kills per part"

now_ms() {
    _t=$(date +%s%N)
    echo $((_t / 1000000))
}

# delays N MAX_MS SALT [EARLY]: N random delays in [0, MAX_MS] ms, as
# seconds "0.123"; with EARLY, two in three within the first 1/EARLY.
delays() {
    awk -v n="$1" -v max="$2" -v seed="$SEED$3" -v early="${4:-1}" 'BEGIN {
        srand(seed)
        for (i = 0; i < n; i++)
            printf "%.3f\n", rand() * max / 1000 / (i % 3 != 2 ? early : 1)
    }'
}

# state DB FILE: what a user sees of the store, ingest times removed; a
# store that does not exist or holds nothing is "empty".
state() {
    if [ ! -s "$1" ]; then
        echo empty >"$2"
        return
    fi
    snapshot "$1" "$2.raw"
    if grep -q 'not a gongji store\|has no gongji tables' "$2.raw" &&
        [ "$(sqlite3 "$1" 'SELECT count(*) FROM sqlite_master' 2>&1)" = 0 ]; then
        echo empty >"$2" # created, killed before the schema was committed
        return
    fi
    # query's warning about months without data follows from the cells
    # themselves: left out, so an empty store still reads as one
    grep -v 'warning: nothing is stored for' "$2.raw" |
        sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/TIME/' \
            >"$2"
    # a store with its tables and no submission: as if there were none
    if [ "$(wc -l <"$2")" = 4 ] && [ "$(grep -c '^rc=0$' "$2")" = 2 ]; then
        echo empty >"$2"
    fi
}

integrity() {
    [ -f "$DB" ] || return 0
    _r=$(sqlite3 "$DB" 'PRAGMA integrity_check' 2>&1)
    [ "$_r" = ok ] || bad "$1: integrity_check says: $_r"
}

# killed NAME DELAY CMD...: run CMD in its own process group and SIGKILL
# the group after DELAY seconds (it may have finished by then).
killed() {
    _n=$1 _d=$2
    shift 2
    setsid "$@" >"$T/$_n.out" 2>"$T/$_n.err" &
    _pid=$!
    sleep "$_d"
    kill -9 -"$_pid" 2>/dev/null || kill -9 "$_pid" 2>/dev/null
    wait "$_pid" 2>/dev/null
    krc=$?
}

# Two versions of a national set (same files, same (province, month)
# pairs, other figures): 179 files each.
gen --seed 21 "$T/a" >/dev/null
gen --seed 22 "$T/b" >/dev/null
set -- "$T"/a/in/*.csv
NFILES=$#

# The known states, by runs that are not killed.
t0=$(now_ms)
run a "$GONGJI" ingest --quiet --db "$T/A.db" "$T"/a/in/*.csv
expect_rc a 0
ms_ingest=$(($(now_ms) - t0))
state "$T/A.db" "$T/state.A"
cp "$T/A.db" "$T/B.db"
t0=$(now_ms)
run b "$GONGJI" ingest --quiet --db "$T/B.db" "$T"/b/in/*.csv
expect_rc b 0
ms_correct=$(($(now_ms) - t0))
state "$T/B.db" "$T/state.B"
echo empty >"$T/state.0"
cmp -s "$T/state.A" "$T/state.B" && fail "the two versions look the same"
grep -q '^rc=0$' "$T/state.A" || fail "query of the first version failed"
note "ingest of $NFILES files: $ms_ingest ms; correction: $ms_correct ms"

# after PART I BEFORE AFTER: the store must be in one of the two states;
# w says which.
after() {
    integrity "$1$2 (killed after $d s, exit $krc)"
    state "$DB" "$T/state.now"
    if cmp -s "$T/state.now" "$3"; then
        w=before
    elif cmp -s "$T/state.now" "$4"; then
        w=after
    else
        bad "$1$2 (killed after $d s, exit $krc): the store is neither before nor after"
        diff "$4" "$T/state.now" | head -n 10 >&2
        w=neither
    fi
}

fresh() { # DB-COPY: start the next kill from this store
    rm -f "$DB" "$DB-wal" "$DB-shm" "$DB-journal"
    [ -n "$1" ] && cp "$1" "$DB"
    return 0
}

nb=0 na=0 kills=0
tally() {
    kills=$((kills + 1))
    case "$1" in before) nb=$((nb + 1)) ;; after) na=$((na + 1)) ;; esac
}

note "A. ingest of $NFILES files into a new store, killed at random"
i=0
for d in $(delays "$KILLS" "$ms_ingest" 1); do
    i=$((i + 1))
    fresh ""
    killed ka "$d" "$GONGJI" ingest --quiet --db "$DB" "$T"/a/in/*.csv
    after A $i "$T/state.0" "$T/state.A"
    tally "$w"
    note "A$i: killed after $d s (exit $krc): $w"
    if [ "$w" = before ]; then # what is left must not stop the next run
        run again "$GONGJI" ingest --quiet --db "$DB" "$T"/a/in/*.csv
        [ "$rc" = 0 ] || bad "A$i: ingest after the kill: exit $rc: $(head -n 2 "$T/again.err")"
        state "$DB" "$T/state.now"
        cmp -s "$T/state.now" "$T/state.A" ||
            bad "A$i: ingest after the kill does not give the full state"
    fi
done

note "B. correction of every stored (province, month), killed at random"
i=0
for d in $(delays "$KILLS" "$ms_correct" 2); do
    i=$((i + 1))
    fresh "$T/A.db"
    killed kb "$d" "$GONGJI" ingest --quiet --db "$DB" "$T"/b/in/*.csv
    after B $i "$T/state.A" "$T/state.B"
    tally "$w"
    note "B$i: killed after $d s (exit $krc): $w"
    if [ "$w" = before ]; then
        run again "$GONGJI" ingest --quiet --db "$DB" "$T"/b/in/*.csv
        [ "$rc" = 0 ] || bad "B$i: correction after the kill: exit $rc"
        state "$DB" "$T/state.now"
        cmp -s "$T/state.now" "$T/state.B" ||
            bad "B$i: correction after the kill does not give the corrected state"
    fi
done

# C. bulletin: the store is only read; the outputs of a killed run must be
# the previous good set (REF: same store, same arguments, so the same
# bytes) or, written into an empty directory, each file absent or whole.
BUL="bulletin --quiet --db $DB --period 2024-06 --as-of 2024-07-20"
fresh "$T/A.db"
t0=$(now_ms)
# shellcheck disable=SC2086
run c "$GONGJI" $BUL --out "$T/ref"
expect_rc c 0
ms_bulletin=$(($(now_ms) - t0))
[ -s "$T/ref/attachment.xlsx" ] && [ -s "$T/ref/bulletin.md" ] ||
    fail "the bulletin wrote no attachment.xlsx or bulletin.md"
note "C. bulletin (full run: $ms_bulletin ms), killed at random"
outputs_bad=0
i=0
# The text and the workbook are written in the first few per cent of the
# run (2-5 %), the charts in the rest: most kills aim at the start.
for d in $(delays "$KILLS" "$ms_bulletin" 3 20); do
    i=$((i + 1))
    rm -rf "$T/out"
    if [ $((i % 2)) = 0 ]; then # over the previous good set
        cp -R "$T/ref" "$T/out"
        how="over the previous set"
    else
        how="into an empty directory"
    fi
    # shellcheck disable=SC2086
    killed kc "$d" "$GONGJI" $BUL --out "$T/out"
    after C $i "$T/state.A" "$T/state.A"
    tally "$w"
    [ "$w" = before ] || w=changed
    broken=""
    for f in bulletin.md attachment.xlsx $(cd "$T/ref" && ls charts/*); do
        if [ ! -e "$T/out/$f" ]; then
            [ $((i % 2)) = 0 ] && broken="$broken $f(gone)"
        elif ! cmp -s "$T/ref/$f" "$T/out/$f"; then
            broken="$broken $f"
        fi
    done
    # A SIGKILL leaves the staged set under hidden temporary names
    # (.NAME.tmp.PID.XXXXXX, swept by a later run once stale: 45-outputs
    # tests that); anything else that is not an output is a leftover.
    extra=$(cd "$T/out" 2>/dev/null && find . -type f | sed 's|^\./||' |
        while read -r f; do
            case "${f%%/*}" in .*.tmp.*) continue ;; esac
            [ -e "$T/ref/$f" ] || printf ' %s' "$f"
        done)
    [ -n "$extra" ] && broken="$broken leftover:$extra"
    note "C$i: killed after $d s $how (exit $krc): store $w${broken:+; outputs neither old nor new:$broken}"
    [ -n "$broken" ] && outputs_bad=$((outputs_bad + 1))
done
if [ "$outputs_bad" != 0 ]; then
    if [ "$ATOMIC" = 1 ]; then
        bad "$outputs_bad of $KILLS killed bulletins left outputs that are neither the previous nor the new ones"
    else
        note "XFAIL: $outputs_bad of $KILLS killed bulletins left outputs that are neither the previous nor the new ones (checked with SOAK_BULLETIN_ATOMIC=1)"
    fi
fi

note "$kills kills: store before $nb, after $na; $outputs_bad bulletin(s) with broken outputs"
finish
