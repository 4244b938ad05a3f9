/* SPDX-License-Identifier: MIT */
/*
 * cli/cli.h - what the subcommands share: exit codes and messages (the
 * shared options and the environment are cli/options.h).
 *
 * Only cli/ prints to the user and chooses exit codes (DESIGN §5):
 * 0 success, 1 input data rejected, 2 usage error, 3 environment or I/O.
 */
#ifndef CLI_CLI_H
#define CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "common/diag.h"

enum {
    EXIT_OK = 0,
    EXIT_DATA = 1,
    EXIT_USAGE = 2,
    EXIT_ENV = 3,
};

/* The exit status for a problem of this kind. */
int cli_exit_code(enum diag_code code);

/*
 * Print "gongji CMD: error: ..." and "try 'gongji CMD --help'" to stderr;
 * returns EXIT_USAGE.
 */
int cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * fputs(s, stdout), remembering errno if the write fails: stdio drops its
 * buffer and the error's cause on a failed write, and the check of
 * standard output at exit then reports that cause.
 */
void cli_puts(const char *s);

/* Print d (with a "gongji CMD: " prefix when it has no file) and return
 * its exit code. */
int cli_fail(const char *cmd, const struct diag *d);

/*
 * Print the last line of a run that rejected files: "gongji CMD: NBAD of N
 * WHAT rejected: a.csv, b.csv; TAIL" naming every file whose rejected[i]
 * is set among paths[0..n) (the first CLI_REJECTED_NAMES of them, then "and
 * K more"); TAIL (may be NULL) after a "; ".
 */
#define CLI_REJECTED_NAMES 20
void cli_print_rejected(const char *cmd, char *const *paths,
                        const bool *rejected, size_t n, const char *what,
                        const char *tail);

/* True when stderr is a terminal and --quiet was not given. */
bool cli_progress_wanted(bool quiet);

/* The program's version string. */
extern const char cli_version[];

int cmd_ingest(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_query(int argc, char **argv);
int cmd_submissions(int argc, char **argv);
int cmd_bulletin(int argc, char **argv);
int cmd_chart(int argc, char **argv);
int cmd_revisions(int argc, char **argv);
int cmd_releases(int argc, char **argv);
int cmd_review(int argc, char **argv);

/* Issue 5 hook: per-settlement detail files (cli/cmd_aggregate.c). */
int cmd_aggregate(int argc, char **argv);

struct diag_list;
struct ingest_opts;
struct input_opts;
struct refdata;
struct submission;

/*
 * Read and validate one input (a path or "-") with input_read()
 * (ingest/input.h), with a progress line for detail files on a terminal
 * unless quiet.  Defined in cli/read.c.
 */
int cli_read(struct submission *sf, const char *path,
             const struct input_opts *o, bool quiet, const struct refdata *rd,
             struct diag_list *dl);

/*
 * The same for ingest and check: detail files hashed, stdin one file.
 */
int cli_read_input(struct submission *sf, const char *path,
                   const struct ingest_opts *opts, const struct refdata *rd,
                   struct diag_list *dl, bool quiet);

#endif /* CLI_CLI_H */
