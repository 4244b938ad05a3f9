/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_period.c - the calendar: period_parse,
 * period_range_parse, period arithmetic, the yyyymm packing, days and
 * dates, and every label.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/diag.h"
#include "common/period.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define NOT_A_MONTH(q)                                                         \
    "period " q " is not a month (expected YYYY-MM, YYYYMM or YYYY年M月)"
#define IMPOSSIBLE(q) "period " q " is impossible (month 1-12, year 2000-2099)"

/* ---------------------------------------------------------------------- */
/* period_parse                                                            */
/* ---------------------------------------------------------------------- */

static const struct {
    const char *in;
    int rc;
    int year, month;
    const char *msg; /* exact message when rc == -1 */
} parse_cases[] = {
    {"2024-09", 0, 2024, 9, NULL},
    {"2024-9", 0, 2024, 9, NULL},
    {"202409", 0, 2024, 9, NULL},
    {"2024/09", 0, 2024, 9, NULL},
    {"2024/9", 0, 2024, 9, NULL},
    {"2024年9月", 0, 2024, 9, NULL},
    {"2024年09月", 0, 2024, 9, NULL},
    {"2024年12月", 0, 2024, 12, NULL},
    {"2024-1", 0, 2024, 1, NULL},
    {"2024-12", 0, 2024, 12, NULL},
    {"2000-01", 0, 2000, 1, NULL},
    {"2099-12", 0, 2099, 12, NULL},
    {"209912", 0, 2099, 12, NULL},
    /* shapes spreadsheets and system exports write */
    {"2024.09", 0, 2024, 9, NULL},
    {"2024.10", 0, 2024, 10, NULL},
    {"2024.13", -1, 0, 0, IMPOSSIBLE("'2024.13'")},
    {"2024-09-01", 0, 2024, 9, NULL},
    {"2024-09-30", 0, 2024, 9, NULL},
    {"2024-9-1", 0, 2024, 9, NULL},
    {"2024/9/1", 0, 2024, 9, NULL},
    {"2024/09/01", 0, 2024, 9, NULL},
    {"2024/12/31", 0, 2024, 12, NULL},
    {"2024.09.01", 0, 2024, 9, NULL},
    {"2024-02-29", 0, 2024, 2, NULL},
    {"2024 年 9 月", 0, 2024, 9, NULL},
    {"2024年 9月", 0, 2024, 9, NULL},
    {"2024\u3000年\u30009\u3000月", 0, 2024, 9, NULL},
    {"2024年9月1日", 0, 2024, 9, NULL},
    {"2024 年 9 月 1 日", 0, 2024, 9, NULL},
    {"1999-12-31", -1, 0, 0, IMPOSSIBLE("'1999-12-31'")},
    /* impossible months and years */
    {"2024-13", -1, 0, 0, IMPOSSIBLE("'2024-13'")},
    {"2024-00", -1, 0, 0, IMPOSSIBLE("'2024-00'")},
    {"2024-0", -1, 0, 0, IMPOSSIBLE("'2024-0'")},
    {"1999-05", -1, 0, 0, IMPOSSIBLE("'1999-05'")},
    {"1999-12", -1, 0, 0, IMPOSSIBLE("'1999-12'")},
    {"2100-01", -1, 0, 0, IMPOSSIBLE("'2100-01'")},
    {"2204-09", -1, 0, 0, IMPOSSIBLE("'2204-09'")},
    {"2024年13月", -1, 0, 0, IMPOSSIBLE("'2024年13月'")},
    {"2024年0月", -1, 0, 0, IMPOSSIBLE("'2024年0月'")},
    {"202413", -1, 0, 0, IMPOSSIBLE("'202413'")},
    {"202400", -1, 0, 0, IMPOSSIBLE("'202400'")},
    /* not months at all */
    {"", -1, 0, 0, NOT_A_MONTH("''")},
    {"24-09", -1, 0, 0, NOT_A_MONTH("'24-09'")},
    {"2024", -1, 0, 0, NOT_A_MONTH("'2024'")},
    {"2024-", -1, 0, 0, NOT_A_MONTH("'2024-'")},
    {"2024-09-00", -1, 0, 0, NOT_A_MONTH("'2024-09-00'")},
    {"2024-09-31", -1, 0, 0, NOT_A_MONTH("'2024-09-31'")},
    {"2023-02-29", -1, 0, 0, NOT_A_MONTH("'2023-02-29'")},
    {"2024-09/01", -1, 0, 0, NOT_A_MONTH("'2024-09/01'")},
    {"2024-09-001", -1, 0, 0, NOT_A_MONTH("'2024-09-001'")},
    {"2024-09-01 ", -1, 0, 0, NOT_A_MONTH("'2024-09-01 '")},
    {"2024-13-01", -1, 0, 0, NOT_A_MONTH("'2024-13-01'")},
    {"2024/9/", -1, 0, 0, NOT_A_MONTH("'2024/9/'")},
    {"2024年9月31日", -1, 0, 0, NOT_A_MONTH("'2024年9月31日'")},
    {"2024年9月1", -1, 0, 0, NOT_A_MONTH("'2024年9月1'")},
    {"2024 年 9 月 ", -1, 0, 0, NOT_A_MONTH("'2024 年 9 月 '")},
    {"2024.9.1", 0, 2024, 9, NULL},
    {"2024-009", -1, 0, 0, NOT_A_MONTH("'2024-009'")},
    {"2024-9 ", -1, 0, 0, NOT_A_MONTH("'2024-9 '")},
    {" 2024-09", -1, 0, 0, NOT_A_MONTH("' 2024-09'")},
    {"2024--9", -1, 0, 0, NOT_A_MONTH("'2024--9'")},
    {"2024-+9", -1, 0, 0, NOT_A_MONTH("'2024-+9'")},
    {"2024_09", -1, 0, 0, NOT_A_MONTH("'2024_09'")},
    {"2024.1", -1, 0, 0,
     "period '2024.1' is ambiguous: Excel shows 2024.10 as 2024.1 (write the "
     "month as YYYY-MM)"},
    {"2024.9", -1, 0, 0,
     "period '2024.9' is ambiguous: Excel shows 2024.10 as 2024.1 (write the "
     "month as YYYY-MM)"},
    {"2024.009", -1, 0, 0, NOT_A_MONTH("'2024.009'")},
    {"20249", -1, 0, 0, NOT_A_MONTH("'20249'")},
    {"2024099", -1, 0, 0, NOT_A_MONTH("'2024099'")},
    {"2024-0a", -1, 0, 0, NOT_A_MONTH("'2024-0a'")},
    {"abcd-09", -1, 0, 0, NOT_A_MONTH("'abcd-09'")},
    {"2024年9", -1, 0, 0, NOT_A_MONTH("'2024年9'")},
    {"2024年月", -1, 0, 0, NOT_A_MONTH("'2024年月'")},
    {"2024年009月", -1, 0, 0, NOT_A_MONTH("'2024年009月'")},
    {"2024年9月份", -1, 0, 0, NOT_A_MONTH("'2024年9月份'")},
    {"2024-9月", -1, 0, 0, NOT_A_MONTH("'2024-9月'")},
    {"２０２４-09", -1, 0, 0, NOT_A_MONTH("'２０２４-09'")},
};

static void
test_period_parse_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(parse_cases); i++) {
        const char *in = parse_cases[i].in;
        struct period p = {-1, -1};
        struct diag err;

        diag_clear(&err);
        int rc = period_parse(&p, in, strlen(in), &err);
        if (rc != parse_cases[i].rc)
            print_message("period_parse(\"%s\") = %d, \"%s\"\n", in, rc,
                          err.msg);
        assert_int_equal(rc, parse_cases[i].rc);
        if (rc == 0) {
            assert_int_equal(p.year, parse_cases[i].year);
            assert_int_equal(p.month, parse_cases[i].month);
        } else {
            assert_int_equal(err.code, DIAG_DATA);
            assert_int_equal(err.severity, DIAG_ERROR);
            assert_string_equal(err.msg, parse_cases[i].msg);
        }
    }
}

/* The field is a (ptr,len) slice: bytes past len are not looked at. */
static void
test_period_parse_slice(void **state)
{
    struct period p = {0, 0};
    struct diag err;

    (void)state;
    diag_clear(&err);
    assert_int_equal(period_parse(&p, "2024-09-30", 7, &err), 0);
    assert_int_equal(p.year, 2024);
    assert_int_equal(p.month, 9);
    assert_int_equal(period_parse(&p, "2023119", 6, &err), 0);
    assert_int_equal(p.year, 2023);
    assert_int_equal(p.month, 11);
    assert_int_equal(period_parse(&p, "2024", 3, &err), -1);
    assert_string_equal(err.msg, NOT_A_MONTH("'202'"));
}

/* ---------------------------------------------------------------------- */
/* period_range_parse                                                      */
/* ---------------------------------------------------------------------- */

static const struct {
    const char *in;
    int rc;
    int y1, m1, y2, m2;
    enum diag_code code;
    const char *msg;
} range_cases[] = {
    {"2024-01..2024-09", 0, 2024, 1, 2024, 9, DIAG_OK, NULL},
    {"2024-09", 0, 2024, 9, 2024, 9, DIAG_OK, NULL},
    {"202409", 0, 2024, 9, 2024, 9, DIAG_OK, NULL},
    {"2024-09..2024-09", 0, 2024, 9, 2024, 9, DIAG_OK, NULL},
    {"2023-11..2024-02", 0, 2023, 11, 2024, 2, DIAG_OK, NULL},
    {"2024年1月..2024年9月", 0, 2024, 1, 2024, 9, DIAG_OK, NULL},
    {"202401..2024-12", 0, 2024, 1, 2024, 12, DIAG_OK, NULL},
    {"2024-09..2024-01", -1, 0, 0, 0, 0, DIAG_USAGE,
     "period range '2024-09..2024-01' ends before it starts"},
    {"2025-01..2024-12", -1, 0, 0, 0, 0, DIAG_USAGE,
     "period range '2025-01..2024-12' ends before it starts"},
    {"2024-01..", -1, 0, 0, 0, 0, DIAG_DATA, NOT_A_MONTH("''")},
    {"..2024-09", -1, 0, 0, 0, 0, DIAG_DATA, NOT_A_MONTH("''")},
    {"..", -1, 0, 0, 0, 0, DIAG_DATA, NOT_A_MONTH("''")},
    {"", -1, 0, 0, 0, 0, DIAG_DATA, NOT_A_MONTH("''")},
    {"2024-01...2024-09", -1, 0, 0, 0, 0, DIAG_DATA, NOT_A_MONTH("'.2024-09'")},
    {"2024-01..2024-13", -1, 0, 0, 0, 0, DIAG_DATA, IMPOSSIBLE("'2024-13'")},
    {"2024-1..2024-9..2024-12", -1, 0, 0, 0, 0, DIAG_DATA,
     NOT_A_MONTH("'2024-9..2024-12'")},
    {"2024-01-2024-09", -1, 0, 0, 0, 0, DIAG_DATA,
     NOT_A_MONTH("'2024-01-2024-09'")},
};

static void
test_period_range_parse_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(range_cases); i++) {
        struct period_range r = {{-1, -1}, {-1, -1}};
        struct diag err;

        diag_clear(&err);
        int rc = period_range_parse(&r, range_cases[i].in, &err);
        if (rc != range_cases[i].rc)
            print_message("period_range_parse(\"%s\") = %d, \"%s\"\n",
                          range_cases[i].in, rc, err.msg);
        assert_int_equal(rc, range_cases[i].rc);
        if (rc == 0) {
            assert_int_equal(r.first.year, range_cases[i].y1);
            assert_int_equal(r.first.month, range_cases[i].m1);
            assert_int_equal(r.last.year, range_cases[i].y2);
            assert_int_equal(r.last.month, range_cases[i].m2);
        } else {
            assert_int_equal(err.code, range_cases[i].code);
            assert_string_equal(err.msg, range_cases[i].msg);
        }
    }
}

/* ---------------------------------------------------------------------- */
/* period_add, period_index, period_cmp                                    */
/* ---------------------------------------------------------------------- */

static const struct {
    int year, month, n;
    int want_year, want_month;
} add_cases[] = {
    /* Dec -> Jan and back */
    {2024, 12, 1, 2025, 1},
    {2025, 1, -1, 2024, 12},
    /* within a year, to a year boundary, and past it */
    {2024, 9, 0, 2024, 9},
    {2024, 1, 11, 2024, 12},
    {2024, 1, 12, 2025, 1},
    {2024, 12, -11, 2024, 1},
    {2024, 12, -12, 2023, 12},
    {2024, 3, -14, 2023, 1},
    /* Q4 -> Q1 and back */
    {2024, 10, 3, 2025, 1},
    {2025, 1, -3, 2024, 10},
    /* long jumps, the whole allowed range */
    {2024, 6, 25, 2026, 7},
    {2000, 1, 1199, 2099, 12},
    {2099, 12, -1199, 2000, 1},
};

static void
test_period_add_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(add_cases); i++) {
        struct period p = {add_cases[i].year, add_cases[i].month};
        struct period q = period_add(p, add_cases[i].n);

        assert_int_equal(q.year, add_cases[i].want_year);
        assert_int_equal(q.month, add_cases[i].want_month);
        /* the index difference is the number of months added */
        assert_int_equal(period_index(q) - period_index(p), add_cases[i].n);
    }
}

static void
test_period_index_round_trip(void **state)
{
    (void)state;
    assert_int_equal(period_index((struct period){2024, 1}), 2024 * 12);
    assert_int_equal(period_index((struct period){2024, 12}), 2024 * 12 + 11);
    for (int y = PERIOD_MIN_YEAR; y <= PERIOD_MAX_YEAR; y++) {
        for (int m = 1; m <= 12; m++) {
            struct period p = {y, m};
            struct period q = period_from_index(period_index(p));

            assert_int_equal(q.year, y);
            assert_int_equal(q.month, m);
        }
    }
}

static const struct {
    int y1, m1, y2, m2, want;
} cmp_cases[] = {
    {2024, 9, 2024, 9, 0},   {2024, 9, 2024, 10, -1}, {2024, 10, 2024, 9, 1},
    {2023, 12, 2024, 1, -1}, {2024, 1, 2023, 12, 1},  {2000, 1, 2099, 12, -1},
};

static void
test_period_cmp_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cmp_cases); i++) {
        struct period a = {cmp_cases[i].y1, cmp_cases[i].m1};
        struct period b = {cmp_cases[i].y2, cmp_cases[i].m2};

        assert_int_equal(period_cmp(a, b), cmp_cases[i].want);
    }
}

/* ---------------------------------------------------------------------- */
/* period_format, yyyymm                                                   */
/* ---------------------------------------------------------------------- */

static const struct {
    int year, month;
    const char *text;
    int yyyymm;
} format_cases[] = {
    {2024, 9, "2024-09", 202409},  {2024, 12, "2024-12", 202412},
    {2000, 1, "2000-01", 200001},  {2099, 12, "2099-12", 209912},
    {2025, 10, "2025-10", 202510},
};

static void
test_period_format_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(format_cases); i++) {
        struct period p = {format_cases[i].year, format_cases[i].month};
        char buf[8];

        memset(buf, 'x', sizeof(buf));
        assert_ptr_equal(period_format(buf, sizeof(buf), p), buf);
        assert_string_equal(buf, format_cases[i].text);
        assert_int_equal(period_to_yyyymm(p), format_cases[i].yyyymm);
    }
}

/* format -> parse and yyyymm -> period -> yyyymm for every month we allow */
static void
test_period_yyyymm_round_trip(void **state)
{
    (void)state;
    for (int y = PERIOD_MIN_YEAR; y <= PERIOD_MAX_YEAR; y++) {
        for (int m = 1; m <= 12; m++) {
            struct period p = {y, m}, q = {0, 0}, r = {0, 0};
            struct diag err;
            char buf[16];

            assert_int_equal(period_to_yyyymm(p), y * 100 + m);
            assert_true(period_from_yyyymm(period_to_yyyymm(p), &q));
            assert_int_equal(q.year, y);
            assert_int_equal(q.month, m);

            diag_clear(&err);
            period_format(buf, sizeof(buf), p);
            assert_int_equal(period_parse(&r, buf, strlen(buf), &err), 0);
            assert_int_equal(r.year, y);
            assert_int_equal(r.month, m);
        }
    }
}

static const int bad_yyyymm[] = {
    202413, 202400, 199912, 210001, 0, -202409, 2024090, 20249, 202499, 100001,
};

static void
test_period_from_yyyymm_rejects(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(bad_yyyymm); i++) {
        struct period p = {1, 1};

        assert_false(period_from_yyyymm(bad_yyyymm[i], &p));
    }
}

/* ---------------------------------------------------------------------- */
/* Days and dates                                                          */
/* ---------------------------------------------------------------------- */

static void
test_period_days_in_month(void **state)
{
    static const struct {
        int year, month, days;
    } cases[] = {
        {2024, 1, 31}, {2024, 2, 29}, {2023, 2, 28},  {2000, 2, 29},
        {1900, 2, 28}, {2100, 2, 28}, {2400, 2, 29},  {2024, 4, 30},
        {2024, 6, 30}, {2024, 9, 30}, {2024, 11, 30}, {2024, 12, 31},
        {2025, 7, 31}, {2025, 8, 31},
    };
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
        assert_int_equal(period_days_in_month(cases[i].year, cases[i].month),
                         cases[i].days);
    /* a year has 365 or 366 days */
    for (int y = 1896; y <= 2104; y++) {
        int n = 0;
        for (int m = 1; m <= 12; m++)
            n += period_days_in_month(y, m);
        assert_int_equal(n, period_is_leap(y) ? 366 : 365);
        assert_int_equal(period_is_leap(y),
                         y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
    }
}

static void
test_period_parse_date(void **state)
{
    static const struct {
        const char *in;
        int want; /* yyyymmdd, or -1 */
    } cases[] = {
        {"2024-10-20", 20241020}, {"2024-02-29", 20240229},
        {"2000-02-29", 20000229}, {"1970-01-01", 19700101},
        {"2023-02-29", -1},       {"2100-02-29", -1},
        {"1900-02-29", -1},       {"2024-04-31", -1},
        {"2024-13-01", -1},       {"2024-00-10", -1},
        {"2024-10-00", -1},       {"0000-01-01", -1},
        {"2024-10-1", -1},        {"2024-10-150", -1},
        {"2024/10/15", -1},       {"2024-1a-15", -1},
        {" 2024-10-1", -1},       {"", -1},
    };
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        int got = 0;
        int rc = period_parse_date(cases[i].in, strlen(cases[i].in), &got);
        if (cases[i].want < 0) {
            if (rc != -1)
                fail_msg("'%s' parsed as %d", cases[i].in, got);
        } else {
            if (rc != 0 || got != cases[i].want)
                fail_msg("'%s': rc %d, %d", cases[i].in, rc, got);
        }
    }
}

static void
test_period_month_end_and_epoch(void **state)
{
    (void)state;
    assert_int_equal(period_month_end((struct period){2024, 2}), 20240229);
    assert_int_equal(period_month_end((struct period){2023, 2}), 20230228);
    assert_int_equal(period_month_end((struct period){2024, 9}), 20240930);
    assert_int_equal(period_month_end((struct period){2024, 12}), 20241231);
    assert_int_equal(period_days_since_epoch(19700101), 0);
    assert_int_equal(period_days_since_epoch(19700102), 1);
    assert_int_equal(period_days_since_epoch(19691231), -1);
    assert_int_equal(period_days_since_epoch(20000229), 11016);
    assert_int_equal(period_days_since_epoch(20241015), 20011);
    /* consecutive days are one apart, across month and year ends */
    long long prev = period_days_since_epoch(19991231);
    for (int y = 2000; y <= 2030; y++)
        for (int m = 1; m <= 12; m++)
            for (int d = 1; d <= period_days_in_month(y, m); d++) {
                long long n = period_days_since_epoch(y * 10000 + m * 100 + d);
                assert_int_equal(n, prev + 1);
                prev = n;
            }
}

/* ---------------------------------------------------------------------- */
/* Ranges and labels                                                       */
/* ---------------------------------------------------------------------- */

static void
test_period_year_to_date_and_in_range(void **state)
{
    struct period_range r = period_year_to_date((struct period){2024, 9});
    (void)state;

    assert_int_equal(r.first.year, 2024);
    assert_int_equal(r.first.month, 1);
    assert_int_equal(r.last.month, 9);
    assert_true(period_in_range((struct period){2024, 1}, r));
    assert_true(period_in_range((struct period){2024, 9}, r));
    assert_false(period_in_range((struct period){2024, 10}, r));
    assert_false(period_in_range((struct period){2023, 12}, r));
    r = period_year_to_date((struct period){2025, 1});
    assert_int_equal(period_cmp(r.first, r.last), 0);
}

static void
test_period_labels(void **state)
{
    static const struct {
        struct period_range r;
        const char *label, *format;
    } cases[] = {
        {{{2024, 1}, {2024, 9}}, "2024年1-9月", "2024-01..2024-09"},
        {{{2024, 1}, {2024, 1}}, "2024年1月", "2024-01"},
        {{{2024, 1}, {2024, 2}}, "2024年1-2月", "2024-01..2024-02"},
        {{{2024, 1}, {2024, 12}}, "2024年1-12月", "2024-01..2024-12"},
        {{{2024, 6}, {2024, 6}}, "2024年6月", "2024-06"},
        {{{2023, 11}, {2024, 2}}, "2023年11月-2024年2月", "2023-11..2024-02"},
    };
    char buf[PERIOD_LABEL_MAX];
    (void)state;

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        memset(buf, 'x', sizeof(buf));
        assert_string_equal(period_range_label(buf, sizeof(buf), cases[i].r),
                            cases[i].label);
        assert_string_equal(period_range_format(buf, sizeof(buf), cases[i].r),
                            cases[i].format);
    }
    assert_string_equal(
        period_label(buf, sizeof(buf), (struct period){2024, 9}), "2024年9月");
    assert_string_equal(period_date_label(buf, sizeof(buf), 20241020),
                        "2024年10月20日");
    assert_string_equal(period_date_format(buf, sizeof(buf), 20240105),
                        "2024-01-05");
    /* never past len; always terminated */
    char small[5];
    period_range_label(small, sizeof(small),
                       period_year_to_date((struct period){2024, 9}));
    assert_string_equal(small, "2024");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_period_parse_table),
        cmocka_unit_test(test_period_parse_slice),
        cmocka_unit_test(test_period_range_parse_table),
        cmocka_unit_test(test_period_add_table),
        cmocka_unit_test(test_period_index_round_trip),
        cmocka_unit_test(test_period_cmp_table),
        cmocka_unit_test(test_period_format_table),
        cmocka_unit_test(test_period_yyyymm_round_trip),
        cmocka_unit_test(test_period_from_yyyymm_rejects),
        cmocka_unit_test(test_period_days_in_month),
        cmocka_unit_test(test_period_parse_date),
        cmocka_unit_test(test_period_month_end_and_epoch),
        cmocka_unit_test(test_period_year_to_date_and_in_range),
        cmocka_unit_test(test_period_labels),
    };

    return cmocka_run_group_tests_name("period", tests, NULL, NULL);
}
