/* SPDX-License-Identifier: MIT */
/*
 * tests/gen/gen_years.c - a national store of several years at pooling-area
 * grain, for bench/review.sh (review and --vintage on about 2 million
 * flows).
 *
 *   gen_years [--seed N] [--first-year Y] [--years N] OUTDIR
 *
 * Writes one UTF-8 summary file per province and month: every area of
 * areas.csv, every scope (same_area, cross_area, cross_province) x use
 * (medical, pharmacy, premium, other) x relation, with smooth series (a
 * trend, a premium season from September to February, +-3 % noise) so
 * that review's statistics see something like real data, and a few
 * planted jumps.  The files go into batches OUTDIR/bNNN-EPOCH/, to be
 * ingested in order with SOURCE_DATE_EPOCH=EPOCH: month M's files on the
 * 20th of month M+1; every sixth month a week later, three provinces'
 * month M-3 and two provinces' month M-14 are resubmitted with changed
 * figures (so fact_history is not empty and a
 * store read at an earlier vintage differs from today's).
 *
 * The output depends only on the arguments and the tables in
 * $GONGJI_DATA (default "data").
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include "common/money.h"
#include "common/sbuf.h"
#include "common/xalloc.h"

#define MAX_PROV 40
#define MAX_AREA 2000
#define NSCOPE   3
#define NUSE     4
#define NREL     7

static const char *scope_code[NSCOPE] = {"same_area", "cross_area",
                                         "cross_province"};
static const char *use_code[NUSE] = {"medical", "pharmacy", "premium", "other"};
static const char *rel_code[NREL] = {"spouse",     "parent",      "child",
                                     "sibling",    "grandparent", "grandchild",
                                     "unspecified"};

struct area {
    char code[8];
    int prov;
};

static char provs[MAX_PROV][8];
static int nprov;
static struct area areas[MAX_AREA];
static int narea;

static uint64_t rng_state;

static uint64_t
rng_next(void)
{
    uint64_t z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double
rng_unit(void)
{
    return (double)(rng_next() >> 11) / 9007199254740992.0;
}

static _Noreturn void die(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static void
die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "gen_years: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(2);
}

/* The first two comma-separated fields of a line of a reference table. */
static void
read_tables(const char *dir)
{
    char path[4096], line[512];
    snprintf(path, sizeof(path), "%s/provinces.csv", dir);
    FILE *fp = fopen(path, "r");
    if (fp == NULL)
        die("cannot read %s", path);
    for (int ln = 0; fgets(line, sizeof(line), fp) != NULL; ln++)
        if (ln > 0 && nprov < MAX_PROV && strlen(line) > 6) {
            memcpy(provs[nprov], line, 6);
            provs[nprov++][6] = '\0';
        }
    fclose(fp);
    snprintf(path, sizeof(path), "%s/areas.csv", dir);
    if ((fp = fopen(path, "r")) == NULL)
        die("cannot read %s", path);
    for (int ln = 0; fgets(line, sizeof(line), fp) != NULL; ln++) {
        char *last = strrchr(line, ',');
        if (ln == 0 || narea >= MAX_AREA || last == NULL || strlen(line) < 6)
            continue;
        struct area *a = &areas[narea];
        memcpy(a->code, line, 6);
        a->code[6] = '\0';
        a->prov = -1;
        for (int p = 0; p < nprov; p++)
            if (strncmp(provs[p], last + 1, 6) == 0)
                a->prov = p;
        if (a->prov >= 0)
            narea++;
    }
    fclose(fp);
    if (nprov == 0 || narea == 0)
        die("no provinces or areas in %s", dir);
}

static void
make_dir(const char *path)
{
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
        die("cannot create %s", path);
}

/* Days since 1970-01-01 of y-m-d (proleptic Gregorian). */
static long
days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Seasonal factor of use u in calendar month mo (premiums Sep..Feb). */
static double
season(int u, int mo)
{
    static const double prem[12] = {3.0, 2.0, 0.6, 0.4, 0.4, 0.4,
                                    0.5, 0.8, 2.5, 4.0, 4.0, 3.5};
    static const double care[12] = {1.05, 0.85, 1.0, 1.0, 1.0, 0.98,
                                    1.0,  1.0,  1.0, 1.0, 1.0, 1.1};
    return u == 2 ? prem[mo - 1] : care[mo - 1];
}

/*
 * One province-month file: rev 0 is the first submission, rev > 0 a
 * resubmission (figures of some areas changed).
 */
static void
emit(const char *dir, int first_year, int t, int p, int rev)
{
    int y = first_year + t / 12, mo = 1 + t % 12;
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s_%04d%02d%s.csv", dir, provs[p], y, mo,
             rev ? "_r" : "");
    struct sbuf sb = SBUF_INIT;
    sbuf_addstr(&sb, "period,area,scope,use,relation,person_times,amount\n");
    for (int ai = 0; ai < narea; ai++) {
        if (areas[ai].prov != p)
            continue;
        /* the area's own numbers from its index alone: rev changes noise */
        uint64_t saved = rng_state;
        rng_state = (uint64_t)ai * 1000003u + (uint64_t)t * 7919u +
                    (uint64_t)rev * 104729u + saved % 97u;
        double size = 200 + (double)(ai * 7919 % 5000);
        double trend = pow(1.012, t);
        for (int s = 0; s < NSCOPE; s++)
            for (int u = 0; u < NUSE; u++)
                for (int r = 0; r < NREL; r++) {
                    static const double sf[NSCOPE] = {1.0, 0.12, 0.03};
                    static const double uf[NUSE] = {0.6, 0.3, 0.05, 0.05};
                    static const double avg[NUSE] = {15000, 6000, 38000, 20000};
                    double f = size * trend * sf[s] * uf[u] * season(u, mo) *
                               (r == 6 ? 0.4 : 0.1 + 0.02 * r);
                    f *= 0.97 + 0.06 * rng_unit();
                    /* planted: an amount jump, a count drop */
                    double af = 1.0;
                    if (ai % 53 == 5 && t == 40 && u == 0)
                        af = 3.0;
                    if (ai % 61 == 7 && t == 50 && u == 1)
                        f *= 0.3;
                    if (rev && s == 0 && ai % 3 == 0)
                        f *= 1.02;
                    int64_t pt = (int64_t)f + 1;
                    int64_t fen = (int64_t)((double)pt * avg[u] * af *
                                            (0.98 + 0.04 * rng_unit()));
                    char money[48];
                    money_format(money, sizeof(money), fen);
                    sbuf_addf(&sb, "%04d-%02d,%s,%s,%s,%s,%lld,%s\n", y, mo,
                              areas[ai].code, scope_code[s], use_code[u],
                              rel_code[r], (long long)pt, money);
                }
        rng_state = saved;
    }
    FILE *fp = fopen(path, "wb");
    if (fp == NULL || fwrite(sb.buf, 1, sb.len, fp) != sb.len ||
        fclose(fp) != 0)
        die("cannot write %s", path);
    sbuf_release(&sb);
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

static _Noreturn void
usage(void)
{
    fputs("usage: gen_years [--seed N] [--first-year Y] [--years N] OUTDIR\n",
          stderr);
    exit(2);
}

int
main(int argc, char **argv)
{
    unsigned long long seed = 1;
    int first_year = 2021, years = 5, i = 1;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        if (i + 1 >= argc)
            usage();
        if (strcmp(argv[i], "--seed") == 0)
            seed = (unsigned long long)num_arg(argv[++i], 0, LONG_MAX);
        else if (strcmp(argv[i], "--first-year") == 0)
            first_year = (int)num_arg(argv[++i], 2000, 2090);
        else if (strcmp(argv[i], "--years") == 0)
            years = (int)num_arg(argv[++i], 1, 9);
        else
            usage();
    }
    if (argc - i != 1)
        usage();
    const char *data = getenv("GONGJI_DATA");
    read_tables(data != NULL && *data != '\0' ? data : "data");
    rng_state = seed;

    const char *out = argv[i];
    make_dir(out);
    int nm = 12 * years;
    for (int t = 0; t < nm; t++) {
        int y = first_year + (t + 1) / 12, mo = 1 + (t + 1) % 12;
        /* month t's batch on the 20th of the next month, 08:00 UTC */
        long epoch = days_from_civil(y, mo, 20) * 86400L + 8 * 3600L;
        char dir[4096];
        snprintf(dir, sizeof(dir), "%s/b%03d-%ld", out, 2 * t, epoch);
        make_dir(dir);
        for (int p = 0; p < nprov; p++)
            emit(dir, first_year, t, p, 0);
        if (t % 6 != 5)
            continue;
        /* resubmissions, a week later: three provinces' month t - 3 */
        snprintf(dir, sizeof(dir), "%s/b%03d-%ld", out, 2 * t + 1,
                 epoch + 7 * 86400L);
        make_dir(dir);
        int base = (int)((rng_next() >> 8) % (uint64_t)nprov);
        for (int k = 0; k < 3; k++)
            emit(dir, first_year, t - 3, (base + 11 * k) % nprov, 1);
        for (int k = 0; k < 2 && t >= 14; k++)
            emit(dir, first_year, t - 14, (base + 5 + 13 * k) % nprov, 1);
    }
    return 0;
}
