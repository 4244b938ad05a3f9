/* SPDX-License-Identifier: MIT */
/*
 * common/sha256.h - SHA-256 as lowercase hex (nettle), of one buffer or of
 * a stream of pieces (a file too big to hold in memory).
 */
#ifndef COMMON_SHA256_H
#define COMMON_SHA256_H

#include <stddef.h>

#define SHA256_HEX_LEN 64

/* Write the 64 hex digits and a NUL into hex[65]. */
void sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_LEN + 1]);

/*
 * An incremental hash.  sha256_stream_new() starts one (it cannot fail: out
 * of memory exits, common/xalloc.h); the caller frees it with
 * sha256_stream_free(), which accepts NULL.  A stream may be fed in one
 * thread and finished in another, but never used by two at once.
 */
struct sha256_stream;

struct sha256_stream *sha256_stream_new(void);
void sha256_stream_free(struct sha256_stream *st);

/* Hash data[0..len) after everything added before. */
void sha256_stream_add(struct sha256_stream *st, const void *data, size_t len);

/*
 * Write the hex of everything added so far, and a NUL, into hex[65]; the
 * stream then starts over, empty.
 */
void sha256_stream_hex(struct sha256_stream *st, char hex[SHA256_HEX_LEN + 1]);

#endif /* COMMON_SHA256_H */
