/* SPDX-License-Identifier: MIT */
#include "cli/plotenv.h"

#include <stdlib.h>

#include "cli/sigclean.h"
#include "common/exepath.h"

/* the script that tells a template directory from any other */
#define PROBE_SCRIPT "plot/bars.gp"

void
plotenv_init(struct plotenv *pe)
{
    struct plot_options *o = &pe->opts;
    const char *keep = getenv("GONGJI_KEEP_PLOT_DATA");
    const char *tmp = getenv("TMPDIR");
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    const char *timeout = getenv("GONGJI_PLOT_TIMEOUT");

    plot_options_init(o);
    o->search_path = getenv("PATH");
    o->on_child = sigclean_child;
    o->keep_dir = keep != NULL && keep[0] != '\0' ? keep : NULL;
    /* only an absolute directory: it becomes part of paths gnuplot sees */
    o->tmp_base = tmp != NULL && tmp[0] == '/' ? tmp : NULL;
    if (timeout != NULL && timeout[0] != '\0') {
        int v = 0;
        const char *p = timeout;
        while (*p >= '0' && *p <= '9' && v < 100000)
            v = v * 10 + (*p++ - '0');
        if (*p == '\0' && v > 0 && v < 100000)
            o->timeout_s = v;
    }
    if (sde != NULL && sde[0] != '\0') {
        long long v = 0;
        const char *p = sde;
        while (*p >= '0' && *p <= '9' && v < 253402300799LL) /* 9999 */
            v = v * 10 + (*p++ - '0');
        if (*p == '\0' && v <= 253402300799LL)
            o->created = v;
    }
    pe->template_dir[0] = '\0';
    /* as refdata_default_dir(): an installed tree, then a build tree */
    if (exepath_find("share/gongji/templates", PROBE_SCRIPT, pe->template_dir,
                     sizeof(pe->template_dir)) ||
        exepath_find("templates", PROBE_SCRIPT, pe->template_dir,
                     sizeof(pe->template_dir)))
        o->template_dir = pe->template_dir;
}
