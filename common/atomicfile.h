/* SPDX-License-Identifier: MIT */
/*
 * common/atomicfile.h - outputs that appear whole or not at all.
 *
 * A struct atomicfile is a file being written under a temporary name beside
 * its final name; committing it makes the data durable (fsync), renames it
 * over the final name and syncs the directory.  A struct atomicdir is the
 * same for a directory of files (the bulletin's charts/): it is filled
 * under a temporary name and swapped in as a whole.
 *
 * Temporary names are DIR/.BASE.tmp.PID.XXXXXX, created exclusively
 * (mkstemp / mkdtemp: O_CREAT|O_EXCL, so a symlink planted at any name is
 * never followed); rename(2) replaces whatever the final name was, a
 * symlink included, never the file a symlink points to.  A run killed
 * before its commit leaves the final name as it was, plus at most a
 * temporary entry that atomicfile_sweep() of a later run removes.
 */
#ifndef COMMON_ATOMICFILE_H
#define COMMON_ATOMICFILE_H

#include <stddef.h>

struct diag;

/* The marker between BASE and PID in every temporary name. */
#define ATOMICFILE_MARK ".tmp."

/* Temporary entries of dead processes older than this are stale. */
#define ATOMICFILE_STALE_S 300

struct atomicfile {
    char *path; /* the final name, owned */
    char *tmp;  /* the temporary name, owned; NULL once committed */
    int fd;     /* open on tmp for writing, or -1 */
};

/* An atomicfile that holds nothing (release is a no-op). */
#define ATOMICFILE_INIT                                                        \
    {                                                                          \
        NULL, NULL, -1                                                         \
    }

/*
 * Create the temporary file for path (mode 0666 before the umask).
 * Returns 0, or -1 with err set (DIAG_CANTCREAT, naming path); on failure
 * af is left empty (atomicfile_release() is still allowed).
 */
int atomicfile_open(struct atomicfile *af, const char *path, struct diag *err);

/* Append len bytes.  Returns 0, or -1 with err set (DIAG_IO). */
int atomicfile_write(struct atomicfile *af, const void *data, size_t len,
                     struct diag *err);

/*
 * A name that opens the temporary file itself for a library that insists
 * on opening a path (libxlsxwriter): "/proc/self/fd/N" when that names the
 * same file, else the temporary name.  Borrowed from af (buf holds it).
 */
const char *atomicfile_reopen_name(const struct atomicfile *af, char *buf,
                                   size_t bufsz);

/*
 * fsync the data, rename the temporary file over af->path and fsync the
 * directory.  Returns 0, or -1 with err set (DIAG_IO); on failure the
 * final name is untouched.  Release af afterwards either way.
 */
int atomicfile_commit(struct atomicfile *af, struct diag *err);

/* Close, remove the temporary file unless committed, free.  Idempotent. */
void atomicfile_release(struct atomicfile *af);

/* Write data[0..len) to path as one atomicfile.  Same errors. */
int atomicfile_put(const char *path, const void *data, size_t len,
                   struct diag *err);

struct atomicdir {
    char *path; /* the final directory, owned */
    char *tmp;  /* the directory being filled, owned; NULL once committed */
};

/* An atomicdir that holds nothing. */
#define ATOMICDIR_INIT                                                         \
    {                                                                          \
        NULL, NULL                                                             \
    }

/*
 * Make the temporary directory for path (its parent must exist).  Returns
 * 0, or -1 with err set (DIAG_CANTCREAT); release either way.
 */
int atomicdir_open(struct atomicdir *ad, const char *path, struct diag *err);

/*
 * Swap the filled directory in for ad->path (atomically with
 * renameat2(RENAME_EXCHANGE) where the file system has it, else by two
 * renames) and remove what was there before.  Returns 0, or -1 with err
 * set (DIAG_IO) and ad->path untouched.
 */
int atomicdir_commit(struct atomicdir *ad, struct diag *err);

/* Remove the temporary directory unless committed, free.  Idempotent. */
void atomicdir_release(struct atomicdir *ad);

/*
 * Remove path and everything under it, never following a symlink.
 * Returns 0, or -1 with errno set.  Like atomicfile_sweep(), it calls
 * neither malloc() nor stdio, so a signal thread may use it while the
 * other threads are stopped.
 */
int atomicfile_remove_tree(const char *path);

/*
 * Remove the temporary entries left in dir by processes that are gone:
 * names PREFIX...MARK PID.XXXXXX (mark being ATOMICFILE_MARK, or "." for
 * names like gongji-plot.PID.XXXXXX) whose PID is not a live process, that we
 * own, and whose last change is at least min_age_s seconds old; pid_self >= 0
 * also removes those of that PID at any age (a cleanup on a signal).  Errors
 * are ignored: this only tidies.  Returns how many entries were removed.
 */
int atomicfile_sweep(const char *dir, const char *prefix, const char *mark,
                     int min_age_s, long pid_self);

#endif /* COMMON_ATOMICFILE_H */
