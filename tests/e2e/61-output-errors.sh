#!/bin/sh
# SPDX-License-Identifier: MIT
# Output errors are never ignored: every command that writes to standard
# output, run with stdout on /dev/full (a full disk), exits 3 with "gongji
# CMD: error: cannot write the output: No space left on device"; what was
# stored or written before stays.  A reader that stops early (| head) ends
# gongji by SIGPIPE, quietly.  A missing input file is exit status 3 in
# check, ingest (with and without --keep-going) and aggregate; bad data 1.
. "$(dirname "$0")/lib.sh"

[ -c /dev/full ] && [ -w /dev/full ] || skip "no writable /dev/full"

DB="$T/out.db"
run i "$GONGJI" ingest --db "$DB" "$BAD/good.csv"
expect_rc i 0
MSG="error: cannot write the output: No space left on device"

# full NAME CMD ARGS...: gongji CMD ARGS >/dev/full exits 3 with the message
# naming the command (NAME is "" for gongji's own --help and --version).
full() {
    _name=$1
    shift
    "$GONGJI" "$@" >/dev/full 2>"$T/full.err"
    _rc=$?
    _want="gongji${_name:+ $_name}: $MSG"
    [ "$_rc" = 3 ] || bad "gongji $* >/dev/full: exit $_rc, expected 3"
    grep -qxF "$_want" "$T/full.err" ||
        bad "gongji $* >/dev/full: no line '$_want' on stderr: $(head -n 3 "$T/full.err")"
    [ "$(grep -c 'cannot write' "$T/full.err")" -le 1 ] ||
        bad "gongji $* >/dev/full: the message is repeated"
}

note "help and version"
full "" --help
full "" --version
full "" help query
for c in $("$GONGJI" --help | awk '/^Commands:/ { on = 1; next }
                                   on && /^  [a-z]/ { print $1 }
                                   on && /^$/ { exit }'); do
    full "$c" "$c" --help
done

note "results"
full submissions submissions --db "$DB"
full submissions submissions --db "$DB" --history --format csv
full query query --db "$DB" --period 2024-01..2024-12
full query query --db "$DB" --period 2024-01 --by area --format json
full check check "$BAD/good.csv"
full aggregate aggregate "$BAD/good.csv"

note "ingest: the store is written before the report line"
DB2="$T/full.db"
full ingest ingest --db "$DB2" "$BAD/good.csv"
run i2 "$GONGJI" ingest --db "$DB2" "$BAD/good.csv"
expect_rc i2 0
grep -q '^unchanged' "$T/i2.out" ||
    bad "ingest after a lost report line: the file was not stored ($(cat "$T/i2.out"))"
[ "$(total "$DB2")" = "$(total "$DB")" ] ||
    bad "ingest >/dev/full stored $(total "$DB2"), expected $(total "$DB")"

note "bulletin: the files are written, the 'wrote' lines are lost"
full bulletin bulletin --allow-incomplete --db "$DB" --period 2024-09 --out "$T/b" --no-charts
[ -s "$T/b/bulletin.md" ] && [ -s "$T/b/attachment.xlsx" ] ||
    bad "bulletin >/dev/full: bulletin.md or attachment.xlsx missing"
"$GONGJI" bulletin --allow-incomplete --db "$DB" --period 2024-09 --out "$T/bq" --no-charts \
    --quiet >/dev/full 2>"$T/bq.err"
[ $? = 0 ] || bad "bulletin --quiet writes nothing to stdout: /dev/full must not matter"

if command -v gnuplot >/dev/null 2>&1; then
    note "chart"
    full chart chart --db "$DB" --period 2024-01 --kind use --out "$T/c.svg"
    [ -s "$T/c.svg" ] || bad "chart >/dev/full: the chart was not written"
else
    note "gnuplot not installed: chart not tried"
fi

note "a reader that stops early: SIGPIPE, no message"
BIG="$T/big.db"
ingest_sample "$BIG" 2024-10-20
# more than a pipe buffer (64 KiB) of output, so the write meets the
# closed pipe; the status of gongji is the first line of the group's output
st=$({
    "$GONGJI" query --db "$BIG" --period 2024-01..2024-09 \
        --by area,scope,use,relation --format csv 2>"$T/pipe.err"
    echo $? >"$T/pipe.rc"
} | head -n 1 >/dev/null
    cat "$T/pipe.rc")
[ "$st" = 141 ] || bad "query | head -n 1: exit $st, expected 141 (SIGPIPE)"
[ ! -s "$T/pipe.err" ] || bad "query | head -n 1: stderr: $(head -n 2 "$T/pipe.err")"

note "a missing input file: 3 everywhere; bad data: 1"
# status NAME WANT CMD...
status() {
    _sn=$1 _w=$2
    shift 2
    run st "$GONGJI" "$@"
    [ "$rc" = "$_w" ] || bad "$_sn: gongji $*: exit $rc, expected $_w"
    [ ! -s "$T/st.out" ] || [ "$_w" = 0 ] || [ "$1" = ingest ] ||
        bad "$_sn: output on stdout: $(head -n 2 "$T/st.out")"
}
status "check, missing file" 3 check "$T/missing.csv"
status "ingest, missing file" 3 ingest --db "$T/m.db" "$T/missing.csv"
status "ingest --keep-going, missing file" 3 ingest --db "$T/m.db" \
    --keep-going "$T/missing.csv" "$BAD/good.csv"
status "aggregate, missing file" 3 aggregate "$T/missing.csv"
status "check, a directory" 3 check "$T"
status "check, bad data" 1 check "$BAD/amount-malformed.csv"
status "ingest, bad data" 1 ingest --db "$T/m.db" "$BAD/amount-malformed.csv"
status "ingest --keep-going, bad data" 1 ingest --db "$T/m.db" --keep-going \
    "$BAD/amount-malformed.csv" "$BAD/good.csv"
status "aggregate, bad data" 1 aggregate "$BAD/amount-malformed.csv"

finish
