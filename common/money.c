#include "common/money.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "common/diag.h"

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
                        "%s %s is not a decimal number (no exponents)", what,
                        diag_quote(q, sizeof(q), s, len));
    return diag_set(err, DIAG_DATA, "%s %s is not a decimal number", what,
                    diag_quote(q, sizeof(q), s, len));
}

int
money_parse(const char *s, size_t len, int64_t *fen, const char *what,
            struct diag *err)
{
    char q[96];
    size_t i = 0;
    int neg = 0;
    uint64_t yuan = 0, frac = 0;

    if (len == 0)
        return diag_set(err, DIAG_DATA, "%s is empty", what);
    if (s[0] == '-') {
        neg = 1;
        i = 1;
    }
    const char *dot = memchr(s + i, '.', len - i);
    size_t intlen = dot ? (size_t)(dot - (s + i)) : len - i;
    int rc = parse_grouped_digits(s + i, intlen, &yuan);
    if (rc == -1 || (dot != NULL && len - (size_t)(dot - s) - 1 == 0))
        return not_decimal(err, what, s, len);
    if (dot != NULL) {
        const char *f = dot + 1;
        size_t flen = len - (size_t)(f - s);
        for (size_t k = 0; k < flen; k++)
            if (f[k] < '0' || f[k] > '9')
                return not_decimal(err, what, s, len);
        if (flen > 2)
            return diag_set(err, DIAG_DATA, "%s %s has more than two decimals",
                            what, diag_quote(q, sizeof(q), s, len));
        frac = (uint64_t)(f[0] - '0') * 10;
        if (flen == 2)
            frac += (uint64_t)(f[1] - '0');
    }
    uint64_t total;
    if (rc == -2 || __builtin_mul_overflow(yuan, 100u, &total) ||
        __builtin_add_overflow(total, frac, &total) ||
        total > (uint64_t)INT64_MAX + (uint64_t)neg)
        return diag_set(err, DIAG_DATA, "%s %s is too large", what,
                        diag_quote(q, sizeof(q), s, len));
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
    char q[96];
    uint64_t v;

    if (len == 0)
        return diag_set(err, DIAG_DATA, "%s is empty", what);
    if (s[0] == '-' && len > 1)
        return diag_set(err, DIAG_DATA, "%s %s is negative", what,
                        diag_quote(q, sizeof(q), s, len));
    int rc = parse_grouped_digits(s, len, &v);
    if (rc == -1)
        return diag_set(err, DIAG_DATA, "%s %s is not a whole number", what,
                        diag_quote(q, sizeof(q), s, len));
    if (rc == -2 || v > (uint64_t)INT64_MAX)
        return diag_set(err, DIAG_DATA, "%s %s is too large", what,
                        diag_quote(q, sizeof(q), s, len));
    *out = (int64_t)v;
    return 0;
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
