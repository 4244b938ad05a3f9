/*
 * report/tilemap.h - a tile-grid map of China: every provincial unit is a
 * square on a fixed grid, placed roughly where it lies (黑龙江 top right,
 * 新疆 left, 海南 bottom; 新疆生产建设兵团 beside 新疆).
 *
 * Columns run west to east from 0, rows north to south from 0.  The table
 * is fixed and pure: no two tiles share a square, and it holds exactly the
 * 32 units of data/provinces.csv.
 */
#ifndef REPORT_TILEMAP_H
#define REPORT_TILEMAP_H

#include <stddef.h>

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

#endif /* REPORT_TILEMAP_H */
