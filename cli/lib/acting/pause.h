/* SPDX-License-Identifier: GPL-2.0 */
/* Waiting between two looks at a kernel that is changing. */
#ifndef MODRESCUE_PAUSE_H
#define MODRESCUE_PAUSE_H

/* Sleep MS milliseconds, through signals that interrupt the sleep. */
void mr_sleep_ms(long ms);

#endif /* MODRESCUE_PAUSE_H */
