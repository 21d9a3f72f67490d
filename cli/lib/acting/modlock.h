/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One modrescue at a time acts on a module: an exclusive lock on
 * /run/modrescue/NAME.lock, held from diagnosis to report, so two mutating
 * commands on the same module serialise instead of racing.
 */
#ifndef MODRESCUE_MODLOCK_H
#define MODRESCUE_MODLOCK_H

#include <stdbool.h>

#include "outcome.h"

/*
 * Take the lock of module NAME in DIR (NULL: /run/modrescue, or
 * $MODRESCUE_RUNDIR), waiting for another holder. *WAITED says whether
 * one had it. Returns an fd to pass to mr_module_unlock(), or a negative
 * errno when no lock could be made.
 */
int mr_module_lock(const char *dir, const char *name, bool *waited);
void mr_module_unlock(int fd);

/*
 * mr_module_lock() in the default place, saying in R when it had to wait
 * for another modrescue, or could not lock at all (then it goes on
 * unserialised). Returns what mr_module_unlock() takes.
 */
int mr_module_lock_reported(const char *name, struct mr_unload_report *r);

#endif /* MODRESCUE_MODLOCK_H */
