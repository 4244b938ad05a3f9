/* SPDX-License-Identifier: MIT */
#include "ingest/detail_chunk.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pthread.h>
#include <unistd.h>

#include "common/diag.h"
#include "common/fdio.h"
#include "common/i18n.h"
#include "common/sha256.h"
#include "common/xalloc.h"
#include "ingest/csvread.h"
#include "ingest/detail.h"
#include "ingest/detail_int.h"
#include "ingest/detail_row.h"
#include "ingest/scan.h"

/* ---------------------------------------------------------------------------
 * Reading and cutting
 */

void
detail_chunk_reserve(char **buf, size_t *alloc, size_t want)
{
    if (*alloc >= want)
        return;
    *alloc = want;
    *buf = xrealloc(*buf, want);
}

static double
seconds_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) +
           (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Under sh->mu: record the finished chunk of w. */
static void
commit_chunk(struct detail_shared *sh, struct detail_worker *w)
{
    if (!w->have_chunk)
        return;
    sh->chunks[w->chunk] = w->info;
    sh->rows_done += w->rows;
    w->rows = 0;
    if (w->syntax) {
        if (!sh->have_syntax || w->chunk < sh->syntax_chunk)
            sh->syntax_chunk = w->chunk;
        sh->have_syntax = true;
        sh->stop = true;
    }
    if (w->tab.over && (!sh->have_over || w->chunk < sh->over_chunk)) {
        /* the file has too many keys: no point in reading on */
        sh->over_chunk = w->chunk;
        sh->have_over = true;
        sh->stop = true;
    }
    w->have_chunk = false;
    w->syntax = false;
}

/*
 * Under sh->mu: read the next chunk into w->buf.  Returns its length, or 0
 * when there is nothing more to do.
 */
static size_t
take_chunk(struct detail_shared *sh, struct detail_worker *w, bool *overlong)
{
    size_t n = sh->carry_len, split;

    *overlong = false;
    if (sh->stop || (sh->eof && n == 0))
        return 0;
    detail_chunk_reserve(&w->buf, &w->alloc, n + sh->chunk_bytes + DETAIL_PAD);
    memcpy(w->buf, sh->carry, n);
    sh->carry_len = 0;
    for (;;) {
        if (!sh->eof) {
            detail_chunk_reserve(&w->buf, &w->alloc,
                                 n + sh->chunk_bytes + DETAIL_PAD);
            ssize_t got = fdio_read_full(sh->fd, w->buf + n, sh->chunk_bytes);
            if (got < 0) {
                sh->read_errno = errno;
                sh->stop = true;
                return 0;
            }
            if ((size_t)got < sh->chunk_bytes)
                sh->eof = true;
            if (sh->inline_sha != NULL)
                sha256_stream_add(sh->inline_sha, w->buf + n, (size_t)got);
            n += (size_t)got;
            sh->bytes_read += (uint64_t)got;
        }
        if (sh->eof) {
            split = n;
            break;
        }
        split = scan_last_boundary(w->buf, n);
        if (split > 0)
            break;
        if (n >= CSVREAD_MAX_RECORD) {
            split = n;
            *overlong = true;
            sh->stop = true;
            break;
        }
    }
    if (split == 0)
        return 0;
    detail_chunk_reserve(&sh->carry, &sh->carry_alloc, n - split);
    memcpy(sh->carry, w->buf + split, n - split);
    sh->carry_len = n - split;

    w->chunk = sh->next_chunk++;
    if (w->chunk >= sh->chunks_alloc) {
        size_t a = sh->chunks_alloc ? 2 * sh->chunks_alloc : 64;
        sh->chunks = xreallocarray(sh->chunks, a, sizeof(*sh->chunks));
        memset(sh->chunks + sh->chunks_alloc, 0,
               (a - sh->chunks_alloc) * sizeof(*sh->chunks));
        sh->chunks_alloc = a;
    }
    w->have_chunk = true;
    memset(&w->info, 0, sizeof(w->info));

    if (sh->progress != NULL && seconds_since(&sh->last_progress) >= 0.25) {
        struct detail_progress p = {sh->bytes_read, sh->bytes_total,
                                    sh->rows_done, false};
        clock_gettime(CLOCK_MONOTONIC, &sh->last_progress);
        sh->progress(&p, sh->progress_ctx);
    }
    return split;
}

static void *
worker_main(void *arg)
{
    struct detail_worker *w = arg;
    struct detail_shared *sh = w->sh;

    for (;;) {
        bool overlong;
        pthread_mutex_lock(&sh->mu);
        commit_chunk(sh, w);
        size_t len = take_chunk(sh, w, &overlong);
        pthread_mutex_unlock(&sh->mu);
        if (len == 0)
            break;
        detail_row_parse_chunk(w, len, overlong);
    }
    return NULL;
}

unsigned
detail_chunk_threads(unsigned want)
{
    if (want == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        want = n > 0 ? (unsigned)n : 1;
    }
    return want > DETAIL_MAX_THREADS ? DETAIL_MAX_THREADS : want;
}

unsigned
detail_chunk_run(struct detail_shared *sh, struct detail_worker *ws,
                 unsigned nw)
{
    unsigned started = 1;

    clock_gettime(CLOCK_MONOTONIC, &sh->last_progress);
    for (unsigned i = 1; i < nw; i++) {
        if (pthread_create(&ws[i].tid, NULL, worker_main, &ws[i]) != 0)
            break; /* fewer threads: slower, not wrong */
        started++;
    }
    worker_main(&ws[0]);
    for (unsigned i = 1; i < started; i++)
        pthread_join(ws[i].tid, NULL);
    if (sh->progress != NULL) {
        struct detail_progress p = {sh->bytes_read, sh->bytes_total,
                                    sh->rows_done, true};
        sh->progress(&p, sh->progress_ctx);
    }
    return started;
}

/* ---------------------------------------------------------------------------
 * Hashing alongside the parsing
 */

/* Reads the regular file on its own (pread: no shared offset). */
static void *
hasher_main(void *arg)
{
    struct detail_hasher *h = arg;
    size_t bufsz = 1u << 20;
    char *buf = xmalloc(bufsz);

    for (;;) {
        ssize_t n = pread(h->fd, buf, bufsz, (off_t)h->bytes);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            h->err = errno;
            break;
        }
        if (n == 0)
            break;
        sha256_stream_add(h->st, buf, (size_t)n);
        h->bytes += (uint64_t)n;
    }
    free(buf);
    return NULL;
}

bool
detail_chunk_hash_start(struct detail_hasher *h, int fd)
{
    memset(h, 0, sizeof(*h));
    h->fd = fd;
    h->st = sha256_stream_new();
    h->running = pthread_create(&h->tid, NULL, hasher_main, h) == 0;
    if (!h->running) {
        sha256_stream_free(h->st);
        h->st = NULL;
    }
    return h->running;
}

void
detail_chunk_hash_end(struct detail_hasher *h, bool report, uint64_t bytes,
                      char hex[SHA256_HEX_LEN + 1], const char *path,
                      struct diag_list *dl)
{
    if (!h->running)
        return;
    pthread_join(h->tid, NULL);
    h->running = false;
    if (report) {
        if (h->err != 0)
            diag_list_addf(dl, DIAG_ERROR, DIAG_IO, path, 0, 0,
                           _("cannot read: %s"), strerror(h->err));
        else if (h->bytes != bytes)
            diag_list_addf(dl, DIAG_ERROR, DIAG_IO, path, 0, 0,
                           _("the file changed while it was being read"));
        else
            sha256_stream_hex(h->st, hex);
    }
    sha256_stream_free(h->st);
    h->st = NULL;
}
