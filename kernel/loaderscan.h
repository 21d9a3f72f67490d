/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Mending one bucket of the kernel's idempotent-load table (kernel/module/
 * main.c since 6.4: idem_hash[], under idem_lock). finit_module() links a
 * struct idempotent from its own stack into a bucket and unlinks it before
 * it returns. A loader killed in the module's init (an oops) never returns:
 * its entry stays linked on a stack that is freed and soon reused, and the
 * next finit_module() that walks or extends that bucket reads or writes
 * dead memory (a self-linked entry spins it forever).
 *
 * The walk keeps only entries that are provably live: on the stack of a
 * task that is inside finit_module() (ops->is_live), with a back link
 * (pprev) that points at the slot the walk reached it from. Everything
 * else is stale and is cut out; a stale entry's next pointer is only
 * followed, never written, and whatever it leads to must prove itself the
 * same way. Pure logic: memory goes through struct mr_ls_ops, so the same
 * code runs in the helper under idem_lock and in the unit tests
 * (tests/unit/test_loaderscan.c) on synthetic chains.
 */
#ifndef _MODRESCUE_LOADERSCAN_H
#define _MODRESCUE_LOADERSCAN_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#endif

/* Most live entries one bucket can keep; concurrent loads are few. */
#define MR_LS_MAX_KEPT 32
/* Most entries looked at in one bucket, live or not (stops garbage cycles). */
#define MR_LS_MAX_WALK 128

/* struct hlist_node: next at 0, pprev one word on; struct hlist_head: first. */
#define MR_LS_NEXT 0
#define MR_LS_PPREV sizeof(unsigned long)

struct mr_ls_ops {
	/* Read the word at addr; 0, or non-zero if it cannot be read. */
	int (*read)(void *ctx, unsigned long addr, unsigned long *val);
	/* Write the word at addr (only ever a bucket head or a live entry). */
	void (*write)(void *ctx, unsigned long addr, unsigned long val);
	/* Is node on the stack of a live task inside finit_module()? */
	bool (*is_live)(void *ctx, unsigned long node);
};

/* Working memory for one walk; the caller allocates it (too big for a stack). */
struct mr_ls_scratch {
	unsigned long seen[MR_LS_MAX_WALK];
	unsigned long kept[MR_LS_MAX_KEPT];
};

struct mr_ls_result {
	unsigned int kept;	/* live entries left linked */
	unsigned int dropped;	/* stale entries (and links back) cut out */
	bool truncated;		/* the walk hit a bound: the rest was cut */
};

/*
 * Walk the bucket whose head is at HEAD and, unless DRY_RUN, relink it so
 * that it holds only the live entries, in their order. Writes only when
 * something is dropped. The caller holds the lock that guards the table.
 */
void mr_ls_repair_bucket(unsigned long head, const struct mr_ls_ops *ops,
			 void *ctx, bool dry_run, struct mr_ls_scratch *scratch,
			 struct mr_ls_result *res);

#endif /* _MODRESCUE_LOADERSCAN_H */
