/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_pngout.c - a chart's raster from PPM to PNG: the pixels
 * come back exactly as written (decoded by libpng), the resolution is in
 * the pHYs chunk, header comments are skipped, and what is not an 8-bit
 * binary PPM, or ends early, is an error naming the file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <png.h>
#include <unistd.h>

#include "common/diag.h"
#include "report/pngout.h"

struct fx {
    char dir[256], ppm[300], png[300];
};

static int
setup(void **state)
{
    struct fx *fx = calloc(1, sizeof(*fx));
    const char *tmp = getenv("TMPDIR");
    if (fx == NULL)
        return -1;
    snprintf(fx->dir, sizeof(fx->dir), "%s/test_pngout.XXXXXX",
             tmp != NULL && tmp[0] == '/' ? tmp : "/tmp");
    if (mkdtemp(fx->dir) == NULL) {
        free(fx);
        return -1;
    }
    snprintf(fx->ppm, sizeof(fx->ppm), "%s/in.ppm", fx->dir);
    snprintf(fx->png, sizeof(fx->png), "%s/out.png", fx->dir);
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *fx = *state;
    unlink(fx->ppm);
    unlink(fx->png);
    rmdir(fx->dir);
    free(fx);
    return 0;
}

static void
write_file(const char *path, const void *head, size_t nhead,
           const unsigned char *px, size_t npx)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(head, 1, nhead, fp), nhead);
    if (npx > 0)
        assert_int_equal(fwrite(px, 1, npx, fp), npx);
    assert_int_equal(fclose(fp), 0);
}

/* The test image: w x h, each pixel's bytes from its place. */
static unsigned char *
pattern(unsigned w, unsigned h)
{
    unsigned char *px = malloc((size_t)w * h * 3);
    assert_non_null(px);
    for (unsigned y = 0; y < h; y++)
        for (unsigned x = 0; x < w; x++) {
            unsigned char *p = px + ((size_t)y * w + x) * 3;
            p[0] = (unsigned char)(x * 7 + y);
            p[1] = (unsigned char)(y * 13);
            p[2] = (unsigned char)((x ^ y) + 255);
        }
    return px;
}

/* Decode path with libpng: the RGB pixels, w, h and the pHYs values. */
static unsigned char *
decode(const char *path, unsigned *w, unsigned *h, png_uint_32 *res, int *unit)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    png_structp png =
        png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    assert_non_null(info);
    if (setjmp(png_jmpbuf(png)))
        fail_msg("%s: libpng cannot read it", path);
    png_init_io(png, fp);
    png_read_info(png, info);
    *w = png_get_image_width(png, info);
    *h = png_get_image_height(png, info);
    assert_int_equal(png_get_bit_depth(png, info), 8);
    assert_int_equal(png_get_color_type(png, info), PNG_COLOR_TYPE_RGB);
    png_uint_32 ry = 0;
    *res = 0;
    *unit = -1;
    assert_true(png_get_pHYs(png, info, res, &ry, unit) != 0);
    assert_int_equal(*res, ry);
    unsigned char *px = malloc((size_t)*w * *h * 3);
    assert_non_null(px);
    for (unsigned y = 0; y < *h; y++)
        png_read_row(png, px + (size_t)y * *w * 3, NULL);
    png_read_end(png, NULL);
    png_destroy_read_struct(&png, &info, NULL);
    fclose(fp);
    return px;
}

static void
test_pngout_pixels_and_resolution(void **state)
{
    struct fx *fx = *state;
    static const struct {
        unsigned w, h;
        const char *head;
    } cases[] = {
        {1, 1, "P6\n1 1\n255\n"},
        {97, 31, "P6 97 31 255\n"},
        {300, 200, "P6\n# pdftoppm\n300\t200\r\n# more\n255\n"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        unsigned char *px = pattern(cases[i].w, cases[i].h);
        size_t npx = (size_t)cases[i].w * cases[i].h * 3;
        write_file(fx->ppm, cases[i].head, strlen(cases[i].head), px, npx);
        struct diag err;
        diag_clear(&err);
        if (pngout_from_ppm(fx->ppm, fx->png, 300, &err) < 0)
            fail_msg("case %zu: %s", i, err.msg);
        unsigned w, h;
        png_uint_32 res;
        int unit;
        unsigned char *got = decode(fx->png, &w, &h, &res, &unit);
        assert_int_equal(w, cases[i].w);
        assert_int_equal(h, cases[i].h);
        assert_int_equal(res, 11811); /* 300 dpi, as pdftoppm writes it */
        assert_int_equal(unit, PNG_RESOLUTION_METER);
        assert_memory_equal(got, px, npx);
        free(got);
        free(px);
    }
    /* another resolution: 96 dpi is 3780 pixels per metre */
    unsigned char *px = pattern(4, 4);
    write_file(fx->ppm, "P6 4 4 255\n", 11, px, 48);
    struct diag err;
    diag_clear(&err);
    assert_int_equal(pngout_from_ppm(fx->ppm, fx->png, 96, &err), 0);
    unsigned w, h;
    png_uint_32 res;
    int unit;
    unsigned char *got = decode(fx->png, &w, &h, &res, &unit);
    assert_int_equal(res, 3780);
    free(got);
    free(px);
}

static void
test_pngout_refuses_what_is_not_p6(void **state)
{
    struct fx *fx = *state;
    static const char *const heads[] = {
        "",                   /* empty */
        "P3\n2 2\n255\n",     /* ASCII PPM */
        "P5\n2 2\n255\n",     /* grey */
        "P6\n2 2\n65535\n",   /* 16-bit */
        "P6\n0 2\n255\n",     /* no width */
        "P6\n2\n",            /* no height */
        "P6\n99999 2\n255\n", /* too wide */
        "P6\n2 2\n255x",      /* no whitespace after maxval */
        "\x89PNG\r\n",        /* another format */
    };
    unsigned char px[12] = {0};
    for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++) {
        write_file(fx->ppm, heads[i], strlen(heads[i]), px, sizeof(px));
        struct diag err;
        diag_clear(&err);
        assert_int_equal(pngout_from_ppm(fx->ppm, fx->png, 300, &err), -1);
        assert_int_equal(err.code, DIAG_EXTERNAL);
        assert_non_null(strstr(err.msg, fx->ppm));
        assert_non_null(strstr(err.msg, "PPM"));
    }
}

static void
test_pngout_short_pixels_and_missing_file(void **state)
{
    struct fx *fx = *state;
    unsigned char *px = pattern(10, 10);
    write_file(fx->ppm, "P6\n10 10\n255\n", 13, px, 10 * 10 * 3 - 1);
    struct diag err;
    diag_clear(&err);
    assert_int_equal(pngout_from_ppm(fx->ppm, fx->png, 300, &err), -1);
    assert_int_equal(err.code, DIAG_EXTERNAL);
    assert_non_null(strstr(err.msg, "10 x 10"));
    free(px);

    unlink(fx->ppm);
    diag_clear(&err);
    assert_int_equal(pngout_from_ppm(fx->ppm, fx->png, 300, &err), -1);
    assert_int_equal(err.code, DIAG_IO);
    assert_non_null(strstr(err.msg, fx->ppm));

    /* an unwritable output */
    write_file(fx->ppm, "P6 1 1 255\n", 11, (const unsigned char *)"abc", 3);
    char bad[320];
    snprintf(bad, sizeof(bad), "%s/no/such/dir/x.png", fx->dir);
    diag_clear(&err);
    assert_int_equal(pngout_from_ppm(fx->ppm, bad, 300, &err), -1);
    assert_int_equal(err.code, DIAG_IO);
    assert_non_null(strstr(err.msg, bad));
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_pngout_pixels_and_resolution),
        T(test_pngout_refuses_what_is_not_p6),
        T(test_pngout_short_pixels_and_missing_file),
    };
#undef T
    return cmocka_run_group_tests_name("pngout", tests, NULL, NULL);
}
