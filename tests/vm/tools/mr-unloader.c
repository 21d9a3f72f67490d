// SPDX-License-Identifier: GPL-2.0
/*
 * mr-unloader: unload a module whose name it reads from standard input, as
 * a program other than rmmod does (an init system, a management daemon):
 * nothing on its command line names the module. Exits 0 when
 * delete_module() succeeded, else prints the error and exits 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	char name[64];

	if (!fgets(name, sizeof(name), stdin)) {
		fprintf(stderr, "mr-unloader: no module name on stdin\n");
		return 2;
	}
	name[strcspn(name, "\n")] = '\0';
	if (syscall(SYS_delete_module, name, O_NONBLOCK)) {
		fprintf(stderr, "mr-unloader: delete_module(%s): %s\n", name,
			strerror(errno));
		return 1;
	}
	return 0;
}
