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
 * Every thread is pinned (get_task_struct()) under RCU, then looked at
 * outside it, one at a time with cond_resched() between them: its stack
 * (up to THREAD_SIZE copied), its syscall and its open files.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <asm/syscall.h>
#include <linux/highmem.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
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
#ifdef CONFIG_IA32_EMULATION
#include <asm/unistd_32_ia32.h>
#endif

#include "modrescue.h"
#include "users.h"

/* Tasks in delete_module() whose argument is read after the walk. */
#define MR_MAX_UNLOADERS 16
/* How often a busy mmap_lock is tried before the name counts as unread. */
#define MR_MMAP_TRIES 20
/* Threads that may appear between counting them and pinning them. */
#define MR_THREADS_SLACK 64

/* The module syscalls, in the ABI the task entered the kernel with. */
enum mr_mod_syscall { MR_SYS_OTHER, MR_SYS_INIT, MR_SYS_FINIT, MR_SYS_DELETE };

/*
 * Copy t's kernel stack, from sp up to its top, into buf: the number of
 * words copied, or 0 when it cannot be read (a task that exits meanwhile
 * frees it: hence the nofault copy).
 */
static size_t mr_copy_stack(struct task_struct *t, unsigned long sp,
			    unsigned long *buf)
{
	unsigned long lo = (unsigned long)task_stack_page(t);
	size_t n = (lo + THREAD_SIZE - sp) / sizeof(long);

	if (copy_from_kernel_nofault(buf, (const void *)sp, n * sizeof(long)))
		return 0;
	return n;
}

static bool mr_words_point_into(const unsigned long *buf, size_t n,
				const struct module *mod, bool text)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (text ? mr_in_module_text(buf[i], mod) :
			   within_module(buf[i], (struct module *)mod))
			return true;
	return false;
}

/* t's saved stack pointer, or its stack's bottom when it has none to trust. */
static unsigned long mr_saved_sp(struct task_struct *t, unsigned long lo)
{
#ifdef CONFIG_X86
	unsigned long saved = READ_ONCE(t->thread.sp);

	if (saved >= lo && saved - lo < THREAD_SIZE)
		return saved;
#endif
	return lo;
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

	if (!lo)
		return false;
	if (!READ_ONCE(t->on_cpu))
		sp = mr_saved_sp(t, lo);
	return mr_words_point_into(buf, mr_copy_stack(t, sp, buf), mod, true);
}

/*
 * Is t, inside init_module() or finit_module(), loading this module? Its
 * loader keeps a pointer to the module (its struct module lives in the
 * module's memory) from allocation to the end of do_init_module(), and a
 * sleeping task's live values are all on its stack (the callee-saved
 * registers are pushed before the switch saves sp). A loader of another
 * module (another modrescue loading the helper, say) has none. It counts
 * unless that is proven: asleep (on no CPU) before and after the copy,
 * with the same saved sp and no switch between, its stack read, and no
 * word in it pointing into the module. A task that has exited (no stack)
 * loads nothing.
 */
static bool mr_task_loads(struct task_struct *t, const struct module *mod,
			  unsigned long *buf)
{
	unsigned long lo = (unsigned long)task_stack_page(t), sp, switches;
	size_t n;

	if (!lo || t->exit_state)
		return false;
	/* Pairs with finish_task()'s release: its switch-out is complete. */
	if (smp_load_acquire(&t->on_cpu))
		return true;
	switches = READ_ONCE(t->nvcsw) + READ_ONCE(t->nivcsw);
	sp = mr_saved_sp(t, lo);
	if (sp == lo)
		return true;
	n = mr_copy_stack(t, sp, buf);
	/* The copy is read before on_cpu, sp and the switch count again. */
	smp_rmb();
	if (!n || READ_ONCE(t->on_cpu) || mr_saved_sp(t, lo) != sp ||
	    READ_ONCE(t->nvcsw) + READ_ONCE(t->nivcsw) != switches)
		return true;
	return mr_words_point_into(buf, n, mod, false);
}

/*
 * Which module syscall a syscall number is, in the task's own ABI: an ia32
 * task (TS_COMPAT, as syscall_get_arguments() reads it) numbers them as
 * i386 does; an x32 one as x86-64 does, with __X32_SYSCALL_BIT set.
 */
static enum mr_mod_syscall mr_syscall_kind(struct task_struct *t, long nr)
{
#ifdef CONFIG_IA32_EMULATION
	if (task_thread_info(t)->status & TS_COMPAT) {
		switch (nr) {
		case __NR_ia32_init_module:
			return MR_SYS_INIT;
		case __NR_ia32_finit_module:
			return MR_SYS_FINIT;
		case __NR_ia32_delete_module:
			return MR_SYS_DELETE;
		}
		return MR_SYS_OTHER;
	}
#endif
#ifdef __X32_SYSCALL_BIT
	nr &= ~(long)__X32_SYSCALL_BIT;
#endif
	switch (nr) {
	case __NR_init_module:
		return MR_SYS_INIT;
	case __NR_finit_module:
		return MR_SYS_FINIT;
	case __NR_delete_module:
		return MR_SYS_DELETE;
	}
	return MR_SYS_OTHER;
}

/* The module syscall t is in, and its first argument. */
static enum mr_mod_syscall mr_task_syscall(struct task_struct *t,
					   unsigned long *arg)
{
	struct pt_regs regs;
	unsigned long args[6];

	if (t->flags & PF_KTHREAD)
		return MR_SYS_OTHER;
	if (copy_from_kernel_nofault(&regs, task_pt_regs(t), sizeof(regs)))
		return MR_SYS_OTHER;
	syscall_get_arguments(t, &regs, args);
	*arg = args[0];
#ifdef CONFIG_IA32_EMULATION
	/* The ia32 syscall reads a 32-bit pointer, whatever the rest holds. */
	if (task_thread_info(t)->status & TS_COMPAT)
		*arg = (u32)args[0];
#endif
	return mr_syscall_kind(t, syscall_get_nr(t, &regs));
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
	unsigned long arg = 0;
	enum mr_mod_syscall nr = mr_task_syscall(t, &arg);

	if (mr_module_loading(mod) && (nr == MR_SYS_INIT || nr == MR_SYS_FINIT)) {
		if (!mr_task_loads(t, mod, s->stack))
			return;
		mr_add_user(s->users, MODRESCUE_USER_SYSCALL, t, true, -1,
			    nr == MR_SYS_INIT ? "init_module" : "finit_module");
		return;
	}
	if (mod->state != MODULE_STATE_GOING || nr != MR_SYS_DELETE)
		return;
	if (s->n_unloaders == MR_MAX_UNLOADERS) {
		s->too_many = true;
		return;
	}
	get_task_struct(t);
	s->unloaders[s->n_unloaders] = t;
	s->names[s->n_unloaders++] = arg;
}

/* Copy len bytes at addr of mm, page by page; its mmap_lock is held. */
static int mr_copy_remote(struct mm_struct *mm, unsigned long addr, char *buf,
			  size_t len)
{
	while (len) {
		size_t off = offset_in_page(addr);
		size_t n = min_t(size_t, len, PAGE_SIZE - off);
		struct page *page;
		void *kaddr;
		long got;
		struct vm_area_struct *vma = vma_lookup(mm, addr);

		/*
		 * Not from hugetlb memory: on 6.1, GUP there may fault (and
		 * wait) despite FOLL_NOFAULT. No name is ever kept there.
		 */
		if (!vma || (vma->vm_flags & VM_HUGETLB))
			return -EFAULT;
		/*
		 * FOLL_NOFAULT: a page not present is not read in (from swap,
		 * or a FUSE or NFS file) under module_mutex; it fails, and the
		 * task counts as a user. FOLL_FORCE, as access_remote_vm()
		 * reads: a NUMA-hinting PROT_NONE entry is no failure (6.1).
		 */
#ifdef FOLL_WRITE
		/* FOLL_* still macros (6.1): GUP still takes a vmas array. */
		got = get_user_pages_remote(mm, addr, 1,
					    FOLL_NOFAULT | FOLL_FORCE, &page,
					    NULL, NULL);
#else
		got = get_user_pages_remote(mm, addr, 1,
					    FOLL_NOFAULT | FOLL_FORCE, &page,
					    NULL);
#endif
		if (got != 1)
			return -EFAULT;
		kaddr = kmap_local_page(page);
		memcpy(buf, kaddr + off, n);
		kunmap_local(kaddr);
		put_page(page);
		buf += n;
		addr += n;
		len -= n;
	}
	return 0;
}

/*
 * The module name t passed to delete_module(), from its memory. Its
 * mmap_lock is only tried, as in userfiles.c: a writer stuck behind
 * module_mutex (which we hold) must not stall us. -EBUSY when it stays
 * busy, -EINTR when we are killed, another error when it cannot be read.
 */
static int mr_read_unload_name(struct task_struct *t, unsigned long addr,
			       char *name, size_t len)
{
	struct mm_struct *mm = get_task_mm(t);
	size_t first;
	int tries, ret;

	if (!mm)
		return -ESRCH;
	for (tries = 0; !mmap_read_trylock(mm); tries++) {
		if (fatal_signal_pending(current) || tries == MR_MMAP_TRIES) {
			mmput(mm);
			return fatal_signal_pending(current) ? -EINTR : -EBUSY;
		}
		schedule_timeout_killable(msecs_to_jiffies(5));
	}
	/* Up to its page's end first: the name may end before the next. */
	first = min_t(size_t, len, PAGE_SIZE - offset_in_page(addr));
	ret = mr_copy_remote(mm, addr, name, first);
	if (!ret && first < len && !memchr(name, '\0', first))
		ret = mr_copy_remote(mm, addr + first, name + first,
				     len - first);
	mmap_read_unlock(mm);
	mmput(mm);
	return ret;
}

/*
 * The tasks in delete_module(): which module did each ask for? Its name is
 * in its own memory; one that cannot be read (its mmap_lock busy, or the
 * page gone) is taken to be ours, so the task counts as a user.
 */
static int mr_check_unloaders(struct mr_task_scan *s)
{
	const struct module *mod = s->users->mod;
	char name[MODULE_NAME_LEN];
	unsigned int i;
	int ret = 0;

	for (i = 0; i < s->n_unloaders; i++) {
		struct task_struct *t = s->unloaders[i];
		int err = -EINTR;

		memset(name, 0, sizeof(name));
		if (!ret)
			err = mr_read_unload_name(t, s->names[i], name,
						  sizeof(name) - 1);
		if (err == -EINTR)
			ret = -EINTR;
		else if (err || !strcmp(name, mod->name))
			mr_add_user(s->users, MODRESCUE_USER_SYSCALL, t, true,
				    -1,
				    err == -EBUSY ? "delete_module (busy)" :
				    err ? "delete_module (unread)" :
					  "delete_module");
		put_task_struct(t);
	}
	if (s->too_many)
		mr_add_user(s->users, MODRESCUE_USER_SYSCALL, NULL, true, -1,
			    "too many delete_module");
	return ret;
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

/* A thread pinned for the walk, and its process. */
struct mr_pinned {
	struct task_struct *p, *t;
};

/*
 * Pin every thread (and its process) under RCU. -EAGAIN when more appeared
 * than there is room for (the caller's caller tries again).
 */
static int mr_pin_threads(struct mr_pinned **out, unsigned int *n_out)
{
	struct task_struct *p, *t;
	struct mr_pinned *v;
	unsigned int n = 0, cap = 0;
	int ret = 0;

	rcu_read_lock();
	for_each_process_thread(p, t)
		cap++;
	rcu_read_unlock();
	cap += MR_THREADS_SLACK;
	v = kvmalloc_array(cap, sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	rcu_read_lock();
	for_each_process_thread(p, t) {
		if (n == cap) {
			ret = -EAGAIN;
			break;
		}
		get_task_struct(p);
		get_task_struct(t);
		v[n].p = p;
		v[n++].t = t;
	}
	rcu_read_unlock();
	*out = v;
	*n_out = n;
	return ret;
}

int mr_find_task_users(struct mr_users *u)
{
	struct mr_pinned *threads = NULL;
	struct mr_task_scan *s;
	unsigned int n = 0, i;
	int ret;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->users = u;
	s->stack = kvmalloc(THREAD_SIZE, GFP_KERNEL);
	if (!s->stack) {
		kfree(s);
		return -ENOMEM;
	}
	ret = mr_pin_threads(&threads, &n);
	/*
	 * Outside RCU, one at a time: a thread that exits meanwhile is still
	 * a valid task_struct, and its stack is read with a nofault copy.
	 */
	for (i = 0; i < n; i++) {
		if (!ret && fatal_signal_pending(current))
			ret = -EINTR;
		if (!ret)
			mr_check_task(s, threads[i].p, threads[i].t);
		put_task_struct(threads[i].t);
		put_task_struct(threads[i].p);
		cond_resched();
	}
	kvfree(threads);
	if (ret) {
		for (i = 0; i < s->n_unloaders; i++)
			put_task_struct(s->unloaders[i]);
	} else {
		ret = mr_check_unloaders(s);
	}
	kvfree(s->stack);
	kfree(s);
	return ret;
}
