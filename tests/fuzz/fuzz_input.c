/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/fuzz_input.c - the one way in (ingest/input.h): input_read()
 * on the fuzz input as a file (a memory file opened by its /proc/self/fd
 * name), which tells a detail file from a summary file by its header and
 * hands it to that reader.  The fuzz input is the file as it is; the
 * options follow from its length, so that a reproducer replays exactly:
 * threads 1 + size % 3, --strict when (size / 3) is odd, summaries
 * concatenated (as on standard input) when (size / 6) is odd.
 *
 * Corpus: tests/fuzz/corpus/input/ (summary and detail files as they are).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <unistd.h>

#include "common/diag.h"
#include "ingest/input.h"
#include "ingest/submission.h"
#include "tests/fuzz/fuzz_common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct refdata *rd = fuzz_refdata();
    struct input_opts o;
    struct diag_list dl = DIAG_LIST_INIT;
    struct submission sf;
    char path[64];

    memset(&o, 0, sizeof(o));
    o.ingest.encoding = ENC_AUTO;
    o.threads = (unsigned)(size % 3) + 1;
    o.ingest.strict = (size / 3) % 2 != 0;
    o.concatenated = (size / 6) % 2 != 0;
    o.detail_sha256 = true;

    int fd = fuzz_memfd(data, size);
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    submission_init(&sf);
    int rc = input_read(&sf, path, &o, rd, &dl);
    if (rc != 0 && (sf.nrows != 0 || dl.errors == 0))
        BUG("rejected with %zu rows, %zu errors", sf.nrows, dl.errors);
    if (rc == 0 && dl.errors != 0)
        BUG("accepted with %zu errors", dl.errors);
    close(fd);
    submission_release(&sf);
    diag_list_release(&dl);
    return 0;
}
