// SPDX-License-Identifier: GPL-2.0
/*
 * Where a dead owner's lock may be released: see lockplace.h.
 */
#ifdef __KERNEL__
#include <linux/kernel.h>
#include <linux/string.h>
#else
#include <string.h>
#endif
#include <uapi/modrescue.h>

#include "lockplace.h"

void mr_lp_ring_init(struct mr_lp_ring *r)
{
	memset(r, 0, sizeof(*r));
}

static void mr_lp_add(struct mr_lp_ring *r, u64 ns, unsigned long mod,
		      unsigned int space, unsigned long start,
		      unsigned long end, bool going)
{
	struct mr_lp_event *e = &r->ev[r->next];

	if (e->ns && e->ns > r->evicted_ns)
		r->evicted_ns = e->ns;
	e->ns = ns;
	e->mod = mod;
	e->space = space;
	e->start = start;
	e->end = end;
	e->going = going;
	r->next = (r->next + 1) % MR_LP_EVENTS;
}

void mr_lp_record(struct mr_lp_ring *r, u64 ns, unsigned long mod,
		  unsigned int space, unsigned long start, unsigned long end)
{
	mr_lp_add(r, ns, mod, space, start, end, false);
}

void mr_lp_record_going(struct mr_lp_ring *r, u64 ns, unsigned int space,
			unsigned long start, unsigned long end)
{
	mr_lp_add(r, ns, 0, space, start, end, true);
}

/* Is [addr, addr + len) inside [start, end)? len > 0, no wrap. */
static bool mr_lp_inside(unsigned long addr, unsigned long len,
			 unsigned long start, unsigned long end)
{
	return start < end && addr >= start && addr + len > addr &&
	       addr + len <= end;
}

bool mr_lp_in_percpu(const unsigned long *cpu_offsets, unsigned int n_cpus,
		     unsigned long addr, unsigned long len,
		     unsigned long start, unsigned long end)
{
	unsigned int i;

	for (i = 0; i < n_cpus; i++)
		if (mr_lp_inside(addr - cpu_offsets[i], len, start, end))
			return true;
	return false;
}

/* The per-CPU offset of addr inside [start, end) for some CPU, in *key. */
static bool mr_lp_percpu_key(const struct mr_lp_facts *f, unsigned long start,
			     unsigned long end, unsigned long *key)
{
	unsigned int i;

	for (i = 0; i < f->n_cpus; i++) {
		*key = f->lock_at - f->cpu_offsets[i];
		if (mr_lp_inside(*key, f->len, start, end))
			return true;
	}
	return false;
}

/*
 * Has [key, key + len) of SPACE, which f->mod holds now, changed owners
 * since the lock was taken? An event (COMING or GOING) over it at or after
 * the acquisition (within the slack), an event evicted at or after it (it
 * may have been one), a GOING over it no later COMING of f->mod's follows
 * (a struct module reused at the same address is not the one before), or
 * f->mod COMING with no event of its own recorded (the notifier has not
 * run yet, or it was evicted): it may have.
 */
static bool mr_lp_moved(const struct mr_lp_facts *f,
			const struct mr_lp_ring *r, unsigned int space,
			unsigned long key)
{
	u64 own_ns = 0, going_ns = 0;
	unsigned int i;

	if (r->evicted_ns && r->evicted_ns + f->slack_ns > f->taken_ns)
		return true;
	for (i = 0; i < MR_LP_EVENTS; i++) {
		const struct mr_lp_event *e = &r->ev[i];

		if (!e->ns || e->space != space || e->end <= key ||
		    e->start >= key + f->len)
			continue;
		if (e->ns + f->slack_ns > f->taken_ns)
			return true;
		if (e->going && e->ns > going_ns)
			going_ns = e->ns;
		else if (!e->going && e->mod == f->mod.id && e->ns > own_ns)
			own_ns = e->ns;
	}
	if (going_ns && going_ns >= own_ns)
		return true;
	return f->mod.coming && !own_ns;
}

/* The lock in f->mod's memory: its writable data, or a per-CPU copy. */
static u32 mr_lp_judge_module(const struct mr_lp_facts *f,
			      const struct mr_lp_ring *r)
{
	const struct mr_lp_module *m = &f->mod;
	unsigned long key;

	if (mr_lp_inside(f->lock_at, f->len, m->data_start, m->data_end))
		return mr_lp_moved(f, r, MR_LP_DIRECT, f->lock_at) ?
			       MODRESCUE_RELEASE_HEAP :
			       MODRESCUE_RELEASE_OK;
	if (mr_lp_percpu_key(f, m->percpu_start, m->percpu_end, &key))
		return mr_lp_moved(f, r, MR_LP_PERCPU, key) ?
			       MODRESCUE_RELEASE_HEAP :
			       MODRESCUE_RELEASE_OK;
	/* Its text, rodata, ro_after_init or init memory: not a lock's. */
	return MODRESCUE_RELEASE_HEAP;
}

u32 mr_lp_judge(const struct mr_lp_facts *f, const struct mr_lp_ring *r)
{
	const struct mr_lp_static *st = f->st;
	bool static_known = st && st->data_end;

	if (!f->len || f->lock_at + f->len < f->lock_at)
		return MODRESCUE_RELEASE_BAD_PLACE;
	if (static_known &&
	    (mr_lp_inside(f->lock_at, f->len, st->data_start, st->data_end) ||
	     mr_lp_inside(f->lock_at, f->len, st->bss_start, st->bss_end) ||
	     mr_lp_in_percpu(f->cpu_offsets, f->n_cpus, f->lock_at, f->len,
			     st->percpu_start, st->percpu_end)))
		return MODRESCUE_RELEASE_OK;
	if (f->mod.id)
		return mr_lp_judge_module(f, r);
	/* Heap, vmalloc, text, rodata, init, device memory: or static? */
	if (!static_known || !f->modules_known)
		return MODRESCUE_RELEASE_UNVALIDATED;
	return MODRESCUE_RELEASE_HEAP;
}
