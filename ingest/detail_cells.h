/* SPDX-License-Identifier: MIT */
/*
 * ingest/detail_cells.h - one thread's sums of detail rows, per cell of
 * the store's grain (period, area, scope, use, relation), and the merging
 * of several threads' sums.
 *
 * The cells are kept in dense blocks, one per (period, area), each holding
 * the 126 cells of scope x use x relation side by side (a block per
 * (period, area, channel): the channel is the key's low bit).  Compared
 * with one
 * hash table of cells this keeps the busy part small enough for the L2
 * cache (a month of ~400 areas is ~0.5 MiB, and 93% of rows fall in the
 * same_area third of a block); the blocks are found through a small hash
 * map of (period, area), which stays in L1.  Cells sit in key order inside
 * a block, so sorting the blocks sorts the output.
 *
 * A block costs about 3 KiB, so a table holds at most DETAIL_KEYS_MAX of
 * them (a thread's table at most ~200 MiB): a (period, area) beyond that
 * gets a scratch block, the table is marked over budget, and the reader
 * rejects the file (ingest/detail.h).
 *
 * The row loop calls detail_cells_block() and detail_cells_add() for every
 * row, so they are inline here; the rare paths are in detail_cells.c.
 */
#ifndef INGEST_DETAIL_CELLS_H
#define INGEST_DETAIL_CELLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/period.h"
#include "ingest/codes.h"

struct record;

/*
 * Most distinct (month, payer_area) pairs of one detail file.  A national
 * file holds the 385 pooling areas of data/areas.csv for each month: ten
 * years of them are 46,200 pairs, which leaves room for ~19,000 pairs of
 * unknown area codes.
 */
#define DETAIL_KEYS_MAX 65536

/* Cells in a block. */
/*
 * Cells in a block: the three scopes a detail row can have (its areas say
 * which: same_area, cross_area, cross_province) x the built-in uses x the
 * built-in relations.
 */
#define DETAIL_NSCOPE 3
#define DETAIL_NSUB   (DETAIL_NSCOPE * USE_N * REL_N)
_Static_assert(DETAIL_NSUB <= 128, "a block's cells fit in touched[]");

struct detail_block {
    int64_t c[DETAIL_NSUB][2]; /* person-times, fen */
};

/* What is rarely touched: which cells have rows, and their first row. */
struct detail_block_meta {
    uint32_t key;                /* detail_cells_key() */
    uint64_t touched[2];         /* bit per cell */
    uint64_t first[DETAIL_NSUB]; /* chunk << 32 | line in chunk of 1st row */
};

struct detail_cells {
    uint64_t *map; /* (key << 32) | (block index + 1); 0 = empty slot */
    size_t mapcap;
    unsigned shift;
    struct detail_block *b;
    struct detail_block_meta *m;
    size_t n, alloc;
    /*
     * A key beyond DETAIL_KEYS_MAX was asked for: it got the scratch block
     * b[n] (not in the map, shared by all such keys; m[n].key is the first
     * of them, whose row is then the first to touch a cell of b[n]).
     */
    bool over;
};

/* An empty table, and its end (detail_cells_release() zeroes t). */
void detail_cells_init(struct detail_cells *t);
void detail_cells_release(struct detail_cells *t);

/*
 * Append a new, empty block for key, whose map slot is `slot` (free), and
 * return its index; over DETAIL_KEYS_MAX blocks, the scratch block (see
 * `over`).  Called by detail_cells_block() only.
 */
size_t detail_cells_new_block(struct detail_cells *t, uint32_t key,
                              size_t slot);

/* The record fields (period, area, channel, scope, use, relation) of a cell. */
void detail_cells_unpack(uint32_t key, unsigned sub, struct record *r);

/*
 * Add src's cells to dst (both threads' tables; a cell's first row becomes
 * the earlier one).  Returns 0, or -1 when a sum would overflow, with
 * *bad_key and *bad_sub naming the cell (dst is then partly merged).
 */
int detail_cells_merge(struct detail_cells *dst, const struct detail_cells *src,
                       uint32_t *bad_key, unsigned *bad_sub);

/* Is cell sub of the block with meta m in use? */
static inline bool
detail_cells_touched(const struct detail_block_meta *m, unsigned sub)
{
    return (m->touched[sub >> 6] & (UINT64_C(1) << (sub & 63))) != 0;
}

/*
 * The block key of (yyyymm, area, channel): 11 bits of month (2000-2099),
 * 20 of area, 1 of channel (account, wallet), so keys sort like records.
 */
static inline uint32_t
detail_cells_key(int yyyymm, int area, int channel)
{
    int pidx = (yyyymm / 100 - PERIOD_MIN_YEAR) * 12 + yyyymm % 100 - 1;
    return (uint32_t)pidx << 21 | (uint32_t)area << 1 | (uint32_t)channel;
}

/* The index of a cell in its block. */
static inline unsigned
detail_cells_sub(int scope, int use, int rel)
{
    int s = scope == SCOPE_CROSS_PROVINCE ? 2 : scope;
    return (unsigned)((s * USE_N + use) * REL_N + rel);
}

static inline size_t
detail_cells_home(const struct detail_cells *t, uint32_t key)
{
    return (size_t)(((uint64_t)key * UINT64_C(0x9E3779B97F4A7C15)) >> t->shift);
}

/* The index of the block of key, created empty if need be. */
static inline size_t
detail_cells_block(struct detail_cells *t, uint32_t key)
{
    size_t i = detail_cells_home(t, key);
    for (;;) {
        uint64_t v = t->map[i];
        if (v == 0)
            break;
        if ((uint32_t)(v >> 32) == key)
            return (size_t)(v & 0xFFFFFFFFu) - 1;
        i = (i + 1) & (t->mapcap - 1);
    }
    return detail_cells_new_block(t, key, i);
}

/*
 * Add (pt, fen) to cell sub of block b, whose first row is `first` (chunk
 * << 32 | line) unless it has an earlier one.  A thread's own rows come in
 * file order, so only a merge (`merging`) can bring an earlier first row.
 * Returns 0, or -1 with the cell unchanged when a sum would overflow.
 */
static inline int
detail_cells_add(struct detail_cells *t, size_t b, unsigned sub, int64_t pt,
                 int64_t fen, uint64_t first, bool merging)
{
    int64_t *c = t->b[b].c[sub];
    struct detail_block_meta *m = &t->m[b];
    uint64_t bit = UINT64_C(1) << (sub & 63);
    int64_t p, f;

    if (__builtin_add_overflow(c[0], pt, &p) ||
        __builtin_add_overflow(c[1], fen, &f))
        return -1;
    c[0] = p;
    c[1] = f;
    if (!(m->touched[sub >> 6] & bit)) {
        m->touched[sub >> 6] |= bit;
        m->first[sub] = first;
    } else if (merging && first < m->first[sub]) {
        m->first[sub] = first;
    }
    return 0;
}

#endif /* INGEST_DETAIL_CELLS_H */
