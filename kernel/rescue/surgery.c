// SPDX-License-Identifier: GPL-2.0
/*
 * Inspecting a module, and preparing a stuck one for the kernel's own
 * delete_module(): the minimum edits to struct module that let the normal
 * unload path run (GOING notifiers, ftrace and livepatch release, sysfs
 * teardown, freeing). Nothing here frees a module or calls free_module().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/panic.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "modrescue.h"
#include "rescue.h"
#include "users.h"

/* The kernel's MODULE_REF_BASE: the count a loaded, unused module holds. */
#define MR_MODULE_REF_BASE 1

/* Most users reported per call; the total is still counted past it. */
#define MR_MAX_USERS 256

static u32 mr_mod_flags(const struct module *mod)
{
	return (mod->init ? MODRESCUE_MOD_HAS_INIT : 0) |
	       (mod->exit ? MODRESCUE_MOD_HAS_EXIT : 0);
}

long mr_ioctl_inspect(struct modrescue_inspect *arg)
{
	struct mr_users users = { 0 };
	struct module *mod;
	size_t n;
	long ret;

	if (arg->flags || arg->reserved)
		return -EINVAL;
	ret = mr_check_target(arg->name);
	if (ret)
		return ret;

	users.cap = min_t(u32, arg->users_cap, MR_MAX_USERS);
	if (users.cap) {
		users.buf = kcalloc(users.cap, sizeof(*users.buf), GFP_KERNEL);
		if (!users.buf)
			return -ENOMEM;
	}

	/* Killable: the tool must never become one more D-state task. */
	ret = mutex_lock_killable(mr_module_mutex);
	if (ret)
		goto out;
	mod = mr_find_module(arg->name);
	if (!mod) {
		mutex_unlock(mr_module_mutex);
		ret = -ENOENT;
		goto out;
	}
	users.mod = mod;
	ret = mr_find_users(&users);
	arg->state = mod->state;
	arg->refcnt = module_refcount(mod);
	arg->mod_flags = mr_mod_flags(mod);
	mutex_unlock(mr_module_mutex);
	if (ret)
		goto out;

	arg->users_found = users.found;
	n = min(users.found, users.cap);
	if (n && copy_to_user(u64_to_user_ptr(arg->users), users.buf,
			      n * sizeof(*users.buf)))
		ret = -EFAULT;
out:
	kfree(users.buf);
	return ret;
}

/* Which edits make sense for which state: refuse anything else. */
static int mr_check_edits(const struct module *mod, u32 edits)
{
	if (!edits || (edits & ~MODRESCUE_EDIT_ALL))
		return -EINVAL;
	if ((edits & MODRESCUE_EDIT_STATE_LIVE) &&
	    mod->state != MODULE_STATE_COMING &&
	    mod->state != MODULE_STATE_GOING)
		return -EINVAL;
	/* Only a crashed init's or exit's module: a LIVE one's exit must stay. */
	if ((edits & MODRESCUE_EDIT_CLEAR_EXIT) &&
	    mod->state != MODULE_STATE_GOING &&
	    mod->state != MODULE_STATE_COMING)
		return -EINVAL;
	/*
	 * A GOING module's exit already ran, or died: it must not run again.
	 * A COMING module's init never finished: as the kernel guarantees,
	 * an exit runs only after a successful init.
	 */
	if ((edits & MODRESCUE_EDIT_STATE_LIVE) && mod->exit &&
	    !(edits & MODRESCUE_EDIT_CLEAR_EXIT))
		return -EINVAL;
	return 0;
}

static void mr_apply_edits(struct module *mod, u32 edits)
{
	if (edits & MODRESCUE_EDIT_REFCNT_BASE) {
		pr_warn("%s: refcount %d -> 0 (forced)\n", mod->name,
			module_refcount(mod));
		atomic_set(&mod->refcnt, MR_MODULE_REF_BASE);
	}
	if (edits & MODRESCUE_EDIT_CLEAR_EXIT) {
		pr_warn("%s: exit %ps cleared (forced)\n", mod->name, mod->exit);
		mod->exit = NULL;
	}
	if (edits & MODRESCUE_EDIT_STATE_LIVE) {
		pr_warn("%s: state %s -> live (forced)\n", mod->name,
			mod->state == MODULE_STATE_COMING ? "coming" : "going");
		/* GOING took the base reference away; LIVE needs it back. */
		if (mod->state == MODULE_STATE_GOING &&
		    !(edits & MODRESCUE_EDIT_REFCNT_BASE))
			atomic_set(&mod->refcnt, MR_MODULE_REF_BASE);
		mod->state = MODULE_STATE_LIVE;
	}
	add_taint(TAINT_FORCED_RMMOD, LOCKDEP_STILL_OK);
}

/* A quarantined copy, NAME.qN: a task sleeps in it for good. */
static bool mr_is_quarantined_name(const char *name)
{
	const char *dot = strrchr(name, '.');

	if (!dot || dot[1] != 'q' || !dot[2])
		return false;
	for (dot += 2; *dot; dot++)
		if (!isdigit(*dot))
			return false;
	return true;
}

/*
 * Edits that no check of users can make safe: a livepatch module (its
 * patched functions may be running), a quarantined copy, and forgetting
 * references of a LIVE module that the caller has not declared leaked.
 */
static int mr_check_allowed(const struct module *mod, u32 edits, u32 flags)
{
	if (is_livepatch_module((struct module *)mod) ||
	    mr_is_quarantined_name(mod->name))
		return -EPERM;
	if ((edits & MODRESCUE_EDIT_REFCNT_BASE) &&
	    mod->state == MODULE_STATE_LIVE &&
	    !(flags & MODRESCUE_PREPARE_LEAKED))
		return -EPERM;
	return 0;
}

/*
 * Any user the kernel can show refuses the edits: found users are never
 * overridden. The first one is returned in arg->busy.
 */
static int mr_check_no_users(struct module *mod, struct modrescue_prepare *arg)
{
	struct mr_users users = { .mod = mod, .buf = &arg->busy, .cap = 1 };
	int ret = mr_find_users(&users);

	if (ret)
		return ret;
	if (!users.found)
		return 0;
	pr_info("%s: not touched: %u user(s), the first of kind %u (%s)\n",
		mod->name, users.found, arg->busy.kind, arg->busy.comm);
	return -EBUSY;
}

/*
 * A crashed init or exit may have left registered what points into the
 * module (a timer, a device, a notifier): then it must not be freed.
 */
static int mr_check_no_leftovers(struct module *mod)
{
	char first[MODRESCUE_LEFTOVER_TEXT_LEN];
	int found = mr_leftovers_count(mod, first, sizeof(first));

	/* Without the kernel's static data it cannot look: never freed. */
	if (found <= 0)
		return found;
	pr_info("%s: not touched: its crashed %s left %d thing(s) registered, the first: %s\n",
		mod->name, mod->state == MODULE_STATE_GOING ? "exit" : "init",
		found, first);
	return -ENOTEMPTY;
}

long mr_ioctl_prepare(struct modrescue_prepare *arg)
{
	struct module *mod;
	long ret;

	if (arg->reserved || (arg->flags & ~MODRESCUE_PREPARE_LEAKED))
		return -EINVAL;
	memset(&arg->busy, 0, sizeof(arg->busy));
	ret = mr_check_target(arg->name);
	if (ret)
		return ret;

	/* Never while LEFTOVERS undoes what a crashed module left. */
	ret = mr_leftovers_lock();
	if (ret)
		return ret;
	/* Callbacks queued with call_rcu() that may still run its code. */
	if (arg->edits & MODRESCUE_EDIT_STATE_LIVE)
		rcu_barrier();
	ret = mutex_lock_killable(mr_module_mutex);
	if (ret)
		goto out;
	mod = mr_find_module(arg->name);
	if (!mod) {
		ret = -ENOENT;
		goto unlock;
	}
	arg->old_state = mod->state;
	arg->old_refcnt = module_refcount(mod);
	arg->applied = 0;
	if (mod->state != arg->expect_state) {
		ret = -ESTALE;
		goto unlock;
	}
	ret = mr_check_edits(mod, arg->edits);
	if (!ret)
		ret = mr_check_allowed(mod, arg->edits, arg->flags);
	/* Searched before the users: a work that ran meanwhile is a user. */
	if (!ret && (arg->edits & MODRESCUE_EDIT_STATE_LIVE))
		ret = mr_check_no_leftovers(mod);
	/* In the kernel, in every namespace, whatever the caller could see. */
	if (!ret)
		ret = mr_check_no_users(mod, arg);
	if (ret)
		goto unlock;

	mr_apply_edits(mod, arg->edits);
	arg->applied = arg->edits;
unlock:
	mutex_unlock(mr_module_mutex);
out:
	mr_leftovers_unlock();
	return ret;
}
