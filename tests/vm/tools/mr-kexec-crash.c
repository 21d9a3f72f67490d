// SPDX-License-Identifier: GPL-2.0
/*
 * mr-kexec-crash KERNEL INITRD CMDLINE: load a crash kernel, as kdump-tools
 * does, through kexec_file_load(KEXEC_FILE_ON_CRASH). A later oops that the
 * kernel hands to crash_kexec() then boots it. Exits 0 once loaded.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kexec.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int kernel_fd, initrd_fd;

	if (argc != 4) {
		fprintf(stderr,
			"usage: mr-kexec-crash KERNEL INITRD CMDLINE\n");
		return 2;
	}
	kernel_fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	initrd_fd = open(argv[2], O_RDONLY | O_CLOEXEC);
	if (kernel_fd < 0 || initrd_fd < 0) {
		fprintf(stderr, "mr-kexec-crash: %s: %s\n",
			kernel_fd < 0 ? argv[1] : argv[2], strerror(errno));
		return 1;
	}
	if (syscall(SYS_kexec_file_load, kernel_fd, initrd_fd,
		    strlen(argv[3]) + 1, argv[3], KEXEC_FILE_ON_CRASH)) {
		fprintf(stderr, "mr-kexec-crash: kexec_file_load: %s\n",
			strerror(errno));
		return 1;
	}
	return 0;
}
