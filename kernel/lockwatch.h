/* SPDX-License-Identifier: GPL-2.0 */
/* Lockwatch: the hooks (lockhooks.c) and their control (lockwatch.c). */
#ifndef _MODRESCUE_LOCKWATCH_H
#define _MODRESCUE_LOCKWATCH_H

#include <linux/ftrace.h>
#include <linux/percpu.h>
#include <uapi/modrescue.h>

#include "locktable.h"

/* One CPU's tables, one per context (enum mr_lt_ctx). */
struct mr_lw_cpu {
	struct mr_lt_table ctx[MR_LT_NR_CTX];
};

/* Set while armed; the wrappers write this CPU's tables. */
extern struct mr_lw_cpu __percpu *mr_lw_cpus;

struct mr_lw_hook {
	const char *name;
	unsigned long func;	/* the real function, by its exported name */
	unsigned long wrapper;
};

extern const struct mr_lw_hook mr_lw_hooks[];
extern const unsigned int mr_lw_nr_hooks;
/* An entry point this kernel inlines (nothing to hook), or NULL. */
extern const char *const mr_lw_inlined;
/* Whether that keeps lockwatch from arming (not on PREEMPT_RT). */
extern const bool mr_lw_refuse;

/* Tasks inside a wrapper; exact once the hooks are unregistered. */
long mr_lw_inflight_sum(void);

void mr_lw_redirect(unsigned long ip, unsigned long parent_ip,
		    struct ftrace_ops *op, struct ftrace_regs *fregs);

long mr_ioctl_lockwatch(struct modrescue_lockwatch *arg);
long mr_ioctl_locks(struct modrescue_locks *arg);
/* Module exit: disarm if still armed. */
void mr_lockwatch_exit(void);

#endif /* _MODRESCUE_LOCKWATCH_H */
