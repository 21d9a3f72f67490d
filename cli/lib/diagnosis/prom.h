/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The diagnosis as Prometheus metrics (issue 12): the text exposition
 * format (version 0.0.4) that node_exporter's textfile collector reads,
 * for `modrescue status --prometheus`. Pure: the caller reads the facts
 * and owns the FILE.
 *
 * Every metric has its # HELP and # TYPE lines, also when it has no
 * sample. Label values are escaped as the format says (\\, \", \n), other
 * control characters and bytes that are not UTF-8 become '?'.
 *
 *   modrescue_module_stuck{module,verdict}        1 per module whose verdict
 *                                                 is quarantined, blocked,
 *                                                 going or coming
 *   modrescue_stuck_modules                       how many such modules
 *   modrescue_quarantined_modules                 how many NAME.qN modules
 *   modrescue_task_blocked_seconds{module,pid,comm,op}
 *                                                 a task stuck in the
 *                                                 module's init or exit, in
 *                                                 D state in its code, or
 *                                                 parked there by a
 *                                                 contained panic: its age
 *                                                 in seconds
 *   modrescue_tasks_visible                       0 when stacks could not
 *                                                 be read (not root)
 *   modrescue_lockwatch_enabled                   1 on, 0 off; no sample
 *                                                 when it could not be asked
 *   modrescue_lock_held_seconds{lock,symbol,owner_pid,owner_comm}
 *                                                 with lockwatch on, each
 *                                                 lock held >= 1 s
 *   modrescue_contained_total{kind="oops|panic"}  oopses and panics
 *                                                 contained; no sample
 *                                                 when unknown
 *   modrescue_kernel_taint_forced_rmmod           taint bit R (3); no
 *                                                 sample when unreadable
 */
#ifndef MODRESCUE_PROM_H
#define MODRESCUE_PROM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "diag.h"
#include "locks.h"

/* The exposition format's content type, for a reader that asks. */
#define MR_PROM_CONTENT_TYPE "text/plain; version=0.0.4"
/* Locks held at least this long are exported. */
#define MR_PROM_MIN_HELD_NS 1000000000ULL
/* The file name node_exporter's textfile collector reads in its directory. */
#define MR_PROM_TEXTFILE "modrescue.prom"

/* What the exposition needs beyond the diagnosis. */
struct mr_prom_facts {
	/*
	 * Lockwatch's sorted snapshot, read when d->lockwatch is ON; NULL
	 * otherwise (then no lock_held sample).
	 */
	const struct mr_lock_snapshot *locks;
	/*
	 * Containment's counters (0 when the helper is not loaded); no
	 * sample unless known.
	 */
	bool contain_known;
	uint64_t contained_oops;
	uint64_t contained_panics;
	/* /proc/sys/kernel/tainted; -1 when it could not be read. */
	long long tainted;
	/*
	 * Lockwatch's blind spots since it was armed (lockwatch status); no
	 * sample unless known (armed, and asked).
	 */
	bool lockwatch_counts_known;
	uint64_t lockwatch_full; /* acquisitions not recorded: full */
	uint64_t lockwatch_dropped; /* other events not recorded */
	uint64_t lockwatch_reclaimed; /* stale entries reclaimed */
	unsigned int lockwatch_full_tables; /* tables full now */
	bool lockwatch_shared; /* another ftrace user shares a hook */
};

/* Does verdict V count as stuck (module_stuck)? */
bool mr_prom_verdict_stuck(enum mr_verdict v);

/*
 * Write S as a label value (without quotes) to OUT: \\ \" \n escaped,
 * other control bytes and bytes that are not UTF-8 as '?'.
 */
void mr_prom_label_value(FILE *out, const char *s);

/* The exposition of D and F to OUT. 0, or -1 on an output error. */
int mr_prom_write(FILE *out, const struct mr_diag *d,
		  const struct mr_prom_facts *f);

#endif /* MODRESCUE_PROM_H */
