// SPDX-License-Identifier: GPL-2.0
/*
 * rescue-probe: drive the helper's UNBLOCK and QUARANTINE ioctls directly,
 * for the rescue scenarios: the kernel's own checks, without the CLI's.
 *
 *   rescue-probe unblock PID NAME STATE [dry] [force] [flags=N] [reserved]
 *   rescue-probe quarantine NAME STATE [pid=N] [noload] [flags=N]
 *
 * STATE is the module state expected: live, coming or going. Prints
 * "key=value" lines; "result=" is "ok" or an errno name.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <uapi/modrescue.h>

#include "probe.h"

static unsigned int state_of(const char *s)
{
	if (!strcmp(s, "live"))
		return MODRESCUE_STATE_LIVE;
	if (!strcmp(s, "coming"))
		return MODRESCUE_STATE_COMING;
	if (!strcmp(s, "going"))
		return MODRESCUE_STATE_GOING;
	return (unsigned int)strtoul(s, NULL, 0);
}

static const char *kind_name(unsigned int kind)
{
	static const char *const kinds[] = { "none", "module", "slab",
					     "stack" };

	return kind < 4 ? kinds[kind] : "?";
}

static int unblock(int fd, int argc, char **argv)
{
	struct modrescue_unblock u;
	int i;

	memset(&u, 0, sizeof(u));
	u.size = sizeof(u);
	u.pid = atoi(argv[2]);
	snprintf(u.name, sizeof(u.name), "%s", argv[3]);
	u.expect_state = state_of(argv[4]);
	for (i = 5; i < argc; i++) {
		if (!strcmp(argv[i], "dry"))
			u.flags |= MODRESCUE_UNBLOCK_DRY_RUN;
		else if (!strcmp(argv[i], "force"))
			u.flags |= MODRESCUE_UNBLOCK_FORCE_STACK;
		else if (!strncmp(argv[i], "flags=", 6))
			u.flags = (__u32)strtoul(argv[i] + 6, NULL, 0);
		else if (!strcmp(argv[i], "reserved"))
			u.reserved[1] = 1;
	}
	if (ioctl(fd, MODRESCUE_IOC_UNBLOCK, &u) < 0)
		printf("result=%s\n", probe_errname(errno));
	else
		printf("result=ok\n");
	printf("reason=%u\nkind=%s\nwaiters=%u\nowner=%d\n", u.reason,
	       kind_name(u.kind), u.waiters, u.owner_pid);
	printf("completion=0x%llx\n", (unsigned long long)u.completion);
	printf("caller=%.*s\nwhere=%.*s\n", (int)sizeof(u.caller), u.caller,
	       (int)sizeof(u.where), u.where);
	return 0;
}

static int quarantine(int fd, int argc, char **argv)
{
	struct modrescue_quarantine q;
	int i;

	memset(&q, 0, sizeof(q));
	q.size = sizeof(q);
	snprintf(q.name, sizeof(q.name), "%s", argv[2]);
	q.expect_state = state_of(argv[3]);
	for (i = 4; i < argc; i++) {
		if (!strncmp(argv[i], "pid=", 4))
			q.pid = atoi(argv[i] + 4);
		else if (!strcmp(argv[i], "noload"))
			q.flags |= MODRESCUE_QUARANTINE_NOLOAD;
		else if (!strncmp(argv[i], "flags=", 6))
			q.flags = (__u32)strtoul(argv[i] + 6, NULL, 0);
	}
	if (ioctl(fd, MODRESCUE_IOC_QUARANTINE, &q) < 0)
		printf("result=%s\n", probe_errname(errno));
	else
		printf("result=ok\n");
	printf("new_name=%.*s\nold_state=%u\nparked=%d\nexports=%d\n",
	       (int)sizeof(q.new_name), q.new_name, q.old_state,
	       !!(q.done & MODRESCUE_QUARANTINE_PARKED),
	       !!(q.done & MODRESCUE_QUARANTINE_EXPORTS));
	return 0;
}

int main(int argc, char **argv)
{
	int fd;

	if (argc < 4) {
		fprintf(stderr,
			"usage: rescue-probe unblock|quarantine ARGS...\n");
		return 2;
	}
	fd = open(MODRESCUE_DEVICE_PATH, O_RDWR);
	if (fd < 0) {
		perror(MODRESCUE_DEVICE_PATH);
		return 1;
	}
	if (!strcmp(argv[1], "unblock") && argc >= 5)
		return unblock(fd, argc, argv);
	if (!strcmp(argv[1], "quarantine"))
		return quarantine(fd, argc, argv);
	fprintf(stderr, "usage: rescue-probe unblock|quarantine ARGS...\n");
	return 2;
}
