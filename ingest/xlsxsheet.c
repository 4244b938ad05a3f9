/* SPDX-License-Identifier: MIT */
/*
 * ingest/xlsxsheet.c - the chosen sheet's XML streamed out as CSV text:
 * xlsx_write_csv() of ingest/xlsx.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "common/diag.h"
#include "common/i18n.h"
#include "ingest/xlsx.h"
#include "ingest/xlsx_int.h"
#include "ingest/xlsxnum.h"
#include "ingest/xlsxpart.h"
#include "ingest/xlsxsst.h"

#define FLUSH_AT (64u << 10)
/* bytes of one cell's text (Excel: 32767 chars) */
#define MAX_CELL (1u << 20)
#define MAX_COL  16384u /* XFD */
#define MAX_ROW  1048576ul

/* A cell's t attribute. */
enum cell_type {
    T_NUMBER, /* none, "n", or one gongji does not know: read as a number */
    T_INLINE, /* "inlineStr" */
    T_SHARED, /* "s" */
    T_STR,    /* "str" (a formula's text), "e" (an error value) */
    T_BOOL,   /* "b" */
    T_DATE    /* "d" */
};

/* The elements of a sheet that matter, by local name. */
enum elem { E_OTHER, E_SHEETDATA, E_ROW, E_C, E_V, E_F, E_IS, E_RPH, E_T };

struct sheet_ctx {
    struct xlsxpart x; /* first */
    struct xlsx *book;
    int out_fd;
    struct sbuf out;        /* CSV text not yet written */
    bool in_data;           /* inside <sheetData> */
    unsigned long row;      /* the current row's number, 0 = none */
    unsigned long lines;    /* lines written so far */
    unsigned long fields;   /* fields written in the current row */
    unsigned long last_col; /* column of the row's last cell, empty or not */
    unsigned long width;    /* widest row so far (non-empty cells) */
    /* the current cell */
    bool in_cell, in_v, in_is, in_t, has_f;
    unsigned rph;
    unsigned long col;
    enum cell_type type;
    unsigned long style;
    struct sbuf val, text;
    size_t bad; /* cells found wrong (cell_fail) */
};

/* An error at the current cell: FILE:ROW:COL, naming the cell. */
static void
cell_fail(struct sheet_ctx *c, const char *what)
{
    diag_list_addf(c->x.dl, DIAG_ERROR, DIAG_DATA, c->x.file, c->row, c->col,
                   _("the cell %s"), what);
    c->bad++;
}

/* "AB11" → column 28, row 11; false when malformed. */
static bool
parse_ref(const char *r, unsigned long *col, unsigned long *row)
{
    unsigned long cc = 0, rr = 0;
    const char *p = r;

    for (; (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'); p++) {
        cc = cc * 26 + (unsigned long)((*p | 0x20) - 'a' + 1);
        if (cc > MAX_COL)
            return false;
    }
    if (*p == '$')
        p++;
    for (; *p >= '0' && *p <= '9'; p++) {
        rr = rr * 10 + (unsigned long)(*p - '0');
        if (rr > MAX_ROW)
            return false;
    }
    if (*p != '\0' || cc == 0 || (rr == 0 && p != r))
        return false;
    *col = cc;
    *row = rr;
    return true;
}

/* "1048576" or "$11" (a <row>'s r) → its number; false when malformed. */
static bool
parse_rownum(const char *r, unsigned long *row)
{
    unsigned long rr = 0;
    const char *p = r;

    if (*p == '$')
        p++;
    for (; *p >= '0' && *p <= '9'; p++) {
        rr = rr * 10 + (unsigned long)(*p - '0');
        if (rr > MAX_ROW)
            return false;
    }
    if (*p != '\0' || rr == 0)
        return false;
    *row = rr;
    return true;
}

/* Which element name is (a local name), with as few comparisons as the
 * millions of cells of a large sheet want. */
static enum elem
elem_of(const char *name)
{
    switch (name[0]) {
    case 'c':
        return name[1] == '\0' ? E_C : E_OTHER;
    case 'v':
        return name[1] == '\0' ? E_V : E_OTHER;
    case 'f':
        return name[1] == '\0' ? E_F : E_OTHER;
    case 't':
        return name[1] == '\0' ? E_T : E_OTHER;
    case 'r':
        return strcmp(name, "row") == 0   ? E_ROW
               : strcmp(name, "rPh") == 0 ? E_RPH
                                          : E_OTHER;
    case 'i':
        return strcmp(name, "is") == 0 ? E_IS : E_OTHER;
    case 's':
        return strcmp(name, "sheetData") == 0 ? E_SHEETDATA : E_OTHER;
    default:
        return E_OTHER;
    }
}

static enum cell_type
type_of(const char *t)
{
    if (t == NULL)
        return T_NUMBER;
    if (strcmp(t, "inlineStr") == 0)
        return T_INLINE;
    if (strcmp(t, "s") == 0)
        return T_SHARED;
    if (strcmp(t, "str") == 0 || strcmp(t, "e") == 0)
        return T_STR;
    if (strcmp(t, "b") == 0)
        return T_BOOL;
    if (strcmp(t, "d") == 0)
        return T_DATE;
    return T_NUMBER;
}

static bool
flush(struct sheet_ctx *c)
{
    size_t off = 0;
    while (off < c->out.len) {
        ssize_t n = write(c->out_fd, c->out.buf + off, c->out.len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            if (errno == EPIPE) {
                xlsxpart_stop(&c->x); /* the reader has all it wanted */
            } else {
                xlsxpart_fail(&c->x, _("cannot pass the sheet on: %s"),
                              strerror(errno));
            }
            return false;
        }
        off += (size_t)n;
    }
    sbuf_reset(&c->out);
    return true;
}

/* One field's text as CSV: quoted when it holds a comma or a quote; line
 * breaks (Alt+Enter in a cell) read as one space each. */
static void
add_field(struct sbuf *out, const char *s, size_t len)
{
    size_t plain = 0; /* the common case: nothing to quote or replace */
    while (plain < len && s[plain] != ',' && s[plain] != '"' &&
           s[plain] != '\r' && s[plain] != '\n')
        plain++;
    if (plain == len) {
        sbuf_add(out, s, len);
        return;
    }
    bool quote = memchr(s, ',', len) != NULL || memchr(s, '"', len) != NULL;
    if (quote)
        sbuf_addch(out, '"');
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (ch == '\r' && i + 1 < len && s[i + 1] == '\n')
            continue;
        if (ch == '\r' || ch == '\n')
            ch = ' ';
        if (ch == '"')
            sbuf_addch(out, '"');
        sbuf_addch(out, ch);
    }
    if (quote)
        sbuf_addch(out, '"');
}

static void
end_row(struct sheet_ctx *c)
{
    if (c->row == 0)
        return;
    if (c->fields > 0) {
        if (c->fields > c->width)
            c->width = c->fields;
        for (; c->fields < c->width; c->fields++)
            sbuf_addch(&c->out, ',');
    }
    sbuf_addch(&c->out, '\n');
    c->lines = c->row;
    c->row = 0;
    if (c->out.len >= FLUSH_AT)
        flush(c);
}

static void
start_row(struct sheet_ctx *c, const char **attrs)
{
    const char *r = xlsxpart_attr(attrs, "r");
    unsigned long n = c->lines + 1;

    end_row(c);
    if (r != NULL) {
        if (!parse_rownum(r, &n)) {
            xlsxpart_fail(&c->x, _("a row numbered '%.20s'"), r);
            return;
        }
        if (n <= c->lines) {
            xlsxpart_fail(&c->x, _("row %lu comes after row %lu"), n, c->lines);
            return;
        }
    }
    if (n > MAX_ROW) { /* rows without r="N" */
        xlsxpart_fail(&c->x, _("more than %lu rows, the most a sheet holds"),
                      MAX_ROW);
        return;
    }
    for (; c->lines + 1 < n; c->lines++) /* missing rows: blank lines */
        sbuf_addch(&c->out, '\n');
    c->row = n;
    c->fields = c->last_col = 0;
}

/* The text of the finished cell into c->text; false for an empty cell. */
static bool
cell_text(struct sheet_ctx *c)
{
    struct xlsx *b = c->book;
    enum cell_type t = c->type;
    const char *v = c->val.buf;
    size_t vlen = c->val.len;

    sbuf_reset(&c->text);
    if (t == T_INLINE) {
        xlsx_unescape(&c->text, v, vlen);
    } else if (t == T_SHARED) {
        char *end;
        errno = 0;
        unsigned long i = vlen > 0 ? strtoul(v, &end, 10) : 0;
        if (vlen == 0 || *end != '\0' || errno != 0 ||
            i >= xlsxsst_count(b->sst)) {
            cell_fail(c, _("refers to a shared string that the workbook does "
                           "not hold: damaged"));
            return false;
        }
        const char *ss;
        size_t slen;
        if (xlsxsst_get(b->sst, i, &ss, &slen) < 0) {
            xlsxpart_fail(&c->x,
                          _("cannot read the shared strings back from "
                            "their temporary file: %s"),
                          strerror(errno));
            return false;
        }
        sbuf_add(&c->text, ss, slen);
    } else if (t == T_STR) {
        xlsx_unescape(&c->text, v, vlen);
    } else if (t == T_BOOL) {
        if (vlen > 0)
            sbuf_addstr(&c->text, strcmp(v, "0") == 0 ? "FALSE" : "TRUE");
    } else if (t == T_DATE) { /* an ISO 8601 date cell */
        sbuf_add(&c->text, v, vlen);
        char *tp = memchr(c->text.buf, 'T', c->text.len);
        if (tp != NULL)
            *tp = ' ';
    } else if (vlen > 0) { /* a number */
        enum xlsxnum_kind kind = c->style < b->nxf
                                     ? (enum xlsxnum_kind)b->xf_kind[c->style]
                                     : XLSXNUM_NUMBER;
        if (!(kind != XLSXNUM_NUMBER &&
              xlsxnum_date(&c->text, v, vlen, b->date1904, kind)) &&
            !xlsxnum_text(&c->text, v, vlen))
            sbuf_add(&c->text, v, vlen); /* shown as written: refused */
    }
    if (c->has_f && vlen == 0 && t != T_INLINE) {
        cell_fail(c, _("holds a formula saved without its value: open the "
                       "workbook in Excel or WPS and save it again, or paste "
                       "the values"));
        return false;
    }
    return c->text.len > 0;
}

static void
end_cell(struct sheet_ctx *c)
{
    c->in_cell = false;
    if (!cell_text(c))
        return;
    if (c->col <= c->fields && c->fields > 0) {
        cell_fail(c,
                  _("comes after a cell to its right: the sheet is damaged"));
        return;
    }
    unsigned long seps = c->fields == 0 ? c->col - 1 : c->col - c->fields;
    for (unsigned long i = 0; i < seps; i++)
        sbuf_addch(&c->out, ',');
    add_field(&c->out, c->text.buf, c->text.len);
    c->fields = c->col;
}

static void
start_cell(struct sheet_ctx *c, const char **attrs)
{
    const char *r = NULL, *t = NULL, *s = NULL;
    unsigned long col = c->last_col + 1, row = c->row;

    /* r, t and s in one pass (the first of each, as xlsxpart_attr) */
    for (size_t i = 0; attrs[i] != NULL; i += 2) {
        const char *n = attrs[i];
        if (n[0] == '\0' || n[1] != '\0')
            n = xlsxpart_local(n);
        if (n[0] == '\0' || n[1] != '\0')
            continue;
        if (n[0] == 'r' && r == NULL)
            r = attrs[i + 1];
        else if (n[0] == 't' && t == NULL)
            t = attrs[i + 1];
        else if (n[0] == 's' && s == NULL)
            s = attrs[i + 1];
    }
    if (c->row == 0) { /* a cell outside any <row> */
        xlsxpart_fail(&c->x, _("a cell outside a row"));
        return;
    }
    if (r != NULL && !parse_ref(r, &col, &row)) {
        xlsxpart_fail(&c->x,
                      _("cell '%.20s' in row %lu, which is no cell of a sheet "
                        "(columns A to XFD, rows 1 to %lu)"),
                      r, c->row, MAX_ROW);
        return;
    }
    if (r != NULL && row != c->row) {
        xlsxpart_fail(&c->x, _("cell '%.20s' inside row %lu"), r, c->row);
        return;
    }
    if (col > MAX_COL) {
        xlsxpart_fail(&c->x, _("a cell beyond column XFD in row %lu"), c->row);
        return;
    }
    c->in_cell = true;
    c->col = c->last_col = col;
    c->type = type_of(t);
    c->style = 0;
    if (s != NULL) {
        char *end;
        c->style = strtoul(s, &end, 10);
        if (*end != '\0')
            c->style = 0;
    }
    c->in_v = c->in_is = c->in_t = c->has_f = false;
    c->rph = 0;
    sbuf_reset(&c->val);
}

static void
sheet_start(void *ctx, const char *name, const char **attrs)
{
    struct sheet_ctx *c = ctx;
    enum elem e = elem_of(name);

    if (e == E_SHEETDATA) {
        c->in_data = true;
    } else if (!c->in_data) {
        return;
    } else if (e == E_ROW) {
        start_row(c, attrs);
    } else if (e == E_C) {
        start_cell(c, attrs);
    } else if (!c->in_cell) {
        return;
    } else if (e == E_V) {
        c->in_v = true;
    } else if (e == E_F) {
        c->has_f = true;
    } else if (e == E_IS) {
        c->in_is = true;
    } else if (e == E_RPH) {
        c->rph++;
    } else if (c->in_is && c->rph == 0 && e == E_T) {
        c->in_t = true;
    }
}

static void
sheet_end(void *ctx, const char *name)
{
    struct sheet_ctx *c = ctx;

    if (!c->in_data)
        return;
    enum elem e = elem_of(name);
    if (e == E_SHEETDATA) {
        end_row(c);
        c->in_data = false;
    } else if (e == E_ROW) {
        end_row(c);
    } else if (!c->in_cell) {
        return;
    } else if (e == E_C) {
        end_cell(c);
    } else if (e == E_V) {
        c->in_v = false;
    } else if (e == E_IS) {
        c->in_is = false;
    } else if (e == E_RPH && c->rph > 0) {
        c->rph--;
    } else if (e == E_T) {
        c->in_t = false;
    }
}

static void
sheet_text(void *ctx, const char *s, int len)
{
    struct sheet_ctx *c = ctx;
    if (!(c->in_v || c->in_t))
        return;
    if (c->val.len + (size_t)len > MAX_CELL) {
        cell_fail(c, _("holds more than 1 MiB of text: not a value gongji "
                       "could use"));
        xlsxpart_fail(&c->x, _("a cell too long"));
        return;
    }
    sbuf_add(&c->val, s, (size_t)len);
}

int
xlsx_write_csv(struct xlsx *x, int out_fd, struct diag_list *dl)
{
    static const struct xlsxpart_handlers h = {sheet_start, sheet_end,
                                               sheet_text};
    struct sheet_ctx c;
    int rc;

    memset(&c, 0, sizeof(c));
    c.book = x;
    c.out_fd = out_fd;
    sbuf_init(&c.out);
    sbuf_init(&c.val);
    sbuf_init(&c.text);
    rc = xlsxpart_parse(x->zip, x->sheet_part, XLSX_MAX_SHEET, true, &h, &c.x,
                        x->file, dl);
    if (rc == 0 && !c.x.stopped)
        flush(&c);
    if (c.x.failed || c.bad > 0)
        rc = -1;
    sbuf_release(&c.out);
    sbuf_release(&c.val);
    sbuf_release(&c.text);
    return rc;
}
