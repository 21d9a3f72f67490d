// SPDX-License-Identifier: GPL-2.0
/*
 * hp_trylock: trylocks that fail and trylocks that succeed, for lockwatch.
 * hp_trylock/h holds a raw spinlock (hp_trylock_raw) for hold_ms by the
 * clock, sleeps pause_ms, holds a spinlock_t (hp_trylock_spin; an rtmutex
 * on PREEMPT_RT) likewise, sleeps, and so on. hp_trylock/t, on another
 * CPU, calls raw_spin_trylock(), spin_trylock() or spin_trylock_bh() from
 * hp_trylock_probe() on whichever one hp_trylock/h holds: those fail
 * (counted in fails; one that wins the race with a release is counted in
 * probe_wins and dropped at once). Once per pause, while both are free, it
 * takes one of them (in turn) with a trylock from hp_trylock_take() and
 * keeps it take_ms (counted in takes), for a snapshot to see.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/sysfs.h>
#include <linux/timekeeping.h>

static unsigned int hold_ms = 1500;
module_param(hold_ms, uint, 0444);
MODULE_PARM_DESC(hold_ms, "How long hp_trylock/h holds each lock");

static unsigned int pause_ms = 1500;
module_param(pause_ms, uint, 0444);
MODULE_PARM_DESC(pause_ms, "How long both locks are free between holds");

static unsigned int take_ms = 700;
module_param(take_ms, uint, 0444);
MODULE_PARM_DESC(take_ms, "How long hp_trylock/t keeps a lock its trylock got");

static DEFINE_RAW_SPINLOCK(hp_trylock_raw);
static DEFINE_SPINLOCK(hp_trylock_spin);

enum { HP_FREE, HP_RAW, HP_SPIN };
/* Which lock hp_trylock/h holds: set after taking it, cleared before release. */
static int hp_holding;
/* Holds hp_trylock/h has finished. */
static atomic_t hp_rounds = ATOMIC_INIT(0);
static atomic_t hp_fails = ATOMIC_INIT(0);
static atomic_t hp_probe_wins = ATOMIC_INIT(0);
static atomic_t hp_takes = ATOMIC_INIT(0);
static struct task_struct *hp_holder, *hp_trier;

static int hp_atomic_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read(kp->arg));
}

static const struct kernel_param_ops hp_atomic_ops = {
	.get = hp_atomic_get,
};

module_param_cb(fails, &hp_atomic_ops, &hp_fails, 0444);
MODULE_PARM_DESC(fails, "Trylocks from hp_trylock_probe that failed");
module_param_cb(probe_wins, &hp_atomic_ops, &hp_probe_wins, 0444);
MODULE_PARM_DESC(probe_wins, "Trylocks from hp_trylock_probe that won a race with the release");
module_param_cb(takes, &hp_atomic_ops, &hp_takes, 0444);
MODULE_PARM_DESC(takes, "Locks hp_trylock_take got and kept take_ms");

/* Busy for ms by the clock (a TCG delay loop drifts), or until stopped. */
static void hp_trylock_busy(unsigned int ms)
{
	u64 end = ktime_get_ns() + (u64)ms * NSEC_PER_MSEC;

	while (ktime_get_ns() < end && !kthread_should_stop())
		cpu_relax();
}

static int hp_trylock_holder(void *data)
{
	while (!kthread_should_stop()) {
		raw_spin_lock(&hp_trylock_raw);
		WRITE_ONCE(hp_holding, HP_RAW);
		hp_trylock_busy(hold_ms);
		WRITE_ONCE(hp_holding, HP_FREE);
		raw_spin_unlock(&hp_trylock_raw);
		atomic_inc(&hp_rounds);
		msleep_interruptible(pause_ms);

		spin_lock(&hp_trylock_spin);
		WRITE_ONCE(hp_holding, HP_SPIN);
		hp_trylock_busy(hold_ms);
		WRITE_ONCE(hp_holding, HP_FREE);
		spin_unlock(&hp_trylock_spin);
		atomic_inc(&hp_rounds);
		msleep_interruptible(pause_ms);
	}
	return 0;
}

/* A trylock on the lock hp_trylock/h holds: it fails. Not inlined: the acquire site. */
static noinline void hp_trylock_probe(int which, bool bh)
{
	bool won = false;

	if (which == HP_RAW) {
		won = raw_spin_trylock(&hp_trylock_raw);
		if (won)
			raw_spin_unlock(&hp_trylock_raw);
	} else if (bh) {
		won = spin_trylock_bh(&hp_trylock_spin);
		if (won)
			spin_unlock_bh(&hp_trylock_spin);
	} else {
		won = spin_trylock(&hp_trylock_spin);
		if (won)
			spin_unlock(&hp_trylock_spin);
	}
	atomic_inc(won ? &hp_probe_wins : &hp_fails);
}

/* A trylock on a free lock: it succeeds, and the lock is kept take_ms. */
static noinline void hp_trylock_take(int which)
{
	if (which == HP_RAW) {
		if (!raw_spin_trylock(&hp_trylock_raw))
			return;
		hp_trylock_busy(take_ms);
		raw_spin_unlock(&hp_trylock_raw);
	} else {
		if (!spin_trylock(&hp_trylock_spin))
			return;
		hp_trylock_busy(take_ms);
		spin_unlock(&hp_trylock_spin);
	}
	atomic_inc(&hp_takes);
}

static int hp_trylock_trier(void *data)
{
	int taken_in = -1, take = HP_RAW, holding, rounds;
	bool bh = false;

	while (!kthread_should_stop()) {
		holding = READ_ONCE(hp_holding);
		rounds = atomic_read(&hp_rounds);
		if (holding != HP_FREE) {
			hp_trylock_probe(holding, bh);
			bh = !bh;
		} else if (rounds != taken_in) {
			taken_in = rounds;
			hp_trylock_take(take);
			take = take == HP_RAW ? HP_SPIN : HP_RAW;
		}
		usleep_range(200, 400);
	}
	return 0;
}

static int __init hp_trylock_init(void)
{
	hp_holder = kthread_create(hp_trylock_holder, NULL, "hp_trylock/h");
	if (IS_ERR(hp_holder))
		return PTR_ERR(hp_holder);
	hp_trier = kthread_create(hp_trylock_trier, NULL, "hp_trylock/t");
	if (IS_ERR(hp_trier)) {
		kthread_stop(hp_holder);	/* never woken: exits without running */
		return PTR_ERR(hp_trier);
	}
	/* Apart, so that the trylocks run while the lock is held. */
	if (num_online_cpus() >= 2) {
		kthread_bind(hp_holder, 0);
		kthread_bind(hp_trier, 1);
	}
	wake_up_process(hp_holder);
	wake_up_process(hp_trier);
	return 0;
}

static void __exit hp_trylock_exit(void)
{
	kthread_stop(hp_trier);
	kthread_stop(hp_holder);
	pr_info("exit done: fails=%d probe_wins=%d takes=%d\n",
		atomic_read(&hp_fails), atomic_read(&hp_probe_wins),
		atomic_read(&hp_takes));
}

module_init(hp_trylock_init);
module_exit(hp_trylock_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lockwatch patient: failed and successful trylocks");
