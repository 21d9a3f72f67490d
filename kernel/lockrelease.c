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
 * - its memory is the kernel image, the direct map or the module area, and
 *   reads back (without faulting) with the locked byte set.
 *
 * Once the owner is dead nobody else may release the lock, so it cannot
 * change between the checks and the release but by this helper, whose
 * releases are serialised by lockwatch's mutex.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#include "lockwatch.h"
#include "modrescue.h"

/* How long a lock must have been held by its dead owner. */
#define MR_LR_MIN_HELD_NS (1000ULL * NSEC_PER_MSEC)
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

/*
 * Is the owner of r dead for good? held_ns: how long it has held the lock.
 * Returns MODRESCUE_RELEASE_OK, _ALIVE or _EXITING.
 */
static u32 mr_lr_owner_fate(const struct mr_lt_rec *r, u64 held_ns)
{
	u64 taken = ktime_get_ns() - held_ns;
	struct task_struct *t;
	u32 fate = MODRESCUE_RELEASE_OK;

	rcu_read_lock();
	t = pid_task(find_pid_ns(r->pid, &init_pid_ns), PIDTYPE_PID);
	/*
	 * A pid is not reused while its task lives: a task with it that
	 * started after the lock was taken is another one (the clocks differ
	 * by the slack at most; within it, the task is taken for the owner).
	 */
	if (t && t->start_time > taken + MR_LT_SLACK_NS)
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

/* Memory the helper may write a lock word into: no device memory. */
static bool mr_lr_writable(unsigned long addr, size_t len)
{
	unsigned long end = addr + len - 1;

	if (end < addr)
		return false;
	if (addr >= MODULES_VADDR && end < MODULES_END)
		return true;
	return virt_addr_valid((void *)addr) && virt_addr_valid((void *)end);
}

/* Is the raw spinlock at lock held, by its own lock word? */
static u32 mr_lr_word(raw_spinlock_t *lock)
{
#if defined(CONFIG_QUEUED_SPINLOCKS) && !defined(CONFIG_DEBUG_SPINLOCK)
	arch_spinlock_t word;

	if (!mr_lr_writable((unsigned long)lock, sizeof(*lock)) ||
	    copy_from_kernel_nofault(&word, &lock->raw_lock, sizeof(word)))
		return MODRESCUE_RELEASE_BAD_PLACE;
	/* The locked byte: pending and the queue's tail are the waiters'. */
	return word.locked ? MODRESCUE_RELEASE_OK : MODRESCUE_RELEASE_FREE;
#else
	/* Another lock word (or one that checks its owner): not ours to touch. */
	return MODRESCUE_RELEASE_BAD_PLACE;
#endif
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
	default:
		return -EFAULT;
	}
}

/*
 * Store the unlocked value the way _raw_spin_unlock() does, less its
 * preempt_enable(): the ioctl caller's preempt count and IRQ state are its
 * own and stay as they are. The dead owner's preempt count, IRQ and BH
 * state died with it: make_task_dead() repaired them before do_exit()
 * ("exited with preempt_count 1"), so only the lock word is left.
 * do_raw_spin_unlock() is inline (no call into the kernel but, on a
 * paravirt guest, the kernel's own patched unlock, which also wakes a
 * halted waiter): no RCU grace period, no IPI; a CPU spinning on the lock
 * with preemption off sees the store and takes the lock.
 */
static void mr_lr_unlock(raw_spinlock_t *lock)
{
#if defined(CONFIG_QUEUED_SPINLOCKS) && !defined(CONFIG_DEBUG_SPINLOCK)
	do_raw_spin_unlock(lock);
#endif
}

static void mr_lr_remember(const struct mr_lt_rec *r)
{
	struct mr_lr_gone *g = &mr_lr_gone[mr_lr_n];

	g->lock = r->lock;
	g->since_ns = r->since_ns;
	g->cpu = r->cpu;
	g->ctx = r->ctx;
	/* The entry before the count: lock-free readers (mr_lr_is_gone()). */
	smp_store_release(&mr_lr_n, mr_lr_n + 1);
}

long mr_ioctl_lock_release(struct modrescue_lock_release *arg)
{
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
	if (arg->reason == MODRESCUE_RELEASE_OK)
		arg->reason = mr_lr_word((raw_spinlock_t *)r.lock);
	if (arg->reason == MODRESCUE_RELEASE_OK && mr_lr_n == MR_LR_MAX)
		arg->reason = MODRESCUE_RELEASE_FULL;
	ret = mr_lr_errno(arg->reason);
	if (ret || (arg->flags & MODRESCUE_LOCK_RELEASE_DRY_RUN))
		goto unlock;
	mr_lr_unlock((raw_spinlock_t *)r.lock);
	mr_lr_remember(&r);
	add_taint(TAINT_FORCED_RMMOD, LOCKDEP_STILL_OK);
	pr_warn("released %s held by dead pid %d, taken at %s; the data it guards may be half-updated\n",
		arg->owner.symbol[0] ? arg->owner.symbol : "a spinlock", r.pid,
		arg->owner.site[0] ? arg->owner.site : "an unknown site");
unlock:
	mr_lw_unlock();
	return ret;
}
