/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_plot.c - the pure parts of the charts: label sanitising,
 * title checks, the tile grid, the data files gongji writes for gnuplot,
 * and output-format detection.  Nothing here runs gnuplot (that is
 * tests/e2e/90-charts.sh).
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
#include "common/sbuf.h"
#include "common/utf8.h"
#include "ingest/refdata.h"
#include "report/chartdata.h"
#include "report/chartfile.h"
#include "report/plot.h"
#include "report/tilemap.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---------------------------------------------------------------------- */
/* Helpers                                                                 */
/* ---------------------------------------------------------------------- */

/* Write cd's data file (or legend) into a string; caller frees. */
static char *
written(const struct chartdata *cd, bool legend)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);

    assert_non_null(fp);
    if (legend)
        assert_int_equal(chartfile_write_legend(fp, cd), 0);
    else
        assert_int_equal(chartfile_write(fp, cd), 0);
    assert_int_equal(fclose(fp), 0);
    return buf;
}

/* Number of lines; every line must end in '\n'. */
static size_t
count_lines(const char *s)
{
    size_t n = 0;
    for (const char *p = s; *p != '\0'; p++)
        if (*p == '\n')
            n++;
    assert_true(s[0] == '\0' || s[strlen(s) - 1] == '\n');
    return n;
}

/* Field f (0-based) of line l (0-based) into out. */
static void
field(const char *s, size_t l, size_t f, char *out, size_t outsz)
{
    const char *p = s;
    for (size_t i = 0; i < l; i++) {
        p = strchr(p, '\n');
        assert_non_null(p);
        p++;
    }
    for (size_t i = 0; i < f; i++) {
        p = strpbrk(p, "\t\n");
        assert_true(p != NULL && *p == '\t');
        p++;
    }
    size_t n = strcspn(p, "\t\n");
    assert_true(n < outsz);
    memcpy(out, p, n);
    out[n] = '\0';
}

/*
 * What every data file must satisfy for gnuplot: valid UTF-8, no '"' or
 * '\' anywhere, no control character but tab and newline, every line with
 * as many fields as the header and no field empty (an empty field is a
 * missing value and would drop the row).
 */
static void
assert_safe_tsv(const char *s)
{
    size_t len = strlen(s), header_fields = 0, fields = 1;
    bool first = true, at_field_start = true;

    assert_true(utf8_valid(s, len, NULL));
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        assert_true(c != '"' && c != '\\');
        assert_true(c >= 0x20 || c == '\t' || c == '\n');
        assert_true(c != 0x7F);
        if (c == '\t' || c == '\n')
            assert_false(at_field_start); /* empty field */
        at_field_start = c == '\t' || c == '\n';
        if (c == '\t')
            fields++;
        if (c == '\n') {
            if (first)
                header_fields = fields;
            else
                assert_int_equal(fields, header_fields);
            first = false;
            fields = 1;
        }
    }
}

static struct refdata *
load_refdata(void)
{
    struct diag err;
    char dirbuf[4096];
    diag_clear(&err);
    struct refdata *rd = refdata_load(
        refdata_default_dir(getenv("GONGJI_DATA"), dirbuf, sizeof(dirbuf)),
        &err);
    if (rd == NULL) {
        diag_print(stderr, &err);
        fail_msg("cannot load the reference tables");
    }
    return rd;
}

/* ---------------------------------------------------------------------- */
/* chartdata_sanitize                                                      */
/* ---------------------------------------------------------------------- */

static void
test_sanitize_table(void **state)
{
    static const struct {
        const char *in;
        size_t max;
        const char *want;
    } cases[] = {
        {"浙江", 24, "浙江"},
        {"a\"b\"c\"", 24, "a“b”c“"},
        {"back\\slash\\\\", 24, "back＼slash＼＼"},
        {"tab\there\rcr\nlf", 24, "tab here cr lf"},
        {"ctl\x01\x1f\x7f end", 24, "ctl    end"},
        {"c1 \xc2\x85 ls \xe2\x80\xa8", 24, "c1   ls"},
        {"  spaced  ", 24, "spaced"},
        {"", 24, "?"},
        {"   ", 24, "?"},
        {"\t\n", 24, "?"},
        {"bad \xff\xfe utf8 \xe6\xb5", 24, "bad ?? utf8 ??"},
        {"`touch X`", 24, "`touch X`"},
        {"system(\"touch X\")", 24, "system(“touch X”)"},
        {"<cmd", 24, "<cmd"},
        {"|cmd", 24, "|cmd"},
        {"@macro", 24, "@macro"},
        {"EOD", 24, "EOD"},
        {"#hash", 24, "#hash"},
        {"新疆生产建设兵团", 8, "新疆生产建设兵团"},
        {"新疆生产建设兵团X", 8, "新疆生产建设兵…"},
        {"abcdefghij", 4, "abc…"},
        {"ab  cdefghij", 4, "ab…"},      /* no space before the ellipsis */
        {"一二三四五", 0, "一二三四五"}, /* 0: no limit */
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct sbuf sb = SBUF_INIT;
        chartdata_sanitize(&sb, cases[i].in, cases[i].max);
        if (strcmp(sb.buf, cases[i].want) != 0)
            fail_msg("case %zu: '%s' -> '%s', want '%s'", i, cases[i].in,
                     sb.buf, cases[i].want);
        sbuf_release(&sb);
    }
    struct sbuf sb = SBUF_INIT;
    chartdata_sanitize(&sb, NULL, 24);
    assert_string_equal(sb.buf, "?");
    sbuf_release(&sb);
}

static void
test_sanitize_appends(void **state)
{
    struct sbuf sb = SBUF_INIT;

    (void)state;
    sbuf_addstr(&sb, "x\t");
    chartdata_sanitize(&sb, "a\"b", 24);
    assert_string_equal(sb.buf, "x\ta“b");
    sbuf_release(&sb);
}

/* ---------------------------------------------------------------------- */
/* chartdata_title_ok                                                      */
/* ---------------------------------------------------------------------- */

static void
test_title_ok(void **state)
{
    static const struct {
        const char *in;
        bool ok;
    } cases[] = {
        {"2024年前三季度各省份共济人次", true},
        {"标题`touch X`\" . system(\"touch Y\") . \"", true},
        {"'x' . system('id') . '", true},
        {"<cmd |cmd @macro EOD _^{}&", true},
        {"line\nbreak", false},
        {"cr\rhere", false},
        {"tab\there", false},
        {"del\x7f", false},
        {"c1 \xc2\x85", false},
        {"ls \xe2\x80\xa8", false},
        {"bad \xff utf8", false},
        {"一二三四五六七八九十一二三四五六七八九十一二三四五六七八", true},
        {"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九", false},
        {"WWWWWWWWWWWWWWWWWWWWWWWWWWWWWW", false},
        {"abcdefghijabcdefghijabcdefghijabcdefghij", true},
    };
    char why[128];

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        why[0] = '\0';
        bool ok = chartdata_title_ok(cases[i].in, why, sizeof(why));
        if (ok != cases[i].ok)
            fail_msg("case %zu '%s': %s (%s)", i, cases[i].in,
                     ok ? "accepted" : "rejected", why);
        if (!ok)
            assert_true(why[0] != '\0');
    }
}

/* ---------------------------------------------------------------------- */
/* The tile grid                                                           */
/* ---------------------------------------------------------------------- */

static void
test_tilemap_covers_provinces(void **state)
{
    struct refdata *rd = load_refdata();
    size_t n = refdata_province_count(rd);

    (void)state;
    assert_int_equal(n, 32);
    assert_int_equal(tilemap_count(), n);
    /* every province has exactly one tile ... */
    for (size_t i = 0; i < n; i++) {
        int code = refdata_province_at(rd, i)->code;
        size_t hits = 0;
        for (size_t k = 0; k < tilemap_count(); k++)
            if (tilemap_at(k)->code == code)
                hits++;
        if (hits != 1)
            fail_msg("province %d has %zu tiles", code, hits);
        assert_non_null(tilemap_find(code));
        assert_int_equal(tilemap_find(code)->code, code);
    }
    /* ... and every tile is a province */
    for (size_t k = 0; k < tilemap_count(); k++)
        assert_non_null(refdata_province(rd, tilemap_at(k)->code));
    assert_null(tilemap_at(tilemap_count()));
    assert_null(tilemap_find(710000));
    refdata_free(rd);
}

static void
test_tilemap_no_overlap(void **state)
{
    bool used[TILEMAP_ROWS][TILEMAP_COLS];

    (void)state;
    memset(used, 0, sizeof(used));
    for (size_t k = 0; k < tilemap_count(); k++) {
        const struct tile *t = tilemap_at(k);
        assert_in_range(t->col, 0, TILEMAP_COLS - 1);
        assert_in_range(t->row, 0, TILEMAP_ROWS - 1);
        if (used[t->row][t->col])
            fail_msg("two tiles at column %d, row %d (second: %d)", t->col,
                     t->row, t->code);
        used[t->row][t->col] = true;
    }
}

static void
test_tilemap_geography(void **state)
{
    const struct tile *hlj = tilemap_find(230000), *xj = tilemap_find(650000);
    const struct tile *bt = tilemap_find(660000), *hn = tilemap_find(460000);
    int min_col = TILEMAP_COLS, max_row = 0;

    (void)state;
    for (size_t k = 0; k < tilemap_count(); k++) {
        const struct tile *t = tilemap_at(k);
        if (t->col < min_col)
            min_col = t->col;
        if (t->row > max_row)
            max_row = t->row;
        /* 黑龙江 is the north-easternmost: nothing above or right of it */
        assert_true(t->row >= hlj->row);
        assert_true(t->col <= hlj->col);
    }
    assert_int_equal(hn->row, max_row);  /* 海南 at the bottom */
    assert_true(xj->col <= min_col + 1); /* 新疆 on the left */
    /* the Corps beside Xinjiang */
    int dc = bt->col - xj->col, dr = bt->row - xj->row;
    assert_true(dc * dc + dr * dr == 1);
}

/* ---------------------------------------------------------------------- */
/* Data files                                                              */
/* ---------------------------------------------------------------------- */

static void
test_write_bars(void **state)
{
    struct chart_row rows[] = {
        {110000, "北京", {12345678, 123456}, {{0, 0}}},
        {120000, "a\"b\\c\td", {500, 99}, {{0, 0}}},
        {130000, "", {98765432, 1}, {{0, 0}}},
        {140000, "同", {500, 7}, {{0, 0}}}, /* tie with 120000 */
    };
    struct chartdata cd = {CHART_PROVINCE_BARS,
                           CHART_PERSON_TIMES,
                           {{2024, 1}, {2024, 9}},
                           rows,
                           ARRAY_SIZE(rows),
                           {0, 0},
                           NULL,
                           false,
                           NULL,
                           false};
    char f[64];

    (void)state;
    char *s = written(&cd, false);
    assert_safe_tsv(s);
    assert_int_equal(count_lines(s), 1 + ARRAY_SIZE(rows));
    static const char header[] =
        "province\tlabel\tperson_times\tamount\tvalue\n";
    assert_memory_equal(s, header, sizeof(header) - 1);
    /* ascending; the tie keeps table order from the top (140000 first in
     * the file means it is drawn below 120000) */
    static const char *const order[] = {"140000", "120000", "110000", "130000"};
    for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
        field(s, 1 + i, 0, f, sizeof(f));
        assert_string_equal(f, order[i]);
    }
    field(s, 2, 1, f, sizeof(f));
    assert_string_equal(f, "a“b＼c d");
    field(s, 4, 1, f, sizeof(f));
    assert_string_equal(f, "?");
    /* exact figures, and values in the unit of the largest (万人次) */
    field(s, 3, 2, f, sizeof(f));
    assert_string_equal(f, "12345678");
    field(s, 3, 3, f, sizeof(f));
    assert_string_equal(f, "1234.56");
    field(s, 3, 4, f, sizeof(f));
    assert_string_equal(f, "1234.57");
    field(s, 4, 4, f, sizeof(f));
    assert_string_equal(f, "9876.54");
    field(s, 1, 4, f, sizeof(f));
    assert_string_equal(f, "0.05");
    free(s);

    /* the amount metric, in 亿元 */
    rows[2].m.amount_fen = 30457000000; /* 3.0457亿元 */
    cd.metric = CHART_AMOUNT;
    s = written(&cd, false);
    assert_safe_tsv(s);
    field(s, 4, 0, f, sizeof(f));
    assert_string_equal(f, "130000");
    field(s, 4, 3, f, sizeof(f));
    assert_string_equal(f, "304570000.00");
    field(s, 4, 4, f, sizeof(f));
    assert_string_equal(f, "3.05");
    free(s);
}

static void
test_write_scope(void **state)
{
    struct chart_row rows[] = {
        /* same_area, cross_area, in_province (unsplit), cross_province */
        {110000, "北京", {330, 0}, {{100, 0}, {150, 0}, {30, 0}, {50, 0}}},
        {120000, "天津", {0, 0}, {{0, 0}, {0, 0}, {0, 0}, {0, 0}}},
    };
    struct chartdata cd = {CHART_SCOPE,
                           CHART_PERSON_TIMES,
                           {{2024, 1}, {2024, 6}},
                           rows,
                           ARRAY_SIZE(rows),
                           {330, 0},
                           NULL,
                           true,
                           NULL,
                           false};
    char f[64];

    (void)state;
    char *s = written(&cd, false);
    assert_safe_tsv(s);
    assert_int_equal(count_lines(s), 3);
    field(s, 0, 4, f, sizeof(f));
    assert_string_equal(f, "same_area_person_times");
    field(s, 0, 8, f, sizeof(f));
    assert_string_equal(f, "in_province_person_times");
    field(s, 0, 16, f, sizeof(f));
    assert_string_equal(f, "value");
    /* 北京 last (largest); ends are running sums in 人次 (columns 13-16) */
    field(s, 2, 0, f, sizeof(f));
    assert_string_equal(f, "110000");
    field(s, 2, 12, f, sizeof(f));
    assert_string_equal(f, "100");
    field(s, 2, 13, f, sizeof(f));
    assert_string_equal(f, "250");
    field(s, 2, 14, f, sizeof(f));
    assert_string_equal(f, "280");
    field(s, 2, 15, f, sizeof(f));
    assert_string_equal(f, "330");
    field(s, 2, 16, f, sizeof(f));
    assert_string_equal(f, "330");
    free(s);
}

static void
test_write_use(void **state)
{
    struct chart_row rows[USE_N] = {
        {USE_MEDICAL, "定点医疗机构", {0, 6000}, {{0, 0}}},
        {USE_PHARMACY, "定点零售药店", {0, 3000}, {{0, 0}}},
        {USE_PREMIUM, "参加居民医保等个人缴费", {0, 1000}, {{0, 0}}},
        {USE_OTHER, "其他", {0, 0}, {{0, 0}}},
    };
    struct chartdata cd = {CHART_USE, CHART_AMOUNT, {{2024, 1}, {2024, 9}},
                           rows,      USE_N,        {0, 10000},
                           NULL,      false,        NULL,
                           false};
    char f[64];

    (void)state;
    char *s = written(&cd, false);
    assert_safe_tsv(s);
    assert_int_equal(count_lines(s), 1 + USE_N);
    field(s, 1, 0, f, sizeof(f));
    assert_string_equal(f, "medical");
    field(s, 1, 4, f, sizeof(f));
    assert_string_equal(f, "60.00元");
    field(s, 1, 5, f, sizeof(f));
    assert_string_equal(f, "60.00%");
    /* the ring starts at 12 o'clock, runs clockwise, and closes */
    field(s, 1, 7, f, sizeof(f));
    assert_string_equal(f, "90.000");
    field(s, 1, 6, f, sizeof(f));
    assert_string_equal(f, "-126.000");
    field(s, 2, 7, f, sizeof(f));
    assert_string_equal(f, "-126.000");
    field(s, 4, 6, f, sizeof(f));
    assert_string_equal(f, "-270.000");
    field(s, 4, 7, f, sizeof(f));
    assert_string_equal(f, "-270.000");
    free(s);

    /* nothing at all: shares are "—" and every wedge is empty */
    for (size_t i = 0; i < USE_N; i++)
        rows[i].m.amount_fen = 0;
    cd.total.amount_fen = 0;
    s = written(&cd, false);
    assert_safe_tsv(s);
    field(s, 2, 5, f, sizeof(f));
    assert_string_equal(f, "—");
    field(s, 2, 6, f, sizeof(f));
    assert_string_equal(f, "90.000");
    free(s);
}

static void
test_write_trend(void **state)
{
    struct chart_row rows[] = {
        {202311, NULL, {20000, 150}, {{0, 0}}},
        {202312, NULL, {0, 0}, {{0, 0}}},
        {202401, NULL, {5000, 1000000}, {{0, 0}}},
    };
    struct chartdata cd = {CHART_TREND,
                           CHART_PERSON_TIMES,
                           {{2023, 11}, {2024, 1}},
                           rows,
                           ARRAY_SIZE(rows),
                           {25000, 1000150},
                           NULL,
                           false,
                           NULL,
                           false};
    char f[64];

    (void)state;
    char *s = written(&cd, false);
    assert_safe_tsv(s);
    assert_int_equal(count_lines(s), 4);
    field(s, 1, 0, f, sizeof(f));
    assert_string_equal(f, "2023-11");
    field(s, 1, 1, f, sizeof(f));
    assert_string_equal(f, "2023-11"); /* two years: no bare "11月" */
    field(s, 3, 4, f, sizeof(f));
    assert_string_equal(f, "25000");
    field(s, 3, 5, f, sizeof(f));
    assert_string_equal(f, "10001.50");
    field(s, 3, 10, f, sizeof(f));
    assert_string_equal(f, "累计2.50万人次");
    field(s, 3, 11, f, sizeof(f));
    assert_string_equal(f, "累计1.00万元");
    free(s);
}

/* The wallet by month: 省内 (with its children) and 跨省 stacked. */
static void
test_write_wallet(void **state)
{
    struct chart_row rows[3];
    struct chartdata cd = {CHART_WALLET,
                           CHART_PERSON_TIMES,
                           {{2025, 1}, {2025, 3}},
                           rows,
                           ARRAY_SIZE(rows),
                           {0, 0},
                           NULL,
                           false,
                           NULL,
                           false};
    struct measures by[3][CODES_MAX];
    struct rollup r;
    char f[64];

    (void)state;
    /* from a rollup: month 1 nothing, month 2 both parts (省内 partly as
     * its children), month 3 only 跨省 */
    memset(by, 0, sizeof(by));
    by[1][SCOPE_IN_PROVINCE] = (struct measures){6590, 48805000};
    by[1][SCOPE_SAME_AREA] = (struct measures){10, 1000};
    by[1][SCOPE_CROSS_PROVINCE] = (struct measures){3089, 23617000};
    by[2][SCOPE_CROSS_PROVINCE] = (struct measures){12345, 850600};
    memset(&r, 0, sizeof(r));
    r.period = (struct period){2025, 3};
    r.wallet_monthly = &by[0][0];
    r.has_wallet = true;
    r.nation.chan[CHANNEL_WALLET].total = (struct measures){22034, 73273600};
    chartdata_from_rollup(&cd, CHART_WALLET, CHART_PERSON_TIMES, &r, NULL);
    assert_int_equal(cd.nrows, 3);
    assert_int_equal(cd.rows[1].code, 202502);
    assert_int_equal(cd.rows[1].m.person_times, 9689);
    assert_int_equal(cd.rows[1].scope[SCOPE_IN_PROVINCE].person_times, 6600);
    assert_int_equal(cd.rows[1].scope[SCOPE_IN_PROVINCE].amount_fen, 48806000);
    assert_int_equal(cd.total.person_times, 22034);
    memcpy(rows, cd.rows, sizeof(rows));
    chartdata_release(&cd);
    cd = (struct chartdata){CHART_WALLET,
                            CHART_PERSON_TIMES,
                            {{2025, 1}, {2025, 3}},
                            rows,
                            ARRAY_SIZE(rows),
                            {22034, 73273600},
                            NULL,
                            false,
                            NULL,
                            false};

    char *s = written(&cd, false);
    assert_safe_tsv(s);
    assert_int_equal(count_lines(s), 4);
    static const char *const header[] = {
        "period",
        "label",
        "person_times",
        "amount",
        "in_province_person_times",
        "in_province_amount",
        "cross_province_person_times",
        "cross_province_amount",
        "end1",
        "end2",
        "value",
    };
    for (size_t i = 0; i < ARRAY_SIZE(header); i++) {
        field(s, 0, i, f, sizeof(f));
        assert_string_equal(f, header[i]);
    }
    static const char *const feb[] = {
        "2025-02", "2月",       "9689", "724230.00", "6600", "488060.00",
        "3089",    "236170.00", "0.66", "0.97",      "0.97",
    };
    for (size_t i = 0; i < ARRAY_SIZE(feb); i++) {
        field(s, 2, i, f, sizeof(f));
        if (strcmp(f, feb[i]) != 0)
            fail_msg("February, column %zu: '%s', want '%s'", i + 1, f, feb[i]);
    }
    /* an empty month is zero everywhere; the units follow the largest */
    field(s, 1, 2, f, sizeof(f));
    assert_string_equal(f, "0");
    field(s, 1, 10, f, sizeof(f));
    assert_string_equal(f, "0.00");
    field(s, 3, 8, f, sizeof(f));
    assert_string_equal(f, "0.00");
    field(s, 3, 9, f, sizeof(f));
    assert_string_equal(f, "1.23");
    free(s);

    /* counts are in 笔, not 人次 */
    struct sbuf sb = SBUF_INIT;
    chartdata_title(&cd, &sb);
    assert_string_equal(sb.buf, "医保钱包共济笔数（按月，分省内、跨省）");
    sbuf_reset(&sb);
    chartdata_subtitle(&cd, &sb);
    assert_string_equal(sb.buf, "2025年1-3月　单位：万笔");
    sbuf_reset(&sb);
    chartdata_axis_label(&cd, CHART_PERSON_TIMES, false, &sb);
    assert_string_equal(sb.buf, "共济笔数（万笔）");
    sbuf_reset(&sb);
    cd.metric = CHART_AMOUNT;
    chartdata_axis_label(&cd, CHART_AMOUNT, false, &sb);
    assert_string_equal(sb.buf, "共济金额（万元）");
    sbuf_release(&sb);
    s = written(&cd, false);
    field(s, 2, 10, f, sizeof(f));
    assert_string_equal(f, "72.42"); /* 724230.00元 in 万元 */
    free(s);
}

static void
test_write_map(void **state)
{
    struct chart_row rows[] = {
        {650000, "新疆", {1000000, 0}, {{0, 0}}},
        {660000, "新疆生产建设兵团", {4999999, 0}, {{0, 0}}},
        {710000, "台湾", {5, 0}, {{0, 0}}}, /* no tile: left out */
        {110000, "x\"y", {0, 0}, {{0, 0}}},
    };
    struct chartdata cd = {CHART_MAP,
                           CHART_PERSON_TIMES,
                           {{2024, 1}, {2024, 9}},
                           rows,
                           ARRAY_SIZE(rows),
                           {0, 0},
                           NULL,
                           false,
                           NULL,
                           false};
    char f[64];

    (void)state;
    /* three tiles are too few for quintiles: round steps of 200万 */
    int64_t br[TILEMAP_CLASSES - 1];
    chartfile_map_breaks(&cd, br);
    assert_int_equal(br[0], 20000);
    assert_int_equal(br[3], 80000);
    char *s = written(&cd, false);
    assert_safe_tsv(s);
    assert_int_equal(count_lines(s), 4);
    field(s, 1, 1, f, sizeof(f));
    assert_string_equal(f, "1");
    field(s, 1, 3, f, sizeof(f));
    assert_string_equal(f, "-");
    field(s, 2, 1, f, sizeof(f));
    assert_string_equal(f, "2");
    field(s, 2, 2, f, sizeof(f));
    assert_string_equal(f, "新疆生产");
    field(s, 2, 3, f, sizeof(f));
    assert_string_equal(f, "建设兵团");
    field(s, 2, 9, f, sizeof(f));
    assert_string_equal(f, "2"); /* 500.00 in [400, 600) */
    field(s, 1, 9, f, sizeof(f));
    assert_string_equal(f, "0");
    field(s, 3, 2, f, sizeof(f));
    assert_string_equal(f, "x“y");
    free(s);

    s = written(&cd, true);
    assert_safe_tsv(s);
    assert_int_equal(count_lines(s), 1 + TILEMAP_CLASSES);
    field(s, 1, 3, f, sizeof(f));
    assert_string_equal(f, "200以下");
    field(s, 2, 3, f, sizeof(f));
    assert_string_equal(f, "200～400");
    field(s, 5, 3, f, sizeof(f));
    assert_string_equal(f, "800及以上");
    free(s);
}

static void
test_write_map_legend_decimals(void **state)
{
    /* amounts in 亿元 whose quintiles are 2.5, 4.3, 8.5 and 14 */
    struct chart_row rows[32];
    struct chartdata cd = {CHART_MAP, CHART_AMOUNT, {{2024, 1}, {2024, 9}},
                           rows,      32,           {0, 0},
                           NULL,      false,        NULL,
                           false};
    char f[64];

    (void)state;
    memset(rows, 0, sizeof(rows));
    for (size_t i = 0; i < 32; i++) {
        int64_t h = i < 6    ? 100
                    : i < 12 ? 250
                    : i < 19 ? 430
                    : i < 25 ? 850
                    : i < 31 ? 1400
                             : 2000;
        rows[i].code = tilemap_at(i)->code;
        rows[i].name = "省";
        rows[i].m.amount_fen = h * 100000000; /* hundredths of 亿元 */
    }
    char *s = written(&cd, true);
    assert_safe_tsv(s);
    static const char *const want[] = {"2.5以下", "2.5～4.3", "4.3～8.5",
                                       "8.5～14.0", "14.0及以上"};
    for (size_t c = 0; c < TILEMAP_CLASSES; c++) {
        field(s, 1 + c, 3, f, sizeof(f));
        assert_string_equal(f, want[c]);
    }
    field(s, 5, 2, f, sizeof(f));
    assert_string_equal(f, "-1");
    free(s);
}

static void
test_tilemap_breaks_quintiles(void **state)
{
    /* 1-9月 2024 person-times of the calibrated sample, in 万 hundredths */
    static const int64_t v[] = {
        326920, 283304, 209753, 167972, 149813, 130382, 115896, 106238,
        82538,  79678,  77264,  72435,  72435,  67606,  62196,  55340,
        48290,  46498,  43171,  36217,  36217,  32234,  31388,  28974,
        22026,  21730,  20233,  14487,  8451,   6036,   4829,   2897,
    };
    static const int64_t want[TILEMAP_CLASSES - 1] = {22000, 36000, 72000,
                                                      120000};
    int64_t br[TILEMAP_CLASSES - 1];
    size_t count[TILEMAP_CLASSES] = {0};

    (void)state;
    tilemap_breaks(v, ARRAY_SIZE(v), 1, br);
    for (size_t i = 0; i < TILEMAP_CLASSES - 1; i++)
        assert_int_equal(br[i], want[i]);
    for (size_t i = 0; i < ARRAY_SIZE(v); i++)
        count[tilemap_class(v[i], br)]++;
    for (size_t c = 0; c < TILEMAP_CLASSES; c++)
        assert_in_range(count[c], 4, 9); /* about a fifth each */
    /* a value on a break belongs to the class above */
    assert_int_equal(tilemap_class(21999, br), 0);
    assert_int_equal(tilemap_class(22000, br), 1);
    assert_int_equal(tilemap_class(120000, br), 4);
    assert_int_equal(tilemap_class(0, br), 0);
}

static void
test_tilemap_breaks_fallback(void **state)
{
    static const struct {
        int64_t max;  /* the largest value; the others are 0 */
        int64_t unit; /* 100: whole persons */
        int64_t step; /* the expected class width */
    } cases[] = {
        {0, 1, 100},           {400, 100, 100},   {500, 100, 200},
        {999900, 100, 200000}, {100, 1, 100},     {120000, 1, 25000},
        {50000, 1, 20000},     {49999, 1, 10000},
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        /* many zeros: quintiles are 0, so round steps are used */
        int64_t v[32] = {0};
        int64_t br[TILEMAP_CLASSES - 1];
        v[7] = cases[i].max;
        tilemap_breaks(v, ARRAY_SIZE(v), cases[i].unit, br);
        for (int c = 0; c < TILEMAP_CLASSES - 1; c++)
            if (br[c] != cases[i].step * (c + 1))
                fail_msg("case %zu: break %d is %lld, want %lld", i, c,
                         (long long)br[c],
                         (long long)(cases[i].step * (c + 1)));
        assert_int_equal(tilemap_class(cases[i].max, br),
                         cases[i].max / cases[i].step);
        assert_true(tilemap_class(cases[i].max, br) < TILEMAP_CLASSES);
    }
    /* nothing at all */
    int64_t br[TILEMAP_CLASSES - 1];
    tilemap_breaks(NULL, 0, 1, br);
    assert_int_equal(br[0], 100);
}

/* ---------------------------------------------------------------------- */
/* Words                                                                   */
/* ---------------------------------------------------------------------- */

static void
test_subtitle_and_axis(void **state)
{
    struct chart_row row = {110000, "北京", {123456789, 5}, {{0, 0}}};
    struct chartdata cd = {CHART_PROVINCE_BARS,
                           CHART_PERSON_TIMES,
                           {{2024, 1}, {2024, 9}},
                           &row,
                           1,
                           {0, 0},
                           NULL,
                           false,
                           NULL,
                           false};
    struct sbuf sb = SBUF_INIT;

    (void)state;
    chartdata_subtitle(&cd, &sb);
    assert_string_equal(sb.buf, "2024年1-9月　单位：亿人次");
    sbuf_reset(&sb);
    chartdata_axis_label(&cd, CHART_PERSON_TIMES, false, &sb);
    assert_string_equal(sb.buf, "共济人次（亿人次）");
    sbuf_reset(&sb);
    cd.kind = CHART_TREND;
    chartdata_axis_label(&cd, CHART_AMOUNT, true, &sb);
    assert_string_equal(sb.buf, "累计共济金额（元，右轴）");
    sbuf_release(&sb);
}

static void
test_names(void **state)
{
    (void)state;
    for (int k = 0; k < CHART_KIND_N; k++)
        assert_int_equal(chart_kind_parse(chart_kind_name(k)), k);
    for (int m = 0; m < CHART_METRIC_N; m++)
        assert_int_equal(chart_metric_parse(chart_metric_name(m)), m);
    assert_int_equal(chart_kind_parse("pie"), -1);
    assert_int_equal(chart_metric_parse("amount_fen"), -1);
}

static void
test_format_of(void **state)
{
    (void)state;
    assert_int_equal(plot_format_of("a.png"), PLOT_PNG);
    assert_int_equal(plot_format_of("dir/A.PNG"), PLOT_PNG);
    assert_int_equal(plot_format_of("x.svg"), PLOT_SVG);
    assert_int_equal(plot_format_of("x.Pdf"), PLOT_PDF);
    assert_int_equal(plot_format_of("x.jpeg"), -1);
    assert_int_equal(plot_format_of("x.pngx"), -1);
    assert_int_equal(plot_format_of("png"), -1);
    assert_int_equal(plot_format_of("d.png/x"), -1);
    assert_int_equal(plot_format_of(""), -1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sanitize_table),
        cmocka_unit_test(test_sanitize_appends),
        cmocka_unit_test(test_title_ok),
        cmocka_unit_test(test_tilemap_covers_provinces),
        cmocka_unit_test(test_tilemap_no_overlap),
        cmocka_unit_test(test_tilemap_geography),
        cmocka_unit_test(test_write_bars),
        cmocka_unit_test(test_write_scope),
        cmocka_unit_test(test_write_use),
        cmocka_unit_test(test_write_trend),
        cmocka_unit_test(test_write_wallet),
        cmocka_unit_test(test_write_map),
        cmocka_unit_test(test_write_map_legend_decimals),
        cmocka_unit_test(test_tilemap_breaks_quintiles),
        cmocka_unit_test(test_tilemap_breaks_fallback),
        cmocka_unit_test(test_subtitle_and_axis),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_format_of),
    };
    return cmocka_run_group_tests_name("plot", tests, NULL, NULL);
}
