/* SPDX-License-Identifier: MIT */
/*
 * common/exepath.h - find a directory that ships beside the executable.
 *
 * A binary run from the build tree (build/gongji, build/san/gongji) uses the
 * tree's data/ and templates/; an installed one falls back to the share
 * directory its caller knows.
 */
#ifndef COMMON_EXEPATH_H
#define COMMON_EXEPATH_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Look for ../SUB and ../../SUB beside the running executable that hold the
 * file PROBE.  On success write that directory into out (size outsz) and
 * return true.
 */
bool exepath_find(const char *sub, const char *probe, char *out, size_t outsz);

#endif /* COMMON_EXEPATH_H */
