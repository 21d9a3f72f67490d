// SPDX-License-Identifier: GPL-2.0
/* hp_lockhold: a kthread holds a static raw spinlock for hold_ms at a time, pause_ms apart, for lockwatch to see. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>

static unsigned int hold_ms = 2000;
module_param(hold_ms, uint, 0444);
MODULE_PARM_DESC(hold_ms, "How long each hold lasts (by the clock, not a delay loop)");

static unsigned int pause_ms = 500;
module_param(pause_ms, uint, 0444);
MODULE_PARM_DESC(pause_ms, "How long the lock is free between holds");

static DEFINE_RAW_SPINLOCK(hp_lockhold_lock);
static struct task_struct *hp_lockhold_task;

/* Hold the lock for hold_ms by the clock: a TCG delay loop drifts. */
static void hp_lockhold_hold(void)
{
	u64 end = ktime_get_ns() + (u64)hold_ms * NSEC_PER_MSEC;

	raw_spin_lock(&hp_lockhold_lock);
	while (ktime_get_ns() < end && !kthread_should_stop())
		cpu_relax();
	raw_spin_unlock(&hp_lockhold_lock);
}

static int hp_lockhold_thread(void *data)
{
	while (!kthread_should_stop()) {
		hp_lockhold_hold();
		msleep_interruptible(pause_ms);
	}
	return 0;
}

static int __init hp_lockhold_init(void)
{
	hp_lockhold_task = kthread_run(hp_lockhold_thread, NULL, "hp_lockhold");
	return PTR_ERR_OR_ZERO(hp_lockhold_task);
}

static void __exit hp_lockhold_exit(void)
{
	kthread_stop(hp_lockhold_task);
	pr_info("exit done\n");
}

module_init(hp_lockhold_init);
module_exit(hp_lockhold_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lockwatch patient: a kthread holding a raw spinlock");
