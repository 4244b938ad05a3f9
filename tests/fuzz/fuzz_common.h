/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/fuzz_common.h - what the libFuzzer targets share: the
 * reference tables, loaded once, and an input as a file descriptor.
 *
 * The targets are tests/fuzz/fuzz_<name>.c, each defining
 * LLVMFuzzerTestOneInput(); `make fuzz` builds them with clang
 * -fsanitize=fuzzer,address,undefined against the library rebuilt into
 * build/fuzz/.  Anything that goes wrong is fatal (a BUG() aborts), so that
 * libFuzzer saves the input that caused it.
 */
#ifndef TESTS_FUZZ_FUZZ_COMMON_H
#define TESTS_FUZZ_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

struct refdata;

/* libFuzzer's entry point, defined by each target. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The shipped reference tables: $GONGJI_DATA, else data/ of the tree the
 * binary was built in (build/fuzz/fuzz_x -> ../../data).  Loaded at the
 * first call and kept; a failure to load them aborts.
 */
const struct refdata *fuzz_refdata(void);

/*
 * A memory file (memfd) holding data[0..size), positioned at offset 0.
 * Aborts when it cannot be made.  The caller closes it.
 */
int fuzz_memfd(const uint8_t *data, size_t size);

/*
 * A pipe whose read end holds data[0..size) followed by end of file, for
 * size <= 65536 (the pipe's buffer: no writer thread is needed); -1 when
 * size is larger.  The caller closes it.
 */
int fuzz_pipe(const uint8_t *data, size_t size);

#endif /* TESTS_FUZZ_FUZZ_COMMON_H */
