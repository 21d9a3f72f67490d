// SPDX-License-Identifier: GPL-2.0
/*
 * The spinlocks lock release released (lockrelease.c), as lockwatch's
 * tables still hold them: every snapshot forgets them (lockwatch.c, and
 * containment's, contain.c). A file of its own, so that lockwatch and
 * lock release do not call each other.
 */
#include <linux/compiler.h>
#include <linux/types.h>
#include <asm/barrier.h>

#include "locks.h"

/* Releases remembered per arming (their entries stay in the tables). */
#define MR_LR_MAX 64

/* One released entry, as the tables still hold it. */
struct mr_lr_gone {
	unsigned long lock;
	u64 since_ns;
	unsigned int cpu;
	unsigned int ctx;
};

/*
 * The entries released, which snapshots must forget. The owner CPU's table
 * has a single writer, its own CPU in that context, so the ioctl never
 * writes a tombstone there: it keeps this list. Releases append to it
 * under lockwatch's mutex; the ioctl snapshots read it under the mutex
 * too, but containment's oops and panic paths cannot take a mutex and read
 * it lock-free: an entry is written before mr_lr_n is raised past it
 * (release, acquire on the read), and entries are only dropped when
 * lockwatch arms anew, when no containment can be running.
 */
static struct mr_lr_gone mr_lr_gone[MR_LR_MAX];
static unsigned int mr_lr_n;

void mr_lr_reset(void)
{
	WRITE_ONCE(mr_lr_n, 0);
}

static bool mr_lr_is_gone(const struct mr_lt_rec *r)
{
	/* Pairs with mr_lr_remember(): entries below n are written. */
	unsigned int i, n = smp_load_acquire(&mr_lr_n);

	for (i = 0; i < n; i++)
		if (mr_lr_gone[i].lock == r->lock &&
		    mr_lr_gone[i].since_ns == r->since_ns &&
		    mr_lr_gone[i].cpu == r->cpu && mr_lr_gone[i].ctx == r->ctx)
			return true;
	return false;
}

unsigned int mr_lr_forget(struct mr_lt_snap *s)
{
	unsigned int i, n;

	for (i = n = 0; i < s->n_held; i++)
		if (!mr_lr_is_gone(&s->held[i]))
			s->held[n++] = s->held[i];
	i = s->n_held - n;
	s->n_held = n;
	return i;
}

bool mr_lr_full(void)
{
	return mr_lr_n == MR_LR_MAX;
}

void mr_lr_remember(const struct mr_lt_rec *r)
{
	struct mr_lr_gone *g;

	if (WARN_ON_ONCE(mr_lr_n >= MR_LR_MAX))
		return;
	g = &mr_lr_gone[mr_lr_n];

	g->lock = r->lock;
	g->since_ns = r->since_ns;
	g->cpu = r->cpu;
	g->ctx = r->ctx;
	/* The entry before the count: lock-free readers (mr_lr_is_gone()). */
	smp_store_release(&mr_lr_n, mr_lr_n + 1);
}
