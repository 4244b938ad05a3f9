/* SPDX-License-Identifier: MIT */
#include "report/numfmt.h"

#include <inttypes.h>
#include <stdio.h>

#include "common/money.h"

#define WAN INT64_C(10000)
#define YI  INT64_C(100000000)

static uint64_t
mag(int64_t v)
{
    return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

enum unit
numfmt_pt_unit(int64_t pt)
{
    uint64_t m = mag(pt);
    return m >= (uint64_t)YI    ? UNIT_YI
           : m >= (uint64_t)WAN ? UNIT_WAN
                                : UNIT_ONE;
}

enum unit
numfmt_amount_unit(int64_t fen)
{
    uint64_t m = mag(fen);
    return m >= (uint64_t)YI * 100    ? UNIT_YI
           : m >= (uint64_t)WAN * 100 ? UNIT_WAN
                                      : UNIT_ONE;
}

int64_t
numfmt_pt_hundredths(int64_t pt, enum unit u)
{
    switch (u) {
    case UNIT_YI:
        return fx_round_div(pt, YI / 100);
    case UNIT_WAN:
        return fx_round_div(pt, WAN / 100);
    case UNIT_ONE:
        break;
    }
    return pt * 100;
}

int64_t
numfmt_amount_hundredths(int64_t fen, enum unit u)
{
    switch (u) {
    case UNIT_YI:
        return fx_round_div(fen, YI);
    case UNIT_WAN:
        return fx_round_div(fen, WAN);
    case UNIT_ONE:
        break;
    }
    return fen;
}

int
numfmt_hundredths(char *buf, size_t len, int64_t h)
{
    uint64_t m = mag(h);
    return snprintf(buf, len, "%s%" PRIu64 ".%02" PRIu64, h < 0 ? "-" : "",
                    m / 100, m % 100);
}

int
numfmt_pt(char *buf, size_t len, int64_t pt, enum unit u)
{
    if (u == UNIT_ONE)
        return snprintf(buf, len, "%" PRId64, pt);
    return numfmt_hundredths(buf, len, numfmt_pt_hundredths(pt, u));
}

int
numfmt_amount(char *buf, size_t len, int64_t fen, enum unit u)
{
    return numfmt_hundredths(buf, len, numfmt_amount_hundredths(fen, u));
}

const char *
numfmt_pt_suffix(enum unit u)
{
    return u == UNIT_YI ? "亿人次" : u == UNIT_WAN ? "万人次" : "人次";
}

const char *
numfmt_amount_suffix(enum unit u)
{
    return u == UNIT_YI ? "亿元" : u == UNIT_WAN ? "万元" : "元";
}

int
numfmt_pt_auto(char *buf, size_t len, int64_t pt)
{
    char num[32];
    enum unit u = numfmt_pt_unit(pt);
    numfmt_pt(num, sizeof(num), pt, u);
    return snprintf(buf, len, "%s%s", num, numfmt_pt_suffix(u));
}

int
numfmt_amount_auto(char *buf, size_t len, int64_t fen)
{
    char num[32];
    enum unit u = numfmt_amount_unit(fen);
    numfmt_amount(num, sizeof(num), fen, u);
    return snprintf(buf, len, "%s%s", num, numfmt_amount_suffix(u));
}
