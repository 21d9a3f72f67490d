// SPDX-License-Identifier: GPL-2.0
/* hp_dep_a: exports a function hp_dep_b uses; rmmod hp_dep_a is refused while hp_dep_b holds it. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/module.h>

#include "hp_dep_a.h"

static bool healthy;
module_param(healthy, bool, 0444);
MODULE_PARM_DESC(healthy, "Unused: hp_dep_a itself has nothing to fix");

static atomic_t hp_dep_a_pings = ATOMIC_INIT(0);

int hp_dep_a_ping(void)
{
	return atomic_inc_return(&hp_dep_a_pings);
}
EXPORT_SYMBOL_GPL(hp_dep_a_ping);

static int __init hp_dep_a_init(void)
{
	pr_info("init done\n");
	return 0;
}

static void __exit hp_dep_a_exit(void)
{
	pr_info("exit done\n");
}

module_init(hp_dep_a_init);
module_exit(hp_dep_a_exit);
MODULE_DESCRIPTION("modrescue patient: bottom of a dependency chain");
MODULE_LICENSE("GPL");
