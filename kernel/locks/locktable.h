/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lockwatch's bookkeeping of held spinlocks (issue 10): one fixed table per
 * (CPU, context), written only by its own CPU in its own context from the
 * spinlock hooks, and read without a lock by the ioctl that snapshots every
 * CPU. Pure logic: the hook passes the table for its own CPU and context
 * (this_cpu_ptr() and an index from in_nmi()/in_hardirq()/
 * in_serving_softirq()), a pid, a site and a time; nothing here looks any of
 * them up, so the same code runs in the helper and in the unit tests
 * (tests/unit/test_locktable.c).
 *
 * Hot path: no allocation, no lock, no printk, no atomic read-modify-write,
 * no call out of this file (every function is notrace); a bounded scan of
 * at most MR_LT_SLOTS words. NMI-safe: an NMI uses its own table.
 *
 * Writers. Only the owning CPU in the owning context writes a table, so
 * writers never race each other. A table also carries a busy flag: should
 * an operation find its own table busy (the caller classified an interrupt
 * into the context it interrupted, e.g. in the entry code before
 * irq_enter(), or a hook recursed), it writes nothing but the nested
 * counter and a barrier time (see below), and returns false.
 *
 * Readers: a sequence count per slot. The writer makes it odd, writes the
 * fields, makes it even again, with smp_wmb() between the steps; the reader
 * reads it, the fields, and it again, with smp_rmb() between, and keeps the
 * copy only if both reads gave the same even number. Anything else is a
 * slot being written: skipped and counted as unstable. A free slot has
 * lock == 0.
 *
 * A held entry is recorded after the real acquisition and forgotten before
 * the real release, so a lock's entries never overlap in real time. When
 * the bookkeeping misses an event, a stale entry can remain, and the
 * snapshot must not report it. The rules (mr_lt_snap_finish()):
 *
 * 1. Released elsewhere. A release that finds no entry in its own table
 *    (the lock was taken on another CPU or in another context, or its
 *    acquisition was never recorded) leaves a tombstone (lock, time) in the
 *    releasing table. Every entry for that lock acquired before the
 *    tombstone (within the clock slack) is dropped as stale, wherever it is.
 * 2. Acquired again. Of two entries for the same lock, the older one was
 *    released before the newer acquisition, so it is dropped as stale; if
 *    their times are within the clock slack, neither is known to be the
 *    holder and both are dropped as uncertain. Within one table this is
 *    done at once: an acquisition of a lock the table already holds
 *    replaces that entry (counted as "replaced").
 * 3. Lost events. An event whose lock is unknown (mr_lt_lost(): the hook's
 *    recursion guard; a nested writer on a busy table; a tombstone evicted
 *    from the ring; an acquisition not recorded because the table is full,
 *    whose lock is then held by nobody the tables know, so that an older
 *    entry for it elsewhere would pass rule 2) leaves a barrier time: every
 *    held entry acquired before the newest barrier of any table (within the
 *    slack) is dropped as uncertain, and a waiter before its own table's
 *    barrier likewise. A waiter not recorded because every wait slot is
 *    used raises no barrier: a waiter is never a holder, no rule judges a
 *    holder by one, and a missing waiter only hides a wait.
 * 4. Sleeping locks. An MR_LT_RT entry (PREEMPT_RT's spinlock_t, whose
 *    rtmutex stores its owner) is reported only if the lock itself still
 *    names the recorded task as its owner (the caller's verify()).
 *
 * The snapshot reads all held entries and waiters first, then all
 * tombstones and barriers: a release that happened before an entry was read
 * wrote its tombstone (or its barrier) before that, so it is seen. Times
 * must come from one clock that is comparable across CPUs; the slack covers
 * its skew. A time of 0 means "none": callers pass non-zero times.
 *
 * Reclaim. A table reclaims slots only when it has none free, and only
 * entries whose loss changes no judgement (so a long arming does not fill
 * the tables with stale entries and go blind): a held entry acquired at
 * least the slack before the newest barrier of any table (rule 3 already
 * drops it, and every entry it could judge by rule 2 is older still, so
 * dropped by the same barrier), or one a tombstone of any table buries by
 * at least the slack (rule 1, likewise); a waiter acquired before its own
 * table's barrier. The other tables are read, never written: the owner
 * CPU-context stays the only writer of its table. Their list is set once
 * per arming (mr_lt_set_peers()); reclaimed entries are counted. A reclaim
 * that freed nothing is retried only once the newest barrier reaches the
 * oldest entry it saw, or some peer has written a tombstone since: a full
 * table that stays full does not rescan every peer's tombstones on every
 * acquisition (its own "full" barrier moves each time, so that alone
 * cannot be the test). Nothing else makes an entry reclaimable: while the
 * table is full its entries are only replaced by newer ones, and an entry
 * filled since was acquired after every barrier and tombstone already
 * written (within the slack).
 *
 * Order. Each entry carries the table's own sequence number at its
 * acquisition (order): within one table, a larger order is a later
 * acquisition even where a coarse clock gives equal times.
 *
 * Exclusive locks only: a recursive read lock (rwlock readers) held twice
 * would be taken for a stale entry (rule 2).
 */
#ifndef _MODRESCUE_LOCKTABLE_H
#define _MODRESCUE_LOCKTABLE_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
typedef uint64_t u64;
typedef uint32_t u32;
#endif

/* Held locks one CPU-context can record; deeper nesting is counted full. */
#define MR_LT_SLOTS 32
/*
 * Waiters one CPU-context can record at once. A spinning waiter (raw
 * spinlock) is alone in its context, but on PREEMPT_RT the waiters of
 * sleeping locks (rt_spin_lock) wait with preemption on, several tasks of
 * one CPU at a time; more are counted (waits).
 */
#define MR_LT_WAITS 8
/* Recent unknown releases kept per table; an evicted one becomes a barrier. */
#define MR_LT_TOMBS 8
/* Tries to read a tombstone that is being written before giving up on it. */
#define MR_LT_TOMB_TRIES 4
/* Default clock skew tolerated between CPUs' times (ns). */
#define MR_LT_SLACK_NS 1000000ULL

/* The contexts of a CPU, one table each. */
enum mr_lt_ctx {
	MR_LT_TASK = 0,
	MR_LT_SOFTIRQ,
	MR_LT_HARDIRQ,
	MR_LT_NMI,
	MR_LT_NR_CTX,
};

/* What kind of lock a slot records. */
enum mr_lt_kind {
	MR_LT_RAW = 0,		/* a spinning lock (_raw_spin_*) */
	/*
	 * A sleeping lock (PREEMPT_RT's spinlock_t, rt_spin_*) that stores
	 * its owner task itself: reported only where mr_lt_snap.verify
	 * confirms the lock's own owner is the recorded task.
	 */
	MR_LT_RT,
};

/*
 * Which entry point took a lock, so that it can be undone exactly
 * (contain.c): what its release must restore besides the lock word.
 */
enum mr_lt_how {
	MR_LT_HOW_PLAIN = 0,	/* _raw_spin_lock, _raw_spin_trylock, rt_spin_* */
	MR_LT_HOW_IRQSAVE,	/* _raw_spin_lock_irqsave: flags */
	MR_LT_HOW_IRQ,		/* _raw_spin_lock_irq */
	MR_LT_HOW_BH,		/* _raw_spin_(try)lock_bh, rt_spin_trylock_bh */
	MR_LT_NR_HOW,
};

/*
 * One held lock, or the lock a context waits for: 64 bytes, aligned to
 * 64, so that recording or forgetting an entry touches one cache line
 * (the seq count, the lock and the fields share it). flags and task share
 * a word (an MR_LT_RT entry, taken by rt_spin_lock(), has no irqsave
 * flags), and kind and how share another: ten stores fill a slot.
 */
#define MR_LT_SLOT_ALIGN 64
struct mr_lt_slot {
	/* odd while the owner writes the slot; aligns the slot (C11) */
	_Alignas(MR_LT_SLOT_ALIGN) u32 seq;
	int pid;		/* current at acquisition (interrupted task in IRQ) */
	u64 start_ns;		/* that task's start_time: pid reuse shows */
	u64 order;		/* the table's sequence number at acquisition */
	unsigned long lock;	/* lock address; 0: free */
	unsigned long ip;	/* acquire site (the lock call's caller) */
	/* MR_LT_RAW: irqsave flags (0 for other entry points); MR_LT_RT: the task */
	unsigned long word;
	u64 since_ns;		/* acquired (or started waiting) at */
	u32 kind_how;		/* MR_LT_KIND_HOW(enum mr_lt_kind, enum mr_lt_how) */
};

#define MR_LT_KIND_HOW(kind, how) ((u32)(kind) | (u32)(how) << 16)
#define MR_LT_KIND_OF(kh) ((kh) & 0xffff)
#define MR_LT_HOW_OF(kh) ((kh) >> 16)

/* A release of a lock its table did not hold. */
struct mr_lt_tomb {
	u32 seq;		/* odd while the owner writes it */
	unsigned long lock;	/* 0: empty */
	u64 when_ns;
};

/* Events that could not be recorded exactly; summed in the snapshot. */
struct mr_lt_counts {
	unsigned long full;	/* acquisitions not recorded: table full */
	unsigned long unknown;	/* releases of a lock not in the table */
	unsigned long replaced;	/* acquisitions of a lock already recorded */
	unsigned long nested;	/* operations refused: table busy */
	unsigned long lost;	/* events the caller reported lost */
	unsigned long waits;	/* waiters not recorded: every wait slot used */
	unsigned long reclaimed; /* held entries and waiters reclaimed */
};

/* One CPU-context's table: zeroed (mr_lt_init()) before first use. */
struct mr_lt_table {
	struct mr_lt_slot slot[MR_LT_SLOTS];
	struct mr_lt_slot wait[MR_LT_WAITS];	/* locks waited for */
	struct mr_lt_tomb tomb[MR_LT_TOMBS];
	struct mr_lt_counts counts;
	u64 lost_ns;		/* barrier: lost events and evicted tombstones */
	u64 nested_ns;		/* barrier: refused (nested) operations */
	unsigned int busy;	/* an operation is writing this table */
	unsigned int top;	/* slots at and above it are free (writer only) */
	unsigned int tomb_next;	/* next tombstone to write (writer only) */
	u64 order;		/* last sequence number given (writer only) */
	/* Every table of the arming (this one may be among them): reclaim. */
	const struct mr_lt_table *const *peers;
	unsigned int n_peers;	/* entries of peers; NULL ones are skipped */
	/* Tombstones written so far, bumped after each (writer only). */
	u64 tomb_gen;
	/*
	 * A reclaim that freed nothing: the oldest entry it saw and the sum
	 * of the peers' tomb_gen then. Until the newest barrier reaches that
	 * entry (by the slack) or a tombstone is written somewhere, a rescan
	 * would free nothing again, so it is not retried (writer only).
	 */
	unsigned int reclaim_failed;
	u64 reclaim_oldest;
	u64 reclaim_tombs;
};

/* One held lock or waiter, as a snapshot copies it out. */
struct mr_lt_rec {
	unsigned long lock;
	unsigned long ip;
	unsigned long flags;	/* 0 for a waiter */
	unsigned long task;	/* as in struct mr_lt_slot */
	u64 since_ns;
	u64 start_ns;		/* as in struct mr_lt_slot */
	u64 order;		/* as in struct mr_lt_slot */
	int pid;
	unsigned int kind;	/* enum mr_lt_kind */
	unsigned int how;	/* enum mr_lt_how */
	unsigned int cpu;
	unsigned int ctx;	/* enum mr_lt_ctx */
	unsigned int drop;	/* mr_lt_snap_finish()'s own: why not reported */
};

/* Why mr_lt_snap_finish() does not report a held entry. */
#define MR_LT_STALE 1		/* rules 1 and 2: released since */
#define MR_LT_UNCERTAIN 2	/* rules 2 and 3: may have been released */
#define MR_LT_UNVERIFIED 3	/* rule 4: its owner is not the recorded one */

/* A tombstone as a snapshot copies it out. */
struct mr_lt_trec {
	unsigned long lock;
	u64 when_ns;
};

/*
 * A snapshot of every table. The caller fills the "in" part (buffers and
 * their sizes, the time, the slack) and calls mr_lt_snap_begin(); then
 * mr_lt_snap_entries() for every table, then mr_lt_snap_tombs() for every
 * table, then mr_lt_snap_finish(); or mr_lt_snapshot() over an array.
 * held must have room for every slot of every table (MR_LT_SLOTS each) to
 * be exact: if any held entry did not fit, rule 2 cannot be checked, so
 * every held entry is dropped as uncertain. Waiters that do not fit are
 * only counted; tombstones that do not fit become a barrier.
 *
 * Rule 4: an MR_LT_RT entry that passes rules 1-3 is reported only if
 * verify(entry, verify_arg) says the lock's own owner is entry->task (the
 * kernel reads it from the lock; a lock whose memory is gone, or owned by
 * another task, says no). Without verify, no MR_LT_RT entry is reported.
 */
struct mr_lt_snap {
	/* in */
	struct mr_lt_rec *held;
	unsigned int held_max;
	struct mr_lt_rec *waiting;
	unsigned int waiting_max;
	struct mr_lt_trec *tombs;
	unsigned int tombs_max;
	u64 now_ns;		/* when the snapshot was taken */
	u64 slack_ns;		/* clock skew between CPUs (MR_LT_SLACK_NS) */
	bool (*verify)(const struct mr_lt_rec *rec, void *arg); /* rule 4 */
	void *verify_arg;
	/*
	 * Events may have been skipped unseen (another ftrace user shares
	 * the hooked sites): no held entry is reported, all are uncertain.
	 */
	bool distrust;
	/* out */
	unsigned int n_held;	/* held entries reported, in held[] */
	unsigned int n_waiting;	/* waiters reported, in waiting[] */
	unsigned int n_tombs;
	unsigned int unstable;	/* slots skipped: being written */
	unsigned int overflow_held;	/* held entries that did not fit */
	unsigned int overflow_waiting;	/* waiters that did not fit */
	unsigned int stale;	/* held entries dropped: rules 1 and 2 */
	unsigned int uncertain;	/* held entries and waiters dropped: 2, 3 */
	unsigned int unverified; /* held entries dropped: rule 4 */
	u64 barrier_ns;		/* newest barrier of any table (rule 3) */
	struct mr_lt_counts counts; /* summed over the tables */
};

/* Make a table empty. Not concurrent with its writer. */
void mr_lt_init(struct mr_lt_table *t);
/*
 * The tables a full table looks at to reclaim slots (see Reclaim above):
 * n pointers, NULL for holes, alive as long as t is written. Before the
 * first write of t.
 */
void mr_lt_set_peers(struct mr_lt_table *t,
		     const struct mr_lt_table *const *peers, unsigned int n);
/* Whether every held slot of t is in use now (a racy read, for status). */
bool mr_lt_is_full(const struct mr_lt_table *t);

/*
 * Lock was acquired (after the real acquisition returned; for a trylock
 * only when it succeeded: a failed trylock must never be passed here).
 * Returns whether it was recorded: false when the table is full (counted)
 * or busy (counted), or lock is 0.
 */
bool mr_lt_acquired(struct mr_lt_table *t, unsigned long lock, int pid,
		    unsigned long ip, u64 now_ns, unsigned long flags);
/* The same for a sleeping lock (MR_LT_RT) held by task (its address). */
bool mr_lt_acquired_rt(struct mr_lt_table *t, unsigned long lock, int pid,
		       unsigned long task, unsigned long ip, u64 now_ns);
/*
 * Either, saying how the lock was taken (enum mr_lt_how) and the task's
 * start time (start_ns, 0 if unknown); the two above record
 * MR_LT_HOW_IRQSAVE for non-zero flags, else MR_LT_HOW_PLAIN, and 0.
 */
bool mr_lt_acquired_how(struct mr_lt_table *t, unsigned long lock, int pid,
			u64 start_ns, unsigned long ip, u64 now_ns,
			unsigned long flags, unsigned int how);
bool mr_lt_acquired_rt_how(struct mr_lt_table *t, unsigned long lock,
			   int pid, u64 start_ns, unsigned long task,
			   unsigned long ip, u64 now_ns, unsigned int how);

/*
 * Lock is about to be released (before the real release). The common case
 * needs no time: mr_lt_releasing() returns true when this table held the
 * lock and its entry is now forgotten. Otherwise it wrote nothing (the
 * table does not hold the lock, or is busy, or lock is 0), and the caller
 * reads the clock and calls mr_lt_releasing_at(), still before the real
 * release.
 */
bool mr_lt_releasing(struct mr_lt_table *t, unsigned long lock);
/*
 * The same with a time, for what needs one: a release this table did not
 * hold is counted as unknown and leaves a tombstone (rule 1); a busy table
 * counts it as nested and takes a barrier (rule 3). Returns whether this
 * table held the lock.
 */
bool mr_lt_releasing_at(struct mr_lt_table *t, unsigned long lock,
			u64 now_ns);

/*
 * Part of what lock's acquisition did has been undone by other means
 * (contain.c re-enables BH for an oopsing task's _bh lock): record how
 * what remains is undone. Returns false, writing nothing, if this table
 * does not hold the lock or is busy.
 */
bool mr_lt_set_how(struct mr_lt_table *t, unsigned long lock,
		   unsigned int how);

/*
 * A task starts waiting for lock (on entry to the lock call, when it finds
 * the lock held: the caller checks, see lockhooks.c). Returns the
 * wait slot it took, for mr_lt_waiting_end(), or -1: none free (counted as
 * waits) or the table busy (counted as nested). Only the caller clears the
 * slot, from this same table: a waiter that may sleep must not migrate
 * until it has (see lockhooks.c).
 */
int mr_lt_waiting_begin(struct mr_lt_table *t, unsigned long lock, int pid,
			unsigned long ip, u64 now_ns);
/* The same for a sleeping lock: a waiter of kind MR_LT_RT. */
int mr_lt_waiting_begin_rt(struct mr_lt_table *t, unsigned long lock,
			   int pid, unsigned long task, unsigned long ip,
			   u64 now_ns);
/*
 * ... and stops (the lock call returned). w: as returned; -1 is a no-op.
 * lock: as given to mr_lt_waiting_begin(): the slot is cleared only if it
 * still records it (a full wait list may have reclaimed it for another
 * waiter meanwhile). now_ns is only written as a barrier should the table
 * be busy: the acquisition's own time will do.
 */
void mr_lt_waiting_end(struct mr_lt_table *t, int w, unsigned long lock,
		       u64 now_ns);

/*
 * An event of this CPU-context could not be passed on (the hook's own
 * recursion guard refused it): every held entry older than now_ns, on any
 * CPU, becomes uncertain (rule 3).
 */
void mr_lt_lost(struct mr_lt_table *t, u64 now_ns);

void mr_lt_snap_begin(struct mr_lt_snap *s);
/* Copy table's stable held entries and waiter, as those of (cpu, ctx). */
void mr_lt_snap_entries(struct mr_lt_snap *s, const struct mr_lt_table *t,
			unsigned int cpu, unsigned int ctx);
/*
 * Copy table's tombstones, barriers and counters, after every table's
 * entries; drops the table's waiter if its barrier is
 * newer. cpu and ctx as given to mr_lt_snap_entries() for it.
 */
void mr_lt_snap_tombs(struct mr_lt_snap *s, const struct mr_lt_table *t,
		      unsigned int cpu, unsigned int ctx);
/* Apply rules 1-4: held[] and waiting[] keep only what is reported. */
void mr_lt_snap_finish(struct mr_lt_snap *s);

/*
 * All of the above over tables[cpu * MR_LT_NR_CTX + ctx], n entries (a NULL
 * pointer is skipped: a CPU that is not possible).
 */
void mr_lt_snapshot(struct mr_lt_snap *s,
		    const struct mr_lt_table *const *tables, unsigned int n);

#endif /* _MODRESCUE_LOCKTABLE_H */
