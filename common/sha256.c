/* SPDX-License-Identifier: MIT */
#include "common/sha256.h"

#include <stdlib.h>

#include <nettle/sha2.h>

#include "common/xalloc.h"

struct sha256_stream {
    struct sha256_ctx ctx;
};

/* Finish ctx (which nettle resets) into hex. */
static void
digest_hex(struct sha256_ctx *ctx, char hex[SHA256_HEX_LEN + 1])
{
    static const char digits[] = "0123456789abcdef";
    unsigned char md[SHA256_DIGEST_SIZE];

    sha256_digest(ctx, sizeof(md), md);
    for (size_t i = 0; i < sizeof(md); i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[SHA256_HEX_LEN] = '\0';
}

void
sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_LEN + 1])
{
    struct sha256_ctx ctx;

    sha256_init(&ctx);
    sha256_update(&ctx, len, data);
    digest_hex(&ctx, hex);
}

struct sha256_stream *
sha256_stream_new(void)
{
    struct sha256_stream *st = xmalloc(sizeof(*st));
    sha256_init(&st->ctx);
    return st;
}

void
sha256_stream_free(struct sha256_stream *st)
{
    free(st);
}

void
sha256_stream_add(struct sha256_stream *st, const void *data, size_t len)
{
    sha256_update(&st->ctx, len, data);
}

void
sha256_stream_hex(struct sha256_stream *st, char hex[SHA256_HEX_LEN + 1])
{
    digest_hex(&st->ctx, hex);
}
