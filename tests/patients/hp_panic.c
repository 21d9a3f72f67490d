// SPDX-License-Identifier: GPL-2.0
/*
 * hp_panic: a kthread calls panic() 200 ms after load; the machine dies.
 *
 * hold_lock=1: it holds hp_panic_lock (spin_lock_irqsave) when it panics,
 * and exit takes that lock. hardirq=1: an hrtimer callback panics instead.
 * hold_rtnl=1: the kthread panics holding rtnl_lock(); hold_journal=1: it
 * panics with a (fake) journal handle in current->journal_info, as a
 * filesystem in a transaction has; hold_mmap=1: init panics in insmod's
 * task holding its mmap_lock for writing. A panic under any of these
 * must never be contained. hold_corelock=1: it wakes a heap wait queue of
 * its own whose wake function panics, under the queue's lock that the
 * kernel's __wake_up() took: a spinlock not the module's own, which
 * containment must neither release nor park the task with.
 *
 * again: each write starts one more kthread that panics as the first
 * did (for a count of panics from one module).
 *
 * hp_panic_b.c builds the same code as a second module, hp_panic_b: the
 * messages and the kthread carry the module's name.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/panic.h>
#include <linux/rtnetlink.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/wait.h>

static bool healthy;
module_param(healthy, bool, 0444);
MODULE_PARM_DESC(healthy, "Behave correctly: do not panic");
static bool hold_lock;
module_param(hold_lock, bool, 0444);
MODULE_PARM_DESC(hold_lock, "Panic holding hp_panic_lock (irqsave), which exit takes");
static bool hardirq;
module_param(hardirq, bool, 0444);
MODULE_PARM_DESC(hardirq, "Panic from an hrtimer callback (hardirq context) instead");
static bool hold_rtnl;
module_param(hold_rtnl, bool, 0444);
MODULE_PARM_DESC(hold_rtnl, "Panic holding rtnl_lock()");
static bool hold_journal;
module_param(hold_journal, bool, 0444);
MODULE_PARM_DESC(hold_journal, "Panic with a journal handle in current->journal_info");
static bool hold_mmap;
module_param(hold_mmap, bool, 0444);
MODULE_PARM_DESC(hold_mmap, "Panic in init holding insmod's mmap_lock for writing");

static bool hold_corelock;
module_param(hold_corelock, bool, 0444);
MODULE_PARM_DESC(hold_corelock, "Panic in a wake function, under __wake_up()'s lock on a heap wait queue");

/* Leaked on purpose: its lock stays held by the panicking task. */
static wait_queue_head_t *hp_wq;
static struct wait_queue_entry hp_wq_entry;

static int hp_panic_wake(struct wait_queue_entry *wq_entry, unsigned int mode,
			 int sync, void *key)
{
	panic(KBUILD_MODNAME ": deliberate panic in a wake function, under the queue's lock\n");
	return 0;
}

static void hp_panic_corelock(void)
{
	hp_wq = kmalloc(sizeof(*hp_wq), GFP_KERNEL);
	if (!hp_wq)
		return;
	init_waitqueue_head(hp_wq);
	init_waitqueue_func_entry(&hp_wq_entry, hp_panic_wake);
	add_wait_queue(hp_wq, &hp_wq_entry);
	wake_up(hp_wq);
}

/* Stands for a filesystem's transaction handle: never dereferenced. */
static int hp_fake_handle;

static DEFINE_SPINLOCK(hp_panic_lock);
static struct hrtimer hp_timer;

static struct task_struct *hp_thread;

static enum hrtimer_restart hp_panic_timer(struct hrtimer *t)
{
	if (!healthy)
		panic(KBUILD_MODNAME ": deliberate panic from hardirq context\n");
	return HRTIMER_NORESTART;
}

static int hp_panic_thread(void *data)
{
	unsigned long flags;

	msleep(200);
	if (hardirq) {
		hrtimer_start(&hp_timer, ms_to_ktime(10), HRTIMER_MODE_REL);
	} else if (!healthy && hold_lock) {
		spin_lock_irqsave(&hp_panic_lock, flags);
		panic(KBUILD_MODNAME ": deliberate panic from a kthread holding hp_panic_lock\n");
	} else if (!healthy && hold_rtnl) {
		rtnl_lock();
		panic(KBUILD_MODNAME ": deliberate panic from a kthread holding rtnl\n");
	} else if (!healthy && hold_corelock) {
		hp_panic_corelock();
	} else if (!healthy && hold_journal) {
		current->journal_info = &hp_fake_handle;
		panic(KBUILD_MODNAME ": deliberate panic from a kthread in a journal transaction\n");
	} else if (!healthy) {
		panic(KBUILD_MODNAME ": deliberate panic from a kthread\n");
	}
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ / 10);
	return 0;
}

/* Never stopped: each panics, and is parked for good or takes the VM down. */
static int hp_panic_again_set(const char *val, const struct kernel_param *kp)
{
	struct task_struct *t;

	if (healthy)
		return -EINVAL;
	t = kthread_run(hp_panic_thread, NULL, KBUILD_MODNAME);
	if (IS_ERR(t))
		return PTR_ERR(t);
	pr_info("one more panicking kthread, pid %d\n", task_pid_nr(t));
	return 0;
}

static const struct kernel_param_ops hp_panic_again_ops = {
	.set = hp_panic_again_set,
};
module_param_cb(again, &hp_panic_again_ops, NULL, 0200);
MODULE_PARM_DESC(again, "Each write starts one more kthread that panics");

static int __init hp_panic_init(void)
{
	hrtimer_init(&hp_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	hp_timer.function = hp_panic_timer;
	if (!healthy && hold_mmap && current->mm) {
		mmap_write_lock(current->mm);
		panic(KBUILD_MODNAME ": deliberate panic in init holding mmap_lock for writing\n");
	}
	hp_thread = kthread_run(hp_panic_thread, NULL, KBUILD_MODNAME);
	if (IS_ERR(hp_thread))
		return PTR_ERR(hp_thread);
	pr_info("init done\n");
	return 0;
}

static void __exit hp_panic_exit(void)
{
	unsigned long flags;

	spin_lock_irqsave(&hp_panic_lock, flags);
	spin_unlock_irqrestore(&hp_panic_lock, flags);
	hrtimer_cancel(&hp_timer);
	kthread_stop(hp_thread);
	pr_info("exit done\n");
}

module_init(hp_panic_init);
module_exit(hp_panic_exit);
MODULE_DESCRIPTION("modrescue patient: panic from a kthread");
MODULE_LICENSE("GPL");
