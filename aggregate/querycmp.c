/* SPDX-License-Identifier: MIT */
/*
 * aggregate/querycmp.c - the bases of 同比 and 环比 (query_compare(),
 * aggregate/query.h): the same query over shifted months, matched to the
 * result's rows by key.  One query per base (two when the total's base
 * differs from the rows'), never one per row.
 */
#include <stdlib.h>
#include <string.h>

#include "aggregate/query.h"
#include "aggregate/store.h"
#include "common/diag.h"
#include "common/xalloc.h"

/* Rows compare by every key slot: unused slots are zeroed first (clear). */
static int
cmp_rows(const void *pa, const void *pb)
{
    const struct query_row *a = pa, *b = pb;
    for (size_t i = 0; i < DIM_N; i++)
        if (a->key[i] != b->key[i])
            return a->key[i] < b->key[i] ? -1 : 1;
    return 0;
}

/* Zero the key slots from nby on (query_run leaves them unspecified). */
static void
clear_tail(struct query_row *row, size_t nby)
{
    for (size_t i = nby; i < DIM_N; i++)
        row->key[i] = 0;
}

static int
months_of(struct period_range r)
{
    return period_index(r.last) - period_index(r.first) + 1;
}

/* r moved back by n months; false when it starts before PERIOD_MIN_YEAR. */
static bool
shift_back(struct period_range r, int n, struct period_range *out)
{
    int first = period_index(r.first) - n;
    if (first < period_index((struct period){PERIOD_MIN_YEAR, 1}))
        return false;
    out->first = period_from_index(first);
    out->last = period_from_index(period_index(r.last) - n);
    return true;
}

/*
 * Run q over its months shifted back by n into *b (the keys as the base
 * query gives them), with has[] (months_of(range) entries) telling which
 * months are stored.  *ok is false when the shifted range is before
 * PERIOD_MIN_YEAR (nothing is known).
 */
static int
run_shifted(struct store *st, const struct query *q, int n, size_t nby,
            struct query_result *b, bool **has, bool *ok, struct diag *err)
{
    struct query q2 = *q;
    int *wp = NULL, ret = -1;

    memset(b, 0, sizeof(*b));
    *has = NULL;
    *ok = shift_back(q->range, n, &q2.range);
    if (!*ok)
        return 0;
    q2.nby = nby;
    q2.top = 0;
    q2.sort = QSORT_KEY;
    q2.channels = false;
    if (q->where[DIM_PERIOD] != NULL) {
        size_t nw = q->nwhere[DIM_PERIOD];
        wp = xreallocarray(NULL, nw ? nw : 1, sizeof(*wp));
        for (size_t i = 0; i < nw; i++)
            wp[i] = period_to_yyyymm(
                period_add(period_of_yyyymm(q->where[DIM_PERIOD][i]), -n));
        q2.where[DIM_PERIOD] = wp;
    }
    *has = xcalloc((size_t)months_of(q2.range), sizeof(**has));
    if (query_run(st, &q2, b, err) < 0 ||
        store_months_stored(st, q2.range, *has, err) < 0)
        goto out;
    ret = 0;
out:
    free(wp);
    if (ret < 0) {
        free(*has);
        *has = NULL;
        query_result_release(b);
    }
    return ret;
}

static bool
all_stored(const bool *has, int n)
{
    for (int i = 0; i < n; i++)
        if (!has[i])
            return false;
    return true;
}

int
query_compare(struct store *st, const struct query *q, enum query_cmp c,
              struct query_result *res, struct diag *err)
{
    struct query_result b, bt;
    bool *has = NULL, *has_t = NULL, ok, ok_t;
    int ps = -1, len = months_of(q->range), ret = -1;

    memset(&bt, 0, sizeof(bt));
    for (size_t i = 0; i < q->nby; i++)
        if (q->by[i] == DIM_PERIOD)
            ps = (int)i;
    /* the total is the whole range's; rows with period the month's */
    int shift_total = c == QCMP_YOY ? 12 : len;
    int shift = ps >= 0 && c == QCMP_MOM ? 1 : shift_total;

    if (run_shifted(st, q, shift, q->nby, &b, &has, &ok, err) < 0)
        return -1;
    struct period_range br = q->range;
    if (ok)
        shift_back(q->range, shift, &br);
    /* back to the result's months, then ordered for bsearch */
    for (size_t i = 0; i < b.nrows; i++) {
        clear_tail(&b.rows[i], q->nby);
        if (ps >= 0)
            b.rows[i].key[ps] = period_to_yyyymm(
                period_add(period_of_yyyymm(b.rows[i].key[ps]), shift));
    }
    qsort(b.rows, b.nrows, sizeof(*b.rows), cmp_rows);

    free(res->base[c]);
    res->base[c] = xcalloc(res->nrows ? res->nrows : 1, sizeof(**res->base));
    bool every = ok && all_stored(has, months_of(br));
    for (size_t i = 0; i < res->nrows; i++) {
        struct query_base *o = &res->base[c][i];
        const struct query_row *row = &res->rows[i];
        if (!ok)
            continue;
        if (ps >= 0) {
            struct period m =
                period_add(period_of_yyyymm(row->key[ps]), -shift);
            o->known = has[period_index(m) - period_index(br.first)];
        } else {
            o->known = every;
        }
        struct query_row probe = *row;
        clear_tail(&probe, q->nby);
        struct query_row *hit =
            bsearch(&probe, b.rows, b.nrows, sizeof(*b.rows), cmp_rows);
        if (hit != NULL) {
            o->person_times = hit->person_times;
            o->amount_fen = hit->amount_fen;
        }
    }

    struct query_base *t = &res->base_total[c];
    memset(t, 0, sizeof(*t));
    if (shift == shift_total) {
        t->known = every;
        t->person_times = b.total_person_times;
        t->amount_fen = b.total_amount_fen;
    } else {
        if (run_shifted(st, q, shift_total, 0, &bt, &has_t, &ok_t, err) < 0)
            goto out;
        t->known = ok_t && all_stored(has_t, len);
        t->person_times = bt.total_person_times;
        t->amount_fen = bt.total_amount_fen;
    }
    ret = 0;
out:
    free(has);
    free(has_t);
    query_result_release(&b);
    query_result_release(&bt);
    return ret;
}
