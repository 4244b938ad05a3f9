/*
 * aggregate/store.h - the SQLite store and its semantics (DESIGN §4).
 *
 * Tables (see README "The store"): submission (one row per ingested file
 * version: name, SHA-256, size, encoding, rows, time), coverage (which
 * (province, month) pairs each submission covers and, once replaced, by
 * which later submission), fact (the monthly flows in effect, one row per
 * (period, area, scope, use, relation) - the primary key makes double
 * counting impossible) and fact_history (every replaced fact, kept).
 *
 * Writers take the database lock with BEGIN IMMEDIATE and wait for each
 * other (busy timeout) instead of failing.  The journal is WAL with
 * synchronous=FULL: a process killed at any moment leaves the store as it
 * was before or after its transaction.
 *
 * Versions: meta.schema_version says which schema a store has.  A store of
 * a newer version is refused; an older one is migrated, in one transaction,
 * the first time it is opened by someone who can write it.  A SQLite file
 * with tables that are not gongji's is refused and never changed.
 */
#ifndef AGGREGATE_STORE_H
#define AGGREGATE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/period.h"

struct diag;
struct submission;
struct sqlite3;

struct store;

/* The schema version this gongji reads and writes (meta.schema_version). */
#define STORE_SCHEMA_VERSION 2

enum store_mode { STORE_READ, STORE_WRITE };

/*
 * Open the database at path.  Returns NULL with err set on failure, whose
 * message names the cause (SQLite's own message for a damaged file).
 *
 * STORE_WRITE creates the file and schema if needed, and first checks the
 * store with PRAGMA quick_check when it is small (see store.c), so nothing
 * is written into a damaged store.  A SQLite database with other tables is
 * refused (DIAG_NOINPUT) and left as it was.
 *
 * STORE_READ never creates anything: a missing file fails with
 * DIAG_NOINPUT.  It opens the file read-only - immutable when nothing can
 * be created beside it (read-only directory or medium) - and waits a few
 * seconds for a file without tables, which is usually a store a concurrent
 * first ingest is creating.  An older store is migrated if the caller may
 * write it, and refused with a message saying how otherwise.
 *
 * A store of a newer schema version fails with DIAG_NOINPUT naming both.
 */
struct store *store_open(const char *path, enum store_mode mode,
                         struct diag *err);
void store_close(struct store *st);

/* Take the write lock (waits for other writers), commit, roll back. */
int store_begin(struct store *st, struct diag *err);
int store_commit(struct store *st, struct diag *err);
void store_rollback(struct store *st);

struct store_put_result {
    bool unchanged;        /* byte-identical to the version in effect */
    size_t pairs_new;      /* (province, month) pairs not stored before */
    size_t pairs_replaced; /* pairs whose earlier version became history */
    int64_t submission_id;
};

/*
 * Store a validated file inside the current transaction: a new submission,
 * and for every (province, month) it covers, the earlier facts moved to
 * history and the file's facts put in effect.  A file whose SHA-256 is
 * already in effect for all the pairs it covers changes nothing
 * (res->unchanged).  `ingested_at` is an ISO 8601 UTC time.
 */
int store_put(struct store *st, const struct submission *sf,
              const char *ingested_at, struct store_put_result *res,
              struct diag *err);

struct store_submission_row {
    int64_t id;
    const char *file;
    const char *sha256;
    int64_t bytes;
    const char *encoding;
    int64_t rows;      /* rows of this pair */
    int64_t file_rows; /* rows of the whole file */
    int province;
    struct period period;
    int64_t person_times;
    int64_t amount_fen;
    const char *ingested_at;
    int64_t replaced_by; /* 0 = in effect */
};

/* Called per (submission, pair); strings are valid during the call only. */
typedef int store_submission_fn(const struct store_submission_row *row,
                                void *ctx);

/*
 * List (submission, pair) rows in effect - or all, with history - ordered
 * by province, period, submission.  Stops when fn returns non-zero.
 */
int store_submissions(struct store *st, bool history, store_submission_fn *fn,
                      void *ctx, struct diag *err);

/* The underlying handle, for aggregate/query.c. */
struct sqlite3 *store_handle(struct store *st);

/* Fill err from the handle's last error, with a context word; returns -1. */
int store_error(struct store *st, struct diag *err, const char *what);

#endif /* AGGREGATE_STORE_H */
