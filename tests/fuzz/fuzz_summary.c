/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/fuzz_summary.c - the summary reader (ingest/summary.h):
 * summary_parse() on the fuzz input as a whole file, against the shipped
 * reference tables, once as given and once with --strict.
 *
 * Corpus: tests/fuzz/corpus/summary/ (summary files as they are).
 */
#include <stddef.h>
#include <stdint.h>

#include "common/diag.h"
#include "ingest/submission.h"
#include "ingest/summary.h"
#include "tests/fuzz/fuzz_common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct refdata *rd = fuzz_refdata();

    for (int strict = 0; strict <= 1; strict++) {
        struct ingest_opts opts = {ENC_AUTO, strict != 0, NULL};
        struct diag_list dl = DIAG_LIST_INIT;
        struct submission sf;

        submission_init(&sf);
        int rc = summary_parse(&sf, "fuzz.csv", (const char *)data, size, &opts,
                               rd, &dl);
        /* the contract: a rejected file has no rows and names an error */
        if (rc != 0 && (sf.nrows != 0 || dl.errors == 0))
            BUG("rejected with %zu rows, %zu errors", sf.nrows, dl.errors);
        if (rc == 0 && dl.errors != 0)
            BUG("accepted with %zu errors", dl.errors);
        submission_release(&sf);
        diag_list_release(&dl);
    }
    return 0;
}
