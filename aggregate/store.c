/* SPDX-License-Identifier: MIT */
#include "aggregate/store.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "aggregate/store_int.h"
#include "common/diag.h"
#include "common/i18n.h"
#include "common/money.h"
#include "common/xalloc.h"
#include "ingest/codes.h"
#include "ingest/submission.h"

static struct period stored_period(const char *t);

int
store_months_stored(struct store *st, struct period_range r, bool *has,
                    struct diag *err)
{
    char a[PERIOD_LABEL_MAX], b[PERIOD_LABEL_MAX], cur[160], sql[320];
    sqlite3_stmt *s = NULL;
    int n = period_index(r.last) - period_index(r.first) + 1, rc;

    snprintf(sql, sizeof(sql),
             "SELECT DISTINCT period FROM coverage c WHERE %s AND "
             "period BETWEEN ? AND ?",
             store_coverage_current(st, cur, sizeof(cur)));
    for (int i = 0; i < n; i++)
        has[i] = false;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return store_error(st, err, "prepare");
    sqlite3_bind_text(s, 1, period_format(a, sizeof(a), r.first), -1,
                      SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, period_format(b, sizeof(b), r.last), -1,
                      SQLITE_TRANSIENT);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct period p =
            stored_period((const char *)sqlite3_column_text(s, 0));
        int i = period_index(p) - period_index(r.first);
        if (i >= 0 && i < n)
            has[i] = true;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return store_error(st, err, "read coverage");
    return 0;
}

const char *
store_fact_channel(const struct store *st)
{
    return st->version != 0 && st->version < 4 ? "'account'" : "channel";
}

struct sqlite3 *
store_handle(struct store *st)
{
    return st->db;
}

int
store_error(struct store *st, struct diag *err, const char *what)
{
    diag_set(err, DIAG_IO, _("store %s: %s: %s"), st->path, what,
             sqlite3_errmsg(st->db));
    return -1;
}

int
store_exec(struct store *st, const char *sql, struct diag *err)
{
    char *msg = NULL;
    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        diag_set(err, DIAG_IO, _("store %s: %s"), st->path,
                 msg ? msg : sqlite3_errmsg(st->db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/*
 * Like store_exec(), but waits while another process holds a lock SQLite will
 * not wait for itself: switching a new file to WAL needs an exclusive lock, and
 * for that step the busy handler is not always called, so two first ingests
 * into one new store would otherwise fail with "database is locked".
 */
int
store_exec_waiting(struct store *st, const char *sql, struct diag *err)
{
    const struct timespec pause = {0, 20 * 1000 * 1000};
    for (long waited = 0;; waited += 20) {
        int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            return 0;
        if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) ||
            waited >= STORE_BUSY_MS)
            return store_error(st, err, sql);
        nanosleep(&pause, NULL);
    }
}

void
store_close(struct store *st)
{
    if (st == NULL)
        return;
    if (st->in_tx)
        store_rollback(st);
    for (int i = 0; i < STORE_PUT_STMTS; i++)
        sqlite3_finalize(st->put_ps[i]);
    sqlite3_close(st->db);
    free(st->path);
    free(st);
}

int
store_read_mark(struct store *st, bool *began, int64_t *mark, struct diag *err)
{
    sqlite3_stmt *s = NULL;

    *began = false;
    if (sqlite3_get_autocommit(st->db)) {
        if (store_exec(st, "BEGIN", err) < 0)
            return -1;
        *began = true;
    }
    if (sqlite3_prepare_v2(st->db,
                           "SELECT coalesce(max(id), 0) FROM submission", -1,
                           &s, NULL) != SQLITE_OK ||
        sqlite3_step(s) != SQLITE_ROW) {
        store_error(st, err, "read");
        sqlite3_finalize(s);
        store_read_done(st, *began);
        *began = false;
        return -1;
    }
    *mark = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return 0;
}

void
store_read_done(struct store *st, bool began)
{
    /* a read transaction: nothing to lose if ending it fails */
    if (began)
        sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
}

int
store_begin(struct store *st, struct diag *err)
{
    if (st->in_tx)
        BUG("nested store transaction");
    if (store_exec_waiting(st, "BEGIN IMMEDIATE", err) < 0)
        return -1;
    st->in_tx = true;
    return 0;
}

int
store_commit(struct store *st, struct diag *err)
{
    if (!st->in_tx)
        BUG("commit outside a transaction");
    if (store_exec(st, "COMMIT", err) < 0)
        return -1;
    st->in_tx = false;
    return 0;
}

void
store_rollback(struct store *st)
{
    struct diag ignored;
    if (!st->in_tx)
        return;
    store_exec(st, "ROLLBACK", &ignored);
    st->in_tx = false;
}

/* store_put()'s statements (kept in st->put_ps) */
enum put_stmt {
    PS_SUBMISSION,
    PS_MARK_REPLACED,
    PS_KEY_REPLACED,
    PS_TO_HISTORY,
    PS_DELETE_FACTS,
    PS_COVERAGE,
    PS_FACT,
    PS_KEY,
    PS_N
};

_Static_assert(PS_N == STORE_PUT_STMTS, "st->put_ps holds every statement");

static const char *const put_sql[PS_N] = {
    [PS_SUBMISSION] = "INSERT INTO submission (file, sha256, bytes, "
                      "encoding, rows, ingested_at) VALUES (?,?,?,?,?,?)",
    /* ?4: the part put (NULL: the whole), as store_plan() decides */
    [PS_MARK_REPLACED] = "UPDATE coverage SET replaced_by = ?1 WHERE "
                         "province = ?2 AND period = ?3 AND replaced_by IS "
                         "NULL AND (?4 IS NULL OR part = ?4 OR part = '')",
    /*
     * A province-month's facts are one range of fact's primary key: the
     * period, and the areas of the province (its code to code + 9999:
     * put_fact() stores province = area / 10000 * 10000).
     *
     * The facts of a submission's province-month are replaced together
     * (PS_TO_HISTORY: every fact of each submission whose coverage row
     * was just marked), and so are its sums in fact_key.
     */
    [PS_KEY_REPLACED] = "UPDATE fact_key SET replaced_by = ?1 WHERE "
                        "period = ?3 AND province = ?2 AND replaced_by IS "
                        "NULL AND submission_id IN (SELECT submission_id "
                        "FROM coverage WHERE province = ?2 AND period = ?3 "
                        "AND replaced_by = ?1)",
    [PS_TO_HISTORY] = "INSERT INTO fact_history (period, province, area, "
                      "channel, scope, use, relation, person_times, "
                      "amount_fen, submission_id, source_line, replaced_by) "
                      "SELECT period, province, area, channel, scope, use, "
                      "relation, person_times, amount_fen, submission_id, "
                      "source_line, ?1 FROM fact "
                      "WHERE period = ?3 AND area BETWEEN ?2 AND ?2 + 9999 "
                      "AND province = ?2 AND submission_id "
                      "IN (SELECT submission_id FROM coverage WHERE "
                      "province = ?2 AND period = ?3 AND replaced_by = ?1)",
    [PS_DELETE_FACTS] = "DELETE FROM fact WHERE period = ?3 AND area BETWEEN "
                        "?2 AND ?2 + 9999 AND province = ?2 "
                        "AND submission_id IN (SELECT submission_id FROM "
                        "coverage WHERE province = ?2 AND period = ?3 AND "
                        "replaced_by = ?1)",
    [PS_COVERAGE] = "INSERT INTO coverage (submission_id, province, period, "
                    "rows, person_times, amount_fen, part) "
                    "VALUES (?,?,?,?,?,?,?)",
    [PS_FACT] = "INSERT INTO fact (period, province, area, scope, use, "
                "relation, person_times, amount_fen, submission_id, "
                "source_line, channel) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
    [PS_KEY] = "INSERT INTO fact_key (period, province, channel, scope, use, "
               "submission_id, person_times, amount_fen) "
               "VALUES (?,?,?,?,?,?,?,?)",
};

static int
step_done(struct store *st, sqlite3_stmt *s, struct diag *err, const char *what)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (rc != SQLITE_DONE)
        return store_error(st, err, what);
    return 0;
}

/* The submission row of sf: its id in *sub. */
static int
put_submission(struct store *st, sqlite3_stmt *s, const struct submission *sf,
               const char *ingested_at, sqlite3_int64 *sub, struct diag *err)
{
    sqlite3_bind_text(s, 1, sf->path, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, sf->sha256, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, (sqlite3_int64)sf->bytes);
    sqlite3_bind_text(s, 4, encoding_name(sf->encoding, sf->had_bom), -1,
                      SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, (sqlite3_int64)sf->nrows);
    sqlite3_bind_text(s, 6, ingested_at, -1, SQLITE_STATIC);
    if (step_done(st, s, err, "insert submission") < 0)
        return -1;
    *sub = sqlite3_last_insert_rowid(st->db);
    return 0;
}

/*
 * The versions of the pair (province, per) that a put of `part` (NULL:
 * the whole) replaces are marked replaced by submission sub, and their
 * facts move to history.
 */
static int
put_replace(struct store *st, sqlite3_stmt *const *ps, sqlite3_int64 sub,
            int province, const char *per, const char *part, struct diag *err)
{
    static const enum put_stmt steps[] = {PS_MARK_REPLACED, PS_KEY_REPLACED,
                                          PS_TO_HISTORY, PS_DELETE_FACTS};
    static const char *const what[] = {"mark replaced", "replace key sums",
                                       "keep history", "replace facts"};

    for (size_t k = 0; k < sizeof(steps) / sizeof(steps[0]); k++) {
        sqlite3_stmt *s = ps[steps[k]];
        if (s == NULL) /* no fact_key */
            continue;
        sqlite3_bind_int64(s, 1, sub);
        sqlite3_bind_int(s, 2, province);
        sqlite3_bind_text(s, 3, per, -1, SQLITE_TRANSIENT);
        if (steps[k] == PS_MARK_REPLACED && part != NULL)
            sqlite3_bind_text(s, 4, part, -1, SQLITE_STATIC);
        if (step_done(st, s, err, what[k]) < 0)
            return -1;
    }
    return 0;
}

/*
 * One (province, month) of sf, as planned: replace what the plan says it
 * replaces, record the coverage.
 */
static int
put_coverage(struct store *st, sqlite3_stmt *const *ps, sqlite3_int64 sub,
             const struct coverage *cv, const struct store_pair_plan *pp,
             const char *part, struct store_put_result *res, struct diag *err)
{
    char per[PERIOD_LABEL_MAX];

    period_format(per, sizeof(per), cv->period);
    if (pp->replaced > 0) {
        res->pairs_replaced++;
        if (put_replace(st, ps, sub, cv->province, per, part, err) < 0)
            return -1;
    } else {
        res->pairs_new++;
    }
    sqlite3_stmt *s = ps[PS_COVERAGE];
    sqlite3_bind_int64(s, 1, sub);
    sqlite3_bind_int(s, 2, cv->province);
    sqlite3_bind_text(s, 3, per, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 4, (sqlite3_int64)cv->rows);
    sqlite3_bind_int64(s, 5, cv->person_times);
    sqlite3_bind_int64(s, 6, cv->amount_fen);
    sqlite3_bind_text(s, 7, part != NULL ? part : "", -1, SQLITE_STATIC);
    return step_done(st, s, err, "insert coverage");
}

static int
put_fact(struct store *st, sqlite3_stmt *s, sqlite3_int64 sub,
         const struct codes *cs, const struct record *r, struct diag *err)
{
    char per[PERIOD_LABEL_MAX];

    period_format(per, sizeof(per), r->period);
    sqlite3_bind_text(s, 1, per, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(s, 2, r->area / 10000 * 10000);
    sqlite3_bind_int(s, 3, r->area);
    sqlite3_bind_text(s, 4, codes_code(cs, CODESET_SCOPE, r->scope), -1,
                      SQLITE_STATIC);
    sqlite3_bind_text(s, 5, codes_code(cs, CODESET_USE, r->use), -1,
                      SQLITE_STATIC);
    sqlite3_bind_text(s, 6, codes_code(cs, CODESET_RELATION, r->relation), -1,
                      SQLITE_STATIC);
    sqlite3_bind_int64(s, 7, r->person_times);
    sqlite3_bind_int64(s, 8, r->amount_fen);
    sqlite3_bind_int64(s, 9, sub);
    sqlite3_bind_int64(s, 10, (sqlite3_int64)r->line);
    sqlite3_bind_text(s, 11, codes_code(cs, CODESET_CHANNEL, r->channel), -1,
                      SQLITE_STATIC);
    return step_done(st, s, err, "insert fact");
}

/* A record's place in fact_key order, and the record. */
struct key_ref {
    uint64_t key;
    size_t row;
};

static int
cmp_key_ref(const void *pa, const void *pb)
{
    const struct key_ref *a = pa, *b = pb;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return (a->row > b->row) - (a->row < b->row);
}

/* (period, province, channel, scope, use) of r as one number. */
static uint64_t
record_key(const struct record *r)
{
    uint64_t k = (uint64_t)period_index(r->period);
    k = k * 100 + (uint64_t)(r->area / 10000);
    k = k * 256 + r->channel;
    k = k * 256 + r->scope;
    return k * 256 + r->use;
}

/*
 * The file's rows summed over area and relation into fact_key, one row
 * per (province, period, channel, scope, use): summed here, not read
 * back from fact.
 */
static int
put_keys(struct store *st, sqlite3_stmt *s, sqlite3_int64 sub,
         const struct submission *sf, struct diag *err)
{
    size_t n = sf->nrows;
    struct key_ref *ref = xreallocarray(NULL, n ? n : 1, sizeof(*ref));
    const struct codes *cs = sf->codes;
    int ret = 0;

    for (size_t i = 0; i < n; i++) {
        ref[i].key = record_key(&sf->rows[i]);
        ref[i].row = i;
    }
    qsort(ref, n, sizeof(*ref), cmp_key_ref);
    for (size_t i = 0; i < n && ret == 0;) {
        const struct record *r = &sf->rows[ref[i].row];
        int64_t pt = 0, fen = 0;
        size_t j = i;
        for (; j < n && ref[j].key == ref[i].key; j++) {
            const struct record *x = &sf->rows[ref[j].row];
            if (fx_add(pt, x->person_times, &pt) < 0 ||
                fx_add(fen, x->amount_fen, &fen) < 0) {
                ret = diag_set(err, DIAG_DATA, _("a sum overflows 64 bits"));
                goto out;
            }
        }
        char per[PERIOD_LABEL_MAX];
        period_format(per, sizeof(per), r->period);
        sqlite3_bind_text(s, 1, per, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(s, 2, r->area / 10000 * 10000);
        sqlite3_bind_text(s, 3, codes_code(cs, CODESET_CHANNEL, r->channel), -1,
                          SQLITE_STATIC);
        sqlite3_bind_text(s, 4, codes_code(cs, CODESET_SCOPE, r->scope), -1,
                          SQLITE_STATIC);
        sqlite3_bind_text(s, 5, codes_code(cs, CODESET_USE, r->use), -1,
                          SQLITE_STATIC);
        sqlite3_bind_int64(s, 6, sub);
        sqlite3_bind_int64(s, 7, pt);
        sqlite3_bind_int64(s, 8, fen);
        ret = step_done(st, s, err, "insert key sums");
        i = j;
    }
out:
    free(ref);
    return ret;
}

void
store_put_result_release(struct store_put_result *res)
{
    store_plan_release(&res->plan);
}

int
store_put(struct store *st, const struct submission *sf,
          const struct store_put_opts *opts, const char *ingested_at,
          struct store_put_result *res, struct diag *err)
{
    sqlite3_stmt *ps[PS_N] = {NULL};
    const char *part =
        opts != NULL && opts->part != NULL && *opts->part ? opts->part : NULL;
    sqlite3_int64 sub;
    int ret = -1;

    memset(res, 0, sizeof(*res));
    if (!st->in_tx)
        BUG("store_put outside a transaction");
    if (part != NULL && strlen(part) > STORE_PART_MAX)
        BUG("part name of %zu bytes", strlen(part));
    if (store_plan(st, sf, opts, &res->plan, err) < 0)
        return -1;
    if (res->plan.unchanged) {
        res->unchanged = true;
        return 0;
    }
    if (res->plan.refused) {
        res->refused = true;
        return diag_set(err, DIAG_DATA,
                        _("%s: refused: it would remove or replace stored data "
                          "silently"),
                        sf->path);
    }
    /* prepared once per connection: a run stores many files */
    for (int i = 0; i < PS_N; i++) {
        if (st->put_ps[i] == NULL &&
            (st->has_fact_key || (i != PS_KEY_REPLACED && i != PS_KEY)) &&
            sqlite3_prepare_v2(st->db, put_sql[i], -1, &st->put_ps[i], NULL) !=
                SQLITE_OK)
            return store_error(st, err, "prepare");
        ps[i] = st->put_ps[i];
    }
    if (put_submission(st, ps[PS_SUBMISSION], sf, ingested_at, &sub, err) < 0)
        goto out;
    res->submission_id = sub;
    for (size_t i = 0; i < sf->ncover; i++)
        if (put_coverage(st, ps, sub, &sf->cover[i], &res->plan.pair[i], part,
                         res, err) < 0)
            goto out;
    for (size_t i = 0; i < sf->nrows; i++)
        if (put_fact(st, ps[PS_FACT], sub, sf->codes, &sf->rows[i], err) < 0)
            goto out;
    if (ps[PS_KEY] != NULL && put_keys(st, ps[PS_KEY], sub, sf, err) < 0)
        goto out;
    ret = 0;
out:
    for (int i = 0; i < PS_N; i++)
        if (ps[i] != NULL) {
            sqlite3_reset(ps[i]);
            sqlite3_clear_bindings(ps[i]);
        }
    return ret;
}

/* "2024-09" as stored; {0, 0} for anything else. */
static struct period
stored_period(const char *t)
{
    struct period p = {0, 0};
    struct diag err;
    if (t != NULL)
        period_parse(&p, t, strlen(t), &err); /* leaves p alone on error */
    return p;
}

int
store_submissions(struct store *st, bool history, store_submission_fn *fn,
                  void *ctx, struct diag *err)
{
    sqlite3_stmt *s = NULL;
    /*
     * At a vintage V: the submissions up to V, and a replacement after V
     * is not one yet.
     */
    long long v = st->vintage > 0 ? st->vintage : INT64_MAX;
    char cur[160], buf[640];
    if (!history)
        store_coverage_current(st, cur, sizeof(cur));
    else
        snprintf(cur, sizeof(cur), "c.submission_id <= %lld", v);
    snprintf(buf, sizeof(buf),
             "SELECT s.id, s.file, s.sha256, s.bytes, s.encoding, c.rows, "
             "c.province, c.period, c.person_times, c.amount_fen, "
             "s.ingested_at, CASE WHEN c.replaced_by <= %lld THEN "
             "c.replaced_by ELSE 0 END, s.rows FROM coverage c JOIN "
             "submission s ON s.id = c.submission_id WHERE %s "
             "ORDER BY c.province, c.period, s.id",
             v, cur);
    int ret = 0;

    if (sqlite3_prepare_v2(st->db, buf, -1, &s, NULL) != SQLITE_OK)
        return store_error(st, err, "prepare");
    for (;;) {
        int rc = sqlite3_step(s);
        if (rc == SQLITE_DONE)
            break;
        if (rc != SQLITE_ROW) {
            ret = store_error(st, err, "list submissions");
            break;
        }
        struct store_submission_row row;
        const char *per = (const char *)sqlite3_column_text(s, 7);
        row.id = sqlite3_column_int64(s, 0);
        row.file = (const char *)sqlite3_column_text(s, 1);
        row.sha256 = (const char *)sqlite3_column_text(s, 2);
        row.bytes = sqlite3_column_int64(s, 3);
        row.encoding = (const char *)sqlite3_column_text(s, 4);
        row.rows = sqlite3_column_int64(s, 5);
        row.province = sqlite3_column_int(s, 6);
        row.period = stored_period(per);
        row.person_times = sqlite3_column_int64(s, 8);
        row.amount_fen = sqlite3_column_int64(s, 9);
        row.ingested_at = (const char *)sqlite3_column_text(s, 10);
        row.replaced_by = sqlite3_column_int64(s, 11);
        row.file_rows = sqlite3_column_int64(s, 12);
        if (fn(&row, ctx) != 0)
            break;
    }
    sqlite3_finalize(s);
    return ret;
}
