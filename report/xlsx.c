#include "report/xlsx.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <xlsxwriter.h>

#include "aggregate/rollup.h"
#include "common/diag.h"
#include "common/utf8.h"
#include "ingest/codes.h"
#include "ingest/refdata.h"
#include "report/numfmt.h"

/*
 * The widest sheet is 月度's per-region block: 地区, twelve months, 累计.
 * Anything wider is a layout bug of ours, reported rather than written.
 */
#define MAX_COLS  24
#define MAX_HEADS 48
#define MAX_SPANS 8

/* Column width: content width plus this many digit widths of air. */
#define COL_PAD 3
#define COL_MIN 6
#define COL_MAX 72
/* Header text wider than this wraps instead of widening its column. */
#define HEAD_WRAP 12

/* Row heights in points (宋体/黑体 11: one line is about 14.25pt). */
#define LINE_PT  14.25
#define TITLE_PT 36.0
#define UNIT_PT  20.0
#define HEAD_PT  22.0
#define BODY_PT  18.0

#define FONT_BODY "宋体"
#define FONT_HEAD "黑体"

/* ******************************************************************** */
/* Helpers exported for tests                                           */
/* ******************************************************************** */

int
xlsx_check_name(const char *name, struct diag *err)
{
    char q[64];
    size_t len, bad;

    if (name == NULL || *name == '\0')
        return diag_set(err, DIAG_CONFIG, "sheet or defined name is empty");
    len = strlen(name);
    diag_quote(q, sizeof(q), name, len);
    if (!utf8_valid(name, len, &bad))
        return diag_set(err, DIAG_CONFIG, "name %s is not valid UTF-8", q);
    if (utf8_codepoints(name, len) > 31)
        return diag_set(err, DIAG_CONFIG,
                        "name %s is longer than 31 characters", q);
    if (strpbrk(name, "[]:*?/\\") != NULL)
        return diag_set(err, DIAG_CONFIG, "name %s contains one of []:*?/\\",
                        q);
    if (name[0] == '\'' || name[len - 1] == '\'')
        return diag_set(err, DIAG_CONFIG,
                        "name %s starts or ends with an apostrophe", q);
    return 0;
}

size_t
xlsx_text_width(const char *s)
{
    return s == NULL ? 0 : utf8_width(s, strlen(s));
}

static bool
is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/*
 * Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil); timegm() is not in C11 and mktime() would apply TZ.
 */
static int64_t
days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int64_t)era * 146097 + doe - 719468;
}

int
xlsx_date_epoch(const char *ymd, int64_t *secs, struct diag *err)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
    char q[64];
    int v[3] = {0, 0, 0};
    static const int pos[3][2] = {{0, 4}, {5, 2}, {8, 2}};

    if (ymd == NULL)
        return diag_set(err, DIAG_USAGE, "as-of date is missing");
    diag_quote(q, sizeof(q), ymd, strlen(ymd));
    if (strlen(ymd) != 10 || ymd[4] != '-' || ymd[7] != '-')
        goto bad;
    for (int k = 0; k < 3; k++) {
        for (int i = pos[k][0]; i < pos[k][0] + pos[k][1]; i++) {
            if (ymd[i] < '0' || ymd[i] > '9')
                goto bad;
            v[k] = v[k] * 10 + (ymd[i] - '0');
        }
    }
    if (v[0] < 1970 || v[1] < 1 || v[1] > 12 || v[2] < 1)
        goto bad;
    if (v[2] > mdays[v[1] - 1] + (v[1] == 2 && is_leap(v[0])))
        goto bad;
    *secs = days_from_civil(v[0], v[1], v[2]) * 86400;
    return 0;
bad:
    return diag_set(err, DIAG_USAGE,
                    "as-of date %s is not a YYYY-MM-DD date from 1970 on", q);
}

/* ******************************************************************** */
/* Workbook state                                                       */
/* ******************************************************************** */

struct fmts {
    lxw_format *title;      /* 黑体 16 bold, centred */
    lxw_format *unit;       /* the unit line, right-aligned */
    lxw_format *caption;    /* block caption on 月度, 黑体 left */
    lxw_format *head;       /* 黑体 11 bold, centred, wrapped, bordered */
    lxw_format *name;       /* region name, bordered */
    lxw_format *name_total; /* 全国 */
    lxw_format *text;       /* other text cells, bordered, left */
    lxw_format *center;     /* codes, months, periods, bordered, centred */
    lxw_format *num;        /* "0.00", bordered */
    lxw_format *num_total;  /* "0.00" on the 全国 row */
    lxw_format *count;      /* "#,##0", bordered */
    lxw_format *note;       /* notes under a table, no border */
};

struct book {
    lxw_workbook *wb;
    struct fmts f;
    const struct rollup *r;
    const struct refdata *rd;
    bool cross;      /* the 跨省 columns are shown */
    char period[32]; /* "2024年1-9月" */
    char title[160]; /* sheet 附件's title, also the document title */
    const char *as_of;
    struct diag *err;
    bool failed; /* err holds the first failure; later ones are dropped */
};

/* A header cell whose text may wrap; its row grows to fit. */
struct head_cell {
    size_t row, col, width;
};

/* A header merged across columns; the columns widen to fit its text. */
struct span {
    size_t c1, c2, width;
};

struct sheet {
    struct book *b;
    lxw_worksheet *ws;
    const char *name;
    size_t ncols;
    size_t width[MAX_COLS]; /* widest content per column */
    double colw[MAX_COLS];  /* final widths, set by sheet_finish() */
    struct head_cell heads[MAX_HEADS];
    size_t nheads;
    struct span spans[MAX_SPANS];
    size_t nspans;
};

static void book_fail(struct book *b, enum diag_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
book_fail(struct book *b, enum diag_code code, const char *fmt, ...)
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
static bool
sheet_ok(struct sheet *s, lxw_error e, const char *what)
{
    if (e == LXW_NO_ERROR)
        return true;
    book_fail(s->b, DIAG_IO, "cannot write sheet '%s': %s: %s", s->name, what,
              lxw_strerror(e));
    return false;
}

/*
 * The one place where our size_t positions become libxlsxwriter's types.
 * A position outside the sheet is our bug; it is reported, not written.
 */
static bool
cell_pos(struct sheet *s, size_t row, size_t col, lxw_row_t *r, lxw_col_t *c)
{
    if (row >= LXW_ROW_MAX || col >= MAX_COLS) {
        book_fail(s->b, DIAG_IO,
                  "cannot write sheet '%s': cell %zu,%zu out "
                  "of range",
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
note_width(struct sheet *s, size_t col, size_t w)
{
    if (col < MAX_COLS && w > s->width[col])
        s->width[col] = w;
}

static void
put_str(struct sheet *s, size_t row, size_t col, const char *text,
        lxw_format *f)
{
    lxw_row_t r;
    lxw_col_t c;

    if (!cell_pos(s, row, col, &r, &c))
        return;
    if (text == NULL)
        text = "";
    note_width(s, col, xlsx_text_width(text));
    sheet_ok(s, worksheet_write_string(s->ws, r, c, text, f),
             "worksheet_write_string");
}

/* A header cell: long text wraps (HEAD_WRAP) and the row grows instead. */
static void
put_head(struct sheet *s, size_t row, size_t col, const char *text)
{
    lxw_row_t r;
    lxw_col_t c;
    size_t w = xlsx_text_width(text);

    if (!cell_pos(s, row, col, &r, &c))
        return;
    note_width(s, col, w < HEAD_WRAP ? w : HEAD_WRAP);
    if (s->nheads < MAX_HEADS)
        s->heads[s->nheads++] = (struct head_cell){row, col, w};
    sheet_ok(s, worksheet_write_string(s->ws, r, c, text, s->b->f.head),
             "worksheet_write_string");
}

/* A figure in hundredths of its display unit, written as the number shown. */
static void
put_hundredths(struct sheet *s, size_t row, size_t col, int64_t h,
               lxw_format *f)
{
    lxw_row_t r;
    lxw_col_t c;
    char buf[32];
    int n = numfmt_hundredths(buf, sizeof(buf), h);

    if (!cell_pos(s, row, col, &r, &c))
        return;
    note_width(s, col, n > 0 ? (size_t)n : 0);
    sheet_ok(s, worksheet_write_number(s->ws, r, c, (double)h / 100.0, f),
             "worksheet_write_number");
}

/* A whole number shown as "#,##0". */
static void
put_count(struct sheet *s, size_t row, size_t col, int64_t v, lxw_format *f)
{
    lxw_row_t r;
    lxw_col_t c;
    char buf[32];
    int n = snprintf(buf, sizeof(buf), "%" PRId64, v);
    size_t digits = n > 0 ? (size_t)n : 0;

    if (!cell_pos(s, row, col, &r, &c))
        return;
    note_width(s, col, digits + (digits > 0 ? (digits - 1) / 3 : 0));
    sheet_ok(s, worksheet_write_number(s->ws, r, c, (double)v, f),
             "worksheet_write_number");
}

/*
 * Merge [r1..r2] x [c1..c2].  Headers count towards column widths (a
 * vertical merge widens its column, a horizontal one its span); titles and
 * notes spanning the whole table do not.
 */
static void
put_merge(struct sheet *s, size_t r1, size_t c1, size_t r2, size_t c2,
          const char *text, lxw_format *f, bool counts)
{
    lxw_row_t fr, lr;
    lxw_col_t fc, lc;

    if (!cell_pos(s, r1, c1, &fr, &fc) || !cell_pos(s, r2, c2, &lr, &lc))
        return;
    if (counts) {
        size_t w = xlsx_text_width(text);
        if (c1 == c2)
            note_width(s, c1, w);
        else if (s->nspans < MAX_SPANS)
            s->spans[s->nspans++] = (struct span){c1, c2, w};
    }
    if (fr == lr && fc == lc) {
        sheet_ok(s, worksheet_write_string(s->ws, fr, fc, text, f),
                 "worksheet_write_string");
        return;
    }
    sheet_ok(s, worksheet_merge_range(s->ws, fr, fc, lr, lc, text, f),
             "worksheet_merge_range");
}

static void
set_row_height(struct sheet *s, size_t row, double pt)
{
    lxw_row_t r;
    lxw_col_t c;

    if (!cell_pos(s, row, 0, &r, &c))
        return;
    sheet_ok(s, worksheet_set_row(s->ws, r, pt, NULL), "worksheet_set_row");
}

static void
set_rows_height(struct sheet *s, size_t first, size_t last, double pt)
{
    for (size_t row = first; row <= last; row++)
        set_row_height(s, row, pt);
}

/* Give columns c1..c2 the width of the widest of them (a month grid). */
static void
even_widths(struct sheet *s, size_t c1, size_t c2)
{
    size_t w = 0;

    for (size_t c = c1; c <= c2 && c < MAX_COLS; c++)
        if (s->width[c] > w)
            w = s->width[c];
    for (size_t c = c1; c <= c2 && c < MAX_COLS; c++)
        s->width[c] = w;
}

/*
 * Open a sheet.  The name is checked by us first: libxlsxwriter 1.1.4
 * accepts some names Excel refuses (an empty one, for instance).
 */
static int
sheet_open(struct book *b, struct sheet *s, const char *name)
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
        book_fail(b, DIAG_IO, "cannot add sheet '%s'", name);
        return -1;
    }
    return 0;
}

/*
 * Width of each used column from its content (libxlsxwriter has no
 * autofit), then widen merged header spans that are still too narrow, then
 * grow rows whose header cells wrap.
 */
static void
sheet_finish(struct sheet *s)
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
        const struct span *sp = &s->spans[i];
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
        if (!cell_pos(s, 0, c, &r, &lc))
            return;
        sheet_ok(s, worksheet_set_column(s->ws, lc, lc, s->colw[c], NULL),
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
            const struct head_cell *h = &s->heads[j];
            size_t per_line = 2 * (((size_t)s->colw[h->col] - 1) / 2);
            size_t n = (h->width + per_line - 1) / per_line;
            if (h->row == row && n > lines)
                lines = n;
        }
        double pt = (double)lines * LINE_PT + 8.0;
        set_row_height(s, row, pt < HEAD_PT ? HEAD_PT : pt);
    }
}

/*
 * A4 landscape, one page wide, centred, page footer; rows head_first..
 * head_last repeated on every page when repeat is set.
 */
static void
sheet_print_setup(struct sheet *s, bool repeat, size_t head_first,
                  size_t head_last)
{
    lxw_row_t r1, r2;
    lxw_col_t c;

    worksheet_set_paper(s->ws, 9);
    worksheet_set_landscape(s->ws);
    worksheet_fit_to_pages(s->ws, 1, 0);
    worksheet_center_horizontally(s->ws);
    sheet_ok(s, worksheet_set_footer(s->ws, "&C第 &P 页，共 &N 页"),
             "worksheet_set_footer");
    if (!repeat)
        return;
    if (!cell_pos(s, head_first, 0, &r1, &c) ||
        !cell_pos(s, head_last, 0, &r2, &c))
        return;
    sheet_ok(s, worksheet_repeat_rows(s->ws, r1, r2), "worksheet_repeat_rows");
}

static void
freeze(struct sheet *s, size_t row, size_t col)
{
    lxw_row_t r;
    lxw_col_t c;

    if (cell_pos(s, row, col, &r, &c))
        worksheet_freeze_panes(s->ws, r, c);
}

/* ******************************************************************** */
/* Names and labels                                                     */
/* ******************************************************************** */

static const char *
province_label(const struct book *b, int code, char *buf, size_t len)
{
    const struct province *p = refdata_province(b->rd, code);

    if (p != NULL)
        return p->short_name;
    snprintf(buf, len, "%d", code);
    return buf;
}

static const char *
area_label(const struct book *b, int code, char *buf, size_t len)
{
    const struct area *a = refdata_area(b->rd, code);

    if (a != NULL)
        return a->name;
    snprintf(buf, len, "%d", code);
    return buf;
}

/* yyyymm as "2024-01" */
static void
yyyymm_label(char *buf, size_t len, int yyyymm)
{
    snprintf(buf, len, "%04d-%02d", yyyymm / 100, yyyymm % 100);
}

static const char *
scope_name(int sc)
{
    return codes_name(CODESET_SCOPE, sc);
}

static const char *
use_name(int u)
{
    return codes_name(CODESET_USE, u);
}

static int64_t
pt_wan(int64_t pt)
{
    return numfmt_pt_hundredths(pt, UNIT_WAN);
}

static int64_t
fen_yi(int64_t fen)
{
    return numfmt_amount_hundredths(fen, UNIT_YI);
}

static int64_t
fen_wan(int64_t fen)
{
    return numfmt_amount_hundredths(fen, UNIT_WAN);
}

/* Scopes shown as columns: 跨省 only when the nation has any of it. */
static size_t
shown_scopes(const struct book *b, int out[SCOPE_N])
{
    size_t n = 0;

    for (int sc = 0; sc < SCOPE_N; sc++)
        if (sc != SCOPE_CROSS_PROVINCE || b->cross)
            out[n++] = sc;
    return n;
}

/* ******************************************************************** */
/* Sheet 附件                                                           */
/* ******************************************************************** */

static void
attach_row(struct sheet *s, size_t row, const char *name,
           const struct rollup_region *g, bool total)
{
    const struct fmts *f = &s->b->f;
    lxw_format *nf = total ? f->num_total : f->num;
    int scopes[SCOPE_N];
    size_t nsc = shown_scopes(s->b, scopes);
    size_t c = 0;

    put_str(s, row, c++, name, total ? f->name_total : f->name);
    put_hundredths(s, row, c++, pt_wan(g->total.person_times), nf);
    put_hundredths(s, row, c++, fen_yi(g->total.amount_fen), nf);
    for (size_t i = 0; i < nsc; i++) {
        const struct measures *m = &g->scope[scopes[i]];
        put_hundredths(s, row, c++, pt_wan(m->person_times), nf);
        put_hundredths(s, row, c++, fen_yi(m->amount_fen), nf);
    }
    for (int u = 0; u < USE_N; u++)
        put_hundredths(s, row, c++, fen_yi(g->use[u].amount_fen), nf);
}

/*
 * Native charts beside the 附件 table, on the worksheet itself (WPS shows
 * chart sheets poorly): provinces by person-times as columns, and the
 * national amount by use as a doughnut.  They read the table's cells, so
 * they show exactly its figures.  `first`/`last` are the province rows,
 * `nat` the 全国 row, `use_col` the first use column, `col` where the charts
 * go (right of the table, outside its print area).
 */
static void
attachment_charts(struct sheet *s, size_t first, size_t last, size_t nat,
                  size_t use_col, size_t col)
{
    lxw_chart_font title_font = {0};
    lxw_chart_font axis_font = {0};
    lxw_chart_options place = {0};
    lxw_row_t r1, r2, rn, top;
    lxw_col_t c0, uc, cc;

    if (!cell_pos(s, first, 0, &r1, &c0) || !cell_pos(s, last, 0, &r2, &c0) ||
        !cell_pos(s, nat, use_col + USE_N - 1, &rn, &uc) ||
        !cell_pos(s, 2, col, &top, &cc))
        return;
    title_font.name = (char *)(uintptr_t) "黑体";
    title_font.size = 12;
    title_font.bold = 1;
    title_font.charset = 134;
    axis_font.name = (char *)(uintptr_t) "宋体";
    axis_font.size = 9;
    axis_font.charset = 134;

    lxw_chart *bars = workbook_add_chart(s->b->wb, LXW_CHART_COLUMN);
    lxw_chart *donut = workbook_add_chart(s->b->wb, LXW_CHART_DOUGHNUT);
    if (bars == NULL || donut == NULL) {
        book_fail(s->b, DIAG_IO, "cannot add a chart to sheet '%s'", s->name);
        return;
    }
    lxw_chart_series *se = chart_add_series(bars, NULL, NULL);
    chart_series_set_categories(se, s->name, r1, 0, r2, 0);
    chart_series_set_values(se, s->name, r1, 1, r2, 1);
    chart_title_set_name(bars, "各省共济人次（万人次）");
    chart_title_set_name_font(bars, &title_font);
    chart_axis_set_num_font(bars->x_axis, &axis_font);
    chart_axis_set_num_font(bars->y_axis, &axis_font);
    chart_legend_set_position(bars, LXW_CHART_LEGEND_NONE);
    place.x_scale = 2.0;
    place.y_scale = 1.4;
    sheet_ok(s, worksheet_insert_chart_opt(s->ws, top, cc, bars, &place),
             "worksheet_insert_chart_opt");

    lxw_col_t u0 = (lxw_col_t)(uc - (USE_N - 1));
    se = chart_add_series(donut, NULL, NULL);
    chart_series_set_categories(se, s->name, 3, u0, 3, uc);
    chart_series_set_values(se, s->name, rn, u0, rn, uc);
    chart_series_set_labels(se);
    chart_series_set_labels_options(se, LXW_FALSE, LXW_FALSE, LXW_TRUE);
    chart_title_set_name(donut, "全国共济金额按用途（亿元）");
    chart_title_set_name_font(donut, &title_font);
    chart_legend_set_position(donut, LXW_CHART_LEGEND_RIGHT);
    chart_legend_set_font(donut, &axis_font);
    chart_set_hole_size(donut, 55);
    place.x_scale = 1.5;
    place.y_scale = 1.3;
    sheet_ok(s,
             worksheet_insert_chart_opt(s->ws, (lxw_row_t)(top + 23), cc, donut,
                                        &place),
             "worksheet_insert_chart_opt");
}

static int
sheet_attachment(struct book *b)
{
    const struct rollup *r = b->r;
    const struct fmts *f = &b->f;
    struct sheet s;
    int scopes[SCOPE_N];
    size_t nsc = shown_scopes(b, scopes);
    size_t ncols = 3 + 2 * nsc + USE_N;
    size_t last = ncols - 1, row, c;
    char buf[32], note[160];

    if (sheet_open(b, &s, "附件") < 0)
        return -1;

    put_merge(&s, 0, 0, 0, last, b->title, f->title, false);
    put_merge(&s, 1, 0, 1, last, "单位：万人次、亿元", f->unit, false);

    put_merge(&s, 2, 0, 3, 0, "地区", f->head, true);
    put_merge(&s, 2, 1, 3, 1, "共济人次", f->head, true);
    put_merge(&s, 2, 2, 3, 2, "共济金额", f->head, true);
    c = 3;
    for (size_t i = 0; i < nsc; i++, c += 2) {
        put_merge(&s, 2, c, 2, c + 1, scope_name(scopes[i]), f->head, true);
        put_head(&s, 3, c, "人次");
        put_head(&s, 3, c + 1, "金额");
    }
    put_merge(&s, 2, c, 2, c + USE_N - 1, "按用途分共济金额", f->head, true);
    for (int u = 0; u < USE_N; u++)
        put_head(&s, 3, c + (size_t)u, use_name(u));

    row = 4;
    attach_row(&s, row++, "全国", &r->nation, true);
    for (size_t i = 0; i < r->nprovinces; i++) {
        const struct rollup_region *g = &r->provinces[i];
        attach_row(&s, row++, province_label(b, g->code, buf, sizeof(buf)), g,
                   false);
    }

    set_row_height(&s, 0, TITLE_PT);
    set_row_height(&s, 1, UNIT_PT);
    set_rows_height(&s, 2, 3, HEAD_PT);
    set_rows_height(&s, 4, row - 1, BODY_PT);

    put_merge(&s, row, 0, row, last,
              "注：因四舍五入，分项之和与合计可能略有差异。", f->note, false);
    row++;
    snprintf(note, sizeof(note), "数据来源：各省级医保部门报送，截至%s。",
             b->as_of);
    put_merge(&s, row, 0, row, last, note, f->note, false);

    sheet_finish(&s);
    freeze(&s, 4, 1);
    sheet_print_setup(&s, true, 2, 3);
    /* the printed page is the table; the charts sit to its right */
    sheet_ok(&s,
             worksheet_print_area(s.ws, 0, 0, (lxw_row_t)row, (lxw_col_t)last),
             "worksheet_print_area");
    attachment_charts(&s, 5, 4 + r->nprovinces, 4, 3 + 2 * nsc, last + 2);
    return b->failed ? -1 : 0;
}

/* ******************************************************************** */
/* Sheet 统筹区                                                         */
/* ******************************************************************** */

static int
sheet_areas(struct book *b)
{
    const struct rollup *r = b->r;
    const struct fmts *f = &b->f;
    struct sheet s;
    int scopes[SCOPE_N];
    size_t nsc = shown_scopes(b, scopes);
    size_t ncols = 5 + nsc + USE_N;
    size_t last = ncols - 1, row, c;
    char title[160], head[96], pbuf[32], abuf[32], code[32];
    lxw_row_t r1, r2;
    lxw_col_t c1, c2;

    if (sheet_open(b, &s, "统筹区") < 0)
        return -1;

    snprintf(title, sizeof(title), "%s各统筹区职工医保个人账户共济情况",
             b->period);
    put_merge(&s, 0, 0, 0, last, title, f->title, false);
    put_merge(&s, 1, 0, 1, last, "单位：人次、万元", f->unit, false);

    c = 0;
    put_head(&s, 2, c++, "省份");
    put_head(&s, 2, c++, "统筹区编码");
    put_head(&s, 2, c++, "统筹区名称");
    put_head(&s, 2, c++, "共济人次");
    put_head(&s, 2, c++, "共济金额");
    for (size_t i = 0; i < nsc; i++) {
        snprintf(head, sizeof(head), "%s人次", scope_name(scopes[i]));
        put_head(&s, 2, c++, head);
    }
    for (int u = 0; u < USE_N; u++) {
        snprintf(head, sizeof(head), "%s金额", use_name(u));
        put_head(&s, 2, c++, head);
    }

    row = 3;
    for (size_t i = 0; i < r->nareas; i++, row++) {
        const struct rollup_region *g = &r->areas[i];
        c = 0;
        put_str(&s, row, c++,
                province_label(b, g->province, pbuf, sizeof(pbuf)), f->text);
        /* a string, so that the code is shown as stored, never as 3.3E+05 */
        snprintf(code, sizeof(code), "%d", g->code);
        put_str(&s, row, c++, code, f->center);
        put_str(&s, row, c++, area_label(b, g->code, abuf, sizeof(abuf)),
                f->text);
        put_count(&s, row, c++, g->total.person_times, f->count);
        put_hundredths(&s, row, c++, fen_wan(g->total.amount_fen), f->num);
        for (size_t k = 0; k < nsc; k++)
            put_count(&s, row, c++, g->scope[scopes[k]].person_times, f->count);
        for (int u = 0; u < USE_N; u++)
            put_hundredths(&s, row, c++, fen_wan(g->use[u].amount_fen), f->num);
    }

    set_row_height(&s, 0, TITLE_PT);
    set_row_height(&s, 1, UNIT_PT);
    if (row > 3)
        set_rows_height(&s, 3, row - 1, BODY_PT);
    sheet_finish(&s);
    if (cell_pos(&s, 2, 0, &r1, &c1) &&
        cell_pos(&s, row > 3 ? row - 1 : 2, last, &r2, &c2))
        sheet_ok(&s, worksheet_autofilter(s.ws, r1, c1, r2, c2),
                 "worksheet_autofilter");
    freeze(&s, 3, 3);
    sheet_print_setup(&s, true, 2, 2);
    return b->failed ? -1 : 0;
}

/* ******************************************************************** */
/* Sheet 月度                                                           */
/* ******************************************************************** */

/* Region pi (-1 = the nation) in month m (1-based), as rollup.h lays out. */
static const struct measures *
month_of(const struct rollup *r, long pi, int m)
{
    size_t stride = r->nprovinces + 1;
    return &r->monthly[(size_t)(m - 1) * stride + (size_t)(pi + 1)];
}

static bool
add_measures(struct book *b, struct measures *acc, const struct measures *m)
{
    if (__builtin_add_overflow(acc->person_times, m->person_times,
                               &acc->person_times) ||
        __builtin_add_overflow(acc->amount_fen, m->amount_fen,
                               &acc->amount_fen)) {
        book_fail(b, DIAG_DATA, "monthly sum overflows");
        return false;
    }
    return true;
}

/* One block of region rows x months, person-times (万人次) or amounts. */
static size_t
monthly_block(struct sheet *s, size_t row, const char *caption, bool amount)
{
    struct book *b = s->b;
    const struct rollup *r = b->r;
    const struct fmts *f = &b->f;
    char label[16], buf[32];

    put_merge(s, row, 0, row, (size_t)r->month + 1, caption, f->caption, false);
    set_row_height(s, row, HEAD_PT);
    row++;
    put_head(s, row, 0, "地区");
    for (int m = 1; m <= r->month; m++) {
        snprintf(label, sizeof(label), "%d月", m);
        put_head(s, row, (size_t)m, label);
    }
    put_head(s, row, (size_t)r->month + 1, "累计");
    row++;

    for (long pi = -1; pi < (long)r->nprovinces; pi++, row++) {
        struct measures acc = {0, 0};
        bool total = pi < 0;
        lxw_format *nf = total ? f->num_total : f->num;
        const char *name =
            total ? "全国"
                  : province_label(b, r->provinces[pi].code, buf, sizeof(buf));
        put_str(s, row, 0, name, total ? f->name_total : f->name);
        for (int m = 1; m <= r->month; m++) {
            const struct measures *v = month_of(r, pi, m);
            if (!add_measures(b, &acc, v))
                return row;
            put_hundredths(
                s, row, (size_t)m,
                amount ? fen_yi(v->amount_fen) : pt_wan(v->person_times), nf);
        }
        put_hundredths(
            s, row, (size_t)r->month + 1,
            amount ? fen_yi(acc.amount_fen) : pt_wan(acc.person_times), nf);
        set_row_height(s, row, BODY_PT);
    }
    return row;
}

static int
sheet_monthly(struct book *b)
{
    const struct rollup *r = b->r;
    const struct fmts *f = &b->f;
    struct sheet s;
    struct measures acc = {0, 0};
    char title[160], label[16];
    size_t last = (size_t)r->month + 1, row;

    if (sheet_open(b, &s, "月度") < 0)
        return -1;

    snprintf(title, sizeof(title), "%s职工医保个人账户共济月度情况", b->period);
    put_merge(&s, 0, 0, 0, last, title, f->title, false);
    put_merge(&s, 1, 0, 1, last, "单位：万人次、亿元", f->unit, false);
    set_row_height(&s, 0, TITLE_PT);
    set_row_height(&s, 1, UNIT_PT);

    put_merge(&s, 2, 0, 2, 4, "全国", f->caption, false);
    set_row_height(&s, 2, HEAD_PT);
    put_head(&s, 3, 0, "月份");
    put_head(&s, 3, 1, "当月共济人次");
    put_head(&s, 3, 2, "当月共济金额");
    put_head(&s, 3, 3, "累计共济人次");
    put_head(&s, 3, 4, "累计共济金额");
    row = 4;
    for (int m = 1; m <= r->month; m++, row++) {
        const struct measures *v = month_of(r, -1, m);
        /* cumulative figures are rounded once, from the exact running sum */
        if (!add_measures(b, &acc, v))
            return -1;
        snprintf(label, sizeof(label), "%d月", m);
        put_str(&s, row, 0, label, f->center);
        put_hundredths(&s, row, 1, pt_wan(v->person_times), f->num);
        put_hundredths(&s, row, 2, fen_yi(v->amount_fen), f->num);
        put_hundredths(&s, row, 3, pt_wan(acc.person_times), f->num);
        put_hundredths(&s, row, 4, fen_yi(acc.amount_fen), f->num);
        set_row_height(&s, row, BODY_PT);
    }

    row = monthly_block(&s, row + 1, "各地区当月共济人次（万人次）", false);
    monthly_block(&s, row + 1, "各地区当月共济金额（亿元）", true);

    even_widths(&s, 1, last);
    sheet_finish(&s);
    freeze(&s, 0, 1);
    sheet_print_setup(&s, false, 0, 0);
    return b->failed ? -1 : 0;
}

/* ******************************************************************** */
/* Sheet 来源                                                           */
/* ******************************************************************** */

static int
sheet_sources(struct book *b)
{
    const struct rollup *r = b->r;
    const struct fmts *f = &b->f;
    struct sheet s;
    size_t row = 2, last = 5;
    char title[160], pbuf[32], p1[16], p2[16], span[40], tail[64];

    if (sheet_open(b, &s, "来源") < 0)
        return -1;

    snprintf(title, sizeof(title), "%s数据来源", b->period);
    put_merge(&s, 0, 0, 0, last, title, f->title, false);
    set_row_height(&s, 0, TITLE_PT);
    put_head(&s, 1, 0, "省份");
    put_head(&s, 1, 1, "覆盖期间");
    put_head(&s, 1, 2, "文件");
    put_head(&s, 1, 3, "SHA-256");
    put_head(&s, 1, 4, "行数");
    put_head(&s, 1, 5, "入库时间");

    for (size_t i = 0; i < r->nsources; i++, row++) {
        const struct rollup_source *src = &r->sources[i];
        yyyymm_label(p1, sizeof(p1), src->first_period);
        yyyymm_label(p2, sizeof(p2), src->last_period);
        if (src->first_period == src->last_period)
            snprintf(span, sizeof(span), "%s", p1);
        else
            snprintf(span, sizeof(span), "%s至%s", p1, p2);
        put_str(&s, row, 0,
                province_label(b, src->province, pbuf, sizeof(pbuf)), f->text);
        put_str(&s, row, 1, span, f->center);
        put_str(&s, row, 2, src->file, f->text);
        put_str(&s, row, 3, src->sha256, f->text);
        put_count(&s, row, 4, src->rows, f->count);
        put_str(&s, row, 5, src->ingested_at, f->center);
        set_row_height(&s, row, BODY_PT);
    }
    snprintf(tail, sizeof(tail), "共 %zu 个文件。", r->nsources);
    put_merge(&s, row, 0, row, last, tail, f->note, false);

    sheet_finish(&s);
    freeze(&s, 2, 0);
    sheet_print_setup(&s, true, 1, 1);
    return b->failed ? -1 : 0;
}

/* ******************************************************************** */
/* Formats and properties                                               */
/* ******************************************************************** */

static lxw_format *
new_format(lxw_workbook *wb, const char *font, double size, bool bold,
           bool border)
{
    lxw_format *fmt = workbook_add_format(wb);

    format_set_font_name(fmt, font);
    format_set_font_size(fmt, size);
    if (bold)
        format_set_bold(fmt);
    if (border)
        format_set_border(fmt, LXW_BORDER_THIN);
    format_set_align(fmt, LXW_ALIGN_VERTICAL_CENTER);
    return fmt;
}

static void
make_formats(struct book *b)
{
    lxw_workbook *wb = b->wb;
    struct fmts *f = &b->f;

    f->title = new_format(wb, FONT_HEAD, 16, true, false);
    format_set_align(f->title, LXW_ALIGN_CENTER);

    f->unit = new_format(wb, FONT_BODY, 11, false, false);
    format_set_align(f->unit, LXW_ALIGN_RIGHT);

    f->caption = new_format(wb, FONT_HEAD, 11, true, false);
    format_set_align(f->caption, LXW_ALIGN_LEFT);

    f->head = new_format(wb, FONT_HEAD, 11, true, true);
    format_set_align(f->head, LXW_ALIGN_CENTER);
    format_set_text_wrap(f->head);

    f->name = new_format(wb, FONT_BODY, 11, false, true);
    format_set_align(f->name, LXW_ALIGN_LEFT);
    format_set_indent(f->name, 1);

    f->name_total = new_format(wb, FONT_BODY, 11, true, true);
    format_set_align(f->name_total, LXW_ALIGN_CENTER);

    f->text = new_format(wb, FONT_BODY, 11, false, true);
    format_set_align(f->text, LXW_ALIGN_LEFT);
    format_set_indent(f->text, 1);

    f->center = new_format(wb, FONT_BODY, 11, false, true);
    format_set_align(f->center, LXW_ALIGN_CENTER);

    f->num = new_format(wb, FONT_BODY, 11, false, true);
    format_set_num_format(f->num, "0.00");

    f->num_total = new_format(wb, FONT_BODY, 11, true, true);
    format_set_num_format(f->num_total, "0.00");

    f->count = new_format(wb, FONT_BODY, 11, false, true);
    format_set_num_format(f->count, "#,##0");

    f->note = new_format(wb, FONT_BODY, 11, false, false);
    format_set_align(f->note, LXW_ALIGN_LEFT);
}

static int
set_properties(struct book *b, int64_t created)
{
    const struct rollup *r = b->r;
    char subject[96], author[] = "gongji", comments[160], span[40];
    lxw_doc_properties props;
    lxw_error e;

    snprintf(subject, sizeof(subject), "%s职工医保个人账户共济情况", b->period);
    snprintf(comments, sizeof(comments), "数据来源：各省级医保部门报送，截至%s",
             b->as_of);
    memset(&props, 0, sizeof(props));
    props.title = b->title;
    props.subject = subject;
    props.author = author;
    props.comments = comments;
    props.created = (time_t)created;
    e = workbook_set_properties(b->wb, &props);
    if (e != LXW_NO_ERROR) {
        book_fail(b, DIAG_IO, "cannot set document properties: %s",
                  lxw_strerror(e));
        return -1;
    }

    snprintf(span, sizeof(span), "%04d-01..%04d-%02d", r->year, r->year,
             r->month);
    e = workbook_set_custom_property_string(b->wb, "数据期", span);
    if (e != LXW_NO_ERROR) {
        book_fail(b, DIAG_IO, "cannot set custom property: %s",
                  lxw_strerror(e));
        return -1;
    }
    return 0;
}

/* ******************************************************************** */
/* Public entry                                                         */
/* ******************************************************************** */

int
xlsx_write_attachment(const char *path, const struct rollup *r,
                      const struct refdata *rd, const struct xlsx_opts *o,
                      struct diag *err)
{
    struct book b;
    int64_t created;
    FILE *probe;
    lxw_error e;

    if (o == NULL || xlsx_date_epoch(o->as_of, &created, err) < 0) {
        if (o == NULL)
            diag_set(err, DIAG_USAGE, "as-of date is missing");
        return -1;
    }
    /* 0 would make libxlsxwriter stamp the current time instead */
    if (created == 0)
        return diag_set(err, DIAG_USAGE,
                        "as-of date '%s' is not after 1970-01-01", o->as_of);
    if (r->month < 1 || r->month > 12)
        BUG("rollup month %d", r->month);

    /*
     * libxlsxwriter opens the path only in workbook_close(), and then
     * prints its own "[ERROR]" line when it cannot; find out first, so that
     * the user sees one message of ours.
     */
    probe = fopen(path, "wb");
    if (probe == NULL)
        return diag_set(err, DIAG_CANTCREAT, "cannot create '%s': %s", path,
                        strerror(errno));
    if (fclose(probe) != 0) {
        int saved = errno;
        remove(path);
        return diag_set(err, DIAG_CANTCREAT, "cannot create '%s': %s", path,
                        strerror(saved));
    }

    memset(&b, 0, sizeof(b));
    b.r = r;
    b.rd = rd;
    b.as_of = o->as_of;
    b.err = err;
    b.cross = r->nation.scope[SCOPE_CROSS_PROVINCE].person_times != 0 ||
              r->nation.scope[SCOPE_CROSS_PROVINCE].amount_fen != 0;
    if (r->month == 1)
        snprintf(b.period, sizeof(b.period), "%d年1月", r->year);
    else
        snprintf(b.period, sizeof(b.period), "%d年1-%d月", r->year, r->month);
    snprintf(b.title, sizeof(b.title), "附件 %s各省职工医保个人账户共济情况",
             b.period);

    b.wb = workbook_new(path);
    if (b.wb == NULL) {
        remove(path);
        return diag_set(err, DIAG_CANTCREAT, "cannot create '%s'", path);
    }
    make_formats(&b);
    if (set_properties(&b, created) < 0 || sheet_attachment(&b) < 0 ||
        sheet_areas(&b) < 0 || sheet_monthly(&b) < 0 || sheet_sources(&b) < 0) {
        lxw_workbook_free(b.wb);
        remove(path);
        return -1;
    }

    errno = 0;
    e = workbook_close(b.wb);
    if (e != LXW_NO_ERROR) {
        int saved = errno;
        remove(path);
        if (e == LXW_ERROR_CREATING_XLSX_FILE)
            return diag_set(err, DIAG_CANTCREAT, "cannot create '%s': %s", path,
                            strerror(saved));
        return diag_set(err, DIAG_IO, "cannot write '%s': %s", path,
                        lxw_strerror(e));
    }
    return 0;
}
