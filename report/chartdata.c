/* SPDX-License-Identifier: MIT */
#include "report/chartdata.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate/query.h"
#include "common/diag.h"
#include "common/i18n.h"
#include "common/sbuf.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "ingest/refdata.h"

/*** Names ***/

static const char *const kind_names[CHART_KIND_N] = {
    "province_bars", "scope", "use", "trend", "map", "wallet", "area_bars",
};

static const char *const metric_names[CHART_METRIC_N] = {
    "person_times",
    "amount",
};

const char *
chart_kind_name(enum chart_kind k)
{
    if ((unsigned)k >= CHART_KIND_N)
        BUG("bad chart kind %d", (int)k);
    return kind_names[k];
}

int
chart_kind_parse(const char *s)
{
    for (int k = 0; k < CHART_KIND_N; k++)
        if (strcmp(s, kind_names[k]) == 0)
            return k;
    return -1;
}

const char *
chart_metric_name(enum chart_metric m)
{
    if ((unsigned)m >= CHART_METRIC_N)
        BUG("bad chart metric %d", (int)m);
    return metric_names[m];
}

int
chart_metric_parse(const char *s)
{
    for (int m = 0; m < CHART_METRIC_N; m++)
        if (strcmp(s, metric_names[m]) == 0)
            return m;
    return -1;
}

/*** Text that goes into data files ***/

/* Characters that must not reach a gnuplot data field as they are. */
static bool
is_control(unsigned cp)
{
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
           cp == 0x2028 || cp == 0x2029;
}

void
chartdata_sanitize(struct sbuf *out, const char *s, size_t max_cp)
{
    struct sbuf tmp = SBUF_INIT;
    size_t len = s != NULL ? strlen(s) : 0, ncp = 0;
    bool open_quote = true;

    /* first pass: replace, into tmp; count code points */
    for (size_t i = 0; i < len;) {
        unsigned cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (cp == 0xFFFD && n == 1 && (unsigned char)s[i] >= 0x80) {
            sbuf_addch(&tmp, '?');
        } else if (cp == '"') {
            sbuf_addstr(&tmp, open_quote ? "“" : "”");
            open_quote = !open_quote;
        } else if (cp == '\\') {
            sbuf_addstr(&tmp, "＼");
        } else if (is_control(cp)) {
            sbuf_addch(&tmp, ' ');
        } else {
            sbuf_add(&tmp, s + i, n);
        }
        i += n;
    }
    /* trim spaces at both ends: gnuplot drops leading ones anyway */
    size_t b = 0, e = tmp.len;
    while (b < e && tmp.buf[b] == ' ')
        b++;
    while (e > b && tmp.buf[e - 1] == ' ')
        e--;
    ncp = utf8_codepoints(tmp.buf + b, e - b);
    if (b == e) {
        sbuf_addch(out, '?');
    } else if (max_cp > 0 && ncp > max_cp) {
        /* keep max_cp - 1 code points, then an ellipsis */
        size_t i = b, kept = 0;
        while (i < e && kept + 1 < max_cp) {
            unsigned cp;
            i += utf8_decode(tmp.buf + i, e - i, &cp);
            kept++;
        }
        while (i > b && tmp.buf[i - 1] == ' ')
            i--;
        sbuf_add(out, tmp.buf + b, i - b);
        sbuf_addstr(out, "…");
    } else {
        sbuf_add(out, tmp.buf + b, e - b);
    }
    sbuf_release(&tmp);
}

size_t
chartdata_text_em100(const char *s)
{
    size_t len = strlen(s), w = 0;

    for (size_t i = 0; i < len;) {
        unsigned cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (cp == 'W' || cp == 'M' || cp == 'm' || cp == 'w' || cp == '@')
            w += 95;
        else if ((cp >= 'A' && cp <= 'Z') || cp == '%' || cp == '&')
            w += 75;
        else if (cp == ' ')
            w += 30;
        else if (cp < 0x80)
            w += 60;
        else
            w += 100; /* CJK, full-width forms and anything unusual */
        i += n;
    }
    return w;
}

bool
chartdata_title_ok(const char *s, char *why, size_t whylen)
{
    size_t len = strlen(s), bad;

    if (!utf8_valid(s, len, &bad)) {
        snprintf(why, whylen, _("is not valid UTF-8 (byte %zu)"), bad + 1);
        return false;
    }
    for (size_t i = 0; i < len;) {
        unsigned cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (is_control(cp)) {
            snprintf(why, whylen,
                     _("contains a control character (U+%04X) at byte %zu"), cp,
                     i + 1);
            return false;
        }
        i += n;
    }
    if (chartdata_text_em100(s) > CHART_TITLE_MAX_EM * 100) {
        snprintf(why, whylen,
                 _("is too wide for the chart (at most %d Chinese characters, "
                   "or about %d Latin letters)"),
                 CHART_TITLE_MAX_EM, CHART_TITLE_MAX_EM * 100 / 65);
        return false;
    }
    return true;
}

/*
 * Cut out to at most max_em100 (see chartdata_text_em100), ending in "…"
 * when something was cut.
 */
static void
em_cut(struct sbuf *sb, size_t max_em100)
{
    if (chartdata_text_em100(sb->buf) <= max_em100)
        return;
    size_t i = 0, w = 0;
    while (i < sb->len) {
        unsigned cp;
        size_t n = utf8_decode(sb->buf + i, sb->len - i, &cp);
        char one[8] = {0};
        memcpy(one, sb->buf + i, n < 7 ? n : 7);
        size_t cw = chartdata_text_em100(one);
        if (w + cw + 100 > max_em100)
            break;
        w += cw;
        i += n;
    }
    sbuf_setlen(sb, i);
    sbuf_addstr(sb, "…");
}

/*** Building ***/

int64_t
chartdata_metric(const struct measures *m, enum chart_metric metric)
{
    return metric == CHART_AMOUNT ? m->amount_fen : m->person_times;
}

int64_t
chartdata_sat_add(int64_t a, int64_t b)
{
    int64_t s;
    if (__builtin_add_overflow(a, b, &s))
        return b > 0 ? INT64_MAX : INT64_MIN;
    return s;
}

void
chartdata_measures_add(struct measures *to, const struct measures *m)
{
    to->person_times = chartdata_sat_add(to->person_times, m->person_times);
    to->amount_fen = chartdata_sat_add(to->amount_fen, m->amount_fen);
}

static size_t
months_in(struct period_range r)
{
    return (size_t)(period_index(r.last) - period_index(r.first) + 1);
}

/* Rows of every province in reference-table order, zero. */
static void
province_rows(struct chartdata *cd, const struct refdata *rd)
{
    cd->nrows = refdata_province_count(rd);
    cd->rows = xcalloc(cd->nrows != 0 ? cd->nrows : 1, sizeof(*cd->rows));
    for (size_t i = 0; i < cd->nrows; i++) {
        const struct province *p = refdata_province_at(rd, i);
        cd->rows[i].code = p->code;
        cd->rows[i].name = p->short_name;
    }
}

/* Rows of the pooling areas of `province` (0: every area), zero. */
static void
area_rows(struct chartdata *cd, const struct refdata *rd, int province)
{
    size_t n = refdata_area_count(rd);
    cd->rows = xcalloc(n != 0 ? n : 1, sizeof(*cd->rows));
    cd->nrows = 0;
    for (size_t i = 0; i < n; i++) {
        const struct area *a = refdata_area_at(rd, i);
        if (province != 0 && a->province != province)
            continue;
        cd->rows[cd->nrows].code = a->code;
        cd->rows[cd->nrows].name = a->name;
        cd->nrows++;
    }
}

static int
cmp_rows_by(const struct chart_row *a, const struct chart_row *b,
            enum chart_metric m)
{
    int64_t x = chartdata_metric(&a->m, m), y = chartdata_metric(&b->m, m);
    if (x != y)
        return x > y ? -1 : 1;
    return a->code < b->code ? -1 : a->code > b->code;
}

static int
cmp_rows_pt(const void *a, const void *b)
{
    return cmp_rows_by(a, b, CHART_PERSON_TIMES);
}

static int
cmp_rows_amount(const void *a, const void *b)
{
    return cmp_rows_by(a, b, CHART_AMOUNT);
}

/* Keep the CHART_AREA_TOP largest rows with data, largest first. */
static void
keep_top_areas(struct chartdata *cd)
{
    size_t k = 0;
    for (size_t i = 0; i < cd->nrows; i++)
        if (chartdata_metric(&cd->rows[i].m, cd->metric) > 0)
            cd->rows[k++] = cd->rows[i];
    cd->nrows = k;
    qsort(cd->rows, cd->nrows, sizeof(*cd->rows),
          cd->metric == CHART_AMOUNT ? cmp_rows_amount : cmp_rows_pt);
    if (cd->nrows > CHART_AREA_TOP)
        cd->nrows = CHART_AREA_TOP;
}

static struct chart_row *
find_row(struct chartdata *cd, int code)
{
    for (size_t i = 0; i < cd->nrows; i++)
        if (cd->rows[i].code == code)
            return &cd->rows[i];
    return NULL;
}

static void
init_rows(struct chartdata *cd, const struct refdata *rd)
{
    switch (cd->kind) {
    case CHART_PROVINCE_BARS:
    case CHART_SCOPE:
    case CHART_MAP:
        province_rows(cd, rd);
        break;
    case CHART_AREA_BARS:
        area_rows(cd, rd, 0);
        break;
    case CHART_USE:
        cd->nrows = (size_t)codes_count(refdata_codes(rd), CODESET_USE);
        cd->rows = xcalloc(cd->nrows, sizeof(*cd->rows));
        for (int u = 0; u < (int)cd->nrows; u++) {
            cd->rows[u].code = u;
            cd->rows[u].name = codes_name(refdata_codes(rd), CODESET_USE, u);
        }
        break;
    case CHART_TREND:
    case CHART_WALLET:
        cd->nrows = months_in(cd->range);
        cd->rows = xcalloc(cd->nrows, sizeof(*cd->rows));
        for (size_t i = 0; i < cd->nrows; i++)
            cd->rows[i].code =
                period_to_yyyymm(period_add(cd->range.first, (int)i));
        break;
    case CHART_KIND_N:
        BUG("bad chart kind");
    }
}

/* Dimension names in the filter line of the subtitle. */
static const char *const dim_zh[DIM_N] = {
    "统计期", "省份", "统筹区", "共济范围", "共济用途", "共济关系", "共济方式",
};

static void
filter_value(struct sbuf *sb, enum dim d, int v, const struct refdata *rd)
{
    switch (d) {
    case DIM_PERIOD: {
        struct period p;
        char label[PERIOD_LABEL_MAX];
        if (period_from_yyyymm(v, &p))
            sbuf_addstr(sb, period_label(label, sizeof(label), p));
        else
            sbuf_addf(sb, "%d", v);
        return;
    }
    case DIM_PROVINCE: {
        const struct province *p = refdata_province(rd, v);
        if (p != NULL)
            sbuf_addstr(sb, p->short_name);
        else
            sbuf_addf(sb, "%06d", v);
        return;
    }
    case DIM_AREA: {
        const struct area *a = refdata_area(rd, v);
        if (a != NULL)
            sbuf_addstr(sb, a->name);
        else
            sbuf_addf(sb, "%06d", v);
        return;
    }
    case DIM_SCOPE:
        sbuf_addstr(sb, codes_name(refdata_codes(rd), CODESET_SCOPE, v));
        return;
    case DIM_USE:
        sbuf_addstr(sb, codes_name(refdata_codes(rd), CODESET_USE, v));
        return;
    case DIM_RELATION:
        sbuf_addstr(sb, codes_name(refdata_codes(rd), CODESET_RELATION, v));
        return;
    case DIM_CHANNEL:
        sbuf_addstr(sb, codes_name(refdata_codes(rd), CODESET_CHANNEL, v));
        return;
    case DIM_N:
        break;
    }
    BUG("bad dimension %d", (int)d);
}

/*
 * "共济范围：跨省；省份：浙江、江苏等5个", or NULL without --where.  A
 * wallet chart's channel is in its title.
 */
static char *
filter_text(const struct query *q, enum chart_kind kind,
            const struct refdata *rd)
{
    struct sbuf sb = SBUF_INIT;

    for (int d = 0; d < DIM_N; d++) {
        if (q->where[d] == NULL || (kind == CHART_WALLET && d == DIM_CHANNEL))
            continue;
        if (sb.len > 0)
            sbuf_addstr(&sb, "；");
        sbuf_addf(&sb, "%s：", dim_zh[d]);
        size_t n = q->nwhere[d], shown = n > 3 ? 2 : n;
        for (size_t i = 0; i < shown; i++) {
            if (i > 0)
                sbuf_addstr(&sb, "、");
            filter_value(&sb, (enum dim)d, q->where[d][i], rd);
        }
        if (shown < n)
            sbuf_addf(&sb, "等%zu个", n);
        if (n == 0)
            sbuf_addstr(&sb, "（无）");
    }
    if (sb.len == 0)
        return NULL;
    em_cut(&sb, CHART_FILTER_MAX_EM * 100);
    return sbuf_detach(&sb, NULL);
}

/*
 * The use chart shows the four uses of the 2024 releases always and any
 * other (就医购药, 长期护理保险个人缴费, added ones) only with data.
 */
static void
drop_empty_uses(struct chartdata *cd)
{
    size_t k = 0;
    for (size_t i = 0; i < cd->nrows; i++) {
        int u = cd->rows[i].code;
        if (u == USE_MEDICAL || u == USE_PHARMACY || u == USE_PREMIUM ||
            u == USE_OTHER || cd->rows[i].m.person_times != 0 ||
            cd->rows[i].m.amount_fen != 0)
            cd->rows[k++] = cd->rows[i];
    }
    cd->nrows = k;
}

/*
 * A wallet chart reads the wallet channel: --where channel is implied, and
 * one that does not name the wallet is a usage error.  *code (the
 * caller's, alive while q is used) becomes q's channel filter; q's other
 * where arrays stay the caller's.
 */
static int
wallet_only(struct query *q, int *code, struct diag *err)
{
    bool named = q->where[DIM_CHANNEL] == NULL;

    for (size_t i = 0; !named && i < q->nwhere[DIM_CHANNEL]; i++)
        named = q->where[DIM_CHANNEL][i] == CHANNEL_WALLET;
    if (!named)
        return diag_set(err, DIAG_USAGE,
                        _("a wallet chart shows the channel 'wallet'; --where "
                          "channel excludes it"));
    *code = CHANNEL_WALLET;
    q->where[DIM_CHANNEL] = code;
    q->nwhere[DIM_CHANNEL] = 1;
    return 0;
}

/* Add a wallet cell of stored scope s to the 省内 or 跨省 part of row. */
static void
wallet_split(const struct codes *cs, struct chart_row *row, int s,
             const struct measures *m)
{
    if (s < 0)
        return;
    if (codes_within(cs, CODESET_SCOPE, s, SCOPE_IN_PROVINCE))
        chartdata_measures_add(&row->scope[SCOPE_IN_PROVINCE], m);
    else if (codes_within(cs, CODESET_SCOPE, s, SCOPE_CROSS_PROVINCE))
        chartdata_measures_add(&row->scope[SCOPE_CROSS_PROVINCE], m);
}

int
chartdata_from_query(struct chartdata *cd, enum chart_kind kind,
                     enum chart_metric metric, struct store *st,
                     const struct query *filter, const struct refdata *rd,
                     struct diag *err)
{
    struct query q = *filter; /* shares the where arrays; never released */
    struct query_result res;
    int wallet_code; /* q's channel filter for CHART_WALLET */

    memset(cd, 0, sizeof(*cd));
    memset(&res, 0, sizeof(res));
    cd->codes = refdata_codes(rd);
    cd->kind = kind;
    cd->metric = metric;
    cd->range = filter->range;
    if (kind == CHART_TREND && months_in(cd->range) > CHART_TREND_MAX_MONTHS)
        return diag_set(err, DIAG_USAGE,
                        _("a trend chart shows at most %d months; --period "
                          "covers %zu"),
                        CHART_TREND_MAX_MONTHS, months_in(cd->range));
    if (kind == CHART_WALLET && months_in(cd->range) > CHART_TREND_MAX_MONTHS)
        return diag_set(err, DIAG_USAGE,
                        _("a wallet chart shows at most %d months; --period "
                          "covers %zu"),
                        CHART_TREND_MAX_MONTHS, months_in(cd->range));
    if (kind == CHART_WALLET && wallet_only(&q, &wallet_code, err) < 0)
        return -1;

    q.sort = QSORT_KEY;
    q.top = 0;
    switch (kind) {
    case CHART_PROVINCE_BARS:
    case CHART_MAP:
        q.by[0] = DIM_PROVINCE;
        q.nby = 1;
        break;
    case CHART_SCOPE:
        q.by[0] = DIM_PROVINCE;
        q.by[1] = DIM_SCOPE;
        q.nby = 2;
        break;
    case CHART_USE:
        q.by[0] = DIM_USE;
        q.nby = 1;
        break;
    case CHART_TREND:
        q.by[0] = DIM_PERIOD;
        q.nby = 1;
        break;
    case CHART_WALLET:
        q.by[0] = DIM_PERIOD;
        q.by[1] = DIM_SCOPE;
        q.nby = 2;
        break;
    case CHART_AREA_BARS:
        q.by[0] = DIM_AREA;
        q.nby = 1;
        break;
    case CHART_KIND_N:
        BUG("bad chart kind");
    }
    /* one province: its pooling areas, not 31 bars of zero */
    int one = q.where[DIM_PROVINCE] != NULL && q.nwhere[DIM_PROVINCE] == 1
                  ? q.where[DIM_PROVINCE][0]
                  : 0;
    if (kind == CHART_AREA_BARS ||
        (one != 0 && (kind == CHART_PROVINCE_BARS || kind == CHART_SCOPE))) {
        cd->areas = true;
        q.by[0] = DIM_AREA;
    }
    q.codes = refdata_codes(rd);
    if (query_run(st, &q, &res, err) < 0)
        return -1;

    if (cd->areas)
        area_rows(cd, rd, one);
    else
        init_rows(cd, rd);
    for (size_t i = 0; i < res.nrows; i++) {
        const struct query_row *qr = &res.rows[i];
        struct measures m = {qr->person_times, qr->amount_fen};
        struct chart_row *row = find_row(cd, qr->key[0]);
        if (row == NULL)
            continue; /* a province missing from the reference table */
        chartdata_measures_add(&row->m, &m);
        if (kind == CHART_SCOPE) {
            int s = qr->key[1];
            if (s >= 0 && s < SCOPE_N)
                chartdata_measures_add(&row->scope[s], &m);
            cd->has_in_province |= s == SCOPE_IN_PROVINCE;
        }
        if (kind == CHART_WALLET)
            wallet_split(cd->codes, row, qr->key[1], &m);
    }
    if (kind == CHART_USE)
        drop_empty_uses(cd);
    if (kind == CHART_AREA_BARS)
        keep_top_areas(cd);
    cd->total.person_times = res.total_person_times;
    cd->total.amount_fen = res.total_amount_fen;
    cd->filter = filter_text(filter, kind, rd);
    query_result_release(&res);
    return 0;
}

void
chartdata_from_rollup(struct chartdata *cd, enum chart_kind kind,
                      enum chart_metric metric, const struct rollup *r,
                      const struct refdata *rd)
{
    memset(cd, 0, sizeof(*cd));
    cd->codes = refdata_codes(rd);
    cd->kind = kind;
    cd->metric = metric;
    cd->range = period_year_to_date(r->period);
    init_rows(cd, rd);
    cd->total = r->nation.total;

    switch (kind) {
    case CHART_PROVINCE_BARS:
    case CHART_SCOPE:
    case CHART_MAP:
        for (size_t i = 0; i < r->nprovinces; i++) {
            const struct rollup_region *g = &r->provinces[i];
            struct chart_row *row = find_row(cd, g->code);
            if (row == NULL)
                continue;
            row->m = g->total;
            memcpy(row->scope, g->scope, sizeof(row->scope));
            cd->has_in_province |=
                g->scope[SCOPE_IN_PROVINCE].person_times != 0 ||
                g->scope[SCOPE_IN_PROVINCE].amount_fen != 0;
        }
        break;
    case CHART_USE:
        for (size_t u = 0; u < cd->nrows; u++)
            cd->rows[u].m = r->nation.use[u];
        drop_empty_uses(cd);
        break;
    case CHART_TREND:
        for (size_t i = 0; i < cd->nrows; i++)
            cd->rows[i].m = *rollup_month(r, -1, (int)i + 1);
        break;
    case CHART_WALLET:
        cd->total = r->nation.chan[CHANNEL_WALLET].total;
        for (size_t i = 0; i < cd->nrows; i++) {
            const struct measures *by = rollup_wallet_month(r, (int)i + 1);
            struct chart_row *row = &cd->rows[i];
            for (int s = 0; s < codes_count(refdata_codes(rd), CODESET_SCOPE);
                 s++)
                chartdata_measures_add(&row->m, &by[s]);
            row->scope[SCOPE_IN_PROVINCE] =
                rollup_scope(r->codes, by, SCOPE_IN_PROVINCE);
            row->scope[SCOPE_CROSS_PROVINCE] =
                rollup_scope(r->codes, by, SCOPE_CROSS_PROVINCE);
        }
        break;
    case CHART_AREA_BARS:
        cd->areas = true;
        for (size_t i = 0; i < r->nareas; i++) {
            struct chart_row *row = find_row(cd, r->areas[i].code);
            if (row != NULL)
                row->m = r->areas[i].total;
        }
        keep_top_areas(cd);
        break;
    case CHART_KIND_N:
        BUG("bad chart kind");
    }
}

void
chartdata_release(struct chartdata *cd)
{
    free(cd->rows);
    free(cd->filter);
    memset(cd, 0, sizeof(*cd));
}

/*** Units and words ***/

static enum unit
unit_for(int64_t v, enum chart_metric m)
{
    return m == CHART_AMOUNT ? numfmt_amount_unit(v) : numfmt_pt_unit(v);
}

/* The unit's name: "万人次", "亿元"; a wallet chart counts "万笔". */
static void
add_suffix(struct sbuf *out, const struct chartdata *cd, enum unit u,
           enum chart_metric m)
{
    if (m == CHART_AMOUNT)
        sbuf_addstr(out, numfmt_amount_suffix(u));
    else if (cd->kind == CHART_WALLET)
        sbuf_addf(out, "%s%s",
                  u == UNIT_YI    ? "亿"
                  : u == UNIT_WAN ? "万"
                                  : "",
                  codes_count_label(cd->codes, CHANNEL_WALLET));
    else
        sbuf_addstr(out, numfmt_pt_suffix(u));
}

static int64_t
max_of(int64_t a, int64_t b)
{
    return a > b ? a : b;
}

/* Largest cumulative value of a trend (the last one unless flows are
 * negative). */
static int64_t
trend_cum_max(const struct chartdata *cd, enum chart_metric m)
{
    int64_t cum = 0, best = 0;
    for (size_t i = 0; i < cd->nrows; i++) {
        cum = chartdata_sat_add(cum, chartdata_metric(&cd->rows[i].m, m));
        best = max_of(best, cum);
    }
    return best;
}

static enum unit
unit_of(const struct chartdata *cd, enum chart_metric m, bool cumulative)
{
    int64_t best = 0;

    if (cd->kind == CHART_USE)
        return unit_for(chartdata_metric(&cd->total, m), m);
    if (cd->kind == CHART_TREND && cumulative)
        return unit_for(trend_cum_max(cd, m), m);
    for (size_t i = 0; i < cd->nrows; i++)
        best = max_of(best, chartdata_metric(&cd->rows[i].m, m));
    return unit_for(best, m);
}

enum unit
chartdata_unit(const struct chartdata *cd, enum chart_metric m)
{
    return unit_of(cd, m, false);
}

enum unit
chartdata_cum_unit(const struct chartdata *cd, enum chart_metric m)
{
    return unit_of(cd, m, true);
}

static const char *
metric_zh(const struct chartdata *cd, enum chart_metric m)
{
    if (m == CHART_AMOUNT)
        return "共济金额";
    return cd->kind == CHART_WALLET ? "共济笔数" : "共济人次";
}

void
chartdata_title(const struct chartdata *cd, struct sbuf *out)
{
    const char *what = metric_zh(cd, cd->metric);

    switch (cd->kind) {
    case CHART_PROVINCE_BARS:
        sbuf_addf(out, "职工医保个人账户%s（%s）", what,
                  cd->areas ? "分统筹区" : "分省份");
        return;
    case CHART_SCOPE:
        sbuf_addf(out, "职工医保个人账户%s（%s、按共济范围）", what,
                  cd->areas ? "分统筹区" : "分省份");
        return;
    case CHART_AREA_BARS:
        sbuf_addf(out, "职工医保个人账户%s居前%d位的统筹区", what,
                  CHART_AREA_TOP);
        return;
    case CHART_USE:
        sbuf_addf(out, "职工医保个人账户%s（按共济用途）", what);
        return;
    case CHART_TREND:
        sbuf_addstr(out, "职工医保个人账户共济人次和金额（按月）");
        return;
    case CHART_MAP:
        sbuf_addf(out, "职工医保个人账户%s分布（分省份）", what);
        return;
    case CHART_WALLET:
        sbuf_addf(out, "医保钱包%s（按月，分省内、跨省）", what);
        return;
    case CHART_KIND_N:
        break;
    }
    BUG("bad chart kind");
}

void
chartdata_subtitle(const struct chartdata *cd, struct sbuf *out)
{
    char label[PERIOD_LABEL_MAX];
    sbuf_addstr(out, period_range_label(label, sizeof(label), cd->range));
    if (cd->filter != NULL)
        sbuf_addf(out, "　%s", cd->filter);
    if (cd->kind == CHART_TREND || cd->kind == CHART_USE)
        return; /* the axes, or every figure, carry the units */
    sbuf_addstr(out, "　单位：");
    add_suffix(out, cd, chartdata_unit(cd, cd->metric), cd->metric);
}

void
chartdata_axis_label(const struct chartdata *cd, enum chart_metric m,
                     bool cumulative, struct sbuf *out)
{
    enum unit u = unit_of(cd, m, cumulative);

    if (cd->kind == CHART_TREND)
        sbuf_addf(out, "%s%s（", cumulative ? "累计" : "当月",
                  metric_zh(cd, m));
    else
        sbuf_addf(out, "%s（", metric_zh(cd, m));
    add_suffix(out, cd, u, m);
    if (cd->kind == CHART_TREND)
        sbuf_addf(out, "，%s", cumulative ? "右轴" : "左轴");
    sbuf_addstr(out, "）");
}
