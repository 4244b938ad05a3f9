/* SPDX-License-Identifier: MIT */
#include "ingest/detail_cold.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/diag.h"
#include "common/i18n.h"
#include "common/period.h"
#include "common/sbuf.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "ingest/codes.h"
#include "ingest/detail.h"
#include "ingest/detail_cols.h"
#include "ingest/detail_int.h"
#include "ingest/encoding.h"
#include "ingest/refdata.h"
#include "ingest/scan.h"
#include "ingest/submission.h"
#include "ingest/vocab.h"

char *
detail_mask_id(char *out, size_t outsz, const char *s, size_t len)
{
    size_t n = utf8_codepoints(s, len), o = 0, k = 0, stars = 0;

    if (outsz < 3) {
        if (outsz > 0)
            out[0] = '\0';
        return out;
    }
    out[o++] = '\'';
    for (size_t i = 0; i < len && o + 6 < outsz; k++) {
        unsigned cp;
        size_t step = utf8_decode(s + i, len - i, &cp);
        bool keep = n >= 8 && (k < 3 || k >= n - 2);
        if (keep && cp >= 0x20 && cp != 0x7F && cp != 0xFFFD &&
            o + step + 2 < outsz) {
            memcpy(out + o, s + i, step);
            o += step;
        } else if (keep) {
            out[o++] = '?';
        } else if (stars++ < 40) {
            out[o++] = '*';
        }
        i += step;
    }
    out[o++] = '\'';
    out[o] = '\0';
    return out;
}

/*
 * The shapes a time takes after a spreadsheet has reformatted it: Excel and
 * WPS write "2024/9/3 10:21" (no leading zeros, no seconds) or
 * "2024-09-03 10:21".  Y-M-D with '-' or '/' (the same twice), one or two
 * digits for month, day and hour, then ":MM" and optionally ":SS".  Only
 * tried when the strict shape fails, so it costs the common file nothing.
 */
int __attribute__((cold, noinline))
detail_cold_time_loose(const char *s, size_t len, struct period *out)
{
    unsigned v[6] = {0, 0, 0, 0, 0, 0};
    static const unsigned char maxd[6] = {4, 2, 2, 2, 2, 2};
    static const unsigned char mind[6] = {4, 1, 1, 1, 2, 2};
    size_t i = 0;
    int k = 0;
    char dsep = 0;

    for (; k < 6; k++) {
        size_t start = i;
        while (i < len && i - start < maxd[k] &&
               (unsigned)(unsigned char)s[i] - '0' <= 9) {
            v[k] = v[k] * 10 + (unsigned)(s[i] - '0');
            i++;
        }
        if (i - start < mind[k])
            return -1;
        if (i == len)
            break;
        char c = s[i];
        if (k == 0 && (c == '-' || c == '/'))
            dsep = c;
        else if (!(k == 1 && c == dsep) && !(k == 2 && c == ' ') &&
                 !((k == 3 || k == 4) && c == ':'))
            return -1;
        i++;
    }
    /* a time is required: at least the minutes */
    if (i != len || k < 4 || k > 5)
        return -1;
    if (!period_valid_date((int)v[0], (int)v[1], (int)v[2]) || v[3] > 23 ||
        v[4] > 59 || v[5] > 59)
        return -2;
    if (v[0] < PERIOD_MIN_YEAR || v[0] > PERIOD_MAX_YEAR)
        return -3;
    out->year = (int)v[0];
    out->month = (int)v[1];
    return 0;
}

/*
 * Is s[0..len) a number in Excel's scientific notation (3.30102E+17,
 * 3E+17)?  Excel shows a long digit string typed or opened into a General
 * column that way and keeps only 15 significant digits: the identifier is
 * lost.  The cheap test on s[1] keeps ordinary identifiers off this path.
 */
bool __attribute__((noinline)) detail_cold_id_sci(const char *s, size_t len)
{
    size_t i = 1;

    if ((unsigned)(unsigned char)s[0] - '0' > 9)
        return false;
    if (s[1] == '.') {
        size_t start = ++i;
        while (i < len && (unsigned)(unsigned char)s[i] - '0' <= 9)
            i++;
        if (i == start)
            return false;
    }
    if (i >= len || (s[i] != 'E' && s[i] != 'e'))
        return false;
    i++;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        i++;
    if (i == len)
        return false;
    for (; i < len; i++)
        if ((unsigned)(unsigned char)s[i] - '0' > 9)
            return false;
    return true;
}

void
detail_cold_problem(struct detail_worker *w, enum diag_severity sev,
                    enum diag_code code, unsigned long line, unsigned long col,
                    const char *fmt, ...)
{
    if (sev == DIAG_ERROR) {
        w->info.errors++;
        w->errors++;
    } else
        w->info.warnings++;
    /*
     * A thread handles its chunks in file order, so its first
     * DIAG_LIST_KEEP problems include all of its share of the file's first
     * DIAG_LIST_KEEP.
     */
    if (w->nerrs >= DIAG_LIST_KEEP)
        return;
    if (w->errs == NULL)
        w->errs = xcalloc(DIAG_LIST_KEEP, sizeof(*w->errs));
    struct detail_perr *e = &w->errs[w->nerrs++];
    va_list ap;
    e->chunk = w->chunk;
    e->line = line;
    e->seq = w->seq++;
    diag_clear(&e->d);
    va_start(ap, fmt);
    diag_vset(&e->d, code, fmt, ap);
    va_end(ap);
    e->d.severity = sev;
    e->d.file = w->sh->path;
    e->d.col = col;
}

void __attribute__((cold, noinline))
detail_cold_bad_time(struct detail_worker *w, unsigned long line, int rc)
{
    char q[96], h[160];
    const char *s;
    size_t len;
    field(w, DETAIL_COL_SETTLE_TIME, &s, &len);
    diag_quote(q, sizeof(q), s, len);
    if (rc == -1)
        detail_cold_problem(w, DIAG_ERROR, DIAG_DATA, line,
                            col_of(w, DETAIL_COL_SETTLE_TIME),
                            _("settle_time %s is not a date and time "
                              "YYYY-MM-DD HH:MM:SS%s"),
                            q, diag_hint(h, sizeof(h), s, len, DIAG_HINT_DATE));
    else if (rc == -2)
        detail_cold_problem(w, DIAG_ERROR, DIAG_DATA, line,
                            col_of(w, DETAIL_COL_SETTLE_TIME),
                            _("settle_time %s is not a real date and time"), q);
    else
        detail_cold_problem(w, DIAG_ERROR, DIAG_DATA, line,
                            col_of(w, DETAIL_COL_SETTLE_TIME),
                            _("settle_time %s is outside the years %d-%d"), q,
                            PERIOD_MIN_YEAR, PERIOD_MAX_YEAR);
}

void __attribute__((cold, noinline))
detail_cold_bad_area(struct detail_worker *w, unsigned long line, int c, int v)
{
    char q[96], h[160];
    const char *s;
    size_t len;
    field(w, c, &s, &len);
    diag_quote(q, sizeof(q), s, len);
    if (v < 0)
        detail_cold_problem(w, DIAG_ERROR, DIAG_DATA, line, col_of(w, c),
                            _("%s %s is not a 6-digit pooling-area code%s"),
                            _(detail_cols_name(c)), q,
                            diag_hint(h, sizeof(h), s, len, 0));
    else
        detail_cold_problem(
            w, DIAG_ERROR, DIAG_DATA, line, col_of(w, c),
            _("%s %s: no province has the prefix %.2s (first two "
              "digits)"),
            _(detail_cols_name(c)), q, s);
}

void __attribute__((cold, noinline))
detail_cold_unknown_area(struct detail_worker *w, unsigned long line, int area)
{
    if (w->sh->io->strict) {
        detail_cold_problem(
            w, DIAG_ERROR, DIAG_DATA, line, col_of(w, DETAIL_COL_PAYER_AREA),
            _("payer_area '%06d' is not in the pooling-area table "
              "(data/areas.csv)"),
            area);
        return;
    }
    for (size_t i = 0; i < w->nua; i++) {
        if (w->ua[i].area == area) {
            w->ua[i].rows++;
            return;
        }
    }
    if (w->nua == DETAIL_UNKNOWN_AREAS_MAX) {
        w->ua_dropped++;
        return;
    }
    if (w->ua == NULL)
        w->ua = xcalloc(DETAIL_UNKNOWN_AREAS_MAX, sizeof(*w->ua));
    w->ua[w->nua].area = area;
    w->ua[w->nua].first = w->chunk << 32 | line;
    w->ua[w->nua].rows = 1;
    w->nua++;
}

void __attribute__((cold, noinline))
detail_cold_bad_code(struct detail_worker *w, unsigned long line, int c,
                     enum code_set set, int v)
{
    char q[96];
    const char *s;
    size_t len;
    field(w, c, &s, &len);
    if (v == -3) {
        detail_cold_problem(
            w, DIAG_ERROR, DIAG_DATA, line, col_of(w, c),
            _("%s %s was added by data/codes.csv: a detail file may only "
              "use the built-in values"),
            _(detail_cols_name(c)), diag_quote(q, sizeof(q), s, len));
        return;
    }
    if (v == -2) {
        detail_cold_problem(
            w, DIAG_ERROR, DIAG_DATA, line, col_of(w, c),
            _("%s %s is not valid %s (the encoding was detected from "
              "the start of the file; try --encoding)"),
            _(detail_cols_name(c)), diag_quote(q, sizeof(q), s, len),
            encoding_name(w->sh->enc, 0));
        return;
    }
    /* the message quotes the decoded text, which a GB18030 file needs */
    sbuf_reset(&w->tmp);
    struct diag err;
    enum encoding got;
    int bom;
    if (encoding_to_utf8(s, len, w->sh->enc, NULL, &w->tmp, &got, &bom, &err) <
        0)
        sbuf_add(&w->tmp, s, len);
    detail_cold_problem(w, DIAG_ERROR, DIAG_DATA, line, col_of(w, c),
                        _("%s %s is not a known value (accepted: %s)"),
                        _(detail_cols_name(c)),
                        diag_quote(q, sizeof(q), w->tmp.buf, w->tmp.len),
                        codes_accepted(refdata_codes(w->sh->rd), set));
}

void __attribute__((cold, noinline))
detail_cold_bad_id(struct detail_worker *w, unsigned long line, int c,
                   const char *what)
{
    char q[128];
    const char *s;
    size_t len;
    field(w, c, &s, &len);
    if (len == 0)
        detail_cold_problem(w, DIAG_ERROR, DIAG_DATA, line, col_of(w, c),
                            _("%s is empty"), _(detail_cols_name(c)));
    else
        detail_cold_problem(w, DIAG_ERROR, DIAG_DATA, line, col_of(w, c),
                            "%s %s %s", _(detail_cols_name(c)),
                            detail_mask_id(q, sizeof(q), s, len), what);
}

void __attribute__((noinline))
detail_cold_fields_mismatch(struct detail_worker *w, unsigned long line)
{
    size_t n = w->sc.nfields, want = w->sh->nfields;
    detail_cold_problem(w, DIAG_ERROR, DIAG_FORMAT, line,
                        n > want ? (unsigned long)want + 1 : (unsigned long)n,
                        _("row has %zu fields but the header has %zu%s"), n,
                        want,
                        n > want ? " (an unquoted comma inside a value?)" : "");
}

/* Is the current row a repetition of the header (files concatenated)? */
bool
detail_cold_header_row(struct detail_worker *w)
{
    static const int probe[] = {DETAIL_COL_SETTLE_TIME, DETAIL_COL_PAYER_AREA};
    for (size_t i = 0; i < sizeof(probe) / sizeof(probe[0]); i++) {
        const char *s;
        size_t len;
        field(w, probe[i], &s, &len);
        sbuf_reset(&w->tmp);
        if (w->sh->enc == ENC_GB18030) {
            struct diag err;
            enum encoding got;
            int bom;
            if (encoding_to_utf8(s, len, ENC_GB18030, NULL, &w->tmp, &got, &bom,
                                 &err) < 0)
                return false;
        } else {
            sbuf_add(&w->tmp, s, len);
        }
        if (detail_cols_lookup(refdata_vocab(w->sh->rd), w->tmp.buf,
                               w->tmp.len) != probe[i])
            return false;
    }
    return true;
}

void __attribute__((cold, noinline))
detail_cold_cell_overflow(struct detail_worker *w, unsigned long rl, int yyyymm,
                          int area)
{
    char per[PERIOD_LABEL_MAX];
    detail_cold_problem(
        w, DIAG_ERROR, DIAG_DATA, rl, 0,
        _("the sums of (%s, %06d) overflow 64 bits"),
        period_format(per, sizeof(per), period_of_yyyymm(yyyymm)), area);
}

void __attribute__((cold, noinline))
detail_cold_syntax_error(struct detail_worker *w, const struct scan_error *se)
{
    char q[128];
    size_t f = se->field;
    bool personal = false;
    for (int c = 0; c < DETAIL_COL_N; c++)
        if (detail_cols_personal(c) && w->sh->idx[c] >= 0 &&
            (size_t)w->sh->idx[c] == f)
            personal = true;
    if (personal)
        detail_mask_id(q, sizeof(q), se->text, se->text_len);
    else
        diag_quote(q, sizeof(q), se->text, se->text_len);

    w->syntax = true;
    switch (se->kind) {
    case SCAN_ERR_QUOTE_IN_FIELD:
        detail_cold_problem(
            w, DIAG_ERROR, DIAG_FORMAT, se->line, (unsigned long)f + 1,
            _("malformed quoting in field %zu (byte %zu of the line): "
              "quote inside the unquoted field %s (quote the whole "
              "field and double the quote)"),
            f + 1, se->byte, q);
        break;
    case SCAN_ERR_AFTER_QUOTE:
        detail_cold_problem(
            w, DIAG_ERROR, DIAG_FORMAT, se->line, (unsigned long)f + 1,
            _("malformed quoting in field %zu (byte %zu of the line): "
              "text after the closing quote of %s"),
            f + 1, se->byte, q);
        break;
    case SCAN_ERR_UNTERMINATED:
        /* the line number in the message is resolved with the others */
        detail_cold_problem(
            w, DIAG_ERROR, DIAG_FORMAT, se->field_line, (unsigned long)f + 1,
            _("unterminated quoted field (it began on this line)"));
        break;
    }
}
