#include "cli/sigclean.h"

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthread.h>
#include <unistd.h>

#include "common/atomicfile.h"
#include "common/xalloc.h"

#define MAX_DIRS   8
#define MAX_GROUPS 16

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

static void *
wait_signal(void *arg)
{
    int sig = 0;

    (void)arg;
    while (sigwait(&caught, &sig) != 0)
        ;
    pthread_mutex_lock(&lock);
    /*
     * Hold stdout and stderr: no other thread can print a "gnuplot was
     * killed" or "wrote" line for a run that is being stopped.
     */
    flockfile(stdout);
    flockfile(stderr);
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
    pthread_sigmask(SIG_BLOCK, &caught, NULL);
    if (pthread_create(&waiter, NULL, wait_signal, NULL) != 0) {
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
