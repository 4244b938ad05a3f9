/* SPDX-License-Identifier: MIT */
#include "ingest/xlsxsst.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "common/sbuf.h"
#include "common/xalloc.h"

#define WINDOW      (256u << 10)
#define BACK_WINDOW (4u << 10)

/* A piece of the temporary file: [off, off + len) in buf. */
struct sst_window {
    char *buf;
    size_t len, cap;
    uint64_t off;
    bool valid;
};

struct xlsxsst {
    size_t mem; /* bytes of strings kept in memory, at most */
    /* in memory: strings 0..nmem, text[off[i]..off[i + 1]) */
    struct sbuf text;
    uint32_t *off;
    size_t nmem, aoff;
    /* spilled: strings nmem..nmem + nspill, in fp */
    FILE *fp;
    int fd;
    struct sbuf wbuf; /* records not yet written */
    uint64_t fsize;   /* bytes written (and in wbuf) */
    uint64_t *mark;   /* file offset of spilled string k * XLSXSST_MARK */
    size_t nspill, amark;
    struct sst_window seq, back; /* see xlsxsst_get() */
    /* the furthest spilled string read, and where the record after it
     * starts: a sheet reads its new strings in order, one after the other */
    size_t last;
    uint64_t last_next;
    bool have_last;
};

struct xlsxsst *
xlsxsst_new(size_t mem)
{
    struct xlsxsst *t = xcalloc(1, sizeof(*t));

    t->mem = mem < UINT32_MAX ? mem : UINT32_MAX - 1;
    sbuf_init(&t->text);
    sbuf_init(&t->wbuf);
    t->fd = -1;
    t->aoff = 1024;
    t->off = xreallocarray(NULL, t->aoff, sizeof(*t->off));
    t->off[0] = 0;
    return t;
}

void
xlsxsst_free(struct xlsxsst *t)
{
    if (t == NULL)
        return;
    if (t->fp != NULL)
        fclose(t->fp);
    sbuf_release(&t->text);
    sbuf_release(&t->wbuf);
    free(t->off);
    free(t->mark);
    free(t->seq.buf);
    free(t->back.buf);
    free(t);
}

size_t
xlsxsst_count(const struct xlsxsst *t)
{
    return t->nmem + t->nspill;
}

size_t
xlsxsst_spilled(const struct xlsxsst *t)
{
    return t->nspill;
}

static int
flush_records(struct xlsxsst *t)
{
    size_t done = 0;
    while (done < t->wbuf.len) {
        ssize_t n = write(t->fd, t->wbuf.buf + done, t->wbuf.len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        done += (size_t)n;
    }
    sbuf_reset(&t->wbuf);
    return 0;
}

static int
spill(struct xlsxsst *t, const char *s, size_t len)
{
    unsigned char hdr[4];

    if (len > UINT32_MAX) {
        errno = EOVERFLOW;
        return -1;
    }
    if (t->fp == NULL) {
        t->fp = tmpfile();
        if (t->fp == NULL)
            return -1;
        t->fd = fileno(t->fp);
    }
    if (t->nspill % XLSXSST_MARK == 0) {
        if (t->nspill / XLSXSST_MARK == t->amark) {
            t->amark = t->amark ? 2 * t->amark : 1024;
            t->mark = xreallocarray(t->mark, t->amark, sizeof(*t->mark));
        }
        t->mark[t->nspill / XLSXSST_MARK] = t->fsize;
    }
    for (int k = 0; k < 4; k++)
        hdr[k] = (unsigned char)(len >> (8 * k));
    sbuf_add(&t->wbuf, hdr, 4);
    sbuf_add(&t->wbuf, s, len);
    t->fsize += 4 + len;
    t->nspill++;
    if (t->wbuf.len >= WINDOW)
        return flush_records(t);
    return 0;
}

int
xlsxsst_add(struct xlsxsst *t, const char *s, size_t len)
{
    if (t->nspill > 0 || t->text.len + len > t->mem)
        return spill(t, s, len);
    if (t->nmem + 1 == t->aoff) {
        t->aoff *= 2;
        t->off = xreallocarray(t->off, t->aoff, sizeof(*t->off));
    }
    sbuf_add(&t->text, s, len);
    t->off[++t->nmem] = (uint32_t)t->text.len;
    return 0;
}

/* Make window w (of at least size bytes) hold file bytes [at, at + need). */
static int
window(struct xlsxsst *t, struct sst_window *w, size_t size, uint64_t at,
       size_t need)
{
    if (w->valid && at >= w->off && at + need <= w->off + w->len)
        return 0;
    if (t->wbuf.len > 0 && flush_records(t) < 0)
        return -1;
    size_t want = need > size ? need : size;
    if (want > w->cap) {
        w->buf = xrealloc(w->buf, want);
        w->cap = want;
    }
    size_t got = 0;
    while (got < want) {
        ssize_t n = pread(t->fd, w->buf + got, want - got, (off_t)(at + got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        got += (size_t)n;
    }
    w->off = at;
    w->len = got;
    w->valid = true;
    if (got < need) {
        errno = EIO; /* the file is shorter than what was written to it */
        return -1;
    }
    return 0;
}

/* The record at file offset *at into *s, *len; *at moves past it. */
static int
record(struct xlsxsst *t, struct sst_window *w, size_t size, uint64_t *at,
       const char **s, size_t *len)
{
    if (window(t, w, size, *at, 4) < 0)
        return -1;
    const unsigned char *h =
        (const unsigned char *)w->buf + (size_t)(*at - w->off);
    size_t n = (size_t)h[0] | (size_t)h[1] << 8 | (size_t)h[2] << 16 |
               (size_t)h[3] << 24;
    if (window(t, w, size, *at, 4 + n) < 0)
        return -1;
    *s = w->buf + (size_t)(*at - w->off) + 4;
    *len = n;
    *at += 4 + n;
    return 0;
}

/*
 * A spilled string is read through one of two windows: the stream of the
 * sheet's new strings, in order (a cursor and a large window: one read
 * serves thousands of cells), or a look back at an older one (a small
 * window from the nearest mark, which leaves the stream where it was).
 */
int
xlsxsst_get(struct xlsxsst *t, size_t i, const char **s, size_t *len)
{
    if (i < t->nmem) {
        *s = t->text.buf + t->off[i];
        *len = t->off[i + 1] - t->off[i];
        return 0;
    }
    size_t k = i - t->nmem;
    uint64_t at = t->mark[k / XLSXSST_MARK];
    size_t skip = k % XLSXSST_MARK;
    bool forward = !t->have_last || k > t->last;
    struct sst_window *w = forward ? &t->seq : &t->back;
    size_t size = forward ? WINDOW : BACK_WINDOW;
    if (t->have_last && k > t->last && k - t->last <= skip) {
        at = t->last_next; /* on from the last one */
        skip = k - t->last - 1;
    }
    for (;; skip--) {
        if (record(t, w, size, &at, s, len) < 0)
            return -1;
        if (skip == 0)
            break;
    }
    if (forward) {
        t->last = k;
        t->last_next = at;
        t->have_last = true;
    }
    return 0;
}
