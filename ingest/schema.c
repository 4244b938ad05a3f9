#include "ingest/schema.h"

#include <string.h>

#include "common/diag.h"
#include "common/utf8.h"
#include "ingest/vocab.h"

/* Where a column is used: the bits are 1 << enum file_kind. */
#define IN_SUMMARY (1u << FILE_SUMMARY)
#define IN_DETAIL  (1u << FILE_DETAIL)

struct column_def {
    const char *english;
    unsigned used;     /* IN_SUMMARY | IN_DETAIL */
    unsigned required; /* the kinds that need it */
    bool has_unit;     /* its header may carry a unit suffix */
    enum unit_measure measure;
};

static const struct column_def columns[COL_N] = {
    [COL_PERIOD] = {"period", IN_SUMMARY, IN_SUMMARY, false, UNIT_COUNT},
    [COL_AREA] = {"area", IN_SUMMARY, IN_SUMMARY, false, UNIT_COUNT},
    [COL_AREA_NAME] = {"area_name", IN_SUMMARY, 0, false, UNIT_COUNT},
    [COL_SCOPE] = {"scope", IN_SUMMARY, IN_SUMMARY, false, UNIT_COUNT},
    [COL_USE] = {"use", IN_SUMMARY | IN_DETAIL, IN_SUMMARY | IN_DETAIL, false,
                 UNIT_COUNT},
    [COL_RELATION] = {"relation", IN_SUMMARY | IN_DETAIL, 0, false, UNIT_COUNT},
    [COL_PERSON_TIMES] = {"person_times", IN_SUMMARY, IN_SUMMARY, true,
                          UNIT_COUNT},
    [COL_AMOUNT] = {"amount", IN_SUMMARY | IN_DETAIL, IN_SUMMARY | IN_DETAIL,
                    true, UNIT_AMOUNT},
    [COL_SETTLEMENT_ID] = {"settlement_id", IN_DETAIL, 0, false, UNIT_COUNT},
    [COL_SETTLE_TIME] = {"settle_time", IN_DETAIL, IN_DETAIL, false,
                         UNIT_COUNT},
    [COL_PAYER_AREA] = {"payer_area", IN_DETAIL, IN_DETAIL, false, UNIT_COUNT},
    [COL_BENEFICIARY_AREA] = {"beneficiary_area", IN_DETAIL, IN_DETAIL, false,
                              UNIT_COUNT},
    [COL_PAYER_ID] = {"payer_id", IN_DETAIL, 0, false, UNIT_COUNT},
    [COL_BENEFICIARY_ID] = {"beneficiary_id", IN_DETAIL, 0, false, UNIT_COUNT},
};

/*
 * The order in which missing required columns are reported: the order the
 * columns take in a well-formed file of that kind.
 */
static const enum column detail_order[] = {
    COL_SETTLEMENT_ID,    COL_SETTLE_TIME, COL_PAYER_AREA,
    COL_BENEFICIARY_AREA, COL_USE,         COL_RELATION,
    COL_AMOUNT,           COL_PAYER_ID,    COL_BENEFICIARY_ID,
};

const char *
schema_column_name(enum column c)
{
    if ((unsigned)c >= COL_N)
        BUG("bad column %d", (int)c);
    return columns[c].english;
}

bool
schema_column_used(enum column c, enum file_kind kind)
{
    if ((unsigned)c >= COL_N)
        BUG("bad column %d", (int)c);
    return (columns[c].used & (1u << kind)) != 0;
}

/*
 * Split a unit suffix off s[0..len): "共济金额(元)", "共济金额（万元）" and
 * "amount (yuan)" leave the bare name in *len and the unit's name in
 * *u, *ulen.  Returns false (nothing changed) when s does not end in a
 * bracketed part.
 */
static bool
split_suffix(const char *s, size_t *len, const char **u, size_t *ulen)
{
    static const struct {
        const char *open, *close;
    } brackets[] = {{"(", ")"}, {"（", "）"}};
    size_t n = *len;

    for (size_t b = 0; b < sizeof(brackets) / sizeof(brackets[0]); b++) {
        size_t cl = strlen(brackets[b].close), ol = strlen(brackets[b].open);
        if (n <= cl || memcmp(s + n - cl, brackets[b].close, cl) != 0)
            continue;
        for (size_t i = n - cl; i-- > 0;) {
            if (i + ol <= n - cl && memcmp(s + i, brackets[b].open, ol) == 0) {
                if (i == 0)
                    return false; /* "(元)" alone is not a name */
                *u = s + i + ol;
                *ulen = n - cl - i - ol;
                utf8_trim_blanks(u, ulen);
                *len = i;
                return true;
            }
        }
    }
    return false;
}

int
schema_lookup(const struct vocab *v, const char *s, size_t len,
              const struct unit **unit)
{
    const char *u;
    size_t ulen;

    if (unit != NULL)
        *unit = NULL;
    utf8_trim_blanks(&s, &len);
    int c = vocab_column(v, s, len);
    if (c >= 0 || !split_suffix(s, &len, &u, &ulen))
        return c;
    utf8_trim_blanks(&s, &len);
    c = vocab_column(v, s, len);
    if (c >= 0 && unit != NULL)
        *unit = vocab_unit(v, u, ulen);
    /* a bracketed part that is no unit belongs to the name: not ours */
    if (c >= 0 && vocab_unit(v, u, ulen) == NULL)
        return -1;
    return c;
}

bool
schema_is_detail(const struct vocab *v, const struct schema_cell *hdr, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int c = schema_lookup(v, hdr[i].s, hdr[i].len, NULL);
        if (c >= 0 && columns[c].used == IN_DETAIL)
            return true;
    }
    return false;
}

/* The header's name for column c in messages: "person_times (共济人次)". */
static const char *
alias_of(const struct vocab *v, int c)
{
    const char *a = vocab_column_alias(v, c);
    return a != NULL ? a : columns[c].english;
}

/* A header field that names column c with unit u: 0, or -1 (reported). */
static int
check_unit(const struct schema_cell *f, int c, const struct unit *u,
           const char *file, unsigned long line, unsigned long col,
           struct diag_list *dl)
{
    char q[96];
    static const char *const base[] = {
        [UNIT_COUNT] = "人次", [UNIT_AMOUNT] = "元"};

    if (u == NULL)
        return 0;
    if (!columns[c].has_unit || u->measure != columns[c].measure)
        return diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, file, line, col,
                              "column %s: %s is not a unit of %s",
                              diag_quote(q, sizeof(q), f->s, f->len), u->name,
                              columns[c].english);
    if (u->factor != 1)
        return diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, file, line, col,
                              "column %s is in %s: this version reads %s in "
                              "%s only (convert the column, or its values "
                              "would be stored %lld times too small)",
                              diag_quote(q, sizeof(q), f->s, f->len), u->name,
                              columns[c].english, base[u->measure],
                              (long long)u->factor);
    return 0;
}

static int
map_field(struct schema *sc, const struct vocab *v, const struct schema_cell *f,
          size_t i, const char *file, unsigned long line, struct diag_list *dl)
{
    char q[96];
    const char *s = f->s;
    size_t len = f->len;
    unsigned long col = (unsigned long)i + 1;
    const struct unit *u;
    int c = schema_lookup(v, s, len, &u);

    utf8_trim_blanks(&s, &len);
    if (c < 0 || !schema_column_used((enum column)c, sc->kind)) {
        if (len == 0)
            return diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, file, line, col,
                                  "header field %lu is empty", col);
        diag_list_addf(dl, DIAG_WARNING, DIAG_FORMAT, file, line, col,
                       "column %s is not one gongji uses; ignored",
                       diag_quote(q, sizeof(q), s, len));
        return 0;
    }
    if (sc->idx[c] >= 0)
        return diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, file, line, col,
                              "column %s appears twice (also field %d): "
                              "which one holds %s is ambiguous",
                              diag_quote(q, sizeof(q), s, len), sc->idx[c] + 1,
                              columns[c].english);
    sc->idx[c] = (int)i;
    return check_unit(f, c, u, file, line, col, dl);
}

int
schema_map(struct schema *sc, const struct vocab *v,
           const struct schema_cell *hdr, size_t n, enum file_kind kind,
           const char *file, unsigned long line, struct diag_list *dl)
{
    static const enum column summary_order[] = {
        COL_PERIOD, COL_AREA,     COL_AREA_NAME,    COL_SCOPE,
        COL_USE,    COL_RELATION, COL_PERSON_TIMES, COL_AMOUNT,
    };
    int rc = 0;

    sc->kind = kind;
    sc->nfields = n;
    for (int c = 0; c < COL_N; c++)
        sc->idx[c] = -1;
    for (size_t i = 0; i < n; i++)
        rc |= map_field(sc, v, &hdr[i], i, file, line, dl);

    bool detail = sc->kind == FILE_DETAIL;
    const enum column *order = detail ? detail_order : summary_order;
    size_t norder = detail ? sizeof(detail_order) / sizeof(detail_order[0])
                           : sizeof(summary_order) / sizeof(summary_order[0]);
    for (size_t k = 0; k < norder; k++) {
        enum column c = order[k];
        if ((columns[c].required & (1u << sc->kind)) && sc->idx[c] < 0)
            rc |= diag_list_addf(dl, DIAG_ERROR, DIAG_FORMAT, file, line, 0,
                                 "required column %s (%s) is missing from the "
                                 "%sheader",
                                 columns[c].english, alias_of(v, (int)c),
                                 detail ? "detail " : "");
    }
    return rc ? -1 : 0;
}
