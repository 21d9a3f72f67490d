// SPDX-License-Identifier: GPL-2.0
/*
 * The rescue of a task stuck in a module's init or exit: release, wait for
 * it to finish on its own, or quarantine. See rescue.h.
 */
#define _GNU_SOURCE /* vasprintf */
#include "rescue.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pause.h"
#include "explain.h"
#include "fsread.h"
#include "helper.h"
#include "modlock.h"
#include "plan.h"
#include "quarantine.h"
#include "procparse.h"

/* Releases per module: a task stuck again is tried again, then no more. */
#define MAX_ROUNDS 4
/* Tries, POLL_MS apart, while the completion's lock is busy. */
#define BUSY_TRIES 10
/* How long a released task gets to finish (the lab's TCG is slow). */
#define FINISH_TIMEOUT_MS 30000
/* A released task asleep in the module's code this long is stuck again. */
#define STUCK_AGAIN_MS 3000
#define POLL_MS 100

/* The state letter of PID from /proc/PID/stat, or 0 once it is gone. */
static char task_state(int pid)
{
	char path[64], buf[1024], comm[MR_COMM_LEN], state;
	unsigned long long start;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (mr_read_small(path, buf, sizeof(buf)) < 0)
		return 0;
	mr_parse_stat(buf, &state, &start, comm, sizeof(comm));
	return state;
}

/* Is PID's innermost frame in module MOD's code? */
static bool innermost_in(int pid, const char *mod)
{
	char path[64], *text = NULL, **frames = NULL, m[MR_MODNAME_LEN];
	bool in = false;
	int n;

	snprintf(path, sizeof(path), "/proc/%d/stack", pid);
	if (mr_read_all(path, 1 << 16, &text) < 0)
		return false;
	n = mr_parse_stack(text, &frames);
	if (n > 0 && mr_frame_module(frames[0], m, sizeof(m)) &&
	    !strcmp(m, mod))
		in = true;
	mr_strv_free(frames, n > 0 ? (size_t)n : 0);
	free(text);
	return in;
}

enum fate { FINISHED, STUCK_AGAIN, TIMED_OUT };

/*
 * Wait for a released task to finish (gone, or a zombie its parent has not
 * reaped), or to be stuck again: asleep in MOD's code for STUCK_AGAIN_MS.
 */
static enum fate wait_finish(int pid, const char *mod)
{
	long waited, asleep = 0;

	for (waited = 0; waited < FINISH_TIMEOUT_MS; waited += POLL_MS) {
		char st = task_state(pid);

		if (!st || st == 'Z' || st == 'X')
			return FINISHED;
		if (st == 'D' && innermost_in(pid, mod))
			asleep += POLL_MS;
		else
			asleep = 0;
		if (asleep >= STUCK_AGAIN_MS)
			return STUCK_AGAIN;
		mr_sleep_ms(POLL_MS);
	}
	return TIMED_OUT;
}

/* Ask the helper to release PID, trying again while the lock is busy. */
static int release(struct mr_helper_session *s, int pid, const char *name,
		   unsigned int expect_state, unsigned int flags,
		   struct modrescue_unblock *u)
{
	int ret, i;

	for (i = 0; i < BUSY_TRIES; i++) {
		ret = mr_helper_unblock(s->fd, pid, name, expect_state, flags,
					u);
		if (ret != -EAGAIN)
			return ret;
		mr_sleep_ms(POLL_MS);
	}
	return ret;
}

/* Did the helper refuse (the task cannot be released), or fail? */
static bool is_refusal(int err)
{
	return err == -ENOENT || err == -EINVAL || err == -EBUSY ||
	       err == -EAGAIN;
}

static const char *where_stuck(unsigned int expect_state)
{
	return expect_state == MODRESCUE_STATE_GOING ? "exit" : "init";
}

/* The step that says what remains at risk, if anything. */
static void report_risk(struct mr_unload_report *r,
			const struct modrescue_unblock *u)
{
	char risk[512];

	mr_unblock_risk_text(u, risk, sizeof(risk));
	if (risk[0])
		mr_report_step(r, "%s", risk);
}

static void report_release(struct mr_unload_report *r, int pid,
			   const char *comm, unsigned int expect_state,
			   const struct modrescue_unblock *u)
{
	char place[256], caller[MODRESCUE_SYMBOL_LEN + 1];

	mr_unblock_place_text(u, place, sizeof(place));
	mr_unblock_caller_text(u, caller, sizeof(caller));
	mr_report_step(
		r,
		"released pid %d (%s), stuck in its %s at %s: completed %s; kernel tainted (R)",
		pid, comm, where_stuck(expect_state), caller, place);
	report_risk(r, u);
}

/* The stuck task of a diagnosed module, as the plan names it. */
struct stuck {
	int pid;
	char comm[MR_COMM_LEN];
	char chain[160];
	unsigned int expect_state;
	bool allowed;
	char why[256];
};

/*
 * Diagnose NAME again. Returns 1 with *st filled while a task is stuck in
 * it, 0 when not (gone, or nothing stuck), or a negative errno.
 */
static int find_stuck(struct kmod_ctx *ctx, const char *name,
		      unsigned int flags, struct stuck *st)
{
	struct mr_diag_opts opts = { .names = &name, .n_names = 1 };
	const struct mr_task *t;
	struct mr_diag d;
	struct mr_module *m;
	struct mr_plan p;
	int ret;

	ret = mr_diag_collect(ctx, &opts, &d);
	if (ret)
		return ret;
	m = mr_diag_find(&d, name);
	if (m)
		mr_plan_unload(&d, m, flags, &p);
	if (!m || p.kind != MR_PLAN_RESCUE) {
		mr_diag_free(&d);
		return 0;
	}
	t = &d.tasks[p.task];
	st->pid = t->pid;
	snprintf(st->comm, sizeof(st->comm), "%s", t->comm);
	mr_task_chain(t, st->chain, sizeof(st->chain));
	st->expect_state = p.expect_state;
	st->allowed = mr_release_allowed(t, m->name, st->why, sizeof(st->why));
	mr_diag_free(&d);
	return 1;
}

enum mr_rescue_status mr_rescue_stuck(struct kmod_ctx *ctx,
				      struct mr_helper_session *s,
				      const char *name, unsigned int flags,
				      struct mr_unload_report *r, char *qname)
{
	struct modrescue_unblock u;
	struct stuck st;
	int round;

	for (round = 0; round < MAX_ROUNDS; round++) {
		int ret = find_stuck(ctx, name, flags, &st);

		if (ret < 0) {
			mr_report_result(r, MR_FAILED,
					 "cannot read the module list: %s",
					 strerror(-ret));
			return MR_RESCUE_FAILED;
		}
		if (!ret)
			return MR_RESCUE_FINISHED;
		if (mr_session_open(s, r))
			return MR_RESCUE_FAILED;
		/* The last round does not release: it quarantines. */
		if (st.allowed && round < MAX_ROUNDS - 1) {
			ret = release(s, st.pid, name, st.expect_state, 0, &u);
			if (!ret) {
				report_release(r, st.pid, st.comm,
					       st.expect_state, &u);
				switch (wait_finish(st.pid, name)) {
				case FINISHED:
					mr_report_step(
						r,
						"pid %d (%s) finished on its own",
						st.pid, st.comm);
					return MR_RESCUE_FINISHED;
				case STUCK_AGAIN:
					mr_report_step(
						r,
						"pid %d (%s) is stuck in %s again",
						st.pid, st.comm, name);
					continue;
				default:
					mr_report_result(
						r, MR_FAILED,
						"released pid %d (%s), but it has not finished after %d s",
						st.pid, st.comm,
						FINISH_TIMEOUT_MS / 1000);
					return MR_RESCUE_FAILED;
				}
			}
			if (ret == -ESTALE || ret == -ESRCH)
				continue;
			if (!is_refusal(ret)) {
				mr_report_result(
					r, MR_FAILED,
					"the helper cannot release pid %d: %s",
					st.pid, strerror(-ret));
				return MR_RESCUE_FAILED;
			}
			mr_unblock_refusal_text(&u, st.why, sizeof(st.why));
		} else if (st.allowed) {
			snprintf(st.why, sizeof(st.why),
				 "it was released %d times and got stuck again",
				 MAX_ROUNDS - 1);
		}
		mr_report_step(r, "cannot release pid %d (%s) in %s: %s",
			       st.pid, st.comm, st.chain, st.why);
		if (flags & MR_UNLOAD_NO_QUARANTINE) {
			mr_report_result(
				r, MR_REFUSED,
				"Module %s is stuck in its %s: pid %d (%s) cannot be released (%s); not quarantined (--no-quarantine)",
				name, where_stuck(st.expect_state), st.pid,
				st.comm, st.why);
			return MR_RESCUE_REFUSED;
		}
		return mr_quarantine_module(s, name, st.expect_state, st.pid,
					    st.comm, r, qname);
	}
	mr_report_result(r, MR_FAILED, "%s: the stuck task kept changing",
			 name);
	return MR_RESCUE_FAILED;
}

/* The module PID is stuck in, and how, from a full diagnosis. */
static const struct mr_module *stuck_in(const struct mr_diag *d, int pid,
					const struct mr_task **t)
{
	size_t i, j;

	for (i = 0; i < d->n_mods; i++) {
		const struct mr_module *m = &d->mods[i];

		for (j = 0; j < m->n_tasks; j++) {
			if (!m->tasks[j].stuck ||
			    d->tasks[m->tasks[j].task].pid != pid)
				continue;
			*t = &d->tasks[m->tasks[j].task];
			return m;
		}
	}
	return NULL;
}

static enum mr_unload_result
unblock_locked(struct mr_helper_session *s, int pid, const char *name,
	       const char *comm, unsigned int expect, unsigned int flags,
	       struct mr_unload_report *r);
static enum mr_unload_result release_named(struct mr_helper_session *s, int pid,
					   const char *name, const char *comm,
					   unsigned int expect,
					   unsigned int flags,
					   struct mr_unload_report *r);

enum mr_unload_result mr_unblock_pid(struct kmod_ctx *ctx,
				     struct mr_helper_session *s, int pid,
				     unsigned int flags,
				     struct mr_unload_report *r)
{
	struct mr_diag_opts opts = { 0 };
	const struct mr_module *m;
	const struct mr_task *t = NULL;
	unsigned int expect;
	char why[256], name[MR_MODNAME_LEN], comm[MR_COMM_LEN];
	struct mr_diag d;
	int ret;

	ret = mr_diag_collect(ctx, &opts, &d);
	if (ret) {
		mr_report_result(r, MR_FAILED,
				 "cannot read the module list: %s",
				 strerror(-ret));
		return r->result;
	}
	m = stuck_in(&d, pid, &t);
	if (!m || (m->state != MR_STATE_GOING && m->state != MR_STATE_COMING)) {
		mr_report_result(
			r, MR_REFUSED,
			"pid %d is not stuck in a module's init or exit%s", pid,
			d.tasks_denied ? " (run as root to see all tasks)" :
					 "");
		mr_diag_free(&d);
		return r->result;
	}
	r->module = strdup(m->name);
	snprintf(name, sizeof(name), "%s", m->name);
	snprintf(comm, sizeof(comm), "%s", t->comm);
	expect = m->state == MR_STATE_GOING ? MODRESCUE_STATE_GOING :
					      MODRESCUE_STATE_COMING;
	if (!mr_release_allowed(t, m->name, why, sizeof(why))) {
		mr_report_result(r, MR_REFUSED,
				 "pid %d (%s) cannot be released: %s", pid,
				 comm, why);
		mr_diag_free(&d);
		return r->result;
	}
	mr_diag_free(&d);
	return unblock_locked(s, pid, name, comm, expect, flags, r);
}

/* Serialised with any other modrescue acting on the same module. */
static enum mr_unload_result
unblock_locked(struct mr_helper_session *s, int pid, const char *name,
	       const char *comm, unsigned int expect, unsigned int flags,
	       struct mr_unload_report *r)
{
	int lock = (flags & MODRESCUE_UNBLOCK_DRY_RUN) ?
			   -1 :
			   mr_module_lock_reported(name, r);

	release_named(s, pid, name, comm, expect, flags, r);
	mr_module_unlock(lock);
	return r->result;
}

/* Release PID, stuck in NAME, and wait until it finishes. */
static enum mr_unload_result release_named(struct mr_helper_session *s, int pid,
					   const char *name, const char *comm,
					   unsigned int expect,
					   unsigned int flags,
					   struct mr_unload_report *r)
{
	bool dry_run = flags & MODRESCUE_UNBLOCK_DRY_RUN;
	struct modrescue_unblock u;
	char why[256];
	int ret;

	if (mr_session_open(s, r))
		return r->result;
	ret = release(s, pid, name, expect,
		      flags & (MODRESCUE_UNBLOCK_DRY_RUN |
			       MODRESCUE_UNBLOCK_FORCE_STACK),
		      &u);
	if (ret) {
		mr_unblock_refusal_text(&u, why, sizeof(why));
		if (is_refusal(ret))
			mr_report_result(r, MR_REFUSED,
					 "pid %d (%s) cannot be released: %s",
					 pid, comm, why);
		else
			mr_report_result(r, MR_FAILED,
					 "the helper cannot release pid %d: %s",
					 pid, strerror(-ret));
		return r->result;
	}
	if (dry_run) {
		char caller[MODRESCUE_SYMBOL_LEN + 1];

		mr_unblock_place_text(&u, why, sizeof(why));
		mr_unblock_caller_text(&u, caller, sizeof(caller));
		mr_report_step(r,
			       "would release pid %d (%s), waiting at %s on %s",
			       pid, comm, caller, why);
		report_risk(r, &u);
		r->result = MR_PLANNED;
		return r->result;
	}
	report_release(r, pid, comm, expect, &u);
	switch (wait_finish(pid, name)) {
	case FINISHED:
		mr_report_step(r, "pid %d (%s) finished on its own", pid, comm);
		break;
	case STUCK_AGAIN:
		mr_report_result(
			r, MR_FAILED,
			"released pid %d (%s), but it is stuck in %s again",
			pid, comm, name);
		return r->result;
	default:
		mr_report_result(
			r, MR_FAILED,
			"released pid %d (%s), but it has not finished after %d s",
			pid, comm, FINISH_TIMEOUT_MS / 1000);
		return r->result;
	}
	r->result = MR_UNLOADED;
	return r->result;
}

bool mr_find_quarantined(const char *name, char *buf, size_t len)
{
	char *text = NULL, *line, *save = NULL, base[MR_MODNAME_LEN];
	bool found = false;

	if (mr_read_all("/proc/modules", 1 << 22, &text) < 0)
		return false;
	for (line = strtok_r(text, "\n", &save); line && !found;
	     line = strtok_r(NULL, "\n", &save)) {
		line[strcspn(line, " ")] = '\0';
		if (mr_quarantine_name(line, base, sizeof(base)) &&
		    !strcmp(base, name)) {
			snprintf(buf, len, "%s", line);
			found = true;
		}
	}
	free(text);
	return found;
}
