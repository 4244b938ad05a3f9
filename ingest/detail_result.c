/* SPDX-License-Identifier: MIT */
#include "ingest/detail_result.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/diag.h"
#include "common/i18n.h"
#include "common/money.h"
#include "common/xalloc.h"
#include "ingest/codes.h"
#include "ingest/detail_cells.h"
#include "ingest/detail_cols.h"
#include "ingest/detail_int.h"
#include "ingest/refdata.h"
#include "ingest/submission.h"

/* ---------------------------------------------------------------------------
 * Lines
 */

unsigned long *
detail_result_lines(const struct detail_shared *sh)
{
    unsigned long *base =
        xreallocarray(NULL, sh->next_chunk + 1, sizeof(*base));
    base[0] = sh->first_line;
    for (uint64_t i = 0; i < sh->next_chunk; i++)
        base[i + 1] = base[i] + sh->chunks[i].lines;
    return base;
}

/* Absolute line of a (chunk << 32 | line) position. */
static unsigned long
resolve(const unsigned long *base, uint64_t pos)
{
    return base[pos >> 32] + (unsigned long)(pos & 0xFFFFFFFFu);
}

/* ---------------------------------------------------------------------------
 * Problems
 */

static int
cmp_perr(const void *pa, const void *pb)
{
    const struct detail_perr *a = pa, *b = pb;
    if (a->chunk != b->chunk)
        return a->chunk < b->chunk ? -1 : 1;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

/*
 * The threads' unknown payer areas merged (rows summed, the first row the
 * earliest), in an array of at most `alloc` entries; the caller frees it.
 */
static struct detail_unknown_area *
merge_unknown_areas(const struct detail_worker *ws, unsigned nw, size_t alloc,
                    size_t *nua)
{
    struct detail_unknown_area *ua = NULL;

    *nua = 0;
    for (unsigned k = 0; k < nw; k++) {
        for (size_t i = 0; i < ws[k].nua; i++) {
            const struct detail_unknown_area *u = &ws[k].ua[i];
            size_t j;
            if (ua == NULL)
                ua = xcalloc(alloc + 1, sizeof(*ua));
            for (j = 0; j < *nua; j++)
                if (ua[j].area == u->area)
                    break;
            if (j == *nua)
                ua[(*nua)++] = *u;
            else {
                ua[j].rows += u->rows;
                if (u->first < ua[j].first)
                    ua[j].first = u->first;
            }
        }
    }
    return ua;
}

/* The warning about an unknown payer area, at its first row. */
static void
unknown_area_warning(const struct detail_shared *sh,
                     const struct detail_unknown_area *u, struct detail_perr *e)
{
    e->chunk = u->first >> 32;
    e->line = (unsigned long)(u->first & 0xFFFFFFFFu);
    e->seq = 0;
    diag_clear(&e->d);
    diag_set(&e->d, DIAG_DATA,
             _("payer_area '%06d' is not in the pooling-area table "
               "(data/areas.csv); %llu row(s) stored anyway"),
             u->area, (unsigned long long)u->rows);
    e->d.severity = DIAG_WARNING;
    e->d.file = sh->path;
    e->d.col = (unsigned long)sh->idx[DETAIL_COL_PAYER_AREA] + 1;
}

void
detail_result_problems(const struct detail_shared *sh,
                       const struct detail_worker *ws, unsigned nw,
                       const unsigned long *base, struct diag_list *dl)
{
    uint64_t limit = sh->have_syntax ? sh->syntax_chunk : UINT64_MAX;
    size_t total_e = 0, total_w = 0, kept_e = 0, kept_w = 0, n = 0;
    size_t nua = 0, alloc = 0;
    uint64_t ua_dropped = 0;

    for (uint64_t i = 0; i < sh->next_chunk && i <= limit; i++) {
        total_e += sh->chunks[i].errors;
        total_w += sh->chunks[i].warnings;
    }
    for (unsigned k = 0; k < nw; k++) {
        alloc += ws[k].nerrs + ws[k].nua;
        ua_dropped += ws[k].ua_dropped;
    }
    struct detail_perr *all = xcalloc(alloc + 1, sizeof(*all));
    for (unsigned k = 0; k < nw; k++)
        for (size_t i = 0; i < ws[k].nerrs; i++)
            if (ws[k].errs[i].chunk <= limit)
                all[n++] = ws[k].errs[i];
    /*
     * Each worker kept its own first DIAG_LIST_KEEP problems, so only the
     * first DIAG_LIST_KEEP of the file are known whatever the threads:
     * keep those (the rest are counted below), or the messages would
     * depend on how the chunks fell to the threads.
     */
    qsort(all, n, sizeof(*all), cmp_perr);
    if (n > DIAG_LIST_KEEP)
        n = DIAG_LIST_KEEP;
    struct detail_unknown_area *ua = merge_unknown_areas(ws, nw, alloc, &nua);
    for (size_t j = 0; j < nua; j++) {
        if (ua[j].first >> 32 > limit)
            continue;
        unknown_area_warning(sh, &ua[j], &all[n++]);
        total_w++;
    }
    qsort(all, n, sizeof(*all), cmp_perr);
    for (size_t i = 0; i < n; i++) {
        all[i].d.line = resolve(base, all[i].chunk << 32 | all[i].line);
        diag_list_add(dl, &all[i].d);
        if (all[i].d.severity == DIAG_ERROR)
            kept_e++;
        else
            kept_w++;
    }
    dl->errors += total_e - kept_e;
    dl->warnings += total_w - kept_w;
    if (ua_dropped > 0)
        diag_list_addf(dl, DIAG_WARNING, DIAG_DATA, sh->path, 0, 0,
                       _("%llu more row(s) with payer_area codes not in "
                         "data/areas.csv (too many distinct codes to list)"),
                       (unsigned long long)ua_dropped);
    free(ua);
    free(all);
}

/* ---------------------------------------------------------------------------
 * Cells
 */

static int
cmp_block(const void *pa, const void *pb)
{
    const struct detail_block_meta *a =
        *(const struct detail_block_meta *const *)pa;
    const struct detail_block_meta *b =
        *(const struct detail_block_meta *const *)pb;
    return (a->key > b->key) - (a->key < b->key);
}

/* All workers' cells into ws[0].tab, the others released.  0 or -1. */
static int
merge_tables(const struct detail_shared *sh, struct detail_worker *ws,
             unsigned nw, struct diag_list *dl)
{
    for (unsigned k = 1; k < nw; k++) {
        uint32_t key;
        unsigned sub;
        if (detail_cells_merge(&ws[0].tab, &ws[k].tab, &key, &sub) < 0) {
            struct record r;
            detail_cells_unpack(key, sub, &r);
            char per[PERIOD_LABEL_MAX];
            return diag_list_addf(dl, DIAG_ERROR, DIAG_DATA, sh->path, 0, 0,
                                  _("the sums of (%s, %06d) overflow 64 bits"),
                                  period_format(per, sizeof(per), r.period),
                                  r.area);
        }
        detail_cells_release(&ws[k].tab);
    }
    return 0;
}

/* A cell with more reversals than settlements, as an error in dl: -1. */
static int
negative_cell(const struct detail_shared *sh, const struct record *r,
              struct diag_list *dl)
{
    char amt[32], per[PERIOD_LABEL_MAX];
    money_format(amt, sizeof(amt), r->amount_fen);
    return diag_list_addf(
        dl, DIAG_ERROR, DIAG_DATA, sh->path, r->line, 0,
        _("more reversals than settlements: (%s, %06d, %s, %s, "
          "%s) nets to %lld person-time(s) and %s yuan"),
        period_format(per, sizeof(per), r->period), r->area,
        codes_code(refdata_codes(sh->rd), CODESET_SCOPE, r->scope),
        codes_code(refdata_codes(sh->rd), CODESET_USE, r->use),
        codes_code(refdata_codes(sh->rd), CODESET_RELATION, r->relation),
        (long long)r->person_times, amt);
}

/* The cells of t into sf->rows in key order, checked.  0 or -1. */
static int
emit_rows(const struct detail_shared *sh, const struct detail_cells *t,
          const unsigned long *base, struct submission *sf,
          struct diag_list *dl)
{
    int rc = 0;

    /* blocks in key order; cells in a block are in key order already */
    const struct detail_block_meta **order =
        xreallocarray(NULL, t->n + 1, sizeof(*order));
    size_t n = 0;
    for (size_t b = 0; b < t->n; b++) {
        order[b] = &t->m[b];
        n += (size_t)__builtin_popcountll(t->m[b].touched[0]) +
             (size_t)__builtin_popcountll(t->m[b].touched[1]);
    }
    qsort(order, t->n, sizeof(*order), cmp_block);

    sf->rows = xreallocarray(NULL, n + 1, sizeof(*sf->rows));
    sf->nrows = 0;
    for (size_t i = 0; i < t->n; i++) {
        const struct detail_block_meta *m = order[i];
        const struct detail_block *bl = &t->b[m - t->m];
        for (unsigned sub = 0; sub < DETAIL_NSUB; sub++) {
            if (!detail_cells_touched(m, sub))
                continue;
            struct record *r = &sf->rows[sf->nrows++];
            memset(r, 0, sizeof(*r));
            detail_cells_unpack(m->key, sub, r);
            r->person_times = bl->c[sub][0];
            r->amount_fen = bl->c[sub][1];
            r->line = resolve(base, m->first[sub]);
            if (r->person_times < 0 || r->amount_fen < 0)
                rc = negative_cell(sh, r, dl);
        }
    }
    free(order);
    return rc;
}

int
detail_result_build(const struct detail_shared *sh, struct detail_worker *ws,
                    unsigned nw, const unsigned long *base,
                    struct submission *sf, struct diag_list *dl)
{
    if (merge_tables(sh, ws, nw, dl) < 0)
        return -1;
    int rc = emit_rows(sh, &ws[0].tab, base, sf, dl);
    detail_cells_release(&ws[0].tab);
    if (rc == 0)
        rc = submission_build_cover(sf, sf->rows, sf->nrows, sh->path, dl);
    return rc;
}
