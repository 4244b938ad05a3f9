/*
 * cli/cmd_chart.c - gongji chart: one press chart from the store.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <getopt.h>

#include "aggregate/query.h"
#include "aggregate/store.h"
#include "cli/cli.h"
#include "cli/plotenv.h"
#include "common/diag.h"
#include "common/xalloc.h"
#include "ingest/refdata.h"
#include "report/chartdata.h"
#include "report/plot.h"

static const char chart_usage[] =
    "usage: gongji chart [--db FILE] --period A[..B] --kind KIND\n"
    "                    [--metric person_times|amount] [--where DIM=V]...\n"
    "                    [--title TEXT] --out FILE.png|FILE.svg|FILE.pdf\n"
    "\n"
    "Draw one chart for the press from the monthly flows stored for the\n"
    "months A..B: Chinese text (Noto Sans CJK SC), a title, the period,\n"
    "units and a source line.  The format follows the extension: PNG at\n"
    "300 dpi, PDF with embedded fonts, or SVG with text as outlines.\n"
    "Values equal 'gongji query' for the same period and filters.\n"
    "\n"
    "  --kind KIND       province_bars  the 32 provinces ranked (bars)\n"
    "                    scope          provinces stacked by 共济范围\n"
    "                    use            the total by 共济用途 (a donut)\n"
    "                    trend          monthly flows (bars) and the\n"
    "                                   cumulative series (line), person-\n"
    "                                   times and amount (--metric unused)\n"
    "                    map            a tile-grid map of China, shaded\n"
    "  --metric M        person_times (default; amount for use) or amount\n"
    "  --period A[..B]   months, as 2024-09, 202409 or 2024年9月\n"
    "  --where DIM=V,..  keep only these values (repeatable), as in query\n"
    "  --title TEXT      replace the default title (one line, no control\n"
    "                    characters, at most 28 Chinese characters wide)\n"
    "  --out FILE        where to write; .png, .svg or .pdf\n"
    "  --db FILE         the store (default $GONGJI_DB, else ./gongji.db)\n"
    "  -h, --help        this text\n"
    "\n"
    "Needs gnuplot (gnuplot-nox), fonts-noto-cjk and poppler-utils.\n"
    "GONGJI_KEEP_PLOT_DATA=DIR keeps the chart's data file as DIR/NAME.tsv\n"
    "(NAME = the output file's name without its extension).\n"
    "\n"
    "Exit status: 0 success; 2 usage; 3 store missing, gnuplot missing or\n"
    "failing, output not writable.\n";

/* The data-file stem: the output's base name without extension, with
 * anything but [A-Za-z0-9_.-] replaced. */
static char *
stem_of(const char *out)
{
    const char *base = strrchr(out, '/');
    base = base != NULL ? base + 1 : out;
    const char *dot = strrchr(base, '.');
    size_t len =
        dot != NULL && dot > base ? (size_t)(dot - base) : strlen(base);
    char *s = xmalloc(len + 2);
    for (size_t i = 0; i < len; i++) {
        char c = base[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                 (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
        s[i] = ok ? c : '_';
    }
    if (len == 0)
        s[len++] = 'x';
    s[len] = '\0';
    if (s[0] == '.')
        s[0] = '_';
    return s;
}

int
cmd_chart(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {"kind", required_argument, NULL, 'k'},
        {"metric", required_argument, NULL, 'm'},
        {"out", required_argument, NULL, 'o'},
        {"period", required_argument, NULL, 'p'},
        {"title", required_argument, NULL, 't'},
        {"where", required_argument, NULL, 'w'},
        {NULL, 0, NULL, 0},
    };
    const char *cmd = "chart", *db = store_default_path();
    const char *period = NULL, *title = NULL, *out = NULL;
    char **wheres = NULL, *stem = NULL;
    size_t nwhere = 0;
    int kind = -1, metric = -1, c, ret = EXIT_OK;
    struct query q;
    struct chartdata cd;
    struct refdata *rd = NULL;
    struct store *st = NULL;
    struct diag err;

    query_init(&q);
    memset(&cd, 0, sizeof(cd));
    diag_clear(&err);
    wheres = xcalloc((size_t)argc + 1, sizeof(*wheres));
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'h':
            fputs(chart_usage, stdout);
            goto out;
        case 'k':
            kind = chart_kind_parse(optarg);
            if (kind < 0) {
                ret = cli_usage_error(cmd,
                                      "--kind '%s': use province_bars, "
                                      "scope, use, trend or map",
                                      optarg);
                goto out;
            }
            break;
        case 'm':
            metric = chart_metric_parse(optarg);
            if (metric < 0) {
                ret = cli_usage_error(cmd,
                                      "--metric '%s': use person_times or "
                                      "amount",
                                      optarg);
                goto out;
            }
            break;
        case 'o':
            out = optarg;
            break;
        case 'p':
            period = optarg;
            break;
        case 't':
            title = optarg;
            break;
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
    if (kind < 0) {
        ret = cli_usage_error(cmd, "--kind is required");
        goto out;
    }
    if (out == NULL) {
        ret = cli_usage_error(cmd, "--out is required");
        goto out;
    }
    if (plot_format_of(out) < 0) {
        ret = cli_usage_error(cmd,
                              "--out '%s': the name must end in .png, .svg "
                              "or .pdf",
                              out);
        goto out;
    }
    if (title != NULL) {
        char why[128], q40[64];
        if (title[0] == '\0') {
            ret = cli_usage_error(cmd, "--title is empty");
            goto out;
        }
        if (!chartdata_title_ok(title, why, sizeof(why))) {
            ret = cli_usage_error(
                cmd, "--title %s %s",
                diag_quote(q40, sizeof(q40), title, strlen(title)), why);
            goto out;
        }
    }
    if (metric < 0)
        metric = kind == CHART_USE ? CHART_AMOUNT : CHART_PERSON_TIMES;
    if (period_range_parse(&q.range, period, &err) < 0) {
        err.code = DIAG_USAGE;
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
    if (st == NULL ||
        chartdata_from_query(&cd, (enum chart_kind)kind,
                             (enum chart_metric)metric, st, &q, rd, &err) < 0) {
        ret = cli_fail(cmd, &err);
        goto out;
    }
    store_close(st);
    st = NULL;

    struct plotenv pe;
    struct plot_outputs po = {NULL, NULL, NULL};
    int fmt = plot_format_of(out);
    plotenv_init(&pe);
    if (fmt == PLOT_PNG)
        po.png = out;
    else if (fmt == PLOT_SVG)
        po.svg = out;
    else
        po.pdf = out;
    stem = stem_of(out);
    if (plot_render(&pe.opts, &cd, title, stem, &po, &err) < 0) {
        ret = cli_fail(cmd, &err);
        goto out;
    }
    printf("wrote %s\n", out);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "gongji chart: error: cannot write the output\n");
        ret = EXIT_ENV;
    }
out:
    chartdata_release(&cd);
    query_release(&q);
    store_close(st);
    refdata_free(rd);
    free(stem);
    free(wheres);
    return ret;
}
