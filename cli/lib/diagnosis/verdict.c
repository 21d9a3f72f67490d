// SPDX-License-Identifier: GPL-2.0
/* The pure part of the diagnosis: names, task attribution, verdicts. */
#include "diag.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char *mr_state_name(enum mr_state s)
{
	switch (s) {
	case MR_STATE_LIVE:
		return "live";
	case MR_STATE_COMING:
		return "coming";
	case MR_STATE_GOING:
		return "going";
	default:
		return "unknown";
	}
}

const char *mr_op_name(enum mr_op op)
{
	switch (op) {
	case MR_OP_LOAD:
		return "load";
	case MR_OP_UNLOAD:
		return "unload";
	default:
		return "other";
	}
}

const char *mr_verdict_name(enum mr_verdict v)
{
	static const char *const names[MR_VERDICT_COUNT] = {
		[MR_VERDICT_BLOCKED] = "blocked",
		[MR_VERDICT_QUARANTINED] = "quarantined",
		[MR_VERDICT_GOING] = "going",
		[MR_VERDICT_COMING] = "coming",
		[MR_VERDICT_HAS_HOLDERS] = "has-holders",
		[MR_VERDICT_IN_USE] = "in-use",
		[MR_VERDICT_NO_EXIT] = "no-exit",
		[MR_VERDICT_UNLOADABLE] = "unloadable",
	};

	if ((unsigned int)v >= MR_VERDICT_COUNT)
		return "unknown";
	return names[v];
}

void mr_modname_normalize(char *name)
{
	for (; *name; name++)
		if (*name == '-')
			*name = '_';
}

bool mr_frame_module(const char *frame, char *buf, size_t len)
{
	const char *open, *end;
	size_t n;

	if (len)
		buf[0] = '\0';
	n = strlen(frame);
	if (n < 3 || frame[n - 1] != ']')
		return false;
	open = strrchr(frame, '[');
	/* "[mod]" or "[mod buildid]", after the symbol and a blank. */
	if (!open || open == frame || open[-1] != ' ')
		return false;
	end = open + 1 + strcspn(open + 1, " ]");
	n = (size_t)(end - open - 1);
	if (n == 0 || n >= len)
		return false;
	memcpy(buf, open + 1, n);
	buf[n] = '\0';
	return true;
}

void mr_frame_func(const char *frame, char *buf, size_t len)
{
	size_t n = strcspn(frame, "+ ");
	const char *dot;

	if (!len)
		return;
	if (n >= len)
		n = len - 1;
	memcpy(buf, frame, n);
	buf[n] = '\0';
	/* "__do_sys_delete_module.constprop.0", ".isra.0", ".cold" ... */
	dot = strchr(buf, '.');
	if (dot && dot != buf)
		buf[dot - buf] = '\0';
}

static bool task_has_frame_in(const struct mr_task *t, const char *mod)
{
	char m[MR_MODNAME_LEN];
	size_t i;

	for (i = 0; i < t->n_stack; i++)
		if (mr_frame_module(t->stack[i], m, sizeof(m)) &&
		    !strcmp(m, mod))
			return true;
	return false;
}

bool mr_task_parked(const struct mr_task *t)
{
	char m[MR_MODNAME_LEN], f[64];
	size_t i;

	for (i = 0; i < t->n_stack; i++) {
		if (!mr_frame_module(t->stack[i], m, sizeof(m)) ||
		    strcmp(m, "modrescue"))
			continue;
		mr_frame_func(t->stack[i], f, sizeof(f));
		if (!strcmp(f, "mr_ct_try_park"))
			return true;
	}
	return false;
}

bool mr_quarantine_name(const char *name, char *buf, size_t len)
{
	const char *dot = strrchr(name, '.'), *p;
	size_t n;

	if (!dot || dot == name || dot[1] != 'q' || !dot[2])
		return false;
	for (p = dot + 2; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	n = (size_t)(dot - name);
	if (buf && len) {
		if (n >= len)
			n = len - 1;
		memcpy(buf, name, n);
		buf[n] = '\0';
	}
	return true;
}

static bool is_load_unload(long nr)
{
	return nr == MR_NR_INIT_MODULE || nr == MR_NR_FINIT_MODULE ||
	       nr == MR_NR_DELETE_MODULE;
}

const char *mr_task_subject(const struct mr_task *t, char *buf, size_t len)
{
	size_t i;

	char base[MR_MODNAME_LEN];
	bool framed = false;

	if (!is_load_unload(t->syscall))
		return NULL;
	/* The outermost module frame: the init or exit the syscall ran. */
	for (i = t->n_stack; i-- > 0 && !framed;)
		framed = mr_frame_module(t->stack[i], buf, len);
	if (!t->target || !*t->target)
		return framed ? buf : NULL;
	/* Quarantined under its feet: the frames say NAME.qN, the argument NAME. */
	if (framed && mr_quarantine_name(buf, base, sizeof(base)) &&
	    !strcmp(base, t->target))
		return buf;
	return t->target;
}

static bool cmdline_names(const struct mr_task *t, const char *mod)
{
	size_t i;

	for (i = 0; i < t->n_cmd_mods; i++)
		if (!strcmp(t->cmd_mods[i], mod))
			return true;
	return false;
}

bool mr_task_relation(const struct mr_task *t, const char *mod,
		      enum mr_state state, struct mr_task_ref *ref)
{
	char buf[MR_MODNAME_LEN];
	const char *subject = mr_task_subject(t, buf, sizeof(buf));

	ref->in_code = task_has_frame_in(t, mod);
	ref->parked = ref->in_code && mr_task_parked(t);
	ref->guessed = false;
	if (subject && !strcmp(subject, mod)) {
		ref->op = t->syscall == MR_NR_DELETE_MODULE ? MR_OP_UNLOAD :
							      MR_OP_LOAD;
		return true;
	}
	ref->op = MR_OP_OTHER;
	if (ref->in_code)
		return true;
	if (!t->on_cpu || t->n_stack || !cmdline_names(t, mod))
		return false;
	if (state == MR_STATE_GOING)
		ref->op = MR_OP_UNLOAD;
	else if (state == MR_STATE_COMING)
		ref->op = MR_OP_LOAD;
	else
		return false;
	ref->guessed = true;
	return true;
}

bool mr_ref_is_stuck(enum mr_state state, const struct mr_task_ref *ref)
{
	if (ref->op == MR_OP_OTHER)
		return false;
	return ref->in_code || ref->guessed ||
	       (ref->op == MR_OP_UNLOAD && state == MR_STATE_GOING);
}

enum mr_verdict mr_verdict_of(const struct mr_module *m)
{
	size_t i;

	/* A quarantined copy keeps its stuck task for good: that is the point. */
	if (m->quarantined)
		return MR_VERDICT_QUARANTINED;
	for (i = 0; i < m->n_tasks; i++)
		if (m->tasks[i].stuck)
			return MR_VERDICT_BLOCKED;
	if (m->state == MR_STATE_GOING)
		return MR_VERDICT_GOING;
	if (m->state == MR_STATE_COMING)
		return MR_VERDICT_COMING;
	if (m->n_holders > 0)
		return MR_VERDICT_HAS_HOLDERS;
	if (m->refcnt_known && m->refcnt > 0)
		return MR_VERDICT_IN_USE;
	if (m->has_exit_known && !m->has_exit)
		return MR_VERDICT_NO_EXIT;
	return MR_VERDICT_UNLOADABLE;
}

static int judge_module(struct mr_diag *d, struct mr_module *m)
{
	size_t i;

	free(m->tasks);
	m->tasks = NULL;
	m->n_tasks = 0;
	for (i = 0; i < d->n_tasks; i++) {
		struct mr_task_ref ref = { .task = i };
		struct mr_task_ref *nt;

		if (!mr_task_relation(&d->tasks[i], m->name, m->state, &ref))
			continue;
		ref.stuck = mr_ref_is_stuck(m->state, &ref);
		nt = realloc(m->tasks, (m->n_tasks + 1) * sizeof(*nt));
		if (!nt)
			return -ENOMEM;
		nt[m->n_tasks++] = ref;
		m->tasks = nt;
	}
	m->verdict = mr_verdict_of(m);
	return 0;
}

int mr_diag_judge(struct mr_diag *d)
{
	size_t i;

	for (i = 0; i < d->n_mods; i++) {
		int err = judge_module(d, &d->mods[i]);

		if (err)
			return err;
	}
	return 0;
}
