// SPDX-License-Identifier: GPL-2.0
/*
 * Mending a bucket of the kernel's idempotent-load table: see loaderscan.h.
 */
#ifdef __KERNEL__
#include <linux/string.h>
#else
#include <string.h>
#endif

#include "loaderscan.h"

/* Has the walk been at node before? Then the chain loops back into itself. */
static bool mr_ls_seen(const struct mr_ls_scratch *s, unsigned int n,
		       unsigned long node)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (s->seen[i] == node)
			return true;
	return false;
}

bool mr_ls_is_finit_module(long nr, bool ia32)
{
	/* The same number means another syscall in the other table. */
	if (ia32)
		return nr == MR_LS_NR_IA32_FINIT_MODULE;
	return nr == MR_LS_NR_FINIT_MODULE ||
	       nr == (MR_LS_X32_SYSCALL_BIT | MR_LS_NR_FINIT_MODULE);
}

/*
 * Who owns node, reached from the slot at from: a live loader's entry
 * counts only if it points back at that slot; else it is treated as dead
 * (never written): it may be linked in another chain, or be an old entry
 * on a reused stack.
 */
static enum mr_ls_owner mr_ls_judge(const struct mr_ls_ops *ops, void *ctx,
				    unsigned long node, unsigned long from)
{
	enum mr_ls_owner owner = ops->owner(ctx, node);
	unsigned long pprev;

	if (owner == MR_LS_DEAD ||
	    ops->read(ctx, node + MR_LS_PPREV, &pprev) || pprev != from)
		return MR_LS_DEAD;
	return owner;
}

/*
 * Judge the chain at head: its live entries into s->kept, in order, the
 * live-owned ones to cut into s->forgotten. Stops at a bound with
 * res->truncated set: the rest of the chain was never judged.
 */
static void mr_ls_walk(unsigned long head, const struct mr_ls_ops *ops,
		       void *ctx, struct mr_ls_scratch *s,
		       struct mr_ls_result *res)
{
	unsigned long from = head, node;
	unsigned int walked = 0;

	if (ops->read(ctx, head, &node))
		return;
	while (node) {
		if (mr_ls_seen(s, walked, node)) {
			res->dropped++;
			return;
		}
		if (walked == MR_LS_MAX_WALK) {
			res->truncated = true;
			return;
		}
		s->seen[walked++] = node;
		switch (mr_ls_judge(ops, ctx, node, from)) {
		case MR_LS_LIVE:
			if (res->kept == MR_LS_MAX_KEPT) {
				res->truncated = true;
				return;
			}
			s->kept[res->kept++] = node;
			break;
		case MR_LS_FORGET:
			if (res->forgotten == MR_LS_MAX_KEPT) {
				res->truncated = true;
				return;
			}
			s->forgotten[res->forgotten++] = node;
			res->dropped++;
			break;
		default:
			res->dropped++;
			break;
		}
		from = node + MR_LS_NEXT;
		/* A stale entry's memory may be gone: that ends the chain. */
		if (ops->read(ctx, from, &node))
			return;
	}
}

/* Make the word at addr val, writing only if it differs. */
static void mr_ls_set(const struct mr_ls_ops *ops, void *ctx,
		      unsigned long addr, unsigned long val)
{
	unsigned long cur;

	if (ops->read(ctx, addr, &cur) || cur != val)
		ops->write(ctx, addr, val);
}

void mr_ls_repair_bucket(unsigned long head, const struct mr_ls_ops *ops,
			 void *ctx, bool dry_run, struct mr_ls_scratch *scratch,
			 struct mr_ls_result *res)
{
	unsigned long slot = head;
	unsigned int i;

	memset(res, 0, sizeof(*res));
	mr_ls_walk(head, ops, ctx, scratch, res);
	/*
	 * Not judged to its end: whatever lies past the bound may be live,
	 * and cutting at the last kept entry would cut it too. Leave the
	 * whole bucket as it is, and say so (truncated), dropping nothing.
	 */
	if (res->truncated) {
		res->dropped = 0;
		res->forgotten = 0;
		return;
	}
	/* Nothing proven stale: leave the bucket exactly as it is. */
	if (dry_run || !res->dropped)
		return;
	for (i = 0; i < res->kept; i++) {
		mr_ls_set(ops, ctx, slot, scratch->kept[i]);
		mr_ls_set(ops, ctx, scratch->kept[i] + MR_LS_PPREV, slot);
		slot = scratch->kept[i] + MR_LS_NEXT;
	}
	mr_ls_set(ops, ctx, slot, 0);
	/*
	 * The live-owned entries just cut: unhashed, as hlist_del_init()
	 * leaves them, so that their owner, should it ever look
	 * (hlist_unhashed() before hlist_del(), as a finit_module() waiter
	 * that is interrupted does), unlinks nothing. Only these are written:
	 * their stack belongs to a live loader and the kernel changes them
	 * under the same lock we hold. A dead entry is never written: its
	 * memory is freed or another task's stack by now, where a write
	 * would corrupt whatever lives there.
	 */
	for (i = 0; i < res->forgotten; i++) {
		mr_ls_set(ops, ctx, scratch->forgotten[i] + MR_LS_NEXT, 0);
		mr_ls_set(ops, ctx, scratch->forgotten[i] + MR_LS_PPREV, 0);
	}
}
