/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rescue of a module and the tasks stuck in its init or exit, the
 * concern's interface: surgery.c (inspect, prepare an unload), unblock.c
 * (release a stuck task by completing its completion), quarantine.c
 * (rename the module and keep its memory), leftovers.c (what a crashed
 * module left registered) and loader.c (mending the idempotent-load
 * table). stackscan.h and loaderscan.h are their pure logic, shared with
 * the unit tests.
 */
#ifndef _MODRESCUE_RESCUE_H
#define _MODRESCUE_RESCUE_H

#include <linux/module.h>
#include <linux/sched.h>
#include <uapi/modrescue.h>

#include "stackscan.h"

/* A sleeping task's stack, copied, with the scan's view of the kernel. */
struct mr_task_scan {
	struct module *mod;		/* the stuck module */
	struct task_struct *task;	/* the sleeping task (referenced) */
	unsigned long stack;		/* its stack's lowest address */
	unsigned long *buf;		/* THREAD_SIZE bytes */
	struct mr_ss_stack st;
};

extern const struct mr_ss_ops mr_scan_ops;

/*
 * The task by pid, referenced (put_task_struct()), or NULL. User tasks only:
 * not kthreads, not the caller.
 */
struct task_struct *mr_get_user_task(pid_t pid);

/*
 * Copy TASK's stack from its saved stack pointer to the top into s->buf
 * (allocated here; mr_task_scan_free()). The task should be asleep; if it
 * runs, the copy is merely stale, and every use of it is checked again.
 * Returns 0, -ENOMEM, or -ESTALE when the stack cannot be read.
 */
int mr_task_scan_init(struct mr_task_scan *s, struct module *mod,
		      struct task_struct *task);
void mr_task_scan_free(struct mr_task_scan *s);

/* Is this a name quarantine gave ("NAME.qN")? */
bool mr_is_quarantine_name(const char *name);

/* unblock.c and quarantine.c: the commands. */
long mr_ioctl_unblock(struct modrescue_unblock *arg);
long mr_ioctl_quarantine(struct modrescue_quarantine *arg);

/* surgery.c: the inspect and prepare-unload commands. */
long mr_ioctl_inspect(struct modrescue_inspect *arg);
long mr_ioctl_prepare(struct modrescue_prepare *arg);

/*
 * unblock.c: the live task whose stack holds [addr, addr + len), or NULL.
 * The caller holds rcu_read_lock() for as long as it uses the task.
 */
struct task_struct *mr_stack_task_rcu(unsigned long addr, size_t len);

/* loader.c: mending the idempotent-load table. */
long mr_ioctl_repair_loader(struct modrescue_repair_loader *arg);
/*
 * Cut loader T's own entries out of the table (and any stale ones): T is
 * stuck for good in a quarantined module's init, and a new load of the same
 * file would otherwise wait for it forever. True if T's entry was cut
 * (never in a bucket too long to judge, which is left as found).
 */
bool mr_loader_forget(struct task_struct *t);

/*
 * leftovers.c: what a crashed module left registered. Count what MOD (COMING or GOING, no task in it) left registered, the
 * first one named in FIRST (LEN bytes); the caller holds module_mutex. Looks twice, an RCU grace period apart, so a
 * timer whose callback ran during the first look is seen re-armed in the
 * second. Returns the count (0: nothing found), or -ENOMEM, -EINTR,
 * -EOPNOTSUPP (the kernel's static data was not given: it cannot look).
 */
int mr_leftovers_count(struct module *mod, char *first, size_t len);

/*
 * Held around anything that may free a COMING or GOING module (PREPARE),
 * so that it never runs while LEFTOVERS undoes what such a module left.
 * mr_leftovers_lock() returns 0 or -EINTR.
 */
int mr_leftovers_lock(void);
void mr_leftovers_unlock(void);

/* The LEFTOVERS command. */
long mr_ioctl_leftovers(struct modrescue_leftovers *arg);

#endif /* _MODRESCUE_RESCUE_H */
