// SPDX-License-Identifier: GPL-2.0
/* The one message of every command that needs CAP_SYS_MODULE. */
#include <stdio.h>

#include "commands.h"
#include "privilege.h"

bool mr_need_cap_sys_module(const char *cmd, const char *because)
{
	if (mr_have_cap_sys_module())
		return true;
	fprintf(stderr,
		"modrescue: ERROR: %s needs CAP_SYS_MODULE (%s); run it as root\n",
		cmd, because);
	return false;
}
