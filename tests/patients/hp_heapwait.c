// SPDX-License-Identifier: GPL-2.0
/* hp_heapwait: exit waits on a completion in a kmalloc'd object; rmmod stuck in D, module GOING. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/module.h>
#include <linux/slab.h>

static bool healthy;
module_param(healthy, bool, 0444);
MODULE_PARM_DESC(healthy, "Behave correctly: complete the completion exit waits for");

struct hp_heapwait_obj {
	unsigned long magic;
	struct completion done;
};

static struct hp_heapwait_obj *hp_obj;

static int __init hp_heapwait_init(void)
{
	hp_obj = kzalloc(sizeof(*hp_obj), GFP_KERNEL);
	if (!hp_obj)
		return -ENOMEM;
	hp_obj->magic = 0x4850484541505741UL;
	init_completion(&hp_obj->done);
	if (healthy)
		complete(&hp_obj->done);
	pr_info("init done\n");
	return 0;
}

static void __exit hp_heapwait_exit(void)
{
	pr_info("exit waiting for a completion on the heap\n");
	wait_for_completion(&hp_obj->done);
	kfree(hp_obj);
	pr_info("exit done\n");
}

module_init(hp_heapwait_init);
module_exit(hp_heapwait_exit);
MODULE_DESCRIPTION("modrescue patient: exit blocks on a heap completion");
MODULE_LICENSE("GPL");
