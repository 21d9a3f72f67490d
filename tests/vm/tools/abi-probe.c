// SPDX-License-Identifier: GPL-2.0
/*
 * abi-probe: exercise /dev/modrescue's ioctl ABI from inside the lab VM and
 * print one "name=result" line per probe, where result is "ok" or an errno
 * name, for the helper-abi scenario to assert on.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <uapi/modrescue.h>

#include "probe.h"

/* A struct from a future ABI: v1 plus one field the helper does not know. */
struct version_v2 {
	struct modrescue_version v1;
	__u64 future;
};

#define IOC_VERSION_V2 _IOWR(MODRESCUE_IOC_MAGIC, 0x00, struct version_v2)
#define IOC_UNKNOWN _IOWR(MODRESCUE_IOC_MAGIC, 0x7f, struct modrescue_version)
#define IOC_SHORT _IOWR(MODRESCUE_IOC_MAGIC, 0x00, __u32)

/* An ABI 7 caller's contain struct: everything before the module names. */
#define IOC_CONTAIN_V7                                    \
	_IOC(_IOC_READ | _IOC_WRITE, MODRESCUE_IOC_MAGIC, \
	     _IOC_NR(MODRESCUE_IOC_CONTAIN), MODRESCUE_CONTAIN_SIZE_V7)

static const char *result(int ret)
{
	return ret >= 0 ? "ok" : probe_errname(errno);
}

static void probe(const char *name, int fd, unsigned long cmd, void *arg)
{
	printf("%s=%s\n", name, result(ioctl(fd, cmd, arg)));
}

/* Drop CAP_SYS_MODULE from the effective set, keeping uid 0. */
static int drop_cap_sys_module(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	data[CAP_SYS_MODULE / 32].effective &= ~(1u << (CAP_SYS_MODULE % 32));
	return (int)syscall(SYS_capset, &hdr, data);
}

/*
 * Panic containment needs the modules named: an ABI 7 caller asking for it
 * (it cannot name any) and an ABI 9 caller naming none are refused, so
 * that neither arms anything; an ABI 7 status still works.
 */
static void probe_contain(int fd)
{
	struct modrescue_contain c;

	memset(&c, 0, sizeof(c));
	c.size = MODRESCUE_CONTAIN_SIZE_V7;
	c.op = MODRESCUE_CONTAIN_ON;
	c.flags = MODRESCUE_CONTAIN_PANIC;
	probe("contain_v7_panic", fd, IOC_CONTAIN_V7, &c);
	memset(&c, 0, sizeof(c));
	c.size = MODRESCUE_CONTAIN_SIZE_V7;
	c.op = MODRESCUE_CONTAIN_STATUS;
	probe("contain_v7_status", fd, IOC_CONTAIN_V7, &c);
	printf("contain_v7_status_armed=%u\n", c.armed);
	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.op = MODRESCUE_CONTAIN_ON;
	c.flags = MODRESCUE_CONTAIN_PANIC;
	probe("contain_v9_panic_no_names", fd, MODRESCUE_IOC_CONTAIN, &c);
	c.n_modules = 1;
	memset(c.modules[0], 'x', sizeof(c.modules[0]));
	probe("contain_v9_panic_long_name", fd, MODRESCUE_IOC_CONTAIN, &c);
	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.op = MODRESCUE_CONTAIN_ON;
	c.n_modules = 1;
	strcpy(c.modules[0], "hp_panic");
	probe("contain_v9_names_without_panic", fd, MODRESCUE_IOC_CONTAIN, &c);
}

int main(void)
{
	struct modrescue_version ver = { .size = sizeof(ver) };
	struct version_v2 v2 = { .v1.size = sizeof(v2) };
	__u32 short_size = sizeof(short_size);
	int fd;

	fd = open(MODRESCUE_DEVICE_PATH, O_RDWR);
	printf("open=%s\n", result(fd));
	if (fd < 0)
		return 1;

	probe("version", fd, MODRESCUE_IOC_GET_VERSION, &ver);
	printf("abi_version=%u\n", ver.abi_version);

	ver = (struct modrescue_version){ .size = sizeof(ver), .reserved = 1 };
	probe("reserved_set", fd, MODRESCUE_IOC_GET_VERSION, &ver);
	ver = (struct modrescue_version){ .size = sizeof(ver) + 4 };
	probe("size_mismatch", fd, MODRESCUE_IOC_GET_VERSION, &ver);
	probe("too_small", fd, IOC_SHORT, &short_size);
	probe("unknown_cmd", fd, IOC_UNKNOWN, &ver);
	probe("foreign_magic", fd, _IOWR('x', 0, struct modrescue_version),
	      &ver);
	probe("newer_zero_tail", fd, IOC_VERSION_V2, &v2);
	v2 = (struct version_v2){ .v1.size = sizeof(v2), .future = 1 };
	probe("newer_nonzero_tail", fd, IOC_VERSION_V2, &v2);
	probe("bad_pointer", fd, MODRESCUE_IOC_GET_VERSION, NULL);
	probe_contain(fd);

	if (drop_cap_sys_module()) {
		perror("capset");
		return 1;
	}
	ver = (struct modrescue_version){ .size = sizeof(ver) };
	probe("nocap_ioctl", fd, MODRESCUE_IOC_GET_VERSION, &ver);
	close(fd);
	printf("nocap_open=%s\n", result(open(MODRESCUE_DEVICE_PATH, O_RDWR)));
	return 0;
}
