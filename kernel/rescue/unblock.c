// SPDX-License-Identifier: GPL-2.0
/*
 * MODRESCUE_IOC_UNBLOCK: release a task stuck in a module's init or exit by
 * completing the completion it waits on, so that the task finishes on its
 * own, normally: the exit runs to its end and the kernel frees the module
 * its own way, or the init returns.
 *
 * The completion is found from the task itself (stackscan.c) and checked
 * before anything is written:
 * - the task is asleep, uninterruptibly, and its swait entry is linked into
 *   the completion's wait list, first in line;
 * - the wait sits in a completion wait function called by the module's own
 *   code; never in kthread_stop(), whose completion lives in the stopped
 *   thread's struct kthread, freed if that thread already exited;
 * - the completion lives in the module's data, in a slab object, or in a
 *   live frame of a task's stack; its count is 0 and its lock is free.
 * A completion on a stack is refused (MODRESCUE_UNBLOCK_ON_STACK, -EINVAL)
 * unless the caller forces it (MODRESCUE_UNBLOCK_FORCE_STACK): its real
 * completer may still call complete() on it after that frame has returned,
 * writing into whatever then uses that stack. A dry run reports the kind
 * either way.
 *
 * No kernel address goes back to the caller unless the kernel's own %pK
 * policy (kptr_restrict, for the caller's credentials) shows it: the
 * completion's address is 0 otherwise, and a place without a symbol is
 * given as no text rather than as sprint_symbol()'s raw "0x..." address.
 * The stack and every pointer found on it are read with
 * copy_from_kernel_nofault() only, and only where no device memory can be:
 * the direct map, the module area, and tasks' stacks.
 *
 * The final check and the wakeup happen under the task's pi_lock and the
 * completion's own lock (see mr_release()), so that a concurrent complete()
 * or exit cannot make us write memory that is no longer the completion.
 * Only exported functions are called.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/kallsyms.h>
#include <linux/kstrtox.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/panic.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/swait.h>
#include <linux/uaccess.h>

#include "modrescue.h"
#include "rescue.h"
#include "stackscan.h"

/* Completion wait functions, besides those named wait_for_completion*. */
static const char *const mr_wait_fns[] = {
	"wait_for_common", "wait_for_common_io", "__wait_for_common",
	"do_wait_for_common",
};

struct task_struct *mr_get_user_task(pid_t nr)
{
	struct task_struct *task;
	struct pid *pid;

	if (nr <= 0)
		return NULL;
	pid = find_get_pid(nr);
	if (!pid)
		return NULL;
	task = get_pid_task(pid, PIDTYPE_PID);
	put_pid(pid);
	if (task && (task == current || (task->flags & PF_KTHREAD))) {
		put_task_struct(task);
		return NULL;
	}
	return task;
}

struct task_struct *mr_stack_task_rcu(unsigned long addr, size_t len)
{
	struct task_struct *p, *t;
	unsigned long lo;

	for_each_process_thread(p, t) {
		lo = (unsigned long)task_stack_page(t);
		/* Differences, not sums: a garbage addr must not wrap. */
		if (lo && addr >= lo && len <= THREAD_SIZE &&
		    addr - lo <= THREAD_SIZE - len)
			return t;
	}
	return NULL;
}

/*
 * The live task whose stack holds [addr, addr + len), if any: its pid in
 * *owner (in the caller's PID namespace, 0 outside it) and its saved stack
 * pointer in *sp (0 while it is on a CPU).
 */
static bool mr_stack_owner(unsigned long addr, size_t len, pid_t *owner,
			   unsigned long *sp)
{
	struct task_struct *t;

	rcu_read_lock();
	t = mr_stack_task_rcu(addr, len);
	if (t && owner)
		*owner = task_pid_vnr(t);
	if (t && sp)
		*sp = READ_ONCE(t->on_cpu) ? 0 : READ_ONCE(t->thread.sp);
	rcu_read_unlock();
	return t;
}

/*
 * May the scan read [addr, addr + len)? Only memory that cannot be a
 * device's: the direct map and kernel image (virt_addr_valid), the module
 * area, and tasks' stacks. A stray pointer into ioremap space is refused
 * rather than read.
 */
static bool mr_readable(const struct mr_task_scan *s, unsigned long addr,
			size_t len)
{
	unsigned long end = addr + len - 1;

	if (!len || end < addr)
		return false;
	if (addr >= MODULES_VADDR && end < MODULES_END)
		return true;
	if (virt_addr_valid((void *)addr) && virt_addr_valid((void *)end))
		return true;
	if (addr >= s->stack && end < s->stack + THREAD_SIZE)
		return true;
	return mr_stack_owner(addr, len, NULL, NULL);
}

static int mr_scan_read(void *ctx, unsigned long addr, void *buf, size_t len)
{
	const struct mr_task_scan *s = ctx;

	if (!mr_readable(s, addr, len))
		return -EFAULT;
	return copy_from_kernel_nofault(buf, (const void *)addr, len) ?
		       -EFAULT : 0;
}

/* Is node on the stack of the live task at address task? */
static bool mr_scan_is_waiter(void *ctx, unsigned long node,
			      unsigned long task)
{
	bool owned;

	/* Only the address is compared: nothing is read through it. */
	rcu_read_lock();
	owned = (unsigned long)mr_stack_task_rcu(node, sizeof(struct list_head)) ==
		task;
	rcu_read_unlock();
	return owned && task;
}

static bool mr_name_is(const char *name, const char *fn)
{
	size_t len = strlen(fn);

	/* "fn", or "fn.constprop.0" and the like. */
	return !strncmp(name, fn, len) && (!name[len] || name[len] == '.');
}

static enum mr_ss_sym mr_scan_sym(void *ctx, unsigned long addr)
{
	const struct mr_task_scan *s = ctx;
	char buf[KSYM_SYMBOL_LEN], *name = buf;
	size_t i;

	if (addr < __START_KERNEL_map)
		return MR_SS_SYM_OTHER;
	/* Module data cannot pass for code: the scan decodes the call. */
	if (within_module(addr, s->mod))
		return MR_SS_SYM_MODULE;
	sprint_symbol(buf, addr);
	/* Another module's code, or no symbol at all ("0x..."). */
	if (strchr(buf, '[') || !strchr(buf, '+'))
		return MR_SS_SYM_OTHER;
	*strchr(buf, '+') = '\0';
	/* A call through a call-depth thunk lands in the padding before. */
	if (!strncmp(name, "__pfx_", 6))
		name += 6;
	if (!strncmp(name, "wait_for_completion", 19))
		return MR_SS_SYM_WAIT;
	for (i = 0; i < ARRAY_SIZE(mr_wait_fns); i++)
		if (mr_name_is(name, mr_wait_fns[i]))
			return MR_SS_SYM_WAIT;
	if (mr_name_is(name, "kthread_stop") ||
	    mr_name_is(name, "kthread_stop_put"))
		return MR_SS_SYM_KTHREAD_STOP;
	return MR_SS_SYM_OTHER;
}

const struct mr_ss_ops mr_scan_ops = {
	.read = mr_scan_read,
	.is_waiter = mr_scan_is_waiter,
	.sym = mr_scan_sym,
};

int mr_task_scan_init(struct mr_task_scan *s, struct module *mod,
		      struct task_struct *task)
{
	unsigned long sp;

	memset(s, 0, sizeof(*s));
	s->mod = mod;
	s->task = task;
	s->buf = kvmalloc(THREAD_SIZE, GFP_KERNEL);
	if (!s->buf)
		return -ENOMEM;
	s->stack = (unsigned long)task_stack_page(task);
	sp = READ_ONCE(task->thread.sp) & ~(sizeof(long) - 1);
	if (!s->stack || sp < s->stack || sp >= s->stack + THREAD_SIZE)
		return -ESTALE;
	if (copy_from_kernel_nofault(s->buf, (const void *)sp,
				     s->stack + THREAD_SIZE - sp))
		return -ESTALE;
	s->st.words = s->buf;
	s->st.n_words = (s->stack + THREAD_SIZE - sp) / sizeof(long);
	s->st.base = sp;
	s->st.victim = (unsigned long)task;
	s->st.kernel_min = PAGE_OFFSET;
	s->st.text_min = __START_KERNEL_map;
	return 0;
}

void mr_task_scan_free(struct mr_task_scan *s)
{
	kvfree(s->buf);
	s->buf = NULL;
}

/*
 * addr's symbol ("name+0x12/0x30 [mod]"), or "" when it has none: then
 * sprint_symbol() prints the raw address, which the caller may not see.
 */
static void mr_symbol(char *dst, unsigned long addr)
{
	char buf[KSYM_SYMBOL_LEN];

	sprint_symbol(buf, addr);
	if (!strchr(buf, '+'))
		buf[0] = '\0';
	strscpy(dst, buf, MODRESCUE_SYMBOL_LEN);
}

/*
 * addr as the caller may see it, by the kernel's own policy for %pK
 * (kptr_restrict, checked against the caller's credentials): %pK prints
 * the address itself, zeros, or (kptr_restrict 0) a hash of it. Anything
 * but the address itself comes back as 0.
 */
static u64 mr_user_kptr(unsigned long addr)
{
	char buf[2 * sizeof(long) + 3];
	unsigned long long val;

	if (!addr)
		return 0;
	snprintf(buf, sizeof(buf), "%pK", (void *)addr);
	if (kstrtoull(buf, 16, &val) || val != addr)
		return 0;
	return val;
}

/*
 * Does [x, x + size) lie in a live frame of a task's stack: above the
 * owner's saved stack pointer (the owner asleep), or, on the victim's own
 * stack, in a frame above its wait's? The owner's pid in *owner.
 */
static bool mr_on_live_frame(const struct mr_task_scan *s,
			     const struct mr_ss_result *r, pid_t *owner)
{
	unsigned long x = r->completion, sp = 0;

	if (!mr_stack_owner(x, sizeof(struct completion), owner, &sp))
		return false;
	if (*owner == task_pid_vnr(s->task))
		return x >= r->entry + sizeof(struct swait_queue);
	return sp && x >= sp;
}

/* Where the completion lives: somewhere we trust, or -EINVAL. */
static int mr_place(const struct mr_task_scan *s, const struct mr_ss_result *r,
		    struct modrescue_unblock *arg)
{
	unsigned long x = r->completion, end = x + sizeof(struct completion);
	pid_t owner = 0;
	struct folio *folio;

	if (within_module(x, s->mod) && within_module(end - 1, s->mod)) {
		arg->kind = MODRESCUE_COMP_MODULE;
		mr_symbol(arg->where, x);
		return 0;
	}
	if (virt_addr_valid((void *)x) && virt_addr_valid((void *)(end - 1))) {
		folio = virt_to_folio((void *)x);
		if (folio_test_slab(folio) &&
		    virt_to_folio((void *)(end - 1)) == folio) {
			arg->kind = MODRESCUE_COMP_SLAB;
			return 0;
		}
	}
	if (mr_on_live_frame(s, r, &owner)) {
		arg->kind = MODRESCUE_COMP_STACK;
		arg->owner_pid = owner;
		return 0;
	}
	arg->reason = MODRESCUE_UNBLOCK_BAD_PLACE;
	return -EINVAL;
}

/*
 * Check once more and complete, as complete() would, under two locks.
 *
 * The task's pi_lock first: try_to_wake_up() takes it before it looks at
 * the task, so while we hold it nobody can wake the task, and a task that
 * is still asleep with its entry linked into x cannot have left the wait
 * and let x's owner free it. The entry, on the task's frozen stack, is
 * read again to see that it still is.
 *
 * Then x's own lock, with a trylock only: wakers take x's lock before the
 * task's pi_lock, so waiting for it here could deadlock. If it is busy, a
 * complete() may be under way: back off (-EAGAIN) rather than guess.
 *
 * Holding x's lock, x cannot go away: the task can only leave the wait by
 * taking that lock. So pi_lock can be dropped (the wakeup takes it), and
 * the count and wakeup done as complete() does: count up, then
 * swake_up_locked() on the first waiter, which we checked is our task:
 * wake it and unlink its entry (spelled out here because
 * swake_up_locked() gained an argument between 6.1 and 6.12).
 */
static int mr_release(const struct mr_task_scan *s,
		      const struct mr_ss_result *r,
		      struct modrescue_unblock *arg)
{
	struct completion *x = (struct completion *)r->completion;
	struct swait_queue *w = (struct swait_queue *)r->entry;
	struct task_struct *t = s->task;
	struct swait_queue entry;
	unsigned long flags;
	pid_t owner = 0;

	raw_spin_lock_irqsave(&t->pi_lock, flags);
	if (!(READ_ONCE(t->__state) & TASK_UNINTERRUPTIBLE)) {
		arg->reason = MODRESCUE_UNBLOCK_NOT_SLEEPING;
		goto unlock_pi;
	}
	if (copy_from_kernel_nofault(&entry, w, sizeof(entry)) ||
	    entry.task != t || entry.task_list.prev != &x->wait.task_list) {
		arg->reason = MODRESCUE_UNBLOCK_RACED;
		goto unlock_pi;
	}
	if (!raw_spin_trylock(&x->wait.lock)) {
		arg->reason = MODRESCUE_UNBLOCK_LOCKED;
		goto unlock_pi;
	}
	if (x->done || x->wait.task_list.next != &w->task_list) {
		arg->reason = x->done ? MODRESCUE_UNBLOCK_DONE_SET :
					MODRESCUE_UNBLOCK_RACED;
		raw_spin_unlock(&x->wait.lock);
		goto unlock_pi;
	}
	/*
	 * A forced stack completion: its frame must still be live, the
	 * owner still asleep above it, as the moment before. This narrows,
	 * and cannot close, the window FORCE_STACK accepts.
	 */
	if (arg->kind == MODRESCUE_COMP_STACK &&
	    (!mr_on_live_frame(s, r, &owner) || owner != arg->owner_pid)) {
		arg->reason = MODRESCUE_UNBLOCK_RACED;
		raw_spin_unlock(&x->wait.lock);
		goto unlock_pi;
	}
	raw_spin_unlock(&t->pi_lock);
	x->done++;
	wake_up_process(t);
	list_del_init(&w->task_list);
	raw_spin_unlock_irqrestore(&x->wait.lock, flags);
	return 0;

unlock_pi:
	raw_spin_unlock_irqrestore(&t->pi_lock, flags);
	switch (arg->reason) {
	case MODRESCUE_UNBLOCK_NOT_SLEEPING:
		return -ESTALE;
	case MODRESCUE_UNBLOCK_DONE_SET:
		return -EINVAL;
	default:
		return -EAGAIN;
	}
}

static const char *const mr_kind_names[] = {
	[MODRESCUE_COMP_NONE] = "an unknown place",
	[MODRESCUE_COMP_MODULE] = "module data",
	[MODRESCUE_COMP_SLAB] = "a slab object",
	[MODRESCUE_COMP_STACK] = "a stack frame",
};

/* Find, check and (unless a dry run) complete, with module_mutex held. */
static long mr_unblock_locked(struct mr_task_scan *s,
			      struct modrescue_unblock *arg)
{
	struct mr_ss_layout lo = {
		.entry_task = offsetof(struct swait_queue, task),
		.entry_list = offsetof(struct swait_queue, task_list),
		.comp_done = offsetof(struct completion, done),
		.comp_lock = offsetof(struct completion, wait.lock),
		.comp_list = offsetof(struct completion, wait.task_list),
		.comp_size = sizeof(struct completion),
	};
	struct mr_ss_result r;
	long ret;

	ret = mr_ss_find(&s->st, &lo, &mr_scan_ops, s, &r);
	arg->reason = r.reason;
	arg->completion = mr_user_kptr(r.completion);
	arg->waiters = r.waiters;
	if (r.caller)
		mr_symbol(arg->caller, r.caller);
	if (ret)
		return ret;
	ret = mr_place(s, &r, arg);
	if (ret)
		return ret;
	ret = mr_ss_allowed(arg->kind, arg->flags, &r);
	if (ret) {
		arg->reason = r.reason;
		return ret;
	}
	if (arg->flags & MODRESCUE_UNBLOCK_DRY_RUN)
		return 0;
	ret = mr_release(s, &r, arg);
	if (ret)
		return ret;
	pr_warn("%s: released pid %d (%s) waiting at %s on a completion in %s%s (forced)\n",
		s->mod->name, task_pid_nr(s->task), s->task->comm, arg->caller,
		mr_kind_names[arg->kind],
		arg->kind == MODRESCUE_COMP_STACK ? ", with FORCE_STACK" : "");
	add_taint(TAINT_FORCED_RMMOD, LOCKDEP_STILL_OK);
	return 0;
}

long mr_ioctl_unblock(struct modrescue_unblock *arg)
{
	struct mr_task_scan s = { 0 };
	struct task_struct *task;
	struct module *mod;
	long ret;

	BUILD_BUG_ON(sizeof(*arg) != MODRESCUE_UNBLOCK_SIZE_V3);
	if ((arg->flags & ~(MODRESCUE_UNBLOCK_DRY_RUN |
			    MODRESCUE_UNBLOCK_FORCE_STACK)) ||
	    arg->reserved[0] || arg->reserved[1] || arg->pid <= 0)
		return -EINVAL;
	ret = mr_check_stuck_target(arg->name, arg->expect_state);
	if (ret)
		return ret;
	arg->reason = MODRESCUE_UNBLOCK_OK;
	arg->kind = MODRESCUE_COMP_NONE;

	task = mr_get_user_task(arg->pid);
	if (!task) {
		arg->reason = MODRESCUE_UNBLOCK_NOT_USER;
		return -ESRCH;
	}
	/* Killable: the tool must never become one more D-state task. */
	ret = mutex_lock_killable(mr_module_mutex);
	if (ret) {
		put_task_struct(task);
		return ret;
	}
	mod = mr_find_module(arg->name);
	if (!mod || mod->state != arg->expect_state) {
		arg->reason = MODRESCUE_UNBLOCK_MODULE_STATE;
		ret = mod ? -ESTALE : -ENOENT;
		goto unlock;
	}
	if (!(READ_ONCE(task->__state) & TASK_UNINTERRUPTIBLE)) {
		arg->reason = MODRESCUE_UNBLOCK_NOT_SLEEPING;
		ret = -ESTALE;
		goto unlock;
	}
	ret = mr_task_scan_init(&s, mod, task);
	if (ret) {
		arg->reason = MODRESCUE_UNBLOCK_NOT_SLEEPING;
		goto unlock;
	}
	ret = mr_unblock_locked(&s, arg);
	if (ret && ret != -EAGAIN)
		pr_info("%s: pid %d not released (reason %u)\n", mod->name,
			arg->pid, arg->reason);
unlock:
	mutex_unlock(mr_module_mutex);
	mr_task_scan_free(&s);
	put_task_struct(task);
	return ret;
}
