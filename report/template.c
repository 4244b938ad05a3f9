/* SPDX-License-Identifier: MIT */
#include "report/template.h"

#include <string.h>

#include "common/diag.h"
#include "common/i18n.h"
#include "common/sbuf.h"
#include "common/utf8.h"

static int
word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_';
}

static int
name_char(char c)
{
    return word_char(c) || c == '.';
}

/* The length of the unit word 亿 or 万 at s[0..n), or 0. */
static size_t
unit_word(const char *s, size_t n)
{
    if (n >= 3 && (memcmp(s, "亿", 3) == 0 || memcmp(s, "万", 3) == 0))
        return 3;
    return 0;
}

/*
 * The length of a malformed placeholder starting at text[open], for quoting
 * it: up to and including its '}', or up to the line's or the text's end.
 */
static size_t
placeholder_len(const char *text, size_t len, size_t open, size_t i)
{
    while (i < len && text[i] != '}' && text[i] != '\n')
        i++;
    return (i < len ? i + 1 : i) - open;
}

/*
 * The k-th modifier of mods[0..mlen) as (*off, *n); when there are fewer,
 * the whole text, so the message still names something.
 */
static void
nth_modifier(const char *mods, size_t mlen, int k, size_t *off, size_t *n)
{
    size_t s = 0;
    for (size_t i = 0; i <= mlen; i++) {
        if (i < mlen && mods[i] != '|')
            continue;
        if (k-- == 0) {
            *off = s;
            *n = i - s;
            return;
        }
        s = i + 1;
    }
    *off = 0;
    *n = mlen;
}

int
template_expand(const char *text, size_t len, const char *file,
                template_lookup_fn *lookup, void *ctx, struct sbuf *out,
                struct diag *err)
{
    unsigned long line = 1;
    size_t line_start = 0, i = 0, at;
    char q[96], qm[64];

    while (i < len) {
        char c = text[i];
        at = i;
        if (c == '\n') {
            sbuf_addch(out, c);
            line++;
            line_start = ++i;
            continue;
        }
        if (c == '}') {
            if (i + 1 < len && text[i + 1] == '}') {
                sbuf_addch(out, '}');
                i += 2;
                continue;
            }
            diag_set(err, DIAG_CONFIG,
                     _("a lone '}' (write '}}' for a literal brace)"));
            goto located;
        }
        if (c != '{') {
            sbuf_addch(out, c);
            i++;
            continue;
        }
        if (i + 1 < len && text[i + 1] == '{') {
            sbuf_addch(out, '{');
            i += 2;
            continue;
        }
        size_t start = i + 1, k = start;
        while (k < len && name_char(text[k]))
            k++;
        if (k >= len || text[k] == '\n') {
            diag_set(err, DIAG_CONFIG, _("unclosed '{'"));
            goto located;
        }
        if ((text[k] != '}' && text[k] != '|') || k == start) {
            size_t qn = placeholder_len(text, len, i, k);
            diag_set(err, DIAG_CONFIG,
                     _("%s is not a placeholder name (letters, digits, _, .)"),
                     diag_quote(q, sizeof(q), text + i, qn));
            goto located;
        }
        size_t name_end = k, mods = k, close = k;
        if (text[k] == '|') {
            mods = k + 1;
            for (size_t m = mods;;) {
                size_t w = unit_word(text + m, len - m);
                size_t e = m + w;
                if (w == 0)
                    while (e < len && word_char(text[e]))
                        e++;
                if (e >= len || text[e] == '\n') {
                    diag_set(err, DIAG_CONFIG, _("unclosed '{'"));
                    goto located;
                }
                if (e == m && (text[e] == '|' || text[e] == '}')) {
                    size_t qn = placeholder_len(text, len, i, e);
                    diag_set(err, DIAG_CONFIG, _("empty modifier in %s"),
                             diag_quote(q, sizeof(q), text + i, qn));
                    at = m;
                    goto located;
                }
                if (text[e] != '|' && text[e] != '}') {
                    size_t qn = placeholder_len(text, len, i, e);
                    diag_set(err, DIAG_CONFIG,
                             _("a modifier in %s is not letters, digits and "
                               "_, nor 亿 or 万"),
                             diag_quote(q, sizeof(q), text + i, qn));
                    at = m;
                    goto located;
                }
                if (text[e] == '}') {
                    close = e;
                    break;
                }
                m = e + 1;
            }
        }
        size_t mlen = close > mods ? close - mods : 0;
        size_t mark = out->len;
        int rc =
            lookup(text + start, name_end - start, text + mods, mlen, out, ctx);
        if (rc < 0) {
            sbuf_setlen(out, mark);
            if (rc == TEMPLATE_UNKNOWN_NAME || mlen == 0) {
                diag_set(err, DIAG_CONFIG, _("unknown placeholder {%.*s}"),
                         (int)(name_end - start), text + start);
                goto located;
            }
            size_t off, n;
            nth_modifier(text + mods, mlen, TEMPLATE_BAD_MODIFIER(0) - rc, &off,
                         &n);
            diag_set(err, DIAG_CONFIG,
                     _("unknown or conflicting modifier %s in {%.*s}"),
                     diag_quote(qm, sizeof(qm), text + mods + off, n),
                     (int)(close - start), text + start);
            at = mods + off;
            goto located;
        }
        i = close + 1;
    }
    return 0;

located:
    err->file = file;
    err->line = line;
    err->col =
        (unsigned long)utf8_codepoints(text + line_start, at - line_start) + 1;
    return -1;
}
