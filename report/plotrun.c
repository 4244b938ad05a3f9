/* SPDX-License-Identifier: MIT */
/*
 * _GNU_SOURCE: pipe2, close_range (glibc 2.34) and prctl.  Everything else is
 * POSIX.
 */
#define _GNU_SOURCE
#include "report/plotrun.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/atomicfile.h"
#include "common/diag.h"
#include "common/i18n.h"
#include "common/xalloc.h"

/*** The private directory ***/

void
plotrun_release(struct plotrun *w)
{
    if (w->dir[0] != '\0')
        atomicfile_remove_tree(w->dir);
    for (size_t i = 0; i < sizeof(w->envp) / sizeof(w->envp[0]); i++)
        free(w->envp[i]);
    memset(w, 0, sizeof(*w));
}

static char *
env_entry(const char *name, const char *value)
{
    size_t a = strlen(name), b = strlen(value);
    char *s = xmalloc(a + 1 + b + 1);
    memcpy(s, name, a);
    s[a] = '=';
    memcpy(s + a + 1, value, b + 1);
    return s;
}

int
plotrun_init(struct plotrun *w, const struct plot_options *o, int timeout_s,
             struct diag *err)
{
    const char *base = o->tmp_base != NULL ? o->tmp_base : "/tmp";

    memset(w, 0, sizeof(*w));
    w->timeout_s = timeout_s;
    w->search_path = o->search_path;
    w->on_child = o->on_child;
    w->child_ctx = o->child_ctx;
    /* the PID lets a later run tell a dead run's directory (plot_sweep) */
    int n = snprintf(w->dir, sizeof(w->dir), "%s/gongji-plot.%ld.XXXXXX", base,
                     (long)getpid());
    if (base[0] != '/' || n < 0 || (size_t)n >= sizeof(w->dir)) {
        w->dir[0] = '\0';
        return diag_set(err, DIAG_CANTCREAT,
                        _("temporary directory base '%s' is not a usable "
                          "absolute path"),
                        base);
    }
    if (mkdtemp(w->dir) == NULL) {
        int e = errno;
        diag_set(err, DIAG_CANTCREAT,
                 _("cannot make a temporary directory in '%s': %s"), base,
                 strerror(e));
        w->dir[0] = '\0';
        return -1;
    }
    /*
     * The helpers get nothing of ours: no GNUPLOT_LIB, no fontconfig or
     * cairo overrides, no user gnuplotrc (-d), a HOME that is empty.
     */
    w->envp[0] = env_entry("PATH", "/usr/bin:/bin");
    w->envp[1] = env_entry("HOME", w->dir);
    w->envp[2] = env_entry("TMPDIR", w->dir);
    w->envp[3] = env_entry("LC_ALL", "C.UTF-8");
    w->envp[4] = env_entry("LANG", "C.UTF-8");
    w->envp[5] = NULL;
    return 0;
}

void
plotrun_setenv(struct plotrun *w, const char *name, const char *value)
{
    size_t n = strlen(name), i = 0;
    const size_t max = sizeof(w->envp) / sizeof(w->envp[0]) - 1;
    for (; i < max && w->envp[i] != NULL; i++)
        if (strncmp(w->envp[i], name, n) == 0 && w->envp[i][n] == '=')
            break;
    if (i >= max)
        BUG("no room for %s in a helper's environment", name);
    free(w->envp[i]);
    w->envp[i] = env_entry(name, value);
}

int
plotrun_path(char *out, size_t outsz, const char *dir, const char *name,
             struct diag *err)
{
    int n = snprintf(out, outsz, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= outsz)
        return diag_set(err, DIAG_CANTCREAT, _("path too long: '%s/%s'"), dir,
                        name);
    return 0;
}

/*** Running a helper ***/

/* The first lines of a helper's error output, as one line. */
static void
error_excerpt(const char *path, char *out, size_t outsz)
{
    char buf[1024];
    size_t n = 0, o = 0;
    FILE *fp = fopen(path, "rb");

    out[0] = '\0';
    if (fp == NULL)
        return;
    n = fread(buf, 1, sizeof(buf) - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    bool space = true; /* collapse blanks and line ends */
    for (size_t i = 0; i < n && o + 4 < outsz; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (c < 0x20 || c == 0x7F) {
            if (!space)
                out[o++] = ' ';
            space = true;
            continue;
        }
        if (c == ' ' && space)
            continue;
        out[o++] = (char)c;
        space = c == ' ';
    }
    while (o > 0 && out[o - 1] == ' ')
        o--;
    /* never end inside a UTF-8 sequence */
    while (o > 0 && ((unsigned char)out[o - 1] & 0xC0) == 0x80)
        o--;
    if (o > 0 && (unsigned char)out[o - 1] >= 0xC0)
        o--;
    out[o] = '\0';
}

static const char *
package_of(const char *prog)
{
    if (strcmp(prog, "pandoc") == 0)
        return "pandoc";
    if (strcmp(prog, "soffice") == 0)
        return "libreoffice-writer-nogui";
    return strcmp(prog, "gnuplot") == 0 ? "gnuplot-nox and fonts-noto-cjk"
                                        : "poppler-utils";
}

static double
seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) +
           (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/*
 * The program file for prog: prog itself when it has a '/', else the
 * first executable dir/prog of search_path (NULL = "/bin:/usr/bin", as
 * execvp).  Returns 0, or -1 when there is none.
 */
static int
find_program(const char *search_path, const char *prog, char *out, size_t outsz)
{
    if (strchr(prog, '/') != NULL) {
        int n = snprintf(out, outsz, "%s", prog);
        return n > 0 && (size_t)n < outsz ? 0 : -1;
    }
    const char *p = search_path != NULL ? search_path : "/bin:/usr/bin";
    for (;;) {
        const char *colon = strchr(p, ':');
        size_t len = colon != NULL ? (size_t)(colon - p) : strlen(p);
        /* an empty entry is the current directory, as for execvp */
        int n = len == 0 ? snprintf(out, outsz, "%s", prog)
                         : snprintf(out, outsz, "%.*s/%s", (int)len, p, prog);
        struct stat st;
        if (n > 0 && (size_t)n < outsz && stat(out, &st) == 0 &&
            S_ISREG(st.st_mode) && access(out, X_OK) == 0)
            return 0;
        if (colon == NULL)
            return -1;
        p = colon + 1;
    }
}

/*
 * In the child between fork() and execve(): only async-signal-safe calls.
 * Its own process group, killed when the thread that started it dies
 * (PR_SET_PDEATHSIG: even a SIGKILLed gongji leaves no helper running),
 * stdin and stdout /dev/null, stderr errpath, cwd the private directory,
 * no other descriptors, default signals.  An exec failure is written to
 * report (close-on-exec) as its errno; the child then ends with _Exit()
 * (async-signal-safe, and no exit handlers or stdio flushes of ours run in
 * the copy), which chooses no exit status of gongji's.
 */
static void
exec_child(const struct plotrun *w, const char *file, char *const argv[],
           const char *errpath, pid_t parent, int report)
{
    int e = 0;
    sigset_t none;

    setpgid(0, 0);
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
        _Exit(127);
    int in = open("/dev/null", O_RDONLY);
    int out = open("/dev/null", O_WRONLY);
    int er = open(errpath, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0600);
    if (in < 0 || out < 0 || er < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 ||
        dup2(er, 2) < 0 || chdir(w->dir) != 0) {
        e = errno;
        goto fail;
    }
    if ((report > 3 && close_range(3, (unsigned)report - 1, 0) != 0) ||
        close_range((unsigned)report + 1, ~0U, 0) != 0)
        for (int fd = 3; fd < 1024; fd++)
            if (fd != report)
                close(fd);
    for (int s = 1; s < NSIG; s++)
        signal(s, SIG_DFL);
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    execve(file, argv, w->envp);
    e = errno;
fail:
    while (write(report, &e, sizeof(e)) < 0 && errno == EINTR)
        ;
    _Exit(127);
}

/*
 * Start prog with argv in w's directory and environment, stderr into
 * errpath, in a process group of its own.  Returns 0 with *pid set, or -1
 * with err set.
 */
static int
spawn_tool(const struct plotrun *w, const char *prog, char *const argv[],
           const char *errpath, pid_t *pid, struct diag *err)
{
    char file[PATH_MAX];
    int fds[2], e = 0;

    if (find_program(w->search_path, prog, file, sizeof(file)) < 0) {
        if (strcmp(prog, "pandoc") == 0 || strcmp(prog, "soffice") == 0)
            return diag_set(err, DIAG_EXTERNAL,
                            _("%s not found in PATH: bulletin.docx and "
                              "bulletin.pdf need it (install %s, e.g. with "
                              "scripts/setup-deps.sh)"),
                            prog, package_of(prog));
        return diag_set(err, DIAG_EXTERNAL,
                        _("%s not found in PATH: charts need it (install %s, "
                          "e.g. with scripts/setup-deps.sh)"),
                        prog, package_of(prog));
    }
    if (pipe2(fds, O_CLOEXEC) != 0) {
        e = errno;
        return diag_set(err, DIAG_EXTERNAL, _("cannot run %s: %s"), prog,
                        strerror(e));
    }
    pid_t parent = getpid();
    pid_t child = fork();
    if (child == 0)
        exec_child(w, file, argv, errpath, parent, fds[1]);
    e = errno;
    close(fds[1]);
    if (child < 0) {
        close(fds[0]);
        return diag_set(err, DIAG_EXTERNAL, _("cannot run %s: %s"), prog,
                        strerror(e));
    }
    /* the parent sets the group too, so that it exists before we kill it */
    setpgid(child, child);
    if (w->on_child != NULL)
        w->on_child(w->child_ctx, (long)child, 1);
    ssize_t n;
    while ((n = read(fds[0], &e, sizeof(e))) < 0 && errno == EINTR)
        ;
    close(fds[0]);
    *pid = child;
    if (n == (ssize_t)sizeof(e)) {
        int status;
        while (waitpid(child, &status, 0) < 0 && errno == EINTR)
            ;
        if (w->on_child != NULL)
            w->on_child(w->child_ctx, (long)child, 0);
        return diag_set(err, DIAG_EXTERNAL, _("cannot run %s: %s"), prog,
                        strerror(e));
    }
    return 0;
}

/*
 * Wait for pid at most timeout_s seconds, then kill its process group and
 * reap it.  Returns true when it had to be stopped; *status is its wait
 * status.
 */
static bool
wait_tool(pid_t pid, int timeout_s, int *status)
{
    bool timed_out = false;

    /*
     * Wait without reaping (WNOWAIT), so that the process group stays
     * reserved while we kill whatever the helper may have left in it;
     * then reap.
     */
    struct timespec t0, tick = {0, 10 * 1000 * 1000};
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        siginfo_t si;
        memset(&si, 0, sizeof(si));
        if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (si.si_pid == pid)
            break;
        if (seconds_since(&t0) >= (double)timeout_s) {
            timed_out = true;
            break;
        }
        nanosleep(&tick, NULL);
    }
    kill(-pid, SIGKILL);
    while (waitpid(pid, status, 0) < 0 && errno == EINTR)
        ;
    return timed_out;
}

int
plotrun_tool(const struct plotrun *w, const char *const args[],
             struct diag *err)
{
    char *argv[PLOTRUN_MAX_ARGS] = {NULL};
    char errpath[PATH_MAX];
    pid_t pid = -1;
    int ret = -1, status = 0;
    const char *prog = args[0];

    if (plotrun_path(errpath, sizeof(errpath), w->dir, "helper.err", err) < 0)
        return -1;
    for (size_t i = 0; args[i] != NULL; i++) {
        if (i + 1 >= PLOTRUN_MAX_ARGS)
            BUG("too many arguments for %s", prog);
        argv[i] = xstrdup(args[i]);
    }
    if (spawn_tool(w, prog, argv, errpath, &pid, err) < 0)
        goto out;
    bool timed_out = wait_tool(pid, w->timeout_s, &status);
    if (w->on_child != NULL)
        w->on_child(w->child_ctx, (long)pid, 0);
    if (timed_out) {
        diag_set(err, DIAG_EXTERNAL,
                 _("%s did not finish within %d s and was stopped"), prog,
                 w->timeout_s);
        goto out;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char why[240];
        error_excerpt(errpath, why, sizeof(why));
        if (WIFEXITED(status))
            diag_set(err, DIAG_EXTERNAL, _("%s failed (exit status %d)%s%s"),
                     prog, WEXITSTATUS(status), why[0] ? ": " : "", why);
        else
            diag_set(err, DIAG_EXTERNAL, _("%s was killed by signal %d%s%s"),
                     prog, WTERMSIG(status), why[0] ? ": " : "", why);
        goto out;
    }
    ret = 0;
out:
    for (size_t i = 0; i < PLOTRUN_MAX_ARGS; i++)
        free(argv[i]);
    return ret;
}
