/* SPDX-License-Identifier: MIT */
#include "report/pngout.h"

#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

#include "common/diag.h"
#include "common/i18n.h"
#include "common/xalloc.h"

/* The largest raster accepted: an A4 page at 600 dpi is 4961 x 7016. */
#define PNGOUT_MAX_SIDE 20000

/* Skip whitespace and # comments of a PPM header; the next byte, or EOF. */
static int
header_skip(FILE *fp)
{
    int c;
    for (;;) {
        c = getc(fp);
        if (c == '#') {
            while (c != '\n' && c != EOF)
                c = getc(fp);
            continue;
        }
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            return c;
    }
}

/* A header number: 1 to 9 digits.  -1 when there is none. */
static long
header_number(FILE *fp)
{
    long v = 0;
    int c = header_skip(fp), n = 0;
    while (c >= '0' && c <= '9' && n < 9) {
        v = v * 10 + (c - '0');
        c = getc(fp);
        n++;
    }
    if (n == 0 || (c >= '0' && c <= '9'))
        return -1;
    /* exactly one whitespace byte ends the header's last number */
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
        return -1;
    return v;
}

/* libpng's errors: the message is kept, control goes back to setjmp. */
struct png_err {
    jmp_buf jb;
    char msg[160];
};

static void
on_png_error(png_structp png, png_const_charp msg)
{
    struct png_err *pe = png_get_error_ptr(png);
    snprintf(pe->msg, sizeof(pe->msg), "%s", msg != NULL ? msg : "");
    longjmp(pe->jb, 1);
}

static void
on_png_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

/*
 * The encoding, after setjmp: everything it changes that is used after a
 * longjmp lives in *w, not in its locals.
 */
struct png_work {
    FILE *in, *out;
    png_structp png;
    png_infop info;
    unsigned char *row;
    unsigned long w, h;
    int read_errno; /* a short read of the pixels: errno, or -1 at EOF */
};

static void
encode(struct png_work *w, unsigned dpi)
{
    png_uint_32 ppm_res = (png_uint_32)((dpi * 10000UL + 127) / 254);

    png_init_io(w->png, w->out);
    png_set_IHDR(w->png, w->info, (png_uint_32)w->w, (png_uint_32)w->h, 8,
                 PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_pHYs(w->png, w->info, ppm_res, ppm_res, PNG_RESOLUTION_METER);
    /*
     * Fast: zlib level 1, rows unfiltered.  On the six charts of a
     * bulletin (1888 px wide) that took 139 ms and 1.11 MB in all; Up,
     * Sub or Paeth took as long or longer for files as large or larger;
     * libpng's defaults (level 6, an adaptive filter per row: what
     * pdftoppm -png writes) 734 ms for 0.92 MB.
     */
    png_set_compression_level(w->png, 1);
    png_set_filter(w->png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
    png_write_info(w->png, w->info);
    size_t stride = (size_t)w->w * 3;
    for (unsigned long y = 0; y < w->h; y++) {
        if (fread(w->row, 1, stride, w->in) != stride) {
            w->read_errno = ferror(w->in) ? errno : -1;
            return;
        }
        png_write_row(w->png, w->row);
    }
    png_write_end(w->png, w->info);
}

/* encode() under libpng's error handler: 0, or -1 with pe->msg set. */
static int
encode_guarded(struct png_work *w, struct png_err *pe, unsigned dpi)
{
    if (setjmp(pe->jb) != 0)
        return -1;
    encode(w, dpi);
    return 0;
}

int
pngout_from_ppm(const char *ppm, const char *png, unsigned dpi,
                struct diag *err)
{
    struct png_work w;
    struct png_err pe;
    int ret = -1;

    memset(&w, 0, sizeof(w));
    pe.msg[0] = '\0';
    w.in = fopen(ppm, "rb");
    if (w.in == NULL) {
        int e = errno;
        return diag_set(err, DIAG_IO, _("cannot read '%s': %s"), ppm,
                        strerror(e));
    }
    int c1 = getc(w.in), c2 = getc(w.in);
    long width = -1, height = -1, maxval = -1;
    if (c1 == 'P' && c2 == '6') {
        width = header_number(w.in);
        height = header_number(w.in);
        maxval = header_number(w.in);
    }
    if (width < 1 || height < 1 || width > PNGOUT_MAX_SIDE ||
        height > PNGOUT_MAX_SIDE || maxval != 255) {
        diag_set(err, DIAG_EXTERNAL,
                 _("'%s' is not an 8-bit binary PPM image (P6) of at most "
                   "%d pixels a side"),
                 ppm, PNGOUT_MAX_SIDE);
        fclose(w.in);
        return -1;
    }
    w.w = (unsigned long)width;
    w.h = (unsigned long)height;
    w.out = fopen(png, "wb");
    if (w.out == NULL) {
        int e = errno;
        diag_set(err, DIAG_IO, _("cannot write '%s': %s"), png, strerror(e));
        fclose(w.in);
        return -1;
    }
    w.row = xmalloc((size_t)w.w * 3);
    w.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &pe, on_png_error,
                                    on_png_warning);
    if (w.png != NULL)
        w.info = png_create_info_struct(w.png);
    if (w.png == NULL || w.info == NULL) {
        diag_set(err, DIAG_IO, _("cannot write '%s': %s"), png,
                 strerror(ENOMEM));
        goto out;
    }
    if (encode_guarded(&w, &pe, dpi) < 0) {
        diag_set(err, DIAG_IO, _("cannot write '%s': %s"), png, pe.msg);
        goto out;
    }
    if (w.read_errno != 0) {
        diag_set(err, DIAG_EXTERNAL,
                 _("'%s' ends before its %lu x %lu pixels%s%s"), ppm, w.w, w.h,
                 w.read_errno > 0 ? ": " : "",
                 w.read_errno > 0 ? strerror(w.read_errno) : "");
        goto out;
    }
    ret = 0;
out:
    png_destroy_write_struct(&w.png, &w.info);
    free(w.row);
    fclose(w.in);
    if (fclose(w.out) != 0 && ret == 0) {
        int e = errno;
        ret = diag_set(err, DIAG_IO, _("cannot write '%s': %s"), png,
                       strerror(e));
    }
    return ret;
}
