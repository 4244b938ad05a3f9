/* SPDX-License-Identifier: MIT */
/*
 * tests/gen/gen_sample_check.h - the self-check of gen_sample: every
 * published figure of every release, computed from the rows of the files as
 * they stood on the release date (for each province and month the latest
 * file arrived on or before it) and displayed as the release displays it.
 * Included once, by gen_sample.c.
 */

struct release {
    int date; /* yyyymmdd */
    int last; /* month index of the release's last month */
    const char *name;
};
static const struct release releases[] = {
    {20240827, 6, "2024年1-7月"},
    {20241020, 8, "2024年1-9月"},
    {20241125, 9, "2024年1-10月"},
    {20241226, 10, "2024年1-11月"},
    {20250119, 11, "2024年1-12月"},
    {20250319, 13, "2025年1-2月"},
    {20250522, 15, "2025年1-4月"},
    {20250620, 16, "2025年1-5月"},
    {20250722, 17, "2025年1-6月"},
    {20250831, 18, "2025年1-7月"},
    {20260130, 23, "2025年1-12月"},
    /* 2024年1-9月 again from everything: nothing restated it */
    {20260130, 8, "2024年1-9月*"},
};
#define NRELEASE ((int)(sizeof(releases) / sizeof(releases[0])))

/* What a figure is. */
enum {
    G_CUM,   /* January to the release's month */
    G_INC,   /* G_CUM minus the same to the month before */
    G_MON,   /* the release's month alone */
    G_PROV,  /* G_CUM of province `prov` */
    G_TOP1,  /* the province largest on G_CUM, with its figure */
    G_TOP5,  /* the five provinces largest on G_CUM */
    G_TOP5V, /* the same with their figures in 亿 */
    G_YOY,   /* G_CUM over the same months a year before, in per cent */
};
enum { U_AUTO, U_WAN, U_YI };

struct fig {
    int rel;
    const char *label;
    int kind;
    uint32_t mask;
    int meas;
    int unit;
    const char *word; /* what a count is: 人次, 笔 or nothing */
    const char *prov;
    const char *pub; /* as published; NULL: not published, check for ties */
};

#define MUSE(u)  (BIT(ACELL(SAME, u)) | BIT(ACELL(CROSS, u)))
#define MWUSE(u) (BIT(WCELL(INPROV, u)) | BIT(WCELL(XPROV, u)))
#define M_ASAME  0x1Fu
#define M_ACROSS (0x1Fu << 5)

#define ACC(r, l, m, k, p)                                                     \
    {                                                                          \
        r, l, G_CUM, m, k, U_AUTO, "人次", NULL, p                             \
    }
#define INC(r, l, m, k, p)                                                     \
    {                                                                          \
        r, l, G_INC, m, k, U_AUTO, "人次", NULL, p                             \
    }
#define WAL(r, l, g, m, k, u, p)                                               \
    {                                                                          \
        r, l, g, m, k, u, "笔", NULL, p                                        \
    }
#define ALL(r, l, k, p)                                                        \
    {                                                                          \
        r, l, G_CUM, M_ALL, k, U_AUTO, "", NULL, p                             \
    }

/* The 2024 style: the account channel, increases, top-five lists. */
#define STYLE24(r, pt, ipt, fen, ifen, spt, sfen, xpt, xfen, med, pha, prem,   \
                oth)                                                           \
    ACC(r, "共济人次", M_ACCT, PT, pt),                                        \
        INC(r, "比上月增长(人次)", M_ACCT, PT, ipt),                           \
        ACC(r, "共济金额", M_ACCT, FEN, fen),                                  \
        INC(r, "比上月增长(金额)", M_ACCT, FEN, ifen),                         \
        ACC(r, "同一统筹区人次", M_ASAME, PT, spt),                            \
        ACC(r, "同一统筹区金额", M_ASAME, FEN, sfen),                          \
        ACC(r, "省内跨统筹区人次", M_ACROSS, PT, xpt),                         \
        ACC(r, "省内跨统筹区金额", M_ACROSS, FEN, xfen),                       \
        ACC(r, "定点医疗机构", MUSE(MEDICAL), FEN, med),                       \
        ACC(r, "定点零售药店", MUSE(PHARMACY), FEN, pha),                      \
        ACC(r, "居民医保等缴费", MUSE(PREMIUM), FEN, prem),                    \
        ACC(r, "其他", MUSE(OTHER) | MUSE(LTC), FEN, oth)
#define TOP5(r, k, p)                                                          \
    {                                                                          \
        r, "前五位", G_TOP5, M_ACCT, k, U_AUTO, "", NULL, p                    \
    }

static const struct fig figs[] = {
    STYLE24(0, "1.91亿人次", NULL, "227.38亿元", NULL, "1.80亿人次",
            "208.32亿元", "1095.83万人次", "19.06亿元", "212.39亿元",
            "9.67亿元", "3.77亿元", "1.55亿元"),
    TOP5(0, PT, "浙江、江苏、广东、北京、上海"),
    TOP5(0, FEN, "浙江、江苏、广东、北京、重庆"),
    {0, "山西人次", G_PROV, M_ACCT, PT, U_AUTO, "人次", "140000",
     "156.19万人次"},
    {0, "山西金额", G_PROV, M_ACCT, FEN, U_AUTO, "", "140000", "1.76亿元"},

    STYLE24(1, "2.46亿人次", "0.28亿人次", "304.57亿元", "42亿元", "2.31亿人次",
            "275.59亿元", "1534.50万人次", "28.98亿元", "273.18亿元",
            "12.21亿元", "17.03亿元", "2.15亿元"),
    INC(1, "居民医保缴费增长", MUSE(PREMIUM), FEN, "12.28亿元"),
    TOP5(1, PT, "浙江、江苏、广东、北京、上海"),
    TOP5(1, FEN, "浙江、江苏、广东、北京、重庆"),

    STYLE24(2, "2.83亿人次", "0.37亿人次", "369.08亿元", "64.51亿元",
            "2.63亿人次", "329.75亿元", "1976.29万人次", "39.33亿元",
            "306.64亿元", "14.16亿元", "44.54亿元", "3.74亿元"),
    INC(2, "居民医保缴费增长", MUSE(PREMIUM), FEN, "27.51亿元"),
    TOP5(2, PT, NULL),
    TOP5(2, FEN, "浙江、江苏、广东、北京、四川"),

    STYLE24(3, "3.25亿人次", "0.42亿人次", "444.53亿元", "75.45亿元",
            "3.00亿人次", "393.17亿元", "2536.01万人次", "51.36亿元",
            "343.08亿元", "20.72亿元", "74.80亿元", "5.93亿元"),
    INC(3, "居民医保缴费增长", MUSE(PREMIUM), FEN, "30.21亿元"),
    TOP5(3, PT, NULL),
    TOP5(3, FEN, NULL),
    {3, "居民医保缴费前五位", G_TOP5V, MUSE(PREMIUM), FEN, U_YI, "", NULL,
     "河北8.30、河南7.66、浙江4.86、山东4.79、湖南4.77"},

    STYLE24(4, "3.71亿人次", "0.46亿人次", "511.54亿元", "67.01亿元",
            "3.41亿人次", "451.02亿元", "3000.62万人次", "60.52亿元",
            "381.40亿元", "19.22亿元", "101.16亿元", "9.76亿元"),
    TOP5(4, PT, NULL),
    TOP5(4, FEN, NULL),
    {4, "居民医保缴费前五位", G_TOP5V, MUSE(PREMIUM), FEN, U_YI, "", NULL,
     "河北9.66、河南9.42、贵州7.49、浙江6.66、湖南5.96"},
    WAL(4, "医保钱包笔数", G_CUM, M_WAL, PT, U_AUTO, "7695笔"),
    WAL(4, "医保钱包金额", G_CUM, M_WAL, FEN, U_AUTO, "367.44万元"),
    WAL(4, "医保钱包省内笔数", G_CUM, M_WIN, PT, U_AUTO, "6592笔"),
    WAL(4, "医保钱包省内金额", G_CUM, M_WIN, FEN, U_AUTO, "322.41万元"),
    WAL(4, "医保钱包跨省笔数", G_CUM, M_WX, PT, U_AUTO, "1103笔"),
    WAL(4, "医保钱包跨省金额", G_CUM, M_WX, FEN, U_AUTO, "45.03万元"),

    ALL(5, "共济人次", PT, "6052.23万"),
    ALL(5, "共济金额", FEN, "86.87亿元"),
    ACC(5, "即时调用人次", M_ACCT, PT, "6050.51万人次"),
    ACC(5, "即时调用金额", M_ACCT, FEN, "86.75亿元"),
    ACC(5, "同一统筹区人次", M_ASAME, PT, "5530.72万人次"),
    ACC(5, "同一统筹区金额", M_ASAME, FEN, "77.22亿元"),
    ACC(5, "省内跨统筹区人次", M_ACROSS, PT, "519.79万人次"),
    ACC(5, "省内跨统筹区金额", M_ACROSS, FEN, "9.53亿元"),
    ACC(5, "定点医疗机构", MUSE(MEDICAL), FEN, "75.29亿元"),
    ACC(5, "定点零售药店", MUSE(PHARMACY), FEN, "4.43亿元"),
    ACC(5, "居民医保等缴费", MUSE(PREMIUM), FEN, "6.49亿元"),
    {5, "其他(含长护)", G_CUM, MUSE(OTHER) | MUSE(LTC), FEN, U_YI, "", NULL,
     "0.54亿元"},
    WAL(5, "医保钱包笔数", G_CUM, M_WAL, PT, U_AUTO, "1.72万笔"),
    WAL(5, "2月医保钱包笔数", G_MON, M_WAL, PT, U_AUTO, "9679笔"),
    WAL(5, "2月医保钱包金额", G_MON, M_WAL, FEN, U_AUTO, "724.22万元"),
    WAL(5, "2月省内笔数", G_MON, M_WIN, PT, U_AUTO, "6590笔"),
    WAL(5, "2月省内金额", G_MON, M_WIN, FEN, U_AUTO, "488.05万元"),
    WAL(5, "2月跨省笔数", G_MON, M_WX, PT, U_AUTO, "3089笔"),
    WAL(5, "2月跨省金额", G_MON, M_WX, FEN, U_AUTO, "236.17万元"),
    WAL(5, "2月就医购药笔数", G_MON, MWUSE(MEDPHA), PT, U_AUTO, "2916笔"),
    WAL(5, "2月就医购药金额", G_MON, MWUSE(MEDPHA), FEN, U_AUTO, "53.67万元"),
    WAL(5, "2月缴纳居民医保笔数", G_MON, MWUSE(WPREMIUM), PT, U_AUTO, "19笔"),
    WAL(5, "2月缴纳居民医保金额", G_MON, MWUSE(WPREMIUM), FEN, U_AUTO,
        "8506元"),

    ALL(6, "共济人次", PT, "1.33亿"),
    ALL(6, "共济金额", FEN, "177.92亿元"),
    ACC(6, "即时调用金额", M_ACCT, FEN, "177.59亿元"),
    WAL(6, "医保钱包金额", G_CUM, M_WAL, FEN, U_WAN, "3262.69万元"),

    ALL(7, "共济人次", PT, "1.67亿"),
    ALL(7, "共济金额", FEN, "220.26亿元"),
    ACC(7, "即时调用金额", M_ACCT, FEN, "219.82亿元"),
    WAL(7, "医保钱包笔数", G_CUM, M_WAL, PT, U_AUTO, "6.42万笔"),
    WAL(7, "医保钱包金额", G_CUM, M_WAL, FEN, U_WAN, "4370.31万元"),

    ALL(8, "共济人次", PT, "2亿"),
    ALL(8, "共济金额", FEN, "261.77亿元"),
    ACC(8, "即时调用金额", M_ACCT, FEN, "261.07亿元"),
    WAL(8, "医保钱包笔数", G_CUM, M_WAL, PT, U_AUTO, "10.01万笔"),
    WAL(8, "医保钱包金额", G_CUM, M_WAL, FEN, U_WAN, "6964.23万元"),

    ALL(9, "共济人次", PT, "2.31亿"),
    ALL(9, "共济金额", FEN, "304.57亿元"),
    ACC(9, "即时调用人次", M_ACCT, PT, "2.31亿人次"),
    ACC(9, "即时调用金额", M_ACCT, FEN, "303.41亿元"),
    ACC(9, "同一统筹区人次", M_ASAME, PT, "2.12亿人次"),
    ACC(9, "同一统筹区金额", M_ASAME, FEN, "269.94亿元"),
    ACC(9, "省内跨统筹区人次", M_ACROSS, PT, "1950.72万人次"),
    ACC(9, "省内跨统筹区金额", M_ACROSS, FEN, "33.47亿元"),
    ACC(9, "定点医疗机构", MUSE(MEDICAL), FEN, "274.87亿元"),
    ACC(9, "定点零售药店", MUSE(PHARMACY), FEN, "17.34亿元"),
    ACC(9, "居民医保等缴费", MUSE(PREMIUM), FEN, "7.09亿元"),
    ACC(9, "其他(含长护)", MUSE(OTHER) | MUSE(LTC), FEN, "4.11亿元"),
    WAL(9, "医保钱包笔数", G_CUM, M_WAL, PT, U_AUTO, "17.06万笔"),
    WAL(9, "医保钱包金额", G_CUM, M_WAL, FEN, U_WAN, "11612.69万元"),
    WAL(9, "7月医保钱包笔数", G_MON, M_WAL, PT, U_AUTO, "7.05万笔"),
    WAL(9, "7月医保钱包金额", G_MON, M_WAL, FEN, U_AUTO, "4952.19万元"),
    WAL(9, "7月省内笔数", G_MON, M_WIN, PT, U_AUTO, "3.83万笔"),
    WAL(9, "7月省内金额", G_MON, M_WIN, FEN, U_AUTO, "2743.13万元"),
    WAL(9, "7月跨省笔数", G_MON, M_WX, PT, U_AUTO, "3.22万笔"),
    WAL(9, "7月跨省金额", G_MON, M_WX, FEN, U_AUTO, "2209.06万元"),
    {9, "人次最多的省份", G_TOP1, M_ACCT, PT, U_AUTO, "人次", NULL,
     "江苏2839.81万人次"},
    {9, "金额最大的省份", G_TOP1, M_ACCT, FEN, U_AUTO, "", NULL,
     "浙江45.25亿元"},

    ALL(10, "共济人次", PT, "4.64亿"),
    ALL(10, "共济金额", FEN, "687.7亿元"),
    ACC(10, "即时调用人次", M_ACCT, PT, "4.63亿人次"),
    ACC(10, "即时调用金额", M_ACCT, FEN, "680.20亿元"),
    ACC(10, "同一统筹区人次", M_ASAME, PT, "4.21亿人次"),
    ACC(10, "同一统筹区金额", M_ASAME, FEN, "600.82亿元"),
    ACC(10, "省内跨统筹区人次", M_ACROSS, PT, "4173.51万人次"),
    ACC(10, "省内跨统筹区金额", M_ACROSS, FEN, "79.38亿元"),
    ACC(10, "定点医疗机构", MUSE(MEDICAL), FEN, "488.38亿元"),
    ACC(10, "定点零售药店", MUSE(PHARMACY), FEN, "34.32亿元"),
    ACC(10, "居民医保等缴费", MUSE(PREMIUM), FEN, "142.27亿元"),
    {10, "长期护理保险缴费", G_CUM, MUSE(LTC), FEN, U_YI, "", NULL, "0.76亿元"},
    ACC(10, "其他用途", MUSE(OTHER), FEN, "14.48亿元"),
    WAL(10, "医保钱包笔数", G_CUM, M_WAL, PT, U_AUTO, "112.10万笔"),
    WAL(10, "医保钱包金额", G_CUM, M_WAL, FEN, U_AUTO, "7.50亿元"),
    WAL(10, "医保钱包省内笔数", G_CUM, M_WIN, PT, U_AUTO, "64.88万笔"),
    WAL(10, "医保钱包省内金额", G_CUM, M_WIN, FEN, U_AUTO, "4.36亿元"),
    WAL(10, "医保钱包跨省笔数", G_CUM, M_WX, PT, U_AUTO, "47.22万笔"),
    WAL(10, "医保钱包跨省金额", G_CUM, M_WX, FEN, U_AUTO, "3.14亿元"),
    {10, "人次同比", G_YOY, M_ALL, PT, U_AUTO, "", NULL, "25.1%"},
    {10, "金额同比", G_YOY, M_ALL, FEN, U_AUTO, "", NULL, "34.4%"},

    STYLE24(11, "2.46亿人次", "0.28亿人次", "304.57亿元", "42亿元",
            "2.31亿人次", "275.59亿元", "1534.50万人次", "28.98亿元",
            "273.18亿元", "12.21亿元", "17.03亿元", "2.15亿元"),
    INC(11, "居民医保缴费增长", MUSE(PREMIUM), FEN, "12.28亿元"),
    TOP5(11, PT, "浙江、江苏、广东、北京、上海"),
    TOP5(11, FEN, "浙江、江苏、广东、北京、重庆"),
};
#define NFIG ((int)(sizeof(figs) / sizeof(figs[0])))

/* ---------------------------------------------------------------------------
 * The store as it stood on a date
 */

static int state[MAX_PROV][NMON]; /* version in force, -1: not arrived */

static void
state_at(int date)
{
    for (int p = 0; p < nprov; p++)
        for (int m = 0; m < NMON; m++)
            state[p][m] = -1;
    for (int i = 0; i < nplan; i++)
        if (plans[i].batch <= date)
            for (int m = plans[i].m0; m <= plans[i].m1; m++)
                state[plans[i].prov][m] = plans[i].ver;
}

/* Sum over the areas of province p (all: p < 0), months m0..m1, cells mask. */
static int64_t
sum_at(int p, int m0, int m1, uint32_t mask, int meas)
{
    int64_t t = 0;
    for (int a = 0; a < narea; a++) {
        int ap = areas[a].prov;
        if (p >= 0 && ap != p)
            continue;
        for (int m = m0; m <= m1; m++) {
            int v = state[ap][m];
            if (v < 0)
                die("check: %s has no data for month %d", provs[ap].code, m);
            for (int c = 0; c < NCELL; c++)
                if (mask & BIT(c))
                    t += meas == PT ? areas[a].pt[v][m][c]
                                    : areas[a].fen[v][m][c];
        }
    }
    return t;
}

/* ---------------------------------------------------------------------------
 * Display, as the releases print numbers
 */

/* v in the release's unit: two decimals, half away from zero. */
static void
disp(char *buf, size_t len, int64_t v, int meas, int unit, const char *word)
{
    int64_t yi = meas == PT ? 100000000 : INT64_C(10000000000);
    int64_t wan = meas == PT ? 10000 : 1000000;
    int64_t h;
    const char *pre = "";
    if (unit == U_YI || (unit == U_AUTO && v >= yi)) {
        h = meas == PT ? fx_round_div(v, yi / 100) : fx_round_div(v, yi / 100);
        pre = "亿";
    } else if (unit == U_WAN || (unit == U_AUTO && v >= wan)) {
        h = fx_round_div(v, wan / 100);
        pre = "万";
    } else {
        h = meas == PT ? v * 100 : v;
    }
    snprintf(buf, len, "%s%" PRId64 ".%02" PRId64 "%s%s", h < 0 ? "-" : "",
             (h < 0 ? -h : h) / 100, (h < 0 ? -h : h) % 100, pre,
             meas == PT ? word : "元");
}

/* The same with trailing zeros dropped: 687.70亿元 -> 687.7亿元, 2.00亿 -> 2亿.
 */
static void
trim_zeros(char *s)
{
    char *dot = strchr(s, '.');
    if (dot == NULL)
        return;
    char *end = dot + 3, *q = end;
    while (q > dot + 1 && q[-1] == '0')
        q--;
    if (q == dot + 1)
        q = dot;
    memmove(q, end, strlen(end) + 1);
}

/* The unit G_INC shows its figure in: that of the level. */
static int
level_unit(int64_t level, int meas)
{
    int64_t yi = meas == PT ? 100000000 : INT64_C(10000000000);
    return level >= yi ? U_YI : U_WAN;
}

/* ---------------------------------------------------------------------------
 * Figures
 */

/*
 * Provinces by G_CUM of f, largest first, into order[]; false if two of the
 * first `need` + 1 are equal (a list must not depend on a tie).
 */
static bool
rank_provinces(const struct fig *f, int m0, int m1, int need, int *order,
               int64_t *val)
{
    for (int p = 0; p < nprov; p++) {
        order[p] = p;
        val[p] = sum_at(p, m0, m1, f->mask, f->meas);
    }
    for (int i = 1; i < nprov; i++) /* insertion sort, stable */
        for (int j = i; j > 0 && val[order[j]] > val[order[j - 1]]; j--) {
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    for (int i = 0; i < need && i + 1 < nprov; i++)
        if (val[order[i]] == val[order[i + 1]])
            return false;
    return true;
}

/* Figure f computed from the store as it stood at its release, into out. */
static bool
compute(const struct fig *f, char *out, size_t len)
{
    const struct release *r = &releases[f->rel];
    int m0 = r->last / 12 * 12, m1 = r->last;
    int order[MAX_PROV];
    int64_t val[MAX_PROV], v, prev;
    bool ok = true;
    state_at(r->date);
    switch (f->kind) {
    case G_CUM:
    case G_PROV:
        v = sum_at(f->kind == G_PROV ? prov_index(f->prov) : -1, m0, m1,
                   f->mask, f->meas);
        disp(out, len, v, f->meas, f->unit, f->word);
        break;
    case G_MON:
        v = sum_at(-1, m1, m1, f->mask, f->meas);
        disp(out, len, v, f->meas, f->unit, f->word);
        break;
    case G_INC:
        v = sum_at(-1, m0, m1, f->mask, f->meas);
        prev = sum_at(-1, m0, m1 - 1, f->mask, f->meas);
        disp(out, len, v - prev, f->meas, level_unit(v, f->meas), f->word);
        break;
    case G_YOY:
        v = sum_at(-1, m0, m1, f->mask, f->meas);
        prev = sum_at(-1, m0 - 12, m1 - 12, f->mask, f->meas);
        v = fx_round_div((v - prev) * 1000, prev);
        snprintf(out, len, "%" PRId64 ".%" PRId64 "%%", v / 10, v % 10);
        break;
    case G_TOP1:
        ok = rank_provinces(f, m0, m1, 1, order, val);
        snprintf(out, len, "%s", provs[order[0]].shortname);
        disp(out + strlen(out), len - strlen(out), val[order[0]], f->meas,
             f->unit, f->word);
        break;
    default: /* G_TOP5, G_TOP5V */
        ok = rank_provinces(f, m0, m1, 5, order, val);
        out[0] = '\0';
        for (int i = 0; i < 5; i++) {
            char num[64] = "";
            int64_t h = fx_round_div(val[order[i]], 100000000);
            if (f->kind == G_TOP5V)
                snprintf(num, sizeof(num), "%" PRId64 ".%02" PRId64, h / 100,
                         h % 100);
            snprintf(out + strlen(out), len - strlen(out), "%s%s%s",
                     i ? "、" : "", provs[order[i]].shortname, num);
        }
        break;
    }
    return ok;
}

/*
 * Every figure against its published text: a table with `verbose`, a line
 * per mismatch otherwise; exit 2 on any.
 */
static void
check_figures(bool verbose)
{
    int bad = 0;
    if (verbose)
        printf("%-14s %-22s %-48s %s\n", "release", "figure", "computed",
               "published");
    for (int i = 0; i < NFIG; i++) {
        const struct fig *f = &figs[i];
        char got[256], trimmed[256];
        bool ok = compute(f, got, sizeof(got));
        snprintf(trimmed, sizeof(trimmed), "%s", got);
        if (f->kind != G_TOP5 && f->kind != G_TOP5V && f->kind != G_YOY)
            trim_zeros(trimmed);
        if (f->pub != NULL)
            ok = ok &&
                 (strcmp(got, f->pub) == 0 || strcmp(trimmed, f->pub) == 0);
        if (verbose || !ok)
            printf("%-14s %-22s %-48s %s%s\n", releases[f->rel].name, f->label,
                   got, f->pub ? f->pub : "-", ok ? "" : "   MISMATCH");
        bad += !ok;
    }
    if (bad)
        die("%d figure(s) not reproduced", bad);
}
