/* SPDX-License-Identifier: MIT */
#include "aggregate/revisions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate/query.h"
#include "aggregate/store.h"
#include "common/diag.h"
#include "common/xalloc.h"
#include "ingest/refdata.h"

/* ---------------------------------------------------------------------- */
/* The completeness gate                                                  */
/* ---------------------------------------------------------------------- */

struct cover_ctx {
    const struct refdata *rd;
    struct period_range r;
    size_t nmonths;
    bool *has; /* [province index * nmonths + month index] */
};

static int
on_cover(const struct store_submission_row *row, void *ctx)
{
    struct cover_ctx *c = ctx;
    const struct province *p = refdata_province(c->rd, row->province);
    int m = period_index(row->period) - period_index(c->r.first);
    if (p != NULL && m >= 0 && (size_t)m < c->nmonths)
        c->has[(size_t)p->order * c->nmonths + (size_t)m] = true;
    return 0;
}

int
revisions_missing(struct store *st, const struct refdata *rd,
                  struct period_range r, int province, struct pm **out,
                  size_t *n, struct diag *err)
{
    size_t np = refdata_province_count(rd);
    struct cover_ctx c = {rd, r, 0, NULL};

    *out = NULL;
    *n = 0;
    c.nmonths = (size_t)(period_index(r.last) - period_index(r.first) + 1);
    c.has = xcalloc(np * c.nmonths, sizeof(*c.has));
    if (store_submissions(st, false, on_cover, &c, err) < 0) {
        free(c.has);
        return -1;
    }
    for (size_t i = 0; i < np; i++) {
        const struct province *p = refdata_province_at(rd, i);
        if (province != 0 && p->code != province)
            continue;
        for (size_t m = 0; m < c.nmonths; m++) {
            if (c.has[(size_t)p->order * c.nmonths + m])
                continue;
            *out = xreallocarray(*out, *n + 1, sizeof(**out));
            struct pm *pm = &(*out)[(*n)++];
            memset(pm, 0, sizeof(*pm));
            pm->province = p->code;
            pm->period = period_add(r.first, (int)m);
        }
    }
    free(c.has);
    return 0;
}

/* ---------------------------------------------------------------------- */
/* Revisions since a vintage                                              */
/* ---------------------------------------------------------------------- */

struct since_ctx {
    int64_t since;
    struct period_range r;
    int province;
    struct pm *list;
    size_t n;
};

/* The entry of (province, period), appended when new. */
static struct pm *
entry(struct since_ctx *c, int province, struct period p)
{
    if (c->n > 0) {
        struct pm *last = &c->list[c->n - 1];
        if (last->province == province && period_cmp(last->period, p) == 0)
            return last;
    }
    c->list = xreallocarray(c->list, c->n + 1, sizeof(*c->list));
    struct pm *e = &c->list[c->n++];
    memset(e, 0, sizeof(*e));
    e->province = province;
    e->period = p;
    return e;
}

static int
on_history(const struct store_submission_row *row, void *ctx)
{
    struct since_ctx *c = ctx;
    if (c->province != 0 && row->province != c->province)
        return 0;
    if (period_cmp(row->period, c->r.first) < 0 ||
        period_cmp(row->period, c->r.last) > 0)
        return 0;
    /*
     * Rows come by province, period, submission.  In effect at since:
     * stored by then and not replaced by then; in effect now: not
     * replaced (at the store's vintage).
     */
    bool then = row->id <= c->since &&
                (row->replaced_by == 0 || row->replaced_by > c->since);
    bool now = row->replaced_by == 0;
    if (!then && !(now && row->id > c->since))
        return 0;
    struct pm *e = entry(c, row->province, row->period);
    if (then) {
        e->revised = true;
        e->old_person_times += row->person_times;
        e->old_amount_fen += row->amount_fen;
    }
    if (now) {
        e->person_times += row->person_times;
        e->amount_fen += row->amount_fen;
        if (row->id > e->submission_id) {
            e->submission_id = row->id;
            snprintf(e->file, sizeof(e->file), "%s", row->file);
            snprintf(e->ingested_at, sizeof(e->ingested_at), "%s",
                     row->ingested_at);
        }
    }
    return 0;
}

static const enum dim all_dims[] = {DIM_PROVINCE, DIM_PERIOD, DIM_AREA,
                                    DIM_CHANNEL,  DIM_SCOPE,  DIM_USE,
                                    DIM_RELATION};
static const enum dim key_dims[] = {DIM_PROVINCE, DIM_PERIOD, DIM_CHANNEL,
                                    DIM_SCOPE, DIM_USE};

/*
 * The facts of the provinces of list[0..n) over r, at vintage v, grouped
 * by[0..nby) (province and period first).
 */
static int
facts_at(struct store *st, int64_t v, struct period_range r,
         const struct pm *list, size_t n, const enum dim *by, size_t nby,
         struct query_result *res, struct diag *err)
{
    struct query q;
    int64_t was = store_vintage(st);
    int ret;

    memset(res, 0, sizeof(*res));
    query_init(&q);
    q.range = r;
    for (size_t i = 0; i < nby; i++)
        q.by[q.nby++] = by[i];
    q.where[DIM_PROVINCE] = xreallocarray(NULL, n + 1, sizeof(int));
    for (size_t i = 0; i < n; i++)
        if (i == 0 || list[i].province != list[i - 1].province)
            q.where[DIM_PROVINCE][q.nwhere[DIM_PROVINCE]++] = list[i].province;
    store_set_vintage(st, v);
    ret = query_run(st, &q, res, err);
    store_set_vintage(st, was);
    query_release(&q);
    return ret;
}

static int
cmp_key(const int *a, const int *b)
{
    for (int i = 0; i < DIM_N; i++)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return 0;
}

static int
cmp_rows(const void *a, const void *b)
{
    return cmp_key(((const struct query_row *)a)->key,
                   ((const struct query_row *)b)->key);
}

/* Both results in plain key order (query_run's puts 660000 last), for a
 * walk side by side. */
static void
sort_both(struct query_result *a, struct query_result *b)
{
    if (a->nrows > 1)
        qsort(a->rows, a->nrows, sizeof(*a->rows), cmp_rows);
    if (b->nrows > 1)
        qsort(b->rows, b->nrows, sizeof(*b->rows), cmp_rows);
}

/* The entry of list[0..n) for (province, yyyymm), or NULL. */
static struct pm *
find(struct pm *list, size_t n, int province, int yyyymm)
{
    for (size_t i = 0; i < n; i++)
        if (list[i].province == province &&
            period_to_yyyymm(list[i].period) == yyyymm)
            return &list[i];
    return NULL;
}

static bool
in_list(const struct pm *list, size_t n, int province, int yyyymm)
{
    for (size_t i = 0; i < n; i++)
        if (list[i].province == province &&
            period_to_yyyymm(list[i].period) == yyyymm)
            return true;
    return false;
}

/*
 * Mark the entries whose facts differ between the vintages `since` and
 * the store's: both sets of facts, ordered by key (query_run orders by key
 * when not ranking), walked side by side.
 */
/* Called for every key of either side; NULL for a side without it. */
typedef void side_fn(const struct query_row *was, const struct query_row *now,
                     void *ctx);

/*
 * The facts of the provinces of list[0..n) over r grouped by[0..nby) at
 * `since` and at the store's vintage, walked side by side in key order:
 * fn() once per key.  Vintage 0 is the store as it is, so before the
 * first submission (since 0) nothing was stored.  0, or -1.
 */
static int
compare_vintages(struct store *st, int64_t since, struct period_range r,
                 const struct pm *list, size_t n, const enum dim *by,
                 size_t nby, side_fn *fn, void *ctx, struct diag *err)
{
    struct query_result a, b;
    int ret = -1;

    memset(&a, 0, sizeof(a));
    memset(&b, 0, sizeof(b));
    if (n == 0)
        return 0;
    if ((since > 0 && facts_at(st, since, r, list, n, by, nby, &a, err) < 0) ||
        facts_at(st, store_vintage(st), r, list, n, by, nby, &b, err) < 0)
        goto out;
    sort_both(&a, &b);
    size_t i = 0, j = 0;
    while (i < a.nrows || j < b.nrows) {
        int c = i == a.nrows   ? 1
                : j == b.nrows ? -1
                               : cmp_key(a.rows[i].key, b.rows[j].key);
        fn(c <= 0 ? &a.rows[i] : NULL, c >= 0 ? &b.rows[j] : NULL, ctx);
        if (c <= 0)
            i++;
        if (c >= 0)
            j++;
    }
    ret = 0;
out:
    query_result_release(&a);
    query_result_release(&b);
    return ret;
}

static bool
row_differs(const struct query_row *was, const struct query_row *now)
{
    return was == NULL || now == NULL ||
           was->person_times != now->person_times ||
           was->amount_fen != now->amount_fen;
}

struct mark_ctx {
    struct pm *list;
    size_t n;
};

static void
on_mark(const struct query_row *was, const struct query_row *now, void *ctx)
{
    struct mark_ctx *m = ctx;
    const struct query_row *row = was != NULL ? was : now;
    if (!row_differs(was, now))
        return;
    struct pm *e = find(m->list, m->n, row->key[0], row->key[1]);
    if (e != NULL)
        e->changed = true;
}

/* Mark the entries whose facts differ between `since` and now. */
static int
mark_changed(struct store *st, int64_t since, struct period_range r,
             struct pm *list, size_t n, struct diag *err)
{
    struct mark_ctx m = {list, n};
    return compare_vintages(st, since, r, list, n, all_dims,
                            sizeof(all_dims) / sizeof(all_dims[0]), on_mark, &m,
                            err);
}

int
revisions_since(struct store *st, int64_t since, struct period_range r,
                int province, struct pm **out, size_t *n, struct diag *err)
{
    struct since_ctx c = {since, r, province, NULL, 0};

    *out = NULL;
    *n = 0;
    if (store_submissions(st, true, on_history, &c, err) < 0) {
        free(c.list);
        return -1;
    }
    /* keep the pairs a submission after `since` changed */
    size_t k = 0;
    for (size_t i = 0; i < c.n; i++)
        if (c.list[i].submission_id > since)
            c.list[k++] = c.list[i];
    if (k == 0) {
        free(c.list);
        c.list = NULL;
    }
    if (mark_changed(st, since, r, c.list, k, err) < 0) {
        free(c.list);
        return -1;
    }
    *out = c.list;
    *n = k;
    return 0;
}

struct keys_ctx {
    const struct pm *list;
    size_t n;
    struct key_change *out;
    size_t nout;
};

static void
on_key(const struct query_row *was, const struct query_row *now, void *ctx)
{
    struct keys_ctx *kc = ctx;
    const struct query_row *row = was != NULL ? was : now;
    if (!row_differs(was, now) ||
        !in_list(kc->list, kc->n, row->key[0], row->key[1]))
        return;
    struct key_change k;
    memset(&k, 0, sizeof(k));
    k.province = row->key[0];
    k.period = period_of_yyyymm(row->key[1]);
    k.channel = row->key[2];
    k.scope = row->key[3];
    k.use = row->key[4];
    if (was != NULL) {
        k.old_person_times = was->person_times;
        k.old_amount_fen = was->amount_fen;
    }
    if (now != NULL) {
        k.person_times = now->person_times;
        k.amount_fen = now->amount_fen;
    }
    kc->out = xreallocarray(kc->out, kc->nout + 1, sizeof(*kc->out));
    kc->out[kc->nout++] = k;
}

int
revisions_key_changes(struct store *st, int64_t since, struct period_range r,
                      const struct pm *list, size_t n, struct key_change **out,
                      size_t *nout, struct diag *err)
{
    struct keys_ctx kc = {list, n, NULL, 0};
    int ret = compare_vintages(st, since, r, list, n, key_dims,
                               sizeof(key_dims) / sizeof(key_dims[0]), on_key,
                               &kc, err);
    if (ret < 0) {
        free(kc.out);
        kc.out = NULL;
        kc.nout = 0;
    }
    *out = kc.out;
    *nout = kc.nout;
    return ret;
}
