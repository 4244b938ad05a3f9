/* SPDX-License-Identifier: MIT */
/*
 * ingest/detail_chunk.h - the parallel part of the detail reader: cutting
 * the input into chunks at record boundaries, the parsing threads that
 * take them in turn, and the thread that hashes a regular file alongside
 * (ingest/detail.h explains the scheme).
 */
#ifndef INGEST_DETAIL_CHUNK_H
#define INGEST_DETAIL_CHUNK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pthread.h>
#include <sys/types.h>

#include "common/sha256.h"

struct detail_shared;
struct detail_worker;
struct diag_list;
struct sha256_stream;

/* Grow the heap buffer *buf of *alloc bytes to at least want bytes. */
void detail_chunk_reserve(char **buf, size_t *alloc, size_t want);

/* The parsing threads to use for detail_opts.threads = want. */
unsigned detail_chunk_threads(unsigned want);

/*
 * Parse the rest of the input (after the header, sh->carry first) with the
 * nw workers ws, ws[0] on the calling thread, until the end of the input,
 * a read error (sh->read_errno) or a syntax error (sh->have_syntax).  Calls
 * sh->progress along the way and once more at the end.  Returns the number
 * of threads that ran (fewer than nw when some could not be created).
 */
unsigned detail_chunk_run(struct detail_shared *sh, struct detail_worker *ws,
                          unsigned nw);

/* A thread hashing a regular file with pread(2), independently of the rest. */
struct detail_hasher {
    int fd;
    pthread_t tid;
    bool running;
    uint64_t bytes; /* bytes hashed */
    int err;        /* errno of a failed read, or 0 */
    struct sha256_stream *st;
};

/*
 * Start hashing the regular file fd from its start.  Returns true, or false
 * when the thread could not be created (the caller hashes as it reads).
 */
bool detail_chunk_hash_start(struct detail_hasher *h, int fd);

/*
 * Wait for the hasher, if it is running.  When `report`, write its hex into
 * hex if it read exactly `bytes` bytes, else add a DIAG_IO error about
 * `path` to dl.  Releases what h holds.
 */
void detail_chunk_hash_end(struct detail_hasher *h, bool report, uint64_t bytes,
                           char hex[SHA256_HEX_LEN + 1], const char *path,
                           struct diag_list *dl);

#endif /* INGEST_DETAIL_CHUNK_H */
