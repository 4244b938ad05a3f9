/* SPDX-License-Identifier: MIT */
#include "ingest/xlsx.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "common/diag.h"
#include "common/i18n.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "ingest/xlsx_int.h"
#include "ingest/xlsxnum.h"
#include "ingest/xlsxpart.h"
#include "ingest/xlsxsst.h"

bool
xlsx_sniff(const char *buf, size_t len)
{
    if (len < 4 || memcmp(buf, "PK\x03\x04", 4) != 0)
        return false;
    /* an .xlsx names its parts xl/...; an .ods or a zipped CSV does not */
    for (size_t i = 0; i + 3 <= len; i++)
        if (memcmp(buf + i, "xl/", 3) == 0)
            return true;
    return false;
}

static int
hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static void
add_codepoint(struct sbuf *out, unsigned cp)
{
    if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r')
        return;
    if (cp < 0x80) {
        sbuf_addch(out, (int)cp);
    } else if (cp < 0x800) {
        sbuf_addch(out, (int)(0xC0 | (cp >> 6)));
        sbuf_addch(out, (int)(0x80 | (cp & 0x3F)));
    } else if (cp >= 0xD800 && cp <= 0xDFFF) {
        sbuf_addstr(out, "\xEF\xBF\xBD"); /* a lone surrogate: U+FFFD */
    } else {
        sbuf_addch(out, (int)(0xE0 | (cp >> 12)));
        sbuf_addch(out, (int)(0x80 | ((cp >> 6) & 0x3F)));
        sbuf_addch(out, (int)(0x80 | (cp & 0x3F)));
    }
}

void
xlsx_unescape(struct sbuf *out, const char *s, size_t len)
{
    size_t i = 0;

    while (i < len) {
        const char *u = memchr(s + i, '_', len - i);
        size_t upto = u != NULL ? (size_t)(u - s) : len;
        for (size_t k = i; k < upto;) { /* drop control characters */
            size_t run = k;
            while (run < upto &&
                   ((unsigned char)s[run] >= 0x20 || s[run] == '\t' ||
                    s[run] == '\n' || s[run] == '\r'))
                run++;
            sbuf_add(out, s + k, run - k);
            k = run < upto ? run + 1 : run;
        }
        if (u == NULL)
            break;
        i = upto;
        if (i + 7 <= len && s[i + 1] == 'x' && s[i + 6] == '_') {
            int h[4] = {hexval(s[i + 2]), hexval(s[i + 3]), hexval(s[i + 4]),
                        hexval(s[i + 5])};
            if (h[0] >= 0 && h[1] >= 0 && h[2] >= 0 && h[3] >= 0) {
                add_codepoint(
                    out, (unsigned)(h[0] << 12 | h[1] << 8 | h[2] << 4 | h[3]));
                i += 7;
                continue;
            }
        }
        sbuf_addch(out, '_');
        i++;
    }
}

/* ---- relationships: _rels/.rels and xl/_rels/workbook.xml.rels ---- */

struct rel {
    char *id, *target, *type;
};

struct rels_ctx {
    struct xlsxpart x; /* first */
    struct rel *r;
    size_t n, alloc;
};

static void
rels_start(void *ctx, const char *name, const char **attrs)
{
    struct rels_ctx *c = ctx;
    if (strcmp(name, "Relationship") != 0)
        return;
    const char *id = xlsxpart_attr(attrs, "Id");
    const char *target = xlsxpart_attr(attrs, "Target");
    const char *type = xlsxpart_attr(attrs, "Type");
    if (id == NULL || target == NULL)
        return;
    if (c->n == c->alloc) {
        c->alloc = c->alloc ? 2 * c->alloc : 8;
        c->r = xreallocarray(c->r, c->alloc, sizeof(*c->r));
    }
    c->r[c->n++] = (struct rel){xstrdup(id), xstrdup(target),
                                xstrdup(type != NULL ? type : "")};
}

static void
rels_end(void *ctx, const char *name)
{
    (void)ctx, (void)name;
}

static void
rels_release(struct rels_ctx *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->r[i].id);
        free(c->r[i].target);
        free(c->r[i].type);
    }
    free(c->r);
}

static bool
ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* target relative to the directory of part (dir ends with '/'), or absolute */
static char *
resolve(const char *dir, const char *target)
{
    struct sbuf p = SBUF_INIT;
    if (target[0] == '/') {
        sbuf_addstr(&p, target + 1);
    } else {
        sbuf_addstr(&p, dir);
        while (strncmp(target, "../", 3) == 0) { /* rare: up one directory */
            target += 3;
            if (p.len > 0)
                p.len--;
            while (p.len > 0 && p.buf[p.len - 1] != '/')
                p.len--;
            sbuf_setlen(&p, p.len);
        }
        sbuf_addstr(&p, target);
    }
    return sbuf_detach(&p, NULL);
}

/* ---- xl/workbook.xml: the sheets in order ---- */

struct sheet {
    char *name, *rid;
};

struct book_ctx {
    struct xlsxpart x; /* first */
    struct sheet *s;
    size_t n, alloc;
    bool date1904;
};

static void
book_start(void *ctx, const char *name, const char **attrs)
{
    struct book_ctx *c = ctx;
    if (strcmp(name, "workbookPr") == 0) {
        const char *v = xlsxpart_attr(attrs, "date1904");
        c->date1904 =
            v != NULL && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
    } else if (strcmp(name, "sheet") == 0) {
        const char *sn = xlsxpart_attr(attrs, "name");
        const char *rid = NULL;
        for (size_t i = 0; attrs[i] != NULL; i += 2) /* r:id, namespaced */
            if (strchr(attrs[i], '|') != NULL &&
                strcmp(xlsxpart_local(attrs[i]), "id") == 0)
                rid = attrs[i + 1];
        if (sn == NULL || rid == NULL)
            return;
        if (c->n == c->alloc) {
            c->alloc = c->alloc ? 2 * c->alloc : 4;
            c->s = xreallocarray(c->s, c->alloc, sizeof(*c->s));
        }
        c->s[c->n++] = (struct sheet){xstrdup(sn), xstrdup(rid)};
    }
}

static void
book_release(struct book_ctx *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->s[i].name);
        free(c->s[i].rid);
    }
    free(c->s);
}

/* The workbook part, from _rels/.rels (xl/workbook.xml when it says none). */
static char *
find_workbook(zip_t *zip, const char *file, struct diag_list *dl)
{
    static const struct xlsxpart_handlers h = {rels_start, rels_end, NULL};
    struct rels_ctx rc;
    char *wb = NULL;

    memset(&rc, 0, sizeof(rc));
    if (xlsxpart_parse(zip, "_rels/.rels", XLSX_MAX_PART, false, &h, &rc.x,
                       file, dl) < 0) {
        rels_release(&rc);
        return NULL;
    }
    for (size_t i = 0; i < rc.n && wb == NULL; i++)
        if (ends_with(rc.r[i].type, "/officeDocument"))
            wb = resolve("", rc.r[i].target);
    rels_release(&rc);
    return wb != NULL ? wb : xstrdup("xl/workbook.xml");
}

static void
sheet_list(struct sbuf *sb, const struct book_ctx *bc)
{
    for (size_t i = 0; i < bc->n; i++)
        sbuf_addf(sb, "%s'%s'", i ? ", " : "", bc->s[i].name);
}

/*
 * Choose the sheet: the one named, or the first worksheet (a chart sheet
 * has no cells).  Sets x->sheet_name and x->sheet_part; -1 with the problem.
 */
static int
choose_sheet(struct xlsx *x, const struct book_ctx *bc,
             const struct rels_ctx *rc, const char *dir, const char *want,
             struct diag_list *dl)
{
    size_t nwork = 0, pick = bc->n;
    const char *part = NULL;

    for (size_t i = 0; i < bc->n; i++) {
        const char *target = NULL;
        for (size_t k = 0; k < rc->n && target == NULL; k++)
            if (strcmp(rc->r[k].id, bc->s[i].rid) == 0 &&
                ends_with(rc->r[k].type, "/worksheet"))
                target = rc->r[k].target;
        if (target == NULL)
            continue;
        nwork++;
        if (pick == bc->n &&
            (want == NULL || strcmp(bc->s[i].name, want) == 0)) {
            pick = i;
            part = target;
        }
    }
    if (pick == bc->n) {
        struct sbuf names = SBUF_INIT;
        sheet_list(&names, bc);
        if (want != NULL)
            diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, x->file, 0, 0,
                           _("the workbook has no worksheet named '%s'; its "
                             "sheets: %s"),
                           want, names.len ? names.buf : "(none)");
        else
            diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, x->file, 0, 0,
                           _("the workbook has no worksheet%s%s"),
                           names.len ? "; its sheets: " : "",
                           names.len ? names.buf : "");
        sbuf_release(&names);
        return -1;
    }
    x->sheet_name = xstrdup(bc->s[pick].name);
    x->sheet_part = resolve(dir, part);
    if (want == NULL && nwork > 1) {
        struct sbuf names = SBUF_INIT;
        sheet_list(&names, bc);
        diag_list_addf(dl, DIAG_WARNING, DIAG_FORMAT, x->file, 0, 0,
                       _("the workbook has %zu worksheets (%s): reading the "
                         "first, '%s'; --sheet NAME reads another"),
                       nwork, names.buf, x->sheet_name);
        sbuf_release(&names);
    }
    return 0;
}

static int
load_book(struct xlsx *x, const char *want, struct diag_list *dl)
{
    static const struct xlsxpart_handlers bh = {book_start, rels_end, NULL};
    static const struct xlsxpart_handlers rh = {rels_start, rels_end, NULL};
    struct book_ctx bc;
    struct rels_ctx rc;
    int ret = -1;

    memset(&bc, 0, sizeof(bc));
    memset(&rc, 0, sizeof(rc));
    char *wb = find_workbook(x->zip, x->file, dl);
    if (wb == NULL)
        return -1;
    /* xl/workbook.xml → dir "xl/", rels "xl/_rels/workbook.xml.rels" */
    const char *slash = strrchr(wb, '/');
    size_t dlen = slash != NULL ? (size_t)(slash - wb) + 1 : 0;
    char *dir = xstrdup(wb);
    dir[dlen] = '\0';
    struct sbuf relp = SBUF_INIT;
    sbuf_addf(&relp, "%s_rels/%s.rels", dir, wb + dlen);
    if (xlsxpart_parse(x->zip, wb, XLSX_MAX_PART, true, &bh, &bc.x, x->file,
                       dl) < 0 ||
        xlsxpart_parse(x->zip, relp.buf, XLSX_MAX_PART, true, &rh, &rc.x,
                       x->file, dl) < 0)
        goto out;
    x->date1904 = bc.date1904;
    ret = choose_sheet(x, &bc, &rc, dir, want, dl);
    if (ret == 0 && !xlsxpart_exists(x->zip, x->sheet_part))
        ret = diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, x->file, 0, 0,
                             _("the workbook is damaged: sheet '%s' should be "
                               "in %s, which it does not hold"),
                             x->sheet_name, x->sheet_part);
out:
    sbuf_release(&relp);
    free(dir);
    free(wb);
    book_release(&bc);
    rels_release(&rc);
    return ret;
}

/* ---- xl/styles.xml: which cell styles are dates ---- */

struct styles_ctx {
    struct xlsxpart x; /* first */
    bool in_xfs;
    unsigned *xf_fmt; /* numFmtId of each cellXfs entry */
    size_t nxf, axf;
    unsigned *date_fmt;       /* custom numFmtIds whose code is a date */
    unsigned char *date_kind; /* ... and how it shows it */
    size_t ndate, adate;
};

/*
 * How a custom number format shows a number: as a date or time when it has
 * a y, m, d, h or s outside quotes, brackets ([Red], [$-804]) and escapes
 * (\x, _x, *x), never for 'e' or 'G' ("General", which LibreOffice writes
 * as a custom code); as a month when it has a y and no d, h or s.
 */
static enum xlsxnum_kind
format_kind(const char *code)
{
    bool y = false, m = false, dhs = false;

    for (const char *p = code; p != NULL && *p != '\0'; p++) {
        switch (*p) {
        case '"':
            p = strchr(p + 1, '"');
            break;
        case '[':
            p = strchr(p + 1, ']');
            break;
        case '\\':
        case '_':
        case '*':
            p = p[1] != '\0' ? p + 1 : NULL;
            break;
        case 'y':
        case 'Y':
            y = true;
            break;
        case 'm':
        case 'M':
            m = true;
            break;
        case 'd':
        case 'D':
        case 'h':
        case 'H':
        case 's':
        case 'S':
            dhs = true;
            break;
        default:
            break;
        }
        if (p == NULL)
            break;
    }
    if (y && !dhs)
        return XLSXNUM_MONTH;
    return y || m || dhs ? XLSXNUM_DATE : XLSXNUM_NUMBER;
}

/* The built-in formats (ECMA-376 18.8.30, with the zh-CN ones 27-36 and
 * 50-58): yyyy"年"m"月" is 27, 36, 50, 52 and 57; mmm-yy is 17. */
static enum xlsxnum_kind
builtin_kind(unsigned id)
{
    if (id == 17 || id == 27 || id == 36 || id == 50 || id == 52 || id == 57)
        return XLSXNUM_MONTH;
    if ((id >= 14 && id <= 22) || (id >= 45 && id <= 47) ||
        (id >= 27 && id <= 36) || (id >= 50 && id <= 58))
        return XLSXNUM_DATE;
    return XLSXNUM_NUMBER;
}

static bool
parse_uint(const char *s, unsigned *out)
{
    char *end;
    if (s == NULL || *s < '0' || *s > '9')
        return false;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (*end != '\0' || errno != 0 || v > 0xFFFFFFu)
        return false;
    *out = (unsigned)v;
    return true;
}

static void
styles_start(void *ctx, const char *name, const char **attrs)
{
    struct styles_ctx *c = ctx;
    unsigned id;

    if (strcmp(name, "cellXfs") == 0) {
        c->in_xfs = true;
    } else if (c->in_xfs && strcmp(name, "xf") == 0) {
        if (!parse_uint(xlsxpart_attr(attrs, "numFmtId"), &id))
            id = 0;
        if (c->nxf == c->axf) {
            c->axf = c->axf ? 2 * c->axf : 16;
            c->xf_fmt = xreallocarray(c->xf_fmt, c->axf, sizeof(*c->xf_fmt));
        }
        c->xf_fmt[c->nxf++] = id;
    } else if (strcmp(name, "numFmt") == 0) {
        const char *code = xlsxpart_attr(attrs, "formatCode");
        enum xlsxnum_kind kind =
            code != NULL ? format_kind(code) : XLSXNUM_NUMBER;
        if (!parse_uint(xlsxpart_attr(attrs, "numFmtId"), &id) ||
            kind == XLSXNUM_NUMBER)
            return;
        if (c->ndate == c->adate) {
            c->adate = c->adate ? 2 * c->adate : 8;
            c->date_fmt =
                xreallocarray(c->date_fmt, c->adate, sizeof(*c->date_fmt));
            c->date_kind =
                xreallocarray(c->date_kind, c->adate, sizeof(*c->date_kind));
        }
        c->date_kind[c->ndate] = (unsigned char)kind;
        c->date_fmt[c->ndate++] = id;
    }
}

static void
styles_end(void *ctx, const char *name)
{
    struct styles_ctx *c = ctx;
    if (strcmp(name, "cellXfs") == 0)
        c->in_xfs = false;
}

static int
load_styles(struct xlsx *x, struct diag_list *dl)
{
    static const struct xlsxpart_handlers h = {styles_start, styles_end, NULL};
    struct styles_ctx c;
    int rc;

    memset(&c, 0, sizeof(c));
    rc = xlsxpart_parse(x->zip, "xl/styles.xml", XLSX_MAX_PART, false, &h, &c.x,
                        x->file, dl);
    if (rc == 0) {
        x->nxf = c.nxf;
        x->xf_kind = xreallocarray(NULL, c.nxf ? c.nxf : 1, 1);
        for (size_t i = 0; i < c.nxf; i++) {
            /* a custom format may reuse a built-in id: it wins */
            enum xlsxnum_kind kind = builtin_kind(c.xf_fmt[i]);
            for (size_t k = 0; k < c.ndate; k++)
                if (c.date_fmt[k] == c.xf_fmt[i])
                    kind = (enum xlsxnum_kind)c.date_kind[k];
            x->xf_kind[i] = (unsigned char)kind;
        }
    }
    free(c.xf_fmt);
    free(c.date_fmt);
    free(c.date_kind);
    return rc < 0 ? -1 : 0;
}

/* ---- xl/sharedStrings.xml ---- */

struct sst_ctx {
    struct xlsxpart x; /* first */
    struct xlsx *book;
    struct sbuf raw; /* the text of the current <t> */
    struct sbuf cur; /* the current <si>, unescaped */
    bool in_si, in_t;
    unsigned rph; /* inside a phonetic run (<rPh>): skipped */
};

static void
sst_start(void *ctx, const char *name, const char **attrs)
{
    struct sst_ctx *c = ctx;
    struct xlsx *x = c->book;
    (void)attrs;

    (void)x;
    if (strcmp(name, "si") == 0) {
        c->in_si = true;
        sbuf_reset(&c->cur);
    } else if (strcmp(name, "rPh") == 0) {
        c->rph++;
    } else if (c->in_si && c->rph == 0 && strcmp(name, "t") == 0) {
        c->in_t = true;
        sbuf_reset(&c->raw);
    }
}

static void
sst_end(void *ctx, const char *name)
{
    struct sst_ctx *c = ctx;
    struct xlsx *x = c->book;

    if (strcmp(name, "rPh") == 0 && c->rph > 0) {
        c->rph--;
    } else if (c->in_t && strcmp(name, "t") == 0) {
        c->in_t = false;
        xlsx_unescape(&c->cur, c->raw.buf, c->raw.len);
    } else if (c->in_si && strcmp(name, "si") == 0) {
        c->in_si = false;
        if (xlsxsst_add(x->sst, c->cur.buf, c->cur.len) < 0)
            xlsxpart_fail(&c->x,
                          _("cannot keep the shared strings in a "
                            "temporary file: %s"),
                          strerror(errno));
    }
}

static void
sst_text(void *ctx, const char *s, int len)
{
    struct sst_ctx *c = ctx;
    if (c->in_t)
        sbuf_add(&c->raw, s, (size_t)len);
}

static int
load_strings(struct xlsx *x, struct diag_list *dl)
{
    static const struct xlsxpart_handlers h = {sst_start, sst_end, sst_text};
    struct sst_ctx c;
    int rc;

    memset(&c, 0, sizeof(c));
    c.book = x;
    sbuf_init(&c.raw);
    sbuf_init(&c.cur);
    rc = xlsxpart_parse(x->zip, "xl/sharedStrings.xml", XLSX_MAX_STRINGS, false,
                        &h, &c.x, x->file, dl);
    sbuf_release(&c.raw);
    sbuf_release(&c.cur);
    return rc < 0 ? -1 : 0;
}

/* ---- the workbook ---- */

static zip_t *
open_zip(const char *file, int fd, const char *buf, size_t len,
         struct diag_list *dl)
{
    zip_error_t err;
    zip_t *zip = NULL;

    zip_error_init(&err);
    if (fd >= 0) {
        int dfd = dup(fd);
        int code = 0;
        if (dfd < 0)
            return diag_list_addf(dl, DIAG_ERROR, DIAG_NOINPUT, file, 0, 0,
                                  _("cannot read: %s"), strerror(errno)),
                   NULL;
        zip = zip_fdopen(dfd, 0, &code);
        if (zip == NULL) {
            close(dfd);
            zip_error_init_with_code(&err, code);
        }
    } else {
        zip_source_t *src = zip_source_buffer_create(buf, len, 0, &err);
        if (src != NULL) {
            zip = zip_open_from_source(src, ZIP_RDONLY, &err);
            if (zip == NULL)
                zip_source_free(src);
        }
    }
    if (zip == NULL)
        diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, file, 0, 0,
                       _("this looks like an Excel workbook (.xlsx) but cannot "
                         "be opened as one: %s"),
                       zip_error_strerror(&err));
    zip_error_fini(&err);
    return zip;
}

struct xlsx *
xlsx_open(const char *file, int fd, const char *buf, size_t len,
          const char *sheet, struct diag_list *dl)
{
    struct xlsx *x = xcalloc(1, sizeof(*x));

    x->file = file;
    x->sst = xlsxsst_new(XLSXSST_IN_MEMORY);
    x->zip = open_zip(file, fd, buf, len, dl);
    if (x->zip == NULL || load_book(x, sheet, dl) < 0 ||
        load_styles(x, dl) < 0 || load_strings(x, dl) < 0) {
        xlsx_close(x);
        return NULL;
    }
    return x;
}

const char *
xlsx_sheet_name(const struct xlsx *x)
{
    return x->sheet_name;
}

void
xlsx_close(struct xlsx *x)
{
    if (x == NULL)
        return;
    if (x->zip != NULL)
        zip_discard(x->zip);
    free(x->sheet_name);
    free(x->sheet_part);
    free(x->xf_kind);
    xlsxsst_free(x->sst);
    free(x);
}
