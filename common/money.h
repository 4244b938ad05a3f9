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
 * Parse a non-negative whole count (person-times) from s[0..len): digits,
 * optionally with well-formed thousands separators.  Same error convention.
 */
int count_parse(const char *s, size_t len, int64_t *out, const char *what,
                struct diag *err);

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
