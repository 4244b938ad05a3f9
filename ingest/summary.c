#include "ingest/summary.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/diag.h"
#include "common/money.h"
#include "common/period.h"
#include "common/sbuf.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "ingest/codes.h"
#include "ingest/csvread.h"
#include "ingest/refdata.h"
#include "ingest/schema.h"
#include "ingest/vocab.h"

/*
 * person_times of a row must be below 10^15: no real count comes near, and
 * an 18-character ID (or a 15-digit one) moved into the column does not pass
 * as one.
 */
#define SUMMARY_PERSON_TIMES_LIMIT 1000000000000000LL

struct parse_ctx {
    struct submission *sf;
    const struct ingest_opts *opts;
    const struct refdata *rd;
    struct diag_list *dl;
    const char *file;
    struct schema schema;
    size_t alloc;
    int header_ok;
    int errors;
};

/* A field of the row with surrounding ASCII blanks removed. */
static void
field(const struct csvread_row *row, int idx, const char **s, size_t *len)
{
    *s = row->fields[idx].s;
    *len = row->fields[idx].len;
    utf8_trim_blanks(s, len);
}

/* The hint for the field's value (diag_hint()), "" when none. */
static const char *
hint(struct parse_ctx *c, const struct csvread_row *row, int idx, char *out,
     size_t outsz)
{
    const char *s;
    size_t len;
    field(row, idx, &s, &len);
    return diag_hint(out, outsz, s, len,
                     idx == c->schema.idx[COL_PERIOD] ? DIAG_HINT_DATE : 0);
}

/*
 * Report err (message only) at the row's line and the column's field, with
 * a hint from the value.
 */
static void
report(struct parse_ctx *c, const struct csvread_row *row, int idx,
       const struct diag *err)
{
    char h[160];
    diag_list_addf(c->dl, DIAG_ERROR, DIAG_DATA, c->file, row->line,
                   (unsigned long)idx + 1, "%s%s", err->msg,
                   hint(c, row, idx, h, sizeof(h)));
    c->errors++;
}

static int
parse_area(struct parse_ctx *c, const struct csvread_row *row, int idx,
           int *area)
{
    char q[96], h[160];
    const char *s;
    size_t len;
    int v = 0;

    field(row, idx, &s, &len);
    /* the length first: ten digits or more would overflow v */
    if (len != 6)
        len = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            len = 0;
            break;
        }
        v = v * 10 + (s[i] - '0');
    }
    if (len != 6) {
        c->errors++;
        return diag_list_addf(
            c->dl, DIAG_ERROR, DIAG_DATA, c->file, row->line,
            (unsigned long)idx + 1,
            "area %s is not a 6-digit pooling-area code%s",
            diag_quote(q, sizeof(q), row->fields[idx].s, row->fields[idx].len),
            hint(c, row, idx, h, sizeof(h)));
    }
    if (refdata_area_province(c->rd, v) == NULL) {
        c->errors++;
        return diag_list_addf(c->dl, DIAG_ERROR, DIAG_DATA, c->file, row->line,
                              (unsigned long)idx + 1,
                              "area %s: no province has the prefix %.2s "
                              "(first two digits)",
                              diag_quote(q, sizeof(q), s, len), s);
    }
    if (refdata_area(c->rd, v) == NULL) {
        enum diag_severity sev = c->opts->strict ? DIAG_ERROR : DIAG_WARNING;
        if (sev == DIAG_ERROR)
            c->errors++;
        diag_list_addf(c->dl, sev, DIAG_DATA, c->file, row->line,
                       (unsigned long)idx + 1,
                       "area %s is not in the pooling-area table "
                       "(data/areas.csv)%s",
                       diag_quote(q, sizeof(q), s, len),
                       c->opts->strict ? "" : "; stored anyway");
        if (sev == DIAG_ERROR)
            return -1;
    }
    *area = v;
    return 0;
}

static int
parse_code(struct parse_ctx *c, const struct csvread_row *row, int idx,
           enum code_set set, unsigned char *out)
{
    char q[96], h[160];
    const char *s;
    size_t len;

    field(row, idx, &s, &len);
    int v = vocab_value(refdata_vocab(c->rd), set, s, len);
    if (v < 0) {
        c->errors++;
        return diag_list_addf(
            c->dl, DIAG_ERROR, DIAG_DATA, c->file, row->line,
            (unsigned long)idx + 1,
            "%s %s is not a known value (accepted: %s)%s", codes_set_name(set),
            diag_quote(q, sizeof(q), s, len), codes_accepted(set),
            hint(c, row, idx, h, sizeof(h)));
    }
    *out = (unsigned char)v;
    return 0;
}

/*
 * The header row: map it.  Without a usable header no row can be read, so
 * a non-zero return stops the reading.
 */
static int
on_header(struct parse_ctx *c, const struct csvread_row *row)
{
    struct schema_cell *cells =
        xreallocarray(NULL, row->nfields ? row->nfields : 1, sizeof(*cells));

    for (size_t i = 0; i < row->nfields; i++) {
        cells[i] = (struct schema_cell){row->fields[i].s, row->fields[i].len};
        /* messages about this file's columns quote the header's text */
        const char *s = row->fields[i].s;
        size_t len = row->fields[i].len;
        utf8_trim_blanks(&s, &len);
        diag_list_name_column(c->dl, c->file, (unsigned long)i + 1, s, len);
    }
    const struct vocab *v = refdata_vocab(c->rd);
    if (schema_is_detail(v, cells, row->nfields)) {
        /* input_read() sends these to the detail reader */
        diag_list_addf(c->dl, DIAG_ERROR, DIAG_FORMAT, c->file, row->line, 0,
                       "this is the header of a per-settlement detail file "
                       "(settlement_id, settle_time, ...), not of a summary "
                       "file");
        c->header_ok = 0;
    } else {
        c->header_ok = schema_map(&c->schema, v, cells, row->nfields,
                                  FILE_SUMMARY, c->file, row->line, c->dl) == 0;
    }
    free(cells);
    return c->header_ok ? 0 : 1;
}

static int
on_row(const struct csvread_row *row, void *data)
{
    struct parse_ctx *c = data;
    struct submission *sf = c->sf;
    struct diag err;
    struct record r;
    const char *s;
    size_t len;
    int bad = 0;

    if (row->index == 0)
        return on_header(c, row);
    if (row->nfields != c->schema.nfields) {
        c->errors++;
        diag_list_addf(c->dl, DIAG_ERROR, DIAG_FORMAT, c->file, row->line,
                       row->nfields > c->schema.nfields
                           ? (unsigned long)c->schema.nfields + 1
                           : (unsigned long)row->nfields,
                       "row has %zu fields but the header has %zu%s",
                       row->nfields, c->schema.nfields,
                       row->nfields > c->schema.nfields
                           ? " (an unquoted comma inside a value?)"
                           : "");
        return 0;
    }

    memset(&r, 0, sizeof(r));
    r.line = row->line;
    diag_clear(&err);

    int i = c->schema.idx[COL_PERIOD];
    struct period p;
    field(row, i, &s, &len);
    if (period_parse(&p, s, len, &err) < 0) {
        report(c, row, i, &err);
        bad = 1;
    } else {
        r.period = p;
    }

    if (parse_area(c, row, c->schema.idx[COL_AREA], &r.area) < 0)
        bad = 1;
    if (parse_code(c, row, c->schema.idx[COL_SCOPE], CODESET_SCOPE, &r.scope) <
        0)
        bad = 1;
    if (parse_code(c, row, c->schema.idx[COL_USE], CODESET_USE, &r.use) < 0)
        bad = 1;
    r.relation = REL_UNSPECIFIED;
    i = c->schema.idx[COL_RELATION];
    if (i >= 0) {
        field(row, i, &s, &len);
        if (len > 0 && parse_code(c, row, i, CODESET_RELATION, &r.relation) < 0)
            bad = 1;
    }

    i = c->schema.idx[COL_PERSON_TIMES];
    field(row, i, &s, &len);
    if (count_parse(s, len, &r.person_times, "person_times", &err) < 0) {
        report(c, row, i, &err);
        bad = 1;
    } else if (r.person_times >= SUMMARY_PERSON_TIMES_LIMIT) {
        /*
         * A count that long is no count (a nation has 10^8 person-times a
         * year) but most likely an ID in the wrong column, which must not be
         * stored and echoed in full (DESIGN §3b).
         */
        char q[96];
        diag_set(&err, DIAG_DATA,
                 "person_times %s has more than 15 digits (is it an ID in "
                 "the wrong column?)",
                 diag_quote(q, sizeof(q), s, len));
        report(c, row, i, &err);
        bad = 1;
    }

    i = c->schema.idx[COL_AMOUNT];
    field(row, i, &s, &len);
    if (money_parse(s, len, &r.amount_fen, "amount", &err) < 0) {
        report(c, row, i, &err);
        bad = 1;
    } else if (r.amount_fen < 0) {
        char q[96];
        diag_set(&err, DIAG_DATA,
                 "amount %s is negative (summary records are monthly "
                 "flows, refunds already netted)",
                 diag_quote(q, sizeof(q), s, len));
        report(c, row, i, &err);
        bad = 1;
    }

    /*
     * Rows that are valid on their own are kept even after errors elsewhere
     * (the file is rejected anyway), so that repeated keys among them are
     * reported in the same run.
     */
    if (bad)
        return 0;
    if (sf->nrows == c->alloc) {
        c->alloc = c->alloc ? 2 * c->alloc : 256;
        sf->rows = xreallocarray(sf->rows, c->alloc, sizeof(*sf->rows));
    }
    sf->rows[sf->nrows++] = r;
    return 0;
}

/* By key, then by line: a repeated key's earlier line comes first. */
static int
cmp_key(const void *pa, const void *pb)
{
    const struct record *a = pa, *b = pb;
    int c = submission_key_cmp(a, b);
    return c ? c : (a->line > b->line) - (a->line < b->line);
}

/*
 * Find repeated keys (sorting a copy by key, then line) and build the
 * (province, month) coverage with checked totals.
 */
static void
check_keys_and_cover(struct parse_ctx *c)
{
    struct submission *sf = c->sf;
    size_t n = sf->nrows;
    struct record *sorted = xreallocarray(NULL, n ? n : 1, sizeof(*sorted));

    memcpy(sorted, sf->rows, n * sizeof(*sorted));
    qsort(sorted, n, sizeof(*sorted), cmp_key);
    for (size_t i = 1; i < n; i++) {
        const struct record *a = &sorted[i - 1], *b = &sorted[i];
        if (submission_key_cmp(a, b) == 0) {
            char per[PERIOD_LABEL_MAX];
            c->errors++;
            diag_list_addf(c->dl, DIAG_ERROR, DIAG_DATA, c->file, b->line, 0,
                           "duplicate key (%s, %06d, %s, %s, %s): "
                           "line %lu has the same period, area, scope, use "
                           "and relation",
                           period_format(per, sizeof(per), b->period), b->area,
                           codes_code(CODESET_SCOPE, b->scope),
                           codes_code(CODESET_USE, b->use),
                           codes_code(CODESET_RELATION, b->relation), a->line);
        }
    }

    if (c->errors == 0 &&
        submission_build_cover(sf, sorted, n, c->file, c->dl) < 0)
        c->errors++;
    free(sorted);
}

int
summary_parse(struct submission *sf, const char *path, const char *buf,
              size_t len, const struct ingest_opts *opts,
              const struct refdata *rd, struct diag_list *dl)
{
    struct sbuf text = SBUF_INIT;
    struct diag err;
    struct parse_ctx c;
    size_t errors_before = dl->errors;

    memset(&c, 0, sizeof(c));
    c.sf = sf;
    c.opts = opts;
    c.rd = rd;
    c.dl = dl;
    c.file = path;
    sf->path = path;
    sf->bytes = len;
    sha256_hex(buf, len, sf->sha256);
    diag_clear(&err);

    if (len == 0) {
        diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, path, 0, 0,
                       "the file is empty");
        goto out;
    }
    if (encoding_to_utf8(buf, len, opts->encoding, path, &text, &sf->encoding,
                         &sf->had_bom, &err) < 0) {
        diag_list_add(dl, &err);
        goto out;
    }
    int rc = csvread_buffer(text.buf, text.len, path, on_row, &c, &err);
    if (rc < 0) {
        diag_list_add(dl, &err);
        goto out;
    }
    if (rc == 0 && !c.header_ok) {
        diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, path, 0, 0,
                       "the file is empty (no header row)");
        goto out;
    }
    if (!c.header_ok)
        goto out;
    if (c.errors == 0 && sf->nrows == 0) {
        diag_list_addf(dl, DIAG_ERROR, DIAG_DATA, path, 1, 0,
                       "the header is not followed by any data rows");
        goto out;
    }
    if (sf->nrows > 0)
        check_keys_and_cover(&c);
    /* no coverage is built for a file with errors: cover may be NULL */
out:
    sbuf_release(&text);
    if (dl->errors > errors_before) {
        submission_drop_rows(sf);
        return -1;
    }
    return 0;
}
