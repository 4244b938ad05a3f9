/* SPDX-License-Identifier: MIT */
#include "common/sbuf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/diag.h"
#include "common/xalloc.h"

char sbuf_slopbuf[1];

void
sbuf_init(struct sbuf *sb)
{
    sb->alloc = 0;
    sb->len = 0;
    sb->buf = sbuf_slopbuf;
}

void
sbuf_release(struct sbuf *sb)
{
    if (sb->alloc)
        free(sb->buf);
    sbuf_init(sb);
}

char *
sbuf_detach(struct sbuf *sb, size_t *len)
{
    char *res;

    sbuf_grow(sb, 0);
    res = sb->buf;
    if (len != NULL)
        *len = sb->len;
    sbuf_init(sb);
    return res;
}

void
sbuf_grow(struct sbuf *sb, size_t extra)
{
    size_t want;

    if (__builtin_add_overflow(sb->len, extra, &want) ||
        __builtin_add_overflow(want, 1, &want))
        BUG("sbuf_grow overflow");
    if (want <= sb->alloc)
        return;
    size_t alloc = sb->alloc ? sb->alloc : 64;
    while (alloc < want)
        alloc = alloc < SIZE_MAX / 2 ? alloc * 2 : want;
    if (sb->alloc == 0) {
        sb->buf = xmalloc(alloc);
        sb->buf[0] = '\0';
    } else {
        sb->buf = xrealloc(sb->buf, alloc);
    }
    sb->alloc = alloc;
}

void
sbuf_reset(struct sbuf *sb)
{
    sbuf_setlen(sb, 0);
}

void
sbuf_setlen(struct sbuf *sb, size_t len)
{
    if (sb->alloc == 0) {
        if (len != 0)
            BUG("sbuf_setlen beyond an empty buffer");
        return;
    }
    if (len >= sb->alloc)
        BUG("sbuf_setlen beyond allocation");
    sb->len = len;
    sb->buf[len] = '\0';
}

void
sbuf_add(struct sbuf *sb, const void *data, size_t len)
{
    if (len == 0)
        return;
    sbuf_grow(sb, len);
    memcpy(sb->buf + sb->len, data, len);
    sb->len += len;
    sb->buf[sb->len] = '\0';
}

void
sbuf_addstr(struct sbuf *sb, const char *s)
{
    sbuf_add(sb, s, strlen(s));
}

void
sbuf_addch(struct sbuf *sb, int c)
{
    char ch = (char)c;
    sbuf_add(sb, &ch, 1);
}

void
sbuf_vaddf(struct sbuf *sb, const char *fmt, va_list ap)
{
    va_list cp;
    int n;

    sbuf_grow(sb, 64);
    va_copy(cp, ap);
    n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, cp);
    va_end(cp);
    if (n < 0)
        BUG("vsnprintf failed");
    if ((size_t)n >= sb->alloc - sb->len) {
        sbuf_grow(sb, (size_t)n);
        n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, ap);
    }
    sb->len += (size_t)n;
}

void
sbuf_addf(struct sbuf *sb, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    sbuf_vaddf(sb, fmt, ap);
    va_end(ap);
}
