/* SPDX-License-Identifier: MIT */
#include "common/utf8.h"

bool
utf8_valid(const char *str, size_t len, size_t *bad_off)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;

    while (i < len) {
        unsigned char c = s[i];
        size_t n;
        unsigned char lo = 0x80, hi = 0xBF;

        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            if (c == 0xE0)
                lo = 0xA0; /* overlong */
            else if (c == 0xED)
                hi = 0x9F; /* surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            if (c == 0xF0)
                lo = 0x90;
            else if (c == 0xF4)
                hi = 0x8F; /* > U+10FFFF */
        } else {
            goto bad;
        }
        if (i + n > len)
            goto bad;
        if (s[i + 1] < lo || s[i + 1] > hi)
            goto bad;
        for (size_t k = 2; k < n; k++)
            if (s[i + k] < 0x80 || s[i + k] > 0xBF)
                goto bad;
        i += n;
        continue;
    bad:
        if (bad_off != NULL)
            *bad_off = i;
        return false;
    }
    return true;
}

size_t
utf8_decode(const char *str, size_t len, unsigned *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t n;

    if (len == 0) {
        *cp = 0xFFFD;
        return 0;
    }
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    n = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : 2;
    if (n > len || !utf8_valid(str, n, NULL)) {
        *cp = 0xFFFD;
        return 1;
    }
    if (n == 4) {
        *cp = (unsigned)(s[0] & 0x07) << 18 | (unsigned)(s[1] & 0x3F) << 12 |
              (unsigned)(s[2] & 0x3F) << 6 | (unsigned)(s[3] & 0x3F);
    } else if (n == 3) {
        *cp = (unsigned)(s[0] & 0x0F) << 12 | (unsigned)(s[1] & 0x3F) << 6 |
              (unsigned)(s[2] & 0x3F);
    } else {
        *cp = (unsigned)(s[0] & 0x1F) << 6 | (unsigned)(s[1] & 0x3F);
    }
    return n;
}

/* East Asian Wide and Fullwidth ranges that occur in our text. */
static bool
is_wide(unsigned cp)
{
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
           (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
           (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
           (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

size_t
utf8_width(const char *s, size_t len)
{
    size_t w = 0, i = 0;
    while (i < len) {
        unsigned cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        w += is_wide(cp) ? 2 : 1;
        i += n;
    }
    return w;
}

size_t
utf8_codepoints(const char *s, size_t len)
{
    size_t c = 0, i = 0;
    while (i < len) {
        unsigned cp;
        i += utf8_decode(s + i, len - i, &cp);
        c++;
    }
    return c;
}

void
utf8_trim_blanks(const char **s, size_t *len)
{
    const char *p = *s;
    size_t n = *len;

    while (n > 0 && (*p == ' ' || *p == '\t')) {
        p++;
        n--;
    }
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    *s = p;
    *len = n;
}
