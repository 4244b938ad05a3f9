/* SPDX-License-Identifier: MIT */
/*
 * cli/cmd_bulletin.c - gongji bulletin: the monthly release from the store
 * alone (DESIGN §7): bulletin.md and attachment.xlsx in --out.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <getopt.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aggregate/review.h"
#include "aggregate/rollup.h"
#include "aggregate/store.h"
#include "cli/cli.h"
#include "cli/options.h"
#include "cli/plotenv.h"
#include "cli/release.h"
#include "cli/sigclean.h"
#include "common/atomicfile.h"
#include "common/i18n.h"
#include "common/period.h"
#include "common/sbuf.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "ingest/house.h"
#include "ingest/policy.h"
#include "ingest/refdata.h"
#include "report/bulletin.h"
#include "report/bulletindocx.h"
#include "report/bulletinhtml.h"
#include "report/plot.h"
#include "report/xlsx.h"

static const char *const bulletin_usage = N_(
    "usage: gongji bulletin [--db FILE] --period YYYY-MM [--out DIR]\n"
    "                       [--as-of YYYY-MM-DD] [--style 2024|2025]\n"
    "                       [--province P] [--template FILE]\n"
    "                       [--no-charts] [--with-monthly]\n"
    "                       [--docx [--no-pdf] [--draft]\n"
    "                       [--doc-number TEXT]] [--allow-incomplete]\n"
    "                       [--vintage V] [--no-record] [--quiet]\n"
    "\n"
    "Write the monthly release for January..the given month, cumulative:\n"
    "  DIR/bulletin.md      the release text "
    "(templates/bulletin-STYLE.md.tmpl)\n"
    "  DIR/bulletin.html    the release as one self-contained web page: the\n"
    "                       text, the charts and the attachment table, for\n"
    "                       screen and A4 print "
    "(templates/bulletin.html.tmpl,\n"
    "                       templates/bulletin.css)\n"
    "  DIR/figures.csv      every figure of the text, exact (name,value)\n"
    "  DIR/attachment.xlsx  the attachment as published (附件; 月度 too\n"
    "                       with --with-monthly)\n"
    "  DIR/internal.xlsx    the working copy: 附件 and its exact values,\n"
    "                       pooling areas, 月度, sources and 审核\n"
    "  DIR/charts/          six charts as PNG (300 dpi), SVG and PDF, and a\n"
    "                       seventh for the wallet when it has data\n"
    "  DIR/bulletin.docx    with --docx: for sign-off, in 公文 layout with "
    "the\n"
    "                       charts and the attachment table\n"
    "                       (templates/reference.docx)\n"
    "  DIR/bulletin.pdf     with --docx: bulletin.docx printed by LibreOffice\n"
    "The same store and arguments give byte-identical files.\n"
    "\n");
static const char *const bulletin_usage_more = N_(
    "  --period YYYY-MM   the last month (2024-09 = 2024年1-9月)\n"
    "  --out DIR          where to write (default out/YYYY-MM)\n"
    "  --as-of DATE       policy coverage as of this date (default: the\n"
    "                     last day of the period), from data/policy.csv\n"
    "  --style 2024|2025  the release's form: 2024 (the account channel,\n"
    "                     increases over 1-(N-1)月, province top fives) or\n"
    "                     2025 (account and 医保钱包); default: by the\n"
    "                     period's year; December: bulletin-STYLE-annual\n"
    "  --province P       the release of one province (浙江, 330000): its\n"
    "                     totals, splits, pooling areas and policy; the\n"
    "                     attachment has one row per pooling area (no charts)\n"
    "  --template FILE    use this template instead (README: placeholders)\n"
    "  --allow-incomplete write it although province-months of the period\n"
    "                     have nothing stored; the text then says what it\n"
    "                     does not include (\"不含…数据\")\n"
    "  --vintage V        the release from the store as it stood then:\n"
    "                     YYYY-MM-DD (end of that day, 北京时间),\n"
    "                     YYYY-MM-DDTHH:MM[:SS][Z], release:N or\n"
    "                     release:YYYY-MM; a reproduction, not recorded\n"
    "  --no-record        do not record this run as a release in the store\n"
    "  --no-charts        skip the charts (no gnuplot needed)\n"
    "  --with-monthly     the monthly series in attachment.xlsx too\n"
    "  --docx             also write bulletin.docx and bulletin.pdf (needs\n"
    "                     pandoc, and LibreOffice for the PDF; some seconds)\n"
    "  --no-pdf           with --docx: no bulletin.pdf (no LibreOffice)\n"
    "  --draft            （征求意见稿） under the title of bulletin.docx\n"
    "  --doc-number TEXT  a document number line above it, taken literally\n"
    "  --db FILE          the store (default $GONGJI_DB, else ./gongji.db)\n"
    "  -q, --quiet        print nothing but problems\n"
    "  -h, --help         this text\n"
    "\n"
    "Each run records the release in the store (period, style, time, the\n"
    "data's vintage and fingerprint, every figure): the next release says "
    "in a\n修订说明 which of its published figures have changed since.\n"
    "\n"
    "Exit status: 0 written; 1 incomplete (every missing province-month is\n"
    "named) or a --vintage the store cannot place; 2 usage; 3 store, "
    "template\nor output problem, or gnuplot, pandoc or LibreOffice missing "
    "or failing\n(the rest is then written; charts/ keeps the previous set, "
    "the old\nbulletin.docx/.pdf are removed).  Each file is replaced whole: "
    "a failed\nor killed run leaves the previous one.\n");

/* mkdir -p */
static int
make_dirs(const char *path, struct diag *err)
{
    char *p = xstrdup(path);
    int ret = 0;
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char c = *s;
        *s = '\0';
        if (mkdir(p, 0777) < 0 && errno != EEXIST) {
            ret = diag_set(err, DIAG_CANTCREAT, _("cannot create %s: %s"), p,
                           strerror(errno));
            break;
        }
        *s = c;
        if (c == '\0')
            break;
    }
    free(p);
    return ret;
}

static int
read_file(const char *path, struct sbuf *out, struct diag *err)
{
    char chunk[8192];
    size_t n;
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return diag_set(err, DIAG_CONFIG, _("cannot open %s: %s"), path,
                        strerror(errno));
    while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
        sbuf_add(out, chunk, n);
    fclose(fp);
    return 0;
}

static const char *
templates_dir(struct sbuf *buf)
{
    const char *env = getenv("GONGJI_TEMPLATES");
    if (env != NULL && *env != '\0')
        return env;
    sbuf_addf(buf, "%s/../templates", options_data_dir());
    return buf->buf;
}

/*
 * The bulletin template into tmpl and its name into name: --template, else
 * templates/bulletin-STYLE-annual.md.tmpl for December when there is one,
 * else templates/bulletin-STYLE.md.tmpl (a templates directory of an
 * older gongji has only bulletin.md.tmpl, the 2024 style).
 */
static int
read_template(const char *file, const char *style, struct period p,
              struct sbuf *tmpl, struct sbuf *name, struct diag *err)
{
    struct sbuf tdir = SBUF_INIT;
    const char *dir = templates_dir(&tdir);
    int rc;

    if (file != NULL) {
        sbuf_addstr(name, file);
    } else {
        sbuf_addf(name, "%s/bulletin-%s-annual.md.tmpl", dir, style);
        if (p.month != 12 || access(name->buf, F_OK) != 0) {
            sbuf_reset(name);
            sbuf_addf(name, "%s/bulletin-%s.md.tmpl", dir, style);
        }
        if (strcmp(style, "2024") == 0 && access(name->buf, F_OK) != 0) {
            sbuf_reset(name);
            sbuf_addf(name, "%s/bulletin.md.tmpl", dir);
        }
    }
    rc = read_file(name->buf, tmpl, err);
    sbuf_release(&tdir);
    return rc;
}

/* The web page's shell and stylesheet (templates/bulletin.html.tmpl, .css). */
struct html_shell {
    struct sbuf shell, css, shell_name, css_name;
};

static int
read_html_shell(struct html_shell *h, struct diag *err)
{
    struct sbuf tdir = SBUF_INIT;
    const char *dir = templates_dir(&tdir);
    int rc;

    /* a $GONGJI_TEMPLATES of bulletin templates only: the shipped page */
    sbuf_addf(&h->shell_name, "%s/bulletin.html.tmpl", dir);
    if (access(h->shell_name.buf, F_OK) != 0 && dir != tdir.buf) {
        sbuf_reset(&tdir);
        sbuf_addf(&tdir, "%s/../templates", options_data_dir());
        dir = tdir.buf;
        sbuf_reset(&h->shell_name);
        sbuf_addf(&h->shell_name, "%s/bulletin.html.tmpl", dir);
    }
    sbuf_addf(&h->css_name, "%s/bulletin.css", dir);
    rc = read_file(h->shell_name.buf, &h->shell, err);
    if (rc == 0)
        rc = read_file(h->css_name.buf, &h->css, err);
    sbuf_release(&tdir);
    return rc;
}

static void
html_shell_release(struct html_shell *h)
{
    sbuf_release(&h->shell);
    sbuf_release(&h->css);
    sbuf_release(&h->shell_name);
    sbuf_release(&h->css_name);
}

struct bulletin_args {
    struct options common;    /* --db, --period, --quiet */
    const char *out_arg;      /* --out DIR, or NULL for out/YYYY-MM */
    const char *as_of_arg;    /* --as-of DATE, or NULL */
    const char *style;        /* --style, or NULL: by the period's year */
    const char *province_arg; /* --province, or NULL: the nation */
    const char *template_arg; /* --template FILE, or NULL */
    bool no_charts;           /* --no-charts */
    bool with_monthly;        /* --with-monthly */
    bool allow_incomplete;    /* --allow-incomplete */
    bool no_record;           /* --no-record */
    bool no_docx;             /* no --docx: neither docx nor PDF */
    bool no_pdf;              /* --no-pdf */
    bool draft;               /* --draft */
    const char *doc_number;   /* --doc-number TEXT, or NULL */
    struct period p;          /* --period */
    int as_of; /* YYYYMMDD: --as-of, else the period's last day */
};

/* --as-of, --no-charts, --out; the rest are shared. */
static int
on_option(int c, const char *arg, void *ctx)
{
    struct bulletin_args *a = ctx;

    switch (c) {
    case 'a':
        a->as_of_arg = arg;
        break;
    case 'n':
        a->no_charts = true;
        break;
    case 'M':
        a->with_monthly = true;
        break;
    case 'i':
        a->allow_incomplete = true;
        break;
    case 'r':
        a->no_record = true;
        break;
    case 'o':
        a->out_arg = arg;
        break;
    case 's':
        a->style = arg;
        break;
    case 'p':
        a->province_arg = arg;
        break;
    case 't':
        a->template_arg = arg;
        break;
    case 'X':
        a->no_docx = false;
        break;
    case 'P':
        a->no_pdf = true;
        break;
    case 'D':
        a->draft = true;
        break;
    case 'N':
        a->doc_number = arg;
        break;
    default:
        return OPTIONS_SHARED;
    }
    return OPTIONS_CONTINUE;
}

/* a->as_of from --as-of, else the last day of the period. */
static int
parse_as_of(struct bulletin_args *a)
{
    if (a->as_of_arg != NULL) {
        a->as_of = policy_parse_date(a->as_of_arg, strlen(a->as_of_arg));
        if (a->as_of < 0)
            return cli_usage_error(a->common.cmd,
                                   _("--as-of '%s' is not a date "
                                     "YYYY-MM-DD"),
                                   a->as_of_arg);
    } else {
        a->as_of = period_month_end(a->p);
    }
    return OPTIONS_CONTINUE;
}

static int
parse_args(struct bulletin_args *a, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"allow-incomplete", no_argument, NULL, 'i'},
        {"as-of", required_argument, NULL, 'a'},
        {"db", required_argument, NULL, OPTIONS_DB},
        {"doc-number", required_argument, NULL, 'N'},
        {"draft", no_argument, NULL, 'D'},
        {"help", no_argument, NULL, OPTIONS_HELP},
        {"no-charts", no_argument, NULL, 'n'},
        {"docx", no_argument, NULL, 'X'},
        {"no-pdf", no_argument, NULL, 'P'},
        {"no-record", no_argument, NULL, 'r'},
        {"out", required_argument, NULL, 'o'},
        {"period", required_argument, NULL, OPTIONS_PERIOD},
        {"province", required_argument, NULL, 'p'},
        {"quiet", no_argument, NULL, OPTIONS_QUIET},
        {"style", required_argument, NULL, 's'},
        {"template", required_argument, NULL, 't'},
        {"vintage", required_argument, NULL, OPTIONS_VINTAGE},
        {"with-monthly", no_argument, NULL, 'M'},
        {NULL, 0, NULL, 0},
    };
    struct options *o = &a->common;
    const char *cmd = o->cmd, *period_arg;
    struct diag err;

    int rc = options_parse(o, argc, argv, "+hq", longopts, on_option, a);
    if (rc == OPTIONS_CONTINUE)
        rc = options_no_operands(o);
    if (rc == OPTIONS_CONTINUE)
        rc = options_require(o, o->period != NULL, "--period YYYY-MM");
    if (rc != OPTIONS_CONTINUE)
        return rc;
    period_arg = o->period;
    if (strstr(period_arg, "..") != NULL)
        return cli_usage_error(
            cmd, _("--period is one month (2024-09 gives "
                   "2024年1-9月); ranges are for 'gongji query'"));
    diag_clear(&err);
    if (period_parse(&a->p, period_arg, strlen(period_arg), &err) < 0) {
        err.code = DIAG_USAGE;
        return cli_fail(cmd, &err);
    }
    if (a->style == NULL)
        a->style = a->p.year >= 2025 ? "2025" : "2024";
    else if (strcmp(a->style, "2024") != 0 && strcmp(a->style, "2025") != 0)
        return cli_usage_error(cmd,
                               _("--style '%s': the styles are 2024 and "
                                 "2025"),
                               a->style);
    if (a->doc_number != NULL) {
        size_t n = strlen(a->doc_number), bad = 0;
        bool ctl = false, blank = true;
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)a->doc_number[i];
            ctl |= c < 0x20 || c == 0x7F;
            blank &= c == ' ';
        }
        if (blank || ctl || n > 200 || !utf8_valid(a->doc_number, n, &bad))
            return cli_usage_error(cmd,
                                   _("--doc-number '%s': one line of UTF-8 "
                                     "text, 1 to 200 bytes, no control "
                                     "characters"),
                                   a->doc_number);
    }
    return parse_as_of(a);
}

/* "wrote PATH..." on stdout; a path from --out never prints raw. */
static void
print_wrote(const char *path, const char *tail)
{
    fputs(_("wrote "), stdout);
    diag_fput_printable(stdout, path, strlen(path));
    printf("%s\n", tail);
}

/*
 * bulletin.html into af (open): the text, the charts of chartdir (NULL: none;
 * each NAME.svg read from there) and the 附件.
 */
static int
write_html(struct atomicfile *af, const struct html_shell *h,
           const struct sbuf *text, const struct rollup *r,
           const struct refdata *rd, const char *as_of, const char *chartdir,
           struct diag *err)
{
    struct bulletinhtml_chart charts[16];
    struct sbuf svgs[16], page = SBUF_INIT, path = SBUF_INIT;
    size_t nlist, n = 0;
    const struct plot_bulletin_chart *list = plot_bulletin_chart_list(&nlist);
    int ret = -1;

    for (size_t i = 0; i < sizeof(svgs) / sizeof(svgs[0]); i++)
        sbuf_init(&svgs[i]);
    for (size_t i = 0; chartdir != NULL && i < nlist && n < 16; i++) {
        if (list[i].kind == CHART_WALLET && !r->has_wallet)
            continue;
        sbuf_reset(&path);
        sbuf_addf(&path, "%s/%s.svg", chartdir, list[i].name);
        if (read_file(path.buf, &svgs[n], err) < 0) {
            err->code = DIAG_IO;
            goto out;
        }
        charts[n] = (struct bulletinhtml_chart){list[i].name, list[i].kind,
                                                list[i].metric, svgs[n].buf,
                                                svgs[n].len};
        n++;
    }
    struct bulletinhtml_input in = {h->shell.buf,
                                    h->shell.len,
                                    h->shell_name.buf,
                                    h->css.buf,
                                    h->css.len,
                                    h->css_name.buf,
                                    text->buf,
                                    text->len,
                                    r,
                                    rd,
                                    as_of,
                                    n > 0 ? charts : NULL,
                                    n};
    if (bulletinhtml_render(&in, &page, err) < 0 ||
        atomicfile_write(af, page.buf, page.len, err) < 0)
        goto out;
    ret = 0;
out:
    for (size_t i = 0; i < sizeof(svgs) / sizeof(svgs[0]); i++)
        sbuf_release(&svgs[i]);
    sbuf_release(&page);
    sbuf_release(&path);
    return ret;
}

/*
 * A file of the templates directory, else of the shipped one (a
 * $GONGJI_TEMPLATES of bulletin templates only), into path.
 */
static void
template_file(const char *name, struct sbuf *path)
{
    struct sbuf tdir = SBUF_INIT;
    const char *dir = templates_dir(&tdir);
    sbuf_reset(path);
    sbuf_addf(path, "%s/%s", dir, name);
    if (access(path->buf, F_OK) != 0 && dir != tdir.buf) {
        sbuf_reset(path);
        sbuf_addf(path, "%s/../templates/%s", options_data_dir(), name);
    }
    sbuf_release(&tdir);
}

/* 00:00 北京时间 of YYYYMMDD, in seconds since the epoch. */
static int64_t
beijing_midnight(int yyyymmdd)
{
    int y = yyyymmdd / 10000, m = yyyymmdd / 100 % 100, d = yyyymmdd % 100;
    /* days from civil (H. Hinnant) */
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = (int64_t)era * 146097 + doe - 719468;
    return days * 86400 - 8 * 3600;
}

/* bulletin.docx and bulletin.pdf in memory; what failed in the diags. */
struct publication {
    struct sbuf docx, pdf;
    int docx_rc, pdf_rc; /* 0 made, -1 failed, 1 not asked for */
    struct diag docx_err, pdf_err;
};

static void
make_publication(const struct bulletin_args *a, const struct rollup *r,
                 const struct refdata *rd, const struct house *house,
                 const struct sbuf *text, const struct plot_options *o,
                 const char *as_of_iso, const char *chartdir,
                 struct publication *pub)
{
    struct bulletindocx_chart charts[16];
    char png[16][PATH_MAX];
    struct sbuf ref = SBUF_INIT, conf = SBUF_INIT, lua = SBUF_INIT;
    size_t nlist, n = 0;
    const struct plot_bulletin_chart *list = plot_bulletin_chart_list(&nlist);
    int64_t created = o->created >= 0 ? o->created : beijing_midnight(a->as_of);

    pub->docx_rc = pub->pdf_rc = 1;
    if (a->no_docx)
        return;
    for (size_t i = 0; chartdir != NULL && i < nlist && n < 16; i++) {
        if (list[i].kind == CHART_WALLET && !r->has_wallet)
            continue;
        snprintf(png[n], sizeof(png[n]), "%s/%s.png", chartdir, list[i].name);
        charts[n] = (struct bulletindocx_chart){list[i].name, list[i].kind,
                                                list[i].metric, png[n]};
        n++;
    }
    struct bulletindocx_input in = {text->buf,
                                    text->len,
                                    r,
                                    rd,
                                    house->data_source,
                                    as_of_iso,
                                    n > 0 ? charts : NULL,
                                    n,
                                    a->draft,
                                    a->doc_number};
    template_file("reference.docx", &ref);
    template_file("docx-sections.lua", &lua);
    pub->docx_rc = bulletindocx_build(&in, o, ref.buf, lua.buf, created,
                                      &pub->docx, &pub->docx_err);
    if (pub->docx_rc == 0 && !a->no_pdf) {
        template_file("fonts.conf", &conf);
        pub->pdf_rc = bulletindocx_pdf(
            &pub->docx, o, access(conf.buf, R_OK) == 0 ? conf.buf : NULL,
            created, &pub->pdf, &pub->pdf_err);
    }
    sbuf_release(&ref);
    sbuf_release(&lua);
    sbuf_release(&conf);
}

/*
 * What failed of the publication said, and its previous file removed: a
 * bulletin.docx of older figures must not stand beside the new text.
 * Returns the exit status of the worst failure, or EXIT_OK.
 */
static int
publication_failed(const char *cmd, const char *outdir,
                   const struct publication *pub)
{
    struct sbuf path = SBUF_INIT;
    int ret = EXIT_OK;

    if (pub->docx_rc < 0 || pub->pdf_rc < 0) {
        const struct diag *d =
            pub->docx_rc < 0 ? &pub->docx_err : &pub->pdf_err;
        ret = cli_fail(cmd, d);
        bool removed = false;
        for (int k = pub->docx_rc < 0 ? 0 : 1; k < 2; k++) {
            sbuf_reset(&path);
            sbuf_addf(&path, "%s/%s", outdir,
                      k == 0 ? "bulletin.docx" : "bulletin.pdf");
            removed |= unlink(path.buf) == 0;
        }
        fprintf(stderr,
                pub->docx_rc < 0
                    ? _("gongji bulletin: the other files were written; "
                        "bulletin.docx and bulletin.pdf were not%s\n")
                    : _("gongji bulletin: the other files were written; "
                        "bulletin.pdf was not%s\n"),
                removed ? _(" (the previous one, of older figures, is "
                            "removed)")
                        : "");
    }
    sbuf_release(&path);
    return ret;
}

/*
 * The outputs are one set.  bulletin.md and attachment.xlsx are written to
 * temporary files and the charts to a temporary directory beside charts/
 * (common/atomicfile.h); only then are they renamed into place, the text,
 * the workbook, then the charts swapped in as a whole.  A failure before
 * that point, or a kill, leaves every old file as it was; a kill during
 * the renames (microseconds) can leave the new text with the old workbook
 * or charts, each of them complete.  When only the charts fail, the text
 * and workbook are still installed and charts/ keeps the previous set.
 */
static int
write_set(const struct bulletin_args *a, const char *outdir,
          const struct rollup *r, const struct refdata *rd,
          const struct review_result *rv, const struct house *house,
          const struct sbuf *text, const struct sbuf *figures,
          const struct html_shell *shell)
{
    const char *cmd = a->common.cmd;
    bool quiet = a->common.quiet;
    struct atomicfile md = ATOMICFILE_INIT, xl = ATOMICFILE_INIT;
    struct atomicfile ix = ATOMICFILE_INIT;
    struct atomicfile fig = ATOMICFILE_INIT, html = ATOMICFILE_INIT;
    struct atomicfile dx = ATOMICFILE_INIT, pdf = ATOMICFILE_INIT;
    struct publication pub = {SBUF_INIT, SBUF_INIT, 1, 1, {0}, {0}};
    struct atomicdir charts = ATOMICDIR_INIT;
    struct sbuf path = SBUF_INIT, hpath = SBUF_INIT, ppath = SBUF_INIT;
    struct plotenv pe;
    struct diag err, chart_err;
    int ret = EXIT_OK, charts_rc = 0;
    bool had_charts = false;
    /* the charts compare provinces: a provincial release has none */
    bool no_charts = a->no_charts || r->province != 0;

    diag_clear(&err);
    diag_clear(&chart_err);
    diag_clear(&pub.docx_err);
    diag_clear(&pub.pdf_err);
    plotenv_init(&pe);
    pe.opts.source_line = house->source_line;
    /* what runs killed by SIGKILL left here */
    atomicfile_sweep(outdir, ".", ATOMICFILE_MARK, ATOMICFILE_STALE_S, -1);
    sigclean_watch_dir(outdir, ".", ATOMICFILE_MARK);

    sbuf_addf(&path, "%s/bulletin.md", outdir);
    if (atomicfile_open(&md, path.buf, &err) < 0 ||
        atomicfile_write(&md, text->buf, text->len, &err) < 0)
        goto fail;
    sbuf_reset(&path);
    sbuf_addf(&path, "%s/figures.csv", outdir);
    if (atomicfile_open(&fig, path.buf, &err) < 0 ||
        atomicfile_write(&fig, figures->buf, figures->len, &err) < 0)
        goto fail;

    char as_of_iso[PERIOD_LABEL_MAX];
    period_date_format(as_of_iso, sizeof(as_of_iso), a->as_of);
    struct xlsx_opts xo = {.book = XLSX_BOOK_PUBLISH,
                           .monthly = a->with_monthly,
                           .as_of = as_of_iso,
                           .data_source = house->data_source};
    sbuf_reset(&path);
    sbuf_addf(&path, "%s/attachment.xlsx", outdir);
    if (atomicfile_open(&xl, path.buf, &err) < 0 ||
        xlsx_write_attachment_to(&xl, r, rd, &xo, &err) < 0)
        goto fail;
    xo.book = XLSX_BOOK_INTERNAL;
    xo.review = rv;
    sbuf_reset(&path);
    sbuf_addf(&path, "%s/internal.xlsx", outdir);
    if (atomicfile_open(&ix, path.buf, &err) < 0 ||
        xlsx_write_attachment_to(&ix, r, rd, &xo, &err) < 0)
        goto fail;

    if (!no_charts) {
        struct stat st;
        sbuf_reset(&path);
        sbuf_addf(&path, "%s/charts", outdir);
        had_charts = lstat(path.buf, &st) == 0;
        plot_sweep(&pe.opts);
        sigclean_watch_dir(pe.opts.tmp_base != NULL ? pe.opts.tmp_base : "/tmp",
                           "gongji-plot", ".");
        if (pe.opts.keep_dir != NULL)
            sigclean_watch_dir(pe.opts.keep_dir, ".", ATOMICFILE_MARK);
        charts_rc = atomicdir_open(&charts, path.buf, &chart_err);
        if (charts_rc == 0)
            charts_rc =
                plot_bulletin_charts(&pe.opts, r, rd, charts.tmp, &chart_err);
    }

    /* the page shows the charts just drawn, or none when they failed */
    sbuf_addf(&hpath, "%s/bulletin.html", outdir);
    if (atomicfile_open(&html, hpath.buf, &err) < 0 ||
        write_html(&html, shell, text, r, rd, as_of_iso,
                   !no_charts && charts_rc == 0 ? charts.tmp : NULL, &err) < 0)
        goto fail;

    /* bulletin.docx and .pdf: the same text and charts */
    make_publication(a, r, rd, house, text, &pe.opts, as_of_iso,
                     !no_charts && charts_rc == 0 ? charts.tmp : NULL, &pub);
    sbuf_reset(&ppath);
    sbuf_addf(&ppath, "%s/bulletin.docx", outdir);
    if (pub.docx_rc == 0 &&
        (atomicfile_open(&dx, ppath.buf, &err) < 0 ||
         atomicfile_write(&dx, pub.docx.buf, pub.docx.len, &err) < 0))
        goto fail;
    sbuf_reset(&ppath);
    sbuf_addf(&ppath, "%s/bulletin.pdf", outdir);
    if (pub.pdf_rc == 0 &&
        (atomicfile_open(&pdf, ppath.buf, &err) < 0 ||
         atomicfile_write(&pdf, pub.pdf.buf, pub.pdf.len, &err) < 0))
        goto fail;

    if (atomicfile_commit(&md, &err) < 0 || atomicfile_commit(&fig, &err) < 0 ||
        atomicfile_commit(&html, &err) < 0)
        goto fail;
    if (!quiet) {
        print_wrote(md.path, "");
        print_wrote(html.path, "");
        print_wrote(fig.path, "");
    }
    if (atomicfile_commit(&xl, &err) < 0 || atomicfile_commit(&ix, &err) < 0) {
        ret = cli_fail(cmd, &err);
        fprintf(stderr, _("gongji bulletin: bulletin.md and bulletin.html "
                          "were written; the workbooks and charts/ are as "
                          "they were\n"));
        goto out;
    }
    if (!quiet) {
        print_wrote(xl.path, "");
        print_wrote(ix.path, "");
    }
    if ((pub.docx_rc == 0 && atomicfile_commit(&dx, &err) < 0) ||
        (pub.pdf_rc == 0 && atomicfile_commit(&pdf, &err) < 0)) {
        ret = cli_fail(cmd, &err);
        goto out;
    }
    if (!quiet && pub.docx_rc == 0)
        print_wrote(dx.path, "");
    if (!quiet && pub.pdf_rc == 0)
        print_wrote(pdf.path, "");
    ret = publication_failed(cmd, outdir, &pub);
    if (no_charts)
        goto out;
    if (charts_rc == 0)
        charts_rc = atomicdir_commit(&charts, &chart_err);
    if (charts_rc < 0) {
        ret = cli_fail(cmd, &chart_err);
        fprintf(stderr,
                _("gongji bulletin: bulletin.md, bulletin.html and the "
                  "workbooks were written; the charts were not: %s\n"),
                had_charts ? "charts/ still holds the previous set, "
                             "unchanged"
                           : "there is no charts/");
        goto out;
    }
    if (!quiet)
        print_wrote(path.buf, r->has_wallet
                                  ? "/{provinces_person_times,provinces_amount,"
                                    "scope,use,trend,map,wallet}.{png,svg,pdf}"
                                  : "/{provinces_person_times,provinces_amount,"
                                    "scope,use,trend,map}.{png,svg,pdf}");
    goto out;

fail:
    ret = cli_fail(cmd, &err);
    fprintf(stderr,
            _("gongji bulletin: nothing was written; the files in "
              "%s are as they were\n"),
            outdir);
out:
    atomicfile_release(&md);
    atomicfile_release(&ix);
    atomicfile_release(&fig);
    atomicfile_release(&html);
    atomicfile_release(&xl);
    atomicfile_release(&dx);
    atomicfile_release(&pdf);
    sbuf_release(&pub.docx);
    sbuf_release(&pub.pdf);
    atomicdir_release(&charts);
    sbuf_release(&path);
    sbuf_release(&hpath);
    sbuf_release(&ppath);
    return ret;
}

static int
run(const struct bulletin_args *a)
{
    const char *cmd = a->common.cmd, *out_arg = a->out_arg;
    struct period p = a->p;
    int ret = EXIT_OK, as_of = a->as_of;
    struct diag err;
    struct refdata *rd = NULL;
    struct policy pol;
    struct store *st = NULL;
    struct rollup r;
    struct review_result rv;
    struct sbuf tmpl = SBUF_INIT, text = SBUF_INIT, tname = SBUF_INIT;
    struct sbuf figures = SBUF_INIT;
    struct sbuf outdir = SBUF_INIT;
    struct sbuf complete_note = SBUF_INIT, rev_note = SBUF_INIT;
    struct house house;
    struct html_shell shell = {SBUF_INIT, SBUF_INIT, SBUF_INIT, SBUF_INIT};

    memset(&pol, 0, sizeof(pol));
    memset(&r, 0, sizeof(r));
    memset(&rv, 0, sizeof(rv));
    diag_clear(&err);
    /* before any thread: the chart threads inherit the blocked signals */
    sigclean_start();
    rd = refdata_load(options_data_dir(), &err);
    if (rd == NULL || policy_load(&pol, options_data_dir(), &err) < 0)
        goto fail;
    int province;
    if ((ret = options_province(cmd, a->province_arg, rd, &province)) !=
        OPTIONS_CONTINUE)
        goto out;
    ret = EXIT_OK;
    if (read_template(a->template_arg, a->style, p, &tmpl, &tname, &err) < 0 ||
        read_html_shell(&shell, &err) < 0)
        goto fail;
    {
        struct sbuf tdir = SBUF_INIT;
        int hrc = house_load(&house, templates_dir(&tdir), &err);
        sbuf_release(&tdir);
        if (hrc < 0)
            goto fail;
    }
    st = store_open(options_db_path(&a->common), STORE_READ, &err);
    if (st == NULL)
        goto fail;
    /*
     * One vintage for every read: --vintage, else the store as it is when
     * the run starts, so an ingest running meanwhile cannot make the text
     * and the workbook disagree, and the record names exactly that data.
     */
    int64_t vintage = 0;
    if (a->common.vintage != NULL) {
        if (options_apply_vintage(&a->common, st, &err) < 0)
            goto fail;
        vintage = store_vintage(st);
    } else {
        if (store_last_submission(st, &vintage, &err) < 0)
            goto fail;
        store_set_vintage(st, vintage);
    }
    if (rollup_build(st, rd, p, province, &r, &err) < 0)
        goto fail;
    if (r.nsources == 0) {
        char span[PERIOD_LABEL_MAX];
        diag_set(
            &err, DIAG_NOINPUT, _("nothing is stored for %s"),
            period_range_format(span, sizeof(span), period_year_to_date(p)));
        goto fail;
    }
    int gate = release_gate(cmd, st, rd, p, province, a->allow_incomplete,
                            a->common.quiet, &complete_note, &err);
    if (gate < 0)
        goto fail;
    if (gate != EXIT_OK) {
        ret = gate;
        goto out;
    }
    if (release_revision_note(st, rd, &pol, as_of, p, province, &rev_note,
                              &err) < 0)
        goto fail;
    /* the internal workbook's sheet 审核: a review of the period */
    struct review_opts ro = {period_year_to_date(p), province, 0};
    if (review_run(st, rd, &ro, &rv, &err) < 0 ||
        release_review(st, rd, ro.range, province, &rv, &err) < 0)
        goto fail;

    sbuf_addstr(&figures, "figure,value\n");
    struct bulletin_input in = {&r,           rd,          &pol,
                                as_of,        &figures,    complete_note.buf,
                                rev_note.buf, house.issuer};
    if (bulletin_render(tmpl.buf, tmpl.len, tname.buf, &in, &text, &err) < 0)
        goto fail;

    if (out_arg != NULL)
        sbuf_addstr(&outdir, out_arg);
    else {
        char per[PERIOD_LABEL_MAX];
        sbuf_addf(&outdir, "out/%s", period_format(per, sizeof(per), p));
    }
    if (make_dirs(outdir.buf, &err) < 0)
        goto fail;
    ret =
        write_set(a, outdir.buf, &r, rd, &rv, &house, &text, &figures, &shell);
    /* a reproduction at a vintage is not a release */
    if (ret == EXIT_OK && !a->no_record && a->common.vintage == NULL) {
        struct release_info info = {a->style, tname.buf, &figures, vintage};
        release_record(cmd, options_db_path(&a->common), &r, &info,
                       a->common.quiet);
    }
    goto out;

fail:
    ret = cli_fail(cmd, &err);
out:
    review_result_release(&rv);
    rollup_release(&r);
    store_close(st);
    policy_release(&pol);
    refdata_free(rd);
    sbuf_release(&tmpl);
    sbuf_release(&tname);
    sbuf_release(&figures);
    sbuf_release(&text);
    sbuf_release(&outdir);
    sbuf_release(&complete_note);
    sbuf_release(&rev_note);
    html_shell_release(&shell);
    return ret;
}

int
cmd_bulletin(int argc, char **argv)
{
    struct bulletin_args a;

    memset(&a, 0, sizeof(a));
    a.no_docx = true; /* bulletin.docx and .pdf only with --docx */
    options_init(&a.common, "bulletin", bulletin_usage);
    a.common.usage_more = bulletin_usage_more;
    int ret = parse_args(&a, argc, argv);
    if (ret == OPTIONS_CONTINUE)
        ret = run(&a);
    options_release(&a.common);
    return ret;
}
