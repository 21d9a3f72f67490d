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
#define MODRESCUE_ABI_VERSION	1

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

#endif /* _UAPI_MODRESCUE_H */
