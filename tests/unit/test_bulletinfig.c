/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_bulletinfig.c - the figure placeholders of a bulletin
 * template (report/bulletinfig.h) rendered through bulletin_render(): the
 * selectors, roll-up of coarse values, single month, change, yoy, ranks,
 * the display modifiers, figures.csv, and the errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "aggregate/rollup.h"
#include "common/diag.h"
#include "common/sbuf.h"
#include "common/xalloc.h"
#include "ingest/codes.h"
#include "ingest/policy.h"
#include "ingest/refdata.h"
#include "report/bulletin.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct fixture {
    struct refdata *rd;
    struct policy pol;
    struct rollup r;
    struct sbuf figures;
};

static void
set(struct measures *m, int64_t pt, int64_t fen)
{
    m->person_times = pt;
    m->amount_fen = fen;
}

/* Add (pt, fen) to region g in channel ch, scope sc, use u. */
static void
add(struct rollup_region *g, int ch, int sc, int u, int64_t pt, int64_t fen)
{
    struct measures *ms[] = {
        &g->total,          &g->scope[sc],          &g->use[u],
        &g->chan[ch].total, &g->chan[ch].scope[sc], &g->chan[ch].use[u]};
    for (size_t i = 0; i < ARRAY_SIZE(ms); i++) {
        ms[i]->person_times += pt;
        ms[i]->amount_fen += fen;
    }
}

/*
 * 2025-02: the nation holds 浙江 and 江苏 (the provinces' figures are the
 * nation's), and a wallet with 省内 split and unsplit.
 */
static int
setup(void **state)
{
    struct fixture *f = xcalloc(1, sizeof(*f));
    struct diag err;
    const char *dir = getenv("GONGJI_DATA");

    diag_clear(&err);
    f->rd = refdata_load(dir, &err);
    if (f->rd == NULL || policy_load(&f->pol, dir, &err) < 0)
        fail_msg("reference data: %s", err.msg);
    struct rollup *r = &f->r;
    r->period = (struct period){2025, 2};
    r->nprovinces = refdata_province_count(f->rd);
    r->provinces = xcalloc(r->nprovinces, sizeof(*r->provinces));
    for (size_t i = 0; i < r->nprovinces; i++)
        r->provinces[i].code = r->provinces[i].province =
            refdata_province_at(f->rd, i)->code;
    size_t izj = 0, ijs = 0;
    for (size_t i = 0; i < r->nprovinces; i++) {
        if (r->provinces[i].code == 330000)
            izj = i;
        if (r->provinces[i].code == 320000)
            ijs = i;
    }
    assert_int_equal(r->provinces[izj].code, 330000);
    assert_int_equal(r->provinces[ijs].code, 320000);
    struct rollup_region *zj = &r->provinces[izj], *js = &r->provinces[ijs];
    /* 浙江: more amount, 江苏: more person-times */
    add(zj, CHANNEL_ACCOUNT, SCOPE_SAME_AREA, USE_MEDICAL, 30000000,
        600000000000);
    add(zj, CHANNEL_ACCOUNT, SCOPE_CROSS_AREA, USE_PREMIUM, 5000, 83000000);
    add(js, CHANNEL_ACCOUNT, SCOPE_SAME_AREA, USE_PHARMACY, 30500000,
        200000000000);
    add(js, CHANNEL_ACCOUNT, SCOPE_SAME_AREA, USE_PREMIUM, 1000, 950000000);
    add(zj, CHANNEL_WALLET, SCOPE_IN_PROVINCE, USE_MEDICAL_PHARMACY, 6000,
        30000000);
    add(zj, CHANNEL_WALLET, SCOPE_SAME_AREA, USE_MEDICAL, 592, 2241000);
    add(js, CHANNEL_WALLET, SCOPE_CROSS_PROVINCE, USE_PREMIUM, 1103, 850600);
    /* the nation = the two provinces */
    r->nation.total = zj->total;
    r->nation.total.person_times += js->total.person_times;
    r->nation.total.amount_fen += js->total.amount_fen;
    for (int k = 0; k < CODES_MAX; k++) {
        r->nation.scope[k] = zj->scope[k];
        r->nation.scope[k].person_times += js->scope[k].person_times;
        r->nation.scope[k].amount_fen += js->scope[k].amount_fen;
        r->nation.use[k] = zj->use[k];
        r->nation.use[k].person_times += js->use[k].person_times;
        r->nation.use[k].amount_fen += js->use[k].amount_fen;
    }
    for (int ch = 0; ch < CODES_MAX; ch++) {
        struct rollup_figs *n = &r->nation.chan[ch];
        const struct rollup_figs *a = &zj->chan[ch], *b = &js->chan[ch];
        set(&n->total, a->total.person_times + b->total.person_times,
            a->total.amount_fen + b->total.amount_fen);
        for (int k = 0; k < CODES_MAX; k++) {
            set(&n->scope[k],
                a->scope[k].person_times + b->scope[k].person_times,
                a->scope[k].amount_fen + b->scope[k].amount_fen);
            set(&n->use[k], a->use[k].person_times + b->use[k].person_times,
                a->use[k].amount_fen + b->use[k].amount_fen);
        }
    }
    /* January: the account's total was 50,000,000 / 5,000,000,000 yuan */
    r->has_prev = true;
    set(&r->prev.chan[CHANNEL_ACCOUNT].total, 50000000, 500000000000);
    set(&r->prev.total, 50000000, 500000000000);
    /* the month alone: the wallet's 9679笔 */
    set(&r->month.chan[CHANNEL_WALLET].total, 9679, 7242200000);
    r->has_last_year = true;
    set(&r->last_year.total, 48000000, 600000000000);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;
    free(f->r.provinces);
    policy_release(&f->pol);
    refdata_free(f->rd);
    sbuf_release(&f->figures);
    free(f);
    return 0;
}

/* Render tmpl; the text, or NULL with *err set. */
static char *
render(struct fixture *f, const char *tmpl, struct diag *err)
{
    struct bulletin_input in = {&f->r,       f->rd, &f->pol, 20250319,
                                &f->figures, NULL,  NULL,    NULL};
    struct sbuf out = SBUF_INIT;
    diag_clear(err);
    sbuf_reset(&f->figures);
    if (bulletin_render(tmpl, strlen(tmpl), "t.tmpl", &in, &out, err) < 0) {
        sbuf_release(&out);
        return NULL;
    }
    return sbuf_detach(&out, NULL);
}

static void
test_figures(void **state)
{
    struct fixture *f = *state;
    static const struct {
        const char *tmpl, *want;
    } cases[] = {
        /* all channels add 人次 and 笔: 60,506,000 + 7,695 */
        {"{all.count}", "6051.37万人次"},
        {"{all.count|nolabel|trim}", "6051.37万"},
        {"{acct.count}", "6050.60万人次"},
        {"{account.count}", "6050.60万人次"},
        {"{wallet.count}", "7695笔"},
        {"{wallet.amount|wan}", "33.09万元"},
        /* 省内 = unsplit 省内 + same_area: 6000 + 592 */
        {"{wallet.scope.in_province.count}", "6592笔"},
        {"{wallet.scope.same_area.count}", "592笔"},
        {"{wallet.scope.cross_province.amount|trim}", "8506元"},
        /* 就医购药 = medical + pharmacy + unsplit */
        {"{wallet.use.medical_pharmacy.amount}", "32.24万元"},
        {"{acct.use.medical_pharmacy.amount}", "80.00亿元"},
        {"{acct.use.premium.amount|yi}", "0.10亿元"},
        {"{acct.use.ltc_premium.amount}", "0.00元"},
        {"{all.scope.in_province.count}", "6051.26万人次"},
        {"{month.wallet.count}", "9679笔"},
        {"{month.acct.count}", "0人次"},
        {"{prev.acct.count}", "5000.00万人次"},
        {"{change.acct.count}", "增长1050.60万人次"},
        {"{change.acct.amount|trim}", "增长30.1亿元"},
        {"{yoy.all.count}", "26.1%"},
        {"{yoy.all.amount|word}", "增长33.5%"},
        {"{yoy.all.amount|signed|d2}", "+33.51%"},
        {"{rank1.acct.count.name}", "江苏"},
        {"{rank1.acct.count}", "3050.10万人次"},
        {"{rank1.acct.amount.name}", "浙江"},
        {"{rank2.acct.amount}", "20.10亿元"},
        {"{rank3.acct.amount.name}", "—"},
        {"{top5.acct.amount}", "浙江、江苏"},
        {"{top5.acct.use.premium.amount.values}",
         "江苏950.00万元、浙江83.00万元"},
        /* one unit for the list, the largest's: 江苏's 8506元 in 万 */
        {"{top5.wallet.amount.values}", "浙江32.24万元、江苏0.85万元"},
        {"{top5.wallet.amount.values|base}", "浙江322410.00元、江苏8506.00元"},
        {"{top5.wallet.count.values}", "浙江6592笔、江苏1103笔"},
        {"{top5.acct.use.ltc_premium.amount}", "（无数据）"},
        {"{months}|{months_zh}|{month_label}|{prev_label}|{region}|{where}|"
         "{sub}|{year}|{last_year}",
         "1-2月|1至2月|2025年2月|1月|全国|全国|省份|2025|2024"},
        {"a|b {{literal}}", "a|b {literal}"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct diag err;
        char *got = render(f, cases[i].tmpl, &err);
        if (got == NULL)
            fail_msg("%s: %s", cases[i].tmpl, err.msg);
        if (strcmp(got, cases[i].want) != 0)
            fail_msg("%s: got '%s', want '%s'", cases[i].tmpl, got,
                     cases[i].want);
        free(got);
    }
}

/* January has no earlier cumulative period: a change is "—". */
static void
test_change_in_january(void **state)
{
    struct fixture *f = *state;
    struct diag err;
    f->r.has_prev = false;
    f->r.period.month = 1;
    char *got = render(f, "{change.acct.count}/{prev.acct.count}", &err);
    assert_non_null(got);
    assert_string_equal(got, "—/0人次");
    free(got);
    f->r.has_prev = true;
    f->r.period.month = 2;
}

/* figures.csv: every figure once, exact, in order of first use. */
static void
test_figures_csv(void **state)
{
    struct fixture *f = *state;
    struct diag err;
    char *got = render(f,
                       "{acct.amount|trim} {wallet.count} {acct.amount} "
                       "{change.acct.count} {rank1.acct.amount} "
                       "{yoy.all.count} {rank1.acct.amount.name}",
                       &err);
    assert_non_null(got);
    free(got);
    assert_string_equal(f->figures.buf, "acct.amount,8010330000.00\n"
                                        "wallet.count,7695\n"
                                        "change.acct.count,10506000\n"
                                        "rank1.acct.amount,6000830000.00\n");
}

/* Unknown names and bad modifiers are errors at their line and column. */
static void
test_errors(void **state)
{
    struct fixture *f = *state;
    static const struct {
        const char *tmpl;
        unsigned long col;
        const char *msg;
    } cases[] = {
        {"x {acct.bogus}", 3, "acct.bogus"},
        {"{acct.count.more}", 1, "acct.count.more"},
        {"{wallet.scope.nosuch.count}", 1, "nosuch"},
        {"{wallet.scope.medical.count}", 1, "medical"},
        {"{card.count}", 1, "card"},
        {"{acct.count|yi|wan}", 16, "wan"},
        {"{acct.count|signed}", 13, "signed"},
        {"{yoy.all.count|yi}", 16, "yi"},
        {"{period|trim}", 9, "trim"},
        {"{top5.acct.count|trim}", 18, "trim"},
        {"{rank1.acct.count.name|yi}", 24, "yi"},
        {"{rank6.acct.count}", 1, "rank6"},
        {"{Acct.count}", 1, "Acct"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct diag err;
        char *got = render(f, cases[i].tmpl, &err);
        if (got != NULL)
            fail_msg("%s: rendered '%s'", cases[i].tmpl, got);
        assert_int_equal(err.code, DIAG_CONFIG);
        assert_int_equal(err.line, 1);
        if (err.col != cases[i].col || strstr(err.msg, cases[i].msg) == NULL)
            fail_msg("%s: %lu: %s (want col %lu, '%s')", cases[i].tmpl, err.col,
                     err.msg, cases[i].col, cases[i].msg);
    }
}

/* A provincial rollup ranks its areas and says 全省 / 统筹区. */
static void
test_province_words(void **state)
{
    struct fixture *f = *state;
    struct diag err;
    struct rollup_region areas[2];
    memset(areas, 0, sizeof(areas));
    areas[0].code = 140100; /* 太原市 */
    areas[1].code = 140200; /* 大同市 */
    set(&areas[0].chan[CHANNEL_ACCOUNT].total, 100, 1000);
    set(&areas[1].chan[CHANNEL_ACCOUNT].total, 200, 500);
    f->r.province = 140000;
    f->r.areas = areas;
    f->r.nareas = 2;
    char *got = render(f,
                       "{region}|{where}|{where_lead}|{sub}|"
                       "{top5.acct.count}|{rank1.acct.amount.name}",
                       &err);
    f->r.province = 0;
    f->r.areas = NULL;
    f->r.nareas = 0;
    if (got == NULL)
        fail_msg("%s", err.msg);
    assert_string_equal(got, "山西省|全省|全省|统筹区|大同市、太原市|太原市");
    free(got);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_figures),
        cmocka_unit_test(test_change_in_january),
        cmocka_unit_test(test_figures_csv),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_province_words),
    };
    return cmocka_run_group_tests_name("bulletinfig", tests, setup, teardown);
}
