/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_factkey.c - fact_key (the facts summed over area and
 * relation, aggregate/store_schema.c) gives query_run the same answers as
 * the facts themselves, to the fen.
 *
 * A store gets generated files: whole province-months, parts (ingest
 * --part) and their resubmissions, whole files replacing parts, --replace
 * dropping areas, the wallet channel beside the account, zero rows.
 * Then every query shape (--by and --where combinations with period,
 * province, channel, scope, use and :top, sorts, --top, the channels
 * read, 同比 and 环比 bases) runs at every vintage both ways
 * (query.facts_only) and the results must be equal row by row; the
 * table itself must equal its definition over fact and fact_history,
 * which is also how a store from before it is filled (checked by
 * dropping it and opening the store again).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>
#include <unistd.h>

#include "aggregate/query.h"
#include "aggregate/store.h"
#include "common/diag.h"
#include "common/period.h"
#include "common/sbuf.h"
#include "ingest/codes.h"
#include "ingest/refdata.h"
#include "ingest/summary.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define WHEN "2024-10-05T08:00:00Z"

struct fixture {
    char dir[64];
    char db[96];
    struct refdata *rd;
    struct store *st;
    unsigned long long rng;
    int nsub;
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
    snprintf(f->dir, sizeof(f->dir), "%s/gongji-factkey-XXXXXX",
             tmp != NULL && *tmp != '\0' && strlen(tmp) < 32 ? tmp : "/tmp");
    if (mkdtemp(f->dir) == NULL) {
        perror(f->dir);
        free(f);
        return -1;
    }
    snprintf(f->db, sizeof(f->db), "%s/gongji.db", f->dir);
    f->rd = refdata_load(data_dir(), &err);
    f->st = f->rd != NULL ? store_open(f->db, STORE_WRITE, &err) : NULL;
    if (f->st == NULL) {
        diag_print(stderr, &err);
        refdata_free(f->rd);
        rmdir(f->dir);
        free(f);
        return -1;
    }
    f->rng = 12345;
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
    for (size_t i = 0; i < ARRAY_SIZE(suffix); i++) {
        snprintf(path, sizeof(path), "%s%s", f->db, suffix[i]);
        unlink(path);
    }
    rmdir(f->dir);
    refdata_free(f->rd);
    free(f);
    return 0;
}

static unsigned
rnd(struct fixture *f, unsigned n)
{
    f->rng = f->rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)(f->rng >> 33) % n;
}

/* Put csv as file `name`, as one part (NULL: the whole), with --replace. */
static void
ingest(struct fixture *f, const char *name, const char *csv, const char *part)
{
    const struct ingest_opts opts = {ENC_AUTO, false, NULL};
    const struct store_put_opts put = {part, true};
    struct store_put_result pr;
    struct submission sf;
    struct diag_list dl;
    struct diag err;

    diag_list_init(&dl);
    diag_clear(&err);
    submission_init(&sf);
    if (summary_parse(&sf, name, csv, strlen(csv), &opts, f->rd, &dl) != 0) {
        diag_list_print(stderr, &dl);
        fail_msg("%s does not parse", name);
    }
    diag_list_release(&dl);
    if (store_begin(f->st, &err) < 0 ||
        store_put(f->st, &sf, &put, WHEN, &pr, &err) < 0 ||
        store_commit(f->st, &err) < 0) {
        diag_print(stderr, &err);
        fail_msg("put %s", name);
    }
    assert_false(pr.unchanged);
    store_put_result_release(&pr);
    submission_release(&sf);
    f->nsub++;
}

/*
 * A file of the months first..first+nmonths-1 (2023-11 + i) and the given
 * areas: for each (month, area, channel) either fine codes or coarse ones
 * (never both: that would be a subtotal), a random subset of keys, random
 * figures, now and then a zero row.
 */
static void
gen_file(struct fixture *f, const char *name, int first, int nmonths,
         const int *areas, size_t nareas, bool wallet, const char *part)
{
    static const char *const fine_scope[] = {"same_area", "cross_area",
                                             "cross_province"};
    static const char *const fine_use[] = {"medical", "pharmacy", "premium",
                                           "ltc_premium", "other"};
    static const char *const coarse_scope[] = {"in_province", "cross_province"};
    static const char *const coarse_use[] = {"medical_pharmacy", "premium",
                                             "other"};
    static const char *const rel[] = {"spouse", "parent", "child",
                                      "unspecified"};
    struct sbuf sb = SBUF_INIT;

    sbuf_addstr(&sb, "period,area,channel,scope,use,relation,person_times,"
                     "amount\n");
    for (int m = first; m < first + nmonths; m++) {
        struct period p = period_add((struct period){2023, 11}, m);
        char per[PERIOD_LABEL_MAX];
        period_format(per, sizeof(per), p);
        for (size_t a = 0; a < nareas; a++)
            for (int ch = 0; ch < (wallet ? 2 : 1); ch++) {
                bool coarse = ch == 1 ? rnd(f, 4) != 0 : rnd(f, 4) == 0;
                size_t ns =
                    coarse ? ARRAY_SIZE(coarse_scope) : ARRAY_SIZE(fine_scope);
                size_t nu =
                    coarse ? ARRAY_SIZE(coarse_use) : ARRAY_SIZE(fine_use);
                bool any = false;
                for (size_t s = 0; s < ns; s++)
                    for (size_t u = 0; u < nu; u++)
                        for (size_t r = 0; r < ARRAY_SIZE(rel); r++) {
                            bool last = s == ns - 1 && u == nu - 1 &&
                                        r == ARRAY_SIZE(rel) - 1;
                            if (rnd(f, 3) != 0 && !(last && !any))
                                continue;
                            any = true;
                            unsigned pt = rnd(f, 9) == 0 ? 0 : rnd(f, 5000);
                            unsigned fen =
                                pt == 0 && rnd(f, 2) ? 0 : rnd(f, 900000);
                            sbuf_addf(&sb, "%s,%d,%s,%s,%s,%s,%u,%u.%02u\n",
                                      per, areas[a], ch ? "wallet" : "account",
                                      coarse ? coarse_scope[s] : fine_scope[s],
                                      coarse ? coarse_use[u] : fine_use[u],
                                      rel[r], pt, fen / 100, fen % 100);
                        }
            }
    }
    ingest(f, name, sb.buf, part);
    sbuf_release(&sb);
}

/*
 * The store: 110000 (2 areas), 330000 (3), 440000 (2, as parts), months
 * 2023-11..2024-04, and replacements of every kind.
 */
static void
load_store(struct fixture *f)
{
    static const int bj[] = {110100, 119900}, zj[] = {330100, 330200, 330300},
                     gz[] = {440100}, sz[] = {440300};
    static const int bj1[] = {110100}, zj2[] = {330100, 330300},
                     gd[] = {440100};

    gen_file(f, "bj.csv", 0, 6, bj, 2, false, NULL);       /* 1 */
    gen_file(f, "zj.csv", 0, 6, zj, 3, true, NULL);        /* 2 */
    gen_file(f, "gz.csv", 0, 6, gz, 1, false, "广州");     /* 3 */
    gen_file(f, "sz.csv", 0, 6, sz, 1, true, "深圳");      /* 4 */
    gen_file(f, "zj-r1.csv", 3, 1, zj, 3, true, NULL);     /* 5 */
    gen_file(f, "gz-r1.csv", 2, 2, gz, 1, true, "广州");   /* 6 */
    gen_file(f, "bj-drop.csv", 1, 2, bj1, 1, true, NULL);  /* 7 */
    gen_file(f, "zj-drop.csv", 3, 2, zj2, 2, false, NULL); /* 8 */
    gen_file(f, "gd-whole.csv", 4, 1, gd, 1, true, NULL);  /* 9 */
    gen_file(f, "sz-r1.csv", 5, 1, sz, 1, false, "深圳");  /* 10 */
    gen_file(f, "zj-r2.csv", 3, 3, zj, 3, true, NULL);     /* 11 */
    gen_file(f, "gd-part.csv", 4, 1, sz, 1, true, "深圳"); /* 12 */
}

static char *
result_text(const struct query *q, const struct query_result *res, bool bases)
{
    struct sbuf sb = SBUF_INIT;

    for (size_t i = 0; i < res->nrows; i++) {
        const struct query_row *r = &res->rows[i];
        for (size_t k = 0; k < q->nby; k++)
            sbuf_addf(&sb, "%d|", r->key[k]);
        sbuf_addf(&sb, "%lld|%lld", (long long)r->person_times,
                  (long long)r->amount_fen);
        for (int c = 0; bases && c < QCMP_N; c++)
            sbuf_addf(&sb, "|%d:%lld:%lld", res->base[c][i].known,
                      (long long)res->base[c][i].person_times,
                      (long long)res->base[c][i].amount_fen);
        sbuf_addch(&sb, '\n');
    }
    sbuf_addf(&sb, "total|%lld|%lld|channels %u\n",
              (long long)res->total_person_times,
              (long long)res->total_amount_fen, res->channels);
    for (int c = 0; bases && c < QCMP_N; c++)
        sbuf_addf(&sb, "base %d|%d|%lld|%lld\n", c, res->base_total[c].known,
                  (long long)res->base_total[c].person_times,
                  (long long)res->base_total[c].amount_fen);
    return sbuf_detach(&sb, NULL);
}

/* Run q (facts_only as given) with the 同比 and 环比 bases: the text. */
static char *
run_text(struct fixture *f, struct query *q, bool facts_only)
{
    struct query_result res;
    struct diag err;

    diag_clear(&err);
    q->facts_only = facts_only;
    if (query_run(f->st, q, &res, &err) < 0 ||
        query_compare(f->st, q, QCMP_YOY, &res, &err) < 0 ||
        query_compare(f->st, q, QCMP_MOM, &res, &err) < 0) {
        diag_print(stderr, &err);
        fail_msg("query_run");
    }
    char *t = result_text(q, &res, true);
    query_result_release(&res);
    return t;
}

static const char *const bys[] = {
    "",
    "period",
    "province",
    "period,province",
    "province,period",
    "channel",
    "scope",
    "use",
    "scope:top",
    "use:top,channel",
    "channel,scope,use",
    "period,province,channel,scope,use",
    "use,province",
    "period,channel",
    "province,scope:top,use:top",
    /* with area or relation: facts both ways */
    "area",
    "province,relation",
};

static const char *const wheres[][2] = {
    {NULL, NULL},
    {"province=330000", NULL},
    {"province=110000,440000", NULL},
    {"channel=wallet", NULL},
    {"channel=account", "province=440000"},
    {"scope=in_province", NULL},
    {"scope=cross_province", "use=medical_pharmacy"},
    {"use=premium,other", NULL},
    {"period=2024-02", NULL},
    {"period=2024-01,2024-03", "channel=wallet"},
    {"area=330100", NULL},
    {"relation=spouse", NULL},
};

static const char *const ranges[] = {"2023-11..2024-04", "2024-02..2024-04",
                                     "2024-03"};

/*
 * Every shape at the vintage set on f->st: both ways equal.  Returns the
 * number of shapes run.
 */
static int
compare_all(struct fixture *f)
{
    int n = 0;
    for (size_t b = 0; b < ARRAY_SIZE(bys); b++)
        for (size_t w = 0; w < ARRAY_SIZE(wheres); w++)
            for (size_t r = 0; r < ARRAY_SIZE(ranges); r++) {
                struct query q;
                struct diag err;
                diag_clear(&err);
                query_init(&q);
                if (period_range_parse(&q.range, ranges[r], &err) < 0 ||
                    query_set_by(&q, bys[b], &err) < 0)
                    fail_msg("%s", err.msg);
                for (int k = 0; k < 2 && wheres[w][k] != NULL; k++)
                    if (query_add_where(&q, wheres[w][k], f->rd, &err) < 0)
                        fail_msg("%s", err.msg);
                /* vary the rest with the shape */
                q.channels = (b + w) % 2 == 0;
                q.sort = (enum query_sort)((b + w + r) % 3);
                q.top = (b + r) % 4 == 3 ? 3 : 0;
                char *keys = run_text(f, &q, false);
                char *facts = run_text(f, &q, true);
                if (strcmp(keys, facts) != 0) {
                    fprintf(stderr,
                            "vintage %lld, --by %s, --where %s %s, %s:\n"
                            "--- facts\n%s--- fact_key\n%s",
                            (long long)store_vintage(f->st), bys[b],
                            wheres[w][0] ? wheres[w][0] : "-",
                            wheres[w][1] ? wheres[w][1] : "", ranges[r], facts,
                            keys);
                    fail_msg("fact_key and fact differ");
                }
                free(keys);
                free(facts);
                query_release(&q);
                n++;
            }
    return n;
}

/* One text of every row of sql (integers and text, '|'-separated). */
static char *
sql_text(struct fixture *f, const char *sql)
{
    sqlite3_stmt *s = NULL;
    struct sbuf sb = SBUF_INIT;

    if (sqlite3_prepare_v2(store_handle(f->st), sql, -1, &s, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(store_handle(f->st)));
    while (sqlite3_step(s) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(s); c++) {
            const char *t = (const char *)sqlite3_column_text(s, c);
            sbuf_addf(&sb, "%s%s", c ? "|" : "", t != NULL ? t : "NULL");
        }
        sbuf_addch(&sb, '\n');
    }
    sqlite3_finalize(s);
    return sbuf_detach(&sb, NULL);
}

static int
exec_sql(struct fixture *f, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(store_handle(f->st), sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fprintf(stderr, "%s: %s\n", sql, msg != NULL ? msg : "?");
    sqlite3_free(msg);
    return rc;
}

static const char key_sql[] =
    "SELECT period, province, channel, scope, use, submission_id, "
    "person_times, amount_fen, replaced_by FROM fact_key ORDER BY period, "
    "province, channel, scope, use, submission_id";
static const char def_sql[] =
    "SELECT period, province, channel, scope, use, submission_id, "
    "sum(person_times), sum(amount_fen), NULL FROM fact GROUP BY period, "
    "province, channel, scope, use, submission_id UNION ALL "
    "SELECT period, province, channel, scope, use, submission_id, "
    "sum(person_times), sum(amount_fen), replaced_by FROM fact_history "
    "GROUP BY period, province, channel, scope, use, submission_id, "
    "replaced_by ORDER BY 1, 2, 3, 4, 5, 6";

static void
test_factkey_is_the_facts_summed(void **state)
{
    struct fixture *f = *state;

    load_store(f);
    char *keys = sql_text(f, key_sql), *def = sql_text(f, def_sql);
    assert_string_equal(keys, def);
    /* the store has what the test is about */
    char *c = sql_text(
        f, "SELECT (SELECT count(*) FROM fact_key WHERE replaced_by IS NOT "
           "NULL) > 20, (SELECT count(DISTINCT part) FROM coverage) = 3, "
           "(SELECT count(*) FROM fact_key WHERE channel = 'wallet') > 0, "
           "(SELECT count(*) FROM fact_key) < (SELECT count(*) FROM "
           "fact) + (SELECT count(*) FROM fact_history), "
           "(SELECT count(*) FROM fact_key WHERE person_times = 0) > 0");
    assert_string_equal(c, "1|1|1|1|1\n");
    free(c);
    free(keys);
    free(def);
}

static void
test_factkey_same_results_at_every_vintage(void **state)
{
    struct fixture *f = *state;
    int n = 0;

    load_store(f);
    for (int v = 0; v <= f->nsub + 1; v++) {
        store_set_vintage(f->st, v);
        n += compare_all(f);
    }
    store_set_vintage(f->st, 0);
    assert_int_equal(n, (f->nsub + 2) *
                            (int)(ARRAY_SIZE(bys) * ARRAY_SIZE(wheres) *
                                  ARRAY_SIZE(ranges)));
}

/* A figure changed in fact_key shows in a query by province only. */
static void
test_factkey_is_what_queries_read(void **state)
{
    struct fixture *f = *state;
    struct query q;
    struct diag err;

    load_store(f);
    diag_clear(&err);
    assert_int_equal(exec_sql(f, "UPDATE fact_key SET person_times = "
                                 "person_times + 1 WHERE replaced_by "
                                 "IS NULL"),
                     0);
    query_init(&q);
    assert_int_equal(period_range_parse(&q.range, "2023-11..2024-04", &err), 0);
    assert_int_equal(query_set_by(&q, "province", &err), 0);
    char *keys = run_text(f, &q, false), *facts = run_text(f, &q, true);
    assert_string_not_equal(keys, facts);
    free(keys);
    free(facts);
    assert_int_equal(query_set_by(&q, "area", &err), 0);
    keys = run_text(f, &q, false);
    facts = run_text(f, &q, true);
    assert_string_equal(keys, facts);
    free(keys);
    free(facts);
    query_release(&q);
}

static void
reopen(struct fixture *f, enum store_mode mode)
{
    struct diag err;
    diag_clear(&err);
    store_close(f->st);
    f->st = store_open(f->db, mode, &err);
    if (f->st == NULL) {
        diag_print(stderr, &err);
        fail_msg("reopen");
    }
}

/* A store of version 4 gets fact_key from its facts (migration 5). */
static void
test_factkey_filled_by_the_migration(void **state)
{
    struct fixture *f = *state;

    load_store(f);
    char *before = sql_text(f, key_sql);
    assert_int_equal(exec_sql(f, "DROP TABLE fact_key; DROP TABLE "
                                 "release_figure; DROP TABLE release; "
                                 "DROP INDEX fact_history_replaced; "
                                 "UPDATE meta SET value = '4' WHERE key = "
                                 "'schema_version'"),
                     0);
    reopen(f, STORE_WRITE);
    char *after = sql_text(f, key_sql);
    assert_string_equal(after, before);
    free(after);
    /* a version-5 store from before fact_key: filled when written */
    assert_int_equal(exec_sql(f, "DROP TABLE fact_key"), 0);
    reopen(f, STORE_WRITE);
    after = sql_text(f, key_sql);
    assert_string_equal(after, before);
    free(after);
    free(before);
    store_set_vintage(f->st, 5);
    compare_all(f);
}

/* Without fact_key (a reader that may not add it) queries read fact. */
static void
test_factkey_absent_facts_are_read(void **state)
{
    struct fixture *f = *state;
    struct query q;
    struct diag err;

    load_store(f);
    diag_clear(&err);
    query_init(&q);
    assert_int_equal(period_range_parse(&q.range, "2023-11..2024-04", &err), 0);
    assert_int_equal(query_set_by(&q, "period,province", &err), 0);
    store_set_vintage(f->st, 6);
    char *want = run_text(f, &q, true);
    assert_int_equal(exec_sql(f, "DROP TABLE fact_key"), 0);
    reopen(f, STORE_READ);
    store_set_vintage(f->st, 6);
    char *got = run_text(f, &q, false);
    assert_string_equal(got, want);
    free(got);
    free(want);
    query_release(&q);
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_factkey_is_the_facts_summed),
        T(test_factkey_same_results_at_every_vintage),
        T(test_factkey_is_what_queries_read),
        T(test_factkey_filled_by_the_migration),
        T(test_factkey_absent_facts_are_read),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
