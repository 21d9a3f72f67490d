// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel data the helper needs but the kernel does not export: the
 * module list head and module_mutex. Userspace resolves their addresses from
 * /proc/kallsyms and passes them as module parameters; they are checked here
 * with sprint_symbol() before use, so a wrong or stale address is refused
 * rather than dereferenced. Only data is taken this way: calling unexported
 * functions through looked-up addresses breaks under IBT on 6.12.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

#include "modrescue.h"

static unsigned long modules_addr;
module_param(modules_addr, ulong, 0400);
MODULE_PARM_DESC(modules_addr, "address of the kernel's 'modules' list head");

static unsigned long module_mutex_addr;
module_param(module_mutex_addr, ulong, 0400);
MODULE_PARM_DESC(module_mutex_addr, "address of the kernel's 'module_mutex'");

struct list_head *mr_modules;
struct mutex *mr_module_mutex;

/*
 * Is addr exactly the start of the core kernel symbol called name? The
 * string is "name+0x0/0xSIZE"; a module symbol would add " [mod]".
 */
static bool mr_symbol_is(unsigned long addr, const char *name)
{
	char buf[KSYM_SYMBOL_LEN];
	size_t len = strlen(name);

	if (!addr)
		return false;
	sprint_symbol(buf, addr);
	return !strncmp(buf, name, len) && !strncmp(buf + len, "+0x0/", 5) &&
	       !strchr(buf, '[');
}

int mr_symbols_init(void)
{
	if (!modules_addr && !module_mutex_addr) {
		pr_info("no symbols given: module surgery is disabled\n");
		return 0;
	}
	if (!mr_symbol_is(modules_addr, "modules")) {
		pr_err("modules_addr=%#lx is not the 'modules' list\n",
		       modules_addr);
		return -EINVAL;
	}
	if (!mr_symbol_is(module_mutex_addr, "module_mutex")) {
		pr_err("module_mutex_addr=%#lx is not 'module_mutex'\n",
		       module_mutex_addr);
		return -EINVAL;
	}
	mr_modules = (struct list_head *)modules_addr;
	mr_module_mutex = (struct mutex *)module_mutex_addr;
	return 0;
}

bool mr_symbols_ready(void)
{
	return mr_modules && mr_module_mutex;
}

/* Find a module by name; the caller holds module_mutex. */
struct module *mr_find_module(const char *name)
{
	struct module *mod;

	lockdep_assert_held(mr_module_mutex);
	list_for_each_entry(mod, mr_modules, list) {
		if (mod->state != MODULE_STATE_UNFORMED &&
		    !strcmp(mod->name, name))
			return mod;
	}
	return NULL;
}

int mr_check_target(const char *name)
{
	size_t len = strnlen(name, MODRESCUE_NAME_LEN);

	if (!len || len >= MODULE_NAME_LEN)
		return -EINVAL;
	/* The helper must never operate on itself. */
	if (!strcmp(name, THIS_MODULE->name))
		return -EINVAL;
	return mr_symbols_ready() ? 0 : -EOPNOTSUPP;
}
