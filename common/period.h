/* SPDX-License-Identifier: MIT */
/*
 * common/period.h - the calendar: months (the one month type, struct
 * period), ranges of months, days, and every label of them.
 *
 * A period is a small value type; all functions are pure.  Data periods
 * run from PERIOD_MIN_YEAR to PERIOD_MAX_YEAR: anything outside is treated
 * as an impossible period (a typo such as "2204-09"), not as data.  The
 * day arithmetic is the proleptic Gregorian calendar for any year.
 *
 * Two encodings exist only at the edges: the store and the packed keys of
 * the aggregation code hold a month as the integer yyyymm (202409,
 * period_to_yyyymm()), and a day as yyyymmdd (20241020).  Every text form,
 * "2024-09" as well as "2024年1-9月", is made here.
 */
#ifndef COMMON_PERIOD_H
#define COMMON_PERIOD_H

#include <stdbool.h>
#include <stddef.h>

struct diag;

#define PERIOD_MIN_YEAR 2000
#define PERIOD_MAX_YEAR 2099

struct period {
    int year;  /* PERIOD_MIN_YEAR..PERIOD_MAX_YEAR */
    int month; /* 1..12 */
};

struct period_range {
    struct period first, last; /* first <= last */
};

/*
 * Parse a month from s[0..len): "2024-09", "2024-9", "202409", "2024/09",
 * "2024.09", "2024年9月", "2024年09月" or "2024 年 9 月" (ASCII blanks or
 * U+3000 around 年 and 月), or a day of it as spreadsheets write dates:
 * "2024-09-01", "2024/9/1", "2024.09.01", "2024年9月1日" (a real day; the
 * month is what counts).  "2024.1" is refused as ambiguous: Excel shows the
 * number 2024.10 that way.  Returns 0, or -1 with err's message set
 * (quoting the value; location is left to the caller).
 */
int period_parse(struct period *out, const char *s, size_t len,
                 struct diag *err);

/*
 * Parse "A" or "A..B" (each as period_parse accepts); B before A is an
 * error.  A single month gives first == last.
 */
int period_range_parse(struct period_range *out, const char *s,
                       struct diag *err);

/* Months since year 0: comparable and subtractable. */
int period_index(struct period p);
struct period period_from_index(int index);

/* p plus n months (n may be negative). */
struct period period_add(struct period p, int n);

int period_cmp(struct period a, struct period b);

/* January to p of p's year: the cumulative period of a bulletin. */
struct period_range period_year_to_date(struct period p);

/* Is the month p in the range r? */
bool period_in_range(struct period p, struct period_range r);

/* Pack as 202409 (what the store keeps) and back. */
int period_to_yyyymm(struct period p);
bool period_from_yyyymm(int yyyymm, struct period *out);

/*
 * The month of a packed key the program made itself (from the store, from
 * period_to_yyyymm()): no check.
 */
struct period period_of_yyyymm(int yyyymm);

/*** Days ***/

bool period_is_leap(int year);

/* Days in month 1..12 of year: 28 to 31. */
int period_days_in_month(int year, int month);

/* Is year-month-day a day of the calendar (year 1 to 9999)? */
bool period_valid_date(int year, int month, int day);

/*
 * Parse "YYYY-MM-DD" (exactly that shape, a real day) from s[0..len) into
 * *yyyymmdd.  Returns 0, or -1 when it is not a date.
 */
int period_parse_date(const char *s, size_t len, int *yyyymmdd);

/* The last day of month p, as yyyymmdd. */
int period_month_end(struct period p);

/* Days since 1970-01-01 of the day yyyymmdd (negative before). */
long long period_days_since_epoch(int yyyymmdd);

/*** Labels: each writes at most len bytes into buf and returns buf ***/

/* Room enough for any label of this file. */
#define PERIOD_LABEL_MAX 48

/* "2024-09" */
char *period_format(char *buf, size_t len, struct period p);

/* "2024-09" for one month, "2024-01..2024-09" for a range */
char *period_range_format(char *buf, size_t len, struct period_range r);

/* "2024年9月" */
char *period_label(char *buf, size_t len, struct period p);

/*
 * "2024年9月" for one month, "2024年1-9月" within a year,
 * "2023年11月-2024年2月" across years (DESIGN §6).
 */
char *period_range_label(char *buf, size_t len, struct period_range r);

/* "2024-10-20" and "2024年10月20日" of the day yyyymmdd */
char *period_date_format(char *buf, size_t len, int yyyymmdd);
char *period_date_label(char *buf, size_t len, int yyyymmdd);

#endif /* COMMON_PERIOD_H */
