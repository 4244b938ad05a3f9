/* SPDX-License-Identifier: MIT */
/*
 * ingest/detail.h - per-settlement detail files (DESIGN §3b): recognise
 * them by their header, validate every row, and aggregate on the fly to the
 * store's grain (period, area, scope, use, relation), in parallel threads
 * and in bounded memory.
 *
 * Each row is one person-time at area = payer_area in the month of
 * settle_time; scope is same_area when the two areas are equal, cross_area
 * when only their province (first two digits) matches, else
 * cross_province.  A negative amount is a reversal: it cancels one
 * person-time and nets the amount.
 *
 * The result is a `struct submission` (ingest/submission.h) with one row per
 * aggregated cell, sorted by key, and its (province, month) coverage, so
 * that store_put() stores it exactly as it stores a summary file, with the
 * same replace semantics.  Problems are reported like a summary file's:
 * FILE:LINE:COL, all of them (the first DIAG_LIST_KEEP kept, the rest
 * counted), the file rejected whole.  Syntax errors (malformed quoting) stop
 * the reading at the first one.
 *
 * payer_id and beneficiary_id are personal data: they are never stored and
 * never appear in a message except masked (detail_mask_id()).
 *
 * How the work is split: the file is read in chunks (never mapped or loaded
 * whole).  A reader, serialised by a mutex, cuts each chunk after the last
 * newline that lies outside quotes (it tracks quote parity, which RFC 4180
 * makes exact for well-formed input), carries the partial record over to
 * the next chunk, and hands the chunk to the thread that read it.  Each
 * thread parses its chunks with ingest/scan.h into its own hash table of
 * cells; the tables are merged at the end.  Memory is therefore
 * threads x (chunk + longest record) for buffers plus threads x distinct
 * keys for the tables, whatever the number of rows.  Line numbers are
 * resolved after the parallel phase from per-chunk newline counts.
 */
#ifndef INGEST_DETAIL_H
#define INGEST_DETAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct diag_list;
struct period;
struct ingest_opts;
struct refdata;
struct submission;

/* Default read size of one chunk, in bytes. */
#define DETAIL_CHUNK (1u << 20)

/* Upper bound on parsing threads. */
#define DETAIL_MAX_THREADS 64

struct detail_progress {
    uint64_t bytes_done;  /* bytes read so far */
    uint64_t bytes_total; /* size of the file; 0 when unknown (a pipe) */
    uint64_t rows_done;   /* data rows parsed so far */
    bool finished;        /* the last call, after all reading */
};

/*
 * Progress callback: called from whichever thread is reading, never from
 * two at once, at most every 250 ms, and once more with finished set.
 */
typedef void detail_progress_fn(const struct detail_progress *p, void *ctx);

struct detail_opts {
    unsigned threads;   /* parsing threads; 0 = one per online CPU */
    size_t chunk_bytes; /* read size; 0 = DETAIL_CHUNK (tests use tiny ones) */
    bool want_sha256;   /* fill sf->sha256 with the SHA-256 of the input */
    /*
     * The header row as UTF-8 text, for input that has none (a shard cut
     * out of a larger file), or NULL.  With or without it, a data row that
     * repeats the header (files concatenated) is skipped.
     */
    const char *header;
    detail_progress_fn *progress; /* or NULL */
    void *progress_ctx;
};

struct detail_stats {
    uint64_t rows;    /* data rows read (each a settlement or a reversal) */
    uint64_t bytes;   /* bytes read, header included */
    unsigned threads; /* parsing threads used */
};

/*
 * Read, validate and aggregate the detail file open on fd (a regular file
 * or a pipe), whose first prefix_len bytes the caller has already read into
 * prefix (from sniffing; may be 0).  `path` names it in messages and is
 * borrowed into sf->path.  io supplies --encoding and --strict.  Returns 0
 * when the file has no errors (warnings may have been added to dl), -1
 * otherwise, with sf holding no rows.  stats may be NULL.  fd is not
 * closed.
 */
int detail_read_fd(struct submission *sf, int fd, const char *path,
                   const char *prefix, size_t prefix_len,
                   const struct ingest_opts *io, const struct detail_opts *o,
                   const struct refdata *rd, struct diag_list *dl,
                   struct detail_stats *stats);

/* The same for a file by name (DIAG_NOINPUT in dl when it cannot open). */
int detail_read(struct submission *sf, const char *path,
                const struct ingest_opts *io, const struct detail_opts *o,
                const struct refdata *rd, struct diag_list *dl,
                struct detail_stats *stats);

/*
 * Write a personal identifier s[0..len) into out (size outsz) masked and
 * quoted for a message: the first 3 and last 2 characters kept, every other
 * character a '*' ('110***********34'); identifiers shorter than 8
 * characters are all stars.  Characters are UTF-8 code points; anything
 * unprintable becomes '?'.  At most 40 stars are written.  Returns out.
 */
char *detail_mask_id(char *out, size_t outsz, const char *s, size_t len);

/*
 * Parse a settle_time "YYYY-MM-DD HH:MM:SS", or as a spreadsheet rewrites
 * it, "2024/9/3 10:21", "2024/9/3 10:21:05", "2024-09-03 10:21" (a real
 * date and time, year within PERIOD_MIN_YEAR..PERIOD_MAX_YEAR).  Returns 0 with
 * *month set to its month, -1 when the shape is wrong, -2 when the date or time
 * does not exist (2024-02-30, 24:00:00), -3 when the year is out of range.
 */
int detail_parse_time(const char *s, size_t len, struct period *month);

#endif /* INGEST_DETAIL_H */
