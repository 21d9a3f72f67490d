// SPDX-License-Identifier: GPL-2.0
#include "modlock.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

int mr_module_lock(const char *dir, const char *name, bool *waited)
{
	char path[PATH_MAX];
	int fd;

	*waited = false;
	if (!dir)
		dir = getenv("MODRESCUE_RUNDIR");
	if (!dir || !*dir)
		dir = "/run/modrescue";
	if (mkdir(dir, 0700) && errno != EEXIST)
		return -errno;
	snprintf(path, sizeof(path), "%s/%s.lock", dir, name);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	if (!flock(fd, LOCK_EX | LOCK_NB))
		return fd;
	*waited = true;
	while (flock(fd, LOCK_EX)) {
		if (errno != EINTR) {
			int ret = -errno;

			close(fd);
			return ret;
		}
	}
	return fd;
}

void mr_module_unlock(int fd)
{
	if (fd >= 0)
		close(fd); /* closing drops the flock */
}

int mr_module_lock_reported(const char *name, struct mr_unload_report *r)
{
	bool waited = false;
	int lock = mr_module_lock(NULL, name, &waited);

	if (lock < 0)
		mr_report_step(r,
			       "note: no lock in /run/modrescue (%s): not "
			       "serialised with other modrescues",
			       strerror(-lock));
	else if (waited)
		mr_report_step(r, "waited for another modrescue acting on %s",
			       name);
	return lock;
}
