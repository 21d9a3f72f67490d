/* SPDX-License-Identifier: GPL-2.0 */
/* Waiting between two looks at a kernel that is changing. */
#ifndef MODRESCUE_PAUSE_H
#define MODRESCUE_PAUSE_H

/*
 * A refusal that may come from another modrescue passing by (a word of its
 * scan in the module's code, its load of the helper) is looked at again,
 * MR_RECHECKS times, MR_RECHECK_MS apart: what is really there stays.
 */
#define MR_RECHECKS 10
#define MR_RECHECK_MS 100

/* Sleep MS milliseconds, through signals that interrupt the sleep. */
void mr_sleep_ms(long ms);

#endif /* MODRESCUE_PAUSE_H */
