// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel pointers as the caller may see them (kptr_restrict, %pK): shared by
 * every command that reports an address, so that none calls back into the
 * ioctl dispatcher (device.c) for it.
 */
#include <linux/kernel.h>

#include "modrescue.h"

u64 mr_user_visible_ptr(const void *p)
{
	char buf[24];
	u64 val;

	/* %pK applies kptr_restrict to the caller's credentials. */
	snprintf(buf, sizeof(buf), "%pK", p);
	return kstrtou64(buf, 16, &val) ? 0 : val;
}
