/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/fuzz_detail.c - the detail reader (ingest/detail.h):
 * detail_read_fd() on a pipe or a memory file, with the reading varied by
 * the first two bytes of the input:
 *
 *   byte 0  bits 0-1  threads - 1 (1..4)
 *           bits 2-4  chunk size: 1, 2, 3, 7, 64, 4096, 65536 or the
 *                     default (DETAIL_CHUNK)
 *           bits 5-6  --header: none; the English header; the Chinese one;
 *                     or the input's own first line (then cut from the data)
 *           bit  7    a pipe (no size known) instead of a memory file
 *   byte 1            how many bytes the caller "sniffed" (the prefix
 *                     passed in, the rest left on the descriptor); bit 7 of
 *                     it asks for the SHA-256
 *   the rest          the file.
 *
 * Corpus: tests/fuzz/corpus/detail/ (detail files with two such bytes in
 * front).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "common/diag.h"
#include "ingest/detail.h"
#include "ingest/submission.h"
#include "tests/fuzz/fuzz_common.h"

static const size_t chunks[8] = {1, 2, 3, 7, 64, 4096, 65536, 0};

static const char header_en[] =
    "settlement_id,settle_time,payer_area,beneficiary_area,use,relation,"
    "amount,payer_id,beneficiary_id";
static const char header_zh[] =
    "结算编号,结算时间,共济人统筹区,被共济人统筹区,共济用途,共济关系,"
    "共济金额(元),共济人身份证号,被共济人身份证号";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct refdata *rd = fuzz_refdata();
    struct ingest_opts io = {ENC_AUTO, false, NULL};
    struct detail_opts o;
    struct diag_list dl = DIAG_LIST_INIT;
    struct submission sf;
    struct detail_stats st;
    char *own_header = NULL;

    if (size < 2)
        return 0;
    uint8_t b0 = data[0], b1 = data[1];
    data += 2;
    size -= 2;

    memset(&o, 0, sizeof(o));
    o.threads = (b0 & 3u) + 1;
    o.chunk_bytes = chunks[(b0 >> 2) & 7u];
    o.want_sha256 = (b1 & 0x80u) != 0;
    switch ((b0 >> 5) & 3u) {
    case 0:
        break;
    case 1:
        o.header = header_en;
        break;
    case 2:
        o.header = header_zh;
        break;
    default: {
        const uint8_t *nl = memchr(data, '\n', size);
        size_t n = nl != NULL ? (size_t)(nl - data) : size;
        own_header = malloc(n + 1);
        if (own_header == NULL)
            abort();
        memcpy(own_header, data, n);
        own_header[n] = '\0'; /* an argv string ends at its first NUL */
        o.header = own_header;
        n += nl != NULL;
        data += n;
        size -= n;
        break;
    }
    }
    size_t prefix = b1 & 0x7fu;
    if (prefix > size)
        prefix = size;
    int fd = -1;
    if (b0 & 0x80u)
        fd = fuzz_pipe(data + prefix, size - prefix);
    if (fd < 0)
        fd = fuzz_memfd(data + prefix, size - prefix);

    submission_init(&sf);
    int rc = detail_read_fd(&sf, fd, "fuzz.csv", (const char *)data, prefix,
                            &io, &o, rd, &dl, &st);
    if (rc != 0 && (sf.nrows != 0 || dl.errors == 0))
        BUG("rejected with %zu rows, %zu errors", sf.nrows, dl.errors);
    if (rc == 0 && dl.errors != 0)
        BUG("accepted with %zu errors", dl.errors);
    if (rc == 0 && st.bytes != size)
        BUG("read %llu bytes of %zu", (unsigned long long)st.bytes, size);
    close(fd);
    submission_release(&sf);
    diag_list_release(&dl);
    free(own_header);
    return 0;
}
