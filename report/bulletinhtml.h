/* SPDX-License-Identifier: MIT */
/*
 * report/bulletinhtml.h - bulletin.html: the release as a web page, one
 * self-contained file (README "bulletin.html").
 *
 * The page is the house shell (templates/bulletin.html.tmpl) with the house
 * stylesheet (templates/bulletin.css) inlined, around:
 *  - the release text: bulletin.md rendered by md4c-html with raw HTML off
 *    (MD_FLAG_NOHTML), so its text is escaped; bulletin.md already escapes
 *    every name that came from a table or an input file (bulletin_md_text);
 *  - the charts, each after the first paragraph of the section it
 *    illustrates (by a word of the section's heading: 总体 trend, 地区 the
 *    provinces and the map, 范围 scope, 用途 use, 钱包 wallet; the rest
 *    after the text under a heading 附图), as an <img>
 *    whose src is the chart's SVG as a data: URI, with an alt text and a
 *    <figcaption> naming the chart's title and period, and a visually hidden
 *    table of the chart's values (the SVG's text is outlines);
 *  - the 附件 table built here from the rollup (the columns of the
 *    workbook's sheet 附件): HTML-escaped names, right-aligned numbers, a
 *    units line, on a landscape A4 page of its own when printed.
 * Nothing on the page is fetched (the shell's Content-Security-Policy
 * allows data: images and the inline stylesheet only) and no script runs.
 */
#ifndef REPORT_BULLETINHTML_H
#define REPORT_BULLETINHTML_H

#include <stddef.h>

#include "report/chartdata.h"

struct diag;
struct refdata;
struct rollup;
struct sbuf;

/* One chart to show: what it is and its SVG (borrowed). */
struct bulletinhtml_chart {
    const char *name; /* file stem: "trend" */
    enum chart_kind kind;
    enum chart_metric metric;
    const char *svg;
    size_t svg_len;
};

struct bulletinhtml_input {
    /* the shell: {{title}}, {{style}} and {{body}} are replaced (each at
     * most once; {{body}} is required; any other {{...}} is an error) */
    const char *shell;
    size_t shell_len;
    const char *shell_name; /* for messages */
    const char *css;        /* inlined into <style>; must not hold "</" */
    size_t css_len;
    const char *css_name;
    const char *md; /* bulletin.md */
    size_t md_len;
    const struct rollup *r;
    const struct refdata *rd;
    const char *as_of; /* "2024-10-20", the 附件's source line */
    const struct bulletinhtml_chart *charts; /* NULL/0: no charts */
    size_t ncharts;
};

/*
 * Append the page to out.  Returns 0, or -1 with err set: DIAG_CONFIG for a
 * bad shell or stylesheet (naming the file and the placeholder), DIAG_IO
 * when md4c fails.
 */
int bulletinhtml_render(const struct bulletinhtml_input *in, struct sbuf *out,
                        struct diag *err);

/* Append s[0..len) to out with & < > " ' escaped. */
void bulletinhtml_escape(struct sbuf *out, const char *s, size_t len);

#endif /* REPORT_BULLETINHTML_H */
