/* SPDX-License-Identifier: GPL-2.0 */
/* Lockwatch's snapshot, asked of the helper that is already loaded. */
#ifndef MODRESCUE_LOCKSNAP_H
#define MODRESCUE_LOCKSNAP_H

#include "locks.h"

/*
 * Lockwatch's snapshot into S (sorted), without loading the helper: 0,
 * -ENODATA when the helper is not loaded or lockwatch is off, or a
 * negative errno. The caller frees S when it returns 0.
 */
int mr_locks_read(struct mr_lock_snapshot *s);

#endif /* MODRESCUE_LOCKSNAP_H */
