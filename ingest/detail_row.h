/* SPDX-License-Identifier: MIT */
/*
 * ingest/detail_row.h - parsing one chunk of a detail file: each row
 * validated and summed into its thread's cells (the hot loop of the detail
 * reader), each problem kept with its line in the chunk (the cold paths
 * in ingest/detail_cold.c).  Of the small parsers public in
 * ingest/detail.h, detail_parse_time() is defined in detail_row.c too,
 * detail_mask_id() in detail_cold.c.
 */
#ifndef INGEST_DETAIL_ROW_H
#define INGEST_DETAIL_ROW_H

#include <stdbool.h>
#include <stddef.h>

struct detail_worker;

/*
 * Parse w->buf[0..len), the chunk w->chunk, which ends at a record
 * boundary (or at the end of the input) and has DETAIL_PAD readable bytes
 * after it.  Rows go into w->tab, problems into w->errs, the chunk's
 * newline and problem counts into w->info; a syntax error, which ends the
 * chunk, also sets w->syntax.  overlong: the chunk is one record longer
 * than CSVREAD_MAX_RECORD, which is reported instead.
 */
void detail_row_parse_chunk(struct detail_worker *w, size_t len, bool overlong);

#endif /* INGEST_DETAIL_ROW_H */
