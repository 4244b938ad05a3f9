/*
 * tests/unit/test_diag.c - struct diag, diag_print, diag_list, diag_quote.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/diag.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BYTES(lit)    lit, sizeof(lit) - 1

/* "中" twelve, thirteen and fourteen times: 36, 39 and 42 bytes */
#define ZH12 "中中中中中中中中中中中中"
#define ZH13 ZH12 "中"
#define ZH14 ZH13 "中"
#define X39  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
#define X40  X39 "x"

/*
 * Output to a memory stream: open, let the test print, then close and
 * return the text (caller frees).
 */
struct memout {
    FILE *fp;
    char *buf;
    size_t len;
};

static void
memout_open(struct memout *m)
{
    m->buf = NULL;
    m->len = 0;
    m->fp = open_memstream(&m->buf, &m->len);
    assert_non_null(m->fp);
}

static char *
memout_close(struct memout *m)
{
    assert_int_equal(fclose(m->fp), 0);
    assert_non_null(m->buf);
    assert_int_equal(strlen(m->buf), m->len);
    return m->buf;
}

/* ---------------------------------------------------------------------- */
/* diag_clear, diag_set                                                    */
/* ---------------------------------------------------------------------- */

static void
test_diag_clear_zeroes(void **state)
{
    struct diag d;

    (void)state;
    memset(&d, 0x5A, sizeof(d));
    diag_clear(&d);
    assert_int_equal(d.code, DIAG_OK);
    assert_int_equal(d.severity, DIAG_ERROR);
    assert_null(d.file);
    assert_int_equal(d.line, 0);
    assert_int_equal(d.col, 0);
    assert_string_equal(d.msg, "");
}

static void
test_diag_set_keeps_location(void **state)
{
    struct diag d;

    (void)state;
    diag_clear(&d);
    d.file = "in.csv";
    d.line = 3;
    d.col = 6;
    d.severity = DIAG_WARNING;
    assert_int_equal(diag_set(&d, DIAG_DATA, "amount %s at %d", "'x'", 7), -1);
    assert_int_equal(d.code, DIAG_DATA);
    assert_int_equal(d.severity, DIAG_ERROR); /* diag_set makes an error */
    assert_string_equal(d.file, "in.csv");
    assert_int_equal(d.line, 3);
    assert_int_equal(d.col, 6);
    assert_string_equal(d.msg, "amount 'x' at 7");

    /* a second diag_set replaces the message */
    assert_int_equal(diag_set(&d, DIAG_USAGE, "%s", "second"), -1);
    assert_int_equal(d.code, DIAG_USAGE);
    assert_string_equal(d.msg, "second");
}

static void
test_diag_set_truncates_long_message(void **state)
{
    struct diag d;
    char big[1000], want[sizeof(d.msg)];

    (void)state;
    memset(big, 'm', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    memset(want, 'm', sizeof(want) - 1);
    want[sizeof(want) - 1] = '\0';
    diag_clear(&d);
    assert_int_equal(diag_set(&d, DIAG_DATA, "%s", big), -1);
    assert_int_equal(strlen(d.msg), sizeof(d.msg) - 1);
    assert_string_equal(d.msg, want);
}

/* ---------------------------------------------------------------------- */
/* diag_print                                                              */
/* ---------------------------------------------------------------------- */

static const struct {
    const char *file;
    unsigned long line, col;
    enum diag_severity sev;
    const char *want;
} print_cases[] = {
    {"f", 3, 2, DIAG_ERROR, "f:3:2: error: msg\n"},
    {"f", 3, 0, DIAG_ERROR, "f:3: error: msg\n"},
    {"f", 0, 0, DIAG_ERROR, "f: error: msg\n"},
    {"f", 0, 5, DIAG_ERROR, "f: error: msg\n"},
    {NULL, 0, 0, DIAG_ERROR, "error: msg\n"},
    {NULL, 3, 2, DIAG_ERROR, "error: msg\n"},
    {"data/in.csv", 1048576, 12, DIAG_ERROR,
     "data/in.csv:1048576:12: error: msg\n"},
    {"in.csv", 7, 4, DIAG_WARNING, "in.csv:7:4: warning: msg\n"},
    {NULL, 0, 0, DIAG_WARNING, "warning: msg\n"},
};

static void
test_diag_print_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(print_cases); i++) {
        struct diag d;
        struct memout m;

        diag_clear(&d);
        diag_set(&d, DIAG_DATA, "%s", "msg");
        d.file = print_cases[i].file;
        d.line = print_cases[i].line;
        d.col = print_cases[i].col;
        d.severity = print_cases[i].sev;
        memout_open(&m);
        diag_print(m.fp, &d);
        char *text = memout_close(&m);
        assert_string_equal(text, print_cases[i].want);
        free(text);
    }
}

/*
 * A file name or message holding control characters, invalid UTF-8 or an
 * ID: printed with "\\xHH" escapes and the ID masked; Chinese unchanged.
 */
static const struct {
    const char *file, *msg, *want;
} print_hostile_cases[] = {
    {"\x1b[31mred.csv", "m", "\\x1b[31mred.csv: error: m\n"},
    {"a\nb\tc\r.csv", "m", "a\\x0ab\\x09c\\x0d.csv: error: m\n"},
    {"北京\x7f\xc2\x9b\xff.csv", "m",
     "北京\\x7f\\xc2\\x9b\\xff.csv: error: m\n"},
    {"f", "bad \x1b]0;title\x07 name",
     "f: error: bad \\x1b]0;title\\x07 name\n"},
    {"f", "id 110101199001011234 and 11010119650505432x, area 330100",
     "f: error: id 110*************34 and 110*************2x, area 330100\n"},
    /* a file name is the user's own: not masked */
    {"110101199001011234.csv", "m", "110101199001011234.csv: error: m\n"},
};

static void
test_diag_print_hostile(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(print_hostile_cases); i++) {
        struct diag d;
        struct memout m;

        diag_clear(&d);
        diag_set(&d, DIAG_DATA, "%s", print_hostile_cases[i].msg);
        d.file = print_hostile_cases[i].file;
        memout_open(&m);
        diag_print(m.fp, &d);
        char *text = memout_close(&m);
        assert_string_equal(text, print_hostile_cases[i].want);
        free(text);
    }
    char *dup = diag_printable_dup("\x1b[2J北京\n");
    assert_string_equal(dup, "\\x1b[2J北京\\x0a");
    free(dup);
}

static void
test_diag_mask_ids(void **state)
{
    static const struct {
        const char *s, *want;
        size_t runs;
    } cases[] = {
        {"110101199001011234", "110*************34", 1},
        {"11010119900101123X", "110*************3X", 1},
        {"11010119900101123x", "110*************3x", 1},
        {"110101900101123", "110**********23", 1}, /* 15 digits */
        {"11010190010112", "11010190010112", 0},   /* 14 */
        {"330100,2024-09,12345678901234", "330100,2024-09,12345678901234", 0},
        {"ID:110101199001011234;", "ID:110*************34;", 1},
        {"X110101199001011234X", "X110**************4X", 1},
        {"", "", 0},
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        char buf[64];
        size_t n = strlen(cases[i].s);
        memcpy(buf, cases[i].s, n + 1);
        assert_int_equal(diag_mask_ids(buf, n), cases[i].runs);
        assert_string_equal(buf, cases[i].want);
    }
}

/* ---------------------------------------------------------------------- */
/* diag_list                                                               */
/* ---------------------------------------------------------------------- */

/* nr never passes DIAG_LIST_KEEP and never exceeds what was counted */
static void
assert_sane_list(const struct diag_list *l)
{
    assert_true(l->nr <= DIAG_LIST_KEEP);
    assert_true(l->nr <= l->alloc);
    assert_true(l->nr <= l->errors + l->warnings);
    if (l->errors + l->warnings <= DIAG_LIST_KEEP)
        assert_int_equal(l->nr, l->errors + l->warnings);
    else
        assert_int_equal(l->nr, DIAG_LIST_KEEP);
}

static void
test_diag_list_init_release(void **state)
{
    struct diag_list a = DIAG_LIST_INIT, b;

    (void)state;
    memset(&b, 0x5A, sizeof(b));
    diag_list_init(&b);
    assert_null(b.items);
    assert_int_equal(b.nr, 0);
    assert_int_equal(b.alloc, 0);
    assert_int_equal(b.errors, 0);
    assert_int_equal(b.warnings, 0);
    assert_int_equal(diag_list_first_code(&a), DIAG_OK);

    diag_list_addf(&a, DIAG_ERROR, DIAG_DATA, "f", 1, 1, "x");
    diag_list_release(&a);
    assert_null(a.items);
    assert_int_equal(a.nr, 0);
    assert_int_equal(a.errors, 0);
    diag_list_release(&a); /* twice is fine */
    diag_list_release(&b); /* never used is fine */
}

static void
test_diag_list_keeps_100(void **state)
{
    struct diag_list l = DIAG_LIST_INIT;

    (void)state;
    for (unsigned long i = 1; i <= 150; i++) {
        assert_int_equal(diag_list_addf(&l, DIAG_ERROR, DIAG_DATA, "in.csv", i,
                                        2, "bad %lu", i),
                         -1);
        assert_sane_list(&l);
    }
    assert_int_equal(l.nr, DIAG_LIST_KEEP);
    assert_int_equal(l.errors, 150);
    assert_int_equal(l.warnings, 0);
    for (size_t i = 0; i < l.nr; i++) {
        char want[32];

        snprintf(want, sizeof(want), "bad %zu", i + 1);
        assert_string_equal(l.items[i].file, "in.csv");
        assert_int_equal(l.items[i].line, i + 1);
        assert_int_equal(l.items[i].col, 2);
        assert_int_equal(l.items[i].code, DIAG_DATA);
        assert_int_equal(l.items[i].severity, DIAG_ERROR);
        assert_string_equal(l.items[i].msg, want);
    }
    assert_int_equal(diag_list_first_code(&l), DIAG_DATA);
    diag_list_release(&l);
}

static void
test_diag_list_severity(void **state)
{
    struct diag_list l = DIAG_LIST_INIT;
    struct diag d;

    (void)state;
    assert_int_equal(diag_list_addf(&l, DIAG_WARNING, DIAG_DATA, "a.csv", 4, 5,
                                    "area %s not in areas.csv", "'110199'"),
                     0);
    assert_int_equal(l.warnings, 1);
    assert_int_equal(l.errors, 0);
    assert_int_equal(diag_list_first_code(&l), DIAG_OK);
    assert_int_equal(l.items[0].severity, DIAG_WARNING);
    assert_string_equal(l.items[0].msg, "area '110199' not in areas.csv");

    /* diag_list_add copies: changing d afterwards changes nothing kept */
    diag_clear(&d);
    diag_set(&d, DIAG_FORMAT, "bad header");
    d.file = "a.csv";
    d.line = 1;
    diag_list_add(&l, &d);
    diag_set(&d, DIAG_IO, "changed");
    d.line = 99;
    assert_int_equal(l.nr, 2);
    assert_int_equal(l.errors, 1);
    assert_int_equal(l.warnings, 1);
    assert_string_equal(l.items[1].msg, "bad header");
    assert_int_equal(l.items[1].line, 1);
    assert_int_equal(l.items[1].code, DIAG_FORMAT);

    /* the first kept error decides, not the latest */
    diag_list_addf(&l, DIAG_ERROR, DIAG_CANTCREAT, NULL, 0, 0, "later");
    assert_int_equal(diag_list_first_code(&l), DIAG_FORMAT);
    assert_sane_list(&l);
    diag_list_release(&l);
}

/* Errors past the kept ones still make the list fail. */
static void
test_diag_list_first_code_unkept(void **state)
{
    struct diag_list l = DIAG_LIST_INIT;

    (void)state;
    for (unsigned long i = 1; i <= DIAG_LIST_KEEP; i++)
        diag_list_addf(&l, DIAG_WARNING, DIAG_DATA, "w.csv", i, 1, "w");
    assert_int_equal(diag_list_first_code(&l), DIAG_OK);
    diag_list_addf(&l, DIAG_ERROR, DIAG_FORMAT, "w.csv", 101, 1, "e");
    assert_int_equal(l.nr, DIAG_LIST_KEEP);
    assert_int_equal(l.errors, 1);
    assert_int_equal(l.warnings, DIAG_LIST_KEEP);
    assert_int_equal(diag_list_first_code(&l), DIAG_DATA);
    diag_list_release(&l);
}

/* Print a list of n errors and compare with the text built here. */
static void
check_list_print(unsigned long n, const char *tail)
{
    struct diag_list l = DIAG_LIST_INIT;
    struct memout m;
    char *want = malloc(64 * (n + 2));
    size_t o = 0;

    assert_non_null(want);
    want[0] = '\0';
    for (unsigned long i = 1; i <= n; i++) {
        diag_list_addf(&l, DIAG_ERROR, DIAG_DATA, "in.csv", i, 6,
                       "amount '%lu' is bad", i);
        if (i <= DIAG_LIST_KEEP)
            o += (size_t)sprintf(
                want + o, "in.csv:%lu:6: error: amount '%lu' is bad\n", i, i);
    }
    strcpy(want + o, tail);

    memout_open(&m);
    diag_list_print(m.fp, &l);
    char *text = memout_close(&m);
    assert_string_equal(text, want);
    free(text);
    free(want);
    diag_list_release(&l);
}

static void
test_diag_list_print_more(void **state)
{
    (void)state;
    check_list_print(0, "");
    check_list_print(1, "");
    check_list_print(100, "");
    check_list_print(101, "... and 1 more problem(s) not shown\n");
    check_list_print(102, "... and 2 more problem(s) not shown\n");
    check_list_print(1234, "... and 1134 more problem(s) not shown\n");
}

/* Warnings past the kept ones are counted in the "more" line too. */
static void
test_diag_list_print_mixed(void **state)
{
    struct diag_list l = DIAG_LIST_INIT;
    struct memout m;

    (void)state;
    diag_list_addf(&l, DIAG_WARNING, DIAG_DATA, "a.csv", 2, 3, "w%d", 1);
    diag_list_addf(&l, DIAG_ERROR, DIAG_DATA, "a.csv", 4, 0, "e%d", 1);
    diag_list_addf(&l, DIAG_ERROR, DIAG_USAGE, NULL, 0, 0, "e%d", 2);
    memout_open(&m);
    diag_list_print(m.fp, &l);
    char *text = memout_close(&m);
    assert_string_equal(text, "a.csv:2:3: warning: w1\n"
                              "a.csv:4: error: e1\n"
                              "error: e2\n");
    free(text);

    for (int i = 0; i < 120; i++)
        diag_list_addf(&l, i % 2 ? DIAG_WARNING : DIAG_ERROR, DIAG_DATA,
                       "a.csv", 5, 1, "x");
    assert_int_equal(l.errors, 62);
    assert_int_equal(l.warnings, 61);
    assert_sane_list(&l);
    memout_open(&m);
    diag_list_print(m.fp, &l);
    text = memout_close(&m);
    const char *last = strstr(text, "... and");
    assert_non_null(last);
    assert_string_equal(last, "... and 23 more problem(s) not shown\n");
    free(text);
    diag_list_release(&l);
}

/* ---------------------------------------------------------------------- */
/* diag_quote                                                              */
/* ---------------------------------------------------------------------- */

static const struct {
    const char *s;
    size_t len;
    size_t outsz;
    const char *want;
} quote_cases[] = {
    {BYTES("abc"), 96, "'abc'"},
    {BYTES(""), 96, "''"},
    {BYTES("北京"), 96, "'北京'"},
    {BYTES("a\tb\nc\r"), 96, "'a?b?c?'"},
    {BYTES("a\0b"), 96, "'a?b'"},
    {BYTES("\x7F"), 96, "'?'"},
    {BYTES("\x1B[31mred"), 96, "'?[31mred'"},
    /* 40 bytes are shown whole, more are cut with "..." */
    {BYTES(X40), 96, "'" X40 "'"},
    {BYTES(X40 "y"), 96, "'" X40 "...'"},
    {BYTES(X40 "中"), 96, "'" X40 "...'"},
    /* a UTF-8 sequence is never cut in half */
    {BYTES("a" ZH13), 96, "'a" ZH13 "'"},
    {BYTES(ZH14), 96, "'" ZH13 "...'"},
    {BYTES("a" ZH14), 96, "'a" ZH13 "...'"},
    {BYTES("ab" ZH13), 96, "'ab" ZH12 "...'"},
    {BYTES(X39 "\xC3\xA9"), 96, "'" X39 "...'"},
    /* bytes that are not UTF-8 and C1 controls become '?' */
    {BYTES("\xFF"), 96, "'?'"},
    {BYTES("\xC0\x80"), 96, "'?\?'"},
    {BYTES("\xED\xA0\x80"), 96, "'?\?\?'"},
    {BYTES("\xE4\n\n"), 96, "'?\?\?'"},
    {BYTES("\xE4\xB8\x1B"), 96, "'?\?\?'"},
    {BYTES("ab\xE4\xB8"), 96, "'ab?\?'"},
    {BYTES("\xD6\xD0\xCE\xC4"), 96, "'?\?\?\?'"},
    {BYTES("\xC2\x85"), 96, "'?'"},
    {BYTES("\xC2\x9B"
           "2J"),
     96, "'?2J'"},
    {BYTES("\xC2\xA0"), 96, "'\xC2\xA0'"},
    {BYTES("\xEF\xBF\xBD"), 96, "'\xEF\xBF\xBD'"},
    /* a small buffer cuts earlier, still whole sequences, still "..." */
    {BYTES("abcdefghijklmnopqrst"), 16, "'abcdefghi...'"},
    {BYTES("中文中文中文"), 16, "'中文中...'"},
    {BYTES("abcdefghijklmnopqrst"), 8, "'a...'"},
    /* ID-shaped runs are masked wherever they are, even across the cut */
    {BYTES("110101199001011234"), 96, "'110*************34'"},
    {BYTES("11010119650505432x"), 96, "'110*************2x'"},
    {BYTES("medical-110101199001011234-x"), 96,
     "'medical-110*************34-x'"},
    {BYTES(X39 "110101199001011234"), 96, "'" X39 "1...'"},
    {BYTES("xxxxxxxxxxxxxxxxxxxxxxxxxxxxx110101199001011234"), 96,
     "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxx110********...'"},
    {BYTES("2024-09-01 10:00:00,330100"), 96, "'2024-09-01 10:00:00,330100'"},
    {BYTES("12345678901234"), 96, "'12345678901234'"},
};

static void
test_diag_quote_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(quote_cases); i++) {
        char out[96];

        memset(out, 'Z', sizeof(out));
        assert_true(quote_cases[i].outsz <= sizeof(out));
        char *r = diag_quote(out, quote_cases[i].outsz, quote_cases[i].s,
                             quote_cases[i].len);
        if (strcmp(out, quote_cases[i].want) != 0)
            print_message("diag_quote case %zu = %s\n", i, out);
        assert_ptr_equal(r, out);
        assert_string_equal(out, quote_cases[i].want);
        assert_true(strlen(out) < quote_cases[i].outsz);
        /* nothing written past the terminator */
        for (size_t k = strlen(out) + 1; k < sizeof(out); k++)
            assert_int_equal(out[k], 'Z');
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_diag_clear_zeroes),
        cmocka_unit_test(test_diag_set_keeps_location),
        cmocka_unit_test(test_diag_set_truncates_long_message),
        cmocka_unit_test(test_diag_print_table),
        cmocka_unit_test(test_diag_print_hostile),
        cmocka_unit_test(test_diag_mask_ids),
        cmocka_unit_test(test_diag_list_init_release),
        cmocka_unit_test(test_diag_list_keeps_100),
        cmocka_unit_test(test_diag_list_severity),
        cmocka_unit_test(test_diag_list_first_code_unkept),
        cmocka_unit_test(test_diag_list_print_more),
        cmocka_unit_test(test_diag_list_print_mixed),
        cmocka_unit_test(test_diag_quote_table),
    };

    return cmocka_run_group_tests_name("diag", tests, NULL, NULL);
}
