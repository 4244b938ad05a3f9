#!/bin/sh
# SPDX-License-Identifier: MIT
# Install the Debian 12 packages gongji needs to build, test and draw,
# when they are missing (clang and libclang-rt-14-dev build the libFuzzer
# targets of make fuzz and make check).  Safe to run again: it does
# nothing when all are present.  Needs root (or sudo) only when something
# must be installed.
set -eu

# libmd4c-html0-dev + libmd4c-dev: Markdown -> HTML for bulletin.html (the
# first has only the .pc file and the library; md4c.h and md4c-html.h come
# with the second, which it does not pull in).
PKGS="build-essential pkg-config libcsv-dev libsqlite3-dev sqlite3
libxlsxwriter-dev libzip-dev libexpat1-dev libcmocka-dev nettle-dev gnuplot-nox fonts-noto-cjk
poppler-utils unzip clang libclang-rt-14-dev gettext locales libmd4c-html0-dev libmd4c-dev
libpng-dev"
# For the browser test of bulletin.html (tests/e2e/93-html.sh; set
# GONGJI_NO_BROWSER=1 to skip): headless Chromium, ~350 MB installed.
if [ "${GONGJI_NO_BROWSER:-0}" != 1 ]; then
    PKGS="$PKGS chromium"
fi
# Optional, for opening the workbook in the tests (set GONGJI_NO_OFFICE=1 to skip);
# libreoffice-writer-nogui prints bulletin.docx to bulletin.pdf, and
# fonts-arphic-gkai00mp is the 楷体 look-alike of templates/fonts.conf.
if [ "${GONGJI_NO_OFFICE:-0}" != 1 ]; then
    PKGS="$PKGS libreoffice-calc-nogui libreoffice-writer-nogui fonts-arphic-gkai00mp"
fi
# bulletin.docx (and tests/e2e/97-docx.sh): pandoc with templates/reference.docx,
# ~165 MB installed (set GONGJI_NO_PANDOC=1 to skip).
if [ "${GONGJI_NO_PANDOC:-0}" != 1 ]; then
    PKGS="$PKGS pandoc"
fi

missing=""
for p in $PKGS; do
    st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$st" in
    *"install ok installed"*) ;;
    *) missing="$missing $p" ;;
    esac
done

# LANG=zh_CN.UTF-8 selects Chinese messages only when that locale exists
# (LANGUAGE=zh_CN works without it): generate it, as root only.
zh_locale() {
    locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$' && return 0
    if [ "$(id -u)" != 0 ]; then
        echo "setup-deps: zh_CN.UTF-8 is not generated (not root): skipped; LANGUAGE=zh_CN still gives Chinese messages" >&2
        return 0
    fi
    command -v localedef >/dev/null 2>&1 || return 0
    echo "setup-deps: generating the zh_CN.UTF-8 locale" >&2
    localedef -i zh_CN -f UTF-8 zh_CN.UTF-8 ||
        echo "setup-deps: warning: localedef zh_CN.UTF-8 failed" >&2
}

[ -z "$missing" ] && { zh_locale; exit 0; }

echo "setup-deps: installing:$missing" >&2
if [ "$(id -u)" = 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "setup-deps: error: these Debian packages are missing and I am not root" >&2
    echo "setup-deps: run as root: apt-get install -y --no-install-recommends$missing" >&2
    exit 3
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup-deps: error: no apt-get here; install by hand:$missing" >&2
    exit 3
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2 || {
    echo "setup-deps: error: apt-get update failed (network?)" >&2; exit 3; }
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >&2 || {
    echo "setup-deps: error: apt-get install failed for:$missing" >&2; exit 3; }
zh_locale
echo "setup-deps: done" >&2
