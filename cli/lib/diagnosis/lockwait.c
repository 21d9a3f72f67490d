// SPDX-License-Identifier: GPL-2.0
#include "lockwait.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lockrender.h"

void mr_lock_waits_free(struct mr_lock_wait *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(w[i].symbol);
		free(w[i].acquired_at);
	}
	free(w);
}

bool mr_lock_owner_dead(const struct mr_lock_owner *o)
{
	return !o->alive || (o->task.pid == 0 && !o->task.comm[0]);
}

/* Does S ("sym [mod]", "func+0x1/0x2 [mod]") name module MOD? */
static bool names_module(const char *s, const char *mod)
{
	char m[MR_MODNAME_LEN];

	return s && mr_frame_module(s, m, sizeof(m)) && !strcmp(m, mod);
}

/* M's task reference with pid PID, or NULL. */
static const struct mr_task_ref *ref_of(const struct mr_diag *d,
					const struct mr_module *m, int pid)
{
	size_t i;

	if (pid <= 0)
		return NULL;
	for (i = 0; i < m->n_tasks; i++)
		if (d->tasks[m->tasks[i].task].pid == pid)
			return &m->tasks[i];
	return NULL;
}

/* Fill *W from waiter SW and its lock's holder L (or NULL); 0 or -ENOMEM. */
static int fill(struct mr_lock_wait *w, const struct mr_diag *d,
		const struct mr_task_ref *ref, const struct mr_lock_waiter *sw,
		const struct mr_held_lock *l)
{
	const char *symbol = l && l->symbol ? l->symbol :
			     sw->symbol[0]  ? sw->symbol :
					      NULL;

	memset(w, 0, sizeof(*w));
	w->waiter = sw->task;
	w->waiting_ns = sw->waiting_ns;
	w->state = ref ? d->tasks[ref->task].state : '?';
	w->module_task = ref != NULL;
	w->stuck = ref && ref->stuck;
	w->lock = sw->lock;
	if (symbol && !(w->symbol = strdup(symbol)))
		return -ENOMEM;
	if (!l)
		return 0;
	w->held = true;
	w->owner = l->owner;
	w->held_ns = l->held_ns;
	w->acquired_at = strdup(l->acquired_at ? l->acquired_at : "");
	return w->acquired_at ? 0 : -ENOMEM;
}

static int rank(const struct mr_lock_wait *w)
{
	return w->stuck ? 0 : w->module_task ? 1 : 2;
}

static int cmp_wait(const void *pa, const void *pb)
{
	const struct mr_lock_wait *a = pa, *b = pb;
	int c = rank(a) - rank(b);

	if (!c)
		c = (a->waiter.pid > b->waiter.pid) -
		    (a->waiter.pid < b->waiter.pid);
	if (!c)
		c = (a->waiter.cpu > b->waiter.cpu) -
		    (a->waiter.cpu < b->waiter.cpu);
	return c;
}

int mr_lock_waits_match(const struct mr_diag *d, const struct mr_module *m,
			const struct mr_lock_snapshot *s,
			struct mr_lock_wait **out, size_t *n)
{
	struct mr_lock_wait *w;
	size_t i, k = 0;

	*out = NULL;
	*n = 0;
	if (!s->n_waiters)
		return 0;
	w = calloc(s->n_waiters, sizeof(*w));
	if (!w)
		return -ENOMEM;
	for (i = 0; i < s->n_waiters; i++) {
		const struct mr_lock_waiter *sw = &s->waiters[i];
		const struct mr_task_ref *ref = ref_of(d, m, sw->task.pid);
		size_t h = mr_lock_first_holder(s, sw->lock);
		const struct mr_held_lock *l = h < s->n_locks ? &s->locks[h] :
								NULL;
		bool ours = ref || names_module(sw->symbol, m->name);

		if (l)
			ours = ours || names_module(l->symbol, m->name) ||
			       names_module(l->acquired_at, m->name) ||
			       (l->owner.alive &&
				ref_of(d, m, l->owner.task.pid));
		if (!ours)
			continue;
		if (fill(&w[k++], d, ref, sw, l)) {
			mr_lock_waits_free(w, k);
			return -ENOMEM;
		}
	}
	if (!k) {
		free(w);
		return 0;
	}
	qsort(w, k, sizeof(*w), cmp_wait);
	*out = w;
	*n = k;
	return 0;
}

/* Does TEXT name function FUNC as a frame: "FUNC+0x" or "FUNC.isra"? */
static bool names_func(const char *text, const char *func)
{
	size_t n = strlen(func);
	const char *p;

	if (!n)
		return false;
	for (p = strstr(text, func); p; p = strstr(p + 1, func)) {
		bool start = p == text ||
			     !(isalnum((unsigned char)p[-1]) || p[-1] == '_');

		if (start && (p[n] == '+' || p[n] == '.'))
			return true;
	}
	return false;
}

static bool is_owners_oops(const struct mr_lock_wait *w,
			   const struct mr_oops *o, const char *func)
{
	const struct mr_lock_owner *ow = &w->owner;

	if (o->cpu < 0)
		return false;
	if (ow->task.pid > 0)
		return o->pid == ow->task.pid &&
		       (!ow->task.comm[0] || !strcmp(o->comm, ow->task.comm));
	/* Gone: lockwatch no longer gives its pid. */
	return ow->task.pid == 0 && !ow->task.comm[0] &&
	       ow->context == MR_LOCK_CTX_TASK && o->cpu == ow->task.cpu &&
	       o->text && names_func(o->text, func);
}

void mr_lock_wait_mark_oops(struct mr_lock_wait *w, const struct mr_oops *o,
			    size_t n)
{
	char func[128];
	size_t i;

	if (!w->held || !mr_lock_owner_dead(&w->owner) || w->owner.oopsed)
		return;
	mr_frame_func(w->acquired_at ? w->acquired_at : "", func, sizeof(func));
	for (i = n; i-- > 0;) {
		if (!is_owners_oops(w, &o[i], func))
			continue;
		w->owner.oopsed = true;
		/* The helper gives a gone owner's pid at most, never its comm. */
		if (w->owner.task.pid == 0 || !w->owner.task.comm[0]) {
			w->owner.task.pid = o[i].pid;
			snprintf(w->owner.task.comm, sizeof(w->owner.task.comm),
				 "%s", o[i].comm);
			w->owner_from_log = true;
		}
		return;
	}
}

const char *mr_lock_owner_fate(const struct mr_lock_owner *o)
{
	if (o->oopsed)
		return "dead: oopsed";
	return mr_lock_owner_dead(o) ? "dead" : "";
}

static const char *verb(char state)
{
	switch (state) {
	case 'D':
	case 'S':
		return "sleeps on";
	case '?':
		return "waits for";
	default:
		return "spins on";
	}
}

/* The owner, "pid 99 (hp_x, dead: oopsed)" or "a task that has exited". */
static void owner_text(const struct mr_lock_wait *w, char *buf, size_t len)
{
	const struct mr_lock_owner *o = &w->owner;
	const char *fate = mr_lock_owner_fate(o);
	char ctx[48] = "";

	if (o->context != MR_LOCK_CTX_TASK)
		snprintf(ctx, sizeof(ctx), ", in %s on cpu %d",
			 mr_lock_context_name(o->context), o->task.cpu);
	if (o->task.pid == 0 && !o->task.comm[0])
		snprintf(buf, len, "a task that has exited (%s, on cpu %d)",
			 fate, o->task.cpu);
	else if (!o->task.comm[0])
		snprintf(buf, len, "pid %d (exited, %s, on cpu %d)",
			 o->task.pid, fate[0] ? fate : "dead", o->task.cpu);
	else
		snprintf(buf, len, "pid %d (%s%s%s%s)", o->task.pid,
			 o->task.comm, fate[0] ? ", " : "", fate, ctx);
}

void mr_lock_wait_text(const struct mr_lock_wait *w, char *buf, size_t len)
{
	char lock[MR_LOCK_SYMBOL_LEN + 32], held[32], owner[128];

	if (w->symbol)
		snprintf(lock, sizeof(lock), "%s", w->symbol);
	else
		snprintf(lock, sizeof(lock), "lock 0x%" PRIx64, w->lock);
	if (!w->held) {
		snprintf(
			buf, len,
			"pid %d (%s) %s %s, whose holder lockwatch does not know (taken before it was armed, or its state is uncertain)",
			w->waiter.pid, w->waiter.comm, verb(w->state), lock);
		return;
	}
	mr_lock_duration_text(w->held_ns, held, sizeof(held));
	owner_text(w, owner, sizeof(owner));
	snprintf(buf, len, "pid %d (%s) %s %s, held %s by %s, taken at %s",
		 w->waiter.pid, w->waiter.comm, verb(w->state), lock, held,
		 owner,
		 w->acquired_at && *w->acquired_at ? w->acquired_at : "?");
}

int mr_diag_lock_waits(struct mr_diag *d, const struct mr_lock_snapshot *s)
{
	size_t i;

	for (i = 0; i < d->n_mods; i++) {
		struct mr_module *m = &d->mods[i];

		mr_lock_waits_free(m->lock_waits, m->n_lock_waits);
		m->lock_waits = NULL;
		m->n_lock_waits = 0;
		if (mr_lock_waits_match(d, m, s, &m->lock_waits,
					&m->n_lock_waits))
			return -ENOMEM;
	}
	d->lockwatch = MR_LOCKWATCH_ON;
	return 0;
}

bool mr_diag_dead_owners(const struct mr_diag *d)
{
	size_t i, k;

	for (i = 0; i < d->n_mods; i++)
		for (k = 0; k < d->mods[i].n_lock_waits; k++)
			if (d->mods[i].lock_waits[k].held &&
			    mr_lock_owner_dead(&d->mods[i].lock_waits[k].owner))
				return true;
	return false;
}

void mr_diag_mark_oopses(struct mr_diag *d, const struct mr_oops_log *log)
{
	size_t i, k;

	for (i = 0; i < d->n_mods; i++)
		for (k = 0; k < d->mods[i].n_lock_waits; k++)
			mr_lock_wait_mark_oops(&d->mods[i].lock_waits[k],
					       log->oopses, log->n);
}
