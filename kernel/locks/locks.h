/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The locks concern's interface: lockwatch, the hooks (lockhooks.c) and
 * their control (lockwatch.c); lock release (lockrelease.c, released.c)
 * and containment (contain.c). locktable.h, lockplace.h and containrule.h
 * are their pure logic, shared with the unit tests.
 */
#ifndef _MODRESCUE_LOCKS_H
#define _MODRESCUE_LOCKS_H

#include <linux/ftrace.h>
#include <linux/percpu.h>
#include <uapi/modrescue.h>

#include "locktable.h"

/*
 * ftrace_free_filter() frees an ops' filter and notrace hashes but leaves
 * its pointers to them (6.1 and 6.12): a static ops filtered again would
 * copy a freed hash and free it a second time. This puts the ops back to
 * a never-filtered one's empty (NULL) hashes. The ops must be unregistered.
 */
static inline void mr_ftrace_free_filter(struct ftrace_ops *ops)
{
	ftrace_free_filter(ops);
	ops->func_hash->filter_hash = NULL;
	ops->func_hash->notrace_hash = NULL;
}

/* One CPU's tables, one per context (enum mr_lt_ctx). */
struct mr_lw_cpu {
	struct mr_lt_table ctx[MR_LT_NR_CTX];
};

/* Set while armed; the wrappers write this CPU's tables. */
extern struct mr_lw_cpu __percpu *mr_lw_cpus;

struct mr_lw_hook {
	const char *name;
	unsigned long func;	/* the real function, by its exported name */
	unsigned long wrapper;
	/*
	 * true: a lock call, redirected to wrapper (mr_lw_redirect());
	 * false: an unlock, whose wrapper is the callback that forgets the
	 * entry at its fentry site (mr_lw_unlock_ops), not redirected.
	 */
	bool redirect;
};

extern const struct mr_lw_hook mr_lw_hooks[];
extern const unsigned int mr_lw_nr_hooks;
/* An entry point this kernel inlines (nothing to hook), or NULL. */
extern const char *const mr_lw_inlined;
/* Whether that keeps lockwatch from arming (not on PREEMPT_RT). */
extern const bool mr_lw_refuse;

/* Tasks inside a wrapper; exact once the hooks are unregistered. */
long mr_lw_inflight_sum(void);

void mr_lw_redirect(unsigned long ip, unsigned long parent_ip,
		    struct ftrace_ops *op, struct ftrace_regs *fregs);
void mr_lw_forget_hook(unsigned long ip, unsigned long parent_ip,
		       struct ftrace_ops *op, struct ftrace_regs *fregs);
/* The pass-throughs' extents, read before arming (lockhooks.c). */
int mr_lw_pass_init(void);
/*
 * Release lock as its entry's how and flags say, reaching the real unlock:
 * the only way the helper's own unlock calls pass the hooks untracked
 * (contain.c, after forgetting the entry).
 */
void mr_lw_real_unlock(unsigned long lock, unsigned int how,
		       unsigned long flags);
/* A dying task's wrapper frames (lockhooks.c), and their repair. */
unsigned int mr_lw_wrapper_frames(const unsigned long *trace, unsigned int n,
				  const char **hook, unsigned long *caller);
void mr_lw_inflight_repair(unsigned int n);
/* Another ftrace_ops was seen sharing a hooked site this arming. */
extern bool mr_lw_shared;
/*
 * Fill a snapshot's inputs as every lockwatch snapshot must: the time, the
 * slack, rule 4's verify, and distrust while mr_lw_shared.
 */
void mr_lw_snap_prepare(struct mr_lt_snap *s);
/*
 * Around containment's own ftrace callback (preemption off): lock calls
 * ftrace skips under it are not taken for a foreign ops sharing the sites.
 */
void mr_lw_own_hook_enter(void);
void mr_lw_own_hook_exit(void);

long mr_ioctl_lockwatch(struct modrescue_lockwatch *arg);
long mr_ioctl_locks(struct modrescue_locks *arg);
/* contain.c: keep lockwatch armed (arming it if off), and let it go. */
int mr_lw_hold(bool *armed_now, char *busy, size_t len);
void mr_lw_unhold(void);
/* Locktable rule 4: does the lock's own owner match the entry's task? */
bool mr_lw_verify(const struct mr_lt_rec *r, void *arg);

/* Module exit: disarm if still armed. */
void mr_lockwatch_exit(void);

/*
 * A buffer for one snapshot of every table (mr_lt_snapshot()), and the
 * tables it reads; contain.c keeps one allocated while armed.
 */
struct mr_lw_snapbuf {
	struct mr_lt_snap s;
	const struct mr_lt_table **tables;
	unsigned int n_tables;
};

int mr_lw_snapbuf_alloc(struct mr_lw_snapbuf *b);
void mr_lw_snapbuf_free(struct mr_lw_snapbuf *b);
/* "hp_x_lock [mod]", "hp_dev+0x40 [mod]", or "" where there is no symbol. */
void mr_lw_lock_symbol(unsigned long addr, char *buf, size_t len);

/* For lockrelease.c (see lockwatch.c). */
int mr_lw_lock_armed(void);
void mr_lw_unlock(void);
int mr_lw_find_held(u64 id, struct mr_lt_rec *rec, u64 *now_ns);
u64 mr_lw_lock_id(unsigned long lock);
void mr_lw_fill(struct modrescue_lock *e, const struct mr_lt_rec *r,
		bool waiter, u64 now);

/* lockrelease.c: release a dead owner's spinlock (LOCK_RELEASE). */
long mr_ioctl_lock_release(struct modrescue_lock_release *arg);
/*
 * released.c: the entries released, which every snapshot forgets:
 * mr_lr_forget() drops them from s->held (before or after
 * mr_lt_snap_finish()) and returns how many; mr_lr_reset() empties the
 * list when lockwatch arms anew. mr_lr_remember() adds r (under
 * lockwatch's mutex) unless mr_lr_full().
 */
unsigned int mr_lr_forget(struct mr_lt_snap *s);
void mr_lr_reset(void);
bool mr_lr_full(void);
void mr_lr_remember(const struct mr_lt_rec *r);
/*
 * Helper load and unload: the module notifier that records each module's
 * arrival (lockplace.h), before lockwatch can record any acquisition.
 */
int mr_lr_init(void);
void mr_lr_exit(void);

/* contain.c: containment of oopses and panics. */
long mr_ioctl_contain(struct modrescue_contain *arg);
/* Module exit: nothing is armed then (arming pins the helper). */
void mr_contain_exit(void);
void mr_contain_exit_wait_parked(void);

#endif /* _MODRESCUE_LOCKS_H */
