/* SPDX-License-Identifier: MIT */
#include "report/queryout.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "aggregate/query.h"
#include "common/money.h"
#include "ingest/codes.h"
#include "ingest/refdata.h"
#include "report/numfmt.h"
#include "report/texttable.h"

int
outfmt_parse(const char *s, enum outfmt *out)
{
    if (strcmp(s, "table") == 0)
        *out = OUT_TABLE;
    else if (strcmp(s, "csv") == 0)
        *out = OUT_CSV;
    else if (strcmp(s, "json") == 0)
        *out = OUT_JSON;
    else
        return -1;
    return 0;
}

static enum code_set
dim_set(int dim)
{
    return dim == DIM_SCOPE     ? CODESET_SCOPE
           : dim == DIM_USE     ? CODESET_USE
           : dim == DIM_CHANNEL ? CODESET_CHANNEL
                                : CODESET_RELATION;
}

const char *
queryout_code(const struct codes *cs, char *buf, size_t len, int dim, int value)
{
    switch (dim) {
    case DIM_PERIOD:
        period_format(buf, len, period_of_yyyymm(value));
        break;
    case DIM_PROVINCE:
    case DIM_AREA:
        snprintf(buf, len, "%06d", value);
        break;
    default:
        snprintf(buf, len, "%s", codes_code(cs, dim_set(dim), value));
        break;
    }
    return buf;
}

const char *
queryout_label(char *buf, size_t len, int dim, int value,
               const struct refdata *rd)
{
    const struct province *p;
    const struct area *a;

    switch (dim) {
    case DIM_PERIOD:
        period_label(buf, len, period_of_yyyymm(value));
        break;
    case DIM_PROVINCE:
        p = refdata_province(rd, value);
        snprintf(buf, len, "%s", p ? p->short_name : "?");
        if (p == NULL)
            snprintf(buf, len, "%06d", value);
        break;
    case DIM_AREA:
        a = refdata_area(rd, value);
        if (a != NULL)
            snprintf(buf, len, "%06d %s", value, a->name);
        else
            snprintf(buf, len, "%06d", value);
        break;
    default:
        snprintf(buf, len, "%s",
                 codes_name(refdata_codes(rd), dim_set(dim), value));
        break;
    }
    return buf;
}

static const char *const dim_headings[DIM_N] = {
    "统计期", "省份", "统筹区", "共济范围", "共济用途", "共济关系", "共济方式",
};

/* Write v in decimal, at least `width` digits (zero-padded); returns end. */
static char *
put_u64(char *p, uint64_t v, int width)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0 || n < width);
    while (n > 0)
        *p++ = tmp[--n];
    return p;
}

int
queryout_csv_risky(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' ||
           c == '\r';
}

void
queryout_csv_text(FILE *fp, const char *s)
{
    fputc('"', fp);
    if (queryout_csv_risky(s[0]))
        fputc('\'', fp);
    for (; *s != '\0'; s++) {
        if (*s == '"')
            fputc('"', fp);
        fputc(*s, fp);
    }
    fputc('"', fp);
}

/*
 * A code as a CSV text field.  The codes are ours (ingest/codes.c): none
 * needs quoting, and none starts like a formula, but the rule holds for
 * every text field all the same.
 */
static char *
put_str(char *p, const char *s)
{
    size_t n = strlen(s);
    if (n > 0 && queryout_csv_risky(s[0]))
        *p++ = '\'';
    memcpy(p, s, n);
    return p + n;
}

/*
 * The same text as queryout_code(), formatted by hand: csv of a wide query
 * is tens of thousands of rows, and snprintf was half of its run time.
 */
static char *
put_code(const struct codes *cs, char *p, int dim, int value)
{
    switch (dim) {
    case DIM_PERIOD:
        p = put_u64(p, (uint64_t)(value / 100), 4);
        *p++ = '-';
        return put_u64(p, (uint64_t)(value % 100), 2);
    case DIM_PROVINCE:
    case DIM_AREA:
        return put_u64(p, (uint64_t)value, 6);
    default:
        return put_str(p, codes_code(cs, dim_set(dim), value));
    }
}

/* Yuan with exactly two decimals, as money_format() writes it. */
static char *
put_money(char *p, int64_t fen)
{
    uint64_t m = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    if (fen < 0)
        *p++ = '-';
    p = put_u64(p, m / 100, 1);
    *p++ = '.';
    return put_u64(p, m % 100, 2);
}

static void
write_csv(FILE *fp, const struct query *q, const struct query_result *res)
{
    /* a row: at most 6 codes of < 20 bytes, two numbers of < 24 */
    char line[256];

    for (size_t i = 0; i < q->nby; i++)
        fprintf(fp, "%s,", dim_name(q->by[i]));
    fputs("person_times,amount\n", fp);
    for (size_t r = 0; r < res->nrows; r++) {
        const struct query_row *row = &res->rows[r];
        char *p = line;
        for (size_t i = 0; i < q->nby; i++) {
            p = put_code(q->codes, p, (int)q->by[i], row->key[i]);
            *p++ = ',';
        }
        if (row->person_times < 0)
            *p++ = '-';
        p = put_u64(p,
                    row->person_times < 0
                        ? (uint64_t)0 - (uint64_t)row->person_times
                        : (uint64_t)row->person_times,
                    1);
        *p++ = ',';
        p = put_money(p, row->amount_fen);
        *p++ = '\n';
        fwrite(line, 1, (size_t)(p - line), fp);
    }
}

static void
write_json(FILE *fp, const struct query *q, const struct query_result *res)
{
    char buf[64];
    fputc('[', fp);
    for (size_t r = 0; r < res->nrows; r++) {
        const struct query_row *row = &res->rows[r];
        fputs(r ? ",\n {" : "\n {", fp);
        for (size_t i = 0; i < q->nby; i++)
            fprintf(fp, "\"%s\": \"%s\", ", dim_name(q->by[i]),
                    queryout_code(q->codes, buf, sizeof(buf), (int)q->by[i],
                                  row->key[i]));
        money_format(buf, sizeof(buf), row->amount_fen);
        fprintf(fp, "\"person_times\": %" PRId64 ", \"amount\": \"%s\"}",
                row->person_times, buf);
    }
    fputs(res->nrows ? "\n]\n" : "]\n", fp);
}

/*
 * The word the counts of res are told in: that of every channel summed
 * ("人次" or "笔"); with channels of different words, "人次" and *mixed
 * set (the release's way: 共济人次 adds the wallet's 笔).
 */
static const char *
count_word(const struct codes *cs, const struct query_result *res, bool *mixed)
{
    const char *word = NULL;

    *mixed = false;
    for (int c = 0; c < codes_count(cs, CODESET_CHANNEL) && c < 32; c++) {
        if (!(res->channels >> c & 1))
            continue;
        const char *w = codes_count_label(cs, c);
        if (word != NULL && strcmp(word, w) != 0)
            *mixed = true;
        word = w;
    }
    return word == NULL || *mixed ? "人次" : word;
}

static void
write_table(FILE *fp, const struct query *q, const struct query_result *res,
            const struct refdata *rd)
{
    char buf[128], head[64];
    size_t nc = q->nby + 2;
    struct texttable *t = texttable_new(nc);
    /*
     * One unit per column, as release tables do (单位：万人次、亿元):
     * person-times in 万 once the total reaches 1万 (亿 would flatten
     * 1534.50万 to 0.15), amounts by the total's magnitude.
     */
    enum unit upt = numfmt_pt_unit(res->total_person_times) == UNIT_ONE
                        ? UNIT_ONE
                        : UNIT_WAN;
    enum unit uam = numfmt_amount_unit(res->total_amount_fen);
    /* counts in 笔 when the wallet's alone: 共济笔数（万笔） */
    bool mixed;
    const char *word = count_word(q->codes, res, &mixed);
    char ptunit[32];
    snprintf(ptunit, sizeof(ptunit), "%s%s",
             upt == UNIT_WAN  ? "万"
             : upt == UNIT_YI ? "亿"
                              : "",
             word);

    for (size_t i = 0; i < q->nby; i++)
        texttable_set_header(t, i, dim_headings[q->by[i]], TT_LEFT);
    if (strcmp(word, "人次") == 0)
        snprintf(head, sizeof(head), "共济人次（%s）", ptunit);
    else
        snprintf(head, sizeof(head), "共济%s数（%s）", word, ptunit);
    texttable_set_header(t, q->nby, head, TT_RIGHT);
    snprintf(head, sizeof(head), "共济金额（%s）", numfmt_amount_suffix(uam));
    texttable_set_header(t, q->nby + 1, head, TT_RIGHT);

    for (size_t r = 0; r < res->nrows; r++) {
        const struct query_row *row = &res->rows[r];
        texttable_add_row(t);
        for (size_t i = 0; i < q->nby; i++)
            texttable_set(t, i,
                          queryout_label(buf, sizeof(buf), (int)q->by[i],
                                         row->key[i], rd));
        numfmt_pt(buf, sizeof(buf), row->person_times, upt);
        texttable_set(t, q->nby, buf);
        numfmt_amount(buf, sizeof(buf), row->amount_fen, uam);
        texttable_set(t, q->nby + 1, buf);
    }
    if (q->nby > 0)
        texttable_add_rule(t);
    texttable_add_row(t);
    if (q->nby > 0)
        texttable_set(t, 0,
                      q->top && res->nrows >= q->top ? "合计（全部）" : "合计");
    numfmt_pt(buf, sizeof(buf), res->total_person_times, upt);
    texttable_set(t, q->nby, buf);
    numfmt_amount(buf, sizeof(buf), res->total_amount_fen, uam);
    texttable_set(t, q->nby + 1, buf);

    char label[PERIOD_LABEL_MAX];
    fprintf(fp, "统计期：%s",
            period_range_label(label, sizeof(label), q->range));
    fprintf(fp, "    单位：%s、%s\n", ptunit, numfmt_amount_suffix(uam));
    texttable_print(t, fp);
    if (res->nrows == 0)
        fputs("（没有符合条件的数据）\n", fp);
    if (mixed)
        fputs("注：共济人次含医保钱包转账笔数。\n", fp);
    texttable_free(t);
}

void
queryout_write(FILE *fp, enum outfmt fmt, const struct query *q,
               const struct query_result *res, const struct refdata *rd)
{
    switch (fmt) {
    case OUT_CSV:
        write_csv(fp, q, res);
        break;
    case OUT_JSON:
        write_json(fp, q, res);
        break;
    case OUT_TABLE:
        write_table(fp, q, res, rd);
        break;
    }
}
