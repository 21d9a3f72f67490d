// SPDX-License-Identifier: GPL-2.0
/*
 * Finding every user of a module the kernel can show, in every namespace:
 * the things that would run into freed code or data if the module went
 * away under them. This file runs the search and finds the users that are
 * not tasks: holders (modules that use it), mounted superblocks of its
 * filesystems or on its disks, and net devices in every network namespace.
 * userfiles.c finds open files and mappings, usertasks.c tasks in its code;
 * userlist.c keeps the list they all add to.
 *
 * The kernel does not record who holds a module reference, so what is not
 * found here may still be a user (a qdisc, a netfilter rule, a crypto
 * transform): the caller must never take "none found" for "a leak".
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blkdev.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/net_namespace.h>

#include "modrescue.h"
#include "users.h"

static void mr_find_holders(struct mr_users *u)
{
	struct module_use *use;

	lockdep_assert_held(mr_module_mutex);
	list_for_each_entry(use, &u->mod->source_list, source_list)
		mr_add_user(u, MODRESCUE_USER_HOLDER, NULL, false, -1,
			    use->source->name);
}

/*
 * Superblocks of its filesystem types, or on a disk it drives, in every
 * mount namespace: lazily unmounted ones are still on the list while
 * anything holds them. Needs the optional super_blocks/sb_lock symbols.
 */
static void mr_find_supers(struct mr_users *u)
{
	struct super_block *sb;
	char name[sizeof(((struct modrescue_user *)0)->name)];

	if (!mr_super_blocks)
		return;
	spin_lock(mr_sb_lock);
	list_for_each_entry(sb, mr_super_blocks, s_list) {
		bool fs = sb->s_type && sb->s_type->owner == u->mod;

		if (!fs && !mr_bdev_owned(sb->s_bdev, u->mod))
			continue;
		snprintf(name, sizeof(name), "%s:%s",
			 sb->s_type ? sb->s_type->name : "?", sb->s_id);
		mr_add_user(u, MODRESCUE_USER_MOUNT, NULL, false, -1, name);
	}
	spin_unlock(mr_sb_lock);
}

/* Net devices using its ops, in every network namespace. */
static void mr_find_netdevs(struct mr_users *u)
{
	struct net_device *dev;
	struct net *net;

	rcu_read_lock();
	for_each_net_rcu(net) {
		for_each_netdev_rcu(net, dev) {
			if (mr_in_module(dev->netdev_ops, u->mod) ||
			    mr_in_module(dev->ethtool_ops, u->mod) ||
			    mr_in_module(dev->rtnl_link_ops, u->mod))
				mr_add_user(u, MODRESCUE_USER_NETDEV, NULL,
					    false, -1, dev->name);
		}
	}
	rcu_read_unlock();
}

/* Times the whole search is run again when tasks came and went meanwhile. */
#define MR_FIND_TRIES 3

static int mr_find_users_once(struct mr_users *u)
{
	int ret;

	u->found = 0;
	u->ns = task_active_pid_ns(current);
	mr_find_holders(u);
	mr_find_supers(u);
	mr_find_netdevs(u);
	ret = mr_find_task_users(u);
	if (!ret)
		ret = mr_find_mappings(u);
	return ret;
}

int mr_find_users(struct mr_users *u)
{
	int tries = 0, ret;

	lockdep_assert_held(mr_module_mutex);
	do
		ret = mr_find_users_once(u);
	while (ret == -EAGAIN && ++tries < MR_FIND_TRIES);
	return ret;
}
