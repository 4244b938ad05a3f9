#!/bin/sh
# SPDX-License-Identifier: MIT
# Run the libFuzzer targets (Makefile: make fuzz, make check-fuzz).
#
#   tests/fuzz/run.sh probe CC
#       exit 0 when CC can build and link a -fsanitize=fuzzer,address,
#       undefined program (clang with libclang-rt), else 1.
#   tests/fuzz/run.sh fuzz BUILD SECONDS NAME...
#       fuzz each BUILD/fuzz_NAME for SECONDS (one process, fork mode so
#       that it goes on after a crash), from tests/fuzz/corpus/NAME/ and
#       what earlier runs found (BUILD/corpus/NAME/, where new inputs go:
#       copy the interesting ones into the committed corpus).  Crashes,
#       leaks, timeouts and out-of-memory inputs are saved into
#       tests/fuzz/crashes/NAME/; exit 1 when a run saved any new one.
#       FUZZ_MAX_LEN (default 8192) bounds the input size.
#   tests/fuzz/run.sh check BUILD 0 NAME...
#       run each target once over every committed corpus file, then over
#       each reproducer in tests/fuzz/crashes/NAME/ on its own; exit 1
#       when any of them still fails, naming it.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
MODE=$1
shift
export GONGJI_DATA="${GONGJI_DATA:-$TOP/data}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

case "$MODE" in
probe)
    cc=$1
    d=$(mktemp -d "${TMPDIR:-/tmp}/fuzzprobe.XXXXXX") || exit 1
    printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
        'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
        'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)' \
        '{ (void)d; (void)n; return 0; }' >"$d/p.c"
    "$cc" -fsanitize=fuzzer,address,undefined -o "$d/p" "$d/p.c" \
        >/dev/null 2>&1 && "$d/p" -runs=1 >/dev/null 2>&1
    rc=$?
    rm -rf "$d"
    exit $rc
    ;;
fuzz | check) ;;
*)
    echo "usage: tests/fuzz/run.sh probe CC | fuzz|check BUILD SECONDS NAME..." >&2
    exit 2
    ;;
esac

BUILD=$1
SECS=$2
shift 2
case "$BUILD" in /*) ;; *) BUILD="$TOP/$BUILD" ;; esac
failed=""
for n in "$@"; do
    bin="$BUILD/fuzz_$n"
    corpus="$TOP/tests/fuzz/corpus/$n"
    crashes="$TOP/tests/fuzz/crashes/$n"
    [ -x "$bin" ] || { echo "fuzz: no $bin (make fuzz-build)" >&2; exit 3; }
    mkdir -p "$crashes"
    if [ "$MODE" = fuzz ]; then
        work="$BUILD/corpus/$n"
        mkdir -p "$work"
        before=$(ls "$crashes" | wc -l)
        echo "== fuzz_$n: $SECS s over $corpus"
        log="$BUILD/fuzz_$n.log"
        "$bin" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
            -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 \
            -max_len="${FUZZ_MAX_LEN:-8192}" -print_final_stats=1 \
            -artifact_prefix="$crashes/" "$work" "$corpus" >"$log" 2>&1
        grep -E '^#[0-9]+: cov:' "$log" | tail -n 1
        grep -E 'stat::|^INFO: exiting|==ERROR|SUMMARY' "$log" | sort -u | head -n 20
        after=$(ls "$crashes" | wc -l)
        if [ "$after" != "$before" ]; then
            echo "fuzz_$n: $((after - before)) new input(s) saved in $crashes (log: $log)"
            failed="$failed $n"
        fi
    else
        n_corpus=$(ls "$corpus" 2>/dev/null | wc -l)
        if [ "$n_corpus" -gt 0 ]; then
            if ! "$bin" "$corpus"/* >"$BUILD/check_$n.log" 2>&1; then
                echo "  FAIL  fuzz_$n over its corpus (log: $BUILD/check_$n.log)"
                grep -E 'runtime error|ERROR:|Running:' "$BUILD/check_$n.log" | tail -n 5
                failed="$failed $n"
                continue
            fi
        fi
        bad=0 nrep=0
        for r in "$crashes"/*; do
            [ -f "$r" ] || continue
            nrep=$((nrep + 1))
            if ! "$bin" "$r" >"$BUILD/check_$n.repro.log" 2>&1; then
                echo "  FAIL  fuzz_$n $(basename "$r") still fails:"
                grep -E 'runtime error|ERROR:|SUMMARY' "$BUILD/check_$n.repro.log" | head -n 3
                bad=1
            fi
        done
        if [ $bad = 0 ]; then
            echo "  PASS  fuzz_$n: $n_corpus corpus file(s), $nrep reproducer(s)"
        else
            failed="$failed $n"
        fi
    fi
done
[ -z "$failed" ] || { echo "fuzz $MODE failed:$failed"; exit 1; }
exit 0
