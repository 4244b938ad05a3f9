/* SPDX-License-Identifier: MIT */
/*
 * ingest/xlsxnum.h - a workbook cell's number as the text that was typed.
 *
 * A number cell holds a binary double, written into the sheet's XML as
 * decimal text with 15, 16 or 17 significant digits depending on the
 * writer (87908693.74 may be "87908693.74", "87908693.73999999" or
 * "87908693.739999995").  No double has more than 15 significant decimal
 * digits that survive its round trip, so rounding the written text, exactly
 * and as decimal digits, half up to 15 significant digits gives back what
 * was typed, whichever writer wrote it: "87908693.74".  No floating point is
 * used.  The text is then read by the same exact parsers as a CSV file's
 * value (ingest/sumrow.c, ingest/detail_row.c), so a value that is not a
 * whole number of fen (0.285, =A1/3) is an error there, as in a CSV file.
 */
#ifndef INGEST_XLSXNUM_H
#define INGEST_XLSXNUM_H

#include <stdbool.h>
#include <stddef.h>

struct sbuf;

/* Significant digits kept: DBL_DIG. */
#define XLSXNUM_DIGITS 15

/*
 * Append to out the decimal text of the number written v[0..len)
 * ([+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?), rounded to XLSXNUM_DIGITS
 * significant digits, without exponent or trailing zeros ("1e3" → "1000",
 * "0.30000000000000004" → "0.3", "-0" → "0").  Returns false, appending
 * nothing, when v is not such a number, or when its text would need more
 * than XLSXNUM_DIGITS integer digits or XLSXNUM_MAX_DECIMALS decimals:
 * the caller then shows v as written ("3.3010219900101E+17", an ID that
 * Excel turned into a number), which the readers refuse with a hint.
 */
bool xlsxnum_text(struct sbuf *out, const char *v, size_t len);

#define XLSXNUM_MAX_DECIMALS 30

/* How a cell's number format shows a number. */
enum xlsxnum_kind {
    XLSXNUM_NUMBER, /* as a number */
    XLSXNUM_DATE,   /* as a date, perhaps with a time */
    XLSXNUM_MONTH,  /* as a year and month only (yyyy"年"m"月", mmm-yy) */
};

/*
 * Append the date (and time, when it has one, to the second) of the Excel
 * serial v[0..len) (days since 1899-12-30, or since 1904-01-01 when
 * date1904): "2024-09-01" or "2024-09-03 10:21:00"; for XLSXNUM_MONTH the
 * month shown, "2024-09".  False, appending nothing, when v is not a number
 * or not a date from 1900-01-01 to 9999-12-31 (60 is Excel's 1900-02-29,
 * which never was).
 */
bool xlsxnum_date(struct sbuf *out, const char *v, size_t len, bool date1904,
                  enum xlsxnum_kind kind);

#endif /* INGEST_XLSXNUM_H */
