/* SPDX-License-Identifier: MIT */
/*
 * cli/cmd_review.c - gongji review: the findings a statistician checks
 * before signing off a release (aggregate/review.h), with the exit status
 * by their severity.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <getopt.h>

#include "aggregate/review.h"
#include "aggregate/store.h"
#include "cli/cli.h"
#include "cli/options.h"
#include "cli/release.h"
#include "common/i18n.h"
#include "common/period.h"
#include "ingest/refdata.h"
#include "report/reviewout.h"

static const char *const review_usage =
    N_("usage: gongji review [--db FILE] --period P [--province P]\n"
       "                     [--format table|csv|json] [--vintage V]\n"
       "                     [--threads N] [--quiet]\n"
       "\n"
       "Review the stored data of a period before its release: completeness\n"
       "(every province x month, and when each arrived), the store's\n"
       "arithmetic (recorded totals, channels and scopes, months and the\n"
       "cumulative), and plausibility against each region's own history\n"
       "(month-over-month and year-over-year jumps judged by median and MAD,\n"
       "aware of the premium season; amount per person-time; cross-area\n"
       "share).  Each finding has a severity, a check code, the place, the\n"
       "numbers and the source files.\n"
       "\n"
       "  --period P        YYYY-MM (January..that month, as bulletin takes\n"
       "                    it) or a range YYYY-MM..YYYY-MM\n"
       "  --province P      one province only (浙江, 330000)\n"
       "  --format FMT      table (default: the matrix and the findings with\n"
       "                    Chinese labels), csv or json (codes, exact yuan)\n"
       "  --vintage V       review the store as it stood then (YYYY-MM-DD,\n"
       "                    北京时间; ...Z: UTC; release:N; as for query)\n"
       "  -j, --threads N   connections reading the store at once (default:\n"
       "                    one per CPU, up to 4; the findings are the same)\n"
       "  --db FILE         the store (default $GONGJI_DB, else ./gongji.db)\n"
       "  -q, --quiet       leave out information findings and the matrix\n"
       "  -h, --help        this text\n"
       "\n"
       "Exit status: 0 nothing above information; 1 at least one error;\n"
       "4 warnings but no error; 2 usage; 3 store missing or unreadable.\n");

/* Warnings but no error: a script can stop a release on either. */
#define EXIT_REVIEW_WARNINGS 4

struct review_args {
    struct options common; /* --db, --format, --period, --quiet */
    const char *province_arg;
    struct review_opts ro;
};

static int
on_option(int c, const char *arg, void *ctx)
{
    struct review_args *a = ctx;
    if (c != 'p')
        return OPTIONS_SHARED;
    a->province_arg = arg;
    return OPTIONS_CONTINUE;
}

static int
parse_args(struct review_args *a, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, OPTIONS_DB},
        {"format", required_argument, NULL, OPTIONS_FORMAT},
        {"help", no_argument, NULL, OPTIONS_HELP},
        {"period", required_argument, NULL, OPTIONS_PERIOD},
        {"province", required_argument, NULL, 'p'},
        {"quiet", no_argument, NULL, OPTIONS_QUIET},
        {"threads", required_argument, NULL, OPTIONS_THREADS},
        {"vintage", required_argument, NULL, OPTIONS_VINTAGE},
        {NULL, 0, NULL, 0},
    };
    struct options *o = &a->common;
    int rc = options_parse(o, argc, argv, "+hj:q", longopts, on_option, a);
    if (rc == OPTIONS_CONTINUE)
        rc = options_no_operands(o);
    if (rc == OPTIONS_CONTINUE)
        rc = options_require(o, o->period != NULL, "--period");
    if (rc == OPTIONS_CONTINUE)
        rc = options_period_range(o, &a->ro.range);
    if (rc != OPTIONS_CONTINUE)
        return rc;
    a->ro.threads = o->threads;
    /* one month is the year to date, as bulletin --period takes it */
    if (strstr(o->period, "..") == NULL)
        a->ro.range = period_year_to_date(a->ro.range.last);
    return OPTIONS_CONTINUE;
}

static int
run(struct review_args *a)
{
    const char *cmd = a->common.cmd;
    struct review_result res;
    struct refdata *rd = NULL;
    struct store *st = NULL;
    struct diag err;
    int ret;

    memset(&res, 0, sizeof(res));
    diag_clear(&err);
    rd = refdata_load(options_data_dir(), &err);
    if (rd == NULL) {
        ret = cli_fail(cmd, &err);
        goto out;
    }
    if ((ret = options_province(cmd, a->province_arg, rd, &a->ro.province)) !=
        OPTIONS_CONTINUE)
        goto out;
    ret = EXIT_OK;
    st = store_open(options_db_path(&a->common), STORE_READ, &err);
    if (st == NULL || options_apply_vintage(&a->common, st, &err) < 0 ||
        review_run(st, rd, &a->ro, &res, &err) < 0 ||
        release_review(st, rd, a->ro.range, a->ro.province, &res, &err) < 0) {
        ret = cli_fail(cmd, &err);
        goto out;
    }
    /* a failed write is reported at exit (cli/main.c): status 3 */
    reviewout_write(stdout, a->common.format, &res, rd, a->common.quiet);
    ret = res.count[REVIEW_ERROR]     ? EXIT_DATA
          : res.count[REVIEW_WARNING] ? EXIT_REVIEW_WARNINGS
                                      : EXIT_OK;
out:
    review_result_release(&res);
    store_close(st);
    refdata_free(rd);
    return ret;
}

int
cmd_review(int argc, char **argv)
{
    struct review_args a;

    memset(&a, 0, sizeof(a));
    options_init(&a.common, "review", review_usage);
    int ret = parse_args(&a, argc, argv);
    if (ret == OPTIONS_CONTINUE)
        ret = run(&a);
    options_release(&a.common);
    return ret;
}
