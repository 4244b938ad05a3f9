/* SPDX-License-Identifier: MIT */
/*
 * ingest/sumtotal.h - total and subtotal rows of a summary file: checked
 * against the rows they total, never stored (DESIGN §3).
 *
 * ingest/sumrow.c recognises a total row and turns it into a pattern over
 * the store's key: each of period, area, scope, use and relation is either
 * one value or "all"; the area may also be "all areas of province P".  The
 * row's person-times and amount must equal the sums over the file's data
 * rows that match the pattern.  The shapes recognised are documented in
 * sumrow.c (and the README).  A coarse scope or use in a pattern (省内,
 * 就医购药) matches its descendants too, except in a relation subtotal,
 * which totals the relations of its own scope and use.
 */
#ifndef INGEST_SUMTOTAL_H
#define INGEST_SUMTOTAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/period.h"

struct codes;
struct diag_list;
struct record;

/* What made a row a total row (the notes are grouped by it). */
enum sumtotal_kind {
    SUMTOTAL_MARKED,   /* a cell holds 合计, 小计 or 总计 */
    SUMTOTAL_PROVINCE, /* the area is a province (xx0000 or its name) */
    SUMTOTAL_RELATION, /* relation blank beside rows with relations */
    SUMTOTAL_PARENT,   /* a coarse scope or use (省内) beside its parts */
    SUMTOTAL_KIND_N
};

#define SUMTOTAL_ANY 0xff /* channel, scope, use or relation: all values */

struct sumtotal {
    enum sumtotal_kind kind;
    bool any_period;
    struct period period;
    int area; /* 0 = all areas, xx0000 = all of that province, or an area */
    unsigned char channel, scope, use, relation; /* or SUMTOTAL_ANY */
    const struct codes *codes; /* the sets they are values of (NULL: the
                                  built-in ones) */
    int64_t person_times;
    int64_t amount_fen;
    unsigned long line;       /* physical line of the total row */
    unsigned long col;        /* 1-based field that makes it a total */
    unsigned long pt_col;     /* 1-based person_times field */
    unsigned long amount_col; /* 1-based amount field */
};

/* The rows a coarse row lies beside (sumtotal_parts()). */
struct sumtotal_parts {
    size_t n; /* how many */
    int64_t person_times;
    int64_t amount_fen;
    bool overflow;      /* the sums overflow */
    unsigned long line; /* the first of them */
    uint32_t scopes;    /* bit v set: a part has scope v */
    uint32_t uses;      /* bit v set: a part has use v */
};

/*
 * Whether sorted[i] has a coarse scope or use (a value with children, as
 * 省内 or 就医购药) and other rows of sorted[lo..hi) - the rows of its
 * period, area and channel, sorted by submission_key_cmp() - lie within
 * it: the same relation, each of scope and use the row's value or a
 * descendant of it.  Then *p gets those parts and their sums, taken over
 * the outermost of them (a row inside another part is that part's
 * business, not counted twice).  False, *p zeroed, otherwise.
 */
bool sumtotal_parts(const struct codes *cs, const struct record *sorted,
                    size_t lo, size_t hi, size_t i, struct sumtotal_parts *p);

/*
 * Check the totals t[0..nt) of file against its data rows sorted[0..n)
 * (sorted by submission_key_cmp()).  A total that matches no data row, or
 * whose figures differ from the sums of the rows it matches, is an error
 * at its line naming the stated and the computed figures; the totals that
 * agree are one warning per kind ("skipped, not stored") listing their
 * lines.  Returns the number of errors added to dl.
 */
size_t sumtotal_check(const struct sumtotal *t, size_t nt,
                      const struct record *sorted, size_t n, const char *file,
                      struct diag_list *dl);

#endif /* INGEST_SUMTOTAL_H */
