/* SPDX-License-Identifier: MIT */
/*
 * common/xalloc.h - allocation that succeeds or ends the program.
 *
 * Out of memory prints the size asked for and exits 3 (environment failure);
 * nothing else in gongji tests allocator results for NULL.
 */
#ifndef COMMON_XALLOC_H
#define COMMON_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
/* realloc for nmemb * size bytes, with the multiplication overflow-checked */
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
/* Copies; the caller frees with free(). */
char *xstrdup(const char *s);
char *xmemdupz(const void *p, size_t len); /* len bytes plus a NUL */

#endif /* COMMON_XALLOC_H */
