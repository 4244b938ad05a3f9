/* SPDX-License-Identifier: MIT */
#include "report/chartfile.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/diag.h"
#include "common/money.h"
#include "common/sbuf.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "ingest/codes.h"
#include "report/chartdata.h"
#include "report/numfmt.h"
#include "report/tilemap.h"

/*** Numbers in the display unit ***/

static int64_t
hundredths(int64_t v, enum chart_metric m, enum unit u)
{
    return m == CHART_AMOUNT ? numfmt_amount_hundredths(v, u)
                             : numfmt_pt_hundredths(v, u);
}

/* The number alone in unit u: "1534.50", or a whole count of persons. */
static void
value_text(char *buf, size_t len, int64_t v, enum chart_metric m, enum unit u)
{
    if (m == CHART_AMOUNT)
        numfmt_amount(buf, len, v, u);
    else
        numfmt_pt(buf, len, v, u);
}

/* v in unit u, with the unit's suffix: "0.76亿元" beside "488.38亿元". */
static void
unit_text(char *buf, size_t len, int64_t v, enum chart_metric m, enum unit u)
{
    char num[40];
    if (m == CHART_AMOUNT) {
        numfmt_amount(num, sizeof(num), v, u);
        snprintf(buf, len, "%s%s", num, numfmt_amount_suffix(u));
    } else {
        numfmt_pt(num, sizeof(num), v, u);
        snprintf(buf, len, "%s%s", num, numfmt_pt_suffix(u));
    }
}

static void
put_measures(FILE *fp, const struct measures *m)
{
    char yuan[32];
    money_format(yuan, sizeof(yuan), m->amount_fen);
    fprintf(fp, "\t%" PRId64 "\t%s", m->person_times, yuan);
}

static void
put_label(FILE *fp, const char *s, size_t max_cp)
{
    struct sbuf sb = SBUF_INIT;
    chartdata_sanitize(&sb, s, max_cp);
    fprintf(fp, "\t%s", sb.buf);
    sbuf_release(&sb);
}

static void
put_value(FILE *fp, int64_t v, enum chart_metric m, enum unit u)
{
    char buf[32];
    value_text(buf, sizeof(buf), v, m, u);
    fprintf(fp, "\t%s", buf);
}

struct order {
    int64_t key;
    size_t index;
};

static int
cmp_order(const void *pa, const void *pb)
{
    const struct order *a = pa, *b = pb;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    /* ties: later table rows first, so top-down reading is table order */
    return a->index < b->index ? 1 : a->index > b->index ? -1 : 0;
}

/* Row indexes ascending by the metric: gnuplot draws row 0 at the
 * bottom, so the largest ends up on top. */
static struct order *
ascending(const struct chartdata *cd)
{
    struct order *o = xcalloc(cd->nrows != 0 ? cd->nrows : 1, sizeof(*o));
    for (size_t i = 0; i < cd->nrows; i++) {
        o[i].key = chartdata_metric(&cd->rows[i].m, cd->metric);
        o[i].index = i;
    }
    qsort(o, cd->nrows, sizeof(*o), cmp_order);
    return o;
}

static void
write_bars(FILE *fp, const struct chartdata *cd)
{
    enum unit u = chartdata_unit(cd, cd->metric);
    struct order *o = ascending(cd);

    fputs("province\tlabel\tperson_times\tamount\tvalue\n", fp);
    for (size_t k = 0; k < cd->nrows; k++) {
        const struct chart_row *row = &cd->rows[o[k].index];
        fprintf(fp, "%06d", row->code);
        put_label(fp, row->name, CHART_LABEL_MAX_CP);
        put_measures(fp, &row->m);
        put_value(fp, chartdata_metric(&row->m, cd->metric), cd->metric, u);
        fputc('\n', fp);
    }
    free(o);
}

static void
write_scope(FILE *fp, const struct chartdata *cd)
{
    enum unit u = chartdata_unit(cd, cd->metric);
    struct order *o = ascending(cd);

    fputs("province\tlabel\tperson_times\tamount", fp);
    for (int s = 0; s < SCOPE_N; s++) {
        const char *c = codes_code(cd->codes, CODESET_SCOPE, s);
        fprintf(fp, "\t%s_person_times\t%s_amount", c, c);
    }
    for (int s = 0; s < SCOPE_N; s++)
        fprintf(fp, "\tend%d", s + 1);
    fputs("\tvalue\n", fp);
    for (size_t k = 0; k < cd->nrows; k++) {
        const struct chart_row *row = &cd->rows[o[k].index];
        fprintf(fp, "%06d", row->code);
        put_label(fp, row->name, CHART_LABEL_MAX_CP);
        put_measures(fp, &row->m);
        for (int s = 0; s < SCOPE_N; s++)
            put_measures(fp, &row->scope[s]);
        /* segment ends: exact running sums, each rounded once */
        int64_t cum = 0;
        for (int s = 0; s < SCOPE_N; s++) {
            cum = chartdata_sat_add(
                cum, chartdata_metric(&row->scope[s], cd->metric));
            put_value(fp, cum, cd->metric, u);
        }
        put_value(fp, chartdata_metric(&row->m, cd->metric), cd->metric, u);
        fputc('\n', fp);
    }
    free(o);
}

/* Degrees with three decimals from millidegrees ("-12.345"). */
static void
put_mdeg(FILE *fp, int64_t mdeg)
{
    uint64_t a = mdeg < 0 ? (uint64_t)0 - (uint64_t)mdeg : (uint64_t)mdeg;
    fprintf(fp, "\t%s%" PRIu64 ".%03" PRIu64, mdeg < 0 ? "-" : "", a / 1000,
            a % 1000);
}

static void
write_use(FILE *fp, const struct chartdata *cd)
{
    int64_t total = chartdata_metric(&cd->total, cd->metric), cum = 0;
    int64_t prev_bp = 0, vmax = 0;

    /* the legend's values are one list: all in the unit of the largest */
    for (size_t i = 0; i < cd->nrows; i++) {
        int64_t v = chartdata_metric(&cd->rows[i].m, cd->metric);
        vmax = v > vmax ? v : vmax;
    }
    enum unit u = cd->metric == CHART_AMOUNT ? numfmt_amount_unit(vmax)
                                             : numfmt_pt_unit(vmax);
    fputs("use\tlabel\tperson_times\tamount\tvalue\tshare\tstart\tend\n", fp);
    for (size_t i = 0; i < cd->nrows; i++) {
        const struct chart_row *row = &cd->rows[i];
        int64_t v = chartdata_metric(&row->m, cd->metric), bp = 0, cum_bp = 0;
        char buf[48];

        fprintf(fp, "%s", codes_code(cd->codes, CODESET_USE, row->code));
        put_label(fp, row->name, CHART_LABEL_MAX_CP);
        put_measures(fp, &row->m);
        unit_text(buf, sizeof(buf), v, cd->metric, u);
        fprintf(fp, "\t%s", buf);
        cum = chartdata_sat_add(cum, v);
        if (total > 0 && fx_ratio_bp(v, total, &bp) == 0 &&
            fx_ratio_bp(cum, total, &cum_bp) == 0) {
            numfmt_hundredths(buf, sizeof(buf), bp);
            fprintf(fp, "\t%s%%", buf);
        } else {
            fputs("\t—", fp);
            bp = cum_bp = prev_bp;
        }
        /*
         * Clockwise from 12 o'clock; gnuplot draws a wedge counter-clockwise
         * from start to end.  1 bp of the circle is 36 millidegrees; the
         * edges come from the exact running sums, so the ring closes.
         */
        put_mdeg(fp, 90000 - cum_bp * 36);
        put_mdeg(fp, 90000 - prev_bp * 36);
        prev_bp = cum_bp;
        fputc('\n', fp);
    }
}

static void
write_trend(FILE *fp, const struct chartdata *cd)
{
    enum unit u_pt = chartdata_unit(cd, CHART_PERSON_TIMES);
    enum unit u_am = chartdata_unit(cd, CHART_AMOUNT);
    enum unit c_pt = chartdata_cum_unit(cd, CHART_PERSON_TIMES);
    enum unit c_am = chartdata_cum_unit(cd, CHART_AMOUNT);
    bool one_year = cd->range.first.year == cd->range.last.year;
    struct measures cum = {0, 0};

    fputs("period\tlabel\tperson_times\tamount\tcum_person_times\t"
          "cum_amount\tpt_value\tcum_pt_value\tamount_value\t"
          "cum_amount_value\tcum_pt_text\tcum_amount_text\n",
          fp);
    for (size_t i = 0; i < cd->nrows; i++) {
        const struct chart_row *row = &cd->rows[i];
        struct period p = period_of_yyyymm(row->code);
        char buf[48], per[PERIOD_LABEL_MAX];

        chartdata_measures_add(&cum, &row->m);
        period_format(per, sizeof(per), p);
        fputs(per, fp);
        if (one_year)
            fprintf(fp, "\t%d月", p.month);
        else
            fprintf(fp, "\t%s", per);
        put_measures(fp, &row->m);
        put_measures(fp, &cum);
        put_value(fp, row->m.person_times, CHART_PERSON_TIMES, u_pt);
        put_value(fp, cum.person_times, CHART_PERSON_TIMES, c_pt);
        put_value(fp, row->m.amount_fen, CHART_AMOUNT, u_am);
        put_value(fp, cum.amount_fen, CHART_AMOUNT, c_am);
        numfmt_pt_auto(buf, sizeof(buf), cum.person_times);
        fprintf(fp, "\t累计%s", buf);
        numfmt_amount_auto(buf, sizeof(buf), cum.amount_fen);
        fprintf(fp, "\t累计%s\n", buf);
    }
}

/*
 * The wallet by month: the 省内 and 跨省 parts (each with its
 * descendants), the segment ends as exact running sums rounded once, and
 * the month's total for the label on top.
 */
static void
write_wallet(FILE *fp, const struct chartdata *cd)
{
    static const int parts[2] = {SCOPE_IN_PROVINCE, SCOPE_CROSS_PROVINCE};
    enum unit u = chartdata_unit(cd, cd->metric);
    bool one_year = cd->range.first.year == cd->range.last.year;

    fputs("period\tlabel\tperson_times\tamount", fp);
    for (size_t k = 0; k < 2; k++) {
        const char *c = codes_code(cd->codes, CODESET_SCOPE, parts[k]);
        fprintf(fp, "\t%s_person_times\t%s_amount", c, c);
    }
    fputs("\tend1\tend2\tvalue\n", fp);
    for (size_t i = 0; i < cd->nrows; i++) {
        const struct chart_row *row = &cd->rows[i];
        struct period p = period_of_yyyymm(row->code);
        char per[PERIOD_LABEL_MAX];

        period_format(per, sizeof(per), p);
        fputs(per, fp);
        if (one_year)
            fprintf(fp, "\t%d月", p.month);
        else
            fprintf(fp, "\t%s", per);
        put_measures(fp, &row->m);
        for (size_t k = 0; k < 2; k++)
            put_measures(fp, &row->scope[parts[k]]);
        int64_t cum = 0;
        for (size_t k = 0; k < 2; k++) {
            cum = chartdata_sat_add(
                cum, chartdata_metric(&row->scope[parts[k]], cd->metric));
            put_value(fp, cum, cd->metric, u);
        }
        put_value(fp, chartdata_metric(&row->m, cd->metric), cd->metric, u);
        fputc('\n', fp);
    }
}

/* The map's shading values (display hundredths) of the tiled rows. */
static size_t
map_values(const struct chartdata *cd, int64_t *v)
{
    enum unit u = chartdata_unit(cd, cd->metric);
    size_t n = 0;

    for (size_t i = 0; i < cd->nrows; i++)
        if (tilemap_find(cd->rows[i].code) != NULL)
            v[n++] = hundredths(chartdata_metric(&cd->rows[i].m, cd->metric),
                                cd->metric, u);
    return n;
}

void
chartfile_map_breaks(const struct chartdata *cd,
                     int64_t breaks[TILEMAP_CLASSES - 1])
{
    int64_t *v = xcalloc(cd->nrows != 0 ? cd->nrows : 1, sizeof(*v));
    size_t n = map_values(cd, v);
    /* whole persons: no break at 2.5 人次 */
    bool whole = cd->metric == CHART_PERSON_TIMES &&
                 chartdata_unit(cd, cd->metric) == UNIT_ONE;

    tilemap_breaks(v, n, whole ? 100 : 1, breaks);
    free(v);
}

/* A bound for the legend with `dec` decimals: "500", "2.5", "0.25". */
static void
bound_text(char *buf, size_t len, int64_t h, int dec)
{
    if (dec == 0)
        snprintf(buf, len, "%" PRId64, h / 100);
    else if (dec == 1)
        snprintf(buf, len, "%" PRId64 ".%" PRId64, h / 100, h / 10 % 10);
    else
        numfmt_hundredths(buf, len, h);
}

/* Put a tile label on one or two lines (at most 4 code points each). */
static void
put_tile_label(FILE *fp, const char *name)
{
    struct sbuf sb = SBUF_INIT;
    chartdata_sanitize(&sb, name, 8);
    size_t n = utf8_codepoints(sb.buf, sb.len);
    if (n <= 4) {
        fprintf(fp, "\t1\t%s\t-", sb.buf);
    } else {
        size_t first = (n + 1) / 2, i = 0;
        for (size_t k = 0; k < first; k++) {
            unsigned cp;
            i += utf8_decode(sb.buf + i, sb.len - i, &cp);
        }
        size_t e = i;
        while (e > 0 && sb.buf[e - 1] == ' ')
            e--;
        size_t b = i;
        while (b < sb.len && sb.buf[b] == ' ')
            b++;
        fprintf(fp, "\t2\t%.*s\t%s", (int)e, sb.buf, sb.buf + b);
    }
    sbuf_release(&sb);
}

static void
write_map(FILE *fp, const struct chartdata *cd)
{
    enum unit u = chartdata_unit(cd, cd->metric);
    int64_t breaks[TILEMAP_CLASSES - 1];

    chartfile_map_breaks(cd, breaks);
    fputs("province\tlines\tline1\tline2\tcol\trow\tperson_times\tamount\t"
          "value\tclass\n",
          fp);
    for (size_t i = 0; i < cd->nrows; i++) {
        const struct chart_row *row = &cd->rows[i];
        const struct tile *t = tilemap_find(row->code);
        if (t == NULL)
            continue; /* a unit the grid does not place */
        int64_t v = chartdata_metric(&row->m, cd->metric);
        fprintf(fp, "%06d", row->code);
        put_tile_label(fp, row->name);
        fprintf(fp, "\t%d\t%d", t->col, t->row);
        put_measures(fp, &row->m);
        put_value(fp, v, cd->metric, u);
        fprintf(fp, "\t%d\n",
                tilemap_class(hundredths(v, cd->metric, u), breaks));
    }
}

int
chartfile_write(FILE *fp, const struct chartdata *cd)
{
    switch (cd->kind) {
    case CHART_PROVINCE_BARS:
    case CHART_AREA_BARS:
        write_bars(fp, cd);
        break;
    case CHART_SCOPE:
        write_scope(fp, cd);
        break;
    case CHART_USE:
        write_use(fp, cd);
        break;
    case CHART_TREND:
        write_trend(fp, cd);
        break;
    case CHART_MAP:
        write_map(fp, cd);
        break;
    case CHART_WALLET:
        write_wallet(fp, cd);
        break;
    case CHART_KIND_N:
        BUG("bad chart kind");
    }
    return ferror(fp) ? -1 : 0;
}

int
chartfile_write_legend(FILE *fp, const struct chartdata *cd)
{
    int64_t breaks[TILEMAP_CLASSES - 1];

    chartfile_map_breaks(cd, breaks);
    /* one number format for the whole legend: as few decimals as exact */
    int dec = 0;
    for (int c = 0; c < TILEMAP_CLASSES - 1; c++) {
        if (breaks[c] % 10 != 0)
            dec = 2;
        else if (breaks[c] % 100 != 0 && dec < 1)
            dec = 1;
    }
    fputs("class\tlow\thigh\tlabel\n", fp);
    for (int c = 0; c < TILEMAP_CLASSES; c++) {
        char lo[32], hi[32];
        /* class c is [low, high); the last one has no upper end (-1) */
        int64_t l = c == 0 ? 0 : breaks[c - 1];
        int64_t h = c == TILEMAP_CLASSES - 1 ? -1 : breaks[c];
        bound_text(lo, sizeof(lo), l, dec);
        hi[0] = '\0';
        if (h >= 0)
            bound_text(hi, sizeof(hi), h, dec);
        fprintf(fp, "%d\t%" PRId64 "\t%" PRId64 "\t", c, l, h);
        if (c == 0)
            fprintf(fp, "%s以下\n", hi);
        else if (c == TILEMAP_CLASSES - 1)
            fprintf(fp, "%s及以上\n", lo);
        else
            fprintf(fp, "%s～%s\n", lo, hi);
    }
    return ferror(fp) ? -1 : 0;
}
