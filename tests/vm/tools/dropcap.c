// SPDX-License-Identifier: GPL-2.0
/*
 * dropcap: run a command without CAP_SYS_MODULE (root otherwise), or as
 * another uid, to check what modrescue tells callers who lack privilege.
 *   dropcap [-u UID] CMD [ARG...]
 */
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static int drop_sys_module(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];
	int i = CAP_TO_INDEX(CAP_SYS_MODULE);

	if (prctl(PR_CAPBSET_DROP, CAP_SYS_MODULE, 0, 0, 0))
		return -1;
	if (syscall(SYS_capget, &hdr, data))
		return -1;
	data[i].effective &= ~CAP_TO_MASK(CAP_SYS_MODULE);
	data[i].permitted &= ~CAP_TO_MASK(CAP_SYS_MODULE);
	data[i].inheritable &= ~CAP_TO_MASK(CAP_SYS_MODULE);
	return syscall(SYS_capset, &hdr, data) ? -1 : 0;
}

int main(int argc, char **argv)
{
	int arg = 1;

	if (argc > 3 && !strcmp(argv[1], "-u")) {
		if (setgid((gid_t)atoi(argv[2])) ||
		    setuid((uid_t)atoi(argv[2]))) {
			perror("dropcap: setuid");
			return 1;
		}
		arg = 3;
	} else if (drop_sys_module()) {
		perror("dropcap: capset");
		return 1;
	}
	if (arg >= argc) {
		fprintf(stderr, "usage: dropcap [-u UID] CMD [ARG...]\n");
		return 2;
	}
	execvp(argv[arg], argv + arg);
	perror("dropcap: exec");
	return 127;
}
