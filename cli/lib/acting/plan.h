/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unload planning: from a diagnosis to the least invasive way out that ends
 * in the kernel's own delete_module(), the rescue of a task stuck in the
 * module's init or exit, or a refusal. Pure: no I/O.
 */
#ifndef MODRESCUE_PLAN_H
#define MODRESCUE_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "locks.h"
#include "uapi/modrescue.h"

/* mr_plan_unload() flags, from the command line. */
/* The user knows the references nobody explains are leaked (never users). */
#define MR_UNLOAD_FORCE (1u << 0)
#define MR_UNLOAD_CASCADE (1u << 1) /* holders are unloaded first */
/* A stuck task that cannot be released: refuse rather than quarantine. */
#define MR_UNLOAD_NO_QUARANTINE (1u << 2)
/*
 * A crashed exit's (or init's) leftovers with an exact exported undo are
 * undone before the module is freed (timers, work, misc devices, some
 * notifier chains).
 */
#define MR_UNLOAD_FINISH_EXIT (1u << 3)

enum mr_plan_kind {
	MR_PLAN_REFUSE, /* unloading would hurt a user, or is not ours to do */
	MR_PLAN_DELETE, /* delete_module(), as plain rmmod does */
	MR_PLAN_DELETE_FORCED, /* delete_module(O_TRUNC), as rmmod -f does */
	MR_PLAN_SURGERY, /* helper edits, then delete_module() */
	/*
	 * A task is stuck in its init or exit: release it (the helper
	 * completes what it waits on) and let it finish, or quarantine.
	 */
	MR_PLAN_RESCUE,
	/*
	 * A task stuck in its init or exit spins on a lock whose owner is
	 * dead (lockwatch on): release the lock, wait for the task to
	 * finish, and plan again.
	 */
	MR_PLAN_LOCKS,
	/*
	 * A LIVE module whose exit can never run safely: a task parked for
	 * good in its code by the panic containment, or (PREEMPT_RT) a lock
	 * of its own a dead task holds as an rtmutex. Quarantined: renamed,
	 * its exit cleared, nothing freed (what says why).
	 */
	MR_PLAN_QUARANTINE_LIVE,
};

/*
 * The named steps a plan is carried out in, in order, by one executor
 * (unload.c). Each either goes on to the next or ends the unload with a
 * result; RESCUE ends this plan and the module is diagnosed again.
 */
enum mr_step {
	MR_STEP_RESCUE, /* release the stuck task, or quarantine */
	MR_STEP_OPEN_HELPER, /* load (or share) the helper, open it */
	MR_STEP_CHECK_USERS, /* every user in the kernel; any one refuses */
	/* A crashed init's or exit's leftovers: found means not freed. */
	MR_STEP_CHECK_LEFTOVERS,
	MR_STEP_SURGERY, /* the helper's edits, checked again in the kernel */
	MR_STEP_DELETE, /* the kernel's own delete_module() */
	MR_STEP_CHECK_GONE, /* the module is gone; the taint as it is now */
	MR_STEP_MEND_LOADER, /* 6.4+: the dead loader's idempotent-load entry */
	MR_STEP_RELEASE_LOCKS, /* the module's locks a dead owner holds */
	MR_STEP_WAIT_STUCK, /* the spinning task finishes once its lock is free */
	MR_STEP_QUARANTINE, /* a LIVE module whose exit must never run */
};

#define MR_PLAN_MAX_STEPS 8
/* Most dead owners' locks one plan releases. */
#define MR_PLAN_MAX_LOCKS 4

/* A lock the plan releases first: its id and what lockwatch said of it. */
struct mr_plan_lock {
	uint64_t id;
	char what[256]; /* "hp_x_lock [hp_x], taken at f+0x4a/0x90 [hp_x]" */
	/* The first task lockwatch saw wait on it (0: none), and its comm. */
	int waiter_pid;
	char waiter_comm[MR_LOCK_COMM_LEN];
};

struct mr_plan {
	enum mr_plan_kind kind;
	enum mr_step steps[MR_PLAN_MAX_STEPS];
	size_t n_steps;
	unsigned int edits; /* MODRESCUE_EDIT_*, for MR_PLAN_SURGERY */
	unsigned int expect_state; /* MODRESCUE_STATE_* the edits assume */
	bool trunc; /* delete_module() needs O_TRUNC: init without exit */
	size_t task; /* MR_PLAN_RESCUE: the stuck task, index in mr_diag.tasks */
	/*
	 * MR_PLAN_LOCKS: the spinning task's pid; MR_PLAN_QUARANTINE_LIVE:
	 * the parked task's, or 0 (a dead owner's lock).
	 */
	int stuck_pid;
	char stuck_comm[MR_COMM_LEN]; /* MR_PLAN_QUARANTINE_LIVE: its comm */
	/* Released first (MR_STEP_RELEASE_LOCKS), in this order. */
	struct mr_plan_lock locks[MR_PLAN_MAX_LOCKS];
	size_t n_locks;
	char what[512]; /* the diagnosis in a few words, or the refusal */
};

/*
 * Plan the unload of M (from D). With MR_UNLOAD_CASCADE, holders are taken
 * as already gone (the caller unloads them first). Never fails.
 */
void mr_plan_unload(const struct mr_diag *d, const struct mr_module *m,
		    unsigned int flags, struct mr_plan *p);

/*
 * mr_plan_unload(), with lockwatch's sorted snapshot S (NULL: lockwatch
 * off, and the plan is exactly mr_plan_unload()'s). A lock held by a dead
 * owner in task context (lockpick.h's mr_lock_stale()) that is M's own (its
 * symbol or acquire site says "[M]") or that one of M's tasks waits on is
 * released first: before the usual steps, or, when M's stuck task spins on
 * a CPU (otherwise refused), as MR_PLAN_LOCKS. A refusal stays one.
 */
void mr_plan_unload_locks(const struct mr_diag *d, const struct mr_module *m,
			  const struct mr_lock_snapshot *s, unsigned int flags,
			  struct mr_plan *p);

/* A step's name, as the report and the tests say it. */
const char *mr_step_name(enum mr_step step);

/* The plan's surgery as words: "reset refcount, state -> live, ...". */
void mr_plan_edits_text(unsigned int edits, char *buf, size_t len);

/*
 * List the users the helper found (and mounts found in userspace) in WHY,
 * kmod-style: "pid 93 (sleep) fd 0 /dev/x, net device hpnet0, ...". PATHS[i]
 * is the path of users[i] when known (may be NULL). Returns how many there
 * are: any one refuses the unload, whatever the flags.
 */
size_t mr_users_describe(const struct modrescue_user *users, size_t n_users,
			 const char *const *paths, const char *const *mounts,
			 size_t n_mounts, char *why, size_t len);

/*
 * The refusal for REFS references of a LIVE module that no user found
 * explains: what was checked, that they may be a leak, and --force.
 */
void mr_unexplained_text(const char *name, long refs, char *buf, size_t len);

/* What the users found (and the references left) allow. */
enum mr_users_verdict {
	MR_USERS_NONE, /* no user, no reference: go on */
	MR_USERS_FOUND, /* a user was found: refused, --force or not */
	MR_USERS_UNEXPLAINED, /* LIVE, references no user explains: refused */
	MR_USERS_LEAKED, /* ... and --force: declared leaked, go on */
};

/*
 * Judge FOUND users and REFCNT references of a module expected in
 * EXPECT_STATE (MODRESCUE_STATE_*), under FLAGS (MR_UNLOAD_*). Only a LIVE
 * module's references can be leaks: a crashed one's count is the kernel's
 * own bookkeeping of the crash.
 */
enum mr_users_verdict mr_users_judge(size_t found, long refcnt,
				     unsigned int expect_state,
				     unsigned int flags);

#endif /* MODRESCUE_PLAN_H */
