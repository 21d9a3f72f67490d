/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The oops that left a module GOING (its exit crashed) or COMING (its init
 * crashed), from the kernel log, for why and status (issue 16): when it
 * happened, the task, and the module's frame as the kernel printed it.
 * Looked for only when no task is left in the module's init or exit: a
 * task still in it is the evidence itself.
 *
 * The kernel does not record which oops belongs to which load of a module:
 * the newest oops in the module's exit (for GOING) or init (for COMING)
 * with a frame in it is taken, so an older load's oops under the same name
 * can stand in for a GOING with none (an exit killed, not crashed). The
 * time printed lets the reader judge.
 *
 * Pure: the log is read by mr_oops_log_read_kmsg() (lockfacts.c), for the
 * diagnosis in diag.c.
 */
#ifndef MODRESCUE_CRASHFACTS_H
#define MODRESCUE_CRASHFACTS_H

#include <stdbool.h>

#include "diag.h"
#include "oopslog.h"

/* Is M GOING or COMING with no task left in its init or exit? */
bool mr_crash_wanted(const struct mr_module *m);

/* Fill m->crash from LOG (read, or not, by mr_oops_log_read_kmsg()). */
void mr_crash_from_log(struct mr_module *m, const struct mr_oops_log *log);

/*
 * The crash in words: "its exit oopsed at 123.456789 s after boot in pid
 * 93 (rmmod), in hp_x_exit+0x5/0x40 [hp_x]: BUG: kernel NULL pointer
 * dereference, address: 0000000000000000"; or why the log no longer shows
 * it. Empty when not looked for.
 */
void mr_crash_text(const struct mr_module *m, char *buf, size_t len);

/* "123.456789", as dmesg prints a record's time. */
void mr_crash_time_text(long long usec, char *buf, size_t len);

#endif /* MODRESCUE_CRASHFACTS_H */
