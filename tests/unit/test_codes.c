/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_codes.c - the closed code sets scope, use and relation,
 * with the synonyms the shipped data/values.csv adds (vocab_value()).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <unistd.h>

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
     * The coarse values the wallet reports (issue 11) are values of their
     * own, parents of the split ones, not synonyms of either.
     */
    {CODESET_SCOPE, "省内", SCOPE_IN_PROVINCE},
    {CODESET_SCOPE, "in_province", SCOPE_IN_PROVINCE},
    {CODESET_USE, "就医购药", USE_MEDICAL_PHARMACY},
    {CODESET_USE, "medical_pharmacy", USE_MEDICAL_PHARMACY},
    {CODESET_USE, "长期护理保险个人缴费", USE_LTC_PREMIUM},
    {CODESET_USE, "长护险缴费", USE_LTC_PREMIUM},
    {CODESET_USE, "其他用途", USE_OTHER},
    {CODESET_CHANNEL, "account", CHANNEL_ACCOUNT},
    {CODESET_CHANNEL, "即时调用", CHANNEL_ACCOUNT},
    {CODESET_CHANNEL, "即时调用被绑定人个人账户", CHANNEL_ACCOUNT},
    {CODESET_CHANNEL, "wallet", CHANNEL_WALLET},
    {CODESET_CHANNEL, "WALLET", CHANNEL_WALLET},
    {CODESET_CHANNEL, "医保钱包", CHANNEL_WALLET},
    {CODESET_CHANNEL, "钱包", CHANNEL_WALLET},
    {CODESET_CHANNEL, "跨省", -1},
    {CODESET_CHANNEL, "", -1},
    /*
     * Deliberately not shipped: their meaning depends on the province.
     * 市内 may span several pooling areas (市本级 and counties); 参保缴费
     * may be 长护 or 大额 contributions.
     */
    {CODESET_SCOPE, "市内", -1},
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
    struct vocab *v = vocab_load(dir, NULL, &err);
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
        int builtin = codes_parse(NULL, set, in, strlen(in));
        if (builtin < 0 && got >= 0)
            synonyms++;
        else
            assert_int_equal(builtin, got);
    }
    /* the aliases of the table above come from data/values.csv */
    assert_int_equal(synonyms, 36);
    vocab_free(v);
}

/* The field is a (ptr,len) slice: bytes past len are not looked at. */
static void
test_codes_parse_slice(void **state)
{
    (void)state;
    assert_int_equal(codes_parse(NULL, CODESET_USE, "medicalXYZ", 7),
                     USE_MEDICAL);
    assert_int_equal(codes_parse(NULL, CODESET_SCOPE, "跨省共济", 6),
                     SCOPE_CROSS_PROVINCE);
    assert_int_equal(codes_parse(NULL, CODESET_SCOPE, "跨省共济", 3), -1);
    assert_int_equal(codes_parse(NULL, CODESET_RELATION, "SPOUSES", 6),
                     REL_SPOUSE);
}

/* Every code and every name parses back to its own value. */
static void
test_codes_round_trip(void **state)
{
    (void)state;
    for (int set = 0; set < CODESET_N; set++) {
        for (int v = 0; v < codes_count(NULL, (enum code_set)set); v++) {
            const char *code = codes_code(NULL, (enum code_set)set, v);
            const char *name = codes_name(NULL, (enum code_set)set, v);

            assert_int_equal(
                codes_parse(NULL, (enum code_set)set, code, strlen(code)), v);
            assert_int_equal(
                codes_parse(NULL, (enum code_set)set, name, strlen(name)), v);
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
    {CODESET_SCOPE, SCOPE_IN_PROVINCE, "in_province", "省内"},
    {CODESET_SCOPE, SCOPE_CROSS_PROVINCE, "cross_province", "跨省"},
    {CODESET_USE, USE_MEDICAL, "medical", "定点医疗机构"},
    {CODESET_USE, USE_PHARMACY, "pharmacy", "定点零售药店"},
    {CODESET_USE, USE_MEDICAL_PHARMACY, "medical_pharmacy", "就医购药"},
    {CODESET_USE, USE_PREMIUM, "premium", "参加居民医保等个人缴费"},
    {CODESET_USE, USE_LTC_PREMIUM, "ltc_premium", "长期护理保险个人缴费"},
    {CODESET_USE, USE_OTHER, "other", "其他"},
    {CODESET_CHANNEL, CHANNEL_ACCOUNT, "account", "即时调用"},
    {CODESET_CHANNEL, CHANNEL_WALLET, "wallet", "医保钱包"},
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
    assert_int_equal(codes_count(NULL, CODESET_SCOPE), 4);
    assert_int_equal(codes_count(NULL, CODESET_USE), 6);
    assert_int_equal(codes_count(NULL, CODESET_RELATION), 7);
    assert_int_equal(codes_count(NULL, CODESET_CHANNEL), 2);
    assert_string_equal(codes_set_name(CODESET_CHANNEL), "channel");
    assert_string_equal(codes_count_label(NULL, CHANNEL_ACCOUNT), "人次");
    assert_string_equal(codes_count_label(NULL, CHANNEL_WALLET), "笔");
    assert_int_equal(codes_count(NULL, CODESET_SCOPE), SCOPE_N);
    assert_int_equal(codes_count(NULL, CODESET_USE), USE_N);
    assert_int_equal(codes_count(NULL, CODESET_RELATION), REL_N);
    assert_string_equal(codes_set_name(CODESET_SCOPE), "scope");
    assert_string_equal(codes_set_name(CODESET_USE), "use");
    assert_string_equal(codes_set_name(CODESET_RELATION), "relation");
    for (size_t i = 0; i < ARRAY_SIZE(name_cases); i++) {
        assert_string_equal(
            codes_code(NULL, name_cases[i].set, name_cases[i].v),
            name_cases[i].code);
        assert_string_equal(
            codes_name(NULL, name_cases[i].set, name_cases[i].v),
            name_cases[i].name);
    }
}

static void
test_codes_accepted(void **state)
{
    (void)state;
    assert_string_equal(codes_accepted(NULL, CODESET_SCOPE),
                        "same_area/同一统筹区, cross_area/省内跨统筹区, "
                        "in_province/省内, cross_province/跨省");
    assert_string_equal(codes_accepted(NULL, CODESET_USE),
                        "medical/定点医疗机构, pharmacy/定点零售药店, "
                        "medical_pharmacy/就医购药, "
                        "premium/参加居民医保等个人缴费, "
                        "ltc_premium/长期护理保险个人缴费, other/其他");
    assert_string_equal(codes_accepted(NULL, CODESET_CHANNEL),
                        "account/即时调用, wallet/医保钱包");
    /* every relation code is listed */
    for (int v = 0; v < REL_N; v++)
        assert_non_null(strstr(codes_accepted(NULL, CODESET_RELATION),
                               codes_code(NULL, CODESET_RELATION, v)));
}

/* Parents: a coarse value stands for itself and its descendants. */
static void
test_codes_parents(void **state)
{
    (void)state;
    assert_int_equal(codes_parent(NULL, CODESET_SCOPE, SCOPE_SAME_AREA),
                     SCOPE_IN_PROVINCE);
    assert_int_equal(codes_parent(NULL, CODESET_SCOPE, SCOPE_CROSS_AREA),
                     SCOPE_IN_PROVINCE);
    assert_int_equal(codes_parent(NULL, CODESET_SCOPE, SCOPE_IN_PROVINCE), -1);
    assert_int_equal(codes_parent(NULL, CODESET_SCOPE, SCOPE_CROSS_PROVINCE),
                     -1);
    assert_true(
        codes_within(NULL, CODESET_SCOPE, SCOPE_SAME_AREA, SCOPE_IN_PROVINCE));
    assert_true(codes_within(NULL, CODESET_SCOPE, SCOPE_IN_PROVINCE,
                             SCOPE_IN_PROVINCE));
    assert_false(codes_within(NULL, CODESET_SCOPE, SCOPE_CROSS_PROVINCE,
                              SCOPE_IN_PROVINCE));
    assert_false(
        codes_within(NULL, CODESET_SCOPE, SCOPE_IN_PROVINCE, SCOPE_SAME_AREA));
    assert_true(
        codes_within(NULL, CODESET_USE, USE_PHARMACY, USE_MEDICAL_PHARMACY));
    assert_false(
        codes_within(NULL, CODESET_USE, USE_PREMIUM, USE_MEDICAL_PHARMACY));
    assert_true(codes_has_children(NULL, CODESET_USE, USE_MEDICAL_PHARMACY));
    assert_false(codes_has_children(NULL, CODESET_USE, USE_MEDICAL));
    assert_int_equal(codes_top(NULL, CODESET_SCOPE, SCOPE_CROSS_AREA),
                     SCOPE_IN_PROVINCE);
}

/* Write text as dir/codes.csv; the dir is a fresh temporary one. */
static char *
codes_dir(const char *text)
{
    char tmpl[] = "/tmp/codes.XXXXXX";
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    char path[64];
    snprintf(path, sizeof(path), "%s/codes.csv", dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    return strdup(dir);
}

static void
remove_dir(char *dir)
{
    char path[64];
    snprintf(path, sizeof(path), "%s/codes.csv", dir);
    unlink(path);
    rmdir(dir);
    free(dir);
}

/* The shipped table agrees with the built-in values and adds none. */
static void
test_codes_load_shipped(void **state)
{
    struct diag err;
    (void)state;
    diag_clear(&err);
    struct codes *c = codes_load(getenv("GONGJI_DATA"), &err);
    if (c == NULL)
        fail_msg("codes_load: %s", err.msg);
    assert_int_equal(codes_count(c, CODESET_SCOPE), SCOPE_N);
    assert_int_equal(codes_count(c, CODESET_USE), USE_N);
    assert_int_equal(codes_count(c, CODESET_CHANNEL), CHANNEL_N);
    for (int set = 0; set < CODESET_N; set++)
        assert_string_equal(codes_accepted(c, (enum code_set)set),
                            codes_accepted(NULL, (enum code_set)set));
    codes_free(c);
    /* a data directory without the table: the built-in values */
    char *dir = codes_dir("");
    char path[64];
    snprintf(path, sizeof(path), "%s/codes.csv", dir);
    unlink(path);
    c = codes_load(dir, &err);
    assert_non_null(c);
    assert_int_equal(codes_count(c, CODESET_USE), USE_N);
    codes_free(c);
    remove_dir(dir);
}

/* A category added by the table: parsed, named, rolled up to its parent. */
static void
test_codes_load_added(void **state)
{
    struct diag err;
    char *dir = codes_dir("set,code,name,parent,count\n"
                          "use,other,其他,-,-\n"
                          "use,major_premium,职工大额医疗费用补助缴费,other,-\n"
                          "channel,card,医保卡,-,笔\n");
    (void)state;
    diag_clear(&err);
    struct codes *cs = codes_load(dir, &err);
    if (cs == NULL)
        fail_msg("codes_load: %s", err.msg);
    int v = codes_parse(cs, CODESET_USE, "major_premium", 13);
    assert_int_equal(v, USE_N);
    assert_int_equal(codes_count(cs, CODESET_USE), USE_N + 1);
    assert_string_equal(codes_name(cs, CODESET_USE, v),
                        "职工大额医疗费用补助缴费");
    assert_true(codes_within(cs, CODESET_USE, v, USE_OTHER));
    assert_true(codes_has_children(cs, CODESET_USE, USE_OTHER));
    assert_non_null(strstr(codes_accepted(cs, CODESET_USE), "major_premium/"));
    int c = codes_parse(cs, CODESET_CHANNEL, "医保卡", strlen("医保卡"));
    assert_int_equal(c, CHANNEL_N);
    assert_string_equal(codes_count_label(cs, c), "笔");
    /* the built-in sets are not changed by it */
    assert_int_equal(codes_parse(NULL, CODESET_USE, "major_premium", 13), -1);
    assert_int_equal(codes_count(NULL, CODESET_USE), USE_N);
    codes_free(cs);
    remove_dir(dir);
}

/* Bad tables are refused at their line, and the built-in set stays. */
static void
test_codes_load_errors(void **state)
{
    static const struct {
        const char *text;
        unsigned long line, col;
        const char *msg;
    } cases[] = {
        {"set,code,name,parent,count\nsize,big,大,-,-\n", 2, 1,
         "'size' is not a code set"},
        {"set,code,name,parent,count\nuse,Big,大,-,-\n", 2, 2, "code 'Big'"},
        {"set,code,name,parent,count\nuse,x,某,nothing,-\n", 2, 4,
         "parent 'nothing' of x is not a use listed"},
        {"set,code,name,parent,count\nuse,medical,医疗,-,-\n", 2, 0,
         "use medical is built in as '定点医疗机构'"},
        {"set,code,name,parent,count\nuse,x,其他,-,-\n", 2, 3,
         "name '其他' already names a use"},
        {"set,code,name,parent,count\nuse,x,某,-,-\nuse,x,某,-,-\n", 3, 2,
         "use x listed twice"},
        {"set,code,name\nuse,x,某\n", 1, 0, ""},
    };
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        char *dir = codes_dir(cases[i].text);
        struct diag err;
        diag_clear(&err);
        assert_null(codes_load(dir, &err));
        if (strstr(err.msg, cases[i].msg) == NULL)
            fail_msg("case %zu: '%s' lacks '%s'", i, err.msg, cases[i].msg);
        assert_int_equal(err.code, DIAG_CONFIG);
        assert_int_equal(err.line, cases[i].line);
        if (cases[i].col != 0)
            assert_int_equal(err.col, cases[i].col);
        assert_int_equal(codes_count(NULL, CODESET_USE), USE_N);
        assert_int_equal(codes_parse(NULL, CODESET_USE, "x", 1), -1);
        remove_dir(dir);
    }
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
        cmocka_unit_test(test_codes_parents),
        cmocka_unit_test(test_codes_load_shipped),
        cmocka_unit_test(test_codes_load_added),
        cmocka_unit_test(test_codes_load_errors),
    };

    return cmocka_run_group_tests_name("codes", tests, NULL, NULL);
}
