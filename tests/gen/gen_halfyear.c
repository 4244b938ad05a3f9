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

/* Read one reference table: every line after the header, split on ','. */
static void
read_table(const char *dir, const char *name, void (*row)(char **f, int n))
{
    char path[4096], line[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *fp = fopen(path, "r");
    if (fp == NULL)
        die("cannot read %s", path);
    for (int lineno = 1; fgets(line, sizeof(line), fp) != NULL; lineno++) {
        line[strcspn(line, "\r\n")] = '\0';
        if (lineno == 1 || line[0] == '\0')
            continue;
        char *f[4];
        int n = 0;
        for (char *p = line; n < 4; n++) {
            f[n] = p;
            p = strchr(p, ',');
            if (p == NULL) {
                n++;
                break;
            }
            *p++ = '\0';
        }
        row(f, n);
    }
    fclose(fp);
}

static void
prov_row(char **f, int n)
{
    if (n < 1 || strlen(f[0]) != 6 || nprov == MAX_PROV)
        die("bad provinces.csv row %s", f[0]);
    memcpy(provs[nprov++], f[0], 7);
}

static void
area_row(char **f, int n)
{
    if (n < 3 || strlen(f[0]) != 6 || narea == MAX_AREA)
        die("bad areas.csv row %s", f[0]);
    struct area *a = &areas[narea];
    memcpy(a->code, f[0], 7);
    snprintf(a->name, sizeof(a->name), "%s", f[1]);
    a->prov = -1;
    for (int i = 0; i < nprov; i++)
        if (strcmp(provs[i], f[2]) == 0)
            a->prov = i;
    if (a->prov < 0)
        die("areas.csv: unknown province of %s", f[0]);
    narea++;
}

/* ---------------------------------------------------------------------------
 * Expected results: sums by every dimension, from the generated integers.
 */

struct sum {
    int64_t pt, fen;
    bool seen;
};

#define MAX_MONTHS 12
static struct sum tot, by_period[MAX_MONTHS], by_prov[MAX_PROV];
static struct sum by_area[MAX_AREA], by_scope[NSCOPE], by_use[NUSE];
static struct sum by_rel[NREL], by_prov_scope[MAX_PROV][NSCOPE];

static void
sum_add(struct sum *s, int64_t pt, int64_t fen)
{
    s->pt += pt;
    s->fen += fen;
    s->seen = true;
}

struct outrow {
    char key[64];
    struct sum s;
};

static int
outrow_cmp(const void *a, const void *b)
{
    return strcmp(((const struct outrow *)a)->key,
                  ((const struct outrow *)b)->key);
}

/* Write OUTDIR/expected/NAME.csv from n sums, keyed by key(i). */
static void
write_expected(const char *dir, const char *name, const struct sum *sums, int n,
               const char *(*key)(int i, char *buf))
{
    struct outrow *rows = xcalloc((size_t)n, sizeof(*rows));
    size_t nr = 0;
    for (int i = 0; i < n; i++) {
        if (!sums[i].seen)
            continue;
        key(i, rows[nr].key);
        rows[nr++].s = sums[i];
    }
    qsort(rows, nr, sizeof(*rows), outrow_cmp);

    struct sbuf sb = SBUF_INIT;
    char path[4096], money[48];
    sbuf_addf(&sb, "%s,person_times,amount\n", name);
    for (size_t i = 0; i < nr; i++) {
        money_format(money, sizeof(money), rows[i].s.fen);
        sbuf_addf(&sb, "%s,%" PRId64 ",%s\n", rows[i].key, rows[i].s.pt, money);
    }
    snprintf(path, sizeof(path), "%s/expected/%s.csv", dir, name);
    write_file(path, sb.buf, sb.len);
    sbuf_release(&sb);
    free(rows);
}

static int opt_year = 2024;

static const char *
key_period(int i, char *buf)
{
    sprintf(buf, "%04d-%02d", opt_year, i + 1);
    return buf;
}

static const char *
key_prov(int i, char *buf)
{
    return strcpy(buf, provs[i]);
}

static const char *
key_area(int i, char *buf)
{
    return strcpy(buf, areas[i].code);
}

static const char *
key_scope(int i, char *buf)
{
    return strcpy(buf, scope_code[i]);
}

static const char *
key_use(int i, char *buf)
{
    return strcpy(buf, use_code[i]);
}

static const char *
key_rel(int i, char *buf)
{
    return strcpy(buf, rel_code[i]);
}

static const char *
key_prov_scope(int i, char *buf)
{
    sprintf(buf, "%s,%s", provs[i / NSCOPE], scope_code[i % NSCOPE]);
    return buf;
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

static void
format_amount(char *buf, size_t len, int64_t fen, int fmt)
{
    if (fmt == 3)
        fmt = (int)rng_below(3);
    if (fmt == 2) {
        money_format_grouped(buf, len, fen);
        return;
    }
    money_format(buf, len, fen);
    if (fmt == 1) {
        size_t n = strlen(buf);
        if (strcmp(buf + n - 2, "00") == 0)
            buf[n - 3] = '\0';
        else if (buf[n - 1] == '0')
            buf[n - 1] = '\0';
    }
}

static void
format_period(char *buf, size_t len, int month, int fmt)
{
    if (fmt == 3)
        fmt = (int)rng_below(3);
    if (fmt == 0)
        snprintf(buf, len, "%04d-%02d", opt_year, month);
    else if (fmt == 1)
        snprintf(buf, len, "%04d%02d", opt_year, month);
    else
        snprintf(buf, len, "%04d年%d月", opt_year, month);
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

static void
emit_file(const char *outdir, int seq, const struct plan *pl,
          const struct shape *sh)
{
    int order[C_N], ncol = 0;
    for (int c = 0; c < C_N; c++)
        if ((c != C_NAME || sh->has_name) && (c != C_REL || sh->has_rel))
            order[ncol++] = c;
    if (sh->shuffle)
        for (int i = ncol - 1; i > 0; i--) {
            int j = (int)rng_below(i + 1), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }

    const char *eol = sh->crlf ? "\r\n" : "\n";
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
    sbuf_addstr(&sb, eol);

    for (int pi = 0; pi < pl->nprov; pi++) {
        for (int m = pl->m0; m <= pl->m1; m++) {
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
                        if (!sh->has_rel) {
                            rels[REL_UNSPEC] = true;
                        } else {
                            for (int r = 0; r < NREL; r++)
                                rels[r] = rng_pct(40);
                            rels[rng_below(NREL)] = true;
                        }
                        for (int r = 0; r < NREL; r++) {
                            if (!rels[r])
                                continue;
                            int64_t pt, fen;
                            gen_values(s, u, &pt, &fen);
                            int p = pl->prov[pi];
                            sum_add(&tot, pt, fen);
                            sum_add(&by_period[m - 1], pt, fen);
                            sum_add(&by_prov[p], pt, fen);
                            sum_add(&by_area[ai], pt, fen);
                            sum_add(&by_scope[s], pt, fen);
                            sum_add(&by_use[u], pt, fen);
                            sum_add(&by_rel[r], pt, fen);
                            sum_add(&by_prov_scope[p][s], pt, fen);

                            char val[C_N][128];
                            format_period(val[C_PERIOD], 128, m,
                                          sh->period_fmt);
                            memcpy(val[C_AREA], areas[ai].code, 7);
                            int trick = (int)rng_below(6);
                            snprintf(val[C_NAME], 128,
                                     trick == 0   ? "%s,本级"
                                     : trick == 1 ? "%s\"医保\"中心"
                                                  : "%s",
                                     areas[ai].name);
                            bool zh = sh->zh_values;
                            snprintf(val[C_SCOPE], 128, "%s",
                                     zh ? scope_zh[s] : scope_code[s]);
                            snprintf(val[C_USE], 128, "%s",
                                     zh ? use_zh[u] : use_code[u]);
                            snprintf(val[C_REL], 128, "%s",
                                     zh ? rel_zh[r] : rel_code[r]);
                            snprintf(val[C_PT], 128, "%" PRId64, pt);
                            format_amount(val[C_AMOUNT], 128, fen,
                                          sh->amount_fmt);
                            for (int i = 0; i < ncol; i++) {
                                if (i > 0)
                                    sbuf_addch(&sb, ',');
                                add_field(&sb, val[order[i]], sh->quote_all);
                            }
                            sbuf_addstr(&sb, eol);
                        }
                    }
                }
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
    int special[3];
    for (int k = 0; k < 3; k++) {
        bool again;
        do {
            special[k] = (int)rng_below(nprov - 2);
            again = false;
            for (int j = 0; j < k; j++)
                again = again || special[j] == special[k];
        } while (again);
    }
    struct plan plans[MAX_PROV * MAX_MONTHS];
    int np = 0;
    for (int p = 0; p < nprov; p++) {
        int kind = -1;
        for (int k = 0; k < 3; k++)
            if (special[k] == p)
                kind = k;
        bool joint = nprov >= 2 && p >= nprov - 2;
        int half = months / 2 > 0 ? months / 2 : 1;
        int m = 1;
        while (m <= months) {
            struct plan *pl = &plans[np++];
            pl->prov[0] = p;
            pl->nprov = 1;
            pl->m0 = pl->m1 = m;
            if (kind == 0)
                pl->m1 = m <= half ? half : months;
            else if (kind == 1)
                pl->m1 = months;
            else if (kind == 2 && m > 2)
                pl->m1 = months;
            if (joint && m == months) {
                if (p == nprov - 1) {
                    np--; /* covered by the previous province's file */
                } else {
                    pl->prov[1] = nprov - 1;
                    pl->nprov = 2;
                }
            }
            m = pl->m1 + 1;
        }
    }
    for (int i = 0; i < np; i++) {
        struct shape sh;
        random_shape(&sh);
        emit_file(outdir, i + 1, &plans[i], &sh);
    }

    write_expected(outdir, "period", by_period, months, key_period);
    write_expected(outdir, "province", by_prov, nprov, key_prov);
    write_expected(outdir, "area", by_area, narea, key_area);
    write_expected(outdir, "scope", by_scope, NSCOPE, key_scope);
    write_expected(outdir, "use", by_use, NUSE, key_use);
    write_expected(outdir, "relation", by_rel, NREL, key_rel);
    write_expected(outdir, "province,scope", &by_prov_scope[0][0],
                   nprov * NSCOPE, key_prov_scope);

    char money[48];
    struct sbuf sb = SBUF_INIT;
    money_format(money, sizeof(money), tot.fen);
    sbuf_addf(&sb, "person_times,amount\n%" PRId64 ",%s\n", tot.pt, money);
    snprintf(path, sizeof(path), "%s/expected/total.csv", outdir);
    write_file(path, sb.buf, sb.len);
    sbuf_release(&sb);
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
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
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
    read_table(data, "provinces.csv", prov_row);
    read_table(data, "areas.csv", area_row);
    if (nprov < 3 || narea == 0)
        die("too few provinces or areas in %s", data);

    rng_state = seed;
    if (big_file != NULL)
        gen_big(big_rows, big_file);
    else
        gen_halfyear(argv[i], months);
    return 0;
}
