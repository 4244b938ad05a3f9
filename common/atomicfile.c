/* SPDX-License-Identifier: MIT */
/*
 * _GNU_SOURCE: renameat2 (glibc 2.28), getrandom (2.25), syscall.  The
 * directory reading is Linux's getdents64(2).
 */
#define _GNU_SOURCE
#include "common/atomicfile.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#include "common/diag.h"
#include "common/i18n.h"
#include "common/xalloc.h"

/*** Names ***/

/* The directory part of path ("." when none), allocated. */
static char *
dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return xstrdup(".");
    if (slash == path)
        return xstrdup("/");
    size_t n = (size_t)(slash - path);
    char *d = xmalloc(n + 1);
    memcpy(d, path, n);
    d[n] = '\0';
    return d;
}

/*
 * DIR/.BASE.tmp.PID. with room for six more characters and the NUL, or
 * NULL when path has no base name.
 */
static char *
tmp_stem(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash != NULL ? slash + 1 : path;
    size_t dlen = (size_t)(base - path), blen = strlen(base);
    char pid[24];

    if (blen == 0)
        return NULL;
    int n = snprintf(pid, sizeof(pid), "%ld.", (long)getpid());
    size_t plen = n > 0 ? (size_t)n : 0;
    size_t mlen = strlen(ATOMICFILE_MARK);
    char *s = xmalloc(dlen + 1 + blen + mlen + plen + 6 + 1);
    char *p = s;
    memcpy(p, path, dlen);
    p += dlen;
    *p++ = '.';
    memcpy(p, base, blen);
    p += blen;
    memcpy(p, ATOMICFILE_MARK, mlen);
    p += mlen;
    memcpy(p, pid, plen + 1);
    return s;
}

/* Six random name characters after stem (which has room for them). */
static void
fill_random(char *stem, unsigned attempt)
{
    static const char set[] = "abcdefghijklmnopqrstuvwxyz"
                              "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    unsigned char r[6];
    size_t len = strlen(stem);

    if (getrandom(r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r)) {
        struct timespec t;
        clock_gettime(CLOCK_REALTIME, &t);
        uint64_t x = (uint64_t)t.tv_nsec ^ ((uint64_t)t.tv_sec << 20) ^
                     ((uint64_t)attempt * 0x9E3779B97F4A7C15u) ^
                     (uint64_t)(uintptr_t)&t;
        for (size_t i = 0; i < sizeof(r); i++, x >>= 8)
            r[i] = (unsigned char)x;
    }
    for (size_t i = 0; i < sizeof(r); i++)
        stem[len + i] = set[r[i] % (sizeof(set) - 1)];
    stem[len + sizeof(r)] = '\0';
}

/*
 * Create a new temporary entry for path: a file (returns its descriptor)
 * or, with as_dir, a directory (returns 0).  *tmp gets the name.  -1 with
 * errno set on failure.
 */
static int
create_tmp(const char *path, bool as_dir, char **tmp)
{
    char *stem = tmp_stem(path);
    if (stem == NULL) {
        errno = EISDIR;
        return -1;
    }
    size_t len = strlen(stem);
    for (unsigned attempt = 0; attempt < 100; attempt++) {
        stem[len] = '\0';
        fill_random(stem, attempt);
        int rc;
        if (as_dir)
            rc = mkdir(stem, 0777);
        else
            rc = open(stem, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                      0666);
        if (rc >= 0) {
            *tmp = stem;
            return rc;
        }
        if (errno != EEXIST)
            break;
    }
    int e = errno;
    free(stem);
    errno = e;
    return -1;
}

/* fsync the directory holding path; errors other than EIO are ignored. */
static int
sync_dir_of(const char *path)
{
    char *d = dir_of(path);
    int fd = open(d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int rc = 0;
    free(d);
    if (fd < 0)
        return 0;
    if (fsync(fd) != 0 && errno == EIO)
        rc = -1;
    close(fd);
    return rc;
}

/*** Files ***/

int
atomicfile_open(struct atomicfile *af, const char *path, struct diag *err)
{
    struct stat st;

    memset(af, 0, sizeof(*af));
    /* rename() would fail at the end: say so before any work is done */
    if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        af->fd = -1;
        return diag_set(err, DIAG_CANTCREAT, _("cannot create '%s': %s"), path,
                        strerror(EISDIR));
    }
    af->fd = create_tmp(path, false, &af->tmp);
    if (af->fd < 0) {
        int e = errno;
        af->tmp = NULL;
        return diag_set(err, DIAG_CANTCREAT, _("cannot create '%s': %s"), path,
                        strerror(e));
    }
    af->path = xstrdup(path);
    return 0;
}

int
atomicfile_write(struct atomicfile *af, const void *data, size_t len,
                 struct diag *err)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(af->fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            return diag_set(err, DIAG_IO, _("cannot write '%s': %s"), af->path,
                            strerror(e));
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

const char *
atomicfile_reopen_name(const struct atomicfile *af, char *buf, size_t bufsz)
{
    struct stat a, b;
    int n = snprintf(buf, bufsz, "/proc/self/fd/%d", af->fd);

    /*
     * The /proc name opens the very file we created even if someone
     * renames or replaces its directory entry meanwhile.
     */
    if (n > 0 && (size_t)n < bufsz && fstat(af->fd, &a) == 0 &&
        stat(buf, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
        return buf;
    return af->tmp;
}

int
atomicfile_commit(struct atomicfile *af, struct diag *err)
{
    struct stat a, b;
    int e;

    if (af->tmp == NULL || af->fd < 0)
        return diag_set(err, DIAG_IO, _("cannot write '%s': not open"),
                        af->path != NULL ? af->path : "?");
    if (fsync(af->fd) != 0) {
        e = errno;
        return diag_set(err, DIAG_IO, _("cannot write '%s': %s"), af->path,
                        strerror(e));
    }
    /* what we rename must be the file we wrote */
    if (fstat(af->fd, &a) != 0 || lstat(af->tmp, &b) != 0 ||
        a.st_dev != b.st_dev || a.st_ino != b.st_ino)
        return diag_set(err, DIAG_IO,
                        _("cannot write '%s': its temporary file '%s' was "
                          "replaced or removed"),
                        af->path, af->tmp);
    int fd = af->fd;
    af->fd = -1;
    if (close(fd) != 0) {
        e = errno;
        return diag_set(err, DIAG_IO, _("cannot write '%s': %s"), af->path,
                        strerror(e));
    }
    if (rename(af->tmp, af->path) != 0) {
        e = errno;
        return diag_set(err, DIAG_IO, _("cannot write '%s': %s"), af->path,
                        strerror(e));
    }
    free(af->tmp);
    af->tmp = NULL;
    if (sync_dir_of(af->path) != 0)
        return diag_set(err, DIAG_IO, _("cannot sync the directory of '%s'"),
                        af->path);
    return 0;
}

void
atomicfile_release(struct atomicfile *af)
{
    if (af->fd >= 0 && af->tmp != NULL)
        close(af->fd);
    if (af->tmp != NULL)
        unlink(af->tmp);
    free(af->tmp);
    free(af->path);
    memset(af, 0, sizeof(*af));
    af->fd = -1;
}

int
atomicfile_put(const char *path, const void *data, size_t len, struct diag *err)
{
    struct atomicfile af;
    int rc = -1;

    if (atomicfile_open(&af, path, err) == 0 &&
        atomicfile_write(&af, data, len, err) == 0 &&
        atomicfile_commit(&af, err) == 0)
        rc = 0;
    atomicfile_release(&af);
    return rc;
}

/*** Directories ***/

/*
 * Removal and sweeping call neither malloc() nor stdio: a signal thread
 * uses them while the other threads are stopped wherever they were (a
 * malloc lock included).  Directories are read with getdents64(2).
 */
struct dirent64_raw {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

static bool
is_dots(const char *n)
{
    return n[0] == '.' && (n[1] == '\0' || (n[1] == '.' && n[2] == '\0'));
}

/*
 * How deep a tree remove_at() removes.  A LibreOffice profile, which the
 * private directory of `bulletin --docx` holds, goes 12 levels down
 * (libreoffice/4/user/config/soffice.cfg/modules/swriter/...); each level
 * takes a 4 KiB buffer of the stack.
 */
#define REMOVE_DEPTH_MAX 32

/*
 * Remove name in dirfd, recursively, never following a symlink.  Entries
 * deleted while the directory is read can make getdents skip others, so a
 * directory is read again (up to 4 passes) while it is not empty; but an
 * entry that could not be removed ends it at once: retrying would walk
 * that subtree again at every level above, 4^depth times.
 */
static int
remove_at(int dirfd, const char *name, int depth)
{
    if (unlinkat(dirfd, name, 0) == 0)
        return 0;
    if ((errno != EISDIR && errno != EPERM) || depth > REMOVE_DEPTH_MAX)
        return -1;
    for (int pass = 0; pass < 4; pass++) {
        int fd = openat(dirfd, name,
                        O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
            return -1;
        long n;
        bool stuck = false;
        char buf[4096] __attribute__((aligned(8)));
        while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
            for (long off = 0; off < n;) {
                struct dirent64_raw *d = (struct dirent64_raw *)(buf + off);
                off += d->d_reclen;
                if (!is_dots(d->d_name) &&
                    remove_at(fd, d->d_name, depth + 1) < 0 && errno != ENOENT)
                    stuck = true;
            }
        }
        close(fd);
        if (unlinkat(dirfd, name, AT_REMOVEDIR) == 0)
            return 0;
        if (stuck || (errno != ENOTEMPTY && errno != EEXIST))
            return -1;
    }
    return -1;
}

int
atomicfile_remove_tree(const char *path)
{
    return remove_at(AT_FDCWD, path, 0);
}

int
atomicdir_open(struct atomicdir *ad, const char *path, struct diag *err)
{
    memset(ad, 0, sizeof(*ad));
    if (create_tmp(path, true, &ad->tmp) < 0) {
        int e = errno;
        ad->tmp = NULL;
        return diag_set(err, DIAG_CANTCREAT,
                        _("cannot create a directory beside '%s': %s"), path,
                        strerror(e));
    }
    ad->path = xstrdup(path);
    return 0;
}

int
atomicdir_commit(struct atomicdir *ad, struct diag *err)
{
    struct stat st;
    int e;

    if (ad->tmp == NULL)
        return diag_set(err, DIAG_IO, _("cannot write '%s': not open"),
                        ad->path != NULL ? ad->path : "?");
    int fd = open(ad->tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    if (lstat(ad->path, &st) != 0) {
        if (errno != ENOENT || rename(ad->tmp, ad->path) != 0) {
            e = errno;
            return diag_set(err, DIAG_IO, _("cannot write '%s': %s"), ad->path,
                            strerror(e));
        }
        free(ad->tmp);
        ad->tmp = NULL;
        sync_dir_of(ad->path);
        return 0;
    }
    /*
     * After the exchange the temporary name holds the old set; without
     * RENAME_EXCHANGE (some file systems) the old set moves aside first,
     * and a kill between the two renames leaves no ad->path but both sets
     * under temporary names.
     */
    if (renameat2(AT_FDCWD, ad->tmp, AT_FDCWD, ad->path, RENAME_EXCHANGE) !=
        0) {
        char *aside = NULL;
        if (errno != EINVAL && errno != ENOSYS && errno != ENOTDIR) {
            e = errno;
            return diag_set(err, DIAG_IO, _("cannot replace '%s': %s"),
                            ad->path, strerror(e));
        }
        if (create_tmp(ad->path, true, &aside) < 0 ||
            rename(ad->path, aside) != 0) {
            e = errno;
            if (aside != NULL)
                rmdir(aside);
            free(aside);
            return diag_set(err, DIAG_IO, _("cannot replace '%s': %s"),
                            ad->path, strerror(e));
        }
        if (rename(ad->tmp, ad->path) != 0) {
            e = errno;
            rename(aside, ad->path);
            free(aside);
            return diag_set(err, DIAG_IO, _("cannot replace '%s': %s"),
                            ad->path, strerror(e));
        }
        free(ad->tmp);
        ad->tmp = aside;
    }
    sync_dir_of(ad->path);
    /* ad->tmp is now the old set */
    atomicfile_remove_tree(ad->tmp);
    free(ad->tmp);
    ad->tmp = NULL;
    return 0;
}

void
atomicdir_release(struct atomicdir *ad)
{
    if (ad->tmp != NULL)
        atomicfile_remove_tree(ad->tmp);
    free(ad->tmp);
    free(ad->path);
    memset(ad, 0, sizeof(*ad));
}

/*** Sweeping ***/

/*
 * The PID of a temporary name PREFIX...MARK PID.XXXXXX, or -1 when name
 * does not have that shape.
 */
static long
tmp_pid(const char *name, const char *prefix, const char *mark)
{
    size_t len = strlen(name), plen = strlen(prefix), mlen = strlen(mark);

    if (len < plen + mlen + 1 + 1 + 6 || strncmp(name, prefix, plen) != 0)
        return -1;
    if (name[len - 7] != '.')
        return -1;
    size_t end = len - 7, start = end;
    while (start > 0 && name[start - 1] >= '0' && name[start - 1] <= '9')
        start--;
    if (start == end || end - start > 9 || start < plen + mlen ||
        strncmp(name + start - mlen, mark, mlen) != 0)
        return -1;
    long pid = 0;
    for (size_t i = start; i < end; i++)
        pid = pid * 10 + (name[i] - '0');
    return pid;
}

int
atomicfile_sweep(const char *dir, const char *prefix, const char *mark,
                 int min_age_s, long pid_self)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int removed = 0;
    time_t now = time(NULL);
    long n;
    char buf[4096] __attribute__((aligned(8)));

    if (fd < 0)
        return 0;
    while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
        for (long off = 0; off < n;) {
            struct dirent64_raw *d = (struct dirent64_raw *)(buf + off);
            struct stat st;
            off += d->d_reclen;
            long pid = tmp_pid(d->d_name, prefix, mark);
            if (pid <= 0 ||
                fstatat(fd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
                st.st_uid != geteuid())
                continue;
            if (pid != pid_self) {
                if (pid <= INT_MAX &&
                    (kill((pid_t)pid, 0) == 0 || errno != ESRCH))
                    continue; /* alive, or not ours to signal: keep */
                if (now - st.st_mtime < (time_t)min_age_s)
                    continue;
            }
            if (remove_at(fd, d->d_name, 0) == 0)
                removed++;
        }
    }
    close(fd);
    return removed;
}
