/* SPDX-License-Identifier: MIT */
/*
 * aggregate/cube.h - a group-by cube: integer keys of up to CUBE_MAX_DIMS
 * values, each cell summing person-times and fen with overflow checks.
 *
 * Open addressing with linear probing; cells live in one array so that
 * cube_cells() can hand them out for sorting without copying.
 */
#ifndef AGGREGATE_CUBE_H
#define AGGREGATE_CUBE_H

#include <stddef.h>
#include <stdint.h>

#define CUBE_MAX_DIMS 7 /* = DIM_N of aggregate/query.h */

struct cube_cell {
    int key[CUBE_MAX_DIMS]; /* unused slots are 0 */
    int64_t person_times;
    int64_t amount_fen;
};

struct cube;

/* A cube whose keys have ndims values (1..CUBE_MAX_DIMS; 0 = one cell). */
struct cube *cube_new(size_t ndims);
void cube_free(struct cube *c);

/*
 * Add to the cell of key[0..ndims).  Returns 0, or -1 when a sum would
 * overflow (the cell is then unchanged).
 */
int cube_add(struct cube *c, const int *key, int64_t person_times,
             int64_t amount_fen);

/* The cells in insertion order (borrowed; valid until the next add). */
struct cube_cell *cube_cells(struct cube *c, size_t *n);

/* Hand the cell array to the caller (free with free()); c becomes empty. */
struct cube_cell *cube_detach(struct cube *c, size_t *n);

#endif /* AGGREGATE_CUBE_H */
