// SPDX-License-Identifier: GPL-2.0
/* Quarantine a module that cannot be freed safely. See quarantine.h. */
#include "quarantine.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "helper.h"
#include "leftovers.h"
#include "livepatch.h"

/*
 * The helper's answer RET to quarantining NAME: false (reported) on an
 * error or a bad name; else the copy's name, from Q, into QNAME.
 */
static bool quarantine_named(int ret, const char *name,
			     struct modrescue_quarantine *q, char *qname,
			     struct mr_unload_report *r)
{
	if (ret) {
		mr_report_result(r, MR_FAILED, "could not quarantine %s: %s",
				 name,
				 ret == -ESTALE ?
					 "its state changed meanwhile" :
					 strerror(-ret));
		return false;
	}
	q->new_name[sizeof(q->new_name) - 1] = '\0';
	if (strlen(q->new_name) >= MR_MODNAME_LEN) {
		mr_report_result(r, MR_FAILED, "the helper gave a bad name");
		return false;
	}
	memcpy(qname, q->new_name, strlen(q->new_name) + 1);
	return true;
}

/*
 * The step that says NAME is now QNAME, its memory kept for PID (COMM), or
 * else kept with WHAT.
 */
static void report_renamed(const char *name, const char *qname, int pid,
			   const char *comm, const char *what,
			   struct mr_unload_report *r)
{
	if (pid)
		mr_report_step(
			r,
			"renamed %s to %s and kept its memory for pid %d (%s): the name %s is free for a fixed build; kernel tainted (R)",
			name, qname, pid, comm, name);
	else
		mr_report_step(
			r,
			"renamed %s to %s and kept its memory%s: the name %s is free for a fixed build; kernel tainted (R)",
			name, qname, what, name);
}

/* What the helper did besides renaming, each in a step of its own. */
static void report_done(const struct modrescue_quarantine *q, int pid,
			const char *comm, struct mr_unload_report *r)
{
	if (q->done & MODRESCUE_QUARANTINE_EXPORTS)
		mr_report_step(r, "its exported symbols are hidden");
	if (q->done & MODRESCUE_QUARANTINE_PARKED)
		mr_report_step(
			r,
			"pid %d (%s) is parked out of the hung-task detector (it shows as I)",
			pid, comm);
	if (q->done & MODRESCUE_QUARANTINE_LOADER)
		mr_report_step(
			r,
			"pid %d (%s) left the kernel's idempotent-load table: the same .ko file loads again",
			pid, comm);
}

enum mr_rescue_status
mr_quarantine_module(struct mr_helper_session *s, const char *name,
		     unsigned int expect_state, int pid, const char *comm,
		     struct mr_unload_report *r, char *qname)
{
	struct modrescue_quarantine q;
	char left[512];
	int ret;

	if (mr_livepatch_involved(name, left, sizeof(left))) {
		if (pid)
			mr_report_result(r, MR_REFUSED,
					 "%s; pid %d (%s) stays stuck", left,
					 pid, comm);
		else
			mr_report_result(r, MR_REFUSED, "%s", left);
		return MR_RESCUE_REFUSED;
	}
	ret = mr_helper_quarantine(s->fd, name, expect_state, pid,
				   pid ? MODRESCUE_QUARANTINE_NOLOAD : 0, &q);
	if (!quarantine_named(ret, name, &q, qname, r))
		return MR_RESCUE_FAILED;
	report_renamed(name, qname, pid, comm,
		       ", with what is still registered in it", r);
	report_done(&q, pid, comm, r);
	if (mr_quarantine_leftovers("", name, qname, left, sizeof(left)))
		mr_report_step(
			r,
			"note: %s still registers what a fixed build of %s will ask for again, so its init may fail: %s",
			qname, name, left);
	return MR_RESCUE_QUARANTINED;
}

enum mr_rescue_status mr_quarantine_live(struct mr_helper_session *s,
					 const char *name, int pid,
					 const char *comm, const char *why,
					 struct mr_unload_report *r,
					 char *qname)
{
	struct modrescue_quarantine q;
	char left[512];
	int ret;

	mr_report_step(r, "its exit can never run safely: %s", why);
	if (mr_livepatch_involved(name, left, sizeof(left))) {
		mr_report_result(r, MR_REFUSED, "%s", left);
		return MR_RESCUE_REFUSED;
	}
	ret = mr_helper_quarantine(s->fd, name, MODRESCUE_STATE_LIVE, pid,
				   MODRESCUE_QUARANTINE_LIVE, &q);
	if (ret == -EBUSY) {
		mr_report_result(
			r, MR_REFUSED,
			"Module %s: the helper found a user%s, or modules use it; not quarantined, nothing was changed",
			name,
			pid ? " besides its parked task, or that task is no longer parked" :
			      "");
		return MR_RESCUE_REFUSED;
	}
	if (!quarantine_named(ret, name, &q, qname, r))
		return MR_RESCUE_FAILED;
	report_renamed(name, qname, pid, comm, "", r);
	if (q.done & MODRESCUE_QUARANTINE_EXIT_CLEARED)
		mr_report_step(
			r,
			"its exit was cleared and it is marked going: it never runs, and %s is never unloaded",
			qname);
	report_done(&q, pid, comm, r);
	return MR_RESCUE_QUARANTINED;
}
