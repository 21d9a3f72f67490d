/* SPDX-License-Identifier: GPL-2.0 */
/* Looking up core-kernel data symbols in /proc/kallsyms. */
#ifndef MODRESCUE_KALLSYMS_H
#define MODRESCUE_KALLSYMS_H

#include <stdio.h>

/*
 * Find the core-kernel (not module) symbol NAME of a data type (b, B, d, D)
 * in a kallsyms stream. Returns 0 and sets *addr; -ENOENT if absent;
 * -EPERM if the addresses are hidden (zeros: not root, or kptr_restrict).
 */
int mr_kallsyms_find_data(FILE *kallsyms, const char *name,
			  unsigned long *addr);

#endif /* MODRESCUE_KALLSYMS_H */
