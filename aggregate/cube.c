/* SPDX-License-Identifier: MIT */
#include "aggregate/cube.h"

#include <stdlib.h>
#include <string.h>

#include "common/diag.h"
#include "common/money.h"
#include "common/xalloc.h"

struct cube {
    size_t ndims;
    struct cube_cell *cells;
    size_t ncells, alloc;
    uint32_t *slots; /* index + 1 into cells; 0 = empty */
    size_t nslots;   /* power of two */
};

struct cube *
cube_new(size_t ndims)
{
    if (ndims > CUBE_MAX_DIMS)
        BUG("cube with %zu dimensions", ndims);
    struct cube *c = xcalloc(1, sizeof(*c));
    c->ndims = ndims;
    c->nslots = 1024;
    c->slots = xcalloc(c->nslots, sizeof(*c->slots));
    return c;
}

void
cube_free(struct cube *c)
{
    if (c == NULL)
        return;
    free(c->cells);
    free(c->slots);
    free(c);
}

static uint64_t
hash_key(const int *key, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15u;
    for (size_t i = 0; i < n; i++) {
        h ^= (uint32_t)key[i];
        h *= 0xBF58476D1CE4E5B9u;
        h ^= h >> 31;
    }
    return h;
}

static void
grow(struct cube *c)
{
    free(c->slots);
    c->nslots *= 2;
    c->slots = xcalloc(c->nslots, sizeof(*c->slots));
    for (size_t i = 0; i < c->ncells; i++) {
        size_t s = hash_key(c->cells[i].key, c->ndims) & (c->nslots - 1);
        while (c->slots[s] != 0)
            s = (s + 1) & (c->nslots - 1);
        c->slots[s] = (uint32_t)(i + 1);
    }
}

int
cube_add(struct cube *c, const int *key, int64_t person_times,
         int64_t amount_fen)
{
    size_t s = hash_key(key, c->ndims) & (c->nslots - 1);
    size_t keybytes = c->ndims * sizeof(int);

    while (c->slots[s] != 0) {
        struct cube_cell *cell = &c->cells[c->slots[s] - 1];
        if (memcmp(cell->key, key, keybytes) == 0) {
            int64_t pt, fen;
            if (fx_add(cell->person_times, person_times, &pt) < 0 ||
                fx_add(cell->amount_fen, amount_fen, &fen) < 0)
                return -1;
            cell->person_times = pt;
            cell->amount_fen = fen;
            return 0;
        }
        s = (s + 1) & (c->nslots - 1);
    }
    if (c->ncells == c->alloc) {
        c->alloc = c->alloc ? 2 * c->alloc : 256;
        c->cells = xreallocarray(c->cells, c->alloc, sizeof(*c->cells));
    }
    struct cube_cell *cell = &c->cells[c->ncells++];
    memset(cell, 0, sizeof(*cell));
    memcpy(cell->key, key, keybytes);
    cell->person_times = person_times;
    cell->amount_fen = amount_fen;
    c->slots[s] = (uint32_t)c->ncells;
    if (c->ncells * 2 > c->nslots)
        grow(c);
    return 0;
}

struct cube_cell *
cube_cells(struct cube *c, size_t *n)
{
    *n = c->ncells;
    return c->cells;
}

struct cube_cell *
cube_detach(struct cube *c, size_t *n)
{
    struct cube_cell *cells = c->cells;
    *n = c->ncells;
    c->cells = NULL;
    c->ncells = c->alloc = 0;
    memset(c->slots, 0, c->nslots * sizeof(*c->slots));
    return cells;
}
