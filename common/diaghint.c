/* SPDX-License-Identifier: MIT */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "common/diag.h"
#include "common/i18n.h"
#include "common/utf8.h"

/* ---------------------------------------------------------------------------
 * Hints
 */

/* The name of an invisible character, or NULL when cp is not one. */
static const char *
invisible_name(unsigned cp)
{
    switch (cp) {
    case 0x00A0:
        return "no-break space";
    case 0x00AD:
        return "soft hyphen";
    case 0x200B:
        return "zero-width space";
    case 0x200C:
        return "zero-width non-joiner";
    case 0x200D:
        return "zero-width joiner";
    case 0x2060:
        return "word joiner";
    case 0x202F:
        return "narrow no-break space";
    case 0x3000:
        return "ideographic (full-width) space";
    case 0xFEFF:
        return "zero-width no-break space, a byte order mark";
    default:
        return cp >= 0x2000 && cp <= 0x200A ? "typographic space" : NULL;
    }
}

/* Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm). */
static void
civil_from_days(long z, long *y, unsigned *m, unsigned *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned long doe = (unsigned long)(z - era * 146097);
    unsigned long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned long mp = (5 * doy + 2) / 153;
    *d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *y = (long)yoe + era * 400 + (*m <= 2);
}

/*
 * "45536" or "45538.43125": an Excel serial of a date from 1927 to 2173
 * (five digits), as "2024-09-01" or "2024-09-03 10:21" into out.
 */
static bool
excel_serial(char *out, size_t outsz, const char *s, size_t len)
{
    size_t i = 0;
    long days = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        days = days * 10 + (s[i++] - '0');
    if (i != 5)
        return false;
    unsigned long num = 0, den = 1;
    if (i < len && s[i] == '.') {
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
            if (den < 1000000000UL) {
                num = num * 10 + (unsigned long)(s[i] - '0');
                den *= 10;
            }
        if (den == 1)
            return false;
    }
    if (i != len)
        return false;
    long y;
    unsigned m, d;
    /* serial 25569 is 1970-01-01 (Excel counts from 1899-12-30 past 60) */
    civil_from_days(days - 25569, &y, &m, &d);
    if (den == 1) {
        snprintf(out, outsz, "%04ld-%02u-%02u", y, m, d);
    } else {
        unsigned long min = (num * 1440 + den / 2) / den;
        if (min >= 1440)
            min = 1439;
        snprintf(out, outsz, "%04ld-%02u-%02u %02lu:%02lu", y, m, d, min / 60,
                 min % 60);
    }
    return true;
}

/* "3.30102E+17", "1E+15": how Excel shows a long number in a narrow column. */
static bool
scientific(const char *s, size_t len)
{
    size_t i = 0, n;
    if (i < len && s[i] == '-')
        i++;
    for (n = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++)
        n++;
    if (n == 0)
        return false;
    if (i < len && s[i] == '.') {
        for (i++, n = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++)
            n++;
        if (n == 0)
            return false;
    }
    if (i >= len || (s[i] != 'E' && s[i] != 'e'))
        return false;
    i++;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        i++;
    for (n = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++)
        n++;
    return n > 0 && i == len;
}

/* "#DIV/0!", "#N/A", ...: the value Excel shows for a formula that failed. */
static bool
excel_error(const char *s, size_t len)
{
    static const char *const names[] = {
        "#NULL!", "#DIV/0!", "#VALUE!", "#REF!",         "#NAME?",
        "#NUM!",  "#N/A",    "#SPILL!", "#GETTING_DATA", "#CALC!",
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
            return true;
    return false;
}

const char *
diag_hint(char *out, size_t outsz, const char *s, size_t len, unsigned flags)
{
    char half[64], q[96];
    size_t h = 0;
    bool wide = false, digits = true;

    out[0] = '\0';
    if (excel_error(s, len)) {
        snprintf(out, outsz,
                 _("; it is Excel's error value: the formula in this cell "
                   "failed; correct it in the workbook"));
        return out;
    }
    for (size_t i = 0; i < len;) {
        unsigned cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        const char *inv = invisible_name(cp);
        if (inv != NULL) {
            snprintf(out, outsz,
                     _("; it holds the invisible character U+%04X (%s)"), cp,
                     inv);
            return out;
        }
        if (cp >= 0xFF01 && cp <= 0xFF5E) {
            wide = true;
            cp -= 0xFEE0;
            digits &= cp >= '0' && cp <= '9';
        } else if (cp < 0x80) {
            /* the ASCII around full-width characters */
        } else {
            cp = 0; /* not shown half-width */
        }
        if (h + 1 < sizeof(half) && cp != 0)
            half[h++] = (char)cp;
        i += n;
    }
    if (wide) {
        snprintf(out, outsz,
                 _("; it is written in full-width %s (%s typed "
                   "half-width)"),
                 digits ? "digits" : "characters",
                 diag_quote(q, sizeof(q), half, h));
        return out;
    }
    if (scientific(s, len)) {
        snprintf(out, outsz,
                 _("; Excel shows long numbers in scientific "
                   "notation: format the column as text before saving"));
        return out;
    }
    char date[32];
    if ((flags & DIAG_HINT_DATE) && excel_serial(date, sizeof(date), s, len)) {
        snprintf(out, outsz, _("; an Excel date serial? %s is %s"),
                 diag_quote(q, sizeof(q), s, len), date);
        return out;
    }
    return out;
}

bool
diag_looks_cp1252(const char *buf, size_t len)
{
    const unsigned char *u = (const unsigned char *)buf;
    size_t high = 0;
    for (size_t i = 0; i < len; i++) {
        if (u[i] < 0x80)
            continue;
        if ((i > 0 && u[i - 1] >= 0x80) || (i + 1 < len && u[i + 1] >= 0x80))
            return false; /* a run: a multi-byte encoding, not this one */
        high++;
    }
    return high > 0;
}
