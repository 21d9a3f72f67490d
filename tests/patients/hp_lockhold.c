// SPDX-License-Identifier: GPL-2.0
/*
 * hp_lockhold: a kthread holds a static lock for hold_ms at a time,
 * pause_ms apart, for lockwatch to see. kind=raw (default): a
 * raw_spinlock_t, hp_lockhold_lock; kind=spin: a spinlock_t,
 * hp_lockhold_spin (a sleeping rtmutex on PREEMPT_RT, a raw spinlock
 * elsewhere). waiter=1: a second kthread, hp_lockwait, takes the same lock
 * in a loop, so it waits while the first holds it (spinning, or asleep on
 * PREEMPT_RT's spinlock_t).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

static unsigned int hold_ms = 2000;
module_param(hold_ms, uint, 0444);
MODULE_PARM_DESC(hold_ms, "How long each hold lasts (by the clock, not a delay loop)");

static unsigned int pause_ms = 500;
module_param(pause_ms, uint, 0444);
MODULE_PARM_DESC(pause_ms, "How long the lock is free between holds");

static char *kind = "raw";
module_param(kind, charp, 0444);
MODULE_PARM_DESC(kind, "raw: a raw_spinlock_t; spin: a spinlock_t");

static bool waiter;
module_param(waiter, bool, 0444);
MODULE_PARM_DESC(waiter, "A second kthread waits for the same lock");

static DEFINE_RAW_SPINLOCK(hp_lockhold_lock);
static DEFINE_SPINLOCK(hp_lockhold_spin);
static bool hp_lockhold_use_spin;
static struct task_struct *hp_lockhold_task, *hp_lockwait_task;

static void hp_lockhold_take(void)
{
	if (hp_lockhold_use_spin)
		spin_lock(&hp_lockhold_spin);
	else
		raw_spin_lock(&hp_lockhold_lock);
}

static void hp_lockhold_drop(void)
{
	if (hp_lockhold_use_spin)
		spin_unlock(&hp_lockhold_spin);
	else
		raw_spin_unlock(&hp_lockhold_lock);
}

/* Hold the lock for ms by the clock: a TCG delay loop drifts. */
static void hp_lockhold_hold(unsigned int ms)
{
	u64 end = ktime_get_ns() + (u64)ms * NSEC_PER_MSEC;

	hp_lockhold_take();
	while (ktime_get_ns() < end && !kthread_should_stop())
		cpu_relax();
	hp_lockhold_drop();
}

static int hp_lockhold_thread(void *data)
{
	while (!kthread_should_stop()) {
		hp_lockhold_hold(hold_ms);
		msleep_interruptible(pause_ms);
	}
	return 0;
}

/* Take the lock briefly, again and again: it waits while the other holds. */
static int hp_lockwait_thread(void *data)
{
	while (!kthread_should_stop()) {
		hp_lockhold_hold(1);
		msleep_interruptible(pause_ms / 3 + 1);
	}
	return 0;
}

static int __init hp_lockhold_init(void)
{
	if (!strcmp(kind, "spin"))
		hp_lockhold_use_spin = true;
	else if (strcmp(kind, "raw"))
		return -EINVAL;
	hp_lockhold_task = kthread_run(hp_lockhold_thread, NULL, "hp_lockhold");
	if (IS_ERR(hp_lockhold_task))
		return PTR_ERR(hp_lockhold_task);
	if (!waiter)
		return 0;
	hp_lockwait_task = kthread_run(hp_lockwait_thread, NULL, "hp_lockwait");
	if (IS_ERR(hp_lockwait_task)) {
		kthread_stop(hp_lockhold_task);
		return PTR_ERR(hp_lockwait_task);
	}
	return 0;
}

static void __exit hp_lockhold_exit(void)
{
	if (hp_lockwait_task)
		kthread_stop(hp_lockwait_task);
	kthread_stop(hp_lockhold_task);
	pr_info("exit done\n");
}

module_init(hp_lockhold_init);
module_exit(hp_lockhold_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lockwatch patient: a kthread holding a raw spinlock or a spinlock_t");
