#!/bin/sh
# SPDX-License-Identifier: MIT
# make package: build the Debian package from a copy of the tree, so the
# tree itself gets no debian/gongji/, no build stamps and no ../*.deb.
# Usage: scripts/package.sh [OUT]   (default build/package)
# Leaves OUT/gongji_VERSION_ARCH.deb (and .buildinfo, .changes) and prints
# its path on the last line.  Installs with apt-get, when missing, the
# packaging tools (dpkg-dev, debhelper, fakeroot, lintian) and the
# Build-Depends of debian/control: as root, or through sudo.
# Arguments for dpkg-buildpackage in DPKG_BUILDPACKAGE_OPTS (default -Jauto)
# (e.g. DEB_BUILD_OPTIONS=nocheck skips the test suite in the build).
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-build/package}
case "$OUT" in /*) ;; *) OUT="$TOP/$OUT" ;; esac

apt_get() { # install PACKAGE... | build-dep DIR
    echo "package: apt-get $*" >&2
    if [ "$(id -u)" = 0 ]; then SUDO=""
    elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"
    else
        echo "package: error: not root; run: apt-get $* -y --no-install-recommends" >&2
        exit 3
    fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq >&2 || {
        echo "package: error: apt-get update failed (network?)" >&2; exit 3; }
    # shellcheck disable=SC2086
    $SUDO apt-get "$@" -y -qq --no-install-recommends >&2 || {
        echo "package: error: apt-get $* failed" >&2; exit 3; }
}

missing=""
for p in dpkg-dev debhelper fakeroot lintian; do
    case "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" in
    *"install ok installed"*) ;;
    *) missing="$missing $p" ;;
    esac
done
# shellcheck disable=SC2086
[ -z "$missing" ] || apt_get install $missing

VERSION=$(cd "$TOP" && dpkg-parsechangelog -S Version)
SRC="$OUT/gongji-$VERSION"
rm -rf "$OUT"
mkdir -p "$SRC"
# The files git knows plus new ones not ignored (a work in progress builds
# as it is); without git, the tree without build/ and out/.
if git -C "$TOP" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    (cd "$TOP" && git ls-files -z -c -o --exclude-standard |
        tar --null -T - --ignore-failed-read -cf - 2>/dev/null) |
        tar -C "$SRC" -xf -
else
    (cd "$TOP" && tar --exclude=./build --exclude=./out --exclude=./.git \
        -cf - .) | tar -C "$SRC" -xf -
fi

# Build-Depends (without the test-only ones under DEB_BUILD_PROFILES=nocheck)
if ! (cd "$SRC" && dpkg-checkbuilddeps) >/dev/null 2>&1; then
    apt_get build-dep "$SRC"
fi

start=$(date +%s)
# shellcheck disable=SC2086
(cd "$SRC" && dpkg-buildpackage -us -uc -b ${DPKG_BUILDPACKAGE_OPTS:--Jauto}) \
    > "$OUT/build.log" 2>&1 || {
    tail -n 40 "$OUT/build.log" >&2
    echo "package: error: dpkg-buildpackage failed (log: $OUT/build.log)" >&2
    exit 1
}
echo "package: built in $(( $(date +%s) - start ))s (log: $OUT/build.log)" >&2
ls "$OUT"/gongji_*.deb
