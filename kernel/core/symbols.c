// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel data the helper needs but the kernel does not export: the
 * module list head and module_mutex; on 6.4+ the idempotent-load table
 * idem_hash with its idem_lock (optional); the superblock list super_blocks
 * with its sb_lock (optional). The parameters are not readable in sysfs:
 * they are kernel addresses. Userspace resolves their addresses from
 * /proc/kallsyms and passes them as module parameters; they are checked here
 * with sprint_symbol() before use, so a wrong or stale address is refused
 * rather than dereferenced. Only data is taken this way: calling unexported
 * functions through looked-up addresses breaks under IBT on 6.12.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kallsyms.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/rtnetlink.h>
#include <linux/string.h>
#include <asm/page.h>
#include <asm/smp.h>

#include "modrescue.h"

static unsigned long modules_addr;
module_param(modules_addr, ulong, 0);
MODULE_PARM_DESC(modules_addr, "address of the kernel's 'modules' list head");

static unsigned long module_mutex_addr;
module_param(module_mutex_addr, ulong, 0);
MODULE_PARM_DESC(module_mutex_addr, "address of the kernel's 'module_mutex'");

static unsigned long idem_hash_addr;
module_param(idem_hash_addr, ulong, 0);
MODULE_PARM_DESC(idem_hash_addr,
		 "address of the kernel's 'idem_hash' (6.4+; optional)");

static unsigned long idem_lock_addr;
module_param(idem_lock_addr, ulong, 0);
MODULE_PARM_DESC(idem_lock_addr,
		 "address of the kernel's 'idem_lock' (6.4+; optional)");

/* Optional: mounts of a module's filesystems, in every namespace. */
static unsigned long super_blocks_addr;
module_param(super_blocks_addr, ulong, 0);
MODULE_PARM_DESC(super_blocks_addr,
		 "address of the kernel's 'super_blocks' (optional)");

static unsigned long sb_lock_addr;
module_param(sb_lock_addr, ulong, 0);
MODULE_PARM_DESC(sb_lock_addr, "address of the kernel's 'sb_lock' (optional)");

/* Optional: a panic by a task holding rtnl is never contained. */
static unsigned long rtnl_mutex_addr;
module_param(rtnl_mutex_addr, ulong, 0);
MODULE_PARM_DESC(rtnl_mutex_addr,
		 "address of the kernel's 'rtnl_mutex' (optional)");

/*
 * Optional: the kernel's static data and per-CPU area, where the leftover
 * search looks for words pointing into a module that is to be freed.
 */
static unsigned long sdata_addr, edata_addr, bss_start_addr, bss_stop_addr;
static unsigned long per_cpu_start_addr, per_cpu_end_addr;
module_param(sdata_addr, ulong, 0);
MODULE_PARM_DESC(sdata_addr, "address of the kernel's '_sdata' (optional)");
module_param(edata_addr, ulong, 0);
MODULE_PARM_DESC(edata_addr, "address of the kernel's '_edata' (optional)");
module_param(bss_start_addr, ulong, 0);
MODULE_PARM_DESC(bss_start_addr,
		 "address of the kernel's '__bss_start' (optional)");
module_param(bss_stop_addr, ulong, 0);
MODULE_PARM_DESC(bss_stop_addr,
		 "address of the kernel's '__bss_stop' (optional)");
module_param(per_cpu_start_addr, ulong, 0);
MODULE_PARM_DESC(per_cpu_start_addr,
		 "address of the kernel's '__per_cpu_start' (optional)");
module_param(per_cpu_end_addr, ulong, 0);
MODULE_PARM_DESC(per_cpu_end_addr,
		 "address of the kernel's '__per_cpu_end' (optional)");

struct list_head *mr_super_blocks;
spinlock_t *mr_sb_lock;
struct list_head *mr_modules;
struct mutex *mr_module_mutex;
struct hlist_head *mr_idem_hash;
unsigned int mr_idem_buckets;
spinlock_t *mr_idem_lock;
struct mutex *mr_rtnl_mutex;
struct mr_static_areas mr_static;

/*
 * Is addr exactly the start of the core kernel symbol called name? The
 * string is "name+0x0/0xSIZE"; a module symbol would add " [mod]". The
 * symbol's size goes to *size when size is not NULL.
 */
static bool mr_symbol_is(unsigned long addr, const char *name,
			 unsigned long *size)
{
	char buf[KSYM_SYMBOL_LEN];
	size_t len = strlen(name);

	if (!addr)
		return false;
	sprint_symbol(buf, addr);
	if (strncmp(buf, name, len) || strncmp(buf + len, "+0x0/0x", 7) ||
	    strchr(buf, '['))
		return false;
	return !size || !kstrtoul(buf + len + 7, 16, size);
}

/* Is addr, given as NAME_addr, the kernel's NAME? Say why when it is not. */
static bool mr_check_symbol(unsigned long addr, const char *name,
			    unsigned long *size)
{
	if (mr_symbol_is(addr, name, size))
		return true;
	pr_err("%s_addr=%#lx is not the kernel's '%s'\n", name, addr, name);
	return false;
}

/* The optional idempotent-load table: both symbols, or neither. */
static int mr_idem_symbols_init(void)
{
	unsigned long size;

	if (!idem_hash_addr && !idem_lock_addr)
		return 0;
	if (!mr_check_symbol(idem_hash_addr, "idem_hash", &size) ||
	    !mr_check_symbol(idem_lock_addr, "idem_lock", NULL))
		return -EINVAL;
	if (!size || size % sizeof(struct hlist_head) ||
	    size / sizeof(struct hlist_head) > 4096) {
		pr_err("idem_hash is %lu bytes: not a table of hash heads\n",
		       size);
		return -EINVAL;
	}
	mr_idem_hash = (struct hlist_head *)idem_hash_addr;
	mr_idem_buckets = size / sizeof(struct hlist_head);
	mr_idem_lock = (spinlock_t *)idem_lock_addr;
	return 0;
}

/* The module list and its mutex: both symbols, or neither. */
static int mr_module_symbols_init(void)
{
	if (!modules_addr && !module_mutex_addr) {
		pr_info("no symbols given: module surgery is disabled\n");
		return 0;
	}
	if (!mr_check_symbol(modules_addr, "modules", NULL) ||
	    !mr_check_symbol(module_mutex_addr, "module_mutex", NULL))
		return -EINVAL;
	mr_modules = (struct list_head *)modules_addr;
	mr_module_mutex = (struct mutex *)module_mutex_addr;
	return 0;
}

/* The superblock list: both symbols, or neither. */
static int mr_super_symbols_init(void)
{
	if (!super_blocks_addr && !sb_lock_addr)
		return 0;
	if (!mr_check_symbol(super_blocks_addr, "super_blocks", NULL) ||
	    !mr_check_symbol(sb_lock_addr, "sb_lock", NULL))
		return -EINVAL;
	mr_super_blocks = (struct list_head *)super_blocks_addr;
	mr_sb_lock = (spinlock_t *)sb_lock_addr;
	return 0;
}

/* Inside the kernel image's mapping, as its static data must be. */
static bool mr_in_kernel_image(unsigned long start, unsigned long end)
{
#ifdef CONFIG_X86_64
	return start >= __START_KERNEL_map && start < end &&
	       end <= __START_KERNEL_map + KERNEL_IMAGE_SIZE;
#else
	return false;
#endif
}

/* Largest static area believed, in bytes. */
#define MR_STATIC_AREA_MAX (256UL << 20)

/*
 * The static areas: all six addresses, or none. Several symbols share these
 * addresses, so sprint_symbol() cannot name them; they are checked instead
 * by their order, their place in the kernel image, and exported variables
 * that must lie inside them.
 */
static int mr_static_symbols_init(void)
{
	unsigned long pcpu_anchor = (unsigned long)&this_cpu_off;
	unsigned long data_anchor = (unsigned long)&jiffies_64;

	if (!sdata_addr && !edata_addr && !bss_start_addr && !bss_stop_addr &&
	    !per_cpu_start_addr && !per_cpu_end_addr)
		return 0;
	if (!mr_in_kernel_image(sdata_addr, edata_addr) ||
	    !mr_in_kernel_image(bss_start_addr, bss_stop_addr) ||
	    edata_addr > bss_start_addr ||
	    edata_addr - sdata_addr > MR_STATIC_AREA_MAX ||
	    bss_stop_addr - bss_start_addr > MR_STATIC_AREA_MAX ||
	    data_anchor < sdata_addr || data_anchor >= edata_addr ||
	    per_cpu_end_addr <= per_cpu_start_addr ||
	    per_cpu_end_addr - per_cpu_start_addr > MR_STATIC_AREA_MAX ||
	    pcpu_anchor < per_cpu_start_addr ||
	    pcpu_anchor >= per_cpu_end_addr) {
		pr_err("the static data addresses given are not the kernel's\n");
		return -EINVAL;
	}
	mr_static.data_start = sdata_addr;
	mr_static.data_end = edata_addr;
	mr_static.bss_start = bss_start_addr;
	mr_static.bss_end = bss_stop_addr;
	mr_static.percpu_start = per_cpu_start_addr;
	mr_static.percpu_end = per_cpu_end_addr;
	return 0;
}

/*
 * rtnl_mutex: the kernel's symbol of that name, whose lock word agrees
 * with rtnl_is_locked() (exported) now. A race with a taker between the
 * two reads refuses a right address: load again.
 */
static int mr_rtnl_symbol_init(void)
{
	unsigned long size;

	if (!rtnl_mutex_addr)
		return 0;
	if (!mr_check_symbol(rtnl_mutex_addr, "rtnl_mutex", &size))
		return -EINVAL;
	if (size != sizeof(struct mutex) ||
	    mutex_is_locked((struct mutex *)rtnl_mutex_addr) !=
		    !!rtnl_is_locked()) {
		pr_err("rtnl_mutex_addr=%#lx is not a mutex in rtnl's state\n",
		       rtnl_mutex_addr);
		return -EINVAL;
	}
	mr_rtnl_mutex = (struct mutex *)rtnl_mutex_addr;
	return 0;
}

int mr_symbols_init(void)
{
	int ret = mr_module_symbols_init();

	if (!ret)
		ret = mr_idem_symbols_init();
	if (!ret)
		ret = mr_static_symbols_init();
	if (!ret)
		ret = mr_rtnl_symbol_init();
	return ret ? ret : mr_super_symbols_init();
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
