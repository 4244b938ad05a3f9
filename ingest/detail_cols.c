#include "ingest/detail_cols.h"

#include <string.h>

#include "common/diag.h"
#include "common/sbuf.h"
#include "common/utf8.h"
#include "ingest/detail.h"
#include "ingest/encoding.h"
#include "ingest/scan.h"

struct detail_col_def {
    const char *english;
    const char *chinese[3];
    bool required;
    bool detail_only; /* its presence marks a detail file */
};

static const struct detail_col_def cols[DETAIL_COL_N] = {
    [DETAIL_COL_SETTLEMENT_ID] = {"settlement_id",
                                  {"结算编号", "结算流水号", NULL},
                                  false,
                                  true},
    [DETAIL_COL_SETTLE_TIME] = {"settle_time",
                                {"结算时间", NULL, NULL},
                                true,
                                true},
    [DETAIL_COL_PAYER_AREA] = {"payer_area",
                               {"共济人统筹区", "共济人统筹区编码", NULL},
                               true,
                               true},
    [DETAIL_COL_BENEFICIARY_AREA] = {"beneficiary_area",
                                     {"被共济人统筹区", "被共济人统筹区编码",
                                      NULL},
                                     true,
                                     true},
    [DETAIL_COL_USE] = {"use", {"共济用途", NULL, NULL}, true, false},
    [DETAIL_COL_RELATION] = {"relation",
                             {"共济关系", NULL, NULL},
                             false,
                             false},
    [DETAIL_COL_AMOUNT] = {"amount", {"共济金额", NULL, NULL}, true, false},
    [DETAIL_COL_PAYER_ID] = {"payer_id",
                             {"共济人编号", "共济人身份证号", NULL},
                             false,
                             true},
    [DETAIL_COL_BENEFICIARY_ID] = {"beneficiary_id",
                                   {"被共济人编号", "被共济人身份证号", NULL},
                                   false,
                                   true},
};

static bool
ascii_ieq(const char *a, size_t alen, const char *b)
{
    if (alen != strlen(b))
        return false;
    for (size_t i = 0; i < alen; i++) {
        char x = a[i];
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (x != b[i])
            return false;
    }
    return true;
}

int
detail_cols_lookup(const char *s, size_t len)
{
    static const char *const suffixes[] = {"(元)", "（元）", "(yuan)", NULL};

    utf8_trim_blanks(&s, &len);
    for (int i = 0; suffixes[i] != NULL; i++) {
        size_t sl = strlen(suffixes[i]);
        if (len > sl && memcmp(s + len - sl, suffixes[i], sl) == 0) {
            len -= sl;
            utf8_trim_blanks(&s, &len);
            break;
        }
    }
    for (int c = 0; c < DETAIL_COL_N; c++) {
        if (ascii_ieq(s, len, cols[c].english))
            return c;
        for (int k = 0; k < 3 && cols[c].chinese[k] != NULL; k++)
            if (strlen(cols[c].chinese[k]) == len &&
                memcmp(cols[c].chinese[k], s, len) == 0)
                return c;
    }
    return -1;
}

const char *
detail_cols_name(enum detail_col c)
{
    return cols[c].english;
}

bool
detail_cols_personal(enum detail_col c)
{
    return c == DETAIL_COL_PAYER_ID || c == DETAIL_COL_BENEFICIARY_ID;
}

bool
detail_cols_first_record(struct sbuf *text, struct scan *sc)
{
    struct scan_error se;
    scan_init(sc, text->buf, text->len);
    return scan_next(sc, &se) == 1;
}

int
detail_cols_map(int idx[DETAIL_COL_N], const struct scan *hs, const char *path,
                unsigned long line, struct diag_list *dl)
{
    char q[96];
    int rc = 0;

    for (int c = 0; c < DETAIL_COL_N; c++)
        idx[c] = -1;
    for (size_t i = 0; i < hs->nfields; i++) {
        const char *s = hs->fields[i].s;
        size_t len = hs->fields[i].len;
        unsigned long col = (unsigned long)i + 1;
        int c = detail_cols_lookup(s, len);
        utf8_trim_blanks(&s, &len);
        if (c < 0) {
            if (len == 0)
                rc |= diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, path, line,
                                     col, "header field %lu is empty", col);
            else
                diag_list_addf(dl, DIAG_WARNING, DIAG_FORMAT, path, line, col,
                               "column %s is not one gongji uses; ignored",
                               diag_quote(q, sizeof(q), s, len));
            continue;
        }
        if (idx[c] >= 0) {
            rc |= diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, path, line, col,
                                 "column %s appears twice (also field %d): "
                                 "which one holds %s is ambiguous",
                                 diag_quote(q, sizeof(q), s, len), idx[c] + 1,
                                 cols[c].english);
            continue;
        }
        idx[c] = (int)i;
    }
    for (int c = 0; c < DETAIL_COL_N; c++)
        if (cols[c].required && idx[c] < 0)
            rc |= diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, path, line, 0,
                                 "required column %s (%s) is missing from the "
                                 "detail header",
                                 cols[c].english, cols[c].chinese[0]);
    return rc ? -1 : 0;
}

bool
detail_sniff(const char *buf, size_t len)
{
    struct sbuf text = SBUF_INIT;
    struct scan sc;
    struct diag err;
    enum encoding enc;
    int bom;
    bool found = false;

    const char *nl = memchr(buf, '\n', len);
    size_t n = nl != NULL ? (size_t)(nl - buf) : len;
    if (encoding_to_utf8(buf, n, ENC_AUTO, NULL, &text, &enc, &bom, &err) < 0) {
        sbuf_release(&text);
        return false;
    }
    if (detail_cols_first_record(&text, &sc)) {
        for (size_t i = 0; i < sc.nfields && !found; i++) {
            int c = detail_cols_lookup(sc.fields[i].s, sc.fields[i].len);
            found = c >= 0 && cols[c].detail_only;
        }
    }
    scan_release(&sc);
    sbuf_release(&text);
    return found;
}
