/* SPDX-License-Identifier: MIT */
/*
 * tests/gen/gen_sample.c - the bundled sample data set, data/sample/.
 *
 *   gen_sample [--verbose] OUTDIR
 *
 * Writes a synthetic national set of summary files (DESIGN §3) for January
 * 2024 - December 2025 at pooling-area grain, in the shapes provinces send:
 * GB18030 with Chinese headers and values, UTF-8 with English headers (some
 * with a BOM, some with CRLF), periods spelt 2024-01, 202401 or 2024年1月,
 * one file per month or per quarter, with or without the relation,
 * area-name and channel columns (渠道 / 共济方式 / channel; a file without
 * it is all account channel).  From November 2024 files carry the 医保钱包
 * (wallet) transfers beside the account rows; from 2025 the use
 * 长期护理保险个人缴费.
 *
 * Files go into arrival batches, OUTDIR/YYYY-MM-DD/ (the day the national
 * office received them; the name order is the arrival order): a month
 * arrives on the 15th of the next month.  A quarterly province sends its
 * quarter after the quarter, and the quarter so far when a release ends
 * inside the quarter (the later file replaces the earlier, same values).
 * Three resubmissions restate months between two releases (see
 * gen_sample_cal.h); January-September 2024 is never restated.
 *
 * The integers are calibrated so that every national release in
 * shared/DOMAIN.md is reproduced exactly as displayed from the files as they
 * stood on its date (gen_sample_check.h checks each published figure before
 * anything is written, exit 2 on a mismatch; --verbose prints the table).
 * No floating point and no random numbers: every split is a largest-
 * remainder split of an exact integer, so the output is byte-identical on
 * every run.  The split below national level is invented.
 *
 * Reference tables come from $GONGJI_DATA (default "data"): areas.csv and
 * provinces.csv.  Only area codes listed in areas.csv are used.  Files of
 * the names this program writes (NNNNNN_20*.csv) already in OUTDIR or in
 * its batch directories are removed first; nothing else is touched.
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

#define NMON      24 /* 2024-01 .. 2025-12 */
#define NVER      2  /* as first sent, as resubmitted */
#define NSCOPE    2  /* account: same_area, cross_area */
#define NAUSE     5  /* account uses */
#define NWSCOPE   2  /* wallet: in_province, cross_province */
#define NWUSE     3  /* wallet uses */
#define NACELL    (NSCOPE * NAUSE)
#define NCELL     (NACELL + NWSCOPE * NWUSE)
#define NREL      6
#define MAX_PROV  40
#define MAX_AREA  1000
#define MAX_SPLIT 64
#define MAX_PLAN  2000
#define WAL_ALL   20 /* 2025-09: the wallet in every pooling area */

enum { SAME, CROSS };
enum { MEDICAL, PHARMACY, PREMIUM, OTHER, LTC };
enum { INPROV, XPROV };
enum { MEDPHA, WPREMIUM, WOTHER };

/* Cells of a province-month: account scope × use, then wallet scope × use. */
#define ACELL(s, u) ((s)*NAUSE + (u))
#define WCELL(s, u) (NACELL + (s)*NWUSE + (u))
#define BIT(c)      (UINT32_C(1) << (c))
#define M_ACCT      ((UINT32_C(1) << NACELL) - 1)
#define M_WIN       (UINT32_C(7) << NACELL)
#define M_WX        (UINT32_C(7) << (NACELL + NWUSE))
#define M_WAL       (M_WIN | M_WX)
#define M_ALL       (M_ACCT | M_WAL)
#define M_APREM     (BIT(ACELL(SAME, PREMIUM)) | BIT(ACELL(CROSS, PREMIUM)))

static int
cell_scope(int c)
{
    return c < NACELL ? c / NAUSE : (c - NACELL) / NWUSE;
}

static int
cell_use(int c)
{
    return c < NACELL ? c % NAUSE : (c - NACELL) % NWUSE;
}

/* ---------------------------------------------------------------------------
 * State
 */

struct area {
    char code[8];
    char name[96];
    int prov;
    int64_t weight, price;
    bool early; /* capital or large city: the wallet before WAL_ALL */
    int64_t pt[NVER][NMON][NCELL], fen[NVER][NMON][NCELL];
};

struct prov {
    char code[8], shortname[32];
    const struct prov_spec *spec;
    int area[MAX_SPLIT], narea;
    int64_t pt[NVER][NMON][NCELL], fen[NVER][NMON][NCELL];
    int resub[NMON]; /* batch of the resubmission, 0: none */
};

/* One file: province, months, version, arrival batch (yyyymmdd). */
struct plan {
    int prov, m0, m1, ver, batch;
};

static struct prov provs[MAX_PROV];
static int nprov;
static struct area areas[MAX_AREA];
static int narea;
static int64_t nat_pt[NMON][NCELL], nat_fen[NMON][NCELL];
static struct plan plans[MAX_PLAN];
static int nplan;

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
    u128 sum = 0, *rem = xcalloc((size_t)n + 1, sizeof(*rem));
    bool *got = xcalloc((size_t)n + 1, sizeof(*got));
    int64_t given = 0;
    for (int i = 0; i < n; i++)
        sum = sum + (u128)(uint64_t)(w[i] < 0 ? 0 : w[i]);
    if (total < 0 || (sum == 0 && total != 0))
        die("split: cannot split %" PRId64 " over %d parts", total, n);
    for (int i = 0; i < n; i++) {
        u128 x = (u128)(uint64_t)total * (u128)(uint64_t)(w[i] < 0 ? 0 : w[i]);
        out[i] = sum == 0 ? 0 : (int64_t)(x / sum);
        rem[i] = sum == 0 ? 0 : x % sum;
        given += out[i];
    }
    for (int64_t left = total - given; left > 0; left--) {
        int best = -1;
        for (int i = 0; i < n; i++)
            if (!got[i] && (w[i] > 0) && (best < 0 || rem[i] > rem[best]))
                best = i;
        got[best] = true;
        out[best]++;
    }
    free(rem);
    free(got);
}

static int
prov_index(const char *code)
{
    for (int i = 0; i < nprov; i++)
        if (strcmp(provs[i].code, code) == 0)
            return i;
    die("no province %s", code);
}

/* The 15th of the month after month index m, as yyyymmdd. */
static int
arrival(int m)
{
    int y = 2024 + (m + 1) / 12, mo = (m + 1) % 12 + 1;
    return y * 10000 + mo * 100 + 15;
}

#include "gen_sample_cal.h"
#include "gen_sample_check.h"

/* ---------------------------------------------------------------------------
 * Reading the reference tables
 */

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
    if (nprov == MAX_PROV ||
        sscanf(line, "%6[0-9],%*[^,],%31[^,]", p->code, p->shortname) != 2)
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
    a->prov = prov_index(prov);
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
        a->early = true;
    }
    for (size_t i = 0; i < sizeof(BIG_CITIES) / sizeof(BIG_CITIES[0]); i++)
        if (strcmp(a->code, BIG_CITIES[i]) == 0) {
            a->weight = 20 + h % 8;
            a->price = 104;
            a->early = true;
        }
    if (strcmp(a->code + 2, "9900") == 0 || strcmp(a->code, "232900") == 0) {
        a->weight = 3;
        a->price = 115;
    }
    narea++;
}

/* ---------------------------------------------------------------------------
 * Arrival: which file comes in which batch
 */

static void
add_plan(int prov, int m0, int m1, int ver, int batch)
{
    if (nplan == MAX_PLAN)
        die("too many files");
    plans[nplan++] = (struct plan){prov, m0, m1, ver, batch};
}

/* Whether a release ends with month m. */
static bool
release_month(int m)
{
    for (int i = 0; i < NRELEASE; i++)
        if (releases[i].last == m)
            return true;
    return false;
}

static int
cmp_plan(const void *a, const void *b)
{
    const struct plan *x = a, *y = b;
    if (x->batch != y->batch)
        return x->batch < y->batch ? -1 : 1;
    if (x->prov != y->prov)
        return x->prov < y->prov ? -1 : 1;
    return (x->m0 > y->m0) - (x->m0 < y->m0);
}

/*
 * A monthly province sends each month on the 15th of the next, and its
 * resubmissions in their batches; a quarterly province sends the quarter so
 * far after a month that ends a release or the quarter.
 */
static void
plan_files(void)
{
    for (int p = 0; p < nprov; p++) {
        bool quarterly = (provs[p].spec->flags & F_QUARTER) != 0;
        for (int m = 0; m < NMON; m++) {
            if (!quarterly) {
                add_plan(p, m, m, 0, arrival(m));
                if (provs[p].resub[m])
                    add_plan(p, m, m, 1, provs[p].resub[m]);
                continue;
            }
            if (provs[p].resub[m])
                die("quarterly province %s resubmits", provs[p].code);
            if (m % 3 == 2 || release_month(m))
                add_plan(p, m - m % 3, m, 0, arrival(m));
        }
    }
    qsort(plans, (size_t)nplan, sizeof(plans[0]), cmp_plan);
}

/* ---------------------------------------------------------------------------
 * Names in the files
 */

static const char *const scope_en[NSCOPE] = {"same_area", "cross_area"};
static const char *const scope_zh[NSCOPE] = {"同一统筹区", "省内跨统筹区"};
static const char *const use_en[NAUSE] = {"medical", "pharmacy", "premium",
                                          "other", "ltc_premium"};
static const char *const use_zh[NAUSE] = {"定点医疗机构", "定点零售药店",
                                          "参加居民医保等个人缴费", "其他",
                                          "长期护理保险个人缴费"};
static const char *const wscope_en[NWSCOPE] = {"in_province", "cross_province"};
static const char *const wscope_zh[NWSCOPE] = {"省内", "跨省"};
static const char *const wuse_en[NWUSE] = {"medical_pharmacy", "premium",
                                           "other"};
static const char *const wuse_zh[NWUSE] = {"就医购药", "参加居民医保等个人缴费",
                                           "其他"};
static const char *const rel_en[NREL + 1] = {
    "spouse",      "parent",     "child",      "sibling",
    "grandparent", "grandchild", "unspecified"};
static const char *const rel_zh[NREL + 1] = {
    "配偶",  "父母", "子女", "兄弟姐妹", "祖父母/外祖父母", "孙子女/外孙子女",
    "未指定"};
static const char *const chan_en[2] = {"account", "wallet"};
static const char *const chan_zh[2] = {"即时调用", "医保钱包"};

/* Relations, in files with a relation column. */
static const int64_t REL_W[NREL] = {42, 33, 25, 3, 2, 2};
static const int64_t REL_PRICE[NREL] = {100, 115, 80, 100, 120, 70};

enum {
    C_PERIOD,
    C_AREA,
    C_NAME,
    C_CHAN,
    C_SCOPE,
    C_USE,
    C_REL,
    C_PT,
    C_AMOUNT,
    C_N
};
static const char *const head_en[C_N] = {
    "period", "area",     "area_name",    "channel", "scope",
    "use",    "relation", "person_times", "amount"};
static const char *const head_zh[C_N] = {
    "统计期",   "统筹区编码", "统筹区名称", "渠道",        "共济范围",
    "共济用途", "共济关系",   "共济人次",   "共济金额(元)"};

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

/* Whether n is a name this program writes: NNNNNN_20*.csv. */
static bool
own_file(const char *n)
{
    size_t len = strlen(n);
    return len >= 12 && strspn(n, "0123456789") == 6 &&
           strncmp(n + 6, "_20", 3) == 0 && strcmp(n + len - 4, ".csv") == 0;
}

/* Whether n is a batch directory name: YYYY-MM-DD. */
static bool
batch_dir(const char *n)
{
    return strlen(n) == 10 && strspn(n, "0123456789-") == 10 && n[4] == '-' &&
           n[7] == '-';
}

/*
 * Remove what a previous run wrote: own files in dir and in its batch
 * directories, and the batch directories left empty.  Nothing else.
 */
static void
clean_dir(const char *dir, bool top)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        die("cannot open %s", dir);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        if (own_file(e->d_name)) {
            if (unlink(path) != 0)
                die("cannot remove %s", path);
        } else if (top && batch_dir(e->d_name)) {
            clean_dir(path, false);
            rmdir(path); /* fails, as it should, if something else is left */
        }
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

static void
period_name(char *buf, size_t len, int pfmt, int m)
{
    int y = 2024 + m / 12, mo = m % 12 + 1;
    if (pfmt == P_DASH)
        snprintf(buf, len, "%d-%02d", y, mo);
    else if (pfmt == P_COMPACT)
        snprintf(buf, len, "%d%02d", y, mo);
    else
        snprintf(buf, len, "%d年%d月", y, mo);
}

/* Whether province p has wallet rows in months m0..m1. */
static bool
has_wallet(const struct prov *p, int m0, int m1)
{
    for (int m = m0; m <= m1; m++)
        if (allowed(p, m, WCELL(INPROV, 0)) || allowed(p, m, WCELL(XPROV, 0)))
            return true;
    return false;
}

/* The rows of one area-month-cell: split by relation where there is one. */
static void
cell_rows(struct sbuf *sb, const struct plan *pl, const struct area *a, int m,
          int c, const char **val, const bool *col, const char *eol)
{
    const struct prov *p = &provs[pl->prov];
    const struct prov_spec *sp = p->spec;
    bool zh = (sp->flags & (F_GB | F_ZH)) != 0;
    int64_t pts[NREL], fens[NREL], w[NREL];
    int n = 1, r0 = NREL; /* the wallet: one row, relation unspecified */
    pts[0] = a->pt[pl->ver][m][c];
    fens[0] = a->fen[pl->ver][m][c];
    if (c < NACELL) {
        r0 = 0;
        if (sp->flags & F_REL) {
            n = m >= sp->near_from ? NREL : 3;
            split(pts[0], REL_W, n, pts);
            for (int r = 0; r < n; r++)
                w[r] = pts[r] * REL_PRICE[r];
            split(a->fen[pl->ver][m][c], w, n, fens);
        }
    }
    val[C_CHAN] = (zh ? chan_zh : chan_en)[c >= NACELL];
    val[C_SCOPE] = c < NACELL ? (zh ? scope_zh : scope_en)[cell_scope(c)]
                              : (zh ? wscope_zh : wscope_en)[cell_scope(c)];
    val[C_USE] = c < NACELL ? (zh ? use_zh : use_en)[cell_use(c)]
                            : (zh ? wuse_zh : wuse_en)[cell_use(c)];
    for (int r = 0; r < n; r++) {
        char ptbuf[32], amount[48];
        snprintf(ptbuf, sizeof(ptbuf), "%" PRId64, pts[r]);
        money_format(amount, sizeof(amount), fens[r]);
        val[C_REL] = (zh ? rel_zh : rel_en)[r0 + r];
        val[C_PT] = ptbuf;
        val[C_AMOUNT] = amount;
        add_row(sb, val, col, eol);
    }
}

static void
emit_body(struct sbuf *sb, const struct plan *pl, const bool *col,
          const char *eol)
{
    const struct prov *p = &provs[pl->prov];
    for (int m = pl->m0; m <= pl->m1; m++) {
        char period[32];
        period_name(period, sizeof(period), p->spec->pfmt, m);
        for (int i = 0; i < p->narea; i++) {
            const struct area *a = &areas[p->area[i]];
            const char *val[C_N] = {period, a->code, a->name};
            for (int c = 0; c < NCELL; c++)
                if (area_allowed(a, m, c)) /* rows where the policy allows */
                    cell_rows(sb, pl, a, m, c, val, col, eol);
        }
    }
}

/* The file of plan pl, in its batch directory under outdir. */
static void
emit_file(const char *outdir, const struct plan *pl)
{
    const struct prov *p = &provs[pl->prov];
    const struct prov_spec *sp = p->spec;
    bool zh = (sp->flags & (F_GB | F_ZH)) != 0;
    const char *eol = (sp->flags & F_CRLF) ? "\r\n" : "\n";
    const char *head[C_N];
    bool col[C_N];
    for (int c = 0; c < C_N; c++) {
        head[c] = (zh ? head_zh : head_en)[c];
        col[c] = (c != C_NAME || (sp->flags & F_NAME)) &&
                 (c != C_REL || (sp->flags & F_REL)) &&
                 (c != C_CHAN || has_wallet(p, pl->m0, pl->m1));
    }
    if (sp->flags & F_FS)
        head[C_CHAN] = "共济方式";

    struct sbuf sb = SBUF_INIT;
    if (sp->flags & F_BOM)
        sbuf_addstr(&sb, "\xEF\xBB\xBF");
    add_row(&sb, head, col, eol);
    emit_body(&sb, pl, col, eol);

    char path[4096];
    int n = snprintf(path, sizeof(path), "%s/%04d-%02d-%02d", outdir,
                     pl->batch / 10000, pl->batch / 100 % 100, pl->batch % 100);
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
        die("cannot create %s", path);
    if (pl->m0 == pl->m1 && !(sp->flags & F_QUARTER))
        snprintf(path + n, sizeof(path) - (size_t)n, "/%s_%d-%02d.csv", p->code,
                 2024 + pl->m0 / 12, pl->m0 % 12 + 1);
    else
        snprintf(path + n, sizeof(path) - (size_t)n, "/%s_%dQ%d.csv", p->code,
                 2024 + pl->m0 / 12, pl->m0 % 12 / 3 + 1);
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
    bool verbose = argc == 3 && strcmp(argv[1], "--verbose") == 0;
    if (argc != 2 + verbose || argv[argc - 1][0] == '-') {
        fputs("usage: gen_sample [--verbose] OUTDIR\n", stderr);
        return 2;
    }
    const char *outdir = argv[argc - 1];
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
    for (int i = 0; i < NRESTATE; i++)
        apply_restate(&restates[i]);
    build_areas();
    plan_files();
    check_figures(verbose);

    if (mkdir(outdir, 0777) != 0 && errno != EEXIST)
        die("cannot create %s", outdir);
    clean_dir(outdir, true);
    for (int i = 0; i < nplan; i++)
        emit_file(outdir, &plans[i]);
    return 0;
}
