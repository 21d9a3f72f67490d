// SPDX-License-Identifier: GPL-2.0
/*
 * hp_lockctx: locks taken in interrupt context, for lockwatch to classify.
 * On CPU cpu, a pinned timer_list callback (softirq) takes a spinlock_t
 * (an rtmutex on PREEMPT_RT) and then a raw spinlock, and a pinned
 * HRTIMER_MODE_REL_PINNED_HARD hrtimer (hardirq, on RT too) takes another
 * raw spinlock; each is held hold_ms by the clock, every period_ms. Each
 * lock is only ever taken in its own context, so a lockwatch that reports
 * the interrupted task as its owner is wrong.
 *
 * leave=1: also, on its first expiry, the timer_list callback takes
 * hp_lockctx_softleft_lock and the hrtimer hp_lockctx_hardleft_lock (raw
 * spinlocks), and each returns holding it for good (its preemption count
 * given back): locks held by a context, whatever task it interrupted,
 * that `modrescue locks release` must refuse. left says which words are
 * held.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/hrtimer.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/preempt.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/sysfs.h>
#include <linux/timekeeping.h>
#include <linux/timer.h>

static unsigned int cpu = 1;
module_param(cpu, uint, 0444);
MODULE_PARM_DESC(cpu, "The CPU both timers fire on");

static unsigned int hold_ms = 5;
module_param(hold_ms, uint, 0444);
MODULE_PARM_DESC(hold_ms, "How long each lock is held per expiry");

static unsigned int period_ms = 20;
module_param(period_ms, uint, 0444);
MODULE_PARM_DESC(period_ms, "How often each timer fires");

static bool leave;
module_param(leave, bool, 0444);
MODULE_PARM_DESC(leave, "Each timer also takes a lock once and never releases it");

static DEFINE_SPINLOCK(hp_lockctx_soft_lock);
static DEFINE_RAW_SPINLOCK(hp_lockctx_softleft_lock);
static DEFINE_RAW_SPINLOCK(hp_lockctx_hardleft_lock);
static bool hp_lockctx_softleft_taken, hp_lockctx_hardleft_taken;

static int hp_lockctx_left_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "soft=%d hard=%d\n",
			  raw_spin_is_locked(&hp_lockctx_softleft_lock),
			  raw_spin_is_locked(&hp_lockctx_hardleft_lock));
}

static const struct kernel_param_ops hp_lockctx_left_ops = {
	.get = hp_lockctx_left_get,
};
module_param_cb(left, &hp_lockctx_left_ops, NULL, 0444);
MODULE_PARM_DESC(left, "Whether each left lock's word is held");

/* Take l once and keep it: the word stays held, the count goes back. */
static void hp_lockctx_leave(raw_spinlock_t *l, bool *taken)
{
	if (!leave || *taken)
		return;
	*taken = true;
	raw_spin_lock(l);
	preempt_enable();
}
static DEFINE_RAW_SPINLOCK(hp_lockctx_softraw_lock);
static DEFINE_RAW_SPINLOCK(hp_lockctx_hard_lock);
static struct timer_list hp_lockctx_timer;
static struct hrtimer hp_lockctx_hrtimer;
static bool hp_lockctx_stopping;

/* Busy for ms by the clock: a TCG delay loop drifts. */
static void hp_lockctx_busy(unsigned int ms)
{
	u64 end = ktime_get_ns() + (u64)ms * NSEC_PER_MSEC;

	while (ktime_get_ns() < end)
		cpu_relax();
}

static void hp_lockctx_soft(struct timer_list *t)
{
	spin_lock(&hp_lockctx_soft_lock);
	hp_lockctx_busy(hold_ms);
	spin_unlock(&hp_lockctx_soft_lock);
	raw_spin_lock(&hp_lockctx_softraw_lock);
	hp_lockctx_busy(hold_ms);
	raw_spin_unlock(&hp_lockctx_softraw_lock);
	hp_lockctx_leave(&hp_lockctx_softleft_lock, &hp_lockctx_softleft_taken);
	if (!READ_ONCE(hp_lockctx_stopping))
		mod_timer(t, jiffies + msecs_to_jiffies(period_ms));
}

static enum hrtimer_restart hp_lockctx_hard(struct hrtimer *h)
{
	raw_spin_lock(&hp_lockctx_hard_lock);
	hp_lockctx_busy(hold_ms);
	raw_spin_unlock(&hp_lockctx_hard_lock);
	hp_lockctx_leave(&hp_lockctx_hardleft_lock, &hp_lockctx_hardleft_taken);
	if (READ_ONCE(hp_lockctx_stopping))
		return HRTIMER_NORESTART;
	hrtimer_forward_now(h, ms_to_ktime(period_ms));
	return HRTIMER_RESTART;
}

/* On cpu itself: a pinned hrtimer stays on the CPU that starts it. */
static void hp_lockctx_start_hrtimer(void *unused)
{
	hrtimer_start(&hp_lockctx_hrtimer, ms_to_ktime(period_ms),
		      HRTIMER_MODE_REL_PINNED_HARD);
}

static int __init hp_lockctx_init(void)
{
	int ret;

	if (cpu >= nr_cpu_ids || !cpu_online(cpu) || !period_ms ||
	    hold_ms >= period_ms)
		return -EINVAL;
	timer_setup(&hp_lockctx_timer, hp_lockctx_soft, TIMER_PINNED);
	hrtimer_init(&hp_lockctx_hrtimer, CLOCK_MONOTONIC,
		     HRTIMER_MODE_REL_PINNED_HARD);
	hp_lockctx_hrtimer.function = hp_lockctx_hard;
	ret = smp_call_function_single(cpu, hp_lockctx_start_hrtimer, NULL, 1);
	if (ret)
		return ret;
	hp_lockctx_timer.expires = jiffies + msecs_to_jiffies(period_ms);
	add_timer_on(&hp_lockctx_timer, cpu);
	pr_info("timers on CPU %u: %u ms held every %u ms\n", cpu, hold_ms,
		period_ms);
	return 0;
}

static void __exit hp_lockctx_exit(void)
{
	WRITE_ONCE(hp_lockctx_stopping, true);
	timer_delete_sync(&hp_lockctx_timer);
	hrtimer_cancel(&hp_lockctx_hrtimer);
	pr_info("exit done\n");
}

module_init(hp_lockctx_init);
module_exit(hp_lockctx_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lockwatch patient: spinlocks held in softirq and hardirq context");
