/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_money.c - money_parse, count_parse, their _scaled
 * variants, money_normalize, money_format*, fx_round_div, fx_ratio_bp,
 * fx_add.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "common/diag.h"
#include "common/money.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* 60 digits: far past UINT64_MAX */
#define DIGITS60 "123456789012345678901234567890123456789012345678901234567890"

/* ---------------------------------------------------------------------- */
/* money_parse                                                             */
/* ---------------------------------------------------------------------- */

static const struct {
    const char *in;
    int64_t want;
    int rc;
    const char *msg; /* exact message when rc == -1 */
} parse_cases[] = {
    /* accepted */
    {"0", 0, 0, NULL},
    {"0.00", 0, 0, NULL},
    {"0.0", 0, 0, NULL},
    {"-0", 0, 0, NULL},
    {"-0.00", 0, 0, NULL},
    {"5", 500, 0, NULL},
    {"-5", -500, 0, NULL},
    {"0.01", 1, 0, NULL},
    {"-0.01", -1, 0, NULL},
    {"12.3", 1230, 0, NULL},
    {"12.30", 1230, 0, NULL},
    {"12.03", 1203, 0, NULL},
    {"007", 700, 0, NULL},
    {"999", 99900, 0, NULL},
    {"1,000", 100000, 0, NULL},
    {"1,234.5", 123450, 0, NULL},
    {"-1,234.5", -123450, 0, NULL},
    {"123,456", 12345600, 0, NULL},
    {"1,234,567.89", 123456789, 0, NULL},
    {"1234567.89", 123456789, 0, NULL},
    {"92233720368547758.07", INT64_MAX, 0, NULL},
    {"92,233,720,368,547,758.07", INT64_MAX, 0, NULL},
    {"-92233720368547758.08", INT64_MIN, 0, NULL},
    {"-92233720368547758.07", -INT64_MAX, 0, NULL},
    /* rejected */
    {"", 0, -1, "amount is empty"},
    {"-", 0, -1, "amount '-' is not a decimal number"},
    {"--5", 0, -1, "amount '--5' is not a decimal number"},
    {"12.345", 0, -1, "amount '12.345' has more than two decimals"},
    {"0.001", 0, -1, "amount '0.001' has more than two decimals"},
    {"12.340", 1234, 0, NULL}, /* zeros past the fen are exact */
    {"12.3400000", 1234, 0, NULL},
    {"12.3400001", 0, -1, "amount '12.3400001' has more than two decimals"},
    {"1e3", 0, -1, "amount '1e3' is not a decimal number (no exponents)"},
    {"1E3", 0, -1, "amount '1E3' is not a decimal number (no exponents)"},
    {"1.5e3", 0, -1, "amount '1.5e3' is not a decimal number (no exponents)"},
    {"-1e-3", 0, -1, "amount '-1e-3' is not a decimal number (no exponents)"},
    {"1,23", 0, -1, "amount '1,23' is not a decimal number"},
    {"12,34.5", 0, -1, "amount '12,34.5' is not a decimal number"},
    {"1234,567", 0, -1, "amount '1234,567' is not a decimal number"},
    {"1,2345", 0, -1, "amount '1,2345' is not a decimal number"},
    {"1,,234", 0, -1, "amount '1,,234' is not a decimal number"},
    {",123", 0, -1, "amount ',123' is not a decimal number"},
    {"1,", 0, -1, "amount '1,' is not a decimal number"},
    {"0,123", 0, -1, "amount '0,123' is not a decimal number"},
    {"1.234,5", 0, -1, "amount '1.234,5' is not a decimal number"},
    {"+5", 0, -1, "amount '+5' is not a decimal number"},
    {" 5", 0, -1, "amount ' 5' is not a decimal number"},
    {"5 ", 0, -1, "amount '5 ' is not a decimal number"},
    {".5", 0, -1, "amount '.5' is not a decimal number"},
    {"-.5", 0, -1, "amount '-.5' is not a decimal number"},
    {"5.", 0, -1, "amount '5.' is not a decimal number"},
    {".", 0, -1, "amount '.' is not a decimal number"},
    {"1.2.3", 0, -1, "amount '1.2.3' is not a decimal number"},
    {"1.-2", 0, -1, "amount '1.-2' is not a decimal number"},
    {"abc", 0, -1, "amount 'abc' is not a decimal number"},
    {"１２", 0, -1, "amount '１２' is not a decimal number"},
    /* 15 digits or more are ID-shaped: the excerpt is masked (diag.h) */
    {"92233720368547758.08", 0, -1,
     "amount '922************58.08' is too large"},
    {"-92233720368547758.09", 0, -1,
     "amount '-922************58.09' is too large"},
    {"184467440737095516.16", 0, -1,
     "amount '184*************16.16' is too large"},
    {DIGITS60, 0, -1,
     "amount '123*************************************...' is too large"},
    {DIGITS60 "x", 0, -1,
     "amount '123*************************************...' is not a "
     "decimal number"},
};

static void
test_money_parse_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(parse_cases); i++) {
        const char *in = parse_cases[i].in;
        struct diag err;
        int64_t fen = 4242;

        diag_clear(&err);
        int rc = money_parse(in, strlen(in), &fen, "amount", &err);
        if (rc != parse_cases[i].rc || (rc == 0 && fen != parse_cases[i].want))
            print_message("money_parse(\"%s\") = %d, %" PRId64 ", \"%s\"\n", in,
                          rc, fen, err.msg);
        assert_int_equal(rc, parse_cases[i].rc);
        if (rc == 0) {
            assert_int_equal(fen, parse_cases[i].want);
        } else {
            assert_int_equal(err.code, DIAG_DATA);
            assert_int_equal(err.severity, DIAG_ERROR);
            assert_string_equal(err.msg, parse_cases[i].msg);
        }
    }
}

/* The field is a (ptr,len) slice: bytes past len are not looked at. */
static void
test_money_parse_slice(void **state)
{
    struct diag err;
    int64_t fen = 0;

    (void)state;
    diag_clear(&err);
    assert_int_equal(money_parse("12.34,56.78", 5, &fen, "amount", &err), 0);
    assert_int_equal(fen, 1234);
    assert_int_equal(money_parse("7e2", 1, &fen, "amount", &err), 0);
    assert_int_equal(fen, 700);
    assert_int_equal(money_parse("-3.5x", 4, &fen, "amount", &err), 0);
    assert_int_equal(fen, -350);
    assert_int_equal(money_parse("12.345", 5, &fen, "amount", &err), 0);
    assert_int_equal(fen, 1234);
    /* the message quotes the slice, not what follows it */
    assert_int_equal(money_parse("1.2.3zzz", 5, &fen, "金额", &err), -1);
    assert_string_equal(err.msg, "金额 '1.2.3' is not a decimal number");
}

/* ---------------------------------------------------------------------- */
/* count_parse                                                             */
/* ---------------------------------------------------------------------- */

static const struct {
    const char *in;
    int64_t want;
    int rc;
    const char *msg;
} count_cases[] = {
    {"0", 0, 0, NULL},
    {"836", 836, 0, NULL},
    {"1,534", 1534, 0, NULL},
    {"1534", 1534, 0, NULL},
    {"246,000,000", 246000000, 0, NULL},
    {"9223372036854775807", INT64_MAX, 0, NULL},
    {"9,223,372,036,854,775,807", INT64_MAX, 0, NULL},
    {"", 0, -1, "person_times is empty"},
    {"-5", 0, -1, "person_times '-5' is negative"},
    {"-1,000", 0, -1, "person_times '-1,000' is negative"},
    {"-", 0, -1, "person_times '-' is not a whole number"},
    /* a whole number written with zero decimals, as spreadsheets do */
    {"1.0", 1, 0, NULL},
    {"218080.00", 218080, 0, NULL},
    {"1,534.000", 1534, 0, NULL},
    {"1.01", 0, -1, "person_times '1.01' is not a whole number"},
    {"1.", 0, -1, "person_times '1.' is not a whole number"},
    {".0", 0, -1, "person_times '.0' is not a whole number"},
    {"1.5", 0, -1, "person_times '1.5' is not a whole number"},
    {"1e3", 0, -1, "person_times '1e3' is not a whole number"},
    {"+5", 0, -1, "person_times '+5' is not a whole number"},
    {" 5", 0, -1, "person_times ' 5' is not a whole number"},
    {"5 ", 0, -1, "person_times '5 ' is not a whole number"},
    {"1,23", 0, -1, "person_times '1,23' is not a whole number"},
    {",123", 0, -1, "person_times ',123' is not a whole number"},
    {"1,", 0, -1, "person_times '1,' is not a whole number"},
    {"0,836", 0, -1, "person_times '0,836' is not a whole number"},
    {"abc", 0, -1, "person_times 'abc' is not a whole number"},
    {"9223372036854775808", 0, -1,
     "person_times '922**************08' is too large"},
    {"18446744073709551616", 0, -1,
     "person_times '184***************16' is too large"},
    {DIGITS60, 0, -1,
     "person_times '123*************************************...' is too "
     "large"},
};

static void
test_count_parse_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(count_cases); i++) {
        const char *in = count_cases[i].in;
        struct diag err;
        int64_t n = 4242;

        diag_clear(&err);
        int rc = count_parse(in, strlen(in), &n, "person_times", &err);
        if (rc != count_cases[i].rc || (rc == 0 && n != count_cases[i].want))
            print_message("count_parse(\"%s\") = %d, %" PRId64 ", \"%s\"\n", in,
                          rc, n, err.msg);
        assert_int_equal(rc, count_cases[i].rc);
        if (rc == 0) {
            assert_int_equal(n, count_cases[i].want);
        } else {
            assert_int_equal(err.code, DIAG_DATA);
            assert_string_equal(err.msg, count_cases[i].msg);
        }
    }
}

/* ---------------------------------------------------------------------- */
/* money_parse_scaled, count_parse_scaled                                  */
/* ---------------------------------------------------------------------- */

__extension__ typedef __int128 i128;

static const struct {
    int exp10;
    const char *unit, *in;
    int64_t want;
    int rc;
    const char *msg;
} scaled_cases[] = {
    /* the examples */
    {4, "万元", "1.2345", 1234500, 0, NULL},
    {4, "万元", "1", 1000000, 0, NULL},
    {4, "万元", "1.5", 1500000, 0, NULL},
    {4, "万元", "0.000001", 1, 0, NULL},
    {4, "万元", "-0.000001", -1, 0, NULL},
    {4, "万元", "1.234567", 1234567, 0, NULL},
    {4, "万元", "1.2345670", 1234567, 0, NULL},
    {4, "万元", "1,234.56", 1234560000, 0, NULL},
    {4, "万元", "0", 0, 0, NULL},
    {4, "万元", "-0.000000", 0, 0, NULL},
    {4, "万元", "1.2345678", 0, -1,
     "amount '1.2345678' in 万元 has more than 6 decimals: it is not a whole "
     "number of fen"},
    {4, "万元", "0.0000001", 0, -1,
     "amount '0.0000001' in 万元 has more than 6 decimals: it is not a whole "
     "number of fen"},
    {8, "亿元", "1.0000000001", 10000000001, 0, NULL},
    {8, "亿元", "1.00000000001", 0, -1,
     "amount '1.00000000001' in 亿元 has more than 10 decimals: it is not a "
     "whole number of fen"},
    {8, "亿元", "3.0457", 30457000000, 0, NULL},
    /* INT64 limits in each unit: the last fen that fits, and the next */
    {4, "万元", "9223372036854.775807", INT64_MAX, 0, NULL},
    {4, "万元", "9,223,372,036,854.775807", INT64_MAX, 0, NULL},
    {4, "万元", "-9223372036854.775808", INT64_MIN, 0, NULL},
    {4, "万元", "9223372036854.775808", 0, -1,
     "amount '9223372036854.775808' in 万元 is too large"},
    {4, "万元", "-9223372036854.775809", 0, -1,
     "amount '-9223372036854.775809' in 万元 is too large"},
    {4, "万元", "9223372036855", 0, -1,
     "amount '9223372036855' in 万元 is too large"},
    {8, "亿元", "922337203.6854775807", INT64_MAX, 0, NULL},
    {8, "亿元", "-922337203.6854775808", INT64_MIN, 0, NULL},
    {8, "亿元", "922337203.6854775808", 0, -1,
     "amount '922337203.6854775808' in 亿元 is too large"},
    {16, "x", "9.223372036854775807", INT64_MAX, 0, NULL},
    {16, "x", "-9.223372036854775808", INT64_MIN, 0, NULL},
    {16, "x", "9.223372036854775808", 0, -1,
     "amount '9.223*************08' in x is too large"},
    {16, "x", "0.0000000000000000001", 0, -1,
     "amount '0.000**************01' in x has more than 18 decimals: it is "
     "not a whole number of fen"},
    {16, "x", "0.000000000000000001", 1, 0, NULL},
    {16, "x", "10", 0, -1, "amount '10' in x is too large"},
    /* malformed stays malformed in any unit */
    {4, "万元", "", 0, -1, "amount is empty"},
    {4, "万元", "1.", 0, -1, "amount '1.' is not a decimal number"},
    {4, "万元", ".5", 0, -1, "amount '.5' is not a decimal number"},
    {4, "万元", "1e4", 0, -1,
     "amount '1e4' is not a decimal number (no exponents)"},
    {4, "万元", "1,23.4", 0, -1, "amount '1,23.4' is not a decimal number"},
};

static void
test_money_parse_scaled_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(scaled_cases); i++) {
        const char *in = scaled_cases[i].in;
        struct diag err;
        int64_t fen = 4242;

        diag_clear(&err);
        int rc = money_parse_scaled(in, strlen(in), scaled_cases[i].exp10,
                                    scaled_cases[i].unit, &fen, "amount", &err);
        if (rc != scaled_cases[i].rc ||
            (rc == 0 && fen != scaled_cases[i].want) ||
            (rc != 0 && strcmp(err.msg, scaled_cases[i].msg) != 0))
            print_message("money_parse_scaled(\"%s\", %d) = %d, %" PRId64
                          ", \"%s\"\n",
                          in, scaled_cases[i].exp10, rc, fen, err.msg);
        assert_int_equal(rc, scaled_cases[i].rc);
        if (rc == 0) {
            assert_int_equal(fen, scaled_cases[i].want);
        } else {
            assert_int_equal(err.code, DIAG_DATA);
            assert_string_equal(err.msg, scaled_cases[i].msg);
            assert_int_equal(fen, 4242); /* untouched on error */
        }
    }
}

/*
 * Every scale 0..MONEY_MAX_EXP10 with every number of decimals from none to
 * four past the fen, against the value computed in 128 bits: a result is
 * either exactly digits * 10^(exp10 + 2 - decimals) or refused, never
 * rounded.
 */
static void
test_money_parse_scaled_exhaustive(void **state)
{
    static const char digits[] = "7123456789123456789123456";

    (void)state;
    for (int e = 0; e <= MONEY_MAX_EXP10; e++) {
        for (int nd = 0; nd <= e + 6; nd++) {
            for (int ni = 1; ni <= 4; ni++) {
                char in[64];
                int n = snprintf(in, sizeof(in), "%.*s%s%.*s", ni, digits,
                                 nd ? "." : "", nd, digits + ni);
                i128 v = 0;
                for (int k = 0; k < ni + nd; k++)
                    v = v * 10 + (digits[k] - '0');
                int shift = e + 2 - nd;
                bool exact = shift >= 0;
                for (int k = 0; k < shift; k++)
                    v *= 10;
                struct diag err;
                int64_t fen = 0, cnt = 0;
                diag_clear(&err);
                int rc =
                    money_parse_scaled(in, (size_t)n, e, "u", &fen, "a", &err);
                if (!exact || v > INT64_MAX) {
                    assert_int_equal(rc, -1);
                } else {
                    assert_int_equal(rc, 0);
                    assert_true(fen == (int64_t)v);
                    /* and the same with a minus sign */
                    char neg[66];
                    snprintf(neg, sizeof(neg), "-%s", in);
                    assert_int_equal(money_parse_scaled(neg, strlen(neg), e,
                                                        "u", &fen, "a", &err),
                                     0);
                    assert_true(fen == -(int64_t)v);
                }
                /* counts: the same number, two decimals fewer kept */
                i128 c = v;
                exact = e - nd >= 0;
                if (exact)
                    c /= 100;
                rc = count_parse_scaled(in, (size_t)n, e, "u", &cnt, "c", &err);
                if (!exact || c > INT64_MAX) {
                    assert_int_equal(rc, -1);
                } else {
                    assert_int_equal(rc, 0);
                    assert_true(cnt == (int64_t)c);
                }
            }
        }
    }
}

static const struct {
    int exp10;
    const char *unit, *in;
    int64_t want;
    int rc;
    const char *msg;
} count_scaled_cases[] = {
    {4, "万人次", "1.5", 15000, 0, NULL},
    {4, "万人次", "1.2345", 12345, 0, NULL},
    {4, "万人次", "1.23450", 12345, 0, NULL},
    {4, "万人次", "21.808", 218080, 0, NULL},
    {4, "万人次", "1,234", 12340000, 0, NULL},
    {4, "万人次", "0", 0, 0, NULL},
    {4, "万人次", "1.23456", 0, -1,
     "person_times '1.23456' in 万人次 is not a whole number (more than 4 "
     "decimals)"},
    {4, "万人次", "-1.5", 0, -1, "person_times '-1.5' is negative"},
    {4, "万人次", "922337203685477.5807", INT64_MAX, 0, NULL},
    {4, "万人次", "922337203685477.5808", 0, -1,
     "person_times '922**********77.5808' in 万人次 is too large"},
    {4, "万人次", "1.5e3", 0, -1, "person_times '1.5e3' is not a whole number"},
    {0, NULL, "1.5", 0, -1, "person_times '1.5' is not a whole number"},
    {0, NULL, "15.000", 15, 0, NULL},
};

static void
test_count_parse_scaled_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(count_scaled_cases); i++) {
        const char *in = count_scaled_cases[i].in;
        struct diag err;
        int64_t n = 4242;

        diag_clear(&err);
        int rc = count_parse_scaled(in, strlen(in), count_scaled_cases[i].exp10,
                                    count_scaled_cases[i].unit, &n,
                                    "person_times", &err);
        if (rc != count_scaled_cases[i].rc ||
            (rc == 0 && n != count_scaled_cases[i].want) ||
            (rc != 0 && strcmp(err.msg, count_scaled_cases[i].msg) != 0))
            print_message("count_parse_scaled(\"%s\") = %d, %" PRId64
                          ", \"%s\"\n",
                          in, rc, n, err.msg);
        assert_int_equal(rc, count_scaled_cases[i].rc);
        if (rc == 0)
            assert_int_equal(n, count_scaled_cases[i].want);
        else
            assert_string_equal(err.msg, count_scaled_cases[i].msg);
    }
}

/* ---------------------------------------------------------------------- */
/* money_normalize                                                         */
/* ---------------------------------------------------------------------- */

static const struct {
    const char *in;
    unsigned flags;
    const char *want; /* NULL: does not fit */
} norm_cases[] = {
    {"123", 0, "123"},
    {"", 0, ""},
    {"  12.5\t", 0, "12.5"},
    {"\u300012\u3000", 0, "12"},
    {"\u00a012\u00a0", 0, "12"},
    {"'330100", 0, "330100"},
    {"''1", 0, "'1"}, /* one apostrophe only */
    {"１２３，４５６．７８", 0, "123,456.78"},
    {"－５", 0, "-5"},
    {"０９", 0, "09"},
    {"1 234", 0, "1 234"}, /* inner blanks are the parser's to refuse */
    {"￥1,234.00", 0, "￥1,234.00"},
    {"￥1,234.00", MONEY_NORM_CURRENCY, "1,234.00"},
    {"¥12", MONEY_NORM_CURRENCY, "12"},
    {"-￥12", MONEY_NORM_CURRENCY, "-12"},
    {"12元", MONEY_NORM_CURRENCY, "12"},
    {"12元", 0, "12元"},
    {" ￥１２．５０元 ", MONEY_NORM_CURRENCY, "12.50"},
    {"'￥12", MONEY_NORM_CURRENCY, "12"},
    {"万元", MONEY_NORM_CURRENCY, "万"},
    {"\xef\xbc", 0, "\xef\xbc"}, /* a truncated sequence is left alone */
    {"１２３４５６７８９０１２", 0, "123456789012"},
    {"１２３４５６７８９０１２３", 0, NULL},
};

static void
test_money_normalize_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(norm_cases); i++) {
        char buf[12];
        const char *in = norm_cases[i].in;
        int n = money_normalize(in, strlen(in), norm_cases[i].flags, buf,
                                sizeof(buf));
        if (norm_cases[i].want == NULL) {
            assert_int_equal(n, -1);
            continue;
        }
        if (n < 0 || (size_t)n != strlen(norm_cases[i].want) ||
            memcmp(buf, norm_cases[i].want, (size_t)n) != 0)
            print_message("money_normalize(\"%s\") = %d \"%.*s\"\n", in, n,
                          n < 0 ? 0 : n, buf);
        assert_int_equal(n, strlen(norm_cases[i].want));
        assert_memory_equal(buf, norm_cases[i].want, (size_t)n);
    }
}

/* ---------------------------------------------------------------------- */
/* money_format, money_format_grouped                                      */
/* ---------------------------------------------------------------------- */

static const struct {
    int64_t fen;
    const char *plain;
    const char *grouped;
} format_cases[] = {
    {0, "0.00", "0.00"},
    {5, "0.05", "0.05"},
    {-5, "-0.05", "-0.05"},
    {10, "0.10", "0.10"},
    {100, "1.00", "1.00"},
    {-100, "-1.00", "-1.00"},
    {99999, "999.99", "999.99"},
    {100000, "1000.00", "1,000.00"},
    {-100000, "-1000.00", "-1,000.00"},
    {12345678, "123456.78", "123,456.78"},
    {123456789, "1234567.89", "1,234,567.89"},
    {-123456789, "-1234567.89", "-1,234,567.89"},
    {INT64_MAX, "92233720368547758.07", "92,233,720,368,547,758.07"},
    {INT64_MIN, "-92233720368547758.08", "-92,233,720,368,547,758.08"},
    {-INT64_MAX, "-92233720368547758.07", "-92,233,720,368,547,758.07"},
};

static void
test_money_format_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(format_cases); i++) {
        char buf[64];
        int n;

        memset(buf, 'x', sizeof(buf));
        n = money_format(buf, sizeof(buf), format_cases[i].fen);
        assert_string_equal(buf, format_cases[i].plain);
        assert_int_equal(n, strlen(format_cases[i].plain));

        memset(buf, 'x', sizeof(buf));
        n = money_format_grouped(buf, sizeof(buf), format_cases[i].fen);
        assert_string_equal(buf, format_cases[i].grouped);
        assert_int_equal(n, strlen(format_cases[i].grouped));
    }
}

/* Round trip: what money_format prints, money_parse reads back. */
static void
test_money_format_round_trip(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(format_cases); i++) {
        struct diag err;
        int64_t fen = 0;
        const char *p = format_cases[i].plain, *g = format_cases[i].grouped;

        diag_clear(&err);
        assert_int_equal(money_parse(p, strlen(p), &fen, "amount", &err), 0);
        assert_int_equal(fen, format_cases[i].fen);
        assert_int_equal(money_parse(g, strlen(g), &fen, "amount", &err), 0);
        assert_int_equal(fen, format_cases[i].fen);
    }
}

/* A short buffer is truncated and terminated; the count is the full one. */
static void
test_money_format_truncated(void **state)
{
    char buf[6];

    (void)state;
    assert_int_equal(money_format(buf, sizeof(buf), 123456789), 10);
    assert_string_equal(buf, "12345");
    assert_int_equal(money_format_grouped(buf, sizeof(buf), 123456789), 12);
    assert_string_equal(buf, "1,234");
    assert_int_equal(money_format(NULL, 0, INT64_MIN), 21);
    assert_int_equal(money_format_grouped(NULL, 0, INT64_MIN), 26);
}

/* ---------------------------------------------------------------------- */
/* fx_round_div                                                            */
/* ---------------------------------------------------------------------- */

static const struct {
    int64_t num, den, want;
} round_cases[] = {
    {0, 7, 0},
    {15, 10, 2},
    {-15, 10, -2},
    {14, 10, 1},
    {-14, 10, -1},
    {16, 10, 2},
    {-16, 10, -2},
    {5, 10, 1},
    {-5, 10, -1},
    {4, 10, 0},
    {-4, 10, 0},
    {1, 3, 0},
    {2, 3, 1},
    {-2, 3, -1},
    {25, 5, 5},
    {-25, 5, -5},
    /* 亿元 with two decimals: hundredths of 亿元 */
    {149999999, 100000000, 1},
    {150000000, 100000000, 2},
    {-149999999, 100000000, -1},
    {-150000000, 100000000, -2},
    {3045700000000, 100000000, 30457},
    {3045749999999, 100000000, 30457},
    {3045750000000, 100000000, 30458},
    /* 万元 with two decimals: hundredths of 万元 */
    {1764999, 10000, 176},
    {1765000, 10000, 177},
    {-1765000, 10000, -177},
    /* extremes */
    {INT64_MAX, 1, INT64_MAX},
    {INT64_MIN, 1, INT64_MIN},
    {INT64_MAX, 100, 92233720368547758},
    {INT64_MIN, 100, -92233720368547758},
    {INT64_MAX, 2, 4611686018427387904},
    {INT64_MIN, 2, -4611686018427387904},
    {INT64_MIN + 1, 2, -4611686018427387904},
    {INT64_MAX, 10000, 922337203685478},
    {INT64_MIN, 10000, -922337203685478},
    {INT64_MAX, INT64_MAX, 1},
    {INT64_MIN, INT64_MAX, -1},
    {INT64_MAX / 2, INT64_MAX, 0},
    {INT64_MAX / 2 + 1, INT64_MAX, 1},
    {1, INT64_MAX, 0},
};

static void
test_fx_round_div_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(round_cases); i++) {
        int64_t got = fx_round_div(round_cases[i].num, round_cases[i].den);

        if (got != round_cases[i].want)
            print_message("fx_round_div(%" PRId64 ", %" PRId64 ") = %" PRId64
                          "\n",
                          round_cases[i].num, round_cases[i].den, got);
        assert_int_equal(got, round_cases[i].want);
    }
}

/* ---------------------------------------------------------------------- */
/* fx_ratio_bp                                                             */
/* ---------------------------------------------------------------------- */

static const struct {
    int64_t num, den;
    int rc;
    int64_t want;
} ratio_cases[] = {
    {1, 3, 0, 3333},
    {2, 3, 0, 6667},
    {-1, 3, 0, -3333},
    {-2, 3, 0, -6667},
    {2, -3, 0, -6667},
    {-2, -3, 0, 6667},
    {0, 5, 0, 0},
    {0, -5, 0, 0},
    {1, 1, 0, 10000},
    {3, 2, 0, 15000},
    {1, 20000, 0, 1},   /* exactly half a basis point: away from zero */
    {-1, 20000, 0, -1}, /* and the same below zero */
    {1, 20001, 0, 0},
    {-1, 20001, 0, 0},
    {5, 0, -1, 0},
    {0, 0, -1, 0},
    {-5, 0, -1, 0},
    /* national totals in fen: num * 10000 overflows int64_t */
    {30457000000000, 28000000000000, 0, 10878},
    {-30457000000000, 28000000000000, 0, -10878},
    {4000000000000000000, 3000000000000000000, 0, 13333},
    {INT64_MAX, INT64_MAX, 0, 10000},
    {INT64_MIN, INT64_MIN, 0, 10000},
    {INT64_MIN, INT64_MAX, 0, -10000},
    {INT64_MAX, INT64_MAX - 1, 0, 10000},
    {1, INT64_MAX, 0, 0},
    /* results that do not fit in int64_t */
    {922337203685477, 1, 0, 9223372036854770000},
    {922337203685478, 1, -1, 0},
    {-922337203685478, 1, -1, 0},
    {INT64_MAX, 1, -1, 0},
    {INT64_MIN, -1, -1, 0},
    {INT64_MIN, 10000, 0, INT64_MIN}, /* exactly -2^63 fits */
    {INT64_MAX, -10000, 0, -INT64_MAX},
};

static void
test_fx_ratio_bp_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(ratio_cases); i++) {
        int64_t bp = 4242;
        int rc = fx_ratio_bp(ratio_cases[i].num, ratio_cases[i].den, &bp);

        if (rc != ratio_cases[i].rc || (rc == 0 && bp != ratio_cases[i].want))
            print_message("fx_ratio_bp(%" PRId64 ", %" PRId64 ") = %d, %" PRId64
                          "\n",
                          ratio_cases[i].num, ratio_cases[i].den, rc, bp);
        assert_int_equal(rc, ratio_cases[i].rc);
        if (rc == 0)
            assert_int_equal(bp, ratio_cases[i].want);
    }
}

/* ---------------------------------------------------------------------- */
/* fx_add                                                                  */
/* ---------------------------------------------------------------------- */

static const struct {
    int64_t a, b;
    int rc;
    int64_t want;
} add_cases[] = {
    {1, 2, 0, 3},
    {-1, 1, 0, 0},
    {INT64_MAX, 0, 0, INT64_MAX},
    {INT64_MAX - 1, 1, 0, INT64_MAX},
    {INT64_MAX, INT64_MIN, 0, -1},
    {INT64_MIN, 0, 0, INT64_MIN},
    {INT64_MAX, 1, -1, 0},
    {INT64_MIN, -1, -1, 0},
    {INT64_MAX, INT64_MAX, -1, 0},
    {INT64_MIN, INT64_MIN, -1, 0},
};

static void
test_fx_add_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(add_cases); i++) {
        int64_t sum = 4242;
        int rc = fx_add(add_cases[i].a, add_cases[i].b, &sum);

        assert_int_equal(rc, add_cases[i].rc);
        if (rc == 0)
            assert_int_equal(sum, add_cases[i].want);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_money_parse_table),
        cmocka_unit_test(test_money_parse_slice),
        cmocka_unit_test(test_count_parse_table),
        cmocka_unit_test(test_money_parse_scaled_table),
        cmocka_unit_test(test_money_parse_scaled_exhaustive),
        cmocka_unit_test(test_count_parse_scaled_table),
        cmocka_unit_test(test_money_normalize_table),
        cmocka_unit_test(test_money_format_table),
        cmocka_unit_test(test_money_format_round_trip),
        cmocka_unit_test(test_money_format_truncated),
        cmocka_unit_test(test_fx_round_div_table),
        cmocka_unit_test(test_fx_ratio_bp_table),
        cmocka_unit_test(test_fx_add_table),
    };

    return cmocka_run_group_tests_name("money", tests, NULL, NULL);
}
