/* SPDX-License-Identifier: MIT */
/*
 * tests/gen/gen_sample_cal.h - the calibration of gen_sample: the national
 * flows month by month, the provinces' shapes and weights, the figures fixed
 * for single provinces, the resubmissions, and the splits down to the
 * pooling areas.  Included once, by gen_sample.c (the Makefile builds
 * one program per C file in tests/gen).
 *
 * Amounts are in fen: K(x) is x thousandths of 1亿元 (K(227380) = 227.38亿元),
 * W(x) is x hundredths of 1万元 (W(48805) = 488.05万元).
 */

#define K(x) ((int64_t)(x)*10000000)
#define W(x) ((int64_t)(x)*10000)

/* ---------------------------------------------------------------------------
 * The account channel, block by block.
 *
 * A block is a run of months whose scope and use totals the releases fix
 * (cumulative figures of one release minus those of the one before, as the
 * data stood at the later release).  Inside a block the cells (scope × use)
 * are spread over the months so that each month's total is as listed.
 * October and November 2024 are listed as restated: the resubmissions below
 * say what the first files carried.
 *
 *   1-7 (2024-08-27)  1.91亿人次 / 227.38: 1.80亿 + 1095.83万, 208.32 + 19.06;
 *                     212.39 / 9.67 / 3.77 (other 1.55)
 *   1-8 (2024-10-20)  2.18亿 / 262.57, premium 4.75
 *   1-9               2.46亿 / 304.57: 2.31亿 + 1534.50万, 275.59 + 28.98;
 *                     273.18 / 12.21 / 17.03 (2.15); September premium 12.28
 *   1-10 (11-25)      2.83亿 / 369.08: 2.63亿 + 1976.29万, 329.75 + 39.33;
 *                     306.64 / 14.16 / 44.54 (3.74) as first sent
 *   1-11 (12-26)      3.25亿 / 444.53: 3.00亿 + 2536.01万, 393.17 + 51.36;
 *                     343.08 / 20.72 / 74.80 (5.93), 1-10 premium 44.59
 *   1-12 (2025-01-19) 3.71亿 / 511.54: 3.41亿 + 3000.62万, 451.02 + 60.52;
 *                     381.40 / 19.22 / 101.16 (9.76), 1-11 pharmacy 17.52
 *   2025 1-2          6050.51万 / 86.75: 5530.72万 + 519.79万, 77.22 + 9.53;
 *                     75.29 / 4.43 / 6.49 (0.54)
 *   2025 1-4, 1-5, 1-6  177.59, 219.82, 261.07 (counts: 1.33亿, 1.67亿, 2亿
 *                     with the wallet)
 *   2025 1-7          2.31亿 / 303.41: 2.12亿 + 1950.72万, 269.94 + 33.47;
 *                     274.87 / 17.34 / 7.09 (4.11)
 *   2025 1-12         4.63亿 / 680.20: 4.21亿 + 4173.51万, 600.82 + 79.38;
 *                     488.38 / 34.32 / 142.27 / 0.76 / 14.48 (exactly
 *                     488.375 and 34.315, so that the uses add to 680.20)
 */
#define BLOCK_MAX 7
struct ablock {
    int m0, m1;
    int64_t spt[NSCOPE], sfen[NSCOPE]; /* by scope */
    int64_t ufen[NAUSE];               /* by use */
    int64_t mpt[BLOCK_MAX], mfen[BLOCK_MAX];
    int64_t season[BLOCK_MAX]; /* premium's weight by month */
};

static const struct ablock blocks[] = {
    {0,
     6,
     {180000000, 10958300},
     {K(208320), K(19060)},
     {K(212390), K(9670), K(3770), K(1550), 0},
     {28700000, 25400000, 26500000, 27000000, 27400000, 27700000, 28258300},
     {K(34900), K(30200), K(30100), K(31200), K(32300), K(33600), K(35080)},
     {420, 260, 40, 25, 20, 20, 20}},
    {7,
     7,
     {25286700, 2100000},
     {K(30590), K(4600)},
     {K(32530), K(1310), K(980), K(370), 0},
     {27386700},
     {K(35190)},
     {1}},
    {8,
     8,
     {25713300, 2286700},
     {K(36680), K(5320)},
     {K(28260), K(1230), K(12280), K(230), 0},
     {28000000},
     {K(42000)},
     {1}},
    {9,
     9,
     {32300000, 4417900},
     {K(54160), K(10350)},
     {K(33460), K(1950), K(27560), K(1540), 0},
     {36717900},
     {K(64510)},
     {1}},
    {10,
     10,
     {36500000, 5597200},
     {K(63420), K(12030)},
     {K(39640), K(3360), K(30210), K(2240), 0},
     {42097200},
     {K(75450)},
     {1}},
    {11,
     11,
     {41200000, 4646100},
     {K(57850), K(9160)},
     {K(35120), K(1700), K(26360), K(3830), 0},
     {45846100},
     {K(67010)},
     {1}},
    {12,
     13,
     {55307200, 5197900},
     {K(77220), K(9530)},
     {K(75290), K(4430), K(6490), K(440), K(100)},
     {31000000, 29505100},
     {K(45000), K(41750)},
     {60, 40}},
    {14,
     18,
     {156392800, 14309300},
     {K(192720), K(23940)},
     {K(199580), K(12910), K(600), K(3320), K(250)},
     {36000000, 36494900, 33900000, 32900000, 31407200},
     {K(44600), K(46240), K(42230), K(41250), K(42340)},
     {40, 25, 20, 20, 20}},
    {19,
     23,
     {209600000, 22227900},
     {K(330880), K(45910)},
     {K(213505), K(16975), K(135180), K(10720), K(410)},
     {40000000, 43000000, 46000000, 49000000, 53827900},
     {K(62000), K(68000), K(76000), K(82000), K(88790)},
     {5, 15, 25, 30, 35}},
};
#define NBLOCK ((int)(sizeof(blocks) / sizeof(blocks[0])))

/* Cross-area share of a use (relative), and fen per person-time by use. */
static const int64_t USE_XR[NAUSE] = {110, 50, 100, 100, 100};
static const int64_t USE_PRICE[NAUSE] = {12300, 6800, 38000, 30000, 20000};

/*
 * The wallet, month by month from 2024-11: 笔 and fen, 省内 and 跨省, as
 * first sent.  2024: 7695笔 / 367.44万元 (省内 6592 / 322.41万, 跨省 1103 /
 * 45.03万, from December).  2025: February 9679笔 / 724.22万元, July 7.05万笔
 * / 4952.19万元; 1-2 1.72万笔 (1204.22万元, so that 86.75 + the wallet reads
 * 86.87), 1-4 3262.69万元, 1-5 6.42万笔 / 4370.31万元, 1-6 10.01万笔 /
 * 6964.23万元; 1-12 (after the restatement of January-June, 6660.50万元)
 * 112.10万笔 / 7.50亿元, 省内 64.88万笔 / 4.36亿元, 跨省 47.22万笔 / 3.14亿元.
 */
struct wmonth {
    int m;
    int64_t pt[NWSCOPE], fen[NWSCOPE];
};
static const struct wmonth wallet[] = {
    {10, {2800, 0}, {W(13120), 0}},
    {11, {3792, 1103}, {W(19121), W(4503)}},
    {12, {5000, 2521}, {W(33000), W(15000)}},
    {13, {6590, 3089}, {W(48805), W(23617)}},
    {14, {6800, 4200}, {W(56000), W(34000)}},
    {15, {8000, 5600}, {W(70000), W(45847)}},
    {16, {12400, 10000}, {W(65000), W(45762)}},
    {17, {20000, 15900}, {W(150000), W(109392)}},
    {18, {38300, 32200}, {W(274313), W(220906)}},
    {19, {70000, 50000}, {W(460000), W(330000)}},
    {20, {90000, 65000}, {W(600000), W(440000)}},
    {21, {115000, 85000}, {W(780000), W(570000)}},
    {22, {130000, 95000}, {W(870000), W(630000)}},
    {23, {146710, 103690}, {W(972882), W(685849)}},
};
#define NWMONTH ((int)(sizeof(wallet) / sizeof(wallet[0])))

/* February 2025 by use: 就医购药 2916笔 / 53.67万元, 缴纳居民医保 19笔 /
 * 8506元. */
#define WFEB 13
static const int64_t WFEB_PT[NWUSE] = {2916, 19, 6744};
static const int64_t WFEB_FEN[NWUSE] = {W(5367), 850600, 669699400};

/* Other months: uses by weight (笔), fen per 笔 by use. */
static const int64_t WUSE_W[NWUSE] = {30, 1, 69};
static const int64_t WUSE_PRICE[NWUSE] = {18400, 44800, 99300};

/* ---------------------------------------------------------------------------
 * Provinces: file shapes and weights.
 *
 * `weight` is the share of person-times (per 10,000, roughly) in 2024, `w25`
 * in 2025; `price` the amount per person-time relative to 100: 上海 is fifth
 * by person-times but cheap, 重庆 sixth but dear, so the two top-five lists
 * differ as published; 四川 overtakes 重庆 by amount in October 2024 with
 * the resident-insurance season (`prem`, its premium weight, relative to
 * 100).  `cross` scales the cross-area share from month `cross_from`
 * (浙江, 河南, 陕西 are recent; 广东 from 2025).  `near_from` is the month
 * from which siblings, grandparents and grandchildren appear (every province
 * by December 2024).  `wal_from` and `xp_from` are the months from which the
 * province has wallet transfers inside the province and across provinces
 * (-1: never); `wal` weighs its wallet, which reaches the capital and the
 * large cities first, every pooling area from September 2025 (WAL_ALL).
 * Months are indices: 0 = 2024-01.
 */
struct prov_spec {
    const char *code;
    int64_t weight, w25, price, prem, cross;
    int cross_from, near_from, wal_from, xp_from;
    int64_t wal;
    int flags, pfmt;
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
    F_XMED = 1 << 7,    /* cross-area sharing for medical costs only (2024) */
    F_FS = 1 << 8,      /* the channel column headed 共济方式, not 渠道 */
    F_LTC = 1 << 9,     /* long-term-care insurance: its premium from 2025 */
};
enum { P_DASH, P_COMPACT, P_ZH }; /* 2024-01, 202401, 2024年1月 */

#define NO (-1)
static const struct prov_spec specs[] = {
    {"110000", 740, 700, 110, 60, 30, 0, 11, 12, 16, 90,
     F_CRLF | F_NAME | F_REL, P_DASH},
    {"120000", 230, 230, 100, 100, 30, 0, 0, 16, 16, 40,
     F_BOM | F_NAME | F_LTC | F_REL, P_DASH},
    {"130000", 300, 300, 92, 100, 100, 0, 11, 10, 11, 100,
     F_GB | F_NAME | F_LTC, P_ZH},
    {"140000", 82, 90, 97, 100, 100, 0, 8, 16, 16, 30,
     F_GB | F_CRLF | F_NAME | F_REL, P_ZH},
    {"150000", 120, 120, 95, 100, 100, 0, 11, 16, 16, 30, F_QUARTER | F_NAME,
     P_COMPACT},
    {"210000", 260, 260, 95, 100, 100, 0, 11, 16, 16, 50, F_GB | F_XMED,
     P_COMPACT},
    {"220000", 130, 130, 93, 100, 100, 0, 11, 16, 16, 30, F_NAME | F_LTC,
     P_DASH},
    {"230000", 150, 150, 92, 100, 100, 0, 11, 16, 16, 30,
     F_GB | F_CRLF | F_NAME, P_ZH},
    {"310000", 660, 640, 78, 40, 30, 0, 11, 10, 11, 120, F_NAME | F_LTC,
     P_DASH},
    {"320000", 1150, 1300, 100, 30, 100, 0, 6, 10, 11, 300,
     F_BOM | F_NAME | F_LTC | F_REL, P_DASH},
    {"330000", 1400, 1150, 100, 100, 100, 3, 11, 10, 11, 280,
     F_BOM | F_NAME | F_LTC, P_DASH},
    {"340000", 330, 330, 95, 100, 100, 0, 11, 10, 11, 90,
     F_CRLF | F_NAME | F_LTC, P_COMPACT},
    {"350000", 320, 320, 98, 100, 100, 0, 11, 20, 20, 40, F_NAME | F_REL,
     P_DASH},
    {"360000", 190, 190, 92, 100, 100, 0, 7, 20, 20, 30, F_GB | F_NAME | F_REL,
     P_ZH},
    {"370000", 480, 480, 100, 100, 100, 0, 11, 10, 11, 110,
     F_BOM | F_NAME | F_LTC, P_DASH},
    {"410000", 360, 360, 92, 100, 100, 5, 11, 10, 11, 100, F_GB | F_NAME,
     P_COMPACT},
    {"420000", 300, 300, 96, 100, 100, 0, 11, 10, 16, 70,
     F_ZH | F_BOM | F_NAME | F_LTC | F_FS, P_ZH},
    {"430000", 280, 280, 95, 100, 100, 0, 11, 20, 20, 40,
     F_GB | F_QUARTER | F_NAME, P_ZH},
    {"440000", 950, 950, 102, 50, 100, 12, 11, 20, NO, 60,
     F_BOM | F_CRLF | F_NAME, P_DASH},
    {"450000", 200, 200, 92, 100, 100, 0, 11, 16, 16, 40, F_GB | F_CRLF, P_ZH},
    {"460000", 60, 60, 100, 100, 100, 0, 11, 20, 20, 15, F_QUARTER | F_NAME,
     P_DASH},
    {"500000", 540, 540, 115, 60, 100, 0, 11, 16, 16, 60,
     F_CRLF | F_NAME | F_LTC, P_DASH},
    {"510000", 480, 480, 110, 60, 100, 0, 11, 10, 11, 100,
     F_BOM | F_NAME | F_LTC, P_COMPACT},
    {"520000", 130, 130, 92, 100, 100, 0, 5, 16, 16, 30, F_GB | F_NAME | F_REL,
     P_ZH},
    {"530000", 150, 150, 93, 100, 100, 0, 11, 16, 16, 30, F_NAME, P_DASH},
    {"540000", 12, 12, 110, 100, 100, 0, 11, 10, 11, 10, F_QUARTER | F_NAME,
     P_DASH},
    {"610000", 190, 190, 95, 100, 100, 6, 11, 16, 16, 30, F_GB | F_NAME,
     P_COMPACT},
    {"620000", 90, 90, 90, 100, 100, 0, 7, 10, 16, 30,
     F_ZH | F_CRLF | F_NAME | F_REL, P_DASH},
    {"630000", 25, 25, 100, 100, 100, 0, 11, 18, 18, 10,
     F_QUARTER | F_CRLF | F_NAME, P_COMPACT},
    {"640000", 35, 35, 95, 100, 100, 0, 11, 20, 20, 10, F_QUARTER | F_NAME,
     P_DASH},
    {"650000", 90, 90, 100, 100, 100, 0, 11, 16, 16, 30, F_GB | F_NAME | F_LTC,
     P_ZH},
    {"660000", 20, 20, 95, 100, 100, 0, 11, 16, 16, 10, F_QUARTER | F_NAME,
     P_DASH},
};
#define NSPEC ((int)(sizeof(specs) / sizeof(specs[0])))

/* ---------------------------------------------------------------------------
 * Figures fixed for single provinces (the base series, before resubmission):
 * the sum over cells `mask` of months cum0..m1 is `target`; the months m0..m1
 * carry what months cum0..m0-1 left, spread in proportion to the national
 * cells.
 *
 *   山西 2024 1-7: 156.19万人次 / 1.76亿元 (the Shanxi notice)
 *   premium 1-11: 河北8.30、河南7.66、浙江4.86、山东4.79、湖南4.77亿元
 *   premium 1-12: 河北9.66、河南9.42、贵州7.49、浙江6.66、湖南5.96亿元
 *   2025 1-7: 江苏 2839.81万人次 (the most), 浙江 45.25亿元 (the largest)
 */
enum { PT, FEN };
struct fixed {
    const char *prov;
    int meas;
    uint32_t mask;
    int cum0, m0, m1;
    int64_t target;
};
static const struct fixed fixeds[] = {
    {"140000", PT, M_ACCT, 0, 0, 6, 1561900},
    {"140000", FEN, M_ACCT, 0, 0, 6, K(1760)},
    {"130000", FEN, M_APREM, 0, 9, 10, K(8300)},
    {"410000", FEN, M_APREM, 0, 9, 10, K(7660)},
    {"330000", FEN, M_APREM, 0, 9, 10, K(4860)},
    {"370000", FEN, M_APREM, 0, 9, 10, K(4790)},
    {"430000", FEN, M_APREM, 0, 9, 10, K(4770)},
    {"130000", FEN, M_APREM, 0, 11, 11, K(9660)},
    {"410000", FEN, M_APREM, 0, 11, 11, K(9420)},
    {"520000", FEN, M_APREM, 0, 11, 11, K(7490)},
    {"330000", FEN, M_APREM, 0, 11, 11, K(6660)},
    {"430000", FEN, M_APREM, 0, 11, 11, K(5960)},
    {"370000", FEN, M_APREM, 0, 11, 11, K(5500)},
    {"510000", FEN, M_ACCT & ~M_APREM, 0, 9, 9, K(22800)},
    {"320000", PT, M_ACCT, 12, 12, 18, 28398100},
    {"330000", FEN, M_ACCT, 12, 12, 18, K(45250)},
};
#define NFIXED ((int)(sizeof(fixeds) / sizeof(fixeds[0])))

/*
 * Resubmissions.  Each moves `pt` and `fen` from cell `from` to cell `to`
 * (to < 0: the amount just goes) over the months m0..m1 of its provinces, in
 * proportion to what they had in `from` (a set of cells, one set per
 * scope); `first` says whether the move gives the first files (the base
 * series is the restated one) or the resubmitted ones.
 *
 *   R1, 2024-12-15: October 2024 premium was 0.05亿元 short in 四川 and 广西
 *       (booked as other): 1-10 premium 44.54 -> 44.59, the total unchanged.
 *   R2, 2025-01-15: November 2024 pharmacy was 3.20亿元 too high in 广东,
 *       北京 and 上海 (medical costs booked as pharmacy): 1-11 pharmacy 20.72
 *       -> 17.52, so that 1-12 reads 19.22; medical 343.08 -> 346.28.
 *   R3, 2025-08-15: the wallet of January-June 2025 was overstated in 江苏
 *       and 浙江 by 303.73万元 (省内 200.00万, 跨省 103.73万): 1-6 6964.23 ->
 *       6660.50万元, so that 1-7 reads 11612.69万元.
 */
struct restate {
    int batch; /* yyyymmdd */
    int m0, m1;
    const char *prov[4];
    uint32_t from[NSCOPE];
    int to[NSCOPE];
    int64_t pt[NSCOPE], fen[NSCOPE];
    bool first;
};
static const struct restate restates[] = {
    {20241215,
     9,
     9,
     {"510000", "450000"},
     {BIT(ACELL(SAME, PREMIUM)), 0},
     {ACELL(SAME, OTHER), -1},
     {13000, 0},
     {K(50), 0},
     true},
    {20250115,
     10,
     10,
     {"440000", "110000", "310000"},
     {BIT(ACELL(SAME, MEDICAL)), 0},
     {ACELL(SAME, PHARMACY), -1},
     {4700000, 0},
     {K(3200), 0},
     true},
    {20250815,
     12,
     17,
     {"320000", "330000"},
     {M_WIN, M_WX},
     {-1, -1},
     {0, 0},
     {W(20000), W(10373)},
     false},
};
#define NRESTATE ((int)(sizeof(restates) / sizeof(restates[0])))

/* ---------------------------------------------------------------------------
 * Which cells a province may have, and its weight in a national cell
 */

/* Whether province p has rows for cell c in month m. */
static bool
allowed(const struct prov *p, int m, int c)
{
    const struct prov_spec *sp = p->spec;
    if (c >= NACELL) {
        int from = cell_scope(c) == INPROV ? sp->wal_from : sp->xp_from;
        return from >= 0 && m >= from;
    }
    if (cell_use(c) == LTC && (m < 12 || !(sp->flags & F_LTC)))
        return false;
    if (cell_scope(c) == CROSS)
        return m >= sp->cross_from &&
               !((sp->flags & F_XMED) && m < 11 && cell_use(c) != MEDICAL);
    return true;
}

/* Whether area a has rows for cell c in month m. */
static bool
area_allowed(const struct area *a, int m, int c)
{
    return allowed(&provs[a->prov], m, c) &&
           (c < NACELL || m >= WAL_ALL || a->early);
}

/* Person-time weight of province p in national cell (m, c). */
static int64_t
prov_weight(const struct prov *p, int m, int c)
{
    const struct prov_spec *sp = p->spec;
    if (!allowed(p, m, c))
        return 0;
    if (c >= NACELL)
        return sp->wal;
    int64_t w =
        (m < 12 ? sp->weight : sp->w25) * (m >= sp->near_from ? 106 : 100);
    if (cell_use(c) == PREMIUM)
        w = w * sp->prem / 100;
    return cell_scope(c) == CROSS ? w * sp->cross : w * 100;
}

/* ---------------------------------------------------------------------------
 * The national base series
 */

/*
 * Spread cell totals tot[] over the n months of a block so that the months
 * add up to montot[]: each cell in turn takes its share of what the months
 * have left (premium weighted by the season), the last (medical, same area)
 * what remains.
 */
static void
fill_months(const int64_t *tot, int n, const int64_t *montot,
            const int64_t *season, int64_t out[NACELL][BLOCK_MAX])
{
    static const int order[NACELL] = {
        ACELL(SAME, PREMIUM),   ACELL(CROSS, PREMIUM), ACELL(SAME, PHARMACY),
        ACELL(CROSS, PHARMACY), ACELL(SAME, OTHER),    ACELL(CROSS, OTHER),
        ACELL(SAME, LTC),       ACELL(CROSS, LTC),     ACELL(CROSS, MEDICAL),
        ACELL(SAME, MEDICAL)};
    int64_t rem[BLOCK_MAX], w[BLOCK_MAX];
    memcpy(rem, montot, (size_t)n * sizeof(*rem));
    for (int k = 0; k < NACELL; k++) {
        int c = order[k];
        int64_t sum = 0;
        for (int j = 0; j < n; j++)
            w[j] = rem[j] * (cell_use(c) == PREMIUM ? season[j] : 1);
        if (k < NACELL - 1)
            split(tot[c], w, n, out[c]);
        else
            memcpy(out[c], rem, (size_t)n * sizeof(*rem));
        for (int j = 0; j < n; j++) {
            rem[j] -= out[c][j];
            sum += out[c][j];
            if (rem[j] < 0 || out[c][j] < 0)
                die("calibration: month %d of a block overfull", j);
        }
        if (sum != tot[c])
            die("calibration: block months do not add up");
    }
}

static void
build_block(const struct ablock *b)
{
    int n = b->m1 - b->m0 + 1;
    int64_t pt[NACELL], fen[NACELL], w[NAUSE], part[NAUSE], sum[2] = {0, 0};
    int64_t out[NACELL][BLOCK_MAX];

    for (int u = 0; u < NAUSE; u++)
        w[u] = b->ufen[u] / 1000 * USE_XR[u];
    split(b->sfen[CROSS], w, NAUSE, part);
    for (int u = 0; u < NAUSE; u++) {
        fen[ACELL(CROSS, u)] = part[u];
        fen[ACELL(SAME, u)] = b->ufen[u] - part[u];
        if (fen[ACELL(SAME, u)] < 0)
            die("calibration: block %d: use %d short", b->m0, u);
    }
    if (b->sfen[SAME] + b->sfen[CROSS] !=
        b->ufen[0] + b->ufen[1] + b->ufen[2] + b->ufen[3] + b->ufen[4])
        die("calibration: block %d: scopes and uses differ", b->m0);
    for (int s = 0; s < NSCOPE; s++) {
        for (int u = 0; u < NAUSE; u++)
            w[u] = fen[ACELL(s, u)] / USE_PRICE[u];
        split(b->spt[s], w, NAUSE, part);
        for (int u = 0; u < NAUSE; u++)
            pt[ACELL(s, u)] = part[u];
    }
    for (int j = 0; j < n; j++) {
        sum[0] += b->mpt[j];
        sum[1] += b->mfen[j];
    }
    if (sum[0] != b->spt[0] + b->spt[1] || sum[1] != b->sfen[0] + b->sfen[1])
        die("calibration: block %d: months do not add up", b->m0);

    fill_months(pt, n, b->mpt, b->season, out);
    for (int c = 0; c < NACELL; c++)
        for (int j = 0; j < n; j++)
            nat_pt[b->m0 + j][c] = out[c][j];
    fill_months(fen, n, b->mfen, b->season, out);
    for (int c = 0; c < NACELL; c++)
        for (int j = 0; j < n; j++)
            nat_fen[b->m0 + j][c] = out[c][j];
}

static void
build_wallet_month(const struct wmonth *wm)
{
    int64_t w[NWUSE], pts[NWUSE], fens[NWUSE];
    if (wm->m == WFEB) {
        split(wm->pt[XPROV], WFEB_PT, NWUSE, pts);
        split(wm->fen[XPROV], WFEB_FEN, NWUSE, fens);
        for (int u = 0; u < NWUSE; u++) {
            nat_pt[wm->m][WCELL(XPROV, u)] = pts[u];
            nat_fen[wm->m][WCELL(XPROV, u)] = fens[u];
            nat_pt[wm->m][WCELL(INPROV, u)] = WFEB_PT[u] - pts[u];
            nat_fen[wm->m][WCELL(INPROV, u)] = WFEB_FEN[u] - fens[u];
        }
        if (WFEB_PT[0] + WFEB_PT[1] + WFEB_PT[2] !=
                wm->pt[INPROV] + wm->pt[XPROV] ||
            WFEB_FEN[0] + WFEB_FEN[1] + WFEB_FEN[2] !=
                wm->fen[INPROV] + wm->fen[XPROV])
            die("calibration: February wallet uses do not add up");
        return;
    }
    for (int s = 0; s < NWSCOPE; s++) {
        split(wm->pt[s], WUSE_W, NWUSE, pts);
        for (int u = 0; u < NWUSE; u++)
            w[u] = pts[u] * WUSE_PRICE[u];
        split(wm->fen[s], w, NWUSE, fens);
        for (int u = 0; u < NWUSE; u++) {
            nat_pt[wm->m][WCELL(s, u)] = pts[u];
            nat_fen[wm->m][WCELL(s, u)] = fens[u];
        }
    }
}

static void
build_national(void)
{
    for (int i = 0; i < NBLOCK; i++)
        build_block(&blocks[i]);
    for (int i = 0; i < NWMONTH; i++)
        build_wallet_month(&wallet[i]);
    for (int m = 0; m < NMON; m++)
        for (int c = 0; c < NCELL; c++)
            if (nat_pt[m][c] < 0 || nat_fen[m][c] < 0 ||
                (nat_pt[m][c] == 0) != (nat_fen[m][c] == 0))
                die("calibration: national cell %d/%d is %" PRId64
                    " / %" PRId64,
                    m, c, nat_pt[m][c], nat_fen[m][c]);
}

/* ---------------------------------------------------------------------------
 * Provinces: the base series into version 0, fixed figures first.
 */

static int64_t fixv[2][MAX_PROV][NMON][NCELL];
static bool isfix[2][MAX_PROV][NMON][NCELL];

static int64_t *
prov_meas(struct prov *p, int v, int meas, int m)
{
    return meas == PT ? p->pt[v][m] : p->fen[v][m];
}

/* Spread fixed figure f over its cells, from month f->m0 on. */
static void
resolve_fixed(const struct fixed *f)
{
    int pi = prov_index(f->prov);
    struct prov *p = &provs[pi];
    int64_t left = f->target, w[NMON * NCELL], part[NMON * NCELL];
    int n = 0;
    for (int m = f->cum0; m < f->m0; m++)
        for (int c = 0; c < NCELL; c++)
            if (f->mask & BIT(c))
                left -= prov_meas(p, 0, f->meas, m)[c];
    if (left < 0)
        die("calibration: %s is past its fixed figure before month %d", f->prov,
            f->m0);
    for (int m = f->m0; m <= f->m1; m++)
        for (int c = 0; c < NCELL; c++) {
            bool in = (f->mask & BIT(c)) && allowed(p, m, c);
            w[n++] = !in ? 0 : f->meas == PT ? nat_pt[m][c] : nat_fen[m][c];
        }
    split(left, w, n, part);
    n = 0;
    for (int m = f->m0; m <= f->m1; m++)
        for (int c = 0; c < NCELL; c++, n++)
            if (f->mask & BIT(c)) {
                fixv[f->meas][pi][m][c] = part[n];
                isfix[f->meas][pi][m][c] = true;
            }
}

/* Province split of national cell (m, c) into version 0. */
static void
split_cell(int m, int c)
{
    int64_t w[MAX_PROV], pp[MAX_PROV], pf[MAX_PROV];
    int64_t pt = nat_pt[m][c], fen = nat_fen[m][c];
    for (int p = 0; p < nprov; p++) {
        if (isfix[PT][p][m][c])
            pt -= fixv[PT][p][m][c];
        if (isfix[FEN][p][m][c])
            fen -= fixv[FEN][p][m][c];
    }
    if (pt < 0 || fen < 0)
        die("calibration: fixed figures exceed national cell %d/%d", m, c);
    for (int p = 0; p < nprov; p++)
        w[p] = isfix[PT][p][m][c] ? 0 : prov_weight(&provs[p], m, c);
    split(pt, w, nprov, pp);
    for (int p = 0; p < nprov; p++) {
        if (isfix[PT][p][m][c])
            pp[p] = fixv[PT][p][m][c];
        w[p] = isfix[FEN][p][m][c] ? 0 : pp[p] * provs[p].spec->price;
    }
    split(fen, w, nprov, pf);
    for (int p = 0; p < nprov; p++) {
        provs[p].pt[0][m][c] = pp[p];
        provs[p].fen[0][m][c] =
            isfix[FEN][p][m][c] ? fixv[FEN][p][m][c] : pf[p];
    }
}

static void
build_provinces(void)
{
    for (int m = 0; m < NMON; m++) {
        for (int i = 0; i < NFIXED; i++)
            if (fixeds[i].m0 == m)
                resolve_fixed(&fixeds[i]);
        for (int c = 0; c < NCELL; c++)
            split_cell(m, c);
    }
}

/* Apply resubmission r to the provinces' versions. */
static void
apply_restate(const struct restate *r)
{
    int pi[4], np = 0;
    for (; np < 4 && r->prov[np] != NULL; np++)
        pi[np] = prov_index(r->prov[np]);
    for (int k = 0; k < np; k++)
        for (int m = r->m0; m <= r->m1; m++) {
            struct prov *p = &provs[pi[k]];
            memcpy(p->pt[1][m], p->pt[0][m], sizeof(p->pt[1][m]));
            memcpy(p->fen[1][m], p->fen[0][m], sizeof(p->fen[1][m]));
            p->resub[m] = r->batch;
        }
    int v = r->first ? 0 : 1; /* the version that differs from the base */
    for (int s = 0; s < NSCOPE; s++) {
        for (int meas = PT; meas <= FEN; meas++) {
            int64_t w[NMON * NCELL], part[NMON * NCELL], amt;
            int n = 0;
            amt = meas == PT ? r->pt[s] : r->fen[s];
            if (r->from[s] == 0 || amt == 0)
                continue;
            for (int k = 0; k < np; k++)
                for (int m = r->m0; m <= r->m1; m++)
                    for (int c = 0; c < NCELL; c++)
                        w[n++] = (r->from[s] & BIT(c))
                                     ? prov_meas(&provs[pi[k]], 0, meas, m)[c]
                                     : 0;
            split(amt, w, n, part);
            n = 0;
            for (int k = 0; k < np; k++)
                for (int m = r->m0; m <= r->m1; m++)
                    for (int c = 0; c < NCELL; c++, n++) {
                        int64_t *x = prov_meas(&provs[pi[k]], v, meas, m);
                        x[c] -= part[n];
                        if (r->to[s] >= 0)
                            x[r->to[s]] += part[n];
                        if (x[c] < 0)
                            die("calibration: resubmission empties a cell");
                    }
        }
    }
}

/* ---------------------------------------------------------------------------
 * Pooling areas: every version of every province-month split over its areas.
 */

static void
build_areas(void)
{
    for (int pi = 0; pi < nprov; pi++) {
        struct prov *p = &provs[pi];
        int64_t w[MAX_SPLIT], pts[MAX_SPLIT], fens[MAX_SPLIT];
        for (int v = 0; v < NVER; v++)
            for (int m = 0; m < NMON; m++) {
                if (v == 1 && p->resub[m] == 0)
                    continue;
                for (int c = 0; c < NCELL; c++) {
                    for (int i = 0; i < p->narea; i++)
                        w[i] = area_allowed(&areas[p->area[i]], m, c)
                                   ? areas[p->area[i]].weight
                                   : 0;
                    split(p->pt[v][m][c], w, p->narea, pts);
                    for (int i = 0; i < p->narea; i++)
                        w[i] = pts[i] * areas[p->area[i]].price;
                    split(p->fen[v][m][c], w, p->narea, fens);
                    for (int i = 0; i < p->narea; i++) {
                        if (pts[i] < 0 || fens[i] < 0 ||
                            (pts[i] == 0 && fens[i] != 0))
                            die("calibration: bad cell in %s",
                                areas[p->area[i]].code);
                        areas[p->area[i]].pt[v][m][c] = pts[i];
                        areas[p->area[i]].fen[v][m][c] = fens[i];
                    }
                }
            }
    }
}
