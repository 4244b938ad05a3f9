#include "ingest/summary.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/diag.h"
#include "common/money.h"
#include "common/period.h"
#include "common/sbuf.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "ingest/codes.h"
#include "ingest/csvread.h"
#include "ingest/refdata.h"
#include "ingest/schema.h"
#include "ingest/sumheader.h"
#include "ingest/sumtotal.h"
#include "ingest/vocab.h"

/*
 * person_times of a row must be below 10^15: no real count comes near, and
 * an 18-character ID (or a 15-digit one) moved into the column does not pass
 * as one.
 */
#define SUMMARY_PERSON_TIMES_LIMIT 1000000000000000LL

struct parse_ctx {
    struct submission *sf;
    const struct ingest_opts *opts;
    const struct refdata *rd;
    struct diag_list *dl;
    const char *file;
    struct schema schema;
    size_t alloc;
    int header_ok;
    int errors;
    struct sumtotal *totals; /* total rows: checked, never stored */
    size_t ntotal, total_alloc;
    unsigned long *blank_rel; /* lines of data rows with a blank relation */
    size_t nblank, blank_alloc;
    /* rows above the header (title and unit rows), what unit rows said */
    unsigned long header_line, preamble_rows;
    struct schema_units units;
    char delim;      /* the field separator: ',', '\t' or ';' */
    struct sbuf hdr; /* the header's fields, trimmed, NUL after each */
    /* the first row of a two-row header, while the second is awaited */
    struct sbuf top; /* its fields, trimmed, NUL after each */
    size_t ntop;
    unsigned long top_line;
    bool top_done; /* the second row came */
    /* a value cell normalised by value() */
    char norm[128];
};

/*
 * Title and unit rows allowed above the header; past that the file has no
 * header gongji recognises.
 */
#define SUMMARY_MAX_PREAMBLE 10

/* A field of the row with surrounding ASCII blanks removed. */
static void
field(const struct csvread_row *row, int idx, const char **s, size_t *len)
{
    *s = row->fields[idx].s;
    *len = row->fields[idx].len;
    utf8_trim_blanks(s, len);
}

/*
 * A number or period cell as spreadsheets write it, made ASCII by
 * money_normalize() ('330100, ２０２４, ￥1,234.00元) into c->norm; a cell
 * too long for it is left as it is, for the parser to refuse.
 */
static void
value(struct parse_ctx *c, const struct csvread_row *row, int idx,
      unsigned flags, const char **s, size_t *len)
{
    field(row, idx, s, len);
    int n = money_normalize(*s, *len, flags, c->norm, sizeof(c->norm));
    if (n >= 0) {
        *s = c->norm;
        *len = (size_t)n;
    }
}

/* The hint for the field's value (diag_hint()), "" when none. */
static const char *
hint(struct parse_ctx *c, const struct csvread_row *row, int idx, char *out,
     size_t outsz)
{
    const char *s;
    size_t len;
    field(row, idx, &s, &len);
    return diag_hint(out, outsz, s, len,
                     idx == c->schema.idx[COL_PERIOD] ? DIAG_HINT_DATE : 0);
}

/*
 * Report err (message only) at the row's line and the column's field, with
 * a hint from the value.
 */
static void
report(struct parse_ctx *c, const struct csvread_row *row, int idx,
       const struct diag *err)
{
    char h[160];
    diag_list_addf(c->dl, DIAG_ERROR, DIAG_DATA, c->file, row->line,
                   (unsigned long)idx + 1, "%s%s", err->msg,
                   hint(c, row, idx, h, sizeof(h)));
    c->errors++;
}

/* A warning, or an error under --strict. */
static void
report_strict(struct parse_ctx *c, const struct csvread_row *row, int idx,
              const char *msg)
{
    enum diag_severity sev = c->opts->strict ? DIAG_ERROR : DIAG_WARNING;

    if (sev == DIAG_ERROR)
        c->errors++;
    diag_list_addf(c->dl, sev, DIAG_DATA, c->file, row->line,
                   (unsigned long)idx + 1, "%s", msg);
}

/*** Total rows ***/

/*
 * The words that mark a total row, in any cell.  In such a row a
 * dimension cell that is blank, or holds only these words (and, in the
 * area column, a remainder starting with 全: 全省合计), means "all values".
 */
static const char *const total_words[] = {"合计", "小计", "总计"};
#define NTOTAL_WORDS (sizeof(total_words) / sizeof(total_words[0]))

static bool
has_total_word(const char *s, size_t len)
{
    for (size_t w = 0; w < NTOTAL_WORDS; w++) {
        size_t wl = strlen(total_words[w]);
        for (size_t i = 0; i + wl <= len; i++)
            if (memcmp(s + i, total_words[w], wl) == 0)
                return true;
    }
    return false;
}

/*
 * s[0..len) without the total words and the blanks around what is left,
 * into buf (of bufsz bytes; a longer cell is left as it is).
 */
static void
strip_total_words(const char **s, size_t *len, char *buf, size_t bufsz)
{
    size_t n = 0;

    if (*len > bufsz)
        return;
    for (size_t i = 0; i < *len;) {
        size_t skip = 0;
        for (size_t w = 0; w < NTOTAL_WORDS && skip == 0; w++) {
            size_t wl = strlen(total_words[w]);
            if (i + wl <= *len && memcmp(*s + i, total_words[w], wl) == 0)
                skip = wl;
        }
        if (skip != 0) {
            i += skip;
            continue;
        }
        buf[n++] = (*s)[i++];
    }
    *s = buf;
    *len = n;
    utf8_trim_blanks(s, len);
}

/* The first field holding a total word (1-based), or 0. */
static unsigned long
total_mark(const struct csvread_row *row)
{
    for (size_t i = 0; i < row->nfields; i++)
        if (has_total_word(row->fields[i].s, row->fields[i].len))
            return (unsigned long)i + 1;
    return 0;
}

static void
add_total(struct parse_ctx *c, const struct sumtotal *t)
{
    if (c->ntotal == c->total_alloc) {
        c->total_alloc = c->total_alloc ? 2 * c->total_alloc : 16;
        c->totals =
            xreallocarray(c->totals, c->total_alloc, sizeof(*c->totals));
    }
    c->totals[c->ntotal++] = *t;
}

/*** Areas ***/

/* s[0..len) names province p (浙江省, 浙江), or is 全省... */
static bool
name_is_province(const struct province *p, const char *s, size_t len)
{
    return (strlen(p->name) == len && memcmp(p->name, s, len) == 0) ||
           (strlen(p->short_name) == len &&
            memcmp(p->short_name, s, len) == 0) ||
           (len >= 3 && memcmp(s, "全", 3) == 0);
}

enum area_kind { AREA_CODE, AREA_PROVINCE, AREA_ALL };

/* "110100 北京市, 110000 北京市 (the province)" for a message. */
static void
candidates(const struct refdata_names *m, char *buf, size_t len)
{
    size_t n = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < m->narea && i < REFDATA_NAME_AREAS; i++)
        n +=
            (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%06d %s",
                             i ? ", " : "", m->area[i]->code, m->area[i]->name);
    if (m->province != NULL && n < len)
        snprintf(buf + n, len - n, "%s%06d %s (the province total)",
                 n ? ", " : "", m->province->code, m->province->name);
}

/*
 * Check the name nm[0..len) given for area a (in the name column, or after
 * the code in the area cell): a warning naming both when it names another
 * area or a province, an error under --strict.
 */
static void
check_area_name(struct parse_ctx *c, const struct csvread_row *row, int idx,
                const struct area *a, const char *nm, size_t len)
{
    struct refdata_names m;
    char q[96], msg[300], who[200];

    if (len == 0 || refdata_area_named(a, nm, len))
        return;
    refdata_match_name(c->rd, nm, len, &m);
    /*
     * A name the table does not know (某统筹区, 杭州市本级) says nothing
     * against the code: the column is informational.
     */
    if (m.narea == 0 && m.province == NULL)
        return;
    candidates(&m, who, sizeof(who));
    snprintf(msg, sizeof(msg),
             "area %06d is %s in data/areas.csv, but its name is given as "
             "%s (%s)%s",
             a->code, a->name, diag_quote(q, sizeof(q), nm, len), who,
             c->opts->strict ? "" : "; stored under the code");
    report_strict(c, row, idx, msg);
}

/*
 * The area cell: a 6-digit code, a code with a name after it (330100杭州市,
 * 330100 杭州市), or a name alone (杭州市, 杭州) resolved through
 * data/areas.csv when it names one area only.  A province code or name is
 * AREA_PROVINCE (a total row); in a row marked as a total, a blank cell or
 * one holding only the total words or 全省... is AREA_ALL.  Returns the kind
 * or -1 after an error.
 */
static int
parse_area(struct parse_ctx *c, const struct csvread_row *row, int idx,
           bool marked, int *area)
{
    char q[96], buf[256], who[200], h[160];
    const char *s, *nm;
    size_t len, nd = 0, nlen;
    int v = 0;

    value(c, row, idx, 0, &s, &len);
    if (marked) {
        strip_total_words(&s, &len, buf, sizeof(buf));
        if (len == 0 || (len >= 3 && memcmp(s, "全", 3) == 0))
            return AREA_ALL;
    }
    while (nd < len && nd < 7 && s[nd] >= '0' && s[nd] <= '9')
        v = v * 10 + (s[nd++] - '0');
    if (nd != 6 && nd != 0)
        goto not_code;
    nm = s + nd;
    nlen = len - nd;
    /* separators people put between code and name */
    while (nd == 6 && nlen > 0 &&
           (nm[0] == ' ' || nm[0] == '-' || nm[0] == '_' || nm[0] == ':' ||
            nm[0] == '/')) {
        nm++;
        nlen--;
    }

    if (nd == 0) {
        struct refdata_names m;
        refdata_match_name(c->rd, s, len, &m);
        size_t n = m.narea + (m.province != NULL);
        if (n == 0)
            goto not_code;
        if (n > 1) {
            candidates(&m, who, sizeof(who));
            c->errors++;
            return diag_list_addf(
                c->dl, DIAG_ERROR, DIAG_DATA, c->file, row->line,
                (unsigned long)idx + 1,
                "area %s is ambiguous: it names %s; write the 6-digit code",
                diag_quote(q, sizeof(q), s, len), who);
        }
        *area = m.province != NULL ? m.province->code : m.area[0]->code;
        return m.province != NULL ? AREA_PROVINCE : AREA_CODE;
    }

    if (refdata_area_province(c->rd, v) == NULL) {
        c->errors++;
        return diag_list_addf(c->dl, DIAG_ERROR, DIAG_DATA, c->file, row->line,
                              (unsigned long)idx + 1,
                              "area %s: no province has the prefix %.2s "
                              "(first two digits)",
                              diag_quote(q, sizeof(q), s, len), s);
    }
    *area = v;
    if (v % 10000 == 0) {
        /* a province code is never a pooling area: the row is a total */
        const struct province *p = refdata_province(c->rd, v);
        if (nlen > 0 && name_is_province(p, nm, nlen) == false) {
            c->errors++;
            return diag_list_addf(
                c->dl, DIAG_ERROR, DIAG_DATA, c->file, row->line,
                (unsigned long)idx + 1,
                "area %s: %06d is the province %s, but the name after it "
                "is not",
                diag_quote(q, sizeof(q), s, len), v, p->name);
        }
        return AREA_PROVINCE;
    }
    const struct area *a = refdata_area(c->rd, v);
    if (nlen > 0) {
        struct refdata_names m;
        refdata_match_name(c->rd, nm, nlen, &m);
        bool named = a != NULL && refdata_area_named(a, nm, nlen);
        if (!named && (m.narea > 0 || m.province != NULL)) {
            /* the cell says two things: which one is meant? */
            candidates(&m, who, sizeof(who));
            c->errors++;
            return diag_list_addf(
                c->dl, DIAG_ERROR, DIAG_DATA, c->file, row->line,
                (unsigned long)idx + 1,
                "area %s is ambiguous: the code %06d is %s but the name "
                "is %s; write one of them",
                diag_quote(q, sizeof(q), s, len), v,
                a != NULL ? a->name : "not in data/areas.csv", who);
        }
        if (a != NULL)
            check_area_name(c, row, idx, a, nm, nlen);
    }
    if (a == NULL) {
        char msg[200];
        snprintf(msg, sizeof(msg),
                 "area %s is not in the pooling-area table "
                 "(data/areas.csv)%s",
                 diag_quote(q, sizeof(q), s, len),
                 c->opts->strict ? "" : "; stored anyway");
        report_strict(c, row, idx, msg);
        if (c->opts->strict)
            return -1;
    }
    return AREA_CODE;

not_code:
    c->errors++;
    return diag_list_addf(
        c->dl, DIAG_ERROR, DIAG_DATA, c->file, row->line,
        (unsigned long)idx + 1,
        "area %s is not a 6-digit pooling-area code nor the name of one in "
        "data/areas.csv%s",
        diag_quote(q, sizeof(q), row->fields[idx].s, row->fields[idx].len),
        hint(c, row, idx, h, sizeof(h)));
}

static int
parse_code(struct parse_ctx *c, const struct csvread_row *row, int idx,
           const char *s, size_t len, enum code_set set, unsigned char *out)
{
    char q[96], h[160];

    int v = vocab_value(refdata_vocab(c->rd), set, s, len);
    if (v < 0) {
        c->errors++;
        return diag_list_addf(
            c->dl, DIAG_ERROR, DIAG_DATA, c->file, row->line,
            (unsigned long)idx + 1,
            "%s %s is not a known value (accepted: %s)%s", codes_set_name(set),
            diag_quote(q, sizeof(q), s, len), codes_accepted(set),
            hint(c, row, idx, h, sizeof(h)));
    }
    *out = (unsigned char)v;
    return 0;
}

/*
 * A dimension cell: in a total row, without the total words; *all is set
 * when nothing is left (the total is over all values).
 */
static void
dim_field(struct parse_ctx *c, const struct csvread_row *row, int idx,
          bool marked, char *buf, size_t bufsz, const char **s, size_t *len,
          bool *all)
{
    value(c, row, idx, 0, s, len);
    if (marked)
        strip_total_words(s, len, buf, bufsz);
    *all = marked && *len == 0;
}

/*
 * A row above the header: a unit row ("单位：万元、人次"), or a title row
 * (one or two cells, none a column name: "2024年9月职工医保个人账户共济
 * 情况", "填报单位：浙江省医保局").  Returns 1 when it is one of those, 0
 * when it is the header, -1 when a unit row is wrong (reported).
 */
static int
preamble_row(struct parse_ctx *c, const struct schema_cell *cells, size_t n,
             unsigned long line)
{
    const struct vocab *v = refdata_vocab(c->rd);
    size_t filled = 0;

    if (c->preamble_rows >= SUMMARY_MAX_PREAMBLE)
        return 0;
    int rc = schema_unit_row(&c->units, v, cells, n, c->file, line, c->dl);
    if (rc != 0)
        return rc;
    for (size_t i = 0; i < n; i++) {
        const char *s = cells[i].s;
        size_t len = cells[i].len;
        utf8_trim_blanks(&s, &len);
        if (len > 0)
            filled++;
        if (schema_lookup(v, s, len, NULL) >= 0)
            return 0;
    }
    return filled <= 2;
}

/* Is the field empty, blanks aside? */
static bool
blank(const struct csvread_field *f)
{
    const char *s = f->s;
    size_t len = f->len;
    utf8_trim_blanks(&s, &len);
    return len == 0;
}

/*
 * Is the row a repetition of the header (files concatenated, each with its
 * header and perhaps its UTF-8 BOM)?
 */
static bool
repeats_header(const struct parse_ctx *c, const struct csvread_row *row)
{
    const char *h = c->hdr.buf;

    for (size_t i = 0; i < row->nfields; i++) {
        const char *s = row->fields[i].s;
        size_t len = row->fields[i].len;
        if (i == 0 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
            s += 3;
            len -= 3;
        }
        utf8_trim_blanks(&s, &len);
        if (i >= c->schema.nfields) {
            if (len != 0)
                return false;
            continue;
        }
        size_t hl = strlen(h);
        if (hl != len || memcmp(h, s, len) != 0)
            return false;
        h += hl + 1;
    }
    return row->nfields >= c->schema.nfields;
}

/* For guessing the separator: is s[0..len) a column name? */
static bool
known_name(const char *s, size_t len, void *ctx)
{
    const struct parse_ctx *c = ctx;
    return schema_lookup(refdata_vocab(c->rd), s, len, NULL) >= 0;
}

/* An empty field: the first row of a two-row header? */
static bool
has_hole(const struct csvread_row *row)
{
    for (size_t i = 0; i < row->nfields; i++)
        if (blank(&row->fields[i]))
            return true;
    return false;
}

static int on_header(struct parse_ctx *c, const struct csvread_row *row);
static int on_row(const struct csvread_row *row, void *data);

/*
 * The row after a header row with holes (c->top).  It is the second row of
 * a two-row header (Excel's merged cells: 共济人次 / 共济金额 spanning the
 * sub-headers below them, the other names merged down over both rows) when
 * it has text only under the holes and under the names that span them:
 * the two rows are then mapped as one (ingest/sumheader.h).  Otherwise the
 * first row is mapped alone (an empty field between names is an error,
 * empty fields at its end are no columns) and this row is data.
 */
static int
on_sub_header(struct parse_ctx *c, const struct csvread_row *row)
{
    struct sbuf names = SBUF_INIT;
    size_t n = c->ntop;

    c->top_done = true;
    bool sub = sumheader_combine(refdata_vocab(c->rd), c->top.buf, c->ntop, row,
                                 &names, &n);
    if (!sub)
        sbuf_add(&names, c->top.buf, c->top.len);
    struct csvread_field *f = xreallocarray(NULL, n ? n : 1, sizeof(*f));
    const char *p = names.buf;
    for (size_t i = 0; i < n; i++, p += strlen(p) + 1)
        f[i] = (struct csvread_field){p, strlen(p)};
    struct csvread_row v = {.fields = f, .nfields = n, .line = c->top_line};
    if (sub)
        diag_list_addf(c->dl, DIAG_WARNING, DIAG_FORMAT, c->file, row->line, 0,
                       "lines %lu and %lu are read as one two-row header "
                       "(merged cells)",
                       c->top_line, row->line);
    int rc = on_header(c, &v);
    if (rc == 0 && sub)
        c->header_line = row->line;
    else if (rc == 0 && row->nfields > 0)
        rc = on_row(row, c);
    sbuf_release(&names);
    free(f);
    return rc;
}

/*
 * The header row, or a row above it: map it.  Without a usable header no row
 * can be read, so a non-zero return stops the reading.
 */
static int
on_header(struct parse_ctx *c, const struct csvread_row *row)
{
    if (c->top_line != 0 && !c->top_done)
        return on_sub_header(c, row);

    struct schema_cell *cells =
        xreallocarray(NULL, row->nfields ? row->nfields : 1, sizeof(*cells));

    for (size_t i = 0; i < row->nfields; i++) {
        cells[i] = (struct schema_cell){row->fields[i].s, row->fields[i].len};
        /* messages about this file's columns quote the header's text */
        const char *s = row->fields[i].s;
        size_t len = row->fields[i].len;
        utf8_trim_blanks(&s, &len);
        diag_list_name_column(c->dl, c->file, (unsigned long)i + 1, s, len);
    }
    const struct vocab *v = refdata_vocab(c->rd);
    int pre = c->top_done ? 0 : preamble_row(c, cells, row->nfields, row->line);
    if (pre != 0) {
        free(cells);
        c->preamble_rows++;
        return pre < 0 ? 1 : 0;
    }
    if (!c->top_done && has_hole(row)) {
        /* perhaps a two-row header: the next row tells */
        for (size_t i = 0; i < row->nfields; i++) {
            const char *s = row->fields[i].s;
            size_t len = row->fields[i].len;
            utf8_trim_blanks(&s, &len);
            sbuf_add(&c->top, s, len);
            sbuf_addch(&c->top, '\0');
        }
        c->ntop = row->nfields;
        c->top_line = row->line;
        free(cells);
        return 0;
    }
    c->header_line = row->line;
    /* empty fields that end the header (cleared Excel columns) are no column */
    size_t n = row->nfields;
    while (n > 0 && blank(&row->fields[n - 1]))
        n--;
    for (size_t i = 0; i < n; i++) {
        const char *s = cells[i].s;
        size_t len = cells[i].len;
        utf8_trim_blanks(&s, &len);
        sbuf_add(&c->hdr, s, len);
        sbuf_addch(&c->hdr, '\0');
    }
    if (c->preamble_rows > 0)
        diag_list_addf(c->dl, DIAG_WARNING, DIAG_FORMAT, c->file, row->line, 0,
                       "the header is line %lu: the %lu row(s) above it are "
                       "read as title and unit rows",
                       row->line, c->preamble_rows);
    if (schema_is_detail(v, cells, n)) {
        /* input_read() sends these to the detail reader */
        diag_list_addf(c->dl, DIAG_ERROR, DIAG_FORMAT, c->file, row->line, 0,
                       "this is the header of a per-settlement detail file "
                       "(settlement_id, settle_time, ...), not of a summary "
                       "file");
        c->header_ok = 0;
    } else {
        c->header_ok = schema_map(&c->schema, v, cells, n, FILE_SUMMARY,
                                  c->file, row->line, c->dl) == 0;
        if (c->header_ok)
            c->header_ok = schema_apply_units(&c->schema, &c->units, cells, n,
                                              c->file, row->line, c->dl) == 0;
    }
    free(cells);
    return c->header_ok ? 0 : 1;
}

/* The unit column c is written in, for messages: "万元", or NULL. */
static const char *
unit_name(const struct schema *sc, enum column c)
{
    return sc->unit[c] != NULL && sc->exp10[c] > 0 ? sc->unit[c]->name : NULL;
}

static int
on_row(const struct csvread_row *row, void *data)
{
    struct parse_ctx *c = data;
    struct submission *sf = c->sf;
    struct diag err;
    struct record r;
    struct sumtotal t;
    char buf[256];
    const char *s;
    size_t len;
    bool all;
    int bad = 0;

    if (c->header_line == 0)
        return on_header(c, row);
    if (repeats_header(c, row)) {
        diag_list_addf(c->dl, DIAG_WARNING, DIAG_FORMAT, c->file, row->line, 0,
                       "line %lu repeats the header (line %lu): skipped "
                       "(files concatenated?)",
                       row->line, c->header_line);
        return 0;
    }
    size_t extra = row->nfields;
    while (extra > c->schema.nfields && blank(&row->fields[extra - 1]))
        extra--;
    if (extra != c->schema.nfields) {
        c->errors++;
        diag_list_addf(
            c->dl, DIAG_ERROR, DIAG_FORMAT, c->file, row->line,
            extra > c->schema.nfields ? (unsigned long)c->schema.nfields + 1
                                      : (unsigned long)row->nfields,
            "row has %zu fields but the header has %zu%s", extra,
            c->schema.nfields,
            extra > c->schema.nfields
                ? (c->delim == ',' ? " (an unquoted comma inside a value?)"
                                   : " (a separator inside a value?)")
                : "");
        return 0;
    }

    memset(&r, 0, sizeof(r));
    memset(&t, 0, sizeof(t));
    r.line = row->line;
    diag_clear(&err);
    t.col = total_mark(row);
    bool marked = t.col != 0;

    int i = c->schema.idx[COL_PERIOD];
    struct period p;
    dim_field(c, row, i, marked, buf, sizeof(buf), &s, &len, &all);
    if (all) {
        t.any_period = true;
    } else if (period_parse(&p, s, len, &err) < 0) {
        report(c, row, i, &err);
        bad = 1;
    } else {
        r.period = p;
    }

    i = c->schema.idx[COL_AREA];
    int kind = parse_area(c, row, i, marked, &r.area);
    if (kind < 0) {
        bad = 1;
    } else if (kind == AREA_ALL) {
        r.area = 0;
    } else if (kind == AREA_PROVINCE && !marked) {
        t.kind = SUMTOTAL_PROVINCE;
        t.col = (unsigned long)i + 1;
    }
    bool total = marked || kind == AREA_PROVINCE;

    unsigned char *dims[2] = {&r.scope, &r.use};
    static const enum column dcol[2] = {COL_SCOPE, COL_USE};
    static const enum code_set dset[2] = {CODESET_SCOPE, CODESET_USE};
    for (int d = 0; d < 2; d++) {
        i = c->schema.idx[dcol[d]];
        dim_field(c, row, i, total, buf, sizeof(buf), &s, &len, &all);
        if (all)
            *dims[d] = SUMTOTAL_ANY;
        else if (parse_code(c, row, i, s, len, dset[d], dims[d]) < 0)
            bad = 1;
    }

    bool blank_rel = false;
    r.relation = total ? SUMTOTAL_ANY : REL_UNSPECIFIED;
    i = c->schema.idx[COL_RELATION];
    if (i >= 0) {
        dim_field(c, row, i, total, buf, sizeof(buf), &s, &len, &all);
        if (len > 0 &&
            parse_code(c, row, i, s, len, CODESET_RELATION, &r.relation) < 0)
            bad = 1;
        blank_rel = len == 0 && !total;
    }

    i = c->schema.idx[COL_PERSON_TIMES];
    value(c, row, i, 0, &s, &len);
    if (count_parse_scaled(s, len, c->schema.exp10[COL_PERSON_TIMES],
                           unit_name(&c->schema, COL_PERSON_TIMES),
                           &r.person_times, "person_times", &err) < 0) {
        report(c, row, i, &err);
        bad = 1;
    } else if (r.person_times >= SUMMARY_PERSON_TIMES_LIMIT) {
        /*
         * A count that long is no count (a nation has 10^8 person-times a
         * year) but most likely an ID in the wrong column, which must not be
         * stored and echoed in full (DESIGN §3b).
         */
        char q[96];
        diag_set(&err, DIAG_DATA,
                 "person_times %s has more than 15 digits (is it an ID in "
                 "the wrong column?)",
                 diag_quote(q, sizeof(q), s, len));
        report(c, row, i, &err);
        bad = 1;
    }

    i = c->schema.idx[COL_AMOUNT];
    value(c, row, i, MONEY_NORM_CURRENCY, &s, &len);
    if (money_parse_scaled(s, len, c->schema.exp10[COL_AMOUNT],
                           unit_name(&c->schema, COL_AMOUNT), &r.amount_fen,
                           "amount", &err) < 0) {
        report(c, row, i, &err);
        bad = 1;
    } else if (r.amount_fen < 0) {
        char q[96];
        diag_set(&err, DIAG_DATA,
                 "amount %s is negative (summary records are monthly "
                 "flows, refunds already netted)",
                 diag_quote(q, sizeof(q), s, len));
        report(c, row, i, &err);
        bad = 1;
    }

    /* the name column of a data row must name its area */
    i = c->schema.idx[COL_AREA_NAME];
    if (!bad && !total && i >= 0) {
        const struct area *a = refdata_area(c->rd, r.area);
        field(row, i, &s, &len);
        if (a != NULL)
            check_area_name(c, row, i, a, s, len);
    }

    /*
     * Rows that are valid on their own are kept even after errors elsewhere
     * (the file is rejected anyway), so that repeated keys among them are
     * reported in the same run.
     */
    if (bad)
        return 0;
    if (total) {
        t.period = r.period;
        t.area = r.area;
        t.scope = r.scope;
        t.use = r.use;
        t.relation = r.relation;
        t.person_times = r.person_times;
        t.amount_fen = r.amount_fen;
        t.line = r.line;
        t.pt_col = (unsigned long)c->schema.idx[COL_PERSON_TIMES] + 1;
        t.amount_col = (unsigned long)c->schema.idx[COL_AMOUNT] + 1;
        add_total(c, &t);
        return 0;
    }
    if (blank_rel) {
        if (c->nblank == c->blank_alloc) {
            c->blank_alloc = c->blank_alloc ? 2 * c->blank_alloc : 64;
            c->blank_rel = xreallocarray(c->blank_rel, c->blank_alloc,
                                         sizeof(*c->blank_rel));
        }
        c->blank_rel[c->nblank++] = r.line;
    }
    if (sf->nrows == c->alloc) {
        c->alloc = c->alloc ? 2 * c->alloc : 256;
        sf->rows = xreallocarray(sf->rows, c->alloc, sizeof(*sf->rows));
    }
    sf->rows[sf->nrows++] = r;
    return 0;
}

/* By key, then by line: a repeated key's earlier line comes first. */
static int
cmp_key(const void *pa, const void *pb)
{
    const struct record *a = pa, *b = pb;
    int c = submission_key_cmp(a, b);
    return c ? c : (a->line > b->line) - (a->line < b->line);
}

static int
cmp_ulong(const void *pa, const void *pb)
{
    unsigned long a = *(const unsigned long *)pa;
    unsigned long b = *(const unsigned long *)pb;
    return (a > b) - (a < b);
}

static bool
same_group(const struct record *a, const struct record *b)
{
    return period_cmp(a->period, b->period) == 0 && a->area == b->area &&
           a->scope == b->scope && a->use == b->use;
}

static bool
line_in(const unsigned long *lines, size_t n, unsigned long line)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (lines[mid] < line)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && lines[lo] == line;
}

/*
 * A data row whose relation is blank, among rows of the same (period,
 * area, scope, use) that give one other than unspecified, is their
 * subtotal: it becomes a total over all relations.  A blank relation alone
 * (or beside an explicit unspecified: then a duplicate key) is
 * `unspecified` data, as before.  Rows arrive in line order, so c->blank_rel is
 * sorted.
 */
static void
find_relation_subtotals(struct parse_ctx *c)
{
    struct submission *sf = c->sf;
    size_t n = sf->nrows, nsub = 0;

    if (c->nblank == 0 || n == 0)
        return;
    struct record *sorted = xreallocarray(NULL, n, sizeof(*sorted));
    unsigned long *sub = xreallocarray(NULL, c->nblank, sizeof(*sub));
    memcpy(sorted, sf->rows, n * sizeof(*sorted));
    qsort(sorted, n, sizeof(*sorted), cmp_key);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        bool related = false;
        while (j < n && same_group(&sorted[i], &sorted[j])) {
            related =
                related || (sorted[j].relation != REL_UNSPECIFIED &&
                            !line_in(c->blank_rel, c->nblank, sorted[j].line));
            j++;
        }
        for (size_t k = i; related && k < j; k++) {
            const struct record *r = &sorted[k];
            if (!line_in(c->blank_rel, c->nblank, r->line))
                continue;
            struct sumtotal t = {
                .kind = SUMTOTAL_RELATION,
                .period = r->period,
                .area = r->area,
                .scope = r->scope,
                .use = r->use,
                .relation = SUMTOTAL_ANY,
                .person_times = r->person_times,
                .amount_fen = r->amount_fen,
                .line = r->line,
                .col = (unsigned long)c->schema.idx[COL_RELATION] + 1,
                .pt_col = (unsigned long)c->schema.idx[COL_PERSON_TIMES] + 1,
                .amount_col = (unsigned long)c->schema.idx[COL_AMOUNT] + 1,
            };
            add_total(c, &t);
            sub[nsub++] = r->line;
        }
        i = j;
    }
    if (nsub > 0) {
        qsort(sub, nsub, sizeof(*sub), cmp_ulong);
        size_t w = 0;
        for (size_t i = 0; i < n; i++)
            if (!line_in(sub, nsub, sf->rows[i].line))
                sf->rows[w++] = sf->rows[i];
        sf->nrows = w;
    }
    free(sub);
    free(sorted);
}

/*
 * Find repeated keys (sorting a copy by key, then line), check the total
 * rows against the data rows, and build the (province, month) coverage
 * with checked totals.
 */
static void
check_keys_and_cover(struct parse_ctx *c)
{
    struct submission *sf = c->sf;
    size_t n = sf->nrows;
    struct record *sorted = xreallocarray(NULL, n ? n : 1, sizeof(*sorted));

    if (n > 0)
        memcpy(sorted, sf->rows, n * sizeof(*sorted));
    qsort(sorted, n, sizeof(*sorted), cmp_key);
    for (size_t i = 1; i < n; i++) {
        const struct record *a = &sorted[i - 1], *b = &sorted[i];
        if (submission_key_cmp(a, b) == 0) {
            char per[PERIOD_LABEL_MAX];
            c->errors++;
            diag_list_addf(c->dl, DIAG_ERROR, DIAG_DATA, c->file, b->line, 0,
                           "duplicate key (%s, %06d, %s, %s, %s): "
                           "line %lu has the same period, area, scope, use "
                           "and relation",
                           period_format(per, sizeof(per), b->period), b->area,
                           codes_code(CODESET_SCOPE, b->scope),
                           codes_code(CODESET_USE, b->use),
                           codes_code(CODESET_RELATION, b->relation), a->line);
        }
    }
    /*
     * Totals are checked only against a file without errors: with a row
     * missing, a right total would look wrong.
     */
    if (c->errors == 0 && c->ntotal > 0)
        c->errors += (int)sumtotal_check(c->totals, c->ntotal, sorted, n,
                                         c->file, c->dl);

    if (c->errors == 0 &&
        submission_build_cover(sf, sorted, n, c->file, c->dl) < 0)
        c->errors++;
    free(sorted);
}

int
summary_parse(struct submission *sf, const char *path, const char *buf,
              size_t len, const struct ingest_opts *opts,
              const struct refdata *rd, struct diag_list *dl)
{
    struct sbuf text = SBUF_INIT;
    struct diag err;
    struct parse_ctx c;
    size_t errors_before = dl->errors;

    memset(&c, 0, sizeof(c));
    c.sf = sf;
    c.opts = opts;
    c.rd = rd;
    c.dl = dl;
    c.file = path;
    sbuf_init(&c.hdr);
    sbuf_init(&c.top);
    sf->path = path;
    sf->bytes = len;
    sha256_hex(buf, len, sf->sha256);
    diag_clear(&err);

    if (len == 0) {
        diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, path, 0, 0,
                       "the file is empty");
        goto out;
    }
    if (encoding_file_to_utf8(buf, len, opts->encoding, path, &text,
                              &sf->encoding, &sf->had_bom, &err) < 0) {
        diag_list_add(dl, &err);
        goto out;
    }
    c.delim = csvread_guess_delim(text.buf, text.len, SUMMARY_MAX_PREAMBLE + 1,
                                  known_name, &c);
    int rc = csvread_buffer_delim(text.buf, text.len, c.delim, path, on_row, &c,
                                  &err);
    if (rc == 0 && c.top_line != 0 && !c.top_done) {
        /* a header with holes, and no row after it */
        struct csvread_row none = {.line = c.top_line};
        rc = on_sub_header(&c, &none);
    }
    if (rc < 0) {
        diag_list_add(dl, &err);
        goto out;
    }
    if (rc == 0 && !c.header_ok) {
        diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, path, 0, 0,
                       "the file is empty (no header row)");
        goto out;
    }
    if (!c.header_ok)
        goto out;
    find_relation_subtotals(&c);
    if (c.errors == 0 && sf->nrows == 0 && c.ntotal == 0) {
        diag_list_addf(dl, DIAG_ERROR, DIAG_DATA, path, c.header_line, 0,
                       "the header is not followed by any data rows");
        goto out;
    }
    if (sf->nrows > 0 || c.ntotal > 0)
        check_keys_and_cover(&c);
    /* no coverage is built for a file with errors: cover may be NULL */
out:
    sbuf_release(&text);
    sbuf_release(&c.hdr);
    sbuf_release(&c.top);
    free(c.totals);
    free(c.blank_rel);
    if (dl->errors > errors_before) {
        submission_drop_rows(sf);
        return -1;
    }
    return 0;
}
