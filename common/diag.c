/* SPDX-License-Identifier: MIT */
#include "common/diag.h"

#include <stdlib.h>
#include <string.h>

#include "common/diaggroup.h"
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
diag_print_prefix(FILE *fp, const struct diag *d)
{
    if (d->file != NULL) {
        diag_fput_printable(fp, d->file, strlen(d->file));
        if (d->line > 0) {
            fprintf(fp, ":%lu", d->line);
            if (d->col > 0)
                fprintf(fp, ":%lu", d->col);
        }
        fputs(": ", fp);
    }
    fputs(d->severity == DIAG_WARNING ? "warning: " : "error: ", fp);
}

void
diag_print(FILE *fp, const struct diag *d)
{
    diag_print_prefix(fp, d);
    /*
     * The message was built by many hands; masking here again is the last
     * line of defence for an ID that reached it without diag_quote().
     */
    char masked[sizeof(d->msg)];
    size_t n = strnlen(d->msg, sizeof(d->msg));
    memcpy(masked, d->msg, n);
    diag_mask_ids(masked, n);
    diag_fput_printable(fp, masked, n);
    fputc('\n', fp);
}

/* ---------------------------------------------------------------------------
 * Lists (their groups: common/diaggroup.c)
 */

void
diag_list_init(struct diag_list *l)
{
    memset(l, 0, sizeof(*l));
}

void
diag_list_release(struct diag_list *l)
{
    diag_groups_free(l->groups);
    free(l->items);
    diag_list_init(l);
}

void
diag_list_add(struct diag_list *l, const struct diag *d)
{
    bool keep;
    if (d->severity == DIAG_WARNING) {
        l->warnings++;
        keep = l->kept_warnings < DIAG_LIST_KEEP;
        l->kept_warnings += keep;
    } else {
        l->errors++;
        keep = l->nr - l->kept_warnings < DIAG_LIST_KEEP_ERRORS;
    }
    diag_groups_add(diag_groups_of(l), d);
    if (!keep)
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

char *
diag_col_letters(char *out, size_t outsz, unsigned long col)
{
    char tmp[16];
    size_t n = 0;
    while (col > 0 && n < sizeof(tmp)) {
        col--;
        tmp[n++] = (char)('A' + col % 26);
        col /= 26;
    }
    size_t o = 0;
    while (n > 0 && o + 1 < outsz)
        out[o++] = tmp[--n];
    if (outsz > 0)
        out[o] = '\0';
    return out;
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

/*
 * The length of the ID-shaped run at s[i]: ASCII digits and at most one
 * final X or x (the check character of a resident ID).  0 when s[i] is not
 * a digit.
 */
static size_t
id_run(const char *s, size_t len, size_t i)
{
    size_t j = i;
    while (j < len && s[j] >= '0' && s[j] <= '9')
        j++;
    if (j > i && j < len && (s[j] == 'X' || s[j] == 'x'))
        j++;
    return j - i;
}

/* Whether position k of a run of n is shown by diag_mask_ids(). */
static bool
id_keep(size_t k, size_t n)
{
    return n < DIAG_ID_RUN_MIN || k < 3 || k + 2 >= n;
}

size_t
diag_mask_ids(char *s, size_t len)
{
    size_t runs = 0;
    for (size_t i = 0; i < len;) {
        size_t n = id_run(s, len, i);
        if (n == 0) {
            i++;
            continue;
        }
        if (n >= DIAG_ID_RUN_MIN) {
            runs++;
            for (size_t k = 0; k < n; k++)
                if (!id_keep(k, n))
                    s[i + k] = '*';
        }
        i += n;
    }
    return runs;
}

void
diag_fput_printable(FILE *fp, const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        unsigned cp;
        /* an invalid or truncated sequence decodes one byte as U+FFFD */
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) ||
            (n == 1 && cp == 0xFFFD)) {
            for (size_t k = 0; k < n; k++)
                fprintf(fp, "\\x%02x", (unsigned)(unsigned char)s[i + k]);
        } else {
            fwrite(s + i, 1, n, fp);
        }
        i += n;
    }
}

/* Whether s[0..len) can be printed as it is (the common case, made fast). */
static bool
all_printable(const char *s, size_t len)
{
    bool high = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7F)
            return false;
        if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] < 0xA0)
            return false; /* a C1 control, U+0080..U+009F */
        high |= c >= 0x80;
    }
    return !high || utf8_valid(s, len, NULL);
}

char *
diag_printable_dup(const char *s)
{
    size_t len = strlen(s), o = 0;
    if (all_printable(s, len))
        return xstrdup(s);
    char *out = xmalloc(4 * len + 1);

    for (size_t i = 0; i < len;) {
        unsigned cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) ||
            (n == 1 && cp == 0xFFFD)) {
            for (size_t k = 0; k < n; k++) {
                snprintf(out + o, 5, "\\x%02x",
                         (unsigned)(unsigned char)s[i + k]);
                o += 4;
            }
        } else {
            memcpy(out + o, s + i, n);
            o += n;
        }
        i += n;
    }
    out[o] = '\0';
    return out;
}

char *
diag_quote(char *out, size_t outsz, const char *s, size_t len)
{
    size_t o = 0, i = 0;
    const size_t limit = 40;
    /* the ID-shaped run around i, found in all of s, not only the shown part */
    size_t run_start = 0, run_len = 0;

    if (outsz < 8)
        BUG("diag_quote buffer too small");
    out[o++] = '\'';
    while (i < len && i < limit) {
        unsigned cp;
        if (i >= run_start + run_len) {
            run_start = i;
            run_len = id_run(s, len, i);
        }
        if (run_len > 0) {
            /* ASCII digits (and X): one byte each */
            if (o + 1 + 6 > outsz)
                break;
            size_t k = i - run_start;
            out[o++] = id_keep(k, run_len) ? s[i] : '*';
            i++;
            continue;
        }
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
