/* SPDX-License-Identifier: MIT */
/*
 * ingest/sumrow.h - one data row of a summary file: its cells validated
 * (period, area, scope, use, relation, person-times, amount) and the row
 * kept, as a record of the submission or, when it is a total row, as a
 * total to check (ingest/sumtotal.h).
 *
 * Internal to the summary reader: ingest/summary.c calls it once the header
 * is mapped and the row has the header's number of fields.
 */
#ifndef INGEST_SUMROW_H
#define INGEST_SUMROW_H

struct csvread_row;
struct parse_ctx;
struct sumtotal;

/*
 * Validate the row and keep it (in c->sf->rows or c->totals) when it is
 * valid; every problem is reported to c->dl and counted in c->errors.
 * Returns 0 (a bad row does not stop the reading).
 */
int sumrow_read(struct parse_ctx *c, const struct csvread_row *row);

/* Add t to the total rows to check (c->totals). */
void sumrow_add_total(struct parse_ctx *c, const struct sumtotal *t);

#endif /* INGEST_SUMROW_H */
