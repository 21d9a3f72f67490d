// SPDX-License-Identifier: GPL-2.0
#include "render.h"

#include <ctype.h>
#include <inttypes.h>
#include <string.h>

#include "crashfacts.h"
#include "lockwait.h"

/* ---- JSON ---- */

/* json_object_object_add takes the value even on failure. */
static int add(struct json_object *obj, const char *key,
	       struct json_object *val)
{
	return json_object_object_add(obj, key, val);
}

static struct json_object *strv_json(char *const *v, size_t n)
{
	struct json_object *arr = json_object_new_array();
	size_t i;

	for (i = 0; arr && i < n; i++) {
		if (json_object_array_add(arr, json_object_new_string(v[i]))) {
			json_object_put(arr);
			return NULL;
		}
	}
	return arr;
}

/* Lockwatch's owner of a lock a task waits for. */
static struct json_object *owner_json(const struct mr_lock_wait *w)
{
	const struct mr_lock_owner *ow = &w->owner;
	struct json_object *o = json_object_new_object();

	if (!o || add(o, "pid", json_object_new_int(ow->task.pid)) ||
	    add(o, "comm", json_object_new_string(ow->task.comm)) ||
	    add(o, "cpu", json_object_new_int(ow->task.cpu)) ||
	    add(o, "context",
		json_object_new_string(mr_lock_context_name(ow->context))) ||
	    add(o, "alive", json_object_new_boolean(!mr_lock_owner_dead(ow))) ||
	    add(o, "oopsed", json_object_new_boolean(ow->oopsed)) ||
	    add(o, "named_by",
		json_object_new_string(w->owner_from_log ? "kernel log" :
							   "lockwatch"))) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static struct json_object *waiter_json(const struct mr_lock_wait *w)
{
	struct json_object *o = json_object_new_object();
	char state[2] = { w->state, '\0' };

	if (!o || add(o, "pid", json_object_new_int(w->waiter.pid)) ||
	    add(o, "comm", json_object_new_string(w->waiter.comm)) ||
	    add(o, "cpu", json_object_new_int(w->waiter.cpu)) ||
	    add(o, "state", json_object_new_string(state)) ||
	    add(o, "stuck", json_object_new_boolean(w->stuck))) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/*
 * {"lock":"0x…","symbol":"…"|null,"waiting_ns":N,"held":true,
 *  "owner":{…}|null,"acquired_at":"…"|null,"held_ns":N|null}, and with
 * WAITER first the waiting task under "waiter".
 */
static struct json_object *wait_json(const struct mr_lock_wait *w, bool waiter)
{
	struct json_object *o = json_object_new_object();
	char id[24];

	snprintf(id, sizeof(id), "0x%" PRIx64, w->lock);
	if (!o || (waiter && add(o, "waiter", waiter_json(w))) ||
	    (waiter && !json_object_object_get(o, "waiter")) ||
	    add(o, "lock", json_object_new_string(id)) ||
	    add(o, "symbol",
		w->symbol ? json_object_new_string(w->symbol) : NULL) ||
	    add(o, "waiting_ns",
		json_object_new_int64((int64_t)w->waiting_ns)) ||
	    add(o, "held", json_object_new_boolean(w->held)) ||
	    add(o, "owner", w->held ? owner_json(w) : NULL) ||
	    (w->held && !json_object_object_get(o, "owner")) ||
	    add(o, "acquired_at",
		w->held ? json_object_new_string(w->acquired_at) : NULL) ||
	    add(o, "held_ns",
		w->held ? json_object_new_int64((int64_t)w->held_ns) : NULL)) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* The waits of M whose waiter is PID (all of them with PID < 0). */
static struct json_object *waits_json(const struct mr_module *m, int pid)
{
	struct json_object *arr = json_object_new_array();
	size_t i;

	for (i = 0; arr && i < m->n_lock_waits; i++) {
		const struct mr_lock_wait *w = &m->lock_waits[i];
		struct json_object *o;

		if (pid >= 0 && w->waiter.pid != pid)
			continue;
		o = wait_json(w, pid < 0);
		if (!o || json_object_array_add(arr, o)) {
			json_object_put(o);
			json_object_put(arr);
			return NULL;
		}
	}
	return arr;
}

/* With LOCKS (lockwatch on), "waits_for": the locks the task waits for. */
static struct json_object *task_json(const struct mr_module *m,
				     const struct mr_task *t,
				     const struct mr_task_ref *ref, bool locks)
{
	struct json_object *o = json_object_new_object(), *stack;

	if (!o)
		return NULL;
	stack = strv_json(t->stack, t->n_stack);
	if (!stack || add(o, "pid", json_object_new_int(t->pid)) ||
	    add(o, "comm", json_object_new_string(t->comm)) ||
	    add(o, "op", json_object_new_string(mr_op_name(ref->op))) ||
	    add(o, "parked", json_object_new_boolean(ref->parked)) ||
	    add(o, "wchan", json_object_new_string(t->wchan ? t->wchan : "")) ||
	    add(o, "stack", stack) ||
	    (locks && add(o, "waits_for", waits_json(m, t->pid))) ||
	    (locks && !json_object_object_get(o, "waits_for"))) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/*
 * "oops": the oops that left it GOING or COMING (crashfacts.h), when it was
 * looked for: {"found":true,"in":"exit","time":123.456789,"pid":93,
 * "comm":"rmmod","function":"hp_x_exit+0x5/0x40 [hp_x]","cause":"BUG: ..."}
 * or {"found":false,"why":"not in log"|"log unreadable","text":"..."}.
 */
static struct json_object *crash_json(const struct mr_module *m)
{
	const struct mr_crash *c = &m->crash;
	struct json_object *o = json_object_new_object();
	char when[40], text[512];

	if (!o)
		return NULL;
	mr_crash_text(m, text, sizeof(text));
	if (c->seen != MR_CRASH_FOUND) {
		if (add(o, "found", json_object_new_boolean(false)) ||
		    add(o, "in",
			json_object_new_string(c->in_init ? "init" : "exit")) ||
		    add(o, "why",
			json_object_new_string(c->seen == MR_CRASH_NOT_IN_LOG ?
						       "not in log" :
						       "log unreadable")) ||
		    add(o, "text", json_object_new_string(text))) {
			json_object_put(o);
			return NULL;
		}
		return o;
	}
	mr_crash_time_text(c->usec, when, sizeof(when));
	if (add(o, "found", json_object_new_boolean(true)) ||
	    add(o, "in",
		json_object_new_string(c->in_init ? "init" : "exit")) ||
	    add(o, "time",
		c->usec >= 0 ?
			json_object_new_double_s((double)c->usec / 1e6, when) :
			NULL) ||
	    add(o, "pid", json_object_new_int(c->pid)) ||
	    add(o, "comm", json_object_new_string(c->comm)) ||
	    add(o, "function", json_object_new_string(c->frame)) ||
	    add(o, "cause", json_object_new_string(c->cause)) ||
	    add(o, "text", json_object_new_string(text))) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

struct json_object *mr_module_json(const struct mr_diag *d,
				   const struct mr_module *m)
{
	struct json_object *o = json_object_new_object(), *holders, *tasks;
	bool locks = d->lockwatch == MR_LOCKWATCH_ON;
	size_t i;

	if (!o)
		return NULL;
	holders = strv_json(m->holders, m->n_holders);
	tasks = json_object_new_array();
	if (!holders || !tasks ||
	    add(o, "name", json_object_new_string(m->name)) ||
	    add(o, "state", json_object_new_string(mr_state_name(m->state))) ||
	    add(o, "refcnt",
		m->refcnt_known ? json_object_new_int64(m->refcnt) : NULL) ||
	    add(o, "holders", holders) ||
	    add(o, "has_exit",
		m->has_exit_known ? json_object_new_boolean(m->has_exit) :
				    NULL) ||
	    add(o, "verdict",
		json_object_new_string(mr_verdict_name(m->verdict)))) {
		json_object_put(tasks);
		json_object_put(o);
		return NULL;
	}
	if (add(o, "tasks", tasks)) {
		json_object_put(o);
		return NULL;
	}
	for (i = 0; i < m->n_tasks; i++) {
		struct json_object *t = task_json(
			m, &d->tasks[m->tasks[i].task], &m->tasks[i], locks);

		if (!t || json_object_array_add(tasks, t)) {
			json_object_put(t);
			json_object_put(o);
			return NULL;
		}
	}
	if (locks && (add(o, "lock_waits", waits_json(m, -1)) ||
		      !json_object_object_get(o, "lock_waits"))) {
		json_object_put(o);
		return NULL;
	}
	if (m->crash.seen != MR_CRASH_UNASKED &&
	    (add(o, "oops", crash_json(m)) ||
	     !json_object_object_get(o, "oops"))) {
		json_object_put(o);
		return NULL;
	}
	if (m->n_bdev_users &&
	    (add(o, "bdev_users", strv_json(m->bdev_users, m->n_bdev_users)) ||
	     !json_object_object_get(o, "bdev_users"))) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

struct json_object *mr_status_json(const struct mr_diag *d)
{
	struct json_object *o = json_object_new_object();
	struct json_object *mods = json_object_new_array();
	size_t i;

	if (!o || !mods || add(o, "modules", mods)) {
		json_object_put(o);
		return NULL;
	}
	for (i = 0; i < d->n_mods; i++) {
		struct json_object *m = mr_module_json(d, &d->mods[i]);

		if (!m || json_object_array_add(mods, m)) {
			json_object_put(m);
			json_object_put(o);
			return NULL;
		}
	}
	return o;
}

struct json_object *mr_why_json(const struct mr_diag *d,
				const struct mr_module *m,
				const struct mr_why *w)
{
	struct json_object *o = json_object_new_object();

	if (!o || add(o, "module", mr_module_json(d, m)) ||
	    !json_object_object_get(o, "module") ||
	    add(o, "reasons", strv_json(w->reasons, w->n_reasons)) ||
	    !json_object_object_get(o, "reasons") ||
	    add(o, "notes", strv_json(w->notes, w->n_notes)) ||
	    !json_object_object_get(o, "notes") ||
	    add(o, "unload",
		json_object_new_string(w->remedy ? w->remedy : "")) ||
	    !json_object_object_get(o, "unload")) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

int mr_json_print(FILE *out, struct json_object *obj)
{
	const char *s = json_object_to_json_string_ext(
		obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);

	if (!s)
		return -1;
	return fprintf(out, "%s\n", s) < 0 ? -1 : 0;
}

/* ---- text ---- */

/* Copy S into BUF with control characters made visible as '?'. */
static const char *clean(const char *s, char *buf, size_t len)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < len; i++)
		buf[i] = iscntrl((unsigned char)s[i]) ? '?' : s[i];
	buf[i] = '\0';
	return buf;
}

static void used_by(const struct mr_diag *d, const struct mr_module *m,
		    char *buf, size_t len)
{
	char tmp[128];
	size_t i, used;

	buf[0] = '\0';
	for (i = 0; i < m->n_holders; i++) {
		used = strlen(buf);
		snprintf(buf + used, len - used, "%s%s", i ? "," : "",
			 clean(m->holders[i], tmp, sizeof(tmp)));
	}
	for (i = 0; i < m->n_tasks; i++) {
		const struct mr_task *t = &d->tasks[m->tasks[i].task];

		used = strlen(buf);
		snprintf(buf + used, len - used, "%s%s[%d]:%s", used ? " " : "",
			 clean(t->comm, tmp, sizeof(tmp)), t->pid,
			 mr_op_name(m->tasks[i].op));
	}
	if (!buf[0])
		snprintf(buf, len, "-");
}

/*
 * Under the table, one line for a module whose tasks wait for a tracked
 * lock, or whose locks others wait for: the first such wait (a stuck task's
 * before others), and how many more `why` shows.
 */
static void status_lock_line(FILE *out, const struct mr_module *m)
{
	char name[MR_MODNAME_LEN * 2], text[1024], line[1024];

	if (!m->n_lock_waits)
		return;
	mr_lock_wait_text(&m->lock_waits[0], text, sizeof(text));
	fprintf(out, "%s: %s", clean(m->name, name, sizeof(name)),
		clean(text, line, sizeof(line)));
	if (m->n_lock_waits > 1)
		fprintf(out, " (+%zu more: modrescue why %s)",
			m->n_lock_waits - 1, name);
	fputc('\n', out);
}

void mr_status_text(FILE *out, const struct mr_diag *d)
{
	char name[MR_MODNAME_LEN * 2], refs[24], users[1024];
	int width = 20;
	size_t i;

	for (i = 0; i < d->n_mods; i++) {
		int n = (int)strlen(d->mods[i].name);

		if (n > width)
			width = n < (int)sizeof(name) - 1 ?
					n :
					(int)sizeof(name) - 1;
	}
	fprintf(out, "%-*s %-7s %4s %-4s %-12s %s\n", width, "Module", "State",
		"Refs", "Exit", "Verdict", "Used by");
	for (i = 0; i < d->n_mods; i++) {
		const struct mr_module *m = &d->mods[i];

		if (m->refcnt_known)
			snprintf(refs, sizeof(refs), "%ld", m->refcnt);
		else
			snprintf(refs, sizeof(refs), "?");
		used_by(d, m, users, sizeof(users));
		fprintf(out, "%-*s %-7s %4s %-4s %-12s %s\n", width,
			clean(m->name, name, sizeof(name)),
			mr_state_name(m->state), refs,
			!m->has_exit_known ? "?" :
			m->has_exit	   ? "yes" :
					     "no",
			mr_verdict_name(m->verdict), users);
	}
	for (i = 0; i < d->n_mods; i++)
		status_lock_line(out, &d->mods[i]);
}

void mr_why_text(FILE *out, const struct mr_module *m, const struct mr_why *w)
{
	char name[MR_MODNAME_LEN * 2], refs[24], line[1024];
	size_t i;

	if (m->refcnt_known)
		snprintf(refs, sizeof(refs), "%ld", m->refcnt);
	else
		snprintf(refs, sizeof(refs), "?");
	fprintf(out, "%s: %s (state %s, refcnt %s, %s)\n",
		clean(m->name, name, sizeof(name)), mr_verdict_name(m->verdict),
		mr_state_name(m->state), refs,
		!m->has_exit_known ? "exit unknown" :
		m->has_exit	   ? "has an exit" :
				     "no exit");
	for (i = 0; i < w->n_reasons; i++)
		fprintf(out, "  %s\n",
			clean(w->reasons[i], line, sizeof(line)));
	for (i = 0; i < w->n_notes; i++)
		fprintf(out, "  note: %s\n",
			clean(w->notes[i], line, sizeof(line)));
	if (w->remedy)
		fprintf(out, "%s\n", clean(w->remedy, line, sizeof(line)));
}
