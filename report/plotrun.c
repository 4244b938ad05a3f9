/*
 * _GNU_SOURCE: posix_spawn_file_actions_addclosefrom_np/addchdir_np
 * (glibc 2.34/2.29) and nftw.  Everything else is POSIX.
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
#include <ftw.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/diag.h"
#include "common/xalloc.h"

/*** The private directory ***/

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

void
plotrun_release(struct plotrun *w)
{
    if (w->dir[0] != '\0')
        nftw(w->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
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
plotrun_init(struct plotrun *w, const char *base, int timeout_s,
             struct diag *err)
{
    memset(w, 0, sizeof(*w));
    w->timeout_s = timeout_s;
    int n = snprintf(w->dir, sizeof(w->dir), "%s/gongji-plot.XXXXXX", base);
    if (base[0] != '/' || n < 0 || (size_t)n >= sizeof(w->dir)) {
        w->dir[0] = '\0';
        return diag_set(err, DIAG_CANTCREAT,
                        "temporary directory base '%s' is not a usable "
                        "absolute path",
                        base);
    }
    if (mkdtemp(w->dir) == NULL) {
        int e = errno;
        diag_set(err, DIAG_CANTCREAT,
                 "cannot make a temporary directory in '%s': %s", base,
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

int
plotrun_path(char *out, size_t outsz, const char *dir, const char *name,
             struct diag *err)
{
    int n = snprintf(out, outsz, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= outsz)
        return diag_set(err, DIAG_CANTCREAT, "path too long: '%s/%s'", dir,
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
 * Start prog with argv in w's directory and environment, stderr into
 * errpath, in a process group of its own.  Returns 0 with *pid set, or -1
 * with err set.
 */
static int
spawn_tool(const struct plotrun *w, const char *prog, char *const argv[],
           const char *errpath, pid_t *pid, struct diag *err)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    sigset_t none, all;

    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, errpath,
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
#ifdef __GLIBC__
#if __GLIBC_PREREQ(2, 29)
    posix_spawn_file_actions_addchdir_np(&fa, w->dir);
#endif
#if __GLIBC_PREREQ(2, 34)
    posix_spawn_file_actions_addclosefrom_np(&fa, 3);
#endif
#endif
    posix_spawnattr_init(&at);
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setsigdefault(&at, &all);
    posix_spawnattr_setpgroup(&at, 0);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK |
                                      POSIX_SPAWN_SETSIGDEF |
                                      POSIX_SPAWN_SETPGROUP);

    int rc = posix_spawnp(pid, prog, &fa, &at, argv, w->envp);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    if (rc == 0)
        return 0;
    if (rc == ENOENT)
        return diag_set(err, DIAG_EXTERNAL,
                        "%s not found in PATH: charts need it (install %s, "
                        "e.g. with scripts/setup-deps.sh)",
                        prog, package_of(prog));
    return diag_set(err, DIAG_EXTERNAL, "cannot run %s: %s", prog,
                    strerror(rc));
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
    pid_t pid;
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
    if (wait_tool(pid, w->timeout_s, &status)) {
        diag_set(err, DIAG_EXTERNAL,
                 "%s did not finish within %d s and was stopped", prog,
                 w->timeout_s);
        goto out;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char why[240];
        error_excerpt(errpath, why, sizeof(why));
        if (WIFEXITED(status))
            diag_set(err, DIAG_EXTERNAL, "%s failed (exit status %d)%s%s", prog,
                     WEXITSTATUS(status), why[0] ? ": " : "", why);
        else
            diag_set(err, DIAG_EXTERNAL, "%s was killed by signal %d%s%s", prog,
                     WTERMSIG(status), why[0] ? ": " : "", why);
        goto out;
    }
    ret = 0;
out:
    for (size_t i = 0; i < PLOTRUN_MAX_ARGS; i++)
        free(argv[i]);
    return ret;
}
