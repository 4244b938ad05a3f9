/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/diag.h"
#include "common/sbuf.h"
#include "common/utf8.h"
#include "ingest/encoding.h"

/* GBK (and GB18030) bytes of the UTF-8 text next to them. */
#define GBK_BEIJING  "\xB1\xB1\xBE\xA9" /* 北京 */
#define GBK_ZHEJIANG "\xD5\xE3\xBD\xAD" /* 浙江 */
#define GBK_LIANTONG "\xC1\xAA\xCD\xA8" /* 联通 */
#define UTF8_BOM     "\xEF\xBB\xBF"
#define GB18030_BOM  "\x84\x31\x95\x33"
#define UTF16LE_BOM  "\xFF\xFE"
#define UTF16BE_BOM  "\xFE\xFF"
#define CP936_EURO   "\x80"

struct result {
    int rc;
    enum encoding detected;
    int had_bom;
    struct sbuf out;
    struct diag err;
};

/* Convert the literal s (sizeof - 1 bytes, so NULs are kept). */
#define CONVERT(res, s, forced) convert(res, s, sizeof(s) - 1, forced)

static void
convert(struct result *res, const char *buf, size_t len, enum encoding forced)
{
    sbuf_init(&res->out);
    diag_clear(&res->err);
    res->detected = (enum encoding) - 1;
    res->had_bom = -1;
    res->rc = encoding_to_utf8(buf, len, forced, "in.csv", &res->out,
                               &res->detected, &res->had_bom, &res->err);
}

static void
assert_ok(struct result *res, const char *want, enum encoding enc, int had_bom)
{
    assert_int_equal(res->rc, 0);
    assert_int_equal(res->detected, enc);
    assert_int_equal(res->had_bom, had_bom);
    assert_int_equal(res->out.len, strlen(want));
    assert_memory_equal(res->out.buf, want, res->out.len);
    assert_true(utf8_valid(res->out.buf, res->out.len, NULL));
    sbuf_release(&res->out);
}

static void
assert_fails(struct result *res, unsigned long line, const char *msg)
{
    assert_int_equal(res->rc, -1);
    assert_int_equal(res->err.code, DIAG_FORMAT);
    assert_int_equal(res->err.severity, DIAG_ERROR);
    assert_non_null(res->err.file);
    assert_string_equal(res->err.file, "in.csv");
    assert_int_equal(res->err.line, line);
    assert_int_equal(res->err.col, 0);
    assert_string_equal(res->err.msg, msg);
    /* Nothing is appended on failure. */
    assert_int_equal(res->out.len, 0);
    sbuf_release(&res->out);
}

/* ---- UTF-8 ---- */

static void
test_encoding_to_utf8_ascii(void **state)
{
    struct result res;

    (void)state;
    CONVERT(&res, "area,amount\n110000,1.50\n", ENC_AUTO);
    assert_ok(&res, "area,amount\n110000,1.50\n", ENC_UTF8, 0);
}

static void
test_encoding_to_utf8_empty(void **state)
{
    struct result res;

    (void)state;
    CONVERT(&res, "", ENC_AUTO);
    assert_ok(&res, "", ENC_UTF8, 0);
}

static void
test_encoding_to_utf8_utf8_plain(void **state)
{
    struct result res;

    (void)state;
    CONVERT(&res, "地区,金额\n北京,1.5\n", ENC_AUTO);
    assert_ok(&res, "地区,金额\n北京,1.5\n", ENC_UTF8, 0);
}

static void
test_encoding_to_utf8_utf8_bom_dropped(void **state)
{
    struct result res;

    (void)state;
    CONVERT(&res, UTF8_BOM "地区,金额\n北京,1.5\n", ENC_AUTO);
    assert_ok(&res, "地区,金额\n北京,1.5\n", ENC_UTF8, 1);

    CONVERT(&res, UTF8_BOM "a,b\n", ENC_UTF8);
    assert_ok(&res, "a,b\n", ENC_UTF8, 1);

    /* A file that is nothing but a BOM is empty. */
    CONVERT(&res, UTF8_BOM, ENC_AUTO);
    assert_ok(&res, "", ENC_UTF8, 1);
}

static void
test_encoding_to_utf8_appends(void **state)
{
    struct sbuf out = SBUF_INIT;
    struct diag err;
    enum encoding enc;
    int bom;

    (void)state;
    diag_clear(&err);
    sbuf_addstr(&out, "prefix:");
    assert_int_equal(encoding_to_utf8(GBK_BEIJING, 4, ENC_AUTO, "in.csv", &out,
                                      &enc, &bom, &err),
                     0);
    assert_string_equal(out.buf, "prefix:北京");
    /* A failure leaves what was there. */
    assert_int_equal(encoding_to_utf8("\xFF\x41", 2, ENC_AUTO, "in.csv", &out,
                                      &enc, &bom, &err),
                     -1);
    assert_string_equal(out.buf, "prefix:北京");
    assert_int_equal(out.len, strlen("prefix:北京"));
    sbuf_release(&out);
}

/* ---- GB18030 / GBK ---- */

static void
test_encoding_to_utf8_gbk(void **state)
{
    struct result res;

    (void)state;
    CONVERT(&res, GBK_BEIJING "," GBK_ZHEJIANG, ENC_AUTO);
    assert_ok(&res, "北京,浙江", ENC_GB18030, 0);

    CONVERT(&res, GBK_BEIJING "," GBK_ZHEJIANG "\n", ENC_GB18030);
    assert_ok(&res, "北京,浙江\n", ENC_GB18030, 0);
}

static void
test_encoding_to_utf8_liantong_is_gbk(void **state)
{
    struct result res;

    (void)state;
    /* Passes a naive bit-pattern check, but C1 is never valid UTF-8. */
    assert_false(utf8_valid(GBK_LIANTONG, 4, NULL));
    CONVERT(&res, GBK_LIANTONG, ENC_AUTO);
    assert_ok(&res, "联通", ENC_GB18030, 0);
}

static void
test_encoding_to_utf8_cp936_euro(void **state)
{
    struct result res;

    (void)state;
    CONVERT(&res, "price," CP936_EURO "5\n", ENC_AUTO);
    assert_ok(&res, "price,€5\n", ENC_GB18030, 0);

    CONVERT(&res, GBK_BEIJING CP936_EURO, ENC_GB18030);
    assert_ok(&res, "北京€", ENC_GB18030, 0);
}

static void
test_encoding_to_utf8_gb18030_four_byte_and_bom(void **state)
{
    struct result res;

    (void)state;
    /* 81 30 81 30 is the first four-byte code, U+0080. */
    CONVERT(&res, GBK_BEIJING "\x81\x30\x81\x30", ENC_AUTO);
    assert_ok(&res, "北京\xC2\x80", ENC_GB18030, 0);

    CONVERT(&res, GB18030_BOM GBK_BEIJING "\n", ENC_AUTO);
    assert_ok(&res, "北京\n", ENC_GB18030, 1);
}

/* ---- rejected input ---- */

static void
test_encoding_to_utf8_utf16_rejected(void **state)
{
    struct result res;
    const char *msg = "file is UTF-16 (byte order mark 0xFF 0xFE), not UTF-8 "
                      "or GB18030; in Excel save it as \"CSV UTF-8\" instead "
                      "of \"Unicode 文本\"";

    (void)state;
    CONVERT(&res, UTF16LE_BOM "a\0,\0b\0\n\0", ENC_AUTO);
    assert_fails(&res, 1, msg);

    /* Forcing an encoding does not change that. */
    CONVERT(&res, UTF16LE_BOM "a\0", ENC_GB18030);
    assert_fails(&res, 1, msg);

    CONVERT(&res, UTF16BE_BOM "\0a", ENC_UTF8);
    assert_fails(&res, 1,
                 "file is UTF-16 (byte order mark 0xFE 0xFF), not UTF-8 or "
                 "GB18030; in Excel save it as \"CSV UTF-8\" instead of "
                 "\"Unicode 文本\"");
}

static void
test_encoding_to_utf8_bom_then_gbk_rejected(void **state)
{
    struct result res;

    (void)state;
    /* BOM (3) + 北京 (6) + LF = offset 10, on line 2. */
    CONVERT(&res, UTF8_BOM "北京\n" GBK_BEIJING "\n", ENC_AUTO);
    assert_fails(&res, 2,
                 "file starts with a UTF-8 byte order mark but byte 0xB1 "
                 "at offset 10 is not UTF-8");

    CONVERT(&res, UTF8_BOM "a,b\n", ENC_GB18030);
    assert_fails(&res, 1,
                 "file starts with a UTF-8 byte order mark but the encoding "
                 "was given as GB18030");
}

static void
test_encoding_to_utf8_bad_byte_line3(void **state)
{
    struct result res;

    (void)state;
    /* 0x7F is no GBK trail byte; lines 1 and 2 are 7 bytes each. */
    CONVERT(&res,
            GBK_BEIJING ",1\n" GBK_ZHEJIANG ",2\n"
                        "\xD5\x7F,3\n",
            ENC_AUTO);
    assert_fails(&res, 3,
                 "cannot decode bytes 0xD5 0x7F at offset 14 as UTF-8 or "
                 "GB18030");

    CONVERT(&res,
            GBK_BEIJING ",1\n" GBK_ZHEJIANG ",2\n"
                        "\xD5\x7F,3\n",
            ENC_GB18030);
    assert_fails(&res, 3,
                 "cannot decode bytes 0xD5 0x7F at offset 14 as GB18030");
}

static void
test_encoding_to_utf8_truncated_lead_byte(void **state)
{
    struct result res;

    (void)state;
    CONVERT(&res, "a,b\n" GBK_BEIJING "\xB1", ENC_AUTO);
    assert_fails(&res, 2,
                 "cannot decode byte 0xB1 at offset 8 as UTF-8 or GB18030");

    CONVERT(&res, GBK_BEIJING "\xB1", ENC_GB18030);
    assert_fails(&res, 1, "cannot decode byte 0xB1 at offset 4 as GB18030");

    /* UTF-8 cut inside 京 (E4 BA AC). */
    CONVERT(&res, "北\xE4\xBA", ENC_AUTO);
    assert_fails(&res, 1,
                 "cannot decode bytes 0xE4 0xBA at offset 3 as UTF-8 or "
                 "GB18030");

    CONVERT(&res, "北\xE4\xBA", ENC_UTF8);
    assert_fails(&res, 1, "cannot decode bytes 0xE4 0xBA at offset 3 as UTF-8");
}

static void
test_encoding_to_utf8_forced_utf8_on_gbk(void **state)
{
    struct result res;

    (void)state;
    CONVERT(&res, "a,b\n1,2\n" GBK_BEIJING ",3\n", ENC_UTF8);
    assert_fails(&res, 3, "cannot decode byte 0xB1 at offset 8 as UTF-8");

    /* 联 (C1) is never a UTF-8 lead byte. */
    CONVERT(&res, "x\n" GBK_LIANTONG, ENC_UTF8);
    assert_fails(&res, 2, "cannot decode byte 0xC1 at offset 2 as UTF-8");
}

static void
test_encoding_to_utf8_utf8_stray_byte(void **state)
{
    struct result res;

    (void)state;
    /* A UTF-8 file with one Latin-1 é: the UTF-8 failure is the farther. */
    CONVERT(&res, "地区,金额\n北京,1\ncaf\xE9,2\n", ENC_AUTO);
    assert_fails(&res, 3,
                 "cannot decode bytes 0xE9 0x2C at offset 26 as UTF-8 or "
                 "GB18030");
}

/* ---- names ---- */

static void
test_encoding_parse_names(void **state)
{
    static const struct {
        const char *in;
        int rc;
        enum encoding want;
    } cases[] = {
        {"auto", 0, ENC_AUTO},       {"AUTO", 0, ENC_AUTO},
        {"utf-8", 0, ENC_UTF8},      {"UTF-8", 0, ENC_UTF8},
        {"utf8", 0, ENC_UTF8},       {"Utf8", 0, ENC_UTF8},
        {"gb18030", 0, ENC_GB18030}, {"GB18030", 0, ENC_GB18030},
        {"gbk", 0, ENC_GB18030},     {"GBK", 0, ENC_GB18030},
        {"gb2312", 0, ENC_GB18030},  {"cp936", 0, ENC_GB18030},
        {"CP936", 0, ENC_GB18030},   {"", -1, ENC_AUTO},
        {"utf-16", -1, ENC_AUTO},    {"latin1", -1, ENC_AUTO},
        {"utf-8 ", -1, ENC_AUTO},    {"gb", -1, ENC_AUTO},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        enum encoding got = (enum encoding)99;
        int rc = encoding_parse(cases[i].in, &got);

        assert_int_equal(rc, cases[i].rc);
        if (rc == 0)
            assert_int_equal(got, cases[i].want);
        else
            assert_int_equal(got, 99);
    }
}

static void
test_encoding_name_values(void **state)
{
    (void)state;
    assert_string_equal(encoding_name(ENC_UTF8, 0), "UTF-8");
    assert_string_equal(encoding_name(ENC_UTF8, 1), "UTF-8 (BOM)");
    assert_string_equal(encoding_name(ENC_GB18030, 0), "GB18030");
    assert_string_equal(encoding_name(ENC_GB18030, 1), "GB18030");
}

/* ---- whole files: UTF-16, NUL padding ---- */

static void
convert_file(struct result *res, const char *buf, size_t len,
             enum encoding forced)
{
    sbuf_init(&res->out);
    diag_clear(&res->err);
    res->detected = (enum encoding) - 1;
    res->had_bom = -1;
    res->rc = encoding_file_to_utf8(buf, len, forced, "in.csv", &res->out,
                                    &res->detected, &res->had_bom, &res->err);
}

#define CONVERT_FILE(res, s, forced) convert_file(res, s, sizeof(s) - 1, forced)

static void
test_encoding_file_utf16(void **state)
{
    struct result res;

    (void)state;
    /* 上 is U+4E0A: its low byte is an LF byte, which is no line end */
    CONVERT_FILE(&res,
                 UTF16LE_BOM "a\0\t\0\x0A\x4E\r\0\n\0"
                             "1\0",
                 ENC_AUTO);
    assert_ok(&res, "a\t上\r\n1", ENC_UTF16LE, 1);
    CONVERT_FILE(&res, UTF16BE_BOM "\0a\x4E\x0A\0\n", ENC_AUTO);
    assert_ok(&res, "a上\n", ENC_UTF16BE, 1);
    assert_string_equal(encoding_name(ENC_UTF16LE, 1), "UTF-16LE (BOM)");

    /* a lone surrogate on line 4 (the 0x0A of 上 does not count) */
    CONVERT_FILE(&res,
                 UTF16LE_BOM "\x0A\x4E\n\0\r\0\r\0\n\0"
                             "\x00\xD8x\0",
                 ENC_AUTO);
    assert_fails(&res, 4,
                 "cannot decode bytes 0x00 0xD8 at offset 12 as UTF-16LE "
                 "(half of a surrogate pair?)");
    CONVERT_FILE(&res, UTF16LE_BOM "a\0b", ENC_AUTO);
    assert_fails(&res, 1,
                 "file is UTF-16LE (byte order mark) but has an odd number "
                 "of bytes (5): is it cut short?");
    CONVERT_FILE(&res, UTF16LE_BOM "a\0\n\0\0\0", ENC_AUTO);
    assert_fails(&res, 2,
                 "a NUL character at offset 6 of this UTF-16LE file: this "
                 "is not text");
    CONVERT_FILE(&res, UTF16LE_BOM "a\0", ENC_GB18030);
    assert_fails(&res, 1,
                 "file is UTF-16LE (byte order mark) but the encoding was "
                 "given as GB18030");
}

static void
test_encoding_file_nul_padding(void **state)
{
    struct result res;

    (void)state;
    CONVERT_FILE(&res, "a,b\n1,2\n\0\0\0", ENC_AUTO);
    assert_ok(&res, "a,b\n1,2\n", ENC_UTF8, 0);
    CONVERT_FILE(&res, "a,b\r1,2\r\0", ENC_AUTO);
    assert_ok(&res, "a,b\r1,2\r", ENC_UTF8, 0);
    /* NULs that follow no line end, or text after them, stay errors */
    CONVERT_FILE(&res, "a,b\n1,2\0\0", ENC_AUTO);
    assert_fails(&res, 2,
                 "a NUL byte at offset 7: this is not a text file (UTF-16 "
                 "without a byte order mark?)");
    CONVERT_FILE(&res, "a,b\r1,2\r\0\0x\n", ENC_AUTO);
    assert_fails(&res, 3,
                 "a NUL byte at offset 8: this is not a text file (UTF-16 "
                 "without a byte order mark?)");
    CONVERT_FILE(&res, "\0\0", ENC_AUTO);
    assert_fails(&res, 1,
                 "a NUL byte at offset 0: this is not a text file (UTF-16 "
                 "without a byte order mark?)");
    /* encoding_to_utf8() itself pads nothing away */
    CONVERT(&res, "a\n\0", ENC_AUTO);
    assert_fails(&res, 2,
                 "a NUL byte at offset 2: this is not a text file (UTF-16 "
                 "without a byte order mark?)");
}

static void
test_encoding_cr_only_lines(void **state)
{
    struct result res;

    (void)state;
    CONVERT(&res, "a\rb\r\nc\r\xFF\r", ENC_AUTO);
    assert_fails(&res, 4,
                 "cannot decode byte 0xFF at offset 7 as UTF-8 or GB18030; "
                 "the bytes look like Windows-1252 (Western European): save "
                 "the file as \"CSV UTF-8\"");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encoding_to_utf8_ascii),
        cmocka_unit_test(test_encoding_to_utf8_empty),
        cmocka_unit_test(test_encoding_to_utf8_utf8_plain),
        cmocka_unit_test(test_encoding_to_utf8_utf8_bom_dropped),
        cmocka_unit_test(test_encoding_to_utf8_appends),
        cmocka_unit_test(test_encoding_to_utf8_gbk),
        cmocka_unit_test(test_encoding_to_utf8_liantong_is_gbk),
        cmocka_unit_test(test_encoding_to_utf8_cp936_euro),
        cmocka_unit_test(test_encoding_to_utf8_gb18030_four_byte_and_bom),
        cmocka_unit_test(test_encoding_to_utf8_utf16_rejected),
        cmocka_unit_test(test_encoding_to_utf8_bom_then_gbk_rejected),
        cmocka_unit_test(test_encoding_to_utf8_bad_byte_line3),
        cmocka_unit_test(test_encoding_to_utf8_truncated_lead_byte),
        cmocka_unit_test(test_encoding_to_utf8_forced_utf8_on_gbk),
        cmocka_unit_test(test_encoding_to_utf8_utf8_stray_byte),
        cmocka_unit_test(test_encoding_parse_names),
        cmocka_unit_test(test_encoding_name_values),
        cmocka_unit_test(test_encoding_file_utf16),
        cmocka_unit_test(test_encoding_file_nul_padding),
        cmocka_unit_test(test_encoding_cr_only_lines),
    };

    return cmocka_run_group_tests_name("encoding", tests, NULL, NULL);
}
