/* SPDX-License-Identifier: MIT */
#include "report/bulletinfig.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate/rollup.h"
#include "common/money.h"
#include "common/sbuf.h"
#include "common/xalloc.h"
#include "ingest/codes.h"
#include "ingest/refdata.h"
#include "report/bulletin.h"
#include "report/figfmt.h"
#include "report/template.h"

#define MAX_TOKENS 8
#define RANK_MAX   5

/* Which months a figure covers, or how it compares them. */
enum when {
    W_CUM,
    W_MONTH,
    W_PREV,
    W_LAST_YEAR,
    W_CHANGE,
    W_YOY,
    W_MOM,   /* the month alone against the month before alone */
    W_SHARE, /* SEL's share of all, or a split's of its channel (or all) */
    W_AVG,   /* amount per count: 次均金额 (avg.SEL, no MEASURE) */
};

/* What a figure is of: a channel (or all), a scope or use value (or all). */
struct sel {
    int chan;    /* -1: all channels */
    int set;     /* -1: the total, else CODESET_SCOPE / CODESET_USE */
    int code;    /* the scope or use value, with its descendants */
    bool amount; /* amount, else count */
    const struct codes *codes; /* the sets of the codes */
};

struct tok {
    const char *s;
    size_t len;
};

static bool
is(const struct tok *t, const char *w)
{
    return strlen(w) == t->len && memcmp(w, t->s, t->len) == 0;
}

/* Cut name at its dots into t[]; the count, or 0 when there are too many. */
static size_t
split_dots(const char *name, size_t len, struct tok *t)
{
    size_t n = 0, start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && name[i] != '.')
            continue;
        if (n == MAX_TOKENS)
            return 0;
        t[n].s = name + start;
        t[n].len = i - start;
        n++;
        start = i + 1;
    }
    return n;
}

/* A code as written in a name (the English code, exactly). */
static int
code_of(const struct codes *cs, enum code_set set, const struct tok *t)
{
    int v = codes_parse(cs, set, t->s, t->len);
    return v >= 0 && is(t, codes_code(cs, set, v)) ? v : -1;
}

/* t[0..n) as SEL.MEASURE; false when it is not one. */
static bool
parse_sel(const struct codes *cs, const struct tok *t, size_t n, struct sel *s)
{
    size_t i = 1;

    s->codes = cs;
    if (n < 2)
        return false;
    s->set = -1;
    s->code = -1;
    if (is(&t[0], "all"))
        s->chan = -1;
    else if (is(&t[0], "acct"))
        s->chan = CHANNEL_ACCOUNT;
    else if ((s->chan = code_of(cs, CODESET_CHANNEL, &t[0])) < 0)
        return false;
    if (n == 4 && (is(&t[1], "scope") || is(&t[1], "use"))) {
        s->set = is(&t[1], "scope") ? CODESET_SCOPE : CODESET_USE;
        if ((s->code = code_of(cs, (enum code_set)s->set, &t[2])) < 0)
            return false;
        i = 3;
    }
    if (i + 1 != n)
        return false;
    s->amount = is(&t[i], "amount");
    return s->amount || is(&t[i], "count");
}

/* Note name = v in in->figures (once: a name is always the same value). */
void
bulletinfig_note(const struct bulletin_input *in, const char *name, size_t len,
                 bool amount, int64_t v)
{
    struct sbuf *fig = in->figures;
    char money[32];
    if (fig == NULL)
        return;
    for (const char *p = fig->buf; p != NULL && *p != '\0';) {
        if (strncmp(p, name, len) == 0 && p[len] == ',')
            return;
        p = strchr(p, '\n');
        p = p != NULL ? p + 1 : NULL;
    }
    sbuf_add(fig, name, len);
    if (amount) {
        money_format(money, sizeof(money), v);
        sbuf_addf(fig, ",%s\n", money);
    } else {
        sbuf_addf(fig, ",%lld\n", (long long)v);
    }
}

/*
 * Note a derived figure (mom., share., avg.) as the two exact values it is
 * computed from, "num/den" (counts whole, amounts in yuan), once:
 * "share.acct.scope.cross_area.amount,7938000000.00/68020000000.00".
 */
static void
note_ratio(const struct bulletin_input *in, const char *name, size_t len,
           bool num_amount, int64_t num, bool den_amount, int64_t den)
{
    struct sbuf *fig = in->figures;
    char a[32], b[32];
    if (fig == NULL)
        return;
    for (const char *p = fig->buf; p != NULL && *p != '\0';) {
        if (strncmp(p, name, len) == 0 && p[len] == ',')
            return;
        p = strchr(p, '\n');
        p = p != NULL ? p + 1 : NULL;
    }
    if (num_amount)
        money_format(a, sizeof(a), num);
    else
        snprintf(a, sizeof(a), "%lld", (long long)num);
    if (den_amount)
        money_format(b, sizeof(b), den);
    else
        snprintf(b, sizeof(b), "%lld", (long long)den);
    sbuf_add(fig, name, len);
    sbuf_addf(fig, ",%s/%s\n", a, b);
}

static int64_t
sel_value(const struct rollup_region *g, const struct sel *s)
{
    const struct measures *total = &g->total, *by = NULL;
    if (s->chan >= 0)
        total = &g->chan[s->chan].total;
    if (s->set == CODESET_SCOPE)
        by = s->chan >= 0 ? g->chan[s->chan].scope : g->scope;
    else if (s->set == CODESET_USE)
        by = s->chan >= 0 ? g->chan[s->chan].use : g->use;
    struct measures m = by == NULL ? *total
                        : s->set == CODESET_SCOPE
                            ? rollup_scope(s->codes, by, s->code)
                            : rollup_use(s->codes, by, s->code);
    return s->amount ? m.amount_fen : m.person_times;
}

/* The count's label: 人次, or the channel's own word (笔). */
static const char *
sel_label(const struct sel *s)
{
    return s->chan >= 0 ? codes_count_label(s->codes, s->chan) : "人次";
}

static void
put_value(struct sbuf *out, const struct sel *s, int64_t v,
          const struct figfmt *f)
{
    if (s->amount)
        figfmt_amount(out, v, f);
    else
        figfmt_count(out, v, sel_label(s), f);
}

/* The regions a ranking orders: provinces, or a province's areas. */
static size_t
rank_regions(const struct rollup *r, const struct rollup_region **list)
{
    *list = r->province != 0 ? r->areas : r->provinces;
    return r->province != 0 ? r->nareas : r->nprovinces;
}

static void
put_region_name(struct sbuf *out, const struct bulletin_input *in,
                const struct rollup_region *g)
{
    const char *name = NULL;
    if (in->r->province != 0) {
        const struct area *a = refdata_area(in->rd, g->code);
        name = a != NULL ? a->name : NULL;
    } else {
        const struct province *p = refdata_province(in->rd, g->code);
        name = p != NULL ? p->short_name : NULL;
    }
    if (name != NULL)
        bulletin_md_text(out, name, strlen(name));
    else
        sbuf_addf(out, "%06d", g->code);
}

/*
 * The first (up to) RANK_MAX regions by s, largest first, ties in table
 * order, zeros left out; their indexes into idx, the count returned.
 */
static size_t
ranked(const struct rollup_region *list, size_t n, const struct sel *s,
       size_t idx[RANK_MAX])
{
    size_t k = 0;
    bool *taken = xcalloc(n ? n : 1, sizeof(*taken));
    while (k < RANK_MAX) {
        size_t best = n;
        for (size_t i = 0; i < n; i++)
            if (!taken[i] && sel_value(&list[i], s) > 0 &&
                (best == n ||
                 sel_value(&list[i], s) > sel_value(&list[best], s)))
                best = i;
        if (best == n)
            break;
        taken[best] = true;
        idx[k++] = best;
    }
    free(taken);
    return k;
}

/* rankN.SEL.MEASURE[.name] and top5.SEL.MEASURE[.values]. */
static int
rank_lookup(const struct bulletin_input *in, struct tok *t, size_t n,
            const char *mods, size_t mlen, struct sbuf *out)
{
    bool top = is(&t[0], "top5"), with_name = false, with_values = false;
    int nth = 0;
    if (!top && (t[0].len != 5 || memcmp(t[0].s, "rank", 4) != 0 ||
                 t[0].s[4] < '1' || t[0].s[4] > '0' + RANK_MAX))
        return TEMPLATE_UNKNOWN_NAME;
    if (!top)
        nth = t[0].s[4] - '0';
    if (n > 1 && is(&t[n - 1], top ? "values" : "name")) {
        with_name = !top;
        with_values = top;
        n--;
    }
    struct sel s;
    struct figfmt f;
    size_t bad;
    if (!parse_sel(in->r->codes, t + 1, n - 1, &s))
        return TEMPLATE_UNKNOWN_NAME;
    if ((with_name || (top && !with_values)) && mlen > 0)
        return TEMPLATE_BAD_MODIFIER(0);
    if (figfmt_parse(mods, mlen, s.amount ? FIGFMT_AMOUNT : FIGFMT_COUNT, &f,
                     &bad) < 0)
        return TEMPLATE_BAD_MODIFIER(bad);

    const struct rollup_region *list;
    size_t nlist = rank_regions(in->r, &list), idx[RANK_MAX];
    size_t k = ranked(list, nlist, &s, idx);
    if (!top) {
        if ((size_t)nth > k)
            sbuf_addstr(out, "—");
        else if (with_name)
            put_region_name(out, in, &list[idx[nth - 1]]);
        else {
            int64_t v = sel_value(&list[idx[nth - 1]], &s);
            size_t nlen = (size_t)(t[n - 1].s + t[n - 1].len - t[0].s);
            bulletinfig_note(in, t[0].s, nlen, s.amount, v);
            put_value(out, &s, v, &f);
        }
        return 0;
    }
    /* a list is in one unit: the largest value's (auto), unless forced */
    if (k > 0 && f.unit == FIGFMT_AUTO) {
        int64_t top_v = sel_value(&list[idx[0]], &s);
        int64_t base = s.amount ? 100 : 1; /* fen per yuan */
        f.unit = top_v >= 100000000 * base ? FIGFMT_YI
                 : top_v >= 10000 * base   ? FIGFMT_WAN
                                           : FIGFMT_BASE;
    }
    for (size_t i = 0; i < k; i++) {
        if (i > 0)
            sbuf_addstr(out, "、");
        put_region_name(out, in, &list[idx[i]]);
        if (with_values)
            put_value(out, &s, sel_value(&list[idx[i]], &s), &f);
    }
    if (k == 0)
        sbuf_addstr(out, "（无数据）");
    return 0;
}

static enum when
when_of(const struct tok *t, size_t *skip)
{
    static const struct {
        const char *word;
        enum when w;
    } words[] = {
        {"month", W_MONTH},   {"prev", W_PREV}, {"last_year", W_LAST_YEAR},
        {"change", W_CHANGE}, {"yoy", W_YOY},   {"mom", W_MOM},
        {"share", W_SHARE},   {"avg", W_AVG}};
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (is(t, words[i].word)) {
            *skip = 1;
            return words[i].w;
        }
    *skip = 0;
    return W_CUM;
}

int
bulletinfig_lookup(const struct bulletin_input *in, const char *name,
                   size_t len, const char *mods, size_t mlen, struct sbuf *out)
{
    const struct rollup *r = in->r;
    struct tok t[MAX_TOKENS];
    size_t n = split_dots(name, len, t), skip;
    struct sel s;
    struct figfmt f;
    size_t bad;

    if (n < 2)
        return TEMPLATE_UNKNOWN_NAME;
    if (is(&t[0], "top5") || (t[0].len == 5 && memcmp(t[0].s, "rank", 4) == 0))
        return rank_lookup(in, t, n, mods, mlen, out);
    enum when w = when_of(&t[0], &skip);
    if (w == W_AVG) {
        /* avg.SEL: SEL without a MEASURE, read as SEL.amount */
        struct tok tt[MAX_TOKENS + 1];
        memcpy(tt, t, n * sizeof(*t));
        tt[n].s = "amount";
        tt[n].len = 6;
        if (!parse_sel(r->codes, tt + 1, n, &s))
            return TEMPLATE_UNKNOWN_NAME;
    } else if (!parse_sel(r->codes, t + skip, n - skip, &s)) {
        return TEMPLATE_UNKNOWN_NAME;
    }
    enum figfmt_kind kind = w == W_YOY || w == W_MOM ? FIGFMT_PERCENT
                            : w == W_SHARE           ? FIGFMT_SHARE
                            : w == W_AVG             ? FIGFMT_AVG
                            : s.amount               ? FIGFMT_AMOUNT
                                                     : FIGFMT_COUNT;
    if (figfmt_parse(mods, mlen, kind, &f, &bad) < 0)
        return TEMPLATE_BAD_MODIFIER(bad);

    int64_t now = sel_value(&r->nation, &s), v = now;
    switch (w) {
    case W_CUM:
        put_value(out, &s, now, &f);
        break;
    case W_MONTH:
        put_value(out, &s, v = sel_value(&r->month, &s), &f);
        break;
    case W_PREV:
        v = r->has_prev ? sel_value(&r->prev, &s) : 0;
        put_value(out, &s, v, &f);
        break;
    case W_LAST_YEAR:
        put_value(out, &s, v = sel_value(&r->last_year, &s), &f);
        break;
    case W_CHANGE:
        if (!r->has_prev) {
            sbuf_addstr(out, "—"); /* January: nothing before it */
            return 0;
        }
        v = now - sel_value(&r->prev, &s);
        figfmt_change(out, now, v, kind, sel_label(&s), &f);
        break;
    case W_YOY:
        figfmt_percent(out, now,
                       r->has_last_year ? sel_value(&r->last_year, &s) : 0, &f);
        return 0;
    case W_MOM: {
        int64_t m = sel_value(&r->month, &s);
        int64_t b = r->has_prev_month ? sel_value(&r->prev_month, &s) : 0;
        figfmt_percent(out, m, b, &f);
        note_ratio(in, name, len, s.amount, m, s.amount, b);
        return 0;
    }
    case W_SHARE: {
        /* a split's share of its channel (or of all), a channel's of all */
        struct sel whole = s;
        if (s.set >= 0)
            whole.set = -1;
        else
            whole.chan = -1;
        int64_t d = sel_value(&r->nation, &whole);
        figfmt_share(out, now, d, &f);
        note_ratio(in, name, len, s.amount, now, s.amount, d);
        return 0;
    }
    case W_AVG: {
        struct sel cnt = s;
        cnt.amount = false;
        int64_t c = sel_value(&r->nation, &cnt);
        figfmt_avg(out, now, c, &f);
        note_ratio(in, name, len, true, now, false, c);
        return 0;
    }
    }
    bulletinfig_note(in, name, len, s.amount, v);
    return 0;
}

bool
bulletinfig_level(const struct bulletin_input *in, const char *name, size_t len,
                  int64_t *v, bool *amount, const char **count_word,
                  struct sbuf *label)
{
    const struct rollup *r = in->r;
    struct tok t[MAX_TOKENS];
    size_t n = split_dots(name, len, t), skip;
    struct sel s;

    if (n < 2)
        return false;
    enum when w = when_of(&t[0], &skip);
    if ((w != W_CUM && w != W_MONTH) ||
        !parse_sel(r->codes, t + skip, n - skip, &s))
        return false;
    *v = sel_value(w == W_MONTH ? &r->month : &r->nation, &s);
    *amount = s.amount;
    *count_word = sel_label(&s);
    if (w == W_MONTH)
        sbuf_addstr(label, "当月");
    /* names of data/codes.csv are text from a file: Markdown-escaped */
    const char *nm = NULL;
    if (s.chan == CHANNEL_ACCOUNT)
        sbuf_addstr(label, "个人账户");
    else if (s.chan >= 0 &&
             (nm = codes_name(s.codes, CODESET_CHANNEL, s.chan)) != NULL)
        bulletin_md_text(label, nm, strlen(nm));
    if (s.set >= 0 &&
        (nm = codes_name(s.codes, (enum code_set)s.set, s.code)) != NULL)
        bulletin_md_text(label, nm, strlen(nm));
    sbuf_addstr(label, s.amount ? "共济金额"
                       : s.chan >= 0 && strcmp(sel_label(&s), "笔") == 0
                           ? "共济笔数"
                           : "共济人次");
    return true;
}
