// SPDX-License-Identifier: GPL-2.0
/*
 * surgery-probe: drive the helper's INSPECT, PREPARE_UNLOAD and
 * REPAIR_LOADER ioctls directly, for the helper-surgery scenario.
 *
 *   surgery-probe inspect NAME
 *   surgery-probe prepare NAME EDITS EXPECT_STATE [force]
 *   surgery-probe repair-loader [dry]
 *
 * Prints "key=value" lines; "result=" is "ok" or an errno name.
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

static int inspect(int fd, const char *name)
{
	static const char *const kinds[] = { "?",      "file",	  "kthread",
					     "mount",  "netdev",  "blockdev",
					     "socket", "chardev", "mapping",
					     "task",   "syscall", "holder" };
	struct modrescue_user users[16] = { 0 };
	struct modrescue_inspect in = { .size = sizeof(in) };
	unsigned int i;

	snprintf(in.name, sizeof(in.name), "%s", name);
	in.users = (__u64)(unsigned long)users;
	in.users_cap = 16;
	if (ioctl(fd, MODRESCUE_IOC_INSPECT, &in) < 0) {
		printf("result=%s\n", probe_errname(errno));
		return 0;
	}
	printf("result=ok\nstate=%u\nrefcnt=%d\nhas_init=%d\nhas_exit=%d\n"
	       "users=%u\n",
	       in.state, in.refcnt, !!(in.mod_flags & MODRESCUE_MOD_HAS_INIT),
	       !!(in.mod_flags & MODRESCUE_MOD_HAS_EXIT), in.users_found);
	for (i = 0; i < in.users_found && i < 16; i++)
		printf("user=%s pid=%d fd=%d comm=%s name=%s\n",
		       users[i].kind < 12 ? kinds[users[i].kind] : "?",
		       users[i].pid, users[i].fd, users[i].comm, users[i].name);
	return 0;
}

static int prepare(int fd, const char *name, const char *edits,
		   const char *state, int force)
{
	struct modrescue_prepare p = { .size = sizeof(p) };

	snprintf(p.name, sizeof(p.name), "%s", name);
	p.edits = (__u32)strtoul(edits, NULL, 0);
	p.expect_state = (__u32)strtoul(state, NULL, 0);
	p.flags = force ? MODRESCUE_PREPARE_LEAKED : 0;
	if (ioctl(fd, MODRESCUE_IOC_PREPARE_UNLOAD, &p) < 0)
		printf("result=%s\nbusy_kind=%u\nbusy_pid=%d\nbusy_comm=%s\n",
		       probe_errname(errno), p.busy.kind, p.busy.pid,
		       p.busy.comm);
	else
		printf("result=ok\n");
	printf("applied=%u\nold_state=%u\nold_refcnt=%d\n", p.applied,
	       p.old_state, p.old_refcnt);
	return 0;
}

static int repair_loader(int fd, int dry_run)
{
	struct modrescue_repair_loader r = { .size = sizeof(r) };

	r.flags = dry_run ? MODRESCUE_REPAIR_DRY_RUN : 0;
	if (ioctl(fd, MODRESCUE_IOC_REPAIR_LOADER, &r) < 0)
		printf("result=%s\n", probe_errname(errno));
	else
		printf("result=ok\n");
	printf("kept=%u\ndropped=%u\ntruncated=%u\n", r.kept, r.dropped,
	       r.truncated);
	return 0;
}

static const char usage[] =
	"usage: surgery-probe inspect|prepare NAME ... | repair-loader [dry]\n";

int main(int argc, char **argv)
{
	int fd;

	if (argc < 2) {
		fputs(usage, stderr);
		return 2;
	}
	fd = open(MODRESCUE_DEVICE_PATH, O_RDWR);
	if (fd < 0) {
		perror(MODRESCUE_DEVICE_PATH);
		return 1;
	}
	if (!strcmp(argv[1], "repair-loader"))
		return repair_loader(fd, argc > 2 && !strcmp(argv[2], "dry"));
	if (!strcmp(argv[1], "inspect") && argc >= 3)
		return inspect(fd, argv[2]);
	if (!strcmp(argv[1], "prepare") && argc >= 5)
		return prepare(fd, argv[2], argv[3], argv[4],
			       argc > 5 && !strcmp(argv[5], "force"));
	fputs(usage, stderr);
	return 2;
}
