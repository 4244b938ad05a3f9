/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_utf8.c - utf8_valid, utf8_decode, utf8_width,
 * utf8_codepoints.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/utf8.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A byte string with its length, so that NUL bytes can be part of it. */
#define BYTES(lit) lit, sizeof(lit) - 1

/* ---------------------------------------------------------------------- */
/* utf8_valid                                                              */
/* ---------------------------------------------------------------------- */

static const struct {
    const char *s;
    size_t len;
    bool valid;
    size_t bad_off; /* when !valid */
} valid_cases[] = {
    {BYTES(""), true, 0},
    {BYTES("hello, world"), true, 0},
    {BYTES("a\0b"), true, 0},
    {BYTES("中文"), true, 0},
    {BYTES("北京a"), true, 0},
    {BYTES("跨省共济，2024年1-9月"), true, 0},
    {BYTES("\xC2\x80"), true, 0},         /* U+0080, smallest 2-byte */
    {BYTES("\xDF\xBF"), true, 0},         /* U+07FF */
    {BYTES("\xE0\xA0\x80"), true, 0},     /* U+0800, smallest 3-byte */
    {BYTES("\xED\x9F\xBF"), true, 0},     /* U+D7FF, below surrogates */
    {BYTES("\xEE\x80\x80"), true, 0},     /* U+E000, above surrogates */
    {BYTES("\xEF\xBF\xBF"), true, 0},     /* U+FFFF */
    {BYTES("\xF0\x90\x80\x80"), true, 0}, /* U+10000, smallest 4-byte */
    {BYTES("\xF4\x8F\xBF\xBF"), true, 0}, /* U+10FFFF, the last */
    {BYTES("\xF0\x9F\x98\x80"), true, 0}, /* U+1F600 */
    /* overlong encodings */
    {BYTES("\xC0\x80"), false, 0},
    {BYTES("\xC1\xBF"), false, 0},
    {BYTES("ab\xC0\x80"), false, 2},
    {BYTES("\xE0\x80\x80"), false, 0},
    {BYTES("\xE0\x9F\xBF"), false, 0},
    {BYTES("\xF0\x80\x80\x80"), false, 0},
    {BYTES("\xF0\x8F\xBF\xBF"), false, 0},
    /* surrogates */
    {BYTES("\xED\xA0\x80"), false, 0},
    {BYTES("x\xED\xBF\xBF"), false, 1},
    /* past U+10FFFF, bytes that never occur */
    {BYTES("\xF4\x90\x80\x80"), false, 0},
    {BYTES("\xF5\x80\x80\x80"), false, 0},
    {BYTES("\xF5"), false, 0},
    {BYTES("ok\xF8\x88\x80\x80\x80"), false, 2},
    {BYTES("\xFE"), false, 0},
    {BYTES("\xFF"), false, 0},
    /* stray continuation bytes */
    {BYTES("\x80"), false, 0},
    {BYTES("a\xBF"), false, 1},
    {BYTES("中\x80"), false, 3},
    /* truncated sequences */
    {BYTES("\xC2"), false, 0},
    {BYTES("\xE4\xB8"), false, 0},
    {BYTES("中\xE4\xB8"), false, 3},
    {BYTES("abc\xF0\x9F\x98"), false, 3},
    /* a lead byte followed by something that is not a continuation */
    {BYTES("\xC2\x41"), false, 0},
    {BYTES("\xE4\xB8\x41"), false, 0},
    {BYTES("\xE4\x41\xAD"), false, 0},
    {BYTES("12\xF0\x9F\x98\x41"), false, 2},
    {BYTES("\xE4\xB8\xAD\xE4\xB8"), false, 3},
    /* GBK bytes for 中文 are not UTF-8 */
    {BYTES("\xD6\xD0\xCE\xC4"), false, 0},
};

static void
test_utf8_valid_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(valid_cases); i++) {
        size_t off = 9999;
        bool ok = utf8_valid(valid_cases[i].s, valid_cases[i].len, &off);

        if (ok != valid_cases[i].valid ||
            (!ok && off != valid_cases[i].bad_off))
            print_message("utf8_valid case %zu = %d, off %zu\n", i, ok, off);
        assert_int_equal(ok, valid_cases[i].valid);
        if (!ok)
            assert_int_equal(off, valid_cases[i].bad_off);
        /* bad_off may be NULL */
        assert_int_equal(utf8_valid(valid_cases[i].s, valid_cases[i].len, NULL),
                         valid_cases[i].valid);
    }
}

/* Only the first len bytes are checked. */
static void
test_utf8_valid_slice(void **state)
{
    size_t off = 9999;

    (void)state;
    assert_true(utf8_valid("abc\xFF", 3, &off));
    assert_false(utf8_valid("中文", 4, &off)); /* cuts 文 */
    assert_int_equal(off, 3);
    assert_true(utf8_valid("中文", 3, &off));
}

/* ---------------------------------------------------------------------- */
/* utf8_decode                                                             */
/* ---------------------------------------------------------------------- */

static const struct {
    const char *s;
    size_t len;
    unsigned cp;
    size_t used;
} decode_cases[] = {
    {BYTES("A"), 0x41, 1},
    {BYTES("\0"), 0, 1},
    {BYTES("\x7F"), 0x7F, 1},
    {BYTES("\xC2\xA9"), 0xA9, 2},
    {BYTES("中"), 0x4E2D, 3},
    {BYTES("中文"), 0x4E2D, 3},
    {BYTES("，"), 0xFF0C, 3},
    {BYTES("\xEF\xBF\xBD"), 0xFFFD, 3},
    {BYTES("\xF0\x9F\x98\x80"), 0x1F600, 4},
    {BYTES("\xF4\x8F\xBF\xBF"), 0x10FFFF, 4},
    {BYTES(""), 0xFFFD, 0},
    {BYTES("\x80"), 0xFFFD, 1},
    {BYTES("\xFF"), 0xFFFD, 1},
    {BYTES("\xC0\x80"), 0xFFFD, 1},
    {BYTES("\xED\xA0\x80"), 0xFFFD, 1},
    {BYTES("\xE4\xB8"), 0xFFFD, 1},
    {BYTES("\xF4\x90\x80\x80"), 0xFFFD, 1},
};

static void
test_utf8_decode_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(decode_cases); i++) {
        unsigned cp = 12345;
        size_t n = utf8_decode(decode_cases[i].s, decode_cases[i].len, &cp);

        if (cp != decode_cases[i].cp || n != decode_cases[i].used)
            print_message("utf8_decode case %zu = U+%04X, %zu\n", i, cp, n);
        assert_int_equal(cp, decode_cases[i].cp);
        assert_int_equal(n, decode_cases[i].used);
    }
}

/* ---------------------------------------------------------------------- */
/* utf8_width, utf8_codepoints                                             */
/* ---------------------------------------------------------------------- */

static const struct {
    const char *s;
    size_t len;
    size_t width, codepoints;
} width_cases[] = {
    {BYTES(""), 0, 0},
    {BYTES("abc"), 3, 3},
    {BYTES("北京a"), 5, 3},
    {BYTES("全国"), 4, 2},
    {BYTES("单位：万人次、亿元"), 18, 9},
    {BYTES("新疆生产建设兵团"), 16, 8},
    {BYTES("，"), 2, 1},
    {BYTES("、"), 2, 1},
    {BYTES("é"), 1, 1},
    {BYTES("1534.50万人次"), 13, 10},
    {BYTES("\xE4\xB8"), 2, 2}, /* two invalid bytes, one column each */
    {BYTES("a\xFF"
           "b"),
     3, 3},
};

static void
test_utf8_width_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(width_cases); i++) {
        size_t w = utf8_width(width_cases[i].s, width_cases[i].len);
        size_t c = utf8_codepoints(width_cases[i].s, width_cases[i].len);

        if (w != width_cases[i].width || c != width_cases[i].codepoints)
            print_message("utf8_width case %zu = %zu, %zu code points\n", i, w,
                          c);
        assert_int_equal(w, width_cases[i].width);
        assert_int_equal(c, width_cases[i].codepoints);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_valid_table),
        cmocka_unit_test(test_utf8_valid_slice),
        cmocka_unit_test(test_utf8_decode_table),
        cmocka_unit_test(test_utf8_width_table),
    };

    return cmocka_run_group_tests_name("utf8", tests, NULL, NULL);
}
