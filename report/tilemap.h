/* SPDX-License-Identifier: MIT */
/*
 * report/tilemap.h - a tile-grid map of China: every provincial unit is a
 * square on a fixed grid, placed roughly where it lies (黑龙江 top right,
 * 新疆 left, 海南 bottom; 新疆生产建设兵团 beside 新疆).
 *
 * Columns run west to east from 0, rows north to south from 0.  The table
 * is fixed and pure: no two tiles share a square, and it holds exactly the
 * 32 units of data/provinces.csv.  The tiles are shaded in TILEMAP_CLASSES
 * classes of a measure.
 */
#ifndef REPORT_TILEMAP_H
#define REPORT_TILEMAP_H

#include <stddef.h>
#include <stdint.h>

#define TILEMAP_COLS 8
#define TILEMAP_ROWS 8

struct tile {
    int code; /* province code, 660000 for 新疆生产建设兵团 */
    int col;  /* 0..TILEMAP_COLS-1, west to east */
    int row;  /* 0..TILEMAP_ROWS-1, north to south */
};

/* The tiles, i in [0, tilemap_count()), in province-code order. */
size_t tilemap_count(void);
const struct tile *tilemap_at(size_t i);

/* The tile of a province code, or NULL when the grid has none. */
const struct tile *tilemap_find(int code);

/* Shading classes of the map. */
#define TILEMAP_CLASSES 5

/*
 * Class breaks for the values v[0..n) (integers, e.g. hundredths of a
 * display unit): class 0 is below breaks[0], class c is [breaks[c-1],
 * breaks[c]), the last class is breaks[TILEMAP_CLASSES-2] and up.  The
 * breaks are the quintiles of v rounded to two significant digits (so
 * each class holds about a fifth of the tiles and the legend reads
 * "220～360"), never finer than `unit`.  When that does not give strictly
 * increasing positive breaks (few distinct values, many zeros), they are
 * equal steps of a round size (1, 2, 2.5 or 5 times a power of ten, at
 * least 100 units) that cover the largest value.
 */
void tilemap_breaks(const int64_t *v, size_t n, int64_t unit,
                    int64_t breaks[TILEMAP_CLASSES - 1]);

/* The class of value x for these breaks: 0..TILEMAP_CLASSES-1. */
int tilemap_class(int64_t x, const int64_t breaks[TILEMAP_CLASSES - 1]);

#endif /* REPORT_TILEMAP_H */
