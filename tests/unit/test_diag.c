/* SPDX-License-Identifier: MIT */
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

/*
 * Every error up to DIAG_LIST_KEEP_ERRORS is kept, and the first
 * DIAG_LIST_KEEP warnings besides; never more than was counted.
 */
static void
assert_sane_list(const struct diag_list *l)
{
    size_t ke = 0, kw = 0;
    for (size_t i = 0; i < l->nr; i++) {
        if (l->items[i].severity == DIAG_ERROR)
            ke++;
        else
            kw++;
    }
    assert_true(l->nr <= l->alloc);
    assert_int_equal(ke, l->errors < DIAG_LIST_KEEP_ERRORS
                             ? l->errors
                             : DIAG_LIST_KEEP_ERRORS);
    assert_int_equal(kw, l->warnings < DIAG_LIST_KEEP ? l->warnings
                                                      : DIAG_LIST_KEEP);
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
test_diag_list_keeps_every_error(void **state)
{
    struct diag_list l = DIAG_LIST_INIT;

    (void)state;
    for (unsigned long i = 1; i <= 150; i++) {
        assert_int_equal(diag_list_addf(&l, DIAG_ERROR, DIAG_DATA, "in.csv", i,
                                        2, "bad %lu", i),
                         -1);
        assert_sane_list(&l);
    }
    assert_int_equal(l.nr, 150);
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

/* 200 warnings first never push out the error that comes after them. */
static void
test_diag_list_warnings_never_hide_errors(void **state)
{
    struct diag_list l = DIAG_LIST_INIT;

    (void)state;
    for (unsigned long i = 1; i <= 200; i++) {
        diag_list_addf(&l, DIAG_WARNING, DIAG_DATA, "w.csv", i, 2,
                       "area '%lu' is unknown", 330100 + i % 3);
        assert_sane_list(&l);
    }
    assert_int_equal(diag_list_first_code(&l), DIAG_OK);
    diag_list_addf(&l, DIAG_ERROR, DIAG_FORMAT, "w.csv", 201, 7, "e");
    assert_sane_list(&l);
    assert_int_equal(l.nr, DIAG_LIST_KEEP + 1);
    assert_int_equal(l.items[l.nr - 1].line, 201);
    assert_int_equal(diag_list_first_code(&l), DIAG_FORMAT);

    /* the cap on errors: past it they are counted, the first kept */
    for (unsigned long i = 0; i < DIAG_LIST_KEEP_ERRORS + 5; i++)
        diag_list_addf(&l, DIAG_ERROR, DIAG_DATA, "w.csv", 300 + i, 1, "x");
    assert_sane_list(&l);
    assert_int_equal(l.errors, DIAG_LIST_KEEP_ERRORS + 6);
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

/* Errors counted but never added still make the list fail. */
static void
test_diag_list_first_code_unkept(void **state)
{
    struct diag_list l = DIAG_LIST_INIT;

    (void)state;
    for (unsigned long i = 1; i <= DIAG_LIST_KEEP; i++)
        diag_list_addf(&l, DIAG_WARNING, DIAG_DATA, "w.csv", i, 1, "w");
    assert_int_equal(diag_list_first_code(&l), DIAG_OK);
    l.errors++; /* as the detail reader counts the ones it did not keep */
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
        if (i <= DIAG_GROUP_PER_KIND_ERRORS)
            o += (size_t)sprintf(
                want + o,
                "in.csv:%lu:6: error: amount '%lu' is bad [column F]\n", i, i);
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
    check_list_print(101, "in.csv:101:6: error: amount '...' is bad [column F; "
                          "1 more row with another value: line 101]\n");
    check_list_print(102, "in.csv:101:6: error: amount '...' is bad [column F; "
                          "2 more rows with other values: lines 101-102]\n");
    check_list_print(1234, "in.csv:101:6: error: amount '...' is bad [column "
                           "F; 1134 more rows with other values: lines "
                           "101-1234]\n");
}

static char *
print_list(const struct diag_list *l)
{
    struct memout m;
    memout_open(&m);
    diag_list_print(m.fp, l);
    return memout_close(&m);
}

/* Without repetition each problem prints as it always did. */
static void
test_diag_list_print_mixed(void **state)
{
    struct diag_list l = DIAG_LIST_INIT;

    (void)state;
    diag_list_addf(&l, DIAG_WARNING, DIAG_DATA, "a.csv", 2, 3, "w%d", 1);
    diag_list_addf(&l, DIAG_ERROR, DIAG_DATA, "a.csv", 4, 0, "e%d", 1);
    diag_list_addf(&l, DIAG_ERROR, DIAG_USAGE, NULL, 0, 0, "e%d", 2);
    char *text = print_list(&l);
    assert_string_equal(text, "a.csv:2:3: warning: w1 [column C]\n"
                              "a.csv:4: error: e1\n"
                              "error: e2\n");
    free(text);

    /* problems counted but never added: the "more" line */
    l.errors += 3;
    text = print_list(&l);
    assert_non_null(strstr(text, "\n... and 3 more problem(s) not shown\n"));
    free(text);
    diag_list_release(&l);
}

/*
 * The same file, severity, column and text is one group: one line at its
 * first occurrence with its count and line ranges; another file, column or
 * severity is another group; groups print in the order they first occurred.
 */
static void
test_diag_list_groups(void **state)
{
    struct diag_list l = DIAG_LIST_INIT;
    static const unsigned long lines[] = {12, 13, 14, 40, 15, 77, 80, 81};

    (void)state;
    diag_list_name_column(&l, "f.csv", 4, "统筹区编码", strlen("统筹区编码"));
    for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
        diag_list_addf(&l, DIAG_WARNING, DIAG_DATA, "f.csv", lines[i], 4,
                       "area '330150' is unknown");
    diag_list_addf(&l, DIAG_ERROR, DIAG_DATA, "f.csv", 16, 4,
                   "area '330150' is unknown");
    diag_list_addf(&l, DIAG_WARNING, DIAG_DATA, "g.csv", 3, 4,
                   "area '330150' is unknown");
    diag_list_addf(&l, DIAG_WARNING, DIAG_DATA, "f.csv", 17, 5,
                   "area '330150' is unknown");
    diag_list_addf(&l, DIAG_WARNING, DIAG_DATA, "f.csv", 0, 0, "no lines");
    diag_list_addf(&l, DIAG_WARNING, DIAG_DATA, "f.csv", 0, 0, "no lines");
    char *text = print_list(&l);
    assert_string_equal(
        text,
        "f.csv:12:4: warning: area '330150' is unknown [column D '统筹区编码'; "
        "8 rows: lines 12-14,40,15,77,80-81]\n"
        "f.csv:16:4: error: area '330150' is unknown [column D '统筹区编码']\n"
        "g.csv:3:4: warning: area '330150' is unknown [column D]\n"
        "f.csv:17:5: warning: area '330150' is unknown [column E]\n"
        "f.csv: warning: no lines [2 times]\n");
    free(text);
    diag_list_release(&l);
}

/*
 * One kind of message (the text without its quoted values): the first
 * DIAG_GROUP_PER_KIND warning values are groups of their own, the other
 * rows one line; more than DIAG_GROUP_RANGES ranges end in "...".
 */
static void
test_diag_list_groups_other_values(void **state)
{
    struct diag_list l = DIAG_LIST_INIT;

    (void)state;
    for (unsigned long i = 0; i < 40; i++)
        diag_list_addf(&l, DIAG_WARNING, DIAG_DATA, "f.csv", 2 + 2 * i, 2,
                       "area '%lu' is unknown; stored anyway", 330150 + i % 20);
    char *text = print_list(&l);
    const char *p = text;
    for (unsigned long v = 0; v < DIAG_GROUP_PER_KIND; v++) {
        char want[160];
        snprintf(want, sizeof(want),
                 "f.csv:%lu:2: warning: area '%lu' is unknown; stored anyway "
                 "[column B; 2 rows: lines %lu,%lu]\n",
                 2 + 2 * v, 330150 + v, 2 + 2 * v, 42 + 2 * v);
        assert_memory_equal(p, want, strlen(want));
        p += strlen(want);
    }
    assert_string_equal(p, "f.csv:22:2: warning: area '...' is unknown; stored "
                           "anyway [column B; 20 more rows with other values: "
                           "lines 22,24,26,28,30,32,34,36,38,40,...]\n");
    free(text);
    diag_list_release(&l);
}

/* Excel's column letters. */
static void
test_diag_col_letters(void **state)
{
    static const struct {
        unsigned long col;
        const char *want;
    } cases[] = {{1, "A"},    {7, "G"},     {26, "Z"},
                 {27, "AA"},  {52, "AZ"},   {53, "BA"},
                 {702, "ZZ"}, {703, "AAA"}, {16384, "XFD"}};
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char buf[16];
        assert_string_equal(diag_col_letters(buf, sizeof(buf), cases[i].col),
                            cases[i].want);
    }
}

/* Hints for the common causes, named from the value itself. */
static void
test_diag_hint(void **state)
{
    static const struct {
        const char *s;
        unsigned flags;
        const char *want;
    } cases[] = {
        {"45536", DIAG_HINT_DATE,
         "; an Excel date serial? '45536' is 2024-09-01"},
        {"45538.43125", DIAG_HINT_DATE,
         "; an Excel date serial? '45538.43125' is 2024-09-03 10:21"},
        {"45536", 0, ""},
        {"202409", DIAG_HINT_DATE, ""},
        {"3.30102E+17", 0,
         "; Excel shows long numbers in scientific notation: format the "
         "column as text before saving"},
        {"1e5", 0,
         "; Excel shows long numbers in scientific notation: format the "
         "column as text before saving"},
        {"\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x94-09", 0,
         "; it is written in full-width digits ('2024-09' typed half-width)"},
        {"\xef\xbc\xa1\xef\xbc\xa2", 0,
         "; it is written in full-width characters ('AB' typed half-width)"},
        {"330100\xe3\x80\x80", 0,
         "; it holds the invisible character U+3000 (ideographic (full-width) "
         "space)"},
        {"12\xc2\xa0"
         "5",
         0, "; it holds the invisible character U+00A0 (no-break space)"},
        {"\xe2\x80\x8b"
         "2024-09",
         0, "; it holds the invisible character U+200B (zero-width space)"},
        {"12,5O", 0, ""},
        {"", DIAG_HINT_DATE, ""},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char buf[200];
        assert_string_equal(diag_hint(buf, sizeof(buf), cases[i].s,
                                      strlen(cases[i].s), cases[i].flags),
                            cases[i].want);
    }
}

static void
test_diag_looks_cp1252(void **state)
{
    (void)state;
    assert_true(diag_looks_cp1252("Caf\xe9 \x93ok\x94\n", 10));
    assert_false(diag_looks_cp1252("plain ascii\n", 12));
    /* runs of high bytes are some multi-byte encoding */
    assert_false(diag_looks_cp1252("\xd5\xe3\xbd\xad\n", 5));
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
        cmocka_unit_test(test_diag_list_keeps_every_error),
        cmocka_unit_test(test_diag_list_warnings_never_hide_errors),
        cmocka_unit_test(test_diag_list_severity),
        cmocka_unit_test(test_diag_list_first_code_unkept),
        cmocka_unit_test(test_diag_list_print_more),
        cmocka_unit_test(test_diag_list_print_mixed),
        cmocka_unit_test(test_diag_list_groups),
        cmocka_unit_test(test_diag_list_groups_other_values),
        cmocka_unit_test(test_diag_col_letters),
        cmocka_unit_test(test_diag_hint),
        cmocka_unit_test(test_diag_looks_cp1252),
        cmocka_unit_test(test_diag_quote_table),
    };

    return cmocka_run_group_tests_name("diag", tests, NULL, NULL);
}
