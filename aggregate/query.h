/* SPDX-License-Identifier: MIT */
/*
 * aggregate/query.h - sums of person-times and amounts over the store,
 * grouped by any dimensions and filtered by values (DESIGN §5 query).
 *
 * Keys are integers: period as yyyymm, province and area as 6-digit codes,
 * channel/scope/use/relation as their values (ingest/codes.h).  A --where
 * on a coarse value takes its descendants too (scope=in_province is
 * same_area, cross_area and the unsplit in_province); --by groups the
 * values as stored.  Sums are exact
 * integers (SQLite raises an error rather than wrap); the total is the sum
 * of the raw facts, never of rounded parts.
 */
#ifndef AGGREGATE_QUERY_H
#define AGGREGATE_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/period.h"

struct codes;
struct diag;
struct refdata;
struct store;

enum dim {
    DIM_PERIOD,
    DIM_PROVINCE,
    DIM_AREA,
    DIM_SCOPE,
    DIM_USE,
    DIM_RELATION,
    DIM_CHANNEL,
    DIM_N
};

enum query_sort { QSORT_KEY, QSORT_PERSON_TIMES, QSORT_AMOUNT };

struct query {
    struct period_range range;
    enum dim by[DIM_N]; /* group by these, in this order */
    bool by_top[DIM_N]; /* by[i] grouped by its top-level values
                           (--by scope:top: 省内 with its parts, 跨省) */
    size_t nby;
    int *where[DIM_N]; /* accepted values per dimension (owned) */
    size_t nwhere[DIM_N];
    enum query_sort sort;
    size_t top;    /* 0 = all rows */
    bool channels; /* fill query_result.channels (a table's count words) */
    /* the code sets of the keys (set from --where's reference data;
     * NULL: the built-in ones) */
    const struct codes *codes;
    /*
     * For tests: read the facts even when the sums of fact_key would do
     * (query_run reads those when neither area nor relation is grouped
     * or filtered), to check that both give the same result.
     */
    bool facts_only;
    /*
     * How many connections read the facts of a long query at once, each
     * its share of the months on a thread of its own (query_run): 0, one
     * per CPU up to 4; 1, the store's connection alone.  The result is the
     * same.
     */
    unsigned threads;
};

struct query_row {
    int key[DIM_N]; /* key[i] is the value of by[i] */
    int64_t person_times;
    int64_t amount_fen;
};

/* What a row is compared with (query_compare). */
enum query_cmp {
    QCMP_YOY, /* 同比: a year earlier */
    QCMP_MOM, /* 环比: the month, or the range of the same length, before */
    QCMP_N
};

/*
 * The base of a comparison: the same key's sums over the shifted months.
 * known is false when a month of them has nothing stored at all (the store
 * does not have the base: the rate is "—", never a rate against a zero that
 * was never reported).  A key with no facts in stored months is known with
 * zero sums (also "—": a zero base).
 */
struct query_base {
    bool known;
    int64_t person_times;
    int64_t amount_fen;
};

struct query_result {
    struct query_row *rows;
    size_t nrows;
    int64_t total_person_times; /* over every matching fact, not just top */
    int64_t total_amount_fen;
    /*
     * With query.channels: bit c set when facts of channel c were summed
     * (the account's count is in 人次, the wallet's in 笔; a table labels
     * its counts by these).  Reading them costs one more column per fact
     * unless the query groups by channel or keeps one; 0 otherwise.
     */
    unsigned channels;
    unsigned parts; /* how many connections read the facts (query.threads) */
    /*
     * Filled by query_compare(c), else NULL: base[c][i] is the base of
     * rows[i]; base_total[c] that of the total.
     */
    struct query_base *base[QCMP_N];
    struct query_base base_total[QCMP_N];
};

void query_init(struct query *q);
void query_release(struct query *q);
void query_result_release(struct query_result *res);

/* "period", "province", ... and back (-1 when unknown). */
const char *dim_name(enum dim d);
int dim_parse(const char *s, size_t len);

/*
 * Parse "--by period,province" into q->by (repeats are errors).  A coded
 * dimension may be written DIM:top to group by top-level values: every
 * value counts under its top ancestor (scope:top gives 省内 - same_area,
 * cross_area and the unsplit 省内 together - and 跨省).
 */
int query_set_by(struct query *q, const char *spec, struct diag *err);

/*
 * Parse one "--where DIM=V[,V...]" into q.  Values may be codes or Chinese
 * names: 浙江/浙江省/330000, 杭州市/330100, 同一统筹区/same_area, 2024-09 or
 * 2024年9月, wallet/医保钱包.  A value with children (in_province/省内,
 * medical_pharmacy/就医购药) stands for itself and all its descendants.
 * Repeating a dimension narrows to the values in both. Errors are DIAG_USAGE
 * naming the bad value.
 */
int query_add_where(struct query *q, const char *spec, const struct refdata *rd,
                    struct diag *err);

/*
 * Run q.  Rows come grouped by q->by, ordered by key ascending (period,
 * code order with 660000 last, display order of the code sets), or by the
 * chosen measure descending (ties by key), cut to q->top.
 */
int query_run(struct store *st, const struct query *q, struct query_result *res,
              struct diag *err);

/*
 * Fill res->base[c] and res->base_total[c] for res, the result of
 * query_run(q), by running q again over shifted months (one more query, or
 * two; aggregate/querycmp.c):
 *   QCMP_YOY  12 months earlier.  With period in q->by a row of 2024-09 is
 *             compared with the same key in 2023-09; without it, the whole
 *             range (2024-01..2024-09 with 2023-01..2023-09).
 *   QCMP_MOM  with period in q->by, the month before (2024-09 with
 *             2024-08, 2024-01 with 2023-12); without it, the range of the
 *             same length just before (2024-04..2024-06 with
 *             2024-01..2024-03).
 * A --where on period is shifted with the range.  The total is always
 * compared with the whole range shifted (12 months, or its length).
 * Months before PERIOD_MIN_YEAR are never stored.  Returns 0, or -1 with
 * err set (store errors).
 */
int query_compare(struct store *st, const struct query *q, enum query_cmp c,
                  struct query_result *res, struct diag *err);

#endif /* AGGREGATE_QUERY_H */
