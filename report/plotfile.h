/* SPDX-License-Identifier: MIT */
/*
 * report/plotfile.h - the file chores of drawing a chart: data files in the
 * private directory, the PDF's date, and installing results where the
 * caller asked for them.
 */
#ifndef REPORT_PLOTFILE_H
#define REPORT_PLOTFILE_H

#include <stdbool.h>
#include <stdio.h>

#include "common/period.h"

struct chartdata;
struct diag;

/* True when path is a regular file with something in it. */
bool plotfile_nonempty(const char *path);

/*
 * Copy src to dst as a common/atomicfile.h file (exclusively created
 * temporary name beside dst, fsync, rename), so a failed run leaves no
 * half file and a symlink at dst is replaced, never written through.
 * Returns 0, or -1 with err set (DIAG_IO, DIAG_CANTCREAT); the temporary
 * file is removed on failure.
 */
int plotfile_install(const char *src, const char *dst, struct diag *err);

/* A data-file writer of report/chartfile.h. */
typedef int plotfile_write_fn(FILE *fp, const struct chartdata *cd);

/*
 * Create path and fill it with fn.  Returns 0, or -1 with err set
 * (DIAG_CANTCREAT, or DIAG_IO when fn or closing fails).
 */
int plotfile_write_data(const char *path, plotfile_write_fn *fn,
                        const struct chartdata *cd, struct diag *err);

/*
 * Set the CreationDate of the PDF at path to the Unix time `created`, or,
 * when that is -1, to midnight of the last day of the month `last`.
 * Returns 0, or -1 with err set (DIAG_IO).
 */
int plotfile_fix_pdf_date(const char *path, long long created,
                          struct period last, struct diag *err);

/*
 * Create dir and its missing parents (mode 0777 before the umask).
 * Returns 0, or -1 with err set (DIAG_CANTCREAT) when a part cannot be
 * made or dir is not a directory in the end.
 */
int plotfile_mkdir_p(const char *dir, struct diag *err);

#endif /* REPORT_PLOTFILE_H */
