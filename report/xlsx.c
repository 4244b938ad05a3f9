/* SPDX-License-Identifier: MIT */
#include "report/xlsx.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <xlsxwriter.h>

#include "aggregate/rollup.h"
#include "common/atomicfile.h"
#include "common/diag.h"
#include "common/i18n.h"
#include "common/sbuf.h"
#include "common/utf8.h"
#include "ingest/codes.h"
#include "ingest/refdata.h"
#include "report/xlsxsheet.h"
#include "report/xlsxtables.h"

#define FONT_BODY "宋体"
#define FONT_HEAD "黑体"

/* ******************************************************************** */
/* Helpers exported for tests                                           */
/* ******************************************************************** */

int
xlsx_check_name(const char *name, struct diag *err)
{
    char q[64];
    size_t len, bad;

    if (name == NULL || *name == '\0')
        return diag_set(err, DIAG_CONFIG, _("sheet or defined name is empty"));
    len = strlen(name);
    diag_quote(q, sizeof(q), name, len);
    if (!utf8_valid(name, len, &bad))
        return diag_set(err, DIAG_CONFIG, _("name %s is not valid UTF-8"), q);
    if (utf8_codepoints(name, len) > 31)
        return diag_set(err, DIAG_CONFIG,
                        _("name %s is longer than 31 characters"), q);
    if (strpbrk(name, "[]:*?/\\") != NULL)
        return diag_set(err, DIAG_CONFIG, _("name %s contains one of []:*?/\\"),
                        q);
    if (name[0] == '\'' || name[len - 1] == '\'')
        return diag_set(err, DIAG_CONFIG,
                        _("name %s starts or ends with an apostrophe"), q);
    return 0;
}

size_t
xlsx_text_width(const char *s)
{
    return s == NULL ? 0 : utf8_width(s, strlen(s));
}

int
xlsx_date_epoch(const char *ymd, int64_t *secs, struct diag *err)
{
    char q[64];
    int day;

    if (ymd == NULL)
        return diag_set(err, DIAG_USAGE, _("as-of date is missing"));
    if (period_parse_date(ymd, strlen(ymd), &day) < 0 || day < 19700101)
        return diag_set(
            err, DIAG_USAGE,
            _("as-of date %s is not a YYYY-MM-DD date from 1970 on"),
            diag_quote(q, sizeof(q), ymd, strlen(ymd)));
    *secs = (int64_t)period_days_since_epoch(day) * 86400;
    return 0;
}

/* ******************************************************************** */
/* Formats and properties                                               */
/* ******************************************************************** */

static lxw_format *
new_format(lxw_workbook *wb, const char *font, double size, bool bold,
           bool border)
{
    lxw_format *fmt = workbook_add_format(wb);

    format_set_font_name(fmt, font);
    format_set_font_size(fmt, size);
    if (bold)
        format_set_bold(fmt);
    if (border)
        format_set_border(fmt, LXW_BORDER_THIN);
    format_set_align(fmt, LXW_ALIGN_VERTICAL_CENTER);
    return fmt;
}

static void
make_formats(struct xlsxsheet_book *b)
{
    lxw_workbook *wb = b->wb;
    struct xlsxsheet_fmts *f = &b->f;

    f->title = new_format(wb, FONT_HEAD, 16, true, false);
    format_set_align(f->title, LXW_ALIGN_CENTER);

    f->unit = new_format(wb, FONT_BODY, 11, false, false);
    format_set_align(f->unit, LXW_ALIGN_RIGHT);

    f->caption = new_format(wb, FONT_HEAD, 11, true, false);
    format_set_align(f->caption, LXW_ALIGN_LEFT);

    f->head = new_format(wb, FONT_HEAD, 11, true, true);
    format_set_align(f->head, LXW_ALIGN_CENTER);
    format_set_text_wrap(f->head);

    f->name = new_format(wb, FONT_BODY, 11, false, true);
    format_set_align(f->name, LXW_ALIGN_LEFT);
    format_set_indent(f->name, 1);

    f->name_total = new_format(wb, FONT_BODY, 11, true, true);
    format_set_align(f->name_total, LXW_ALIGN_CENTER);

    f->text = new_format(wb, FONT_BODY, 11, false, true);
    format_set_align(f->text, LXW_ALIGN_LEFT);
    format_set_indent(f->text, 1);

    f->center = new_format(wb, FONT_BODY, 11, false, true);
    format_set_align(f->center, LXW_ALIGN_CENTER);

    f->num = new_format(wb, FONT_BODY, 11, false, true);
    format_set_num_format(f->num, "0.00");

    f->num_total = new_format(wb, FONT_BODY, 11, true, true);
    format_set_num_format(f->num_total, "0.00");

    f->count = new_format(wb, FONT_BODY, 11, false, true);
    format_set_num_format(f->count, "#,##0");

    f->count_total = new_format(wb, FONT_BODY, 11, true, true);
    format_set_num_format(f->count_total, "#,##0");

    f->yuan = new_format(wb, FONT_BODY, 11, false, true);
    format_set_num_format(f->yuan, "#,##0.00");

    f->yuan_total = new_format(wb, FONT_BODY, 11, true, true);
    format_set_num_format(f->yuan_total, "#,##0.00");

    f->datetime = new_format(wb, FONT_BODY, 11, false, true);
    format_set_num_format(f->datetime, "yyyy-mm-dd hh:mm:ss");
    format_set_align(f->datetime, LXW_ALIGN_CENTER);

    f->pct = new_format(wb, FONT_BODY, 11, false, true);
    format_set_num_format(f->pct, "0.0%");

    f->note = new_format(wb, FONT_BODY, 11, false, false);
    format_set_align(f->note, LXW_ALIGN_LEFT);
}

static int
set_properties(struct xlsxsheet_book *b, int64_t created)
{
    char subject[96], author[] = "gongji", comments[320], span[40];
    char title[sizeof(b->title) + 32];
    char first[PERIOD_LABEL_MAX], last[PERIOD_LABEL_MAX];
    struct period_range ytd = period_year_to_date(b->r->period);
    lxw_doc_properties props;
    lxw_error e;

    snprintf(subject, sizeof(subject), "%s职工医保个人账户共济情况", b->period);
    snprintf(comments, sizeof(comments), "%s，截至%s", b->data_source,
             b->as_of);
    memset(&props, 0, sizeof(props));
    snprintf(title, sizeof(title), "%s%s", b->title,
             b->internal ? "（内部工作底稿）" : "");
    props.title = title;
    props.subject = subject;
    props.author = author;
    props.comments = comments;
    props.created = (time_t)created;
    e = workbook_set_properties(b->wb, &props);
    if (e != LXW_NO_ERROR) {
        xlsxsheet_fail(b, DIAG_IO, _("cannot set document properties: %s"),
                       lxw_strerror(e));
        return -1;
    }

    /* the range even for January: "2024-01..2024-01" */
    snprintf(span, sizeof(span), "%s..%s",
             period_format(first, sizeof(first), ytd.first),
             period_format(last, sizeof(last), ytd.last));
    e = workbook_set_custom_property_string(b->wb, "数据期", span);
    if (e != LXW_NO_ERROR) {
        xlsxsheet_fail(b, DIAG_IO, _("cannot set custom property: %s"),
                       lxw_strerror(e));
        return -1;
    }
    return 0;
}

/* ******************************************************************** */
/* Public entry                                                         */
/* ******************************************************************** */

/* The sheets of o->book, in their order (report/xlsx.h). */
static int
write_sheets(struct xlsxsheet_book *b, const struct xlsx_opts *o)
{
    if (xlsxtables_attachment(b) < 0)
        return -1;
    if (o->book == XLSX_BOOK_PUBLISH)
        return o->monthly ? xlsxtables_monthly(b) : 0;
    if (xlsxtables_attachment_exact(b) < 0 || xlsxtables_areas(b) < 0 ||
        xlsxtables_monthly(b) < 0 || xlsxtables_sources(b) < 0)
        return -1;
    return o->review != NULL ? xlsxtables_review(b, o->review) : 0;
}

int
xlsx_write_attachment_to(struct atomicfile *af, const struct rollup *r,
                         const struct refdata *rd, const struct xlsx_opts *o,
                         struct diag *err)
{
    struct xlsxsheet_book b;
    int64_t created;
    char reopen[64];
    lxw_error e;

    if (o == NULL || xlsx_date_epoch(o->as_of, &created, err) < 0) {
        if (o == NULL)
            diag_set(err, DIAG_USAGE, _("as-of date is missing"));
        return -1;
    }
    /* 0 would make libxlsxwriter stamp the current time instead */
    if (created == 0)
        return diag_set(err, DIAG_USAGE,
                        _("as-of date '%s' is not after 1970-01-01"), o->as_of);
    if (r->period.month < 1 || r->period.month > 12)
        BUG("rollup month %d", r->period.month);

    memset(&b, 0, sizeof(b));
    b.r = r;
    b.rd = rd;
    b.as_of = o->as_of;
    b.data_source = o->data_source != NULL ? o->data_source
                                           : "数据来源：各省级医保部门报送";
    b.err = err;
    b.internal = o->book == XLSX_BOOK_INTERNAL;
    b.cross = r->nation.scope[SCOPE_CROSS_PROVINCE].person_times != 0 ||
              r->nation.scope[SCOPE_CROSS_PROVINCE].amount_fen != 0;
    period_range_label(b.period, sizeof(b.period),
                       period_year_to_date(r->period));
    const struct province *pr = refdata_province(rd, r->province);
    if (pr != NULL) /* a provincial release: its pooling areas */
        snprintf(b.title, sizeof(b.title),
                 "附件 %s%s各统筹区职工医保个人账户共济情况", b.period,
                 pr->name);
    else
        snprintf(b.title, sizeof(b.title),
                 "附件 %s各省职工医保个人账户共济情况", b.period);

    /*
     * libxlsxwriter 1.1.4 cannot write to a descriptor or to memory (the
     * output_buffer option came in 1.1.5): it fopen()s the name it is given
     * in workbook_close().  Give it /proc/self/fd/N of the temporary file
     * we created exclusively, so it writes that very file whatever happens
     * to the names in the directory meanwhile.
     */
    const char *name = atomicfile_reopen_name(af, reopen, sizeof(reopen));
    /*
     * Its own temporary files (named tmp.XXXXXXXXXX, in $TMPDIR by
     * default, left behind by a kill) go to a private directory beside the
     * workbook, which atomicfile_sweep() of a later run finds.
     */
    struct atomicdir work = ATOMICDIR_INIT;
    struct sbuf wpath = SBUF_INIT;
    int ret = -1;
    sbuf_addf(&wpath, "%s.work", af->path);
    if (atomicdir_open(&work, wpath.buf, err) < 0)
        goto out;
    lxw_workbook_options wo = {0, work.tmp, 0};
    b.wb = workbook_new_opt(name, &wo);
    if (b.wb == NULL) {
        diag_set(err, DIAG_CANTCREAT, _("cannot create '%s'"), af->path);
        goto out;
    }
    make_formats(&b);
    if (set_properties(&b, created) < 0 || write_sheets(&b, o) < 0) {
        lxw_workbook_free(b.wb);
        goto out;
    }

    errno = 0;
    e = workbook_close(b.wb);
    if (e != LXW_NO_ERROR) {
        int saved = errno;
        if (e == LXW_ERROR_CREATING_XLSX_FILE)
            diag_set(err, DIAG_CANTCREAT, _("cannot create '%s': %s"), af->path,
                     strerror(saved));
        else
            diag_set(err, DIAG_IO, _("cannot write '%s': %s"), af->path,
                     lxw_strerror(e));
        goto out;
    }
    ret = 0;
out:
    atomicdir_release(&work);
    sbuf_release(&wpath);
    return ret;
}

int
xlsx_write_attachment(const char *path, const struct rollup *r,
                      const struct refdata *rd, const struct xlsx_opts *o,
                      struct diag *err)
{
    struct atomicfile af = ATOMICFILE_INIT;
    int64_t created;

    /* the date first: a usage error touches no file */
    if (o == NULL)
        return diag_set(err, DIAG_USAGE, _("as-of date is missing"));
    if (xlsx_date_epoch(o->as_of, &created, err) < 0)
        return -1;
    int rc = atomicfile_open(&af, path, err);
    if (rc == 0)
        rc = xlsx_write_attachment_to(&af, r, rd, o, err);
    if (rc == 0)
        rc = atomicfile_commit(&af, err);
    atomicfile_release(&af);
    return rc;
}
