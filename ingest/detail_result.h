/* SPDX-License-Identifier: MIT */
/*
 * ingest/detail_result.h - the end of reading a detail file, after the
 * threads: their problems into the caller's list in file order with
 * absolute lines, and their cells merged into the submission.
 *
 * Positions found by the threads are (chunk << 32 | line in chunk); a
 * table of the absolute line where each chunk begins turns them into
 * lines of the file.
 */
#ifndef INGEST_DETAIL_RESULT_H
#define INGEST_DETAIL_RESULT_H

struct detail_shared;
struct detail_worker;
struct diag_list;
struct submission;

/*
 * The absolute line of the first line of each chunk (sh->next_chunk + 1
 * entries, the last one after the last chunk).  The caller frees it with
 * free().
 */
unsigned long *detail_result_lines(const struct detail_shared *sh);

/*
 * Move the problems of the nw workers ws into dl, in file order with
 * absolute lines (base from detail_result_lines()), the unknown payer
 * areas as one warning each; leave out everything after the first syntax
 * error (the chunks after it may have been cut at the wrong places).  The
 * counts in dl include the problems not kept.
 */
void detail_result_problems(const struct detail_shared *sh,
                            const struct detail_worker *ws, unsigned nw,
                            const unsigned long *base, struct diag_list *dl);

/*
 * Merge the workers' cells into ws[0]'s table (releasing them all), check
 * the cells (no negative sums) and the coverage totals, and fill sf->rows
 * (sorted by key) and sf->cover.  Returns 0, or -1 with errors in dl.
 */
int detail_result_build(const struct detail_shared *sh,
                        struct detail_worker *ws, unsigned nw,
                        const unsigned long *base, struct submission *sf,
                        struct diag_list *dl);

#endif /* INGEST_DETAIL_RESULT_H */
