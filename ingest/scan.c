/* SPDX-License-Identifier: MIT */
#include "ingest/scan.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "common/xalloc.h"

/* ---------------------------------------------------------------------------
 * Structural masks
 */

/*
 * SWAR: the high bit of each byte of the result is set where that byte of
 * w equals the byte repeated in `pat`.  Exact (no false positives), unlike
 * the shorter "haszero" trick, because it never borrows across bytes.
 */
static inline uint64_t
swar_eq(uint64_t w, uint64_t pat)
{
    const uint64_t low7 = UINT64_C(0x7F7F7F7F7F7F7F7F);
    uint64_t t = w ^ pat;
    uint64_t y = (t & low7) + low7;
    return ~(y | t | low7);
}

/* Gather the high bits of the 8 bytes of x into 8 bits (byte 0 -> bit 0). */
static inline unsigned
swar_movemask(uint64_t x)
{
    /*
     * Each high bit lands in a distinct position of the product (no two
     * terms share a bit, so nothing carries), and bits 56..63 are exactly
     * the high bits of bytes 0..7.
     */
    return (unsigned)(((x & UINT64_C(0x8080808080808080)) *
                       UINT64_C(0x0002040810204081)) >>
                      56);
}

uint64_t
scan_mask64_portable(const char *p)
{
    const uint64_t comma = UINT64_C(0x2C2C2C2C2C2C2C2C);
    const uint64_t quote = UINT64_C(0x2222222222222222);
    const uint64_t nl = UINT64_C(0x0A0A0A0A0A0A0A0A);
    uint64_t m = 0;

    for (unsigned i = 0; i < 8; i++) {
        uint64_t w;
        memcpy(&w, p + 8 * i, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        w = __builtin_bswap64(w);
#endif
        uint64_t hit = swar_eq(w, comma) | swar_eq(w, quote) | swar_eq(w, nl);
        m |= (uint64_t)swar_movemask(hit) << (8 * i);
    }
    return m;
}

uint64_t
scan_mask64(const char *p)
{
#if defined(__SSE2__)
    const __m128i comma = _mm_set1_epi8(',');
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i nl = _mm_set1_epi8('\n');
    uint64_t m = 0;

    for (unsigned i = 0; i < 4; i++) {
        __m128i v =
            _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i));
        __m128i hit = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, quote)),
            _mm_cmpeq_epi8(v, nl));
        m |= (uint64_t)(uint32_t)_mm_movemask_epi8(hit) << (16 * i);
    }
    return m;
#else
    return scan_mask64_portable(p);
#endif
}

size_t
scan_count_byte(const char *s, size_t len, char c)
{
    size_t n = 0, i = 0;

#if defined(__SSE2__)
    const __m128i pat = _mm_set1_epi8(c);
    const __m128i zero = _mm_setzero_si128();
    while (len - i >= 16) {
        /* a match is -1 in its byte: subtracting counts up to 255 per lane */
        __m128i acc = _mm_setzero_si128();
        size_t stop =
            len - i >= 16 * 255 ? i + 16 * 255 : i + (len - i) / 16 * 16;
        for (; i < stop; i += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(v, pat));
        }
        __m128i sum = _mm_sad_epu8(acc, zero);
        n += (size_t)_mm_cvtsi128_si32(sum) +
             (size_t)_mm_cvtsi128_si32(_mm_srli_si128(sum, 8));
    }
#endif
    for (; i < len; i++)
        n += s[i] == c;
    return n;
}

/* ---------------------------------------------------------------------------
 * Record boundaries
 */

size_t
scan_last_boundary(const char *buf, size_t n)
{
    size_t odd = scan_count_byte(buf, n, '"') & 1;
    size_t i = n;

    /*
     * Walk back over newlines: the quote parity at each is the parity at
     * the end minus the quotes after it.  Usually the last newline is the
     * answer; a quoted newline costs one more step.
     */
    while (i > 0) {
        size_t j = i;
        while (j > 0 && buf[j - 1] != '\n')
            j--;
        if (j == 0)
            return 0;
        odd ^= scan_count_byte(buf + j, i - j, '"') & 1;
        if (!odd)
            return j;
        i = j - 1;
    }
    return 0;
}

size_t
scan_first_boundary(const char *buf, size_t n)
{
    size_t from = 0, odd = 0;
    for (;;) {
        const char *nl = memchr(buf + from, '\n', n - from);
        if (nl == NULL)
            return 0;
        size_t at = (size_t)(nl - buf);
        odd ^= scan_count_byte(buf + from, at - from, '"') & 1;
        if (!odd)
            return at + 1;
        from = at + 1;
    }
}

/* ---------------------------------------------------------------------------
 * The scanner
 */

/* The mask of the block at off, which may run past the end of the buffer. */
static inline uint64_t
mask_at(const struct scan *sc, size_t off)
{
    if (sc->len - off >= 64)
        return scan_mask64(sc->buf + off);
    char tail[64];
    memset(tail, 0, sizeof(tail));
    memcpy(tail, sc->buf + off, sc->len - off);
    return scan_mask64(tail);
}

/* The position of the next structural byte, or sc->len when none is left. */
static inline size_t
next_struct(struct scan *sc)
{
    while (sc->mask == 0) {
        sc->block += 64;
        if (sc->block >= sc->len) {
            sc->block = sc->len; /* stays here: no overflow on repeated calls */
            return sc->len;
        }
        sc->mask = mask_at(sc, sc->block);
    }
    size_t p = sc->block + (size_t)__builtin_ctzll(sc->mask);
    sc->mask &= sc->mask - 1;
    return p;
}

void
scan_reset(struct scan *sc, char *buf, size_t len)
{
    sc->buf = buf;
    sc->len = len;
    sc->pos = 0;
    sc->block = 0;
    sc->mask = len > 0 ? mask_at(sc, 0) : 0;
    sc->line = 0;
    sc->line_start = 0;
    sc->nfields = 0;
    sc->rec_line = 0;
}

void
scan_init(struct scan *sc, char *buf, size_t len)
{
    sc->fields = NULL;
    sc->falloc = 0;
    scan_reset(sc, buf, len);
}

void
scan_release(struct scan *sc)
{
    free(sc->fields);
    sc->fields = NULL;
    sc->falloc = 0;
}

static inline void
push(struct scan *sc, const char *s, size_t len)
{
    if (sc->nfields == sc->falloc) {
        sc->falloc = sc->falloc ? 2 * sc->falloc : 16;
        sc->fields = xreallocarray(sc->fields, sc->falloc, sizeof(*sc->fields));
    }
    sc->fields[sc->nfields].s = s;
    sc->fields[sc->nfields].len = len;
    sc->nfields++;
}

static int
fail(struct scan *sc, struct scan_error *err, enum scan_error_kind kind,
     size_t at, size_t fstart, unsigned long field_line)
{
    err->kind = kind;
    err->line = sc->line;
    err->rec_line = sc->rec_line;
    err->field_line = field_line;
    err->field = sc->nfields;
    err->byte = at >= sc->line_start ? at - sc->line_start + 1 : 1;
    err->text = sc->buf + fstart;
    err->text_len = (at < sc->len ? at + 1 : sc->len) - fstart;
    sc->pos = sc->len; /* nothing more from this buffer */
    sc->mask = 0;
    sc->block = sc->len;
    return -1;
}

/*
 * The quoted field whose opening quote is at `open`.  On success the field
 * has been pushed and *next is where the following field starts, or
 * SIZE_MAX when the record ended (sc->pos is then set).
 */
static int
quoted(struct scan *sc, size_t open, size_t *next, struct scan_error *err)
{
    unsigned long field_line = sc->line;
    bool escaped = false;

    for (;;) {
        size_t q = next_struct(sc);
        if (q >= sc->len)
            return fail(sc, err, SCAN_ERR_UNTERMINATED, sc->len, open,
                        field_line);
        char d = sc->buf[q];
        if (d == '\n') {
            sc->line++;
            sc->line_start = q + 1;
            continue;
        }
        if (d == ',')
            continue;
        if (q + 1 < sc->len && sc->buf[q + 1] == '"') {
            (void)next_struct(sc); /* the second quote of "" */
            escaped = true;
            continue;
        }
        /* the closing quote */
        char *s = sc->buf + open + 1;
        size_t len = q - open - 1;
        if (escaped) {
            size_t w = 0;
            for (size_t r = 0; r < len; r++) {
                s[w++] = s[r];
                if (s[r] == '"')
                    r++; /* "" -> " */
            }
            len = w;
        }
        size_t a = q + 1;
        if (a >= sc->len) {
            push(sc, s, len);
            sc->pos = sc->len;
            *next = SIZE_MAX;
            return 0;
        }
        char c = sc->buf[a];
        if (c == ',') {
            (void)next_struct(sc);
            push(sc, s, len);
            *next = a + 1;
            return 0;
        }
        size_t nl = a;
        if (c == '\r' && a + 1 < sc->len && sc->buf[a + 1] == '\n')
            nl = a + 1;
        else if (c == '\r' && a + 1 == sc->len)
            nl = sc->len; /* a final CR without its LF */
        if (nl < sc->len && sc->buf[nl] == '\n') {
            (void)next_struct(sc);
            push(sc, s, len);
            sc->line++;
            sc->line_start = nl + 1;
            sc->pos = nl + 1;
            *next = SIZE_MAX;
            return 0;
        }
        if (nl == sc->len) {
            push(sc, s, len);
            sc->pos = sc->len;
            *next = SIZE_MAX;
            return 0;
        }
        return fail(sc, err, SCAN_ERR_AFTER_QUOTE, a, open, field_line);
    }
}

int
scan_next(struct scan *sc, struct scan_error *err)
{
    for (;;) {
        if (sc->pos >= sc->len)
            return 0;
        size_t fstart = sc->pos;
        bool any_quoted = false;
        sc->nfields = 0;
        sc->rec_line = sc->line;
        for (;;) {
            size_t p = next_struct(sc);
            if (p >= sc->len) {
                /* the last record has no line end */
                size_t end = sc->len;
                if (end > fstart && sc->buf[end - 1] == '\r')
                    end--;
                push(sc, sc->buf + fstart, end - fstart);
                sc->pos = sc->len;
                break;
            }
            char c = sc->buf[p];
            if (c == ',') {
                push(sc, sc->buf + fstart, p - fstart);
                fstart = p + 1;
                continue;
            }
            if (c == '\n') {
                size_t end = p;
                if (end > fstart && sc->buf[end - 1] == '\r')
                    end--;
                push(sc, sc->buf + fstart, end - fstart);
                sc->line++;
                sc->line_start = p + 1;
                sc->pos = p + 1;
                break;
            }
            /* a quote: only allowed as the first byte of a field */
            if (p != fstart)
                return fail(sc, err, SCAN_ERR_QUOTE_IN_FIELD, p, fstart,
                            sc->line);
            size_t next;
            if (quoted(sc, p, &next, err) < 0)
                return -1;
            any_quoted = true;
            if (next == SIZE_MAX)
                break;
            fstart = next;
        }
        if (sc->nfields == 1 && sc->fields[0].len == 0 && !any_quoted)
            continue; /* an empty line */
        return 1;
    }
}
