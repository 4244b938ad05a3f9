/* SPDX-License-Identifier: MIT */
/*
 * cli/cmd_revisions.c - gongji revisions: what changed since a release;
 * gongji releases: the releases recorded in the store.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <getopt.h>

#include "aggregate/revisions.h"
#include "aggregate/store.h"
#include "cli/cli.h"
#include "cli/options.h"
#include "common/i18n.h"
#include "common/money.h"
#include "common/period.h"
#include "ingest/codes.h"
#include "ingest/refdata.h"
#include "report/numfmt.h"
#include "report/queryout.h"
#include "report/texttable.h"

static const char *const revisions_usage = N_(
    "usage: gongji revisions [--db FILE] [--since release:N|TIME]\n"
    "                        [--vintage V] [--period A[..B]] [--province P]\n"
    "                        [--by-key] [--format table|csv|json]\n"
    "\n"
    "List every province-month stored or replaced since a release (default:\n"
    "the last one recorded): its figures then and now, the change, and the\n"
    "file that brought it.  Status: revised (a resubmission with other\n"
    "figures), resent (a resubmission with the same figures), new (a\n"
    "province-month not stored then).\n"
    "\n"
    "  --since S        release:N, release:YYYY-MM, or a time as for\n"
    "                   --vintage (default: the last recorded release)\n"
    "  --vintage V      compare with the store as it stood then, not now\n"
    "  --period A[..B]  only these months (default: all)\n"
    "  --province P     only this province (浙江, 330000)\n"
    "  --by-key         one line per changed (channel, scope, use) of each\n"
    "                   province-month instead: a move between uses shows\n"
    "                   even when the total is unchanged\n"
    "  --format FMT     table (default), csv or json (codes, exact yuan)\n"
    "  --db FILE        the store (default $GONGJI_DB, else ./gongji.db)\n"
    "  -h, --help       this text\n"
    "\n"
    "Exit status: 0 listed (also when nothing changed); 1 a --since or\n"
    "--vintage time the store cannot place; 2 usage (also: no release\n"
    "recorded and no --since); 3 store missing or unreadable.\n");

struct revisions_args {
    struct options common;
    const char *since;    /* --since, or NULL */
    const char *province; /* --province, or NULL */
    bool by_key;          /* --by-key */
};

static int
on_option(int c, const char *arg, void *ctx)
{
    struct revisions_args *a = ctx;
    switch (c) {
    case 's':
        a->since = arg;
        break;
    case 'p':
        a->province = arg;
        break;
    case 'k':
        a->by_key = true;
        break;
    default:
        return OPTIONS_SHARED;
    }
    return OPTIONS_CONTINUE;
}

static const char *
status_of(const struct pm *e)
{
    return !e->revised ? "new" : e->changed ? "revised" : "resent";
}

static const char *
status_zh(const struct pm *e)
{
    return !e->revised ? "补报" : e->changed ? "重报" : "重报（数据未变）";
}

/* "+1.23" / "-0.50" yuan, exact */
static void
signed_money(char *buf, size_t len, int64_t fen)
{
    char m[40];
    money_format(m, sizeof(m), fen);
    snprintf(buf, len, "%s%s", fen > 0 ? "+" : "", m);
}

static void
print_csv_pairs(const struct pm *list, size_t n)
{
    char per[PERIOD_LABEL_MAX], a[40], b[40], d[48];
    puts("province,period,status,old_person_times,person_times,"
         "delta_person_times,old_amount,amount,delta_amount,file,"
         "ingested_at");
    for (size_t i = 0; i < n; i++) {
        const struct pm *e = &list[i];
        money_format(a, sizeof(a), e->old_amount_fen);
        money_format(b, sizeof(b), e->amount_fen);
        signed_money(d, sizeof(d), e->amount_fen - e->old_amount_fen);
        printf("%06d,%s,%s,%" PRId64 ",%" PRId64 ",%+" PRId64 ",%s,%s,%s,",
               e->province, period_format(per, sizeof(per), e->period),
               status_of(e), e->old_person_times, e->person_times,
               e->person_times - e->old_person_times, a, b, d);
        queryout_csv_text(stdout, e->file);
        printf(",%s\n", e->ingested_at);
    }
}

static void
json_str(const char *s)
{
    putchar('"');
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

static void
print_json_pairs(const struct pm *list, size_t n)
{
    char per[PERIOD_LABEL_MAX], a[40], b[40], d[48];
    putchar('[');
    for (size_t i = 0; i < n; i++) {
        const struct pm *e = &list[i];
        money_format(a, sizeof(a), e->old_amount_fen);
        money_format(b, sizeof(b), e->amount_fen);
        signed_money(d, sizeof(d), e->amount_fen - e->old_amount_fen);
        printf("%s\n  {\"province\": \"%06d\", \"period\": \"%s\", "
               "\"status\": \"%s\", \"old_person_times\": %" PRId64
               ", \"person_times\": %" PRId64
               ", \"delta_person_times\": %" PRId64
               ", \"old_amount\": \"%s\", \"amount\": \"%s\", "
               "\"delta_amount\": \"%s\", \"file\": ",
               i ? "," : "", e->province,
               period_format(per, sizeof(per), e->period), status_of(e),
               e->old_person_times, e->person_times,
               e->person_times - e->old_person_times, a, b, d);
        json_str(e->file);
        printf(", \"ingested_at\": \"%s\"}", e->ingested_at);
    }
    puts(n ? "\n]" : "]");
}

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
print_table_pairs(const struct pm *list, size_t n, const struct refdata *rd)
{
    struct texttable *t = texttable_new(9);
    static const char *const head[] = {
        "省份",     "月份",         "状态",         "原人次",        "现人次",
        "人次增减", "原金额（元）", "现金额（元）", "金额增减（元）"};
    char buf[64], per[PERIOD_LABEL_MAX];
    for (size_t c = 0; c < 9; c++)
        texttable_set_header(t, c, head[c], c >= 3 ? TT_RIGHT : TT_LEFT);
    for (size_t i = 0; i < n; i++) {
        const struct pm *e = &list[i];
        texttable_add_row(t);
        texttable_set(t, 0, province_name(rd, e->province, buf, sizeof(buf)));
        texttable_set(t, 1, period_label(per, sizeof(per), e->period));
        texttable_set(t, 2, status_zh(e));
        snprintf(buf, sizeof(buf), "%" PRId64, e->old_person_times);
        texttable_set(t, 3, buf);
        snprintf(buf, sizeof(buf), "%" PRId64, e->person_times);
        texttable_set(t, 4, buf);
        snprintf(buf, sizeof(buf), "%+" PRId64,
                 e->person_times - e->old_person_times);
        texttable_set(t, 5, buf);
        money_format_grouped(buf, sizeof(buf), e->old_amount_fen);
        texttable_set(t, 6, buf);
        money_format_grouped(buf, sizeof(buf), e->amount_fen);
        texttable_set(t, 7, buf);
        signed_money(buf, sizeof(buf), e->amount_fen - e->old_amount_fen);
        texttable_set(t, 8, buf);
    }
    texttable_print(t, stdout);
    texttable_free(t);
    for (size_t i = 0; i < n; i++) {
        char when[PERIOD_LABEL_MAX];
        printf(
            "  %s %s: ", province_name(rd, list[i].province, buf, sizeof(buf)),
            period_format(when, sizeof(when), list[i].period));
        diag_fput_printable(stdout, list[i].file, strlen(list[i].file));
        printf(" (%s)\n", list[i].ingested_at);
    }
}

static void
print_keys(enum outfmt fmt, const struct key_change *k, size_t n,
           const struct refdata *rd)
{
    const struct codes *cs = refdata_codes(rd);
    char per[PERIOD_LABEL_MAX], a[40], b[40], d[48], buf[64];
    struct texttable *t = NULL;
    if (fmt == OUT_CSV)
        puts("province,period,channel,scope,use,old_person_times,"
             "person_times,delta_person_times,old_amount,amount,"
             "delta_amount");
    else if (fmt == OUT_JSON)
        putchar('[');
    else {
        static const char *const head[] = {
            "省份",         "月份",         "渠道",          "共济范围",
            "共济用途",     "原人次",       "现人次",        "人次增减",
            "原金额（元）", "现金额（元）", "金额增减（元）"};
        t = texttable_new(11);
        for (size_t c = 0; c < 11; c++)
            texttable_set_header(t, c, head[c], c >= 5 ? TT_RIGHT : TT_LEFT);
    }
    for (size_t i = 0; i < n; i++) {
        const struct key_change *e = &k[i];
        money_format(a, sizeof(a), e->old_amount_fen);
        money_format(b, sizeof(b), e->amount_fen);
        signed_money(d, sizeof(d), e->amount_fen - e->old_amount_fen);
        const char *ch = codes_code(cs, CODESET_CHANNEL, e->channel);
        const char *sc = codes_code(cs, CODESET_SCOPE, e->scope);
        const char *us = codes_code(cs, CODESET_USE, e->use);
        period_format(per, sizeof(per), e->period);
        if (fmt == OUT_CSV) {
            printf("%06d,%s,%s,%s,%s,%" PRId64 ",%" PRId64 ",%+" PRId64
                   ",%s,%s,%s\n",
                   e->province, per, ch, sc, us, e->old_person_times,
                   e->person_times, e->person_times - e->old_person_times, a, b,
                   d);
        } else if (fmt == OUT_JSON) {
            printf("%s\n  {\"province\": \"%06d\", \"period\": \"%s\", "
                   "\"channel\": \"%s\", \"scope\": \"%s\", \"use\": \"%s\", "
                   "\"old_person_times\": %" PRId64
                   ", \"person_times\": %" PRId64
                   ", \"delta_person_times\": %" PRId64
                   ", \"old_amount\": \"%s\", \"amount\": \"%s\", "
                   "\"delta_amount\": \"%s\"}",
                   i ? "," : "", e->province, per, ch, sc, us,
                   e->old_person_times, e->person_times,
                   e->person_times - e->old_person_times, a, b, d);
        } else {
            texttable_add_row(t);
            texttable_set(t, 0,
                          province_name(rd, e->province, buf, sizeof(buf)));
            texttable_set(t, 1, period_label(per, sizeof(per), e->period));
            texttable_set(t, 2, codes_name(cs, CODESET_CHANNEL, e->channel));
            texttable_set(t, 3, codes_name(cs, CODESET_SCOPE, e->scope));
            texttable_set(t, 4, codes_name(cs, CODESET_USE, e->use));
            snprintf(buf, sizeof(buf), "%" PRId64, e->old_person_times);
            texttable_set(t, 5, buf);
            snprintf(buf, sizeof(buf), "%" PRId64, e->person_times);
            texttable_set(t, 6, buf);
            snprintf(buf, sizeof(buf), "%+" PRId64,
                     e->person_times - e->old_person_times);
            texttable_set(t, 7, buf);
            money_format_grouped(buf, sizeof(buf), e->old_amount_fen);
            texttable_set(t, 8, buf);
            money_format_grouped(buf, sizeof(buf), e->amount_fen);
            texttable_set(t, 9, buf);
            texttable_set(t, 10, d);
        }
    }
    if (fmt == OUT_JSON)
        puts(n ? "\n]" : "]");
    if (t != NULL) {
        texttable_print(t, stdout);
        texttable_free(t);
    }
}

struct last_release {
    int64_t id, vintage;
};

static int
on_last(const struct store_release *r, void *ctx)
{
    struct last_release *l = ctx;
    l->id = r->id;
    l->vintage = r->vintage;
    return 0;
}

static int
run_revisions(struct revisions_args *a)
{
    const char *cmd = a->common.cmd;
    struct refdata *rd = NULL;
    struct store *st = NULL;
    struct diag err;
    struct pm *list = NULL;
    struct key_change *keys = NULL;
    size_t n = 0, nkeys = 0;
    int ret = EXIT_OK, province = 0;
    struct period_range r = {{2000, 1}, {2099, 12}};
    char what[96];
    int64_t since = 0, cut = 0;

    diag_clear(&err);
    rd = refdata_load(options_data_dir(), &err);
    if (rd == NULL)
        goto fail;
    if ((ret = options_province(cmd, a->province, rd, &province)) !=
        OPTIONS_CONTINUE)
        goto out;
    ret = EXIT_OK;
    if (a->common.period != NULL &&
        (ret = options_period_range(&a->common, &r)) != OPTIONS_CONTINUE)
        goto out;
    ret = EXIT_OK;
    st = store_open(options_db_path(&a->common), STORE_READ, &err);
    if (st == NULL || options_apply_vintage(&a->common, st, &err) < 0)
        goto fail;
    if (a->since != NULL) {
        if (options_resolve_vintage("--since", a->since, st, &since, &cut, what,
                                    sizeof(what), &err) < 0)
            goto fail;
    } else {
        struct last_release l = {0, 0};
        if (store_releases(st, on_last, &l, &err) < 0)
            goto fail;
        if (l.id == 0) {
            ret = cli_usage_error(cmd, _("no release is recorded in the "
                                         "store yet: give --since TIME"));
            goto out;
        }
        since = l.vintage;
        snprintf(what, sizeof(what), "release %lld", (long long)l.id);
    }
    if (revisions_since(st, since, r, province, &list, &n, &err) < 0)
        goto fail;
    if (a->by_key &&
        revisions_key_changes(st, since, r, list, n, &keys, &nkeys, &err) < 0)
        goto fail;
    if (a->common.format == OUT_TABLE)
        printf(_("since %s (submissions up to #%lld): %zu province-month(s) "
                 "stored or replaced\n"),
               what, (long long)since, n);
    if (a->by_key)
        print_keys(a->common.format, keys, nkeys, rd);
    else if (a->common.format == OUT_CSV)
        print_csv_pairs(list, n);
    else if (a->common.format == OUT_JSON)
        print_json_pairs(list, n);
    else if (n > 0)
        print_table_pairs(list, n, rd);
    goto out;
fail:
    ret = cli_fail(cmd, &err);
out:
    free(list);
    free(keys);
    store_close(st);
    refdata_free(rd);
    return ret;
}

int
cmd_revisions(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"by-key", no_argument, NULL, 'k'},
        {"db", required_argument, NULL, OPTIONS_DB},
        {"format", required_argument, NULL, OPTIONS_FORMAT},
        {"help", no_argument, NULL, OPTIONS_HELP},
        {"period", required_argument, NULL, OPTIONS_PERIOD},
        {"province", required_argument, NULL, 'p'},
        {"since", required_argument, NULL, 's'},
        {"vintage", required_argument, NULL, OPTIONS_VINTAGE},
        {NULL, 0, NULL, 0},
    };
    struct revisions_args a;

    memset(&a, 0, sizeof(a));
    options_init(&a.common, "revisions", revisions_usage);
    int ret =
        options_parse(&a.common, argc, argv, "+h", longopts, on_option, &a);
    if (ret == OPTIONS_CONTINUE)
        ret = options_no_operands(&a.common);
    if (ret == OPTIONS_CONTINUE)
        ret = run_revisions(&a);
    options_release(&a.common);
    return ret;
}

/* ---------------------------------------------------------------------- */
/* gongji releases                                                        */
/* ---------------------------------------------------------------------- */

static const char *const releases_usage =
    N_("usage: gongji releases [--db FILE] [--format table|csv]\n"
       "\n"
       "List the releases recorded in the store, oldest first: id (the N of\n"
       "release:N), period, region, style, template, when (UTC),\n"
       "the last submission it used, the fingerprint of its data (SHA-256 of\n"
       "the file versions) and how many figures it printed.\n"
       "\n"
       "  --format FMT   table (default) or csv (id,period,province,style,\n"
       "                 template,released_at,vintage,fingerprint,figures)\n"
       "  --db FILE      the store (default $GONGJI_DB, else ./gongji.db)\n"
       "  -h, --help     this text\n");

struct releases_ctx {
    enum outfmt fmt;
    const struct refdata *rd;
    struct texttable *t;
};

static int
on_release_row(const struct store_release *r, void *ctx)
{
    struct releases_ctx *c = ctx;
    char per[PERIOD_LABEL_MAX], buf[64];
    size_t nfig = 0;
    for (const char *p = r->figures; *p != '\0'; p++)
        nfig += *p == '\n';
    period_format(per, sizeof(per), r->period);
    if (c->fmt == OUT_CSV) {
        printf("%lld,%s,%06d,%s,", (long long)r->id, per, r->province,
               r->style);
        queryout_csv_text(stdout, r->template_name);
        printf(",%s,%lld,%s,%zu\n", r->released_at, (long long)r->vintage,
               r->fingerprint, nfig);
        return 0;
    }
    texttable_add_row(c->t);
    snprintf(buf, sizeof(buf), "%lld", (long long)r->id);
    texttable_set(c->t, 0, buf);
    texttable_set(c->t, 1, per);
    texttable_set(c->t, 2,
                  r->province == 0
                      ? "全国"
                      : province_name(c->rd, r->province, buf, sizeof(buf)));
    texttable_set(c->t, 3, r->style);
    texttable_set(c->t, 4, r->template_name);
    texttable_set(c->t, 5, r->released_at);
    snprintf(buf, sizeof(buf), "#%lld", (long long)r->vintage);
    texttable_set(c->t, 6, buf);
    snprintf(buf, sizeof(buf), "%.12s", r->fingerprint);
    texttable_set(c->t, 7, buf);
    snprintf(buf, sizeof(buf), "%zu", nfig);
    texttable_set(c->t, 8, buf);
    return 0;
}

int
cmd_releases(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, OPTIONS_DB},
        {"format", required_argument, NULL, OPTIONS_FORMAT},
        {"help", no_argument, NULL, OPTIONS_HELP},
        {NULL, 0, NULL, 0},
    };
    struct options o;
    struct diag err;
    struct refdata *rd = NULL;
    struct store *st = NULL;
    struct releases_ctx c = {OUT_TABLE, NULL, NULL};

    options_init(&o, "releases", releases_usage);
    o.formats = 1u << OUT_TABLE | 1u << OUT_CSV;
    int ret = options_parse(&o, argc, argv, "+h", longopts, NULL, NULL);
    if (ret == OPTIONS_CONTINUE)
        ret = options_no_operands(&o);
    if (ret != OPTIONS_CONTINUE)
        goto out;
    ret = EXIT_OK;
    diag_clear(&err);
    rd = refdata_load(options_data_dir(), &err);
    st = rd != NULL ? store_open(options_db_path(&o), STORE_READ, &err) : NULL;
    if (st == NULL) {
        ret = cli_fail(o.cmd, &err);
        goto out;
    }
    c.fmt = o.format;
    c.rd = rd;
    if (c.fmt == OUT_CSV) {
        puts("id,period,province,style,template,released_at,vintage,"
             "fingerprint,figures");
    } else {
        static const char *const head[] = {
            "编号",     "统计期", "地区",    "样式", "模板", "发布时间（UTC）",
            "数据截至", "指纹",   "数字个数"};
        c.t = texttable_new(9);
        for (size_t i = 0; i < 9; i++)
            texttable_set_header(c.t, i, head[i],
                                 i == 0 || i == 8 ? TT_RIGHT : TT_LEFT);
    }
    if (store_releases(st, on_release_row, &c, &err) < 0)
        ret = cli_fail(o.cmd, &err);
    else if (c.t != NULL)
        texttable_print(c.t, stdout);
out:
    texttable_free(c.t);
    store_close(st);
    refdata_free(rd);
    options_release(&o);
    return ret;
}
