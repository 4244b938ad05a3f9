/* SPDX-License-Identifier: MIT */
/*
 * cli/planreport.h - the plan of a put (aggregate/store.h: store_plan) told
 * to the user, by gongji ingest and gongji check.
 */
#ifndef CLI_PLANREPORT_H
#define CLI_PLANREPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "aggregate/store.h"

struct coverage;
struct refdata;
struct submission;

/* "330000 浙江 2024-09" */
void plan_pair_label(char *buf, size_t len, const struct coverage *cv,
                     const struct refdata *rd);

/*
 * Print FILE:LINE: error: lines for the stray pairs of f's plan; true when
 * there were any.
 */
bool plan_print_strays(const struct submission *f, const struct store_plan *pl,
                       const struct refdata *rd);

/*
 * Why f was refused, on stderr: its stray rows, what each pair would lose,
 * the parts it clashes with, and how to proceed (put: --part, --replace).
 */
void plan_print_refusal(const struct submission *f, const struct store_plan *pl,
                        const struct store_put_opts *put,
                        const struct refdata *rd);

/*
 * The 'changed' lines of a stored file on stdout: for every pair it
 * replaced, the change in person-times and amount, the file replaced, what
 * was dropped.
 */
void plan_print_changes(const struct submission *f, const struct store_plan *pl,
                        const char *part, const struct refdata *rd);

#endif /* CLI_PLANREPORT_H */
