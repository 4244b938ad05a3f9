/* SPDX-License-Identifier: MIT */
/*
 * cli/main.c - the gongji command: dispatch to subcommands (git's table).
 */
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "cli/cli.h"
#include "common/exepath.h"
#include "common/i18n.h"

#ifndef GONGJI_LOCALEDIR
#define GONGJI_LOCALEDIR "/usr/local/share/locale"
#endif

const char cli_version[] = "0.1.0";

struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *help;
};

static const struct command commands[] = {
    {"ingest", cmd_ingest,
     N_("validate files and store them (replacing earlier "
        "versions)")},
    {"check", cmd_check, N_("validate files only; store nothing")},
    {"submissions", cmd_submissions,
     N_("what is stored, and from which files")},
    {"query", cmd_query, N_("person-times and amounts by any dimensions")},
    {"chart", cmd_chart,
     N_("one press chart (PNG, SVG or PDF) from the store")},
    /* Issue 5 hook: detail files and partial results (cmd_aggregate.c). */
    {"aggregate", cmd_aggregate,
     N_("sum detail and/or summary files into one summary file")},
    {"review", cmd_review,
     N_("findings to check before a release (exit status by "
        "severity)")},
    {"bulletin", cmd_bulletin,
     N_("the monthly release: text, web page, workbook, charts")},
    {"releases", cmd_releases, N_("the releases recorded in the store")},
    {"revisions", cmd_revisions,
     N_("what changed since a release, by province-month")},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

/* The command whose output check_output() reports on ("" for gongji's own). */
static const char *output_cmd = "";

/* errno of the first failed cli_puts(), or 0 */
static int stdout_errno;

void
cli_puts(const char *s)
{
    errno = 0;
    if (fputs(s, stdout) == EOF && stdout_errno == 0)
        stdout_errno = errno;
}

/*
 * At exit: standard output must have reached its file.  A failed write
 * (a full disk, an I/O error) is exit status 3 with a message, whatever the
 * command returned (git's and coreutils' close_stdout).  A reader that
 * closed the pipe (| head) kills us with SIGPIPE before we get here, as it
 * does every Unix filter; only with SIGPIPE ignored by the parent does
 * EPIPE end here, as an error.  The file written before stdout (the store,
 * bulletin files) stays written.
 */
static void
check_output(void)
{
    bool failed = ferror(stdout) != 0;

    errno = 0;
    if (fclose(stdout) != 0 && !(errno == EBADF && !failed))
        failed = true;
    if (!failed)
        return;
    int e = errno != 0 ? errno : stdout_errno;
    fprintf(stderr, "gongji%s%s: error: %s%s%s\n", *output_cmd ? " " : "",
            output_cmd, _("cannot write the output"), e ? ": " : "",
            e ? strerror(e) : "");
    _exit(EXIT_ENV);
}

/* Check standard output at exit on behalf of the command NAME. */
static void
check_output_at_exit(const char *name)
{
    for (size_t i = 0; name != NULL && i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            output_cmd = name;
    if (atexit(check_output) != 0)
        BUG("atexit");
}

static void
usage(FILE *fp)
{
    fputs(_("usage: gongji COMMAND [OPTIONS] [ARGS]\n"
            "\n"
            "gongji (共济) turns the provinces' monthly records on employee\n"
            "medical-insurance personal-account family sharing into exact\n"
            "figures: ingest CSV files into a SQLite store, then query.\n"
            "\n"
            "Commands:\n"),
          fp);
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(fp, "  %-12s %s\n", commands[i].name, _(commands[i].help));
    fputs(_("\n"
            "Run 'gongji COMMAND --help' for a command's options.\n"
            "\n"
            "Store: --db FILE, else $GONGJI_DB, else ./gongji.db.\n"
            "Exit status: 0 success; 1 input data rejected (or a check "
            "failed);\n"
            "2 usage error; 3 environment or I/O failure.\n"),
          fp);
}

int
cli_exit_code(enum diag_code code)
{
    switch (code) {
    case DIAG_OK:
        return EXIT_OK;
    case DIAG_FORMAT:
    case DIAG_DATA:
        return EXIT_DATA;
    case DIAG_USAGE:
        return EXIT_USAGE;
    case DIAG_NOINPUT:
    case DIAG_CONFIG:
    case DIAG_CANTCREAT:
    case DIAG_IO:
    case DIAG_EXTERNAL:
        return EXIT_ENV;
    }
    return EXIT_ENV;
}

int
cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;

    char msg[512];

    fprintf(stderr, "gongji %s: error: ", cmd);
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    /* the message quotes the user's arguments: no raw control characters */
    diag_fput_printable(stderr, msg, strlen(msg));
    fprintf(stderr, _("\ntry 'gongji %s --help'\n"), cmd);
    return EXIT_USAGE;
}

int
cli_fail(const char *cmd, const struct diag *d)
{
    if (d->file == NULL)
        fprintf(stderr, "gongji %s: ", cmd);
    diag_print(stderr, d);
    if (d->code == DIAG_USAGE)
        fprintf(stderr, _("try 'gongji %s --help'\n"), cmd);
    return cli_exit_code(d->code);
}

void
cli_print_rejected(const char *cmd, char *const *paths, const bool *rejected,
                   size_t n, const char *what, const char *tail)
{
    size_t nbad = 0, shown = 0;
    for (size_t i = 0; i < n; i++)
        nbad += rejected[i];
    fprintf(stderr, _("gongji %s: %zu of %zu %s rejected"), cmd, nbad, n, what);
    for (size_t i = 0; i < n && shown < CLI_REJECTED_NAMES; i++) {
        if (!rejected[i])
            continue;
        const char *p = strcmp(paths[i], "-") == 0 ? "<stdin>" : paths[i];
        fputs(shown++ ? ", " : ": ", stderr);
        diag_fput_printable(stderr, p, strlen(p));
    }
    if (nbad > shown)
        fprintf(stderr, _(" and %zu more"), nbad - shown);
    if (tail != NULL)
        fprintf(stderr, "; %s", tail);
    fputc('\n', stderr);
}

bool
cli_progress_wanted(bool quiet)
{
    return !quiet && isatty(STDERR_FILENO);
}

/*
 * Messages in the user's language (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), but
 * numbers always in the C locale: amounts print and parse with a decimal
 * point whatever LC_NUMERIC says.  A binary run from the build tree uses the
 * tree's build/locale (compiled by make), an installed one LOCALEDIR.
 */
static void
setup_locale(void)
{
    char dir[PATH_MAX];

    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C");
    if (!exepath_find("build/locale", "zh_CN/LC_MESSAGES/gongji.mo", dir,
                      sizeof(dir)))
        snprintf(dir, sizeof(dir), "%s", GONGJI_LOCALEDIR);
    bindtextdomain(GONGJI_TEXTDOMAIN, dir);
    bind_textdomain_codeset(GONGJI_TEXTDOMAIN, "UTF-8");
    textdomain(GONGJI_TEXTDOMAIN);
}

int
main(int argc, char **argv)
{
    setup_locale();
    /* GONGJI_ABORT_ON_BUG: BUG() aborts, for a core dump (common/diag.h) */
    diag_set_abort_on_bug(getenv("GONGJI_ABORT_ON_BUG") != NULL);
    check_output_at_exit(argc > 1 ? argv[1] : NULL);
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 ||
        strcmp(name, "help") == 0) {
        if (argc > 2 && strcmp(name, "help") == 0) {
            static char help_arg[] = "--help";
            char *sub[] = {argv[2], help_arg, NULL};
            for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
                if (strcmp(commands[i].name, argv[2]) == 0)
                    return commands[i].fn(2, sub);
        }
        usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(name, "--version") == 0) {
        printf("gongji %s\n", cli_version);
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(commands[i].name, name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    char q[96];
    fprintf(stderr, _("gongji: error: %s is not a gongji command\n"),
            diag_quote(q, sizeof(q), name, strlen(name)));
    fprintf(stderr, _("try 'gongji --help'\n"));
    return EXIT_USAGE;
}
