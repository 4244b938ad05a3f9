/* SPDX-License-Identifier: MIT */
/*
 * cli/sigclean.h - what a SIGINT, SIGTERM or SIGHUP does to a run that is
 * writing outputs (bulletin, chart): kill the helper processes still
 * running, remove this process's temporary files and directories, and die
 * of the same signal (so the caller sees the signal's status).
 *
 * The signals are blocked in every thread and taken by one thread of ours
 * with sigwait(), so the cleanup runs as ordinary code, not in a signal
 * handler.  That thread first stops every other thread where it stands (a
 * real-time signal whose handler never returns), so nothing makes a new
 * file or helper behind the sweep; from then on it calls neither malloc()
 * nor stdio (a stopped thread may hold their locks).  Linux-specific:
 * /proc/self/task, tgkill, getdents64.  This is the only mutable state of its
 * kind, and it lives in cli/: report/ tells of its helper processes through the
 * plot_child_fn hook (report/plot.h), and temporary names carry the PID
 * (common/atomicfile.h), so a directory sweep finds them.  SIGKILL cannot
 * be caught: the helpers die with us (PR_SET_PDEATHSIG) and a later run
 * sweeps the names left behind (atomicfile_sweep(), plot_sweep()).
 */
#ifndef CLI_SIGCLEAN_H
#define CLI_SIGCLEAN_H

/*
 * Block SIGINT, SIGTERM and SIGHUP (each unless ignored, as under nohup or
 * in a background job) and start the thread that waits for them.  Call
 * before any other thread exists.  Returns 0, or -1 when no thread could
 * be started (the signals then keep their default action).
 */
int sigclean_start(void);

/*
 * On a signal, remove this process's temporary entries PREFIX...MARK
 * PID.XXXXXX in dir (see atomicfile_sweep()).  dir is copied.  At most 8
 * directories are kept; more are ignored.
 */
void sigclean_watch_dir(const char *dir, const char *prefix, const char *mark);

/* A plot_child_fn (report/plot.h): the process groups to kill. */
void sigclean_child(void *ctx, long pgid, int running);

#endif /* CLI_SIGCLEAN_H */
