/* SPDX-License-Identifier: MIT */
#include "ingest/detail.h"

#include <errno.h>
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
#include "common/sha256.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "ingest/csvread.h"
#include "ingest/detail_cells.h"
#include "ingest/detail_chunk.h"
#include "ingest/detail_cols.h"
#include "ingest/detail_int.h"
#include "ingest/detail_result.h"
#include "ingest/encoding.h"
#include "ingest/refdata.h"
#include "ingest/scan.h"
#include "ingest/schema.h"
#include "ingest/submission.h"

/*
 * The reader in parts: detail_cols.c maps the header onto the shared column
 * table (ingest/schema.h), detail_row.c parses rows (and defines the small
 * public parsers), detail_chunk.c runs the threads, detail_result.c puts their
 * work together.  This file starts the input and holds it all together.
 */

/* ---------------------------------------------------------------------------
 * The start of the input and its header
 */

/*
 * Read the start of the input into sh->carry, after the caller's prefix:
 * up to CSVREAD_MAX_RECORD bytes in all, *n of them.  0 or -1.
 */
static int
read_start(struct detail_shared *sh, const char *prefix, size_t prefix_len,
           size_t *n, struct diag_list *dl)
{
    size_t want = CSVREAD_MAX_RECORD;

    detail_chunk_reserve(&sh->carry, &sh->carry_alloc,
                         (prefix_len > want ? prefix_len : want) + 1);
    if (prefix_len > 0)
        memcpy(sh->carry, prefix, prefix_len);
    *n = prefix_len;
    if (*n < want) {
        ssize_t got = fdio_read_full(sh->fd, sh->carry + *n, want - *n);
        if (got < 0)
            return diag_list_addf(dl, DIAG_ERROR, DIAG_NOINPUT, sh->path, 0, 0,
                                  _("cannot read: %s"), strerror(errno));
        if ((size_t)got < want - *n)
            sh->eof = true;
        if (sh->inline_sha != NULL)
            sha256_stream_add(sh->inline_sha, sh->carry + *n, (size_t)got);
        *n += (size_t)got;
    }
    sh->bytes_read = *n;
    return 0;
}

/*
 * Detect the encoding of sh->carry[0..n) from the sample cut after its
 * last complete line, into sh->enc and sf.  Returns the length of the BOM
 * to skip, or -1.
 */
static long
detect_encoding(struct detail_shared *sh, size_t n, struct sbuf *text,
                struct submission *sf, struct diag_list *dl)
{
    struct diag err;
    int had_bom = 0;

    size_t sample = n;
    if (!sh->eof)
        while (sample > 0 && sh->carry[sample - 1] != '\n')
            sample--;
    if (sample == 0)
        sample = n;
    diag_clear(&err);
    if (encoding_to_utf8(sh->carry, sample, sh->io->encoding, sh->path, text,
                         &sh->enc, &had_bom, &err) < 0) {
        diag_list_add(dl, &err);
        return -1;
    }
    sf->encoding = sh->enc;
    sf->had_bom = had_bom;
    return had_bom ? (sh->enc == ENC_UTF8 ? 3 : 4) : 0;
}

/* Title rows allowed above a detail file's header. */
#define DETAIL_MAX_PREAMBLE 10

static int header_record(struct detail_shared *sh, size_t n, size_t *skip,
                         struct sbuf *text, struct diag_list *dl);

/*
 * Is the record in text a title row above the header ("2024年9月共济明细",
 * "填报单位：…", a blank line): at most two fields with text, none naming a
 * detail file's column?
 */
static bool
title_record(const struct detail_shared *sh, struct sbuf *text)
{
    struct sbuf copy = SBUF_INIT;
    struct scan hs;
    size_t filled = 0;
    bool title;

    sbuf_add(&copy, text->buf, text->len);
    if (!detail_cols_first_record(&copy, &hs)) {
        scan_release(&hs);
        sbuf_release(&copy);
        return text->len == 0 || strspn(text->buf, "\r\n") == text->len;
    }
    struct schema_cell *cells =
        xreallocarray(NULL, hs.nfields ? hs.nfields : 1, sizeof(*cells));
    for (size_t i = 0; i < hs.nfields; i++) {
        cells[i] = (struct schema_cell){hs.fields[i].s, hs.fields[i].len};
        const char *f = hs.fields[i].s;
        size_t len = hs.fields[i].len;
        utf8_trim_blanks(&f, &len);
        filled += len > 0;
    }
    title = filled <= 2 &&
            !schema_is_detail(refdata_vocab(sh->rd), cells, hs.nfields);
    free(cells);
    scan_release(&hs);
    sbuf_release(&copy);
    return title;
}

/*
 * The header row as UTF-8 into text: o->header (line 0), or the first
 * record of sh->carry[*skip..n) that is no title row (title_record(): up to
 * DETAIL_MAX_PREAMBLE of them, skipped with a warning), which *skip then
 * moves past.  Sets sh->first_line and *hline.  0 or -1.
 */
static int
header_text(struct detail_shared *sh, const struct detail_opts *o, size_t n,
            size_t *skip, struct sbuf *text, unsigned long *hline,
            struct diag_list *dl)
{
    unsigned long titles = 0;
    int rc;

    if (o->header != NULL) {
        sbuf_reset(text);
        sbuf_addstr(text, o->header);
        *hline = 0;
        sh->first_line = 1;
        return 0;
    }
    *hline = 1;
    for (;;) {
        rc = header_record(sh, n, skip, text, dl);
        if (rc < 0 || titles == DETAIL_MAX_PREAMBLE || *skip >= n ||
            !title_record(sh, text))
            break;
        titles++;
        *hline += sh->first_line - 1; /* the lines the title spanned */
    }
    if (rc == 0 && titles > 0)
        diag_list_addf(dl, DIAG_WARNING, DIAG_FORMAT, sh->path, *hline, 0,
                       _("the header is line %lu: the %lu row(s) above it are "
                         "read as title rows"),
                       *hline, titles);
    sh->first_line += *hline - 1;
    return rc;
}

/*
 * The record of sh->carry[*skip..n) as UTF-8 into text; *skip moves past it
 * and sh->first_line is the number of lines it spans plus one.  0 or -1.
 */
static int
header_record(struct detail_shared *sh, size_t n, size_t *skip,
              struct sbuf *text, struct diag_list *dl)
{
    struct diag err;
    int had_bom;

    sbuf_reset(text);
    size_t end = scan_first_boundary(sh->carry + *skip, n - *skip);
    if (end == 0 && !sh->eof)
        return diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, sh->path, 0, 0,
                              _("the header row does not end within %u bytes"),
                              CSVREAD_MAX_RECORD);
    if (end == 0)
        end = n - *skip;
    diag_clear(&err);
    if (encoding_to_utf8(sh->carry + *skip, end, sh->enc, sh->path, text,
                         &sh->enc, &had_bom, &err) < 0) {
        diag_list_add(dl, &err);
        return -1;
    }
    sh->first_line =
        1 + (unsigned long)scan_count_byte(sh->carry + *skip, end, '\n');
    *skip += end;
    return 0;
}

/*
 * Read the start of the input into sh->carry, detect its encoding and map
 * its header; leave the data after the header in the carry.  0 or -1.
 */
static int
start_input(struct detail_shared *sh, const char *prefix, size_t prefix_len,
            const struct detail_opts *o, struct submission *sf,
            struct diag_list *dl)
{
    struct sbuf text = SBUF_INIT;
    struct scan hs;
    unsigned long hline;
    size_t n;
    int rc = -1;

    if (read_start(sh, prefix, prefix_len, &n, dl) < 0)
        return -1;
    if (n == 0 && o->header == NULL)
        return diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, sh->path, 0, 0,
                              _("the file is empty"));
    long bom = detect_encoding(sh, n, &text, sf, dl);
    if (bom < 0)
        goto out;
    size_t skip = (size_t)bom;
    if (header_text(sh, o, n, &skip, &text, &hline, dl) < 0)
        goto out;
    if (!detail_cols_first_record(&text, &hs)) {
        scan_release(&hs);
        diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, sh->path, hline, 0,
                       _("the header row is empty or malformed"));
        goto out;
    }
    sh->nfields = hs.nfields;
    rc = detail_cols_map(refdata_vocab(sh->rd), sh->idx, &hs, sh->path, hline,
                         dl);
    scan_release(&hs);
    memmove(sh->carry, sh->carry + skip, n - skip);
    sh->carry_len = n - skip;
out:
    sbuf_release(&text);
    return rc;
}

/* ---------------------------------------------------------------------------
 * Reading a file
 */

/* The provinces and known areas of rd, for the row loop. */
static void
load_areas(struct detail_shared *sh, const struct refdata *rd)
{
    for (int c = 10; c < 100; c++)
        sh->prov_ok[c] = refdata_province(rd, c * 10000) != NULL;
    sh->area_known = xcalloc(1000000 / 8 + 1, 1);
    for (size_t i = 0; i < refdata_area_count(rd); i++) {
        int a = refdata_area_at(rd, i)->code;
        if (a >= 0 && a < 1000000)
            sh->area_known[a >> 3] |= (uint8_t)(1u << (a & 7));
    }
}

static struct detail_worker *
workers_new(struct detail_shared *sh, unsigned nw)
{
    struct detail_worker *ws = xcalloc(nw, sizeof(*ws));
    for (unsigned i = 0; i < nw; i++) {
        ws[i].sh = sh;
        scan_init(&ws[i].sc, NULL, 0);
        detail_cells_init(&ws[i].tab);
        sbuf_init(&ws[i].tmp);
    }
    return ws;
}

static void
workers_free(struct detail_worker *ws, unsigned nw)
{
    for (unsigned i = 0; i < nw; i++) {
        free(ws[i].buf);
        scan_release(&ws[i].sc);
        detail_cells_release(&ws[i].tab);
        free(ws[i].errs);
        free(ws[i].ua);
        sbuf_release(&ws[i].tmp);
    }
    free(ws);
}

/* ---------------------------------------------------------------------------
 * The key budget
 */

/* A (period, area) block key and the position of its first row. */
struct key_first {
    uint32_t key;
    uint64_t first; /* chunk << 32 | line */
};

static int
cmp_key_first(const void *pa, const void *pb)
{
    const struct key_first *a = pa, *b = pb;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return (a->first > b->first) - (a->first < b->first);
}

static int
cmp_first(const void *pa, const void *pb)
{
    const struct key_first *a = pa, *b = pb;
    return (a->first > b->first) - (a->first < b->first);
}

/* The earliest first row of the cells of m, UINT64_MAX when none. */
static uint64_t
block_first(const struct detail_block_meta *m)
{
    uint64_t f = UINT64_MAX;
    for (unsigned sub = 0; sub < DETAIL_NSUB; sub++)
        if (detail_cells_touched(m, sub) && m->first[sub] < f)
            f = m->first[sub];
    return f;
}

/*
 * More than DETAIL_KEYS_MAX distinct (period, area) keys in the whole file,
 * whether one thread's table went over or only their union.  The error is
 * at the row that brought the key one too many, found from the first rows
 * of all blocks: a thread over budget stopped the reading, but every row
 * before its own crossing, hence before the file's, was parsed.  Nothing
 * after that row's chunk is reported.  Rows after an error aggregate
 * nothing, so their keys have no first row: with errors, the crossing row
 * is unknown.  Returns 0 when the file is within budget, 1 when the error
 * went to ws[0]'s problems, -1 when its row is unknown (the caller reports
 * it without a line).
 */
static int
check_key_budget(struct detail_shared *sh, struct detail_worker *ws,
                 unsigned nw)
{
    size_t total = 0;
    bool over = false, errors = sh->have_syntax;
    for (unsigned k = 0; k < nw; k++) {
        total += ws[k].tab.n + ws[k].tab.over;
        over = over || ws[k].tab.over;
        errors = errors || ws[k].errors > 0;
    }
    if (!over && total <= DETAIL_KEYS_MAX)
        return 0;

    /* every key, once, at its earliest first row (UINT64_MAX: none) */
    struct key_first *kf = xreallocarray(NULL, total + 1, sizeof(*kf));
    size_t n = 0, distinct = 0;
    for (unsigned k = 0; k < nw; k++) {
        const struct detail_cells *t = &ws[k].tab;
        for (size_t b = 0; b < t->n + t->over; b++)
            kf[n++] = (struct key_first){t->m[b].key, block_first(&t->m[b])};
    }
    qsort(kf, n, sizeof(*kf), cmp_key_first);
    for (size_t i = 0; i < n; i++)
        if (i == 0 || kf[i].key != kf[i - 1].key)
            kf[distinct++] = kf[i];
    if (distinct <= DETAIL_KEYS_MAX) {
        free(kf);
        return 0;
    }

    int rc = -1;
    bool limit = sh->have_over;
    uint64_t chunk = sh->over_chunk;
    if (!errors) {
        qsort(kf, distinct, sizeof(*kf), cmp_first);
        const struct key_first *x = &kf[DETAIL_KEYS_MAX];
        struct record r;
        memset(&r, 0, sizeof(r));
        detail_cells_unpack(x->key, 0, &r);
        chunk = x->first >> 32;
        limit = true;

        struct detail_worker *w = &ws[0];
        w->errs = xreallocarray(w->errs, w->nerrs + 1, sizeof(*w->errs));
        struct detail_perr *e = &w->errs[w->nerrs++];
        char per[PERIOD_LABEL_MAX];
        e->chunk = chunk;
        e->line = (unsigned long)(x->first & 0xFFFFFFFFu);
        e->seq = w->seq++;
        diag_clear(&e->d);
        diag_set(&e->d, DIAG_DATA,
                 _("more than %u distinct (month, payer_area) pairs: (%s, "
                   "%06d) is one too many; is payer_area really a pooling-area "
                   "code? (ten years of every pooling area fit; split a longer "
                   "file by year)"),
                 (unsigned)DETAIL_KEYS_MAX,
                 period_format(per, sizeof(per), r.period), r.area);
        e->d.severity = DIAG_ERROR;
        e->d.file = sh->path;
        e->d.col = (unsigned long)sh->idx[DETAIL_COL_PAYER_AREA] + 1;
        sh->chunks[chunk].errors++;
        rc = 1;
    }
    if (limit && (!sh->have_syntax || chunk < sh->syntax_chunk)) {
        sh->syntax_chunk = chunk;
        sh->have_syntax = true;
    }
    free(kf);
    return rc;
}

/* ---------------------------------------------------------------------------
 * The rows
 */

/*
 * After the header: parse the rest with nw threads, report the problems,
 * fill sf.  0 or -1.
 */
static int
read_rows(struct detail_shared *sh, struct detail_worker *ws, unsigned nw,
          struct submission *sf, struct diag_list *dl,
          struct detail_stats *stats)
{
    size_t errors_before = dl->errors;
    unsigned started = detail_chunk_run(sh, ws, nw);
    if (stats != NULL) {
        stats->rows = sh->rows_done;
        stats->bytes = sh->bytes_read;
        stats->threads = started;
    }
    if (sh->read_errno != 0)
        return diag_list_addf(dl, DIAG_ERROR, DIAG_IO, sh->path, 0, 0,
                              _("cannot read: %s"), strerror(sh->read_errno));

    int budget = check_key_budget(sh, ws, nw);
    unsigned long *base = detail_result_lines(sh);
    int rc = -1;
    detail_result_problems(sh, ws, nw, base, dl);
    if (budget < 0)
        diag_list_addf(dl, DIAG_ERROR, DIAG_DATA, sh->path, 0, 0,
                       _("more than %u distinct (month, payer_area) pairs: is "
                         "payer_area really a pooling-area code?"),
                       (unsigned)DETAIL_KEYS_MAX);
    if (dl->errors > errors_before)
        goto out;
    if (sh->rows_done == 0) {
        diag_list_addf(dl, DIAG_ERROR, DIAG_DATA, sh->path, 1, 0,
                       _("the header is not followed by any data rows"));
        goto out;
    }
    rc = detail_result_build(sh, ws, nw, base, sf, dl);
out:
    free(base);
    return rc;
}

int
detail_read_fd(struct submission *sf, int fd, const char *path,
               const char *prefix, size_t prefix_len,
               const struct ingest_opts *io, const struct detail_opts *o,
               const struct refdata *rd, struct diag_list *dl,
               struct detail_stats *stats)
{
    struct detail_shared sh;
    struct detail_worker *ws = NULL;
    struct detail_hasher hs;
    unsigned nw = 0;
    size_t errors_before = dl->errors;
    struct stat st;

    memset(&sh, 0, sizeof(sh));
    memset(&hs, 0, sizeof(hs));
    sf->path = path;
    sf->codes = refdata_codes(rd);
    sh.path = path;
    sh.fd = fd;
    sh.io = io;
    sh.rd = rd;
    sh.chunk_bytes = o->chunk_bytes ? o->chunk_bytes : DETAIL_CHUNK;
    sh.progress = o->progress;
    sh.progress_ctx = o->progress_ctx;
    pthread_mutex_init(&sh.mu, NULL);

    bool regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    if (regular)
        sh.bytes_total = (uint64_t)st.st_size;
    /* a pipe, or no thread to spare: hash as the chunks are read */
    if (o->want_sha256 && !(regular && detail_chunk_hash_start(&hs, fd))) {
        sh.inline_sha = sha256_stream_new();
        if (prefix_len > 0)
            sha256_stream_add(sh.inline_sha, prefix, prefix_len);
    }

    if (start_input(&sh, prefix, prefix_len, o, sf, dl) == 0) {
        load_areas(&sh, rd);
        nw = detail_chunk_threads(o->threads);
        ws = workers_new(&sh, nw);
        read_rows(&sh, ws, nw, sf, dl, stats);
    }

    detail_chunk_hash_end(&hs, dl->errors == errors_before, sh.bytes_read,
                          sf->sha256, path, dl);
    if (sh.inline_sha != NULL)
        sha256_stream_hex(sh.inline_sha, sf->sha256);
    sha256_stream_free(sh.inline_sha);
    sf->bytes = (size_t)sh.bytes_read;
    workers_free(ws, nw);
    free(sh.area_known);
    free(sh.chunks);
    free(sh.carry);
    pthread_mutex_destroy(&sh.mu);
    if (dl->errors > errors_before) {
        submission_drop_rows(sf);
        return -1;
    }
    return 0;
}

int
detail_read(struct submission *sf, const char *path,
            const struct ingest_opts *io, const struct detail_opts *o,
            const struct refdata *rd, struct diag_list *dl,
            struct detail_stats *stats)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return diag_list_addf(dl, DIAG_ERROR, DIAG_NOINPUT, path, 0, 0,
                              _("cannot open: %s"), strerror(errno));
    int rc = detail_read_fd(sf, fd, path, NULL, 0, io, o, rd, dl, stats);
    close(fd);
    return rc;
}
