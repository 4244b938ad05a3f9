/* SPDX-License-Identifier: MIT */
/*
 * report/bulletin.h - the release text (bulletin.md) from a rollup, a
 * policy table and a template (DESIGN §7).
 *
 * Every figure follows DESIGN §6 through report/numfmt.h; increases are
 * computed from raw integers and written in the unit of the level they
 * follow.  Placeholders the template may use are listed in README
 * ("Bulletin template").
 */
#ifndef REPORT_BULLETIN_H
#define REPORT_BULLETIN_H

#include <stddef.h>
#include <stdint.h>

struct diag;
struct policy;
struct refdata;
struct rollup;
struct sbuf;

struct bulletin_input {
    const struct rollup *r;
    const struct refdata *rd;
    const struct policy *pol;
    int as_of; /* yyyymmdd: policy coverage is stated as of this date */
    /*
     * NULL, or where every figure placeholder the text shows is noted with
     * its exact value, one "name,value" line each (figures.csv: counts
     * whole, amounts in yuan with two decimals, percentages and names
     * left out), in the order of first use.
     */
    struct sbuf *figures;
    /*
     * NULL, or Markdown paragraphs (each ending in a blank line) for
     * {completeness_note} - what the data do not include - and
     * {revision_note} - the 修订说明 (report/relnote.h).  A template that
     * does not place one that is not empty gets it at the end: a release
     * never leaves them out.
     */
    const char *completeness_note;
    const char *revision_note;
    /* the issuing unit for {issuer} (ingest/house.h; plain text, escaped),
     * or NULL: empty */
    const char *issuer;
};

/*
 * Expand the template text (named `tmpl_name` in messages) into out.
 * Returns 0, or -1 with err set (DIAG_CONFIG at template:line:col).
 */
int bulletin_render(const char *tmpl, size_t len, const char *tmpl_name,
                    const struct bulletin_input *in, struct sbuf *out,
                    struct diag *err);

/*
 * Append s[0..len), a name or note from the reference tables, to out as
 * Markdown text that CommonMark (and md4c, whatever extensions it is given)
 * shows literally: '<', '>' and '&' become "&lt;", "&gt;" and "&amp;";
 * each of \ ` * _ [ ] ( ) { } # + - ! | ~ $ : @ gets a backslash (":" and "@"
 * so that no autolink forms, "www." likewise); a control character becomes
 * a space, so a name never starts a line.  Everything else, Chinese and its
 * full-width punctuation included, is copied unchanged: the names of the
 * shipped tables come out byte for byte.
 */
void bulletin_md_text(struct sbuf *out, const char *s, size_t len);

/*
 * True when the displayed parts (each rounded in its own unit) do not add
 * up to the displayed total: the sum of the exact displayed values,
 * rounded to the total's unit and decimals, differs from the displayed
 * total.  is_amount selects the amount rules.
 */
int bulletin_parts_differ(const int64_t *parts, size_t n, int64_t total,
                          int is_amount);

#endif /* REPORT_BULLETIN_H */
