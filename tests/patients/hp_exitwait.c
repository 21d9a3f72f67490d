// SPDX-License-Identifier: GPL-2.0
/* hp_exitwait: exit waits on a static completion nobody completes; rmmod stuck in D, module GOING. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/module.h>

static bool healthy;
module_param(healthy, bool, 0444);
MODULE_PARM_DESC(healthy, "Behave correctly: complete the completion exit waits for");

static DECLARE_COMPLETION(hp_exitwait_done);

static int __init hp_exitwait_init(void)
{
	if (healthy)
		complete(&hp_exitwait_done);
	pr_info("init done\n");
	return 0;
}

static void __exit hp_exitwait_exit(void)
{
	pr_info("exit waiting for a completion\n");
	wait_for_completion(&hp_exitwait_done);
	pr_info("exit done\n");
}

module_init(hp_exitwait_init);
module_exit(hp_exitwait_exit);
MODULE_DESCRIPTION("modrescue patient: exit blocks on a static completion");
MODULE_LICENSE("GPL");
