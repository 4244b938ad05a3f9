/* SPDX-License-Identifier: MIT */
/*
 * ingest/vocab.h - the words of input files that a statistician can extend
 * without a rebuild: header names (data/columns.csv), unit suffixes of
 * header names (data/units.csv) and value synonyms (data/values.csv).
 *
 * The columns themselves (what each holds, which are required, which mark
 * a detail file) are fixed in ingest/schema.h, and the codes with their
 * display names in ingest/codes.h: those need code to use them.  What a
 * province may spell differently lives here.  Loaded with the rest of the
 * reference data (ingest/refdata.h: refdata_vocab()).  data/README.md
 * documents the three files.
 */
#ifndef INGEST_VOCAB_H
#define INGEST_VOCAB_H

#include <stddef.h>
#include <stdint.h>

#include "ingest/codes.h"

struct diag;
struct vocab;

/* What a unit measures: a count (人次, 笔) or an amount of money (元). */
enum unit_measure { UNIT_COUNT, UNIT_AMOUNT };

struct unit {
    const char *name; /* "万元" */
    enum unit_measure measure;
    int64_t factor; /* 10000: one of these is 10000 base units */
};

/*
 * Load columns.csv, units.csv and values.csv from dir, for the code sets
 * codes (borrowed: they must outlive the vocabulary; NULL: the built-in
 * ones).  Header names and
 * synonyms are checked against the built-in column names (schema_column_
 * name()) and codes (codes_parse()): an unknown column or code, a name
 * given to two columns, a synonym that already means another value, and a
 * repeated line are DIAG_CONFIG errors at the file and line.  Returns a new
 * object (vocab_free()), or NULL with err set.
 */
struct vocab *vocab_load(const char *dir, const struct codes *codes,
                         struct diag *err);

/* The code sets the vocabulary was loaded with (borrowed). */
const struct codes *vocab_codes(const struct vocab *v);
void vocab_free(struct vocab *v);

/*
 * The column a header name s[0..len) (already trimmed, unit suffix
 * removed) names: the built-in English name in any case, or a name from
 * columns.csv (English names there also in any case).  Returns the column
 * (an enum column of ingest/schema.h) or -1.
 */
int vocab_column(const struct vocab *v, const char *s, size_t len);

/*
 * The first name columns.csv gives column c (its usual Chinese header, for
 * messages), or NULL when it gives none.
 */
const char *vocab_column_alias(const struct vocab *v, int c);

/* The unit called s[0..len) ("万元"), or NULL. */
const struct unit *vocab_unit(const struct vocab *v, const char *s, size_t len);

/*
 * Parse s[0..len) as a value of set: a code or display name (codes_parse())
 * or a synonym from values.csv (ASCII letters in any case).  Returns the
 * value or -1.
 */
int vocab_value(const struct vocab *v, enum code_set set, const char *s,
                size_t len);

#endif /* INGEST_VOCAB_H */
