/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_xlsx.c - the attachment workbook.
 *
 * A small rollup is built by hand (three provinces with known figures, two
 * pooling areas, nine months, two sources), written to a temporary
 * directory and read back with `unzip -p`: the strings, the numbers as the
 * bulletin rounds them, the optional 跨省 columns, the sheet names, the
 * document properties, and byte-identical output for the same input.  The
 * read-back tests are skipped when unzip is not installed.
 *
 * Reference tables come from $GONGJI_DATA (set by tests/run.sh).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aggregate/rollup.h"
#include "common/diag.h"
#include "common/xalloc.h"
#include "ingest/refdata.h"
#include "report/xlsx.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define AS_OF "2024-10-15"

/* ******************************************************************** */
/* Fixture: reference data and a temporary directory                    */
/* ******************************************************************** */

struct fx {
    struct refdata *rd;
    char dir[256];
};

static int
setup(void **state)
{
    const char *data = getenv("GONGJI_DATA");
    const char *tmp = getenv("TMPDIR");
    struct fx *fx = xcalloc(1, sizeof(*fx));
    struct diag err;

    diag_clear(&err);
    fx->rd = refdata_load(data != NULL && *data != '\0' ? data : "data", &err);
    if (fx->rd == NULL) {
        diag_print(stderr, &err);
        free(fx);
        return -1;
    }
    snprintf(fx->dir, sizeof(fx->dir), "%s/test_xlsx.XXXXXX",
             tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
    if (mkdtemp(fx->dir) == NULL) {
        refdata_free(fx->rd);
        free(fx);
        return -1;
    }
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *fx = *state;
    DIR *d = opendir(fx->dir);

    if (d != NULL) {
        struct dirent *e;
        char path[512];
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(path, sizeof(path), "%s/%s", fx->dir, e->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(fx->dir);
    refdata_free(fx->rd);
    free(fx);
    return 0;
}

static void
tmp_path(const struct fx *fx, char *buf, size_t len, const char *name)
{
    snprintf(buf, len, "%s/%s", fx->dir, name);
}

/* ******************************************************************** */
/* A hand-made rollup                                                   */
/* ******************************************************************** */

static struct rollup_region *
find_province(struct rollup *r, int code)
{
    for (size_t i = 0; i < r->nprovinces; i++)
        if (r->provinces[i].code == code)
            return &r->provinces[i];
    fail_msg("province %d not in the reference table", code);
    abort(); /* not reached: fail_msg() jumps out of the test */
}

/* Set a region's figures; scope and use splits add up to the total. */
static void
set_region(struct rollup_region *g, int64_t pt, int64_t fen, int64_t pt_cross,
           int64_t fen_cross)
{
    g->total.person_times = pt;
    g->total.amount_fen = fen;
    g->scope[SCOPE_SAME_AREA].person_times = pt - pt / 10 - pt_cross;
    g->scope[SCOPE_SAME_AREA].amount_fen = fen - fen / 10 - fen_cross;
    g->scope[SCOPE_CROSS_AREA].person_times = pt / 10;
    g->scope[SCOPE_CROSS_AREA].amount_fen = fen / 10;
    g->scope[SCOPE_CROSS_PROVINCE].person_times = pt_cross;
    g->scope[SCOPE_CROSS_PROVINCE].amount_fen = fen_cross;
    g->use[USE_MEDICAL].amount_fen = fen / 2;
    g->use[USE_PHARMACY].amount_fen = fen / 4;
    g->use[USE_PREMIUM].amount_fen = fen / 8;
    g->use[USE_OTHER].amount_fen = fen - fen / 2 - fen / 4 - fen / 8;
}

static void
add_region(struct rollup_region *to, const struct rollup_region *g)
{
    to->total.person_times += g->total.person_times;
    to->total.amount_fen += g->total.amount_fen;
    for (int s = 0; s < SCOPE_N; s++) {
        to->scope[s].person_times += g->scope[s].person_times;
        to->scope[s].amount_fen += g->scope[s].amount_fen;
    }
    for (int u = 0; u < USE_N; u++)
        to->use[u].amount_fen += g->use[u].amount_fen;
}

/*
 * 北京 15345000 人次 (1534.50万) and 3045700000000 fen (304.57亿元);
 * 浙江 231000000 人次 (23100.00万) and 123456789012 fen (12.35亿元, rounded
 * up); 新疆生产建设兵团 836 人次 (0.08万).  With cross set, 浙江 has
 * cross-province sharing.  The nation's monthly person-times are 1000050
 * each month (100.01万 shown), so cumulative figures must be rounded from
 * the exact sums (two months: 200.01, not 200.02).
 */
static void
build_rollup(struct rollup *r, const struct refdata *rd, int month, bool cross)
{
    memset(r, 0, sizeof(*r));
    r->period.year = 2024;
    r->period.month = month;
    r->nprovinces = refdata_province_count(rd);
    r->provinces = xcalloc(r->nprovinces, sizeof(*r->provinces));
    for (size_t i = 0; i < r->nprovinces; i++) {
        const struct province *p = refdata_province_at(rd, i);
        r->provinces[i].code = p->code;
        r->provinces[i].province = p->code;
    }
    set_region(find_province(r, 110000), 15345000, 3045700000000, 0, 0);
    set_region(find_province(r, 330000), 231000000, 123456789012,
               cross ? 12345 : 0, cross ? 98765432 : 0);
    set_region(find_province(r, 660000), 836, 1234567, 0, 0);
    for (size_t i = 0; i < r->nprovinces; i++)
        add_region(&r->nation, &r->provinces[i]);

    r->nareas = 2;
    r->areas = xcalloc(r->nareas, sizeof(*r->areas));
    r->areas[0].code = 330100;
    r->areas[0].province = 330000;
    set_region(&r->areas[0], 123456, 123456789, 0, 0); /* 123.46万元 */
    r->areas[1].code = 339998; /* not in areas.csv: shown by its code */
    r->areas[1].province = 330000;
    set_region(&r->areas[1], 7, 7000, 0, 0);

    size_t stride = r->nprovinces + 1;
    r->monthly = xcalloc((size_t)month * stride, sizeof(*r->monthly));
    for (int m = 0; m < month; m++) {
        r->monthly[(size_t)m * stride].person_times = 1000050;
        r->monthly[(size_t)m * stride].amount_fen =
            INT64_C(10000000000) * (m + 1); /* (m+1)亿元 */
        r->monthly[(size_t)m * stride + 1].person_times = 1000050;
    }

    r->nsources = 2;
    r->sources = xcalloc(r->nsources, sizeof(*r->sources));
    r->sources[0].file = xstrdup("/srv/in/2024-10-10/beijing-2024.csv");
    memset(r->sources[0].sha256, 'a', SHA256_HEX_LEN);
    r->sources[0].rows = 123456;
    r->sources[0].ingested_at = xstrdup("2024-10-10T09:00:00Z");
    r->sources[0].province = 110000;
    r->sources[0].covers = (struct period_range){{2024, 1}, {2024, 9}};
    r->sources[1].file = xstrdup("/srv/in/2024-10-11/zhejiang-2024-09.csv");
    memset(r->sources[1].sha256, 'b', SHA256_HEX_LEN);
    r->sources[1].rows = 42;
    r->sources[1].ingested_at = xstrdup("2024-10-11T20:30:00Z");
    r->sources[1].province = 330000;
    r->sources[1].covers = (struct period_range){{2024, 9}, {2024, 9}};
}

static void
free_rollup(struct rollup *r)
{
    for (size_t i = 0; i < r->nsources; i++) {
        free(r->sources[i].file);
        free(r->sources[i].ingested_at);
    }
    free(r->sources);
    free(r->monthly);
    free(r->areas);
    free(r->provinces);
}

/* ******************************************************************** */
/* Reading the workbook back                                            */
/* ******************************************************************** */

static bool
have_program(const char *name)
{
    const char *path = getenv("PATH");
    char buf[512];

    if (path == NULL)
        return false;
    while (*path != '\0') {
        size_t n = strcspn(path, ":");
        snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, path, name);
        if (n > 0 && access(buf, X_OK) == 0)
            return true;
        path += n;
        if (*path == ':')
            path++;
    }
    return false;
}

/* One part of the zip, as a NUL-terminated string the caller frees. */
static char *
unzip_part(const char *file, const char *part)
{
    char cmd[1024], chunk[4096];
    size_t len = 0, n;
    char *buf = xmalloc(1);
    FILE *p;

    snprintf(cmd, sizeof(cmd), "unzip -p '%s' '%s'", file, part);
    p = popen(cmd, "r");
    assert_non_null(p);
    while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0) {
        buf = xrealloc(buf, len + n + 1);
        memcpy(buf + len, chunk, n);
        len += n;
    }
    buf[len] = '\0';
    assert_int_equal(pclose(p), 0);
    assert_true(len > 0);
    return buf;
}

static char *
read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0, got;
    char chunk[4096];

    assert_non_null(fp);
    while ((got = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
        buf = xrealloc(buf, n + got);
        memcpy(buf + n, chunk, got);
        n += got;
    }
    fclose(fp);
    *len = n;
    return buf;
}

#define assert_has(hay, needle)                                                \
    do {                                                                       \
        if (strstr((hay), (needle)) == NULL)                                   \
            fail_msg("'%s' not found", (needle));                              \
    } while (0)

#define assert_lacks(hay, needle)                                              \
    do {                                                                       \
        if (strstr((hay), (needle)) != NULL)                                   \
            fail_msg("'%s' found but not expected", (needle));                 \
    } while (0)

static void
write_book(const struct fx *fx, const struct rollup *r, const char *path,
           enum xlsx_book book, bool monthly)
{
    struct xlsx_opts o = {.book = book, .monthly = monthly, .as_of = AS_OF};
    struct diag err;

    (void)fx;

    diag_clear(&err);
    if (xlsx_write_attachment(path, r, fx->rd, &o, &err) != 0) {
        diag_print(stderr, &err);
        fail_msg("xlsx_write_attachment failed");
    }
}

/* The internal workbook: every sheet. */
static void
write_ok(const struct fx *fx, const struct rollup *r, const char *path)
{
    write_book(fx, r, path, XLSX_BOOK_INTERNAL, false);
}

/* ******************************************************************** */
/* xlsx_write_attachment                                                */
/* ******************************************************************** */

static void
test_xlsx_write_attachment_contents(void **state)
{
    struct fx *fx = *state;
    struct rollup r;
    char path[512];

    if (!have_program("unzip"))
        skip();
    build_rollup(&r, fx->rd, 9, false);
    tmp_path(fx, path, sizeof(path), "a.xlsx");
    write_ok(fx, &r, path);

    char *ss = unzip_part(path, "xl/sharedStrings.xml");
    assert_has(ss, "<t>附件 2024年1-9月各省职工医保个人账户共济情况</t>");
    assert_has(ss, "<t>单位：万人次、亿元</t>");
    assert_has(ss, "<t>单位：人次、万元（共济金额另列精确到分的元值）</t>");
    assert_has(ss,
               "<t>附件 2024年1-9月各省职工医保个人账户共济情况（精确值）</t>");
    assert_has(ss, "<t>单位：人次、元（精确到分，未经四舍五入）</t>");
    assert_has(ss, "<t>入库时间（北京时间）</t>");
    /* the names below their common directory, which a note gives once */
    assert_has(ss, "<t>2024-10-10/beijing-2024.csv</t>");
    assert_has(ss, "<t>2024-10-11/zhejiang-2024-09.csv</t>");
    assert_has(ss, "<t>文件名相对于目录 /srv/in/。</t>");
    assert_lacks(ss, "<t>/srv/in/2024-10-10/beijing-2024.csv</t>");
    assert_lacks(ss, "2024-10-10T09:00:00Z");
    assert_has(ss, "<t>地区</t>");
    assert_has(ss, "<t>同一统筹区</t>");
    assert_has(ss, "<t>省内跨统筹区</t>");
    assert_has(ss, "<t>参加居民医保等个人缴费</t>");
    assert_has(ss, "<t>全国</t>");
    assert_has(ss, "<t>北京</t>");
    assert_has(ss, "<t>浙江</t>");
    assert_has(ss, "<t>新疆生产建设兵团</t>");
    assert_has(ss, "<t>杭州市</t>");
    assert_has(ss, "<t>339998</t>"); /* unknown area: its code, as text */
    assert_has(ss, "<t>2024-01至2024-09</t>");
    assert_has(ss, "<t>2024-09</t>");
    assert_has(ss, "<t>共 2 个文件。</t>");
    assert_has(ss, "<t>注：因四舍五入，分项之和与合计可能略有差异。</t>");
    assert_has(ss, "<t>数据来源：各省级医保部门报送，截至2024-10-15。</t>");
    assert_lacks(ss, "<t>跨省</t>");
    assert_lacks(ss, "跨省人次");
    free(ss);

    char *s1 = unzip_part(path, "xl/worksheets/sheet1.xml");
    assert_has(s1, "<v>1534.5</v>");   /* 北京 人次, 万人次 */
    assert_has(s1, "<v>304.57</v>");   /* 北京 金额, 亿元 */
    assert_has(s1, "<v>23100</v>");    /* 浙江 人次 */
    assert_has(s1, "<v>12.35</v>");    /* 浙江 金额, 12.3457 rounded */
    assert_has(s1, "<v>0.08</v>");     /* 兵团 836 人次 */
    assert_has(s1, "<v>24634.58</v>"); /* 全国 人次, from the exact sum */
    /* 11 columns without 跨省: A..K */
    assert_has(s1, "<mergeCell ref=\"A1:K1\"/>");
    assert_has(s1, "<mergeCell ref=\"A3:A4\"/>");
    assert_has(s1, "<mergeCell ref=\"H3:K3\"/>");
    assert_has(s1, "xSplit=\"1\" ySplit=\"4\"");
    assert_has(s1, "paperSize=\"9\"");
    assert_has(s1, "orientation=\"landscape\"");
    /* the 附件 table on one page: fit 1 x 1 */
    assert_has(s1, "fitToPage=\"1\"");
    assert_lacks(s1, "fitToHeight=\"0\"");
    assert_has(s1, "<oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter>");
    assert_lacks(s1, "<f>");
    free(s1);

    /* 附件精确值: the stored integers, 人次 and 元 to the fen */
    char *sx = unzip_part(path, "xl/worksheets/sheet2.xml");
    assert_has(sx, "<v>15345000</v>");      /* 北京 人次 */
    assert_has(sx, "<v>30457000000</v>");   /* 北京 金额, 元 */
    assert_has(sx, "<v>231000000</v>");     /* 浙江 人次 */
    assert_has(sx, "<v>1234567890.12</v>"); /* 浙江 金额, to the fen */
    assert_has(sx, "<v>836</v>");           /* 兵团 人次 */
    assert_lacks(sx, "<v>1534.5</v>");
    assert_lacks(sx, "<f>");
    assert_has(sx, "fitToHeight=\"0\""); /* one page wide, not one page */
    free(sx);

    char *s2 = unzip_part(path, "xl/worksheets/sheet3.xml");
    assert_has(s2, "<v>123456</v>");     /* 杭州 人次, whole */
    assert_has(s2, "<v>123.46</v>");     /* 杭州 金额, 万元 */
    assert_has(s2, "<v>1234567.89</v>"); /* and exact, 元 */
    assert_has(s2, "<autoFilter ref=\"A3:L5\"/>");
    free(s2);

    char *s3 = unzip_part(path, "xl/worksheets/sheet4.xml");
    assert_has(s3, "<v>100.01</v>"); /* one month, rounded */
    assert_has(s3, "<v>200.01</v>"); /* two months, from the exact sum */
    assert_lacks(s3, "<v>200.02</v>");
    assert_has(s3, "<v>900.05</v>"); /* nine months: 9000450 人次 */
    assert_has(s3, "<v>45</v>");     /* 1+..+9 亿元 */
    free(s3);

    char *s4 = unzip_part(path, "xl/worksheets/sheet5.xml");
    assert_has(s4, "<v>123456</v>"); /* 行数 */
    /* 北京时间 date cells: 2024-10-10T09:00:00Z is 17:00 in Beijing, day
       45575 of Excel's calendar; 20:30Z on the 11th is 04:30 on the 12th */
    assert_has(s4, "<v>45575.70833333334</v>");
    assert_has(s4, "<v>45577.1875</v>");
    free(s4);

    char *wb = unzip_part(path, "xl/workbook.xml");
    assert_has(wb, "<sheet name=\"附件\" sheetId=\"1\"");
    assert_has(wb, "<sheet name=\"附件精确值\" sheetId=\"2\"");
    assert_has(wb, "<sheet name=\"统筹区\" sheetId=\"3\"");
    assert_has(wb, "<sheet name=\"月度\" sheetId=\"4\"");
    assert_has(wb, "<sheet name=\"来源\" sheetId=\"5\"");
    assert_has(wb, "'附件'!$3:$4");
    free(wb);

    char *st = unzip_part(path, "xl/styles.xml");
    assert_has(st, "formatCode=\"yyyy-mm-dd hh:mm:ss\"");
    assert_has(st, "formatCode=\"#,##0.00\"");
    free(st);

    char *core = unzip_part(path, "docProps/core.xml");
    assert_has(core, "<dc:title>附件 2024年1-9月各省职工医保个人账户共济情况"
                     "（内部工作底稿）</dc:title>");
    assert_has(core, "<dc:creator>gongji</dc:creator>");
    assert_has(core, "2024-10-15T00:00:00Z");
    free(core);

    char *custom = unzip_part(path, "docProps/custom.xml");
    assert_has(custom, "name=\"数据期\"");
    assert_has(custom, "2024-01..2024-09");
    free(custom);

    free_rollup(&r);
}

/* The publishable workbook: 附件 alone, or with 月度 when asked. */
static void
test_xlsx_write_attachment_publish(void **state)
{
    struct fx *fx = *state;
    struct rollup r;
    char path[512];

    if (!have_program("unzip"))
        skip();
    build_rollup(&r, fx->rd, 9, false);
    tmp_path(fx, path, sizeof(path), "p.xlsx");
    write_book(fx, &r, path, XLSX_BOOK_PUBLISH, false);
    char *wb = unzip_part(path, "xl/workbook.xml");
    assert_has(wb, "<sheet name=\"附件\" sheetId=\"1\"");
    assert_lacks(wb, "sheetId=\"2\"");
    free(wb);
    char *ss = unzip_part(path, "xl/sharedStrings.xml");
    assert_has(ss, "<t>单位：万人次、亿元</t>");
    /* nothing internal: no exact values, areas, files or times */
    assert_lacks(ss, "精确");
    assert_lacks(ss, "beijing-2024.csv");
    assert_lacks(ss, "杭州市");
    assert_lacks(ss, "SHA-256");
    free(ss);
    char *s1 = unzip_part(path, "xl/worksheets/sheet1.xml");
    assert_has(s1, "<v>1534.5</v>");
    assert_has(s1, "<v>304.57</v>");
    assert_lacks(s1, "<v>15345000</v>");
    free(s1);
    char *core = unzip_part(path, "docProps/core.xml");
    assert_has(core, "<dc:title>附件 2024年1-9月各省职工医保个人账户共济情况"
                     "</dc:title>");
    free(core);

    write_book(fx, &r, path, XLSX_BOOK_PUBLISH, true);
    wb = unzip_part(path, "xl/workbook.xml");
    assert_has(wb, "<sheet name=\"附件\" sheetId=\"1\"");
    assert_has(wb, "<sheet name=\"月度\" sheetId=\"2\"");
    assert_lacks(wb, "sheetId=\"3\"");
    free(wb);
    char *s2 = unzip_part(path, "xl/worksheets/sheet2.xml");
    assert_has(s2, "<v>900.05</v>");
    free(s2);
    free_rollup(&r);
}

static void
test_xlsx_write_attachment_cross_province(void **state)
{
    struct fx *fx = *state;
    struct rollup r;
    char path[512];

    if (!have_program("unzip"))
        skip();
    build_rollup(&r, fx->rd, 9, true);
    tmp_path(fx, path, sizeof(path), "cross.xlsx");
    write_ok(fx, &r, path);

    char *ss = unzip_part(path, "xl/sharedStrings.xml");
    assert_has(ss, "<t>跨省</t>");
    assert_has(ss, "<t>跨省人次</t>");
    free(ss);

    char *s1 = unzip_part(path, "xl/worksheets/sheet1.xml");
    /* 13 columns with 跨省: A..M; its pair is H:I, uses J:M */
    assert_has(s1, "<mergeCell ref=\"A1:M1\"/>");
    assert_has(s1, "<mergeCell ref=\"H3:I3\"/>");
    assert_has(s1, "<mergeCell ref=\"J3:M3\"/>");
    assert_has(s1, "<v>1.23</v>"); /* 浙江 跨省 12345 人次 in 万人次 */
    free(s1);
    free_rollup(&r);
}

static void
test_xlsx_write_attachment_january(void **state)
{
    struct fx *fx = *state;
    struct rollup r;
    char path[512];

    if (!have_program("unzip"))
        skip();
    build_rollup(&r, fx->rd, 1, false);
    tmp_path(fx, path, sizeof(path), "jan.xlsx");
    write_ok(fx, &r, path);

    char *ss = unzip_part(path, "xl/sharedStrings.xml");
    assert_has(ss, "<t>附件 2024年1月各省职工医保个人账户共济情况</t>");
    assert_has(ss, "<t>1月</t>");
    assert_lacks(ss, "<t>2月</t>");
    free(ss);

    char *custom = unzip_part(path, "docProps/custom.xml");
    assert_has(custom, "2024-01..2024-01");
    free(custom);
    free_rollup(&r);
}

static void
test_xlsx_write_attachment_reproducible(void **state)
{
    struct fx *fx = *state;
    struct rollup r;
    char p1[512], p2[512];
    size_t n1, n2;

    build_rollup(&r, fx->rd, 9, true);
    tmp_path(fx, p1, sizeof(p1), "one.xlsx");
    tmp_path(fx, p2, sizeof(p2), "two.xlsx");
    write_ok(fx, &r, p1);
    write_ok(fx, &r, p2);

    char *b1 = read_file(p1, &n1);
    char *b2 = read_file(p2, &n2);
    assert_true(n1 > 1000);
    assert_int_equal(n1, n2);
    assert_memory_equal(b1, b2, n1);
    free(b1);
    free(b2);
    free_rollup(&r);
}

static void
test_xlsx_write_attachment_cantcreat(void **state)
{
    struct fx *fx = *state;
    struct rollup r;
    struct xlsx_opts o = {.as_of = AS_OF};
    struct diag err;
    char path[512];

    build_rollup(&r, fx->rd, 9, false);
    tmp_path(fx, path, sizeof(path), "no-such-dir/a.xlsx");
    diag_clear(&err);
    assert_int_equal(xlsx_write_attachment(path, &r, fx->rd, &o, &err), -1);
    assert_int_equal(err.code, DIAG_CANTCREAT);
    assert_non_null(strstr(err.msg, "no-such-dir/a.xlsx"));

    /* a directory is not a file we can create */
    diag_clear(&err);
    assert_int_equal(xlsx_write_attachment(fx->dir, &r, fx->rd, &o, &err), -1);
    assert_int_equal(err.code, DIAG_CANTCREAT);
    free_rollup(&r);
}

static void
test_xlsx_write_attachment_bad_as_of(void **state)
{
    struct fx *fx = *state;
    static const char *bad[] = {NULL,        "",           "2024-02-30",
                                "2024-1-05", "1970-01-01", "20241015"};
    struct rollup r;
    char path[512];
    struct stat st;

    build_rollup(&r, fx->rd, 9, false);
    tmp_path(fx, path, sizeof(path), "bad.xlsx");
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        struct xlsx_opts o = {.as_of = bad[i]};
        struct diag err;
        diag_clear(&err);
        assert_int_equal(xlsx_write_attachment(path, &r, fx->rd, &o, &err), -1);
        assert_int_equal(err.code, DIAG_USAGE);
        /* nothing was created */
        assert_int_equal(stat(path, &st), -1);
    }
    free_rollup(&r);
}

/* ******************************************************************** */
/* Helpers                                                              */
/* ******************************************************************** */

static void
test_xlsx_check_name(void **state)
{
    static const struct {
        const char *name;
        int rc;
    } cases[] = {
        {"附件", 0},
        {"统筹区", 0},
        {"Sheet1", 0},
        {"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一",
         0}, /* 31 */
        {"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二",
         -1}, /* 32 */
        {"", -1},
        {NULL, -1},
        {"a[b", -1},
        {"a]b", -1},
        {"a:b", -1},
        {"a*b", -1},
        {"a?b", -1},
        {"a/b", -1},
        {"a\\b", -1},
        {"'quoted", -1},
        {"quoted'", -1},
        {"it's", 0},
        {"\xff\xfe", -1},
    };
    (void)state;

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct diag err;
        diag_clear(&err);
        int rc = xlsx_check_name(cases[i].name, &err);
        if (rc != cases[i].rc)
            fail_msg("case %zu: rc %d, want %d", i, rc, cases[i].rc);
        if (rc < 0)
            assert_int_equal(err.code, DIAG_CONFIG);
    }
}

static void
test_xlsx_text_width(void **state)
{
    (void)state;
    assert_int_equal(xlsx_text_width(""), 0);
    assert_int_equal(xlsx_text_width(NULL), 0);
    assert_int_equal(xlsx_text_width("abc"), 3);
    assert_int_equal(xlsx_text_width("地区"), 4);
    assert_int_equal(xlsx_text_width("2024年1-9月"), 11);
    assert_int_equal(xlsx_text_width("单位：万人次、亿元"), 18);
}

static void
test_xlsx_date_epoch(void **state)
{
    static const struct {
        const char *in;
        int64_t want;
        int rc;
    } cases[] = {
        {"1970-01-01", 0, 0},
        {"1970-01-02", 86400, 0},
        {"2000-02-29", 951782400, 0},
        {"2024-10-15", 1728950400, 0},
        {"2024-02-29", 1709164800, 0},
        {"2023-02-29", 0, -1},
        {"1900-02-28", 0, -1},
        {"1969-12-31", 0, -1},
        {"2024-13-01", 0, -1},
        {"2024-00-10", 0, -1},
        {"2024-04-31", 0, -1},
        {"2024-10-1", 0, -1},
        {"2024-10-150", 0, -1},
        {"2024/10/15", 0, -1},
        {"2024-1a-15", 0, -1},
        {" 2024-10-1", 0, -1},
        {"", 0, -1},
    };
    (void)state;

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct diag err;
        int64_t secs = -1;
        diag_clear(&err);
        int rc = xlsx_date_epoch(cases[i].in, &secs, &err);
        if (rc != cases[i].rc)
            fail_msg("'%s': rc %d, want %d", cases[i].in, rc, cases[i].rc);
        if (rc == 0)
            assert_int_equal(secs, cases[i].want);
        else
            assert_int_equal(err.code, DIAG_USAGE);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_xlsx_write_attachment_contents,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_xlsx_write_attachment_cross_province, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_write_attachment_publish,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_write_attachment_january,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_write_attachment_reproducible,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_write_attachment_cantcreat,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_write_attachment_bad_as_of,
                                        setup, teardown),
        cmocka_unit_test(test_xlsx_check_name),
        cmocka_unit_test(test_xlsx_text_width),
        cmocka_unit_test(test_xlsx_date_epoch),
    };

    return cmocka_run_group_tests_name("xlsx", tests, NULL, NULL);
}
