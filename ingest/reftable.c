/* SPDX-License-Identifier: MIT */
#include "ingest/reftable.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/diag.h"
#include "common/i18n.h"
#include "common/utf8.h"
#include "common/xalloc.h"

/*
 * Our tables are about 10 KiB.  The cap only keeps a wrong GONGJI_DATA (a
 * device, some huge file) from being read into memory.
 */
#define TABLE_MAX_BYTES ((size_t)16 << 20)

/*
 * A problem at the current line of t.  err->file is borrowed and has to
 * outlive refdata_load(), but the path we opened is ours and gets freed, so
 * the file is named by a string literal and the message says which
 * directory it is in.
 */
int
reftable_error(struct reftable *t, unsigned long col, const char *fmt, ...)
{
    struct diag *err = t->err;
    va_list ap;

    va_start(ap, fmt);
    diag_vset(err, DIAG_CONFIG, fmt, ap);
    va_end(ap);
    size_t used = strlen(err->msg);
    snprintf(err->msg + used, sizeof(err->msg) - used,
             _(" (reference data in %s)"), t->dir);
    err->file = t->name;
    err->line = t->line;
    err->col = col;
    return -1;
}

int
reftable_read(struct reftable *t, const char *dir, const char *name,
              struct diag *err)
{
    size_t dirlen = strlen(dir), namelen = strlen(name);
    char *path = xmalloc(dirlen + 1 + namelen + 1);
    int rc = -1;

    memcpy(path, dir, dirlen);
    path[dirlen] = '/';
    memcpy(path + dirlen + 1, name, namelen + 1);

    memset(t, 0, sizeof(*t));
    t->dir = dir;
    t->name = name;
    t->err = err;

    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        int e = errno;
        diag_set(err, DIAG_CONFIG, _("cannot open reference table '%s': %s"),
                 path, strerror(e));
        err->file = NULL;
        err->line = err->col = 0;
        goto out;
    }

    size_t alloc = 16384;
    t->text = xmalloc(alloc);
    for (;;) {
        if (t->len + 1 == alloc) {
            if (alloc >= TABLE_MAX_BYTES) {
                diag_set(err, DIAG_CONFIG,
                         _("reference table '%s' is larger than %zu bytes"),
                         path, TABLE_MAX_BYTES);
                err->file = NULL;
                err->line = err->col = 0;
                goto out;
            }
            alloc *= 2;
            t->text = xrealloc(t->text, alloc);
        }
        size_t n = fread(t->text + t->len, 1, alloc - 1 - t->len, fp);
        t->len += n;
        if (n == 0)
            break;
    }
    if (ferror(fp)) {
        int e = errno;
        diag_set(err, DIAG_IO, _("cannot read reference table '%s': %s"), path,
                 strerror(e));
        err->file = NULL;
        err->line = err->col = 0;
        goto out;
    }
    t->text[t->len] = '\0';
    /* a BOM is what Excel and Notepad add when the file is saved there */
    if (t->len >= 3 && memcmp(t->text, "\xEF\xBB\xBF", 3) == 0)
        t->pos = 3;
    rc = 0;
out:
    if (rc < 0) {
        free(t->text);
        t->text = NULL;
    }
    if (fp != NULL)
        fclose(fp);
    free(path);
    return rc;
}

/* Lines a table can have at most, for sizing arrays before reading it. */
size_t
reftable_max_lines(const struct reftable *t)
{
    size_t n = 1;

    for (size_t i = t->pos; i < t->len; i++)
        if (t->text[i] == '\n')
            n++;
    return n;
}

/*
 * Cut the next line out of t (LF or CRLF) and check that it is text we can
 * use as is.  Returns 1 with *line and *len set, 0 at the end, -1 on error.
 */
int
reftable_next_line(struct reftable *t, char **line, size_t *len)
{
    if (t->pos >= t->len)
        return 0;
    char *s = t->text + t->pos;
    char *nl = memchr(s, '\n', t->len - t->pos);
    size_t n = nl != NULL ? (size_t)(nl - s) : t->len - t->pos;

    t->pos += n + (nl != NULL ? 1 : 0);
    t->line++;
    if (n > 0 && s[n - 1] == '\r')
        n--;
    s[n] = '\0';

    size_t bad;
    if (memchr(s, '\0', n) != NULL)
        return reftable_error(t, 0, _("line contains a NUL byte"));
    if (!utf8_valid(s, n, &bad))
        return reftable_error(t, 0, _("line is not UTF-8 (byte %zu)"), bad + 1);
    if (n == 0)
        return reftable_error(t, 0, _("empty line"));
    *line = s;
    *len = n;
    return 1;
}

int
reftable_header(struct reftable *t, const char *want)
{
    char *line;
    size_t len;
    int rc = reftable_next_line(t, &line, &len);

    if (rc < 0)
        return -1;
    if (rc == 0) {
        t->line = 1;
        return reftable_error(t, 0, _("empty file, expected the header '%s'"),
                              want);
    }
    if (strcmp(line, want) != 0) {
        char q[64];
        return reftable_error(t, 0, _("header is %s, expected '%s'"),
                              diag_quote(q, sizeof(q), line, len), want);
    }
    return 0;
}

static bool
is_space(char c)
{
    return c == ' ' || c == '\t';
}

/*
 * Split the next data line into exactly nfield non-empty fields (cut in
 * place).  Our files never quote, so a '"' is refused rather than
 * misread.  Returns 1, 0 at the end, or -1.
 */
int
reftable_next_row(struct reftable *t, char **field, size_t nfield)
{
    char *line;
    size_t len;
    int rc = reftable_next_line(t, &line, &len);

    if (rc <= 0)
        return rc;
    size_t have = 1;
    for (size_t i = 0; i < len; i++)
        if (line[i] == ',')
            have++;
    if (have != nfield)
        return reftable_error(t, 0, _("%zu fields, expected %zu"), have,
                              nfield);

    char *p = line;
    for (size_t k = 0; k < nfield; k++) {
        char *end = strchr(p, ',');
        if (end != NULL)
            *end = '\0';
        size_t flen = strlen(p);
        char q[64];
        if (flen == 0)
            return reftable_error(t, k + 1, _("empty field"));
        if (memchr(p, '"', flen) != NULL)
            return reftable_error(t, k + 1,
                                  _("quoted field %s: reference tables are not "
                                    "quoted"),
                                  diag_quote(q, sizeof(q), p, flen));
        if (is_space(p[0]) || is_space(p[flen - 1]))
            return reftable_error(t, k + 1,
                                  _("field %s has surrounding spaces"),
                                  diag_quote(q, sizeof(q), p, flen));
        field[k] = p;
        p = end != NULL ? end + 1 : p + flen;
    }
    return 1;
}
