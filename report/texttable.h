/* SPDX-License-Identifier: MIT */
/*
 * report/texttable.h - a plain-text table for the terminal, with columns
 * aligned by display width (CJK characters take two columns).
 */
#ifndef REPORT_TEXTTABLE_H
#define REPORT_TEXTTABLE_H

#include <stddef.h>
#include <stdio.h>

struct texttable;

enum tt_align { TT_LEFT, TT_RIGHT };

/* A table with ncols columns; free with texttable_free(). */
struct texttable *texttable_new(size_t ncols);
void texttable_free(struct texttable *t);

/* Column c's heading and alignment. */
void texttable_set_header(struct texttable *t, size_t c, const char *text,
                          enum tt_align align);

/*
 * Start a new row; then set its cells (copied). Unset cells are empty.
 * Headings and cells are stored as diag_printable_dup() makes them: a
 * control character in a file name or a table's name is shown as "\x1b",
 * never sent to the terminal.
 */
void texttable_add_row(struct texttable *t);
void texttable_set(struct texttable *t, size_t c, const char *text);
/* A rule line before the next row (e.g. before a 合计 row). */
void texttable_add_rule(struct texttable *t);

/* Print header, a rule, and rows, columns two spaces apart. */
void texttable_print(const struct texttable *t, FILE *fp);

#endif /* REPORT_TEXTTABLE_H */
