// SPDX-License-Identifier: GPL-2.0
/*
 * Inspecting a module, and preparing a stuck one for the kernel's own
 * delete_module(): the minimum edits to struct module that let the normal
 * unload path run (GOING notifiers, ftrace and livepatch release, sysfs
 * teardown, freeing). Nothing here frees a module or calls free_module().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/panic.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "modrescue.h"

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

	mutex_lock(mr_module_mutex);
	mod = mr_find_module(arg->name);
	if (!mod) {
		mutex_unlock(mr_module_mutex);
		ret = -ENOENT;
		goto out;
	}
	users.mod = mod;
	mr_find_users(&users);
	arg->state = mod->state;
	arg->refcnt = module_refcount(mod);
	arg->mod_flags = mr_mod_flags(mod);
	mutex_unlock(mr_module_mutex);

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
	/* A GOING module's exit already ran, or died: it must not run again. */
	if ((edits & MODRESCUE_EDIT_STATE_LIVE) &&
	    mod->state == MODULE_STATE_GOING && mod->exit &&
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

long mr_ioctl_prepare(struct modrescue_prepare *arg)
{
	struct mr_users users = { 0 };
	struct module *mod;
	long ret;

	if (arg->reserved || (arg->flags & ~MODRESCUE_PREPARE_LEAKED))
		return -EINVAL;
	ret = mr_check_target(arg->name);
	if (ret)
		return ret;

	mutex_lock(mr_module_mutex);
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
	if (ret)
		goto unlock;

	/* Users may have appeared since userspace looked: count them again. */
	users.mod = mod;
	mr_find_users(&users);
	if (users.kthreads ||
	    (users.found && !(arg->flags & MODRESCUE_PREPARE_LEAKED))) {
		pr_info("%s: not touched: %u live user(s), %u kthread(s)\n",
			mod->name, users.found, users.kthreads);
		ret = -EBUSY;
		goto unlock;
	}

	mr_apply_edits(mod, arg->edits);
	arg->applied = arg->edits;
unlock:
	mutex_unlock(mr_module_mutex);
	return ret;
}
