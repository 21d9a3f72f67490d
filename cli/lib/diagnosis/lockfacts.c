// SPDX-License-Identifier: GPL-2.0
#include "lockfacts.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsread.h"
#include "helper.h"
#include "locksnap.h"
#include "lockwait.h"
#include "procparse.h"

/* Most /dev/kmsg records read: the whole ring, with room to spare. */
#define MAX_RECORDS 200000

int mr_oops_log_read_kmsg(struct mr_oops_log *log)
{
	char rec[8192];
	size_t have = 0;
	int fd, i;
	long done = 0;

	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		log->read_err = -errno;
		return 0;
	}
	log->read_err = 0;
	/*
	 * /dev/kmsg gives one whole record a read; anything else (a copy of
	 * it in a file) is cut into records, a line left over carried on.
	 */
	for (i = 0; i < MAX_RECORDS && done >= 0; i++) {
		ssize_t n = read(fd, rec + have, sizeof(rec) - 1 - have);

		if (n < 0 && errno == EPIPE)
			continue; /* overwritten while read: go on */
		if (n <= 0)
			break;
		have += (size_t)n;
		if (rec[have - 1] != '\n' && have == sizeof(rec) - 1)
			rec[have - 1] = '\n'; /* a record too long: cut */
		done = mr_oops_log_kmsg_text(log, rec, have);
		if (done > 0) {
			memmove(rec, rec + done, have - (size_t)done);
			have -= (size_t)done;
		}
	}
	close(fd);
	return done < 0 ? (int)done : 0;
}

/* The state of waiters that are none of the diagnosis's tasks. */
static void waiter_states(struct mr_diag *d)
{
	unsigned long long start;
	char path[64], buf[512], comm[64];
	size_t i, k;

	for (i = 0; i < d->n_mods; i++) {
		for (k = 0; k < d->mods[i].n_lock_waits; k++) {
			struct mr_lock_wait *w = &d->mods[i].lock_waits[k];

			if (w->state != '?' || w->waiter.pid <= 0)
				continue;
			snprintf(path, sizeof(path), "/proc/%d/stat",
				 w->waiter.pid);
			if (mr_read_small(path, buf, sizeof(buf)) <= 0 ||
			    mr_parse_stat(buf, &w->state, &start, comm,
					  sizeof(comm)))
				w->state = '?';
		}
	}
}

int mr_lockfacts_read(struct mr_diag *d)
{
	struct mr_lock_snapshot s;
	struct mr_oops_log log;
	int err;

	d->lockwatch = MR_LOCKWATCH_UNASKED;
	if (!mr_helper_is_loaded()) {
		d->lockwatch = MR_LOCKWATCH_OFF;
		return 0;
	}
	err = mr_locks_read(&s);
	if (err == -ENODATA)
		d->lockwatch = MR_LOCKWATCH_OFF;
	if (err)
		return err == -ENOMEM ? err : 0;
	err = mr_diag_lock_waits(d, &s);
	mr_lock_snapshot_free(&s);
	if (err)
		return err;
	waiter_states(d);
	if (!mr_diag_dead_owners(d))
		return 0;
	mr_oops_log_init(&log);
	err = mr_oops_log_read_kmsg(&log);
	if (!err)
		mr_diag_mark_oopses(d, &log);
	mr_oops_log_free(&log);
	return err;
}
