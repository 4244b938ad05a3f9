/* SPDX-License-Identifier: MIT */
/*
 * aggregate/rollup.h - everything a monthly bulletin shows, computed from
 * the store for the cumulative period January..month of one year.
 *
 * Every figure is an exact integer sum from aggregate/query.c (the same
 * code that answers `gongji query`), so the bulletin, the workbook and ad
 * hoc queries always agree.  Rounding is left to the display (numfmt).
 */
#ifndef AGGREGATE_ROLLUP_H
#define AGGREGATE_ROLLUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/period.h"
#include "common/sha256.h"
#include "ingest/codes.h"

struct codes;
struct diag;
struct refdata;
struct store;

struct measures {
    int64_t person_times; /* the count: 人次, or 笔 for the wallet */
    int64_t amount_fen;
};

/*
 * One channel's figures of a region (or all channels' together): the
 * total and the sums by scope and by use, each value as stored - a coarse
 * value (省内, 就医购药) holds what was reported unsplit.  rollup_scope()
 * and rollup_use() give a value with its descendants.
 */
struct rollup_figs {
    struct measures total;
    struct measures scope[CODES_MAX]; /* by scope value (ingest/codes.h) */
    struct measures use[CODES_MAX];   /* by use value */
};

/*
 * The nation, a province or a pooling area, cumulative for the period.
 * total/scope/use are all channels together (counts add 人次 and 笔, as the
 * releases do); chan[] splits them by channel.
 */
struct rollup_region {
    int code;     /* 0 for the nation, else the province or area code */
    int province; /* the province code (0 for the nation) */
    struct measures total;
    struct measures scope[CODES_MAX];   /* by scope value, all channels */
    struct measures use[CODES_MAX];     /* by use value, all channels */
    struct rollup_figs chan[CODES_MAX]; /* by channel value */
};

/* Scope value v with its descendants (省内 = 同一统筹区 + 省内跨统筹区 + 省内).
 */
struct measures rollup_scope(const struct codes *cs,
                             const struct measures *by_scope, int v);
struct measures rollup_use(const struct codes *cs,
                           const struct measures *by_use, int v);

/* One stored file version whose facts the bulletin uses. */
struct rollup_source {
    char *file;
    char sha256[SHA256_HEX_LEN + 1];
    int64_t rows; /* rows of the file */
    char *ingested_at;
    int province;               /* first province it covers (code) */
    struct period_range covers; /* the months it covers in the bulletin */
    int64_t submission_id;
};

struct rollup {
    struct period period; /* the month: cumulative from its January */
    int province;         /* 0: the nation; else only this province is read */
    const struct codes *codes; /* the code sets of the splits (borrowed) */

    /* the nation, or the one province of a provincial rollup */
    struct rollup_region nation;
    /* all provinces of data/provinces.csv in release-table order (660000
     * last), zero where nothing is stored (a provincial rollup: the same,
     * with only its province non-zero) */
    struct rollup_region *provinces;
    size_t nprovinces;
    /* every pooling area with stored data, in code order */
    struct rollup_region *areas;
    size_t nareas;

    /* January..month-1 of the same year (has_prev false in January) */
    bool has_prev;
    struct rollup_region prev;
    /* the month alone (nation, or the province) */
    struct rollup_region month;
    /* the month before alone (December of the year before in January),
     * when any of it is stored */
    bool has_prev_month;
    struct rollup_region prev_month;
    /* January..month of the previous year, when any of it is stored */
    bool has_last_year;
    struct rollup_region last_year;
    /*
     * The nation's (the province's) flows in each month of the previous
     * year, January..December, and whether anything is stored for it (a
     * month without is no base for 同比 / 环比: "—").
     */
    struct measures ly_monthly[12];
    bool ly_stored[12];

    /*
     * Monthly flows: monthly[m * (nprovinces + 1) + 0] is the nation in
     * month m+1, [.. + 1 + i] is provinces[i].  Cumulative series are sums
     * of these.
     */
    struct measures *monthly;

    /* provinces[] indexes ranked by person-times / amount, largest first
     * (ties by table order); all nprovinces of them */
    size_t *rank_person_times;
    size_t *rank_amount;

    struct rollup_source *sources; /* by province, then period */
    size_t nsources;

    char latest_ingest[32]; /* the newest ingested_at among sources */

    /*
     * The wallet channel (CHANNEL_WALLET) month by month, by scope value
     * as stored, of the nation (or the province): see rollup_wallet_month().
     * has_wallet: some wallet fact is stored for the period.
     */
    struct measures *wallet_monthly;
    bool has_wallet;
};

/*
 * Compute the rollup for January..month p of p's year, of the nation
 * (province 0) or of one province (its code: then `nation` is that
 * province and areas[] its pooling areas).  Returns 0, or -1 with err set
 * (store errors; an empty period is not an error: everything is zero and
 * nsources is 0).
 */
int rollup_build(struct store *st, const struct refdata *rd, struct period p,
                 int province, struct rollup *out, struct diag *err);
void rollup_release(struct rollup *r);

/* The monthly flow of region index pi (-1 = nation) in month m (1-based). */
const struct measures *rollup_month(const struct rollup *r, int pi, int m);

/*
 * The wallet's flows in month m (1-based) by scope value: CODES_MAX
 * measures, for rollup_scope() (省内 with its descendants, 跨省).
 */
const struct measures *rollup_wallet_month(const struct rollup *r, int m);

#endif /* AGGREGATE_ROLLUP_H */
