/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/diag.h"
#include "common/sbuf.h"
#include "ingest/csvread.h"

#define MAX_ROWS 16

/* What the row callback saw: fields joined with '|' for easy comparison. */
struct seen_row {
    unsigned long line, end_line, index;
    size_t nfields;
    size_t bytes; /* sum of the field lengths */
    char text[256];
};

struct seen {
    struct seen_row rows[MAX_ROWS];
    size_t n;
    size_t stop_at; /* return stop_rc from this row (1-based); 0 = never */
    int stop_rc;
};

static int
collect(const struct csvread_row *row, void *ctx)
{
    struct seen *seen = ctx;
    struct seen_row *r;
    size_t o = 0;

    assert_true(seen->n < MAX_ROWS);
    r = &seen->rows[seen->n++];
    r->line = row->line;
    r->end_line = row->end_line;
    r->index = row->index;
    r->nfields = row->nfields;
    r->bytes = 0;
    for (size_t i = 0; i < row->nfields; i++) {
        const struct csvread_field *f = &row->fields[i];
        size_t n = f->len;

        assert_non_null(f->s);
        assert_int_equal(f->s[f->len], '\0');
        r->bytes += f->len;
        /* Long fields are cut; the tests that make them check r->bytes. */
        if (o + 2 >= sizeof(r->text))
            continue;
        if (i > 0)
            r->text[o++] = '|';
        if (n > sizeof(r->text) - o - 1)
            n = sizeof(r->text) - o - 1;
        memcpy(r->text + o, f->s, n);
        o += n;
    }
    r->text[o] = '\0';
    if (seen->stop_at != 0 && seen->n == seen->stop_at)
        return seen->stop_rc;
    return 0;
}

static int
parse(const char *buf, size_t len, struct seen *seen, struct diag *err)
{
    memset(seen, 0, sizeof(*seen));
    diag_clear(err);
    return csvread_buffer(buf, len, "in.csv", collect, seen, err);
}

#define PARSE(s, seen, err) parse(s, sizeof(s) - 1, seen, err)

static void
assert_row(const struct seen *seen, size_t i, unsigned long line,
           unsigned long end_line, size_t nfields, const char *text)
{
    assert_true(i < seen->n);
    assert_int_equal(seen->rows[i].index, i);
    assert_int_equal(seen->rows[i].line, line);
    assert_int_equal(seen->rows[i].end_line, end_line);
    assert_int_equal(seen->rows[i].nfields, nfields);
    assert_string_equal(seen->rows[i].text, text);
}

static void
assert_error(const struct diag *err, unsigned long line, unsigned long col,
             const char *msg)
{
    assert_int_equal(err->code, DIAG_FORMAT);
    assert_int_equal(err->severity, DIAG_ERROR);
    assert_non_null(err->file);
    assert_string_equal(err->file, "in.csv");
    assert_int_equal(err->line, line);
    assert_int_equal(err->col, col);
    assert_string_equal(err->msg, msg);
}

/* ---- records and line numbers ---- */

static void
test_csvread_buffer_plain(void **state)
{
    struct seen seen;
    struct diag err;

    (void)state;
    assert_int_equal(PARSE("a,b,c\n1,2,3\n地区,,x\n", &seen, &err), 0);
    assert_int_equal(seen.n, 3);
    assert_row(&seen, 0, 1, 1, 3, "a|b|c");
    assert_row(&seen, 1, 2, 2, 3, "1|2|3");
    assert_row(&seen, 2, 3, 3, 3, "地区||x");
}

static void
test_csvread_buffer_crlf(void **state)
{
    struct seen seen;
    struct diag err;

    (void)state;
    assert_int_equal(PARSE("a,b\r\n1,2\r\n\r\n3,4\r\n", &seen, &err), 0);
    assert_int_equal(seen.n, 3);
    assert_row(&seen, 0, 1, 1, 2, "a|b");
    assert_row(&seen, 1, 2, 2, 2, "1|2");
    assert_row(&seen, 2, 4, 4, 2, "3|4");
}

static void
test_csvread_buffer_bare_cr(void **state)
{
    struct seen seen;
    struct diag err;

    (void)state;
    /* A lone CR ends a record and a physical line (old Mac line ends). */
    assert_int_equal(PARSE("a\rb\nc\n", &seen, &err), 0);
    assert_int_equal(seen.n, 3);
    assert_row(&seen, 0, 1, 1, 1, "a");
    assert_row(&seen, 1, 2, 2, 1, "b");
    assert_row(&seen, 2, 3, 3, 1, "c");
}

static void
test_csvread_buffer_quoted_comma(void **state)
{
    struct seen seen;
    struct diag err;

    (void)state;
    assert_int_equal(PARSE("name,value\n\"x,y\",2\n", &seen, &err), 0);
    assert_int_equal(seen.n, 2);
    assert_row(&seen, 1, 2, 2, 2, "x,y|2");
}

static void
test_csvread_buffer_quoted_quote(void **state)
{
    struct seen seen;
    struct diag err;

    (void)state;
    assert_int_equal(PARSE("\"say \"\"hi\"\"\",1,\"\"\"\"\n", &seen, &err), 0);
    assert_int_equal(seen.n, 1);
    assert_row(&seen, 0, 1, 1, 3, "say \"hi\"|1|\"");
}

static void
test_csvread_buffer_quoted_newline(void **state)
{
    struct seen seen;
    struct diag err;

    (void)state;
    assert_int_equal(PARSE("h1,h2\n"
                           "\"line one\nline two\",2\n"
                           "next,3\n"
                           "4,\"a\r\n\nb\"\n"
                           "last,5\n",
                           &seen, &err),
                     0);
    assert_int_equal(seen.n, 5);
    assert_row(&seen, 0, 1, 1, 2, "h1|h2");
    assert_row(&seen, 1, 2, 3, 2, "line one\nline two|2");
    assert_row(&seen, 2, 4, 4, 2, "next|3");
    assert_row(&seen, 3, 5, 7, 2, "4|a\r\n\nb");
    assert_row(&seen, 4, 8, 8, 2, "last|5");
}

static void
test_csvread_buffer_blank_lines(void **state)
{
    struct seen seen;
    struct diag err;

    (void)state;
    assert_int_equal(PARSE("\na,b\n\n\r\n1,2\n\n\n3,4\n\n", &seen, &err), 0);
    assert_int_equal(seen.n, 3);
    assert_row(&seen, 0, 2, 2, 2, "a|b");
    assert_row(&seen, 1, 5, 5, 2, "1|2");
    assert_row(&seen, 2, 8, 8, 2, "3|4");
}

static void
test_csvread_buffer_empty_records_skipped(void **state)
{
    struct seen seen;
    struct diag err;

    (void)state;
    /* Excel leaves ",,," rows behind; a lone "" is empty too. */
    assert_int_equal(PARSE("a,b,c\n,,\n\"\"\n1,,\n", &seen, &err), 0);
    assert_int_equal(seen.n, 2);
    assert_row(&seen, 0, 1, 1, 3, "a|b|c");
    assert_row(&seen, 1, 4, 4, 3, "1||");
}

static void
test_csvread_buffer_spaces_kept(void **state)
{
    struct seen seen;
    struct diag err;

    (void)state;
    assert_int_equal(PARSE(" a , b \n\t1,  \n   \n", &seen, &err), 0);
    assert_int_equal(seen.n, 3);
    assert_row(&seen, 0, 1, 1, 2, " a | b ");
    assert_row(&seen, 1, 2, 2, 2, "\t1|  ");
    assert_row(&seen, 2, 3, 3, 1, "   ");
}

static void
test_csvread_buffer_no_final_newline(void **state)
{
    struct seen seen;
    struct diag err;

    (void)state;
    assert_int_equal(PARSE("a,b\n1,2", &seen, &err), 0);
    assert_int_equal(seen.n, 2);
    assert_row(&seen, 1, 2, 2, 2, "1|2");

    assert_int_equal(PARSE("a,b\n\"x\ny\",\"z\"", &seen, &err), 0);
    assert_int_equal(seen.n, 2);
    assert_row(&seen, 1, 2, 3, 2, "x\ny|z");
}

static void
test_csvread_buffer_empty(void **state)
{
    struct seen seen;
    struct diag err;

    (void)state;
    assert_int_equal(parse("", 0, &seen, &err), 0);
    assert_int_equal(seen.n, 0);
    assert_int_equal(PARSE("\n\r\n\n", &seen, &err), 0);
    assert_int_equal(seen.n, 0);
}

static void
test_csvread_buffer_callback_stops(void **state)
{
    struct seen seen;
    struct diag err;
    const char csv[] = "a\nb\nc\rd\n";

    (void)state;
    memset(&seen, 0, sizeof(seen));
    seen.stop_at = 2;
    seen.stop_rc = 7;
    diag_clear(&err);
    assert_int_equal(
        csvread_buffer(csv, sizeof(csv) - 1, "in.csv", collect, &seen, &err),
        7);
    assert_int_equal(seen.n, 2);
    assert_row(&seen, 1, 2, 2, 1, "b");
    assert_int_equal(err.code, DIAG_OK);

    /* Stopping on a CR-separated record ignores the rest of its line. */
    memset(&seen, 0, sizeof(seen));
    seen.stop_at = 3;
    seen.stop_rc = 1;
    assert_int_equal(
        csvread_buffer(csv, sizeof(csv) - 1, "in.csv", collect, &seen, &err),
        1);
    assert_int_equal(seen.n, 3);
    assert_row(&seen, 2, 3, 3, 1, "c");

    /* Stopping on the last record, which csv_fini() flushes. */
    memset(&seen, 0, sizeof(seen));
    seen.stop_at = 2;
    seen.stop_rc = 5;
    assert_int_equal(csvread_buffer("a\nb", 3, "in.csv", collect, &seen, &err),
                     5);
    assert_int_equal(seen.n, 2);
}

/* ---- errors ---- */

static void
test_csvread_buffer_quote_in_unquoted_field(void **state)
{
    struct seen seen;
    struct diag err;

    (void)state;
    assert_int_equal(PARSE("h1,h2\nx,y\na,b\"c\nlater,row\n", &seen, &err), -1);
    assert_int_equal(seen.n, 2);
    assert_error(&err, 3, 2,
                 "malformed quoting in field 2 (byte 4 of the line): quote "
                 "inside the unquoted field 'b' (quote the whole field and "
                 "double the quote)");
}

static void
test_csvread_buffer_text_after_closing_quote(void **state)
{
    struct seen seen;
    struct diag err;

    (void)state;
    assert_int_equal(PARSE("1,2,\"ab\"c,d\n", &seen, &err), -1);
    assert_int_equal(seen.n, 0);
    assert_error(&err, 1, 3,
                 "malformed quoting in field 3 (byte 9 of the line): text "
                 "after the closing quote of '\"ab\"'");

    /* The same after a field that spans lines: line and byte are local. */
    assert_int_equal(PARSE("h\n\"x\ny\",\"ok\" \n", &seen, &err), -1);
    assert_int_equal(seen.n, 1);
    assert_error(&err, 3, 2,
                 "malformed quoting in field 2 (byte 8 of the line): text "
                 "after the closing quote of '\"ok\"'");
}

static void
test_csvread_buffer_unterminated_quote(void **state)
{
    struct seen seen;
    struct diag err;

    (void)state;
    assert_int_equal(PARSE("h1,h2\n"
                           "x,\"open\n"
                           "more\n"
                           "more,again\n"
                           "last\n",
                           &seen, &err),
                     -1);
    assert_int_equal(seen.n, 1);
    assert_error(&err, 2, 2, "unterminated quoted field that began on line 2");

    /* The open field starts where the previous (multi-line) one ended. */
    assert_int_equal(PARSE("h\n\"a\nb\",\"c\nd\n", &seen, &err), -1);
    assert_int_equal(seen.n, 1);
    assert_error(&err, 3, 2, "unterminated quoted field that began on line 3");

    /* Without a final newline. */
    assert_int_equal(PARSE("a,b\n1,\"2", &seen, &err), -1);
    assert_int_equal(seen.n, 1);
    assert_error(&err, 2, 2, "unterminated quoted field that began on line 2");
}

static void
test_csvread_buffer_record_too_big(void **state)
{
    struct sbuf csv = SBUF_INIT;
    struct seen seen;
    struct diag err;

    (void)state;
    /* A quote opened on line 2 that swallows > 1 MiB of following lines. */
    sbuf_addstr(&csv, "h1,h2\nok,\"");
    while (csv.len < CSVREAD_MAX_RECORD + 100)
        sbuf_addstr(&csv, "0123456789abcdef\n");
    sbuf_addstr(&csv, "\"\n");
    assert_int_equal(parse(csv.buf, csv.len, &seen, &err), -1);
    assert_int_equal(seen.n, 1);
    assert_error(&err, 2, 0,
                 "record that began on line 2 is longer than 1048576 bytes: "
                 "is the quote of field 2 (line 2) never closed?");

    /* One huge line of unquoted fields, without a newline. */
    sbuf_reset(&csv);
    sbuf_addstr(&csv, "h\n\n");
    while (csv.len < CSVREAD_MAX_RECORD + 100)
        sbuf_addstr(&csv, "0123456789abcde,");
    assert_int_equal(parse(csv.buf, csv.len, &seen, &err), -1);
    assert_int_equal(seen.n, 1);
    assert_error(&err, 3, 0,
                 "record that began on line 3 is longer than 1048576 bytes");

    /* Just under the limit is fine. */
    sbuf_reset(&csv);
    sbuf_addstr(&csv, "\"");
    while (csv.len < CSVREAD_MAX_RECORD - 100)
        sbuf_addstr(&csv, "x\n");
    sbuf_addstr(&csv, "\"\nnext\n");
    assert_int_equal(parse(csv.buf, csv.len, &seen, &err), 0);
    assert_int_equal(seen.n, 2);
    assert_int_equal(seen.rows[0].line, 1);
    assert_int_equal(seen.rows[1].line, seen.rows[0].end_line + 1);
    assert_int_equal(seen.rows[0].end_line, (CSVREAD_MAX_RECORD - 100) / 2 + 1);
    assert_int_equal(seen.rows[0].bytes, CSVREAD_MAX_RECORD - 100);
    assert_int_equal(seen.rows[0].nfields, 1);
    sbuf_release(&csv);
}

/* ---- CR-only line ends, other separators ---- */

static void
test_csvread_buffer_cr_only(void **state)
{
    struct seen seen;
    struct diag err;

    (void)state;
    assert_int_equal(PARSE("a,b\r1,2\r\r3,\"x\ry\"\r4,5", &seen, &err), 0);
    assert_int_equal(seen.n, 4);
    assert_row(&seen, 0, 1, 1, 2, "a|b");
    assert_row(&seen, 1, 2, 2, 2, "1|2");
    assert_row(&seen, 2, 4, 5, 2, "3|x\ry");
    assert_row(&seen, 3, 6, 6, 2, "4|5");

    assert_int_equal(PARSE("a,b\r1,2\r3,x\"\r", &seen, &err), -1);
    assert_int_equal(err.line, 3);
}

static void
test_csvread_buffer_delim(void **state)
{
    struct seen seen;
    struct diag err;
    static const char tsv[] = "a\tb,c\t\"d\te\"\n1\t2\n";

    (void)state;
    memset(&seen, 0, sizeof(seen));
    assert_int_equal(csvread_buffer_delim(tsv, sizeof(tsv) - 1, '\t', "in.csv",
                                          collect, &seen, &err),
                     0);
    assert_int_equal(seen.n, 2);
    assert_row(&seen, 0, 1, 1, 3, "a|b,c|d\te");
    assert_row(&seen, 1, 2, 2, 2, "1|2");
}

static bool
known_abc(const char *s, size_t len, void *ctx)
{
    (void)ctx;
    return len == 1 && (*s == 'a' || *s == 'b' || *s == 'c');
}

static void
test_csvread_guess_delim(void **state)
{
    (void)state;
#define GUESS(s, lines)                                                        \
    csvread_guess_delim(s, sizeof(s) - 1, lines, known_abc, NULL)
    assert_int_equal(GUESS("a,b,c\n1,2,3\n", 3), ',');
    assert_int_equal(GUESS("a\tb\t\"c\"\n1,5\t2\n", 3), '\t');
    assert_int_equal(GUESS("a;b;c\r1,5;2\r", 3), ';');
    /* below a title row; not past max_lines */
    assert_int_equal(GUESS("title\r\n x ; a ; b \r\n", 3), ';');
    assert_int_equal(GUESS("title\nx\na;b;c\n", 2), ',');
    /* a tie, or nothing known: the comma */
    assert_int_equal(GUESS("a,b;c\n", 1), ',');
    assert_int_equal(GUESS("x\ty\n", 1), ',');
    assert_int_equal(GUESS("", 1), ',');
#undef GUESS
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csvread_buffer_plain),
        cmocka_unit_test(test_csvread_buffer_crlf),
        cmocka_unit_test(test_csvread_buffer_bare_cr),
        cmocka_unit_test(test_csvread_buffer_quoted_comma),
        cmocka_unit_test(test_csvread_buffer_quoted_quote),
        cmocka_unit_test(test_csvread_buffer_quoted_newline),
        cmocka_unit_test(test_csvread_buffer_blank_lines),
        cmocka_unit_test(test_csvread_buffer_empty_records_skipped),
        cmocka_unit_test(test_csvread_buffer_spaces_kept),
        cmocka_unit_test(test_csvread_buffer_no_final_newline),
        cmocka_unit_test(test_csvread_buffer_empty),
        cmocka_unit_test(test_csvread_buffer_callback_stops),
        cmocka_unit_test(test_csvread_buffer_quote_in_unquoted_field),
        cmocka_unit_test(test_csvread_buffer_text_after_closing_quote),
        cmocka_unit_test(test_csvread_buffer_unterminated_quote),
        cmocka_unit_test(test_csvread_buffer_record_too_big),
        cmocka_unit_test(test_csvread_buffer_cr_only),
        cmocka_unit_test(test_csvread_buffer_delim),
        cmocka_unit_test(test_csvread_guess_delim),
    };

    return cmocka_run_group_tests_name("csvread", tests, NULL, NULL);
}
