/* SPDX-License-Identifier: MIT */
/*
 * ingest/summary_int.h - INTERNAL to the summary reader (ingest/summary*.c):
 * the state its parts share while one file is read.  Nothing outside
 * ingest/summary.c and ingest/sumrow.c may include it; the contract for
 * everyone else is ingest/summary.h.
 *
 * The parts: summary.c (summary_parse(), the header and the rows above it,
 * repeated keys, relation subtotals and coverage) and sumrow.c (the
 * validation of one data row, total rows among them).
 */
#ifndef INGEST_SUMMARY_INT_H
#define INGEST_SUMMARY_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "common/sbuf.h"
#include "ingest/schema.h"
#include "ingest/sumtotal.h"

struct diag_list;
struct ingest_opts;
struct refdata;
struct submission;

struct parse_ctx {
    struct submission *sf;
    const struct ingest_opts *opts;
    const struct refdata *rd;
    struct diag_list *dl;
    const char *file;
    struct schema schema;
    size_t alloc;
    int header_ok;
    int errors;
    struct sumtotal *totals; /* total rows: checked, never stored */
    size_t ntotal, total_alloc;
    unsigned long *blank_rel; /* lines of data rows with a blank relation */
    size_t nblank, blank_alloc;
    /* rows above the header (title and unit rows), what unit rows said */
    unsigned long header_line, preamble_rows;
    struct schema_units units;
    char delim;      /* the field separator: ',', '\t' or ';' */
    struct sbuf hdr; /* the header's fields, trimmed, NUL after each */
    /* the first row of a two-row header, while the second is awaited */
    struct sbuf top; /* its fields, trimmed, NUL after each */
    size_t ntop;
    unsigned long top_line;
    bool top_done;   /* the second row came */
    bool below_done; /* the row below the header was seen (a unit row?) */
    /* a value cell normalised by value() */
    char norm[128];
    /* the measures' names in messages, translated once per file */
    const char *what_person_times, *what_amount;
};

#endif /* INGEST_SUMMARY_INT_H */
