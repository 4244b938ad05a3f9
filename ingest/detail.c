#include "ingest/detail.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <fcntl.h>
/*
 * nettle is otherwise wrapped by common/sha256.c, whose API hashes one
 * buffer at once; a detail file is never in memory whole, so it is hashed
 * here incrementally, in a thread of its own.
 */
#include <nettle/sha2.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/diag.h"
#include "common/money.h"
#include "common/period.h"
#include "common/sbuf.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "ingest/codes.h"
#include "ingest/csvread.h"
#include "ingest/encoding.h"
#include "ingest/refdata.h"
#include "ingest/scan.h"
#include "ingest/summary.h"

/* ---------------------------------------------------------------------------
 * Columns
 */

enum dcol {
    D_SETTLEMENT_ID,
    D_SETTLE_TIME,
    D_PAYER_AREA,
    D_BENEFICIARY_AREA,
    D_USE,
    D_RELATION,
    D_AMOUNT,
    D_PAYER_ID,
    D_BENEFICIARY_ID,
    D_N
};

struct dcol_def {
    const char *english;
    const char *chinese[3];
    bool required;
    bool detail_only; /* its presence marks a detail file */
};

static const struct dcol_def dcols[D_N] = {
    [D_SETTLEMENT_ID] = {"settlement_id",
                         {"结算编号", "结算流水号", NULL},
                         false,
                         true},
    [D_SETTLE_TIME] = {"settle_time", {"结算时间", NULL, NULL}, true, true},
    [D_PAYER_AREA] = {"payer_area",
                      {"共济人统筹区", "共济人统筹区编码", NULL},
                      true,
                      true},
    [D_BENEFICIARY_AREA] = {"beneficiary_area",
                            {"被共济人统筹区", "被共济人统筹区编码", NULL},
                            true,
                            true},
    [D_USE] = {"use", {"共济用途", NULL, NULL}, true, false},
    [D_RELATION] = {"relation", {"共济关系", NULL, NULL}, false, false},
    [D_AMOUNT] = {"amount", {"共济金额", NULL, NULL}, true, false},
    [D_PAYER_ID] = {"payer_id",
                    {"共济人编号", "共济人身份证号", NULL},
                    false,
                    true},
    [D_BENEFICIARY_ID] = {"beneficiary_id",
                          {"被共济人编号", "被共济人身份证号", NULL},
                          false,
                          true},
};

/* Longest identifier accepted (a resident ID has 18 characters). */
#define ID_MAX 64

static bool
ascii_ieq(const char *a, size_t alen, const char *b)
{
    if (alen != strlen(b))
        return false;
    for (size_t i = 0; i < alen; i++) {
        char x = a[i];
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (x != b[i])
            return false;
    }
    return true;
}

static inline uint64_t
load64(const char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

/* A header name, trimmed and without a unit suffix: its column or -1. */
static int
dcol_lookup(const char *s, size_t len)
{
    static const char *const suffixes[] = {"(元)", "（元）", "(yuan)", NULL};

    utf8_trim_blanks(&s, &len);
    for (int i = 0; suffixes[i] != NULL; i++) {
        size_t sl = strlen(suffixes[i]);
        if (len > sl && memcmp(s + len - sl, suffixes[i], sl) == 0) {
            len -= sl;
            utf8_trim_blanks(&s, &len);
            break;
        }
    }
    for (int c = 0; c < D_N; c++) {
        if (ascii_ieq(s, len, dcols[c].english))
            return c;
        for (int k = 0; k < 3 && dcols[c].chinese[k] != NULL; k++)
            if (strlen(dcols[c].chinese[k]) == len &&
                memcmp(dcols[c].chinese[k], s, len) == 0)
                return c;
    }
    return -1;
}

/* ---------------------------------------------------------------------------
 * Small parsers (public for the tests)
 */

int
detail_parse_time(const char *s, size_t len, int *yyyymm)
{
    static const unsigned char digit_at[19] = {1, 1, 1, 1, 0, 1, 1, 0, 1, 1,
                                               0, 1, 1, 0, 1, 1, 0, 1, 1};
    static const char sep[19] = {0,   0, 0, 0,   '-', 0, 0,   '-', 0, 0,
                                 ' ', 0, 0, ':', 0,   0, ':', 0,   0};
    static const unsigned char mdays[13] = {0,  31, 29, 31, 30, 31, 30,
                                            31, 31, 30, 31, 30, 31};
    unsigned d[19];

    if (len != 19)
        return -1;
    for (size_t i = 0; i < 19; i++) {
        d[i] = (unsigned)(unsigned char)s[i] - '0';
        if (digit_at[i] ? d[i] > 9 : s[i] != sep[i])
            return -1;
    }
    unsigned y = d[0] * 1000 + d[1] * 100 + d[2] * 10 + d[3];
    unsigned mo = d[5] * 10 + d[6], dd = d[8] * 10 + d[9];
    unsigned hh = d[11] * 10 + d[12], mi = d[14] * 10 + d[15],
             ss = d[17] * 10 + d[18];
    if (mo < 1 || mo > 12 || dd < 1 || dd > mdays[mo] || hh > 23 || mi > 59 ||
        ss > 59)
        return -2;
    if (mo == 2 && dd == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
        return -2;
    if (y < PERIOD_MIN_YEAR || y > PERIOD_MAX_YEAR)
        return -3;
    *yyyymm = (int)(y * 100 + mo);
    return 0;
}

char *
detail_mask_id(char *out, size_t outsz, const char *s, size_t len)
{
    size_t n = utf8_codepoints(s, len), o = 0, k = 0, stars = 0;

    if (outsz < 3) {
        if (outsz > 0)
            out[0] = '\0';
        return out;
    }
    out[o++] = '\'';
    for (size_t i = 0; i < len && o + 6 < outsz; k++) {
        unsigned cp;
        size_t step = utf8_decode(s + i, len - i, &cp);
        bool keep = n >= 8 && (k < 3 || k >= n - 2);
        if (keep && cp >= 0x20 && cp != 0x7F && cp != 0xFFFD &&
            o + step + 2 < outsz) {
            memcpy(out + o, s + i, step);
            o += step;
        } else if (keep) {
            out[o++] = '?';
        } else if (stars++ < 40) {
            out[o++] = '*';
        }
        i += step;
    }
    out[o++] = '\'';
    out[o] = '\0';
    return out;
}

/* ---------------------------------------------------------------------------
 * Per-thread aggregation: dense blocks of cells
 */

/*
 * A thread sums its rows into blocks, one per (period, area), each holding
 * the 84 cells of scope x use x relation side by side.  Compared with one
 * hash table of cells this keeps the busy part small enough for the L2
 * cache (a month of ~400 areas is ~0.5 MiB, and 93% of rows fall in the
 * same_area third of a block); the blocks are found through a small hash
 * map of (period, area), which stays in L1.  Cells sit in key order inside
 * a block, so sorting the blocks sorts the output.
 */
#define NSUB (SCOPE_N * USE_N * REL_N)

struct block {
    int64_t c[NSUB][2]; /* person-times, fen */
};

/* What is rarely touched: which cells have rows, and their first row. */
struct block_meta {
    uint32_t key;         /* period index (months since 2000-01) << 20 | area */
    uint64_t touched[2];  /* bit per cell */
    uint64_t first[NSUB]; /* chunk << 32 | line in chunk, of its first row */
};

struct cells {
    uint64_t *map; /* (key << 32) | (block index + 1); 0 = empty slot */
    size_t mapcap;
    unsigned shift;
    struct block *b;
    struct block_meta *m;
    size_t n, alloc;
};

static inline uint32_t
block_key(int yyyymm, int area)
{
    int pidx = (yyyymm / 100 - PERIOD_MIN_YEAR) * 12 + yyyymm % 100 - 1;
    return (uint32_t)pidx << 20 | (uint32_t)area;
}

static inline unsigned
cell_sub(int scope, int use, int rel)
{
    return (unsigned)((scope * USE_N + use) * REL_N + rel);
}

static void
block_unpack(uint32_t key, unsigned sub, struct record *r)
{
    int pidx = (int)(key >> 20);
    r->period = (PERIOD_MIN_YEAR + pidx / 12) * 100 + pidx % 12 + 1;
    r->area = (int)(key & 0xFFFFF);
    r->relation = (unsigned char)(sub % REL_N);
    r->use = (unsigned char)(sub / REL_N % USE_N);
    r->scope = (unsigned char)(sub / REL_N / USE_N);
}

static void
cells_init(struct cells *t)
{
    memset(t, 0, sizeof(*t));
    t->mapcap = 1024;
    t->shift = 64 - 10;
    t->map = xcalloc(t->mapcap, sizeof(*t->map));
}

static void
cells_release(struct cells *t)
{
    free(t->map);
    free(t->b);
    free(t->m);
    memset(t, 0, sizeof(*t));
}

static inline size_t
map_home(const struct cells *t, uint32_t key)
{
    return (size_t)(((uint64_t)key * UINT64_C(0x9E3779B97F4A7C15)) >> t->shift);
}

static void
map_grow(struct cells *t)
{
    free(t->map);
    t->mapcap *= 2;
    t->shift--;
    t->map = xcalloc(t->mapcap, sizeof(*t->map));
    for (size_t b = 0; b < t->n; b++) {
        size_t i = map_home(t, t->m[b].key);
        while (t->map[i] != 0)
            i = (i + 1) & (t->mapcap - 1);
        t->map[i] = (uint64_t)t->m[b].key << 32 | (b + 1);
    }
}

/* The block of key, created empty if need be. */
static inline size_t
cells_block(struct cells *t, uint32_t key)
{
    size_t i = map_home(t, key);
    for (;;) {
        uint64_t v = t->map[i];
        if (v == 0)
            break;
        if ((uint32_t)(v >> 32) == key)
            return (size_t)(v & 0xFFFFFFFFu) - 1;
        i = (i + 1) & (t->mapcap - 1);
    }
    if (t->n == t->alloc) {
        t->alloc = t->alloc ? 2 * t->alloc : 64;
        t->b = xreallocarray(t->b, t->alloc, sizeof(*t->b));
        t->m = xreallocarray(t->m, t->alloc, sizeof(*t->m));
    }
    size_t b = t->n++;
    memset(&t->b[b], 0, sizeof(t->b[b]));
    memset(&t->m[b], 0, sizeof(t->m[b]));
    t->m[b].key = key;
    t->map[i] = (uint64_t)key << 32 | (b + 1);
    if (t->n * 2 > t->mapcap)
        map_grow(t);
    return b;
}

/* Add to a cell of block b; -1 (cell unchanged) when a sum would overflow. */
static inline int
cells_add(struct cells *t, size_t b, unsigned sub, int64_t pt, int64_t fen,
          uint64_t first, bool merging)
{
    int64_t *c = t->b[b].c[sub];
    struct block_meta *m = &t->m[b];
    uint64_t bit = UINT64_C(1) << (sub & 63);
    int64_t p, f;

    if (__builtin_add_overflow(c[0], pt, &p) ||
        __builtin_add_overflow(c[1], fen, &f))
        return -1;
    c[0] = p;
    c[1] = f;
    if (!(m->touched[sub >> 6] & bit)) {
        m->touched[sub >> 6] |= bit;
        m->first[sub] = first;
    } else if (merging && first < m->first[sub]) {
        /* a thread's own rows come in file order: only merges go back */
        m->first[sub] = first;
    }
    return 0;
}

/* ---------------------------------------------------------------------------
 * Shared and per-thread state
 */

struct chunk_info {
    unsigned long lines; /* newlines in the chunk */
    size_t errors, warnings;
};

/* A problem found by a thread; its line is resolved at the end. */
struct perr {
    uint64_t chunk; /* UINT64_MAX: not in a chunk (line is absolute) */
    unsigned long line;
    unsigned long seq; /* order of finding, to keep sorting stable */
    struct diag d;
};

struct unknown_area {
    int area;
    uint64_t first; /* chunk << 32 | line */
    uint64_t rows;
};

#define UNKNOWN_AREAS_MAX 1000

/*
 * The use and relation values a thread has met, with their parse, in a
 * small hash table (linear probing over a few slots): a repeated value
 * costs one hash and, nearly always, one compare.  A value is kept as its
 * length and two words (its first and last 8 bytes), which identify it exactly
 * up to 16 bytes; longer ones (Chinese names) are also compared in full.
 */
#define CODE_CACHE 64
#define CODE_PROBE 4

struct code_cache {
    struct {
        uint64_t w0, w1;
        unsigned char len; /* 0 = empty slot */
        signed char val;
        char s[38];
    } e[CODE_CACHE];
};

/*
 * Bytes readable after the end of a chunk in a worker's buffer, so that a
 * field of up to 8 bytes can be loaded as one word (the excess is masked).
 */
#define PAD 16

struct shared {
    /* set before the threads start, read-only afterwards */
    const char *path;
    int fd;
    const struct ingest_opts *io;
    const struct refdata *rd;
    enum encoding enc;
    size_t nfields;
    int idx[D_N];
    unsigned long first_line; /* line of the first data row */
    size_t chunk_bytes;
    bool prov_ok[100];   /* first two digits of an area: a province */
    uint8_t *area_known; /* bitmap over 0..999999: in data/areas.csv */

    pthread_mutex_t mu; /* guards everything below */
    char *carry;        /* the partial record after the last chunk */
    size_t carry_len, carry_alloc;
    bool eof, stop;
    int read_errno;
    uint64_t next_chunk;
    struct chunk_info *chunks;
    size_t chunks_alloc;
    bool have_syntax;
    uint64_t syntax_chunk; /* the first chunk with a syntax error */
    uint64_t bytes_read, rows_done, bytes_total;
    struct sha256_ctx *inline_sha; /* hashing in the reader (pipes) */
    detail_progress_fn *progress;
    void *progress_ctx;
    struct timespec last_progress;
};

struct worker {
    struct shared *sh;
    pthread_t tid;
    char *buf;
    size_t alloc;
    struct scan sc;
    struct cells tab;
    struct perr *errs;
    size_t nerrs;
    unsigned long seq;
    struct unknown_area *ua;
    size_t nua;
    uint64_t ua_dropped;
    struct code_cache cache[2]; /* use, relation */
    struct sbuf tmp;
    /* the chunk being parsed, committed under the lock when done */
    uint64_t chunk;
    bool have_chunk, syntax;
    struct chunk_info info;
    uint64_t rows;
    uint64_t errors; /* all errors this thread found */
    /* the "YYYY-MM-" of the last valid settle_time, and what it means */
    uint64_t ym_word;
    int ym_val;
    unsigned ym_days;
};

/* ---------------------------------------------------------------------------
 * Problems
 */

static void add_problem(struct worker *w, enum diag_severity sev,
                        enum diag_code code, unsigned long line,
                        unsigned long col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void
add_problem(struct worker *w, enum diag_severity sev, enum diag_code code,
            unsigned long line, unsigned long col, const char *fmt, ...)
{
    if (sev == DIAG_ERROR) {
        w->info.errors++;
        w->errors++;
    } else
        w->info.warnings++;
    /*
     * A thread handles its chunks in file order, so its first
     * DIAG_LIST_KEEP problems include all of its share of the file's first
     * DIAG_LIST_KEEP.
     */
    if (w->nerrs >= DIAG_LIST_KEEP)
        return;
    if (w->errs == NULL)
        w->errs = xcalloc(DIAG_LIST_KEEP, sizeof(*w->errs));
    struct perr *e = &w->errs[w->nerrs++];
    va_list ap;
    e->chunk = w->chunk;
    e->line = line;
    e->seq = w->seq++;
    diag_clear(&e->d);
    va_start(ap, fmt);
    diag_vset(&e->d, code, fmt, ap);
    va_end(ap);
    e->d.severity = sev;
    e->d.file = w->sh->path;
    e->d.col = col;
}

/* ---------------------------------------------------------------------------
 * Rows
 */

static inline void
field(const struct worker *w, int c, const char **s, size_t *len)
{
    const struct scan_field *f = &w->sc.fields[w->sh->idx[c]];
    *s = f->s;
    *len = f->len;
    if (*len > 0 && (**s == ' ' || **s == '\t' || (*s)[*len - 1] == ' ' ||
                     (*s)[*len - 1] == '\t'))
        utf8_trim_blanks(s, len);
}

static inline unsigned long
col_of(const struct worker *w, int c)
{
    return (unsigned long)w->sh->idx[c] + 1;
}

/*
 * detail_parse_time() for a stream of times that mostly share their month:
 * when the "YYYY-MM-" is the last valid one's, only "DD HH:MM:SS" is left
 * to check, without loops or tables.
 */
static inline int
time_cached(struct worker *w, const char *s, size_t len, int *yyyymm)
{
    if (len == 19 && load64(s) == w->ym_word) {
        unsigned d1 = (unsigned)(unsigned char)s[8] - '0',
                 d2 = (unsigned)(unsigned char)s[9] - '0',
                 h1 = (unsigned)(unsigned char)s[11] - '0',
                 h2 = (unsigned)(unsigned char)s[12] - '0',
                 m1 = (unsigned)(unsigned char)s[14] - '0',
                 m2 = (unsigned)(unsigned char)s[15] - '0',
                 s1 = (unsigned)(unsigned char)s[17] - '0',
                 s2 = (unsigned)(unsigned char)s[18] - '0';
        unsigned day = d1 * 10 + d2;
        bool ok = (d1 <= 9) & (d2 <= 9) & (h1 <= 9) & (h2 <= 9) & (m1 <= 9) &
                  (m2 <= 9) & (s1 <= 9) & (s2 <= 9) & (s[10] == ' ') &
                  (s[13] == ':') & (s[16] == ':') & (day >= 1) &
                  (day <= w->ym_days) & (h1 * 10 + h2 <= 23) & (m1 <= 5) &
                  (s1 <= 5);
        if (ok) {
            *yyyymm = w->ym_val;
            return 0;
        }
    }
    int rc = detail_parse_time(s, len, yyyymm);
    if (rc == 0) {
        static const unsigned char mdays[13] = {0,  31, 28, 31, 30, 31, 30,
                                                31, 31, 30, 31, 30, 31};
        int y = *yyyymm / 100, m = *yyyymm % 100;
        bool leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
        w->ym_word = load64(s);
        w->ym_val = *yyyymm;
        w->ym_days = (unsigned)mdays[m] + (m == 2 && leap);
    }
    return rc;
}

/* Is the current row a repetition of the header (files concatenated)? */
static bool
is_header_row(struct worker *w)
{
    static const int probe[] = {D_SETTLE_TIME, D_PAYER_AREA};
    for (size_t i = 0; i < sizeof(probe) / sizeof(probe[0]); i++) {
        const char *s;
        size_t len;
        field(w, probe[i], &s, &len);
        sbuf_reset(&w->tmp);
        if (w->sh->enc == ENC_GB18030) {
            struct diag err;
            enum encoding got;
            int bom;
            if (encoding_to_utf8(s, len, ENC_GB18030, NULL, &w->tmp, &got, &bom,
                                 &err) < 0)
                return false;
        } else {
            sbuf_add(&w->tmp, s, len);
        }
        if (dcol_lookup(w->tmp.buf, w->tmp.len) != probe[i])
            return false;
    }
    return true;
}

static void __attribute__((cold, noinline))
bad_time(struct worker *w, unsigned long line, int rc)
{
    char q[96];
    const char *s;
    size_t len;
    field(w, D_SETTLE_TIME, &s, &len);
    diag_quote(q, sizeof(q), s, len);
    if (rc == -1)
        add_problem(w, DIAG_ERROR, DIAG_DATA, line, col_of(w, D_SETTLE_TIME),
                    "settle_time %s is not a date and time "
                    "YYYY-MM-DD HH:MM:SS",
                    q);
    else if (rc == -2)
        add_problem(w, DIAG_ERROR, DIAG_DATA, line, col_of(w, D_SETTLE_TIME),
                    "settle_time %s is not a real date and time", q);
    else
        add_problem(w, DIAG_ERROR, DIAG_DATA, line, col_of(w, D_SETTLE_TIME),
                    "settle_time %s is outside the years %d-%d", q,
                    PERIOD_MIN_YEAR, PERIOD_MAX_YEAR);
}

static void __attribute__((cold, noinline))
bad_area(struct worker *w, unsigned long line, int c, int v)
{
    char q[96];
    const char *s;
    size_t len;
    field(w, c, &s, &len);
    diag_quote(q, sizeof(q), s, len);
    if (v < 0)
        add_problem(w, DIAG_ERROR, DIAG_DATA, line, col_of(w, c),
                    "%s %s is not a 6-digit pooling-area code",
                    dcols[c].english, q);
    else
        add_problem(w, DIAG_ERROR, DIAG_DATA, line, col_of(w, c),
                    "%s %s: no province has the prefix %.2s (first two "
                    "digits)",
                    dcols[c].english, q, s);
}

static inline int
parse_area(struct worker *w, unsigned long line, int c, int *out)
{
    const char *s;
    size_t len;
    field(w, c, &s, &len);
    int v = 0;
    if (len != 6)
        goto bad;
    for (size_t i = 0; i < 6; i++) {
        unsigned d = (unsigned)(unsigned char)s[i] - '0';
        if (d > 9)
            goto bad;
        v = v * 10 + (int)d;
    }
    if (!w->sh->prov_ok[v / 10000]) {
        bad_area(w, line, c, v);
        return -1;
    }
    *out = v;
    return 0;
bad:
    bad_area(w, line, c, -1);
    return -1;
}

static void __attribute__((cold, noinline))
unknown_area(struct worker *w, unsigned long line, int area)
{
    if (w->sh->io->strict) {
        add_problem(w, DIAG_ERROR, DIAG_DATA, line, col_of(w, D_PAYER_AREA),
                    "payer_area '%06d' is not in the pooling-area table "
                    "(data/areas.csv)",
                    area);
        return;
    }
    for (size_t i = 0; i < w->nua; i++) {
        if (w->ua[i].area == area) {
            w->ua[i].rows++;
            return;
        }
    }
    if (w->nua == UNKNOWN_AREAS_MAX) {
        w->ua_dropped++;
        return;
    }
    if (w->ua == NULL)
        w->ua = xcalloc(UNKNOWN_AREAS_MAX, sizeof(*w->ua));
    w->ua[w->nua].area = area;
    w->ua[w->nua].first = w->chunk << 32 | line;
    w->ua[w->nua].rows = 1;
    w->nua++;
}

/*
 * s[0..len) as two words, its first and last 8 bytes (the rest zero when
 * len < 8): for len <= 16, equal words and lengths mean equal strings.
 * Reads 8 bytes from s even when len < 8 (see PAD).
 */
static inline void
words(const char *s, size_t len, uint64_t *w0, uint64_t *w1)
{
    if (len >= 8) {
        *w0 = load64(s);
        *w1 = load64(s + len - 8);
        return;
    }
    uint64_t v = load64(s);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = len == 0 ? 0 : v >> (64 - 8 * len);
#else
    v &= len == 0 ? 0 : ~UINT64_C(0) >> (64 - 8 * len);
#endif
    *w0 = v;
    *w1 = 0;
}

static inline unsigned
code_slot(uint64_t w0, uint64_t w1, size_t len)
{
    uint64_t h = (w0 ^ (w1 * UINT64_C(0xBF58476D1CE4E5B9)) ^ len) *
                 UINT64_C(0x9E3779B97F4A7C15);
    return (unsigned)(h >> 58);
}

/*
 * A use or relation value not in the thread's cache: decode it, parse it,
 * remember it.  Returns the value, -1 when unknown, -2 when the bytes are
 * not valid in the file's encoding.
 */
static int __attribute__((noinline))
code_slow(struct worker *w, enum code_set set, const char *s, size_t len)
{
    struct code_cache *cc = &w->cache[set == CODESET_USE ? 0 : 1];
    struct diag err;
    enum encoding got;
    int bom, v;

    sbuf_reset(&w->tmp);
    if (encoding_to_utf8(s, len, w->sh->enc, NULL, &w->tmp, &got, &bom, &err) <
        0)
        v = -2;
    else
        v = codes_parse(set, w->tmp.buf, w->tmp.len);
    if (len > 0 && len < sizeof(cc->e[0].s)) {
        char tmp[sizeof(cc->e[0].s) + 8];
        uint64_t w0, w1;
        memset(tmp, 0, sizeof(tmp));
        memcpy(tmp, s, len);
        words(tmp, len, &w0, &w1);
        /* the first free slot from home on, else home itself */
        unsigned home = code_slot(w0, w1, len), i = home;
        for (unsigned k = 0; k < CODE_PROBE; k++) {
            unsigned j = (home + k) % CODE_CACHE;
            if (cc->e[j].len == 0) {
                i = j;
                break;
            }
        }
        cc->e[i].w0 = w0;
        cc->e[i].w1 = w1;
        cc->e[i].len = (unsigned char)len;
        cc->e[i].val = (signed char)v;
        memcpy(cc->e[i].s, s, len);
    }
    return v;
}

static inline int
code_lookup(struct worker *w, enum code_set set, const char *s, size_t len)
{
    const struct code_cache *cc = &w->cache[set == CODESET_USE ? 0 : 1];
    uint64_t w0, w1;
    words(s, len, &w0, &w1);
    unsigned home = code_slot(w0, w1, len);
    for (unsigned k = 0; k < CODE_PROBE; k++) {
        unsigned i = (home + k) % CODE_CACHE;
        if (cc->e[i].len == len && cc->e[i].w0 == w0 && cc->e[i].w1 == w1 &&
            (len <= 16 || memcmp(cc->e[i].s, s, len) == 0))
            return cc->e[i].val;
        if (cc->e[i].len == 0)
            break;
    }
    return code_slow(w, set, s, len);
}

static void __attribute__((cold, noinline))
bad_code(struct worker *w, unsigned long line, int c, enum code_set set, int v)
{
    char q[96];
    const char *s;
    size_t len;
    field(w, c, &s, &len);
    if (v == -2) {
        add_problem(w, DIAG_ERROR, DIAG_DATA, line, col_of(w, c),
                    "%s %s is not valid %s (the encoding was detected from "
                    "the start of the file; try --encoding)",
                    dcols[c].english, diag_quote(q, sizeof(q), s, len),
                    encoding_name(w->sh->enc, 0));
        return;
    }
    /* the message quotes the decoded text, which a GB18030 file needs */
    sbuf_reset(&w->tmp);
    struct diag err;
    enum encoding got;
    int bom;
    if (encoding_to_utf8(s, len, w->sh->enc, NULL, &w->tmp, &got, &bom, &err) <
        0)
        sbuf_add(&w->tmp, s, len);
    add_problem(w, DIAG_ERROR, DIAG_DATA, line, col_of(w, c),
                "%s %s is not a known value (accepted: %s)", dcols[c].english,
                diag_quote(q, sizeof(q), w->tmp.buf, w->tmp.len),
                codes_accepted(set));
}

/* Amounts in the common shape -?d{1,15}(.d{1,2})?; anything else: -1. */
static inline int
amount_fast(const char *s, size_t len, int64_t *fen)
{
    size_t i = 0, start;
    bool neg = false;
    uint64_t v = 0;

    if (len > 0 && s[0] == '-') {
        neg = true;
        i = 1;
    }
    start = i;
    while (i < len) {
        unsigned d = (unsigned)(unsigned char)s[i] - '0';
        if (d > 9)
            break;
        v = v * 10 + d;
        i++;
    }
    if (i == start || i - start > 15)
        return -1;
    uint64_t frac = 0;
    if (i < len) {
        size_t nf = len - i - 1;
        if (s[i] != '.' || nf == 0 || nf > 2)
            return -1;
        unsigned d1 = (unsigned)(unsigned char)s[i + 1] - '0';
        unsigned d2 = nf == 2 ? (unsigned)(unsigned char)s[i + 2] - '0' : 0;
        if (d1 > 9 || d2 > 9)
            return -1;
        frac = d1 * 10 + d2;
    }
    v = v * 100 + frac;
    *fen = neg ? -(int64_t)v : (int64_t)v;
    return 0;
}

static void __attribute__((cold, noinline))
bad_id(struct worker *w, unsigned long line, int c, const char *what)
{
    char q[128];
    const char *s;
    size_t len;
    field(w, c, &s, &len);
    if (len == 0)
        add_problem(w, DIAG_ERROR, DIAG_DATA, line, col_of(w, c), "%s is empty",
                    dcols[c].english);
    else
        add_problem(w, DIAG_ERROR, DIAG_DATA, line, col_of(w, c), "%s %s %s",
                    dcols[c].english, detail_mask_id(q, sizeof(q), s, len),
                    what);
}

static inline bool
id_ok(size_t len)
{
    return len > 0 && len <= ID_MAX;
}

static void __attribute__((noinline))
row_fields_mismatch(struct worker *w, unsigned long line)
{
    size_t n = w->sc.nfields, want = w->sh->nfields;
    add_problem(w, DIAG_ERROR, DIAG_FORMAT, line,
                n > want ? (unsigned long)want + 1 : (unsigned long)n,
                "row has %zu fields but the header has %zu%s", n, want,
                n > want ? " (an unquoted comma inside a value?)" : "");
}

/* Validate and aggregate the row the scanner holds; rl = its chunk line. */
static void
row(struct worker *w, unsigned long rl)
{
    const struct shared *sh = w->sh;
    const char *s;
    size_t len;
    bool bad = false;

    if (w->sc.nfields != sh->nfields) {
        row_fields_mismatch(w, rl);
        return;
    }

    int yyyymm = 0;
    field(w, D_SETTLE_TIME, &s, &len);
    int rc = time_cached(w, s, len, &yyyymm);
    if (rc < 0) {
        if (is_header_row(w))
            return;
        bad_time(w, rl, rc);
        bad = true;
    }
    w->rows++;

    int pa = 0, ba = 0;
    if (parse_area(w, rl, D_PAYER_AREA, &pa) < 0)
        bad = true;
    else if (!(sh->area_known[pa >> 3] & (1u << (pa & 7))))
        unknown_area(w, rl, pa);
    if (parse_area(w, rl, D_BENEFICIARY_AREA, &ba) < 0)
        bad = true;

    field(w, D_USE, &s, &len);
    int use = code_lookup(w, CODESET_USE, s, len);
    if (use < 0) {
        bad_code(w, rl, D_USE, CODESET_USE, use);
        bad = true;
    }
    int rel = REL_UNSPECIFIED;
    if (sh->idx[D_RELATION] >= 0) {
        field(w, D_RELATION, &s, &len);
        if (len > 0) {
            rel = code_lookup(w, CODESET_RELATION, s, len);
            if (rel < 0) {
                bad_code(w, rl, D_RELATION, CODESET_RELATION, rel);
                bad = true;
            }
        }
    }

    /*
     * The cell is most likely not in L1/L2 cache: fetch it now, while the
     * amount and the identifiers are checked.
     */
    size_t blk = 0;
    unsigned sub = 0;
    if (!bad) {
        int scope = pa == ba                   ? SCOPE_SAME_AREA
                    : pa / 10000 == ba / 10000 ? SCOPE_CROSS_AREA
                                               : SCOPE_CROSS_PROVINCE;
        blk = cells_block(&w->tab, block_key(yyyymm, pa));
        sub = cell_sub(scope, use, rel);
        __builtin_prefetch(w->tab.b[blk].c[sub], 1);
        __builtin_prefetch(&w->tab.m[blk].touched, 1);
    }

    int64_t fen = 0;
    field(w, D_AMOUNT, &s, &len);
    if (amount_fast(s, len, &fen) < 0) {
        struct diag err;
        diag_clear(&err);
        if (money_parse(s, len, &fen, "amount", &err) < 0) {
            add_problem(w, DIAG_ERROR, DIAG_DATA, rl, col_of(w, D_AMOUNT), "%s",
                        err.msg);
            bad = true;
        }
    }

    if (sh->idx[D_SETTLEMENT_ID] >= 0) {
        field(w, D_SETTLEMENT_ID, &s, &len);
        if (len == 0) {
            add_problem(w, DIAG_ERROR, DIAG_DATA, rl,
                        col_of(w, D_SETTLEMENT_ID), "settlement_id is empty");
            bad = true;
        }
    }
    const char *pid = NULL, *bid = NULL;
    size_t plen = 0, blen = 0;
    if (sh->idx[D_PAYER_ID] >= 0) {
        field(w, D_PAYER_ID, &pid, &plen);
        if (!id_ok(plen)) {
            bad_id(w, rl, D_PAYER_ID, "is longer than 64 characters");
            bad = true;
        }
    }
    if (sh->idx[D_BENEFICIARY_ID] >= 0) {
        field(w, D_BENEFICIARY_ID, &bid, &blen);
        if (!id_ok(blen)) {
            bad_id(w, rl, D_BENEFICIARY_ID, "is longer than 64 characters");
            bad = true;
        }
    }
    /* the last 8 characters (birth date, sequence) nearly always differ */
    if (pid != NULL && bid != NULL && plen == blen && plen > 0 &&
        (plen < 8 || load64(pid + plen - 8) == load64(bid + blen - 8)) &&
        memcmp(pid, bid, plen) == 0) {
        bad_id(w, rl, D_BENEFICIARY_ID,
               "is also the payer_id: nobody shares with themselves");
        bad = true;
    }

    if (bad || w->errors > 0)
        return; /* keep validating; the file is rejected anyway */
    if (cells_add(&w->tab, blk, sub, fen < 0 ? -1 : 1, fen, w->chunk << 32 | rl,
                  false) < 0)
        add_problem(w, DIAG_ERROR, DIAG_DATA, rl, 0,
                    "the sums of (%d-%02d, %06d) overflow 64 bits",
                    yyyymm / 100, yyyymm % 100, pa);
}

/* ---------------------------------------------------------------------------
 * Chunks
 */

static void __attribute__((cold, noinline))
syntax_error(struct worker *w, const struct scan_error *se)
{
    char q[128];
    size_t f = se->field;
    bool personal = false;
    for (int c = D_PAYER_ID; c <= D_BENEFICIARY_ID; c++)
        if (w->sh->idx[c] >= 0 && (size_t)w->sh->idx[c] == f)
            personal = true;
    if (personal)
        detail_mask_id(q, sizeof(q), se->text, se->text_len);
    else
        diag_quote(q, sizeof(q), se->text, se->text_len);

    w->syntax = true;
    switch (se->kind) {
    case SCAN_ERR_QUOTE_IN_FIELD:
        add_problem(w, DIAG_ERROR, DIAG_FORMAT, se->line, (unsigned long)f + 1,
                    "malformed quoting in field %zu (byte %zu of the line): "
                    "quote inside the unquoted field %s (quote the whole "
                    "field and double the quote)",
                    f + 1, se->byte, q);
        break;
    case SCAN_ERR_AFTER_QUOTE:
        add_problem(w, DIAG_ERROR, DIAG_FORMAT, se->line, (unsigned long)f + 1,
                    "malformed quoting in field %zu (byte %zu of the line): "
                    "text after the closing quote of %s",
                    f + 1, se->byte, q);
        break;
    case SCAN_ERR_UNTERMINATED:
        /* the line number in the message is resolved with the others */
        add_problem(w, DIAG_ERROR, DIAG_FORMAT, se->field_line,
                    (unsigned long)f + 1,
                    "unterminated quoted field (it began on this line)");
        break;
    }
}

static void
parse_chunk(struct worker *w, size_t len, bool overlong)
{
    struct scan_error se;

    if (overlong) {
        w->syntax = true;
        add_problem(w, DIAG_ERROR, DIAG_FORMAT, 0, 0,
                    "record that began on this line is longer than %u bytes: "
                    "is a quote never closed?",
                    CSVREAD_MAX_RECORD);
        return;
    }
    scan_reset(&w->sc, w->buf, len);
    for (;;) {
        int rc = scan_next(&w->sc, &se);
        if (rc == 0)
            break;
        if (rc < 0) {
            syntax_error(w, &se);
            break;
        }
        row(w, w->sc.rec_line);
    }
    w->info.lines = w->sc.line;
}

static ssize_t
read_full(int fd, char *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = read(fd, buf + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}

static void
ensure(char **buf, size_t *alloc, size_t want)
{
    if (*alloc >= want)
        return;
    *alloc = want;
    *buf = xrealloc(*buf, want);
}

static double
seconds_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) +
           (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Under sh->mu: record the finished chunk of w. */
static void
commit_chunk(struct shared *sh, struct worker *w)
{
    if (!w->have_chunk)
        return;
    sh->chunks[w->chunk] = w->info;
    sh->rows_done += w->rows;
    w->rows = 0;
    if (w->syntax) {
        if (!sh->have_syntax || w->chunk < sh->syntax_chunk)
            sh->syntax_chunk = w->chunk;
        sh->have_syntax = true;
        sh->stop = true;
    }
    w->have_chunk = false;
    w->syntax = false;
}

/*
 * Under sh->mu: read the next chunk into w->buf.  Returns its length, or 0
 * when there is nothing more to do.
 */
static size_t
take_chunk(struct shared *sh, struct worker *w, bool *overlong)
{
    size_t n = sh->carry_len, split;

    *overlong = false;
    if (sh->stop || (sh->eof && n == 0))
        return 0;
    ensure(&w->buf, &w->alloc, n + sh->chunk_bytes + PAD);
    memcpy(w->buf, sh->carry, n);
    sh->carry_len = 0;
    for (;;) {
        if (!sh->eof) {
            ensure(&w->buf, &w->alloc, n + sh->chunk_bytes + PAD);
            ssize_t got = read_full(sh->fd, w->buf + n, sh->chunk_bytes);
            if (got < 0) {
                sh->read_errno = errno;
                sh->stop = true;
                return 0;
            }
            if ((size_t)got < sh->chunk_bytes)
                sh->eof = true;
            if (sh->inline_sha != NULL)
                sha256_update(sh->inline_sha, (size_t)got,
                              (const uint8_t *)w->buf + n);
            n += (size_t)got;
            sh->bytes_read += (uint64_t)got;
        }
        if (sh->eof) {
            split = n;
            break;
        }
        split = scan_last_boundary(w->buf, n);
        if (split > 0)
            break;
        if (n >= CSVREAD_MAX_RECORD) {
            split = n;
            *overlong = true;
            sh->stop = true;
            break;
        }
    }
    if (split == 0)
        return 0;
    ensure(&sh->carry, &sh->carry_alloc, n - split);
    memcpy(sh->carry, w->buf + split, n - split);
    sh->carry_len = n - split;

    w->chunk = sh->next_chunk++;
    if (w->chunk >= sh->chunks_alloc) {
        size_t a = sh->chunks_alloc ? 2 * sh->chunks_alloc : 64;
        sh->chunks = xreallocarray(sh->chunks, a, sizeof(*sh->chunks));
        memset(sh->chunks + sh->chunks_alloc, 0,
               (a - sh->chunks_alloc) * sizeof(*sh->chunks));
        sh->chunks_alloc = a;
    }
    w->have_chunk = true;
    memset(&w->info, 0, sizeof(w->info));

    if (sh->progress != NULL && seconds_since(&sh->last_progress) >= 0.25) {
        struct detail_progress p = {sh->bytes_read, sh->bytes_total,
                                    sh->rows_done, false};
        clock_gettime(CLOCK_MONOTONIC, &sh->last_progress);
        sh->progress(&p, sh->progress_ctx);
    }
    return split;
}

static void *
worker_main(void *arg)
{
    struct worker *w = arg;
    struct shared *sh = w->sh;

    for (;;) {
        bool overlong;
        pthread_mutex_lock(&sh->mu);
        commit_chunk(sh, w);
        size_t len = take_chunk(sh, w, &overlong);
        pthread_mutex_unlock(&sh->mu);
        if (len == 0)
            break;
        parse_chunk(w, len, overlong);
    }
    return NULL;
}

/* ---------------------------------------------------------------------------
 * Hashing alongside the parsing
 */

struct hasher {
    int fd;
    pthread_t tid;
    uint64_t bytes;
    int err;
    struct sha256_ctx ctx;
};

/* Reads the regular file on its own (pread: no shared offset). */
static void *
hasher_main(void *arg)
{
    struct hasher *h = arg;
    size_t bufsz = 1u << 20;
    char *buf = xmalloc(bufsz);

    sha256_init(&h->ctx);
    for (;;) {
        ssize_t n = pread(h->fd, buf, bufsz, (off_t)h->bytes);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            h->err = errno;
            break;
        }
        if (n == 0)
            break;
        sha256_update(&h->ctx, (size_t)n, (const uint8_t *)buf);
        h->bytes += (uint64_t)n;
    }
    free(buf);
    return NULL;
}

static void
sha_hex(struct sha256_ctx *ctx, char hex[SHA256_HEX_LEN + 1])
{
    static const char digits[] = "0123456789abcdef";
    uint8_t md[SHA256_DIGEST_SIZE];

    sha256_digest(ctx, sizeof(md), md);
    for (size_t i = 0; i < sizeof(md); i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[SHA256_HEX_LEN] = '\0';
}

/* ---------------------------------------------------------------------------
 * The header
 */

static bool
scan_first_record(struct sbuf *text, struct scan *sc)
{
    struct scan_error se;
    scan_init(sc, text->buf, text->len);
    return scan_next(sc, &se) == 1;
}

/* A header row: 0, or -1 with the problems in dl. */
static int
map_header(struct shared *sh, const struct scan *hs, unsigned long line,
           struct diag_list *dl)
{
    char q[96];
    int rc = 0;

    sh->nfields = hs->nfields;
    for (int c = 0; c < D_N; c++)
        sh->idx[c] = -1;
    for (size_t i = 0; i < hs->nfields; i++) {
        const char *s = hs->fields[i].s;
        size_t len = hs->fields[i].len;
        unsigned long col = (unsigned long)i + 1;
        int c = dcol_lookup(s, len);
        utf8_trim_blanks(&s, &len);
        if (c < 0) {
            if (len == 0)
                rc |=
                    diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, sh->path, line,
                                   col, "header field %lu is empty", col);
            else
                diag_list_addf(dl, DIAG_WARNING, DIAG_FORMAT, sh->path, line,
                               col, "column %s is not one gongji uses; ignored",
                               diag_quote(q, sizeof(q), s, len));
            continue;
        }
        if (sh->idx[c] >= 0) {
            rc |=
                diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, sh->path, line, col,
                               "column %s appears twice (also field %d): "
                               "which one holds %s is ambiguous",
                               diag_quote(q, sizeof(q), s, len), sh->idx[c] + 1,
                               dcols[c].english);
            continue;
        }
        sh->idx[c] = (int)i;
    }
    for (int c = 0; c < D_N; c++)
        if (dcols[c].required && sh->idx[c] < 0)
            rc |= diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, sh->path, line, 0,
                                 "required column %s (%s) is missing from the "
                                 "detail header",
                                 dcols[c].english, dcols[c].chinese[0]);
    return rc ? -1 : 0;
}

bool
detail_sniff(const char *buf, size_t len)
{
    struct sbuf text = SBUF_INIT;
    struct scan sc;
    struct diag err;
    enum encoding enc;
    int bom;
    bool found = false;

    const char *nl = memchr(buf, '\n', len);
    size_t n = nl != NULL ? (size_t)(nl - buf) : len;
    if (encoding_to_utf8(buf, n, ENC_AUTO, NULL, &text, &enc, &bom, &err) < 0) {
        sbuf_release(&text);
        return false;
    }
    if (scan_first_record(&text, &sc)) {
        for (size_t i = 0; i < sc.nfields && !found; i++) {
            int c = dcol_lookup(sc.fields[i].s, sc.fields[i].len);
            found = c >= 0 && dcols[c].detail_only;
        }
    }
    scan_release(&sc);
    sbuf_release(&text);
    return found;
}

/* ---------------------------------------------------------------------------
 * Results
 */

static int
cmp_perr(const void *pa, const void *pb)
{
    const struct perr *a = pa, *b = pb;
    if (a->chunk != b->chunk)
        return a->chunk < b->chunk ? -1 : 1;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

static int
cmp_block(const void *pa, const void *pb)
{
    const struct block_meta *a = *(const struct block_meta *const *)pa;
    const struct block_meta *b = *(const struct block_meta *const *)pb;
    return (a->key > b->key) - (a->key < b->key);
}

static int
cmp_cover(const void *pa, const void *pb)
{
    const struct coverage *a = pa, *b = pb;
    if (a->province != b->province)
        return a->province < b->province ? -1 : 1;
    return (a->period > b->period) - (a->period < b->period);
}

/* Absolute line of a (chunk << 32 | line) position. */
static unsigned long
resolve(const unsigned long *base, uint64_t pos)
{
    return base[pos >> 32] + (unsigned long)(pos & 0xFFFFFFFFu);
}

/*
 * Move the threads' problems into dl in file order, with absolute lines,
 * leaving out everything after the first syntax error (the chunks after it
 * may have been cut at the wrong places).
 */
static void
collect_problems(struct shared *sh, struct worker *ws, unsigned nw,
                 const unsigned long *base, struct diag_list *dl)
{
    uint64_t limit = sh->have_syntax ? sh->syntax_chunk : UINT64_MAX;
    size_t total_e = 0, total_w = 0, kept_e = 0, kept_w = 0, n = 0;
    size_t nua = 0, alloc = 0;
    struct unknown_area *ua = NULL;
    uint64_t ua_dropped = 0;

    for (uint64_t i = 0; i < sh->next_chunk && i <= limit; i++) {
        total_e += sh->chunks[i].errors;
        total_w += sh->chunks[i].warnings;
    }
    for (unsigned k = 0; k < nw; k++) {
        alloc += ws[k].nerrs + ws[k].nua;
        ua_dropped += ws[k].ua_dropped;
    }
    struct perr *all = xcalloc(alloc + 1, sizeof(*all));
    for (unsigned k = 0; k < nw; k++) {
        for (size_t i = 0; i < ws[k].nerrs; i++)
            if (ws[k].errs[i].chunk <= limit)
                all[n++] = ws[k].errs[i];
        for (size_t i = 0; i < ws[k].nua; i++) {
            size_t j;
            if (ua == NULL)
                ua = xcalloc(alloc + 1, sizeof(*ua));
            for (j = 0; j < nua; j++)
                if (ua[j].area == ws[k].ua[i].area)
                    break;
            if (j == nua)
                ua[nua++] = ws[k].ua[i];
            else {
                ua[j].rows += ws[k].ua[i].rows;
                if (ws[k].ua[i].first < ua[j].first)
                    ua[j].first = ws[k].ua[i].first;
            }
        }
    }
    for (size_t j = 0; j < nua; j++) {
        if (ua[j].first >> 32 > limit)
            continue;
        struct perr *e = &all[n++];
        e->chunk = ua[j].first >> 32;
        e->line = (unsigned long)(ua[j].first & 0xFFFFFFFFu);
        e->seq = 0;
        diag_clear(&e->d);
        diag_set(&e->d, DIAG_DATA,
                 "payer_area '%06d' is not in the pooling-area table "
                 "(data/areas.csv); %llu row(s) stored anyway",
                 ua[j].area, (unsigned long long)ua[j].rows);
        e->d.severity = DIAG_WARNING;
        e->d.file = sh->path;
        e->d.col = (unsigned long)sh->idx[D_PAYER_AREA] + 1;
        total_w++;
    }
    qsort(all, n, sizeof(*all), cmp_perr);
    for (size_t i = 0; i < n; i++) {
        all[i].d.line = resolve(base, all[i].chunk << 32 | all[i].line);
        diag_list_add(dl, &all[i].d);
        if (all[i].d.severity == DIAG_ERROR)
            kept_e++;
        else
            kept_w++;
    }
    dl->errors += total_e - kept_e;
    dl->warnings += total_w - kept_w;
    if (ua_dropped > 0)
        diag_list_addf(dl, DIAG_WARNING, DIAG_DATA, sh->path, 0, 0,
                       "%llu more row(s) with payer_area codes not in "
                       "data/areas.csv (too many distinct codes to list)",
                       (unsigned long long)ua_dropped);
    free(ua);
    free(all);
}

/* Merge the threads' tables, check the cells, fill sf.  0 or -1. */
static int
build_result(struct shared *sh, struct worker *ws, unsigned nw,
             const unsigned long *base, struct summary_file *sf,
             struct diag_list *dl)
{
    struct cells *t = &ws[0].tab;
    int rc = 0;

    for (unsigned k = 1; k < nw; k++) {
        struct cells *o = &ws[k].tab;
        for (size_t b = 0; b < o->n; b++) {
            size_t to = cells_block(t, o->m[b].key);
            for (unsigned sub = 0; sub < NSUB; sub++) {
                if (!(o->m[b].touched[sub >> 6] & (UINT64_C(1) << (sub & 63))))
                    continue;
                if (cells_add(t, to, sub, o->b[b].c[sub][0], o->b[b].c[sub][1],
                              o->m[b].first[sub], true) < 0) {
                    struct record r;
                    block_unpack(o->m[b].key, sub, &r);
                    return diag_list_addf(
                        dl, DIAG_ERROR, DIAG_DATA, sh->path, 0, 0,
                        "the sums of (%d-%02d, %06d) overflow 64 bits",
                        r.period / 100, r.period % 100, r.area);
                }
            }
        }
        cells_release(o);
    }

    /* blocks in key order; cells in a block are in key order already */
    const struct block_meta **order =
        xreallocarray(NULL, t->n + 1, sizeof(*order));
    size_t n = 0;
    for (size_t b = 0; b < t->n; b++) {
        order[b] = &t->m[b];
        n += (size_t)__builtin_popcountll(t->m[b].touched[0]) +
             (size_t)__builtin_popcountll(t->m[b].touched[1]);
    }
    qsort(order, t->n, sizeof(*order), cmp_block);

    sf->rows = xreallocarray(NULL, n + 1, sizeof(*sf->rows));
    sf->nrows = 0;
    for (size_t i = 0; i < t->n; i++) {
        const struct block_meta *m = order[i];
        const struct block *bl = &t->b[m - t->m];
        for (unsigned sub = 0; sub < NSUB; sub++) {
            if (!(m->touched[sub >> 6] & (UINT64_C(1) << (sub & 63))))
                continue;
            struct record *r = &sf->rows[sf->nrows++];
            memset(r, 0, sizeof(*r));
            block_unpack(m->key, sub, r);
            r->person_times = bl->c[sub][0];
            r->amount_fen = bl->c[sub][1];
            r->line = resolve(base, m->first[sub]);
            if (r->person_times < 0 || r->amount_fen < 0) {
                char amt[32];
                money_format(amt, sizeof(amt), r->amount_fen);
                rc = diag_list_addf(
                    dl, DIAG_ERROR, DIAG_DATA, sh->path, r->line, 0,
                    "more reversals than settlements: (%d-%02d, %06d, %s, %s, "
                    "%s) nets to %lld person-time(s) and %s yuan",
                    r->period / 100, r->period % 100, r->area,
                    codes_code(CODESET_SCOPE, r->scope),
                    codes_code(CODESET_USE, r->use),
                    codes_code(CODESET_RELATION, r->relation),
                    (long long)r->person_times, amt);
            }
        }
    }
    free(order);
    cells_release(t);

    for (size_t i = 0; i < n && rc == 0; i++) {
        const struct record *r = &sf->rows[i];
        int prov = r->area / 10000 * 10000;
        struct coverage *cv = NULL;
        /* sorted by (period, area): a pair's cells are contiguous */
        if (sf->ncover > 0 && sf->cover[sf->ncover - 1].province == prov &&
            sf->cover[sf->ncover - 1].period == r->period)
            cv = &sf->cover[sf->ncover - 1];
        if (cv == NULL) {
            sf->cover =
                xreallocarray(sf->cover, sf->ncover + 1, sizeof(*sf->cover));
            cv = &sf->cover[sf->ncover++];
            memset(cv, 0, sizeof(*cv));
            cv->province = prov;
            cv->period = r->period;
        }
        cv->rows++;
        if (fx_add(cv->person_times, r->person_times, &cv->person_times) < 0 ||
            fx_add(cv->amount_fen, r->amount_fen, &cv->amount_fen) < 0)
            rc = diag_list_addf(dl, DIAG_ERROR, DIAG_DATA, sh->path, r->line, 0,
                                "the totals of %06d for %d-%02d overflow 64 "
                                "bits",
                                prov, r->period / 100, r->period % 100);
    }
    if (sf->ncover > 1)
        qsort(sf->cover, sf->ncover, sizeof(*sf->cover), cmp_cover);
    return rc;
}

/* ---------------------------------------------------------------------------
 * Reading a file
 */

static unsigned
thread_count(unsigned want)
{
    if (want == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        want = n > 0 ? (unsigned)n : 1;
    }
    return want > DETAIL_MAX_THREADS ? DETAIL_MAX_THREADS : want;
}

/*
 * Read the start of the input into sh->carry, detect its encoding and map
 * its header; leave the data after the header in the carry.  0 or -1.
 */
static int
start_input(struct shared *sh, const char *prefix, size_t prefix_len,
            const struct detail_opts *o, struct summary_file *sf,
            struct diag_list *dl)
{
    size_t want = CSVREAD_MAX_RECORD;
    struct sbuf text = SBUF_INIT;
    struct scan hs;
    struct diag err;
    int rc = -1, had_bom = 0;

    ensure(&sh->carry, &sh->carry_alloc,
           (prefix_len > want ? prefix_len : want) + 1);
    if (prefix_len > 0)
        memcpy(sh->carry, prefix, prefix_len);
    size_t n = prefix_len;
    if (n < want) {
        ssize_t got = read_full(sh->fd, sh->carry + n, want - n);
        if (got < 0)
            return diag_list_addf(dl, DIAG_ERROR, DIAG_NOINPUT, sh->path, 0, 0,
                                  "cannot read: %s", strerror(errno));
        if ((size_t)got < want - n)
            sh->eof = true;
        if (sh->inline_sha != NULL)
            sha256_update(sh->inline_sha, (size_t)got,
                          (const uint8_t *)sh->carry + n);
        n += (size_t)got;
    }
    sh->bytes_read = n;
    if (n == 0 && o->header == NULL)
        return diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, sh->path, 0, 0,
                              "the file is empty");

    /* the encoding, from the sample cut after its last complete line */
    size_t sample = n;
    if (!sh->eof)
        while (sample > 0 && sh->carry[sample - 1] != '\n')
            sample--;
    if (sample == 0)
        sample = n;
    diag_clear(&err);
    if (encoding_to_utf8(sh->carry, sample, sh->io->encoding, sh->path, &text,
                         &sh->enc, &had_bom, &err) < 0) {
        diag_list_add(dl, &err);
        goto out;
    }
    sf->encoding = sh->enc;
    sf->had_bom = had_bom;
    size_t skip = had_bom ? (sh->enc == ENC_UTF8 ? 3 : 4) : 0;

    sbuf_reset(&text);
    unsigned long hline = 1;
    if (o->header != NULL) {
        sbuf_addstr(&text, o->header);
        hline = 0;
        sh->first_line = 1;
    } else {
        size_t end = scan_first_boundary(sh->carry + skip, n - skip);
        if (end == 0 && !sh->eof) {
            diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, sh->path, 1, 0,
                           "the header row does not end within %u bytes",
                           CSVREAD_MAX_RECORD);
            goto out;
        }
        if (end == 0)
            end = n - skip;
        if (encoding_to_utf8(sh->carry + skip, end, sh->enc, sh->path, &text,
                             &sh->enc, &had_bom, &err) < 0) {
            diag_list_add(dl, &err);
            goto out;
        }
        sh->first_line =
            1 + (unsigned long)scan_count_byte(sh->carry + skip, end, '\n');
        skip += end;
    }
    if (!scan_first_record(&text, &hs)) {
        scan_release(&hs);
        diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, sh->path, hline, 0,
                       "the header row is empty or malformed");
        goto out;
    }
    rc = map_header(sh, &hs, hline, dl);
    scan_release(&hs);
    memmove(sh->carry, sh->carry + skip, n - skip);
    sh->carry_len = n - skip;
out:
    sbuf_release(&text);
    return rc;
}

int
detail_read_fd(struct summary_file *sf, int fd, const char *path,
               const char *prefix, size_t prefix_len,
               const struct ingest_opts *io, const struct detail_opts *o,
               const struct refdata *rd, struct diag_list *dl,
               struct detail_stats *stats)
{
    struct shared sh;
    struct worker *ws = NULL;
    struct hasher hs;
    struct sha256_ctx inline_ctx;
    unsigned long *base = NULL;
    bool hashing = false;
    unsigned nw = 0;
    size_t errors_before = dl->errors;
    struct stat st;

    memset(&sh, 0, sizeof(sh));
    memset(&hs, 0, sizeof(hs));
    sf->path = path;
    sh.path = path;
    sh.fd = fd;
    sh.io = io;
    sh.rd = rd;
    sh.chunk_bytes = o->chunk_bytes ? o->chunk_bytes : DETAIL_CHUNK;
    pthread_mutex_init(&sh.mu, NULL);

    bool regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    if (regular)
        sh.bytes_total = (uint64_t)st.st_size;
    if (o->want_sha256 && regular) {
        hs.fd = fd;
        hashing = pthread_create(&hs.tid, NULL, hasher_main, &hs) == 0;
    }
    if (o->want_sha256 && !hashing) {
        sha256_init(&inline_ctx);
        if (prefix_len > 0)
            sha256_update(&inline_ctx, prefix_len, (const uint8_t *)prefix);
        sh.inline_sha = &inline_ctx;
    }

    if (start_input(&sh, prefix, prefix_len, o, sf, dl) < 0)
        goto out;

    for (int c = 10; c < 100; c++)
        sh.prov_ok[c] = refdata_province(rd, c * 10000) != NULL;
    sh.area_known = xcalloc(1000000 / 8 + 1, 1);
    for (size_t i = 0; i < refdata_area_count(rd); i++) {
        int a = refdata_area_at(rd, i)->code;
        if (a >= 0 && a < 1000000)
            sh.area_known[a >> 3] |= (uint8_t)(1u << (a & 7));
    }

    nw = thread_count(o->threads);
    ws = xcalloc(nw, sizeof(*ws));
    for (unsigned i = 0; i < nw; i++) {
        ws[i].sh = &sh;
        scan_init(&ws[i].sc, NULL, 0);
        cells_init(&ws[i].tab);
        sbuf_init(&ws[i].tmp);
    }
    sh.progress = o->progress;
    sh.progress_ctx = o->progress_ctx;
    clock_gettime(CLOCK_MONOTONIC, &sh.last_progress);
    unsigned started = 1;
    for (unsigned i = 1; i < nw; i++) {
        if (pthread_create(&ws[i].tid, NULL, worker_main, &ws[i]) != 0)
            break; /* fewer threads: slower, not wrong */
        started++;
    }
    worker_main(&ws[0]);
    for (unsigned i = 1; i < started; i++)
        pthread_join(ws[i].tid, NULL);
    if (sh.progress != NULL) {
        struct detail_progress p = {sh.bytes_read, sh.bytes_total, sh.rows_done,
                                    true};
        sh.progress(&p, sh.progress_ctx);
    }
    if (stats != NULL) {
        stats->rows = sh.rows_done;
        stats->bytes = sh.bytes_read;
        stats->threads = started;
    }

    if (sh.read_errno != 0) {
        diag_list_addf(dl, DIAG_ERROR, DIAG_IO, path, 0, 0, "cannot read: %s",
                       strerror(sh.read_errno));
        goto out;
    }
    base = xreallocarray(NULL, sh.next_chunk + 1, sizeof(*base));
    base[0] = sh.first_line;
    for (uint64_t i = 0; i < sh.next_chunk; i++)
        base[i + 1] = base[i] + sh.chunks[i].lines;
    collect_problems(&sh, ws, nw, base, dl);
    if (dl->errors > errors_before)
        goto out;
    if (sh.rows_done == 0) {
        diag_list_addf(dl, DIAG_ERROR, DIAG_DATA, path, 1, 0,
                       "the header is not followed by any data rows");
        goto out;
    }
    if (build_result(&sh, ws, nw, base, sf, dl) < 0)
        goto out;

out:
    if (hashing) {
        pthread_join(hs.tid, NULL);
        if (dl->errors == errors_before) {
            if (hs.err != 0)
                diag_list_addf(dl, DIAG_ERROR, DIAG_IO, path, 0, 0,
                               "cannot read: %s", strerror(hs.err));
            else if (hs.bytes != sh.bytes_read)
                diag_list_addf(dl, DIAG_ERROR, DIAG_IO, path, 0, 0,
                               "the file changed while it was being read");
            else
                sha_hex(&hs.ctx, sf->sha256);
        }
    } else if (sh.inline_sha != NULL) {
        sha_hex(sh.inline_sha, sf->sha256);
    }
    sf->bytes = (size_t)sh.bytes_read;
    for (unsigned i = 0; i < nw; i++) {
        free(ws[i].buf);
        scan_release(&ws[i].sc);
        cells_release(&ws[i].tab);
        free(ws[i].errs);
        free(ws[i].ua);
        sbuf_release(&ws[i].tmp);
    }
    free(ws);
    free(base);
    free(sh.area_known);
    free(sh.chunks);
    free(sh.carry);
    pthread_mutex_destroy(&sh.mu);
    if (dl->errors > errors_before) {
        summary_drop_rows(sf);
        return -1;
    }
    return 0;
}

int
detail_read(struct summary_file *sf, const char *path,
            const struct ingest_opts *io, const struct detail_opts *o,
            const struct refdata *rd, struct diag_list *dl,
            struct detail_stats *stats)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return diag_list_addf(dl, DIAG_ERROR, DIAG_NOINPUT, path, 0, 0,
                              "cannot open: %s", strerror(errno));
    int rc = detail_read_fd(sf, fd, path, NULL, 0, io, o, rd, dl, stats);
    close(fd);
    return rc;
}
