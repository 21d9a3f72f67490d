// SPDX-License-Identifier: GPL-2.0
/* hp_kthreadstop: exit calls kthread_stop() on a thread that already returned (use-after-free); rmmod oopses. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/task.h>

static bool healthy;
module_param(healthy, bool, 0444);
MODULE_PARM_DESC(healthy, "Behave correctly: hold a task reference across kthread_stop()");

static struct task_struct *hp_thread;

static int hp_kthreadstop_thread(void *data)
{
	pr_info("thread ran, returning at once\n");
	return 0;
}

static bool hp_pid_alive(pid_t nr)
{
	bool alive;

	rcu_read_lock();
	alive = pid_task(find_vpid(nr), PIDTYPE_PID);
	rcu_read_unlock();
	return alive;
}

static int __init hp_kthreadstop_init(void)
{
	pid_t nr;
	int i;

	hp_thread = kthread_create(hp_kthreadstop_thread, NULL, "hp_kthreadstop");
	if (IS_ERR(hp_thread))
		return PTR_ERR(hp_thread);
	if (healthy)
		get_task_struct(hp_thread);
	nr = task_pid_nr(hp_thread);
	wake_up_process(hp_thread);	/* unless healthy, hp_thread is dangling from here on */

	/* Make the outcome deterministic: wait until the task_struct is freed. */
	for (i = 0; i < 250 && hp_pid_alive(nr); i++)
		msleep(20);
	msleep(100);
	rcu_barrier();
	rcu_barrier();
	pr_info("thread %d %s\n", nr, hp_pid_alive(nr) ? "still alive" : "has exited and been reaped");
	pr_info("init done\n");
	return 0;
}

static void __exit hp_kthreadstop_exit(void)
{
	pr_info("exit stopping the thread\n");
	kthread_stop(hp_thread);	/* the bug, unless healthy: hp_thread is freed */
	if (healthy)
		put_task_struct(hp_thread);
	pr_info("exit done\n");
}

module_init(hp_kthreadstop_init);
module_exit(hp_kthreadstop_exit);
MODULE_DESCRIPTION("modrescue patient: kthread_stop on an exited thread");
MODULE_LICENSE("GPL");
