/* SPDX-License-Identifier: MIT */
/*
 * cli/cmd_query.c - gongji query (DESIGN §5).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <getopt.h>

#include "aggregate/query.h"
#include "aggregate/store.h"
#include "cli/cli.h"
#include "cli/options.h"
#include "cli/sigclean.h"
#include "common/atomicfile.h"
#include "common/i18n.h"
#include "common/period.h"
#include "common/sbuf.h"
#include "common/xalloc.h"
#include "ingest/refdata.h"
#include "report/queryout.h"
#include "report/queryxlsx.h"

static const char *const query_usage = N_(
    "usage: gongji query [--db FILE] --period A[..B] [--by DIM[,DIM...]]\n"
    "                    [--where DIM=V[,V...]]... [--sort MEASURE]\n"
    "                    [--top N] [--measures M[,M...]]\n"
    "                    [--format table|csv|json|xlsx] [--out FILE]\n"
    "                    [--excel] [--vintage TIME|release:N]\n"
    "                    [--threads N]\n"
    "\n"
    "Sum person-times (人次) and amounts (共济金额) of the monthly flows\n"
    "stored for the months A..B, grouped by the chosen dimensions.\n"
    "\n"
    "  --period A[..B]   months, as 2024-09, 202409 or 2024年9月; A..B is a\n"
    "                    range (2024-01..2024-09 = 1-9月 cumulative)\n"
    "  --by DIMS         any of period, province, area, channel, scope,\n"
    "                    use, relation, comma-separated, in output order;\n"
    "                    scope:top (use:top) groups by top-level values:\n"
    "                    省内 with its parts, 跨省\n"
    "  --where DIM=V,..  keep only these values (repeatable); codes or\n"
    "                    Chinese names: province=浙江, scope=省内跨统筹区,\n"
    "                    channel=wallet; scope=省内 takes its parts too\n"
    "  --sort MEASURE    person_times or amount, largest first (default:\n"
    "                    by the dimensions, in table order)\n"
    "  --top N           the first N rows (ranked by person_times unless\n"
    "                    --sort says otherwise)\n"
    "  --measures M,..   the columns after the dimensions (default\n"
    "                    person_times,amount): also avg_amount (次均金额),\n"
    "                    share_person_times, share_amount (占比 of the\n"
    "                    total), yoy_person_times, yoy_amount (同比: a\n"
    "                    year earlier), mom_person_times, mom_amount (环比:\n"
    "                    the month before, or the range of the same length\n"
    "                    before); groups share, yoy, mom, all; Chinese\n"
    "                    names too (次均金额, 人次同比, 金额环比, 同比 ...)\n"
    "  --format FMT      table (default; Chinese names, display units),\n"
    "                    csv or json (codes and exact yuan amounts), or\n"
    "                    xlsx (an Excel workbook: codes and Chinese names,\n"
    "                    numbers as numbers, a 合计 row; needs --out)\n"
    "  --out FILE        the workbook of --format xlsx (replaced whole)\n"
    "  --excel           with --format csv: a UTF-8 BOM and a column of\n"
    "                    Chinese names after each code (DIM_name), so\n"
    "                    that Excel opens it in Chinese\n"
    "  --vintage V       the store as it stood then: YYYY-MM-DD (the end\n"
    "                    of that day, 北京时间), YYYY-MM-DDTHH:MM[:SS]\n"
    "                    (北京时间; a final Z: UTC), release:N or\n"
    "                    release:YYYY-MM (what that release used)\n"
    "  -j, --threads N   connections reading a long query's months at once\n"
    "                    (default: one per CPU, up to 4; the result is\n"
    "                    the same)\n"
    "  --db FILE         the store (default $GONGJI_DB, else ./gongji.db)\n"
    "  -h, --help        this text\n"
    "\n"
    "Exit status: 0 success; 1 a --vintage time the store cannot place\n"
    "(submissions stored out of time order); 2 usage; 3 store missing or\n"
    "unreadable, or nothing stored by the --vintage.\n");

struct query_args {
    struct options common; /* --db, --format, --period, --where */
    const char *by;        /* --by as given, or NULL */
    const char *measures;  /* --measures as given, or NULL */
    const char *out;       /* --out FILE, or NULL */
    bool excel;            /* --excel */
    struct queryout_measures ms;
    struct query q; /* range, by, sort and top from the options */
};

/* --by, --sort, --top; the rest are shared. */
static int
on_option(int c, const char *arg, void *ctx)
{
    struct query_args *a = ctx;
    const char *cmd = a->common.cmd;

    switch (c) {
    case 'b':
        a->by = arg;
        break;
    case 'm':
        a->measures = arg;
        break;
    case 'o':
        a->out = arg;
        break;
    case 'x':
        a->excel = true;
        break;
    case 's':
        if (strcmp(arg, "person_times") == 0)
            a->q.sort = QSORT_PERSON_TIMES;
        else if (strcmp(arg, "amount") == 0)
            a->q.sort = QSORT_AMOUNT;
        else
            return cli_usage_error(cmd,
                                   _("--sort '%s': use person_times "
                                     "or amount"),
                                   arg);
        break;
    case 't': {
        char *end;
        long v = strtol(arg, &end, 10);
        if (*arg == '\0' || *end != '\0' || v <= 0 || v > 1000000)
            return cli_usage_error(cmd, _("--top '%s': a positive number"),
                                   arg);
        a->q.top = (size_t)v;
        break;
    }
    default:
        return OPTIONS_SHARED;
    }
    return OPTIONS_CONTINUE;
}

static int
parse_args(struct query_args *a, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"by", required_argument, NULL, 'b'},
        {"db", required_argument, NULL, OPTIONS_DB},
        {"excel", no_argument, NULL, 'x'},
        {"format", required_argument, NULL, OPTIONS_FORMAT},
        {"help", no_argument, NULL, OPTIONS_HELP},
        {"measures", required_argument, NULL, 'm'},
        {"out", required_argument, NULL, 'o'},
        {"period", required_argument, NULL, OPTIONS_PERIOD},
        {"sort", required_argument, NULL, 's'},
        {"threads", required_argument, NULL, OPTIONS_THREADS},
        {"top", required_argument, NULL, 't'},
        {"vintage", required_argument, NULL, OPTIONS_VINTAGE},
        {"where", required_argument, NULL, OPTIONS_WHERE},
        {NULL, 0, NULL, 0},
    };
    struct options *o = &a->common;
    struct diag err;
    int rc;

    rc = options_parse(o, argc, argv, "+hj:", longopts, on_option, a);
    if (rc == OPTIONS_CONTINUE)
        rc = options_no_operands(o);
    if (rc == OPTIONS_CONTINUE)
        rc = options_require(o, o->period != NULL, "--period");
    if (rc == OPTIONS_CONTINUE)
        rc = options_period_range(o, &a->q.range);
    if (rc != OPTIONS_CONTINUE)
        return rc;
    /* a workbook is binary: never to stdout, a terminal or not */
    if (o->format == OUT_XLSX && (a->out == NULL || *a->out == '\0'))
        return cli_usage_error(o->cmd, _("--format xlsx needs --out FILE (a "
                                         "workbook is not written to standard "
                                         "output)"));
    if (o->format != OUT_XLSX && a->out != NULL)
        return cli_usage_error(o->cmd, _("--out is for --format xlsx"));
    if (a->excel && o->format != OUT_CSV)
        return cli_usage_error(o->cmd, _("--excel is for --format csv"));
    diag_clear(&err);
    if (a->by != NULL && query_set_by(&a->q, a->by, &err) < 0)
        return cli_fail(o->cmd, &err);
    queryout_measures_default(&a->ms);
    if (a->measures != NULL &&
        queryout_measures_parse(a->measures, &a->ms, &err) < 0)
        return cli_fail(o->cmd, &err);
    return OPTIONS_CONTINUE;
}

/*
 * Months of the range with nothing stored at all, on stderr: a sum over
 * them is not a zero that was reported.  The first ten are named, as
 * ranges ("2023-12, 2024-02..2024-03").
 */
static int
warn_empty_months(const char *cmd, struct store *st, struct period_range r,
                  struct diag *err)
{
    int n = period_index(r.last) - period_index(r.first) + 1, missing = 0;
    bool *has = xcalloc((size_t)n, sizeof(*has));
    struct sbuf list = SBUF_INIT;
    char a[PERIOD_LABEL_MAX], b[PERIOD_LABEL_MAX];
    int named = 0;

    if (store_months_stored(st, r, has, err) < 0) {
        free(has);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        if (has[i])
            continue;
        int j = i;
        while (j + 1 < n && !has[j + 1])
            j++;
        missing += j - i + 1;
        if (named++ < 10) {
            period_format(a, sizeof(a), period_add(r.first, i));
            period_format(b, sizeof(b), period_add(r.first, j));
            sbuf_addf(&list, "%s%s%s%s", list.len ? ", " : "", a,
                      i < j ? ".." : "", i < j ? b : "");
        }
        i = j;
    }
    if (missing > 0)
        fprintf(stderr,
                _("gongji %s: warning: nothing is stored for %d of the %d "
                  "month(s) of --period: %s%s\n"),
                cmd, missing, n, list.buf, named > 10 ? ", ..." : "");
    sbuf_release(&list);
    free(has);
    return 0;
}

static int
run(struct query_args *a)
{
    const char *cmd = a->common.cmd;
    struct query_result res;
    struct refdata *rd = NULL;
    struct store *st = NULL;
    struct diag err;
    int ret = EXIT_OK;

    memset(&res, 0, sizeof(res));
    diag_clear(&err);
    /* before any thread (SQLite's): they inherit the blocked signals */
    if (a->common.format == OUT_XLSX)
        sigclean_start();
    rd = refdata_load(options_data_dir(), &err);
    if (rd == NULL || options_add_wheres(&a->common, &a->q, rd, &err) < 0) {
        ret = cli_fail(cmd, &err);
        goto out;
    }
    a->q.codes = refdata_codes(rd);
    a->q.threads = a->common.threads;
    /* a table says which count words its sums hold */
    a->q.channels =
        a->common.format == OUT_TABLE || a->common.format == OUT_XLSX;
    st = store_open(options_db_path(&a->common), STORE_READ, &err);
    if (st == NULL || options_apply_vintage(&a->common, st, &err) < 0 ||
        query_run(st, &a->q, &res, &err) < 0) {
        ret = cli_fail(cmd, &err);
        goto out;
    }
    /* 同比 / 环比: one more query over the shifted months each */
    for (int c = 0; c < QCMP_N; c++)
        if (queryout_measures_need(&a->ms, (enum query_cmp)c) &&
            query_compare(st, &a->q, (enum query_cmp)c, &res, &err) < 0) {
            ret = cli_fail(cmd, &err);
            goto out;
        }
    if (warn_empty_months(cmd, st, a->q.range, &err) < 0) {
        ret = cli_fail(cmd, &err);
        goto out;
    }
    if (a->common.format == OUT_XLSX) {
        /* what a killed run left beside the workbook; a signal cleans up */
        struct sbuf dir = SBUF_INIT;
        const char *slash = strrchr(a->out, '/');
        if (slash == NULL)
            sbuf_addstr(&dir, ".");
        else
            sbuf_addf(&dir, "%.*s", slash == a->out ? 1 : (int)(slash - a->out),
                      a->out);
        atomicfile_sweep(dir.buf, ".", ATOMICFILE_MARK, ATOMICFILE_STALE_S, -1);
        sigclean_watch_dir(dir.buf, ".", ATOMICFILE_MARK);
        sbuf_release(&dir);
        struct queryxlsx_opts xo = {a->common.vintage, store_vintage(st),
                                    a->common.wheres, a->common.nwhere};
        if (queryxlsx_write(a->out, &a->q, &res, rd, &a->ms, &xo, &err) < 0)
            ret = cli_fail(cmd, &err);
        goto out;
    }
    /* a failed write is reported at exit (cli/main.c): status 3 */
    if (a->excel)
        queryout_write_csv_excel(stdout, &a->q, &res, rd, &a->ms);
    else
        queryout_write_measures(stdout, a->common.format, &a->q, &res, rd,
                                &a->ms);
out:
    query_result_release(&res);
    store_close(st);
    refdata_free(rd);
    return ret;
}

int
cmd_query(int argc, char **argv)
{
    struct query_args a;

    memset(&a, 0, sizeof(a));
    options_init(&a.common, "query", query_usage);
    a.common.formats |= 1u << OUT_XLSX;
    query_init(&a.q);
    int ret = parse_args(&a, argc, argv);
    if (ret == OPTIONS_CONTINUE)
        ret = run(&a);
    query_release(&a.q);
    options_release(&a.common);
    return ret;
}
