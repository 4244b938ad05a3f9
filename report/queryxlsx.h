/* SPDX-License-Identifier: MIT */
/*
 * report/queryxlsx.h - a query's result as an Excel workbook
 * (gongji query --format xlsx --out FILE).
 *
 * One sheet, 查询:
 *
 *   职工医保个人账户共济情况查询            title
 *   统计期：2024年1-9月（2024-01..2024-09）
 *   数据截至：V（报送 #1..#N）              with --vintage V only
 *   筛选：province=浙江；scope=省内         with --where only
 *   (blank)
 *   省份代码 | 省份 | 共济人次 | 共济金额 | 金额同比   header (frozen)
 *            |      | 人次     | 元       | %          units (frozen)
 *   330000   | 浙江 | 1234     | 5678.90  | 25.1%      one row per result row
 *   (blank)
 *   合计     |      | ...                              bold, from the raw total
 *   注：...                                           notes
 *
 * A dimension is its code as text (the csv value: "330000", "same_area")
 * and, beside it, its Chinese name (queryout_name); 统计期 is one text
 * column "2024-09" (a month, not a day: no date cell whose day and date
 * system a reader could misread).  Counts are whole numbers ("#,##0");
 * amounts and 次均金额 the number of yuan fen / 100 ("#,##0.00"); shares
 * and rates the fraction (0.251 for 25.1%, "0.0%"), each rounded once as
 * the csv's text is; an undefined figure is an empty cell.  Cell values are
 * exact: libxlsxwriter 1.1.4 writes doubles as "%.16G", which for the
 * double nearest to a decimal of at most 15 significant digits reads back
 * as that same double (its 16th digit may show ...001 in the XML, never a
 * different value).  Every figure is checked so as it is written
 * (queryxlsx_exact); one of more than 15 digits (Excel's precision: from
 * 10^13 yuan on) is refused (DIAG_DATA) rather than written inexactly.
 *
 * The 合计 row is the total of everything the query matched (as the table
 * has it: with --top, 合计（全部）), under a blank row and in bold, so that
 * a SUM over the rows never takes it in.  With no --by there is one row and
 * no 合计.  The creation time in the document properties is midnight UTC of
 * the last day of --period, so the same store and arguments give a
 * byte-identical file.
 */
#ifndef REPORT_QUERYXLSX_H
#define REPORT_QUERYXLSX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct diag;
struct query;
struct query_result;
struct queryout_measures;
struct refdata;

struct queryxlsx_opts {
    const char *vintage;       /* --vintage as given, or NULL */
    int64_t submission;        /* store_vintage(): its last submission */
    const char *const *wheres; /* every --where as given */
    size_t nwhere;
};

/*
 * Write the workbook to path as a common/atomicfile.h file (whole or not
 * at all; a symlink at path is replaced, never written through).  q, res
 * (res->base[] filled for the measures that compare), rd and ms as for
 * queryout_write_measures(); q->channels set, so that the counts' word is
 * known.  Returns 0, or -1 with err set: DIAG_CANTCREAT when path cannot
 * be written, DIAG_IO when libxlsxwriter rejects a call, DIAG_DATA for a
 * figure too large to be an exact spreadsheet number.
 */
int queryxlsx_write(const char *path, const struct query *q,
                    const struct query_result *res, const struct refdata *rd,
                    const struct queryout_measures *ms,
                    const struct queryxlsx_opts *o, struct diag *err);

/*
 * Whether the figure v / 10^decimals (decimals 0..3), as the double
 * libxlsxwriter is given and as it writes it ("%.16G"), reads back
 * (strtod) as the same double as the exact decimal text of v does
 * ("1234.56" for v 123456, decimals 2).  False when |v| has more than
 * 15 digits.
 */
bool queryxlsx_exact(int64_t v, int decimals);

#endif /* REPORT_QUERYXLSX_H */
