/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_policy.c - the policy table (data/policy.csv) and dates.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/diag.h"
#include "ingest/policy.h"
#include "ingest/refdata.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *
data_dir(void)
{
    const char *d = getenv("GONGJI_DATA");
    return d != NULL ? d : "data";
}

static int
setup_policy(void **state)
{
    struct policy *p = calloc(1, sizeof(*p));
    struct diag err;

    if (p == NULL)
        return -1;
    diag_clear(&err);
    if (policy_load(p, data_dir(), &err) < 0) {
        diag_print(stderr, &err);
        free(p);
        return -1;
    }
    *state = p;
    return 0;
}

static int
teardown_policy(void **state)
{
    struct policy *p = *state;
    policy_release(p);
    free(p);
    return 0;
}

/* ******************************************************************** */
/* policy_status_on                                                     */
/* ******************************************************************** */

static void
test_policy_status_on_real_data(void **state)
{
    static const struct {
        int province;
        enum policy_measure m;
        int date;
        enum policy_status want;
        bool known;           /* does the table know it on that date? */
        const char *note_has; /* NULL: no note expected */
    } cases[] = {
        /* 山西: its own notice gives the day */
        {140000, POLICY_NEAR_RELATIVES, 20240901, POLICY_FULL, true,
         "晋医保函"},
        {140000, POLICY_NEAR_RELATIVES, 20240831, POLICY_NONE, true, NULL},
        {140000, POLICY_NEAR_RELATIVES, 20241020, POLICY_FULL, true,
         "晋医保函"},
        /* 天津: in effect by 2024-10-20, the day unknown */
        {120000, POLICY_NEAR_RELATIVES, 20240930, POLICY_NONE, false, NULL},
        {120000, POLICY_NEAR_RELATIVES, 20241020, POLICY_FULL, true,
         "2024-10-20"},
        /* 北京: not yet on 2024-10-20, in effect by 2024-12-09 */
        {110000, POLICY_NEAR_RELATIVES, 20240930, POLICY_NONE, true, NULL},
        {110000, POLICY_NEAR_RELATIVES, 20241020, POLICY_NONE, true, "尚未"},
        {110000, POLICY_NEAR_RELATIVES, 20241125, POLICY_NONE, false, "尚未"},
        {110000, POLICY_NEAR_RELATIVES, 20241209, POLICY_FULL, true, "12月9日"},
        /* 四川: partial first, full later */
        {510000, POLICY_NEAR_RELATIVES, 20241019, POLICY_NONE, false, NULL},
        {510000, POLICY_NEAR_RELATIVES, 20241020, POLICY_PARTIAL, true,
         "近亲属"},
        {510000, POLICY_NEAR_RELATIVES, 20241130, POLICY_PARTIAL, false,
         "近亲属"},
        {510000, POLICY_NEAR_RELATIVES, 20241231, POLICY_FULL, true, "12月9日"},
        /* 山西's cross-area sharing: since 2022 */
        {140000, POLICY_CROSS_AREA, 20240930, POLICY_FULL, true, "2022"},
        /* 辽宁 */
        {210000, POLICY_CROSS_AREA, 20241020, POLICY_PARTIAL, true, "自付"},
        {210000, POLICY_CROSS_AREA, 20241231, POLICY_FULL, true, "12月9日"},
        /* 广东 */
        {440000, POLICY_CROSS_AREA, 20241020, POLICY_NONE, true, "尚未"},
        {440000, POLICY_CROSS_AREA, 20241231, POLICY_FULL, true, "12月9日"},
        /* cross-province sharing: the wallet's timeline */
        {130000, POLICY_CROSS_PROVINCE, 20241130, POLICY_NONE, false, NULL},
        {130000, POLICY_CROSS_PROVINCE, 20241231, POLICY_PARTIAL, true, "部分"},
        {130000, POLICY_CROSS_PROVINCE, 20250508, POLICY_FULL, true, "全省"},
        {440000, POLICY_CROSS_PROVINCE, 20250930, POLICY_NONE, false, "尚未"},
        {440000, POLICY_CROSS_PROVINCE, 20260109, POLICY_FULL, true, "全国"},
        {630000, POLICY_CROSS_PROVINCE, 20250701, POLICY_FULL, true, "7月1日"},
        /* a province the table does not name has none, known */
        {990000, POLICY_NEAR_RELATIVES, 20251231, POLICY_NONE, true, NULL},
    };
    const struct policy *p = *state;

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const char *note = "sentinel";
        bool known = !cases[i].known;
        enum policy_status st = policy_status_on(
            p, cases[i].province, cases[i].m, cases[i].date, &note, &known);
        if (st != cases[i].want || known != cases[i].known)
            fail_msg("case %zu (%d, %d): status %d known %d, want %d %d", i,
                     cases[i].province, cases[i].date, (int)st, (int)known,
                     (int)cases[i].want, (int)cases[i].known);
        if (cases[i].note_has == NULL) {
            assert_null(note);
        } else {
            assert_non_null(note);
            if (strstr(note, cases[i].note_has) == NULL)
                fail_msg("case %zu: note \"%s\" lacks \"%s\"", i, note,
                         cases[i].note_has);
        }
    }
}

static void
test_policy_status_on_null_note_pointer(void **state)
{
    const struct policy *p = *state;

    assert_int_equal(
        policy_status_on(p, 210000, POLICY_CROSS_AREA, 20241020, NULL, NULL),
        POLICY_PARTIAL);
}

static void
test_policy_near_relatives_full_count(void **state)
{
    const struct policy *p = *state;
    struct diag err;
    size_t full_1020 = 0, full_1231 = 0;

    diag_clear(&err);
    struct refdata *rd = refdata_load(data_dir(), &err);
    assert_non_null(rd);
    for (size_t i = 0; i < refdata_province_count(rd); i++) {
        int code = refdata_province_at(rd, i)->code;
        if (policy_status_on(p, code, POLICY_NEAR_RELATIVES, 20241020, NULL,
                             NULL) == POLICY_FULL)
            full_1020++;
        if (policy_status_on(p, code, POLICY_NEAR_RELATIVES, 20241231, NULL,
                             NULL) == POLICY_FULL)
            full_1231++;
    }
    assert_int_equal(full_1020, 18);
    /* 31 provinces and 新疆生产建设兵团 by the end of 2024 */
    assert_int_equal(full_1231, refdata_province_count(rd));
    assert_int_equal(full_1231, 32);
    refdata_free(rd);
}

static void
test_policy_load_rows(void **state)
{
    const struct policy *p = *state;

    /* the first data line of data/policy.csv */
    assert_true(p->nrows > 0);
    assert_int_equal(p->rows[0].province, 110000);
    assert_int_equal(p->rows[0].measure, POLICY_NEAR_RELATIVES);
    assert_int_equal(p->rows[0].status, POLICY_NONE);
    assert_int_equal(p->rows[0].since, 20241020);
    assert_true(p->rows[0].by);
    assert_non_null(p->rows[0].note);
}

static void
test_policy_load_missing_dir(void **state)
{
    struct policy p;
    struct diag err;
    (void)state;

    diag_clear(&err);
    assert_int_equal(policy_load(&p, "/nonexistent/gongji-data", &err), -1);
    assert_int_equal(err.code, DIAG_CONFIG);
    assert_non_null(strstr(err.msg, "cannot open"));
    assert_null(p.rows);
    assert_int_equal(p.nrows, 0);
}

/* ******************************************************************** */
/* policy_parse_date                                                    */
/* ******************************************************************** */

static void
test_policy_parse_date(void **state)
{
    static const struct {
        const char *in;
        int want;
    } cases[] = {
        {"2024-10-20", 20241020},
        {"2024-02-29", 20240229}, /* leap year */
        {"2000-02-29", 20000229}, /* divisible by 400 */
        {"2024-12-31", 20241231},
        {"2024-01-01", 20240101},
        {"2023-02-28", 20230228},
        {"2023-02-29", -1},
        {"2024-02-30", -1},
        {"2024-04-31", -1},
        {"2024-13-01", -1},
        {"2024-00-10", -1},
        {"2024-01-00", -1},
        {"2024-01-32", -1},
        {"2024-1-01", -1},
        {"2024-01-1", -1},
        {"24-01-01", -1},
        {"2024/01/01", -1},
        {"20240101", -1},
        {"2024-01-01 ", -1},
        {" 2024-01-01", -1},
        {"2024-0a-01", -1},
        {"+024-01-01", -1},
        {"1999-12-31", -1},
        {"", -1},
    };
    (void)state;

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        int got = policy_parse_date(cases[i].in, strlen(cases[i].in));
        if (got != cases[i].want)
            fail_msg("\"%s\": got %d, want %d", cases[i].in, got,
                     cases[i].want);
    }
}

static void
test_policy_parse_date_respects_len(void **state)
{
    (void)state;
    /* only s[0..len) counts: the NUL is not a terminator it relies on */
    assert_int_equal(policy_parse_date("2024-10-20X", 10), 20241020);
    assert_int_equal(policy_parse_date("2024-10-20", 9), -1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_policy_status_on_real_data,
                                        setup_policy, teardown_policy),
        cmocka_unit_test_setup_teardown(test_policy_status_on_null_note_pointer,
                                        setup_policy, teardown_policy),
        cmocka_unit_test_setup_teardown(test_policy_near_relatives_full_count,
                                        setup_policy, teardown_policy),
        cmocka_unit_test_setup_teardown(test_policy_load_rows, setup_policy,
                                        teardown_policy),
        cmocka_unit_test(test_policy_load_missing_dir),
        cmocka_unit_test(test_policy_parse_date),
        cmocka_unit_test(test_policy_parse_date_respects_len),
    };
    return cmocka_run_group_tests_name("policy", tests, NULL, NULL);
}
