// SPDX-License-Identifier: GPL-2.0
#include "modlock.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
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
