/* SPDX-License-Identifier: MIT */
#include "report/template.h"

#include <string.h>

#include "common/diag.h"
#include "common/i18n.h"
#include "common/sbuf.h"
#include "common/utf8.h"

static int
name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_';
}

int
template_expand(const char *text, size_t len, const char *file,
                template_lookup_fn *lookup, void *ctx, struct sbuf *out,
                struct diag *err)
{
    unsigned long line = 1;
    size_t line_start = 0, i = 0;
    char q[96];

    while (i < len) {
        char c = text[i];
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
        if (text[k] != '}' || k == start) {
            size_t end = k;
            while (end < len && text[end] != '}' && text[end] != '\n')
                end++;
            diag_set(err, DIAG_CONFIG,
                     _("%s is not a placeholder name (letters, digits, _)"),
                     diag_quote(q, sizeof(q), text + i, end - i + 1));
            goto located;
        }
        if (lookup(text + start, k - start, out, ctx) < 0) {
            diag_set(err, DIAG_CONFIG, _("unknown placeholder {%.*s}"),
                     (int)(k - start), text + start);
            goto located;
        }
        i = k + 1;
    }
    return 0;

located:
    err->file = file;
    err->line = line;
    err->col =
        (unsigned long)utf8_codepoints(text + line_start, i - line_start) + 1;
    return -1;
}
