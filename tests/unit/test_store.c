/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_store.c - the SQLite store (DESIGN §4) on a real database
 * in a temporary directory: what a put stores, replacement with history,
 * byte-identical files as no-ops, all-or-nothing transactions, provenance.
 *
 * Inputs are summary files parsed from small CSV texts (so the SHA-256 and
 * coverage totals are the real ones), or built in memory where a test needs
 * a record summary_parse() would never let through.  Stored contents are
 * read back with plain SQL over store_handle(), in the table layout
 * documented in aggregate/store.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include "aggregate/store.h"
#include "common/diag.h"
#include "common/sbuf.h"
#include "common/sha256.h"
#include "ingest/codes.h"
#include "ingest/refdata.h"
#include "ingest/summary.h"

#define WHEN  "2024-10-05T08:00:00Z"
#define WHEN2 "2024-10-06T09:30:00Z"
#define HDR   "period,area,scope,use,relation,person_times,amount\n"

/* Zhejiang, September 2024: three rows over two areas. */
#define ZJ_09                                                                  \
    HDR "2024-09,330100,same_area,medical,spouse,10,12.30\n"                   \
        "2024-09,330100,cross_area,pharmacy,parent,5,0.07\n"                   \
        "2024-09,330200,same_area,medical,child,7,1000.00\n"

/* A correction of ZJ_09: one key changed, one key dropped. */
#define ZJ_09_V2                                                               \
    HDR "2024-09,330100,same_area,medical,spouse,11,13.30\n"                   \
        "2024-09,330200,same_area,medical,child,7,1000.00\n"

struct fixture {
    char dir[64];
    char db[96];
    struct refdata *rd;
    struct store *st;
};

static const char *
data_dir(void)
{
    const char *d = getenv("GONGJI_DATA");
    return d != NULL && *d != '\0' ? d : "data";
}

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    const char *tmp = getenv("TMPDIR");
    struct diag err;

    if (f == NULL)
        return -1;
    diag_clear(&err);
    snprintf(f->dir, sizeof(f->dir), "%s/gongji-store-XXXXXX",
             tmp != NULL && *tmp != '\0' && strlen(tmp) < 32 ? tmp : "/tmp");
    if (mkdtemp(f->dir) == NULL) {
        perror(f->dir);
        free(f);
        return -1;
    }
    snprintf(f->db, sizeof(f->db), "%s/gongji.db", f->dir);
    f->rd = refdata_load(data_dir(), &err);
    if (f->rd == NULL) {
        diag_print(stderr, &err);
        rmdir(f->dir);
        free(f);
        return -1;
    }
    f->st = store_open(f->db, STORE_WRITE, &err);
    if (f->st == NULL) {
        diag_print(stderr, &err);
        refdata_free(f->rd);
        rmdir(f->dir);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    char path[128];

    store_close(f->st);
    for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
        snprintf(path, sizeof(path), "%s%s", f->db, suffix[i]);
        unlink(path);
    }
    for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
        snprintf(path, sizeof(path), "%s/other.db%s", f->dir, suffix[i]);
        unlink(path);
    }
    rmdir(f->dir);
    refdata_free(f->rd);
    free(f);
    return 0;
}

/* Close and reopen the store: what was committed is what survives. */
static void
reopen(struct fixture *f)
{
    struct diag err;

    diag_clear(&err);
    store_close(f->st);
    f->st = store_open(f->db, STORE_WRITE, &err);
    if (f->st == NULL) {
        diag_print(stderr, &err);
        fail_msg("reopen %s", f->db);
    }
}

/* Parse csv as the file `name`; it must be valid. */
static void
parse(struct fixture *f, struct submission *sf, const char *name,
      const char *csv)
{
    const struct ingest_opts opts = {ENC_AUTO, false, NULL};
    struct diag_list dl;

    diag_list_init(&dl);
    submission_init(sf);
    if (summary_parse(sf, name, csv, strlen(csv), &opts, f->rd, &dl) != 0) {
        diag_list_print(stderr, &dl);
        fail_msg("%s does not parse", name);
    }
    diag_list_release(&dl);
}

/* --replace, and --part 杭州 / 宁波 */
static const struct store_put_opts REPLACE = {NULL, true};
static const struct store_put_opts PART_HZ = {"杭州", false};
static const struct store_put_opts PART_NB = {"宁波", false};

/*
 * One put with opts in its own committed transaction; it must succeed.
 * res keeps its counts, its plan is released.
 */
static void
put_commit_opts(struct fixture *f, const struct submission *sf,
                const struct store_put_opts *opts, const char *when,
                struct store_put_result *res)
{
    struct diag err;

    diag_clear(&err);
    if (store_begin(f->st, &err) < 0 ||
        store_put(f->st, sf, opts, when, res, &err) < 0 ||
        store_commit(f->st, &err) < 0) {
        diag_print(stderr, &err);
        fail_msg("put %s", sf->path);
    }
    store_put_result_release(res);
}

static void
put_commit(struct fixture *f, const struct submission *sf, const char *when,
           struct store_put_result *res)
{
    put_commit_opts(f, sf, NULL, when, res);
}

/* Parse, put with opts and commit; the summary is released again. */
static void
ingest_opts(struct fixture *f, const char *name, const char *csv,
            const struct store_put_opts *opts, const char *when,
            struct store_put_result *res)
{
    struct submission sf;

    parse(f, &sf, name, csv);
    put_commit_opts(f, &sf, opts, when, res);
    submission_release(&sf);
}

static void
ingest(struct fixture *f, const char *name, const char *csv, const char *when,
       struct store_put_result *res)
{
    ingest_opts(f, name, csv, NULL, when, res);
}

/*
 * The rows of an SQL query as text: columns joined by '|', one line per
 * row.  Caller frees.
 */
static char *
sql_dump_db(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s = NULL;
    struct sbuf sb = SBUF_INIT;
    int rc;

    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        fail_msg("prepare %s: %s", sql, sqlite3_errmsg(db));
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int n = sqlite3_column_count(s);
        for (int i = 0; i < n; i++) {
            const unsigned char *t = sqlite3_column_text(s, i);
            sbuf_addf(&sb, "%s%s", i ? "|" : "",
                      t != NULL ? (const char *)t : "NULL");
        }
        sbuf_addch(&sb, '\n');
    }
    if (rc != SQLITE_DONE)
        fail_msg("step %s: %s", sql, sqlite3_errmsg(db));
    sqlite3_finalize(s);
    return sbuf_detach(&sb, NULL);
}

static char *
sql_dump(struct store *st, const char *sql)
{
    return sql_dump_db(store_handle(st), sql);
}

static void
assert_sql(struct store *st, const char *sql, const char *want)
{
    char *got = sql_dump(st, sql);
    if (strcmp(got, want) != 0) {
        fprintf(stderr, "%s\n--- want\n%s--- got\n%s", sql, want, got);
        free(got);
        fail_msg("stored contents differ");
    }
    free(got);
}

static int64_t
sql_int(struct store *st, const char *sql)
{
    sqlite3 *db = store_handle(st);
    sqlite3_stmt *s = NULL;

    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK ||
        sqlite3_step(s) != SQLITE_ROW)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    int64_t v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

/*
 * Parse csv and put it with opts: the put must be refused, and nothing
 * written.  res->plan says why (the caller releases res); the parsed file
 * is in *sf (the caller releases it: the plan points into its cover).
 */
static void
put_refused(struct fixture *f, struct submission *sf, const char *name,
            const char *csv, const struct store_put_opts *opts,
            struct store_put_result *res)
{
    struct diag err;

    parse(f, sf, name, csv);
    int64_t nsub = sql_int(f->st, "SELECT count(*) FROM submission");
    int64_t nhist = sql_int(f->st, "SELECT count(*) FROM fact_history");
    char *facts = sql_dump(f->st, "SELECT * FROM fact ORDER BY 1, 3, 4, 5, 6");
    diag_clear(&err);
    assert_int_equal(store_begin(f->st, &err), 0);
    assert_int_equal(store_put(f->st, sf, opts, WHEN2, res, &err), -1);
    assert_int_equal(err.code, DIAG_DATA);
    assert_true(res->refused);
    assert_true(res->plan.refused);
    /* nothing was written, even inside the transaction */
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM submission"), nsub);
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM fact_history"),
                     nhist);
    assert_sql(f->st, "SELECT * FROM fact ORDER BY 1, 3, 4, 5, 6", facts);
    free(facts);
    store_rollback(f->st);
}

#define FACTS_SQL                                                              \
    "SELECT period, province, area, scope, use, relation, person_times, "      \
    "amount_fen, submission_id, source_line FROM fact "                        \
    "ORDER BY submission_id, source_line"
#define HISTORY_SQL                                                            \
    "SELECT period, province, area, scope, use, relation, person_times, "      \
    "amount_fen, submission_id, source_line, replaced_by FROM fact_history "   \
    "ORDER BY replaced_by, submission_id, source_line"

/* store_submissions() rows, copied into text. */
struct sub_list {
    struct sbuf text;
    size_t n;
    size_t stop_after; /* 0 = never stop */
};

static int
collect_sub(const struct store_submission_row *r, void *ctx)
{
    struct sub_list *l = ctx;

    sbuf_addf(
        &l->text, "%lld|%s|%s|%lld|%s|%lld|%lld|%d|%d|%lld|%lld|%s|%lld\n",
        (long long)r->id, r->file, r->sha256, (long long)r->bytes, r->encoding,
        (long long)r->rows, (long long)r->file_rows, r->province,
        period_to_yyyymm(r->period), (long long)r->person_times,
        (long long)r->amount_fen, r->ingested_at, (long long)r->replaced_by);
    l->n++;
    return l->stop_after != 0 && l->n >= l->stop_after;
}

/* store_submissions() as text ("" when nothing is stored). */
static char *
submissions(struct store *st, bool history, size_t stop_after)
{
    struct sub_list l = {SBUF_INIT, 0, stop_after};
    struct diag err;

    diag_clear(&err);
    if (store_submissions(st, history, collect_sub, &l, &err) != 0) {
        diag_print(stderr, &err);
        fail_msg("store_submissions");
    }
    return sbuf_detach(&l.text, NULL);
}

static void
assert_submissions(struct store *st, bool history, const char *want)
{
    char *got = submissions(st, history, 0);
    if (strcmp(got, want) != 0) {
        fprintf(stderr, "--- want\n%s--- got\n%s", want, got);
        free(got);
        fail_msg("submissions%s differ", history ? " --history" : "");
    }
    free(got);
}

static size_t
count_lines(const char *s)
{
    size_t n = 0;
    for (; *s != '\0'; s++)
        n += *s == '\n';
    return n;
}

static void
assert_store_empty(struct store *st)
{
    assert_int_equal(sql_int(st, "SELECT count(*) FROM submission"), 0);
    assert_int_equal(sql_int(st, "SELECT count(*) FROM coverage"), 0);
    assert_int_equal(sql_int(st, "SELECT count(*) FROM fact"), 0);
    assert_int_equal(sql_int(st, "SELECT count(*) FROM fact_history"), 0);
    assert_submissions(st, true, "");
}

/*
 * In effect, every (province, month) has exactly one submission, and its
 * coverage row's totals are those of its facts.
 */
static void
assert_store_consistent(struct store *st)
{
    assert_sql(st,
               "SELECT c.province, c.period FROM coverage c "
               "LEFT JOIN (SELECT province, period, count(*) AS n, "
               "sum(person_times) AS pt, sum(amount_fen) AS fen FROM fact "
               "GROUP BY province, period) f USING (province, period) "
               "WHERE c.replaced_by IS NULL AND (coalesce(f.n, 0) != c.rows "
               "OR coalesce(f.pt, 0) != c.person_times "
               "OR coalesce(f.fen, 0) != c.amount_fen)",
               "");
    assert_sql(st,
               "SELECT province, period FROM fact f WHERE NOT EXISTS "
               "(SELECT 1 FROM coverage c WHERE c.replaced_by IS NULL AND "
               "c.province = f.province AND c.period = f.period AND "
               "c.submission_id = f.submission_id)",
               "");
}

/* ---------------------------------------------------------------------- */
/* store_open                                                              */
/* ---------------------------------------------------------------------- */

static void
test_store_open_read_missing_fails(void **state)
{
    struct fixture *f = *state;
    char path[128];
    struct diag err;

    diag_clear(&err);
    snprintf(path, sizeof(path), "%s/other.db", f->dir);
    assert_null(store_open(path, STORE_READ, &err));
    assert_int_equal(err.code, DIAG_NOINPUT);
    assert_non_null(strstr(err.msg, path));
    /* reading never creates the file */
    assert_int_equal(access(path, F_OK), -1);
}

static void
test_store_open_read_not_a_store_fails(void **state)
{
    struct fixture *f = *state;
    char path[128];
    sqlite3 *db = NULL;
    struct diag err;

    diag_clear(&err);
    snprintf(path, sizeof(path), "%s/other.db", f->dir);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db, "CREATE TABLE t (x); INSERT INTO t VALUES (1)", NULL,
                     NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    assert_null(store_open(path, STORE_READ, &err));
    assert_int_equal(err.code, DIAG_NOINPUT);
    assert_non_null(strstr(err.msg, "not a gongji store"));
}

static void
test_store_open_write_then_read_empty(void **state)
{
    struct fixture *f = *state;
    struct diag err;

    diag_clear(&err);
    store_close(f->st);
    f->st = store_open(f->db, STORE_READ, &err);
    if (f->st == NULL)
        diag_print(stderr, &err);
    assert_non_null(f->st);
    assert_store_empty(f->st);
    assert_sql(f->st, "PRAGMA journal_mode", "wal\n");
}

/* ---------------------------------------------------------------------- */
/* store_open: versions, foreign and damaged files, a store being created  */
/* ---------------------------------------------------------------------- */

/* Run sql on the database file at path with plain SQLite. */
static void
sql_on_file(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    char *msg = NULL;

    if (sqlite3_open(path, &db) != SQLITE_OK ||
        sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", path, msg != NULL ? msg : sqlite3_errmsg(db));
    sqlite3_close(db);
}

/* The whole file at path (caller frees), its size in *len. */
static char *
slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    struct sbuf sb = SBUF_INIT;
    char buf[4096];
    size_t n;

    if (fp == NULL)
        fail_msg("cannot open %s", path);
    while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
        sbuf_add(&sb, buf, n);
    fclose(fp);
    return sbuf_detach(&sb, len);
}

/* Overwrite len bytes at offset of the file (negative: from its end). */
static void
scribble(const char *path, long offset, size_t len)
{
    FILE *fp = fopen(path, "r+b");
    if (fp == NULL || fseek(fp, offset, offset < 0 ? SEEK_END : SEEK_SET) < 0)
        fail_msg("cannot seek in %s", path);
    for (size_t i = 0; i < len; i++)
        fputc((int)((i * 7919u + 13u) & 0xff), fp);
    fclose(fp);
}

/* A store at schema version 1, written by the gongji of that version. */
static void
make_v1_store(const char *path)
{
    const char *top = getenv("GONGJI_TOP");
    char fixture[512];
    size_t len;

    snprintf(fixture, sizeof(fixture), "%s/tests/e2e/store-v1.sql",
             top != NULL && *top != '\0' ? top : ".");
    char *sql = slurp(fixture, &len);
    sql_on_file(path, sql);
    free(sql);
}

/* What a store holds, as text, read with plain SQL. */
#define CONTENTS_SQL                                                           \
    "SELECT 'sub', * FROM submission UNION ALL "                               \
    "SELECT 'cov', submission_id, province, period, rows, person_times, "      \
    "amount_fen, replaced_by FROM coverage UNION ALL "                         \
    "SELECT 'fact', period, area, scope, use, relation, person_times, "        \
    "amount_fen FROM fact UNION ALL "                                          \
    "SELECT 'hist', period, area, scope, use, relation, person_times, "        \
    "replaced_by FROM fact_history ORDER BY 1, 2, 3, 4, 5, 6, 7, 8"

/* The columns of every table: what a migration must make equal. */
#define COLUMNS_SQL                                                            \
    "SELECT m.name, p.name, p.type, p.\"notnull\", p.pk FROM sqlite_master "   \
    "m, "                                                                      \
    "pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY m.name, "     \
    "p.cid"
#define INDEXES_SQL                                                            \
    "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' "           \
    "ORDER BY name"

static void
test_store_open_newer_version_refused(void **state)
{
    struct fixture *f = *state;
    static const enum store_mode modes[] = {STORE_READ, STORE_WRITE};
    char want[64];
    struct diag err;

    store_close(f->st);
    f->st = NULL;
    sql_on_file(f->db, "UPDATE meta SET value = '7' "
                       "WHERE key = 'schema_version'");
    snprintf(want, sizeof(want), "newer than this gongji's %d",
             STORE_SCHEMA_VERSION);
    for (size_t i = 0; i < 2; i++) {
        diag_clear(&err);
        assert_null(store_open(f->db, modes[i], &err));
        assert_int_equal(err.code, DIAG_NOINPUT);
        assert_non_null(strstr(err.msg, "has schema version 7"));
        assert_non_null(strstr(err.msg, want));
    }
    /* the store is left alone */
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT value FROM meta WHERE key = "
                                        "'schema_version'",
                                        -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 0), "7");
    sqlite3_finalize(s);
    sqlite3_close(db);
}

/* Open an old store in mode: migrated, same contents and schema as new. */
static void
check_migration(struct fixture *f, enum store_mode mode)
{
    char path[128], want[16];
    struct diag err;

    snprintf(path, sizeof(path), "%s/other.db", f->dir);
    make_v1_store(path);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *before = sql_dump_db(db, CONTENTS_SQL);
    assert_int_equal(count_lines(before), 3 + 3 + 144 + 48);
    sqlite3_close(db);

    diag_clear(&err);
    struct store *st = store_open(path, mode, &err);
    if (st == NULL)
        diag_print(stderr, &err);
    assert_non_null(st);
    snprintf(want, sizeof(want), "%d\n", STORE_SCHEMA_VERSION);
    assert_sql(st, "SELECT value FROM meta WHERE key = 'schema_version'", want);
    assert_sql(st, "PRAGMA application_id", "1196053332\n");
    char *after = sql_dump(st, CONTENTS_SQL);
    assert_string_equal(after, before);
    char *cols = sql_dump(st, COLUMNS_SQL), *idx = sql_dump(st, INDEXES_SQL);
    assert_sql(f->st, COLUMNS_SQL, cols);
    assert_sql(f->st, INDEXES_SQL, idx);
    assert_store_consistent(st);
    free(before);
    free(after);
    free(cols);
    free(idx);
    store_close(st);
}

static void
test_store_open_write_migrates_v1(void **state)
{
    check_migration(*state, STORE_WRITE);
}

static void
test_store_open_read_migrates_v1(void **state)
{
    check_migration(*state, STORE_READ);
}

static void
test_store_open_foreign_database_refused_unchanged(void **state)
{
    struct fixture *f = *state;
    static const enum store_mode modes[] = {STORE_READ, STORE_WRITE};
    char path[128];
    struct diag err;
    size_t n0, n1;

    snprintf(path, sizeof(path), "%s/other.db", f->dir);
    sql_on_file(path, "CREATE TABLE b (x); CREATE TABLE a (y); "
                      "CREATE TABLE meta (k, v); INSERT INTO a VALUES (1)");
    char *before = slurp(path, &n0);
    for (size_t i = 0; i < 2; i++) {
        diag_clear(&err);
        assert_null(store_open(path, modes[i], &err));
        assert_int_equal(err.code, DIAG_NOINPUT);
        assert_non_null(strstr(err.msg,
                               "is a SQLite database but not a gongji store "
                               "(tables: a, b, meta); give another --db"));
    }
    char *after = slurp(path, &n1);
    assert_int_equal(n0, n1);
    assert_memory_equal(before, after, n0);
    free(before);
    free(after);
}

static void
test_store_open_changed_tables_refused(void **state)
{
    struct fixture *f = *state;
    struct diag err;

    store_close(f->st);
    f->st = NULL;
    sql_on_file(f->db, "DROP TABLE fact_history");
    diag_clear(&err);
    assert_null(store_open(f->db, STORE_WRITE, &err));
    assert_non_null(strstr(err.msg, "has no table 'fact_history'"));
}

/* A file that is not SQLite: SQLite's message, in both modes. */
static void
test_store_open_not_a_database(void **state)
{
    struct fixture *f = *state;
    static const enum store_mode modes[] = {STORE_READ, STORE_WRITE};
    char path[128];
    struct diag err;

    snprintf(path, sizeof(path), "%s/other.db", f->dir);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    for (int i = 0; i < 8192; i++)
        fputc((i * 31 + 7) & 0xff, fp);
    fclose(fp);
    for (size_t i = 0; i < 2; i++) {
        diag_clear(&err);
        assert_null(store_open(path, modes[i], &err));
        assert_int_equal(err.code, DIAG_IO);
        assert_non_null(strstr(err.msg, "file is not a database"));
        assert_null(strstr(err.msg, "not a gongji store"));
    }
}

/* A store whose schema page is damaged: SQLite's message, both modes. */
static void
test_store_open_malformed_schema(void **state)
{
    struct fixture *f = *state;
    static const enum store_mode modes[] = {STORE_READ, STORE_WRITE};
    struct diag err;

    store_close(f->st);
    f->st = NULL;
    scribble(f->db, 100, 3000);
    for (size_t i = 0; i < 2; i++) {
        diag_clear(&err);
        assert_null(store_open(f->db, modes[i], &err));
        assert_int_equal(err.code, DIAG_IO);
        assert_non_null(strstr(err.msg, "database disk image is malformed"));
    }
}

/*
 * Garbage in the last page, which the next put may not even read: the
 * writer finds it before writing anything and leaves the file alone.
 */
static void
test_store_open_write_refuses_damaged_last_page(void **state)
{
    struct fixture *f = *state;
    struct store_put_result res;
    struct diag err;
    size_t n0, n1;

    ingest(f, "zj-2024-09.csv", ZJ_09, WHEN, &res);
    store_close(f->st);
    f->st = NULL;
    scribble(f->db, -4096, 4096);
    char *before = slurp(f->db, &n0);
    diag_clear(&err);
    assert_null(store_open(f->db, STORE_WRITE, &err));
    assert_int_equal(err.code, DIAG_IO);
    assert_non_null(strstr(err.msg, "database disk image is malformed"));
    assert_null(strchr(err.msg, '\n'));
    char *after = slurp(f->db, &n1);
    assert_int_equal(n0, n1);
    assert_memory_equal(before, after, n0);
    free(before);
    free(after);
}

/*
 * A reader that finds the file a first ingest has just created, still
 * without tables, waits for the tables instead of failing.
 */
static void
test_store_open_read_waits_for_creation(void **state)
{
    struct fixture *f = *state;
    char path[128];
    struct diag err;

    snprintf(path, sizeof(path), "%s/other.db", f->dir);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fclose(fp);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        const struct timespec t = {0, 300 * 1000 * 1000};
        nanosleep(&t, NULL);
        struct store *st = store_open(path, STORE_WRITE, &err);
        store_close(st);
        _exit(st != NULL ? 0 : 1);
    }
    diag_clear(&err);
    struct store *st = store_open(path, STORE_READ, &err);
    int status = 0;
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    if (st == NULL)
        diag_print(stderr, &err);
    assert_non_null(st);
    assert_store_empty(st);
    store_close(st);
}

/* ---------------------------------------------------------------------- */
/* store_put: a first version                                              */
/* ---------------------------------------------------------------------- */

static void
test_store_put_stores_rows_and_totals(void **state)
{
    struct fixture *f = *state;
    struct store_put_result res;

    ingest(f, "zj-09.csv", ZJ_09, WHEN, &res);
    assert_false(res.unchanged);
    assert_int_equal(res.pairs_new, 1);
    assert_int_equal(res.pairs_replaced, 0);
    assert_true(res.submission_id > 0);

    reopen(f);
    /* exactly the file's rows, with their physical lines */
    assert_sql(f->st, FACTS_SQL,
               "2024-09|330000|330100|same_area|medical|spouse|10|1230|1|2\n"
               "2024-09|330000|330100|cross_area|pharmacy|parent|5|7|1|3\n"
               "2024-09|330000|330200|same_area|medical|child|7|100000|1|4\n");
    /* the pair's totals: 22 person-times, 1012.37 yuan */
    assert_sql(f->st,
               "SELECT submission_id, province, period, rows, person_times, "
               "amount_fen, replaced_by FROM coverage",
               "1|330000|2024-09|3|22|101237|NULL\n");
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM fact_history"), 0);
    assert_store_consistent(f->st);
}

static void
test_store_put_file_of_several_pairs(void **state)
{
    struct fixture *f = *state;
    struct store_put_result res;
    static const char csv[] =
        HDR "2024-08,330100,same_area,medical,spouse,1,0.01\n"
            "2024-09,110100,same_area,medical,spouse,2,0.02\n"
            "2024-09,330100,same_area,medical,spouse,3,0.03\n"
            "2024-08,110100,same_area,medical,spouse,4,0.04\n"
            "2024-09,330200,same_area,pharmacy,spouse,5,0.05\n";

    ingest(f, "many.csv", csv, WHEN, &res);
    assert_false(res.unchanged);
    assert_int_equal(res.pairs_new, 4);
    assert_int_equal(res.pairs_replaced, 0);
    reopen(f);
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM fact"), 5);
    /* one row per pair, by province then month; each knows its own rows
     * and totals and the whole file's row count */
    char *got = submissions(f->st, false, 0);
    char sha[SHA256_HEX_LEN + 1], want[2048];
    sha256_hex(csv, strlen(csv), sha);
    snprintf(want, sizeof(want),
             "1|many.csv|%s|%zu|UTF-8|1|5|110000|202408|4|4|" WHEN "|0\n"
             "1|many.csv|%s|%zu|UTF-8|1|5|110000|202409|2|2|" WHEN "|0\n"
             "1|many.csv|%s|%zu|UTF-8|1|5|330000|202408|1|1|" WHEN "|0\n"
             "1|many.csv|%s|%zu|UTF-8|2|5|330000|202409|8|8|" WHEN "|0\n",
             sha, strlen(csv), sha, strlen(csv), sha, strlen(csv), sha,
             strlen(csv));
    assert_string_equal(got, want);
    free(got);
    assert_store_consistent(f->st);
}

static void
test_store_put_provenance(void **state)
{
    struct fixture *f = *state;
    struct store_put_result res;
    /* with a BOM and CRLF line ends: the hash is of the raw bytes */
    static const char csv[] =
        "\xEF\xBB\xBF"
        "period,area,scope,use,relation,person_times,amount\r\n"
        "2024-09,330100,same_area,medical,spouse,10,12.30\r\n"
        "2024-09,330100,same_area,medical,parent,1,1.00\r\n";
    char sha[SHA256_HEX_LEN + 1], want[512];

    sha256_hex(csv, strlen(csv), sha);
    ingest(f, "data/in/浙江-2024-09.csv", csv, WHEN, &res);
    reopen(f);
    snprintf(want, sizeof(want),
             "1|data/in/浙江-2024-09.csv|%s|%zu|UTF-8 (BOM)|2|" WHEN "\n", sha,
             strlen(csv));
    assert_sql(f->st,
               "SELECT id, file, sha256, bytes, encoding, rows, ingested_at "
               "FROM submission",
               want);
    /* every fact points at its submission and source line */
    assert_sql(f->st,
               "SELECT s.file, f.source_line FROM fact f JOIN submission s "
               "ON s.id = f.submission_id ORDER BY f.source_line",
               "data/in/浙江-2024-09.csv|2\n"
               "data/in/浙江-2024-09.csv|3\n");
    char *got = submissions(f->st, false, 0);
    snprintf(want, sizeof(want),
             "1|data/in/浙江-2024-09.csv|%s|%zu|UTF-8 (BOM)|2|2|330000|202409|"
             "11|1330|" WHEN "|0\n",
             sha, strlen(csv));
    assert_string_equal(got, want);
    free(got);
}

/* Amounts are integers in the store: no rounding through a double. */
static void
test_store_put_amount_exact_beyond_double(void **state)
{
    struct fixture *f = *state;
    struct store_put_result res;
    /* 2^53 + 1 fen, then 2^53 + 3 fen in total: neither is a double */
    static const char csv[] =
        HDR "2024-09,330100,same_area,medical,spouse,1,90071992547409.93\n"
            "2024-09,330100,same_area,medical,parent,1,0.02\n";
    const int64_t one = INT64_C(9007199254740993);
    const int64_t sum = INT64_C(9007199254740995);

    assert_true((int64_t)(double)one != one);
    assert_true((int64_t)(double)sum != sum);
    ingest(f, "big.csv", csv, WHEN, &res);
    reopen(f);
    assert_int_equal(
        sql_int(f->st, "SELECT amount_fen FROM fact WHERE relation = 'spouse'"),
        one);
    assert_int_equal(sql_int(f->st, "SELECT amount_fen FROM coverage"), sum);
    assert_sql(f->st, "SELECT typeof(amount_fen) FROM fact",
               "integer\ninteger\n");
}

/* ---------------------------------------------------------------------- */
/* store_put: replacing and repeating                                      */
/* ---------------------------------------------------------------------- */

/*
 * A version that drops a stored key (with figures) of an area it keeps
 * goes through - this test stored it without a word before - and its plan
 * names the key, its figures and its file, for the report; the old
 * version stays in history.
 */
static void
test_store_put_replace_keeps_history(void **state)
{
    struct fixture *f = *state;
    struct store_put_result res;
    struct submission sf;
    struct diag err;

    ingest(f, "zj-09.csv", ZJ_09, WHEN, &res);
    parse(f, &sf, "zj-09-fixed.csv", ZJ_09_V2);
    diag_clear(&err);
    assert_int_equal(store_begin(f->st, &err), 0);
    assert_int_equal(store_put(f->st, &sf, NULL, WHEN2, &res, &err), 0);
    assert_int_equal(store_commit(f->st, &err), 0);
    assert_false(res.refused);
    assert_int_equal(res.plan.nloss, 1);
    const struct store_loss *l = &res.plan.loss[0];
    assert_false(l->whole_area);
    assert_int_equal(l->area, 330100);
    assert_int_equal(l->scope, SCOPE_CROSS_AREA);
    assert_int_equal(l->use, USE_PHARMACY);
    assert_int_equal(l->relation, REL_PARENT);
    assert_int_equal(l->person_times, 5);
    assert_int_equal(l->amount_fen, 7);
    assert_string_equal(l->file, "zj-09.csv");
    assert_int_equal(res.plan.pair[0].replaced, 1);
    assert_int_equal(res.plan.pair[0].nlost_areas, 0);
    store_put_result_release(&res);
    submission_release(&sf);
    assert_false(res.unchanged);
    assert_int_equal(res.pairs_new, 0);
    assert_int_equal(res.pairs_replaced, 1);
    assert_int_equal(res.submission_id, 2);

    reopen(f);
    /* in effect: exactly the new version; the dropped key is gone */
    assert_sql(f->st, FACTS_SQL,
               "2024-09|330000|330100|same_area|medical|spouse|11|1330|2|2\n"
               "2024-09|330000|330200|same_area|medical|child|7|100000|2|3\n");
    /* history: every fact of the old version, replaced by submission 2 */
    assert_sql(
        f->st, HISTORY_SQL,
        "2024-09|330000|330100|same_area|medical|spouse|10|1230|1|2|2\n"
        "2024-09|330000|330100|cross_area|pharmacy|parent|5|7|1|3|2\n"
        "2024-09|330000|330200|same_area|medical|child|7|100000|1|4|2\n");
    assert_sql(f->st,
               "SELECT submission_id, rows, person_times, amount_fen, "
               "replaced_by FROM coverage ORDER BY submission_id",
               "1|3|22|101237|2\n"
               "2|2|18|101330|NULL\n");
    /* submissions: only the new one in effect, both with --history */
    char *cur = submissions(f->st, false, 0);
    char *all = submissions(f->st, true, 0);
    assert_int_equal(strncmp(cur, "2|zj-09-fixed.csv|", 18), 0);
    assert_int_equal(count_lines(cur), 1);
    assert_int_equal(strncmp(all, "1|zj-09.csv|", 12), 0);
    assert_non_null(strstr(all, "|" WHEN "|2\n2|zj-09-fixed.csv|"));
    assert_non_null(strstr(all, "|" WHEN2 "|0\n"));
    free(cur);
    free(all);
    assert_store_consistent(f->st);
}

static void
test_store_put_replace_only_covered_pairs(void **state)
{
    struct fixture *f = *state;
    struct store_put_result res;

    ingest(f, "zj-q3.csv",
           HDR "2024-08,330100,same_area,medical,spouse,1,1.00\n"
               "2024-09,330100,same_area,medical,spouse,2,2.00\n"
               "2024-09,110100,same_area,medical,spouse,3,3.00\n",
           WHEN, &res);
    assert_int_equal(res.pairs_new, 3);
    /* a file for Zhejiang, September only */
    ingest(f, "zj-09.csv",
           HDR "2024-09,330100,same_area,medical,spouse,9,9.00\n", WHEN2, &res);
    assert_int_equal(res.pairs_new, 0);
    assert_int_equal(res.pairs_replaced, 1);

    reopen(f);
    /* August and Beijing stay as the first file stored them */
    assert_sql(f->st,
               "SELECT period, area, person_times, submission_id FROM fact "
               "ORDER BY period, area",
               "2024-08|330100|1|1\n"
               "2024-09|110100|3|1\n"
               "2024-09|330100|9|2\n");
    assert_sql(f->st,
               "SELECT submission_id, province, period, replaced_by FROM "
               "coverage ORDER BY submission_id, province, period",
               "1|110000|2024-09|NULL\n"
               "1|330000|2024-08|NULL\n"
               "1|330000|2024-09|2\n"
               "2|330000|2024-09|NULL\n");
    assert_sql(f->st,
               "SELECT period, area, person_times, replaced_by FROM "
               "fact_history",
               "2024-09|330100|2|2\n");
    assert_store_consistent(f->st);
}

static void
test_store_put_identical_file_is_noop(void **state)
{
    struct fixture *f = *state;
    struct store_put_result res;

    ingest(f, "zj-09.csv", ZJ_09, WHEN, &res);
    char *facts = sql_dump(f->st, FACTS_SQL);
    char *subs = submissions(f->st, true, 0);

    /* the same bytes again, even under another name and later */
    ingest(f, "copy-of-zj-09.csv", ZJ_09, WHEN2, &res);
    assert_true(res.unchanged);
    assert_int_equal(res.pairs_new, 0);
    assert_int_equal(res.pairs_replaced, 0);
    assert_int_equal(res.submission_id, 0);

    reopen(f);
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM submission"), 1);
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM fact_history"), 0);
    char *facts2 = sql_dump(f->st, FACTS_SQL);
    char *subs2 = submissions(f->st, true, 0);
    assert_string_equal(facts2, facts);
    assert_string_equal(subs2, subs);
    free(facts);
    free(subs);
    free(facts2);
    free(subs2);
}

static void
test_store_put_one_byte_different_is_stored(void **state)
{
    struct fixture *f = *state;
    struct store_put_result res;

    ingest(f, "zj-09.csv", ZJ_09, WHEN, &res);
    /* same rows, but a CRLF-free file with a trailing blank line differs */
    ingest(f, "zj-09.csv", ZJ_09 "\n", WHEN2, &res);
    assert_false(res.unchanged);
    assert_int_equal(res.pairs_replaced, 1);
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM submission"), 2);
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM fact_history"), 3);
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM fact"), 3);
}

/* Going back to an older version is a replace too, not a no-op. */
static void
test_store_put_old_version_again_replaces(void **state)
{
    struct fixture *f = *state;
    struct store_put_result res;

    ingest(f, "v1.csv", ZJ_09, WHEN, &res);
    ingest(f, "v2.csv", ZJ_09_V2, WHEN, &res);
    ingest(f, "v1.csv", ZJ_09, WHEN2, &res);
    assert_false(res.unchanged);
    assert_int_equal(res.pairs_replaced, 1);
    assert_int_equal(res.submission_id, 3);
    reopen(f);
    assert_sql(f->st, FACTS_SQL,
               "2024-09|330000|330100|same_area|medical|spouse|10|1230|3|2\n"
               "2024-09|330000|330100|cross_area|pharmacy|parent|5|7|3|3\n"
               "2024-09|330000|330200|same_area|medical|child|7|100000|3|4\n");
    assert_sql(f->st,
               "SELECT submission_id, replaced_by, count(*) FROM fact_history "
               "GROUP BY submission_id, replaced_by ORDER BY submission_id",
               "1|2|3\n"
               "2|3|2\n");
    /* and now it is the version in effect: a repeat is a no-op */
    ingest(f, "v1-again.csv", ZJ_09, WHEN2, &res);
    assert_true(res.unchanged);
    assert_store_consistent(f->st);
}

/*
 * A file is a no-op only while it is in effect for every pair it covers:
 * after another file replaced one of its pairs, it is stored again.
 */
static void
test_store_put_identical_partly_replaced_is_stored(void **state)
{
    struct fixture *f = *state;
    struct store_put_result res;
    static const char two[] =
        HDR "2024-08,330100,same_area,medical,spouse,1,1.00\n"
            "2024-09,330100,same_area,medical,spouse,2,2.00\n";

    ingest(f, "two.csv", two, WHEN, &res);
    ingest(f, "sep.csv", HDR "2024-09,330100,same_area,medical,spouse,5,5.00\n",
           WHEN, &res);
    ingest(f, "two.csv", two, WHEN2, &res);
    assert_false(res.unchanged);
    assert_int_equal(res.pairs_new, 0);
    assert_int_equal(res.pairs_replaced, 2);
    assert_sql(f->st,
               "SELECT period, person_times, submission_id FROM fact "
               "ORDER BY period",
               "2024-08|1|3\n"
               "2024-09|2|3\n");
    assert_store_consistent(f->st);
}

/* Two versions of one pair in one transaction: the later one wins. */
static void
test_store_put_twice_in_one_transaction(void **state)
{
    struct fixture *f = *state;
    struct submission a, b;
    struct store_put_result ra, rb;
    struct diag err;

    diag_clear(&err);
    parse(f, &a, "a.csv", ZJ_09);
    parse(f, &b, "b.csv", ZJ_09_V2);
    assert_int_equal(store_begin(f->st, &err), 0);
    assert_int_equal(store_put(f->st, &a, NULL, WHEN, &ra, &err), 0);
    /* b drops a key of a: the plan sees a inside the transaction */
    assert_int_equal(store_put(f->st, &b, NULL, WHEN, &rb, &err), 0);
    assert_int_equal(rb.plan.nloss, 1);
    assert_int_equal(store_commit(f->st, &err), 0);
    store_put_result_release(&ra);
    store_put_result_release(&rb);
    assert_int_equal(ra.pairs_new, 1);
    assert_int_equal(rb.pairs_replaced, 1);
    reopen(f);
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM fact"), 2);
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM fact_history"), 3);
    assert_int_equal(sql_int(f->st, "SELECT min(submission_id) FROM fact"),
                     rb.submission_id);
    assert_store_consistent(f->st);
    submission_release(&a);
    submission_release(&b);
}

/* ---------------------------------------------------------------------- */
/* store_plan: nothing removed or replaced silently (DESIGN §4)            */
/* ---------------------------------------------------------------------- */

/* A correction restating the same keys goes through and knows the change. */
static void
test_store_put_correction_reports_change(void **state)
{
    struct fixture *f = *state;
    struct store_put_result res;
    struct submission sf;
    struct diag err;

    ingest(f, "zj-09.csv", ZJ_09, WHEN, &res);
    parse(f, &sf, "zj-09-v2.csv",
          HDR "2024-09,330100,same_area,medical,spouse,12,12.31\n"
              "2024-09,330100,cross_area,pharmacy,parent,5,0.07\n"
              "2024-09,330200,same_area,medical,child,7,999.00\n");
    diag_clear(&err);
    assert_int_equal(store_begin(f->st, &err), 0);
    assert_int_equal(store_put(f->st, &sf, NULL, WHEN2, &res, &err), 0);
    assert_int_equal(store_commit(f->st, &err), 0);
    assert_false(res.refused);
    assert_int_equal(res.pairs_replaced, 1);
    assert_int_equal(res.plan.nloss, 0);
    const struct store_pair_plan *pp = &res.plan.pair[0];
    assert_int_equal(pp->replaced, 1);
    assert_int_equal(pp->old_person_times, 22);
    assert_int_equal(pp->old_amount_fen, 101237);
    assert_string_equal(pp->old_file, "zj-09.csv");
    /* the new totals are the file's: +2 person-times, -0.99 yuan */
    assert_int_equal(sf.cover[0].person_times - pp->old_person_times, 2);
    assert_int_equal(sf.cover[0].amount_fen - pp->old_amount_fen, -99);
    store_put_result_release(&res);
    submission_release(&sf);
    assert_store_consistent(f->st);
}

/*
 * A file without one of the stored areas is refused with that area's
 * rows, figures and file; a key dropped with zero figures loses nothing.
 */
static void
test_store_put_dropping_an_area_refused(void **state)
{
    struct fixture *f = *state;
    struct store_put_result res;
    struct submission sf;

    ingest(f, "zj-09.csv",
           HDR "2024-09,330100,same_area,medical,spouse,10,12.30\n"
               "2024-09,330100,same_area,medical,parent,0,0.00\n"
               "2024-09,330200,same_area,medical,child,7,1000.00\n"
               "2024-09,330200,cross_area,medical,child,1,0.50\n",
           WHEN, &res);
    put_refused(f, &sf, "hz.csv",
                HDR "2024-09,330100,same_area,medical,spouse,10,12.30\n", NULL,
                &res);
    assert_int_equal(res.plan.nloss, 1);
    assert_int_equal(res.plan.nlosing, 1);
    const struct store_loss *l = &res.plan.loss[0];
    assert_true(l->whole_area);
    assert_int_equal(l->area, 330200);
    assert_int_equal(l->rows, 2);
    assert_int_equal(l->person_times, 8);
    assert_int_equal(l->amount_fen, 100050);
    assert_string_equal(l->file, "zj-09.csv");
    assert_int_equal(res.plan.pair[0].lost_rows, 2);
    assert_int_equal(res.plan.pair[0].lost_person_times, 8);
    assert_int_equal(res.plan.pair[0].lost_amount_fen, 100050);
    store_put_result_release(&res);
    submission_release(&sf);

    /* --replace accepts it: the file is the whole province-month */
    ingest_opts(f, "hz.csv",
                HDR "2024-09,330100,same_area,medical,spouse,10,12.30\n",
                &REPLACE, WHEN2, &res);
    assert_int_equal(res.pairs_replaced, 1);
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM fact"), 1);
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM fact_history"), 4);
    assert_store_consistent(f->st);
}

/* A file of 25 rows for September and one for August: August is stray. */
static void
test_store_put_stray_pair_refused(void **state)
{
    struct fixture *f = *state;
    struct store_put_result res;
    struct submission sf;
    struct sbuf csv = SBUF_INIT;
    static const char *const rel[] = {"spouse", "parent", "child", "sibling",
                                      "grandparent"};

    ingest(f, "zj-08.csv",
           HDR "2024-08,330100,same_area,medical,spouse,9,9.00\n", WHEN, &res);
    sbuf_addstr(&csv, HDR);
    for (int a = 0; a < 5; a++)
        for (int r = 0; r < 5; r++)
            sbuf_addf(&csv, "2024-09,3301%02d,same_area,medical,%s,1,1.00\n", a,
                      rel[r]);
    sbuf_addstr(&csv, "2024-08,330100,same_area,medical,spouse,1,1.00\n");
    put_refused(f, &sf, "zj-09.csv", csv.buf, NULL, &res);
    /* cover[] is by (province, period): August first */
    assert_true(res.plan.pair[0].stray);
    assert_false(res.plan.pair[1].stray);
    assert_int_equal(res.plan.pair[0].stray_line[0], 27);
    assert_int_equal(res.plan.majority, 1);
    assert_int_equal(res.plan.nstray, 1);
    /* the stray row restates August's only key: nothing else is lost */
    assert_int_equal(res.plan.nloss, 0);
    store_put_result_release(&res);
    submission_release(&sf);
    /* --replace takes it as it is */
    ingest_opts(f, "zj-09.csv", csv.buf, &REPLACE, WHEN2, &res);
    assert_int_equal(res.pairs_replaced, 1);
    assert_int_equal(res.pairs_new, 1);
    sbuf_release(&csv);
}

/* The bounds of a stray pair: under 5 % of the rows, at most 3 rows, while
 * another pair has more than half of them. */
static void
test_store_plan_stray_bounds(void **state)
{
    struct fixture *f = *state;
    static const struct {
        int major, minor, third; /* rows of Sep, Aug (stray?), Jul */
        bool stray;
    } t[] = {
        {19, 1, 0, false},  /* 1 of 20 is 5 %: not less */
        {20, 1, 0, true},   /* 1 of 21 */
        {58, 3, 0, true},   /* 3 of 61 */
        {57, 3, 0, false},  /* 3 of 60 is 5 % */
        {96, 4, 0, false},  /* 4 rows: more than 3 */
        {20, 1, 20, false}, /* no pair has more than half the rows */
        {22, 1, 20, true},  /* 22 of 43 */
    };
    for (size_t k = 0; k < sizeof(t) / sizeof(t[0]); k++) {
        struct sbuf csv = SBUF_INIT;
        struct submission sf;
        struct store_plan plan;
        struct diag err;
        static const char *const months[] = {"2024-09", "2024-08", "2024-07"};
        int n[3] = {t[k].major, t[k].minor, t[k].third};

        sbuf_addstr(&csv, HDR);
        for (int m = 0; m < 3; m++)
            for (int i = 0; i < n[m]; i++)
                sbuf_addf(&csv, "%s,33%04d,same_area,medical,spouse,1,1.00\n",
                          months[m], 100 + i);
        parse(f, &sf, "t.csv", csv.buf);
        diag_clear(&err);
        assert_int_equal(store_plan(f->st, &sf, NULL, &plan, &err), 0);
        /* cover[] is by period here: July, August, September */
        size_t aug = t[k].third > 0 ? 1 : 0;
        if (plan.pair[aug].stray != t[k].stray)
            fail_msg("case %zu: %d + %d + %d rows: stray %d", k, t[k].major,
                     t[k].minor, t[k].third, plan.pair[aug].stray);
        assert_int_equal(plan.refused, t[k].stray);
        store_plan_release(&plan);
        submission_release(&sf);
        sbuf_release(&csv);
    }
}

#define ZJ_09_HZ                                                               \
    HDR "2024-09,330100,same_area,medical,spouse,10,12.30\n"                   \
        "2024-09,330100,cross_area,pharmacy,parent,5,0.07\n"
#define ZJ_09_NB HDR "2024-09,330200,same_area,medical,child,7,1000.00\n"

/*
 * Two cities of one province-month, each ingested alone as a part: they
 * add up; a part resubmitted replaces only itself; a part may not take an
 * area of another; a whole file replaces every part.
 */
static void
test_store_put_parts_add_up(void **state)
{
    struct fixture *f = *state;
    struct store_put_result res;
    struct submission sf;

    ingest_opts(f, "hz.csv", ZJ_09_HZ, &PART_HZ, WHEN, &res);
    assert_int_equal(res.pairs_new, 1);
    ingest_opts(f, "nb.csv", ZJ_09_NB, &PART_NB, WHEN, &res);
    assert_int_equal(res.pairs_new, 1);
    assert_int_equal(res.pairs_replaced, 0);
    reopen(f);
    /* both in effect: the same facts as the whole file ZJ_09 */
    assert_sql(f->st,
               "SELECT part, rows, person_times, amount_fen FROM coverage "
               "WHERE replaced_by IS NULL ORDER BY submission_id",
               "杭州|2|15|1237\n宁波|1|7|100000\n");
    assert_sql(f->st, "SELECT sum(person_times), sum(amount_fen) FROM fact",
               "22|101237\n");
    char *cur = submissions(f->st, false, 0);
    assert_int_equal(count_lines(cur), 2);
    free(cur);

    /* 杭州 again, corrected: replaces 杭州 only */
    ingest_opts(f, "hz-v2.csv",
                HDR "2024-09,330100,same_area,medical,spouse,11,12.30\n"
                    "2024-09,330100,cross_area,pharmacy,parent,5,0.07\n",
                &PART_HZ, WHEN2, &res);
    assert_int_equal(res.pairs_replaced, 1);
    assert_sql(f->st,
               "SELECT s.file, c.part, coalesce(c.replaced_by, 0) FROM "
               "coverage c JOIN submission s ON s.id = c.submission_id "
               "ORDER BY s.id",
               "hz.csv|杭州|3\nnb.csv|宁波|0\nhz-v2.csv|杭州|0\n");
    assert_sql(f->st, "SELECT sum(person_times), sum(amount_fen) FROM fact",
               "23|101237\n");
    assert_sql(f->st,
               "SELECT area, person_times FROM fact_history "
               "ORDER BY source_line",
               "330100|10\n330100|5\n");

    /* a part may not take an area another part stores, even --replace'd */
    static const struct store_put_opts nb_replace = {"宁波", true};
    put_refused(f, &sf, "nb-bad.csv",
                HDR "2024-09,330200,same_area,medical,child,7,1000.00\n"
                    "2024-09,330100,same_area,medical,child,1,1.00\n",
                &nb_replace, &res);
    assert_int_equal(res.plan.nclash, 1);
    assert_int_equal(res.plan.pair[0].clash_area, 330100);
    assert_string_equal(res.plan.pair[0].clash_part, "杭州");
    assert_string_equal(res.plan.pair[0].clash_file, "hz-v2.csv");
    store_put_result_release(&res);
    submission_release(&sf);

    /* a whole file without 宁波's area is refused: it would drop it */
    put_refused(f, &sf, "zj-hz-only.csv", ZJ_09_HZ, NULL, &res);
    assert_int_equal(res.plan.nloss, 1);
    assert_int_equal(res.plan.loss[0].area, 330200);
    assert_string_equal(res.plan.loss[0].file, "nb.csv");
    store_put_result_release(&res);
    submission_release(&sf);

    /* the whole month in one file replaces both parts */
    ingest(f, "zj-09.csv", ZJ_09, WHEN2, &res);
    assert_int_equal(res.pairs_replaced, 1);
    assert_sql(f->st,
               "SELECT part, rows FROM coverage WHERE replaced_by IS NULL",
               "|3\n");
    assert_sql(f->st, "SELECT sum(person_times), sum(amount_fen) FROM fact",
               "22|101237\n");
    assert_store_consistent(f->st);
}

/* A part onto a month stored whole would drop the whole's other areas. */
static void
test_store_put_part_onto_whole_refused(void **state)
{
    struct fixture *f = *state;
    struct store_put_result res;
    struct submission sf;

    ingest(f, "zj-09.csv", ZJ_09, WHEN, &res);
    put_refused(f, &sf, "hz.csv", ZJ_09_HZ, &PART_HZ, &res);
    assert_int_equal(res.plan.nloss, 1);
    assert_true(res.plan.loss[0].whole_area);
    assert_int_equal(res.plan.loss[0].area, 330200);
    assert_string_equal(res.plan.pair[0].old_part, "");
    store_put_result_release(&res);
    submission_release(&sf);
}

/* A byte-identical part is unchanged, like a whole file. */
static void
test_store_put_identical_part_is_noop(void **state)
{
    struct fixture *f = *state;
    struct store_put_result res;

    ingest_opts(f, "hz.csv", ZJ_09_HZ, &PART_HZ, WHEN, &res);
    ingest_opts(f, "nb.csv", ZJ_09_NB, &PART_NB, WHEN, &res);
    ingest_opts(f, "hz.csv", ZJ_09_HZ, &PART_HZ, WHEN2, &res);
    assert_true(res.unchanged);
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM submission"), 2);
}

/* ---------------------------------------------------------------------- */
/* Transactions: all or nothing                                            */
/* ---------------------------------------------------------------------- */

/*
 * A file summary_parse() would reject (the same key twice) built by hand:
 * the store's primary key refuses its second row, after its first row and
 * its coverage were already written.
 */
static void
make_bad_file(struct submission *sf, struct record rec[2], struct coverage *cv)
{
    submission_init(sf);
    memset(rec, 0, 2 * sizeof(*rec));
    rec[0].period = (struct period){2024, 9};
    rec[0].area = 330100;
    rec[0].scope = SCOPE_SAME_AREA;
    rec[0].use = USE_MEDICAL;
    rec[0].relation = REL_SPOUSE;
    rec[0].person_times = 99;
    rec[0].amount_fen = 9900;
    rec[0].line = 2;
    rec[1] = rec[0];
    rec[1].line = 3;
    memset(cv, 0, sizeof(*cv));
    cv->province = 330000;
    cv->period = (struct period){2024, 9};
    cv->rows = 2;
    cv->person_times = 198;
    cv->amount_fen = 19800;
    sf->path = "bad.csv";
    memset(sf->sha256, 'b', SHA256_HEX_LEN);
    sf->sha256[SHA256_HEX_LEN] = '\0';
    sf->bytes = 100;
    sf->encoding = ENC_UTF8;
    sf->rows = rec;
    sf->nrows = 2;
    sf->cover = cv;
    sf->ncover = 1;
}

static void
test_store_put_failure_rolls_back_whole_transaction(void **state)
{
    struct fixture *f = *state;
    struct submission good, bad;
    struct record rec[2];
    struct coverage cv;
    struct store_put_result res;
    struct diag err;

    diag_clear(&err);
    parse(f, &good, "good.csv",
          HDR "2024-09,110100,same_area,medical,"
              "spouse,1,1.00\n");
    make_bad_file(&bad, rec, &cv);
    assert_int_equal(store_begin(f->st, &err), 0);
    assert_int_equal(store_put(f->st, &good, NULL, WHEN, &res, &err), 0);
    store_put_result_release(&res);
    assert_int_equal(store_put(f->st, &bad, NULL, WHEN, &res, &err), -1);
    store_put_result_release(&res);
    assert_int_equal(err.code, DIAG_IO);
    assert_non_null(strstr(err.msg, "insert fact"));
    store_rollback(f->st);
    submission_release(&good);

    /* nothing of either file, on this connection or a new one */
    assert_store_empty(f->st);
    reopen(f);
    assert_store_empty(f->st);
}

static void
test_store_put_failed_replace_keeps_old_version(void **state)
{
    struct fixture *f = *state;
    struct submission bad;
    struct record rec[2];
    struct coverage cv;
    struct store_put_result res;
    struct diag err;

    ingest(f, "zj-09.csv", ZJ_09, WHEN, &res);
    char *facts = sql_dump(f->st, FACTS_SQL);
    char *subs = submissions(f->st, true, 0);

    /* the bad file covers the same pair: with --replace (it drops an area)
     * it gets as far as moving the old facts to history before its second
     * row fails */
    diag_clear(&err);
    make_bad_file(&bad, rec, &cv);
    assert_int_equal(store_begin(f->st, &err), 0);
    assert_int_equal(store_put(f->st, &bad, &REPLACE, WHEN2, &res, &err), -1);
    assert_false(res.refused);
    assert_non_null(strstr(err.msg, "insert fact"));
    store_put_result_release(&res);
    store_rollback(f->st);

    reopen(f);
    char *facts2 = sql_dump(f->st, FACTS_SQL);
    char *subs2 = submissions(f->st, true, 0);
    assert_string_equal(facts2, facts);
    assert_string_equal(subs2, subs);
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM fact_history"), 0);
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM submission"), 1);
    free(facts);
    free(subs);
    free(facts2);
    free(subs2);
    assert_store_consistent(f->st);
}

/* A negative amount cannot be stored even if a caller skipped validation. */
static void
test_store_put_negative_amount_refused(void **state)
{
    struct fixture *f = *state;
    struct submission bad;
    struct record rec[2];
    struct coverage cv;
    struct store_put_result res;
    struct diag err;

    diag_clear(&err);
    make_bad_file(&bad, rec, &cv);
    rec[1].relation = REL_PARENT; /* keys differ now */
    rec[1].amount_fen = -1;
    assert_int_equal(store_begin(f->st, &err), 0);
    assert_int_equal(store_put(f->st, &bad, NULL, WHEN, &res, &err), -1);
    assert_int_equal(err.code, DIAG_IO);
    store_put_result_release(&res);
    store_rollback(f->st);
    assert_store_empty(f->st);
}

static void
test_store_close_without_commit_discards(void **state)
{
    struct fixture *f = *state;
    struct submission sf;
    struct store_put_result res;
    struct diag err;

    diag_clear(&err);
    parse(f, &sf, "zj-09.csv", ZJ_09);
    assert_int_equal(store_begin(f->st, &err), 0);
    assert_int_equal(store_put(f->st, &sf, NULL, WHEN, &res, &err), 0);
    store_put_result_release(&res);
    /* another connection does not see the uncommitted put */
    struct store *other = store_open(f->db, STORE_READ, &err);
    assert_non_null(other);
    assert_int_equal(sql_int(other, "SELECT count(*) FROM fact"), 0);
    store_close(other);
    reopen(f); /* closes with the transaction open */
    assert_store_empty(f->st);
    /* and the same file can then be stored normally */
    put_commit(f, &sf, WHEN, &res);
    assert_false(res.unchanged);
    assert_int_equal(sql_int(f->st, "SELECT count(*) FROM fact"), 3);
    submission_release(&sf);
}

/* ---------------------------------------------------------------------- */
/* store_submissions                                                       */
/* ---------------------------------------------------------------------- */

static void
test_store_submissions_stops_when_asked(void **state)
{
    struct fixture *f = *state;
    struct store_put_result res;

    ingest(f, "many.csv",
           HDR "2024-07,330100,same_area,medical,spouse,1,0.01\n"
               "2024-08,330100,same_area,medical,spouse,1,0.01\n"
               "2024-09,330100,same_area,medical,spouse,1,0.01\n",
           WHEN, &res);
    char *all = submissions(f->st, false, 0);
    char *two = submissions(f->st, false, 2);
    assert_non_null(strstr(all, "|202409|"));
    assert_null(strstr(two, "|202409|"));
    assert_non_null(strstr(two, "|202408|"));
    free(all);
    free(two);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_store_open_read_missing_fails,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_open_read_not_a_store_fails,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_open_write_then_read_empty,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_open_newer_version_refused,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_open_write_migrates_v1,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_open_read_migrates_v1, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_store_open_foreign_database_refused_unchanged, setup,
            teardown),
        cmocka_unit_test_setup_teardown(test_store_open_changed_tables_refused,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_open_not_a_database, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_store_open_malformed_schema, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_store_open_write_refuses_damaged_last_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_open_read_waits_for_creation,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_put_stores_rows_and_totals,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_put_file_of_several_pairs,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_put_provenance, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_store_put_amount_exact_beyond_double, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_put_replace_keeps_history,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_store_put_replace_only_covered_pairs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_put_identical_file_is_noop,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_store_put_one_byte_different_is_stored, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_store_put_old_version_again_replaces, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_store_put_identical_partly_replaced_is_stored, setup,
            teardown),
        cmocka_unit_test_setup_teardown(test_store_put_twice_in_one_transaction,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_store_put_correction_reports_change, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_put_dropping_an_area_refused,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_put_stray_pair_refused,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_plan_stray_bounds, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_store_put_parts_add_up, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_store_put_part_onto_whole_refused,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_put_identical_part_is_noop,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_store_put_failure_rolls_back_whole_transaction, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_store_put_failed_replace_keeps_old_version, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_put_negative_amount_refused,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_store_close_without_commit_discards, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_submissions_stops_when_asked,
                                        setup, teardown),
    };
    return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
