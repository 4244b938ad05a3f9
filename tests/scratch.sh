# SPDX-License-Identifier: MIT
# Sourced by the test drivers (run.sh, valgrind.sh, tsan.sh, soak.sh): put
# the tests' scratch directories (mktemp -d, under $TMPDIR) on tmpfs when
# the machine has a large enough one.
#
# Every store commit and every output file is fsync'ed (PRAGMA synchronous
# = FULL, common/atomicfile.c).  That is cheap on a quiet disk (0.1 ms
# here) and can take seconds per call on a shared, busy one.  On tmpfs
# fsync returns at once and nothing else changes: the same code runs, and
# the kill tests still kill processes (page cache survives them on any
# file system).  (A test of three charts once took 319 s instead of 2 in
# CI: that was the sweep of stale plot directories walking LibreOffice
# profiles left in /tmp 4^depth times, fixed in common/atomicfile.c.)
# An explicit TMPDIR or GONGJI_TEST_TMPDIR is used as it is.
if [ -n "${GONGJI_TEST_TMPDIR:-}" ]; then
    TMPDIR=$GONGJI_TEST_TMPDIR
elif [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
    # at least 2 GiB free (a container's /dev/shm may hold only 64 MiB)
    _free=$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 }')
    [ "${_free:-0}" -ge 2097152 ] 2>/dev/null && TMPDIR=/dev/shm
fi
export TMPDIR="${TMPDIR:-/tmp}"
