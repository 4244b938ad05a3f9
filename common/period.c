#include "common/period.h"

#include <stdio.h>
#include <string.h>

#include "common/diag.h"

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

int
period_parse(struct period *out, const char *s, size_t len, struct diag *err)
{
    char q[96];
    int year = -1, month = -1;
    static const char nian[] = "年", yue[] = "月";

    if (len >= 4)
        year = digits(s, 4);
    if (year >= 0) {
        const char *r = s + 4;
        size_t rl = len - 4;
        if ((rl == 2 || rl == 3) && (r[0] == '-' || r[0] == '/')) {
            month = digits(r + 1, rl - 1); /* 2024-09, 2024-9 */
        } else if (rl == 2) {
            month = digits(r, 2); /* 202409 */
        } else if (starts_with(r, rl, nian)) {
            r += strlen(nian);
            rl -= strlen(nian);
            size_t ul = strlen(yue);
            if (rl > ul && rl <= ul + 2 && memcmp(r + rl - ul, yue, ul) == 0)
                month = digits(r, rl - ul); /* 2024年9月 */
        }
    }
    if (year < 0 || month < 0)
        return diag_set(err, DIAG_DATA,
                        "period %s is not a month (expected YYYY-MM, YYYYMM "
                        "or YYYY年M月)",
                        diag_quote(q, sizeof(q), s, len));
    if (month < 1 || month > 12 || year < PERIOD_MIN_YEAR ||
        year > PERIOD_MAX_YEAR)
        return diag_set(
            err, DIAG_DATA, "period %s is impossible (month 1-12, year %d-%d)",
            diag_quote(q, sizeof(q), s, len), PERIOD_MIN_YEAR, PERIOD_MAX_YEAR);
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
                        "period range %s ends before it starts",
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
