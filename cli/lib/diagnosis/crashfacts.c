// SPDX-License-Identifier: GPL-2.0
#include "crashfacts.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

bool mr_crash_wanted(const struct mr_module *m)
{
	size_t i;

	if (m->state != MR_STATE_GOING && m->state != MR_STATE_COMING)
		return false;
	for (i = 0; i < m->n_tasks; i++)
		if (m->tasks[i].stuck || m->tasks[i].op != MR_OP_OTHER)
			return false;
	return true;
}

void mr_crash_from_log(struct mr_module *m, const struct mr_oops_log *log)
{
	struct mr_crash *c = &m->crash;
	bool init = m->state == MR_STATE_COMING;
	const struct mr_oops *o;

	memset(c, 0, sizeof(*c));
	c->in_init = init;
	c->usec = -1;
	c->pid = -1;
	c->log_from_usec = -1;
	if (log->read_err) {
		c->seen = MR_CRASH_LOG_DENIED;
		c->log_err = log->read_err;
		return;
	}
	o = mr_oops_find(log, m->name, init ? MR_OOPS_IN_INIT : MR_OOPS_IN_EXIT,
			 c->frame, sizeof(c->frame));
	if (!o) {
		c->frame[0] = '\0';
		c->seen = MR_CRASH_NOT_IN_LOG;
		c->log_from_usec = log->first_usec;
		c->log_whole = log->first_seq == 0;
		return;
	}
	c->seen = MR_CRASH_FOUND;
	c->usec = o->usec;
	c->pid = o->pid;
	snprintf(c->comm, sizeof(c->comm), "%s", o->comm);
	snprintf(c->cause, sizeof(c->cause), "%s", o->cause);
}

void mr_crash_time_text(long long usec, char *buf, size_t len)
{
	if (usec < 0)
		snprintf(buf, len, "?");
	else
		snprintf(buf, len, "%lld.%06lld", usec / 1000000,
			 usec % 1000000);
}

void mr_crash_text(const struct mr_module *m, char *buf, size_t len)
{
	const struct mr_crash *c = &m->crash;
	const char *what = c->in_init ? "init" : "exit";
	const char *state = c->in_init ? "COMING" : "GOING";
	char when[40];

	if (!len)
		return;
	buf[0] = '\0';
	switch (c->seen) {
	case MR_CRASH_FOUND:
		mr_crash_time_text(c->usec, when, sizeof(when));
		snprintf(
			buf, len,
			"its %s oopsed at %s s after boot, in pid %d (%s), at %s%s%s",
			what, when, c->pid, c->comm, c->frame,
			c->cause[0] ? ": " : "", c->cause);
		break;
	case MR_CRASH_NOT_IN_LOG:
		if (c->log_whole)
			snprintf(
				buf, len,
				"the kernel log, whole since boot, shows no oops in its %s: it was left %s some other way (a task killed in it, or an oops the log did not keep)",
				what, state);
		else if (c->log_from_usec >= 0) {
			char from[40];

			mr_crash_time_text(c->log_from_usec, from,
					   sizeof(from));
			snprintf(
				buf, len,
				"the kernel log no longer shows the oops that left it %s: its oldest record is from %s s after boot, older ones have rotated out",
				state, from);
		} else {
			snprintf(
				buf, len,
				"the kernel log no longer shows the oops that left it %s (rotated out, or none was logged)",
				state);
		}
		break;
	case MR_CRASH_LOG_DENIED:
		snprintf(
			buf, len,
			"the kernel log cannot be read (%s%s): run as root to see the oops that left it %s",
			strerror(-c->log_err),
			c->log_err == -EPERM ? ", dmesg_restrict" : "", state);
		break;
	default:
		break;
	}
}
