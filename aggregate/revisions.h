/* SPDX-License-Identifier: MIT */
/*
 * aggregate/revisions.h - what a release must say about its data: the
 * province-months it lacks (the completeness gate) and those stored or
 * replaced since an earlier vintage (revisions).
 *
 * Both read the store at its vintage (store_set_vintage()), from the
 * coverage: a province-month is stored when some submission in effect
 * covers it, whatever its figures (a province may report zeros).
 */
#ifndef AGGREGATE_REVISIONS_H
#define AGGREGATE_REVISIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/period.h"

struct diag;
struct refdata;
struct store;

/* One province-month, and what happened to it (revisions_since()). */
struct pm {
    int province;         /* code */
    struct period period; /* the month */
    bool revised;         /* replaced a version in effect at `since`; else
                             new since then */
    bool changed;         /* some fact differs from `since` (a file sent
                             again with the same figures changes none) */
    int64_t old_person_times, old_amount_fen; /* at `since` (0 when new) */
    int64_t person_times, amount_fen;         /* now (at the vintage) */
    int64_t submission_id; /* the latest submission of it in effect */
    char file[256];        /* ... its file (cut to fit) */
    char ingested_at[32];  /* ... when it was stored */
};

/*
 * Every province-month of r with nothing stored: of every province of
 * rd (or only of `province`, when not 0), in table order, then month.
 * *out is malloc'ed (NULL when none).  0, or -1 with err set.
 */
int revisions_missing(struct store *st, const struct refdata *rd,
                      struct period_range r, int province, struct pm **out,
                      size_t *n, struct diag *err);

/*
 * Every province-month of r (of `province`, when not 0) whose version in
 * effect came with a submission after `since` (a vintage: the last
 * submission of then): revised ones (a version was in effect at since) and
 * new ones, with their totals then and now, and whether any fact (any
 * area, channel, scope, use, relation) differs.  By province code, then
 * month.  0, or -1.
 */
int revisions_since(struct store *st, int64_t since, struct period_range r,
                    int province, struct pm **out, size_t *n, struct diag *err);

/* How one key of a province-month changed (revisions_key_changes()). */
struct key_change {
    int province;
    struct period period;
    int channel, scope, use;                  /* values of ingest/codes.h */
    int64_t old_person_times, old_amount_fen; /* at `since` */
    int64_t person_times, amount_fen;         /* now */
};

/*
 * The (channel, scope, use) keys of the province-months of list[0..n)
 * (from revisions_since()) whose sums differ between `since` and now
 * (areas and relations summed), by province, month and key; *out
 * malloc'ed.  0, or -1.
 */
int revisions_key_changes(struct store *st, int64_t since,
                          struct period_range r, const struct pm *list,
                          size_t n, struct key_change **out, size_t *nout,
                          struct diag *err);

#endif /* AGGREGATE_REVISIONS_H */
