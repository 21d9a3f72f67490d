// SPDX-License-Identifier: GPL-2.0
/* What a crashed init or exit left registered. See crashed.h. */
#include "crashed.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "helper.h"
#include "pause.h"
#include "plan.h"
#include "quarantine.h"

/* Most leftovers listed; more are counted. */
#define MAX_LEFTOVERS 32

struct leftovers {
	struct modrescue_leftover items[MAX_LEFTOVERS];
	struct modrescue_leftovers out;
	size_t n; /* listed in items */
};

static const char *crashed_part(unsigned int expect_state)
{
	return expect_state == MODRESCUE_STATE_COMING ? "init" : "exit";
}

/* Ask the helper; R fails (with why) when it cannot look. */
static bool look(struct mr_helper_session *s, const char *name,
		 unsigned int expect_state, unsigned int flags,
		 struct leftovers *l, struct mr_unload_report *r)
{
	int tries = 0, ret;
	size_t i;

	/*
	 * A user seen after the search refuses it, changing nothing: it may
	 * be another modrescue passing by (MR_RECHECKS, pause.h).
	 */
	for (;;) {
		ret = mr_helper_leftovers(s->fd, name, expect_state, flags,
					  l->items, MAX_LEFTOVERS, &l->out);
		if (ret != -EBUSY || tries++ == MR_RECHECKS)
			break;
		mr_sleep_ms(MR_RECHECK_MS);
	}

	l->n = 0;
	if (ret == -EOPNOTSUPP) {
		mr_report_result(
			r, MR_FAILED,
			"the helper cannot look for what %s's crashed %s left registered: it was not given the kernel's static data (/proc/kallsyms has no _sdata, __bss_start or __per_cpu_start?); nothing was changed",
			name, crashed_part(expect_state));
		return false;
	}
	if (ret) {
		mr_report_result(
			r, MR_FAILED,
			"the helper cannot look for what %s's crashed %s left registered: %s; nothing was changed",
			name, crashed_part(expect_state),
			ret == -ESTALE ? "its state changed meanwhile" :
			ret == -EBUSY  ? "a user appeared meanwhile" :
					 strerror(-ret));
		return false;
	}
	l->n = l->out.found < MAX_LEFTOVERS ? l->out.found : MAX_LEFTOVERS;
	for (i = 0; i < l->n; i++)
		l->items[i].what[sizeof(l->items[i].what) - 1] = '\0';
	return true;
}

static void report_cost(const struct leftovers *l, struct mr_unload_report *r)
{
	mr_report_step(
		r,
		"leftovers: %u found in the kernel (%llu KiB of kernel memory read in %llu ms)",
		l->out.found, (unsigned long long)(l->out.scanned / 1024),
		(unsigned long long)(l->out.nsecs / 1000000));
}

static void report_items(const struct leftovers *l, struct mr_unload_report *r)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		mr_report_step(
			r, "leftover: %s%s", l->items[i].what,
			(l->items[i].flags & MODRESCUE_LEFTOVER_COLLIDES) ?
				" (a fixed build registering it again fails while it stays)" :
				"");
	if (l->out.found > l->n)
		mr_report_step(r, "leftover: and %u more",
			       l->out.found - (unsigned int)l->n);
}

/* "a, b, c": the leftovers in one line, for a refusal. */
static void items_text(const struct leftovers *l, char *buf, size_t len)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < l->n && used < len; i++) {
		int n = snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
				 l->items[i].what);

		if (n < 0)
			break;
		used += (size_t)n;
	}
}

static size_t count_undoable(const struct leftovers *l)
{
	size_t i, n = 0;

	for (i = 0; i < l->n; i++)
		n += !!(l->items[i].flags & MODRESCUE_LEFTOVER_UNDOABLE);
	return n;
}

static bool still_there(const struct leftovers *l, const char *what)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->items[i].what, what))
			return true;
	return false;
}

/* --finish-exit: undo the exact kinds, and say which went. */
static bool finish_exit(struct mr_helper_session *s, const char *name,
			unsigned int expect_state, struct leftovers *l,
			struct mr_unload_report *r)
{
	struct leftovers before = *l;
	size_t i;

	if (!look(s, name, expect_state, MODRESCUE_LEFTOVERS_FINISH, l, r))
		return false;
	for (i = 0; i < before.n; i++)
		if ((before.items[i].flags & MODRESCUE_LEFTOVER_UNDOABLE) &&
		    !still_there(l, before.items[i].what))
			mr_report_step(r, "finish-exit: undid %s",
				       before.items[i].what);
	mr_report_step(
		r,
		"helper: --finish-exit undid %u leftover%s with the kernel's own calls; kernel tainted (R)",
		l->out.undone, l->out.undone == 1 ? "" : "s");
	report_cost(l, r);
	report_items(l, r);
	return true;
}

enum mr_leftovers_status
mr_leftovers_settle(struct mr_helper_session *s, const char *name,
		    unsigned int expect_state, unsigned int flags,
		    struct mr_unload_report *r, char *qname)
{
	struct leftovers l;

	if (!look(s, name, expect_state, 0, &l, r))
		return MR_LEFTOVERS_STOPPED;
	report_cost(&l, r);
	report_items(&l, r);
	if (l.out.found && (flags & MR_UNLOAD_FINISH_EXIT) &&
	    count_undoable(&l) && !finish_exit(s, name, expect_state, &l, r))
		return MR_LEFTOVERS_STOPPED;
	if (!l.out.found)
		return MR_LEFTOVERS_NONE;
	if (flags & MR_UNLOAD_NO_QUARANTINE) {
		char what[1024];

		items_text(&l, what, sizeof(what));
		mr_report_result(
			r, MR_REFUSED,
			"Module %s: its crashed %s left %u thing%s registered that point%s into it: %s; not quarantined (--no-quarantine)",
			name, crashed_part(expect_state), l.out.found,
			l.out.found == 1 ? "" : "s",
			l.out.found == 1 ? "s" : "", what);
		return MR_LEFTOVERS_STOPPED;
	}
	return mr_quarantine_module(s, name, expect_state, 0, NULL, r, qname) ==
			       MR_RESCUE_QUARANTINED ?
		       MR_LEFTOVERS_QUARANTINED :
		       MR_LEFTOVERS_STOPPED;
}

enum mr_leftovers_status mr_leftovers_preview(struct mr_helper_session *s,
					      const char *name,
					      unsigned int expect_state,
					      unsigned int flags,
					      struct mr_unload_report *r)
{
	struct leftovers l;
	size_t undoable;

	if (!look(s, name, expect_state, 0, &l, r))
		return MR_LEFTOVERS_STOPPED;
	report_cost(&l, r);
	report_items(&l, r);
	if (!l.out.found)
		return MR_LEFTOVERS_NONE;
	undoable = count_undoable(&l);
	if ((flags & MR_UNLOAD_FINISH_EXIT) && undoable)
		mr_report_step(
			r,
			"would: undo %zu of them with the kernel's own calls (--finish-exit), then look again",
			undoable);
	if ((flags & MR_UNLOAD_FINISH_EXIT) && undoable == l.out.found)
		return MR_LEFTOVERS_NONE;
	mr_report_step(
		r, "would: %s",
		(flags & MR_UNLOAD_NO_QUARANTINE) ?
			"refuse to free it while they stay (--no-quarantine)" :
			"quarantine the module instead of freeing it (rename it, keep its memory; taints R)");
	return MR_LEFTOVERS_QUARANTINED;
}
