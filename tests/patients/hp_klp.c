// SPDX-License-Identifier: GPL-2.0
/* hp_klp: a livepatch of hp_refleak_answer() in hp_refleak; neither may have its references reset. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/livepatch.h>
#include <linux/module.h>

static int hp_klp_answer(void)
{
	return 43;
}

static struct klp_func hp_klp_funcs[] = {
	{
		.old_name = "hp_refleak_answer",
		.new_func = hp_klp_answer,
	},
	{ }
};

static struct klp_object hp_klp_objs[] = {
	{
		.name = "hp_refleak",
		.funcs = hp_klp_funcs,
	},
	{ }
};

static struct klp_patch hp_klp_patch = {
	.mod = THIS_MODULE,
	.objs = hp_klp_objs,
};

static int __init hp_klp_init(void)
{
	return klp_enable_patch(&hp_klp_patch);
}

static void __exit hp_klp_exit(void)
{
}

module_init(hp_klp_init);
module_exit(hp_klp_exit);

MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("modrescue patient: a livepatch of hp_refleak");
