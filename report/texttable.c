/* SPDX-License-Identifier: MIT */
#include "report/texttable.h"

#include <stdlib.h>
#include <string.h>

#include "common/diag.h"
#include "common/utf8.h"
#include "common/xalloc.h"

struct texttable {
    size_t ncols;
    char **header;
    enum tt_align *align;
    char **cells; /* nrows * ncols; NULL cell = empty; NULL row = rule */
    size_t nrows, alloc;
    unsigned char *rule; /* per row: 1 = rule line */
};

struct texttable *
texttable_new(size_t ncols)
{
    struct texttable *t = xcalloc(1, sizeof(*t));
    t->ncols = ncols;
    t->header = xcalloc(ncols, sizeof(*t->header));
    t->align = xcalloc(ncols, sizeof(*t->align));
    return t;
}

void
texttable_free(struct texttable *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->ncols; i++)
        free(t->header[i]);
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->header);
    free(t->align);
    free(t->cells);
    free(t->rule);
    free(t);
}

void
texttable_set_header(struct texttable *t, size_t c, const char *text,
                     enum tt_align align)
{
    free(t->header[c]);
    t->header[c] = diag_printable_dup(text);
    t->align[c] = align;
}

static void
push_row(struct texttable *t, unsigned char rule)
{
    if (t->nrows == t->alloc) {
        t->alloc = t->alloc ? 2 * t->alloc : 32;
        t->cells =
            xreallocarray(t->cells, t->alloc * t->ncols, sizeof(*t->cells));
        t->rule = xreallocarray(t->rule, t->alloc, 1);
    }
    memset(&t->cells[t->nrows * t->ncols], 0, t->ncols * sizeof(*t->cells));
    t->rule[t->nrows++] = rule;
}

void
texttable_add_row(struct texttable *t)
{
    push_row(t, 0);
}

void
texttable_add_rule(struct texttable *t)
{
    push_row(t, 1);
}

void
texttable_set(struct texttable *t, size_t c, const char *text)
{
    char **cell = &t->cells[(t->nrows - 1) * t->ncols + c];
    free(*cell);
    /* cells hold file names and names from tables: never raw controls */
    *cell = diag_printable_dup(text);
}

static void
pad(FILE *fp, size_t n)
{
    while (n-- > 0)
        fputc(' ', fp);
}

static void
print_cells(const struct texttable *t, FILE *fp, char *const *cells,
            const size_t *width)
{
    for (size_t c = 0; c < t->ncols; c++) {
        const char *s = cells[c] ? cells[c] : "";
        size_t w = utf8_width(s, strlen(s));
        size_t gap = width[c] > w ? width[c] - w : 0;
        if (c > 0)
            fputs("  ", fp);
        if (t->align[c] == TT_RIGHT)
            pad(fp, gap);
        fputs(s, fp);
        if (t->align[c] == TT_LEFT && c + 1 < t->ncols)
            pad(fp, gap);
    }
    fputc('\n', fp);
}

static void
print_rule(const struct texttable *t, FILE *fp, const size_t *width)
{
    size_t total = 0;
    for (size_t c = 0; c < t->ncols; c++)
        total += width[c] + (c ? 2 : 0);
    for (size_t i = 0; i < total; i++)
        fputc('-', fp);
    fputc('\n', fp);
}

void
texttable_print(const struct texttable *t, FILE *fp)
{
    size_t *width = xcalloc(t->ncols, sizeof(*width));

    for (size_t c = 0; c < t->ncols; c++) {
        const char *h = t->header[c] ? t->header[c] : "";
        width[c] = utf8_width(h, strlen(h));
    }
    for (size_t r = 0; r < t->nrows; r++) {
        if (t->rule[r])
            continue;
        for (size_t c = 0; c < t->ncols; c++) {
            const char *s = t->cells[r * t->ncols + c];
            size_t w = s ? utf8_width(s, strlen(s)) : 0;
            if (w > width[c])
                width[c] = w;
        }
    }
    print_cells(t, fp, t->header, width);
    print_rule(t, fp, width);
    for (size_t r = 0; r < t->nrows; r++) {
        if (t->rule[r])
            print_rule(t, fp, width);
        else
            print_cells(t, fp, &t->cells[r * t->ncols], width);
    }
    free(width);
}
