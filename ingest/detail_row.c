/* SPDX-License-Identifier: MIT */
#include "ingest/detail_row.h"

#include <stdio.h>
#include <string.h>

#include "common/diag.h"
#include "common/i18n.h"
#include "common/money.h"
#include "common/period.h"
#include "common/sbuf.h"
#include "common/utf8.h"
#include "ingest/codes.h"
#include "ingest/csvread.h"
#include "ingest/detail.h"
#include "ingest/detail_cells.h"
#include "ingest/detail_cold.h"
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

int
detail_parse_time(const char *s, size_t len, struct period *out)
{
    int rc = time_strict(s, len, out);
    return rc == -1 ? detail_cold_time_loose(s, len, out) : rc;
}

/* ---------------------------------------------------------------------------
 * Rows (their problems: ingest/detail_cold.c)
 */

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
        rc = detail_cold_time_loose(s, len, &p);
        if (rc == 0)
            *yyyymm = period_to_yyyymm(p);
    }
    return rc;
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
        detail_cold_bad_area(w, line, c, v);
        return -1;
    }
    *out = v;
    return 0;
bad:
    detail_cold_bad_area(w, line, c, -1);
    return -1;
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
/* The code cache of a set read from detail rows. */
static inline unsigned
cache_slot(enum code_set set)
{
    return set == CODESET_USE ? 0 : set == CODESET_RELATION ? 1 : 2;
}

static int __attribute__((noinline))
code_slow(struct detail_worker *w, enum code_set set, const char *s, size_t len)
{
    struct detail_code_cache *cc = &w->cache[cache_slot(set)];
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
    const struct detail_code_cache *cc = &w->cache[cache_slot(set)];
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

static inline bool
id_ok(size_t len)
{
    return len > 0 && len <= DETAIL_ID_MAX;
}

static inline bool
id_sci(const char *s, size_t len)
{
    return len >= 3 && (s[1] == '.' || s[1] == 'E' || s[1] == 'e') &&
           detail_cold_id_sci(s, len);
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
        detail_cold_unknown_area(w, rl, *pa);
    if (parse_area(w, rl, DETAIL_COL_BENEFICIARY_AREA, ba) < 0)
        ok = false;
    return ok;
}

/*
 * use into *use, relation into *rel and channel into *chan; false when
 * bad.  Values the table added (codes_load()) have no cell in a block
 * (ingest/detail_cells.h): they are refused as -3.
 */
static inline __attribute__((always_inline)) bool
row_codes(struct detail_worker *w, unsigned long rl, int *use, int *rel,
          int *chan)
{
    const char *s;
    size_t len;
    bool ok = true;

    field(w, DETAIL_COL_USE, &s, &len);
    *use = code_lookup(w, CODESET_USE, s, len);
    if (*use >= USE_N)
        *use = -3;
    if (*use < 0) {
        detail_cold_bad_code(w, rl, DETAIL_COL_USE, CODESET_USE, *use);
        ok = false;
    }
    *chan = CHANNEL_ACCOUNT;
    if (w->sh->idx[DETAIL_COL_CHANNEL] >= 0) {
        field(w, DETAIL_COL_CHANNEL, &s, &len);
        *chan = code_lookup(w, CODESET_CHANNEL, s, len);
        if (*chan >= CHANNEL_N)
            *chan = -3;
        if (*chan < 0) {
            detail_cold_bad_code(w, rl, DETAIL_COL_CHANNEL, CODESET_CHANNEL,
                                 *chan);
            ok = false;
        }
    }
    *rel = REL_UNSPECIFIED;
    if (w->sh->idx[DETAIL_COL_RELATION] >= 0) {
        field(w, DETAIL_COL_RELATION, &s, &len);
        if (len > 0) {
            *rel = code_lookup(w, CODESET_RELATION, s, len);
            if (*rel >= REL_N)
                *rel = -3;
            if (*rel < 0) {
                detail_cold_bad_code(w, rl, DETAIL_COL_RELATION,
                                     CODESET_RELATION, *rel);
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
    detail_cold_problem(w, DIAG_ERROR, DIAG_DATA, rl,
                        col_of(w, DETAIL_COL_AMOUNT), "%s%s", err.msg,
                        diag_hint(h, sizeof(h), s, len, 0));
    return false;
}

#define EXCEL_SCI_ID                                                           \
    _("is a number in scientific notation: Excel converted the ID column to "  \
      "numbers and the identifiers lost their digits (format the column as "   \
      "text and export again)")

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
            detail_cold_problem(w, DIAG_ERROR, DIAG_DATA, rl,
                                col_of(w, DETAIL_COL_SETTLEMENT_ID),
                                _("settlement_id is empty"));
            ok = false;
        }
    }
    const char *pid = NULL, *bid = NULL;
    size_t plen = 0, blen = 0;
    if (sh->idx[DETAIL_COL_PAYER_ID] >= 0) {
        field(w, DETAIL_COL_PAYER_ID, &pid, &plen);
        if (!id_ok(plen)) {
            detail_cold_bad_id(w, rl, DETAIL_COL_PAYER_ID,
                               "is longer than 64 characters");
            ok = false;
        }
    }
    if (sh->idx[DETAIL_COL_BENEFICIARY_ID] >= 0) {
        field(w, DETAIL_COL_BENEFICIARY_ID, &bid, &blen);
        if (!id_ok(blen)) {
            detail_cold_bad_id(w, rl, DETAIL_COL_BENEFICIARY_ID,
                               "is longer than 64 characters");
            ok = false;
        }
    }
    bool sci = false;
    if (pid != NULL && id_sci(pid, plen)) {
        detail_cold_bad_id(w, rl, DETAIL_COL_PAYER_ID, EXCEL_SCI_ID);
        sci = true;
    }
    if (bid != NULL && id_sci(bid, blen)) {
        detail_cold_bad_id(w, rl, DETAIL_COL_BENEFICIARY_ID, EXCEL_SCI_ID);
        sci = true;
    }
    if (sci)
        return false;
    /* the last 8 characters (birth date, sequence) nearly always differ */
    if (pid != NULL && bid != NULL && plen == blen && plen > 0 &&
        (plen < 8 ||
         detail_load64(pid + plen - 8) == detail_load64(bid + blen - 8)) &&
        memcmp(pid, bid, plen) == 0) {
        detail_cold_bad_id(
            w, rl, DETAIL_COL_BENEFICIARY_ID,
            _("is also the payer_id: nobody shares with themselves"));
        ok = false;
    }
    return ok;
}

/* Validate and aggregate the row the scanner holds; rl = its chunk line. */
static void
row(struct detail_worker *w, unsigned long rl)
{
    const char *s;
    size_t len;
    bool bad = false;

    if (w->sc.nfields != w->sh->nfields) {
        detail_cold_fields_mismatch(w, rl);
        return;
    }

    int yyyymm = 0;
    field(w, DETAIL_COL_SETTLE_TIME, &s, &len);
    int rc = time_cached(w, s, len, &yyyymm);
    if (rc < 0) {
        if (detail_cold_header_row(w))
            return;
        detail_cold_bad_time(w, rl, rc);
        bad = true;
    }
    w->rows++;

    int pa = 0, ba = 0, use, rel, chan;
    if (!row_areas(w, rl, &pa, &ba))
        bad = true;
    if (!row_codes(w, rl, &use, &rel, &chan))
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
        blk = detail_cells_block(&w->tab, detail_cells_key(yyyymm, pa, chan));
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
        detail_cold_cell_overflow(w, rl, yyyymm, pa);
}

/* ---------------------------------------------------------------------------
 * A chunk
 */

void
detail_row_parse_chunk(struct detail_worker *w, size_t len, bool overlong)
{
    struct scan_error se;

    if (overlong) {
        w->syntax = true;
        detail_cold_problem(
            w, DIAG_ERROR, DIAG_FORMAT, 0, 0,
            _("record that began on this line is longer than %u bytes: "
              "is a quote never closed?"),
            CSVREAD_MAX_RECORD);
        return;
    }
    scan_reset(&w->sc, w->buf, len);
    for (;;) {
        int rc = scan_next(&w->sc, &se);
        if (rc == 0)
            break;
        if (rc < 0) {
            detail_cold_syntax_error(w, &se);
            break;
        }
        row(w, w->sc.rec_line);
    }
    w->info.lines = w->sc.line;
}
