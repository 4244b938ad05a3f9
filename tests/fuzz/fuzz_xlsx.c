/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/fuzz_xlsx.c - an Excel workbook (ingest/xlsx.h) through the
 * one way in: input_read() on a memory file (or a pipe), so that the whole
 * path runs: xlsx_sniff, xlsx_open (libzip, the workbook, its rels, the
 * styles, the shared strings), the thread that streams the sheet as CSV
 * text into a pipe, and the summary or detail reader reading that text.
 *
 * Fuzzing the bytes of a zip archive mostly breaks its CRCs, so the input
 * is, after one option byte, the *contents of the parts*, separated by NUL
 * bytes (which XML cannot hold), in this order:
 *
 *   xl/worksheets/sheet1.xml, xl/sharedStrings.xml, xl/styles.xml,
 *   xl/workbook.xml, xl/_rels/workbook.xml.rels, _rels/.rels,
 *   [Content_Types].xml
 *
 * A part not given (fewer separators; all of them when nothing follows the
 * option byte) is a small valid default; a part given empty is left out of
 * the archive.  The archive is made in memory
 * with libzip.  The option byte:
 *
 *   bit 0  raw: the rest of the input is the archive itself (libzip's own
 *          parsing of damaged archives, and the CRC checks)
 *   bit 1  the parts stored, not deflated
 *   bit 2  on a pipe (when the archive fits in one: 64 KiB), not a file
 *   bit 3  --sheet 表1 (the default workbook's sheet)
 *   bit 4  --sheet Sheet2 (a missing sheet, unless the workbook has one)
 *   bit 5  --strict
 *
 * The readers' contract is checked: a rejected workbook has no rows and at
 * least one error, an accepted one none.
 *
 * Corpus: tests/fuzz/corpus/xlsx/, workbooks of libxlsxwriter's own parts
 * (styles.xml, _rels/.rels and [Content_Types].xml of the attachment.xlsx
 * `gongji bulletin` writes) and rows of data/sample/: shared and inline
 * strings, a merged title row, rich text with <rPh>, date-styled periods,
 * 1904 dates, formulas with saved values, an error cell, prefixed
 * elements, an absolute rels target, rows and cells without r=, a detail
 * file, a DOCTYPE, an external entity, missing parts; x-raw-* are archives.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>
#include <zip.h>

#include "common/diag.h"
#include "ingest/input.h"
#include "ingest/submission.h"
#include "tests/fuzz/fuzz_common.h"

#define NPARTS 7

static const char *const part_name[NPARTS] = {
    "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml",       "xl/styles.xml",
    "xl/workbook.xml",          "xl/_rels/workbook.xml.rels", "_rels/.rels",
    "[Content_Types].xml",
};

#define NS_MAIN "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_REL                                                                 \
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_PKG "http://schemas.openxmlformats.org/package/2006/relationships"

static const char *const part_default[NPARTS] = {
    /* a summary sheet: header (shared strings) and one row */
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
    "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>"
    "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v>"
    "</c><c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"s\"><v>3</v></c>"
    "<c r=\"E1\" t=\"s\"><v>4</v></c><c r=\"F1\" t=\"s\"><v>5</v></c>"
    "<c r=\"G1\" t=\"s\"><v>6</v></c></row>"
    "<row r=\"2\"><c r=\"A2\" s=\"1\"><v>45536</v></c><c r=\"B2\"><v>110100"
    "</v></c><c r=\"C2\" t=\"inlineStr\"><is><t>same_area</t></is></c>"
    "<c r=\"D2\" t=\"inlineStr\"><is><t>medical</t></is></c>"
    "<c r=\"E2\" t=\"inlineStr\"><is><t>spouse</t></is></c>"
    "<c r=\"F2\"><v>12</v></c><c r=\"G2\"><v>1234.5600000000001</v></c></row>"
    "</sheetData></worksheet>",
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
    "<sst xmlns=\"" NS_MAIN "\" count=\"7\" uniqueCount=\"7\">"
    "<si><t>period</t></si><si><t>area</t></si><si><t>scope</t></si>"
    "<si><t>use</t></si><si><r><t>rela</t></r><r><t>tion</t></r></si>"
    "<si><t>person_times</t><rPh sb=\"0\" eb=\"1\"><t>x</t></rPh></si>"
    "<si><t>amount</t></si></sst>",
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
    "<styleSheet xmlns=\"" NS_MAIN "\"><numFmts count=\"1\"><numFmt "
    "numFmtId=\"164\" formatCode=\"yyyy-mm\"/></numFmts>"
    "<cellXfs count=\"3\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/>"
    "<xf numFmtId=\"164\"/></cellXfs></styleSheet>",
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
    "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\"><workbookPr/>"
    "<sheets><sheet name=\"表1\" sheetId=\"1\" r:id=\"rId1\"/></sheets>"
    "</workbook>",
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
    "<Relationships xmlns=\"" NS_PKG "\"><Relationship Id=\"rId1\" "
    "Type=\"" NS_REL "/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "</Relationships>",
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
    "<Relationships xmlns=\"" NS_PKG "\"><Relationship Id=\"rId1\" "
    "Type=\"" NS_REL "/officeDocument\" Target=\"xl/workbook.xml\"/>"
    "</Relationships>",
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
    "content-types\"><Default Extension=\"xml\" ContentType=\"application/"
    "xml\"/></Types>",
};

/*
 * The archive of the parts in data[0..size), into *out (malloc'd); 0 and
 * NULL when every part is left out.
 */
static size_t
make_zip(const uint8_t *data, size_t size, bool store, uint8_t **out)
{
    zip_error_t err;
    zip_source_t *src;
    zip_t *z;
    size_t off = 0, added = 0;

    zip_error_init(&err);
    src = zip_source_buffer_create(NULL, 0, 0, &err);
    if (src == NULL)
        BUG("zip_source_buffer_create: %s", zip_error_strerror(&err));
    zip_source_keep(src);
    z = zip_open_from_source(src, ZIP_TRUNCATE, &err);
    if (z == NULL)
        BUG("zip_open_from_source: %s", zip_error_strerror(&err));
    for (size_t i = 0; i < NPARTS; i++) {
        const char *p;
        size_t len;
        if (size > 0 && off <= size) {
            const uint8_t *nul = memchr(data + off, 0, size - off);
            size_t end = nul != NULL ? (size_t)(nul - data) : size;
            p = (const char *)data + off;
            len = end - off;
            off = end + 1;
        } else {
            p = part_default[i];
            len = strlen(p);
        }
        if (len == 0)
            continue; /* left out */
        zip_source_t *ps = zip_source_buffer(z, p, len, 0);
        zip_int64_t idx =
            ps != NULL ? zip_file_add(z, part_name[i], ps, 0) : -1;
        if (idx < 0)
            BUG("zip_file_add: %s", zip_strerror(z));
        if (zip_set_file_compression(z, (zip_uint64_t)idx,
                                     store ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
                                     1) < 0)
            BUG("zip_set_file_compression: %s", zip_strerror(z));
        added++;
    }
    if (added == 0) { /* libzip writes no empty archive */
        zip_discard(z);
        zip_source_free(src);
        *out = NULL;
        return 0;
    }
    if (zip_close(z) < 0)
        BUG("zip_close: %s", zip_strerror(z));

    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_source_stat(src, &st) < 0 || !(st.valid & ZIP_STAT_SIZE) ||
        zip_source_open(src) < 0)
        BUG("zip_source_stat/open");
    *out = malloc(st.size ? st.size : 1);
    if (*out == NULL)
        BUG("out of memory");
    zip_int64_t n = zip_source_read(src, *out, st.size);
    if (n < 0 || (zip_uint64_t)n != st.size)
        BUG("zip_source_read");
    zip_source_close(src);
    zip_source_free(src);
    return (size_t)n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct refdata *rd = fuzz_refdata();
    struct input_opts o;
    struct diag_list dl = DIAG_LIST_INIT;
    struct submission sf;
    char path[64];
    uint8_t *zipbuf = NULL;
    const uint8_t *zbytes;
    size_t zlen;

    if (size == 0)
        return 0;
    uint8_t opt = data[0];
    if (opt & 1) {
        zbytes = data + 1;
        zlen = size - 1;
    } else {
        zlen = make_zip(data + 1, size - 1, (opt & 2) != 0, &zipbuf);
        zbytes = zipbuf;
        if (zipbuf == NULL)
            return 0;
    }

    memset(&o, 0, sizeof(o));
    o.ingest.encoding = ENC_AUTO;
    o.ingest.strict = (opt & 32) != 0;
    o.ingest.sheet = (opt & 8) ? "表1" : (opt & 16) ? "Sheet2" : NULL;
    o.threads = 1;
    o.detail_sha256 = true;

    int fd = (opt & 4) ? fuzz_pipe(zbytes, zlen) : -1;
    if (fd < 0)
        fd = fuzz_memfd(zbytes, zlen);
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    submission_init(&sf);
    int rc = input_read(&sf, path, &o, rd, &dl);
    if (rc != 0 && (sf.nrows != 0 || dl.errors == 0))
        BUG("rejected with %zu rows, %zu errors", sf.nrows, dl.errors);
    if (rc == 0 && dl.errors != 0)
        BUG("accepted with %zu errors", dl.errors);
    close(fd);
    submission_release(&sf);
    diag_list_release(&dl);
    free(zipbuf);
    return 0;
}
