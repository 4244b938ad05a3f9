/* SPDX-License-Identifier: MIT */
#include "common/exepath.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <unistd.h>

bool
exepath_find(const char *sub, const char *probe, char *out, size_t outsz)
{
    char exe[PATH_MAX], path[PATH_MAX];
    /*
     * The kernel gives the executable's path with symbolic links resolved,
     * so taking the parent by text is the same as following "..".
     */
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe));

    if (n <= 0 || (size_t)n >= sizeof(exe))
        return false;
    exe[n] = '\0';
    /* drop the file name, then try ../SUB and ../../SUB */
    for (int up = 0; up < 3; up++) {
        char *slash = strrchr(exe, '/');
        if (slash == NULL)
            return false;
        *slash = '\0';
        if (up == 0)
            continue;
        int m = snprintf(path, sizeof(path), "%s/%s/%s", exe, sub, probe);
        if (m < 0 || (size_t)m >= sizeof(path) || access(path, R_OK) != 0)
            continue;
        m = snprintf(out, outsz, "%s/%s", exe, sub);
        return m >= 0 && (size_t)m < outsz;
    }
    return false;
}
