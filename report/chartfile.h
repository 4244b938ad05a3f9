/* SPDX-License-Identifier: MIT */
/*
 * report/chartfile.h - the data files gnuplot reads for one chart (DESIGN
 * §8), written from a struct chartdata (report/chartdata.h).
 *
 * The files carry the exact figures next to the plotted value in the
 * chart's display unit; every label passes chartdata_sanitize() first.
 */
#ifndef REPORT_CHARTFILE_H
#define REPORT_CHARTFILE_H

#include <stdint.h>
#include <stdio.h>

#include "report/tilemap.h"

struct chartdata;

/*
 * Write the chart's data file: UTF-8, tab-separated, a header row of
 * column names, then one row per line.  `person_times` and `amount` are
 * exact (as `gongji query --format csv` prints them: a whole number, yuan
 * with two decimals); `value` columns are in the chart's display unit.
 *
 *  province_bars  province label person_times amount value
 *                 (ascending by the metric: gnuplot draws row 0 at the
 *                 bottom, so the largest is on top; ties in table order
 *                 from the top)
 *  scope          province label person_times amount, then
 *                 SCOPE_person_times SCOPE_amount for each scope code,
 *                 end1 end2 end3 (running sums of the scopes, each rounded
 *                 once), value (same order as province_bars)
 *  use            use label person_times amount value ("204.39亿元")
 *                 share ("67.19%" or "—") start end (wedge edges in
 *                 degrees, counter-clockwise from 3 o'clock)
 *  trend          period label person_times amount cum_person_times
 *                 cum_amount pt_value cum_pt_value amount_value
 *                 cum_amount_value cum_pt_text cum_amount_text
 *  map            province lines line1 line2 col row person_times amount
 *                 value class (0..TILEMAP_CLASSES-1; line2 is "-" when
 *                 lines is 1)
 *  wallet         period label person_times amount in_province_person_times
 *                 in_province_amount cross_province_person_times
 *                 cross_province_amount end1 end2 value (person_times is
 *                 the count in 笔; the parts are 省内 and 跨省 with their
 *                 descendants; end1 end2 their running sums, each rounded
 *                 once; value the month's total)
 *
 * Returns 0, or -1 when fp reports a write error.
 */
int chartfile_write(FILE *fp, const struct chartdata *cd);

/*
 * CHART_MAP only: write the legend file, one row per shading class:
 * class low high (display hundredths; class c is [low, high), high is -1
 * for the last class) label ("220以下", "220～360", "1200及以上").  Same
 * return.
 */
int chartfile_write_legend(FILE *fp, const struct chartdata *cd);

/*
 * The map's class breaks (tilemap_breaks()) over the tiled provinces'
 * values in display hundredths.
 */
void chartfile_map_breaks(const struct chartdata *cd,
                          int64_t breaks[TILEMAP_CLASSES - 1]);

#endif /* REPORT_CHARTFILE_H */
