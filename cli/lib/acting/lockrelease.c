// SPDX-License-Identifier: GPL-2.0
#include "lockrelease.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "helper.h"
#include "lockpick.h"
#include "lockread.h"
#include "oopslog.h"

/* Most held locks and waiters asked of the helper (as `modrescue locks`). */
#define MAX_ENTRIES 8192
/* Most /dev/kmsg records read: the whole ring, with room to spare. */
#define MAX_RECORDS 200000
#define POLL_MS 200

int mr_locks_read(struct mr_lock_snapshot *s)
{
	struct modrescue_lock *e;
	struct modrescue_locks out;
	int fd, ret;

	if (!mr_helper_is_loaded())
		return -ENODATA;
	fd = mr_helper_open();
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

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
			       .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

int mr_lock_release_retry(int fd, uint64_t id, unsigned int flags,
			  long retry_ms, struct modrescue_lock_release *out)
{
	long waited = 0;

	for (;;) {
		int ret = mr_helper_lock_release(fd, id, flags, out);

		if (waited >= retry_ms ||
		    !(ret == -EAGAIN ||
		      (ret == -EBUSY &&
		       out->reason == MODRESCUE_RELEASE_EXITING)))
			return ret;
		sleep_ms(POLL_MS);
		waited += POLL_MS;
	}
}

/* The comm of the newest oops of PID in the kernel log, into COMM. */
static bool oops_comm(int pid, char *comm, size_t len)
{
	struct mr_oops_log log;
	char rec[8192];
	bool found = false;
	size_t i;
	int fd, n;

	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return false;
	mr_oops_log_init(&log);
	for (n = 0; n < MAX_RECORDS; n++) {
		ssize_t got = read(fd, rec, sizeof(rec));

		if (got < 0 && errno == EPIPE)
			continue; /* overwritten while read: go on */
		if (got <= 0 || mr_oops_log_kmsg_record(&log, rec, (size_t)got))
			break;
	}
	close(fd);
	for (i = log.n; i-- > 0 && !found;) {
		if (log.oopses[i].pid != pid)
			continue;
		snprintf(comm, len, "%s", log.oopses[i].comm);
		found = true;
	}
	mr_oops_log_free(&log);
	return found;
}

void mr_lock_release_describe(const struct modrescue_lock_release *out,
			      char *buf, size_t len, char *comm, bool *oopsed)
{
	*oopsed = false;
	comm[0] = '\0';
	if (out->dead_pid > 0 && out->reason != MODRESCUE_RELEASE_ALIVE)
		*oopsed = oops_comm(out->dead_pid, comm, MR_LOCK_COMM_LEN);
	mr_lock_release_text(out, comm, buf, len);
}
