// SPDX-License-Identifier: GPL-2.0
/* hp_exitoops: exit dereferences NULL; rmmod dies in the oops, module stays GOING. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

static bool healthy;
module_param(healthy, bool, 0444);
MODULE_PARM_DESC(healthy, "Behave correctly: do not dereference NULL");

static int *hp_nowhere;		/* never set: stays NULL */

static int __init hp_exitoops_init(void)
{
	pr_info("init done\n");
	return 0;
}

static void __exit hp_exitoops_exit(void)
{
	if (!healthy) {
		int *p = READ_ONCE(hp_nowhere);

		pr_info("dereferencing NULL in exit\n");
		*p = 1;
	}
	pr_info("exit done\n");
}

module_init(hp_exitoops_init);
module_exit(hp_exitoops_exit);
MODULE_DESCRIPTION("modrescue patient: oops in exit");
MODULE_LICENSE("GPL");
