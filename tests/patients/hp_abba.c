// SPDX-License-Identifier: GPL-2.0
/*
 * hp_abba: two kthreads take spinlocks A,B and B,A; parameter collisions
 * counts the would-be deadlocks.
 *
 * deadlock=1 (lockwatch-abba): the two kthreads, on the last two CPUs, each
 * take their first lock, wait until the other holds its own, then take the
 * second with a real spin_lock(): a true AB-BA deadlock, both CPUs spinning
 * with preemption off (on PREEMPT_RT both tasks sleep on rtmutexes).
 * break_ms=N (not on PREEMPT_RT): after N ms, or at once when 1 is written
 * to the parameter unjam, a work item on CPU 0 releases A on hp_abba/0's
 * behalf, so that hp_abba/1 gets A, finishes and frees B, and hp_abba/0
 * then finishes too; the module unloads as usual. No breaker can release
 * an rtmutex it does not own: on RT the deadlock stays, and so does the
 * module.
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
#include <linux/workqueue.h>

static bool healthy;
module_param(healthy, bool, 0444);
MODULE_PARM_DESC(healthy, "Behave correctly: both threads take A before B");

static bool deadlock;
module_param(deadlock, bool, 0444);
MODULE_PARM_DESC(deadlock, "Take the second lock with spin_lock(), once: the two threads, on the last two CPUs, deadlock");

static unsigned int break_ms;
module_param(break_ms, uint, 0444);
MODULE_PARM_DESC(break_ms, "With deadlock=1: after this many ms, release A on hp_abba/0's behalf so both threads finish (0: never; refused on PREEMPT_RT)");

static DEFINE_SPINLOCK(hp_lock_a);
static DEFINE_SPINLOCK(hp_lock_b);
static atomic_t hp_collisions = ATOMIC_INIT(0);
static atomic_t hp_rounds = ATOMIC_INIT(0);
static struct task_struct *hp_threads[2];
/* deadlock=1: how many threads hold their first lock. */
static atomic_t hp_holding = ATOMIC_INIT(0);
/* Set by the breaker before it releases A in hp_abba/0's stead. */
static bool hp_broken;
static bool hp_started;
/* The breaker runs on this CPU, away from the two deadlocked ones. */
#define HP_BREAKER_CPU 0
static void hp_abba_break(struct work_struct *work);
static DECLARE_DELAYED_WORK(hp_breaker, hp_abba_break);

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

static bool hp_can_break(void)
{
	return deadlock && break_ms && !IS_ENABLED(CONFIG_PREEMPT_RT);
}

/* Writing 1 to unjam runs the breaker now. */
static int hp_unjam_set(const char *val, const struct kernel_param *kp)
{
	bool now;
	int ret = kstrtobool(val, &now);

	if (ret)
		return ret;
	if (!READ_ONCE(hp_started) || !hp_can_break())
		return -EINVAL;
	if (now)
		mod_delayed_work_on(HP_BREAKER_CPU, system_wq, &hp_breaker, 0);
	return 0;
}

static const struct kernel_param_ops hp_unjam_ops = {
	.set = hp_unjam_set,
};

module_param_cb(unjam, &hp_unjam_ops, NULL, 0200);
MODULE_PARM_DESC(unjam, "With deadlock=1 and break_ms: write 1 to break the deadlock now");

/*
 * Once both threads hold their first lock, hp_abba/0 holds A until it gets
 * B, which hp_abba/1 holds until it gets A: release A in hp_abba/0's
 * stead. spin_unlock() ends with the preempt_enable() of hp_abba/0's
 * spin_lock(A): balance it here, and hp_abba/0 makes up for it (see
 * hp_abba_deadlock_thread()).
 */
static void hp_abba_break(struct work_struct *work)
{
	if (READ_ONCE(hp_broken))
		return;
	if (atomic_read(&hp_holding) < 2) {
		/* Not deadlocked yet: A may not even be taken. */
		queue_delayed_work_on(HP_BREAKER_CPU, system_wq, &hp_breaker,
				      msecs_to_jiffies(10));
		return;
	}
	pr_info("breaking the deadlock: releasing A for hp_abba/0\n");
	WRITE_ONCE(hp_broken, true);
	preempt_disable();
	spin_unlock(&hp_lock_a);
}

/* deadlock=1: take first, wait for the other thread to hold its own, then spin on second. */
static int hp_abba_deadlock_thread(void *data)
{
	bool reversed = data;
	spinlock_t *first = reversed ? &hp_lock_b : &hp_lock_a;
	spinlock_t *second = reversed ? &hp_lock_a : &hp_lock_b;

	spin_lock(first);
	atomic_inc(&hp_holding);
	while (atomic_read(&hp_holding) < 2)
		cpu_relax();
	spin_lock(second);
	atomic_inc(&hp_rounds);
	spin_unlock(second);
	/* The breaker released A for hp_abba/0; the preempt count is ours. */
	if (!reversed && READ_ONCE(hp_broken))
		preempt_enable();
	else
		spin_unlock(first);
	pr_info("%s finished\n", current->comm);
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

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
	int (*fn)(void *) = deadlock ? hp_abba_deadlock_thread : hp_abba_thread;
	/* deadlock=1: the last two CPUs, so that CPU 0 and others stay free. */
	unsigned int cpu0 = deadlock ? num_online_cpus() - 2 : 0;
	int i, ret;

	if (deadlock && (healthy || num_online_cpus() < 3)) {
		pr_err("deadlock=1 needs healthy=0 and 3 CPUs or more\n");
		return -EINVAL;
	}
	if (break_ms && (!deadlock || IS_ENABLED(CONFIG_PREEMPT_RT))) {
		pr_err("break_ms needs deadlock=1, and no rtmutex can be released by another task (PREEMPT_RT)\n");
		return -EINVAL;
	}
	for (i = 0; i < 2; i++) {
		hp_threads[i] = kthread_create(fn, (void *)(long)i, "hp_abba/%d", i);
		if (IS_ERR(hp_threads[i])) {
			ret = PTR_ERR(hp_threads[i]);
			goto err_stop;
		}
		if (cpu_online(cpu0 + i))
			kthread_bind(hp_threads[i], cpu0 + i);
	}
	for (i = 0; i < 2; i++)
		wake_up_process(hp_threads[i]);
	WRITE_ONCE(hp_started, true);
	if (hp_can_break())
		queue_delayed_work_on(HP_BREAKER_CPU, system_wq, &hp_breaker,
				      msecs_to_jiffies(break_ms));
	pr_info("init done\n");
	return 0;

err_stop:
	while (--i >= 0)
		kthread_stop(hp_threads[i]);	/* never woken: exits without running */
	return ret;
}

static void __exit hp_abba_exit(void)
{
	/* A deadlock without a breaker (PREEMPT_RT) never gets here. */
	while (hp_can_break() && !READ_ONCE(hp_broken)) {
		mod_delayed_work_on(HP_BREAKER_CPU, system_wq, &hp_breaker, 0);
		flush_delayed_work(&hp_breaker);
		if (!READ_ONCE(hp_broken))
			msleep(20);
	}
	cancel_delayed_work_sync(&hp_breaker);
	kthread_stop(hp_threads[0]);
	kthread_stop(hp_threads[1]);
	pr_info("exit done\n");
}

module_init(hp_abba_init);
module_exit(hp_abba_exit);
MODULE_DESCRIPTION("modrescue patient: AB-BA spinlock order");
MODULE_LICENSE("GPL");
