/* SPDX-License-Identifier: MIT */
#include "report/queryout.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "aggregate/query.h"
#include "common/diag.h"
#include "common/i18n.h"
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
    else if (strcmp(s, "xlsx") == 0)
        *out = OUT_XLSX;
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

const char *
queryout_name(char *buf, size_t len, int dim, int value,
              const struct refdata *rd)
{
    const struct province *p;
    const struct area *a;

    switch (dim) {
    case DIM_PROVINCE:
        p = refdata_province(rd, value);
        snprintf(buf, len, "%s", p ? p->short_name : "");
        break;
    case DIM_AREA:
        a = refdata_area(rd, value);
        snprintf(buf, len, "%s", a ? a->name : "");
        break;
    default:
        queryout_label(buf, len, dim, value, rd);
        break;
    }
    return buf;
}

static const char *const dim_headings[DIM_N] = {
    "统计期", "省份", "统筹区", "共济范围", "共济用途", "共济关系", "共济方式",
};

const char *
queryout_dim_heading(int dim)
{
    if (dim < 0 || dim >= DIM_N)
        BUG("bad dimension %d", dim);
    return dim_headings[dim];
}

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
const char *
queryout_count_word(const struct codes *cs, const struct query_result *res,
                    bool *mixed)
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

/* The figure of measure m from a row's sums; false when undefined. */
struct figure_in {
    int64_t pt, fen;                       /* the row (or the total) */
    int64_t tot_pt, tot_fen;               /* the result's total */
    const struct query_base *base[QCMP_N]; /* NULL: not compared */
};

/*
 * Measure m of x in its output units: the count, fen, hundredths of yuan
 * (avg_amount) or tenths of a percent (shares, rates), rounded once by
 * numfmt_ratio / numfmt_change_pct.  false when undefined.
 */
static bool
figure_of(enum qmeasure m, const struct figure_in *x, int64_t *v)
{
    const struct query_base *b = NULL;
    bool amount = false;

    switch (m) {
    case QM_PERSON_TIMES:
        *v = x->pt;
        return true;
    case QM_AMOUNT:
        *v = x->fen;
        return true;
    case QM_AVG_AMOUNT:
        /* fen per person-time = hundredths of yuan */
        return numfmt_ratio(x->fen, x->pt, 1, v) == 0;
    case QM_SHARE_PERSON_TIMES:
        return numfmt_ratio(x->pt, x->tot_pt, 1000, v) == 0;
    case QM_SHARE_AMOUNT:
        return numfmt_ratio(x->fen, x->tot_fen, 1000, v) == 0;
    case QM_YOY_AMOUNT:
    case QM_YOY_PERSON_TIMES:
        amount = m == QM_YOY_AMOUNT;
        b = x->base[QCMP_YOY];
        break;
    case QM_MOM_AMOUNT:
    case QM_MOM_PERSON_TIMES:
        amount = m == QM_MOM_AMOUNT;
        b = x->base[QCMP_MOM];
        break;
    case QM_N:
        BUG("bad measure");
    }
    if (b == NULL || !b->known)
        return false;
    return numfmt_change_pct(amount ? x->fen : x->pt,
                             amount ? b->amount_fen : b->person_times, 1,
                             v) == 0;
}

static bool
is_rate(enum qmeasure m)
{
    return m >= QM_YOY_PERSON_TIMES && m <= QM_MOM_AMOUNT;
}

static void
row_input(const struct query_result *res, size_t r, struct figure_in *x)
{
    memset(x, 0, sizeof(*x));
    x->pt = res->rows[r].person_times;
    x->fen = res->rows[r].amount_fen;
    x->tot_pt = res->total_person_times;
    x->tot_fen = res->total_amount_fen;
    for (int c = 0; c < QCMP_N; c++)
        x->base[c] = res->base[c] != NULL ? &res->base[c][r] : NULL;
}

static void
total_input(const struct query_result *res, struct figure_in *x)
{
    memset(x, 0, sizeof(*x));
    x->pt = x->tot_pt = res->total_person_times;
    x->fen = x->tot_fen = res->total_amount_fen;
    for (int c = 0; c < QCMP_N; c++)
        x->base[c] = res->base[c] != NULL ? &res->base_total[c] : NULL;
}

bool
queryout_figure(enum qmeasure m, const struct query_result *res, size_t r,
                int64_t *v)
{
    struct figure_in x;
    if (r < res->nrows)
        row_input(res, r, &x);
    else
        total_input(res, &x);
    return figure_of(m, &x, v);
}

/* The table cell of measure m (not the count or amount). */
static void
derived_cell(char *buf, size_t len, enum qmeasure m, const struct figure_in *x)
{
    int64_t v;
    if (!figure_of(m, x, &v)) {
        snprintf(buf, len, "—");
        return;
    }
    if (m == QM_AVG_AMOUNT) {
        numfmt_hundredths(buf, len, v);
        return;
    }
    if (is_rate(m) && v == 0) {
        snprintf(buf, len, "持平");
        return;
    }
    int n = numfmt_decimals(buf, len, v, 1);
    if (n >= 0 && (size_t)n + 1 < len)
        snprintf(buf + n, len - (size_t)n, "%%");
}

/* "人次同比", "笔数占比", "金额环比", "次均金额（元）" */
static void
derived_heading(char *buf, size_t len, enum qmeasure m, const char *word)
{
    static const char *const what[QM_N] = {
        [QM_SHARE_PERSON_TIMES] = "占比", [QM_SHARE_AMOUNT] = "占比",
        [QM_YOY_PERSON_TIMES] = "同比",   [QM_YOY_AMOUNT] = "同比",
        [QM_MOM_PERSON_TIMES] = "环比",   [QM_MOM_AMOUNT] = "环比",
    };
    bool pt_word = strcmp(word, "人次") == 0;
    if (m == QM_AVG_AMOUNT)
        snprintf(buf, len, "%s均金额（元）", pt_word ? "次" : word);
    else if (m == QM_SHARE_AMOUNT || m == QM_YOY_AMOUNT || m == QM_MOM_AMOUNT)
        snprintf(buf, len, "金额%s", what[m]);
    else
        snprintf(buf, len, "%s%s%s", word, pt_word ? "" : "数", what[m]);
}

static void
write_table(FILE *fp, const struct query *q, const struct query_result *res,
            const struct refdata *rd, const struct queryout_measures *ms)
{
    char buf[128], head[64];
    size_t nc = q->nby + ms->n;
    struct texttable *t = texttable_new(nc);
    struct figure_in x;
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
    const char *word = queryout_count_word(q->codes, res, &mixed);
    char ptunit[32];
    snprintf(ptunit, sizeof(ptunit), "%s%s",
             upt == UNIT_WAN  ? "万"
             : upt == UNIT_YI ? "亿"
                              : "",
             word);

    for (size_t i = 0; i < q->nby; i++)
        texttable_set_header(t, i, dim_headings[q->by[i]], TT_LEFT);
    for (size_t k = 0; k < ms->n; k++) {
        size_t c = q->nby + k;
        switch (ms->m[k]) {
        case QM_PERSON_TIMES:
            if (strcmp(word, "人次") == 0)
                snprintf(head, sizeof(head), "共济人次（%s）", ptunit);
            else
                snprintf(head, sizeof(head), "共济%s数（%s）", word, ptunit);
            break;
        case QM_AMOUNT:
            snprintf(head, sizeof(head), "共济金额（%s）",
                     numfmt_amount_suffix(uam));
            break;
        default:
            derived_heading(head, sizeof(head), ms->m[k], word);
            break;
        }
        texttable_set_header(t, c, head, TT_RIGHT);
    }

    for (size_t r = 0; r <= res->nrows; r++) {
        bool total = r == res->nrows;
        if (total) {
            if (q->nby > 0)
                texttable_add_rule(t);
            texttable_add_row(t);
            if (q->nby > 0)
                texttable_set(t, 0,
                              q->top && res->nrows >= q->top ? "合计（全部）"
                                                             : "合计");
            total_input(res, &x);
        } else {
            const struct query_row *row = &res->rows[r];
            texttable_add_row(t);
            for (size_t i = 0; i < q->nby; i++)
                texttable_set(t, i,
                              queryout_label(buf, sizeof(buf), (int)q->by[i],
                                             row->key[i], rd));
            row_input(res, r, &x);
        }
        for (size_t k = 0; k < ms->n; k++) {
            if (ms->m[k] == QM_PERSON_TIMES)
                numfmt_pt(buf, sizeof(buf), x.pt, upt);
            else if (ms->m[k] == QM_AMOUNT)
                numfmt_amount(buf, sizeof(buf), x.fen, uam);
            else
                derived_cell(buf, sizeof(buf), ms->m[k], &x);
            texttable_set(t, q->nby + k, buf);
        }
    }

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

/*
 * csv with any measures: a derived figure as text, or empty.  With rd
 * (--excel), a UTF-8 BOM first and a column DIM_name of Chinese names
 * after each code column but period's.
 */
static void
write_csv_measures(FILE *fp, const struct query *q,
                   const struct query_result *res,
                   const struct queryout_measures *ms,
                   const struct refdata *names)
{
    char line[512], name[128];
    struct figure_in x;

    if (names != NULL)
        fputs("\xEF\xBB\xBF", fp);
    for (size_t i = 0; i < q->nby; i++)
        if (names != NULL && q->by[i] != DIM_PERIOD)
            fprintf(fp, "%s,%s_name,", dim_name(q->by[i]), dim_name(q->by[i]));
        else
            fprintf(fp, "%s,", dim_name(q->by[i]));
    for (size_t k = 0; k < ms->n; k++)
        fprintf(fp, "%s%s", k ? "," : "", queryout_measure_name(ms->m[k]));
    fputc('\n', fp);
    for (size_t r = 0; r < res->nrows; r++) {
        const struct query_row *row = &res->rows[r];
        char *p = line;
        for (size_t i = 0; i < q->nby; i++) {
            p = put_code(q->codes, p, (int)q->by[i], row->key[i]);
            *p++ = ',';
            if (names == NULL || q->by[i] == DIM_PERIOD)
                continue;
            /* a name may need quoting: through stdio, in order */
            fwrite(line, 1, (size_t)(p - line), fp);
            p = line;
            queryout_csv_text(fp,
                              queryout_name(name, sizeof(name), (int)q->by[i],
                                            row->key[i], names));
            *p++ = ',';
        }
        row_input(res, r, &x);
        for (size_t k = 0; k < ms->n; k++) {
            int64_t v;
            if (k > 0)
                *p++ = ',';
            if (!figure_of(ms->m[k], &x, &v))
                continue;
            if (ms->m[k] == QM_AMOUNT || ms->m[k] == QM_AVG_AMOUNT)
                p = put_money(p, v);
            else if (ms->m[k] == QM_PERSON_TIMES)
                p += snprintf(p, 24, "%" PRId64, v);
            else
                p += numfmt_decimals(p, 24, v, 1);
        }
        *p++ = '\n';
        fwrite(line, 1, (size_t)(p - line), fp);
    }
}

static void
write_json_measures(FILE *fp, const struct query *q,
                    const struct query_result *res,
                    const struct queryout_measures *ms)
{
    char buf[64];
    struct figure_in x;

    fputc('[', fp);
    for (size_t r = 0; r < res->nrows; r++) {
        const struct query_row *row = &res->rows[r];
        fputs(r ? ",\n {" : "\n {", fp);
        for (size_t i = 0; i < q->nby; i++)
            fprintf(fp, "\"%s\": \"%s\", ", dim_name(q->by[i]),
                    queryout_code(q->codes, buf, sizeof(buf), (int)q->by[i],
                                  row->key[i]));
        row_input(res, r, &x);
        for (size_t k = 0; k < ms->n; k++) {
            int64_t v;
            fprintf(fp, "%s\"%s\": ", k ? ", " : "",
                    queryout_measure_name(ms->m[k]));
            if (!figure_of(ms->m[k], &x, &v)) {
                fputs("null", fp);
            } else if (ms->m[k] == QM_AMOUNT || ms->m[k] == QM_AVG_AMOUNT) {
                money_format(buf, sizeof(buf), v);
                fprintf(fp, "\"%s\"", buf);
            } else if (ms->m[k] == QM_PERSON_TIMES) {
                fprintf(fp, "%" PRId64, v);
            } else {
                numfmt_decimals(buf, sizeof(buf), v, 1);
                fputs(buf, fp);
            }
        }
        fputc('}', fp);
    }
    fputs(res->nrows ? "\n]\n" : "]\n", fp);
}

static const struct {
    const char *word;
    enum qmeasure m[QM_N];
    size_t n;
} measure_words[] = {
    {"person_times", {QM_PERSON_TIMES}, 1},
    {"amount", {QM_AMOUNT}, 1},
    {"avg_amount", {QM_AVG_AMOUNT}, 1},
    {"share_person_times", {QM_SHARE_PERSON_TIMES}, 1},
    {"share_amount", {QM_SHARE_AMOUNT}, 1},
    {"yoy_person_times", {QM_YOY_PERSON_TIMES}, 1},
    {"yoy_amount", {QM_YOY_AMOUNT}, 1},
    {"mom_person_times", {QM_MOM_PERSON_TIMES}, 1},
    {"mom_amount", {QM_MOM_AMOUNT}, 1},
    {"人次", {QM_PERSON_TIMES}, 1},
    {"金额", {QM_AMOUNT}, 1},
    {"avg", {QM_AVG_AMOUNT}, 1},
    {"次均金额", {QM_AVG_AMOUNT}, 1},
    {"人次占比", {QM_SHARE_PERSON_TIMES}, 1},
    {"金额占比", {QM_SHARE_AMOUNT}, 1},
    {"人次同比", {QM_YOY_PERSON_TIMES}, 1},
    {"金额同比", {QM_YOY_AMOUNT}, 1},
    {"人次环比", {QM_MOM_PERSON_TIMES}, 1},
    {"金额环比", {QM_MOM_AMOUNT}, 1},
    {"share", {QM_SHARE_PERSON_TIMES, QM_SHARE_AMOUNT}, 2},
    {"占比", {QM_SHARE_PERSON_TIMES, QM_SHARE_AMOUNT}, 2},
    {"yoy", {QM_YOY_PERSON_TIMES, QM_YOY_AMOUNT}, 2},
    {"同比", {QM_YOY_PERSON_TIMES, QM_YOY_AMOUNT}, 2},
    {"mom", {QM_MOM_PERSON_TIMES, QM_MOM_AMOUNT}, 2},
    {"环比", {QM_MOM_PERSON_TIMES, QM_MOM_AMOUNT}, 2},
    {"all",
     {QM_PERSON_TIMES, QM_AMOUNT, QM_AVG_AMOUNT, QM_SHARE_PERSON_TIMES,
      QM_SHARE_AMOUNT, QM_YOY_PERSON_TIMES, QM_YOY_AMOUNT, QM_MOM_PERSON_TIMES,
      QM_MOM_AMOUNT},
     QM_N},
};

const char *
queryout_measure_name(enum qmeasure m)
{
    if ((unsigned)m >= QM_N)
        BUG("bad measure %d", (int)m);
    return measure_words[m].word; /* the first QM_N are the codes */
}

void
queryout_measures_default(struct queryout_measures *ms)
{
    ms->m[0] = QM_PERSON_TIMES;
    ms->m[1] = QM_AMOUNT;
    ms->n = 2;
}

int
queryout_measures_parse(const char *spec, struct queryout_measures *ms,
                        struct diag *err)
{
    char qv[96];
    const char *p = spec;

    ms->n = 0;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p), w;
        for (w = 0; w < sizeof(measure_words) / sizeof(measure_words[0]); w++)
            if (strlen(measure_words[w].word) == len &&
                memcmp(measure_words[w].word, p, len) == 0)
                break;
        if (w == sizeof(measure_words) / sizeof(measure_words[0]))
            return diag_set(
                err, DIAG_USAGE,
                _("--measures: %s is not a measure (person_times, amount, "
                  "avg_amount, share_person_times, share_amount, "
                  "yoy_person_times, yoy_amount, mom_person_times, "
                  "mom_amount; groups share, yoy, mom, all)"),
                diag_quote(qv, sizeof(qv), p, len));
        for (size_t j = 0; j < measure_words[w].n; j++) {
            enum qmeasure m = measure_words[w].m[j];
            for (size_t i = 0; i < ms->n; i++)
                if (ms->m[i] == m)
                    return diag_set(err, DIAG_USAGE,
                                    _("--measures: %s given twice"),
                                    queryout_measure_name(m));
            ms->m[ms->n++] = m;
        }
        if (comma == NULL)
            break;
        p = comma + 1;
    }
    return 0;
}

bool
queryout_measures_need(const struct queryout_measures *ms, enum query_cmp c)
{
    for (size_t i = 0; i < ms->n; i++)
        if ((c == QCMP_YOY &&
             (ms->m[i] == QM_YOY_PERSON_TIMES || ms->m[i] == QM_YOY_AMOUNT)) ||
            (c == QCMP_MOM &&
             (ms->m[i] == QM_MOM_PERSON_TIMES || ms->m[i] == QM_MOM_AMOUNT)))
            return true;
    return false;
}

static bool
is_default(const struct queryout_measures *ms)
{
    return ms->n == 2 && ms->m[0] == QM_PERSON_TIMES && ms->m[1] == QM_AMOUNT;
}

void
queryout_write_measures(FILE *fp, enum outfmt fmt, const struct query *q,
                        const struct query_result *res,
                        const struct refdata *rd,
                        const struct queryout_measures *ms)
{
    switch (fmt) {
    case OUT_CSV:
        if (is_default(ms))
            write_csv(fp, q, res);
        else
            write_csv_measures(fp, q, res, ms, NULL);
        break;
    case OUT_XLSX:
        BUG("xlsx goes to queryxlsx_write()");
    case OUT_JSON:
        if (is_default(ms))
            write_json(fp, q, res);
        else
            write_json_measures(fp, q, res, ms);
        break;
    case OUT_TABLE:
        write_table(fp, q, res, rd, ms);
        break;
    }
}

void
queryout_write_csv_excel(FILE *fp, const struct query *q,
                         const struct query_result *res,
                         const struct refdata *rd,
                         const struct queryout_measures *ms)
{
    write_csv_measures(fp, q, res, ms, rd);
}

void
queryout_write(FILE *fp, enum outfmt fmt, const struct query *q,
               const struct query_result *res, const struct refdata *rd)
{
    struct queryout_measures ms;
    queryout_measures_default(&ms);
    queryout_write_measures(fp, fmt, q, res, rd, &ms);
}
