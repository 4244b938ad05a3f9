#!/bin/sh
# SPDX-License-Identifier: MIT
# Opening the store: a newer store refused, an older one migrated, a store
# on a read-only directory readable, damaged and foreign files named for
# what they are (and never written into), a store being created by a first
# ingest waited for.
. "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null 2>&1 || skip "no sqlite3 command"
S="$SAMPLE"
V1="$GONGJI_TOP/tests/e2e/store-v1.sql"
P=2024-01..2024-09

# stored_contents DB: every stored row, read with sqlite3 itself.
stored_contents() {
    sqlite3 "$1" "SELECT * FROM submission ORDER BY id;
        SELECT submission_id, province, period, rows, person_times,
            amount_fen, replaced_by FROM coverage
            ORDER BY submission_id, province, period;
        SELECT period, province, area, scope, use, relation, person_times,
            amount_fen, submission_id, source_line FROM fact
            ORDER BY period, area, scope, use, relation;
        SELECT period, province, area, scope, use, relation, person_times,
            amount_fen, submission_id, source_line, replaced_by
            FROM fact_history ORDER BY replaced_by, submission_id,
            source_line" || fail "sqlite3 cannot read $1"
}

version() {
    sqlite3 "$1" "SELECT value FROM meta WHERE key = 'schema_version'"
}

# expect_msg NAME TEXT: stderr of the last run has TEXT (and is not the
# blanket "not a gongji store" unless TEXT is).
expect_msg() {
    grep -qF -- "$2" "$T/$1.err" ||
        bad "$1: stderr lacks '$2': $(head -n 3 "$T/$1.err")"
}

note "the current store is version 3"
run new "$GONGJI" ingest --db new.db "$S/2024-02-15/110000_2024-01.csv"
expect_rc new 0
[ "$(version new.db)" = 6 ] || bad "a new store has version '$(version new.db)'"
# version 6: a province-month is a range of fact's key, no index for it
[ "$(sqlite3 new.db "SELECT count(*) FROM sqlite_master WHERE name = 'fact_province'")" = 0 ] ||
    bad "a new store has the index fact_province"

note "a store of a newer version: refused by every command, left alone"
cp new.db newer.db
sqlite3 newer.db "UPDATE meta SET value = '7' WHERE key = 'schema_version'"
cp newer.db newer.orig
for c in query ingest submissions; do
    case $c in
    query) run newer "$GONGJI" query --db newer.db --period $P ;;
    ingest) run newer "$GONGJI" ingest --db newer.db "$S/2024-03-15/110000_2024-02.csv" ;;
    submissions) run newer "$GONGJI" submissions --db newer.db ;;
    esac
    expect_rc newer 3
    expect_msg newer "store newer.db has schema version 7, newer than this gongji's 6: use a newer gongji"
done
cmp -s newer.db newer.orig || bad "the newer store was changed"

note "a store written by gongji at version 1: migrated, nothing lost"
sqlite3 old.db <"$V1" || fail "cannot load $V1"
[ "$(version old.db)" = 1 ] || fail "the fixture is not version 1"
stored_contents old.db >old.before
run oldsub "$GONGJI" submissions --db old.db --history --format csv
expect_rc oldsub 0
[ "$(version old.db)" = 6 ] || bad "old store now at version '$(version old.db)'"
[ "$(sqlite3 old.db "SELECT count(*) FROM sqlite_master WHERE name = 'fact_province'")" = 0 ] ||
    bad "the migrated store still has the index fact_province"
# version 4: every fact stored before channels is the account's
[ "$(sqlite3 old.db "SELECT count(*) FROM fact WHERE channel <> 'account'")" = 0 ] ||
    bad "migrated facts are not all channel 'account'"
[ "$(sqlite3 old.db "SELECT count(*) FROM fact_history WHERE channel <> 'account'")" = 0 ] ||
    bad "migrated history is not all channel 'account'"
[ "$(sqlite3 old.db 'PRAGMA application_id')" = 1196053332 ] ||
    bad "migrated store has no application_id"
[ "$(sqlite3 old.db "SELECT count(*) FROM coverage WHERE part = ''")" = 3 ] ||
    bad "migrated coverage rows are not whole province-months (part '')"
stored_contents old.db >old.after
cmp -s old.before old.after || bad "migration changed stored rows: $(diff old.before old.after | head -n 5)"
[ "$(grep -c . "$T/oldsub.out")" = 4 ] ||
    bad "submissions --history of the old store: $(cat "$T/oldsub.out")"
grep -q '^"110000_2024-01.csv",.*,replaced,' "$T/oldsub.out" ||
    bad "the replaced version is not in the history: $(cat "$T/oldsub.out")"
run oldq "$GONGJI" query --db old.db --period 2024-01 --by province --format csv
expect_rc oldq 0
run oldadd "$GONGJI" ingest --db old.db "$S/2024-03-15/110000_2024-02.csv"
expect_rc oldadd 0
[ "$(sqlite3 old.db 'SELECT count(*) FROM fact_history')" = 48 ] ||
    bad "history of the migrated store changed"

note "read-only directory and file: query works (as an unprivileged user)"
mkdir ro && cp new.db ro/g.db && "$GONGJI" ingest -q --db ro/g.db \
    "$S/2024-03-15/110000_2024-02.csv" "$S/2024-02-15/120000_2024-01.csv" >/dev/null 2>&1 ||
    fail "cannot make ro/g.db"
sqlite3 old.ro <"$V1" && mv old.ro ro/old.db || fail "cannot make ro/old.db"
"$GONGJI" query --db ro/g.db --period $P --by province --format csv >ro.want ||
    fail "query ro/g.db"
"$GONGJI" submissions --db ro/g.db >ro-sub.want || fail "submissions ro/g.db"
# the readers above left -wal and -shm files; a writer's close removes them
sqlite3 ro/g.db 'PRAGMA user_version' >/dev/null || fail "sqlite3 ro/g.db"
[ "$(ls ro)" = "$(printf 'g.db\nold.db')" ] || fail "ro/ holds $(ls ro)"
chmod 444 ro/g.db ro/old.db && chmod 555 ro || fail "chmod"
if [ "$(id -u)" != 0 ]; then
    AS=
elif command -v setpriv >/dev/null 2>&1 &&
    setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
    AS="setpriv --reuid=65534 --regid=65534 --clear-groups"
else
    AS=none
fi
chmod 755 "$T"
if [ "$AS" != none ] && ! $AS test -r "$GONGJI_DATA/provinces.csv" -a -x "$GONGJI" -a -r ro/g.db; then
    AS=none
fi
if [ "$AS" = none ]; then
    note "skipped: cannot run as a user without write access here"
else
    $AS touch ro/probe 2>/dev/null && fail "ro/ is writable by the test user"
    run roq $AS "$GONGJI" query --db ro/g.db --period $P --by province --format csv
    expect_rc roq 0
    cmp -s ro.want "$T/roq.out" || bad "query of the read-only store differs"
    run rosub $AS "$GONGJI" submissions --db ro/g.db
    expect_rc rosub 0
    cmp -s ro-sub.want "$T/rosub.out" || bad "submissions of the read-only store differ"
    run roold $AS "$GONGJI" query --db ro/old.db --period 2024-01 --format csv
    expect_rc roold 0
    [ "$(version ro/old.db)" = 1 ] || bad "the read-only old store was changed"
    run roing $AS "$GONGJI" ingest --db ro/g.db "$S/2024-04-15/110000_2024-03.csv"
    expect_rc roing 3
    ! grep -q 'not a gongji store' "$T/roing.err" ||
        bad "ingest into a read-only store: $(cat "$T/roing.err")"
    ls ro | grep -qv '^\(g\|old\)\.db$' && bad "files left in ro/: $(ls ro)"
fi
chmod 755 ro && chmod 644 ro/g.db ro/old.db

note "damaged files: SQLite's own message"
yes 'not a database at all' | head -c 8192 >junk.db
for c in query ingest; do
    case $c in
    query) run junk "$GONGJI" query --db junk.db --period $P ;;
    ingest) run junk "$GONGJI" ingest --db junk.db "$S/2024-03-15/110000_2024-02.csv" ;;
    esac
    expect_rc junk 3
    expect_msg junk "store junk.db: file is not a database"
done
cp new.db hdr.db
yes 'scribble' | head -c 3000 | dd of=hdr.db bs=1 seek=200 conv=notrunc \
    status=none || fail "dd"
run hdr "$GONGJI" query --db hdr.db --period $P
expect_rc hdr 3
expect_msg hdr "store hdr.db: database disk image is malformed"
: >empty.db
run empty "$GONGJI" query --db empty.db --period $P
expect_rc empty 3
expect_msg empty "store empty.db has no gongji tables"

note "a foreign SQLite file as --db: refused and left byte-identical"
sqlite3 foreign.db "CREATE TABLE customers (id, name);
    CREATE TABLE orders (id, customer);
    INSERT INTO customers VALUES (1, 'x')" || fail "sqlite3"
cp foreign.db foreign.orig
run foreign "$GONGJI" ingest --db foreign.db "$S/2024-03-15/110000_2024-02.csv"
expect_rc foreign 3
expect_msg foreign "foreign.db is a SQLite database but not a gongji store (tables: customers, orders); give another --db"
cmp -s foreign.db foreign.orig || bad "the foreign database was changed"
[ -e foreign.db-wal ] || [ -e foreign.db-journal ] && bad "files left beside foreign.db"
run foreignq "$GONGJI" query --db foreign.db --period $P
expect_rc foreignq 3
expect_msg foreignq "is a SQLite database but not a gongji store"

note "a store being created: readers wait for it, never 'not a gongji store'"
gen --seed 5 "$T/g"
nq=0
for round in 1 2 3 4 5; do
    DB="$T/c$round.db"
    "$GONGJI" ingest -q --db "$DB" "$T"/g/in/*.csv >/dev/null 2>"$T/cing.err" &
    pid=$!
    while [ ! -e "$DB" ] && kill -0 $pid 2>/dev/null; do :; done
    for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
        run cq "$GONGJI" query --db "$DB" --period 2024-01..2024-06 --format csv
        nq=$((nq + 1))
        if [ "$rc" != 0 ]; then
            bad "round $round, query $i during the first ingest: exit $rc: $(head -n 2 "$T/cq.err")"
            break
        fi
    done
    wait $pid || bad "round $round: the ingest failed: $(head -n 3 "$T/cing.err")"
done
note "$nq queries during first ingests"

note "garbage in the last page: ingest refuses before writing"
cp "$T/c1.db" dmg.db
sz=$(wc -c <dmg.db)
yes 'garbage' | head -c 4096 | dd of=dmg.db bs=1 seek=$((sz - 4096)) \
    conv=notrunc status=none || fail "dd"
cp dmg.db dmg.orig
run dmg "$GONGJI" ingest --db dmg.db "$S/2024-10-15/120000_2024-09.csv"
expect_rc dmg 3
expect_msg dmg "store dmg.db: database disk image is malformed (quick_check: "
grep -q 'stored' "$T/dmg.out" && bad "ingest into a damaged store says: $(cat "$T/dmg.out")"
cmp -s dmg.db dmg.orig || bad "the damaged store was written"

finish
