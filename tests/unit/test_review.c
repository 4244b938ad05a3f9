/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_review.c - the robust statistics of aggregate/review
 * (median, MAD, robust z with its floor), the premium season, and the
 * findings list (append copies, sort by severity then place).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "aggregate/review.h"

static void
test_review_median_odd_even(void **state)
{
    (void)state;
    double a[] = {5, 1, 3};
    assert_true(review_median(a, 3) == 3.0);
    double b[] = {4, 1, 3, 2};
    assert_true(review_median(b, 4) == 2.5);
    double c[] = {-7};
    assert_true(review_median(c, 1) == -7.0);
}

static void
test_review_mad(void **state)
{
    (void)state;
    /* deviations from 3: 2 1 0 1 2 4 -> median 1.5 */
    double v[] = {1, 2, 3, 4, 5, 7};
    assert_true(review_mad(v, 6, 3.0) == 1.5);
}

static void
test_review_robust_z_scaled(void **state)
{
    (void)state;
    double v[] = {0.0, 0.1, 0.2, 0.3, 0.4}, med, spread;
    /* median 0.2, MAD 0.1, spread 0.14826 */
    double z = review_robust_z(0.2 + 5 * 0.14826, v, 5, 0.01, &med, &spread);
    assert_true(fabs(med - 0.2) < 1e-12);
    assert_true(fabs(spread - 0.14826) < 1e-12);
    assert_true(fabs(z - 5.0) < 1e-9);
}

static void
test_review_robust_z_floor(void **state)
{
    (void)state;
    /* a flat history: the MAD is 0, the floor is the spread */
    double v[] = {0.01, 0.01, 0.01, 0.01, 0.01, 0.01}, med, spread;
    double z = review_robust_z(log(3.5), v, 6, REVIEW_FLOOR_LOG, &med, &spread);
    assert_true(spread == REVIEW_FLOOR_LOG);
    assert_true(fabs(z - (log(3.5) - 0.01) / 0.10) < 1e-9);
    assert_true(z > REVIEW_Z_ERROR); /* a 3.5x jump is an error */
}

static void
test_review_robust_z_outlier_in_history(void **state)
{
    (void)state;
    /* one wild value in the history moves neither centre nor spread much */
    double v[] = {0.0, 0.02, -0.02, 0.01, -0.01, 5.0}, med, spread;
    double z = review_robust_z(0.6, v, 6, REVIEW_FLOOR_LOG, &med, &spread);
    assert_true(fabs(med - 0.005) < 1e-12);
    assert_true(spread == REVIEW_FLOOR_LOG);
    assert_true(z > REVIEW_Z_WARNING && z < REVIEW_Z_ERROR);
}

static void
test_review_season_month(void **state)
{
    (void)state;
    static const bool want[13] = {false, true, true, true, false, false, false,
                                  false, true, true, true, true,  true};
    for (int m = 1; m <= 12; m++)
        assert_int_equal(review_season_month(m), want[m]);
}

static struct review_finding
finding(enum review_severity s, int province, int area, int period)
{
    struct review_finding f;
    memset(&f, 0, sizeof(f));
    f.severity = s;
    f.check = RC_JUMP_MOM;
    f.province = province;
    f.area = area;
    f.period = period;
    f.channel = f.use = f.scope = -1;
    f.ratio = NAN;
    return f;
}

static void
test_review_list_sort(void **state)
{
    (void)state;
    struct review_list l;
    review_list_init(&l);
    struct review_finding f = finding(REVIEW_INFO, 110000, 0, 202501);
    review_list_append(&l, &f);
    f = finding(REVIEW_WARNING, 660000, 0, 202501); /* the Corps last */
    review_list_append(&l, &f);
    f = finding(REVIEW_WARNING, 650000, 650100, 202502);
    char files[] = "a.csv;b.csv";
    f.files = files;
    review_list_append(&l, &f);
    files[0] = 'x'; /* the list holds its own copy */
    f = finding(REVIEW_ERROR, 330000, 0, 202503);
    f.check = RC_MISSING;
    review_list_append(&l, &f);
    f = finding(REVIEW_WARNING, 650000, 0, 202502);
    review_list_append(&l, &f);
    review_list_sort(&l);
    assert_int_equal(l.n, 5);
    assert_int_equal(l.v[0].severity, REVIEW_ERROR);
    assert_int_equal(l.v[1].province, 650000);
    assert_int_equal(l.v[1].area, 0);
    assert_int_equal(l.v[2].area, 650100);
    assert_string_equal(l.v[2].files, "a.csv;b.csv");
    assert_int_equal(l.v[3].province, 660000);
    assert_int_equal(l.v[4].severity, REVIEW_INFO);
    review_list_release(&l);
    assert_int_equal(l.n, 0);
}

static void
test_review_codes(void **state)
{
    (void)state;
    assert_string_equal(review_check_code(RC_MISSING), "missing");
    assert_string_equal(review_check_code(RC_CROSS_SHARE), "cross_share");
    assert_string_equal(review_severity_code(REVIEW_WARNING), "warning");
    assert_string_equal(review_measure_code(RM_AVG_AMOUNT),
                        "amount_per_person_time");
    assert_string_equal(review_measure_code(RM_NONE), "");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_review_median_odd_even),
        cmocka_unit_test(test_review_mad),
        cmocka_unit_test(test_review_robust_z_scaled),
        cmocka_unit_test(test_review_robust_z_floor),
        cmocka_unit_test(test_review_robust_z_outlier_in_history),
        cmocka_unit_test(test_review_season_month),
        cmocka_unit_test(test_review_list_sort),
        cmocka_unit_test(test_review_codes),
    };
    return cmocka_run_group_tests_name("review", tests, NULL, NULL);
}
