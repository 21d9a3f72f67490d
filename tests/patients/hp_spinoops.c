// SPDX-License-Identifier: GPL-2.0
/*
 * hp_spinoops: a kthread oopses holding a spinlock that exit then takes;
 * rmmod spins (R), or sleeps (D) on RT.
 *
 * corelock=1: holding hp_spinoops_lock, the kthread wakes a wait queue of
 * its own on the heap whose wake function oopses: the oops comes under the
 * queue's lock, which the kernel's __wake_up() took (a core lock, in
 * memory that is not the module's). The queue is never freed: its lock
 * may stay held for good, and nothing else ever takes it.
 *
 * word: hp_spinoops_lock's lock word, read and written as is (not on
 * PREEMPT_RT): a dead owner's lock that something else set free (or to a
 * value no held lock has) behind lockwatch's back.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/sysfs.h>
#include <linux/wait.h>

static bool healthy;
module_param(healthy, bool, 0444);
MODULE_PARM_DESC(healthy, "Behave correctly: do not oops while holding the lock");
static bool nested;
module_param(nested, bool, 0444);
MODULE_PARM_DESC(nested, "First take hp_spinoops_outer with spin_lock_irqsave: two locks, IRQs off at the oops");
static bool bh;
module_param(bh, bool, 0444);
MODULE_PARM_DESC(bh, "Take hp_spinoops_lock with spin_lock_bh: BH off at the oops, which the kernel makes a panic");

static bool badptr;
module_param(badptr, bool, 0444);
MODULE_PARM_DESC(badptr, "Instead, call spin_lock(&p->lock) with p NULL: oops inside the lock call itself");

struct hp_spinoops_obj {
	long pad[2];
	spinlock_t lock;
};

static unsigned int deep;
module_param(deep, uint, 0444);
MODULE_PARM_DESC(deep, "After hp_spinoops_lock, also take this many more spinlocks (up to 64), nested: more than a lockwatch table holds");

#define HP_DEEP_MAX 64
static spinlock_t hp_deep_locks[HP_DEEP_MAX];
static bool corelock;
module_param(corelock, bool, 0444);
MODULE_PARM_DESC(corelock, "Oops in a wake function, under __wake_up()'s lock on a heap wait queue, holding hp_spinoops_lock");

static DEFINE_SPINLOCK(hp_spinoops_lock);
static DEFINE_SPINLOCK(hp_spinoops_outer);
static struct task_struct *hp_thread;

static int hp_word_get(char *buf, const struct kernel_param *kp)
{
#ifdef CONFIG_PREEMPT_RT
	return -EOPNOTSUPP;
#else
	return sysfs_emit(buf, "%08x\n",
			  atomic_read(&hp_spinoops_lock.rlock.raw_lock.val));
#endif
}

static int hp_word_set(const char *val, const struct kernel_param *kp)
{
#ifdef CONFIG_PREEMPT_RT
	return -EOPNOTSUPP;
#else
	u32 v;
	int ret = kstrtou32(val, 16, &v);

	if (ret)
		return ret;
	atomic_set(&hp_spinoops_lock.rlock.raw_lock.val, v);
	pr_info("hp_spinoops_lock's word set to %08x\n", v);
	return 0;
#endif
}

static const struct kernel_param_ops hp_word_ops = {
	.get = hp_word_get,
	.set = hp_word_set,
};
module_param_cb(word, &hp_word_ops, NULL, 0644);
MODULE_PARM_DESC(word, "hp_spinoops_lock's lock word, in hex (not on PREEMPT_RT)");
static int *hp_nowhere;		/* never set: stays NULL */
static struct hp_spinoops_obj *hp_nowhere_obj;	/* never set either */

/* Called by __wake_up() under the queue's lock. */
static int hp_spinoops_wake(struct wait_queue_entry *wq_entry,
			    unsigned int mode, int sync, void *key)
{
	int *p = READ_ONCE(hp_nowhere);

	pr_info("dereferencing NULL in a wake function, under the queue's lock\n");
	*p = 1;
	return 0;
}

/* Leaked on purpose: its lock may be held by the dead kthread for good. */
static wait_queue_head_t *hp_wq;
static struct wait_queue_entry hp_wq_entry;

static void hp_spinoops_corelock(void)
{
	hp_wq = kmalloc(sizeof(*hp_wq), GFP_KERNEL);
	if (!hp_wq)
		return;
	init_waitqueue_head(hp_wq);
	init_waitqueue_func_entry(&hp_wq_entry, hp_spinoops_wake);
	add_wait_queue(hp_wq, &hp_wq_entry);
	spin_lock(&hp_spinoops_lock);
	wake_up(hp_wq);
	spin_unlock(&hp_spinoops_lock);
}

static int hp_spinoops_thread(void *data)
{
	unsigned long flags = 0;
	unsigned int i;

	if (badptr) {
		struct hp_spinoops_obj *p = READ_ONCE(hp_nowhere_obj);

		pr_info("spin_lock() on a lock in a NULL object\n");
		spin_lock(&p->lock);
		spin_unlock(&p->lock);
		return 0;
	}
	if (corelock && !healthy) {
		hp_spinoops_corelock();
		goto idle;
	}

	if (nested)
		spin_lock_irqsave(&hp_spinoops_outer, flags);
	if (bh)
		spin_lock_bh(&hp_spinoops_lock);
	else
		spin_lock(&hp_spinoops_lock);
	for (i = 0; i < deep; i++)
		spin_lock_nested(&hp_deep_locks[i], SINGLE_DEPTH_NESTING);
	if (!healthy) {
		int *p = READ_ONCE(hp_nowhere);

		pr_info("dereferencing NULL with the lock held\n");
		*p = 1;
	}
	while (deep && i-- > 0)
		spin_unlock(&hp_deep_locks[i]);
	if (bh)
		spin_unlock_bh(&hp_spinoops_lock);
	else
		spin_unlock(&hp_spinoops_lock);
	if (nested)
		spin_unlock_irqrestore(&hp_spinoops_outer, flags);
idle:
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ / 10);
	return 0;
}

static int __init hp_spinoops_init(void)
{
	unsigned int i;

	if (deep > HP_DEEP_MAX)
		return -EINVAL;
	for (i = 0; i < HP_DEEP_MAX; i++)
		spin_lock_init(&hp_deep_locks[i]);
	hp_thread = kthread_run(hp_spinoops_thread, NULL, "hp_spinoops");
	if (IS_ERR(hp_thread))
		return PTR_ERR(hp_thread);
	get_task_struct(hp_thread);
	pr_info("init done\n");
	return 0;
}

static void __exit hp_spinoops_exit(void)
{
	unsigned long flags;

	if (badptr) {
		put_task_struct(hp_thread);
		pr_info("exit done\n");
		return;
	}
	pr_info("exit taking the lock\n");
	if (nested)
		spin_lock_irqsave(&hp_spinoops_outer, flags);
	/* Never released if the thread died holding it. */
	if (bh) {
		spin_lock_bh(&hp_spinoops_lock);
		spin_unlock_bh(&hp_spinoops_lock);
	} else {
		spin_lock(&hp_spinoops_lock);
		spin_unlock(&hp_spinoops_lock);
	}
	if (nested)
		spin_unlock_irqrestore(&hp_spinoops_outer, flags);
	kthread_stop(hp_thread);
	put_task_struct(hp_thread);
	pr_info("exit done\n");
}

module_init(hp_spinoops_init);
module_exit(hp_spinoops_exit);
MODULE_DESCRIPTION("modrescue patient: oops with a spinlock held");
MODULE_LICENSE("GPL");
