/* SPDX-License-Identifier: MIT */
/* _GNU_SOURCE: memmem.  Everything else is POSIX. */
#define _GNU_SOURCE
#include "report/bulletinhtml.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <md4c-html.h>

#include "aggregate/rollup.h"
#include "common/diag.h"
#include "common/i18n.h"
#include "common/period.h"
#include "common/sbuf.h"
#include "ingest/codes.h"
#include "ingest/refdata.h"
#include "report/numfmt.h"

/*** Escaping and encoding ***/

void
bulletinhtml_escape(struct sbuf *out, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        switch (s[i]) {
        case '&':
            sbuf_addstr(out, "&amp;");
            break;
        case '<':
            sbuf_addstr(out, "&lt;");
            break;
        case '>':
            sbuf_addstr(out, "&gt;");
            break;
        case '"':
            sbuf_addstr(out, "&quot;");
            break;
        case '\'':
            sbuf_addstr(out, "&#39;");
            break;
        default:
            sbuf_addch(out, (unsigned char)s[i]);
        }
    }
}

static void
esc(struct sbuf *out, const char *s)
{
    bulletinhtml_escape(out, s, s != NULL ? strlen(s) : 0);
}

static void
base64(struct sbuf *out, const unsigned char *p, size_t n)
{
    static const char tab[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t i = 0;

    sbuf_grow(out, (n + 2) / 3 * 4);
    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
        char q[4] = {tab[v >> 18], tab[(v >> 12) & 63], tab[(v >> 6) & 63],
                     tab[v & 63]};
        sbuf_add(out, q, 4);
    }
    if (i < n) {
        uint32_t v = (uint32_t)p[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)p[i + 1] << 8;
        char q[4] = {tab[v >> 18], tab[(v >> 12) & 63],
                     i + 1 < n ? tab[(v >> 6) & 63] : '=', '='};
        sbuf_add(out, q, 4);
    }
}

/*** The charts ***/

/* The section a chart belongs to: a word of the section's heading. */
static const char *
chart_section_word(const char *name)
{
    static const struct {
        const char *name, *word;
    } words[] = {
        {"trend", "总体"},
        {"provinces_person_times", "地区"},
        {"provinces_amount", "地区"},
        {"map", "地区"},
        {"scope", "范围"},
        {"use", "用途"},
        {"wallet", "钱包"},
    };
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (strcmp(words[i].name, name) == 0)
            return words[i].word;
    return NULL;
}

/* The number alone in unit u, and with its suffix. */
static void
put_num(struct sbuf *o, int64_t v, enum chart_metric m, enum unit u,
        bool suffix)
{
    char buf[48];
    if (m == CHART_AMOUNT)
        numfmt_amount(buf, sizeof(buf), v, u);
    else
        numfmt_pt(buf, sizeof(buf), v, u);
    sbuf_addstr(o, buf);
    if (suffix)
        sbuf_addstr(o, m == CHART_AMOUNT ? numfmt_amount_suffix(u)
                                         : numfmt_pt_suffix(u));
}

static void
row_label(struct sbuf *o, const struct chartdata *cd,
          const struct chart_row *row)
{
    if (cd->kind == CHART_TREND || cd->kind == CHART_WALLET) {
        struct period p = period_of_yyyymm(row->code);
        char per[PERIOD_LABEL_MAX];
        if (cd->range.first.year == cd->range.last.year)
            sbuf_addf(o, "%d月", p.month);
        else
            esc(o, period_format(per, sizeof(per), p));
    } else if (row->name != NULL) {
        esc(o, row->name);
    } else {
        sbuf_addf(o, "%d", row->code);
    }
}

/*
 * The chart's values as a table for those who cannot see it (the SVG's
 * text is outlines): one row per chart row; plain numbers in the unit the
 * caption names, or, for the trend and the uses (whose charts carry a
 * unit per figure), numbers with their unit.
 */
static void
chart_values(struct sbuf *o, const struct chartdata *cd,
             const struct refdata *rd, const char *caption)
{
    const struct codes *cs = refdata_codes(rd);
    int parts[CODES_MAX];
    size_t nparts = 0;
    enum unit u = chartdata_unit(cd, cd->metric);

    if (cd->kind == CHART_SCOPE) {
        for (int s = 0; s < codes_count(cs, CODESET_SCOPE) && s < CODES_MAX;
             s++) {
            bool any = false;
            for (size_t i = 0; i < cd->nrows; i++)
                any |= chartdata_metric(&cd->rows[i].scope[s], cd->metric) != 0;
            if (any)
                parts[nparts++] = s;
        }
    } else if (cd->kind == CHART_WALLET) {
        parts[nparts++] = SCOPE_IN_PROVINCE;
        parts[nparts++] = SCOPE_CROSS_PROVINCE;
    }

    sbuf_addstr(o, "<table class=\"chart-values\">\n<caption>");
    esc(o, caption);
    sbuf_addstr(o, "</caption>\n<thead><tr><th scope=\"col\">");
    switch (cd->kind) {
    case CHART_TREND:
    case CHART_WALLET:
        sbuf_addstr(o, "月份");
        break;
    case CHART_USE:
        sbuf_addstr(o, "共济用途");
        break;
    default:
        sbuf_addstr(o, "省份");
    }
    sbuf_addstr(o, "</th>");
    if (cd->kind == CHART_TREND) {
        sbuf_addstr(o, "<th scope=\"col\">当月共济人次</th>"
                       "<th scope=\"col\">当月共济金额</th>"
                       "<th scope=\"col\">累计共济人次</th>"
                       "<th scope=\"col\">累计共济金额</th>");
    } else if (cd->kind == CHART_USE) {
        sbuf_addstr(o, "<th scope=\"col\">共济金额</th>");
    } else if (nparts > 0) {
        for (size_t k = 0; k < nparts; k++) {
            sbuf_addstr(o, "<th scope=\"col\">");
            esc(o, codes_name(cs, CODESET_SCOPE, parts[k]));
            sbuf_addstr(o, "</th>");
        }
        sbuf_addstr(o, "<th scope=\"col\">合计</th>");
    } else {
        struct sbuf h = SBUF_INIT;
        chartdata_axis_label(cd, cd->metric, false, &h);
        sbuf_addstr(o, "<th scope=\"col\">");
        esc(o, h.buf);
        sbuf_addstr(o, "</th>");
        sbuf_release(&h);
    }
    sbuf_addstr(o, "</tr></thead>\n<tbody>\n");

    struct measures cum = {0, 0};
    enum unit u_pt = chartdata_unit(cd, CHART_PERSON_TIMES);
    enum unit u_am = chartdata_unit(cd, CHART_AMOUNT);
    enum unit c_pt = chartdata_cum_unit(cd, CHART_PERSON_TIMES);
    enum unit c_am = chartdata_cum_unit(cd, CHART_AMOUNT);
    for (size_t i = 0; i < cd->nrows; i++) {
        const struct chart_row *row = &cd->rows[i];
        sbuf_addstr(o, "<tr><th scope=\"row\">");
        row_label(o, cd, row);
        sbuf_addstr(o, "</th>");
        if (cd->kind == CHART_TREND) {
            chartdata_measures_add(&cum, &row->m);
            sbuf_addstr(o, "<td>");
            put_num(o, row->m.person_times, CHART_PERSON_TIMES, u_pt, true);
            sbuf_addstr(o, "</td><td>");
            put_num(o, row->m.amount_fen, CHART_AMOUNT, u_am, true);
            sbuf_addstr(o, "</td><td>");
            put_num(o, cum.person_times, CHART_PERSON_TIMES, c_pt, true);
            sbuf_addstr(o, "</td><td>");
            put_num(o, cum.amount_fen, CHART_AMOUNT, c_am, true);
            sbuf_addstr(o, "</td>");
        } else if (cd->kind == CHART_USE) {
            int64_t v = chartdata_metric(&row->m, cd->metric);
            sbuf_addstr(o, "<td>");
            put_num(o, v, cd->metric,
                    cd->metric == CHART_AMOUNT ? numfmt_amount_unit(v)
                                               : numfmt_pt_unit(v),
                    true);
            sbuf_addstr(o, "</td>");
        } else {
            for (size_t k = 0; k < nparts; k++) {
                sbuf_addstr(o, "<td>");
                put_num(o, chartdata_metric(&row->scope[parts[k]], cd->metric),
                        cd->metric, u, false);
                sbuf_addstr(o, "</td>");
            }
            sbuf_addstr(o, "<td>");
            put_num(o, chartdata_metric(&row->m, cd->metric), cd->metric, u,
                    false);
            sbuf_addstr(o, "</td>");
        }
        sbuf_addstr(o, "</tr>\n");
    }
    sbuf_addstr(o, "</tbody>\n</table>\n");
}

/* width="453pt" height="396pt" of the SVG's root, in CSS px; 0 if none. */
static void
svg_size(const char *svg, size_t len, long *w, long *h)
{
    size_t n = len < 2048 ? len : 2048;
    char head[2049];
    memcpy(head, svg, n);
    head[n] = '\0';
    *w = *h = 0;
    const char *root = strstr(head, "<svg");
    if (root == NULL)
        return;
    const char *pw = strstr(root, " width=\""),
               *ph = strstr(root, " height=\"");
    if (pw == NULL || ph == NULL)
        return;
    char *end;
    double fw = strtod(pw + 8, &end);
    if (strncmp(end, "pt\"", 3) != 0)
        return;
    double fh = strtod(ph + 9, &end);
    if (strncmp(end, "pt\"", 3) != 0 || fw <= 0 || fh <= 0 || fw > 1e5 ||
        fh > 1e5)
        return;
    *w = (long)(fw * 4 / 3 + 0.5);
    *h = (long)(fh * 4 / 3 + 0.5);
}

static void
chart_figure(struct sbuf *o, const struct bulletinhtml_chart *c, int number,
             const struct rollup *r, const struct refdata *rd)
{
    struct chartdata cd;
    struct sbuf title = SBUF_INIT, sub = SBUF_INIT, cap = SBUF_INIT;
    long w, h;

    chartdata_from_rollup(&cd, c->kind, c->metric, r, rd);
    chartdata_title(&cd, &title);
    chartdata_subtitle(&cd, &sub);
    sbuf_addf(&cap, "图%d数据：%s（%s）", number, title.buf, sub.buf);

    sbuf_addstr(o, "<figure class=\"chart\" id=\"chart-");
    esc(o, c->name);
    sbuf_addstr(o, "\">\n<img src=\"data:image/svg+xml;base64,");
    base64(o, (const unsigned char *)c->svg, c->svg_len);
    sbuf_addstr(o, "\" alt=\"");
    sbuf_addf(o, "图%d：", number);
    esc(o, title.buf);
    sbuf_addstr(o, "（");
    esc(o, sub.buf);
    sbuf_addstr(o, "）\"");
    svg_size(c->svg, c->svg_len, &w, &h);
    if (w > 0)
        sbuf_addf(o, " width=\"%ld\" height=\"%ld\"", w, h);
    sbuf_addf(o, ">\n<figcaption>图%d　", number);
    esc(o, title.buf);
    sbuf_addstr(o, "<span class=\"sub\">");
    esc(o, sub.buf);
    sbuf_addstr(o, "</span></figcaption>\n");
    chart_values(o, &cd, rd, cap.buf);
    sbuf_addstr(o, "</figure>\n");

    chartdata_release(&cd);
    sbuf_release(&title);
    sbuf_release(&sub);
    sbuf_release(&cap);
}

/*** The 附件 table: the columns of the workbook's sheet 附件 ***/

static bool
nonzero(const struct measures *m)
{
    return m->person_times != 0 || m->amount_fen != 0;
}

static size_t
shown_scopes(const struct rollup *r, const struct codes *cs, int out[])
{
    size_t n = 0;
    for (int sc = 0; sc < codes_count(cs, CODESET_SCOPE) && sc < CODES_MAX;
         sc++)
        if (sc == SCOPE_SAME_AREA || sc == SCOPE_CROSS_AREA ||
            nonzero(&r->nation.scope[sc]))
            out[n++] = sc;
    return n;
}

static const char *
scope_count_label(const struct rollup *r, const struct codes *cs, int sc)
{
    const char *label = NULL;
    for (int c = 0; c < codes_count(cs, CODESET_CHANNEL) && c < CODES_MAX;
         c++) {
        if (!nonzero(&r->nation.chan[c].scope[sc]))
            continue;
        const char *l = codes_count_label(cs, c);
        if (label != NULL && strcmp(label, l) != 0)
            return "人次/笔";
        label = l;
    }
    return label != NULL ? label : "人次";
}

static size_t
shown_uses(const struct rollup *r, const struct codes *cs, int out[])
{
    size_t n = 0;
    for (int u = 0; u < codes_count(cs, CODESET_USE) && u < CODES_MAX; u++)
        if (u == USE_MEDICAL || u == USE_PHARMACY || u == USE_PREMIUM ||
            u == USE_OTHER || nonzero(&r->nation.use[u]))
            out[n++] = u;
    return n;
}

static size_t
shown_channels(const struct rollup *r, const struct codes *cs, int out[])
{
    size_t n = 0;
    bool other = false;
    int nc = codes_count(cs, CODESET_CHANNEL);
    for (int c = 0; c < nc && c < CODES_MAX; c++)
        other |= c != CHANNEL_ACCOUNT && nonzero(&r->nation.chan[c].total);
    for (int c = 0; other && c < nc && c < CODES_MAX; c++)
        if (c == CHANNEL_ACCOUNT || nonzero(&r->nation.chan[c].total))
            out[n++] = c;
    return n;
}

static void
num_cell(struct sbuf *o, int64_t v, bool amount)
{
    char buf[48];
    if (amount)
        numfmt_amount(buf, sizeof(buf), v, UNIT_YI);
    else
        numfmt_pt(buf, sizeof(buf), v, UNIT_WAN);
    sbuf_addstr(o, "<td>");
    esc(o, buf);
    sbuf_addstr(o, "</td>");
}

struct attach_cols {
    int scopes[CODES_MAX], uses[CODES_MAX], chans[CODES_MAX];
    size_t nsc, nu, nch;
};

static void
attach_row(struct sbuf *o, const struct attach_cols *k, const char *name,
           const struct rollup_region *g, bool total)
{
    sbuf_addstr(o, total ? "<tr class=\"total\">" : "<tr>");
    sbuf_addstr(o, "<th scope=\"row\">");
    esc(o, name);
    sbuf_addstr(o, "</th>");
    num_cell(o, g->total.person_times, false);
    num_cell(o, g->total.amount_fen, true);
    for (size_t i = 0; i < k->nch; i++) {
        num_cell(o, g->chan[k->chans[i]].total.person_times, false);
        num_cell(o, g->chan[k->chans[i]].total.amount_fen, true);
    }
    for (size_t i = 0; i < k->nsc; i++) {
        num_cell(o, g->scope[k->scopes[i]].person_times, false);
        num_cell(o, g->scope[k->scopes[i]].amount_fen, true);
    }
    for (size_t i = 0; i < k->nu; i++)
        num_cell(o, g->use[k->uses[i]].amount_fen, true);
    sbuf_addstr(o, "</tr>\n");
}

static const char *
region_name(const struct refdata *rd, const struct rollup *r, int code,
            char *buf, size_t len)
{
    if (r->province != 0) {
        const struct area *a = refdata_area(rd, code);
        if (a != NULL)
            return a->name;
    } else {
        const struct province *p = refdata_province(rd, code);
        if (p != NULL)
            return p->short_name;
    }
    snprintf(buf, len, "%d", code);
    return buf;
}

static void
attachment(struct sbuf *o, const struct bulletinhtml_input *in)
{
    const struct rollup *r = in->r;
    const struct codes *cs = refdata_codes(in->rd);
    const struct province *pr = refdata_province(in->rd, r->province);
    struct attach_cols k;
    char per[PERIOD_LABEL_MAX], buf[32];

    k.nsc = shown_scopes(r, cs, k.scopes);
    k.nu = shown_uses(r, cs, k.uses);
    k.nch = shown_channels(r, cs, k.chans);
    period_range_label(per, sizeof(per), period_year_to_date(r->period));

    sbuf_addstr(o, "<section class=\"attachment\" id=\"attachment\">\n"
                   "<h2>附件</h2>\n<p class=\"attachment-title\">");
    esc(o, per);
    if (pr != NULL) {
        esc(o, pr->name);
        sbuf_addstr(o, "各统筹区职工医保个人账户共济情况");
    } else {
        sbuf_addstr(o, "各省职工医保个人账户共济情况");
    }
    sbuf_addstr(o, "</p>\n<p class=\"units\">");
    sbuf_addstr(o, k.nch > 0 ? "单位：万人次（医保钱包为万笔；共济人次含医保"
                               "钱包笔数）、亿元"
                             : "单位：万人次、亿元");
    sbuf_addstr(o, "</p>\n<table class=\"attachment-table\">\n<thead>\n<tr>"
                   "<th scope=\"col\" rowspan=\"2\">地区</th>"
                   "<th scope=\"col\" rowspan=\"2\">共济人次</th>"
                   "<th scope=\"col\" rowspan=\"2\">共济金额</th>");
    for (size_t i = 0; i < k.nch; i++) {
        sbuf_addstr(o, "<th scope=\"colgroup\" colspan=\"2\">");
        esc(o, codes_name(cs, CODESET_CHANNEL, k.chans[i]));
        sbuf_addstr(o, "</th>");
    }
    for (size_t i = 0; i < k.nsc; i++) {
        sbuf_addstr(o, "<th scope=\"colgroup\" colspan=\"2\">");
        esc(o, codes_name(cs, CODESET_SCOPE, k.scopes[i]));
        sbuf_addstr(o, "</th>");
    }
    sbuf_addf(o,
              "<th scope=\"colgroup\" colspan=\"%zu\">按用途分共济金额</th>"
              "</tr>\n<tr>",
              k.nu);
    for (size_t i = 0; i < k.nch; i++) {
        sbuf_addstr(o, "<th scope=\"col\">");
        esc(o, codes_count_label(cs, k.chans[i]));
        sbuf_addstr(o, "</th><th scope=\"col\">金额</th>");
    }
    for (size_t i = 0; i < k.nsc; i++) {
        sbuf_addstr(o, "<th scope=\"col\">");
        esc(o, scope_count_label(r, cs, k.scopes[i]));
        sbuf_addstr(o, "</th><th scope=\"col\">金额</th>");
    }
    for (size_t i = 0; i < k.nu; i++) {
        sbuf_addstr(o, "<th scope=\"col\">");
        esc(o, codes_name(cs, CODESET_USE, k.uses[i]));
        sbuf_addstr(o, "</th>");
    }
    sbuf_addstr(o, "</tr>\n</thead>\n<tbody>\n");
    attach_row(o, &k, pr != NULL ? pr->name : "全国", &r->nation, true);
    size_t nsub = r->province != 0 ? r->nareas : r->nprovinces;
    for (size_t i = 0; i < nsub; i++) {
        const struct rollup_region *g =
            r->province != 0 ? &r->areas[i] : &r->provinces[i];
        attach_row(o, &k, region_name(in->rd, r, g->code, buf, sizeof(buf)), g,
                   false);
    }
    sbuf_addstr(o, "</tbody>\n</table>\n<p class=\"note\">注：因四舍五入，"
                   "分项之和与合计可能略有差异。</p>\n"
                   "<p class=\"note\">数据来源：各省级医保部门报送，截至");
    esc(o, in->as_of);
    sbuf_addstr(o, "。</p>\n</section>\n");
}

/*** The text ***/

static void
md_out(const MD_CHAR *s, MD_SIZE n, void *ud)
{
    sbuf_add(ud, s, n);
}

/* The charts of the section whose heading is s[0..n), not yet placed. */
static void
place_charts(struct sbuf *o, const struct bulletinhtml_input *in,
             const char *heading, size_t hlen, bool *placed, int *number)
{
    for (size_t i = 0; i < in->ncharts; i++) {
        const char *word = chart_section_word(in->charts[i].name);
        bool here =
            heading == NULL ||
            (word != NULL && memmem(heading, hlen, word, strlen(word)) != NULL);
        if (placed[i] || !here)
            continue;
        placed[i] = true;
        chart_figure(o, &in->charts[i], ++*number, in->r, in->rd);
    }
}

/*
 * The rendered text with each chart after the first paragraph of the
 * section it belongs to: sections begin at "<h2>" (md4c writes headings
 * so); the charts no section claims follow the text, under a heading
 * 附图 when the text has sections.
 */
static void
text_with_charts(struct sbuf *o, const struct bulletinhtml_input *in,
                 const struct sbuf *html)
{
    bool placed[16] = {false};
    int number = 0;
    const char *s = html->buf, *end = html->buf + html->len;
    const char *heading = NULL;
    size_t hlen = 0;

    if (in->ncharts > sizeof(placed) / sizeof(placed[0]))
        BUG("%zu charts", in->ncharts);
    for (;;) {
        const char *next = memmem(s, (size_t)(end - s), "<h2>", 4);
        const char *stop = next != NULL ? next : end;
        /* after the section's first paragraph, else at its end */
        const char *para = memmem(s, (size_t)(stop - s), "</p>\n", 5);
        const char *at = heading != NULL && para != NULL ? para + 5 : stop;
        sbuf_add(o, s, (size_t)(at - s));
        if (heading != NULL)
            place_charts(o, in, heading, hlen, placed, &number);
        sbuf_add(o, at, (size_t)(stop - at));
        if (next == NULL)
            break;
        const char *close = memmem(next, (size_t)(end - next), "</h2>", 5);
        heading = next + 4;
        hlen = close != NULL ? (size_t)(close - heading) : 0;
        s = next;
        /* copy the heading itself before looking for the next one */
        size_t head = close != NULL ? (size_t)(close + 5 - next) : 4;
        sbuf_add(o, s, head);
        s += head;
    }
    /* the rest under a heading of their own, not inside the last section */
    size_t left = 0;
    for (size_t i = 0; i < in->ncharts; i++)
        left += !placed[i];
    if (left > 0 && heading != NULL)
        sbuf_addstr(o, "<h2>附图</h2>\n");
    place_charts(o, in, NULL, 0, placed, &number);
}

/* The first "# " line of the Markdown, for <title>. */
static void
page_title(struct sbuf *o, const char *md, size_t len)
{
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(md + i, '\n', len - i);
        size_t n = nl != NULL ? (size_t)(nl - (md + i)) : len - i;
        if (n > 2 && md[i] == '#' && md[i + 1] == ' ') {
            /* its Markdown escapes (bulletin_md_text) go: "\*" is "*" */
            struct sbuf t = SBUF_INIT;
            for (size_t k = i + 2; k < i + n; k++) {
                if (md[k] == '\\' && k + 1 < i + n)
                    k++;
                sbuf_addch(&t, (unsigned char)md[k]);
            }
            esc(o, t.buf);
            sbuf_release(&t);
            return;
        }
        i += n + 1;
    }
    sbuf_addstr(o, "gongji");
}

int
bulletinhtml_render(const struct bulletinhtml_input *in, struct sbuf *out,
                    struct diag *err)
{
    struct sbuf html = SBUF_INIT, body = SBUF_INIT;
    const char *s = in->shell, *end = in->shell + in->shell_len;
    bool seen_title = false, seen_style = false, seen_body = false;
    int ret = -1;

    if (memmem(in->css, in->css_len, "</", 2) != NULL)
        return diag_set(err, DIAG_CONFIG,
                        _("%s: a stylesheet must not contain \"</\""),
                        in->css_name);
    if (md_html(in->md, (MD_SIZE)in->md_len, md_out, &html,
                MD_FLAG_NOHTML | MD_FLAG_TABLES, 0) != 0) {
        diag_set(err, DIAG_IO, _("md4c could not render the bulletin text"));
        goto out;
    }
    text_with_charts(&body, in, &html);
    attachment(&body, in);

    while (s < end) {
        const char *open = memmem(s, (size_t)(end - s), "{{", 2);
        if (open == NULL) {
            sbuf_add(out, s, (size_t)(end - s));
            break;
        }
        sbuf_add(out, s, (size_t)(open - s));
        const char *close = memmem(open, (size_t)(end - open), "}}", 2);
        size_t n = close != NULL ? (size_t)(close - open - 2) : 0;
        bool *seen = NULL;
        if (close != NULL && n == 5 && memcmp(open + 2, "title", 5) == 0) {
            seen = &seen_title;
            page_title(out, in->md, in->md_len);
        } else if (close != NULL && n == 5 &&
                   memcmp(open + 2, "style", 5) == 0) {
            seen = &seen_style;
            sbuf_add(out, in->css, in->css_len);
        } else if (close != NULL && n == 4 &&
                   memcmp(open + 2, "body", 4) == 0) {
            seen = &seen_body;
            sbuf_add(out, body.buf, body.len);
        }
        if (seen == NULL || *seen) {
            size_t show = close != NULL && n < 40 ? n + 4 : 2;
            diag_set(err, DIAG_CONFIG,
                     seen == NULL ? _("%s: unknown placeholder '%.*s' (the "
                                      "page has {{title}}, {{style}} and "
                                      "{{body}})")
                                  : _("%s: placeholder '%.*s' twice"),
                     in->shell_name, (int)show, open);
            goto out;
        }
        *seen = true;
        s = close + 2;
    }
    if (!seen_body) {
        diag_set(err, DIAG_CONFIG, _("%s: no {{body}} placeholder"),
                 in->shell_name);
        goto out;
    }
    ret = 0;
out:
    sbuf_release(&html);
    sbuf_release(&body);
    return ret;
}
