/* SPDX-License-Identifier: MIT */
/*
 * cli/release.h - what `bulletin` owes a release beyond its figures: the
 * completeness gate, the 修订说明 against the release before it, and the
 * record of the release in the store (README "Releases and vintages").
 */
#ifndef CLI_RELEASE_H
#define CLI_RELEASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/period.h"

struct diag;
struct policy;
struct refdata;
struct rollup;
struct sbuf;
struct store;

/* The time now as ingest records it (SOURCE_DATE_EPOCH when set), UTC. */
void cli_now_iso(char *buf, size_t len);

/*
 * The completeness gate: every province-month of January..p (of
 * `province` when not 0) with nothing stored.  None: EXIT_OK.  Some, and
 * allow: the note for {completeness_note} into note, a warning naming
 * them, EXIT_OK.  Else the error naming every one, and EXIT_DATA.
 * -1 with err set on a store error.
 */
int release_gate(const char *cmd, struct store *st, const struct refdata *rd,
                 struct period p, int province, bool allow, bool quiet,
                 struct sbuf *note, struct diag *err);

/*
 * The 修订说明 for a release of p (of `province`): the last recorded
 * release of the same region for an earlier month, its level figures
 * recomputed from the store at its vintage now, those that differ, and the
 * province-months stored since it that made them differ.  Nothing when
 * there is no such release or nothing changed.  0, or -1 with err set.
 */
int release_revision_note(struct store *st, const struct refdata *rd,
                          const struct policy *pol, int as_of, struct period p,
                          int province, struct sbuf *note, struct diag *err);

struct review_result;

/*
 * The review's findings against the releases recorded (aggregate/review.h
 * RC_REVISED, RC_PUBLISHED_REVISED, RC_CUMULATIVE_FALL), for the months of
 * range (of `province` when not 0): the province-months changed since the
 * last release of the region, up to its month; the figures that release
 * printed which the data now give differently; and the cumulative figures
 * of range.last's year below what an earlier release of that year printed
 * (a warning when resubmissions since explain it, else an error).  Added
 * to res, which is sorted and counted again.  0, or -1 with err set.
 */
int release_review(struct store *st, const struct refdata *rd,
                   struct period_range range, int province,
                   struct review_result *res, struct diag *err);

/* What a release record holds beyond the store's own. */
struct release_info {
    const char *style, *template_path;
    const struct sbuf *figures; /* figures.csv, header included */
    int64_t vintage;
};

/*
 * Record the release of r in the store at db (a connection of its own,
 * for writing): prints "recorded release N" unless quiet.  A store that
 * cannot be written is a warning, not a failure: the release's files are
 * already written.  Returns the release id, or 0 when not recorded.
 */
int64_t release_record(const char *cmd, const char *db, const struct rollup *r,
                       const struct release_info *info, bool quiet);

#endif /* CLI_RELEASE_H */
