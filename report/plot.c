/*
 * _GNU_SOURCE: posix_spawn_file_actions_addclosefrom_np/addchdir_np
 * (glibc 2.34/2.29), memmem and nftw.  Everything else is POSIX.
 */
#define _GNU_SOURCE
#include "report/plot.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "aggregate/rollup.h"
#include "common/diag.h"
#include "common/exepath.h"
#include "common/sbuf.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "ingest/refdata.h"
#include "report/chartdata.h"
#include "report/chartfile.h"

#ifndef GONGJI_DATADIR
#define GONGJI_DATADIR "/usr/local/share/gongji"
#endif

/* the script that tells a template directory from any other */
#define PROBE_SCRIPT "plot/bars.gp"

/* at most this many arguments to a helper, the NULL included */
#define MAX_ARGS 16

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
plot_options_init(struct plot_options *o)
{
    const char *keep = getenv("GONGJI_KEEP_PLOT_DATA");
    const char *tmp = getenv("TMPDIR");
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    const char *timeout = getenv("GONGJI_PLOT_TIMEOUT");

    memset(o, 0, sizeof(*o));
    o->keep_dir = keep != NULL && keep[0] != '\0' ? keep : NULL;
    /* only an absolute directory: it becomes part of paths gnuplot sees */
    o->tmp_base = tmp != NULL && tmp[0] == '/' ? tmp : NULL;
    o->created = -1;
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
}

const char *
plot_template_dir(void)
{
    /* written only here, with the same value each time in one process */
    static char exe_dir[PATH_MAX];

    if (exepath_find("templates", PROBE_SCRIPT, exe_dir, sizeof(exe_dir)))
        return exe_dir;
    return GONGJI_DATADIR "/templates";
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

/*** The private directory ***/

struct work {
    char dir[PATH_MAX]; /* absolute, made by mkdtemp */
    char *envp[8];      /* the helpers' whole environment */
    int timeout_s;
};

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

static void
work_release(struct work *w)
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

static int
work_init(struct work *w, const struct plot_options *o, struct diag *err)
{
    const char *base = o->tmp_base != NULL ? o->tmp_base : "/tmp";

    memset(w, 0, sizeof(*w));
    w->timeout_s = o->timeout_s > 0 ? o->timeout_s : PLOT_TIMEOUT_S;
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

/* dir/name into out; -1 with err set when it does not fit. */
static int
path_in(char *out, size_t outsz, const char *dir, const char *name,
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
 * Run args[0] (found in the caller's PATH) with args and the work
 * environment; wait for it at most w->timeout_s seconds.  Returns 0 when it
 * exited with status 0, else -1 with err set (DIAG_EXTERNAL).
 */
static int
run_tool(const struct work *w, const char *const args[], struct diag *err)
{
    char *argv[MAX_ARGS] = {NULL};
    char errpath[PATH_MAX];
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    sigset_t none, all;
    pid_t pid;
    int ret = -1, status = 0;
    bool timed_out = false;
    const char *prog = args[0];

    if (path_in(errpath, sizeof(errpath), w->dir, "helper.err", err) < 0)
        return -1;
    for (size_t i = 0; args[i] != NULL; i++) {
        if (i + 1 >= MAX_ARGS)
            BUG("too many arguments for %s", prog);
        argv[i] = xstrdup(args[i]);
    }

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

    int rc = posix_spawnp(&pid, prog, &fa, &at, argv, w->envp);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    if (rc != 0) {
        if (rc == ENOENT)
            diag_set(err, DIAG_EXTERNAL,
                     "%s not found in PATH: charts need it (install %s, "
                     "e.g. with scripts/setup-deps.sh)",
                     prog, package_of(prog));
        else
            diag_set(err, DIAG_EXTERNAL, "cannot run %s: %s", prog,
                     strerror(rc));
        goto out;
    }

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
        if (seconds_since(&t0) >= (double)w->timeout_s) {
            timed_out = true;
            break;
        }
        nanosleep(&tick, NULL);
    }
    kill(-pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;

    if (timed_out) {
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
    for (size_t i = 0; i < MAX_ARGS; i++)
        free(argv[i]);
    return ret;
}

/*** Files ***/

static bool
nonempty_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
}

/* Copy src to dst through a temporary name beside dst, then rename. */
static int
install_file(const char *src, const char *dst, struct diag *err)
{
    char tmp[PATH_MAX], buf[65536];
    int in = -1, out = -1, ret = -1;
    int n = snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", dst, (long)getpid());

    if (n < 0 || (size_t)n >= sizeof(tmp))
        return diag_set(err, DIAG_CANTCREAT, "output path too long: '%s'", dst);
    in = open(src, O_RDONLY | O_CLOEXEC);
    if (in < 0) {
        int e = errno;
        return diag_set(err, DIAG_IO, "cannot read '%s': %s", src, strerror(e));
    }
    out =
        open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0666);
    if (out < 0) {
        int e = errno;
        diag_set(err, DIAG_CANTCREAT, "cannot create '%s': %s", dst,
                 strerror(e));
        goto out;
    }
    for (;;) {
        ssize_t r = read(in, buf, sizeof(buf));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            diag_set(err, DIAG_IO, "cannot read '%s': %s", src, strerror(e));
            goto out;
        }
        if (r == 0)
            break;
        for (ssize_t off = 0; off < r;) {
            ssize_t m = write(out, buf + off, (size_t)(r - off));
            if (m < 0 && errno == EINTR)
                continue;
            if (m < 0) {
                int e = errno;
                diag_set(err, DIAG_IO, "cannot write '%s': %s", dst,
                         strerror(e));
                goto out;
            }
            off += m;
        }
    }
    if (close(out) != 0) {
        int e = errno;
        out = -1;
        diag_set(err, DIAG_IO, "cannot write '%s': %s", dst, strerror(e));
        goto out;
    }
    out = -1;
    if (rename(tmp, dst) != 0) {
        int e = errno;
        diag_set(err, DIAG_CANTCREAT, "cannot create '%s': %s", dst,
                 strerror(e));
        goto out;
    }
    ret = 0;
out:
    if (in >= 0)
        close(in);
    if (out >= 0)
        close(out);
    if (ret < 0)
        unlink(tmp);
    return ret;
}

typedef int write_fn(FILE *fp, const struct chartdata *cd);

static int
write_data(const char *path, write_fn *fn, const struct chartdata *cd,
           struct diag *err)
{
    FILE *fp = fopen(path, "wb");
    if (fp == NULL) {
        int e = errno;
        return diag_set(err, DIAG_CANTCREAT, "cannot create '%s': %s", path,
                        strerror(e));
    }
    int rc = fn(fp, cd);
    if (fclose(fp) != 0 || rc < 0)
        return diag_set(err, DIAG_IO, "cannot write '%s'", path);
    return 0;
}

static int
days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30,
                                 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

/*
 * cairo 1.16 stamps the PDF with the time of the run and ignores
 * SOURCE_DATE_EPOCH; overwrite the 14 digits in place (same length, so the
 * cross-reference offsets stay right).
 */
static int
fix_pdf_date(const char *path, const struct plot_options *o, struct period last,
             struct diag *err)
{
    static const char key[] = "/CreationDate (D:";
    char stamp[32];
    FILE *fp = fopen(path, "r+b");
    int ret = -1;

    if (o->created >= 0) {
        time_t t = (time_t)o->created;
        struct tm tm;
        if (gmtime_r(&t, &tm) == NULL ||
            strftime(stamp, sizeof(stamp), "%Y%m%d%H%M%S", &tm) != 14)
            snprintf(stamp, sizeof(stamp), "19700101000000");
    } else {
        snprintf(stamp, sizeof(stamp), "%04d%02d%02d000000", last.year % 10000,
                 last.month, days_in_month(last.year, last.month));
    }
    if (fp == NULL) {
        int e = errno;
        return diag_set(err, DIAG_IO, "cannot open '%s': %s", path,
                        strerror(e));
    }
    struct sbuf sb = SBUF_INIT;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
        sbuf_add(&sb, buf, n);
    if (ferror(fp)) {
        diag_set(err, DIAG_IO, "cannot read '%s'", path);
        goto out;
    }
    char *p = memmem(sb.buf, sb.len, key, sizeof(key) - 1);
    if (p != NULL) {
        char *d = p + sizeof(key) - 1;
        size_t digits = 0;
        while (d + digits < sb.buf + sb.len && digits < 14 &&
               d[digits] >= '0' && d[digits] <= '9')
            digits++;
        if (digits == 14) {
            memcpy(d, stamp, 14);
            if (fseek(fp, (long)(d - sb.buf), SEEK_SET) != 0 ||
                fwrite(d, 1, 14, fp) != 14) {
                diag_set(err, DIAG_IO, "cannot write '%s'", path);
                goto out;
            }
        }
    }
    ret = 0;
out:
    if (fclose(fp) != 0 && ret == 0)
        ret = diag_set(err, DIAG_IO, "cannot write '%s'", path);
    sbuf_release(&sb);
    return ret;
}

/*** Drawing ***/

static const char *const script_of[CHART_KIND_N] = {
    "bars.gp", "scope.gp", "use.gp", "trend.gp", "map.gp",
};

#define MAX_EXTRA 4
_Static_assert(1 + SCOPE_N <= MAX_EXTRA, "scope names fit in the ARGs");

/* Kind-specific arguments ARG5.. (owned by the sbufs in extra). */
static size_t
extra_args(const struct chartdata *cd, struct sbuf extra[MAX_EXTRA])
{
    switch (cd->kind) {
    case CHART_PROVINCE_BARS:
    case CHART_MAP:
        chartdata_axis_label(cd, cd->metric, false, &extra[0]);
        return 1;
    case CHART_SCOPE:
        chartdata_axis_label(cd, cd->metric, false, &extra[0]);
        for (int s = 0; s < SCOPE_N; s++)
            sbuf_addstr(&extra[1 + s], codes_name(CODESET_SCOPE, s));
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
    case CHART_KIND_N:
        break;
    }
    BUG("bad chart kind");
}

/* Copy the data files to keep_dir as NAME.tsv (and NAME.legend.tsv). */
static int
keep_data(const struct plot_options *o, const struct work *w, const char *name,
          bool legend, struct diag *err)
{
    char src[PATH_MAX], dst[PATH_MAX];
    int n;

    if (o->keep_dir == NULL)
        return 0;
    if (path_in(src, sizeof(src), w->dir, "data.tsv", err) < 0)
        return -1;
    n = snprintf(dst, sizeof(dst), "%s/%s.tsv", o->keep_dir, name);
    if (n < 0 || (size_t)n >= sizeof(dst))
        return diag_set(err, DIAG_CANTCREAT, "path too long in '%s'",
                        o->keep_dir);
    if (install_file(src, dst, err) < 0)
        return -1;
    if (!legend)
        return 0;
    if (path_in(src, sizeof(src), w->dir, "legend.tsv", err) < 0)
        return -1;
    n = snprintf(dst, sizeof(dst), "%s/%s.legend.tsv", o->keep_dir, name);
    if (n < 0 || (size_t)n >= sizeof(dst))
        return diag_set(err, DIAG_CANTCREAT, "path too long in '%s'",
                        o->keep_dir);
    return install_file(src, dst, err);
}

/* The chart script, as an absolute path. */
static int
script_path(const struct plot_options *o, enum chart_kind kind, char *out,
            size_t outsz, struct diag *err)
{
    const char *dir = o->template_dir ? o->template_dir : plot_template_dir();
    char abs[PATH_MAX];

    if (realpath(dir, abs) == NULL) {
        int e = errno;
        return diag_set(err, DIAG_CONFIG, "chart scripts not found: '%s': %s",
                        dir, strerror(e));
    }
    int n = snprintf(out, outsz, "%s/plot/%s", abs, script_of[kind]);
    if (n < 0 || (size_t)n >= outsz)
        return diag_set(err, DIAG_CONFIG, "path too long: '%s'", abs);
    if (access(out, R_OK) != 0) {
        int e = errno;
        return diag_set(err, DIAG_CONFIG, "chart script '%s': %s", out,
                        strerror(e));
    }
    return 0;
}

int
plot_render(const struct plot_options *o, const struct chartdata *cd,
            const char *title, const char *name, const struct plot_outputs *out,
            struct diag *err)
{
    struct work w;
    struct sbuf t = SBUF_INIT, sub = SBUF_INIT, src = SBUF_INIT;
    struct sbuf extra[MAX_EXTRA] = {SBUF_INIT, SBUF_INIT, SBUF_INIT, SBUF_INIT};
    char script[PATH_MAX], data[PATH_MAX], legend[PATH_MAX], pdf[PATH_MAX];
    char png[PATH_MAX], png_stem[PATH_MAX], svg[PATH_MAX];
    char why[128];
    int ret = -1;

    memset(&w, 0, sizeof(w));
    if (title != NULL && !chartdata_title_ok(title, why, sizeof(why)))
        return diag_set(err, DIAG_USAGE, "the title %s", why);
    if (!name_ok(name))
        BUG("bad chart data name '%s'", name ? name : "(null)");
    if (script_path(o, cd->kind, script, sizeof(script), err) < 0)
        return -1;
    if (work_init(&w, o, err) < 0)
        return -1;
    if (path_in(data, sizeof(data), w.dir, "data.tsv", err) < 0 ||
        path_in(legend, sizeof(legend), w.dir, "legend.tsv", err) < 0 ||
        path_in(pdf, sizeof(pdf), w.dir, "chart.pdf", err) < 0 ||
        path_in(png, sizeof(png), w.dir, "chart.png", err) < 0 ||
        path_in(png_stem, sizeof(png_stem), w.dir, "chart", err) < 0 ||
        path_in(svg, sizeof(svg), w.dir, "chart.svg", err) < 0)
        goto out;

    bool is_map = cd->kind == CHART_MAP;
    if (write_data(data, chartfile_write, cd, err) < 0 ||
        (is_map && write_data(legend, chartfile_write_legend, cd, err) < 0) ||
        keep_data(o, &w, name, is_map, err) < 0)
        goto out;

    if (title != NULL)
        arg_clean(&t, title);
    else
        chartdata_title(cd, &t);
    struct sbuf sub_raw = SBUF_INIT;
    chartdata_subtitle(cd, &sub_raw);
    arg_clean(&sub, sub_raw.buf);
    sbuf_release(&sub_raw);
    sbuf_addstr(&src, PLOT_SOURCE_LINE);

    const char *args[MAX_ARGS] = {"gnuplot", "-d",  "-c",    script,
                                  w.dir,     t.buf, sub.buf, src.buf};
    size_t nargs = 8, nextra = extra_args(cd, extra);
    for (size_t i = 0; i < nextra; i++) {
        struct sbuf clean = SBUF_INIT;
        arg_clean(&clean, extra[i].buf);
        sbuf_release(&extra[i]);
        extra[i] = clean;
        args[nargs++] = extra[i].buf;
    }
    args[nargs] = NULL;
    if (run_tool(&w, args, err) < 0)
        goto out;
    if (!nonempty_file(pdf)) {
        diag_set(err, DIAG_EXTERNAL, "gnuplot wrote no chart (script %s)",
                 script);
        goto out;
    }
    if (fix_pdf_date(pdf, o, cd->range.last, err) < 0)
        goto out;

    if (out->png != NULL) {
        const char *a[] = {"pdftoppm",    "-r", "300",    "-png",
                           "-singlefile", pdf,  png_stem, NULL};
        if (run_tool(&w, a, err) < 0)
            goto out;
        if (!nonempty_file(png)) {
            diag_set(err, DIAG_EXTERNAL, "pdftoppm wrote no PNG");
            goto out;
        }
    }
    if (out->svg != NULL) {
        const char *a[] = {"pdftocairo", "-svg", pdf, svg, NULL};
        if (run_tool(&w, a, err) < 0)
            goto out;
        if (!nonempty_file(svg)) {
            diag_set(err, DIAG_EXTERNAL, "pdftocairo wrote no SVG");
            goto out;
        }
    }
    if ((out->pdf != NULL && install_file(pdf, out->pdf, err) < 0) ||
        (out->png != NULL && install_file(png, out->png, err) < 0) ||
        (out->svg != NULL && install_file(svg, out->svg, err) < 0))
        goto out;
    ret = 0;
out:
    work_release(&w);
    sbuf_release(&t);
    sbuf_release(&sub);
    sbuf_release(&src);
    for (size_t i = 0; i < MAX_EXTRA; i++)
        sbuf_release(&extra[i]);
    return ret;
}

/*** The bulletin's charts ***/

static int
mkdir_p(const char *dir, struct diag *err)
{
    char path[PATH_MAX];
    size_t len = strlen(dir);

    if (len == 0 || len >= sizeof(path))
        return diag_set(err, DIAG_CANTCREAT, "bad output directory '%s'", dir);
    memcpy(path, dir, len + 1);
    for (size_t i = 1; i <= len; i++) {
        if (path[i] != '/' && path[i] != '\0')
            continue;
        char c = path[i];
        path[i] = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST) {
            int e = errno;
            return diag_set(err, DIAG_CANTCREAT, "cannot create '%s': %s", path,
                            strerror(e));
        }
        path[i] = c;
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return diag_set(err, DIAG_CANTCREAT, "'%s' is not a directory", dir);
    return 0;
}

static const struct bulletin_chart {
    const char *name;
    enum chart_kind kind;
    enum chart_metric metric;
} bulletin_charts[] = {
    {"provinces_person_times", CHART_PROVINCE_BARS, CHART_PERSON_TIMES},
    {"provinces_amount", CHART_PROVINCE_BARS, CHART_AMOUNT},
    {"scope", CHART_SCOPE, CHART_PERSON_TIMES},
    {"use", CHART_USE, CHART_AMOUNT},
    {"trend", CHART_TREND, CHART_PERSON_TIMES},
    {"map", CHART_MAP, CHART_PERSON_TIMES},
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
        const struct bulletin_chart *c = &bulletin_charts[i];
        struct chartdata cd;
        char png[PATH_MAX], svg[PATH_MAX], pdf[PATH_MAX];
        int a = snprintf(png, sizeof(png), "%s/%s.png", j->outdir, c->name);
        int b = snprintf(svg, sizeof(svg), "%s/%s.svg", j->outdir, c->name);
        int d = snprintf(pdf, sizeof(pdf), "%s/%s.pdf", j->outdir, c->name);
        if (a < 0 || b < 0 || d < 0 || (size_t)a >= sizeof(png) ||
            (size_t)b >= sizeof(svg) || (size_t)d >= sizeof(pdf)) {
            j->rc = diag_set(&j->err, DIAG_CANTCREAT, "path too long: '%s'",
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

int
plot_bulletin_charts(const struct rollup *r, const struct refdata *rd,
                     const char *outdir, struct diag *err)
{
    struct plot_options o;
    struct chart_job jobs[CHART_THREADS];
    pthread_t tid[CHART_THREADS];
    bool started[CHART_THREADS] = {false};

    plot_options_init(&o);
    if (mkdir_p(outdir, err) < 0)
        return -1;
    /*
     * Each chart is three external processes (gnuplot, pdftoppm,
     * pdftocairo) that mostly wait on one core; two threads, each with its
     * own temporary directory and children, halve the wall time.  Children
     * are waited for by pid, so the threads never reap each other's.
     */
    for (size_t t = 0; t < CHART_THREADS; t++) {
        jobs[t] =
            (struct chart_job){r, rd, &o, outdir, t, CHART_THREADS, 0, {0}};
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
