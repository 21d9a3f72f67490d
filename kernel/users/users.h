/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The search for a module's users (users.c runs it; userfiles.c,
 * usertasks.c and userlist.c are its parts): the concern's interface.
 */
#ifndef _MODRESCUE_USERS_H
#define _MODRESCUE_USERS_H

#include <linux/module.h>
#include <linux/sched.h>
#include <uapi/modrescue.h>

/* users.c: every user of a module the kernel can show. */
struct mr_users {
	struct module *mod;		/* in */
	struct modrescue_user *buf;	/* in: room for cap entries */
	u32 cap;			/* in */
	u32 found;			/* out: all users, even past cap */
	struct pid_namespace *ns;	/* the caller's, for the PIDs given */
};
/*
 * Fill u (mod, buf, cap set by the caller) with every user found; the
 * caller holds module_mutex. Returns 0, -ENOMEM, -EAGAIN (tasks came and
 * went too fast: try again) or -EINTR (killed).
 */
int mr_find_users(struct mr_users *u);
/* userlist.c: the list every part of the search adds to. */
bool mr_in_module(const void *p, const struct module *mod);
struct block_device;
/* Does the disk behind bdev (may be NULL) belong to mod? */
bool mr_bdev_owned(const struct block_device *bdev, const struct module *mod);
/* Record a user; T (may be NULL) gives pid and comm, its thread id if THREAD. */
void mr_add_user(struct mr_users *u, u32 kind, struct task_struct *t,
		 bool thread, int fd, const char *name);
/* userfiles.c */
u32 mr_file_user_kind(struct file *file, const struct module *mod);
void mr_find_fd_users(struct mr_users *u, struct task_struct *p,
		      struct task_struct *t);
int mr_find_mappings(struct mr_users *u);
/* usertasks.c */
int mr_find_task_users(struct mr_users *u);

#endif /* _MODRESCUE_USERS_H */
