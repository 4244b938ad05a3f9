/* SPDX-License-Identifier: MIT */
/*
 * ingest/input.h - the one way in: read any one input, recognise its kind
 * and validate it.
 *
 * An input is a path, or "-" for standard input; a regular file, a pipe or
 * a FIFO (`gongji check <(cat f.csv)`): it is opened once and read once,
 * front to back, never reopened or mapped.  Its kind is told by its header
 * row (ingest/schema.h): a per-settlement detail file goes to the detail
 * reader (ingest/detail.h: aggregated on the fly, in bounded memory), a
 * monthly summary file to the summary reader (ingest/summary.h).  Either
 * way the result is one submission, a `struct submission`, with its rows
 * at the store's grain, its (province, month) coverage and its SHA-256, and
 * every problem in dl as FILE:LINE:COL.
 */
#ifndef INGEST_INPUT_H
#define INGEST_INPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "ingest/detail.h"
#include "ingest/submission.h"
#include "ingest/summary.h"

struct diag_list;
struct refdata;

struct input_opts {
    struct ingest_opts ingest; /* --encoding, --strict */
    unsigned threads;          /* detail parsing threads; 0 = one per CPU */
    /*
     * Detail rows without a header row (a shard): this is their header, as
     * UTF-8 text; NULL when the input has its own header.
     */
    const char *header;
    bool detail_sha256; /* hash detail input too (summaries always are) */
    /*
     * Standard input may hold several summary files concatenated (partial
     * results): each repetition of the first line starts another, and each
     * is validated on its own, so that a key in two partials is summed, not
     * a duplicate.  The result then has rows but no coverage (aggregate
     * only).
     */
    bool concatenated;
    /*
     * Most bytes of a summary file, which is read whole (detail files are
     * streamed, in bounded memory, whatever their size); 0 =
     * INPUT_SUMMARY_MAX.  A larger one is a DIAG_FORMAT error, found
     * before more than about this much memory is used.
     */
    size_t summary_max;
    detail_progress_fn *progress; /* detail files: progress, or NULL */
    void *progress_ctx;
};

/*
 * Read and validate the input at path ("-" = standard input, named
 * "<stdin>" in messages and in sf->path).  Reading stops early at a NUL
 * byte in a summary file (not text) or past o->summary_max.  Returns 0 when it
 * has no errors (warnings may have been added to dl), -1 otherwise, sf then
 * holding no rows.  An input that cannot be opened or read is DIAG_NOINPUT in
 * dl. path is borrowed into sf->path.
 */
int input_read(struct submission *sf, const char *path,
               const struct input_opts *o, const struct refdata *rd,
               struct diag_list *dl);

/*
 * Does buf[0..len), the start of an input, begin with the header of a
 * detail file?  The first line is decoded as UTF-8 (a BOM is skipped) or,
 * failing that, GB18030, and its fields looked up in the vocabulary of rd.
 * A malformed line is false (the summary reader then reports it).
 */
bool input_is_detail(const struct refdata *rd, const char *buf, size_t len);

/* The default summary_max: 256 MiB (a national year is ~4 MiB). */
#define INPUT_SUMMARY_MAX ((size_t)256 << 20)

/* The most bytes of a workbook given on a pipe (a file is read in place). */
#define INPUT_WORKBOOK_MAX ((size_t)1 << 30)

/* How much of an input is read to tell its kind. */
#define INPUT_PREFIX (64u << 10)

#endif /* INGEST_INPUT_H */
