/* SPDX-License-Identifier: MIT */
/* report/bulletinhtml: escaping, the shell's placeholders, the 附件 row,
 * a chart as a data: URI with its text alternative. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "aggregate/rollup.h"
#include "common/diag.h"
#include "common/sbuf.h"
#include "common/xalloc.h"
#include "ingest/codes.h"
#include "ingest/refdata.h"
#include "report/bulletinhtml.h"

struct fx {
    struct refdata *rd;
    struct rollup r;
};

static int
setup(void **state)
{
    const char *data = getenv("GONGJI_DATA");
    struct fx *fx = xcalloc(1, sizeof(*fx));
    struct diag err;

    diag_clear(&err);
    fx->rd = refdata_load(data != NULL && *data != '\0' ? data : "data", &err);
    if (fx->rd == NULL) {
        diag_print(stderr, &err);
        free(fx);
        return -1;
    }
    struct rollup *r = &fx->r;
    r->period.year = 2024;
    r->period.month = 9;
    r->codes = refdata_codes(fx->rd);
    r->nprovinces = refdata_province_count(fx->rd);
    r->provinces = xcalloc(r->nprovinces, sizeof(*r->provinces));
    for (size_t i = 0; i < r->nprovinces; i++) {
        const struct province *p = refdata_province_at(fx->rd, i);
        r->provinces[i].code = p->code;
        r->provinces[i].province = p->code;
        if (p->code == 330000) {
            /* 1234.57万人次 (rounded up), 12.35亿元 (rounded up) */
            struct rollup_region *g = &r->provinces[i];
            g->total.person_times = 12345678;
            g->total.amount_fen = 123456789012;
            g->scope[SCOPE_SAME_AREA] = g->total;
            g->use[USE_MEDICAL] = g->total;
            r->nation = *g;
            r->nation.code = 0;
            r->nation.province = 0;
        }
    }
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *fx = *state;
    free(fx->r.provinces);
    refdata_free(fx->rd);
    free(fx);
    return 0;
}

static int
render(struct fx *fx, const char *shell, const char *css, const char *md,
       const struct bulletinhtml_chart *charts, size_t n, struct sbuf *out,
       struct diag *err)
{
    struct bulletinhtml_input in = {
        shell, strlen(shell), "shell.tmpl", css,    strlen(css),  "s.css",
        md,    strlen(md),    &fx->r,       fx->rd, "2024-10-20", charts,
        n};
    diag_clear(err);
    return bulletinhtml_render(&in, out, err);
}

static void
test_escape(void **state)
{
    struct sbuf sb = SBUF_INIT;
    (void)state;
    const char *s = "<a href=\"x\">'&'</a>北京";
    bulletinhtml_escape(&sb, s, strlen(s));
    assert_string_equal(sb.buf, "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;"
                                "&lt;/a&gt;北京");
    sbuf_release(&sb);
}

static void
test_page(void **state)
{
    struct fx *fx = *state;
    struct sbuf out = SBUF_INIT;
    struct diag err;

    int rc =
        render(fx, "<title>{{title}}</title><style>{{style}}</style>{{body}}",
               "p{}", "# 标题 \\*x\\*\n\n正文<script>alert(1)</script>\n", NULL,
               0, &out, &err);
    assert_int_equal(rc, 0);
    assert_non_null(
        strstr(out.buf, "<title>标题 *x*</title><style>p{}</style>"));
    assert_null(strstr(out.buf, "<script"));
    assert_non_null(strstr(out.buf, "&lt;script&gt;"));
    assert_non_null(strstr(out.buf,
                           "<tr class=\"total\"><th scope=\"row\">全国</th>"
                           "<td>1234.57</td><td>12.35</td>"));
    assert_non_null(strstr(out.buf, "<tr><th scope=\"row\">浙江</th>"
                                    "<td>1234.57</td><td>12.35</td>"
                                    "<td>1234.57</td><td>12.35</td>"
                                    "<td>0.00</td><td>0.00</td>"
                                    "<td>12.35</td><td>0.00</td>"));
    assert_non_null(
        strstr(out.buf, "<p class=\"units\">单位：万人次、亿元</p>"));
    assert_non_null(strstr(out.buf, "截至2024-10-20。"));
    assert_null(strstr(out.buf, "<img"));
    sbuf_release(&out);
}

static void
test_chart(void **state)
{
    struct fx *fx = *state;
    struct sbuf out = SBUF_INIT;
    struct diag err;
    static const char svg[] = "<svg width=\"453pt\" height=\"396pt\">abc</svg>";
    struct bulletinhtml_chart c = {"use", CHART_USE, CHART_AMOUNT, svg,
                                   sizeof(svg) - 1};

    int rc = render(fx, "{{body}}", "",
                    "# t\n\n## 五、共济用途\n\n用途段落。\n\n后一段。\n", &c, 1,
                    &out, &err);
    assert_int_equal(rc, 0);
    /* base64 of the SVG, and its size in CSS px (pt * 4/3) */
    assert_non_null(strstr(
        out.buf,
        "src=\"data:image/svg+xml;base64,"
        "PHN2ZyB3aWR0aD0iNDUzcHQiIGhlaWdodD0iMzk2cHQiPmFiYzwvc3ZnPg==\""));
    assert_non_null(strstr(out.buf, " width=\"604\" height=\"528\""));
    assert_non_null(strstr(
        out.buf,
        "alt=\"图1：职工医保个人账户共济金额（按共济用途）（2024年1-9月）\""));
    assert_non_null(strstr(out.buf, "<figcaption>图1　"));
    /* after the section's first paragraph */
    const char *p1 = strstr(out.buf, "用途段落。"),
               *f = strstr(out.buf, "<figure");
    const char *p2 = strstr(out.buf, "后一段。");
    assert_true(p1 != NULL && f != NULL && p2 != NULL && p1 < f && f < p2);
    /* the values: 12.35亿元 in the row of 定点医疗机构 */
    assert_non_null(strstr(out.buf, "</th><td>12.35亿元</td></tr>"));
    sbuf_release(&out);
}

static void
test_shell_errors(void **state)
{
    struct fx *fx = *state;
    struct sbuf out = SBUF_INIT;
    struct diag err;

    assert_int_equal(
        render(fx, "{{body}}{{bogus}}", "", "x\n", NULL, 0, &out, &err), -1);
    assert_int_equal(err.code, DIAG_CONFIG);
    assert_non_null(strstr(err.msg, "shell.tmpl"));
    assert_non_null(strstr(err.msg, "{{bogus}}"));
    sbuf_reset(&out);
    assert_int_equal(
        render(fx, "{{body}}{{body}}", "", "x\n", NULL, 0, &out, &err), -1);
    assert_non_null(strstr(err.msg, "twice"));
    sbuf_reset(&out);
    assert_int_equal(
        render(fx, "<p>no body</p>", "", "x\n", NULL, 0, &out, &err), -1);
    assert_non_null(strstr(err.msg, "{{body}}"));
    sbuf_reset(&out);
    assert_int_equal(render(fx, "{{body}}", "a{}</style><script>", "x\n", NULL,
                            0, &out, &err),
                     -1);
    assert_non_null(strstr(err.msg, "s.css"));
    sbuf_release(&out);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_page),
        cmocka_unit_test(test_chart),
        cmocka_unit_test(test_shell_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
