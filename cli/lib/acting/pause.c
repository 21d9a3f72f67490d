// SPDX-License-Identifier: GPL-2.0
#include "pause.h"

#include <errno.h>
#include <time.h>

void mr_sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
			       .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}
