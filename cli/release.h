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
