/* SPDX-License-Identifier: MIT */
/*
 * ingest/reftable.h - reading the reference tables shipped under data/
 * (provinces.csv, areas.csv, columns.csv, units.csv, values.csv).
 *
 * A reference table is small UTF-8 text (a BOM is skipped) with a fixed
 * header line and unquoted, comma-separated, non-empty fields; LF or CRLF.
 * The whole file is read into memory and cut in place: the strings the
 * caller keeps point into t->text, which the caller then owns.  Every
 * problem is a DIAG_CONFIG error naming the file and line.
 */
#ifndef INGEST_REFTABLE_H
#define INGEST_REFTABLE_H

#include <stddef.h>

struct diag;

/* One reference table being read: its text and a cursor over its lines. */
struct reftable {
    const char *dir;
    const char *name; /* the file name, a string literal */
    char *text;       /* NUL-terminated; lines are cut in place */
    size_t len;
    size_t pos;
    unsigned long line; /* the line last returned, 1-based */
    struct diag *err;
};

/*
 * Read dir/name into t.  0, or -1 with err set (DIAG_CONFIG: cannot open,
 * too large; DIAG_IO: cannot read).  name must be a string literal: the
 * diag keeps pointing at it.
 */
int reftable_read(struct reftable *t, const char *dir, const char *name,
                  struct diag *err);

/* Lines t can have at most, for sizing arrays before reading it. */
size_t reftable_max_lines(const struct reftable *t);

/*
 * Cut the next line out of t and check that it is text we can use as is.
 * Returns 1 with *line and *len set, 0 at the end, -1 on error.
 */
int reftable_next_line(struct reftable *t, char **line, size_t *len);

/* Read the header line and check that it is exactly want.  0 or -1. */
int reftable_header(struct reftable *t, const char *want);

/*
 * Split the next data line into exactly nfield non-empty fields, cut in
 * place.  Returns 1, 0 at the end, or -1.
 */
int reftable_next_row(struct reftable *t, char **field, size_t nfield);

/*
 * Set t->err to a DIAG_CONFIG problem at t's current line and column col
 * (0 = the whole line), naming the directory.  Returns -1.
 */
int reftable_error(struct reftable *t, unsigned long col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif /* INGEST_REFTABLE_H */
