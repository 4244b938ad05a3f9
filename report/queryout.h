/* SPDX-License-Identifier: MIT */
/*
 * report/queryout.h - query results as a terminal table, CSV or JSON.
 *
 * csv: header = the --by dimensions in order, then person_times,amount;
 * values as codes (period YYYY-MM, province/area 6 digits, English codes);
 * amount in yuan with exactly two decimals; a text field that a spreadsheet
 * would take for a formula gets a leading ' (queryout_csv_text).  json: an
 * array of objects with the same keys (amount a string, exact).  table: Chinese
 * names, one display unit per measure column (stated in a unit line),
 * CJK-aligned, and a 合计 row computed from the raw total.  Counts are
 * 共济人次 (人次); when the result holds the wallet's only (as
 * query_result.channels tells, with query.channels set), 共济笔数 (笔); when
 * it adds both, 共济人次 with a note under the table that it includes the
 * wallet's transfers, as the releases count them.
 */
#ifndef REPORT_QUERYOUT_H
#define REPORT_QUERYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "aggregate/query.h"

struct diag;
struct query;
struct query_result;
struct codes;
struct refdata;

/*
 * OUT_XLSX is query's alone (report/queryxlsx.h writes it; the writers
 * here do not): other commands leave it out of options.formats.
 */
enum outfmt { OUT_TABLE, OUT_CSV, OUT_JSON, OUT_XLSX };

/* "table", "csv", "json", "xlsx" -> 0 and *out; else -1. */
int outfmt_parse(const char *s, enum outfmt *out);

void queryout_write(FILE *fp, enum outfmt fmt, const struct query *q,
                    const struct query_result *res, const struct refdata *rd);

/*
 * The measures of a query's output (--measures), in output order.  csv/json
 * name them by these codes; the default is person_times,amount, written
 * exactly as queryout_write() writes it.
 *
 *   person_times        the count (人次; 笔 for the wallet)
 *   amount              yuan, two decimals
 *   avg_amount          次均金额: amount / person_times in yuan, two
 *                       decimals (per 笔 for the wallet); undefined when
 *                       the count is <= 0
 *   share_person_times  占比: the row's share of the result's total (the
 *   share_amount        raw total over every matching fact, not of rounded
 *                       or --top-cut parts), percent, one decimal;
 *                       undefined when the total is <= 0
 *   yoy_person_times    同比 / 环比: (now - base) / base in percent, one
 *   yoy_amount          decimal, against query_compare()'s base;
 *   mom_person_times    undefined when the base is not stored or <= 0;
 *   mom_amount          a rate of 0.0 is 持平 in a table
 *
 * Every derived figure is rounded once from the exact integers
 * (numfmt_ratio).  csv: an undefined figure is an empty field; json: null,
 * rates as numbers (25.1), avg_amount a string like amount ("12.30").
 * table: 同比 / 环比 / 占比 cells as "25.1%", "-3.0%", "持平", "—";
 * 次均金额（元） (笔均金额 when the counts are the wallet's only).
 */
enum qmeasure {
    QM_PERSON_TIMES,
    QM_AMOUNT,
    QM_AVG_AMOUNT,
    QM_SHARE_PERSON_TIMES,
    QM_SHARE_AMOUNT,
    QM_YOY_PERSON_TIMES,
    QM_YOY_AMOUNT,
    QM_MOM_PERSON_TIMES,
    QM_MOM_AMOUNT,
    QM_N
};

struct queryout_measures {
    enum qmeasure m[QM_N];
    size_t n;
};

/* The default: person_times, amount. */
void queryout_measures_default(struct queryout_measures *ms);

/*
 * Parse "--measures person_times,amount,yoy_amount": the codes above, or
 * Chinese names (人次, 金额, 次均金额, 人次占比, 金额占比, 人次同比,
 * 金额同比, 人次环比, 金额环比), or groups: share / 占比, yoy / 同比,
 * mom / 环比 (both measures each), avg (avg_amount), all (every measure in
 * the order above).  A measure given twice is an error.  DIAG_USAGE
 * naming the value.
 */
int queryout_measures_parse(const char *spec, struct queryout_measures *ms,
                            struct diag *err);

/* "person_times", "yoy_amount", ... */
const char *queryout_measure_name(enum qmeasure m);

/* Whether ms needs the base of c (query_compare() before writing). */
bool queryout_measures_need(const struct queryout_measures *ms,
                            enum query_cmp c);

/*
 * As queryout_write, with the measures ms (res->base[] filled for those
 * that compare).  With the default measures the output is byte for byte
 * queryout_write's.
 */
void queryout_write_measures(FILE *fp, enum outfmt fmt, const struct query *q,
                             const struct query_result *res,
                             const struct refdata *rd,
                             const struct queryout_measures *ms);

/*
 * csv for a spreadsheet (query --format csv --excel): a UTF-8 BOM (EF BB
 * BF), and after each code column DIM but period a column DIM_name with
 * the Chinese name (queryout_name, quoted by queryout_csv_text: "浙江",
 * "同一统筹区"; a period code is readable as it is); everything else byte
 * for byte as queryout_write_measures(OUT_CSV) writes it.
 */
void queryout_write_csv_excel(FILE *fp, const struct query *q,
                              const struct query_result *res,
                              const struct refdata *rd,
                              const struct queryout_measures *ms);

/*
 * Measure m of row r of res (r == res->nrows: the total, from the raw
 * sums) in its output units: the count, fen (amount), hundredths of yuan
 * (avg_amount) or tenths of a percent (shares, rates: 251 is 25.1%),
 * rounded once.  false when undefined (csv writes an empty field).
 */
bool queryout_figure(enum qmeasure m, const struct query_result *res, size_t r,
                     int64_t *v);

/*
 * The word the counts of res are told in, with query.channels set:
 * "人次", or "笔" when the wallet's alone; *mixed when channels of both
 * words are summed (then "人次", as the releases count them).
 */
const char *queryout_count_word(const struct codes *cs,
                                const struct query_result *res, bool *mixed);

/* The Chinese heading of a dimension: "统计期", "省份", "统筹区", ... */
const char *queryout_dim_heading(int dim);

/*
 * The Chinese name of a value alone, for a column beside its code:
 * "2024年9月", "浙江", "杭州市", "同一统筹区"; "" for a province or area
 * missing from rd.  Writes into buf (len >= 96).
 */
const char *queryout_name(char *buf, size_t len, int dim, int value,
                          const struct refdata *rd);

/*
 * The display text of a dimension value in a table: "2024年9月", "浙江",
 * "330100 杭州市", "同一统筹区".  Writes into buf (len >= 96).
 */
const char *queryout_label(char *buf, size_t len, int dim, int value,
                           const struct refdata *rd);

/* The code text of a value for csv/json: "2024-09", "330000", "same_area". */
const char *queryout_code(const struct codes *cs, char *buf, size_t len,
                          int dim, int value);

/*
 * Whether a CSV text field starting with c would be run as a formula by a
 * spreadsheet: = + - @ TAB CR.  Such fields are written with a leading '
 * (the OWASP rule for CSV injection), which spreadsheets show as text.
 */
int queryout_csv_risky(char c);

/*
 * Write s as one quoted CSV text field: quotes doubled (RFC 4180), a
 * leading ' when queryout_csv_risky(s[0]); every other byte as it is, so
 * the field still names the file exactly once the ' is removed.
 */
void queryout_csv_text(FILE *fp, const char *s);

#endif /* REPORT_QUERYOUT_H */
