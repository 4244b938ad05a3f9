#include "common/diag.h"

#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "common/xalloc.h"

void
diag_clear(struct diag *d)
{
    memset(d, 0, sizeof(*d));
}

int
diag_vset(struct diag *d, enum diag_code code, const char *fmt, va_list ap)
{
    d->code = code;
    d->severity = DIAG_ERROR;
    vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
    return -1;
}

int
diag_set(struct diag *d, enum diag_code code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    diag_vset(d, code, fmt, ap);
    va_end(ap);
    return -1;
}

void
diag_print(FILE *fp, const struct diag *d)
{
    if (d->file != NULL) {
        fputs(d->file, fp);
        if (d->line > 0) {
            fprintf(fp, ":%lu", d->line);
            if (d->col > 0)
                fprintf(fp, ":%lu", d->col);
        }
        fputs(": ", fp);
    }
    fprintf(fp, "%s: %s\n", d->severity == DIAG_WARNING ? "warning" : "error",
            d->msg);
}

void
diag_list_init(struct diag_list *l)
{
    memset(l, 0, sizeof(*l));
}

void
diag_list_release(struct diag_list *l)
{
    free(l->items);
    diag_list_init(l);
}

void
diag_list_add(struct diag_list *l, const struct diag *d)
{
    if (d->severity == DIAG_WARNING)
        l->warnings++;
    else
        l->errors++;
    if (l->nr >= DIAG_LIST_KEEP)
        return;
    if (l->nr == l->alloc) {
        l->alloc = l->alloc ? 2 * l->alloc : 8;
        l->items = xreallocarray(l->items, l->alloc, sizeof(*l->items));
    }
    l->items[l->nr++] = *d;
}

int
diag_list_addf(struct diag_list *l, enum diag_severity sev, enum diag_code code,
               const char *file, unsigned long line, unsigned long col,
               const char *fmt, ...)
{
    struct diag d;
    va_list ap;

    diag_clear(&d);
    va_start(ap, fmt);
    diag_vset(&d, code, fmt, ap);
    va_end(ap);
    d.severity = sev;
    d.file = file;
    d.line = line;
    d.col = col;
    diag_list_add(l, &d);
    return sev == DIAG_ERROR ? -1 : 0;
}

void
diag_list_print(FILE *fp, const struct diag_list *l)
{
    for (size_t i = 0; i < l->nr; i++)
        diag_print(fp, &l->items[i]);
    size_t total = l->errors + l->warnings;
    if (total > l->nr)
        fprintf(fp, "... and %zu more problem(s) not shown\n", total - l->nr);
}

enum diag_code
diag_list_first_code(const struct diag_list *l)
{
    for (size_t i = 0; i < l->nr; i++)
        if (l->items[i].severity == DIAG_ERROR)
            return l->items[i].code;
    return l->errors ? DIAG_DATA : DIAG_OK;
}

/* Written once by cli/main.c before anything else runs. */
static bool abort_on_bug;

void
diag_set_abort_on_bug(bool on)
{
    abort_on_bug = on;
}

_Noreturn void
bug_at(const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "BUG: %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (abort_on_bug)
        abort();
    exit(3);
}

char *
diag_quote(char *out, size_t outsz, const char *s, size_t len)
{
    size_t o = 0, i = 0;
    const size_t limit = 40;

    if (outsz < 8)
        BUG("diag_quote buffer too small");
    out[o++] = '\'';
    while (i < len && i < limit) {
        unsigned cp;
        /* an invalid or truncated sequence decodes one byte as U+FFFD */
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (i + n > limit || o + n + 6 > outsz)
            break;
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) ||
            (n == 1 && cp == 0xFFFD)) {
            out[o++] = '?'; /* C0/C1 control, DEL or not UTF-8 */
        } else {
            memcpy(out + o, s + i, n);
            o += n;
        }
        i += n;
    }
    if (i < len) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o++] = '\'';
    out[o] = '\0';
    return out;
}
