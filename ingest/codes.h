/* SPDX-License-Identifier: MIT */
/*
 * ingest/codes.h - the code sets: channel, scope, use, relation (DESIGN §2,
 * README "Codes").
 *
 * Each value has a stable English code (what the store and csv/json output
 * carry), a Chinese name (what tables and the bulletin show) and perhaps a
 * parent: a coarse value a province reports when it does not split it
 * (省内 for 同一统筹区 + 省内跨统筹区, 就医购药 for 定点医疗机构 + 定点零售
 * 药店).  A value counts for itself and for every ancestor: a query on 省内
 * takes its children too (codes_within()).
 *
 * The built-in values below are the ones the code names; the shipped table
 * data/codes.csv repeats them and may add more (a new use under 其他, say)
 * without a rebuild: codes_load() appends them after the built-in ones, up
 * to CODES_MAX per set.  Numbering is the display order: built-in values
 * first, in the order below, then the table's additions in its order.
 * Parsing here accepts the code or the Chinese name; the further spellings
 * of data/values.csv are added by vocab_value() (ingest/vocab.h).
 */
#ifndef INGEST_CODES_H
#define INGEST_CODES_H

#include <stdbool.h>
#include <stddef.h>

struct diag;

/* Values a set can hold, built-in and added together. */
#define CODES_MAX 16

enum channel { CHANNEL_ACCOUNT, CHANNEL_WALLET, CHANNEL_N };

enum scope {
    SCOPE_SAME_AREA,
    SCOPE_CROSS_AREA,
    SCOPE_IN_PROVINCE, /* 省内: the parent of the two above */
    SCOPE_CROSS_PROVINCE,
    SCOPE_N
};

enum use {
    USE_MEDICAL,
    USE_PHARMACY,
    USE_MEDICAL_PHARMACY, /* 就医购药: the parent of the two above */
    USE_PREMIUM,
    USE_LTC_PREMIUM, /* 长期护理保险个人缴费 */
    USE_OTHER,
    USE_N
};

enum relation {
    REL_SPOUSE,
    REL_PARENT,
    REL_CHILD,
    REL_SIBLING,
    REL_GRANDPARENT,
    REL_GRANDCHILD,
    REL_UNSPECIFIED,
    REL_N
};

enum code_set {
    CODESET_SCOPE,
    CODESET_USE,
    CODESET_RELATION,
    CODESET_CHANNEL,
    CODESET_N
};

/*
 * The code sets in force: the built-in values (codes_builtin(), static and
 * immutable) or those a data directory's codes.csv gives (codes_load(),
 * owned by the reference data, ingest/refdata.h: refdata_codes()).  Every
 * function below takes the sets to use; NULL means the built-in ones.
 */
struct codes;

const struct codes *codes_builtin(void);

/*
 * Parse s[0..len) (code or Chinese name; surrounding spaces are the
 * caller's business) as a member of set.  Returns the value, or -1.
 */
int codes_parse(const struct codes *c, enum code_set set, const char *s,
                size_t len);

/* Number of values in set (built-in and added). */
int codes_count(const struct codes *c, enum code_set set);

/* The English code ("same_area") and Chinese name ("同一统筹区") of v. */
const char *codes_code(const struct codes *c, enum code_set set, int v);
const char *codes_name(const struct codes *c, enum code_set set, int v);

/* The parent of v, or -1 for a top-level value. */
int codes_parent(const struct codes *c, enum code_set set, int v);

/* Whether v is anc or one of its descendants. */
bool codes_within(const struct codes *c, enum code_set set, int v, int anc);

/* Whether some value has v as its parent (v is coarse). */
bool codes_has_children(const struct codes *c, enum code_set set, int v);

/* The top-level ancestor of v (v itself when it has no parent). */
int codes_top(const struct codes *c, enum code_set set, int v);

/*
 * The word counts of channel v are told in: "人次" for the account, "笔"
 * (transfers) for the wallet.
 */
const char *codes_count_label(const struct codes *c, int channel);

/* "scope", "use", "relation", "channel" */
const char *codes_set_name(enum code_set set);

/* A readable list of the accepted codes for messages: "same_area/..., ...". */
const char *codes_accepted(const struct codes *c, enum code_set set);

/*
 * Read dir/codes.csv (set,code,name,parent,count): a built-in value it
 * lists must be as above (same name, parent and count word), and it may
 * add values, whose parent is a value listed before them in the same set
 * ("-": none).  A directory without the file gives the built-in values.
 * Problems are DIAG_CONFIG errors at the file and line.  Returns the sets
 * (codes_free()), or NULL with err set.
 */
struct codes *codes_load(const char *dir, struct diag *err);
void codes_free(struct codes *c);

#endif /* INGEST_CODES_H */
