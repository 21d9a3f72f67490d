// SPDX-License-Identifier: GPL-2.0
#include "locksnap.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "helper.h"
#include "lockread.h"

/* Most held locks and waiters asked of the helper. */
#define MAX_ENTRIES 8192

int mr_locks_read(struct mr_lock_snapshot *s)
{
	struct modrescue_lock *e;
	struct modrescue_locks out;
	int fd, ret;

	fd = mr_helper_open_loaded();
	if (fd < 0)
		return fd == -ENOENT ? -ENODATA : fd;
	e = calloc(MAX_ENTRIES, sizeof(*e));
	ret = e ? mr_helper_locks(fd, e, MAX_ENTRIES, &out) : -ENOMEM;
	close(fd);
	if (!ret) {
		mr_lock_snapshot_init(s, true, out.missed);
		ret = mr_locks_from_helper(
			s, e,
			out.found < MAX_ENTRIES ? out.found : MAX_ENTRIES);
		if (ret)
			mr_lock_snapshot_free(s);
	}
	free(e);
	return ret;
}
