/* SPDX-License-Identifier: MIT */
/* _DEFAULT_SOURCE: timegm (glibc; POSIX has no inverse of gmtime). */
#define _DEFAULT_SOURCE
/*
 * cli/vintage.c - --vintage: which earlier state of the store a command
 * reads (cli/options.h, aggregate/store.h).
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aggregate/store.h"
#include "cli/options.h"
#include "common/diag.h"
#include "common/i18n.h"
#include "common/period.h"

#define BEIJING_OFFSET_S (8 * 3600)

/* Digits s[0..n) as a number, or -1. */
static int
digits(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/*
 * A time of one of the forms of options.h into iso (UTC); false when s is
 * none of them or not a real date.
 */
static bool
parse_time(const char *s, char *iso, size_t len)
{
    size_t n = strlen(s);
    int y, mo, d, h = 23, mi = 59, sec = 59;
    bool utc = false;

    if (n < 10 || s[4] != '-' || s[7] != '-')
        return false;
    y = digits(s, 4);
    mo = digits(s + 5, 2);
    d = digits(s + 8, 2);
    if (n > 10) {
        const char *t = s + 10;
        size_t k = n - 10;
        if (t[k - 1] == 'Z') {
            utc = true;
            k--;
        }
        if ((t[0] != 'T' && t[0] != ' ') || (k != 6 && k != 9) || t[3] != ':')
            return false;
        h = digits(t + 1, 2);
        mi = digits(t + 4, 2);
        sec = 0;
        if (k == 9) {
            if (t[6] != ':')
                return false;
            sec = digits(t + 7, 2);
        }
    } else if (utc) {
        return false;
    }
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 ||
        mi > 59 || sec < 0 || sec > 59 ||
        d > period_month_end((struct period){y, mo}) % 100)
        return false;
    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    time_t t = timegm(&tm);
    if (!utc)
        t -= BEIJING_OFFSET_S;
    gmtime_r(&t, &tm);
    strftime(iso, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return true;
}

struct find_release {
    int64_t id;        /* wanted id, or 0 */
    struct period per; /* ... or the last national one of this month */
    struct store_release found;
    bool ok;
};

static int
on_release(const struct store_release *r, void *ctx)
{
    struct find_release *f = ctx;
    if (f->id != 0 ? r->id == f->id
                   : r->province == 0 && period_cmp(r->period, f->per) == 0) {
        f->found.id = r->id;
        f->found.vintage = r->vintage;
        f->ok = true;
    }
    return 0;
}

static int
bad_vintage(const char *opt, const char *v, struct diag *err)
{
    return diag_set(err, DIAG_USAGE,
                    _("%s '%s' is not a time (YYYY-MM-DD, "
                      "YYYY-MM-DDTHH:MM 北京时间, or "
                      "YYYY-MM-DDTHH:MM:SSZ) nor release:N or "
                      "release:YYYY-MM"),
                    opt, v);
}

int
options_resolve_vintage(const char *opt, const char *v, struct store *st,
                        int64_t *sub_out, int64_t *cut_out, char *what,
                        size_t wlen, struct diag *err)
{
    char iso[32];
    int64_t sub = 0, cut = 0;

    if (strncmp(v, "release:", 8) == 0) {
        const char *r = v + 8;
        struct find_release f;
        struct diag perr;
        memset(&f, 0, sizeof(f));
        if (*r == '\0')
            return bad_vintage(opt, v, err);
        if (strspn(r, "0123456789") == strlen(r)) {
            f.id = strtoll(r, NULL, 10);
            if (f.id <= 0)
                return bad_vintage(opt, v, err);
        } else if (period_parse(&f.per, r, strlen(r), &perr) < 0) {
            return bad_vintage(opt, v, err);
        }
        if (store_releases(st, on_release, &f, err) < 0)
            return -1;
        if (!f.ok)
            return diag_set(err, DIAG_USAGE,
                            _("%s '%s': the store has no such "
                              "release (gongji releases lists them)"),
                            opt, v);
        sub = f.found.vintage;
        cut = f.found.id - 1;
        snprintf(what, wlen, "release %lld", (long long)f.found.id);
    } else {
        if (!parse_time(v, iso, sizeof(iso)))
            return bad_vintage(opt, v, err);
        if (store_vintage_at(st, iso, &sub, err) < 0 ||
            store_release_at(st, iso, &cut, err) < 0)
            return -1;
        snprintf(what, wlen, "%s", iso);
    }
    *sub_out = sub;
    *cut_out = cut;
    return 0;
}

int
options_apply_vintage(const struct options *o, struct store *st,
                      struct diag *err)
{
    char what[96];
    int64_t sub, cut;

    if (o->vintage == NULL)
        return 0;
    if (options_resolve_vintage("--vintage", o->vintage, st, &sub, &cut, what,
                                sizeof(what), err) < 0)
        return -1;
    if (sub <= 0)
        return diag_set(err, DIAG_NOINPUT,
                        _("--vintage '%s': nothing was stored by then"),
                        o->vintage);
    store_set_vintage(st, sub);
    store_set_release_cut(st, cut);
    if (!o->quiet)
        fprintf(stderr,
                _("gongji %s: the store as it stood at %s: submissions "
                  "up to #%lld\n"),
                o->cmd, what, (long long)sub);
    return 0;
}
