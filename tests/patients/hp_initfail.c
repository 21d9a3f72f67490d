// SPDX-License-Identifier: GPL-2.0
/* hp_initfail: init fails (-ENODEV); the kernel unwinds the load and frees the module. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

static bool healthy;
module_param(healthy, bool, 0444);
MODULE_PARM_DESC(healthy, "Behave correctly: init succeeds");

static int __init hp_initfail_init(void)
{
	if (!healthy) {
		pr_info("init fails\n");
		return -ENODEV;
	}
	pr_info("init done\n");
	return 0;
}

static void __exit hp_initfail_exit(void)
{
	pr_info("exit done\n");
}

module_init(hp_initfail_init);
module_exit(hp_initfail_exit);
MODULE_DESCRIPTION("modrescue patient: init fails");
MODULE_LICENSE("GPL");
