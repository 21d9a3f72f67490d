// SPDX-License-Identifier: GPL-2.0
/*
 * The one message of every command on a kernel built without loadable
 * module support (CONFIG_MODULES off): there /proc is mounted but
 * /proc/modules does not exist, and no helper can be loaded either.
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "commands.h"

bool mr_need_module_support(void)
{
	/* /proc itself missing is another matter: say what could not be read. */
	if (!access("/proc/modules", F_OK) || errno != ENOENT ||
	    access("/proc/self", F_OK))
		return true;
	fprintf(stderr,
		"modrescue: ERROR: this kernel has no loadable-module support (no /proc/modules): there is no module to look at, and no helper can be loaded\n");
	return false;
}
