/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Releasing a dead owner's spinlock (issue 11, part 1), the pure part:
 * which lock the user means (`modrescue locks release LOCK`), which locks
 * an unload may release for a module, and the words for what the helper
 * did or refused. The helper decides in the kernel (kernel/locks/lockrelease.c);
 * these only choose what to ask and say what it answered.
 */
#ifndef MODRESCUE_LOCKPICK_H
#define MODRESCUE_LOCKPICK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "locks.h"
#include "uapi/modrescue.h"

/*
 * The lock id the user gave: a lock id as `locks` prints it ("0x…", hex),
 * or a symbol matched against the held locks of the sorted snapshot S:
 * "hp_x_lock", "hp_x_lock [mod]" or "hp_dev+0x40 [mod]" (the name alone
 * matches the symbol up to its " [module]"). 0 with *ID set; -ENOENT no
 * held lock has that symbol; -EEXIST several do (*N: how many); -EINVAL
 * an empty argument. An id is taken as given: the helper checks it.
 */
int mr_lock_pick(const struct mr_lock_snapshot *s, const char *arg,
		 uint64_t *id, size_t *n);

/*
 * May an unload ask the helper to release L: held by a dead owner, in task
 * context, a spinning lock (not PREEMPT_RT's sleeping spinlock_t, which the
 * helper refuses)? The helper checks all of it again, and more.
 */
bool mr_lock_stale(const struct mr_held_lock *l);

/* Does L's symbol or acquire site end in " [MOD]" (the module's own)? */
bool mr_lock_of_module(const struct mr_held_lock *l, const char *mod);

/* Words for a MODRESCUE_RELEASE_* reason: "its owner is alive". */
const char *mr_lock_release_reason_text(unsigned int reason);
/* A short token for JSON: "ok", "alive", "exiting", ... */
const char *mr_lock_release_reason_name(unsigned int reason);

/*
 * "hp_x_lock [hp_x] held by dead pid 99 (hp_x), taken at f+0x4a/0x90
 * [hp_x]" from the helper's answer O. The owner is the entry's task when
 * it still has one, else the pid lockwatch recorded (O->dead_pid) with
 * COMM (from the kernel log's oops, may be NULL or ""); "dead" reads
 * "alive" for a live owner, and "exiting" for one that is.
 */
void mr_lock_release_text(const struct modrescue_lock_release *o,
			  const char *comm, char *buf, size_t len);

#endif /* MODRESCUE_LOCKPICK_H */
