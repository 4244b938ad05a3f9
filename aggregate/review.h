/* SPDX-License-Identifier: MIT */
/*
 * aggregate/review.h - what a statistician checks before signing off a
 * release (gongji review, issue 12): findings with a severity, a check
 * code, the place, the numbers and the source files.
 *
 * The checks read the store only through query_run(), store_submissions()
 * and store_months_stored(), so a store seen at an earlier vintage is
 * reviewed as it stood then.  The facts are read by ONE query over every
 * stored month up to the end of the period, grouped by period, area,
 * channel, scope and use; everything else is computed here, in memory.
 *
 * Checks (README "Review before release" has the thresholds):
 *   completeness  every province of data/provinces.csv (or the one asked)
 *                 x every month of the period: a province-month with
 *                 nothing in effect is an error (missing);
 *   arithmetic    per province-month in the period, the totals the
 *                 submissions recorded equal the sum of the facts in
 *                 effect (coverage_mismatch); the channels and the scopes
 *                 add up to the total (channel_sum, scope_sum); per
 *                 province the months add up to the cumulative of the
 *                 period read by a second query (cumulative_sum);
 *   plausibility  per province and per pooling area, per measure, for all
 *                 uses together, each channel and each use: month-over-
 *                 month and year-over-year log ratios against the robust
 *                 centre and spread (median, 1.4826 x MAD, with a floor)
 *                 of the same series' earlier changes (jump_mom,
 *                 jump_yoy), premium-aware; the amount per person-time
 *                 (avg_amount) and the cross-area share of the count
 *                 (cross_share) against their own history; a series that
 *                 stops (flow_stopped) or starts (flow_started).
 *
 * More checks are added here: append findings to the list, the order is
 * made by review_list_sort().
 */
#ifndef AGGREGATE_REVIEW_H
#define AGGREGATE_REVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/period.h"

struct diag;
struct refdata;
struct review_result;
struct store;

enum review_severity { REVIEW_INFO, REVIEW_WARNING, REVIEW_ERROR };

enum review_check {
    RC_MISSING,
    RC_COVERAGE_MISMATCH,
    RC_CHANNEL_SUM,
    RC_SCOPE_SUM,
    RC_CUMULATIVE_SUM,
    RC_JUMP_MOM,
    RC_JUMP_YOY,
    RC_AVG_AMOUNT,
    RC_CROSS_SHARE,
    RC_FLOW_STOPPED,
    RC_FLOW_STARTED,
    /* against the releases recorded (cli/release.c adds these) */
    RC_REVISED,           /* a province-month changed since the last
                             release, inside what it published */
    RC_PUBLISHED_REVISED, /* a figure the last release printed that the
                             data now give differently */
    RC_CUMULATIVE_FALL,   /* a cumulative figure below what an earlier
                             release of the year printed */
    RC_N
};

/*
 * What value and reference hold: a count, fen, fen per person-time
 * (rounded once), or a share in basis points (1/10000).
 */
enum review_measure {
    RM_NONE,
    RM_COUNT,
    RM_AMOUNT,
    RM_AVG_AMOUNT,
    RM_CROSS_SHARE,
    RM_N
};

/* The thresholds (README documents the defaults, REVIEW_DEFAULT_*). */
#define REVIEW_Z_WARNING    5.0  /* robust z above: a warning */
#define REVIEW_Z_ERROR      10.0 /* ... far above: an error */
#define REVIEW_MIN_HISTORY  6    /* earlier comparable values needed */
#define REVIEW_SEASON_YEARS 2    /* same calendar transitions needed */
#define REVIEW_MAD_SCALE    1.4826
#define REVIEW_FLOOR_LOG    0.10 /* least spread of a log ratio / log */
#define REVIEW_FLOOR_SHARE  0.02 /* least spread of a share change */

struct review_finding {
    enum review_severity severity;
    enum review_check check;
    int province; /* 6-digit code; 0 = the nation */
    int area;     /* 6-digit pooling area; 0 = the whole province */
    int period;   /* yyyymm; 0 = none */
    int channel;  /* code value (ingest/codes.h); -1 = all channels */
    int use;      /* -1 = all uses */
    int scope;    /* -1 = all scopes */
    enum review_measure measure;
    bool has_value, has_reference, has_stats;
    int64_t value;      /* in the measure's unit */
    int64_t reference;  /* what it was compared with, same unit */
    double ratio;       /* value / reference (NAN when not applicable) */
    double median;      /* of the compared statistic's history */
    double mad;         /* the spread used: max(1.4826 MAD, floor) */
    double score;       /* robust z: (x - median) / mad */
    char *files;        /* "a.csv;b.csv", the province-month's (owned) */
    char *figure;       /* a release's figure ("acct.use.pharmacy.amount"),
                           or NULL (owned) */
    char *figure_label; /* ... its Chinese description (owned) */
};

struct review_list {
    struct review_finding *v;
    size_t n, alloc;
};

void review_list_init(struct review_list *l);
void review_list_release(struct review_list *l);

/*
 * Append a copy of *f (its files string copied too; NULL allowed).
 * Returns the stored finding.
 */
struct review_finding *review_list_append(struct review_list *l,
                                          const struct review_finding *f);

/* Errors first, then warnings, then information; within one by place. */
void review_list_sort(struct review_list *l);

/* Sort res's findings again and count them by severity (after adding). */
void review_result_recount(struct review_result *res);

/* "missing", "jump_mom"...: the stable English codes. */
const char *review_check_code(enum review_check c);
/* "error", "warning", "info" */
const char *review_severity_code(enum review_severity s);
/* "person_times", "amount", "amount_per_person_time", "cross_share", "" */
const char *review_measure_code(enum review_measure m);

/*
 * The completeness matrix: for each province and month of the period,
 * when the submission in effect arrived (the latest ingested_at of its
 * parts) and its files, or NULL when nothing is stored.
 */
struct review_cell {
    char *ingested_at; /* ISO 8601, or NULL: missing (owned) */
    char *files;       /* ';'-joined (owned) */
};

struct review_result {
    struct period_range range;
    struct review_list findings;
    size_t nprovinces;
    int *provinces;            /* codes, release order */
    size_t nmonths;            /* months of range */
    struct review_cell *cells; /* [province * nmonths + month] */
    size_t count[3];           /* findings by severity */
};

struct review_opts {
    struct period_range range; /* the months reviewed */
    int province;              /* 0 = every province of rd */
    unsigned threads;          /* struct query's threads */
};

/*
 * Review o->range in st.  Returns 0 with res filled (release it with
 * review_result_release(), also after -1), or -1 with err set (DIAG_IO
 * for the store, DIAG_DATA when a sum overflows).
 */
int review_run(struct store *st, const struct refdata *rd,
               const struct review_opts *o, struct review_result *res,
               struct diag *err);
void review_result_release(struct review_result *res);

/*
 * The robust statistics, public for the unit tests.  review_median()
 * reorders v[0..n) (n > 0).  review_mad() is the median absolute
 * deviation from med, unscaled; it reorders v too.
 */
double review_median(double *v, size_t n);
double review_mad(double *v, size_t n, double med);

/*
 * The robust z of x against v[0..n): (x - median) / max(1.4826 MAD,
 * floor); median and the spread used in *med and *spread.  v is
 * reordered.
 */
double review_robust_z(double x, double *v, size_t n, double floor, double *med,
                       double *spread);

/*
 * Is the change into month (1..12) one of the premium season's: the
 * season September..February with the way in (August, where collection
 * may start early) and the way out (March)?
 */
bool review_season_month(int month);

#endif /* AGGREGATE_REVIEW_H */
