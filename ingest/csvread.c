/* SPDX-License-Identifier: MIT */
#include "ingest/csvread.h"

#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "common/diag.h"
#include "common/i18n.h"
#include "common/sbuf.h"
#include "common/xalloc.h"

/*
 * libcsv's parser states (private to libcsv.c, public through p.pstate).
 * ROW_NOT_BEGUN between records is what tells us that a record starting
 * in the next piece of input starts on the line of that piece.
 */
#define PSTATE_ROW_NOT_BEGUN          0
#define PSTATE_FIELD_BEGUN            2
#define PSTATE_FIELD_MIGHT_HAVE_ENDED 3

/*
 * A long physical line is fed in pieces of this size so that an open quote
 * is caught near CSVREAD_MAX_RECORD, not after buffering the whole file.
 */
#define CSVREAD_CHUNK ((size_t)64 * 1024)

struct reader {
    /*
     * Text of the current record's fields, each followed by a NUL, in
     * order; fields[i].s is filled in only when the record is complete,
     * because the arena moves as it grows.
     */
    struct sbuf arena;
    struct csvread_field *fields;
    size_t nfields, alloc;

    unsigned long line;       /* physical line being fed (1-based) */
    unsigned long rec_line;   /* line where the current record began */
    unsigned long field_line; /* line where the current field began */
    unsigned long index;      /* records delivered so far */

    csvread_row_fn *fn;
    void *fn_ctx;
    int stop;    /* fn's non-zero return: ignore all further callbacks */
    int too_big; /* the record passed CSVREAD_MAX_RECORD */
};

static void
reader_init(struct reader *r, csvread_row_fn *fn, void *fn_ctx)
{
    memset(r, 0, sizeof(*r));
    sbuf_init(&r->arena);
    r->fn = fn;
    r->fn_ctx = fn_ctx;
}

static void
reader_release(struct reader *r)
{
    sbuf_release(&r->arena);
    free(r->fields);
    r->fields = NULL;
    r->nfields = r->alloc = 0;
}

/* Keep spaces around unquoted fields: the validator decides what to trim. */
static int
csvread_no_space(unsigned char c)
{
    (void)c;
    return 0;
}

static void
csvread_on_field(void *s, size_t len, void *data)
{
    struct reader *r = data;

    if (r->stop || r->too_big)
        return;
    if (len >= CSVREAD_MAX_RECORD ||
        r->arena.len + len + 1 > CSVREAD_MAX_RECORD) {
        r->too_big = 1;
        return;
    }
    if (r->nfields == r->alloc) {
        r->alloc = r->alloc ? 2 * r->alloc : 16;
        r->fields = xreallocarray(r->fields, r->alloc, sizeof(*r->fields));
    }
    r->fields[r->nfields].s = NULL;
    r->fields[r->nfields].len = len;
    r->nfields++;
    sbuf_add(&r->arena, s, len);
    sbuf_addch(&r->arena, '\0');
    /* The next field starts just after the delimiter, on this line. */
    r->field_line = r->line;
}

static void
csvread_on_row(int c, void *data)
{
    struct reader *r = data;
    size_t off = 0;
    int nonempty = 0;

    (void)c;
    if (r->stop || r->too_big)
        return;
    for (size_t i = 0; i < r->nfields; i++) {
        r->fields[i].s = r->arena.buf + off;
        off += r->fields[i].len + 1;
        if (r->fields[i].len != 0)
            nonempty = 1;
    }
    /*
     * A record whose fields are all empty carries no data: ",,,," rows
     * that Excel leaves behind when cells are cleared, or a lone "".
     * Truly blank lines never reach us (libcsv reports no row for them).
     */
    if (nonempty) {
        struct csvread_row row = {
            .fields = r->fields,
            .nfields = r->nfields,
            .line = r->rec_line,
            .end_line = r->line,
            .index = r->index++,
        };
        r->stop = r->fn(&row, r->fn_ctx);
    }
    r->nfields = 0;
    sbuf_reset(&r->arena);
    /* Another record may follow on this line after a bare CR. */
    r->rec_line = r->field_line = r->line;
}

/*
 * Fill err for libcsv's refusal of the input at byte `at` (0-based) of the
 * current line.
 */
static int
csvread_parse_error(struct csv_parser *p, const struct reader *r, size_t at,
                    const char *file, struct diag *err)
{
    struct sbuf sofar = SBUF_INIT;
    char q[64];
    unsigned long col = (unsigned long)r->nfields + 1;
    int rc = csv_error(p);

    err->file = file;
    err->line = r->line;
    err->col = col;
    if (rc != CSV_EPARSE)
        return diag_set(err, DIAG_IO, _("CSV parser failed: %s"),
                        csv_strerror(rc));

    /* libcsv drops the opening quote of a field but keeps the closing one. */
    if (p->quoted)
        sbuf_addch(&sofar, '"');
    sbuf_add(&sofar, p->entry_buf, p->entry_pos);
    diag_quote(q, sizeof(q), sofar.buf, sofar.len);
    sbuf_release(&sofar);

    if (p->pstate == PSTATE_FIELD_MIGHT_HAVE_ENDED)
        return diag_set(err, DIAG_FORMAT,
                        _("malformed quoting in field %lu (byte %zu of the "
                          "line): text after the closing quote of %s"),
                        col, at + 1, q);
    return diag_set(err, DIAG_FORMAT,
                    _("malformed quoting in field %lu (byte %zu of the line): "
                      "quote inside the unquoted field %s (quote the whole "
                      "field and double the quote)"),
                    col, at + 1, q);
}

static int
csvread_too_big(const struct csv_parser *p, const struct reader *r,
                const char *file, struct diag *err)
{
    err->file = file;
    err->line = r->rec_line;
    err->col = 0;
    if (p->pstate == PSTATE_FIELD_BEGUN && p->quoted)
        return diag_set(err, DIAG_FORMAT,
                        _("record that began on line %lu is longer than %u "
                          "bytes: is the quote of field %zu (line %lu) never "
                          "closed?"),
                        r->rec_line, CSVREAD_MAX_RECORD, r->nfields + 1,
                        r->field_line);
    return diag_set(err, DIAG_FORMAT,
                    _("record that began on line %lu is longer than %u bytes"),
                    r->rec_line, CSVREAD_MAX_RECORD);
}

static int
csvread_record_too_big(const struct csv_parser *p, const struct reader *r)
{
    if (r->too_big)
        return 1;
    if (p->pstate == PSTATE_ROW_NOT_BEGUN)
        return 0;
    return r->arena.len + p->entry_pos > CSVREAD_MAX_RECORD;
}

/*
 * The end of the physical line that starts at buf[pos]: just past its LF,
 * or past a CR that no LF follows (old Mac line ends), or len.
 */
static size_t
csvread_line_end(const char *buf, size_t pos, size_t len)
{
    for (size_t i = pos; i < len; i++) {
        if (buf[i] == '\n')
            return i + 1;
        if (buf[i] == '\r' && (i + 1 == len || buf[i + 1] != '\n'))
            return i + 1;
    }
    return len;
}

/*
 * Split buf[0..len) at delim into fields and count those known() accepts
 * (a field's surrounding blanks and double quotes are removed first).
 */
static size_t
csvread_count_known(const char *buf, size_t len, char delim,
                    csvread_known_fn *known, void *ctx)
{
    size_t n = 0;

    for (size_t start = 0; start <= len;) {
        const char *d = memchr(buf + start, delim, len - start);
        size_t end = d != NULL ? (size_t)(d - buf) : len;
        const char *s = buf + start;
        size_t flen = end - start;

        while (flen > 0 && (*s == ' ' || *s == '\t' || *s == '"')) {
            s++;
            flen--;
        }
        while (flen > 0 && (s[flen - 1] == ' ' || s[flen - 1] == '\t' ||
                            s[flen - 1] == '"' || s[flen - 1] == '\r' ||
                            s[flen - 1] == '\n'))
            flen--;
        if (flen > 0 && known(s, flen, ctx))
            n++;
        start = end + 1;
    }
    return n;
}

char
csvread_guess_delim(const char *buf, size_t len, unsigned max_lines,
                    csvread_known_fn *known, void *ctx)
{
    static const char delims[] = {',', '\t', ';'};
    size_t best[3] = {0, 0, 0};
    size_t pos = 0;

    for (unsigned l = 0; l < max_lines && pos < len; l++) {
        size_t end = csvread_line_end(buf, pos, len);
        for (size_t d = 0; d < sizeof(delims); d++) {
            size_t n = csvread_count_known(buf + pos, end - pos, delims[d],
                                           known, ctx);
            if (n > best[d])
                best[d] = n;
        }
        pos = end;
    }
    size_t pick = 0;
    for (size_t d = 1; d < sizeof(delims); d++)
        if (best[d] > best[pick])
            pick = d;
    return delims[pick];
}

int
csvread_buffer(const char *buf, size_t len, const char *file,
               csvread_row_fn *fn, void *ctx, struct diag *err)
{
    return csvread_buffer_delim(buf, len, ',', file, fn, ctx, err);
}

int
csvread_buffer_delim(const char *buf, size_t len, char delim, const char *file,
                     csvread_row_fn *fn, void *ctx, struct diag *err)
{
    struct csv_parser p;
    struct reader r;
    size_t pos = 0;
    int ret = 0;

    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
        BUG("csv_init failed");
    csv_set_delim(&p, (unsigned char)delim);
    csv_set_space_func(&p, csvread_no_space);
    /* Out of memory ends the program, as everywhere else (xalloc.h). */
    csv_set_realloc_func(&p, xrealloc);
    csv_set_free_func(&p, free);
    reader_init(&r, fn, ctx);

    /*
     * One physical line per csv_parse() call (in pieces if it is long):
     * libcsv keeps its state between calls, so quoted newlines still work,
     * and we always know which line the bytes came from.
     */
    while (pos < len) {
        size_t line_start = pos;
        size_t line_end = csvread_line_end(buf, pos, len);

        r.line++;
        while (pos < line_end) {
            size_t n = line_end - pos, used;

            if (n > CSVREAD_CHUNK)
                n = CSVREAD_CHUNK;
            if (p.pstate == PSTATE_ROW_NOT_BEGUN)
                r.rec_line = r.field_line = r.line;
            used = csv_parse(&p, buf + pos, n, csvread_on_field, csvread_on_row,
                             &r);
            if (r.stop) {
                ret = r.stop;
                goto out;
            }
            if (used < n) {
                ret = csvread_parse_error(&p, &r, pos + used - line_start, file,
                                          err);
                goto out;
            }
            if (csvread_record_too_big(&p, &r)) {
                ret = csvread_too_big(&p, &r, file, err);
                goto out;
            }
            pos += n;
        }
    }

    /*
     * With CSV_STRICT_FINI, csv_fini() refuses an open quote before it
     * calls anything; otherwise it flushes a last record that lacks its
     * newline.
     */
    if (csv_fini(&p, csvread_on_field, csvread_on_row, &r) != 0) {
        err->file = file;
        err->line = r.field_line;
        err->col = (unsigned long)r.nfields + 1;
        ret = diag_set(err, DIAG_FORMAT,
                       _("unterminated quoted field that began on line %lu"),
                       r.field_line);
        goto out;
    }
    if (r.stop)
        ret = r.stop;
    else if (r.too_big)
        ret = csvread_too_big(&p, &r, file, err);

out:
    /* Never csv_fini() here: it would flush a partial record. */
    csv_free(&p);
    reader_release(&r);
    return ret;
}
