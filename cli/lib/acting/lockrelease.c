// SPDX-License-Identifier: GPL-2.0
#include "lockrelease.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pause.h"
#include "helper.h"
#include "lockfacts.h"
#include "lockpick.h"
#include "locksnap.h"
#include "oopslog.h"

#define POLL_MS 200

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
		mr_sleep_ms(POLL_MS);
		waited += POLL_MS;
	}
}

/* The comm of the newest oops of PID in the kernel log, into COMM. */
static bool oops_comm(int pid, char *comm, size_t len)
{
	struct mr_oops_log log;
	bool found = false;
	size_t i;

	mr_oops_log_init(&log);
	if (mr_oops_log_read_kmsg(&log)) {
		mr_oops_log_free(&log);
		return false;
	}
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
