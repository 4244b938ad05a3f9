/* SPDX-License-Identifier: MIT */
#include "ingest/input.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/diag.h"
#include "common/fdio.h"
#include "common/i18n.h"
#include "common/sbuf.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "ingest/encoding.h"
#include "ingest/refdata.h"
#include "ingest/scan.h"
#include "ingest/schema.h"
#include "ingest/xlsx.h"

/*
 * Is buf[*checked..len) still text, or NUL padding after a line end (a NUL
 * was seen, *padding set, and only NULs since)?  *checked moves to len.
 */
static bool
still_text(const struct sbuf *buf, size_t *checked, bool *padding)
{
    const char *s = buf->buf;

    for (size_t i = *checked; i < buf->len; i++) {
        if (!*padding) {
            const char *nul = memchr(s + i, '\0', buf->len - i);
            if (nul == NULL)
                break;
            i = (size_t)(nul - s);
            if (i == 0 || (s[i - 1] != '\n' && s[i - 1] != '\r'))
                return false;
            *padding = true;
        } else if (s[i] != '\0') {
            return false;
        }
    }
    *checked = buf->len;
    return true;
}

/*
 * Append what is left on fd to buf, up to more than max bytes in all
 * (*over then set).  With text, also stop at a chunk with a NUL byte that
 * is not padding after the last line (ingest/encoding.h): that is no text
 * (the encoding check reports the first NUL, at the same offset), and
 * /dev/zero must fail at once, not when memory runs out; a UTF-16 file
 * (with its byte order mark) is read whole.  Without text (a workbook)
 * every byte is read.  0, or -1 with errno set.
 */
static int
read_rest(int fd, struct sbuf *buf, size_t max, bool text, bool *over)
{
    const unsigned char *u = (const unsigned char *)buf->buf;
    bool utf16 = buf->len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) ||
                                   (u[0] == 0xFE && u[1] == 0xFF));
    size_t checked = 0;
    bool padding = false;

    *over = false;
    for (;;) {
        if (text && !utf16 && !still_text(buf, &checked, &padding))
            return 0;
        if (buf->len > max) {
            *over = true;
            return 0;
        }
        sbuf_grow(buf, 65536);
        ssize_t got = fdio_read_full(fd, buf->buf + buf->len, 65536);
        if (got < 0)
            return -1;
        if (got == 0)
            return 0;
        sbuf_setlen(buf, buf->len + (size_t)got);
    }
}

/*
 * Does the line in text name a detail file's column (1), or is it a title
 * row, at most two fields with text (0), or anything else (-1)?
 */
static int
detail_line(const struct refdata *rd, struct sbuf *text)
{
    struct scan sc;
    struct scan_error se;
    int kind = -1;

    scan_init(&sc, text->buf, text->len);
    if (scan_next(&sc, &se) == 1) {
        struct schema_cell *cells =
            xreallocarray(NULL, sc.nfields ? sc.nfields : 1, sizeof(*cells));
        size_t filled = 0;
        for (size_t i = 0; i < sc.nfields; i++) {
            cells[i] = (struct schema_cell){sc.fields[i].s, sc.fields[i].len};
            const char *f = sc.fields[i].s;
            size_t len = sc.fields[i].len;
            utf8_trim_blanks(&f, &len);
            filled += len > 0;
        }
        if (schema_is_detail(refdata_vocab(rd), cells, sc.nfields))
            kind = 1;
        else if (filled <= 2)
            kind = 0;
        free(cells);
    } else if (text->len == 0) {
        kind = 0; /* a blank line */
    }
    scan_release(&sc);
    return kind;
}

bool
input_is_detail(const struct refdata *rd, const char *buf, size_t len)
{
    struct sbuf text = SBUF_INIT;
    struct diag err;
    enum encoding enc;
    int bom, kind = 0;

    /* the header, perhaps below title rows (as the detail reader skips) */
    for (unsigned lines = 0; lines <= 10 && kind == 0 && len > 0; lines++) {
        const char *nl = memchr(buf, '\n', len);
        size_t n = nl != NULL ? (size_t)(nl - buf) : len;
        sbuf_reset(&text);
        if (encoding_to_utf8(buf, n, ENC_AUTO, NULL, &text, &enc, &bom, &err) <
            0)
            break;
        while (text.len > 0 && text.buf[text.len - 1] == '\r')
            sbuf_setlen(&text, text.len - 1);
        kind = detail_line(rd, &text);
        if (nl == NULL)
            break;
        len -= n + 1;
        buf = nl + 1;
    }
    sbuf_release(&text);
    return kind == 1;
}

/*
 * Summaries concatenated on one stream (partial results collected from
 * many machines): each repetition of the first line, the header, starts
 * another file.  Each is validated on its own, with its lines numbered as
 * in the whole stream, and the rows of all go into sf.
 */
static int
parse_concatenated(struct submission *sf, const char *name,
                   const struct sbuf *text, const struct ingest_opts *opts,
                   const struct refdata *rd, struct diag_list *dl)
{
    const char *buf = text->buf, *nl = memchr(buf, '\n', text->len);
    size_t hlen = nl != NULL ? (size_t)(nl - buf) + 1 : text->len;
    size_t bom = hlen >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    size_t start = 0, lines_before = 0, lines = 1;
    struct sbuf part = SBUF_INIT;
    int rc = 0;

    sf->path = name;
    if (text->len == 0) /* reported as an empty file */
        return summary_parse(sf, name, text->buf, 0, opts, rd, dl);
    for (size_t r = hlen; start < text->len;) {
        const char *e =
            r < text->len ? memchr(buf + r, '\n', text->len - r) : NULL;
        size_t len = e != NULL ? (size_t)(e - (buf + r)) + 1 : text->len - r;
        bool header = r < text->len &&
                      ((len == hlen && memcmp(buf + r, buf, hlen) == 0) ||
                       (bom && len == hlen - bom &&
                        memcmp(buf + r, buf + bom, hlen - bom) == 0));
        if (r >= text->len || header) {
            /* buf[start..r) is one file; blank lines keep the numbering */
            struct submission one;
            submission_init(&one);
            sbuf_reset(&part);
            for (size_t k = 0; k < lines_before; k++)
                sbuf_addch(&part, '\n');
            sbuf_add(&part, buf + start, r - start);
            if (summary_parse(&one, name, part.buf, part.len, opts, rd, dl) < 0)
                rc = -1;
            if (rc == 0 && one.nrows > 0) {
                sf->rows = xreallocarray(sf->rows, sf->nrows + one.nrows,
                                         sizeof(*sf->rows));
                memcpy(sf->rows + sf->nrows, one.rows,
                       one.nrows * sizeof(*sf->rows));
                sf->nrows += one.nrows;
            }
            submission_release(&one);
            start = r;
            lines_before = lines;
            if (r >= text->len)
                break;
        }
        r += len;
        lines++;
    }
    sbuf_release(&part);
    sf->bytes = text->len;
    if (rc < 0)
        submission_drop_rows(sf);
    return rc;
}

static int
read_detail(struct submission *sf, int fd, const char *name,
            const struct sbuf *prefix, const struct input_opts *o,
            const struct refdata *rd, struct diag_list *dl)
{
    struct detail_opts d;

    memset(&d, 0, sizeof(d));
    d.threads = o->threads;
    d.want_sha256 = o->detail_sha256;
    d.header = o->header;
    d.progress = o->progress;
    d.progress_ctx = o->progress_ctx;
    return detail_read_fd(sf, fd, name, prefix->buf, prefix->len, &o->ingest,
                          &d, rd, dl, NULL);
}

static int
read_summary(struct submission *sf, int fd, const char *name, struct sbuf *text,
             const struct input_opts *o, const struct refdata *rd,
             struct diag_list *dl)
{
    size_t max = o->summary_max ? o->summary_max : INPUT_SUMMARY_MAX;
    bool over;
    if (read_rest(fd, text, max, true, &over) < 0)
        return diag_list_addf(dl, DIAG_ERROR, DIAG_NOINPUT, name, 0, 0,
                              _("cannot read: %s"), strerror(errno));
    if (over) {
        char lim[48];
        if (max % (1u << 20) == 0)
            snprintf(lim, sizeof(lim), _("%zu MiB"), max >> 20);
        else
            snprintf(lim, sizeof(lim), _("%zu bytes"), max);
        return diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, name, 0, 0,
                              _("a summary file of more than %s: is it really "
                                "one? (the limit is GONGJI_SUMMARY_MAX; "
                                "per-settlement detail files have no limit)"),
                              lim);
    }
    if (o->concatenated)
        return parse_concatenated(sf, name, text, &o->ingest, rd, dl);
    return summary_parse(sf, name, text->buf, text->len, &o->ingest, rd, dl);
}

/* The text on fd, whose first bytes are in buf: a detail or a summary file. */
static int
read_text(struct submission *sf, int fd, const char *name, struct sbuf *buf,
          const struct input_opts *o, const struct refdata *rd,
          struct diag_list *dl)
{
    if (o->header != NULL || input_is_detail(rd, buf->buf, buf->len))
        return read_detail(sf, fd, name, buf, o, rd, dl);
    return read_summary(sf, fd, name, buf, o, rd, dl);
}

/*
 * An Excel workbook: its sheet, turned into CSV text by ingest/xlsx.c in a
 * thread of its own, reaches the readers through a pipe, so that a sheet
 * of a million rows is read in bounded memory, and converted and parsed at
 * the same time.  The submission's SHA-256 and size are the workbook's.
 */
struct pump {
    struct xlsx *book;
    int fd; /* the pipe's write end, closed by the thread */
    struct diag_list dl;
    int rc;
};

static void *
pump_run(void *arg)
{
    struct pump *p = arg;
    sigset_t pipe_sig;

    /* a reader that stopped early makes write() fail with EPIPE: no signal */
    sigemptyset(&pipe_sig);
    sigaddset(&pipe_sig, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_sig, NULL);
    p->rc = xlsx_write_csv(p->book, p->fd, &p->dl);
    close(p->fd);
    return NULL;
}

/*
 * The whole workbook: a regular file is read in place (hashed first); any
 * other input (a pipe, standard input) is read into memory, up to
 * INPUT_WORKBOOK_MAX.  0 or -1 with the problem in dl.
 */
static int
workbook_bytes(int fd, const char *name, struct sbuf *buf, bool *in_place,
               char sha[SHA256_HEX_LEN + 1], size_t *bytes,
               struct diag_list *dl)
{
    struct stat st;

    *in_place = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    if (!*in_place) {
        bool over;
        if (read_rest(fd, buf, INPUT_WORKBOOK_MAX, false, &over) < 0)
            return diag_list_addf(dl, DIAG_ERROR, DIAG_NOINPUT, name, 0, 0,
                                  _("cannot read: %s"), strerror(errno));
        if (over)
            return diag_list_addf(
                dl, DIAG_ERROR, DIAG_FORMAT, name, 0, 0,
                _("a workbook of more than %zu MiB on a pipe: "
                  "give it as a file"),
                INPUT_WORKBOOK_MAX >> 20);
        sha256_hex(buf->buf, buf->len, sha);
        *bytes = buf->len;
        return 0;
    }
    struct sha256_stream *h = sha256_stream_new();
    char piece[65536];
    off_t off = 0;
    for (;;) {
        ssize_t n = pread(fd, piece, sizeof(piece), off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            sha256_stream_free(h);
            return diag_list_addf(dl, DIAG_ERROR, DIAG_NOINPUT, name, 0, 0,
                                  _("cannot read: %s"), strerror(errno));
        }
        if (n == 0)
            break;
        sha256_stream_add(h, piece, (size_t)n);
        off += n;
    }
    sha256_stream_hex(h, sha);
    sha256_stream_free(h);
    *bytes = (size_t)off;
    return 0;
}

static int
read_workbook(struct submission *sf, int fd, const char *name,
              struct sbuf *prefix, const struct input_opts *o,
              const struct refdata *rd, struct diag_list *dl)
{
    char sha[SHA256_HEX_LEN + 1];
    size_t bytes = 0;
    bool in_place;
    int pfd[2], rc;

    if (workbook_bytes(fd, name, prefix, &in_place, sha, &bytes, dl) < 0)
        return -1;
    struct xlsx *book = xlsx_open(name, in_place ? fd : -1, prefix->buf,
                                  prefix->len, o->ingest.sheet, dl);
    if (book == NULL)
        return -1;
    if (pipe(pfd) < 0) {
        xlsx_close(book);
        return diag_list_addf(dl, DIAG_ERROR, DIAG_IO, name, 0, 0,
                              _("cannot make a pipe: %s"), strerror(errno));
    }
    struct pump p = {book, pfd[1], DIAG_LIST_INIT, 0};
    pthread_t th;
    if (pthread_create(&th, NULL, pump_run, &p) != 0) {
        close(pfd[0]);
        close(pfd[1]);
        xlsx_close(book);
        return diag_list_addf(dl, DIAG_ERROR, DIAG_IO, name, 0, 0,
                              _("cannot start a thread"));
    }

    /* the sheet's CSV text, read as any text input is */
    struct input_opts text_o = *o;
    struct sbuf text = SBUF_INIT;
    text_o.ingest.encoding = ENC_UTF8;
    text_o.detail_sha256 = false;
    text_o.concatenated = false;
    sbuf_grow(&text, INPUT_PREFIX);
    ssize_t n = fdio_read_full(pfd[0], text.buf, INPUT_PREFIX);
    bool joined = false;
    if (n == 0) {
        /* the thread is done: a sheet it could not read is not "the file
         * is empty", its own message says what is wrong */
        pthread_join(th, NULL);
        joined = true;
    }
    if (n < 0) {
        rc = diag_list_addf(dl, DIAG_ERROR, DIAG_IO, name, 0, 0,
                            _("cannot read the sheet: %s"), strerror(errno));
    } else if (joined && (p.rc < 0 || p.dl.errors > 0)) {
        rc = -1;
    } else {
        sbuf_setlen(&text, (size_t)n);
        rc = read_text(sf, pfd[0], name, &text, &text_o, rd, dl);
    }
    close(pfd[0]); /* a thread still writing gets EPIPE and stops */
    if (!joined)
        pthread_join(th, NULL);
    for (size_t i = 0; i < p.dl.nr; i++)
        diag_list_add(dl, &p.dl.items[i]);
    if (p.rc < 0 || p.dl.errors > 0) {
        rc = -1;
        submission_drop_rows(sf);
    }
    diag_list_release(&p.dl);
    sbuf_release(&text);
    memcpy(sf->sha256, sha, sizeof(sha));
    sf->bytes = bytes;
    sf->sheet = xstrdup(xlsx_sheet_name(book));
    xlsx_close(book);
    return rc;
}

/*
 * A spreadsheet saved in its own format rather than as CSV: recognised by
 * its magic bytes, so that the message says what the file is and how to
 * re-save it instead of "NUL byte ... UTF-16?".  -1 with the problem added
 * when buf starts a workbook or zip archive, else 0.
 */
static int
refuse_workbook(const char *name, const char *buf, size_t len,
                struct diag_list *dl)
{
    static const char ole2[8] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

    if (len >= 8 && memcmp(buf, ole2, 8) == 0)
        return diag_list_addf(
            dl, DIAG_ERROR, DIAG_FORMAT, name, 0, 0,
            _("this is an Excel 97-2003 workbook (.xls), which gongji does not "
              "read: open it in Excel or WPS and save it as 'Excel 工作簿 "
              "(*.xlsx)' or as 'CSV UTF-8 (逗号分隔)'"));
    if (len >= 4 && memcmp(buf, "PK\x03\x04", 4) == 0)
        return diag_list_addf(
            dl, DIAG_ERROR, DIAG_FORMAT, name, 0, 0,
            _("this is a zip archive, neither CSV nor an "
              "Excel workbook (.xlsx): unzip it, or if it is "
              "a spreadsheet, save it as .xlsx or 'CSV UTF-8'"));
    return 0;
}

int
input_read(struct submission *sf, const char *path, const struct input_opts *o,
           const struct refdata *rd, struct diag_list *dl)
{
    bool is_stdin = strcmp(path, "-") == 0;
    const char *name = is_stdin ? "<stdin>" : path;
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    struct sbuf buf = SBUF_INIT;
    int rc;

    sf->path = name;
    sf->codes = rd != NULL ? refdata_codes(rd) : NULL;
    if (fd < 0)
        return diag_list_addf(dl, DIAG_ERROR, DIAG_NOINPUT, path, 0, 0,
                              _("cannot open: %s"), strerror(errno));
    sbuf_grow(&buf, INPUT_PREFIX);
    ssize_t n = fdio_read_full(fd, buf.buf, INPUT_PREFIX);
    if (n < 0) {
        rc = diag_list_addf(dl, DIAG_ERROR, DIAG_NOINPUT, name, 0, 0,
                            _("cannot read: %s"), strerror(errno));
        goto out;
    }
    sbuf_setlen(&buf, (size_t)n);
    if (xlsx_sniff(buf.buf, buf.len)) {
        rc = read_workbook(sf, fd, name, &buf, o, rd, dl);
        goto out;
    }
    rc = refuse_workbook(name, buf.buf, buf.len, dl);
    if (rc < 0)
        goto out;
    rc = read_text(sf, fd, name, &buf, o, rd, dl);
out:
    sbuf_release(&buf);
    if (!is_stdin)
        close(fd);
    return rc;
}
