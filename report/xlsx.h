/* SPDX-License-Identifier: MIT */
/*
 * report/xlsx.h - the bulletin's attachment workbook (DESIGN §7).
 *
 * The workbook is written from an already computed rollup; nothing is
 * summed here except running totals of the monthly flows.  Every figure is
 * rounded once, on the exact integer, by report/numfmt.h, and the rounded
 * value is what the cell holds (1534.50万人次 is the number 1534.5 with the
 * format "0.00"), so the workbook shows exactly the bulletin's figures.
 *
 * Two workbooks come from the same rollup (xlsx_opts.book):
 *
 *   XLSX_BOOK_PUBLISH, attachment.xlsx, what is published:
 *   附件    per-province table: 全国 first, then r->provinces in order;
 *           person-times in 万人次, amounts in 亿元; a merged two-level
 *           header (跨省 columns only when the nation has any cross-province
 *           sharing); A4 landscape, one page wide, header rows repeated.
 *   月度    (only with xlsx_opts.monthly) the monthly series, as below.
 *
 *   XLSX_BOOK_INTERNAL, internal.xlsx, the working copy:
 *   附件    the same table, the rounded values as published;
 *   附件精确值 the same table exact: 人次 (笔) as integers, 元 to the fen.
 *   统筹区  every pooling area of r->areas (人次 as integers, 金额 in 万元
 *           and exact in 元), with an autofilter.
 *   月度    the nation's monthly and cumulative series, then each region's
 *           monthly person-times and amounts.
 *   来源    every stored file the figures come from, with its SHA-256; the
 *           names relative to their common directory (named in a note),
 *           the ingestion time in 北京时间 as a date cell.
 *   审核    (with xlsx_opts.review) the findings of gongji review for the
 *           period: severity, check, place, numbers, files; header frozen.
 *
 * report/xlsx.c and its helpers report/xlsxsheet.c and report/xlsxtables.c
 * are the only files of gongji that include xlsxwriter.h.
 */
#ifndef REPORT_XLSX_H
#define REPORT_XLSX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct atomicfile;
struct diag;
struct refdata;
struct review_result;
struct rollup;

enum xlsx_book {
    XLSX_BOOK_PUBLISH,  /* attachment.xlsx: 附件 (and 月度 if asked) */
    XLSX_BOOK_INTERNAL, /* internal.xlsx: every sheet, exact values */
};

struct xlsx_opts {
    enum xlsx_book book;
    /* the publishable workbook also carries 月度 (internal: always) */
    bool monthly;
    /*
     * "YYYY-MM-DD" (required): the document's creation time is midnight UTC
     * of that day, so the same inputs give a byte-identical file; also
     * quoted in the note under the table.
     */
    const char *as_of;
    /*
     * The findings of a review of the period (aggregate/review.h), or
     * NULL: with them a last sheet 审核 lists them.
     */
    const struct review_result *review;
    /*
     * The source note ("数据来源：各省级医保部门报送", ingest/house.h),
     * followed by "，截至DATE。"; NULL = that default.
     */
    const char *data_source;
};

/*
 * Write the workbook o->book for r to path, naming provinces and areas
 * through rd (an area missing from rd is shown by its code).  r and rd are
 * only read.  Returns 0, or -1 with err set: DIAG_USAGE when o->as_of is
 * not a valid "YYYY-MM-DD" date from 1970-01-02 on, DIAG_CANTCREAT when
 * path cannot be written, DIAG_IO when libxlsxwriter rejects a call,
 * DIAG_DATA if a running sum of the monthly flows overflows.  The file is
 * written as a common/atomicfile.h file: until the workbook is complete
 * and synced, path keeps what it held (a kill or a failure leaves the
 * previous workbook, never a partial one), and a symlink at path is
 * replaced, never written through.
 */
int xlsx_write_attachment(const char *path, const struct rollup *r,
                          const struct refdata *rd, const struct xlsx_opts *o,
                          struct diag *err);

/*
 * The same into af, a common/atomicfile.h file the caller opened and will
 * commit (with the other files of its set) or release.  Same errors.
 */
int xlsx_write_attachment_to(struct atomicfile *af, const struct rollup *r,
                             const struct refdata *rd,
                             const struct xlsx_opts *o, struct diag *err);

/*
 * The helpers below are public only so that they can be unit-tested.
 */

/*
 * Check a sheet name (or a defined name) before it reaches libxlsxwriter,
 * whose 1.1.4 checks are incomplete: valid UTF-8, non-empty, at most 31
 * code points, none of [ ] : * ? / \, no leading or trailing apostrophe.
 * Returns 0, or -1 with err set (DIAG_CONFIG, the name quoted).
 */
int xlsx_check_name(const char *name, struct diag *err);

/*
 * Display width of s in units of the default font's digit width: East
 * Asian wide and fullwidth characters count 2, everything else 1.
 */
size_t xlsx_text_width(const char *s);

/*
 * Seconds from 1970-01-01T00:00:00Z to midnight UTC of the date "YYYY-MM-DD"
 * (exactly that shape, a real calendar day, year 1970..9999).  Returns 0,
 * or -1 with err set (DIAG_USAGE, the value quoted).
 */
int xlsx_date_epoch(const char *ymd, int64_t *secs, struct diag *err);

#endif /* REPORT_XLSX_H */
