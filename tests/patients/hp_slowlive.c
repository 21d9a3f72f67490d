// SPDX-License-Identifier: GPL-2.0
/*
 * hp_slowlive: slows other modules' loads down from outside their code.
 * Its init returns at once but leaves async work that sleeps: a module
 * loaded meanwhile is LIVE while its loader still holds the initial
 * reference (do_init_module() waits for all async work before it drops
 * it). With going_of=NAME, it also sleeps in the module notifier when
 * NAME goes: a NAME whose init failed is GOING while its loader unwinds.
 * With coming_of=NAME, it sleeps there when NAME comes: NAME's loader is
 * asleep in another module's code, with none of NAME's on its stack.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/async.h>
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/string.h>

static bool healthy;
module_param(healthy, bool, 0444);
MODULE_PARM_DESC(healthy, "Behave correctly: no slow async work at init");

static uint delay_ms = 6000;
module_param(delay_ms, uint, 0444);
MODULE_PARM_DESC(delay_ms, "How long the async work started by init sleeps");

static char *going_of = "";
module_param(going_of, charp, 0444);
MODULE_PARM_DESC(going_of, "Sleep delay_ms in the module notifier when this module goes");

static char *coming_of = "";
module_param(coming_of, charp, 0444);
MODULE_PARM_DESC(coming_of, "Sleep delay_ms in the module notifier when this module comes");

static int hp_slowlive_notify(struct notifier_block *nb, unsigned long action,
			      void *data)
{
	struct module *mod = data;

	if (!healthy && action == MODULE_STATE_GOING && going_of[0] &&
	    !strcmp(mod->name, going_of)) {
		pr_info("holding %s GOING for %u ms\n", mod->name, delay_ms);
		msleep(delay_ms);
	}
	if (!healthy && action == MODULE_STATE_COMING && coming_of[0] &&
	    !strcmp(mod->name, coming_of)) {
		pr_info("holding %s COMING for %u ms\n", mod->name, delay_ms);
		msleep(delay_ms);
	}
	return NOTIFY_DONE;
}

static struct notifier_block hp_slowlive_nb = {
	.notifier_call = hp_slowlive_notify,
};

static void hp_slowlive_async(void *data, async_cookie_t cookie)
{
	pr_info("async work sleeps %u ms\n", delay_ms);
	msleep(delay_ms);
	pr_info("async work done\n");
}

static int __init hp_slowlive_init(void)
{
	int ret = register_module_notifier(&hp_slowlive_nb);

	if (ret)
		return ret;
	if (!healthy && !going_of[0] && !coming_of[0])
		async_schedule(hp_slowlive_async, NULL);
	pr_info("init done\n");
	return 0;
}

static void __exit hp_slowlive_exit(void)
{
	unregister_module_notifier(&hp_slowlive_nb);
	pr_info("exit done\n");
}

module_init(hp_slowlive_init);
module_exit(hp_slowlive_exit);
MODULE_DESCRIPTION("modrescue patient: live while its loader still holds the initial reference");
MODULE_LICENSE("GPL");
