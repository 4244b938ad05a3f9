/* SPDX-License-Identifier: MIT */
#include "common/period.h"

#include <stdio.h>
#include <string.h>

#include "common/diag.h"
#include "common/i18n.h"

/* Read exactly n ASCII digits at s; returns the value or -1. */
static int
digits(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static bool
starts_with(const char *s, size_t len, const char *lit)
{
    size_t n = strlen(lit);
    return len >= n && memcmp(s, lit, n) == 0;
}

/* Read 1 or 2 ASCII digits at *s; advances *s and returns the value or -1. */
static int
small_number(const char **s, const char *end, size_t *ndigits)
{
    size_t n = 0;
    int v = 0;

    while (*s + n < end && n < 3 && (*s)[n] >= '0' && (*s)[n] <= '9') {
        v = v * 10 + ((*s)[n] - '0');
        n++;
    }
    if (n == 0 || n > 2)
        return -1;
    *s += n;
    *ndigits = n;
    return v;
}

/* Skip ASCII blanks and U+3000 (the spaces of "2024 年 9 月"). */
static void
skip_blanks(const char **s, const char *end)
{
    for (;;) {
        if (*s < end && (**s == ' ' || **s == '\t'))
            (*s)++;
        else if (starts_with(*s, (size_t)(end - *s), "\u3000"))
            *s += strlen("\u3000");
        else
            return;
    }
}

/* Consume the literal lit at *s; false (nothing consumed) when absent. */
static bool
eat(const char **s, const char *end, const char *lit)
{
    if (!starts_with(*s, (size_t)(end - *s), lit))
        return false;
    *s += strlen(lit);
    return true;
}

/*
 * The month part after a 4-digit year: r[0..end).  Returns the month (not
 * yet range-checked), -1 when it is not one of the shapes, -2 when it is
 * "2024.1": Excel shows the number 2024.10 as 2024.1, so it may be October
 * as well as January.
 */
static int
month_part(int year, const char *r, const char *end)
{
    size_t nd;
    int month, day;

    if (r == end)
        return -1;
    if (*r == '-' || *r == '/' || *r == '.') {
        char sep = *r++;
        month = small_number(&r, end, &nd);
        if (month < 0)
            return -1;
        if (r == end)
            return sep == '.' && nd == 1 ? -2 : month; /* 2024-09, 2024.09 */
        /* a day of the month: 2024-09-01, 2024/9/1, 2024.09.01 */
        if (*r++ != sep)
            return -1;
        day = small_number(&r, end, &nd);
        if (day < 0 || r != end || month < 1 || month > 12 ||
            !period_valid_date(year, month, day))
            return -1;
        return month;
    }
    if (end - r == 2)
        return digits(r, 2); /* 202409 */
    /* 2024年9月, 2024 年 9 月, 2024年9月1日 */
    skip_blanks(&r, end);
    if (!eat(&r, end, "年"))
        return -1;
    skip_blanks(&r, end);
    month = small_number(&r, end, &nd);
    skip_blanks(&r, end);
    if (month < 0 || !eat(&r, end, "月"))
        return -1;
    if (r == end)
        return month;
    skip_blanks(&r, end);
    day = small_number(&r, end, &nd);
    skip_blanks(&r, end);
    if (day < 0 || !eat(&r, end, "日") || r != end || month < 1 || month > 12 ||
        !period_valid_date(year, month, day))
        return -1;
    return month;
}

int
period_parse(struct period *out, const char *s, size_t len, struct diag *err)
{
    char q[96];
    int year = -1, month = -1;

    if (len >= 4)
        year = digits(s, 4);
    if (year >= 0)
        month = month_part(year, s + 4, s + len);
    if (month == -2)
        return diag_set(err, DIAG_DATA,
                        _("period %s is ambiguous: Excel shows %.4s.10 as "
                          "%.4s.1 (write the month as YYYY-MM)"),
                        diag_quote(q, sizeof(q), s, len), s, s);
    if (year < 0 || month < 0)
        return diag_set(err, DIAG_DATA,
                        _("period %s is not a month (expected YYYY-MM, YYYYMM "
                          "or YYYY年M月)"),
                        diag_quote(q, sizeof(q), s, len));
    if (month < 1 || month > 12 || year < PERIOD_MIN_YEAR ||
        year > PERIOD_MAX_YEAR)
        return diag_set(err, DIAG_DATA,
                        _("period %s is impossible (month 1-12, year %d-%d)"),
                        diag_quote(q, sizeof(q), s, len), PERIOD_MIN_YEAR,
                        PERIOD_MAX_YEAR);
    out->year = year;
    out->month = month;
    return 0;
}

int
period_range_parse(struct period_range *out, const char *s, struct diag *err)
{
    const char *dots = strstr(s, "..");
    size_t len = strlen(s);

    if (dots == NULL) {
        if (period_parse(&out->first, s, len, err) < 0)
            return -1;
        out->last = out->first;
        return 0;
    }
    if (period_parse(&out->first, s, (size_t)(dots - s), err) < 0 ||
        period_parse(&out->last, dots + 2, len - (size_t)(dots - s) - 2, err) <
            0)
        return -1;
    if (period_cmp(out->first, out->last) > 0) {
        char q[96];
        return diag_set(err, DIAG_USAGE,
                        _("period range %s ends before it starts"),
                        diag_quote(q, sizeof(q), s, len));
    }
    return 0;
}

int
period_index(struct period p)
{
    return p.year * 12 + p.month - 1;
}

struct period
period_from_index(int index)
{
    struct period p = {index / 12, index % 12 + 1};
    return p;
}

struct period
period_add(struct period p, int n)
{
    return period_from_index(period_index(p) + n);
}

int
period_cmp(struct period a, struct period b)
{
    int x = period_index(a), y = period_index(b);
    return (x > y) - (x < y);
}

struct period_range
period_year_to_date(struct period p)
{
    struct period_range r = {{p.year, 1}, p};
    return r;
}

bool
period_in_range(struct period p, struct period_range r)
{
    return period_cmp(p, r.first) >= 0 && period_cmp(p, r.last) <= 0;
}

int
period_to_yyyymm(struct period p)
{
    return p.year * 100 + p.month;
}

struct period
period_of_yyyymm(int yyyymm)
{
    struct period p = {yyyymm / 100, yyyymm % 100};
    return p;
}

bool
period_from_yyyymm(int yyyymm, struct period *out)
{
    int y = yyyymm / 100, m = yyyymm % 100;
    if (m < 1 || m > 12 || y < PERIOD_MIN_YEAR || y > PERIOD_MAX_YEAR)
        return false;
    out->year = y;
    out->month = m;
    return true;
}

/*** Days ***/

bool
period_is_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int
period_days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30,
                                 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        BUG("month %d", month);
    return days[month - 1] + (month == 2 && period_is_leap(year));
}

bool
period_valid_date(int year, int month, int day)
{
    return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
           day <= period_days_in_month(year, month);
}

int
period_parse_date(const char *s, size_t len, int *yyyymmdd)
{
    if (len != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    if (y < 0 || m < 0 || d < 0 || !period_valid_date(y, m, d))
        return -1;
    *yyyymmdd = y * 10000 + m * 100 + d;
    return 0;
}

int
period_month_end(struct period p)
{
    return p.year * 10000 + p.month * 100 +
           period_days_in_month(p.year, p.month);
}

long long
period_days_since_epoch(int yyyymmdd)
{
    /* Howard Hinnant's days_from_civil: exact for the proleptic calendar */
    int y = yyyymmdd / 10000, m = yyyymmdd / 100 % 100, d = yyyymmdd % 100;
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (long long)era * 146097 + doe - 719468;
}

/*** Labels ***/

char *
period_format(char *buf, size_t len, struct period p)
{
    snprintf(buf, len, "%04d-%02d", p.year, p.month);
    return buf;
}

char *
period_range_format(char *buf, size_t len, struct period_range r)
{
    if (period_cmp(r.first, r.last) == 0)
        return period_format(buf, len, r.first);
    snprintf(buf, len, "%04d-%02d..%04d-%02d", r.first.year, r.first.month,
             r.last.year, r.last.month);
    return buf;
}

char *
period_label(char *buf, size_t len, struct period p)
{
    snprintf(buf, len, "%d年%d月", p.year, p.month);
    return buf;
}

char *
period_range_label(char *buf, size_t len, struct period_range r)
{
    if (period_cmp(r.first, r.last) == 0)
        return period_label(buf, len, r.first);
    if (r.first.year == r.last.year)
        snprintf(buf, len, "%d年%d-%d月", r.first.year, r.first.month,
                 r.last.month);
    else
        snprintf(buf, len, "%d年%d月-%d年%d月", r.first.year, r.first.month,
                 r.last.year, r.last.month);
    return buf;
}

char *
period_date_format(char *buf, size_t len, int yyyymmdd)
{
    snprintf(buf, len, "%04d-%02d-%02d", yyyymmdd / 10000, yyyymmdd / 100 % 100,
             yyyymmdd % 100);
    return buf;
}

char *
period_date_label(char *buf, size_t len, int yyyymmdd)
{
    snprintf(buf, len, "%d年%d月%d日", yyyymmdd / 10000, yyyymmdd / 100 % 100,
             yyyymmdd % 100);
    return buf;
}
