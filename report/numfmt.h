/* SPDX-License-Identifier: MIT */
/*
 * report/numfmt.h - display units and figures (DESIGN §6).
 *
 * Person-times: >= 1亿 -> "2.46亿人次"; >= 1万 -> "1534.50万人次"; else
 * "836人次".  Amounts: >= 1亿元 -> "304.57亿元"; >= 1万元 -> "1.76万元";
 * else "12.30元".  Two decimals, trailing zeros kept, rounded half away
 * from zero on the exact integer by fx_round_div() - the only rounding.
 */
#ifndef REPORT_NUMFMT_H
#define REPORT_NUMFMT_H

#include <stddef.h>
#include <stdint.h>

enum unit { UNIT_ONE, UNIT_WAN, UNIT_YI };

/* The unit DESIGN §6 picks for a value's magnitude. */
enum unit numfmt_pt_unit(int64_t person_times);
enum unit numfmt_amount_unit(int64_t fen);

/*
 * The value in hundredths of the unit, rounded once: person-times in
 * hundredths of 万/亿 (UNIT_ONE: the count times 100), amounts in
 * hundredths of 元/万元/亿元.
 */
int64_t numfmt_pt_hundredths(int64_t person_times, enum unit u);
int64_t numfmt_amount_hundredths(int64_t fen, enum unit u);

/*
 * The number alone, in unit u: "2.46", "1534.50"; person-times in UNIT_ONE
 * are whole ("836").  Returns snprintf's count.
 */
int numfmt_pt(char *buf, size_t len, int64_t person_times, enum unit u);
int numfmt_amount(char *buf, size_t len, int64_t fen, enum unit u);

/* "亿人次"/"万人次"/"人次" and "亿元"/"万元"/"元". */
const char *numfmt_pt_suffix(enum unit u);
const char *numfmt_amount_suffix(enum unit u);

/* Number and unit by magnitude: "2.46亿人次", "304.57亿元". */
int numfmt_pt_auto(char *buf, size_t len, int64_t person_times);
int numfmt_amount_auto(char *buf, size_t len, int64_t fen);

/* hundredths as "-12.34" */
int numfmt_hundredths(char *buf, size_t len, int64_t h);

/*
 * Other numbers of decimals, for display modifiers (report/figfmt.h).
 * 0 <= digits <= NUMFMT_MAX_DIGITS.
 */
#define NUMFMT_MAX_DIGITS 2

/*
 * v / per to `digits` decimals, in units of 10^-digits, rounded once, half
 * away from zero, by fx_round_div() on the exact integer:
 * numfmt_scaled(15345000, 10000, 2) = 153450 (1534.50万),
 * numfmt_scaled(68770000000, 10000000000, 1) = 69 (6.9亿元 from fen).  per
 * must be a positive multiple of 10^digits (a BUG otherwise); every unit
 * here is (1, 10^4, 10^8 counts; 100, 10^6, 10^10 fen).
 */
int64_t numfmt_scaled(int64_t v, int64_t per, int digits);

/* s in units of 10^-digits as "-12.3" ("12" for digits 0). */
int numfmt_decimals(char *buf, size_t len, int64_t s, int digits);

/*
 * num * scale / den rounded once, half away from zero, from the exact
 * integers (a 128-bit intermediate): the one rounding of every derived
 * figure (shares, growth rates, amounts per person-time).
 * numfmt_ratio(1, 8, 1000, &s) is 125 (12.5% at one decimal),
 * numfmt_ratio(-1, 8, 100, &s) is -13, numfmt_ratio(1001, 7, 1, &s) is 143
 * (fen per person-time).  Returns 0, or -1 when den <= 0, scale <= 0 or
 * the result does not fit in int64_t (the caller shows "—").
 */
int numfmt_ratio(int64_t num, int64_t den, int64_t scale, int64_t *out);

/*
 * The change from `before` to `now` as a percentage, (now - before) * 100 /
 * before, to `digits` decimals in units of 10^-digits percent, rounded
 * once, half away from zero, from the exact integers (a 128-bit
 * intermediate): 464000000 after 371000000 at 1 digit is 251 (25.1%).
 * Returns 0, or -1 when before <= 0 (no base to grow from: a negative
 * base, possible only with net reversals, has no meaningful rate) or the
 * result does not fit (the caller shows "—").  A result of 0 is shown as
 * 持平 (the rate is zero at the published precision).
 */
int numfmt_change_pct(int64_t now, int64_t before, int digits, int64_t *out);

#endif /* REPORT_NUMFMT_H */
