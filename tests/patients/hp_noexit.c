// SPDX-License-Identifier: GPL-2.0
/* hp_noexit: the module has no exit function; plain rmmod gets EBUSY, only rmmod -f unloads it. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

static bool healthy;
module_param(healthy, bool, 0444);
MODULE_PARM_DESC(healthy, "Behave correctly: install an exit function at init");

static void hp_noexit_exit(void)
{
	pr_info("exit done\n");
}

static int __init hp_noexit_init(void)
{
	/*
	 * A module without module_exit() cannot be unloaded normally. The
	 * healthy variant installs an exit function the way module_exit()
	 * would have, so that plain rmmod works.
	 */
	if (healthy)
		THIS_MODULE->exit = hp_noexit_exit;
	pr_info("init done\n");
	return 0;
}

module_init(hp_noexit_init);
MODULE_DESCRIPTION("modrescue patient: no exit function");
MODULE_LICENSE("GPL");
