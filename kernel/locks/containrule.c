// SPDX-License-Identifier: GPL-2.0
/*
 * Containment's decisions: see containrule.h.
 */
#ifdef __KERNEL__
#include <linux/kernel.h>
#include <linux/string.h>
#else
#include <stdbool.h>
#include <string.h>
#endif

#include "containrule.h"

/* Is held entry r one of who's own, taken in task context on its CPU? */
static bool mr_ct_own(const struct mr_lt_rec *r, const struct mr_ct_who *who)
{
	if (r->cpu != who->cpu || r->ctx != MR_LT_TASK || r->pid != who->pid)
		return false;
	if (r->since_ns + MR_LT_SLACK_NS < who->start_ns)
		return false;
	return r->kind != MR_LT_RT || r->task == who->task;
}

void mr_ct_pick(const struct mr_lt_rec *held, unsigned int n,
		const struct mr_ct_who *who, const struct mr_ct_costs *costs,
		struct mr_ct_pick *out)
{
	unsigned int i, j;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < n; i++) {
		const struct mr_lt_rec *r = &held[i];

		if (r->cpu == who->cpu && r->ctx != MR_LT_TASK) {
			out->ctx_held++;
			continue;
		}
		if (!mr_ct_own(r, who) || out->n == MR_LT_SLOTS)
			continue;
		/*
		 * Insert, newest acquisition first, by the table's sequence
		 * number: who's entries all come from one table (its CPU's
		 * task context), and a coarse clock can give equal times.
		 */
		for (j = out->n; j > 0; j--) {
			if (held[out->idx[j - 1]].order >= r->order)
				break;
			out->idx[j] = out->idx[j - 1];
		}
		out->idx[j] = i;
		out->n++;
		if (r->kind == MR_LT_RT) {
			out->preempt += costs->preempt_rt;
			out->rcu += costs->rcu_rt;
		} else if (r->how < MR_LT_NR_HOW) {
			out->preempt += costs->preempt[r->how];
		}
	}
}

enum mr_ct_why mr_ct_panic_precheck(const struct mr_ct_facts *f)
{
	if (!f->armed)
		return MR_CT_NOT_ARMED;
	if (f->nmi)
		return MR_CT_NMI;
	if (f->hardirq)
		return MR_CT_HARDIRQ;
	if (f->softirq)
		return MR_CT_SOFTIRQ;
	if (f->idle)
		return MR_CT_IDLE;
	if (f->init)
		return MR_CT_INIT;
	if (f->exiting)
		return MR_CT_EXITING;
	if (f->oops)
		return MR_CT_OOPS;
	if (f->contained >= f->limit)
		return MR_CT_LIMIT;
	if (!f->module_caller)
		return MR_CT_NOT_MODULE;
	if (!f->named_caller)
		return MR_CT_NOT_NAMED;
	if (!f->on_task_stack)
		return MR_CT_STACK;
	if (f->journal)
		return MR_CT_JOURNAL;
	if (f->mmap_write)
		return MR_CT_MMAP_LOCK;
	if (f->rtnl)
		return MR_CT_RTNL;
	if (f->module_init)
		return MR_CT_MODULE_INIT;
	if (f->wq_worker)
		return MR_CT_WORKER;
	return MR_CT_CONTAIN;
}

enum mr_ct_why mr_ct_panic_verdict(const struct mr_ct_facts *f)
{
	enum mr_ct_why why = mr_ct_panic_precheck(f);

	if (why != MR_CT_CONTAIN)
		return why;
	if (f->busy || !f->pick)
		return MR_CT_BUSY;
	if (f->core_spinlocks)
		return MR_CT_CORE_SPINLOCK;
	if (f->preempt != f->pick->preempt)
		return MR_CT_ATOMIC;
	if (f->rcu != f->pick->rcu)
		return MR_CT_RCU;
	return MR_CT_CONTAIN;
}

static const char *const mr_ct_whys[MR_CT_NR_WHY] = {
	[MR_CT_CONTAIN] = "contained",
	[MR_CT_NOT_ARMED] = "panic containment is off",
	[MR_CT_NMI] = "in NMI context",
	[MR_CT_HARDIRQ] = "in hardirq context",
	[MR_CT_SOFTIRQ] = "in softirq context",
	[MR_CT_IDLE] = "in the idle task",
	[MR_CT_INIT] = "in init",
	[MR_CT_EXITING] = "the task is exiting",
	[MR_CT_OOPS] = "an oops is in progress",
	[MR_CT_LIMIT] = "as many panics contained as allowed",
	[MR_CT_NOT_MODULE] = "called from the kernel, not a module",
	[MR_CT_STACK] = "not on the task's stack",
	[MR_CT_BUSY] = "another containment is under way",
	[MR_CT_ATOMIC] = "preemption would stay off (an untracked lock?)",
	[MR_CT_RCU] = "an RCU read-side section would stay open",
	[MR_CT_NOT_NAMED] = "called from a module not named for containment",
	[MR_CT_JOURNAL] = "the task holds a filesystem journal handle (journal_info)",
	[MR_CT_MMAP_LOCK] = "the task holds its mmap_lock for writing",
	[MR_CT_RTNL] = "the task holds rtnl_mutex",
	[MR_CT_CORE_SPINLOCK] = "the task holds a spinlock that is not its module's own",
	[MR_CT_MODULE_INIT] = "the module is still in its init, where a probe may hold its device's lock",
	[MR_CT_WORKER] = "in a workqueue worker, which may hold locks it cannot see (a queued probe, a hotplug callback)",
};

bool mr_ct_name_listed(const char *name, const char *names, unsigned int n)
{
	unsigned int i;

	if (!name || !name[0])
		return false;
	for (i = 0; i < n; i++) {
		if (!strncmp(name, names + i * MR_CT_NAME_LEN, MR_CT_NAME_LEN))
			return true;
	}
	return false;
}

bool mr_ct_owner_is(unsigned long owner, unsigned long flags_mask,
		    unsigned long reader_bit, unsigned long task)
{
	if (!task || (owner & reader_bit))
		return false;
	return (owner & ~flags_mask) == task;
}

const char *mr_ct_why_text(enum mr_ct_why why)
{
	if ((unsigned int)why >= MR_CT_NR_WHY)
		return "?";
	return mr_ct_whys[why];
}

bool mr_ct_oops_releases(const struct mr_ct_lock_whose *w,
			 unsigned long oops_mod)
{
	if (w->core_static)
		return false;
	if (oops_mod)
		return w->lock_mod == oops_mod || w->site_mod == oops_mod;
	return w->lock_mod || w->site_mod;
}

enum mr_ct_owner_step mr_ct_owner_step(unsigned long owner,
				       unsigned long task, bool working)
{
	if (!owner)
		return MR_CT_OWN_FREE;
	if (owner != task)
		return MR_CT_OWN_OTHER;
	return working ? MR_CT_OWN_NESTED : MR_CT_OWN_RESERVED;
}
