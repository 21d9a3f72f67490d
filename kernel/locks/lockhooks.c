// SPDX-License-Identifier: GPL-2.0
/*
 * The spinlock entry points lockwatch hooks, and the wrappers that record
 * each acquisition after it happens and each release before it happens.
 *
 * How a hooked call flows, and why it is IBT-safe by construction: one
 * ftrace_ops with IPMODIFY sits on the fentry site of the exported lock
 * functions (_raw_spin_lock*, _raw_spin_trylock*). Its callback changes
 * the saved instruction pointer to this file's wrapper, which ftrace's
 * trampoline then reaches with a return, not an indirect branch. The
 * unlock functions are not redirected: a second, plain ftrace_ops calls
 * mr_lw_forget_hook(), which forgets the entry before the real unlock
 * runs in place (see there). No address is computed, looked up or
 * offset: scripts/ibt-check fails if that is ever reintroduced.
 *
 * What a wrapper runs in place of the hooked function:
 * - The raw family (_raw_spin_*) runs the kernel's own inline body, the
 *   __raw_spin_*() of <linux/spinlock_api_smp.h>, inside the wrapper.
 *   That is exactly what the exported function is: kernel/locking/
 *   spinlock.c defines each _raw_spin_X() as a noinline call of
 *   __raw_spin_X() unless CONFIG_INLINE_SPIN_X (then there is no function
 *   to hook) or CONFIG_GENERIC_LOCKBREAK without CONFIG_DEBUG_LOCK_ALLOC
 *   (then spinlock.c builds other bodies); checked in Debian's 6.1 and
 *   6.12 sources and configs (x86 has neither). The bodies use only
 *   inlines (preempt_disable(), local_irq_save(), arch_spin_lock() with
 *   its paravirt slow path, the kernel's own patched call) and exported
 *   functions (__local_bh_enable_ip()), and their _RET_IP_ is the
 *   wrapper's return address, which is the hooked call's caller as in the
 *   real function. So the real function is not entered at all: no second
 *   trip through ftrace, and still no indirect branch. Where a config
 *   differs (CONFIG_DEBUG_SPINLOCK's do_raw_spin_lock() is not exported;
 *   the lockbreak bodies), the wrapper calls the exported function
 *   instead, directly by name (mr_lw_spin_*() below).
 * - PREEMPT_RT's rt_spin_*() wrappers call the real function directly, by
 *   its exported name: their bodies use rtmutex internals. The call lands
 *   on the function's own start (its ENDBR where IBT is on), never at
 *   func+4 or past its fentry call; each such call is made from a
 *   pass-through function, and ftrace lets exactly those through
 *   (mr_lw_redirect(), "Pass-through calls" below).
 *
 * Hot path: every table write runs with preemption off (so the table stays
 * this CPU's); no wrapper takes a lock of its own, allocates or prints, and
 * each calls only the real lock function, notrace code and (PREEMPT_RT)
 * migrate_disable()/migrate_enable().
 *
 * Leaving: every wrapper counts itself in and out (mr_lw_inflight, per
 * CPU, summed by mr_lw_inflight_sum()). RCU Tasks alone cannot tell when
 * the last task left a wrapper: it skips tasks that sleep, and on
 * PREEMPT_RT a task sleeps inside the real rt_spin_lock() with its return
 * address in a wrapper. Disarming waits for the sum to reach zero.
 *
 * What is hooked. Without PREEMPT_RT: the ten _raw_spin_* entry points.
 * With PREEMPT_RT: spinlock_t is a sleeping lock (an rtmutex), taken by
 * rt_spin_lock(), rt_spin_trylock(), rt_spin_trylock_bh() and released by
 * rt_spin_unlock() (rt_spin_lock_unlock() calls the first and the last).
 * The raw spinlocks of PREEMPT_RT are NOT tracked: that kernel inlines
 * _raw_spin_unlock (no CONFIG_UNINLINE_SPIN_UNLOCK), so most raw releases
 * are invisible, and an entry whose release may go unseen cannot be shown
 * as held without a proof that its holder still holds it (a qspinlock
 * stores no owner). mr_lw_inlined names the missing entry point, and
 * lockwatch status says so.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ftrace.h>
#include <linux/hardirq.h>
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/trace_recursion.h>

#include "locktable.h"

/*
 * The redirect changes the saved instruction pointer: without
 * HAVE_DYNAMIC_FTRACE_WITH_ARGS, ftrace_instruction_pointer_set() (6.1) and
 * ftrace_regs_set_instruction_pointer() (6.12) are empty stubs
 * (include/linux/ftrace.h), and every hooked call would silently go to the
 * real function: lockwatch would arm and see nothing.
 */
#if !defined(CONFIG_HAVE_DYNAMIC_FTRACE_WITH_ARGS) || \
	!defined(CONFIG_DYNAMIC_FTRACE)
#error "lockwatch needs DYNAMIC_FTRACE_WITH_ARGS: its redirect would do nothing"
#endif
#include "locks.h"

struct mr_lw_cpu __percpu *mr_lw_cpus;

/* Tasks inside a wrapper: entries minus exits, per CPU (see above). */
static DEFINE_PER_CPU(long, mr_lw_inflight);

static __always_inline void mr_lw_in(void)
{
	this_cpu_inc(mr_lw_inflight);
}

static __always_inline void mr_lw_out(void)
{
	this_cpu_dec(mr_lw_inflight);
}

/*
 * How many tasks are inside a wrapper. Only meaningful once no new task can
 * enter one (the hooks are unregistered): a task that entered counted +1
 * where it entered, and is counted -1 only once it has left, wherever it
 * left; a sum of 0 therefore means every task that entered has left.
 */
long mr_lw_inflight_sum(void)
{
	long sum = 0;
	int cpu;

	smp_mb(); /* the exits before the sum: this_cpu_dec() above */
	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu(mr_lw_inflight, cpu));
	return sum;
}

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
 * Before a release: the clock is read only when the table needs a time,
 * that is when it does not hold the lock (a tombstone) or is busy (a
 * barrier); forgetting a held lock needs none.
 */
static __always_inline void mr_lw_put(void *lock)
{
	struct mr_lt_table *t = mr_lw_table();

	if (!mr_lt_releasing(t, (unsigned long)lock))
		mr_lt_releasing_at(t, (unsigned long)lock,
				   ktime_get_mono_fast_ns());
}

/*
 * Pass-through calls. mr_lw_redirect() lets a call of a hooked function
 * reach the real one only when its return address lies inside one of the
 * functions below, each a single direct call by the exported name. They
 * are noinline (the two with more than the lock, which could be
 * specialised, also __noclone: no .isra/.constprop copy outside the named
 * extent), and a compiler barrier follows the call, so that it is
 * never a tail call (a tail call would leave the caller's return address,
 * and the call would be taken for the caller's). Any other call from the
 * helper's text is a kernel function's own (with sibling-call
 * optimisation, a function that ends in a tail call of a hooked one shows
 * its caller's address): it is redirected and tracked like any other.
 * Their extents come from kallsyms when lockwatch arms
 * (mr_lw_pass_init()); no address is ever called but by name.
 */
#define MR_LW_PASS_VOID(fn, type)					\
static noinline notrace void mr_lw_pass_##fn(type l)			\
{									\
	fn(l);								\
	barrier();							\
}
#define MR_LW_PASS_RET(ret, fn, type)					\
static noinline notrace ret mr_lw_pass_##fn(type l)			\
{									\
	ret r = fn(l);							\
									\
	barrier();							\
	return r;							\
}

#ifndef CONFIG_PREEMPT_RT
/* The raw family's bodies: see the top of this file. */
#if !defined(CONFIG_DEBUG_SPINLOCK) && \
	(!defined(CONFIG_GENERIC_LOCKBREAK) || defined(CONFIG_DEBUG_LOCK_ALLOC))
#define mr_lw_spin_lock(l) __raw_spin_lock(l)
#define mr_lw_spin_lock_irqsave(l) __raw_spin_lock_irqsave(l)
#define mr_lw_spin_lock_irq(l) __raw_spin_lock_irq(l)
#define mr_lw_spin_lock_bh(l) __raw_spin_lock_bh(l)
#define mr_lw_spin_trylock(l) __raw_spin_trylock(l)
#define mr_lw_spin_trylock_bh(l) __raw_spin_trylock_bh(l)
#else
/*
 * The exported functions, each called from its own pass-through (see
 * "Pass-through calls" below): these calls must reach the real function.
 */
MR_LW_PASS_VOID(_raw_spin_lock, raw_spinlock_t *)
MR_LW_PASS_RET(unsigned long, _raw_spin_lock_irqsave, raw_spinlock_t *)
MR_LW_PASS_VOID(_raw_spin_lock_irq, raw_spinlock_t *)
MR_LW_PASS_VOID(_raw_spin_lock_bh, raw_spinlock_t *)
MR_LW_PASS_RET(int, _raw_spin_trylock, raw_spinlock_t *)
MR_LW_PASS_RET(int, _raw_spin_trylock_bh, raw_spinlock_t *)

#define mr_lw_spin_lock(l) mr_lw_pass__raw_spin_lock(l)
#define mr_lw_spin_lock_irqsave(l) mr_lw_pass__raw_spin_lock_irqsave(l)
#define mr_lw_spin_lock_irq(l) mr_lw_pass__raw_spin_lock_irq(l)
#define mr_lw_spin_lock_bh(l) mr_lw_pass__raw_spin_lock_bh(l)
#define mr_lw_spin_trylock(l) mr_lw_pass__raw_spin_trylock(l)
#define mr_lw_spin_trylock_bh(l) mr_lw_pass__raw_spin_trylock_bh(l)
#define MR_LW_FALLBACK_PASS
#endif

/*
 * This context is about to take lock, and records itself as a waiter only
 * if it finds the lock held. The caller disabled preemption and passes
 * this CPU-context's table, which stays the same until it returns: taking
 * the lock changes neither the CPU nor the context.
 *
 * Where the raw family runs the kernel's inline bodies (MR_LW_FAST_WAIT),
 * "finds it held" is the failure of the kernel's own fast path, the one
 * cmpxchg of 0 to locked that queued_spin_lock() (asm-generic/qspinlock.h,
 * 6.1 and 6.12) starts with: an uncontended acquisition reads the lock
 * word no more than the kernel does, and only a contended one takes the
 * clock and a wait slot before it calls arch_spin_lock(), which tries the
 * same cmpxchg again and goes to the slow path. Elsewhere (the fallback
 * bodies, lock statistics) a plain read of the lock word decides, before
 * the kernel's own body. Either way a race costs nothing worse than a
 * missing waiter record (the fallback's read may see the lock free just
 * before another CPU takes it); holders are unaffected: each is recorded
 * after its acquisition returns, so no wrong holder can come of it.
 */
#if defined(CONFIG_QUEUED_SPINLOCKS) && !defined(CONFIG_LOCK_STAT) && \
	!defined(MR_LW_FALLBACK_PASS)
#define MR_LW_FAST_WAIT
static __always_inline int mr_lw_arch_lock(struct mr_lt_table *t,
					   raw_spinlock_t *lock,
					   unsigned long ip)
{
	int val = 0, w;

	if (likely(atomic_try_cmpxchg_acquire(&lock->raw_lock.val, &val,
					      _Q_LOCKED_VAL))) {
		mmiowb_spin_lock();
		return -1;
	}
	w = mr_lt_waiting_begin(t, (unsigned long)lock, current->pid, ip,
				ktime_get_mono_fast_ns());
	do_raw_spin_lock(lock);
	return w;
}

/* The inline bodies of spinlock_api_smp.h, the waiter test in place. */
#define mr_lw_take_lock(t, l, ip) \
	({ preempt_disable(); \
	   spin_acquire(&(l)->dep_map, 0, 0, _RET_IP_); \
	   mr_lw_arch_lock(t, l, ip); })
#define mr_lw_take_lock_irqsave(t, l, ip, flags) \
	({ local_irq_save(flags); \
	   mr_lw_take_lock(t, l, ip); })
#define mr_lw_take_lock_irq(t, l, ip) \
	({ local_irq_disable(); \
	   mr_lw_take_lock(t, l, ip); })
#define mr_lw_take_lock_bh(t, l, ip) \
	({ __local_bh_disable_ip(_RET_IP_, SOFTIRQ_LOCK_OFFSET); \
	   spin_acquire(&(l)->dep_map, 0, 0, _RET_IP_); \
	   mr_lw_arch_lock(t, l, ip); })
#else
static __always_inline int mr_lw_wait(struct mr_lt_table *t,
				      raw_spinlock_t *lock, unsigned long ip)
{
	if (!raw_spin_is_locked(lock))
		return -1;
	return mr_lt_waiting_begin(t, (unsigned long)lock, current->pid, ip,
				   ktime_get_mono_fast_ns());
}

#define mr_lw_take_lock(t, l, ip) \
	({ int __w = mr_lw_wait(t, l, ip); mr_lw_spin_lock(l); __w; })
#define mr_lw_take_lock_irqsave(t, l, ip, flags) \
	({ int __w = mr_lw_wait(t, l, ip); \
	   flags = mr_lw_spin_lock_irqsave(l); __w; })
#define mr_lw_take_lock_irq(t, l, ip) \
	({ int __w = mr_lw_wait(t, l, ip); mr_lw_spin_lock_irq(l); __w; })
#define mr_lw_take_lock_bh(t, l, ip) \
	({ int __w = mr_lw_wait(t, l, ip); mr_lw_spin_lock_bh(l); __w; })
#endif

/* how: the entry point's kind (enum mr_lt_how), for contain.c. */
static __always_inline void mr_lw_got_how(struct mr_lt_table *t, void *lock,
					  unsigned long ip, unsigned long flags,
					  int w, unsigned int how)
{
	u64 now = ktime_get_mono_fast_ns();

	mr_lt_acquired_how(t, (unsigned long)lock, current->pid,
			   current->start_time, ip, now, flags, how);
	if (w >= 0)
		mr_lt_waiting_end(t, w, (unsigned long)lock, now);
}

static __always_inline void mr_lw_got(struct mr_lt_table *t, void *lock,
				      unsigned long ip, unsigned long flags,
				      int w)
{
	mr_lw_got_how(t, lock, ip, flags, w,
		      flags ? MR_LT_HOW_IRQSAVE : MR_LT_HOW_PLAIN);
}

static notrace void mr_lw_raw_spin_lock(raw_spinlock_t *lock)
{
	unsigned long ip = _RET_IP_;
	struct mr_lt_table *t;
	int w;

	mr_lw_in();
	preempt_disable_notrace();
	t = mr_lw_table();
	w = mr_lw_take_lock(t, lock, ip);
	mr_lw_got(t, lock, ip, 0, w);
	preempt_enable_notrace();
	mr_lw_out();
}

static notrace unsigned long mr_lw_raw_spin_lock_irqsave(raw_spinlock_t *lock)
{
	unsigned long ip = _RET_IP_, flags;
	struct mr_lt_table *t;
	int w;

	mr_lw_in();
	preempt_disable_notrace();
	t = mr_lw_table();
	w = mr_lw_take_lock_irqsave(t, lock, ip, flags);
	mr_lw_got(t, lock, ip, flags, w);
	preempt_enable_notrace();
	mr_lw_out();
	return flags;
}

static notrace void mr_lw_raw_spin_lock_irq(raw_spinlock_t *lock)
{
	unsigned long ip = _RET_IP_;
	struct mr_lt_table *t;
	int w;

	mr_lw_in();
	preempt_disable_notrace();
	t = mr_lw_table();
	w = mr_lw_take_lock_irq(t, lock, ip);
	mr_lw_got_how(t, lock, ip, 0, w, MR_LT_HOW_IRQ);
	preempt_enable_notrace();
	mr_lw_out();
}

static notrace void mr_lw_raw_spin_lock_bh(raw_spinlock_t *lock)
{
	unsigned long ip = _RET_IP_;
	struct mr_lt_table *t;
	int w;

	mr_lw_in();
	preempt_disable_notrace();
	t = mr_lw_table();
	w = mr_lw_take_lock_bh(t, lock, ip);
	mr_lw_got_how(t, lock, ip, 0, w, MR_LT_HOW_BH);
	preempt_enable_notrace();
	mr_lw_out();
}

/* A trylock never waits, and counts only when it succeeds. */
static notrace int mr_lw_raw_spin_trylock(raw_spinlock_t *lock)
{
	unsigned long ip = _RET_IP_;
	int ok;

	mr_lw_in();
	preempt_disable_notrace();
	ok = mr_lw_spin_trylock(lock);
	if (ok)
		mr_lw_got(mr_lw_table(), lock, ip, 0, -1);
	preempt_enable_notrace();
	mr_lw_out();
	return ok;
}

static notrace int mr_lw_raw_spin_trylock_bh(raw_spinlock_t *lock)
{
	unsigned long ip = _RET_IP_;
	int ok;

	mr_lw_in();
	preempt_disable_notrace();
	ok = mr_lw_spin_trylock_bh(lock);
	if (ok)
		mr_lw_got_how(mr_lw_table(), lock, ip, 0, -1,
			      MR_LT_HOW_BH);
	preempt_enable_notrace();
	mr_lw_out();
	return ok;
}

#else /* CONFIG_PREEMPT_RT */

MR_LW_PASS_VOID(rt_spin_lock, spinlock_t *)
MR_LW_PASS_RET(int, rt_spin_trylock, spinlock_t *)
MR_LW_PASS_RET(int, rt_spin_trylock_bh, spinlock_t *)

/*
 * PREEMPT_RT's spinlock_t (kernel/locking/spinlock_rt.c): rt_spin_lock()
 * takes the rtmutex (it may sleep), then disables migration until
 * rt_spin_unlock() enables it again before it releases the rtmutex. So
 * from the return of the lock call to the unlock call the holder stays on
 * one CPU, and its entry is recorded and forgotten in that CPU's table,
 * with preemption off only around each table write. Several tasks of one
 * CPU may hold such locks at once (they sleep and are preempted): the
 * table keys entries by lock, not by task.
 *
 * The holder is not taken on trust: the rtmutex stores its owner
 * (rt_mutex_base.owner, the task with bit 0 meaning "has waiters"), and a
 * snapshot reports the entry only while that owner is the recorded task
 * (locktable rule 4, lockwatch.c's verify).
 *
 * A waiter (a task that finds the lock owned on entry) sleeps in
 * rt_spin_lock(). Its wait slot must be cleared by its own task from the
 * same table, so the wrapper pins it: migrate_disable()
 * before the slot is taken, migrate_enable() once the acquisition is
 * recorded. This is what PREEMPT_RT's own local_lock() does around the
 * same rt_spin_lock(), and the lock pins its holder anyway once taken; the
 * cost is that a waiter woken while its CPU runs something of higher
 * priority waits there instead of moving to an idle CPU, and CPU hotplug
 * waits for pinned waiters to get their lock.
 */
static __always_inline void mr_lw_rt_got_how(struct mr_lt_table *t,
					     void *lock, unsigned long ip,
					     int w, unsigned int how)
{
	u64 now = ktime_get_mono_fast_ns();

	mr_lt_acquired_rt_how(t, (unsigned long)lock, current->pid,
			      current->start_time, (unsigned long)current, ip,
			      now, how);
	if (w >= 0)
		mr_lt_waiting_end(t, w, (unsigned long)lock, now);
}

static __always_inline void mr_lw_rt_got(struct mr_lt_table *t, void *lock,
					 unsigned long ip, int w)
{
	mr_lw_rt_got_how(t, lock, ip, w, MR_LT_HOW_PLAIN);
}

static notrace void mr_lw_rt_spin_lock(spinlock_t *lock)
{
	unsigned long ip = _RET_IP_;
	struct mr_lt_table *t = NULL;
	bool pinned = false;
	int w = -1;

	mr_lw_in();
	/*
	 * A waiter is recorded only if the lock has an owner on entry (a
	 * plain read of the rtmutex's owner word): as for the raw family
	 * above, a lock taken between this read and the acquisition costs a
	 * missing waiter record, never a wrong holder; and only such a
	 * waiter is pinned.
	 */
	if (rt_mutex_base_is_locked(&lock->lock)) {
		migrate_disable();
		pinned = true;
		preempt_disable_notrace();
		t = mr_lw_table();
		w = mr_lt_waiting_begin_rt(t, (unsigned long)lock,
					   current->pid, (unsigned long)current,
					   ip, ktime_get_mono_fast_ns());
		preempt_enable_notrace();
	}
	/* May sleep: no preemption held off across it. */
	mr_lw_pass_rt_spin_lock(lock);
	preempt_disable_notrace();
	/*
	 * A pinned waiter keeps the table it started with, so a task that
	 * outlived a disarming writes only the tables it counted itself in
	 * with (lockwatch.c keeps them for it). Otherwise this CPU's table
	 * is looked up now: the lock pins its holder, and the context is the
	 * task's own; the tables stay while this task is counted in.
	 */
	if (!t)
		t = mr_lw_table();
	mr_lw_rt_got(t, lock, ip, w);
	preempt_enable_notrace();
	if (pinned)
		migrate_enable();
	mr_lw_out();
}

/* A trylock never sleeps nor waits; it counts only when it succeeds. */
static notrace int mr_lw_rt_spin_trylock(spinlock_t *lock)
{
	unsigned long ip = _RET_IP_;
	int ok;

	mr_lw_in();
	ok = mr_lw_pass_rt_spin_trylock(lock);
	if (ok) {
		preempt_disable_notrace();
		mr_lw_rt_got(mr_lw_table(), lock, ip, -1);
		preempt_enable_notrace();
	}
	mr_lw_out();
	return ok;
}

static notrace int mr_lw_rt_spin_trylock_bh(spinlock_t *lock)
{
	unsigned long ip = _RET_IP_;
	int ok;

	mr_lw_in();
	ok = mr_lw_pass_rt_spin_trylock_bh(lock);
	if (ok) {
		preempt_disable_notrace();
		mr_lw_rt_got_how(mr_lw_table(), lock, ip, -1, MR_LT_HOW_BH);
		preempt_enable_notrace();
	}
	mr_lw_out();
	return ok;
}

#endif /* CONFIG_PREEMPT_RT */

#define MR_LW_HOOK(fn) \
	{ #fn, (unsigned long)fn, (unsigned long)mr_lw##fn, true }
#define MR_LW_RT_HOOK(fn) \
	{ #fn, (unsigned long)fn, (unsigned long)mr_lw_##fn, true }
/* An unlock: not redirected, its "wrapper" is the forgetting callback. */
#define MR_LW_UNLOCK(fn) \
	{ #fn, (unsigned long)fn, (unsigned long)mr_lw_forget_hook, false }

/*
 * The entry points: each real function by its exported name, and its
 * wrapper. A kernel that inlines _raw_spin_unlock has no such function to
 * hook: without PREEMPT_RT (a !PREEMPTION build) lockwatch refuses to arm
 * rather than track half of the pairs; PREEMPT_RT (no
 * CONFIG_UNINLINE_SPIN_UNLOCK either) arms its spinlock_t entry points and
 * leaves the raw family out, saying so (see the top of this file).
 */
const struct mr_lw_hook mr_lw_hooks[] = {
#ifndef CONFIG_PREEMPT_RT
	/*
	 * Most used first: mr_lw_redirect() looks the locks up in this order;
	 * the unlocks are not redirected, so they come last.
	 */
	MR_LW_HOOK(_raw_spin_lock),
	MR_LW_HOOK(_raw_spin_lock_irqsave),
	MR_LW_HOOK(_raw_spin_lock_irq),
	MR_LW_HOOK(_raw_spin_lock_bh),
	MR_LW_HOOK(_raw_spin_trylock),
	MR_LW_HOOK(_raw_spin_trylock_bh),
#ifdef CONFIG_UNINLINE_SPIN_UNLOCK
	MR_LW_UNLOCK(_raw_spin_unlock),
#endif
	MR_LW_UNLOCK(_raw_spin_unlock_irqrestore),
	MR_LW_UNLOCK(_raw_spin_unlock_irq),
	MR_LW_UNLOCK(_raw_spin_unlock_bh),
#else
	MR_LW_RT_HOOK(rt_spin_lock),
	MR_LW_RT_HOOK(rt_spin_trylock),
	MR_LW_RT_HOOK(rt_spin_trylock_bh),
	MR_LW_UNLOCK(rt_spin_unlock),
#endif
};
const unsigned int mr_lw_nr_hooks = ARRAY_SIZE(mr_lw_hooks);

#ifdef CONFIG_UNINLINE_SPIN_UNLOCK
const char *const mr_lw_inlined;
#else
const char *const mr_lw_inlined = "_raw_spin_unlock";
#endif
/* Whether mr_lw_inlined keeps lockwatch from arming at all. */
const bool mr_lw_refuse = !IS_ENABLED(CONFIG_UNINLINE_SPIN_UNLOCK) &&
			  !IS_ENABLED(CONFIG_PREEMPT_RT);

/*
 * For contain.c: release lock as its lock call (how, flags: the entry's)
 * is undone, reaching the real unlock (a pass-through, see above), after
 * the caller forgot its entry.
 */
noinline __noclone notrace void mr_lw_real_unlock(unsigned long lock,
						  unsigned int how,
						  unsigned long flags)
{
#ifdef CONFIG_PREEMPT_RT
	if (how == MR_LT_HOW_BH)
		spin_unlock_bh((spinlock_t *)lock);
	else
		spin_unlock((spinlock_t *)lock);
#else
	raw_spinlock_t *l = (raw_spinlock_t *)lock;

	switch (how) {
	case MR_LT_HOW_IRQSAVE:
		raw_spin_unlock_irqrestore(l, flags);
		break;
	case MR_LT_HOW_IRQ:
		raw_spin_unlock_irq(l);
		break;
	case MR_LT_HOW_BH:
		raw_spin_unlock_bh(l);
		break;
	default:
		raw_spin_unlock(l);
		break;
	}
#endif
	barrier(); /* no tail call: see MR_LW_PASS_VOID() */
}

/* The pass-through functions, by name (their extents: mr_lw_pass_init()). */
static const unsigned long mr_lw_pass_funcs[] = {
	(unsigned long)mr_lw_real_unlock,
#ifdef CONFIG_PREEMPT_RT
	(unsigned long)mr_lw_pass_rt_spin_lock,
	(unsigned long)mr_lw_pass_rt_spin_trylock,
	(unsigned long)mr_lw_pass_rt_spin_trylock_bh,
#elif defined(MR_LW_FALLBACK_PASS)
	(unsigned long)mr_lw_pass__raw_spin_lock,
	(unsigned long)mr_lw_pass__raw_spin_lock_irqsave,
	(unsigned long)mr_lw_pass__raw_spin_lock_irq,
	(unsigned long)mr_lw_pass__raw_spin_lock_bh,
	(unsigned long)mr_lw_pass__raw_spin_trylock,
	(unsigned long)mr_lw_pass__raw_spin_trylock_bh,
#endif
};

/* Their sizes, in the same order: a return address is start + [0, size). */
static unsigned long mr_lw_pass_size[ARRAY_SIZE(mr_lw_pass_funcs)];

/* The wrappers' sizes, as mr_lw_hooks[] orders them (mr_lw_pass_init()). */
static unsigned long mr_lw_wrapper_size[ARRAY_SIZE(mr_lw_hooks)];

/* A function's size from kallsyms ("name+0x0/0x40 [modrescue]"), or 0. */
static unsigned long mr_lw_func_size(unsigned long func)
{
	char sym[KSYM_SYMBOL_LEN];
	const char *slash;
	unsigned long size;

	sprint_symbol(sym, func);
	slash = strstr(sym, "+0x0/");
	if (!slash || sscanf(slash + 5, "%lx", &size) != 1)
		return 0;
	return size;
}


/*
 * Read each pass-through's and wrapper's size from kallsyms, before
 * arming. -ENOENT if one has none (no call could then pass, or a death
 * inside that wrapper would go unseen).
 */
int mr_lw_pass_init(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(mr_lw_pass_funcs); i++) {
		unsigned long size = mr_lw_func_size(mr_lw_pass_funcs[i]);

		if (!size) {
			pr_err("lockwatch: no size for %pS\n",
			       (void *)mr_lw_pass_funcs[i]);
			return -ENOENT;
		}
		WRITE_ONCE(mr_lw_pass_size[i], size);
	}
	for (i = 0; i < ARRAY_SIZE(mr_lw_hooks); i++) {
		unsigned long size = mr_lw_func_size(mr_lw_hooks[i].wrapper);

		if (!size) {
			pr_err("lockwatch: no size for %pS\n",
			       (void *)mr_lw_hooks[i].wrapper);
			return -ENOENT;
		}
		WRITE_ONCE(mr_lw_wrapper_size[i], size);
	}
	return 0;
}

/* The fentry site is the function's start, or just past its ENDBR. */

#define MR_LW_FENTRY_SLACK 16

/*
 * Is parent_ip in this module's text? Cheap, and false for nearly every
 * call: only then are the pass-through extents looked at. One range to
 * check where the kernel splits a module by memory type (6.4 on), its core
 * where it does not.
 */
static __always_inline bool mr_lw_from_helper(unsigned long parent_ip)
{
#ifdef for_each_mod_mem_type
	return within_module_mem_type(parent_ip, THIS_MODULE, MOD_TEXT);
#else
	return within_module_core(parent_ip, THIS_MODULE);
#endif
}

/* Is parent_ip a return address inside a pass-through (see above)? */
static __always_inline bool mr_lw_from_pass(unsigned long parent_ip)
{
	unsigned int i;

	if (!mr_lw_from_helper(parent_ip))
		return false;
	for (i = 0; i < ARRAY_SIZE(mr_lw_pass_funcs); i++)
		if (parent_ip - mr_lw_pass_funcs[i] <
		    READ_ONCE(mr_lw_pass_size[i]))
			return true;
	return false;
}

/*
 * Another ftrace_ops shares a hooked site when ftrace calls this callback
 * from its list function (__ftrace_ops_list_func(), kernel/trace/ftrace.c
 * in 6.1 and 6.12), which holds the TRACE_LIST_START recursion bit of the
 * current context (include/linux/trace_recursion.h) while it calls the
 * ops. It skips every ops, this one included, silently when that bit is
 * already set: a lock call made from another ops' callback goes
 * unrecorded, and nothing tells the tables. Seeing the bit is the only
 * sign of it a callback gets; once it is seen, lockwatch reports no entry
 * of this arming as certain (mr_lw_shared, lockwatch.c) until it is armed
 * anew. The bit may also be an outer list function's, at another site,
 * whose ops' callback took a lock: a skip is possible then too.
 */
#define MR_LW_LIST_BITS \
	GENMASK(TRACE_INTERNAL_TRANSITION_BIT, TRACE_INTERNAL_BIT)
bool mr_lw_shared;

/*
 * The task running containment's own make_task_dead() callback on this
 * CPU (preemption is off there), or 0. What ftrace skips under it is known:
 * the kernel calls it makes (printk) take and release their locks within
 * the call, and its own unlocks are of entries it already forgot. So the
 * recursion bits seen under it are no sign of a foreign ops.
 */
static DEFINE_PER_CPU(unsigned long, mr_lw_own_hook);

void notrace mr_lw_own_hook_enter(void)
{
	this_cpu_write(mr_lw_own_hook, (unsigned long)current);
}

void notrace mr_lw_own_hook_exit(void)
{
	this_cpu_write(mr_lw_own_hook, 0);
}

static __always_inline void mr_lw_check_shared(void)
{
	if (unlikely(READ_ONCE(current->trace_recursion) & MR_LW_LIST_BITS) &&
	    !READ_ONCE(mr_lw_shared) &&
	    this_cpu_read(mr_lw_own_hook) != (unsigned long)current)
		WRITE_ONCE(mr_lw_shared, true);
}

/*
 * The ftrace callback: send the call to its wrapper, unless it comes from a
 * pass-through, which must reach the real function.
 */
void notrace mr_lw_redirect(unsigned long ip, unsigned long parent_ip,
			    struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	unsigned int i;

	mr_lw_check_shared();
	if (mr_lw_from_pass(parent_ip))
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

/*
 * The unlock entry points are not redirected: this plain callback (a
 * second ftrace_ops, mr_lw_unlock_ops in lockwatch.c, without IPMODIFY)
 * runs at the unlock's fentry site, before a single instruction of the
 * real unlock, and forgets the entry there; the real function then runs
 * in place. So an entry is still forgotten before the real release
 * (locktable.h), and a pair pays one trampoline return to a changed IP
 * instead of two, and no wrapper. The lock is the first argument, read
 * from the saved registers with ftrace's own accessor where it has one.
 *
 * A call from a pass-through (mr_lw_real_unlock(): contain.c forgot the
 * entry itself) is let through unseen, as the redirect does. Preemption:
 * ftrace calls an ops without FTRACE_OPS_FL_RECURSION directly, with
 * preemption as the caller left it (PREEMPT_RT's rt_spin_unlock() holder
 * is only pinned), so the table write disables it itself. The callback
 * counts itself in and out like a wrapper, so that an oops inside it is
 * counted out the same way (mr_lw_wrapper_frames()).
 */
void notrace mr_lw_forget_hook(unsigned long ip, unsigned long parent_ip,
			       struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	void *lock;

	mr_lw_check_shared();
	if (mr_lw_from_pass(parent_ip))
		return;
#ifdef ftrace_regs_get_argument
	lock = (void *)ftrace_regs_get_argument(fregs, 0);
#else
	lock = (void *)regs_get_kernel_argument(&fregs->regs, 0);
#endif
	mr_lw_in();
	preempt_disable_notrace();
	mr_lw_put(lock);
	preempt_enable_notrace();
	mr_lw_out();
}

/*
 * Of a task's stack trace (innermost first), how many frames are in a
 * wrapper, i.e. how many times it counted itself in without counting
 * itself out; *hook is the innermost one's entry point and *caller its
 * caller (the address after that frame).
 */
unsigned int mr_lw_wrapper_frames(const unsigned long *trace, unsigned int n,
				  const char **hook, unsigned long *caller)
{
	unsigned int i, h, frames = 0;

	for (i = 0; i < n; i++) {
		for (h = 0; h < ARRAY_SIZE(mr_lw_hooks); h++) {
			if (trace[i] - mr_lw_hooks[h].wrapper >=
			    READ_ONCE(mr_lw_wrapper_size[h]))
				continue;
			if (!frames++) {
				*hook = mr_lw_hooks[h].name;
				*caller = i + 1 < n ? trace[i + 1] : 0;
			}
			break;
		}
	}
	return frames;
}

/*
 * A task that dies inside n wrappers never counts itself out of them:
 * count it out for it, on this CPU (only the sum matters).
 */
void mr_lw_inflight_repair(unsigned int n)
{
	this_cpu_sub(mr_lw_inflight, n);
}
