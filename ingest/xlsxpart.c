#include "ingest/xlsxpart.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/diag.h"

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
                   "%s (in %s, XML line %lu)", msg, x->part,
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
    xlsxpart_fail(ctx, "the workbook holds a DOCTYPE declaration, which no "
                       "spreadsheet program writes: refused");
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
                              "the workbook is damaged: %s: %s", name,
                              zip_strerror(zip));
    if (st.size > max)
        return diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, file, 0, 0,
                              "the workbook's %s would inflate to %llu bytes, "
                              "more than the %zu MiB gongji reads of it: "
                              "refused",
                              name, (unsigned long long)st.size, max >> 20);
    if (st.size > (16u << 20) &&
        st.size / (st.comp_size ? st.comp_size : 1) > XLSXPART_MAX_RATIO)
        return diag_list_addf(
            dl, DIAG_ERROR, DIAG_FORMAT, file, 0, 0,
            "the workbook's %s is compressed %llu:1 (%llu bytes "
            "inflate to %llu): a zip bomb, not a spreadsheet; refused",
            name,
            (unsigned long long)(st.size / (st.comp_size ? st.comp_size : 1)),
            (unsigned long long)st.comp_size, (unsigned long long)st.size);
    *size = st.size;
    return 0;
}

static int
feed(zip_file_t *zf, const char *name, zip_uint64_t size, struct xlsxpart *x)
{
    static const char *const empty = "";
    char buf[PIECE];
    zip_uint64_t total = 0;

    for (;;) {
        zip_int64_t n = zip_fread(zf, buf, sizeof(buf));
        if (n < 0) {
            diag_list_addf(x->dl, DIAG_ERROR, DIAG_FORMAT, x->file, 0, 0,
                           "the workbook is damaged: %s: %s", name,
                           zip_file_strerror(zf));
            return -1;
        }
        total += (zip_uint64_t)n;
        if (total > size) {
            diag_list_addf(x->dl, DIAG_ERROR, DIAG_FORMAT, x->file, 0, 0,
                           "the workbook's %s inflates to more than the %llu "
                           "bytes it declares: damaged or hostile; refused",
                           name, (unsigned long long)size);
            return -1;
        }
        if (XML_Parse(x->parser, n > 0 ? buf : empty, (int)n, n == 0) ==
            XML_STATUS_ERROR) {
            if (x->failed)
                return -1;
            if (x->stopped)
                return 0;
            diag_list_addf(x->dl, DIAG_ERROR, DIAG_FORMAT, x->file, 0, 0,
                           "the workbook's %s is not well-formed XML: %s "
                           "(XML line %lu)",
                           name, XML_ErrorString(XML_GetErrorCode(x->parser)),
                           (unsigned long)XML_GetCurrentLineNumber(x->parser));
            return -1;
        }
        if (n == 0)
            return 0;
    }
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
                              "this zip archive has no %s: not an Excel "
                              "workbook, or a damaged one",
                              x->part);
    }
    if (check_sizes(zip, idx, x->part, max, file, dl, &size) < 0)
        return -1;
    zip_file_t *zf = zip_fopen_index(zip, (zip_uint64_t)idx, 0);
    if (zf == NULL)
        return diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, file, 0, 0,
                              "the workbook is damaged: %s: %s", x->part,
                              zip_strerror(zip));
    x->parser = XML_ParserCreateNS(NULL, '|');
    if (x->parser == NULL) {
        zip_fclose(zf);
        return diag_list_addf(dl, DIAG_ERROR, DIAG_IO, file, 0, 0,
                              "out of memory parsing %s", x->part);
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
