/* SPDX-License-Identifier: MIT */
/*
 * tests/gen/gen_pngpixels.c - what a PNG shows, for tests that compare two
 * encodings of the same raster (a chart's PNG against pdftoppm's own -png
 * rendering of the chart's PDF).
 *
 *   gen_pngpixels FILE.png...
 *
 * For each file one line: "WIDTHxHEIGHT DEPTH COLOURTYPE DPI SHA256", the
 * SHA-256 of the decoded pixels (8-bit RGB rows, alpha and palettes
 * expanded) and DPI from the pHYs chunk ("-" without one), so that equal
 * lines mean equal pixels however they were filtered and deflated.
 * Exit 0, or 1 with a message on stderr.
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/sha2.h>
#include <png.h>

static int
one(const char *path)
{
    FILE *fp = fopen(path, "rb");
    png_structp png = NULL;
    png_infop info = NULL;
    unsigned char *row = NULL;
    int ret = 1;

    if (fp == NULL) {
        perror(path);
        return 1;
    }
    png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    if (png != NULL)
        info = png_create_info_struct(png);
    if (png == NULL || info == NULL)
        goto out;
    if (setjmp(png_jmpbuf(png))) {
        fprintf(stderr, "gen_pngpixels: %s: not a PNG libpng can read\n", path);
        goto out;
    }
    png_init_io(png, fp);
    png_read_info(png, info);
    png_uint_32 w = png_get_image_width(png, info);
    png_uint_32 h = png_get_image_height(png, info);
    int depth = png_get_bit_depth(png, info);
    int type = png_get_color_type(png, info);
    png_uint_32 rx = 0, ry = 0;
    int unit = 0;
    char dpi[32] = "-";
    if (png_get_pHYs(png, info, &rx, &ry, &unit) &&
        unit == PNG_RESOLUTION_METER)
        snprintf(dpi, sizeof(dpi), "%ux%u/m", (unsigned)rx, (unsigned)ry);
    png_set_expand(png);
    png_set_strip_16(png);
    png_set_strip_alpha(png);
    png_set_gray_to_rgb(png);
    png_read_update_info(png, info);
    size_t stride = png_get_rowbytes(png, info);
    row = malloc(stride);
    if (row == NULL)
        goto out;
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    for (png_uint_32 y = 0; y < h; y++) {
        png_read_row(png, row, NULL);
        sha256_update(&ctx, stride, row);
    }
    unsigned char d[SHA256_DIGEST_SIZE];
    sha256_digest(&ctx, sizeof(d), d);
    printf("%ux%u %d %d %s ", (unsigned)w, (unsigned)h, depth, type, dpi);
    for (size_t i = 0; i < sizeof(d); i++)
        printf("%02x", d[i]);
    printf("\n");
    ret = 0;
out:
    png_destroy_read_struct(&png, &info, NULL);
    free(row);
    fclose(fp);
    return ret;
}

int
main(int argc, char **argv)
{
    int ret = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: gen_pngpixels FILE.png...\n");
        return 1;
    }
    for (int i = 1; i < argc; i++)
        ret |= one(argv[i]);
    return ret;
}
