/* SPDX-License-Identifier: MIT */
#include "report/numfmt.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>

#include "common/diag.h"
#include "common/money.h"

#define WAN INT64_C(10000)
#define YI  INT64_C(100000000)

__extension__ typedef __int128 i128;

static uint64_t
mag(int64_t v)
{
    return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

enum unit
numfmt_pt_unit(int64_t pt)
{
    uint64_t m = mag(pt);
    return m >= (uint64_t)YI    ? UNIT_YI
           : m >= (uint64_t)WAN ? UNIT_WAN
                                : UNIT_ONE;
}

enum unit
numfmt_amount_unit(int64_t fen)
{
    uint64_t m = mag(fen);
    return m >= (uint64_t)YI * 100    ? UNIT_YI
           : m >= (uint64_t)WAN * 100 ? UNIT_WAN
                                      : UNIT_ONE;
}

int64_t
numfmt_pt_hundredths(int64_t pt, enum unit u)
{
    switch (u) {
    case UNIT_YI:
        return fx_round_div(pt, YI / 100);
    case UNIT_WAN:
        return fx_round_div(pt, WAN / 100);
    case UNIT_ONE:
        break;
    }
    return pt * 100;
}

int64_t
numfmt_amount_hundredths(int64_t fen, enum unit u)
{
    switch (u) {
    case UNIT_YI:
        return fx_round_div(fen, YI);
    case UNIT_WAN:
        return fx_round_div(fen, WAN);
    case UNIT_ONE:
        break;
    }
    return fen;
}

int
numfmt_hundredths(char *buf, size_t len, int64_t h)
{
    uint64_t m = mag(h);
    return snprintf(buf, len, "%s%" PRIu64 ".%02" PRIu64, h < 0 ? "-" : "",
                    m / 100, m % 100);
}

int
numfmt_pt(char *buf, size_t len, int64_t pt, enum unit u)
{
    if (u == UNIT_ONE)
        return snprintf(buf, len, "%" PRId64, pt);
    return numfmt_hundredths(buf, len, numfmt_pt_hundredths(pt, u));
}

int
numfmt_amount(char *buf, size_t len, int64_t fen, enum unit u)
{
    return numfmt_hundredths(buf, len, numfmt_amount_hundredths(fen, u));
}

const char *
numfmt_pt_suffix(enum unit u)
{
    return u == UNIT_YI ? "亿人次" : u == UNIT_WAN ? "万人次" : "人次";
}

const char *
numfmt_amount_suffix(enum unit u)
{
    return u == UNIT_YI ? "亿元" : u == UNIT_WAN ? "万元" : "元";
}

int
numfmt_pt_auto(char *buf, size_t len, int64_t pt)
{
    char num[32];
    enum unit u = numfmt_pt_unit(pt);
    numfmt_pt(num, sizeof(num), pt, u);
    return snprintf(buf, len, "%s%s", num, numfmt_pt_suffix(u));
}

int
numfmt_amount_auto(char *buf, size_t len, int64_t fen)
{
    char num[32];
    enum unit u = numfmt_amount_unit(fen);
    numfmt_amount(num, sizeof(num), fen, u);
    return snprintf(buf, len, "%s%s", num, numfmt_amount_suffix(u));
}

static int64_t
pow10_digits(int digits)
{
    if (digits < 0 || digits > NUMFMT_MAX_DIGITS)
        BUG("numfmt: %d decimals", digits);
    int64_t p = 1;
    while (digits-- > 0)
        p *= 10;
    return p;
}

int64_t
numfmt_scaled(int64_t v, int64_t per, int digits)
{
    int64_t p = pow10_digits(digits);
    if (per <= 0 || per % p != 0)
        BUG("numfmt_scaled: %" PRId64 " per unit at %d decimals", per, digits);
    return fx_round_div(v, per / p);
}

int
numfmt_decimals(char *buf, size_t len, int64_t s, int digits)
{
    int64_t p = pow10_digits(digits);
    uint64_t m = mag(s);
    if (digits == 0)
        return snprintf(buf, len, "%s%" PRIu64, s < 0 ? "-" : "", m);
    return snprintf(buf, len, "%s%" PRIu64 ".%0*" PRIu64, s < 0 ? "-" : "",
                    m / (uint64_t)p, digits, m % (uint64_t)p);
}

/* n / d rounded half away from zero, d > 0; -1 when it does not fit. */
static int
ratio128(i128 n, i128 d, int64_t *out)
{
    bool neg = n < 0;
    if (neg)
        n = -n;
    i128 q = n / d, r = n % d;
    /* round half away from zero: r >= d - r avoids computing 2r */
    if (r >= d - r)
        q++;
    if (q > (i128)INT64_MAX + neg) /* -2^63 still fits */
        return -1;
    *out = neg ? (int64_t)(-q) : (int64_t)q;
    return 0;
}

int
numfmt_ratio(int64_t num, int64_t den, int64_t scale, int64_t *out)
{
    if (den <= 0 || scale <= 0)
        return -1;
    /* |num| * scale < 2^126: fits in 128 bits */
    return ratio128((i128)num * scale, den, out);
}

int
numfmt_change_pct(int64_t now, int64_t before, int digits, int64_t *out)
{
    int64_t p = pow10_digits(digits);
    if (before <= 0)
        return -1;
    /* |now - before| * 100 * 10^digits < 2^64 * 10^4: fits in 128 bits */
    return ratio128(((i128)now - before) * 100 * p, before, out);
}
