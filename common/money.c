/* SPDX-License-Identifier: MIT */
#include "common/money.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "common/diag.h"
#include "common/i18n.h"

__extension__ typedef __int128 i128;

/*
 * Check the integer part s[0..len) for digits with optional, well-formed
 * thousands separators, and accumulate it into *acc (unsigned, checked).
 * Returns 0, -1 for a malformed number, -2 for overflow.  The whole field is
 * checked before overflow is reported, so "99999999999999999999x" is
 * malformed, not too large.  A grouped number does not start with 0:
 * "0,123" is more likely a decimal comma than 123.
 */
static int
parse_grouped_digits(const char *s, size_t len, uint64_t *acc)
{
    size_t first_comma = len, digits_since = 0, ngroups = 0;
    uint64_t v = 0;
    bool overflow = false;

    if (len == 0)
        return -1;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == ',') {
            /* first group 1-3 digits, then exactly 3 between commas */
            if (ngroups == 0) {
                if (digits_since == 0 || digits_since > 3)
                    return -1;
                first_comma = i;
            } else if (digits_since != 3) {
                return -1;
            }
            ngroups++;
            digits_since = 0;
            continue;
        }
        if (c < '0' || c > '9')
            return -1;
        digits_since++;
        if (__builtin_mul_overflow(v, 10u, &v) ||
            __builtin_add_overflow(v, (uint64_t)(c - '0'), &v))
            overflow = true;
    }
    if (ngroups > 0 && (digits_since != 3 || s[0] == '0'))
        return -1;
    (void)first_comma;
    if (overflow)
        return -2;
    *acc = v;
    return 0;
}

/* The message for a field that is not -?digits(.dd)? */
static int
not_decimal(struct diag *err, const char *what, const char *s, size_t len)
{
    char q[96];

    if (memchr(s, 'e', len) || memchr(s, 'E', len))
        return diag_set(err, DIAG_DATA,
                        _("%s %s is not a decimal number (no exponents)"), what,
                        diag_quote(q, sizeof(q), s, len));
    return diag_set(err, DIAG_DATA, _("%s %s is not a decimal number"), what,
                    diag_quote(q, sizeof(q), s, len));
}

/* 10^n for n in 0..19 (10^19 still fits in uint64_t). */
static uint64_t
pow10_u64(int n)
{
    uint64_t p = 1;
    while (n-- > 0)
        p *= 10;
    return p;
}

/*
 * The decimal number s[0..len) times 10^keep as an unsigned magnitude, when
 * that is a whole number: `-?digits(.digits)?` with optional thousands
 * separators in the integer part, any number of decimals as long as those
 * past `keep` are zeros (so "218080.00" is the whole 218080 and 1.2345 万元
 * is exactly 12345 yuan).  Returns 0, PARSE_MALFORMED, PARSE_INEXACT (a
 * non-zero digit past `keep`) or PARSE_OVERFLOW (more than UINT64_MAX; the
 * caller checks its own, smaller limit).  *neg tells a leading '-'.
 */
enum { PARSE_MALFORMED = -1, PARSE_OVERFLOW = -2, PARSE_INEXACT = -3 };

static int
parse_scaled(const char *s, size_t len, int keep, uint64_t *mag, bool *neg)
{
    size_t i = 0;
    uint64_t ip = 0, frac = 0;

    *neg = false;
    if (len > 0 && s[0] == '-') {
        *neg = true;
        i = 1;
    }
    const char *dot = memchr(s + i, '.', len - i);
    size_t intlen = dot ? (size_t)(dot - (s + i)) : len - i;
    int rc = parse_grouped_digits(s + i, intlen, &ip);
    if (rc == -1)
        return PARSE_MALFORMED;
    bool inexact = false;
    size_t flen = 0;
    if (dot != NULL) {
        const char *f = dot + 1;
        flen = len - (size_t)(f - s);
        if (flen == 0)
            return PARSE_MALFORMED;
        for (size_t k = 0; k < flen; k++) {
            if (f[k] < '0' || f[k] > '9')
                return PARSE_MALFORMED;
            if (k < (size_t)keep)
                frac = frac * 10 + (uint64_t)(f[k] - '0');
            else if (f[k] != '0')
                inexact = true;
        }
    }
    if (inexact)
        return PARSE_INEXACT;
    /* pad the kept decimals to exactly `keep` digits */
    for (size_t k = flen; k < (size_t)keep; k++)
        frac *= 10;
    uint64_t total;
    if (rc == -2 || __builtin_mul_overflow(ip, pow10_u64(keep), &total) ||
        __builtin_add_overflow(total, frac, &total))
        return PARSE_OVERFLOW;
    *mag = total;
    return 0;
}

/* " in 万元" after a quoted value, or nothing when there is no unit. */
static const char *
unit_in(char *buf, size_t len, const char *unit)
{
    if (unit == NULL)
        return "";
    snprintf(buf, len, " in %s", unit);
    return buf;
}

int
money_parse(const char *s, size_t len, int64_t *fen, const char *what,
            struct diag *err)
{
    return money_parse_scaled(s, len, 0, NULL, fen, what, err);
}

int
money_parse_scaled(const char *s, size_t len, int exp10, const char *unit,
                   int64_t *fen, const char *what, struct diag *err)
{
    char q[96], in[64];
    uint64_t total;
    bool neg;

    if (exp10 < 0 || exp10 > MONEY_MAX_EXP10)
        BUG("money_parse_scaled: exp10 %d", exp10);
    if (len == 0)
        return diag_set(err, DIAG_DATA, _("%s is empty"), what);
    int rc = parse_scaled(s, len, exp10 + 2, &total, &neg);
    if (rc == PARSE_MALFORMED)
        return not_decimal(err, what, s, len);
    if (rc == PARSE_INEXACT && exp10 == 0)
        return diag_set(err, DIAG_DATA, _("%s %s has more than two decimals"),
                        what, diag_quote(q, sizeof(q), s, len));
    if (rc == PARSE_INEXACT)
        return diag_set(err, DIAG_DATA,
                        _("%s %s%s has more than %d decimals: it is not a "
                          "whole number of fen"),
                        what, diag_quote(q, sizeof(q), s, len),
                        unit_in(in, sizeof(in), unit), exp10 + 2);
    if (rc == PARSE_OVERFLOW || total > (uint64_t)INT64_MAX + (uint64_t)neg)
        return diag_set(err, DIAG_DATA, _("%s %s%s is too large"), what,
                        diag_quote(q, sizeof(q), s, len),
                        unit_in(in, sizeof(in), unit));
    if (neg)
        *fen = total == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)total;
    else
        *fen = (int64_t)total;
    return 0;
}

int
count_parse(const char *s, size_t len, int64_t *out, const char *what,
            struct diag *err)
{
    return count_parse_scaled(s, len, 0, NULL, out, what, err);
}

int
count_parse_scaled(const char *s, size_t len, int exp10, const char *unit,
                   int64_t *out, const char *what, struct diag *err)
{
    char q[96], in[64];
    uint64_t v;
    bool neg;

    if (exp10 < 0 || exp10 > MONEY_MAX_EXP10)
        BUG("count_parse_scaled: exp10 %d", exp10);
    if (len == 0)
        return diag_set(err, DIAG_DATA, _("%s is empty"), what);
    if (s[0] == '-' && len > 1)
        return diag_set(err, DIAG_DATA, _("%s %s is negative"), what,
                        diag_quote(q, sizeof(q), s, len));
    int rc = parse_scaled(s, len, exp10, &v, &neg);
    if (rc == PARSE_MALFORMED || (rc == PARSE_INEXACT && exp10 == 0))
        return diag_set(err, DIAG_DATA, _("%s %s is not a whole number"), what,
                        diag_quote(q, sizeof(q), s, len));
    if (rc == PARSE_INEXACT)
        return diag_set(err, DIAG_DATA,
                        _("%s %s%s is not a whole number (more than %d "
                          "decimals)"),
                        what, diag_quote(q, sizeof(q), s, len),
                        unit_in(in, sizeof(in), unit), exp10);
    if (rc == PARSE_OVERFLOW || v > (uint64_t)INT64_MAX)
        return diag_set(err, DIAG_DATA, _("%s %s%s is too large"), what,
                        diag_quote(q, sizeof(q), s, len),
                        unit_in(in, sizeof(in), unit));
    *out = (int64_t)v;
    return 0;
}

/* Does s[0..len) start (end) with the string lit? */
static bool
has_prefix(const char *s, size_t len, const char *lit)
{
    size_t n = strlen(lit);
    return len >= n && memcmp(s, lit, n) == 0;
}

static bool
has_suffix(const char *s, size_t len, const char *lit)
{
    size_t n = strlen(lit);
    return len >= n && memcmp(s + len - n, lit, n) == 0;
}

/* Length of a blank at s (ASCII space or tab, U+3000, U+00A0), or 0. */
static size_t
blank_at(const char *s, size_t len)
{
    if (len >= 1 && (s[0] == ' ' || s[0] == '\t'))
        return 1;
    if (has_prefix(s, len, "\u3000"))
        return 3;
    if (has_prefix(s, len, "\u00a0"))
        return 2;
    return 0;
}

static size_t
blank_before(const char *s, size_t len)
{
    if (len >= 1 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        return 1;
    if (has_suffix(s, len, "\u3000"))
        return 3;
    if (has_suffix(s, len, "\u00a0"))
        return 2;
    return 0;
}

int
money_normalize(const char *s, size_t len, unsigned flags, char *buf,
                size_t cap)
{
    size_t n, o = 0;

    while ((n = blank_at(s, len)) > 0) {
        s += n;
        len -= n;
    }
    while ((n = blank_before(s, len)) > 0)
        len -= n;
    if (len > 0 && s[0] == '\'') {
        s++;
        len--;
    }
    if (flags & MONEY_NORM_CURRENCY) {
        if (has_suffix(s, len, "元"))
            len -= strlen("元");
        bool neg = len > 0 && s[0] == '-';
        const char *c = s + neg;
        size_t cl = len - neg;
        size_t sym = has_prefix(c, cl, "￥")  ? strlen("￥")
                     : has_prefix(c, cl, "¥") ? strlen("¥")
                                              : 0;
        if (sym > 0 && neg) {
            if (cap < 1)
                return -1;
            buf[o++] = '-';
        }
        if (sym > 0) {
            s = c + sym;
            len = cl - sym;
        }
    }
    for (size_t i = 0; i < len;) {
        char c = s[i];
        /* U+FF0C..U+FF19 are EF BC 8C..99: ，－．／０..９ */
        if ((unsigned char)c == 0xef && i + 2 < len &&
            (unsigned char)s[i + 1] == 0xbc) {
            unsigned char t = (unsigned char)s[i + 2];
            if ((t >= 0x90 && t <= 0x99) || t == 0x8c || t == 0x8d ||
                t == 0x8e) {
                c = (char)(t - 0x90 + '0');
                if (t == 0x8c)
                    c = ',';
                else if (t == 0x8d)
                    c = '-';
                else if (t == 0x8e)
                    c = '.';
                i += 2;
            }
        }
        if (o == cap)
            return -1;
        buf[o++] = c;
        i++;
    }
    return (int)o;
}

/* Magnitude of fen as unsigned, safe for INT64_MIN. */
static uint64_t
magnitude(int64_t v)
{
    return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

int
money_format(char *buf, size_t len, int64_t fen)
{
    uint64_t m = magnitude(fen);
    return snprintf(buf, len, "%s%" PRIu64 ".%02" PRIu64, fen < 0 ? "-" : "",
                    m / 100, m % 100);
}

int
money_format_grouped(char *buf, size_t len, int64_t fen)
{
    char digits[32], grouped[48];
    uint64_t m = magnitude(fen);
    int n = snprintf(digits, sizeof(digits), "%" PRIu64, m / 100);
    size_t o = 0;

    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            grouped[o++] = ',';
        grouped[o++] = digits[i];
    }
    grouped[o] = '\0';
    return snprintf(buf, len, "%s%s.%02" PRIu64, fen < 0 ? "-" : "", grouped,
                    m % 100);
}

int64_t
fx_round_div(int64_t num, int64_t den)
{
    if (den <= 0)
        BUG("fx_round_div: denominator %" PRId64, den);
    uint64_t m = magnitude(num), d = (uint64_t)den;
    uint64_t q = m / d, r = m % d;
    /* round half away from zero: r >= d - r avoids computing 2r */
    if (r >= d - r)
        q++;
    if (num >= 0 || q == 0)
        return (int64_t)q;
    /* q may be 2^63 (INT64_MIN / 1): negate without overflowing */
    return -(int64_t)(q - 1) - 1;
}

int
fx_ratio_bp(int64_t num, int64_t den, int64_t *bp)
{
    if (den == 0)
        return -1;
    i128 n = (i128)num * 10000;
    i128 d = den;
    int neg = (n < 0) != (d < 0);
    if (n < 0)
        n = -n;
    if (d < 0)
        d = -d;
    i128 q = n / d, r = n % d;
    if (r >= d - r)
        q++;
    if (q > (i128)INT64_MAX + neg) /* -2^63 still fits */
        return -1;
    *bp = (int64_t)(neg ? -q : q);
    return 0;
}

int
fx_add(int64_t a, int64_t b, int64_t *sum)
{
    return __builtin_add_overflow(a, b, sum) ? -1 : 0;
}
