/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_input.c - the one way in (ingest/input.h): any input,
 * read once, whatever it is: a regular file, a pipe named /dev/fd/N (what
 * `gongji check <(cat f.csv)` passes), a FIFO, standard input; summary and
 * detail files told apart by the header.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/diag.h"
#include "common/sbuf.h"
#include "common/sha256.h"
#include "ingest/codes.h"
#include "ingest/input.h"
#include "ingest/refdata.h"

struct fixture {
    struct refdata *rd;
    char dir[64];
};

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    const char *data = getenv("GONGJI_DATA");
    struct diag err;

    if (f == NULL)
        return -1;
    diag_clear(&err);
    f->rd = refdata_load(data != NULL ? data : "data", &err);
    if (f->rd == NULL) {
        diag_print(stderr, &err);
        free(f);
        return -1;
    }
    snprintf(f->dir, sizeof(f->dir), "/tmp/test_input.XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    refdata_free(f->rd);
    free(f);
    return 0;
}

/*
 * A summary file larger than the part read to tell its kind (INPUT_PREFIX):
 * two areas x 12 months x 3 scopes x 4 uses x 7 relations = 2016 rows,
 * person_times 1..2016, amount k yuan + k fen.  Sums returned.
 */
static void
big_summary(struct sbuf *out, int64_t *pt, int64_t *fen)
{
    static const char *const scopes[] = {"same_area", "cross_area",
                                         "cross_province"};
    static const char *const uses[] = {"medical", "pharmacy", "premium",
                                       "other"};
    static const char *const rels[] = {
        "spouse",      "parent",     "child",      "sibling",
        "grandparent", "grandchild", "unspecified"};
    int64_t k = 0;

    *pt = *fen = 0;
    sbuf_addstr(out, "period,area,area_name,scope,use,relation,person_times,"
                     "amount\n");
    for (int a = 0; a < 2; a++)
        for (int m = 1; m <= 12; m++)
            for (int s = 0; s < 3; s++)
                for (int u = 0; u < 4; u++)
                    for (int r = 0; r < 7; r++) {
                        k++;
                        sbuf_addf(out,
                                  "2024-%02d,%s,a pooling area name,%s,%s,%s,"
                                  "%lld,%lld.%02lld\n",
                                  m, a ? "120100" : "110100", scopes[s],
                                  uses[u], rels[r], (long long)k, (long long)k,
                                  (long long)(k % 100));
                        *pt += k;
                        *fen += k * 100 + k % 100;
                    }
    assert_true(out->len > INPUT_PREFIX);
}

/* Start a child that writes text to fd and exits. */
static pid_t
writer(int fd, const struct sbuf *text)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        size_t off = 0;
        while (off < text->len) {
            ssize_t n = write(fd, text->buf + off, text->len - off);
            if (n <= 0)
                _exit(1);
            off += (size_t)n;
        }
        close(fd);
        _exit(0);
    }
    return pid;
}

static void
reap(pid_t pid)
{
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static int
read_path(struct fixture *f, const char *path, struct submission *sf,
          struct diag_list *dl)
{
    struct input_opts o;

    memset(&o, 0, sizeof(o));
    o.detail_sha256 = true;
    submission_init(sf);
    int rc = input_read(sf, path, &o, f->rd, dl);
    if (rc != 0)
        diag_list_print(stderr, dl);
    return rc;
}

/* What a user checks: the rows, the totals, the coverage and the hash. */
static void
assert_big(const struct submission *sf, const struct sbuf *text, int64_t pt,
           int64_t fen)
{
    char sha[SHA256_HEX_LEN + 1];
    int64_t gpt = 0, gfen = 0;

    assert_int_equal(sf->nrows, 2016);
    for (size_t i = 0; i < sf->nrows; i++) {
        gpt += sf->rows[i].person_times;
        gfen += sf->rows[i].amount_fen;
    }
    assert_int_equal(gpt, pt);
    assert_int_equal(gfen, fen);
    assert_int_equal(sf->ncover, 24); /* 2 provinces x 12 months */
    assert_int_equal(sf->cover[0].province, 110000);
    assert_int_equal(period_to_yyyymm(sf->cover[0].period), 202401);
    assert_int_equal(sf->cover[23].province, 120000);
    assert_int_equal(period_to_yyyymm(sf->cover[23].period), 202412);
    assert_int_equal(sf->bytes, text->len);
    sha256_hex(text->buf, text->len, sha);
    assert_string_equal(sf->sha256, sha);
}

static void
test_input_regular_file(void **state)
{
    struct fixture *f = *state;
    struct sbuf text = SBUF_INIT;
    struct diag_list dl = DIAG_LIST_INIT;
    struct submission sf;
    char path[128];
    int64_t pt, fen;

    big_summary(&text, &pt, &fen);
    snprintf(path, sizeof(path), "%s/big.csv", f->dir);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(text.buf, 1, text.len, fp), text.len);
    assert_int_equal(fclose(fp), 0);

    assert_int_equal(read_path(f, path, &sf, &dl), 0);
    assert_string_equal(sf.path, path);
    assert_big(&sf, &text, pt, fen);
    submission_release(&sf);
    diag_list_release(&dl);
    sbuf_release(&text);
}

/* `gongji check <(cat big.csv)`: a pipe by name, read once from its start */
static void
test_input_pipe_by_name(void **state)
{
    struct fixture *f = *state;
    struct sbuf text = SBUF_INIT;
    struct diag_list dl = DIAG_LIST_INIT;
    struct submission sf;
    char path[64];
    int64_t pt, fen;
    int fds[2];

    big_summary(&text, &pt, &fen);
    assert_int_equal(pipe(fds), 0);
    pid_t pid = writer(fds[1], &text);
    close(fds[1]);
    snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
    assert_int_equal(read_path(f, path, &sf, &dl), 0);
    close(fds[0]);
    reap(pid);
    assert_big(&sf, &text, pt, fen);
    submission_release(&sf);
    diag_list_release(&dl);
    sbuf_release(&text);
}

static void
test_input_fifo(void **state)
{
    struct fixture *f = *state;
    struct sbuf text = SBUF_INIT;
    struct diag_list dl = DIAG_LIST_INIT;
    struct submission sf;
    char path[128];
    int64_t pt, fen;

    big_summary(&text, &pt, &fen);
    snprintf(path, sizeof(path), "%s/fifo", f->dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open(path, O_WRONLY);
        if (fd < 0)
            _exit(1);
        pid_t w = writer(fd, &text);
        int st;
        close(fd);
        waitpid(w, &st, 0);
        _exit(WIFEXITED(st) ? WEXITSTATUS(st) : 1);
    }
    assert_int_equal(read_path(f, path, &sf, &dl), 0);
    reap(pid);
    assert_big(&sf, &text, pt, fen);
    submission_release(&sf);
    diag_list_release(&dl);
    sbuf_release(&text);
}

/* "-" is standard input, named <stdin> */
static void
test_input_stdin(void **state)
{
    struct fixture *f = *state;
    struct sbuf text = SBUF_INIT;
    struct diag_list dl = DIAG_LIST_INIT;
    struct submission sf;
    int64_t pt, fen;
    int fds[2];

    big_summary(&text, &pt, &fen);
    int saved = dup(STDIN_FILENO);
    assert_int_equal(pipe(fds), 0);
    pid_t pid = writer(fds[1], &text);
    close(fds[1]);
    assert_int_equal(dup2(fds[0], STDIN_FILENO), STDIN_FILENO);
    close(fds[0]);
    int rc = read_path(f, "-", &sf, &dl);
    assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
    close(saved);
    reap(pid);
    assert_int_equal(rc, 0);
    assert_string_equal(sf.path, "<stdin>");
    assert_big(&sf, &text, pt, fen);
    submission_release(&sf);
    diag_list_release(&dl);
    sbuf_release(&text);
}

/*
 * A detail file through a pipe goes to the detail reader: one row per
 * settlement becomes cells at the store's grain.  The header is in Chinese,
 * so the kind is told by the shipped vocabulary.
 */
static void
test_input_detail_pipe(void **state)
{
    struct fixture *f = *state;
    struct sbuf text = SBUF_INIT;
    struct diag_list dl = DIAG_LIST_INIT;
    struct submission sf;
    char path[64];
    int fds[2];

    sbuf_addstr(&text, "结算编号,结算时间,共济人统筹区,被共济人统筹区,共济用途,"
                       "共济关系,共济金额\n"
                       "S1,2024-03-01 08:00:00,330100,330100,medical,spouse,"
                       "10.00\n"
                       "S2,2024-03-02 08:00:00,330100,330100,定点医疗机构,配偶,"
                       "2.50\n"
                       "S3,2024-03-03 08:00:00,330100,110100,pharmacy,,1.00\n");
    assert_int_equal(pipe(fds), 0);
    pid_t pid = writer(fds[1], &text);
    close(fds[1]);
    snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
    assert_int_equal(read_path(f, path, &sf, &dl), 0);
    close(fds[0]);
    reap(pid);
    assert_int_equal(sf.nrows, 2);
    assert_int_equal(sf.rows[0].scope, SCOPE_SAME_AREA);
    assert_int_equal(sf.rows[0].person_times, 2);
    assert_int_equal(sf.rows[0].amount_fen, 1250);
    assert_int_equal(sf.rows[1].scope, SCOPE_CROSS_PROVINCE);
    assert_int_equal(sf.rows[1].relation, REL_UNSPECIFIED);
    assert_int_equal(sf.rows[1].amount_fen, 100);
    assert_int_equal(sf.ncover, 1);
    assert_int_equal(period_to_yyyymm(sf.cover[0].period), 202403);
    char sha[SHA256_HEX_LEN + 1];
    sha256_hex(text.buf, text.len, sha);
    assert_string_equal(sf.sha256, sha);
    submission_release(&sf);
    diag_list_release(&dl);
    sbuf_release(&text);
}

/* Summaries concatenated on stdin, for aggregate: every part validated */
static void
test_input_concatenated(void **state)
{
    struct fixture *f = *state;
    struct diag_list dl = DIAG_LIST_INIT;
    struct submission sf;
    struct input_opts o;
    char path[128];
    static const char text[] = "period,area,scope,use,person_times,amount\n"
                               "2024-01,110100,same_area,medical,1,1.00\n"
                               "period,area,scope,use,person_times,amount\n"
                               "2024-01,110100,same_area,medical,2,2.00\n"
                               "2024-01,110100,same_area,medical,3,x\n";

    snprintf(path, sizeof(path), "%s/cat.csv", f->dir);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
    memset(&o, 0, sizeof(o));
    o.concatenated = true;
    submission_init(&sf);
    /* the same key in two parts is no duplicate, but line 5 is bad */
    assert_int_equal(input_read(&sf, path, &o, f->rd, &dl), -1);
    assert_int_equal(dl.errors, 1);
    assert_int_equal(dl.items[0].line, 5);
    assert_int_equal(sf.nrows, 0);
    submission_release(&sf);
    diag_list_release(&dl);
}

static void
test_input_cannot_open(void **state)
{
    struct fixture *f = *state;
    struct diag_list dl = DIAG_LIST_INIT;
    struct submission sf;
    char path[128];

    snprintf(path, sizeof(path), "%s/missing.csv", f->dir);
    submission_init(&sf);
    struct input_opts o;
    memset(&o, 0, sizeof(o));
    assert_int_equal(input_read(&sf, path, &o, f->rd, &dl), -1);
    assert_int_equal(dl.nr, 1);
    assert_int_equal(dl.items[0].code, DIAG_NOINPUT);
    assert_non_null(strstr(dl.items[0].msg, "cannot open"));
    submission_release(&sf);
    diag_list_release(&dl);
}

static void
test_input_is_detail(void **state)
{
    struct fixture *f = *state;
    static const char gb_header[] = /* 结算时间,共济金额 in GB18030 */
        "\xbd\xe1\xcb\xe3\xca\xb1\xbc\xe4,\xb9\xb2\xbc\xc3\xbd\xf0\xb6\xee\n";
    static const char *const yes[] = {
        "settlement_id,settle_time\n",
        "settlement_id,settle_time,payer_area\n1,2,3\n",
        "\xEF\xBB\xBFuse,PAYER_AREA,amount\r\n",
        "\xEF\xBB\xBF\"Settle_Time\",x\n",
        "共济人统筹区,共济金额(元)\n",
        "被共济人身份证号\n",
        /* 结算编号,结算时间 in GB18030, CRLF */
        "\xBD\xE1\xCB\xE3\xB1\xE0\xBA\xC5,\xBD\xE1\xCB\xE3\xCA\xB1\xBC\xE4\r\n",
    };
    static const char *const no[] = {
        "period,area,scope,use,person_times,amount\n",
        "",
        "\"unterminated,settle_time\n",
    };

    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
        assert_true(input_is_detail(f->rd, yes[i], strlen(yes[i])));
    assert_true(input_is_detail(f->rd, gb_header, strlen(gb_header)));
    for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
        assert_false(input_is_detail(f->rd, no[i], strlen(no[i])));
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_input_regular_file), T(test_input_pipe_by_name),
        T(test_input_fifo),         T(test_input_stdin),
        T(test_input_detail_pipe),  T(test_input_concatenated),
        T(test_input_cannot_open),  T(test_input_is_detail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
