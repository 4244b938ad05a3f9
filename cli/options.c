/* SPDX-License-Identifier: MIT */
#include "cli/options.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <getopt.h>

#include "aggregate/query.h"
#include "cli/cli.h"
#include "common/diag.h"
#include "common/i18n.h"
#include "common/period.h"
#include "common/sbuf.h"
#include "common/xalloc.h"
#include "ingest/detail.h"
#include "ingest/refdata.h"

void
options_init(struct options *o, const char *cmd, const char *usage)
{
    memset(o, 0, sizeof(*o));
    o->cmd = cmd;
    o->usage = usage;
    o->formats = 1u << OUT_TABLE | 1u << OUT_CSV | 1u << OUT_JSON;
    o->format = OUT_TABLE;
    o->ingest.encoding = ENC_AUTO;
}

void
options_release(struct options *o)
{
    free(o->wheres);
    o->wheres = NULL;
    o->nwhere = 0;
}

/* "--format 'xml': use table, csv or json", listing o->formats. */
static int
bad_format(const struct options *o, const char *arg)
{
    static const char *const names[] = {"table", "csv", "json", "xlsx"};
    struct sbuf list = SBUF_INIT;
    size_t n = 0, left = 0;

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        left += (o->formats >> i) & 1u;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (((o->formats >> i) & 1u) == 0)
            continue;
        if (n > 0)
            sbuf_addstr(&list, n + 1 == left ? " or " : ", ");
        sbuf_addstr(&list, names[i]);
        n++;
    }
    int ret =
        cli_usage_error(o->cmd, _("--format '%s': use %s"), arg, list.buf);
    sbuf_release(&list);
    return ret;
}

/* One shared option: OPTIONS_CONTINUE, or an exit status. */
static int
shared_option(struct options *o, int c, const char *arg)
{
    switch (c) {
    case OPTIONS_DB:
        o->db = arg;
        break;
    case OPTIONS_ENCODING:
        if (encoding_parse(arg, &o->ingest.encoding) < 0)
            return cli_usage_error(
                o->cmd, _("--encoding '%s': use auto, utf-8 or gb18030"), arg);
        break;
    case OPTIONS_SHEET:
        o->ingest.sheet = arg;
        break;
    case OPTIONS_FORMAT:
        if (outfmt_parse(arg, &o->format) < 0 ||
            ((o->formats >> o->format) & 1u) == 0)
            return bad_format(o, arg);
        break;
    case OPTIONS_HELP:
        cli_puts(_(o->usage));
        if (o->usage_more != NULL)
            cli_puts(_(o->usage_more));
        return EXIT_OK;
    case OPTIONS_PERIOD:
        o->period = arg;
        break;
    case OPTIONS_QUIET:
        o->quiet = true;
        break;
    case OPTIONS_STRICT:
        o->ingest.strict = true;
        break;
    case OPTIONS_THREADS:
        if (options_parse_threads(arg, &o->threads) < 0)
            return cli_usage_error(o->cmd, _("--threads '%s': use 1 to %d"),
                                   arg, DETAIL_MAX_THREADS);
        break;
    case OPTIONS_VINTAGE:
        o->vintage = arg;
        break;
    case OPTIONS_WHERE:
        o->wheres = xreallocarray(o->wheres, o->nwhere + 1, sizeof(*o->wheres));
        o->wheres[o->nwhere++] = arg;
        break;
    default:
        BUG("option %d in a table but handled by nobody", c);
    }
    return OPTIONS_CONTINUE;
}

/*
 * getopt_long said '?': a short option that takes a value and was given
 * none ("-j needs a value"), else an unknown option or a long option
 * without its value, named as the user wrote it.
 */
static int
option_error(const struct options *o, char **argv, const char *shortopts)
{
    const char *p = optopt > 0 && optopt < 128 && optopt != '+'
                        ? strchr(shortopts, optopt)
                        : NULL;

    if (p != NULL && p[1] == ':')
        return cli_usage_error(o->cmd, _("-%c needs a value"), optopt);
    return cli_usage_error(o->cmd, _("unknown option '%s'"), argv[optind - 1]);
}

int
options_parse(struct options *o, int argc, char **argv, const char *shortopts,
              const struct option *longopts, options_fn *fn, void *ctx)
{
    int c;

    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        if (c == '?')
            return option_error(o, argv, shortopts);
        int rc = fn != NULL ? fn(c, optarg, ctx) : OPTIONS_SHARED;
        if (rc == OPTIONS_SHARED)
            rc = shared_option(o, c, optarg);
        if (rc != OPTIONS_CONTINUE)
            return rc;
    }
    o->operands = argv + optind;
    o->noperands = (size_t)(argc - optind);
    return OPTIONS_CONTINUE;
}

int
options_no_operands(const struct options *o)
{
    if (o->noperands > 0)
        return cli_usage_error(o->cmd, _("unexpected argument '%s'"),
                               o->operands[0]);
    return OPTIONS_CONTINUE;
}

int
options_require(const struct options *o, bool given, const char *what)
{
    if (!given)
        return cli_usage_error(o->cmd, _("%s is required"), what);
    return OPTIONS_CONTINUE;
}

int
options_period_range(const struct options *o, struct period_range *out)
{
    struct diag err;

    diag_clear(&err);
    if (period_range_parse(out, o->period, &err) < 0) {
        err.code = DIAG_USAGE;
        return cli_fail(o->cmd, &err);
    }
    return OPTIONS_CONTINUE;
}

int
options_parse_threads(const char *s, unsigned *out)
{
    unsigned v = 0;
    if (*s == '\0')
        return -1;
    for (; *s != '\0'; s++) {
        if (*s < '0' || *s > '9' || v > DETAIL_MAX_THREADS)
            return -1;
        v = v * 10 + (unsigned)(*s - '0');
    }
    if (v < 1 || v > DETAIL_MAX_THREADS)
        return -1;
    *out = v;
    return 0;
}

int
options_add_wheres(const struct options *o, struct query *q,
                   const struct refdata *rd, struct diag *err)
{
    for (size_t i = 0; i < o->nwhere; i++)
        if (query_add_where(q, o->wheres[i], rd, err) < 0)
            return -1;
    return 0;
}

const char *
options_db_path(const struct options *o)
{
    if (o->db != NULL)
        return o->db;
    const char *env = getenv("GONGJI_DB");
    return env != NULL && *env != '\0' ? env : "gongji.db";
}

const char *
options_data_dir(void)
{
    /* cli runs on one thread; the value is the same on every call */
    static char exe_dir[PATH_MAX];
    return refdata_default_dir(getenv("GONGJI_DATA"), exe_dir, sizeof(exe_dir));
}

int
options_summary_max(size_t *out)
{
    const char *env = getenv("GONGJI_SUMMARY_MAX");
    size_t v = 0;

    *out = 0;
    if (env == NULL || *env == '\0')
        return 0;
    const char *p = env;
    for (; *p >= '0' && *p <= '9'; p++)
        if (__builtin_mul_overflow(v, 10, &v) ||
            __builtin_add_overflow(v, (size_t)(*p - '0'), &v))
            return -1;
    unsigned shift = 0;
    if (p != env && (*p == 'K' || *p == 'M' || *p == 'G')) {
        shift = *p == 'K' ? 10 : *p == 'M' ? 20 : 30;
        p++;
    }
    if (p == env || *p != '\0' || v == 0 || v > (SIZE_MAX >> shift))
        return -1;
    *out = v << shift;
    return 0;
}

int
options_province(const char *cmd, const char *arg, const struct refdata *rd,
                 int *code)
{
    *code = 0;
    if (arg == NULL)
        return OPTIONS_CONTINUE;
    const struct province *pr = refdata_find_province(rd, arg);
    if (pr == NULL)
        return cli_usage_error(cmd,
                               _("--province '%s' is not a province of "
                                 "data/provinces.csv"),
                               arg);
    *code = pr->code;
    return OPTIONS_CONTINUE;
}
