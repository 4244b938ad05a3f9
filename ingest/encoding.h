/* SPDX-License-Identifier: MIT */
/*
 * ingest/encoding.h - detect the text encoding of an input file and turn it
 * into UTF-8.
 *
 * Detection (LIBRARIES.md §5): a UTF-8 BOM means UTF-8 (the BOM is dropped);
 * a UTF-16 BOM is rejected with a hint (Excel's "Unicode 文本"), except by
 * encoding_file_to_utf8(), which decodes it; otherwise
 * the whole buffer is checked as strict UTF-8 (all-ASCII counts as UTF-8);
 * failing that it is decoded as GB18030 (a superset of GBK/GB2312) with
 * glibc iconv, then as CP936 (which maps the lone byte 0x80 to €).  A BOM
 * followed by invalid UTF-8 is an error, not a guess.
 */
#ifndef INGEST_ENCODING_H
#define INGEST_ENCODING_H

#include <stddef.h>

struct diag;
struct sbuf;

/* ENC_UTF16LE and ENC_UTF16BE are only detected, never given. */
enum encoding { ENC_AUTO, ENC_UTF8, ENC_GB18030, ENC_UTF16LE, ENC_UTF16BE };

/*
 * Parse an --encoding value: "auto", "utf-8"/"utf8", "gb18030"/"gbk"/
 * "gb2312"/"cp936" (case-insensitive).  Returns 0 or -1.
 */
int encoding_parse(const char *name, enum encoding *out);

/*
 * "UTF-8", "UTF-8 (BOM)", "GB18030", "UTF-16LE (BOM)" - for messages and
 * the store.
 */
const char *encoding_name(enum encoding enc, int had_bom);

/*
 * Convert buf[0..len) to UTF-8 in out (appended; out is not reset).
 * `forced` is ENC_AUTO to detect.  On success returns 0, sets *detected and
 * *had_bom.  On failure returns -1 with err set to a DIAG_FORMAT error
 * whose line is the physical line (1-based, counting LF in the raw bytes)
 * of the first undecodable byte and whose message names the byte offset and
 * the bytes in hex, e.g. "cannot decode byte 0xC1 at offset 57 as UTF-8 or
 * GB18030".  err->file is set to `file`.  An empty buffer is not an error
 * here (the caller reports an empty file).
 */
int encoding_to_utf8(const char *buf, size_t len, enum encoding forced,
                     const char *file, struct sbuf *out,
                     enum encoding *detected, int *had_bom, struct diag *err);

/*
 * The same for a whole file read into memory (a summary file), which may
 * also be:
 *  - UTF-16 with a byte order mark (Excel's "Unicode 文本" export, UTF-16LE
 *    and tab separated), decoded with iconv: *detected is then ENC_UTF16LE
 *    or ENC_UTF16BE and *had_bom 1; an undecodable unit (a lone surrogate),
 *    a NUL character or an odd length is an error at its physical line;
 *    `forced` must then be ENC_AUTO (a UTF-16 file given as UTF-8 or
 *    GB18030 is an error);
 *  - padded with NUL bytes after its last line end (some systems pad files
 *    to a block size): the padding is dropped.  Any other NUL byte is an
 *    error, as in encoding_to_utf8().
 */
int encoding_file_to_utf8(const char *buf, size_t len, enum encoding forced,
                          const char *file, struct sbuf *out,
                          enum encoding *detected, int *had_bom,
                          struct diag *err);

/*
 * How many bytes of buf[0..len) are left once NUL padding after the last
 * line end (LF or CR) is dropped: len when there is none.  A buffer that
 * is only NULs, or whose NULs follow no line end, keeps them.
 */
size_t encoding_unpadded_len(const char *buf, size_t len);

#endif /* INGEST_ENCODING_H */
