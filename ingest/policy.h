/*
 * ingest/policy.h - which provinces have widened family sharing, and since
 * when (data/policy.csv: province,measure,status,since,note).
 *
 * Measures: near_relatives (sharing extended to all near relatives, 近亲属),
 * cross_area (sharing across pooling areas inside the province),
 * cross_province.  Status full or partial.  A province may have several
 * rows for one measure (partial first, full later); the one in effect on a
 * date is the latest whose `since` is on or before it.
 */
#ifndef INGEST_POLICY_H
#define INGEST_POLICY_H

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

/* Status of a measure in a province on date yyyymmdd; *note (borrowed, may
 * be NULL) gets the row's note. */
enum policy_status policy_status_on(const struct policy *p, int province,
                                    enum policy_measure m, int date,
                                    const char **note);

/* Parse "YYYY-MM-DD" (a real calendar date) into yyyymmdd; -1 if invalid. */
int policy_parse_date(const char *s, size_t len);

#endif /* INGEST_POLICY_H */
