/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The core's interface, which every concern may use: the device (device.c),
 * the kernel's unexported data (symbols.c) and the helpers they share
 * (kptr.c). Each concern has its own header: users.h, rescue.h, locks.h.
 */
#ifndef _MODRESCUE_INTERNAL_H
#define _MODRESCUE_INTERNAL_H

#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <uapi/modrescue.h>

/* device.c */
int modrescue_device_register(void);
void modrescue_device_unregister(void);

/* symbols.c: unexported kernel data, validated before use. */
extern struct list_head *mr_modules;
extern struct mutex *mr_module_mutex;
/* The idempotent-load table (6.4+), or NULL when not given. */
extern struct hlist_head *mr_idem_hash;
extern unsigned int mr_idem_buckets;
extern spinlock_t *mr_idem_lock;
/* rtnl_mutex (optional: NULL when not given). */
extern struct mutex *mr_rtnl_mutex;
int mr_symbols_init(void);
bool mr_symbols_ready(void);
struct module *mr_find_module(const char *name);
/*
 * May a command work on the module NAME from userspace? The name must be
 * NUL-terminated, of a length the kernel allows, and never the helper
 * itself (-EINVAL); the module symbols must have been given (-EOPNOTSUPP).
 */
int mr_check_target(const char *name);

/* The kernel's static data, from kallsyms (symbols.c), or all zero. */
struct mr_static_areas {
	unsigned long data_start, data_end;	/* _sdata, _edata */
	unsigned long bss_start, bss_end;	/* __bss_start, __bss_stop */
	unsigned long percpu_start, percpu_end;	/* __per_cpu_start, _end */
};

extern struct mr_static_areas mr_static;

/*
 * Is addr in mod's code (core or init text)? Inline, so notrace: the oops
 * and panic paths call it too.
 */
static inline bool mr_in_module_text(unsigned long addr,
				     const struct module *mod)
{
#ifdef for_each_mod_mem_type /* 6.4+: mem[] replaced the layouts */
	return within_module_mem_type(addr, mod, MOD_TEXT) ||
	       within_module_mem_type(addr, mod, MOD_INIT_TEXT);
#else
	/* Differences, not sums: no wrap for addresses below base. */
	return addr - (unsigned long)mod->core_layout.base <
		       mod->core_layout.text_size ||
	       addr - (unsigned long)mod->init_layout.base <
		       mod->init_layout.text_size;
#endif
}

/*
 * A forced unload's waits for its last user (which hold only the helper's
 * own mutexes): TASK_IDLE, so no load and no hung-task report, and
 * freezable, so that a suspend can freeze the rmmod instead of failing on
 * it (_UNSAFE: a mutex is held; no suspend step takes it). A thawed waiter
 * checks its condition again. A task parked by containment stays plain
 * TASK_IDLE: it may hold any lock its module's caller took (a device's, in
 * a probe), and a suspend that froze it would hang on that lock later.
 */
#define MR_TASK_WAITING (TASK_IDLE | TASK_FREEZABLE_UNSAFE)

static inline long mr_wait_idle(long timeout)
{
	__set_current_state(MR_TASK_WAITING);
	return schedule_timeout(timeout);
}

/*
 * mr_check_target() for a command on a task stuck in the module's init or
 * exit: the state expected must be one a task can be stuck in, COMING
 * (init) or GOING (exit), else -EINVAL.
 */
static inline int mr_check_stuck_target(const char *name, u32 state)
{
	if (state != MODRESCUE_STATE_COMING && state != MODRESCUE_STATE_GOING)
		return -EINVAL;
	return mr_check_target(name);
}

/* The superblock list and its lock (optional: mounts are not seen without). */
extern struct list_head *mr_super_blocks;
extern spinlock_t *mr_sb_lock;

/* kptr.c: may the caller see kernel pointers (kptr_restrict, %pK)? */
u64 mr_user_visible_ptr(const void *p);

#endif /* _MODRESCUE_INTERNAL_H */
