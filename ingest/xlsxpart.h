/* SPDX-License-Identifier: MIT */
/*
 * ingest/xlsxpart.h - one part of a workbook (a file inside its zip
 * archive) parsed as XML, safely.
 *
 * libzip finds and inflates the part; expat parses it as it is inflated, in
 * 64 KiB pieces, so that no part is ever held whole.  What a hostile file
 * could do is bounded here, not trusted to the libraries:
 *  - a part may not inflate to more than its declared size (libzip itself
 *    does not stop there: a zip bomb with a small declared size would be
 *    inflated in full), nor declare more than the limit given, nor, past
 *    16 MiB, a compression ratio above XLSXPART_MAX_RATIO (real sheets are
 *    6-10:1, a bomb 1000:1);
 *  - a DOCTYPE is refused at once (a workbook has none; it is how entity
 *    expansion starts), and expat's own protection against amplification
 *    stays on;
 *  - a CRC error, which libzip reports on the last read, fails the part.
 * Element and attribute names reach the handlers as local names, the
 * namespace dropped (<x:row> is <row>).
 */
#ifndef INGEST_XLSXPART_H
#define INGEST_XLSXPART_H

#include <stdbool.h>
#include <stddef.h>

#include <expat.h>
#include <zip.h>

struct diag_list;

#define XLSXPART_MAX_RATIO 1000

/*
 * A parse in progress: handlers get it as their user data (first member of
 * their own struct) and call xlsxpart_fail() to stop with an error.
 */
struct xlsxpart {
    XML_Parser parser;
    const char *file; /* the workbook, for messages */
    const char *part; /* the part's name in the archive */
    struct diag_list *dl;
    bool failed;  /* an error was added to dl */
    bool stopped; /* stopped without an error (the reader went away) */
};

typedef void xlsxpart_start_fn(void *ctx, const char *name, const char **attrs);
typedef void xlsxpart_end_fn(void *ctx, const char *name);
typedef void xlsxpart_text_fn(void *ctx, const char *s, int len);

struct xlsxpart_handlers {
    xlsxpart_start_fn *start;
    xlsxpart_end_fn *end;
    xlsxpart_text_fn *text; /* NULL: no character data wanted */
};

/* Is there a part of this name (case ignored, a leading '/' allowed)? */
bool xlsxpart_exists(zip_t *zip, const char *name);

/*
 * Parse the part name of zip with the handlers, ctx (which must start with
 * a struct xlsxpart) as their user data.  max bounds its inflated size.
 * Returns 0, or -1 with the problem in dl (file:0:0, naming the part).  A
 * part that does not exist is an error only when required (else 1).
 */
int xlsxpart_parse(zip_t *zip, const char *name, size_t max, bool required,
                   const struct xlsxpart_handlers *h, struct xlsxpart *ctx,
                   const char *file, struct diag_list *dl);

/* Stop the parse with an error (printf-style message) at the current XML
 * line of the part. */
void xlsxpart_fail(struct xlsxpart *x, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Stop the parse quietly (the output went away). */
void xlsxpart_stop(struct xlsxpart *x);

/* The value of attribute local name in attrs (expat's list), or NULL. */
const char *xlsxpart_attr(const char **attrs, const char *name);

/* The local name of an element or attribute name ("uri|row" → "row"). */
const char *xlsxpart_local(const char *name);

#endif /* INGEST_XLSXPART_H */
