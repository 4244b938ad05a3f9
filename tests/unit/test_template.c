/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_template.c - "{name}" and "{name|mod...}" expansion and
 * its diagnostics.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/diag.h"
#include "common/sbuf.h"
#include "report/template.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
    const char *name, *value;
} table[] = {
    {"a", "A"},
    {"b", "乙"},
    {"total_pt", "2.46亿人次"},
    {"empty", ""},
};

/* The modifiers "acct.amount" accepts. */
static const char *const mod_ok[] = {"yi", "trim", "亿", "万", "d1"};

static int
mod_known(const char *m, size_t n)
{
    for (size_t i = 0; i < ARRAY_SIZE(mod_ok); i++)
        if (strlen(mod_ok[i]) == n && memcmp(mod_ok[i], m, n) == 0)
            return 1;
    return 0;
}

/*
 * The lookup callback: a small table whose names take no modifiers, and
 * "acct.amount", which shows the modifier text it was given as "<mods>"
 * (appended before the modifiers are checked, so a failing call has written
 * something the expansion must drop); ctx counts the calls.
 */
static int
lookup(const char *name, size_t len, const char *mods, size_t mlen,
       struct sbuf *out, void *ctx)
{
    int *calls = ctx;

    (*calls)++;
    if (len == 11 && memcmp(name, "acct.amount", 11) == 0) {
        size_t s = 0;
        int k = 0;
        sbuf_addch(out, '<');
        sbuf_add(out, mods, mlen);
        sbuf_addch(out, '>');
        for (size_t i = 0; mlen > 0 && i <= mlen; i++) {
            if (i < mlen && mods[i] != '|')
                continue;
            if (!mod_known(mods + s, i - s))
                return TEMPLATE_BAD_MODIFIER(k);
            k++;
            s = i + 1;
        }
        return 0;
    }
    for (size_t i = 0; i < ARRAY_SIZE(table); i++) {
        if (strlen(table[i].name) == len &&
            memcmp(table[i].name, name, len) == 0) {
            if (mlen > 0)
                return TEMPLATE_BAD_MODIFIER(0);
            sbuf_addstr(out, table[i].value);
            return 0;
        }
    }
    return TEMPLATE_UNKNOWN_NAME;
}

/* ******************************************************************** */
/* Expansion                                                            */
/* ******************************************************************** */

static void
test_template_expand_ok(void **state)
{
    static const struct {
        const char *in, *want;
        int calls;
    } cases[] = {
        {"", "", 0},
        {"plain text\nline two\n", "plain text\nline two\n", 0},
        {"{a}", "A", 1},
        {"x{a}y", "xAy", 1},
        {"{a}{b}{a}", "A乙A", 3},
        {"{{", "{", 0},
        {"}}", "}", 0},
        {"{{a}}", "{a}", 0},
        {"{{{a}}}", "{A}", 1},
        {"全国共济{total_pt}，同比{b}。", "全国共济2.46亿人次，同比乙。", 2},
        {"一{empty}二", "一二", 1},
        {"第一行\n第二行{a}\n", "第一行\n第二行A\n", 1},
        {"{a}\n{b}", "A\n乙", 2},
        /* modifiers reach the lookup as the text after the first '|' */
        {"{acct.amount}", "<>", 1},
        {"{acct.amount|yi|trim}", "<yi|trim>", 1},
        {"金额{acct.amount|亿}元", "金额<亿>元", 1},
        {"{acct.amount|万|d1|trim}", "<万|d1|trim>", 1},
        /* a '|' outside braces is text, inside doubled braces too */
        {"a|b{a}|c||", "a|bA|c||", 1},
        {"{{a|b}}", "{a|b}", 0},
        {"|{acct.amount|yi}|", "|<yi>|", 1},
    };
    (void)state;

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct sbuf out = SBUF_INIT;
        struct diag err;
        int calls = 0;

        diag_clear(&err);
        int rc = template_expand(cases[i].in, strlen(cases[i].in), "t.tmpl",
                                 lookup, &calls, &out, &err);
        assert_int_equal(rc, 0);
        assert_string_equal(out.buf, cases[i].want);
        assert_int_equal(out.len, strlen(cases[i].want));
        assert_int_equal(calls, cases[i].calls);
        sbuf_release(&out);
    }
}

static void
test_template_expand_respects_len(void **state)
{
    /* only text[0..len) is read: the rest is not part of the template */
    static const char text[] = "{a}{b}";
    struct sbuf out = SBUF_INIT;
    struct diag err;
    int calls = 0;
    (void)state;

    diag_clear(&err);
    assert_int_equal(
        template_expand(text, 3, "t.tmpl", lookup, &calls, &out, &err), 0);
    assert_string_equal(out.buf, "A");
    sbuf_release(&out);
}

/* ******************************************************************** */
/* Errors                                                               */
/* ******************************************************************** */

static void
test_template_expand_errors(void **state)
{
    static const struct {
        const char *in;
        unsigned long line, col;
        const char *phrase;
    } cases[] = {
        {"{nope}", 1, 1, "unknown placeholder {nope}"},
        {"ab {a} {nope} cd", 1, 8, "unknown placeholder {nope}"},
        /* col counts code points, not bytes */
        {"first\n一二三{nope}", 2, 4, "unknown placeholder {nope}"},
        {"{a}\n\n共济{b}金额{zz}\n", 3, 8, "unknown placeholder {zz}"},
        {"ab{abc", 1, 3, "unclosed '{'"},
        {"ab{abc\n{a}", 1, 3, "unclosed '{'"},
        {"x\n一{abc\n", 2, 2, "unclosed '{'"},
        {"{", 1, 1, "unclosed '{'"},
        {"ok {}", 1, 4, "'{}' is not a placeholder name"},
        {"{a b}", 1, 1, "'{a b}' is not a placeholder name"},
        {"甲{名}", 1, 2, "'{名}' is not a placeholder name"},
        {"}", 1, 1, "a lone '}'"},
        {"ab}c", 1, 3, "a lone '}'"},
        {"第一\n第二行}", 2, 4, "a lone '}'"},
        {"{a}}", 1, 4, "a lone '}'"},
        /* modifiers: the column is the modifier's */
        {"{acct.amount|yi|bogus}", 1, 17,
         "unknown or conflicting modifier 'bogus' in {acct.amount|yi|bogus}"},
        {"ab {a|trim}", 1, 7,
         "unknown or conflicting modifier 'trim' in {a|trim}"},
        {"一二\n三{acct.amount|万|x}", 2, 17, "modifier 'x'"},
        {"{a|}", 1, 4, "empty modifier in '{a|}'"},
        {"{acct.amount||yi}", 1, 14, "empty modifier in '{acct.amount||yi}'"},
        {"{acct.amount|yi|}", 1, 17, "empty modifier"},
        {"{a|x y}", 1, 4, "a modifier in '{a|x y}' is not letters"},
        {"{a|yi|亿x}", 1, 7, "a modifier in '{a|yi|亿x}' is not letters"},
        {"{a|百}", 1, 4, "is not letters"},
        {"{a|yi", 1, 1, "unclosed '{'"},
        {"{a|yi\n}", 1, 1, "unclosed '{'"},
        {"{nope|yi}", 1, 1, "unknown placeholder {nope}"},
        {"{|yi}", 1, 1, "'{|yi}' is not a placeholder name"},
        {"{a-b}", 1, 1, "'{a-b}' is not a placeholder name"},
    };
    (void)state;

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct sbuf out = SBUF_INIT;
        struct diag err;
        int calls = 0;

        diag_clear(&err);
        int rc =
            template_expand(cases[i].in, strlen(cases[i].in),
                            "templates/x.tmpl", lookup, &calls, &out, &err);
        assert_int_equal(rc, -1);
        assert_int_equal(err.code, DIAG_CONFIG);
        assert_non_null(err.file);
        assert_string_equal(err.file, "templates/x.tmpl");
        assert_int_equal(err.line, cases[i].line);
        assert_int_equal(err.col, cases[i].col);
        if (strstr(err.msg, cases[i].phrase) == NULL)
            fail_msg("case %zu %s: message \"%s\" lacks \"%s\"", i, cases[i].in,
                     err.msg, cases[i].phrase);
        sbuf_release(&out);
    }
}

static void
test_template_expand_failing_lookup_writes_nothing(void **state)
{
    /* the lookup appended "<bogus>" before it refused the modifier */
    static const char text[] = "x{acct.amount|bogus}";
    struct sbuf out = SBUF_INIT;
    struct diag err;
    int calls = 0;
    (void)state;

    diag_clear(&err);
    assert_int_equal(template_expand(text, strlen(text), "t.tmpl", lookup,
                                     &calls, &out, &err),
                     -1);
    assert_null(strstr(out.buf, "bogus"));
    sbuf_release(&out);
}

static void
test_template_expand_error_file_is_name_passed(void **state)
{
    static const char *const names[] = {"bulletin.tmpl", "a/b/c.tmpl", ""};
    (void)state;

    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        struct sbuf out = SBUF_INIT;
        struct diag err;
        int calls = 0;

        diag_clear(&err);
        assert_int_equal(
            template_expand("{x}", 3, names[i], lookup, &calls, &out, &err),
            -1);
        assert_ptr_equal(err.file, names[i]);
        sbuf_release(&out);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_template_expand_ok),
        cmocka_unit_test(test_template_expand_respects_len),
        cmocka_unit_test(test_template_expand_errors),
        cmocka_unit_test(test_template_expand_failing_lookup_writes_nothing),
        cmocka_unit_test(test_template_expand_error_file_is_name_passed),
    };
    return cmocka_run_group_tests_name("template", tests, NULL, NULL);
}
