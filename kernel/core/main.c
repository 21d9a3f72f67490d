// SPDX-License-Identifier: GPL-2.0
/*
 * modrescue helper: does for the modrescue CLI only what userspace cannot,
 * behind the ioctl ABI in include/uapi/modrescue.h.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <uapi/modrescue.h>

#include "locks.h"
#include "modrescue.h"

/*
 * Set by a modrescue command that loads the helper for its own use: the
 * last such command out unloads it (delete_module() refuses while another
 * has the device open or a feature armed). An admin's own load leaves it
 * unset; --keep-helper clears it. Only its owner reads or writes it.
 */
static bool autoloaded;
module_param(autoloaded, bool, 0600);
MODULE_PARM_DESC(autoloaded,
		 "loaded by a modrescue command, to be unloaded by the last one out");

static int __init modrescue_init(void)
{
	int ret;

	/* The ABI passes module states by the kernel's own numbers. */
	BUILD_BUG_ON(MODRESCUE_STATE_LIVE != MODULE_STATE_LIVE);
	BUILD_BUG_ON(MODRESCUE_STATE_COMING != MODULE_STATE_COMING);
	BUILD_BUG_ON(MODRESCUE_STATE_GOING != MODULE_STATE_GOING);
	BUILD_BUG_ON(MODRESCUE_STATE_UNFORMED != MODULE_STATE_UNFORMED);

	ret = mr_symbols_init();
	if (ret)
		return ret;
	ret = mr_lr_init();
	if (ret)
		return ret;
	ret = modrescue_device_register();
	if (ret) {
		mr_lr_exit();
		return ret;
	}
	pr_info("loaded, ABI version %d\n", MODRESCUE_ABI_VERSION);
	return 0;
}

/*
 * A forced unload (rmmod -f) runs this even while the helper's code is in
 * use: each part waits here, never returning while a task can still run in
 * the helper's text (a task inside a lock hook: mr_lockwatch_exit(); a
 * task parked by containment, which never leaves: the exit then never
 * returns, mr_contain_exit_wait_parked()).
 */
static void __exit modrescue_exit(void)
{
	modrescue_device_unregister();
	mr_contain_exit();
	mr_lockwatch_exit();
	mr_lr_exit();
	mr_contain_exit_wait_parked();
	pr_info("unloaded\n");
}

module_init(modrescue_init);
module_exit(modrescue_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modrescue helper: rescue a kernel from a misbehaving module");
