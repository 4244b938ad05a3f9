/* SPDX-License-Identifier: MIT */
/*
 * tests/gen/gen_corpus.c - the end-to-end corpus of input shapes (issue 9):
 * files as provinces really send them, each with its exact expected result.
 *
 *   gen_corpus DIR
 *
 * Writes into DIR (which must exist) some 75 monthly summary and detail
 * files - CSV in many shapes and encodings, and .xlsx workbooks written
 * with libxlsxwriter - and DIR/expect.tsv, one line per file, tab
 * separated:
 *
 *   FILE  KIND  COMMAND  EXIT  TOTAL  MESSAGE
 *
 * KIND is csv, tsv, utf16, gb18030, detail or xlsx (for counting);
 * COMMAND is `ingest` with any extra options (e.g. `ingest --sheet 数据`);
 * EXIT the exit status `gongji COMMAND --db NEW.db FILE` must give; TOTAL
 * what `gongji query --format csv` must then total ("person_times,amount",
 * as tests/e2e/lib.sh's total() prints it), or "none" when nothing may be
 * stored; MESSAGE a fixed string stderr must contain (empty: anything),
 * located FILE:LINE:COL for problems in a row.
 *
 * Every total is computed here from the rows written, in integers (fen and
 * person-times), never from a float.  The output depends on nothing but
 * this program: no clock, no random numbers without a fixed seed, a fixed
 * creation time in the workbooks.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <iconv.h>
#include <xlsxwriter.h>

/* ---------------------------------------------------------------------------
 * Helpers
 */

static const char *outdir;
static FILE *expect_fp;
static int nfiles;

static _Noreturn void die(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static void
die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "gen_corpus: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(2);
}

static uint64_t rng_state = UINT64_C(20240901);

static uint64_t
rng_next(void)
{
    uint64_t z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static long long
rng_range(long long lo, long long hi)
{
    return lo + (long long)(rng_next() % (uint64_t)(hi - lo + 1));
}

/* A growable byte buffer. */
struct buf {
    char *p;
    size_t len, cap;
};

static void
buf_add(struct buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->p = realloc(b->p, cap);
        if (b->p == NULL)
            die("out of memory");
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void buf_addf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
buf_addf(struct buf *b, const char *fmt, ...)
{
    char tmp[4096];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof(tmp))
        die("line too long");
    buf_add(b, tmp, (size_t)n);
}

static void
buf_free(struct buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

static char *
path_of(const char *name)
{
    static char path[4096];
    snprintf(path, sizeof(path), "%s/%s", outdir, name);
    return path;
}

static void
write_bytes(const char *name, const char *p, size_t n)
{
    FILE *fp = fopen(path_of(name), "wb");
    if (fp == NULL || fwrite(p, 1, n, fp) != n || fclose(fp) != 0)
        die("cannot write %s", path_of(name));
}

/* "person_times,amount" as total() prints it. */
static const char *
total_str(long long pt, long long fen)
{
    static char s[64];
    snprintf(s, sizeof(s), "%lld,%lld.%02lld", pt, fen / 100, fen % 100);
    return s;
}

/* One line of expect.tsv. */
static void
expect(const char *name, const char *kind, const char *cmd, int rc,
       const char *total, const char *msg)
{
    fprintf(expect_fp, "%s\t%s\t%s\t%d\t%s\t%s\n", name, kind, cmd, rc, total,
            msg ? msg : "");
    nfiles++;
}

static const char *msgf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static const char *
msgf(const char *fmt, ...)
{
    static char s[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s, sizeof(s), fmt, ap);
    va_end(ap);
    return s;
}

/* ---------------------------------------------------------------------------
 * Encodings
 */

/* UTF-8 to UTF-16 (LE or BE), with a byte order mark. */
static void
to_utf16(const struct buf *in, struct buf *out, bool be)
{
    const unsigned char *s = (const unsigned char *)in->p;
    size_t i = 0;
    buf_add(out, be ? "\xFE\xFF" : "\xFF\xFE", 2);
    while (i < in->len) {
        uint32_t c;
        if (s[i] < 0x80) {
            c = s[i++];
        } else if ((s[i] & 0xE0) == 0xC0) {
            c = (uint32_t)(s[i] & 0x1F) << 6 | (s[i + 1] & 0x3F);
            i += 2;
        } else if ((s[i] & 0xF0) == 0xE0) {
            c = (uint32_t)(s[i] & 0x0F) << 12 |
                (uint32_t)(s[i + 1] & 0x3F) << 6 | (s[i + 2] & 0x3F);
            i += 3;
        } else {
            c = (uint32_t)(s[i] & 0x07) << 18 |
                (uint32_t)(s[i + 1] & 0x3F) << 12 |
                (uint32_t)(s[i + 2] & 0x3F) << 6 | (s[i + 3] & 0x3F);
            i += 4;
        }
        uint16_t u[2];
        int n = 1;
        if (c >= 0x10000) {
            c -= 0x10000;
            u[0] = (uint16_t)(0xD800 | (c >> 10));
            u[1] = (uint16_t)(0xDC00 | (c & 0x3FF));
            n = 2;
        } else {
            u[0] = (uint16_t)c;
        }
        for (int k = 0; k < n; k++) {
            char b2[2];
            b2[be ? 0 : 1] = (char)(u[k] >> 8);
            b2[be ? 1 : 0] = (char)(u[k] & 0xFF);
            buf_add(out, b2, 2);
        }
    }
}

static void
to_gb18030(const struct buf *in, struct buf *out)
{
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    if (cd == (iconv_t)-1)
        die("iconv cannot convert to GB18030");
    size_t cap = in->len * 2 + 16;
    char *o = malloc(cap), *op = o, *ip = in->p;
    size_t inleft = in->len, oleft = cap;
    if (o == NULL)
        die("out of memory");
    if (iconv(cd, &ip, &inleft, &op, &oleft) == (size_t)-1)
        die("iconv to GB18030 failed");
    iconv_close(cd);
    buf_add(out, o, cap - oleft);
    free(o);
}

/* LF line ends to CRLF or CR. */
static void
relines(const struct buf *in, struct buf *out, const char *eol)
{
    for (size_t i = 0; i < in->len; i++) {
        if (in->p[i] == '\n')
            buf_add(out, eol, strlen(eol));
        else
            buf_add(out, in->p + i, 1);
    }
}

/* Half-width digits, '.', ',' and '-' to their full-width forms. */
static void
fullwidth(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (; *s && n + 4 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= '0' && c <= '9') || c == '.' || c == ',' || c == '-') {
            unsigned cp = 0xFF00 + (unsigned)(c - 0x20);
            out[n++] = (char)(0xE0 | (cp >> 12));
            out[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            out[n++] = (char)(0x80 | (cp & 0x3F));
        } else {
            out[n++] = (char)c;
        }
    }
    out[n] = '\0';
}

/* ---------------------------------------------------------------------------
 * The summary rows
 */

#define MAXROWS 256

struct area {
    const char *code, *name;
};

static const struct area zj[] = {
    {"330100", "杭州市"}, {"330200", "宁波市"}, {"330300", "温州市"},
    {"330400", "嘉兴市"}, {"330500", "湖州市"}, {"330600", "绍兴市"},
};
static const char *scope_zh[] = {"同一统筹区", "省内跨统筹区", "跨省"};
static const char *use_zh[] = {"定点医疗机构", "定点零售药店",
                               "参加居民医保等个人缴费", "其他"};
static const char *rel_zh[] = {"配偶", "父母", "子女", "兄弟姐妹"};

struct row {
    int area; /* index in zj[] */
    int scope, use, rel;
    long long pt, fen;
};

struct set {
    struct row r[MAXROWS];
    int n;
    long long pt, fen; /* the sums */
};

/* A province-month of Zhejiang: NAREA cities, every scope x 2 uses x
 * NREL relations, figures of a plausible size. */
static void
make_set(struct set *s, int narea, int nrel)
{
    s->n = 0;
    s->pt = s->fen = 0;
    for (int a = 0; a < narea; a++)
        for (int sc = 0; sc < 2; sc++)
            for (int u = 0; u < 2; u++)
                for (int r = 0; r < nrel; r++) {
                    struct row *w = &s->r[s->n++];
                    w->area = a;
                    w->scope = sc;
                    w->use = u;
                    w->rel = r;
                    long long big = sc == 0 && u == 0 ? 20 : 1;
                    w->pt = rng_range(40, 900) * big;
                    w->fen = w->pt * rng_range(6000, 18000) + rng_range(0, 99);
                    s->pt += w->pt;
                    s->fen += w->fen;
                }
}

enum amt_style {
    AMT_YUAN,    /* 2403149.45 */
    AMT_WAN,     /* 240.314945 (万元, exact) */
    AMT_YI,      /* 0.0240314945 (亿元) */
    AMT_COMMA,   /* "2,403,149.45" */
    AMT_FULL,    /* full-width digits */
    AMT_YEN,     /* ￥2403149.45 */
    AMT_YUANSUF, /* 2403149.45元 */
    AMT_SPACE,   /* " 2403149.45 " */
};

enum pt_style {
    PT_PLAIN, /* 16652 */
    PT_DEC,   /* 16652.00 */
    PT_WAN,   /* 1.6652 (万人次) */
    PT_FULL,  /* full-width */
};

/* v / 10^scale (v >= 0) as a decimal without trailing zeros. */
static void
scaled(long long v, int scale, char *out, size_t cap)
{
    long long p = 1;
    for (int i = 0; i < scale; i++)
        p *= 10;
    long long ip = v / p, fp = v % p;
    if (fp == 0) {
        snprintf(out, cap, "%lld", ip);
        return;
    }
    char f[32];
    size_t k = (size_t)scale;
    if (k >= sizeof(f))
        die("scale %d too large", scale);
    f[k] = '\0';
    for (size_t i = k; i-- > 0; fp /= 10)
        f[i] = (char)('0' + fp % 10);
    while (k > 0 && f[k - 1] == '0')
        f[--k] = '\0';
    snprintf(out, cap, "%lld.%s", ip, f);
}

static void
fmt_amount(long long fen, enum amt_style st, char *out, size_t cap)
{
    char t[64];
    switch (st) {
    case AMT_YUAN:
        snprintf(out, cap, "%lld.%02lld", fen / 100, fen % 100);
        return;
    case AMT_WAN:
        scaled(fen, 6, out, cap);
        return;
    case AMT_YI:
        scaled(fen, 10, out, cap);
        return;
    case AMT_COMMA: {
        char d[32], g[48];
        snprintf(d, sizeof(d), "%lld", fen / 100);
        size_t n = strlen(d), k = 0;
        for (size_t i = 0; i < n; i++) {
            if (i > 0 && (n - i) % 3 == 0)
                g[k++] = ',';
            g[k++] = d[i];
        }
        g[k] = '\0';
        snprintf(out, cap, "\"%s.%02lld\"", g, fen % 100);
        return;
    }
    case AMT_FULL:
        snprintf(t, sizeof(t), "%lld.%02lld", fen / 100, fen % 100);
        fullwidth(t, out, cap);
        return;
    case AMT_YEN:
        snprintf(out, cap, "￥%lld.%02lld", fen / 100, fen % 100);
        return;
    case AMT_YUANSUF:
        snprintf(out, cap, "%lld.%02lld元", fen / 100, fen % 100);
        return;
    case AMT_SPACE:
        snprintf(out, cap, " %lld.%02lld ", fen / 100, fen % 100);
        return;
    }
}

static void
fmt_pt(long long pt, enum pt_style st, char *out, size_t cap)
{
    char t[64];
    switch (st) {
    case PT_PLAIN:
        snprintf(out, cap, "%lld", pt);
        return;
    case PT_DEC:
        snprintf(out, cap, "%lld.00", pt);
        return;
    case PT_WAN:
        scaled(pt, 4, out, cap);
        return;
    case PT_FULL:
        snprintf(t, sizeof(t), "%lld", pt);
        fullwidth(t, out, cap);
        return;
    }
}

enum area_style {
    AREA_CODE,     /* 330100 */
    AREA_APOS,     /* '330100 */
    AREA_NAMEONLY, /* 杭州市 in the code column, no name column */
    AREA_CODENAME, /* 330100杭州市 in the code column, no name column */
};

/* How one CSV table is written. */
struct shape {
    const char *pre;    /* lines above the header ("\n" separated), or NULL */
    const char *header; /* NULL: the default Chinese header */
    const char *period; /* NULL: 2024-09 */
    char sep;           /* 0: ',' */
    enum amt_style amt;
    enum pt_style pt;
    enum area_style area;
    int bad_row;         /* 1-based row to spoil (0: none) */
    const char *bad_amt; /* what to write in its amount */
    int repeat_at;       /* repeat the header before this 1-based row */
    const char *trail;   /* appended to every line (trailing empty cols) */
};

static const char default_header[] =
    "统计期,统筹区编码,统筹区名称,共济范围,共济用途,共济关系,共济人次,"
    "共济金额(元)";

/* Writes the table into B; returns the line of the spoilt row (or 0). */
static int
table(struct buf *b, const struct set *s, const struct shape *sh)
{
    char sep = sh->sep ? sh->sep : ',';
    int line = 0, bad_line = 0;
    const char *trail = sh->trail ? sh->trail : "";
    if (sh->pre != NULL) {
        buf_addf(b, "%s\n", sh->pre);
        for (const char *p = sh->pre; *p; p++)
            line += *p == '\n';
        line++;
    }
    const char *hdr = sh->header ? sh->header : default_header;
    struct buf h = {0};
    buf_addf(&h, "%s%s\n", hdr, trail);
    for (size_t i = 0; i < h.len; i++)
        if (h.p[i] == ',')
            h.p[i] = sep;
    for (size_t i = 0; i < h.len; i++)
        line += h.p[i] == '\n';
    buf_add(b, h.p, h.len);
    for (int i = 0; i < s->n; i++) {
        const struct row *r = &s->r[i];
        char a[64], p[64], area[64];
        if (sh->repeat_at == i + 1) {
            buf_add(b, h.p, h.len);
            line++;
        }
        fmt_amount(r->fen, sh->amt, a, sizeof(a));
        fmt_pt(r->pt, sh->pt, p, sizeof(p));
        if (sh->bad_row == i + 1) {
            snprintf(a, sizeof(a), "%s", sh->bad_amt);
            bad_line = line + 1;
        }
        const struct area *z = &zj[r->area];
        switch (sh->area) {
        case AREA_CODE:
            snprintf(area, sizeof(area), "%s%c%s", z->code, sep, z->name);
            break;
        case AREA_APOS:
            snprintf(area, sizeof(area), "'%s%c%s", z->code, sep, z->name);
            break;
        case AREA_NAMEONLY:
            snprintf(area, sizeof(area), "%s", z->name);
            break;
        case AREA_CODENAME:
            snprintf(area, sizeof(area), "%s%s", z->code, z->name);
            break;
        }
        buf_addf(b, "%s%c%s%c%s%c%s%c%s%c%s%c%s%s\n",
                 sh->period ? sh->period : "2024-09", sep, area, sep,
                 scope_zh[r->scope], sep, use_zh[r->use], sep, rel_zh[r->rel],
                 sep, p, sep, a, trail);
        line++;
    }
    buf_free(&h);
    return bad_line;
}

/* The usual case: write NAME from S in shape SH, expect its totals. */
static void
csv_ok(const char *name, const struct set *s, const struct shape *sh,
       const char *msg)
{
    struct buf b = {0};
    table(&b, s, sh);
    write_bytes(name, b.p, b.len);
    buf_free(&b);
    expect(name, sh->sep == '\t' ? "tsv" : "csv", "ingest", 0,
           total_str(s->pt, s->fen), msg);
}

/* ---------------------------------------------------------------------------
 * The CSV cases
 */

static void
csv_cases(void)
{
    struct set s, s2;
    struct buf b = {0}, o = {0};
    char m[512];
    int l;
    make_set(&s, 4, 4); /* 64 rows */

    csv_ok("plain.csv", &s, &(struct shape){0}, NULL);
    csv_ok("title-rows.csv", &s,
           &(struct shape){
               .pre =
                   "2024年9月职工医保个人账户家庭共济情况统计表,,,,,,,\n"
                   "填报单位：浙江省医疗保障局,,,,,,,\n单位：元、人次,,,,,,,"},
           "title-rows.csv:4: warning: the header is line 4");
    csv_ok(
        "unit-row-wan.csv", &s,
        &(struct shape){.pre = "填报单位：浙江省医疗保障局\n单位：万元、人次",
                        .header = "统计期,统筹区编码,统筹区名称,共济范围,"
                                  "共济用途,共济关系,共济人次,共济金额",
                        .amt = AMT_WAN},
        NULL);
    csv_ok("hdr-yuan-full.csv", &s,
           &(struct shape){.header = "统计期,统筹区编码,统筹区名称,共济范围,"
                                     "共济用途,共济关系,共济人次（人次）,"
                                     "共济金额（元）"},
           NULL);
    csv_ok("hdr-wan.csv", &s,
           &(struct shape){.header = "统计期,统筹区编码,统筹区名称,共济范围,"
                                     "共济用途,共济关系,共济人次(人次),"
                                     "共济金额(万元)",
                           .amt = AMT_WAN},
           NULL);
    csv_ok("hdr-wan-full.csv", &s,
           &(struct shape){.header = "统计期,统筹区编码,统筹区名称,共济范围,"
                                     "共济用途,共济关系,共济人次,"
                                     "共济金额（万元）",
                           .amt = AMT_WAN},
           NULL);
    csv_ok("hdr-yi.csv", &s,
           &(struct shape){.header = "统计期,统筹区编码,统筹区名称,共济范围,"
                                     "共济用途,共济关系,共济人次,"
                                     "共济金额(亿元)",
                           .amt = AMT_YI},
           NULL);
    csv_ok("hdr-wanrenci.csv", &s,
           &(struct shape){.header = "统计期,统筹区编码,统筹区名称,共济范围,"
                                     "共济用途,共济关系,共济人次(万人次),"
                                     "共济金额(元)",
                           .pt = PT_WAN},
           NULL);

    /* 万元 with 7 decimals: no whole number of fen */
    b.len = 0;
    l = table(&b, &s,
              &(struct shape){.header = "统计期,统筹区编码,统筹区名称,"
                                        "共济范围,共济用途,共济关系,共济人次,"
                                        "共济金额(万元)",
                              .amt = AMT_WAN,
                              .bad_row = 10,
                              .bad_amt = "12.3456789"});
    write_bytes("wan-7dec.csv", b.p, b.len);
    expect("wan-7dec.csv", "csv", "ingest", 1, "none",
           msgf("wan-7dec.csv:%d:8: error: amount '12.3456789' in 万元 has "
                "more than 6 decimals",
                l));
    /* 1.5 人次 */
    b.len = 0;
    table(&b, &s, &(struct shape){0});
    {
        /* the 3rd data row's person-times becomes 1.5 */
        char *p = b.p;
        for (int k = 0; k < 4; k++)
            p = strchr(p, '\n') + 1;
        char *e = strchr(p, '\n');
        char *c7 = p;
        for (int k = 0; k < 6; k++)
            c7 = strchr(c7, ',') + 1;
        char *c8 = strchr(c7, ',');
        struct buf t = {0};
        buf_add(&t, b.p, (size_t)(c7 - b.p));
        buf_add(&t, "1.5", 3);
        buf_add(&t, c8, b.len - (size_t)(c8 - b.p));
        (void)e;
        write_bytes("renci-frac.csv", t.p, t.len);
        buf_free(&t);
    }
    expect("renci-frac.csv", "csv", "ingest", 1, "none",
           "renci-frac.csv:5:7: error: person_times '1.5' is not a whole "
           "number");

    /* two-row merged header */
    csv_ok("merged-header.csv", &s,
           &(struct shape){.header = "统计期,统筹区编码,统筹区名称,共济范围,"
                                     "共济用途,共济关系,共济情况,\n"
                                     ",,,,,,共济人次,共济金额（元）"},
           "merged-header.csv:2: warning: lines 1 and 2 are read as one "
           "two-row header");
    /* trailing empty columns and rows */
    b.len = 0;
    table(&b, &s, &(struct shape){.trail = ",,,"});
    buf_addf(&b, ",,,,,,,,,,,\n,,,,,,,,,,,\n\n");
    write_bytes("trailing-empty.csv", b.p, b.len);
    expect("trailing-empty.csv", "csv", "ingest", 0, total_str(s.pt, s.fen),
           NULL);
    /* header repeated mid-file (two files concatenated) */
    csv_ok("header-repeat.csv", &s, &(struct shape){.repeat_at = 33},
           "header-repeat.csv:34: warning: line 34 repeats the header "
           "(line 1): skipped");
    csv_ok("tab.txt", &s, &(struct shape){.sep = '\t'}, NULL);
    csv_ok("semicolon.csv", &s, &(struct shape){.sep = ';'}, NULL);

    /* UTF-16 with a BOM (Excel's "Unicode 文本"): tab separated, CRLF */
    b.len = 0;
    o.len = 0;
    {
        struct buf t = {0};
        table(&t, &s, &(struct shape){.sep = '\t'});
        relines(&t, &b, "\r\n");
        buf_free(&t);
    }
    to_utf16(&b, &o, false);
    write_bytes("utf16le.txt", o.p, o.len);
    expect("utf16le.txt", "utf16", "ingest", 0, total_str(s.pt, s.fen), NULL);
    o.len = 0;
    to_utf16(&b, &o, true);
    write_bytes("utf16be.txt", o.p, o.len);
    expect("utf16be.txt", "utf16", "ingest", 0, total_str(s.pt, s.fen), NULL);
    /* UTF-16LE with a bad value on a known line */
    b.len = 0;
    o.len = 0;
    {
        struct buf t = {0};
        l = table(
            &t, &s,
            &(struct shape){.sep = '\t', .bad_row = 20, .bad_amt = "12x.00"});
        relines(&t, &b, "\r\n");
        buf_free(&t);
    }
    to_utf16(&b, &o, false);
    write_bytes("utf16le-bad.txt", o.p, o.len);
    expect("utf16le-bad.txt", "utf16", "ingest", 1, "none",
           msgf("utf16le-bad.txt:%d:8: error: amount '12x.00'", l));

    /* CR-only and CRLF line ends, good and with an error on a known line */
    static const struct {
        const char *name, *eol;
        int bad;
    } ends[] = {
        {"cr-only.csv", "\r", 0},
        {"cr-only-bad.csv", "\r", 41},
        {"crlf.csv", "\r\n", 0},
        {"crlf-bad.csv", "\r\n", 57},
    };
    for (size_t k = 0; k < sizeof(ends) / sizeof(ends[0]); k++) {
        struct buf t = {0};
        b.len = 0;
        l = table(&t, &s,
                  &(struct shape){.pre = ends[k].bad ? "单位：元" : NULL,
                                  .bad_row = ends[k].bad,
                                  .bad_amt = "3O5.20"});
        relines(&t, &b, ends[k].eol);
        buf_free(&t);
        write_bytes(ends[k].name, b.p, b.len);
        if (ends[k].bad == 0)
            expect(ends[k].name, "csv", "ingest", 0, total_str(s.pt, s.fen),
                   NULL);
        else
            expect(ends[k].name, "csv", "ingest", 1, "none",
                   msgf("%s:%d:8: error: amount '3O5.20'", ends[k].name, l));
    }
    /* NUL padding after the last line (a file written into a fixed-size
     * buffer), CRLF */
    {
        struct buf t = {0};
        b.len = 0;
        table(&t, &s, &(struct shape){0});
        relines(&t, &b, "\r\n");
        buf_free(&t);
        static const char zeros[4096];
        buf_add(&b, zeros, sizeof(zeros));
        write_bytes("nul-padding.csv", b.p, b.len);
        expect("nul-padding.csv", "csv", "ingest", 0, total_str(s.pt, s.fen),
               NULL);
    }
    /* UTF-8 with a BOM, CRLF (Excel's "CSV UTF-8") */
    {
        struct buf t = {0};
        b.len = 0;
        buf_add(&b, "\xEF\xBB\xBF", 3);
        table(&t, &s, &(struct shape){0});
        relines(&t, &b, "\r\n");
        buf_free(&t);
        write_bytes("bom-crlf.csv", b.p, b.len);
        expect("bom-crlf.csv", "csv", "ingest", 0, total_str(s.pt, s.fen),
               NULL);
    }
    /* GB18030 (Excel's default "CSV" on a Chinese Windows) */
    {
        struct buf t = {0};
        b.len = 0;
        table(&t, &s,
              &(struct shape){.pre = "填报单位：浙江省医疗保障局,,,,,,,"});
        relines(&t, &b, "\r\n");
        o.len = 0;
        to_gb18030(&b, &o);
        write_bytes("gb18030.csv", o.p, o.len);
        expect("gb18030.csv", "gb18030", "ingest", 0, total_str(s.pt, s.fen),
               NULL);
        t.len = 0;
        b.len = 0;
        o.len = 0;
        l = table(&t, &s,
                  &(struct shape){.bad_row = 64, .bad_amt = "１２x.００"});
        to_gb18030(&t, &o);
        buf_free(&t);
        write_bytes("gb18030-bad.csv", o.p, o.len);
        expect("gb18030-bad.csv", "gb18030", "ingest", 1, "none",
               msgf("gb18030-bad.csv:%d:8: error: amount", l));
    }

    /* periods as spreadsheets and systems write them */
    static const struct {
        const char *name, *period;
    } periods[] = {
        {"period-dot.csv", "2024.09"},        {"period-day.csv", "2024-09-01"},
        {"period-slash.csv", "2024/9/1"},     {"period-zh.csv", "2024 年 9 月"},
        {"period-zh-tight.csv", "2024年9月"}, {"period-6.csv", "202409"},
    };
    for (size_t k = 0; k < sizeof(periods) / sizeof(periods[0]); k++)
        csv_ok(periods[k].name, &s,
               &(struct shape){.period = periods[k].period}, NULL);

    /* values */
    csv_ok("pt-decimals.csv", &s, &(struct shape){.pt = PT_DEC}, NULL);
    csv_ok("fullwidth.csv", &s, &(struct shape){.pt = PT_FULL, .amt = AMT_FULL},
           NULL);
    csv_ok("thousands.csv", &s, &(struct shape){.amt = AMT_COMMA}, NULL);
    csv_ok("spaces.csv", &s, &(struct shape){.amt = AMT_SPACE}, NULL);
    csv_ok("yen.csv", &s, &(struct shape){.amt = AMT_YEN}, NULL);
    csv_ok("yuan-suffix.csv", &s, &(struct shape){.amt = AMT_YUANSUF}, NULL);
    csv_ok("apostrophe.csv", &s, &(struct shape){.area = AREA_APOS}, NULL);
    csv_ok("area-name-only.csv", &s,
           &(struct shape){.area = AREA_NAMEONLY,
                           .header = "统计期,统筹区编码,共济范围,共济用途,"
                                     "共济关系,共济人次,共济金额(元)"},
           NULL);
    csv_ok("area-code-name.csv", &s,
           &(struct shape){.area = AREA_CODENAME,
                           .header = "统计期,统筹区编码,共济范围,共济用途,"
                                     "共济关系,共济人次,共济金额(元)"},
           NULL);
    csv_ok("vocab-wide.csv", &s,
           &(struct shape){.header = "统计年月,医保区划编码,医保区划名称,"
                                     "共济地域,用途,与共济人关系,"
                                     "共济人次（人次）,共济支出金额"},
           NULL);

    /* a bad value: the message locates it */
    b.len = 0;
    l = table(&b, &s,
              &(struct shape){.pre = "2024年9月共济情况",
                              .bad_row = 23,
                              .bad_amt = "12x.50"});
    write_bytes("bad-value.csv", b.p, b.len);
    expect("bad-value.csv", "csv", "ingest", 1, "none",
           msgf("bad-value.csv:%d:8: error: amount '12x.50' is not a decimal "
                "number",
                l));
    /* Excel error text saved into the CSV */
    b.len = 0;
    l = table(&b, &s, &(struct shape){.bad_row = 12, .bad_amt = "#VALUE!"});
    write_bytes("excel-error.csv", b.p, b.len);
    expect("excel-error.csv", "csv", "ingest", 1, "none",
           msgf("excel-error.csv:%d:8: error: amount '#VALUE!'", l));

    /* total rows */
    make_set(&s2, 3, 1); /* 12 rows: 3 cities x 2 scopes x 2 uses, 配偶 */
    {
        /* a province total per (scope, use) coded 330000 / 全省合计 and one
         * 总计 row in the use column per scope: all agree */
        long long pt[2][2] = {{0}}, fen[2][2] = {{0}};
        for (int i = 0; i < s2.n; i++) {
            pt[s2.r[i].scope][s2.r[i].use] += s2.r[i].pt;
            fen[s2.r[i].scope][s2.r[i].use] += s2.r[i].fen;
        }
        for (int bad = 0; bad < 2; bad++) {
            b.len = 0;
            table(&b, &s2, &(struct shape){0});
            int line = s2.n + 1, badline = 0;
            for (int sc = 0; sc < 2; sc++)
                for (int u = 0; u < 2; u++) {
                    long long f = fen[sc][u] + (bad && sc == 1 && u == 0);
                    buf_addf(&b,
                             "2024-09,330000,全省合计,%s,%s,配偶,%lld,"
                             "%lld.%02lld\n",
                             scope_zh[sc], use_zh[u], pt[sc][u], f / 100,
                             f % 100);
                    line++;
                    if (bad && sc == 1 && u == 0)
                        badline = line;
                }
            const char *name =
                bad ? "province-total-bad.csv" : "province-total.csv";
            write_bytes(name, b.p, b.len);
            if (bad)
                expect(name, "csv", "ingest", 1, "none",
                       msgf("%s:%d:8: error: total row (2024-09, all areas "
                            "of 330000, %s, %s, spouse) says amount",
                            name, badline, "cross_area", "medical"));
            else
                expect(name, "csv", "ingest", 0, total_str(s2.pt, s2.fen),
                       msgf("%s:14:3: warning: 4 row(s) marked 合计/小计/总计 "
                            "equal the sum of the rows they total",
                            name));
        }
        /* 小计 in the scope column, 总计 in the area-name column */
        b.len = 0;
        table(&b, &s2, &(struct shape){0});
        for (int a = 0; a < 3; a++) {
            long long p = 0, f = 0;
            for (int i = 0; i < s2.n; i++)
                if (s2.r[i].area == a && s2.r[i].use == 0) {
                    p += s2.r[i].pt;
                    f += s2.r[i].fen;
                }
            buf_addf(&b,
                     "2024-09,%s,%s,小计,定点医疗机构,配偶,%lld,%lld.%02lld\n",
                     zj[a].code, zj[a].name, p, f / 100, f % 100);
        }
        buf_addf(&b, "2024-09,,总计,,,,%lld,%lld.%02lld\n", s2.pt, s2.fen / 100,
                 s2.fen % 100);
        write_bytes("subtotals.csv", b.p, b.len);
        expect("subtotals.csv", "csv", "ingest", 0, total_str(s2.pt, s2.fen),
               "subtotals.csv:14:4: warning: 4 row(s) marked 合计/小计/总计 "
               "equal the sum of the rows they total");
    }
    {
        /* relation subtotal rows: after each (area, scope, use) group of 4
         * relations, a row with the relation blank and the group's sum */
        for (int bad = 0; bad < 2; bad++) {
            b.len = 0;
            buf_addf(&b, "%s\n", default_header);
            int line = 1, first = 0, badline = 0;
            for (int i = 0; i < s.n; i++) {
                const struct row *r = &s.r[i];
                buf_addf(&b, "2024-09,%s,%s,%s,%s,%s,%lld,%lld.%02lld\n",
                         zj[r->area].code, zj[r->area].name, scope_zh[r->scope],
                         use_zh[r->use], rel_zh[r->rel], r->pt, r->fen / 100,
                         r->fen % 100);
                line++;
                if (r->rel == 3) {
                    long long p = 0, f = 0;
                    for (int k = first; k <= i; k++) {
                        p += s.r[k].pt;
                        f += s.r[k].fen;
                    }
                    if (bad && i == 15) {
                        p += 10;
                        badline = line + 1;
                    }
                    buf_addf(&b, "2024-09,%s,%s,%s,%s,,%lld,%lld.%02lld\n",
                             zj[r->area].code, zj[r->area].name,
                             scope_zh[r->scope], use_zh[r->use], p, f / 100,
                             f % 100);
                    line++;
                    first = i + 1;
                }
            }
            const char *name =
                bad ? "relation-subtotal-bad.csv" : "relation-subtotal.csv";
            write_bytes(name, b.p, b.len);
            if (bad)
                expect(name, "csv", "ingest", 1, "none",
                       msgf("%s:%d:7: error: total row (2024-09, 330100, "
                            "cross_area, pharmacy, all relations) says "
                            "person_times",
                            name, badline));
            else
                expect(
                    name, "csv", "ingest", 0, total_str(s.pt, s.fen),
                    msgf("%s:6:6: warning: 16 relation subtotal row(s)", name));
        }
    }
    /* a name column naming another city: a warning; an error under
     * --strict */
    {
        b.len = 0;
        table(&b, &s2, &(struct shape){0});
        /* line 6 (the 5th row, 宁波市 330200) is renamed 温州市 */
        char *p = b.p;
        for (int k = 0; k < 5; k++)
            p = strchr(p, '\n') + 1;
        char *nm = strstr(p, "宁波市");
        if (nm == NULL || nm > strchr(p, '\n'))
            die("name-mismatch: no 宁波市 on line 6");
        memcpy(nm, "温州市", strlen("温州市"));
        write_bytes("name-mismatch.csv", b.p, b.len);
        write_bytes("name-mismatch-strict.csv", b.p, b.len);
        snprintf(m, sizeof(m),
                 "name-mismatch.csv:6:3: warning: area 330200 is 宁波市 in "
                 "data/areas.csv, but its name is given as '温州市' (330300 "
                 "温州市)");
        expect("name-mismatch.csv", "csv", "ingest", 0,
               total_str(s2.pt, s2.fen), m);
        expect("name-mismatch-strict.csv", "csv", "ingest --strict", 1, "none",
               "name-mismatch-strict.csv:6:3: error: area 330200 is 宁波市");
    }
    /* English codes and headers, as gongji writes them (the contract's
     * shape) */
    {
        b.len = 0;
        buf_addf(&b, "period,area,area_name,scope,use,relation,person_times,"
                     "amount\n");
        static const char *sc[] = {"same_area", "cross_area"};
        static const char *us[] = {"medical", "pharmacy"};
        static const char *rl[] = {"spouse", "parent", "child", "sibling"};
        for (int i = 0; i < s.n; i++) {
            const struct row *r = &s.r[i];
            buf_addf(&b, "2024-09,%s,%s,%s,%s,%s,%lld,%lld.%02lld\n",
                     zj[r->area].code, zj[r->area].name, sc[r->scope],
                     us[r->use], rl[r->rel], r->pt, r->fen / 100, r->fen % 100);
        }
        write_bytes("codes.csv", b.p, b.len);
        expect("codes.csv", "csv", "ingest", 0, total_str(s.pt, s.fen), NULL);
    }
    /* a LibreOffice source: =1/0 in an amount cell (the test converts it;
     * as CSV it is a bad value) */
    b.len = 0;
    l = table(&b, &s2, &(struct shape){.bad_row = 11, .bad_amt = "=1/0"});
    write_bytes("formula-div0.csv", b.p, b.len);
    expect("formula-div0.csv", "csv", "ingest", 1, "none",
           msgf("formula-div0.csv:%d:8: error: amount '=1/0'", l));
    buf_free(&b);
    buf_free(&o);
}

/* ---------------------------------------------------------------------------
 * Detail files
 */

static void
put_id(char *id, const char *area, int seq)
{
    static const int wt[] = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                             3, 7, 9,  10, 5, 8, 4, 2};
    static const char check[] = "10X98765432";
    snprintf(id, 19, "%s%04d%02d%02d%03d", area, 1950 + seq % 60, 1 + seq % 12,
             1 + seq % 28, seq % 1000);
    int sum = 0;
    for (int k = 0; k < 17; k++)
        sum += (id[k] - '0') * wt[k];
    id[17] = check[sum % 11];
    id[18] = '\0';
}

struct drow {
    int day, hh, mm, payer, ben, use, rel;
    long long fen;
};

static void
detail_cases(void)
{
    /* 40 settlements in September 2024 in Zhejiang, some across cities
     * (cross_area) and one to Beijing (cross_province) */
    static const char *ben_areas[] = {"330100", "330200", "330300", "110100"};
    static const char *use_en[] = {"medical", "pharmacy"};
    static const char *rel_en[] = {"spouse", "parent", "child", "sibling"};
    struct drow d[40];
    long long fen = 0;
    for (int i = 0; i < 40; i++) {
        d[i].day = 1 + i % 30;
        d[i].hh = (int)rng_range(0, 23);
        d[i].mm = (int)rng_range(0, 59);
        d[i].payer = i % 3;
        d[i].ben = i % 7 == 0 ? (i % 14 == 0 ? 3 : (i + 1) % 3) : d[i].payer;
        d[i].use = i % 5 == 0;
        d[i].rel = i % 4;
        d[i].fen = rng_range(500, 300000);
        fen += d[i].fen;
    }
    static const char hdr_en[] = "settlement_id,settle_time,payer_area,"
                                 "beneficiary_area,use,relation,amount,"
                                 "payer_id,beneficiary_id";
    static const char hdr_zh[] = "结算编号,结算时间,共济人统筹区,"
                                 "被共济人统筹区,共济用途,共济关系,"
                                 "共济金额(元),共济人身份证号,被共济人身份证号";
    for (int shape = 0; shape < 5; shape++) {
        struct buf b = {0}, o = {0};
        buf_addf(&b, "%s\n", shape >= 2 ? hdr_zh : hdr_en);
        for (int i = 0; i < 40; i++) {
            char pid[20], bid[20], t[64], a[64];
            put_id(pid, zj[d[i].payer].code, i);
            put_id(bid, ben_areas[d[i].ben], i + 500);
            if (shape == 1 || shape == 3)
                snprintf(t, sizeof(t), "2024/9/%d %d:%02d", d[i].day, d[i].hh,
                         d[i].mm);
            else
                snprintf(t, sizeof(t), "2024-09-%02d %02d:%02d:00", d[i].day,
                         d[i].hh, d[i].mm);
            fmt_amount(d[i].fen,
                       shape == 3 ? (i % 2 ? AMT_YEN : AMT_FULL) : AMT_YUAN, a,
                       sizeof(a));
            if (shape == 4 && i == 17)
                snprintf(pid, sizeof(pid), "3.30102E+17");
            buf_addf(&b, "S2024090%05d,%s,%s,%s,%s,%s,%s,%s,%s\n", i + 1, t,
                     zj[d[i].payer].code, ben_areas[d[i].ben],
                     shape >= 2 ? use_zh[d[i].use] : use_en[d[i].use],
                     shape >= 2 ? rel_zh[d[i].rel] : rel_en[d[i].rel], a, pid,
                     bid);
        }
        static const char *names[] = {"detail.csv", "detail-excel-times.csv",
                                      "detail-gb18030.csv", "detail-yen.csv",
                                      "detail-sci-id.csv"};
        if (shape == 2) {
            struct buf t = {0};
            relines(&b, &t, "\r\n");
            to_gb18030(&t, &o);
            buf_free(&t);
            write_bytes(names[shape], o.p, o.len);
        } else {
            write_bytes(names[shape], b.p, b.len);
        }
        if (shape == 4)
            expect(names[shape], "detail", "ingest", 1, "none",
                   "detail-sci-id.csv:19:8: error: payer_id '3.3******17' is "
                   "a number in scientific notation: Excel converted the ID "
                   "column to numbers");
        else
            expect(names[shape], shape == 2 ? "gb18030" : "detail", "ingest", 0,
                   total_str(40, fen), NULL);
        buf_free(&b);
        buf_free(&o);
    }
}

/* ---------------------------------------------------------------------------
 * Workbooks
 */

static lxw_workbook *
book_new(const char *name, bool inline_strings)
{
    lxw_workbook_options opt = {.constant_memory = inline_strings,
                                .tmpdir = NULL,
                                .use_zip64 = LXW_FALSE};
    lxw_workbook *wb = workbook_new_opt(path_of(name), &opt);
    if (wb == NULL)
        die("cannot create %s", path_of(name));
    /* a fixed creation time (2024-10-08 09:00 UTC): the same bytes every
     * run */
    static char title[] = "职工医保个人账户家庭共济情况";
    static char author[] = "浙江省医疗保障局";
    lxw_doc_properties props = {
        .title = title, .author = author, .created = (time_t)1728378000};
    workbook_set_properties(wb, &props);
    return wb;
}

static void
book_close(lxw_workbook *wb, const char *name)
{
    if (workbook_close(wb) != LXW_NO_ERROR)
        die("cannot write %s", name);
}

static const char *xl_header[] = {"统计期",   "统筹区编码",  "统筹区名称",
                                  "共济范围", "共济用途",    "共济关系",
                                  "共济人次", "共济金额(元)"};

/* How one worksheet is written. */
struct xshape {
    bool inline_strings;
    bool rich_header; /* 共济金额 bold + (元) plain */
    bool rich_name;   /* the area names as two runs */
    bool period_date; /* the period as a date with format yyyy-mm */
    bool period_text_zh;
    bool title;      /* a merged title row and a 填报单位 row above */
    bool wan;        /* a 单位：万元、人次 row, amounts in 万元 */
    bool alt_enter;  /* "共济金额\n(元)" */
    bool formula;    /* amounts as formulas with their cached values */
    bool pt_dec;     /* person-times with format 0.00 */
    bool cover;      /* a cover sheet first, the data on 数据 */
    bool prov_total; /* a 全省合计 row at the end */
    int bad_row;     /* 1-based data row whose amount is the text 12x */
    const char *bad_text;
    bool big; /* amounts like 87908693.74 and 0.30 */
};

/* Writes S as a worksheet in NAME; returns the spreadsheet row (1-based)
 * of the spoilt row, or 0. */
static int
xl_table(const char *name, struct set *s, const struct xshape *x)
{
    lxw_workbook *wb = book_new(name, x->inline_strings);
    if (x->cover) {
        lxw_worksheet *cv = workbook_add_worksheet(wb, "说明");
        worksheet_write_string(cv, 0, 0, "职工医保个人账户家庭共济情况报表",
                               NULL);
        worksheet_write_string(cv, 1, 0, "填报单位：浙江省医疗保障局", NULL);
        worksheet_write_string(cv, 2, 0, "数据见工作表“数据”", NULL);
    }
    lxw_worksheet *ws = workbook_add_worksheet(wb, x->cover ? "数据" : NULL);
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_format *wrap = workbook_add_format(wb);
    format_set_text_wrap(wrap);
    lxw_format *ym = workbook_add_format(wb);
    format_set_num_format(ym, "yyyy-mm");
    lxw_format *money = workbook_add_format(wb);
    format_set_num_format(money, "#,##0.00");
    lxw_format *dec2 = workbook_add_format(wb);
    format_set_num_format(dec2, "0.00");
    int row = 0, bad = 0;
    if (x->title) {
        worksheet_merge_range(ws, 0, 0, 0, 7,
                              "2024年9月职工医保个人账户家庭共济情况统计表",
                              bold);
        worksheet_write_string(ws, 1, 0, "填报单位：浙江省医疗保障局", NULL);
        row = 2;
    }
    if (x->wan)
        worksheet_write_string(ws, (lxw_row_t)row++, 0, "单位：万元、人次",
                               NULL);
    for (int c = 0; c < 8; c++) {
        const char *h = xl_header[c];
        if (c == 7 && x->wan)
            h = "共济金额";
        if (c == 7 && x->alt_enter) {
            worksheet_write_string(ws, (lxw_row_t)row, 7, "共济金额\n(元)",
                                   wrap);
            continue;
        }
        if (c == 7 && x->rich_header) {
            static char t1[] = "共济金额", t2[] = "(元)";
            lxw_rich_string_tuple f1 = {.format = bold, .string = t1};
            lxw_rich_string_tuple f2 = {.format = NULL, .string = t2};
            lxw_rich_string_tuple *rs[] = {&f1, &f2, NULL};
            worksheet_write_rich_string(ws, (lxw_row_t)row, 7, rs, NULL);
            continue;
        }
        worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)c, h, bold);
    }
    row++;
    if (x->big) {
        /* figures that are not exact in binary */
        s->r[0].fen = 8790869374;  /* 87908693.74 */
        s->r[1].fen = 30;          /* 0.30 */
        s->r[2].fen = 10;          /* 0.10 */
        s->r[3].fen = 99999999999; /* 999999999.99 */
        s->r[4].fen = 2403149445;  /* 24031494.45 */
        s->fen = 0;
        for (int i = 0; i < s->n; i++)
            s->fen += s->r[i].fen;
    }
    lxw_datetime sep = {.year = 2024, .month = 9, .day = 1};
    for (int i = 0; i < s->n; i++, row++) {
        const struct row *r = &s->r[i];
        lxw_row_t R = (lxw_row_t)row;
        if (x->period_date)
            worksheet_write_datetime(ws, R, 0, &sep, ym);
        else
            worksheet_write_string(
                ws, R, 0, x->period_text_zh ? "2024年9月" : "2024-09", NULL);
        worksheet_write_string(ws, R, 1, zj[r->area].code, NULL);
        if (x->rich_name) {
            char city[32];
            snprintf(city, sizeof(city), "%s", zj[r->area].name);
            size_t n = strlen(city) - strlen("市");
            char head[32];
            memcpy(head, city, n);
            head[n] = '\0';
            lxw_rich_string_tuple f1 = {.format = bold, .string = head};
            static char shi[] = "市";
            lxw_rich_string_tuple f2 = {.format = NULL, .string = shi};
            lxw_rich_string_tuple *rs[] = {&f1, &f2, NULL};
            worksheet_write_rich_string(ws, R, 2, rs, NULL);
        } else {
            worksheet_write_string(ws, R, 2, zj[r->area].name, NULL);
        }
        worksheet_write_string(ws, R, 3, scope_zh[r->scope], NULL);
        worksheet_write_string(ws, R, 4, use_zh[r->use], NULL);
        worksheet_write_string(ws, R, 5, rel_zh[r->rel], NULL);
        worksheet_write_number(ws, R, 6, (double)r->pt,
                               x->pt_dec ? dec2 : NULL);
        if (x->bad_row == i + 1) {
            worksheet_write_string(ws, R, 7, x->bad_text, NULL);
            bad = row + 1;
        } else if (x->wan) {
            char t[64];
            scaled(r->fen, 6, t, sizeof(t));
            worksheet_write_number(ws, R, 7, strtod(t, NULL), NULL);
        } else if (x->formula) {
            char f[96];
            long long half = r->fen / 2;
            snprintf(f, sizeof(f), "=%lld.%02lld+%lld.%02lld", half / 100,
                     half % 100, (r->fen - half) / 100, (r->fen - half) % 100);
            worksheet_write_formula_num(ws, R, 7, f, money,
                                        (double)r->fen / 100.0);
        } else {
            worksheet_write_number(ws, R, 7, (double)r->fen / 100.0, money);
        }
    }
    if (x->prov_total) {
        lxw_row_t R = (lxw_row_t)row;
        worksheet_write_string(ws, R, 0, "2024-09", NULL);
        worksheet_write_string(ws, R, 1, "330000", NULL);
        worksheet_write_string(ws, R, 2, "全省合计", NULL);
        worksheet_write_number(ws, R, 6, (double)s->pt, NULL);
        worksheet_write_number(ws, R, 7, (double)s->fen / 100.0, money);
    }
    book_close(wb, name);
    return bad;
}

static void
xl_ok(const char *name, struct set *s, const struct xshape *x, const char *cmd,
      const char *msg)
{
    xl_table(name, s, x);
    expect(name, "xlsx", cmd ? cmd : "ingest", 0, total_str(s->pt, s->fen),
           msg);
}

static void
xlsx_cases(void)
{
    struct set s, s2;
    make_set(&s, 4, 4);
    make_set(&s2, 3, 1);
    int r;

    xl_ok("x-plain.xlsx", &s, &(struct xshape){0}, NULL, NULL);
    xl_ok("x-inline.xlsx", &s, &(struct xshape){.inline_strings = true}, NULL,
          NULL);
    xl_ok("x-rich-header.xlsx", &s, &(struct xshape){.rich_header = true}, NULL,
          NULL);
    xl_ok("x-rich-name.xlsx", &s, &(struct xshape){.rich_name = true}, NULL,
          NULL);
    xl_ok("x-inexact.xlsx", &s, &(struct xshape){.big = true}, NULL, NULL);
    make_set(&s, 4, 4); /* fresh figures after the big ones */
    xl_ok("x-period-date.xlsx", &s, &(struct xshape){.period_date = true}, NULL,
          NULL);
    xl_ok("x-period-zh.xlsx", &s, &(struct xshape){.period_text_zh = true},
          NULL, NULL);
    xl_ok("x-title-merged.xlsx", &s, &(struct xshape){.title = true}, NULL,
          NULL);
    xl_ok("x-units-row.xlsx", &s, &(struct xshape){.wan = true, .title = true},
          NULL, NULL);
    xl_ok("x-alt-enter.xlsx", &s, &(struct xshape){.alt_enter = true}, NULL,
          NULL);
    xl_ok("x-formula.xlsx", &s, &(struct xshape){.formula = true}, NULL, NULL);
    xl_ok("x-pt-decimals.xlsx", &s, &(struct xshape){.pt_dec = true}, NULL,
          NULL);
    xl_ok("x-inline-rich.xlsx", &s,
          &(struct xshape){
              .inline_strings = true, .rich_name = true, .period_date = true},
          NULL, NULL);
    xl_ok("x-cover-sheet.xlsx", &s, &(struct xshape){.cover = true},
          "ingest --sheet 数据", NULL);
    xl_table("x-cover-first.xlsx", &s, &(struct xshape){.cover = true});
    expect("x-cover-first.xlsx", "xlsx", "ingest", 1, "none",
           "x-cover-first.xlsx: warning: the workbook has 2 worksheets "
           "('说明', '数据')");
    xl_ok("x-province-total.xlsx", &s2, &(struct xshape){.prov_total = true},
          NULL, "x-province-total.xlsx:14:");
    r = xl_table("x-bad-value.xlsx", &s,
                 &(struct xshape){.bad_row = 30, .bad_text = "12x"});
    expect("x-bad-value.xlsx", "xlsx", "ingest", 1, "none",
           msgf("x-bad-value.xlsx:%d:8: error: amount '12x'", r));
    r = xl_table(
        "x-bad-title.xlsx", &s,
        &(struct xshape){.title = true, .bad_row = 7, .bad_text = "#DIV/0!"});
    expect("x-bad-title.xlsx", "xlsx", "ingest", 1, "none",
           msgf("x-bad-title.xlsx:%d:8: error: amount '#DIV/0!'", r));

    /* 万元 with 7 decimals, as a number */
    {
        lxw_workbook *wb = book_new("x-wan-7dec.xlsx", false);
        lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
        for (int c = 0; c < 8; c++)
            worksheet_write_string(ws, 0, (lxw_col_t)c,
                                   c == 7 ? "共济金额(万元)" : xl_header[c],
                                   NULL);
        static const double v[] = {240.314945, 1.2345678, 17.5};
        for (int i = 0; i < 3; i++) {
            worksheet_write_string(ws, (lxw_row_t)(i + 1), 0, "2024-09", NULL);
            worksheet_write_string(ws, (lxw_row_t)(i + 1), 1, zj[i].code, NULL);
            worksheet_write_string(ws, (lxw_row_t)(i + 1), 2, zj[i].name, NULL);
            worksheet_write_string(ws, (lxw_row_t)(i + 1), 3, scope_zh[0],
                                   NULL);
            worksheet_write_string(ws, (lxw_row_t)(i + 1), 4, use_zh[0], NULL);
            worksheet_write_string(ws, (lxw_row_t)(i + 1), 5, rel_zh[0], NULL);
            worksheet_write_number(ws, (lxw_row_t)(i + 1), 6, 10 + i, NULL);
            worksheet_write_number(ws, (lxw_row_t)(i + 1), 7, v[i], NULL);
        }
        book_close(wb, "x-wan-7dec.xlsx");
        expect("x-wan-7dec.xlsx", "xlsx", "ingest", 1, "none",
               "x-wan-7dec.xlsx:3:8: error: amount '1.2345678' in 万元 has "
               "more than 6 decimals");
    }
    /* a name column naming another city, in a workbook */
    {
        struct set t = s2;
        lxw_workbook *wb = book_new("x-name-mismatch.xlsx", false);
        lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
        for (int c = 0; c < 8; c++)
            worksheet_write_string(ws, 0, (lxw_col_t)c, xl_header[c], NULL);
        for (int i = 0; i < t.n; i++) {
            const struct row *w = &t.r[i];
            lxw_row_t R = (lxw_row_t)(i + 1);
            worksheet_write_string(ws, R, 0, "2024-09", NULL);
            worksheet_write_string(ws, R, 1, zj[w->area].code, NULL);
            worksheet_write_string(ws, R, 2,
                                   i == 4 ? "温州市" : zj[w->area].name, NULL);
            worksheet_write_string(ws, R, 3, scope_zh[w->scope], NULL);
            worksheet_write_string(ws, R, 4, use_zh[w->use], NULL);
            worksheet_write_string(ws, R, 5, rel_zh[w->rel], NULL);
            worksheet_write_number(ws, R, 6, (double)w->pt, NULL);
            worksheet_write_number(ws, R, 7, (double)w->fen / 100.0, NULL);
        }
        book_close(wb, "x-name-mismatch.xlsx");
        expect("x-name-mismatch.xlsx", "xlsx", "ingest", 0,
               total_str(t.pt, t.fen),
               "x-name-mismatch.xlsx:6:3: warning: area 330200 is 宁波市");
    }
    /* a detail file as a workbook: times as date-times, IDs as text */
    {
        lxw_workbook *wb = book_new("x-detail.xlsx", false);
        lxw_worksheet *ws = workbook_add_worksheet(wb, "明细");
        lxw_format *dt = workbook_add_format(wb);
        format_set_num_format(dt, "yyyy-mm-dd hh:mm:ss");
        static const char *h[] = {
            "结算编号",       "结算时间",       "共济人统筹区",
            "被共济人统筹区", "共济用途",       "共济关系",
            "共济金额(元)",   "共济人身份证号", "被共济人身份证号"};
        for (int c = 0; c < 9; c++)
            worksheet_write_string(ws, 0, (lxw_col_t)c, h[c], NULL);
        long long fen = 0;
        for (int i = 0; i < 25; i++) {
            lxw_row_t R = (lxw_row_t)(i + 1);
            char id[32], pid[20], bid[20];
            snprintf(id, sizeof(id), "S2024090%05d", i + 1);
            put_id(pid, zj[i % 3].code, i);
            put_id(bid, zj[i % 3].code, i + 300);
            lxw_datetime t = {2024, 9, 1 + i, 8 + i % 10, 5 * (i % 12), 0};
            long long f = rng_range(1000, 500000);
            fen += f;
            worksheet_write_string(ws, R, 0, id, NULL);
            worksheet_write_datetime(ws, R, 1, &t, dt);
            worksheet_write_string(ws, R, 2, zj[i % 3].code, NULL);
            worksheet_write_string(ws, R, 3, zj[i % 3].code, NULL);
            worksheet_write_string(ws, R, 4, use_zh[i % 2], NULL);
            worksheet_write_string(ws, R, 5, rel_zh[i % 4], NULL);
            worksheet_write_number(ws, R, 6, (double)f / 100.0, NULL);
            worksheet_write_string(ws, R, 7, pid, NULL);
            worksheet_write_string(ws, R, 8, bid, NULL);
        }
        book_close(wb, "x-detail.xlsx");
        expect("x-detail.xlsx", "xlsx", "ingest", 0, total_str(25, fen), NULL);
    }
}

int
main(int argc, char **argv)
{
    if (argc != 2)
        die("usage: gen_corpus DIR");
    outdir = argv[1];
    expect_fp = fopen(path_of("expect.tsv"), "w");
    if (expect_fp == NULL)
        die("cannot write %s", path_of("expect.tsv"));
    csv_cases();
    detail_cases();
    xlsx_cases();
    if (fclose(expect_fp) != 0)
        die("cannot write expect.tsv");
    fprintf(stderr, "gen_corpus: %d files in %s\n", nfiles, outdir);
    return 0;
}
