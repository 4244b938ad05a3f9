/* SPDX-License-Identifier: MIT */
#include "report/xlsxtables.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <xlsxwriter.h>

#include "aggregate/review.h"
#include "aggregate/rollup.h"
#include "common/diag.h"
#include "common/i18n.h"
#include "common/period.h"
#include "common/sbuf.h"
#include "ingest/codes.h"
#include "ingest/refdata.h"
#include "report/numfmt.h"
#include "report/reviewout.h"
#include "report/xlsxsheet.h"

/* ******************************************************************** */
/* Names and labels                                                     */
/* ******************************************************************** */

static const char *
province_label(const struct xlsxsheet_book *b, int code, char *buf, size_t len)
{
    const struct province *p = refdata_province(b->rd, code);

    if (p != NULL)
        return p->short_name;
    snprintf(buf, len, "%d", code);
    return buf;
}

static const char *
province_full_label(const struct xlsxsheet_book *b, int code, char *buf,
                    size_t len)
{
    const struct province *p = refdata_province(b->rd, code);
    if (p != NULL)
        return p->name;
    snprintf(buf, len, "%06d", code);
    return buf;
}

static const char *
area_label(const struct xlsxsheet_book *b, int code, char *buf, size_t len)
{
    const struct area *a = refdata_area(b->rd, code);

    if (a != NULL)
        return a->name;
    snprintf(buf, len, "%d", code);
    return buf;
}

static const char *
scope_name(const struct xlsxsheet_book *b, int sc)
{
    return codes_name(refdata_codes(b->rd), CODESET_SCOPE, sc);
}

static const char *
use_name(const struct xlsxsheet_book *b, int u)
{
    return codes_name(refdata_codes(b->rd), CODESET_USE, u);
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

static bool
nonzero(const struct measures *m)
{
    return m->person_times != 0 || m->amount_fen != 0;
}

/*
 * Scopes shown as columns: 同一统筹区 and 省内跨统筹区 always (the 2024
 * table), any other only when the nation has some of it as stored (the
 * unsplit 省内 of the wallet, 跨省).
 */
static size_t
shown_scopes(const struct xlsxsheet_book *b, int out[CODES_MAX])
{
    size_t n = 0;

    for (int sc = 0; sc < codes_count(refdata_codes(b->rd), CODESET_SCOPE);
         sc++)
        if (sc == SCOPE_SAME_AREA || sc == SCOPE_CROSS_AREA ||
            nonzero(&b->r->nation.scope[sc]))
            out[n++] = sc;
    return n;
}

/*
 * What a scope column's counts are: 人次, 笔 when only the wallet has that
 * scope (省内 and 跨省 in 2025), 人次/笔 when both channels do.
 */
static const char *
scope_count_label(const struct xlsxsheet_book *b, int sc)
{
    const char *label = NULL;
    for (int c = 0; c < codes_count(refdata_codes(b->rd), CODESET_CHANNEL);
         c++) {
        if (!nonzero(&b->r->nation.chan[c].scope[sc]))
            continue;
        const char *l = codes_count_label(refdata_codes(b->rd), c);
        if (label != NULL && strcmp(label, l) != 0)
            return "人次/笔";
        label = l;
    }
    return label != NULL ? label : "人次";
}

/* Uses shown as columns: the 2024 four always, others with data. */
static size_t
shown_uses(const struct xlsxsheet_book *b, int out[CODES_MAX])
{
    size_t n = 0;

    for (int u = 0; u < codes_count(refdata_codes(b->rd), CODESET_USE); u++)
        if (u == USE_MEDICAL || u == USE_PHARMACY || u == USE_PREMIUM ||
            u == USE_OTHER || nonzero(&b->r->nation.use[u]))
            out[n++] = u;
    return n;
}

/* Channels shown as columns: none when everything is the account's. */
static size_t
shown_channels(const struct xlsxsheet_book *b, int out[CODES_MAX])
{
    size_t n = 0;
    bool other = false;

    for (int c = 0; c < codes_count(refdata_codes(b->rd), CODESET_CHANNEL); c++)
        other |= c != CHANNEL_ACCOUNT && nonzero(&b->r->nation.chan[c].total);
    for (int c = 0;
         other && c < codes_count(refdata_codes(b->rd), CODESET_CHANNEL); c++)
        if (c == CHANNEL_ACCOUNT || nonzero(&b->r->nation.chan[c].total))
            out[n++] = c;
    return n;
}

/* ******************************************************************** */
/* Sheet 附件                                                           */
/* ******************************************************************** */

/*
 * A row of the 附件 table: rounded to 万人次 / 亿元 as published, or (exact)
 * the stored integers, 人次 and 元 to the fen.
 */
static void
put_pt(struct xlsxsheet *s, size_t row, size_t c, int64_t pt, bool total,
       bool exact)
{
    const struct xlsxsheet_fmts *f = &s->b->f;
    if (exact)
        xlsxsheet_put_count(s, row, c, pt, total ? f->count_total : f->count);
    else
        xlsxsheet_put_hundredths(s, row, c, pt_wan(pt),
                                 total ? f->num_total : f->num);
}

static void
put_fen(struct xlsxsheet *s, size_t row, size_t c, int64_t fen, bool total,
        bool exact)
{
    const struct xlsxsheet_fmts *f = &s->b->f;
    if (exact)
        xlsxsheet_put_yuan(s, row, c, fen, total ? f->yuan_total : f->yuan);
    else
        xlsxsheet_put_hundredths(s, row, c, fen_yi(fen),
                                 total ? f->num_total : f->num);
}

static void
attach_row(struct xlsxsheet *s, size_t row, const char *name,
           const struct rollup_region *g, bool total, bool exact)
{
    const struct xlsxsheet_fmts *f = &s->b->f;
    int scopes[CODES_MAX], uses[CODES_MAX], chans[CODES_MAX];
    size_t nsc = shown_scopes(s->b, scopes), nu = shown_uses(s->b, uses);
    size_t nch = shown_channels(s->b, chans);
    size_t c = 0;

    xlsxsheet_put_str(s, row, c++, name, total ? f->name_total : f->name);
    put_pt(s, row, c++, g->total.person_times, total, exact);
    put_fen(s, row, c++, g->total.amount_fen, total, exact);
    for (size_t i = 0; i < nch; i++) {
        const struct measures *m = &g->chan[chans[i]].total;
        put_pt(s, row, c++, m->person_times, total, exact);
        put_fen(s, row, c++, m->amount_fen, total, exact);
    }
    for (size_t i = 0; i < nsc; i++) {
        const struct measures *m = &g->scope[scopes[i]];
        put_pt(s, row, c++, m->person_times, total, exact);
        put_fen(s, row, c++, m->amount_fen, total, exact);
    }
    for (size_t i = 0; i < nu; i++)
        put_fen(s, row, c++, g->use[uses[i]].amount_fen, total, exact);
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
attachment_charts(struct xlsxsheet *s, size_t first, size_t last, size_t nat,
                  size_t use_col, size_t nuse, size_t col)
{
    lxw_chart_font title_font = {0};
    lxw_chart_font axis_font = {0};
    lxw_chart_options place = {0};
    lxw_row_t r1, r2, rn, top;
    lxw_col_t c0, uc, cc;

    if (!xlsxsheet_cell(s, first, 0, &r1, &c0) ||
        !xlsxsheet_cell(s, last, 0, &r2, &c0) ||
        !xlsxsheet_cell(s, nat, use_col + nuse - 1, &rn, &uc) ||
        !xlsxsheet_cell(s, 2, col, &top, &cc))
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
        xlsxsheet_fail(s->b, DIAG_IO, _("cannot add a chart to sheet '%s'"),
                       s->name);
        return;
    }
    lxw_chart_series *se = chart_add_series(bars, NULL, NULL);
    chart_series_set_categories(se, s->name, r1, 0, r2, 0);
    chart_series_set_values(se, s->name, r1, 1, r2, 1);
    bool prov = s->b->r->province != 0;
    chart_title_set_name(bars, prov ? "各统筹区共济人次（万人次）"
                                    : "各省共济人次（万人次）");
    chart_title_set_name_font(bars, &title_font);
    chart_axis_set_num_font(bars->x_axis, &axis_font);
    chart_axis_set_num_font(bars->y_axis, &axis_font);
    chart_legend_set_position(bars, LXW_CHART_LEGEND_NONE);
    place.x_scale = 2.0;
    place.y_scale = 1.4;
    xlsxsheet_ok(s, worksheet_insert_chart_opt(s->ws, top, cc, bars, &place),
                 "worksheet_insert_chart_opt");

    lxw_col_t u0 = (lxw_col_t)(uc - (nuse - 1));
    se = chart_add_series(donut, NULL, NULL);
    chart_series_set_categories(se, s->name, 3, u0, 3, uc);
    chart_series_set_values(se, s->name, rn, u0, rn, uc);
    chart_series_set_labels(se);
    chart_series_set_labels_options(se, LXW_FALSE, LXW_FALSE, LXW_TRUE);
    chart_title_set_name(donut, prov ? "共济金额按用途（亿元）"
                                     : "全国共济金额按用途（亿元）");
    chart_title_set_name_font(donut, &title_font);
    chart_legend_set_position(donut, LXW_CHART_LEGEND_RIGHT);
    chart_legend_set_font(donut, &axis_font);
    chart_set_hole_size(donut, 55);
    place.x_scale = 1.5;
    place.y_scale = 1.3;
    xlsxsheet_ok(s,
                 worksheet_insert_chart_opt(s->ws, (lxw_row_t)(top + 23), cc,
                                            donut, &place),
                 "worksheet_insert_chart_opt");
}

/*
 * The 附件 table into sheet `name`: rounded as published, or exact (the
 * internal 附件精确值: no charts, no one-page fit, its own unit line).
 */
static int
attachment_sheet(struct xlsxsheet_book *b, const char *name, bool exact)
{
    const struct rollup *r = b->r;
    const struct xlsxsheet_fmts *f = &b->f;
    struct xlsxsheet s;
    int scopes[CODES_MAX], uses[CODES_MAX], chans[CODES_MAX];
    size_t nsc = shown_scopes(b, scopes), nu = shown_uses(b, uses);
    size_t nch = shown_channels(b, chans);
    size_t ncols = 3 + 2 * nch + 2 * nsc + nu;
    size_t last = ncols - 1, row, c;
    char buf[32], note[320];

    if (xlsxsheet_open(b, &s, name) < 0)
        return -1;

    char title[sizeof(b->title) + 16];
    snprintf(title, sizeof(title), "%s%s", b->title, exact ? "（精确值）" : "");
    xlsxsheet_put_merge(&s, 0, 0, 0, last, title, f->title, false);
    /* counts add 人次 and 笔 where the wallet is shown: say so */
    const char *unit;
    if (exact)
        unit = nch > 0 ? "单位：人次（医保钱包为笔；共济人次含医保钱包笔数）"
                         "、元（精确到分，未经四舍五入）"
                       : "单位：人次、元（精确到分，未经四舍五入）";
    else
        unit = nch > 0 ? "单位：万人次（医保钱包为万笔；共济人次含医保"
                         "钱包笔数）、亿元"
                       : "单位：万人次、亿元";
    xlsxsheet_put_merge(&s, 1, 0, 1, last, unit, f->unit, false);

    xlsxsheet_put_merge(&s, 2, 0, 3, 0, "地区", f->head, true);
    xlsxsheet_put_merge(&s, 2, 1, 3, 1, "共济人次", f->head, true);
    xlsxsheet_put_merge(&s, 2, 2, 3, 2, "共济金额", f->head, true);
    c = 3;
    for (size_t i = 0; i < nch; i++, c += 2) {
        xlsxsheet_put_merge(
            &s, 2, c, 2, c + 1,
            codes_name(refdata_codes(b->rd), CODESET_CHANNEL, chans[i]),
            f->head, true);
        xlsxsheet_put_head(&s, 3, c,
                           codes_count_label(refdata_codes(b->rd), chans[i]));
        xlsxsheet_put_head(&s, 3, c + 1, "金额");
    }
    for (size_t i = 0; i < nsc; i++, c += 2) {
        xlsxsheet_put_merge(&s, 2, c, 2, c + 1, scope_name(b, scopes[i]),
                            f->head, true);
        xlsxsheet_put_head(&s, 3, c, scope_count_label(b, scopes[i]));
        xlsxsheet_put_head(&s, 3, c + 1, "金额");
    }
    xlsxsheet_put_merge(&s, 2, c, 2, c + nu - 1, "按用途分共济金额", f->head,
                        true);
    for (size_t u = 0; u < nu; u++)
        xlsxsheet_put_head(&s, 3, c + u, use_name(b, uses[u]));

    row = 4;
    /* a provincial bulletin: the province, then its pooling areas */
    size_t nsub = r->province != 0 ? r->nareas : r->nprovinces;
    attach_row(&s, row++,
               r->province != 0
                   ? province_full_label(b, r->province, buf, sizeof(buf))
                   : "全国",
               &r->nation, true, exact);
    for (size_t i = 0; i < nsub; i++) {
        const struct rollup_region *g =
            r->province != 0 ? &r->areas[i] : &r->provinces[i];
        attach_row(&s, row++,
                   r->province != 0
                       ? area_label(b, g->code, buf, sizeof(buf))
                       : province_label(b, g->code, buf, sizeof(buf)),
                   g, false, exact);
    }

    xlsxsheet_row_height(&s, 0, XLSXSHEET_TITLE_PT);
    xlsxsheet_row_height(&s, 1, XLSXSHEET_UNIT_PT);
    xlsxsheet_rows_height(&s, 2, 3, XLSXSHEET_HEAD_PT);
    xlsxsheet_rows_height(&s, 4, row - 1, XLSXSHEET_BODY_PT);

    xlsxsheet_put_merge(
        &s, row, 0, row, last,
        exact ? "注：本表为内部核对用精确值，分项之和等于合计；对外发布以“附件”"
                "表的四舍五入值为准。"
              : "注：因四舍五入，分项之和与合计可能略有差异。",
        f->note, false);
    row++;
    snprintf(note, sizeof(note), "%s，截至%s。", b->data_source, b->as_of);
    xlsxsheet_put_merge(&s, row, 0, row, last, note, f->note, false);

    xlsxsheet_finish(&s);
    xlsxsheet_freeze(&s, 4, 1);
    xlsxsheet_print_setup(&s, true, 2, 3);
    if (exact)
        return b->failed ? -1 : 0;
    xlsxsheet_one_page(&s);
    /* the printed page is the table; the charts sit to its right */
    xlsxsheet_ok(
        &s, worksheet_print_area(s.ws, 0, 0, (lxw_row_t)row, (lxw_col_t)last),
        "worksheet_print_area");
    if (nsub > 0)
        attachment_charts(&s, 5, 4 + nsub, 4, 3 + 2 * nch + 2 * nsc, nu,
                          last + 2);
    return b->failed ? -1 : 0;
}

int
xlsxtables_attachment(struct xlsxsheet_book *b)
{
    return attachment_sheet(b, "附件", false);
}

int
xlsxtables_attachment_exact(struct xlsxsheet_book *b)
{
    return attachment_sheet(b, "附件精确值", true);
}

/* ******************************************************************** */
/* Sheet 统筹区                                                         */
/* ******************************************************************** */

int
xlsxtables_areas(struct xlsxsheet_book *b)
{
    const struct rollup *r = b->r;
    const struct xlsxsheet_fmts *f = &b->f;
    struct xlsxsheet s;
    int scopes[CODES_MAX], uses[CODES_MAX], chans[CODES_MAX];
    size_t nsc = shown_scopes(b, scopes), nu = shown_uses(b, uses);
    size_t nch = shown_channels(b, chans);
    size_t ncols = 6 + nch + nsc + nu;
    size_t last = ncols - 1, row, c;
    char title[160], head[96], pbuf[32], abuf[32], code[32];
    lxw_row_t r1, r2;
    lxw_col_t c1, c2;

    if (xlsxsheet_open(b, &s, "统筹区") < 0)
        return -1;

    snprintf(title, sizeof(title), "%s各统筹区职工医保个人账户共济情况",
             b->period);
    xlsxsheet_put_merge(&s, 0, 0, 0, last, title, f->title, false);
    xlsxsheet_put_merge(&s, 1, 0, 1, last,
                        "单位：人次、万元（共济金额另列精确到分的元值）",
                        f->unit, false);

    c = 0;
    xlsxsheet_put_head(&s, 2, c++, "省份");
    xlsxsheet_put_head(&s, 2, c++, "统筹区编码");
    xlsxsheet_put_head(&s, 2, c++, "统筹区名称");
    xlsxsheet_put_head(&s, 2, c++, "共济人次");
    xlsxsheet_put_head(&s, 2, c++, "共济金额（万元）");
    xlsxsheet_put_head(&s, 2, c++, "共济金额（元）");
    for (size_t i = 0; i < nch; i++) {
        snprintf(head, sizeof(head), "%s%s",
                 codes_name(refdata_codes(b->rd), CODESET_CHANNEL, chans[i]),
                 codes_count_label(refdata_codes(b->rd), chans[i]));
        xlsxsheet_put_head(&s, 2, c++, head);
    }
    for (size_t i = 0; i < nsc; i++) {
        snprintf(head, sizeof(head), "%s%s", scope_name(b, scopes[i]),
                 scope_count_label(b, scopes[i]));
        xlsxsheet_put_head(&s, 2, c++, head);
    }
    for (size_t u = 0; u < nu; u++) {
        snprintf(head, sizeof(head), "%s金额", use_name(b, uses[u]));
        xlsxsheet_put_head(&s, 2, c++, head);
    }

    row = 3;
    for (size_t i = 0; i < r->nareas; i++, row++) {
        const struct rollup_region *g = &r->areas[i];
        c = 0;
        xlsxsheet_put_str(&s, row, c++,
                          province_label(b, g->province, pbuf, sizeof(pbuf)),
                          f->text);
        /* a string, so that the code is shown as stored, never as 3.3E+05 */
        snprintf(code, sizeof(code), "%d", g->code);
        xlsxsheet_put_str(&s, row, c++, code, f->center);
        xlsxsheet_put_str(&s, row, c++,
                          area_label(b, g->code, abuf, sizeof(abuf)), f->text);
        xlsxsheet_put_count(&s, row, c++, g->total.person_times, f->count);
        xlsxsheet_put_hundredths(&s, row, c++, fen_wan(g->total.amount_fen),
                                 f->num);
        xlsxsheet_put_yuan(&s, row, c++, g->total.amount_fen, f->yuan);
        for (size_t k = 0; k < nch; k++)
            xlsxsheet_put_count(&s, row, c++,
                                g->chan[chans[k]].total.person_times, f->count);
        for (size_t k = 0; k < nsc; k++)
            xlsxsheet_put_count(&s, row, c++, g->scope[scopes[k]].person_times,
                                f->count);
        for (size_t u = 0; u < nu; u++)
            xlsxsheet_put_hundredths(
                &s, row, c++, fen_wan(g->use[uses[u]].amount_fen), f->num);
    }

    xlsxsheet_row_height(&s, 0, XLSXSHEET_TITLE_PT);
    xlsxsheet_row_height(&s, 1, XLSXSHEET_UNIT_PT);
    if (row > 3)
        xlsxsheet_rows_height(&s, 3, row - 1, XLSXSHEET_BODY_PT);
    xlsxsheet_finish(&s);
    if (xlsxsheet_cell(&s, 2, 0, &r1, &c1) &&
        xlsxsheet_cell(&s, row > 3 ? row - 1 : 2, last, &r2, &c2))
        xlsxsheet_ok(&s, worksheet_autofilter(s.ws, r1, c1, r2, c2),
                     "worksheet_autofilter");
    xlsxsheet_freeze(&s, 3, 3);
    xlsxsheet_print_setup(&s, true, 2, 2);
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
add_measures(struct xlsxsheet_book *b, struct measures *acc,
             const struct measures *m)
{
    if (__builtin_add_overflow(acc->person_times, m->person_times,
                               &acc->person_times) ||
        __builtin_add_overflow(acc->amount_fen, m->amount_fen,
                               &acc->amount_fen)) {
        xlsxsheet_fail(b, DIAG_DATA, _("monthly sum overflows"));
        return false;
    }
    return true;
}

/* One block of region rows x months, person-times (万人次) or amounts. */
static size_t
monthly_block(struct xlsxsheet *s, size_t row, const char *caption, bool amount)
{
    struct xlsxsheet_book *b = s->b;
    const struct rollup *r = b->r;
    const struct xlsxsheet_fmts *f = &b->f;
    char label[16], buf[32];

    xlsxsheet_put_merge(s, row, 0, row, (size_t)r->period.month + 1, caption,
                        f->caption, false);
    xlsxsheet_row_height(s, row, XLSXSHEET_HEAD_PT);
    row++;
    xlsxsheet_put_head(s, row, 0, "地区");
    for (int m = 1; m <= r->period.month; m++) {
        snprintf(label, sizeof(label), "%d月", m);
        xlsxsheet_put_head(s, row, (size_t)m, label);
    }
    xlsxsheet_put_head(s, row, (size_t)r->period.month + 1, "累计");
    row++;

    for (long pi = -1; pi < (long)r->nprovinces; pi++, row++) {
        struct measures acc = {0, 0};
        bool total = pi < 0;
        lxw_format *nf = total ? f->num_total : f->num;
        const char *name =
            total ? "全国"
                  : province_label(b, r->provinces[pi].code, buf, sizeof(buf));
        xlsxsheet_put_str(s, row, 0, name, total ? f->name_total : f->name);
        for (int m = 1; m <= r->period.month; m++) {
            const struct measures *v = month_of(r, pi, m);
            if (!add_measures(b, &acc, v))
                return row;
            xlsxsheet_put_hundredths(
                s, row, (size_t)m,
                amount ? fen_yi(v->amount_fen) : pt_wan(v->person_times), nf);
        }
        xlsxsheet_put_hundredths(
            s, row, (size_t)r->period.month + 1,
            amount ? fen_yi(acc.amount_fen) : pt_wan(acc.person_times), nf);
        xlsxsheet_row_height(s, row, XLSXSHEET_BODY_PT);
    }
    return row;
}

/*
 * A month's rate against its base as a "0.0%" number, rounded once from
 * the exact integers; 持平 when it is zero at one decimal, — when there is
 * no base (not stored, or zero), as text.
 */
static void
put_rate(struct xlsxsheet *s, size_t row, size_t col, int64_t now, int64_t base,
         bool known)
{
    int64_t v;
    const struct xlsxsheet_fmts *f = &s->b->f;
    if (!known || numfmt_change_pct(now, base, 1, &v) < 0)
        xlsxsheet_put_str(s, row, col, "—", f->center);
    else if (v == 0)
        xlsxsheet_put_str(s, row, col, "持平", f->center);
    else
        xlsxsheet_put_permille(s, row, col, v, f->pct);
}

/* 次均金额 in 元 (hundredths: fen per count), — when there is no count. */
static void
put_avg(struct xlsxsheet *s, size_t row, size_t col, const struct measures *m)
{
    int64_t v;
    const struct xlsxsheet_fmts *f = &s->b->f;
    if (numfmt_ratio(m->amount_fen, m->person_times, 1, &v) < 0)
        xlsxsheet_put_str(s, row, col, "—", f->center);
    else
        xlsxsheet_put_hundredths(s, row, col, v, f->num);
}

/* Columns of the nation's block of 月度 after the four figures. */
#define MONTHLY_RATE_COL 5
#define MONTHLY_NCOLS    10

int
xlsxtables_monthly(struct xlsxsheet_book *b)
{
    const struct rollup *r = b->r;
    const struct xlsxsheet_fmts *f = &b->f;
    struct xlsxsheet s;
    struct measures acc = {0, 0};
    char title[160], label[16];
    size_t last = (size_t)r->period.month + 1, row;
    /* the title spans the month grid or the nation's block */
    size_t wide = last > MONTHLY_NCOLS - 1 ? last : MONTHLY_NCOLS - 1;

    if (xlsxsheet_open(b, &s, "月度") < 0)
        return -1;

    snprintf(title, sizeof(title), "%s职工医保个人账户共济月度情况", b->period);
    xlsxsheet_put_merge(&s, 0, 0, 0, wide, title, f->title, false);
    xlsxsheet_put_merge(&s, 1, 0, 1, wide, "单位：万人次、亿元", f->unit,
                        false);
    xlsxsheet_row_height(&s, 0, XLSXSHEET_TITLE_PT);
    xlsxsheet_row_height(&s, 1, XLSXSHEET_UNIT_PT);

    xlsxsheet_put_merge(&s, 2, 0, 2, MONTHLY_NCOLS - 1, "全国", f->caption,
                        false);
    xlsxsheet_row_height(&s, 2, XLSXSHEET_HEAD_PT);
    xlsxsheet_put_head(&s, 3, 0, "月份");
    xlsxsheet_put_head(&s, 3, 1, "当月共济人次");
    xlsxsheet_put_head(&s, 3, 2, "当月共济金额");
    xlsxsheet_put_head(&s, 3, 3, "累计共济人次");
    xlsxsheet_put_head(&s, 3, 4, "累计共济金额");
    xlsxsheet_put_head(&s, 3, MONTHLY_RATE_COL, "当月人次环比");
    xlsxsheet_put_head(&s, 3, MONTHLY_RATE_COL + 1, "当月金额环比");
    xlsxsheet_put_head(&s, 3, MONTHLY_RATE_COL + 2, "当月人次同比");
    xlsxsheet_put_head(&s, 3, MONTHLY_RATE_COL + 3, "当月金额同比");
    xlsxsheet_put_head(&s, 3, MONTHLY_RATE_COL + 4, "当月次均金额（元）");
    row = 4;
    for (int m = 1; m <= r->period.month; m++, row++) {
        const struct measures *v = month_of(r, -1, m);
        /* cumulative figures are rounded once, from the exact running sum */
        if (!add_measures(b, &acc, v))
            return -1;
        snprintf(label, sizeof(label), "%d月", m);
        xlsxsheet_put_str(&s, row, 0, label, f->center);
        xlsxsheet_put_hundredths(&s, row, 1, pt_wan(v->person_times), f->num);
        xlsxsheet_put_hundredths(&s, row, 2, fen_yi(v->amount_fen), f->num);
        xlsxsheet_put_hundredths(&s, row, 3, pt_wan(acc.person_times), f->num);
        xlsxsheet_put_hundredths(&s, row, 4, fen_yi(acc.amount_fen), f->num);
        /* 环比: the month before (December of the year before in 1月);
         * 同比: the same month a year before */
        const struct measures *pm =
            m > 1 ? month_of(r, -1, m - 1) : &r->ly_monthly[11];
        bool pm_known = m > 1 || r->ly_stored[11];
        const struct measures *ly = &r->ly_monthly[m - 1];
        size_t c = MONTHLY_RATE_COL;
        put_rate(&s, row, c, v->person_times, pm->person_times, pm_known);
        put_rate(&s, row, c + 1, v->amount_fen, pm->amount_fen, pm_known);
        put_rate(&s, row, c + 2, v->person_times, ly->person_times,
                 r->ly_stored[m - 1]);
        put_rate(&s, row, c + 3, v->amount_fen, ly->amount_fen,
                 r->ly_stored[m - 1]);
        put_avg(&s, row, c + 4, v);
        xlsxsheet_row_height(&s, row, XLSXSHEET_BODY_PT);
    }
    xlsxsheet_put_merge(&s, row, 0, row, MONTHLY_NCOLS - 1,
                        "注：环比为当月比上月，同比为当月比上年同月，次均金额为"
                        "当月共济金额除以共济人次（含医保钱包笔数），均由未经"
                        "舍入的数计算；“—”为无可比基数（未报送或为零），"
                        "“持平”为变动不足0.05%。",
                        f->note, false);
    xlsxsheet_row_height(&s, row, XLSXSHEET_BODY_PT);
    row++;

    row = monthly_block(&s, row + 1, "各地区当月共济人次（万人次）", false);
    monthly_block(&s, row + 1, "各地区当月共济金额（亿元）", true);

    xlsxsheet_even_widths(&s, 1, last);
    xlsxsheet_finish(&s);
    xlsxsheet_freeze(&s, 0, 1);
    xlsxsheet_print_setup(&s, false, 0, 0);
    return b->failed ? -1 : 0;
}

/* ******************************************************************** */
/* Sheet 来源                                                           */
/* ******************************************************************** */

/*
 * The length of the directory part ("dir/", slash included) that every
 * source's file name shares, or 0: the sheet shows the names below it.
 */
static size_t
common_dir(const struct rollup *r)
{
    size_t n = 0;

    if (r->nsources == 0)
        return 0;
    const char *f0 = r->sources[0].file;
    const char *slash = strrchr(f0, '/');
    if (slash == NULL)
        return 0;
    n = (size_t)(slash - f0) + 1;
    for (size_t i = 1; i < r->nsources && n > 0; i++) {
        const char *fi = r->sources[i].file;
        size_t k = 0;
        while (k < n && fi[k] == f0[k])
            k++;
        /* back to the last '/' both share */
        while (k > 0 && f0[k - 1] != '/')
            k--;
        n = k;
    }
    return n;
}

/*
 * "YYYY-MM-DDTHH:MM:SSZ" (how the store records a time) as seconds since
 * the epoch; false for anything else.
 */
static bool
parse_utc(const char *t, int64_t *secs)
{
    int y, mo, d, h, mi, sec, day;
    char z;

    if (t == NULL || strlen(t) != 20 ||
        sscanf(t, "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &sec,
               &z) != 7 ||
        z != 'Z' || h > 23 || mi > 59 || sec > 59 ||
        period_parse_date(t, 10, &day) < 0)
        return false;
    *secs = (int64_t)period_days_since_epoch(day) * 86400 + h * 3600 + mi * 60 +
            sec;
    return true;
}

#define BEIJING_OFFSET_S (8 * 3600)

int
xlsxtables_sources(struct xlsxsheet_book *b)
{
    const struct rollup *r = b->r;
    const struct xlsxsheet_fmts *f = &b->f;
    struct xlsxsheet s;
    size_t row = 2, last = 5;
    char title[160], pbuf[32], p1[16], p2[16], span[40], tail[64];
    size_t dir = common_dir(r);

    if (xlsxsheet_open(b, &s, "来源") < 0)
        return -1;

    snprintf(title, sizeof(title), "%s数据来源", b->period);
    xlsxsheet_put_merge(&s, 0, 0, 0, last, title, f->title, false);
    xlsxsheet_row_height(&s, 0, XLSXSHEET_TITLE_PT);
    xlsxsheet_put_head(&s, 1, 0, "省份");
    xlsxsheet_put_head(&s, 1, 1, "覆盖期间");
    xlsxsheet_put_head(&s, 1, 2, "文件");
    xlsxsheet_put_head(&s, 1, 3, "SHA-256");
    xlsxsheet_put_head(&s, 1, 4, "行数");
    xlsxsheet_put_head(&s, 1, 5, "入库时间（北京时间）");

    for (size_t i = 0; i < r->nsources; i++, row++) {
        const struct rollup_source *src = &r->sources[i];
        period_format(p1, sizeof(p1), src->covers.first);
        period_format(p2, sizeof(p2), src->covers.last);
        if (period_cmp(src->covers.first, src->covers.last) == 0)
            snprintf(span, sizeof(span), "%s", p1);
        else
            snprintf(span, sizeof(span), "%s至%s", p1, p2);
        xlsxsheet_put_str(&s, row, 0,
                          province_label(b, src->province, pbuf, sizeof(pbuf)),
                          f->text);
        xlsxsheet_put_str(&s, row, 1, span, f->center);
        xlsxsheet_put_str(&s, row, 2, src->file + dir, f->text);
        xlsxsheet_put_str(&s, row, 3, src->sha256, f->text);
        xlsxsheet_put_count(&s, row, 4, src->rows, f->count);
        int64_t t;
        if (parse_utc(src->ingested_at, &t))
            xlsxsheet_put_datetime(&s, row, 5, t + BEIJING_OFFSET_S,
                                   f->datetime);
        else /* not the store's format: shown as stored */
            xlsxsheet_put_str(&s, row, 5, src->ingested_at, f->center);
        xlsxsheet_row_height(&s, row, XLSXSHEET_BODY_PT);
    }
    snprintf(tail, sizeof(tail), "共 %zu 个文件。", r->nsources);
    xlsxsheet_put_merge(&s, row, 0, row, last, tail, f->note, false);
    if (dir > 0) {
        /* the directory once, as the store recorded it */
        struct sbuf d = SBUF_INIT;
        sbuf_addstr(&d, "文件名相对于目录 ");
        sbuf_add(&d, r->sources[0].file, dir);
        sbuf_addstr(&d, "。");
        row++;
        xlsxsheet_put_merge(&s, row, 0, row, last, d.buf, f->note, false);
        sbuf_release(&d);
    }

    xlsxsheet_finish(&s);
    xlsxsheet_freeze(&s, 2, 0);
    xlsxsheet_print_setup(&s, true, 1, 1);
    return b->failed ? -1 : 0;
}

/* ******************************************************************** */
/* Sheet 审核                                                           */
/* ******************************************************************** */

int
xlsxtables_review(struct xlsxsheet_book *b, const struct review_result *rv)
{
    const struct xlsxsheet_fmts *f = &b->f;
    const struct codes *cs = refdata_codes(b->rd);
    struct xlsxsheet s;
    static const char *const heads[] = {
        "级别", "检查", "省份", "统筹区", "月份",     "渠道",     "用途",
        "指标", "数值", "参照", "比值",   "稳健分数", "来源文件",
    };
    size_t nc = sizeof(heads) / sizeof(heads[0]), row = 2;
    char title[160], buf[128], span[PERIOD_LABEL_MAX];

    if (xlsxsheet_open(b, &s, "审核") < 0)
        return -1;
    snprintf(title, sizeof(title), "%s数据审核",
             period_range_label(span, sizeof(span), rv->range));
    xlsxsheet_put_merge(&s, 0, 0, 0, nc - 1, title, f->title, false);
    xlsxsheet_row_height(&s, 0, XLSXSHEET_TITLE_PT);
    for (size_t c = 0; c < nc; c++)
        xlsxsheet_put_head(&s, 1, c, heads[c]);
    for (size_t i = 0; i < rv->findings.n; i++, row++) {
        const struct review_finding *x = &rv->findings.v[i];
        xlsxsheet_put_str(&s, row, 0, reviewout_severity_name(x->severity),
                          f->center);
        xlsxsheet_put_str(&s, row, 1, reviewout_check_name(x->check), f->text);
        xlsxsheet_put_str(
            &s, row, 2,
            x->province ? province_label(b, x->province, buf, sizeof(buf)) : "",
            f->text);
        if (x->area) {
            char name[160];
            snprintf(name, sizeof(name), "%06d %s", x->area,
                     area_label(b, x->area, buf, sizeof(buf)));
            xlsxsheet_put_str(&s, row, 3, name, f->text);
        } else {
            xlsxsheet_put_str(&s, row, 3, "", f->text);
        }
        xlsxsheet_put_str(&s, row, 4,
                          x->period ? period_format(buf, sizeof(buf),
                                                    period_of_yyyymm(x->period))
                                    : "",
                          f->center);
        xlsxsheet_put_str(
            &s, row, 5,
            x->channel >= 0 ? codes_name(cs, CODESET_CHANNEL, x->channel) : "",
            f->text);
        xlsxsheet_put_str(
            &s, row, 6, x->use >= 0 ? codes_name(cs, CODESET_USE, x->use) : "",
            f->text);
        xlsxsheet_put_str(&s, row, 7,
                          x->figure_label != NULL
                              ? x->figure_label
                              : reviewout_measure_name(x->measure),
                          f->text);
        xlsxsheet_put_str(&s, row, 8,
                          x->has_value ? reviewout_value(buf, sizeof(buf),
                                                         x->measure, x->value)
                                       : "",
                          f->text);
        xlsxsheet_put_str(
            &s, row, 9,
            x->has_reference
                ? reviewout_value(buf, sizeof(buf), x->measure, x->reference)
                : "",
            f->text);
        /* statistics, not money: rounded once to hundredths for display */
        if (x->ratio == x->ratio)
            xlsxsheet_put_hundredths(&s, row, 10,
                                     (int64_t)llround(x->ratio * 100), f->num);
        else
            xlsxsheet_put_str(&s, row, 10, "", f->text);
        if (x->has_stats)
            xlsxsheet_put_hundredths(&s, row, 11,
                                     (int64_t)llround(x->score * 100), f->num);
        else
            xlsxsheet_put_str(&s, row, 11, "", f->text);
        xlsxsheet_put_str(&s, row, 12, x->files ? x->files : "", f->text);
        xlsxsheet_row_height(&s, row, XLSXSHEET_BODY_PT);
    }
    if (rv->findings.n == 0)
        snprintf(buf, sizeof(buf), "未发现问题。");
    else
        snprintf(buf, sizeof(buf), "共%zu条：错误%zu条，警告%zu条，提示%zu条。",
                 rv->findings.n, rv->count[REVIEW_ERROR],
                 rv->count[REVIEW_WARNING], rv->count[REVIEW_INFO]);
    xlsxsheet_put_merge(&s, row, 0, row, nc - 1, buf, f->note, false);

    xlsxsheet_finish(&s);
    xlsxsheet_freeze(&s, 2, 0);
    xlsxsheet_print_setup(&s, true, 1, 1);
    return b->failed ? -1 : 0;
}
