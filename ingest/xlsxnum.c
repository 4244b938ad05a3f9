/* SPDX-License-Identifier: MIT */
#include "ingest/xlsxnum.h"

#include <stdio.h>
#include <string.h>

#include "common/sbuf.h"

/*
 * A number as its significant digits and a decimal exponent: the value is
 * digits × 10^exp, digits without leading zeros ("" for zero).
 */
struct decimal {
    char digits[XLSXNUM_DIGITS + 2];
    size_t n;
    long exp;
    bool neg;
};

static bool
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Parse and round half up to XLSXNUM_DIGITS significant digits. */
static bool
decimal_parse(struct decimal *d, const char *v, size_t len)
{
    size_t i = 0, ndig = 0;
    long exp = 0, point_shift = 0;
    bool any = false, round_up = false;

    memset(d, 0, sizeof(*d));
    if (i < len && (v[i] == '+' || v[i] == '-'))
        d->neg = v[i++] == '-';
    for (bool point = false; i < len; i++) {
        if (v[i] == '.' && !point) {
            point = true;
            continue;
        }
        if (!is_digit(v[i]))
            break;
        any = true;
        if (point)
            point_shift--;
        if (ndig == 0 && v[i] == '0')
            continue; /* a leading zero */
        if (ndig < XLSXNUM_DIGITS)
            d->digits[ndig] = v[i];
        else if (ndig == XLSXNUM_DIGITS)
            round_up = v[i] >= '5';
        if (ndig >= XLSXNUM_DIGITS)
            point_shift++; /* a digit dropped: one place more */
        ndig++;
    }
    if (!any)
        return false;
    if (i < len && (v[i] == 'e' || v[i] == 'E')) {
        bool eneg = false, edig = false;
        long e = 0;
        i++;
        if (i < len && (v[i] == '+' || v[i] == '-'))
            eneg = v[i++] == '-';
        for (; i < len && is_digit(v[i]); i++) {
            edig = true;
            if (e < 100000)
                e = e * 10 + (v[i] - '0');
        }
        if (!edig)
            return false;
        exp = eneg ? -e : e;
    }
    if (i != len)
        return false;
    d->n = ndig < XLSXNUM_DIGITS ? ndig : XLSXNUM_DIGITS;
    d->exp = exp + point_shift;
    if (round_up) {
        size_t k = d->n;
        while (k > 0 && d->digits[k - 1] == '9')
            d->digits[--k] = '0';
        if (k > 0) {
            d->digits[k - 1]++;
        } else { /* 999...9 → 1000...0: one digit more, dropped again */
            memmove(d->digits + 1, d->digits, d->n - 1);
            d->digits[0] = '1';
            d->exp++;
        }
    }
    while (d->n > 0 && d->digits[d->n - 1] == '0') { /* trailing zeros */
        d->n--;
        d->exp++;
    }
    if (d->n == 0)
        d->neg = false;
    return true;
}

bool
xlsxnum_text(struct sbuf *out, const char *v, size_t len)
{
    struct decimal d;

    if (!decimal_parse(&d, v, len))
        return false;
    if (d.n == 0) {
        sbuf_addch(out, '0');
        return true;
    }
    long intdig = (long)d.n + d.exp; /* digits before the point */
    if (intdig > XLSXNUM_DIGITS || -d.exp > XLSXNUM_MAX_DECIMALS)
        return false;
    if (d.neg)
        sbuf_addch(out, '-');
    if (intdig <= 0) {
        sbuf_addstr(out, "0.");
        for (long k = intdig; k < 0; k++)
            sbuf_addch(out, '0');
        sbuf_add(out, d.digits, d.n);
    } else if (d.exp >= 0) {
        sbuf_add(out, d.digits, d.n);
        for (long k = 0; k < d.exp; k++)
            sbuf_addch(out, '0');
    } else {
        sbuf_add(out, d.digits, (size_t)intdig);
        sbuf_addch(out, '.');
        sbuf_add(out, d.digits + intdig, d.n - (size_t)intdig);
    }
    return true;
}

/* The civil date of a day count from 1970-01-01 (H. Hinnant's algorithm). */
static void
civil_from_days(long long z, int *y, int *m, int *dd)
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    *dd = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

bool
xlsxnum_date(struct sbuf *out, const char *v, size_t len, bool date1904,
             enum xlsxnum_kind kind)
{
    struct sbuf t = SBUF_INIT;
    bool ok = false;

    if (!xlsxnum_text(&t, v, len) || t.buf[0] == '-')
        goto out;
    const char *dot = strchr(t.buf, '.');
    size_t ilen = dot != NULL ? (size_t)(dot - t.buf) : t.len;
    if (ilen > 7)
        goto out;
    long long serial = 0;
    for (size_t i = 0; i < ilen; i++)
        serial = serial * 10 + (t.buf[i] - '0');
    /* the fraction of a day, to the nearest second (12 digits are plenty) */
    long long frac = 0, scale = 1;
    for (size_t i = ilen + 1;
         dot != NULL && i < t.len && scale < 1000000000000LL; i++) {
        frac = frac * 10 + (t.buf[i] - '0');
        scale *= 10;
    }
    long long secs = (frac * 86400 + scale / 2) / scale;
    if (secs >= 86400) {
        secs -= 86400;
        serial++;
    }
    if (date1904)
        serial += 1462;
    if (serial < 1 || serial == 60 || serial > 2958465)
        goto out;
    long long days = serial - (serial < 60 ? 25568 : 25569);
    int y, m, d;
    civil_from_days(days, &y, &m, &d);
    if (kind == XLSXNUM_MONTH) {
        sbuf_addf(out, "%04d-%02d", y, m);
        ok = true;
        goto out;
    }
    sbuf_addf(out, "%04d-%02d-%02d", y, m, d);
    if (secs > 0)
        sbuf_addf(out, " %02lld:%02lld:%02lld", secs / 3600, secs / 60 % 60,
                  secs % 60);
    ok = true;
out:
    sbuf_release(&t);
    return ok;
}
