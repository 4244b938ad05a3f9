/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_sbuf.c - the growable string buffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/sbuf.h"

/* The invariants of git's assert_sane_strbuf, for struct sbuf. */
static void
assert_sane_sbuf(const struct sbuf *sb)
{
    assert_non_null(sb->buf);
    if (sb->alloc == 0) {
        assert_ptr_equal(sb->buf, sbuf_slopbuf);
        assert_int_equal(sb->len, 0);
    } else {
        assert_true(sb->len < sb->alloc);
    }
    assert_int_equal(sb->buf[sb->len], '\0');
}

static void
test_sbuf_init(void **state)
{
    struct sbuf a = SBUF_INIT, b;

    (void)state;
    memset(&b, 0x5A, sizeof(b));
    sbuf_init(&b);
    assert_sane_sbuf(&a);
    assert_sane_sbuf(&b);
    assert_int_equal(b.alloc, 0);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.buf, "");

    /* adding nothing allocates nothing */
    sbuf_add(&b, "x", 0);
    sbuf_addstr(&b, "");
    assert_int_equal(b.alloc, 0);
    assert_sane_sbuf(&b);
    sbuf_release(&a);
    sbuf_release(&b);
    assert_sane_sbuf(&b);
}

static void
test_sbuf_add(void **state)
{
    struct sbuf sb = SBUF_INIT;

    (void)state;
    sbuf_add(&sb, "abcdef", 3);
    assert_sane_sbuf(&sb);
    assert_int_equal(sb.len, 3);
    assert_string_equal(sb.buf, "abc");
    sbuf_addstr(&sb, "北京");
    sbuf_addch(&sb, '!');
    assert_sane_sbuf(&sb);
    assert_int_equal(sb.len, 10);
    assert_string_equal(sb.buf, "abc北京!");

    /* NUL bytes are data */
    sbuf_add(&sb, "x\0y", 3);
    assert_sane_sbuf(&sb);
    assert_int_equal(sb.len, 13);
    assert_memory_equal(sb.buf, "abc北京!x\0y", 14);
    sbuf_release(&sb);
    assert_sane_sbuf(&sb);
    assert_int_equal(sb.alloc, 0);
}

/* Many small appends: the buffer grows and keeps every byte. */
static void
test_sbuf_add_growth(void **state)
{
    struct sbuf sb = SBUF_INIT;
    char want[5001];

    (void)state;
    for (size_t i = 0; i < 5000; i++) {
        want[i] = (char)('a' + i % 26);
        sbuf_addch(&sb, want[i]);
        assert_sane_sbuf(&sb);
        assert_int_equal(sb.len, i + 1);
    }
    want[5000] = '\0';
    assert_string_equal(sb.buf, want);
    sbuf_release(&sb);

    /* one big append */
    sbuf_add(&sb, want, 5000);
    assert_sane_sbuf(&sb);
    assert_int_equal(sb.len, 5000);
    assert_string_equal(sb.buf, want);
    sbuf_release(&sb);
}

static void
test_sbuf_grow(void **state)
{
    struct sbuf sb = SBUF_INIT;

    (void)state;
    sbuf_grow(&sb, 0);
    assert_sane_sbuf(&sb);
    assert_true(sb.alloc >= 1);
    assert_string_equal(sb.buf, "");

    sbuf_addstr(&sb, "abc");
    sbuf_grow(&sb, 1000);
    assert_sane_sbuf(&sb);
    assert_true(sb.alloc >= 1004);
    assert_int_equal(sb.len, 3);
    assert_string_equal(sb.buf, "abc");

    /* room that was reserved is used without moving the buffer */
    char *before = sb.buf;
    for (int i = 0; i < 1000; i++)
        sbuf_addch(&sb, 'z');
    assert_ptr_equal(sb.buf, before);
    assert_int_equal(sb.len, 1003);
    sbuf_release(&sb);
}

static void
test_sbuf_addf(void **state)
{
    struct sbuf sb = SBUF_INIT;

    (void)state;
    sbuf_addf(&sb, "%d-%s-%05.1f", 42, "x", 3.5);
    assert_sane_sbuf(&sb);
    assert_string_equal(sb.buf, "42-x-003.5");
    assert_int_equal(sb.len, 10);
    sbuf_addf(&sb, "%s", "");
    assert_int_equal(sb.len, 10);
    sbuf_addf(&sb, "|%zu|%c", (size_t)7, 'q');
    assert_string_equal(sb.buf, "42-x-003.5|7|q");
    assert_int_equal(sb.len, 14);
    sbuf_release(&sb);

    /* an empty format on a fresh buffer leaves it empty and sane */
    sbuf_addf(&sb, "%s", "");
    assert_sane_sbuf(&sb);
    assert_int_equal(sb.len, 0);
    assert_string_equal(sb.buf, "");
    sbuf_release(&sb);
}

/*
 * Formatted output longer than the free space: every fill level from empty
 * to past the first allocation, so the "did not fit, grow and redo" path
 * runs at each boundary.
 */
static void
test_sbuf_addf_growth(void **state)
{
    char arg[301], want[700];

    (void)state;
    for (size_t i = 0; i < 300; i++)
        arg[i] = (char)('A' + i % 26);
    arg[300] = '\0';
    for (size_t fill = 0; fill < 300; fill++) {
        for (size_t n = 0; n <= 300; n += 50) {
            struct sbuf sb = SBUF_INIT;

            memset(want, '.', fill);
            memcpy(want + fill, arg, n);
            want[fill + n] = '#';
            want[fill + n + 1] = '\0';
            sbuf_add(&sb, want, fill);
            sbuf_addf(&sb, "%.*s#", (int)n, arg);
            assert_sane_sbuf(&sb);
            assert_int_equal(sb.len, fill + n + 1);
            assert_string_equal(sb.buf, want);
            sbuf_release(&sb);
        }
    }
}

static void vaddf_helper(struct sbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
vaddf_helper(struct sbuf *sb, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    sbuf_vaddf(sb, fmt, ap);
    va_end(ap);
}

static void
test_sbuf_vaddf(void **state)
{
    struct sbuf sb = SBUF_INIT;
    char big[200];

    (void)state;
    memset(big, 'v', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    vaddf_helper(&sb, "[%s]", big);
    assert_sane_sbuf(&sb);
    assert_int_equal(sb.len, 201);
    assert_int_equal(sb.buf[0], '[');
    assert_int_equal(sb.buf[200], ']');
    assert_memory_equal(sb.buf + 1, big, 199);
    sbuf_release(&sb);
}

static void
test_sbuf_reset_setlen(void **state)
{
    struct sbuf sb = SBUF_INIT;

    (void)state;
    sbuf_reset(&sb); /* fine on an empty buffer */
    sbuf_setlen(&sb, 0);
    assert_sane_sbuf(&sb);
    assert_int_equal(sb.alloc, 0);

    sbuf_addstr(&sb, "hello, world");
    size_t alloc = sb.alloc;
    sbuf_setlen(&sb, 5);
    assert_sane_sbuf(&sb);
    assert_int_equal(sb.len, 5);
    assert_string_equal(sb.buf, "hello");
    sbuf_reset(&sb);
    assert_sane_sbuf(&sb);
    assert_int_equal(sb.len, 0);
    assert_int_equal(sb.alloc, alloc); /* memory kept */
    assert_string_equal(sb.buf, "");
    sbuf_addstr(&sb, "again");
    assert_string_equal(sb.buf, "again");
    sbuf_release(&sb);
}

static void
test_sbuf_detach(void **state)
{
    struct sbuf sb = SBUF_INIT;
    size_t len = 999;

    (void)state;
    sbuf_addf(&sb, "%s=%d", "n", 836);
    char *s = sbuf_detach(&sb, &len);
    assert_string_equal(s, "n=836");
    assert_int_equal(len, 5);
    /* sb is reset and usable again */
    assert_sane_sbuf(&sb);
    assert_int_equal(sb.alloc, 0);
    assert_ptr_not_equal(s, sbuf_slopbuf);
    sbuf_addstr(&sb, "next");
    assert_string_equal(sb.buf, "next");
    assert_string_equal(s, "n=836");
    free(s);
    sbuf_release(&sb);

    /* detaching an empty buffer still gives memory the caller can free */
    len = 999;
    s = sbuf_detach(&sb, &len);
    assert_non_null(s);
    assert_ptr_not_equal(s, sbuf_slopbuf);
    assert_string_equal(s, "");
    assert_int_equal(len, 0);
    assert_sane_sbuf(&sb);
    free(s);

    /* len may be NULL */
    sbuf_addstr(&sb, "x");
    s = sbuf_detach(&sb, NULL);
    assert_string_equal(s, "x");
    free(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sbuf_init),
        cmocka_unit_test(test_sbuf_add),
        cmocka_unit_test(test_sbuf_add_growth),
        cmocka_unit_test(test_sbuf_grow),
        cmocka_unit_test(test_sbuf_addf),
        cmocka_unit_test(test_sbuf_addf_growth),
        cmocka_unit_test(test_sbuf_vaddf),
        cmocka_unit_test(test_sbuf_reset_setlen),
        cmocka_unit_test(test_sbuf_detach),
    };

    return cmocka_run_group_tests_name("sbuf", tests, NULL, NULL);
}
