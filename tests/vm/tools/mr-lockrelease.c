// SPDX-License-Identifier: GPL-2.0
/*
 * mr-lockrelease: watch what the helper's LOCK_RELEASE says about one lock,
 * as a dry run, for the lockrelease-reasons scenario. The CLI retries the
 * answers that may change (too recent, exiting, uncertain) for seconds;
 * this asks again and again, with no retry of its own, and prints each
 * answer that differs from the one before:
 *
 *   mr-lockrelease ID SECONDS
 *
 * "reason=NAME result=ERRNO|ok held_ms=N pid=N" lines; it stops at the
 * first "ok" (exit 0), or after SECONDS (exit 1). Never releases anything.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <uapi/modrescue.h>

#include "probe.h"

static const char *const reason_names[] = {
	"ok",	   "not-held", "uncertain",  "alive",	    "exiting",
	"context", "recent",   "free",	     "sleeping",    "bad-place",
	"full",	   "heap",     "not-a-lock", "unvalidated",
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct timespec pause = { .tv_nsec = 2 * 1000 * 1000 };
	int fd, last_err = -1;
	unsigned int last_reason = ~0u;
	double end;

	if (argc != 3) {
		fprintf(stderr, "usage: mr-lockrelease ID SECONDS\n");
		return 2;
	}
	fd = open("/dev/modrescue", O_RDWR);
	if (fd < 0) {
		perror("/dev/modrescue");
		return 2;
	}
	end = now_s() + atof(argv[2]);
	while (now_s() < end) {
		struct modrescue_lock_release r = {
			.size = sizeof(r),
			.flags = MODRESCUE_LOCK_RELEASE_DRY_RUN,
			.lock = strtoull(argv[1], NULL, 0),
		};
		int err;

		err = ioctl(fd, MODRESCUE_IOC_LOCK_RELEASE, &r) ? errno : 0;
		if (err != last_err || r.reason != last_reason) {
			printf("reason=%s result=%s held_ms=%llu pid=%d\n",
			       r.reason < sizeof(reason_names) /
						       sizeof(reason_names[0]) ?
				       reason_names[r.reason] :
				       "?",
			       err ? probe_errname(err) : "ok",
			       (unsigned long long)r.owner.ns / 1000000,
			       r.owner.pid);
			fflush(stdout);
			last_err = err;
			last_reason = r.reason;
		}
		if (!err && r.reason == MODRESCUE_RELEASE_OK)
			return 0;
		nanosleep(&pause, NULL);
	}
	return 1;
}
