/* SPDX-License-Identifier: MIT */
/* _GNU_SOURCE: memmem.  Everything else is POSIX. */
#define _GNU_SOURCE
#include "report/plotfile.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "common/atomicfile.h"
#include "common/diag.h"
#include "common/i18n.h"
#include "common/sbuf.h"

bool
plotfile_nonempty(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
}

int
plotfile_install(const char *src, const char *dst, struct diag *err)
{
    struct atomicfile af = ATOMICFILE_INIT;
    char buf[65536];
    int in = -1, ret = -1;

    in = open(src, O_RDONLY | O_CLOEXEC);
    if (in < 0) {
        int e = errno;
        return diag_set(err, DIAG_IO, _("cannot read '%s': %s"), src,
                        strerror(e));
    }
    if (atomicfile_open(&af, dst, err) < 0)
        goto out;
    for (;;) {
        ssize_t r = read(in, buf, sizeof(buf));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            diag_set(err, DIAG_IO, _("cannot read '%s': %s"), src, strerror(e));
            goto out;
        }
        if (r == 0)
            break;
        if (atomicfile_write(&af, buf, (size_t)r, err) < 0)
            goto out;
    }
    ret = atomicfile_commit(&af, err);
out:
    close(in);
    atomicfile_release(&af);
    return ret;
}

int
plotfile_write_data(const char *path, plotfile_write_fn *fn,
                    const struct chartdata *cd, struct diag *err)
{
    FILE *fp = fopen(path, "wb");
    if (fp == NULL) {
        int e = errno;
        return diag_set(err, DIAG_CANTCREAT, _("cannot create '%s': %s"), path,
                        strerror(e));
    }
    int rc = fn(fp, cd);
    if (fclose(fp) != 0 || rc < 0)
        return diag_set(err, DIAG_IO, _("cannot write '%s'"), path);
    return 0;
}

/*
 * cairo 1.16 stamps the PDF with the time of the run and ignores
 * SOURCE_DATE_EPOCH; overwrite the 14 digits in place (same length, so the
 * cross-reference offsets stay right).
 */
int
plotfile_fix_pdf_date(const char *path, long long created, struct period last,
                      struct diag *err)
{
    static const char key[] = "/CreationDate (D:";
    char stamp[32];
    FILE *fp = fopen(path, "r+b");
    int ret = -1;

    if (created >= 0) {
        time_t t = (time_t)created;
        struct tm tm;
        if (gmtime_r(&t, &tm) == NULL ||
            strftime(stamp, sizeof(stamp), "%Y%m%d%H%M%S", &tm) != 14)
            snprintf(stamp, sizeof(stamp), "19700101000000");
    } else {
        snprintf(stamp, sizeof(stamp), "%08d000000", period_month_end(last));
    }
    if (fp == NULL) {
        int e = errno;
        return diag_set(err, DIAG_IO, _("cannot open '%s': %s"), path,
                        strerror(e));
    }
    struct sbuf sb = SBUF_INIT;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
        sbuf_add(&sb, buf, n);
    if (ferror(fp)) {
        diag_set(err, DIAG_IO, _("cannot read '%s'"), path);
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
                diag_set(err, DIAG_IO, _("cannot write '%s'"), path);
                goto out;
            }
        }
    }
    ret = 0;
out:
    if (fclose(fp) != 0 && ret == 0)
        ret = diag_set(err, DIAG_IO, _("cannot write '%s'"), path);
    sbuf_release(&sb);
    return ret;
}

int
plotfile_mkdir_p(const char *dir, struct diag *err)
{
    char path[PATH_MAX];
    size_t len = strlen(dir);

    if (len == 0 || len >= sizeof(path))
        return diag_set(err, DIAG_CANTCREAT, _("bad output directory '%s'"),
                        dir);
    memcpy(path, dir, len + 1);
    for (size_t i = 1; i <= len; i++) {
        if (path[i] != '/' && path[i] != '\0')
            continue;
        char c = path[i];
        path[i] = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST) {
            int e = errno;
            return diag_set(err, DIAG_CANTCREAT, _("cannot create '%s': %s"),
                            path, strerror(e));
        }
        path[i] = c;
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return diag_set(err, DIAG_CANTCREAT, _("'%s' is not a directory"), dir);
    return 0;
}
