/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_numfmt.c - display units and figures (DESIGN §6).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "report/numfmt.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct auto_case {
    int64_t in;
    const char *want;
};

/* ******************************************************************** */
/* Units by magnitude                                                   */
/* ******************************************************************** */

static void
test_numfmt_pt_auto_edges(void **state)
{
    static const struct auto_case cases[] = {
        {0, "0人次"},
        {836, "836人次"},
        {9999, "9999人次"},
        {10000, "1.00万人次"},
        {10049, "1.00万人次"},
        {10050, "1.01万人次"},
        {15345000, "1534.50万人次"},
        /* unit chosen on the raw value, rounding after */
        {99999999, "10000.00万人次"},
        {100000000, "1.00亿人次"},
        {246345000, "2.46亿人次"},
        {246500000, "2.47亿人次"},
        {-9999, "-9999人次"},
        {-10000, "-1.00万人次"},
        {-246500000, "-2.47亿人次"},
    };
    char buf[64];
    (void)state;

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        int n = numfmt_pt_auto(buf, sizeof(buf), cases[i].in);
        assert_string_equal(buf, cases[i].want);
        assert_int_equal(n, (int)strlen(cases[i].want));
    }
}

static void
test_numfmt_amount_auto_edges(void **state)
{
    static const struct auto_case cases[] = {
        {0, "0.00元"},
        {5, "0.05元"},
        {1230, "12.30元"},
        {999999, "9999.99元"},
        {1000000, "1.00万元"},
        {1760000, "1.76万元"},
        {1004999, "1.00万元"},
        {1005000, "1.01万元"},
        /* 9999.99995万元: 万 on the raw value, then rounded */
        {9999999995, "10000.00万元"},
        {9999999999, "10000.00万元"},
        {10000000000, "1.00亿元"},
        {17600000000, "1.76亿元"},
        {3045700000000, "304.57亿元"},
        {-1230, "-12.30元"},
        {-1000000, "-1.00万元"},
        {-17600000000, "-1.76亿元"},
    };
    char buf[64];
    (void)state;

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        int n = numfmt_amount_auto(buf, sizeof(buf), cases[i].in);
        assert_string_equal(buf, cases[i].want);
        assert_int_equal(n, (int)strlen(cases[i].want));
    }
}

static void
test_numfmt_unit_thresholds(void **state)
{
    static const struct {
        int64_t in;
        enum unit pt, amount;
    } cases[] = {
        {0, UNIT_ONE, UNIT_ONE},          {9999, UNIT_ONE, UNIT_ONE},
        {10000, UNIT_WAN, UNIT_ONE},      {999999, UNIT_WAN, UNIT_ONE},
        {1000000, UNIT_WAN, UNIT_WAN},    {99999999, UNIT_WAN, UNIT_WAN},
        {100000000, UNIT_YI, UNIT_WAN},   {9999999999, UNIT_YI, UNIT_WAN},
        {10000000000, UNIT_YI, UNIT_YI},  {-10000, UNIT_WAN, UNIT_ONE},
        {-10000000000, UNIT_YI, UNIT_YI}, {INT64_MIN, UNIT_YI, UNIT_YI},
        {INT64_MAX, UNIT_YI, UNIT_YI},
    };
    (void)state;

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        assert_int_equal(numfmt_pt_unit(cases[i].in), cases[i].pt);
        assert_int_equal(numfmt_amount_unit(cases[i].in), cases[i].amount);
    }
}

static void
test_numfmt_suffixes(void **state)
{
    (void)state;
    assert_string_equal(numfmt_pt_suffix(UNIT_ONE), "人次");
    assert_string_equal(numfmt_pt_suffix(UNIT_WAN), "万人次");
    assert_string_equal(numfmt_pt_suffix(UNIT_YI), "亿人次");
    assert_string_equal(numfmt_amount_suffix(UNIT_ONE), "元");
    assert_string_equal(numfmt_amount_suffix(UNIT_WAN), "万元");
    assert_string_equal(numfmt_amount_suffix(UNIT_YI), "亿元");
}

/* ******************************************************************** */
/* Fixed units and rounding                                             */
/* ******************************************************************** */

struct fixed_case {
    int64_t in;
    enum unit u;
    int64_t hundredths;
    const char *want;
};

static void
test_numfmt_pt_fixed_unit(void **state)
{
    static const struct fixed_case cases[] = {
        {1234500, UNIT_WAN, 12345, "123.45"},
        {1234549, UNIT_WAN, 12345, "123.45"},
        {1234550, UNIT_WAN, 12346, "123.46"}, /* half up */
        {1234551, UNIT_WAN, 12346, "123.46"},
        {-1234549, UNIT_WAN, -12345, "-123.45"},
        {-1234550, UNIT_WAN, -12346, "-123.46"}, /* half away from 0 */
        {49, UNIT_WAN, 0, "0.00"},
        {50, UNIT_WAN, 1, "0.01"},
        {-49, UNIT_WAN, 0, "0.00"},
        {-50, UNIT_WAN, -1, "-0.01"},
        {246345000, UNIT_YI, 246, "2.46"},
        {246500000, UNIT_YI, 247, "2.47"},
        {-246500000, UNIT_YI, -247, "-2.47"},
        {499999, UNIT_YI, 0, "0.00"},
        {500000, UNIT_YI, 1, "0.01"},
        {15345000, UNIT_YI, 15, "0.15"},
        {836, UNIT_ONE, 83600, "836"},
        {-836, UNIT_ONE, -83600, "-836"},
        {0, UNIT_ONE, 0, "0"},
    };
    char buf[64];
    (void)state;

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        assert_int_equal(numfmt_pt_hundredths(cases[i].in, cases[i].u),
                         cases[i].hundredths);
        int n = numfmt_pt(buf, sizeof(buf), cases[i].in, cases[i].u);
        assert_string_equal(buf, cases[i].want);
        assert_int_equal(n, (int)strlen(cases[i].want));
    }
}

static void
test_numfmt_amount_fixed_unit(void **state)
{
    static const struct fixed_case cases[] = {
        {420000000000, UNIT_YI, 4200, "42.00"},
        {3045700000000, UNIT_YI, 30457, "304.57"},
        {3045750000000, UNIT_YI, 30458, "304.58"},
        {-3045750000000, UNIT_YI, -30458, "-304.58"},
        {3045749999999, UNIT_YI, 30457, "304.57"},
        {17600000000, UNIT_WAN, 1760000, "17600.00"},
        {123450000, UNIT_WAN, 12345, "123.45"},
        {123455000, UNIT_WAN, 12346, "123.46"},
        {-123455000, UNIT_WAN, -12346, "-123.46"},
        {123454999, UNIT_WAN, 12345, "123.45"},
        {1230, UNIT_ONE, 1230, "12.30"},
        {-1230, UNIT_ONE, -1230, "-12.30"},
        {0, UNIT_YI, 0, "0.00"},
    };
    char buf[64];
    (void)state;

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        assert_int_equal(numfmt_amount_hundredths(cases[i].in, cases[i].u),
                         cases[i].hundredths);
        int n = numfmt_amount(buf, sizeof(buf), cases[i].in, cases[i].u);
        assert_string_equal(buf, cases[i].want);
        assert_int_equal(n, (int)strlen(cases[i].want));
    }
}

static void
test_numfmt_extremes(void **state)
{
    char buf[64];
    (void)state;

    /* the magnitude is taken as uint64_t: no overflow at INT64_MIN */
    numfmt_amount_auto(buf, sizeof(buf), INT64_MIN);
    assert_string_equal(buf, "-922337203.69亿元");
    numfmt_amount_auto(buf, sizeof(buf), INT64_MAX);
    assert_string_equal(buf, "922337203.69亿元");
    numfmt_pt_auto(buf, sizeof(buf), INT64_MAX);
    assert_string_equal(buf, "92233720368.55亿人次");
}

/* ******************************************************************** */
/* numfmt_hundredths                                                    */
/* ******************************************************************** */

static void
test_numfmt_hundredths_signs(void **state)
{
    static const struct auto_case cases[] = {
        {0, "0.00"},
        {1, "0.01"},
        {-1, "-0.01"},
        {-10, "-0.10"},
        {-99, "-0.99"},
        {-100, "-1.00"},
        {-12345, "-123.45"},
        {12345, "123.45"},
        {100, "1.00"},
        {INT64_MAX, "92233720368547758.07"},
        {INT64_MIN, "-92233720368547758.08"},
    };
    char buf[64];
    (void)state;

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        int n = numfmt_hundredths(buf, sizeof(buf), cases[i].in);
        assert_string_equal(buf, cases[i].want);
        assert_int_equal(n, (int)strlen(cases[i].want));
    }
}

static void
test_numfmt_hundredths_truncates_like_snprintf(void **state)
{
    char buf[4];
    (void)state;

    assert_int_equal(numfmt_hundredths(buf, sizeof(buf), -12345), 7);
    assert_string_equal(buf, "-12");
}

/* ******************************************************************** */
/* Other numbers of decimals                                            */
/* ******************************************************************** */

static void
test_numfmt_scaled_and_decimals(void **state)
{
    static const struct {
        int64_t v, per;
        int digits;
        int64_t want;
        const char *text;
    } cases[] = {
        {15345000, 10000, 2, 153450, "1534.50"},
        {6876950000000, INT64_C(10000000000), 1, 6877, "687.7"},
        {6876949999999, INT64_C(10000000000), 1, 6877, "687.7"},
        {6876499999999, INT64_C(10000000000), 1, 6876, "687.6"},
        {6876500000000, INT64_C(10000000000), 0, 688, "688"},
        {-6876500000000, INT64_C(10000000000), 0, -688, "-688"},
        {-150, 100, 1, -15, "-1.5"},
        {-5, 100, 1, -1, "-0.1"},
        {-4, 100, 1, 0, "0.0"},
        {7695, 1, 0, 7695, "7695"},
        {INT64_MIN, 1, 0, INT64_MIN, "-9223372036854775808"},
    };
    char buf[64];
    (void)state;

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        int64_t s = numfmt_scaled(cases[i].v, cases[i].per, cases[i].digits);
        assert_int_equal(s, cases[i].want);
        int n = numfmt_decimals(buf, sizeof(buf), s, cases[i].digits);
        assert_string_equal(buf, cases[i].text);
        assert_int_equal(n, (int)strlen(cases[i].text));
    }
}

static void
test_numfmt_change_pct(void **state)
{
    static const struct {
        int64_t now, before;
        int digits, rc;
        int64_t want;
    } cases[] = {
        {464000000, 371000000, 1, 0, 251},
        {464000000, 371000000, 2, 0, 2507},
        {464000000, 371000000, 0, 0, 25},
        {97, 100, 1, 0, -30},
        {2001, 2000, 1, 0, 1},
        {1999, 2000, 1, 0, -1},
        {20001, 20000, 1, 0, 0},
        {0, 5, 1, 0, -1000},
        {5, 0, 1, -1, 0},
        {INT64_MAX, 1, 2, -1, 0},
        {INT64_MIN, INT64_MAX, 1, 0, -2000},
        /* a negative base (net reversals) has no rate */
        {5, -5, 1, -1, 0},
        /* .x5 boundaries: 1.05% -> 1.1, -1.05% -> -1.1, 1.0499..% -> 1.0 */
        {10105, 10000, 1, 0, 11},
        {9895, 10000, 1, 0, -11},
        {2000021, 2000000, 1, 0, 0},
        {1000000, 1000000, 1, 0, 0},
    };
    (void)state;

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        int64_t out = 12345;
        int rc = numfmt_change_pct(cases[i].now, cases[i].before,
                                   cases[i].digits, &out);
        assert_int_equal(rc, cases[i].rc);
        assert_int_equal(out, cases[i].rc == 0 ? cases[i].want : 12345);
    }
}

/*
 * numfmt_ratio: num * scale / den, rounded half away from zero, exactly.
 * want is only checked when rc is 0.
 */
static void
test_numfmt_ratio(void **state)
{
    static const struct {
        int64_t num, den, scale;
        int rc;
        int64_t want;
    } cases[] = {
        {1, 8, 1000, 0, 125},   /* 12.5% */
        {1, 16, 1000, 0, 63},   /* 6.25% -> 6.3: half away from zero */
        {-1, 16, 1000, 0, -63}, /* -6.25% -> -6.3 */
        {3, 16, 100, 0, 19},    /* 18.75 -> 19 */
        {1, 3, 1000, 0, 333},
        {2, 3, 1000, 0, 667},
        {-2, 3, 1000, 0, -667},
        {1001, 7, 1, 0, 143},  /* 143.0 */
        {1005, 10, 1, 0, 101}, /* 100.5 -> 101 */
        {1004, 10, 1, 0, 100},
        {-1005, 10, 1, 0, -101},
        {0, 5, 1000, 0, 0},
        {7, 7, 1000, 0, 1000}, /* 100.0% */
        {5, 0, 1000, -1, 0},   /* no base */
        {5, -3, 1000, -1, 0},
        {5, 3, 0, -1, 0},
        /* 128-bit intermediate: national fen x 1000 */
        {INT64_MAX, INT64_MAX, 1000, 0, 1000},
        {INT64_MAX / 2, INT64_MAX, 1000, 0, 500},
        {INT64_MAX, 1, 2, -1, 0}, /* does not fit */
        {INT64_MIN, 1, 1, 0, INT64_MIN},
        {INT64_MIN, 2, 1, 0, INT64_MIN / 2},
        /* 687.70亿元 of 5879.83亿元 at one decimal: 11.7% */
        {6877000000000, 58798300000000, 1000, 0, 117},
    };
    (void)state;

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        int64_t out = 12345;
        int rc = numfmt_ratio(cases[i].num, cases[i].den, cases[i].scale, &out);
        assert_int_equal(rc, cases[i].rc);
        assert_int_equal(out, cases[i].rc == 0 ? cases[i].want : 12345);
    }
}

/* Every rounding of numfmt_ratio against the exact rule, small values. */
static void
test_numfmt_ratio_exhaustive(void **state)
{
    (void)state;
    for (int64_t num = -300; num <= 300; num++)
        for (int64_t den = 1; den <= 40; den++) {
            int64_t out;
            assert_int_equal(numfmt_ratio(num, den, 10, &out), 0);
            /* 2|num*10 - out*den| <= den, ties away from zero */
            int64_t diff = num * 10 - out * den;
            int64_t twice = diff < 0 ? -2 * diff : 2 * diff;
            assert_true(twice <= den);
            if (twice == den)
                assert_true(num < 0 ? diff > 0 : diff < 0);
        }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numfmt_pt_auto_edges),
        cmocka_unit_test(test_numfmt_amount_auto_edges),
        cmocka_unit_test(test_numfmt_unit_thresholds),
        cmocka_unit_test(test_numfmt_suffixes),
        cmocka_unit_test(test_numfmt_pt_fixed_unit),
        cmocka_unit_test(test_numfmt_amount_fixed_unit),
        cmocka_unit_test(test_numfmt_extremes),
        cmocka_unit_test(test_numfmt_hundredths_signs),
        cmocka_unit_test(test_numfmt_hundredths_truncates_like_snprintf),
        cmocka_unit_test(test_numfmt_scaled_and_decimals),
        cmocka_unit_test(test_numfmt_change_pct),
        cmocka_unit_test(test_numfmt_ratio),
        cmocka_unit_test(test_numfmt_ratio_exhaustive),
    };
    return cmocka_run_group_tests_name("numfmt", tests, NULL, NULL);
}
