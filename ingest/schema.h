/*
 * ingest/schema.h - which input column holds what, from the header row.
 *
 * Header names are matched in English (case-insensitive) or Chinese, in any
 * order, with surrounding spaces ignored and a unit suffix such as "(元)" or
 * "（元）" allowed (DESIGN §3).  Unknown columns are reported as warnings and
 * ignored; a repeated column or a missing required one is an error.
 */
#ifndef INGEST_SCHEMA_H
#define INGEST_SCHEMA_H

#include <stddef.h>

struct csvread_row;
struct diag_list;

enum column {
    COL_PERIOD,
    COL_AREA,
    COL_AREA_NAME,
    COL_SCOPE,
    COL_USE,
    COL_RELATION,
    COL_PERSON_TIMES,
    COL_AMOUNT,
    COL_N
};

enum file_kind { FILE_SUMMARY, FILE_DETAIL };

struct schema {
    enum file_kind kind;
    int idx[COL_N]; /* 0-based field index of each column, -1 if absent */
    size_t nfields; /* fields in the header row */
};

/*
 * Map a header row.  Problems go to dl at file:line:col (col = the header
 * field).  Returns 0 when the required columns are all there (period, area,
 * scope, use, person_times, amount), -1 otherwise.  A per-settlement detail
 * header (settlement_id, settle_time, ...) sets kind = FILE_DETAIL and is
 * reported as not supported by this version.
 */
int schema_map(struct schema *sc, const struct csvread_row *hdr,
               const char *file, struct diag_list *dl);

/* The English name of a column ("person_times"). */
const char *schema_column_name(enum column c);

#endif /* INGEST_SCHEMA_H */
