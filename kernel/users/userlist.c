// SPDX-License-Identifier: GPL-2.0
/*
 * The list of a module's users, as every part of the search for them adds
 * to it (users.c, userfiles.c, usertasks.c), and the facts they share: is
 * an address in the module, does it drive a block device's disk.
 */
#include <linux/blkdev.h>
#include <linux/module.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/string.h>

#include "modrescue.h"
#include "users.h"

bool mr_in_module(const void *p, const struct module *mod)
{
	return p && within_module((unsigned long)p, mod);
}

void mr_add_user(struct mr_users *u, u32 kind, struct task_struct *t,
		 bool thread, int fd, const char *name)
{
	struct modrescue_user *e;

	if (u->found++ >= u->cap)
		return;
	e = &u->buf[u->found - 1];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->fd = fd;
	if (t) {
		/* In the caller's PID namespace: 0 when it cannot see t. */
		e->pid = thread ? task_pid_nr_ns(t, u->ns) :
				  task_tgid_nr_ns(t, u->ns);
		/* No get_task_comm(): callers may hold t's task_lock. */
		strscpy(e->comm, t->comm, sizeof(e->comm));
	}
	if (name)
		strscpy(e->name, name, sizeof(e->name));
}

bool mr_bdev_owned(const struct block_device *bdev,
			  const struct module *mod)
{
	return bdev && bdev->bd_disk && bdev->bd_disk->fops &&
	       bdev->bd_disk->fops->owner == mod;
}
