// SPDX-License-Identifier: GPL-2.0
/*
 * Containment of oopses and panics (issue 11, parts 2 and 3), on top of
 * lockwatch, which it keeps armed.
 *
 * Oops. A task that oopses in process context ends in make_task_dead()
 * (not exported; x86 reaches it from oops_end() through
 * rewind_stack_and_make_dead(), its only caller in 6.1 and 6.12, after
 * tainting D). A plain ftrace_ops is attached to it by name
 * (ftrace_set_filter(): no address, and nothing here calls it). Its
 * callback runs at the function's entry, in the dying task, before the
 * kernel's own repair of the IRQ state and preempt count: of the spinlocks
 * lockwatch saw the task take on this CPU (all of a task's held spinlocks
 * are in one CPU's table: holding one pins it), it releases only a
 * module's own (the lock's memory lies in a module, or a module's code
 * took it; when the oops faulted in a module's code, only that module's:
 * mr_ct_oops_releases()), newest first, each with the unlock that undoes
 * its own lock call (raw_spin_unlock_irqrestore() with the flags the
 * irqsave saved, raw_spin_unlock_irq(), raw_spin_unlock_bh(),
 * raw_spin_unlock(); on PREEMPT_RT spin_unlock() or spin_unlock_bh(),
 * where the task itself is the rtmutex's owner and hands it to its waiters
 * as usual). Any other lock (a core lock the kernel took for the task)
 * may fence half-updated core data: it is logged by name and site and
 * left held; its next taker will spin. Modules are found by address in
 * the module list (symbols.c), with preemption off as its readers do;
 * the faulting IP comes from the die notifier, per CPU and task. Locks
 * held in this CPU's softirq, hardirq or NMI tables belong to an
 * interrupted context, not the task: left, and counted.
 * An oops with BH off would panic in oops_end() before make_task_dead()
 * is reached; a die notifier releases the task's own _bh locks and
 * re-enables BH first when they explain its BH-off and are all a
 * module's own (mr_ct_on_die(), not on PREEMPT_RT, and not
 * when a crash kernel is loaded: kdump sees the oops as it is). The fix-up
 * and the hook are one transaction: the notifier keeps the snapshot
 * buffer, and a count in mr_ct_inside, reserved for the same task until
 * its hook has released its locks, and disarming waits for that.
 *
 * Owning the buffer (mr_ct_owner, mr_ct_owner_step()) also tells an oops
 * inside a release: the die notifier sees the owner oops while it works,
 * lets go of the buffer and its count, and the task's hook releases
 * nothing more (ftrace's recursion guard may keep it from running at
 * all). A disarm whose hooks do not leave in time keeps the buffer and
 * holds in mr_ct_stale until mr_ct_settle() sees them gone; `contain on`
 * is refused (-EBUSY) until then, so nothing leaks or is held twice.
 *
 * Panic (opt-in, for named modules). An IPMODIFY ftrace_ops on panic()
 * sends every call to mr_ct_panic(), which has panic()'s own signature,
 * unless the call comes from this module. It contains the panic only
 * when mr_ct_panic_verdict() (containrule.c) says so: process context,
 * called from the code of a module named in `contain on --panic MODULE...`
 * (never vmlinux: a deliberate fail-stop panic must stop the machine), on
 * the task's own stack, not idle, init, an exiting task or an oops in
 * progress, fewer than panic_max so far, none of the core's sleeping
 * locks it can see without lockdep held (a journal handle in
 * journal_info, its mm's mmap_lock for writing, rtnl_mutex when its
 * address was given), no spinlock that is not the module's own, and a
 * preempt count and RCU depth that the task's tracked locks account for
 * exactly. Then it prints the message and a stack trace, taints D,
 * releases the locks as above, enables IRQs and parks the task in
 * TASK_IDLE for good (the hung-task detector skips that state).
 * Otherwise it says why in one line ("panic not contained: ...", with
 * the caller and its module) and calls the real panic() with the
 * original message ("%pV"), so kdump, panic_timeout and the notifiers
 * work as before; panics the kernel itself raises (panic_on_oops, the
 * oops limit, a stack-protector failure, soft lockup or hung task panics,
 * sysrq) are never held back.
 *
 * IBT. Nothing here branches indirectly to a computed address: the
 * ftrace trampoline reaches mr_ct_panic() with a return to the saved IP
 * the callback changed (IBT checks indirect calls and jumps only), and
 * every call out is a direct call by name to an exported function
 * (panic(), the unlock entry points); the ftrace_ops callbacks are called
 * by ftrace at their own starts. scripts/ibt-check covers this file.
 *
 * A parked task stays in this module's code and its caller's for good:
 * each one takes a reference on this module that is never dropped, and
 * the caller's module shows a kthread (or a task with a frame in its
 * code) that `unload` refuses to free under it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/bottom_half.h>
#include <linux/delay.h>
#include <linux/ftrace.h>
#include <linux/hardirq.h>
#include <linux/jiffies.h>
#include <linux/kdebug.h>
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/kexec.h>
#include <linux/module.h>
#include <linux/mm_types.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/panic.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/debug.h>
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "containrule.h"
#include "locks.h"
#include "modrescue.h"

/* Arming and disarming; never taken by a hook. */
static DEFINE_MUTEX(mr_ct_mutex);
static bool mr_ct_armed;	/* the make_task_dead() hook */
static bool mr_ct_panic_armed;	/* the panic() hook */
static bool mr_ct_armed_lw;	/* contain on armed lockwatch itself */
static unsigned int mr_ct_panic_max = MODRESCUE_CONTAIN_PANIC_MAX;
static time64_t mr_ct_since;

static atomic64_t mr_ct_oopses;
static atomic64_t mr_ct_released;
static atomic64_t mr_ct_left;
static atomic_t mr_ct_panics;
/* Tasks parked for good: their stacks return into this module's text. */
static atomic_t mr_ct_parked;
/* Hooks running now; disarming waits for them. */
static atomic_t mr_ct_inside;
/*
 * The snapshot buffer's owner (one containment at a time): the task using
 * it, 0 for none (mr_ct_owner_step() decides). Only the owner writes
 * mr_ct_working (it is using the buffer now: an oops of its own then is
 * an oops inside a release) and mr_ct_reserved (its die notifier keeps the
 * buffer, and one count in mr_ct_inside, for its make_task_dead() hook).
 */
static atomic_long_t mr_ct_owner;
static bool mr_ct_working;
static bool mr_ct_reserved;
/* A buffer a failed drain left to a hook still running, and its holds. */
static struct mr_ct_buf *mr_ct_stale;
/*
 * The task whose nested oops made containment let go, by address and
 * start time (its task_struct may be reused; ftrace's recursion guard may
 * keep its hook from running at all): its hook does nothing more.
 */
static unsigned long mr_ct_gave_up_on;
static u64 mr_ct_gave_up_start;
/* How long disarming waits for the hooks to leave. */
#define MR_CT_DRAIN_MS 5000

/* One snapshot of every table, allocated when containment is armed. */
struct mr_ct_buf {
	struct mr_lw_snapbuf sb;
	struct mr_ct_pick pick;
	char lock_sym[KSYM_SYMBOL_LEN];	/* the log line's lock */
};

static struct mr_ct_buf *mr_ct_buf;

/*
 * The modules whose own panics may be parked. Replaced whole under
 * mr_ct_mutex (RCU: the panic hook reads it with preemption off).
 */
struct mr_ct_names {
	unsigned int n;
	char name[MODRESCUE_CONTAIN_MODULES][MR_CT_NAME_LEN];
};

static struct mr_ct_names __rcu *mr_ct_named;

/* What each lock call added to the preempt count and RCU depth. */
static const struct mr_ct_costs mr_ct_costs = {
	.preempt = {
		[MR_LT_HOW_PLAIN] = PREEMPT_LOCK_OFFSET,
		[MR_LT_HOW_IRQSAVE] = PREEMPT_LOCK_OFFSET,
		[MR_LT_HOW_IRQ] = PREEMPT_LOCK_OFFSET,
		[MR_LT_HOW_BH] = SOFTIRQ_LOCK_OFFSET,
	},
	/* rt_spin_lock(): rcu_read_lock() and migrate_disable() only. */
	.preempt_rt = 0,
	.rcu_rt = 1,
};

static void mr_ct_buf_free(struct mr_ct_buf *b)
{
	if (!b)
		return;
	mr_lw_snapbuf_free(&b->sb);
	kfree(b);
}

/* Lockwatch is held armed: its tables stay until mr_lw_unhold(). */
static struct mr_ct_buf *mr_ct_buf_alloc(void)
{
	struct mr_ct_buf *b = kzalloc(sizeof(*b), GFP_KERNEL);

	if (b && mr_lw_snapbuf_alloc(&b->sb)) {
		kfree(b);
		return NULL;
	}
	return b;
}

/*
 * Take the buffer and snapshot every table as LOCKS does (rules 1-4), then
 * pick current's own locks on this CPU. Preemption is off. Returns false
 * when another containment has the buffer.
 */
static notrace bool mr_ct_snap(struct mr_ct_buf *b)
{
	struct mr_ct_who who = { .cpu = smp_processor_id(),
				 .pid = current->pid,
				 .task = (unsigned long)current,
				 .start_ns = current->start_time };

	switch (mr_ct_owner_step(atomic_long_read(&mr_ct_owner), who.task,
				 READ_ONCE(mr_ct_working))) {
	case MR_CT_OWN_FREE:
		if (atomic_long_cmpxchg(&mr_ct_owner, 0, who.task))
			return false;
		break;
	case MR_CT_OWN_RESERVED:
		break;
	default:
		return false;
	}
	WRITE_ONCE(mr_ct_working, true);
	b->sb.s.now_ns = ktime_get_mono_fast_ns();
	b->sb.s.slack_ns = MR_LT_SLACK_NS;
	b->sb.s.verify = mr_lw_verify;
	b->sb.s.verify_arg = NULL;
	/* Another ftrace user on the hooked sites: trust no entry. */
	mr_lw_snap_prepare(&b->sb.s);
	mr_lt_snapshot(&b->sb.s, b->sb.tables, b->sb.n_tables);
	/* Locks `locks release` let go for a dead owner are not held. */
	mr_lr_forget(&b->sb.s);
	mr_ct_pick(b->sb.s.held, b->sb.s.n_held, &who, &mr_ct_costs, &b->pick);
	return true;
}

static notrace void mr_ct_unsnap(void)
{
	WRITE_ONCE(mr_ct_working, false);
	WRITE_ONCE(mr_ct_reserved, false);
	atomic_long_set_release(&mr_ct_owner, 0);
}

/* Is the buffer reserved for current by its die notifier? */
static notrace bool mr_ct_reserved_for_me(void)
{
	return atomic_long_read(&mr_ct_owner) == (unsigned long)current &&
	       READ_ONCE(mr_ct_reserved);
}

/* Forget lock in this CPU's task table: the wrapper would have. */
static notrace bool mr_ct_forget(unsigned long lock)
{
	struct mr_lt_table *t = &this_cpu_ptr(mr_lw_cpus)->ctx[MR_LT_TASK];

	return mr_lt_releasing(t, lock);
}

/*
 * Release one of current's locks the way its lock call is undone, if it
 * still holds it (an earlier release may have let it go: on PREEMPT_RT,
 * spin_unlock_bh() drops the softirq local lock too). Preemption is off.
 */
static notrace bool mr_ct_release_one(const struct mr_lt_rec *r)
{
#ifdef CONFIG_PREEMPT_RT
	if (r->kind != MR_LT_RT || !mr_lw_verify(r, NULL) ||
	    !mr_ct_forget(r->lock))
		return false;
#else
	if (r->kind != MR_LT_RAW ||
	    !raw_spin_is_locked((raw_spinlock_t *)r->lock) ||
	    !mr_ct_forget(r->lock))
		return false;
#endif
	/* The real unlock, past lockwatch's redirect (its entry is gone). */
	mr_lw_real_unlock(r->lock, r->how, r->flags);
	return true;
}

static const char *const mr_ct_hows[MR_LT_NR_HOW] = {
	[MR_LT_HOW_PLAIN] = "", [MR_LT_HOW_IRQSAVE] = "_irqrestore",
	[MR_LT_HOW_IRQ] = "_irq", [MR_LT_HOW_BH] = "_bh",
};

/*
 * Does addr lie in the kernel image's static data, or a CPU's copy of its
 * static per-CPU data (the bounds from kallsyms, symbols.c)? Unknown
 * bounds say no.
 */
static notrace bool mr_ct_core_static(unsigned long addr)
{
	const struct mr_static_areas *st = &mr_static;
	int cpu;

	if ((addr >= st->data_start && addr < st->data_end) ||
	    (addr >= st->bss_start && addr < st->bss_end))
		return true;
	if (!st->percpu_end)
		return false;
	for_each_possible_cpu(cpu) {
		unsigned long a = addr - per_cpu_offset(cpu);

		if (a >= st->percpu_start && a < st->percpu_end)
			return true;
	}
	return false;
}

/*
 * The module whose memory (text: whose code) holds addr, by identity; 0
 * for none. Preemption is off: the module list's readers need no more.
 */
static notrace unsigned long mr_ct_module_of(unsigned long addr, bool text)
{
	struct module *mod;

	if (!mr_modules)
		return 0;
	list_for_each_entry_rcu(mod, mr_modules, list, true) {
		if (mod->state == MODULE_STATE_UNFORMED)
			continue;
		if (text ? mr_in_module_text(addr, mod) : within_module(addr, mod))
			return (unsigned long)mod;
	}
	return 0;
}

/* Where each CPU's last oops in kernel mode faulted, and in which task. */
struct mr_ct_oops_at {
	unsigned long task;
	unsigned long ip;
};

static DEFINE_PER_CPU(struct mr_ct_oops_at, mr_ct_oops_at);

/*
 * The module whose code current's oops faulted in (the die notifier saw
 * it on this CPU), or 0: the kernel's code, or not known.
 */
static notrace unsigned long mr_ct_oops_module(void)
{
	struct mr_ct_oops_at *at = this_cpu_ptr(&mr_ct_oops_at);

	if (at->task != (unsigned long)current || !mr_modules)
		return 0;
	return mr_ct_module_of(at->ip, true);
}

/* Whose lock r is: its memory's module, its taker's, or the core's. */
static notrace struct mr_ct_lock_whose mr_ct_whose(const struct mr_lt_rec *r)
{
	struct mr_ct_lock_whose w = {
		.lock_mod = mr_ct_module_of(r->lock, false),
		.site_mod = mr_ct_module_of(r->ip, true),
		.core_static = mr_ct_core_static(r->lock),
	};

	return w;
}

/*
 * How many of the picked locks are not module mod's own (0: any module's):
 * the locks mr_ct_oops_releases() would leave. Preemption is off.
 */
static notrace unsigned int mr_ct_not_owned(const struct mr_ct_buf *b,
					    unsigned long mod)
{
	unsigned int i, n = 0;

	for (i = 0; i < b->pick.n; i++) {
		const struct mr_lt_rec *r = &b->sb.s.held[b->pick.idx[i]];
		struct mr_ct_lock_whose w = mr_ct_whose(r);

		n += !mr_ct_oops_releases(&w, mod);
	}
	return n;
}

/*
 * Release the picked locks, newest first, one log line each. An oops
 * (oops true) releases only a module's own (mr_ct_oops_releases(): the
 * faulting module's when it faulted in one) and reports the others, left
 * held; without the module list it cannot tell, and releases none. Taints
 * R (a forced step, as for `locks release`) if any was released.
 */
static notrace unsigned int mr_ct_release(struct mr_ct_buf *b,
					  const char *why, bool oops)
{
	unsigned long oops_mod = oops ? mr_ct_oops_module() : 0;
	unsigned int i, done = 0, left = 0;

	if (oops && oops_mod)
		pr_warn("%s in %s[%d] in the code of %s: only its locks are released\n",
			why, current->comm, task_pid_nr(current),
			((struct module *)oops_mod)->name);
	for (i = 0; i < b->pick.n; i++) {
		const struct mr_lt_rec *r = &b->sb.s.held[b->pick.idx[i]];
		struct mr_ct_lock_whose w = { 0 };
		bool ok;

		mr_lw_lock_symbol(r->lock, b->lock_sym, sizeof(b->lock_sym));
		if (oops && mr_modules)
			w = mr_ct_whose(r);
		if (oops && !mr_ct_oops_releases(&w, oops_mod)) {
			pr_warn("%s in %s[%d]: left lock %s (taken at %pS) held: %s; the next taker will spin\n",
				why, current->comm, task_pid_nr(current),
				b->lock_sym[0] ? b->lock_sym :
						 "without a symbol",
				(void *)r->ip,
				!mr_modules ? "the helper has no module list to tell whose it is" :
				oops_mod ? "not the oopsing module's own" :
					   "not a module's own");
			left++;
			continue;
		}
		/*
		 * PREEMPT_RT: spin_unlock_bh() here, preemption off, would
		 * not give back this CPU's softirq local lock, and every
		 * local_bh_disable() on it would block for good.
		 */
		if (IS_ENABLED(CONFIG_PREEMPT_RT) && r->how == MR_LT_HOW_BH) {
			pr_warn("%s in %s[%d]: left lock %s (taken at %pS) held: on PREEMPT_RT its unlock_bh cannot run here; its next taker will wait for good\n",
				why, current->comm, task_pid_nr(current),
				b->lock_sym[0] ? b->lock_sym :
						 "without a symbol",
				(void *)r->ip);
			left++;
			continue;
		}
		ok = mr_ct_release_one(r);
		pr_warn("%s in %s[%d]: %s lock %s (taken at %pS) with unlock%s\n",
			why, current->comm, task_pid_nr(current),
			ok ? "released" : "no longer holds",
			b->lock_sym[0] ? b->lock_sym : "without a symbol",
			(void *)r->ip,
			r->how < MR_LT_NR_HOW ? mr_ct_hows[r->how] : "");
		done += ok;
	}
	if (b->pick.ctx_held) {
		pr_warn("%s in %s[%d]: %u lock(s) held by interrupt context on CPU %d left alone\n",
			why, current->comm, task_pid_nr(current),
			b->pick.ctx_held, smp_processor_id());
		atomic64_add(b->pick.ctx_held, &mr_ct_left);
	}
	atomic64_add(b->pick.n - done, &mr_ct_left);
	atomic64_add(done, &mr_ct_released);
	if (done)
		add_taint(TAINT_FORCED_RMMOD, LOCKDEP_STILL_OK);
	return done;
}

/*
 * make_task_dead()'s entry. FTRACE_OPS_FL_RECURSION: ftrace calls this with
 * preemption off, so the task stays on the CPU whose table it edits.
 */
static void notrace mr_ct_on_dead(unsigned long ip, unsigned long parent_ip,
				  struct ftrace_ops *op,
				  struct ftrace_regs *fregs)
{
	struct mr_ct_buf *b = READ_ONCE(mr_ct_buf);
	/* The die notifier kept the buffer, and a count, for this hook. */
	bool mine = mr_ct_reserved_for_me();

	if (READ_ONCE(mr_ct_gave_up_on) == (unsigned long)current &&
	    READ_ONCE(mr_ct_gave_up_start) == current->start_time) {
		WRITE_ONCE(mr_ct_gave_up_on, 0);
		return;
	}
	/* make_task_dead() panics itself in these; an exiting task refaults. */
	if (in_nmi() || in_hardirq() || in_serving_softirq() ||
	    !current->pid || (current->flags & PF_EXITING) ||
	    !test_taint(TAINT_DIE) || !b) {
		if (mine) {
			mr_ct_unsnap();
			atomic_dec(&mr_ct_inside);
		}
		return;
	}
	if (!mine)
		atomic_inc(&mr_ct_inside);
	atomic64_inc(&mr_ct_oopses);
	mr_lw_own_hook_enter();
	if (!mr_ct_snap(b)) {
		pr_warn("oops in %s[%d]: another containment is under way; its locks stay held\n",
			current->comm, task_pid_nr(current));
		goto out;
	}
	mr_ct_release(b, "oops", true);
	mr_ct_unsnap();
out:
	mr_lw_own_hook_exit();
	atomic_dec(&mr_ct_inside);
}

static struct ftrace_ops mr_ct_dead_ops = {
	.func = mr_ct_on_dead,
	/* PERMANENT: ftrace_enabled=0 is refused rather than unhook us. */
	.flags = FTRACE_OPS_FL_RECURSION | FTRACE_OPS_FL_PERMANENT,
};

/*
 * Oops with BH off. oops_end() panics ("Fatal exception in interrupt")
 * when in_interrupt(), which a task's own BH-off makes true: a task that
 * oopses holding a spin_lock_bh() lock would take the machine down before
 * make_task_dead() is reached. This die-chain callback runs last on
 * DIE_OOPS (IRQs off, on the oopsing CPU, before oops_end()). If the oops
 * is in kernel mode and process context, not in init, and the task's
 * BH-off count is exactly what its tracked _bh locks took, and each of
 * them is one make_task_dead()'s hook would release (a module's own), it
 * releases each there and then, IRQs still off, and only then re-enables
 * BH once per lock without running softirqs (_local_bh_enable()): no
 * softirq can find such a lock held with BH on. The hook releases the
 * rest. Anything else changes nothing, and
 * the kernel panics as it would. panic_on_oops is not exported: with it
 * set, oops_end() still panics ("Fatal exception") and calls kdump just as
 * it would have.
 *
 * Not on PREEMPT_RT: there local_bh_enable() with IRQs off keeps the
 * per-CPU softirq lock, so an oops with BH off still panics.
 */
#ifndef CONFIG_PREEMPT_RT
static bool mr_ct_oops_bh_fixable(struct die_args *args)
{
	return softirq_count() && !in_nmi() && !in_hardirq() &&
	       !in_serving_softirq() && current->pid &&
	       !is_global_init(current) && !(current->flags & PF_EXITING) &&
	       args->regs && !user_mode(args->regs);
}

/* How many of the picked locks were taken with a _bh lock call. */
static unsigned int mr_ct_bh_locks(const struct mr_ct_buf *b)
{
	unsigned int i, n = 0;

	for (i = 0; i < b->pick.n; i++)
		n += b->sb.s.held[b->pick.idx[i]].how == MR_LT_HOW_BH;
	return n;
}

/*
 * Would make_task_dead()'s hook release every picked _bh lock? Only then
 * may BH come back on: a _bh lock left held with BH on is taken by the next
 * softirq on this CPU, which spins on it for good.
 */
static bool mr_ct_bh_locks_owned(const struct mr_ct_buf *b)
{
	unsigned long oops_mod = mr_ct_oops_module();
	unsigned int i;

	if (!mr_modules)
		return false;
	for (i = 0; i < b->pick.n; i++) {
		const struct mr_lt_rec *r = &b->sb.s.held[b->pick.idx[i]];
		struct mr_ct_lock_whose w = mr_ct_whose(r);

		if (r->how == MR_LT_HOW_BH && !mr_ct_oops_releases(&w, oops_mod))
			return false;
	}
	return true;
}

static void mr_ct_fix_bh(struct mr_ct_buf *b, struct die_args *args)
{
	unsigned int i, n_bh, fixed = 0;

	/* A crash kernel is loaded: kdump must see the oops as it is. */
	if (!mr_ct_oops_bh_fixable(args) || kexec_crash_loaded())
		return;
	atomic_inc(&mr_ct_inside);
	if (!mr_ct_snap(b))
		goto out;
	n_bh = mr_ct_bh_locks(b);
	if (!n_bh || softirq_count() != n_bh * SOFTIRQ_DISABLE_OFFSET) {
		pr_warn("oops in %s[%d] with BH off beyond its tracked _bh locks: the kernel will panic\n",
			current->comm, task_pid_nr(current));
		goto unsnap;
	}
	if (!mr_ct_bh_locks_owned(b)) {
		pr_warn("oops in %s[%d] with BH off for a _bh lock that is not the module's own: the kernel will panic\n",
			current->comm, task_pid_nr(current));
		goto unsnap;
	}
	/*
	 * Each _bh lock is released here, IRQs still off, before BH comes
	 * back on: oops_end() turns IRQs on and prints for a while, and a
	 * softirq run meanwhile on this CPU must not find it held.
	 */
	for (i = 0; i < b->pick.n; i++) {
		const struct mr_lt_rec *r = &b->sb.s.held[b->pick.idx[i]];

		if (r->how != MR_LT_HOW_BH ||
		    !raw_spin_is_locked((raw_spinlock_t *)r->lock) ||
		    !mr_ct_forget(r->lock))
			continue;
		mr_lw_real_unlock(r->lock, MR_LT_HOW_PLAIN, 0);
		_local_bh_enable();
		fixed++;
		mr_lw_lock_symbol(r->lock, b->lock_sym, sizeof(b->lock_sym));
		pr_warn("oops in %s[%d]: released lock %s (taken at %pS) with unlock_bh\n",
			current->comm, task_pid_nr(current),
			b->lock_sym[0] ? b->lock_sym : "without a symbol",
			(void *)r->ip);
		pr_warn("oops in %s[%d]: BH re-enabled for lock %s, so that the oops can end the task instead of the machine\n",
			current->comm, task_pid_nr(current),
			b->lock_sym[0] ? b->lock_sym : "without a symbol");
	}
	if (fixed) {
		atomic64_add(fixed, &mr_ct_released);
		add_taint(TAINT_FORCED_RMMOD, LOCKDEP_STILL_OK);
		/*
		 * One transaction with make_task_dead()'s hook: the buffer,
		 * and this count in mr_ct_inside, stay this task's until the
		 * hook releases its locks (or lets go, mr_ct_on_dead()).
		 */
		WRITE_ONCE(mr_ct_reserved, true);
		WRITE_ONCE(mr_ct_working, false);
		return;
	}
unsnap:
	mr_ct_unsnap();
out:
	atomic_dec(&mr_ct_inside);
}
#else
static void mr_ct_fix_bh(struct mr_ct_buf *b, struct die_args *args)
{
}
#endif

/*
 * On DIE_OOPS in kernel mode, remember where the task faulted (this CPU),
 * for make_task_dead()'s hook: an oops in a module's code releases only
 * that module's locks. Then the BH fix-up above, where it applies.
 */
static int mr_ct_on_die(struct notifier_block *nb, unsigned long val,
			void *data)
{
	struct mr_ct_buf *b = READ_ONCE(mr_ct_buf);
	struct die_args *args = data;

	if (val != DIE_OOPS)
		return NOTIFY_DONE;
	/*
	 * An oops of the task that is using the buffer: an oops inside a
	 * release (or a snapshot). Its hook never returns, and ftrace's
	 * recursion guard keeps the hook from running again: let go of the
	 * buffer and its count here, and release nothing more.
	 */
	if (mr_ct_owner_step(atomic_long_read(&mr_ct_owner),
			     (unsigned long)current,
			     READ_ONCE(mr_ct_working)) == MR_CT_OWN_NESTED) {
		pr_warn("oops in %s[%d] while containment worked on its locks: containment lets go of it, and releases nothing more for it\n",
			current->comm, task_pid_nr(current));
		WRITE_ONCE(mr_ct_gave_up_start, current->start_time);
		WRITE_ONCE(mr_ct_gave_up_on, (unsigned long)current);
		mr_ct_unsnap();
		atomic_dec(&mr_ct_inside);
		return NOTIFY_DONE;
	}
	if (!b || !READ_ONCE(mr_ct_armed))
		return NOTIFY_DONE;
	if (args->regs && !user_mode(args->regs)) {
		struct mr_ct_oops_at *at = this_cpu_ptr(&mr_ct_oops_at);

		at->task = (unsigned long)current;
		at->ip = instruction_pointer(args->regs);
	}
	mr_ct_fix_bh(b, args);
	return NOTIFY_DONE;
}

static struct notifier_block mr_ct_die_nb = {
	.notifier_call = mr_ct_on_die,
	.priority = INT_MIN,	/* last: no one after it can stop the oops */
};

static int mr_ct_hook_die(void)
{
	return register_die_notifier(&mr_ct_die_nb);
}

static void mr_ct_unhook_die(void)
{
	unregister_die_notifier(&mr_ct_die_nb);
}

/*
 * Park current for good. TASK_IDLE: no load, no hung-task report; not
 * freezable (see MR_TASK_WAITING): a suspend refuses rather than hangs.
 */
static notrace __noreturn void mr_ct_park(void)
{
	for (;;) {
		set_current_state(TASK_IDLE);
		schedule();
	}
}

/*
 * Which module's code called panic() (not this one's), by address: its
 * name into mod_name, or "" for the kernel itself. A call to a noreturn
 * function may be its caller's last bytes, hence caller - 1. The module
 * list is read as the kernel's own readers do, with preemption off; a
 * module on it cannot be freed meanwhile. Whether it is one named for
 * containment is decided in the same section.
 */
static notrace unsigned long mr_ct_caller_module(unsigned long caller,
						 struct mr_ct_facts *f,
						 char *mod_name, size_t len)
{
	unsigned long ident = 0;
	const struct mr_ct_names *names;
	struct module *mod;

	mod_name[0] = '\0';
	if (!mr_modules)
		return 0;
	preempt_disable_notrace();
	list_for_each_entry_rcu(mod, mr_modules, list, true) {
		if (mod->state == MODULE_STATE_UNFORMED ||
		    !within_module(caller - 1, mod))
			continue;
		if (mod != THIS_MODULE) {
			strscpy(mod_name, mod->name, len);
			f->module_caller = true;
			f->module_init = mod->state == MODULE_STATE_COMING;
			ident = (unsigned long)mod;
		}
		break;
	}
	names = rcu_dereference_sched(mr_ct_named);
	if (f->module_caller && names)
		f->named_caller = mr_ct_name_listed(mod_name, names->name[0],
						    names->n);
	preempt_enable_notrace();
	return ident;
}

/* Optional: rtnl_mutex's address, validated when the helper loaded. */
#ifdef CONFIG_PREEMPT_RT
static notrace unsigned long mr_ct_mutex_owner(struct mutex *m)
{
	return (unsigned long)READ_ONCE(m->rtmutex.owner);
}

/* An rtmutex's owner with its has-waiters bit; a writer holds it. */
static notrace bool mr_ct_rwsem_writer(struct rw_semaphore *sem)
{
	return mr_ct_owner_is((unsigned long)READ_ONCE(sem->rwbase.rtmutex.owner),
			      1UL, 0, (unsigned long)current);
}

#define MR_CT_MUTEX_FLAGS 1UL
#else
static notrace unsigned long mr_ct_mutex_owner(struct mutex *m)
{
	return atomic_long_read(&m->owner);
}

/* RWSEM_READER_OWNED (bit 0) and RWSEM_NONSPINNABLE (bit 1). */
static notrace bool mr_ct_rwsem_writer(struct rw_semaphore *sem)
{
	return mr_ct_owner_is(atomic_long_read(&sem->owner), 3UL, 1UL,
			      (unsigned long)current);
}

/* MUTEX_FLAG_WAITERS, _HANDOFF, _PICKUP. */
#define MR_CT_MUTEX_FLAGS 7UL
#endif

/*
 * The core kernel's sleeping locks the task is seen to hold, without
 * lockdep: a journal handle (jbd2 or another filesystem's transaction),
 * its mm's mmap_lock for writing (a read hold leaves no owner to see),
 * rtnl_mutex when its address was given. A parked task would hold them
 * for good.
 */
static notrace void mr_ct_core_locks(struct mr_ct_facts *f)
{
	struct mm_struct *mm = current->mm;

	f->journal = current->journal_info;
	f->wq_worker = current->flags & PF_WQ_WORKER;
	f->mmap_write = mm && mr_ct_rwsem_writer(&mm->mmap_lock);
	f->rtnl = mr_rtnl_mutex &&
		  mr_ct_owner_is(mr_ct_mutex_owner(mr_rtnl_mutex),
				 MR_CT_MUTEX_FLAGS, 0, (unsigned long)current);
}

/*
 * Contain the panic if the rules allow: never returns then. Returns (to
 * fall through to the real panic) otherwise, having changed nothing.
 */
static noinline notrace void mr_ct_try_park(unsigned long caller,
					    struct va_format *vaf)
{
	struct mr_ct_buf *b = READ_ONCE(mr_ct_buf);
	char where[KSYM_SYMBOL_LEN] = "";
	char mod_name[MR_CT_NAME_LEN] = "";
	struct mr_ct_facts f = { };
	unsigned long caller_mod = 0;
	enum mr_ct_why why;

	atomic_inc(&mr_ct_inside);
	f.armed = READ_ONCE(mr_ct_panic_armed) && b;
	f.nmi = in_nmi();
	f.hardirq = in_hardirq();
	/* On PREEMPT_RT a task's BH-off is not in its preempt count. */
	f.softirq = in_serving_softirq() ||
		    (IS_ENABLED(CONFIG_PREEMPT_RT) && softirq_count());
	f.idle = is_idle_task(current);
	f.init = is_global_init(current);
	f.exiting = current->flags & PF_EXITING;
	f.oops = READ_ONCE(oops_in_progress);
	f.contained = atomic_read(&mr_ct_panics);
	f.limit = READ_ONCE(mr_ct_panic_max);
	f.on_task_stack = object_is_on_stack(&f);
	if (!f.nmi) {
		caller_mod = mr_ct_caller_module(caller, &f, mod_name,
						 sizeof(mod_name));
		sprint_symbol(where, caller - 1);
		mr_ct_core_locks(&f);
	}
	why = mr_ct_panic_precheck(&f);
	if (why != MR_CT_CONTAIN)
		goto out;

	preempt_disable_notrace();
	f.busy = !mr_ct_snap(b);
	f.pick = f.busy ? NULL : &b->pick;
	if (f.pick)
		f.core_spinlocks = mr_ct_not_owned(b, caller_mod);
	/* Less the count this function just took. */
	f.preempt = preempt_count() - 1;
	f.rcu = rcu_preempt_depth();
	why = mr_ct_panic_verdict(&f);
	if (why != MR_CT_CONTAIN) {
		if (!f.busy)
			mr_ct_unsnap();
		preempt_enable_notrace();
		goto out;
	}
	atomic_inc(&mr_ct_panics);
	pr_emerg("panic contained in %s[%d], called from %s: %pV\n",
		 current->comm, task_pid_nr(current), where, vaf);
	dump_stack();
	add_taint(TAINT_DIE, LOCKDEP_STILL_OK);
	mr_ct_release(b, "panic", false);
	mr_ct_unsnap();
	preempt_enable_notrace();
	if (irqs_disabled())
		local_irq_enable();
	pr_emerg("%s[%d] parked for good (TASK_IDLE): drain this machine and reboot it\n",
		 current->comm, task_pid_nr(current));
	/* Its stack returns into this module: never to be unloaded. */
	__module_get(THIS_MODULE);
	atomic_inc(&mr_ct_parked);
	/* Counted parked before it stops counting inside (the exit reads both). */
	smp_mb__before_atomic();
	atomic_dec(&mr_ct_inside);
	mr_ct_park();
out:
	if (why != MR_CT_NOT_ARMED && where[0])
		pr_emerg("panic not contained: %s (called from %s, %s%s)\n",
			 mr_ct_why_text(why), where,
			 mod_name[0] ? "module " : "the kernel", mod_name);
	else if (why != MR_CT_NOT_ARMED)
		pr_emerg("panic not contained: %s\n", mr_ct_why_text(why));
	atomic_dec(&mr_ct_inside);
}

/*
 * panic()'s stand-in, reached instead of panic() (mr_ct_redirect()). The
 * fall-through is a direct call of the real panic(), by name, with the
 * original message: ftrace sees it come from this module and lets it
 * through.
 */
static notrace __noreturn __printf(1, 2) void mr_ct_panic(const char *fmt,
							   ...)
{
	unsigned long caller = _RET_IP_;
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	mr_ct_try_park(caller, &vaf);
	panic("%pV", &vaf);
}

static void notrace mr_ct_redirect(unsigned long ip, unsigned long parent_ip,
				   struct ftrace_ops *op,
				   struct ftrace_regs *fregs)
{
	if (within_module(parent_ip, THIS_MODULE))
		return;
#ifdef ftrace_regs_set_instruction_pointer
	ftrace_regs_set_instruction_pointer(fregs, (unsigned long)mr_ct_panic);
#else
	ftrace_instruction_pointer_set(fregs, (unsigned long)mr_ct_panic);
#endif
}

static struct ftrace_ops mr_ct_panic_ops = {
	.func = mr_ct_redirect,
	.flags = FTRACE_OPS_FL_IPMODIFY | FTRACE_OPS_FL_PERMANENT,
};

static int mr_ct_hook_dead(char *busy, size_t len)
{
	unsigned char name[] = "make_task_dead";
	int ret = ftrace_set_filter(&mr_ct_dead_ops, name, strlen(name), 1);

	if (ret) {
		strscpy(busy, "make_task_dead", len);
		return -ENOENT;
	}
	ret = register_ftrace_function(&mr_ct_dead_ops);
	if (ret) {
		mr_ftrace_free_filter(&mr_ct_dead_ops);
		strscpy(busy, "make_task_dead", len);
	}
	return ret;
}

static void mr_ct_unhook(struct ftrace_ops *ops)
{
	unregister_ftrace_function(ops);
	mr_ftrace_free_filter(ops);
}

static int mr_ct_hook_panic(char *busy, size_t len)
{
	int ret = ftrace_set_filter_ip(&mr_ct_panic_ops, (unsigned long)panic,
				       0, 1);

	if (!ret)
		ret = register_ftrace_function(&mr_ct_panic_ops);
	if (ret) {
		mr_ftrace_free_filter(&mr_ct_panic_ops);
		strscpy(busy, "panic", len);
		return ret == -EINVAL ? -ENOENT : ret;
	}
	return 0;
}

/* Wait until cond() is false, for MR_CT_DRAIN_MS at most; false if not. */
static bool mr_ct_wait(bool (*cond)(void))
{
	unsigned long deadline = jiffies + msecs_to_jiffies(MR_CT_DRAIN_MS);

	while (cond() && time_before(jiffies, deadline))
		msleep(20);
	return !cond();
}

static bool mr_ct_hooks_inside(void)
{
	return atomic_read(&mr_ct_inside) > 0 ||
	       atomic_long_read(&mr_ct_owner);
}

static bool mr_ct_held_reserved(void)
{
	return READ_ONCE(mr_ct_reserved);
}

/*
 * Let go of what containment holds while armed: its buffer, lockwatch and
 * the helper's own reference. Under mr_ct_mutex.
 */
static void mr_ct_let_go(struct mr_ct_buf *b)
{
	mr_ct_buf_free(b);
	mr_lw_unhold();
	module_put(THIS_MODULE);
}

/*
 * A disarm whose drain failed left its buffer and holds to a hook still
 * running (mr_ct_stale). Once that hook has left, let go of them: called
 * under mr_ct_mutex before anything else, so that a later `contain on`
 * neither leaks the buffer nor holds lockwatch twice. False while the
 * hook is still there.
 */
static bool mr_ct_settle(void)
{
	if (!mr_ct_stale)
		return true;
	if (mr_ct_hooks_inside())
		return false;
	mr_ct_let_go(mr_ct_stale);
	mr_ct_stale = NULL;
	pr_info("containment: the hook that outlived disarming has left; its buffer is freed\n");
	return true;
}

/* The names in arg, checked: 0, or -EINVAL. */
static int mr_ct_check_names(const struct modrescue_contain *arg)
{
	unsigned int i;

	if (!arg->n_modules || arg->n_modules > MODRESCUE_CONTAIN_MODULES)
		return -EINVAL;
	for (i = 0; i < arg->n_modules; i++) {
		size_t len = strnlen(arg->modules[i], MODRESCUE_NAME_LEN);

		if (!len || len >= MR_CT_NAME_LEN)
			return -EINVAL;
	}
	return 0;
}

static bool mr_ct_same_names(const struct mr_ct_names *cur,
			     const struct modrescue_contain *arg)
{
	unsigned int i;

	if (!cur || cur->n != arg->n_modules)
		return false;
	for (i = 0; i < cur->n; i++) {
		if (strcmp(cur->name[i], arg->modules[i]))
			return false;
	}
	return true;
}

/*
 * Put arg's names (NULL: none) in force; the old ones are freed once no
 * panic hook can be reading them. Under mr_ct_mutex.
 */
static int mr_ct_set_names(const struct modrescue_contain *arg)
{
	struct mr_ct_names *old, *new = NULL;
	unsigned int i;

	if (arg) {
		new = kzalloc(sizeof(*new), GFP_KERNEL);
		if (!new)
			return -ENOMEM;
		new->n = arg->n_modules;
		for (i = 0; i < new->n; i++)
			strscpy(new->name[i], arg->modules[i], MR_CT_NAME_LEN);
	}
	old = rcu_dereference_protected(mr_ct_named,
					lockdep_is_held(&mr_ct_mutex));
	rcu_assign_pointer(mr_ct_named, new);
	if (old) {
		synchronize_rcu();
		kfree(old);
	}
	return 0;
}

/* The names in force, for the caller. */
static void mr_ct_get_names(struct modrescue_contain *arg)
{
	const struct mr_ct_names *cur =
		rcu_dereference_protected(mr_ct_named,
					  lockdep_is_held(&mr_ct_mutex));
	unsigned int i;

	arg->n_modules = 0;
	memset(arg->modules, 0, sizeof(arg->modules));
	if (!cur || !mr_ct_panic_armed)
		return;
	arg->n_modules = cur->n;
	for (i = 0; i < cur->n; i++)
		strscpy(arg->modules[i], cur->name[i], MODRESCUE_NAME_LEN);
}

static int mr_ct_arm(struct modrescue_contain *arg, bool panic_too)
{
	int ret;

	ret = mr_lw_hold(&mr_ct_armed_lw, arg->busy, sizeof(arg->busy));
	if (ret)
		return ret;
	mr_ct_buf = mr_ct_buf_alloc();
	if (!mr_ct_buf) {
		ret = -ENOMEM;
		goto unhold;
	}
	ret = mr_ct_hook_dead(arg->busy, sizeof(arg->busy));
	if (ret)
		goto free;
	ret = mr_ct_hook_die();
	if (ret) {
		strscpy(arg->busy, "die notifier", sizeof(arg->busy));
		goto unhook;
	}
	if (panic_too) {
		ret = mr_ct_set_names(arg);
		if (!ret)
			ret = mr_ct_hook_panic(arg->busy, sizeof(arg->busy));
		if (ret)
			goto unhook_die;
	}
	/* Armed, the helper must stay: its hooks are in the call paths. */
	__module_get(THIS_MODULE);
	mr_ct_armed = true;
	mr_ct_panic_armed = panic_too;
	mr_ct_since = ktime_get_real_seconds();
	pr_info("containment armed: oopses%s\n", panic_too ? ", panics" : "");
	return 0;
unhook_die:
	mr_ct_set_names(NULL);
	mr_ct_unhook_die();
unhook:
	mr_ct_unhook(&mr_ct_dead_ops);
free:
	mr_ct_buf_free(mr_ct_buf);
	mr_ct_buf = NULL;
unhold:
	mr_lw_unhold();
	pr_info("containment not armed: %d %s\n", ret, arg->busy);
	return ret;
}

/*
 * Off: no new die-notifier reservation (unregistering it waits for the
 * notifiers running), then the reservation in flight reaches its
 * make_task_dead() hook before that is unhooked: the two are one
 * transaction. A hook that does not leave in time keeps the buffer, and
 * the holds, in mr_ct_stale until mr_ct_settle() sees it gone.
 */
static void mr_ct_disarm(void)
{
	struct mr_ct_buf *b = mr_ct_buf;

	if (mr_ct_panic_armed)
		mr_ct_unhook(&mr_ct_panic_ops);
	mr_ct_unhook_die();
	if (!mr_ct_wait(mr_ct_held_reserved))
		pr_warn("containment disarming: an oopsing task's reservation was not used in time\n");
	mr_ct_unhook(&mr_ct_dead_ops);
	mr_ct_panic_armed = false;
	mr_ct_armed = false;
	mr_ct_set_names(NULL);
	WRITE_ONCE(mr_ct_buf, NULL);
	if (mr_ct_wait(mr_ct_hooks_inside)) {
		mr_ct_let_go(b);
		pr_info("containment disarmed\n");
		return;
	}
	/* A hook still runs on the buffer and tables: keep them, and us. */
	mr_ct_stale = b;
	pr_warn("containment disarmed; a hook still running keeps the helper and lockwatch until it leaves\n");
}

/* ON while armed: the panic hook as asked now. */
static int mr_ct_rearm(struct modrescue_contain *arg, bool panic_too,
		       unsigned int max)
{
	int ret = -EALREADY;

	if (max != mr_ct_panic_max) {
		WRITE_ONCE(mr_ct_panic_max, max);
		ret = 0;
	}
	if (panic_too && !mr_ct_panic_armed) {
		ret = mr_ct_set_names(arg);
		if (!ret)
			ret = mr_ct_hook_panic(arg->busy, sizeof(arg->busy));
		if (!ret)
			mr_ct_panic_armed = true;
		else
			mr_ct_set_names(NULL);
	} else if (panic_too &&
		   !mr_ct_same_names(rcu_dereference_protected(mr_ct_named,
					lockdep_is_held(&mr_ct_mutex)), arg)) {
		ret = mr_ct_set_names(arg);
	} else if (!panic_too && mr_ct_panic_armed) {
		mr_ct_unhook(&mr_ct_panic_ops);
		mr_ct_panic_armed = false;
		mr_ct_set_names(NULL);
		ret = 0;
	}
	return ret;
}

long mr_ioctl_contain(struct modrescue_contain *arg)
{
	bool panic_too = arg->flags & MODRESCUE_CONTAIN_PANIC;
	unsigned int max = arg->panic_max ? arg->panic_max :
					    MODRESCUE_CONTAIN_PANIC_MAX;
	long ret = 0;

	BUILD_BUG_ON(sizeof(*arg) != MODRESCUE_CONTAIN_SIZE_V9);
	BUILD_BUG_ON(MR_CT_NAME_LEN != MODULE_NAME_LEN);
	if (arg->op > MODRESCUE_CONTAIN_OFF ||
	    (arg->flags & ~MODRESCUE_CONTAIN_PANIC) || max > 1000 ||
	    arg->reserved9)
		return -EINVAL;
	/*
	 * Panics are parked only for the modules named: an older caller
	 * (no names) asking for panics is refused, not widened to all.
	 */
	if (arg->op == MODRESCUE_CONTAIN_ON && panic_too &&
	    (arg->size < MODRESCUE_CONTAIN_SIZE_V9 || mr_ct_check_names(arg)))
		return -EINVAL;
	if (arg->op == MODRESCUE_CONTAIN_ON && !panic_too && arg->n_modules)
		return -EINVAL;
	if (arg->op == MODRESCUE_CONTAIN_ON && panic_too &&
	    !mr_symbols_ready()) {
		strscpy(arg->busy, "the module list", sizeof(arg->busy));
		return -EOPNOTSUPP;
	}
	memset(arg->busy, 0, sizeof(arg->busy));
	arg->lockwatch = 0;
	ret = mutex_lock_killable(&mr_ct_mutex);
	if (ret)
		return ret;
	if (!mr_ct_settle() && arg->op == MODRESCUE_CONTAIN_ON && !mr_ct_armed) {
		/* Arming anew now would hold lockwatch a second time. */
		strscpy(arg->busy, "a containment hook still running",
			sizeof(arg->busy));
		ret = -EBUSY;
	} else if (arg->op == MODRESCUE_CONTAIN_ON && !mr_ct_armed) {
		ret = mr_ct_arm(arg, panic_too);
		if (!ret)
			mr_ct_panic_max = max;
		if (!ret && mr_ct_armed_lw)
			arg->lockwatch = 2;
	} else if (arg->op == MODRESCUE_CONTAIN_ON) {
		ret = mr_ct_rearm(arg, panic_too, max);
	} else if (arg->op == MODRESCUE_CONTAIN_OFF && !mr_ct_armed) {
		ret = -EALREADY;
	} else if (arg->op == MODRESCUE_CONTAIN_OFF) {
		mr_ct_disarm();
	}
	arg->armed = mr_ct_armed;
	arg->flags = mr_ct_panic_armed ? MODRESCUE_CONTAIN_PANIC : 0;
	arg->panic_max = mr_ct_panic_max;
	mr_ct_get_names(arg);
	if (mr_ct_armed && !arg->lockwatch)
		arg->lockwatch = 1;
	arg->since = mr_ct_armed ? mr_ct_since : 0;
	arg->oopses = atomic64_read(&mr_ct_oopses);
	arg->panics = atomic_read(&mr_ct_panics);
	arg->released = atomic64_read(&mr_ct_released);
	arg->left = atomic64_read(&mr_ct_left);
	mutex_unlock(&mr_ct_mutex);
	return ret;
}

void mr_contain_exit(void)
{
	mutex_lock(&mr_ct_mutex);
	if (mr_ct_armed)
		mr_ct_disarm();
	/*
	 * A hook that outlived disarming still runs in the helper's text and
	 * reads lockwatch's tables: a forced unload waits for it to leave.
	 */
	if (!mr_ct_settle()) {
		pr_err("forced unload: a containment hook is still running; waiting for it to leave\n");
		while (!mr_ct_settle())
			mr_wait_idle(HZ);
	}
	mutex_unlock(&mr_ct_mutex);
}

/*
 * Last step of the module exit. A parked task holds a reference on the
 * helper that is never dropped, so only a forced unload (rmmod -f,
 * CONFIG_MODULE_FORCE_UNLOAD) gets here with one. Its stack returns into
 * the helper's text, and any wake-up runs mr_ct_park()'s loop again:
 * freeing that text would send it into whatever is loaded there next. The
 * exit cannot refuse once it runs, so it never returns: the rmmod sleeps
 * for good in TASK_IDLE (no signal ends it, the hung-task detector skips
 * it) and the helper stays, unloading, its code kept. Everything else is
 * disarmed by then.
 */
void mr_contain_exit_wait_parked(void)
{
	int n = atomic_read(&mr_ct_parked);

	if (!n)
		return;
	pr_err("forced unload: %d task(s) parked for good in the helper's code; keeping it: this rmmod never returns\n",
	       n);
	for (;;)
		mr_wait_idle(MAX_SCHEDULE_TIMEOUT);
}
