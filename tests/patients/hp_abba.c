// SPDX-License-Identifier: GPL-2.0
/* hp_abba: two kthreads take spinlocks A,B and B,A; parameter collisions counts the would-be deadlocks. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/sysfs.h>

static bool healthy;
module_param(healthy, bool, 0444);
MODULE_PARM_DESC(healthy, "Behave correctly: both threads take A before B");

static DEFINE_SPINLOCK(hp_lock_a);
static DEFINE_SPINLOCK(hp_lock_b);
static atomic_t hp_collisions = ATOMIC_INIT(0);
static atomic_t hp_rounds = ATOMIC_INIT(0);
static struct task_struct *hp_threads[2];

static int hp_atomic_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read(kp->arg));
}

static const struct kernel_param_ops hp_atomic_ops = {
	.get = hp_atomic_get,
};

module_param_cb(collisions, &hp_atomic_ops, &hp_collisions, 0444);
MODULE_PARM_DESC(collisions, "Times the second lock was held by the other thread (a deadlock without trylock)");
module_param_cb(rounds, &hp_atomic_ops, &hp_rounds, 0444);
MODULE_PARM_DESC(rounds, "Times a thread got both locks");

static int hp_abba_thread(void *data)
{
	bool reversed = data && !healthy;
	spinlock_t *first = reversed ? &hp_lock_b : &hp_lock_a;
	spinlock_t *second = reversed ? &hp_lock_a : &hp_lock_b;

	while (!kthread_should_stop()) {
		spin_lock(first);
		udelay(200);
		/* spin_lock() here would deadlock the two CPUs. */
		if (spin_trylock(second)) {
			atomic_inc(&hp_rounds);
			spin_unlock(second);
		} else {
			atomic_inc(&hp_collisions);
		}
		spin_unlock(first);
		usleep_range(500, 1000);
	}
	return 0;
}

static int __init hp_abba_init(void)
{
	int i, ret;

	for (i = 0; i < 2; i++) {
		hp_threads[i] = kthread_create(hp_abba_thread, (void *)(long)i, "hp_abba/%d", i);
		if (IS_ERR(hp_threads[i])) {
			ret = PTR_ERR(hp_threads[i]);
			goto err_stop;
		}
		if (cpu_online(i))
			kthread_bind(hp_threads[i], i);
	}
	for (i = 0; i < 2; i++)
		wake_up_process(hp_threads[i]);
	pr_info("init done\n");
	return 0;

err_stop:
	while (--i >= 0)
		kthread_stop(hp_threads[i]);	/* never woken: exits without running */
	return ret;
}

static void __exit hp_abba_exit(void)
{
	kthread_stop(hp_threads[0]);
	kthread_stop(hp_threads[1]);
	pr_info("exit done\n");
}

module_init(hp_abba_init);
module_exit(hp_abba_exit);
MODULE_DESCRIPTION("modrescue patient: AB-BA spinlock order");
MODULE_LICENSE("GPL");
