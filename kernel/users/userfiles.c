// SPDX-License-Identifier: GPL-2.0
/*
 * Open files and mappings that belong to a module: files whose f_op is its
 * own; block devices of a disk it drives (their f_op is the generic one);
 * char devices whose cdev it owns (ttys: their f_op is tty_fops); sockets
 * of its address family or protocol; mappings of such files, and mappings
 * whose vm_ops are its own (the fd may be closed long ago).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blkdev.h>
#include <linux/cdev.h>
#include <linux/fdtable.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/net.h>
#include <linux/rcupdate.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <net/sock.h>
#include <uapi/linux/magic.h>

#include "modrescue.h"
#include "users.h"

/* How often a busy mmap_lock is tried before the mapping counts as unseen. */
#define MR_MMAP_TRIES 20

/* The block device behind an open block special file, or NULL. */
static struct block_device *mr_file_bdev(const struct file *file)
{
	struct inode *host;

	if (!S_ISBLK(file_inode(file)->i_mode) || !file->f_mapping)
		return NULL;
	/* An open bdev file maps the bdev inode; an O_PATH one does not. */
	host = file->f_mapping->host;
	if (!host || host->i_sb->s_magic != BDEVFS_MAGIC)
		return NULL;
	return I_BDEV(host);
}

static bool mr_socket_owned(struct file *file, const struct module *mod)
{
	struct socket *sock = sock_from_file(file);
	struct sock *sk;

	if (!sock)
		return false;
	if (sock->ops && sock->ops->owner == mod)
		return true;
	sk = sock->sk;
	return sk && sk->sk_prot_creator && sk->sk_prot_creator->owner == mod;
}

/* The kind of user FILE makes of MOD, or 0. */
u32 mr_file_user_kind(struct file *file, const struct module *mod)
{
	const struct file_operations *fop = file->f_op;
	struct inode *inode = file_inode(file);

	if (fop && (fop->owner == mod || mr_in_module(fop, mod)))
		return MODRESCUE_USER_FILE;
	if (mr_bdev_owned(mr_file_bdev(file), mod))
		return MODRESCUE_USER_BLOCKDEV;
	/* An open char device holds its cdev, and so the cdev's owner. */
	if (S_ISCHR(inode->i_mode) && inode->i_cdev &&
	    inode->i_cdev->owner == mod)
		return MODRESCUE_USER_CHARDEV;
	if (mr_socket_owned(file, mod))
		return MODRESCUE_USER_SOCKET;
	return 0;
}

struct mr_file_scan {
	struct mr_users *users;
	struct task_struct *task;
};

/* iterate_fd() callback; runs under files->file_lock, so it must not sleep. */
static int mr_check_fd(const void *arg, struct file *file, unsigned int fd)
{
	const struct mr_file_scan *scan = arg;
	u32 kind = mr_file_user_kind(file, scan->users->mod);
	char name[32];

	if (!kind)
		return 0;
	strscpy(name, file->f_path.dentry->d_name.name, sizeof(name));
	mr_add_user(scan->users, kind, scan->task, false, fd, name);
	return 0;
}

/* Open files of every task: threads sharing a table are looked at once. */
void mr_find_fd_users(struct mr_users *u, struct task_struct *p,
		      struct task_struct *t)
{
	struct mr_file_scan scan = { .users = u, .task = t };

	if (t != p && READ_ONCE(t->files) == READ_ONCE(p->files))
		return;
	task_lock(t);
	if (t->files)
		iterate_fd(t->files, 0, mr_check_fd, &scan);
	task_unlock(t);
}

static void mr_check_vma(struct mr_users *u, struct task_struct *t,
			 struct vm_area_struct *vma)
{
	char name[32] = "";
	u32 kind = 0;

	if (mr_in_module(vma->vm_ops, u->mod))
		kind = MODRESCUE_USER_MAPPING;
	else if (vma->vm_file && mr_file_user_kind(vma->vm_file, u->mod))
		kind = MODRESCUE_USER_MAPPING;
	if (!kind)
		return;
	if (vma->vm_file) {
		/* A rename frees the old name after a grace period. */
		rcu_read_lock();
		strscpy(name, vma->vm_file->f_path.dentry->d_name.name,
			sizeof(name));
		rcu_read_unlock();
	}
	mr_add_user(u, kind, t, false, -1, name);
}

/*
 * One process's mappings. Its mmap_lock is only tried: a writer stuck
 * behind module_mutex (which we hold) must not stall us. Unseen mappings
 * count as a user, since they cannot be cleared.
 */
/*
 * The mm of process p, referenced: its leader's, or once the leader has
 * exited (pthread_exit() in main leaves it a zombie with no mm while the
 * other threads run on) that of any thread still running. NULL for none.
 */
static struct mm_struct *mr_process_mm(struct task_struct *p)
{
	struct mm_struct *mm = get_task_mm(p);
	struct task_struct *t;

	if (mm)
		return mm;
	rcu_read_lock();
	for_each_thread(p, t) {
		mm = get_task_mm(t);
		if (mm)
			break;
	}
	rcu_read_unlock();
	return mm;
}

static int mr_scan_mm(struct mr_users *u, struct task_struct *t)
{
	struct mm_struct *mm = mr_process_mm(t);
	struct vm_area_struct *vma;
	int tries;

	if (!mm)
		return 0;
	for (tries = 0; !mmap_read_trylock(mm); tries++) {
		if (tries == MR_MMAP_TRIES || fatal_signal_pending(current)) {
			mmput(mm);
			if (fatal_signal_pending(current))
				return -EINTR;
			mr_add_user(u, MODRESCUE_USER_MAPPING, t, false, -1,
				    "(mappings busy, not seen)");
			return 0;
		}
		schedule_timeout_killable(msecs_to_jiffies(5));
	}
	{
		VMA_ITERATOR(vmi, mm, 0);

		for_each_vma(vmi, vma)
			mr_check_vma(u, t, vma);
	}
	mmap_read_unlock(mm);
	mmput(mm);
	return 0;
}

/*
 * Mappings of every process. mmap_lock sleeps, so the processes are first
 * gathered (referenced) under RCU, then looked at one by one. A user is
 * reported by its process (tgid), whichever thread's mm was walked.
 */
int mr_find_mappings(struct mr_users *u)
{
	struct task_struct **tasks, *p;
	unsigned int n = 0, cap = 0, i;
	int ret = 0;

	rcu_read_lock();
	for_each_process(p)
		cap++;
	rcu_read_unlock();
	cap += 64;
	tasks = kvmalloc_array(cap, sizeof(*tasks), GFP_KERNEL);
	if (!tasks)
		return -ENOMEM;
	rcu_read_lock();
	for_each_process(p) {
		if (p->flags & PF_KTHREAD)
			continue;
		if (n == cap) {
			ret = -EAGAIN; /* forked meanwhile: try again */
			break;
		}
		get_task_struct(p);
		tasks[n++] = p;
	}
	rcu_read_unlock();
	for (i = 0; i < n; i++) {
		if (!ret)
			ret = mr_scan_mm(u, tasks[i]);
		put_task_struct(tasks[i]);
		cond_resched();
	}
	kvfree(tasks);
	return ret;
}
