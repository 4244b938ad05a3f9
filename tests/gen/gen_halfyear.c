/* SPDX-License-Identifier: MIT */
/*
 * tests/gen/gen_halfyear.c - deterministic test data for the end-to-end tests.
 *
 *   gen_halfyear [--seed N] [--year Y] [--months N] OUTDIR
 *   gen_halfyear [--seed N] --big ROWS FILE
 *
 * The first form writes a national set of monthly summary files (DESIGN §3)
 * into OUTDIR/in/, in every shape the ingest must accept (encodings, header
 * languages, line ends, column orders, quoting, amount and period spellings,
 * with and without the relation column), and the expected query results,
 * computed from the generator's own integers, into OUTDIR/expected/ in the
 * `gongji query --format csv` format.  No (province, month) pair is covered
 * by two files.
 *
 * The second form writes one large UTF-8 summary file of ROWS rows with
 * unique keys and prints its totals as "person_times,amount" on stdout.
 *
 * Reference tables come from $GONGJI_DATA (default "data"): areas.csv and
 * provinces.csv.  The output depends only on the arguments and the tables.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <iconv.h>
#include <sys/stat.h>

#include "common/money.h"
#include "common/sbuf.h"
#include "common/xalloc.h"

#define MAX_PROV   40
#define MAX_AREA   2000
#define NSCOPE     3
#define NUSE       4
#define NREL       7
#define REL_UNSPEC 6

static const char *scope_code[NSCOPE] = {"same_area", "cross_area",
                                         "cross_province"};
static const char *scope_zh[NSCOPE] = {"同一统筹区", "省内跨统筹区", "跨省"};
static const char *use_code[NUSE] = {"medical", "pharmacy", "premium", "other"};
static const char *use_zh[NUSE] = {"定点医疗机构", "定点零售药店",
                                   "参加居民医保等个人缴费", "其他"};
static const char *rel_code[NREL] = {"spouse",     "parent",      "child",
                                     "sibling",    "grandparent", "grandchild",
                                     "unspecified"};
static const char *rel_zh[NREL] = {
    "配偶",  "父母", "子女", "兄弟姐妹", "祖父母/外祖父母", "孙子女/外孙子女",
    "未区分"};

struct area {
    char code[8];
    char name[96];
    int prov; /* index into provs */
};

static char provs[MAX_PROV][8];
static int nprov;
static struct area areas[MAX_AREA];
static int narea;

/* ---------------------------------------------------------------------------
 * Helpers
 */

static uint64_t rng_state;

static uint64_t
rng_next(void)
{
    uint64_t z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static int64_t
rng_below(int64_t n)
{
    return n <= 0 ? 0 : (int64_t)(rng_next() % (uint64_t)n);
}

/* True with probability pct/100. */
static bool
rng_pct(int pct)
{
    return rng_below(100) < pct;
}

static _Noreturn void die(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static void
die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "gen_halfyear: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(2);
}

static void
write_file(const char *path, const char *data, size_t len)
{
    FILE *fp = fopen(path, "wb");
    if (fp == NULL || fwrite(data, 1, len, fp) != len || fclose(fp) != 0)
        die("cannot write %s", path);
}

static void
make_dir(const char *path)
{
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
        die("cannot create %s", path);
}

static FILE *
open_table(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *fp = fopen(path, "r");
    if (fp == NULL)
        die("cannot read %s", path);
    return fp;
}

/* provinces.csv (code,...) and areas.csv (code,name,province) from dir. */
static void
read_tables(const char *dir)
{
    char line[512], code[8], name[96], prov[8];
    FILE *fp = open_table(dir, "provinces.csv");
    while (fgets(line, sizeof(line), fp) != NULL && nprov < MAX_PROV)
        if (sscanf(line, "%6[0-9]", code) == 1 && strlen(code) == 6)
            memcpy(provs[nprov++], code, 7);
    fclose(fp);
    fp = open_table(dir, "areas.csv");
    while (fgets(line, sizeof(line), fp) != NULL && narea < MAX_AREA) {
        if (sscanf(line, "%6[0-9],%95[^,],%6[0-9]", code, name, prov) != 3)
            continue;
        struct area *a = &areas[narea++];
        memcpy(a->code, code, 7);
        memcpy(a->name, name, sizeof(name));
        a->prov = -1;
        for (int i = 0; i < nprov; i++)
            if (strcmp(provs[i], prov) == 0)
                a->prov = i;
        if (a->prov < 0 || strlen(code) != 6)
            die("areas.csv: bad row for area %s", code);
    }
    fclose(fp);
    if (nprov < 3 || narea == 0)
        die("too few provinces or areas in %s", dir);
}

/* ---------------------------------------------------------------------------
 * Expected results: every generated row is kept as a fact, and each expected
 * file is a group-by over the facts, summed in integers.
 */

#define MAX_MONTHS 12
static int opt_year = 2024;

struct fact {
    int month, area, scope, use, rel;
    int64_t pt, fen;
};

static struct fact *facts;
static size_t nfacts, afacts;

enum { D_PERIOD, D_PROVINCE, D_AREA, D_SCOPE, D_USE, D_RELATION };
static const char *dim_name[] = {"period", "province", "area",
                                 "scope",  "use",      "relation"};

struct outrow {
    char key[64];
    int64_t pt, fen;
};

static int
outrow_cmp(const void *a, const void *b)
{
    return strcmp(((const struct outrow *)a)->key,
                  ((const struct outrow *)b)->key);
}

/* The codes of f's dimensions dims[0..nd), comma-joined, into buf[64]. */
static void
fact_key(const struct fact *f, const int *dims, int nd, char *buf)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int i = 0; i < nd; i++) {
        char per[16];
        const char *v = rel_code[f->rel];
        snprintf(per, sizeof(per), "%04d-%02d", opt_year, f->month);
        if (dims[i] == D_PERIOD)
            v = per;
        else if (dims[i] == D_PROVINCE)
            v = provs[areas[f->area].prov];
        else if (dims[i] == D_AREA)
            v = areas[f->area].code;
        else if (dims[i] == D_SCOPE)
            v = scope_code[f->scope];
        else if (dims[i] == D_USE)
            v = use_code[f->use];
        n += (size_t)snprintf(buf + n, 64 - n, "%s%s", i > 0 ? "," : "", v);
    }
}

/*
 * Write OUTDIR/expected/D1,D2.csv (total.csv when nd is 0) as `gongji query
 * --by D1,D2 --format csv` prints it, rows sorted by their key.
 */
static void
write_expected(const char *dir, const int *dims, int nd)
{
    struct outrow *rows = xcalloc(nfacts + 1, sizeof(*rows));
    for (size_t i = 0; i < nfacts; i++) {
        fact_key(&facts[i], dims, nd, rows[i].key);
        rows[i].pt = facts[i].pt;
        rows[i].fen = facts[i].fen;
    }
    qsort(rows, nfacts, sizeof(*rows), outrow_cmp);

    struct sbuf name = SBUF_INIT, sb = SBUF_INIT;
    for (int i = 0; i < nd; i++)
        sbuf_addf(&name, "%s%s", i > 0 ? "," : "", dim_name[dims[i]]);
    sbuf_addf(&sb, "%s%sperson_times,amount\n", name.buf, nd > 0 ? "," : "");
    for (size_t i = 0, j; i < nfacts; i = j) {
        int64_t pt = 0, fen = 0;
        for (j = i; j < nfacts && strcmp(rows[j].key, rows[i].key) == 0; j++) {
            pt += rows[j].pt;
            fen += rows[j].fen;
        }
        char money[48];
        money_format(money, sizeof(money), fen);
        sbuf_addf(&sb, "%s%s%" PRId64 ",%s\n", rows[i].key, nd > 0 ? "," : "",
                  pt, money);
    }
    char path[4096];
    snprintf(path, sizeof(path), "%s/expected/%s.csv", dir,
             nd > 0 ? name.buf : "total");
    write_file(path, sb.buf, sb.len);
    sbuf_release(&sb);
    sbuf_release(&name);
    free(rows);
}

/* ---------------------------------------------------------------------------
 * One input file: its coverage and its shape.
 */

struct plan {
    int prov[2], nprov; /* provinces covered */
    int m0, m1;         /* months covered, 1-based, inclusive */
};

struct shape {
    int enc;        /* 0 UTF-8, 1 UTF-8 with BOM, 2 GB18030 */
    bool zh_header; /* Chinese header names */
    bool zh_values; /* scope/use/relation as Chinese names */
    bool crlf;      /* CRLF line ends */
    bool shuffle;   /* columns in a random order */
    bool has_name;  /* an area_name column */
    bool has_rel;   /* a relation column */
    bool quote_all; /* every field quoted */
    int amount_fmt; /* 0 "1234.50", 1 "1234.5"/"1234", 2 "1,234.50", 3 mixed */
    int period_fmt; /* 0 "2024-01", 1 "202401", 2 "2024年1月", 3 mixed */
};

enum { C_PERIOD, C_AREA, C_NAME, C_SCOPE, C_USE, C_REL, C_PT, C_AMOUNT, C_N };

static const char *head_en[C_N] = {"period",       "area",  "area_name",
                                   "scope",        "use",   "relation",
                                   "person_times", "amount"};
static const char *head_zh[C_N] = {"统计期",   "统筹区编码",  "统筹区名称",
                                   "共济范围", "共济用途",    "共济关系",
                                   "共济人次", "共济金额(元)"};
static const char *head_zh_alt[C_N] = {"月份",     "医保区划", "统筹区名称",
                                       "共济范围", "共济用途", "共济关系",
                                       "共济人次", "共济金额"};

/* Append one CSV field, quoting it when asked or when it needs quotes. */
static void
add_field(struct sbuf *sb, const char *s, bool quote)
{
    if (!quote && strpbrk(s, ",\"\r\n") == NULL) {
        sbuf_addstr(sb, s);
        return;
    }
    sbuf_addch(sb, '"');
    for (; *s; s++) {
        if (*s == '"')
            sbuf_addch(sb, '"');
        sbuf_addch(sb, *s);
    }
    sbuf_addch(sb, '"');
}

/* Values of one row in realistic proportions; about 3% are zero rows. */
static void
gen_values(int scope, int use, int64_t *pt, int64_t *fen)
{
    static const int64_t cap[NUSE] = {50000, 20000, 5000, 1000};
    int64_t max = cap[use] / (scope == 0 ? 1 : 10);
    if (rng_pct(3)) {
        *pt = *fen = 0;
        return;
    }
    *pt = 1 + rng_below(max);
    /* 100-200 yuan per person-time, in fen */
    *fen = *pt * (10000 + rng_below(10000)) + rng_below(100);
    int r = (int)rng_below(4);
    if (r == 0)
        *fen -= *fen % 100; /* whole yuan: written with 0 decimals */
    else if (r == 1)
        *fen -= *fen % 10; /* whole jiao: written with 1 decimal */
}

/* Append one row of area ai, month m, scope s, use u, relation r to sb. */
static void
add_row(struct sbuf *sb, const struct shape *sh, const int *order, int ncol,
        int m, int ai, int s, int u, int r)
{
    int64_t pt, fen;
    gen_values(s, u, &pt, &fen);
    if (nfacts == afacts) {
        afacts = afacts ? 2 * afacts : 4096;
        facts = xreallocarray(facts, afacts, sizeof(*facts));
    }
    facts[nfacts++] = (struct fact){m, ai, s, u, r, pt, fen};

    char val[C_N][128];
    int fmt = sh->period_fmt == 3 ? (int)rng_below(3) : sh->period_fmt;
    snprintf(val[C_PERIOD], 128,
             fmt == 0   ? "%04d-%02d"
             : fmt == 1 ? "%04d%02d"
                        : "%04d年%d月",
             opt_year, m);
    memcpy(val[C_AREA], areas[ai].code, 7);
    int trick = (int)rng_below(6);
    snprintf(val[C_NAME], 128,
             trick == 0   ? "%s,本级"
             : trick == 1 ? "%s\"医保\"中心"
                          : "%s",
             areas[ai].name);
    bool zh = sh->zh_values;
    snprintf(val[C_SCOPE], 128, "%s", zh ? scope_zh[s] : scope_code[s]);
    snprintf(val[C_USE], 128, "%s", zh ? use_zh[u] : use_code[u]);
    snprintf(val[C_REL], 128, "%s", zh ? rel_zh[r] : rel_code[r]);
    snprintf(val[C_PT], 128, "%" PRId64, pt);
    fmt = sh->amount_fmt == 3 ? (int)rng_below(3) : sh->amount_fmt;
    if (fmt == 2) {
        money_format_grouped(val[C_AMOUNT], 128, fen);
    } else {
        size_t n = (size_t)money_format(val[C_AMOUNT], 128, fen);
        if (fmt == 1 && strcmp(val[C_AMOUNT] + n - 2, "00") == 0)
            val[C_AMOUNT][n - 3] = '\0'; /* "1234" */
        else if (fmt == 1 && val[C_AMOUNT][n - 1] == '0')
            val[C_AMOUNT][n - 1] = '\0'; /* "1234.5" */
    }
    for (int i = 0; i < ncol; i++) {
        if (i > 0)
            sbuf_addch(sb, ',');
        add_field(sb, val[order[i]], sh->quote_all);
    }
    sbuf_addstr(sb, sh->crlf ? "\r\n" : "\n");
}

static void
emit_file(const char *outdir, int seq, const struct plan *pl,
          const struct shape *sh)
{
    int order[C_N], ncol = 0;
    for (int c = 0; c < C_N; c++)
        if ((c != C_NAME || sh->has_name) && (c != C_REL || sh->has_rel))
            order[ncol++] = c;
    for (int i = ncol - 1; sh->shuffle && i > 0; i--) {
        int j = (int)rng_below(i + 1), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }

    const char **head =
        sh->zh_header ? (rng_pct(25) ? head_zh_alt : head_zh) : head_en;
    struct sbuf sb = SBUF_INIT;
    if (sh->enc == 1)
        sbuf_addstr(&sb, "\xEF\xBB\xBF");
    for (int i = 0; i < ncol; i++) {
        if (i > 0)
            sbuf_addch(&sb, ',');
        add_field(&sb, head[order[i]], sh->quote_all);
    }
    sbuf_addstr(&sb, sh->crlf ? "\r\n" : "\n");

    /*
     * Every area: same_area always, cross_area half the time; medical
     * always, the other uses mostly; a random non-empty set of relations,
     * or unspecified when the file has no relation column.
     */
    for (int pi = 0; pi < pl->nprov; pi++)
        for (int m = pl->m0; m <= pl->m1; m++)
            for (int ai = 0; ai < narea; ai++) {
                if (areas[ai].prov != pl->prov[pi])
                    continue;
                for (int s = 0; s < 2; s++) {
                    if (s == 1 && !rng_pct(50))
                        continue;
                    for (int u = 0; u < NUSE; u++) {
                        if (u > 0 && !rng_pct(80))
                            continue;
                        bool rels[NREL] = {false};
                        for (int r = 0; sh->has_rel && r < NREL; r++)
                            rels[r] = rng_pct(40);
                        rels[sh->has_rel ? rng_below(NREL) : REL_UNSPEC] = true;
                        for (int r = 0; r < NREL; r++)
                            if (rels[r])
                                add_row(&sb, sh, order, ncol, m, ai, s, u, r);
                    }
                }
            }

    char path[4096];
    int n = snprintf(path, sizeof(path), "%s/in/%03d_%s", outdir, seq,
                     provs[pl->prov[0]]);
    if (pl->nprov > 1)
        n += snprintf(path + n, sizeof(path) - (size_t)n, "+%s",
                      provs[pl->prov[1]]);
    if (pl->m0 == pl->m1)
        snprintf(path + n, sizeof(path) - (size_t)n, "_%04d%02d.csv", opt_year,
                 pl->m0);
    else
        snprintf(path + n, sizeof(path) - (size_t)n, "_%04d%02d-%02d.csv",
                 opt_year, pl->m0, pl->m1);

    if (sh->enc != 2) {
        write_file(path, sb.buf, sb.len);
    } else {
        iconv_t cd = iconv_open("GB18030", "UTF-8");
        if (cd == (iconv_t)-1)
            die("iconv: %s", "no GB18030 converter");
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

static void
random_shape(struct shape *sh)
{
    memset(sh, 0, sizeof(*sh));
    sh->enc = (int)rng_below(3);
    sh->zh_header = sh->enc != 0 || rng_pct(15);
    sh->zh_values = sh->enc == 2 || rng_pct(35);
    sh->crlf = rng_pct(40);
    sh->shuffle = rng_pct(40);
    sh->has_name = rng_pct(60);
    sh->has_rel = rng_pct(55);
    sh->quote_all = rng_pct(10);
    sh->amount_fmt = (int)rng_below(4);
    sh->period_fmt = (int)rng_below(4);
}

static void
gen_halfyear(const char *outdir, int months)
{
    char path[4096];
    make_dir(outdir);
    snprintf(path, sizeof(path), "%s/in", outdir);
    make_dir(path);
    snprintf(path, sizeof(path), "%s/expected", outdir);
    make_dir(path);

    /*
     * Coverage: most provinces one file a month.  Three provinces picked by
     * the seed send several months at once (two halves; all; 1, 2, rest),
     * and the last two provinces (新疆, 兵团) share one file for the last
     * month.
     */
    int nspec = nprov - 2, base = (int)rng_below(nspec);
    int special[3] = {base, (base + 7) % nspec, (base + 13) % nspec};
    struct plan plans[MAX_PROV * MAX_MONTHS];
    int np = 0, half = months / 2 > 0 ? months / 2 : 1;
    for (int p = 0; p < nprov; p++) {
        for (int m = 1, next; m <= months; m = next) {
            struct plan *pl = &plans[np++];
            *pl = (struct plan){{p, nprov - 1}, 1, m, m};
            if (p == special[0])
                pl->m1 = m <= half ? half : months;
            else if (p == special[1] || (p == special[2] && m > 2))
                pl->m1 = months;
            next = pl->m1 + 1;
            if (p == nprov - 2 && m == months)
                pl->nprov = 2; /* the last two share the last month */
            else if (p == nprov - 1 && m == months)
                np--; /* covered by the file above */
        }
    }
    for (int i = 0; i < np; i++) {
        struct shape sh;
        random_shape(&sh);
        emit_file(outdir, i + 1, &plans[i], &sh);
    }

    static const int specs[][2] = {
        {D_PERIOD, -1}, {D_PROVINCE, -1}, {D_AREA, -1},         {D_SCOPE, -1},
        {D_USE, -1},    {D_RELATION, -1}, {D_PROVINCE, D_SCOPE}};
    write_expected(outdir, NULL, 0);
    for (size_t k = 0; k < sizeof(specs) / sizeof(specs[0]); k++)
        write_expected(outdir, specs[k], specs[k][1] < 0 ? 1 : 2);
    free(facts);
}

/*
 * One big file: every scope × use × relation for the areas of 浙江 and 北京
 * (more areas when ROWS needs them), on months spread over 2000-2099.
 */
static void
gen_big(long rows, const char *file)
{
    int *pick = xcalloc((size_t)narea, sizeof(*pick));
    int k = 0;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < narea; i++) {
            const char *pc = provs[areas[i].prov];
            bool first = strcmp(pc, "330000") == 0 || strcmp(pc, "110000") == 0;
            if (first == (pass == 0))
                pick[k++] = i;
        }
    const long combos = NSCOPE * NUSE * NREL, all_months = 1200;
    long nareas = (rows + all_months * combos - 1) / (all_months * combos);
    if (nareas < 14)
        nareas = 14;
    if (nareas > narea)
        die("--big: too many rows for %s areas", "the known");
    long nmonths = (rows + nareas * combos - 1) / (nareas * combos);
    long step = nmonths > 0 ? all_months / nmonths : 1;

    FILE *fp = fopen(file, "wb");
    if (fp == NULL)
        die("cannot write %s", file);
    fputs("period,area,scope,use,relation,person_times,amount\n", fp);
    int64_t tpt = 0, tfen = 0;
    long done = 0;
    for (long j = 0; j < nmonths && done < rows; j++) {
        long mi = j * step;
        int y = 2000 + (int)(mi / 12), mo = 1 + (int)(mi % 12);
        for (long a = 0; a < nareas && done < rows; a++)
            for (int c = 0; c < combos && done < rows; c++, done++) {
                int s = c / (NUSE * NREL), u = c / NREL % NUSE, r = c % NREL;
                int64_t pt, fen;
                gen_values(s == 0 ? 0 : 1, u, &pt, &fen);
                char money[48];
                money_format(money, sizeof(money), fen);
                fprintf(fp, "%04d-%02d,%s,%s,%s,%s,%" PRId64 ",%s\n", y, mo,
                        areas[pick[a]].code, scope_code[s], use_code[u],
                        rel_code[r], pt, money);
                tpt += pt;
                tfen += fen;
            }
    }
    if (fclose(fp) != 0)
        die("cannot write %s", file);
    char money[48];
    money_format(money, sizeof(money), tfen);
    printf("%" PRId64 ",%s\n", tpt, money);
    free(pick);
}

static _Noreturn void
usage(void)
{
    fputs("usage: gen_halfyear [--seed N] [--year Y] [--months N] OUTDIR\n"
          "       gen_halfyear [--seed N] --big ROWS FILE\n",
          stderr);
    exit(2);
}

static long
num_arg(const char *s, long lo, long hi)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
        die("bad number '%s'", s);
    return v;
}

int
main(int argc, char **argv)
{
    unsigned long long seed = 1;
    int months = 6;
    long big_rows = -1;
    const char *big_file = NULL;
    int i = 1;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        if (i + 1 >= argc)
            usage();
        if (strcmp(argv[i], "--seed") == 0) {
            seed = (unsigned long long)num_arg(argv[++i], 0, LONG_MAX);
        } else if (strcmp(argv[i], "--year") == 0) {
            opt_year = (int)num_arg(argv[++i], 2000, 2099);
        } else if (strcmp(argv[i], "--months") == 0) {
            months = (int)num_arg(argv[++i], 1, MAX_MONTHS);
        } else if (strcmp(argv[i], "--big") == 0 && i + 2 < argc) {
            big_rows = num_arg(argv[++i], 1, 50000000);
            big_file = argv[++i];
        } else {
            usage();
        }
    }
    if (big_file == NULL && argc - i != 1)
        usage();
    if (big_file != NULL && argc - i != 0)
        usage();

    const char *data = getenv("GONGJI_DATA");
    if (data == NULL || *data == '\0')
        data = "data";
    read_tables(data);

    rng_state = seed;
    if (big_file != NULL)
        gen_big(big_rows, big_file);
    else
        gen_halfyear(argv[i], months);
    return 0;
}
