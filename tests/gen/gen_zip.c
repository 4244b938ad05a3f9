/* SPDX-License-Identifier: MIT */
/*
 * tests/gen/gen_zip.c - write a zip archive of the given files, for tests
 * that make workbooks part by part (hand-written XML, hostile archives).
 *
 *   gen_zip [--store] OUT.zip NAME=FILE...
 *
 * Each NAME=FILE adds FILE's bytes as entry NAME (e.g.
 * xl/worksheets/sheet1.xml=sheet.xml), in the order given, deflated unless
 * --store.  Exit 0, or 1 with a message on stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

static char *
slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0, cap = 0;

    if (fp == NULL)
        return NULL;
    for (;;) {
        if (n == cap) {
            cap = cap ? 2 * cap : 65536;
            char *nb = realloc(buf, cap);
            if (nb == NULL) {
                free(buf);
                fclose(fp);
                return NULL;
            }
            buf = nb;
        }
        size_t got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (got == 0)
            break;
    }
    fclose(fp);
    *len = n;
    return buf;
}

int
main(int argc, char **argv)
{
    int i = 1, err = 0;
    zip_int32_t method = ZIP_CM_DEFLATE;

    if (i < argc && strcmp(argv[i], "--store") == 0) {
        method = ZIP_CM_STORE;
        i++;
    }
    if (argc - i < 2) {
        fprintf(stderr, "usage: gen_zip [--store] OUT.zip NAME=FILE...\n");
        return 1;
    }
    zip_t *z = zip_open(argv[i], ZIP_CREATE | ZIP_TRUNCATE, &err);
    if (z == NULL) {
        fprintf(stderr, "gen_zip: cannot create %s (%d)\n", argv[i], err);
        return 1;
    }
    for (i++; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        size_t len = 0;
        if (eq == NULL) {
            fprintf(stderr, "gen_zip: '%s' is not NAME=FILE\n", argv[i]);
            return 1;
        }
        *eq = '\0';
        char *data = slurp(eq + 1, &len);
        if (data == NULL) {
            fprintf(stderr, "gen_zip: cannot read %s\n", eq + 1);
            return 1;
        }
        zip_source_t *src = zip_source_buffer(z, data, len, 1);
        zip_int64_t idx = src != NULL ? zip_file_add(z, argv[i], src, 0) : -1;
        if (idx < 0 ||
            zip_set_file_compression(z, (zip_uint64_t)idx, method, 0) < 0) {
            fprintf(stderr, "gen_zip: %s: %s\n", argv[i], zip_strerror(z));
            return 1;
        }
    }
    if (zip_close(z) < 0) {
        fprintf(stderr, "gen_zip: %s\n", zip_strerror(z));
        return 1;
    }
    return 0;
}
