/* SPDX-License-Identifier: MIT */
/*
 * ingest/summary.h - read and validate one monthly summary file (DESIGN §3).
 *
 * The whole file is read, hashed (SHA-256 of the raw bytes: the identity of
 * a submission), decoded to UTF-8, parsed, and every row validated.  Every
 * problem is collected with FILE:LINE:COL; a file with any error yields no
 * records the caller may store.
 */
#ifndef INGEST_SUMMARY_H
#define INGEST_SUMMARY_H

#include <stddef.h>

#include "ingest/submission.h"

struct diag_list;
struct refdata;

/*
 * Validate a summary file's bytes, buf[0..len) (ingest/input.h reads
 * them).  Returns 0 when the file has no errors (warnings may have been
 * added to dl), -1 otherwise.  `path` names it in messages.
 */
int summary_parse(struct submission *sf, const char *path, const char *buf,
                  size_t len, const struct ingest_opts *opts,
                  const struct refdata *rd, struct diag_list *dl);

#endif /* INGEST_SUMMARY_H */
