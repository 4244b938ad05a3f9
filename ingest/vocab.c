/* SPDX-License-Identifier: MIT */
#include "ingest/vocab.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/diag.h"
#include "common/i18n.h"
#include "common/xalloc.h"
#include "ingest/reftable.h"
#include "ingest/schema.h"

#define COLUMNS_FILE   "columns.csv"
#define UNITS_FILE     "units.csv"
#define VALUES_FILE    "values.csv"
#define COLUMNS_HEADER "column,header"
#define UNITS_HEADER   "unit,measure,factor"
#define VALUES_HEADER  "set,code,value"

struct header_name {
    const char *name;
    int column;
    unsigned long line;
};

struct synonym {
    const char *value;
    enum code_set set;
    int code;
    unsigned long line;
};

struct unit_def {
    struct unit u;
    unsigned long line;
};

struct vocab {
    const struct codes *codes; /* borrowed */
    char *text[3];             /* the three files, cut in place */
    struct header_name *names;
    size_t nnames;
    struct unit_def *units;
    size_t nunits;
    struct synonym *synonyms;
    size_t nsynonyms;
};

/* ASCII letters compared without case; everything else byte for byte. */
static bool
word_eq(const char *a, size_t alen, const char *b)
{
    if (alen != strlen(b))
        return false;
    for (size_t i = 0; i < alen; i++) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (char)(y - 'A' + 'a');
        if (x != y)
            return false;
    }
    return true;
}

static int
builtin_column(const char *s, size_t len)
{
    for (int c = 0; c < COL_N; c++)
        if (word_eq(s, len, schema_column_name((enum column)c)))
            return c;
    return -1;
}

int
vocab_column(const struct vocab *v, const char *s, size_t len)
{
    int c = builtin_column(s, len);
    if (c >= 0)
        return c;
    for (size_t i = 0; i < v->nnames; i++)
        if (word_eq(s, len, v->names[i].name))
            return v->names[i].column;
    return -1;
}

const char *
vocab_column_alias(const struct vocab *v, int c)
{
    for (size_t i = 0; i < v->nnames; i++)
        if (v->names[i].column == c)
            return v->names[i].name;
    return NULL;
}

const struct unit *
vocab_unit(const struct vocab *v, const char *s, size_t len)
{
    for (size_t i = 0; i < v->nunits; i++)
        if (word_eq(s, len, v->units[i].u.name))
            return &v->units[i].u;
    return NULL;
}

const struct codes *
vocab_codes(const struct vocab *v)
{
    return v->codes;
}

int
vocab_value(const struct vocab *v, enum code_set set, const char *s, size_t len)
{
    int code = codes_parse(v->codes, set, s, len);
    if (code >= 0)
        return code;
    for (size_t i = 0; i < v->nsynonyms; i++)
        if (v->synonyms[i].set == set && word_eq(s, len, v->synonyms[i].value))
            return v->synonyms[i].code;
    return -1;
}

/*** Loading ***/

static int
load_columns(struct vocab *v, struct reftable *t)
{
    char *f[2];
    int rc;

    if (reftable_header(t, COLUMNS_HEADER) < 0)
        return -1;
    v->names = xcalloc(reftable_max_lines(t), sizeof(*v->names));
    while ((rc = reftable_next_row(t, f, 2)) > 0) {
        int c = builtin_column(f[0], strlen(f[0]));
        if (c < 0)
            return reftable_error(t, 1, _("'%s' is not a column of gongji"),
                                  f[0]);
        int other = vocab_column(v, f[1], strlen(f[1]));
        if (other >= 0 && other != c)
            return reftable_error(t, 2,
                                  _("header '%s' already names column %s"),
                                  f[1], schema_column_name((enum column)other));
        for (size_t i = 0; i < v->nnames; i++)
            if (word_eq(f[1], strlen(f[1]), v->names[i].name))
                return reftable_error(t, 2, _("header '%s' repeats line %lu"),
                                      f[1], v->names[i].line);
        v->names[v->nnames++] = (struct header_name){f[1], c, t->line};
    }
    return rc;
}

static int
parse_factor(const char *s, int64_t *out)
{
    int64_t f = 0;
    for (; *s != '\0'; s++) {
        if (*s < '0' || *s > '9' || f > 100000000)
            return -1;
        f = f * 10 + (*s - '0');
    }
    /* a power of ten: the exact scalings of 万, 亿, 千 */
    for (int64_t p = 1; p <= f; p *= 10)
        if (p == f) {
            *out = f;
            return 0;
        }
    return -1;
}

static int
load_units(struct vocab *v, struct reftable *t)
{
    char *f[3];
    int rc;

    if (reftable_header(t, UNITS_HEADER) < 0)
        return -1;
    v->units = xcalloc(reftable_max_lines(t), sizeof(*v->units));
    while ((rc = reftable_next_row(t, f, 3)) > 0) {
        struct unit_def *d = &v->units[v->nunits];
        if (strcmp(f[1], "count") == 0)
            d->u.measure = UNIT_COUNT;
        else if (strcmp(f[1], "amount") == 0)
            d->u.measure = UNIT_AMOUNT;
        else
            return reftable_error(
                t, 2, _("measure '%s' is not count or amount"), f[1]);
        if (parse_factor(f[2], &d->u.factor) < 0)
            return reftable_error(t, 3,
                                  _("factor '%s' is not 1, 10, 100, ... "
                                    "(at most 100000000)"),
                                  f[2]);
        for (size_t i = 0; i < v->nunits; i++)
            if (word_eq(f[0], strlen(f[0]), v->units[i].u.name))
                return reftable_error(t, 1, _("unit '%s' repeats line %lu"),
                                      f[0], v->units[i].line);
        d->u.name = f[0];
        d->line = t->line;
        v->nunits++;
    }
    return rc;
}

static int
parse_set(const char *s, enum code_set *set)
{
    for (int k = 0; k < CODESET_N; k++)
        if (strcmp(s, codes_set_name((enum code_set)k)) == 0) {
            *set = (enum code_set)k;
            return 0;
        }
    return -1;
}

static int
load_values(struct vocab *v, struct reftable *t)
{
    char *f[3];
    int rc;

    if (reftable_header(t, VALUES_HEADER) < 0)
        return -1;
    v->synonyms = xcalloc(reftable_max_lines(t), sizeof(*v->synonyms));
    while ((rc = reftable_next_row(t, f, 3)) > 0) {
        enum code_set set;
        if (parse_set(f[0], &set) < 0)
            return reftable_error(
                t, 1, _("'%s' is not channel, scope, use or relation"), f[0]);
        int code = codes_parse(v->codes, set, f[1], strlen(f[1]));
        if (code < 0 || strcmp(codes_code(v->codes, set, code), f[1]) != 0)
            return reftable_error(t, 2, _("'%s' is not a %s code (%s)"), f[1],
                                  f[0], codes_accepted(v->codes, set));
        for (size_t i = 0; i < v->nsynonyms; i++) {
            const struct synonym *y = &v->synonyms[i];
            if (y->set != set || !word_eq(f[2], strlen(f[2]), y->value))
                continue;
            if (y->code != code)
                return reftable_error(
                    t, 3, _("'%s' already means %s %s (line %lu)"), f[2], f[0],
                    codes_code(v->codes, set, y->code), y->line);
            return reftable_error(t, 3, _("%s value '%s' repeats line %lu"),
                                  f[0], f[2], y->line);
        }
        int other = vocab_value(v, set, f[2], strlen(f[2]));
        if (other >= 0)
            return reftable_error(t, 3, _("'%s' already means %s %s"), f[2],
                                  f[0], codes_code(v->codes, set, other));
        v->synonyms[v->nsynonyms++] =
            (struct synonym){f[2], set, code, t->line};
    }
    return rc;
}

struct vocab *
vocab_load(const char *dir, const struct codes *codes, struct diag *err)
{
    static const char *const files[3] = {COLUMNS_FILE, UNITS_FILE, VALUES_FILE};
    int (*const loaders[3])(struct vocab *, struct reftable *) = {
        load_columns, load_units, load_values};
    struct vocab *v = xcalloc(1, sizeof(*v));

    v->codes = codes;
    for (int k = 0; k < 3; k++) {
        struct reftable t;
        if (reftable_read(&t, dir, files[k], err) < 0)
            goto fail;
        v->text[k] = t.text;
        if (loaders[k](v, &t) < 0)
            goto fail;
    }
    return v;
fail:
    vocab_free(v);
    return NULL;
}

void
vocab_free(struct vocab *v)
{
    if (v == NULL)
        return;
    free(v->names);
    free(v->units);
    free(v->synonyms);
    for (int k = 0; k < 3; k++)
        free(v->text[k]);
    free(v);
}
