/* SPDX-License-Identifier: MIT */
/*
 * common/diaggroup.h - the groups of a diag_list (internal to common/diag*.c).
 *
 * common/diag.c keeps a list's problems one by one; common/diaggroup.c
 * groups the same problem on many rows and prints the groups
 * (diag_list_print(), diag_list_name_column(), declared in common/diag.h).
 */
#ifndef COMMON_DIAGGROUP_H
#define COMMON_DIAGGROUP_H

#include <stdio.h>

struct diag;
struct diag_groups;
struct diag_list;

/* l's groups, allocated on first use. */
struct diag_groups *diag_groups_of(struct diag_list *l);

/* Count d in its group (new if need be, see DIAG_GROUP_PER_KIND). */
void diag_groups_add(struct diag_groups *gs, const struct diag *d);

/* "FILE:LINE:COL: error: " of d (printable), shared by both printers. */
void diag_print_prefix(FILE *fp, const struct diag *d);

/* Free gs (NULL is fine). */
void diag_groups_free(struct diag_groups *gs);

#endif /* COMMON_DIAGGROUP_H */
