#include "ingest/schema.h"

#include <string.h>

#include "common/diag.h"
#include "common/utf8.h"
#include "ingest/csvread.h"

struct column_def {
    const char *english;
    const char *chinese[3];
    int required;
};

static const struct column_def columns[COL_N] = {
    [COL_PERIOD] = {"period", {"统计期", "月份", "统计月份"}, 1},
    [COL_AREA] = {"area", {"统筹区编码", "医保区划", "医保区划代码"}, 1},
    [COL_AREA_NAME] = {"area_name", {"统筹区名称", "医保区划名称", NULL}, 0},
    [COL_SCOPE] = {"scope", {"共济范围", NULL, NULL}, 1},
    [COL_USE] = {"use", {"共济用途", NULL, NULL}, 1},
    [COL_RELATION] = {"relation", {"共济关系", NULL, NULL}, 0},
    [COL_PERSON_TIMES] = {"person_times", {"共济人次", NULL, NULL}, 1},
    [COL_AMOUNT] = {"amount", {"共济金额", NULL, NULL}, 1},
};

/* Headers that only a per-settlement detail file has (DESIGN §3b). */
static const char *const detail_headers[] = {
    "settlement_id", "settle_time", "payer_area", "beneficiary_area",
    "结算编号",      "结算时间",    NULL,
};

const char *
schema_column_name(enum column c)
{
    if ((unsigned)c >= COL_N)
        BUG("bad column %d", (int)c);
    return columns[c].english;
}

static int
ascii_ieq(const char *a, size_t alen, const char *b)
{
    size_t blen = strlen(b);
    if (alen != blen)
        return 0;
    for (size_t i = 0; i < alen; i++) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (x != y)
            return 0;
    }
    return 1;
}

/*
 * Trim spaces and a unit suffix: "共济金额(元)", "共济金额（元）",
 * "amount (yuan)" all become the bare name.
 */
static void
normalise(const char **s, size_t *len)
{
    static const char *const suffixes[] = {"(元)", "（元）", "(yuan)", "(万元)",
                                           NULL};
    utf8_trim_blanks(s, len);
    const char *p = *s;
    size_t n = *len;

    for (int i = 0; suffixes[i] != NULL; i++) {
        size_t sl = strlen(suffixes[i]);
        if (n > sl && memcmp(p + n - sl, suffixes[i], sl) == 0) {
            n -= sl;
            while (n > 0 && p[n - 1] == ' ')
                n--;
            break;
        }
    }
    *s = p;
    *len = n;
}

static int
lookup(const char *s, size_t len)
{
    for (int c = 0; c < COL_N; c++) {
        if (ascii_ieq(s, len, columns[c].english))
            return c;
        for (int k = 0; k < 3 && columns[c].chinese[k] != NULL; k++)
            if (strlen(columns[c].chinese[k]) == len &&
                memcmp(columns[c].chinese[k], s, len) == 0)
                return c;
    }
    return -1;
}

static int
is_detail_header(const char *s, size_t len)
{
    for (int i = 0; detail_headers[i] != NULL; i++)
        if (ascii_ieq(s, len, detail_headers[i]) ||
            (strlen(detail_headers[i]) == len &&
             memcmp(detail_headers[i], s, len) == 0))
            return 1;
    return 0;
}

int
schema_map(struct schema *sc, const struct csvread_row *hdr, const char *file,
           struct diag_list *dl)
{
    char q[96];
    int rc = 0;

    sc->kind = FILE_SUMMARY;
    sc->nfields = hdr->nfields;
    for (int c = 0; c < COL_N; c++)
        sc->idx[c] = -1;

    for (size_t i = 0; i < hdr->nfields; i++) {
        const char *s = hdr->fields[i].s;
        size_t len = hdr->fields[i].len;
        unsigned long col = (unsigned long)i + 1;

        normalise(&s, &len);
        if (is_detail_header(s, len))
            sc->kind = FILE_DETAIL;
        int c = lookup(s, len);
        if (c < 0) {
            if (len == 0)
                rc |=
                    diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, file, hdr->line,
                                   col, "header field %lu is empty", col);
            else
                diag_list_addf(dl, DIAG_WARNING, DIAG_FORMAT, file, hdr->line,
                               col, "column %s is not one gongji uses; ignored",
                               diag_quote(q, sizeof(q), s, len));
            continue;
        }
        if (sc->idx[c] >= 0) {
            rc |= diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, file, hdr->line,
                                 col,
                                 "column %s appears twice (also field %d): "
                                 "which one holds %s is ambiguous",
                                 diag_quote(q, sizeof(q), s, len),
                                 sc->idx[c] + 1, columns[c].english);
            continue;
        }
        sc->idx[c] = (int)i;
    }
    if (sc->kind == FILE_DETAIL)
        return diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, file, hdr->line, 0,
                              "this is a per-settlement detail file "
                              "(settlement_id, settle_time, ...); this version "
                              "of gongji ingests monthly summary files only");
    for (int c = 0; c < COL_N; c++) {
        if (columns[c].required && sc->idx[c] < 0)
            rc |=
                diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, file, hdr->line, 0,
                               "required column %s (%s) is missing from the "
                               "header",
                               columns[c].english, columns[c].chinese[0]);
    }
    return rc ? -1 : 0;
}
