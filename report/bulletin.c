/* SPDX-License-Identifier: MIT */
#include "report/bulletin.h"

#include <stdio.h>
#include <string.h>

#include "aggregate/rollup.h"
#include "common/diag.h"
#include "common/money.h"
#include "common/sbuf.h"
#include "ingest/policy.h"
#include "ingest/refdata.h"
#include "report/numfmt.h"
#include "report/template.h"

/* Exact value of a displayed figure, in the base unit (person / fen). */
static int64_t
displayed_base(int64_t v, int is_amount)
{
    if (is_amount) {
        enum unit u = numfmt_amount_unit(v);
        int64_t h = numfmt_amount_hundredths(v, u);
        return u == UNIT_YI ? h * 100000000 : u == UNIT_WAN ? h * 10000 : h;
    }
    enum unit u = numfmt_pt_unit(v);
    int64_t h = numfmt_pt_hundredths(v, u);
    return u == UNIT_YI ? h * 1000000 : u == UNIT_WAN ? h * 100 : v;
}

int
bulletin_parts_differ(const int64_t *parts, size_t n, int64_t total,
                      int is_amount)
{
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++)
        if (parts[i] != 0 &&
            fx_add(sum, displayed_base(parts[i], is_amount), &sum) < 0)
            return 1;
    if (is_amount) {
        enum unit u = numfmt_amount_unit(total);
        return numfmt_amount_hundredths(sum, u) !=
               numfmt_amount_hundredths(total, u);
    }
    enum unit u = numfmt_pt_unit(total);
    return numfmt_pt_hundredths(sum, u) != numfmt_pt_hundredths(total, u);
}

void
bulletin_md_text(struct sbuf *out, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '<':
            sbuf_addstr(out, "&lt;");
            continue;
        case '>':
            sbuf_addstr(out, "&gt;");
            continue;
        case '&':
            sbuf_addstr(out, "&amp;");
            continue;
        case '\\':
        case '`':
        case '*':
        case '_':
        case '[':
        case ']':
        case '(':
        case ')':
        case '{':
        case '}':
        case '#':
        case '+':
        case '-':
        case '!':
        case '|':
        case '~':
        case '$':
        case ':':
        case '@':
            sbuf_addch(out, '\\');
            break;
        case '.':
            /* "www." starts an autolink in md4c's permissive mode */
            if (i >= 3 && (s[i - 1] | 0x20) == 'w' &&
                (s[i - 2] | 0x20) == 'w' && (s[i - 3] | 0x20) == 'w')
                sbuf_addch(out, '\\');
            break;
        default:
            if (c < 0x20 || c == 0x7F)
                c = ' ';
            break;
        }
        sbuf_addch(out, (char)c);
    }
}

/* A table's name as Markdown text. */
static void
add_name(struct sbuf *out, const char *name)
{
    bulletin_md_text(out, name, strlen(name));
}

struct ctx {
    const struct bulletin_input *in;
    char period[32], prev[32], as_of[32];
};

static void
add_pt(struct sbuf *out, int64_t v)
{
    char b[64];
    numfmt_pt_auto(b, sizeof(b), v);
    sbuf_addstr(out, b);
}

static void
add_amount(struct sbuf *out, int64_t v)
{
    char b[64];
    numfmt_amount_auto(b, sizeof(b), v);
    sbuf_addstr(out, b);
}

/* "增加0.28亿人次" / "减少…": the change in the unit of the level. */
static void
add_change(struct sbuf *out, int64_t level, int64_t change, int is_amount)
{
    char b[64];
    int64_t mag = change < 0 ? -change : change;
    sbuf_addstr(out, change < 0 ? "减少" : "增加");
    if (is_amount) {
        enum unit u = numfmt_amount_unit(level);
        numfmt_amount(b, sizeof(b), mag, u);
        sbuf_addf(out, "%s%s", b, numfmt_amount_suffix(u));
    } else {
        enum unit u = numfmt_pt_unit(level);
        numfmt_pt(b, sizeof(b), mag, u);
        sbuf_addf(out, "%s%s", b, numfmt_pt_suffix(u));
    }
}

static void
headline(struct ctx *c, struct sbuf *out)
{
    const struct rollup *r = c->in->r;
    const struct measures *t = &r->nation.total;

    sbuf_addf(out, "%s，全国职工医保个人账户共济", c->period);
    add_pt(out, t->person_times);
    if (r->has_prev) {
        sbuf_addf(out, "，比%s", c->prev);
        add_change(out, t->person_times,
                   t->person_times - r->prev.total.person_times, 0);
    }
    sbuf_addstr(out, "；共济金额");
    add_amount(out, t->amount_fen);
    if (r->has_prev) {
        sbuf_addf(out, "，比%s", c->prev);
        add_change(out, t->amount_fen, t->amount_fen - r->prev.total.amount_fen,
                   1);
    }
    sbuf_addstr(out, "。");
    if (!r->has_prev)
        sbuf_addstr(out, "1月为年内首个统计月，无上期累计数可比。");
}

static void
add_growth(struct sbuf *out, int64_t now, int64_t before)
{
    int64_t bp;
    char b[32];
    if (before <= 0 || fx_ratio_bp(now - before, before, &bp) < 0) {
        sbuf_addstr(out, "—");
        return;
    }
    sbuf_addstr(out, bp < 0 ? "下降" : "增长");
    /* basis points are hundredths of a percent */
    numfmt_hundredths(b, sizeof(b), bp < 0 ? -bp : bp);
    sbuf_addf(out, "%s%%", b);
}

static void
yoy(struct ctx *c, struct sbuf *out)
{
    const struct rollup *r = c->in->r;
    if (!r->has_last_year)
        return;
    sbuf_addf(out, "与%d年同期相比，共济人次", r->period.year - 1);
    add_growth(out, r->nation.total.person_times,
               r->last_year.total.person_times);
    sbuf_addstr(out, "，共济金额");
    add_growth(out, r->nation.total.amount_fen, r->last_year.total.amount_fen);
    sbuf_addstr(out, "。");
}

static void
top5(struct ctx *c, struct sbuf *out, int by_amount)
{
    const struct rollup *r = c->in->r;
    const size_t *rank = by_amount ? r->rank_amount : r->rank_person_times;
    size_t shown = 0;

    for (size_t i = 0; i < r->nprovinces && shown < 5; i++) {
        const struct rollup_region *p = &r->provinces[rank[i]];
        int64_t v = by_amount ? p->total.amount_fen : p->total.person_times;
        if (v <= 0)
            break;
        const struct province *pr = refdata_province(c->in->rd, p->code);
        if (shown)
            sbuf_addstr(out, "、");
        add_name(out, pr ? pr->short_name : "?");
        shown++;
    }
    if (shown == 0)
        sbuf_addstr(out, "（无数据）");
}

static void
scope(struct ctx *c, struct sbuf *out)
{
    const struct rollup_figs *n = &c->in->r->nation.chan[CHANNEL_ACCOUNT];
    static const struct {
        int scope;
        const char *label;
        bool always;
    } items[] = {{SCOPE_SAME_AREA, "同一统筹区内", true},
                 {SCOPE_CROSS_AREA, "省内跨统筹区", true},
                 {SCOPE_IN_PROVINCE, "省内（未区分统筹区）", false},
                 {SCOPE_CROSS_PROVINCE, "跨省", false}};
    int first = 1;

    sbuf_addstr(out, "从共济范围看，");
    for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
        const struct measures *m = &n->scope[items[i].scope];
        if (!items[i].always && m->person_times == 0 && m->amount_fen == 0)
            continue;
        sbuf_addf(out, "%s%s共济", first ? "" : "；", items[i].label);
        add_pt(out, m->person_times);
        sbuf_addstr(out, "、");
        add_amount(out, m->amount_fen);
        first = 0;
    }
    sbuf_addstr(out, "。");
}

static void
uses(struct ctx *c, struct sbuf *out)
{
    const struct rollup_figs *n = &c->in->r->nation.chan[CHANNEL_ACCOUNT];
    static const struct {
        int use;
        const char *label;
        bool always;
    } items[] = {{USE_MEDICAL, "在定点医疗机构共济", true},
                 {USE_PHARMACY, "在定点零售药店共济", true},
                 {USE_MEDICAL_PHARMACY, "就医购药（未区分）", false},
                 {USE_PREMIUM, "用于参加居民医保等个人缴费", true},
                 {USE_LTC_PREMIUM, "用于长期护理保险个人缴费", false},
                 {USE_OTHER, "其他用途", false}};
    int first = 1;

    sbuf_addstr(out, "从共济用途看，");
    for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
        int64_t v = n->use[items[i].use].amount_fen;
        if (!items[i].always && v == 0)
            continue;
        sbuf_addf(out, "%s%s", first ? "" : "，", items[i].label);
        add_amount(out, v);
        first = 0;
    }
    sbuf_addstr(out, "。");
}

static void
rounding_note(struct ctx *c, struct sbuf *out)
{
    const struct rollup_figs *n = &c->in->r->nation.chan[CHANNEL_ACCOUNT];
    int64_t pt[CODES_MAX], am[CODES_MAX], use[CODES_MAX];
    int ns = codes_count(CODESET_SCOPE), nu = codes_count(CODESET_USE);
    for (int s = 0; s < ns; s++) {
        pt[s] = n->scope[s].person_times;
        am[s] = n->scope[s].amount_fen;
    }
    for (int u = 0; u < nu; u++)
        use[u] = n->use[u].amount_fen;
    if (bulletin_parts_differ(pt, (size_t)ns, n->total.person_times, 0) ||
        bulletin_parts_differ(am, (size_t)ns, n->total.amount_fen, 1) ||
        bulletin_parts_differ(use, (size_t)nu, n->total.amount_fen, 1))
        sbuf_addstr(out, "注：因四舍五入，分项之和与合计可能存在尾差。\n\n");
}

/* The text of a partial row's note before its first "；". */
static void
add_note_head(struct sbuf *out, const char *note)
{
    const char *semi = note ? strstr(note, "；") : NULL;
    if (note == NULL || *note == '\0')
        return;
    sbuf_addstr(out, "（");
    bulletin_md_text(out, note, semi ? (size_t)(semi - note) : strlen(note));
    sbuf_addstr(out, "）");
}

/*
 * One measure's sentence: the provinces known to have it in full, those
 * known to have it in part, and those whose status on the date the table
 * does not know (data/policy.csv records some only as "in effect by" a
 * later date): never "none" where the truth is "unknown".
 */
static void
policy_measure(struct ctx *c, struct sbuf *out, enum policy_measure m,
               const char *what)
{
    const struct refdata *rd = c->in->rd;
    struct sbuf full = SBUF_INIT, partial = SBUF_INIT;
    size_t nfull = 0, npartial = 0, nprov = 0, nunknown = 0;
    const char *first_unknown = NULL, *first_atleast = NULL;
    size_t natleast = 0;
    int corps = 0;
    bool corps_unknown = false;

    for (size_t i = 0; i < refdata_province_count(rd); i++) {
        const struct province *p = refdata_province_at(rd, i);
        const char *note = NULL;
        bool known;
        enum policy_status st = policy_status_on(c->in->pol, p->code, m,
                                                 c->in->as_of, &note, &known);
        if (!known && st == POLICY_PARTIAL) {
            /* partial when last recorded, perhaps full since */
            if (natleast++ == 0)
                first_atleast = p->short_name;
            nprov += p->code != 660000;
            continue;
        }
        if (!known && p->code == 660000) {
            corps_unknown = true;
            continue;
        }
        if (!known) {
            if (nunknown++ == 0)
                first_unknown = p->short_name;
            nprov++;
            continue;
        }
        if (p->code == 660000) {
            corps = st == POLICY_FULL;
            continue;
        }
        nprov++;
        if (st == POLICY_FULL) {
            if (nfull)
                sbuf_addstr(&full, "、");
            add_name(&full, p->short_name);
            nfull++;
        } else if (st == POLICY_PARTIAL) {
            if (npartial)
                sbuf_addstr(&partial, "，另有");
            add_name(&partial, p->short_name);
            sbuf_addstr(&partial, "部分实现");
            add_note_head(&partial, note);
            npartial++;
        }
    }
    if (nfull == nprov)
        sbuf_addf(out, "全部%zu个省份%s均已%s", nprov,
                  corps ? "和新疆生产建设兵团" : "", what);
    else if (nfull == 1)
        sbuf_addf(out, "%s%s已%s", full.buf, corps ? "和新疆生产建设兵团" : "",
                  what);
    else if (nfull > 0)
        sbuf_addf(out, "%s等%zu个省份%s已%s", full.buf, nfull,
                  corps ? "和新疆生产建设兵团" : "", what);
    else if (corps)
        sbuf_addf(out, "新疆生产建设兵团已%s", what);
    if (npartial > 0)
        sbuf_addf(out, "%s%s", nfull || corps ? "，另有" : "", partial.buf);
    if (natleast > 0) {
        sbuf_addstr(out, nfull || corps || npartial ? "，另有" : "");
        add_name(out, first_atleast);
        if (natleast > 1)
            sbuf_addf(out, "等%zu个省份", natleast);
        sbuf_addstr(out, "至少已部分实现");
    }
    if (nfull == 0 && npartial == 0 && !corps && nunknown == 0 &&
        !corps_unknown && natleast == 0)
        sbuf_addf(out, "尚无省份%s", what);
    if (nunknown > 0 || corps_unknown) {
        if (nfull || npartial || corps || natleast)
            sbuf_addstr(out, "；");
        if (nunknown > 0)
            add_name(out, first_unknown);
        if (nunknown > 1)
            sbuf_addf(out, "等%zu个省份", nunknown);
        if (corps_unknown)
            sbuf_addstr(out, nunknown > 0 ? "和新疆生产建设兵团"
                                          : "新疆生产建设兵团");
        sbuf_addf(out, "截至该日是否已%s尚无记录", what);
    }
    sbuf_release(&full);
    sbuf_release(&partial);
}

static void
policy(struct ctx *c, struct sbuf *out)
{
    sbuf_addf(out, "截至%s，", c->as_of);
    policy_measure(c, out, POLICY_NEAR_RELATIVES, "将共济范围扩大到近亲属");
    sbuf_addstr(out, "；");
    policy_measure(c, out, POLICY_CROSS_AREA, "实现省内跨统筹区共济");
    /* cross-province sharing is mentioned once a province is known to
     * have it */
    size_t any = 0;
    for (size_t i = 0; i < c->in->pol->nrows; i++) {
        const struct policy_row *r = &c->in->pol->rows[i];
        bool known;
        any += r->measure == POLICY_CROSS_PROVINCE &&
               r->status != POLICY_NONE && r->since <= c->in->as_of &&
               policy_status_on(c->in->pol, r->province, r->measure,
                                c->in->as_of, NULL, &known) != POLICY_NONE &&
               known;
    }
    if (any) {
        sbuf_addstr(out, "；");
        policy_measure(c, out, POLICY_CROSS_PROVINCE, "开展跨省共济");
    }
    sbuf_addstr(out, "。");
}

typedef void value_fn(struct ctx *c, struct sbuf *out);

static void
v_top5_pt(struct ctx *c, struct sbuf *out)
{
    top5(c, out, 0);
}

static void
v_top5_amount(struct ctx *c, struct sbuf *out)
{
    top5(c, out, 1);
}

static void
v_period(struct ctx *c, struct sbuf *out)
{
    sbuf_addstr(out, c->period);
}

static void
v_as_of(struct ctx *c, struct sbuf *out)
{
    sbuf_addstr(out, c->as_of);
}

static void
v_total_pt(struct ctx *c, struct sbuf *out)
{
    add_pt(out, c->in->r->nation.total.person_times);
}

static void
v_total_amount(struct ctx *c, struct sbuf *out)
{
    add_amount(out, c->in->r->nation.total.amount_fen);
}

static void
v_attachment_title(struct ctx *c, struct sbuf *out)
{
    sbuf_addf(out, "%s各省职工医保个人账户共济情况", c->period);
}

static const struct {
    const char *name;
    value_fn *fn;
} values[] = {
    {"period", v_period},
    {"as_of", v_as_of},
    {"policy", policy},
    {"headline", headline},
    {"yoy", yoy},
    {"total_person_times", v_total_pt},
    {"total_amount", v_total_amount},
    {"top5_person_times", v_top5_pt},
    {"top5_amount", v_top5_amount},
    {"scope", scope},
    {"use", uses},
    {"rounding_note", rounding_note},
    {"attachment_title", v_attachment_title},
};

/* Today's values take no modifiers: one written after them is an error. */
static int
lookup(const char *name, size_t len, const char *mods, size_t mlen,
       struct sbuf *out, void *data)
{
    (void)mods;
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++)
        if (strlen(values[i].name) == len &&
            memcmp(values[i].name, name, len) == 0) {
            if (mlen > 0)
                return TEMPLATE_BAD_MODIFIER(0);
            values[i].fn(data, out);
            return 0;
        }
    return TEMPLATE_UNKNOWN_NAME;
}

int
bulletin_render(const char *tmpl, size_t len, const char *tmpl_name,
                const struct bulletin_input *in, struct sbuf *out,
                struct diag *err)
{
    struct ctx c;
    const struct rollup *r = in->r;

    memset(&c, 0, sizeof(c));
    c.in = in;
    period_range_label(c.period, sizeof(c.period),
                       period_year_to_date(r->period));
    if (r->period.month > 2)
        snprintf(c.prev, sizeof(c.prev), "1-%d月", r->period.month - 1);
    else
        snprintf(c.prev, sizeof(c.prev), "1月");
    period_date_label(c.as_of, sizeof(c.as_of), in->as_of);
    return template_expand(tmpl, len, tmpl_name, lookup, &c, out, err);
}
