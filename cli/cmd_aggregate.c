/* SPDX-License-Identifier: MIT */
/*
 * cli/cmd_aggregate.c - gongji aggregate (DESIGN §5).
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
#include "common/i18n.h"
#include "common/money.h"
#include "common/sbuf.h"
#include "common/xalloc.h"
#include "ingest/codes.h"
#include "ingest/detail.h"
#include "ingest/input.h"
#include "ingest/refdata.h"
#include "ingest/submission.h"

static const char *const aggregate_usage = N_(
    "usage: gongji aggregate [--encoding ENC] [--sheet NAME] [--header LIST]\n"
    "                        [--strict] [--threads N] [--quiet] FILE...\n"
    "                        > summary.csv\n"
    "\n"
    "Sum per-settlement detail files (DESIGN §3b) and/or monthly summary\n"
    "files (§3), CSV or Excel workbooks (.xlsx), into one summary file on\n"
    "stdout: the header\n"
    "period,area,scope,use,relation,person_times,amount, UTF-8, rows sorted\n"
    "by key, amounts in yuan with two decimals.  Its output is valid input,\n"
    "so partial results from shards merge by aggregating them again.\n"
    "Every input is validated as 'gongji ingest' would; if any has an\n"
    "error, nothing is written.  FILE '-' is standard input: detail rows, or\n"
    "summary files concatenated (each repetition of the header starts one).\n"
    "\n"
    "  --encoding ENC  auto (default), utf-8 or gb18030 (also gbk)\n"
    "  --sheet NAME    in a workbook (.xlsx), read sheet NAME (default: the\n"
    "                  first worksheet)\n"
    "  --header LIST   the inputs are detail rows without a header row; LIST\n"
    "                  is that header, e.g. settlement_id,settle_time,...\n"
    "  --strict        pooling-area codes missing from data/areas.csv are\n"
    "                  errors, not warnings\n"
    "  -j, --threads N parsing threads per detail file (default: one per CPU)\n"
    "  -q, --quiet     no progress line on a terminal\n"
    "  -h, --help      this text\n"
    "\n"
    "Exit status: 0 written; 1 input rejected; 2 usage; 3 environment/I-O.\n");

/* ---------------------------------------------------------------------------
 * Reading one input
 */

struct aggregate_input {
    bool quiet;
    unsigned threads;
    const char *header;
};

/* "-" is stdin, which may hold summaries concatenated; no SHA-256 needed. */
static int
read_input(struct submission *sf, const char *path,
           const struct ingest_opts *opts, const struct refdata *rd,
           struct diag_list *dl, const struct aggregate_input *in)
{
    struct input_opts o;

    memset(&o, 0, sizeof(o));
    o.ingest = *opts;
    o.threads = in->threads;
    o.header = in->header;
    o.concatenated = true;
    return cli_read(sf, path, &o, in->quiet, rd, dl);
}

/* ---------------------------------------------------------------------------
 * gongji aggregate
 */

static int
cmp_record(const void *pa, const void *pb)
{
    return submission_key_cmp(pa, pb);
}

/* Sum all files' rows by key into *out (sorted).  0, or -1 on overflow. */
static int
merge_rows(struct submission *files, size_t nfiles, struct record **out,
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
        if (w > 0 && submission_key_cmp(&all[w - 1], &all[r]) == 0) {
            if (fx_add(all[w - 1].person_times, all[r].person_times,
                       &all[w - 1].person_times) < 0 ||
                fx_add(all[w - 1].amount_fen, all[r].amount_fen,
                       &all[w - 1].amount_fen) < 0) {
                char per[PERIOD_LABEL_MAX];
                diag_list_addf(dl, DIAG_ERROR, DIAG_DATA, NULL, 0, 0,
                               _("the sums of (%s, %06d) over all inputs "
                                 "overflow 64 bits"),
                               period_format(per, sizeof(per), all[r].period),
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

/*
 * The summary; a channel column after the area when some row is not the
 * account's (a file of account rows only gives the columns it always did).
 */
static void
write_summary(FILE *fp, const struct codes *cs, const struct record *rows,
              size_t n)
{
    bool chan = false;
    for (size_t i = 0; i < n && !chan; i++)
        chan = rows[i].channel != CHANNEL_ACCOUNT;
    fputs(chan ? "period,area,channel,scope,use,relation,person_times,amount\n"
               : "period,area,scope,use,relation,person_times,amount\n",
          fp);
    for (size_t i = 0; i < n; i++) {
        const struct record *r = &rows[i];
        char amt[32], per[PERIOD_LABEL_MAX];
        money_format(amt, sizeof(amt), r->amount_fen);
        fprintf(fp, "%s,%06d,%s%s%s,%s,%s,%" PRId64 ",%s\n",
                period_format(per, sizeof(per), r->period), r->area,
                chan ? codes_code(cs, CODESET_CHANNEL, r->channel) : "",
                chan ? "," : "", codes_code(cs, CODESET_SCOPE, r->scope),
                codes_code(cs, CODESET_USE, r->use),
                codes_code(cs, CODESET_RELATION, r->relation), r->person_times,
                amt);
    }
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
        {"sheet", required_argument, NULL, OPTIONS_SHEET},
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
        return cli_usage_error(o->cmd, _("no input files (use '-' for stdin)"));
    return rc;
}

/*
 * Read and validate every input into files[] (initialised), counting the
 * rejected ones in *nbad.  Returns OPTIONS_CONTINUE, or EXIT_USAGE (printed)
 * when '-' is given twice.
 */
static int
read_all(const struct aggregate_args *a, struct submission *files,
         const struct refdata *rd, struct diag_list *dl, bool *rejected,
         size_t *nbad)
{
    const struct options *o = &a->common;
    struct aggregate_input in = {o->quiet, o->threads, a->header};
    size_t nstdin = 0;

    for (size_t i = 0; i < o->noperands; i++) {
        const char *path = o->operands[i];
        if (strcmp(path, "-") == 0 && nstdin++ > 0)
            return cli_usage_error(o->cmd, _("'-' (stdin) given twice"));
        rejected[i] = read_input(&files[i], path, &o->ingest, rd, dl, &in) < 0;
        *nbad += rejected[i];
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
    struct submission *files = xcalloc(n, sizeof(*files));
    bool *rejected = xcalloc(n ? n : 1, sizeof(*rejected));
    for (size_t i = 0; i < n; i++)
        submission_init(&files[i]);
    int rc = read_all(a, files, rd, &dl, rejected, &nbad);
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
        cli_print_rejected(cmd, a->common.operands, rejected, n, _("input(s)"),
                           _("nothing written"));
        ret = cli_exit_code(diag_list_first_code(&dl));
    } else {
        /* a failed write is reported at exit (cli/main.c): status 3 */
        write_summary(stdout, refdata_codes(rd), rows, nrows);
    }
    free(rows);
out:
    for (size_t i = 0; i < n; i++)
        submission_release(&files[i]);
    free(files);
    free(rejected);
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
