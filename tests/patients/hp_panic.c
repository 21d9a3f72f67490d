// SPDX-License-Identifier: GPL-2.0
/* hp_panic: a kthread calls panic() 200 ms after load; the machine dies. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/panic.h>
#include <linux/sched.h>

static bool healthy;
module_param(healthy, bool, 0444);
MODULE_PARM_DESC(healthy, "Behave correctly: do not panic");

static struct task_struct *hp_thread;

static int hp_panic_thread(void *data)
{
	msleep(200);
	if (!healthy)
		panic("hp_panic: deliberate panic from a kthread\n");
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ / 10);
	return 0;
}

static int __init hp_panic_init(void)
{
	hp_thread = kthread_run(hp_panic_thread, NULL, "hp_panic");
	if (IS_ERR(hp_thread))
		return PTR_ERR(hp_thread);
	pr_info("init done\n");
	return 0;
}

static void __exit hp_panic_exit(void)
{
	kthread_stop(hp_thread);
	pr_info("exit done\n");
}

module_init(hp_panic_init);
module_exit(hp_panic_exit);
MODULE_DESCRIPTION("modrescue patient: panic from a kthread");
MODULE_LICENSE("GPL");
