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

#endif /* REPORT_NUMFMT_H */
