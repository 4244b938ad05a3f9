/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_queryxlsx.c - the figures of query --format xlsx are
 * exact: fen / 100.0 as libxlsxwriter writes it ("%.16G") reads back as
 * the double of the exact text, near every power of two (where the
 * spacing of doubles halves), at every magnitude of 15 digits, and through
 * gongji's own workbook reader (xlsxnum_text) as the exact text itself.
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

#include "common/money.h"
#include "common/sbuf.h"
#include "ingest/xlsxnum.h"
#include "report/queryxlsx.h"

#define EXACT_MAX INT64_C(999999999999999) /* 15 digits, as Excel */

/* fen as the reader sees the cell: the text back, compared with money */
static void
check_fen(int64_t fen)
{
    char lxw[48], want[48];
    struct sbuf out = SBUF_INIT;

    if (!queryxlsx_exact(fen, 2))
        fail_msg("fen %lld does not read back exactly", (long long)fen);
    snprintf(lxw, sizeof(lxw), "%.16G", (double)fen / 100.0);
    money_format(want, sizeof(want), fen);
    /* the reader drops trailing zeros: 12.30 is 12.3 */
    size_t n = strlen(want);
    while (n > 0 && want[n - 1] == '0')
        want[--n] = '\0';
    if (n > 0 && want[n - 1] == '.')
        want[--n] = '\0';
    if (xlsxnum_text(&out, lxw, strlen(lxw)) && strcmp(out.buf, want) != 0)
        fail_msg("fen %lld: cell text %s read back as %s, not %s",
                 (long long)fen, lxw, out.buf, want);
    sbuf_release(&out);
}

static void
test_known(void **state)
{
    (void)state;
    /* "%.16G" writes 8.970000000000001: the same double all the same */
    check_fen(897);
    check_fen(0);
    check_fen(1);
    check_fen(-897);
    check_fen(3045700000000);
    check_fen(223193529826);
    check_fen(EXACT_MAX);
    check_fen(-EXACT_MAX);
    assert_false(queryxlsx_exact(EXACT_MAX + 1, 2));
    assert_false(queryxlsx_exact(-EXACT_MAX - 1, 2));
    assert_false(queryxlsx_exact(INT64_MIN, 0));
    assert_true(queryxlsx_exact(251, 3));
    assert_true(queryxlsx_exact(-30, 3));
    assert_true(queryxlsx_exact(EXACT_MAX, 0));
}

static void
test_powers_of_two(void **state)
{
    (void)state;
    for (int k = 0; k <= 50; k++) {
        int64_t c = (int64_t)1 << k; /* fen near 2^k yuan and 2^k fen */
        for (int64_t d = -3000; d <= 3000; d++) {
            if (c + d >= -EXACT_MAX && c + d <= EXACT_MAX)
                check_fen(c + d);
            if (k <= 43 && c * 100 + d <= EXACT_MAX)
                check_fen(c * 100 + d);
        }
    }
}

static void
test_random(void **state)
{
    uint64_t x = 0x9e3779b97f4a7c15u;
    (void)state;
    for (int e = 0; e < 15; e++) {
        int64_t lo = 1;
        for (int i = 0; i < e; i++)
            lo *= 10;
        for (int i = 0; i < 200000; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            int64_t fen = lo + (int64_t)(x % (uint64_t)(lo * 9));
            if (fen > EXACT_MAX) {
                assert_false(queryxlsx_exact(fen, 2));
                continue;
            }
            check_fen(fen);
            assert_true(queryxlsx_exact(fen % 1000000, 3));
        }
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known),
        cmocka_unit_test(test_powers_of_two),
        cmocka_unit_test(test_random),
    };
    return cmocka_run_group_tests_name("queryxlsx", tests, NULL, NULL);
}
