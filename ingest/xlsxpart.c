/* SPDX-License-Identifier: MIT */
#include "ingest/xlsxpart.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthread.h>

#include "common/diag.h"
#include "common/i18n.h"

#define PIECE (64u << 10)

const char *
xlsxpart_local(const char *name)
{
    const char *bar = strrchr(name, '|');
    return bar != NULL ? bar + 1 : name;
}

const char *
xlsxpart_attr(const char **attrs, const char *name)
{
    for (size_t i = 0; attrs[i] != NULL; i += 2)
        if (strcmp(xlsxpart_local(attrs[i]), name) == 0)
            return attrs[i + 1];
    return NULL;
}

void
xlsxpart_fail(struct xlsxpart *x, const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    if (x->failed || x->stopped)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    diag_list_addf(x->dl, DIAG_ERROR, DIAG_FORMAT, x->file, 0, 0,
                   _("%s (in %s, XML line %lu)"), msg, x->part,
                   (unsigned long)XML_GetCurrentLineNumber(x->parser));
    x->failed = true;
    XML_StopParser(x->parser, XML_FALSE);
}

void
xlsxpart_stop(struct xlsxpart *x)
{
    if (x->failed || x->stopped)
        return;
    x->stopped = true;
    XML_StopParser(x->parser, XML_FALSE);
}

static void XMLCALL
on_doctype(void *ctx, const XML_Char *name, const XML_Char *sysid,
           const XML_Char *pubid, int has_internal_subset)
{
    (void)name, (void)sysid, (void)pubid, (void)has_internal_subset;
    xlsxpart_fail(ctx, _("the workbook holds a DOCTYPE declaration, which no "
                         "spreadsheet program writes: refused"));
}

static zip_int64_t
locate(zip_t *zip, const char *name)
{
    if (name[0] == '/')
        name++;
    return zip_name_locate(zip, name, ZIP_FL_NOCASE);
}

bool
xlsxpart_exists(zip_t *zip, const char *name)
{
    return locate(zip, name) >= 0;
}

/* Check the declared sizes of entry idx against max and the ratio limit. */
static int
check_sizes(zip_t *zip, zip_int64_t idx, const char *name, size_t max,
            const char *file, struct diag_list *dl, zip_uint64_t *size)
{
    zip_stat_t st;

    zip_stat_init(&st);
    if (zip_stat_index(zip, (zip_uint64_t)idx, 0, &st) < 0 ||
        !(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE))
        return diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, file, 0, 0,
                              _("the workbook is damaged: %s: %s"), name,
                              zip_strerror(zip));
    if (st.size > max)
        return diag_list_addf(
            dl, DIAG_ERROR, DIAG_FORMAT, file, 0, 0,
            _("the workbook's %s would inflate to %llu bytes, "
              "more than the %zu MiB gongji reads of it: "
              "refused"),
            name, (unsigned long long)st.size, max >> 20);
    if (st.size > (16u << 20) &&
        st.size / (st.comp_size ? st.comp_size : 1) > XLSXPART_MAX_RATIO)
        return diag_list_addf(
            dl, DIAG_ERROR, DIAG_FORMAT, file, 0, 0,
            _("the workbook's %s is compressed %llu:1 (%llu bytes "
              "inflate to %llu): a zip bomb, not a spreadsheet; refused"),
            name,
            (unsigned long long)(st.size / (st.comp_size ? st.comp_size : 1)),
            (unsigned long long)st.comp_size, (unsigned long long)st.size);
    *size = st.size;
    return 0;
}

/*
 * The part is inflated on a thread of its own while expat parses what came
 * before (inflating is a fifth of the work on a large sheet): NPIECE
 * buffers of PIECE bytes go round between the two, handed over under mu.
 * The inflater stops at the end of the part, on an error, when it has
 * inflated more than the declared size, or when the parser says quit; so
 * it is never more than NPIECE pieces ahead of what was checked.
 */
#define NPIECE 4

struct inflater {
    zip_file_t *zf;
    zip_uint64_t size; /* declared */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    char (*buf)[PIECE];
    zip_int64_t len[NPIECE];  /* bytes; 0: the end; -1: an error */
    unsigned long head, tail; /* pieces filled, pieces parsed */
    bool quit;
    char err[200]; /* libzip's message for len -1 */
};

static void *
inflate_run(void *arg)
{
    struct inflater *in = arg;
    zip_uint64_t total = 0;

    for (;;) {
        pthread_mutex_lock(&in->mu);
        while (!in->quit && in->head - in->tail == NPIECE)
            pthread_cond_wait(&in->cv, &in->mu);
        bool quit = in->quit;
        pthread_mutex_unlock(&in->mu);
        if (quit)
            return NULL;
        unsigned slot = (unsigned)(in->head % NPIECE);
        zip_int64_t n = zip_fread(in->zf, in->buf[slot], PIECE);
        if (n < 0)
            snprintf(in->err, sizeof(in->err), "%s", zip_file_strerror(in->zf));
        else
            total += (zip_uint64_t)n;
        pthread_mutex_lock(&in->mu);
        in->len[slot] = n;
        in->head++;
        pthread_cond_broadcast(&in->cv);
        pthread_mutex_unlock(&in->mu);
        if (n <= 0 || total > in->size)
            return NULL;
    }
}

static int
feed(zip_file_t *zf, const char *name, zip_uint64_t size, struct xlsxpart *x)
{
    static const char *const empty = "";
    struct inflater in = {.zf = zf, .size = size};
    zip_uint64_t total = 0;
    pthread_t th;
    int rc = -1;

    in.buf = malloc(sizeof(*in.buf) * NPIECE);
    if (in.buf == NULL)
        return diag_list_addf(x->dl, DIAG_ERROR, DIAG_IO, x->file, 0, 0,
                              _("out of memory reading %s"), name);
    pthread_mutex_init(&in.mu, NULL);
    pthread_cond_init(&in.cv, NULL);
    if (pthread_create(&th, NULL, inflate_run, &in) != 0) {
        diag_list_addf(x->dl, DIAG_ERROR, DIAG_IO, x->file, 0, 0,
                       _("cannot start a thread reading %s"), name);
        goto out;
    }
    for (;;) {
        pthread_mutex_lock(&in.mu);
        while (in.head == in.tail)
            pthread_cond_wait(&in.cv, &in.mu);
        unsigned slot = (unsigned)(in.tail % NPIECE);
        zip_int64_t n = in.len[slot];
        pthread_mutex_unlock(&in.mu);
        const char *buf = in.buf[slot];
        if (n < 0) {
            diag_list_addf(x->dl, DIAG_ERROR, DIAG_FORMAT, x->file, 0, 0,
                           _("the workbook is damaged: %s: %s"), name, in.err);
            break;
        }
        total += (zip_uint64_t)n;
        if (total > size) {
            diag_list_addf(x->dl, DIAG_ERROR, DIAG_FORMAT, x->file, 0, 0,
                           _("the workbook's %s inflates to more than the %llu "
                             "bytes it declares: damaged or hostile; refused"),
                           name, (unsigned long long)size);
            break;
        }
        if (XML_Parse(x->parser, n > 0 ? buf : empty, (int)n, n == 0) ==
            XML_STATUS_ERROR) {
            if (x->failed)
                break;
            if (x->stopped) {
                rc = 0;
                break;
            }
            diag_list_addf(x->dl, DIAG_ERROR, DIAG_FORMAT, x->file, 0, 0,
                           _("the workbook's %s is not well-formed XML: %s "
                             "(XML line %lu)"),
                           name, XML_ErrorString(XML_GetErrorCode(x->parser)),
                           (unsigned long)XML_GetCurrentLineNumber(x->parser));
            break;
        }
        if (n == 0) {
            rc = 0;
            break;
        }
        pthread_mutex_lock(&in.mu);
        in.tail++;
        pthread_cond_broadcast(&in.cv);
        pthread_mutex_unlock(&in.mu);
    }
    pthread_mutex_lock(&in.mu);
    in.quit = true;
    pthread_cond_broadcast(&in.cv);
    pthread_mutex_unlock(&in.mu);
    pthread_join(th, NULL);
out:
    pthread_cond_destroy(&in.cv);
    pthread_mutex_destroy(&in.mu);
    free(in.buf);
    return rc;
}

static void XMLCALL on_start(void *ctx, const XML_Char *name,
                             const XML_Char **attrs);
static void XMLCALL on_end(void *ctx, const XML_Char *name);
static void XMLCALL on_text(void *ctx, const XML_Char *s, int len);

/* The handlers of the parse in progress, reached from the expat callbacks. */
struct dispatch {
    struct xlsxpart *x;
    const struct xlsxpart_handlers *h;
};

static void XMLCALL
on_start(void *ctx, const XML_Char *name, const XML_Char **attrs)
{
    struct dispatch *d = ctx;
    d->h->start(d->x, xlsxpart_local(name), attrs);
}

static void XMLCALL
on_end(void *ctx, const XML_Char *name)
{
    struct dispatch *d = ctx;
    d->h->end(d->x, xlsxpart_local(name));
}

static void XMLCALL
on_text(void *ctx, const XML_Char *s, int len)
{
    struct dispatch *d = ctx;
    d->h->text(d->x, s, len);
}

static void XMLCALL
on_doctype_d(void *ctx, const XML_Char *name, const XML_Char *sysid,
             const XML_Char *pubid, int has_internal_subset)
{
    struct dispatch *d = ctx;
    on_doctype(d->x, name, sysid, pubid, has_internal_subset);
}

int
xlsxpart_parse(zip_t *zip, const char *name, size_t max, bool required,
               const struct xlsxpart_handlers *h, struct xlsxpart *x,
               const char *file, struct diag_list *dl)
{
    zip_int64_t idx = locate(zip, name);
    zip_uint64_t size = 0;
    struct dispatch d = {x, h};
    int rc;

    x->file = file;
    x->part = name[0] == '/' ? name + 1 : name;
    x->dl = dl;
    x->failed = x->stopped = false;
    if (idx < 0) {
        if (!required)
            return 1;
        return diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, file, 0, 0,
                              _("this zip archive has no %s: not an Excel "
                                "workbook, or a damaged one"),
                              x->part);
    }
    if (check_sizes(zip, idx, x->part, max, file, dl, &size) < 0)
        return -1;
    zip_file_t *zf = zip_fopen_index(zip, (zip_uint64_t)idx, 0);
    if (zf == NULL)
        return diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, file, 0, 0,
                              _("the workbook is damaged: %s: %s"), x->part,
                              zip_strerror(zip));
    x->parser = XML_ParserCreateNS(NULL, '|');
    if (x->parser == NULL) {
        zip_fclose(zf);
        return diag_list_addf(dl, DIAG_ERROR, DIAG_IO, file, 0, 0,
                              _("out of memory parsing %s"), x->part);
    }
    XML_SetUserData(x->parser, &d);
    XML_SetElementHandler(x->parser, on_start, on_end);
    if (h->text != NULL)
        XML_SetCharacterDataHandler(x->parser, on_text);
    XML_SetStartDoctypeDeclHandler(x->parser, on_doctype_d);
    rc = feed(zf, x->part, size, x);
    zip_fclose(zf);
    XML_ParserFree(x->parser);
    x->parser = NULL;
    return rc < 0 || x->failed ? -1 : 0;
}
