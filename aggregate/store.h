/* SPDX-License-Identifier: MIT */
/*
 * aggregate/store.h - the SQLite store and its semantics (DESIGN §4).
 *
 * Tables (see README "The store"): submission (one row per ingested file
 * version: name, SHA-256, size, encoding, rows, time), coverage (which
 * (province, month) pairs each submission covers - the whole of each, or
 * one named part - and, once replaced, by which later submission), fact (the
 * monthly flows in effect, one row per (period, area, scope, use, relation) -
 * the primary key makes double counting impossible), fact_history (every
 * replaced fact, kept) and fact_key (the facts of each submission summed
 * over area and relation, replaced with them: what queries that need
 * neither read; store_fact_key_source()).
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
#define STORE_SCHEMA_VERSION 6 /* 6: no index fact_province */

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

/*
 * How a file is put (DESIGN §4: nothing stored is removed or replaced
 * silently).  By default a file is the whole of every (province, month) it
 * covers, and a put that would lose stored data is refused.
 */
struct store_put_opts {
    /*
     * NULL or "": the file is the whole of each province-month it covers.
     * Otherwise its name as one part of each (a city, "杭州"): it replaces
     * only what the same part - or a whole version - stored, and adds up
     * with the other parts, which must not share an area with it.  At most
     * STORE_PART_MAX bytes.
     */
    const char *part;
    /*
     * --replace: accept the losses and stray pairs the plan lists (never a
     * clash with another part).
     */
    bool replace;
};

#define STORE_PART_MAX 64

/*
 * A pair is a stray minority of its file when the file has another pair
 * holding more than half of its rows, and the pair has at most
 * STORE_STRAY_MAX_ROWS rows and less than 1/STORE_STRAY_SHARE (5 %) of
 * them: a row with a wrong month or a mistyped area code, which must not
 * replace a whole stored province-month.
 */
#define STORE_STRAY_MAX_ROWS 3
#define STORE_STRAY_SHARE    20

/*
 * One stored area that a put would drop (the file has no row for it), or
 * one stored key of an area the file keeps, with non-zero figures, that
 * the file has no row for.  A lost area refuses the put (unless
 * --replace); a lost key of a kept area does not - a correction may drop
 * a row, and a detail file's cells come and go - but it is reported.
 */
struct store_loss {
    size_t pair;     /* index into the file's cover[] */
    int area;        /* 6-digit code */
    bool whole_area; /* the area is gone; else only the key below */
    unsigned char channel, scope, use, relation; /* the key (when
                                                    !whole_area) */
    int64_t rows;
    int64_t person_times;
    int64_t amount_fen;
    char *file; /* the file it was stored from (owned) */
};

/* What a put does to one (province, month) of the file. */
struct store_pair_plan {
    size_t replaced;          /* stored versions it replaces; 0: new pair */
    int64_t old_person_times; /* ... what they held together */
    int64_t old_amount_fen;
    char *old_file;     /* the first replaced version's file, or NULL (owned) */
    char *old_part;     /* ... its part ("" = whole), or NULL (owned) */
    size_t nlost;       /* entries of plan->loss for this pair */
    size_t nlost_areas; /* ... of them whole areas (refused) */
    /*
     * Channels (bit per value of ingest/codes.h) the version replaced has
     * figures in and the file has no row of: the file would drop a whole
     * channel of the province-month - a wallet left out of an export -
     * which is refused like a lost area.
     */
    unsigned lost_channels;
    int64_t lost_channel_person_times, lost_channel_amount_fen; /* theirs */
    int64_t chan_person_times[32], chan_amount_fen[32];         /* the stored
                                                                   version's */
    int64_t lost_rows, lost_person_times, lost_amount_fen;      /* their sums */
    bool stray; /* a stray minority of the file (see above) */
    unsigned long stray_line[STORE_STRAY_MAX_ROWS]; /* its rows' lines */
    int clash_area; /* 0, or an area of the file another part stores */
    char *clash_part, *clash_file; /* ... that part and its file (owned) */
};

/*
 * The plan of a put, made before anything is written: for every pair of
 * the file (in cover[] order) what is stored, what would be lost.
 */
struct store_plan {
    bool unchanged;               /* byte-identical to the version in effect */
    struct store_pair_plan *pair; /* sf->ncover entries (NULL if unchanged) */
    size_t npair;
    struct store_loss *loss; /* by pair, then area, whole areas first */
    size_t nloss;
    size_t majority;                /* the pair with the most rows */
    bool refused;                   /* something below refuses the put */
    size_t nstray, nlosing, nclash; /* pairs that are stray, lose areas or
                                       channels,
                                       clash */
};

/*
 * Plan a put of sf inside the current transaction; writes nothing.  The
 * plan is refused when a pair would lose stored data or is a stray
 * minority (both unless opts->replace), or shares an area with another
 * part.  opts may be NULL (the defaults).  0, or -1 with err set;
 * store_plan_release() frees the plan either way.
 */
int store_plan(struct store *st, const struct submission *sf,
               const struct store_put_opts *opts, struct store_plan *plan,
               struct diag *err);
void store_plan_release(struct store_plan *plan);

/*
 * Only the test that needs no store: which pairs of sf are a stray
 * minority (plan->pair[], npair, majority, nstray and the lines; nothing
 * else set).  store_plan_release() frees it.
 */
void store_plan_strays(const struct submission *sf, struct store_plan *plan);

struct store_put_result {
    bool unchanged;        /* byte-identical to the version in effect */
    bool refused;          /* the plan refused it: nothing written */
    size_t pairs_new;      /* (province, month) pairs not stored before */
    size_t pairs_replaced; /* pairs whose earlier version became history */
    int64_t submission_id;
    struct store_plan plan; /* what it did or would have done */
};

/* Free res->plan; res may be reused after. */
void store_put_result_release(struct store_put_result *res);

/*
 * Store a validated file inside the current transaction: a new
 * submission, and for every (province, month) it covers, the replaced
 * versions' facts moved to history and the file's facts put in effect.
 * store_plan() decides first: a refused plan writes nothing and fails with
 * DIAG_DATA and res->refused set (res->plan says why).  A file whose
 * SHA-256 is already in effect for all the pairs it covers changes nothing
 * (res->unchanged).  `ingested_at` is an ISO 8601 UTC time.  opts may be
 * NULL.  Release res with store_put_result_release() (also after -1).
 */
int store_put(struct store *st, const struct submission *sf,
              const struct store_put_opts *opts, const char *ingested_at,
              struct store_put_result *res, struct diag *err);

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

/*
 * What a reader selects as a fact's channel: the column "channel", or
 * "'account'" in a store from before channels that could not be migrated.
 */
const char *store_fact_channel(const struct store *st);

/*
 * Which months of r have anything stored (a province-month in effect):
 * has[i] for the i-th month of r (has has period_index(r.last) -
 * period_index(r.first) + 1 entries).  0, or -1 with err set.
 */
int store_months_stored(struct store *st, struct period_range r, bool *has,
                        struct diag *err);

/* ---------------------------------------------------------------------- */
/* Vintages: the store as it stood at an earlier time                      */
/* ---------------------------------------------------------------------- */

/*
 * Submissions are numbered in the order they were stored, and a replaced
 * fact is kept in fact_history with the submission that replaced it, so
 * the facts in effect just after submission V are those of submissions up
 * to V that were not replaced by one up to V.  store_set_vintage(st, V)
 * makes every reader of st (aggregate/query.c, store_months_stored(),
 * store_submissions(), rollup) see the store exactly as it stood then; 0
 * goes back to the store as it is.  A vintage at or after the last
 * submission is the store as it is (and reads the same figures).
 */
void store_set_vintage(struct store *st, int64_t vintage);
int64_t store_vintage(const struct store *st); /* 0: as it is */

/*
 * Which recorded releases readers see (store_releases()): those up to id
 * `last` (0: none; INT64_MAX, the default: all).  A vintage of a time sees
 * the releases made by then; one of a recorded release those before it.
 */
void store_set_release_cut(struct store *st, int64_t last);

/*
 * What readers select facts from: "fact", or at a vintage a subquery with
 * the same columns (period, province, area, channel - unless
 * store_fact_channel() is a constant -, scope, use, relation,
 * person_times, amount_fen, submission_id, source_line).
 */
const char *store_fact_source(const struct store *st);

/*
 * The facts summed over area and relation (table fact_key: one row per
 * submission, province, period, channel, scope and use), in effect as
 * store_fact_source()'s are: a subquery with the columns period,
 * province, channel, scope, use, person_times and amount_fen, written
 * into buf (STORE_FACT_KEY_SRC_MAX bytes are enough).  NULL when the store
 * has no fact_key (an older store a reader could not migrate): read
 * store_fact_source() then.
 */
#define STORE_FACT_KEY_SRC_MAX 256
const char *store_fact_key_source(const struct store *st, char *buf,
                                  size_t len);

/* The last submission stored (0 when none) into *id.  0, or -1. */
int store_last_submission(struct store *st, int64_t *id, struct diag *err);

/*
 * The vintage of a time: the last submission stored at or before `iso`
 * (an ISO 8601 UTC time "YYYY-MM-DDTHH:MM:SSZ", compared with
 * submission.ingested_at), 0 when none was.  When submissions were not
 * stored in the order of their times (a clock set back, SOURCE_DATE_EPOCH),
 * the time does not say which were in and this fails with DIAG_DATA
 * naming the two submissions out of order.
 */
int store_vintage_at(struct store *st, const char *iso, int64_t *vintage,
                     struct diag *err);

/* The last release recorded at or before `iso` (0: none) into *id. */
int store_release_at(struct store *st, const char *iso, int64_t *id,
                     struct diag *err);

/* ---------------------------------------------------------------------- */
/* Releases (schema 5)                                                    */
/* ---------------------------------------------------------------------- */

/* A recorded release: what one bulletin printed, from which data. */
struct store_release {
    int64_t id;
    struct period period;      /* the last month (cumulative from January) */
    int province;              /* 0: the nation */
    const char *style;         /* "2024", "2025" */
    const char *template_name; /* the template's file name (no directory) */
    const char *released_at;   /* ISO 8601 UTC */
    int64_t vintage;           /* the last submission it saw */
    const char *fingerprint;   /* SHA-256 hex of the file versions used */
    const char *figures;       /* figures.csv lines "name,value\n" (no
                                  header) */
};

/*
 * Record r inside a write transaction; r->id is ignored, the new id goes
 * to *id.  A store that cannot hold releases (an older schema read-only)
 * fails with DIAG_NOINPUT.  0, or -1.
 */
int store_release_add(struct store *st, const struct store_release *r,
                      int64_t *id, struct diag *err);

/* Called per release in id order; strings valid during the call only. */
typedef int store_release_fn(const struct store_release *r, void *ctx);

/*
 * Every recorded release (with its figures), oldest first; none for a
 * store of an older schema.  Stops when fn returns non-zero.  Only the
 * releases up to store_set_release_cut()'s.  0, or -1.
 */
int store_releases(struct store *st, store_release_fn *fn, void *ctx,
                   struct diag *err);

/*
 * A second read-only connection to st's file, at st's vintage, for a
 * reader on another thread (aggregate/query.c's parallel scan); NULL when
 * st is not a current store opened for reading, or the file cannot be
 * opened again.  Close it with store_close().
 */
struct store *store_open_peer(const struct store *st);

/*
 * Start reading one state of the store (a read transaction, unless one is
 * open already: *began says whether this call began it) and give in *mark
 * the last submission it holds.  Every change of the facts is a new
 * submission, so two connections whose marks are equal read the same
 * facts.  store_read_done(st, began) ends what store_read_mark began.
 * 0, or -1.
 */
int store_read_mark(struct store *st, bool *began, int64_t *mark,
                    struct diag *err);
void store_read_done(struct store *st, bool began);

/* The underlying handle, for aggregate/query.c. */
struct sqlite3 *store_handle(struct store *st);

/* Fill err from the handle's last error, with a context word; returns -1. */
int store_error(struct store *st, struct diag *err, const char *what);

#endif /* AGGREGATE_STORE_H */
