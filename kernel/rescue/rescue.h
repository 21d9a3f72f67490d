/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal interfaces of the rescue of tasks stuck in a module's init or
 * exit: unblock.c (release by completing their completion) and
 * quarantine.c (rename the module and keep its memory).
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

#endif /* _MODRESCUE_RESCUE_H */
