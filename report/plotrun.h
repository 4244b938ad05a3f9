/* SPDX-License-Identifier: MIT */
/*
 * report/plotrun.h - the private directory a chart is drawn in, and the
 * helper processes (gnuplot, pdftoppm, pdftocairo) run there.
 *
 * A struct plotrun owns a directory made with mkdtemp() and the whole
 * environment the helpers get (PATH=/usr/bin:/bin, HOME and TMPDIR = the
 * directory, LC_ALL and LANG = C.UTF-8).  Each helper is found in the
 * caller's search path and started with fork() and execve(): an argument
 * vector and no shell, stdin from /dev/null, stdout discarded, stderr kept
 * in the directory for the error message, its own process group, killed by
 * the kernel if the thread that started it dies (PR_SET_PDEATHSIG, so a
 * SIGKILLed gongji leaves no helper running), and a timeout after which
 * the whole group is killed.  The caller's on_child hook hears of every
 * group, so that a signal handler can kill the groups still running.
 * Nothing here reads the environment or keeps state outside the struct, so
 * two threads may each use their own.
 */
#ifndef REPORT_PLOTRUN_H
#define REPORT_PLOTRUN_H

#include <limits.h>
#include <stddef.h>

#include "report/plot.h"

struct diag;

/* at most this many arguments to a helper, the NULL included */
#define PLOTRUN_MAX_ARGS 16

struct plotrun {
    char dir[PATH_MAX];      /* absolute, made by mkdtemp; "" when none */
    char *envp[8];           /* the helpers' whole environment, owned */
    int timeout_s;           /* per helper process */
    const char *search_path; /* borrowed: where helpers are found */
    plot_child_fn *on_child; /* or NULL */
    void *child_ctx;
};

/*
 * Make the private directory as o->tmp_base/gongji-plot.PID.XXXXXX (the
 * base must be an absolute path; NULL = /tmp) and the helpers'
 * environment; search_path and the on_child hook are taken from o
 * (borrowed).  Returns 0, or -1 with err set (DIAG_CANTCREAT); on failure
 * there is nothing to release.
 */
int plotrun_init(struct plotrun *w, const struct plot_options *o, int timeout_s,
                 struct diag *err);

/* Remove the directory with everything in it, and free the environment. */
void plotrun_release(struct plotrun *w);

/*
 * Set name=value in the helpers' environment (replacing name's value);
 * room for three more beside the five of plotrun_init().
 */
void plotrun_setenv(struct plotrun *w, const char *name, const char *value);

/* dir/name into out (size outsz); -1 with err set when it does not fit. */
int plotrun_path(char *out, size_t outsz, const char *dir, const char *name,
                 struct diag *err);

/*
 * Run args[0] (found in w->search_path) with args (NULL-terminated, at
 * most PLOTRUN_MAX_ARGS entries with the NULL) in w's directory and
 * environment; wait for it at most w->timeout_s seconds.  Returns 0 when it
 * exited with status 0, else -1 with err set (DIAG_EXTERNAL: not found,
 * failed with the start of its error output quoted, killed, or timed out).
 */
int plotrun_tool(const struct plotrun *w, const char *const args[],
                 struct diag *err);

#endif /* REPORT_PLOTRUN_H */
