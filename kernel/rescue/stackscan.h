/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Finding the completion a sleeping task waits on, from a copy of its kernel
 * stack. Pure logic: every access to kernel memory and every question about
 * symbols and tasks goes through struct mr_ss_ops, so the same code runs in
 * the helper and, against synthetic stack images, in the unit tests
 * (tests/unit/test_stackscan.c).
 *
 * A task in wait_for_completion() keeps a struct swait_queue
 * { task, task_list } on its own stack, linked into the completion's
 * wait.task_list. The scan looks for such an entry with task == victim
 * whose neighbours point back at it, walks the ring (bounded) to the one
 * node that is not another task's swait entry (the list head inside the
 * completion), and checks the frames around the entry: the entry must sit
 * in a completion wait function, called from the stuck module's own code,
 * and no frame may be kthread_stop().
 */
#ifndef _MODRESCUE_STACKSCAN_H
#define _MODRESCUE_STACKSCAN_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#endif

/* Most nodes walked around a wait list: the head and up to 63 waiters. */
#define MR_SS_MAX_NODES 64
/* How far above the swait entry the wait's caller is looked for, in words. */
#define MR_SS_CALLER_WORDS 256
/* Length of an x86 "call rel32" (0xe8 and a 32-bit displacement). */
#define MR_SS_CALL_LEN 5

/* What a code address is, as far as the scan cares. */
enum mr_ss_sym {
	MR_SS_SYM_OTHER = 0,	/* not code, or code of no interest */
	MR_SS_SYM_WAIT,		/* a completion wait function */
	MR_SS_SYM_KTHREAD_STOP,	/* kthread_stop(), kthread_stop_put() */
	MR_SS_SYM_MODULE,	/* the stuck module's code */
};

/* Offsets into the kernel's structs, from offsetof() where it is built. */
struct mr_ss_layout {
	size_t entry_task;	/* struct swait_queue: task */
	size_t entry_list;	/* struct swait_queue: task_list */
	size_t comp_done;	/* struct completion: done */
	size_t comp_lock;	/* struct completion: wait.lock */
	size_t comp_list;	/* struct completion: wait.task_list */
	size_t comp_size;	/* sizeof(struct completion) */
};

struct mr_ss_ops {
	/* Copy len bytes of kernel memory at addr; 0, or non-zero if not. */
	int (*read)(void *ctx, unsigned long addr, void *buf, size_t len);
	/* Is node the task_list of a swait entry on the stack of task? */
	bool (*is_waiter)(void *ctx, unsigned long node, unsigned long task);
	/* What the code address addr is. */
	enum mr_ss_sym (*sym)(void *ctx, unsigned long addr);
};

/* A copy of the victim's stack, from its saved stack pointer to the top. */
struct mr_ss_stack {
	const unsigned long *words;
	size_t n_words;
	unsigned long base;	/* kernel address of words[0] */
	unsigned long victim;	/* the sleeping task's task_struct */
	unsigned long kernel_min; /* lowest address a kernel pointer can have */
	unsigned long text_min;	/* lowest address code can have */
};

struct mr_ss_result {
	unsigned int reason;	/* enum modrescue_unblock_reason */
	unsigned long entry;	/* the victim's struct swait_queue */
	unsigned long head;	/* &completion->wait.task_list */
	unsigned long completion;
	unsigned long caller;	/* return address into the wait's caller */
	unsigned int waiters;	/* entries on the list, the victim's included */
};

/*
 * Find and check the completion the victim waits on. Returns 0 with every
 * field of res set, or a negative errno with res->reason saying why:
 * -ENOENT no linked swait entry of the victim (not a completion wait),
 * -EINVAL a check failed, -EBUSY other waiters are ahead of it, -EAGAIN
 * the completion's lock is held.
 */
int mr_ss_find(const struct mr_ss_stack *st, const struct mr_ss_layout *lo,
	       const struct mr_ss_ops *ops, void *ctx,
	       struct mr_ss_result *res);

/*
 * May a completion found in place KIND (enum modrescue_comp_kind) be
 * completed, given the caller's FLAGS (MODRESCUE_UNBLOCK_*)? One on a
 * stack only with MODRESCUE_UNBLOCK_FORCE_STACK: its real completer may
 * still write to it after that frame is gone. A dry run is judged the
 * same. Returns 0, or -EINVAL with res->reason set
 * (MODRESCUE_UNBLOCK_ON_STACK, or _BAD_PLACE for no known place).
 */
int mr_ss_allowed(unsigned int kind, unsigned int flags,
		  struct mr_ss_result *res);

/*
 * Does the stack hold a return address into the stuck module (a word right
 * after a call instruction whose address is the module's code)?
 */
bool mr_ss_has_module_frame(const struct mr_ss_stack *st,
			    const struct mr_ss_ops *ops, void *ctx);

#endif /* _MODRESCUE_STACKSCAN_H */
