#!/bin/sh
# SPDX-License-Identifier: MIT
# Leak check: every unit-test binary and the main commands of the plain
# build under valgrind (memcheck, full leak check).  Any error or definite
# leak fails.  Prints "valgrind: N passed, N failed" last.
set -u
BUILD=${1:-build}
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/tests/scratch.sh"
case "$BUILD" in /*) ;; *) BUILD="$TOP/$BUILD" ;; esac
export GONGJI_DATA="$TOP/data" LC_ALL=C.UTF-8 TZ=UTC
if ! command -v valgrind >/dev/null 2>&1; then
    echo "valgrind: not installed; skipped"
    exit 0
fi
VG="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite"
T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT
pass=0 fail=0
run() { # name cmd...
    n=$1; shift
    if $VG "$@" >"$T/out" 2>&1; then
        pass=$((pass + 1))
    else
        rc=$?
        # 1 is a data error some commands are expected to give; 99 is ours
        if [ "$rc" = 99 ] || grep -q '^==[0-9]*==' "$T/out"; then
            fail=$((fail + 1)); echo "  FAIL  valgrind $n"; tail -n 30 "$T/out"
        else
            pass=$((pass + 1))
        fi
    fi
}
for t in "$BUILD"/tests/test_*; do
    case "$t" in *.d) continue ;; esac
    [ -x "$t" ] && run "$(basename "$t")" "$t"
done
G="$BUILD/gongji"
"$BUILD/tests/gen_halfyear" --seed 5 --months 2 "$T/d" >/dev/null
run ingest "$G" ingest --quiet --db "$T/s.db" "$T"/d/in/*.csv
run ingest-again "$G" ingest --quiet --db "$T/s.db" "$T"/d/in/*.csv
run check-bad "$G" check "$TOP"/tests/e2e/bad/*.csv
run query "$G" query --db "$T/s.db" --period 2024-01..2024-02 --by province,scope
run query-json "$G" query --db "$T/s.db" --period 2024-01 --by use --where province=浙江 --format json
run submissions "$G" submissions --db "$T/s.db" --history
if "$G" bulletin --help >/dev/null 2>&1; then
    run bulletin "$G" bulletin --quiet --db "$T/s.db" --period 2024-02 --out "$T/b"
fi
# Excel workbooks: a detail sheet (shared strings) through the pump and
# inflate threads, a summary sheet (inline strings), a refused one
if [ -x "$BUILD/tests/gen_csv2xlsx" ] && [ -x "$BUILD/tests/gen_detail" ]; then
    "$BUILD/tests/gen_detail" --seed 3 --rows 3000 "$T/det.csv" >/dev/null 2>&1
    "$BUILD/tests/gen_csv2xlsx" --numbers "$T/det.csv" "$T/det.xlsx" >/dev/null 2>&1
    run aggregate-xlsx "$G" aggregate --quiet "$T/det.xlsx"
    "$BUILD/tests/gen_csv2xlsx" --inline --numbers \
        "$TOP/data/sample/2024-10-15/110000_2024-09.csv" "$T/sum.xlsx" >/dev/null 2>&1
    run ingest-xlsx "$G" ingest --quiet --db "$T/x.db" "$T/sum.xlsx"
    run check-xlsx-sheet "$G" check --sheet nosuch "$T/sum.xlsx"
fi
echo "valgrind: $pass passed, $fail failed"
[ "$fail" = 0 ]
