/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * modrescue ioctl ABI on /dev/modrescue, shared by the helper module and the
 * CLI.
 *
 * Every argument struct starts with a __u32 size that the caller sets to the
 * size of the struct it was built with. The helper accepts an older (smaller)
 * struct, and a newer (larger) one when the bytes it does not know are zero,
 * so the ABI can grow by appending fields. Unknown commands fail with -ENOTTY;
 * a size the helper cannot accept fails with -EINVAL.
 */
#ifndef _UAPI_MODRESCUE_H
#define _UAPI_MODRESCUE_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define MODRESCUE_DEVICE_NAME	"modrescue"
#define MODRESCUE_DEVICE_PATH	"/dev/" MODRESCUE_DEVICE_NAME

/* Bumped whenever a command is added or a struct grows. */
#define MODRESCUE_ABI_VERSION	2

#define MODRESCUE_IOC_MAGIC	0xE5

/* Largest argument struct the helper will look at, in bytes. */
#define MODRESCUE_MAX_ARG_SIZE	4096

struct modrescue_version {
	__u32 size;		/* in: sizeof(struct modrescue_version) */
	__u32 abi_version;	/* out: MODRESCUE_ABI_VERSION of the helper */
	__u32 min_abi_version;	/* out: oldest ABI version still served */
	__u32 reserved;		/* in: must be zero */
};

#define MODRESCUE_VERSION_SIZE_V1	16

#define MODRESCUE_IOC_GET_VERSION \
	_IOWR(MODRESCUE_IOC_MAGIC, 0x00, struct modrescue_version)

/* Room for a module name; the kernel's own limit is MODULE_NAME_LEN (56). */
#define MODRESCUE_NAME_LEN	64

/* Module states as the kernel numbers them (enum module_state). */
#define MODRESCUE_STATE_LIVE		0
#define MODRESCUE_STATE_COMING		1
#define MODRESCUE_STATE_GOING		2
#define MODRESCUE_STATE_UNFORMED	3

/* struct modrescue_inspect.mod_flags */
#define MODRESCUE_MOD_HAS_INIT	(1u << 0)
#define MODRESCUE_MOD_HAS_EXIT	(1u << 1)

/* struct modrescue_user.kind: a live user of the module that the helper found. */
enum modrescue_user_kind {
	MODRESCUE_USER_FILE = 1,	/* an open file whose f_op is the module's */
	MODRESCUE_USER_KTHREAD = 2,	/* a kthread whose function is in the module */
	MODRESCUE_USER_MOUNT = 3,	/* a mounted filesystem of a type it owns */
	MODRESCUE_USER_NETDEV = 4,	/* a net device whose ops are the module's */
};

struct modrescue_user {
	__u32 kind;		/* enum modrescue_user_kind */
	__s32 pid;		/* FILE, KTHREAD: the task's tgid / pid */
	__s32 fd;		/* FILE: the fd; otherwise -1 */
	__u32 reserved;
	char comm[16];		/* FILE, KTHREAD: the task's comm */
	char name[32];		/* MOUNT: filesystem type; NETDEV: device name */
};

/*
 * Look at a module and the users of it the kernel can see: open files,
 * kthreads running its code, mounts of its filesystems, net devices using
 * its ops. Changes nothing.
 */
struct modrescue_inspect {
	__u32 size;		/* in: sizeof(struct modrescue_inspect) */
	__u32 flags;		/* in: must be zero */
	char name[MODRESCUE_NAME_LEN];	/* in: NUL-terminated module name */
	__u64 users;		/* in: user pointer to struct modrescue_user[] */
	__u32 users_cap;	/* in: entries at users (may be 0) */
	__u32 users_found;	/* out: users found, even past users_cap */
	__u32 state;		/* out: MODRESCUE_STATE_* */
	__s32 refcnt;		/* out: module_refcount() */
	__u32 mod_flags;	/* out: MODRESCUE_MOD_* */
	__u32 reserved;		/* in: must be zero */
};

#define MODRESCUE_INSPECT_SIZE_V2	104

/* struct modrescue_prepare.edits: surgery on struct module, under module_mutex. */
#define MODRESCUE_EDIT_REFCNT_BASE	(1u << 0)	/* refcount back to its base */
#define MODRESCUE_EDIT_STATE_LIVE	(1u << 1)	/* COMING or GOING -> LIVE */
#define MODRESCUE_EDIT_CLEAR_EXIT	(1u << 2)	/* exit() never runs again */
#define MODRESCUE_EDIT_ALL		0x7u

/* struct modrescue_prepare.flags */
#define MODRESCUE_PREPARE_FORCE	(1u << 0)	/* ignore open files, mounts, netdevs */

/*
 * Prepare a stuck module for the kernel's own delete_module(): apply the
 * listed edits, all or none, after checking that the module is still in
 * the state the caller diagnosed (-ESTALE if not) and that no live user
 * would be hurt (-EBUSY; kthreads running its code always count). Each
 * edit is logged and taints the kernel with TAINT_FORCED_RMMOD.
 */
struct modrescue_prepare {
	__u32 size;		/* in: sizeof(struct modrescue_prepare) */
	__u32 edits;		/* in: MODRESCUE_EDIT_* */
	char name[MODRESCUE_NAME_LEN];	/* in: NUL-terminated module name */
	__u32 expect_state;	/* in: the MODRESCUE_STATE_* diagnosed */
	__u32 flags;		/* in: MODRESCUE_PREPARE_* */
	__u32 applied;		/* out: the edits made */
	__u32 old_state;	/* out: the state before */
	__s32 old_refcnt;	/* out: module_refcount() before */
	__u32 reserved;		/* in: must be zero */
};

#define MODRESCUE_PREPARE_SIZE_V2	96

#define MODRESCUE_IOC_INSPECT \
	_IOWR(MODRESCUE_IOC_MAGIC, 0x01, struct modrescue_inspect)
#define MODRESCUE_IOC_PREPARE_UNLOAD \
	_IOWR(MODRESCUE_IOC_MAGIC, 0x02, struct modrescue_prepare)

#endif /* _UAPI_MODRESCUE_H */
