#include "ingest/detail_row.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/diag.h"
#include "common/money.h"
#include "common/period.h"
#include "common/sbuf.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "ingest/codes.h"
#include "ingest/csvread.h"
#include "ingest/detail.h"
#include "ingest/detail_cells.h"
#include "ingest/detail_cols.h"
#include "ingest/detail_int.h"
#include "ingest/encoding.h"
#include "ingest/refdata.h"
#include "ingest/scan.h"
#include "ingest/submission.h"
#include "ingest/vocab.h"

/* ---------------------------------------------------------------------------
 * Small parsers (public for the tests)
 */

static int
time_strict(const char *s, size_t len, struct period *out)
{
    static const unsigned char digit_at[19] = {1, 1, 1, 1, 0, 1, 1, 0, 1, 1,
                                               0, 1, 1, 0, 1, 1, 0, 1, 1};
    static const char sep[19] = {0,   0, 0, 0,   '-', 0, 0,   '-', 0, 0,
                                 ' ', 0, 0, ':', 0,   0, ':', 0,   0};
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
    if (!period_valid_date((int)y, (int)mo, (int)dd) || hh > 23 || mi > 59 ||
        ss > 59)
        return -2;
    if (y < PERIOD_MIN_YEAR || y > PERIOD_MAX_YEAR)
        return -3;
    out->year = (int)y;
    out->month = (int)mo;
    return 0;
}

/*
 * The shapes a time takes after a spreadsheet has reformatted it: Excel and
 * WPS write "2024/9/3 10:21" (no leading zeros, no seconds) or
 * "2024-09-03 10:21".  Y-M-D with '-' or '/' (the same twice), one or two
 * digits for month, day and hour, then ":MM" and optionally ":SS".  Only
 * tried when the strict shape fails, so it costs the common file nothing.
 */
static int __attribute__((cold, noinline))
time_loose(const char *s, size_t len, struct period *out)
{
    unsigned v[6] = {0, 0, 0, 0, 0, 0};
    static const unsigned char maxd[6] = {4, 2, 2, 2, 2, 2};
    static const unsigned char mind[6] = {4, 1, 1, 1, 2, 2};
    size_t i = 0;
    int k = 0;
    char dsep = 0;

    for (; k < 6; k++) {
        size_t start = i;
        while (i < len && i - start < maxd[k] &&
               (unsigned)(unsigned char)s[i] - '0' <= 9) {
            v[k] = v[k] * 10 + (unsigned)(s[i] - '0');
            i++;
        }
        if (i - start < mind[k])
            return -1;
        if (i == len)
            break;
        char c = s[i];
        if (k == 0 && (c == '-' || c == '/'))
            dsep = c;
        else if (!(k == 1 && c == dsep) && !(k == 2 && c == ' ') &&
                 !((k == 3 || k == 4) && c == ':'))
            return -1;
        i++;
    }
    /* a time is required: at least the minutes */
    if (i != len || k < 4 || k > 5)
        return -1;
    if (!period_valid_date((int)v[0], (int)v[1], (int)v[2]) || v[3] > 23 ||
        v[4] > 59 || v[5] > 59)
        return -2;
    if (v[0] < PERIOD_MIN_YEAR || v[0] > PERIOD_MAX_YEAR)
        return -3;
    out->year = (int)v[0];
    out->month = (int)v[1];
    return 0;
}

int
detail_parse_time(const char *s, size_t len, struct period *out)
{
    int rc = time_strict(s, len, out);
    return rc == -1 ? time_loose(s, len, out) : rc;
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
 * Problems
 */

static void add_problem(struct detail_worker *w, enum diag_severity sev,
                        enum diag_code code, unsigned long line,
                        unsigned long col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void
add_problem(struct detail_worker *w, enum diag_severity sev,
            enum diag_code code, unsigned long line, unsigned long col,
            const char *fmt, ...)
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
    struct detail_perr *e = &w->errs[w->nerrs++];
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
field(const struct detail_worker *w, int c, const char **s, size_t *len)
{
    const struct scan_field *f = &w->sc.fields[w->sh->idx[c]];
    *s = f->s;
    *len = f->len;
    if (*len > 0 && (**s == ' ' || **s == '\t' || (*s)[*len - 1] == ' ' ||
                     (*s)[*len - 1] == '\t'))
        utf8_trim_blanks(s, len);
}

static inline unsigned long
col_of(const struct detail_worker *w, int c)
{
    return (unsigned long)w->sh->idx[c] + 1;
}

/*
 * detail_parse_time() for a stream of times that mostly share their month:
 * when the "YYYY-MM-" is the last valid one's, only "DD HH:MM:SS" is left
 * to check, without loops or tables.
 */
static inline int
time_cached(struct detail_worker *w, const char *s, size_t len, int *yyyymm)
{
    if (len == 19 && detail_load64(s) == w->ym_word) {
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
    struct period p;
    int rc = time_strict(s, len, &p);
    if (rc == 0) {
        *yyyymm = period_to_yyyymm(p);
        w->ym_word = detail_load64(s);
        w->ym_val = *yyyymm;
        w->ym_days = (unsigned)period_days_in_month(p.year, p.month);
    } else if (rc == -1) {
        /* not cached: the fast check above knows only the strict shape */
        rc = time_loose(s, len, &p);
        if (rc == 0)
            *yyyymm = period_to_yyyymm(p);
    }
    return rc;
}

/* Is the current row a repetition of the header (files concatenated)? */
static bool
is_header_row(struct detail_worker *w)
{
    static const int probe[] = {DETAIL_COL_SETTLE_TIME, DETAIL_COL_PAYER_AREA};
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
        if (detail_cols_lookup(refdata_vocab(w->sh->rd), w->tmp.buf,
                               w->tmp.len) != probe[i])
            return false;
    }
    return true;
}

static void __attribute__((cold, noinline))
bad_time(struct detail_worker *w, unsigned long line, int rc)
{
    char q[96], h[160];
    const char *s;
    size_t len;
    field(w, DETAIL_COL_SETTLE_TIME, &s, &len);
    diag_quote(q, sizeof(q), s, len);
    if (rc == -1)
        add_problem(w, DIAG_ERROR, DIAG_DATA, line,
                    col_of(w, DETAIL_COL_SETTLE_TIME),
                    "settle_time %s is not a date and time "
                    "YYYY-MM-DD HH:MM:SS%s",
                    q, diag_hint(h, sizeof(h), s, len, DIAG_HINT_DATE));
    else if (rc == -2)
        add_problem(w, DIAG_ERROR, DIAG_DATA, line,
                    col_of(w, DETAIL_COL_SETTLE_TIME),
                    "settle_time %s is not a real date and time", q);
    else
        add_problem(w, DIAG_ERROR, DIAG_DATA, line,
                    col_of(w, DETAIL_COL_SETTLE_TIME),
                    "settle_time %s is outside the years %d-%d", q,
                    PERIOD_MIN_YEAR, PERIOD_MAX_YEAR);
}

static void __attribute__((cold, noinline))
bad_area(struct detail_worker *w, unsigned long line, int c, int v)
{
    char q[96], h[160];
    const char *s;
    size_t len;
    field(w, c, &s, &len);
    diag_quote(q, sizeof(q), s, len);
    if (v < 0)
        add_problem(w, DIAG_ERROR, DIAG_DATA, line, col_of(w, c),
                    "%s %s is not a 6-digit pooling-area code%s",
                    detail_cols_name(c), q, diag_hint(h, sizeof(h), s, len, 0));
    else
        add_problem(w, DIAG_ERROR, DIAG_DATA, line, col_of(w, c),
                    "%s %s: no province has the prefix %.2s (first two "
                    "digits)",
                    detail_cols_name(c), q, s);
}

static inline int
parse_area(struct detail_worker *w, unsigned long line, int c, int *out)
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
unknown_area(struct detail_worker *w, unsigned long line, int area)
{
    if (w->sh->io->strict) {
        add_problem(w, DIAG_ERROR, DIAG_DATA, line,
                    col_of(w, DETAIL_COL_PAYER_AREA),
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
    if (w->nua == DETAIL_UNKNOWN_AREAS_MAX) {
        w->ua_dropped++;
        return;
    }
    if (w->ua == NULL)
        w->ua = xcalloc(DETAIL_UNKNOWN_AREAS_MAX, sizeof(*w->ua));
    w->ua[w->nua].area = area;
    w->ua[w->nua].first = w->chunk << 32 | line;
    w->ua[w->nua].rows = 1;
    w->nua++;
}

/*
 * s[0..len) as two words, its first and last 8 bytes (the rest zero when
 * len < 8): for len <= 16, equal words and lengths mean equal strings.
 * Reads 8 bytes from s even when len < 8 (see DETAIL_PAD).
 */
static inline void
words(const char *s, size_t len, uint64_t *w0, uint64_t *w1)
{
    if (len >= 8) {
        *w0 = detail_load64(s);
        *w1 = detail_load64(s + len - 8);
        return;
    }
    uint64_t v = detail_load64(s);
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
code_slow(struct detail_worker *w, enum code_set set, const char *s, size_t len)
{
    struct detail_code_cache *cc = &w->cache[set == CODESET_USE ? 0 : 1];
    struct diag err;
    enum encoding got;
    int bom, v;

    sbuf_reset(&w->tmp);
    if (encoding_to_utf8(s, len, w->sh->enc, NULL, &w->tmp, &got, &bom, &err) <
        0)
        v = -2;
    else
        v = vocab_value(refdata_vocab(w->sh->rd), set, w->tmp.buf, w->tmp.len);
    if (len > 0 && len < sizeof(cc->e[0].s)) {
        char tmp[sizeof(cc->e[0].s) + 8];
        uint64_t w0, w1;
        memset(tmp, 0, sizeof(tmp));
        memcpy(tmp, s, len);
        words(tmp, len, &w0, &w1);
        /* the first free slot from home on, else home itself */
        unsigned home = code_slot(w0, w1, len), i = home;
        for (unsigned k = 0; k < DETAIL_CODE_PROBE; k++) {
            unsigned j = (home + k) % DETAIL_CODE_CACHE;
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
code_lookup(struct detail_worker *w, enum code_set set, const char *s,
            size_t len)
{
    const struct detail_code_cache *cc = &w->cache[set == CODESET_USE ? 0 : 1];
    uint64_t w0, w1;
    words(s, len, &w0, &w1);
    unsigned home = code_slot(w0, w1, len);
    for (unsigned k = 0; k < DETAIL_CODE_PROBE; k++) {
        unsigned i = (home + k) % DETAIL_CODE_CACHE;
        if (cc->e[i].len == len && cc->e[i].w0 == w0 && cc->e[i].w1 == w1 &&
            (len <= 16 || memcmp(cc->e[i].s, s, len) == 0))
            return cc->e[i].val;
        if (cc->e[i].len == 0)
            break;
    }
    return code_slow(w, set, s, len);
}

static void __attribute__((cold, noinline))
bad_code(struct detail_worker *w, unsigned long line, int c, enum code_set set,
         int v)
{
    char q[96];
    const char *s;
    size_t len;
    field(w, c, &s, &len);
    if (v == -2) {
        add_problem(w, DIAG_ERROR, DIAG_DATA, line, col_of(w, c),
                    "%s %s is not valid %s (the encoding was detected from "
                    "the start of the file; try --encoding)",
                    detail_cols_name(c), diag_quote(q, sizeof(q), s, len),
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
    add_problem(
        w, DIAG_ERROR, DIAG_DATA, line, col_of(w, c),
        "%s %s is not a known value (accepted: %s)", detail_cols_name(c),
        diag_quote(q, sizeof(q), w->tmp.buf, w->tmp.len), codes_accepted(set));
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
bad_id(struct detail_worker *w, unsigned long line, int c, const char *what)
{
    char q[128];
    const char *s;
    size_t len;
    field(w, c, &s, &len);
    if (len == 0)
        add_problem(w, DIAG_ERROR, DIAG_DATA, line, col_of(w, c), "%s is empty",
                    detail_cols_name(c));
    else
        add_problem(w, DIAG_ERROR, DIAG_DATA, line, col_of(w, c), "%s %s %s",
                    detail_cols_name(c), detail_mask_id(q, sizeof(q), s, len),
                    what);
}

static inline bool
id_ok(size_t len)
{
    return len > 0 && len <= DETAIL_ID_MAX;
}

/*
 * Is s[0..len) a number in Excel's scientific notation (3.30102E+17,
 * 3E+17)?  Excel shows a long digit string typed or opened into a General
 * column that way and keeps only 15 significant digits: the identifier is
 * lost.  The cheap test on s[1] keeps ordinary identifiers off this path.
 */
static bool __attribute__((noinline)) id_sci_slow(const char *s, size_t len)
{
    size_t i = 1;

    if ((unsigned)(unsigned char)s[0] - '0' > 9)
        return false;
    if (s[1] == '.') {
        size_t start = ++i;
        while (i < len && (unsigned)(unsigned char)s[i] - '0' <= 9)
            i++;
        if (i == start)
            return false;
    }
    if (i >= len || (s[i] != 'E' && s[i] != 'e'))
        return false;
    i++;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        i++;
    if (i == len)
        return false;
    for (; i < len; i++)
        if ((unsigned)(unsigned char)s[i] - '0' > 9)
            return false;
    return true;
}

static inline bool
id_sci(const char *s, size_t len)
{
    return len >= 3 && (s[1] == '.' || s[1] == 'E' || s[1] == 'e') &&
           id_sci_slow(s, len);
}

static void __attribute__((noinline))
row_fields_mismatch(struct detail_worker *w, unsigned long line)
{
    size_t n = w->sc.nfields, want = w->sh->nfields;
    add_problem(w, DIAG_ERROR, DIAG_FORMAT, line,
                n > want ? (unsigned long)want + 1 : (unsigned long)n,
                "row has %zu fields but the header has %zu%s", n, want,
                n > want ? " (an unquoted comma inside a value?)" : "");
}

/*
 * The row_*() helpers are inlined into row() by force: they are its parts,
 * cut apart for reading, and the row loop is the whole cost of a detail
 * file.
 */

/* payer_area into *pa and beneficiary_area into *ba; false when bad. */
static inline __attribute__((always_inline)) bool
row_areas(struct detail_worker *w, unsigned long rl, int *pa, int *ba)
{
    bool ok = true;

    if (parse_area(w, rl, DETAIL_COL_PAYER_AREA, pa) < 0)
        ok = false;
    else if (!(w->sh->area_known[*pa >> 3] & (1u << (*pa & 7))))
        unknown_area(w, rl, *pa);
    if (parse_area(w, rl, DETAIL_COL_BENEFICIARY_AREA, ba) < 0)
        ok = false;
    return ok;
}

/* use into *use and relation into *rel; false when bad. */
static inline __attribute__((always_inline)) bool
row_codes(struct detail_worker *w, unsigned long rl, int *use, int *rel)
{
    const char *s;
    size_t len;
    bool ok = true;

    field(w, DETAIL_COL_USE, &s, &len);
    *use = code_lookup(w, CODESET_USE, s, len);
    if (*use < 0) {
        bad_code(w, rl, DETAIL_COL_USE, CODESET_USE, *use);
        ok = false;
    }
    *rel = REL_UNSPECIFIED;
    if (w->sh->idx[DETAIL_COL_RELATION] >= 0) {
        field(w, DETAIL_COL_RELATION, &s, &len);
        if (len > 0) {
            *rel = code_lookup(w, CODESET_RELATION, s, len);
            if (*rel < 0) {
                bad_code(w, rl, DETAIL_COL_RELATION, CODESET_RELATION, *rel);
                ok = false;
            }
        }
    }
    return ok;
}

/* amount into *fen; false when bad. */
static inline __attribute__((always_inline)) bool
row_amount(struct detail_worker *w, unsigned long rl, int64_t *fen)
{
    const char *s;
    size_t len;

    field(w, DETAIL_COL_AMOUNT, &s, &len);
    if (amount_fast(s, len, fen) == 0)
        return true;
    /*
     * The spreadsheet shapes ('12.30, ￥12.30, 12.30元, full-width digits)
     * in UTF-8 files only: GB18030 bytes are not looked into here.
     */
    char norm[128];
    int n =
        w->sh->enc == ENC_GB18030
            ? -1
            : money_normalize(s, len, MONEY_NORM_CURRENCY, norm, sizeof(norm));
    if (n >= 0) {
        s = norm;
        len = (size_t)n;
    }
    struct diag err;
    diag_clear(&err);
    if (money_parse(s, len, fen, "amount", &err) == 0)
        return true;
    char h[160];
    add_problem(w, DIAG_ERROR, DIAG_DATA, rl, col_of(w, DETAIL_COL_AMOUNT),
                "%s%s", err.msg, diag_hint(h, sizeof(h), s, len, 0));
    return false;
}

#define EXCEL_SCI_ID                                                           \
    "is a number in scientific notation: Excel converted the ID column to "    \
    "numbers and the identifiers lost their digits (format the column as "     \
    "text and export again)"

/* settlement_id, payer_id and beneficiary_id; false when any is bad. */
static inline __attribute__((always_inline)) bool
row_ids(struct detail_worker *w, unsigned long rl)
{
    const struct detail_shared *sh = w->sh;
    bool ok = true;

    if (sh->idx[DETAIL_COL_SETTLEMENT_ID] >= 0) {
        const char *s;
        size_t len;
        field(w, DETAIL_COL_SETTLEMENT_ID, &s, &len);
        if (len == 0) {
            add_problem(w, DIAG_ERROR, DIAG_DATA, rl,
                        col_of(w, DETAIL_COL_SETTLEMENT_ID),
                        "settlement_id is empty");
            ok = false;
        }
    }
    const char *pid = NULL, *bid = NULL;
    size_t plen = 0, blen = 0;
    if (sh->idx[DETAIL_COL_PAYER_ID] >= 0) {
        field(w, DETAIL_COL_PAYER_ID, &pid, &plen);
        if (!id_ok(plen)) {
            bad_id(w, rl, DETAIL_COL_PAYER_ID, "is longer than 64 characters");
            ok = false;
        }
    }
    if (sh->idx[DETAIL_COL_BENEFICIARY_ID] >= 0) {
        field(w, DETAIL_COL_BENEFICIARY_ID, &bid, &blen);
        if (!id_ok(blen)) {
            bad_id(w, rl, DETAIL_COL_BENEFICIARY_ID,
                   "is longer than 64 characters");
            ok = false;
        }
    }
    bool sci = false;
    if (pid != NULL && id_sci(pid, plen)) {
        bad_id(w, rl, DETAIL_COL_PAYER_ID, EXCEL_SCI_ID);
        sci = true;
    }
    if (bid != NULL && id_sci(bid, blen)) {
        bad_id(w, rl, DETAIL_COL_BENEFICIARY_ID, EXCEL_SCI_ID);
        sci = true;
    }
    if (sci)
        return false;
    /* the last 8 characters (birth date, sequence) nearly always differ */
    if (pid != NULL && bid != NULL && plen == blen && plen > 0 &&
        (plen < 8 ||
         detail_load64(pid + plen - 8) == detail_load64(bid + blen - 8)) &&
        memcmp(pid, bid, plen) == 0) {
        bad_id(w, rl, DETAIL_COL_BENEFICIARY_ID,
               "is also the payer_id: nobody shares with themselves");
        ok = false;
    }
    return ok;
}

static void __attribute__((cold, noinline))
cell_overflow(struct detail_worker *w, unsigned long rl, int yyyymm, int area)
{
    char per[PERIOD_LABEL_MAX];
    add_problem(w, DIAG_ERROR, DIAG_DATA, rl, 0,
                "the sums of (%s, %06d) overflow 64 bits",
                period_format(per, sizeof(per), period_of_yyyymm(yyyymm)),
                area);
}

/* Validate and aggregate the row the scanner holds; rl = its chunk line. */
static void
row(struct detail_worker *w, unsigned long rl)
{
    const char *s;
    size_t len;
    bool bad = false;

    if (w->sc.nfields != w->sh->nfields) {
        row_fields_mismatch(w, rl);
        return;
    }

    int yyyymm = 0;
    field(w, DETAIL_COL_SETTLE_TIME, &s, &len);
    int rc = time_cached(w, s, len, &yyyymm);
    if (rc < 0) {
        if (is_header_row(w))
            return;
        bad_time(w, rl, rc);
        bad = true;
    }
    w->rows++;

    int pa = 0, ba = 0, use, rel;
    if (!row_areas(w, rl, &pa, &ba))
        bad = true;
    if (!row_codes(w, rl, &use, &rel))
        bad = true;

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
        blk = detail_cells_block(&w->tab, detail_cells_key(yyyymm, pa));
        sub = detail_cells_sub(scope, use, rel);
        __builtin_prefetch(w->tab.b[blk].c[sub], 1);
        __builtin_prefetch(&w->tab.m[blk].touched, 1);
    }

    int64_t fen = 0;
    if (!row_amount(w, rl, &fen))
        bad = true;
    if (!row_ids(w, rl))
        bad = true;

    if (bad || w->errors > 0)
        return; /* keep validating; the file is rejected anyway */
    if (detail_cells_add(&w->tab, blk, sub, fen < 0 ? -1 : 1, fen,
                         w->chunk << 32 | rl, false) < 0)
        cell_overflow(w, rl, yyyymm, pa);
}

/* ---------------------------------------------------------------------------
 * A chunk
 */

static void __attribute__((cold, noinline))
syntax_error(struct detail_worker *w, const struct scan_error *se)
{
    char q[128];
    size_t f = se->field;
    bool personal = false;
    for (int c = 0; c < DETAIL_COL_N; c++)
        if (detail_cols_personal(c) && w->sh->idx[c] >= 0 &&
            (size_t)w->sh->idx[c] == f)
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

void
detail_row_parse_chunk(struct detail_worker *w, size_t len, bool overlong)
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
