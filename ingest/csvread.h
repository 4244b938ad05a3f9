/* SPDX-License-Identifier: MIT */
/*
 * ingest/csvread.h - RFC 4180 CSV over libcsv, with exact line numbers.
 *
 * libcsv (strict mode) does the parsing; this module feeds it one physical
 * line at a time so that every record knows the line on which it began and
 * every field its 1-based column, which libcsv cannot tell.  Quoted fields
 * may contain commas, quotes ("") and newlines.  Spaces around unquoted
 * fields are kept (the validator decides what to trim).  Blank lines are
 * skipped.  A physical line ends at LF, CRLF or a lone CR (old Mac Excel),
 * so a file with CR-only line ends is numbered as an editor shows it.
 */
#ifndef INGEST_CSVREAD_H
#define INGEST_CSVREAD_H

#include <stdbool.h>
#include <stddef.h>

struct diag;

struct csvread_field {
    const char *s; /* NUL-terminated copy; valid only during the callback */
    size_t len;
};

struct csvread_row {
    const struct csvread_field *fields;
    size_t nfields;
    unsigned long line;     /* physical line where the record began */
    unsigned long end_line; /* physical line where it ended (quoted NLs) */
    unsigned long index;    /* 0 for the first record (the header) */
};

/*
 * Called once per record.  Return 0 to go on, non-zero to stop (that value
 * is then returned by csvread_buffer()).
 */
typedef int csvread_row_fn(const struct csvread_row *row, void *ctx);

/* Records longer than this (bytes) are an error: almost surely a quote left
 * open, which would otherwise swallow the rest of the file. */
#define CSVREAD_MAX_RECORD (1u << 20)

/*
 * Parse buf[0..len) (UTF-8, no BOM), calling fn for every record.
 * Returns 0 at the end, fn's non-zero value if fn stopped, or -1 on a
 * syntax error with err set (DIAG_FORMAT, err->file = file):
 *  - malformed quoting: line and column (field number) where libcsv
 *    stopped, message saying what is wrong and quoting the field so far;
 *  - a quote never closed: line where the field began, message
 *    "unterminated quoted field that began on line N";
 *  - a record over CSVREAD_MAX_RECORD bytes: same, naming where it began.
 */
int csvread_buffer(const char *buf, size_t len, const char *file,
                   csvread_row_fn *fn, void *ctx, struct diag *err);

/* The same with another field separator (a tab or ';'; never a quote). */
int csvread_buffer_delim(const char *buf, size_t len, char delim,
                         const char *file, csvread_row_fn *fn, void *ctx,
                         struct diag *err);

/* Is s[0..len) (trimmed, not NUL-terminated) a known column name? */
typedef bool csvread_known_fn(const char *s, size_t len, void *ctx);

/*
 * The field separator of buf[0..len): of ',', '\t' and ';', the one that
 * splits one of its first max_lines lines (the header, perhaps below title
 * rows) into the most fields known() accepts; ',' when none does better.
 * Quotes are not parsed here: a header field is assumed not to hold a
 * separator.
 */
char csvread_guess_delim(const char *buf, size_t len, unsigned max_lines,
                         csvread_known_fn *known, void *ctx);

#endif /* INGEST_CSVREAD_H */
