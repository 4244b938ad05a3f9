/* SPDX-License-Identifier: MIT */
#include "ingest/detail_cols.h"

#include <stdlib.h>

#include "common/diag.h"
#include "common/sbuf.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "ingest/scan.h"
#include "ingest/schema.h"

/* Each detail column in the shared table. */
static const enum column shared[DETAIL_COL_N] = {
    [DETAIL_COL_SETTLEMENT_ID] = COL_SETTLEMENT_ID,
    [DETAIL_COL_SETTLE_TIME] = COL_SETTLE_TIME,
    [DETAIL_COL_PAYER_AREA] = COL_PAYER_AREA,
    [DETAIL_COL_BENEFICIARY_AREA] = COL_BENEFICIARY_AREA,
    [DETAIL_COL_USE] = COL_USE,
    [DETAIL_COL_RELATION] = COL_RELATION,
    [DETAIL_COL_AMOUNT] = COL_AMOUNT,
    [DETAIL_COL_PAYER_ID] = COL_PAYER_ID,
    [DETAIL_COL_BENEFICIARY_ID] = COL_BENEFICIARY_ID,
    [DETAIL_COL_CHANNEL] = COL_CHANNEL,
};

int
detail_cols_lookup(const struct vocab *v, const char *s, size_t len)
{
    int c = schema_lookup(v, s, len, NULL);
    for (int d = 0; c >= 0 && d < DETAIL_COL_N; d++)
        if (shared[d] == (enum column)c)
            return d;
    return -1;
}

const char *
detail_cols_name(enum detail_col c)
{
    if ((unsigned)c >= DETAIL_COL_N)
        BUG("bad detail column %d", (int)c);
    return schema_column_name(shared[c]);
}

bool
detail_cols_personal(enum detail_col c)
{
    return c == DETAIL_COL_PAYER_ID || c == DETAIL_COL_BENEFICIARY_ID;
}

bool
detail_cols_first_record(struct sbuf *text, struct scan *sc)
{
    struct scan_error se;
    scan_init(sc, text->buf, text->len);
    return scan_next(sc, &se) == 1;
}

int
detail_cols_map(const struct vocab *v, int idx[DETAIL_COL_N],
                const struct scan *hs, const char *path, unsigned long line,
                struct diag_list *dl)
{
    struct schema_cell *cells =
        xreallocarray(NULL, hs->nfields ? hs->nfields : 1, sizeof(*cells));
    struct schema sc;

    for (size_t i = 0; i < hs->nfields; i++) {
        cells[i] = (struct schema_cell){hs->fields[i].s, hs->fields[i].len};
        /* messages about this file's columns quote the header's text */
        const char *s = hs->fields[i].s;
        size_t len = hs->fields[i].len;
        utf8_trim_blanks(&s, &len);
        diag_list_name_column(dl, path, (unsigned long)i + 1, s, len);
    }
    int rc =
        schema_map(&sc, v, cells, hs->nfields, FILE_DETAIL, path, line, dl);
    free(cells);
    for (int d = 0; d < DETAIL_COL_N; d++)
        idx[d] = sc.idx[shared[d]];
    return rc;
}
