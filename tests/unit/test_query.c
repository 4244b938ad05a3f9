/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_query.c - the query engine (DESIGN §5 query) over a real
 * store in a temporary directory: grouping by each dimension, --where
 * filters, sorting, --top, period ranges, exact sums and empty results.
 *
 * The data set (load_dataset) is small enough to add up by hand; every
 * expected figure below is written out from it.  An older version of one
 * (province, month) is stored first and replaced, so any figure that
 * counted history would be off by 1000 person-times.
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
#define HDR  "period,area,scope,use,relation,person_times,amount\n"

/*
 * Totals: 156 person-times, 600115 fen.  By period 202407 10/10001,
 * 202408 25/520002, 202409 121/70112.
 */
static const char dataset_csv[] =
    HDR "2024-07,110100,same_area,medical,spouse,10,100.01\n"
        "2024-08,110100,same_area,pharmacy,parent,20,200.02\n"
        "2024-09,110100,cross_area,medical,child,30,300.03\n"
        "2024-09,330100,same_area,medical,spouse,40,400.04\n"
        "2024-09,330200,cross_province,pharmacy,spouse,50,0.05\n"
        "2024-08,330100,same_area,premium,parent,5,\"5,000.00\"\n"
        "2024-09,660100,same_area,medical,spouse,1,1.00\n";

/* Replaced by dataset_csv: must never show. */
static const char old_csv[] =
    HDR "2024-09,330100,same_area,medical,spouse,1000,99999.99\n"
        "2024-09,330300,same_area,other,sibling,1000,1.00\n";

#define ALL_PT  156
#define ALL_FEN 600115

struct fixture {
    char dir[64];
    char db[96];
    struct refdata *rd;
    struct store *st;
    struct query q;
    struct query_result res;
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
    snprintf(f->dir, sizeof(f->dir), "%s/gongji-query-XXXXXX",
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
    query_init(&f->q);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    char path[128];

    query_result_release(&f->res);
    query_release(&f->q);
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

/*
 * Put sf as --replace would: dataset_csv drops old_csv's area 330300 on
 * purpose, so that a replaced area can be seen never to show.
 */
static void
put_file(struct fixture *f, const struct submission *sf)
{
    static const struct store_put_opts replace = {NULL, true};
    struct store_put_result pr;
    struct diag err;

    diag_clear(&err);
    if (store_begin(f->st, &err) < 0 ||
        store_put(f->st, sf, &replace, WHEN, &pr, &err) < 0 ||
        store_commit(f->st, &err) < 0) {
        diag_print(stderr, &err);
        fail_msg("put %s", sf->path);
    }
    store_put_result_release(&pr);
}

static void
ingest(struct fixture *f, const char *name, const char *csv)
{
    const struct ingest_opts opts = {ENC_AUTO, false, NULL};
    struct submission sf;
    struct diag_list dl;

    diag_list_init(&dl);
    submission_init(&sf);
    if (summary_parse(&sf, name, csv, strlen(csv), &opts, f->rd, &dl) != 0) {
        diag_list_print(stderr, &dl);
        fail_msg("%s does not parse", name);
    }
    diag_list_release(&dl);
    put_file(f, &sf);
    submission_release(&sf);
}

static void
load_dataset(struct fixture *f)
{
    ingest(f, "old.csv", old_csv);
    ingest(f, "q3.csv", dataset_csv);
}

/* Set the period range from "A" or "A..B". */
static void
set_range(struct fixture *f, const char *spec)
{
    struct diag err;

    diag_clear(&err);
    if (period_range_parse(&f->q.range, spec, &err) < 0)
        fail_msg("range %s: %s", spec, err.msg);
}

static void
set_by(struct fixture *f, const char *spec)
{
    struct diag err;

    diag_clear(&err);
    if (query_set_by(&f->q, spec, &err) < 0)
        fail_msg("--by %s: %s", spec, err.msg);
}

static void
add_where(struct fixture *f, const char *spec)
{
    struct diag err;

    diag_clear(&err);
    if (query_add_where(&f->q, spec, f->rd, &err) < 0)
        fail_msg("--where %s: %s", spec, err.msg);
}

static void
run(struct fixture *f)
{
    struct diag err;

    diag_clear(&err);
    query_result_release(&f->res);
    if (query_run(f->st, &f->q, &f->res, &err) < 0) {
        diag_print(stderr, &err);
        fail_msg("query_run");
    }
}

/*
 * The result as text, one row a line: the by-keys, then person-times and
 * fen, '|'-separated; then "total|PT|FEN".
 */
static char *
result_text(const struct fixture *f)
{
    struct sbuf sb = SBUF_INIT;

    for (size_t i = 0; i < f->res.nrows; i++) {
        const struct query_row *r = &f->res.rows[i];
        for (size_t k = 0; k < f->q.nby; k++)
            sbuf_addf(&sb, "%d|", r->key[k]);
        sbuf_addf(&sb, "%lld|%lld\n", (long long)r->person_times,
                  (long long)r->amount_fen);
    }
    sbuf_addf(&sb, "total|%lld|%lld\n", (long long)f->res.total_person_times,
              (long long)f->res.total_amount_fen);
    return sbuf_detach(&sb, NULL);
}

static void
assert_result(const struct fixture *f, const char *want)
{
    char *got = result_text(f);
    if (strcmp(got, want) != 0) {
        fprintf(stderr, "--- want\n%s--- got\n%s", want, got);
        free(got);
        fail_msg("query result differs");
    }
    free(got);
}

/* Run with the given range and --by, no filters; check the text. */
static void
assert_grouped(struct fixture *f, const char *range, const char *by,
               const char *want)
{
    set_range(f, range);
    set_by(f, by);
    run(f);
    assert_result(f, want);
}

/* ---------------------------------------------------------------------- */
/* Grouping                                                                */
/* ---------------------------------------------------------------------- */

static void
test_query_run_no_by_one_total_row(void **state)
{
    struct fixture *f = *state;

    load_dataset(f);
    assert_grouped(f, "2024-07..2024-09", "",
                   "156|600115\n"
                   "total|156|600115\n");
}

static void
test_query_run_by_period(void **state)
{
    struct fixture *f = *state;

    load_dataset(f);
    assert_grouped(f, "2024-07..2024-09", "period",
                   "202407|10|10001\n"
                   "202408|25|520002\n"
                   "202409|121|70112\n"
                   "total|156|600115\n");
}

static void
test_query_run_by_province(void **state)
{
    struct fixture *f = *state;

    load_dataset(f);
    /* code order, 660000 (XPCC) last */
    assert_grouped(f, "2024-07..2024-09", "province",
                   "110000|60|60006\n"
                   "330000|95|540009\n"
                   "660000|1|100\n"
                   "total|156|600115\n");
}

static void
test_query_run_by_area(void **state)
{
    struct fixture *f = *state;

    load_dataset(f);
    /* 330300 was only in the replaced version */
    assert_grouped(f, "2024-07..2024-09", "area",
                   "110100|60|60006\n"
                   "330100|45|540004\n"
                   "330200|50|5\n"
                   "660100|1|100\n"
                   "total|156|600115\n");
}

static void
test_query_run_by_scope(void **state)
{
    struct fixture *f = *state;
    char want[256];

    load_dataset(f);
    snprintf(want, sizeof(want),
             "%d|76|570107\n%d|30|30003\n%d|50|5\ntotal|156|600115\n",
             SCOPE_SAME_AREA, SCOPE_CROSS_AREA, SCOPE_CROSS_PROVINCE);
    assert_grouped(f, "2024-07..2024-09", "scope", want);
}

static void
test_query_run_by_use(void **state)
{
    struct fixture *f = *state;
    char want[256];

    load_dataset(f);
    snprintf(want, sizeof(want),
             "%d|81|80108\n%d|70|20007\n%d|5|500000\ntotal|156|600115\n",
             USE_MEDICAL, USE_PHARMACY, USE_PREMIUM);
    assert_grouped(f, "2024-07..2024-09", "use", want);
}

static void
test_query_run_by_relation(void **state)
{
    struct fixture *f = *state;
    char want[256];

    load_dataset(f);
    snprintf(want, sizeof(want),
             "%d|101|50110\n%d|25|520002\n%d|30|30003\ntotal|156|600115\n",
             REL_SPOUSE, REL_PARENT, REL_CHILD);
    assert_grouped(f, "2024-07..2024-09", "relation", want);
}

static void
test_query_run_by_two_dims_in_given_order(void **state)
{
    struct fixture *f = *state;

    load_dataset(f);
    assert_grouped(f, "2024-07..2024-09", "province,period",
                   "110000|202407|10|10001\n"
                   "110000|202408|20|20002\n"
                   "110000|202409|30|30003\n"
                   "330000|202408|5|500000\n"
                   "330000|202409|90|40009\n"
                   "660000|202409|1|100\n"
                   "total|156|600115\n");
    /* the other way round: keys swap places, order follows */
    query_release(&f->q);
    query_init(&f->q);
    assert_grouped(f, "2024-07..2024-09", "period,province",
                   "202407|110000|10|10001\n"
                   "202408|110000|20|20002\n"
                   "202408|330000|5|500000\n"
                   "202409|110000|30|30003\n"
                   "202409|330000|90|40009\n"
                   "202409|660000|1|100\n"
                   "total|156|600115\n");
}

static void
test_query_run_by_every_dim_is_each_fact(void **state)
{
    struct fixture *f = *state;

    load_dataset(f);
    assert_grouped(f, "2024-07..2024-09", "area,period,scope,use,relation",
                   "110100|202407|0|0|0|10|10001\n"
                   "110100|202408|0|1|1|20|20002\n"
                   "110100|202409|1|0|2|30|30003\n"
                   "330100|202408|0|3|1|5|500000\n"
                   "330100|202409|0|0|0|40|40004\n"
                   "330200|202409|3|1|0|50|5\n"
                   "660100|202409|0|0|0|1|100\n"
                   "total|156|600115\n");
}

/* ---------------------------------------------------------------------- */
/* Period ranges                                                           */
/* ---------------------------------------------------------------------- */

static void
test_query_run_range_single_month(void **state)
{
    struct fixture *f = *state;

    load_dataset(f);
    assert_grouped(f, "2024-08", "province",
                   "110000|20|20002\n"
                   "330000|5|500000\n"
                   "total|25|520002\n");
}

static void
test_query_run_range_bounds_inclusive(void **state)
{
    struct fixture *f = *state;

    load_dataset(f);
    assert_grouped(f, "2024-08..2024-09", "period",
                   "202408|25|520002\n"
                   "202409|121|70112\n"
                   "total|146|590114\n");
    query_release(&f->q);
    query_init(&f->q);
    assert_grouped(f, "2024-06..2024-07", "period",
                   "202407|10|10001\n"
                   "total|10|10001\n");
}

static void
test_query_run_range_without_data_is_empty(void **state)
{
    struct fixture *f = *state;

    load_dataset(f);
    assert_grouped(f, "2023-01..2024-06", "province", "total|0|0\n");
    assert_int_equal(f->res.nrows, 0);
    query_release(&f->q);
    query_init(&f->q);
    /* no --by either: still no row, not a row of zeros */
    assert_grouped(f, "2024-10..2025-12", "", "total|0|0\n");
    assert_int_equal(f->res.nrows, 0);
}

static void
test_query_run_empty_store(void **state)
{
    struct fixture *f = *state;

    assert_grouped(f, "2024-01..2024-12", "period,province", "total|0|0\n");
    assert_int_equal(f->res.nrows, 0);
}

/* ---------------------------------------------------------------------- */
/* --where                                                                 */
/* ---------------------------------------------------------------------- */

static void
test_query_add_where_province_by_name_and_code(void **state)
{
    struct fixture *f = *state;
    static const char *const zj[] = {"province=浙江", "province=浙江省",
                                     "province=330000"};

    load_dataset(f);
    for (size_t i = 0; i < ARRAY_SIZE(zj); i++) {
        query_release(&f->q);
        query_init(&f->q);
        add_where(f, zj[i]);
        assert_grouped(f, "2024-07..2024-09", "period",
                       "202408|5|500000\n"
                       "202409|90|40009\n"
                       "total|95|540009\n");
    }
}

static void
test_query_add_where_several_values(void **state)
{
    struct fixture *f = *state;

    load_dataset(f);
    add_where(f, "province=330000,660000");
    assert_grouped(f, "2024-07..2024-09", "province",
                   "330000|95|540009\n"
                   "660000|1|100\n"
                   "total|96|540109\n");
}

static void
test_query_add_where_repeat_narrows(void **state)
{
    struct fixture *f = *state;

    load_dataset(f);
    add_where(f, "province=110000,330000");
    add_where(f, "province=浙江省,660000");
    assert_int_equal(f->q.nwhere[DIM_PROVINCE], 1);
    assert_int_equal(f->q.where[DIM_PROVINCE][0], 330000);
    assert_grouped(f, "2024-07..2024-09", "", "95|540009\ntotal|95|540009\n");
}

static void
test_query_add_where_disjoint_repeat_is_empty(void **state)
{
    struct fixture *f = *state;

    load_dataset(f);
    add_where(f, "province=110000");
    add_where(f, "province=330000");
    assert_int_equal(f->q.nwhere[DIM_PROVINCE], 0);
    assert_grouped(f, "2024-07..2024-09", "province", "total|0|0\n");
    assert_int_equal(f->res.nrows, 0);
}

static void
test_query_add_where_scope_use_relation(void **state)
{
    struct fixture *f = *state;

    load_dataset(f);
    add_where(f, "scope=同一统筹区");
    assert_grouped(f, "2024-07..2024-09", "", "76|570107\ntotal|76|570107\n");

    query_release(&f->q);
    query_init(&f->q);
    add_where(f, "scope=cross_area,cross_province");
    assert_grouped(f, "2024-07..2024-09", "area",
                   "110100|30|30003\n"
                   "330200|50|5\n"
                   "total|80|30008\n");

    /* filters on different dimensions all apply */
    query_release(&f->q);
    query_init(&f->q);
    add_where(f, "use=pharmacy");
    add_where(f, "relation=spouse");
    assert_grouped(f, "2024-07..2024-09", "area", "330200|50|5\ntotal|50|5\n");

    query_release(&f->q);
    query_init(&f->q);
    add_where(f, "relation=parent");
    assert_grouped(f, "2024-07..2024-09", "use",
                   "1|20|20002\n"
                   "3|5|500000\n"
                   "total|25|520002\n");

    /* a coarse value takes its children: 省内 is same_area + cross_area */
    query_release(&f->q);
    query_init(&f->q);
    add_where(f, "scope=省内");
    assert_grouped(f, "2024-07..2024-09", "scope",
                   "0|76|570107\n"
                   "1|30|30003\n"
                   "total|106|600110\n");
    /* --by scope:top: 省内 (its parts together) and 跨省 */
    query_release(&f->q);
    query_init(&f->q);
    assert_grouped(f, "2024-07..2024-09", "scope:top",
                   "2|106|600110\n"
                   "3|50|5\n"
                   "total|156|600115\n");
    assert_grouped(f, "2024-07..2024-09", "use:top,relation:top",
                   "2|0|101|50110\n"
                   "2|1|20|20002\n"
                   "2|2|30|30003\n"
                   "3|1|5|500000\n"
                   "total|156|600115\n");
    /* ... and 就医购药 medical + pharmacy; a repeat narrows to pharmacy */
    query_release(&f->q);
    query_init(&f->q);
    add_where(f, "use=medical_pharmacy");
    assert_grouped(f, "2024-07..2024-09", "use",
                   "0|81|80108\n"
                   "1|70|20007\n"
                   "total|151|100115\n");
    add_where(f, "use=pharmacy");
    assert_grouped(f, "2024-07..2024-09", "use",
                   "1|70|20007\n"
                   "total|70|20007\n");
    /* everything stored before channels is the account's */
    query_release(&f->q);
    query_init(&f->q);
    add_where(f, "channel=wallet");
    assert_grouped(f, "2024-07..2024-09", "", "total|0|0\n");
    query_release(&f->q);
    query_init(&f->q);
    add_where(f, "channel=即时调用");
    assert_grouped(f, "2024-07..2024-09", "channel",
                   "0|156|600115\n"
                   "total|156|600115\n");
}

static void
test_query_run_channels_summed(void **state)
{
    struct fixture *f = *state;
    static const char wallet_csv[] =
        "period,area,channel,scope,use,person_times,amount\n"
        "2025-01,330100,wallet,省内,就医购药,3,3.00\n"
        "2025-01,330100,account,same_area,medical,5,5.00\n";

    ingest(f, "w.csv", wallet_csv);
    /* not asked for: 0 */
    assert_grouped(f, "2025-01", "", "8|800\ntotal|8|800\n");
    assert_int_equal(f->res.channels, 0);
    /* asked for: every way the channel is known */
    f->q.channels = true;
    assert_grouped(f, "2025-01", "", "8|800\ntotal|8|800\n");
    assert_int_equal(f->res.channels,
                     1u << CHANNEL_ACCOUNT | 1u << CHANNEL_WALLET);
    assert_grouped(f, "2025-01", "channel,use",
                   "0|0|5|500\n"
                   "1|2|3|300\n"
                   "total|8|800\n");
    assert_int_equal(f->res.channels,
                     1u << CHANNEL_ACCOUNT | 1u << CHANNEL_WALLET);
    add_where(f, "channel=医保钱包");
    assert_grouped(f, "2025-01", "scope", "2|3|300\ntotal|3|300\n");
    assert_int_equal(f->res.channels, 1u << CHANNEL_WALLET);
    add_where(f, "scope=same_area");
    assert_grouped(f, "2025-01", "", "total|0|0\n");
    assert_int_equal(f->res.channels, 0);
    query_release(&f->q);
    query_init(&f->q);
    f->q.channels = true;
    add_where(f, "use=medical");
    assert_grouped(f, "2025-01", "area", "330100|5|500\ntotal|5|500\n");
    assert_int_equal(f->res.channels, 1u << CHANNEL_ACCOUNT);
}

static void
test_query_add_where_period_inside_range(void **state)
{
    struct fixture *f = *state;

    load_dataset(f);
    add_where(f, "period=2024年9月,2024-07");
    assert_grouped(f, "2024-07..2024-09", "period",
                   "202407|10|10001\n"
                   "202409|121|70112\n"
                   "total|131|80113\n");
    /* a --where month outside the range selects nothing */
    query_release(&f->q);
    query_init(&f->q);
    add_where(f, "period=2024-07");
    assert_grouped(f, "2024-08..2024-09", "period", "total|0|0\n");
}

static void
test_query_add_where_area(void **state)
{
    struct fixture *f = *state;

    load_dataset(f);
    add_where(f, "area=杭州市");
    assert_grouped(f, "2024-07..2024-09", "period",
                   "202408|5|500000\n"
                   "202409|40|40004\n"
                   "total|45|540004\n");
    /* an area only in replaced history, and a code not in areas.csv of a
     * known province: accepted, nothing matches */
    query_release(&f->q);
    query_init(&f->q);
    add_where(f, "area=330300,330398");
    assert_grouped(f, "2024-07..2024-09", "area", "total|0|0\n");
}

static void
test_query_add_where_errors(void **state)
{
    struct fixture *f = *state;
    static const struct {
        const char *spec;
        const char *phrase;
    } bad[] = {
        {"province", "expected DIM=VALUE"},
        {"colour=red", "not a dimension"},
        {"scope=", "empty value"},
        {"scope=same_area,", "empty value"},
        {"scope=nowhere", "'nowhere'"},
        {"use=药店x", "is not a known value"},
        {"province=990000", "'990000'"},
        {"area=999999", "not a known area"},
        {"area=33010", "not a known area"},
        /* ten digits or more overflowed an int (UBSan) before the fix */
        {"area=3301003301", "not a known area"},
        {"area=33010033010033010099", "not a known area"},
        {"area=3301x0033010033010099", "not a known area"},
        {"period=2024-13", "2024-13"},
    };

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        struct diag err;
        diag_clear(&err);
        if (query_add_where(&f->q, bad[i].spec, f->rd, &err) != -1)
            fail_msg("--where %s accepted", bad[i].spec);
        if (err.code != DIAG_USAGE || strstr(err.msg, bad[i].phrase) == NULL)
            fail_msg("--where %s: code %d \"%s\", want DIAG_USAGE with \"%s\"",
                     bad[i].spec, (int)err.code, err.msg, bad[i].phrase);
    }
    /* nothing was added by the failures */
    for (int d = 0; d < DIM_N; d++) {
        assert_null(f->q.where[d]);
        assert_int_equal(f->q.nwhere[d], 0);
    }
}

/* ---------------------------------------------------------------------- */
/* --by parsing                                                            */
/* ---------------------------------------------------------------------- */

static void
test_query_set_by_parses_in_order(void **state)
{
    (void)state;
    struct query q;
    struct diag err;

    query_init(&q);
    diag_clear(&err);
    assert_int_equal(query_set_by(&q, "relation,period,area", &err), 0);
    assert_int_equal(q.nby, 3);
    assert_int_equal(q.by[0], DIM_RELATION);
    assert_int_equal(q.by[1], DIM_PERIOD);
    assert_int_equal(q.by[2], DIM_AREA);
    assert_int_equal(query_set_by(&q, "province,province", &err), -1);
    assert_int_equal(err.code, DIAG_USAGE);
    assert_non_null(strstr(err.msg, "given twice"));
    assert_int_equal(query_set_by(&q, "province,colour", &err), -1);
    assert_int_equal(err.code, DIAG_USAGE);
    assert_non_null(strstr(err.msg, "colour"));
    for (int d = 0; d < DIM_N; d++) {
        assert_int_equal(
            dim_parse(dim_name((enum dim)d), strlen(dim_name((enum dim)d))), d);
    }
    assert_int_equal(dim_parse("periods", 7), -1);
    assert_int_equal(dim_parse("period", 3), -1);
    query_release(&q);
}

/* ---------------------------------------------------------------------- */
/* Sorting and --top                                                       */
/* ---------------------------------------------------------------------- */

static void
test_query_run_sort_by_measure(void **state)
{
    struct fixture *f = *state;

    load_dataset(f);
    f->q.sort = QSORT_AMOUNT;
    assert_grouped(f, "2024-07..2024-09", "area",
                   "330100|45|540004\n"
                   "110100|60|60006\n"
                   "660100|1|100\n"
                   "330200|50|5\n"
                   "total|156|600115\n");
    f->q.sort = QSORT_PERSON_TIMES;
    run(f);
    assert_result(f, "110100|60|60006\n"
                     "330200|50|5\n"
                     "330100|45|540004\n"
                     "660100|1|100\n"
                     "total|156|600115\n");
}

static void
test_query_run_sort_ties_by_key(void **state)
{
    struct fixture *f = *state;

    /* equal person-times in 330100 and 110100, equal amounts in 330200
     * and 110100 */
    ingest(f, "ties.csv",
           HDR "2024-09,330100,same_area,medical,spouse,7,1.00\n"
               "2024-09,330200,same_area,medical,spouse,9,2.00\n"
               "2024-09,110100,same_area,medical,spouse,7,2.00\n");
    f->q.sort = QSORT_PERSON_TIMES;
    assert_grouped(f, "2024-09", "area",
                   "330200|9|200\n"
                   "110100|7|200\n"
                   "330100|7|100\n"
                   "total|23|500\n");
    f->q.sort = QSORT_AMOUNT;
    run(f);
    assert_result(f, "110100|7|200\n"
                     "330200|9|200\n"
                     "330100|7|100\n"
                     "total|23|500\n");
}

static void
test_query_run_top_keeps_totals(void **state)
{
    struct fixture *f = *state;

    load_dataset(f);
    f->q.sort = QSORT_AMOUNT;
    f->q.top = 2;
    /* the total is of every matching fact, not of the two rows shown */
    assert_grouped(f, "2024-07..2024-09", "area",
                   "330100|45|540004\n"
                   "110100|60|60006\n"
                   "total|156|600115\n");
    f->q.top = 10;
    run(f);
    assert_int_equal(f->res.nrows, 4);
}

static void
test_query_run_top_without_sort_ranks_person_times(void **state)
{
    struct fixture *f = *state;

    load_dataset(f);
    f->q.top = 2;
    assert_grouped(f, "2024-07..2024-09", "area",
                   "110100|60|60006\n"
                   "330200|50|5\n"
                   "total|156|600115\n");
}

/* ---------------------------------------------------------------------- */
/* Exact sums                                                              */
/* ---------------------------------------------------------------------- */

static void
test_query_run_amount_exact_beyond_double(void **state)
{
    struct fixture *f = *state;
    /* 2^53 + 1 fen plus 2 fen, and 2^53 fen plus 0.01 + 0.01 + 0.01 yuan
     * over three months: no double holds either sum */
    ingest(f, "big.csv",
           HDR "2024-09,330100,same_area,medical,spouse,1,90071992547409.93\n"
               "2024-09,330100,same_area,medical,parent,1,0.02\n");
    ingest(f, "big-bj.csv",
           HDR "2024-07,110100,same_area,medical,spouse,1,90071992547409.92\n"
               "2024-08,110100,same_area,medical,spouse,1,0.01\n"
               "2024-09,110100,same_area,medical,spouse,1,0.02\n");
    const int64_t zj = INT64_C(9007199254740995);
    const int64_t bj = INT64_C(9007199254740995);
    assert_true((int64_t)(double)zj != zj);
    assert_grouped(f, "2024-07..2024-09", "province",
                   "110000|3|9007199254740995\n"
                   "330000|2|9007199254740995\n"
                   "total|5|18014398509481990\n");
    assert_int_equal(f->res.rows[0].amount_fen, bj);
    assert_int_equal(f->res.rows[1].amount_fen, zj);
}

static void
test_query_run_overflow_is_an_error(void **state)
{
    struct fixture *f = *state;
    struct record rec[2];
    struct coverage cv[2];
    struct submission sf;
    struct diag err;

    /* two provinces of 5e18 fen each: each fits, their sum does not */
    memset(rec, 0, sizeof(rec));
    memset(cv, 0, sizeof(cv));
    submission_init(&sf);
    for (int i = 0; i < 2; i++) {
        rec[i].period = (struct period){2024, 9};
        rec[i].area = i == 0 ? 110100 : 330100;
        rec[i].scope = SCOPE_SAME_AREA;
        rec[i].use = USE_MEDICAL;
        rec[i].relation = REL_SPOUSE;
        rec[i].person_times = 1;
        rec[i].amount_fen = INT64_C(5000000000000000000);
        rec[i].line = (unsigned long)i + 2;
        cv[i].province = i == 0 ? 110000 : 330000;
        cv[i].period = (struct period){2024, 9};
        cv[i].rows = 1;
        cv[i].person_times = 1;
        cv[i].amount_fen = rec[i].amount_fen;
    }
    sf.path = "huge.csv";
    memset(sf.sha256, 'a', SHA256_HEX_LEN);
    sf.sha256[SHA256_HEX_LEN] = '\0';
    sf.rows = rec;
    sf.nrows = 2;
    sf.cover = cv;
    sf.ncover = 2;
    put_file(f, &sf);

    set_range(f, "2024-09");
    set_by(f, "province");
    diag_clear(&err);
    assert_int_equal(query_run(f->st, &f->q, &f->res, &err), -1);
    assert_int_equal(err.code, DIAG_DATA);
    assert_non_null(strstr(err.msg, "overflows"));
    assert_int_equal(f->res.nrows, 0);
    assert_null(f->res.rows);

    /* one province alone is fine */
    add_where(f, "province=330000");
    run(f);
    assert_result(f, "330000|1|5000000000000000000\n"
                     "total|1|5000000000000000000\n");
}

/*
 * A long query is read in parts, each its share of the months on a
 * connection and thread of its own (query.threads): the same rows and
 * totals as one connection, for every shape, at a vintage too.  The store
 * is made large enough for it (4 years x 5 areas x every scope, use and
 * relation: 10,080 facts, over 1 MiB), then opened read-only, as readers
 * open it.
 */
static char *
many_months_csv(int bump, int only_year)
{
    static const int areas[] = {110100, 330100, 330200, 440300, 660100};
    static const char *const scopes[] = {"same_area", "cross_area",
                                         "cross_province"};
    static const char *const uses[] = {"medical", "pharmacy", "premium",
                                       "other"};
    static const char *const rels[] = {
        "spouse",      "parent",     "child",      "sibling",
        "grandparent", "grandchild", "unspecified"};
    struct sbuf sb = SBUF_INIT;
    unsigned x = 12345;

    sbuf_addstr(&sb, HDR);
    for (int m = 0; m < 48; m++)
        for (size_t a = 0; a < ARRAY_SIZE(areas); a++)
            for (size_t sc = 0; sc < ARRAY_SIZE(scopes); sc++)
                for (size_t u = 0; u < ARRAY_SIZE(uses); u++)
                    for (size_t r = 0; r < ARRAY_SIZE(rels); r++) {
                        x = x * 1103515245u + 12345u;
                        unsigned pt = (x >> 8) % 5000 + (unsigned)bump;
                        unsigned fen = (x >> 4) % 90000000u;
                        if (only_year != 0 && 2021 + m / 12 != only_year)
                            continue;
                        sbuf_addf(&sb, "%d-%02d,%d,%s,%s,%s,%u,%u.%02u\n",
                                  2021 + m / 12, m % 12 + 1, areas[a],
                                  scopes[sc], uses[u], rels[r], pt, fen / 100,
                                  fen % 100);
                    }
    return sbuf_detach(&sb, NULL);
}

/* facts per month of many_months_csv() */
#define MANY_PER_MONTH (5 * 3 * 4 * 7)

static void
test_query_run_parts_same_result(void **state)
{
    static const char *const shapes[] = {
        "",
        "period",
        "province",
        "area",
        "use,period",
        "relation",
        "period,area,scope,use",
        "scope:top,province",
    };
    struct fixture *f = *state;
    struct diag err;
    int64_t by_month[2][48];

    char *csv = many_months_csv(0, 0);
    ingest(f, "years.csv", csv);
    free(csv);
    /* the second submission raises every count of 2022 by one */
    csv = many_months_csv(1, 2022);
    ingest(f, "2022.csv", csv);
    free(csv);
    store_close(f->st);
    diag_clear(&err);
    f->st = store_open(f->db, STORE_READ, &err);
    assert_non_null(f->st);

    for (int vintage = 0; vintage <= 1; vintage++) {
        store_set_vintage(f->st, vintage);
        for (size_t i = 0; i < ARRAY_SIZE(shapes); i++) {
            query_release(&f->q);
            query_init(&f->q);
            set_range(f, "2021-01..2024-12");
            if (*shapes[i] != '\0')
                set_by(f, shapes[i]);
            f->q.facts_only = true;
            f->q.channels = true;
            f->q.threads = 1;
            run(f);
            assert_int_equal(f->res.parts, 1);
            assert_int_equal(f->res.channels, 1u);
            if (strcmp(shapes[i], "period") == 0) {
                assert_int_equal(f->res.nrows, 48);
                for (size_t k = 0; k < 48; k++)
                    by_month[vintage][k] = f->res.rows[k].person_times;
            }
            char *one = result_text(f);
            for (unsigned t = 2; t <= 5; t++) {
                f->q.threads = t;
                run(f);
                assert_int_equal(f->res.parts, t);
                assert_int_equal(f->res.channels, 1u);
                char *many = result_text(f);
                if (strcmp(one, many) != 0) {
                    fprintf(stderr, "--by '%s', %u parts, vintage %d\n",
                            shapes[i], t, vintage);
                    fail_msg("the parts give another result");
                }
                free(many);
            }
            free(one);
        }
    }
    /* the raised year shows at the current state only */
    for (size_t k = 0; k < 48; k++)
        assert_int_equal(by_month[0][k] - by_month[1][k],
                         k >= 12 && k < 24 ? MANY_PER_MONTH : 0);
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_query_run_no_by_one_total_row),
        T(test_query_run_by_period),
        T(test_query_run_by_province),
        T(test_query_run_by_area),
        T(test_query_run_by_scope),
        T(test_query_run_by_use),
        T(test_query_run_by_relation),
        T(test_query_run_by_two_dims_in_given_order),
        T(test_query_run_by_every_dim_is_each_fact),
        T(test_query_run_range_single_month),
        T(test_query_run_range_bounds_inclusive),
        T(test_query_run_range_without_data_is_empty),
        T(test_query_run_empty_store),
        T(test_query_add_where_province_by_name_and_code),
        T(test_query_add_where_several_values),
        T(test_query_add_where_repeat_narrows),
        T(test_query_add_where_disjoint_repeat_is_empty),
        T(test_query_add_where_scope_use_relation),
        T(test_query_run_channels_summed),
        T(test_query_add_where_period_inside_range),
        T(test_query_add_where_area),
        T(test_query_add_where_errors),
        cmocka_unit_test(test_query_set_by_parses_in_order),
        T(test_query_run_sort_by_measure),
        T(test_query_run_sort_ties_by_key),
        T(test_query_run_top_keeps_totals),
        T(test_query_run_top_without_sort_ranks_person_times),
        T(test_query_run_amount_exact_beyond_double),
        T(test_query_run_overflow_is_an_error),
        T(test_query_run_parts_same_result),
    };
#undef T
    return cmocka_run_group_tests_name("query", tests, NULL, NULL);
}
