/* SPDX-License-Identifier: GPL-2.0 */
/* Looking up core-kernel data symbols in /proc/kallsyms. */
#ifndef MODRESCUE_KALLSYMS_H
#define MODRESCUE_KALLSYMS_H

#include <stddef.h>
#include <stdio.h>

/*
 * Find the core-kernel (not module) symbol NAME of a data type (b, B, d, D)
 * in a kallsyms stream. Returns 0 and sets *addr; -ENOENT if absent;
 * -EPERM if the addresses are hidden (zeros: not root, or kptr_restrict).
 */
int mr_kallsyms_find_data(FILE *kallsyms, const char *name,
			  unsigned long *addr);

/* One symbol wanted from mr_kallsyms_find_data_many(). */
struct mr_ksym {
	const char *name; /* in */
	unsigned long addr; /* out */
	int err; /* out: 0, -ENOENT absent, -EPERM address hidden */
	/*
	 * in: an offset in the per-CPU area, which may be 0 (x86_64's
	 * __per_cpu_start) and may be listed as absolute ('A').
	 */
	int percpu;
};

/*
 * Find several core-kernel data symbols in one pass over a kallsyms
 * stream, stopping once all are found. Returns how many were found
 * (hidden addresses count: their err is -EPERM).
 */
size_t mr_kallsyms_find_data_many(FILE *kallsyms, struct mr_ksym *syms,
				  size_t n);

#endif /* MODRESCUE_KALLSYMS_H */
