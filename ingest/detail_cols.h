/*
 * ingest/detail_cols.h - the columns of a detail file (DESIGN §3b): their
 * English and Chinese header names, which ones are required, which ones
 * mark a file as a detail file, and the mapping of a header row onto them.
 * All knowledge of header names is here (detail_sniff() of
 * ingest/detail.h is defined in detail_cols.c too), so that a column table
 * shared with summary files can replace this module whole.
 */
#ifndef INGEST_DETAIL_COLS_H
#define INGEST_DETAIL_COLS_H

#include <stdbool.h>
#include <stddef.h>

struct diag_list;
struct sbuf;
struct scan;

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
    DETAIL_COL_N
};

/*
 * The column a header name s[0..len) (UTF-8) names, or -1.  Blanks around
 * the name and a unit suffix ("(元)", "（元）", "(yuan)") are ignored, and
 * English names are matched without regard to ASCII case.
 */
int detail_cols_lookup(const char *s, size_t len);

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
 * detail_opts.header) onto the columns: idx[c] is the 0-based field of
 * column c, or -1 when the header lacks it.  An unused column is a warning
 * in dl; an empty name, a column named twice and a missing required column
 * are errors in dl.  Returns 0, or -1 when there were errors.
 */
int detail_cols_map(int idx[DETAIL_COL_N], const struct scan *hs,
                    const char *path, unsigned long line, struct diag_list *dl);

#endif /* INGEST_DETAIL_COLS_H */
