/* SPDX-License-Identifier: MIT */
#include "aggregate/query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthread.h>
#include <sqlite3.h>
#include <unistd.h>

#include "aggregate/cube.h"

_Static_assert(CUBE_MAX_DIMS >= DIM_N, "a query may group by every dimension");
#include "aggregate/store.h"
#include "common/diag.h"
#include "common/i18n.h"
#include "common/money.h"
#include "common/sbuf.h"
#include "common/xalloc.h"
#include "ingest/codes.h"
#include "ingest/refdata.h"
#include "ingest/vocab.h"

static const char *const dim_names[DIM_N] = {
    "period", "province", "area", "scope", "use", "relation", "channel",
};

/* The code set of a coded dimension, or -1. */
static int
dim_set(enum dim d)
{
    switch (d) {
    case DIM_SCOPE:
        return CODESET_SCOPE;
    case DIM_USE:
        return CODESET_USE;
    case DIM_RELATION:
        return CODESET_RELATION;
    case DIM_CHANNEL:
        return CODESET_CHANNEL;
    default:
        return -1;
    }
}

const char *
dim_name(enum dim d)
{
    if ((unsigned)d >= DIM_N)
        BUG("bad dimension %d", (int)d);
    return dim_names[d];
}

int
dim_parse(const char *s, size_t len)
{
    for (int d = 0; d < DIM_N; d++)
        if (strlen(dim_names[d]) == len && memcmp(dim_names[d], s, len) == 0)
            return d;
    return -1;
}

void
query_init(struct query *q)
{
    memset(q, 0, sizeof(*q));
}

void
query_release(struct query *q)
{
    for (int d = 0; d < DIM_N; d++)
        free(q->where[d]);
    query_init(q);
}

void
query_result_release(struct query_result *res)
{
    free(res->rows);
    for (int c = 0; c < QCMP_N; c++)
        free(res->base[c]);
    memset(res, 0, sizeof(*res));
}

int
query_set_by(struct query *q, const char *spec, struct diag *err)
{
    char qv[96];
    const char *p = spec;

    q->nby = 0;
    while (*p != '\0') {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p), dlen = len;
        bool top = len > 4 && memcmp(p + len - 4, ":top", 4) == 0;
        if (top)
            dlen -= 4;
        int d = dim_parse(p, dlen);
        if (d >= 0 && top && dim_set((enum dim)d) < 0)
            return diag_set(err, DIAG_USAGE,
                            _("--by: %s has no top-level values (':top' is "
                              "for channel, scope, use and relation)"),
                            diag_quote(qv, sizeof(qv), p, len));
        if (d < 0)
            return diag_set(err, DIAG_USAGE,
                            _("--by: %s is not a dimension (period, province, "
                              "area, channel, scope, use, relation)"),
                            diag_quote(qv, sizeof(qv), p, len));
        for (size_t i = 0; i < q->nby; i++)
            if (q->by[i] == (enum dim)d)
                return diag_set(err, DIAG_USAGE, _("--by: %s given twice"),
                                dim_names[d]);
        q->by_top[q->nby] = top;
        q->by[q->nby++] = (enum dim)d;
        p += len;
        if (*p == ',')
            p++;
    }
    return 0;
}

/* Parse one --where value of dimension d into *v. */
static int
parse_value(enum dim d, const char *s, size_t len, const struct refdata *rd,
            int *v, struct diag *err)
{
    char buf[128], qv[96];
    int code;
    struct period p;

    if (len >= sizeof(buf))
        len = sizeof(buf) - 1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    switch (d) {
    case DIM_PERIOD:
        if (period_parse(&p, s, len, err) < 0) {
            err->code = DIAG_USAGE;
            return -1;
        }
        *v = period_to_yyyymm(p);
        return 0;
    case DIM_PROVINCE: {
        const struct province *pr = refdata_find_province(rd, buf);
        if (pr == NULL)
            break;
        *v = pr->code;
        return 0;
    }
    case DIM_AREA: {
        const struct area *a = refdata_find_area(rd, buf);
        if (a != NULL) {
            *v = a->code;
            return 0;
        }
        /* the area set is open: any 6-digit code of a known province */
        code = 0;
        /* the length first: more digits would overflow code */
        for (size_t i = 0; i < len && len == 6 && code >= 0; i++)
            code = s[i] >= '0' && s[i] <= '9' ? code * 10 + (s[i] - '0') : -1;
        if (len == 6 && code >= 0 && refdata_area_province(rd, code)) {
            *v = code;
            return 0;
        }
        break;
    }
    case DIM_SCOPE:
    case DIM_USE:
    case DIM_RELATION:
    case DIM_CHANNEL: {
        enum code_set set = (enum code_set)dim_set(d);
        code = vocab_value(refdata_vocab(rd), set, s, len);
        if (code < 0)
            return diag_set(err, DIAG_USAGE,
                            _("--where %s: %s is not a known value (accepted: "
                              "%s)"),
                            dim_names[d], diag_quote(qv, sizeof(qv), s, len),
                            codes_accepted(refdata_codes(rd), set));
        *v = code;
        return 0;
    }
    case DIM_N:
        break;
    }
    return diag_set(err, DIAG_USAGE, _("--where %s: %s is not a known %s"),
                    dim_names[d], diag_quote(qv, sizeof(qv), s, len),
                    dim_names[d]);
}

int
query_add_where(struct query *q, const char *spec, const struct refdata *rd,
                struct diag *err)
{
    char qv[96];
    const char *eq = strchr(spec, '=');
    int *vals = NULL;
    size_t n = 0;

    /* the values are numbered in the reference data's code sets */
    q->codes = refdata_codes(rd);
    if (eq == NULL)
        return diag_set(err, DIAG_USAGE,
                        _("--where %s: expected DIM=VALUE[,VALUE...]"),
                        diag_quote(qv, sizeof(qv), spec, strlen(spec)));
    int d = dim_parse(spec, (size_t)(eq - spec));
    if (d < 0)
        return diag_set(err, DIAG_USAGE,
                        _("--where: %s is not a dimension (period, province, "
                          "area, channel, scope, use, relation)"),
                        diag_quote(qv, sizeof(qv), spec, (size_t)(eq - spec)));
    const char *p = eq + 1;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        int v = 0;
        if (len == 0 || parse_value((enum dim)d, p, len, rd, &v, err) < 0) {
            if (len == 0)
                diag_set(err, DIAG_USAGE, _("--where %s: empty value"),
                         dim_names[d]);
            free(vals);
            return -1;
        }
        /* a coarse value stands for itself and its descendants */
        int set = dim_set((enum dim)d);
        int nv =
            set >= 0 ? codes_count(refdata_codes(rd), (enum code_set)set) : 1;
        for (int k = 0; k < nv; k++) {
            int x = set >= 0 ? k : v;
            if (set >= 0 &&
                !codes_within(refdata_codes(rd), (enum code_set)set, k, v))
                continue;
            bool dup = false;
            for (size_t j = 0; j < n; j++)
                dup |= vals[j] == x;
            if (dup)
                continue;
            vals = xreallocarray(vals, n + 1, sizeof(*vals));
            vals[n++] = x;
        }
        if (comma == NULL)
            break;
        p = comma + 1;
    }
    if (q->where[d] == NULL) {
        q->where[d] = vals;
        q->nwhere[d] = n;
        return 0;
    }
    /* a second --where on the same dimension narrows */
    size_t k = 0;
    for (size_t i = 0; i < q->nwhere[d]; i++)
        for (size_t j = 0; j < n; j++)
            if (q->where[d][i] == vals[j]) {
                q->where[d][k++] = q->where[d][i];
                break;
            }
    q->nwhere[d] = k;
    free(vals);
    return 0;
}

static const char *const dim_columns[DIM_N] = {
    "period", "province", "area", "scope", "use", "relation", "channel",
};

/* The SQL that selects dimension d from fact. */
static const char *
column_of(const struct store *st, enum dim d)
{
    return d == DIM_CHANNEL ? store_fact_channel(st) : dim_columns[d];
}

/* Bind a dimension value as the store keeps it. */
static void
bind_value(const struct codes *cs, sqlite3_stmt *s, int idx, enum dim d, int v)
{
    char per[PERIOD_LABEL_MAX];
    switch (d) {
    case DIM_PERIOD:
        period_format(per, sizeof(per), period_of_yyyymm(v));
        sqlite3_bind_text(s, idx, per, -1, SQLITE_TRANSIENT);
        break;
    case DIM_PROVINCE:
    case DIM_AREA:
        sqlite3_bind_int(s, idx, v);
        break;
    case DIM_SCOPE:
    case DIM_USE:
    case DIM_RELATION:
    case DIM_CHANNEL:
        sqlite3_bind_text(s, idx, codes_code(cs, (enum code_set)dim_set(d), v),
                          -1, SQLITE_STATIC);
        break;
    case DIM_N:
        BUG("bad dimension");
    }
}

/* A stored text value t[0..len) of dimension d back to its integer key. */
static int
text_key(const struct codes *cs, const char *t, size_t len, enum dim d)
{
    struct period p;
    struct diag err;

    switch (d) {
    case DIM_PERIOD:
        if (period_parse(&p, t, len, &err) < 0)
            return 0;
        return period_to_yyyymm(p);
    case DIM_SCOPE:
    case DIM_USE:
    case DIM_RELATION:
    case DIM_CHANNEL:
        return codes_parse(cs, (enum code_set)dim_set(d), t, len);
    case DIM_PROVINCE:
    case DIM_AREA:
    case DIM_N:
        break;
    }
    BUG("bad dimension");
}

/*
 * The last text read from one column and its key: facts come in key order,
 * so a period (and often a code) repeats from row to row, and is then not
 * parsed again.  One sqlite3_column_* call per value: each takes the
 * connection's mutex.
 */
struct key_cache {
    char text[16]; /* NUL-terminated */
    bool valid;
    int value;
};

/* A stored column value back to its integer key. */
static int
column_key(const struct codes *cs, sqlite3_stmt *s, int col, enum dim d,
           struct key_cache *kc)
{
    if (d == DIM_PROVINCE || d == DIM_AREA)
        return sqlite3_column_int(s, col);
    const char *t = (const char *)sqlite3_column_text(s, col);
    if (t == NULL)
        t = "";
    /* the comparison and the length in one pass over a few bytes */
    size_t n = strlen(t);
    if (kc->valid && memcmp(t, kc->text, n + 1) == 0)
        return kc->value;
    kc->value = text_key(cs, t, n, d);
    kc->valid = n < sizeof(kc->text);
    if (kc->valid)
        memcpy(kc->text, t, n + 1);
    return kc->value;
}

/* Rows compare by every key slot: unused slots are all zero. */
static int
cmp_key(const struct query_row *a, const struct query_row *b)
{
    for (size_t i = 0; i < DIM_N; i++)
        if (a->key[i] != b->key[i])
            return a->key[i] < b->key[i] ? -1 : 1;
    return 0;
}

static int
cmp_rows_key(const void *pa, const void *pb)
{
    return cmp_key(pa, pb);
}

static int
cmp_rows_pt(const void *pa, const void *pb)
{
    const struct query_row *a = pa, *b = pb;
    if (a->person_times != b->person_times)
        return a->person_times > b->person_times ? -1 : 1;
    return cmp_key(a, b);
}

static int
cmp_rows_amount(const void *pa, const void *pb)
{
    const struct query_row *a = pa, *b = pb;
    if (a->amount_fen != b->amount_fen)
        return a->amount_fen > b->amount_fen ? -1 : 1;
    return cmp_key(a, b);
}

/*
 * Is the key the fact table's primary key's first columns (period, area,
 * channel, scope, use, relation), each as stored (no ':top')?  Then the
 * facts are read in that order (SQLite walks the key, no sorter) and each
 * run of equal keys is a cell of its own: no hash.  Not at a vintage (the
 * facts are a UNION ALL there).
 */
static bool
pk_prefix(const struct store *st, const struct query *q)
{
    static const enum dim pk[] = {DIM_PERIOD, DIM_AREA, DIM_CHANNEL,
                                  DIM_SCOPE,  DIM_USE,  DIM_RELATION};
    if (store_vintage(st) != 0 || q->nby == 0 ||
        strcmp(store_fact_channel(st), "channel") != 0)
        return false;
    for (size_t i = 0; i < q->nby; i++)
        if (q->by_top[i] || q->by[i] != pk[i])
            return false;
    return true;
}

/*
 * Does q need only what fact_key keeps (period, province, channel, scope,
 * use: areas and relations summed)?  Then it reads those sums, some eighty
 * times fewer rows than the facts at pooling-area grain, with the same
 * result.
 */
static bool
key_sums_do(const struct query *q)
{
    if (q->facts_only)
        return false;
    for (int d = 0; d < DIM_N; d++) {
        bool used = q->where[d] != NULL;
        for (size_t i = 0; i < q->nby; i++)
            used |= q->by[i] == (enum dim)d;
        if (used && (d == DIM_AREA || d == DIM_RELATION))
            return false;
    }
    return true;
}

/* One more cell at the end of a grouped query's list. */
static void
append_cell(struct cube_cell **v, size_t *n, size_t *alloc, const int *key,
            int64_t pt, int64_t fen)
{
    if (*n == *alloc) {
        *alloc = *alloc ? 2 * *alloc : 1024;
        *v = xreallocarray(*v, *alloc, sizeof(**v));
    }
    struct cube_cell *c = &(*v)[(*n)++];
    memset(c, 0, sizeof(*c));
    memcpy(c->key, key, DIM_N * sizeof(int));
    c->person_times = pt;
    c->amount_fen = fen;
}

/* Sort rows by key and merge those with equal keys (unknown codes). */
static int
merge_equal(struct query_result *res)
{
    qsort(res->rows, res->nrows, sizeof(*res->rows), cmp_rows_key);
    size_t k = 0;
    for (size_t i = 0; i < res->nrows; i++) {
        struct query_row *d = &res->rows[k - (k > 0)];
        if (k > 0 && cmp_key(d, &res->rows[i]) == 0) {
            if (fx_add(d->person_times, res->rows[i].person_times,
                       &d->person_times) < 0 ||
                fx_add(d->amount_fen, res->rows[i].amount_fen, &d->amount_fen) <
                    0)
                return -1;
            continue;
        }
        res->rows[k++] = res->rows[i];
    }
    res->nrows = k;
    return 0;
}

/*
 * One reading of the facts: a prepared statement stepped to its end, each
 * run of equal keys summed into the list (grouped) or the cube.  Each
 * scan has its own connection, so scans can run on threads of their own.
 */
/*
 * With --where on province or area, the facts are read by seeks: one range
 * of fact's primary key per month and range of areas (a province is its
 * code to code + 9999; the store has no index on province), sorted, so
 * the rows still come in key order.
 */
struct seek {
    int (*range)[2]; /* [lo, hi] areas, ascending, disjoint */
    size_t n;
};

struct scan {
    struct store *st; /* the connection s belongs to */
    const struct query *q;
    sqlite3_stmt *s;
    int chan, only; /* as in query_run() */
    bool grouped;
    const struct seek *seek; /* NULL: one pass over the period range */
    struct period first, last;
    struct cube *cube;
    struct cube_cell *list; /* a grouped query's cells */
    size_t nlist, alist;
    int64_t pt, fen; /* every fact's sums */
    unsigned channels;
    struct diag err;
    int ret;
};

static int
scan_prepare(struct scan *sc, const char *sql, struct period first,
             struct period last)
{
    const struct query *q = sc->q;

    if (sqlite3_prepare_v2(store_handle(sc->st), sql, -1, &sc->s, NULL) !=
        SQLITE_OK)
        return store_error(sc->st, &sc->err, "prepare query");
    sc->first = first;
    sc->last = last;
    int bi = 1;
    if (sc->seek == NULL) {
        bind_value(q->codes, sc->s, bi++, DIM_PERIOD, period_to_yyyymm(first));
        bind_value(q->codes, sc->s, bi++, DIM_PERIOD, period_to_yyyymm(last));
    } else {
        bi = 4; /* ?1 the month, ?2 and ?3 the areas: scan_run() */
    }
    for (int d = 0; d < DIM_N; d++)
        for (size_t i = 0; q->where[d] != NULL && i < q->nwhere[d]; i++)
            bind_value(q->codes, sc->s, bi++, (enum dim)d, q->where[d][i]);
    sc->cube = cube_new(q->nby);
    return 0;
}

static int
scan_cell(struct scan *sc, const int *key, int64_t pt, int64_t fen)
{
    if (sc->grouped) {
        append_cell(&sc->list, &sc->nlist, &sc->alist, key, pt, fen);
        return 0;
    }
    return cube_add(sc->cube, key, pt, fen);
}

/* What scan_rows() carries from one statement run to the next. */
struct scan_state {
    struct key_cache kc[DIM_N + 1];
    int run[DIM_N];
    int64_t run_pt, run_fen;
    bool in_run;
};

/* Step sc->s to its end. */
static int
scan_rows(struct scan *sc, struct scan_state *ss)
{
    const struct query *q = sc->q;
    int nb = (int)q->nby, nk = nb + (sc->chan == nb);

    for (;;) {
        int rc = sqlite3_step(sc->s);
        if (rc == SQLITE_DONE)
            return 0;
        if (rc != SQLITE_ROW)
            return store_error(sc->st, &sc->err, "query");
        int key[DIM_N] = {0};
        for (int i = 0; i < nb; i++)
            key[i] = column_key(q->codes, sc->s, i, q->by[i], &ss->kc[i]);
        for (int i = 0; i < nb; i++)
            if (q->by_top[i] && key[i] >= 0)
                key[i] = codes_top(q->codes, (enum code_set)dim_set(q->by[i]),
                                   key[i]);
        int c = sc->chan < 0 ? sc->only
                : sc->chan < nb
                    ? key[sc->chan]
                    : column_key(q->codes, sc->s, nb, DIM_CHANNEL, &ss->kc[nb]);
        if (c >= 0 && c < 32)
            sc->channels |= 1u << c;
        int64_t pt = sqlite3_column_int64(sc->s, nk);
        int64_t fen = sqlite3_column_int64(sc->s, nk + 1);
        if (ss->in_run && memcmp(key, ss->run, sizeof(key)) == 0) {
            if (fx_add(ss->run_pt, pt, &ss->run_pt) < 0 ||
                fx_add(ss->run_fen, fen, &ss->run_fen) < 0)
                goto overflow;
        } else {
            if (ss->in_run &&
                scan_cell(sc, ss->run, ss->run_pt, ss->run_fen) < 0)
                goto overflow;
            memcpy(ss->run, key, sizeof(ss->run));
            ss->run_pt = pt;
            ss->run_fen = fen;
            ss->in_run = true;
        }
        if (fx_add(sc->pt, pt, &sc->pt) < 0 ||
            fx_add(sc->fen, fen, &sc->fen) < 0)
            goto overflow;
    }
overflow:
    return diag_set(&sc->err, DIAG_DATA, _("a sum overflows 64 bits"));
}

static int
scan_run(struct scan *sc)
{
    /*
     * Facts come in primary-key order, so rows of one cell are often
     * adjacent (all relations of a key without relation): a run of equal
     * keys is summed here and goes into the cube (or the list) once.
     */
    struct scan_state ss;
    memset(&ss, 0, sizeof(ss));
    if (sc->seek == NULL) {
        if (scan_rows(sc, &ss) < 0)
            return -1;
    } else {
        for (struct period p = sc->first; period_cmp(p, sc->last) <= 0;
             p = period_add(p, 1))
            for (size_t k = 0; k < sc->seek->n; k++) {
                sqlite3_reset(sc->s);
                bind_value(sc->q->codes, sc->s, 1, DIM_PERIOD,
                           period_to_yyyymm(p));
                sqlite3_bind_int(sc->s, 2, sc->seek->range[k][0]);
                sqlite3_bind_int(sc->s, 3, sc->seek->range[k][1]);
                if (scan_rows(sc, &ss) < 0)
                    return -1;
            }
    }
    if (ss.in_run && scan_cell(sc, ss.run, ss.run_pt, ss.run_fen) < 0)
        return diag_set(&sc->err, DIAG_DATA, _("a sum overflows 64 bits"));
    return 0;
}

static void *
scan_thread(void *arg)
{
    struct scan *sc = arg;
    sc->ret = scan_run(sc);
    return NULL;
}

static void
scan_release(struct scan *sc)
{
    cube_free(sc->cube);
    free(sc->list);
    sqlite3_finalize(sc->s);
    sc->cube = NULL;
    sc->list = NULL;
    sc->s = NULL;
}

/* The first or the last month with facts in r (fact's key: log n). */
static bool
stored_edge(struct store *st, const struct query *q, bool last,
            struct period *out)
{
    sqlite3_stmt *s = NULL;
    bool ok = false;

    if (sqlite3_prepare_v2(store_handle(st),
                           last ? "SELECT max(period) FROM fact "
                                  "WHERE period BETWEEN ? AND ?"
                                : "SELECT min(period) FROM fact "
                                  "WHERE period BETWEEN ? AND ?",
                           -1, &s, NULL) != SQLITE_OK)
        return false;
    bind_value(q->codes, s, 1, DIM_PERIOD, period_to_yyyymm(q->range.first));
    bind_value(q->codes, s, 2, DIM_PERIOD, period_to_yyyymm(q->range.last));
    if (sqlite3_step(s) == SQLITE_ROW &&
        sqlite3_column_type(s, 0) == SQLITE_TEXT) {
        const char *t = (const char *)sqlite3_column_text(s, 0);
        struct diag err;
        ok = period_parse(out, t, strlen(t), &err) == 0;
    }
    sqlite3_finalize(s);
    return ok;
}

/*
 * How many parts the months of q are read in, one connection and thread
 * each: SQLite steps one row at a time on a connection, and reading the
 * facts is most of a long query's time.  Worth it for the facts of a
 * store of some size over two months or more; the parts split the months
 * that hold facts (bounds[i] is the last month of part i).
 */
#define SCAN_PARTS_MAX 8
#define SCAN_MIN_PAGES 256 /* 1 MiB of 4 KiB pages */

static int
scan_parts(struct store *st, const struct query *q,
           struct period bounds[SCAN_PARTS_MAX])
{
    unsigned want = q->threads;
    if (want == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        want = n > 1 ? (unsigned)(n < 4 ? n : 4) : 1;
    }
    if (want > SCAN_PARTS_MAX)
        want = SCAN_PARTS_MAX;
    if (want < 2)
        return 1;

    sqlite3_stmt *s = NULL;
    long long pages = 0;
    if (sqlite3_prepare_v2(store_handle(st), "PRAGMA page_count", -1, &s,
                           NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        pages = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    struct period lo, hi;
    if (pages < SCAN_MIN_PAGES || !stored_edge(st, q, false, &lo) ||
        !stored_edge(st, q, true, &hi))
        return 1;
    int a = period_index(lo), months = period_index(hi) - a + 1;
    int n = months < (int)want ? months : (int)want;
    for (int i = 0; i < n - 1; i++)
        bounds[i] = period_from_index(a + (i + 1) * months / n - 1);
    bounds[n > 0 ? n - 1 : 0] = q->range.last;
    return n > 1 ? n : 1;
}

/*
 * Read the facts of q's months in parts: part 0 on st, the others on
 * connections of their own (store_open_peer) and threads, all reading one
 * state of the store.  When a connection or a thread cannot be had, or
 * the connections do not see the same submissions (an ingest committed
 * between their starts), fewer parts read it all.  The parts' cells are
 * merged into sc[0].
 */
static int
scan_all(struct store *st, const struct query *q, const char *sql,
         struct scan *proto, unsigned *nparts, struct diag *err)
{
    struct period bounds[SCAN_PARTS_MAX];
    struct scan sc[SCAN_PARTS_MAX];
    struct store *peer[SCAN_PARTS_MAX] = {NULL};
    pthread_t tid[SCAN_PARTS_MAX];
    bool began[SCAN_PARTS_MAX] = {false}, started[SCAN_PARTS_MAX] = {false};
    int64_t mark0 = 0;
    int n = scan_parts(st, q, bounds);
    int ret = -1;

    for (int i = 0; i < n; i++) {
        sc[i] = *proto;
        diag_clear(&sc[i].err);
    }
    if (n > 1 && store_read_mark(st, &began[0], &mark0, err) < 0)
        return -1;
    for (int i = 1; i < n; i++) {
        int64_t mark = -1;
        peer[i] = store_open_peer(st);
        if (peer[i] == NULL ||
            store_read_mark(peer[i], &began[i], &mark, &sc[i].err) < 0 ||
            mark != mark0) {
            /* the parts from i on are read by part i - 1 */
            if (peer[i] != NULL)
                store_read_done(peer[i], began[i]);
            store_close(peer[i]);
            peer[i] = NULL;
            bounds[i - 1] = q->range.last;
            n = i;
            break;
        }
        sc[i].st = peer[i];
    }
    for (int i = 0; i < n; i++) {
        struct period first =
            i == 0 ? q->range.first : period_add(bounds[i - 1], 1);
        struct period last = i == n - 1 ? q->range.last : bounds[i];
        if (scan_prepare(&sc[i], sql, first, last) < 0) {
            *err = sc[i].err;
            goto out;
        }
    }
    for (int i = 1; i < n; i++)
        started[i] = pthread_create(&tid[i], NULL, scan_thread, &sc[i]) == 0;
    sc[0].ret = scan_run(&sc[0]);
    for (int i = 1; i < n; i++) {
        if (started[i])
            pthread_join(tid[i], NULL);
        else
            sc[i].ret = scan_run(&sc[i]);
    }
    for (int i = 0; i < n; i++)
        if (sc[i].ret < 0) {
            *err = sc[i].err;
            goto out;
        }
    /* the parts' months follow each other: their lists stay in order */
    for (int i = 1; i < n; i++) {
        if (fx_add(sc[0].pt, sc[i].pt, &sc[0].pt) < 0 ||
            fx_add(sc[0].fen, sc[i].fen, &sc[0].fen) < 0)
            goto overflow;
        sc[0].channels |= sc[i].channels;
        if (sc[0].grouped) {
            for (size_t k = 0; k < sc[i].nlist; k++)
                append_cell(&sc[0].list, &sc[0].nlist, &sc[0].alist,
                            sc[i].list[k].key, sc[i].list[k].person_times,
                            sc[i].list[k].amount_fen);
            continue;
        }
        size_t nc;
        struct cube_cell *cells = cube_cells(sc[i].cube, &nc);
        for (size_t k = 0; k < nc; k++)
            if (cube_add(sc[0].cube, cells[k].key, cells[k].person_times,
                         cells[k].amount_fen) < 0)
                goto overflow;
    }
    *proto = sc[0];
    *nparts = (unsigned)n;
    sc[0].cube = NULL;
    sc[0].list = NULL;
    sc[0].s = NULL;
    ret = 0;
    goto out;
overflow:
    diag_set(err, DIAG_DATA, _("a sum overflows 64 bits"));
out:
    for (int i = 0; i < n; i++)
        scan_release(&sc[i]);
    for (int i = n - 1; i >= 0; i--) {
        store_read_done(i == 0 ? st : peer[i], began[i]);
        if (i > 0)
            store_close(peer[i]);
    }
    return ret;
}

static int
cmp_int_asc(const void *pa, const void *pb)
{
    int a = *(const int *)pa, b = *(const int *)pb;
    return a < b ? -1 : a > b;
}

/*
 * The area ranges of a --where on area (each area) or else on province
 * (code to code + 9999), ascending; false when q has neither.
 */
static bool
seek_ranges(const struct query *q, struct seek *sk)
{
    enum dim d = q->where[DIM_AREA] != NULL       ? DIM_AREA
                 : q->where[DIM_PROVINCE] != NULL ? DIM_PROVINCE
                                                  : DIM_N;
    if (d == DIM_N)
        return false;
    size_t n = q->nwhere[d];
    int *v = xreallocarray(NULL, n ? n : 1, sizeof(*v));
    memcpy(v, q->where[d], n * sizeof(*v));
    qsort(v, n, sizeof(*v), cmp_int_asc);
    sk->range = xreallocarray(NULL, n ? n : 1, sizeof(*sk->range));
    sk->n = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && v[i] == v[i - 1])
            continue;
        sk->range[sk->n][0] = v[i];
        sk->range[sk->n][1] = d == DIM_AREA ? v[i] : v[i] + 9999;
        sk->n++;
    }
    free(v);
    return true;
}

int
query_run(struct store *st, const struct query *q, struct query_result *res,
          struct diag *err)
{
    struct sbuf sql = SBUF_INIT, cols = SBUF_INIT;
    struct scan sc;
    int ret = -1;

    memset(res, 0, sizeof(*res));
    memset(&sc, 0, sizeof(sc));
    /*
     * The store gives the matching facts and the cube groups them: a hash
     * over a few thousand cells is several times faster than SQLite's
     * sorting GROUP BY on these key shapes.
     *
     * Which channels the sums hold (their counts are told in different
     * words): from the key, from a --where on one channel, or else from
     * one more column.
     */
    int chan = -1; /* the key slot or column of the channel */
    for (size_t i = 0; i < q->nby; i++) {
        sbuf_addf(&cols, "%s, ", column_of(st, q->by[i]));
        if (q->by[i] == DIM_CHANNEL)
            chan = (int)i;
    }
    int only = q->where[DIM_CHANNEL] != NULL && q->nwhere[DIM_CHANNEL] == 1
                   ? q->where[DIM_CHANNEL][0]
                   : -1;
    if (!q->channels) {
        chan = -1;
        only = -1;
    } else if (chan < 0 && only < 0) {
        chan = (int)q->nby;
        sbuf_addf(&cols, "%s, ", column_of(st, DIM_CHANNEL));
    }
    char key_src[STORE_FACT_KEY_SRC_MAX];
    const char *src = key_sums_do(q)
                          ? store_fact_key_source(st, key_src, sizeof(key_src))
                          : NULL;
    bool grouped = src == NULL && pk_prefix(st, q);
    struct seek seek = {NULL, 0};
    bool seeking = src == NULL && seek_ranges(q, &seek);
    sbuf_addf(&sql, "SELECT %sperson_times, amount_fen FROM %s", cols.buf,
              src != NULL ? src : store_fact_source(st));
    sbuf_addstr(&sql, seeking ? " WHERE period = ?1 AND area BETWEEN ?2 AND ?3"
                              : " WHERE period BETWEEN ? AND ?");
    for (int d = 0; d < DIM_N; d++) {
        if (q->where[d] == NULL)
            continue;
        sbuf_addf(&sql, " AND %s IN (", column_of(st, (enum dim)d));
        for (size_t i = 0; i < q->nwhere[d]; i++)
            sbuf_addstr(&sql, i ? ",?" : "?");
        if (q->nwhere[d] == 0)
            sbuf_addstr(&sql, "NULL");
        sbuf_addch(&sql, ')');
    }
    for (size_t i = 0; grouped && i < q->nby; i++)
        sbuf_addf(&sql, "%s%zu", i ? ", " : " ORDER BY ", i + 1);

    sc.st = st;
    sc.q = q;
    sc.chan = chan;
    sc.only = only;
    sc.grouped = grouped;
    sc.seek = seeking ? &seek : NULL;
    /* fact_key's sums are few: one part reads them */
    if (src != NULL) {
        if (scan_prepare(&sc, sql.buf, q->range.first, q->range.last) < 0 ||
            scan_run(&sc) < 0) {
            *err = sc.err;
            goto out;
        }
    } else if (scan_all(st, q, sql.buf, &sc, &res->parts, err) < 0) {
        goto out;
    }
    if (res->parts == 0)
        res->parts = 1;
    res->total_person_times = sc.pt;
    res->total_amount_fen = sc.fen;
    res->channels = sc.channels;
    size_t ncells = sc.nlist;
    struct cube_cell *cells = grouped ? sc.list : cube_cells(sc.cube, &ncells);
    res->rows = xreallocarray(NULL, ncells ? ncells : 1, sizeof(*res->rows));
    for (size_t i = 0; i < ncells; i++) {
        memcpy(res->rows[i].key, cells[i].key, sizeof(res->rows[i].key));
        res->rows[i].person_times = cells[i].person_times;
        res->rows[i].amount_fen = cells[i].amount_fen;
    }
    res->nrows = ncells;
    if (grouped && merge_equal(res) < 0) {
        diag_set(err, DIAG_DATA, _("a sum overflows 64 bits"));
        goto out;
    }
    /* --top without --sort ranks by person-times */
    enum query_sort by =
        q->top > 0 && q->sort == QSORT_KEY ? QSORT_PERSON_TIMES : q->sort;
    if (!grouped || by != QSORT_KEY)
        qsort(res->rows, res->nrows, sizeof(*res->rows),
              by == QSORT_PERSON_TIMES ? cmp_rows_pt
              : by == QSORT_AMOUNT     ? cmp_rows_amount
                                       : cmp_rows_key);
    if (q->top > 0 && res->nrows > q->top)
        res->nrows = q->top;
    ret = 0;
out:
    if (ret < 0)
        query_result_release(res);
    scan_release(&sc);
    free(seek.range);
    sbuf_release(&sql);
    sbuf_release(&cols);
    return ret;
}
