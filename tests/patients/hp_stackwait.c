// SPDX-License-Identifier: GPL-2.0
/*
 * hp_stackwait: exit waits on a completion that lives on the stack of the
 * module's own kthread, which never completes it; rmmod stuck in D, module
 * GOING. Writing 1 to the parameter "release" makes the kthread complete it
 * (its real completer); the kthread then keeps its frame until exit stops
 * it, so that the completion outlives the wait.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/wait.h>

static bool healthy;
module_param(healthy, bool, 0444);
MODULE_PARM_DESC(healthy, "Behave correctly: complete the completion at once");

static bool release;
static DECLARE_WAIT_QUEUE_HEAD(hp_stackwait_wq);

static int hp_release_set(const char *val, const struct kernel_param *kp)
{
	int ret = param_set_bool(val, kp);

	if (!ret)
		wake_up(&hp_stackwait_wq);
	return ret;
}

static const struct kernel_param_ops hp_release_ops = {
	.set = hp_release_set,
	.get = param_get_bool,
};

module_param_cb(release, &hp_release_ops, &release, 0644);
MODULE_PARM_DESC(release, "Write 1: the kthread completes the completion exit waits on");

static struct task_struct *hp_thread;
/* The completion exit waits on, on hp_thread's stack. */
static struct completion *hp_stackwait_comp;
static DECLARE_COMPLETION(hp_stackwait_ready);

static int hp_stackwait_thread(void *data)
{
	DECLARE_COMPLETION_ONSTACK(done);

	WRITE_ONCE(hp_stackwait_comp, &done);
	complete(&hp_stackwait_ready);
	/* TASK_IDLE: no load, no hung-task report, however long. */
	wait_event_idle(hp_stackwait_wq, healthy || READ_ONCE(release) ||
			kthread_should_stop());
	pr_info("thread completing the completion on its stack\n");
	complete(&done);
	/* The frame must outlive exit's wait: exit stops us once past it. */
	wait_event_idle(hp_stackwait_wq, kthread_should_stop());
	return 0;
}

static int __init hp_stackwait_init(void)
{
	hp_thread = kthread_create(hp_stackwait_thread, NULL, "hp_stackwait");
	if (IS_ERR(hp_thread))
		return PTR_ERR(hp_thread);
	get_task_struct(hp_thread);
	wake_up_process(hp_thread);
	wait_for_completion(&hp_stackwait_ready);
	pr_info("init done\n");
	return 0;
}

static void __exit hp_stackwait_exit(void)
{
	pr_info("exit waiting for a completion on the stack of pid %d\n",
		task_pid_nr(hp_thread));
	wait_for_completion(READ_ONCE(hp_stackwait_comp));
	kthread_stop(hp_thread);
	put_task_struct(hp_thread);
	pr_info("exit done\n");
}

module_init(hp_stackwait_init);
module_exit(hp_stackwait_exit);
MODULE_DESCRIPTION("modrescue patient: exit blocks on a completion on another task's stack");
MODULE_LICENSE("GPL");
