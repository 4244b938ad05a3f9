/* SPDX-License-Identifier: MIT */
/*
 * report/xlsxtables.h - the contents of the workbooks' sheets
 * (report/xlsx.h describes them), written with report/xlsxsheet.h.
 *
 * Each function adds its sheet to b's workbook and returns 0, or -1 when b
 * has failed (the first failure is in b->err).
 */
#ifndef REPORT_XLSXTABLES_H
#define REPORT_XLSXTABLES_H

struct review_result;
struct xlsxsheet_book;

/* 附件: the per-province table with native charts to its right. */
int xlsxtables_attachment(struct xlsxsheet_book *b);

/* 附件精确值: the same table in 人次 and 元, exact (internal workbook). */
int xlsxtables_attachment_exact(struct xlsxsheet_book *b);

/* 统筹区: every pooling area, with an autofilter. */
int xlsxtables_areas(struct xlsxsheet_book *b);

/* 月度: the nation's monthly and cumulative series, then each region's. */
int xlsxtables_monthly(struct xlsxsheet_book *b);

/* 来源: the stored files the figures come from. */
int xlsxtables_sources(struct xlsxsheet_book *b);

/* 审核: the findings of a review of the period, header frozen. */
int xlsxtables_review(struct xlsxsheet_book *b, const struct review_result *rv);

#endif /* REPORT_XLSXTABLES_H */
