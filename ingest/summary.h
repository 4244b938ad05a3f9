/*
 * ingest/summary.h - read and validate one monthly summary file (DESIGN §3).
 *
 * The whole file is read, hashed (SHA-256 of the raw bytes: the identity of
 * a submission), decoded to UTF-8, parsed, and every row validated.  Every
 * problem is collected with FILE:LINE:COL; a file with any error yields no
 * records the caller may store.
 */
#ifndef INGEST_SUMMARY_H
#define INGEST_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/period.h"
#include "common/sha256.h"
#include "ingest/encoding.h"

struct diag_list;
struct refdata;

/* One validated row: a monthly flow at the store's grain. */
struct record {
    struct period period;
    int area;                           /* 6-digit pooling-area code */
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

struct ingest_opts {
    enum encoding encoding; /* ENC_AUTO to detect */
    bool strict;            /* unknown area codes are errors, not warnings */
};

struct summary_file {
    const char *path; /* borrowed: as given on the command line */
    char sha256[SHA256_HEX_LEN + 1];
    size_t bytes;
    enum encoding encoding;
    int had_bom;
    struct record *rows; /* in file order */
    size_t nrows;
    struct coverage *cover; /* sorted by (province, period) */
    size_t ncover;
};

void summary_init(struct summary_file *sf);
void summary_release(struct summary_file *sf);

/* Free the rows and coverage of a rejected file; keep its name and hash. */
void summary_drop_rows(struct summary_file *sf);

/*
 * Order records by key: period, area, scope, use, relation (code-set
 * order).  0 when the keys are equal.
 */
int record_key_cmp(const struct record *a, const struct record *b);

/*
 * Build sf->cover from rows sorted by key (record_key_cmp(), so a
 * (province, month)'s rows are contiguous): one entry per pair with its row
 * count and totals, sorted by (province, period).  Returns 0, or -1 with
 * an overflow of the totals reported in dl at file.
 */
int summary_build_cover(struct summary_file *sf, const struct record *sorted,
                        size_t n, const char *file, struct diag_list *dl);

/*
 * Validate a summary file's bytes, buf[0..len) (ingest/input.h reads
 * them).  Returns 0 when the file has no errors (warnings may have been
 * added to dl), -1 otherwise.  `path` names it in messages.
 */
int summary_parse(struct summary_file *sf, const char *path, const char *buf,
                  size_t len, const struct ingest_opts *opts,
                  const struct refdata *rd, struct diag_list *dl);

#endif /* INGEST_SUMMARY_H */
