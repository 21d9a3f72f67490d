/* SPDX-License-Identifier: GPL-2.0 */
/* From the helper's LOCKS answer to the snapshot model (locks.h). */
#ifndef MODRESCUE_LOCKREAD_H
#define MODRESCUE_LOCKREAD_H

#include <stddef.h>

#include "locks.h"
#include "uapi/modrescue.h"

/*
 * Fill S (initialised by the caller) with the N entries the helper gave:
 * held locks and waiters. Strings are taken only up to their field's end.
 * Sorts S. Returns 0 or -ENOMEM.
 */
int mr_locks_from_helper(struct mr_lock_snapshot *s,
			 const struct modrescue_lock *e, size_t n);

#endif /* MODRESCUE_LOCKREAD_H */
