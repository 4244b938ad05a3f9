/* SPDX-License-Identifier: MIT */
#include "common/fdio.h"

#include <errno.h>

#include <unistd.h>

ssize_t
fdio_read_full(int fd, char *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = read(fd, buf + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}
