/*
 * common/period.h - calendar months and ranges of months.
 *
 * A period is a small value type; all functions are pure.  Years run from
 * PERIOD_MIN_YEAR to PERIOD_MAX_YEAR: anything outside is treated as an
 * impossible period (a typo such as "2204-09"), not as data.
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
 * "2024年9月" or "2024年09月".  Returns 0, or -1 with err's message set
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

/* "2024-09" into buf (at least 8 bytes). Returns buf. */
char *period_format(char *buf, size_t len, struct period p);

/* Pack as 202409 (what the store keeps) and back. */
int period_to_yyyymm(struct period p);
bool period_from_yyyymm(int yyyymm, struct period *out);

#endif /* COMMON_PERIOD_H */
