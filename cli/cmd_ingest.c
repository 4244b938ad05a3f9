/*
 * cli/cmd_ingest.c - gongji ingest / gongji check (DESIGN §3-§5).
 *
 * Every file is read and validated first, all problems reported; only then
 * is anything stored, in one transaction for the whole run (or one per file
 * with --keep-going).  Two files of one run covering the same (province,
 * month) are an error: the later would silently replace the earlier.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <getopt.h>

#include "aggregate/store.h"
#include "cli/cli.h"
#include "common/xalloc.h"
#include "ingest/refdata.h"
#include "ingest/summary.h"

static const char ingest_usage[] =
    "usage: gongji ingest [--db FILE] [--strict] [--encoding ENC]\n"
    "                     [--keep-going] [--quiet] FILE...\n"
    "\n"
    "Validate monthly summary files (CSV, DESIGN §3) and store them.  A file\n"
    "replaces what is stored for every (province, month) it covers; the\n"
    "earlier version is kept as history.  A byte-identical file changes\n"
    "nothing.  Any error in any file stores nothing (unless --keep-going).\n"
    "\n"
    "  --db FILE       the store (default $GONGJI_DB, else ./gongji.db)\n"
    "  --strict        pooling-area codes missing from data/areas.csv are\n"
    "                  errors, not warnings\n"
    "  --encoding ENC  auto (default), utf-8 or gb18030 (also gbk)\n"
    "  --keep-going    store each valid file on its own; report the others\n"
    "  -q, --quiet     print nothing but problems\n"
    "  -h, --help      this text\n"
    "\n"
    "Output: one line per file on stdout ('stored ...' or 'unchanged ...');\n"
    "problems on stderr as FILE:LINE:COL: error: message.\n"
    "Exit status: 0 stored; 1 input rejected; 2 usage; 3 environment/I-O.\n";

static const char check_usage[] =
    "usage: gongji check [--strict] [--encoding ENC] [--quiet] FILE...\n"
    "\n"
    "Validate files exactly as 'gongji ingest' would, and store nothing.\n"
    "\n"
    "  --strict        unknown pooling-area codes are errors\n"
    "  --encoding ENC  auto (default), utf-8 or gb18030 (also gbk)\n"
    "  -q, --quiet     print nothing but problems\n"
    "  -h, --help      this text\n"
    "\n"
    "Exit status: 0 all files valid; 1 problems found; 2 usage; 3 I/O.\n";

struct ingest_args {
    const char *db;
    struct ingest_opts opts;
    bool keep_going;
    bool quiet;
    bool check_only;
};

static int
parse_args(const char *cmd, int argc, char **argv, struct ingest_args *a,
           int *first_file)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"encoding", required_argument, NULL, 'e'},
        {"help", no_argument, NULL, 'h'},
        {"keep-going", no_argument, NULL, 'k'},
        {"quiet", no_argument, NULL, 'q'},
        {"strict", no_argument, NULL, 's'},
        {NULL, 0, NULL, 0},
    };
    int c;

    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+hq", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            if (a->check_only)
                return cli_usage_error(cmd, "--db: check stores nothing");
            a->db = optarg;
            break;
        case 'e':
            if (encoding_parse(optarg, &a->opts.encoding) < 0)
                return cli_usage_error(
                    cmd, "--encoding '%s': use auto, utf-8 or gb18030", optarg);
            break;
        case 'h':
            fputs(a->check_only ? check_usage : ingest_usage, stdout);
            return -1;
        case 'k':
            if (a->check_only)
                return cli_usage_error(cmd, "--keep-going: check stores "
                                            "nothing");
            a->keep_going = true;
            break;
        case 'q':
            a->quiet = true;
            break;
        case 's':
            a->opts.strict = true;
            break;
        default:
            return cli_usage_error(cmd, "unknown option '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage_error(cmd, "no input files");
    *first_file = optind;
    return 0;
}

/* Describe what a file covers: "浙江 2024-01..2024-03" or "3 provinces". */
static void
describe_cover(const struct summary_file *sf, const struct refdata *rd,
               char *buf, size_t len)
{
    int p0 = sf->cover[0].province, same_prov = 1;
    int lo = sf->cover[0].period, hi = lo;
    for (size_t i = 1; i < sf->ncover; i++) {
        if (sf->cover[i].province != p0)
            same_prov = 0;
        if (sf->cover[i].period < lo)
            lo = sf->cover[i].period;
        if (sf->cover[i].period > hi)
            hi = sf->cover[i].period;
    }
    char span[32];
    if (lo == hi)
        snprintf(span, sizeof(span), "%d-%02d", lo / 100, lo % 100);
    else
        snprintf(span, sizeof(span), "%d-%02d..%d-%02d", lo / 100, lo % 100,
                 hi / 100, hi % 100);
    if (same_prov) {
        const struct province *p = refdata_province(rd, p0);
        snprintf(buf, len, "%s %s", p ? p->short_name : "?", span);
    } else {
        snprintf(buf, len, "several provinces, %s", span);
    }
}

/*
 * Files of one run must not cover the same (province, month): report each
 * clash at the later file, which is then not ok.  Returns the number of
 * clashes.
 */
static size_t
check_overlaps(struct summary_file *files, bool *ok, size_t n,
               struct diag_list *dl)
{
    size_t clashes = 0;
    for (size_t j = 1; j < n; j++) {
        if (!ok[j])
            continue;
        for (size_t i = 0; i < j; i++) {
            if (!ok[i])
                continue;
            for (size_t a = 0; a < files[j].ncover; a++) {
                const struct coverage *cj = &files[j].cover[a];
                for (size_t b = 0; b < files[i].ncover; b++) {
                    const struct coverage *ci = &files[i].cover[b];
                    if (ci->province != cj->province ||
                        ci->period != cj->period)
                        continue;
                    clashes++;
                    diag_list_addf(
                        dl, DIAG_ERROR, DIAG_DATA, files[j].path, 0, 0,
                        "covers %06d %d-%02d, which %s in this same run also "
                        "covers; ingest them in separate runs if one is a "
                        "correction of the other",
                        cj->province, cj->period / 100, cj->period % 100,
                        files[i].path);
                    ok[j] = false;
                    goto next_pair;
                }
            }
        next_pair:;
        }
    }
    return clashes;
}

static void
now_iso(char *buf, size_t len)
{
    time_t t = time(NULL);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    struct tm tm;
    if (sde != NULL && *sde != '\0')
        t = (time_t)strtoll(sde, NULL, 10);
    gmtime_r(&t, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int
run(const char *cmd, int argc, char **argv, bool check_only)
{
    struct ingest_args a;
    struct diag err;
    struct diag_list dl = DIAG_LIST_INIT;
    struct refdata *rd = NULL;
    struct store *st = NULL;
    struct summary_file *files = NULL;
    bool *ok = NULL;
    int first = 0, ret = EXIT_OK;
    size_t n = 0, nbad = 0;

    memset(&a, 0, sizeof(a));
    a.check_only = check_only;
    a.db = store_default_path();
    int rc = parse_args(cmd, argc, argv, &a, &first);
    if (rc != 0)
        return rc < 0 ? EXIT_OK : rc;

    diag_clear(&err);
    rd = refdata_load(refdata_default_dir(), &err);
    if (rd == NULL)
        return cli_fail(cmd, &err);

    n = (size_t)(argc - first);
    files = xcalloc(n, sizeof(*files));
    ok = xcalloc(n, sizeof(*ok));
    bool progress = cli_progress_wanted(a.quiet) && n > 1;
    for (size_t i = 0; i < n; i++) {
        if (progress)
            fprintf(stderr, "\rgongji %s: reading %zu/%zu files", cmd, i + 1,
                    n);
        summary_init(&files[i]);
        /* Issue 5 hook: detail or summary, by header (cmd_aggregate.c). */
        ok[i] = cli_read_input(&files[i], argv[first + (int)i], &a.opts, rd,
                               &dl, a.quiet) == 0;
    }
    if (progress)
        fputs("\r\033[K", stderr);
    check_overlaps(files, ok, n, &dl);
    for (size_t i = 0; i < n; i++)
        nbad += !ok[i];
    diag_list_print(stderr, &dl);

    if (check_only) {
        for (size_t i = 0; i < n && !a.quiet; i++) {
            char cov[96];
            if (!ok[i])
                continue;
            describe_cover(&files[i], rd, cov, sizeof(cov));
            printf("ok        %s: %zu rows, %s, %s\n", files[i].path,
                   files[i].nrows, cov,
                   encoding_name(files[i].encoding, files[i].had_bom));
        }
        if (nbad)
            fprintf(stderr, "gongji check: %zu of %zu file(s) rejected\n", nbad,
                    n);
        ret = nbad ? EXIT_DATA : EXIT_OK;
        goto out;
    }
    if (nbad && !a.keep_going) {
        fprintf(stderr,
                "gongji ingest: %zu of %zu file(s) rejected; nothing stored\n",
                nbad, n);
        ret = cli_exit_code(diag_list_first_code(&dl));
        goto out;
    }

    st = store_open(a.db, STORE_WRITE, &err);
    if (st == NULL) {
        ret = cli_fail(cmd, &err);
        goto out;
    }
    char when[32];
    now_iso(when, sizeof(when));
    size_t stored = 0, unchanged = 0, rows = 0;
    struct store_put_result *res = xcalloc(n, sizeof(*res));
    bool one_tx = !a.keep_going;
    if (one_tx && store_begin(st, &err) < 0)
        goto store_failed;
    for (size_t i = 0; i < n; i++) {
        if (!ok[i])
            continue;
        if (!one_tx && store_begin(st, &err) < 0)
            goto store_failed;
        if (store_put(st, &files[i], when, &res[i], &err) < 0)
            goto store_failed;
        if (!one_tx && store_commit(st, &err) < 0)
            goto store_failed;
    }
    if (one_tx && store_commit(st, &err) < 0)
        goto store_failed;

    for (size_t i = 0; i < n; i++) {
        char cov[96];
        if (!ok[i])
            continue;
        describe_cover(&files[i], rd, cov, sizeof(cov));
        if (res[i].unchanged) {
            unchanged++;
            if (!a.quiet)
                printf("unchanged %s: byte-identical to the version in "
                       "effect (%s)\n",
                       files[i].path, cov);
            continue;
        }
        stored++;
        rows += files[i].nrows;
        if (!a.quiet) {
            printf("stored    %s: %zu rows, %s", files[i].path, files[i].nrows,
                   cov);
            if (res[i].pairs_replaced)
                printf(" (replaces %zu earlier province-month(s))",
                       res[i].pairs_replaced);
            putchar('\n');
        }
    }
    /* stdout has one line per file; the tally is for the person */
    if (!a.quiet)
        fprintf(stderr,
                "gongji ingest: %zu file(s) stored (%zu rows), %zu "
                "unchanged, %zu rejected\n",
                stored, rows, unchanged, nbad);
    ret = nbad ? EXIT_DATA : EXIT_OK;
    free(res);
    goto out;

store_failed:
    store_rollback(st);
    free(res);
    ret = cli_fail(cmd, &err);
    fprintf(stderr, "gongji ingest: nothing stored by this step\n");

out:
    store_close(st);
    for (size_t i = 0; i < n; i++)
        summary_release(&files[i]);
    free(files);
    free(ok);
    diag_list_release(&dl);
    refdata_free(rd);
    return ret;
}

int
cmd_ingest(int argc, char **argv)
{
    return run("ingest", argc, argv, false);
}

int
cmd_check(int argc, char **argv)
{
    return run("check", argc, argv, true);
}
