/* SPDX-License-Identifier: MIT */
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
#include "cli/options.h"
#include "cli/plotenv.h"
#include "cli/sigclean.h"
#include "common/atomicfile.h"
#include "common/diag.h"
#include "common/i18n.h"
#include "common/xalloc.h"
#include "ingest/house.h"
#include "ingest/refdata.h"
#include "report/chartdata.h"
#include "report/plot.h"

static const char *const chart_usage =
    N_("usage: gongji chart [--db FILE] --period A[..B] --kind KIND\n"
       "                    [--metric person_times|amount] [--where DIM=V]...\n"
       "                    [--title TEXT] --out FILE.png|FILE.svg|FILE.pdf\n"
       "\n"
       "Draw one chart for the press from the monthly flows stored for the\n"
       "months A..B: Chinese text (Noto Sans CJK SC), a title, the period,\n"
       "units and a source line.  The format follows the extension: PNG at\n"
       "300 dpi, PDF with embedded fonts, or SVG with text as outlines.\n"
       "Values equal 'gongji query' for the same period and filters.\n"
       "\n"
       "  --kind KIND       province_bars  the 32 provinces ranked (bars);\n"
       "                                   with --where province=P, that\n"
       "                                   province's pooling areas\n"
       "                    area_bars      the 20 largest pooling areas\n"
       "                    scope          provinces (or one province's\n"
       "                                   areas) stacked by 共济范围\n"
       "                    use            the total by 共济用途 (a donut)\n"
       "                    trend          monthly flows (bars) and the\n"
       "                                   cumulative series (line), person-\n"
       "                                   times and amount (--metric unused)\n"
       "                    map            a tile-grid map of China, shaded\n"
       "                    wallet         the 医保钱包 channel by month,\n"
       "                                   stacked 省内 / 跨省 (counts in 笔)\n"
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
       "failing, output not writable.\n");

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

struct chart_args {
    struct options common; /* --db, --period, --where */
    int kind;              /* --kind: enum chart_kind, -1 until given */
    int metric;            /* --metric: enum chart_metric, -1 for default */
    const char *title;     /* --title, or NULL for the default */
    const char *out;       /* --out FILE */
    struct query q;        /* the range from --period */
};

/* --kind, --metric, --out, --title; the rest are shared. */
static int
on_option(int c, const char *arg, void *ctx)
{
    struct chart_args *a = ctx;
    const char *cmd = a->common.cmd;

    switch (c) {
    case 'k':
        a->kind = chart_kind_parse(arg);
        if (a->kind < 0)
            return cli_usage_error(cmd,
                                   _("--kind '%s': use province_bars, "
                                     "area_bars, scope, use, trend, map or "
                                     "wallet"),
                                   arg);
        break;
    case 'm':
        a->metric = chart_metric_parse(arg);
        if (a->metric < 0)
            return cli_usage_error(cmd,
                                   _("--metric '%s': use person_times or "
                                     "amount"),
                                   arg);
        break;
    case 'o':
        a->out = arg;
        break;
    case 't':
        a->title = arg;
        break;
    default:
        return OPTIONS_SHARED;
    }
    return OPTIONS_CONTINUE;
}

/* What must be given, and a usable --out and --title. */
static int
check_args(struct chart_args *a)
{
    const struct options *o = &a->common;
    const char *cmd = o->cmd, *title = a->title;
    int rc = options_require(o, o->period != NULL, "--period");

    if (rc == OPTIONS_CONTINUE)
        rc = options_require(o, a->kind >= 0, "--kind");
    if (rc == OPTIONS_CONTINUE)
        rc = options_require(o, a->out != NULL, "--out");
    if (rc != OPTIONS_CONTINUE)
        return rc;
    if (plot_format_of(a->out) < 0)
        return cli_usage_error(cmd,
                               _("--out '%s': the name must end in .png, .svg "
                                 "or .pdf"),
                               a->out);
    if (title != NULL) {
        char why[128], q40[64];
        if (title[0] == '\0')
            return cli_usage_error(cmd, _("--title is empty"));
        if (!chartdata_title_ok(title, why, sizeof(why)))
            return cli_usage_error(
                cmd, _("--title %s %s"),
                diag_quote(q40, sizeof(q40), title, strlen(title)), why);
    }
    return OPTIONS_CONTINUE;
}

static int
parse_args(struct chart_args *a, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, OPTIONS_DB},
        {"help", no_argument, NULL, OPTIONS_HELP},
        {"kind", required_argument, NULL, 'k'},
        {"metric", required_argument, NULL, 'm'},
        {"out", required_argument, NULL, 'o'},
        {"period", required_argument, NULL, OPTIONS_PERIOD},
        {"title", required_argument, NULL, 't'},
        {"where", required_argument, NULL, OPTIONS_WHERE},
        {NULL, 0, NULL, 0},
    };

    int rc =
        options_parse(&a->common, argc, argv, "+h", longopts, on_option, a);
    if (rc == OPTIONS_CONTINUE)
        rc = options_no_operands(&a->common);
    if (rc == OPTIONS_CONTINUE)
        rc = check_args(a);
    if (rc != OPTIONS_CONTINUE)
        return rc;
    if (a->metric < 0)
        a->metric = a->kind == CHART_USE ? CHART_AMOUNT : CHART_PERSON_TIMES;
    return options_period_range(&a->common, &a->q.range);
}

/*
 * Sweep what killed runs left beside --out and in the temporary base, and
 * have a signal remove what this run leaves there.
 */
static void
watch_dirs(const struct plot_options *o, const char *out)
{
    const char *slash = strrchr(out, '/');
    char *dir = xstrdup(slash == NULL ? "." : out);
    if (slash == out)
        dir[1] = '\0';
    else if (slash != NULL)
        dir[slash - out] = '\0';

    atomicfile_sweep(dir, ".", ATOMICFILE_MARK, ATOMICFILE_STALE_S, -1);
    sigclean_watch_dir(dir, ".", ATOMICFILE_MARK);
    plot_sweep(o);
    sigclean_watch_dir(o->tmp_base != NULL ? o->tmp_base : "/tmp",
                       "gongji-plot", ".");
    if (o->keep_dir != NULL)
        sigclean_watch_dir(o->keep_dir, ".", ATOMICFILE_MARK);
    free(dir);
}

static int
run(struct chart_args *a)
{
    const char *cmd = a->common.cmd, *title = a->title, *out = a->out;
    char *stem = NULL;
    int ret = EXIT_OK;
    struct chartdata cd;
    struct refdata *rd = NULL;
    struct store *st = NULL;
    struct diag err;

    memset(&cd, 0, sizeof(cd));
    diag_clear(&err);
    /* before any thread: see cli/sigclean.h */
    sigclean_start();
    rd = refdata_load(options_data_dir(), &err);
    if (rd == NULL || options_add_wheres(&a->common, &a->q, rd, &err) < 0) {
        ret = cli_fail(cmd, &err);
        goto out;
    }
    st = store_open(options_db_path(&a->common), STORE_READ, &err);
    if (st == NULL || chartdata_from_query(&cd, (enum chart_kind)a->kind,
                                           (enum chart_metric)a->metric, st,
                                           &a->q, rd, &err) < 0) {
        ret = cli_fail(cmd, &err);
        goto out;
    }
    store_close(st);
    st = NULL;

    struct plotenv pe;
    struct plot_outputs po = {NULL, NULL, NULL};
    int fmt = plot_format_of(out);
    struct house house;
    plotenv_init(&pe);
    /* the source line comes from the templates' house.conf */
    if (house_load(&house,
                   pe.opts.template_dir != NULL ? pe.opts.template_dir
                                                : GONGJI_DATADIR "/templates",
                   &err) < 0) {
        ret = cli_fail(cmd, &err);
        goto out;
    }
    pe.opts.source_line = house.source_line;
    if (fmt == PLOT_PNG)
        po.png = out;
    else if (fmt == PLOT_SVG)
        po.svg = out;
    else
        po.pdf = out;
    stem = stem_of(out);
    watch_dirs(&pe.opts, out);
    if (plot_render(&pe.opts, &cd, title, stem, &po, &err) < 0) {
        ret = cli_fail(cmd, &err);
        goto out;
    }
    fputs(_("wrote "), stdout);
    diag_fput_printable(stdout, out, strlen(out));
    putchar('\n'); /* a failed write is reported at exit (cli/main.c) */
out:
    chartdata_release(&cd);
    store_close(st);
    refdata_free(rd);
    free(stem);
    return ret;
}

int
cmd_chart(int argc, char **argv)
{
    struct chart_args a;

    memset(&a, 0, sizeof(a));
    options_init(&a.common, "chart", chart_usage);
    a.kind = -1;
    a.metric = -1;
    query_init(&a.q);
    int ret = parse_args(&a, argc, argv);
    if (ret == OPTIONS_CONTINUE)
        ret = run(&a);
    query_release(&a.q);
    options_release(&a.common);
    return ret;
}
