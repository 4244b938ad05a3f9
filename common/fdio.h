/* SPDX-License-Identifier: MIT */
/*
 * common/fdio.h - reading a file descriptor to the end of what is asked.
 */
#ifndef COMMON_FDIO_H
#define COMMON_FDIO_H

#include <stddef.h>

#include <sys/types.h>

/*
 * Read from fd until len bytes are in buf or the input ends (a pipe may
 * hand over less at a time; EINTR is retried).  Returns the bytes read
 * (less than len only at the end), or -1 with errno set.
 */
ssize_t fdio_read_full(int fd, char *buf, size_t len);

#endif /* COMMON_FDIO_H */
