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

/* A live entry reached from the slot at from points back at that slot. */
static bool mr_ls_is_linked_live(const struct mr_ls_ops *ops, void *ctx,
				 unsigned long node, unsigned long from)
{
	unsigned long pprev;

	if (!ops->is_live(ctx, node))
		return false;
	return !ops->read(ctx, node + MR_LS_PPREV, &pprev) && pprev == from;
}

/* Collect the live entries of the chain at head into s->kept, in order. */
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
		if (mr_ls_is_linked_live(ops, ctx, node, from)) {
			if (res->kept == MR_LS_MAX_KEPT) {
				res->truncated = true;
				return;
			}
			s->kept[res->kept++] = node;
		} else {
			res->dropped++;
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
	/* Nothing proven stale: leave the bucket exactly as it is. */
	if (dry_run || !res->dropped)
		return;
	for (i = 0; i < res->kept; i++) {
		mr_ls_set(ops, ctx, slot, scratch->kept[i]);
		mr_ls_set(ops, ctx, scratch->kept[i] + MR_LS_PPREV, slot);
		slot = scratch->kept[i] + MR_LS_NEXT;
	}
	mr_ls_set(ops, ctx, slot, 0);
}
