/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/fuzz_common.c - see fuzz_common.h.
 */
#define _GNU_SOURCE /* memfd_create */
#include "tests/fuzz/fuzz_common.h"

#include <stdio.h>
#include <stdlib.h>

#include <sys/mman.h>
#include <unistd.h>

#include "common/diag.h"
#include "common/exepath.h"
#include "ingest/refdata.h"

static struct refdata *loaded;

const struct refdata *
fuzz_refdata(void)
{
    char dir[4096];
    struct diag err;

    if (loaded != NULL)
        return loaded;
    diag_set_abort_on_bug(true);
    const char *env = getenv("GONGJI_DATA");
    if (env != NULL && *env != '\0')
        snprintf(dir, sizeof(dir), "%s", env);
    else if (!exepath_find("data", "provinces.csv", dir, sizeof(dir))) {
        fprintf(stderr, "fuzz: no data/ beside the binary; set GONGJI_DATA\n");
        abort();
    }
    diag_clear(&err);
    loaded = refdata_load(dir, &err);
    if (loaded == NULL) {
        diag_print(stderr, &err);
        abort();
    }
    return loaded;
}

static void
write_all(int fd, const uint8_t *data, size_t size)
{
    while (size > 0) {
        ssize_t n = write(fd, data, size);
        if (n <= 0) {
            perror("fuzz: write");
            abort();
        }
        data += n;
        size -= (size_t)n;
    }
}

int
fuzz_memfd(const uint8_t *data, size_t size)
{
    int fd = memfd_create("fuzz", MFD_CLOEXEC);
    if (fd < 0) {
        perror("fuzz: memfd_create");
        abort();
    }
    write_all(fd, data, size);
    if (lseek(fd, 0, SEEK_SET) != 0) {
        perror("fuzz: lseek");
        abort();
    }
    return fd;
}

int
fuzz_pipe(const uint8_t *data, size_t size)
{
    int fds[2];

    if (size > 65536)
        return -1;
    if (pipe(fds) != 0) {
        perror("fuzz: pipe");
        abort();
    }
    write_all(fds[1], data, size);
    close(fds[1]);
    return fds[0];
}
