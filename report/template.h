/* SPDX-License-Identifier: MIT */
/*
 * report/template.h - expand "{name}" and "{name|mod|mod...}" placeholders
 * in a text template.
 *
 * Literal text is copied; a placeholder is replaced by what the lookup
 * callback gives; "{{" and "}}" are literal braces, and a '|' outside braces
 * is plain text.  No loops, no conditionals: tables and optional sentences
 * are built in C and inserted as one value.
 *
 * A name is one or more of [A-Za-z0-9_.]; each modifier after a '|' is one
 * or more of [A-Za-z0-9_], or exactly one of the unit words 亿 and 万.  What
 * a modifier means is up to the lookup (report/figfmt.h for figures).
 *
 * An unknown name, an empty or malformed name, an empty or malformed
 * modifier, a modifier the lookup refuses, or an unclosed brace is a
 * DIAG_CONFIG error at template:line:col - never a blank in the output.
 * The column is that of the '{' for errors about the placeholder or its
 * name, and that of the modifier for errors about a modifier.
 */
#ifndef REPORT_TEMPLATE_H
#define REPORT_TEMPLATE_H

#include <stddef.h>

struct diag;
struct sbuf;

/* A lookup's return value: the name is unknown. */
#define TEMPLATE_UNKNOWN_NAME (-1)

/*
 * A lookup's return value: the k-th modifier (0-based, in the order
 * written) is unknown to this name, repeated, or conflicts with an earlier
 * one.  TEMPLATE_BAD_MODIFIER(0) is -2.
 */
#define TEMPLATE_BAD_MODIFIER(k) (-2 - (int)(k))

/*
 * Append the value of name[0..len) to out and return 0, or return
 * TEMPLATE_UNKNOWN_NAME or TEMPLATE_BAD_MODIFIER(k).  mods[0..mlen) is the
 * text after the first '|' up to the closing brace ("yi|trim"), already
 * checked to be well-formed modifiers joined by '|'; mlen is 0 when the
 * placeholder has none.  A name that takes no modifiers should return
 * TEMPLATE_BAD_MODIFIER(0) when mlen > 0.  Whatever a failing lookup
 * appended to out is dropped.
 */
typedef int template_lookup_fn(const char *name, size_t len, const char *mods,
                               size_t mlen, struct sbuf *out, void *ctx);

/*
 * Expand text[0..len) into out.  `file` names the template in messages.
 * Returns 0, or -1 with err set (file, line, col; see above).
 */
int template_expand(const char *text, size_t len, const char *file,
                    template_lookup_fn *lookup, void *ctx, struct sbuf *out,
                    struct diag *err);

#endif /* REPORT_TEMPLATE_H */
