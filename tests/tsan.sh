#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/tsan.sh BUILD_DIR - the threaded commands under ThreadSanitizer.
#
# BUILD_DIR holds a -fsanitize=thread build (make check-tsan builds
# build/tsan).  Two runs, each failing on any TSan report:
#  - `gongji bulletin` with its charts (six charts rendered on two threads)
#    on data/sample's arrival batches up to 2024-10-20 (the 2024年1-9月
#    data), ingested one run per batch into a temporary store first;
#  - `gongji query --threads 4` and `gongji review --threads 3` on that
#    store (the months read in parts on connections and threads of their
#    own), whose output and exit status must equal those of --threads 1;
#  - `gongji aggregate --threads 2` on a generated detail file of
#    TSAN_DETAIL_ROWS rows (default 200000), whose output must also equal
#    the generator's expected sums;
#  - the first TSAN_XLSX_ROWS rows (default 20000) as an Excel workbook
#    (build/tests/gen_csv2xlsx, shared strings): the sheet inflated on one
#    thread, parsed on another, read through a pipe by the detail reader's
#    threads; its output must equal that of the same rows as CSV.
# Where TSan cannot run (no compiler support, or gcc 12's TSan refusing a
# high-entropy mmap layout, "unexpected memory mapping", even under
# `setarch -R`), it says why and exits 0.  Prints "tsan: N passed, N failed"
# last; the exit status is non-zero when anything failed.
set -u
BUILD=${1:-build/tsan}
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/tests/scratch.sh"
case "$BUILD" in /*) ;; *) BUILD="$TOP/$BUILD" ;; esac
G="$BUILD/gongji"
GEND="$BUILD/tests/gen_detail"
ROWS=${TSAN_DETAIL_ROWS:-200000}
CC=${CC:-cc}
export GONGJI_DATA="$TOP/data" LC_ALL=C.UTF-8 TZ=UTC
unset GONGJI_DB
TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1"
export TSAN_OPTIONS

for f in "$G" "$GEND"; do
    [ -x "$f" ] || {
        echo "tsan: no $f (make SAN=thread BUILD=build/tsan tools)" >&2
        exit 3
    }
done
T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT

# Can TSan run here at all?  A tiny threaded program first, then the same
# without address-space randomisation.
cat >"$T/probe.c" <<'EOF'
#include <pthread.h>
static int n;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static void *
work(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    n++;
    pthread_mutex_unlock(&mu);
    return 0;
}
int
main(void)
{
    pthread_t t;
    if (pthread_create(&t, 0, work, 0) != 0)
        return 1;
    work(0);
    pthread_join(t, 0);
    return n == 2 ? 0 : 1;
}
EOF
if ! $CC -fsanitize=thread -pthread -o "$T/probe" "$T/probe.c" \
    >"$T/probe.cc" 2>&1; then
    why=$(head -n 1 "$T/probe.cc")
    echo "tsan: skipped: '$CC' cannot build with -fsanitize=thread" \
        "(${why:-no message})"
    exit 0
fi
WRAP=
if ! "$T/probe" >"$T/probe.out" 2>&1; then
    why=$(grep -m 1 -i 'unexpected memory mapping\|ThreadSanitizer' \
        "$T/probe.out" || head -n 1 "$T/probe.out")
    if command -v setarch >/dev/null 2>&1 &&
        setarch "$(uname -m)" -R "$T/probe" >"$T/probe.out" 2>&1; then
        WRAP="setarch $(uname -m) -R"
        echo "tsan: plain runs fail here ($why); running under '$WRAP'"
    else
        echo "tsan: skipped: ThreadSanitizer cannot run on this machine" \
            "($why), not even under 'setarch -R'"
        exit 0
    fi
fi

pass=0 fail=0
# check NAME: judge the run whose exit status is in $rc and whose stderr
# is $T/NAME.err.
check() {
    n=$1
    if grep -q 'WARNING: ThreadSanitizer\|ERROR: ThreadSanitizer' \
        "$T/$n.err" || [ "$rc" = 66 ]; then
        fail=$((fail + 1))
        echo "  FAIL  tsan $n (exit $rc): ThreadSanitizer report"
        sed 's/^/        | /' "$T/$n.err" | head -n 60
    elif [ "$rc" != 0 ]; then
        fail=$((fail + 1))
        echo "  FAIL  tsan $n (exit $rc)"
        sed 's/^/        | /' "$T/$n.err" | tail -n 20
    else
        pass=$((pass + 1))
        echo "  PASS  tsan $n"
    fi
}

# The store for the bulletin, ingested by the same build (judged too):
# one run per arrival batch, in date order (a later batch may resubmit a
# province-month), up to the release of 2024-10-20.
rc=0
: >"$T/ingest-setup.err"
for d in "$TOP"/data/sample/2024-0[2-9]-??/ "$TOP"/data/sample/2024-10-15/; do
    $WRAP "$G" ingest --quiet --db "$T/s.db" "$d"*.csv \
        >>"$T/ingest-setup.out" 2>>"$T/ingest-setup.err" || {
        rc=$?
        break
    }
done
check ingest-setup

# query and review: the same with the months read in parts
for c in "query --period 2024-01..2024-09 --by period,area,scope,use" \
    "review --period 2024-09"; do
    n=${c%% *}
    # shellcheck disable=SC2086 # c is a word list
    "$G" $c --threads 1 --format csv --db "$T/s.db" >"$T/$n-1.out" 2>/dev/null
    rc1=$?
    # shellcheck disable=SC2086
    $WRAP "$G" $c --threads 4 --format csv --db "$T/s.db" >"$T/$n.out" \
        2>"$T/$n.err"
    rc=$?
    if [ "$rc" != 66 ] && [ "$rc" = "$rc1" ]; then
        rc=0
        cmp -s "$T/$n.out" "$T/$n-1.out" || {
            echo "--threads 4 gives another output than --threads 1" \
                >>"$T/$n.err"
            rc=1
        }
    fi
    check "$n-parts"
done

if ! command -v gnuplot >/dev/null 2>&1; then
    echo "  SKIP  tsan bulletin: gnuplot is not installed (make deps)"
else
    $WRAP "$G" bulletin --quiet --db "$T/s.db" --period 2024-09 \
        --as-of 2024-10-20 --out "$T/b" >"$T/bulletin.out" \
        2>"$T/bulletin.err"
    rc=$?
    if [ "$rc" = 0 ] && [ "$(ls "$T/b/charts" 2>/dev/null | wc -l)" = 0 ]; then
        echo "no charts in $T/b/charts" >>"$T/bulletin.err"
        rc=1
    fi
    check bulletin
fi

"$GEND" --seed 11 --rows "$ROWS" --months 2 --expect "$T/exp.csv" \
    "$T/d.csv" >/dev/null 2>&1 || {
    echo "tsan: gen_detail failed" >&2
    exit 3
}
$WRAP "$G" aggregate --threads 2 "$T/d.csv" >"$T/aggregate.out" \
    2>"$T/aggregate.err"
rc=$?
if [ "$rc" = 0 ] && ! cmp -s "$T/aggregate.out" "$T/exp.csv"; then
    echo "output differs from the generator's expected sums" \
        >>"$T/aggregate.err"
    rc=1
fi
check aggregate

# the workbook: first XROWS rows of the detail file
XROWS=${TSAN_XLSX_ROWS:-20000}
CONV="$BUILD/tests/gen_csv2xlsx"
if [ -x "$CONV" ]; then
    head -n $((XROWS + 1)) "$T/d.csv" >"$T/x.csv"
    "$CONV" --numbers "$T/x.csv" "$T/x.xlsx" >/dev/null 2>&1 || {
        echo "tsan: gen_csv2xlsx failed" >&2
        exit 3
    }
    "$G" aggregate --threads 2 "$T/x.csv" >"$T/xcsv.out" 2>/dev/null
    $WRAP "$G" aggregate --threads 2 "$T/x.xlsx" >"$T/xlsx.out" \
        2>"$T/xlsx.err"
    rc=$?
    if [ "$rc" = 0 ] && ! cmp -s "$T/xlsx.out" "$T/xcsv.out"; then
        echo "the workbook aggregates differently from its CSV" \
            >>"$T/xlsx.err"
        rc=1
    fi
    check xlsx
else
    echo "  SKIP  tsan xlsx: no $CONV"
fi

echo "tsan: $pass passed, $fail failed"
[ "$fail" = 0 ]
