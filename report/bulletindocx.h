/* SPDX-License-Identifier: MIT */
/*
 * report/bulletindocx.h - bulletin.docx, the release in the layout of
 * Chinese official documents, and bulletin.pdf made from it (README
 * "bulletin.docx and bulletin.pdf").
 *
 * gongji writes a Markdown document of its own (bulletindocx_markdown) and
 * has pandoc turn it into Word with the house reference document
 * (templates/reference.docx: page, margins, footer, styles); LibreOffice
 * then prints that to PDF.  Both run as report/plotrun.h runs gnuplot: an
 * argument vector of fixed names in a private directory, no shell, a clean
 * environment, a timeout.  Nothing of the user's reaches a command line:
 * the text, the draft mark and the document number are in the Markdown,
 * where every ASCII punctuation character of user text is backslash-escaped
 * (so "{{x}}", "\textbf", "<w:t>", "$x$" and "*a*" stay literal) and
 * pandoc's raw HTML/TeX, math, citations and metadata blocks are off.
 */
#ifndef REPORT_BULLETINDOCX_H
#define REPORT_BULLETINDOCX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report/chartdata.h"

struct diag;
struct plot_options;
struct refdata;
struct rollup;
struct sbuf;

/* One chart of the document: what it is and where its PNG is. */
struct bulletindocx_chart {
    const char *name; /* file stem: "trend" */
    enum chart_kind kind;
    enum chart_metric metric;
    const char *png; /* path of NAME.png (read and copied) */
};

struct bulletindocx_input {
    const char *md; /* bulletin.md */
    size_t md_len;
    const struct rollup *r;
    const struct refdata *rd;
    const char *data_source; /* house.conf: the note under the 附件 */
    const char *as_of;       /* "2024-10-20" */
    const struct bulletindocx_chart *charts; /* NULL/0: none */
    size_t ncharts;
    bool draft;             /* the mark （征求意见稿） under the title */
    const char *doc_number; /* the 发文字号 line above the title, or NULL */
};

/*
 * The Markdown pandoc reads, appended to out: the document number, the
 * title (custom-style Title), the draft mark, the text with headings one
 * level up (## 一、 -> Heading 1, ### （一） -> Heading 2), each chart after
 * the first paragraph of its section (as bulletin.html places them), then
 * the 附件 on a page of its own: heading, title, units, a pipe table of the
 * columns of the workbook's sheet 附件, and the notes.
 */
void bulletindocx_markdown(const struct bulletindocx_input *in,
                           struct sbuf *out);

/* Append s with every ASCII punctuation backslash-escaped and each control
 * character a space: literal text in pandoc's Markdown. */
void bulletindocx_literal(struct sbuf *out, const char *s, size_t len);

/* The pandoc --from of the Markdown: extensions that could read text as
 * something else are off. */
extern const char bulletindocx_from[];

/*
 * Run pandoc on bulletindocx_markdown(in) with reference_docx (a path: its
 * last section, the 附件's, is landscape) and the Lua filter sections_lua
 * (templates/docx-sections.lua: it ends the text's portrait section before
 * the 附件) in a private directory under o->tmp_base, helpers from
 * o->search_path, o's timeout and child hook; SOURCE_DATE_EPOCH is `created`
 * (pandoc's dates in docProps and the zip).  The document into docx.  Returns
 * 0, or -1 with err set (DIAG_EXTERNAL: pandoc missing or failing; DIAG_CONFIG:
 * the reference document, the filter or a chart cannot be read).
 */
int bulletindocx_build(const struct bulletindocx_input *in,
                       const struct plot_options *o, const char *reference_docx,
                       const char *sections_lua, int64_t created,
                       struct sbuf *docx, struct diag *err);

/*
 * LibreOffice (soffice --headless --convert-to pdf) on docx, in a private
 * directory with FONTCONFIG_FILE = a copy of fonts_conf (NULL: none), its
 * own profile; the PDF's dates become `created` and its /ID a digest of
 * the rest, so the same document gives the same bytes.  Into pdf.
 * Returns 0, or -1 with err set (DIAG_EXTERNAL).
 */
int bulletindocx_pdf(const struct sbuf *docx, const struct plot_options *o,
                     const char *fonts_conf, int64_t created, struct sbuf *pdf,
                     struct diag *err);

#endif /* REPORT_BULLETINDOCX_H */
