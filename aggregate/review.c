/* SPDX-License-Identifier: MIT */
#include "aggregate/review.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate/query.h"
#include "aggregate/store.h"
#include "common/diag.h"
#include "common/i18n.h"
#include "common/money.h"
#include "common/sbuf.h"
#include "common/xalloc.h"
#include "ingest/codes.h"
#include "ingest/refdata.h"

/* ******************************************************************** */
/* The findings list                                                    */
/* ******************************************************************** */

static const char *const check_codes[RC_N] = {
    [RC_MISSING] = "missing",
    [RC_COVERAGE_MISMATCH] = "coverage_mismatch",
    [RC_CHANNEL_SUM] = "channel_sum",
    [RC_SCOPE_SUM] = "scope_sum",
    [RC_CUMULATIVE_SUM] = "cumulative_sum",
    [RC_JUMP_MOM] = "jump_mom",
    [RC_JUMP_YOY] = "jump_yoy",
    [RC_AVG_AMOUNT] = "avg_amount",
    [RC_CROSS_SHARE] = "cross_share",
    [RC_FLOW_STOPPED] = "flow_stopped",
    [RC_FLOW_STARTED] = "flow_started",
    [RC_REVISED] = "revised",
    [RC_PUBLISHED_REVISED] = "published_revised",
    [RC_CUMULATIVE_FALL] = "cumulative_fall",
};

const char *
review_check_code(enum review_check c)
{
    if ((unsigned)c >= RC_N)
        BUG("bad review check %d", (int)c);
    return check_codes[c];
}

void
review_result_recount(struct review_result *res)
{
    review_list_sort(&res->findings);
    memset(res->count, 0, sizeof(res->count));
    for (size_t i = 0; i < res->findings.n; i++)
        res->count[res->findings.v[i].severity]++;
}

const char *
review_severity_code(enum review_severity s)
{
    return s == REVIEW_ERROR     ? "error"
           : s == REVIEW_WARNING ? "warning"
                                 : "info";
}

const char *
review_measure_code(enum review_measure m)
{
    static const char *const names[RM_N] = {
        "", "person_times", "amount", "amount_per_person_time", "cross_share",
    };
    if ((unsigned)m >= RM_N)
        BUG("bad review measure %d", (int)m);
    return names[m];
}

void
review_list_init(struct review_list *l)
{
    memset(l, 0, sizeof(*l));
}

void
review_list_release(struct review_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].files);
        free(l->v[i].figure);
        free(l->v[i].figure_label);
    }
    free(l->v);
    review_list_init(l);
}

struct review_finding *
review_list_append(struct review_list *l, const struct review_finding *f)
{
    if (l->n == l->alloc) {
        l->alloc = l->alloc ? 2 * l->alloc : 64;
        l->v = xreallocarray(l->v, l->alloc, sizeof(*l->v));
    }
    struct review_finding *d = &l->v[l->n++];
    *d = *f;
    d->files = f->files != NULL ? xstrdup(f->files) : NULL;
    d->figure = f->figure != NULL ? xstrdup(f->figure) : NULL;
    d->figure_label = f->figure_label != NULL ? xstrdup(f->figure_label) : NULL;
    return d;
}

/* Province code order, 660000 (the Corps) last as everywhere. */
static int
place_key(int code)
{
    return code / 10000 == 66 ? code + 1000000 : code;
}

static int
cmp_int(int a, int b)
{
    return a < b ? -1 : a > b;
}

static int
cmp_finding(const void *pa, const void *pb)
{
    const struct review_finding *a = pa, *b = pb;
    int c;
    if (a->severity != b->severity)
        return a->severity > b->severity ? -1 : 1;
    if ((c = cmp_int(place_key(a->province), place_key(b->province))) != 0 ||
        (c = cmp_int(a->area, b->area)) != 0 ||
        (c = cmp_int(a->period, b->period)) != 0 ||
        (c = cmp_int((int)a->check, (int)b->check)) != 0 ||
        (c = cmp_int(a->channel, b->channel)) != 0 ||
        (c = cmp_int(a->use, b->use)) != 0 ||
        (c = cmp_int(a->scope, b->scope)) != 0 ||
        (c = cmp_int((int)a->measure, (int)b->measure)) != 0)
        return c;
    return 0;
}

void
review_list_sort(struct review_list *l)
{
    if (l->n > 1)
        qsort(l->v, l->n, sizeof(*l->v), cmp_finding);
}

/* ******************************************************************** */
/* Robust statistics                                                    */
/* ******************************************************************** */

/*
 * The k-th smallest of v[0..n) (Hoare's selection, v reordered): a
 * median is computed for every series and month, and a sort of each
 * history was most of review's own time.
 */
static double
select_kth(double *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        double pivot = v[lo + (hi - lo) / 2];
        size_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j) {
                double t = v[i];
                v[i] = v[j];
                v[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            return v[k];
    }
    return v[k];
}

double
review_median(double *v, size_t n)
{
    if (n == 0)
        BUG("median of nothing");
    double hi = select_kth(v, n, n / 2);
    if (n % 2)
        return hi;
    /* the lower middle is the largest of the part below n / 2 */
    double lo = v[0];
    for (size_t i = 1; i < n / 2; i++)
        lo = v[i] > lo ? v[i] : lo;
    return (lo + hi) / 2;
}

double
review_mad(double *v, size_t n, double med)
{
    for (size_t i = 0; i < n; i++)
        v[i] = fabs(v[i] - med);
    return review_median(v, n);
}

double
review_robust_z(double x, double *v, size_t n, double floor, double *med,
                double *spread)
{
    *med = review_median(v, n);
    double s = REVIEW_MAD_SCALE * review_mad(v, n, *med);
    *spread = s > floor ? s : floor;
    return (x - *med) / *spread;
}

bool
review_season_month(int month)
{
    return month >= 8 || month <= 3;
}

/*
 * A month whose level is in the premium season: September..February and
 * August, where collection may start early.
 */
static bool
season_level(int month)
{
    return month >= 8 || month <= 2;
}

/* ******************************************************************** */
/* The data of one review                                               */
/* ******************************************************************** */

struct pair {
    bool present;            /* something in effect */
    int64_t cov_pt, cov_fen; /* what the submissions recorded */
    char *ingested_at;       /* the latest part's (owned) */
    struct sbuf files;
};

struct rv {
    const struct refdata *rd;
    const struct codes *cs;
    const struct review_opts *o;
    struct review_result *res;
    int m0, nm;       /* month index of [0], months held */
    int p0, p1;       /* the period's months, as offsets from m0 */
    size_t nreg;      /* regions: provinces and areas, sorted codes */
    int *reg;         /* their codes */
    size_t *reg_prov; /* the region of each region's province */
    int nch, nuse, nscope, nslice;
    int64_t *cnt, *amt;     /* [(reg * nslice + slice) * nm + month] */
    int64_t *cross;         /* [reg * nm + month]: cross-area counts */
    int64_t *chsum, *scsum; /* [reg * nm + month] * 2: known channels' and
                               scopes' count and amount sums */
    struct pair *pairs;     /* [reg * nm + month], provinces only */
};

static size_t
reg_find(const struct rv *v, int code)
{
    size_t lo = 0, hi = v->nreg;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (v->reg[mid] < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == v->nreg || v->reg[lo] != code)
        BUG("region %06d not indexed", code);
    return lo;
}

static int
cmp_code(const void *pa, const void *pb)
{
    return cmp_int(*(const int *)pa, *(const int *)pb);
}

static size_t
at(const struct rv *v, size_t reg, int slice, int m)
{
    return ((reg * (size_t)v->nslice) + (size_t)slice) * (size_t)v->nm +
           (size_t)m;
}

static int
add_to(int64_t *a, int64_t x, struct diag *err)
{
    if (fx_add(*a, x, a) < 0)
        return diag_set(err, DIAG_DATA, _("a review sum overflows 64 bits"));
    return 0;
}

/* The coverage in effect: present, recorded totals, arrival, files. */
struct cov_ctx {
    struct rv *v;
    struct diag *err;
    int failed;
};

static int
on_coverage(const struct store_submission_row *row, void *ctx)
{
    struct cov_ctx *c = ctx;
    struct rv *v = c->v;
    int m = period_index(row->period) - v->m0;
    if (row->period.year == 0 || m < 0 || m >= v->nm)
        return 0;
    int *hit = bsearch(&row->province, v->reg, v->nreg, sizeof(int), cmp_code);
    if (hit == NULL)
        return 0;
    struct pair *p =
        &v->pairs[(size_t)(hit - v->reg) * (size_t)v->nm + (size_t)m];
    p->present = true;
    if (add_to(&p->cov_pt, row->person_times, c->err) < 0 ||
        add_to(&p->cov_fen, row->amount_fen, c->err) < 0) {
        c->failed = 1;
        return 1;
    }
    if (m >= v->p0 && m <= v->p1) {
        const char *at_ = row->ingested_at != NULL ? row->ingested_at : "";
        if (p->ingested_at == NULL || strcmp(at_, p->ingested_at) > 0) {
            free(p->ingested_at);
            p->ingested_at = xstrdup(at_);
        }
        if (row->file != NULL) {
            if (p->files.len > 0)
                sbuf_addch(&p->files, ';');
            sbuf_addstr(&p->files, row->file);
        }
    }
    return 0;
}

/*
 * Index the regions: every area with facts, its province, every expected
 * province.
 */
static void
index_regions(struct rv *v, const struct query_result *qr)
{
    size_t cap = qr->nrows + refdata_province_count(v->rd) + 1, n = 0;
    int *codes = xcalloc(cap, sizeof(*codes));
    for (size_t i = 0; i < refdata_province_count(v->rd); i++)
        codes[n++] = refdata_province_at(v->rd, i)->code;
    int last = -1;
    for (size_t i = 0; i < qr->nrows; i++) {
        int a = qr->rows[i].key[1];
        if (a == last)
            continue;
        last = a;
        if (n + 2 > cap) {
            cap *= 2;
            codes = xreallocarray(codes, cap, sizeof(*codes));
        }
        codes[n++] = a;
        codes[n++] = a / 10000 * 10000;
    }
    qsort(codes, n, sizeof(*codes), cmp_code);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || codes[k - 1] != codes[i])
            codes[k++] = codes[i];
    v->reg = codes;
    v->nreg = k;
    v->reg_prov = xcalloc(k ? k : 1, sizeof(*v->reg_prov));
    for (size_t i = 0; i < k; i++)
        v->reg_prov[i] = reg_find(v, codes[i] / 10000 * 10000);
}

/* Add one grouped cell to its area and to its province. */
static int
add_cell(struct rv *v, const struct query_row *row, struct diag *err)
{
    int m = period_index(period_of_yyyymm(row->key[0])) - v->m0;
    if (row->key[0] == 0 || m < 0 || m >= v->nm)
        return 0; /* an unreadable period: the cumulative check sees it */
    int ch = row->key[2], sc = row->key[3], use = row->key[4];
    size_t regs[2];
    regs[0] = reg_find(v, row->key[1]);
    regs[1] = v->reg_prov[regs[0]];
    for (int k = 0; k < 2; k++) {
        size_t r = regs[k];
        int slices[3] = {0, -1, -1};
        if (ch >= 0 && ch < v->nch)
            slices[1] = 1 + ch;
        if (use >= 0 && use < v->nuse)
            slices[2] = 1 + v->nch + use;
        for (int s = 0; s < 3; s++) {
            if (slices[s] < 0)
                continue;
            size_t i = at(v, r, slices[s], m);
            if (add_to(&v->cnt[i], row->person_times, err) < 0 ||
                add_to(&v->amt[i], row->amount_fen, err) < 0)
                return -1;
        }
        size_t j = r * (size_t)v->nm + (size_t)m;
        if ((sc == SCOPE_CROSS_AREA || sc == SCOPE_CROSS_PROVINCE) &&
            add_to(&v->cross[j], row->person_times, err) < 0)
            return -1;
        if (ch >= 0 && ch < v->nch &&
            (add_to(&v->chsum[2 * j], row->person_times, err) < 0 ||
             add_to(&v->chsum[2 * j + 1], row->amount_fen, err) < 0))
            return -1;
        if (sc >= 0 && sc < v->nscope &&
            (add_to(&v->scsum[2 * j], row->person_times, err) < 0 ||
             add_to(&v->scsum[2 * j + 1], row->amount_fen, err) < 0))
            return -1;
    }
    return 0;
}

static bool
wanted(const struct rv *v, int code)
{
    return v->o->province == 0 || code / 10000 * 10000 == v->o->province;
}

static const struct pair *
pair_of(const struct rv *v, size_t reg, int m)
{
    return &v->pairs[v->reg_prov[reg] * (size_t)v->nm + (size_t)m];
}

static bool
present(const struct rv *v, size_t reg, int m)
{
    return m >= 0 && m < v->nm && pair_of(v, reg, m)->present;
}

/* A finding at region reg, month offset m, with the province-month's files. */
static void
finding_at(const struct rv *v, struct review_finding *f, size_t reg, int m)
{
    int code = v->reg[reg];
    memset(f, 0, sizeof(*f));
    f->province = code / 10000 * 10000;
    f->area = code % 10000 ? code : 0;
    f->period = period_to_yyyymm(period_from_index(v->m0 + m));
    f->channel = f->use = f->scope = -1;
    f->ratio = (double)NAN;
    const struct pair *p = pair_of(v, reg, m);
    f->files = p->files.len ? p->files.buf : NULL;
}

static void
push(struct rv *v, const struct review_finding *f)
{
    review_list_append(&v->res->findings, f);
}

/* ******************************************************************** */
/* Completeness and arithmetic                                          */
/* ******************************************************************** */

static void
check_matrix(struct rv *v)
{
    struct review_result *res = v->res;
    for (size_t i = 0; i < refdata_province_count(v->rd); i++) {
        int code = refdata_province_at(v->rd, i)->code;
        if (wanted(v, code))
            res->provinces[res->nprovinces++] = code;
    }
    for (size_t i = 0; i < res->nprovinces; i++) {
        size_t r = reg_find(v, res->provinces[i]);
        for (int m = v->p0; m <= v->p1; m++) {
            const struct pair *p = pair_of(v, r, m);
            struct review_cell *c =
                &res->cells[i * res->nmonths + (size_t)(m - v->p0)];
            if (p->present) {
                c->ingested_at = xstrdup(p->ingested_at ? p->ingested_at : "");
                c->files = xstrdup(p->files.len ? p->files.buf : "");
                continue;
            }
            struct review_finding f;
            finding_at(v, &f, r, m);
            f.severity = REVIEW_ERROR;
            f.check = RC_MISSING;
            push(v, &f);
        }
    }
}

static void
mismatch(struct rv *v, size_t r, int m, enum review_check check,
         enum review_measure meas, int64_t value, int64_t ref)
{
    struct review_finding f;
    finding_at(v, &f, r, m);
    f.severity = REVIEW_ERROR;
    f.check = check;
    f.measure = meas;
    f.has_value = f.has_reference = true;
    f.value = value;
    f.reference = ref;
    push(v, &f);
}

/* Per province-month: recorded totals, channels and scopes add up. */
static void
check_sums(struct rv *v)
{
    for (size_t r = 0; r < v->nreg; r++) {
        if (v->reg[r] % 10000 != 0 || !wanted(v, v->reg[r]))
            continue;
        for (int m = v->p0; m <= v->p1; m++) {
            const struct pair *p = pair_of(v, r, m);
            size_t i = at(v, r, 0, m), j = r * (size_t)v->nm + (size_t)m;
            int64_t pt = v->cnt[i], fen = v->amt[i];
            if (!p->present && pt == 0 && fen == 0)
                continue;
            if (p->cov_pt != pt)
                mismatch(v, r, m, RC_COVERAGE_MISMATCH, RM_COUNT, pt,
                         p->cov_pt);
            if (p->cov_fen != fen)
                mismatch(v, r, m, RC_COVERAGE_MISMATCH, RM_AMOUNT, fen,
                         p->cov_fen);
            if (v->chsum[2 * j] != pt)
                mismatch(v, r, m, RC_CHANNEL_SUM, RM_COUNT, v->chsum[2 * j],
                         pt);
            if (v->chsum[2 * j + 1] != fen)
                mismatch(v, r, m, RC_CHANNEL_SUM, RM_AMOUNT,
                         v->chsum[2 * j + 1], fen);
            if (v->scsum[2 * j] != pt)
                mismatch(v, r, m, RC_SCOPE_SUM, RM_COUNT, v->scsum[2 * j], pt);
            if (v->scsum[2 * j + 1] != fen)
                mismatch(v, r, m, RC_SCOPE_SUM, RM_AMOUNT, v->scsum[2 * j + 1],
                         fen);
        }
    }
}

/*
 * The months add up to the cumulative: the period read again, by
 * province, with no month in the key.
 */
static int
check_cumulative(struct rv *v, struct store *st, struct diag *err)
{
    struct query q;
    struct query_result qr;
    int ret = -1;

    query_init(&q);
    q.range = v->o->range;
    q.by[0] = DIM_PROVINCE;
    q.nby = 1;
    q.codes = v->cs;
    if (query_run(st, &q, &qr, err) < 0)
        goto out;
    for (size_t i = 0; i < qr.nrows; i++) {
        int code = qr.rows[i].key[0];
        int *hit = bsearch(&code, v->reg, v->nreg, sizeof(int), cmp_code);
        if (!wanted(v, code))
            continue;
        int64_t pt = 0, fen = 0;
        size_t r = hit != NULL ? (size_t)(hit - v->reg) : 0;
        for (int m = v->p0; hit != NULL && m <= v->p1; m++) {
            pt += v->cnt[at(v, r, 0, m)];
            fen += v->amt[at(v, r, 0, m)];
        }
        struct review_finding f;
        for (int k = 0; k < 2; k++) {
            int64_t got = k ? fen : pt,
                    want = k ? qr.rows[i].amount_fen : qr.rows[i].person_times;
            if (got == want)
                continue;
            memset(&f, 0, sizeof(f));
            f.severity = REVIEW_ERROR;
            f.check = RC_CUMULATIVE_SUM;
            f.province = code;
            f.channel = f.use = f.scope = -1;
            f.ratio = (double)NAN;
            f.measure = k ? RM_AMOUNT : RM_COUNT;
            f.has_value = f.has_reference = true;
            f.value = got;
            f.reference = want;
            push(v, &f);
        }
    }
    ret = 0;
out:
    query_result_release(&qr);
    query_release(&q);
    return ret;
}

/* ******************************************************************** */
/* Plausibility                                                         */
/* ******************************************************************** */

/* Does this slice hold premium payments (all, a channel, the premiums)? */
static bool
seasonal_slice(const struct rv *v, int slice)
{
    if (slice <= v->nch)
        return true;
    int use = slice - 1 - v->nch;
    return use == USE_PREMIUM || use == USE_LTC_PREMIUM;
}

/* The slice's channel and use for a finding. */
static void
slice_place(const struct rv *v, int slice, struct review_finding *f)
{
    if (slice >= 1 && slice <= v->nch)
        f->channel = slice - 1;
    else if (slice > v->nch)
        f->use = slice - 1 - v->nch;
}

/*
 * Warning above REVIEW_Z_WARNING, error above REVIEW_Z_ERROR; one level
 * less for the use 其他, the rest of the itemised uses, whose content
 * changes with the itemisation (长期护理保险 was in it before 2025).
 */
static void
grade(struct review_finding *f, double z)
{
    f->severity = fabs(z) > REVIEW_Z_ERROR ? REVIEW_ERROR : REVIEW_WARNING;
    if (f->use == USE_OTHER)
        f->severity =
            f->severity == REVIEW_ERROR ? REVIEW_WARNING : REVIEW_INFO;
}

/* log(x[m] / x[m - lag]), when both months are stored and positive. */
static bool
log_change(const struct rv *v, size_t r, const int64_t *x, int m, int lag,
           double *out)
{
    if (m - lag < 0 || !present(v, r, m) || !present(v, r, m - lag) ||
        x[m] <= 0 || x[m - lag] <= 0)
        return false;
    *out = log((double)x[m] / (double)x[m - lag]);
    return true;
}

/*
 * The history a change into month m is judged against: the same
 * series' changes of earlier months; for a premium-holding series in the
 * season the same calendar transitions of earlier years when there are
 * REVIEW_SEASON_YEARS of them, else the season's changes, and out of the
 * season the changes out of it.  Returns how many went into h.
 */
static size_t
change_history(const struct rv *v, const double *lc, int m, int lag,
               bool seasonal, double *h)
{
    int cal = period_from_index(v->m0 + m).month;
    bool in = review_season_month(cal);
    size_t n = 0;

    if (seasonal && lag == 1 && in) {
        for (int k = m - 12; k >= 0; k -= 12)
            if (!isnan(lc[k]))
                h[n++] = lc[k];
        if (n >= REVIEW_SEASON_YEARS)
            return n;
        n = 0;
    }
    for (int k = 0; k < m; k++) {
        int kc = period_from_index(v->m0 + k).month;
        if (seasonal && review_season_month(kc) != in)
            continue;
        if (!isnan(lc[k]))
            h[n++] = lc[k];
    }
    return n;
}

/*
 * The centre and spread of a change history for each month of the period,
 * made once per series: the history of month m + 1 is that of month m and
 * one more change, so each class of months (in and out of the season, or
 * all) is kept sorted as the months go by; the median is then read off and
 * the MAD merged outward from it.  The same values as review_robust_z()
 * over change_history() (a median and a MAD are values of the multiset,
 * whatever its order).  n[m] < 0: not made (months before the period).
 */
struct zmemo {
    double *med, *spread; /* [nm] */
    int *n;               /* [nm] */
};

/* Median and MAD of a[0..n), sorted, n > 0. */
static void
sorted_stats(const double *a, size_t n, double *med, double *mad)
{
    double hi = a[n / 2];
    double md = n % 2 ? hi : (a[n / 2 - 1] + hi) / 2;
    size_t r = 0;
    while (r < n && a[r] < md)
        r++;
    size_t l = r;
    double prev = 0, cur = 0;
    for (size_t t = 0; t <= n / 2; t++) {
        double dl = l > 0 ? fabs(a[l - 1] - md) : HUGE_VAL;
        double dr = r < n ? fabs(a[r] - md) : HUGE_VAL;
        prev = cur;
        if (dl <= dr) {
            cur = dl;
            l--;
        } else {
            cur = dr;
            r++;
        }
    }
    *med = md;
    *mad = n % 2 ? cur : (prev + cur) / 2;
}

static void
sorted_insert(double *a, size_t *n, double x)
{
    size_t i = *n;
    while (i > 0 && a[i - 1] > x) {
        a[i] = a[i - 1];
        i--;
    }
    a[i] = x;
    (*n)++;
}

static void
zmemo_fill(const struct rv *v, const double *lc, bool seasonal,
           struct zmemo *zm, double *buf)
{
    double *cls[2] = {buf, buf + v->nm};
    size_t ncls[2] = {0, 0};
    for (int m = 0; m <= v->p1; m++) {
        int c =
            seasonal && review_season_month(period_from_index(v->m0 + m).month);
        zm->n[m] = -1;
        if (m >= v->p0) {
            size_t n = ncls[c];
            zm->n[m] = (int)n;
            if (n >= REVIEW_MIN_HISTORY) {
                double md, mad;
                sorted_stats(cls[c], n, &md, &mad);
                double sp = REVIEW_MAD_SCALE * mad;
                zm->med[m] = md;
                zm->spread[m] = sp > REVIEW_FLOOR_LOG ? sp : REVIEW_FLOOR_LOG;
            }
        }
        if (!isnan(lc[m]))
            sorted_insert(cls[c], &ncls[c], lc[m]);
    }
}

/*
 * The robust z of the change into month m, and its history's centre; lc
 * is the series' log_change() at lag for every month (NaN: none), made
 * once per series; zm (or NULL) its histories' statistics.
 */
static bool
change_z(const struct rv *v, const double *lc, const struct zmemo *zm, int m,
         int lag, bool seasonal, double *h, double *z, double *lr, double *med,
         double *spread)
{
    if (m < 0 || isnan(lc[m]))
        return false;
    *lr = lc[m];
    /* in the season a premium series may be judged by its calendar month */
    if (zm != NULL && m >= v->p0 &&
        !(seasonal && lag == 1 &&
          review_season_month(period_from_index(v->m0 + m).month))) {
        if (zm->n[m] < REVIEW_MIN_HISTORY)
            return false;
        *med = zm->med[m];
        *spread = zm->spread[m];
        *z = (*lr - *med) / *spread;
        return true;
    }
    size_t n = change_history(v, lc, m, lag, seasonal, h);
    if (n < REVIEW_MIN_HISTORY)
        return false;
    *z = review_robust_z(*lr, h, n, REVIEW_FLOOR_LOG, med, spread);
    return true;
}

struct series {
    size_t r;
    int slice;
    const int64_t *cnt, *amt;     /* [nm] */
    const int64_t *cnt0, *amt0;   /* the same region's slice 0 */
    const double *lc[2][2];       /* log changes [count, amount][lag 1, 12] */
    const struct zmemo *zm[2][2]; /* their statistics */
};

static void
check_jumps(struct rv *v, const struct series *s, int m, double *h)
{
    bool seasonal = seasonal_slice(v, s->slice);
    for (int meas = 0; meas < 2; meas++) {
        const int64_t *x = meas ? s->amt : s->cnt;
        const int64_t *x0 = meas ? s->amt0 : s->cnt0;
        for (int kind = 0; kind < 2; kind++) {
            int lag = kind ? 12 : 1;
            double z, lr, med, spread;
            if (!change_z(v, s->lc[meas][kind], s->zm[meas][kind], m, lag,
                          seasonal, h, &z, &lr, &med, &spread) ||
                fabs(z) <= REVIEW_Z_WARNING)
                continue;
            /* the same figures as all uses together: said once */
            if (s->slice > 0 && x[m] == x0[m] && x[m - lag] == x0[m - lag])
                continue;
            /*
             * A month-over-month change that undoes the outlying change
             * of the month before (a one-month spike and its return) is
             * the spike's finding, not one of its own.
             */
            double z1, lr1, med1, spread1;
            if (kind == 0 &&
                change_z(v, s->lc[meas][0], s->zm[meas][0], m - 1, 1, seasonal,
                         h, &z1, &lr1, &med1, &spread1) &&
                fabs(z1) > REVIEW_Z_WARNING && (z1 > 0) != (z > 0) &&
                fabs(lr + lr1 - med) / spread <= REVIEW_Z_WARNING)
                continue;
            /*
             * A year-over-year change against a base month that was
             * itself an outlying jump the other way: the base is the
             * anomaly (found when its month was reviewed), not this
             * month.
             */
            if (kind == 1 &&
                change_z(v, s->lc[meas][0], s->zm[meas][0], m - 12, 1, seasonal,
                         h, &z1, &lr1, &med1, &spread1) &&
                fabs(z1) > REVIEW_Z_WARNING && (z1 > 0) != (z > 0))
                continue;
            struct review_finding f;
            finding_at(v, &f, s->r, m);
            slice_place(v, s->slice, &f);
            grade(&f, z);
            f.check = kind ? RC_JUMP_YOY : RC_JUMP_MOM;
            f.measure = meas ? RM_AMOUNT : RM_COUNT;
            f.has_value = f.has_reference = f.has_stats = true;
            f.value = x[m];
            f.reference = x[m - lag];
            f.ratio = exp(lr);
            f.median = med;
            f.mad = spread;
            f.score = z;
            push(v, &f);
        }
    }
}

/* A series that stops (it had flows every stored month of the last
 * REVIEW_MIN_HISTORY) or starts. */
static void
check_flow(struct rv *v, const struct series *s, int m)
{
    if (m < 1 || !present(v, s->r, m) || !present(v, s->r, m - 1))
        return;
    const int64_t *x = s->cnt;
    if ((x[m] > 0) == (x[m - 1] > 0))
        return;
    if (s->slice > 0 && x[m] == s->cnt0[m] && x[m - 1] == s->cnt0[m - 1])
        return;
    struct review_finding f;
    finding_at(v, &f, s->r, m);
    slice_place(v, s->slice, &f);
    f.measure = RM_COUNT;
    f.has_value = f.has_reference = true;
    f.value = x[m];
    f.reference = x[m - 1];
    if (x[m] > 0) {
        f.check = RC_FLOW_STARTED;
        f.severity = REVIEW_INFO;
    } else {
        int run = 0;
        for (int k = m - 1; k >= 0 && run < REVIEW_MIN_HISTORY; k--) {
            if (!present(v, s->r, k))
                continue;
            if (x[k] <= 0)
                break;
            run++;
        }
        f.check = RC_FLOW_STOPPED;
        f.severity = run >= REVIEW_MIN_HISTORY ? REVIEW_WARNING : REVIEW_INFO;
    }
    push(v, &f);
}

/* The amount per person-time against the series' own usual level. */
static void
check_avg(struct rv *v, const struct series *s, int m, double *h)
{
    const int64_t *c = s->cnt, *a = s->amt;
    if (!present(v, s->r, m) || c[m] <= 0 || a[m] <= 0)
        return;
    if (s->slice > 0 && c[m] == s->cnt0[m] && a[m] == s->amt0[m])
        return;
    bool seasonal = seasonal_slice(v, s->slice);
    bool in = season_level(period_from_index(v->m0 + m).month);
    size_t n = 0;
    for (int k = 0; k < m; k++) {
        if (!present(v, s->r, k) || c[k] <= 0 || a[k] <= 0)
            continue;
        if (seasonal && season_level(period_from_index(v->m0 + k).month) != in)
            continue;
        h[n++] = log((double)a[k] / (double)c[k]);
    }
    if (n < REVIEW_MIN_HISTORY)
        return;
    double x = log((double)a[m] / (double)c[m]), med, spread;
    double z = review_robust_z(x, h, n, REVIEW_FLOOR_LOG, &med, &spread);
    if (fabs(z) <= REVIEW_Z_WARNING)
        return;
    struct review_finding f;
    finding_at(v, &f, s->r, m);
    slice_place(v, s->slice, &f);
    grade(&f, z);
    f.check = RC_AVG_AMOUNT;
    f.measure = RM_AVG_AMOUNT;
    f.has_value = f.has_reference = f.has_stats = true;
    f.value = fx_round_div(a[m], c[m]);
    f.reference = (int64_t)llround(exp(med));
    f.ratio = exp(x - med);
    f.median = med;
    f.mad = spread;
    f.score = z;
    push(v, &f);
}

/* The cross-area share of the count, month over month. */
static bool
share_change(const struct rv *v, size_t r, const int64_t *c, const int64_t *x,
             int k, double *d)
{
    if (k < 1 || !present(v, r, k) || !present(v, r, k - 1) || c[k] <= 0 ||
        c[k - 1] <= 0)
        return false;
    *d = (double)x[k] / (double)c[k] - (double)x[k - 1] / (double)c[k - 1];
    return true;
}

static void
check_share(struct rv *v, const struct series *s, int m, double *h)
{
    const int64_t *c = s->cnt, *x = v->cross + s->r * (size_t)v->nm;
    double d, dk, med, spread;
    if (!share_change(v, s->r, c, x, m, &d))
        return;
    bool in = review_season_month(period_from_index(v->m0 + m).month);
    size_t n = 0;
    for (int k = 1; k < m; k++)
        if (review_season_month(period_from_index(v->m0 + k).month) == in &&
            share_change(v, s->r, c, x, k, &dk))
            h[n++] = dk;
    if (n < REVIEW_MIN_HISTORY)
        return;
    double z = review_robust_z(d, h, n, REVIEW_FLOOR_SHARE, &med, &spread);
    if (fabs(z) <= REVIEW_Z_WARNING)
        return;
    /* the return of an outlying change of the month before (a spike) */
    double d1;
    if (share_change(v, s->r, c, x, m - 1, &d1) &&
        fabs(d1 - med) / spread > REVIEW_Z_WARNING && (d1 > med) != (d > med) &&
        fabs(d + d1 - med) / spread <= REVIEW_Z_WARNING)
        return;
    struct review_finding f;
    int64_t now = 0, before = 0;
    fx_ratio_bp(x[m], c[m], &now);
    fx_ratio_bp(x[m - 1], c[m - 1], &before);
    finding_at(v, &f, s->r, m);
    grade(&f, z);
    f.check = RC_CROSS_SHARE;
    f.measure = RM_CROSS_SHARE;
    f.has_value = f.has_reference = f.has_stats = true;
    f.value = now;
    f.reference = before;
    f.median = med;
    f.mad = spread;
    f.score = z;
    push(v, &f);
}

static void
check_plausible(struct rv *v)
{
    double *h = xcalloc((size_t)v->nm + 1, sizeof(*h));
    double *lcs = xcalloc(4 * (size_t)v->nm, sizeof(*lcs));
    double *zd = xcalloc(10 * (size_t)v->nm, sizeof(*zd));
    int *zn = xcalloc(4 * (size_t)v->nm, sizeof(*zn));
    struct zmemo zms[4];
    for (int k = 0; k < 4; k++)
        zms[k] = (struct zmemo){zd + (size_t)k * (size_t)v->nm,
                                zd + (size_t)(4 + k) * (size_t)v->nm,
                                zn + (size_t)k * (size_t)v->nm};
    for (size_t r = 0; r < v->nreg; r++) {
        if (!wanted(v, v->reg[r]))
            continue;
        for (int sl = 0; sl < v->nslice; sl++) {
            struct series s = {r,
                               sl,
                               v->cnt + at(v, r, sl, 0),
                               v->amt + at(v, r, sl, 0),
                               v->cnt + at(v, r, 0, 0),
                               v->amt + at(v, r, 0, 0),
                               {{NULL, NULL}, {NULL, NULL}},
                               {{NULL, NULL}, {NULL, NULL}}};
            bool any = false;
            for (int m = 0; m < v->nm && !any; m++)
                any = s.cnt[m] != 0 || s.amt[m] != 0;
            if (!any)
                continue;
            for (int k = 0; k < 4; k++) {
                double *lc = lcs + (size_t)k * (size_t)v->nm;
                const int64_t *x = k / 2 ? s.amt : s.cnt;
                for (int m = 0; m < v->nm; m++)
                    if (!log_change(v, r, x, m, k % 2 ? 12 : 1, &lc[m]))
                        lc[m] = (double)NAN;
                s.lc[k / 2][k % 2] = lc;
                zmemo_fill(v, lc, seasonal_slice(v, sl), &zms[k],
                           zd + 8 * (size_t)v->nm);
                s.zm[k / 2][k % 2] = &zms[k];
            }
            for (int m = v->p0; m <= v->p1; m++) {
                if (!present(v, r, m))
                    continue;
                check_jumps(v, &s, m, h);
                check_flow(v, &s, m);
                check_avg(v, &s, m, h);
                if (sl == 0)
                    check_share(v, &s, m, h);
            }
        }
    }
    free(zn);
    free(zd);
    free(lcs);
    free(h);
}

/* ******************************************************************** */
/* The run                                                              */
/* ******************************************************************** */

/* Findings grouped by what and when, the province's before its areas'. */
static int
cmp_group(const void *pa, const void *pb)
{
    const struct review_finding *a = *(const struct review_finding *const *)pa;
    const struct review_finding *b = *(const struct review_finding *const *)pb;
    int c;
    if ((c = cmp_int(a->province, b->province)) != 0 ||
        (c = cmp_int((int)a->check, (int)b->check)) != 0 ||
        (c = cmp_int(a->period, b->period)) != 0 ||
        (c = cmp_int(a->channel, b->channel)) != 0 ||
        (c = cmp_int(a->use, b->use)) != 0 ||
        (c = cmp_int((int)a->measure, (int)b->measure)) != 0)
        return c;
    return cmp_int(a->area, b->area);
}

static bool
same_group(const struct review_finding *a, const struct review_finding *b)
{
    return a->province == b->province && a->check == b->check &&
           a->period == b->period && a->channel == b->channel &&
           a->use == b->use && a->measure == b->measure;
}

/*
 * A pooling area's plausibility finding that its province has too, with
 * about the same change (log ratios within REVIEW_FLOOR_LOG or a quarter
 * of the province's, shares within REVIEW_FLOOR_SHARE), says nothing new: the
 * whole province moved. Only the province's is kept.
 */
static void
drop_echoes(struct review_list *l, size_t from)
{
    size_t n = l->n - from;
    if (n < 2)
        return;
    struct review_finding **p = xcalloc(n, sizeof(*p));
    bool *drop = xcalloc(l->n, sizeof(*drop));
    for (size_t i = 0; i < n; i++)
        p[i] = &l->v[from + i];
    qsort(p, n, sizeof(*p), cmp_group);
    const struct review_finding *head = NULL;
    for (size_t i = 0; i < n; i++) {
        const struct review_finding *f = p[i];
        if (f->area == 0) {
            head = f;
            continue;
        }
        if (head == NULL || !same_group(head, f))
            continue;
        bool close;
        if (f->measure == RM_CROSS_SHARE)
            close = fabs((double)(f->value - f->reference) -
                         (double)(head->value - head->reference)) <
                    REVIEW_FLOOR_SHARE * 10000;
        else
            close = f->ratio > 0 && head->ratio > 0 &&
                    fabs(log(f->ratio / head->ratio)) <
                        fmax(REVIEW_FLOOR_LOG, fabs(log(head->ratio)) / 4);
        if (close)
            drop[f - l->v] = true;
    }
    size_t k = from;
    for (size_t i = from; i < l->n; i++) {
        if (drop[i]) {
            free(l->v[i].files);
            free(l->v[i].figure);
            free(l->v[i].figure_label);
            continue;
        }
        l->v[k++] = l->v[i];
    }
    l->n = k;
    free(drop);
    free(p);
}

void
review_result_release(struct review_result *res)
{
    review_list_release(&res->findings);
    for (size_t i = 0; res->cells != NULL && i < res->nprovinces * res->nmonths;
         i++) {
        free(res->cells[i].ingested_at);
        free(res->cells[i].files);
    }
    free(res->cells);
    free(res->provinces);
    memset(res, 0, sizeof(*res));
}

static void
rv_release(struct rv *v)
{
    for (size_t i = 0; v->pairs != NULL && i < v->nreg * (size_t)v->nm; i++) {
        free(v->pairs[i].ingested_at);
        sbuf_release(&v->pairs[i].files);
    }
    free(v->pairs);
    free(v->cnt);
    free(v->amt);
    free(v->cross);
    free(v->chsum);
    free(v->scsum);
    free(v->reg);
    free(v->reg_prov);
}

int
review_run(struct store *st, const struct refdata *rd,
           const struct review_opts *o, struct review_result *res,
           struct diag *err)
{
    struct rv v;
    struct query q;
    struct query_result qr;
    bool began = false;
    int64_t mark;
    int ret = -1;

    memset(res, 0, sizeof(*res));
    memset(&v, 0, sizeof(v));
    memset(&qr, 0, sizeof(qr));
    review_list_init(&res->findings);
    res->range = o->range;
    v.rd = rd;
    v.cs = refdata_codes(rd);
    v.o = o;
    v.res = res;

    /* the one query: every stored month up to the period's end */
    query_init(&q);
    q.range.first = (struct period){PERIOD_MIN_YEAR, 1};
    q.range.last = o->range.last;
    static const enum dim by[] = {DIM_PERIOD, DIM_AREA, DIM_CHANNEL, DIM_SCOPE,
                                  DIM_USE};
    memcpy(q.by, by, sizeof(by));
    q.nby = sizeof(by) / sizeof(by[0]);
    q.codes = v.cs;
    q.threads = o->threads;
    /* every statement below reads the same state of the store */
    if (store_read_mark(st, &began, &mark, err) < 0)
        goto out;
    if (query_run(st, &q, &qr, err) < 0)
        goto out;

    int first = period_index(o->range.first);
    for (size_t i = 0; i < qr.nrows; i++) {
        int k = qr.rows[i].key[0];
        if (k != 0 && period_index(period_of_yyyymm(k)) < first)
            first = period_index(period_of_yyyymm(k));
    }
    v.m0 = first;
    v.nm = period_index(o->range.last) - first + 1;
    v.p0 = period_index(o->range.first) - first;
    v.p1 = v.nm - 1;
    v.nch = codes_count(v.cs, CODESET_CHANNEL);
    v.nuse = codes_count(v.cs, CODESET_USE);
    v.nscope = codes_count(v.cs, CODESET_SCOPE);
    v.nslice = 1 + v.nch + v.nuse;

    /* rows come sorted by key: period, then area */
    index_regions(&v, &qr);
    size_t cells = v.nreg * (size_t)v.nslice * (size_t)v.nm;
    size_t rm = v.nreg * (size_t)v.nm;
    v.cnt = xcalloc(cells, sizeof(*v.cnt));
    v.amt = xcalloc(cells, sizeof(*v.amt));
    v.cross = xcalloc(rm, sizeof(*v.cross));
    v.chsum = xcalloc(2 * rm, sizeof(*v.chsum));
    v.scsum = xcalloc(2 * rm, sizeof(*v.scsum));
    v.pairs = xcalloc(rm, sizeof(*v.pairs));
    for (size_t i = 0; i < rm; i++)
        sbuf_init(&v.pairs[i].files);
    for (size_t i = 0; i < qr.nrows; i++)
        if (add_cell(&v, &qr.rows[i], err) < 0)
            goto out;

    struct cov_ctx cc = {&v, err, 0};
    if (store_submissions(st, false, on_coverage, &cc, err) < 0 || cc.failed)
        goto out;

    res->nmonths = (size_t)(v.p1 - v.p0 + 1);
    res->provinces =
        xcalloc(refdata_province_count(rd) + 1, sizeof(*res->provinces));
    res->cells = xcalloc((refdata_province_count(rd) + 1) * res->nmonths,
                         sizeof(*res->cells));
    check_matrix(&v);
    check_sums(&v);
    if (check_cumulative(&v, st, err) < 0)
        goto out;
    size_t from = res->findings.n;
    check_plausible(&v);
    drop_echoes(&res->findings, from);

    review_result_recount(res);
    ret = 0;
out:
    store_read_done(st, began);
    query_result_release(&qr);
    query_release(&q);
    rv_release(&v);
    return ret;
}
