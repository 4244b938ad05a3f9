/* SPDX-License-Identifier: MIT */
#include "ingest/codes.h"

#include <string.h>

#include "common/diag.h"
#include "common/i18n.h"

/*
 * The codes and their display names.  Other spellings a province may use
 * are synonyms in data/values.csv (ingest/vocab.h).
 */
struct code_def {
    const char *code;
    const char *name;
};

static const struct code_def scopes[SCOPE_N] = {
    {"same_area", "同一统筹区"},
    {"cross_area", "省内跨统筹区"},
    {"cross_province", "跨省"},
};

static const struct code_def uses[USE_N] = {
    {"medical", "定点医疗机构"},
    {"pharmacy", "定点零售药店"},
    {"premium", "参加居民医保等个人缴费"},
    {"other", "其他"},
};

static const struct code_def relations[REL_N] = {
    {"spouse", "配偶"},
    {"parent", "父母"},
    {"child", "子女"},
    {"sibling", "兄弟姐妹"},
    {"grandparent", "祖父母/外祖父母"},
    {"grandchild", "孙子女/外孙子女"},
    {"unspecified", "未区分"},
};

static const struct code_def *
set_defs(enum code_set set, int *n)
{
    switch (set) {
    case CODESET_SCOPE:
        *n = SCOPE_N;
        return scopes;
    case CODESET_USE:
        *n = USE_N;
        return uses;
    case CODESET_RELATION:
        *n = REL_N;
        return relations;
    case CODESET_N:
        break;
    }
    BUG("bad code set %d", (int)set);
}

static int
eq(const char *lit, const char *s, size_t len)
{
    return lit != NULL && strlen(lit) == len && memcmp(lit, s, len) == 0;
}

int
codes_parse(enum code_set set, const char *s, size_t len)
{
    int n;
    const struct code_def *d = set_defs(set, &n);

    /* the store keeps English codes: try those first */
    for (int i = 0; i < n; i++)
        if (eq(d[i].code, s, len))
            return i;
    for (int i = 0; i < n; i++)
        if (eq(d[i].name, s, len))
            return i;
    /* English codes are also accepted in upper case ("SAME_AREA") */
    for (int i = 0; i < n; i++) {
        const char *c = d[i].code;
        if (strlen(c) != len)
            continue;
        size_t k = 0;
        while (k < len) {
            char ch = s[k];
            if (ch >= 'A' && ch <= 'Z')
                ch = (char)(ch - 'A' + 'a'); /* not |0x20: '_' must stay */
            if (ch != c[k])
                break;
            k++;
        }
        if (k == len)
            return i;
    }
    return -1;
}

int
codes_count(enum code_set set)
{
    int n;
    set_defs(set, &n);
    return n;
}

const char *
codes_code(enum code_set set, int v)
{
    int n;
    const struct code_def *d = set_defs(set, &n);
    if (v < 0 || v >= n)
        BUG("code %d out of range", v);
    return d[v].code;
}

const char *
codes_name(enum code_set set, int v)
{
    int n;
    const struct code_def *d = set_defs(set, &n);
    if (v < 0 || v >= n)
        BUG("code %d out of range", v);
    return d[v].name;
}

const char *
codes_set_name(enum code_set set)
{
    static const char *names[CODESET_N] = {N_("scope"), N_("use"),
                                           N_("relation")};
    if ((unsigned)set >= CODESET_N)
        BUG("bad code set");
    return names[set];
}

const char *
codes_accepted(enum code_set set)
{
    switch (set) {
    case CODESET_SCOPE:
        return "same_area/同一统筹区, cross_area/省内跨统筹区, "
               "cross_province/跨省";
    case CODESET_USE:
        return "medical/定点医疗机构, pharmacy/定点零售药店, "
               "premium/参加居民医保等个人缴费, other/其他";
    case CODESET_RELATION:
        return "spouse/配偶, parent/父母, child/子女, sibling/兄弟姐妹, "
               "grandparent/祖父母/外祖父母, grandchild/孙子女/外孙子女, "
               "unspecified/未区分";
    case CODESET_N:
        break;
    }
    BUG("bad code set");
}
