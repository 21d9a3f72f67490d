// SPDX-License-Identifier: GPL-2.0
/* hp_spinlong: a kthread holds a spinlock for 500 ms at a time; reading parameter wait_ms shows the wait. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/sysfs.h>

static bool healthy;
module_param(healthy, bool, 0444);
MODULE_PARM_DESC(healthy, "Behave correctly: do not hold the lock for long");

static unsigned int hold_ms = 500;
module_param(hold_ms, uint, 0444);
MODULE_PARM_DESC(hold_ms, "How long the thread holds the lock each time (ms)");

/*
 * With ignore_stop=1 the thread keeps going after kthread_stop() until
 * "release" is written 1: a kthread_stop() that waits as long as a test
 * needs, whatever the emulated clock does.
 */
static bool ignore_stop;
module_param(ignore_stop, bool, 0444);
MODULE_PARM_DESC(ignore_stop, "Keep running after kthread_stop() until released");

static bool release;
module_param(release, bool, 0644);
MODULE_PARM_DESC(release, "Write 1: let an ignore_stop thread stop");

static DEFINE_SPINLOCK(hp_spinlong_lock);
static struct task_struct *hp_thread;

/* Reading the parameter takes the lock and reports how long that took. */
static int hp_wait_ms_get(char *buf, const struct kernel_param *kp)
{
	ktime_t start = ktime_get();
	s64 waited;

	spin_lock(&hp_spinlong_lock);
	waited = ktime_ms_delta(ktime_get(), start);
	spin_unlock(&hp_spinlong_lock);
	return sysfs_emit(buf, "%lld\n", waited);
}

static const struct kernel_param_ops hp_wait_ms_ops = {
	.get = hp_wait_ms_get,
};

module_param_cb(wait_ms, &hp_wait_ms_ops, NULL, 0444);
MODULE_PARM_DESC(wait_ms, "Read: take the lock, print how long that waited (ms)");

static int hp_spinlong_thread(void *data)
{
	unsigned int hold = healthy ? 0 : hold_ms;

	while (!kthread_should_stop() ||
	       (ignore_stop && !READ_ONCE(release))) {
		spin_lock(&hp_spinlong_lock);
		mdelay(hold);
		spin_unlock(&hp_spinlong_lock);
		schedule_timeout_interruptible(msecs_to_jiffies(20));
	}
	return 0;
}

static int __init hp_spinlong_init(void)
{
	hp_thread = kthread_run(hp_spinlong_thread, NULL, "hp_spinlong");
	if (IS_ERR(hp_thread))
		return PTR_ERR(hp_thread);
	pr_info("init done\n");
	return 0;
}

static void __exit hp_spinlong_exit(void)
{
	kthread_stop(hp_thread);
	pr_info("exit done\n");
}

module_init(hp_spinlong_init);
module_exit(hp_spinlong_exit);
MODULE_DESCRIPTION("modrescue patient: spinlock held for a long time");
MODULE_LICENSE("GPL");
