/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Releasing a dead owner's spinlock through the helper (issue 11, part 1):
 * reading lockwatch's snapshot, asking the helper (which checks in the
 * kernel: kernel/locks/lockrelease.c), and naming the dead owner from the kernel
 * log when its task is gone. Used by `locks release` and by unload's
 * release-locks step; the choices are lockpick.c's.
 */
#ifndef MODRESCUE_LOCKRELEASE_H
#define MODRESCUE_LOCKRELEASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "locks.h"
#include "locksnap.h"
#include "uapi/modrescue.h"

/*
 * Ask the helper on FD to release lock ID (FLAGS: MODRESCUE_LOCK_RELEASE_*),
 * asking again for up to RETRY_MS while it says to wait: held too briefly,
 * an owner still exiting, a snapshot not sure of it. 0 or a negative errno
 * (see the ABI), with OUT filled.
 */
int mr_lock_release_retry(int fd, uint64_t id, unsigned int flags,
			  long retry_ms, struct modrescue_lock_release *out);

/*
 * What OUT says, in words (mr_lock_release_text()), the owner named from
 * the kernel log's oops of its pid when its task is gone: its comm into
 * COMM (MR_LOCK_COMM_LEN bytes; "" if none), and *OOPSED says whether the
 * log has one.
 */
void mr_lock_release_describe(const struct modrescue_lock_release *out,
			      char *buf, size_t len, char *comm, bool *oopsed);

#endif /* MODRESCUE_LOCKRELEASE_H */
