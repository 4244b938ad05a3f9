/* SPDX-License-Identifier: MIT */
#include "ingest/refdata.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/diag.h"
#include "common/exepath.h"
#include "common/i18n.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "ingest/codes.h"
#include "ingest/reftable.h"
#include "ingest/vocab.h"

#ifndef GONGJI_DATADIR
#define GONGJI_DATADIR "/usr/local/share/gongji"
#endif

#define PROVINCES_FILE   "provinces.csv"
#define AREAS_FILE       "areas.csv"
#define PROVINCES_HEADER "code,name,short_name"
#define AREAS_HEADER     "code,name,province"

#define MAX_FIELDS 3

/* Province codes are [1-9][0-9]0000, so code / 10000 is a slot. */
#define PROVINCE_SLOTS 100

struct refdata {
    /*
     * The two files, cut in place: every name points into them, so all the
     * strings take two allocations.
     */
    char *province_text;
    char *area_text;
    struct province *provinces; /* file order = release-table order */
    size_t nprovince;
    struct area *areas; /* code order */
    size_t narea;
    const struct area **area_by_name;            /* sorted by (name, code) */
    unsigned char province_slot[PROVINCE_SLOTS]; /* index + 1; 0 = none */
    struct vocab *vocab; /* header names, units, value synonyms */
    struct codes *codes; /* the code sets (data/codes.csv) */
};

/* Six ASCII digits, the first not 0; returns the value or -1. */
static int
parse_code(const char *s)
{
    int v = 0;

    if (s[0] < '1' || s[0] > '9')
        return -1;
    for (size_t i = 0; i < 6; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return s[6] == '\0' ? v : -1;
}

static int
table_code(struct reftable *t, const char *s, unsigned long col,
           const char *what)
{
    int code = parse_code(s);

    if (code < 0) {
        char q[64];
        return reftable_error(t, col, _("%s code %s is not 6 digits"), what,
                              diag_quote(q, sizeof(q), s, strlen(s)));
    }
    return code;
}

/*** Loading ***/

static int
load_provinces(struct refdata *rd, struct reftable *t)
{
    /* line of each province, for the message about a repeat */
    unsigned long *lines = NULL;
    char *f[MAX_FIELDS];
    int rc;

    if (reftable_header(t, PROVINCES_HEADER) < 0)
        return -1;
    size_t max = reftable_max_lines(t);
    rd->provinces = xcalloc(max, sizeof(*rd->provinces));
    lines = xcalloc(max, sizeof(*lines));

    while ((rc = reftable_next_row(t, f, 3)) > 0) {
        int code = table_code(t, f[0], 1, "province");
        if (code < 0)
            goto fail;
        if (code % 10000 != 0) {
            reftable_error(t, 1, _("province code %d does not end in 0000"),
                           code);
            goto fail;
        }
        size_t slot = (size_t)(code / 10000);
        if (rd->province_slot[slot] != 0) {
            reftable_error(t, 1, _("province %d repeats line %lu"), code,
                           lines[rd->province_slot[slot] - 1]);
            goto fail;
        }
        /* a name must find one province only: refdata_find_province() */
        for (size_t i = 0; i < rd->nprovince; i++) {
            const struct province *o = &rd->provinces[i];
            for (size_t k = 1; k <= 2; k++) {
                if (strcmp(f[k], o->name) == 0 ||
                    strcmp(f[k], o->short_name) == 0) {
                    char q[64];
                    reftable_error(
                        t, k + 1, _("province name %s repeats line %lu"),
                        diag_quote(q, sizeof(q), f[k], strlen(f[k])), lines[i]);
                    goto fail;
                }
            }
        }
        struct province *p = &rd->provinces[rd->nprovince];
        p->code = code;
        p->name = f[1];
        p->short_name = f[2];
        p->order = (int)rd->nprovince;
        lines[rd->nprovince] = t->line;
        rd->province_slot[slot] = (unsigned char)++rd->nprovince;
    }
    if (rc < 0)
        goto fail;
    if (rd->nprovince == 0) {
        reftable_error(t, 0, _("no provinces"));
        goto fail;
    }
    free(lines);
    return 0;
fail:
    free(lines);
    return -1;
}

struct area_row {
    struct area a;
    unsigned long line;
};

static int
area_row_cmp(const void *pa, const void *pb)
{
    const struct area_row *a = pa, *b = pb;

    if (a->a.code != b->a.code)
        return a->a.code < b->a.code ? -1 : 1;
    return a->line < b->line ? -1 : a->line > b->line;
}

static int
area_name_cmp(const void *pa, const void *pb)
{
    const struct area *a = *(const struct area *const *)pa;
    const struct area *b = *(const struct area *const *)pb;
    int c = strcmp(a->name, b->name);

    if (c != 0)
        return c;
    return a->code < b->code ? -1 : a->code > b->code;
}

static int
load_areas(struct refdata *rd, struct reftable *t)
{
    struct area_row *rows = NULL;
    size_t nrow = 0;
    char *f[MAX_FIELDS];
    int rc;

    if (reftable_header(t, AREAS_HEADER) < 0)
        return -1;
    rows = xcalloc(reftable_max_lines(t), sizeof(*rows));

    while ((rc = reftable_next_row(t, f, 3)) > 0) {
        int code = table_code(t, f[0], 1, "area");
        if (code < 0)
            goto fail;
        if (code % 10000 == 0) {
            /* xx0000 is a province: its rows are totals, never data */
            reftable_error(t, 1,
                           _("area code %d ends in 0000, which is a province "
                             "code, not a pooling area"),
                           code);
            goto fail;
        }
        int province = table_code(t, f[2], 3, "province");
        if (province < 0)
            goto fail;
        if (province != code / 10000 * 10000) {
            reftable_error(t, 3, _("province %d does not match area %d"),
                           province, code);
            goto fail;
        }
        if (refdata_province(rd, province) == NULL) {
            reftable_error(t, 3, "province %d is not in " PROVINCES_FILE,
                           province);
            goto fail;
        }
        rows[nrow].a.code = code;
        rows[nrow].a.name = f[1];
        rows[nrow].a.province = province;
        rows[nrow].line = t->line;
        nrow++;
    }
    if (rc < 0)
        goto fail;

    /* sorted so that a unit added by hand at the end still works */
    qsort(rows, nrow, sizeof(*rows), area_row_cmp);
    for (size_t i = 1; i < nrow; i++) {
        if (rows[i].a.code == rows[i - 1].a.code) {
            t->line = rows[i].line;
            reftable_error(t, 1, _("area %d repeats line %lu"), rows[i].a.code,
                           rows[i - 1].line);
            goto fail;
        }
    }

    rd->areas = xcalloc(nrow != 0 ? nrow : 1, sizeof(*rd->areas));
    rd->area_by_name = xcalloc(nrow != 0 ? nrow : 1, sizeof(*rd->area_by_name));
    for (size_t i = 0; i < nrow; i++) {
        rd->areas[i] = rows[i].a;
        rd->area_by_name[i] = &rd->areas[i];
    }
    rd->narea = nrow;
    qsort(rd->area_by_name, nrow, sizeof(*rd->area_by_name), area_name_cmp);
    free(rows);
    return 0;
fail:
    free(rows);
    return -1;
}

struct refdata *
refdata_load(const char *dir, struct diag *err)
{
    struct refdata *rd = xcalloc(1, sizeof(*rd));
    struct reftable t;

    if (reftable_read(&t, dir, PROVINCES_FILE, err) < 0)
        goto fail;
    rd->province_text = t.text;
    if (load_provinces(rd, &t) < 0)
        goto fail;

    if (reftable_read(&t, dir, AREAS_FILE, err) < 0)
        goto fail;
    rd->area_text = t.text;
    if (load_areas(rd, &t) < 0)
        goto fail;
    /* the code sets first: the synonyms of values.csv are checked on them */
    rd->codes = codes_load(dir, err);
    if (rd->codes == NULL)
        goto fail;
    rd->vocab = vocab_load(dir, rd->codes, err);
    if (rd->vocab == NULL)
        goto fail;
    return rd;
fail:
    refdata_free(rd);
    return NULL;
}

void
refdata_free(struct refdata *rd)
{
    if (rd == NULL)
        return;
    vocab_free(rd->vocab);
    codes_free(rd->codes);
    free(rd->area_by_name);
    free(rd->areas);
    free(rd->provinces);
    free(rd->area_text);
    free(rd->province_text);
    free(rd);
}

/*** Lookups ***/

const struct vocab *
refdata_vocab(const struct refdata *rd)
{
    return rd->vocab;
}

const struct codes *
refdata_codes(const struct refdata *rd)
{
    return rd != NULL ? rd->codes : NULL;
}

const struct province *
refdata_province(const struct refdata *rd, int code)
{
    if (code < 100000 || code > 999999 || code % 10000 != 0)
        return NULL;
    unsigned slot = rd->province_slot[code / 10000];
    return slot != 0 ? &rd->provinces[slot - 1] : NULL;
}

const struct area *
refdata_area(const struct refdata *rd, int code)
{
    size_t lo = 0, hi = rd->narea;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (rd->areas[mid].code < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < rd->narea && rd->areas[lo].code == code ? &rd->areas[lo] : NULL;
}

const struct province *
refdata_area_province(const struct refdata *rd, int area_code)
{
    if (area_code < 100000 || area_code > 999999)
        return NULL;
    return refdata_province(rd, area_code / 10000 * 10000);
}

size_t
refdata_province_count(const struct refdata *rd)
{
    return rd->nprovince;
}

const struct province *
refdata_province_at(const struct refdata *rd, size_t i)
{
    if (i >= rd->nprovince)
        BUG("province index %zu of %zu", i, rd->nprovince);
    return &rd->provinces[i];
}

size_t
refdata_area_count(const struct refdata *rd)
{
    return rd->narea;
}

const struct area *
refdata_area_at(const struct refdata *rd, size_t i)
{
    if (i >= rd->narea)
        BUG("area index %zu of %zu", i, rd->narea);
    return &rd->areas[i];
}

const struct province *
refdata_find_province(const struct refdata *rd, const char *s)
{
    if (s == NULL)
        return NULL;
    int code = parse_code(s);
    if (code >= 0)
        return refdata_province(rd, code);
    for (size_t i = 0; i < rd->nprovince; i++) {
        const struct province *p = &rd->provinces[i];
        if (strcmp(s, p->name) == 0 || strcmp(s, p->short_name) == 0)
            return p;
    }
    return NULL;
}

const struct area *
refdata_find_area(const struct refdata *rd, const char *s)
{
    if (s == NULL)
        return NULL;
    int code = parse_code(s);
    if (code >= 0)
        return refdata_area(rd, code);

    /* the first of equal names, i.e. the lowest code */
    size_t lo = 0, hi = rd->narea;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(rd->area_by_name[mid]->name, s) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < rd->narea && strcmp(rd->area_by_name[lo]->name, s) == 0)
        return rd->area_by_name[lo];
    return NULL;
}

/* strcmp() of the NUL-terminated name with the slice s[0..len). */
static int
name_cmp(const char *name, const char *s, size_t len)
{
    size_t n = strlen(name);
    int c = memcmp(name, s, n < len ? n : len);

    if (c != 0)
        return c;
    return n < len ? -1 : n > len;
}

/* Add the areas named exactly s[0..len) to out. */
static void
match_exact(const struct refdata *rd, const char *s, size_t len,
            struct refdata_names *out)
{
    size_t lo = 0, hi = rd->narea;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (name_cmp(rd->area_by_name[mid]->name, s, len) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < rd->narea && name_cmp(rd->area_by_name[lo]->name, s, len) == 0;
         lo++) {
        const struct area *a = rd->area_by_name[lo];
        bool seen = false;
        for (size_t i = 0; i < out->narea && i < REFDATA_NAME_AREAS; i++)
            seen = seen || out->area[i] == a;
        if (seen)
            continue;
        if (out->narea < REFDATA_NAME_AREAS) {
            /* keep code order */
            size_t i = out->narea;
            while (i > 0 && out->area[i - 1]->code > a->code) {
                out->area[i] = out->area[i - 1];
                i--;
            }
            out->area[i] = a;
        }
        out->narea++;
    }
}

/* The endings a name may leave out: 杭州 for 杭州市. */
static const char *const short_suffixes[] = {"市", "地区", "盟"};

void
refdata_match_name(const struct refdata *rd, const char *s, size_t len,
                   struct refdata_names *out)
{
    char buf[256];

    memset(out, 0, sizeof(*out));
    if (len == 0)
        return;
    match_exact(rd, s, len, out);
    for (size_t i = 0; i < sizeof(short_suffixes) / sizeof(short_suffixes[0]);
         i++) {
        size_t sl = strlen(short_suffixes[i]);
        if (len + sl > sizeof(buf))
            continue;
        memcpy(buf, s, len);
        memcpy(buf + len, short_suffixes[i], sl);
        match_exact(rd, buf, len + sl, out);
    }
    for (size_t i = 0; i < rd->nprovince; i++) {
        const struct province *p = &rd->provinces[i];
        if (name_cmp(p->name, s, len) == 0 ||
            name_cmp(p->short_name, s, len) == 0) {
            out->province = p;
            break;
        }
    }
}

bool
refdata_area_named(const struct area *a, const char *s, size_t len)
{
    size_t n = strlen(a->name);
    static const char local[] = "本级";

    if (len == 0)
        return false;
    if (name_cmp(a->name, s, len) == 0)
        return true;
    for (size_t i = 0; i < sizeof(short_suffixes) / sizeof(short_suffixes[0]);
         i++) {
        size_t sl = strlen(short_suffixes[i]);
        if (n == len + sl && memcmp(a->name, s, len) == 0 &&
            memcmp(a->name + len, short_suffixes[i], sl) == 0)
            return true;
    }
    /* 市本级 for 北京市市本级: the ending, when it is the 本级 part */
    return len >= sizeof(local) - 1 && len < n &&
           memcmp(s + len - (sizeof(local) - 1), local, sizeof(local) - 1) ==
               0 &&
           memcmp(a->name + n - len, s, len) == 0;
}

/*** Where the tables are ***/

const char *
refdata_default_dir(const char *dir, char *buf, size_t len)
{
    if (dir != NULL && dir[0] != '\0')
        return dir;
    /*
     * An installed layout first (PREFIX/bin/gongji beside
     * PREFIX/share/gongji, also when unpacked elsewhere), so an installed
     * /usr/bin/gongji never reads a /data it does not own; then a build
     * tree's data/.
     */
    if (exepath_find("share/gongji/data", PROVINCES_FILE, buf, len) ||
        exepath_find("data", PROVINCES_FILE, buf, len))
        return buf;
    return GONGJI_DATADIR "/data";
}
