/* SPDX-License-Identifier: MIT */
#include "ingest/codes.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "common/diag.h"
#include "common/i18n.h"
#include "common/sbuf.h"
#include "common/xalloc.h"
#include "ingest/reftable.h"

#define CODES_FILE "codes.csv"

/*
 * The values of a set: code, display name, parent (-1: none) and, for a
 * channel, the word its counts are told in.  Other spellings a province
 * may use are synonyms in data/values.csv (ingest/vocab.h).
 */
struct code_def {
    const char *code;
    const char *name;
    int parent;
    const char *count;
};

struct code_set_def {
    int n, nbuiltin;
    struct code_def def[CODES_MAX];
    const char *accepted; /* codes_accepted() */
};

struct codes {
    struct code_set_def set[CODESET_N];
    char *text;                /* codes.csv, added values point into it */
    char *accepted[CODESET_N]; /* the loaded sets' accepted lists */
};

#define BUILTIN(nb, acc, ...)                                                  \
    {                                                                          \
        nb, nb, {__VA_ARGS__}, acc                                             \
    }

static const struct codes builtin = {
    {
        [CODESET_SCOPE] = BUILTIN(
            SCOPE_N,
            "same_area/同一统筹区, cross_area/省内跨统筹区, in_province/省内, "
            "cross_province/跨省",
            {"same_area", "同一统筹区", SCOPE_IN_PROVINCE, NULL},
            {"cross_area", "省内跨统筹区", SCOPE_IN_PROVINCE, NULL},
            {"in_province", "省内", -1, NULL},
            {"cross_province", "跨省", -1, NULL}),
        [CODESET_USE] = BUILTIN(
            USE_N,
            "medical/定点医疗机构, pharmacy/定点零售药店, "
            "medical_pharmacy/就医购药, premium/参加居民医保等个人缴费, "
            "ltc_premium/长期护理保险个人缴费, other/其他",
            {"medical", "定点医疗机构", USE_MEDICAL_PHARMACY, NULL},
            {"pharmacy", "定点零售药店", USE_MEDICAL_PHARMACY, NULL},
            {"medical_pharmacy", "就医购药", -1, NULL},
            {"premium", "参加居民医保等个人缴费", -1, NULL},
            {"ltc_premium", "长期护理保险个人缴费", -1, NULL},
            {"other", "其他", -1, NULL}),
        [CODESET_RELATION] = BUILTIN(
            REL_N,
            "spouse/配偶, parent/父母, child/子女, sibling/兄弟姐妹, "
            "grandparent/祖父母/外祖父母, grandchild/孙子女/外孙子女, "
            "unspecified/未区分",
            {"spouse", "配偶", -1, NULL}, {"parent", "父母", -1, NULL},
            {"child", "子女", -1, NULL}, {"sibling", "兄弟姐妹", -1, NULL},
            {"grandparent", "祖父母/外祖父母", -1, NULL},
            {"grandchild", "孙子女/外孙子女", -1, NULL},
            {"unspecified", "未区分", -1, NULL}),
        [CODESET_CHANNEL] =
            BUILTIN(CHANNEL_N, "account/即时调用, wallet/医保钱包",
                    {"account", "即时调用", -1, "人次"},
                    {"wallet", "医保钱包", -1, "笔"}),
    },
    NULL,
    {NULL, NULL, NULL, NULL},
};

const struct codes *
codes_builtin(void)
{
    return &builtin;
}

static const struct code_set_def *
set_defs(const struct codes *c, enum code_set set)
{
    if ((unsigned)set >= CODESET_N)
        BUG("bad code set %d", (int)set);
    return &(c != NULL ? c : &builtin)->set[set];
}

static const struct code_def *
value_def(const struct codes *c, enum code_set set, int v)
{
    const struct code_set_def *d = set_defs(c, set);
    if (v < 0 || v >= d->n)
        BUG("code %d out of range", v);
    return &d->def[v];
}

static int
eq(const char *lit, const char *s, size_t len)
{
    return lit != NULL && strlen(lit) == len && memcmp(lit, s, len) == 0;
}

/* lit equals s[0..len) with ASCII upper case folded ("SAME_AREA"). */
static int
eq_fold(const char *lit, const char *s, size_t len)
{
    if (strlen(lit) != len)
        return 0;
    for (size_t k = 0; k < len; k++) {
        char ch = s[k];
        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch - 'A' + 'a'); /* not |0x20: '_' must stay */
        if (ch != lit[k])
            return 0;
    }
    return 1;
}

int
codes_parse(const struct codes *c, enum code_set set, const char *s, size_t len)
{
    const struct code_set_def *d = set_defs(c, set);

    /* the store keeps English codes: try those first */
    for (int i = 0; i < d->n; i++)
        if (eq(d->def[i].code, s, len))
            return i;
    for (int i = 0; i < d->n; i++)
        if (eq(d->def[i].name, s, len))
            return i;
    for (int i = 0; i < d->n; i++)
        if (eq_fold(d->def[i].code, s, len))
            return i;
    return -1;
}

int
codes_count(const struct codes *c, enum code_set set)
{
    return set_defs(c, set)->n;
}

const char *
codes_code(const struct codes *c, enum code_set set, int v)
{
    return value_def(c, set, v)->code;
}

const char *
codes_name(const struct codes *c, enum code_set set, int v)
{
    return value_def(c, set, v)->name;
}

int
codes_parent(const struct codes *c, enum code_set set, int v)
{
    return value_def(c, set, v)->parent;
}

bool
codes_within(const struct codes *c, enum code_set set, int v, int anc)
{
    /* no cycles: an added value's parent is listed before it */
    for (int k = v; k >= 0; k = codes_parent(c, set, k))
        if (k == anc)
            return true;
    return false;
}

bool
codes_has_children(const struct codes *c, enum code_set set, int v)
{
    const struct code_set_def *d = set_defs(c, set);
    for (int i = 0; i < d->n; i++)
        if (d->def[i].parent == v)
            return true;
    return false;
}

int
codes_top(const struct codes *c, enum code_set set, int v)
{
    while (codes_parent(c, set, v) >= 0)
        v = codes_parent(c, set, v);
    return v;
}

const char *
codes_count_label(const struct codes *c, int channel)
{
    const char *w = value_def(c, CODESET_CHANNEL, channel)->count;
    return w != NULL ? w : "人次";
}

const char *
codes_set_name(enum code_set set)
{
    static const char *const names[CODESET_N] = {N_("scope"), N_("use"),
                                                 N_("relation"), N_("channel")};
    if ((unsigned)set >= CODESET_N)
        BUG("bad code set");
    return names[set];
}

const char *
codes_accepted(const struct codes *c, enum code_set set)
{
    return set_defs(c, set)->accepted;
}

void
codes_free(struct codes *c)
{
    if (c == NULL)
        return;
    for (int s = 0; s < CODESET_N; s++)
        free(c->accepted[s]);
    free(c->text);
    free(c);
}

/* A code as the store and --where take it: [a-z0-9_], a letter first. */
static bool
code_ok(const char *s)
{
    if (!(*s >= 'a' && *s <= 'z'))
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return false;
    return true;
}

/* The value of d whose code (or name, by_name) is s, or -1. */
static int
find_in(const struct code_set_def *d, const char *s, bool by_name)
{
    for (int i = 0; i < d->n; i++)
        if (strcmp(by_name ? d->def[i].name : d->def[i].code, s) == 0)
            return i;
    return -1;
}

/* A built-in value listed in the table must say what the code says. */
static int
check_builtin(struct reftable *t, const struct code_set_def *d, int i, char **f,
              int parent, const char *count)
{
    const struct code_def *b = &d->def[i];
    if (strcmp(b->name, f[2]) == 0 && b->parent == parent &&
        (b->count == NULL) == (count == NULL) &&
        (count == NULL || strcmp(b->count, count) == 0))
        return 0;
    return reftable_error(t, 0,
                          _("%s %s is built in as '%s', parent %s, count %s: "
                            "the table must agree"),
                          f[0], f[1], b->name,
                          b->parent < 0 ? "-" : d->def[b->parent].code,
                          b->count ? b->count : "-");
}

/* Check or add one line of codes.csv into next[]; 0 or -1. */
static int
load_row(struct reftable *t, struct code_set_def *next, char **f)
{
    int set = -1;
    for (int k = 0; k < CODESET_N; k++)
        if (strcmp(f[0], codes_set_name((enum code_set)k)) == 0)
            set = k;
    if (set < 0)
        return reftable_error(t, 1,
                              _("'%s' is not a code set (scope, use, "
                                "relation, channel)"),
                              f[0]);
    struct code_set_def *d = &next[set];
    if (!code_ok(f[1]))
        return reftable_error(t, 2,
                              _("code '%s': lower-case letters, digits and "
                                "'_', starting with a letter"),
                              f[1]);
    int parent = -1;
    if (strcmp(f[3], "-") != 0 && (parent = find_in(d, f[3], false)) < 0)
        return reftable_error(t, 4,
                              _("parent '%s' of %s is not a %s listed "
                                "before it"),
                              f[3], f[1], f[0]);
    const char *count = strcmp(f[4], "-") == 0 ? NULL : f[4];
    int i = find_in(d, f[1], false);
    if (i >= 0 && i < d->nbuiltin)
        return check_builtin(t, d, i, f, parent, count);
    if (i >= 0)
        return reftable_error(t, 2, _("%s %s listed twice"), f[0], f[1]);
    if (find_in(d, f[2], true) >= 0)
        return reftable_error(t, 3, _("name '%s' already names a %s"), f[2],
                              f[0]);
    if (d->n >= CODES_MAX)
        return reftable_error(t, 0, _("more than %d values of %s"), CODES_MAX,
                              f[0]);
    d->def[d->n++] = (struct code_def){f[1], f[2], parent, count};
    return 0;
}

/* The accepted lists of c's sets, built once the sets are read. */
static void
build_accepted(struct codes *c)
{
    for (int s = 0; s < CODESET_N; s++) {
        struct code_set_def *d = &c->set[s];
        struct sbuf b = SBUF_INIT;
        for (int i = 0; i < d->n; i++)
            sbuf_addf(&b, "%s%s/%s", i ? ", " : "", d->def[i].code,
                      d->def[i].name);
        c->accepted[s] = sbuf_detach(&b, NULL);
        d->accepted = c->accepted[s];
    }
}

struct codes *
codes_load(const char *dir, struct diag *err)
{
    struct reftable t;
    struct codes *c = xcalloc(1, sizeof(*c));
    char *f[5], path[4096];
    int rc;

    memcpy(c->set, builtin.set, sizeof(c->set));
    /* a data directory from before the table: the built-in values */
    snprintf(path, sizeof(path), "%s/%s", dir, CODES_FILE);
    if (access(path, F_OK) != 0 && errno == ENOENT)
        return c;
    if (reftable_read(&t, dir, CODES_FILE, err) < 0)
        goto fail;
    c->text = t.text;
    if (reftable_header(&t, "set,code,name,parent,count") < 0)
        goto fail;
    while ((rc = reftable_next_row(&t, f, 5)) > 0)
        if (load_row(&t, c->set, f) < 0)
            goto fail;
    if (rc < 0)
        goto fail;
    build_accepted(c);
    return c;
fail:
    codes_free(c);
    return NULL;
}
