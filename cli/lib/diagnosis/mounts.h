/* SPDX-License-Identifier: GPL-2.0 */
/* Mounted filesystems whose type a module provides. */
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

#endif /* MODRESCUE_MOUNTS_H */
