/* SPDX-License-Identifier: MIT */
/*
 * tests/gen/gen_detail.c - deterministic per-settlement detail rows
 * (DESIGN §3b) for the tests and the benchmark.
 *
 *   gen_detail [--seed N] [--rows N] [--year Y] [--month M] [--months K]
 *              [--chinese] [--gb18030] [--crlf] [--no-multiline]
 *              [--expect FILE] [OUT]
 *
 * Writes N rows (default 100000) with the header
 * settlement_id,settle_time,payer_area,beneficiary_area,use,relation,
 * amount,payer_id,beneficiary_id to OUT (default stdout), spread evenly over
 * K months (default 1) from Y-M (default 2024-01), in month order.
 *
 * The mix is meant to look like a province's real settlement feed: ~385
 * pooling areas from $GONGJI_DATA/areas.csv (default data/) over 32
 * provinces, weighted so that some areas are much busier; ~93% of rows
 * within one area, ~6% across areas of a province, ~1% across provinces;
 * uses and relations in realistic shares, 3% spelled with their Chinese
 * names; amounts in several spellings (integers, one decimal, 1% quoted
 * with a thousands separator); 2% quoted times; fake 18-character resident
 * IDs with a valid check character; ~0.3% reversals (negative amounts),
 * each cancelling an earlier settlement of the same month and cell, so that
 * no cell ever nets below zero; and, unless --no-multiline, one row in
 * 20000 with a settlement_id that is quoted and holds a newline or a
 * doubled quote.  The first three fields never hold a comma, so a shard
 * can be cut by payer province with awk -F, (joining quoted newlines).
 *
 * --chinese writes the Chinese header; --gb18030 encodes the whole file in
 * GB18030; --crlf ends lines with CR LF.  --expect FILE writes what
 * `gongji aggregate OUT` must print, byte for byte: the §3 summary format,
 * sorted by key, from the generator's own integer sums.
 *
 * The output depends only on the arguments and the area table.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <iconv.h>

#include "common/money.h"

#define MAX_AREA   2000
#define MAX_MONTHS 240
#define NSCOPE     3
#define NUSE       4
#define NREL       7
#define RING       64
#define PICK_SLOTS 8192

static const char *scope_code[NSCOPE] = {"same_area", "cross_area",
                                         "cross_province"};
static const char *use_code[NUSE] = {"medical", "pharmacy", "premium", "other"};
static const char *use_zh[NUSE] = {"定点医疗机构", "定点零售药店",
                                   "参加居民医保等个人缴费", "其他"};
static const char *rel_code[NREL] = {"spouse",     "parent",      "child",
                                     "sibling",    "grandparent", "grandchild",
                                     "unspecified"};
static const char *rel_zh[NREL] = {
    "配偶",  "父母", "子女", "兄弟姐妹", "祖父母/外祖父母", "孙子女/外孙子女",
    "未区分"};
static const char header_en[] = "settlement_id,settle_time,payer_area,"
                                "beneficiary_area,use,relation,amount,"
                                "payer_id,beneficiary_id";
static const char header_zh[] = "结算编号,结算时间,共济人统筹区,被共济人统筹区,"
                                "共济用途,共济关系,共济金额(元),"
                                "共济人身份证号,被共济人身份证号";

struct area {
    int code;
    int prov;         /* province code / 10000 */
    int first, count; /* the areas of its province: [first, first+count) */
};

static struct area areas[MAX_AREA];
static int narea;
static int pick[PICK_SLOTS]; /* weighted choice of a payer area */

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

static int
rng_below(int n)
{
    return n <= 0 ? 0 : (int)(rng_next() % (uint64_t)n);
}

static _Noreturn void die(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static void
die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "gen_detail: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(2);
}

static long long
num_arg(const char *opt, const char *s, long long lo, long long hi)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno != 0 || *s == '\0' || *end != '\0' || v < lo || v > hi)
        die("%s '%s': want a number from %lld to %lld", opt, s, lo, hi);
    return v;
}

/* areas.csv (code,name,province), in code order. */
static void
read_areas(const char *dir)
{
    char path[4096], line[512];
    snprintf(path, sizeof(path), "%s/areas.csv", dir);
    FILE *fp = fopen(path, "r");
    if (fp == NULL)
        die("cannot read %s", path);
    while (fgets(line, sizeof(line), fp) != NULL && narea < MAX_AREA) {
        int code = 0, k = 0;
        while (k < 6 && line[k] >= '0' && line[k] <= '9')
            code = code * 10 + (line[k++] - '0');
        if (k != 6 || line[6] != ',')
            continue;
        areas[narea].code = code;
        areas[narea].prov = code / 10000;
        narea++;
    }
    fclose(fp);
    if (narea < 10)
        die("too few areas in %s", path);
    for (int i = 1; i < narea; i++)
        if (areas[i].code <= areas[i - 1].code)
            die("%s is not in code order", path);
    for (int i = 0; i < narea;) {
        int j = i;
        while (j < narea && areas[j].prov == areas[i].prov)
            j++;
        for (int k = i; k < j; k++) {
            areas[k].first = i;
            areas[k].count = j - i;
        }
        i = j;
    }
}

/* Busy cities weigh up to 40 times a quiet one; 省本级 (xx9900) little. */
static void
make_weights(void)
{
    int w[MAX_AREA], total = 0;
    for (int i = 0; i < narea; i++) {
        int r = rng_below(100);
        w[i] = areas[i].code % 10000 == 9900 ? 1
               : r < 10                      ? 20 + rng_below(21)
               : r < 40                      ? 5 + rng_below(10)
                                             : 1 + rng_below(4);
        total += w[i];
    }
    int slot = 0;
    for (int i = 0, acc = 0; i < narea; i++) {
        acc += w[i];
        int upto = (int)((int64_t)acc * PICK_SLOTS / total);
        while (slot < upto)
            pick[slot++] = i;
    }
    while (slot < PICK_SLOTS)
        pick[slot++] = narea - 1;
}

/* ---------------------------------------------------------------------------
 * Output buffer
 */

static FILE *out;
static char obuf[1 << 20];
static size_t olen;
static bool opt_gb;

static void
flush_out(void)
{
    if (olen > 0 && fwrite(obuf, 1, olen, out) != olen)
        die("write failed");
    olen = 0;
}

static void
put(const char *s, size_t n)
{
    if (olen + n > sizeof(obuf))
        flush_out();
    memcpy(obuf + olen, s, n);
    olen += n;
}

static void
puts_(const char *s)
{
    put(s, strlen(s));
}

static void
putc_(char c)
{
    if (olen == sizeof(obuf))
        flush_out();
    obuf[olen++] = c;
}

/* v as exactly `width` digits (zero-padded), or as many as needed if 0. */
static void
put_uint(uint64_t v, int width)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0 || n < width);
    while (n > 0)
        putc_(tmp[--n]);
}

/* Chinese text, converted once to GB18030 when asked. */
static const char *
zh(const char *utf8)
{
    static struct {
        const char *in;
        char out[256];
    } cache[32];
    static int ncache;
    if (!opt_gb)
        return utf8;
    for (int i = 0; i < ncache; i++)
        if (cache[i].in == utf8)
            return cache[i].out;
    if (ncache == 32)
        die("too many Chinese strings");
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    if (cd == (iconv_t)-1)
        die("iconv cannot convert to GB18030");
    char *in = (char *)(uintptr_t)utf8, *o = cache[ncache].out;
    size_t inleft = strlen(utf8), oleft = sizeof(cache[ncache].out) - 1;
    if (iconv(cd, &in, &inleft, &o, &oleft) == (size_t)-1)
        die("cannot convert '%s' to GB18030", utf8);
    *o = '\0';
    iconv_close(cd);
    cache[ncache].in = utf8;
    return cache[ncache++].out;
}

/* ---------------------------------------------------------------------------
 * Rows
 */

struct settlement {
    int month;  /* 0-based month index */
    int pa, ba; /* area indexes */
    int use, rel, scope;
    int64_t fen;
    int day, secs;
    char pid[19], bid[19];
    bool reversed;
};

struct cell {
    int64_t pt, fen;
    int32_t rows;
};

static struct cell *cells; /* [month][area][scope][use][rel] */

static struct cell *
cell_at(int month, int area, int scope, int use, int rel)
{
    size_t i = ((((size_t)month * (size_t)narea + (size_t)area) * NSCOPE +
                 (size_t)scope) *
                    NUSE +
                (size_t)use) *
                   NREL +
               (size_t)rel;
    return &cells[i];
}

/* A fake resident ID: area, birth date, sequence, GB 11643 check char. */
static void
make_id(char id[19], int area_code)
{
    static const int wt[17] = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                               3, 7, 9,  10, 5, 8, 4, 2};
    static const char check[] = "10X98765432";
    int y = 1940 + rng_below(66), m = 1 + rng_below(12), d = 1 + rng_below(28);
    snprintf(id, 19, "%06d%04d%02d%02d%03d", area_code, y, m, d,
             rng_below(1000));
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (id[i] - '0') * wt[i];
    id[17] = check[sum % 11];
    id[18] = '\0';
}

static int
days_in(int year, int month)
{
    static const int md[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))
        return 29;
    return md[month - 1];
}

static int64_t
draw_amount(int use)
{
    switch (use) {
    case 0: /* medical */
        return 500 + rng_below(40000) +
               (rng_below(10) == 0 ? rng_below(300000) : 0);
    case 1: /* pharmacy */
        return 300 + rng_below(30000);
    case 2: { /* premium: a resident's yearly contribution */
        static const int64_t fee[4] = {35000, 38000, 40000, 60000};
        return fee[rng_below(4)];
    }
    default:
        return 1000 + rng_below(200000);
    }
}

static int opt_year = 2024, opt_month = 1;
static bool opt_crlf, opt_multiline = true;

static void
put_time(int month, int day, int secs)
{
    int m0 = opt_month - 1 + month;
    int y = opt_year + m0 / 12, m = m0 % 12 + 1;
    put_uint((uint64_t)y, 4);
    putc_('-');
    put_uint((uint64_t)m, 2);
    putc_('-');
    put_uint((uint64_t)day, 2);
    putc_(' ');
    put_uint((uint64_t)(secs / 3600), 2);
    putc_(':');
    put_uint((uint64_t)(secs / 60 % 60), 2);
    putc_(':');
    put_uint((uint64_t)(secs % 60), 2);
}

static void
put_amount(int64_t fen)
{
    uint64_t a = (uint64_t)(fen < 0 ? -fen : fen);
    int r = rng_below(100);
    if (r == 0 && a >= 100000) {
        /* quoted, with a thousands separator: "1,234.50" */
        char tmp[32];
        putc_('"');
        if (fen < 0)
            putc_('-');
        int n = snprintf(tmp, sizeof(tmp), "%" PRIu64, a / 100);
        for (int i = 0; i < n; i++) {
            if (i > 0 && (n - i) % 3 == 0)
                putc_(',');
            putc_(tmp[i]);
        }
        putc_('.');
        put_uint(a % 100, 2);
        putc_('"');
        return;
    }
    if (fen < 0)
        putc_('-');
    put_uint(a / 100, 0);
    if (a % 100 == 0 && r < 30)
        return; /* "380" */
    putc_('.');
    if (a % 10 == 0 && r < 60) {
        put_uint(a % 100 / 10, 1); /* "12.5" */
        return;
    }
    put_uint(a % 100, 2);
}

static void
put_code(const char *code, const char *name)
{
    int r = rng_below(100);
    if (r < 3) {
        puts_(zh(name));
    } else if (r < 4) {
        putc_('"');
        puts_(code);
        putc_('"');
    } else {
        puts_(code);
    }
}

static void
put_row(const struct settlement *s, bool reversal, uint64_t seq)
{
    int m0 = opt_month - 1 + s->month;
    int yyyymm = (opt_year + m0 / 12) * 100 + m0 % 12 + 1;
    int tricky = opt_multiline ? rng_below(20000) : 1;

    if (tricky == 0)
        putc_('"');
    putc_(reversal ? 'R' : 'S');
    put_uint((uint64_t)areas[s->pa].code, 6);
    put_uint((uint64_t)yyyymm, 6);
    put_uint(seq, 10);
    if (tricky == 0) {
        puts_(rng_below(2) ? "\nlate entry\"" : "\"\"x\"\"\"");
    }
    putc_(',');
    bool q = rng_below(50) == 0;
    if (q)
        putc_('"');
    put_time(s->month, s->day, s->secs + (reversal ? 1 : 0));
    if (q)
        putc_('"');
    putc_(',');
    put_uint((uint64_t)areas[s->pa].code, 6);
    putc_(',');
    put_uint((uint64_t)areas[s->ba].code, 6);
    putc_(',');
    put_code(use_code[s->use], use_zh[s->use]);
    putc_(',');
    put_code(rel_code[s->rel], rel_zh[s->rel]);
    putc_(',');
    put_amount(reversal ? -s->fen : s->fen);
    putc_(',');
    put(s->pid, 18);
    putc_(',');
    put(s->bid, 18);
    if (opt_crlf)
        putc_('\r');
    putc_('\n');
}

static void
draw(struct settlement *s, int month, int year, int mon)
{
    s->month = month;
    s->pa = pick[rng_below(PICK_SLOTS)];
    const struct area *a = &areas[s->pa];
    int r = rng_below(1000);
    s->ba = s->pa;
    if (r >= 930 && r < 990 && a->count > 1) {
        int k = rng_below(a->count - 1);
        s->ba = a->first + k;
        if (s->ba >= s->pa)
            s->ba++;
    } else if (r >= 990) {
        do
            s->ba = rng_below(narea);
        while (areas[s->ba].prov == a->prov);
    }
    s->scope = s->ba == s->pa ? 0 : areas[s->ba].prov == a->prov ? 1 : 2;
    r = rng_below(100);
    s->use = r < 46 ? 0 : r < 86 ? 1 : r < 95 ? 2 : 3;
    r = rng_below(100);
    /* spouse 34, child 28, parent 26, grandparent 5, grandchild 3, ... */
    s->rel = r < 34   ? 0
             : r < 62 ? 2
             : r < 88 ? 1
             : r < 93 ? 4
             : r < 96 ? 5
             : r < 98 ? 3
                      : 6;
    s->fen = draw_amount(s->use);
    s->day = 1 + rng_below(days_in(year, mon));
    s->secs = rng_below(86399); /* +1 s for a reversal stays in the day */
    make_id(s->pid, areas[s->pa].code);
    do
        make_id(s->bid, areas[s->ba].code);
    while (memcmp(s->pid, s->bid, 18) == 0);
    s->reversed = false;
}

static void
write_expect(const char *path, int months)
{
    FILE *fp = fopen(path, "w");
    if (fp == NULL)
        die("cannot write %s", path);
    fputs("period,area,scope,use,relation,person_times,amount\n", fp);
    for (int m = 0; m < months; m++) {
        int m0 = opt_month - 1 + m;
        for (int a = 0; a < narea; a++)
            for (int sc = 0; sc < NSCOPE; sc++)
                for (int u = 0; u < NUSE; u++)
                    for (int r = 0; r < NREL; r++) {
                        const struct cell *c = cell_at(m, a, sc, u, r);
                        char amt[32];
                        if (c->rows == 0)
                            continue;
                        money_format(amt, sizeof(amt), c->fen);
                        fprintf(fp, "%04d-%02d,%06d,%s,%s,%s,%" PRId64 ",%s\n",
                                opt_year + m0 / 12, m0 % 12 + 1, areas[a].code,
                                scope_code[sc], use_code[u], rel_code[r], c->pt,
                                amt);
                    }
    }
    if (fclose(fp) != 0)
        die("cannot write %s", path);
}

int
main(int argc, char **argv)
{
    long long rows = 100000, seed = 1, months = 1;
    const char *expect = NULL, *outpath = "-";
    bool chinese = false;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--seed") == 0 && v != NULL) {
            seed = num_arg(a, v, 0, INT64_MAX);
            i++;
        } else if (strcmp(a, "--rows") == 0 && v != NULL) {
            rows = num_arg(a, v, 1, INT64_C(10000000000));
            i++;
        } else if (strcmp(a, "--year") == 0 && v != NULL) {
            opt_year = (int)num_arg(a, v, 2000, 2080);
            i++;
        } else if (strcmp(a, "--month") == 0 && v != NULL) {
            opt_month = (int)num_arg(a, v, 1, 12);
            i++;
        } else if (strcmp(a, "--months") == 0 && v != NULL) {
            months = num_arg(a, v, 1, MAX_MONTHS);
            i++;
        } else if (strcmp(a, "--expect") == 0 && v != NULL) {
            expect = v;
            i++;
        } else if (strcmp(a, "--chinese") == 0) {
            chinese = true;
        } else if (strcmp(a, "--gb18030") == 0) {
            opt_gb = true;
        } else if (strcmp(a, "--crlf") == 0) {
            opt_crlf = true;
        } else if (strcmp(a, "--no-multiline") == 0) {
            opt_multiline = false;
        } else if (a[0] == '-' && a[1] != '\0') {
            die("usage: gen_detail [--seed N] [--rows N] [--year Y] "
                "[--month M] [--months K] [--chinese] [--gb18030] [--crlf] "
                "[--no-multiline] [--expect FILE] [OUT]");
        } else {
            outpath = a;
        }
    }
    const char *dir = getenv("GONGJI_DATA");
    read_areas(dir != NULL && *dir != '\0' ? dir : "data");
    rng_state = (uint64_t)seed * UINT64_C(0x2545F4914F6CDD1D) + 1;
    make_weights();
    cells = calloc((size_t)months * (size_t)narea * NSCOPE * NUSE * NREL,
                   sizeof(*cells));
    if (cells == NULL)
        die("out of memory");

    out = strcmp(outpath, "-") == 0 ? stdout : fopen(outpath, "wb");
    if (out == NULL)
        die("cannot write %s", outpath);
    puts_(chinese ? zh(header_zh) : header_en);
    if (opt_crlf)
        putc_('\r');
    putc_('\n');

    struct settlement ring[RING];
    int nring = 0, cur_month = -1;
    for (long long i = 0; i < rows; i++) {
        int month = (int)(i * months / rows);
        int m0 = opt_month - 1 + month;
        if (month != cur_month) {
            nring = 0; /* reversals stay within their month */
            cur_month = month;
        }
        struct settlement *s = NULL;
        bool reversal = false;
        if (nring > 8 && rng_below(1000) < 3) {
            s = &ring[rng_below(nring)];
            reversal = !s->reversed;
        }
        if (!reversal) {
            s = &ring[nring < RING ? nring++ : rng_below(RING)];
            draw(s, month, opt_year + m0 / 12, m0 % 12 + 1);
        } else {
            s->reversed = true;
        }
        struct cell *c = cell_at(month, s->pa, s->scope, s->use, s->rel);
        c->rows++;
        c->pt += reversal ? -1 : 1;
        c->fen += reversal ? -s->fen : s->fen;
        put_row(s, reversal, (uint64_t)i + 1);
    }
    flush_out();
    if (out != stdout ? fclose(out) != 0 : fflush(out) != 0)
        die("cannot write %s", outpath);
    if (expect != NULL)
        write_expect(expect, (int)months);
    free(cells);
    return 0;
}
