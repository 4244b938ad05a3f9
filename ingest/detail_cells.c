/* SPDX-License-Identifier: MIT */
#include "ingest/detail_cells.h"

#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "ingest/submission.h"

void
detail_cells_init(struct detail_cells *t)
{
    memset(t, 0, sizeof(*t));
    t->mapcap = 1024;
    t->shift = 64 - 10;
    t->map = xcalloc(t->mapcap, sizeof(*t->map));
}

void
detail_cells_release(struct detail_cells *t)
{
    free(t->map);
    free(t->b);
    free(t->m);
    memset(t, 0, sizeof(*t));
}

static void
map_grow(struct detail_cells *t)
{
    free(t->map);
    t->mapcap *= 2;
    t->shift--;
    t->map = xcalloc(t->mapcap, sizeof(*t->map));
    for (size_t b = 0; b < t->n; b++) {
        size_t i = detail_cells_home(t, t->m[b].key);
        while (t->map[i] != 0)
            i = (i + 1) & (t->mapcap - 1);
        t->map[i] = (uint64_t)t->m[b].key << 32 | (b + 1);
    }
}

size_t
detail_cells_new_block(struct detail_cells *t, uint32_t key, size_t slot)
{
    if (t->n == t->alloc) {
        /* room for DETAIL_KEYS_MAX blocks and the scratch one, no more */
        t->alloc = t->alloc ? 2 * t->alloc : 64;
        if (t->alloc > DETAIL_KEYS_MAX + 1)
            t->alloc = DETAIL_KEYS_MAX + 1;
        t->b = xreallocarray(t->b, t->alloc, sizeof(*t->b));
        t->m = xreallocarray(t->m, t->alloc, sizeof(*t->m));
    }
    if (t->n == DETAIL_KEYS_MAX) {
        if (!t->over) {
            t->over = true;
            memset(&t->b[t->n], 0, sizeof(t->b[t->n]));
            memset(&t->m[t->n], 0, sizeof(t->m[t->n]));
            t->m[t->n].key = key;
        }
        return t->n;
    }
    size_t b = t->n++;
    memset(&t->b[b], 0, sizeof(t->b[b]));
    memset(&t->m[b], 0, sizeof(t->m[b]));
    t->m[b].key = key;
    t->map[slot] = (uint64_t)key << 32 | (b + 1);
    if (t->n * 2 > t->mapcap)
        map_grow(t);
    return b;
}

void
detail_cells_unpack(uint32_t key, unsigned sub, struct record *r)
{
    int pidx = (int)(key >> 21);
    r->period = period_add((struct period){PERIOD_MIN_YEAR, 1}, pidx);
    r->area = (int)(key >> 1 & 0xFFFFF);
    r->channel = (unsigned char)(key & 1);
    r->relation = (unsigned char)(sub % REL_N);
    r->use = (unsigned char)(sub / REL_N % USE_N);
    unsigned s = sub / REL_N / USE_N;
    r->scope = (unsigned char)(s == 2 ? SCOPE_CROSS_PROVINCE : s);
}

int
detail_cells_merge(struct detail_cells *dst, const struct detail_cells *src,
                   uint32_t *bad_key, unsigned *bad_sub)
{
    for (size_t b = 0; b < src->n; b++) {
        const struct detail_block_meta *m = &src->m[b];
        size_t to = detail_cells_block(dst, m->key);
        for (unsigned sub = 0; sub < DETAIL_NSUB; sub++) {
            if (!detail_cells_touched(m, sub))
                continue;
            if (detail_cells_add(dst, to, sub, src->b[b].c[sub][0],
                                 src->b[b].c[sub][1], m->first[sub],
                                 true) < 0) {
                *bad_key = m->key;
                *bad_sub = sub;
                return -1;
            }
        }
    }
    return 0;
}
