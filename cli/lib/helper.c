// SPDX-License-Identifier: GPL-2.0
#include "helper.h"

#include <errno.h>
#include <fcntl.h>
#include <libkmod.h>
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
