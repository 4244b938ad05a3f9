/* SPDX-License-Identifier: MIT */
/*
 * report/pngout.h - a chart's raster as PNG: the binary PPM (P6) that
 * `pdftoppm -r 300` renders from the chart's PDF, written as an 8-bit RGB
 * PNG by libpng with fast settings (zlib level 1, one filter for all
 * rows), the resolution in a pHYs chunk.
 *
 * pdftoppm's own -png output is the same pixels encoded with libpng's
 * defaults (zlib level 6, adaptive filters), which took three quarters of
 * a chart's time.
 */
#ifndef REPORT_PNGOUT_H
#define REPORT_PNGOUT_H

struct diag;

/*
 * Read the P6 file ppm (maxval 255) and write png (replaced, not synced:
 * the caller installs it where it belongs) with dpi dots per inch.
 * 0, or -1 with err set (DIAG_EXTERNAL for a PPM that is not one,
 * DIAG_IO otherwise).
 */
int pngout_from_ppm(const char *ppm, const char *png, unsigned dpi,
                    struct diag *err);

#endif /* REPORT_PNGOUT_H */
