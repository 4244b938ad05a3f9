/* SPDX-License-Identifier: MIT */
/*
 * cli/planreport.c - what the plan of a put says, for people: the stray rows
 * and losses that refuse a file (on stderr), the 'changed' lines of a
 * stored one (on stdout).  See cli/planreport.h.
 */
#include "cli/planreport.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/diag.h"
#include "common/i18n.h"
#include "common/money.h"
#include "common/period.h"
#include "ingest/codes.h"
#include "ingest/refdata.h"
#include "ingest/submission.h"

/* "330000 浙江 2024-09" */
void
plan_pair_label(char *buf, size_t len, const struct coverage *cv,
                const struct refdata *rd)
{
    const struct province *p = refdata_province(rd, cv->province);
    char per[PERIOD_LABEL_MAX];

    snprintf(buf, len, "%06d %s %s", cv->province, p ? p->short_name : "?",
             period_format(per, sizeof(per), cv->period));
}

/* A signed amount in yuan: "+1.23", "-0.07", "+0.00". */
static void
signed_yuan(char *buf, size_t len, int64_t fen)
{
    char m[32];
    money_format(m, sizeof(m), fen);
    snprintf(buf, len, "%s%s", fen >= 0 ? "+" : "", m);
}

/* How many lost entries of a pair are listed; the rest are summed. */
#define LOSS_LIST_MAX 10

/* The stored data a refused (or --replace'd) pair loses, one line each. */
static void
print_losses(FILE *fp, const struct store_plan *pl, size_t i,
             const struct refdata *rd)
{
    size_t shown = 0;
    int64_t rows = 0, pt = 0, fen = 0;
    size_t rest = 0;

    for (size_t k = 0; k < pl->nloss; k++) {
        const struct store_loss *l = &pl->loss[k];
        char amt[32];
        if (l->pair != i)
            continue;
        if (shown == LOSS_LIST_MAX) {
            rest++;
            rows += l->rows;
            pt += l->person_times;
            fen += l->amount_fen;
            continue;
        }
        shown++;
        money_format(amt, sizeof(amt), l->amount_fen);
        char *file = diag_printable_dup(l->file);
        const struct area *ar = refdata_area(rd, l->area);
        if (l->whole_area)
            fprintf(fp,
                    _("  lost area %06d %s: %" PRId64 " row(s), %" PRId64
                      " person-times, %s yuan, from %s\n"),
                    l->area, ar != NULL ? ar->name : "?", l->rows,
                    l->person_times, amt, file);
        else
            fprintf(
                fp,
                _("  lost key  %06d %s%s%s %s %s: %" PRId64
                  " person-times, %s yuan, from %s\n"),
                l->area,
                l->channel != CHANNEL_ACCOUNT
                    ? codes_code(refdata_codes(rd), CODESET_CHANNEL, l->channel)
                    : "",
                l->channel != CHANNEL_ACCOUNT ? " " : "",
                codes_code(refdata_codes(rd), CODESET_SCOPE, l->scope),
                codes_code(refdata_codes(rd), CODESET_USE, l->use),
                codes_code(refdata_codes(rd), CODESET_RELATION, l->relation),
                l->person_times, amt, file);
        free(file);
    }
    if (rest > 0) {
        char amt[32];
        money_format(amt, sizeof(amt), fen);
        fprintf(fp,
                _("  ... and %zu more: %" PRId64 " row(s), %" PRId64
                  " person-times, %s yuan\n"),
                rest, rows, pt, amt);
    }
}

/* "医保钱包": the channels of mask, joined with 、. */
static void
print_lost_channels(const char *name, const char *lab,
                    const struct submission *f,
                    const struct store_pair_plan *pp)
{
    char amt[32], names[128] = "";
    const char *label = NULL;
    size_t used = 0;

    for (int c = 0; c < codes_count(f->codes, CODESET_CHANNEL) && c < 32; c++)
        if (pp->lost_channels >> c & 1) {
            used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s",
                                     used ? "、" : "",
                                     codes_name(f->codes, CODESET_CHANNEL, c));
            const char *l = codes_count_label(f->codes, c);
            label = label == NULL || strcmp(label, l) == 0 ? l : "人次/笔";
        }
    money_format(amt, sizeof(amt), pp->lost_channel_amount_fen);
    char *old = diag_printable_dup(pp->old_file ? pp->old_file : "");
    fprintf(stderr,
            _("%s: error: %s: the file has no row of channel %s, which the "
              "version from %s holds (%" PRId64 " %s, %s yuan): storing it "
              "would drop that channel of the province-month\n"),
            name, lab, names, old, pp->lost_channel_person_times,
            label != NULL ? label : "", amt);
    free(old);
}

/* Lost areas and lost keys of pair i. */
static void
count_losses(const struct store_plan *pl, size_t i, size_t *areas, size_t *keys)
{
    *areas = *keys = 0;
    for (size_t k = 0; k < pl->nloss; k++)
        if (pl->loss[k].pair == i)
            *(pl->loss[k].whole_area ? areas : keys) += 1;
}

/* The stray rows of pair i of f (labelled lab; the majority's is major). */
static void
print_stray(const char *name, const struct submission *f,
            const struct store_plan *pl, size_t i, const char *lab,
            const char *major)
{
    const struct store_pair_plan *pp = &pl->pair[i];
    const struct coverage *cv = &f->cover[i];
    char lines[80] = "";
    size_t used = 0;

    for (size_t k = 0; k < cv->rows && k < STORE_STRAY_MAX_ROWS; k++)
        used += (size_t)snprintf(lines + used, sizeof(lines) - used, "%s%lu",
                                 k ? ", " : "", pp->stray_line[k]);
    fprintf(stderr,
            _("%s:%lu: error: stray row(s): %zu of the file's %zu rows "
              "(line %s) are for %s, %zu for %s; a stray row must not "
              "replace a province-month\n"),
            name, pp->stray_line[0], cv->rows, f->nrows, lines, lab,
            f->cover[pl->majority].rows, major);
}

bool
plan_print_strays(const struct submission *f, const struct store_plan *pl,
                  const struct refdata *rd)
{
    char *name = diag_printable_dup(f->path);
    char major[96], lab[96];

    plan_pair_label(major, sizeof(major), &f->cover[pl->majority], rd);
    for (size_t i = 0; i < pl->npair; i++) {
        if (!pl->pair[i].stray)
            continue;
        plan_pair_label(lab, sizeof(lab), &f->cover[i], rd);
        print_stray(name, f, pl, i, lab, major);
    }
    free(name);
    return pl->nstray > 0;
}

/*
 * Why a file was refused, on stderr: its stray rows, what each pair would
 * lose, the parts it clashes with, and how to proceed.
 */
void
plan_print_refusal(const struct submission *f, const struct store_plan *pl,
                   const struct store_put_opts *put, const struct refdata *rd)
{
    char *name = diag_printable_dup(f->path);
    char major[96];
    bool replace = put->replace;

    plan_pair_label(major, sizeof(major), &f->cover[pl->majority], rd);
    for (size_t i = 0; i < pl->npair; i++) {
        const struct store_pair_plan *pp = &pl->pair[i];
        const struct coverage *cv = &f->cover[i];
        char lab[96], amt[32];

        plan_pair_label(lab, sizeof(lab), cv, rd);
        if (pp->stray && !replace)
            print_stray(name, f, pl, i, lab, major);
        if (pp->nlost_areas > 0 && !replace) {
            size_t areas, keys;
            count_losses(pl, i, &areas, &keys);
            money_format(amt, sizeof(amt), pp->lost_amount_fen);
            char *old = diag_printable_dup(pp->old_file ? pp->old_file : "");
            fprintf(
                stderr,
                _("%s: error: %s: storing this file would drop %zu stored "
                  "area(s) it has no rows for, and %zu key(s) of the areas "
                  "it keeps (%" PRId64 " row(s), %" PRId64
                  " person-times, %s yuan in all) of the version from %s:\n"),
                name, lab, areas, keys, pp->lost_rows, pp->lost_person_times,
                amt, old);
            free(old);
            print_losses(stderr, pl, i, rd);
        }
        if (pp->lost_channels != 0 && !replace)
            print_lost_channels(name, lab, f, pp);
        if (pp->clash_area != 0) {
            char *part = diag_printable_dup(pp->clash_part);
            char *file = diag_printable_dup(pp->clash_file);
            fprintf(stderr,
                    _("%s: error: %s: area %06d is already stored by part "
                      "'%s' (from %s); the parts of a province-month must not "
                      "share areas\n"),
                    name, lab, pp->clash_area, part, file);
            free(part);
            free(file);
        }
    }
    fprintf(stderr, _("%s: nothing stored; to proceed:\n"), name);
    if (pl->nstray > 0 && !replace)
        fprintf(stderr, _("  fix the period or area code of the stray rows, or "
                          "ingest them in a file of their own\n"));
    if (pl->nlosing > 0 && !replace) {
        fprintf(stderr,
                _("  if the file is the whole of %s province-month(s), "
                  "add --replace to drop what is listed\n"),
                put->part != NULL ? "its part of the" : "its");
        if (put->part == NULL)
            fprintf(stderr, _("  if it is one part (one city) of them, add "
                              "--part NAME: parts add up instead of replacing "
                              "each other\n"));
    }
    if (pl->nclash > 0)
        fprintf(stderr, _("  to replace that part, give its name to --part; to "
                          "replace every part, ingest the whole province-month "
                          "without --part\n"));
    free(name);
}

/*
 * The 'changed' lines of a stored file: for every pair it replaced, the
 * change in person-times and amount, the file replaced, what was dropped.
 */
void
plan_print_changes(const struct submission *f, const struct store_plan *pl,
                   const char *part, const struct refdata *rd)
{
    for (size_t i = 0; i < pl->npair; i++) {
        const struct store_pair_plan *pp = &pl->pair[i];
        const struct coverage *cv = &f->cover[i];
        char lab[96], d[40], o[32], n[32];

        if (pp->replaced == 0)
            continue;
        plan_pair_label(lab, sizeof(lab), cv, rd);
        signed_yuan(d, sizeof(d), cv->amount_fen - pp->old_amount_fen);
        money_format(o, sizeof(o), pp->old_amount_fen);
        money_format(n, sizeof(n), cv->amount_fen);
        char *old = diag_printable_dup(pp->old_file ? pp->old_file : "");
        char *pn = diag_printable_dup(part != NULL ? part : "");
        int64_t dpt = cv->person_times - pp->old_person_times;
        printf(_("  changed %s%s%s: person-times %s%" PRId64 " (%" PRId64
                 " -> %" PRId64 "), amount %s (%s -> %s); replaces %s"),
               lab, part != NULL ? " part " : "", pn, dpt >= 0 ? "+" : "", dpt,
               pp->old_person_times, cv->person_times, d, o, n, old);
        if (pp->replaced > 1)
            printf(_(" and %zu more"), pp->replaced - 1);
        if (pp->nlost > 0) {
            size_t areas, keys;
            char amt[32];
            count_losses(pl, i, &areas, &keys);
            money_format(amt, sizeof(amt), pp->lost_amount_fen);
            printf(_("; drops %zu area(s) and %zu key(s): %" PRId64
                     " row(s), %" PRId64 " person-times, %s yuan"),
                   areas, keys, pp->lost_rows, pp->lost_person_times, amt);
        }
        putchar('\n');
        free(old);
        free(pn);
    }
}
