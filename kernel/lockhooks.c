// SPDX-License-Identifier: GPL-2.0
/*
 * The spinlock entry points lockwatch hooks, and the wrappers that record
 * each acquisition after it happens and each release before it happens.
 *
 * How a hooked call flows, and why it is IBT-safe by construction: one
 * ftrace_ops with IPMODIFY sits on the fentry site of the ten exported
 * _raw_spin_* functions. Its callback changes the saved instruction
 * pointer to this file's wrapper, which ftrace's trampoline then reaches
 * with a return, not an indirect branch. The wrapper calls the real
 * function directly, by its exported name, so the call lands on the
 * function's own start (its ENDBR on 6.12), never at func+4 or past its
 * fentry call; ftrace sees that call come from inside this module and
 * lets it through. No address is computed, looked up or offset:
 * scripts/ibt-check fails if that is ever reintroduced.
 *
 * Hot path: every wrapper runs with preemption off (so the table stays
 * this CPU's), takes no lock, allocates nothing, prints nothing, and calls
 * only the real lock function and notrace code.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ftrace.h>
#include <linux/hardirq.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>

#include "locktable.h"
#include "lockwatch.h"

struct mr_lw_cpu __percpu *mr_lw_cpus;

static __always_inline struct mr_lt_table *mr_lw_table(void)
{
	unsigned int ctx = MR_LT_TASK;

	if (in_nmi())
		ctx = MR_LT_NMI;
	else if (in_hardirq())
		ctx = MR_LT_HARDIRQ;
	else if (in_serving_softirq())
		ctx = MR_LT_SOFTIRQ;
	return &this_cpu_ptr(mr_lw_cpus)->ctx[ctx];
}

/*
 * This context starts spinning on lock. The caller disabled preemption and
 * passes this CPU-context's table, which stays the same until it returns:
 * taking the lock changes neither the CPU nor the context.
 */
static __always_inline void mr_lw_wait(struct mr_lt_table *t, void *lock,
				       unsigned long ip)
{
	mr_lt_waiting_begin(t, (unsigned long)lock, current->pid, ip,
			    ktime_get_mono_fast_ns());
}

static __always_inline void mr_lw_got(struct mr_lt_table *t, void *lock,
				      unsigned long ip, unsigned long flags)
{
	u64 now = ktime_get_mono_fast_ns();

	mr_lt_acquired(t, (unsigned long)lock, current->pid, ip, now, flags);
	mr_lt_waiting_end(t, now);
}

static __always_inline void mr_lw_put(void *lock)
{
	mr_lt_releasing(mr_lw_table(), (unsigned long)lock,
			ktime_get_mono_fast_ns());
}

static notrace void mr_lw_raw_spin_lock(raw_spinlock_t *lock)
{
	unsigned long ip = _RET_IP_;
	struct mr_lt_table *t;

	preempt_disable_notrace();
	t = mr_lw_table();
	mr_lw_wait(t, lock, ip);
	_raw_spin_lock(lock);
	mr_lw_got(t, lock, ip, 0);
	preempt_enable_notrace();
}

static notrace unsigned long mr_lw_raw_spin_lock_irqsave(raw_spinlock_t *lock)
{
	unsigned long ip = _RET_IP_, flags;
	struct mr_lt_table *t;

	preempt_disable_notrace();
	t = mr_lw_table();
	mr_lw_wait(t, lock, ip);
	flags = _raw_spin_lock_irqsave(lock);
	mr_lw_got(t, lock, ip, flags);
	preempt_enable_notrace();
	return flags;
}

static notrace void mr_lw_raw_spin_lock_irq(raw_spinlock_t *lock)
{
	unsigned long ip = _RET_IP_;
	struct mr_lt_table *t;

	preempt_disable_notrace();
	t = mr_lw_table();
	mr_lw_wait(t, lock, ip);
	_raw_spin_lock_irq(lock);
	mr_lw_got(t, lock, ip, 0);
	preempt_enable_notrace();
}

static notrace void mr_lw_raw_spin_lock_bh(raw_spinlock_t *lock)
{
	unsigned long ip = _RET_IP_;
	struct mr_lt_table *t;

	preempt_disable_notrace();
	t = mr_lw_table();
	mr_lw_wait(t, lock, ip);
	_raw_spin_lock_bh(lock);
	mr_lw_got(t, lock, ip, 0);
	preempt_enable_notrace();
}

/* A trylock never waits, and counts only when it succeeds. */
static notrace int mr_lw_raw_spin_trylock(raw_spinlock_t *lock)
{
	unsigned long ip = _RET_IP_;
	int ok;

	preempt_disable_notrace();
	ok = _raw_spin_trylock(lock);
	if (ok)
		mr_lw_got(mr_lw_table(), lock, ip, 0);
	preempt_enable_notrace();
	return ok;
}

static notrace int mr_lw_raw_spin_trylock_bh(raw_spinlock_t *lock)
{
	unsigned long ip = _RET_IP_;
	int ok;

	preempt_disable_notrace();
	ok = _raw_spin_trylock_bh(lock);
	if (ok)
		mr_lw_got(mr_lw_table(), lock, ip, 0);
	preempt_enable_notrace();
	return ok;
}

#ifdef CONFIG_UNINLINE_SPIN_UNLOCK
static notrace void mr_lw_raw_spin_unlock(raw_spinlock_t *lock)
{
	preempt_disable_notrace();
	mr_lw_put(lock);
	_raw_spin_unlock(lock);
	preempt_enable_notrace();
}
#endif

static notrace void mr_lw_raw_spin_unlock_irqrestore(raw_spinlock_t *lock,
						 unsigned long flags)
{
	preempt_disable_notrace();
	mr_lw_put(lock);
	_raw_spin_unlock_irqrestore(lock, flags);
	preempt_enable_notrace();
}

static notrace void mr_lw_raw_spin_unlock_irq(raw_spinlock_t *lock)
{
	preempt_disable_notrace();
	mr_lw_put(lock);
	_raw_spin_unlock_irq(lock);
	preempt_enable_notrace();
}

static notrace void mr_lw_raw_spin_unlock_bh(raw_spinlock_t *lock)
{
	preempt_disable_notrace();
	mr_lw_put(lock);
	_raw_spin_unlock_bh(lock);
	preempt_enable_notrace();
}

#define MR_LW_HOOK(fn) { #fn, (unsigned long)fn, (unsigned long)mr_lw##fn }

/*
 * The entry points: each real function by its exported name, and its
 * wrapper. A kernel that inlines _raw_spin_unlock (PREEMPT_RT here builds
 * without CONFIG_UNINLINE_SPIN_UNLOCK) has no such function to hook:
 * lockwatch refuses to arm there rather than track half of the pairs.
 */
const struct mr_lw_hook mr_lw_hooks[] = {
	MR_LW_HOOK(_raw_spin_lock),
	MR_LW_HOOK(_raw_spin_lock_irqsave),
	MR_LW_HOOK(_raw_spin_lock_irq),
	MR_LW_HOOK(_raw_spin_lock_bh),
	MR_LW_HOOK(_raw_spin_trylock),
	MR_LW_HOOK(_raw_spin_trylock_bh),
#ifdef CONFIG_UNINLINE_SPIN_UNLOCK
	MR_LW_HOOK(_raw_spin_unlock),
#endif
	MR_LW_HOOK(_raw_spin_unlock_irqrestore),
	MR_LW_HOOK(_raw_spin_unlock_irq),
	MR_LW_HOOK(_raw_spin_unlock_bh),
};
const unsigned int mr_lw_nr_hooks = ARRAY_SIZE(mr_lw_hooks);

#ifdef CONFIG_UNINLINE_SPIN_UNLOCK
const char *const mr_lw_inlined;
#else
const char *const mr_lw_inlined = "_raw_spin_unlock";
#endif

/* The fentry site is the function's start, or just past its ENDBR. */
#define MR_LW_FENTRY_SLACK 16

/*
 * The ftrace callback: send the call to its wrapper, unless it comes from
 * a wrapper (or anything else in this module), which must reach the real
 * function.
 */
void notrace mr_lw_redirect(unsigned long ip, unsigned long parent_ip,
			    struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	unsigned int i;

	if (within_module(parent_ip, THIS_MODULE))
		return;
	for (i = 0; i < ARRAY_SIZE(mr_lw_hooks); i++) {
		if (ip - mr_lw_hooks[i].func < MR_LW_FENTRY_SLACK) {
#ifdef ftrace_regs_set_instruction_pointer
			ftrace_regs_set_instruction_pointer(fregs,
							    mr_lw_hooks[i].wrapper);
#else
			ftrace_instruction_pointer_set(fregs,
						       mr_lw_hooks[i].wrapper);
#endif
			return;
		}
	}
}
