/* SPDX-License-Identifier: MIT */
/*
 * report/figfmt.h - figures as the releases print them, chosen by display
 * modifiers ("{acct.amount|yi|trim}", report/template.h).
 *
 * Three kinds of figure: a count (person-times or wallet transfers, with a
 * label the caller gives: "人次" or "笔"), an amount in fen, and a
 * percentage change (now against before, both exact integers).  Every
 * figure is rounded once, half away from zero, on the exact integer
 * (report/numfmt.h, fx_round_div); no floating point.
 *
 * Modifiers (a list joined by '|'; order does not matter):
 *
 *   auto            unit by magnitude (the default; DESIGN §6): >= 1亿 in
 *                   亿, >= 1万 in 万, else the base unit (元, or the plain
 *                   count).  The unit is checked again after rounding, so
 *                   99999999人次 is "1.00亿人次", never "10000.00万人次".
 *   yi or 亿        always in 亿 ("0.76亿元")
 *   wan or 万       always in 万 ("11612.69万元")
 *   base            always in 元 / the plain count ("8506.00元", "7695笔")
 *   d0 d1 d2        decimals (default 2; 1 for percentages).  A count in
 *                   its base unit is always whole.
 *   trim            drop trailing zeros of the decimals, and the point with
 *                   them ("687.70" -> "687.7", "2.00" -> "2")
 *   nolabel         keep 亿/万 but drop the label (人次, 笔, 元): "4.64亿"
 *   nounit          the number alone: "4.64"
 *   signed          percentages: "+25.1%", "-3.0%"
 *   word            percentages: "增长25.1%", "下降3.0%"
 *
 * A percentage change that is zero at the shown decimals is "持平" (with
 * any modifier), as releases write it; with no base (before <= 0) "—".
 * Two more kinds: a share (占比, "12.5%": d0-d2 and trim) and an amount
 * per person-time (次均金额, always in 元, "123.45元": d0-d2, trim, and
 * nolabel or nounit, which drop the 元).
 *
 * A unit word, a digits word and signed/word may each be given once; a
 * modifier of another kind (signed on an amount, yi on a percentage) is
 * refused.
 */
#ifndef REPORT_FIGFMT_H
#define REPORT_FIGFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sbuf;

enum figfmt_kind {
    FIGFMT_COUNT,   /* person-times or transfers */
    FIGFMT_AMOUNT,  /* fen */
    FIGFMT_PERCENT, /* change of now against before */
    FIGFMT_SHARE,   /* part of a whole, in percent */
    FIGFMT_AVG,     /* fen per count, shown in 元 */
};

enum figfmt_unit { FIGFMT_AUTO, FIGFMT_BASE, FIGFMT_WAN, FIGFMT_YI };

/* A display spec: a plain value, filled by figfmt_init or figfmt_parse. */
struct figfmt {
    enum figfmt_unit unit;
    int digits; /* 0..2 */
    bool trim, nolabel, nounit, is_signed, word;
};

/* The defaults for kind: auto unit, 2 decimals (1 for percentages and
 * shares). */
void figfmt_init(struct figfmt *f, enum figfmt_kind kind);

/*
 * Parse the modifier list mods[0..len) ("yi|trim"; len 0 for none) for a
 * figure of the given kind into *f.  Returns 0, or -1 with *bad set to the
 * 0-based index of the first modifier that is unknown, empty, not for this
 * kind, or repeats or conflicts with an earlier one (for
 * TEMPLATE_BAD_MODIFIER(*bad)); *f is then unspecified.
 */
int figfmt_parse(const char *mods, size_t len, enum figfmt_kind kind,
                 struct figfmt *f, size_t *bad);

/* Append count v with its label ("人次", "笔"; NULL for none): "1534.50万人次".
 */
void figfmt_count(struct sbuf *out, int64_t v, const char *label,
                  const struct figfmt *f);

/* Append the amount fen: "687.7亿元", "8506元". */
void figfmt_amount(struct sbuf *out, int64_t fen, const struct figfmt *f);

/*
 * Append a change "增长0.28亿人次" / "减少3.10亿元" after a level: the change
 * in the unit the level is displayed in (auto: the level's, as
 * figfmt_count/figfmt_amount would pick it; a forced unit as given), with
 * f's decimals, trim and labels.  kind is FIGFMT_COUNT (label as for
 * figfmt_count) or FIGFMT_AMOUNT (label unused).  The word follows the
 * displayed value: a change that rounds to zero is "增长0.00…".
 */
void figfmt_change(struct sbuf *out, int64_t level, int64_t change,
                   enum figfmt_kind kind, const char *label,
                   const struct figfmt *f);

/*
 * Append the percentage change of now against before: "25.1%", "+25.1%"
 * (signed), "增长25.1%" / "下降3.0%" (word); "持平" when it is zero at
 * f's decimals; "—" when before <= 0.
 */
void figfmt_percent(struct sbuf *out, int64_t now, int64_t before,
                    const struct figfmt *f);

/* Append part's share of whole, "12.5%"; "—" when whole <= 0. */
void figfmt_share(struct sbuf *out, int64_t part, int64_t whole,
                  const struct figfmt *f);

/*
 * Append fen / count in 元 with f's decimals, "123.45元", rounded once
 * from the exact integers; "—" when count <= 0.
 */
void figfmt_avg(struct sbuf *out, int64_t fen, int64_t count,
                const struct figfmt *f);

#endif /* REPORT_FIGFMT_H */
