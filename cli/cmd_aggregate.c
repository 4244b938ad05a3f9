/*
 * cli/cmd_aggregate.c - gongji aggregate (DESIGN §5), and the reading of
 * one input file that ingest, check and aggregate share: a per-settlement
 * detail file (ingest/detail.h) or a monthly summary file
 * (ingest/summary.h), told apart by the header.
 *
 * aggregate sums any mix of detail and summary files into one summary file
 * in the DESIGN §3 format on stdout: English header, UTF-8, LF, rows sorted
 * by (period, area, scope, use, relation) in code-set order, amounts in
 * yuan with exactly two decimals.  That format is also the exchange format
 * of partial results: shards aggregated on many machines merge by
 * aggregating their outputs again (docs/scale.md).  Nothing is written
 * unless every input is valid.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <fcntl.h>
#include <getopt.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "common/money.h"
#include "common/sbuf.h"
#include "common/xalloc.h"
#include "ingest/codes.h"
#include "ingest/detail.h"
#include "ingest/refdata.h"
#include "ingest/summary.h"

static const char aggregate_usage[] =
    "usage: gongji aggregate [--encoding ENC] [--header LIST] [--strict]\n"
    "                        [--threads N] [--quiet] FILE... > summary.csv\n"
    "\n"
    "Sum per-settlement detail files (DESIGN §3b) and/or monthly summary\n"
    "files (§3) into one summary file on stdout: the header\n"
    "period,area,scope,use,relation,person_times,amount, UTF-8, rows sorted\n"
    "by key, amounts in yuan with two decimals.  Its output is valid input,\n"
    "so partial results from shards merge by aggregating them again.\n"
    "Every input is validated as 'gongji ingest' would; if any has an\n"
    "error, nothing is written.  FILE '-' is standard input: detail rows, or\n"
    "summary files concatenated (each repetition of the header starts one).\n"
    "\n"
    "  --encoding ENC  auto (default), utf-8 or gb18030 (also gbk)\n"
    "  --header LIST   the inputs are detail rows without a header row; LIST\n"
    "                  is that header, e.g. settlement_id,settle_time,...\n"
    "  --strict        pooling-area codes missing from data/areas.csv are\n"
    "                  errors, not warnings\n"
    "  -j, --threads N parsing threads per detail file (default: one per CPU)\n"
    "  -q, --quiet     no progress line on a terminal\n"
    "  -h, --help      this text\n"
    "\n"
    "Exit status: 0 written; 1 input rejected; 2 usage; 3 environment/I-O.\n";

/* ---------------------------------------------------------------------------
 * Progress line (stderr, terminals only)
 */

struct progress {
    const char *name;
    struct timespec t0;
    bool shown;
};

static void
show_progress(const struct detail_progress *p, void *ctx)
{
    struct progress *pr = ctx;
    struct timespec now;

    if (p->finished) {
        if (pr->shown)
            fputs("\r\033[K", stderr);
        pr->shown = false;
        return;
    }
    clock_gettime(CLOCK_MONOTONIC, &now);
    double secs = (double)(now.tv_sec - pr->t0.tv_sec) +
                  (double)(now.tv_nsec - pr->t0.tv_nsec) / 1e9;
    if (secs <= 0)
        return;
    double mb = (double)p->bytes_done / 1e6, rate = mb / secs;
    fprintf(stderr, "\r\033[K%s: %.1f M rows, %.0f MB, %.0f MB/s", pr->name,
            (double)p->rows_done / 1e6, mb, rate);
    if (p->bytes_total > 0 && rate > 0 && p->bytes_done <= p->bytes_total) {
        double left = (double)(p->bytes_total - p->bytes_done) / 1e6 / rate;
        fprintf(stderr, ", %d%%, ETA %d:%02d",
                (int)(100.0 * (double)p->bytes_done / (double)p->bytes_total),
                (int)left / 60, (int)left % 60);
    }
    fflush(stderr);
    pr->shown = true;
}

/* ---------------------------------------------------------------------------
 * Reading one input
 */

struct input_opts {
    bool quiet;
    bool for_aggregate; /* "-" is stdin; no SHA-256 needed */
    unsigned threads;
    const char *header;
};

static ssize_t
read_some(int fd, char *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = read(fd, buf + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}

/*
 * Summaries on stdin may be several files concatenated (partial results
 * collected from many machines): each repetition of the first line, the
 * header, starts another file.  Each is validated on its own (so that the
 * same key in two partials is summed, not a duplicate), with its lines
 * numbered as in the whole stream, and the rows of all go into sf.
 */
static int
parse_concatenated(struct summary_file *sf, const char *name,
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
            struct summary_file one;
            summary_init(&one);
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
            summary_release(&one);
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
    if (rc < 0) {
        free(sf->rows);
        sf->rows = NULL;
        sf->nrows = 0;
    }
    return rc;
}

static int
read_input(struct summary_file *sf, const char *path,
           const struct ingest_opts *opts, const struct refdata *rd,
           struct diag_list *dl, const struct input_opts *in)
{
    static char prefix[65536];
    bool is_stdin = in->for_aggregate && strcmp(path, "-") == 0;
    const char *name = is_stdin ? "<stdin>" : path;
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY);
    int rc;

    if (fd < 0)
        return diag_list_addf(dl, DIAG_ERROR, DIAG_NOINPUT, path, 0, 0,
                              "cannot open: %s", strerror(errno));
    ssize_t n = read_some(fd, prefix, sizeof(prefix));
    if (n < 0) {
        rc = diag_list_addf(dl, DIAG_ERROR, DIAG_NOINPUT, name, 0, 0,
                            "cannot read: %s", strerror(errno));
        goto out;
    }
    if (in->header != NULL || detail_sniff(prefix, (size_t)n)) {
        struct progress pr = {name, {0, 0}, false};
        struct detail_opts o;
        memset(&o, 0, sizeof(o));
        o.threads = in->threads;
        o.want_sha256 = !in->for_aggregate;
        o.header = in->header;
        if (cli_progress_wanted(in->quiet)) {
            clock_gettime(CLOCK_MONOTONIC, &pr.t0);
            o.progress = show_progress;
            o.progress_ctx = &pr;
        }
        rc = detail_read_fd(sf, fd, name, prefix, (size_t)n, opts, &o, rd, dl,
                            NULL);
    } else if (!is_stdin) {
        close(fd);
        fd = -1;
        rc = summary_read(sf, path, opts, rd, dl);
    } else {
        struct sbuf text = SBUF_INIT;
        sbuf_add(&text, prefix, (size_t)n);
        for (;;) {
            sbuf_grow(&text, 65536);
            ssize_t got = read_some(fd, text.buf + text.len, 65536);
            if (got < 0) {
                sbuf_release(&text);
                rc = diag_list_addf(dl, DIAG_ERROR, DIAG_NOINPUT, name, 0, 0,
                                    "cannot read: %s", strerror(errno));
                goto out;
            }
            if (got == 0)
                break;
            sbuf_setlen(&text, text.len + (size_t)got);
        }
        rc = parse_concatenated(sf, name, &text, opts, rd, dl);
        sbuf_release(&text);
    }
out:
    if (fd >= 0 && !is_stdin)
        close(fd);
    return rc;
}

int
cli_read_input(struct summary_file *sf, const char *path,
               const struct ingest_opts *opts, const struct refdata *rd,
               struct diag_list *dl, bool quiet)
{
    struct input_opts in = {quiet, false, 0, NULL};
    return read_input(sf, path, opts, rd, dl, &in);
}

/* ---------------------------------------------------------------------------
 * gongji aggregate
 */

static int
cmp_record(const void *pa, const void *pb)
{
    return record_key_cmp(pa, pb);
}

/* Sum all files' rows by key into *out (sorted).  0, or -1 on overflow. */
static int
merge_rows(struct summary_file *files, size_t nfiles, struct record **out,
           size_t *nout, struct diag_list *dl)
{
    size_t total = 0, n = 0;
    struct record *all;
    for (size_t i = 0; i < nfiles; i++)
        total += files[i].nrows;
    if (nfiles == 1) {
        /* take the rows over rather than copy them: memory stays flat */
        all = files[0].rows;
        n = files[0].nrows;
        files[0].rows = NULL;
        files[0].nrows = 0;
    } else {
        all = xreallocarray(NULL, total + 1, sizeof(*all));
        for (size_t i = 0; i < nfiles; i++) {
            if (files[i].nrows == 0)
                continue;
            memcpy(all + n, files[i].rows, files[i].nrows * sizeof(*all));
            n += files[i].nrows;
        }
    }
    qsort(all, n, sizeof(*all), cmp_record);
    size_t w = 0;
    for (size_t r = 0; r < n; r++) {
        if (w > 0 && record_key_cmp(&all[w - 1], &all[r]) == 0) {
            if (fx_add(all[w - 1].person_times, all[r].person_times,
                       &all[w - 1].person_times) < 0 ||
                fx_add(all[w - 1].amount_fen, all[r].amount_fen,
                       &all[w - 1].amount_fen) < 0) {
                diag_list_addf(dl, DIAG_ERROR, DIAG_DATA, NULL, 0, 0,
                               "the sums of (%d-%02d, %06d) over all inputs "
                               "overflow 64 bits",
                               all[r].period / 100, all[r].period % 100,
                               all[r].area);
                free(all);
                return -1;
            }
            continue;
        }
        all[w++] = all[r];
    }
    *out = all;
    *nout = w;
    return 0;
}

static int
write_summary(FILE *fp, const struct record *rows, size_t n)
{
    fputs("period,area,scope,use,relation,person_times,amount\n", fp);
    for (size_t i = 0; i < n; i++) {
        const struct record *r = &rows[i];
        char amt[32];
        money_format(amt, sizeof(amt), r->amount_fen);
        fprintf(fp, "%d-%02d,%06d,%s,%s,%s,%" PRId64 ",%s\n", r->period / 100,
                r->period % 100, r->area, codes_code(CODESET_SCOPE, r->scope),
                codes_code(CODESET_USE, r->use),
                codes_code(CODESET_RELATION, r->relation), r->person_times,
                amt);
    }
    return fflush(fp) == 0 && !ferror(fp) ? 0 : -1;
}

struct aggregate_args {
    struct options common; /* --encoding, --quiet, --strict, --threads */
    const char *header;    /* --header LIST, or NULL */
};

static int
on_option(int c, const char *arg, void *ctx)
{
    struct aggregate_args *a = ctx;

    if (c != 'H')
        return OPTIONS_SHARED;
    a->header = arg;
    return OPTIONS_CONTINUE;
}

static int
parse_args(struct aggregate_args *a, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"encoding", required_argument, NULL, OPTIONS_ENCODING},
        {"header", required_argument, NULL, 'H'},
        {"help", no_argument, NULL, OPTIONS_HELP},
        {"quiet", no_argument, NULL, OPTIONS_QUIET},
        {"strict", no_argument, NULL, OPTIONS_STRICT},
        {"threads", required_argument, NULL, OPTIONS_THREADS},
        {NULL, 0, NULL, 0},
    };
    struct options *o = &a->common;

    int rc = options_parse(o, argc, argv, "+hj:q", longopts, on_option, a);
    if (rc == OPTIONS_CONTINUE && o->noperands == 0)
        return cli_usage_error(o->cmd, "no input files (use '-' for stdin)");
    return rc;
}

/*
 * Read and validate every input into files[] (initialised), counting the
 * rejected ones in *nbad.  Returns OPTIONS_CONTINUE, or EXIT_USAGE (printed)
 * when '-' is given twice.
 */
static int
read_all(const struct aggregate_args *a, struct summary_file *files,
         const struct refdata *rd, struct diag_list *dl, size_t *nbad)
{
    const struct options *o = &a->common;
    struct input_opts in = {o->quiet, true, o->threads, a->header};
    size_t nstdin = 0;

    for (size_t i = 0; i < o->noperands; i++) {
        const char *path = o->operands[i];
        if (strcmp(path, "-") == 0 && nstdin++ > 0)
            return cli_usage_error(o->cmd, "'-' (stdin) given twice");
        if (read_input(&files[i], path, &o->ingest, rd, dl, &in) < 0)
            (*nbad)++;
    }
    return OPTIONS_CONTINUE;
}

static int
run(const struct aggregate_args *a)
{
    const char *cmd = a->common.cmd;
    struct diag_list dl = DIAG_LIST_INIT;
    struct diag err;
    int ret = EXIT_OK;

    diag_clear(&err);
    struct refdata *rd = refdata_load(options_data_dir(), &err);
    if (rd == NULL)
        return cli_fail(cmd, &err);

    size_t n = a->common.noperands, nbad = 0;
    struct summary_file *files = xcalloc(n, sizeof(*files));
    for (size_t i = 0; i < n; i++)
        summary_init(&files[i]);
    int rc = read_all(a, files, rd, &dl, &nbad);
    if (rc != OPTIONS_CONTINUE) {
        ret = rc;
        goto out;
    }
    struct record *rows = NULL;
    size_t nrows = 0;
    if (nbad == 0)
        merge_rows(files, n, &rows, &nrows, &dl);
    diag_list_print(stderr, &dl);
    if (nbad > 0 || dl.errors > 0) {
        fprintf(stderr,
                "gongji aggregate: %zu of %zu input(s) rejected; nothing "
                "written\n",
                nbad, n);
        ret = cli_exit_code(diag_list_first_code(&dl));
    } else if (write_summary(stdout, rows, nrows) < 0) {
        fprintf(stderr,
                "gongji aggregate: error: cannot write the output: %s\n",
                strerror(errno));
        ret = EXIT_ENV;
    }
    free(rows);
out:
    for (size_t i = 0; i < n; i++)
        summary_release(&files[i]);
    free(files);
    diag_list_release(&dl);
    refdata_free(rd);
    return ret;
}

int
cmd_aggregate(int argc, char **argv)
{
    struct aggregate_args a;

    memset(&a, 0, sizeof(a));
    options_init(&a.common, "aggregate", aggregate_usage);
    int ret = parse_args(&a, argc, argv);
    if (ret == OPTIONS_CONTINUE)
        ret = run(&a);
    options_release(&a.common);
    return ret;
}
