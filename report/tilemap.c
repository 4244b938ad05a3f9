/* SPDX-License-Identifier: MIT */
#include "report/tilemap.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"

/*
 * The grid (columns 0-7, rows 0-7):
 *
 *        0     1     2     3     4     5     6     7
 *   0                                               黑龙江
 *   1                         内蒙古 北京  辽宁  吉林
 *   2  兵团  新疆        宁夏  山西  河北  天津
 *   3        青海  甘肃  陕西  河南  山东
 *   4        西藏  四川  重庆  湖北  安徽  江苏  上海
 *   5              云南  贵州  湖南  江西  浙江
 *   6                    广西  广东  福建
 *   7                          海南
 *
 * The empty corner at the bottom left holds the legend.
 */
static const struct tile tiles[] = {
    {110000, 5, 1}, /* 北京 */
    {120000, 6, 2}, /* 天津 */
    {130000, 5, 2}, /* 河北 */
    {140000, 4, 2}, /* 山西 */
    {150000, 4, 1}, /* 内蒙古 */
    {210000, 6, 1}, /* 辽宁 */
    {220000, 7, 1}, /* 吉林 */
    {230000, 7, 0}, /* 黑龙江 */
    {310000, 7, 4}, /* 上海 */
    {320000, 6, 4}, /* 江苏 */
    {330000, 6, 5}, /* 浙江 */
    {340000, 5, 4}, /* 安徽 */
    {350000, 5, 6}, /* 福建 */
    {360000, 5, 5}, /* 江西 */
    {370000, 5, 3}, /* 山东 */
    {410000, 4, 3}, /* 河南 */
    {420000, 4, 4}, /* 湖北 */
    {430000, 4, 5}, /* 湖南 */
    {440000, 4, 6}, /* 广东 */
    {450000, 3, 6}, /* 广西 */
    {460000, 4, 7}, /* 海南 */
    {500000, 3, 4}, /* 重庆 */
    {510000, 2, 4}, /* 四川 */
    {520000, 3, 5}, /* 贵州 */
    {530000, 2, 5}, /* 云南 */
    {540000, 1, 4}, /* 西藏 */
    {610000, 3, 3}, /* 陕西 */
    {620000, 2, 3}, /* 甘肃 */
    {630000, 1, 3}, /* 青海 */
    {640000, 3, 2}, /* 宁夏 */
    {650000, 1, 2}, /* 新疆 */
    {660000, 0, 2}, /* 新疆生产建设兵团 */
};

size_t
tilemap_count(void)
{
    return sizeof(tiles) / sizeof(tiles[0]);
}

const struct tile *
tilemap_at(size_t i)
{
    return i < tilemap_count() ? &tiles[i] : NULL;
}

const struct tile *
tilemap_find(int code)
{
    for (size_t i = 0; i < tilemap_count(); i++)
        if (tiles[i].code == code)
            return &tiles[i];
    return NULL;
}

/*** Shading ***/

static int
cmp_i64(const void *pa, const void *pb)
{
    int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
    return a < b ? -1 : a > b;
}

/* x rounded half up to two significant digits, in multiples of unit. */
static int64_t
round2(int64_t x, int64_t unit)
{
    int64_t p = unit;
    if (x <= 0)
        return 0;
    while (x / p >= 100 && p <= INT64_MAX / 10)
        p *= 10;
    int64_t q = x / p, r = x % p;
    if (r >= p - r)
        q++;
    return q * p;
}

/* The smallest round step (1, 2, 2.5, 5 x 10^k, k >= 2) >= need. */
static int64_t
round_step(int64_t need)
{
    for (int64_t p = 100; p <= INT64_MAX / 10; p *= 10) {
        if (p >= need)
            return p;
        if (2 * p >= need)
            return 2 * p;
        if (p >= 1000 && p / 2 * 5 >= need)
            return p / 2 * 5; /* no 2.5 of a whole unit */
        if (5 * p >= need)
            return 5 * p;
    }
    return INT64_MAX / 10;
}

void
tilemap_breaks(const int64_t *v, size_t n, int64_t unit,
               int64_t breaks[TILEMAP_CLASSES - 1])
{
    int64_t *s = xcalloc(n != 0 ? n : 1, sizeof(*s));
    int64_t max = 0;
    bool ok = n >= TILEMAP_CLASSES;

    if (n > 0)
        memcpy(s, v, n * sizeof(*s));
    qsort(s, n, sizeof(*s), cmp_i64);
    if (n > 0 && s[n - 1] > 0)
        max = s[n - 1];
    for (size_t i = 1; ok && i < TILEMAP_CLASSES; i++) {
        breaks[i - 1] = round2(s[n * i / TILEMAP_CLASSES], unit > 0 ? unit : 1);
        if (breaks[i - 1] <= (i > 1 ? breaks[i - 2] : 0))
            ok = false;
    }
    if (!ok) {
        /* classes are [lo, hi): the largest value must be below the top */
        int64_t step = round_step(max / TILEMAP_CLASSES + 1);
        for (int64_t i = 1; i < TILEMAP_CLASSES; i++)
            breaks[i - 1] = step * i;
    }
    free(s);
}

int
tilemap_class(int64_t x, const int64_t breaks[TILEMAP_CLASSES - 1])
{
    int c = 0;
    while (c < TILEMAP_CLASSES - 1 && x >= breaks[c])
        c++;
    return c;
}
