/* SPDX-License-Identifier: MIT */
#include "cli/release.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aggregate/review.h"
#include "aggregate/revisions.h"
#include "aggregate/rollup.h"
#include "aggregate/store.h"
#include "cli/cli.h"
#include "common/diag.h"
#include "common/i18n.h"
#include "common/money.h"
#include "common/sbuf.h"
#include "common/sha256.h"
#include "common/xalloc.h"
#include "ingest/refdata.h"
#include "report/bulletin.h"
#include "report/bulletinfig.h"
#include "report/relnote.h"

void
cli_now_iso(char *buf, size_t len)
{
    time_t t = time(NULL);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    struct tm tm;
    if (sde != NULL && *sde != '\0')
        t = (time_t)strtoll(sde, NULL, 10);
    gmtime_r(&t, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int
release_gate(const char *cmd, struct store *st, const struct refdata *rd,
             struct period p, int province, bool allow, bool quiet,
             struct sbuf *note, struct diag *err)
{
    struct period_range r = period_year_to_date(p);
    struct pm *miss = NULL;
    size_t n = 0;
    char span[PERIOD_LABEL_MAX];

    if (revisions_missing(st, rd, r, province, &miss, &n, err) < 0)
        return -1;
    if (n == 0)
        return EXIT_OK;
    struct sbuf list = SBUF_INIT;
    relnote_pairs(&list, rd, miss, n);
    period_range_label(span, sizeof(span), r);
    int ret = EXIT_OK;
    if (allow) {
        relnote_completeness(note, rd, miss, n);
        if (!quiet)
            fprintf(stderr,
                    _("gongji %s: warning: %s is incomplete: nothing is "
                      "stored for %zu province-month(s): %s; the release "
                      "says it does not include them\n"),
                    cmd, span, n, list.buf);
    } else {
        fprintf(stderr,
                _("gongji %s: error: %s is incomplete: nothing is stored "
                  "for %zu province-month(s): %s\n"),
                cmd, span, n, list.buf);
        fprintf(stderr,
                _("gongji %s: a release would count them as zero; ingest "
                  "them, or give --allow-incomplete to publish without "
                  "them (the text then says \"不含…数据\"); nothing was "
                  "written\n"),
                cmd);
        ret = EXIT_DATA;
    }
    sbuf_release(&list);
    free(miss);
    return ret;
}

/* ---------------------------------------------------------------------- */
/* 修订说明                                                               */
/* ---------------------------------------------------------------------- */

struct prev_release {
    struct period before; /* releases of months before this */
    int province;
    bool found;
    int64_t id, vintage;
    struct period period;
    struct sbuf figures;
};

static int
on_release(const struct store_release *rel, void *ctx)
{
    struct prev_release *pr = ctx;
    if (rel->province != pr->province ||
        period_cmp(rel->period, pr->before) >= 0)
        return 0;
    /* the latest of the latest month */
    if (pr->found && period_cmp(rel->period, pr->period) < 0)
        return 0;
    pr->found = true;
    pr->id = rel->id;
    pr->vintage = rel->vintage;
    pr->period = rel->period;
    sbuf_reset(&pr->figures);
    sbuf_addstr(&pr->figures, rel->figures);
    return 0;
}

/* A recorded value ("1234.56" yuan, or a count) back to fen or a count. */
static bool
parse_recorded(const char *s, size_t len, bool amount, int64_t *v)
{
    struct diag err;
    diag_clear(&err);
    return amount ? money_parse(s, len, v, "value", &err) == 0
                  : count_parse(s, len, v, "value", &err) == 0;
}

/* One level figure a release printed, and what the data give now. */
struct level_fig {
    const char *name; /* not terminated: nlen bytes */
    size_t nlen;
    int64_t now, was;
    bool amount;
    const char *word;  /* the count's word */
    const char *label; /* its Chinese description */
};

typedef void level_fn(const struct level_fig *f, void *ctx);

/*
 * For each line "name,value" of a release's figures that names a level
 * figure (report/bulletinfig.h) with a value that reads back: fn() with
 * its value now in `in`.
 */
static void
each_level(const struct bulletin_input *in, const char *figures, level_fn *fn,
           void *ctx)
{
    struct sbuf label = SBUF_INIT;
    for (const char *l = figures; l != NULL && *l != '\0';) {
        const char *nl = strchr(l, '\n'), *comma;
        size_t n = nl != NULL ? (size_t)(nl - l) : strlen(l);
        struct level_fig f;
        comma = memchr(l, ',', n);
        sbuf_reset(&label);
        if (comma != NULL) {
            f.name = l;
            f.nlen = (size_t)(comma - l);
            if (bulletinfig_level(in, l, f.nlen, &f.now, &f.amount, &f.word,
                                  &label) &&
                parse_recorded(comma + 1, (size_t)(l + n - comma - 1), f.amount,
                               &f.was)) {
                f.label = label.buf;
                fn(&f, ctx);
            }
        }
        l = nl != NULL ? nl + 1 : NULL;
    }
    sbuf_release(&label);
}

struct changes {
    struct relnote_change *v;
    size_t n;
};

static void
on_change(const struct level_fig *f, void *ctx)
{
    struct changes *c = ctx;
    if (f->now == f->was)
        return;
    c->v = xreallocarray(c->v, c->n + 1, sizeof(*c->v));
    c->v[c->n].label = xstrdup(f->label);
    c->v[c->n].amount = f->amount;
    c->v[c->n].word = f->word;
    c->v[c->n].old_v = f->was;
    c->v[c->n].new_v = f->now;
    c->n++;
}

int
release_revision_note(struct store *st, const struct refdata *rd,
                      const struct policy *pol, int as_of, struct period p,
                      int province, struct sbuf *note, struct diag *err)
{
    struct prev_release pr;
    struct rollup rp;
    struct relnote_change *ch = NULL;
    size_t nch = 0;
    struct pm *causes = NULL;
    size_t ncauses = 0;
    int ret = -1;

    memset(&pr, 0, sizeof(pr));
    memset(&rp, 0, sizeof(rp));
    pr.before = p;
    pr.province = province;
    if (store_releases(st, on_release, &pr, err) < 0)
        goto out;
    if (!pr.found) {
        ret = 0;
        goto out;
    }
    if (rollup_build(st, rd, pr.period, province, &rp, err) < 0)
        goto out;
    struct bulletin_input in = {&rp, rd, pol, as_of, NULL, NULL, NULL, NULL};
    struct changes chs = {NULL, 0};
    each_level(&in, pr.figures.buf, on_change, &chs);
    ch = chs.v;
    nch = chs.n;
    if (nch > 0) {
        if (revisions_since(st, pr.vintage, period_year_to_date(pr.period),
                            province, &causes, &ncauses, err) < 0)
            goto out;
        char words[64] = "";
        /* the release before in the same year: this one's increases */
        if (pr.period.year == p.year) {
            char span[PERIOD_LABEL_MAX];
            period_range_label(span, sizeof(span),
                               period_year_to_date(pr.period));
            /* "2024年1-11月" -> "比1-11月增长" */
            const char *m = strstr(span, "年");
            snprintf(words, sizeof(words), "比%s增长",
                     m != NULL ? m + strlen("年") : span);
        }
        relnote_revision(note, rd, pr.period, ch, nch, causes, ncauses, words);
    }
    ret = 0;
out:
    for (size_t i = 0; i < nch; i++)
        free(ch[i].label);
    free(ch);
    free(causes);
    rollup_release(&rp);
    sbuf_release(&pr.figures);
    return ret;
}

/* ---------------------------------------------------------------------- */
/* The review against the releases                                         */
/* ---------------------------------------------------------------------- */

/* The last release of a region up to a month, and the last before one. */
struct region_releases {
    int province;
    struct period upto;   /* last: period <= upto */
    struct period before; /* prev: period < before, the same year */
    struct prev_release last, prev;
    int64_t last_id, prev_id;
};

static void
keep(struct prev_release *dst, const struct store_release *rel)
{
    dst->found = true;
    dst->id = rel->id;
    dst->vintage = rel->vintage;
    dst->period = rel->period;
    sbuf_reset(&dst->figures);
    sbuf_addstr(&dst->figures, rel->figures);
}

static int
on_region_release(const struct store_release *rel, void *ctx)
{
    struct region_releases *rr = ctx;
    if (rel->province != rr->province)
        return 0;
    if (period_cmp(rel->period, rr->upto) <= 0)
        keep(&rr->last, rel); /* ids ascend: the last one wins */
    if (period_cmp(rel->period, rr->before) < 0 &&
        rel->period.year == rr->before.year &&
        (!rr->prev.found || period_cmp(rel->period, rr->prev.period) >= 0))
        keep(&rr->prev, rel);
    return 0;
}

static void
finding_init(struct review_finding *f, enum review_severity sev,
             enum review_check check, int province, struct period p)
{
    memset(f, 0, sizeof(*f));
    f->severity = sev;
    f->check = check;
    f->province = province;
    f->period = period_to_yyyymm(p);
    f->channel = f->use = f->scope = -1;
    f->ratio = (double)NAN;
}

static void
set_values(struct review_finding *f, enum review_measure m, int64_t now,
           int64_t was)
{
    f->measure = m;
    f->has_value = f->has_reference = true;
    f->value = now;
    f->reference = was;
    f->ratio = was != 0 ? (double)now / (double)was : (double)NAN;
}

/* The files of the changed province-months, ';'-joined, into out. */
static void
cause_files(struct sbuf *out, const struct pm *pms, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!pms[i].changed || strstr(out->buf ? out->buf : "", pms[i].file))
            continue;
        if (out->len > 0)
            sbuf_addch(out, ';');
        sbuf_addstr(out, pms[i].file);
    }
}

struct compare_ctx {
    struct review_result *res;
    const struct bulletin_input *rep; /* the release as the store's
                                         history reproduces it, or NULL */
    const struct prev_release *rel;
    const struct rollup *now;
    bool fall;
    enum review_severity sev;
    const char *files;
    int province;
};

static void
on_compare(const struct level_fig *lf, void *ctx)
{
    const struct compare_ctx *c = ctx;
    if (c->fall ? lf->now >= lf->was || strncmp(lf->name, "month.", 6) == 0
                : lf->now == lf->was)
        return;
    /*
     * A fall is explained when the store at the release's vintage still
     * gives what it printed (its history is whole) and resubmissions came
     * since; otherwise data changed without one: an error.
     */
    enum review_severity sev = c->sev;
    if (c->fall) {
        int64_t r;
        bool ra;
        const char *rw;
        struct sbuf rl = SBUF_INIT;
        if (c->rep == NULL ||
            !bulletinfig_level(c->rep, lf->name, lf->nlen, &r, &ra, &rw, &rl) ||
            r != lf->was)
            sev = REVIEW_ERROR;
        sbuf_release(&rl);
    }
    struct review_finding f;
    finding_init(&f, sev, c->fall ? RC_CUMULATIVE_FALL : RC_PUBLISHED_REVISED,
                 c->province, c->rel->period);
    if (c->fall)
        f.period = period_to_yyyymm(c->now->period);
    set_values(&f, lf->amount ? RM_AMOUNT : RM_COUNT, lf->now, lf->was);
    struct sbuf name = SBUF_INIT;
    sbuf_add(&name, lf->name, lf->nlen);
    /* an unexplained fall names no file as its cause */
    char *fl = c->files != NULL && *c->files != '\0' &&
                       !(c->fall && sev == REVIEW_ERROR)
                   ? xstrdup(c->files)
                   : NULL;
    char *label = xstrdup(lf->label);
    f.figure = name.buf;
    f.figure_label = label;
    f.files = fl;
    review_list_append(&c->res->findings, &f);
    sbuf_release(&name);
    free(label);
    free(fl);
}

/*
 * Compare the level figures rel printed with the rollup `now`: a finding
 * for each that differs (fall: only cumulative ones below what was
 * printed).
 */
static void
compare_figures(struct review_result *res, const struct refdata *rd,
                const struct rollup *now, const struct rollup *rep,
                const struct prev_release *rel, bool fall,
                enum review_severity sev, const char *files, int province)
{
    struct bulletin_input in = {now, rd, NULL, 0, NULL, NULL, NULL, NULL};
    struct bulletin_input in_rep = {rep, rd, NULL, 0, NULL, NULL, NULL, NULL};
    struct compare_ctx c = {
        res,     rep != NULL ? &in_rep : NULL, rel, now, fall, sev, files,
        province};
    each_level(&in, rel->figures.buf, on_compare, &c);
}

int
release_review(struct store *st, const struct refdata *rd,
               struct period_range range, int province,
               struct review_result *res, struct diag *err)
{
    struct region_releases rr;
    struct pm *pms = NULL, *since_prev = NULL;
    size_t n = 0, nprev = 0;
    struct rollup rl, rn, rp;
    struct sbuf files = SBUF_INIT, pfiles = SBUF_INIT;
    int ret = -1;

    memset(&rr, 0, sizeof(rr));
    memset(&rl, 0, sizeof(rl));
    memset(&rn, 0, sizeof(rn));
    memset(&rp, 0, sizeof(rp));
    rr.province = province;
    rr.upto = range.last;
    rr.before = range.last;
    if (store_releases(st, on_region_release, &rr, err) < 0)
        goto out;
    if (rr.last.found) {
        /* what changed since, inside what it published */
        struct period_range r = {range.first, rr.last.period};
        if (period_cmp(r.first, r.last) > 0)
            r.first = r.last;
        if (revisions_since(st, rr.last.vintage, r, province, &pms, &n, err) <
            0)
            goto out;
        for (size_t i = 0; i < n; i++) {
            if (!pms[i].changed)
                continue; /* sent again, the same figures */
            struct review_finding f;
            finding_init(&f, REVIEW_WARNING, RC_REVISED, pms[i].province,
                         pms[i].period);
            set_values(&f, RM_AMOUNT, pms[i].amount_fen, pms[i].old_amount_fen);
            f.files = pms[i].file;
            review_list_append(&res->findings, &f);
        }
        cause_files(&files, pms, n);
        if (rollup_build(st, rd, rr.last.period, province, &rl, err) < 0)
            goto out;
        compare_figures(res, rd, &rl, NULL, &rr.last, false, REVIEW_WARNING,
                        files.buf, province);
    }
    if (rr.prev.found) {
        if (revisions_since(st, rr.prev.vintage,
                            period_year_to_date(rr.prev.period), province,
                            &since_prev, &nprev, err) < 0)
            goto out;
        cause_files(&pfiles, since_prev, nprev);
        if (rollup_build(st, rd, range.last, province, &rn, err) < 0)
            goto out;
        /* the release as the store's history reproduces it */
        int64_t was = store_vintage(st);
        store_set_vintage(st, rr.prev.vintage);
        int rc = rollup_build(st, rd, rr.prev.period, province, &rp, err);
        store_set_vintage(st, was);
        if (rc < 0)
            goto out;
        /* flows are never negative: only a resubmission lowers a
           cumulative figure, and then it is named */
        compare_figures(res, rd, &rn, &rp, &rr.prev, true,
                        pfiles.len > 0 ? REVIEW_WARNING : REVIEW_ERROR,
                        pfiles.buf, province);
    }
    review_result_recount(res);
    ret = 0;
out:
    free(pms);
    free(since_prev);
    rollup_release(&rl);
    rollup_release(&rn);
    rollup_release(&rp);
    sbuf_release(&files);
    sbuf_release(&pfiles);
    sbuf_release(&rr.last.figures);
    sbuf_release(&rr.prev.figures);
    return ret;
}

/* ---------------------------------------------------------------------- */
/* The record                                                             */
/* ---------------------------------------------------------------------- */

static int
cmp_hex(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* SHA-256 of the sorted SHA-256s of the file versions the release used. */
static void
fingerprint(const struct rollup *r, char hex[SHA256_HEX_LEN + 1])
{
    const char **v = xreallocarray(NULL, r->nsources + 1, sizeof(*v));
    struct sbuf all = SBUF_INIT;
    for (size_t i = 0; i < r->nsources; i++)
        v[i] = r->sources[i].sha256;
    qsort(v, r->nsources, sizeof(*v), cmp_hex);
    for (size_t i = 0; i < r->nsources; i++)
        sbuf_addf(&all, "%s\n", v[i]);
    sha256_hex(all.buf != NULL ? all.buf : "", all.len, hex);
    sbuf_release(&all);
    free(v);
}

int64_t
release_record(const char *cmd, const char *db, const struct rollup *r,
               const struct release_info *info, bool quiet)
{
    struct diag err;
    struct store_release rel;
    char now[32], fp[SHA256_HEX_LEN + 1];
    int64_t id = 0;
    const char *slash = strrchr(info->template_path, '/');
    const char *figs = info->figures->buf;

    diag_clear(&err);
    memset(&rel, 0, sizeof(rel));
    cli_now_iso(now, sizeof(now));
    fingerprint(r, fp);
    /* figures.csv without its header line */
    if (figs != NULL && strncmp(figs, "figure,value\n", 13) == 0)
        figs += 13;
    rel.period = r->period;
    rel.province = r->province;
    rel.style = info->style;
    rel.template_name = slash != NULL ? slash + 1 : info->template_path;
    rel.released_at = now;
    rel.vintage = info->vintage;
    rel.fingerprint = fp;
    rel.figures = figs != NULL ? figs : "";

    struct store *st = store_open(db, STORE_WRITE, &err);
    if (st == NULL || store_begin(st, &err) < 0)
        goto fail;
    if (store_release_add(st, &rel, &id, &err) < 0 ||
        store_commit(st, &err) < 0) {
        store_rollback(st);
        id = 0;
        goto fail;
    }
    store_close(st);
    if (!quiet)
        printf(_("recorded release %lld (vintage: submissions up to #%lld)\n"),
               (long long)id, (long long)info->vintage);
    return id;
fail:
    store_close(st);
    fprintf(stderr,
            _("gongji %s: warning: the release was written but not "
              "recorded in the store: %s\n"),
            cmd, err.msg);
    return 0;
}
