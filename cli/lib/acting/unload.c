// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE /* vasprintf */
#include "unload.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <libkmod.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "crashed.h"
#include "fsread.h"
#include "helper.h"
#include "helper_load.h"
#include "livepatch.h"
#include "lockrelease.h"
#include "lockpick.h"
#include "modlock.h"
#include "mounts.h"
#include "pause.h"
#include "quarantine.h"
#include "rescue.h"

/* Most users asked of the helper; more are counted but not listed. */
#define MAX_USERS 32
/* How long a lock release is asked again while the helper says to wait. */
#define RELEASE_RETRY_MS 5000
/* How long a task spinning on a released lock gets to finish. */
#define SPIN_FINISH_MS 30000
/* Most tasks in delete_module() waited for after a lock release. */
#define MAX_UNLOADERS 4
#define POLL_MS 100

/* Is NAME in /proc/modules, in any state? */
static bool module_is_listed(const char *name)
{
	char line[256];
	size_t len = strlen(name);
	bool found = false;
	FILE *f = fopen("/proc/modules", "re");

	if (!f)
		return true;
	while (!found && fgets(line, sizeof(line), f))
		found = !strncmp(line, name, len) && line[len] == ' ';
	fclose(f);
	return found;
}

static bool module_is_loaded(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/module/%s/initstate", name);
	if (!access(path, F_OK))
		return true;
	snprintf(path, sizeof(path), "/sys/module/%s/refcnt", name);
	return !access(path, F_OK);
}

/*
 * Since 6.4, finit_module() dedups concurrent loads of one file through an
 * entry on the loader's stack; a loader killed in init never removes it,
 * and the next load in the same bucket walks dead stack memory.
 */
static bool kernel_has_idempotent_load(void)
{
	struct utsname uts;
	int major, minor;

	if (uname(&uts) || sscanf(uts.release, "%d.%d", &major, &minor) != 2)
		return false;
	return major > 6 || (major == 6 && minor >= 4);
}

/* Say whether the kernel now carries TAINT_FORCED_RMMOD ('R', bit 3). */
static void report_taint(struct mr_unload_report *r)
{
	unsigned long taint = 0;
	FILE *f = fopen("/proc/sys/kernel/tainted", "re");

	if (!f)
		return;
	if (fscanf(f, "%lu", &taint) == 1)
		mr_report_step(r,
			       "kernel taint %lu: forced module removal (R) %s",
			       taint, (taint & (1UL << 3)) ? "set" : "NOT set");
	fclose(f);
}

static long delete_module(const char *name, unsigned int flags)
{
	return syscall(SYS_delete_module, name, flags);
}

/* The path of a user's open file, from /proc/PID/fd/FD. */
static char *user_path(const struct modrescue_user *u)
{
	char link[64], buf[4096];
	ssize_t n;

	if (u->kind != MODRESCUE_USER_FILE)
		return NULL;
	snprintf(link, sizeof(link), "/proc/%d/fd/%d", u->pid, u->fd);
	n = readlink(link, buf, sizeof(buf) - 1);
	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return strdup(buf);
}

/* USERS less the parked task PID itself (a kthread or a task in its code). */
static size_t drop_parked(struct modrescue_user *users, size_t n, int pid)
{
	size_t i, kept = 0;

	for (i = 0; i < n; i++) {
		if (users[i].pid == pid &&
		    (users[i].kind == MODRESCUE_USER_KTHREAD ||
		     users[i].kind == MODRESCUE_USER_TASK))
			continue;
		users[kept++] = users[i];
	}
	return kept;
}

/* Is USERS[I] a task in delete_module() for the module, seen (pid > 0)? */
static bool is_unloader(const struct modrescue_user *u)
{
	return u->kind == MODRESCUE_USER_SYSCALL && u->pid > 0 &&
	       !strncmp(u->name, "delete_module", sizeof(u->name));
}

/*
 * Are USERS all tasks in delete_module() for the module (each may also
 * have a frame in its code: it runs the exit)? Once a dead owner's lock is
 * released, such a task, which spun on it in the exit, finishes the unload
 * itself. Their pids go to PIDS (room for MAX_UNLOADERS), their count to *N.
 */
static bool only_unloaders(const struct modrescue_user *users, size_t n,
			   int *pids, size_t *n_pids)
{
	size_t i, j, k = 0;

	for (i = 0; i < n; i++) {
		if (!is_unloader(&users[i]))
			continue;
		if (k == MAX_UNLOADERS)
			return false;
		pids[k++] = users[i].pid;
	}
	for (i = 0; i < n; i++) {
		bool theirs = is_unloader(&users[i]);

		for (j = 0; j < k && !theirs; j++)
			theirs = users[i].kind == MODRESCUE_USER_TASK &&
				 users[i].pid == pids[j];
		if (!theirs)
			return false;
	}
	*n_pids = k;
	return k > 0;
}

/*
 * Users that may be passing, beside another modrescue: a task whose kernel
 * stack holds a word in the module's code (that modrescue's scan may hold
 * one for a moment, spilled from a register), and a task on a CPU inside
 * init_module() or finit_module() (that modrescue loading the helper: a
 * running loader cannot be told from the module's own). A task really in
 * the module's code, or really loading it, stays. So tasks alone are
 * looked for again (MR_RECHECKS, pause.h) before they count.
 */
static bool is_task_user(const struct modrescue_user *u)
{
	if (u->pid <= 0)
		return false;
	return u->kind == MODRESCUE_USER_TASK ||
	       (u->kind == MODRESCUE_USER_SYSCALL &&
		strstr(u->name, "init_module"));
}

static bool only_tasks(const struct modrescue_user *users, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_task_user(&users[i]))
			return false;
	return n > 0;
}

static int inspect_settled(int fd, const char *name,
			   struct modrescue_inspect *in,
			   struct modrescue_user *users)
{
	int tries;

	for (tries = 0;; tries++) {
		int ret = mr_helper_inspect(fd, name, in, users, MAX_USERS);

		if (ret || in->users_found > MAX_USERS ||
		    !only_tasks(users, in->users_found) || tries == MR_RECHECKS)
			return ret;
		mr_sleep_ms(MR_RECHECK_MS);
	}
}

/*
 * Ask the helper for every user the kernel can show, add the mounts of its
 * filesystems seen from here, and judge: any user refuses, whatever the
 * flags; references no user explains on a LIVE module refuse unless the
 * user said --force (they are leaked). True when the plan may go ahead.
 */
static bool account_users(struct kmod_ctx *ctx, struct mr_helper_session *s,
			  const char *name, const struct mr_plan *p,
			  unsigned int flags, struct mr_unload_report *r,
			  int *unloaders, size_t *n_unloaders)
{
	struct modrescue_user users[MAX_USERS];
	struct modrescue_inspect in;
	char *paths[MAX_USERS] = { 0 }, **mounts = NULL, why[1024];
	enum mr_users_verdict verdict;
	size_t i, n, total;
	int n_mounts, ret;
	bool ok = true;

	ret = inspect_settled(s->fd, name, &in, users);
	/* Gone already: the task its released lock freed ran the rest. */
	if (ret == -ENOENT && unloaders) {
		*n_unloaders = 0;
		return true;
	}
	if (ret) {
		mr_report_result(r, MR_FAILED,
				 "the helper cannot inspect %s: %s", name,
				 strerror(-ret));
		return false;
	}
	n = in.users_found < MAX_USERS ? in.users_found : MAX_USERS;
	/* The task a LIVE quarantine keeps memory for is not a user of it. */
	if (p->kind == MR_PLAN_QUARANTINE_LIVE && p->stuck_pid > 0)
		n = drop_parked(users, n, p->stuck_pid);
	/* cppcheck-suppress knownConditionTrueFalse ; the ioctl fills in */
	for (i = 0; i < n; i++)
		paths[i] = user_path(&users[i]);
	n_mounts = mr_module_mounts(ctx, "/proc/self/mountinfo", name, &mounts);
	if (n_mounts < 0)
		n_mounts = 0;
	total = mr_users_describe(users, n, (const char *const *)paths,
				  (const char *const *)mounts, (size_t)n_mounts,
				  why, sizeof(why));
	total += mr_bdev_users_append(ctx, "", name, why, sizeof(why));
	verdict = mr_users_judge(total, in.refcnt, p->expect_state, flags);
	if (total && unloaders && total == n && n == in.users_found &&
	    only_unloaders(users, n, unloaders, n_unloaders)) {
		/* Its lock is free: they finish the exit themselves. */
		mr_report_step(
			r,
			"users: only %s; it runs the rest of the exit now that the lock is free",
			why);
	} else if (verdict == MR_USERS_FOUND) {
		ok = false;
		mr_report_result(r, MR_REFUSED, "Module %s is in use by: %s",
				 name, why);
	} else if (p->kind == MR_PLAN_QUARANTINE_LIVE) {
		/* Nothing is freed: references stay with the renamed copy. */
		mr_report_step(r, "users: none found in the kernel%s",
			       p->stuck_pid > 0 ? " besides the parked task" :
						  "");
	} else if (verdict == MR_USERS_UNEXPLAINED) {
		ok = false;
		mr_unexplained_text(name, in.refcnt, why, sizeof(why));
		mr_report_result(r, MR_REFUSED, "%s", why);
	} else if ((p->edits & MODRESCUE_EDIT_REFCNT_BASE) &&
		   mr_livepatch_involved(name, why, sizeof(why))) {
		ok = false;
		mr_report_result(r, MR_REFUSED, "%s", why);
	} else if (verdict == MR_USERS_LEAKED) {
		mr_report_step(
			r,
			"users: none found in the kernel; --force: %d reference%s declared leaked",
			in.refcnt, in.refcnt == 1 ? "" : "s");
	} else {
		mr_report_step(r, "users: none found in the kernel");
	}
	/* cppcheck-suppress knownConditionTrueFalse */
	for (i = 0; i < n; i++)
		free(paths[i]);
	mr_mounts_free(mounts, (size_t)n_mounts);
	return ok;
}

/* do_surgery(): done, refused or failed (R says why), or leftovers found. */
enum surgery_outcome { SURGERY_DONE, SURGERY_STOPPED, SURGERY_LEFTOVERS };

static enum surgery_outcome do_surgery(struct mr_helper_session *s,
				       const char *name,
				       const struct mr_plan *p,
				       unsigned int flags,
				       struct mr_unload_report *r)
{
	struct modrescue_prepare out;
	char edits[128];
	int tries = 0, ret;

	/* Refused, it changed nothing: a passing task is looked at again. */
	do {
		if (tries)
			mr_sleep_ms(MR_RECHECK_MS);
		ret = mr_helper_prepare(s->fd, name, p->edits, p->expect_state,
					(flags & MR_UNLOAD_FORCE) ?
						MODRESCUE_PREPARE_LEAKED :
						0,
					&out);
	} while (ret == -EBUSY && is_task_user(&out.busy) &&
		 tries++ < MR_RECHECKS);
	mr_plan_edits_text(p->edits, edits, sizeof(edits));
	if (ret == -EBUSY) {
		char who[256];

		mr_users_describe(&out.busy, 1, NULL, NULL, 0, who,
				  sizeof(who));
		mr_report_result(r, MR_REFUSED,
				 "Module %s is in use by: %s (found by the "
				 "helper's last check); nothing was changed",
				 name, who);
		return SURGERY_STOPPED;
	}
	/* Something appeared since the leftovers were looked for. */
	if (ret == -ENOTEMPTY)
		return SURGERY_LEFTOVERS;
	if (ret == -EOPNOTSUPP) {
		mr_report_result(r, MR_FAILED,
				 "the helper cannot look for what %s's crashed "
				 "init or exit left registered (it was not "
				 "given the kernel's static data), so it "
				 "never frees it; nothing was changed",
				 name);
		return SURGERY_STOPPED;
	}
	if (ret == -EPERM) {
		mr_report_result(r, MR_REFUSED,
				 "the helper refused to %s on %s: a livepatch "
				 "or quarantined module, or references not "
				 "declared leaked; nothing was changed",
				 edits, name);
		return SURGERY_STOPPED;
	}
	if (ret) {
		mr_report_result(r, MR_FAILED,
				 "the helper refused to %s on %s: %s", edits,
				 name,
				 ret == -ESTALE ?
					 "its state changed meanwhile" :
					 strerror(-ret));
		return SURGERY_STOPPED;
	}
	mr_report_step(r, "helper: %s (refcount was %d); kernel tainted (R)",
		       edits, out.old_refcnt);
	return SURGERY_DONE;
}

/*
 * After a crashed init: have the helper cut the dead loader's entry out of
 * the kernel's idempotent-load table, so the module's file (or any other in
 * that bucket) can be loaded again. Not needed, and not possible, before 6.4.
 */
static void repair_loader_table(struct mr_helper_session *s,
				struct mr_unload_report *r)
{
	struct modrescue_repair_loader out;
	int ret;

	if (!kernel_has_idempotent_load())
		return;
	ret = mr_helper_repair_loader(s->fd, 0, &out);
	if (ret == -EOPNOTSUPP)
		mr_report_step(
			r, "note: the helper has no idem_hash symbol, so the "
			   "crashed loader's entry stays in the kernel's "
			   "idempotent-load table; load a fixed build from a "
			   "new file, not the same one");
	else if (ret)
		mr_report_step(r,
			       "warning: could not mend the kernel's "
			       "idempotent-load table: %s",
			       strerror(-ret));
	else if (out.dropped)
		mr_report_step(r,
			       "helper: mended the kernel's idempotent-load "
			       "table: cut %u stale entr%s left by the dead "
			       "loader (%u live kept); kernel tainted (R)",
			       out.dropped, out.dropped == 1 ? "y" : "ies",
			       out.kept);
	else
		mr_report_step(r, "helper: the kernel's idempotent-load table "
				  "holds no stale entry");
}

/* One step of the plan, as --dry-run says it. */
static void describe_step(const struct mr_plan *p, enum mr_step step,
			  unsigned int flags, struct mr_unload_report *r)
{
	bool leak_refused = p->expect_state == MODRESCUE_STATE_LIVE &&
			    !(flags & MR_UNLOAD_FORCE);
	char edits[128];

	switch (step) {
	case MR_STEP_OPEN_HELPER:
		mr_report_step(r, "would: load the helper");
		break;
	case MR_STEP_CHECK_USERS:
		mr_report_step(r, "would: look for every user in the kernel, "
				  "and refuse if one is found");
		if (leak_refused)
			mr_report_step(r, "would: refuse the references no "
					  "user explains, since --force was "
					  "not given to declare them leaked");
		break;
	case MR_STEP_CHECK_LEFTOVERS:
		mr_report_step(
			r,
			"would: look in the kernel for what its crashed %s left registered, and keep the module if anything is found",
			p->expect_state == MODRESCUE_STATE_COMING ? "init" :
								    "exit");
		break;
	case MR_STEP_SURGERY:
		mr_plan_edits_text(p->edits, edits, sizeof(edits));
		mr_report_step(r, "would: %s%s (taints R)",
			       leak_refused ? "with --force only: " : "",
			       edits);
		break;
	case MR_STEP_DELETE:
		if (p->kind == MR_PLAN_DELETE_FORCED)
			mr_report_step(r, "would: delete_module with O_TRUNC "
					  "(forced, as rmmod -f; taints R)");
		else
			mr_report_step(r, "would: delete_module%s",
				       p->trunc ? " with O_TRUNC" : "");
		break;
	case MR_STEP_CHECK_GONE:
		mr_report_step(r, "would: check that it is gone");
		break;
	case MR_STEP_MEND_LOADER:
		if (kernel_has_idempotent_load())
			mr_report_step(r, "would: cut the dead loader's entry "
					  "from the kernel's idempotent-load "
					  "table");
		break;
	case MR_STEP_RELEASE_LOCKS:
		for (size_t i = 0; i < p->n_locks; i++)
			mr_report_step(
				r,
				"would: release lock %s, whose owner is dead (taints R)",
				p->locks[i].what);
		break;
	case MR_STEP_WAIT_STUCK:
		mr_report_step(
			r,
			"would: wait for pid %d to finish once its lock is free",
			p->stuck_pid);
		break;
	case MR_STEP_QUARANTINE:
		mr_report_step(
			r,
			"would: quarantine it (rename it, clear its exit, keep its memory; taints R): %s",
			p->what);
		break;
	case MR_STEP_RESCUE:
		mr_report_step(
			r,
			"would: release the stuck task if it waits on a completion the helper can check, and let it finish");
		mr_report_step(
			r,
			"would: otherwise quarantine the module (rename it, keep its memory; taints R)%s",
			(flags & MR_UNLOAD_NO_QUARANTINE) ?
				", but --no-quarantine refuses instead" :
				"");
		break;
	}
}

/*
 * NAME is not loaded. If its quarantined copy is, say so: that is a
 * refusal, not a failure.
 */
static enum mr_unload_result not_loaded(const char *name,
					struct mr_unload_report *r)
{
	char q[MR_MODNAME_LEN];

	if (mr_find_quarantined(name, q, sizeof(q)))
		return mr_report_result(
			r, MR_REFUSED,
			"Module %s is not currently loaded; %s is its quarantined copy, which cannot be freed while a task sleeps in it or what it left registered points into it",
			name, q);
	return mr_report_result(r, MR_FAILED,
				"Module %s is not currently loaded", name);
}

/* What the executor carries from one step to the next. */
struct unload_exec {
	struct kmod_ctx *ctx;
	struct mr_helper_session *s;
	const char *name;
	unsigned int flags;
	const struct mr_plan *p;
	struct mr_unload_report *r;
	bool released; /* a stuck task was released in an earlier round */
	bool locks_released; /* a dead owner's lock was released */
	/* The released locks' names, for the closing line. */
	char locks_what[256];
	/* Tasks in delete_module() for it, to wait for once its lock is free. */
	int unloaders[MAX_UNLOADERS];
	size_t n_unloaders;
	/* The task that finished once its lock was free: "rmmod (pid 93)". */
	char finished[MR_COMM_LEN + 24];
};

enum step_outcome {
	STEP_NEXT, /* go on with the next step */
	STEP_DONE, /* the unload ends here; the report has the result */
	STEP_AGAIN, /* diagnose again and plan anew */
};

static enum step_outcome delete_step(struct unload_exec *x)
{
	unsigned int del_flags = O_NONBLOCK;

	if (x->p->trunc || x->p->kind == MR_PLAN_DELETE_FORCED)
		del_flags |= O_TRUNC;
	if (delete_module(x->name, del_flags)) {
		mr_report_result(
			x->r, MR_FAILED,
			"could not remove module %s: delete_module: %s",
			x->name, strerror(errno));
		return STEP_DONE;
	}
	mr_report_step(x->r, "delete_module(%s%s): ok", x->name,
		       (del_flags & O_TRUNC) ? ", O_TRUNC" : "");
	return STEP_NEXT;
}

static enum step_outcome check_gone_step(struct unload_exec *x)
{
	if (module_is_loaded(x->name)) {
		mr_report_result(
			x->r, MR_FAILED,
			"Module %s is still loaded after delete_module",
			x->name);
		return STEP_DONE;
	}
	mr_report_step(x->r, "module %s is gone", x->name);
	if (x->p->kind != MR_PLAN_DELETE || x->released || x->locks_released)
		report_taint(x->r);
	return STEP_NEXT;
}

/* "sym [mod], taken at f+0x1/0x2 [mod]": the lock's name, for the closing line. */
static void append_lock_name(struct unload_exec *x, const char *what)
{
	size_t n = strlen(x->locks_what);
	const char *end = strstr(what, ", taken at ");
	int len = end ? (int)(end - what) : (int)strlen(what);

	snprintf(x->locks_what + n, sizeof(x->locks_what) - n, "%s%.*s",
		 n ? " and " : "", len, what);
}

/*
 * Release the dead owners' locks the plan names, each checked again by the
 * helper in the kernel. A lock no longer held (released meanwhile, or
 * taken by its next owner) is only noted; any refusal ends the unload with
 * nothing else changed.
 */
static enum step_outcome release_locks_step(struct unload_exec *x)
{
	struct modrescue_lock_release o;
	char what[512], comm[MR_LOCK_COMM_LEN];
	bool oopsed;
	size_t i;

	for (i = 0; i < x->p->n_locks; i++) {
		int ret = mr_lock_release_retry(x->s->fd, x->p->locks[i].id, 0,
						RELEASE_RETRY_MS, &o);
		mr_lock_release_describe(&o, what, sizeof(what), comm, &oopsed);
		if (ret == -ENOENT || ret == -ESTALE) {
			mr_report_step(x->r, "lock %s: no longer held",
				       x->p->locks[i].what);
			continue;
		}
		if (ret == -ENODATA) {
			mr_report_result(
				x->r, MR_FAILED,
				"lockwatch went off before lock %s could be released",
				x->p->locks[i].what);
			return STEP_DONE;
		}
		if (ret) {
			mr_report_result(
				x->r,
				o.reason == MODRESCUE_RELEASE_OK ? MR_FAILED :
								   MR_REFUSED,
				"Module %s: lock %s not released: %s", x->name,
				what,
				o.reason == MODRESCUE_RELEASE_OK ?
					strerror(-ret) :
					mr_lock_release_reason_text(o.reason));
			return STEP_DONE;
		}
		x->locks_released = true;
		append_lock_name(x, x->p->locks[i].what);
		mr_report_step(x->r,
			       "helper: released lock %s%s; kernel tainted (R)",
			       what, oopsed ? " (it oopsed)" : "");
	}
	return STEP_NEXT;
}

/* Is PID gone, or a zombie? */
static bool task_finished(int pid)
{
	char path[64], buf[512], *p;
	FILE *f;
	bool done = true;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return true;
	if (fgets(buf, sizeof(buf), f)) {
		p = strrchr(buf, ')');
		done = p && (p[2] == 'Z' || p[2] == 'X');
	}
	fclose(f);
	return done;
}

/* The spinning task had its lock released: let it finish, then plan again. */
static enum step_outcome wait_stuck_step(struct unload_exec *x)
{
	long waited;

	/*
	 * The task itself: its module's sysfs directory goes first, while
	 * free_module() still runs in that task and the module is listed.
	 */
	for (waited = 0; waited < SPIN_FINISH_MS; waited += POLL_MS) {
		if (task_finished(x->p->stuck_pid)) {
			mr_report_step(x->r, "pid %d finished",
				       x->p->stuck_pid);
			x->released = true;
			snprintf(x->finished, sizeof(x->finished),
				 "%s (pid %d)", x->p->stuck_comm,
				 x->p->stuck_pid);
			return STEP_AGAIN;
		}
		mr_sleep_ms(POLL_MS);
	}
	mr_report_result(
		x->r, MR_FAILED,
		"Module %s: pid %d still has not finished %d s after its lock was released",
		x->name, x->p->stuck_pid, SPIN_FINISH_MS / 1000);
	return STEP_DONE;
}

/*
 * Tasks in delete_module() for it were found after its dead owner's lock
 * was released: the one that spun on it now runs the rest of the exit and
 * frees the module. Wait for each to finish, then plan again.
 */
static enum step_outcome wait_unloaders_step(struct unload_exec *x)
{
	char comm[MR_COMM_LEN], path[64];
	long waited;
	size_t i;

	for (i = 0; i < x->n_unloaders; i++) {
		int pid = x->unloaders[i];

		comm[0] = '\0';
		snprintf(path, sizeof(path), "/proc/%d/comm", pid);
		if (mr_read_small(path, comm, sizeof(comm)) > 0)
			comm[strcspn(comm, "\n")] = '\0';
		for (waited = 0; !task_finished(pid); waited += POLL_MS) {
			if (waited >= SPIN_FINISH_MS) {
				mr_report_result(
					x->r, MR_FAILED,
					"Module %s: pid %d (%s), inside delete_module for it, still has not finished %d s after its lock was released",
					x->name, pid, comm,
					SPIN_FINISH_MS / 1000);
				return STEP_DONE;
			}
			mr_sleep_ms(POLL_MS);
		}
		mr_report_step(x->r, "pid %d (%s) finished", pid, comm);
		snprintf(x->finished, sizeof(x->finished), "%s (pid %d)",
			 comm[0] ? comm : "task", pid);
	}
	x->released = true;
	return STEP_AGAIN;
}

/*
 * The module went away between the lock release and the user search: the
 * task that waited on the released lock (lockwatch saw it) ran the rest of
 * its exit. Wait for it to finish, to say so, then plan again.
 */
static enum step_outcome wait_lock_waiters_step(struct unload_exec *x)
{
	size_t i;

	for (i = 0; i < x->p->n_locks; i++) {
		const struct mr_plan_lock *l = &x->p->locks[i];
		long waited;

		if (l->waiter_pid <= 0)
			continue;
		for (waited = 0;
		     !task_finished(l->waiter_pid) && waited < SPIN_FINISH_MS;
		     waited += POLL_MS)
			mr_sleep_ms(POLL_MS);
		if (!task_finished(l->waiter_pid))
			continue;
		mr_report_step(x->r, "pid %d (%s) finished", l->waiter_pid,
			       l->waiter_comm);
		snprintf(x->finished, sizeof(x->finished), "%s (pid %d)",
			 l->waiter_comm, l->waiter_pid);
	}
	x->released = true;
	return STEP_AGAIN;
}

/* The module was kept as QNAME: the unload ends there. */
static enum step_outcome quarantined(struct unload_exec *x, const char *qname)
{
	report_taint(x->r);
	mr_report_step(x->r, "quarantined as %s", qname);
	mr_report_result(x->r, MR_QUARANTINED, NULL);
	return STEP_DONE;
}

static enum step_outcome rescue_step(struct unload_exec *x)
{
	char qname[MR_MODNAME_LEN];

	switch (mr_rescue_stuck(x->ctx, x->s, x->name, x->flags, x->r, qname)) {
	case MR_RESCUE_FINISHED:
		x->released = true;
		return STEP_AGAIN;
	case MR_RESCUE_QUARANTINED:
		return quarantined(x, qname);
	default:
		return STEP_DONE;
	}
}

static enum step_outcome quarantine_live_step(struct unload_exec *x)
{
	char qname[MR_MODNAME_LEN];

	if (mr_quarantine_live(x->s, x->name, x->p->stuck_pid, x->p->stuck_comm,
			       x->p->what, x->r,
			       qname) == MR_RESCUE_QUARANTINED)
		return quarantined(x, qname);
	return STEP_DONE;
}

static enum step_outcome leftovers_step(struct unload_exec *x)
{
	char qname[MR_MODNAME_LEN];

	switch (mr_leftovers_settle(x->s, x->name, x->p->expect_state, x->flags,
				    x->r, qname)) {
	case MR_LEFTOVERS_NONE:
		return STEP_NEXT;
	case MR_LEFTOVERS_QUARANTINED:
		/* A crashed init's dead loader may block the fixed build. */
		if (x->p->expect_state == MODRESCUE_STATE_COMING)
			repair_loader_table(x->s, x->r);
		return quarantined(x, qname);
	default:
		return STEP_DONE;
	}
}

/*
 * The helper's edits. Leftovers that appeared after they were looked for
 * (the helper looks again under module_mutex) are settled as before, then
 * the edits are asked for once more.
 */
static enum step_outcome surgery_step(struct unload_exec *x)
{
	enum step_outcome o;
	int tries;

	for (tries = 0; tries < 2; tries++) {
		switch (do_surgery(x->s, x->name, x->p, x->flags, x->r)) {
		case SURGERY_DONE:
			return STEP_NEXT;
		case SURGERY_STOPPED:
			return STEP_DONE;
		case SURGERY_LEFTOVERS:
			o = leftovers_step(x);
			if (o != STEP_NEXT)
				return o;
			break;
		}
	}
	mr_report_result(x->r, MR_REFUSED,
			 "Module %s: the helper keeps finding something its "
			 "crashed init or exit left registered; nothing was "
			 "changed",
			 x->name);
	return STEP_DONE;
}

static enum step_outcome run_step(struct unload_exec *x, enum mr_step step)
{
	switch (step) {
	case MR_STEP_OPEN_HELPER:
		return mr_session_open(x->s, x->r) ? STEP_DONE : STEP_NEXT;
	case MR_STEP_CHECK_USERS:
		x->n_unloaders = 0;
		if (!account_users(x->ctx, x->s, x->name, x->p, x->flags, x->r,
				   x->locks_released ? x->unloaders : NULL,
				   &x->n_unloaders))
			return STEP_DONE;
		if (x->n_unloaders)
			return wait_unloaders_step(x);
		if (x->locks_released && !module_is_listed(x->name))
			return wait_lock_waiters_step(x);
		return STEP_NEXT;
	case MR_STEP_CHECK_LEFTOVERS:
		return leftovers_step(x);
	case MR_STEP_SURGERY:
		return surgery_step(x);
	case MR_STEP_DELETE:
		return delete_step(x);
	case MR_STEP_CHECK_GONE:
		return check_gone_step(x);
	case MR_STEP_MEND_LOADER:
		repair_loader_table(x->s, x->r);
		return STEP_NEXT;
	case MR_STEP_RESCUE:
		return rescue_step(x);
	case MR_STEP_RELEASE_LOCKS:
		return release_locks_step(x);
	case MR_STEP_WAIT_STUCK:
		return wait_stuck_step(x);
	case MR_STEP_QUARANTINE:
		return quarantine_live_step(x);
	}
	return STEP_DONE;
}

/* The one executor: the plan's steps in order, until one ends it. */
static enum step_outcome run_plan(struct unload_exec *x)
{
	enum step_outcome o = STEP_NEXT;
	size_t i;

	for (i = 0; i < x->p->n_steps && o == STEP_NEXT; i++)
		o = run_step(x, x->p->steps[i]);
	return o;
}

/* Diagnose NAME and plan its unload; false (result set) when it is not there. */
static bool diagnose_and_plan(struct unload_exec *x, struct mr_plan *p)
{
	struct mr_diag_opts opts = { .names = &x->name, .n_names = 1 };
	struct mr_lock_snapshot locks;
	struct mr_diag d = { 0 };
	const struct mr_module *m;
	int ret = mr_diag_collect(x->ctx, &opts, &d);
	/* Lockwatch's view, when it is on: dead owners' locks go first. */
	bool lockwatch = !ret && mr_locks_read(&locks) == 0;

	if (ret) {
		mr_report_result(x->r, MR_FAILED,
				 "cannot read the module list: %s",
				 strerror(-ret));
		return false;
	}
	m = mr_diag_find(&d, x->name);
	if (!m && x->released) {
		mr_report_step(x->r, "module %s is gone", x->name);
		report_taint(x->r);
		if (x->locks_released && x->finished[0])
			mr_report_step(
				x->r,
				"released %s, the stuck %s finished, unloaded",
				x->locks_what, x->finished);
		else
			mr_report_step(x->r, "released, then unloaded");
		mr_report_result(x->r, MR_UNLOADED, NULL);
	} else if (!m) {
		not_loaded(x->name, x->r);
	} else {
		mr_plan_unload_locks(&d, m, lockwatch ? &locks : NULL, x->flags,
				     p);
		mr_report_step(x->r, "diagnosis: %s: %s",
			       mr_verdict_name(m->verdict),
			       p->kind == MR_PLAN_REFUSE ? "refused" : p->what);
	}
	mr_diag_free(&d);
	if (lockwatch)
		mr_lock_snapshot_free(&locks);
	return m != NULL;
}

/*
 * --dry-run: each step as it would be done. The leftovers of a crashed
 * init or exit are only known by looking: the helper is loaded for that
 * read-only look, and the steps after it are said only if they would run.
 */
static enum mr_unload_result dry_run_plan(struct unload_exec *x)
{
	const struct mr_plan *p = x->p;
	size_t i;

	for (i = 0; i < p->n_steps; i++) {
		describe_step(p, p->steps[i], x->flags, x->r);
		if (p->steps[i] != MR_STEP_CHECK_LEFTOVERS)
			continue;
		if (mr_session_open(x->s, x->r))
			return x->r->result;
		switch (mr_leftovers_preview(x->s, x->name, p->expect_state,
					     x->flags, x->r)) {
		case MR_LEFTOVERS_NONE:
			break;
		case MR_LEFTOVERS_QUARANTINED:
			return mr_report_result(x->r, MR_PLANNED, NULL);
		default:
			return x->r->result;
		}
	}
	return mr_report_result(x->r, MR_PLANNED, NULL);
}

static enum mr_unload_result unload_locked(struct kmod_ctx *ctx,
					   struct mr_helper_session *s,
					   const char *name, unsigned int flags,
					   bool dry_run,
					   struct mr_unload_report *r)
{
	struct unload_exec x = {
		.ctx = ctx, .s = s, .name = name, .flags = flags, .r = r
	};
	struct mr_plan p;
	int rounds;

	r->module = strdup(name);
	x.p = &p;
	/* A released task's module is diagnosed again, and so on. */
	for (rounds = 0;; rounds++) {
		if (!diagnose_and_plan(&x, &p))
			return r->result;
		if (p.kind == MR_PLAN_REFUSE)
			return mr_report_result(r, MR_REFUSED, "%s", p.what);
		if (dry_run)
			return dry_run_plan(&x);
		if (rounds == 3)
			return mr_report_result(
				r, MR_FAILED,
				"Module %s is still blocked after its task was released",
				name);
		switch (run_plan(&x)) {
		case STEP_AGAIN:
			continue;
		case STEP_DONE:
			return r->result;
		case STEP_NEXT:
			break;
		}
		if (x.released)
			mr_report_step(r, "released, then unloaded");
		return mr_report_result(r, MR_UNLOADED, NULL);
	}
}

enum mr_unload_result mr_unload_module(struct kmod_ctx *ctx,
				       struct mr_helper_session *s,
				       const char *name, unsigned int flags,
				       bool dry_run, struct mr_unload_report *r)
{
	enum mr_unload_result res;
	int lock = dry_run ? -1 : mr_module_lock_reported(name, r);

	res = unload_locked(ctx, s, name, flags, dry_run, r);
	mr_module_unlock(lock);
	return res;
}
