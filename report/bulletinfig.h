/* SPDX-License-Identifier: MIT */
/*
 * report/bulletinfig.h - the figure placeholders of a bulletin template:
 * any total, split, single month, change or ranking of the rollup, shown
 * with the display modifiers of report/figfmt.h.  README "Bulletin
 * templates" lists them; in short:
 *
 *   [WHEN.]SEL.MEASURE     a figure
 *     WHEN     (none) January..the month; month: the month alone; prev:
 *              January..the month before; last_year: the same months a
 *              year earlier; change: the increase over prev ("增长0.28亿
 *              人次", in the unit of the level); yoy: the percentage change
 *              against last_year ("25.1%")
 *     SEL      all (every channel: counts add 人次 and 笔, as the releases
 *              do), acct or a channel code (account, wallet), optionally
 *              followed by .scope.CODE or .use.CODE: the value with its
 *              descendants (wallet.scope.in_province, acct.use.ltc_premium)
 *     MEASURE  count (labelled 人次, or 笔 for the wallet) or amount
 *   rankN.SEL.MEASURE[.name]   the N-th (1..5) region by that figure: its
 *              value, or its short name (provinces in a national bulletin,
 *              pooling areas in a provincial one)
 *   top5.SEL.MEASURE[.values]  the first five, joined with 、: names, or
 *              names with values ("河北8.30亿元、河南7.66亿元")
 *
 * Modifiers apply to the values; a name alone takes none.
 */
#ifndef REPORT_BULLETINFIG_H
#define REPORT_BULLETINFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bulletin_input;
struct sbuf;

/*
 * Append the figure called name[0..len) with modifiers mods[0..mlen) to
 * out.  Returns 0, TEMPLATE_UNKNOWN_NAME when name is not a figure, or
 * TEMPLATE_BAD_MODIFIER(k) (report/template.h).
 */
int bulletinfig_lookup(const struct bulletin_input *in, const char *name,
                       size_t len, const char *mods, size_t mlen,
                       struct sbuf *out);

/*
 * Note the figure `name` (as a placeholder would call it: "acct.count",
 * "change.acct.amount") with its exact value in in->figures, when that is
 * not NULL and does not have it yet.  For the figures of sentences built
 * in C ({headline}, {scope}, {use}, {wallet_note}).
 */
void bulletinfig_note(const struct bulletin_input *in, const char *name,
                      size_t len, bool amount, int64_t v);

/*
 * A level figure - SEL.MEASURE (January..the month) or month.SEL.MEASURE -
 * as it is now: its exact value (fen or a count) into *v, whether it is an
 * amount, its count word ("人次", "笔") and its Chinese description into
 * label ("个人账户定点零售药店共济金额", "医保钱包跨省共济笔数", prefixed
 * "当月" for month.).  False when name is not a level figure (a change, a
 * ranking, a list): those follow from the levels.  For a revision note.
 */
bool bulletinfig_level(const struct bulletin_input *in, const char *name,
                       size_t len, int64_t *v, bool *amount,
                       const char **count_word, struct sbuf *label);

#endif /* REPORT_BULLETINFIG_H */
