/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_queryout.c - CSV text fields: RFC 4180 quoting and the
 * leading ' that keeps a spreadsheet from running a field as a formula;
 * the count words of a table (人次, 笔) by the channels summed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "aggregate/query.h"
#include "ingest/codes.h"
#include "report/queryout.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static void
test_queryout_csv_text(void **state)
{
    static const struct {
        const char *s, *want;
    } cases[] = {
        {"110000_2024-09.csv", "\"110000_2024-09.csv\""},
        {"", "\"\""},
        {"a,b\"c", "\"a,b\"\"c\""},
        {"=cmd|' /C calc'!A0.csv", "\"'=cmd|' /C calc'!A0.csv\""},
        {"+1.csv", "\"'+1.csv\""},
        {"-1.csv", "\"'-1.csv\""},
        {"@SUM(A1)", "\"'@SUM(A1)\""},
        {"\tx", "\"'\tx\""},
        {"\rx", "\"'\rx\""},
        {"\"=x", "\"\"\"=x\""},
        /* only the first character counts */
        {"a=b", "\"a=b\""},
        {"北京=", "\"北京=\""},
        {"'=x", "\"'=x\""},
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *fp = open_memstream(&buf, &len);
        assert_non_null(fp);
        queryout_csv_text(fp, cases[i].s);
        assert_int_equal(fclose(fp), 0);
        assert_string_equal(buf, cases[i].want);
        free(buf);
    }
}

/* The table of res (one row per channel value), into a string. */
static char *
table(const struct query_result *res)
{
    struct query q;
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);

    assert_non_null(fp);
    query_init(&q);
    q.range.first = period_of_yyyymm(202501);
    q.range.last = period_of_yyyymm(202512);
    q.by[q.nby++] = DIM_CHANNEL;
    queryout_write(fp, OUT_TABLE, &q, res, NULL);
    assert_int_equal(fclose(fp), 0);
    query_release(&q);
    return buf;
}

static void
test_queryout_count_words(void **state)
{
    struct query_row rows[2] = {
        {.key = {CHANNEL_ACCOUNT},
         .person_times = 421000000,
         .amount_fen = 6008200000000},
        {.key = {CHANNEL_WALLET},
         .person_times = 1121000,
         .amount_fen = 75000000000},
    };
    struct query_result res = {.rows = rows,
                               .nrows = 2,
                               .total_person_times = 422121000,
                               .total_amount_fen = 6083200000000,
                               .channels = 1u << CHANNEL_ACCOUNT |
                                           1u << CHANNEL_WALLET};
    char *s;

    (void)state;
    /* both: 人次, and the note that they include the wallet's 笔 */
    s = table(&res);
    assert_non_null(strstr(s, "单位：万人次、亿元\n"));
    assert_non_null(strstr(s, "共济人次（万人次）"));
    assert_non_null(strstr(s, "\n注：共济人次含医保钱包转账笔数。\n"));
    free(s);

    /* the wallet alone: 笔 */
    res.rows = &rows[1];
    res.nrows = 1;
    res.total_person_times = rows[1].person_times;
    res.total_amount_fen = rows[1].amount_fen;
    res.channels = 1u << CHANNEL_WALLET;
    s = table(&res);
    assert_non_null(strstr(s, "单位：万笔、亿元\n"));
    assert_non_null(strstr(s, "共济笔数（万笔）"));
    assert_non_null(strstr(s, "112.10"));
    assert_null(strstr(s, "人次"));
    assert_null(strstr(s, "注："));
    free(s);

    /* the account alone, or no channel known: 人次, no note */
    res.channels = 1u << CHANNEL_ACCOUNT;
    s = table(&res);
    assert_non_null(strstr(s, "共济人次（万人次）"));
    assert_null(strstr(s, "注："));
    free(s);
    res.channels = 0;
    s = table(&res);
    assert_non_null(strstr(s, "共济人次（万人次）"));
    free(s);

    /* below 1万: whole 笔 */
    rows[1].person_times = 7695;
    res.total_person_times = 7695;
    res.channels = 1u << CHANNEL_WALLET;
    s = table(&res);
    assert_non_null(strstr(s, "单位：笔、"));
    assert_non_null(strstr(s, "共济笔数（笔）"));
    free(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_queryout_csv_text),
        cmocka_unit_test(test_queryout_count_words),
    };

    return cmocka_run_group_tests_name("queryout", tests, NULL, NULL);
}
