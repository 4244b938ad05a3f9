#!/bin/sh
# SPDX-License-Identifier: MIT
# bench/many-files.sh BUILD_DIR - one run of many small files: `gongji check`
# and `gongji ingest` on FILES (default 37000) one-row summary files, each
# its own (province, month) (32 provinces x 1200 months of 2000-2099 give
# 38,400), the last CLASHES (default 3) of them deliberate repeats of an
# earlier file's (province, month).  Prints the wall time of each command
# (the overlap check between the files of a run was quadratic: 7.8 s for
# check, 15.8 s for ingest at 37,000 files) and checks that exactly the
# clashing files are reported.
#
# Environment: FILES, CLASHES, TMPDIR (where the files and the store go).
set -eu
BUILD=${1:-build}
TOP=$(cd "$(dirname "$0")/.." && pwd)
case "$BUILD" in /*) ;; *) BUILD="$TOP/$BUILD" ;; esac
G="$BUILD/gongji"
FILES=${FILES:-37000}
CLASHES=${CLASHES:-3}
export GONGJI_DATA="$TOP/data" LC_ALL=C.UTF-8
[ -x "$G" ] || {
    echo "bench/many-files.sh: build first (make)" >&2
    exit 3
}
[ "$FILES" -gt "$CLASHES" ] && [ "$FILES" -le 38400 ] || {
    echo "bench/many-files.sh: FILES must be in $((CLASHES + 1))..38400" >&2
    exit 2
}
W=$(mktemp -d "${TMPDIR:-/tmp}/gongji-many.XXXXXX")
trap 'rm -rf "$W"' EXIT INT TERM

# One area of each province (the first listed), then the files.
awk -F, 'NR > 1 && !seen[substr($1, 1, 2)]++ { print $1 "," $2 }' \
    "$TOP/data/areas.csv" >"$W/areas"
mkdir "$W/in"
awk -F, -v files="$FILES" -v clashes="$CLASHES" -v dir="$W/in" '
    BEGIN { n = 0 }
    { code[n] = $1; name[n] = $2; n++ }
    END {
        for (i = 0; i < files; i++) {
            k = i < files - clashes ? i : (i - (files - clashes)) * 7
            a = k % n; m = int(k / n)
            per = sprintf("%04d-%02d", 2000 + int(m / 12), m % 12 + 1)
            f = sprintf("%s/%s%05d.csv", dir, i < files - clashes ? "f" : "z", i)
            print "period,area,area_name,scope,use,relation,person_times,amount" >f
            print per "," code[a] "," name[a] ",same_area,medical,spouse,1,1.00" >f
            close(f)
        }
    }' "$W/areas"

# Run a command: its wall seconds in $T, its exit status in $RC.
wall() {
    t0=$(date +%s.%N)
    RC=0
    "$@" || RC=$?
    t1=$(date +%s.%N)
    T=$(echo "$t0 $t1" | awk '{ printf "%.2f", $2 - $1 }')
}

# The store's cost is one transaction for the whole run: with the clashes
# the run stores nothing, so the clash-free files are ingested again alone.
cd "$W/in"
wall sh -c '"$0" check --quiet -- f*.csv z*.csv 2>"$1/check.err"' "$G" "$W"
tc=$T rcc=$RC
wall sh -c '"$0" ingest --quiet --db "$1/a.db" -- f*.csv z*.csv \
    2>"$1/ingest.err"' "$G" "$W"
ti=$T rci=$RC
wall sh -c '"$0" ingest --quiet --db "$1/b.db" -- f*.csv' "$G" "$W"
ts=$T rcs=$RC
cd "$TOP"

nc=$(grep -c 'in this same run also covers' "$W/check.err" || true)
ni=$(grep -c 'in this same run also covers' "$W/ingest.err" || true)
printf 'many-files: %d one-row files, %d clashes: check %ss (exit %d), ' \
    "$FILES" "$CLASHES" "$tc" "$rcc"
printf 'ingest %ss (exit %d), ingest of the %d others %ss (exit %d)\n' \
    "$ti" "$rci" $((FILES - CLASHES)) "$ts" "$rcs"
if [ "$nc" -ne "$CLASHES" ] || [ "$ni" -ne "$CLASHES" ] ||
    [ "$rcc" -ne 1 ] || [ "$rci" -ne 1 ] || [ "$rcs" -ne 0 ]; then
    echo "many-files: FAIL: expected $CLASHES clash(es) and exit 1," \
        "got $nc/$ni clash(es)" >&2
    exit 1
fi
