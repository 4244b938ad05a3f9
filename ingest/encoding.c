/* SPDX-License-Identifier: MIT */
#include "ingest/encoding.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <iconv.h>

#include "common/diag.h"
#include "common/i18n.h"
#include "common/sbuf.h"
#include "common/utf8.h"

static const struct {
    const char *name;
    enum encoding enc;
} encoding_names[] = {
    {"auto", ENC_AUTO},       {"utf-8", ENC_UTF8},  {"utf8", ENC_UTF8},
    {"gb18030", ENC_GB18030}, {"gbk", ENC_GB18030}, {"gb2312", ENC_GB18030},
    {"cp936", ENC_GB18030},
};

/* ASCII-only case folding: the locale must not matter. */
static int
ascii_ieq(const char *a, const char *b)
{
    for (;; a++, b++) {
        char x = *a, y = *b;
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (char)(y - 'A' + 'a');
        if (x != y)
            return 0;
        if (x == '\0')
            return 1;
    }
}

int
encoding_parse(const char *name, enum encoding *out)
{
    for (size_t i = 0; i < sizeof(encoding_names) / sizeof(encoding_names[0]);
         i++) {
        if (ascii_ieq(name, encoding_names[i].name)) {
            *out = encoding_names[i].enc;
            return 0;
        }
    }
    return -1;
}

const char *
encoding_name(enum encoding enc, int had_bom)
{
    switch (enc) {
    case ENC_UTF8:
        return had_bom ? "UTF-8 (BOM)" : "UTF-8";
    case ENC_GB18030:
        return "GB18030";
    case ENC_UTF16LE:
        return "UTF-16LE (BOM)";
    case ENC_UTF16BE:
        return "UTF-16BE (BOM)";
    case ENC_AUTO:
        break;
    }
    return "auto";
}

/*
 * How many bytes of an invalid UTF-8 sequence to show: the lead byte and
 * its continuation bytes, up to and including the first byte that does not
 * fit, so that the culprit is in the message.
 */
static size_t
encoding_utf8_span(const unsigned char *s, size_t len)
{
    size_t want, n = 1;

    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        want = 2;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        want = 3;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        want = 4;
    else
        return 1;
    while (n < want && n < len) {
        n++;
        if (s[n - 1] < 0x80 || s[n - 1] > 0xBF)
            break;
    }
    return n;
}

/*
 * The same for GB18030: a lead byte 0x81-0xFE takes one trail byte, or three
 * when the second byte is a digit (the four-byte form); 0x80 and 0xFF stand
 * alone.
 */
static size_t
encoding_gb_span(const unsigned char *s, size_t len)
{
    if (s[0] < 0x81 || s[0] == 0xFF || len < 2)
        return 1;
    if (s[1] >= 0x30 && s[1] <= 0x39)
        return len < 4 ? len : 4;
    return 2;
}

/* "byte 0xC1" or "bytes 0xC1 0xAA" into out (at least 32 bytes). */
static const char *
encoding_hex(char *out, size_t outsz, const char *buf, size_t len, size_t off,
             int as_utf8)
{
    const unsigned char *s = (const unsigned char *)buf + off;
    size_t n = as_utf8 ? encoding_utf8_span(s, len - off)
                       : encoding_gb_span(s, len - off);
    size_t o;

    o = (size_t)snprintf(out, outsz, "%s", n == 1 ? _("byte") : _("bytes"));
    for (size_t i = 0; i < n && o < outsz; i++)
        o += (size_t)snprintf(out + o, outsz - o, " 0x%02X", s[i]);
    return out;
}

/*
 * Point err at the physical line of buf[off]: line ends (LF, CRLF or a lone
 * CR, as ingest/csvread.h counts them) before it, plus one.
 */
static void
encoding_locate(struct diag *err, const char *file, const char *buf, size_t off)
{
    unsigned long line = 1;

    for (size_t i = 0; i < off; i++)
        if (buf[i] == '\n' ||
            (buf[i] == '\r' && (i + 1 >= off || buf[i + 1] != '\n')))
            line++;
    err->file = file;
    err->line = line;
    err->col = 0;
}

/* The same in UTF-16 (big-endian when be) text, by code units. */
static void
encoding_locate16(struct diag *err, const char *file, const char *buf,
                  size_t len, size_t off, int be)
{
    const unsigned char *u = (const unsigned char *)buf;
    unsigned long line = 1;

    for (size_t i = 2; i < off && i + 1 < len; i += 2) {
        unsigned c = be ? (unsigned)(u[i] << 8 | u[i + 1])
                        : (unsigned)(u[i + 1] << 8 | u[i]);
        unsigned next = 0;
        if (i + 3 < len)
            next = be ? (unsigned)(u[i + 2] << 8 | u[i + 3])
                      : (unsigned)(u[i + 3] << 8 | u[i + 2]);
        if (c == '\n' || (c == '\r' && next != '\n'))
            line++;
    }
    err->file = file;
    err->line = line;
    err->col = 0;
}

/*
 * Append buf[0..len) converted from `from` to UTF-8.  Returns 0; -1 with
 * *bad_off set at the first byte that is invalid (EILSEQ) or starts a
 * truncated sequence at the end (EINVAL), out being left as it was; or -2
 * when iconv has no such converter.  No //IGNORE or //TRANSLIT: a byte we
 * cannot decode must stop the run, not vanish.
 */
static int
encoding_convert(const char *from, const char *buf, size_t len,
                 struct sbuf *out, size_t *bad_off)
{
    iconv_t cd = iconv_open("UTF-8", from);
    size_t orig_len = out->len;
    /* iconv's prototype lacks const; it does not write the input. */
    char *in = (char *)(uintptr_t)buf;
    size_t inleft = len;
    int ret = 0;

    if (cd == (iconv_t)-1)
        return -2;
    /* Chinese text grows from 2 bytes to 3 in UTF-8. */
    sbuf_grow(out, len + len / 2 + 16);
    while (inleft > 0) {
        char *o = out->buf + out->len;
        size_t oleft = out->alloc - out->len - 1;
        size_t rc = iconv(cd, &in, &inleft, &o, &oleft);
        int saved = errno;

        sbuf_setlen(out, (size_t)(o - out->buf));
        if (rc != (size_t)-1)
            break;
        if (saved == E2BIG) {
            sbuf_grow(out, inleft * 2 + 16);
            continue;
        }
        *bad_off = (size_t)(in - buf);
        sbuf_setlen(out, orig_len);
        ret = -1;
        break;
    }
    /* GB18030 and CP936 are stateless: no shift sequence to flush. */
    iconv_close(cd);
    return ret;
}

/* U+FEFF encoded in GB18030: rare, but dropped as we drop EF BB BF. */
static int
encoding_gb_bom(const char *buf, size_t len)
{
    return len >= 4 && memcmp(buf, "\x84\x31\x95\x33", 4) == 0;
}

/*
 * Decode as GB18030, then CP936.  Returns 0, -1 with *bad_off at the
 * farthest failure of the two, or -2 (no converter).
 */
static int
encoding_from_gb(const char *buf, size_t len, struct sbuf *out, size_t *bad_off)
{
    size_t start = encoding_gb_bom(buf, len) ? 4 : 0, gb_bad = 0, cp_bad = 0;
    int rc;

    rc = encoding_convert("GB18030", buf + start, len - start, out, &gb_bad);
    if (rc != -1)
        return rc;
    /*
     * CP936 is GBK as Windows writes it, with the lone byte 0x80 for the
     * euro sign, which GB18030 rejects (it spells it A2 E3).
     */
    rc = encoding_convert("CP936", buf + start, len - start, out, &cp_bad);
    if (rc != -1)
        return rc;
    *bad_off = start + (gb_bad > cp_bad ? gb_bad : cp_bad);
    return -1;
}

/*
 * Bytes that are no text of ours: UTF-16 (Excel's "Unicode 文本" export,
 * with a byte order mark) or anything with a NUL byte.  0, or -1 with err.
 */
static int
reject_non_text(const char *buf, size_t len, const char *file, struct diag *err)
{
    const unsigned char *u = (const unsigned char *)buf;

    /*
     * Excel's "Unicode 文本" export is UTF-16LE with a BOM (and tab
     * separated).  Neither UTF-8 nor GB18030 text can begin with FF FE or
     * FE FF, so this never rejects a file that could be read otherwise.
     */
    if (len >= 2 &&
        ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        encoding_locate(err, file, buf, 0);
        return diag_set(err, DIAG_FORMAT,
                        _("file is UTF-16 (byte order mark 0x%02X 0x%02X), "
                          "not UTF-8 or GB18030; in Excel save it as "
                          "\"CSV UTF-8\" instead of \"Unicode 文本\""),
                        u[0], u[1]);
    }

    /*
     * Text in UTF-8 or GB18030 never holds a NUL byte: this is a binary
     * file, or UTF-16 without a byte order mark, which would otherwise pass
     * as (odd) UTF-8.
     */
    const char *nul = memchr(buf, '\0', len);
    if (nul != NULL) {
        size_t off = (size_t)(nul - buf);
        encoding_locate(err, file, buf, off);
        return diag_set(err, DIAG_FORMAT,
                        _("a NUL byte at offset %zu: this is not a text file "
                          "(UTF-16 without a byte order mark?)"),
                        off);
    }
    return 0;
}

/* A file that starts with the UTF-8 byte order mark: UTF-8 or an error. */
static int
from_utf8_bom(const char *buf, size_t len, enum encoding forced,
              const char *file, struct sbuf *out, struct diag *err)
{
    char hex[64];
    size_t bad = 0;

    if (forced == ENC_GB18030) {
        encoding_locate(err, file, buf, 0);
        return diag_set(err, DIAG_FORMAT,
                        _("file starts with a UTF-8 byte order mark but "
                          "the encoding was given as GB18030"));
    }
    /* A BOM, then bytes from another tool: refuse to guess. */
    if (!utf8_valid(buf + 3, len - 3, &bad)) {
        size_t off = bad + 3;
        encoding_locate(err, file, buf, off);
        return diag_set(err, DIAG_FORMAT,
                        _("file starts with a UTF-8 byte order mark but "
                          "%s at offset %zu is not UTF-8"),
                        encoding_hex(hex, sizeof(hex), buf, len, off, 1), off);
    }
    sbuf_add(out, buf + 3, len - 3);
    return 0;
}

int
encoding_to_utf8(const char *buf, size_t len, enum encoding forced,
                 const char *file, struct sbuf *out, enum encoding *detected,
                 int *had_bom, struct diag *err)
{
    size_t utf8_bad = 0, gb_bad = 0, off;
    char hex[64];
    int rc, as_utf8;

    if (reject_non_text(buf, len, file, err) < 0)
        return -1;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
        if (from_utf8_bom(buf, len, forced, file, out, err) < 0)
            return -1;
        *detected = ENC_UTF8;
        *had_bom = 1;
        return 0;
    }

    if (forced != ENC_GB18030) {
        if (utf8_valid(buf, len, &utf8_bad)) {
            sbuf_add(out, buf, len);
            *detected = ENC_UTF8;
            *had_bom = 0;
            return 0;
        }
        if (forced == ENC_UTF8) {
            encoding_locate(err, file, buf, utf8_bad);
            return diag_set(
                err, DIAG_FORMAT, _("cannot decode %s at offset %zu as UTF-8"),
                encoding_hex(hex, sizeof(hex), buf, len, utf8_bad, 1),
                utf8_bad);
        }
    }

    rc = encoding_from_gb(buf, len, out, &gb_bad);
    if (rc == 0) {
        *detected = ENC_GB18030;
        *had_bom = encoding_gb_bom(buf, len);
        return 0;
    }
    if (rc == -2) {
        err->file = file;
        err->line = 0;
        err->col = 0;
        return diag_set(err, DIAG_EXTERNAL,
                        _("iconv cannot convert from GB18030 "
                          "(glibc gconv modules missing?)"));
    }

    /*
     * Neither fits.  The encoding that got farther is most likely the
     * file's own, and its failure the byte the user must fix: a GBK file
     * fails as UTF-8 at its first Chinese character, a UTF-8 file with one
     * stray byte fails as GB18030 soon after its first odd-length run.
     * Within one character of each other (a UTF-8 file cut short at the
     * end) the stricter UTF-8 report is the clearer one.
     */
    as_utf8 = forced == ENC_AUTO && utf8_bad + 3 >= gb_bad;
    off = as_utf8 ? utf8_bad : gb_bad;
    encoding_locate(err, file, buf, off);
    return diag_set(err, DIAG_FORMAT,
                    _("cannot decode %s at offset %zu as %s%s"),
                    encoding_hex(hex, sizeof(hex), buf, len, off, as_utf8), off,
                    forced == ENC_AUTO ? "UTF-8 or GB18030" : "GB18030",
                    diag_looks_cp1252(buf, len)
                        ? "; the bytes look like Windows-1252 (Western "
                          "European): save the file as \"CSV UTF-8\""
                        : "");
}

size_t
encoding_unpadded_len(const char *buf, size_t len)
{
    size_t n = len;

    while (n > 0 && buf[n - 1] == '\0')
        n--;
    if (n == len || n == 0 || (buf[n - 1] != '\n' && buf[n - 1] != '\r'))
        return len;
    return n;
}

/* A UTF-16 file (after its BOM, big-endian when be) into UTF-8. */
static int
from_utf16(const char *buf, size_t len, int be, enum encoding forced,
           const char *file, struct sbuf *out, struct diag *err)
{
    const char *name = be ? "UTF-16BE" : "UTF-16LE";
    size_t bad = 0, start = out->len;

    if (forced != ENC_AUTO) {
        encoding_locate(err, file, buf, 0);
        return diag_set(err, DIAG_FORMAT,
                        _("file is %s (byte order mark) but the encoding was "
                          "given as %s"),
                        name, encoding_name(forced, 0));
    }
    if (len % 2 != 0) {
        encoding_locate16(err, file, buf, len, len - 1, be);
        return diag_set(err, DIAG_FORMAT,
                        _("file is %s (byte order mark) but has an odd number "
                          "of bytes (%zu): is it cut short?"),
                        name, len);
    }
    int rc = encoding_convert(name, buf + 2, len - 2, out, &bad);
    if (rc == -2) {
        err->file = file;
        err->line = 0;
        err->col = 0;
        return diag_set(err, DIAG_EXTERNAL,
                        _("iconv cannot convert from %s "
                          "(glibc gconv modules missing?)"),
                        name);
    }
    if (rc < 0) {
        size_t off = bad + 2;
        const unsigned char *u = (const unsigned char *)buf + off;
        encoding_locate16(err, file, buf, len, off, be);
        return diag_set(err, DIAG_FORMAT,
                        _("cannot decode bytes 0x%02X 0x%02X at offset %zu as "
                          "%s (half of a surrogate pair?)"),
                        u[0], off + 1 < len ? u[1] : 0, off, name);
    }
    const char *nul = memchr(out->buf + start, '\0', out->len - start);
    if (nul != NULL) {
        /* find the unit: the n-th NUL character of the UTF-16 text */
        size_t off = 2;
        while (off + 1 < len && (buf[off] != '\0' || buf[off + 1] != '\0'))
            off += 2;
        sbuf_setlen(out, start);
        encoding_locate16(err, file, buf, len, off, be);
        return diag_set(err, DIAG_FORMAT,
                        _("a NUL character at offset %zu of this %s file: "
                          "this is not text"),
                        off, name);
    }
    return 0;
}

int
encoding_file_to_utf8(const char *buf, size_t len, enum encoding forced,
                      const char *file, struct sbuf *out,
                      enum encoding *detected, int *had_bom, struct diag *err)
{
    const unsigned char *u = (const unsigned char *)buf;

    if (len >= 2 &&
        ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        int be = u[0] == 0xFE;
        if (from_utf16(buf, len, be, forced, file, out, err) < 0)
            return -1;
        *detected = be ? ENC_UTF16BE : ENC_UTF16LE;
        *had_bom = 1;
        return 0;
    }
    return encoding_to_utf8(buf, encoding_unpadded_len(buf, len), forced, file,
                            out, detected, had_bom, err);
}
