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
#include "ingest/refdata.h"
#include "report/queryout.h"

static const char query_usage[] =
    "usage: gongji query [--db FILE] --period A[..B] [--by DIM[,DIM...]]\n"
    "                    [--where DIM=V[,V...]]... [--sort MEASURE]\n"
    "                    [--top N] [--format table|csv|json]\n"
    "\n"
    "Sum person-times (人次) and amounts (共济金额) of the monthly flows\n"
    "stored for the months A..B, grouped by the chosen dimensions.\n"
    "\n"
    "  --period A[..B]   months, as 2024-09, 202409 or 2024年9月; A..B is a\n"
    "                    range (2024-01..2024-09 = 1-9月 cumulative)\n"
    "  --by DIMS         any of period, province, area, scope, use,\n"
    "                    relation, comma-separated, in output order\n"
    "  --where DIM=V,..  keep only these values (repeatable); codes or\n"
    "                    Chinese names: province=浙江, scope=省内跨统筹区\n"
    "  --sort MEASURE    person_times or amount, largest first (default:\n"
    "                    by the dimensions, in table order)\n"
    "  --top N           the first N rows (ranked by person_times unless\n"
    "                    --sort says otherwise)\n"
    "  --format FMT      table (default; Chinese names, display units),\n"
    "                    csv or json (codes and exact yuan amounts)\n"
    "  --db FILE         the store (default $GONGJI_DB, else ./gongji.db)\n"
    "  -h, --help        this text\n"
    "\n"
    "Exit status: 0 success; 2 usage; 3 store missing or unreadable.\n";

int
cmd_query(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"by", required_argument, NULL, 'b'},
        {"db", required_argument, NULL, 'd'},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {"period", required_argument, NULL, 'p'},
        {"sort", required_argument, NULL, 's'},
        {"top", required_argument, NULL, 't'},
        {"where", required_argument, NULL, 'w'},
        {NULL, 0, NULL, 0},
    };
    const char *cmd = "query", *db = store_default_path(), *by = NULL;
    const char *period = NULL;
    char **wheres = NULL;
    size_t nwhere = 0;
    enum outfmt fmt = OUT_TABLE;
    struct query q;
    struct query_result res;
    struct refdata *rd = NULL;
    struct store *st = NULL;
    struct diag err;
    int c, ret = EXIT_OK;

    query_init(&q);
    memset(&res, 0, sizeof(res));
    diag_clear(&err);
    wheres = calloc((size_t)argc, sizeof(*wheres));
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
        switch (c) {
        case 'b':
            by = optarg;
            break;
        case 'd':
            db = optarg;
            break;
        case 'f':
            if (outfmt_parse(optarg, &fmt) < 0) {
                ret = cli_usage_error(cmd,
                                      "--format '%s': use table, csv "
                                      "or json",
                                      optarg);
                goto out;
            }
            break;
        case 'h':
            fputs(query_usage, stdout);
            goto out;
        case 'p':
            period = optarg;
            break;
        case 's':
            if (strcmp(optarg, "person_times") == 0)
                q.sort = QSORT_PERSON_TIMES;
            else if (strcmp(optarg, "amount") == 0)
                q.sort = QSORT_AMOUNT;
            else {
                ret = cli_usage_error(cmd,
                                      "--sort '%s': use person_times "
                                      "or amount",
                                      optarg);
                goto out;
            }
            break;
        case 't': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || v <= 0 || v > 1000000) {
                ret = cli_usage_error(cmd, "--top '%s': a positive number",
                                      optarg);
                goto out;
            }
            q.top = (size_t)v;
            break;
        }
        case 'w':
            wheres[nwhere++] = optarg;
            break;
        default:
            ret = cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
            goto out;
        }
    }
    if (optind < argc) {
        ret = cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
        goto out;
    }
    if (period == NULL) {
        ret = cli_usage_error(cmd, "--period is required");
        goto out;
    }
    if (period_range_parse(&q.range, period, &err) < 0) {
        err.code = DIAG_USAGE;
        ret = cli_fail(cmd, &err);
        goto out;
    }
    if (by != NULL && query_set_by(&q, by, &err) < 0) {
        ret = cli_fail(cmd, &err);
        goto out;
    }
    rd = refdata_load(refdata_default_dir(), &err);
    if (rd == NULL) {
        ret = cli_fail(cmd, &err);
        goto out;
    }
    for (size_t i = 0; i < nwhere; i++)
        if (query_add_where(&q, wheres[i], rd, &err) < 0) {
            ret = cli_fail(cmd, &err);
            goto out;
        }
    st = store_open(db, STORE_READ, &err);
    if (st == NULL || query_run(st, &q, &res, &err) < 0) {
        ret = cli_fail(cmd, &err);
        goto out;
    }
    queryout_write(stdout, fmt, &q, &res, rd);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "gongji query: error: cannot write the output\n");
        ret = EXIT_ENV;
    }
out:
    query_result_release(&res);
    query_release(&q);
    store_close(st);
    refdata_free(rd);
    free(wheres);
    return ret;
}
