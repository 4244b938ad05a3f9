/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_xlsxsst.c - the shared-string table: strings kept in
 * memory up to its limit, the rest in a temporary file, every one read
 * back exactly, in order and out of order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ingest/xlsxsst.h"

/* String i: its number, repeated i % 7 + 1 times ("" for every 1000th). */
static size_t
make(char *buf, size_t cap, size_t i)
{
    size_t n = 0;
    if (i % 1000 == 999)
        return 0;
    for (size_t r = 0; r < i % 7 + 1 && n + 24 < cap; r++)
        n += (size_t)snprintf(buf + n, cap - n, "%zu,", i);
    return n;
}

static void
check(struct xlsxsst *t, size_t i)
{
    char want[256];
    size_t wlen = make(want, sizeof(want), i);
    const char *s;
    size_t len;
    assert_int_equal(xlsxsst_get(t, i, &s, &len), 0);
    if (len != wlen || memcmp(s, want, len) != 0)
        fail_msg("string %zu: got '%.*s', want '%.*s'", i, (int)len, s,
                 (int)wlen, want);
}

static void
test_spill_and_read_back(void **state)
{
    const size_t n = 200000;
    struct xlsxsst *t = xlsxsst_new(4096);
    char buf[256];
    (void)state;

    for (size_t i = 0; i < n; i++) {
        size_t len = make(buf, sizeof(buf), i);
        assert_int_equal(xlsxsst_add(t, buf, len), 0);
    }
    assert_int_equal(xlsxsst_count(t), n);
    assert_true(xlsxsst_spilled(t) > n - 1000); /* 4 KiB hold few */
    for (size_t i = 0; i < n; i++) /* in order, as a sheet reads them */
        check(t, i);
    uint64_t x = 12345;
    for (size_t k = 0; k < 20000; k++) { /* and anywhere */
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        check(t, (size_t)(x >> 33) % n);
    }
    check(t, 0);
    check(t, n - 1);
    /* as a sheet reads them: new strings in order, old ones in between */
    for (size_t i = 0; i < n; i++) {
        check(t, i);
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        if (i > 0 && i % 3 == 0)
            check(t, (size_t)(x >> 33) % i);
    }
    xlsxsst_free(t);
}

static void
test_in_memory_only(void **state)
{
    struct xlsxsst *t = xlsxsst_new(XLSXSST_IN_MEMORY);
    char buf[256];
    (void)state;

    for (size_t i = 0; i < 5000; i++) {
        size_t len = make(buf, sizeof(buf), i);
        assert_int_equal(xlsxsst_add(t, buf, len), 0);
    }
    assert_int_equal(xlsxsst_spilled(t), 0);
    for (size_t i = 5000; i-- > 0;)
        check(t, i);
    xlsxsst_free(t);
}

/* A string longer than the read window comes back whole. */
static void
test_long_string(void **state)
{
    struct xlsxsst *t = xlsxsst_new(10);
    size_t big = 1u << 20;
    char *s = malloc(big);
    const char *got;
    size_t len;
    (void)state;

    assert_non_null(s);
    for (size_t i = 0; i < big; i++)
        s[i] = (char)('a' + i % 26);
    assert_int_equal(xlsxsst_add(t, "short", 5), 0);
    assert_int_equal(xlsxsst_add(t, s, big), 0);
    assert_int_equal(xlsxsst_add(t, "after", 5), 0);
    assert_int_equal(xlsxsst_get(t, 1, &got, &len), 0);
    assert_int_equal(len, big);
    assert_memory_equal(got, s, big);
    assert_int_equal(xlsxsst_get(t, 2, &got, &len), 0);
    assert_int_equal(len, 5);
    assert_memory_equal(got, "after", 5);
    assert_int_equal(xlsxsst_get(t, 0, &got, &len), 0);
    assert_memory_equal(got, "short", 5);
    free(s);
    xlsxsst_free(t);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spill_and_read_back),
        cmocka_unit_test(test_in_memory_only),
        cmocka_unit_test(test_long_string),
    };
    return cmocka_run_group_tests_name("xlsxsst", tests, NULL, NULL);
}
