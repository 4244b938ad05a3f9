# SPDX-License-Identifier: MIT
# Shared helpers for the end-to-end tests; sourced by tests/e2e/NN-*.sh.
#
# Environment (set by tests/run.sh): GONGJI (the binary), GONGJI_BUILD (the
# build directory, holding tests/gen_halfyear), GONGJI_TOP (the repository),
# GONGJI_DATA (the reference tables).  A test exits 0 (pass), 77 (skip, with
# the reason as the last line) or anything else (fail, saying what failed).
set -u

# tests/run.sh runs every tests/e2e/*.sh: this file is not a test.
case "${0##*/}" in
lib.sh)
    echo "lib.sh: helpers sourced by the e2e tests, not a test"
    exit 77
    ;;
esac

: "${GONGJI_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${GONGJI_BUILD:=$GONGJI_TOP/build}"
: "${GONGJI:=$GONGJI_BUILD/gongji}"
: "${GONGJI_DATA:=$GONGJI_TOP/data}"
export GONGJI GONGJI_BUILD GONGJI_TOP GONGJI_DATA
export LC_ALL=C.UTF-8 TZ=UTC
unset GONGJI_DB LANGUAGE
GEN="$GONGJI_BUILD/tests/gen_halfyear"
BAD="$GONGJI_TOP/tests/e2e/bad"

skip() {
    echo "SKIP: $*"
    exit 77
}

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# bad MSG: record a failure and go on, so one run shows every problem;
# finish exits 1 if there was any.
FAILED=0
bad() {
    echo "FAIL: $*" >&2
    FAILED=$((FAILED + 1))
}

finish() {
    [ "$FAILED" = 0 ] || fail "$FAILED check(s) failed"
    exit 0
}

note() {
    echo "-- $*"
}

[ -x "$GONGJI" ] || skip "no binary at $GONGJI"

# A private working directory, removed on exit; the tests run inside it so
# that a default ./gongji.db can never land anywhere else.
T=$(mktemp -d "${TMPDIR:-/tmp}/gongji-e2e.XXXXXX") || fail "mktemp"
[ -n "${GONGJI_KEEP:-}" ] || trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT TERM HUP
cd "$T" || fail "cd $T"

# run NAME CMD...: run CMD with stdout in $T/NAME.out, stderr in $T/NAME.err
# and the exit status in $rc.  Never fails by itself.
run() {
    _n=$1
    shift
    "$@" >"$T/$_n.out" 2>"$T/$_n.err"
    rc=$?
}

# expect_rc NAME WANT: fail (showing stderr) unless the last run exited WANT.
expect_rc() {
    [ "$rc" = "$2" ] && return 0
    echo "--- stdout of $1:" >&2
    head -n 20 "$T/$1.out" >&2
    echo "--- stderr of $1:" >&2
    head -n 20 "$T/$1.err" >&2
    fail "$1: exit status $rc, expected $2"
}

# gen ARGS...: the test-data generator.
gen() {
    [ -x "$GEN" ] || fail "no generator at $GEN (make $GEN)"
    "$GEN" "$@" || fail "gen_halfyear $* failed"
}

# cmp_sorted_csv EXPECTED ACTUAL LABEL: the header lines must be equal and
# the other lines equal as sets (both sides sorted bytewise).
cmp_sorted_csv() {
    _h1=$(head -n 1 "$1")
    _h2=$(head -n 1 "$2")
    [ "$_h1" = "$_h2" ] || fail "$3: header '$_h2', expected '$_h1'"
    tail -n +2 "$1" | LC_ALL=C sort >"$T/.cmp.exp"
    tail -n +2 "$2" | LC_ALL=C sort >"$T/.cmp.act"
    if ! cmp -s "$T/.cmp.exp" "$T/.cmp.act"; then
        echo "--- $3: expected vs actual (sorted), first differences:" >&2
        diff "$T/.cmp.exp" "$T/.cmp.act" | head -n 20 >&2
        fail "$3: rows differ"
    fi
}

# total DB [PERIOD]: print "person_times,amount" of everything stored in the
# period (default all possible months); an empty result prints "0,0.00".
total() {
    _p=${2:-2000-01..2099-12}
    "$GONGJI" query --db "$1" --period "$_p" --format csv >"$T/.total.out" \
        2>"$T/.total.err" ||
        {
            cat "$T/.total.err" >&2
            fail "query total on $1 failed"
        }
    [ "$(head -n 1 "$T/.total.out")" = "person_times,amount" ] ||
        fail "query total: header '$(head -n 1 "$T/.total.out")'"
    _t=$(sed -n 2p "$T/.total.out")
    echo "${_t:-0,0.00}"
}

# fen AMOUNT: "1234.56" -> 123456 (exact; two decimals required).
fen() {
    case "$1" in
    *.??) echo "$((${1%.*} * 100 + 1${1#*.} - 100))" ;;
    *) fail "amount '$1' has not two decimals" ;;
    esac
}

# csv_cols FILE NAME...: the named columns of a CSV file (header row
# dropped), comma-joined, found by their header names; quotes are removed
# (no field may contain a comma).
csv_cols() {
    _f=$1
    shift
    awk -F, -v want="$*" '
        { gsub(/"/, "") }
        NR == 1 {
            n = split(want, w, " ")
            for (i = 1; i <= n; i++) {
                idx[i] = 0
                for (j = 1; j <= NF; j++)
                    if ($j == w[i])
                        idx[i] = j
                if (idx[i] == 0) {
                    print "no column " w[i] > "/dev/stderr"
                    exit 1
                }
            }
            next
        }
        {
            line = ""
            for (i = 1; i <= n; i++)
                line = line (i > 1 ? "," : "") $idx[i]
            print line
        }' "$_f" || fail "csv_cols $_f $*"
}

# The bundled sample (data/sample/README.md): arrival batches
# $SAMPLE/YYYY-MM-DD/*.csv.  A later batch may resubmit a province-month
# of an earlier one, so the batches go in one run each, in date order.
SAMPLE="$GONGJI_TOP/data/sample"

# ingest_sample DB [LAST]: ingest the sample's batches into DB, one
# `gongji ingest --quiet` run per batch in date order, up to and including
# the batch dated LAST (YYYY-MM-DD; default: every batch).  2024-10-20
# gives the 2024年1-9月 data as it stood at that release.  Fails the test
# on any error or if no batch was ingested; prints nothing.  Afterwards
# $SAMPLE_BATCHES and $SAMPLE_FILES count what was ingested, and
# $T/ingest_sample.err holds every batch's stderr (warnings).
ingest_sample() {
    _db=$1
    _last=$(printf '%s' "${2:-9999-12-31}" | tr -d -)
    case $_last in
    [0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]) ;;
    *) fail "ingest_sample: '$2' is not a date YYYY-MM-DD" ;;
    esac
    SAMPLE_BATCHES=0 SAMPLE_FILES=0
    : >"$T/ingest_sample.err"
    for _d in "$SAMPLE"/20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]/; do
        [ -d "$_d" ] || break
        _b=$(basename "$_d")
        [ "$(printf '%s' "$_b" | tr -d -)" -le "$_last" ] || break
        set -- "$_d"*.csv
        "$GONGJI" ingest --quiet --db "$_db" "$@" >/dev/null \
            2>"$T/.ingest_sample.err"
        _rc=$?
        cat "$T/.ingest_sample.err" >>"$T/ingest_sample.err"
        [ "$_rc" = 0 ] || {
            head -n 20 "$T/.ingest_sample.err" >&2
            fail "ingest_sample: batch $_b into $_db: exit status $_rc"
        }
        SAMPLE_BATCHES=$((SAMPLE_BATCHES + 1))
        SAMPLE_FILES=$((SAMPLE_FILES + $#))
    done
    [ "$SAMPLE_BATCHES" -gt 0 ] ||
        fail "ingest_sample: no batch in $SAMPLE up to ${2:-the end}"
}

SUBMISSIONS_HEADER=file,sha256,rows,province,period,ingested_at,status,person_times,amount

# check_submissions_header FILE: the contract's header (soft check).
check_submissions_header() {
    [ "$(head -n 1 "$1")" = "$SUBMISSIONS_HEADER" ] ||
        bad "submissions --format csv header '$(head -n 1 "$1")', expected '$SUBMISSIONS_HEADER'"
}

# snapshot DB FILE: everything a user can see of the store, into FILE.
snapshot() {
    {
        "$GONGJI" query --db "$1" --period 2000-01..2099-12 \
            --by period,area,scope,use,relation --format csv
        echo "rc=$?"
        "$GONGJI" submissions --db "$1" --history --format csv
        echo "rc=$?"
    } >"$2" 2>&1
}
