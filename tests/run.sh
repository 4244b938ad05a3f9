#!/bin/sh
# SPDX-License-Identifier: MIT
# Run the test suite: tests/run.sh BUILD_DIR [FILTER] [unit|e2e|all]
#
# Unit tests are the cmocka binaries BUILD_DIR/tests/test_*; end-to-end tests
# are the scripts tests/e2e/*.sh, run with GONGJI=BUILD_DIR/gongji.  A script
# exits 0 (pass), 77 (skipped, with a reason on stderr) or anything else
# (fail).  The last line is "N passed, N failed, N skipped" and the exit
# status is non-zero when anything failed.
set -u
BUILD=${1:-build}
FILTER=${2:-}
KIND=${3:-all}
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/tests/scratch.sh"
case "$BUILD" in /*) ;; *) BUILD="$TOP/$BUILD" ;; esac
export GONGJI="$BUILD/gongji" GONGJI_BUILD="$BUILD" GONGJI_TOP="$TOP"
export GONGJI_DATA="$TOP/data" LC_ALL=C.UTF-8 TZ=UTC
unset LANGUAGE
LOG="$BUILD/test-logs"
rm -rf "$LOG" && mkdir -p "$LOG"
pass=0 fail=0 skip=0 failed=""

run_one() { # name command...
    name=$1; shift
    start=$(date +%s)
    mkdir -p "$(dirname "$LOG/$name.log")"
    "$@" >"$LOG/$name.log" 2>&1
    rc=$?
    secs=$(( $(date +%s) - start ))
    if [ $rc = 0 ]; then
        pass=$((pass + 1)); printf '  PASS  %-40s %3ss\n' "$name" "$secs"
    elif [ $rc = 77 ]; then
        skip=$((skip + 1)); printf '  SKIP  %-40s %s\n' "$name" \
            "$(tail -n 1 "$LOG/$name.log")"
    else
        fail=$((fail + 1)); failed="$failed $name"
        printf '  FAIL  %-40s (exit %s)\n' "$name" "$rc"
        sed 's/^/        | /' "$LOG/$name.log" | tail -n 40
    fi
}

echo "== tests in $BUILD (scratch under $TMPDIR)"
if [ "$KIND" != e2e ]; then
    for t in "$BUILD"/tests/test_*; do
        [ -x "$t" ] || continue
        case "$t" in *.d) continue ;; esac
        n=$(basename "$t")
        case "$n" in *"$FILTER"*) ;; *) continue ;; esac
        run_one "unit/$n" "$t"
    done
fi
if [ "$KIND" != unit ]; then
    for t in "$TOP"/tests/e2e/[0-9]*.sh; do
        [ -f "$t" ] || continue
        n=$(basename "$t" .sh)
        case "$n" in *"$FILTER"*) ;; *) continue ;; esac
        run_one "e2e/$n" sh "$t"
    done
fi
echo "$pass passed, $fail failed, $skip skipped"
[ -n "$failed" ] && echo "failed:$failed (logs in $LOG)"
[ $fail = 0 ]
