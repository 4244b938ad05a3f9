/* SPDX-License-Identifier: MIT */
#include "report/queryxlsx.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xlsxwriter.h>

#include "aggregate/query.h"
#include "common/atomicfile.h"
#include "common/diag.h"
#include "common/i18n.h"
#include "common/period.h"
#include "common/sbuf.h"
#include "report/queryout.h"
#include "report/xlsxsheet.h"

#define FONT_BODY  "宋体"
#define FONT_HEAD  "黑体"
#define SHEET_NAME "查询"
#define TITLE      "职工医保个人账户共济情况查询"

/*
 * The largest magnitude of a figure's digits: 15 significant digits, what
 * Excel keeps and shows (and ingest/xlsxnum.h reads back).
 */
#define EXACT_MAX INT64_C(999999999999999)

bool
queryxlsx_exact(int64_t v, int decimals)
{
    static const double scale[] = {1.0, 10.0, 100.0, 1000.0};
    static const int64_t pow10[] = {1, 10, 100, 1000};
    char mine[48], lxw[48];
    uint64_t m;

    if (decimals < 0 || decimals > 3 || v > EXACT_MAX || v < -EXACT_MAX)
        return false;
    m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    if (decimals == 0)
        snprintf(mine, sizeof(mine), "%s%" PRIu64, v < 0 ? "-" : "", m);
    else
        snprintf(mine, sizeof(mine), "%s%" PRIu64 ".%0*" PRIu64,
                 v < 0 ? "-" : "", m / (uint64_t)pow10[decimals], decimals,
                 m % (uint64_t)pow10[decimals]);
    snprintf(lxw, sizeof(lxw), "%.16G", (double)v / scale[decimals]);
    return strtod(lxw, NULL) == strtod(mine, NULL);
}

struct qfmts {
    lxw_format *info, *unit, *code, *name, *count, *money, *pct, *blank;
    lxw_format *t_label, *t_count, *t_money, *t_pct, *t_blank;
};

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
make_formats(struct xlsxsheet_book *b, struct qfmts *q)
{
    lxw_workbook *wb = b->wb;
    struct xlsxsheet_fmts *f = &b->f;

    f->title = new_format(wb, FONT_HEAD, 16, true, false);
    format_set_align(f->title, LXW_ALIGN_LEFT);
    f->head = new_format(wb, FONT_HEAD, 11, true, true);
    format_set_align(f->head, LXW_ALIGN_CENTER);
    format_set_text_wrap(f->head);
    f->note = new_format(wb, FONT_BODY, 11, false, false);
    format_set_align(f->note, LXW_ALIGN_LEFT);
    q->info = f->note;

    q->unit = new_format(wb, FONT_BODY, 10, false, true);
    format_set_align(q->unit, LXW_ALIGN_CENTER);
    q->code = new_format(wb, FONT_BODY, 11, false, true);
    format_set_align(q->code, LXW_ALIGN_CENTER);
    q->name = new_format(wb, FONT_BODY, 11, false, true);
    format_set_align(q->name, LXW_ALIGN_LEFT);
    format_set_indent(q->name, 1);
    q->count = new_format(wb, FONT_BODY, 11, false, true);
    format_set_num_format(q->count, "#,##0");
    q->money = new_format(wb, FONT_BODY, 11, false, true);
    format_set_num_format(q->money, "#,##0.00");
    q->pct = new_format(wb, FONT_BODY, 11, false, true);
    format_set_num_format(q->pct, "0.0%");
    q->blank = new_format(wb, FONT_BODY, 11, false, true);

    q->t_label = new_format(wb, FONT_HEAD, 11, true, true);
    format_set_align(q->t_label, LXW_ALIGN_CENTER);
    q->t_count = new_format(wb, FONT_BODY, 11, true, true);
    format_set_num_format(q->t_count, "#,##0");
    q->t_money = new_format(wb, FONT_BODY, 11, true, true);
    format_set_num_format(q->t_money, "#,##0.00");
    q->t_pct = new_format(wb, FONT_BODY, 11, true, true);
    format_set_num_format(q->t_pct, "0.0%");
    q->t_blank = new_format(wb, FONT_BODY, 11, true, true);
}

/* "共济人次", "共济笔数", "次均金额", "人次同比", "金额占比" */
static void
measure_heading(char *buf, size_t len, enum qmeasure m, const char *word)
{
    bool pt = strcmp(word, "人次") == 0;
    const char *count = pt ? "人次" : "笔数";

    switch (m) {
    case QM_PERSON_TIMES:
        snprintf(buf, len, "共济%s", count);
        break;
    case QM_AMOUNT:
        snprintf(buf, len, "共济金额");
        break;
    case QM_AVG_AMOUNT:
        snprintf(buf, len, "%s均金额", pt ? "次" : word);
        break;
    case QM_SHARE_PERSON_TIMES:
        snprintf(buf, len, "%s占比", count);
        break;
    case QM_SHARE_AMOUNT:
        snprintf(buf, len, "金额占比");
        break;
    case QM_YOY_PERSON_TIMES:
        snprintf(buf, len, "%s同比", count);
        break;
    case QM_YOY_AMOUNT:
        snprintf(buf, len, "金额同比");
        break;
    case QM_MOM_PERSON_TIMES:
        snprintf(buf, len, "%s环比", count);
        break;
    case QM_MOM_AMOUNT:
        snprintf(buf, len, "金额环比");
        break;
    case QM_N:
        BUG("bad measure");
    }
}

/* Decimals of a measure's figure in its cell's unit: 0, 2 or 3. */
static int
measure_decimals(enum qmeasure m)
{
    return m == QM_PERSON_TIMES                   ? 0
           : m == QM_AMOUNT || m == QM_AVG_AMOUNT ? 2
                                                  : 3;
}

struct qsheet {
    struct xlsxsheet s;
    struct qfmts f;
    const struct query *q;
    const struct query_result *res;
    const struct refdata *rd;
    const struct queryout_measures *ms;
    size_t ndimcols; /* columns of the dimensions */
};

static void
put_blank(struct xlsxsheet *s, size_t row, size_t col, lxw_format *f)
{
    lxw_row_t r;
    lxw_col_t c;
    if (xlsxsheet_cell(s, row, col, &r, &c))
        xlsxsheet_ok(s, worksheet_write_blank(s->ws, r, c, f),
                     "worksheet_write_blank");
}

/* The figures of result row r (nrows: the total) at sheet row row. */
static void
put_figures(struct qsheet *qs, size_t row, size_t r, bool total)
{
    struct xlsxsheet *s = &qs->s;

    for (size_t k = 0; k < qs->ms->n; k++) {
        enum qmeasure m = qs->ms->m[k];
        size_t col = qs->ndimcols + k;
        int dec = measure_decimals(m);
        int64_t v;

        if (!queryout_figure(m, qs->res, r, &v)) {
            put_blank(s, row, col, total ? qs->f.t_blank : qs->f.blank);
            continue;
        }
        if (!queryxlsx_exact(v, dec)) {
            xlsxsheet_fail(s->b, DIAG_DATA,
                           _("%s %" PRId64 " is too large to be an exact "
                             "spreadsheet number"),
                           queryout_measure_name(m), v);
            return;
        }
        if (dec == 0)
            xlsxsheet_put_count(s, row, col, v,
                                total ? qs->f.t_count : qs->f.count);
        else if (dec == 2) {
            xlsxsheet_put_hundredths(s, row, col, v,
                                     total ? qs->f.t_money : qs->f.money);
            /* "#,##0.00": the separators, and air for the bold total */
            char t[32];
            int n = snprintf(t, sizeof(t), "%" PRId64, v / 100);
            size_t w =
                (size_t)(n > 0 ? n : 0) + 4 + (size_t)(n > 1 ? (n - 1) / 3 : 0);
            if (col < XLSXSHEET_MAX_COLS && s->width[col] < w)
                s->width[col] = w;
        } else
            xlsxsheet_put_permille(s, row, col, v,
                                   total ? qs->f.t_pct : qs->f.pct);
    }
}

/*
 * A line of text in column A, flowing over the empty cells to its right
 * (not merged, so a narrow table does not cut it; not counted in widths).
 */
static void
put_line(struct qsheet *qs, size_t row, const char *text, lxw_format *f)
{
    lxw_row_t r;
    lxw_col_t c;
    if (xlsxsheet_cell(&qs->s, row, 0, &r, &c))
        xlsxsheet_ok(&qs->s, worksheet_write_string(qs->s.ws, r, c, text, f),
                     "worksheet_write_string");
}

static int
write_sheet(struct xlsxsheet_book *b, struct qsheet *qs,
            const struct queryxlsx_opts *o)
{
    const struct query *q = qs->q;
    const struct query_result *res = qs->res;
    struct xlsxsheet *s = &qs->s;
    char buf[160], a[PERIOD_LABEL_MAX], c1[PERIOD_LABEL_MAX],
        c2[PERIOD_LABEL_MAX];
    size_t row = 0;
    bool mixed, derived = false;
    const char *word = queryout_count_word(q->codes, res, &mixed);

    if (xlsxsheet_open(b, s, SHEET_NAME) < 0)
        return -1;
    for (size_t i = 0; i < q->nby; i++)
        qs->ndimcols += q->by[i] == DIM_PERIOD ? 1 : 2;
    if (qs->ndimcols + qs->ms->n > XLSXSHEET_MAX_COLS)
        BUG("query sheet of %zu columns", qs->ndimcols + qs->ms->n);

    put_line(qs, row, TITLE, b->f.title);
    xlsxsheet_row_height(s, row++, XLSXSHEET_TITLE_PT);
    snprintf(buf, sizeof(buf), "统计期：%s（%s..%s）",
             period_range_label(a, sizeof(a), q->range),
             period_format(c1, sizeof(c1), q->range.first),
             period_format(c2, sizeof(c2), q->range.last));
    put_line(qs, row++, buf, qs->f.info);
    if (o->vintage != NULL) {
        struct sbuf v = SBUF_INIT;
        sbuf_addf(&v, "数据截至：%s（报送 #1..#%" PRId64 "）", o->vintage,
                  o->submission);
        put_line(qs, row++, v.buf, qs->f.info);
        sbuf_release(&v);
    }
    if (o->nwhere > 0) {
        struct sbuf w = SBUF_INIT;
        sbuf_addstr(&w, "筛选：");
        for (size_t i = 0; i < o->nwhere; i++)
            sbuf_addf(&w, "%s%s", i ? "；" : "", o->wheres[i]);
        put_line(qs, row++, w.buf, qs->f.info);
        sbuf_release(&w);
    }
    row++; /* a blank row above the table */

    /* the header and the units under it, frozen */
    size_t head = row, col = 0;
    for (size_t i = 0; i < q->nby; i++) {
        const char *h = queryout_dim_heading((int)q->by[i]);
        if (q->by[i] == DIM_PERIOD) {
            xlsxsheet_put_head(s, head, col, h);
            put_blank(s, head + 1, col++, qs->f.unit);
            continue;
        }
        snprintf(buf, sizeof(buf), "%s代码", h);
        xlsxsheet_put_head(s, head, col, buf);
        put_blank(s, head + 1, col++, qs->f.unit);
        xlsxsheet_put_head(s, head, col, h);
        put_blank(s, head + 1, col++, qs->f.unit);
    }
    for (size_t k = 0; k < qs->ms->n; k++) {
        enum qmeasure m = qs->ms->m[k];
        int dec = measure_decimals(m);
        measure_heading(buf, sizeof(buf), m, word);
        xlsxsheet_put_head(s, head, col, buf);
        xlsxsheet_put_str(s, head + 1, col++,
                          dec == 0   ? word
                          : dec == 2 ? "元"
                                     : "%",
                          qs->f.unit);
        derived |= dec == 3;
    }
    row = head + 2;

    for (size_t r = 0; r < res->nrows; r++, row++) {
        const struct query_row *qr = &res->rows[r];
        col = 0;
        for (size_t i = 0; i < q->nby; i++) {
            int dim = (int)q->by[i];
            xlsxsheet_put_str(
                s, row, col++,
                queryout_code(q->codes, buf, sizeof(buf), dim, qr->key[i]),
                qs->f.code);
            if (dim == DIM_PERIOD)
                continue;
            xlsxsheet_put_str(
                s, row, col++,
                queryout_name(buf, sizeof(buf), dim, qr->key[i], qs->rd),
                qs->f.name);
        }
        put_figures(qs, row, r, false);
    }
    if (res->nrows > 0 && qs->ndimcols > 0) {
        char range[LXW_MAX_CELL_RANGE_LENGTH];
        lxw_rowcol_to_range(range, (lxw_row_t)(head + 2), 0,
                            (lxw_row_t)(row - 1),
                            (lxw_col_t)(qs->ndimcols - 1));
        xlsxsheet_ok(s,
                     worksheet_ignore_errors(
                         s->ws, LXW_IGNORE_NUMBER_STORED_AS_TEXT, range),
                     "worksheet_ignore_errors");
    }

    bool top_cut = q->top && res->nrows >= q->top;
    if (qs->ndimcols > 0) {
        row++; /* the blank row: no SUM over the rows takes the total in */
        xlsxsheet_put_merge(s, row, 0, row, qs->ndimcols - 1,
                            top_cut ? "合计（全部）" : "合计", qs->f.t_label,
                            true);
        put_figures(qs, row, res->nrows, true);
        row++;
    }
    row++;
    if (res->nrows == 0)
        put_line(qs, row++, "（没有符合条件的数据）", b->f.note);
    if (qs->ndimcols > 0)
        put_line(qs, row++,
                 top_cut ? "注：合计（全部）由全部符合条件的原始数据汇总，"
                           "含未列出的行；不是上表各行之和。"
                         : "注：合计由原始数据直接汇总，单列于表下；"
                           "对上表求和时不要包含合计行。",
                 b->f.note);
    if (mixed)
        put_line(qs, row++, "注：共济人次含医保钱包转账笔数。", b->f.note);
    if (derived)
        put_line(qs, row++,
                 "注：占比、同比、环比为百分比；空白表示无法计算"
                 "（基期无数据或为零）。",
                 b->f.note);

    xlsxsheet_finish(s);
    xlsxsheet_print_setup(s, true, head, head + 1);
    xlsxsheet_freeze(s, head + 2, qs->ndimcols);
    return b->failed ? -1 : 0;
}

static int
set_properties(struct xlsxsheet_book *b, const struct query *q, int64_t created)
{
    char subject[96], author[] = "gongji", title[] = TITLE, a[PERIOD_LABEL_MAX];
    lxw_doc_properties props;

    snprintf(subject, sizeof(subject), "%s职工医保个人账户共济情况",
             period_range_label(a, sizeof(a), q->range));
    memset(&props, 0, sizeof(props));
    props.title = title;
    props.subject = subject;
    props.author = author;
    props.created = (time_t)created;
    lxw_error e = workbook_set_properties(b->wb, &props);
    if (e != LXW_NO_ERROR) {
        xlsxsheet_fail(b, DIAG_IO, _("cannot set document properties: %s"),
                       lxw_strerror(e));
        return -1;
    }
    return 0;
}

static int
write_to(struct atomicfile *af, const struct query *q,
         const struct query_result *res, const struct refdata *rd,
         const struct queryout_measures *ms, const struct queryxlsx_opts *o,
         struct diag *err)
{
    struct xlsxsheet_book b;
    struct qsheet qs;
    char reopen[64];
    /* midnight UTC of the last day of the period: fixed by the arguments */
    int64_t created =
        (int64_t)period_days_since_epoch(period_month_end(q->range.last)) *
        86400;

    if (created <= 0) /* 0 would make libxlsxwriter stamp the time now */
        created = 86400;
    memset(&b, 0, sizeof(b));
    memset(&qs, 0, sizeof(qs));
    b.err = err;
    qs.q = q;
    qs.res = res;
    qs.rd = rd;
    qs.ms = ms;

    /* as report/xlsx.c: libxlsxwriter 1.1.4 insists on a path */
    const char *name = atomicfile_reopen_name(af, reopen, sizeof(reopen));
    struct atomicdir work = ATOMICDIR_INIT;
    struct sbuf wpath = SBUF_INIT;
    int ret = -1;
    sbuf_addf(&wpath, "%s.work", af->path);
    if (atomicdir_open(&work, wpath.buf, err) < 0)
        goto out;
    lxw_workbook_options wo = {0, work.tmp, 0};
    b.wb = workbook_new_opt(name, &wo);
    if (b.wb == NULL) {
        diag_set(err, DIAG_CANTCREAT, _("cannot create '%s'"), af->path);
        goto out;
    }
    make_formats(&b, &qs.f);
    if (set_properties(&b, q, created) < 0 || write_sheet(&b, &qs, o) < 0) {
        lxw_workbook_free(b.wb);
        goto out;
    }
    errno = 0;
    lxw_error e = workbook_close(b.wb);
    if (e != LXW_NO_ERROR) {
        int saved = errno;
        if (e == LXW_ERROR_CREATING_XLSX_FILE)
            diag_set(err, DIAG_CANTCREAT, _("cannot create '%s': %s"), af->path,
                     strerror(saved));
        else
            diag_set(err, DIAG_IO, _("cannot write '%s': %s"), af->path,
                     lxw_strerror(e));
        goto out;
    }
    ret = 0;
out:
    atomicdir_release(&work);
    sbuf_release(&wpath);
    return ret;
}

int
queryxlsx_write(const char *path, const struct query *q,
                const struct query_result *res, const struct refdata *rd,
                const struct queryout_measures *ms,
                const struct queryxlsx_opts *o, struct diag *err)
{
    struct atomicfile af = ATOMICFILE_INIT;

    int rc = atomicfile_open(&af, path, err);
    if (rc == 0)
        rc = write_to(&af, q, res, rd, ms, o, err);
    if (rc == 0)
        rc = atomicfile_commit(&af, err);
    atomicfile_release(&af);
    return rc;
}
