#include "aggregate/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>
#include <sys/stat.h>

#include "common/diag.h"
#include "common/xalloc.h"
#include "ingest/codes.h"
#include "ingest/submission.h"

struct store {
    sqlite3 *db;
    char *path;
    bool in_tx;
};

/* How long a writer waits for another one (ms). */
#define STORE_BUSY_MS (10 * 60 * 1000)

static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS meta (\n"
    "  key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"
    "INSERT OR IGNORE INTO meta VALUES ('schema_version', '1');\n"
    "CREATE TABLE IF NOT EXISTS submission (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  file TEXT NOT NULL,\n"
    "  sha256 TEXT NOT NULL,\n"
    "  bytes INTEGER NOT NULL,\n"
    "  encoding TEXT NOT NULL,\n"
    "  rows INTEGER NOT NULL,\n"
    "  ingested_at TEXT NOT NULL);\n"
    "CREATE INDEX IF NOT EXISTS submission_sha ON submission(sha256);\n"
    "CREATE TABLE IF NOT EXISTS coverage (\n"
    "  submission_id INTEGER NOT NULL REFERENCES submission(id),\n"
    "  province INTEGER NOT NULL,\n"
    "  period TEXT NOT NULL,\n"
    "  rows INTEGER NOT NULL,\n"
    "  person_times INTEGER NOT NULL,\n"
    "  amount_fen INTEGER NOT NULL,\n"
    "  replaced_by INTEGER REFERENCES submission(id),\n"
    "  PRIMARY KEY (submission_id, province, period));\n"
    "CREATE UNIQUE INDEX IF NOT EXISTS coverage_current\n"
    "  ON coverage(province, period) WHERE replaced_by IS NULL;\n"
    "CREATE TABLE IF NOT EXISTS fact (\n"
    "  period TEXT NOT NULL,\n"
    "  province INTEGER NOT NULL,\n"
    "  area INTEGER NOT NULL,\n"
    "  scope TEXT NOT NULL,\n"
    "  use TEXT NOT NULL,\n"
    "  relation TEXT NOT NULL,\n"
    "  person_times INTEGER NOT NULL CHECK (person_times >= 0),\n"
    "  amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),\n"
    "  submission_id INTEGER NOT NULL REFERENCES submission(id),\n"
    "  source_line INTEGER NOT NULL,\n"
    "  PRIMARY KEY (period, area, scope, use, relation)) WITHOUT ROWID;\n"
    "CREATE INDEX IF NOT EXISTS fact_province ON fact(province, period);\n"
    "CREATE TABLE IF NOT EXISTS fact_history (\n"
    "  period TEXT NOT NULL,\n"
    "  province INTEGER NOT NULL,\n"
    "  area INTEGER NOT NULL,\n"
    "  scope TEXT NOT NULL,\n"
    "  use TEXT NOT NULL,\n"
    "  relation TEXT NOT NULL,\n"
    "  person_times INTEGER NOT NULL,\n"
    "  amount_fen INTEGER NOT NULL,\n"
    "  submission_id INTEGER NOT NULL REFERENCES submission(id),\n"
    "  source_line INTEGER NOT NULL,\n"
    "  replaced_by INTEGER NOT NULL REFERENCES submission(id));\n"
    "CREATE INDEX IF NOT EXISTS fact_history_sub\n"
    "  ON fact_history(submission_id);\n";

struct sqlite3 *
store_handle(struct store *st)
{
    return st->db;
}

int
store_error(struct store *st, struct diag *err, const char *what)
{
    diag_set(err, DIAG_IO, "store %s: %s: %s", st->path, what,
             sqlite3_errmsg(st->db));
    return -1;
}

static int
exec(struct store *st, const char *sql, struct diag *err)
{
    char *msg = NULL;
    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        diag_set(err, DIAG_IO, "store %s: %s", st->path,
                 msg ? msg : sqlite3_errmsg(st->db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/*
 * Like exec(), but waits while another process holds a lock SQLite will not
 * wait for itself: switching a new file to WAL needs an exclusive lock, and
 * for that step the busy handler is not always called, so two first ingests
 * into one new store would otherwise fail with "database is locked".
 */
static int
exec_waiting(struct store *st, const char *sql, struct diag *err)
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
    sqlite3_close(st->db);
    free(st->path);
    free(st);
}

struct store *
store_open(const char *path, enum store_mode mode, struct diag *err)
{
    struct store *st = xcalloc(1, sizeof(*st));
    struct stat sb;
    int flags = mode == STORE_WRITE ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                                    : SQLITE_OPEN_READONLY;

    st->path = xstrdup(path);
    if (mode == STORE_READ && stat(path, &sb) < 0) {
        diag_set(err, DIAG_NOINPUT,
                 "store %s: %s (ingest some files first, or give --db)", path,
                 strerror(errno));
        goto fail;
    }
    if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
        if (st->db == NULL) {
            diag_set(err, DIAG_IO, "store %s: cannot open", path);
            goto fail;
        }
        store_error(st, err, "cannot open");
        goto fail;
    }
    sqlite3_busy_timeout(st->db, STORE_BUSY_MS);
    if (exec(st, "PRAGMA foreign_keys = ON", err) < 0)
        goto fail;
    if (mode == STORE_WRITE) {
        /* WAL and the schema are set up under the write lock, so two first
         * ingests into a new file do not race */
        if (exec_waiting(st, "PRAGMA journal_mode = WAL", err) < 0 ||
            exec(st, "PRAGMA synchronous = FULL", err) < 0 ||
            exec_waiting(st, "BEGIN IMMEDIATE", err) < 0)
            goto fail;
        if (exec(st, schema_sql, err) < 0) {
            exec(st, "ROLLBACK", err);
            goto fail;
        }
        if (exec(st, "COMMIT", err) < 0)
            goto fail;
    } else {
        sqlite3_stmt *s = NULL;
        int ok = sqlite3_prepare_v2(st->db,
                                    "SELECT value FROM meta WHERE key = "
                                    "'schema_version'",
                                    -1, &s, NULL) == SQLITE_OK &&
                 sqlite3_step(s) == SQLITE_ROW;
        sqlite3_finalize(s);
        if (!ok) {
            diag_set(err, DIAG_NOINPUT, "store %s: not a gongji store", path);
            goto fail;
        }
    }
    return st;
fail:
    store_close(st);
    return NULL;
}

int
store_begin(struct store *st, struct diag *err)
{
    if (st->in_tx)
        BUG("nested store transaction");
    if (exec_waiting(st, "BEGIN IMMEDIATE", err) < 0)
        return -1;
    st->in_tx = true;
    return 0;
}

int
store_commit(struct store *st, struct diag *err)
{
    if (!st->in_tx)
        BUG("commit outside a transaction");
    if (exec(st, "COMMIT", err) < 0)
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
    exec(st, "ROLLBACK", &ignored);
    st->in_tx = false;
}

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

enum put_stmt {
    PS_SUBMISSION,
    PS_FIND_CURRENT,
    PS_MARK_REPLACED,
    PS_TO_HISTORY,
    PS_DELETE_FACTS,
    PS_COVERAGE,
    PS_FACT,
    PS_N
};

static const char *const put_sql[PS_N] = {
    [PS_SUBMISSION] = "INSERT INTO submission (file, sha256, bytes, "
                      "encoding, rows, ingested_at) VALUES (?,?,?,?,?,?)",
    [PS_FIND_CURRENT] = "SELECT submission_id FROM coverage WHERE "
                        "province = ? AND period = ? AND replaced_by IS NULL",
    [PS_MARK_REPLACED] = "UPDATE coverage SET replaced_by = ? WHERE "
                         "province = ? AND period = ? AND replaced_by IS NULL",
    [PS_TO_HISTORY] = "INSERT INTO fact_history SELECT period, province, "
                      "area, scope, use, relation, person_times, amount_fen, "
                      "submission_id, source_line, ? FROM fact "
                      "WHERE province = ? AND period = ?",
    [PS_DELETE_FACTS] = "DELETE FROM fact WHERE province = ? AND period = ?",
    [PS_COVERAGE] = "INSERT INTO coverage (submission_id, province, period, "
                    "rows, person_times, amount_fen) VALUES (?,?,?,?,?,?)",
    [PS_FACT] = "INSERT INTO fact (period, province, area, scope, use, "
                "relation, person_times, amount_fen, submission_id, "
                "source_line) VALUES (?,?,?,?,?,?,?,?,?,?)",
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
 * What is stored for the pair (province, per) moves to history, marked
 * replaced by submission sub.
 */
static int
put_replace(struct store *st, sqlite3_stmt *const *ps, sqlite3_int64 sub,
            int province, const char *per, struct diag *err)
{
    sqlite3_stmt *s = ps[PS_MARK_REPLACED];
    sqlite3_bind_int64(s, 1, sub);
    sqlite3_bind_int(s, 2, province);
    sqlite3_bind_text(s, 3, per, -1, SQLITE_TRANSIENT);
    if (step_done(st, s, err, "mark replaced") < 0)
        return -1;
    s = ps[PS_TO_HISTORY];
    sqlite3_bind_int64(s, 1, sub);
    sqlite3_bind_int(s, 2, province);
    sqlite3_bind_text(s, 3, per, -1, SQLITE_TRANSIENT);
    if (step_done(st, s, err, "keep history") < 0)
        return -1;
    s = ps[PS_DELETE_FACTS];
    sqlite3_bind_int(s, 1, province);
    sqlite3_bind_text(s, 2, per, -1, SQLITE_TRANSIENT);
    return step_done(st, s, err, "replace facts");
}

/* One (province, month) of sf: replace what is stored, record coverage. */
static int
put_coverage(struct store *st, sqlite3_stmt *const *ps, sqlite3_int64 sub,
             const struct coverage *cv, struct store_put_result *res,
             struct diag *err)
{
    char per[PERIOD_LABEL_MAX];
    sqlite3_stmt *s = ps[PS_FIND_CURRENT];

    period_format(per, sizeof(per), cv->period);
    sqlite3_bind_int(s, 1, cv->province);
    sqlite3_bind_text(s, 2, per, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (rc == SQLITE_ROW) {
        res->pairs_replaced++;
        if (put_replace(st, ps, sub, cv->province, per, err) < 0)
            return -1;
    } else if (rc == SQLITE_DONE) {
        res->pairs_new++;
    } else {
        return store_error(st, err, "find coverage");
    }
    s = ps[PS_COVERAGE];
    sqlite3_bind_int64(s, 1, sub);
    sqlite3_bind_int(s, 2, cv->province);
    sqlite3_bind_text(s, 3, per, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 4, (sqlite3_int64)cv->rows);
    sqlite3_bind_int64(s, 5, cv->person_times);
    sqlite3_bind_int64(s, 6, cv->amount_fen);
    return step_done(st, s, err, "insert coverage");
}

static int
put_fact(struct store *st, sqlite3_stmt *s, sqlite3_int64 sub,
         const struct record *r, struct diag *err)
{
    char per[PERIOD_LABEL_MAX];

    period_format(per, sizeof(per), r->period);
    sqlite3_bind_text(s, 1, per, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(s, 2, r->area / 10000 * 10000);
    sqlite3_bind_int(s, 3, r->area);
    sqlite3_bind_text(s, 4, codes_code(CODESET_SCOPE, r->scope), -1,
                      SQLITE_STATIC);
    sqlite3_bind_text(s, 5, codes_code(CODESET_USE, r->use), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 6, codes_code(CODESET_RELATION, r->relation), -1,
                      SQLITE_STATIC);
    sqlite3_bind_int64(s, 7, r->person_times);
    sqlite3_bind_int64(s, 8, r->amount_fen);
    sqlite3_bind_int64(s, 9, sub);
    sqlite3_bind_int64(s, 10, (sqlite3_int64)r->line);
    return step_done(st, s, err, "insert fact");
}

int
store_put(struct store *st, const struct submission *sf,
          const char *ingested_at, struct store_put_result *res,
          struct diag *err)
{
    sqlite3_stmt *ps[PS_N] = {NULL};
    sqlite3_int64 sub;
    bool same = false;
    int ret = -1;

    memset(res, 0, sizeof(*res));
    if (!st->in_tx)
        BUG("store_put outside a transaction");
    if (already_current(st, sf, &same, err) < 0)
        return -1;
    if (same) {
        res->unchanged = true;
        return 0;
    }
    for (int i = 0; i < PS_N; i++)
        if (sqlite3_prepare_v2(st->db, put_sql[i], -1, &ps[i], NULL) !=
            SQLITE_OK) {
            store_error(st, err, "prepare");
            goto out;
        }
    if (put_submission(st, ps[PS_SUBMISSION], sf, ingested_at, &sub, err) < 0)
        goto out;
    res->submission_id = sub;
    for (size_t i = 0; i < sf->ncover; i++)
        if (put_coverage(st, ps, sub, &sf->cover[i], res, err) < 0)
            goto out;
    for (size_t i = 0; i < sf->nrows; i++)
        if (put_fact(st, ps[PS_FACT], sub, &sf->rows[i], err) < 0)
            goto out;
    ret = 0;
out:
    for (int i = 0; i < PS_N; i++)
        sqlite3_finalize(ps[i]);
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
    static const char sql_current[] =
        "SELECT s.id, s.file, s.sha256, s.bytes, s.encoding, c.rows, "
        "c.province, c.period, c.person_times, c.amount_fen, s.ingested_at, "
        "coalesce(c.replaced_by, 0), s.rows FROM coverage c JOIN submission s "
        "ON s.id = c.submission_id WHERE c.replaced_by IS NULL "
        "ORDER BY c.province, c.period, s.id";
    static const char sql_history[] =
        "SELECT s.id, s.file, s.sha256, s.bytes, s.encoding, c.rows, "
        "c.province, c.period, c.person_times, c.amount_fen, s.ingested_at, "
        "coalesce(c.replaced_by, 0), s.rows FROM coverage c JOIN submission s "
        "ON s.id = c.submission_id ORDER BY c.province, c.period, s.id";
    const char *buf = history ? sql_history : sql_current;
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
