/* SPDX-License-Identifier: MIT */
/*
 * cli/read.c - reading one input for ingest, check and aggregate: the
 * ingest layer's input_read() (ingest/input.h) with a progress line on a
 * terminal for detail files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "common/i18n.h"
#include "ingest/input.h"

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
    fputs("\r\033[K", stderr);
    diag_fput_printable(stderr, pr->name, strlen(pr->name));
    fprintf(stderr, _(": %.1f M rows, %.0f MB, %.0f MB/s"),
            (double)p->rows_done / 1e6, mb, rate);
    if (p->bytes_total > 0 && rate > 0 && p->bytes_done <= p->bytes_total) {
        double left = (double)(p->bytes_total - p->bytes_done) / 1e6 / rate;
        fprintf(stderr, _(", %d%%, ETA %d:%02d"),
                (int)(100.0 * (double)p->bytes_done / (double)p->bytes_total),
                (int)left / 60, (int)left % 60);
    }
    fflush(stderr);
    pr->shown = true;
}

int
cli_read(struct submission *sf, const char *path, const struct input_opts *o,
         bool quiet, const struct refdata *rd, struct diag_list *dl)
{
    struct progress pr = {
        strcmp(path, "-") == 0 ? "<stdin>" : path, {0, 0}, false};
    struct input_opts with = *o;

    /* before the first input is read, so nothing is half done */
    if (options_summary_max(&with.summary_max) < 0) {
        fprintf(stderr,
                _("gongji: GONGJI_SUMMARY_MAX '%s' is not a size (bytes, or "
                  "a number with K, M or G after it)\n"),
                getenv("GONGJI_SUMMARY_MAX"));
        exit(EXIT_USAGE);
    }
    if (cli_progress_wanted(quiet)) {
        clock_gettime(CLOCK_MONOTONIC, &pr.t0);
        with.progress = show_progress;
        with.progress_ctx = &pr;
    }
    return input_read(sf, path, &with, rd, dl);
}

int
cli_read_input(struct submission *sf, const char *path,
               const struct ingest_opts *opts, const struct refdata *rd,
               struct diag_list *dl, bool quiet)
{
    struct input_opts o;

    memset(&o, 0, sizeof(o));
    o.ingest = *opts;
    o.detail_sha256 = true;
    return cli_read(sf, path, &o, quiet, rd, dl);
}
