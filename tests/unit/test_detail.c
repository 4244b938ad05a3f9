/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_detail.c - the detail-file scanner (ingest/scan.h) and
 * reader (ingest/detail.h): record splitting against a naive reference on
 * random input, the vector and portable masks, time parsing, ID masking,
 * and whole reads with tiny chunks and several threads,
 * which must give the same cells, lines and SHA-256 as one big chunk.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <unistd.h>

#include "common/diag.h"
#include "common/sbuf.h"
#include "common/sha256.h"
#include "ingest/detail.h"
#include "ingest/refdata.h"
#include "ingest/scan.h"
#include "ingest/summary.h"

static uint64_t rng = 12345;

static unsigned
rnd(unsigned n)
{
    rng = rng * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
    return (unsigned)((rng >> 33) % n);
}

/* ---------------------------------------------------------------------------
 * Scanner
 */

/* All records of text, fields joined with '|', records with '/'. */
static int
scan_all(const char *text, struct sbuf *out, struct scan_error *err)
{
    size_t len = strlen(text);
    char *buf = malloc(len + 1);
    struct scan sc;
    int rc;

    memcpy(buf, text, len + 1);
    scan_init(&sc, buf, len);
    sbuf_reset(out);
    while ((rc = scan_next(&sc, err)) == 1) {
        sbuf_addf(out, "%lu:", sc.rec_line);
        for (size_t i = 0; i < sc.nfields; i++) {
            if (i > 0)
                sbuf_addch(out, '|');
            sbuf_add(out, sc.fields[i].s, sc.fields[i].len);
        }
        sbuf_addch(out, '/');
    }
    scan_release(&sc);
    free(buf);
    return rc;
}

static void
test_scan_basic(void **state)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"a,b,c\n1,,3\r\n\nx", "0:a|b|c/1:1||3/3:x/"},
        {"a,b\n", "0:a|b/"},
        {"", ""},
        {"\n\n\r\n", ""},
        {",\n", "0:|/"},
        {"\"a,b\",\"c\"\"d\",\"e\nf\",g\n", "0:a,b|c\"d|e\nf|g/"},
        {"\"\",x\n\"\"\"\"\r\n", "0:|x/1:\"/"},
        {"\"q\"\r\nz", "0:q/1:z/"},
        {"\"end\"", "0:end/"},
        {"\"x\r\ny\",2\n3\n", "0:x\r\ny|2/2:3/"},
    };
    struct sbuf out = SBUF_INIT;
    struct scan_error err;
    (void)state;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int rc = scan_all(cases[i].in, &out, &err);
        if (rc != 0 || strcmp(out.buf, cases[i].want) != 0)
            fail_msg("case %zu: rc %d, got [%s], want [%s]", i, rc, out.buf,
                     cases[i].want);
    }
    sbuf_release(&out);
}

static void
test_scan_errors(void **state)
{
    static const struct {
        const char *in;
        enum scan_error_kind kind;
        unsigned long line;
        size_t field, byte;
    } cases[] = {
        {"ok\nab\"c\n", SCAN_ERR_QUOTE_IN_FIELD, 1, 0, 3},
        {"x,\"ab\"c,d\n", SCAN_ERR_AFTER_QUOTE, 0, 1, 7},
        {"a\nb,\"open\nmore", SCAN_ERR_UNTERMINATED, 2, 1, 0},
    };
    struct sbuf out = SBUF_INIT;
    struct scan_error err;
    (void)state;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        memset(&err, 0, sizeof(err));
        int rc = scan_all(cases[i].in, &out, &err);
        assert_int_equal(rc, -1);
        assert_int_equal(err.kind, cases[i].kind);
        assert_int_equal(err.line, cases[i].line);
        assert_int_equal(err.field, cases[i].field);
        if (cases[i].byte != 0)
            assert_int_equal(err.byte, cases[i].byte);
    }
    /* the unterminated field began on line 1 */
    scan_all("a\nb,\"open\nmore", &out, &err);
    assert_int_equal(err.field_line, 1);
    sbuf_release(&out);
}

/*
 * Random records of random fields (some quoted, with commas, quotes, CR and
 * newlines), long enough to cross many 64-byte blocks: the scanner must
 * give back exactly the fields that were written.
 */
static void
test_scan_random(void **state)
{
    static const char alphabet[] = "ab,\"\n\r 1";
    struct sbuf text = SBUF_INIT, want = SBUF_INIT, got = SBUF_INIT;
    struct scan_error err;
    (void)state;

    for (int round = 0; round < 300; round++) {
        unsigned long line = 0;
        sbuf_reset(&text);
        sbuf_reset(&want);
        unsigned nrec = 1 + rnd(20);
        for (unsigned r = 0; r < nrec; r++) {
            unsigned nf = 1 + rnd(12);
            unsigned long rec_line = line;
            struct sbuf rec = SBUF_INIT;
            bool nonempty = nf > 1;
            for (unsigned f = 0; f < nf; f++) {
                char val[80];
                unsigned vl = rnd(3) == 0 ? rnd(70) : rnd(8);
                bool quote = rnd(4) == 0;
                for (unsigned k = 0; k < vl; k++) {
                    val[k] = alphabet[rnd(quote ? 8 : 2) +
                                      (quote ? 0 : (rnd(2) ? 0 : 6))];
                    if (!quote && val[k] == '\r')
                        val[k] = 'z';
                }
                if (!quote && vl > 0 && val[vl - 1] == ' ')
                    val[vl - 1] = 'y';
                if (f > 0) {
                    sbuf_addch(&text, ',');
                    sbuf_addch(&rec, '|');
                }
                if (vl > 0 || quote)
                    nonempty = true;
                if (quote) {
                    sbuf_addch(&text, '"');
                    for (unsigned k = 0; k < vl; k++) {
                        if (val[k] == '"')
                            sbuf_addch(&text, '"');
                        if (val[k] == '\n')
                            line++;
                        sbuf_addch(&text, val[k]);
                    }
                    sbuf_addch(&text, '"');
                } else {
                    sbuf_add(&text, val, vl);
                }
                sbuf_add(&rec, val, vl);
            }
            sbuf_addstr(&text, rnd(3) == 0 ? "\r\n" : "\n");
            line++;
            if (nonempty) {
                sbuf_addf(&want, "%lu:", rec_line);
                sbuf_add(&want, rec.buf, rec.len);
                sbuf_addch(&want, '/');
            }
            sbuf_release(&rec);
        }
        int rc = scan_all(text.buf, &got, &err);
        if (rc != 0 || strcmp(got.buf, want.buf) != 0)
            fail_msg("round %d: rc %d\ninput [%s]\ngot  [%s]\nwant [%s]", round,
                     rc, text.buf, got.buf, want.buf);
    }
    sbuf_release(&text);
    sbuf_release(&want);
    sbuf_release(&got);
}

static void
test_scan_masks_agree(void **state)
{
    char buf[64];
    (void)state;
    for (int round = 0; round < 20000; round++) {
        uint64_t naive = 0;
        for (int i = 0; i < 64; i++) {
            unsigned r = rnd(8);
            buf[i] = r == 0   ? ','
                     : r == 1 ? '"'
                     : r == 2 ? '\n'
                              : (char)rnd(256);
            if (buf[i] == ',' || buf[i] == '"' || buf[i] == '\n')
                naive |= UINT64_C(1) << i;
        }
        assert_true(scan_mask64(buf) == naive);
        assert_true(scan_mask64_portable(buf) == naive);
    }
}

static void
test_scan_count_byte(void **state)
{
    static char buf[20000];
    (void)state;
    for (int round = 0; round < 50; round++) {
        size_t len = rnd(sizeof(buf)), want = 0, off = rnd(16);
        for (size_t i = 0; i < len; i++) {
            buf[i] = rnd(5) == 0 ? '"' : 'x';
            want += i >= off && buf[i] == '"';
        }
        assert_int_equal(
            scan_count_byte(buf + off, len > off ? len - off : 0, '"'),
            len > off ? want : 0);
    }
}

static void
test_scan_boundaries(void **state)
{
    static const struct {
        const char *in;
        size_t first, last;
    } cases[] = {
        {"a,b\nc,d\ne", 4, 8},
        {"a,b\nc,d\n", 4, 8},
        {"no newline", 0, 0},
        {"\"x\ny\",1\n2\n\"open\n", 8, 10},
        {"\"x\ny\"\"\nz\",1\n", 12, 12},
        {"\"still\nopen\nhere", 0, 0},
        {"\n", 1, 1},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t n = strlen(cases[i].in);
        assert_int_equal(scan_first_boundary(cases[i].in, n), cases[i].first);
        assert_int_equal(scan_last_boundary(cases[i].in, n), cases[i].last);
    }
}

/* ---------------------------------------------------------------------------
 * Small parsers
 */

static void
test_parse_time(void **state)
{
    static const struct {
        const char *in;
        int rc, want;
    } cases[] = {
        {"2024-09-30 23:59:59", 0, 202409},
        {"2024-02-29 00:00:00", 0, 202402},
        {"2000-01-01 00:00:00", 0, 200001},
        {"2023-02-29 10:00:00", -2, 0},
        {"2100-02-29 10:00:00", -2, 0},
        {"2024-04-31 10:00:00", -2, 0},
        {"2024-13-01 10:00:00", -2, 0},
        {"2024-00-01 10:00:00", -2, 0},
        {"2024-01-00 10:00:00", -2, 0},
        {"2024-01-01 24:00:00", -2, 0},
        {"2024-01-01 23:60:00", -2, 0},
        {"2024-01-01 23:00:60", -2, 0},
        {"1999-12-31 10:00:00", -3, 0},
        {"2024-01-01T10:00:00", -1, 0},
        {"", -1, 0},
        {"2024-01-01 10:00:0x", -1, 0},
        /* as Excel and WPS rewrite a time: the month is what counts */
        {"2024/01/01 10:00:00", 0, 202401},
        {"2024-01-01 10:00", 0, 202401},
        {"2024-1-01 10:00:00", 0, 202401},
        {"2024/9/3 10:21", 0, 202409},
        {"2024/9/3 10:21:05", 0, 202409},
        {"2024/9/3 2:05", 0, 202409},
        {"2024-09-03 10:21", 0, 202409},
        {"2024/12/31 23:59", 0, 202412},
        {"2024/2/30 10:21", -2, 0},
        {"2024/9/3 24:00", -2, 0},
        {"2024/9/3 10:60", -2, 0},
        {"1999/9/3 10:21", -3, 0},
        {"2024/9/3", -1, 0},
        {"2024/9/3 10", -1, 0},
        {"2024/9/3 10:2", -1, 0},
        {"2024-9/3 10:21", -1, 0},
        {"2024/9-3 10:21", -1, 0},
        {"2024/9/3 10:21:05:00", -1, 0},
        {"2024/9/3  10:21", -1, 0},
        {"2024/123/3 10:21", -1, 0},
        {"24/9/3 10:21", -1, 0},
        {"2024/9/3 10:21:5", -1, 0},
        {"2024.9.3 10:21", -1, 0},
        {"2024/9/3 10:21 ", -1, 0},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct period got = {0, 0};
        int rc = detail_parse_time(cases[i].in, strlen(cases[i].in), &got);
        if (rc != cases[i].rc ||
            (rc == 0 && period_to_yyyymm(got) != cases[i].want))
            fail_msg("'%s': rc %d (want %d), %d", cases[i].in, rc, cases[i].rc,
                     period_to_yyyymm(got));
    }
}

static void
test_mask_id(void **state)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"110101199001011234", "'110*************34'"},
        {"11010119900101123X", "'110*************3X'"},
        {"ABCDEFGH", "'ABC***GH'"},
        {"1234567", "'*******'"},
        {"", "''"},
        {"张三丰的编号00001", "'张三丰******01'"},
        {"ab\ncdefgh", "'ab?****gh'"},
    };
    char out[128];
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        detail_mask_id(out, sizeof(out), cases[i].in, strlen(cases[i].in));
        assert_string_equal(out, cases[i].want);
    }
    /* never more than 40 stars, and a tiny buffer is safe */
    char longid[200];
    memset(longid, '9', sizeof(longid) - 1);
    longid[sizeof(longid) - 1] = '\0';
    detail_mask_id(out, sizeof(out), longid, strlen(longid));
    assert_int_equal(strlen(out), 2 + 3 + 40 + 2);
    detail_mask_id(out, 6, longid, strlen(longid));
    assert_true(strlen(out) < 6);
    assert_null(strstr(out, "9999"));
}

/* ---------------------------------------------------------------------------
 * Whole reads
 */

static const char *
data_dir(void)
{
    const char *dir = getenv("GONGJI_DATA");
    return dir != NULL && *dir != '\0' ? dir : "data";
}

static const char sample[] =
    "settlement_id,settle_time,payer_area,beneficiary_area,use,relation,"
    "amount,payer_id,beneficiary_id\n"
    "S1,2024-01-05 10:00:00,330100,330100,medical,spouse,10.00,"
    "330102198001010011,330102198201010022\n"
    "\"S2\nlate\",2024-01-06 10:00:00,330100,330200,pharmacy,子女,5.5,"
    "330102198001010011,330203201001010022\n"
    "S3,\"2024-01-07 10:00:00\",330100,110100,premium,,\"1,380.00\","
    "330102198001010012,110101195001010022\r\n"
    "\n"
    "R4,2024-01-08 10:00:00,330100,330100,medical,spouse,-10,"
    "330102198001010011,330102198201010022\n"
    "S5,2024-02-01 00:00:00,110100,110100,other,grandchild,0.01,"
    "110101196001010011,110101201501010022\n"
    "\"S6\"\"x\"\"\",2024-01-31 23:59:59,330100,330100,medical,spouse,"
    "7.25,330102198001010013,330102198201010023";

static char *
write_temp(const char *text, size_t len)
{
    char *path = strdup("/tmp/gongji-test-detail.XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    close(fd);
    return path;
}

/* The cells of sf as text, for comparing reads. */
static void
cells_text(const struct submission *sf, struct sbuf *out)
{
    sbuf_reset(out);
    for (size_t i = 0; i < sf->nrows; i++) {
        const struct record *r = &sf->rows[i];
        sbuf_addf(out, "%d,%d,%d,%d,%d,%lld,%lld@%lu\n",
                  period_to_yyyymm(r->period), r->area, r->scope, r->use,
                  r->relation, (long long)r->person_times,
                  (long long)r->amount_fen, r->line);
    }
    for (size_t i = 0; i < sf->ncover; i++)
        sbuf_addf(out, "cover %d %d %zu %lld %lld\n", sf->cover[i].province,
                  period_to_yyyymm(sf->cover[i].period), sf->cover[i].rows,
                  (long long)sf->cover[i].person_times,
                  (long long)sf->cover[i].amount_fen);
}

static void
test_read_sample(void **state)
{
    struct diag err;
    struct refdata *rd = refdata_load(data_dir(), &err);
    struct ingest_opts io = {ENC_AUTO, false, NULL};
    struct sbuf want = SBUF_INIT, got = SBUF_INIT;
    char *path = write_temp(sample, strlen(sample));
    char sha[SHA256_HEX_LEN + 1];
    (void)state;

    assert_non_null(rd);
    sha256_hex(sample, strlen(sample), sha);
    for (unsigned threads = 1; threads <= 4; threads++) {
        static const size_t chunks[] = {0, 1, 2, 7, 33, 64, 100, 1000};
        for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
            struct detail_opts o;
            struct diag_list dl = DIAG_LIST_INIT;
            struct submission sf;
            struct detail_stats st;
            memset(&o, 0, sizeof(o));
            o.threads = threads;
            o.chunk_bytes = chunks[c];
            o.want_sha256 = true;
            submission_init(&sf);
            int rc = detail_read(&sf, path, &io, &o, rd, &dl, &st);
            if (rc != 0) {
                diag_list_print(stderr, &dl);
                fail_msg("threads %u chunk %zu: rc %d", threads, chunks[c], rc);
            }
            assert_int_equal(st.rows, 6);
            assert_string_equal(sf.sha256, sha);
            cells_text(&sf, &got);
            if (want.len == 0)
                sbuf_addstr(&want, got.buf);
            else if (strcmp(want.buf, got.buf) != 0)
                fail_msg("threads %u chunk %zu:\n%s\nwant\n%s", threads,
                         chunks[c], got.buf, want.buf);
            submission_release(&sf);
            diag_list_release(&dl);
        }
    }
    /* the figures (S1, R4 and S6 share a cell; S2 spans lines 3-4) */
    /* scope, use, relation as their values: cross_province is 3, premium
     * 3, other 5 (ingest/codes.h) */
    assert_string_equal(want.buf, "202401,330100,0,0,0,1,725@2\n"
                                  "202401,330100,1,1,2,1,550@3\n"
                                  "202401,330100,3,3,6,1,138000@5\n"
                                  "202402,110100,0,5,5,1,1@8\n"
                                  "cover 110000 202402 1 1 1\n"
                                  "cover 330000 202401 3 3 139275\n");
    unlink(path);
    free(path);
    sbuf_release(&want);
    sbuf_release(&got);
    refdata_free(rd);
}

/* Errors keep their absolute lines however the file is cut. */
static void
test_read_error_lines(void **state)
{
    struct diag err;
    struct refdata *rd = refdata_load(data_dir(), &err);
    struct ingest_opts io = {ENC_AUTO, false, NULL};
    struct sbuf text = SBUF_INIT, got = SBUF_INIT, want = SBUF_INIT;
    (void)state;

    sbuf_addstr(&text, "settle_time,payer_area,beneficiary_area,use,amount,"
                       "payer_id,beneficiary_id\n");
    for (int i = 2; i <= 400; i++) {
        if (i % 37 == 0)
            sbuf_addf(&text,
                      "2024-01-01 10:00:00,330100,330100,bogus,1.00,"
                      "A%d,\"B\n%d\"\n",
                      i, i);
        else if (i % 53 == 0)
            sbuf_addf(&text,
                      "2024-01-01 10:00:00,330100,330100,medical,1.00,"
                      "ID%06d,ID%06d\n",
                      i, i);
        else
            sbuf_addf(&text,
                      "2024-01-01 10:00:00,330100,330100,medical,1.00,"
                      "P%d,B%d\n",
                      i, i);
    }
    char *path = write_temp(text.buf, text.len);
    for (unsigned threads = 1; threads <= 3; threads++) {
        static const size_t chunks[] = {0, 10, 64, 333};
        for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
            struct detail_opts o;
            struct diag_list dl = DIAG_LIST_INIT;
            struct submission sf;
            memset(&o, 0, sizeof(o));
            o.threads = threads;
            o.chunk_bytes = chunks[c];
            submission_init(&sf);
            assert_int_equal(detail_read(&sf, path, &io, &o, rd, &dl, NULL),
                             -1);
            assert_int_equal(sf.nrows, 0);
            sbuf_reset(&got);
            for (size_t i = 0; i < dl.nr; i++) {
                sbuf_addf(&got, "%lu:%lu %s\n", dl.items[i].line,
                          dl.items[i].col, dl.items[i].msg);
                /* no identifier in full */
                assert_null(strstr(dl.items[i].msg, "ID0000"));
            }
            if (want.len == 0)
                sbuf_addstr(&want, got.buf);
            else if (strcmp(want.buf, got.buf) != 0)
                fail_msg("threads %u chunk %zu:\n%s\nwant\n%s", threads,
                         chunks[c], got.buf, want.buf);
            submission_release(&sf);
            diag_list_release(&dl);
        }
    }
    /* the 37th line holds the first bad use; later lines shift by one per
     * quoted newline before them */
    assert_non_null(strstr(want.buf, "37:4 use 'bogus'"));
    assert_non_null(strstr(want.buf, "54:7 beneficiary_id 'ID0***53'"));
    assert_non_null(strstr(want.buf, "75:4 use 'bogus'"));
    unlink(path);
    free(path);
    sbuf_release(&text);
    sbuf_release(&got);
    sbuf_release(&want);
    refdata_free(rd);
}

/* Times that share their month with the row before take a short path. */
static void
test_read_times(void **state)
{
    static const struct {
        const char *t;
        bool ok;
    } rows[] = {
        {"2024-01-05 10:00:00", true},  {"2024-01-31 23:59:59", true},
        {"2024-01-32 10:00:00", false}, {"2024-01-00 10:00:00", false},
        {"2024-01-05 24:00:00", false}, {"2024-01-05 23:60:00", false},
        {"2024-01-05 23:00:60", false}, {"2024-01-05T23:00:00", false},
        {"2024-01-0a 23:00:00", false}, {"2024-01-05 2:00:00", true},
        {"2024/1/5 10:21", true},       {"2024/1/32 10:21", false},
        {"2024-01-05 10:21", true},     {"2024/1/5 10:21:05", true},
        {"2024-02-29 10:00:00", true},  {"2024-02-29 10:00:00", true},
        {"2024-02-30 10:00:00", false}, {"2023-02-01 10:00:00", true},
        {"2023-02-29 10:00:00", false}, {"2023-02-28 10:00:00", true},
    };
    struct diag err;
    struct refdata *rd = refdata_load(data_dir(), &err);
    struct ingest_opts io = {ENC_AUTO, false, NULL};
    struct sbuf text = SBUF_INIT, want = SBUF_INIT, got = SBUF_INIT;
    struct detail_opts o;
    struct diag_list dl = DIAG_LIST_INIT;
    struct submission sf;
    (void)state;

    sbuf_addstr(&text, "settle_time,payer_area,beneficiary_area,use,amount\n");
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        sbuf_addf(&text, "%s,330100,330100,medical,1.00\n", rows[i].t);
        if (!rows[i].ok)
            sbuf_addf(&want, "%zu ", i + 2);
    }
    char *path = write_temp(text.buf, text.len);
    memset(&o, 0, sizeof(o));
    o.threads = 1;
    submission_init(&sf);
    assert_int_equal(detail_read(&sf, path, &io, &o, rd, &dl, NULL), -1);
    for (size_t i = 0; i < dl.nr; i++)
        sbuf_addf(&got, "%lu ", dl.items[i].line);
    assert_string_equal(got.buf, want.buf);
    unlink(path);
    free(path);
    submission_release(&sf);
    diag_list_release(&dl);
    sbuf_release(&text);
    sbuf_release(&want);
    sbuf_release(&got);
    refdata_free(rd);
}

/*
 * IDs that Excel turned into numbers (3.30102E+17): the message says so,
 * with the value masked, and never "shares with themselves" when both
 * became the same number.
 */
static void
test_read_excel_ids(void **state)
{
    static const char text[] =
        "settle_time,payer_area,beneficiary_area,use,amount,payer_id,"
        "beneficiary_id\n"
        "2024/9/3 10:21,330100,330100,medical,1.00,3.30102E+17,3.30102E+17\n"
        "2024-09-03 10:21,330100,330100,medical,1.00,330102199001011234,"
        "3.30106E+17\n"
        "2024/9/3 10:21:05,330100,330100,medical,1.00,330102199001011234,"
        "330106199201021235\n";
    struct diag err;
    struct refdata *rd = refdata_load(data_dir(), &err);
    struct ingest_opts io = {ENC_AUTO, false, NULL};
    struct sbuf got = SBUF_INIT;
    struct detail_opts o;
    struct diag_list dl = DIAG_LIST_INIT;
    struct submission sf;
    (void)state;

    char *path = write_temp(text, sizeof(text) - 1);
    memset(&o, 0, sizeof(o));
    o.threads = 1;
    submission_init(&sf);
    assert_int_equal(detail_read(&sf, path, &io, &o, rd, &dl, NULL), -1);
    for (size_t i = 0; i < dl.nr; i++)
        sbuf_addf(&got, "%lu:%lu %s\n", dl.items[i].line, dl.items[i].col,
                  dl.items[i].msg);
    static const char *const want[] = {
        "2:6 payer_id '3.3******17' is a number in scientific notation: "
        "Excel converted the ID column to numbers",
        "2:7 beneficiary_id '3.3******17' is a number in scientific "
        "notation",
        "3:7 beneficiary_id '3.3******17' is a number in scientific "
        "notation",
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        if (strstr(got.buf, want[i]) == NULL)
            fail_msg("no \"%s\" in:\n%s", want[i], got.buf);
    assert_int_equal(dl.nr, 3);
    assert_null(strstr(got.buf, "themselves"));
    assert_null(strstr(got.buf, "30102"));
    assert_null(strstr(got.buf, "settle_time"));
    unlink(path);
    free(path);
    submission_release(&sf);
    diag_list_release(&dl);
    sbuf_release(&got);
    refdata_free(rd);
}

/* A pipe: no file size, hashing in the reader. */
static void
test_read_pipe(void **state)
{
    struct diag err;
    struct refdata *rd = refdata_load(data_dir(), &err);
    struct ingest_opts io = {ENC_AUTO, false, NULL};
    struct detail_opts o;
    struct diag_list dl = DIAG_LIST_INIT;
    struct submission sf;
    char sha[SHA256_HEX_LEN + 1];
    int fds[2];
    (void)state;

    assert_int_equal(pipe(fds), 0);
    size_t len = strlen(sample);
    assert_int_equal(write(fds[1], sample, len), (ssize_t)len);
    close(fds[1]);
    memset(&o, 0, sizeof(o));
    o.threads = 2;
    o.chunk_bytes = 50;
    o.want_sha256 = true;
    submission_init(&sf);
    /* the first 20 bytes were read by the caller (sniffing) */
    char prefix[20];
    assert_int_equal(read(fds[0], prefix, sizeof(prefix)), 20);
    assert_int_equal(detail_read_fd(&sf, fds[0], "<pipe>", prefix, 20, &io, &o,
                                    rd, &dl, NULL),
                     0);
    sha256_hex(sample, len, sha);
    assert_string_equal(sf.sha256, sha);
    assert_int_equal(sf.nrows, 4);
    close(fds[0]);
    submission_release(&sf);
    diag_list_release(&dl);
    refdata_free(rd);
}

int
main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scan_basic),
        cmocka_unit_test(test_scan_errors),
        cmocka_unit_test(test_scan_random),
        cmocka_unit_test(test_scan_masks_agree),
        cmocka_unit_test(test_scan_count_byte),
        cmocka_unit_test(test_scan_boundaries),
        cmocka_unit_test(test_parse_time),
        cmocka_unit_test(test_mask_id),
        cmocka_unit_test(test_read_sample),
        cmocka_unit_test(test_read_error_lines),
        cmocka_unit_test(test_read_times),
        cmocka_unit_test(test_read_excel_ids),
        cmocka_unit_test(test_read_pipe),
    };
    return cmocka_run_group_tests_name("detail", tests, NULL, NULL);
}
