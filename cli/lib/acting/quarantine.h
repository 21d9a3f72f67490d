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

#endif /* MODRESCUE_QUARANTINE_H */
