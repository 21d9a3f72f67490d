// SPDX-License-Identifier: GPL-2.0
/* hp_refleak: init takes a module reference it never drops; rmmod says "in use". */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

static bool healthy;
module_param(healthy, bool, 0444);
MODULE_PARM_DESC(healthy, "Behave correctly: take no extra module reference");

/* Something a livepatch can patch (hp_klp, in unload-livepatch). */
static noinline int hp_refleak_answer(void)
{
	return 42;
}

static int __init hp_refleak_init(void)
{
	if (!healthy)
		__module_get(THIS_MODULE);	/* the bug: never put */
	pr_info("init done, answer %d\n", hp_refleak_answer());
	return 0;
}

static void __exit hp_refleak_exit(void)
{
	pr_info("exit done\n");
}

module_init(hp_refleak_init);
module_exit(hp_refleak_exit);
MODULE_DESCRIPTION("modrescue patient: module refcount leak");
MODULE_LICENSE("GPL");
