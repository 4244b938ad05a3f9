/* SPDX-License-Identifier: MIT */
#include "ingest/sumheader.h"

#include <string.h>

#include "common/sbuf.h"
#include "common/utf8.h"
#include "ingest/csvread.h"
#include "ingest/schema.h"

/* The i-th NUL-terminated string of top (n strings), or "" past them. */
static const char *
nth(const char *top, size_t n, size_t i)
{
    if (i >= n)
        return "";
    while (i-- > 0)
        top += strlen(top) + 1;
    return top;
}

/* Field i of row, trimmed; "" past its end. */
static void
sub_field(const struct csvread_row *row, size_t i, const char **s, size_t *len)
{
    *s = "";
    *len = 0;
    if (i >= row->nfields)
        return;
    *s = row->fields[i].s;
    *len = row->fields[i].len;
    utf8_trim_blanks(s, len);
}

static bool
known(const struct vocab *v, const struct sbuf *name)
{
    return schema_lookup(v, name->buf, name->len, NULL) >= 0;
}

/* The name of the column with sub[0..len) under name top. */
static void
add_name(const struct vocab *v, const char *top, const char *sub, size_t len,
         struct sbuf *names)
{
    struct sbuf name = SBUF_INIT;

    if (*top == '\0' || len == 0) {
        if (len > 0)
            sbuf_add(&name, sub, len);
        else
            sbuf_addstr(&name, top);
    } else {
        sbuf_addstr(&name, top);
        sbuf_add(&name, sub, len);
        if (!known(v, &name)) {
            sbuf_reset(&name);
            sbuf_addf(&name, "%s(%.*s)", top, (int)len, sub);
            if (!known(v, &name)) {
                sbuf_reset(&name);
                sbuf_add(&name, sub, len);
                if (!known(v, &name)) {
                    sbuf_reset(&name);
                    sbuf_addstr(&name, top);
                    sbuf_add(&name, sub, len);
                }
            }
        }
    }
    sbuf_add(names, name.buf, name.len);
    sbuf_addch(names, '\0');
    sbuf_release(&name);
}

bool
sumheader_combine(const struct vocab *v, const char *top, size_t ntop,
                  const struct csvread_row *sub, struct sbuf *names,
                  size_t *nnames)
{
    size_t n = ntop > sub->nfields ? ntop : sub->nfields;
    bool any = false;
    const char *s, *parent = "";
    size_t len;

    for (size_t i = 0; i < sub->nfields; i++) {
        const char *t = nth(top, ntop, i);
        bool spans = *nth(top, ntop, i + 1) == '\0' && i + 1 < n;
        sub_field(sub, i, &s, &len);
        if (len == 0)
            continue;
        if (*t != '\0' && !spans)
            return false; /* text under a name of one column: data */
        any = true;
    }
    if (!any)
        return false;
    for (size_t i = 0; i < n; i++) {
        const char *t = nth(top, ntop, i);
        bool spans = *nth(top, ntop, i + 1) == '\0' && i + 1 < n;
        if (*t != '\0')
            parent = t;
        sub_field(sub, i, &s, &len);
        if (len > 0)
            add_name(v, parent, s, len, names);
        else
            add_name(v, spans ? "" : t, "", 0, names);
    }
    *nnames = n;
    return true;
}
