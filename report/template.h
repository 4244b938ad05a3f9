/* SPDX-License-Identifier: MIT */
/*
 * report/template.h - expand "{name}" placeholders in a text template.
 *
 * Literal text is copied; "{name}" is replaced by what the lookup callback
 * gives; "{{" and "}}" are literal braces.  No loops, no conditionals: tables
 * and optional sentences are built in C and inserted as one value.  An
 * unknown name, an empty or malformed name, or an unclosed brace is a
 * DIAG_CONFIG error at template:line:col - never a blank in the output.
 */
#ifndef REPORT_TEMPLATE_H
#define REPORT_TEMPLATE_H

#include <stddef.h>

struct diag;
struct sbuf;

/*
 * Append the value of name[0..len) to out and return 0, or return -1 when
 * the name is unknown.
 */
typedef int template_lookup_fn(const char *name, size_t len, struct sbuf *out,
                               void *ctx);

/*
 * Expand text[0..len) into out.  `file` names the template in messages.
 * Returns 0, or -1 with err set (file, line, col of the offending brace).
 */
int template_expand(const char *text, size_t len, const char *file,
                    template_lookup_fn *lookup, void *ctx, struct sbuf *out,
                    struct diag *err);

#endif /* REPORT_TEMPLATE_H */
