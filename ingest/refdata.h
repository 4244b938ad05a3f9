/* SPDX-License-Identifier: MIT */
/*
 * ingest/refdata.h - reference tables: provinces and pooling areas.
 *
 * Loaded from data/provinces.csv and data/areas.csv (UTF-8, header row),
 * with the vocabulary of input files (data/columns.csv, units.csv,
 * values.csv: ingest/vocab.h).
 * Provinces keep the table order of the national release (code order,
 * 660000 新疆生产建设兵团 last).  The area code set is open: a code missing
 * from areas.csv is not an error here, only a lookup that returns NULL.
 */
#ifndef INGEST_REFDATA_H
#define INGEST_REFDATA_H

#include <stdbool.h>
#include <stddef.h>

struct diag;
struct vocab;

struct province {
    int code;               /* 110000 */
    const char *name;       /* 北京市 */
    const char *short_name; /* 北京 */
    int order;              /* 0-based position in the release table */
};

struct area {
    int code;         /* 330100 */
    const char *name; /* 杭州市 */
    int province;     /* 330000 */
};

struct codes;
struct refdata;

/*
 * Load the tables from dir (which holds provinces.csv, areas.csv and the
 * vocabulary files).
 * Returns a new object (free with refdata_free()), or NULL with err set
 * (DIAG_CONFIG, naming the file and line).
 */
struct refdata *refdata_load(const char *dir, struct diag *err);
void refdata_free(struct refdata *rd);

/*
 * The vocabulary of input files (header names, units, value synonyms:
 * ingest/vocab.h), loaded with the tables; borrowed from rd.
 */
/*
 * The code sets in force (data/codes.csv, ingest/codes.h); rd NULL gives
 * NULL, the built-in sets.
 */
const struct codes *refdata_codes(const struct refdata *rd);

const struct vocab *refdata_vocab(const struct refdata *rd);

/* Lookups; the returned pointers are borrowed from rd. NULL if unknown. */
const struct province *refdata_province(const struct refdata *rd, int code);
const struct area *refdata_area(const struct refdata *rd, int code);

/* The province an area code belongs to (first two digits + 0000), or NULL. */
const struct province *refdata_area_province(const struct refdata *rd,
                                             int area_code);

/* Provinces in release-table order: i in [0, refdata_province_count()). */
size_t refdata_province_count(const struct refdata *rd);
const struct province *refdata_province_at(const struct refdata *rd, size_t i);

/* Areas in code order. */
size_t refdata_area_count(const struct refdata *rd);
const struct area *refdata_area_at(const struct refdata *rd, size_t i);

/*
 * Find a province by code ("330000"), full name ("浙江省") or short name
 * ("浙江"); an area by code or full name.  Returns NULL when nothing
 * matches.  Used for --where values.
 */
const struct province *refdata_find_province(const struct refdata *rd,
                                             const char *s);
const struct area *refdata_find_area(const struct refdata *rd, const char *s);

/* At most this many areas are kept for one name (more are only counted). */
#define REFDATA_NAME_AREAS 4

/*
 * Everything the name s[0..len) (already trimmed) can mean in an input
 * file: the areas whose full name it is, or is without a final 市, 地区 or
 * 盟 (杭州 for 杭州市), in code order, and the province whose full or short
 * name it is (北京市 is both area 110100 and province 110000).
 */
struct refdata_names {
    const struct area *area[REFDATA_NAME_AREAS]; /* borrowed from rd */
    size_t narea;                                /* all found, kept or not */
    const struct province *province;             /* or NULL */
};
void refdata_match_name(const struct refdata *rd, const char *s, size_t len,
                        struct refdata_names *out);

/*
 * Does s[0..len) name area a: its full name, the name without a final 市,
 * 地区 or 盟, or the 市本级 / 省本级 / 本级 its name ends with (for
 * xx9900)?
 */
bool refdata_area_named(const struct area *a, const char *s, size_t len);

/*
 * Where the reference data lives: dir when it is neither NULL nor empty
 * (cli/ passes $GONGJI_DATA), else ../share/gongji/data beside the
 * executable (an installed tree, wherever it was unpacked), else ../data
 * beside it (running from the build tree), written into buf (of len
 * bytes), else the compiled-in share directory.  Returns dir, buf or a string
 * literal.
 */
const char *refdata_default_dir(const char *dir, char *buf, size_t len);

#endif /* INGEST_REFDATA_H */
