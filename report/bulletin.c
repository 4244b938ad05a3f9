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
#include "report/bulletinfig.h"
#include "report/figfmt.h"
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
    struct figfmt f;   /* the modifiers of the sentence being written */
    const char *where; /* 全国, or the province's 全省/全市/全区 */
    bool put_completeness, put_revision; /* the template placed them */
};

/* Note a sentence's figure in figures.csv (report/bulletinfig.h). */
static void
note(struct ctx *c, const char *name, bool amount, int64_t v)
{
    bulletinfig_note(c->in, name, strlen(name), amount, v);
}

/* acct.scope.CODE.count/amount (or use) of a sentence's split. */
static void
note_split(struct ctx *c, enum code_set set, int v, const struct measures *m)
{
    char name[96];
    const char *what = set == CODESET_SCOPE ? "scope" : "use";
    snprintf(name, sizeof(name), "acct.%s.%s.count", what,
             codes_code(refdata_codes(c->in->rd), set, v));
    note(c, name, false, m->person_times);
    snprintf(name, sizeof(name), "acct.%s.%s.amount", what,
             codes_code(refdata_codes(c->in->rd), set, v));
    note(c, name, true, m->amount_fen);
}

/* The account channel of the region: what the 2024 releases counted. */
static const struct rollup_figs *
acct(const struct rollup_region *g)
{
    return &g->chan[CHANNEL_ACCOUNT];
}

static void
add_pt(struct ctx *c, struct sbuf *out, int64_t v)
{
    figfmt_count(out, v, "人次", &c->f);
}

static void
add_amount(struct ctx *c, struct sbuf *out, int64_t v)
{
    figfmt_amount(out, v, &c->f);
}

/* "比1-8月增长0.28亿人次" / "…减少…": the change in the unit of the level. */
static void
add_change(struct ctx *c, struct sbuf *out, int64_t level, int64_t change,
           int is_amount)
{
    sbuf_addf(out, "，比%s", c->prev);
    figfmt_change(out, level, change, is_amount ? FIGFMT_AMOUNT : FIGFMT_COUNT,
                  "人次", &c->f);
}

/* The headline: the account channel, as the 2024 releases count it. */
static void
headline(struct ctx *c, struct sbuf *out)
{
    const struct rollup *r = c->in->r;
    const struct measures *t = &acct(&r->nation)->total;
    const struct measures *p = &acct(&r->prev)->total;

    note(c, "acct.count", false, t->person_times);
    note(c, "acct.amount", true, t->amount_fen);
    if (r->has_prev) {
        note(c, "change.acct.count", false, t->person_times - p->person_times);
        note(c, "change.acct.amount", true, t->amount_fen - p->amount_fen);
    }
    sbuf_addf(out, "%s，%s职工医保个人账户共济", c->period, c->where);
    add_pt(c, out, t->person_times);
    if (r->has_prev)
        add_change(c, out, t->person_times, t->person_times - p->person_times,
                   0);
    sbuf_addstr(out, "；共济金额");
    add_amount(c, out, t->amount_fen);
    if (r->has_prev)
        add_change(c, out, t->amount_fen, t->amount_fen - p->amount_fen, 1);
    sbuf_addstr(out, "。");
    if (!r->has_prev)
        sbuf_addstr(out, "1月为年内首个统计月，无上期累计数可比。");
}

static void
yoy(struct ctx *c, struct sbuf *out)
{
    const struct rollup *r = c->in->r;
    struct figfmt pf;
    figfmt_init(&pf, FIGFMT_PERCENT);
    pf.digits = 2;
    pf.word = true;
    if (!r->has_last_year)
        return;
    sbuf_addf(out, "与%d年同期相比，共济人次", r->period.year - 1);
    figfmt_percent(out, acct(&r->nation)->total.person_times,
                   acct(&r->last_year)->total.person_times, &pf);
    sbuf_addstr(out, "，共济金额");
    figfmt_percent(out, acct(&r->nation)->total.amount_fen,
                   acct(&r->last_year)->total.amount_fen, &pf);
    sbuf_addstr(out, "。");
}

/*
 * The top five regions of the account channel by count or amount: the
 * provinces (a provincial bulletin: its pooling areas), ties in table
 * order.
 */
static void
top5(struct ctx *c, struct sbuf *out, int by_amount)
{
    int rc = bulletinfig_lookup(
        c->in, by_amount ? "top5.acct.amount" : "top5.acct.count",
        by_amount ? 16 : 15, "", 0, out);
    if (rc != 0)
        BUG("top5: %d", rc);
}

/*
 * The wallet in a 2024-style text, when it has any data: "医保钱包（转账方式）
 * 共济7695笔、367.44万元，其中省内…，跨省…".
 */
static void
wallet_note(struct ctx *c, struct sbuf *out)
{
    const struct rollup_figs *w = &c->in->r->nation.chan[CHANNEL_WALLET];
    struct measures in =
        rollup_scope(c->in->r->codes, w->scope, SCOPE_IN_PROVINCE);
    struct measures cross =
        rollup_scope(c->in->r->codes, w->scope, SCOPE_CROSS_PROVINCE);

    if (w->total.person_times == 0 && w->total.amount_fen == 0)
        return;
    note(c, "wallet.count", false, w->total.person_times);
    note(c, "wallet.amount", true, w->total.amount_fen);
    note(c, "wallet.scope.in_province.count", false, in.person_times);
    note(c, "wallet.scope.in_province.amount", true, in.amount_fen);
    note(c, "wallet.scope.cross_province.count", false, cross.person_times);
    note(c, "wallet.scope.cross_province.amount", true, cross.amount_fen);
    sbuf_addf(out, "%s，通过医保钱包（转账方式）共济", c->period);
    figfmt_count(out, w->total.person_times, "笔", &c->f);
    sbuf_addstr(out, "、");
    add_amount(c, out, w->total.amount_fen);
    if (cross.person_times == 0 && cross.amount_fen == 0 &&
        in.person_times == w->total.person_times &&
        in.amount_fen == w->total.amount_fen) {
        sbuf_addstr(out, "，均为省内共济");
    } else if (in.person_times != 0 || cross.person_times != 0) {
        sbuf_addstr(out, "，其中省内");
        figfmt_count(out, in.person_times, "笔", &c->f);
        sbuf_addstr(out, "、");
        add_amount(c, out, in.amount_fen);
        sbuf_addstr(out, "，跨省");
        figfmt_count(out, cross.person_times, "笔", &c->f);
        sbuf_addstr(out, "、");
        add_amount(c, out, cross.amount_fen);
    }
    sbuf_addstr(out, "（未计入以上共济人次和金额）。\n\n");
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
        /* a leaf's own value is the figure of its name */
        if (!codes_has_children(refdata_codes(c->in->rd), CODESET_SCOPE,
                                items[i].scope))
            note_split(c, CODESET_SCOPE, items[i].scope, m);
        sbuf_addf(out, "%s%s共济", first ? "" : "；", items[i].label);
        add_pt(c, out, m->person_times);
        sbuf_addstr(out, "、");
        add_amount(c, out, m->amount_fen);
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
    const struct rollup *r = c->in->r;
    int first = 1;

    sbuf_addstr(out, "从共济用途看，");
    for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
        int64_t v = n->use[items[i].use].amount_fen;
        if (!items[i].always && v == 0)
            continue;
        if (!codes_has_children(refdata_codes(c->in->rd), CODESET_USE,
                                items[i].use))
            note_split(c, CODESET_USE, items[i].use, &n->use[items[i].use]);
        sbuf_addf(out, "%s%s", first ? "" : "，", items[i].label);
        add_amount(c, out, v);
        /* the premium use grows by season: its increase is published */
        if (items[i].use == USE_PREMIUM && r->has_prev) {
            int64_t d = v - acct(&r->prev)->use[USE_PREMIUM].amount_fen;
            note(c, "change.acct.use.premium.amount", true, d);
            add_change(c, out, v, d, 1);
        }
        first = 0;
    }
    sbuf_addstr(out, "。");
}

static void
rounding_note(struct ctx *c, struct sbuf *out)
{
    const struct rollup_figs *n = &c->in->r->nation.chan[CHANNEL_ACCOUNT];
    int64_t pt[CODES_MAX], am[CODES_MAX], use[CODES_MAX];
    int ns = codes_count(refdata_codes(c->in->rd), CODESET_SCOPE),
        nu = codes_count(refdata_codes(c->in->rd), CODESET_USE);
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

/* One province's measures as of the date: what the table supports. */
static void
policy_province(struct ctx *c, struct sbuf *out, const struct province *p)
{
    static const struct {
        enum policy_measure m;
        const char *what;
    } ms[] = {{POLICY_NEAR_RELATIVES, "将共济范围扩大到近亲属"},
              {POLICY_CROSS_AREA, "实现省内跨统筹区共济"},
              {POLICY_CROSS_PROVINCE, "开展跨省共济"}};

    sbuf_addf(out, "截至%s，", c->as_of);
    add_name(out, p->short_name);
    for (size_t i = 0; i < sizeof(ms) / sizeof(ms[0]); i++) {
        const char *note = NULL;
        bool known;
        enum policy_status st = policy_status_on(c->in->pol, p->code, ms[i].m,
                                                 c->in->as_of, &note, &known);
        if (i > 0)
            sbuf_addstr(out, "；");
        if (!known && st == POLICY_PARTIAL)
            sbuf_addf(out, "至少已部分%s", ms[i].what);
        else if (!known)
            sbuf_addf(out, "截至该日是否已%s尚无记录", ms[i].what);
        else if (st == POLICY_FULL)
            sbuf_addf(out, "已%s", ms[i].what);
        else if (st == POLICY_PARTIAL) {
            sbuf_addf(out, "已部分%s", ms[i].what);
            add_note_head(out, note);
        } else
            sbuf_addf(out, "尚未%s", ms[i].what);
    }
    sbuf_addstr(out, "。");
}

static void
policy(struct ctx *c, struct sbuf *out)
{
    const struct province *pr = refdata_province(c->in->rd, c->in->r->province);
    if (pr != NULL) {
        policy_province(c, out, pr);
        return;
    }
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

/* "1-9月" (the months without the year), "1月" in January */
static void
v_months(struct ctx *c, struct sbuf *out)
{
    int m = c->in->r->period.month;
    if (m == 1)
        sbuf_addstr(out, "1月");
    else
        sbuf_addf(out, "1-%d月", m);
}

/* "1至7月", as provincial notices write it */
static void
v_months_zh(struct ctx *c, struct sbuf *out)
{
    int m = c->in->r->period.month;
    if (m == 1)
        sbuf_addstr(out, "1月");
    else
        sbuf_addf(out, "1至%d月", m);
}

/* "2025年2月": the month alone */
static void
v_month_label(struct ctx *c, struct sbuf *out)
{
    sbuf_addf(out, "%d年%d月", c->in->r->period.year, c->in->r->period.month);
}

static void
v_prev_label(struct ctx *c, struct sbuf *out)
{
    sbuf_addstr(out, c->prev);
}

static void
v_year(struct ctx *c, struct sbuf *out)
{
    sbuf_addf(out, "%d", c->in->r->period.year);
}

static void
v_last_year(struct ctx *c, struct sbuf *out)
{
    sbuf_addf(out, "%d", c->in->r->period.year - 1);
}

static void
v_as_of(struct ctx *c, struct sbuf *out)
{
    sbuf_addstr(out, c->as_of);
}

/* 全国, or 山西省 */
static void
v_region(struct ctx *c, struct sbuf *out)
{
    const struct province *p = refdata_province(c->in->rd, c->in->r->province);
    if (p == NULL)
        sbuf_addstr(out, "全国");
    else
        add_name(out, p->name);
}

/* 全国, or 全省 / 全市 / 全区 / 全兵团 */
static void
v_where(struct ctx *c, struct sbuf *out)
{
    sbuf_addstr(out, c->where);
}

/* nothing for the nation (the 2025 lead sentence), else 全省 ... */
static void
v_where_lead(struct ctx *c, struct sbuf *out)
{
    if (c->in->r->province != 0)
        sbuf_addstr(out, c->where);
}

/* what the regions ranked are: 省份, or a province's 统筹区 */
static void
v_sub(struct ctx *c, struct sbuf *out)
{
    sbuf_addstr(out, c->in->r->province != 0 ? "统筹区" : "省份");
}

static void
v_total_pt(struct ctx *c, struct sbuf *out)
{
    add_pt(c, out, acct(&c->in->r->nation)->total.person_times);
}

static void
v_total_amount(struct ctx *c, struct sbuf *out)
{
    add_amount(c, out, acct(&c->in->r->nation)->total.amount_fen);
}

static void
v_attachment_title(struct ctx *c, struct sbuf *out)
{
    const struct province *p = refdata_province(c->in->rd, c->in->r->province);
    if (p == NULL) {
        sbuf_addf(out, "%s各省职工医保个人账户共济情况", c->period);
        return;
    }
    sbuf_addf(out, "%s", c->period);
    add_name(out, p->name);
    sbuf_addstr(out, "各统筹区职工医保个人账户共济情况");
}

static void
completeness_note(struct ctx *c, struct sbuf *out)
{
    c->put_completeness = true;
    if (c->in->completeness_note != NULL)
        sbuf_addstr(out, c->in->completeness_note);
}

static void
v_issuer(struct ctx *c, struct sbuf *out)
{
    const char *s = c->in->issuer;
    if (s != NULL)
        bulletin_md_text(out, s, strlen(s));
}

static void
revision_note(struct ctx *c, struct sbuf *out)
{
    c->put_revision = true;
    if (c->in->revision_note != NULL)
        sbuf_addstr(out, c->in->revision_note);
}

/*
 * The named values.  `figures`: their figures follow the placeholder's
 * modifiers ({headline|trim}); the others take none.
 */
static const struct {
    const char *name;
    value_fn *fn;
    bool figures;
} values[] = {
    {"period", v_period, false},
    {"months", v_months, false},
    {"months_zh", v_months_zh, false},
    {"month_label", v_month_label, false},
    {"prev_label", v_prev_label, false},
    {"year", v_year, false},
    {"last_year", v_last_year, false},
    {"as_of", v_as_of, false},
    {"region", v_region, false},
    {"where", v_where, false},
    {"where_lead", v_where_lead, false},
    {"sub", v_sub, false},
    {"policy", policy, false},
    {"headline", headline, true},
    {"yoy", yoy, false},
    {"total_person_times", v_total_pt, true},
    {"total_amount", v_total_amount, true},
    {"top5_person_times", v_top5_pt, false},
    {"top5_amount", v_top5_amount, false},
    {"scope", scope, true},
    {"use", uses, true},
    {"wallet_note", wallet_note, true},
    {"completeness_note", completeness_note, false},
    {"revision_note", revision_note, false},
    {"issuer", v_issuer, false},
    {"rounding_note", rounding_note, false},
    {"attachment_title", v_attachment_title, false},
};

/* A named value, else a figure (report/bulletinfig.h). */
static int
lookup(const char *name, size_t len, const char *mods, size_t mlen,
       struct sbuf *out, void *data)
{
    struct ctx *c = data;
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        if (strlen(values[i].name) != len ||
            memcmp(values[i].name, name, len) != 0)
            continue;
        size_t bad = 0;
        if (mlen > 0 && !values[i].figures)
            return TEMPLATE_BAD_MODIFIER(0);
        if (figfmt_parse(mods, mlen, FIGFMT_AMOUNT, &c->f, &bad) < 0)
            return TEMPLATE_BAD_MODIFIER(bad);
        values[i].fn(c, out);
        return 0;
    }
    return bulletinfig_lookup(c->in, name, len, mods, mlen, out);
}

/* 全省, 全市 (municipalities), 全区 (autonomous regions), 全兵团 */
static const char *
where_word(const struct province *p)
{
    size_t n = strlen(p->name);
    if (n >= 9 && strcmp(p->name + n - 9, "自治区") == 0)
        return "全区";
    if (n >= 6 && strcmp(p->name + n - 6, "兵团") == 0)
        return "全兵团";
    if (n >= 3 && strcmp(p->name + n - 3, "市") == 0)
        return "全市";
    return "全省";
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
    const struct province *pr = refdata_province(in->rd, r->province);
    c.where = pr != NULL ? where_word(pr) : "全国";
    period_range_label(c.period, sizeof(c.period),
                       period_year_to_date(r->period));
    if (r->period.month > 2)
        snprintf(c.prev, sizeof(c.prev), "1-%d月", r->period.month - 1);
    else
        snprintf(c.prev, sizeof(c.prev), "1月");
    period_date_label(c.as_of, sizeof(c.as_of), in->as_of);
    if (template_expand(tmpl, len, tmpl_name, lookup, &c, out, err) < 0)
        return -1;
    /* a note the template has no place for goes at the end */
    const char *tail[2] = {c.put_completeness ? NULL : in->completeness_note,
                           c.put_revision ? NULL : in->revision_note};
    for (int i = 0; i < 2; i++) {
        if (tail[i] == NULL || *tail[i] == '\0')
            continue;
        if (out->len > 0 && out->buf[out->len - 1] != '\n')
            sbuf_addch(out, '\n');
        sbuf_addch(out, '\n');
        sbuf_add(out, tail[i], strcspn(tail[i], "\n"));
        sbuf_addch(out, '\n');
    }
    return 0;
}
