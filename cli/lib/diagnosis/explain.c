// SPDX-License-Identifier: GPL-2.0
#include "explain.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crashfacts.h"
#include "lockwait.h"

#define CHAIN_LEN 512
#define WAIT_LEN 768

void mr_why_free(struct mr_why *w)
{
	size_t i;

	for (i = 0; i < w->n_reasons; i++)
		free(w->reasons[i]);
	free(w->reasons);
	for (i = 0; i < w->n_notes; i++)
		free(w->notes[i]);
	free(w->notes);
	free(w->remedy);
	memset(w, 0, sizeof(*w));
}

static char *vformat(const char *fmt, va_list ap)
{
	va_list aq;
	char *s;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		return NULL;
	s = malloc((size_t)n + 1);
	if (s)
		vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

/* Append a formatted line to *v; on failure set *err. */
static void __attribute__((format(printf, 4, 5)))
push(char ***v, size_t *n, int *err, const char *fmt, ...)
{
	char **nv, *s;
	va_list ap;

	if (*err)
		return;
	va_start(ap, fmt);
	s = vformat(fmt, ap);
	va_end(ap);
	nv = s ? realloc(*v, (*n + 1) * sizeof(*nv)) : NULL;
	if (!nv) {
		free(s);
		*err = -ENOMEM;
		return;
	}
	nv[(*n)++] = s;
	*v = nv;
}

static void __attribute__((format(printf, 3, 4)))
set_remedy(struct mr_why *w, int *err, const char *fmt, ...)
{
	va_list ap;

	if (*err)
		return;
	va_start(ap, fmt);
	w->remedy = vformat(fmt, ap);
	va_end(ap);
	if (!w->remedy)
		*err = -ENOMEM;
}

/* Append " <- " (unless first) and the frame's function [and module]. */
static void chain_add(char *buf, size_t len, const char *frame, bool first)
{
	char func[128], mod[MR_MODNAME_LEN];
	size_t used = strlen(buf);

	if (used >= len - 1)
		return;
	mr_frame_func(frame, func, sizeof(func));
	if (mr_frame_module(frame, mod, sizeof(mod)))
		snprintf(buf + used, len - used, "%s%s [%s]",
			 first ? "" : " <- ", func, mod);
	else
		snprintf(buf + used, len - used, "%s%s", first ? "" : " <- ",
			 func);
}

void mr_task_chain(const struct mr_task *t, char *buf, size_t len)
{
	char mod[MR_MODNAME_LEN];
	size_t i, last = 0;
	bool any = false;

	if (!len)
		return;
	buf[0] = '\0';
	if (!t->n_stack) {
		if (t->wchan && *t->wchan && strcmp(t->wchan, "0"))
			snprintf(buf, len, "%s", t->wchan);
		else if (t->on_cpu)
			snprintf(
				buf, len,
				"an unknown place (it is on a CPU, where the kernel shows neither its stack nor its syscall)");
		else
			snprintf(buf, len, "an unknown place (%s)",
				 t->stack_known ? "empty stack" :
						  "stack unreadable");
		return;
	}
	for (i = 0; i < t->n_stack; i++) {
		if (mr_frame_module(t->stack[i], mod, sizeof(mod))) {
			last = i;
			any = true;
		}
	}
	chain_add(buf, len, t->stack[0], true);
	if (!any)
		return;
	for (i = 1; i <= last; i++)
		if (mr_frame_module(t->stack[i], mod, sizeof(mod)))
			chain_add(buf, len, t->stack[i], false);
	if (last + 1 < t->n_stack)
		chain_add(buf, len, t->stack[last + 1], false);
}

static const char *how_stuck(char state)
{
	switch (state) {
	case 'D':
		return "blocked";
	case 'R':
		return "stuck, running,";
	default:
		return "stuck";
	}
}

/* The tracked locks task T waits for: reasons when it blocks, else notes. */
static void explain_task_locks(const struct mr_module *m,
			       const struct mr_task *t, bool blocks,
			       struct mr_why *w, int *err)
{
	char text[WAIT_LEN];
	size_t i;

	for (i = 0; i < m->n_lock_waits; i++) {
		if (!m->lock_waits[i].module_task ||
		    m->lock_waits[i].waiter.pid != t->pid)
			continue;
		mr_lock_wait_text(&m->lock_waits[i], text, sizeof(text));
		if (blocks)
			push(&w->reasons, &w->n_reasons, err, "%s", text);
		else
			push(&w->notes, &w->n_notes, err, "%s", text);
	}
}

/* Waits on the module's locks (or its tasks' locks) by other tasks. */
static void explain_other_locks(const struct mr_module *m, struct mr_why *w,
				int *err)
{
	char text[WAIT_LEN];
	size_t i;

	for (i = 0; i < m->n_lock_waits; i++) {
		if (m->lock_waits[i].module_task)
			continue;
		mr_lock_wait_text(&m->lock_waits[i], text, sizeof(text));
		push(&w->notes, &w->n_notes, err, "%s", text);
	}
}

/*
 * Lockwatch is off and a task is stuck on a CPU: it may spin on a lock that
 * lockwatch would name. One line, only then.
 */
static void lockwatch_hint(const struct mr_diag *d, const struct mr_module *m,
			   struct mr_why *w, int *err)
{
	size_t i;

	if (d->lockwatch != MR_LOCKWATCH_OFF)
		return;
	for (i = 0; i < m->n_tasks; i++) {
		const struct mr_task *t = &d->tasks[m->tasks[i].task];

		if (m->tasks[i].stuck && (t->state == 'R' || t->on_cpu)) {
			push(&w->notes, &w->n_notes, err,
			     "lockwatch is off: if %s (pid %d) spins on a spinlock, modrescue lockwatch on names the lock and its holder, for locks taken once it is on",
			     t->comm, t->pid);
			return;
		}
	}
}

static void explain_task(const struct mr_diag *d, const struct mr_module *m,
			 const struct mr_task_ref *ref, struct mr_why *w,
			 int *err)
{
	const struct mr_task *t = &d->tasks[ref->task];
	char chain[CHAIN_LEN], age[48] = "";
	const char *what = ref->op == MR_OP_LOAD ? "load" : "unload";

	mr_task_chain(t, chain, sizeof(chain));
	if (t->age_s >= 0)
		snprintf(age, sizeof(age), " for %ld s", t->age_s);
	if (ref->stuck && ref->guessed)
		push(&w->reasons, &w->n_reasons, err,
		     "%s (pid %d) has probably been %s%s in its %s: it is on a CPU, where the kernel shows neither its stack nor its syscall, and its command line names %s",
		     t->comm, t->pid, how_stuck(t->state), age,
		     ref->op == MR_OP_LOAD ? "init" : "exit", m->name);
	else if (ref->stuck)
		push(&w->reasons, &w->n_reasons, err,
		     "%s (pid %d) has been %s%s in %s", t->comm, t->pid,
		     how_stuck(t->state), age, chain);
	else if (ref->parked)
		push(&w->reasons, &w->n_reasons, err,
		     "%s (pid %d) is parked for good in its code by modrescue's panic containment (a contained panic): its code must stay, so unload refuses or quarantines it; reboot on your own schedule to be rid of it: %s",
		     t->comm, t->pid, chain);
	else if (ref->op != MR_OP_OTHER)
		push(&w->reasons, &w->n_reasons, err,
		     "%s (pid %d) is waiting to %s %s, outside its code, in %s",
		     t->comm, t->pid, what, m->name, chain);
	else
		push(&w->notes, &w->n_notes, err,
		     "%s (pid %d) is running its code: %s", t->comm, t->pid,
		     chain);
	explain_task_locks(m, t, ref->stuck || ref->op != MR_OP_OTHER, w, err);
}

/* "a, b and c" from a string vector. */
static void join(char *buf, size_t len, char *const *v, size_t n)
{
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		size_t used = strlen(buf);
		snprintf(buf + used, len - used, "%s%s",
			 i == 0	    ? "" :
			 i + 1 == n ? " and " :
				      ", ",
			 v[i]);
	}
}

static void explain_refs(const struct mr_diag *d, const struct mr_module *m,
			 struct mr_why *w, int *err)
{
	long extra = m->refcnt - (long)m->n_holders;
	size_t i;

	if (m->state != MR_STATE_LIVE || !m->refcnt_known || extra <= 0)
		return;
	if (m->n_holders)
		push(&w->reasons, &w->n_reasons, err,
		     "refcnt is %ld: %ld reference%s more than its holders explain",
		     m->refcnt, extra, extra == 1 ? "" : "s");
	else
		push(&w->reasons, &w->n_reasons, err,
		     "refcnt is %ld: something holds a reference to it",
		     m->refcnt);
	for (i = 0; i < m->n_openers; i++)
		push(&w->reasons, &w->n_reasons, err,
		     "held open by pid %d (%s) fd %d %s", m->openers[i].pid,
		     m->openers[i].comm, m->openers[i].fd, m->openers[i].path);
	for (i = 0; i < m->n_bdev_users; i++)
		push(&w->reasons, &w->n_reasons, err, "used by %s",
		     m->bdev_users[i]);
	if (m->n_openers || m->n_bdev_users || !d->openers_scanned)
		return;
	if (d->openers_denied)
		push(&w->reasons, &w->n_reasons, err,
		     "run as root to look for processes holding it open");
	else
		push(&w->reasons, &w->n_reasons, err,
		     "no process holds a device of it open; that does not make it a leak: a socket, a mount, a qdisc, a netfilter rule, a crypto transform or a bound device may hold it");
}

/* The oops that left it GOING or COMING: a reason; its absence, a note. */
static void explain_crash(const struct mr_module *m, struct mr_why *w, int *err)
{
	char text[512];

	if (m->crash.seen == MR_CRASH_UNASKED)
		return;
	mr_crash_text(m, text, sizeof(text));
	if (m->crash.seen == MR_CRASH_FOUND)
		push(&w->reasons, &w->n_reasons, err, "%s", text);
	else
		push(&w->notes, &w->n_notes, err, "%s", text);
}

static void explain_facts(const struct mr_diag *d, const struct mr_module *m,
			  bool stuck, struct mr_why *w, int *err)
{
	if (m->quarantined)
		push(&w->reasons, &w->n_reasons, err,
		     "quarantined: it cannot be freed while a task sleeps in it");
	if (m->state == MR_STATE_GOING && !stuck)
		push(&w->reasons, &w->n_reasons, err,
		     "unload started but no task is left in it (its exit crashed or was killed): the module stayed GOING");
	if (m->state == MR_STATE_COMING && !stuck) {
		if (d->tasks_denied)
			push(&w->reasons, &w->n_reasons, err,
			     "init is running or crashed (run as root to see which): the module stayed COMING");
		else
			push(&w->reasons, &w->n_reasons, err,
			     "init crashed: the module stayed COMING");
	}
	explain_crash(m, w, err);
	if (m->n_holders) {
		char list[512];

		join(list, sizeof(list), m->holders, m->n_holders);
		push(&w->reasons, &w->n_reasons, err,
		     "needed by %s: %s must be unloaded first", list,
		     m->n_holders == 1 ? "it" : "they");
	}
	explain_refs(d, m, w, err);
	if (m->has_exit_known && !m->has_exit)
		push(&w->reasons, &w->n_reasons, err,
		     "it has no exit function ([permanent] in /proc/modules): the kernel refuses to unload it without force");
	if (m->state == MR_STATE_UNKNOWN)
		push(&w->notes, &w->n_notes, err,
		     "its state could not be read");
	if (!m->refcnt_known)
		push(&w->notes, &w->n_notes, err,
		     "its refcount could not be read");
	if (d->tasks_denied)
		push(&w->notes, &w->n_notes, err,
		     "not root: tasks stuck in its init or exit cannot be seen");
}

static const struct mr_task *first_stuck(const struct mr_diag *d,
					 const struct mr_module *m)
{
	size_t i;

	for (i = 0; i < m->n_tasks; i++)
		if (m->tasks[i].stuck)
			return &d->tasks[m->tasks[i].task];
	return NULL;
}

/* A task inside init_module/finit_module for it, not stuck in its code. */
static const struct mr_task *first_loader(const struct mr_diag *d,
					  const struct mr_module *m)
{
	size_t i;

	for (i = 0; i < m->n_tasks; i++)
		if (!m->tasks[i].stuck && m->tasks[i].op == MR_OP_LOAD)
			return &d->tasks[m->tasks[i].task];
	return NULL;
}

static void remedy(const struct mr_diag *d, const struct mr_module *m,
		   struct mr_why *w, int *err)
{
	const struct mr_task *t;

	switch (m->verdict) {
	case MR_VERDICT_BLOCKED:
		t = first_stuck(d, m);
		set_remedy(
			w, err,
			"modrescue unload would release %s (pid %d) if it waits on a completion, and otherwise quarantine %s (rename it and keep its memory) so that a fixed build can be loaded",
			t ? t->comm : "the task", t ? t->pid : 0, m->name);
		break;
	case MR_VERDICT_QUARANTINED:
		set_remedy(
			w, err,
			"modrescue unload cannot free it while a task sleeps in it; a fixed build can be loaded under its original name");
		break;
	case MR_VERDICT_GOING:
		t = first_loader(d, m);
		if (t)
			set_remedy(
				w, err,
				"%s (pid %d) is unwinding its failed init and frees it itself; modrescue unload refuses until it returns, --force or not",
				t->comm, t->pid);
		else
			set_remedy(
				w, err,
				"modrescue unload would mark it LIVE with its exit cleared, so the half-run exit never runs again, and unload it through the kernel's delete_module");
		break;
	case MR_VERDICT_COMING:
		set_remedy(
			w, err,
			"modrescue unload would mark it LIVE and unload it through the kernel's delete_module, then (6.4+) cut the dead loader's entry from the kernel's idempotent-load table so the same .ko loads again");
		break;
	case MR_VERDICT_HAS_HOLDERS: {
		char list[512];

		join(list, sizeof(list), m->holders, m->n_holders);
		set_remedy(
			w, err,
			"modrescue unload refuses while %s depend%s on it; modrescue unload --cascade would unload %s first",
			list, m->n_holders == 1 ? "s" : "", list);
		break;
	}
	case MR_VERDICT_IN_USE:
		t = first_loader(d, m);
		if (t)
			set_remedy(
				w, err,
				"%s (pid %d) has not finished loading it and holds the loader's reference until it returns; modrescue unload refuses until then, --force or not",
				t->comm, t->pid);
		else if (m->n_openers)
			set_remedy(
				w, err,
				"modrescue unload refuses while pid %d (%s) holds it open; once it is closed, plain rmmod works",
				m->openers[0].pid, m->openers[0].comm);
		else if (m->n_bdev_users)
			set_remedy(
				w, err,
				"modrescue unload refuses, --force or not, while its block device%s in use (%s%s): swapoff it, remove the device stacked on it, or detach it (losetup -d), first",
				m->n_bdev_users == 1 ? " is" : "s are",
				m->bdev_users[0],
				m->n_bdev_users > 1 ? ", ..." : "");
		else
			set_remedy(
				w, err,
				"modrescue unload looks for every user in the kernel and refuses while any is found; if none is, and you know the reference%s leaked, modrescue unload --force %s resets the refcount and unloads it through the kernel's delete_module",
				m->refcnt == 1 ? " is" : "s are", m->name);
		break;
	case MR_VERDICT_NO_EXIT:
		set_remedy(
			w, err,
			"modrescue unload would force it out, as rmmod -f does");
		break;
	default:
		set_remedy(w, err, "nothing blocks it: plain rmmod works");
		break;
	}
}

int mr_explain(const struct mr_diag *d, const struct mr_module *m,
	       struct mr_why *w)
{
	bool stuck = false;
	int err = 0;
	size_t i;

	memset(w, 0, sizeof(*w));
	for (i = 0; i < m->n_tasks; i++) {
		if (m->tasks[i].stuck) {
			stuck = true;
			explain_task(d, m, &m->tasks[i], w, &err);
		}
	}
	for (i = 0; i < m->n_tasks; i++)
		if (!m->tasks[i].stuck && m->tasks[i].op != MR_OP_OTHER)
			explain_task(d, m, &m->tasks[i], w, &err);
	explain_facts(d, m, stuck, w, &err);
	for (i = 0; i < m->n_tasks; i++)
		if (m->tasks[i].op == MR_OP_OTHER)
			explain_task(d, m, &m->tasks[i], w, &err);
	explain_other_locks(m, w, &err);
	lockwatch_hint(d, m, w, &err);
	remedy(d, m, w, &err);
	if (err)
		mr_why_free(w);
	return err;
}
