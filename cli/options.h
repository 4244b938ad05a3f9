/* SPDX-License-Identifier: MIT */
/*
 * cli/options.h - the options several commands share, parsed one way, and
 * the environment the commands read.
 *
 * Every cli/cmd_*.c is "parse options, then run": its parse function lists
 * the options it accepts in a getopt_long table (the shared ones with the
 * values of enum options_id), hands the loop to options_parse() with a
 * callback for its own options, and checks what it got; its run function
 * then works from the filled-in structs alone.  The messages and exit codes
 * are those of DESIGN §5; they are part of the contract.
 *
 * Only cli/ reads the environment; what it finds is passed down as
 * parameters.  GONGJI_DB, GONGJI_DATA and GONGJI_SUMMARY_MAX are read here
 * (options_db_path, options_data_dir, options_summary_max), GONGJI_ABORT_ON_BUG
 * in main.c, GONGJI_TEMPLATES in cmd_bulletin.c and SOURCE_DATE_EPOCH for
 * ingest times in cmd_ingest.c.
 */
#ifndef CLI_OPTIONS_H
#define CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ingest/submission.h"
#include "report/queryout.h"

struct diag;
struct option;
struct period_range;
struct query;
struct refdata;
struct store;

/*
 * getopt_long values of the shared options.  -h, -j and -q are short
 * options too, so theirs are the letters.
 */
enum options_id {
    OPTIONS_HELP = 'h',
    OPTIONS_THREADS = 'j',
    OPTIONS_QUIET = 'q',
    OPTIONS_DB = 256,
    OPTIONS_ENCODING,
    OPTIONS_SHEET,
    OPTIONS_FORMAT,
    OPTIONS_PERIOD,
    OPTIONS_STRICT,
    OPTIONS_WHERE,
    OPTIONS_VINTAGE,
};

/*
 * Returned by the parse functions of this module and of the commands: the
 * options are fine, go on.  Anything else is the exit status to return at
 * once (EXIT_OK after --help, EXIT_USAGE after a usage error, both already
 * printed).
 */
#define OPTIONS_CONTINUE (-1)

/* Returned by an options_fn: not mine, one of the shared options. */
#define OPTIONS_SHARED (-2)

/* The shared options of one command line, as given. */
struct options {
    /* set by options_init(), and before parsing where noted */
    const char *cmd;   /* "query": names the command in messages */
    const char *usage; /* the --help text */
    /*
     * set before parsing, or NULL: more --help text, printed after usage
     * (C99 promises string literals of 4095 bytes, no more)
     */
    const char *usage_more;
    unsigned formats; /* set before parsing: the --format values accepted,
                         1u << OUT_x each; default table, csv and json */

    const char *db;            /* --db, or NULL: see options_db_path() */
    const char *period;        /* --period as given, or NULL */
    const char *vintage;       /* --vintage as given, or NULL */
    const char **wheres;       /* every --where, in order (array owned) */
    size_t nwhere;             /* ... how many */
    enum outfmt format;        /* --format; OUT_TABLE when not given */
    struct ingest_opts ingest; /* --encoding, --strict */
    bool quiet;                /* -q, --quiet */
    unsigned threads;          /* -j, --threads; 0 = one per CPU */
    char **operands;           /* what follows the options (borrowed argv) */
    size_t noperands;          /* ... how many */
};

/*
 * Nothing given yet, for command cmd ("query") with the --help text usage
 * (both borrowed).  options_release() frees the --where list.
 */
void options_init(struct options *o, const char *cmd, const char *usage);
void options_release(struct options *o);

/*
 * A command's own options: called with getopt_long's value c and optarg
 * (NULL for an option without a value) for every option seen, first.
 * Returns OPTIONS_CONTINUE when it took the option, OPTIONS_SHARED to leave
 * it to options_parse(), or an exit status to stop with.
 */
typedef int options_fn(int c, const char *arg, void *ctx);

/*
 * Run getopt_long over argv[0..argc) (argv[0] is the command name) with
 * shortopts (which must start with "+": options stop at the first
 * operand) and longopts.  Each option goes to fn(c, optarg, ctx) first;
 * the shared ones it leaves fill o: --help prints o->usage on stdout and
 * returns EXIT_OK; a bad value of a shared option, an unknown option or a
 * short option without its value prints a usage error and returns
 * EXIT_USAGE.  Otherwise sets o->operands and returns OPTIONS_CONTINUE.
 */
int options_parse(struct options *o, int argc, char **argv,
                  const char *shortopts, const struct option *longopts,
                  options_fn *fn, void *ctx);

/* "unexpected argument 'X'" unless there are no operands. */
int options_no_operands(const struct options *o);

/* "WHAT is required" unless given. */
int options_require(const struct options *o, bool given, const char *what);

/* Parse o->period (not NULL) as a range of months into *out. */
int options_period_range(const struct options *o, struct period_range *out);

/*
 * Parse --threads N (1..DETAIL_MAX_THREADS) into *out: 0, or -1 when s is
 * not such a number.
 */
int options_parse_threads(const char *s, unsigned *out);

/*
 * Add every --where to q, with values looked up in rd: 0, or -1 with err
 * filled in (DIAG_USAGE for a bad dimension or value).
 */
int options_add_wheres(const struct options *o, struct query *q,
                       const struct refdata *rd, struct diag *err);

/*
 * --province P (a code, full or short name) as a province code into *code
 * (0 when arg is NULL): OPTIONS_CONTINUE, or EXIT_USAGE after the message.
 */
int options_province(const char *cmd, const char *arg, const struct refdata *rd,
                     int *code);

/*
 * Apply --vintage (when given) to st: the store as it stood at a time or
 * a recorded release (README "Vintages"):
 *
 *   YYYY-MM-DD                 the end of that day, 北京时间 (UTC+8)
 *   YYYY-MM-DD[T ]HH:MM[:SS]   that time, 北京时间
 *   YYYY-MM-DDTHH:MM[:SS]Z     that time, UTC (as `submissions` shows)
 *   release:N                  the data release N used (`gongji releases`)
 *   release:YYYY-MM            ... of the last national release of a month
 *
 * Tells on stderr which submission the vintage ends with, unless quiet.
 * 0, or -1 with err set: DIAG_USAGE for a value of none of these forms
 * or an unknown release, DIAG_NOINPUT when nothing was stored by then.
 */
int options_apply_vintage(const struct options *o, struct store *st,
                          struct diag *err);

/*
 * The same forms for option opt ("--since") with value v: the last
 * submission then into *sub (0: nothing stored yet), the last release
 * readers then saw into *cut, and what it was into what ("release 4",
 * "2024-12-26T15:59:59Z").  0, or -1 (DIAG_USAGE, DIAG_DATA).
 */
int options_resolve_vintage(const char *opt, const char *v, struct store *st,
                            int64_t *sub, int64_t *cut, char *what, size_t wlen,
                            struct diag *err);

/*
 * The store: --db, else $GONGJI_DB when set and not empty, else
 * "gongji.db".  Borrowed (argv, the environment or a literal).
 */
const char *options_db_path(const struct options *o);

/*
 * The reference-data directory: refdata_default_dir() given $GONGJI_DATA.
 * Borrowed.
 */
const char *options_data_dir(void);

/*
 * $GONGJI_SUMMARY_MAX, the most bytes of a summary file (input_opts'
 * summary_max): a number of bytes, or of KiB, MiB or GiB with K, M or G
 * after it ("512M").  *out is 0 (the default) when it is unset or empty.
 * Returns 0, or -1 when it is set to anything else.
 */
int options_summary_max(size_t *out);

#endif /* CLI_OPTIONS_H */
