/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_bulletin.c - period labels and the rounding-note test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/sbuf.h"
#include "report/bulletin.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ******************************************************************** */
/* bulletin_parts_differ                                                */
/* ******************************************************************** */

static void
test_bulletin_parts_differ(void **state)
{
    static const struct {
        const char *what;
        int64_t parts[4];
        size_t n;
        int64_t total;
        int is_amount;
        int want;
    } cases[] = {
        /* 2.31亿 + 1534.50万 = 2.46345亿, shown 2.46; total 2.46亿 */
        {"2024 1-9 person-times", {231000000, 15345000, 0}, 3, 246345000, 0, 0},
        /* 275.59亿元 + 28.98亿元 = 304.57亿元 */
        {"2024 1-9 amounts",
         {2755900000000, 289800000000, 0},
         3,
         3045700000000,
         1,
         0},
        /* 1.335亿 each, shown 1.34: 4.02 vs 4.005 shown 4.01 */
        {"yi parts round up",
         {133500000, 133500000, 133500000},
         3,
         400500000,
         0,
         1},
        /* 3.335万 each, shown 3.34万: 10.02万 vs 10.005万 shown 10.01万 */
        {"wan parts round up", {33350, 33350, 33350}, 3, 100050, 0, 1},
        /* 1.334亿 each, shown 1.33: 3.99 vs 4.002 shown 4.00 */
        {"yi parts round down",
         {133400000, 133400000, 133400000},
         3,
         400200000,
         0,
         1},
        /*
         * 0.335亿 each is below 1亿, so each part is shown in 万
         * (3350.00万人次, exact): the parts add up to the total.
         */
        {"parts below 1yi shown in wan",
         {33500000, 33500000, 33500000},
         3,
         100500000,
         0,
         0},
        /* 1.335亿元 each, shown 1.34亿元: 4.02 vs 4.01 */
        {"amount yi parts",
         {13350000000, 13350000000, 13350000000},
         3,
         40050000000,
         1,
         1},
        /* 3.335万元 each, shown 3.34万元: 10.02 vs 10.01 */
        {"amount wan parts", {3335000, 3335000, 3335000}, 3, 10005000, 1, 1},
        /* small counts are exact */
        {"person units", {836, 164, 0}, 3, 1000, 0, 0},
        {"yuan", {1230, 4570, 3}, 3, 5803, 1, 0},
        /* no parts: the sum 0 against a non-zero total differs */
        {"no parts", {0}, 0, 0, 0, 0},
        {"no parts, total", {0}, 0, 100000000, 1, 1},
        /* a wrong total (not the sum) is reported too */
        {"mismatch", {100, 200}, 2, 400, 0, 1},
    };
    (void)state;

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        int got = bulletin_parts_differ(cases[i].parts, cases[i].n,
                                        cases[i].total, cases[i].is_amount);
        if (got != cases[i].want)
            fail_msg("%s: got %d, want %d", cases[i].what, got, cases[i].want);
    }
}

/*
 * Names from the reference tables as Markdown text: hostile ones are shown
 * literally (a later HTML page renders them with md4c), ordinary ones are
 * unchanged byte for byte.
 */
static void
test_bulletin_md_text(void **state)
{
    static const struct {
        const char *s, *want;
    } cases[] = {
        {"北京", "北京"},
        {"新疆生产建设兵团", "新疆生产建设兵团"},
        {"内蒙古（区本级）、广西，另有", "内蒙古（区本级）、广西，另有"},
        {"2024年12月底前全部省份实现", "2024年12月底前全部省份实现"},
        {"晋医保函〔2024〕45号", "晋医保函〔2024〕45号"},
        {"<img src=x onerror=alert(1)>",
         "&lt;img src=x onerror=alert\\(1\\)&gt;"},
        {"[广东](http://evil)", "\\[广东\\]\\(http\\://evil\\)"},
        {"![x](y)", "\\!\\[x\\]\\(y\\)"},
        {"**粗**_斜_`码`~删~", "\\*\\*粗\\*\\*\\_斜\\_\\`码\\`\\~删\\~"},
        {"a&amp;b", "a&amp;amp;b"},
        {"\\*", "\\\\\\*"},
        {"# 标题", "\\# 标题"},
        {"- 列表", "\\- 列表"},
        {"+ 1", "\\+ 1"},
        {"a|b", "a\\|b"},
        {"$x$", "\\$x\\$"},
        {"{period}", "\\{period\\}"},
        {"a@b.cn", "a\\@b.cn"},
        {"www.evil.cn", "www\\.evil.cn"},
        {"WWW.evil.cn", "WWW\\.evil.cn"},
        {"广东\n\n# 标题\r\t", "广东  \\# 标题  "},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct sbuf sb = SBUF_INIT;
        bulletin_md_text(&sb, cases[i].s, strlen(cases[i].s));
        assert_string_equal(sb.buf, cases[i].want);
        sbuf_release(&sb);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bulletin_parts_differ),
        cmocka_unit_test(test_bulletin_md_text),
    };
    return cmocka_run_group_tests_name("bulletin", tests, NULL, NULL);
}
