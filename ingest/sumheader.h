/* SPDX-License-Identifier: MIT */
/*
 * ingest/sumheader.h - a summary file's header in two rows (Excel's merged
 * cells), read as one.
 *
 * A header exported from merged cells has a name over a span of columns
 * (共济人次 / 共济金额 / 共济情况, the text in the span's first cell, the
 * others empty) and the sub-headers in the row below, where the names merged
 * down over both rows leave empty cells.  ingest/summary.c holds back a
 * header row with an empty field and asks this module whether the next row
 * completes it.
 */
#ifndef INGEST_SUMHEADER_H
#define INGEST_SUMHEADER_H

#include <stdbool.h>
#include <stddef.h>

struct csvread_row;
struct sbuf;
struct vocab;

/*
 * top: the ntop fields of the first row, trimmed, each followed by a NUL;
 * sub: the row below it.  sub is the second row of the header when it has
 * some text and all of it under empty cells of top or under names that
 * span (are followed by an empty cell); a name of one column with text
 * under it means sub is data.  Returns true then, with the combined names
 * in names (appended, a NUL after each; *nnames of them): column by column
 * the sub-header under the name above it or, in a span, to its left, as
 * the vocabulary v knows it - name+sub (共济金额 + （万元）), name(sub)
 * (共济金额 + 万元), sub alone (共济情况 over 共济人次), else name+sub (a
 * name no column has: the header then says so); a name with nothing under
 * it stays itself if it spans nothing, else is empty (which column of the
 * span would it be?).  Returns false, names untouched, when sub is no
 * sub-header.
 */
bool sumheader_combine(const struct vocab *v, const char *top, size_t ntop,
                       const struct csvread_row *sub, struct sbuf *names,
                       size_t *nnames);

#endif /* INGEST_SUMHEADER_H */
