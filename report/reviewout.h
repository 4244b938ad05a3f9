/* SPDX-License-Identifier: MIT */
/*
 * report/reviewout.h - the findings of gongji review (aggregate/review.h)
 * as a terminal table, CSV or JSON.
 *
 * csv: one finding per line under the stable header REVIEWOUT_CSV_HEADER;
 * codes (province and area as 6 digits, period YYYY-MM, channel/use/scope
 * codes, empty = all); value and reference by measure: person_times a whole
 * number, amount and amount_per_person_time yuan with exactly two
 * decimals, cross_share a fraction with four; ratio, median and mad with
 * four decimals, score with two (empty when not applicable); files
 * ';'-joined in one quoted field.  json: an object with the period, the
 * counts by severity, the completeness matrix and the findings (the same
 * keys; amounts as strings, exact).  table: the matrix (provinces x months,
 * the arrival day MM-DD or — for missing) and the findings with Chinese
 * labels and display units (report/numfmt.h).
 */
#ifndef REPORT_REVIEWOUT_H
#define REPORT_REVIEWOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "aggregate/review.h"
#include "report/queryout.h"

struct refdata;

#define REVIEWOUT_CSV_HEADER                                                   \
    "severity,check,province,area,period,channel,use,scope,measure,value,"     \
    "reference,ratio,median,mad,score,files,figure"

/*
 * Write res in fmt.  quiet: information findings and the table's matrix
 * are left out.
 */
void reviewout_write(FILE *fp, enum outfmt fmt, const struct review_result *res,
                     const struct refdata *rd, bool quiet);

/* 错误, 警告, 提示 */
const char *reviewout_severity_name(enum review_severity s);
/* 缺报, 环比异常 ... */
const char *reviewout_check_name(enum review_check c);
/* 人次, 金额, 次均金额, 跨地区占比, "" */
const char *reviewout_measure_name(enum review_measure m);

/*
 * A value of measure m for people: "1.76万元", "1534.50万人次", "12.30元"
 * (per person-time), "12.34%".  Returns buf.
 */
const char *reviewout_value(char *buf, size_t len, enum review_measure m,
                            int64_t v);

#endif /* REPORT_REVIEWOUT_H */
