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

#include <stdio.h>

struct query;
struct query_result;
struct codes;
struct refdata;

enum outfmt { OUT_TABLE, OUT_CSV, OUT_JSON };

/* "table", "csv", "json" -> 0 and *out; else -1. */
int outfmt_parse(const char *s, enum outfmt *out);

void queryout_write(FILE *fp, enum outfmt fmt, const struct query *q,
                    const struct query_result *res, const struct refdata *rd);

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
