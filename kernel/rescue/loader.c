// SPDX-License-Identifier: GPL-2.0
/*
 * Mending the kernel's idempotent-load table after a loader died in a
 * module's init (see loaderscan.h for the hazard and the walk).
 *
 * An entry is live when it lies on the stack of a task that is inside the
 * finit_module() syscall and not exiting, and links back to where the walk
 * came from. Every linked entry of such a task stays valid while idem_lock
 * is held: the kernel unlinks it under that lock before finit_module()
 * returns. Memory is read only in the table and on live tasks' stacks, and
 * then with copy_from_kernel_nofault(), since a stale entry's stack may be
 * freed meanwhile; it is written only at a bucket head or at an entry
 * proven live (kept, or the entry of the loader to forget, which is
 * unhashed as hlist_del_init() does). A stale entry is never written.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <asm/syscall.h>
#include <asm/unistd.h>
#include <linux/audit.h>
#include <linux/panic.h>
#include <linux/ptrace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/unistd.h>

#include "loaderscan.h"
#include "modrescue.h"
#include "rescue.h"

/*
 * Entries live on task stacks, heads in the table: nothing else is read. A
 * stale entry's next pointer is whatever its reused stack holds now, and
 * could point at a device's registers; a freed stack belongs to no task.
 */
static bool mr_loader_readable(unsigned long addr)
{
	unsigned long table = (unsigned long)mr_idem_hash;
	size_t len = mr_idem_buckets * sizeof(*mr_idem_hash);
	bool on_stack;

	/* Differences, not sums: a garbage addr near ~0UL must not wrap. */
	if (addr >= table && addr - table <= len - sizeof(long))
		return true;
	rcu_read_lock();
	on_stack = mr_stack_task_rcu(addr, sizeof(long));
	rcu_read_unlock();
	return on_stack;
}

static int mr_loader_read(void *ctx, unsigned long addr, unsigned long *val)
{
	if (!mr_loader_readable(addr))
		return -EFAULT;
	return copy_from_kernel_nofault(val, (const void *)addr, sizeof(*val));
}

static void mr_loader_write(void *ctx, unsigned long addr, unsigned long val)
{
	WRITE_ONCE(*(unsigned long *)addr, val);
}

/*
 * Is task t (not a kthread, not exiting) inside finit_module(), native,
 * x32 or ia32? An ia32 syscall leaves TS_COMPAT in the task's status until
 * it returns to user mode, which syscall_get_arch() reads; an x32 one
 * keeps __X32_SYSCALL_BIT in orig_ax, as in_x32_syscall() reads it.
 */
static bool mr_task_in_finit_module(struct task_struct *t)
{
	struct pt_regs regs;

	BUILD_BUG_ON(__NR_finit_module != MR_LS_NR_FINIT_MODULE);
#ifdef CONFIG_X86_64
	BUILD_BUG_ON(__NR_ia32_finit_module != MR_LS_NR_IA32_FINIT_MODULE);
	BUILD_BUG_ON(MR_LS_X32_SYSCALL_BIT != __X32_SYSCALL_BIT);
#endif
	if (t->flags & (PF_KTHREAD | PF_EXITING))
		return false;
	/* Its stack may be going away under us: copy the registers safely. */
	if (copy_from_kernel_nofault(&regs, task_pt_regs(t), sizeof(regs)))
		return false;
	return mr_ls_is_finit_module(syscall_get_nr(t, &regs),
				     syscall_get_arch(t) == AUDIT_ARCH_I386);
}

/*
 * What one repair is asked to do: with forget set, that task's own entries
 * (a loader stuck for good in a quarantined module's init) are cut as if
 * stale, and counted.
 */
struct mr_loader_ctx {
	struct task_struct *forget;
	unsigned int forgotten;
};

/*
 * A live loader's entry is kept, unless it is the loader to forget: that
 * one is cut, and (loaderscan.c) unhashed, since its memory is still its
 * live owner's.
 */
static enum mr_ls_owner mr_loader_owner(void *ctx, unsigned long node)
{
	struct mr_loader_ctx *c = ctx;
	enum mr_ls_owner owner = MR_LS_DEAD;
	struct task_struct *t;

	rcu_read_lock();
	t = mr_stack_task_rcu(node, 2 * sizeof(unsigned long));
	if (t && mr_task_in_finit_module(t))
		owner = t == c->forget ? MR_LS_FORGET : MR_LS_LIVE;
	rcu_read_unlock();
	return owner;
}

static const struct mr_ls_ops mr_loader_ops = {
	.read = mr_loader_read,
	.write = mr_loader_write,
	.owner = mr_loader_owner,
};

/* Repair every bucket under idem_lock; totals in out. */
static int mr_loader_repair(struct mr_loader_ctx *ctx, bool dry_run,
			    struct modrescue_repair_loader *out)
{
	struct mr_ls_scratch *scratch;
	struct mr_ls_result res;
	unsigned int i, cut_buckets = 0;

	scratch = kmalloc(sizeof(*scratch), GFP_KERNEL);
	if (!scratch)
		return -ENOMEM;
	out->kept = 0;
	out->dropped = 0;
	out->truncated = 0;
	spin_lock(mr_idem_lock);
	for (i = 0; i < mr_idem_buckets; i++) {
		if (!READ_ONCE(mr_idem_hash[i].first))
			continue;
		mr_ls_repair_bucket((unsigned long)&mr_idem_hash[i],
				    &mr_loader_ops, ctx, dry_run, scratch,
				    &res);
		out->kept += res.kept;
		out->dropped += res.dropped;
		out->truncated += res.truncated;
		ctx->forgotten += res.forgotten;
		cut_buckets += res.dropped && !dry_run;
	}
	spin_unlock(mr_idem_lock);
	kfree(scratch);

	if (out->truncated)
		pr_warn("idempotent-load table: %u bucket(s) too long to judge, left as found\n",
			out->truncated);
	if (cut_buckets) {
		pr_warn("idempotent-load table: cut %u entr%s in %u bucket(s) (%u of a stuck loader, the rest stale); %u live kept\n",
			out->dropped, out->dropped == 1 ? "y" : "ies",
			cut_buckets, ctx->forgotten, out->kept);
		add_taint(TAINT_FORCED_RMMOD, LOCKDEP_STILL_OK);
	}
	return 0;
}

long mr_ioctl_repair_loader(struct modrescue_repair_loader *arg)
{
	struct mr_loader_ctx ctx = { };

	if ((arg->flags & ~MODRESCUE_REPAIR_DRY_RUN) || arg->reserved)
		return -EINVAL;
	if (!mr_idem_hash)
		return -EOPNOTSUPP;
	return mr_loader_repair(&ctx, arg->flags & MODRESCUE_REPAIR_DRY_RUN,
				arg);
}

bool mr_loader_forget(struct task_struct *t)
{
	struct mr_loader_ctx ctx = { .forget = t };
	struct modrescue_repair_loader out;

	if (!mr_idem_hash || mr_loader_repair(&ctx, false, &out))
		return false;
	return ctx.forgotten > 0;
}
