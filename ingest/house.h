/* SPDX-License-Identifier: MIT */
/*
 * ingest/house.h - the house style: the texts a release carries that are
 * not figures (the charts' source line, the workbook's source note, the
 * issuing unit), read from templates/house.conf so that an office changes
 * them without a rebuild (README "House style").
 *
 * The file: UTF-8, one `key = value` per line, `#` comments and blank
 * lines ignored; keys source_line, data_source, issuer.  A value is plain
 * text - it is escaped wherever it goes (Markdown, gnuplot arguments,
 * XML) and never becomes markup or script - of 1..HOUSE_VALUE_MAX bytes
 * without control characters.
 */
#ifndef INGEST_HOUSE_H
#define INGEST_HOUSE_H

#include <stddef.h>

struct diag;

#define HOUSE_VALUE_MAX 200

struct house {
    /* the last line of every chart */
    char source_line[HOUSE_VALUE_MAX + 1];
    /* the note under the 附件 table and the workbook's comments, followed
     * by "，截至DATE。" */
    char data_source[HOUSE_VALUE_MAX + 1];
    /* the release's issuing unit ({issuer} in a template) */
    char issuer[HOUSE_VALUE_MAX + 1];
    /* the file read ("" for the built-in values); messages point here */
    char path[4096];
};

/* The built-in values (those of the shipped house.conf). */
void house_init(struct house *h);

/*
 * house_init(), then dir/house.conf over it when the file exists (a
 * templates directory of an older gongji has none).  0, or -1 with err set
 * (DIAG_CONFIG at house.conf:LINE:COL: an unknown key, a line without
 * '=', an empty, too long or invalid value).
 */
int house_load(struct house *h, const char *dir, struct diag *err);

#endif /* INGEST_HOUSE_H */
