// SPDX-License-Identifier: GPL-2.0
/*
 * Releasing a spinlock whose owner is dead (issue 11, part 1): a task that
 * oopsed while holding a spinlock dies in make_task_dead() with the lock
 * still held, and the next task to take it spins forever. Lockwatch knows
 * who took it; this releases it, and only when all of these hold:
 *
 * - lockwatch reports the lock held, once, with no missed event about it
 *   (mr_lw_find_held(): no entry for it dropped as stale or uncertain);
 * - it was taken in task context: a lock taken in IRQ, softirq or NMI
 *   context belongs to that context, which did not die;
 * - a spinning lock, not PREEMPT_RT's rtmutex-based spinlock_t: handing an
 *   rtmutex owned by a dead task to its waiter needs rtmutex internals that
 *   no exported function offers;
 * - its owner is confirmed dead: the task is gone (no task has its pid, or
 *   the one that has it started after the lock was taken), or it is dead
 *   for good (TASK_DEAD, an exit state, and off its CPU: it never runs
 *   again). A task that is merely exiting (PF_EXITING) still runs, may
 *   still take and release locks, and is refused. So is a live owner;
 * - it has been held for at least MR_LR_MIN_HELD_NS: a task that has just
 *   left the PID table (an autoreaped task in release_task()) still runs
 *   its last instructions and may hold a spinlock for microseconds; a
 *   second rules that out for a spinning lock, whose holder never sleeps;
 * - its memory is provably still the lock that was taken (lockplace.h):
 *   vmlinux's static writable data or per-CPU data, or a live module's
 *   writable or per-CPU data that the module already had when the lock was
 *   taken. A lock in the heap (slab, page allocator, vmalloc) is refused:
 *   an object freed and reused since cannot be told from the lock;
 * - its lock word reads back (without faulting) as exactly a held lock:
 *   the locked byte is _Q_LOCKED_VAL, or on a paravirt guest _Q_SLOW_VAL
 *   (a halted waiter hashed it; the kernel's own unlock wakes it).
 *
 * The placement is checked and the locked byte swapped to 0 by one
 * compare-and-exchange of exactly the value read, with release semantics,
 * inside one RCU read-side section with preemption off: the module found
 * holding the memory cannot be freed before it ends (free_module() waits
 * for a grace period), and the memory is writable data, so the write
 * cannot fault. Once the owner is dead nobody else may release the lock,
 * so it cannot change between the checks and the release but by this
 * helper, whose releases are serialised by lockwatch's mutex; should the
 * word have changed anyway, nothing is written and the release fails.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/percpu.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "lockplace.h"
#include "locks.h"
#include "modrescue.h"

/* How long a lock must have been held by its dead owner. */
#define MR_LR_MIN_HELD_NS (1000ULL * NSEC_PER_MSEC)
/*
 * Is the owner of r dead for good? held_ns: how long it has held the lock.
 * Returns MODRESCUE_RELEASE_OK, _ALIVE or _EXITING.
 */
static u32 mr_lr_owner_fate(const struct mr_lt_rec *r, u64 held_ns)
{
	u64 taken = ktime_get_ns() - held_ns;
	struct task_struct *t;
	u32 fate = MODRESCUE_RELEASE_OK;

	/* pid 0 is each CPU's idle task, which never dies: not "gone". */
	if (r->pid <= 0)
		return MODRESCUE_RELEASE_ALIVE;
	rcu_read_lock();
	t = pid_task(find_pid_ns(r->pid, &init_pid_ns), PIDTYPE_PID);
	/*
	 * A pid is not reused while its task lives: a task with it that
	 * started after the lock was taken is another one (the clocks differ
	 * by the slack at most; within it, the task is taken for the owner).
	 */
	if (t && t->start_time > taken + MR_LT_SLACK_NS)
		t = NULL;
	/* The acquiring task's own start time, where recorded, settles it. */
	if (t && r->start_ns && t->start_time != r->start_ns)
		t = NULL;
	if (t) {
		if (READ_ONCE(t->__state) == TASK_DEAD &&
		    READ_ONCE(t->exit_state) && !READ_ONCE(t->on_cpu))
			fate = MODRESCUE_RELEASE_OK;
		else if (READ_ONCE(t->flags) & PF_EXITING)
			fate = MODRESCUE_RELEASE_EXITING;
		else
			fate = MODRESCUE_RELEASE_ALIVE;
	}
	rcu_read_unlock();
	return fate;
}

/*
 * Module memory changes owners only at a load: each module's writable
 * ranges, with the time it came (MODULE_STATE_COMING), from helper load on
 * (before lockwatch can record any acquisition). The notifier and the
 * release, preemption off, share the ring under a raw spinlock.
 */
static struct mr_lp_ring mr_lp_ring;
static DEFINE_RAW_SPINLOCK(mr_lp_ring_lock);
/* Each possible CPU's per-CPU offset (fixed after boot). */
static unsigned long *mr_lp_cpu_offsets;
static unsigned int mr_lp_n_cpus;

/* M's writable data and per-CPU data (6.4 replaced core_layout with mem[]). */
static void mr_lr_module_ranges(const struct module *m, struct mr_lp_module *c)
{
#ifdef for_each_mod_mem_type
	c->data_start = (unsigned long)m->mem[MOD_DATA].base;
	c->data_end = c->data_start + m->mem[MOD_DATA].size;
#else
	/* Past ro_after_init: text | rodata | ro_after_init | data. */
	c->data_start = (unsigned long)m->core_layout.base +
			m->core_layout.ro_after_init_size;
	c->data_end = (unsigned long)m->core_layout.base + m->core_layout.size;
#endif
#ifdef CONFIG_SMP
	if (m->percpu && m->percpu_size) {
		c->percpu_start = (__force unsigned long)m->percpu;
		c->percpu_end = c->percpu_start + m->percpu_size;
	}
#endif
}

static int mr_lr_module_event(struct notifier_block *nb, unsigned long state,
			      void *data)
{
	struct mr_lp_module c = { };
	struct module *m = data;
	u64 now;

	if (state != MODULE_STATE_COMING && state != MODULE_STATE_GOING)
		return NOTIFY_DONE;
	mr_lr_module_ranges(m, &c);
	raw_spin_lock(&mr_lp_ring_lock);
	now = ktime_get_mono_fast_ns();
	if (state == MODULE_STATE_GOING) {
		mr_lp_record_going(&mr_lp_ring, now, MR_LP_DIRECT,
				   c.data_start, c.data_end);
		if (c.percpu_end)
			mr_lp_record_going(&mr_lp_ring, now, MR_LP_PERCPU,
					   c.percpu_start, c.percpu_end);
	} else {
		mr_lp_record(&mr_lp_ring, now, (unsigned long)m, MR_LP_DIRECT,
			     c.data_start, c.data_end);
		if (c.percpu_end)
			mr_lp_record(&mr_lp_ring, now, (unsigned long)m,
				     MR_LP_PERCPU, c.percpu_start,
				     c.percpu_end);
	}
	raw_spin_unlock(&mr_lp_ring_lock);
	return NOTIFY_OK;
}

static struct notifier_block mr_lr_module_nb = {
	.notifier_call = mr_lr_module_event,
};

int mr_lr_init(void)
{
	unsigned int cpu;
	int ret;

	mr_lp_cpu_offsets = kcalloc(nr_cpu_ids, sizeof(*mr_lp_cpu_offsets),
				    GFP_KERNEL);
	if (!mr_lp_cpu_offsets)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		mr_lp_cpu_offsets[mr_lp_n_cpus++] = per_cpu_offset(cpu);
	mr_lp_ring_init(&mr_lp_ring);
	ret = register_module_notifier(&mr_lr_module_nb);
	if (ret) {
		kfree(mr_lp_cpu_offsets);
		mr_lp_cpu_offsets = NULL;
	}
	return ret;
}

void mr_lr_exit(void)
{
	unregister_module_notifier(&mr_lr_module_nb);
	kfree(mr_lp_cpu_offsets);
	mr_lp_cpu_offsets = NULL;
}

/*
 * The module whose memory, or a CPU's copy of whose per-CPU data, holds
 * [addr, addr + len), into *c. The caller is in an RCU read-side section
 * with preemption off, as the kernel's own module lookups are.
 */
static void mr_lr_find_module(unsigned long addr, unsigned long len,
			      struct mr_lp_module *c)
{
	struct module *m;

	list_for_each_entry_rcu(m, mr_modules, list) {
		int state = READ_ONCE(m->state);

		if (state == MODULE_STATE_UNFORMED)
			continue;
		memset(c, 0, sizeof(*c));
		mr_lr_module_ranges(m, c);
		if (!within_module(addr, m) &&
		    !within_module(addr + len - 1, m) &&
		    !mr_lp_in_percpu(mr_lp_cpu_offsets, mr_lp_n_cpus, addr,
				     len, c->percpu_start, c->percpu_end))
			continue;
		c->id = (unsigned long)m;
		c->coming = state == MODULE_STATE_COMING;
		return;
	}
	memset(c, 0, sizeof(*c));
}

#if defined(CONFIG_QUEUED_SPINLOCKS) && !defined(CONFIG_DEBUG_SPINLOCK)
/*
 * A halted paravirt waiter hashed the lock and set this (private to
 * kernel/locking/qspinlock_paravirt.h); the kernel's own unlock unhashes
 * and wakes it. Only the locked byte of a real held lock may have it.
 */
#define MR_Q_SLOW_VAL (3U << _Q_LOCKED_OFFSET)

/*
 * Only a guest has paravirt spinlocks at work (the unlock is patched to
 * the native one on bare metal, where 3 is never a held lock's value).
 */
static bool mr_lr_pv_slow(u8 locked)
{
#ifdef CONFIG_X86
	if (!boot_cpu_has(X86_FEATURE_HYPERVISOR))
		return false;
#endif
	return IS_ENABLED(CONFIG_PARAVIRT_SPINLOCKS) && locked == MR_Q_SLOW_VAL;
}

/*
 * Is the lock word at lock exactly a held lock? Release it unless dry_run.
 * The memory is validated (mr_lp_judge()) and stays so: the caller is in
 * the RCU read-side section where it was validated.
 *
 * The release is _raw_spin_unlock()'s, less its preempt_enable(): the
 * ioctl caller's preempt count and IRQ state are its own. The dead owner's
 * died with it (make_task_dead() repaired them before do_exit()), so only
 * the lock word is left. A CPU spinning on the lock sees the store and
 * takes it. The native unlock is a release store of 0 to the locked byte;
 * this is a compare-and-exchange of exactly the value read instead, so a
 * word that changed meanwhile is never overwritten.
 */
static u32 mr_lr_word(raw_spinlock_t *lock, bool dry_run)
{
	u32 val;
	u8 locked;

	if (copy_from_kernel_nofault(&val, &lock->raw_lock.val, sizeof(val)))
		return MODRESCUE_RELEASE_BAD_PLACE;
	/* The locked byte: pending and the queue's tail are the waiters'. */
	locked = (val & _Q_LOCKED_MASK) >> _Q_LOCKED_OFFSET;
	if (!locked)
		return MODRESCUE_RELEASE_FREE;
	if (locked != _Q_LOCKED_VAL && !mr_lr_pv_slow(locked))
		return MODRESCUE_RELEASE_NOT_A_LOCK;
	if (dry_run)
		return MODRESCUE_RELEASE_OK;
	if (locked == _Q_LOCKED_VAL &&
	    try_cmpxchg_release(&lock->raw_lock.locked, &locked, 0))
		return MODRESCUE_RELEASE_OK;
	/*
	 * _Q_SLOW_VAL, read or set meanwhile by the queue's head halting (the
	 * only change a held lock's byte sees but its release): the kernel's
	 * paravirt unlock, which wakes that waiter. Anything else: written by
	 * something that is not this lock's code; leave it.
	 */
	if (mr_lr_pv_slow(locked)) {
		do_raw_spin_unlock(lock);
		return MODRESCUE_RELEASE_OK;
	}
	return locked ? MODRESCUE_RELEASE_NOT_A_LOCK : MODRESCUE_RELEASE_FREE;
}
#else
static u32 mr_lr_word(raw_spinlock_t *lock, bool dry_run)
{
	/* Another lock word (or one that checks its owner): not ours to touch. */
	return MODRESCUE_RELEASE_BAD_PLACE;
}
#endif

/*
 * Is r's lock still the lock that was taken, and exactly held? Then
 * release it, unless dry_run. Placement, word and write in one RCU
 * read-side section with preemption off (see the top of this file).
 */
static u32 mr_lr_place_and_release(const struct mr_lt_rec *r, bool dry_run)
{
	const struct mr_lp_static st = {
		.data_start = mr_static.data_start,
		.data_end = mr_static.data_end,
		.bss_start = mr_static.bss_start,
		.bss_end = mr_static.bss_end,
		.percpu_start = mr_static.percpu_start,
		.percpu_end = mr_static.percpu_end,
	};
	struct mr_lp_facts f = {
		.lock_at = r->lock,
		.len = sizeof(raw_spinlock_t),
		.taken_ns = r->since_ns,
		.slack_ns = MR_LT_SLACK_NS,
		.st = &st,
		.cpu_offsets = mr_lp_cpu_offsets,
		.n_cpus = mr_lp_n_cpus,
		.modules_known = mr_modules,
	};
	u32 reason;

	rcu_read_lock();
	preempt_disable();
	if (mr_modules)
		mr_lr_find_module(f.lock_at, f.len, &f.mod);
	raw_spin_lock(&mr_lp_ring_lock);
	reason = mr_lp_judge(&f, &mr_lp_ring);
	raw_spin_unlock(&mr_lp_ring_lock);
	if (reason == MODRESCUE_RELEASE_OK)
		reason = mr_lr_word((raw_spinlock_t *)r->lock, dry_run);
	preempt_enable();
	rcu_read_unlock();
	return reason;
}

/*
 * Every check but the lock word's, on the entry lockwatch reported; a live
 * owner is said to be one before anything else.
 */
static u32 mr_lr_judge(const struct mr_lt_rec *r, u64 held_ns)
{
	u32 fate;

	if (r->ctx != MR_LT_TASK)
		return MODRESCUE_RELEASE_CONTEXT;
	fate = mr_lr_owner_fate(r, held_ns);
	if (fate != MODRESCUE_RELEASE_OK)
		return fate;
	if (r->kind != MR_LT_RAW)
		return MODRESCUE_RELEASE_SLEEPING;
	if (held_ns < MR_LR_MIN_HELD_NS)
		return MODRESCUE_RELEASE_RECENT;
	return MODRESCUE_RELEASE_OK;
}

static long mr_lr_errno(u32 reason)
{
	switch (reason) {
	case MODRESCUE_RELEASE_OK:
		return 0;
	case MODRESCUE_RELEASE_ALIVE:
	case MODRESCUE_RELEASE_EXITING:
		return -EBUSY;
	case MODRESCUE_RELEASE_CONTEXT:
		return -EPERM;
	case MODRESCUE_RELEASE_RECENT:
	case MODRESCUE_RELEASE_UNCERTAIN:
		return -EAGAIN;
	case MODRESCUE_RELEASE_FREE:
		return -ESTALE;
	case MODRESCUE_RELEASE_SLEEPING:
		return -EOPNOTSUPP;
	case MODRESCUE_RELEASE_FULL:
		return -ENOSPC;
	case MODRESCUE_RELEASE_NOT_HELD:
		return -ENOENT;
	/* Not memory the helper can prove is the lock: as BAD_PLACE. */
	case MODRESCUE_RELEASE_HEAP:
		return -EFAULT;
	/* The word's value is not one a held lock has. */
	case MODRESCUE_RELEASE_NOT_A_LOCK:
		return -EINVAL;
	/* The helper was not given what it needs to judge (as for surgery). */
	case MODRESCUE_RELEASE_UNVALIDATED:
		return -EOPNOTSUPP;
	default:
		return -EFAULT;
	}
}

long mr_ioctl_lock_release(struct modrescue_lock_release *arg)
{
	bool dry_run = arg->flags & MODRESCUE_LOCK_RELEASE_DRY_RUN;
	struct mr_lt_rec r;
	u64 now, held;
	long ret;

	if ((arg->flags & ~MODRESCUE_LOCK_RELEASE_DRY_RUN) ||
	    arg->reserved[0] || arg->reserved[1])
		return -EINVAL;
	arg->reason = MODRESCUE_RELEASE_NOT_HELD;
	arg->dead_pid = 0;
	memset(&arg->owner, 0, sizeof(arg->owner));
	ret = mr_lw_lock_armed();
	if (ret)
		return ret;
	ret = mr_lw_find_held(arg->lock, &r, &now);
	if (ret) {
		if (ret == -EAGAIN)
			arg->reason = MODRESCUE_RELEASE_UNCERTAIN;
		goto unlock;
	}
	mr_lw_fill(&arg->owner, &r, false, now);
	if (task_active_pid_ns(current) == &init_pid_ns)
		arg->dead_pid = r.pid;
	held = arg->owner.ns;
	arg->reason = mr_lr_judge(&r, held);
	if (arg->reason == MODRESCUE_RELEASE_OK && mr_lr_full())
		arg->reason = MODRESCUE_RELEASE_FULL;
	if (arg->reason == MODRESCUE_RELEASE_OK)
		arg->reason = mr_lr_place_and_release(&r, dry_run);
	ret = mr_lr_errno(arg->reason);
	if (ret || dry_run)
		goto unlock;
	mr_lr_remember(&r);
	add_taint(TAINT_FORCED_RMMOD, LOCKDEP_STILL_OK);
	pr_warn("released %s held by dead pid %d, taken at %s; the data it guards may be half-updated\n",
		arg->owner.symbol[0] ? arg->owner.symbol : "a spinlock", r.pid,
		arg->owner.site[0] ? arg->owner.site : "an unknown site");
unlock:
	mr_lw_unlock();
	return ret;
}
