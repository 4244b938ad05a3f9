/* SPDX-License-Identifier: MIT */
#include "ingest/schema.h"

#include <string.h>

#include "common/diag.h"
#include "common/i18n.h"
#include "common/utf8.h"
#include "ingest/vocab.h"

/* Where a column is used: the bits are 1 << enum file_kind. */
#define IN_SUMMARY (1u << FILE_SUMMARY)
#define IN_DETAIL  (1u << FILE_DETAIL)

struct column_def {
    const char *english;
    unsigned used;     /* IN_SUMMARY | IN_DETAIL */
    unsigned required; /* the kinds that need it */
    bool has_unit;     /* its header may carry a unit suffix */
    enum unit_measure measure;
};

static const struct column_def columns[COL_N] = {
    [COL_PERIOD] = {N_("period"), IN_SUMMARY, IN_SUMMARY, false, UNIT_COUNT},
    [COL_AREA] = {N_("area"), IN_SUMMARY, IN_SUMMARY, false, UNIT_COUNT},
    [COL_AREA_NAME] = {N_("area_name"), IN_SUMMARY, 0, false, UNIT_COUNT},
    [COL_SCOPE] = {N_("scope"), IN_SUMMARY, IN_SUMMARY, false, UNIT_COUNT},
    [COL_USE] = {N_("use"), IN_SUMMARY | IN_DETAIL, IN_SUMMARY | IN_DETAIL,
                 false, UNIT_COUNT},
    [COL_RELATION] = {N_("relation"), IN_SUMMARY | IN_DETAIL, 0, false,
                      UNIT_COUNT},
    [COL_PERSON_TIMES] = {N_("person_times"), IN_SUMMARY, IN_SUMMARY, true,
                          UNIT_COUNT},
    [COL_AMOUNT] = {N_("amount"), IN_SUMMARY | IN_DETAIL,
                    IN_SUMMARY | IN_DETAIL, true, UNIT_AMOUNT},
    [COL_CHANNEL] = {N_("channel"), IN_SUMMARY | IN_DETAIL, 0, false,
                     UNIT_COUNT},
    [COL_SETTLEMENT_ID] = {N_("settlement_id"), IN_DETAIL, 0, false,
                           UNIT_COUNT},
    [COL_SETTLE_TIME] = {N_("settle_time"), IN_DETAIL, IN_DETAIL, false,
                         UNIT_COUNT},
    [COL_PAYER_AREA] = {N_("payer_area"), IN_DETAIL, IN_DETAIL, false,
                        UNIT_COUNT},
    [COL_BENEFICIARY_AREA] = {N_("beneficiary_area"), IN_DETAIL, IN_DETAIL,
                              false, UNIT_COUNT},
    [COL_PAYER_ID] = {N_("payer_id"), IN_DETAIL, 0, false, UNIT_COUNT},
    [COL_BENEFICIARY_ID] = {N_("beneficiary_id"), IN_DETAIL, 0, false,
                            UNIT_COUNT},
};

/*
 * The order in which missing required columns are reported: the order the
 * columns take in a well-formed file of that kind.
 */
static const enum column detail_order[] = {
    COL_SETTLEMENT_ID,    COL_SETTLE_TIME, COL_PAYER_AREA,
    COL_BENEFICIARY_AREA, COL_USE,         COL_RELATION,
    COL_AMOUNT,           COL_PAYER_ID,    COL_BENEFICIARY_ID,
};

const char *
schema_column_name(enum column c)
{
    if ((unsigned)c >= COL_N)
        BUG("bad column %d", (int)c);
    return columns[c].english;
}

bool
schema_column_used(enum column c, enum file_kind kind)
{
    if ((unsigned)c >= COL_N)
        BUG("bad column %d", (int)c);
    return (columns[c].used & (1u << kind)) != 0;
}

/*
 * Split a unit suffix off s[0..len): "共济金额(元)", "共济金额（万元）" and
 * "amount (yuan)" leave the bare name in *len and the unit's name in
 * *u, *ulen.  Returns false (nothing changed) when s does not end in a
 * bracketed part.
 */
static bool
split_suffix(const char *s, size_t *len, const char **u, size_t *ulen)
{
    /* half- or full-width, even mixed: "共济金额（万元)" is typed too */
    static const char *const opens[] = {"(", "（"}, *const closes[] = {")",
                                                                       "）"};
    size_t n = *len;

    for (size_t b = 0; b < 2; b++) {
        size_t cl = strlen(closes[b]);
        if (n <= cl || memcmp(s + n - cl, closes[b], cl) != 0)
            continue;
        for (size_t i = n - cl; i-- > 0;) {
            size_t ol = 0;
            for (size_t k = 0; k < 2 && ol == 0; k++)
                if (i + strlen(opens[k]) <= n - cl &&
                    memcmp(s + i, opens[k], strlen(opens[k])) == 0)
                    ol = strlen(opens[k]);
            if (ol > 0) {
                if (i == 0)
                    return false; /* "(元)" alone is not a name */
                *u = s + i + ol;
                *ulen = n - cl - i - ol;
                utf8_trim_blanks(u, ulen);
                *len = i;
                return true;
            }
        }
    }
    return false;
}

int
schema_lookup(const struct vocab *v, const char *s, size_t len,
              const struct unit **unit)
{
    const char *u;
    size_t ulen;

    if (unit != NULL)
        *unit = NULL;
    utf8_trim_blanks(&s, &len);
    int c = vocab_column(v, s, len);
    if (c >= 0 || !split_suffix(s, &len, &u, &ulen))
        return c;
    utf8_trim_blanks(&s, &len);
    c = vocab_column(v, s, len);
    if (c >= 0 && unit != NULL)
        *unit = vocab_unit(v, u, ulen);
    /* a bracketed part that is no unit belongs to the name: not ours */
    if (c >= 0 && vocab_unit(v, u, ulen) == NULL)
        return -1;
    return c;
}

bool
schema_is_detail(const struct vocab *v, const struct schema_cell *hdr, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int c = schema_lookup(v, hdr[i].s, hdr[i].len, NULL);
        if (c >= 0 && columns[c].used == IN_DETAIL)
            return true;
    }
    return false;
}

/* The header's name for column c in messages: "person_times (共济人次)". */
static const char *
alias_of(const struct vocab *v, int c)
{
    const char *a = vocab_column_alias(v, c);
    return a != NULL ? a : columns[c].english;
}

int
schema_unit_exp10(const struct unit *u)
{
    int e = 0;

    if (u == NULL)
        return 0;
    /* vocab_load() admits powers of ten up to 10^8 only */
    for (int64_t f = u->factor; f > 1; f /= 10)
        e++;
    return e;
}

/*
 * A header field that names column c with unit u: 0, or -1 (reported).
 * The unit is recorded in sc; a detail file reads yuan only.
 */
static int
check_unit(struct schema *sc, const struct schema_cell *f, int c,
           const struct unit *u, const char *file, unsigned long line,
           unsigned long col, struct diag_list *dl)
{
    char q[96];

    if (u == NULL)
        return 0;
    if (!columns[c].has_unit || u->measure != columns[c].measure)
        return diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, file, line, col,
                              _("column %s: %s is not a unit of %s"),
                              diag_quote(q, sizeof(q), f->s, f->len), u->name,
                              _(columns[c].english));
    if (u->factor != 1 && sc->kind == FILE_DETAIL)
        return diag_list_addf(
            dl, DIAG_ERROR, DIAG_FORMAT, file, line, col,
            _("column %s is in %s: a detail file's %s is read "
              "in 元 only (convert the column to 元)"),
            diag_quote(q, sizeof(q), f->s, f->len), u->name,
            _(columns[c].english));
    sc->unit[c] = u;
    sc->exp10[c] = schema_unit_exp10(u);
    return 0;
}

/* Does s[0..len) end like a unit (千元, 百万元, 千人次), not a qualifier
 * (累计, 本月)? */
static bool
unit_like(const char *s, size_t len)
{
    static const char *const ends[] = {"元", "人次", "笔"};
    for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
        size_t n = strlen(ends[i]);
        if (len >= n && memcmp(s + len - n, ends[i], n) == 0)
            return true;
    }
    return false;
}

static int
map_field(struct schema *sc, const struct vocab *v, const struct schema_cell *f,
          size_t i, const char *file, unsigned long line, struct diag_list *dl)
{
    char q[96];
    const char *s = f->s;
    size_t len = f->len;
    unsigned long col = (unsigned long)i + 1;
    const struct unit *u;
    int c = schema_lookup(v, s, len, &u);

    utf8_trim_blanks(&s, &len);
    if (c < 0 || !schema_column_used((enum column)c, sc->kind)) {
        if (len == 0)
            return diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, file, line, col,
                                  _("header field %lu is empty"), col);
        /* 共济金额(千元): a measured column in a unit gongji does not know */
        const char *us;
        size_t nlen = len, ulen;
        if (c < 0 && split_suffix(s, &nlen, &us, &ulen) &&
            unit_like(us, ulen)) {
            utf8_trim_blanks(&s, &nlen);
            int named = vocab_column(v, s, nlen);
            if (named >= 0 && columns[named].has_unit &&
                schema_column_used((enum column)named, sc->kind))
                return diag_list_addf(
                    dl, DIAG_ERROR, DIAG_FORMAT, file, line, col,
                    _("column %s: '%.*s' is not a unit gongji knows for %s "
                      "(%s, or one added to data/units.csv)"),
                    diag_quote(q, sizeof(q), f->s, f->len), (int)ulen, us,
                    _(columns[named].english),
                    columns[named].measure == UNIT_AMOUNT ? "元, 万元 or 亿元"
                                                          : "人次 or 万人次");
        }
        diag_list_addf(dl, DIAG_WARNING, DIAG_FORMAT, file, line, col,
                       _("column %s is not one gongji uses; ignored"),
                       diag_quote(q, sizeof(q), s, len));
        return 0;
    }
    if (sc->idx[c] >= 0)
        return diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, file, line, col,
                              _("column %s appears twice (also field %d): "
                                "which one holds %s is ambiguous"),
                              diag_quote(q, sizeof(q), s, len), sc->idx[c] + 1,
                              _(columns[c].english));
    sc->idx[c] = (int)i;
    return check_unit(sc, f, c, u, file, line, col, dl);
}

int
schema_map(struct schema *sc, const struct vocab *v,
           const struct schema_cell *hdr, size_t n, enum file_kind kind,
           const char *file, unsigned long line, struct diag_list *dl)
{
    static const enum column summary_order[] = {
        COL_PERIOD, COL_AREA,     COL_AREA_NAME,    COL_SCOPE,
        COL_USE,    COL_RELATION, COL_PERSON_TIMES, COL_AMOUNT,
    };
    int rc = 0;

    sc->kind = kind;
    sc->nfields = n;
    for (int c = 0; c < COL_N; c++) {
        sc->idx[c] = -1;
        sc->unit[c] = NULL;
        sc->exp10[c] = 0;
    }
    for (size_t i = 0; i < n; i++)
        rc |= map_field(sc, v, &hdr[i], i, file, line, dl);

    bool detail = sc->kind == FILE_DETAIL;
    const enum column *order = detail ? detail_order : summary_order;
    size_t norder = detail ? sizeof(detail_order) / sizeof(detail_order[0])
                           : sizeof(summary_order) / sizeof(summary_order[0]);
    for (size_t k = 0; k < norder; k++) {
        enum column c = order[k];
        if ((columns[c].required & (1u << sc->kind)) && sc->idx[c] < 0)
            rc |=
                diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, file, line, 0,
                               _("required column %s (%s) is missing from the "
                                 "%sheader"),
                               columns[c].english, alias_of(v, (int)c),
                               detail ? "detail " : "");
    }
    return rc ? -1 : 0;
}

/*** Unit rows ***/

/* Does s[0..len) start with lit?  Then drop it and say so. */
static bool
eat(const char **s, size_t *len, const char *lit)
{
    size_t n = strlen(lit);
    if (*len < n || memcmp(*s, lit, n) != 0)
        return false;
    *s += n;
    *len -= n;
    return true;
}

/* Drop lit from the end of s[0..len) when it is there. */
static bool
eat_end(const char *s, size_t *len, const char *lit)
{
    size_t n = strlen(lit);
    if (*len < n || memcmp(s + *len - n, lit, n) != 0)
        return false;
    *len -= n;
    return true;
}

/* Trim ASCII blanks and U+3000 at both ends. */
static void
trim_wide(const char **s, size_t *len)
{
    for (;;) {
        utf8_trim_blanks(s, len);
        if (eat(s, len, "\u3000") || eat_end(*s, len, "\u3000"))
            continue;
        return;
    }
}

/* The separators between the units of a unit statement. */
static size_t
separator_at(const char *s, size_t len)
{
    static const char *const seps[] = {"、", ",", "，", ";",     "；",
                                       "/",  " ", "\t", "\u3000"};
    for (size_t k = 0; k < sizeof(seps) / sizeof(seps[0]); k++) {
        size_t n = strlen(seps[k]);
        if (len >= n && memcmp(s, seps[k], n) == 0)
            return n;
    }
    return 0;
}

static const char *
measure_name(enum unit_measure m)
{
    return m == UNIT_AMOUNT ? _("amounts") : _("person-times");
}

/*
 * A unit statement's opening: the brackets around it taken off, then its
 * "单位：" (or "金额单位：", ...) into *s, *len.  The measure it names, -1
 * for either, or -2 when the cell does not open as a unit statement.
 */
static int
unit_prefix(const char **sp, size_t *lenp)
{
    static const struct {
        const char *word;
        int measure; /* enum unit_measure, or -1 for either */
    } prefixes[] = {
        {"单位", -1},
        {"计量单位", -1},
        {"金额单位", UNIT_AMOUNT},
        {"货币单位", UNIT_AMOUNT},
        {"人次单位", UNIT_COUNT},
        {"数量单位", UNIT_COUNT},
    };
    static const struct {
        const char *open, *close;
    } brackets[] = {{"(", ")"}, {"（", "）"}, {"[", "]"}, {"【", "】"}};
    const char *s = *sp;
    size_t len = *lenp;
    int measure = -2;

    trim_wide(&s, &len);
    for (size_t b = 0; b < sizeof(brackets) / sizeof(brackets[0]); b++) {
        const char *t = s;
        size_t tl = len;
        if (eat(&t, &tl, brackets[b].open) &&
            eat_end(t, &tl, brackets[b].close)) {
            s = t;
            len = tl;
            trim_wide(&s, &len);
            break;
        }
    }
    for (size_t k = 0; k < sizeof(prefixes) / sizeof(prefixes[0]); k++) {
        const char *t = s;
        size_t tl = len;
        if (!eat(&t, &tl, prefixes[k].word))
            continue;
        trim_wide(&t, &tl);
        if (eat(&t, &tl, ":") || eat(&t, &tl, "：")) {
            measure = prefixes[k].measure;
            s = t;
            len = tl;
            break;
        }
    }
    *sp = s;
    *lenp = len;
    return measure;
}

/*
 * The units named in s[0..len) into seen[] (by measure), each checked
 * against measure (-1: either): 0, or -1 (reported).
 */
static int
unit_names(const struct vocab *v, const char *s, size_t len, int measure,
           const struct unit *seen[2], const char *quoted, const char *file,
           unsigned long line, unsigned long col, struct diag_list *dl)
{
    while (len > 0) {
        size_t n;
        while (len > 0 && (n = separator_at(s, len)) > 0) {
            s += n;
            len -= n;
        }
        size_t w = 0;
        while (w < len && separator_at(s + w, len - w) == 0)
            w++;
        if (w == 0)
            break;
        const struct unit *un = vocab_unit(v, s, w);
        if (un == NULL)
            return diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, file, line, col,
                                  _("unit row %s: '%.*s' is not a unit "
                                    "(data/units.csv)"),
                                  quoted, (int)w, s);
        if (measure >= 0 && un->measure != (enum unit_measure)measure)
            return diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, file, line, col,
                                  _("unit row %s: %s is not a unit of %s"),
                                  quoted, un->name,
                                  measure_name((enum unit_measure)measure));
        if (seen[un->measure] != NULL && seen[un->measure] != un)
            return diag_list_addf(
                dl, DIAG_ERROR, DIAG_FORMAT, file, line, col,
                _("unit row %s names both %s and %s for %s: which applies to "
                  "which column is ambiguous"),
                quoted, seen[un->measure]->name, un->name,
                measure_name(un->measure));
        seen[un->measure] = un;
        s += w;
        len -= w;
    }
    return 0;
}

/* The units seen in the cell at line, into u: 1, or -1 (reported). */
static int
unit_merge(struct schema_units *u, const struct unit *const seen[2],
           const char *quoted, const char *file, unsigned long line,
           unsigned long col, struct diag_list *dl)
{
    for (int m = 0; m < 2; m++) {
        if (seen[m] == NULL)
            continue;
        if (u->unit[m] != NULL && u->unit[m] != seen[m])
            return diag_list_addf(
                dl, DIAG_ERROR, DIAG_FORMAT, file, line, col,
                _("unit row %s says %s for %s but line %lu says %s: which "
                  "applies is ambiguous"),
                quoted, seen[m]->name, measure_name((enum unit_measure)m),
                u->line[m], u->unit[m]->name);
        if (u->unit[m] == NULL) {
            u->unit[m] = seen[m];
            u->line[m] = line;
        }
    }
    return 1;
}

/* One cell as a unit statement: 1, 0 (not one) or -1 (reported). */
static int
unit_cell(struct schema_units *u, const struct vocab *v,
          const struct schema_cell *f, const char *file, unsigned long line,
          unsigned long col, struct diag_list *dl)
{
    char q[96];
    const char *s = f->s;
    size_t len = f->len;
    int measure = unit_prefix(&s, &len);

    if (measure == -2)
        return 0;
    const char *quoted = diag_quote(q, sizeof(q), f->s, f->len);
    trim_wide(&s, &len);
    if (len == 0)
        return diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, file, line, col,
                              _("unit row %s names no unit"), quoted);
    const struct unit *seen[2] = {NULL, NULL};
    if (unit_names(v, s, len, measure, seen, quoted, file, line, col, dl) < 0)
        return -1;
    return unit_merge(u, seen, quoted, file, line, col, dl);
}

int
schema_unit_row(struct schema_units *u, const struct vocab *v,
                const struct schema_cell *cells, size_t n, const char *file,
                unsigned long line, struct diag_list *dl)
{
    int found = 0;

    for (size_t i = 0; i < n; i++) {
        int rc =
            unit_cell(u, v, &cells[i], file, line, (unsigned long)i + 1, dl);
        if (rc < 0)
            return -1;
        if (rc > 0)
            found = 1;
    }
    return found;
}

int
schema_apply_units(struct schema *sc, const struct schema_units *u,
                   const struct schema_cell *hdr, size_t n, const char *file,
                   unsigned long line, struct diag_list *dl)
{
    static const enum column with_unit[] = {COL_PERSON_TIMES, COL_AMOUNT};
    char q[96];
    int rc = 0;

    for (size_t k = 0; k < sizeof(with_unit) / sizeof(with_unit[0]); k++) {
        enum column c = with_unit[k];
        int i = sc->idx[c];
        const struct unit *ru = u->unit[columns[c].measure];
        if (i < 0 || (size_t)i >= n || ru == NULL || sc->unit[c] == ru)
            continue;
        if (sc->unit[c] != NULL) {
            const struct schema_cell *f = &hdr[i];
            rc |= diag_list_addf(
                dl, DIAG_ERROR, DIAG_FORMAT, file, line, (unsigned long)i + 1,
                _("column %s is in %s but the unit row (line %lu) says %s: "
                  "which applies is ambiguous"),
                diag_quote(q, sizeof(q), f->s, f->len), sc->unit[c]->name,
                u->line[columns[c].measure], ru->name);
            continue;
        }
        sc->unit[c] = ru;
        sc->exp10[c] = schema_unit_exp10(ru);
    }
    return rc ? -1 : 0;
}
