// SPDX-License-Identifier: GPL-2.0
/*
 * hp_ipmodify: another IPMODIFY ftrace user, as a livepatch or a tracer
 * would be. It registers its own ftrace_ops with FTRACE_OPS_FL_IPMODIFY on
 * the function named by func (one of the entry points lockwatch hooks), so
 * lockwatch cannot take it. The callback changes nothing: the call goes on
 * to the function itself, so no instruction pointer is redirected (IBT is
 * not involved).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ftrace.h>
#include <linux/module.h>
#include <linux/string.h>

static char *func = "_raw_spin_unlock_bh";
module_param(func, charp, 0444);
MODULE_PARM_DESC(func, "The function to own with an IPMODIFY ftrace_ops");

static void notrace hp_ipmodify_cb(unsigned long ip, unsigned long parent_ip,
				   struct ftrace_ops *op,
				   struct ftrace_regs *fregs)
{
}

static struct ftrace_ops hp_ipmodify_ops = {
	.func = hp_ipmodify_cb,
	.flags = FTRACE_OPS_FL_IPMODIFY,
};

static int __init hp_ipmodify_init(void)
{
	int ret;

	ret = ftrace_set_filter(&hp_ipmodify_ops, (unsigned char *)func,
				strlen(func), 0);
	if (ret)
		goto err;
	ret = register_ftrace_function(&hp_ipmodify_ops);
	if (ret)
		goto err_filter;
	pr_info("owns %s\n", func);
	return 0;

err_filter:
	ftrace_free_filter(&hp_ipmodify_ops);
err:
	pr_err("cannot own %s: %d\n", func, ret);
	return ret;
}

static void __exit hp_ipmodify_exit(void)
{
	unregister_ftrace_function(&hp_ipmodify_ops);
	ftrace_free_filter(&hp_ipmodify_ops);
	pr_info("exit done\n");
}

module_init(hp_ipmodify_init);
module_exit(hp_ipmodify_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lockwatch patient: an IPMODIFY ftrace user on a spinlock entry point");
