/* SPDX-License-Identifier: MIT */
/*
 * common/utf8.h - UTF-8 validation and terminal display width.
 */
#ifndef COMMON_UTF8_H
#define COMMON_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Strict UTF-8 check of s[0..len): no overlongs, surrogates, code points
 * past U+10FFFF or truncated sequences.  Returns true when valid; otherwise
 * false with *bad_off set to the offset of the first offending byte.
 */
bool utf8_valid(const char *s, size_t len, size_t *bad_off);

/*
 * Decode one code point at s[0..len); returns the number of bytes used
 * (1 for an invalid byte, whose value is then returned as U+FFFD).
 */
size_t utf8_decode(const char *s, size_t len, unsigned *cp);

/* Columns a terminal uses for s[0..len): East Asian wide/fullwidth = 2. */
size_t utf8_width(const char *s, size_t len);

/* Narrow s[0..len) to drop leading and trailing ASCII spaces and tabs. */
void utf8_trim_blanks(const char **s, size_t *len);

/* Number of code points in s[0..len). */
size_t utf8_codepoints(const char *s, size_t len);

#endif /* COMMON_UTF8_H */
