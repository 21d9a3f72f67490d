// SPDX-License-Identifier: GPL-2.0
#include "helper.h"

#include <errno.h>
#include <fcntl.h>
#include <libkmod.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

bool mr_helper_is_loaded(void)
{
	struct kmod_ctx *ctx;
	struct kmod_module *mod = NULL;
	bool live = false;

	ctx = kmod_new(NULL, NULL);
	if (!ctx)
		return false;
	if (kmod_module_new_from_name(ctx, MODRESCUE_DEVICE_NAME, &mod) == 0) {
		live = kmod_module_get_initstate(mod) == KMOD_MODULE_LIVE;
		kmod_module_unref(mod);
	}
	kmod_unref(ctx);
	return live;
}

int mr_helper_open(void)
{
	const char *path = getenv("MODRESCUE_DEVICE");
	int fd;

	if (!path || !*path)
		path = MODRESCUE_DEVICE_PATH;
	fd = open(path, O_RDWR | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int mr_helper_open_loaded(void)
{
	return mr_helper_is_loaded() ? mr_helper_open() : -ENOENT;
}

int mr_helper_get_version(int fd, struct modrescue_version *ver)
{
	memset(ver, 0, sizeof(*ver));
	ver->size = sizeof(*ver);
	if (ioctl(fd, MODRESCUE_IOC_GET_VERSION, ver) < 0)
		return -errno;
	if (ver->abi_version < 1)
		return -EPROTO;
	return 0;
}

int mr_helper_abi_check(const struct modrescue_version *ver, char *why,
			size_t why_len)
{
	/* A helper older than the ABI field says nothing: it serves only v1. */
	unsigned int min = ver->min_abi_version ? ver->min_abi_version : 1;

	if (ver->abi_version >= MODRESCUE_ABI_VERSION &&
	    min <= MODRESCUE_ABI_VERSION)
		return 0;
	snprintf(
		why, why_len,
		"the loaded helper speaks ABI %u (it serves ABI %u to %u) and this modrescue speaks ABI %d: they cannot work together; unload that helper (rmmod modrescue) and install the one of this modrescue's version",
		ver->abi_version, min, ver->abi_version, MODRESCUE_ABI_VERSION);
	return -EPROTO;
}

/* Copy a module name into an ABI field; -EINVAL if it cannot fit. */
static int set_name(char *dst, const char *name)
{
	size_t len = strlen(name);

	if (!len || len >= MODRESCUE_NAME_LEN)
		return -EINVAL;
	memcpy(dst, name, len + 1);
	return 0;
}

int mr_helper_inspect(int fd, const char *name, struct modrescue_inspect *out,
		      struct modrescue_user *users, unsigned int cap)
{
	memset(out, 0, sizeof(*out));
	out->size = sizeof(*out);
	if (set_name(out->name, name))
		return -EINVAL;
	out->users = (__u64)(uintptr_t)users;
	out->users_cap = users ? cap : 0;
	return ioctl(fd, MODRESCUE_IOC_INSPECT, out) < 0 ? -errno : 0;
}

int mr_helper_prepare(int fd, const char *name, unsigned int edits,
		      unsigned int expect_state, unsigned int flags,
		      struct modrescue_prepare *out)
{
	memset(out, 0, sizeof(*out));
	out->size = sizeof(*out);
	if (set_name(out->name, name))
		return -EINVAL;
	out->edits = edits;
	out->expect_state = expect_state;
	out->flags = flags;
	return ioctl(fd, MODRESCUE_IOC_PREPARE_UNLOAD, out) < 0 ? -errno : 0;
}

int mr_helper_unblock(int fd, int pid, const char *name,
		      unsigned int expect_state, unsigned int flags,
		      struct modrescue_unblock *out)
{
	memset(out, 0, sizeof(*out));
	out->size = sizeof(*out);
	if (set_name(out->name, name))
		return -EINVAL;
	out->flags = flags;
	out->pid = pid;
	out->expect_state = expect_state;
	return ioctl(fd, MODRESCUE_IOC_UNBLOCK, out) < 0 ? -errno : 0;
}

int mr_helper_quarantine(int fd, const char *name, unsigned int expect_state,
			 int pid, unsigned int flags,
			 struct modrescue_quarantine *out)
{
	memset(out, 0, sizeof(*out));
	out->size = sizeof(*out);
	if (set_name(out->name, name))
		return -EINVAL;
	out->flags = flags;
	out->expect_state = expect_state;
	out->pid = pid;
	return ioctl(fd, MODRESCUE_IOC_QUARANTINE, out) < 0 ? -errno : 0;
}

int mr_helper_leftovers(int fd, const char *name, unsigned int expect_state,
			unsigned int flags, struct modrescue_leftover *items,
			unsigned int cap, struct modrescue_leftovers *out)
{
	memset(out, 0, sizeof(*out));
	out->size = sizeof(*out);
	if (set_name(out->name, name))
		return -EINVAL;
	out->flags = flags;
	out->expect_state = expect_state;
	out->items = (uint64_t)(uintptr_t)items;
	out->cap = cap;
	out->item_size = sizeof(*items);
	return ioctl(fd, MODRESCUE_IOC_LEFTOVERS, out) < 0 ? -errno : 0;
}

int mr_helper_repair_loader(int fd, unsigned int flags,
			    struct modrescue_repair_loader *out)
{
	memset(out, 0, sizeof(*out));
	out->size = sizeof(*out);
	out->flags = flags;
	return ioctl(fd, MODRESCUE_IOC_REPAIR_LOADER, out) < 0 ? -errno : 0;
}

int mr_helper_lockwatch(int fd, unsigned int op,
			struct modrescue_lockwatch *out)
{
	memset(out, 0, sizeof(*out));
	out->size = sizeof(*out);
	out->op = op;
	return ioctl(fd, MODRESCUE_IOC_LOCKWATCH, out) < 0 ? -errno : 0;
}

int mr_helper_locks(int fd, struct modrescue_lock *entries, unsigned int cap,
		    struct modrescue_locks *out)
{
	memset(out, 0, sizeof(*out));
	out->size = sizeof(*out);
	out->entries = (__u64)(uintptr_t)entries;
	out->cap = entries ? cap : 0;
	return ioctl(fd, MODRESCUE_IOC_LOCKS, out) < 0 ? -errno : 0;
}

int mr_helper_lock_release(int fd, uint64_t lock, unsigned int flags,
			   struct modrescue_lock_release *out)
{
	memset(out, 0, sizeof(*out));
	out->size = sizeof(*out);
	out->lock = lock;
	out->flags = flags;
	return ioctl(fd, MODRESCUE_IOC_LOCK_RELEASE, out) < 0 ? -errno : 0;
}
