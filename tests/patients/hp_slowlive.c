// SPDX-License-Identifier: GPL-2.0
/*
 * hp_slowlive: init returns at once but leaves async work that sleeps, so
 * the module is LIVE while its loader still holds the initial reference
 * (do_init_module() waits for async work before it drops that reference).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/async.h>
#include <linux/delay.h>
#include <linux/module.h>

static bool healthy;
module_param(healthy, bool, 0444);
MODULE_PARM_DESC(healthy, "Behave correctly: no slow async work at init");

static uint delay_ms = 6000;
module_param(delay_ms, uint, 0444);
MODULE_PARM_DESC(delay_ms, "How long the async work started by init sleeps");

static void hp_slowlive_async(void *data, async_cookie_t cookie)
{
	pr_info("async work sleeps %u ms\n", delay_ms);
	msleep(delay_ms);
	pr_info("async work done\n");
}

static int __init hp_slowlive_init(void)
{
	if (!healthy)
		async_schedule(hp_slowlive_async, NULL);
	pr_info("init done\n");
	return 0;
}

static void __exit hp_slowlive_exit(void)
{
	pr_info("exit done\n");
}

module_init(hp_slowlive_init);
module_exit(hp_slowlive_exit);
MODULE_DESCRIPTION("modrescue patient: live while its loader still holds the initial reference");
MODULE_LICENSE("GPL");
