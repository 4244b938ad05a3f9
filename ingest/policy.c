/* SPDX-License-Identifier: MIT */
#include "ingest/policy.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/diag.h"
#include "common/i18n.h"
#include "common/period.h"
#include "common/sbuf.h"
#include "common/xalloc.h"
#include "ingest/csvread.h"

#define POLICY_FILE "policy.csv"

static const char *const measures[POLICY_N] = {
    "near_relatives",
    "cross_area",
    "cross_province",
};

int
policy_parse_date(const char *s, size_t len)
{
    int day;

    if (period_parse_date(s, len, &day) < 0 || day / 10000 < PERIOD_MIN_YEAR ||
        day / 10000 > PERIOD_MAX_YEAR)
        return -1;
    return day;
}

struct load_ctx {
    struct policy *p;
    const char *file;
    struct diag *err;
    bool known_col; /* the table has the column known */
};

static int
on_row(const struct csvread_row *row, void *data)
{
    struct load_ctx *c = data;
    const struct csvread_field *f = row->fields;

    if (row->index == 0) {
        bool six = row->nfields == 6 && strcmp(f[4].s, "known") == 0 &&
                   strcmp(f[5].s, "note") == 0;
        bool five = row->nfields == 5 && strcmp(f[4].s, "note") == 0;
        if ((five || six) && strcmp(f[0].s, "province") == 0 &&
            strcmp(f[1].s, "measure") == 0 && strcmp(f[2].s, "status") == 0 &&
            strcmp(f[3].s, "since") == 0) {
            c->known_col = six;
            return 0;
        }
        diag_set(c->err, DIAG_CONFIG,
                 _("header must be province,measure,status,since,known,note"));
        c->err->line = row->line;
        return -1;
    }
    if (row->nfields != (c->known_col ? 6u : 5u))
        goto bad;
    struct policy_row r;
    memset(&r, 0, sizeof(r));
    char *end;
    long prov = strtol(f[0].s, &end, 10);
    if (f[0].len != 6 || *end != '\0' || prov % 10000 != 0)
        goto bad;
    r.province = (int)prov;
    int m = -1;
    for (int k = 0; k < POLICY_N; k++)
        if (strcmp(f[1].s, measures[k]) == 0)
            m = k;
    if (m < 0)
        goto bad;
    r.measure = (enum policy_measure)m;
    if (strcmp(f[2].s, "full") == 0)
        r.status = POLICY_FULL;
    else if (strcmp(f[2].s, "partial") == 0)
        r.status = POLICY_PARTIAL;
    else if (strcmp(f[2].s, "none") == 0)
        r.status = POLICY_NONE;
    else
        goto bad;
    r.since = policy_parse_date(f[3].s, f[3].len);
    if (r.since < 0)
        goto bad;
    if (c->known_col) {
        if (strcmp(f[4].s, "by") == 0)
            r.by = true;
        else if (strcmp(f[4].s, "since") != 0)
            goto bad;
    }
    r.note = xmemdupz(f[c->known_col ? 5 : 4].s, f[c->known_col ? 5 : 4].len);
    c->p->rows =
        xreallocarray(c->p->rows, c->p->nrows + 1, sizeof(*c->p->rows));
    c->p->rows[c->p->nrows++] = r;
    return 0;
bad:
    diag_set(c->err, DIAG_CONFIG,
             _("expected province,measure(near_relatives|cross_area|"
               "cross_province),status(none|partial|full),since(YYYY-MM-DD),"
               "known(since|by),note"));
    c->err->line = row->line;
    return -1;
}

int
policy_load(struct policy *p, const char *dir, struct diag *err)
{
    struct sbuf path = SBUF_INIT, raw = SBUF_INIT;
    char chunk[8192];
    size_t n;
    int ret = -1;

    memset(p, 0, sizeof(*p));
    sbuf_addf(&path, "%s/%s", dir, POLICY_FILE);
    FILE *fp = fopen(path.buf, "rb");
    if (fp == NULL) {
        diag_set(err, DIAG_CONFIG, _("cannot open %s: %s"), path.buf,
                 strerror(errno));
        goto out;
    }
    while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
        sbuf_add(&raw, chunk, n);
    fclose(fp);
    struct load_ctx c = {p, POLICY_FILE, err, false};
    int rc = csvread_buffer(raw.buf, raw.len, POLICY_FILE, on_row, &c, err);
    if (rc != 0) {
        err->file = POLICY_FILE;
        goto out;
    }
    ret = 0;
out:
    if (ret < 0)
        policy_release(p);
    sbuf_release(&path);
    sbuf_release(&raw);
    return ret;
}

void
policy_release(struct policy *p)
{
    for (size_t i = 0; i < p->nrows; i++)
        free(p->rows[i].note);
    free(p->rows);
    memset(p, 0, sizeof(*p));
}

enum policy_status
policy_status_on(const struct policy *p, int province, enum policy_measure m,
                 int date, const char **note, bool *known)
{
    const struct policy_row *best = NULL, *next = NULL;
    for (size_t i = 0; i < p->nrows; i++) {
        const struct policy_row *r = &p->rows[i];
        if (r->province != province || r->measure != m)
            continue;
        if (r->since <= date && (best == NULL || r->since >= best->since))
            best = r;
        if (r->since > date && (next == NULL || r->since < next->since))
            next = r;
    }
    enum policy_status st = best ? best->status : POLICY_NONE;
    if (note != NULL)
        *note = best ? best->note : NULL;
    if (known != NULL)
        *known = (best != NULL && best->since == date) ||
                 !(next != NULL && next->by && next->status != st);
    return st;
}
