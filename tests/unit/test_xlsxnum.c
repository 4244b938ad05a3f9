/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_xlsxnum.c - a workbook number cell's text back to what
 * was typed (xlsxnum_text), and date serials (xlsxnum_date).
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

#include "common/sbuf.h"
#include "ingest/xlsxnum.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
    const char *in;
    const char *want; /* NULL: refused (shown as written) */
} text_cases[] = {
    /* the same typed value as Excel, libxlsxwriter and LibreOffice write it */
    {"87908693.739999995", "87908693.74"},
    {"87908693.73999999", "87908693.74"},
    {"87908693.74", "87908693.74"},
    {"0.30000000000000004", "0.3"},
    {"0.29999999999999999", "0.3"},
    {"1234567.8899999999", "1234567.89"},
    {"0.07000000000000001", "0.07"},
    {"7.9600000000000004E-2", "0.0796"},
    {"0.57999999999999996", "0.58"},
    {"1.1000000000000001", "1.1"},
    {"218080", "218080"},
    {"218080.00", "218080"},
    {"1e3", "1000"},
    {"1E+3", "1000"},
    {"-12.5", "-12.5"},
    {"+7", "7"},
    {"0", "0"},
    {"-0", "0"},
    {"0.000", "0"},
    {".5", "0.5"},
    {"5.", "5"},
    {"007", "7"},
    {"123456789012345", "123456789012345"},
    /* 15 significant digits: the 16th rounds half up, carries through */
    {"0.28499999999999998", "0.285"},
    {"9999999999.9999999", "10000000000"},
    {"0.99999999999999999", "1"},
    {"1E-07", "0.0000001"},
    {"9.9999999999999995E-8", "0.0000001"},
    /* too many integer digits for a typed value: shown as written */
    {"3.30102199001011E+17", NULL},
    {"9007199254740992", NULL},
    {"1e16", NULL},
    {"1e-40", NULL},
    /* not numbers */
    {"", NULL},
    {"-", NULL},
    {".", NULL},
    {"1,234.5", NULL},
    {" 1", NULL},
    {"1 ", NULL},
    {"inf", NULL},
    {"nan", NULL},
    {"0x10", NULL},
    {"1e", NULL},
    {"1e+", NULL},
    {"1.2.3", NULL},
    {"１２", NULL},
};

static void
test_text_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(text_cases); i++) {
        struct sbuf out = SBUF_INIT;
        const char *in = text_cases[i].in;
        bool ok = xlsxnum_text(&out, in, strlen(in));
        if (text_cases[i].want == NULL) {
            if (ok)
                fail_msg("'%s' gave '%s', want refused", in, out.buf);
            assert_int_equal(out.len, 0);
        } else {
            if (!ok)
                fail_msg("'%s' refused, want '%s'", in, text_cases[i].want);
            assert_string_equal(out.buf, text_cases[i].want);
        }
        sbuf_release(&out);
    }
}

/*
 * Every amount typed with at most two decimals and 13 integer digits comes
 * back exactly from the double's text in each writer's precision (%.17g as
 * Excel, %.16g as libxlsxwriter and openpyxl, %.15g as LibreOffice).
 */
static void
test_text_round_trip(void **state)
{
    uint64_t x = 88172645463325252ull;
    (void)state;
    for (int i = 0; i < 300000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        int digits = 1 + (int)(x % 15); /* 1..15 digits of fen */
        uint64_t fen = (x >> 8) % 1000000000000000ull;
        uint64_t mod = 1;
        for (int k = 0; k < digits; k++)
            mod *= 10;
        fen %= mod;
        char typed[32], want[32];
        snprintf(typed, sizeof(typed), "%llu.%02llu",
                 (unsigned long long)(fen / 100),
                 (unsigned long long)(fen % 100));
        /* the canonical text: no trailing zeros */
        snprintf(want, sizeof(want), "%s", typed);
        char *e = want + strlen(want) - 1;
        while (*e == '0')
            *e-- = '\0';
        if (*e == '.')
            *e = '\0';
        double d = strtod(typed, NULL);
        for (int f = 0; f < 4; f++) {
            char written[48];
            struct sbuf out = SBUF_INIT;
            if (f == 0)
                snprintf(written, sizeof(written), "%.17g", d);
            else if (f == 1)
                snprintf(written, sizeof(written), "%.16g", d);
            else if (f == 2)
                snprintf(written, sizeof(written), "%.15g", d);
            else
                snprintf(written, sizeof(written), "%.17E", d);
            if (!xlsxnum_text(&out, written, strlen(written)) ||
                strcmp(out.buf, want) != 0)
                fail_msg("typed %s, written %s: got '%s'", typed, written,
                         out.len ? out.buf : "(refused)");
            sbuf_release(&out);
        }
    }
}

static const struct {
    const char *in;
    bool date1904;
    const char *want; /* NULL: not a date */
    bool month;       /* shown as a month only */
} date_cases[] = {
    {"45536", false, "2024-09-01", false},
    {"45545.5", false, "2024-09", true},
    {"45565.9999999999", false, "2024-10", true},
    {"45536.0", false, "2024-09-01", false},
    {"45538.43125", false, "2024-09-03 10:21:00", false},
    {"45538.431249999994", false, "2024-09-03 10:21:00", false},
    {"45565.99998", false, "2024-09-30 23:59:58", false},
    {"45565.9999999999", false, "2024-10-01", false},
    {"25569", false, "1970-01-01", false},
    {"1", false, "1900-01-01", false},
    {"59", false, "1900-02-28", false},
    {"61", false, "1900-03-01", false},
    {"2958465", false, "9999-12-31", false},
    {"44011", true, "2024-06-30", false},
    {"0", true, "1904-01-01", false},
    {"60", false, NULL, false}, /* Excel's 1900-02-29 */
    {"0", false, NULL, false},
    {"-1", false, NULL, false},
    {"2958466", false, NULL, false},
    {"abc", false, NULL, false},
    {"", false, NULL, false},
};

static void
test_date_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(date_cases); i++) {
        struct sbuf out = SBUF_INIT;
        const char *in = date_cases[i].in;
        bool ok =
            xlsxnum_date(&out, in, strlen(in), date_cases[i].date1904,
                         date_cases[i].month ? XLSXNUM_MONTH : XLSXNUM_DATE);
        if (date_cases[i].want == NULL) {
            if (ok)
                fail_msg("'%s' gave '%s', want not a date", in, out.buf);
        } else {
            if (!ok)
                fail_msg("'%s' not a date, want '%s'", in, date_cases[i].want);
            assert_string_equal(out.buf, date_cases[i].want);
        }
        sbuf_release(&out);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_table),
        cmocka_unit_test(test_text_round_trip),
        cmocka_unit_test(test_date_table),
    };
    return cmocka_run_group_tests_name("xlsxnum", tests, NULL, NULL);
}
