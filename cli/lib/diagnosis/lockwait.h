/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which tracked locks keep a module's tasks waiting (issue 10): lockwatch's
 * snapshot (cli/lib/locks) matched against the diagnosis. Pure: the
 * snapshot and the kernel log's oopses are passed in (lockfacts.c reads
 * them).
 *
 * A wait concerns module M when
 *  - the waiter is one of M's tasks (stuck in its init or exit, or running
 *    its code), matched by pid;
 *  - or the lock is held by one of M's tasks;
 *  - or the lock is M's own (its symbol says "[M]") or was taken in M's
 *    code (its acquire site says "[M]").
 * A waiter whose lock lockwatch does not see held (taken before it was
 * armed, or left out as uncertain) is kept, with no holder, when it is one
 * of M's tasks: the lock is still named.
 *
 * An owner is dead when lockwatch says it is no longer alive, or when its
 * task is gone (pid 0 with no comm). It oopsed when the kernel log shows an
 * oops of that very task (same pid and comm); for a task already gone,
 * whose pid lockwatch can no longer give, when an oops on the CPU where the
 * lock was taken (a spinlock holder cannot migrate) has the acquire site's
 * function in its RIP or call trace: then the log's pid and comm name the
 * owner. Nothing is guessed beyond that: otherwise it is just dead.
 */
#ifndef MODRESCUE_LOCKWAIT_H
#define MODRESCUE_LOCKWAIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "locks.h"
#include "oopslog.h"

struct mr_lock_wait {
	struct mr_lock_task waiter;
	uint64_t waiting_ns;
	/* The waiter's state (R, D, S...), '?' when unknown. */
	char state;
	bool module_task; /* the waiter is one of the module's tasks */
	bool stuck; /* ... stuck in its init or exit */
	uint64_t lock; /* lockwatch's id: the address, or a keyed hash */
	char *symbol; /* "hp_x_lock [mod]"; NULL when none covers it */
	bool held; /* lockwatch knows the holder: the fields below are set */
	struct mr_lock_owner owner;
	bool owner_from_log; /* the owner's pid and comm are the oops's */
	char *acquired_at;
	uint64_t held_ns;
};

/*
 * The waits of the sorted snapshot S that concern module M of D, into *OUT
 * (*N of them): stuck waiters first, then the module's other tasks, then
 * other waiters, each by pid. Returns 0 or -ENOMEM (then *OUT is NULL).
 */
int mr_lock_waits_match(const struct mr_diag *d, const struct mr_module *m,
			const struct mr_lock_snapshot *s,
			struct mr_lock_wait **out, size_t *n);
void mr_lock_waits_free(struct mr_lock_wait *w, size_t n);

/*
 * Lockwatch is on and S is its sorted snapshot: fill every module's
 * lock_waits (replacing any) and set d->lockwatch. 0 or -ENOMEM.
 */
int mr_diag_lock_waits(struct mr_diag *d, const struct mr_lock_snapshot *s);
/* Does any module of D wait on a lock whose owner is dead? */
bool mr_diag_dead_owners(const struct mr_diag *d);
/* Mark every dead owner in D that one of LOG's oopses shows oopsed. */
void mr_diag_mark_oopses(struct mr_diag *d, const struct mr_oops_log *log);

/* Is the owner dead: not alive, or its task gone? */
bool mr_lock_owner_dead(const struct mr_lock_owner *o);

/*
 * Mark W's owner oopsed when one of the N oopses (oldest first) is its
 * (see above); the newest that matches wins. Only a dead owner is marked.
 */
void mr_lock_wait_mark_oops(struct mr_lock_wait *w, const struct mr_oops *o,
			    size_t n);

/*
 * "pid 123 (rmmod) spins on hp_x_lock [hp_x], held 12.3 s by pid 99
 * (hp_x, dead: oopsed), taken at hp_x_thread+0x4a/0x90 [hp_x]".
 * "sleeps on" for a waiter in D or S state, "waits for" when its state is
 * unknown.
 */
void mr_lock_wait_text(const struct mr_lock_wait *w, char *buf, size_t len);

/* "dead: oopsed", "dead", "" (alive). */
const char *mr_lock_owner_fate(const struct mr_lock_owner *o);

#endif /* MODRESCUE_LOCKWAIT_H */
