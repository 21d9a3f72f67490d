/* SPDX-License-Identifier: GPL-2.0 */
/* Talking to the modrescue.ko helper through /dev/modrescue. */
#ifndef MODRESCUE_HELPER_H
#define MODRESCUE_HELPER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uapi/modrescue.h>

/* Is the helper module loaded and live? Uses libkmod; false on any error. */
bool mr_helper_is_loaded(void);

/*
 * Open the helper's device. Returns an fd, or a negative errno. The path is
 * MODRESCUE_DEVICE_PATH unless $MODRESCUE_DEVICE overrides it (tests).
 */
int mr_helper_open(void);

/*
 * Open the helper's device only if the helper is already loaded (never
 * loads it): an fd, -ENOENT when it is not loaded, or a negative errno.
 */
int mr_helper_open_loaded(void);

/* Ask the helper for its ABI version. Returns 0 or a negative errno. */
int mr_helper_get_version(int fd, struct modrescue_version *ver);

/*
 * Can this CLI (MODRESCUE_ABI_VERSION) work with a helper that reported
 * VER? The helper serves ABIs min_abi_version to abi_version. 0 if so;
 * else -EPROTO, with why naming the ABI each side speaks.
 */
int mr_helper_abi_check(const struct modrescue_version *ver, char *why,
			size_t why_len);

/*
 * Ask the helper about module NAME and its live users; up to cap users are
 * stored at users. Returns 0 or a negative errno (-ENOENT: not loaded).
 */
int mr_helper_inspect(int fd, const char *name, struct modrescue_inspect *out,
		      struct modrescue_user *users, unsigned int cap);

/*
 * Ask the helper to apply EDITS (MODRESCUE_EDIT_*) to module NAME, which
 * must still be in EXPECT_STATE. out reports what was applied and the state
 * before. Returns 0 or a negative errno (-ESTALE, -EBUSY, ...).
 */
int mr_helper_prepare(int fd, const char *name, unsigned int edits,
		      unsigned int expect_state, unsigned int flags,
		      struct modrescue_prepare *out);

/* UNBLOCK: fills OUT; returns 0 or a negative errno (see the ABI). */
int mr_helper_unblock(int fd, int pid, const char *name,
		      unsigned int expect_state, unsigned int flags,
		      struct modrescue_unblock *out);

/* QUARANTINE: fills OUT; returns 0 or a negative errno. */
int mr_helper_quarantine(int fd, const char *name, unsigned int expect_state,
			 int pid, unsigned int flags,
			 struct modrescue_quarantine *out);

/*
 * LEFTOVERS: what module NAME's crashed init or exit left registered, up to
 * CAP entries into ITEMS (OUT->found may exceed CAP). FLAGS may ask to undo
 * the exact kinds first (MODRESCUE_LEFTOVERS_FINISH). 0 or a negative errno.
 */
int mr_helper_leftovers(int fd, const char *name, unsigned int expect_state,
			unsigned int flags, struct modrescue_leftover *items,
			unsigned int cap, struct modrescue_leftovers *out);

/*
 * Ask the helper to cut stale entries (left by a loader that died in a
 * module's init) out of the kernel's idempotent-load table. Returns 0 or a
 * negative errno (-EOPNOTSUPP: the kernel has no such table).
 */
int mr_helper_repair_loader(int fd, unsigned int flags,
			    struct modrescue_repair_loader *out);

/* LOCKWATCH: OP is MODRESCUE_LOCKWATCH_*; 0 or a negative errno. */
int mr_helper_lockwatch(int fd, unsigned int op,
			struct modrescue_lockwatch *out);

/*
 * LOCKS: up to CAP held locks and waiters into ENTRIES; OUT->found may
 * exceed CAP. 0 or a negative errno (-ENODATA: lockwatch is off).
 */
int mr_helper_locks(int fd, struct modrescue_lock *entries, unsigned int cap,
		    struct modrescue_locks *out);

/*
 * LOCK_RELEASE: release the lock with id LOCK if its owner is dead (FLAGS:
 * MODRESCUE_LOCK_RELEASE_*). OUT says who held it and, on a refusal, why.
 * 0 or a negative errno (see the ABI).
 */
int mr_helper_lock_release(int fd, uint64_t lock, unsigned int flags,
			   struct modrescue_lock_release *out);

#endif /* MODRESCUE_HELPER_H */
