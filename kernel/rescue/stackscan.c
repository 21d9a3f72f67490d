// SPDX-License-Identifier: GPL-2.0
/*
 * The stack scan behind MODRESCUE_IOC_UNBLOCK (see stackscan.h). It calls
 * nothing of the kernel's: memory, symbols and tasks come through struct
 * mr_ss_ops, so that the unit tests can feed it synthetic and hostile stack
 * images. Every pointer found on the stack is treated as untrusted: it is
 * only ever read through ops->read, and a list is only believed where its
 * links agree in both directions.
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <string.h>
#endif
#include <uapi/modrescue.h>

#include "stackscan.h"

#define MR_SS_WORD sizeof(unsigned long)

/* struct list_head, as the kernel lays it out. */
struct mr_ss_list {
	unsigned long next;
	unsigned long prev;
};

static int mr_ss_fail(struct mr_ss_result *res, unsigned int reason, int err)
{
	res->reason = reason;
	return err;
}

/* Could p be a pointer to a kernel object (aligned, in kernel space)? */
static bool mr_ss_kptr(const struct mr_ss_stack *st, unsigned long p)
{
	return p >= st->kernel_min && !(p % MR_SS_WORD);
}

static bool mr_ss_read_list(const struct mr_ss_stack *st,
			    const struct mr_ss_ops *ops, void *ctx,
			    unsigned long node, struct mr_ss_list *l)
{
	return mr_ss_kptr(st, node) && !ops->read(ctx, node, l, sizeof(*l));
}

/*
 * If ret is a return address, the target of the call before it: the bytes
 * before ret must be a "call rel32". Anything else (data, a pointer, a
 * stale value) yields false.
 */
static bool mr_ss_call_target(const struct mr_ss_stack *st,
			      const struct mr_ss_ops *ops, void *ctx,
			      unsigned long ret, unsigned long *target)
{
	unsigned char insn[MR_SS_CALL_LEN];
	unsigned int rel;

	if (ret < st->text_min || ret - st->text_min < MR_SS_CALL_LEN)
		return false;
	if (ops->read(ctx, ret - MR_SS_CALL_LEN, insn, sizeof(insn)) ||
	    insn[0] != 0xe8)
		return false;
	rel = insn[1] | insn[2] << 8 | insn[3] << 16 |
	      (unsigned int)insn[4] << 24;
	*target = ret + (unsigned long)(long)(int)rel;
	return true;
}

/* Is w a return address into kthread_stop()? */
static bool mr_ss_is_kthread_stop(const struct mr_ss_stack *st,
				  const struct mr_ss_ops *ops, void *ctx,
				  unsigned long w)
{
	unsigned long target;

	return mr_ss_call_target(st, ops, ctx, w, &target) &&
	       ops->sym(ctx, w) == MR_SS_SYM_KTHREAD_STOP;
}

/*
 * If w is the return address of a call to a completion wait function, what
 * w itself is (the caller's kind); else -1.
 */
static int mr_ss_wait_return(const struct mr_ss_stack *st,
			     const struct mr_ss_ops *ops, void *ctx,
			     unsigned long w)
{
	unsigned long target;

	if (!mr_ss_call_target(st, ops, ctx, w, &target) ||
	    ops->sym(ctx, target) != MR_SS_SYM_WAIT)
		return -1;
	return ops->sym(ctx, w);
}

/*
 * The innermost swait entry of the victim whose neighbours point back at
 * it: the index of the entry's first word, or -1. Older entries on the
 * stack were unlinked (list_del_init() leaves them pointing at themselves).
 */
static long mr_ss_find_entry(const struct mr_ss_stack *st,
			     const struct mr_ss_layout *lo,
			     const struct mr_ss_ops *ops, void *ctx)
{
	size_t ti = lo->entry_task / MR_SS_WORD, li = lo->entry_list / MR_SS_WORD;
	size_t span = (ti > li + 1 ? ti : li + 1) + 1, e;
	struct mr_ss_list nl, pl;
	unsigned long node, next, prev;

	if (st->n_words < span)
		return -1;
	for (e = 0; e <= st->n_words - span; e++) {
		if (st->words[e + ti] != st->victim)
			continue;
		node = st->base + (e + li) * MR_SS_WORD;
		next = st->words[e + li];
		prev = st->words[e + li + 1];
		if (next == node || prev == node || !mr_ss_kptr(st, next) ||
		    !mr_ss_kptr(st, prev))
			continue;
		if (!mr_ss_read_list(st, ops, ctx, next, &nl) ||
		    !mr_ss_read_list(st, ops, ctx, prev, &pl))
			continue;
		if (nl.prev == node && pl.next == node)
			return (long)e;
	}
	return -1;
}

/*
 * The frames: a return address into a completion wait function below the
 * entry (the wait called schedule()), and above it the wait's caller, which
 * must be the stuck module itself. A wait function calling another (as
 * wait_for_completion() calls wait_for_common()) is looked through.
 */
static int mr_ss_check_frames(const struct mr_ss_stack *st,
			      const struct mr_ss_layout *lo,
			      const struct mr_ss_ops *ops, void *ctx, size_t e,
			      struct mr_ss_result *res)
{
	size_t i, first = e + lo->entry_list / MR_SS_WORD + 2, end;
	unsigned long target;
	bool in_wait = false;

	for (i = 0; i < e && !in_wait; i++)
		in_wait = mr_ss_call_target(st, ops, ctx, st->words[i],
					    &target) &&
			  ops->sym(ctx, st->words[i]) == MR_SS_SYM_WAIT;
	if (!in_wait)
		return mr_ss_fail(res, MODRESCUE_UNBLOCK_NOT_COMPLETION,
				  -EINVAL);

	end = st->n_words - first > MR_SS_CALLER_WORDS ?
		      first + MR_SS_CALLER_WORDS :
		      st->n_words;
	for (i = first; i < end; i++) {
		switch (mr_ss_wait_return(st, ops, ctx, st->words[i])) {
		case -1:
		case MR_SS_SYM_WAIT:
			continue;
		case MR_SS_SYM_MODULE:
			res->caller = st->words[i];
			return 0;
		case MR_SS_SYM_KTHREAD_STOP:
			return mr_ss_fail(res, MODRESCUE_UNBLOCK_KTHREAD_STOP,
					  -EINVAL);
		default:
			return mr_ss_fail(res, MODRESCUE_UNBLOCK_FOREIGN_CALLER,
					  -EINVAL);
		}
	}
	return mr_ss_fail(res, MODRESCUE_UNBLOCK_FOREIGN_CALLER, -EINVAL);
}

/*
 * Walk the ring from the victim's node, checking each link both ways, to
 * the one node that is not a task's swait entry: the completion's head.
 */
static int mr_ss_walk(const struct mr_ss_stack *st,
		      const struct mr_ss_layout *lo,
		      const struct mr_ss_ops *ops, void *ctx, unsigned long start,
		      const struct mr_ss_list *first, struct mr_ss_result *res)
{
	unsigned long nodes[MR_SS_MAX_NODES], cur = first->next, task;
	size_t n = 1, i, heads = 0, h = 0;
	struct mr_ss_list l;

	nodes[0] = start;
	while (cur != start) {
		if (n == MR_SS_MAX_NODES ||
		    !mr_ss_read_list(st, ops, ctx, cur, &l) ||
		    l.prev != nodes[n - 1])
			return mr_ss_fail(res, MODRESCUE_UNBLOCK_BAD_LIST,
					  -EINVAL);
		nodes[n++] = cur;
		cur = l.next;
	}
	if (n < 2 || first->prev != nodes[n - 1])
		return mr_ss_fail(res, MODRESCUE_UNBLOCK_BAD_LIST, -EINVAL);

	for (i = 1; i < n; i++) {
		/* A swait entry's task pointer sits right before its node. */
		if (nodes[i] < lo->entry_list - lo->entry_task ||
		    ops->read(ctx, nodes[i] - (lo->entry_list - lo->entry_task),
			      &task, sizeof(task)))
			task = 0;
		if (task == st->victim)
			return mr_ss_fail(res, MODRESCUE_UNBLOCK_BAD_LIST,
					  -EINVAL);
		if (task && ops->is_waiter(ctx, nodes[i], task))
			continue;
		heads++;
		h = i;
	}
	if (heads != 1 || nodes[h] < lo->comp_list)
		return mr_ss_fail(res, MODRESCUE_UNBLOCK_BAD_LIST, -EINVAL);
	res->head = nodes[h];
	res->completion = nodes[h] - lo->comp_list;
	res->waiters = (unsigned int)(n - 1);
	/* complete() wakes the first waiter: it must be the victim. */
	if (h != n - 1)
		return mr_ss_fail(res, MODRESCUE_UNBLOCK_NOT_FIRST, -EBUSY);
	return 0;
}

/* The completion itself: not done, not locked. */
static int mr_ss_check_completion(const struct mr_ss_layout *lo,
				  const struct mr_ss_ops *ops, void *ctx,
				  struct mr_ss_result *res)
{
	unsigned int done, lock;

	if (ops->read(ctx, res->completion + lo->comp_done, &done,
		      sizeof(done)) ||
	    ops->read(ctx, res->completion + lo->comp_lock, &lock,
		      sizeof(lock)))
		return mr_ss_fail(res, MODRESCUE_UNBLOCK_BAD_LIST, -EINVAL);
	if (done)
		return mr_ss_fail(res, MODRESCUE_UNBLOCK_DONE_SET, -EINVAL);
	if (lock)
		return mr_ss_fail(res, MODRESCUE_UNBLOCK_LOCKED, -EAGAIN);
	return 0;
}

int mr_ss_find(const struct mr_ss_stack *st, const struct mr_ss_layout *lo,
	       const struct mr_ss_ops *ops, void *ctx,
	       struct mr_ss_result *res)
{
	struct mr_ss_list first;
	unsigned long start;
	size_t i;
	long e;
	int ret;

	memset(res, 0, sizeof(*res));
	if (lo->entry_task % MR_SS_WORD || lo->entry_list % MR_SS_WORD ||
	    lo->comp_size < lo->comp_list + sizeof(first))
		return mr_ss_fail(res, MODRESCUE_UNBLOCK_BAD_LIST, -EINVAL);

	/* kthread_stop() waits on a completion inside the stopped thread's
	 * struct kthread, freed with it if the thread already exited: never.
	 */
	for (i = 0; i < st->n_words; i++)
		if (mr_ss_is_kthread_stop(st, ops, ctx, st->words[i]))
			return mr_ss_fail(res, MODRESCUE_UNBLOCK_KTHREAD_STOP,
					  -EINVAL);

	e = mr_ss_find_entry(st, lo, ops, ctx);
	if (e < 0)
		return mr_ss_fail(res, MODRESCUE_UNBLOCK_NO_WAIT, -ENOENT);
	res->entry = st->base + (unsigned long)e * MR_SS_WORD;
	start = res->entry + lo->entry_list;
	first.next = st->words[e + lo->entry_list / MR_SS_WORD];
	first.prev = st->words[e + lo->entry_list / MR_SS_WORD + 1];

	ret = mr_ss_check_frames(st, lo, ops, ctx, (size_t)e, res);
	if (ret)
		return ret;
	ret = mr_ss_walk(st, lo, ops, ctx, start, &first, res);
	if (ret)
		return ret;
	return mr_ss_check_completion(lo, ops, ctx, res);
}

int mr_ss_allowed(unsigned int kind, unsigned int flags,
		  struct mr_ss_result *res)
{
	switch (kind) {
	case MODRESCUE_COMP_MODULE:
	case MODRESCUE_COMP_SLAB:
		return 0;
	case MODRESCUE_COMP_STACK:
		if (flags & MODRESCUE_UNBLOCK_FORCE_STACK)
			return 0;
		return mr_ss_fail(res, MODRESCUE_UNBLOCK_ON_STACK, -EINVAL);
	default:
		return mr_ss_fail(res, MODRESCUE_UNBLOCK_BAD_PLACE, -EINVAL);
	}
}

bool mr_ss_has_module_frame(const struct mr_ss_stack *st,
			    const struct mr_ss_ops *ops, void *ctx)
{
	unsigned long target;
	size_t i;

	for (i = 0; i < st->n_words; i++)
		if (mr_ss_call_target(st, ops, ctx, st->words[i], &target) &&
		    ops->sym(ctx, st->words[i]) == MR_SS_SYM_MODULE)
			return true;
	return false;
}
