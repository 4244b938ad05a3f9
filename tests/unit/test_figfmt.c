/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_figfmt.c - display modifiers and figures as the releases
 * print them (shared/DOMAIN.md, "Display in releases"), from exact integers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/sbuf.h"
#include "report/figfmt.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* 1亿元 and 1万元 in fen */
#define YI_YUAN  INT64_C(10000000000)
#define WAN_YUAN INT64_C(1000000)

static struct figfmt
spec(const char *mods, enum figfmt_kind kind)
{
    struct figfmt f;
    size_t bad = 99;
    if (figfmt_parse(mods, strlen(mods), kind, &f, &bad) != 0)
        fail_msg("modifiers \"%s\" refused at %zu", mods, bad);
    return f;
}

/* ******************************************************************** */
/* Counts and amounts                                                   */
/* ******************************************************************** */

static void
test_figfmt_published_displays(void **state)
{
    static const struct {
        enum figfmt_kind kind;
        const char *mods, *label;
        int64_t v;
        const char *want;
    } cases[] = {
        /* 2025年1-12月: "共济人次4.64亿，金额687.7亿元" */
        {FIGFMT_COUNT, "nolabel", "人次", 463950000, "4.64亿"},
        {FIGFMT_COUNT, "nolabel", "人次", 463500000, "4.64亿"},
        {FIGFMT_COUNT, "nolabel", "人次", 463499999, "4.63亿"},
        {FIGFMT_AMOUNT, "trim", NULL, 6876950000000, "687.7亿元"},
        {FIGFMT_AMOUNT, "trim|nolabel", NULL, 6877000000000, "687.7亿"},
        /* parts keep two decimals: 680.20, 7.50亿元 */
        {FIGFMT_AMOUNT, "", NULL, 6802000000000, "680.20亿元"},
        {FIGFMT_AMOUNT, "", NULL, 75000000000, "7.50亿元"},
        /* 2025年1-6月: "2亿" - 1.995亿 rounds up to 2.00, 1.99499999 down */
        {FIGFMT_COUNT, "trim|nolabel", "人次", 200000000, "2亿"},
        {FIGFMT_COUNT, "trim|nolabel", "人次", 199500000, "2亿"},
        {FIGFMT_COUNT, "trim|nolabel", "人次", 200499999, "2亿"},
        {FIGFMT_COUNT, "trim|nolabel", "人次", 199499999, "1.99亿"},
        {FIGFMT_COUNT, "trim", "人次", 200000000, "2亿人次"},
        /* 2024年1-9月 省内跨统筹区: 1534.50万人次, zeros kept */
        {FIGFMT_COUNT, "", "人次", 15345000, "1534.50万人次"},
        {FIGFMT_COUNT, "", "人次", 15344950, "1534.50万人次"},
        {FIGFMT_COUNT, "trim", "人次", 15345000, "1534.5万人次"},
        /* the wallet stays in 万元 above 1亿元 (2025年1-7月) */
        {FIGFMT_AMOUNT, "wan", NULL, 11612690000, "11612.69万元"},
        {FIGFMT_AMOUNT, "万", NULL, 11612690000, "11612.69万元"},
        {FIGFMT_AMOUNT, "", NULL, 11612690000, "1.16亿元"},
        /* wallet counts in 笔: whole below 1万, 万笔 above */
        {FIGFMT_COUNT, "", "笔", 7695, "7695笔"},
        {FIGFMT_COUNT, "trim|d1", "笔", 7695, "7695笔"},
        {FIGFMT_COUNT, "", "笔", 1121000, "112.10万笔"},
        {FIGFMT_COUNT, "", "笔", 17200, "1.72万笔"},
        {FIGFMT_COUNT, "base", "笔", 1121000, "1121000笔"},
        /* 缴纳居民医保 19笔 / 8506元: amounts below 1万元 in 元 */
        {FIGFMT_AMOUNT, "trim", NULL, 850600, "8506元"},
        {FIGFMT_AMOUNT, "", NULL, 850600, "8506.00元"},
        {FIGFMT_AMOUNT, "trim", NULL, 850650, "8506.5元"},
        {FIGFMT_AMOUNT, "", NULL, 5367000, "5.37万元"},
        /* 长期护理保险个人缴费 0.76亿元 in a list of 亿 amounts */
        {FIGFMT_AMOUNT, "yi", NULL, 7612345678, "0.76亿元"},
        {FIGFMT_AMOUNT, "亿", NULL, 7612345678, "0.76亿元"},
        {FIGFMT_AMOUNT, "", NULL, 7612345678, "7612.35万元"},
        {FIGFMT_AMOUNT, "base", NULL, 7612345678, "76123456.78元"},
        /* 山西 2024年1-7月: 156.19万人次、1.76亿元 */
        {FIGFMT_COUNT, "", "人次", 1561900, "156.19万人次"},
        {FIGFMT_AMOUNT, "", NULL, 17600000000, "1.76亿元"},
        /* nounit: the number alone */
        {FIGFMT_COUNT, "nounit", "人次", 463950000, "4.64"},
        {FIGFMT_AMOUNT, "nounit|trim", NULL, 6877000000000, "687.7"},
        {FIGFMT_AMOUNT, "nolabel|trim", NULL, 850600, "8506"},
        {FIGFMT_COUNT, "nolabel", "笔", 7695, "7695"},
        /* no label given */
        {FIGFMT_COUNT, "", NULL, 15345000, "1534.50万"},
    };
    (void)state;

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct figfmt f = spec(cases[i].mods, cases[i].kind);
        struct sbuf out = SBUF_INIT;
        if (cases[i].kind == FIGFMT_COUNT)
            figfmt_count(&out, cases[i].v, cases[i].label, &f);
        else
            figfmt_amount(&out, cases[i].v, &f);
        if (strcmp(out.buf, cases[i].want) != 0)
            fail_msg("case %zu (%s): got \"%s\", want \"%s\"", i, cases[i].mods,
                     out.buf, cases[i].want);
        sbuf_release(&out);
    }
}

static void
test_figfmt_rounding_and_unit_boundaries(void **state)
{
    static const struct {
        enum figfmt_kind kind;
        const char *mods;
        int64_t v;
        const char *want;
    } cases[] = {
        /* half away from zero at x.xx5 */
        {FIGFMT_COUNT, "", 15345050, "1534.51万人次"},
        {FIGFMT_COUNT, "", 15345049, "1534.50万人次"},
        {FIGFMT_COUNT, "", -15345050, "-1534.51万人次"},
        {FIGFMT_AMOUNT, "", 30456500000000, "3045.65亿元"},
        {FIGFMT_AMOUNT, "", 30456499999999, "3045.65亿元"},
        {FIGFMT_AMOUNT, "", 30456449999999, "3045.64亿元"},
        {FIGFMT_AMOUNT, "d1", 6876950000000, "687.7亿元"},
        {FIGFMT_AMOUNT, "d1", 6876949999999, "687.7亿元"},
        {FIGFMT_AMOUNT, "d1", 6876500000000, "687.7亿元"},
        {FIGFMT_AMOUNT, "d1", 6876499999999, "687.6亿元"},
        {FIGFMT_AMOUNT, "d0", 6876500000000, "688亿元"},
        {FIGFMT_AMOUNT, "d0", 6874999999999, "687亿元"},
        /*
         * The unit is checked after rounding: 9999.995万 would print
         * "10000.00万", so it moves up to 亿.  Below the 亿 by magnitude
         * a value that does not round to 10000万 stays in 万.
         */
        {FIGFMT_COUNT, "", 99999949, "9999.99万人次"},
        {FIGFMT_COUNT, "", 99999950, "1.00亿人次"},
        {FIGFMT_COUNT, "", 99999999, "1.00亿人次"},
        {FIGFMT_COUNT, "trim", 99999999, "1亿人次"},
        {FIGFMT_COUNT, "", -99999950, "-1.00亿人次"},
        {FIGFMT_COUNT, "", 99500000, "9950.00万人次"},
        {FIGFMT_COUNT, "d0", 99995000, "1亿人次"},
        {FIGFMT_COUNT, "d0", 99994999, "9999万人次"},
        {FIGFMT_COUNT, "d1", 99999500, "1.0亿人次"},
        {FIGFMT_COUNT, "", 100000000, "1.00亿人次"},
        {FIGFMT_COUNT, "", 9999, "9999人次"},
        {FIGFMT_COUNT, "", 10000, "1.00万人次"},
        {FIGFMT_AMOUNT, "", 9999994999, "9999.99万元"},
        {FIGFMT_AMOUNT, "", 9999995000, "1.00亿元"},
        {FIGFMT_AMOUNT, "", 999999, "9999.99元"},
        {FIGFMT_AMOUNT, "", 1000000, "1.00万元"},
        /* 元 to 万元 only when fewer decimals make 9999.5元 round up */
        {FIGFMT_AMOUNT, "d0", 999950, "1万元"},
        {FIGFMT_AMOUNT, "d0", 999949, "9999元"},
        {FIGFMT_AMOUNT, "d1", 999995, "1.0万元"},
        /* a forced unit never moves */
        {FIGFMT_COUNT, "wan", 99999999, "10000.00万人次"},
        {FIGFMT_AMOUNT, "wan", 9999995000, "10000.00万元"},
        {FIGFMT_AMOUNT, "yi", 49999999, "0.00亿元"},
        {FIGFMT_AMOUNT, "yi", 50000000, "0.01亿元"},
        /* zero */
        {FIGFMT_COUNT, "", 0, "0人次"},
        {FIGFMT_COUNT, "yi", 0, "0.00亿人次"},
        {FIGFMT_COUNT, "yi|trim", 0, "0亿人次"},
        {FIGFMT_AMOUNT, "", 0, "0.00元"},
        {FIGFMT_AMOUNT, "trim", 0, "0元"},
        /* the extremes of int64 */
        {FIGFMT_AMOUNT, "base", INT64_MIN, "-92233720368547758.08元"},
        {FIGFMT_AMOUNT, "", INT64_MIN, "-922337203.69亿元"},
        {FIGFMT_COUNT, "base", INT64_MAX, "9223372036854775807人次"},
    };
    (void)state;

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct figfmt f = spec(cases[i].mods, cases[i].kind);
        struct sbuf out = SBUF_INIT;
        if (cases[i].kind == FIGFMT_COUNT)
            figfmt_count(&out, cases[i].v, "人次", &f);
        else
            figfmt_amount(&out, cases[i].v, &f);
        if (strcmp(out.buf, cases[i].want) != 0)
            fail_msg("case %zu (%s, %lld): got \"%s\", want \"%s\"", i,
                     cases[i].mods, (long long)cases[i].v, out.buf,
                     cases[i].want);
        sbuf_release(&out);
    }
}

/* ******************************************************************** */
/* Changes and percentages                                              */
/* ******************************************************************** */

static void
test_figfmt_change(void **state)
{
    static const struct {
        enum figfmt_kind kind;
        const char *mods;
        int64_t level, change;
        const char *want;
    } cases[] = {
        /* 2024年1-9月: "比1-8月增长0.28亿人次 ... 增长42亿元" */
        {FIGFMT_COUNT, "", 246000000, 28000000, "增长0.28亿人次"},
        {FIGFMT_COUNT, "", 246000000, 27500000, "增长0.28亿人次"},
        {FIGFMT_AMOUNT, "trim", 3045700000000, 419999600000, "增长42亿元"},
        {FIGFMT_AMOUNT, "", 3045700000000, 420000000000, "增长42.00亿元"},
        /* 1-10月: 增长64.51 */
        {FIGFMT_AMOUNT, "trim", 3690800000000, 645100000000, "增长64.51亿元"},
        /* in the level's unit, even when the change alone is smaller */
        {FIGFMT_COUNT, "", 15345000, 5000, "增长0.50万人次"},
        {FIGFMT_COUNT, "", 7695, 1103, "增长1103笔"},
        {FIGFMT_AMOUNT, "wan", 11612690000, 495219000, "增长495.22万元"},
        /* the level's unit after rounding, as the level itself shows */
        {FIGFMT_COUNT, "", 99999999, 3000000, "增长0.03亿人次"},
        /* falls */
        {FIGFMT_COUNT, "", 246000000, -28000000, "减少0.28亿人次"},
        {FIGFMT_AMOUNT, "", 3045700000000, -31000000000, "减少3.10亿元"},
        {FIGFMT_AMOUNT, "trim", 3045700000000, -31000000000, "减少3.1亿元"},
        {FIGFMT_COUNT, "", 7695, -95, "减少95笔"},
        /* zero, and what rounds to zero, is 增长 */
        {FIGFMT_COUNT, "", 246000000, 0, "增长0.00亿人次"},
        {FIGFMT_COUNT, "trim", 246000000, -100, "增长0亿人次"},
        {FIGFMT_COUNT, "", 246000000, -500000, "减少0.01亿人次"},
        /* labels */
        {FIGFMT_COUNT, "nolabel", 246000000, 28000000, "增长0.28亿"},
        {FIGFMT_COUNT, "nounit", 246000000, 28000000, "增长0.28"},
        /* the magnitude of INT64_MIN */
        {FIGFMT_COUNT, "", 5, INT64_MIN, "减少9223372036854775808笔"},
    };
    (void)state;

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct figfmt f = spec(cases[i].mods, cases[i].kind);
        struct sbuf out = SBUF_INIT;
        const char *label =
            cases[i].level == 7695 || cases[i].level == 5 ? "笔" : "人次";
        figfmt_change(&out, cases[i].level, cases[i].change, cases[i].kind,
                      label, &f);
        if (strcmp(out.buf, cases[i].want) != 0)
            fail_msg("case %zu (%s): got \"%s\", want \"%s\"", i, cases[i].mods,
                     out.buf, cases[i].want);
        sbuf_release(&out);
    }
}

static void
test_figfmt_percent(void **state)
{
    static const struct {
        const char *mods;
        int64_t now, before;
        const char *want;
    } cases[] = {
        /* 2025 against 2024: 人次 +25.1%, 金额 +34.4% */
        {"", 464000000, 371000000, "25.1%"},
        {"", 6877000000000, 5115400000000, "34.4%"},
        {"signed", 464000000, 371000000, "+25.1%"},
        {"word", 464000000, 371000000, "增长25.1%"},
        {"d2", 464000000, 371000000, "25.07%"},
        {"d0", 464000000, 371000000, "25%"},
        {"trim", 125, 100, "25%"},
        {"trim|d2", 12510, 10000, "25.1%"},
        /* falls */
        {"", 97, 100, "-3.0%"},
        {"signed", 97, 100, "-3.0%"},
        {"word", 97, 100, "下降3.0%"},
        {"word|trim", 97, 100, "下降3%"},
        /* half away from zero on the exact ratio: 1/2000 = 0.05% */
        {"", 2001, 2000, "0.1%"},
        {"", 1999, 2000, "-0.1%"},
        /* zero at the shown decimals: 持平 (0.005% at d1; 0.01% at d2) */
        {"", 20001, 20000, "持平"},
        {"d2", 20001, 20000, "0.01%"},
        {"", 19999, 20000, "持平"},
        /* no change, and nothing to compare with */
        {"", 100, 100, "持平"},
        {"signed", 100, 100, "持平"},
        {"word", 100, 100, "持平"},
        {"", 5, -5, "—"},
        {"", 5, 0, "—"},
        {"word", 0, 0, "—"},
        /* from zero to something: -100% */
        {"", 0, 371000000, "-100.0%"},
        /* beyond int64 in the intermediate */
        {"", INT64_MAX, 1, "—"},
        {"", INT64_MAX, INT64_MAX / 2, "100.0%"},
    };
    (void)state;

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct figfmt f = spec(cases[i].mods, FIGFMT_PERCENT);
        struct sbuf out = SBUF_INIT;
        figfmt_percent(&out, cases[i].now, cases[i].before, &f);
        if (strcmp(out.buf, cases[i].want) != 0)
            fail_msg("case %zu (%s): got \"%s\", want \"%s\"", i, cases[i].mods,
                     out.buf, cases[i].want);
        sbuf_release(&out);
    }
}

static void
test_figfmt_share_avg(void **state)
{
    static const struct {
        const char *mods;
        bool avg;
        int64_t a, b;
        const char *want;
    } cases[] = {
        /* 跨统筹区占比: 79.38 of 680.20 = 11.670% */
        {"", false, 793800000000, 6802000000000, "11.7%"},
        {"d2", false, 793800000000, 6802000000000, "11.67%"},
        {"", false, 1, 16, "6.3%"}, /* 6.25: half away from zero */
        {"d0", false, 1, 2, "50%"},
        {"trim", false, 1, 1, "100%"},
        {"", false, 0, 5, "0.0%"},
        {"", false, 5, 0, "—"},
        /* 次均金额: 687.70亿元 / 4.64亿人次 */
        {"", true, 6877000000000, 464000000, "148.21元"},
        {"d1", true, 1005, 2, "5.0元"}, /* 5.025 -> 5.0 at d1 */
        {"", true, 1005, 2, "5.03元"},  /* 502.5 fen -> 503 */
        {"d0", true, 1050, 7, "2元"},   /* 1.5 -> 2 */
        {"nolabel", true, 100, 3, "0.33"},
        {"nounit|trim", true, 1000, 1, "10"},
        {"", true, 100, 0, "—"},
        {"", true, 100, -1, "—"},
    };
    (void)state;

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct figfmt f =
            spec(cases[i].mods, cases[i].avg ? FIGFMT_AVG : FIGFMT_SHARE);
        struct sbuf out = SBUF_INIT;
        if (cases[i].avg)
            figfmt_avg(&out, cases[i].a, cases[i].b, &f);
        else
            figfmt_share(&out, cases[i].a, cases[i].b, &f);
        if (strcmp(out.buf, cases[i].want) != 0)
            fail_msg("case %zu (%s): got \"%s\", want \"%s\"", i, cases[i].mods,
                     out.buf, cases[i].want);
        sbuf_release(&out);
    }
}

/* ******************************************************************** */
/* Parsing                                                              */
/* ******************************************************************** */

static void
test_figfmt_parse_defaults(void **state)
{
    struct figfmt f;
    size_t bad = 99;
    (void)state;

    assert_int_equal(figfmt_parse("", 0, FIGFMT_AMOUNT, &f, &bad), 0);
    assert_int_equal(f.unit, FIGFMT_AUTO);
    assert_int_equal(f.digits, 2);
    assert_false(f.trim || f.nolabel || f.nounit || f.is_signed || f.word);
    assert_int_equal(figfmt_parse("", 0, FIGFMT_PERCENT, &f, &bad), 0);
    assert_int_equal(f.digits, 1);
    assert_int_equal(bad, 99);

    assert_int_equal(
        figfmt_parse("万|d1|trim|nolabel", 19, FIGFMT_COUNT, &f, &bad), 0);
    assert_int_equal(f.unit, FIGFMT_WAN);
    assert_int_equal(f.digits, 1);
    assert_true(f.trim && f.nolabel);
    assert_false(f.nounit);
    /* only mods[0..len) is read */
    assert_int_equal(figfmt_parse("yi|bogus", 2, FIGFMT_COUNT, &f, &bad), 0);
    assert_int_equal(f.unit, FIGFMT_YI);
}

static void
test_figfmt_parse_refused(void **state)
{
    static const struct {
        const char *mods;
        enum figfmt_kind kind;
        size_t bad;
    } cases[] = {
        {"bogus", FIGFMT_AMOUNT, 0},
        {"Yi", FIGFMT_AMOUNT, 0},
        {"trim|bogus", FIGFMT_AMOUNT, 1},
        {"yi|wan", FIGFMT_AMOUNT, 1},
        {"亿|yi", FIGFMT_COUNT, 1},
        {"auto|base", FIGFMT_COUNT, 1},
        {"d1|d2", FIGFMT_COUNT, 1},
        {"d3", FIGFMT_COUNT, 0},
        {"trim|yi|trim", FIGFMT_COUNT, 2},
        {"yi||trim", FIGFMT_COUNT, 1},
        {"yi|", FIGFMT_COUNT, 1},
        /* not for this kind */
        {"signed", FIGFMT_AMOUNT, 0},
        {"trim|word", FIGFMT_COUNT, 1},
        {"yi", FIGFMT_PERCENT, 0},
        {"nolabel", FIGFMT_PERCENT, 0},
        {"word|signed", FIGFMT_PERCENT, 1},
    };
    (void)state;

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct figfmt f;
        size_t bad = 99;
        int rc = figfmt_parse(cases[i].mods, strlen(cases[i].mods),
                              cases[i].kind, &f, &bad);
        if (rc != -1 || bad != cases[i].bad)
            fail_msg("case %zu \"%s\": rc %d, bad %zu (want %zu)", i,
                     cases[i].mods, rc, bad, cases[i].bad);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_figfmt_published_displays),
        cmocka_unit_test(test_figfmt_rounding_and_unit_boundaries),
        cmocka_unit_test(test_figfmt_change),
        cmocka_unit_test(test_figfmt_percent),
        cmocka_unit_test(test_figfmt_share_avg),
        cmocka_unit_test(test_figfmt_parse_defaults),
        cmocka_unit_test(test_figfmt_parse_refused),
    };
    return cmocka_run_group_tests_name("figfmt", tests, NULL, NULL);
}
