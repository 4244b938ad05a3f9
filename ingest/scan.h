/* SPDX-License-Identifier: MIT */
/*
 * ingest/scan.h - a fast RFC 4180 record scanner for per-settlement detail
 * files (DESIGN §3b).
 *
 * Why not libcsv (LIBRARIES.md §4), which the summary path uses: libcsv
 * calls back once per field and once per record, copies every field byte by
 * byte into its own buffer and tests each byte against its state machine;
 * it parses about 450 MB/s on one core here, so a 3 GB national month would
 * spend 7 s in parsing alone.  Detail files are large and simple (nine short
 * fields, quotes rare), so this scanner works on 64-byte blocks: it finds
 * the positions of the three structural bytes (comma, quote, newline) with
 * SSE2 compares (or a portable SWAR fallback) into a 64-bit mask and walks
 * the set bits, so the bytes between structural characters are never
 * looked at one by one.  Fields are returned as slices of the caller's
 * buffer, without copying.  Quoted fields take a slower path that still
 * follows RFC 4180 exactly: they may hold commas, newlines and doubled
 * quotes (unescaped in place).  Errors are those of libcsv's strict mode:
 * a quote inside an unquoted field, text after a closing quote, and a
 * quoted field left open at the end of the input.
 *
 * Line ends are LF or CRLF; a CR directly before the LF is not part of the
 * last field.  Empty lines are skipped.  Lines are counted from 0 relative
 * to the start of the buffer: the caller adds its own base.
 */
#ifndef INGEST_SCAN_H
#define INGEST_SCAN_H

#include <stddef.h>
#include <stdint.h>

struct scan_field {
    const char *s; /* into the scanned buffer; not NUL-terminated */
    size_t len;
};

enum scan_error_kind {
    SCAN_ERR_QUOTE_IN_FIELD, /* `ab"c`: quote inside an unquoted field */
    SCAN_ERR_AFTER_QUOTE,    /* `"ab"c`: text after the closing quote */
    SCAN_ERR_UNTERMINATED,   /* end of input inside a quoted field */
};

struct scan_error {
    enum scan_error_kind kind;
    unsigned long line;       /* 0-based line of the offending byte */
    unsigned long rec_line;   /* 0-based line where the record began */
    unsigned long field_line; /* line where the bad field began */
    size_t field;             /* 0-based index of the bad field */
    size_t byte;      /* 1-based byte of the offending byte in its line */
    const char *text; /* the field so far (borrowed), for quoting */
    size_t text_len;
};

struct scan {
    char *buf;
    size_t len;
    size_t pos;         /* where the next record starts */
    size_t block;       /* offset of the 64-byte block `mask` describes */
    uint64_t mask;      /* structural bytes of that block not yet consumed */
    unsigned long line; /* newlines consumed so far */
    size_t line_start;  /* offset just after the last newline consumed */
    /* the current record */
    struct scan_field *fields; /* owned; grows */
    size_t nfields, falloc;
    unsigned long rec_line; /* 0-based line where it began */
};

/*
 * Start scanning buf[0..len).  The buffer must stay valid and writable
 * while scanning: quoted fields with doubled quotes are unescaped in place.
 */
void scan_init(struct scan *sc, char *buf, size_t len);

/* Point an initialised scanner at a new buffer, keeping its field array. */
void scan_reset(struct scan *sc, char *buf, size_t len);

void scan_release(struct scan *sc);

/*
 * Scan the next record.  Returns 1 with sc->fields[0..sc->nfields) set,
 * 0 at the end of the buffer, or -1 with *err filled in (scanning cannot go
 * on after an error).
 */
int scan_next(struct scan *sc, struct scan_error *err);

/*
 * Safe places to cut buf[0..n) for parallel parsing: just after a newline
 * that lies outside quotes, told by the parity of the quotes before it
 * (exact for RFC 4180 input; in malformed input the scanner then reports
 * the stray quote).  scan_last_boundary() gives the end of the last
 * complete record, scan_first_boundary() the end of the first; 0 when
 * there is none.
 */
size_t scan_last_boundary(const char *buf, size_t n);
size_t scan_first_boundary(const char *buf, size_t n);

/* Number of bytes equal to c in s[0..len) (vectorised). */
size_t scan_count_byte(const char *s, size_t len, char c);

/*
 * The structural-byte mask of the 64 bytes at p: bit i is set when p[i] is
 * ',', '"' or '\n'.  scan_mask64() is the one the scanner uses (SSE2 where
 * available); scan_mask64_portable() is the SWAR fallback, exposed so that
 * the unit tests can check the two agree.
 */
uint64_t scan_mask64(const char *p);
uint64_t scan_mask64_portable(const char *p);

#endif /* INGEST_SCAN_H */
