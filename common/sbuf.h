/* SPDX-License-Identifier: MIT */
/*
 * common/sbuf.h - a growable NUL-terminated byte string (git's strbuf).
 *
 * `buf` is never NULL after sbuf_init(): it points at a static empty string
 * until something is added, so `sb.buf` can always be printed.
 */
#ifndef COMMON_SBUF_H
#define COMMON_SBUF_H

#include <stdarg.h>
#include <stddef.h>

struct sbuf {
    size_t alloc; /* 0 while buf points at the static empty string */
    size_t len;
    char *buf;
};

extern char sbuf_slopbuf[];
#define SBUF_INIT                                                              \
    {                                                                          \
        0, 0, sbuf_slopbuf                                                     \
    }

void sbuf_init(struct sbuf *sb);
void sbuf_release(struct sbuf *sb);
/* Hand the buffer to the caller (who frees it with free()); sb is reset. */
char *sbuf_detach(struct sbuf *sb, size_t *len);
void sbuf_grow(struct sbuf *sb, size_t extra);
void sbuf_reset(struct sbuf *sb); /* len = 0, memory kept */
void sbuf_setlen(struct sbuf *sb, size_t len);
void sbuf_add(struct sbuf *sb, const void *data, size_t len);
void sbuf_addstr(struct sbuf *sb, const char *s);
void sbuf_addch(struct sbuf *sb, int c);
void sbuf_addf(struct sbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void sbuf_vaddf(struct sbuf *sb, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

#endif /* COMMON_SBUF_H */
