/* SPDX-License-Identifier: MIT */
/*
 * aggregate/store_vintage.c - the store as it stood at an earlier time
 * (vintages), and the releases recorded in it (store.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "aggregate/store.h"
#include "aggregate/store_int.h"
#include "common/diag.h"
#include "common/i18n.h"
#include "common/sbuf.h"

void
store_set_vintage(struct store *st, int64_t vintage)
{
    st->vintage = vintage > 0 ? vintage : 0;
    if (st->vintage == 0)
        return;
    /*
     * In effect at V: stored by V and not replaced since (fact), or
     * stored by V and replaced only after it (fact_history).  The period
     * condition of a reader is pushed into both arms, which keeps the
     * primary key's order for fact; fact_history is found by its
     * replaced_by index.  V is a number, never text from a user.
     */
    const char *chan = store_fact_channel(st);
    bool chan_col = strcmp(chan, "channel") == 0;
    snprintf(st->fact_src, sizeof(st->fact_src),
             "(SELECT period, province, area, %s scope, use, relation, "
             "person_times, amount_fen, submission_id, source_line FROM fact "
             "WHERE submission_id <= %lld UNION ALL "
             "SELECT period, province, area, %s scope, use, relation, "
             "person_times, amount_fen, submission_id, source_line "
             "FROM fact_history WHERE replaced_by > %lld AND "
             "submission_id <= %lld)",
             chan_col ? "channel," : "", st->vintage,
             chan_col ? "channel," : "", st->vintage, st->vintage);
}

int64_t
store_vintage(const struct store *st)
{
    return st->vintage;
}

void
store_set_release_cut(struct store *st, int64_t last)
{
    st->has_release_cut = true;
    st->release_cut = last;
}

const char *
store_fact_source(const struct store *st)
{
    return st->vintage > 0 ? st->fact_src : "fact";
}

const char *
store_fact_key_source(const struct store *st, char *buf, size_t len)
{
    if (!st->has_fact_key)
        return NULL;
    if (st->vintage == 0)
        snprintf(buf, len,
                 "(SELECT period, province, channel, scope, use, "
                 "person_times, amount_fen FROM fact_key "
                 "WHERE replaced_by IS NULL)");
    else
        snprintf(buf, len,
                 "(SELECT period, province, channel, scope, use, "
                 "person_times, amount_fen FROM fact_key "
                 "WHERE submission_id <= %lld AND (replaced_by IS NULL OR "
                 "replaced_by > %lld))",
                 st->vintage, st->vintage);
    return buf;
}

const char *
store_coverage_current(const struct store *st, char *buf, size_t len)
{
    if (st->vintage == 0)
        snprintf(buf, len, "c.replaced_by IS NULL");
    else
        snprintf(buf, len,
                 "c.submission_id <= %lld AND (c.replaced_by IS NULL OR "
                 "c.replaced_by > %lld)",
                 st->vintage, st->vintage);
    return buf;
}

/* One integer from sql with ?1 bound to text t (NULL: nothing bound). */
static int
select_int(struct store *st, const char *sql, const char *t, int64_t *v,
           struct diag *err)
{
    sqlite3_stmt *s = NULL;
    *v = 0;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return store_error(st, err, "prepare");
    if (t != NULL)
        sqlite3_bind_text(s, 1, t, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_error(st, err, "read");
    return 0;
}

int
store_last_submission(struct store *st, int64_t *id, struct diag *err)
{
    return select_int(st, "SELECT coalesce(max(id), 0) FROM submission", NULL,
                      id, err);
}

int
store_vintage_at(struct store *st, const char *iso, int64_t *vintage,
                 struct diag *err)
{
    int64_t early, late;
    if (select_int(st,
                   "SELECT coalesce(max(id), 0) FROM submission "
                   "WHERE ingested_at <= ?1",
                   iso, vintage, err) < 0 ||
        select_int(st,
                   "SELECT coalesce(min(id), 0) FROM submission "
                   "WHERE ingested_at > ?1",
                   iso, &late, err) < 0)
        return -1;
    if (late == 0 || late > *vintage)
        return 0;
    /* a submission stored later has an earlier time: name both */
    sqlite3_stmt *s = NULL;
    static const char sql[] = "SELECT id, file, ingested_at FROM submission "
                              "WHERE id IN (?1, ?2) ORDER BY id";
    char what[2][320];
    early = late;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return store_error(st, err, "prepare");
    sqlite3_bind_int64(s, 1, early);
    sqlite3_bind_int64(s, 2, *vintage);
    for (int i = 0; i < 2; i++) {
        what[i][0] = '\0';
        if (sqlite3_step(s) == SQLITE_ROW)
            snprintf(what[i], sizeof(what[i]), "#%lld %s (%s)",
                     (long long)sqlite3_column_int64(s, 0),
                     (const char *)sqlite3_column_text(s, 1),
                     (const char *)sqlite3_column_text(s, 2));
    }
    sqlite3_finalize(s);
    return diag_set(err, DIAG_DATA,
                    _("the store's submissions are not in the order of "
                      "their times (%s was stored before %s), so the time "
                      "%s does not say which were in; give a release or a "
                      "time before or after both"),
                    what[0], what[1], iso);
}

static bool
has_releases(const struct store *st)
{
    return st->version == 0 || st->version >= 5;
}

int
store_release_at(struct store *st, const char *iso, int64_t *id,
                 struct diag *err)
{
    *id = 0;
    if (!has_releases(st))
        return 0;
    return select_int(st,
                      "SELECT coalesce(max(id), 0) FROM release "
                      "WHERE released_at <= ?1",
                      iso, id, err);
}

int
store_release_add(struct store *st, const struct store_release *r, int64_t *id,
                  struct diag *err)
{
    static const char ins[] =
        "INSERT INTO release (period, province, style, template, "
        "released_at, vintage, fingerprint) VALUES (?,?,?,?,?,?,?)";
    static const char fig[] = "INSERT INTO release_figure (release_id, seq, "
                              "name, value) VALUES (?,?,?,?)";
    sqlite3_stmt *s = NULL, *f = NULL;
    char per[PERIOD_LABEL_MAX];
    int ret = -1;

    if (!has_releases(st))
        return diag_set(err, DIAG_NOINPUT,
                        _("store %s: its schema (version %d) has no "
                          "releases; open it once with write access to "
                          "migrate it"),
                        st->path, st->version);
    if (sqlite3_prepare_v2(st->db, ins, -1, &s, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(st->db, fig, -1, &f, NULL) != SQLITE_OK) {
        store_error(st, err, "prepare");
        goto out;
    }
    sqlite3_bind_text(s, 1, period_format(per, sizeof(per), r->period), -1,
                      SQLITE_TRANSIENT);
    sqlite3_bind_int(s, 2, r->province);
    sqlite3_bind_text(s, 3, r->style, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, r->template_name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, r->released_at, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 6, r->vintage);
    sqlite3_bind_text(s, 7, r->fingerprint, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE) {
        store_error(st, err, "record the release");
        goto out;
    }
    *id = sqlite3_last_insert_rowid(st->db);
    int seq = 0;
    for (const char *p = r->figures; p != NULL && *p != '\0';) {
        const char *nl = strchr(p, '\n');
        size_t n = nl != NULL ? (size_t)(nl - p) : strlen(p);
        const char *comma = memchr(p, ',', n);
        if (comma != NULL) {
            sqlite3_reset(f);
            sqlite3_bind_int64(f, 1, *id);
            sqlite3_bind_int(f, 2, ++seq);
            sqlite3_bind_text(f, 3, p, (int)(comma - p), SQLITE_TRANSIENT);
            sqlite3_bind_text(f, 4, comma + 1, (int)(p + n - comma - 1),
                              SQLITE_TRANSIENT);
            if (sqlite3_step(f) != SQLITE_DONE) {
                store_error(st, err, "record the release's figures");
                goto out;
            }
        }
        p = nl != NULL ? nl + 1 : NULL;
    }
    ret = 0;
out:
    sqlite3_finalize(s);
    sqlite3_finalize(f);
    return ret;
}

int
store_releases(struct store *st, store_release_fn *fn, void *ctx,
               struct diag *err)
{
    static const char sql[] =
        "SELECT id, period, province, style, template, released_at, "
        "vintage, fingerprint FROM release WHERE id <= ?1 ORDER BY id";
    static const char fig[] = "SELECT name, value FROM release_figure "
                              "WHERE release_id = ?1 ORDER BY seq";
    sqlite3_stmt *s = NULL, *f = NULL;
    struct sbuf figs = SBUF_INIT;
    int ret = 0, rc;

    if (!has_releases(st))
        return 0;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(st->db, fig, -1, &f, NULL) != SQLITE_OK) {
        ret = store_error(st, err, "prepare");
        goto out;
    }
    sqlite3_bind_int64(s, 1, st->has_release_cut ? st->release_cut : INT64_MAX);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct store_release r;
        const char *per = (const char *)sqlite3_column_text(s, 1);
        struct diag perr;
        memset(&r, 0, sizeof(r));
        r.id = sqlite3_column_int64(s, 0);
        if (per != NULL)
            period_parse(&r.period, per, strlen(per), &perr);
        r.province = sqlite3_column_int(s, 2);
        r.style = (const char *)sqlite3_column_text(s, 3);
        r.template_name = (const char *)sqlite3_column_text(s, 4);
        r.released_at = (const char *)sqlite3_column_text(s, 5);
        r.vintage = sqlite3_column_int64(s, 6);
        r.fingerprint = (const char *)sqlite3_column_text(s, 7);
        sbuf_reset(&figs);
        sqlite3_reset(f);
        sqlite3_bind_int64(f, 1, r.id);
        while ((rc = sqlite3_step(f)) == SQLITE_ROW)
            sbuf_addf(&figs, "%s,%s\n", sqlite3_column_text(f, 0),
                      sqlite3_column_text(f, 1));
        if (rc != SQLITE_DONE) {
            ret = store_error(st, err, "read the release's figures");
            goto out;
        }
        r.figures = figs.buf != NULL ? figs.buf : "";
        if (fn(&r, ctx) != 0)
            goto out;
    }
    if (rc != SQLITE_DONE)
        ret = store_error(st, err, "read the releases");
out:
    sqlite3_finalize(s);
    sqlite3_finalize(f);
    sbuf_release(&figs);
    return ret;
}
