/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_refdata.c - refdata_load and the lookups, on the real
 * data/ tables ($GONGJI_DATA, set by tests/run.sh) and on small broken
 * tables written to a temporary directory.
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
#include "ingest/refdata.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---------------------------------------------------------------------- */
/* Helpers                                                                 */
/* ---------------------------------------------------------------------- */

static const char *
data_dir(void)
{
    const char *dir = getenv("GONGJI_DATA");

    if (dir == NULL || dir[0] == '\0')
        fail_msg("GONGJI_DATA is not set (tests/run.sh sets it)");
    return dir;
}

static int
setup_real(void **state)
{
    struct diag err;

    diag_clear(&err);
    struct refdata *rd = refdata_load(data_dir(), &err);
    if (rd == NULL) {
        diag_print(stderr, &err);
        return -1;
    }
    *state = rd;
    return 0;
}

static int
teardown_real(void **state)
{
    refdata_free(*state);
    return 0;
}

/*
 * What every loaded table must satisfy: provinces in order with unique
 * codes, areas strictly ascending, each inside a known province and found
 * again by its code and its name.
 */
static void
assert_refdata_consistent(const struct refdata *rd)
{
    size_t np = refdata_province_count(rd), na = refdata_area_count(rd);

    for (size_t i = 0; i < np; i++) {
        const struct province *p = refdata_province_at(rd, i);
        assert_int_equal(p->order, i);
        assert_int_equal(p->code % 10000, 0);
        assert_ptr_equal(refdata_province(rd, p->code), p);
        assert_ptr_equal(refdata_find_province(rd, p->name), p);
        assert_ptr_equal(refdata_find_province(rd, p->short_name), p);
    }
    for (size_t i = 0; i < na; i++) {
        const struct area *a = refdata_area_at(rd, i);
        if (i > 0)
            assert_true(refdata_area_at(rd, i - 1)->code < a->code);
        assert_int_equal(a->province, a->code / 10000 * 10000);
        const struct province *p = refdata_area_province(rd, a->code);
        assert_non_null(p);
        assert_int_equal(p->code, a->province);
        assert_ptr_equal(refdata_area(rd, a->code), a);
        const struct area *byname = refdata_find_area(rd, a->name);
        assert_non_null(byname);
        assert_string_equal(byname->name, a->name);
        assert_true(byname->code <= a->code);
    }
}

/* A temporary directory holding provinces.csv and areas.csv. */
struct tmpdata {
    char dir[64];
};

static void
write_bytes(const char *dir, const char *name, const char *bytes, size_t len)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(bytes, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

static void
write_file(const char *dir, const char *name, const char *text)
{
    write_bytes(dir, name, text, strlen(text));
}

/*
 * The loader wants fixed file names in a directory, so the directory is
 * the unique part (mkdtemp) and the files inside it are named as in data/.
 * NULL text leaves the file out.
 */
static void
tmpdata_init(struct tmpdata *td, const char *provinces, const char *areas)
{
    const char *tmp = getenv("TMPDIR");

    if (tmp == NULL || tmp[0] == '\0' || strlen(tmp) > 32)
        tmp = "/tmp";
    snprintf(td->dir, sizeof(td->dir), "%s/refdata.XXXXXX", tmp);
    assert_non_null(mkdtemp(td->dir));
    if (provinces != NULL)
        write_file(td->dir, "provinces.csv", provinces);
    if (areas != NULL)
        write_file(td->dir, "areas.csv", areas);
    /* the vocabulary files, empty but for their headers */
    write_file(td->dir, "columns.csv", "column,header\n");
    write_file(td->dir, "units.csv", "unit,measure,factor\n");
    write_file(td->dir, "values.csv", "set,code,value\n");
}

static void
tmpdata_release(struct tmpdata *td)
{
    char path[128];

    snprintf(path, sizeof(path), "%s/provinces.csv", td->dir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/areas.csv", td->dir);
    unlink(path);
    static const char *const vocab_files[] = {"columns.csv", "units.csv",
                                              "values.csv"};
    for (size_t i = 0; i < ARRAY_SIZE(vocab_files); i++) {
        snprintf(path, sizeof(path), "%s/%s", td->dir, vocab_files[i]);
        unlink(path);
    }
    assert_int_equal(rmdir(td->dir), 0);
}

#define GOOD_PROVINCES                                                         \
    "code,name,short_name\n"                                                   \
    "110000,北京市,北京\n"                                                \
    "330000,浙江省,浙江\n"                                                \
    "660000,新疆生产建设兵团,新疆生产建设兵团\n"

#define GOOD_AREAS                                                             \
    "code,name,province\n"                                                     \
    "110100,北京市,110000\n"                                                \
    "330100,杭州市,330000\n"

/* ---------------------------------------------------------------------- */
/* The real tables                                                         */
/* ---------------------------------------------------------------------- */

static void
test_refdata_load_real_consistent(void **state)
{
    const struct refdata *rd = *state;
    size_t na = refdata_area_count(rd);

    assert_refdata_consistent(rd);
    assert_in_range(na, 330, 400);
}

static void
test_refdata_province_at_release_order(void **state)
{
    static const struct {
        int code;
        const char *short_name;
    } want[] = {
        {110000, "北京"},   {120000, "天津"},
        {130000, "河北"},   {140000, "山西"},
        {150000, "内蒙古"}, {210000, "辽宁"},
        {220000, "吉林"},   {230000, "黑龙江"},
        {310000, "上海"},   {320000, "江苏"},
        {330000, "浙江"},   {340000, "安徽"},
        {350000, "福建"},   {360000, "江西"},
        {370000, "山东"},   {410000, "河南"},
        {420000, "湖北"},   {430000, "湖南"},
        {440000, "广东"},   {450000, "广西"},
        {460000, "海南"},   {500000, "重庆"},
        {510000, "四川"},   {520000, "贵州"},
        {530000, "云南"},   {540000, "西藏"},
        {610000, "陕西"},   {620000, "甘肃"},
        {630000, "青海"},   {640000, "宁夏"},
        {650000, "新疆"},   {660000, "新疆生产建设兵团"},
    };
    const struct refdata *rd = *state;

    assert_int_equal(refdata_province_count(rd), ARRAY_SIZE(want));
    for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
        const struct province *p = refdata_province_at(rd, i);
        assert_int_equal(p->code, want[i].code);
        assert_string_equal(p->short_name, want[i].short_name);
        assert_int_equal(p->order, i);
    }
    const struct province *last = refdata_province_at(rd, 31);
    assert_string_equal(last->name, "新疆生产建设兵团");
    assert_string_equal(refdata_province(rd, 150000)->name, "内蒙古自治区");
    assert_string_equal(refdata_province(rd, 450000)->name, "广西壮族自治区");
}

static void
test_refdata_area_known(void **state)
{
    static const struct {
        int code;
        const char *name;
        int province;
    } want[] = {
        {330100, "杭州市", 330000},
        {110100, "北京市", 110000},
        {339900, "浙江省省本级", 330000},
        {119900, "北京市市本级", 110000},
        {459900, "广西壮族自治区本级", 450000},
        {232900, "黑龙江省农垦总局", 230000},
        {669900, "新疆生产建设兵团本级", 660000},
        {660100, "第一师", 660000},
        {661400, "第十四师", 660000},
    };
    const struct refdata *rd = *state;

    for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
        const struct area *a = refdata_area(rd, want[i].code);
        assert_non_null(a);
        assert_string_equal(a->name, want[i].name);
        assert_int_equal(a->province, want[i].province);
    }

    const struct province *p = refdata_area_province(rd, 330100);
    assert_non_null(p);
    assert_int_equal(p->code, 330000);
    assert_string_equal(p->short_name, "浙江");
    assert_string_equal(p->name, "浙江省");

    /* pseudo-cities of the source are not areas */
    assert_null(refdata_area(rd, 419000));
    assert_null(refdata_area(rd, 659000));
}

static void
test_refdata_area_unknown(void **state)
{
    const struct refdata *rd = *state;

    assert_null(refdata_area(rd, 999999));
    assert_null(refdata_area(rd, 0));
    assert_null(refdata_area(rd, -330100));
    assert_null(refdata_area(rd, 330000)); /* a province, not an area */
    assert_null(refdata_province(rd, 330100));
    assert_null(refdata_province(rd, 990000));
    assert_null(refdata_province(rd, 0));
    assert_null(refdata_province(rd, 1100000));
    assert_null(refdata_area_province(rd, 999999));
    assert_null(refdata_area_province(rd, 0));
    assert_null(refdata_area_province(rd, -1));
    assert_null(refdata_area_province(rd, 3301000));

    /* the area set is open: an unlisted unit still has its province */
    assert_null(refdata_area(rd, 360199));
    const struct province *p = refdata_area_province(rd, 360199);
    assert_non_null(p);
    assert_int_equal(p->code, 360000);
}

static void
test_refdata_find_province(void **state)
{
    static const struct {
        const char *in;
        int want; /* 0 = not found */
    } cases[] = {
        {"浙江", 330000},
        {"浙江省", 330000},
        {"330000", 330000},
        {"新疆", 650000},
        {"新疆维吾尔自治区", 650000},
        {"新疆生产建设兵团", 660000},
        {"660000", 660000},
        {"内蒙古", 150000},
        {"浙", 0},
        {"", 0},
        {"330100", 0},
        {"999999", 0},
        {"33000", 0},
        {"3300000", 0},
        {"浙江 ", 0},
    };
    const struct refdata *rd = *state;

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const struct province *p = refdata_find_province(rd, cases[i].in);
        if (cases[i].want == 0) {
            if (p != NULL)
                fail_msg("'%s' found %d", cases[i].in, p->code);
        } else {
            if (p == NULL)
                fail_msg("'%s' not found", cases[i].in);
            assert_int_equal(p->code, cases[i].want);
        }
    }
    assert_null(refdata_find_province(rd, NULL));
}

static void
test_refdata_find_area(void **state)
{
    static const struct {
        const char *in;
        int want;
    } cases[] = {
        {"330100", 330100},
        {"杭州市", 330100},
        {"北京市", 110100},
        {"339900", 339900},
        {"浙江省省本级", 339900},
        {"第八师", 660800},
        {"杭州", 0},
        {"999999", 0},
        {"", 0},
        {"330100 ", 0},
    };
    const struct refdata *rd = *state;

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const struct area *a = refdata_find_area(rd, cases[i].in);
        if (cases[i].want == 0) {
            if (a != NULL)
                fail_msg("'%s' found %d", cases[i].in, a->code);
        } else {
            if (a == NULL)
                fail_msg("'%s' not found", cases[i].in);
            assert_int_equal(a->code, cases[i].want);
        }
    }
    assert_null(refdata_find_area(rd, NULL));
}

/* ---------------------------------------------------------------------- */
/* Small tables                                                            */
/* ---------------------------------------------------------------------- */

static void
test_refdata_load_bom_crlf_unsorted(void **state)
{
    struct tmpdata td;
    struct diag err;
    (void)state;

    /* BOM, CRLF, areas out of order, no final newline */
    tmpdata_init(&td,
                 "\xEF\xBB\xBF"
                 "code,name,short_name\r\n"
                 "110000,北京市,北京\r\n"
                 "330000,浙江省,浙江\r\n",
                 "code,name,province\r\n"
                 "339900,浙江省省本级,330000\r\n"
                 "330100,杭州市,330000\r\n"
                 "110100,北京市,110000");
    diag_clear(&err);
    struct refdata *rd = refdata_load(td.dir, &err);
    if (rd == NULL) {
        diag_print(stderr, &err);
        fail();
    }
    assert_refdata_consistent(rd);
    assert_int_equal(refdata_province_count(rd), 2);
    assert_string_equal(refdata_province_at(rd, 1)->short_name, "浙江");
    assert_int_equal(refdata_area_count(rd), 3);
    assert_int_equal(refdata_area_at(rd, 0)->code, 110100);
    assert_int_equal(refdata_area_at(rd, 1)->code, 330100);
    assert_int_equal(refdata_area_at(rd, 2)->code, 339900);
    assert_string_equal(refdata_area_at(rd, 2)->name, "浙江省省本级");
    refdata_free(rd);
    tmpdata_release(&td);
}

static void
test_refdata_load_empty_areas(void **state)
{
    struct tmpdata td;
    struct diag err;
    (void)state;

    tmpdata_init(&td, GOOD_PROVINCES, "code,name,province\n");
    diag_clear(&err);
    struct refdata *rd = refdata_load(td.dir, &err);
    assert_non_null(rd);
    assert_int_equal(refdata_area_count(rd), 0);
    assert_null(refdata_area(rd, 330100));
    assert_null(refdata_find_area(rd, "杭州市"));
    assert_non_null(refdata_area_province(rd, 330100));
    refdata_free(rd);
    tmpdata_release(&td);
}

static const struct {
    const char *provinces; /* NULL: GOOD_PROVINCES */
    const char *areas;     /* NULL: GOOD_AREAS */
    const char *file;
    unsigned long line, col;
    const char *msg; /* the message starts with this */
} bad_cases[] = {
    /* provinces.csv */
    {"code,name\n110000,北京市\n", NULL, "provinces.csv", 1, 0,
     "header is 'code,name', expected 'code,name,short_name'"},
    {"", NULL, "provinces.csv", 1, 0, "empty file"},
    {"code,name,short_name\n", NULL, "provinces.csv", 1, 0, "no provinces"},
    {"code,name,short_name\n110001,北京市,北京\n", NULL, "provinces.csv", 2, 1,
     "province code 110001 does not end in 0000"},
    {"code,name,short_name\n11000,北京市,北京\n", NULL, "provinces.csv", 2, 1,
     "province code '11000' is not 6 digits"},
    {"code,name,short_name\n110000,北京市,北京\n120000,天津市,北京\n", NULL,
     "provinces.csv", 3, 3, "province name '北京' repeats line 2"},
    {"code,name,short_name\n110000,北京市,北京\n110000,天津市,天津\n", NULL,
     "provinces.csv", 3, 1, "province 110000 repeats line 2"},
    {"\xEF\xBB\xBF"
     "code,name,short_name\r\n110000,北京市,北京\r\n120000,天津市\r\n",
     NULL, "provinces.csv", 3, 0, "2 fields, expected 3"},
    /* areas.csv */
    {NULL, "code,name,province\n330100,杭州市,330000\n330200,宁波市\n",
     "areas.csv", 3, 0, "2 fields, expected 3"},
    {NULL, "code,name,province\n330100,杭州市,330000,x\n", "areas.csv", 2, 0,
     "4 fields, expected 3"},
    {NULL, "code,name,province\n33010x,杭州市,330000\n", "areas.csv", 2, 1,
     "area code '33010x' is not 6 digits"},
    {NULL, "code,name,province\n030100,某市,030000\n", "areas.csv", 2, 1,
     "area code '030100' is not 6 digits"},
    {NULL, "code,name,province\n330100,杭州市,32000\n", "areas.csv", 2, 3,
     "province code '32000' is not 6 digits"},
    {NULL, "code,name,province\n330100,杭州市,320000\n", "areas.csv", 2, 3,
     "province 320000 does not match area 330100"},
    {NULL, "code,name,province\n990100,某市,990000\n", "areas.csv", 2, 3,
     "province 990000 is not in provinces.csv"},
    {NULL,
     "code,name,province\n330100,杭州市,330000\n110100,北京市,110000\n"
     "330100,杭州,330000\n",
     "areas.csv", 4, 1, "area 330100 repeats line 2"},
    {NULL, "code,name,province\n330100,\"杭州市\",330000\n", "areas.csv", 2, 2,
     "quoted field"},
    {NULL, "code,name,province\n330100, 杭州市,330000\n", "areas.csv", 2, 2,
     "field ' 杭州市' has surrounding spaces"},
    {NULL, "code,name,province\n330100,,330000\n", "areas.csv", 2, 2,
     "empty field"},
    {NULL, "code,name,province\n110100,北京市,110000\n\n330100,杭州市,330000\n",
     "areas.csv", 3, 0, "empty line"},
    {NULL, "code,name,province\n330100,\xBA\xBC\xD6\xDD,330000\n", "areas.csv",
     2, 0, "line is not UTF-8"},
    {NULL, "", "areas.csv", 1, 0, "empty file"},
    {NULL, "code;name;province\n", "areas.csv", 1, 0, "header is"},
};

static void
test_refdata_load_malformed(void **state)
{
    (void)state;

    for (size_t i = 0; i < ARRAY_SIZE(bad_cases); i++) {
        struct tmpdata td;
        struct diag err;
        const char *prov = bad_cases[i].provinces;
        const char *areas = bad_cases[i].areas;

        tmpdata_init(&td, prov != NULL ? prov : GOOD_PROVINCES,
                     areas != NULL ? areas : GOOD_AREAS);
        diag_clear(&err);
        struct refdata *rd = refdata_load(td.dir, &err);
        if (rd != NULL)
            fail_msg("case %zu: accepted", i);
        if (err.code != DIAG_CONFIG || err.file == NULL ||
            strcmp(err.file, bad_cases[i].file) != 0 ||
            err.line != bad_cases[i].line || err.col != bad_cases[i].col ||
            strncmp(err.msg, bad_cases[i].msg, strlen(bad_cases[i].msg)) != 0) {
            fprintf(stderr, "case %zu: got ", i);
            diag_print(stderr, &err);
            fail_msg("case %zu: want %s:%lu:%lu: %s", i, bad_cases[i].file,
                     bad_cases[i].line, bad_cases[i].col, bad_cases[i].msg);
        }
        /* the message says where the file was */
        assert_non_null(strstr(err.msg, td.dir));
        tmpdata_release(&td);
    }
}

static void
test_refdata_load_nul_byte(void **state)
{
    static const char areas[] = "code,name,province\n"
                                "330100,杭\0州,330000\n";
    struct tmpdata td;
    struct diag err;
    (void)state;

    tmpdata_init(&td, GOOD_PROVINCES, NULL);
    write_bytes(td.dir, "areas.csv", areas, sizeof(areas) - 1);
    diag_clear(&err);
    assert_null(refdata_load(td.dir, &err));
    assert_int_equal(err.code, DIAG_CONFIG);
    assert_string_equal(err.file, "areas.csv");
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.msg, "NUL byte"));
    tmpdata_release(&td);
}

static void
test_refdata_load_missing(void **state)
{
    struct tmpdata td;
    struct diag err;
    (void)state;

    tmpdata_init(&td, NULL, NULL);
    diag_clear(&err);
    assert_null(refdata_load(td.dir, &err));
    assert_int_equal(err.code, DIAG_CONFIG);
    assert_null(err.file);
    assert_non_null(strstr(err.msg, "provinces.csv"));
    assert_non_null(strstr(err.msg, td.dir));
    tmpdata_release(&td);

    tmpdata_init(&td, GOOD_PROVINCES, NULL);
    diag_clear(&err);
    assert_null(refdata_load(td.dir, &err));
    assert_int_equal(err.code, DIAG_CONFIG);
    assert_non_null(strstr(err.msg, "areas.csv"));
    tmpdata_release(&td);
}

/* ---------------------------------------------------------------------- */
/* refdata_default_dir                                                     */
/* ---------------------------------------------------------------------- */

static void
test_refdata_default_dir(void **state)
{
    char buf[4096];
    (void)state;

    assert_string_equal(
        refdata_default_dir("/srv/gongji-ref", buf, sizeof(buf)),
        "/srv/gongji-ref");

    /* without one: ../data beside the binary, or the installed directory */
    const char *dir = refdata_default_dir(NULL, buf, sizeof(buf));
    size_t len = strlen(dir);
    assert_true(len >= 5 && strcmp(dir + len - 5, "/data") == 0);
    char again[4096];
    assert_string_equal(refdata_default_dir("", again, sizeof(again)), dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_refdata_load_real_consistent,
                                        setup_real, teardown_real),
        cmocka_unit_test_setup_teardown(test_refdata_province_at_release_order,
                                        setup_real, teardown_real),
        cmocka_unit_test_setup_teardown(test_refdata_area_known, setup_real,
                                        teardown_real),
        cmocka_unit_test_setup_teardown(test_refdata_area_unknown, setup_real,
                                        teardown_real),
        cmocka_unit_test_setup_teardown(test_refdata_find_province, setup_real,
                                        teardown_real),
        cmocka_unit_test_setup_teardown(test_refdata_find_area, setup_real,
                                        teardown_real),
        cmocka_unit_test(test_refdata_load_bom_crlf_unsorted),
        cmocka_unit_test(test_refdata_load_empty_areas),
        cmocka_unit_test(test_refdata_load_malformed),
        cmocka_unit_test(test_refdata_load_nul_byte),
        cmocka_unit_test(test_refdata_load_missing),
        cmocka_unit_test(test_refdata_default_dir),
    };

    return cmocka_run_group_tests_name("refdata", tests, NULL, NULL);
}
