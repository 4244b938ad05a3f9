/* SPDX-License-Identifier: MIT */
/*
 * ingest/submission.h - one submission: what reading any input file gives
 * (ingest/input.h), whatever its kind, and what the store stores.
 *
 * A submission is a file's rows at the store's grain (period, area,
 * channel, scope, use, relation) with their sums, the (province, month) pairs
 * it covers with checked totals, and its identity: name, SHA-256 of the raw
 * bytes, size and encoding.  A summary file (ingest/summary.h) gives its rows
 * as they are; a detail file (ingest/detail.h) its rows aggregated.
 */
#ifndef INGEST_SUBMISSION_H
#define INGEST_SUBMISSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/period.h"
#include "common/sha256.h"
#include "ingest/encoding.h"

struct diag_list;

/* One validated row: a monthly flow at the store's grain. */
struct record {
    struct period period;
    int area;                           /* 6-digit pooling-area code */
    unsigned char channel;              /* enum channel (or added) */
    unsigned char scope, use, relation; /* enum scope / use / relation */
    int64_t person_times;
    int64_t amount_fen;
    unsigned long line; /* physical line in the source file */
};

/* A (province, month) a file covers, with its totals. */
struct coverage {
    int province; /* 330000 */
    struct period period;
    size_t rows;
    int64_t person_times;
    int64_t amount_fen;
};

/* How any input is read: --encoding and --strict. */
struct ingest_opts {
    enum encoding encoding; /* ENC_AUTO to detect */
    bool strict;            /* unknown area codes are errors, not warnings */
    const char *sheet;      /* a workbook's sheet to read (NULL: the first) */
};

struct codes;

struct submission {
    const char *path; /* borrowed: as given on the command line */
    /* the code sets the rows' values are numbered in (borrowed; NULL: the
     * built-in ones) */
    const struct codes *codes;
    char sha256[SHA256_HEX_LEN + 1];
    size_t bytes;
    enum encoding encoding;
    int had_bom;
    char *sheet; /* an Excel workbook's sheet that was read (owned), or NULL */
    struct record *rows; /* in file order */
    size_t nrows;
    struct coverage *cover; /* sorted by (province, period) */
    size_t ncover;
};

void submission_init(struct submission *sf);
void submission_release(struct submission *sf);

/* Free the rows and coverage of a rejected file; keep its name and hash. */
void submission_drop_rows(struct submission *sf);

/*
 * Order records by key: period, area, channel, scope, use, relation
 * (code-set order).  0 when the keys are equal.
 */
int submission_key_cmp(const struct record *a, const struct record *b);

/*
 * Build sf->cover from rows sorted by key (submission_key_cmp(), so a
 * (province, month)'s rows are contiguous): one entry per pair with its row
 * count and totals, sorted by (province, period).  Returns 0, or -1 with
 * an overflow of the totals reported in dl at file.
 */
int submission_build_cover(struct submission *sf, const struct record *sorted,
                           size_t n, const char *file, struct diag_list *dl);

#endif /* INGEST_SUBMISSION_H */
