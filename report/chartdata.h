/* SPDX-License-Identifier: MIT */
/*
 * report/chartdata.h - the numbers and words of one press chart (DESIGN §6,
 * §8).
 *
 * A chart's data come either from aggregate/query.h (`gongji chart`, so
 * every value equals `gongji query` for the same period and filters) or
 * from a rollup (the bulletin).  Values stay exact integers (person-times,
 * fen) until they are written: the data file carries the exact figures
 * (person_times as an integer, amount in yuan with two decimals, as
 * `gongji query --format csv` prints them) next to the plotted value in
 * the chart's display unit (report/numfmt.h, rounded once on the exact
 * integer).
 *
 * Text that came from a user or an input file reaches gnuplot only through
 * the data files (report/chartfile.h), after chartdata_sanitize(); it is
 * never script text.
 */
#ifndef REPORT_CHARTDATA_H
#define REPORT_CHARTDATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "aggregate/rollup.h"
#include "common/period.h"
#include "ingest/codes.h"
#include "report/numfmt.h"

struct codes;
struct diag;
struct query;
struct refdata;
struct sbuf;
struct store;

enum chart_kind {
    CHART_PROVINCE_BARS, /* provinces ranked by the metric, horizontal bars */
    CHART_SCOPE,         /* provinces, stacked by scope */
    CHART_USE,           /* the nation by use, a donut */
    CHART_TREND,         /* monthly flows (bars) and cumulative (line) */
    CHART_MAP,           /* the tile-grid map of China (report/tilemap.h) */
    CHART_WALLET,        /* the wallet by month, stacked 省内 / 跨省 */
    CHART_AREA_BARS,     /* pooling areas ranked, the first CHART_AREA_TOP */
    CHART_KIND_N
};

enum chart_metric { CHART_PERSON_TIMES, CHART_AMOUNT, CHART_METRIC_N };

/* "province_bars", "scope", ... / "person_times", "amount"; and back (-1). */
const char *chart_kind_name(enum chart_kind k);
int chart_kind_parse(const char *s);
const char *chart_metric_name(enum chart_metric m);
int chart_metric_parse(const char *s);

/*
 * One row of a chart:
 *  - PROVINCE_BARS, SCOPE, MAP: one per province of the reference table,
 *    in release-table order (660000 last), zero where nothing is stored;
 *  - USE: one per enum use, in code order;
 *  - TREND, WALLET: one per month of the period, ascending.
 */
struct chart_row {
    int code;          /* province code, enum use value, or yyyymm */
    const char *name;  /* borrowed display name (unsanitised), or NULL */
    struct measures m; /* the row's total */
    /* CHART_SCOPE: the parts of m; CHART_WALLET: SCOPE_IN_PROVINCE and
     * SCOPE_CROSS_PROVINCE, each with its descendants */
    struct measures scope[SCOPE_N];
};

struct chartdata {
    enum chart_kind kind;
    enum chart_metric metric; /* ignored by CHART_TREND (shows both) */
    struct period_range range;
    struct chart_row *rows;
    size_t nrows;
    struct measures total; /* everything the chart covers */
    char *filter; /* owned: "共济范围：跨省" for --where, or NULL */
    bool has_in_province; /* CHART_SCOPE: some scope is the unsplit 省内 */
    const struct codes *codes; /* the code sets of the rows (borrowed;
                                  NULL: the built-in ones) */
    /*
     * The rows are pooling areas, not provinces: CHART_AREA_BARS, and
     * CHART_PROVINCE_BARS / CHART_SCOPE filtered to one province (its
     * pooling areas, not 31 bars of zero).
     */
    bool areas;
};

/* Pooling areas an area_bars chart shows (the largest). */
#define CHART_AREA_TOP 20

/* Most months a trend or wallet chart shows (its bars stay readable). */
#define CHART_TREND_MAX_MONTHS 36

/*
 * Fill cd from the store: `filter` gives the period range and the --where
 * values (its by/sort/top are ignored; it is not changed).  Names are
 * borrowed from rd, which must outlive cd.  CHART_WALLET reads the wallet
 * channel only (an implied --where channel=wallet).  Returns 0, or -1 with
 * err set (store errors; DIAG_USAGE for a trend or wallet chart longer
 * than CHART_TREND_MAX_MONTHS, or a wallet chart with a --where channel
 * other than the wallet).
 */
int chartdata_from_query(struct chartdata *cd, enum chart_kind kind,
                         enum chart_metric metric, struct store *st,
                         const struct query *filter, const struct refdata *rd,
                         struct diag *err);

/*
 * Fill cd from a bulletin rollup (January..r->month of r->year, the whole
 * nation; CHART_WALLET from r->wallet_monthly).  Names are borrowed from
 * rd.  Cannot fail.
 */
void chartdata_from_rollup(struct chartdata *cd, enum chart_kind kind,
                           enum chart_metric metric, const struct rollup *r,
                           const struct refdata *rd);

void chartdata_release(struct chartdata *cd);

/*
 * Append s to out as a safe gnuplot data-file field: ASCII '"' becomes
 * “ or ” (alternately), '\' becomes ＼ (gnuplot unescapes backslashes once
 * or twice depending on the code path, so no doubling renders one
 * reliably), tab, CR, LF and every other control character become a space,
 * bytes that are not UTF-8 become '?', spaces at both ends go, more than
 * max_cp code points are cut to max_cp - 1 plus "…", and an empty result
 * becomes "?" (an empty field would be a missing value).  NULL is "?".
 */
void chartdata_sanitize(struct sbuf *out, const char *s, size_t max_cp);

/* Code points of a label before it is cut (see chartdata_sanitize). */
#define CHART_LABEL_MAX_CP 24

/*
 * How wide s is in hundredths of an em of Noto Sans CJK SC, estimated on
 * the safe side: a CJK or other non-ASCII character 100, W/M/m/w/@ 95,
 * other capitals 75, other ASCII 60, a space 30.
 */
size_t chartdata_text_em100(const char *s);

/*
 * True when s is acceptable as a chart title: valid UTF-8, no control
 * character (C0, DEL, C1, U+2028/2029), and not wider than
 * CHART_TITLE_MAX_EM (so it is never cut at the chart's edge).  Otherwise
 * false with a reason in why (>= 128 bytes).
 */
#define CHART_TITLE_MAX_EM 28
bool chartdata_title_ok(const char *s, char *why, size_t whylen);

/* The --where part of the subtitle is cut ("…") beyond this width. */
#define CHART_FILTER_MAX_EM 26

/* The unit the chart's numbers are shown in (report/numfmt.h). */
enum unit chartdata_unit(const struct chartdata *cd, enum chart_metric m);

/*
 * Texts of the chart, appended to out: the default title; the line under
 * it ("2024年1-6月　共济范围：跨省　单位：万人次"; no unit for use and
 * trend, whose figures and axes carry theirs); the value-axis label of
 * metric m ("共济人次（万人次）"; for CHART_TREND "当月共济人次（万人次，
 * 左轴）" or, cumulative, "累计共济人次（亿人次，右轴）").  CHART_WALLET
 * counts in the wallet's word (codes_count_label(): "共济笔数（万笔）").
 */
void chartdata_title(const struct chartdata *cd, struct sbuf *out);
void chartdata_subtitle(const struct chartdata *cd, struct sbuf *out);
void chartdata_axis_label(const struct chartdata *cd, enum chart_metric m,
                          bool cumulative, struct sbuf *out);

/*
 * Helpers shared with report/chartfile.c: the metric's value of m
 * (person-times or fen); a + b saturated at the int64_t range (display sums
 * of values that fit never get near it); the same for both fields of a
 * measures; and, for CHART_TREND, the unit of the cumulative series of m.
 */
int64_t chartdata_metric(const struct measures *m, enum chart_metric metric);
int64_t chartdata_sat_add(int64_t a, int64_t b);
void chartdata_measures_add(struct measures *to, const struct measures *m);
enum unit chartdata_cum_unit(const struct chartdata *cd, enum chart_metric m);

#endif /* REPORT_CHARTDATA_H */
