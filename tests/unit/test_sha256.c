/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_sha256.c - sha256_hex against the FIPS 180-2 vectors, and
 * sha256_stream against sha256_hex.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/sha256.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BYTES(lit)    lit, sizeof(lit) - 1

static const struct {
    const char *data;
    size_t len;
    const char *hex;
} sha_cases[] = {
    {BYTES(""),
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {BYTES("abc"),
     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {BYTES("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    {BYTES("中文"),
     "72726d8818f693066ceb69afa364218b692e62ea92b385782363780f47529c21"},
    {BYTES("a\0b"),
     "59b271ae1bbcb1d31d41929817f4b16fb439eb4f31520b5ad1d5ce98920a7138"},
};

static void
test_sha256_hex_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(sha_cases); i++) {
        char hex[SHA256_HEX_LEN + 2];

        memset(hex, 'Z', sizeof(hex));
        sha256_hex(sha_cases[i].data, sha_cases[i].len, hex);
        assert_string_equal(hex, sha_cases[i].hex);
        assert_int_equal(strlen(hex), SHA256_HEX_LEN);
        assert_int_equal(hex[SHA256_HEX_LEN + 1], 'Z'); /* no overrun */
    }
}

/* One million 'a': the long FIPS vector. */
static void
test_sha256_hex_million(void **state)
{
    char hex[SHA256_HEX_LEN + 1];
    char *data = malloc(1000000);

    (void)state;
    assert_non_null(data);
    memset(data, 'a', 1000000);
    sha256_hex(data, 1000000, hex);
    assert_string_equal(
        hex,
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(data);
}

/* A stream fed in uneven pieces hashes like the whole buffer, twice over. */
static void
test_sha256_stream_pieces(void **state)
{
    static const size_t pieces[] = {0, 1, 63, 64, 65, 1000};
    struct sha256_stream *st = sha256_stream_new();
    char want[SHA256_HEX_LEN + 1], got[SHA256_HEX_LEN + 1];
    char data[2193];

    (void)state;
    for (size_t i = 0; i < sizeof(data); i++)
        data[i] = (char)(i * 7 + 3);
    sha256_hex(data, sizeof(data), want);
    for (int round = 0; round < 2; round++) {
        size_t off = 0;
        for (size_t k = 0; off < sizeof(data); k++) {
            size_t n = pieces[k % ARRAY_SIZE(pieces)];
            if (n > sizeof(data) - off)
                n = sizeof(data) - off;
            sha256_stream_add(st, data + off, n);
            off += n;
        }
        sha256_stream_hex(st, got); /* and starts over */
        assert_string_equal(got, want);
    }
    sha256_stream_hex(st, got);
    assert_string_equal(got, sha_cases[0].hex);
    sha256_stream_free(st);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_hex_vectors),
        cmocka_unit_test(test_sha256_hex_million),
        cmocka_unit_test(test_sha256_stream_pieces),
    };

    return cmocka_run_group_tests_name("sha256", tests, NULL, NULL);
}
