/* SPDX-License-Identifier: MIT */
/*
 * cli/plotenv.h - the chart options that come from the environment.
 *
 * report/ reads no environment: `gongji chart` and `gongji bulletin` fill
 * a struct plotenv here and pass its opts down to report/plot.h.
 */
#ifndef CLI_PLOTENV_H
#define CLI_PLOTENV_H

#include <limits.h>

#include "report/plot.h"

struct plotenv {
    struct plot_options opts;
    char template_dir[PATH_MAX]; /* storage for opts.template_dir */
};

/*
 * plot_options_init(), then: search_path from $PATH, on_child =
 * sigclean_child (cli/sigclean.h), keep_dir from $GONGJI_KEEP_PLOT_DATA (when
 * not empty), tmp_base from $TMPDIR (only an absolute path), timeout_s
 * from $GONGJI_PLOT_TIMEOUT (whole seconds, 1..99999), created from
 * $SOURCE_DATE_EPOCH (digits only, at most the end of year 9999); values
 * that do not fit are ignored.  template_dir is "../templates" (or
 * "../../templates") beside the executable when it holds plot/bars.gp (a
 * build tree), else left NULL (the installed share directory).  Strings
 * are borrowed from the environment or point into pe, so pe must not be
 * copied and must outlive every use of pe->opts.
 */
void plotenv_init(struct plotenv *pe);

#endif /* CLI_PLOTENV_H */
