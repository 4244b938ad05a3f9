/* SPDX-License-Identifier: MIT */
#include "report/figfmt.h"

#include <string.h>

#include "common/diag.h"
#include "common/sbuf.h"
#include "report/numfmt.h"

/* Modifier groups: at most one word of each. */
enum group {
    G_UNIT = 1 << 0,
    G_DIGITS = 1 << 1,
    G_TRIM = 1 << 2,
    G_NOLABEL = 1 << 3,
    G_NOUNIT = 1 << 4,
    G_SIGN = 1 << 5, /* signed and word exclude each other */
};

#define K_COUNT   (1u << FIGFMT_COUNT)
#define K_AMOUNT  (1u << FIGFMT_AMOUNT)
#define K_PERCENT (1u << FIGFMT_PERCENT)
#define K_SHARE   (1u << FIGFMT_SHARE)
#define K_AVG     (1u << FIGFMT_AVG)
#define K_FIGURE  (K_COUNT | K_AMOUNT)
#define K_ALL     (K_COUNT | K_AMOUNT | K_PERCENT | K_SHARE | K_AVG)

enum op { O_UNIT, O_DIGITS, O_TRIM, O_NOLABEL, O_NOUNIT, O_SIGNED, O_WORD };

static const struct modifier {
    const char *word;
    unsigned kinds;
    enum group group;
    enum op op;
    int arg;
} modifiers[] = {
    {"auto", K_FIGURE, G_UNIT, O_UNIT, FIGFMT_AUTO},
    {"base", K_FIGURE, G_UNIT, O_UNIT, FIGFMT_BASE},
    {"wan", K_FIGURE, G_UNIT, O_UNIT, FIGFMT_WAN},
    {"万", K_FIGURE, G_UNIT, O_UNIT, FIGFMT_WAN},
    {"yi", K_FIGURE, G_UNIT, O_UNIT, FIGFMT_YI},
    {"亿", K_FIGURE, G_UNIT, O_UNIT, FIGFMT_YI},
    {"d0", K_ALL, G_DIGITS, O_DIGITS, 0},
    {"d1", K_ALL, G_DIGITS, O_DIGITS, 1},
    {"d2", K_ALL, G_DIGITS, O_DIGITS, 2},
    {"trim", K_ALL, G_TRIM, O_TRIM, 0},
    {"nolabel", K_FIGURE | K_AVG, G_NOLABEL, O_NOLABEL, 0},
    {"nounit", K_FIGURE | K_AVG, G_NOUNIT, O_NOUNIT, 0},
    {"signed", K_PERCENT, G_SIGN, O_SIGNED, 0},
    {"word", K_PERCENT, G_SIGN, O_WORD, 0},
};

void
figfmt_init(struct figfmt *f, enum figfmt_kind kind)
{
    memset(f, 0, sizeof(*f));
    f->unit = FIGFMT_AUTO;
    /* the releases print growth rates with one decimal: "同比增长25.1%" */
    f->digits = kind == FIGFMT_PERCENT || kind == FIGFMT_SHARE ? 1 : 2;
}

static const struct modifier *
find_modifier(const char *w, size_t n)
{
    for (size_t i = 0; i < sizeof(modifiers) / sizeof(modifiers[0]); i++)
        if (strlen(modifiers[i].word) == n &&
            memcmp(modifiers[i].word, w, n) == 0)
            return &modifiers[i];
    return NULL;
}

int
figfmt_parse(const char *mods, size_t len, enum figfmt_kind kind,
             struct figfmt *f, size_t *bad)
{
    unsigned seen = 0;
    size_t index = 0, s = 0;

    figfmt_init(f, kind);
    if (len == 0)
        return 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && mods[i] != '|')
            continue;
        const struct modifier *m = find_modifier(mods + s, i - s);
        if (m == NULL || (m->kinds & (1u << kind)) == 0 ||
            (seen & m->group) != 0) {
            *bad = index;
            return -1;
        }
        seen |= m->group;
        switch (m->op) {
        case O_UNIT:
            f->unit = (enum figfmt_unit)m->arg;
            break;
        case O_DIGITS:
            f->digits = m->arg;
            break;
        case O_TRIM:
            f->trim = true;
            break;
        case O_NOLABEL:
            f->nolabel = true;
            break;
        case O_NOUNIT:
            f->nounit = true;
            break;
        case O_SIGNED:
            f->is_signed = true;
            break;
        case O_WORD:
            f->word = true;
            break;
        }
        index++;
        s = i + 1;
    }
    return 0;
}

/* ******************************************************************** */
/* Units                                                                */
/* ******************************************************************** */

/* How many base integers (counts, or fen) make one of unit u. */
static int64_t
per_unit(enum figfmt_kind kind, enum figfmt_unit u)
{
    int64_t base = kind == FIGFMT_AMOUNT ? 100 : 1;
    switch (u) {
    case FIGFMT_YI:
        return base * INT64_C(100000000);
    case FIGFMT_WAN:
        return base * INT64_C(10000);
    case FIGFMT_AUTO:
    case FIGFMT_BASE:
        break;
    }
    return base;
}

/* A count in its base unit is whole: the releases never print "7695.00笔". */
static int
digits_in(enum figfmt_kind kind, enum figfmt_unit u, const struct figfmt *f)
{
    return kind == FIGFMT_COUNT && u == FIGFMT_BASE ? 0 : f->digits;
}

static uint64_t
mag(int64_t v)
{
    return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

/*
 * The unit v is shown in.  Auto picks by the exact magnitude (DESIGN §6),
 * then moves up one unit when rounding reaches 10000 of it: 99999999人次 is
 * 9999.9999万, which rounds to "10000.00万" - shown as "1.00亿" instead.
 * (By magnitude first, not by the rounded value in the larger unit:
 * 99500000 is 9950.00万, not "1.00亿".)
 */
static enum figfmt_unit
unit_for(int64_t v, enum figfmt_kind kind, const struct figfmt *f)
{
    if (f->unit != FIGFMT_AUTO)
        return f->unit;
    enum unit m =
        kind == FIGFMT_AMOUNT ? numfmt_amount_unit(v) : numfmt_pt_unit(v);
    enum figfmt_unit u = m == UNIT_YI    ? FIGFMT_YI
                         : m == UNIT_WAN ? FIGFMT_WAN
                                         : FIGFMT_BASE;
    if (u == FIGFMT_YI)
        return u;
    int d = digits_in(kind, u, f);
    uint64_t limit = 10000;
    for (int i = 0; i < d; i++)
        limit *= 10;
    if (mag(numfmt_scaled(v, per_unit(kind, u), d)) >= limit)
        u = u == FIGFMT_BASE ? FIGFMT_WAN : FIGFMT_YI;
    return u;
}

/* ******************************************************************** */
/* Output                                                               */
/* ******************************************************************** */

/*
 * The scaled value s (10^-d units) as text, trailing zeros dropped on trim;
 * without its '-' when only the magnitude is wanted (after 减少, 下降).
 */
static void
add_number(struct sbuf *out, int64_t s, int d, bool trim, bool magnitude)
{
    char b[32];
    int n = numfmt_decimals(b, sizeof(b), s, d);
    size_t from = magnitude && s < 0 ? 1 : 0;
    if (trim && d > 0) {
        while (n > 0 && b[n - 1] == '0')
            n--;
        if (n > 0 && b[n - 1] == '.')
            n--;
    }
    sbuf_add(out, b + from, (size_t)n - from);
}

static void
add_unit(struct sbuf *out, enum figfmt_kind kind, enum figfmt_unit u,
         const char *label, const struct figfmt *f)
{
    if (f->nounit)
        return;
    if (u == FIGFMT_YI)
        sbuf_addstr(out, "亿");
    else if (u == FIGFMT_WAN)
        sbuf_addstr(out, "万");
    if (f->nolabel)
        return;
    if (kind == FIGFMT_AMOUNT)
        sbuf_addstr(out, "元");
    else if (label != NULL)
        sbuf_addstr(out, label);
}

static void
add_figure(struct sbuf *out, int64_t v, enum figfmt_kind kind,
           const char *label, const struct figfmt *f)
{
    enum figfmt_unit u = unit_for(v, kind, f);
    int d = digits_in(kind, u, f);
    add_number(out, numfmt_scaled(v, per_unit(kind, u), d), d, f->trim, false);
    add_unit(out, kind, u, label, f);
}

void
figfmt_count(struct sbuf *out, int64_t v, const char *label,
             const struct figfmt *f)
{
    add_figure(out, v, FIGFMT_COUNT, label, f);
}

void
figfmt_amount(struct sbuf *out, int64_t fen, const struct figfmt *f)
{
    add_figure(out, fen, FIGFMT_AMOUNT, NULL, f);
}

void
figfmt_change(struct sbuf *out, int64_t level, int64_t change,
              enum figfmt_kind kind, const char *label, const struct figfmt *f)
{
    if (kind == FIGFMT_PERCENT)
        BUG("figfmt_change: a percentage");
    enum figfmt_unit u = unit_for(level, kind, f);
    int d = digits_in(kind, u, f);
    int64_t s = numfmt_scaled(change, per_unit(kind, u), d);

    sbuf_addstr(out, s < 0 ? "减少" : "增长");
    add_number(out, s, d, f->trim, true);
    add_unit(out, kind, u, label, f);
}

void
figfmt_percent(struct sbuf *out, int64_t now, int64_t before,
               const struct figfmt *f)
{
    int64_t s;

    if (numfmt_change_pct(now, before, f->digits, &s) < 0) {
        sbuf_addstr(out, "—");
        return;
    }
    if (s == 0) {
        sbuf_addstr(out, "持平");
        return;
    }
    if (f->word)
        sbuf_addstr(out, s < 0 ? "下降" : "增长");
    else if (f->is_signed && s > 0)
        sbuf_addch(out, '+');
    add_number(out, s, f->digits, f->trim, f->word);
    sbuf_addch(out, '%');
}

static int64_t
pow10_of(int d)
{
    int64_t p = 1;
    while (d-- > 0)
        p *= 10;
    return p;
}

void
figfmt_share(struct sbuf *out, int64_t part, int64_t whole,
             const struct figfmt *f)
{
    int64_t s;
    if (numfmt_ratio(part, whole, 100 * pow10_of(f->digits), &s) < 0) {
        sbuf_addstr(out, "—");
        return;
    }
    add_number(out, s, f->digits, f->trim, false);
    sbuf_addch(out, '%');
}

void
figfmt_avg(struct sbuf *out, int64_t fen, int64_t count, const struct figfmt *f)
{
    int64_t s;
    /* 元 with d decimals = fen * 10^d / (100 * count), rounded once */
    int64_t den;
    if (count <= 0 ||
        __builtin_mul_overflow(count, 100 / pow10_of(f->digits), &den) ||
        numfmt_ratio(fen, den, 1, &s) < 0) {
        sbuf_addstr(out, "—");
        return;
    }
    add_number(out, s, f->digits, f->trim, false);
    if (!f->nolabel && !f->nounit)
        sbuf_addstr(out, "元");
}
