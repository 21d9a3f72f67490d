/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rescuing a task stuck in a module's init or exit (issue 5): release it
 * through the helper's UNBLOCK when it waits on a completion the helper can
 * check, and let it finish on its own; otherwise quarantine the module
 * (QUARANTINE: renamed NAME.qN, memory kept, the name free for a fixed
 * build).
 *
 * rescue_policy.c is the pure part (no I/O): which stuck tasks may even be
 * tried, and the words for what the helper said. rescue.c does the rest.
 */
#ifndef MODRESCUE_RESCUE_H
#define MODRESCUE_RESCUE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "plan.h"
#include "outcome.h"
#include "session.h"
#include "uapi/modrescue.h"

/* ---- pure (rescue_policy.c) ---- */

/*
 * May T, stuck in module MOD's init or exit, be handed to the helper for
 * release? Only a task asleep uninterruptibly (D) whose innermost frame in
 * /proc/PID/stack is MOD's own code (the scheduler's wait functions do not
 * show there: the module itself waits) and that is nowhere in
 * kthread_stop(), whose completion lives in the stopped thread's freed
 * struct kthread (seed 003). The helper checks again, and more, in the
 * kernel. On false, WHY says why not.
 */
bool mr_release_allowed(const struct mr_task *t, const char *mod, char *why,
			size_t len);

/* Words for a MODRESCUE_UNBLOCK_* reason: "it does not wait on ...". */
const char *mr_unblock_reason_text(unsigned int reason);

/*
 * Where the completion was, in words, from an UNBLOCK result. Its address
 * only when the helper gave one (kptr_restrict lets the caller see it),
 * and a symbol only when it is one, never a raw "0x..." address.
 */
void mr_unblock_place_text(const struct modrescue_unblock *u, char *buf,
			   size_t len);

/* Where the wait was called (u->caller), or "an unnamed place". */
void mr_unblock_caller_text(const struct modrescue_unblock *u, char *buf,
			    size_t len);

/*
 * Why the helper did not release the task, from an UNBLOCK result: the
 * reason's words, with the stack's owner for MODRESCUE_UNBLOCK_ON_STACK.
 */
void mr_unblock_refusal_text(const struct modrescue_unblock *u, char *buf,
			     size_t len);

/*
 * The risk that remains once the completion was completed by hand, for a
 * "risk: ..." step (module data, slab, a forced stack); "" for none.
 */
void mr_unblock_risk_text(const struct modrescue_unblock *u, char *buf,
			  size_t len);

/* ---- the rescue (rescue.c) ---- */

enum mr_rescue_status {
	MR_RESCUE_FINISHED, /* released; the stuck task finished on its own */
	MR_RESCUE_QUARANTINED, /* the module is NAME.qN now */
	MR_RESCUE_REFUSED, /* r->error says why */
	MR_RESCUE_FAILED, /* r->error says why */
};

/*
 * Rescue module NAME, which has a task stuck in its init or exit (planned
 * MR_PLAN_RESCUE): release the task if the helper can, and wait until it
 * finishes; a task that gets stuck again is tried again, a few times. A
 * task that cannot be released gets the module quarantined, unless FLAGS
 * has MR_UNLOAD_NO_QUARANTINE (then: refused). Steps go to R; the new name
 * to QNAME (MR_MODNAME_LEN bytes) when quarantined.
 */
enum mr_rescue_status mr_rescue_stuck(struct kmod_ctx *ctx,
				      struct mr_helper_session *s,
				      const char *name, unsigned int flags,
				      struct mr_unload_report *r, char *qname);

/*
 * modrescue unblock PID: release PID, which must be stuck in a module's
 * init or exit, and wait until it finishes. FLAGS are MODRESCUE_UNBLOCK_*:
 * DRY_RUN asks the helper to check only; FORCE_STACK (the user's --force)
 * lets it complete a completion on a task's stack. Returns MR_UNLOADED for
 * released (or, with DRY_RUN, MR_PLANNED), MR_REFUSED or MR_FAILED, with
 * steps and error in R.
 */
enum mr_unload_result mr_unblock_pid(struct kmod_ctx *ctx,
				     struct mr_helper_session *s, int pid,
				     unsigned int flags,
				     struct mr_unload_report *r);

/*
 * The quarantined copy of NAME, if /proc/modules lists one ("NAME.qN"),
 * into BUF. Returns true when found.
 */
bool mr_find_quarantined(const char *name, char *buf, size_t len);

#endif /* MODRESCUE_RESCUE_H */
