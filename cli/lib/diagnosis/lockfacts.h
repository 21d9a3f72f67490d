/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lockwatch's facts for the diagnosis (status, why): when the helper is
 * loaded and lockwatch is armed, its snapshot of held locks and waiters,
 * matched to the modules (lockwait.h), and, for an owner that is dead, the
 * kernel log's oopses. Loads nothing and arms nothing: with the helper not
 * loaded, or lockwatch off, it only says so.
 */
#ifndef MODRESCUE_LOCKFACTS_H
#define MODRESCUE_LOCKFACTS_H

#include "diag.h"
#include "oopslog.h"

/*
 * Fill d->lockwatch and, when it is on, every module's lock_waits. A
 * helper that cannot be asked (no privilege) leaves d->lockwatch UNASKED.
 * Returns 0 or -ENOMEM.
 */
int mr_lockfacts_read(struct mr_diag *d);

/*
 * The oopses in the kernel log into LOG (initialised by the caller), as far
 * as /dev/kmsg can be read: 0 (also when it cannot be opened) or -ENOMEM.
 */
int mr_oops_log_read_kmsg(struct mr_oops_log *log);

#endif /* MODRESCUE_LOCKFACTS_H */
