/* SPDX-License-Identifier: MIT */
/*
 * common/diag.h - problems found in input, and how they are reported.
 *
 * A diagnostic is about the user's input (file, line, column), never about
 * our source code; BUG() is for our own mistakes.  Functions that can fail
 * return int (0 or -1) and take `struct diag *err` last; diag_set() returns
 * -1 so that `return diag_set(err, ...);` reads naturally.
 *
 * Validation does not stop at the first problem: it appends to a
 * `struct diag_list`, which keeps every error (up to a generous cap) and the
 * first DIAG_LIST_KEEP warnings, counts the rest, and prints repeated
 * problems once each with their line ranges, so one run reports every bad
 * row and no error is ever hidden behind warnings.
 */
#ifndef COMMON_DIAG_H
#define COMMON_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum diag_code {
    DIAG_OK = 0,
    DIAG_USAGE,     /* bad subcommand, option or option value */
    DIAG_NOINPUT,   /* input missing or unreadable */
    DIAG_FORMAT,    /* CSV syntax, encoding, header */
    DIAG_DATA,      /* a field or a row failed validation */
    DIAG_CONFIG,    /* bad template or reference table shipped with us */
    DIAG_CANTCREAT, /* cannot create an output */
    DIAG_IO,        /* read/write/database failure midway */
    DIAG_EXTERNAL,  /* a helper program is missing or failed */
};

enum diag_severity { DIAG_ERROR = 0, DIAG_WARNING };

struct diag {
    enum diag_code code;
    enum diag_severity severity;
    const char *file;   /* borrowed; input path, or NULL */
    unsigned long line; /* 1-based physical line, 0 = not applicable */
    unsigned long col;  /* 1-based column (CSV field), 0 = not applicable */
    char msg[320];      /* one line, lowercase start, no final full stop */
};

/* Reset d to "no problem". */
void diag_clear(struct diag *d);

/*
 * Fill d with an error of the given code and message; location fields are
 * left as they are (set them before or after).  Returns -1.
 */
int diag_set(struct diag *d, enum diag_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int diag_vset(struct diag *d, enum diag_code code, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* Print "file:line:col: error: msg" (unknown parts omitted) and a newline. */
void diag_print(FILE *fp, const struct diag *d);

/*
 * How many problems a list keeps one by one (items[]): every error up to
 * DIAG_LIST_KEEP_ERRORS, and besides them the first DIAG_LIST_KEEP warnings.
 * A warning never takes an error's place.
 */
#define DIAG_LIST_KEEP        100
#define DIAG_LIST_KEEP_ERRORS 10000

/*
 * Printing groups the problems.  The same problem (same file, severity,
 * column and message text) on many rows prints once, at its first line, with
 * its count and line ranges (at most DIAG_GROUP_RANGES of them shown), as
 * "FILE:LINE:COL: warning: message [column D '统筹区编码'; 47 rows: lines
 * 12-40,77,80-95]".  A
 * message that quotes a value ('330150') is one problem per value; of one
 * kind of message (the text with every quoted value taken out, in one file
 * and column) the first DIAG_GROUP_PER_KIND warning values (errors:
 * DIAG_GROUP_PER_KIND_ERRORS) print as their own groups and the other rows
 * are summed up in one line "N more row(s) with other values: ...".
 */
#define DIAG_GROUP_RANGES          10
#define DIAG_GROUP_PER_KIND        10
#define DIAG_GROUP_PER_KIND_ERRORS 100

struct diag_groups; /* private to common/diaggroup.c */

struct diag_list {
    struct diag *items; /* kept problems, in order (see DIAG_LIST_KEEP) */
    size_t nr, alloc;
    size_t errors;   /* all errors seen, kept or not */
    size_t warnings; /* all warnings seen, kept or not */
    size_t kept_warnings;
    struct diag_groups *groups; /* what diag_list_print() prints */
};

#define DIAG_LIST_INIT                                                         \
    {                                                                          \
        NULL, 0, 0, 0, 0, 0, NULL                                              \
    }

void diag_list_init(struct diag_list *l);
void diag_list_release(struct diag_list *l);

/* Append a copy of d, counting it by severity. */
void diag_list_add(struct diag_list *l, const struct diag *d);

/*
 * Append a problem at file:line:col.  Returns -1 for errors, 0 for warnings,
 * so validators can `return diag_list_addf(...)` for errors.
 */
int diag_list_addf(struct diag_list *l, enum diag_severity sev,
                   enum diag_code code, const char *file, unsigned long line,
                   unsigned long col, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/*
 * Name column col (1-based) of file (borrowed, compared as a string) after
 * the file's own header text s[0..len) (copied).  The messages of that file
 * at that column then print as "FILE:LINE:COL: error: message [column G
 * 'header']"; without a name as "message [column G]".
 */
void diag_list_name_column(struct diag_list *l, const char *file,
                           unsigned long col, const char *s, size_t len);

/*
 * Print the problems grouped (see DIAG_GROUP_RANGES), errors and warnings
 * together in the order each group first occurred; then "... and N more
 * problem(s) not shown" for problems counted but never added one by one.
 * Every line keeps the "FILE:LINE:COL: " prefix of its first occurrence.
 */
void diag_list_print(FILE *fp, const struct diag_list *l);

/* The Excel letters of column col (1 = A, 27 = AA) into out; returns out. */
char *diag_col_letters(char *out, size_t outsz, unsigned long col);

/*
 * A hint for a value a field did not accept, as "; ..." to append to its
 * message, or "" when no common cause shows in s[0..len): an invisible
 * character (U+3000, U+00A0, U+200B, ...), full-width characters, a number
 * in scientific notation (Excel's narrow column), and with DIAG_HINT_DATE
 * an Excel date serial ("45536 is 2024-09-01").  Returns out.
 */
enum diag_hint_flags { DIAG_HINT_DATE = 1 << 0 };
const char *diag_hint(char *out, size_t outsz, const char *s, size_t len,
                      unsigned flags);

/*
 * Whether bytes that are neither UTF-8 nor GB18030 look like Windows-1252
 * (or Latin-1) text: every byte above 0x7F stands alone between ASCII
 * bytes, as the accented letters and curly quotes of such a file do.
 */
bool diag_looks_cp1252(const char *buf, size_t len);

/*
 * The code of the first kept error; DIAG_DATA when errors were counted but
 * none was kept (the list was full of warnings); DIAG_OK when there was no
 * error at all.
 */
enum diag_code diag_list_first_code(const struct diag_list *l);

/*
 * Our own bug: prints "BUG: file:line: msg" and exits 3, or aborts (for a
 * core dump) after diag_set_abort_on_bug(true).
 */
#define BUG(...) bug_at(__FILE__, __LINE__, __VA_ARGS__)
_Noreturn void bug_at(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Whether BUG() aborts instead of exiting 3.  Off by default; cli/main.c
 * turns it on when GONGJI_ABORT_ON_BUG is set.  Call it before any thread
 * starts.
 */
void diag_set_abort_on_bug(bool on);

/*
 * Put `s[0..len)` into out (size outsz) as a quoted, printable excerpt for a
 * message: control characters and bytes that are not valid UTF-8 become '?',
 * anything past 40 bytes becomes "...", and a UTF-8 sequence is never cut in
 * half.  A run of DIAG_ID_RUN_MIN or more ASCII digits (a final X or x
 * counted) is ID-shaped and is shown masked as diag_mask_ids() does, whatever
 * field it came from and wherever the 40-byte cut falls.  Returns out.
 */
char *diag_quote(char *out, size_t outsz, const char *s, size_t len);

/*
 * Personal IDs are never printed in full (DESIGN §3b).  A resident ID is 18
 * characters (17 digits and a digit or X), the older one 15 digits; any run
 * of at least 15 ASCII digits, with an X or x right after it counted, is
 * treated as one.  Nothing else in a message is that long: pooling-area
 * codes have 6 digits, dates 8, and an amount that long is rejected anyway.
 */
#define DIAG_ID_RUN_MIN 15

/*
 * Mask in place every ID-shaped run in s[0..len): all but its first three
 * and last two characters become '*' ("110*************34", the length
 * kept).  Returns the number of runs masked.
 */
size_t diag_mask_ids(char *s, size_t len);

/*
 * Write s[0..len) to fp with every control character (C0, DEL, C1) and
 * every byte that is not part of valid UTF-8 shown as "\xHH" (one escape
 * per byte; ESC is "\x1b", a newline "\x0a"), so that text from a file or
 * a file name can never move the cursor, change colours or start a new
 * line on the terminal.  Everything else, Chinese included, is unchanged.
 */
void diag_fput_printable(FILE *fp, const char *s, size_t len);

/* The same text as diag_fput_printable() writes, as a string (free()). */
char *diag_printable_dup(const char *s);

#endif /* COMMON_DIAG_H */
