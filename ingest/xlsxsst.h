/* SPDX-License-Identifier: MIT */
/*
 * ingest/xlsxsst.h - a workbook's shared strings, in bounded memory.
 *
 * Excel keeps every distinct text of a workbook once, in
 * xl/sharedStrings.xml, and a text cell holds its index.  A sheet of a
 * million settlements has millions of distinct texts (settlement numbers,
 * IDs): more than a reader should hold in memory.  The first
 * XLSXSST_IN_MEMORY bytes of strings are kept in memory (the frequent ones,
 * area codes and names, come first: Excel numbers strings in order of first
 * use); the rest go to an unlinked temporary file, as length-prefixed
 * records, with the offset of every XLSXSST_MARK-th in memory.  Reading a
 * spilled string reads a window of the file; a sheet uses its strings
 * mostly in order, so one window serves many cells.
 */
#ifndef INGEST_XLSXSST_H
#define INGEST_XLSXSST_H

#include <stddef.h>

#define XLSXSST_IN_MEMORY ((size_t)16 << 20)
#define XLSXSST_MARK      64

struct xlsxsst;

/* An empty table that keeps up to mem bytes of strings in memory. */
struct xlsxsst *xlsxsst_new(size_t mem);
void xlsxsst_free(struct xlsxsst *t);

/* Append string s[0..len).  0, or -1 with errno set (the temporary file). */
int xlsxsst_add(struct xlsxsst *t, const char *s, size_t len);

/* How many strings the table holds. */
size_t xlsxsst_count(const struct xlsxsst *t);

/* How many of them went to the temporary file. */
size_t xlsxsst_spilled(const struct xlsxsst *t);

/*
 * String i (< xlsxsst_count()) into *s, *len: valid until the next call
 * (not NUL-terminated).  0, or -1 with errno set.
 */
int xlsxsst_get(struct xlsxsst *t, size_t i, const char **s, size_t *len);

#endif /* INGEST_XLSXSST_H */
