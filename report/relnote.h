/* SPDX-License-Identifier: MIT */
/*
 * report/relnote.h - the notes a release owes its readers about its data:
 * what it does not include (completeness) and which published figures
 * were revised since the release before it (修订说明).
 */
#ifndef REPORT_RELNOTE_H
#define REPORT_RELNOTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/period.h"

struct pm;
struct refdata;
struct sbuf;

/*
 * Province-months as a reader says them: provinces with the same months
 * together, months as ranges, joined with 、 - "北京、上海2024年11月、
 * 广东2024年10-11月".  pms sorted by province, then month.
 */
void relnote_pairs(struct sbuf *out, const struct refdata *rd,
                   const struct pm *pms, size_t n);

/* "注：本期数据不含天津2024年9月数据。\n\n" (nothing when n is 0). */
void relnote_completeness(struct sbuf *out, const struct refdata *rd,
                          const struct pm *missing, size_t n);

/* One published figure that has changed. */
struct relnote_change {
    char *label;      /* "个人账户定点零售药店共济金额" (owned) */
    bool amount;      /* fen, else a count */
    const char *word; /* the count's word: "人次", "笔" */
    int64_t old_v, new_v;
};

/*
 * The 修订说明 paragraph (ending in a blank line): the release of period
 * `was` said old_v, the data now give new_v, because of the province-months
 * in causes (revised: 重报, else 补报); `next_words` names what this
 * release compares with ("比1-11月增长").  Values are shown in the unit
 * the release would use, or exactly when that shows no difference.
 */
void relnote_revision(struct sbuf *out, const struct refdata *rd,
                      struct period was, const struct relnote_change *ch,
                      size_t nch, const struct pm *causes, size_t ncauses,
                      const char *next_words);

#endif /* REPORT_RELNOTE_H */
