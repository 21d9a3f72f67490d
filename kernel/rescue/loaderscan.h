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
 * task that is inside finit_module() (ops->owner), with a back link
 * (pprev) that points at the slot the walk reached it from. Everything
 * else is stale and is cut out; a stale entry's next pointer is only
 * followed, never written, and whatever it leads to must prove itself the
 * same way. A bucket the walk cannot judge to its end (longer than
 * MR_LS_MAX_WALK, or more live entries than MR_LS_MAX_KEPT) is left
 * exactly as found: an entry past the bound was never judged, so it is
 * never cut. Pure logic: memory goes through struct mr_ls_ops, so the same
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

/*
 * finit_module()'s syscall numbers on x86_64, as the entry code leaves them
 * in pt_regs->orig_ax: native, x32 (the native number with the x32 bit) and
 * ia32 (a compat task, TS_COMPAT). loader.c checks them against the
 * kernel's own __NR_* at build time.
 */
#define MR_LS_NR_FINIT_MODULE 313
#define MR_LS_NR_IA32_FINIT_MODULE 350
#define MR_LS_X32_SYSCALL_BIT 0x40000000L

/*
 * Who owns an entry, as ops->owner judges it: no live loader (stale, never
 * written); a live task inside finit_module() (kept); or a live loader
 * that is stuck for good and is to be forgotten (cut, and unhashed as
 * hlist_del_init() does).
 */
enum mr_ls_owner {
	MR_LS_DEAD = 0,
	MR_LS_LIVE,
	MR_LS_FORGET,
};

struct mr_ls_ops {
	/* Read the word at addr; 0, or non-zero if it cannot be read. */
	int (*read)(void *ctx, unsigned long addr, unsigned long *val);
	/*
	 * Write the word at addr: only ever a bucket head, or an entry owned
	 * by a live loader (MR_LS_LIVE or MR_LS_FORGET) that links back.
	 */
	void (*write)(void *ctx, unsigned long addr, unsigned long val);
	/* Whose is node: on the stack of a live task inside finit_module()? */
	enum mr_ls_owner (*owner)(void *ctx, unsigned long node);
};

/* Working memory for one walk; the caller allocates it (too big for a stack). */
struct mr_ls_scratch {
	unsigned long seen[MR_LS_MAX_WALK];
	unsigned long kept[MR_LS_MAX_KEPT];
	unsigned long forgotten[MR_LS_MAX_KEPT];
};

struct mr_ls_result {
	unsigned int kept;	/* live entries left linked */
	unsigned int dropped;	/* entries cut out (or, dry run, to be) */
	unsigned int forgotten;	/* of which MR_LS_FORGET entries */
	bool truncated;		/* hit a bound: left as found, none dropped */
};

/*
 * Is a task whose pt_regs->orig_ax is NR inside finit_module()? IA32: the
 * task is in a 32-bit (ia32 compat) syscall. x32 tasks are not ia32: their
 * number carries MR_LS_X32_SYSCALL_BIT.
 */
bool mr_ls_is_finit_module(long nr, bool ia32);

/*
 * Walk the bucket whose head is at HEAD and, unless DRY_RUN, relink it so
 * that it holds only the live entries, in their order; MR_LS_FORGET
 * entries that were cut get next and pprev cleared (hlist_del_init()), so
 * that their owner sees them unhashed. Writes only when something is
 * dropped, and never in a truncated bucket. The caller holds the lock that
 * guards the table.
 */
void mr_ls_repair_bucket(unsigned long head, const struct mr_ls_ops *ops,
			 void *ctx, bool dry_run, struct mr_ls_scratch *scratch,
			 struct mr_ls_result *res);

#endif /* _MODRESCUE_LOADERSCAN_H */
