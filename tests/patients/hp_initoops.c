// SPDX-License-Identifier: GPL-2.0
/* hp_initoops: init dereferences NULL; insmod dies in the oops, module stays COMING. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

static bool healthy;
module_param(healthy, bool, 0444);
MODULE_PARM_DESC(healthy, "Behave correctly: do not dereference NULL");

static int *hp_nowhere;		/* never set: stays NULL */

static int __init hp_initoops_init(void)
{
	if (!healthy) {
		int *p = READ_ONCE(hp_nowhere);

		pr_info("dereferencing NULL in init\n");
		*p = 1;
	}
	pr_info("init done\n");
	return 0;
}

static void __exit hp_initoops_exit(void)
{
	pr_info("exit done\n");
}

module_init(hp_initoops_init);
module_exit(hp_initoops_exit);
MODULE_DESCRIPTION("modrescue patient: oops in init");
MODULE_LICENSE("GPL");
