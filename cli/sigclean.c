/* SPDX-License-Identifier: MIT */
/* _GNU_SOURCE: syscall (gettid, tgkill, getdents64: Linux). */
#define _GNU_SOURCE
#include "cli/sigclean.h"

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <fcntl.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/atomicfile.h"
#include "common/xalloc.h"

#define MAX_DIRS    8
#define MAX_GROUPS  16
#define MAX_THREADS 64
/* the signal that stops the other threads (glibc keeps SIGRTMIN-2..-1) */
#define FREEZE_SIG (SIGRTMIN + 4)

struct watched_dir {
    char *dir;
    const char *prefix, *mark; /* string literals of the callers */
};

/*
 * Everything the signal thread needs, behind one mutex.  Threads that
 * start helpers add and remove their process groups; the signal thread
 * takes the mutex and keeps it until the process is gone.
 */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct watched_dir dirs[MAX_DIRS];
static size_t ndirs;
static long groups[MAX_GROUPS]; /* 0 = free slot */
static sigset_t caught;
static pthread_t waiter;

/* The threads stopped so far; only the signal thread touches these. */
static long frozen_tid[MAX_THREADS];
static size_t nfrozen;
static volatile sig_atomic_t frozen_count; /* threads in freeze() */

/* A thread stopped for good: the process is about to die. */
static void
freeze(int sig)
{
    (void)sig;
    __atomic_add_fetch(&frozen_count, 1, __ATOMIC_SEQ_CST);
    for (;;)
        pause();
}

/*
 * Stop every other thread of the process where it is (in freeze()), so
 * that nothing creates a file or a helper while we clean up: a thread left
 * running could make a new gongji-plot directory after the sweep, or
 * libxlsxwriter could fall back to $TMPDIR once its directory is gone.
 * Threads are found in /proc/self/task until a pass finds no new one.
 */
static void
freeze_others(void)
{
    long self = syscall(SYS_gettid);
    bool fresh = true;

    for (int pass = 0; fresh && pass < 8; pass++) {
        fresh = false;
        int fd = open("/proc/self/task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
            return;
        long n;
        char buf[4096] __attribute__((aligned(8)));
        while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
            for (long off = 0; off < n;) {
                /* struct linux_dirent64: ino, off, reclen, type, name */
                unsigned short reclen;
                memcpy(&reclen, buf + off + 16, sizeof(reclen));
                const char *name = buf + off + 19;
                off += reclen;
                long tid = 0;
                for (const char *p = name; *p >= '0' && *p <= '9'; p++)
                    tid = tid * 10 + (*p - '0');
                if (tid <= 0 || tid == self)
                    continue;
                bool seen = false;
                for (size_t i = 0; i < nfrozen; i++)
                    seen = seen || frozen_tid[i] == tid;
                if (seen || nfrozen == MAX_THREADS)
                    continue;
                if (syscall(SYS_tgkill, (long)getpid(), tid, FREEZE_SIG) == 0) {
                    frozen_tid[nfrozen++] = tid;
                    fresh = true;
                }
            }
        }
        close(fd);
    }
    /* wait (at most a second) until they are all in freeze() */
    struct timespec tick = {0, 1000 * 1000};
    for (int i = 0; i < 1000 && (size_t)frozen_count < nfrozen; i++)
        nanosleep(&tick, NULL);
}

static void *
wait_signal(void *arg)
{
    int sig = 0;

    (void)arg;
    while (sigwait(&caught, &sig) != 0)
        ;
    pthread_mutex_lock(&lock);
    /*
     * From here on no malloc() and no stdio: a stopped thread may hold
     * their locks.  The sweeps are written that way (common/atomicfile.h).
     */
    freeze_others();
    for (size_t i = 0; i < MAX_GROUPS; i++)
        if (groups[i] > 0)
            kill((pid_t)-groups[i], SIGKILL);
    for (size_t i = 0; i < ndirs; i++)
        atomicfile_sweep(dirs[i].dir, dirs[i].prefix, dirs[i].mark,
                         ATOMICFILE_STALE_S, (long)getpid());
    signal(sig, SIG_DFL);
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, sig);
    pthread_sigmask(SIG_UNBLOCK, &one, NULL);
    raise(sig);
    _exit(128 + sig); /* not reached */
}

int
sigclean_start(void)
{
    static const int sigs[] = {SIGHUP, SIGINT, SIGTERM};
    bool any = false;

    sigemptyset(&caught);
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
        struct sigaction old;
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaddset(&caught, sigs[i]);
        any = true;
    }
    if (!any)
        return 0;
    struct sigaction fz;
    memset(&fz, 0, sizeof(fz));
    fz.sa_handler = freeze;
    sigfillset(&fz.sa_mask);
    sigaction(FREEZE_SIG, &fz, NULL);
    /* the signal thread itself must not freeze */
    sigaddset(&caught, FREEZE_SIG);
    pthread_sigmask(SIG_BLOCK, &caught, NULL);
    sigdelset(&caught, FREEZE_SIG);
    int rc = pthread_create(&waiter, NULL, wait_signal, NULL);
    /* every other thread may be stopped; the caught signals stay blocked */
    sigset_t fs;
    sigemptyset(&fs);
    sigaddset(&fs, FREEZE_SIG);
    pthread_sigmask(SIG_UNBLOCK, &fs, NULL);
    if (rc != 0) {
        pthread_sigmask(SIG_UNBLOCK, &caught, NULL);
        return -1;
    }
    pthread_detach(waiter);
    return 0;
}

void
sigclean_watch_dir(const char *dir, const char *prefix, const char *mark)
{
    pthread_mutex_lock(&lock);
    if (ndirs < MAX_DIRS) {
        dirs[ndirs].dir = xstrdup(dir);
        dirs[ndirs].prefix = prefix;
        dirs[ndirs].mark = mark;
        ndirs++;
    }
    pthread_mutex_unlock(&lock);
}

void
sigclean_child(void *ctx, long pgid, int running)
{
    (void)ctx;
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < MAX_GROUPS; i++) {
        if (running && groups[i] == 0) {
            groups[i] = pgid;
            break;
        }
        if (!running && groups[i] == pgid) {
            groups[i] = 0;
            break;
        }
    }
    pthread_mutex_unlock(&lock);
}
