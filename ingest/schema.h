/* SPDX-License-Identifier: MIT */
/*
 * ingest/schema.h - the one column table of both kinds of input file, and
 * the mapping of a header row onto it.
 *
 * A monthly summary file (DESIGN §3) and a per-settlement detail file
 * (§3b) share this table: each column has a canonical English name, says
 * in which kind of file it is used and whether it is required there, and
 * whether its presence marks a detail file.  The names a header may use
 * besides the English one, and the unit suffixes ("(元)", "（万元）"), are
 * the shipped vocabulary (ingest/vocab.h, data/columns.csv and
 * data/units.csv), so both readers accept the same spellings and report
 * the same problems with the same messages.
 *
 * Header names are matched with surrounding blanks ignored, English names
 * in any case.  Unknown columns are warnings and ignored; an empty header
 * field, a repeated column, a missing required one and a unit that does not
 * fit the column are errors.  A unit of another factor (万元, 亿元, 万人次)
 * is recorded for the summary reader, which converts values exactly
 * (money_parse_scaled()); a detail file's amount is read in 元 only.
 * Unit rows above a header ("单位：万元、人次") are read by
 * schema_unit_row() and applied by schema_apply_units().
 */
#ifndef INGEST_SCHEMA_H
#define INGEST_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct diag_list;
struct vocab;

enum column {
    /* summary files (use, relation and amount also in detail files) */
    COL_PERIOD,
    COL_AREA,
    COL_AREA_NAME,
    COL_SCOPE,
    COL_USE,
    COL_RELATION,
    COL_PERSON_TIMES,
    COL_AMOUNT,
    COL_CHANNEL, /* optional in both kinds: account when absent */
    /* detail files only */
    COL_SETTLEMENT_ID,
    COL_SETTLE_TIME,
    COL_PAYER_AREA,
    COL_BENEFICIARY_AREA,
    COL_PAYER_ID,
    COL_BENEFICIARY_ID,
    COL_N
};

enum file_kind { FILE_SUMMARY, FILE_DETAIL };

/* One header field as the caller's parser cut it (not NUL-terminated). */
struct schema_cell {
    const char *s;
    size_t len;
};

struct unit;

struct schema {
    enum file_kind kind;
    int idx[COL_N]; /* 0-based field index of each column, -1 if absent */
    size_t nfields; /* fields in the header row */
    /*
     * The unit each column's values are written in, from its header
     * ("共济金额(万元)") or a unit row (schema_apply_units()), NULL when
     * none was named (the base unit: 元, 人次); exp10 is its power of ten
     * (4 for 万元, 0 without a unit).
     * Only summary files have units other than the base ones: a detail
     * file's header in 万元 is refused.
     */
    const struct unit *unit[COL_N];
    int exp10[COL_N];
};

/*
 * What unit rows above a header said ("单位：万元、人次"): a unit per
 * measure (enum unit_measure), NULL where none was named, and the line
 * that named it.  Zero-initialise before the first schema_unit_row().
 */
struct schema_units {
    const struct unit *unit[2];
    unsigned long line[2];
};

/*
 * The column a header name names, after trimming blanks and a unit suffix
 * such as "(元)" or "（万元）": the column or -1.  *unit (may be NULL) is set
 * to the suffix's unit, or NULL when there is none or it is not a unit of
 * the vocabulary.
 */
int schema_lookup(const struct vocab *v, const char *s, size_t len,
                  const struct unit **unit);

/*
 * Does this header row name a column that only detail files have
 * (settlement_id, settle_time, payer_area, beneficiary_area, payer_id,
 * beneficiary_id, or one of their names in data/columns.csv)?
 */
bool schema_is_detail(const struct vocab *v, const struct schema_cell *hdr,
                      size_t n);

/*
 * Map the header row hdr[0..n) at file:line as the header of a file of the
 * given kind (schema_is_detail() tells which it is); columns the kind does
 * not use are reported as ignored.  Problems go to dl (col = the header
 * field).  Returns 0 when every required column of the kind is there and
 * nothing is wrong, -1 otherwise.
 */
int schema_map(struct schema *sc, const struct vocab *v,
               const struct schema_cell *hdr, size_t n, enum file_kind kind,
               const char *file, unsigned long line, struct diag_list *dl);

/*
 * Is the row cells[0..n) at file:line a unit row, a row above the header
 * with a cell such as "单位：万元、人次", "单位:万元,人次", "金额单位：万元"
 * or "（单位：万元）"?  A cell is a unit statement when, brackets and
 * blanks aside, it starts with 单位, 计量单位, 金额单位 (amounts only) or
 * 人次单位 / 数量单位 (counts only), then a colon (half- or full-width),
 * then units of data/units.csv separated by 、 , ， ; ； / or blanks.
 * Returns 1 with the units added to *u, 0 when the row has no such cell
 * (it is no unit row), -1 when a unit statement is not understood or is
 * ambiguous: a word that is no unit, two units for one measure (元 and 万元),
 * a unit of the wrong measure for its prefix, or a unit that another unit
 * row contradicts (reported to dl at the cell).
 */
int schema_unit_row(struct schema_units *u, const struct vocab *v,
                    const struct schema_cell *cells, size_t n, const char *file,
                    unsigned long line, struct diag_list *dl);

/*
 * Apply what unit rows said to the mapped header sc (of a summary file;
 * hdr, n and line are its row): a column without a unit of its own takes
 * the unit row's unit for its measure; a column whose header names a
 * different unit is ambiguous, an error naming both.  Returns 0 or -1.
 */
int schema_apply_units(struct schema *sc, const struct schema_units *u,
                       const struct schema_cell *hdr, size_t n,
                       const char *file, unsigned long line,
                       struct diag_list *dl);

/* The power of ten of a unit's factor (4 for 万元's 10000). */
int schema_unit_exp10(const struct unit *u);

/* The English name of a column ("person_times"). */
const char *schema_column_name(enum column c);

/* Is column c used in files of this kind? */
bool schema_column_used(enum column c, enum file_kind kind);

#endif /* INGEST_SCHEMA_H */
