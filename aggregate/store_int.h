/* SPDX-License-Identifier: MIT */
/*
 * aggregate/store_int.h - INTERNAL to the store (aggregate/store*.c): the
 * handle its parts share.  Nothing else may include it; the contract for
 * everyone else is aggregate/store.h.
 *
 * The parts: store.c (transactions, put, submissions), store_plan.c (what
 * a put would replace and lose, decided before it writes) and
 * store_schema.c (the schema, its versions and migrations, opening a file
 * as a store).
 */
#ifndef AGGREGATE_STORE_INT_H
#define AGGREGATE_STORE_INT_H

#include <stdbool.h>
#include <stddef.h>

struct diag;
struct sqlite3;
struct sqlite3_stmt;

#define STORE_PUT_STMTS 8

struct store {
    struct sqlite3 *db;
    char *path;
    bool in_tx;  /* between store_begin() and store_commit()/rollback */
    int version; /* schema version as read: older only for a reader that
                    could not migrate it (0: STORE_SCHEMA_VERSION) */
    /* store_set_vintage(): 0, or the last submission readers see */
    long long vintage;
    bool has_release_cut;  /* store_set_release_cut() was called */
    long long release_cut; /* ... the last release readers see */
    char fact_src[640];    /* what readers select facts from (store.h) */
    bool has_fact_key;     /* the table fact_key is there (store_schema.c) */
    bool readonly;         /* connected read-only (store_schema.c) */
    /* store_put()'s statements, prepared at its first call (store.c) */
    struct sqlite3_stmt *put_ps[STORE_PUT_STMTS];
    bool immutable; /* ... and as an immutable file */
};

/* The coverage rows in effect at the vintage, as an SQL condition on
 * coverage c ("c.replaced_by IS NULL" without one); in buf. */
const char *store_coverage_current(const struct store *st, char *buf,
                                   size_t len);

/* How long a writer waits for another one (ms). */
#define STORE_BUSY_MS (10 * 60 * 1000)

/* Run sql (any number of statements); -1 with SQLite's message in err. */
int store_exec(struct store *st, const char *sql, struct diag *err);

/*
 * Like store_exec(), but waits while another process holds a lock SQLite
 * will not wait for by itself (see store.c).
 */
int store_exec_waiting(struct store *st, const char *sql, struct diag *err);

#endif /* AGGREGATE_STORE_INT_H */
