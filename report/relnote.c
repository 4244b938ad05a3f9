/* SPDX-License-Identifier: MIT */
#include "report/relnote.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate/revisions.h"
#include "common/sbuf.h"
#include "common/xalloc.h"
#include "ingest/refdata.h"
#include "report/bulletin.h"
#include "report/figfmt.h"

/* Months [i, j) of pms (one province) as "2024年9月", "2024年8-9月". */
static void
put_months(struct sbuf *out, const struct pm *pms, size_t i, size_t j)
{
    int year = 0;
    for (size_t k = i; k < j;) {
        size_t e = k;
        while (e + 1 < j && pms[e + 1].period.year == pms[k].period.year &&
               period_index(pms[e + 1].period) ==
                   period_index(pms[e].period) + 1)
            e++;
        if (k > i)
            sbuf_addstr(out, "、");
        if (pms[k].period.year != year) {
            year = pms[k].period.year;
            sbuf_addf(out, "%d年", year);
        }
        if (e > k)
            sbuf_addf(out, "%d-%d月", pms[k].period.month, pms[e].period.month);
        else
            sbuf_addf(out, "%d月", pms[k].period.month);
        k = e + 1;
    }
}

/* Do provinces' runs [a0, a1) and [b0, b1) hold the same months? */
static bool
same_months(const struct pm *pms, size_t a0, size_t a1, size_t b0, size_t b1)
{
    if (a1 - a0 != b1 - b0)
        return false;
    for (size_t k = 0; k < a1 - a0; k++)
        if (period_cmp(pms[a0 + k].period, pms[b0 + k].period) != 0)
            return false;
    return true;
}

static void
put_province(struct sbuf *out, const struct refdata *rd, int code)
{
    const struct province *p = refdata_province(rd, code);
    char buf[16];
    if (p != NULL) {
        bulletin_md_text(out, p->short_name, strlen(p->short_name));
    } else {
        snprintf(buf, sizeof(buf), "%06d", code);
        sbuf_addstr(out, buf);
    }
}

void
relnote_pairs(struct sbuf *out, const struct refdata *rd, const struct pm *pms,
              size_t n)
{
    /* the runs of one province each */
    size_t *start = xreallocarray(NULL, n + 1, sizeof(*start)), nruns = 0;
    bool *done = xcalloc(n + 1, sizeof(*done));
    for (size_t i = 0; i < n; i++)
        if (i == 0 || pms[i].province != pms[i - 1].province)
            start[nruns++] = i;
    size_t nr = nruns;
    bool first = true;
    for (size_t a = 0; a < nr; a++) {
        if (done[a])
            continue;
        size_t a1 = a + 1 < nr ? start[a + 1] : n;
        if (!first)
            sbuf_addstr(out, "、");
        first = false;
        put_province(out, rd, pms[start[a]].province);
        for (size_t b = a + 1; b < nr; b++) {
            size_t b1 = b + 1 < nr ? start[b + 1] : n;
            if (!done[b] && same_months(pms, start[a], a1, start[b], b1)) {
                sbuf_addstr(out, "、");
                put_province(out, rd, pms[start[b]].province);
                done[b] = true;
            }
        }
        put_months(out, pms, start[a], a1);
    }
    free(start);
    free(done);
}

void
relnote_completeness(struct sbuf *out, const struct refdata *rd,
                     const struct pm *missing, size_t n)
{
    if (n == 0)
        return;
    sbuf_addstr(out, "注：本期数据不含");
    relnote_pairs(out, rd, missing, n);
    sbuf_addstr(out, "数据（截至发布时尚未报送）。\n\n");
}

/* v as the release shows it (auto unit), or exactly (base unit). */
static void
put_value(struct sbuf *out, const struct relnote_change *c, int64_t v,
          bool exact)
{
    struct figfmt f;
    size_t bad;
    enum figfmt_kind kind = c->amount ? FIGFMT_AMOUNT : FIGFMT_COUNT;
    if (exact)
        figfmt_parse("base", 4, kind, &f, &bad);
    else
        figfmt_init(&f, kind);
    if (c->amount)
        figfmt_amount(out, v, &f);
    else
        figfmt_count(out, v, c->word, &f);
}

void
relnote_revision(struct sbuf *out, const struct refdata *rd, struct period was,
                 const struct relnote_change *ch, size_t nch,
                 const struct pm *causes, size_t ncauses,
                 const char *next_words)
{
    char span[PERIOD_LABEL_MAX];
    struct pm *re, *late;
    size_t nre = 0, nlate = 0;

    if (nch == 0)
        return;
    re = xreallocarray(NULL, ncauses + 1, sizeof(*re));
    late = xreallocarray(NULL, ncauses + 1, sizeof(*late));
    for (size_t i = 0; i < ncauses; i++) {
        if (!causes[i].changed)
            continue; /* sent again, the same figures */
        if (causes[i].revised)
            re[nre++] = causes[i];
        else
            late[nlate++] = causes[i];
    }
    period_range_label(span, sizeof(span), period_year_to_date(was));
    sbuf_addstr(out, "修订说明：");
    if (nre + nlate > 0) {
        sbuf_addstr(out, "因");
        if (nre > 0) {
            relnote_pairs(out, rd, re, nre);
            sbuf_addstr(out, "数据重报");
        }
        if (nlate > 0) {
            if (nre > 0)
                sbuf_addstr(out, "、");
            relnote_pairs(out, rd, late, nlate);
            sbuf_addstr(out, "数据补报");
        }
        sbuf_addstr(out, "，");
    }
    sbuf_addf(out, "已发布的%s数据修订如下：", span);
    for (size_t i = 0; i < nch; i++) {
        const struct relnote_change *c = &ch[i];
        struct sbuf a = SBUF_INIT, b = SBUF_INIT;
        put_value(&a, c, c->old_v, false);
        put_value(&b, c, c->new_v, false);
        if (strcmp(a.buf, b.buf) == 0) {
            sbuf_reset(&a);
            sbuf_reset(&b);
            put_value(&a, c, c->old_v, true);
            put_value(&b, c, c->new_v, true);
        }
        sbuf_addf(out, "%s%s由%s修订为%s", i > 0 ? "；" : "", c->label, a.buf,
                  b.buf);
        sbuf_release(&a);
        sbuf_release(&b);
    }
    sbuf_addstr(out, "。");
    if (next_words != NULL && *next_words != '\0')
        sbuf_addf(out, "本期%s按修订后数据计算。", next_words);
    sbuf_addstr(out, "\n\n");
    free(re);
    free(late);
}
