/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_summary.c - reading and validating a monthly summary
 * file from memory (DESIGN §3): headers, values, coverage, and every
 * validation rule with its FILE:LINE:COL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/diag.h"
#include "ingest/codes.h"
#include "ingest/refdata.h"
#include "ingest/summary.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define FILE_NAME "in.csv"
#define HDR       "period,area,scope,use,relation,person_times,amount\n"
#define ROW       "2024-09,330100,same_area,medical,spouse,10,12.30\n"

struct fixture {
    struct refdata *rd;
    struct submission sf;
    struct diag_list dl;
};

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    const char *dir = getenv("GONGJI_DATA");
    struct diag err;

    if (f == NULL)
        return -1;
    diag_clear(&err);
    f->rd = refdata_load(dir != NULL ? dir : "data", &err);
    if (f->rd == NULL) {
        diag_print(stderr, &err);
        free(f);
        return -1;
    }
    submission_init(&f->sf);
    diag_list_init(&f->dl);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;

    submission_release(&f->sf);
    diag_list_release(&f->dl);
    refdata_free(f->rd);
    free(f);
    return 0;
}

/* Parse buf[0..len) afresh (previous results released). */
static int
parse_len(struct fixture *f, const char *buf, size_t len, bool strict)
{
    const struct ingest_opts opts = {ENC_AUTO, strict, NULL};

    submission_release(&f->sf);
    diag_list_release(&f->dl);
    diag_list_init(&f->dl);
    return summary_parse(&f->sf, FILE_NAME, buf, len, &opts, f->rd, &f->dl);
}

static int
parse(struct fixture *f, const char *csv, bool strict)
{
    return parse_len(f, csv, strlen(csv), strict);
}

/* On failure, show what was reported. */
static void
dump(const struct fixture *f)
{
    diag_list_print(stderr, &f->dl);
}

static void
assert_diag(const struct fixture *f, size_t i, enum diag_severity sev,
            enum diag_code code, unsigned long line, unsigned long col,
            const char *phrase)
{
    if (i >= f->dl.nr) {
        dump(f);
        fail_msg("diagnostic %zu missing (only %zu)", i, f->dl.nr);
    }
    const struct diag *d = &f->dl.items[i];
    if (d->severity != sev || d->code != code || d->line != line ||
        d->col != col || strstr(d->msg, phrase) == NULL) {
        dump(f);
        fail_msg("diagnostic %zu: got sev %d code %d at %lu:%lu \"%s\"; "
                 "want sev %d code %d at %lu:%lu containing \"%s\"",
                 i, (int)d->severity, (int)d->code, d->line, d->col, d->msg,
                 (int)sev, (int)code, line, col, phrase);
    }
    assert_non_null(d->file);
    assert_string_equal(d->file, FILE_NAME);
}

/* A rejected file: nothing the caller could store. */
static void
assert_rejected(const struct fixture *f)
{
    assert_int_equal(f->sf.nrows, 0);
    assert_null(f->sf.rows);
    assert_int_equal(f->sf.ncover, 0);
    assert_null(f->sf.cover);
}

static void
assert_record(const struct record *r, int period, int area, int scope, int use,
              int relation, int64_t pt, int64_t fen, unsigned long line)
{
    assert_int_equal(period_to_yyyymm(r->period), period);
    assert_int_equal(r->area, area);
    assert_int_equal(r->scope, scope);
    assert_int_equal(r->use, use);
    assert_int_equal(r->relation, relation);
    assert_int_equal(r->person_times, pt);
    assert_int_equal(r->amount_fen, fen);
    assert_int_equal(r->line, line);
}

/* ******************************************************************** */
/* Valid files                                                          */
/* ******************************************************************** */

static void
test_summary_parse_english_headers(void **state)
{
    struct fixture *f = *state;
    static const char csv[] =
        HDR "2024-09,330100,same_area,medical,spouse,10,12.30\n"
            "202409,330200,cross_area,pharmacy,parent,5,100\n"
            "2024-9,330100,cross_province,premium,grandparent,0,0.5\n"
            "2024-09,330100,same_area,other,unspecified,1,\"1,234,567.89\"\n";

    int rc = parse(f, csv, false);
    if (rc != 0)
        dump(f);
    assert_int_equal(rc, 0);
    assert_int_equal(f->dl.errors, 0);
    assert_int_equal(f->dl.warnings, 0);
    assert_int_equal(f->sf.nrows, 4);
    assert_record(&f->sf.rows[0], 202409, 330100, SCOPE_SAME_AREA, USE_MEDICAL,
                  REL_SPOUSE, 10, 1230, 2);
    assert_record(&f->sf.rows[1], 202409, 330200, SCOPE_CROSS_AREA,
                  USE_PHARMACY, REL_PARENT, 5, 10000, 3);
    assert_record(&f->sf.rows[2], 202409, 330100, SCOPE_CROSS_PROVINCE,
                  USE_PREMIUM, REL_GRANDPARENT, 0, 50, 4);
    assert_record(&f->sf.rows[3], 202409, 330100, SCOPE_SAME_AREA, USE_OTHER,
                  REL_UNSPECIFIED, 1, 123456789, 5);
    assert_int_equal(f->sf.encoding, ENC_UTF8);
    assert_int_equal(f->sf.had_bom, 0);
    assert_int_equal(f->sf.bytes, strlen(csv));
    assert_ptr_equal(f->sf.path, FILE_NAME);
}

static void
test_summary_parse_chinese_headers_and_values(void **state)
{
    struct fixture *f = *state;
    /* another column order, an ignored-free set of Chinese headers */
    static const char csv[] =
        "共济金额,共济人次,共济关系,共济用途,共济范围,统筹区名称,"
        "统筹区编码,统计期\n"
        "\"1,234.56\",7,子女,定点零售药店,跨省,杭州市,330100,2024年9月\n"
        "0.01,1,祖父母/外祖父母,参加居民医保等个人缴费,省内跨统筹区,"
        "宁波市,330200,2024年09月\n"
        "5,2,兄弟姐妹,定点医疗机构,同一统筹区,杭州市,330100,202409\n"
        "6,3,孙子女/外孙子女,其他,同一统筹区,杭州市,330100,2024-09\n";

    int rc = parse(f, csv, false);
    if (rc != 0)
        dump(f);
    assert_int_equal(rc, 0);
    assert_int_equal(f->dl.nr, 0);
    assert_int_equal(f->sf.nrows, 4);
    assert_record(&f->sf.rows[0], 202409, 330100, SCOPE_CROSS_PROVINCE,
                  USE_PHARMACY, REL_CHILD, 7, 123456, 2);
    assert_record(&f->sf.rows[1], 202409, 330200, SCOPE_CROSS_AREA, USE_PREMIUM,
                  REL_GRANDPARENT, 1, 1, 3);
    assert_record(&f->sf.rows[2], 202409, 330100, SCOPE_SAME_AREA, USE_MEDICAL,
                  REL_SIBLING, 2, 500, 4);
    assert_record(&f->sf.rows[3], 202409, 330100, SCOPE_SAME_AREA, USE_OTHER,
                  REL_GRANDCHILD, 3, 600, 5);
}

static void
test_summary_parse_alias_headers(void **state)
{
    struct fixture *f = *state;
    static const char csv[] = "月份,医保区划,共济范围,共济用途,共济人次,"
                              "共济金额\n"
                              "2024-09,330100,同一统筹区,医疗机构,4,4.00\n";

    int rc = parse(f, csv, false);
    if (rc != 0)
        dump(f);
    assert_int_equal(rc, 0);
    assert_int_equal(f->sf.nrows, 1);
    assert_record(&f->sf.rows[0], 202409, 330100, SCOPE_SAME_AREA, USE_MEDICAL,
                  REL_UNSPECIFIED, 4, 400, 2);
}

static void
test_summary_parse_amount_header_with_unit(void **state)
{
    struct fixture *f = *state;
    static const char *const headers[] = {
        "统计期,统筹区编码,共济范围,共济用途,共济人次,共济金额(元)\n",
        "统计期,统筹区编码,共济范围,共济用途,共济人次,共济金额（元）\n",
        "统计期,统筹区编码,共济范围,共济用途,共济人次, 共济金额 (元) \n",
        "period,area,scope,use,person_times,Amount\n",
    };

    for (size_t i = 0; i < ARRAY_SIZE(headers); i++) {
        char csv[256];
        snprintf(csv, sizeof(csv), "%s%s", headers[i],
                 "2024-09,330100,跨省,其他,2,2.50\n");
        int rc = parse(f, csv, false);
        if (rc != 0 || f->dl.nr != 0) {
            dump(f);
            fail_msg("header %zu: %s", i, headers[i]);
        }
        assert_int_equal(f->sf.nrows, 1);
        assert_record(&f->sf.rows[0], 202409, 330100, SCOPE_CROSS_PROVINCE,
                      USE_OTHER, REL_UNSPECIFIED, 2, 250, 2);
    }
}

/* 万元, 亿元 and 万人次 in the header: values converted exactly. */
static void
test_summary_parse_scaled_units(void **state)
{
    struct fixture *f = *state;
    static const char csv[] =
        "统计期,统筹区编码,共济范围,共济用途,共济人次(万人次),共济金额(万元)\n"
        "2024-09,330100,同一统筹区,医疗机构,1.5,1.2345\n"
        "2024-09,330200,同一统筹区,医疗机构,21.808,1\n"
        "2024-09,330300,同一统筹区,医疗机构,0.0001,0.000001\n"
        "2024-09,330400,同一统筹区,医疗机构,2,9.876543\n";
    static const char yi[] =
        "统计期,统筹区编码,共济范围,共济用途,共济人次,共济金额（亿元）\n"
        "2024-09,330100,同一统筹区,医疗机构,3,3.0457\n"
        "2024-09,330200,同一统筹区,医疗机构,3,0.0000000001\n";

    int rc = parse(f, csv, false);
    if (rc != 0 || f->dl.nr != 0)
        dump(f);
    assert_int_equal(rc, 0);
    assert_int_equal(f->sf.nrows, 4);
    assert_record(&f->sf.rows[0], 202409, 330100, SCOPE_SAME_AREA, USE_MEDICAL,
                  REL_UNSPECIFIED, 15000, 1234500, 2);
    assert_record(&f->sf.rows[1], 202409, 330200, SCOPE_SAME_AREA, USE_MEDICAL,
                  REL_UNSPECIFIED, 218080, 1000000, 3);
    assert_record(&f->sf.rows[2], 202409, 330300, SCOPE_SAME_AREA, USE_MEDICAL,
                  REL_UNSPECIFIED, 1, 1, 4);
    assert_record(&f->sf.rows[3], 202409, 330400, SCOPE_SAME_AREA, USE_MEDICAL,
                  REL_UNSPECIFIED, 20000, 9876543, 5);

    rc = parse(f, yi, false);
    if (rc != 0 || f->dl.nr != 0)
        dump(f);
    assert_int_equal(rc, 0);
    assert_record(&f->sf.rows[0], 202409, 330100, SCOPE_SAME_AREA, USE_MEDICAL,
                  REL_UNSPECIFIED, 3, 30457000000, 2);
    assert_record(&f->sf.rows[1], 202409, 330200, SCOPE_SAME_AREA, USE_MEDICAL,
                  REL_UNSPECIFIED, 3, 1, 3);
}

/* A value that is not a whole fen or person-time in its unit: an error. */
static void
test_summary_parse_scaled_inexact(void **state)
{
    struct fixture *f = *state;
    static const char csv[] =
        "统计期,统筹区编码,共济范围,共济用途,共济人次(万人次),共济金额(万元)\n"
        "2024-09,330100,同一统筹区,医疗机构,1.23456,1.2345678\n";

    assert_int_equal(parse(f, csv, false), -1);
    assert_rejected(f);
    assert_diag(f, 0, DIAG_ERROR, DIAG_DATA, 2, 5,
                "person_times '1.23456' in 万人次 is not a whole number "
                "(more than 4 decimals)");
    assert_diag(f, 1, DIAG_ERROR, DIAG_DATA, 2, 6,
                "amount '1.2345678' in 万元 has more than 6 decimals: it is "
                "not a whole number of fen");
}

/* Unit rows and title rows above the header. */
static void
test_summary_parse_unit_and_title_rows(void **state)
{
    struct fixture *f = *state;
    static const char *const files[] = {
        "单位：万元、人次\n" HDR "2024-09,330100,same_area,medical,spouse,10,"
        "1.5\n",
        "单位:万元,人次,,,,,\n" HDR "2024-09,330100,same_area,medical,spouse,"
        "10,1.5\n",
        "金额单位：万元\n" HDR "2024-09,330100,same_area,medical,spouse,10,"
        "1.5\n",
        "2024年9月职工医保个人账户共济情况,,,,,,\n"
        "填报单位：浙江省医保局,,,,,,（单位：万元）\n" HDR
        "2024-09,330100,same_area,medical,spouse,10,1.5\n",
        "2024年9月职工医保个人账户共济情况\n"
        "填报单位：浙江省医保局\n"
        "单位：万元\n" HDR "2024-09,330100,same_area,medical,spouse,10,1.5\n",
        /* the header's own unit agrees with the unit row */
        "单位：万元\n"
        "period,area,scope,use,relation,person_times,amount(万元)\n"
        "2024-09,330100,same_area,medical,spouse,10,1.5\n",
    };
    static const unsigned long header_line[] = {2, 2, 2, 3, 4, 2};

    for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
        int rc = parse(f, files[i], false);
        if (rc != 0 || f->dl.nr != 1) {
            dump(f);
            fail_msg("file %zu", i);
        }
        assert_diag(f, 0, DIAG_WARNING, DIAG_FORMAT, header_line[i], 0,
                    "the header is line");
        assert_int_equal(f->sf.nrows, 1);
        assert_record(&f->sf.rows[0], 202409, 330100, SCOPE_SAME_AREA,
                      USE_MEDICAL, REL_SPOUSE, 10, 1500000, header_line[i] + 1);
    }

    /* 万人次 from the unit row, 元 from the header */
    int rc = parse(f,
                   "单位：万人次\n"
                   "period,area,scope,use,relation,person_times,amount(元)\n"
                   "2024-09,330100,same_area,medical,spouse,1.5,1.5\n",
                   false);
    assert_int_equal(rc, 0);
    assert_record(&f->sf.rows[0], 202409, 330100, SCOPE_SAME_AREA, USE_MEDICAL,
                  REL_SPOUSE, 15000, 150, 3);
}

static void
test_summary_parse_unit_rows_ambiguous(void **state)
{
    struct fixture *f = *state;
    static const struct {
        const char *csv;
        unsigned long line, col;
        const char *phrase;
    } cases[] = {
        {"单位：万元、元\n" HDR ROW, 1, 1,
         "names both 万元 and 元 for amounts: which applies to which column "
         "is ambiguous"},
        {"单位：万元\n金额单位：元\n" HDR ROW, 2, 1,
         "unit row '金额单位：元' says 元 for amounts but line 1 says 万元"},
        {"单位：万元\n"
         "period,area,scope,use,relation,person_times,amount(元)\n" ROW,
         2, 7,
         "column 'amount(元)' is in 元 but the unit row (line 1) says 万元: "
         "which applies is ambiguous"},
        {"单位：千元\n" HDR ROW, 1, 1, "'千元' is not a unit"},
        {"金额单位：人次\n" HDR ROW, 1, 1, "人次 is not a unit of amounts"},
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        assert_int_equal(parse(f, cases[i].csv, false), -1);
        assert_rejected(f);
        size_t k = 0;
        while (k < f->dl.nr && f->dl.items[k].severity != DIAG_ERROR)
            k++;
        assert_diag(f, k, DIAG_ERROR, DIAG_FORMAT, cases[i].line, cases[i].col,
                    cases[i].phrase);
    }
}

/* Number and period cells as spreadsheets and system exports write them. */
static void
test_summary_parse_value_shapes(void **state)
{
    struct fixture *f = *state;
    static const char csv[] =
        HDR "2024.09,330100,same_area,medical,spouse,218080.00,12.30\n"
            "2024-09-01,'330200,same_area,medical,spouse,１２,\"￥1,234.50\"\n"
            "2024/9/1,３３０３００,same_area,medical,spouse,\"1,000\",5元\n"
            "2024 年 9 月,330400,same_area,medical,spouse,\u30007\u3000,"
            "\"￥１，２３４．５０元\"\n";

    int rc = parse(f, csv, false);
    if (rc != 0 || f->dl.nr != 0)
        dump(f);
    assert_int_equal(rc, 0);
    assert_int_equal(f->sf.nrows, 4);
    assert_record(&f->sf.rows[0], 202409, 330100, SCOPE_SAME_AREA, USE_MEDICAL,
                  REL_SPOUSE, 218080, 1230, 2);
    assert_record(&f->sf.rows[1], 202409, 330200, SCOPE_SAME_AREA, USE_MEDICAL,
                  REL_SPOUSE, 12, 123450, 3);
    assert_record(&f->sf.rows[2], 202409, 330300, SCOPE_SAME_AREA, USE_MEDICAL,
                  REL_SPOUSE, 1000, 500, 4);
    assert_record(&f->sf.rows[3], 202409, 330400, SCOPE_SAME_AREA, USE_MEDICAL,
                  REL_SPOUSE, 7, 123450, 5);

    /* still refused: a fraction of a person-time, 2024.1 */
    rc = parse(f,
               HDR "2024-09,330100,same_area,medical,spouse,218080.50,1\n"
                   "2024.1,330200,same_area,medical,spouse,1,1\n",
               false);
    assert_int_equal(rc, -1);
    assert_diag(f, 0, DIAG_ERROR, DIAG_DATA, 2, 6,
                "person_times '218080.50' is not a whole number");
    assert_diag(f, 1, DIAG_ERROR, DIAG_DATA, 3, 1,
                "period '2024.1' is ambiguous");
}

static void
test_summary_parse_relation_missing_or_empty(void **state)
{
    struct fixture *f = *state;
    static const char no_column[] =
        "period,area,scope,use,person_times,amount\n"
        "2024-09,330100,same_area,medical,10,12.30\n";
    static const char empty_field[] =
        HDR "2024-09,330100,same_area,medical,,10,12.30\n"
            "2024-09,330200,same_area,medical,  ,1,1\n";

    assert_int_equal(parse(f, no_column, false), 0);
    assert_int_equal(f->sf.nrows, 1);
    assert_int_equal(f->sf.rows[0].relation, REL_UNSPECIFIED);

    assert_int_equal(parse(f, empty_field, false), 0);
    assert_int_equal(f->dl.nr, 0);
    assert_int_equal(f->sf.nrows, 2);
    assert_int_equal(f->sf.rows[0].relation, REL_UNSPECIFIED);
    assert_int_equal(f->sf.rows[1].relation, REL_UNSPECIFIED);
}

static void
test_summary_parse_crlf_bom_blanks(void **state)
{
    struct fixture *f = *state;
    static const char csv[] =
        "\xEF\xBB\xBF"
        "period,area,scope,use,relation,person_times,amount\r\n"
        " 2024-09 , 330100 ,same_area, medical ,spouse, 10 ,12.30\r\n"
        "\r\n"
        "2024-09,330200,same_area,medical,spouse,1,1\r\n";

    int rc = parse(f, csv, false);
    if (rc != 0)
        dump(f);
    assert_int_equal(rc, 0);
    assert_int_equal(f->sf.encoding, ENC_UTF8);
    assert_int_equal(f->sf.had_bom, 1);
    assert_int_equal(f->sf.nrows, 2);
    assert_record(&f->sf.rows[0], 202409, 330100, SCOPE_SAME_AREA, USE_MEDICAL,
                  REL_SPOUSE, 10, 1230, 2);
    /* the blank line 3 is skipped but still counted */
    assert_int_equal(f->sf.rows[1].line, 4);
}

static void
test_summary_parse_unknown_column_is_warning(void **state)
{
    struct fixture *f = *state;
    static const char csv[] =
        "period,area,remark,scope,use,person_times,amount\n"
        "2024-09,330100,hello,same_area,medical,1,1\n";

    assert_int_equal(parse(f, csv, false), 0);
    assert_int_equal(f->dl.errors, 0);
    assert_int_equal(f->dl.warnings, 1);
    assert_diag(f, 0, DIAG_WARNING, DIAG_FORMAT, 1, 3,
                "column 'remark' is not one gongji uses");
    assert_int_equal(f->sf.nrows, 1);
}

static void
test_summary_parse_coverage(void **state)
{
    struct fixture *f = *state;
    static const char csv[] =
        HDR "2024-09,440100,same_area,medical,spouse,7,0.07\n"
            "2024-09,330100,same_area,medical,spouse,10,12.30\n"
            "2024-08,330100,same_area,medical,spouse,1,1.00\n"
            "2024-09,330200,cross_area,pharmacy,parent,5,100\n"
            "2024-09,330100,same_area,pharmacy,spouse,2,0.10\n";
    static const struct coverage want[] = {
        {330000, {2024, 8}, 1, 1, 100},
        {330000, {2024, 9}, 3, 17, 1230 + 10000 + 10},
        {440000, {2024, 9}, 1, 7, 7},
    };

    int rc = parse(f, csv, false);
    if (rc != 0)
        dump(f);
    assert_int_equal(rc, 0);
    assert_int_equal(f->sf.nrows, 5);
    /* rows stay in file order */
    assert_int_equal(f->sf.rows[0].area, 440100);
    assert_int_equal(f->sf.rows[4].line, 6);
    assert_int_equal(f->sf.ncover, ARRAY_SIZE(want));
    for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
        const struct coverage *c = &f->sf.cover[i];
        assert_int_equal(c->province, want[i].province);
        assert_int_equal(period_cmp(c->period, want[i].period), 0);
        assert_int_equal(c->rows, want[i].rows);
        assert_int_equal(c->person_times, want[i].person_times);
        assert_int_equal(c->amount_fen, want[i].amount_fen);
    }
}

static void
test_summary_parse_keys_differing_in_one_part(void **state)
{
    struct fixture *f = *state;
    /* each row differs from line 2 in exactly one part of the key */
    static const char csv[] =
        HDR ROW "2024-08,330100,same_area,medical,spouse,10,12.30\n"
                "2024-09,330200,same_area,medical,spouse,10,12.30\n"
                "2024-09,330100,cross_area,medical,spouse,10,12.30\n"
                "2024-09,330100,same_area,pharmacy,spouse,10,12.30\n"
                "2024-09,330100,same_area,medical,parent,10,12.30\n"
                "2024-09,330100,same_area,medical,unspecified,10,12.30\n";

    int rc = parse(f, csv, false);
    if (rc != 0)
        dump(f);
    assert_int_equal(rc, 0);
    assert_int_equal(f->dl.nr, 0);
    assert_int_equal(f->sf.nrows, 7);
}

static void
test_summary_parse_sha256(void **state)
{
    struct fixture *f = *state;
    static const char csv[] = HDR ROW;

    /* sha256sum of the same bytes */
    assert_int_equal(parse(f, csv, false), 0);
    assert_string_equal(
        f->sf.sha256,
        "cdde01a3d893a968df35fd506f7c1c1dd1826622c386fb35be8e106cf7574caf");
    assert_int_equal(f->sf.bytes, strlen(csv));

    /* also set for a rejected file, and for an empty one */
    assert_int_equal(
        parse(f, HDR "2024-13,330100,same_area,medical,,1,1\n", false), -1);
    assert_int_equal(strlen(f->sf.sha256), 64);
    assert_int_equal(parse_len(f, "", 0, false), -1);
    assert_string_equal(
        f->sf.sha256,
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_int_equal(f->sf.bytes, 0);
}

static void
test_summary_parse_gb18030(void **state)
{
    struct fixture *f = *state;
    /*
     * "统计期,统筹区编码,共济范围,共济用途,共济关系,共济人次,共济金额(元)"
     * then 2024年9月,330100,跨省,定点零售药店,子女,7,"1,234.56" and
     * 2024年9月,330200,同一统筹区,定点医疗机构,配偶,3,0.50 - in GB18030.
     */
    static const char csv[] =
        "\xCD\xB3\xBC\xC6\xC6\xDA,\xCD\xB3\xB3\xEF\xC7\xF8\xB1\xE0\xC2\xEB,"
        "\xB9\xB2\xBC\xC3\xB7\xB6\xCE\xA7,\xB9\xB2\xBC\xC3\xD3\xC3\xCD\xBE,"
        "\xB9\xB2\xBC\xC3\xB9\xD8\xCF\xB5,\xB9\xB2\xBC\xC3\xC8\xCB\xB4\xCE,"
        "\xB9\xB2\xBC\xC3\xBD\xF0\xB6\xEE(\xD4\xAA)\n"
        "2024\xC4\xEA"
        "9\xD4\xC2,330100,\xBF\xE7\xCA\xA1,"
        "\xB6\xA8\xB5\xE3\xC1\xE3\xCA\xDB\xD2\xA9\xB5\xEA,\xD7\xD3\xC5\xAE,7,"
        "\"1,234.56\"\n"
        "2024\xC4\xEA"
        "9\xD4\xC2,330200,\xCD\xAC\xD2\xBB\xCD\xB3\xB3\xEF\xC7\xF8,"
        "\xB6\xA8\xB5\xE3\xD2\xBD\xC1\xC6\xBB\xFA\xB9\xB9,\xC5\xE4\xC5\xBC,3,"
        "0.50\n";

    int rc = parse(f, csv, false);
    if (rc != 0)
        dump(f);
    assert_int_equal(rc, 0);
    assert_int_equal(f->sf.encoding, ENC_GB18030);
    assert_int_equal(f->sf.had_bom, 0);
    assert_int_equal(f->sf.bytes, strlen(csv));
    assert_int_equal(f->sf.nrows, 2);
    assert_record(&f->sf.rows[0], 202409, 330100, SCOPE_CROSS_PROVINCE,
                  USE_PHARMACY, REL_CHILD, 7, 123456, 2);
    assert_record(&f->sf.rows[1], 202409, 330200, SCOPE_SAME_AREA, USE_MEDICAL,
                  REL_SPOUSE, 3, 50, 3);
}

static void
test_summary_parse_gb18030_error_quoted_in_utf8(void **state)
{
    struct fixture *f = *state;
    /* 统计期,统筹区编码,共济范围,共济用途,共济人次,共济金额 / 外省, 其他 */
    static const char csv[] =
        "\xCD\xB3\xBC\xC6\xC6\xDA,\xCD\xB3\xB3\xEF\xC7\xF8\xB1\xE0\xC2\xEB,"
        "\xB9\xB2\xBC\xC3\xB7\xB6\xCE\xA7,\xB9\xB2\xBC\xC3\xD3\xC3\xCD\xBE,"
        "\xB9\xB2\xBC\xC3\xC8\xCB\xB4\xCE,\xB9\xB2\xBC\xC3\xBD\xF0\xB6\xEE\n"
        "2024-09,330100,\xCD\xE2\xCA\xA1,\xC6\xE4\xCB\xFB,1,1\n";

    assert_int_equal(parse(f, csv, false), -1);
    assert_int_equal(f->dl.errors, 1);
    assert_diag(f, 0, DIAG_ERROR, DIAG_DATA, 2, 3,
                "scope '外省' is not a known value");
    assert_rejected(f);
}

/* ******************************************************************** */
/* Validation rules                                                     */
/* ******************************************************************** */

static void
test_summary_parse_single_errors(void **state)
{
    static const struct {
        const char *name;
        const char *csv;
        bool strict;
        enum diag_code code;
        unsigned long line, col;
        const char *phrase;
    } cases[] = {
        {"malformed amount",
         HDR ROW "2024-09,330200,same_area,medical,spouse,10,12.5O\n", false,
         DIAG_DATA, 3, 7, "amount '12.5O' is not a decimal number"},
        {"malformed grouped amount",
         HDR "2024-09,330100,same_area,medical,spouse,10,\"12,5O\"\n", false,
         DIAG_DATA, 2, 7, "amount '12,5O' is not a decimal number"},
        {"exponent", HDR "2024-09,330100,same_area,medical,spouse,10,1e3\n",
         false, DIAG_DATA, 2, 7, "no exponents"},
        {"empty amount", HDR "2024-09,330100,same_area,medical,spouse,10,\n",
         false, DIAG_DATA, 2, 7, "amount is empty"},
        {"three decimals",
         HDR "2024-09,330100,same_area,medical,spouse,10,12.345\n", false,
         DIAG_DATA, 2, 7, "amount '12.345' has more than two decimals"},
        {"negative amount",
         HDR "2024-09,330100,same_area,medical,spouse,10,-5.00\n", false,
         DIAG_DATA, 2, 7, "amount '-5.00' is negative"},
        {"negative person_times",
         HDR "2024-09,330100,same_area,medical,spouse,-3,5.00\n", false,
         DIAG_DATA, 2, 6, "person_times '-3' is negative"},
        {"fractional person_times",
         HDR "2024-09,330100,same_area,medical,spouse,1.5,5.00\n", false,
         DIAG_DATA, 2, 6, "person_times '1.5' is not a whole number"},
        {"amount overflow",
         HDR "2024-09,330100,same_area,medical,spouse,1,"
             "92233720368547758.08\n",
         false, DIAG_DATA, 2, 7, "amount '922************58.08' is too large"},
        {"person_times overflow",
         HDR "2024-09,330100,same_area,medical,spouse,9223372036854775808,"
             "1\n",
         false, DIAG_DATA, 2, 6, "is too large"},
        {"unknown province prefix",
         HDR "2024-09,990100,same_area,medical,spouse,1,1\n", false, DIAG_DATA,
         2, 2, "no province has the prefix 99"},
        {"area not 6 digits",
         HDR "2024-09,33010,same_area,medical,spouse,1,1\n", false, DIAG_DATA,
         2, 2, "area '33010' is not a 6-digit pooling-area code"},
        /*
         * Ten digits or more overflowed an int before the length was
         * checked (UBSan: signed integer overflow); 15 or more are shown
         * masked, as an ID would be.
         */
        {"area of 10 digits",
         HDR "2024-09,3301003301,same_area,medical,spouse,1,1\n", false,
         DIAG_DATA, 2, 2, "area '3301003301' is not a 6-digit pooling-area"},
        {"area of 19 digits",
         HDR "2024-09,9999999999999999999,same_area,medical,spouse,1,1\n",
         false, DIAG_DATA, 2, 2,
         "area '999**************99' is not a 6-digit pooling-area"},
        {"area of 20 digits",
         HDR "2024-09,33010033010033010099,same_area,medical,spouse,1,1\n",
         false, DIAG_DATA, 2, 2,
         "area '330***************99' is not a 6-digit pooling-area"},
        {"area of 40 digits",
         HDR "2024-09,9999999999999999999999999999999999999999,same_area,"
             "medical,spouse,1,1\n",
         false, DIAG_DATA, 2, 2,
         "area '999***********************************99' is not a 6-digit"},
        {"area of 41 digits",
         HDR "2024-09,99999999999999999999999999999999999999999,same_area,"
             "medical,spouse,1,1\n",
         false, DIAG_DATA, 2, 2,
         "area '999************************************9...' is not"},
        {"an ID as person_times",
         HDR "2024-09,330100,same_area,medical,spouse,110101199001011234,"
             "1\n",
         false, DIAG_DATA, 2, 6,
         "person_times '110*************34' has more than 15 digits"},
        {"person_times of 16 digits",
         HDR "2024-09,330100,same_area,medical,spouse,1000000000000000,1\n",
         false, DIAG_DATA, 2, 6, "has more than 15 digits"},
        {"impossible period",
         HDR "2024-13,330100,same_area,medical,spouse,1,1\n", false, DIAG_DATA,
         2, 1, "period '2024-13' is impossible"},
        {"period month 0", HDR "2024-00,330100,same_area,medical,spouse,1,1\n",
         false, DIAG_DATA, 2, 1, "is impossible"},
        {"period not a month",
         HDR "Sep 2024,330100,same_area,medical,spouse,1,1\n", false, DIAG_DATA,
         2, 1, "period 'Sep 2024' is not a month"},
        {"unknown scope", HDR "2024-09,330100,nowhere,medical,spouse,1,1\n",
         false, DIAG_DATA, 2, 3, "scope 'nowhere' is not a known value"},
        {"unknown use", HDR "2024-09,330100,same_area,food,spouse,1,1\n", false,
         DIAG_DATA, 2, 4, "use 'food' is not a known value"},
        {"unknown relation",
         HDR "2024-09,330100,same_area,medical,cousin,1,1\n", false, DIAG_DATA,
         2, 5, "relation 'cousin' is not a known value"},
        {"missing required column",
         "period,area,scope,use,relation,person_times\n"
         "2024-09,330100,same_area,medical,spouse,1\n",
         false, DIAG_FORMAT, 1, 0,
         "required column amount (共济金额) is missing"},
        {"missing Chinese required column",
         "统计期,统筹区编码,共济用途,共济人次,共济金额\n"
         "2024-09,330100,medical,1,1\n",
         false, DIAG_FORMAT, 1, 0,
         "required column scope (共济范围) is missing"},
        {"duplicate column",
         "period,area,scope,use,area,person_times,amount\n"
         "2024-09,330100,same_area,medical,330100,1,1\n",
         false, DIAG_FORMAT, 1, 5,
         "column 'area' appears twice (also field 2)"},
        {"duplicate column, two languages",
         "period,统筹区编码,scope,use,person_times,amount,area\n"
         "2024-09,330100,same_area,medical,1,1,330100\n",
         false, DIAG_FORMAT, 1, 7, "appears twice (also field 2)"},
        {"empty header field",
         "period,area,,scope,use,person_times,amount\n"
         "2024-09,330100,x,same_area,medical,1,1\n",
         false, DIAG_FORMAT, 1, 3, "header field 3 is empty"},
        {"duplicate key",
         HDR ROW "2024-09,330200,same_area,medical,spouse,1,1\n"
                 "2024-09,330100,same_area,medical,spouse,3,4\n",
         false, DIAG_DATA, 4, 0, "line 2 has the same period, area"},
        {"duplicate key, other spellings",
         HDR "2024-09,330100,same_area,medical,,1,1\n"
             "202409,330100,同一统筹区,定点医疗机构,unspecified,1,1\n",
         false, DIAG_DATA, 3, 0, "line 2 has the same"},
        {"too many fields", HDR ROW "2024-09,330100,same_area,medical,,1,1,2\n",
         false, DIAG_FORMAT, 3, 8, "row has 8 fields but the header has 7"},
        {"too few fields", HDR "2024-09,330100,same_area,medical,1,1\n", false,
         DIAG_FORMAT, 2, 6, "row has 6 fields but the header has 7"},
        {"empty buffer", "", false, DIAG_FORMAT, 0, 0, "empty"},
        {"header only", HDR, false, DIAG_DATA, 1, 0,
         "not followed by any data rows"},
        {"header and blank lines", HDR "\n\n", false, DIAG_DATA, 1, 0,
         "not followed by any data rows"},
        {"unknown area, strict",
         HDR "2024-09,330150,same_area,medical,spouse,1,1\n", true, DIAG_DATA,
         2, 2, "area '330150' is not in the pooling-area table"},
        {"quote inside unquoted field",
         HDR ROW "2024-09,33\"0100,same_area,medical,spouse,1,1\n", false,
         DIAG_FORMAT, 3, 2, "quote inside the unquoted field"},
    };
    struct fixture *f = *state;

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        int rc = parse(f, cases[i].csv, cases[i].strict);
        if (rc != -1 || f->dl.errors != 1 || f->dl.nr != 1) {
            dump(f);
            fail_msg("%s: rc %d, %zu errors, %zu kept; want exactly one",
                     cases[i].name, rc, f->dl.errors, f->dl.nr);
        }
        assert_diag(f, 0, DIAG_ERROR, cases[i].code, cases[i].line,
                    cases[i].col, cases[i].phrase);
        assert_rejected(f);
    }
}

static void
test_summary_parse_detail_header(void **state)
{
    struct fixture *f = *state;
    static const char csv[] =
        "settlement_id,settle_time,payer_area,beneficiary_area,use,"
        "relation,amount,payer_id,beneficiary_id\n"
        "1,2024-09-01 10:00:00,330100,330100,medical,spouse,1,a,b\n";

    assert_int_equal(parse(f, csv, false), -1);
    assert_int_equal(f->dl.errors, 1);
    /* summary_parse() is for summary files: input_read() routes this one */
    assert_true(f->dl.nr >= 1);
    assert_diag(f, f->dl.nr - 1, DIAG_ERROR, DIAG_FORMAT, 1, 0,
                "per-settlement detail file");
    assert_rejected(f);
}

static void
test_summary_parse_unknown_area_warning_unless_strict(void **state)
{
    struct fixture *f = *state;
    static const char csv[] =
        HDR ROW "2024-09,330150,same_area,medical,spouse,1,1\n";

    assert_int_equal(parse(f, csv, false), 0);
    assert_int_equal(f->dl.errors, 0);
    assert_int_equal(f->dl.warnings, 1);
    assert_diag(f, 0, DIAG_WARNING, DIAG_DATA, 3, 2,
                "area '330150' is not in the pooling-area table");
    assert_non_null(strstr(f->dl.items[0].msg, "stored anyway"));
    assert_int_equal(f->sf.nrows, 2);
    assert_int_equal(f->sf.rows[1].area, 330150);
    assert_int_equal(f->sf.ncover, 1);
    assert_int_equal(f->sf.cover[0].rows, 2);

    assert_int_equal(parse(f, csv, true), -1);
    assert_int_equal(f->dl.errors, 1);
    assert_int_equal(f->dl.warnings, 0);
    assert_diag(f, 0, DIAG_ERROR, DIAG_DATA, 3, 2,
                "area '330150' is not in the pooling-area table");
    assert_null(strstr(f->dl.items[0].msg, "stored anyway"));
    assert_rejected(f);
}

static void
test_summary_parse_several_errors_all_reported(void **state)
{
    struct fixture *f = *state;
    static const char csv[] = HDR ROW                       /* line 2 */
        "2024-09,330200,nowhere,medical,spouse,1,12.345\n"  /* line 3 */
        "2024-09,330300,same_area,medical,spouse,1,1\n"     /* line 4 */
        "2024-14,990100,same_area,food,spouse,-1,-1\n"      /* line 5 */
        "2024-09,330100,same_area,medical\n"                /* line 6 */
        "2024-09,330100,same_area,medical,spouse,1,1.00\n"; /* line 7 */

    assert_int_equal(parse(f, csv, false), -1);
    assert_diag(f, 0, DIAG_ERROR, DIAG_DATA, 3, 3, "scope 'nowhere'");
    assert_diag(f, 1, DIAG_ERROR, DIAG_DATA, 3, 7, "more than two decimals");
    assert_diag(f, 2, DIAG_ERROR, DIAG_DATA, 5, 1, "period '2024-14'");
    assert_diag(f, 3, DIAG_ERROR, DIAG_DATA, 5, 2, "prefix 99");
    assert_diag(f, 4, DIAG_ERROR, DIAG_DATA, 5, 4, "use 'food'");
    assert_diag(f, 5, DIAG_ERROR, DIAG_DATA, 5, 6, "person_times '-1'");
    assert_diag(f, 6, DIAG_ERROR, DIAG_DATA, 5, 7, "amount '-1'");
    assert_diag(f, 7, DIAG_ERROR, DIAG_FORMAT, 6, 4, "row has 4 fields");
    /* line 7 repeats line 2: found although other rows are bad */
    assert_diag(f, 8, DIAG_ERROR, DIAG_DATA, 7, 0, "line 2 has the same");
    assert_int_equal(f->dl.nr, 9);
    assert_int_equal(f->dl.errors, 9);
    assert_int_equal(f->dl.warnings, 0);
    assert_rejected(f);
}

static void
test_summary_parse_duplicate_key_among_other_errors(void **state)
{
    struct fixture *f = *state;
    static const char csv[] =
        HDR ROW "2024-09,330100,same_area,medical,spouse,1,1\n"
                "2024-09,330100,nowhere,medical,spouse,1,1\n"
                "2024-09,330200,same_area,medical,spouse,1,1\n"
                "2024-09,330200,same_area,medical,spouse,2,2\n";

    assert_int_equal(parse(f, csv, false), -1);
    assert_int_equal(f->dl.errors, 3);
    assert_diag(f, 0, DIAG_ERROR, DIAG_DATA, 4, 3, "scope 'nowhere'");
    assert_diag(f, 1, DIAG_ERROR, DIAG_DATA, 3, 0, "line 2 has the same");
    assert_diag(f, 2, DIAG_ERROR, DIAG_DATA, 6, 0, "line 5 has the same");
    assert_rejected(f);
}

static void
test_summary_parse_every_row_bad(void **state)
{
    struct fixture *f = *state;
    static const char csv[] =
        HDR "2024-09,330100,same_area,medical,spouse,1,x\n"
            "2024-09,330100,same_area,medical,spouse,1,y\n";

    /* no valid row at all: two errors, not "no data rows" */
    assert_int_equal(parse(f, csv, false), -1);
    assert_int_equal(f->dl.errors, 2);
    assert_diag(f, 0, DIAG_ERROR, DIAG_DATA, 2, 7, "amount 'x'");
    assert_diag(f, 1, DIAG_ERROR, DIAG_DATA, 3, 7, "amount 'y'");
    assert_rejected(f);
}

static void
test_summary_parse_errors_leave_no_rows(void **state)
{
    struct fixture *f = *state;
    /* good rows first: they were collected, and must be dropped */
    static const char csv[] =
        HDR ROW "2024-09,330200,same_area,medical,spouse,1,1\n"
                "2024-09,330300,same_area,medical,spouse,1,1\n"
                "2024-09,330400,same_area,medical,spouse,1,x\n";

    assert_int_equal(parse(f, csv, false), -1);
    assert_int_equal(f->dl.errors, 1);
    assert_diag(f, 0, DIAG_ERROR, DIAG_DATA, 5, 7, "amount 'x'");
    assert_rejected(f);

    /* the same after a successful parse in between */
    assert_int_equal(parse(f, HDR ROW, false), 0);
    assert_int_equal(f->sf.nrows, 1);
    assert_int_equal(parse(f, csv, false), -1);
    assert_rejected(f);
}

static void
test_summary_parse_lines_count_quoted_newlines(void **state)
{
    struct fixture *f = *state;
    /* the record on line 2 ends on line 3: the next one is line 4 */
    static const char csv[] =
        "period,area,area_name,scope,use,person_times,amount\n"
        "2024-09,330100,\"杭州\n市\",same_area,medical,1,1\n"
        "2024-09,330200,宁波市,same_area,medical,1,abc\n";

    assert_int_equal(parse(f, csv, false), -1);
    assert_int_equal(f->dl.errors, 1);
    assert_diag(f, 0, DIAG_ERROR, DIAG_DATA, 4, 7, "amount 'abc'");
    assert_rejected(f);
}

static void
test_summary_parse_diag_list_cap(void **state)
{
    struct fixture *f = *state;
    enum { NBAD = 150 };
    size_t cap = sizeof(HDR) + NBAD * 64;
    char *csv = malloc(cap);
    size_t n = 0;

    assert_non_null(csv);
    n += (size_t)snprintf(csv + n, cap - n, "%s", HDR);
    for (int i = 0; i < NBAD; i++)
        n += (size_t)snprintf(csv + n, cap - n,
                              "2024-09,%d,same_area,medical,spouse,1,bad\n",
                              330100 + i);
    /* every row fails on its amount; the unknown areas only warn */
    assert_int_equal(parse_len(f, csv, n, false), -1);
    assert_int_equal(f->dl.errors, NBAD);
    /* every error is kept, and the first DIAG_LIST_KEEP warnings */
    assert_int_equal(f->dl.nr, NBAD + DIAG_LIST_KEEP);
    assert_rejected(f);
    free(csv);
}

/* ******************************************************************** */
/* Total rows and area names                                            */
/* ******************************************************************** */

static void
test_summary_parse_province_total_skipped(void **state)
{
    struct fixture *f = *state;
    static const char csv[] =
        HDR "2024-09,330100,same_area,medical,spouse,10,12.30\n"
            "2024-09,330200,same_area,medical,spouse,5,1.00\n"
            "2024-09,330000,same_area,medical,spouse,15,13.30\n"
            "2024-09,浙江省,,,,15,13.30\n";

    int rc = parse(f, csv, false);
    if (rc != 0)
        dump(f);
    assert_int_equal(rc, 0);
    assert_int_equal(f->sf.nrows, 2);
    assert_int_equal(f->sf.ncover, 1);
    assert_int_equal(f->sf.cover[0].person_times, 15);
    assert_int_equal(f->sf.cover[0].amount_fen, 1330);
    assert_int_equal(f->dl.nr, 1);
    assert_diag(f, 0, DIAG_WARNING, DIAG_DATA, 4, 2, "2 province total row(s)");
    assert_non_null(strstr(f->dl.items[0].msg, "(lines 4-5)"));
}

static void
test_summary_parse_total_disagrees(void **state)
{
    struct fixture *f = *state;
    static const char csv[] =
        HDR "2024-09,330100,same_area,medical,spouse,10,12.30\n"
            "2024-09,330200,same_area,medical,parent,5,1.00\n"
            "2024-09,330000,same_area,medical,,16,13.30\n";

    assert_int_equal(parse(f, csv, false), -1);
    assert_rejected(f);
    assert_int_equal(f->dl.errors, 1);
    assert_diag(f, 0, DIAG_ERROR, DIAG_DATA, 4, 6,
                "says person_times 16, but the 2 rows it totals (lines 2 "
                "to 3) sum to 15");
}

static void
test_summary_parse_relation_subtotal(void **state)
{
    struct fixture *f = *state;
    /* a blank relation alone stays `unspecified` data */
    static const char csv[] =
        HDR "2024-09,330100,same_area,medical,spouse,10,12.30\n"
            "2024-09,330100,same_area,medical,,10,12.30\n"
            "2024-09,330100,same_area,pharmacy,,1,1.00\n";

    int rc = parse(f, csv, false);
    if (rc != 0)
        dump(f);
    assert_int_equal(rc, 0);
    assert_int_equal(f->sf.nrows, 2);
    assert_record(&f->sf.rows[0], 202409, 330100, SCOPE_SAME_AREA, USE_MEDICAL,
                  REL_SPOUSE, 10, 1230, 2);
    assert_record(&f->sf.rows[1], 202409, 330100, SCOPE_SAME_AREA, USE_PHARMACY,
                  REL_UNSPECIFIED, 1, 100, 4);
    assert_diag(f, 0, DIAG_WARNING, DIAG_DATA, 3, 5, "relation subtotal");
}

static void
test_summary_parse_marked_totals(void **state)
{
    struct fixture *f = *state;
    static const char csv[] =
        "period,area,area_name,scope,use,relation,person_times,amount\n"
        "2024-09,330100,杭州市,same_area,medical,spouse,10,12.30\n"
        "2024-09,330100,杭州市,cross_area,medical,spouse,1,0.70\n"
        "2024-09,330100,杭州市小计,,medical,spouse,11,13.00\n"
        "2024-09,330100,杭州市,总计,,,11,13.00\n"
        "2024-09,全省合计,,,,,11,13.00\n"
        ",,合计,,,,11,13.00\n";

    int rc = parse(f, csv, false);
    if (rc != 0)
        dump(f);
    assert_int_equal(rc, 0);
    assert_int_equal(f->sf.nrows, 2);
    assert_int_equal(f->dl.nr, 1);
    assert_diag(f, 0, DIAG_WARNING, DIAG_DATA, 4, 3,
                "4 row(s) marked 合计/小计/总计");
}

static void
test_summary_parse_total_matching_nothing(void **state)
{
    struct fixture *f = *state;
    static const char csv[] = HDR "2024-09,330100,same_area,medical,spouse,"
                                  "10,12.30\n"
                                  "2024-10,330100,合计,,,10,12.30\n";

    assert_int_equal(parse(f, csv, false), -1);
    assert_rejected(f);
    assert_diag(f, 0, DIAG_ERROR, DIAG_DATA, 3, 3, "matches no data row");
}

static void
test_summary_parse_area_names(void **state)
{
    struct fixture *f = *state;
    static const char csv[] =
        "period,area,area_name,scope,use,person_times,amount\n"
        "2024-09,330400,温州市,same_area,medical,1,1\n"
        "2024-09,杭州,,same_area,medical,1,1\n"
        "2024-09,330200-宁波市,宁波,same_area,medical,1,1\n";

    int rc = parse(f, csv, false);
    if (rc != 0)
        dump(f);
    assert_int_equal(rc, 0);
    assert_int_equal(f->sf.nrows, 3);
    assert_int_equal(f->sf.rows[0].area, 330400);
    assert_int_equal(f->sf.rows[1].area, 330100);
    assert_int_equal(f->sf.rows[2].area, 330200);
    assert_int_equal(f->dl.nr, 1);
    assert_diag(f, 0, DIAG_WARNING, DIAG_DATA, 2, 3,
                "area 330400 is 嘉兴市 in data/areas.csv, but its name is "
                "given as '温州市' (330300 温州市)");

    assert_int_equal(parse(f, csv, true), -1);
    assert_diag(f, 0, DIAG_ERROR, DIAG_DATA, 2, 3, "330300 温州市");
}

static void
test_summary_parse_area_name_ambiguous(void **state)
{
    struct fixture *f = *state;
    static const char csv[] = "period,area,scope,use,person_times,amount\n"
                              "2024-09,北京市,same_area,medical,1,1\n"
                              "2024-09,330400温州,same_area,medical,1,1\n";

    assert_int_equal(parse(f, csv, false), -1);
    assert_rejected(f);
    assert_diag(f, 0, DIAG_ERROR, DIAG_DATA, 2, 2,
                "110100 北京市, 110000 北京市 (the province total)");
    assert_diag(f, 1, DIAG_ERROR, DIAG_DATA, 3, 2,
                "the code 330400 is 嘉兴市 but the name is 330300 温州市");
}

#define CHDR "period,area,channel,scope,use,relation,person_times,amount\n"

static void
test_summary_parse_coarse_subtotal_skipped(void **state)
{
    struct fixture *f = *state;
    /* 省内 = 同一统筹区 + 省内跨统筹区: a subtotal, not stored */
    static const char csv[] =
        CHDR "2024-12,330100,account,same_area,medical,spouse,10,12.30\n"
             "2024-12,330100,account,cross_area,medical,spouse,2,1.00\n"
             "2024-12,330100,account,省内,medical,spouse,12,13.30\n"
             "2024-12,330100,wallet,省内,medical,spouse,7,1.00\n";

    int rc = parse(f, csv, false);
    if (rc != 0)
        dump(f);
    assert_int_equal(rc, 0);
    /* the wallet's 省内 has no parts beside it: data */
    assert_int_equal(f->sf.nrows, 3);
    assert_int_equal(f->sf.rows[2].channel, CHANNEL_WALLET);
    assert_int_equal(f->sf.rows[2].scope, SCOPE_IN_PROVINCE);
    assert_int_equal(f->sf.cover[0].person_times, 19);
    assert_int_equal(f->dl.nr, 1);
    assert_diag(f, 0, DIAG_WARNING, DIAG_DATA, 4, 4,
                "1 coarse row(s) (省内 or 就医购药 beside rows of their "
                "parts) equal the sum of the rows they total: skipped, not "
                "stored (line 4)");
}

static void
test_summary_parse_coarse_ambiguous(void **state)
{
    struct fixture *f = *state;
    static const char csv[] =
        CHDR "2024-12,330100,account,same_area,medical,spouse,10,12.30\n"
             "2024-12,330100,account,cross_area,medical,spouse,2,1.00\n"
             "2024-12,330100,account,省内,medical,spouse,13,13.30\n"
             "2024-12,330100,wallet,same_area,medical,spouse,1,1.00\n"
             "2024-12,330100,wallet,same_area,pharmacy,spouse,1,1.00\n"
             "2024-12,330100,wallet,same_area,就医购药,spouse,1,5.00\n";

    assert_int_equal(parse(f, csv, false), -1);
    assert_rejected(f);
    assert_int_equal(f->dl.errors, 2);
    assert_diag(f, 0, DIAG_ERROR, DIAG_DATA, 4, 4,
                "省内 row beside 同一统筹区/省内跨统筹区 rows of the same key "
                "(line 2 on): as their subtotal it would be 12人次/13.30元, "
                "but it is 13人次/13.30元; as an unsplit rest it would be "
                "counted on top of them");
    assert_diag(f, 1, DIAG_ERROR, DIAG_DATA, 7, 5,
                "就医购药 row beside 定点医疗机构/定点零售药店 rows of the "
                "same key (line 5 on): as their subtotal it would be "
                "2笔/2.00元, but it is 1笔/5.00元");
}

static void
test_summary_parse_coarse_nested(void **state)
{
    struct fixture *f = *state;
    /*
     * (省内, 就医购药) over (省内, medical) and (省内, pharmacy), the latter
     * over its same/cross-area rows: each subtotal is checked, the parts
     * are counted once.  Another relation is another key.
     */
    static const char csv[] =
        CHDR "2024-12,330100,account,省内,medical,spouse,4,4.00\n"
             "2024-12,330100,account,same_area,pharmacy,spouse,1,1.00\n"
             "2024-12,330100,account,cross_area,pharmacy,spouse,2,2.00\n"
             "2024-12,330100,account,省内,pharmacy,spouse,3,3.00\n"
             "2024-12,330100,account,省内,就医购药,spouse,7,7.00\n"
             "2024-12,330100,account,省内,就医购药,parent,9,9.00\n";

    int rc = parse(f, csv, false);
    if (rc != 0)
        dump(f);
    assert_int_equal(rc, 0);
    assert_int_equal(f->sf.nrows, 4);
    assert_int_equal(f->sf.cover[0].person_times, 16);
    assert_int_equal(f->dl.nr, 1);
    assert_diag(f, 0, DIAG_WARNING, DIAG_DATA, 5, 4,
                "2 coarse row(s) (省内 or 就医购药 beside rows of their "
                "parts) equal the sum of the rows they total: skipped, not "
                "stored (lines 5-6)");
}

static void
test_summary_parse_wallet_relation_subtotal(void **state)
{
    struct fixture *f = *state;
    /* a relation subtotal of wallet rows totals the wallet rows */
    static const char csv[] =
        CHDR "2024-12,330100,account,same_area,medical,spouse,10,12.30\n"
             "2024-12,330100,wallet,cross_province,premium,spouse,3,3.00\n"
             "2024-12,330100,wallet,cross_province,premium,child,1,1.00\n"
             "2024-12,330100,wallet,cross_province,premium,,4,4.00\n"
             "2024-12,330100,合计,,,,14,16.30\n"
             "2024-12,330100,wallet,合计,,,4,4.00\n";

    int rc = parse(f, csv, false);
    if (rc != 0)
        dump(f);
    assert_int_equal(rc, 0);
    assert_int_equal(f->sf.nrows, 3);
    assert_int_equal(f->dl.nr, 2);
    assert_diag(f, 1, DIAG_WARNING, DIAG_DATA, 5, 6, "relation subtotal");
}

static void
test_summary_parse_marked_total_takes_parts(void **state)
{
    struct fixture *f = *state;
    /* a 合计 of 省内 totals the same-area and cross-area rows */
    static const char csv[] =
        CHDR "2024-12,330100,account,same_area,medical,spouse,10,12.30\n"
             "2024-12,330100,account,cross_area,medical,spouse,2,1.00\n"
             "2024-12,330100,account,省内合计,,,12,13.30\n";

    int rc = parse(f, csv, false);
    if (rc != 0)
        dump(f);
    assert_int_equal(rc, 0);
    assert_int_equal(f->sf.nrows, 2);
    assert_diag(f, 0, DIAG_WARNING, DIAG_DATA, 4, 4, "1 row(s) marked");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
        T(test_summary_parse_english_headers),
        T(test_summary_parse_chinese_headers_and_values),
        T(test_summary_parse_alias_headers),
        T(test_summary_parse_amount_header_with_unit),
        T(test_summary_parse_scaled_units),
        T(test_summary_parse_scaled_inexact),
        T(test_summary_parse_unit_and_title_rows),
        T(test_summary_parse_unit_rows_ambiguous),
        T(test_summary_parse_value_shapes),
        T(test_summary_parse_relation_missing_or_empty),
        T(test_summary_parse_crlf_bom_blanks),
        T(test_summary_parse_unknown_column_is_warning),
        T(test_summary_parse_coverage),
        T(test_summary_parse_keys_differing_in_one_part),
        T(test_summary_parse_sha256),
        T(test_summary_parse_gb18030),
        T(test_summary_parse_gb18030_error_quoted_in_utf8),
        T(test_summary_parse_single_errors),
        T(test_summary_parse_detail_header),
        T(test_summary_parse_unknown_area_warning_unless_strict),
        T(test_summary_parse_several_errors_all_reported),
        T(test_summary_parse_duplicate_key_among_other_errors),
        T(test_summary_parse_every_row_bad),
        T(test_summary_parse_errors_leave_no_rows),
        T(test_summary_parse_lines_count_quoted_newlines),
        T(test_summary_parse_diag_list_cap),
        T(test_summary_parse_province_total_skipped),
        T(test_summary_parse_total_disagrees),
        T(test_summary_parse_relation_subtotal),
        T(test_summary_parse_marked_totals),
        T(test_summary_parse_total_matching_nothing),
        T(test_summary_parse_area_names),
        T(test_summary_parse_area_name_ambiguous),
        T(test_summary_parse_coarse_subtotal_skipped),
        T(test_summary_parse_coarse_ambiguous),
        T(test_summary_parse_coarse_nested),
        T(test_summary_parse_wallet_relation_subtotal),
        T(test_summary_parse_marked_total_takes_parts),
#undef T
    };
    return cmocka_run_group_tests_name("summary", tests, NULL, NULL);
}
