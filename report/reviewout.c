/* SPDX-License-Identifier: MIT */
#include "report/reviewout.h"

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "aggregate/query.h"
#include "common/diag.h"
#include "common/money.h"
#include "common/period.h"
#include "ingest/codes.h"
#include "ingest/refdata.h"
#include "report/numfmt.h"
#include "report/texttable.h"

const char *
reviewout_severity_name(enum review_severity s)
{
    return s == REVIEW_ERROR ? "错误" : s == REVIEW_WARNING ? "警告" : "提示";
}

const char *
reviewout_check_name(enum review_check c)
{
    static const char *const names[RC_N] = {
        [RC_MISSING] = "缺报",
        [RC_COVERAGE_MISMATCH] = "报送合计与明细不符",
        [RC_CHANNEL_SUM] = "各渠道之和不等于合计",
        [RC_SCOPE_SUM] = "各范围之和不等于合计",
        [RC_CUMULATIVE_SUM] = "各月之和不等于累计",
        [RC_JUMP_MOM] = "环比异常",
        [RC_JUMP_YOY] = "同比异常",
        [RC_AVG_AMOUNT] = "次均金额异常",
        [RC_CROSS_SHARE] = "跨地区占比异常",
        [RC_FLOW_STOPPED] = "数据中断",
        [RC_FLOW_STARTED] = "新出现数据",
        [RC_REVISED] = "发布后重报或补报",
        [RC_PUBLISHED_REVISED] = "已发布数字修订",
        [RC_CUMULATIVE_FALL] = "累计数低于已发布数",
    };
    return (unsigned)c < RC_N ? names[c] : "?";
}

const char *
reviewout_measure_name(enum review_measure m)
{
    static const char *const names[RM_N] = {
        "", "共济人次", "共济金额", "次均金额", "跨地区占比",
    };
    return (unsigned)m < RM_N ? names[m] : "";
}

/* bp as "12.34%" */
static const char *
pct(char *buf, size_t len, int64_t bp)
{
    char h[32];
    numfmt_hundredths(h, sizeof(h), bp);
    snprintf(buf, len, "%s%%", h);
    return buf;
}

const char *
reviewout_value(char *buf, size_t len, enum review_measure m, int64_t v)
{
    switch (m) {
    case RM_COUNT:
        numfmt_pt_auto(buf, len, v);
        break;
    case RM_AMOUNT:
    case RM_AVG_AMOUNT:
        numfmt_amount_auto(buf, len, v);
        break;
    case RM_CROSS_SHARE:
        pct(buf, len, v);
        break;
    case RM_NONE:
    case RM_N:
        snprintf(buf, len, "%" PRId64, v);
        break;
    }
    return buf;
}

/* The exact value for csv and json. */
static const char *
exact(char *buf, size_t len, enum review_measure m, int64_t v)
{
    switch (m) {
    case RM_AMOUNT:
    case RM_AVG_AMOUNT:
        money_format(buf, len, v);
        break;
    case RM_CROSS_SHARE: {
        uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
        snprintf(buf, len, "%s%" PRIu64 ".%04" PRIu64, v < 0 ? "-" : "",
                 a / 10000, a % 10000);
        break;
    }
    default:
        snprintf(buf, len, "%" PRId64, v);
        break;
    }
    return buf;
}

static const char *
code_of(const struct codes *cs, enum code_set set, int v)
{
    return v >= 0 && v < codes_count(cs, set) ? codes_code(cs, set, v) : "";
}

static const char *
name_of(const struct codes *cs, enum code_set set, int v)
{
    return v >= 0 && v < codes_count(cs, set) ? codes_name(cs, set, v) : "";
}

/* ******************************************************************** */
/* csv                                                                  */
/* ******************************************************************** */

static void
put_double(FILE *fp, double d, int digits)
{
    if (!isnan(d) && !isinf(d))
        fprintf(fp, "%.*f", digits, d == 0 ? 0.0 : d);
}

static void
write_csv(FILE *fp, const struct review_result *res, const struct codes *cs,
          bool quiet)
{
    char buf[64];
    fputs(REVIEWOUT_CSV_HEADER "\n", fp);
    for (size_t i = 0; i < res->findings.n; i++) {
        const struct review_finding *f = &res->findings.v[i];
        if (quiet && f->severity == REVIEW_INFO)
            continue;
        fprintf(fp, "%s,%s,", review_severity_code(f->severity),
                review_check_code(f->check));
        if (f->province)
            fprintf(fp, "%06d", f->province);
        fputc(',', fp);
        if (f->area)
            fprintf(fp, "%06d", f->area);
        fputc(',', fp);
        if (f->period)
            fputs(period_format(buf, sizeof(buf), period_of_yyyymm(f->period)),
                  fp);
        fprintf(fp, ",%s,%s,%s,%s,", code_of(cs, CODESET_CHANNEL, f->channel),
                code_of(cs, CODESET_USE, f->use),
                code_of(cs, CODESET_SCOPE, f->scope),
                review_measure_code(f->measure));
        if (f->has_value)
            fputs(exact(buf, sizeof(buf), f->measure, f->value), fp);
        fputc(',', fp);
        if (f->has_reference)
            fputs(exact(buf, sizeof(buf), f->measure, f->reference), fp);
        fputc(',', fp);
        put_double(fp, f->ratio, 4);
        fputc(',', fp);
        if (f->has_stats) {
            put_double(fp, f->median, 4);
            fputc(',', fp);
            put_double(fp, f->mad, 4);
            fputc(',', fp);
            put_double(fp, f->score, 2);
        } else {
            fputs(",,", fp);
        }
        fputc(',', fp);
        if (f->files != NULL)
            queryout_csv_text(fp, f->files);
        fputc(',', fp);
        if (f->figure != NULL)
            fputs(f->figure, fp); /* a placeholder name: [a-z0-9_.] */
        fputc('\n', fp);
    }
}

/* ******************************************************************** */
/* json                                                                 */
/* ******************************************************************** */

static void
json_str(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(fp, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(fp, "\\u%04x", *p);
        else
            fputc(*p, fp);
    }
    fputc('"', fp);
}

/* "key": "value" or null */
static void
json_opt(FILE *fp, const char *key, const char *v)
{
    fprintf(fp, "\"%s\": ", key);
    if (v == NULL || *v == '\0')
        fputs("null", fp);
    else
        json_str(fp, v);
}

static void
json_num(FILE *fp, const char *key, bool has, double d, int digits)
{
    fprintf(fp, "\"%s\": ", key);
    if (!has || isnan(d) || isinf(d))
        fputs("null", fp);
    else
        fprintf(fp, "%.*f", digits, d == 0 ? 0.0 : d);
}

/* files "a.csv;b.csv" as an array */
static void
json_files(FILE *fp, const char *files)
{
    fputs("\"files\": [", fp);
    for (const char *p = files; p != NULL && *p != '\0';) {
        const char *e = strchr(p, ';');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char name[4096];
        snprintf(name, sizeof(name), "%.*s", (int)n, p);
        if (p != files)
            fputs(", ", fp);
        json_str(fp, name);
        p = e ? e + 1 : p + n;
    }
    fputc(']', fp);
}

static void
json_value(FILE *fp, const char *key, bool has, enum review_measure m,
           int64_t v)
{
    char buf[64];
    fprintf(fp, "\"%s\": ", key);
    if (!has)
        fputs("null", fp);
    else if (m == RM_COUNT)
        fprintf(fp, "%" PRId64, v);
    else
        fprintf(fp, "\"%s\"", exact(buf, sizeof(buf), m, v));
}

static void
write_json(FILE *fp, const struct review_result *res, const struct codes *cs,
           bool quiet)
{
    char buf[64], code[16];
    fputs("{\n  ", fp);
    json_opt(fp, "period", period_range_format(buf, sizeof(buf), res->range));
    fprintf(fp,
            ",\n  \"counts\": {\"error\": %zu, \"warning\": %zu, \"info\": "
            "%zu},\n  \"matrix\": [",
            res->count[REVIEW_ERROR], res->count[REVIEW_WARNING],
            res->count[REVIEW_INFO]);
    for (size_t i = 0; i < res->nprovinces; i++) {
        fprintf(fp, "%s\n    {\"province\": \"%06d\", \"months\": [",
                i ? "," : "", res->provinces[i]);
        for (size_t m = 0; m < res->nmonths; m++) {
            const struct review_cell *c = &res->cells[i * res->nmonths + m];
            fputs(m ? ", {" : "{", fp);
            json_opt(fp, "period",
                     period_format(buf, sizeof(buf),
                                   period_add(res->range.first, (int)m)));
            fputs(", ", fp);
            fprintf(fp, "\"stored\": %s, ", c->ingested_at ? "true" : "false");
            json_opt(fp, "ingested_at", c->ingested_at);
            fputs(", ", fp);
            json_files(fp, c->files);
            fputc('}', fp);
        }
        fputs("]}", fp);
    }
    fputs(res->nprovinces ? "\n  ],\n  \"findings\": ["
                          : "],\n  \"findings\": [",
          fp);
    size_t shown = 0;
    for (size_t i = 0; i < res->findings.n; i++) {
        const struct review_finding *f = &res->findings.v[i];
        if (quiet && f->severity == REVIEW_INFO)
            continue;
        fputs(shown++ ? ",\n    {" : "\n    {", fp);
        json_opt(fp, "severity", review_severity_code(f->severity));
        fputs(", ", fp);
        json_opt(fp, "check", review_check_code(f->check));
        fputs(", ", fp);
        snprintf(code, sizeof(code), "%06d", f->province);
        json_opt(fp, "province", f->province ? code : NULL);
        fputs(", ", fp);
        snprintf(code, sizeof(code), "%06d", f->area);
        json_opt(fp, "area", f->area ? code : NULL);
        fputs(", ", fp);
        json_opt(fp, "period",
                 f->period ? period_format(buf, sizeof(buf),
                                           period_of_yyyymm(f->period))
                           : NULL);
        fputs(", ", fp);
        json_opt(fp, "channel", code_of(cs, CODESET_CHANNEL, f->channel));
        fputs(", ", fp);
        json_opt(fp, "use", code_of(cs, CODESET_USE, f->use));
        fputs(", ", fp);
        json_opt(fp, "scope", code_of(cs, CODESET_SCOPE, f->scope));
        fputs(", ", fp);
        json_opt(fp, "measure", review_measure_code(f->measure));
        fputs(", ", fp);
        json_value(fp, "value", f->has_value, f->measure, f->value);
        fputs(", ", fp);
        json_value(fp, "reference", f->has_reference, f->measure, f->reference);
        fputs(", ", fp);
        json_num(fp, "ratio", true, f->ratio, 4);
        fputs(", ", fp);
        json_num(fp, "median", f->has_stats, f->median, 4);
        fputs(", ", fp);
        json_num(fp, "mad", f->has_stats, f->mad, 4);
        fputs(", ", fp);
        json_num(fp, "score", f->has_stats, f->score, 2);
        fputs(", ", fp);
        json_files(fp, f->files);
        fputs(", ", fp);
        json_opt(fp, "figure", f->figure);
        fputc('}', fp);
    }
    fputs(shown ? "\n  ]\n}\n" : "]\n}\n", fp);
}

/* ******************************************************************** */
/* table                                                                */
/* ******************************************************************** */

static const char *
province_name(const struct refdata *rd, int code, char *buf, size_t len)
{
    const struct province *p = refdata_province(rd, code);
    if (p != NULL)
        return p->short_name;
    snprintf(buf, len, "%06d", code);
    return buf;
}

static void
write_matrix(FILE *fp, const struct review_result *res,
             const struct refdata *rd)
{
    char buf[64];
    bool years = res->range.first.year != res->range.last.year;
    struct texttable *t = texttable_new(res->nmonths + 1);

    texttable_set_header(t, 0, "省份", TT_LEFT);
    for (size_t m = 0; m < res->nmonths; m++) {
        struct period p = period_add(res->range.first, (int)m);
        if (years)
            period_format(buf, sizeof(buf), p);
        else
            snprintf(buf, sizeof(buf), "%d月", p.month);
        texttable_set_header(t, m + 1, buf, TT_LEFT);
    }
    for (size_t i = 0; i < res->nprovinces; i++) {
        texttable_add_row(t);
        texttable_set(t, 0,
                      province_name(rd, res->provinces[i], buf, sizeof(buf)));
        for (size_t m = 0; m < res->nmonths; m++) {
            const char *at = res->cells[i * res->nmonths + m].ingested_at;
            if (at == NULL)
                texttable_set(t, m + 1, "—");
            else {
                /* 2025-01-15T08:00:00Z -> 01-15 */
                snprintf(buf, sizeof(buf), "%.5s",
                         strlen(at) >= 10 ? at + 5 : at);
                texttable_set(t, m + 1, buf);
            }
        }
    }
    fputs("报送情况（到达日期，—为缺报）\n", fp);
    texttable_print(t, fp);
    texttable_free(t);
}

static void
write_table(FILE *fp, const struct review_result *res, const struct refdata *rd,
            bool quiet)
{
    const struct codes *cs = refdata_codes(rd);
    char label[PERIOD_LABEL_MAX], buf[128];
    static const char *const heads[] = {
        "级别", "检查", "省份", "统筹区", "月份",     "渠道",     "用途",
        "指标", "数值", "参照", "比值",   "稳健分数", "来源文件",
    };
    size_t nc = sizeof(heads) / sizeof(heads[0]), shown = 0;

    fprintf(fp, "审核期：%s\n",
            period_range_label(label, sizeof(label), res->range));
    if (!quiet) {
        write_matrix(fp, res, rd);
        fputc('\n', fp);
    }
    struct texttable *t = texttable_new(nc);
    for (size_t c = 0; c < nc; c++)
        texttable_set_header(t, c, heads[c],
                             c >= 8 && c <= 11 ? TT_RIGHT : TT_LEFT);
    for (size_t i = 0; i < res->findings.n; i++) {
        const struct review_finding *f = &res->findings.v[i];
        if (quiet && f->severity == REVIEW_INFO)
            continue;
        shown++;
        texttable_add_row(t);
        texttable_set(t, 0, reviewout_severity_name(f->severity));
        texttable_set(t, 1, reviewout_check_name(f->check));
        if (f->province)
            texttable_set(t, 2,
                          province_name(rd, f->province, buf, sizeof(buf)));
        if (f->area) {
            const struct area *a = refdata_area(rd, f->area);
            if (a != NULL)
                snprintf(buf, sizeof(buf), "%06d %s", f->area, a->name);
            else
                snprintf(buf, sizeof(buf), "%06d", f->area);
            texttable_set(t, 3, buf);
        }
        if (f->period)
            texttable_set(
                t, 4,
                period_label(buf, sizeof(buf), period_of_yyyymm(f->period)));
        texttable_set(t, 5, name_of(cs, CODESET_CHANNEL, f->channel));
        texttable_set(t, 6, name_of(cs, CODESET_USE, f->use));
        texttable_set(t, 7,
                      f->figure_label != NULL
                          ? f->figure_label
                          : reviewout_measure_name(f->measure));
        if (f->has_value)
            texttable_set(
                t, 8, reviewout_value(buf, sizeof(buf), f->measure, f->value));
        if (f->has_reference)
            texttable_set(
                t, 9,
                reviewout_value(buf, sizeof(buf), f->measure, f->reference));
        if (!isnan(f->ratio)) {
            snprintf(buf, sizeof(buf), "%.2f", f->ratio);
            texttable_set(t, 10, buf);
        }
        if (f->has_stats) {
            snprintf(buf, sizeof(buf), "%.1f", f->score);
            texttable_set(t, 11, buf);
        }
        if (f->files != NULL)
            texttable_set(t, 12, f->files);
    }
    if (shown > 0) {
        texttable_print(t, fp);
        fprintf(fp, "共%zu条：错误%zu条，警告%zu条，提示%zu条。\n", shown,
                res->count[REVIEW_ERROR], res->count[REVIEW_WARNING],
                quiet ? (size_t)0 : res->count[REVIEW_INFO]);
    } else if (!quiet) {
        fputs("未发现问题。\n", fp);
    }
    texttable_free(t);
}

void
reviewout_write(FILE *fp, enum outfmt fmt, const struct review_result *res,
                const struct refdata *rd, bool quiet)
{
    switch (fmt) {
    case OUT_CSV:
        write_csv(fp, res, refdata_codes(rd), quiet);
        break;
    case OUT_JSON:
        write_json(fp, res, refdata_codes(rd), quiet);
        break;
    case OUT_TABLE:
        write_table(fp, res, rd, quiet);
        break;
    case OUT_XLSX:
        BUG("review does not write xlsx");
    }
}
