// SPDX-License-Identifier: GPL-2.0
/* hp_mutexwait: a kthread holds a mutex forever and exit locks it before stopping the thread; rmmod stuck in D. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sched/task.h>

static bool healthy;
module_param(healthy, bool, 0444);
MODULE_PARM_DESC(healthy, "Behave correctly: stop the thread before taking the mutex");

static DEFINE_MUTEX(hp_mutexwait_lock);
static DECLARE_COMPLETION(hp_mutexwait_held);
static struct task_struct *hp_thread;

static int hp_mutexwait_thread(void *data)
{
	mutex_lock(&hp_mutexwait_lock);
	complete(&hp_mutexwait_held);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ / 10);
	mutex_unlock(&hp_mutexwait_lock);
	return 0;
}

static int __init hp_mutexwait_init(void)
{
	hp_thread = kthread_run(hp_mutexwait_thread, NULL, "hp_mutexwait");
	if (IS_ERR(hp_thread))
		return PTR_ERR(hp_thread);
	get_task_struct(hp_thread);
	wait_for_completion(&hp_mutexwait_held);
	pr_info("init done\n");
	return 0;
}

static void __exit hp_mutexwait_exit(void)
{
	if (healthy) {
		kthread_stop(hp_thread);
		put_task_struct(hp_thread);
	}
	pr_info("exit taking the mutex\n");
	mutex_lock(&hp_mutexwait_lock);	/* the bug: the thread still holds it */
	mutex_unlock(&hp_mutexwait_lock);
	if (!healthy) {
		kthread_stop(hp_thread);
		put_task_struct(hp_thread);
	}
	pr_info("exit done\n");
}

module_init(hp_mutexwait_init);
module_exit(hp_mutexwait_exit);
MODULE_DESCRIPTION("modrescue patient: exit blocks on a mutex held by its kthread");
MODULE_LICENSE("GPL");
