/* SPDX-License-Identifier: GPL-2.0 */
/* Livepatches and the modules they patch, from /sys/kernel/livepatch. */
#ifndef MODRESCUE_LIVEPATCH_H
#define MODRESCUE_LIVEPATCH_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Is NAME a livepatch module, or a module some livepatch patches (it
 * matches its objects by module name, /sys/kernel/livepatch/P/NAME)? Its
 * references are then never reset, nor is it quarantined: a patch may
 * still redirect into its code, or patch the fixed build under the same
 * name. True, with WHY set, when it is either.
 */
bool mr_livepatch_involved(const char *name, char *why, size_t len);

#endif /* MODRESCUE_LIVEPATCH_H */
