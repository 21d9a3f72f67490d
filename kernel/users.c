// SPDX-License-Identifier: GPL-2.0
/*
 * Finding a module's live users: the things that would run into freed code
 * or data if the module went away under them. Open files whose f_op is the
 * module's, kthreads whose thread function is in it, and net devices whose
 * ops it provides. Mounts of its filesystems are found in userspace, from
 * its "fs-" aliases and /proc/self/mountinfo.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fdtable.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/string.h>
#include <net/net_namespace.h>

#include "modrescue.h"

static bool mr_in_module(const void *p, const struct module *mod)
{
	return p && within_module((unsigned long)p, mod);
}

static void mr_add_user(struct mr_users *u, u32 kind, pid_t pid, int fd,
			const char *comm, const char *name)
{
	struct modrescue_user *e;

	if (kind == MODRESCUE_USER_KTHREAD)
		u->kthreads++;
	if (u->found++ >= u->cap)
		return;
	e = &u->buf[u->found - 1];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->pid = pid;
	e->fd = fd;
	if (comm)
		strscpy(e->comm, comm, sizeof(e->comm));
	if (name)
		strscpy(e->name, name, sizeof(e->name));
}

struct mr_file_scan {
	struct mr_users *users;
	struct task_struct *task;
};

/* iterate_fd() callback; runs under files->file_lock, so it must not sleep. */
static int mr_check_file(const void *arg, struct file *file, unsigned int fd)
{
	const struct mr_file_scan *scan = arg;
	const struct file_operations *fop = file->f_op;
	const struct module *mod = scan->users->mod;

	if (fop && (fop->owner == mod || mr_in_module(fop, mod)))
		mr_add_user(scan->users, MODRESCUE_USER_FILE,
			    task_tgid_nr(scan->task), fd, scan->task->comm, NULL);
	return 0;
}

/* Open files and kthreads: one walk over every thread. */
static void mr_find_task_users(struct mr_users *u)
{
	struct task_struct *p, *t;
	struct mr_file_scan scan = { .users = u };

	rcu_read_lock();
	for_each_process_thread(p, t) {
		if ((t->flags & PF_KTHREAD) && mr_in_module(kthread_func(t), u->mod))
			mr_add_user(u, MODRESCUE_USER_KTHREAD, task_pid_nr(t),
				    -1, t->comm, NULL);
		/* Threads usually share the leader's table: look at it once. */
		if (t != p && READ_ONCE(t->files) == READ_ONCE(p->files))
			continue;
		scan.task = t;
		task_lock(t);
		if (t->files)
			iterate_fd(t->files, 0, mr_check_file, &scan);
		task_unlock(t);
	}
	rcu_read_unlock();
}

static void mr_find_netdev_users(struct mr_users *u)
{
	struct net_device *dev;

	rcu_read_lock();
	for_each_netdev_rcu(&init_net, dev) {
		if (mr_in_module(dev->netdev_ops, u->mod) ||
		    mr_in_module(dev->ethtool_ops, u->mod) ||
		    mr_in_module(dev->rtnl_link_ops, u->mod))
			mr_add_user(u, MODRESCUE_USER_NETDEV, 0, -1, NULL,
				    dev->name);
	}
	rcu_read_unlock();
}

/* Fill u (mod, buf, cap set by the caller) with every user found. */
void mr_find_users(struct mr_users *u)
{
	u->found = 0;
	u->kthreads = 0;
	mr_find_task_users(u);
	mr_find_netdev_users(u);
}
