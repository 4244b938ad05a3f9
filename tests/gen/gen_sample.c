/* SPDX-License-Identifier: MIT */
/*
 * tests/gen/gen_sample.c - the bundled sample data set, data/sample/.
 *
 *   gen_sample OUTDIR
 *
 * Writes a synthetic national set of monthly summary files (DESIGN §3) for
 * January-September 2024 at pooling-area grain, in the shapes provinces send:
 * GB18030 with Chinese headers and values, UTF-8 with English headers (some
 * with a BOM, some with CRLF), periods spelt 2024-01, 202401 or 2024年1月,
 * one file per month or per quarter, with or without the relation and
 * area-name columns.  Files are named PROVINCE_2024-MM.csv or
 * PROVINCE_2024Qn.csv; no (province, month) is covered twice.  Files of
 * that naming pattern already in OUTDIR are removed first; nothing else is
 * touched.
 *
 * The integers are calibrated so that the bulletin for 2024-09 reproduces the
 * published national figures (shared/DOMAIN.md) exactly as displayed; the
 * tables below are the calibration, and the generator checks the published
 * figures, the top-five orders and 山西's January-July against its own rows
 * before writing anything (exit 2 on a mismatch).  No floating point and no
 * random numbers: every split is a largest-remainder split of an exact
 * integer, so the output is byte-identical on every run.
 *
 * Reference tables come from $GONGJI_DATA (default "data"): areas.csv and
 * provinces.csv.  Only area codes listed in areas.csv are used.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>
#include <iconv.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/money.h"
#include "common/sbuf.h"
#include "common/xalloc.h"

__extension__ typedef __uint128_t u128;

#define YEAR      2024
#define NMONTH    9 /* January-September */
#define NSCOPE    2 /* same_area, cross_area; no cross_province in 2024 */
#define NUSE      4
#define NREL      6
#define MAX_PROV  40
#define MAX_AREA  1000
#define MAX_SPLIT 64

enum { SAME, CROSS };
enum { MEDICAL, PHARMACY, PREMIUM, OTHER };

/* ---------------------------------------------------------------------------
 * Calibration tables
 *
 * The published figures (DOMAIN.md, 2024年1-9月), as exact integers; person-
 * times in 人次, amounts in fen.  Displayed with two decimals rounded half
 * away from zero they read: 2.46亿人次 / 304.57亿元 for January-September,
 * an increase of 0.28亿人次 / 42.00亿元 in September (so January-August is
 * 2.18亿人次 / 262.57亿元), 同一统筹区 2.31亿人次 / 275.59亿元, 省内跨统筹区
 * 1534.50万人次 / 28.98亿元, and by use 273.18 / 12.21 / 17.03 / 2.15亿元.
 */
static const int64_t PUB_PT = 246345000;
static const int64_t PUB_FEN = 3045700000000;
static const int64_t PUB_SEP_PT = 28000000;
static const int64_t PUB_SEP_FEN = 420000000000;
static const int64_t PUB_SCOPE_PT[NSCOPE] = {231000000, 15345000};
static const int64_t PUB_SCOPE_FEN[NSCOPE] = {2755900000000, 289800000000};
static const int64_t PUB_USE_FEN[NUSE] = {2731800000000, 122100000000,
                                          170300000000, 21500000000};

/* 山西 January-July: 156.19万人次 and 1.76亿元. */
static const char SX_CODE[] = "140000";
#define SX_MONTHS 7
static const int64_t SX_PT = 1561900;
static const int64_t SX_FEN = 17600000000;

/* Top five provinces January-September, in order. */
static const char *const TOP_PT[5] = {"330000", "320000", "440000", "110000",
                                      "310000"};
static const char *const TOP_FEN[5] = {"330000", "320000", "440000", "110000",
                                       "500000"};

/*
 * January-September by scope × use.  Rows add up to PUB_SCOPE_*, the amount
 * columns to PUB_USE_FEN.  Person-times by use are free: medical ~123 yuan a
 * person-time, pharmacy ~68, premium ~380 (the resident-insurance individual
 * contribution), other ~300; cross-area sharing costs more per person-time.
 */
static const int64_t YTD_PT[NSCOPE][NUSE] = {
    {208563769, 17799153, 3981207, 655871},
    {13781406, 1003217, 497338, 63039},
};
static const int64_t YTD_FEN[NSCOPE][NUSE] = {
    {2469768154383, 115295782610, 151337584792, 19498478215},
    {262031845617, 6804217390, 18962415208, 2001521785},
};

/*
 * September alone, scope × use: adds up to PUB_SEP_PT and PUB_SEP_FEN.  The
 * premium cell is the start of the autumn collection season for 2025.
 */
static const int64_t SEP_PT[NSCOPE][NUSE] = {
    {23053125, 2330617, 571046, 90212},
    {1718233, 130415, 94827, 11525},
};
static const int64_t SEP_FEN[NSCOPE][NUSE] = {
    {339488159400, 15094726900, 21712548100, 2704565600},
    {36211840600, 905273100, 3587451900, 295434400},
};

/*
 * January-August (YTD minus September) is spread over the months by these
 * person-time weights per use; the amount weight of a month is its
 * person-time weight × a price index, so amounts per person-time rise
 * through the year.  Premium is concentrated in January-February (the
 * resident-insurance collection season); February dips for the Spring
 * Festival.  National monthly flows come out at 28.5, 25.3, 26.4, 26.9,
 * 27.2, 27.5, 28.0, 28.6, 28.0 million person-times and 34.5, 29.9, 29.1,
 * 30.5, 31.8, 33.4, 35.5, 37.9, 42.0亿元.
 */
static const int64_t MONTH_W[NUSE][8] = {
    {97, 88, 96, 98, 99, 100, 102, 104},
    {97, 90, 95, 96, 97, 99, 101, 103},
    {420, 260, 40, 25, 20, 20, 20, 25},
    {92, 86, 96, 99, 100, 103, 106, 110},
};
static const int64_t MONTH_PRICE[NUSE][8] = {
    {100, 103, 106, 110, 114, 119, 124, 130},
    {100, 100, 101, 101, 102, 102, 103, 103},
    {100, 100, 100, 100, 100, 100, 100, 100},
    {100, 100, 101, 102, 103, 104, 105, 106},
};

/* File shape flags of a province. */
enum {
    F_GB = 1 << 0,      /* GB18030, Chinese headers and values */
    F_ZH = 1 << 1,      /* Chinese headers and values (implied by F_GB) */
    F_BOM = 1 << 2,     /* UTF-8 with a byte-order mark */
    F_CRLF = 1 << 3,    /* CRLF line ends */
    F_QUARTER = 1 << 4, /* one file per quarter instead of per month */
    F_NAME = 1 << 5,    /* an area-name column */
    F_REL = 1 << 6,     /* a relation column */
    F_XMED = 1 << 7,    /* cross-area sharing for medical costs only */
};
enum { P_DASH, P_COMPACT, P_ZH }; /* 2024-01, 202401, 2024年1月 */

/*
 * Provinces.  `weight` is the share of person-times (per 10,000, roughly),
 * `price` the amount per person-time relative to 100: 上海 is fifth by
 * person-times but cheap, 重庆 sixth by person-times but dear, so the two
 * top-five lists differ as published.  `cross` scales the cross-area share
 * (0: not yet allowed, 广东; the municipalities pool city-wide, so little
 * crosses), from month `cross_from` (浙江, 河南, 陕西 are recent).
 * `near_from` is the month from which siblings, grandparents and
 * grandchildren appear (0: never; 山西 from 2024-09-01); it matters only
 * in files with a relation column.  山西's weight governs August-September
 * only: January-July is fixed by SX_PT/SX_FEN.
 */
struct prov_spec {
    const char *code;
    int64_t weight, price, cross;
    int cross_from, near_from;
    int flags, pfmt;
};

static const struct prov_spec specs[] = {
    {"110000", 740, 110, 30, 1, 0, F_CRLF | F_NAME | F_REL, P_DASH},
    {"120000", 230, 100, 30, 1, 1, F_BOM | F_NAME | F_REL, P_DASH},
    {"130000", 300, 92, 100, 1, 0, F_GB | F_NAME, P_ZH},
    {"140000", 82, 97, 100, 1, 9, F_GB | F_CRLF | F_NAME | F_REL, P_ZH},
    {"150000", 120, 95, 100, 1, 0, F_QUARTER | F_NAME, P_COMPACT},
    {"210000", 260, 95, 100, 1, 0, F_GB | F_XMED, P_COMPACT},
    {"220000", 130, 93, 100, 1, 0, F_NAME, P_DASH},
    {"230000", 150, 92, 100, 1, 0, F_GB | F_CRLF | F_NAME, P_ZH},
    {"310000", 660, 78, 30, 1, 0, F_NAME, P_DASH},
    {"320000", 1150, 100, 100, 1, 7, F_BOM | F_NAME | F_REL, P_DASH},
    {"330000", 1400, 100, 100, 4, 0, F_BOM | F_NAME, P_DASH},
    {"340000", 330, 95, 100, 1, 0, F_CRLF | F_NAME, P_COMPACT},
    {"350000", 320, 98, 100, 1, 0, F_NAME | F_REL, P_DASH},
    {"360000", 190, 92, 100, 1, 8, F_GB | F_NAME | F_REL, P_ZH},
    {"370000", 480, 100, 100, 1, 0, F_BOM | F_NAME, P_DASH},
    {"410000", 360, 92, 100, 6, 0, F_GB | F_NAME, P_COMPACT},
    {"420000", 300, 96, 100, 1, 0, F_ZH | F_BOM | F_NAME, P_ZH},
    {"430000", 280, 95, 100, 1, 0, F_GB | F_QUARTER | F_NAME, P_ZH},
    {"440000", 950, 102, 0, 1, 0, F_BOM | F_CRLF | F_NAME, P_DASH},
    {"450000", 200, 92, 100, 1, 0, F_GB | F_CRLF, P_ZH},
    {"460000", 60, 100, 100, 1, 0, F_QUARTER | F_NAME, P_DASH},
    {"500000", 540, 125, 100, 1, 0, F_CRLF | F_NAME, P_DASH},
    {"510000", 440, 96, 100, 1, 0, F_BOM | F_NAME, P_COMPACT},
    {"520000", 130, 92, 100, 1, 6, F_GB | F_NAME | F_REL, P_ZH},
    {"530000", 150, 93, 100, 1, 0, F_NAME, P_DASH},
    {"540000", 12, 110, 100, 1, 0, F_QUARTER | F_NAME, P_DASH},
    {"610000", 190, 95, 100, 7, 0, F_GB | F_NAME, P_COMPACT},
    {"620000", 90, 90, 100, 1, 8, F_ZH | F_CRLF | F_NAME | F_REL, P_DASH},
    {"630000", 25, 100, 100, 1, 0, F_QUARTER | F_CRLF | F_NAME, P_COMPACT},
    {"640000", 35, 95, 100, 1, 0, F_QUARTER | F_NAME, P_DASH},
    {"650000", 90, 100, 100, 1, 0, F_GB | F_NAME, P_ZH},
    {"660000", 20, 95, 100, 1, 0, F_QUARTER | F_NAME, P_DASH},
};
#define NSPEC ((int)(sizeof(specs) / sizeof(specs[0])))

/*
 * Pooling areas inside a province: the capital (xx0100) weighs 40, the large
 * cities listed below 20-27, the provincial-level unit (xx9900) and 232900
 * (农垦) 3, every other area 8-15 (both from a hash of the code).  Capitals
 * and large cities pay a little more per person-time, provincial-level units
 * more still (civil servants' accounts), other areas vary by ±5%.
 */
static const char *const BIG_CITIES[] = {
    "130200", "210200", "320200", "320400", "320500", "320600", "330200",
    "330300", "330400", "330600", "331000", "350200", "370200", "370600",
    "410300", "440300", "440600", "441900", "500200",
};

/*
 * Relations, in files with a relation column: spouse, parent, child, then
 * the near relatives from the province's `near_from` month.
 */
static const int64_t REL_W[NREL] = {42, 33, 25, 3, 2, 2};
static const int64_t REL_PRICE[NREL] = {100, 115, 80, 100, 120, 70};

/* ---------------------------------------------------------------------------
 * Names in the files
 */

static const char *const scope_en[NSCOPE] = {"same_area", "cross_area"};
static const char *const scope_zh[NSCOPE] = {"同一统筹区", "省内跨统筹区"};
static const char *const use_en[NUSE] = {"medical", "pharmacy", "premium",
                                         "other"};
static const char *const use_zh[NUSE] = {"定点医疗机构", "定点零售药店",
                                         "参加居民医保等个人缴费", "其他"};
static const char *const rel_en[NREL] = {
    "spouse", "parent", "child", "sibling", "grandparent", "grandchild"};
static const char *const rel_zh[NREL] = {
    "配偶", "父母", "子女", "兄弟姐妹", "祖父母/外祖父母", "孙子女/外孙子女"};

enum { C_PERIOD, C_AREA, C_NAME, C_SCOPE, C_USE, C_REL, C_PT, C_AMOUNT, C_N };
static const char *const head_en[C_N] = {"period",       "area",  "area_name",
                                         "scope",        "use",   "relation",
                                         "person_times", "amount"};
static const char *const head_zh[C_N] = {
    "统计期",   "统筹区编码", "统筹区名称", "共济范围",
    "共济用途", "共济关系",   "共济人次",   "共济金额(元)"};

/* ---------------------------------------------------------------------------
 * State
 */

struct area {
    char code[8];
    char name[96];
    int prov;
    int64_t weight, price;
    int64_t pt[NMONTH][NSCOPE][NUSE], fen[NMONTH][NSCOPE][NUSE];
};

struct prov {
    char code[8];
    const struct prov_spec *spec;
    int area[MAX_SPLIT], narea;
    int64_t pt[NMONTH][NSCOPE][NUSE], fen[NMONTH][NSCOPE][NUSE];
};

static struct prov provs[MAX_PROV];
static int nprov;
static struct area areas[MAX_AREA];
static int narea;
static int64_t nat_pt[NMONTH][NSCOPE][NUSE], nat_fen[NMONTH][NSCOPE][NUSE];

/* ---------------------------------------------------------------------------
 * Helpers
 */

static _Noreturn void die(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static void
die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "gen_sample: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(2);
}

/*
 * Split total over n parts in proportion to w (negative counts as 0): each part
 * gets the floor of its exact share, and the units left over go to the largest
 * remainders, ties to the lower index.  The parts add up to total exactly.
 */
static void
split(int64_t total, const int64_t *w, int n, int64_t *out)
{
    u128 sum = 0, rem[MAX_SPLIT];
    bool got[MAX_SPLIT];
    int64_t given = 0;
    for (int i = 0; i < n; i++)
        sum = sum + (u128)(uint64_t)(w[i] < 0 ? 0 : w[i]);
    if (n > MAX_SPLIT || total < 0 || (sum == 0 && total != 0))
        die("split: cannot split %" PRId64 " over %d parts", total, n);
    for (int i = 0; i < n; i++) {
        u128 x = (u128)(uint64_t)total * (u128)(uint64_t)(w[i] < 0 ? 0 : w[i]);
        out[i] = sum == 0 ? 0 : (int64_t)(x / sum);
        rem[i] = sum == 0 ? 0 : x % sum;
        got[i] = false;
        given += out[i];
    }
    for (int64_t left = total - given; left > 0; left--) {
        int best = -1;
        for (int i = 0; i < n; i++)
            if (!got[i] && (best < 0 || rem[i] > rem[best]))
                best = i;
        got[best] = true;
        out[best]++;
    }
}

/* Call row() on every line of a reference table after the header. */
static void
read_table(const char *dir, const char *name, void (*row)(const char *line))
{
    char path[4096], line[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *fp = fopen(path, "r");
    if (fp == NULL)
        die("cannot read %s", path);
    for (int lineno = 1; fgets(line, sizeof(line), fp) != NULL; lineno++) {
        line[strcspn(line, "\r\n")] = '\0';
        if (lineno > 1 && line[0] != '\0')
            row(line);
    }
    fclose(fp);
}

static void
prov_row(const char *line)
{
    struct prov *p = &provs[nprov];
    if (nprov == MAX_PROV || sscanf(line, "%6[0-9],", p->code) != 1)
        die("bad provinces.csv row %s", line);
    for (int i = 0; i < NSPEC; i++)
        if (strcmp(specs[i].code, p->code) == 0)
            p->spec = &specs[i];
    if (p->spec == NULL)
        die("province %s has no row in the calibration table", p->code);
    nprov++;
}

static int64_t
code_hash(const char *code)
{
    uint32_t h = 2166136261u;
    for (; *code; code++)
        h = (h ^ (uint8_t)*code) * 16777619u;
    return (int64_t)(h >> 8);
}

static void
area_row(const char *line)
{
    struct area *a = &areas[narea];
    char prov[8];
    if (narea == MAX_AREA ||
        sscanf(line, "%6[0-9],%95[^,],%6[0-9]", a->code, a->name, prov) != 3)
        die("bad areas.csv row %s", line);
    a->prov = -1;
    for (int i = 0; i < nprov; i++)
        if (strcmp(provs[i].code, prov) == 0)
            a->prov = i;
    if (a->prov < 0)
        die("areas.csv: unknown province of %s", a->code);
    struct prov *p = &provs[a->prov];
    if (p->narea == MAX_SPLIT)
        die("too many areas in %s", p->code);
    p->area[p->narea++] = narea;

    int64_t h = code_hash(a->code);
    a->weight = 8 + h % 8;
    a->price = 95 + h / 8 % 11;
    if (strcmp(a->code + 2, "0100") == 0) {
        a->weight = 40;
        a->price = 108;
    }
    for (size_t i = 0; i < sizeof(BIG_CITIES) / sizeof(BIG_CITIES[0]); i++)
        if (strcmp(a->code, BIG_CITIES[i]) == 0) {
            a->weight = 20 + h % 8;
            a->price = 104;
        }
    if (strcmp(a->code + 2, "9900") == 0 || strcmp(a->code, "232900") == 0) {
        a->weight = 3;
        a->price = 115;
    }
    narea++;
}

/* ---------------------------------------------------------------------------
 * Calibration: national cells, then provinces, then areas.
 */

static void
build_national(void)
{
    for (int s = 0; s < NSCOPE; s++)
        for (int u = 0; u < NUSE; u++) {
            int64_t pt8 = YTD_PT[s][u] - SEP_PT[s][u];
            int64_t fen8 = YTD_FEN[s][u] - SEP_FEN[s][u];
            int64_t w[8], pts[8], fens[8];
            split(pt8, MONTH_W[u], 8, pts);
            for (int m = 0; m < 8; m++)
                w[m] = MONTH_W[u][m] * MONTH_PRICE[u][m];
            split(fen8, w, 8, fens);
            for (int m = 0; m < 8; m++) {
                nat_pt[m][s][u] = pts[m];
                nat_fen[m][s][u] = fens[m];
            }
            nat_pt[8][s][u] = SEP_PT[s][u];
            nat_fen[8][s][u] = SEP_FEN[s][u];
        }
}

/* Person-time weight of province p in national cell (m, s, u). */
static int64_t
prov_weight(const struct prov *p, int m, int s, int u)
{
    const struct prov_spec *sp = p->spec;
    int64_t w =
        sp->weight * (sp->near_from && m + 1 >= sp->near_from ? 106 : 100);
    if (s == CROSS) {
        if (m + 1 < sp->cross_from || ((sp->flags & F_XMED) && u != MEDICAL))
            return 0;
        w *= sp->cross;
    } else {
        w *= 100;
    }
    return w;
}

static void
build_provinces(void)
{
    int sx = -1;
    for (int i = 0; i < nprov; i++)
        if (strcmp(provs[i].code, SX_CODE) == 0)
            sx = i;
    if (sx < 0)
        die("no province %s", SX_CODE);

    /*
     * 山西's January-July cells: its fixed totals split in proportion to the
     * national cells of those months.  The other provinces share the rest.
     */
    enum { NCELL = SX_MONTHS * NSCOPE * NUSE };
    int64_t w[NCELL], pts[NCELL], fens[NCELL];
    for (int i = 0; i < NCELL; i++)
        w[i] = nat_pt[i / 8][i / 4 % 2][i % 4];
    split(SX_PT, w, NCELL, pts);
    for (int i = 0; i < NCELL; i++)
        w[i] = nat_fen[i / 8][i / 4 % 2][i % 4];
    split(SX_FEN, w, NCELL, fens);
    for (int i = 0; i < NCELL; i++) {
        provs[sx].pt[i / 8][i / 4 % 2][i % 4] = pts[i];
        provs[sx].fen[i / 8][i / 4 % 2][i % 4] = fens[i];
    }

    for (int m = 0; m < NMONTH; m++)
        for (int s = 0; s < NSCOPE; s++)
            for (int u = 0; u < NUSE; u++) {
                bool fixed = m < SX_MONTHS;
                int64_t pt = nat_pt[m][s][u], fen = nat_fen[m][s][u];
                int64_t pw[MAX_PROV], fw[MAX_PROV], pp[MAX_PROV], pf[MAX_PROV];
                if (fixed) {
                    pt -= provs[sx].pt[m][s][u];
                    fen -= provs[sx].fen[m][s][u];
                }
                for (int p = 0; p < nprov; p++)
                    pw[p] =
                        fixed && p == sx ? 0 : prov_weight(&provs[p], m, s, u);
                split(pt, pw, nprov, pp);
                /* amounts follow the person-times: no amount without them */
                for (int p = 0; p < nprov; p++)
                    fw[p] = pp[p] * provs[p].spec->price;
                split(fen, fw, nprov, pf);
                for (int p = 0; p < nprov; p++) {
                    if (fixed && p == sx)
                        continue;
                    provs[p].pt[m][s][u] = pp[p];
                    provs[p].fen[m][s][u] = pf[p];
                }
            }
}

static void
build_areas(void)
{
    for (int pi = 0; pi < nprov; pi++) {
        struct prov *p = &provs[pi];
        int64_t w[MAX_SPLIT], pts[MAX_SPLIT], fens[MAX_SPLIT];
        for (int m = 0; m < NMONTH; m++)
            for (int s = 0; s < NSCOPE; s++)
                for (int u = 0; u < NUSE; u++) {
                    for (int i = 0; i < p->narea; i++)
                        w[i] = areas[p->area[i]].weight;
                    split(p->pt[m][s][u], w, p->narea, pts);
                    for (int i = 0; i < p->narea; i++)
                        w[i] = pts[i] * areas[p->area[i]].price;
                    split(p->fen[m][s][u], w, p->narea, fens);
                    for (int i = 0; i < p->narea; i++) {
                        areas[p->area[i]].pt[m][s][u] = pts[i];
                        areas[p->area[i]].fen[m][s][u] = fens[i];
                    }
                }
    }
}

/* ---------------------------------------------------------------------------
 * Checks: the published figures, recomputed from the area cells.
 */

static void
check_equal(const char *what, int64_t got, int64_t want)
{
    if (got != want)
        die("calibration: %s is %" PRId64 ", published %" PRId64, what, got,
            want);
}

static int64_t prov_tot[MAX_PROV][2]; /* January-September: pt, fen */

/*
 * The provinces want[0..4] must lead on measure k in that order, each at
 * least 2% above the next and the fifth 2% above every other province.
 */
static void
check_top(const char *const *want, int k, const char *what)
{
    int idx[5];
    for (int i = 0; i < 5; i++)
        for (idx[i] = 0; strcmp(provs[idx[i]].code, want[i]) != 0;)
            if (++idx[i] == nprov)
                die("no province %s", want[i]);
    for (int p = 0; p < nprov; p++) {
        bool listed = false;
        for (int i = 0; i < 5; i++)
            listed = listed || idx[i] == p;
        if (!listed && prov_tot[idx[4]][k] * 100 < prov_tot[p][k] * 102)
            die("calibration: %s of %s too close to the top five", what,
                provs[p].code);
    }
    for (int i = 0; i < 4; i++)
        if (prov_tot[idx[i]][k] * 100 < prov_tot[idx[i + 1]][k] * 102)
            die("calibration: top %s #%d (%s) is not 2%% above #%d", what,
                i + 1, want[i], i + 2);
}

static void
check_figures(void)
{
    int64_t pt = 0, fen = 0, sep_pt = 0, sep_fen = 0, sx_pt = 0, sx_fen = 0;
    int64_t scope_pt[NSCOPE] = {0}, scope_fen[NSCOPE] = {0},
            use_fen[NUSE] = {0};
    for (int a = 0; a < narea; a++)
        for (int m = 0; m < NMONTH; m++)
            for (int s = 0; s < NSCOPE; s++)
                for (int u = 0; u < NUSE; u++) {
                    int64_t x = areas[a].pt[m][s][u], y = areas[a].fen[m][s][u];
                    if (x < 0 || y < 0 || (x == 0 && y != 0))
                        die("calibration: bad cell in %s", areas[a].code);
                    pt += x;
                    fen += y;
                    sep_pt += m == 8 ? x : 0;
                    sep_fen += m == 8 ? y : 0;
                    scope_pt[s] += x;
                    scope_fen[s] += y;
                    use_fen[u] += y;
                    prov_tot[areas[a].prov][0] += x;
                    prov_tot[areas[a].prov][1] += y;
                    if (m < SX_MONTHS &&
                        strcmp(provs[areas[a].prov].code, SX_CODE) == 0) {
                        sx_pt += x;
                        sx_fen += y;
                    }
                }
    check_equal("person-times 1-9", pt, PUB_PT);
    check_equal("amount 1-9", fen, PUB_FEN);
    check_equal("person-times 9", sep_pt, PUB_SEP_PT);
    check_equal("amount 9", sep_fen, PUB_SEP_FEN);
    for (int s = 0; s < NSCOPE; s++) {
        check_equal(scope_en[s], scope_pt[s], PUB_SCOPE_PT[s]);
        check_equal(scope_en[s], scope_fen[s], PUB_SCOPE_FEN[s]);
    }
    for (int u = 0; u < NUSE; u++)
        check_equal(use_en[u], use_fen[u], PUB_USE_FEN[u]);
    check_equal("山西 person-times 1-7", sx_pt, SX_PT);
    check_equal("山西 amount 1-7", sx_fen, SX_FEN);
    check_top(TOP_PT, 0, "person-times");
    check_top(TOP_FEN, 1, "amount");
}

/* ---------------------------------------------------------------------------
 * Files
 */

static void
write_file(const char *path, const char *data, size_t len)
{
    FILE *fp = fopen(path, "wb");
    if (fp == NULL || fwrite(data, 1, len, fp) != len || fclose(fp) != 0)
        die("cannot write %s", path);
}

/* Remove the files a previous run wrote: NNNNNN_2024*.csv, nothing else. */
static void
clean_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        die("cannot open %s", dir);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        const char *n = e->d_name;
        size_t len = strlen(n);
        if (len < 12 || strspn(n, "0123456789") != 6 ||
            strncmp(n + 6, "_2024", 5) != 0 || strcmp(n + len - 4, ".csv") != 0)
            continue;
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", dir, n);
        if (unlink(path) != 0)
            die("cannot remove %s", path);
    }
    closedir(d);
}

static void
add_row(struct sbuf *sb, const char *const *val, const bool *col,
        const char *eol)
{
    bool first = true;
    for (int c = 0; c < C_N; c++) {
        if (!col[c])
            continue;
        if (!first)
            sbuf_addch(sb, ',');
        sbuf_addstr(sb, val[c]);
        first = false;
    }
    sbuf_addstr(sb, eol);
}

/* One file of province p covering months m0..m1 (0-based, inclusive). */
static void
emit_file(const char *outdir, const struct prov *p, int m0, int m1)
{
    const struct prov_spec *sp = p->spec;
    bool zh = (sp->flags & (F_GB | F_ZH)) != 0;
    const char *const *sname = zh ? scope_zh : scope_en;
    const char *const *uname = zh ? use_zh : use_en;
    const char *const *rname = zh ? rel_zh : rel_en;
    const char *eol = (sp->flags & F_CRLF) ? "\r\n" : "\n";
    bool col[C_N];
    for (int c = 0; c < C_N; c++)
        col[c] = (c != C_NAME || (sp->flags & F_NAME)) &&
                 (c != C_REL || (sp->flags & F_REL));

    struct sbuf sb = SBUF_INIT;
    if (sp->flags & F_BOM)
        sbuf_addstr(&sb, "\xEF\xBB\xBF");
    add_row(&sb, zh ? head_zh : head_en, col, eol);

    for (int m = m0; m <= m1; m++) {
        char period[32];
        if (sp->pfmt == P_DASH)
            snprintf(period, sizeof(period), "%d-%02d", YEAR, m + 1);
        else if (sp->pfmt == P_COMPACT)
            snprintf(period, sizeof(period), "%d%02d", YEAR, m + 1);
        else
            snprintf(period, sizeof(period), "%d年%d月", YEAR, m + 1);
        int nrel = sp->near_from && m + 1 >= sp->near_from ? NREL : 3;
        for (int i = 0; i < p->narea; i++) {
            const struct area *a = &areas[p->area[i]];
            for (int s = 0; s < NSCOPE; s++)
                for (int u = 0; u < NUSE; u++) {
                    /* no rows where the policy does not allow the sharing */
                    if (prov_weight(p, m, s, u) == 0)
                        continue;
                    int64_t pts[NREL], fens[NREL], w[NREL];
                    int n = 1;
                    pts[0] = a->pt[m][s][u];
                    fens[0] = a->fen[m][s][u];
                    if (sp->flags & F_REL) {
                        n = nrel;
                        split(a->pt[m][s][u], REL_W, n, pts);
                        for (int r = 0; r < n; r++)
                            w[r] = pts[r] * REL_PRICE[r];
                        split(a->fen[m][s][u], w, n, fens);
                    }
                    for (int r = 0; r < n; r++) {
                        char ptbuf[32], amount[48];
                        snprintf(ptbuf, sizeof(ptbuf), "%" PRId64, pts[r]);
                        money_format(amount, sizeof(amount), fens[r]);
                        const char *val[C_N] = {period,   a->code,  a->name,
                                                sname[s], uname[u], rname[r],
                                                ptbuf,    amount};
                        add_row(&sb, val, col, eol);
                    }
                }
        }
    }

    char path[4096];
    if (m0 == m1)
        snprintf(path, sizeof(path), "%s/%s_%d-%02d.csv", outdir, p->code, YEAR,
                 m0 + 1);
    else
        snprintf(path, sizeof(path), "%s/%s_%dQ%d.csv", outdir, p->code, YEAR,
                 m0 / 3 + 1);
    if (!(sp->flags & F_GB)) {
        write_file(path, sb.buf, sb.len);
    } else {
        iconv_t cd = iconv_open("GB18030", "UTF-8");
        if (cd == (iconv_t)-1)
            die("iconv: no GB18030 converter");
        size_t outsz = sb.len * 2 + 16, inleft = sb.len, outleft = outsz;
        char *out = xmalloc(outsz), *inp = sb.buf, *outp = out;
        if (iconv(cd, &inp, &inleft, &outp, &outleft) == (size_t)-1)
            die("iconv failed on %s", path);
        iconv_close(cd);
        write_file(path, out, outsz - outleft);
        free(out);
    }
    sbuf_release(&sb);
}

int
main(int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-') {
        fputs("usage: gen_sample OUTDIR\n", stderr);
        return 2;
    }
    const char *outdir = argv[1];
    const char *data = getenv("GONGJI_DATA");
    if (data == NULL || *data == '\0')
        data = "data";
    read_table(data, "provinces.csv", prov_row);
    read_table(data, "areas.csv", area_row);
    for (int i = 0; i < nprov; i++)
        if (provs[i].narea == 0)
            die("province %s has no areas", provs[i].code);

    build_national();
    build_provinces();
    build_areas();
    check_figures();

    if (mkdir(outdir, 0777) != 0 && errno != EEXIST)
        die("cannot create %s", outdir);
    clean_dir(outdir);
    for (int i = 0; i < nprov; i++) {
        int step = (provs[i].spec->flags & F_QUARTER) ? 3 : 1;
        for (int m = 0; m < NMONTH; m += step)
            emit_file(outdir, &provs[i], m, m + step - 1);
    }
    return 0;
}
