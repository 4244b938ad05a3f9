/* SPDX-License-Identifier: MIT */
/*
 * cli/cmd_ingest.c - gongji ingest / gongji check (DESIGN §3-§5).
 *
 * Every file is read and validated first, all problems reported; only then
 * is anything stored, in one transaction for the whole run (or one per file
 * with --keep-going).  Two files of one run covering the same (province,
 * month) are an error: the later would silently replace the earlier.  A
 * file that would remove or replace stored data silently (DESIGN §4) is
 * refused with what would be lost (aggregate/store.h: store_plan), unless
 * --replace says so; --part stores a file as one part of its
 * province-months, so parts add up.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <getopt.h>

#include "aggregate/store.h"
#include "cli/cli.h"
#include "cli/options.h"
#include "cli/planreport.h"
#include "cli/release.h"
#include "common/i18n.h"
#include "common/money.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "ingest/codes.h"
#include "ingest/refdata.h"
#include "ingest/submission.h"

static const char *const ingest_usage = N_(
    /* xgettext:no-c-format */
    "usage: gongji ingest [--db FILE] [--strict] [--encoding ENC]\n"
    "                     [--sheet NAME] [--keep-going] [--part NAME]\n"
    "                     [--replace] [--quiet] FILE...\n"
    "\n"
    "Validate monthly summary files (CSV, DESIGN §3, or an Excel workbook,\n"
    ".xlsx) and store them.  A file\n"
    "replaces what is stored for every (province, month) it covers; the\n"
    "earlier version is kept as history, and what changed is reported.  A\n"
    "file that would drop stored areas, or whose rows for some\n"
    "(province, month) are a stray minority of it (at most 3 rows and under\n"
    "5 % of the file, while another pair has most of its rows), is refused\n"
    "with what would be lost.  A byte-identical file changes nothing.  Any\n"
    "error in any file stores nothing (unless --keep-going).\n"
    "\n"
    "  --db FILE       the store (default $GONGJI_DB, else ./gongji.db)\n"
    "  --strict        pooling-area codes missing from data/areas.csv are\n"
    "                  errors, not warnings\n"
    "  --encoding ENC  auto (default), utf-8 or gb18030 (also gbk)\n"
    "  --sheet NAME    in a workbook (.xlsx), read sheet NAME (default: the\n"
    "                  first worksheet)\n"
    "  --keep-going    store each valid file on its own; report the others\n"
    "  --part NAME     each file is part NAME (e.g. one city) of the\n"
    "                  province-months it covers: it replaces only part NAME\n"
    "                  (or a whole version), and the parts add up\n"
    "  --replace       accept the losses and stray rows listed: each file is\n"
    "                  the whole of its province-months (or of its part)\n"
    "  -q, --quiet     print nothing but problems\n"
    "  -h, --help      this text\n"
    "\n"
    "Output: one line per file on stdout ('stored ...' or 'unchanged ...'),\n"
    "then one 'changed' line per replaced province-month with the change in\n"
    "person-times and amount; problems on stderr as FILE:LINE:COL: error:\n"
    "message.\n"
    "Exit status: 0 stored; 1 input rejected; 2 usage; 3 environment/I-O.\n");

static const char *const check_usage = N_(
    "usage: gongji check [--strict] [--encoding ENC] [--sheet NAME] [--quiet]\n"
    "                    FILE...\n"
    "\n"
    "Validate files exactly as 'gongji ingest' would, and store nothing.\n"
    "\n"
    "  --strict        unknown pooling-area codes are errors\n"
    "  --encoding ENC  auto (default), utf-8 or gb18030 (also gbk)\n"
    "  --sheet NAME    in a workbook (.xlsx), read sheet NAME\n"
    "  -q, --quiet     print nothing but problems\n"
    "  -h, --help      this text\n"
    "\n"
    "Exit status: 0 all files valid; 1 problems found; 2 usage; 3 I/O.\n");

struct ingest_args {
    struct options common;     /* --db, --encoding, --quiet, --strict */
    bool keep_going;           /* --keep-going: one transaction per file */
    bool check_only;           /* gongji check: store nothing */
    struct store_put_opts put; /* --part, --replace */
};

/* getopt_long values of ingest's own options. */
enum { OPT_KEEP_GOING = 'k', OPT_PART = 512, OPT_REPLACE };

/* A part name: 1 to STORE_PART_MAX bytes of UTF-8, no control characters. */
static bool
part_name_ok(const char *s)
{
    size_t len = strlen(s), bad;

    if (len == 0 || len > STORE_PART_MAX || !utf8_valid(s, len, &bad))
        return false;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return false;
    return true;
}

/* --keep-going, --part, --replace, and --db refused by check. */
static int
on_option(int c, const char *arg, void *ctx)
{
    struct ingest_args *a = ctx;
    const char *cmd = a->common.cmd;

    if (c == OPTIONS_DB && a->check_only)
        return cli_usage_error(cmd, _("--db: check stores nothing"));
    if (c != OPT_KEEP_GOING && c != OPT_PART && c != OPT_REPLACE)
        return OPTIONS_SHARED;
    if (a->check_only)
        return cli_usage_error(cmd, _("--%s: check stores nothing"),
                               c == OPT_PART      ? "part"
                               : c == OPT_REPLACE ? "replace"
                                                  : "keep-going");
    if (c == OPT_KEEP_GOING) {
        a->keep_going = true;
    } else if (c == OPT_REPLACE) {
        a->put.replace = true;
    } else {
        if (!part_name_ok(arg))
            return cli_usage_error(cmd,
                                   _("--part: a name of 1 to %d bytes of UTF-8 "
                                     "without control characters, e.g. "
                                     "--part 杭州"),
                                   STORE_PART_MAX);
        a->put.part = arg;
    }
    return OPTIONS_CONTINUE;
}

static int
parse_args(struct ingest_args *a, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, OPTIONS_DB},
        {"encoding", required_argument, NULL, OPTIONS_ENCODING},
        {"sheet", required_argument, NULL, OPTIONS_SHEET},
        {"help", no_argument, NULL, OPTIONS_HELP},
        {"keep-going", no_argument, NULL, OPT_KEEP_GOING},
        {"part", required_argument, NULL, OPT_PART},
        {"quiet", no_argument, NULL, OPTIONS_QUIET},
        {"replace", no_argument, NULL, OPT_REPLACE},
        {"strict", no_argument, NULL, OPTIONS_STRICT},
        {NULL, 0, NULL, 0},
    };
    struct options *o = &a->common;

    int rc = options_parse(o, argc, argv, "+hq", longopts, on_option, a);
    if (rc == OPTIONS_CONTINUE && o->noperands == 0)
        return cli_usage_error(o->cmd, _("no input files"));
    size_t nstdin = 0;
    for (size_t i = 0; rc == OPTIONS_CONTINUE && i < o->noperands; i++)
        if (strcmp(o->operands[i], "-") == 0 && nstdin++ > 0)
            return cli_usage_error(o->cmd, _("'-' (stdin) given twice"));
    return rc;
}

/* Describe what a file covers: "浙江 2024-01..2024-03" or "3 provinces". */
static void
describe_cover(const struct submission *sf, const struct refdata *rd, char *buf,
               size_t len)
{
    int p0 = sf->cover[0].province, same_prov = 1;
    struct period_range r = {sf->cover[0].period, sf->cover[0].period};
    for (size_t i = 1; i < sf->ncover; i++) {
        if (sf->cover[i].province != p0)
            same_prov = 0;
        if (period_cmp(sf->cover[i].period, r.first) < 0)
            r.first = sf->cover[i].period;
        if (period_cmp(sf->cover[i].period, r.last) > 0)
            r.last = sf->cover[i].period;
    }
    char span[PERIOD_LABEL_MAX];
    period_range_format(span, sizeof(span), r);
    if (same_prov) {
        const struct province *p = refdata_province(rd, p0);
        snprintf(buf, len, "%s %s", p ? p->short_name : "?", span);
    } else {
        snprintf(buf, len, _("several provinces, %s"), span);
    }
}

/* One (province, month) a file covers: the a-th entry of file's cover. */
struct cover_ref {
    int province;
    struct period period;
    size_t file, a;
};

static int
cmp_cover_ref(const void *pa, const void *pb)
{
    const struct cover_ref *x = pa, *y = pb;
    if (x->province != y->province)
        return x->province < y->province ? -1 : 1;
    int c = period_cmp(x->period, y->period);
    if (c != 0)
        return c;
    if (x->file != y->file)
        return x->file < y->file ? -1 : 1;
    return (x->a > y->a) - (x->a < y->a);
}

/* A clash of a later file: with file, at the later file's a-th pair. */
struct clash {
    size_t file, a;
};

static int
cmp_clash(const void *pa, const void *pb)
{
    const struct clash *x = pa, *y = pb;
    if (x->file != y->file)
        return x->file < y->file ? -1 : 1;
    return (x->a > y->a) - (x->a < y->a);
}

/*
 * Files of one run must not cover the same (province, month): report each
 * clash at the later file, which is then not ok.  Returns the number of
 * clashes.
 *
 * A file clashes with every earlier file that is still ok and shares a
 * (province, month) with it: one message each, in the order of the earlier
 * files, naming the first shared pair in the later file's own order.  So
 * every (province, month) has at most one ok file, its owner, and a file
 * only has to look up the owners of its pairs: sorting all pairs once
 * numbers the distinct ones, and the run costs O(n log n) in the number
 * of pairs of all files (comparing every two files was quadratic: 7.8 s
 * for 37,000 one-row files).
 */
static size_t
check_overlaps(struct submission *files, bool *ok, size_t n,
               struct diag_list *dl)
{
    size_t total = 0, clashes = 0;
    for (size_t j = 0; j < n; j++)
        if (ok[j])
            total += files[j].ncover;
    if (total == 0)
        return 0;

    /* the pairs of all ok files, sorted; then each its group's number */
    struct cover_ref *refs = xreallocarray(NULL, total, sizeof(*refs));
    size_t *start = xcalloc(n + 1, sizeof(*start)), k = 0;
    for (size_t j = 0; j < n; j++) {
        start[j] = k;
        for (size_t a = 0; ok[j] && a < files[j].ncover; a++)
            refs[k++] = (struct cover_ref){files[j].cover[a].province,
                                           files[j].cover[a].period, j, a};
    }
    start[n] = k;
    qsort(refs, total, sizeof(*refs), cmp_cover_ref);
    size_t *group = xreallocarray(NULL, total, sizeof(*group));
    size_t ngroups = 0;
    for (size_t r = 0; r < total; r++) {
        if (r > 0 && (refs[r].province != refs[r - 1].province ||
                      period_cmp(refs[r].period, refs[r - 1].period) != 0))
            ngroups++;
        group[start[refs[r].file] + refs[r].a] = ngroups;
    }
    ngroups++;
    free(refs);

    /* owner[g]: 1 + the ok file that covers group g, or 0 */
    size_t *owner = xcalloc(ngroups, sizeof(*owner));
    struct clash *hit = xreallocarray(NULL, total, sizeof(*hit));
    for (size_t j = 0; j < n; j++) {
        size_t nhit = 0, m = start[j + 1] - start[j];
        if (!ok[j])
            continue;
        for (size_t a = 0; a < m; a++) {
            size_t o = owner[group[start[j] + a]];
            if (o != 0)
                hit[nhit++] = (struct clash){o - 1, a};
        }
        if (nhit == 0) {
            for (size_t a = 0; a < m; a++)
                owner[group[start[j] + a]] = j + 1;
            continue;
        }
        qsort(hit, nhit, sizeof(*hit), cmp_clash);
        for (size_t h = 0; h < nhit; h++) {
            size_t i = hit[h].file;
            if (h > 0 && hit[h - 1].file == i)
                continue; /* one message per earlier file: its first pair */
            const struct coverage *cj = &files[j].cover[hit[h].a];
            char per[PERIOD_LABEL_MAX];
            clashes++;
            diag_list_addf(dl, DIAG_ERROR, DIAG_DATA, files[j].path, 0, 0,
                           _("covers %06d %s, which %s in this same run also "
                             "covers; ingest them in separate runs if one is a "
                             "correction of the other"),
                           cj->province,
                           period_format(per, sizeof(per), cj->period),
                           files[i].path);
        }
        ok[j] = false;
    }
    free(hit);
    free(owner);
    free(group);
    free(start);
    return clashes;
}

/* What one run has read: every file, which of them are valid, problems. */
struct batch {
    struct submission *files;
    bool *ok;
    size_t n, nbad;
    struct diag_list dl;
};

/*
 * Read and validate every file (a progress line on a terminal when there
 * are several), check that no two cover the same province-month, and print
 * the problems.
 */
static void
read_all(const struct ingest_args *a, const struct refdata *rd, struct batch *b)
{
    const struct options *o = &a->common;
    size_t n = o->noperands;

    b->n = n;
    b->files = xcalloc(n, sizeof(*b->files));
    b->ok = xcalloc(n, sizeof(*b->ok));
    bool progress = cli_progress_wanted(o->quiet) && n > 1;
    for (size_t i = 0; i < n; i++) {
        if (progress) {
            fputc('\r', stderr);
            fprintf(stderr, _("gongji %s: reading %zu/%zu files"), o->cmd,
                    i + 1, n);
        }
        submission_init(&b->files[i]);
        /* Issue 5 hook: detail or summary, by header (cmd_aggregate.c). */
        b->ok[i] = cli_read_input(&b->files[i], o->operands[i], &o->ingest, rd,
                                  &b->dl, o->quiet) == 0;
    }
    if (progress)
        fputs("\r\033[K", stderr);
    check_overlaps(b->files, b->ok, n, &b->dl);
    for (size_t i = 0; i < n; i++)
        b->nbad += !b->ok[i];
    diag_list_print(stderr, &b->dl);
}

static void
batch_release(struct batch *b)
{
    for (size_t i = 0; i < b->n; i++)
        submission_release(&b->files[i]);
    free(b->files);
    free(b->ok);
    diag_list_release(&b->dl);
}

/*
 * The exit status of a batch with rejected files: that of the first error
 * (3 for a file that cannot be opened or read, 1 for bad data), the same
 * rule in ingest, check and aggregate; 1 when only refusals (stray rows)
 * rejected files.
 */
static int
rejected_status(const struct diag_list *dl)
{
    enum diag_code code = diag_list_first_code(dl);
    return code == DIAG_OK ? EXIT_DATA : cli_exit_code(code);
}

/* The last line: how many files were rejected, and which. */
static void
print_rejected(const struct ingest_args *a, const struct batch *b,
               const char *tail)
{
    bool *rejected = xcalloc(b->n ? b->n : 1, sizeof(*rejected));
    for (size_t i = 0; i < b->n; i++)
        rejected[i] = !b->ok[i];
    cli_print_rejected(a->common.cmd, a->common.operands, rejected, b->n,
                       _("file(s)"), tail);
    free(rejected);
}

/*
 * gongji check's verdict: one line per valid file, the exit status.  A
 * file with stray rows is refused here as ingest would refuse it (without
 * --replace): that needs no store.
 */
static int
report_check(const struct ingest_args *a, struct batch *b,
             const struct refdata *rd)
{
    for (size_t i = 0; i < b->n; i++) {
        struct store_plan pl;
        if (!b->ok[i])
            continue;
        store_plan_strays(&b->files[i], &pl);
        if (plan_print_strays(&b->files[i], &pl, rd)) {
            fprintf(stderr, _("  gongji ingest refuses this file: fix the "
                              "period or area code of the stray rows, or "
                              "ingest them in a file of their own, or add "
                              "--replace to ingest\n"));
            b->ok[i] = false;
            b->nbad++;
        }
        store_plan_release(&pl);
    }
    for (size_t i = 0; i < b->n && !a->common.quiet; i++) {
        char cov[96];
        if (!b->ok[i])
            continue;
        describe_cover(&b->files[i], rd, cov, sizeof(cov));
        char *name = diag_printable_dup(b->files[i].path);
        if (b->files[i].sheet != NULL) {
            char *sheet = diag_printable_dup(b->files[i].sheet);
            printf(_("ok        %s: %zu rows, %s, Excel sheet '%s'\n"), name,
                   b->files[i].nrows, cov, sheet);
            free(sheet);
        } else {
            printf(_("ok        %s: %zu rows, %s, %s\n"), name,
                   b->files[i].nrows, cov,
                   encoding_name(b->files[i].encoding, b->files[i].had_bom));
        }
        free(name);
    }
    if (b->nbad)
        print_rejected(a, b, NULL);
    return b->nbad ? rejected_status(&b->dl) : EXIT_OK;
}

/*
 * Store the valid files in one transaction, or one each with --keep-going;
 * res[i] says what file i did.  A file whose plan is refused stores nothing
 * (res[i].refused, counted in *nrefused); in one transaction the others are
 * still planned, so that every refusal is reported, and then nothing is
 * committed.  0, or -1 with err set (the caller rolls back).
 */
static int
store_all(struct store *st, const struct ingest_args *a, const struct batch *b,
          struct store_put_result *res, size_t *nrefused, struct diag *err)
{
    char when[32];
    bool one_tx = !a->keep_going;

    cli_now_iso(when, sizeof(when));
    *nrefused = 0;
    if (one_tx && store_begin(st, err) < 0)
        return -1;
    for (size_t i = 0; i < b->n; i++) {
        if (!b->ok[i])
            continue;
        if (!one_tx && store_begin(st, err) < 0)
            return -1;
        if (store_put(st, &b->files[i], &a->put, when, &res[i], err) < 0) {
            if (!res[i].refused)
                return -1;
            (*nrefused)++;
            diag_clear(err);
            if (!one_tx)
                store_rollback(st);
            continue;
        }
        if (!one_tx && store_commit(st, err) < 0)
            return -1;
    }
    if (one_tx && *nrefused > 0)
        store_rollback(st);
    else if (one_tx && store_commit(st, err) < 0)
        return -1;
    return 0;
}

/* One line per stored or unchanged file on stdout, the tally on stderr. */
static void
report_stored(const struct ingest_args *a, const struct batch *b,
              const struct store_put_result *res, size_t nrefused,
              const struct refdata *rd)
{
    bool quiet = a->common.quiet;
    size_t stored = 0, unchanged = 0, rows = 0;

    for (size_t i = 0; i < b->n; i++) {
        const struct submission *f = &b->files[i];
        char cov[96];
        if (!b->ok[i] || res[i].refused)
            continue;
        describe_cover(f, rd, cov, sizeof(cov));
        /* a file name may hold control characters: show them escaped */
        char *name = diag_printable_dup(f->path);
        if (res[i].unchanged) {
            unchanged++;
            if (!quiet)
                printf(_("unchanged %s: byte-identical to the version in "
                         "effect (%s)\n"),
                       name, cov);
            free(name);
            continue;
        }
        stored++;
        rows += f->nrows;
        if (!quiet) {
            printf(_("stored    %s: %zu rows, %s"), name, f->nrows, cov);
            if (a->put.part != NULL) {
                char *pn = diag_printable_dup(a->put.part);
                printf(_(", part %s"), pn);
                free(pn);
            }
            if (res[i].pairs_replaced)
                printf(_(" (replaces %zu earlier province-month(s))"),
                       res[i].pairs_replaced);
            putchar('\n');
            plan_print_changes(f, &res[i].plan, a->put.part, rd);
        }
        free(name);
    }
    /* stdout has one line per file; the tally is for the person */
    if (!quiet)
        fprintf(stderr,
                _("gongji ingest: %zu file(s) stored (%zu rows), %zu "
                  "unchanged, %zu rejected\n"),
                stored, rows, unchanged, b->nbad + nrefused);
    if (b->nbad)
        print_rejected(a, b, "the others stored");
}

/* Store what was read and report it: the exit status. */
static int
store_batch(const struct ingest_args *a, const struct batch *b,
            const struct refdata *rd)
{
    const char *cmd = a->common.cmd;
    struct diag err;
    int ret;

    diag_clear(&err);
    struct store *st =
        store_open(options_db_path(&a->common), STORE_WRITE, &err);
    if (st == NULL)
        return cli_fail(cmd, &err);
    struct store_put_result *res = xcalloc(b->n, sizeof(*res));
    size_t nrefused = 0;
    if (store_all(st, a, b, res, &nrefused, &err) == 0) {
        for (size_t i = 0; i < b->n; i++)
            if (b->ok[i] && res[i].refused)
                plan_print_refusal(&b->files[i], &res[i].plan, &a->put, rd);
        if (nrefused > 0 && !a->keep_going) {
            fprintf(stderr,
                    _("gongji ingest: %zu of %zu file(s) refused; nothing "
                      "stored\n"),
                    nrefused, b->n);
        } else {
            report_stored(a, b, res, nrefused, rd);
        }
        ret = b->nbad    ? rejected_status(&b->dl)
              : nrefused ? EXIT_DATA
                         : EXIT_OK;
    } else {
        store_rollback(st);
        ret = cli_fail(cmd, &err);
        fprintf(stderr, _("gongji ingest: nothing stored by this step\n"));
    }
    for (size_t i = 0; i < b->n; i++)
        store_put_result_release(&res[i]);
    free(res);
    store_close(st);
    return ret;
}

static int
run(const struct ingest_args *a)
{
    struct batch b = {NULL, NULL, 0, 0, DIAG_LIST_INIT};
    struct diag err;
    int ret;

    diag_clear(&err);
    struct refdata *rd = refdata_load(options_data_dir(), &err);
    if (rd == NULL)
        return cli_fail(a->common.cmd, &err);
    read_all(a, rd, &b);
    if (a->check_only) {
        ret = report_check(a, &b, rd);
    } else if (b.nbad && !a->keep_going) {
        print_rejected(a, &b, "nothing stored");
        ret = rejected_status(&b.dl);
    } else {
        ret = store_batch(a, &b, rd);
    }
    batch_release(&b);
    refdata_free(rd);
    return ret;
}

static int
ingest_main(const char *cmd, const char *usage, bool check_only, int argc,
            char **argv)
{
    struct ingest_args a;

    memset(&a, 0, sizeof(a));
    options_init(&a.common, cmd, usage);
    a.check_only = check_only;
    int ret = parse_args(&a, argc, argv);
    if (ret == OPTIONS_CONTINUE)
        ret = run(&a);
    options_release(&a.common);
    return ret;
}

int
cmd_ingest(int argc, char **argv)
{
    return ingest_main("ingest", ingest_usage, false, argc, argv);
}

int
cmd_check(int argc, char **argv)
{
    return ingest_main("check", check_usage, true, argc, argv);
}
