/* SPDX-License-Identifier: MIT */
#include "aggregate/rollup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate/query.h"
#include "aggregate/store.h"
#include "common/diag.h"
#include "common/i18n.h"
#include "common/money.h"
#include "common/xalloc.h"
#include "ingest/refdata.h"

const struct measures *
rollup_month(const struct rollup *r, int pi, int m)
{
    if (m < 1 || m > r->period.month || pi < -1 || pi >= (int)r->nprovinces)
        BUG("rollup_month(%d, %d) out of range", pi, m);
    return &r->monthly[(size_t)(m - 1) * (r->nprovinces + 1) +
                       (size_t)(pi + 1)];
}

const struct measures *
rollup_wallet_month(const struct rollup *r, int m)
{
    if (m < 1 || m > r->period.month)
        BUG("rollup_wallet_month(%d) out of range", m);
    return &r->wallet_monthly[(size_t)(m - 1) * CODES_MAX];
}

static int
add(struct measures *m, int64_t pt, int64_t fen, struct diag *err)
{
    if (fx_add(m->person_times, pt, &m->person_times) < 0 ||
        fx_add(m->amount_fen, fen, &m->amount_fen) < 0)
        return diag_set(err, DIAG_DATA,
                        _("a bulletin total overflows 64 bits"));
    return 0;
}

struct measures
rollup_scope(const struct codes *cs, const struct measures *by_scope, int v)
{
    struct measures m = {0, 0};
    for (int k = 0; k < codes_count(cs, CODESET_SCOPE); k++)
        if (codes_within(cs, CODESET_SCOPE, k, v)) {
            m.person_times += by_scope[k].person_times;
            m.amount_fen += by_scope[k].amount_fen;
        }
    return m;
}

struct measures
rollup_use(const struct codes *cs, const struct measures *by_use, int v)
{
    struct measures m = {0, 0};
    for (int k = 0; k < codes_count(cs, CODESET_USE); k++)
        if (codes_within(cs, CODESET_USE, k, v)) {
            m.person_times += by_use[k].person_times;
            m.amount_fen += by_use[k].amount_fen;
        }
    return m;
}

/*
 * Add a (channel, scope, use) cell to a region's totals and splits.  A
 * code the store holds that this gongji does not know (-1) is refused: it
 * would fall out of every split.
 */
static int
add_cell(struct rollup_region *g, const int *key, int64_t pt, int64_t fen,
         struct diag *err)
{
    int chan = key[0], scope = key[1], use = key[2];
    if (chan < 0 || scope < 0 || use < 0)
        return diag_set(err, DIAG_CONFIG,
                        _("the store holds a channel, scope or use that "
                          "data/codes.csv does not list"));
    struct rollup_figs *c = &g->chan[chan];
    if (add(&g->total, pt, fen, err) < 0 ||
        add(&g->scope[scope], pt, fen, err) < 0 ||
        add(&g->use[use], pt, fen, err) < 0 ||
        add(&c->total, pt, fen, err) < 0 ||
        add(&c->scope[scope], pt, fen, err) < 0 ||
        add(&c->use[use], pt, fen, err) < 0)
        return -1;
    return 0;
}

/* Narrow q to the rollup's province, when it has one. */
static void
where_province(struct query *q, int province)
{
    if (province == 0 || q->where[DIM_PROVINCE] != NULL)
        return;
    q->where[DIM_PROVINCE] = xmalloc(sizeof(int));
    q->where[DIM_PROVINCE][0] = province;
    q->nwhere[DIM_PROVINCE] = 1;
}

/*
 * Sum a whole region (by channel, scope, use) over the months of range
 * into g: the nation, or province when not 0.
 */
static int
region_totals(struct store *st, const struct codes *cs,
              struct period_range range, int province, struct rollup_region *g,
              bool *any, struct diag *err)
{
    struct query q;
    struct query_result res;
    int ret = -1;

    query_init(&q);
    q.codes = cs;
    q.range = range;
    where_province(&q, province);
    q.by[0] = DIM_CHANNEL;
    q.by[1] = DIM_SCOPE;
    q.by[2] = DIM_USE;
    q.nby = 3;
    memset(&res, 0, sizeof(res));
    if (query_run(st, &q, &res, err) < 0)
        goto out;
    memset(g, 0, sizeof(*g));
    g->code = g->province = province;
    *any = res.nrows > 0;
    for (size_t i = 0; i < res.nrows; i++)
        if (add_cell(g, res.rows[i].key, res.rows[i].person_times,
                     res.rows[i].amount_fen, err) < 0)
            goto out;
    ret = 0;
out:
    query_result_release(&res);
    query_release(&q);
    return ret;
}

static int
find_province(const struct rollup *r, int code)
{
    for (size_t i = 0; i < r->nprovinces; i++)
        if (r->provinces[i].code == code)
            return (int)i;
    return -1;
}

static int
cmp_rank(const struct rollup_region *a, const struct rollup_region *b,
         bool by_amount)
{
    int64_t x = by_amount ? a->total.amount_fen : a->total.person_times;
    int64_t y = by_amount ? b->total.amount_fen : b->total.person_times;
    return (x < y) - (x > y);
}

/* Stable insertion sort of indexes (32 provinces): ties keep table order. */
static void
rank(const struct rollup *r, size_t *idx, bool by_amount)
{
    for (size_t i = 0; i < r->nprovinces; i++)
        idx[i] = i;
    for (size_t i = 1; i < r->nprovinces; i++) {
        size_t v = idx[i], j = i;
        while (j > 0 && cmp_rank(&r->provinces[idx[j - 1]], &r->provinces[v],
                                 by_amount) > 0) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = v;
    }
}

struct source_ctx {
    struct rollup *r;
    struct period_range range; /* the bulletin's months */
};

static int
on_source(const struct store_submission_row *row, void *data)
{
    struct source_ctx *c = data;
    struct rollup *r = c->r;

    if (!period_in_range(row->period, c->range) ||
        (r->province != 0 && row->province != r->province))
        return 0;
    for (size_t i = 0; i < r->nsources; i++) {
        struct rollup_source *s = &r->sources[i];
        if (s->submission_id == row->id) {
            if (period_cmp(row->period, s->covers.first) < 0)
                s->covers.first = row->period;
            if (period_cmp(row->period, s->covers.last) > 0)
                s->covers.last = row->period;
            return 0;
        }
    }
    r->sources =
        xreallocarray(r->sources, r->nsources + 1, sizeof(*r->sources));
    struct rollup_source *s = &r->sources[r->nsources++];
    memset(s, 0, sizeof(*s));
    s->file = xstrdup(row->file);
    snprintf(s->sha256, sizeof(s->sha256), "%s", row->sha256);
    s->ingested_at = xstrdup(row->ingested_at);
    s->rows = row->file_rows;
    s->province = row->province;
    s->covers.first = s->covers.last = row->period;
    s->submission_id = row->id;
    if (strcmp(row->ingested_at, r->latest_ingest) > 0)
        snprintf(r->latest_ingest, sizeof(r->latest_ingest), "%s",
                 row->ingested_at);
    return 0;
}

/* The areas of the cumulative period and their sums into r. */
static int
build_regions(struct rollup *r, struct store *st, struct query *q,
              struct diag *err)
{
    struct query_result res;
    int ret = -1;

    /*
     * By area, channel, scope and use: areas, provinces and the nation all
     * come from these cells.
     */
    q->by[0] = DIM_AREA;
    q->by[1] = DIM_CHANNEL;
    q->by[2] = DIM_SCOPE;
    q->by[3] = DIM_USE;
    q->nby = 4;
    if (query_run(st, q, &res, err) < 0)
        return -1;
    for (size_t i = 0; i < res.nrows; i++) {
        const struct query_row *row = &res.rows[i];
        int area = row->key[0], prov = area / 10000 * 10000;
        int pi = find_province(r, prov);
        if (r->nareas == 0 || r->areas[r->nareas - 1].code != area) {
            r->areas =
                xreallocarray(r->areas, r->nareas + 1, sizeof(*r->areas));
            memset(&r->areas[r->nareas], 0, sizeof(*r->areas));
            r->areas[r->nareas].code = area;
            r->areas[r->nareas].province = prov;
            r->nareas++;
        }
        if (add_cell(&r->areas[r->nareas - 1], row->key + 1, row->person_times,
                     row->amount_fen, err) < 0 ||
            add_cell(&r->nation, row->key + 1, row->person_times,
                     row->amount_fen, err) < 0)
            goto out;
        if (pi < 0) {
            diag_set(err, DIAG_CONFIG,
                     _("stored area %06d belongs to no province of "
                       "data/provinces.csv"),
                     area);
            goto out;
        }
        if (add_cell(&r->provinces[pi], row->key + 1, row->person_times,
                     row->amount_fen, err) < 0)
            goto out;
    }
    ret = 0;
out:
    query_result_release(&res);
    return ret;
}

/* The monthly flows of the nation and of every province into r. */
static int
build_monthly(struct rollup *r, struct store *st, struct query *q,
              struct diag *err)
{
    struct query_result res;
    size_t np = r->nprovinces;
    int ret = -1;

    r->monthly =
        xcalloc((size_t)r->period.month * (np + 1), sizeof(*r->monthly));
    q->by[0] = DIM_PERIOD;
    q->by[1] = DIM_PROVINCE;
    q->nby = 2;
    if (query_run(st, q, &res, err) < 0)
        return -1;
    for (size_t i = 0; i < res.nrows; i++) {
        const struct query_row *row = &res.rows[i];
        int m = period_of_yyyymm(row->key[0]).month;
        int pi = find_province(r, row->key[1]);
        if (pi < 0)
            continue; /* reported by build_regions() */
        struct measures *cell = &r->monthly[(size_t)(m - 1) * (np + 1)];
        if (add(&cell[0], row->person_times, row->amount_fen, err) < 0 ||
            add(&cell[1 + pi], row->person_times, row->amount_fen, err) < 0)
            goto out;
    }
    ret = 0;
out:
    query_result_release(&res);
    return ret;
}

/*
 * The wallet's monthly flows by scope (its chart), from one query by
 * period, channel and scope.
 */
static int
build_wallet_monthly(struct rollup *r, struct store *st, struct query *q,
                     struct diag *err)
{
    struct query_result res;
    int ret = -1;

    r->wallet_monthly = xcalloc((size_t)r->period.month * CODES_MAX,
                                sizeof(*r->wallet_monthly));
    q->by[0] = DIM_PERIOD;
    q->by[1] = DIM_CHANNEL;
    q->by[2] = DIM_SCOPE;
    q->nby = 3;
    if (query_run(st, q, &res, err) < 0)
        return -1;
    for (size_t i = 0; i < res.nrows; i++) {
        const struct query_row *row = &res.rows[i];
        int m = period_of_yyyymm(row->key[0]).month, scope = row->key[2];
        if (row->key[1] != CHANNEL_WALLET)
            continue;
        if (scope < 0)
            continue; /* refused by build_regions() */
        r->has_wallet = true;
        if (add(&r->wallet_monthly[(size_t)(m - 1) * CODES_MAX + (size_t)scope],
                row->person_times, row->amount_fen, err) < 0)
            goto out;
    }
    ret = 0;
out:
    query_result_release(&res);
    return ret;
}

/* The previous year's flows month by month (r->ly_monthly). */
static int
build_last_year_monthly(struct rollup *r, struct store *st, struct diag *err)
{
    struct query q;
    struct query_result res;
    int ret = -1;

    if (r->period.year - 1 < PERIOD_MIN_YEAR)
        return 0;
    query_init(&q);
    q.codes = r->codes;
    q.range.first = (struct period){r->period.year - 1, 1};
    q.range.last = (struct period){r->period.year - 1, 12};
    where_province(&q, r->province);
    q.by[0] = DIM_PERIOD;
    q.nby = 1;
    memset(&res, 0, sizeof(res));
    if (query_run(st, &q, &res, err) < 0)
        goto out;
    for (size_t i = 0; i < res.nrows; i++) {
        int m = res.rows[i].key[0] % 100;
        if (m < 1 || m > 12)
            BUG("rollup: month %d", res.rows[i].key[0]);
        r->ly_monthly[m - 1].person_times = res.rows[i].person_times;
        r->ly_monthly[m - 1].amount_fen = res.rows[i].amount_fen;
        r->ly_stored[m - 1] = true;
    }
    ret = 0;
out:
    query_result_release(&res);
    query_release(&q);
    return ret;
}

/* What the bulletin compares with: last month's and last year's totals. */
static int
build_comparisons(struct rollup *r, struct store *st, struct diag *err)
{
    struct period p = r->period;
    bool any;

    if (p.month > 1) {
        r->has_prev = true;
        if (region_totals(st, r->codes, period_year_to_date(period_add(p, -1)),
                          r->province, &r->prev, &any, err) < 0)
            return -1;
    }
    if (region_totals(st, r->codes, (struct period_range){p, p}, r->province,
                      &r->month, &any, err) < 0)
        return -1;
    struct period pm = period_add(p, -1);
    if (pm.year >= PERIOD_MIN_YEAR) {
        if (region_totals(st, r->codes, (struct period_range){pm, pm},
                          r->province, &r->prev_month, &any, err) < 0)
            return -1;
        r->has_prev_month = any;
    }
    if (p.year - 1 >= PERIOD_MIN_YEAR) {
        if (region_totals(st, r->codes, period_year_to_date(period_add(p, -12)),
                          r->province, &r->last_year, &any, err) < 0)
            return -1;
        r->has_last_year = any;
    }
    return 0;
}

int
rollup_build(struct store *st, const struct refdata *rd, struct period p,
             int province, struct rollup *r, struct diag *err)
{
    struct query q;
    size_t np = refdata_province_count(rd);
    int ret = -1;

    memset(r, 0, sizeof(*r));
    query_init(&q);
    r->period = p;
    r->province = province;
    r->codes = refdata_codes(rd);
    q.codes = r->codes;
    r->nation.code = r->nation.province = province;
    r->nprovinces = np;
    r->provinces = xcalloc(np, sizeof(*r->provinces));
    for (size_t i = 0; i < np; i++) {
        r->provinces[i].code = refdata_province_at(rd, i)->code;
        r->provinces[i].province = r->provinces[i].code;
    }

    q.range = period_year_to_date(p);
    where_province(&q, province);
    if (build_regions(r, st, &q, err) < 0 ||
        build_monthly(r, st, &q, err) < 0 ||
        build_wallet_monthly(r, st, &q, err) < 0 ||
        build_comparisons(r, st, err) < 0 ||
        build_last_year_monthly(r, st, err) < 0)
        goto out;

    r->rank_person_times = xcalloc(np, sizeof(size_t));
    r->rank_amount = xcalloc(np, sizeof(size_t));
    rank(r, r->rank_person_times, false);
    rank(r, r->rank_amount, true);

    struct source_ctx sc = {r, period_year_to_date(p)};
    if (store_submissions(st, false, on_source, &sc, err) < 0)
        goto out;
    ret = 0;
out:
    query_release(&q);
    if (ret < 0)
        rollup_release(r);
    return ret;
}

void
rollup_release(struct rollup *r)
{
    for (size_t i = 0; i < r->nsources; i++) {
        free(r->sources[i].file);
        free(r->sources[i].ingested_at);
    }
    free(r->sources);
    free(r->provinces);
    free(r->areas);
    free(r->monthly);
    free(r->rank_person_times);
    free(r->rank_amount);
    free(r->wallet_monthly);
    memset(r, 0, sizeof(*r));
}
