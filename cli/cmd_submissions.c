/* SPDX-License-Identifier: MIT */
/*
 * cli/cmd_submissions.c - gongji submissions: what is stored, from where.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <getopt.h>

#include "aggregate/store.h"
#include "cli/cli.h"
#include "cli/options.h"
#include "common/i18n.h"
#include "common/money.h"
#include "ingest/refdata.h"
#include "report/numfmt.h"
#include "report/queryout.h"
#include "report/texttable.h"

static const char *const submissions_usage = N_(
    "usage: gongji submissions [--db FILE] [--history] [--format "
    "table|csv]\n"
    "\n"
    "List, for every (province, month) stored, the file it came from: name,\n"
    "SHA-256, rows, totals and when it was ingested.  With --history also\n"
    "the versions that later files replaced (kept, never counted).\n"
    "\n"
    "  --history      include replaced versions\n"
    "  --format FMT   table (default) or csv (file,sha256,rows,province,\n"
    "                 period,ingested_at,status,person_times,amount)\n"
    "  --db FILE      the store (default $GONGJI_DB, else ./gongji.db)\n"
    "  -h, --help     this text\n");

struct list_ctx {
    enum outfmt fmt;
    struct refdata *rd;
    struct texttable *t;
};

static int
on_row(const struct store_submission_row *r, void *data)
{
    struct list_ctx *c = data;
    char buf[96];

    if (c->fmt == OUT_CSV) {
        money_format(buf, sizeof(buf), r->amount_fen);
        /*
         * File names may hold commas or quotes, and may start like a
         * formula ("=cmd|' /C calc'!A0.csv"): quoted, with a leading '
         */
        queryout_csv_text(stdout, r->file);
        char per[PERIOD_LABEL_MAX];
        printf(",%s,%" PRId64 ",%06d,%s,%s,%s,%" PRId64 ",%s\n", r->sha256,
               r->rows, r->province, period_format(per, sizeof(per), r->period),
               r->ingested_at, r->replaced_by ? "replaced" : "current",
               r->person_times, buf);
        return 0;
    }
    const struct province *p = refdata_province(c->rd, r->province);
    texttable_add_row(c->t);
    texttable_set(c->t, 0, p ? p->short_name : "?");
    texttable_set(c->t, 1, period_format(buf, sizeof(buf), r->period));
    texttable_set(c->t, 2, r->file);
    snprintf(buf, sizeof(buf), "%" PRId64, r->rows);
    texttable_set(c->t, 3, buf);
    numfmt_pt_auto(buf, sizeof(buf), r->person_times);
    texttable_set(c->t, 4, buf);
    numfmt_amount_auto(buf, sizeof(buf), r->amount_fen);
    texttable_set(c->t, 5, buf);
    snprintf(buf, sizeof(buf), "%.12s", r->sha256);
    texttable_set(c->t, 6, buf);
    texttable_set(c->t, 7, r->ingested_at);
    if (r->replaced_by)
        snprintf(buf, sizeof(buf), "已被 #%" PRId64 " 替换", r->replaced_by);
    else
        snprintf(buf, sizeof(buf), "现行 #%" PRId64, r->id);
    texttable_set(c->t, 8, buf);
    return 0;
}

struct submissions_args {
    struct options common; /* --db, --format */
    bool history;          /* --history */
};

static int
on_option(int c, const char *arg, void *ctx)
{
    struct submissions_args *a = ctx;

    (void)arg;
    if (c != 'H')
        return OPTIONS_SHARED;
    a->history = true;
    return OPTIONS_CONTINUE;
}

static int
parse_args(struct submissions_args *a, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, OPTIONS_DB},
        {"format", required_argument, NULL, OPTIONS_FORMAT},
        {"help", no_argument, NULL, OPTIONS_HELP},
        {"history", no_argument, NULL, 'H'},
        {NULL, 0, NULL, 0},
    };

    a->common.formats = 1u << OUT_TABLE | 1u << OUT_CSV;
    int rc =
        options_parse(&a->common, argc, argv, "+h", longopts, on_option, a);
    if (rc == OPTIONS_CONTINUE)
        rc = options_no_operands(&a->common);
    return rc;
}

static int
run(const struct submissions_args *a)
{
    static const char *const heads[] = {
        "省份",     "统计期",  "文件",     "行数", "共济人次",
        "共济金额", "SHA-256", "入库时间", "状态",
    };
    const char *cmd = a->common.cmd;
    struct list_ctx ctx;
    struct store *st = NULL;
    struct diag err;
    int ret = EXIT_OK;

    memset(&ctx, 0, sizeof(ctx));
    ctx.fmt = a->common.format;
    diag_clear(&err);
    ctx.rd = refdata_load(options_data_dir(), &err);
    if (ctx.rd == NULL)
        return cli_fail(cmd, &err);
    st = store_open(options_db_path(&a->common), STORE_READ, &err);
    if (st == NULL) {
        ret = cli_fail(cmd, &err);
        goto out;
    }
    if (ctx.fmt == OUT_CSV) {
        puts("file,sha256,rows,province,period,ingested_at,status,"
             "person_times,amount");
    } else {
        ctx.t = texttable_new(9);
        for (size_t i = 0; i < 9; i++)
            texttable_set_header(ctx.t, i, heads[i],
                                 i >= 3 && i <= 5 ? TT_RIGHT : TT_LEFT);
    }
    if (store_submissions(st, a->history, on_row, &ctx, &err) < 0) {
        ret = cli_fail(cmd, &err);
        goto out;
    }
    if (ctx.t != NULL)
        texttable_print(ctx.t, stdout);
out:
    texttable_free(ctx.t);
    store_close(st);
    refdata_free(ctx.rd);
    return ret;
}

int
cmd_submissions(int argc, char **argv)
{
    struct submissions_args a;

    memset(&a, 0, sizeof(a));
    options_init(&a.common, "submissions", submissions_usage);
    int ret = parse_args(&a, argc, argv);
    if (ret == OPTIONS_CONTINUE)
        ret = run(&a);
    options_release(&a.common);
    return ret;
}
