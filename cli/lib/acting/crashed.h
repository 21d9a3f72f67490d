/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A module whose init or exit crashed (COMING or GOING, no task left in
 * it): before it is freed, the helper looks in the kernel for what it left
 * registered that still points into it (a pending timer, a misc device, a
 * notifier...). Found means not freed: the module is quarantined, or with
 * --no-quarantine the unload is refused; --finish-exit first undoes the
 * kinds whose exported undo is exact, then looks again.
 */
#ifndef MODRESCUE_CRASHED_H
#define MODRESCUE_CRASHED_H

#include "outcome.h"
#include "session.h"

enum mr_leftovers_status {
	MR_LEFTOVERS_NONE, /* nothing left: free it */
	MR_LEFTOVERS_QUARANTINED, /* kept as QNAME */
	MR_LEFTOVERS_STOPPED, /* refused or failed: R says why */
};

/*
 * Look for NAME's leftovers (EXPECT_STATE is MODRESCUE_STATE_COMING or
 * _GOING) and act on them as FLAGS (MR_UNLOAD_*) say. Each leftover is a
 * "leftover: ..." step of R; QNAME (MR_MODNAME_LEN bytes) gets the
 * quarantined name.
 */
enum mr_leftovers_status
mr_leftovers_settle(struct mr_helper_session *s, const char *name,
		    unsigned int expect_state, unsigned int flags,
		    struct mr_unload_report *r, char *qname);

/*
 * --dry-run: look (reading only) and say what unload would do with what is
 * found: NONE when it would go on to free the module (nothing found, or all
 * of it undone by --finish-exit), QUARANTINED when it would keep it
 * (quarantined or refused), STOPPED (R failed) when the helper cannot look.
 */
enum mr_leftovers_status mr_leftovers_preview(struct mr_helper_session *s,
					      const char *name,
					      unsigned int expect_state,
					      unsigned int flags,
					      struct mr_unload_report *r);

#endif /* MODRESCUE_CRASHED_H */
