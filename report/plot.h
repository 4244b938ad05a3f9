/* SPDX-License-Identifier: MIT */
/*
 * report/plot.h - press charts drawn by gnuplot, run as a child process
 * (DESIGN §7, §8; shared/LIBRARIES.md §3).
 *
 * Only this module (through report/plotrun.h) starts processes.  For each
 * chart it:
 *  1. makes a private directory with mkdtemp() and writes the chart's data
 *     files there (report/chartdata.h: numbers, and labels sanitised);
 *  2. runs `gnuplot -d -c TEMPLATES/plot/KIND.gp DIR TITLE SUBTITLE SOURCE
 *     ...` with fork() and execve() (report/plotrun.h): an argument vector
 *     and no shell, stdin from /dev/null, stdout discarded, stderr kept for
 *     the error message, a cleaned environment (PATH=/usr/bin:/bin, HOME
 *     and TMPDIR = DIR, LC_ALL=C.UTF-8), its own process group, killed
 *     with gongji even by SIGKILL, and a timeout after which the whole
 *     group is killed.  The scripts are fixed files; every text
 *     reaches them as an ARGn string or a data-file field, never as script
 *     text, and they draw everything `noenhanced`;
 *  3. turns gnuplot's PDF (pdfcairo, fonts embedded) into a 300-dpi
 *     raster with `pdftoppm -r 300 -singlefile` (a PPM, encoded here as a
 *     PNG with the resolution in a pHYs chunk: report/pngout.h) and into
 *     an SVG with outlined text with `pdftocairo -svg` (poppler-utils),
 *     run the same way;
 *  4. copies the results to the paths the caller asked for (through an
 *     exclusively created temporary name, fsync and rename(), see
 *     common/atomicfile.h, so a failed run leaves no half file and a
 *     symlink at the output name is replaced, never followed) and removes
 *     the private directory.
 * Helpers only ever see absolute paths inside the private directory; the
 * caller's output names never reach them.
 *
 * The PDF's CreationDate is set from plot_options.created (the caller's
 * SOURCE_DATE_EPOCH) when it is given, else to the last day of the chart's
 * period, so the same store and arguments give byte-identical files.
 *
 * The work is split: report/plotrun.h owns the private directory and the
 * helper processes, report/plotfile.h the file chores, report/chartfile.h
 * the data files; this module puts them together.
 */
#ifndef REPORT_PLOT_H
#define REPORT_PLOT_H

#include <stdbool.h>
#include <stddef.h>

#include "report/chartdata.h"

struct chartdata;
struct diag;
struct refdata;
struct rollup;

/* Seconds a helper process may run before it is killed. */
#define PLOT_TIMEOUT_S 60

/* The source line under every chart. */
#define PLOT_SOURCE_LINE "数据来源：各省级医保部门报送，gongji 汇总"

enum plot_format { PLOT_PNG = 1 << 0, PLOT_SVG = 1 << 1, PLOT_PDF = 1 << 2 };

/* The format named by a path's extension (.png/.svg/.pdf, any case), or
 * -1. */
int plot_format_of(const char *path);

/*
 * Told of every helper process group: running 1 when it was started, 0
 * when it has been reaped (report/ keeps no registry; cli/ does, for its
 * signal handler).  Called from the rendering threads.
 */
typedef void plot_child_fn(void *ctx, long pgid, int running);

/*
 * Everything a chart run takes from outside the program.  report/ reads no
 * environment variables and keeps no state of its own: cli/ fills this
 * (from $GONGJI_KEEP_PLOT_DATA, $TMPDIR, $GONGJI_PLOT_TIMEOUT,
 * $SOURCE_DATE_EPOCH, $PATH and the executable's location) and passes it
 * down.
 * The strings are borrowed and must outlive every call that gets o.
 */
struct plot_options {
    /* holds plot/<kind>.gp; NULL = GONGJI_DATADIR "/templates" (the
     * installed share directory) */
    const char *template_dir;
    /* where the private directory is made (an absolute path); NULL = /tmp */
    const char *tmp_base;
    /* when set, the data files are copied here as NAME.tsv (and
     * NAME.legend.tsv for the map) */
    const char *keep_dir;
    int timeout_s; /* per helper process; 0 = PLOT_TIMEOUT_S */
    /* the PDF CreationDate as Unix time, or -1 for the last day of the
     * chart's period */
    long long created;
    /* where helpers are found (a $PATH value); NULL = "/bin:/usr/bin" */
    const char *search_path;
    /* the charts' last line (ingest/house.h; text, cleaned as the title
     * is); NULL = PLOT_SOURCE_LINE */
    const char *source_line;
    plot_child_fn *on_child; /* NULL = nobody is told */
    void *child_ctx;         /* passed to on_child */
};

/* The defaults: every pointer NULL, timeout_s 0, created -1. */
void plot_options_init(struct plot_options *o);

/* Where one chart goes: each path may be NULL (not wanted). */
struct plot_outputs {
    const char *png, *svg, *pdf;
};

/*
 * Draw one chart.  `title` NULL means the chart's default title; otherwise
 * it must pass chartdata_title_ok().  `name` is the stem of the kept data
 * files (see keep_dir; letters, digits, '_', '-' and '.' only).
 * Returns 0, or -1 with err set: DIAG_EXTERNAL when gnuplot or a poppler
 * tool is missing, fails or times out (the message names the program and
 * quotes its error output), DIAG_CANTCREAT/DIAG_IO for files, DIAG_CONFIG
 * when a chart script is missing, DIAG_USAGE for a bad title.
 */
int plot_render(const struct plot_options *o, const struct chartdata *cd,
                const char *title, const char *name,
                const struct plot_outputs *out, struct diag *err);

/*
 * Remove what runs killed by SIGKILL left in o->tmp_base: gongji-plot.PID.*
 * directories of dead processes, at least ATOMICFILE_STALE_S old.  Errors
 * are ignored.
 */
void plot_sweep(const struct plot_options *o);

/*
 * The bulletin's six charts for January..r->month, as NAME.png, NAME.svg
 * and NAME.pdf in outdir (created if needed; the caller makes it a
 * temporary directory and swaps it in, common/atomicfile.h):
 * provinces_person_times and provinces_amount (provinces ranked), scope (by
 * person-times), use (the amount), trend, and map (person-times), and when
 * r->has_wallet wallet (the wallet's 笔 by month, 省内 / 跨省), drawn with
 * options o on two threads.  Same errors as plot_render().
 */
/* One of the bulletin's charts: its file stem, kind and metric. */
struct plot_bulletin_chart {
    const char *name;
    enum chart_kind kind;
    enum chart_metric metric;
};

/*
 * The charts plot_bulletin_charts() draws, in order (*n of them; the last,
 * wallet, only when the rollup has wallet data).
 */
const struct plot_bulletin_chart *plot_bulletin_chart_list(size_t *n);

int plot_bulletin_charts(const struct plot_options *o, const struct rollup *r,
                         const struct refdata *rd, const char *outdir,
                         struct diag *err);

#endif /* REPORT_PLOT_H */
