/* SPDX-License-Identifier: MIT */
/*
 * common/money.h - money as integer fen, strict parsing, one rounding rule.
 *
 * Money is int64_t fen (1 yuan = 100 fen) from parsing to display; a double
 * appears only at the moment a number is handed to Excel.  Every conversion
 * to a display unit goes through fx_round_div(), which rounds half away from
 * zero (四舍五入) on exact integers.
 */
#ifndef COMMON_MONEY_H
#define COMMON_MONEY_H

#include <stddef.h>
#include <stdint.h>

struct diag;

/*
 * Parse a yuan amount from s[0..len): `-?digits(.d{1,2})?`, where the integer
 * digits may carry well-formed thousands separators ("1,234,567.80").  No
 * spaces, no '+', no exponent, no bare "." or ".5".  `what` names the field
 * in the message ("amount").  Returns 0 with *fen set, or -1 with err's
 * message set (quoting the value; location is left to the caller).
 * "-0" and "-0.00" parse as 0.
 */
int money_parse(const char *s, size_t len, int64_t *fen, const char *what,
                struct diag *err);

/*
 * The largest scale of the _scaled parsers: a unit of 10^16 yuan or
 * counts (the vocabulary's units go to 10^8, 亿).
 */
#define MONEY_MAX_EXP10 16

/*
 * money_parse() for a value written in a unit of 10^exp10 yuan (4 for 万元,
 * 8 for 亿元; 0 is money_parse()), converted exactly: 1.2345 万元 is
 * 1234500 fen.  Up to exp10 + 2 decimals are read (6 for 万元, 10 for
 * 亿元); more are accepted only when they are zeros ("12.340" 元), since a
 * non-zero digit past the fen cannot be stored without rounding, and
 * rounding never happens: it is an error naming the value and the unit.  A
 * result past INT64 fen is "too large".  `unit` ("万元", or NULL) appears
 * in messages.  0 <= exp10 <= MONEY_MAX_EXP10.
 */
int money_parse_scaled(const char *s, size_t len, int exp10, const char *unit,
                       int64_t *fen, const char *what, struct diag *err);

/*
 * Parse a non-negative whole count (person-times) from s[0..len): digits,
 * optionally with well-formed thousands separators.  Same error convention.
 */
int count_parse(const char *s, size_t len, int64_t *out, const char *what,
                struct diag *err);

/*
 * count_parse() for a count written in a unit of 10^exp10 (4 for 万人次),
 * converted exactly: 1.5 万人次 is 15000.  Decimals are allowed as long as
 * the count is whole: "218080.00" is 218080, 1.23456 万人次 is an error
 * naming the value and the unit.  0 <= exp10 <= MONEY_MAX_EXP10.
 */
int count_parse_scaled(const char *s, size_t len, int exp10, const char *unit,
                       int64_t *out, const char *what, struct diag *err);

/* money_normalize() flags */
enum money_normalize_flags {
    MONEY_NORM_CURRENCY = 1 << 0, /* also drop a leading ￥ and a trailing 元 */
};

/*
 * The ASCII form of a number cell s[0..len) as spreadsheets write it, into
 * buf[0..cap): blanks at both ends (ASCII, U+3000 ideographic space, U+00A0
 * no-break space) trimmed, one leading apostrophe (Excel's "this is text"
 * mark) dropped, full-width digits ０-９ and full-width ，．－ made ASCII;
 * with MONEY_NORM_CURRENCY also a leading ￥ or ¥ (after an optional '-')
 * and a trailing 元.  Nothing else changes: what remains is for the strict
 * parsers to judge.  Returns the length written (no NUL), or -1 when it
 * does not fit in cap bytes.
 */
int money_normalize(const char *s, size_t len, unsigned flags, char *buf,
                    size_t cap);

/*
 * Write fen as yuan with exactly two decimals and no separators ("-123.45",
 * "0.00") into buf.  Handles INT64_MIN.  Returns snprintf's count.
 */
int money_format(char *buf, size_t len, int64_t fen);

/* Same with thousands separators: "1,234,567.80". */
int money_format_grouped(char *buf, size_t len, int64_t fen);

/*
 * num / den rounded half away from zero; den > 0.  Exact for every int64_t
 * num (the remainder test is done without overflow).
 */
int64_t fx_round_div(int64_t num, int64_t den);

/*
 * num / den in basis points (1/10000), rounded half away from zero, computed
 * with a 128-bit intermediate.  Returns 0, or -1 when den is 0 or the result
 * does not fit (the caller shows "—").
 */
int fx_ratio_bp(int64_t num, int64_t den, int64_t *bp);

/* Checked addition: returns 0 and sets *sum, or -1 on overflow. */
int fx_add(int64_t a, int64_t b, int64_t *sum);

#endif /* COMMON_MONEY_H */
