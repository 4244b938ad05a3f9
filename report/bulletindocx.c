/* SPDX-License-Identifier: MIT */
/* _GNU_SOURCE: memmem.  Everything else is POSIX. */
#define _GNU_SOURCE
#include "report/bulletindocx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zip.h>

#include "aggregate/rollup.h"
#include "common/diag.h"
#include "common/i18n.h"
#include "common/period.h"
#include "common/sbuf.h"
#include "common/sha256.h"
#include "common/utf8.h"
#include "ingest/codes.h"
#include "ingest/refdata.h"
#include "report/numfmt.h"
#include "report/plot.h"
#include "report/plotrun.h"

const char bulletindocx_from[] =
    "markdown-raw_html-raw_tex-raw_attribute-tex_math_dollars-latex_macros"
    "-citations-smart-yaml_metadata_block-pandoc_title_block-superscript"
    "-subscript-inline_notes-footnotes-example_lists"
    "-implicit_header_references+east_asian_line_breaks";

/*** Markdown ***/

void
bulletindocx_literal(struct sbuf *out, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7F) {
            sbuf_addch(out, ' ');
            continue;
        }
        if ((c >= '!' && c <= '/') || (c >= ':' && c <= '@') ||
            (c >= '[' && c <= '`') || (c >= '{' && c <= '~'))
            sbuf_addch(out, '\\');
        sbuf_addch(out, c);
    }
}

static void
lit(struct sbuf *out, const char *s)
{
    bulletindocx_literal(out, s, s != NULL ? strlen(s) : 0);
}

/* A paragraph of one style: a fenced div pandoc gives custom-style. */
static void
styled(struct sbuf *out, const char *style, const char *text, size_t len)
{
    sbuf_addf(out, "::: {custom-style=\"%s\"}\n", style);
    sbuf_add(out, text, len);
    sbuf_addstr(out, "\n:::\n\n");
}

/* The section a chart belongs to: a word of the heading (as bulletin.html). */
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

static void
chart_image(struct sbuf *out, const struct bulletindocx_input *in,
            const struct bulletindocx_chart *c, int number)
{
    struct chartdata cd;
    struct sbuf title = SBUF_INIT, sub = SBUF_INIT, cap = SBUF_INIT;

    chartdata_from_rollup(&cd, c->kind, c->metric, in->r, in->rd);
    chartdata_title(&cd, &title);
    chartdata_subtitle(&cd, &sub);
    sbuf_addf(&cap, "图%d　%s（%s）", number, title.buf, sub.buf);
    sbuf_addstr(out, "![");
    lit(out, cap.buf);
    /* the name is ours: [a-z_] */
    sbuf_addf(out, "](%s.png){width=15cm}\n\n", c->name);
    chartdata_release(&cd);
    sbuf_release(&title);
    sbuf_release(&sub);
    sbuf_release(&cap);
}

static void
place_charts(struct sbuf *out, const struct bulletindocx_input *in,
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
        chart_image(out, in, &in->charts[i], ++*number);
    }
}

/*** The 附件 (the columns of the workbook's sheet 附件, as bulletin.html) ***/

static bool
nonzero(const struct measures *m)
{
    return m->person_times != 0 || m->amount_fen != 0;
}

struct cols {
    int scopes[CODES_MAX], uses[CODES_MAX], chans[CODES_MAX];
    size_t nsc, nu, nch;
};

static void
pick_cols(const struct rollup *r, const struct codes *cs, struct cols *k)
{
    bool other = false;
    int nc = codes_count(cs, CODESET_CHANNEL);

    k->nsc = k->nu = k->nch = 0;
    for (int sc = 0; sc < codes_count(cs, CODESET_SCOPE) && sc < CODES_MAX;
         sc++)
        if (sc == SCOPE_SAME_AREA || sc == SCOPE_CROSS_AREA ||
            nonzero(&r->nation.scope[sc]))
            k->scopes[k->nsc++] = sc;
    for (int u = 0; u < codes_count(cs, CODESET_USE) && u < CODES_MAX; u++)
        if (u == USE_MEDICAL || u == USE_PHARMACY || u == USE_PREMIUM ||
            u == USE_OTHER || nonzero(&r->nation.use[u]))
            k->uses[k->nu++] = u;
    for (int c = 0; c < nc && c < CODES_MAX; c++)
        other |= c != CHANNEL_ACCOUNT && nonzero(&r->nation.chan[c].total);
    for (int c = 0; other && c < nc && c < CODES_MAX; c++)
        if (c == CHANNEL_ACCOUNT || nonzero(&r->nation.chan[c].total))
            k->chans[k->nch++] = c;
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

static void
head_cell(struct sbuf *out, const char *a, const char *b)
{
    sbuf_addstr(out, " ");
    lit(out, a);
    if (b != NULL)
        lit(out, b);
    sbuf_addstr(out, " |");
}

/* The table's columns: 地区, 2 totals, 2 per channel and scope, 1 per use. */
#define ATT_COLS (3 + 4 * CODES_MAX + CODES_MAX)

static void
widen(size_t *w, size_t n)
{
    if (*w < n)
        *w = n;
}

static void
num_cell(struct sbuf *out, int64_t v, bool amount, size_t *w)
{
    char buf[48];
    if (amount)
        numfmt_amount(buf, sizeof(buf), v, UNIT_YI);
    else
        numfmt_pt(buf, sizeof(buf), v, UNIT_WAN);
    widen(w, strlen(buf));
    sbuf_addstr(out, " ");
    lit(out, buf);
    sbuf_addstr(out, " |");
}

/* One row; w[c] grows to the widest text of column c (display width). */
static void
table_row(struct sbuf *out, const struct cols *k, const char *name,
          const struct rollup_region *g, size_t w[ATT_COLS])
{
    size_t c = 0;
    sbuf_addstr(out, "|");
    widen(&w[c++], utf8_width(name, strlen(name)));
    head_cell(out, name, NULL);
    num_cell(out, g->total.person_times, false, &w[c++]);
    num_cell(out, g->total.amount_fen, true, &w[c++]);
    for (size_t i = 0; i < k->nch; i++) {
        num_cell(out, g->chan[k->chans[i]].total.person_times, false, &w[c++]);
        num_cell(out, g->chan[k->chans[i]].total.amount_fen, true, &w[c++]);
    }
    for (size_t i = 0; i < k->nsc; i++) {
        num_cell(out, g->scope[k->scopes[i]].person_times, false, &w[c++]);
        num_cell(out, g->scope[k->scopes[i]].amount_fen, true, &w[c++]);
    }
    for (size_t i = 0; i < k->nu; i++)
        num_cell(out, g->use[k->uses[i]].amount_fen, true, &w[c++]);
    sbuf_addstr(out, "\n");
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
attachment(struct sbuf *out, const struct bulletindocx_input *in)
{
    const struct rollup *r = in->r;
    const struct codes *cs = refdata_codes(in->rd);
    const struct province *pr = refdata_province(in->rd, r->province);
    struct sbuf t = SBUF_INIT;
    struct cols k;
    char per[PERIOD_LABEL_MAX], buf[32];

    pick_cols(r, cs, &k);
    period_range_label(per, sizeof(per), period_year_to_date(r->period));
    styled(out, "Attachment Heading", "附件", strlen("附件"));
    lit(&t, per);
    if (pr != NULL) {
        lit(&t, pr->name);
        sbuf_addstr(&t, "各统筹区职工医保个人账户共济情况");
    } else {
        sbuf_addstr(&t, "各省职工医保个人账户共济情况");
    }
    styled(out, "Attachment Title", t.buf, t.len);
    sbuf_reset(&t);
    lit(&t, k.nch > 0
                ? "单位：万人次（医保钱包为万笔；共济人次含医保钱包笔数）、"
                  "亿元"
                : "单位：万人次、亿元");
    styled(out, "Table Units", t.buf, t.len);

    /*
     * The rows first, to measure them: each column's dashes in the
     * separator are its widest text plus one, so that pandoc (--columns=20
     * makes the dashes relative widths) gives the numbers the room they
     * need and no row wraps on the landscape page.
     */
    size_t w[ATT_COLS] = {0};
    struct sbuf rows = SBUF_INIT;
    size_t nsub = r->province != 0 ? r->nareas : r->nprovinces;
    table_row(&rows, &k, pr != NULL ? pr->name : "全国", &r->nation, w);
    for (size_t i = 0; i < nsub; i++) {
        const struct rollup_region *g =
            r->province != 0 ? &r->areas[i] : &r->provinces[i];
        table_row(&rows, &k, region_name(in->rd, r, g->code, buf, sizeof(buf)),
                  g, w);
    }

    /* one header row */
    sbuf_addstr(out, "|");
    head_cell(out, "地区", NULL);
    head_cell(out, "共济人次", NULL);
    head_cell(out, "共济金额", NULL);
    for (size_t i = 0; i < k.nch; i++) {
        const char *n = codes_name(cs, CODESET_CHANNEL, k.chans[i]);
        head_cell(out, n, codes_count_label(cs, k.chans[i]));
        head_cell(out, n, "金额");
    }
    for (size_t i = 0; i < k.nsc; i++) {
        const char *n = codes_name(cs, CODESET_SCOPE, k.scopes[i]);
        head_cell(out, n, scope_count_label(r, cs, k.scopes[i]));
        head_cell(out, n, "金额");
    }
    for (size_t i = 0; i < k.nu; i++)
        head_cell(out, codes_name(cs, CODESET_USE, k.uses[i]), "金额");
    size_t ncols = 3 + 2 * (k.nch + k.nsc) + k.nu;
    sbuf_addstr(out, "\n|:");
    for (size_t c = 0; c < ncols; c++) {
        size_t d = (w[c] > 4 ? w[c] : 4) + 1;
        for (size_t i = 0; i < d; i++)
            sbuf_addch(out, '-');
        sbuf_addstr(out, c == 0 ? "|" : ":|");
    }
    sbuf_addstr(out, "\n");
    sbuf_add(out, rows.buf, rows.len);
    sbuf_release(&rows);
    sbuf_addstr(out, "\n");
    sbuf_reset(&t);
    lit(&t, "注：因四舍五入，分项之和与合计可能略有差异。");
    styled(out, "Table Note", t.buf, t.len);
    sbuf_reset(&t);
    lit(&t, in->data_source);
    lit(&t, "，截至");
    lit(&t, in->as_of);
    lit(&t, "。");
    styled(out, "Table Note", t.buf, t.len);
    sbuf_release(&t);
}

/*** The text ***/

/* The line s[0..n) starts with "#"s and a space: their count, else 0. */
static size_t
heading_level(const char *s, size_t n)
{
    size_t h = 0;
    while (h < n && s[h] == '#')
        h++;
    return h > 0 && h < n && s[h] == ' ' ? h : 0;
}

void
bulletindocx_markdown(const struct bulletindocx_input *in, struct sbuf *out)
{
    const char *s = in->md, *end = in->md + in->md_len;
    bool placed[16] = {false}, title_done = false, in_para = false;
    bool want_charts = false;
    const char *heading = NULL;
    size_t hlen = 0;
    int number = 0;

    if (in->ncharts > sizeof(placed) / sizeof(placed[0]))
        BUG("%zu charts", in->ncharts);
    if (in->doc_number != NULL && in->doc_number[0] != '\0') {
        struct sbuf t = SBUF_INIT;
        lit(&t, in->doc_number);
        styled(out, "Doc Number", t.buf, t.len);
        sbuf_release(&t);
    }
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t n = nl != NULL ? (size_t)(nl - s) : (size_t)(end - s);
        size_t h = heading_level(s, n);
        bool blank = n == 0;

        if (in_para && blank && want_charts) {
            /* after the first paragraph of the section */
            sbuf_addstr(out, "\n");
            place_charts(out, in, heading, hlen, placed, &number);
            want_charts = false;
        }
        in_para = !blank && h == 0;
        if (h == 1 && !title_done) {
            /* the title: bulletin.md escaped it for Markdown already */
            styled(out, "Title", s + 2, n - 2);
            if (in->draft)
                styled(out, "Draft Mark", "（征求意见稿）",
                       strlen("（征求意见稿）"));
            title_done = true;
        } else if (h >= 2) {
            sbuf_add(out, s + 1, n - 1);
            sbuf_addstr(out, "\n");
            heading = s + h + 1;
            hlen = n - h - 1;
            want_charts = true;
        } else {
            sbuf_add(out, s, n);
            sbuf_addstr(out, "\n");
        }
        s += n + (nl != NULL);
    }
    sbuf_addstr(out, "\n");
    if (want_charts)
        place_charts(out, in, heading, hlen, placed, &number);
    size_t left = 0;
    for (size_t i = 0; i < in->ncharts; i++)
        left += !placed[i];
    if (left > 0 && heading != NULL)
        sbuf_addstr(out, "# 附图\n\n");
    place_charts(out, in, NULL, 0, placed, &number);
    attachment(out, in);
}

/*** Running pandoc and LibreOffice ***/

static int
read_all(const char *path, struct sbuf *out, struct diag *err)
{
    char chunk[8192];
    size_t n;
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return diag_set(err, DIAG_CONFIG, _("cannot open %s: %s"), path,
                        strerror(errno));
    while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
        sbuf_add(out, chunk, n);
    int bad = ferror(fp);
    fclose(fp);
    if (bad)
        return diag_set(err, DIAG_CONFIG, _("cannot read %s"), path);
    return 0;
}

static int
write_in(const struct plotrun *w, const char *name, const char *data,
         size_t len, struct diag *err)
{
    char path[PATH_MAX];
    if (plotrun_path(path, sizeof(path), w->dir, name, err) < 0)
        return -1;
    FILE *fp = fopen(path, "wb");
    if (fp == NULL)
        return diag_set(err, DIAG_CANTCREAT, _("cannot create %s: %s"), path,
                        strerror(errno));
    size_t put = fwrite(data, 1, len, fp);
    if (fclose(fp) != 0 || put != len)
        return diag_set(err, DIAG_IO, _("cannot write %s"), path);
    return 0;
}

static int
copy_in(const struct plotrun *w, const char *from, const char *name,
        struct diag *err)
{
    struct sbuf b = SBUF_INIT;
    int rc = read_all(from, &b, err);
    if (rc == 0)
        rc = write_in(w, name, b.buf, b.len, err);
    sbuf_release(&b);
    return rc;
}

static int
read_out(const struct plotrun *w, const char *name, struct sbuf *out,
         const char *tool, struct diag *err)
{
    char path[PATH_MAX];
    if (plotrun_path(path, sizeof(path), w->dir, name, err) < 0)
        return -1;
    if (read_all(path, out, err) < 0 || out->len == 0) {
        sbuf_reset(out);
        return diag_set(err, DIAG_EXTERNAL, _("%s wrote no %s"), tool, name);
    }
    return 0;
}

static void
set_epoch(struct plotrun *w, int64_t created)
{
    char v[32];
    snprintf(v, sizeof(v), "%lld", (long long)(created >= 0 ? created : 0));
    plotrun_setenv(w, "SOURCE_DATE_EPOCH", v);
}

/*
 * The footer of the text's section.  templates/docx-sections.lua writes
 * the section's properties before pandoc has numbered the relationships,
 * so it names the footer FOOTER_MARK; pandoc gave the footer of
 * reference.docx an id of its own (rId9 with pandoc 2.17), which the last
 * section's properties carry.  Put that id in place of the mark, in
 * word/document.xml of docx (the other parts as pandoc wrote them).
 */
#define FOOTER_MARK "r:id=\"rIdGongjiFooter\""

/* The id the document's last <w:footerReference> names, into id. */
static bool
last_footer_id(const char *xml, size_t len, char *id, size_t idlen)
{
    const char *tag = "<w:footerReference", *p = NULL;
    for (const char *q = xml; (q = strstr(q, tag)) != NULL && q < xml + len;
         q++)
        p = q;
    if (p == NULL)
        return false;
    const char *end = strchr(p, '>');
    const char *a = strstr(p, "r:id=\"");
    if (end == NULL || a == NULL || a > end)
        return false;
    a += strlen("r:id=\"");
    const char *z = strchr(a, '"');
    if (z == NULL || z > end || (size_t)(z - a) >= idlen || z == a)
        return false;
    memcpy(id, a, (size_t)(z - a));
    id[z - a] = '\0';
    return true;
}

static int
zip_fail(struct diag *err, const char *what, zip_error_t *ze)
{
    diag_set(err, DIAG_EXTERNAL, _("pandoc's bulletin.docx: %s: %s"), what,
             ze != NULL ? zip_error_strerror(ze) : "?");
    return -1;
}

static int
fix_footer(struct sbuf *docx, int64_t created, struct diag *err)
{
    zip_error_t ze;
    struct sbuf xml = SBUF_INIT, fixed = SBUF_INIT;
    int ret = -1;

    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(docx->buf, docx->len, 0, &ze);
    if (src == NULL)
        return zip_fail(err, "zip_source_buffer_create", &ze);
    zip_source_keep(src);
    zip_t *za = zip_open_from_source(src, 0, &ze);
    if (za == NULL) {
        zip_fail(err, "not a zip archive", &ze);
        goto out;
    }
    zip_int64_t idx = zip_name_locate(za, "word/document.xml", 0);
    zip_file_t *zf =
        idx >= 0 ? zip_fopen_index(za, (zip_uint64_t)idx, 0) : NULL;
    if (zf == NULL) {
        zip_fail(err, "no word/document.xml", zip_get_error(za));
        zip_discard(za);
        goto out;
    }
    char chunk[16384];
    zip_int64_t n;
    while ((n = zip_fread(zf, chunk, sizeof(chunk))) > 0)
        sbuf_add(&xml, chunk, (size_t)n);
    zip_fclose(zf);
    if (n < 0) {
        zip_fail(err, "word/document.xml", zip_get_error(za));
        zip_discard(za);
        goto out;
    }
    sbuf_addch(&xml, '\0');
    xml.len--;
    const char *mark = strstr(xml.buf, FOOTER_MARK);
    char id[64];
    if (mark == NULL) { /* nothing to fix: no 附件, or no filter */
        zip_discard(za);
        ret = 0;
        goto out;
    }
    if (!last_footer_id(xml.buf, xml.len, id, sizeof(id)) ||
        strcmp(id, "rIdGongjiFooter") == 0) {
        diag_set(err, DIAG_EXTERNAL,
                 _("pandoc's bulletin.docx has no footer of its own in the "
                   "last section (reference.docx)"));
        zip_discard(za);
        goto out;
    }
    for (const char *p = xml.buf; p < xml.buf + xml.len;) {
        const char *m = strstr(p, FOOTER_MARK);
        if (m == NULL) {
            sbuf_add(&fixed, p, (size_t)(xml.buf + xml.len - p));
            break;
        }
        sbuf_add(&fixed, p, (size_t)(m - p));
        sbuf_addf(&fixed, "r:id=\"%s\"", id);
        p = m + strlen(FOOTER_MARK);
    }
    zip_source_t *part = zip_source_buffer(za, fixed.buf, fixed.len, 0);
    if (part == NULL ||
        zip_file_replace(za, (zip_uint64_t)idx, part, ZIP_FL_ENC_UTF_8) < 0) {
        if (part != NULL)
            zip_source_free(part);
        zip_fail(err, "zip_file_replace", zip_get_error(za));
        zip_discard(za);
        goto out;
    }
    /* the time pandoc gave every part (SOURCE_DATE_EPOCH) */
    zip_file_set_mtime(za, (zip_uint64_t)idx, (time_t)created, 0);
    if (zip_close(za) < 0) {
        zip_fail(err, "zip_close", zip_get_error(za));
        zip_discard(za);
        goto out;
    }
    /* the rewritten archive is the buffer source's new content */
    zip_stat_t st;
    if (zip_source_stat(src, &st) < 0 || zip_source_open(src) < 0) {
        zip_fail(err, "zip_source_open", zip_source_error(src));
        goto out;
    }
    sbuf_reset(docx);
    while ((n = zip_source_read(src, chunk, sizeof(chunk))) > 0)
        sbuf_add(docx, chunk, (size_t)n);
    zip_source_close(src);
    if (n < 0) {
        zip_fail(err, "zip_source_read", zip_source_error(src));
        goto out;
    }
    ret = 0;
out:
    zip_source_free(src);
    sbuf_release(&xml);
    sbuf_release(&fixed);
    return ret;
}

int
bulletindocx_build(const struct bulletindocx_input *in,
                   const struct plot_options *o, const char *reference_docx,
                   const char *sections_lua, int64_t created, struct sbuf *docx,
                   struct diag *err)
{
    struct plotrun w;
    struct sbuf md = SBUF_INIT, name = SBUF_INIT;
    int ret = -1;

    if (plotrun_init(&w, o, o->timeout_s > 0 ? o->timeout_s : PLOT_TIMEOUT_S,
                     err) < 0)
        return -1;
    set_epoch(&w, created);
    bulletindocx_markdown(in, &md);
    if (copy_in(&w, reference_docx, "reference.docx", err) < 0 ||
        copy_in(&w, sections_lua, "sections.lua", err) < 0 ||
        write_in(&w, "bulletin.md", md.buf, md.len, err) < 0)
        goto out;
    for (size_t i = 0; i < in->ncharts; i++) {
        sbuf_reset(&name);
        sbuf_addf(&name, "%s.png", in->charts[i].name);
        if (copy_in(&w, in->charts[i].png, name.buf, err) < 0)
            goto out;
    }
    char from[sizeof(bulletindocx_from) + 8];
    snprintf(from, sizeof(from), "--from=%s", bulletindocx_from);
    const char *args[] = {"pandoc",
                          from,
                          "--to=docx",
                          "--reference-doc=reference.docx",
                          "--lua-filter=sections.lua",
                          "--columns=20",
                          "--output=bulletin.docx",
                          "bulletin.md",
                          NULL};
    if (plotrun_tool(&w, args, err) < 0 ||
        read_out(&w, "bulletin.docx", docx, "pandoc", err) < 0 ||
        fix_footer(docx, created, err) < 0)
        goto out;
    ret = 0;
out:
    plotrun_release(&w);
    sbuf_release(&md);
    sbuf_release(&name);
    return ret;
}

/*
 * LibreOffice stamps the time of the run and a random /ID: the dates
 * become `created` (same length: D:YYYYMMDDHHMMSS), the /ID's two halves
 * the first bytes of a digest of the rest, so the bytes (and the xref
 * offsets) stay as they are.
 */
static void
pdf_fix(struct sbuf *pdf, int64_t created)
{
    char stamp[15], xmp[20];
    time_t t = (time_t)(created >= 0 ? created : 0);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(stamp, sizeof(stamp), "%Y%m%d%H%M%S", &tm);
    strftime(xmp, sizeof(xmp), "%Y-%m-%dT%H:%M:%S", &tm);

    for (char *p = pdf->buf; (p = memmem(p, pdf->len - (size_t)(p - pdf->buf),
                                         "Date(D:", 7)) != NULL;) {
        p += 7;
        size_t left = pdf->len - (size_t)(p - pdf->buf), k = 0;
        while (k < left && k < 14 && p[k] >= '0' && p[k] <= '9')
            k++;
        memcpy(p, stamp, k);
        /* a zone after the time: +HH'MM' -> Z and blanks would change
         * lengths; keep it */
    }
    /* the XMP packet's dates: xmp:CreateDate>2024-..T..:..:..+08:00 */
    static const char *const tags[] = {"CreateDate>", "ModifyDate>",
                                       "MetadataDate>"};
    for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
        size_t tl = strlen(tags[i]);
        for (char *p = pdf->buf;
             (p = memmem(p, pdf->len - (size_t)(p - pdf->buf), tags[i], tl)) !=
             NULL;) {
            p += tl;
            if (pdf->len - (size_t)(p - pdf->buf) >= 19)
                memcpy(p, xmp, 19);
        }
    }
    /* the trailer's /ID and /DocChecksum: a digest of what comes before */
    char *trailer = NULL;
    for (char *p = pdf->buf; (p = memmem(p, pdf->len - (size_t)(p - pdf->buf),
                                         "trailer", 7)) != NULL;
         p += 7)
        trailer = p;
    if (trailer == NULL)
        return;
    char hex[SHA256_HEX_LEN + 1];
    sha256_hex(pdf->buf, (size_t)(trailer - pdf->buf), hex);
    for (size_t i = 0; i < SHA256_HEX_LEN; i++)
        if (hex[i] >= 'a' && hex[i] <= 'f')
            hex[i] = (char)(hex[i] - 'a' + 'A');
    char *end = pdf->buf + pdf->len;
    char *id = memmem(trailer, (size_t)(end - trailer), "/ID", 3);
    for (int half = 0; id != NULL && half < 2; half++) {
        char *lt = memchr(id, '<', (size_t)(end - id));
        char *gt = lt != NULL ? memchr(lt, '>', (size_t)(end - lt)) : NULL;
        if (gt == NULL)
            break;
        for (char *q = lt + 1; q < gt; q++)
            *q = hex[(size_t)(q - lt - 1) % SHA256_HEX_LEN];
        id = gt;
    }
    char *sum = memmem(trailer, (size_t)(end - trailer), "/DocChecksum /", 14);
    if (sum != NULL)
        for (char *q = sum + 14;
             q < end && ((*q >= '0' && *q <= '9') || (*q >= 'A' && *q <= 'F'));
             q++)
            *q = hex[(size_t)(q - sum - 14) % SHA256_HEX_LEN];
}

int
bulletindocx_pdf(const struct sbuf *docx, const struct plot_options *o,
                 const char *fonts_conf, int64_t created, struct sbuf *pdf,
                 struct diag *err)
{
    struct plotrun w;
    char conf[PATH_MAX];
    int ret = -1;

    /* LibreOffice's first start makes its profile: give it time */
    int timeout = o->timeout_s > 0 ? o->timeout_s : 2 * PLOT_TIMEOUT_S;
    if (plotrun_init(&w, o, timeout, err) < 0)
        return -1;
    set_epoch(&w, created);
    if (write_in(&w, "bulletin.docx", docx->buf, docx->len, err) < 0)
        goto out;
    if (fonts_conf != NULL) {
        if (copy_in(&w, fonts_conf, "fonts.conf", err) < 0 ||
            plotrun_path(conf, sizeof(conf), w.dir, "fonts.conf", err) < 0)
            goto out;
        plotrun_setenv(&w, "FONTCONFIG_FILE", conf);
    }
    /* HOME is the private directory: LibreOffice's profile goes there */
    const char *args[] = {"soffice",
                          "--headless",
                          "--norestore",
                          "--nologo",
                          "--nolockcheck",
                          "--convert-to",
                          "pdf",
                          "--outdir",
                          ".",
                          "bulletin.docx",
                          NULL};
    if (plotrun_tool(&w, args, err) < 0 ||
        read_out(&w, "bulletin.pdf", pdf, "soffice", err) < 0)
        goto out;
    pdf_fix(pdf, created);
    ret = 0;
out:
    plotrun_release(&w);
    return ret;
}
