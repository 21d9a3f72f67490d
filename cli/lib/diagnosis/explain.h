/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "Why won't it unload": the plain-language reasons for a diagnosed module,
 * with their evidence, and what `modrescue unload` would do about them.
 * Pure: built from a struct mr_diag, no I/O.
 */
#ifndef MODRESCUE_EXPLAIN_H
#define MODRESCUE_EXPLAIN_H

#include "diag.h"

struct mr_why {
	char **reasons; /* what blocks unloading, most important first */
	size_t n_reasons;
	char **notes; /* other evidence: tasks running its code, limits */
	size_t n_notes;
	char *remedy; /* what modrescue unload would do */
};

/* Explain M (a module of D). Returns 0 or -ENOMEM (then *w is empty). */
int mr_explain(const struct mr_diag *d, const struct mr_module *m,
	       struct mr_why *w);
void mr_why_free(struct mr_why *w);

/*
 * Where a task is, as a call chain, innermost first: its first frame, every
 * module frame, and the frame that called into the outermost module, e.g.
 * "wait_for_completion <- hp_exit [hp_heapwait] <- __do_sys_delete_module".
 * Falls back to wchan, then to "an unknown place". Truncates to LEN.
 */
void mr_task_chain(const struct mr_task *t, char *buf, size_t len);

#endif /* MODRESCUE_EXPLAIN_H */
