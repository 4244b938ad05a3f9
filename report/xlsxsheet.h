/* SPDX-License-Identifier: MIT */
/*
 * report/xlsxsheet.h - workbook state and the cell writers the attachment's
 * sheets are made with (report/xlsx.h is the public side).
 *
 * A thin layer over libxlsxwriter that does what it does not: sizes
 * columns from their content (no autofit there), grows header rows whose
 * text wraps, converts our size_t positions to its row/column types in one
 * place, and keeps the first failure in the book's diag, dropping later
 * ones, so that the sheet code can write cell after cell and check once.
 * The libxlsxwriter types are only forward-declared here: xlsxwriter.h is
 * included by report/xlsx*.c alone.
 */
#ifndef REPORT_XLSXSHEET_H
#define REPORT_XLSXSHEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/diag.h"

struct lxw_format;
struct lxw_workbook;
struct lxw_worksheet;
struct refdata;
struct rollup;

/*
 * The widest sheet is 月度's per-region block: 地区, twelve months, 累计.
 * Anything wider is a layout bug of ours, reported rather than written.
 */
#define XLSXSHEET_MAX_COLS  24
#define XLSXSHEET_MAX_HEADS 48
#define XLSXSHEET_MAX_SPANS 8

/* Row heights in points (宋体/黑体 11: one line is about 14.25pt). */
#define XLSXSHEET_TITLE_PT 36.0
#define XLSXSHEET_UNIT_PT  20.0
#define XLSXSHEET_HEAD_PT  22.0
#define XLSXSHEET_BODY_PT  18.0

struct xlsxsheet_fmts {
    struct lxw_format *title;   /* 黑体 16 bold, centred */
    struct lxw_format *unit;    /* the unit line, right-aligned */
    struct lxw_format *caption; /* block caption on 月度, 黑体 left */
    struct lxw_format *head;    /* 黑体 11 bold, centred, wrapped, bordered */
    struct lxw_format *name;    /* region name, bordered */
    struct lxw_format *name_total; /* 全国 */
    struct lxw_format *text;       /* other text cells, bordered, left */
    struct lxw_format *center; /* codes, months, periods, bordered, centred */
    struct lxw_format *num;    /* "0.00", bordered */
    struct lxw_format *num_total;   /* "0.00" on the 全国 row */
    struct lxw_format *count;       /* "#,##0", bordered */
    struct lxw_format *count_total; /* "#,##0" on the 全国 row */
    struct lxw_format *yuan;        /* "#,##0.00", bordered (exact 元) */
    struct lxw_format *yuan_total;  /* "#,##0.00" on the 全国 row */
    struct lxw_format *datetime;    /* "yyyy-mm-dd hh:mm:ss", centred */
    struct lxw_format *pct;         /* "0.0%", bordered (月度's rates) */
    struct lxw_format *note;        /* notes under a table, no border */
};

struct xlsxsheet_book {
    struct lxw_workbook *wb;
    struct xlsxsheet_fmts f;
    const struct rollup *r;
    const struct refdata *rd;
    bool cross;      /* the 跨省 columns are shown */
    bool internal;   /* the internal workbook (xlsx_opts.book) */
    char period[32]; /* "2024年1-9月" */
    char title[160]; /* sheet 附件's title, also the document title */
    const char *as_of;
    const char *data_source; /* "数据来源：…" (ingest/house.h) */
    struct diag *err;
    bool failed; /* err holds the first failure; later ones are dropped */
};

/* A header cell whose text may wrap; its row grows to fit. */
struct xlsxsheet_head {
    size_t row, col, width;
};

/* A header merged across columns; the columns widen to fit its text. */
struct xlsxsheet_span {
    size_t c1, c2, width;
};

struct xlsxsheet {
    struct xlsxsheet_book *b;
    struct lxw_worksheet *ws;
    const char *name;
    size_t ncols;
    size_t width[XLSXSHEET_MAX_COLS]; /* widest content per column */
    double
        colw[XLSXSHEET_MAX_COLS]; /* final widths, set by xlsxsheet_finish() */
    struct xlsxsheet_head heads[XLSXSHEET_MAX_HEADS];
    size_t nheads;
    struct xlsxsheet_span spans[XLSXSHEET_MAX_SPANS];
    size_t nspans;
};

/*
 * Keep the first failure: fill b->err and set b->failed, unless it is set
 * already.
 */
void xlsxsheet_fail(struct xlsxsheet_book *b, enum diag_code code,
                    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * Check the lxw_error e of the library call `what` on s; true when it is
 * LXW_NO_ERROR, else the failure is recorded (DIAG_IO) and false returned.
 */
bool xlsxsheet_ok(struct xlsxsheet *s, int e, const char *what);

/*
 * Row and column as libxlsxwriter's types (lxw_row_t, lxw_col_t); false
 * (recorded as a failure) when the cell is outside the sheet.  Also notes
 * the column as used.
 */
bool xlsxsheet_cell(struct xlsxsheet *s, size_t row, size_t col, uint32_t *r,
                    uint16_t *c);

/*
 * Open a sheet called name (checked with xlsx_check_name() first) in b.
 * Returns 0, or -1 with the failure recorded; also -1 when b has failed.
 */
int xlsxsheet_open(struct xlsxsheet_book *b, struct xlsxsheet *s,
                   const char *name);

/*
 * Cell writers; each one counts its text towards its column's width.  A
 * header cell's long text wraps and grows its row instead.  Hundredths are
 * a figure in hundredths of its display unit, written as the number shown
 * (report/numfmt.h); a count is a whole number ("#,##0").  A merge covers
 * [r1..r2] x [c1..c2]; with `counts`, it counts towards the widths (a
 * vertical merge its column, a horizontal one its span).
 */
void xlsxsheet_put_str(struct xlsxsheet *s, size_t row, size_t col,
                       const char *text, struct lxw_format *f);
void xlsxsheet_put_head(struct xlsxsheet *s, size_t row, size_t col,
                        const char *text);
void xlsxsheet_put_hundredths(struct xlsxsheet *s, size_t row, size_t col,
                              int64_t h, struct lxw_format *f);
/*
 * A rate in tenths of a percent (numfmt_change_pct at one decimal: 251 is
 * 25.1%) as the number 0.251, for a "0.0%" format.
 */
void xlsxsheet_put_permille(struct xlsxsheet *s, size_t row, size_t col,
                            int64_t v, struct lxw_format *f);
void xlsxsheet_put_count(struct xlsxsheet *s, size_t row, size_t col, int64_t v,
                         struct lxw_format *f);
/* An exact amount in fen as the number of 元 ("#,##0.00": 1,234.56). */
void xlsxsheet_put_yuan(struct xlsxsheet *s, size_t row, size_t col,
                        int64_t fen, struct lxw_format *f);
/*
 * A point in time as an Excel date-time cell (a serial day number, for a
 * "yyyy-mm-dd hh:mm:ss" format): secs since 1970-01-01T00:00:00 of the
 * clock to show (the caller adds the time zone's offset).
 */
void xlsxsheet_put_datetime(struct xlsxsheet *s, size_t row, size_t col,
                            int64_t secs, struct lxw_format *f);
void xlsxsheet_put_merge(struct xlsxsheet *s, size_t r1, size_t c1, size_t r2,
                         size_t c2, const char *text, struct lxw_format *f,
                         bool counts);

/* Height in points of one row, or of rows first..last. */
void xlsxsheet_row_height(struct xlsxsheet *s, size_t row, double pt);
void xlsxsheet_rows_height(struct xlsxsheet *s, size_t first, size_t last,
                           double pt);

/* Give columns c1..c2 the width of the widest of them (a month grid). */
void xlsxsheet_even_widths(struct xlsxsheet *s, size_t c1, size_t c2);

/*
 * After the last cell: set the column widths from the content, widen
 * merged spans that are too narrow, and grow rows whose headers wrap.
 */
void xlsxsheet_finish(struct xlsxsheet *s);

/*
 * A4 landscape, one page wide, centred, a page-number footer; rows
 * head_first..head_last repeated on every page when repeat is set.
 */
void xlsxsheet_print_setup(struct xlsxsheet *s, bool repeat, size_t head_first,
                           size_t head_last);

/*
 * After xlsxsheet_print_setup(): the whole sheet on one page (the release
 * table: 全国 and every province, with its notes, on one A4 sheet), with
 * narrower margins so that the scale stays readable.
 */
void xlsxsheet_one_page(struct xlsxsheet *s);

/* Freeze the panes above row and left of col. */
void xlsxsheet_freeze(struct xlsxsheet *s, size_t row, size_t col);

#endif /* REPORT_XLSXSHEET_H */
