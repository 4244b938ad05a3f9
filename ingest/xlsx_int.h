/* SPDX-License-Identifier: MIT */
/*
 * ingest/xlsx_int.h - what ingest/xlsx.c (the workbook) and
 * ingest/xlsxsheet.c (the sheet as CSV) share.  Not an interface.
 */
#ifndef INGEST_XLSX_INT_H
#define INGEST_XLSX_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <zip.h>

#include "common/sbuf.h"

struct xlsx {
    const char *file;
    zip_t *zip;
    char *sheet_name;
    char *sheet_part; /* "xl/worksheets/sheet1.xml" */
    bool date1904;
    unsigned char *xf_kind; /* per cell style (cellXfs index): enum
                               xlsxnum_kind of its number format */
    size_t nxf;
    struct xlsxsst *sst; /* the shared strings (ingest/xlsxsst.h) */
};

/*
 * Append s[0..len) decoded of the _xHHHH_ escapes (_x000D_ is a CR,
 * _x005F_ a literal '_'); control characters other than TAB, CR and LF are
 * dropped.
 */
void xlsx_unescape(struct sbuf *out, const char *s, size_t len);

#endif /* INGEST_XLSX_INT_H */
