/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_queryout.c - CSV text fields: RFC 4180 quoting and the
 * leading ' that keeps a spreadsheet from running a field as a formula.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

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

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_queryout_csv_text),
    };

    return cmocka_run_group_tests_name("queryout", tests, NULL, NULL);
}
