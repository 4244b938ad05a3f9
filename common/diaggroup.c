/* SPDX-License-Identifier: MIT */
#include "common/diaggroup.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <strings.h>

#include "common/diag.h"
#include "common/i18n.h"
#include "common/xalloc.h"

/* ---------------------------------------------------------------------------
 * Groups
 */

/* Beyond this many kinds of message, problems are only counted. */
#define DIAG_KINDS_MAX (2 * DIAG_LIST_KEEP_ERRORS)

/* Header text shown for a column, at most this many bytes (and quotes). */
#define DIAG_COLNAME_MAX 64

struct diag_group {
    struct diag d; /* the first occurrence; msg is the kind's for `other` */
    char colname[DIAG_COLNAME_MAX];
    size_t count;
    unsigned long lo[DIAG_GROUP_RANGES], hi[DIAG_GROUP_RANGES];
    size_t nranges;
    bool more_ranges; /* lines past the DIAG_GROUP_RANGES ranges */
    bool other;       /* the rows of a kind past its own groups */
};

/* One kind of message: the text with its quoted values taken out. */
struct diag_kind {
    const char *file;
    enum diag_severity sev;
    unsigned long col;
    char text[sizeof(((struct diag *)NULL)->msg)];
    size_t nvalues; /* its groups with their own value */
    size_t other;   /* 1 + the index of its `other` group, or 0 */
};

struct diag_colname {
    const char *file;
    unsigned long col;
    char name[DIAG_COLNAME_MAX];
};

/* An open-addressing hash of 1 + indexes into an array, 0 = empty. */
struct diag_index {
    size_t *slot;
    size_t cap, n;
};

struct diag_groups {
    struct diag_group *g;
    size_t ng, galloc, nerr_groups, nwarn_groups;
    struct diag_kind *k;
    size_t nk, kalloc;
    struct diag_index gidx, kidx;
    struct diag_colname *cn;
    size_t ncn, cnalloc;
    size_t accounted; /* problems counted in some group */
};

static uint64_t
hash_bytes(uint64_t h, const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++) {
        h ^= c[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static uint64_t
hash_key(const char *file, enum diag_severity sev, unsigned long col,
         const char *text)
{
    uint64_t h = 14695981039346656037ULL;
    if (file != NULL)
        h = hash_bytes(h, file, strlen(file) + 1);
    h = hash_bytes(h, &sev, sizeof(sev));
    h = hash_bytes(h, &col, sizeof(col));
    return hash_bytes(h, text, strlen(text));
}

static bool
same_file(const char *a, const char *b)
{
    return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static bool
group_is(const struct diag_group *g, const struct diag *d)
{
    return !g->other && g->d.severity == d->severity && g->d.col == d->col &&
           same_file(g->d.file, d->file) && strcmp(g->d.msg, d->msg) == 0;
}

static bool
kind_is(const struct diag_kind *k, const struct diag *d, const char *text)
{
    return k->sev == d->severity && k->col == d->col &&
           same_file(k->file, d->file) && strcmp(k->text, text) == 0;
}

static void
index_put(struct diag_index *x, uint64_t hash, size_t i)
{
    size_t s = (size_t)hash & (x->cap - 1);
    while (x->slot[s] != 0)
        s = (s + 1) & (x->cap - 1);
    x->slot[s] = i + 1;
    x->n++;
}

static uint64_t
group_hash(const void *p)
{
    const struct diag_group *g = p;
    return hash_key(g->d.file, g->d.severity, g->d.col, g->d.msg);
}

static uint64_t
kind_hash(const void *p)
{
    const struct diag_kind *k = p;
    return hash_key(k->file, k->sev, k->col, k->text);
}

/*
 * Make room for one more entry: keep the index at most half full, rehashing
 * the n entries of arr (each size bytes) when it doubles.
 */
static void
index_reserve(struct diag_index *x, const void *arr, size_t size, size_t n,
              uint64_t (*hash)(const void *))
{
    if ((x->n + 1) * 2 <= x->cap)
        return;
    free(x->slot);
    x->cap = x->cap ? 2 * x->cap : 64;
    x->slot = xcalloc(x->cap, sizeof(*x->slot));
    x->n = 0;
    for (size_t i = 0; i < n; i++)
        index_put(x, hash((const char *)arr + i * size), i);
}

/*
 * The text of a kind of message: every '...' quoted part becomes '...',
 * so that "area '330150' is ..." and "area '330151' is ..." are one kind.
 */
static void
kind_text(char *out, size_t outsz, const char *msg)
{
    size_t o = 0;
    bool in = false;
    for (const char *p = msg; *p != '\0' && o + 4 < outsz; p++) {
        if (*p == '\'') {
            if (!in) {
                memcpy(out + o, "'...", 4);
                o += 4;
            } else {
                out[o++] = '\'';
            }
            in = !in;
        } else if (!in) {
            out[o++] = *p;
        }
    }
    out[o] = '\0';
}

static void
group_add_line(struct diag_group *g, unsigned long line)
{
    g->count++;
    if (line == 0)
        return;
    size_t last = g->nranges - 1;
    if (g->nranges > 0 && line >= g->lo[last] && line <= g->hi[last] + 1) {
        if (line > g->hi[last])
            g->hi[last] = line;
    } else if (g->nranges < DIAG_GROUP_RANGES) {
        g->lo[g->nranges] = g->hi[g->nranges] = line;
        g->nranges++;
    } else {
        g->more_ranges = true;
    }
}

/* The header text registered for d's column, or "". */
static const char *
colname_of(const struct diag_groups *gs, const struct diag *d)
{
    /* the current file's columns were named last */
    for (size_t i = gs->ncn; i-- > 0;)
        if (gs->cn[i].col == d->col && same_file(gs->cn[i].file, d->file))
            return gs->cn[i].name;
    return "";
}

/* A new group for d (msg replaced by text when other); its index. */
static size_t
group_new(struct diag_groups *gs, const struct diag *d, const char *text,
          bool other)
{
    if (gs->ng == gs->galloc) {
        gs->galloc = gs->galloc ? 2 * gs->galloc : 16;
        gs->g = xreallocarray(gs->g, gs->galloc, sizeof(*gs->g));
    }
    struct diag_group *g = &gs->g[gs->ng];
    memset(g, 0, sizeof(*g));
    g->d = *d;
    g->other = other;
    if (other)
        snprintf(g->d.msg, sizeof(g->d.msg), "%s", text);
    if (d->col > 0)
        snprintf(g->colname, sizeof(g->colname), "%s", colname_of(gs, d));
    /* `other` groups are in the index too; group_is() never matches them */
    index_reserve(&gs->gidx, gs->g, sizeof(*gs->g), gs->ng, group_hash);
    index_put(&gs->gidx, group_hash(g), gs->ng);
    if (!other) {
        if (d->severity == DIAG_ERROR)
            gs->nerr_groups++;
        else
            gs->nwarn_groups++;
    }
    return gs->ng++;
}

/* The kind of d (text), new if need be; NULL past DIAG_KINDS_MAX. */
static struct diag_kind *
kind_get(struct diag_groups *gs, const struct diag *d, const char *text)
{
    uint64_t hv = hash_key(d->file, d->severity, d->col, text);
    if (gs->kidx.cap > 0) {
        for (size_t s = (size_t)hv & (gs->kidx.cap - 1); gs->kidx.slot[s];
             s = (s + 1) & (gs->kidx.cap - 1))
            if (kind_is(&gs->k[gs->kidx.slot[s] - 1], d, text))
                return &gs->k[gs->kidx.slot[s] - 1];
    }
    if (gs->nk >= DIAG_KINDS_MAX)
        return NULL;
    if (gs->nk == gs->kalloc) {
        gs->kalloc = gs->kalloc ? 2 * gs->kalloc : 16;
        gs->k = xreallocarray(gs->k, gs->kalloc, sizeof(*gs->k));
    }
    struct diag_kind *k = &gs->k[gs->nk++];
    memset(k, 0, sizeof(*k));
    k->file = d->file;
    k->sev = d->severity;
    k->col = d->col;
    snprintf(k->text, sizeof(k->text), "%s", text);
    index_reserve(&gs->kidx, gs->k, sizeof(*gs->k), gs->nk - 1, kind_hash);
    index_put(&gs->kidx, hv, gs->nk - 1);
    return k;
}

void
diag_groups_add(struct diag_groups *gs, const struct diag *d)
{
    if (gs->gidx.cap > 0) {
        uint64_t hv = hash_key(d->file, d->severity, d->col, d->msg);
        for (size_t s = (size_t)hv & (gs->gidx.cap - 1); gs->gidx.slot[s];
             s = (s + 1) & (gs->gidx.cap - 1)) {
            struct diag_group *g = &gs->g[gs->gidx.slot[s] - 1];
            if (group_is(g, d)) {
                group_add_line(g, d->line);
                gs->accounted++;
                return;
            }
        }
    }
    char text[sizeof(d->msg)];
    kind_text(text, sizeof(text), d->msg);
    struct diag_kind *k = kind_get(gs, d, text);
    if (k == NULL)
        return; /* counted in the list's totals only */
    bool err = d->severity == DIAG_ERROR;
    size_t per_kind = err ? DIAG_GROUP_PER_KIND_ERRORS : DIAG_GROUP_PER_KIND;
    bool room = err ? gs->nerr_groups < DIAG_LIST_KEEP_ERRORS
                    : gs->nwarn_groups < DIAG_LIST_KEEP;
    size_t gi;
    if (k->nvalues < per_kind && room) {
        k->nvalues++;
        gi = group_new(gs, d, NULL, false);
    } else {
        if (k->other == 0) {
            size_t ki = (size_t)(k - gs->k);
            size_t o = group_new(gs, d, text, true);
            gs->k[ki].other = o + 1;
            k = &gs->k[ki];
        }
        gi = k->other - 1;
    }
    group_add_line(&gs->g[gi], d->line);
    gs->accounted++;
}

struct diag_groups *
diag_groups_of(struct diag_list *l)
{
    if (l->groups == NULL)
        l->groups = xcalloc(1, sizeof(*l->groups));
    return l->groups;
}

void
diag_groups_free(struct diag_groups *gs)
{
    if (gs == NULL)
        return;
    free(gs->g);
    free(gs->k);
    free(gs->gidx.slot);
    free(gs->kidx.slot);
    free(gs->cn);
    free(gs);
}

void
diag_list_name_column(struct diag_list *l, const char *file, unsigned long col,
                      const char *s, size_t len)
{
    struct diag_groups *gs = diag_groups_of(l);
    if (gs->ncn == gs->cnalloc) {
        gs->cnalloc = gs->cnalloc ? 2 * gs->cnalloc : 16;
        gs->cn = xreallocarray(gs->cn, gs->cnalloc, sizeof(*gs->cn));
    }
    struct diag_colname *c = &gs->cn[gs->ncn++];
    c->file = file;
    c->col = col;
    c->name[0] = '\0';
    if (len > 0) {
        /* printable, IDs masked, at most 40 bytes; then drop the quotes */
        char q[DIAG_COLNAME_MAX];
        diag_quote(q, sizeof(q), s, len);
        size_t n = strlen(q);
        if (n >= 2) {
            memcpy(c->name, q + 1, n - 2);
            c->name[n - 2] = '\0';
        }
    }
}

/* ---------------------------------------------------------------------------
 * Printing
 */

/* Append to b (size bsz, *o used); a cut at the end is all that can happen. */
static void bufaddf(char *b, size_t bsz, size_t *o, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
bufaddf(char *b, size_t bsz, size_t *o, const char *fmt, ...)
{
    va_list ap;
    if (*o + 1 >= bsz)
        return;
    va_start(ap, fmt);
    int w = vsnprintf(b + *o, bsz - *o, fmt, ap);
    va_end(ap);
    if (w > 0)
        *o += (size_t)w;
    if (*o >= bsz)
        *o = bsz - 1;
}

/* Is file an Excel workbook (.xlsx, .xlsm), whose lines are rows? */
static bool
is_workbook(const char *file)
{
    size_t n = strlen(file);
    return n > 5 && (strcasecmp(file + n - 5, ".xlsx") == 0 ||
                     strcasecmp(file + n - 5, ".xlsm") == 0);
}

static void
group_print(FILE *fp, const struct diag_group *g)
{
    const struct diag *d = &g->d;
    char body[sizeof(d->msg) + 512];
    size_t o = 0, bsz = sizeof(body);

    diag_print_prefix(fp, d);
    bufaddf(body, bsz, &o, "%s", d->msg);
    /*
     * The column and the repetitions go last, in brackets: the message
     * still says what is wrong first, and "FILE:LINE:COL: error: text" is
     * what it always was for the scripts that parse it.
     */
    const char *sep = " [";
    if (d->col > 0 && d->file != NULL) {
        char letters[16];
        diag_col_letters(letters, sizeof(letters), d->col);
        /* a workbook's problem at one cell names it as Excel does: G12 */
        bool cell =
            d->line > 0 && g->count == 1 && !g->other && is_workbook(d->file);
        bufaddf(body, bsz, &o, " [%s %s", cell ? _("cell") : _("column"),
                letters);
        if (cell)
            bufaddf(body, bsz, &o, "%lu", d->line);
        if (g->colname[0] != '\0')
            bufaddf(body, bsz, &o, " '%s'", g->colname);
        sep = "; ";
    }
    if (g->other || g->count > 1) {
        bufaddf(body, bsz, &o, "%s", sep);
        if (!g->other)
            bufaddf(body, bsz, &o,
                    g->nranges == 0 ? _("%zu times") : _("%zu rows"), g->count);
        else
            bufaddf(body, bsz, &o,
                    g->count > 1 ? _("%zu more rows with other values")
                                 : _("%zu more row with another value"),
                    g->count);
        if (g->nranges > 0) {
            bufaddf(body, bsz, &o, "%s",
                    g->count > 1 || g->more_ranges ? _(": lines ")
                                                   : _(": line "));
            for (size_t i = 0; i < g->nranges; i++)
                if (g->lo[i] == g->hi[i])
                    bufaddf(body, bsz, &o, "%s%lu", i ? "," : "", g->lo[i]);
                else
                    bufaddf(body, bsz, &o, "%s%lu-%lu", i ? "," : "", g->lo[i],
                            g->hi[i]);
            if (g->more_ranges)
                bufaddf(body, bsz, &o, ",...");
        }
        sep = "; ";
    }
    if (sep[0] == ';')
        bufaddf(body, bsz, &o, "]");
    /* as in diag_print(): the last line of defence for an unmasked ID */
    diag_mask_ids(body, o);
    diag_fput_printable(fp, body, o);
    fputc('\n', fp);
}

void
diag_list_print(FILE *fp, const struct diag_list *l)
{
    const struct diag_groups *gs = l->groups;
    size_t total = l->errors + l->warnings, shown = 0;

    for (size_t i = 0; gs != NULL && i < gs->ng; i++)
        group_print(fp, &gs->g[i]);
    if (gs != NULL)
        shown = gs->accounted;
    if (total > shown)
        fprintf(fp, _("... and %zu more problem(s) not shown\n"),
                total - shown);
}
