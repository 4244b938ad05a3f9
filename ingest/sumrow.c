/* SPDX-License-Identifier: MIT */
/*
 * ingest/sumrow.c - the validation of one data row of a summary file: the
 * cells (areas by code or name, codes, counts and amounts), total rows
 * recognised, and the row kept.
 */
#include "ingest/sumrow.h"

#include <stdio.h>
#include <string.h>

#include "common/diag.h"
#include "common/i18n.h"
#include "common/money.h"
#include "common/period.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "ingest/codes.h"
#include "ingest/csvread.h"
#include "ingest/refdata.h"
#include "ingest/schema.h"
#include "ingest/submission.h"
#include "ingest/summary_int.h"
#include "ingest/sumtotal.h"
#include "ingest/vocab.h"

/*
 * person_times of a row must be below 10^15: no real count comes near, and
 * an 18-character ID (or a 15-digit one) moved into the column does not pass
 * as one.
 */
#define SUMMARY_PERSON_TIMES_LIMIT 1000000000000000LL

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

/*
 * Every total word is two characters ending in 计: a cell is searched for
 * that character's first byte (every cell of every row is looked at, so
 * this is on the hot path), and the word checked around each find.
 */
#define TOTAL_END      "计"
#define TOTAL_END_LEN  (sizeof(TOTAL_END) - 1)
#define TOTAL_WORD_LEN (2 * TOTAL_END_LEN)

static bool
has_total_word(const char *s, size_t len)
{
    const char *end = s + len;
    for (const char *p = s + TOTAL_WORD_LEN - TOTAL_END_LEN; p < end; p++) {
        p = memchr(p, TOTAL_END[0], (size_t)(end - p));
        if (p == NULL || (size_t)(end - p) < TOTAL_END_LEN)
            return false;
        if (memcmp(p, TOTAL_END, TOTAL_END_LEN) != 0)
            continue;
        for (size_t w = 0; w < NTOTAL_WORDS; w++)
            if (memcmp(p - TOTAL_END_LEN, total_words[w], TOTAL_WORD_LEN) == 0)
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

void
sumrow_add_total(struct parse_ctx *c, const struct sumtotal *t)
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
        snprintf(buf + n, len - n, _("%s%06d %s (the province total)"),
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
             _("area %06d is %s in data/areas.csv, but its name is given as "
               "%s (%s)%s"),
             a->code, a->name, diag_quote(q, sizeof(q), nm, len), who,
             c->opts->strict ? "" : "; stored under the code");
    report_strict(c, row, idx, msg);
}

/* The area cell, once its code (if any) is read off. */
struct area_cell {
    const char *s; /* the cell, normalised (value()) */
    size_t len;
    const char *nm; /* the name after the code, separators skipped */
    size_t nlen;
    int code; /* the 6-digit code, when the cell starts with one */
};

/* The error for a cell that is neither a code nor an area's name: -1. */
static int
area_not_code(struct parse_ctx *c, const struct csvread_row *row, int idx)
{
    char q[96], h[160];

    c->errors++;
    return diag_list_addf(
        c->dl, DIAG_ERROR, DIAG_DATA, c->file, row->line,
        (unsigned long)idx + 1,
        _("area %s is not a 6-digit pooling-area code nor the name of one in "
          "data/areas.csv%s"),
        diag_quote(q, sizeof(q), row->fields[idx].s, row->fields[idx].len),
        hint(c, row, idx, h, sizeof(h)));
}

/* An area cell without a code: a name naming one area or province only. */
static int
area_by_name(struct parse_ctx *c, const struct csvread_row *row, int idx,
             const struct area_cell *ac, int *area)
{
    char q[96], who[200];
    struct refdata_names m;

    refdata_match_name(c->rd, ac->s, ac->len, &m);
    size_t n = m.narea + (m.province != NULL);
    if (n == 0)
        return area_not_code(c, row, idx);
    if (n > 1) {
        candidates(&m, who, sizeof(who));
        c->errors++;
        return diag_list_addf(
            c->dl, DIAG_ERROR, DIAG_DATA, c->file, row->line,
            (unsigned long)idx + 1,
            _("area %s is ambiguous: it names %s; write the 6-digit code"),
            diag_quote(q, sizeof(q), ac->s, ac->len), who);
    }
    *area = m.province != NULL ? m.province->code : m.area[0]->code;
    return m.province != NULL ? AREA_PROVINCE : AREA_CODE;
}

/*
 * A province code (xx0000), with perhaps the province's name after it: the
 * row is a total.
 */
static int
area_province(struct parse_ctx *c, const struct csvread_row *row, int idx,
              const struct area_cell *ac)
{
    char q[96];

    /* a province code is never a pooling area: the row is a total */
    const struct province *p = refdata_province(c->rd, ac->code);
    if (ac->nlen > 0 && name_is_province(p, ac->nm, ac->nlen) == false) {
        c->errors++;
        return diag_list_addf(
            c->dl, DIAG_ERROR, DIAG_DATA, c->file, row->line,
            (unsigned long)idx + 1,
            _("area %s: %06d is the province %s, but the name after it "
              "is not"),
            diag_quote(q, sizeof(q), ac->s, ac->len), ac->code, p->name);
    }
    return AREA_PROVINCE;
}

/*
 * A pooling-area code, with perhaps a name after it that must not name
 * another area; a code not in data/areas.csv is a warning (an error under
 * --strict).
 */
static int
area_pooling(struct parse_ctx *c, const struct csvread_row *row, int idx,
             const struct area_cell *ac)
{
    char q[96], who[200];

    const struct area *a = refdata_area(c->rd, ac->code);
    if (ac->nlen > 0) {
        struct refdata_names m;
        refdata_match_name(c->rd, ac->nm, ac->nlen, &m);
        bool named = a != NULL && refdata_area_named(a, ac->nm, ac->nlen);
        if (!named && (m.narea > 0 || m.province != NULL)) {
            /* the cell says two things: which one is meant? */
            candidates(&m, who, sizeof(who));
            c->errors++;
            return diag_list_addf(
                c->dl, DIAG_ERROR, DIAG_DATA, c->file, row->line,
                (unsigned long)idx + 1,
                _("area %s is ambiguous: the code %06d is %s but the name "
                  "is %s; write one of them"),
                diag_quote(q, sizeof(q), ac->s, ac->len), ac->code,
                a != NULL ? a->name : _("not in data/areas.csv"), who);
        }
        if (a != NULL)
            check_area_name(c, row, idx, a, ac->nm, ac->nlen);
    }
    if (a == NULL) {
        char msg[200];
        snprintf(msg, sizeof(msg),
                 _("area %s is not in the pooling-area table "
                   "(data/areas.csv)%s"),
                 diag_quote(q, sizeof(q), ac->s, ac->len),
                 c->opts->strict ? "" : _("; stored anyway"));
        report_strict(c, row, idx, msg);
        if (c->opts->strict)
            return -1;
    }
    return AREA_CODE;
}

/* An area cell starting with a 6-digit code. */
static int
area_by_code(struct parse_ctx *c, const struct csvread_row *row, int idx,
             const struct area_cell *ac, int *area)
{
    char q[96];

    if (refdata_area_province(c->rd, ac->code) == NULL) {
        c->errors++;
        return diag_list_addf(c->dl, DIAG_ERROR, DIAG_DATA, c->file, row->line,
                              (unsigned long)idx + 1,
                              _("area %s: no province has the prefix %.2s "
                                "(first two digits)"),
                              diag_quote(q, sizeof(q), ac->s, ac->len), ac->s);
    }
    *area = ac->code;
    if (ac->code % 10000 == 0)
        return area_province(c, row, idx, ac);
    return area_pooling(c, row, idx, ac);
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
    char buf[256];
    struct area_cell ac = {0};
    size_t nd = 0;

    value(c, row, idx, 0, &ac.s, &ac.len);
    if (marked) {
        strip_total_words(&ac.s, &ac.len, buf, sizeof(buf));
        if (ac.len == 0 || (ac.len >= 3 && memcmp(ac.s, "全", 3) == 0))
            return AREA_ALL;
    }
    while (nd < ac.len && nd < 7 && ac.s[nd] >= '0' && ac.s[nd] <= '9')
        ac.code = ac.code * 10 + (ac.s[nd++] - '0');
    if (nd != 6 && nd != 0)
        return area_not_code(c, row, idx);
    if (nd == 0)
        return area_by_name(c, row, idx, &ac, area);
    ac.nm = ac.s + nd;
    ac.nlen = ac.len - nd;
    /* separators people put between code and name */
    while (ac.nlen > 0 &&
           (ac.nm[0] == ' ' || ac.nm[0] == '-' || ac.nm[0] == '_' ||
            ac.nm[0] == ':' || ac.nm[0] == '/')) {
        ac.nm++;
        ac.nlen--;
    }
    return area_by_code(c, row, idx, &ac, area);
}

static int
parse_code(struct parse_ctx *c, const struct csvread_row *row, int idx,
           const char *s, size_t len, enum code_set set, unsigned char *out)
{
    char q[96], h[160];

    int v = vocab_value(refdata_vocab(c->rd), set, s, len);
    if (v < 0) {
        c->errors++;
        return diag_list_addf(c->dl, DIAG_ERROR, DIAG_DATA, c->file, row->line,
                              (unsigned long)idx + 1,
                              _("%s %s is not a known value (accepted: %s)%s"),
                              _(codes_set_name(set)),
                              diag_quote(q, sizeof(q), s, len),
                              codes_accepted(refdata_codes(c->rd), set),
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

/* The unit column c is written in, for messages: "万元", or NULL. */
static const char *
unit_name(const struct schema *sc, enum column c)
{
    return sc->unit[c] != NULL && sc->exp10[c] > 0 ? sc->unit[c]->name : NULL;
}

/* One data row while it is read: what it holds, what it is. */
struct row_read {
    struct record r;
    struct sumtotal t; /* its total pattern, when it is a total row */
    struct diag err;
    bool marked;    /* a cell holds a total word */
    bool total;     /* marked, or its area is a province */
    bool blank_rel; /* a data row with a blank relation */
    int bad;        /* a cell is wrong (reported) */
};

/* The period cell, and the area cell: which kind of row it is. */
static void
parse_period_area(struct parse_ctx *c, const struct csvread_row *row,
                  struct row_read *rr)
{
    char buf[256];
    const char *s;
    size_t len;
    bool all;

    int i = c->schema.idx[COL_PERIOD];
    struct period p;
    dim_field(c, row, i, rr->marked, buf, sizeof(buf), &s, &len, &all);
    if (all) {
        rr->t.any_period = true;
    } else if (period_parse(&p, s, len, &rr->err) < 0) {
        report(c, row, i, &rr->err);
        rr->bad = 1;
    } else {
        rr->r.period = p;
    }

    i = c->schema.idx[COL_AREA];
    int kind = parse_area(c, row, i, rr->marked, &rr->r.area);
    if (kind < 0) {
        rr->bad = 1;
    } else if (kind == AREA_ALL) {
        rr->r.area = 0;
    } else if (kind == AREA_PROVINCE && !rr->marked) {
        rr->t.kind = SUMTOTAL_PROVINCE;
        rr->t.col = (unsigned long)i + 1;
    }
    rr->total = rr->marked || kind == AREA_PROVINCE;
}

/*
 * The coded dimensions: scope, use and (when the file has them) channel
 * and relation.
 */
static void
parse_codes(struct parse_ctx *c, const struct csvread_row *row,
            struct row_read *rr)
{
    char buf[256];
    const char *s;
    size_t len;
    bool all;
    int i;

    unsigned char *dims[2] = {&rr->r.scope, &rr->r.use};
    static const enum column dcol[2] = {COL_SCOPE, COL_USE};
    static const enum code_set dset[2] = {CODESET_SCOPE, CODESET_USE};
    for (int d = 0; d < 2; d++) {
        i = c->schema.idx[dcol[d]];
        dim_field(c, row, i, rr->total, buf, sizeof(buf), &s, &len, &all);
        if (all)
            *dims[d] = SUMTOTAL_ANY;
        else if (parse_code(c, row, i, s, len, dset[d], dims[d]) < 0)
            rr->bad = 1;
    }

    /* no channel column: the account, as in every file before 2025 */
    rr->r.channel = rr->total ? SUMTOTAL_ANY : CHANNEL_ACCOUNT;
    i = c->schema.idx[COL_CHANNEL];
    if (i >= 0) {
        dim_field(c, row, i, rr->total, buf, sizeof(buf), &s, &len, &all);
        if (!all &&
            parse_code(c, row, i, s, len, CODESET_CHANNEL, &rr->r.channel) < 0)
            rr->bad = 1;
    }

    rr->blank_rel = false;
    rr->r.relation = rr->total ? SUMTOTAL_ANY : REL_UNSPECIFIED;
    i = c->schema.idx[COL_RELATION];
    if (i >= 0) {
        dim_field(c, row, i, rr->total, buf, sizeof(buf), &s, &len, &all);
        if (len > 0 && parse_code(c, row, i, s, len, CODESET_RELATION,
                                  &rr->r.relation) < 0)
            rr->bad = 1;
        rr->blank_rel = len == 0 && !rr->total;
    }
}

/* The measures: person-times and amount. */
static void
parse_measures(struct parse_ctx *c, const struct csvread_row *row,
               struct row_read *rr)
{
    const char *s;
    size_t len;

    int i = c->schema.idx[COL_PERSON_TIMES];
    value(c, row, i, 0, &s, &len);
    if (count_parse_scaled(s, len, c->schema.exp10[COL_PERSON_TIMES],
                           unit_name(&c->schema, COL_PERSON_TIMES),
                           &rr->r.person_times, c->what_person_times,
                           &rr->err) < 0) {
        report(c, row, i, &rr->err);
        rr->bad = 1;
    } else if (rr->r.person_times >= SUMMARY_PERSON_TIMES_LIMIT) {
        /*
         * A count that long is no count (a nation has 10^8 person-times a
         * year) but most likely an ID in the wrong column, which must not be
         * stored and echoed in full (DESIGN §3b).
         */
        char q[96];
        diag_set(&rr->err, DIAG_DATA,
                 _("person_times %s has more than 15 digits (is it an ID in "
                   "the wrong column?)"),
                 diag_quote(q, sizeof(q), s, len));
        report(c, row, i, &rr->err);
        rr->bad = 1;
    }

    i = c->schema.idx[COL_AMOUNT];
    value(c, row, i, MONEY_NORM_CURRENCY, &s, &len);
    if (money_parse_scaled(s, len, c->schema.exp10[COL_AMOUNT],
                           unit_name(&c->schema, COL_AMOUNT), &rr->r.amount_fen,
                           c->what_amount, &rr->err) < 0) {
        report(c, row, i, &rr->err);
        rr->bad = 1;
    } else if (rr->r.amount_fen < 0) {
        char q[96];
        diag_set(&rr->err, DIAG_DATA,
                 _("amount %s is negative (summary records are monthly "
                   "flows, refunds already netted)"),
                 diag_quote(q, sizeof(q), s, len));
        report(c, row, i, &rr->err);
        rr->bad = 1;
    }
}

/* A total row: kept as a pattern to check (ingest/sumtotal.h). */
static void
keep_total(struct parse_ctx *c, struct row_read *rr)
{
    struct sumtotal *t = &rr->t;
    const struct record *r = &rr->r;

    t->period = r->period;
    t->area = r->area;
    t->codes = refdata_codes(c->rd);
    t->channel = r->channel;
    t->scope = r->scope;
    t->use = r->use;
    t->relation = r->relation;
    t->person_times = r->person_times;
    t->amount_fen = r->amount_fen;
    t->line = r->line;
    t->pt_col = (unsigned long)c->schema.idx[COL_PERSON_TIMES] + 1;
    t->amount_col = (unsigned long)c->schema.idx[COL_AMOUNT] + 1;
    sumrow_add_total(c, t);
}

/* A data row: stored, its line noted when its relation is blank. */
static void
keep_row(struct parse_ctx *c, const struct row_read *rr)
{
    struct submission *sf = c->sf;

    if (rr->blank_rel) {
        if (c->nblank == c->blank_alloc) {
            c->blank_alloc = c->blank_alloc ? 2 * c->blank_alloc : 64;
            c->blank_rel = xreallocarray(c->blank_rel, c->blank_alloc,
                                         sizeof(*c->blank_rel));
        }
        c->blank_rel[c->nblank++] = rr->r.line;
    }
    if (sf->nrows == c->alloc) {
        c->alloc = c->alloc ? 2 * c->alloc : 256;
        sf->rows = xreallocarray(sf->rows, c->alloc, sizeof(*sf->rows));
    }
    sf->rows[sf->nrows++] = rr->r;
}

int
sumrow_read(struct parse_ctx *c, const struct csvread_row *row)
{
    struct row_read rr;

    memset(&rr, 0, sizeof(rr));
    rr.r.line = row->line;
    diag_clear(&rr.err);
    rr.t.col = total_mark(row);
    rr.marked = rr.t.col != 0;

    parse_period_area(c, row, &rr);
    parse_codes(c, row, &rr);
    parse_measures(c, row, &rr);

    /* the name column of a data row must name its area */
    int i = c->schema.idx[COL_AREA_NAME];
    if (!rr.bad && !rr.total && i >= 0) {
        const struct area *a = refdata_area(c->rd, rr.r.area);
        const char *s;
        size_t len;
        field(row, i, &s, &len);
        if (a != NULL)
            check_area_name(c, row, i, a, s, len);
    }

    /*
     * Rows that are valid on their own are kept even after errors elsewhere
     * (the file is rejected anyway), so that repeated keys among them are
     * reported in the same run.
     */
    if (rr.bad)
        return 0;
    if (rr.total)
        keep_total(c, &rr);
    else
        keep_row(c, &rr);
    return 0;
}
