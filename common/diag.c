#include "common/diag.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "common/xalloc.h"

void
diag_clear(struct diag *d)
{
    memset(d, 0, sizeof(*d));
}

int
diag_vset(struct diag *d, enum diag_code code, const char *fmt, va_list ap)
{
    d->code = code;
    d->severity = DIAG_ERROR;
    vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
    return -1;
}

int
diag_set(struct diag *d, enum diag_code code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    diag_vset(d, code, fmt, ap);
    va_end(ap);
    return -1;
}

void
diag_print(FILE *fp, const struct diag *d)
{
    if (d->file != NULL) {
        diag_fput_printable(fp, d->file, strlen(d->file));
        if (d->line > 0) {
            fprintf(fp, ":%lu", d->line);
            if (d->col > 0)
                fprintf(fp, ":%lu", d->col);
        }
        fputs(": ", fp);
    }
    fputs(d->severity == DIAG_WARNING ? "warning: " : "error: ", fp);
    /*
     * The message was built by many hands; masking here again is the last
     * line of defence for an ID that reached it without diag_quote().
     */
    char masked[sizeof(d->msg)];
    size_t n = strnlen(d->msg, sizeof(d->msg));
    memcpy(masked, d->msg, n);
    diag_mask_ids(masked, n);
    diag_fput_printable(fp, masked, n);
    fputc('\n', fp);
}

/* ---------------------------------------------------------------------------
 * Lists and their groups
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

static void
groups_add(struct diag_groups *gs, const struct diag *d)
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

static struct diag_groups *
groups_of(struct diag_list *l)
{
    if (l->groups == NULL)
        l->groups = xcalloc(1, sizeof(*l->groups));
    return l->groups;
}

void
diag_list_init(struct diag_list *l)
{
    memset(l, 0, sizeof(*l));
}

void
diag_list_release(struct diag_list *l)
{
    struct diag_groups *gs = l->groups;
    if (gs != NULL) {
        free(gs->g);
        free(gs->k);
        free(gs->gidx.slot);
        free(gs->kidx.slot);
        free(gs->cn);
        free(gs);
    }
    free(l->items);
    diag_list_init(l);
}

void
diag_list_add(struct diag_list *l, const struct diag *d)
{
    bool keep;
    if (d->severity == DIAG_WARNING) {
        l->warnings++;
        keep = l->kept_warnings < DIAG_LIST_KEEP;
        l->kept_warnings += keep;
    } else {
        l->errors++;
        keep = l->nr - l->kept_warnings < DIAG_LIST_KEEP_ERRORS;
    }
    groups_add(groups_of(l), d);
    if (!keep)
        return;
    if (l->nr == l->alloc) {
        l->alloc = l->alloc ? 2 * l->alloc : 8;
        l->items = xreallocarray(l->items, l->alloc, sizeof(*l->items));
    }
    l->items[l->nr++] = *d;
}

int
diag_list_addf(struct diag_list *l, enum diag_severity sev, enum diag_code code,
               const char *file, unsigned long line, unsigned long col,
               const char *fmt, ...)
{
    struct diag d;
    va_list ap;

    diag_clear(&d);
    va_start(ap, fmt);
    diag_vset(&d, code, fmt, ap);
    va_end(ap);
    d.severity = sev;
    d.file = file;
    d.line = line;
    d.col = col;
    diag_list_add(l, &d);
    return sev == DIAG_ERROR ? -1 : 0;
}

void
diag_list_name_column(struct diag_list *l, const char *file, unsigned long col,
                      const char *s, size_t len)
{
    struct diag_groups *gs = groups_of(l);
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

char *
diag_col_letters(char *out, size_t outsz, unsigned long col)
{
    char tmp[16];
    size_t n = 0;
    while (col > 0 && n < sizeof(tmp)) {
        col--;
        tmp[n++] = (char)('A' + col % 26);
        col /= 26;
    }
    size_t o = 0;
    while (n > 0 && o + 1 < outsz)
        out[o++] = tmp[--n];
    if (outsz > 0)
        out[o] = '\0';
    return out;
}

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

static void
group_print(FILE *fp, const struct diag_group *g)
{
    const struct diag *d = &g->d;
    char body[sizeof(d->msg) + 512];
    size_t o = 0, bsz = sizeof(body);

    if (d->file != NULL) {
        diag_fput_printable(fp, d->file, strlen(d->file));
        if (d->line > 0) {
            fprintf(fp, ":%lu", d->line);
            if (d->col > 0)
                fprintf(fp, ":%lu", d->col);
        }
        fputs(": ", fp);
    }
    fputs(d->severity == DIAG_WARNING ? "warning: " : "error: ", fp);
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
        if (g->colname[0] != '\0')
            bufaddf(body, bsz, &o, " [column %s '%s'", letters, g->colname);
        else
            bufaddf(body, bsz, &o, " [column %s", letters);
        sep = "; ";
    }
    if (g->other || g->count > 1) {
        const char *what = !g->other      ? " rows"
                           : g->count > 1 ? " more rows with other values"
                                          : " more row with another value";
        if (g->nranges == 0) {
            bufaddf(body, bsz, &o, "%s%zu%s", sep, g->count,
                    g->other ? what : " times");
        } else {
            bufaddf(body, bsz, &o, "%s%zu%s: line%s ", sep, g->count, what,
                    g->count > 1 || g->more_ranges ? "s" : "");
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
        fprintf(fp, "... and %zu more problem(s) not shown\n", total - shown);
}

enum diag_code
diag_list_first_code(const struct diag_list *l)
{
    for (size_t i = 0; i < l->nr; i++)
        if (l->items[i].severity == DIAG_ERROR)
            return l->items[i].code;
    return l->errors ? DIAG_DATA : DIAG_OK;
}

/* Written once by cli/main.c before anything else runs. */
static bool abort_on_bug;

void
diag_set_abort_on_bug(bool on)
{
    abort_on_bug = on;
}

_Noreturn void
bug_at(const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "BUG: %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (abort_on_bug)
        abort();
    exit(3);
}

/*
 * The length of the ID-shaped run at s[i]: ASCII digits and at most one
 * final X or x (the check character of a resident ID).  0 when s[i] is not
 * a digit.
 */
static size_t
id_run(const char *s, size_t len, size_t i)
{
    size_t j = i;
    while (j < len && s[j] >= '0' && s[j] <= '9')
        j++;
    if (j > i && j < len && (s[j] == 'X' || s[j] == 'x'))
        j++;
    return j - i;
}

/* Whether position k of a run of n is shown by diag_mask_ids(). */
static bool
id_keep(size_t k, size_t n)
{
    return n < DIAG_ID_RUN_MIN || k < 3 || k + 2 >= n;
}

size_t
diag_mask_ids(char *s, size_t len)
{
    size_t runs = 0;
    for (size_t i = 0; i < len;) {
        size_t n = id_run(s, len, i);
        if (n == 0) {
            i++;
            continue;
        }
        if (n >= DIAG_ID_RUN_MIN) {
            runs++;
            for (size_t k = 0; k < n; k++)
                if (!id_keep(k, n))
                    s[i + k] = '*';
        }
        i += n;
    }
    return runs;
}

void
diag_fput_printable(FILE *fp, const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        unsigned cp;
        /* an invalid or truncated sequence decodes one byte as U+FFFD */
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) ||
            (n == 1 && cp == 0xFFFD)) {
            for (size_t k = 0; k < n; k++)
                fprintf(fp, "\\x%02x", (unsigned)(unsigned char)s[i + k]);
        } else {
            fwrite(s + i, 1, n, fp);
        }
        i += n;
    }
}

/* Whether s[0..len) can be printed as it is (the common case, made fast). */
static bool
all_printable(const char *s, size_t len)
{
    bool high = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7F)
            return false;
        if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] < 0xA0)
            return false; /* a C1 control, U+0080..U+009F */
        high |= c >= 0x80;
    }
    return !high || utf8_valid(s, len, NULL);
}

char *
diag_printable_dup(const char *s)
{
    size_t len = strlen(s), o = 0;
    if (all_printable(s, len))
        return xstrdup(s);
    char *out = xmalloc(4 * len + 1);

    for (size_t i = 0; i < len;) {
        unsigned cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) ||
            (n == 1 && cp == 0xFFFD)) {
            for (size_t k = 0; k < n; k++) {
                snprintf(out + o, 5, "\\x%02x",
                         (unsigned)(unsigned char)s[i + k]);
                o += 4;
            }
        } else {
            memcpy(out + o, s + i, n);
            o += n;
        }
        i += n;
    }
    out[o] = '\0';
    return out;
}

char *
diag_quote(char *out, size_t outsz, const char *s, size_t len)
{
    size_t o = 0, i = 0;
    const size_t limit = 40;
    /* the ID-shaped run around i, found in all of s, not only the shown part */
    size_t run_start = 0, run_len = 0;

    if (outsz < 8)
        BUG("diag_quote buffer too small");
    out[o++] = '\'';
    while (i < len && i < limit) {
        unsigned cp;
        if (i >= run_start + run_len) {
            run_start = i;
            run_len = id_run(s, len, i);
        }
        if (run_len > 0) {
            /* ASCII digits (and X): one byte each */
            if (o + 1 + 6 > outsz)
                break;
            size_t k = i - run_start;
            out[o++] = id_keep(k, run_len) ? s[i] : '*';
            i++;
            continue;
        }
        /* an invalid or truncated sequence decodes one byte as U+FFFD */
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (i + n > limit || o + n + 6 > outsz)
            break;
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) ||
            (n == 1 && cp == 0xFFFD)) {
            out[o++] = '?'; /* C0/C1 control, DEL or not UTF-8 */
        } else {
            memcpy(out + o, s + i, n);
            o += n;
        }
        i += n;
    }
    if (i < len) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o++] = '\'';
    out[o] = '\0';
    return out;
}

/* ---------------------------------------------------------------------------
 * Hints
 */

/* The name of an invisible character, or NULL when cp is not one. */
static const char *
invisible_name(unsigned cp)
{
    switch (cp) {
    case 0x00A0:
        return "no-break space";
    case 0x00AD:
        return "soft hyphen";
    case 0x200B:
        return "zero-width space";
    case 0x200C:
        return "zero-width non-joiner";
    case 0x200D:
        return "zero-width joiner";
    case 0x2060:
        return "word joiner";
    case 0x202F:
        return "narrow no-break space";
    case 0x3000:
        return "ideographic (full-width) space";
    case 0xFEFF:
        return "zero-width no-break space, a byte order mark";
    default:
        return cp >= 0x2000 && cp <= 0x200A ? "typographic space" : NULL;
    }
}

/* Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm). */
static void
civil_from_days(long z, long *y, unsigned *m, unsigned *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned long doe = (unsigned long)(z - era * 146097);
    unsigned long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned long mp = (5 * doy + 2) / 153;
    *d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *y = (long)yoe + era * 400 + (*m <= 2);
}

/*
 * "45536" or "45538.43125": an Excel serial of a date from 1927 to 2173
 * (five digits), as "2024-09-01" or "2024-09-03 10:21" into out.
 */
static bool
excel_serial(char *out, size_t outsz, const char *s, size_t len)
{
    size_t i = 0;
    long days = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        days = days * 10 + (s[i++] - '0');
    if (i != 5)
        return false;
    unsigned long num = 0, den = 1;
    if (i < len && s[i] == '.') {
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
            if (den < 1000000000UL) {
                num = num * 10 + (unsigned long)(s[i] - '0');
                den *= 10;
            }
        if (den == 1)
            return false;
    }
    if (i != len)
        return false;
    long y;
    unsigned m, d;
    /* serial 25569 is 1970-01-01 (Excel counts from 1899-12-30 past 60) */
    civil_from_days(days - 25569, &y, &m, &d);
    if (den == 1) {
        snprintf(out, outsz, "%04ld-%02u-%02u", y, m, d);
    } else {
        unsigned long min = (num * 1440 + den / 2) / den;
        if (min >= 1440)
            min = 1439;
        snprintf(out, outsz, "%04ld-%02u-%02u %02lu:%02lu", y, m, d, min / 60,
                 min % 60);
    }
    return true;
}

/* "3.30102E+17", "1E+15": how Excel shows a long number in a narrow column. */
static bool
scientific(const char *s, size_t len)
{
    size_t i = 0, n;
    if (i < len && s[i] == '-')
        i++;
    for (n = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++)
        n++;
    if (n == 0)
        return false;
    if (i < len && s[i] == '.') {
        for (i++, n = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++)
            n++;
        if (n == 0)
            return false;
    }
    if (i >= len || (s[i] != 'E' && s[i] != 'e'))
        return false;
    i++;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        i++;
    for (n = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++)
        n++;
    return n > 0 && i == len;
}

const char *
diag_hint(char *out, size_t outsz, const char *s, size_t len, unsigned flags)
{
    char half[64], q[96];
    size_t h = 0;
    bool wide = false, digits = true;

    out[0] = '\0';
    for (size_t i = 0; i < len;) {
        unsigned cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        const char *inv = invisible_name(cp);
        if (inv != NULL) {
            snprintf(out, outsz,
                     "; it holds the invisible character U+%04X (%s)", cp, inv);
            return out;
        }
        if (cp >= 0xFF01 && cp <= 0xFF5E) {
            wide = true;
            cp -= 0xFEE0;
            digits &= cp >= '0' && cp <= '9';
        } else if (cp < 0x80) {
            /* the ASCII around full-width characters */
        } else {
            cp = 0; /* not shown half-width */
        }
        if (h + 1 < sizeof(half) && cp != 0)
            half[h++] = (char)cp;
        i += n;
    }
    if (wide) {
        snprintf(out, outsz,
                 "; it is written in full-width %s (%s typed "
                 "half-width)",
                 digits ? "digits" : "characters",
                 diag_quote(q, sizeof(q), half, h));
        return out;
    }
    if (scientific(s, len)) {
        snprintf(out, outsz,
                 "; Excel shows long numbers in scientific "
                 "notation: format the column as text before saving");
        return out;
    }
    char date[32];
    if ((flags & DIAG_HINT_DATE) && excel_serial(date, sizeof(date), s, len)) {
        snprintf(out, outsz, "; an Excel date serial? %s is %s",
                 diag_quote(q, sizeof(q), s, len), date);
        return out;
    }
    return out;
}

bool
diag_looks_cp1252(const char *buf, size_t len)
{
    const unsigned char *u = (const unsigned char *)buf;
    size_t high = 0;
    for (size_t i = 0; i < len; i++) {
        if (u[i] < 0x80)
            continue;
        if ((i > 0 && u[i - 1] >= 0x80) || (i + 1 < len && u[i + 1] >= 0x80))
            return false; /* a run: a multi-byte encoding, not this one */
        high++;
    }
    return high > 0;
}
