// SPDX-License-Identifier: GPL-2.0
/*
 * MODRESCUE_IOC_QUARANTINE: when a task stuck in a module's init or exit
 * cannot be released, free the module's name and keep everything else.
 *
 * The module, COMING or GOING, is renamed NAME.qN under module_mutex: its
 * struct module's name (what find_module(), /proc/modules, kallsyms'
 * "[NAME]" and stack traces show), its /sys/module directory
 * (kobject_rename()), and the "holders" links that the modules it uses keep
 * under its name. Its exported symbols are hidden, so that a fixed build
 * exporting the same ones is not refused as a duplicate. Nothing is freed
 * and nothing runs: the stuck task keeps sleeping on valid memory, and its
 * kthreads, if any, keep running valid code. delete_module("NAME.qN") is
 * still refused by the kernel, since the module is not LIVE.
 *
 * What else sees the name, and what the rename does to it:
 * - a new load of NAME looks for NAME (add_unformed_module()) and finds
 *   nothing, so it neither waits for nor collides with the quarantined copy;
 * - module notifiers get the struct module: the quarantined one got its
 *   COMING call already and gets GOING only if its task ever finishes on
 *   its own, under the new name; dynamic debug keys its table by a pointer
 *   to mod->name, ftrace, kprobes, jump labels and static calls by address;
 * - livepatch matches objects by name (klp_module_coming/going()): a patch
 *   for NAME applies to the fixed build; one that had patched the
 *   quarantined copy is not reverted on it. A livepatch module itself
 *   (mod->klp) is never quarantined;
 * - with module BTF, /sys/kernel/btf/NAME would collide with the fixed
 *   build's (the kernel would print a stack dump and not publish the new
 *   BTF). That file is removed, by name, which kernfs does safely against
 *   readers; the quarantined copy's BTF stays registered with BPF. Should
 *   the copy ever be freed after all, the BTF code removes
 *   /sys/kernel/btf/NAME by name again, which then is the fixed build's
 *   file: only the file goes, nothing is freed twice;
 * - on 6.4+, a finit_module() blocked in init holds its file in the
 *   idempotent-load table, and loading the same file again would wait for
 *   it: its entry is cut out of the table (loader.c), as if it had died.
 * The kernel is tainted with TAINT_FORCED_RMMOD ('R'): a module was forced
 * out of the way, as rmmod -f does, and stays resident.
 *
 * A LIVE module (MODRESCUE_QUARANTINE_LIVE) has an exit that would run on
 * delete_module(), and must not: the panic containment parked a task in
 * its code for good (the exit would wait for that task, or free the code
 * under it), or a dead task holds one of its locks that no one can hand on
 * (PREEMPT_RT's spinlock_t: the exit would sleep on it for good). Its
 * users are searched as for an unload (users.c), and any one found
 * refuses, except the parked task the caller names, which must be asleep
 * in TASK_IDLE with the containment's park frame (mr_ct_park()) and a
 * frame of the module on its stack. Then, besides the rename, its exit is
 * cleared and its state set to GOING: delete_module() refuses a module
 * that is not LIVE, even forced, and try_module_get() fails, so no new
 * user comes. No notifier runs and nothing is freed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/kallsyms.h>
#include <linux/panic.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sched/task.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "modrescue.h"
#include "rescue.h"
#include "stackscan.h"
#include "users.h"

/* Highest N tried for NAME.qN. */
#define MR_QUARANTINE_MAX 99
/* Users listed when a LIVE module is checked: past the first, it refuses. */
#define MR_LIVE_USERS 4

bool mr_is_quarantine_name(const char *name)
{
	const char *dot = strrchr(name, '.');
	const char *p;

	if (!dot || dot == name || dot[1] != 'q' || !dot[2])
		return false;
	for (p = dot + 2; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

/* Is name taken, by a module in any state or a /sys/module entry? */
static bool mr_name_taken(struct module *mod, const char *name)
{
	struct kobject *kobj;
	struct module *m;

	lockdep_assert_held(mr_module_mutex);
	list_for_each_entry(m, mr_modules, list)
		if (!strcmp(m->name, name))
			return true;
	/* Built-in modules with parameters have a directory, no module. */
	kobj = kset_find_obj(mod->mkobj.kobj.kset, name);
	if (kobj) {
		kobject_put(kobj);
		return true;
	}
	return false;
}

/* The first free NAME.qN into buf (MODULE_NAME_LEN bytes). */
static int mr_pick_name(struct module *mod, char *buf)
{
	unsigned int n;
	int len;

	for (n = 1; n <= MR_QUARANTINE_MAX; n++) {
		len = snprintf(buf, MODULE_NAME_LEN, "%s.q%u", mod->name, n);
		if (len >= MODULE_NAME_LEN)
			return -ENAMETOOLONG;
		if (!mr_name_taken(mod, buf))
			return 0;
	}
	return -EEXIST;
}

/*
 * mod->name is read without a lock (kallsyms, stack traces): readers must
 * see the old name or the new one, never a mix. The new name is the old
 * one plus a suffix, and the bytes after the old terminator are not part
 * of the old string, so the suffix goes there first, and only then does
 * the old terminator become the suffix's '.'.
 */
static void mr_set_name(struct module *mod, const char *new_name)
{
	size_t len = strlen(mod->name);

	memcpy(mod->name + len + 1, new_name + len + 1,
	       strlen(new_name + len + 1) + 1);
	/* The suffix is in place before the '.' that makes it visible. */
	smp_wmb();
	WRITE_ONCE(mod->name[len], new_name[len]);
}

/* /sys/kernel/btf/NAME, which the fixed build needs (see above). */
static void mr_remove_btf_file(struct module *mod, const char *old_name)
{
#ifdef CONFIG_DEBUG_INFO_BTF_MODULES
	struct attribute attr = { .name = old_name };

	if (mod->btf_data_size)
		sysfs_remove_file_from_group(kernel_kobj, &attr, "btf");
#endif
}

/* The links /sys/module/DEP/holders/NAME of the modules NAME uses. */
static void mr_rename_holder_links(struct module *mod, const char *old_name,
				   const char *new_name)
{
	struct module_use *use;
	int ret;

	list_for_each_entry(use, &mod->target_list, target_list) {
		if (!use->target->holders_dir)
			continue;
		ret = sysfs_rename_link_ns(use->target->holders_dir,
					   &mod->mkobj.kobj, old_name,
					   new_name, NULL);
		if (ret)
			pr_warn("%s: holders link in %s not renamed: %d\n",
				new_name, use->target->name, ret);
	}
}

/*
 * Keep the stuck task out of the hung-task detector by adding TASK_NOLOAD
 * to its state (TASK_UNINTERRUPTIBLE becomes TASK_IDLE, which
 * check_hung_uninterruptible_tasks() skips, on 6.1 and 6.12 alike). Done
 * only when it is safe, else the task is left as it is:
 * - under the task's pi_lock: try_to_wake_up() takes it before it reads or
 *   writes __state, so no wakeup runs meanwhile;
 * - only when the task is exactly TASK_UNINTERRUPTIBLE and fully off its
 *   CPU (on_rq and on_cpu both 0). The only other writer of its __state
 *   is the task itself, which cannot run again before a wakeup, which
 *   needs pi_lock. On PREEMPT_RT a task blocked on a sleeping spinlock is
 *   TASK_RTLOCK_WAIT, not TASK_UNINTERRUPTIBLE, and is left alone; a mutex
 *   (rtmutex) waiter is TASK_UNINTERRUPTIBLE and woken with TASK_NORMAL;
 * - every wakeup it can get still matches: wake_up_process(), wait queues,
 *   mutex and rtmutex handoffs and complete() all wake TASK_NORMAL, and
 *   TASK_IDLE & TASK_NORMAL is TASK_UNINTERRUPTIBLE. Once woken, the task
 *   sets its own state again when it next sleeps;
 * - not for kthreads: wait_task_inactive() (kthread_bind()) compares their
 *   state exactly. Only user tasks get here (mr_get_user_task()).
 * The load average is not changed: whether a sleeping task counts was
 * decided when it blocked (sched_contributes_to_load) and is undone with
 * the same flag when it wakes, which keeps nr_uninterruptible balanced, but
 * means that it keeps counting. /proc shows the task as I (idle), not D.
 */
static bool mr_park(struct task_struct *t)
{
	unsigned long flags;
	bool parked = false;

	raw_spin_lock_irqsave(&t->pi_lock, flags);
	if (READ_ONCE(t->__state) == TASK_UNINTERRUPTIBLE &&
	    !READ_ONCE(t->on_rq) && !READ_ONCE(t->on_cpu)) {
		WRITE_ONCE(t->__state, TASK_IDLE);
		parked = true;
	}
	raw_spin_unlock_irqrestore(&t->pi_lock, flags);
	return parked;
}

/* The task pid, referenced, if it sleeps in the module's code; else NULL. */
static struct task_struct *mr_get_stuck_task(struct module *mod, pid_t pid)
{
	struct mr_task_scan s;
	struct task_struct *t;
	bool in_module;

	t = mr_get_user_task(pid);
	if (!t)
		return NULL;
	in_module = !mr_task_scan_init(&s, mod, t) &&
		    mr_ss_has_module_frame(&s.st, &mr_scan_ops, &s);
	mr_task_scan_free(&s);
	if (!in_module) {
		put_task_struct(t);
		return NULL;
	}
	return t;
}

/*
 * The stuck task stays where it is, for good: park it (see mr_park()), and
 * if it is a loader stuck in init, take its entry out of the kernel's
 * idempotent-load table (6.4+), where a new load of the same file would
 * otherwise wait for it forever.
 */
static u32 mr_settle_stuck(struct module *mod, pid_t pid)
{
	struct task_struct *t = mr_get_stuck_task(mod, pid);
	u32 done = 0;

	if (!t)
		return 0;
	if (mr_park(t))
		done |= MODRESCUE_QUARANTINE_PARKED;
	if (mod->state == MODULE_STATE_COMING && mr_loader_forget(t))
		done |= MODRESCUE_QUARANTINE_LOADER;
	put_task_struct(t);
	return done;
}

/* The task pid (in the caller's PID namespace), kthreads too; or NULL. */
static struct task_struct *mr_get_any_task(pid_t pid)
{
	struct task_struct *t;

	rcu_read_lock();
	t = get_pid_task(find_vpid(pid), PIDTYPE_PID);
	rcu_read_unlock();
	return t;
}

/*
 * Is sym ("f+0x1/0x2 [m]") in function fn, or in a part the compiler split
 * off it ("fn.cold+...": the park is a noreturn path)?
 */
static bool mr_sym_is(const char *sym, const char *fn)
{
	size_t len = strlen(fn);

	return !strncmp(sym, fn, len) && (sym[len] == '+' || sym[len] == '.');
}

/* Is addr, in this module's code, in the panic containment's park? */
static bool mr_is_park_frame(unsigned long addr)
{
	char sym[KSYM_SYMBOL_LEN];

	if (!within_module(addr, THIS_MODULE))
		return false;
	sprint_symbol(sym, addr);
	return mr_sym_is(sym, "mr_ct_park") || mr_sym_is(sym, "mr_ct_try_park");
}

/*
 * Is t parked for good by the panic containment in mod's code: asleep in
 * TASK_IDLE, off its CPU, with the park's frame and one of mod's on its
 * stack?
 */
static bool mr_parked_in(struct module *mod, struct task_struct *t)
{
	struct mr_task_scan s;
	bool park = false, in_module;
	size_t i;

	if (READ_ONCE(t->__state) != TASK_IDLE || READ_ONCE(t->on_cpu)) {
		pr_warn("%s: pid %d is not asleep in TASK_IDLE (state %#x)\n",
			mod->name, task_pid_nr(t), READ_ONCE(t->__state));
		return false;
	}
	in_module = !mr_task_scan_init(&s, mod, t) &&
		    mr_ss_has_module_frame(&s.st, &mr_scan_ops, &s);
	for (i = 0; in_module && !park && i < s.st.n_words; i++)
		park = mr_is_park_frame(s.st.words[i]);
	mr_task_scan_free(&s);
	if (!in_module || !park)
		pr_warn("%s: pid %d has %s on its stack\n", mod->name,
			task_pid_nr(t),
			in_module ? "no frame of the panic containment's park" :
				    "no frame in its code");
	return in_module && park;
}

/*
 * A LIVE module may be quarantined only with no user but the parked task
 * pid (0: none at all). Found users are never overridden: -EBUSY.
 */
static long mr_check_live_users(struct module *mod, pid_t pid)
{
	struct mr_users users = { .mod = mod, .cap = MR_LIVE_USERS };
	struct task_struct *t;
	long ret;
	u32 i;

	users.buf = kcalloc(users.cap, sizeof(*users.buf), GFP_KERNEL);
	if (!users.buf)
		return -ENOMEM;
	ret = mr_find_users(&users);
	if (ret)
		goto out;
	ret = -EBUSY;
	if (users.found > users.cap)
		goto busy;
	for (i = 0; i < users.found; i++) {
		const struct modrescue_user *e = &users.buf[i];

		if (!pid || e->pid != pid ||
		    (e->kind != MODRESCUE_USER_KTHREAD &&
		     e->kind != MODRESCUE_USER_TASK))
			goto busy;
	}
	if (pid) {
		t = mr_get_any_task(pid);
		if (!t)
			goto out;
		if (!mr_parked_in(mod, t)) {
			pr_warn("%s: not quarantined: pid %d is not parked in it by the panic containment\n",
				mod->name, pid);
			put_task_struct(t);
			goto out;
		}
		put_task_struct(t);
	}
	ret = 0;
	goto out;
busy:
	pr_warn("%s: not quarantined: %u user(s), the first of kind %u (%s, pid %d)\n",
		mod->name, users.found, users.buf[0].kind, users.buf[0].comm,
		users.buf[0].pid);
out:
	kfree(users.buf);
	return ret;
}

static bool mr_is_livepatch(const struct module *mod)
{
#ifdef CONFIG_LIVEPATCH
	return mod->klp;
#else
	return false;
#endif
}

static long mr_quarantine_locked(struct module *mod,
				 struct modrescue_quarantine *arg)
{
	char old_name[MODULE_NAME_LEN], new_name[MODULE_NAME_LEN];
	long ret;

	arg->old_state = mod->state;
	if (mod->state != arg->expect_state)
		return -ESTALE;
	if (mr_is_quarantine_name(mod->name))
		return -EALREADY;
	/* Modules using it would keep using it: not ours to move. */
	if (!list_empty(&mod->source_list) || mr_is_livepatch(mod))
		return -EBUSY;
	if (!mod->mkobj.kobj.state_in_sysfs)
		return -EBUSY;
	if (arg->flags & MODRESCUE_QUARANTINE_LIVE) {
		ret = mr_check_live_users(mod, arg->pid);
		if (ret)
			return ret;
	}
	ret = mr_pick_name(mod, new_name);
	if (ret)
		return ret;
	strscpy(old_name, mod->name, sizeof(old_name));

	ret = kobject_rename(&mod->mkobj.kobj, new_name);
	if (ret)
		return ret;
	mr_rename_holder_links(mod, old_name, new_name);
	mr_remove_btf_file(mod, old_name);
	mr_set_name(mod, new_name);
	if (mod->num_syms || mod->num_gpl_syms) {
		/* find_symbol() reads these under RCU: either value is fine. */
		WRITE_ONCE(mod->num_syms, 0);
		WRITE_ONCE(mod->num_gpl_syms, 0);
		arg->done |= MODRESCUE_QUARANTINE_EXPORTS;
	}
	strscpy(arg->new_name, new_name, sizeof(arg->new_name));
	if (arg->flags & MODRESCUE_QUARANTINE_LIVE) {
		/* Its exit must never run: not now, not forced, not ever. */
		mod->exit = NULL;
		mod->state = MODULE_STATE_GOING;
		arg->done |= MODRESCUE_QUARANTINE_EXIT_CLEARED;
	}
	add_taint(TAINT_FORCED_RMMOD, LOCKDEP_STILL_OK);

	if (arg->flags & MODRESCUE_QUARANTINE_NOLOAD)
		arg->done |= mr_settle_stuck(mod, arg->pid);
	pr_warn("%s: quarantined as %s (%s, memory kept%s; forced)\n",
		old_name, new_name,
		arg->old_state == MODULE_STATE_LIVE ?
			"live, its exit never to run, now going" :
		arg->old_state == MODULE_STATE_GOING ? "stuck in its exit" :
						       "stuck in its init",
		arg->done & MODRESCUE_QUARANTINE_PARKED ?
			", stuck task parked" : "");
	return 0;
}

long mr_ioctl_quarantine(struct modrescue_quarantine *arg)
{
	struct module *mod;
	long ret;

	BUILD_BUG_ON(sizeof(*arg) != MODRESCUE_QUARANTINE_SIZE_V3);
	if ((arg->flags &
	     ~(MODRESCUE_QUARANTINE_NOLOAD | MODRESCUE_QUARANTINE_LIVE)) ||
	    arg->pid < 0 ||
	    ((arg->flags & MODRESCUE_QUARANTINE_NOLOAD) && !arg->pid))
		return -EINVAL;
	if (arg->flags & MODRESCUE_QUARANTINE_LIVE) {
		/* Its task is parked already: nothing to park, no loader. */
		if ((arg->flags & MODRESCUE_QUARANTINE_NOLOAD) ||
		    arg->expect_state != MODRESCUE_STATE_LIVE)
			return -EINVAL;
		ret = mr_check_target(arg->name);
	} else {
		ret = mr_check_stuck_target(arg->name, arg->expect_state);
	}
	if (ret)
		return ret;
	arg->done = 0;
	memset(arg->new_name, 0, sizeof(arg->new_name));

	ret = mutex_lock_killable(mr_module_mutex);
	if (ret)
		return ret;
	mod = mr_find_module(arg->name);
	ret = mod ? mr_quarantine_locked(mod, arg) : -ENOENT;
	mutex_unlock(mr_module_mutex);
	return ret;
}
