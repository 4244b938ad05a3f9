/* SPDX-License-Identifier: MIT */
/* _XOPEN_SOURCE: realpath.  Everything else is POSIX. */
#define _XOPEN_SOURCE 700
#include "report/plot.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthread.h>
#include <unistd.h>

#include "aggregate/rollup.h"
#include "common/atomicfile.h"
#include "common/diag.h"
#include "common/i18n.h"
#include "common/sbuf.h"
#include "common/utf8.h"
#include "ingest/refdata.h"
#include "report/chartdata.h"
#include "report/chartfile.h"
#include "report/plotfile.h"
#include "report/plotrun.h"
#include "report/pngout.h"

/* the PNG's resolution, as pdftoppm renders it (-r) */
#define PLOT_DPI     300
#define PLOT_DPI_ARG "300"

#ifndef GONGJI_DATADIR
#define GONGJI_DATADIR "/usr/local/share/gongji"
#endif

/*** Small helpers ***/

int
plot_format_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    char ext[5];

    if (dot == NULL || (slash != NULL && dot < slash) || strlen(dot) != 4)
        return -1;
    for (size_t i = 0; i < 4; i++) {
        char c = dot[i];
        ext[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    ext[4] = '\0';
    if (strcmp(ext, ".png") == 0)
        return PLOT_PNG;
    if (strcmp(ext, ".svg") == 0)
        return PLOT_SVG;
    if (strcmp(ext, ".pdf") == 0)
        return PLOT_PDF;
    return -1;
}

void
plot_sweep(const struct plot_options *o)
{
    atomicfile_sweep(o->tmp_base != NULL ? o->tmp_base : "/tmp", "gongji-plot",
                     ".", ATOMICFILE_STALE_S, -1);
}

void
plot_options_init(struct plot_options *o)
{
    memset(o, 0, sizeof(*o));
    o->created = -1;
}

/* Text for an ARGn string: no control characters, valid UTF-8. */
static void
arg_clean(struct sbuf *out, const char *s)
{
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        unsigned cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (cp == 0xFFFD && n == 1 && (unsigned char)s[i] >= 0x80)
            sbuf_addch(out, '?');
        else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F))
            sbuf_addch(out, ' ');
        else
            sbuf_add(out, s + i, n);
        i += n;
    }
}

static bool
name_ok(const char *name)
{
    if (name == NULL || name[0] == '\0' || name[0] == '.')
        return false;
    for (const char *p = name; *p != '\0'; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' || *p == '.'))
            return false;
    return true;
}

/*** Drawing ***/

static const char *const script_of[CHART_KIND_N] = {
    "bars.gp", "scope.gp",  "use.gp",  "trend.gp",
    "map.gp",  "wallet.gp", "bars.gp",
};

#define MAX_EXTRA 5
_Static_assert(1 + SCOPE_N <= MAX_EXTRA, "scope names fit in the ARGs");

/* Kind-specific arguments ARG5.. (owned by the sbufs in extra). */
static size_t
extra_args(const struct chartdata *cd, struct sbuf extra[MAX_EXTRA])
{
    switch (cd->kind) {
    case CHART_PROVINCE_BARS:
    case CHART_AREA_BARS:
    case CHART_MAP:
        chartdata_axis_label(cd, cd->metric, false, &extra[0]);
        return 1;
    case CHART_SCOPE:
        chartdata_axis_label(cd, cd->metric, false, &extra[0]);
        /*
         * A scope without data has no key entry (gnuplot: title ""): no
         * 跨省 key on an account-only chart.  The unsplit 省内 (the
         * wallet's) sits beside its own children, so its key says it is
         * the part not split by pooling area.
         */
        for (int s = 0; s < SCOPE_N; s++) {
            bool any = false;
            for (size_t i = 0; i < cd->nrows && !any; i++)
                any = cd->rows[i].scope[s].person_times != 0 ||
                      cd->rows[i].scope[s].amount_fen != 0;
            if (!any)
                continue;
            if (s != SCOPE_IN_PROVINCE)
                sbuf_addstr(&extra[1 + s],
                            codes_name(cd->codes, CODESET_SCOPE, s));
            else if (cd->has_in_province)
                sbuf_addf(&extra[1 + s], "%s（未细分）",
                          codes_name(cd->codes, CODESET_SCOPE, s));
        }
        return 1 + SCOPE_N;
    case CHART_USE: {
        char buf[48];
        if (cd->metric == CHART_AMOUNT)
            numfmt_amount_auto(buf, sizeof(buf), cd->total.amount_fen);
        else
            numfmt_pt_auto(buf, sizeof(buf), cd->total.person_times);
        sbuf_addstr(&extra[0], buf);
        sbuf_addstr(&extra[1],
                    cd->metric == CHART_AMOUNT ? "共济金额" : "共济人次");
        return 2;
    }
    case CHART_TREND:
        chartdata_axis_label(cd, CHART_PERSON_TIMES, false, &extra[0]);
        chartdata_axis_label(cd, CHART_PERSON_TIMES, true, &extra[1]);
        chartdata_axis_label(cd, CHART_AMOUNT, false, &extra[2]);
        chartdata_axis_label(cd, CHART_AMOUNT, true, &extra[3]);
        return 4;
    case CHART_WALLET:
        chartdata_axis_label(cd, cd->metric, false, &extra[0]);
        sbuf_addstr(&extra[1],
                    codes_name(cd->codes, CODESET_SCOPE, SCOPE_IN_PROVINCE));
        sbuf_addstr(&extra[2],
                    codes_name(cd->codes, CODESET_SCOPE, SCOPE_CROSS_PROVINCE));
        return 3;
    case CHART_KIND_N:
        break;
    }
    BUG("bad chart kind");
}

/* Copy the data files to keep_dir as NAME.tsv (and NAME.legend.tsv). */
static int
keep_data(const struct plot_options *o, const struct plotrun *w,
          const char *name, bool legend, struct diag *err)
{
    char src[PATH_MAX], dst[PATH_MAX];
    int n;

    if (o->keep_dir == NULL)
        return 0;
    if (plotrun_path(src, sizeof(src), w->dir, "data.tsv", err) < 0)
        return -1;
    n = snprintf(dst, sizeof(dst), "%s/%s.tsv", o->keep_dir, name);
    if (n < 0 || (size_t)n >= sizeof(dst))
        return diag_set(err, DIAG_CANTCREAT, _("path too long in '%s'"),
                        o->keep_dir);
    if (plotfile_install(src, dst, err) < 0)
        return -1;
    if (!legend)
        return 0;
    if (plotrun_path(src, sizeof(src), w->dir, "legend.tsv", err) < 0)
        return -1;
    n = snprintf(dst, sizeof(dst), "%s/%s.legend.tsv", o->keep_dir, name);
    if (n < 0 || (size_t)n >= sizeof(dst))
        return diag_set(err, DIAG_CANTCREAT, _("path too long in '%s'"),
                        o->keep_dir);
    return plotfile_install(src, dst, err);
}

/* The chart script, as an absolute path. */
static int
script_path(const struct plot_options *o, enum chart_kind kind, char *out,
            size_t outsz, struct diag *err)
{
    const char *dir =
        o->template_dir != NULL ? o->template_dir : GONGJI_DATADIR "/templates";
    char abs[PATH_MAX];

    if (realpath(dir, abs) == NULL) {
        int e = errno;
        return diag_set(err, DIAG_CONFIG,
                        _("chart scripts not found: '%s': %s"), dir,
                        strerror(e));
    }
    int n = snprintf(out, outsz, "%s/plot/%s", abs, script_of[kind]);
    if (n < 0 || (size_t)n >= outsz)
        return diag_set(err, DIAG_CONFIG, _("path too long: '%s'"), abs);
    if (access(out, R_OK) != 0) {
        int e = errno;
        return diag_set(err, DIAG_CONFIG, _("chart script '%s': %s"), out,
                        strerror(e));
    }
    return 0;
}

/* The files of one chart in its private directory. */
struct chart_files {
    char script[PATH_MAX]; /* the chart script, absolute */
    char data[PATH_MAX], legend[PATH_MAX], pdf[PATH_MAX];
    char png[PATH_MAX], png_stem[PATH_MAX], ppm[PATH_MAX], svg[PATH_MAX];
};

static int
chart_files(struct chart_files *f, const struct plotrun *w, struct diag *err)
{
    if (plotrun_path(f->data, sizeof(f->data), w->dir, "data.tsv", err) < 0 ||
        plotrun_path(f->legend, sizeof(f->legend), w->dir, "legend.tsv", err) <
            0 ||
        plotrun_path(f->pdf, sizeof(f->pdf), w->dir, "chart.pdf", err) < 0 ||
        plotrun_path(f->png, sizeof(f->png), w->dir, "chart.png", err) < 0 ||
        plotrun_path(f->png_stem, sizeof(f->png_stem), w->dir, "chart", err) <
            0 ||
        plotrun_path(f->ppm, sizeof(f->ppm), w->dir, "chart.ppm", err) < 0 ||
        plotrun_path(f->svg, sizeof(f->svg), w->dir, "chart.svg", err) < 0)
        return -1;
    return 0;
}

/*
 * The ARGn strings: title, subtitle, source line, then the kind's extras
 * (each cleaned by arg_clean()), into texts[0..]; returns how many.
 */
#define MAX_TEXTS (3 + MAX_EXTRA)
static size_t
chart_texts(const struct chartdata *cd, const char *title, const char *source,
            struct sbuf texts[MAX_TEXTS])
{
    struct sbuf raw = SBUF_INIT;
    struct sbuf extra[MAX_EXTRA] = {SBUF_INIT, SBUF_INIT, SBUF_INIT, SBUF_INIT,
                                    SBUF_INIT};

    if (title != NULL)
        arg_clean(&texts[0], title);
    else
        chartdata_title(cd, &texts[0]);
    chartdata_subtitle(cd, &raw);
    arg_clean(&texts[1], raw.buf);
    sbuf_release(&raw);
    if (source != NULL)
        arg_clean(&texts[2], source);
    else
        sbuf_addstr(&texts[2], PLOT_SOURCE_LINE);

    size_t nextra = extra_args(cd, extra);
    for (size_t i = 0; i < nextra; i++)
        arg_clean(&texts[3 + i], extra[i].buf);
    for (size_t i = 0; i < MAX_EXTRA; i++)
        sbuf_release(&extra[i]);
    return 3 + nextra;
}

/* Run gnuplot on the data files; the PDF comes out with a fixed date. */
static int
draw_pdf(const struct plot_options *o, const struct plotrun *w,
         const struct chartdata *cd, const char *title,
         const struct chart_files *f, struct diag *err)
{
    struct sbuf texts[MAX_TEXTS];
    const char *args[PLOTRUN_MAX_ARGS] = {"gnuplot", "-d", "-c", f->script,
                                          w->dir};
    size_t nargs = 5;
    int ret = -1;

    for (size_t i = 0; i < MAX_TEXTS; i++)
        sbuf_init(&texts[i]);
    size_t ntexts = chart_texts(cd, title, o->source_line, texts);
    for (size_t i = 0; i < ntexts; i++)
        args[nargs++] = texts[i].buf;
    args[nargs] = NULL;
    if (plotrun_tool(w, args, err) < 0)
        goto out;
    if (!plotfile_nonempty(f->pdf)) {
        diag_set(err, DIAG_EXTERNAL, _("gnuplot wrote no chart (script %s)"),
                 f->script);
        goto out;
    }
    ret = plotfile_fix_pdf_date(f->pdf, o->created, cd->range.last, err);
out:
    for (size_t i = 0; i < MAX_TEXTS; i++)
        sbuf_release(&texts[i]);
    return ret;
}

/* The PNG and SVG wanted by out, made from the PDF. */
static int
convert_pdf(const struct plotrun *w, const struct chart_files *f,
            const struct plot_outputs *out, struct diag *err)
{
    if (out->png != NULL) {
        /* pdftoppm rasterises; the PNG is encoded here (report/pngout.h) */
        const char *a[] = {"pdftoppm", "-r",        PLOT_DPI_ARG, "-singlefile",
                           f->pdf,     f->png_stem, NULL};
        if (plotrun_tool(w, a, err) < 0)
            return -1;
        if (!plotfile_nonempty(f->ppm))
            return diag_set(err, DIAG_EXTERNAL, _("pdftoppm wrote no image"));
        if (pngout_from_ppm(f->ppm, f->png, PLOT_DPI, err) < 0)
            return -1;
        unlink(f->ppm);
    }
    if (out->svg != NULL) {
        const char *a[] = {"pdftocairo", "-svg", f->pdf, f->svg, NULL};
        if (plotrun_tool(w, a, err) < 0)
            return -1;
        if (!plotfile_nonempty(f->svg))
            return diag_set(err, DIAG_EXTERNAL, _("pdftocairo wrote no SVG"));
    }
    return 0;
}

int
plot_render(const struct plot_options *o, const struct chartdata *cd,
            const char *title, const char *name, const struct plot_outputs *out,
            struct diag *err)
{
    struct plotrun w;
    struct chart_files f;
    char why[128];
    int ret = -1;

    if (title != NULL && !chartdata_title_ok(title, why, sizeof(why)))
        return diag_set(err, DIAG_USAGE, _("the title %s"), why);
    if (!name_ok(name))
        BUG("bad chart data name '%s'", name ? name : "(null)");
    if (script_path(o, cd->kind, f.script, sizeof(f.script), err) < 0)
        return -1;
    if (plotrun_init(&w, o, o->timeout_s > 0 ? o->timeout_s : PLOT_TIMEOUT_S,
                     err) < 0)
        return -1;
    if (chart_files(&f, &w, err) < 0)
        goto out;

    bool is_map = cd->kind == CHART_MAP;
    if (plotfile_write_data(f.data, chartfile_write, cd, err) < 0 ||
        (is_map &&
         plotfile_write_data(f.legend, chartfile_write_legend, cd, err) < 0) ||
        keep_data(o, &w, name, is_map, err) < 0)
        goto out;
    if (draw_pdf(o, &w, cd, title, &f, err) < 0 ||
        convert_pdf(&w, &f, out, err) < 0)
        goto out;
    if ((out->pdf != NULL && plotfile_install(f.pdf, out->pdf, err) < 0) ||
        (out->png != NULL && plotfile_install(f.png, out->png, err) < 0) ||
        (out->svg != NULL && plotfile_install(f.svg, out->svg, err) < 0))
        goto out;
    ret = 0;
out:
    plotrun_release(&w);
    return ret;
}

/*** The bulletin's charts ***/

static const struct plot_bulletin_chart bulletin_charts[] = {
    /* the wallet chart (last) only when the period has wallet data */
    {"provinces_person_times", CHART_PROVINCE_BARS, CHART_PERSON_TIMES},
    {"provinces_amount", CHART_PROVINCE_BARS, CHART_AMOUNT},
    {"scope", CHART_SCOPE, CHART_PERSON_TIMES},
    {"use", CHART_USE, CHART_AMOUNT},
    {"trend", CHART_TREND, CHART_PERSON_TIMES},
    {"map", CHART_MAP, CHART_PERSON_TIMES},
    {"wallet", CHART_WALLET, CHART_PERSON_TIMES},
};

#define NCHARTS       (sizeof(bulletin_charts) / sizeof(bulletin_charts[0]))
#define CHART_THREADS 2

/* One rendering thread: charts first, first + step, ... */
struct chart_job {
    const struct rollup *r;
    const struct refdata *rd;
    const struct plot_options *o;
    const char *outdir;
    size_t first, step;
    int rc;
    struct diag err;
};

static void *
chart_worker(void *arg)
{
    struct chart_job *j = arg;

    for (size_t i = j->first; i < NCHARTS && j->rc == 0; i += j->step) {
        const struct plot_bulletin_chart *c = &bulletin_charts[i];
        struct chartdata cd;
        if (c->kind == CHART_WALLET && !j->r->has_wallet)
            continue;
        char png[PATH_MAX], svg[PATH_MAX], pdf[PATH_MAX];
        int a = snprintf(png, sizeof(png), "%s/%s.png", j->outdir, c->name);
        int b = snprintf(svg, sizeof(svg), "%s/%s.svg", j->outdir, c->name);
        int d = snprintf(pdf, sizeof(pdf), "%s/%s.pdf", j->outdir, c->name);
        if (a < 0 || b < 0 || d < 0 || (size_t)a >= sizeof(png) ||
            (size_t)b >= sizeof(svg) || (size_t)d >= sizeof(pdf)) {
            j->rc = diag_set(&j->err, DIAG_CANTCREAT, _("path too long: '%s'"),
                             j->outdir);
            break;
        }
        struct plot_outputs out = {png, svg, pdf};
        chartdata_from_rollup(&cd, c->kind, c->metric, j->r, j->rd);
        j->rc = plot_render(j->o, &cd, NULL, c->name, &out, &j->err);
        chartdata_release(&cd);
    }
    return NULL;
}

const struct plot_bulletin_chart *
plot_bulletin_chart_list(size_t *n)
{
    *n = NCHARTS;
    return bulletin_charts;
}

int
plot_bulletin_charts(const struct plot_options *o, const struct rollup *r,
                     const struct refdata *rd, const char *outdir,
                     struct diag *err)
{
    struct chart_job jobs[CHART_THREADS];
    pthread_t tid[CHART_THREADS];
    bool started[CHART_THREADS] = {false};

    if (plotfile_mkdir_p(outdir, err) < 0)
        return -1;
    /*
     * Each chart is three external processes (gnuplot, pdftoppm,
     * pdftocairo) that mostly wait on one core; two threads, each with its
     * own temporary directory and children, halve the wall time.  Children
     * are waited for by pid, so the threads never reap each other's.
     */
    for (size_t t = 0; t < CHART_THREADS; t++) {
        jobs[t] =
            (struct chart_job){r, rd, o, outdir, t, CHART_THREADS, 0, {0}};
        diag_clear(&jobs[t].err);
        started[t] = pthread_create(&tid[t], NULL, chart_worker, &jobs[t]) == 0;
        if (!started[t])
            chart_worker(&jobs[t]); /* no thread: render them here */
    }
    int ret = 0;
    for (size_t t = 0; t < CHART_THREADS; t++) {
        if (started[t])
            pthread_join(tid[t], NULL);
        if (jobs[t].rc < 0 && ret == 0) {
            *err = jobs[t].err;
            ret = -1;
        }
    }
    return ret;
}
