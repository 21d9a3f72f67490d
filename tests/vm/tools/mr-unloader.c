// SPDX-License-Identifier: GPL-2.0
/*
 * mr-unloader: unload a module whose name it reads from standard input, as
 * a program other than rmmod does (an init system, a management daemon):
 * nothing on its command line names the module. With -f, forced
 * (O_TRUNC), as rmmod -f, but by the exact name: kmod's rmmod cuts a name
 * at its first '.', so it cannot name a quarantined NAME.qN. Exits 0 when
 * delete_module() succeeded, else prints the error and exits 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned int flags = O_NONBLOCK;
	char name[64];

	if (argc == 2 && !strcmp(argv[1], "-f"))
		flags |= O_TRUNC;
	else if (argc != 1) {
		fprintf(stderr, "usage: mr-unloader [-f] <NAME\n");
		return 2;
	}
	if (!fgets(name, sizeof(name), stdin)) {
		fprintf(stderr, "mr-unloader: no module name on stdin\n");
		return 2;
	}
	name[strcspn(name, "\n")] = '\0';
	if (syscall(SYS_delete_module, name, flags)) {
		fprintf(stderr, "mr-unloader: delete_module(%s): %s\n", name,
			strerror(errno));
		return 1;
	}
	return 0;
}
