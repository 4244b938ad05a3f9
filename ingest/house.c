/* SPDX-License-Identifier: MIT */
#include "ingest/house.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/diag.h"
#include "common/i18n.h"
#include "common/sbuf.h"
#include "common/utf8.h"

void
house_init(struct house *h)
{
    snprintf(h->source_line, sizeof(h->source_line), "%s",
             "数据来源：各省级医保部门报送，gongji 汇总");
    snprintf(h->data_source, sizeof(h->data_source), "%s",
             "数据来源：各省级医保部门报送");
    snprintf(h->issuer, sizeof(h->issuer), "%s", "国家医疗保障局");
    h->path[0] = '\0';
}

static bool
blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* One line; 0, or -1 with err located at path:line:col. */
static int
parse_line(struct house *h, const char *path, unsigned long ln, const char *s,
           size_t n, struct diag *err)
{
    size_t i = 0;
    while (i < n && blank(s[i]))
        i++;
    if (i == n || s[i] == '#')
        return 0;
    const char *eq = memchr(s + i, '=', n - i);
    if (eq == NULL) {
        diag_set(err, DIAG_CONFIG, _("not a line 'key = value': '%.*s'"),
                 (int)(n - i > 60 ? 60 : n - i), s + i);
        goto located_at_i;
    }
    size_t k0 = i, k1 = (size_t)(eq - s);
    while (k1 > k0 && blank(s[k1 - 1]))
        k1--;
    size_t v0 = (size_t)(eq - s) + 1, v1 = n;
    while (v0 < n && blank(s[v0]))
        v0++;
    while (v1 > v0 && blank(s[v1 - 1]))
        v1--;
    char *dst = NULL;
    size_t klen = k1 - k0;
    if (klen == 11 && memcmp(s + k0, "source_line", 11) == 0)
        dst = h->source_line;
    else if (klen == 11 && memcmp(s + k0, "data_source", 11) == 0)
        dst = h->data_source;
    else if (klen == 6 && memcmp(s + k0, "issuer", 6) == 0)
        dst = h->issuer;
    if (dst == NULL) {
        diag_set(err, DIAG_CONFIG,
                 _("unknown key '%.*s' (the keys are source_line, "
                   "data_source and issuer)"),
                 (int)(klen > 40 ? 40 : klen), s + k0);
        goto located_at_i;
    }
    i = v0;
    if (v1 == v0 || v1 - v0 > HOUSE_VALUE_MAX) {
        diag_set(err, DIAG_CONFIG,
                 v1 == v0 ? _("the value of '%.*s' is empty")
                          : _("the value of '%.*s' is longer than 200 bytes"),
                 (int)klen, s + k0);
        goto located_at_i;
    }
    for (size_t j = v0; j < v1; j++)
        if ((unsigned char)s[j] < 0x20 || s[j] == 0x7f) {
            i = j;
            diag_set(err, DIAG_CONFIG,
                     _("the value of '%.*s' has a control character"),
                     (int)klen, s + k0);
            goto located_at_i;
        }
    size_t bad;
    if (!utf8_valid(s + v0, v1 - v0, &bad)) {
        i = v0 + bad;
        diag_set(err, DIAG_CONFIG, _("the value of '%.*s' is not UTF-8"),
                 (int)klen, s + k0);
        goto located_at_i;
    }
    memcpy(dst, s + v0, v1 - v0);
    dst[v1 - v0] = '\0';
    return 0;
located_at_i:
    err->file = path;
    err->line = ln;
    err->col = i + 1;
    return -1;
}

int
house_load(struct house *h, const char *dir, struct diag *err)
{
    struct sbuf text = SBUF_INIT;
    char chunk[4096];
    size_t n;
    int ret = 0;

    house_init(h);
    snprintf(h->path, sizeof(h->path), "%s/house.conf", dir);
    FILE *fp = fopen(h->path, "rb");
    if (fp == NULL) {
        if (errno != ENOENT)
            ret = diag_set(err, DIAG_CONFIG, _("cannot open %s: %s"), h->path,
                           strerror(errno));
        h->path[0] = '\0';
        return ret;
    }
    while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0 && text.len < 65536)
        sbuf_add(&text, chunk, n);
    fclose(fp);
    unsigned long ln = 0;
    const char *s = text.buf != NULL ? text.buf : "";
    /* a UTF-8 BOM, as Windows editors write one */
    if (strncmp(s, "\xef\xbb\xbf", 3) == 0)
        s += 3;
    while (*s != '\0') {
        const char *nl = strchr(s, '\n');
        size_t len = nl != NULL ? (size_t)(nl - s) : strlen(s);
        ln++;
        if (parse_line(h, h->path, ln, s, len, err) < 0) {
            ret = -1;
            break;
        }
        s += len + (nl != NULL);
    }
    sbuf_release(&text);
    return ret;
}
