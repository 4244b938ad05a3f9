/* SPDX-License-Identifier: MIT */
/*
 * tests/gen/gen_csv2xlsx.c - an .xlsx workbook of one sheet holding a CSV
 * file's fields, written with libxlsxwriter, for tests and the benchmark.
 *
 *   gen_csv2xlsx [--inline] [--numbers] [--sheet NAME] IN.csv OUT.xlsx
 *
 * IN.csv (UTF-8, "-" for stdin; a leading BOM is dropped) is read with
 * RFC 4180 quoting: a field in double quotes may hold commas, doubled
 * quotes and line breaks; CR LF and LF both end a line.  Line N becomes
 * row N of the sheet, field M its column M; an empty field writes no cell.
 *
 *   --inline    the workbook option constant_memory: each row is streamed
 *               out as it is written and strings are stored inline
 *               (<c t="inlineStr">), as large exports do; bounded memory.
 *               Without it strings go into the shared string table, as
 *               Excel itself saves (the writer then holds them all).
 *   --numbers   a field that looks like a decimal number (optional '-',
 *               digits, optional '.' and digits; no leading zero before
 *               another digit; at most 15 significant digits, so that
 *               18-digit IDs and zero-padded codes stay text) is written
 *               as a number cell (worksheet_write_number); others as text.
 *   --sheet     the sheet's name (default Sheet1).
 *
 * Exit 0, or 1 with a message on stderr (a row past 1,048,576 or a
 * column past XFD, an unterminated quote, a write error).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#define MAX_ROWS 1048576ul
#define MAX_COLS 16384u

struct field {
    char *buf;
    size_t len, cap;
};

static void
field_add(struct field *f, int ch)
{
    if (f->len + 1 >= f->cap) {
        f->cap = f->cap ? 2 * f->cap : 256;
        f->buf = realloc(f->buf, f->cap);
        if (f->buf == NULL) {
            fprintf(stderr, "gen_csv2xlsx: out of memory\n");
            exit(1);
        }
    }
    f->buf[f->len++] = (char)ch;
}

/* A decimal number of at most 15 significant digits, as --numbers says. */
static bool
is_number(const char *s, size_t len)
{
    size_t i = 0, digits = 0, sig = 0;

    if (i < len && s[i] == '-')
        i++;
    if (i >= len || s[i] < '0' || s[i] > '9')
        return false;
    if (s[i] == '0' && i + 1 < len && s[i + 1] >= '0' && s[i + 1] <= '9')
        return false; /* 0123: a code, kept as text */
    bool lead = true;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
        if (s[i] != '0')
            lead = false;
        if (!lead)
            sig++;
    }
    if (i < len && s[i] == '.') {
        i++;
        size_t frac = 0;
        for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, frac++) {
            if (s[i] != '0')
                lead = false;
            if (!lead)
                sig++;
        }
        if (frac == 0)
            return false;
    }
    return i == len && digits > 0 && sig <= 15;
}

struct conv {
    lxw_worksheet *ws;
    bool numbers;
    unsigned long row; /* 0-based row of the line being read */
    unsigned col;      /* 0-based column of the field being read */
};

static int
put_field(struct conv *c, struct field *f)
{
    lxw_error err = LXW_NO_ERROR;

    if (c->col >= MAX_COLS) {
        fprintf(stderr, "gen_csv2xlsx: line %lu has more than %u fields\n",
                c->row + 1, MAX_COLS);
        return -1;
    }
    if (f->len > 0) {
        if (c->row >= MAX_ROWS) {
            fprintf(stderr, "gen_csv2xlsx: more than %lu lines\n", MAX_ROWS);
            return -1;
        }
        f->buf[f->len] = '\0';
        if (c->numbers && is_number(f->buf, f->len))
            err = worksheet_write_number(c->ws, (lxw_row_t)c->row,
                                         (lxw_col_t)c->col,
                                         strtod(f->buf, NULL), NULL);
        else
            err = worksheet_write_string(c->ws, (lxw_row_t)c->row,
                                         (lxw_col_t)c->col, f->buf, NULL);
    }
    if (err != LXW_NO_ERROR) {
        fprintf(stderr, "gen_csv2xlsx: cell at line %lu field %u: %s\n",
                c->row + 1, c->col + 1, lxw_strerror(err));
        return -1;
    }
    f->len = 0;
    c->col++;
    return 0;
}

/* Read fp as CSV, writing every field; 0 or -1 with a message. */
static int
convert(FILE *fp, struct conv *c)
{
    struct field f = {NULL, 0, 0};
    bool quoted = false, was_quoted = false, any = false;
    int ch, rc = -1;

    /* a UTF-8 BOM */
    ch = getc(fp);
    if (ch == 0xEF) {
        if (getc(fp) != 0xBB || getc(fp) != 0xBF) {
            fprintf(stderr, "gen_csv2xlsx: not UTF-8 at its first byte\n");
            goto out;
        }
    } else if (ch != EOF) {
        ungetc(ch, fp);
    }
    while ((ch = getc_unlocked(fp)) != EOF) {
        if (quoted) {
            if (ch == '"') {
                int next = getc_unlocked(fp);
                if (next == '"') {
                    field_add(&f, '"');
                    continue;
                }
                quoted = false;
                if (next == EOF)
                    break;
                ch = next;
            } else {
                field_add(&f, ch);
                continue;
            }
        }
        any = true;
        if (ch == '"' && f.len == 0 && !was_quoted) {
            quoted = was_quoted = true;
        } else if (ch == ',') {
            if (put_field(c, &f) < 0)
                goto out;
            was_quoted = false;
        } else if (ch == '\n') {
            if (put_field(c, &f) < 0)
                goto out;
            c->row++;
            c->col = 0;
            was_quoted = any = false;
        } else if (ch == '\r') {
            continue; /* CR LF: the LF ends the line */
        } else {
            field_add(&f, ch);
        }
    }
    if (ferror(fp)) {
        fprintf(stderr, "gen_csv2xlsx: read error: %s\n", strerror(errno));
        goto out;
    }
    if (quoted) {
        fprintf(stderr, "gen_csv2xlsx: line %lu: a quote never closed\n",
                c->row + 1);
        goto out;
    }
    if ((any || f.len > 0) && put_field(c, &f) < 0)
        goto out;
    rc = 0;
out:
    free(f.buf);
    return rc;
}

static int
usage(void)
{
    fprintf(stderr, "usage: gen_csv2xlsx [--inline] [--numbers] "
                    "[--sheet NAME] IN.csv OUT.xlsx\n");
    return 2;
}

int
main(int argc, char **argv)
{
    bool inl = false, numbers = false;
    const char *sheet = "Sheet1";
    int i;

    for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
        if (strcmp(argv[i], "--inline") == 0)
            inl = true;
        else if (strcmp(argv[i], "--numbers") == 0)
            numbers = true;
        else if (strcmp(argv[i], "--sheet") == 0 && i + 1 < argc)
            sheet = argv[++i];
        else if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        } else
            return usage();
    }
    if (argc - i != 2)
        return usage();
    const char *in = argv[i], *out = argv[i + 1];

    FILE *fp = strcmp(in, "-") == 0 ? stdin : fopen(in, "rb");
    if (fp == NULL) {
        fprintf(stderr, "gen_csv2xlsx: %s: %s\n", in, strerror(errno));
        return 1;
    }
    lxw_workbook_options wo = {.constant_memory = inl ? LXW_TRUE : LXW_FALSE,
                               .tmpdir = NULL,
                               .use_zip64 = LXW_FALSE};
    lxw_workbook *wb = workbook_new_opt(out, &wo);
    if (wb == NULL) {
        fprintf(stderr, "gen_csv2xlsx: cannot create %s\n", out);
        return 1;
    }
    lxw_worksheet *ws = workbook_add_worksheet(wb, sheet);
    if (ws == NULL) {
        fprintf(stderr, "gen_csv2xlsx: bad sheet name '%s'\n", sheet);
        workbook_close(wb);
        return 1;
    }
    struct conv c = {ws, numbers, 0, 0};
    int rc = convert(fp, &c);
    if (fp != stdin)
        fclose(fp);
    lxw_error err = workbook_close(wb);
    if (err != LXW_NO_ERROR) {
        fprintf(stderr, "gen_csv2xlsx: %s: %s\n", out, lxw_strerror(err));
        return 1;
    }
    return rc < 0 ? 1 : 0;
}
