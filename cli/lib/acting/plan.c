// SPDX-License-Identifier: GPL-2.0
#include "plan.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "explain.h"
#include "lockpick.h"

static void set_what(struct mr_plan *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void set_what(struct mr_plan *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->what, sizeof(p->what), fmt, ap);
	va_end(ap);
}

/* The plan's steps, from its kind: what each kind of way out takes. */
static void set_steps(struct mr_plan *p)
{
	static const enum mr_step delete[] = { MR_STEP_DELETE,
					       MR_STEP_CHECK_GONE };
	static const enum mr_step surgery[] = {
		MR_STEP_OPEN_HELPER, MR_STEP_CHECK_USERS, MR_STEP_SURGERY,
		MR_STEP_DELETE,	     MR_STEP_CHECK_GONE,  MR_STEP_MEND_LOADER,
	};
	static const enum mr_step crashed[] = {
		MR_STEP_OPEN_HELPER,	 MR_STEP_CHECK_USERS,
		MR_STEP_CHECK_LEFTOVERS, MR_STEP_SURGERY,
		MR_STEP_DELETE,		 MR_STEP_CHECK_GONE,
		MR_STEP_MEND_LOADER,
	};
	static const enum mr_step rescue[] = { MR_STEP_OPEN_HELPER,
					       MR_STEP_RESCUE };
	static const enum mr_step quarantine[] = { MR_STEP_OPEN_HELPER,
						   MR_STEP_CHECK_USERS,
						   MR_STEP_QUARANTINE };
	const enum mr_step *v = NULL;
	size_t n = 0;

	switch (p->kind) {
	case MR_PLAN_DELETE:
	case MR_PLAN_DELETE_FORCED:
		v = delete;
		n = sizeof(delete) / sizeof(delete[0]);
		break;
	case MR_PLAN_SURGERY:
		/* A crashed init or exit: its leftovers are looked for. */
		v = p->expect_state == MODRESCUE_STATE_LIVE ? surgery : crashed;
		n = p->expect_state == MODRESCUE_STATE_LIVE ?
			    sizeof(surgery) / sizeof(surgery[0]) :
			    sizeof(crashed) / sizeof(crashed[0]);
		/* Only a crashed init leaves a loader's entry behind. */
		n -= p->expect_state != MODRESCUE_STATE_COMING;
		break;
	case MR_PLAN_RESCUE:
		v = rescue;
		n = sizeof(rescue) / sizeof(rescue[0]);
		break;
	case MR_PLAN_QUARANTINE_LIVE:
		v = quarantine;
		n = sizeof(quarantine) / sizeof(quarantine[0]);
		break;
	case MR_PLAN_LOCKS:
	case MR_PLAN_REFUSE:
		break;
	}
	memcpy(p->steps, v ? v : p->steps, n * sizeof(*p->steps));
	p->n_steps = n;
}

/* Put STEP at position AT, the others after it. */
static void insert_step(struct mr_plan *p, size_t at, enum mr_step step)
{
	if (p->n_steps == MR_PLAN_MAX_STEPS)
		return;
	memmove(&p->steps[at + 1], &p->steps[at],
		(p->n_steps - at) * sizeof(*p->steps));
	p->steps[at] = step;
	p->n_steps++;
}

/* Release the dead owners' locks first: after the helper is opened. */
static void lock_steps(struct mr_plan *p)
{
	static const enum mr_step spin[] = { MR_STEP_OPEN_HELPER,
					     MR_STEP_RELEASE_LOCKS,
					     MR_STEP_WAIT_STUCK };

	if (p->kind == MR_PLAN_LOCKS) {
		memcpy(p->steps, spin, sizeof(spin));
		p->n_steps = sizeof(spin) / sizeof(spin[0]);
		return;
	}
	if (!p->n_locks || p->kind == MR_PLAN_REFUSE)
		return;
	if (p->n_steps && p->steps[0] == MR_STEP_OPEN_HELPER) {
		insert_step(p, 1, MR_STEP_RELEASE_LOCKS);
	} else {
		insert_step(p, 0, MR_STEP_RELEASE_LOCKS);
		insert_step(p, 0, MR_STEP_OPEN_HELPER);
	}
}

const char *mr_step_name(enum mr_step step)
{
	switch (step) {
	case MR_STEP_RESCUE:
		return "rescue";
	case MR_STEP_OPEN_HELPER:
		return "open-helper";
	case MR_STEP_CHECK_USERS:
		return "check-users";
	case MR_STEP_CHECK_LEFTOVERS:
		return "check-leftovers";
	case MR_STEP_SURGERY:
		return "surgery";
	case MR_STEP_DELETE:
		return "delete";
	case MR_STEP_CHECK_GONE:
		return "check-gone";
	case MR_STEP_MEND_LOADER:
		return "mend-loader";
	case MR_STEP_RELEASE_LOCKS:
		return "release-locks";
	case MR_STEP_WAIT_STUCK:
		return "wait-stuck";
	case MR_STEP_QUARANTINE:
		return "quarantine";
	}
	return "?";
}

/* The first task running the module's code outside its init/exit, if any. */
static const struct mr_task_ref *task_in_code(const struct mr_module *m)
{
	size_t i;

	for (i = 0; i < m->n_tasks; i++)
		if (m->tasks[i].in_code && !m->tasks[i].stuck)
			return &m->tasks[i];
	return NULL;
}

static const struct mr_task_ref *stuck_task(const struct mr_module *m)
{
	size_t i;

	for (i = 0; i < m->n_tasks; i++)
		if (m->tasks[i].stuck)
			return &m->tasks[i];
	return NULL;
}

static void refuse_for_task(const struct mr_diag *d, const struct mr_module *m,
			    const struct mr_task_ref *ref, const char *doing,
			    struct mr_plan *p)
{
	const struct mr_task *t = &d->tasks[ref->task];
	char chain[160];

	mr_task_chain(t, chain, sizeof(chain));
	p->kind = MR_PLAN_REFUSE;
	set_what(p, "Module %s %s: pid %d (%s) in %s", m->name, doing, t->pid,
		 t->comm, chain);
}

/*
 * A task spinning on a CPU inside the module (a spinlock an oopsed thread
 * left held, without preemption) can be neither released nor parked, and
 * while it spins RCU cannot finish a grace period: loading the helper, or
 * any module, would hang behind it. Refuse before touching anything.
 */
static void refuse_spinning(const struct mr_diag *d, const struct mr_module *m,
			    const struct mr_task_ref *ref, const char *doing,
			    struct mr_plan *p)
{
	const struct mr_task *t = &d->tasks[ref->task];

	p->kind = MR_PLAN_REFUSE;
	set_what(
		p,
		"Module %s %s: pid %d (%s) spins on a CPU in it; it cannot be released, and no module (the helper included) can be loaded while it holds that CPU",
		m->name, doing, t->pid, t->comm);
}

static void refuse_for_holders(const struct mr_module *m, struct mr_plan *p)
{
	size_t i, n;

	p->kind = MR_PLAN_REFUSE;
	n = (size_t)snprintf(p->what, sizeof(p->what),
			     "Module %s is in use by:", m->name);
	for (i = 0; i < m->n_holders && n < sizeof(p->what); i++)
		n += (size_t)snprintf(p->what + n, sizeof(p->what) - n, " %s",
				      m->holders[i]);
	if (n < sizeof(p->what))
		snprintf(p->what + n, sizeof(p->what) - n,
			 " (unload them first, or use --cascade)");
}

/* A quarantined module: its task sleeps in it, so it stays. */
static void refuse_quarantined(const struct mr_diag *d,
			       const struct mr_module *m, struct mr_plan *p)
{
	const struct mr_task *t = NULL;
	size_t i;

	for (i = 0; i < m->n_tasks && !t; i++)
		if (m->tasks[i].in_code)
			t = &d->tasks[m->tasks[i].task];
	p->kind = MR_PLAN_REFUSE;
	if (t)
		set_what(
			p,
			"Module %s is quarantined: it cannot be freed while pid %d (%s) sleeps in it",
			m->name, t->pid, t->comm);
	else
		set_what(
			p,
			"Module %s is quarantined: it cannot be freed while its stuck task may still sleep in it",
			m->name);
}

/* Is PID one of M's tasks? */
static bool module_task(const struct mr_diag *d, const struct mr_module *m,
			int pid)
{
	size_t i;

	for (i = 0; i < m->n_tasks; i++)
		if (pid > 0 && d->tasks[m->tasks[i].task].pid == pid)
			return true;
	return false;
}

/* Does one of M's tasks wait on lock L? */
static bool module_waits(const struct mr_diag *d, const struct mr_module *m,
			 const struct mr_lock_snapshot *s,
			 const struct mr_held_lock *l)
{
	const struct mr_lock_waiter *w;
	size_t i, n = mr_lock_waiters_of(s, l->addr, &w);

	for (i = 0; i < n; i++)
		if (module_task(d, m, w[i].task.pid))
			return true;
	return false;
}

/* The first task waiting on L, if any, into PL. */
static void first_waiter(const struct mr_lock_snapshot *s,
			 const struct mr_held_lock *l, struct mr_plan_lock *pl)
{
	const struct mr_lock_waiter *w;

	pl->waiter_pid = 0;
	pl->waiter_comm[0] = '\0';
	if (!mr_lock_waiters_of(s, l->addr, &w) || w->task.pid <= 0)
		return;
	pl->waiter_pid = w->task.pid;
	snprintf(pl->waiter_comm, sizeof(pl->waiter_comm), "%s", w->task.comm);
}

/* The dead owners' locks of M (see mr_plan_unload_locks()) into P. */
static void stale_locks(const struct mr_diag *d, const struct mr_module *m,
			const struct mr_lock_snapshot *s, struct mr_plan *p)
{
	size_t i;

	for (i = 0; s && i < s->n_locks && p->n_locks < MR_PLAN_MAX_LOCKS;
	     i++) {
		const struct mr_held_lock *l = &s->locks[i];
		struct mr_plan_lock *pl = &p->locks[p->n_locks];

		if (!mr_lock_stale(l) || (!mr_lock_of_module(l, m->name) &&
					  !module_waits(d, m, s, l)))
			continue;
		/* One lock, one release, however many entries name it. */
		if (p->n_locks && p->locks[p->n_locks - 1].id == l->addr)
			continue;
		pl->id = l->addr;
		snprintf(pl->what, sizeof(pl->what), "%s, taken at %s",
			 l->symbol ? l->symbol : "an unnamed lock",
			 l->acquired_at);
		first_waiter(s, l, pl);
		p->n_locks++;
	}
}

/*
 * A lock of M that a dead task holds and that sleeps (PREEMPT_RT's
 * spinlock_t, an rtmutex): its exit would sleep on it for good, and no
 * exported function hands an rtmutex on from a dead owner. NULL if none.
 */
static const struct mr_held_lock *
dead_sleeping_lock(const struct mr_module *m, const struct mr_lock_snapshot *s)
{
	size_t i;

	for (i = 0; s && i < s->n_locks; i++) {
		const struct mr_held_lock *l = &s->locks[i];

		if (l->sleeping && !l->owner.alive &&
		    l->owner.context == MR_LOCK_CTX_TASK &&
		    mr_lock_of_module(l, m->name))
			return l;
	}
	return NULL;
}

/* Are all of M's tasks in its code parked there by the panic containment? */
static bool only_parked(const struct mr_module *m)
{
	size_t i, parked = 0;

	for (i = 0; i < m->n_tasks; i++) {
		if (m->tasks[i].stuck ||
		    (m->tasks[i].in_code && !m->tasks[i].parked))
			return false;
		parked += m->tasks[i].parked;
	}
	/* The helper checks one parked task in the kernel. */
	return parked == 1;
}

/*
 * A LIVE module with a task parked for good in its code: its exit would
 * free that code under the task (or wait for it, as kthread_stop() does,
 * for good). Quarantined instead.
 */
static void quarantine_parked(const struct mr_diag *d,
			      const struct mr_module *m,
			      const struct mr_task_ref *ref, struct mr_plan *p)
{
	const struct mr_task *t = &d->tasks[ref->task];

	(void)m;
	p->kind = MR_PLAN_QUARANTINE_LIVE;
	p->task = ref->task;
	p->stuck_pid = t->pid;
	snprintf(p->stuck_comm, sizeof(p->stuck_comm), "%s", t->comm);
	set_what(
		p,
		"pid %d (%s) is parked for good in its code by modrescue's panic containment: its exit would wait for that task or free the code it sleeps in",
		t->pid, t->comm);
}

static void plan_kind(const struct mr_diag *d, const struct mr_module *m,
		      const struct mr_lock_snapshot *s, unsigned int flags,
		      struct mr_plan *p)
{
	const struct mr_held_lock *sleeping;
	const struct mr_task_ref *ref;
	long refs;

	memset(p, 0, sizeof(*p));
	p->trunc = m->has_exit_known && !m->has_exit;
	stale_locks(d, m, s, p);

	if (m->quarantined) {
		refuse_quarantined(d, m, p);
		return;
	}
	ref = stuck_task(m);
	if (ref) {
		const char *doing = d->tasks[ref->task].syscall ==
						    MR_NR_DELETE_MODULE ?
					    "is stuck in its exit" :
					    "is stuck in its init";
		refuse_for_task(d, m, ref, doing, p);
		if (m->state != MR_STATE_GOING && m->state != MR_STATE_COMING)
			return;
		if (d->tasks[ref->task].on_cpu && p->n_locks) {
			p->kind = MR_PLAN_LOCKS;
			p->stuck_pid = d->tasks[ref->task].pid;
			snprintf(p->stuck_comm, sizeof(p->stuck_comm), "%s",
				 d->tasks[ref->task].comm);
			set_what(
				p,
				"pid %d (%s) spins in it on a lock whose owner is dead",
				d->tasks[ref->task].pid,
				d->tasks[ref->task].comm);
			return;
		}
		if (d->tasks[ref->task].on_cpu) {
			refuse_spinning(d, m, ref, doing, p);
			return;
		}
		/* Not refused after all: released, or else quarantined. */
		p->kind = MR_PLAN_RESCUE;
		p->task = ref->task;
		p->expect_state = m->state == MR_STATE_GOING ?
					  MODRESCUE_STATE_GOING :
					  MODRESCUE_STATE_COMING;
		return;
	}
	ref = task_in_code(m);
	if (ref && m->state == MR_STATE_LIVE && only_parked(m) &&
	    !m->n_holders) {
		quarantine_parked(d, m, ref, p);
		return;
	}
	if (ref) {
		refuse_for_task(d, m, ref, "is running code", p);
		return;
	}
	if (m->n_holders && !(flags & MR_UNLOAD_CASCADE)) {
		refuse_for_holders(m, p);
		return;
	}

	switch (m->state) {
	case MR_STATE_GOING:
		/* Its exit already ran, or died halfway: it must not run again. */
		p->kind = MR_PLAN_SURGERY;
		p->edits = MODRESCUE_EDIT_STATE_LIVE |
			   MODRESCUE_EDIT_CLEAR_EXIT |
			   MODRESCUE_EDIT_REFCNT_BASE;
		p->expect_state = MODRESCUE_STATE_GOING;
		p->trunc = true;
		set_what(p, "going, and no task is left in its exit");
		return;
	case MR_STATE_COMING:
		/* An exit runs only after a successful init: never this one. */
		p->kind = MR_PLAN_SURGERY;
		p->edits = MODRESCUE_EDIT_STATE_LIVE |
			   MODRESCUE_EDIT_CLEAR_EXIT |
			   MODRESCUE_EDIT_REFCNT_BASE;
		p->expect_state = MODRESCUE_STATE_COMING;
		p->trunc = true;
		set_what(p, "coming, and no task is left in its init");
		return;
	case MR_STATE_LIVE:
		break;
	default:
		p->kind = MR_PLAN_REFUSE;
		set_what(p, "Module %s is in a state modrescue cannot read",
			 m->name);
		return;
	}

	sleeping = dead_sleeping_lock(m, s);
	if (sleeping && !m->n_holders) {
		p->kind = MR_PLAN_QUARANTINE_LIVE;
		p->stuck_pid = 0;
		set_what(
			p,
			"its exit would sleep for good on %s, taken at %s, held by dead pid %d%s%s%s: a sleeping lock (PREEMPT_RT's spinlock_t, an rtmutex) that no exported function hands on from a dead owner",
			sleeping->symbol ? sleeping->symbol : "a lock",
			sleeping->acquired_at, sleeping->owner.task.pid,
			sleeping->owner.task.comm[0] ? " (" : "",
			sleeping->owner.task.comm,
			sleeping->owner.task.comm[0] ? ")" : "");
		return;
	}
	/*
	 * Each holder holds one reference; with --cascade they are unloaded
	 * first (a dry run plans with them still there).
	 */
	refs = m->refcnt -
	       ((flags & MR_UNLOAD_CASCADE) ? (long)m->n_holders : 0);
	if (m->refcnt_known && refs > 0) {
		p->kind = MR_PLAN_SURGERY;
		p->edits = MODRESCUE_EDIT_REFCNT_BASE;
		p->expect_state = MODRESCUE_STATE_LIVE;
		set_what(p, "in use (refcnt %ld)", refs);
	} else if (p->trunc) {
		p->kind = MR_PLAN_DELETE_FORCED;
		set_what(p, "has init but no exit");
	} else {
		p->kind = MR_PLAN_DELETE;
		set_what(p, "nothing blocks it");
	}
}

void mr_plan_unload(const struct mr_diag *d, const struct mr_module *m,
		    unsigned int flags, struct mr_plan *p)
{
	mr_plan_unload_locks(d, m, NULL, flags, p);
}

void mr_plan_unload_locks(const struct mr_diag *d, const struct mr_module *m,
			  const struct mr_lock_snapshot *s, unsigned int flags,
			  struct mr_plan *p)
{
	plan_kind(d, m, s, flags, p);
	if (p->kind == MR_PLAN_QUARANTINE_LIVE &&
	    (flags & MR_UNLOAD_NO_QUARANTINE)) {
		char why[sizeof(p->what)];

		snprintf(why, sizeof(why), "%s", p->what);
		p->kind = MR_PLAN_REFUSE;
		set_what(
			p,
			"Module %s cannot be unloaded: %s; not quarantined (--no-quarantine)",
			m->name, why);
	}
	set_steps(p);
	lock_steps(p);
}

void mr_plan_edits_text(unsigned int edits, char *buf, size_t len)
{
	static const struct {
		unsigned int edit;
		const char *text;
	} names[] = {
		{ MODRESCUE_EDIT_REFCNT_BASE, "reset refcount" },
		{ MODRESCUE_EDIT_CLEAR_EXIT, "clear exit" },
		{ MODRESCUE_EDIT_STATE_LIVE, "state -> live" },
	};
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]) && n < len; i++)
		if (edits & names[i].edit)
			n += (size_t)snprintf(buf + n, len - n, "%s%s",
					      n ? ", " : "", names[i].text);
}

/* Who the task is, in our PID namespace: pid 0 is a task we cannot see. */
static size_t describe_task(const struct modrescue_user *u, char *buf,
			    size_t len)
{
	if (u->pid > 0)
		return (size_t)snprintf(buf, len, "pid %d (%.16s)", u->pid,
					u->comm);
	return (size_t)snprintf(
		buf, len, "a task outside this PID namespace (%.16s)", u->comm);
}

static const char *file_kind_text(unsigned int kind)
{
	switch (kind) {
	case MODRESCUE_USER_BLOCKDEV:
		return "block device ";
	case MODRESCUE_USER_SOCKET:
		return "socket ";
	case MODRESCUE_USER_CHARDEV:
		return "char device ";
	default:
		return "";
	}
}

/* Append one user to WHY, kmod-style. */
static size_t describe_user(const struct modrescue_user *u, const char *path,
			    char *buf, size_t len)
{
	size_t n;

	switch (u->kind) {
	case MODRESCUE_USER_FILE:
	case MODRESCUE_USER_BLOCKDEV:
	case MODRESCUE_USER_SOCKET:
	case MODRESCUE_USER_CHARDEV:
		n = describe_task(u, buf, len);
		return n + (size_t)snprintf(buf + (n < len ? n : len),
					    n < len ? len - n : 0,
					    " fd %d %s%s", u->fd,
					    file_kind_text(u->kind),
					    path       ? path :
					    u->name[0] ? u->name :
							 "?");
	case MODRESCUE_USER_MAPPING:
		n = describe_task(u, buf, len);
		return n +
		       (size_t)snprintf(buf + (n < len ? n : len),
					n < len ? len - n : 0, " maps %.32s",
					u->name[0] ? u->name : "its memory");
	case MODRESCUE_USER_KTHREAD:
		return (size_t)snprintf(buf, len,
					"kthread pid %d (%.16s) runs its code",
					u->pid, u->comm);
	case MODRESCUE_USER_TASK:
		n = describe_task(u, buf, len);
		return n + (size_t)snprintf(buf + (n < len ? n : len),
					    n < len ? len - n : 0,
					    " has a frame in its code");
	case MODRESCUE_USER_SYSCALL:
		n = describe_task(u, buf, len);
		return n + (size_t)snprintf(buf + (n < len ? n : len),
					    n < len ? len - n : 0,
					    " is inside %.32s for it", u->name);
	case MODRESCUE_USER_NETDEV:
		return (size_t)snprintf(buf, len, "net device %.32s", u->name);
	case MODRESCUE_USER_MOUNT:
		return (size_t)snprintf(buf, len, "mounted filesystem %.32s",
					u->name);
	case MODRESCUE_USER_HOLDER:
		return (size_t)snprintf(buf, len, "module %.32s", u->name);
	default:
		return (size_t)snprintf(buf, len, "a user of kind %u", u->kind);
	}
}

size_t mr_users_describe(const struct modrescue_user *users, size_t n_users,
			 const char *const *paths, const char *const *mounts,
			 size_t n_mounts, char *why, size_t len)
{
	size_t i, n = 0;

	why[0] = '\0';
	for (i = 0; i < n_users && n < len; i++) {
		if (n)
			n += (size_t)snprintf(why + n, len - n, ", ");
		if (n < len)
			n += describe_user(&users[i], paths ? paths[i] : NULL,
					   why + n, len - n);
	}
	for (i = 0; i < n_mounts && n < len; i++)
		n += (size_t)snprintf(why + n, len - n, "%sa mount of %s",
				      n ? ", " : "", mounts[i]);
	return n_users + n_mounts;
}

void mr_unexplained_text(const char *name, long refs, char *buf, size_t len)
{
	snprintf(
		buf, len,
		"Module %s is in use: %ld reference%s that no open file, mapping, mount, net device, task or module explains (checked in the kernel, in every namespace). A qdisc, a netfilter rule, a crypto transform, a bound device or a leak may hold %s; if you know %s leaked, modrescue unload --force %s",
		name, refs, refs == 1 ? "" : "s", refs == 1 ? "it" : "them",
		refs == 1 ? "it is" : "they are", name);
}

enum mr_users_verdict mr_users_judge(size_t found, long refcnt,
				     unsigned int expect_state,
				     unsigned int flags)
{
	if (found)
		return MR_USERS_FOUND;
	if (expect_state != MODRESCUE_STATE_LIVE || refcnt <= 0)
		return MR_USERS_NONE;
	return (flags & MR_UNLOAD_FORCE) ? MR_USERS_LEAKED :
					   MR_USERS_UNEXPLAINED;
}
