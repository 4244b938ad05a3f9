/* SPDX-License-Identifier: MIT */
#include "ingest/submission.h"

#include <stdlib.h>
#include <string.h>

#include "common/diag.h"
#include "common/i18n.h"
#include "common/money.h"
#include "common/xalloc.h"

void
submission_init(struct submission *sf)
{
    memset(sf, 0, sizeof(*sf));
}

void
submission_drop_rows(struct submission *sf)
{
    free(sf->rows);
    sf->rows = NULL;
    sf->nrows = 0;
    free(sf->cover);
    sf->cover = NULL;
    sf->ncover = 0;
}

void
submission_release(struct submission *sf)
{
    free(sf->rows);
    free(sf->cover);
    free(sf->sheet);
    submission_init(sf);
}

int
submission_key_cmp(const struct record *a, const struct record *b)
{
    int c = period_cmp(a->period, b->period);
    if (c != 0)
        return c;
    if (a->area != b->area)
        return a->area < b->area ? -1 : 1;
    if (a->channel != b->channel)
        return a->channel < b->channel ? -1 : 1;
    if (a->scope != b->scope)
        return a->scope < b->scope ? -1 : 1;
    if (a->use != b->use)
        return a->use < b->use ? -1 : 1;
    return (a->relation > b->relation) - (a->relation < b->relation);
}

static int
cmp_cover(const void *pa, const void *pb)
{
    const struct coverage *a = pa, *b = pb;
    if (a->province != b->province)
        return a->province < b->province ? -1 : 1;
    return period_cmp(a->period, b->period);
}

int
submission_build_cover(struct submission *sf, const struct record *sorted,
                       size_t n, const char *file, struct diag_list *dl)
{
    for (size_t i = 0; i < n; i++) {
        const struct record *r = &sorted[i];
        int prov = r->area / 10000 * 10000;
        /* sorted by (period, area): a pair's records are contiguous */
        struct coverage *cv = sf->ncover ? &sf->cover[sf->ncover - 1] : NULL;
        if (cv == NULL || cv->province != prov ||
            period_cmp(cv->period, r->period) != 0) {
            sf->cover =
                xreallocarray(sf->cover, sf->ncover + 1, sizeof(*sf->cover));
            cv = &sf->cover[sf->ncover++];
            memset(cv, 0, sizeof(*cv));
            cv->province = prov;
            cv->period = r->period;
        }
        cv->rows++;
        if (fx_add(cv->person_times, r->person_times, &cv->person_times) < 0 ||
            fx_add(cv->amount_fen, r->amount_fen, &cv->amount_fen) < 0) {
            char per[PERIOD_LABEL_MAX];
            return diag_list_addf(
                dl, DIAG_ERROR, DIAG_DATA, file, r->line, 0,
                _("the totals of %06d for %s overflow 64 bits"), prov,
                period_format(per, sizeof(per), r->period));
        }
    }
    if (sf->ncover > 1)
        qsort(sf->cover, sf->ncover, sizeof(*sf->cover), cmp_cover);
    return 0;
}
