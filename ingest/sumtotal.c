/* SPDX-License-Identifier: MIT */
#include "ingest/sumtotal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/diag.h"
#include "common/i18n.h"
#include "common/money.h"
#include "common/sbuf.h"
#include "common/xalloc.h"
#include "ingest/codes.h"
#include "ingest/submission.h"

static bool
matches(const struct sumtotal *t, const struct record *r)
{
    if (!t->any_period && period_cmp(t->period, r->period) != 0)
        return false;
    if (t->area != 0) {
        if (t->area % 10000 == 0) {
            if (r->area / 10000 != t->area / 10000)
                return false;
        } else if (r->area != t->area) {
            return false;
        }
    }
    if (t->channel != SUMTOTAL_ANY && t->channel != r->channel)
        return false;
    if (t->relation != SUMTOTAL_ANY && t->relation != r->relation)
        return false;
    if (t->kind == SUMTOTAL_RELATION)
        return (t->scope == SUMTOTAL_ANY || t->scope == r->scope) &&
               (t->use == SUMTOTAL_ANY || t->use == r->use);
    /* a coarse value totals its descendants */
    return (t->scope == SUMTOTAL_ANY ||
            codes_within(t->codes, CODESET_SCOPE, r->scope, t->scope)) &&
           (t->use == SUMTOTAL_ANY ||
            codes_within(t->codes, CODESET_USE, r->use, t->use));
}

/* Whether a lies within b: same relation, scope and use within b's. */
static bool
within(const struct codes *cs, const struct record *a, const struct record *b)
{
    return a->relation == b->relation &&
           codes_within(cs, CODESET_SCOPE, a->scope, b->scope) &&
           codes_within(cs, CODESET_USE, a->use, b->use);
}

static bool
same_codes(const struct record *a, const struct record *b)
{
    return a->scope == b->scope && a->use == b->use &&
           a->relation == b->relation;
}

bool
sumtotal_parts(const struct codes *cs, const struct record *sorted, size_t lo,
               size_t hi, size_t i, struct sumtotal_parts *p)
{
    const struct record *r = &sorted[i];

    memset(p, 0, sizeof(*p));
    if (!codes_has_children(cs, CODESET_SCOPE, r->scope) &&
        !codes_has_children(cs, CODESET_USE, r->use))
        return false;
    for (size_t k = lo; k < hi; k++) {
        const struct record *a = &sorted[k];
        if (same_codes(a, r) || !within(cs, a, r))
            continue;
        /* only the outermost parts: a is not inside another part */
        bool inner = false;
        for (size_t m = lo; m < hi && !inner; m++)
            inner = !same_codes(&sorted[m], r) && !same_codes(&sorted[m], a) &&
                    within(cs, a, &sorted[m]) && within(cs, &sorted[m], r);
        if (inner)
            continue;
        if (__builtin_add_overflow(p->person_times, a->person_times,
                                   &p->person_times) ||
            __builtin_add_overflow(p->amount_fen, a->amount_fen,
                                   &p->amount_fen))
            p->overflow = true;
        if (p->n == 0 || a->line < p->line)
            p->line = a->line;
        p->scopes |= UINT32_C(1) << a->scope;
        p->uses |= UINT32_C(1) << a->use;
        p->n++;
    }
    return p->n > 0;
}

/* The first row of sorted[0..n) not before (period, area). */
static size_t
lower_bound(const struct record *sorted, size_t n, struct period p, int area)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = period_cmp(sorted[mid].period, p);
        if (c < 0 || (c == 0 && sorted[mid].area < area))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* "(2024-09, all areas of 330000, same_area, all uses, all relations)" */
static void
describe(const struct sumtotal *t, char *buf, size_t len)
{
    char per[PERIOD_LABEL_MAX], area[40];

    if (t->area == 0)
        snprintf(area, sizeof(area), _("all areas"));
    else if (t->area % 10000 == 0)
        snprintf(area, sizeof(area), _("all areas of %06d"), t->area);
    else
        snprintf(area, sizeof(area), "%06d", t->area);
    /* the channel only when it is not the account: older messages stay */
    char chan[40] = "";
    if (t->channel != SUMTOTAL_ANY && t->channel != CHANNEL_ACCOUNT)
        snprintf(chan, sizeof(chan), "%s, ",
                 codes_code(t->codes, CODESET_CHANNEL, t->channel));
    snprintf(buf, len, "(%s, %s, %s%s, %s, %s)",
             t->any_period ? "all months"
                           : period_format(per, sizeof(per), t->period),
             area, chan,
             t->scope == SUMTOTAL_ANY
                 ? "all scopes"
                 : codes_code(t->codes, CODESET_SCOPE, t->scope),
             t->use == SUMTOTAL_ANY ? "all uses"
                                    : codes_code(t->codes, CODESET_USE, t->use),
             t->relation == SUMTOTAL_ANY
                 ? "all relations"
                 : codes_code(t->codes, CODESET_RELATION, t->relation));
}

static const char *const kind_text[SUMTOTAL_KIND_N] = {
    "row(s) marked 合计/小计/总计",
    "province total row(s) (area xx0000 or a province name)",
    "relation subtotal row(s) (relation blank beside rows with one)",
    "coarse row(s) (省内 or 就医购药 beside rows of their parts)",
};

/* Check one total; returns 1 when it agrees, 0 after reporting an error. */
static int
check_one(const struct sumtotal *t, const struct record *sorted, size_t n,
          const char *file, struct diag_list *dl)
{
    size_t lo = 0, hi = n;
    int64_t pt = 0, fen = 0;
    size_t rows = 0;
    unsigned long first = 0, last = 0;
    bool overflow = false;
    char what[200];

    if (!t->any_period) {
        /* rows are sorted by period, then area: a range of them */
        int alo = t->area;
        int ahi = t->area == 0           ? 1000000
                  : t->area % 10000 == 0 ? t->area + 10000
                                         : t->area + 1;
        lo = lower_bound(sorted, n, t->period, alo);
        hi = lower_bound(sorted, n, t->period, ahi);
    }
    for (size_t i = lo; i < hi; i++) {
        const struct record *r = &sorted[i];
        if (!matches(t, r))
            continue;
        if (__builtin_add_overflow(pt, r->person_times, &pt) ||
            __builtin_add_overflow(fen, r->amount_fen, &fen))
            overflow = true;
        if (rows == 0 || r->line < first)
            first = r->line;
        if (r->line > last)
            last = r->line;
        rows++;
    }
    describe(t, what, sizeof(what));
    if (rows == 0) {
        diag_list_addf(dl, DIAG_ERROR, DIAG_DATA, file, t->line, t->col,
                       _("total row %s matches no data row of the file, so it "
                         "cannot be checked; it is not data either (%s)"),
                       what,
                       t->kind == SUMTOTAL_PROVINCE
                           ? "a province code is not a pooling area"
                           : "remove the row, or the word 合计/小计/总计");
        return 0;
    }
    if (overflow) {
        diag_list_addf(dl, DIAG_ERROR, DIAG_DATA, file, t->line, t->col,
                       _("total row %s: the sum of the %zu rows it totals "
                         "overflows"),
                       what, rows);
        return 0;
    }
    if (pt == t->person_times && fen == t->amount_fen)
        return 1;

    char said[64], sum[64];
    if (pt != t->person_times && fen != t->amount_fen) {
        char a1[32], a2[32];
        money_format(a1, sizeof(a1), t->amount_fen);
        money_format(a2, sizeof(a2), fen);
        snprintf(said, sizeof(said), _("person_times %lld and amount %s"),
                 (long long)t->person_times, a1);
        snprintf(sum, sizeof(sum), _("%lld and %s"), (long long)pt, a2);
    } else if (pt != t->person_times) {
        snprintf(said, sizeof(said), _("person_times %lld"),
                 (long long)t->person_times);
        snprintf(sum, sizeof(sum), "%lld", (long long)pt);
    } else {
        char a1[32];
        money_format(a1, sizeof(a1), t->amount_fen);
        snprintf(said, sizeof(said), _("amount %s"), a1);
        money_format(sum, sizeof(sum), fen);
    }
    diag_list_addf(dl, DIAG_ERROR, DIAG_DATA, file, t->line,
                   pt != t->person_times ? t->pt_col : t->amount_col,
                   _("total row %s says %s, but the %zu rows it totals (lines "
                     "%lu to %lu) sum to %s"),
                   what, said, rows, first, last, sum);
    return 0;
}

/* Append line ranges "5, 9-12" of the sorted lines[0..n) to sb (capped). */
static void
add_ranges(struct sbuf *sb, const unsigned long *lines, size_t n)
{
    size_t shown = 0;

    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j + 1 < n && lines[j + 1] == lines[j] + 1)
            j++;
        if (sb->len > 100) {
            sbuf_addf(sb, ", ... (%zu more)", n - shown);
            return;
        }
        sbuf_addf(sb, i ? ", %lu" : "%lu", lines[i]);
        if (j > i)
            sbuf_addf(sb, "-%lu", lines[j]);
        shown += j - i + 1;
        i = j + 1;
    }
}

static int
cmp_ulong(const void *pa, const void *pb)
{
    unsigned long a = *(const unsigned long *)pa;
    unsigned long b = *(const unsigned long *)pb;
    return (a > b) - (a < b);
}

size_t
sumtotal_check(const struct sumtotal *t, size_t nt, const struct record *sorted,
               size_t n, const char *file, struct diag_list *dl)
{
    unsigned long *ok = xreallocarray(NULL, nt ? nt : 1, sizeof(*ok));
    size_t errors = 0;

    for (int k = 0; k < SUMTOTAL_KIND_N; k++) {
        size_t nok = 0;
        const struct sumtotal *firstok = NULL;
        for (size_t i = 0; i < nt; i++) {
            if (t[i].kind != (enum sumtotal_kind)k)
                continue;
            if (check_one(&t[i], sorted, n, file, dl) == 0) {
                errors++;
                continue;
            }
            if (firstok == NULL || t[i].line < firstok->line)
                firstok = &t[i];
            ok[nok++] = t[i].line;
        }
        if (nok == 0)
            continue;
        struct sbuf sb = SBUF_INIT;
        qsort(ok, nok, sizeof(*ok), cmp_ulong);
        add_ranges(&sb, ok, nok);
        diag_list_addf(dl, DIAG_WARNING, DIAG_DATA, file, firstok->line,
                       firstok->col,
                       _("%zu %s equal the sum of the rows they total: "
                         "skipped, not stored (line%s %s)"),
                       nok, kind_text[k], nok > 1 ? "s" : "", sb.buf);
        sbuf_release(&sb);
    }
    free(ok);
    return errors;
}
