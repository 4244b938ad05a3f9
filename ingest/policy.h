/* SPDX-License-Identifier: MIT */
/*
 * ingest/policy.h - which provinces have widened family sharing, and since
 * when (data/policy.csv: province,measure,status,since,known,note).
 *
 * Measures: near_relatives (sharing extended to all near relatives, 近亲属),
 * cross_area (sharing across pooling areas inside the province),
 * cross_province.  Status none, partial or full.  A row records what is
 * known as it is known: known=since, the status began on that day (a
 * province's own notice); known=by, the status was in effect on that day
 * (a national release said so) but began on a day nobody recorded, after
 * the row before it.  A province may have several rows for one measure
 * (none by 2024-10-20, full by 2024-12-09).  The status on a date D is
 * that of the latest row on or before D (none without one), and it is
 * *known* unless the next row is a known=by row of another status: the
 * change may then already have happened.  A row dated D is always known
 * on D.  (A table of the older form province,measure,status,since,note
 * is read with known=since.)
 */
#ifndef INGEST_POLICY_H
#define INGEST_POLICY_H

#include <stdbool.h>
#include <stddef.h>

struct diag;

enum policy_measure {
    POLICY_NEAR_RELATIVES,
    POLICY_CROSS_AREA,
    POLICY_CROSS_PROVINCE,
    POLICY_N
};

enum policy_status { POLICY_NONE, POLICY_PARTIAL, POLICY_FULL };

struct policy_row {
    int province;
    enum policy_measure measure;
    enum policy_status status;
    int since; /* yyyymmdd */
    bool by;   /* known=by: in effect on `since`, begun before (see above) */
    char *note;
};

struct policy {
    struct policy_row *rows;
    size_t nrows;
};

/*
 * Load dir/policy.csv.  Returns 0, or -1 with err (DIAG_CONFIG at
 * file:line:col).  Free with policy_release().
 */
int policy_load(struct policy *p, const char *dir, struct diag *err);
void policy_release(struct policy *p);

/*
 * Status of a measure in a province on date yyyymmdd; *note (borrowed, may
 * be NULL) gets the row's note; *known (may be NULL) whether the table
 * knows it on that date (see above).
 */
enum policy_status policy_status_on(const struct policy *p, int province,
                                    enum policy_measure m, int date,
                                    const char **note, bool *known);

/* Parse "YYYY-MM-DD" (a real calendar date) into yyyymmdd; -1 if invalid. */
int policy_parse_date(const char *s, size_t len);

#endif /* INGEST_POLICY_H */
