/* SPDX-License-Identifier: MIT */
/*
 * ingest/detail_cols.h - the detail reader's view of the one column table
 * (ingest/schema.h): the columns of a detail file (DESIGN §3b) as a compact
 * index for the row loop, and the mapping of a header row onto them.  The
 * header names, unit suffixes and messages are those of the shared table
 * and the shipped vocabulary (ingest/vocab.h), so summary and detail files
 * accept the same spellings.
 */
#ifndef INGEST_DETAIL_COLS_H
#define INGEST_DETAIL_COLS_H

#include <stdbool.h>
#include <stddef.h>

struct diag_list;
struct sbuf;
struct scan;
struct vocab;

enum detail_col {
    DETAIL_COL_SETTLEMENT_ID,
    DETAIL_COL_SETTLE_TIME,
    DETAIL_COL_PAYER_AREA,
    DETAIL_COL_BENEFICIARY_AREA,
    DETAIL_COL_USE,
    DETAIL_COL_RELATION,
    DETAIL_COL_AMOUNT,
    DETAIL_COL_PAYER_ID,
    DETAIL_COL_BENEFICIARY_ID,
    DETAIL_COL_CHANNEL,
    DETAIL_COL_N
};

/*
 * The detail column a header name s[0..len) (UTF-8) names, or -1 (also for
 * a column that only summary files use).  As schema_lookup().
 */
int detail_cols_lookup(const struct vocab *v, const char *s, size_t len);

/* The English name of column c ("payer_area"), for messages; static. */
const char *detail_cols_name(enum detail_col c);

/*
 * Does column c hold personal data (payer_id, beneficiary_id), which a
 * message may only show masked (detail_mask_id())?
 */
bool detail_cols_personal(enum detail_col c);

/*
 * Scan the first record of text into sc, which this initialises; the
 * caller scan_release()s it either way.  Returns true when there is a
 * record, false when text is empty or malformed.  sc borrows text.
 */
bool detail_cols_first_record(struct sbuf *text, struct scan *sc);

/*
 * Map the header row hs (UTF-8; `line` of `path`, 0 when it came from
 * detail_opts.header) onto the columns with schema_map(): idx[c] is the
 * 0-based field of column c, or -1 when the header lacks it.  Returns 0,
 * or -1 when there were errors (in dl).
 */
int detail_cols_map(const struct vocab *v, int idx[DETAIL_COL_N],
                    const struct scan *hs, const char *path, unsigned long line,
                    struct diag_list *dl);

#endif /* INGEST_DETAIL_COLS_H */
