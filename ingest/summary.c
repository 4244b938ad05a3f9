/* SPDX-License-Identifier: MIT */
/*
 * ingest/summary.c - summary_parse(): the file decoded and cut into rows,
 * the header (and the title and unit rows above it, a header in two rows)
 * mapped, each data row handed to ingest/sumrow.c, then relation subtotals
 * found, repeated keys reported, totals checked and coverage built.
 */
#include "ingest/summary.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/diag.h"
#include "common/i18n.h"
#include "common/money.h"
#include "common/period.h"
#include "common/sbuf.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "ingest/codes.h"
#include "ingest/csvread.h"
#include "ingest/refdata.h"
#include "ingest/schema.h"
#include "ingest/sumheader.h"
#include "ingest/summary_int.h"
#include "ingest/sumrow.h"
#include "ingest/sumtotal.h"
#include "ingest/vocab.h"

/*
 * Title and unit rows allowed above the header; past that the file has no
 * header gongji recognises.
 */
#define SUMMARY_MAX_PREAMBLE 10

/*
 * A row above the header: a unit row ("单位：万元、人次"), or a title row
 * (one or two cells, none a column name: "2024年9月职工医保个人账户共济
 * 情况", "填报单位：浙江省医保局").  Returns 1 when it is one of those, 0
 * when it is the header, -1 when a unit row is wrong (reported).
 */
static int
preamble_row(struct parse_ctx *c, const struct schema_cell *cells, size_t n,
             unsigned long line)
{
    const struct vocab *v = refdata_vocab(c->rd);
    size_t filled = 0;

    if (c->preamble_rows >= SUMMARY_MAX_PREAMBLE)
        return 0;
    int rc = schema_unit_row(&c->units, v, cells, n, c->file, line, c->dl);
    if (rc != 0)
        return rc;
    for (size_t i = 0; i < n; i++) {
        const char *s = cells[i].s;
        size_t len = cells[i].len;
        utf8_trim_blanks(&s, &len);
        if (len > 0)
            filled++;
        if (schema_lookup(v, s, len, NULL) >= 0)
            return 0;
    }
    return filled <= 2;
}

/* Is the field empty, blanks aside? */
static bool
blank(const struct csvread_field *f)
{
    const char *s = f->s;
    size_t len = f->len;
    utf8_trim_blanks(&s, &len);
    return len == 0;
}

/*
 * Is the row a repetition of the header (files concatenated, each with its
 * header and perhaps its UTF-8 BOM)?
 */
static bool
repeats_header(const struct parse_ctx *c, const struct csvread_row *row)
{
    const char *h = c->hdr.buf;

    for (size_t i = 0; i < row->nfields; i++) {
        const char *s = row->fields[i].s;
        size_t len = row->fields[i].len;
        if (i == 0 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
            s += 3;
            len -= 3;
        }
        utf8_trim_blanks(&s, &len);
        if (i >= c->schema.nfields) {
            if (len != 0)
                return false;
            continue;
        }
        size_t hl = strlen(h);
        if (hl != len || memcmp(h, s, len) != 0)
            return false;
        h += hl + 1;
    }
    return row->nfields >= c->schema.nfields;
}

/* For guessing the separator: is s[0..len) a column name? */
static bool
known_name(const char *s, size_t len, void *ctx)
{
    const struct parse_ctx *c = ctx;
    return schema_lookup(refdata_vocab(c->rd), s, len, NULL) >= 0;
}

/* An empty field: the first row of a two-row header? */
static bool
has_hole(const struct csvread_row *row)
{
    for (size_t i = 0; i < row->nfields; i++)
        if (blank(&row->fields[i]))
            return true;
    return false;
}

static int on_header(struct parse_ctx *c, const struct csvread_row *row);
static int on_row(const struct csvread_row *row, void *data);

/*
 * The row after a header row with holes (c->top).  It is the second row of
 * a two-row header (Excel's merged cells: 共济人次 / 共济金额 spanning the
 * sub-headers below them, the other names merged down over both rows) when
 * it has text only under the holes and under the names that span them:
 * the two rows are then mapped as one (ingest/sumheader.h).  Otherwise the
 * first row is mapped alone (an empty field between names is an error,
 * empty fields at its end are no columns) and this row is data.
 */
static int
on_sub_header(struct parse_ctx *c, const struct csvread_row *row)
{
    struct sbuf names = SBUF_INIT;
    size_t n = c->ntop;

    c->top_done = true;
    bool sub = sumheader_combine(refdata_vocab(c->rd), c->top.buf, c->ntop, row,
                                 &names, &n);
    if (!sub)
        sbuf_add(&names, c->top.buf, c->top.len);
    struct csvread_field *f = xreallocarray(NULL, n ? n : 1, sizeof(*f));
    const char *p = names.buf;
    for (size_t i = 0; i < n; i++, p += strlen(p) + 1)
        f[i] = (struct csvread_field){p, strlen(p)};
    struct csvread_row v = {.fields = f, .nfields = n, .line = c->top_line};
    if (sub)
        diag_list_addf(c->dl, DIAG_WARNING, DIAG_FORMAT, c->file, row->line, 0,
                       _("lines %lu and %lu are read as one two-row header "
                         "(merged cells)"),
                       c->top_line, row->line);
    int rc = on_header(c, &v);
    if (rc == 0 && sub)
        c->header_line = row->line;
    else if (rc == 0 && row->nfields > 0)
        rc = on_row(row, c);
    sbuf_release(&names);
    free(f);
    return rc;
}

/*
 * The header row, or a row above it: map it.  Without a usable header no row
 * can be read, so a non-zero return stops the reading.
 */
static int
on_header(struct parse_ctx *c, const struct csvread_row *row)
{
    if (c->top_line != 0 && !c->top_done)
        return on_sub_header(c, row);

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
    int pre = c->top_done ? 0 : preamble_row(c, cells, row->nfields, row->line);
    if (pre != 0) {
        free(cells);
        c->preamble_rows++;
        return pre < 0 ? 1 : 0;
    }
    if (!c->top_done && has_hole(row)) {
        /* perhaps a two-row header: the next row tells */
        for (size_t i = 0; i < row->nfields; i++) {
            const char *s = row->fields[i].s;
            size_t len = row->fields[i].len;
            utf8_trim_blanks(&s, &len);
            sbuf_add(&c->top, s, len);
            sbuf_addch(&c->top, '\0');
        }
        c->ntop = row->nfields;
        c->top_line = row->line;
        free(cells);
        return 0;
    }
    c->header_line = row->line;
    /* empty fields that end the header (cleared Excel columns) are no column */
    size_t n = row->nfields;
    while (n > 0 && blank(&row->fields[n - 1]))
        n--;
    for (size_t i = 0; i < n; i++) {
        const char *s = cells[i].s;
        size_t len = cells[i].len;
        utf8_trim_blanks(&s, &len);
        sbuf_add(&c->hdr, s, len);
        sbuf_addch(&c->hdr, '\0');
    }
    if (c->preamble_rows > 0)
        diag_list_addf(c->dl, DIAG_WARNING, DIAG_FORMAT, c->file, row->line, 0,
                       _("the header is line %lu: the %lu row(s) above it are "
                         "read as title and unit rows"),
                       row->line, c->preamble_rows);
    if (schema_is_detail(v, cells, n)) {
        /* input_read() sends these to the detail reader */
        diag_list_addf(c->dl, DIAG_ERROR, DIAG_FORMAT, c->file, row->line, 0,
                       _("this is the header of a per-settlement detail file "
                         "(settlement_id, settle_time, ...), not of a summary "
                         "file"));
        c->header_ok = 0;
    } else {
        c->header_ok = schema_map(&c->schema, v, cells, n, FILE_SUMMARY,
                                  c->file, row->line, c->dl) == 0;
        if (c->header_ok)
            c->header_ok = schema_apply_units(&c->schema, &c->units, cells, n,
                                              c->file, row->line, c->dl) == 0;
    }
    free(cells);
    return c->header_ok ? 0 : 1;
}

/* s[0..*len) without blanks and one pair of brackets: "（万元）" → "万元". */
static const char *
unbracket(const char *s, size_t *len)
{
    static const char *const open[] = {"(", "\xEF\xBC\x88"};  /* （ */
    static const char *const close[] = {")", "\xEF\xBC\x89"}; /* ） */

    utf8_trim_blanks(&s, len);
    for (size_t o = 0; o < 2; o++)
        for (size_t k = 0; k < 2; k++) {
            size_t lo = strlen(open[o]), lc = strlen(close[k]);
            if (*len >= lo + lc && memcmp(s, open[o], lo) == 0 &&
                memcmp(s + *len - lc, close[k], lc) == 0) {
                *len -= lo + lc;
                s += lo;
                utf8_trim_blanks(&s, len);
                return s;
            }
        }
    return s;
}

/*
 * The row just below the header: the header's unit row when it holds
 * nothing but units, each under the person-times or amount column (人次 /
 * 万元 under 共济人次 / 共济金额, a layout of merged cells); they are then
 * applied as a unit suffix in the header would be.  1 when it is one (or an
 * error was reported: a unit of the other measure, or one that the
 * header's own unit contradicts), 0 when it is data.
 */
static int
unit_row_below(struct parse_ctx *c, const struct csvread_row *row)
{
    static const enum column measured[] = {COL_PERSON_TIMES, COL_AMOUNT};
    static const enum unit_measure measure[] = {UNIT_COUNT, UNIT_AMOUNT};
    const struct unit *u[2] = {NULL, NULL};
    size_t units = 0;

    c->below_done = true;
    for (size_t i = 0; i < row->nfields; i++) {
        size_t len = row->fields[i].len;
        const char *s = unbracket(row->fields[i].s, &len);
        if (len == 0)
            continue;
        const struct unit *un = vocab_unit(refdata_vocab(c->rd), s, len);
        size_t k = 0;
        while (k < 2 && c->schema.idx[measured[k]] != (int)i)
            k++;
        if (un == NULL || k == 2)
            return 0; /* not a unit, or not under a measured column: data */
        u[k] = un;
        units++;
    }
    if (units == 0)
        return 0;
    for (size_t k = 0; k < 2; k++) {
        enum column col = measured[k];
        if (u[k] == NULL)
            continue;
        if (u[k]->measure != measure[k]) {
            c->errors++;
            diag_list_addf(c->dl, DIAG_ERROR, DIAG_FORMAT, c->file, row->line,
                           (unsigned long)c->schema.idx[col] + 1,
                           _("the unit row below the header gives '%s', which "
                             "is no unit of %s"),
                           u[k]->name, _(schema_column_name(col)));
        } else if (c->schema.unit[col] != NULL && c->schema.unit[col] != u[k]) {
            c->errors++;
            diag_list_addf(c->dl, DIAG_ERROR, DIAG_FORMAT, c->file, row->line,
                           (unsigned long)c->schema.idx[col] + 1,
                           _("the header says %s is in %s but the unit row "
                             "below it says %s: which is it?"),
                           _(schema_column_name(col)),
                           c->schema.unit[col]->name, u[k]->name);
        } else {
            c->schema.unit[col] = u[k];
            c->schema.exp10[col] = schema_unit_exp10(u[k]);
        }
    }
    diag_list_addf(c->dl, DIAG_WARNING, DIAG_FORMAT, c->file, row->line, 0,
                   _("line %lu is read as the header's unit row (units under "
                     "the columns of line %lu)"),
                   row->line, c->header_line);
    return 1;
}

/*
 * A row after the header (or the header, or a row above it): a repetition
 * of the header is skipped, a row with the wrong number of fields reported,
 * any other row validated and kept (ingest/sumrow.h).
 */
static int
on_row(const struct csvread_row *row, void *data)
{
    struct parse_ctx *c = data;

    if (c->header_line == 0)
        return on_header(c, row);
    if (!c->below_done && unit_row_below(c, row))
        return 0;
    if (repeats_header(c, row)) {
        diag_list_addf(c->dl, DIAG_WARNING, DIAG_FORMAT, c->file, row->line, 0,
                       _("line %lu repeats the header (line %lu): skipped "
                         "(files concatenated?)"),
                       row->line, c->header_line);
        return 0;
    }
    size_t extra = row->nfields;
    while (extra > c->schema.nfields && blank(&row->fields[extra - 1]))
        extra--;
    if (extra != c->schema.nfields) {
        c->errors++;
        diag_list_addf(
            c->dl, DIAG_ERROR, DIAG_FORMAT, c->file, row->line,
            extra > c->schema.nfields ? (unsigned long)c->schema.nfields + 1
                                      : (unsigned long)row->nfields,
            _("row has %zu fields but the header has %zu%s"), extra,
            c->schema.nfields,
            extra > c->schema.nfields
                ? (c->delim == ',' ? " (an unquoted comma inside a value?)"
                                   : " (a separator inside a value?)")
                : "");
        return 0;
    }
    return sumrow_read(c, row);
}

/* By key, then by line: a repeated key's earlier line comes first. */
static int
cmp_key(const void *pa, const void *pb)
{
    const struct record *a = pa, *b = pb;
    int c = submission_key_cmp(a, b);
    return c ? c : (a->line > b->line) - (a->line < b->line);
}

static int
cmp_ulong(const void *pa, const void *pb)
{
    unsigned long a = *(const unsigned long *)pa;
    unsigned long b = *(const unsigned long *)pb;
    return (a > b) - (a < b);
}

static bool
same_group(const struct record *a, const struct record *b)
{
    return period_cmp(a->period, b->period) == 0 && a->area == b->area &&
           a->channel == b->channel && a->scope == b->scope && a->use == b->use;
}

static bool
line_in(const unsigned long *lines, size_t n, unsigned long line)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (lines[mid] < line)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && lines[lo] == line;
}

/* Remove the rows at the lines sub[0..nsub) (sorted) from sf. */
static void
drop_lines(struct submission *sf, const unsigned long *sub, size_t nsub)
{
    size_t w = 0;

    if (nsub == 0)
        return;
    for (size_t i = 0; i < sf->nrows; i++)
        if (!line_in(sub, nsub, sf->rows[i].line))
            sf->rows[w++] = sf->rows[i];
    sf->nrows = w;
}

/*
 * A data row whose relation is blank, among rows of the same (period,
 * area, channel, scope, use) that give one other than unspecified, is their
 * subtotal: it becomes a total over all relations.  A blank relation alone
 * (or beside an explicit unspecified: then a duplicate key) is
 * `unspecified` data, as before.  Rows arrive in line order, so c->blank_rel is
 * sorted.
 */
static void
find_relation_subtotals(struct parse_ctx *c)
{
    struct submission *sf = c->sf;
    size_t n = sf->nrows, nsub = 0;

    if (c->nblank == 0 || n == 0)
        return;
    struct record *sorted = xreallocarray(NULL, n, sizeof(*sorted));
    unsigned long *sub = xreallocarray(NULL, c->nblank, sizeof(*sub));
    memcpy(sorted, sf->rows, n * sizeof(*sorted));
    qsort(sorted, n, sizeof(*sorted), cmp_key);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        bool related = false;
        while (j < n && same_group(&sorted[i], &sorted[j])) {
            related =
                related || (sorted[j].relation != REL_UNSPECIFIED &&
                            !line_in(c->blank_rel, c->nblank, sorted[j].line));
            j++;
        }
        for (size_t k = i; related && k < j; k++) {
            const struct record *r = &sorted[k];
            if (!line_in(c->blank_rel, c->nblank, r->line))
                continue;
            struct sumtotal t = {
                .kind = SUMTOTAL_RELATION,
                .codes = refdata_codes(c->rd),
                .period = r->period,
                .area = r->area,
                .channel = r->channel,
                .scope = r->scope,
                .use = r->use,
                .relation = SUMTOTAL_ANY,
                .person_times = r->person_times,
                .amount_fen = r->amount_fen,
                .line = r->line,
                .col = (unsigned long)c->schema.idx[COL_RELATION] + 1,
                .pt_col = (unsigned long)c->schema.idx[COL_PERSON_TIMES] + 1,
                .amount_col = (unsigned long)c->schema.idx[COL_AMOUNT] + 1,
            };
            sumrow_add_total(c, &t);
            sub[nsub++] = r->line;
        }
        i = j;
    }
    qsort(sub, nsub, sizeof(*sub), cmp_ulong);
    drop_lines(sf, sub, nsub);
    free(sub);
    free(sorted);
}

/* "同一统筹区/省内跨统筹区": the names of the values in mask but v. */
static void
add_names(const struct codes *cs, struct sbuf *sb, enum code_set set,
          uint32_t mask, int v)
{
    size_t before = sb->len;

    for (int k = 0; k < codes_count(cs, set); k++)
        if (k != v && (mask >> k & 1))
            sbuf_addf(sb, "%s%s", sb->len > before ? "/" : "",
                      codes_name(cs, set, k));
}

/* A coarse row whose figures are not those of the parts beside it. */
static void
coarse_error(struct parse_ctx *c, const struct record *r,
             const struct sumtotal_parts *p)
{
    struct sbuf what = SBUF_INIT, parts = SBUF_INIT;
    bool scope =
        codes_has_children(refdata_codes(c->rd), CODESET_SCOPE, r->scope) &&
        (p->scopes & ~(UINT32_C(1) << r->scope)) != 0;
    bool use = codes_has_children(refdata_codes(c->rd), CODESET_USE, r->use) &&
               (p->uses & ~(UINT32_C(1) << r->use)) != 0;
    const char *unit = codes_count_label(refdata_codes(c->rd), r->channel);
    char a1[32], a2[32];

    if (scope) {
        sbuf_addstr(&what,
                    codes_name(refdata_codes(c->rd), CODESET_SCOPE, r->scope));
        add_names(refdata_codes(c->rd), &parts, CODESET_SCOPE, p->scopes,
                  r->scope);
    }
    if (use) {
        sbuf_addf(&what, "%s%s", scope ? "/" : "",
                  codes_name(refdata_codes(c->rd), CODESET_USE, r->use));
        if (scope)
            sbuf_addstr(&parts, ", ");
        add_names(refdata_codes(c->rd), &parts, CODESET_USE, p->uses, r->use);
    }
    money_format(a1, sizeof(a1), p->amount_fen);
    money_format(a2, sizeof(a2), r->amount_fen);
    c->errors++;
    diag_list_addf(
        c->dl, DIAG_ERROR, DIAG_DATA, c->file, r->line,
        (unsigned long)c->schema.idx[scope ? COL_SCOPE : COL_USE] + 1,
        p->overflow
            ? _("%s row beside %s rows of the same key (line %lu on): the sum "
                "of those rows overflows")
            : _("%s row beside %s rows of the same key (line %lu on): as "
                "their subtotal it would be %lld%s/%s元, but it is "
                "%lld%s/%s元; as an unsplit rest it would be counted on top "
                "of them - split it into them or leave it out"),
        what.buf, parts.buf, p->line, (long long)p->person_times, unit, a1,
        (long long)r->person_times, unit, a2);
    sbuf_release(&what);
    sbuf_release(&parts);
}

static bool
any_coarse(const struct submission *sf)
{
    for (size_t i = 0; i < sf->nrows; i++)
        if (codes_has_children(sf->codes, CODESET_SCOPE, sf->rows[i].scope) ||
            codes_has_children(sf->codes, CODESET_USE, sf->rows[i].use))
            return true;
    return false;
}

/*
 * A data row with a coarse scope or use (省内, 就医购药) beside rows of its
 * parts with the same period, area, channel and relation is either their
 * subtotal or an unsplit rest.  Equal to their sum: a subtotal, a total
 * over them (not stored).  Otherwise it is ambiguous: an error.  Alone, a
 * coarse row is data (the wallet's 省内).
 */
static void
find_parent_subtotals(struct parse_ctx *c)
{
    struct submission *sf = c->sf;
    size_t n = sf->nrows, nsub = 0;

    if (n == 0 || !any_coarse(sf))
        return;
    struct record *sorted = xreallocarray(NULL, n, sizeof(*sorted));
    unsigned long *sub = xreallocarray(NULL, n, sizeof(*sub));
    memcpy(sorted, sf->rows, n * sizeof(*sorted));
    qsort(sorted, n, sizeof(*sorted), cmp_key);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && period_cmp(sorted[j].period, sorted[i].period) == 0 &&
               sorted[j].area == sorted[i].area &&
               sorted[j].channel == sorted[i].channel)
            j++;
        for (size_t k = i; k < j; k++) {
            const struct record *r = &sorted[k];
            struct sumtotal_parts p;
            if (!sumtotal_parts(refdata_codes(c->rd), sorted, i, j, k, &p))
                continue;
            if (p.overflow || p.person_times != r->person_times ||
                p.amount_fen != r->amount_fen) {
                coarse_error(c, r, &p);
                continue;
            }
            bool scope = codes_has_children(refdata_codes(c->rd), CODESET_SCOPE,
                                            r->scope);
            struct sumtotal t = {
                .kind = SUMTOTAL_PARENT,
                .codes = refdata_codes(c->rd),
                .period = r->period,
                .area = r->area,
                .channel = r->channel,
                .scope = r->scope,
                .use = r->use,
                .relation = r->relation,
                .person_times = r->person_times,
                .amount_fen = r->amount_fen,
                .line = r->line,
                .col =
                    (unsigned long)c->schema.idx[scope ? COL_SCOPE : COL_USE] +
                    1,
                .pt_col = (unsigned long)c->schema.idx[COL_PERSON_TIMES] + 1,
                .amount_col = (unsigned long)c->schema.idx[COL_AMOUNT] + 1,
            };
            sumrow_add_total(c, &t);
            sub[nsub++] = r->line;
        }
        i = j;
    }
    qsort(sub, nsub, sizeof(*sub), cmp_ulong);
    drop_lines(sf, sub, nsub);
    free(sub);
    free(sorted);
}

/*
 * Find repeated keys (sorting a copy by key, then line), check the total
 * rows against the data rows, and build the (province, month) coverage
 * with checked totals.
 */
static void
check_keys_and_cover(struct parse_ctx *c)
{
    struct submission *sf = c->sf;
    size_t n = sf->nrows;
    struct record *sorted = xreallocarray(NULL, n ? n : 1, sizeof(*sorted));

    if (n > 0)
        memcpy(sorted, sf->rows, n * sizeof(*sorted));
    qsort(sorted, n, sizeof(*sorted), cmp_key);
    for (size_t i = 1; i < n; i++) {
        const struct record *a = &sorted[i - 1], *b = &sorted[i];
        if (submission_key_cmp(a, b) == 0) {
            char per[PERIOD_LABEL_MAX];
            c->errors++;
            diag_list_addf(
                c->dl, DIAG_ERROR, DIAG_DATA, c->file, b->line, 0,
                _("duplicate key (%s, %06d, %s, %s, %s): "
                  "line %lu has the same period, area, scope, use "
                  "and relation"),
                period_format(per, sizeof(per), b->period), b->area,
                codes_code(refdata_codes(c->rd), CODESET_SCOPE, b->scope),
                codes_code(refdata_codes(c->rd), CODESET_USE, b->use),
                codes_code(refdata_codes(c->rd), CODESET_RELATION, b->relation),
                a->line);
        }
    }
    /*
     * Totals are checked only against a file without errors: with a row
     * missing, a right total would look wrong.
     */
    if (c->errors == 0 && c->ntotal > 0)
        c->errors += (int)sumtotal_check(c->totals, c->ntotal, sorted, n,
                                         c->file, c->dl);

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
    c.what_person_times = _("person_times");
    c.what_amount = _("amount");
    c.dl = dl;
    c.file = path;
    sbuf_init(&c.hdr);
    sbuf_init(&c.top);
    sf->path = path;
    sf->codes = refdata_codes(rd);
    sf->bytes = len;
    sha256_hex(buf, len, sf->sha256);
    diag_clear(&err);

    if (len == 0) {
        diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, path, 0, 0,
                       _("the file is empty"));
        goto out;
    }
    if (encoding_file_to_utf8(buf, len, opts->encoding, path, &text,
                              &sf->encoding, &sf->had_bom, &err) < 0) {
        diag_list_add(dl, &err);
        goto out;
    }
    c.delim = csvread_guess_delim(text.buf, text.len, SUMMARY_MAX_PREAMBLE + 1,
                                  known_name, &c);
    int rc = csvread_buffer_delim(text.buf, text.len, c.delim, path, on_row, &c,
                                  &err);
    if (rc == 0 && c.top_line != 0 && !c.top_done) {
        /* a header with holes, and no row after it */
        struct csvread_row none = {.line = c.top_line};
        rc = on_sub_header(&c, &none);
    }
    if (rc < 0) {
        diag_list_add(dl, &err);
        goto out;
    }
    if (rc == 0 && !c.header_ok && c.preamble_rows == 0) {
        diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, path, 0, 0,
                       _("the file is empty (no header row)"));
        goto out;
    }
    if (rc == 0 && !c.header_ok) {
        diag_list_addf(
            dl, DIAG_ERROR, DIAG_FORMAT, path, 0, 0,
            _("no header row: the %lu line(s) of text read look like "
              "titles (a header names columns such as 统计期, "
              "统筹区编码, 共济人次, 共济金额)"),
            c.preamble_rows);
        goto out;
    }
    if (!c.header_ok)
        goto out;
    find_relation_subtotals(&c);
    find_parent_subtotals(&c);
    if (c.errors == 0 && sf->nrows == 0 && c.ntotal == 0) {
        diag_list_addf(dl, DIAG_ERROR, DIAG_DATA, path, c.header_line, 0,
                       _("the header is not followed by any data rows"));
        goto out;
    }
    if (sf->nrows > 0 || c.ntotal > 0)
        check_keys_and_cover(&c);
    /* no coverage is built for a file with errors: cover may be NULL */
out:
    sbuf_release(&text);
    sbuf_release(&c.hdr);
    sbuf_release(&c.top);
    free(c.totals);
    free(c.blank_rel);
    if (dl->errors > errors_before) {
        submission_drop_rows(sf);
        return -1;
    }
    return 0;
}
