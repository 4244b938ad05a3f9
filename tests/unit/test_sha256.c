/*
 * tests/unit/test_sha256.c - sha256_hex against the FIPS 180-2 vectors.
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

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_hex_vectors),
        cmocka_unit_test(test_sha256_hex_million),
    };

    return cmocka_run_group_tests_name("sha256", tests, NULL, NULL);
}
