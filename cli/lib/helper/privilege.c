// SPDX-License-Identifier: GPL-2.0
#include "privilege.h"

#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

bool mr_have_cap_sys_module(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data))
		return false;
	return data[CAP_TO_INDEX(CAP_SYS_MODULE)].effective &
	       CAP_TO_MASK(CAP_SYS_MODULE);
}

const char *mr_lockdown_path(void)
{
	const char *env = getenv("MODRESCUE_LOCKDOWN");

	return env && *env ? env : "/sys/kernel/security/lockdown";
}

bool mr_lockdown_active(const char *path, char *buf, size_t len)
{
	char line[128], *open_br, *close_br;
	FILE *f = fopen(path, "re");
	bool ok;

	if (!f)
		return false;
	ok = fgets(line, sizeof(line), f) != NULL;
	fclose(f);
	if (!ok)
		return false;
	/* The mode in force is the one in brackets. */
	open_br = strchr(line, '[');
	close_br = open_br ? strchr(open_br, ']') : NULL;
	if (!close_br)
		return false;
	*close_br = '\0';
	if (!strcmp(open_br + 1, "none"))
		return false;
	snprintf(buf, len, "%s", open_br + 1);
	return true;
}
