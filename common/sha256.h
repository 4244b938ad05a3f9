/*
 * common/sha256.h - SHA-256 of a byte buffer, as lowercase hex (nettle).
 */
#ifndef COMMON_SHA256_H
#define COMMON_SHA256_H

#include <stddef.h>

#define SHA256_HEX_LEN 64

/* Write the 64 hex digits and a NUL into hex[65]. */
void sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_LEN + 1]);

#endif /* COMMON_SHA256_H */
