// SPDX-License-Identifier: GPL-2.0
/* hp_dep_b: links against hp_dep_a's export, so hp_dep_a has a holder and cannot be unloaded first. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "hp_dep_a.h"

static bool healthy;
module_param(healthy, bool, 0444);
MODULE_PARM_DESC(healthy, "Do the work in init and do not stay loaded, so nothing holds hp_dep_a");

static int __init hp_dep_b_init(void)
{
	int n = hp_dep_a_ping();

	if (healthy) {
		pr_info("pinged hp_dep_a (%d), not staying loaded\n", n);
		return -ECANCELED;
	}
	pr_info("pinged hp_dep_a (%d)\n", n);
	pr_info("init done\n");
	return 0;
}

static void __exit hp_dep_b_exit(void)
{
	pr_info("exit done\n");
}

module_init(hp_dep_b_init);
module_exit(hp_dep_b_exit);
MODULE_DESCRIPTION("modrescue patient: top of a dependency chain");
MODULE_LICENSE("GPL");
