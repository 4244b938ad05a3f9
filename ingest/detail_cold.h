/* SPDX-License-Identifier: MIT */
/*
 * ingest/detail_cold.h - INTERNAL to ingest/detail_row.c: the cold paths
 * of the row loop, out of its way.  The problem messages of a bad row or
 * chunk (each kept with its line in the chunk, see detail_cold_problem())
 * and the slow parsers tried only when the fast shape fails.  Everything
 * here runs on an error path or for a spreadsheet's reformatted values,
 * never for a clean row; the public detail_mask_id() (ingest/detail.h) is
 * defined in detail_cold.c too.
 */
#ifndef INGEST_DETAIL_COLD_H
#define INGEST_DETAIL_COLD_H

#include <stdbool.h>
#include <stddef.h>

#include "common/diag.h"
#include "common/utf8.h"
#include "ingest/codes.h"
#include "ingest/detail_int.h"
#include "ingest/scan.h"

struct period;

/*
 * Column c of the row the scanner holds, blanks trimmed, and its 1-based
 * column number; shared with the row loop, where they are inlined.
 */
static inline void
field(const struct detail_worker *w, int c, const char **s, size_t *len)
{
    const struct scan_field *f = &w->sc.fields[w->sh->idx[c]];
    *s = f->s;
    *len = f->len;
    if (*len > 0 && (**s == ' ' || **s == '\t' || (*s)[*len - 1] == ' ' ||
                     (*s)[*len - 1] == '\t'))
        utf8_trim_blanks(s, len);
}

static inline unsigned long
col_of(const struct detail_worker *w, int c)
{
    return (unsigned long)w->sh->idx[c] + 1;
}

/* A time in a spreadsheet's shape ("2024/9/3 10:21"); as detail_parse_time().
 */
int detail_cold_time_loose(const char *s, size_t len, struct period *out)
    __attribute__((cold, noinline));

/* Whether s[0..len) (len >= 3) is a number in scientific notation. */
bool detail_cold_id_sci(const char *s, size_t len) __attribute__((noinline));

/* Count a problem at line of the chunk and keep it (the first ones). */
void detail_cold_problem(struct detail_worker *w, enum diag_severity sev,
                         enum diag_code code, unsigned long line,
                         unsigned long col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* The problems of a bad settle_time (rc from the parser), area, code, id. */
void detail_cold_bad_time(struct detail_worker *w, unsigned long line, int rc)
    __attribute__((cold, noinline));
void detail_cold_bad_area(struct detail_worker *w, unsigned long line, int c,
                          int v) __attribute__((cold, noinline));
void detail_cold_unknown_area(struct detail_worker *w, unsigned long line,
                              int area) __attribute__((cold, noinline));
void detail_cold_bad_code(struct detail_worker *w, unsigned long line, int c,
                          enum code_set set, int v)
    __attribute__((cold, noinline));
void detail_cold_bad_id(struct detail_worker *w, unsigned long line, int c,
                        const char *what) __attribute__((cold, noinline));

/* A row whose field count is not the header's. */
void detail_cold_fields_mismatch(struct detail_worker *w, unsigned long line)
    __attribute__((noinline));

/* Is the current row a repetition of the header (files concatenated)? */
bool detail_cold_header_row(struct detail_worker *w);

/* A cell's sums overflow; a CSV syntax error, which ends the chunk. */
void detail_cold_cell_overflow(struct detail_worker *w, unsigned long rl,
                               int yyyymm, int area)
    __attribute__((cold, noinline));
void detail_cold_syntax_error(struct detail_worker *w,
                              const struct scan_error *se)
    __attribute__((cold, noinline));

#endif /* INGEST_DETAIL_COLD_H */
