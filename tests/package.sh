#!/bin/sh
# SPDX-License-Identifier: MIT
# make check-package: build the Debian package from a copy of the tree
# (scripts/package.sh), check it with lintian (no errors; warnings are
# listed), unpack it into a scratch root (dpkg -x: the system is not
# touched) and run the main job with the unpacked binary from outside the
# tree, GONGJI_DATA and GONGJI_TEMPLATES unset: ingest data/sample (every
# arrival batch, one run each in date order), then the 2024-09 bulletin
# without and (gnuplot there) with charts.  The outputs must be
# byte for byte those of the package's own build tree, and the files read
# must be the unpacked ones (a marker put into the unpacked template shows
# up; an unpacked table removed, the run fails naming that directory).
# Usage: tests/package.sh [OUT]   (default build/package-test)
# GONGJI_PACKAGE_NOCHECK=1 skips the test suite inside the package build.
# Exits 0 (pass) or 1 (fail); the last line says which.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-build/package-test}
case "$OUT" in /*) ;; *) OUT="$TOP/$OUT" ;; esac
export LC_ALL=C.UTF-8 TZ=UTC SOURCE_DATE_EPOCH=1730000000
unset GONGJI_DATA GONGJI_TEMPLATES GONGJI_DB
FAILED=0
bad() { echo "FAIL: $*" >&2; FAILED=$((FAILED + 1)); }
die() { echo "FAIL: $*" >&2; echo "  FAIL  package"; exit 1; }
note() { echo "-- $*"; }

if [ "${GONGJI_PACKAGE_NOCHECK:-0}" = 1 ]; then
    export DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:+$DEB_BUILD_OPTIONS }nocheck"
    export DEB_BUILD_PROFILES="${DEB_BUILD_PROFILES:+$DEB_BUILD_PROFILES }nocheck"
fi
start=$(date +%s)
DEB=$(sh "$TOP/scripts/package.sh" "$OUT" | tail -n 1) ||
    die "scripts/package.sh failed"
note "built $(basename "$DEB") in $(( $(date +%s) - start ))s"
[ -f "$DEB" ] || die "no package in $OUT"
SRC=$(ls -d "$OUT"/gongji-*/ | head -n 1)
SRC=${SRC%/}
REF="$SRC/build/gongji" # the package's own build, run in its tree
[ -x "$REF" ] || die "no build tree binary $REF"

# lintian: errors fail, warnings are listed
lintian --fail-on error --tag-display-limit 0 "${DEB%.deb}.changes" \
    > "$OUT/lintian.txt" 2> "$OUT/lintian.err"
lrc=$?
sed 's/^/   lintian: /' "$OUT/lintian.txt"
[ $lrc = 0 ] || bad "lintian exit $lrc (errors above; $OUT/lintian.err)"
grep -q '^E:' "$OUT/lintian.txt" && bad "lintian reports errors"
note "lintian: $(grep -c '^W:' "$OUT/lintian.txt") warning(s), $(grep -c '^E:' "$OUT/lintian.txt") error(s)"

ROOT="$OUT/root"
dpkg -x "$DEB" "$ROOT" || die "dpkg -x $DEB"
G="$ROOT/usr/bin/gongji"
SHARE="$ROOT/usr/share/gongji"
for f in data/provinces.csv data/areas.csv data/columns.csv data/units.csv \
         data/values.csv data/policy.csv data/codes.csv \
         templates/bulletin-2024.md.tmpl templates/bulletin-2025.md.tmpl \
         templates/bulletin-2025-annual.md.tmpl templates/plot/bars.gp \
         templates/plot/wallet.gp templates/house.conf; do
    [ -f "$SHARE/$f" ] || bad "the package lacks /usr/share/gongji/$f"
done
[ -f "$ROOT/usr/share/man/man1/gongji.1.gz" ] || bad "no man page"
[ -f "$ROOT/usr/share/doc/gongji/copyright" ] || bad "no copyright file"
if [ -d /usr/share/gongji ]; then
    note "/usr/share/gongji exists on this system (an installed gongji);" \
        "the removal check below still tells which one is read"
fi

# Runs happen in a directory outside both trees.
W="$OUT/run"
rm -rf "$W" && mkdir -p "$W" || die "mkdir $W"
job() { # BINARY NAME [bulletin options]: ingest + bulletin into W/NAME
    bin=$1 name=$2; shift 2
    rm -rf "${W:?}/$name" "$W/$name.db"* "$W/$name.ingest"
    for d in "$TOP"/data/sample/20??-??-??/; do
        (cd "$W" && "$bin" ingest --quiet --db "$W/$name.db" "$d"*.csv) \
            >> "$W/$name.ingest" 2>&1 || return 1
    done
    (cd "$W" && "$bin" bulletin --db "$W/$name.db" --period 2024-09 \
        --as-of 2024-10-20 --out "$W/$name" "$@") > "$W/$name.log" 2>&1
}
same() { # NAME: the package's output equals the build tree's
    for f in bulletin.md bulletin.html attachment.xlsx; do
        cmp -s "$W/ref-$1/$f" "$W/pkg-$1/$f" ||
            bad "$1: $f differs from the build tree's"
    done
    diff -r "$W/ref-$1" "$W/pkg-$1" > "$W/$1.diff" 2>&1 ||
        bad "$1: outputs differ from the build tree's ($W/$1.diff)"
}

job "$REF" ref-nocharts --no-charts || die "build tree run failed: $(cat "$W/ref-nocharts.log")"
if job "$G" pkg-nocharts --no-charts; then
    same nocharts
    note "bulletin --no-charts from the unpacked package: same as the build tree"
else
    bad "unpacked gongji: $(cat "$W/pkg-nocharts.ingest" "$W/pkg-nocharts.log" 2>/dev/null)"
fi

if command -v gnuplot >/dev/null 2>&1; then
    job "$REF" ref-charts || die "build tree run with charts failed: $(cat "$W/ref-charts.log")"
    if job "$G" pkg-charts; then
        same charts
        note "bulletin with charts: $(ls "$W/pkg-charts/charts" 2>/dev/null | wc -l) chart files, same as the build tree"
    else
        bad "unpacked gongji with charts: $(cat "$W/pkg-charts.ingest" "$W/pkg-charts.log" 2>/dev/null)"
    fi
else
    note "no gnuplot: the charts are not checked"
fi

# The unpacked files are the ones read: a marker in the unpacked template
# appears in the bulletin...
cp "$SHARE/templates/bulletin-2024.md.tmpl" "$W/tmpl.orig"
echo "PACKAGE-TEMPLATE-MARKER" >> "$SHARE/templates/bulletin-2024.md.tmpl"
job "$G" pkg-marker --no-charts || bad "run with the marked template failed"
grep -q PACKAGE-TEMPLATE-MARKER "$W/pkg-marker/bulletin.md" 2>/dev/null ||
    bad "the bulletin does not come from $SHARE/templates/bulletin-2024.md.tmpl"
cp "$W/tmpl.orig" "$SHARE/templates/bulletin-2024.md.tmpl"
# ... and without one of the unpacked tables the run stops (3) naming their
# place (not the compiled-in /usr/share/gongji, not the tree's data/).
mv "$SHARE/data/units.csv" "$W/units.csv"
(cd "$W" && "$G" ingest --db "$W/none.db" "$TOP/data/sample/2024-02-15/110000_2024-01.csv") \
    > "$W/none.log" 2>&1
rc=$?
mv "$W/units.csv" "$SHARE/data/units.csv"
[ $rc = 3 ] || bad "without the unpacked units.csv: exit $rc, not 3"
grep -qF "$SHARE/data" "$W/none.log" ||
    bad "the message does not name $SHARE/data: $(cat "$W/none.log")"

note "in $(( $(date +%s) - start ))s"
if [ "$FAILED" = 0 ]; then
    echo "  PASS  package ($DEB)"
else
    echo "  FAIL  package: $FAILED check(s) failed"
    exit 1
fi
