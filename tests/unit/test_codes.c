/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_codes.c - the closed code sets scope, use and relation,
 * with the synonyms the shipped data/values.csv adds (vocab_value()).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/diag.h"
#include "ingest/codes.h"
#include "ingest/vocab.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---------------------------------------------------------------------- */
/* codes_parse                                                             */
/* ---------------------------------------------------------------------- */

static const struct {
    enum code_set set;
    const char *in;
    int want;
} parse_cases[] = {
    /* scope: codes, names, aliases, upper case */
    {CODESET_SCOPE, "same_area", SCOPE_SAME_AREA},
    {CODESET_SCOPE, "同一统筹区", SCOPE_SAME_AREA},
    {CODESET_SCOPE, "统筹区内", SCOPE_SAME_AREA},
    {CODESET_SCOPE, "同统筹区", SCOPE_SAME_AREA},
    {CODESET_SCOPE, "SAME_AREA", SCOPE_SAME_AREA},
    {CODESET_SCOPE, "Same_Area", SCOPE_SAME_AREA},
    {CODESET_SCOPE, "cross_area", SCOPE_CROSS_AREA},
    {CODESET_SCOPE, "省内跨统筹区", SCOPE_CROSS_AREA},
    {CODESET_SCOPE, "跨统筹区", SCOPE_CROSS_AREA},
    {CODESET_SCOPE, "省内跨统筹", SCOPE_CROSS_AREA},
    {CODESET_SCOPE, "CROSS_AREA", SCOPE_CROSS_AREA},
    {CODESET_SCOPE, "cross_province", SCOPE_CROSS_PROVINCE},
    {CODESET_SCOPE, "跨省", SCOPE_CROSS_PROVINCE},
    {CODESET_SCOPE, "跨省共济", SCOPE_CROSS_PROVINCE},
    {CODESET_SCOPE, "省际", SCOPE_CROSS_PROVINCE},
    {CODESET_SCOPE, "CROSS_PROVINCE", SCOPE_CROSS_PROVINCE},
    /* use */
    {CODESET_USE, "medical", USE_MEDICAL},
    {CODESET_USE, "定点医疗机构", USE_MEDICAL},
    {CODESET_USE, "医疗机构", USE_MEDICAL},
    {CODESET_USE, "MEDICAL", USE_MEDICAL},
    {CODESET_USE, "Medical", USE_MEDICAL},
    {CODESET_USE, "pharmacy", USE_PHARMACY},
    {CODESET_USE, "定点零售药店", USE_PHARMACY},
    {CODESET_USE, "零售药店", USE_PHARMACY},
    {CODESET_USE, "定点药店", USE_PHARMACY},
    {CODESET_USE, "PHARMACY", USE_PHARMACY},
    {CODESET_USE, "premium", USE_PREMIUM},
    {CODESET_USE, "参加居民医保等个人缴费", USE_PREMIUM},
    {CODESET_USE, "居民医保缴费", USE_PREMIUM},
    {CODESET_USE, "个人缴费", USE_PREMIUM},
    {CODESET_USE, "PREMIUM", USE_PREMIUM},
    {CODESET_USE, "other", USE_OTHER},
    {CODESET_USE, "其他", USE_OTHER},
    {CODESET_USE, "其它", USE_OTHER},
    {CODESET_USE, "OTHER", USE_OTHER},
    /* relation */
    {CODESET_RELATION, "spouse", REL_SPOUSE},
    {CODESET_RELATION, "配偶", REL_SPOUSE},
    {CODESET_RELATION, "SPOUSE", REL_SPOUSE},
    {CODESET_RELATION, "parent", REL_PARENT},
    {CODESET_RELATION, "父母", REL_PARENT},
    {CODESET_RELATION, "PARENT", REL_PARENT},
    {CODESET_RELATION, "child", REL_CHILD},
    {CODESET_RELATION, "子女", REL_CHILD},
    {CODESET_RELATION, "CHILD", REL_CHILD},
    {CODESET_RELATION, "sibling", REL_SIBLING},
    {CODESET_RELATION, "兄弟姐妹", REL_SIBLING},
    {CODESET_RELATION, "SIBLING", REL_SIBLING},
    {CODESET_RELATION, "grandparent", REL_GRANDPARENT},
    {CODESET_RELATION, "祖父母/外祖父母", REL_GRANDPARENT},
    {CODESET_RELATION, "祖父母、外祖父母", REL_GRANDPARENT},
    {CODESET_RELATION, "祖父母", REL_GRANDPARENT},
    {CODESET_RELATION, "GRANDPARENT", REL_GRANDPARENT},
    {CODESET_RELATION, "grandchild", REL_GRANDCHILD},
    {CODESET_RELATION, "孙子女/外孙子女", REL_GRANDCHILD},
    {CODESET_RELATION, "孙子女、外孙子女", REL_GRANDCHILD},
    {CODESET_RELATION, "孙子女", REL_GRANDCHILD},
    {CODESET_RELATION, "GRANDCHILD", REL_GRANDCHILD},
    {CODESET_RELATION, "unspecified", REL_UNSPECIFIED},
    {CODESET_RELATION, "未区分", REL_UNSPECIFIED},
    {CODESET_RELATION, "未指定", REL_UNSPECIFIED},
    {CODESET_RELATION, "不详", REL_UNSPECIFIED},
    {CODESET_RELATION, "UNSPECIFIED", REL_UNSPECIFIED},
    /* unknown */
    {CODESET_SCOPE, "", -1},
    {CODESET_SCOPE, "same", -1},
    {CODESET_SCOPE, "same_are", -1},
    {CODESET_SCOPE, "same_areas", -1},
    {CODESET_SCOPE, "same area", -1},
    {CODESET_SCOPE, "same-area", -1},
    {CODESET_SCOPE, "SAME AREA", -1},
    {CODESET_SCOPE, " same_area", -1},
    {CODESET_SCOPE, "same_area ", -1},
    {CODESET_SCOPE, "跨省 ", -1},
    {CODESET_SCOPE, "跨", -1},
    {CODESET_SCOPE, "0", -1},
    {CODESET_SCOPE, "spouse", -1},
    {CODESET_SCOPE, "medical", -1},
    {CODESET_USE, "", -1},
    {CODESET_USE, "配偶", -1},
    {CODESET_USE, "SAME_AREA", -1},
    {CODESET_USE, "medicals", -1},
    {CODESET_USE, "MEDICAL\x7F", -1},
    {CODESET_USE, "其", -1},
    {CODESET_RELATION, "", -1},
    {CODESET_RELATION, "跨省", -1},
    {CODESET_RELATION, "other", -1},
    {CODESET_RELATION, "祖父母/", -1},
    {CODESET_RELATION, "grand", -1},
    /* wider shipped vocabulary (issue 9) */
    {CODESET_SCOPE, "本统筹区", SCOPE_SAME_AREA},
    {CODESET_SCOPE, "省内异地", SCOPE_CROSS_AREA},
    {CODESET_SCOPE, "跨省异地", SCOPE_CROSS_PROVINCE},
    {CODESET_USE, "药店", USE_PHARMACY},
    {CODESET_USE, "定点医院", USE_MEDICAL},
    {CODESET_USE, "医院", USE_MEDICAL},
    {CODESET_USE, "居民医保个人缴费", USE_PREMIUM},
    {CODESET_USE, "缴纳居民医保", USE_PREMIUM},
    {CODESET_RELATION, "夫妻", REL_SPOUSE},
    {CODESET_RELATION, "母亲", REL_PARENT},
    {CODESET_RELATION, "女儿", REL_CHILD},
    {CODESET_RELATION, "姐妹", REL_SIBLING},
    {CODESET_RELATION, "外祖父母", REL_GRANDPARENT},
    {CODESET_RELATION, "外孙子女", REL_GRANDCHILD},
    /*
     * Deliberately not shipped: their meaning depends on the province.
     * 市内 may span several pooling areas (市本级 and counties); 省内 is
     * the wallet's unsplit scope (DESIGN in_province); 就医购药 is medical
     * and pharmacy together; 参保缴费 may be 长护 or 大额 contributions.
     */
    {CODESET_SCOPE, "市内", -1},
    {CODESET_SCOPE, "省内", -1},
    {CODESET_USE, "就医购药", -1},
    {CODESET_USE, "参保缴费", -1},
    {CODESET_RELATION, "近亲属", -1},
};

static struct vocab *
shipped_vocab(void)
{
    const char *dir = getenv("GONGJI_DATA");
    struct diag err;

    if (dir == NULL || dir[0] == '\0')
        fail_msg("GONGJI_DATA is not set (tests/run.sh sets it)");
    diag_clear(&err);
    struct vocab *v = vocab_load(dir, &err);
    if (v == NULL)
        fail_msg("vocab_load: %s", err.msg);
    return v;
}

static void
test_codes_parse_table(void **state)
{
    struct vocab *v = shipped_vocab();
    size_t synonyms = 0;
    (void)state;

    for (size_t i = 0; i < ARRAY_SIZE(parse_cases); i++) {
        const char *in = parse_cases[i].in;
        enum code_set set = parse_cases[i].set;
        int got = vocab_value(v, set, in, strlen(in));

        if (got != parse_cases[i].want)
            print_message("vocab_value(%s, \"%s\") = %d\n", codes_set_name(set),
                          in, got);
        assert_int_equal(got, parse_cases[i].want);
        /* codes_parse knows codes and display names, never synonyms */
        int builtin = codes_parse(set, in, strlen(in));
        if (builtin < 0 && got >= 0)
            synonyms++;
        else
            assert_int_equal(builtin, got);
    }
    /* the aliases of the table above come from data/values.csv */
    assert_int_equal(synonyms, 32);
    vocab_free(v);
}

/* The field is a (ptr,len) slice: bytes past len are not looked at. */
static void
test_codes_parse_slice(void **state)
{
    (void)state;
    assert_int_equal(codes_parse(CODESET_USE, "medicalXYZ", 7), USE_MEDICAL);
    assert_int_equal(codes_parse(CODESET_SCOPE, "跨省共济", 6),
                     SCOPE_CROSS_PROVINCE);
    assert_int_equal(codes_parse(CODESET_SCOPE, "跨省共济", 3), -1);
    assert_int_equal(codes_parse(CODESET_RELATION, "SPOUSES", 6), REL_SPOUSE);
}

/* Every code and every name parses back to its own value. */
static void
test_codes_round_trip(void **state)
{
    (void)state;
    for (int set = 0; set < CODESET_N; set++) {
        for (int v = 0; v < codes_count((enum code_set)set); v++) {
            const char *code = codes_code((enum code_set)set, v);
            const char *name = codes_name((enum code_set)set, v);

            assert_int_equal(
                codes_parse((enum code_set)set, code, strlen(code)), v);
            assert_int_equal(
                codes_parse((enum code_set)set, name, strlen(name)), v);
        }
    }
}

/* ---------------------------------------------------------------------- */
/* codes_count, codes_code, codes_name, codes_set_name, codes_accepted     */
/* ---------------------------------------------------------------------- */

static const struct {
    enum code_set set;
    int v;
    const char *code, *name;
} name_cases[] = {
    {CODESET_SCOPE, SCOPE_SAME_AREA, "same_area", "同一统筹区"},
    {CODESET_SCOPE, SCOPE_CROSS_AREA, "cross_area", "省内跨统筹区"},
    {CODESET_SCOPE, SCOPE_CROSS_PROVINCE, "cross_province", "跨省"},
    {CODESET_USE, USE_MEDICAL, "medical", "定点医疗机构"},
    {CODESET_USE, USE_PHARMACY, "pharmacy", "定点零售药店"},
    {CODESET_USE, USE_PREMIUM, "premium", "参加居民医保等个人缴费"},
    {CODESET_USE, USE_OTHER, "other", "其他"},
    {CODESET_RELATION, REL_SPOUSE, "spouse", "配偶"},
    {CODESET_RELATION, REL_PARENT, "parent", "父母"},
    {CODESET_RELATION, REL_CHILD, "child", "子女"},
    {CODESET_RELATION, REL_SIBLING, "sibling", "兄弟姐妹"},
    {CODESET_RELATION, REL_GRANDPARENT, "grandparent", "祖父母/外祖父母"},
    {CODESET_RELATION, REL_GRANDCHILD, "grandchild", "孙子女/外孙子女"},
    {CODESET_RELATION, REL_UNSPECIFIED, "unspecified", "未区分"},
};

static void
test_codes_names_table(void **state)
{
    (void)state;
    assert_int_equal(codes_count(CODESET_SCOPE), 3);
    assert_int_equal(codes_count(CODESET_USE), 4);
    assert_int_equal(codes_count(CODESET_RELATION), 7);
    assert_int_equal(codes_count(CODESET_SCOPE), SCOPE_N);
    assert_int_equal(codes_count(CODESET_USE), USE_N);
    assert_int_equal(codes_count(CODESET_RELATION), REL_N);
    assert_string_equal(codes_set_name(CODESET_SCOPE), "scope");
    assert_string_equal(codes_set_name(CODESET_USE), "use");
    assert_string_equal(codes_set_name(CODESET_RELATION), "relation");
    for (size_t i = 0; i < ARRAY_SIZE(name_cases); i++) {
        assert_string_equal(codes_code(name_cases[i].set, name_cases[i].v),
                            name_cases[i].code);
        assert_string_equal(codes_name(name_cases[i].set, name_cases[i].v),
                            name_cases[i].name);
    }
}

static void
test_codes_accepted(void **state)
{
    (void)state;
    assert_string_equal(codes_accepted(CODESET_SCOPE),
                        "same_area/同一统筹区, cross_area/省内跨统筹区, "
                        "cross_province/跨省");
    assert_string_equal(codes_accepted(CODESET_USE),
                        "medical/定点医疗机构, pharmacy/定点零售药店, "
                        "premium/参加居民医保等个人缴费, other/其他");
    /* every relation code is listed */
    for (int v = 0; v < REL_N; v++)
        assert_non_null(strstr(codes_accepted(CODESET_RELATION),
                               codes_code(CODESET_RELATION, v)));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_codes_parse_table),
        cmocka_unit_test(test_codes_parse_slice),
        cmocka_unit_test(test_codes_round_trip),
        cmocka_unit_test(test_codes_names_table),
        cmocka_unit_test(test_codes_accepted),
    };

    return cmocka_run_group_tests_name("codes", tests, NULL, NULL);
}
