/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Users of a module that userspace finds and no process shows: mounted
 * filesystems whose type it provides, and its block devices used as swap
 * or held by a stacked device (dm, md, bcache).
 */
#ifndef MODRESCUE_MOUNTS_H
#define MODRESCUE_MOUNTS_H

#include <stddef.h>

struct kmod_ctx;

/*
 * The mount points (from MOUNTINFO, /proc/self/mountinfo format) of
 * filesystem types that MODULE provides: a type named like the module, or
 * whose "fs-TYPE" alias resolves to it through libkmod's index. Returns the
 * number found (their "TYPE on MOUNTPOINT" strings in *out, to be freed
 * with mr_mounts_free()), or a negative errno.
 */
int mr_module_mounts(struct kmod_ctx *ctx, const char *mountinfo,
		     const char *module, char ***out);
void mr_mounts_free(char **mounts, size_t n);

/*
 * The users of MODULE's block devices that no open file shows, each a
 * string in *OUT (free with mr_mounts_free()):
 *  - "swap on /dev/loop0": the disk, or one of its partitions, is swap in
 *    /proc/swaps (the kernel holds it open, pinning the module);
 *  - "held by dm-0 (/sys/block/loop0/holders)": a device-mapper, md or
 *    bcache device is stacked on it (/sys/block/X[/P]/holders).
 * A disk is MODULE's when its driver is (/sys/block/X/device/driver/module),
 * else when MODULE registered its major: /proc/devices names it so, or its
 * "block-major-MAJ-MIN" alias resolves to MODULE through CTX (may be NULL;
 * loop: /sys/block/loopN, block major 7 "loop"). ROOT prefixes /proc, /sys
 * and the swap's device path ("" for the real ones). Returns how many, or a
 * negative errno when /sys/block cannot be read. Sorted by text.
 */
int mr_module_bdev_users(struct kmod_ctx *ctx, const char *root,
			 const char *module, char ***out);

/*
 * For unload's list of users: append MODULE's block-device users (above,
 * sorted) to WHY, ", "-separated after what is already there, within LEN;
 * returns how many there are (any one refuses the unload).
 */
size_t mr_bdev_users_append(struct kmod_ctx *ctx, const char *root,
			    const char *module, char *why, size_t len);

#endif /* MODRESCUE_MOUNTS_H */
