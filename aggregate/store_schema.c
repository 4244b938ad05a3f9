/* SPDX-License-Identifier: MIT */
/*
 * aggregate/store_schema.c - the store's schema, its versions and their
 * migrations, and opening a file as a store (store_open): what the file
 * is, whether this gongji may use it, its health.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>
#include <sys/stat.h>

#include "aggregate/store.h"
#include "aggregate/store_int.h"
#include "common/diag.h"
#include "common/i18n.h"
#include "common/xalloc.h"

/*
 * How long a reader waits for a store that exists but has no tables yet -
 * one a concurrent first ingest is creating - before calling it empty (ms).
 */
#define STORE_CREATE_WAIT_MS 5000

/*
 * A writer runs PRAGMA quick_check before its first write when the store
 * file is at most this big: it reads every page once (see README for the
 * measured cost), so it stays cheap against the ingest itself.
 */
#define STORE_CHECK_MAX_BYTES ((long long)64 * 1024 * 1024)

/* PRAGMA application_id of a gongji store (0x474a5354, "GJST"), from v2. */
#define STORE_APPLICATION_ID 1196053332
#define STORE_STR_(x)        #x
#define STORE_STR(x)         STORE_STR_(x)

/*
 * The schema as version 1 created it.  Never edit it: a change to the
 * tables is a new entry in migrations[] below, so an old store and a new
 * one end up with the same schema.
 */
static const char schema_v1_sql[] =
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

/*
 * Migrations, applied in order: migrations[i] turns a store of version
 * i + 1 into one of version i + 2.  All those a store needs run in one
 * transaction together with the bump of meta.schema_version, so a store is
 * always wholly at one version.  A new store is made by schema_v1_sql and
 * then every migration, the same path an old store takes.
 *
 * old_readable says that this gongji's readers work on a store from before
 * the migration, so a store that cannot be migrated (read-only medium) can
 * still be queried when every migration it lacks says so.
 */
struct migration {
    const char *sql;
    bool old_readable;
};

/*
 * fact_key (part of version 5): the facts summed over area and relation,
 * one row per (submission, province, period, channel, scope, use), in
 * effect (replaced_by NULL) or replaced by the submission that replaced
 * that submission's province-month - all of its facts there go together
 * (store.c).  store_put() writes it with the facts; queries that need
 * neither area nor relation read it instead of fact (aggregate/query.c).
 * Made anew from fact and fact_history for a store stored before it
 * (one made older by hand may have a stale one); also run on a version-5
 * store made before fact_key was part of it (version 5 was not released
 * then).
 */
#define FACT_KEY_SQL                                                           \
    "DROP TABLE IF EXISTS fact_key;\n"                                         \
    "CREATE TABLE fact_key (\n"                                                \
    "  period TEXT NOT NULL,\n"                                                \
    "  province INTEGER NOT NULL,\n"                                           \
    "  channel TEXT NOT NULL,\n"                                               \
    "  scope TEXT NOT NULL,\n"                                                 \
    "  use TEXT NOT NULL,\n"                                                   \
    "  submission_id INTEGER NOT NULL REFERENCES submission(id),\n"            \
    "  person_times INTEGER NOT NULL,\n"                                       \
    "  amount_fen INTEGER NOT NULL,\n"                                         \
    "  replaced_by INTEGER REFERENCES submission(id),\n"                       \
    "  PRIMARY KEY (period, province, channel, scope, use, submission_id))\n"  \
    "  WITHOUT ROWID;\n"                                                       \
    "INSERT INTO fact_key (period, province, channel, scope, use,\n"           \
    "  submission_id, person_times, amount_fen, replaced_by)\n"                \
    "  SELECT period, province, channel, scope, use, submission_id,\n"         \
    "  sum(person_times), sum(amount_fen), NULL FROM fact\n"                   \
    "  GROUP BY period, province, channel, scope, use, submission_id\n"        \
    "  UNION ALL\n"                                                            \
    "  SELECT period, province, channel, scope, use, submission_id,\n"         \
    "  sum(person_times), sum(amount_fen), replaced_by FROM fact_history\n"    \
    "  GROUP BY period, province, channel, scope, use, submission_id,\n"       \
    "  replaced_by;\n"

static const struct migration migrations[] = {
    /* 2: the file says it is a gongji store (PRAGMA application_id) */
    {"PRAGMA application_id = " STORE_STR(STORE_APPLICATION_ID), true},
    /*
     * 3: a coverage row may be one part of its province-month (one city),
     * named by `part` ('' = the whole), so parts add up instead of
     * replacing each other: one row in effect per (province, period,
     * part).  Readers do not read `part`.
     */
    {"ALTER TABLE coverage ADD COLUMN part TEXT NOT NULL DEFAULT '';\n"
     "DROP INDEX IF EXISTS coverage_current;\n"
     "CREATE UNIQUE INDEX coverage_current\n"
     "  ON coverage(province, period, part) WHERE replaced_by IS NULL;\n",
     true},
    /*
     * 4: the channel (ingest/codes.h) is part of a fact's key; every fact
     * stored before is the account's, which is all a file without a
     * channel column holds.  A key column cannot be added in place: fact
     * is copied into its new shape.  A reader that cannot migrate reads
     * an older fact table with channel 'account' (store_fact_channel()).
     */
    {"CREATE TABLE fact_v4 (\n"
     "  period TEXT NOT NULL,\n"
     "  province INTEGER NOT NULL,\n"
     "  area INTEGER NOT NULL,\n"
     "  channel TEXT NOT NULL DEFAULT 'account',\n"
     "  scope TEXT NOT NULL,\n"
     "  use TEXT NOT NULL,\n"
     "  relation TEXT NOT NULL,\n"
     "  person_times INTEGER NOT NULL CHECK (person_times >= 0),\n"
     "  amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),\n"
     "  submission_id INTEGER NOT NULL REFERENCES submission(id),\n"
     "  source_line INTEGER NOT NULL,\n"
     "  PRIMARY KEY (period, area, channel, scope, use, relation))\n"
     "  WITHOUT ROWID;\n"
     "INSERT INTO fact_v4 (period, province, area, channel, scope, use,\n"
     "  relation, person_times, amount_fen, submission_id, source_line)\n"
     "  SELECT period, province, area, 'account', scope, use, relation,\n"
     "  person_times, amount_fen, submission_id, source_line FROM fact;\n"
     "DROP TABLE fact;\n"
     "ALTER TABLE fact_v4 RENAME TO fact;\n"
     "CREATE INDEX fact_province ON fact(province, period);\n"
     "ALTER TABLE fact_history ADD COLUMN channel TEXT NOT NULL\n"
     "  DEFAULT 'account';\n",
     true},
    /*
     * 5: releases.  Each bulletin that writes a release records it: its
     * period and region, the style and template, when, the vintage (the
     * last submission it saw) and a fingerprint of the file versions it
     * used, and every figure it printed (figures.csv).  The index on
     * fact_history.replaced_by lets a reader at a vintage (store.h) find
     * the facts that were in effect then.  fact_key (above): the facts
     * summed over area and relation.  Readers of version 4 see no release
     * and read fact alone.
     */
    {"CREATE TABLE release (\n"
     "  id INTEGER PRIMARY KEY,\n"
     "  period TEXT NOT NULL,\n"
     "  province INTEGER NOT NULL,\n"
     "  style TEXT NOT NULL,\n"
     "  template TEXT NOT NULL,\n"
     "  released_at TEXT NOT NULL,\n"
     "  vintage INTEGER NOT NULL,\n"
     "  fingerprint TEXT NOT NULL);\n"
     "CREATE TABLE release_figure (\n"
     "  release_id INTEGER NOT NULL REFERENCES release(id),\n"
     "  seq INTEGER NOT NULL,\n"
     "  name TEXT NOT NULL,\n"
     "  value TEXT NOT NULL,\n"
     "  PRIMARY KEY (release_id, seq)) WITHOUT ROWID;\n"
     "CREATE INDEX fact_history_replaced ON "
     "fact_history(replaced_by);\n" FACT_KEY_SQL,
     true},
    /*
     * 6: no index fact_province.  A province-month's facts are a range of
     * fact's own key (the period, then the province's areas: code to
     * code + 9999), which is how writers and readers find them now; the
     * index was 44 % of a store and a third of the time of an ingest.
     */
    {"DROP INDEX IF EXISTS fact_province;\n", true},
};

_Static_assert(STORE_SCHEMA_VERSION ==
                   1 + sizeof(migrations) / sizeof(migrations[0]),
               "STORE_SCHEMA_VERSION is 1 + the number of migrations");

/* The tables every version has; a store missing one was changed by hand. */
static const char *const store_tables[] = {"meta", "submission", "coverage",
                                           "fact", "fact_history"};

/* ---------------------------------------------------------------------- */
/* Opening: what the file is, its version, its health                      */
/* ---------------------------------------------------------------------- */

enum store_kind {
    KIND_EMPTY,   /* a SQLite database without any table (or a new file) */
    KIND_GONGJI,  /* meta.schema_version is there */
    KIND_FOREIGN, /* tables, but not ours */
};

struct probe {
    enum store_kind kind;
    int version;          /* KIND_GONGJI: meta.schema_version */
    const char *missing;  /* KIND_GONGJI: a table of ours not there */
    char tables[200];     /* the tables found, "a, b, c" (cut with "...") */
    char bad_version[24]; /* schema_version text that is not a number */
    bool has_fact_key;    /* a table fact_key is there */
};

/* Fill err from SQLite's last error on the store: "store X: msg". */
static int
open_error(struct store *st, struct diag *err, enum diag_code code)
{
    int sys = st->db != NULL ? sqlite3_system_errno(st->db) : 0;
    const char *msg = st->db != NULL ? sqlite3_errmsg(st->db) : "out of memory";

    if (sys != 0 && sqlite3_errcode(st->db) == SQLITE_CANTOPEN)
        diag_set(err, code, _("store %s: %s (%s)"), st->path, msg,
                 strerror(sys));
    else
        diag_set(err, code, _("store %s: %s"), st->path, msg);
    return -1;
}

/* "file:" URI of path with ?immutable=1, percent-encoding what needs it. */
static char *
immutable_uri(const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(path);
    char *uri = xmalloc(3 * n + 32);
    char *o = uri;

    o += sprintf(o, "file:%s", path[0] == '/' ? "//" : "");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
            (*p >= '0' && *p <= '9') || strchr("/-._~", *p) != NULL) {
            *o++ = (char)*p;
        } else {
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
    }
    strcpy(o, "?immutable=1");
    return uri;
}

/* (Re)connect st->db; returns SQLite's code. */
static int
connect(struct store *st, int flags, bool immutable)
{
    char *uri = immutable ? immutable_uri(st->path) : NULL;

    for (int i = 0; i < STORE_PUT_STMTS; i++) {
        sqlite3_finalize(st->put_ps[i]);
        st->put_ps[i] = NULL;
    }
    sqlite3_close(st->db);
    st->db = NULL;
    /* one thread uses a store at a time: no mutex on every call */
    int rc = sqlite3_open_v2(uri != NULL ? uri : st->path, &st->db,
                             flags | SQLITE_OPEN_NOMUTEX |
                                 (uri != NULL ? SQLITE_OPEN_URI : 0),
                             NULL);
    free(uri);
    if (st->db != NULL)
        sqlite3_busy_timeout(st->db, STORE_BUSY_MS);
    st->readonly = (flags & SQLITE_OPEN_READONLY) != 0;
    st->immutable = immutable;
    return rc;
}

/* Parse the stored schema_version: 1 to 9 digits. */
static bool
parse_version(const char *t, int *v)
{
    int n = 0;
    size_t len = t != NULL ? strlen(t) : 0;

    if (len == 0 || len > 9)
        return false;
    for (size_t i = 0; i < len; i++) {
        if (t[i] < '0' || t[i] > '9')
            return false;
        n = n * 10 + (t[i] - '0');
    }
    *v = n;
    return true;
}

/*
 * What the file at st holds: its tables and, for a gongji store, its
 * version.  Only reads.  Returns SQLite's code (SQLITE_OK, or the error,
 * with the message on st->db).
 */
static int
probe(struct store *st, struct probe *p)
{
    sqlite3_stmt *s = NULL;
    size_t ntables = 0, used = 0;
    bool found[sizeof(store_tables) / sizeof(store_tables[0])] = {false};
    int rc;

    memset(p, 0, sizeof(*p));
    rc = sqlite3_prepare_v2(st->db,
                            "SELECT name FROM sqlite_master WHERE type = "
                            "'table' ORDER BY name",
                            -1, &s, NULL);
    while (rc == SQLITE_OK || rc == SQLITE_ROW) {
        if ((rc = sqlite3_step(s)) != SQLITE_ROW)
            break;
        const char *name = (const char *)sqlite3_column_text(s, 0);
        if (name == NULL)
            continue;
        for (size_t i = 0; i < sizeof(found) / sizeof(found[0]); i++)
            found[i] |= strcmp(name, store_tables[i]) == 0;
        p->has_fact_key |= strcmp(name, "fact_key") == 0;
        size_t len = strlen(name);
        if (used + len + 6 < sizeof(p->tables)) {
            used += (size_t)sprintf(p->tables + used, "%s%s",
                                    ntables ? ", " : "", name);
        } else if (used + 5 < sizeof(p->tables) &&
                   strstr(p->tables, "...") == NULL) {
            strcpy(p->tables + used, ", ...");
            used += 5;
        }
        ntables++;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return rc;
    p->kind = ntables == 0 ? KIND_EMPTY : KIND_FOREIGN;
    if (!found[0])
        return SQLITE_OK;
    rc = sqlite3_prepare_v2(
        st->db, "SELECT value FROM meta WHERE key = 'schema_version'", -1, &s,
        NULL);
    if (rc == SQLITE_ERROR) /* a "meta" table of another shape */
        return SQLITE_OK;
    if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(s, 0);
        p->kind = KIND_GONGJI;
        if (!parse_version(v, &p->version))
            snprintf(p->bad_version, sizeof(p->bad_version), "%s",
                     v != NULL ? v : "NULL");
        rc = SQLITE_DONE;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return rc;
    for (size_t i = 0; i < sizeof(found) / sizeof(found[0]); i++)
        if (!found[i] && p->missing == NULL)
            p->missing = store_tables[i];
    return SQLITE_OK;
}

/*
 * Refuse what this gongji must not read or write: another application's
 * database, a store from a newer gongji, a store whose tables were
 * changed.  Returns 0 when the store may be used (migrated if older).
 */
static int
refuse(struct store *st, const struct probe *p, struct diag *err)
{
    if (p->kind == KIND_FOREIGN)
        return diag_set(err, DIAG_NOINPUT,
                        _("%s is a SQLite database but not a gongji store "
                          "(tables: %s); give another --db"),
                        st->path, p->tables);
    if (p->kind != KIND_GONGJI)
        return 0;
    if (p->bad_version[0] != '\0' || p->version < 1)
        return diag_set(err, DIAG_NOINPUT,
                        _("store %s: schema_version '%s' is not a version "
                          "gongji wrote; give another --db"),
                        st->path, p->bad_version[0] ? p->bad_version : "0");
    if (p->version > STORE_SCHEMA_VERSION)
        return diag_set(err, DIAG_NOINPUT,
                        _("store %s has schema version %d, newer than this "
                          "gongji's %d: use a newer gongji"),
                        st->path, p->version, STORE_SCHEMA_VERSION);
    if (p->missing != NULL)
        return diag_set(err, DIAG_NOINPUT,
                        _("store %s (schema version %d) has no table '%s' "
                          "(tables: %s): it was changed outside gongji"),
                        st->path, p->version, p->missing, p->tables);
    return 0;
}

/*
 * PRAGMA quick_check on a store small enough for it: every b-tree page is
 * read and checked, so a damaged store is refused before anything is
 * written into it.
 */
static int
check_integrity(struct store *st, struct diag *err)
{
    struct stat sb;
    sqlite3_stmt *s = NULL;

    if (stat(st->path, &sb) == 0 &&
        (long long)sb.st_size > STORE_CHECK_MAX_BYTES)
        return 0;
    int rc = sqlite3_prepare_v2(st->db, "PRAGMA quick_check(1)", -1, &s, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(s, 0);
        static const char prefix[] = "*** in database main ***\n";
        if (t != NULL && strncmp(t, prefix, sizeof(prefix) - 1) == 0)
            t += sizeof(prefix) - 1;
        if (t == NULL || strcmp(t, "ok") != 0) {
            /* the first problem, on one line */
            diag_set(err, DIAG_IO,
                     _("store %s: database disk image is malformed "
                       "(quick_check: %.*s); nothing written: restore it from "
                       "a copy"),
                     st->path, t != NULL ? (int)strcspn(t, "\n") : 1,
                     t != NULL ? t : "?");
        } else {
            rc = SQLITE_OK;
        }
    } else {
        open_error(st, err, DIAG_IO);
    }
    sqlite3_finalize(s);
    return rc == SQLITE_OK ? 0 : -1;
}

/* Bring a store of version `from` (0: empty) to STORE_SCHEMA_VERSION. */
static int
migrate(struct store *st, int from, struct diag *err)
{
    char sql[96];

    if (from == 0) {
        if (store_exec(st, schema_v1_sql, err) < 0)
            return -1;
        from = 1;
    }
    for (int v = from; v < STORE_SCHEMA_VERSION; v++) {
        if (store_exec(st, migrations[v - 1].sql, err) < 0)
            return -1;
        snprintf(sql, sizeof(sql),
                 "UPDATE meta SET value = '%d' WHERE key = 'schema_version'",
                 v + 1);
        if (store_exec(st, sql, err) < 0)
            return -1;
    }
    return 0;
}

/*
 * Open for writing: refuse before touching the file (even the switch to
 * WAL writes its header), check it, then create or migrate the schema
 * under the write lock, looking again at what is there once the lock is
 * held (a concurrent first ingest may have created it meanwhile).
 */
static int
open_write(struct store *st, struct diag *err)
{
    struct probe p;
    int rc = connect(st, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, false);

    if (rc != SQLITE_OK || (rc = probe(st, &p)) != SQLITE_OK)
        return open_error(st, err, DIAG_IO);
    if (refuse(st, &p, err) < 0)
        return -1;
    if (p.kind == KIND_GONGJI && check_integrity(st, err) < 0)
        return -1;
    if (store_exec(st, "PRAGMA foreign_keys = ON", err) < 0 ||
        store_exec_waiting(st, "PRAGMA journal_mode = WAL", err) < 0 ||
        store_exec(st, "PRAGMA synchronous = FULL", err) < 0 ||
        store_exec_waiting(st, "BEGIN IMMEDIATE", err) < 0)
        return -1;
    st->in_tx = true;
    if (probe(st, &p) != SQLITE_OK) {
        open_error(st, err, DIAG_IO);
        goto fail;
    }
    if (refuse(st, &p, err) < 0)
        goto fail;
    if ((p.kind == KIND_EMPTY || p.version < STORE_SCHEMA_VERSION) &&
        migrate(st, p.kind == KIND_EMPTY ? 0 : p.version, err) < 0)
        goto fail;
    /* a version-5 store from before fact_key (migration 5 made it) */
    if (p.kind != KIND_EMPTY && p.version >= 5 && !p.has_fact_key &&
        store_exec(st, FACT_KEY_SQL, err) < 0)
        goto fail;
    if (store_commit(st, err) < 0)
        return -1;
    st->has_fact_key = true;
    return 0;
fail:
    store_rollback(st);
    return -1;
}

/* Is there a -wal file with something in it next to the store? */
static bool
has_wal(const char *path)
{
    struct stat sb;
    size_t n = strlen(path);
    char *wal = xmalloc(n + 5);

    memcpy(wal, path, n);
    memcpy(wal + n, "-wal", 5);
    bool yes = stat(wal, &sb) == 0 && sb.st_size > 0;
    free(wal);
    return yes;
}

/*
 * Open for reading.  A store SQLite cannot open read-only in WAL mode
 * because nothing may be created next to it (a read-only directory or
 * medium) is opened immutable instead, when no -wal file holds commits.
 * A file without tables yet is waited for a little: it is most likely a
 * store a first ingest is creating.
 */
static int
open_read(struct store *st, struct diag *err)
{
    const struct timespec pause = {0, 20 * 1000 * 1000};
    bool immutable = false;
    struct probe p;

    for (long waited = 0;; waited += 20) {
        int rc = connect(st, SQLITE_OPEN_READONLY, immutable);
        if (rc == SQLITE_OK)
            rc = probe(st, &p);
        if ((rc == SQLITE_READONLY || rc == SQLITE_CANTOPEN) && !immutable &&
            !has_wal(st->path)) {
            immutable = true;
            continue;
        }
        bool again = rc == SQLITE_BUSY || rc == SQLITE_LOCKED ||
                     (rc == SQLITE_OK && p.kind == KIND_EMPTY);
        if (!again || waited >= STORE_CREATE_WAIT_MS) {
            if (rc != SQLITE_OK)
                return open_error(st, err, DIAG_IO);
            break;
        }
        nanosleep(&pause, NULL);
    }
    if (p.kind == KIND_EMPTY)
        return diag_set(err, DIAG_NOINPUT,
                        _("store %s has no gongji tables (ingest some files "
                          "first, or give --db)"),
                        st->path);
    if (refuse(st, &p, err) < 0)
        return -1;
    if (p.version < STORE_SCHEMA_VERSION) {
        /*
         * An older store is upgraded once, by whoever opens it first with
         * write access; a reader that cannot write it reads it as it is if
         * that is safe, and says how to upgrade it otherwise.
         */
        struct diag werr;
        bool readable = true;
        for (int v = p.version; v < STORE_SCHEMA_VERSION; v++)
            readable &= migrations[v - 1].old_readable;
        diag_clear(&werr);
        if (open_write(st, &werr) < 0) {
            if (!readable)
                return diag_set(err, DIAG_NOINPUT,
                                _("store %s has schema version %d and this "
                                  "gongji needs %d: it is upgraded when opened "
                                  "by an account that can write it and its "
                                  "directory (%s)"),
                                st->path, p.version, STORE_SCHEMA_VERSION,
                                werr.msg);
            if (connect(st, SQLITE_OPEN_READONLY, immutable) != SQLITE_OK)
                return open_error(st, err, DIAG_IO);
            st->version = p.version;
            st->has_fact_key = false;
        }
    } else {
        st->has_fact_key = p.has_fact_key;
    }
    return store_exec(st, "PRAGMA foreign_keys = ON", err);
}

struct store *
store_open_peer(const struct store *st)
{
    if (!st->readonly || st->in_tx || st->version != 0)
        return NULL;
    struct store *p = xcalloc(1, sizeof(*p));
    p->path = xstrdup(st->path);
    if (connect(p, SQLITE_OPEN_READONLY, st->immutable) != SQLITE_OK) {
        store_close(p);
        return NULL;
    }
    p->vintage = st->vintage;
    p->has_release_cut = st->has_release_cut;
    p->release_cut = st->release_cut;
    memcpy(p->fact_src, st->fact_src, sizeof(p->fact_src));
    p->has_fact_key = st->has_fact_key;
    return p;
}

struct store *
store_open(const char *path, enum store_mode mode, struct diag *err)
{
    struct store *st = xcalloc(1, sizeof(*st));
    struct stat sb;

    st->path = xstrdup(path);
    if (mode == STORE_READ && stat(path, &sb) < 0) {
        diag_set(err, DIAG_NOINPUT,
                 _("store %s: %s (ingest some files first, or give --db)"),
                 path, strerror(errno));
        goto fail;
    }
    if ((mode == STORE_WRITE ? open_write(st, err) : open_read(st, err)) < 0)
        goto fail;
    return st;
fail:
    store_close(st);
    return NULL;
}
