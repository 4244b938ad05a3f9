/* SPDX-License-Identifier: MIT */
/*
 * aggregate/store_plan.c - what a put would do, decided before anything is
 * written (DESIGN §4: nothing stored is ever removed or replaced
 * silently): for every (province, month) of the file, the stored versions
 * it replaces, the stored areas and keys it would drop, whether the pair is
 * a stray minority of the file, and whether it shares an area with another
 * part of the same province-month.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "aggregate/store.h"
#include "aggregate/store_int.h"
#include "common/diag.h"
#include "common/xalloc.h"
#include "ingest/codes.h"
#include "ingest/submission.h"

/* Is the file's SHA-256 in effect for every pair it covers? */
static int
already_current(struct store *st, const struct submission *sf, bool *yes,
                struct diag *err)
{
    sqlite3_stmt *s = NULL;
    int rc =
        sqlite3_prepare_v2(st->db,
                           "SELECT count(*) FROM coverage c JOIN submission s "
                           "ON s.id = c.submission_id "
                           "WHERE c.replaced_by IS NULL AND s.sha256 = ?",
                           -1, &s, NULL);
    if (rc != SQLITE_OK)
        return store_error(st, err, "prepare");
    sqlite3_bind_text(s, 1, sf->sha256, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_finalize(s);
        return store_error(st, err, "query");
    }
    *yes = sqlite3_column_int64(s, 0) == (sqlite3_int64)sf->ncover;
    sqlite3_finalize(s);
    return 0;
}

static bool
store_part_replaces(const char *stored, const char *part)
{
    /*
     * A whole file replaces every part; a part replaces itself and a whole
     * version (whose other areas the plan then lists as lost).
     */
    if (part == NULL || *part == '\0')
        return true;
    return stored == NULL || *stored == '\0' || strcmp(stored, part) == 0;
}

static int
cmp_record_ptr(const void *pa, const void *pb)
{
    const struct record *const *a = pa, *const *b = pb;
    return submission_key_cmp(*a, *b);
}

/* Records ordered by (period, area) only: is an area in the file? */
static int
cmp_area_ptr(const void *pa, const void *pb)
{
    const struct record *const *a = pa, *const *b = pb;
    int c = period_cmp((*a)->period, (*b)->period);
    if (c != 0)
        return c;
    return ((*a)->area > (*b)->area) - ((*a)->area < (*b)->area);
}

/* The first of rows[0..n) (sorted by key) of month p, or after it. */
static size_t
month_bound(const struct record **rows, size_t n, struct period p, bool after)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = period_cmp(rows[mid]->period, p);
        if (c < 0 || (after && c == 0))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int
cmp_cover(const void *pa, const void *pb)
{
    const struct coverage *a = pa, *b = pb;
    if (a->province != b->province)
        return a->province < b->province ? -1 : 1;
    return period_cmp(a->period, b->period);
}

static int
cmp_loss(const void *pa, const void *pb)
{
    const struct store_loss *a = pa, *b = pb;
    if (a->pair != b->pair)
        return a->pair < b->pair ? -1 : 1;
    if (a->whole_area != b->whole_area)
        return a->whole_area ? -1 : 1;
    if (a->area != b->area)
        return a->area < b->area ? -1 : 1;
    if (a->channel != b->channel)
        return a->channel < b->channel ? -1 : 1;
    if (a->scope != b->scope)
        return a->scope < b->scope ? -1 : 1;
    if (a->use != b->use)
        return a->use < b->use ? -1 : 1;
    return (a->relation > b->relation) - (a->relation < b->relation);
}

/*
 * Mark the stray pairs of sf (see store.h) and note their rows' lines, in
 * one pass over the rows.
 */
static void
plan_strays(const struct submission *sf, struct store_plan *plan)
{
    size_t major = 0, nrows = sf->nrows;

    for (size_t i = 1; i < sf->ncover; i++)
        if (sf->cover[i].rows > sf->cover[major].rows)
            major = i;
    plan->majority = major;
    if (sf->ncover < 2 || 2 * sf->cover[major].rows <= nrows)
        return;
    for (size_t i = 0; i < sf->ncover; i++) {
        size_t r = sf->cover[i].rows;
        if (i != major && r <= STORE_STRAY_MAX_ROWS &&
            r * STORE_STRAY_SHARE < nrows) {
            plan->pair[i].stray = true;
            plan->nstray++;
        }
    }
    if (plan->nstray == 0)
        return;
    size_t *seen = xcalloc(sf->ncover, sizeof(*seen));
    for (size_t k = 0; k < nrows; k++) {
        const struct record *r = &sf->rows[k];
        struct coverage key = {r->area / 10000 * 10000, r->period, 0, 0, 0};
        const struct coverage *cv =
            bsearch(&key, sf->cover, sf->ncover, sizeof(*cv), cmp_cover);
        if (cv == NULL)
            continue;
        size_t i = (size_t)(cv - sf->cover);
        if (plan->pair[i].stray && seen[i] < STORE_STRAY_MAX_ROWS)
            plan->pair[i].stray_line[seen[i]++] = r->line;
    }
    free(seen);
}

void
store_plan_strays(const struct submission *sf, struct store_plan *plan)
{
    memset(plan, 0, sizeof(*plan));
    plan->npair = sf->ncover;
    plan->pair = xcalloc(sf->ncover ? sf->ncover : 1, sizeof(*plan->pair));
    plan_strays(sf, plan);
}

static char *
column_dup(sqlite3_stmt *s, int col)
{
    const char *t = (const char *)sqlite3_column_text(s, col);
    return xstrdup(t != NULL ? t : "");
}

/* The stored versions of pair i that the put replaces, and their totals. */
static int
plan_versions(struct store *st, sqlite3_stmt *s, const char *part,
              struct store_pair_plan *pp, struct diag *err)
{
    int rc;

    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *stored = (const char *)sqlite3_column_text(s, 0);
        if (!store_part_replaces(stored, part))
            continue;
        pp->replaced++;
        pp->old_person_times += sqlite3_column_int64(s, 1);
        pp->old_amount_fen += sqlite3_column_int64(s, 2);
        if (pp->old_file == NULL) {
            pp->old_file = column_dup(s, 3);
            pp->old_part = column_dup(s, 0);
        }
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return store_error(st, err, "read coverage");
    return 0;
}

/* Room for one more loss. */
static struct store_loss *
loss_add(struct store_plan *plan, size_t *alloc)
{
    if (plan->nloss == *alloc) {
        *alloc = *alloc ? 2 * *alloc : 16;
        plan->loss = xreallocarray(plan->loss, *alloc, sizeof(*plan->loss));
    }
    struct store_loss *l = &plan->loss[plan->nloss++];
    memset(l, 0, sizeof(*l));
    return l;
}

/*
 * Every stored fact of pair i (month per): lost (its area, or its key, not
 * in the file's rows[0..n) of that month, sorted by key) when the put
 * replaces its version; a clash when another part stores an area the file
 * has.
 */
static int
plan_facts(struct store *st, sqlite3_stmt *s, const struct codes *cs,
           const struct record **rows, size_t n, struct period per,
           const char *part, size_t i, struct store_plan *plan, size_t *alloc,
           struct diag *err)
{
    struct store_pair_plan *pp = &plan->pair[i];
    struct store_loss *area_loss = NULL; /* the last whole-area entry */
    int rc;

    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct record rec, *key = &rec;
        const char *t[4];
        int v[4];
        static const enum code_set sets[4] = {
            CODESET_SCOPE, CODESET_USE, CODESET_RELATION, CODESET_CHANNEL};

        memset(&rec, 0, sizeof(rec));
        rec.area = sqlite3_column_int(s, 0);
        rec.period = per;
        for (int c = 0; c < 4; c++) {
            t[c] = (const char *)sqlite3_column_text(s, 1 + c);
            v[c] = t[c] != NULL ? codes_parse(cs, sets[c], t[c], strlen(t[c]))
                                : -1;
        }
        const char *stored = (const char *)sqlite3_column_text(s, 7);
        int64_t pt = sqlite3_column_int64(s, 5);
        int64_t fen = sqlite3_column_int64(s, 6);
        bool area_in_file = false, key_in_file = false;

        area_in_file = n > 0 && bsearch(&key, rows, n, sizeof(*rows),
                                        cmp_area_ptr) != NULL;
        if (area_in_file && v[0] >= 0 && v[1] >= 0 && v[2] >= 0 && v[3] >= 0) {
            rec.channel = (unsigned char)v[3];
            rec.scope = (unsigned char)v[0];
            rec.use = (unsigned char)v[1];
            rec.relation = (unsigned char)v[2];
            key_in_file =
                bsearch(&key, rows, n, sizeof(*rows), cmp_record_ptr) != NULL;
        }
        if (!store_part_replaces(stored, part)) {
            if (area_in_file && pp->clash_area == 0) {
                pp->clash_area = rec.area;
                pp->clash_part = xstrdup(stored != NULL ? stored : "");
                pp->clash_file = column_dup(s, 8);
            }
            continue;
        }
        if (v[3] >= 0 && v[3] < 32 && (pt != 0 || fen != 0)) {
            pp->lost_channels |= 1u << v[3]; /* kept by lost_channels() */
            pp->chan_person_times[v[3]] += pt;
            pp->chan_amount_fen[v[3]] += fen;
        }
        if (area_in_file && (key_in_file || (pt == 0 && fen == 0)))
            continue;
        const char *file = (const char *)sqlite3_column_text(s, 8);
        if (!area_in_file && area_loss != NULL && area_loss->area == rec.area &&
            strcmp(area_loss->file, file != NULL ? file : "") == 0) {
            area_loss->rows++;
            area_loss->person_times += pt;
            area_loss->amount_fen += fen;
        } else {
            struct store_loss *l = loss_add(plan, alloc);
            l->pair = i;
            l->area = rec.area;
            l->whole_area = !area_in_file;
            l->channel = (unsigned char)(v[3] >= 0 ? v[3] : 0);
            l->scope = (unsigned char)(v[0] >= 0 ? v[0] : 0);
            l->use = (unsigned char)(v[1] >= 0 ? v[1] : 0);
            l->relation = (unsigned char)(v[2] >= 0 ? v[2] : 0);
            l->rows = 1;
            l->person_times = pt;
            l->amount_fen = fen;
            l->file = xstrdup(file != NULL ? file : "");
            area_loss = l->whole_area ? l : NULL;
            pp->nlost++;
            pp->nlost_areas += l->whole_area;
        }
        pp->lost_rows++;
        pp->lost_person_times += pt;
        pp->lost_amount_fen += fen;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return store_error(st, err, "read facts");
    return 0;
}

/*
 * pp->lost_channels holds the channels the replaced version has figures
 * in (plan_facts(), with their sums): keep those the file has no row of
 * for the province; their sums are what would be dropped.
 */
static void
lost_channels(struct store_pair_plan *pp, const struct record **rows, size_t n,
              int province)
{
    unsigned file = 0;
    for (size_t k = 0; k < n; k++)
        if (rows[k]->area / 10000 * 10000 == province && rows[k]->channel < 32)
            file |= 1u << rows[k]->channel;
    pp->lost_channels &= ~file;
    for (int c = 0; c < 32; c++)
        if (pp->lost_channels >> c & 1) {
            pp->lost_channel_person_times += pp->chan_person_times[c];
            pp->lost_channel_amount_fen += pp->chan_amount_fen[c];
        }
}

int
store_plan(struct store *st, const struct submission *sf,
           const struct store_put_opts *opts, struct store_plan *plan,
           struct diag *err)
{
    static const char cov_sql[] =
        "SELECT c.part, c.person_times, c.amount_fen, s.file FROM coverage c "
        "JOIN submission s ON s.id = c.submission_id WHERE c.province = ?1 "
        "AND c.period = ?2 AND c.replaced_by IS NULL ORDER BY s.id";
    static const char fact_sql[] =
        "SELECT f.area, f.scope, f.use, f.relation, f.channel, "
        "f.person_times, f.amount_fen, c.part, s.file FROM fact f "
        "JOIN coverage c "
        "ON c.submission_id = f.submission_id AND c.province = f.province "
        "AND c.period = f.period AND c.replaced_by IS NULL "
        "JOIN submission s ON s.id = f.submission_id "
        "WHERE f.period = ?2 AND f.area BETWEEN ?1 AND ?1 + 9999 "
        "AND f.province = ?1 "
        "ORDER BY f.area, f.submission_id, f.channel, f.scope, f.use, "
        "f.relation";
    const char *part = opts != NULL ? opts->part : NULL;
    bool replace = opts != NULL && opts->replace;
    sqlite3_stmt *cov = NULL, *fact = NULL;
    const struct record **bykey = NULL;
    size_t alloc = 0;
    bool same = false;
    int ret = -1;

    memset(plan, 0, sizeof(*plan));
    if (already_current(st, sf, &same, err) < 0)
        return -1;
    if (same) {
        plan->unchanged = true;
        return 0;
    }
    plan->npair = sf->ncover;
    plan->pair = xcalloc(sf->ncover ? sf->ncover : 1, sizeof(*plan->pair));
    plan_strays(sf, plan);

    /* the file's rows by key; per pair, the slice of its period */
    size_t n = sf->nrows;
    bykey = xreallocarray(NULL, n ? n : 1, sizeof(*bykey));
    for (size_t k = 0; k < n; k++)
        bykey[k] = &sf->rows[k];
    /* key order is (period, area, ...): an area's rows are together */
    qsort(bykey, n, sizeof(*bykey), cmp_record_ptr);

    if (sqlite3_prepare_v2(st->db, cov_sql, -1, &cov, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(st->db, fact_sql, -1, &fact, NULL) != SQLITE_OK) {
        store_error(st, err, "prepare");
        goto out;
    }
    for (size_t i = 0; i < sf->ncover; i++) {
        const struct coverage *cv = &sf->cover[i];
        char per[PERIOD_LABEL_MAX];
        size_t lo, hi;

        /* the file's rows of this month: [lo, hi) of bykey */
        lo = month_bound(bykey, n, cv->period, false);
        hi = month_bound(bykey, n, cv->period, true);
        period_format(per, sizeof(per), cv->period);
        sqlite3_bind_int(cov, 1, cv->province);
        sqlite3_bind_text(cov, 2, per, -1, SQLITE_TRANSIENT);
        if (plan_versions(st, cov, part, &plan->pair[i], err) < 0)
            goto out;
        sqlite3_bind_int(fact, 1, cv->province);
        sqlite3_bind_text(fact, 2, per, -1, SQLITE_TRANSIENT);
        if (plan_facts(st, fact, sf->codes, bykey + lo, hi - lo, cv->period,
                       part, i, plan, &alloc, err) < 0)
            goto out;
        lost_channels(&plan->pair[i], bykey + lo, hi - lo, cv->province);
        const struct store_pair_plan *pp = &plan->pair[i];
        plan->nlosing += pp->nlost_areas > 0 || pp->lost_channels != 0;
        plan->nclash += pp->clash_area != 0;
    }
    if (plan->nloss > 0)
        qsort(plan->loss, plan->nloss, sizeof(*plan->loss), cmp_loss);
    plan->refused =
        plan->nclash > 0 || (!replace && (plan->nstray + plan->nlosing) > 0);
    ret = 0;
out:
    sqlite3_finalize(cov);
    sqlite3_finalize(fact);
    free(bykey);
    return ret;
}

void
store_plan_release(struct store_plan *plan)
{
    for (size_t i = 0; i < plan->npair; i++) {
        free(plan->pair[i].old_file);
        free(plan->pair[i].old_part);
        free(plan->pair[i].clash_part);
        free(plan->pair[i].clash_file);
    }
    for (size_t i = 0; i < plan->nloss; i++)
        free(plan->loss[i].file);
    free(plan->pair);
    free(plan->loss);
    memset(plan, 0, sizeof(*plan));
}
