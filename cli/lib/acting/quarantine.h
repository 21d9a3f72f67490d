/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Quarantine: a module that cannot be freed safely is renamed NAME.qN with
 * all its memory kept, so the name is free for a fixed build.
 */
#ifndef MODRESCUE_QUARANTINE_H
#define MODRESCUE_QUARANTINE_H

#include "outcome.h"
#include "rescue.h"
#include "session.h"

/*
 * Quarantine NAME (COMING or GOING, EXPECT_STATE). PID (COMM) is the task
 * stuck in it, parked out of the hung-task detector, or 0 when none is
 * (a crashed init or exit whose leftovers keep it). Steps go to R, the new
 * name to QNAME (MR_MODNAME_LEN bytes). A livepatch module is refused.
 */
enum mr_rescue_status
mr_quarantine_module(struct mr_helper_session *s, const char *name,
		     unsigned int expect_state, int pid, const char *comm,
		     struct mr_unload_report *r, char *qname);

/*
 * Quarantine NAME, LIVE, whose exit can never run safely (WHY says why):
 * PID (COMM) is the task the panic containment parked in its code, or 0
 * when a dead task holds one of its sleeping locks. The helper checks
 * again that no other user is found, clears its exit and marks it GOING,
 * so that nothing ever unloads it; nothing is freed.
 */
enum mr_rescue_status mr_quarantine_live(struct mr_helper_session *s,
					 const char *name, int pid,
					 const char *comm, const char *why,
					 struct mr_unload_report *r,
					 char *qname);

#endif /* MODRESCUE_QUARANTINE_H */
