/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_schema.c - the one column table (ingest/schema.h) and
 * the shipped vocabulary (ingest/vocab.h): header names of both kinds of
 * file, unit suffixes, value synonyms, and the checks on the tables
 * themselves.
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
#include <unistd.h>

#include "common/diag.h"
#include "ingest/codes.h"
#include "ingest/schema.h"
#include "ingest/vocab.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static struct vocab *
shipped(void)
{
    const char *dir = getenv("GONGJI_DATA");
    struct diag err;

    diag_clear(&err);
    struct vocab *v = vocab_load(dir != NULL ? dir : "data", NULL, &err);
    if (v == NULL)
        fail_msg("vocab_load: %s", err.msg);
    return v;
}

/* Map a header given as one comma-separated line (no quoting). */
static int
map(struct schema *sc, const struct vocab *v, const char *line,
    struct diag_list *dl)
{
    struct schema_cell cells[32];
    size_t n = 0;
    const char *p = line;

    for (;;) {
        const char *e = strchr(p, ',');
        size_t len = e != NULL ? (size_t)(e - p) : strlen(p);
        assert_true(n < ARRAY_SIZE(cells));
        cells[n++] = (struct schema_cell){p, len};
        if (e == NULL)
            break;
        p = e + 1;
    }
    return schema_map(sc, v, cells, n,
                      schema_is_detail(v, cells, n) ? FILE_DETAIL
                                                    : FILE_SUMMARY,
                      "h.csv", 1, dl);
}

static const struct diag *
find(const struct diag_list *dl, const char *phrase)
{
    for (size_t i = 0; i < dl->nr; i++)
        if (strstr(dl->items[i].msg, phrase) != NULL)
            return &dl->items[i];
    diag_list_print(stderr, dl);
    fail_msg("no problem mentions \"%s\"", phrase);
    return NULL;
}

static void
test_schema_summary_headers(void **state)
{
    struct vocab *v = shipped();
    static const char *const ok[] = {
        "period,area,scope,use,person_times,amount",
        "PERIOD,Area,SCOPE,Use,Person_Times,AMOUNT",
        "统计期,统筹区编码,共济范围,共济用途,共济人次,共济金额",
        "月份,医保区划,共济范围,共济用途,共济人次(人次),共济金额(元)",
        " 统计月份 ,医保区划代码,共济范围,共济用途,共济人次,共济金额（元）",
        "amount (yuan),person_times,use,scope,area,period",
        "统计年月,医保区划编码,共济地域,用途,共济人次（人次）,共济支出金额",
        "统计年月,统筹区代码,共济范围,共济用途,共济人次,共济金额（元）",
    };
    (void)state;

    for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
        struct schema sc;
        struct diag_list dl = DIAG_LIST_INIT;
        if (map(&sc, v, ok[i], &dl) != 0 || dl.nr != 0) {
            diag_list_print(stderr, &dl);
            fail_msg("header %zu: %s", i, ok[i]);
        }
        assert_int_equal(sc.kind, FILE_SUMMARY);
        assert_int_equal(sc.nfields, 6);
        assert_true(sc.idx[COL_AMOUNT] >= 0);
        assert_int_equal(sc.idx[COL_RELATION], -1);
        diag_list_release(&dl);
    }
    struct schema sc;
    struct diag_list dl = DIAG_LIST_INIT;
    assert_int_equal(map(&sc, v, ok[5], &dl), 0);
    assert_int_equal(sc.idx[COL_AMOUNT], 0);
    assert_int_equal(sc.idx[COL_PERIOD], 5);
    diag_list_release(&dl);
    vocab_free(v);
}

/*
 * 共济金额(万元) stored as yuan would be 10,000 times too small: a summary
 * file records the unit, a detail file refuses it.
 */
static void
test_schema_units(void **state)
{
    struct vocab *v = shipped();
    static const struct {
        const char *header;
        enum column c;
        const char *unit;
        int exp10;
    } ok[] = {
        {"统计期,统筹区编码,共济范围,共济用途,共济人次,共济金额(万元)",
         COL_AMOUNT, "万元", 4},
        {"统计期,统筹区编码,共济范围,共济用途,共济人次,共济金额（万元）",
         COL_AMOUNT, "万元", 4},
        {"统计期,统筹区编码,共济范围,共济用途,共济人次,共济金额 （亿元）",
         COL_AMOUNT, "亿元", 8},
        {"统计期,统筹区编码,共济范围,共济用途,共济人次(万人次),共济金额",
         COL_PERSON_TIMES, "万人次", 4},
        {"统计期,统筹区编码,共济范围,共济用途,共济人次,共济金额(元)",
         COL_AMOUNT, "元", 0},
    };
    static const struct {
        const char *header;
        const char *phrase;
        unsigned long col;
    } bad[] = {
        {"统计期,统筹区编码,共济范围,共济用途,共济人次(元),共济金额",
         "元 is not a unit of person_times", 5},
        {"统计期(元),统筹区编码,共济范围,共济用途,共济人次,共济金额",
         "元 is not a unit of period", 1},
        {"结算编号,结算时间,共济人统筹区,被共济人统筹区,共济用途,"
         "共济金额(万元)",
         "is in 万元: a detail file's amount is read in 元 only", 6},
    };
    (void)state;

    for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
        struct schema sc;
        struct diag_list dl = DIAG_LIST_INIT;
        assert_int_equal(map(&sc, v, ok[i].header, &dl), 0);
        assert_int_equal(dl.nr, 0);
        assert_non_null(sc.unit[ok[i].c]);
        assert_string_equal(sc.unit[ok[i].c]->name, ok[i].unit);
        assert_int_equal(sc.exp10[ok[i].c], ok[i].exp10);
        enum column other =
            ok[i].c == COL_AMOUNT ? COL_PERSON_TIMES : COL_AMOUNT;
        assert_null(sc.unit[other]);
        assert_int_equal(sc.exp10[other], 0);
        diag_list_release(&dl);
    }
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        struct schema sc;
        struct diag_list dl = DIAG_LIST_INIT;
        assert_int_equal(map(&sc, v, bad[i].header, &dl), -1);
        const struct diag *d = find(&dl, bad[i].phrase);
        assert_int_equal(d->severity, DIAG_ERROR);
        assert_int_equal(d->line, 1);
        assert_int_equal(d->col, bad[i].col);
        diag_list_release(&dl);
    }
    /* a bracketed part that is no unit: an unknown column, not amount */
    struct schema sc;
    struct diag_list dl = DIAG_LIST_INIT;
    assert_int_equal(
        map(&sc, v,
            "统计期,统筹区编码,共济范围,共济用途,共济人次,共济金额(累计)", &dl),
        -1);
    assert_int_equal(find(&dl, "not one gongji uses")->severity, DIAG_WARNING);
    find(&dl, "required column amount (共济金额) is missing from the header");
    diag_list_release(&dl);
    vocab_free(v);
}

/* Split a row given as one '|'-separated line into cells. */
static size_t
cells_of(struct schema_cell *cells, size_t max, const char *line)
{
    size_t n = 0;
    const char *p = line;

    for (;;) {
        const char *e = strchr(p, '|');
        size_t len = e != NULL ? (size_t)(e - p) : strlen(p);
        assert_true(n < max);
        cells[n++] = (struct schema_cell){p, len};
        if (e == NULL)
            break;
        p = e + 1;
    }
    return n;
}

/* Unit rows above a header: what they say, and when they are refused. */
static void
test_schema_unit_rows(void **state)
{
    struct vocab *v = shipped();
    static const struct {
        const char *row;
        int rc;
        const char *amount, *count; /* units said, or NULL */
        const char *phrase;         /* the message when rc == -1 */
    } cases[] = {
        {"单位：万元、人次", 1, "万元", "人次", NULL},
        {"单位:万元,人次", 1, "万元", "人次", NULL},
        {"单位： 万元 ，万人次", 1, "万元", "万人次", NULL},
        {"金额单位：万元", 1, "万元", NULL, NULL},
        {"（单位：亿元）", 1, "亿元", NULL, NULL},
        {"(单位:元)", 1, "元", NULL, NULL},
        {"【单位：万元】", 1, "万元", NULL, NULL},
        {"人次单位：万人次", 1, NULL, "万人次", NULL},
        {"\u3000单位：万元\u3000", 1, "万元", NULL, NULL},
        {"单位：万元/万人次", 1, "万元", "万人次", NULL},
        {"单位：万元；人次", 1, "万元", "人次", NULL},
        {"填报单位：浙江省医保局||||单位：万元", 1, "万元", NULL, NULL},
        {"单位：万元|金额单位：万元", 1, "万元", NULL, NULL},
        /* not unit rows */
        {"填报单位：浙江省医保局", 0, NULL, NULL, NULL},
        {"2024年9月职工医保个人账户共济情况||||", 0, NULL, NULL, NULL},
        {"单位名称|统计期", 0, NULL, NULL, NULL},
        {"period|area|scope|use|person_times|amount", 0, NULL, NULL, NULL},
        {"单位", 0, NULL, NULL, NULL},
        /* unit rows that are not understood or ambiguous */
        {"单位：万元、元", -1, NULL, NULL,
         "unit row '单位：万元、元' names both 万元 and 元 for amounts: which "
         "applies to which column is ambiguous"},
        {"单位：万", -1, NULL, NULL,
         "unit row '单位：万': '万' is not a unit (data/units.csv)"},
        {"单位：千元", -1, NULL, NULL,
         "unit row '单位：千元': '千元' is not a unit (data/units.csv)"},
        {"单位：", -1, NULL, NULL, "unit row '单位：' names no unit"},
        {"金额单位：人次", -1, NULL, NULL,
         "unit row '金额单位：人次': 人次 is not a unit of amounts"},
        {"单位：万元|金额单位：元", -1, NULL, NULL,
         "unit row '金额单位：元' says 元 for amounts but line 3 says 万元: "
         "which applies is ambiguous"},
    };
    (void)state;

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct schema_cell cells[8];
        struct schema_units u;
        struct diag_list dl = DIAG_LIST_INIT;
        size_t n = cells_of(cells, ARRAY_SIZE(cells), cases[i].row);

        memset(&u, 0, sizeof(u));
        int rc = schema_unit_row(&u, v, cells, n, "h.csv", 3, &dl);
        if (rc != cases[i].rc)
            fail_msg("%s: rc %d, want %d (%s)", cases[i].row, rc, cases[i].rc,
                     dl.nr ? dl.items[0].msg : "");
        if (rc < 0) {
            assert_int_equal(dl.nr, 1);
            assert_string_equal(dl.items[0].msg, cases[i].phrase);
            assert_int_equal(dl.items[0].line, 3);
        } else {
            assert_int_equal(dl.nr, 0);
            const char *want[2] = {
                [UNIT_AMOUNT] = cases[i].amount, [UNIT_COUNT] = cases[i].count};
            for (int m = 0; m < 2; m++) {
                if (want[m] == NULL) {
                    assert_null(u.unit[m]);
                } else {
                    assert_non_null(u.unit[m]);
                    assert_string_equal(u.unit[m]->name, want[m]);
                    assert_int_equal(u.line[m], 3);
                }
            }
        }
        diag_list_release(&dl);
    }
    vocab_free(v);
}

/* A unit row applies to the columns without a unit of their own. */
static void
test_schema_apply_units(void **state)
{
    struct vocab *v = shipped();
    struct schema_cell row[4], hdr[8];
    struct schema_units u;
    struct schema sc;
    struct diag_list dl = DIAG_LIST_INIT;
    (void)state;

    memset(&u, 0, sizeof(u));
    size_t n = cells_of(row, ARRAY_SIZE(row), "单位：万元、万人次");
    assert_int_equal(schema_unit_row(&u, v, row, n, "h.csv", 1, &dl), 1);
    n = cells_of(hdr, ARRAY_SIZE(hdr),
                 "统计期|统筹区编码|共济范围|共济用途|共济人次|共济金额");
    assert_int_equal(schema_map(&sc, v, hdr, n, FILE_SUMMARY, "h.csv", 2, &dl),
                     0);
    assert_int_equal(schema_apply_units(&sc, &u, hdr, n, "h.csv", 2, &dl), 0);
    assert_int_equal(sc.exp10[COL_AMOUNT], 4);
    assert_int_equal(sc.exp10[COL_PERSON_TIMES], 4);

    /* the header says the same: fine; something else: ambiguous */
    n = cells_of(hdr, ARRAY_SIZE(hdr),
                 "统计期|统筹区编码|共济范围|共济用途|共济人次|共济金额(万元)");
    assert_int_equal(schema_map(&sc, v, hdr, n, FILE_SUMMARY, "h.csv", 2, &dl),
                     0);
    assert_int_equal(schema_apply_units(&sc, &u, hdr, n, "h.csv", 2, &dl), 0);
    assert_int_equal(sc.exp10[COL_AMOUNT], 4);
    assert_int_equal(dl.nr, 0);
    n = cells_of(hdr, ARRAY_SIZE(hdr),
                 "统计期|统筹区编码|共济范围|共济用途|共济人次|共济金额(元)");
    assert_int_equal(schema_map(&sc, v, hdr, n, FILE_SUMMARY, "h.csv", 2, &dl),
                     0);
    assert_int_equal(schema_apply_units(&sc, &u, hdr, n, "h.csv", 2, &dl), -1);
    assert_int_equal(dl.nr, 1);
    assert_string_equal(dl.items[0].msg,
                        "column '共济金额(元)' is in 元 but the unit row (line "
                        "1) says 万元: which applies is ambiguous");
    assert_int_equal(dl.items[0].col, 6);
    diag_list_release(&dl);
    vocab_free(v);
}

static void
test_schema_problems(void **state)
{
    struct vocab *v = shipped();
    struct schema sc;
    struct diag_list dl = DIAG_LIST_INIT;
    (void)state;

    assert_int_equal(map(&sc, v, "period,统计期,,scope,备注,amount", &dl), -1);
    const struct diag *d = find(&dl, "appears twice (also field 1)");
    assert_int_equal(d->col, 2);
    d = find(&dl, "header field 3 is empty");
    assert_int_equal(d->col, 3);
    d = find(&dl, "column '备注' is not one gongji uses; ignored");
    assert_int_equal(d->severity, DIAG_WARNING);
    /* the missing ones, in file order, with their usual Chinese names */
    size_t k = 0;
    static const char *const missing[] = {"area (统筹区编码)", "use (共济用途)",
                                          "person_times (共济人次)"};
    for (size_t i = 0; i < dl.nr; i++)
        if (strstr(dl.items[i].msg, "required column") != NULL) {
            assert_true(k < ARRAY_SIZE(missing));
            assert_non_null(strstr(dl.items[i].msg, missing[k]));
            k++;
        }
    assert_int_equal(k, ARRAY_SIZE(missing));
    diag_list_release(&dl);
    vocab_free(v);
}

static void
test_schema_detail_headers(void **state)
{
    struct vocab *v = shipped();
    struct schema sc;
    struct diag_list dl = DIAG_LIST_INIT;
    (void)state;

    assert_int_equal(map(&sc, v,
                         "结算编号,结算时间,共济人统筹区编码,被共济人统筹区,"
                         "共济用途,共济关系,共济金额(元),共济人身份证号,"
                         "被共济人编号",
                         &dl),
                     0);
    assert_int_equal(dl.nr, 0);
    assert_int_equal(sc.kind, FILE_DETAIL);
    for (int c = 0; c < COL_N; c++)
        if (c != COL_CHANNEL) /* optional, and not in this header */
            assert_int_equal(sc.idx[c] >= 0,
                             schema_column_used((enum column)c, FILE_DETAIL));
    assert_int_equal(sc.idx[COL_BENEFICIARY_ID], 8);
    assert_int_equal(sc.idx[COL_CHANNEL], -1);
    diag_list_release(&dl);

    /* summary-only columns in a detail file are ignored, not used */
    diag_list_init(&dl);
    assert_int_equal(map(&sc, v, "settle_time,period,use", &dl), -1);
    assert_int_equal(sc.kind, FILE_DETAIL);
    assert_int_equal(sc.idx[COL_PERIOD], -1);
    find(&dl, "column 'period' is not one gongji uses");
    find(&dl, "required column payer_area (共济人统筹区) is missing from the "
              "detail header");
    find(&dl, "required column amount (共济金额) is missing from the detail "
              "header");
    diag_list_release(&dl);
    vocab_free(v);
}

/* ---------------------------------------------------------------------- */
/* The tables                                                             */
/* ---------------------------------------------------------------------- */

static void
write_file(const char *dir, const char *name, const char *text)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
}

static void
remove_dir(const char *dir)
{
    static const char *const names[] = {"columns.csv", "units.csv",
                                        "values.csv"};
    char path[128];
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        unlink(path);
    }
    assert_int_equal(rmdir(dir), 0);
}

/* Load a vocabulary from the given files: NULL, with err set, on error. */
static struct vocab *
load(const char *columns, const char *units, const char *values,
     struct diag *err)
{
    char dir[64];
    snprintf(dir, sizeof(dir), "/tmp/test_schema.XXXXXX");
    assert_non_null(mkdtemp(dir));
    write_file(dir, "columns.csv", columns);
    write_file(dir, "units.csv", units);
    write_file(dir, "values.csv", values);
    diag_clear(err);
    struct vocab *v = vocab_load(dir, NULL, err);
    remove_dir(dir);
    return v;
}

#define COLS  "column,header\n"
#define UNITS "unit,measure,factor\n"
#define VALS  "set,code,value\n"

static void
test_vocab_extended(void **state)
{
    struct diag err;
    (void)state;

    struct vocab *v =
        load(COLS "person_times,共济人次数\namount,Gongji Amount\n",
             UNITS "元,amount,1\nRMB,amount,1\n",
             VALS "scope,same_area,本统筹区\nuse,pharmacy,Drugstore\n", &err);
    if (v == NULL)
        fail_msg("%s", err.msg);
    assert_int_equal(vocab_column(v, "共济人次数", strlen("共济人次数")),
                     COL_PERSON_TIMES);
    assert_int_equal(vocab_column(v, "gongji amount", 13), COL_AMOUNT);
    assert_int_equal(vocab_column(v, "settle_time", 11), COL_SETTLE_TIME);
    assert_int_equal(vocab_column(v, "共济金额", strlen("共济金额")), -1);
    assert_string_equal(vocab_column_alias(v, COL_PERSON_TIMES), "共济人次数");
    assert_null(vocab_column_alias(v, COL_PERIOD));
    assert_int_equal(schema_lookup(v, "Gongji Amount (rmb)", 19, NULL),
                     COL_AMOUNT);
    assert_int_equal(
        vocab_value(v, CODESET_SCOPE, "本统筹区", strlen("本统筹区")),
        SCOPE_SAME_AREA);
    assert_int_equal(vocab_value(v, CODESET_USE, "DRUGSTORE", 9), USE_PHARMACY);
    assert_int_equal(vocab_value(v, CODESET_SCOPE, "Drugstore", 9), -1);
    /* codes and display names need no table */
    assert_int_equal(vocab_value(v, CODESET_SCOPE, "跨省", strlen("跨省")),
                     SCOPE_CROSS_PROVINCE);
    assert_int_equal(vocab_value(v, CODESET_SCOPE, "省际", strlen("省际")), -1);
    vocab_free(v);
}

static void
test_vocab_bad_tables(void **state)
{
    static const struct {
        const char *columns, *units, *values;
        const char *file;
        unsigned long line;
        const char *phrase;
    } cases[] = {
        {COLS "amout,共济金额\n", UNITS, VALS, "columns.csv", 2,
         "'amout' is not a column"},
        {COLS "amount,共济金额\nperson_times,共济金额\n", UNITS, VALS,
         "columns.csv", 3, "already names column amount"},
        {COLS "amount,共济金额\namount,共济金额\n", UNITS, VALS, "columns.csv",
         3, "repeats line 2"},
        {COLS "amount,period\n", UNITS, VALS, "columns.csv", 2,
         "already names column period"},
        {"column,name\n", UNITS, VALS, "columns.csv", 1, "expected"},
        {COLS, UNITS "元,money,1\n", VALS, "units.csv", 2, "measure 'money'"},
        {COLS, UNITS "万元,amount,12000\n", VALS, "units.csv", 2,
         "factor '12000'"},
        {COLS, UNITS "元,amount,1\n元,amount,1\n", VALS, "units.csv", 3,
         "repeats line 2"},
        {COLS, UNITS, VALS "scope,same_area,跨省\n", "values.csv", 2,
         "already means scope cross_province"},
        {COLS, UNITS, VALS "scope,same,本地\n", "values.csv", 2,
         "'same' is not a scope code"},
        {COLS, UNITS, VALS "scope,同一统筹区,本地\n", "values.csv", 2,
         "is not a scope code"},
        {COLS, UNITS, VALS "area,same_area,本地\n", "values.csv", 2,
         "'area' is not channel, scope, use or relation"},
        {COLS, UNITS, VALS "use,other,杂项\nuse,other,杂项\n", "values.csv", 3,
         "repeats line 2"},
        {COLS, UNITS, VALS "use,other,杂项\nuse,medical,杂项\n", "values.csv",
         3, "'杂项' already means use other (line 2)"},
        {COLS, UNITS, VALS "use,other,\n", "values.csv", 2, "empty field"},
    };
    (void)state;

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct diag err;
        struct vocab *v =
            load(cases[i].columns, cases[i].units, cases[i].values, &err);
        if (v != NULL)
            fail_msg("case %zu loaded", i);
        assert_int_equal(err.code, DIAG_CONFIG);
        assert_non_null(err.file);
        assert_string_equal(err.file, cases[i].file);
        if (err.line != cases[i].line ||
            strstr(err.msg, cases[i].phrase) == NULL)
            fail_msg("case %zu: %s:%lu: %s", i, err.file, err.line, err.msg);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema_summary_headers),
        cmocka_unit_test(test_schema_units),
        cmocka_unit_test(test_schema_unit_rows),
        cmocka_unit_test(test_schema_apply_units),
        cmocka_unit_test(test_schema_problems),
        cmocka_unit_test(test_schema_detail_headers),
        cmocka_unit_test(test_vocab_extended),
        cmocka_unit_test(test_vocab_bad_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
