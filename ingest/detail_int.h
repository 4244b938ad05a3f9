/* SPDX-License-Identifier: MIT */
/*
 * ingest/detail_int.h - INTERNAL to the detail reader (ingest/detail*.c):
 * the state its parts share.  Nothing outside ingest/detail*.c may include
 * it; the contract for everyone else is ingest/detail.h.
 *
 * The parts: detail.c (the entry points; starting the input, the header,
 * cleaning up), detail_cols.c (column names), detail_chunk.c (cutting the
 * file into chunks, the threads, the hasher), detail_row.c (parsing a
 * chunk: the row loop), detail_cells.c (a thread's sums) and
 * detail_result.c (merging the threads' work into the result).
 */
#ifndef INGEST_DETAIL_INT_H
#define INGEST_DETAIL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <pthread.h>

#include "common/diag.h"
#include "common/sbuf.h"
#include "ingest/detail.h"
#include "ingest/detail_cells.h"
#include "ingest/detail_cols.h"
#include "ingest/encoding.h"
#include "ingest/scan.h"

struct ingest_opts;
struct refdata;
struct sha256_stream;

/* Longest identifier accepted (a resident ID has 18 characters). */
#define DETAIL_ID_MAX 64

/*
 * Bytes readable after the end of a chunk in a worker's buffer, so that a
 * field of up to 8 bytes can be loaded as one word (the excess is masked).
 */
#define DETAIL_PAD 16

/* At most this many distinct unknown payer areas are listed per thread. */
#define DETAIL_UNKNOWN_AREAS_MAX 1000

struct detail_chunk_info {
    unsigned long lines; /* newlines in the chunk */
    size_t errors, warnings;
};

/* A problem found by a thread; its line is resolved at the end. */
struct detail_perr {
    uint64_t chunk; /* UINT64_MAX: not in a chunk (line is absolute) */
    unsigned long line;
    unsigned long seq; /* order of finding, to keep sorting stable */
    struct diag d;
};

struct detail_unknown_area {
    int area;
    uint64_t first; /* chunk << 32 | line */
    uint64_t rows;
};

/*
 * The use and relation values a thread has met, with their parse, in a
 * small hash table (linear probing over a few slots): a repeated value
 * costs one hash and, nearly always, one compare.  A value is kept as its
 * length and two words (its first and last 8 bytes), which identify it
 * exactly up to 16 bytes; longer ones (Chinese names) are also compared in
 * full.
 */
#define DETAIL_CODE_CACHE 64
#define DETAIL_CODE_PROBE 4

struct detail_code_cache {
    struct {
        uint64_t w0, w1;
        unsigned char len; /* 0 = empty slot */
        signed char val;
        char s[38];
    } e[DETAIL_CODE_CACHE];
};

struct detail_shared {
    /* set before the threads start, read-only afterwards */
    const char *path;
    int fd;
    const struct ingest_opts *io;
    const struct refdata *rd;
    enum encoding enc;
    size_t nfields;
    int idx[DETAIL_COL_N];
    unsigned long first_line; /* line of the first data row */
    size_t chunk_bytes;
    bool prov_ok[100];   /* first two digits of an area: a province */
    uint8_t *area_known; /* bitmap over 0..999999: in data/areas.csv */

    pthread_mutex_t mu; /* guards everything below */
    char *carry;        /* the partial record after the last chunk */
    size_t carry_len, carry_alloc;
    bool eof, stop;
    int read_errno;
    uint64_t next_chunk;
    struct detail_chunk_info *chunks;
    size_t chunks_alloc;
    /*
     * The first chunk with a syntax error, or with the row that crossed
     * the key budget (DETAIL_KEYS_MAX): problems after it are not reported.
     */
    bool have_syntax;
    uint64_t syntax_chunk;
    /* the first chunk after which a thread's table was over budget */
    bool have_over;
    uint64_t over_chunk;
    uint64_t bytes_read, rows_done, bytes_total;
    struct sha256_stream *inline_sha; /* hashing in the reader (pipes) */
    detail_progress_fn *progress;
    void *progress_ctx;
    struct timespec last_progress;
};

struct detail_worker {
    struct detail_shared *sh;
    pthread_t tid;
    char *buf;
    size_t alloc;
    struct scan sc;
    struct detail_cells tab;
    struct detail_perr *errs;
    size_t nerrs;
    unsigned long seq;
    struct detail_unknown_area *ua;
    size_t nua;
    uint64_t ua_dropped;
    struct detail_code_cache cache[3]; /* use, relation, channel */
    struct sbuf tmp;
    /* the chunk being parsed, committed under the lock when done */
    uint64_t chunk;
    bool have_chunk, syntax;
    struct detail_chunk_info info;
    uint64_t rows;
    uint64_t errors; /* all errors this thread found */
    /* the "YYYY-MM-" of the last valid settle_time, and what it means */
    uint64_t ym_word;
    int ym_val;
    unsigned ym_days;
};

/* 8 bytes at p as one word, in memory order. */
static inline uint64_t
detail_load64(const char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

#endif /* INGEST_DETAIL_INT_H */
