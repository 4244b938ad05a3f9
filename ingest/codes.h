/* SPDX-License-Identifier: MIT */
/*
 * ingest/codes.h - the closed code sets: scope, use, relation (DESIGN §2).
 *
 * Each value has a stable English code (what the store and csv/json output
 * carry) and a Chinese name (what tables and the bulletin show).  Parsing
 * here accepts the code or the Chinese name; the further spellings of
 * data/values.csv are added by vocab_value() (ingest/vocab.h).  Numbering
 * is fixed: it is the display order.
 */
#ifndef INGEST_CODES_H
#define INGEST_CODES_H

#include <stddef.h>

enum scope { SCOPE_SAME_AREA, SCOPE_CROSS_AREA, SCOPE_CROSS_PROVINCE, SCOPE_N };

enum use { USE_MEDICAL, USE_PHARMACY, USE_PREMIUM, USE_OTHER, USE_N };

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

enum code_set { CODESET_SCOPE, CODESET_USE, CODESET_RELATION, CODESET_N };

/*
 * Parse s[0..len) (code or Chinese name; surrounding spaces are the
 * caller's business) as a member of set.  Returns the value, or -1.
 */
int codes_parse(enum code_set set, const char *s, size_t len);

/* Number of values in set. */
int codes_count(enum code_set set);

/* The English code ("same_area") and Chinese name ("同一统筹区") of v. */
const char *codes_code(enum code_set set, int v);
const char *codes_name(enum code_set set, int v);

/* "scope", "use", "relation" */
const char *codes_set_name(enum code_set set);

/* A readable list of the accepted codes for messages: "same_area, ...". */
const char *codes_accepted(enum code_set set);

#endif /* INGEST_CODES_H */
