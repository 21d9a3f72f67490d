// SPDX-License-Identifier: GPL-2.0
/* hp_waitevent: exit does wait_event() on a condition that never comes true; rmmod stuck in D. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/wait.h>

static bool healthy;
module_param(healthy, bool, 0444);
MODULE_PARM_DESC(healthy, "Behave correctly: make the condition true before exit");

/* With in_init=1, init waits instead: insmod stuck in D. */
static bool in_init;
module_param(in_init, bool, 0444);
MODULE_PARM_DESC(in_init, "Wait for the event in init rather than in exit");

/*
 * With misc=1, it also registers /dev/hp_waitevent: what a quarantined copy
 * keeps, and a fixed build would ask for again.
 */
static bool misc;
module_param(misc, bool, 0444);
MODULE_PARM_DESC(misc, "Also register the misc device /dev/hp_waitevent");

static const struct file_operations hp_waitevent_fops = {
	.owner = THIS_MODULE,
};

static struct miscdevice hp_waitevent_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "hp_waitevent",
	.fops = &hp_waitevent_fops,
};

static DECLARE_WAIT_QUEUE_HEAD(hp_waitevent_wq);
static bool hp_waitevent_ready;

static int __init hp_waitevent_init(void)
{
	int ret;

	if (misc) {
		ret = misc_register(&hp_waitevent_dev);
		if (ret)
			return ret;
	}
	if (healthy)
		WRITE_ONCE(hp_waitevent_ready, true);
	if (in_init) {
		pr_info("init waiting for an event\n");
		wait_event(hp_waitevent_wq, READ_ONCE(hp_waitevent_ready));
	}
	pr_info("init done\n");
	return 0;
}

static void __exit hp_waitevent_exit(void)
{
	pr_info("exit waiting for an event\n");
	wait_event(hp_waitevent_wq, READ_ONCE(hp_waitevent_ready));
	if (misc)
		misc_deregister(&hp_waitevent_dev);
	pr_info("exit done\n");
}

module_init(hp_waitevent_init);
module_exit(hp_waitevent_exit);
MODULE_DESCRIPTION("modrescue patient: exit blocks in wait_event");
MODULE_LICENSE("GPL");
