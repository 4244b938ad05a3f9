/* SPDX-License-Identifier: MIT */
#include "report/xlsxsheet.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <xlsxwriter.h>

#include "common/i18n.h"
#include "report/numfmt.h"
#include "report/xlsx.h"

/* Column width: content width plus this many digit widths of air. */
#define COL_PAD 3
#define COL_MIN 6
#define COL_MAX 72
/* Header text wider than this wraps instead of widening its column. */
#define HEAD_WRAP 12

/* One line of 宋体/黑体 11 is about 14.25pt. */
#define LINE_PT 14.25

/* ******************************************************************** */
/* Workbook state                                                       */
/* ******************************************************************** */

void
xlsxsheet_fail(struct xlsxsheet_book *b, enum diag_code code, const char *fmt,
               ...)
{
    va_list ap;

    if (b->failed)
        return;
    b->failed = true;
    va_start(ap, fmt);
    diag_vset(b->err, code, fmt, ap);
    va_end(ap);
}

/* Record a failed library call; true when e is LXW_NO_ERROR. */
bool
xlsxsheet_ok(struct xlsxsheet *s, int e, const char *what)
{
    if (e == LXW_NO_ERROR)
        return true;
    xlsxsheet_fail(s->b, DIAG_IO, _("cannot write sheet '%s': %s: %s"), s->name,
                   what, lxw_strerror((lxw_error)e));
    return false;
}

/*
 * The one place where our size_t positions become libxlsxwriter's types.
 * A position outside the sheet is our bug; it is reported, not written.
 */
bool
xlsxsheet_cell(struct xlsxsheet *s, size_t row, size_t col, lxw_row_t *r,
               lxw_col_t *c)
{
    if (row >= LXW_ROW_MAX || col >= XLSXSHEET_MAX_COLS) {
        xlsxsheet_fail(s->b, DIAG_IO,
                       _("cannot write sheet '%s': cell %zu,%zu out "
                         "of range"),
                       s->name, row, col);
        return false;
    }
    *r = (lxw_row_t)row;
    *c = (lxw_col_t)col;
    if (col + 1 > s->ncols)
        s->ncols = col + 1;
    return true;
}

static void
note_width(struct xlsxsheet *s, size_t col, size_t w)
{
    if (col < XLSXSHEET_MAX_COLS && w > s->width[col])
        s->width[col] = w;
}

void
xlsxsheet_put_str(struct xlsxsheet *s, size_t row, size_t col, const char *text,
                  lxw_format *f)
{
    lxw_row_t r;
    lxw_col_t c;

    if (!xlsxsheet_cell(s, row, col, &r, &c))
        return;
    if (text == NULL)
        text = "";
    note_width(s, col, xlsx_text_width(text));
    xlsxsheet_ok(s, worksheet_write_string(s->ws, r, c, text, f),
                 "worksheet_write_string");
}

/* A header cell: long text wraps (HEAD_WRAP) and the row grows instead. */
void
xlsxsheet_put_head(struct xlsxsheet *s, size_t row, size_t col,
                   const char *text)
{
    lxw_row_t r;
    lxw_col_t c;
    size_t w = xlsx_text_width(text);

    if (!xlsxsheet_cell(s, row, col, &r, &c))
        return;
    note_width(s, col, w < HEAD_WRAP ? w : HEAD_WRAP);
    if (s->nheads < XLSXSHEET_MAX_HEADS)
        s->heads[s->nheads++] = (struct xlsxsheet_head){row, col, w};
    xlsxsheet_ok(s, worksheet_write_string(s->ws, r, c, text, s->b->f.head),
                 "worksheet_write_string");
}

/* A figure in hundredths of its display unit, written as the number shown. */
void
xlsxsheet_put_hundredths(struct xlsxsheet *s, size_t row, size_t col, int64_t h,
                         lxw_format *f)
{
    lxw_row_t r;
    lxw_col_t c;
    char buf[32];
    int n = numfmt_hundredths(buf, sizeof(buf), h);

    if (!xlsxsheet_cell(s, row, col, &r, &c))
        return;
    note_width(s, col, n > 0 ? (size_t)n : 0);
    xlsxsheet_ok(s, worksheet_write_number(s->ws, r, c, (double)h / 100.0, f),
                 "worksheet_write_number");
}

void
xlsxsheet_put_permille(struct xlsxsheet *s, size_t row, size_t col, int64_t v,
                       lxw_format *f)
{
    lxw_row_t r;
    lxw_col_t c;
    char buf[32];
    int n = numfmt_decimals(buf, sizeof(buf), v, 1);

    if (!xlsxsheet_cell(s, row, col, &r, &c))
        return;
    note_width(s, col, n > 0 ? (size_t)n + 1 : 0); /* and the % */
    xlsxsheet_ok(s, worksheet_write_number(s->ws, r, c, (double)v / 1000.0, f),
                 "worksheet_write_number");
}

/* A whole number shown as "#,##0". */
void
xlsxsheet_put_count(struct xlsxsheet *s, size_t row, size_t col, int64_t v,
                    lxw_format *f)
{
    lxw_row_t r;
    lxw_col_t c;
    char buf[32];
    int n = snprintf(buf, sizeof(buf), "%" PRId64, v);
    size_t digits = n > 0 ? (size_t)n : 0;

    if (!xlsxsheet_cell(s, row, col, &r, &c))
        return;
    note_width(s, col, digits + (digits > 0 ? (digits - 1) / 3 : 0));
    xlsxsheet_ok(s, worksheet_write_number(s->ws, r, c, (double)v, f),
                 "worksheet_write_number");
}

void
xlsxsheet_put_yuan(struct xlsxsheet *s, size_t row, size_t col, int64_t fen,
                   lxw_format *f)
{
    lxw_row_t r;
    lxw_col_t c;
    char buf[32];
    int n = numfmt_hundredths(buf, sizeof(buf), fen);
    size_t w = n > 0 ? (size_t)n : 0;
    /* the separators of "#,##0.00": one per three digits before the point */
    size_t intd = w > 3 ? w - 3 - (fen < 0) : 0;

    if (!xlsxsheet_cell(s, row, col, &r, &c))
        return;
    note_width(s, col, w + (intd > 0 ? (intd - 1) / 3 : 0));
    xlsxsheet_ok(s, worksheet_write_number(s->ws, r, c, (double)fen / 100.0, f),
                 "worksheet_write_number");
}

/* 1970-01-01 is day 25569 of Excel's 1900 date system. */
#define EXCEL_EPOCH_DAY 25569

void
xlsxsheet_put_datetime(struct xlsxsheet *s, size_t row, size_t col,
                       int64_t secs, lxw_format *f)
{
    lxw_row_t r;
    lxw_col_t c;
    /* whole days plus the fraction: exact to the second in a double */
    int64_t day = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    int64_t rest = secs - day * 86400;
    double serial = (double)(day + EXCEL_EPOCH_DAY) + (double)rest / 86400.0;

    if (!xlsxsheet_cell(s, row, col, &r, &c))
        return;
    note_width(s, col, 19); /* 2024-10-20 08:00:00 */
    xlsxsheet_ok(s, worksheet_write_number(s->ws, r, c, serial, f),
                 "worksheet_write_number");
}

/*
 * Merge [r1..r2] x [c1..c2].  Headers count towards column widths (a
 * vertical merge widens its column, a horizontal one its span); titles and
 * notes spanning the whole table do not.
 */
void
xlsxsheet_put_merge(struct xlsxsheet *s, size_t r1, size_t c1, size_t r2,
                    size_t c2, const char *text, lxw_format *f, bool counts)
{
    lxw_row_t fr, lr;
    lxw_col_t fc, lc;

    if (!xlsxsheet_cell(s, r1, c1, &fr, &fc) ||
        !xlsxsheet_cell(s, r2, c2, &lr, &lc))
        return;
    if (counts) {
        size_t w = xlsx_text_width(text);
        if (c1 == c2)
            note_width(s, c1, w);
        else if (s->nspans < XLSXSHEET_MAX_SPANS)
            s->spans[s->nspans++] = (struct xlsxsheet_span){c1, c2, w};
    }
    if (fr == lr && fc == lc) {
        xlsxsheet_ok(s, worksheet_write_string(s->ws, fr, fc, text, f),
                     "worksheet_write_string");
        return;
    }
    xlsxsheet_ok(s, worksheet_merge_range(s->ws, fr, fc, lr, lc, text, f),
                 "worksheet_merge_range");
}

void
xlsxsheet_row_height(struct xlsxsheet *s, size_t row, double pt)
{
    lxw_row_t r;
    lxw_col_t c;

    if (!xlsxsheet_cell(s, row, 0, &r, &c))
        return;
    xlsxsheet_ok(s, worksheet_set_row(s->ws, r, pt, NULL), "worksheet_set_row");
}

void
xlsxsheet_rows_height(struct xlsxsheet *s, size_t first, size_t last, double pt)
{
    for (size_t row = first; row <= last; row++)
        xlsxsheet_row_height(s, row, pt);
}

/* Give columns c1..c2 the width of the widest of them (a month grid). */
void
xlsxsheet_even_widths(struct xlsxsheet *s, size_t c1, size_t c2)
{
    size_t w = 0;

    for (size_t c = c1; c <= c2 && c < XLSXSHEET_MAX_COLS; c++)
        if (s->width[c] > w)
            w = s->width[c];
    for (size_t c = c1; c <= c2 && c < XLSXSHEET_MAX_COLS; c++)
        s->width[c] = w;
}

/*
 * Open a sheet.  The name is checked by us first: libxlsxwriter 1.1.4
 * accepts some names Excel refuses (an empty one, for instance).
 */
int
xlsxsheet_open(struct xlsxsheet_book *b, struct xlsxsheet *s, const char *name)
{
    memset(s, 0, sizeof(*s));
    s->b = b;
    s->name = name;
    if (b->failed)
        return -1;
    if (xlsx_check_name(name, b->err) < 0) {
        b->failed = true;
        return -1;
    }
    s->ws = workbook_add_worksheet(b->wb, name);
    if (s->ws == NULL) {
        xlsxsheet_fail(b, DIAG_IO, _("cannot add sheet '%s'"), name);
        return -1;
    }
    return 0;
}

/*
 * Width of each used column from its content (libxlsxwriter has no
 * autofit), then widen merged header spans that are still too narrow, then
 * grow rows whose header cells wrap.
 */
void
xlsxsheet_finish(struct xlsxsheet *s)
{
    for (size_t c = 0; c < s->ncols; c++) {
        size_t w = s->width[c] + COL_PAD;
        if (w < COL_MIN)
            w = COL_MIN;
        if (w > COL_MAX)
            w = COL_MAX;
        s->colw[c] = (double)w;
    }
    for (size_t i = 0; i < s->nspans; i++) {
        const struct xlsxsheet_span *sp = &s->spans[i];
        double have = 0, need = (double)(sp->width + COL_PAD);
        size_t n = sp->c2 - sp->c1 + 1;
        for (size_t c = sp->c1; c <= sp->c2; c++)
            have += s->colw[c];
        if (have < need)
            for (size_t c = sp->c1; c <= sp->c2; c++)
                s->colw[c] += (need - have) / (double)n;
    }
    for (size_t c = 0; c < s->ncols; c++) {
        lxw_row_t r;
        lxw_col_t lc;
        if (!xlsxsheet_cell(s, 0, c, &r, &lc))
            return;
        xlsxsheet_ok(s, worksheet_set_column(s->ws, lc, lc, s->colw[c], NULL),
                     "worksheet_set_column");
    }

    /*
     * A CJK character is 2 units wide and is never split, so a column of
     * width w holds (w - 1) / 2 of them per line (one unit for the cell's
     * margins).
     */
    for (size_t i = 0; i < s->nheads; i++) {
        size_t row = s->heads[i].row, lines = 1;
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = s->heads[j].row == row;
        if (seen)
            continue;
        for (size_t j = i; j < s->nheads; j++) {
            const struct xlsxsheet_head *h = &s->heads[j];
            size_t per_line = 2 * (((size_t)s->colw[h->col] - 1) / 2);
            size_t n = (h->width + per_line - 1) / per_line;
            if (h->row == row && n > lines)
                lines = n;
        }
        double pt = (double)lines * LINE_PT + 8.0;
        xlsxsheet_row_height(s, row,
                             pt < XLSXSHEET_HEAD_PT ? XLSXSHEET_HEAD_PT : pt);
    }
}

/*
 * A4 landscape, one page wide, centred, page footer; rows head_first..
 * head_last repeated on every page when repeat is set.
 */
void
xlsxsheet_print_setup(struct xlsxsheet *s, bool repeat, size_t head_first,
                      size_t head_last)
{
    lxw_row_t r1, r2;
    lxw_col_t c;

    worksheet_set_paper(s->ws, 9);
    worksheet_set_landscape(s->ws);
    worksheet_fit_to_pages(s->ws, 1, 0);
    worksheet_center_horizontally(s->ws);
    xlsxsheet_ok(s, worksheet_set_footer(s->ws, "&C第 &P 页，共 &N 页"),
                 "worksheet_set_footer");
    if (!repeat)
        return;
    if (!xlsxsheet_cell(s, head_first, 0, &r1, &c) ||
        !xlsxsheet_cell(s, head_last, 0, &r2, &c))
        return;
    xlsxsheet_ok(s, worksheet_repeat_rows(s->ws, r1, r2),
                 "worksheet_repeat_rows");
}

void
xlsxsheet_one_page(struct xlsxsheet *s)
{
    worksheet_fit_to_pages(s->ws, 1, 1);
    /* inches: left, right, top, bottom (Excel's "narrow") */
    worksheet_set_margins(s->ws, 0.25, 0.25, 0.5, 0.5);
}

void
xlsxsheet_freeze(struct xlsxsheet *s, size_t row, size_t col)
{
    lxw_row_t r;
    lxw_col_t c;

    if (xlsxsheet_cell(s, row, col, &r, &c))
        worksheet_freeze_panes(s->ws, r, c);
}
