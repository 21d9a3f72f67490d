// SPDX-License-Identifier: GPL-2.0
/*
 * Tasks that would run into a freed module, in every PID namespace: kthreads
 * whose thread function is in it, tasks with a return address into its text
 * on their kernel stack (asleep in its exit, or in any of its functions),
 * and tasks inside delete_module() while it is GOING, or inside
 * init_module()/finit_module() while it is still in its loader's hands
 * (see mr_module_loading()), whose own code path still works on it even
 * when none of its code is on their stack (freeing it, running its
 * notifiers, dropping its initial reference).
 * One walk over every thread, which also looks at their open files.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <asm/syscall.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/ptrace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/unistd.h>

#include "modrescue.h"

/* Tasks in delete_module() whose argument is read after the walk. */
#define MR_MAX_UNLOADERS 16

/* Is addr in the module's code (core or init text)? */
static bool mr_in_text(unsigned long addr, const struct module *mod)
{
#ifdef for_class_mod_mem_type /* 6.4+: mem[] replaced the layouts */
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
 * Does t's kernel stack hold an address in the module's code? A sleeping
 * task is read from its saved stack pointer up; a task on a CPU has no
 * saved pointer worth trusting, so all of its stack is read. Any word that
 * points into the code counts: a stale one errs on the side of refusing.
 */
static bool mr_task_has_frame(struct task_struct *t, const struct module *mod,
			      unsigned long *buf)
{
	unsigned long lo = (unsigned long)task_stack_page(t), sp = lo;
	size_t i, n;

	if (!lo)
		return false;
#ifdef CONFIG_X86
	if (!READ_ONCE(t->on_cpu)) {
		unsigned long saved = READ_ONCE(t->thread.sp);

		if (saved >= lo && saved - lo < THREAD_SIZE)
			sp = saved;
	}
#endif
	n = (lo + THREAD_SIZE - sp) / sizeof(long);
	/* The stack may be freed under us as t exits: copy it safely. */
	if (copy_from_kernel_nofault(buf, (const void *)sp, n * sizeof(long)))
		return false;
	for (i = 0; i < n; i++)
		if (mr_in_text(buf[i], mod))
			return true;
	return false;
}

/* The syscall t is in, and its first argument; false for none known. */
static bool mr_task_syscall(struct task_struct *t, int *nr, unsigned long *arg)
{
	struct pt_regs regs;
	unsigned long args[6];

	if (t->flags & PF_KTHREAD)
		return false;
	if (copy_from_kernel_nofault(&regs, task_pt_regs(t), sizeof(regs)))
		return false;
	*nr = syscall_get_nr(t, &regs);
	syscall_get_arguments(t, &regs, args);
	*arg = args[0];
	return true;
}

struct mr_task_scan {
	struct mr_users *users;
	unsigned long *stack;			/* THREAD_SIZE scratch */
	struct task_struct *unloaders[MR_MAX_UNLOADERS];
	unsigned long names[MR_MAX_UNLOADERS];	/* their delete_module() arg */
	unsigned int n_unloaders;
	bool too_many;
};

/*
 * Is the module still in its loader's hands? The loader switches it to its
 * core kallsyms under module_mutex (which the caller holds), in the same
 * step that drops its initial reference once init succeeded. Until then
 * it is COMING; or LIVE while do_init_module() runs the notifiers and
 * waits for every async work first (forgetting references then would let
 * the loader's module_put() underflow the count, and an unload free the
 * module under it); or GOING after a failed init, which the loader itself
 * unwinds and frees. A GOING module whose init succeeded (an unload) is
 * on its core kallsyms.
 */
static bool mr_module_loading(const struct module *mod)
{
#ifdef CONFIG_KALLSYMS
	return rcu_access_pointer(mod->kallsyms) != &mod->core_kallsyms;
#else
	return mod->state == MODULE_STATE_COMING;
#endif
}

/* Is t inside a module syscall that may still be working on the module? */
static void mr_check_syscall(struct mr_task_scan *s, struct task_struct *t)
{
	const struct module *mod = s->users->mod;
	unsigned long arg;
	int nr;

	if (!mr_task_syscall(t, &nr, &arg))
		return;
	if (mr_module_loading(mod) &&
	    (nr == __NR_init_module || nr == __NR_finit_module)) {
		/* Which module it loads is not cheap to tell: assume ours. */
		mr_add_user(s->users, MODRESCUE_USER_SYSCALL, t, true, -1,
			    nr == __NR_init_module ? "init_module" :
						     "finit_module");
		return;
	}
	if (mod->state != MODULE_STATE_GOING || nr != __NR_delete_module)
		return;
	if (s->n_unloaders == MR_MAX_UNLOADERS) {
		s->too_many = true;
		return;
	}
	get_task_struct(t);
	s->unloaders[s->n_unloaders] = t;
	s->names[s->n_unloaders++] = arg;
}

/*
 * The tasks in delete_module(): which module did each ask for? Its name is
 * in its own memory; one that cannot be read is taken to be ours.
 */
static void mr_check_unloaders(struct mr_task_scan *s)
{
	const struct module *mod = s->users->mod;
	char name[MODULE_NAME_LEN];
	unsigned int i;
	int n;

	for (i = 0; i < s->n_unloaders; i++) {
		struct task_struct *t = s->unloaders[i];

		memset(name, 0, sizeof(name));
		n = access_process_vm(t, s->names[i], name, sizeof(name) - 1,
				      0);
		if (n <= 0 || !strcmp(name, mod->name))
			mr_add_user(s->users, MODRESCUE_USER_SYSCALL, t, true,
				    -1, "delete_module");
		put_task_struct(t);
	}
	if (s->too_many)
		mr_add_user(s->users, MODRESCUE_USER_SYSCALL, NULL, true, -1,
			    "too many delete_module");
}

static void mr_check_task(struct mr_task_scan *s, struct task_struct *p,
			  struct task_struct *t)
{
	struct mr_users *u = s->users;

	if ((t->flags & PF_KTHREAD) && mr_in_module(kthread_func(t), u->mod))
		mr_add_user(u, MODRESCUE_USER_KTHREAD, t, true, -1, NULL);
	else if (t != current && mr_task_has_frame(t, u->mod, s->stack))
		mr_add_user(u, MODRESCUE_USER_TASK, t, true, -1,
			    "has a frame in its code");
	mr_check_syscall(s, t);
	mr_find_fd_users(u, p, t);
}

int mr_find_task_users(struct mr_users *u)
{
	struct mr_task_scan *s;
	struct task_struct *p, *t;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->users = u;
	s->stack = kvmalloc(THREAD_SIZE, GFP_KERNEL);
	if (!s->stack) {
		kfree(s);
		return -ENOMEM;
	}
	rcu_read_lock();
	for_each_process_thread(p, t)
		mr_check_task(s, p, t);
	rcu_read_unlock();
	mr_check_unloaders(s);
	kvfree(s->stack);
	kfree(s);
	return 0;
}
