// SPDX-License-Identifier: GPL-2.0
/* hp_initblock: init waits on a completion nobody completes; insmod stuck in D, module COMING. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/module.h>

static bool healthy;
module_param(healthy, bool, 0444);
MODULE_PARM_DESC(healthy, "Behave correctly: do not wait in init");

static DECLARE_COMPLETION(hp_initblock_go);

static int __init hp_initblock_init(void)
{
	if (!healthy) {
		pr_info("waiting for a completion that never comes\n");
		wait_for_completion(&hp_initblock_go);
	}
	pr_info("init done\n");
	return 0;
}

static void __exit hp_initblock_exit(void)
{
	pr_info("exit done\n");
}

module_init(hp_initblock_init);
module_exit(hp_initblock_exit);
MODULE_DESCRIPTION("modrescue patient: init blocks forever");
MODULE_LICENSE("GPL");
