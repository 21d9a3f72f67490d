/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lockwatch's view of the kernel's spinlocks at one moment (issue 10): the
 * model shared by the reader of the helper's answer (to come), the cycle
 * finder (cycles.c), the filter below and the renderers (lockrender.c).
 *
 * A snapshot holds the locks held now and, apart from them, the tasks that
 * wait for a lock. A waiter names its lock by address only: it may wait for
 * a lock the snapshot does not hold (released meanwhile, or one whose state
 * was uncertain and so not reported as held), and it must still be shown.
 *
 * Build a snapshot with mr_lock_snapshot_init() and the _add_ functions, then
 * call mr_lock_snapshot_sort() once; every reader below needs it sorted
 * (locks by address, waiters by lock then task), which makes "the holders of
 * a lock" and "the waiters of a lock" a binary search on any input size.
 */
#ifndef MODRESCUE_LOCKS_H
#define MODRESCUE_LOCKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The kernel's TASK_COMM_LEN, terminator included. */
#define MR_LOCK_COMM_LEN 16
/* The helper's MODRESCUE_SYMBOL_LEN, terminator included. */
#define MR_LOCK_SYMBOL_LEN 96
/* The default of `modrescue locks`: held at least 1 ms, or waited for. */
#define MR_LOCK_MIN_HELD_DEFAULT_NS 1000000ULL

/* Where the holder was running when it took the lock. */
enum mr_lock_context {
	MR_LOCK_CTX_TASK = 0,
	MR_LOCK_CTX_SOFTIRQ,
	MR_LOCK_CTX_HARDIRQ,
	MR_LOCK_CTX_NMI,
	MR_LOCK_CTX_COUNT,
};

/*
 * A task as the kernel's `current` was at the event. In softirq, hardirq and
 * NMI context that is the interrupted task, not the holder (see
 * struct mr_lock_owner). pid 0 is each CPU's idle task, so cpu tells those
 * apart.
 */
struct mr_lock_task {
	int pid;
	int cpu;
	char comm[MR_LOCK_COMM_LEN];
};

/* Who holds a lock. */
struct mr_lock_owner {
	struct mr_lock_task task;
	enum mr_lock_context context;
	bool alive; /* false: the task exited with the lock held */
	bool oopsed; /* the task oopsed with the lock held */
};

/* One lock held now. */
struct mr_held_lock {
	uint64_t addr;
	char *symbol; /* "hp_x_lock [mod]"; NULL when no symbol covers it */
	struct mr_lock_owner owner;
	char *acquired_at; /* "func+0x1a/0x40 [mod]"; never NULL */
	uint64_t held_ns;
	bool sleeping; /* PREEMPT_RT's spinlock_t: its holder may sleep */
};

/*
 * A task inside a lock call for the lock at LOCK, for waiting_ns so far.
 * symbol names the lock ("" when no symbol covers it), even when the
 * snapshot holds no entry for it.
 */
struct mr_lock_waiter {
	struct mr_lock_task task;
	uint64_t lock;
	uint64_t waiting_ns;
	char symbol[MR_LOCK_SYMBOL_LEN];
	bool sleeping; /* asleep in a sleeping lock (PREEMPT_RT) */
};

struct mr_lock_snapshot {
	bool on; /* lockwatch armed */
	uint64_t missed; /* events that could not be recorded */
	struct mr_held_lock *locks; /* the snapshot owns the strings */
	size_t n_locks, cap_locks;
	struct mr_lock_waiter *waiters;
	size_t n_waiters, cap_waiters;
	bool sorted; /* cleared by every _add_, set by _sort */
};

/* Which held locks `modrescue locks` lists. */
struct mr_lock_filter {
	bool all; /* --all: every held lock */
	uint64_t min_held_ns; /* otherwise held this long, or waited for */
};

/* "task", "softirq", "hardirq", "nmi"; "?" out of range. */
const char *mr_lock_context_name(enum mr_lock_context ctx);

void mr_lock_snapshot_init(struct mr_lock_snapshot *s, bool on,
			   uint64_t missed);
/* Copy L (and its strings) in; 0 or -ENOMEM. */
int mr_lock_snapshot_add_lock(struct mr_lock_snapshot *s,
			      const struct mr_held_lock *l);
/* Copy W in; 0 or -ENOMEM. */
int mr_lock_snapshot_add_waiter(struct mr_lock_snapshot *s,
				const struct mr_lock_waiter *w);
/* Sort for the readers below; call after the last _add_. */
void mr_lock_snapshot_sort(struct mr_lock_snapshot *s);
void mr_lock_snapshot_free(struct mr_lock_snapshot *s);

/*
 * The waiters for the lock at LOCK in a sorted snapshot: their count, and
 * the first of them in *FIRST (the others follow it).
 */
size_t mr_lock_waiters_of(const struct mr_lock_snapshot *s, uint64_t lock,
			  const struct mr_lock_waiter **first);
/* The index of the first held lock at ADDR in a sorted snapshot, or n_locks. */
size_t mr_lock_first_holder(const struct mr_lock_snapshot *s, uint64_t addr);

/* The default filter: held at least 1 ms, or waited for. */
void mr_lock_filter_default(struct mr_lock_filter *f);
/* Whether `modrescue locks` with F lists L of the sorted snapshot S. */
bool mr_lock_listed(const struct mr_lock_snapshot *s,
		    const struct mr_held_lock *l,
		    const struct mr_lock_filter *f);

#endif /* MODRESCUE_LOCKS_H */
