/* SPDX-License-Identifier: MIT */
/*
 * ingest/xlsx.h - an Excel workbook (.xlsx) read as the CSV text of one
 * of its sheets.
 *
 * No C reader of .xlsx is packaged in Debian 12; libzip and expat are, and
 * an .xlsx is a zip archive of XML parts: this module finds the sheet
 * (the first worksheet, or the one named), loads the shared strings and
 * the cell styles, and streams the sheet's XML, writing each spreadsheet
 * row as one CSV line, so that the one way in (ingest/input.h) reads the
 * sheet with the same readers, the same rules and the same messages as the
 * CSV file a user would have exported, and line N of a message is row N of
 * the sheet, field M its column M (the messages name the cell, G12).
 *
 * A cell becomes the text Excel shows for it, exactly: a string (shared,
 * inline or rich text, phonetic runs dropped, _xHHHH_ escapes decoded, a
 * line break read as a space); a number by the exact rule of
 * ingest/xlsxnum.h; a number with a date format as its date; TRUE/FALSE;
 * an error value as its text (#DIV/0!), which the readers refuse with a
 * hint.  A formula gives its saved value; one saved without a value is an
 * error naming the cell.  Merged cells hold their value in their first
 * cell, as in a CSV export.  Memory is bounded by the shared strings (a
 * sheet is never held whole).
 */
#ifndef INGEST_XLSX_H
#define INGEST_XLSX_H

#include <stdbool.h>
#include <stddef.h>

struct diag_list;
struct xlsx;

/* Bounds on what a workbook may inflate to. */
#define XLSX_MAX_SHEET   ((size_t)4 << 30)   /* one sheet's XML */
#define XLSX_MAX_STRINGS ((size_t)512 << 20) /* the shared strings' XML */
#define XLSX_MAX_PART    ((size_t)64 << 20)  /* any other part */

/* Is buf[0..len), the start of an input, a zip archive with xl/ parts? */
bool xlsx_sniff(const char *buf, size_t len);

/*
 * Open the workbook on fd (a regular file: read in place, fd borrowed) or
 * in buf[0..len) (when fd < 0: borrowed, kept until xlsx_close), choose
 * its sheet (NULL: the first worksheet) and load what reading it needs.
 * NULL with the problems in dl (file:0:0) when it cannot be read; a
 * workbook with more than one worksheet read without a sheet name gets a
 * warning naming them.
 */
struct xlsx *xlsx_open(const char *file, int fd, const char *buf, size_t len,
                       const char *sheet, struct diag_list *dl);

/* The name of the sheet chosen. */
const char *xlsx_sheet_name(const struct xlsx *x);

/*
 * Write the sheet as UTF-8 CSV text (no BOM, LF line ends, one line per
 * spreadsheet row, blank lines for missing rows) to out_fd.  Returns 0, or
 * -1 with the problems in dl; when writing fails with EPIPE (the reader
 * stopped) it stops quietly and returns 0.
 */
int xlsx_write_csv(struct xlsx *x, int out_fd, struct diag_list *dl);

void xlsx_close(struct xlsx *x);

#endif /* INGEST_XLSX_H */
