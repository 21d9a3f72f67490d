// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for kernel/locks/locktable.c, lockwatch's per-CPU, per-context table
 * of held spinlocks, built as it is in the kernel: locks recorded and
 * forgotten in and out of order; a full table counts and overwrites
 * nothing; a failed trylock leaves nothing; an unknown or repeated release
 * is counted and leaves a tombstone; a release without a time writes only
 * when it forgets a held lock; a snapshot over several CPUs and
 * contexts says which each entry came from; a slot being written is
 * skipped and counted; waiters, several at once (sleeping locks); and
 * the rules that keep a stale entry
 * from being reported (released on another CPU, acquired again elsewhere,
 * lost events, a nested writer, evicted tombstones, a short buffer, a
 * sleeping lock whose own owner is not the recorded one). A
 * reader in a signal handler that interrupts the writer anywhere, and a
 * writer thread against a reading thread, check that no torn entry is ever
 * copied out.
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/time.h>

#include <cmocka.h>

#include "locktable.h"

#define NCPU 4
#define NTABLES (NCPU * MR_LT_NR_CTX)

/* Times as a global clock gives them: 1 s after boot, in ms steps. */
#define T0 1000000000ULL
#define MS 1000000ULL

/* Lock addresses and acquire sites. */
#define LOCK(i) (0xffffffff82a00000UL + 0x40UL * (i))
#define SITE(i) (0xffffffff81100000UL + 0x10UL * (i))
#define FLAGS 0x246UL

static struct mr_lt_table tabs[NTABLES];
static const struct mr_lt_table *ptrs[NTABLES];
static struct mr_lt_rec held[NTABLES * MR_LT_SLOTS];
static struct mr_lt_rec waiting[NTABLES * MR_LT_WAITS];
static struct mr_lt_trec tombs[NTABLES * MR_LT_TOMBS];
static struct mr_lt_snap snap;

static struct mr_lt_table *tab(unsigned int cpu, unsigned int ctx)
{
	return &tabs[cpu * MR_LT_NR_CTX + ctx];
}

static int setup(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < NTABLES; i++) {
		mr_lt_init(&tabs[i]);
		ptrs[i] = &tabs[i];
	}
	for (i = 0; i < NTABLES; i++)
		mr_lt_set_peers(&tabs[i], ptrs, NTABLES);
	memset(&snap, 0, sizeof(snap));
	snap.held = held;
	snap.held_max = NTABLES * MR_LT_SLOTS;
	snap.waiting = waiting;
	snap.waiting_max = NTABLES * MR_LT_WAITS;
	snap.tombs = tombs;
	snap.tombs_max = NTABLES * MR_LT_TOMBS;
	snap.slack_ns = MR_LT_SLACK_NS;
	snap.now_ns = T0 + 1000 * MS;
	return 0;
}

static void take(void)
{
	mr_lt_snapshot(&snap, ptrs, NTABLES);
}

/* The held entry for lock in the last snapshot, or NULL. */
static const struct mr_lt_rec *held_of(unsigned long lock)
{
	unsigned int i;

	for (i = 0; i < snap.n_held; i++)
		if (snap.held[i].lock == lock)
			return &snap.held[i];
	return NULL;
}

static void acquire(struct mr_lt_table *t, unsigned int i, u64 when)
{
	assert_true(mr_lt_acquired(t, LOCK(i), 100 + (int)i, SITE(i), when,
				   FLAGS + i));
}

static void assert_entry(const struct mr_lt_rec *r, unsigned int i, u64 when,
			 unsigned int cpu, unsigned int ctx)
{
	assert_non_null(r);
	assert_int_equal(r->lock, LOCK(i));
	assert_int_equal(r->pid, 100 + (int)i);
	assert_int_equal(r->ip, SITE(i));
	assert_int_equal(r->flags, FLAGS + i);
	assert_int_equal(r->since_ns, when);
	assert_int_equal(r->cpu, cpu);
	assert_int_equal(r->ctx, ctx);
}

static void assert_no_misses(void)
{
	assert_int_equal(snap.counts.full, 0);
	assert_int_equal(snap.counts.unknown, 0);
	assert_int_equal(snap.counts.replaced, 0);
	assert_int_equal(snap.counts.nested, 0);
	assert_int_equal(snap.counts.lost, 0);
	assert_int_equal(snap.counts.waits, 0);
	assert_int_equal(snap.unstable, 0);
	assert_int_equal(snap.stale, 0);
	assert_int_equal(snap.uncertain, 0);
	assert_int_equal(snap.unverified, 0);
}

static void test_in_order(void **state)
{
	struct mr_lt_table *t = tab(0, MR_LT_TASK);

	(void)state;
	acquire(t, 1, T0);
	acquire(t, 2, T0 + MS);
	take();
	assert_int_equal(snap.n_held, 2);
	assert_entry(held_of(LOCK(1)), 1, T0, 0, MR_LT_TASK);
	assert_entry(held_of(LOCK(2)), 2, T0 + MS, 0, MR_LT_TASK);
	assert_true(mr_lt_releasing_at(t, LOCK(2), T0 + 2 * MS));
	take();
	assert_int_equal(snap.n_held, 1);
	assert_non_null(held_of(LOCK(1)));
	assert_true(mr_lt_releasing_at(t, LOCK(1), T0 + 3 * MS));
	take();
	assert_int_equal(snap.n_held, 0);
	assert_int_equal(t->top, 0);
	assert_no_misses();
}

/* A, B, C taken; A released first; the freed slot is reused. */
static void test_out_of_order(void **state)
{
	struct mr_lt_table *t = tab(1, MR_LT_TASK);

	(void)state;
	acquire(t, 1, T0);
	acquire(t, 2, T0 + 1);
	acquire(t, 3, T0 + 2);
	assert_true(mr_lt_releasing_at(t, LOCK(1), T0 + 3));
	take();
	assert_int_equal(snap.n_held, 2);
	assert_null(held_of(LOCK(1)));
	assert_entry(held_of(LOCK(2)), 2, T0 + 1, 1, MR_LT_TASK);
	assert_entry(held_of(LOCK(3)), 3, T0 + 2, 1, MR_LT_TASK);
	assert_int_equal(t->top, 3);
	acquire(t, 4, T0 + 4);
	assert_int_equal(t->slot[0].lock, LOCK(4));
	assert_int_equal(t->top, 3);
	assert_true(mr_lt_releasing_at(t, LOCK(3), T0 + 5));
	assert_true(mr_lt_releasing_at(t, LOCK(2), T0 + 6));
	assert_int_equal(t->top, 1);
	take();
	assert_int_equal(snap.n_held, 1);
	assert_entry(held_of(LOCK(4)), 4, T0 + 4, 1, MR_LT_TASK);
	assert_true(mr_lt_releasing_at(t, LOCK(4), T0 + 7));
	assert_int_equal(t->top, 0);
	take();
	assert_int_equal(snap.n_held, 0);
	assert_no_misses();
}

/*
 * One more than fits: not recorded, counted, nothing overwritten, and a
 * barrier (rule 3): the unrecorded lock is held by nobody the tables
 * know, so no entry before it is reported (an older entry for that lock
 * elsewhere would otherwise pass rule 2), until the table has drained and
 * newer acquisitions are recorded again.
 */
static void test_full_table(void **state)
{
	struct mr_lt_table *t = tab(2, MR_LT_HARDIRQ);
	unsigned int i;

	(void)state;
	/* Elsewhere, an entry for the lock that will go unrecorded. */
	acquire(tab(0, MR_LT_TASK), MR_LT_SLOTS, T0);
	for (i = 0; i < MR_LT_SLOTS; i++)
		acquire(t, i, T0 + i);
	take();
	assert_int_equal(snap.n_held, MR_LT_SLOTS + 1);
	assert_no_misses();
	assert_false(mr_lt_acquired(t, LOCK(MR_LT_SLOTS), 1, SITE(0),
				    T0 + 10 * MS, 0));
	take();
	assert_int_equal(snap.counts.full, 1);
	assert_int_equal(snap.counts.reclaimed, 0);
	/* Nothing is reported as certain: release would refuse every one. */
	assert_int_equal(snap.n_held, 0);
	assert_int_equal(snap.uncertain, MR_LT_SLOTS + 1);
	assert_null(held_of(LOCK(MR_LT_SLOTS)));
	/* Its release is unknown; nothing was overwritten. */
	assert_false(mr_lt_releasing_at(t, LOCK(MR_LT_SLOTS), T0 + 11 * MS));
	for (i = 0; i < MR_LT_SLOTS; i++)
		assert_int_equal(t->slot[i].lock, LOCK(i));
	/* Drained: what is taken after the barrier is reported again. */
	assert_true(mr_lt_releasing_at(t, LOCK(5), T0 + 12 * MS));
	acquire(t, MR_LT_SLOTS + 1, T0 + 20 * MS);
	take();
	assert_int_equal(snap.n_held, 1);
	assert_non_null(held_of(LOCK(MR_LT_SLOTS + 1)));
}

/*
 * A full table reclaims the entries a barrier of any table already makes
 * uncertain (at least the slack before it), instead of going blind: the
 * new acquisition is recorded, raising no barrier of its own.
 */
static void test_full_reclaims_before_barrier(void **state)
{
	struct mr_lt_table *t = tab(1, MR_LT_TASK);
	unsigned int i;

	(void)state;
	for (i = 0; i < MR_LT_SLOTS - 2; i++)
		acquire(t, i, T0 + i);
	/* Two within the slack of the barrier stay. */
	acquire(t, MR_LT_SLOTS - 2, T0 + 50 * MS - MR_LT_SLACK_NS / 2);
	acquire(t, MR_LT_SLOTS - 1, T0 + 50 * MS);
	mr_lt_lost(tab(3, MR_LT_NMI), T0 + 50 * MS);
	acquire(t, MR_LT_SLOTS, T0 + 60 * MS);
	assert_int_equal(t->counts.reclaimed, MR_LT_SLOTS - 2);
	assert_int_equal(t->counts.full, 0);
	assert_int_equal(t->lost_ns, 0);
	assert_int_equal(t->slot[MR_LT_SLOTS - 2].lock, LOCK(MR_LT_SLOTS - 2));
	assert_int_equal(t->slot[MR_LT_SLOTS - 1].lock, LOCK(MR_LT_SLOTS - 1));
	take();
	assert_int_equal(snap.n_held, 1);
	assert_non_null(held_of(LOCK(MR_LT_SLOTS)));
	assert_int_equal(snap.uncertain, 2);
	/* Room for more without another reclaim. */
	acquire(t, MR_LT_SLOTS + 1, T0 + 61 * MS);
	assert_int_equal(t->counts.reclaimed, MR_LT_SLOTS - 2);
}

/*
 * A stale entry whose release another table saw (its tombstone) is
 * reclaimed when the table fills; live entries stay and stay certain.
 */
static void test_full_reclaims_buried(void **state)
{
	struct mr_lt_table *t = tab(0, MR_LT_TASK);
	unsigned int i;

	(void)state;
	acquire(t, 5, T0);
	/* Released on CPU 3 (a sleeping lock's holder migrated, say). */
	assert_false(
		mr_lt_releasing_at(tab(3, MR_LT_TASK), LOCK(5), T0 + 10 * MS));
	for (i = 0; i < MR_LT_SLOTS; i++)
		if (i != 5)
			acquire(t, i, T0 + 20 * MS + i);
	acquire(t, MR_LT_SLOTS, T0 + 30 * MS);
	assert_int_equal(t->counts.reclaimed, 1);
	assert_int_equal(t->counts.full, 0);
	take();
	assert_int_equal(snap.n_held, MR_LT_SLOTS);
	assert_null(held_of(LOCK(5)));
	assert_non_null(held_of(LOCK(MR_LT_SLOTS)));
	assert_int_equal(snap.uncertain, 0);
	assert_int_equal(snap.stale, 0);
}

/*
 * A full table whose reclaim freed nothing does not rescan on every
 * acquisition (review M3): only once the newest barrier reaches its oldest
 * entry by the slack, or a tombstone is written somewhere. Its own "full"
 * barrier moves every time, and must not make it rescan by itself.
 */
static void test_full_reclaim_retried_on_change(void **state)
{
	struct mr_lt_table *t = tab(0, MR_LT_TASK);
	unsigned int i;

	(void)state;
	for (i = 0; i < MR_LT_SLOTS; i++)
		acquire(t, i, T0 + 20 * MS + i);
	assert_false(mr_lt_acquired(t, LOCK(100), 1, SITE(1),
				    T0 + 20 * MS + 100, 0));
	assert_int_equal(t->counts.full, 1);
	assert_int_equal(t->reclaim_failed, 1);
	/*
	 * Not rescanned while the barrier (its own full one included) stays
	 * within the slack of the oldest entry. Shown by an entry made
	 * reclaimable behind the table's back (no real writer can: see
	 * locktable.h), which a rescan would free.
	 */
	t->slot[7].since_ns = 1;
	assert_false(mr_lt_acquired(t, LOCK(100), 1, SITE(1),
				    T0 + 20 * MS + 200, 0));
	assert_false(mr_lt_acquired(t, LOCK(100), 1, SITE(1),
				    T0 + 20 * MS + 300, 0));
	assert_int_equal(t->counts.reclaimed, 0);
	assert_int_equal(t->counts.full, 3);
	t->slot[7].since_ns = T0 + 20 * MS + 7;
	/* A tombstone elsewhere buries LOCK(5): the next reclaim frees it. */
	assert_false(
		mr_lt_releasing_at(tab(3, MR_LT_TASK), LOCK(5), T0 + 22 * MS));
	assert_true(mr_lt_acquired(t, LOCK(100), 1, SITE(1), T0 + 22 * MS, 0));
	assert_int_equal(t->counts.reclaimed, 1);
	assert_int_equal(t->reclaim_failed, 0);
	/*
	 * Full again, at once: nothing is yet a slack older than the full
	 * barrier. Once the barrier has moved past the oldest entry by the
	 * slack, the next reclaim frees every entry it passed.
	 */
	assert_false(mr_lt_acquired(t, LOCK(101), 1, SITE(1),
				    T0 + 20 * MS + 400, 0));
	assert_int_equal(t->reclaim_failed, 1);
	mr_lt_lost(tab(2, MR_LT_TASK), T0 + 60 * MS);
	assert_true(mr_lt_acquired(t, LOCK(101), 1, SITE(1), T0 + 70 * MS, 0));
	assert_int_equal(t->counts.reclaimed, 1 + MR_LT_SLOTS);
}

/*
 * A waiter whose end was refused on a busy table stays behind the
 * table's barrier; a full wait list reclaims it, and the late end of the
 * reclaimed waiter does not clear the new one.
 */
static void test_waiter_reclaimed(void **state)
{
	struct mr_lt_table *t = tab(2, MR_LT_TASK);
	int i, w;

	(void)state;
	for (i = 0; i < MR_LT_WAITS; i++)
		assert_int_equal(mr_lt_waiting_begin(t, LOCK(i), 300 + i,
						     SITE(i), T0 + (u64)i),
				 i);
	t->busy = 1;
	mr_lt_waiting_end(t, 0, LOCK(0), T0 + MS);
	t->busy = 0;
	assert_int_equal(t->wait[0].lock, LOCK(0));
	for (i = 1; i < MR_LT_WAITS; i++)
		mr_lt_waiting_end(t, i, LOCK(i), T0 + 2 * MS);
	for (i = 1; i < MR_LT_WAITS; i++)
		assert_int_equal(mr_lt_waiting_begin(t, LOCK(50 + i), 400,
						     SITE(1), T0 + 3 * MS),
				 i);
	w = mr_lt_waiting_begin(t, LOCK(60), 401, SITE(2), T0 + 4 * MS);
	assert_int_equal(w, 0);
	assert_int_equal(t->counts.reclaimed, 1);
	assert_int_equal(t->counts.waits, 0);
	mr_lt_waiting_end(t, 0, LOCK(0), T0 + 5 * MS);
	assert_int_equal(t->wait[0].lock, LOCK(60));
	take();
	assert_int_equal(snap.n_waiting, MR_LT_WAITS);
}

/*
 * Entries of one table carry its sequence number: equal times (a coarse
 * clock) still say which was taken last. The task's start time is kept.
 */
static void test_order_and_identity(void **state)
{
	struct mr_lt_table *t = tab(1, MR_LT_TASK);
	const struct mr_lt_rec *a, *b;

	(void)state;
	assert_true(mr_lt_acquired_how(t, LOCK(1), 9, 777, SITE(1), T0, 0,
				       MR_LT_HOW_PLAIN));
	assert_true(mr_lt_acquired_how(t, LOCK(2), 9, 777, SITE(2), T0, 0,
				       MR_LT_HOW_PLAIN));
	take();
	a = held_of(LOCK(1));
	b = held_of(LOCK(2));
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(a->since_ns, b->since_ns);
	assert_true(b->order > a->order);
	assert_int_equal(a->start_ns, 777);
}

/*
 * A trylock, as the hook must call the table: mr_lt_acquired() only when
 * the real trylock returned 1. The failed one leaves nothing held and
 * nothing counted; the waiter record of the attempt is gone.
 */
static bool hook_trylock(struct mr_lt_table *t, unsigned long lock,
			 bool real_result, u64 now)
{
	mr_lt_waiting_end(t, mr_lt_waiting_begin(t, lock, 7, SITE(9), now),
			  lock, now + 1);
	if (real_result)
		mr_lt_acquired(t, lock, 7, SITE(9), now + 1, 0);
	return real_result;
}

static void test_failed_trylock(void **state)
{
	struct mr_lt_table *t = tab(0, MR_LT_SOFTIRQ);

	(void)state;
	assert_false(hook_trylock(t, LOCK(1), false, T0));
	take();
	assert_int_equal(snap.n_held, 0);
	assert_int_equal(snap.n_waiting, 0);
	assert_no_misses();
	assert_true(hook_trylock(t, LOCK(1), true, T0 + MS));
	take();
	assert_int_equal(snap.n_held, 1);
	assert_int_equal(held_of(LOCK(1))->ctx, MR_LT_SOFTIRQ);
	assert_no_misses();
}

/*
 * mr_lt_set_how(): changes only the named lock's entry, keeps everything
 * else, and writes nothing to a busy table or for a lock it does not hold.
 */
static void test_set_how(void **state)
{
	struct mr_lt_table *t = tab(0, MR_LT_TASK);

	(void)state;
	assert_true(mr_lt_acquired_how(t, LOCK(1), 101, 0, SITE(1), T0,
				       FLAGS + 1, MR_LT_HOW_BH));
	assert_true(mr_lt_acquired_how(t, LOCK(2), 102, 0, SITE(2), T0 + MS,
				       FLAGS + 2, MR_LT_HOW_BH));
	assert_true(mr_lt_set_how(t, LOCK(1), MR_LT_HOW_PLAIN));
	assert_false(mr_lt_set_how(t, LOCK(3), MR_LT_HOW_PLAIN));
	assert_false(mr_lt_set_how(t, 0, MR_LT_HOW_PLAIN));
	t->busy = 1;
	assert_false(mr_lt_set_how(t, LOCK(2), MR_LT_HOW_PLAIN));
	t->busy = 0;
	take();
	assert_int_equal(snap.n_held, 2);
	assert_entry(held_of(LOCK(1)), 1, T0, 0, MR_LT_TASK);
	assert_int_equal(held_of(LOCK(1))->how, MR_LT_HOW_PLAIN);
	assert_entry(held_of(LOCK(2)), 2, T0 + MS, 0, MR_LT_TASK);
	assert_int_equal(held_of(LOCK(2))->how, MR_LT_HOW_BH);
	assert_no_misses();
	/* Still released as usual. */
	assert_true(mr_lt_releasing(t, LOCK(1)));
	assert_true(mr_lt_releasing(t, LOCK(2)));
	take();
	assert_int_equal(snap.n_held, 0);
}

/* A lock never recorded, and one released twice. */
static void test_unknown_release(void **state)
{
	struct mr_lt_table *t = tab(3, MR_LT_TASK);

	(void)state;
	acquire(t, 2, T0);
	assert_false(mr_lt_releasing_at(t, LOCK(1), T0 + MS));
	assert_int_equal(t->tomb[0].lock, LOCK(1));
	assert_int_equal(t->tomb[0].when_ns, T0 + MS);
	take();
	assert_int_equal(snap.counts.unknown, 1);
	assert_int_equal(snap.n_held, 1);
	assert_entry(held_of(LOCK(2)), 2, T0, 3, MR_LT_TASK);
	assert_true(mr_lt_releasing_at(t, LOCK(2), T0 + 2 * MS));
	assert_false(mr_lt_releasing_at(t, LOCK(2), T0 + 3 * MS));
	take();
	assert_int_equal(snap.counts.unknown, 2);
	assert_int_equal(snap.n_held, 0);
	assert_int_equal(snap.n_tombs, 2);
	assert_false(mr_lt_releasing_at(t, 0, T0 + 4 * MS));
	assert_false(mr_lt_acquired(t, 0, 1, 0, T0 + 4 * MS, 0));
}

/*
 * A release without a time (the hooks' common path) forgets a lock the
 * table holds, in any order, and touches nothing else; a release it cannot
 * finish (lock not held here, table busy, lock 0) writes nothing at all,
 * so that the timed release that follows counts it once and leaves the
 * tombstone or barrier.
 */
static void test_release_without_time(void **state)
{
	struct mr_lt_table *t = tab(2, MR_LT_HARDIRQ);
	struct mr_lt_table before;

	(void)state;
	acquire(t, 1, T0);
	acquire(t, 2, T0 + MS);
	acquire(t, 3, T0 + 2 * MS);
	assert_true(mr_lt_releasing(t, LOCK(2)));
	assert_int_equal(t->top, 3);
	assert_true(mr_lt_releasing(t, LOCK(3)));
	assert_int_equal(t->top, 1);
	take();
	assert_int_equal(snap.n_held, 1);
	assert_entry(held_of(LOCK(1)), 1, T0, 2, MR_LT_HARDIRQ);
	assert_int_equal(snap.n_tombs, 0);
	assert_int_equal(snap.counts.unknown, 0);

	/* Not held here, busy, or 0: nothing written, not even a count. */
	before = *t;
	assert_false(mr_lt_releasing(t, LOCK(2)));
	assert_false(mr_lt_releasing(t, 0));
	assert_memory_equal(&before, t, sizeof(before));
	t->busy = 1;
	before = *t;
	assert_false(mr_lt_releasing(t, LOCK(1)));
	assert_memory_equal(&before, t, sizeof(before));
	/* ... and the timed release that follows does the rest, once. */
	assert_false(mr_lt_releasing_at(t, LOCK(1), T0 + 5 * MS));
	assert_int_equal(t->counts.nested, 1);
	assert_int_equal(t->nested_ns, T0 + 5 * MS);
	t->busy = 0;
	assert_false(mr_lt_releasing_at(t, LOCK(2), T0 + 6 * MS));
	assert_int_equal(t->counts.unknown, 1);
	take();
	assert_int_equal(snap.n_tombs, 1);
	assert_int_equal(snap.tombs[0].lock, LOCK(2));
	assert_int_equal(snap.tombs[0].when_ns, T0 + 6 * MS);
	/* LOCK(1) is still recorded, but the barrier makes it uncertain. */
	assert_int_equal(snap.n_held, 0);
	assert_int_equal(snap.uncertain, 1);
	assert_true(mr_lt_releasing(t, LOCK(1)));
	assert_int_equal(t->top, 0);
}

/* Entries of every context on several CPUs, a waiter, a missing CPU. */
static void test_snapshot_tables(void **state)
{
	(void)state;
	acquire(tab(0, MR_LT_TASK), 1, T0);
	acquire(tab(1, MR_LT_SOFTIRQ), 2, T0 + 1);
	acquire(tab(2, MR_LT_HARDIRQ), 3, T0 + 2);
	acquire(tab(3, MR_LT_NMI), 4, T0 + 3);
	acquire(tab(3, MR_LT_TASK), 5, T0 + 4);
	mr_lt_waiting_begin(tab(1, MR_LT_TASK), LOCK(2), 55, SITE(5), T0 + 5);
	acquire(tab(2, MR_LT_SOFTIRQ), 6, T0 + 6);
	ptrs[2 * MR_LT_NR_CTX + MR_LT_SOFTIRQ] = NULL; /* not possible */
	take();
	assert_int_equal(snap.n_held, 5);
	assert_entry(held_of(LOCK(1)), 1, T0, 0, MR_LT_TASK);
	assert_entry(held_of(LOCK(2)), 2, T0 + 1, 1, MR_LT_SOFTIRQ);
	assert_entry(held_of(LOCK(3)), 3, T0 + 2, 2, MR_LT_HARDIRQ);
	assert_entry(held_of(LOCK(4)), 4, T0 + 3, 3, MR_LT_NMI);
	assert_entry(held_of(LOCK(5)), 5, T0 + 4, 3, MR_LT_TASK);
	assert_null(held_of(LOCK(6)));
	assert_int_equal(snap.n_waiting, 1);
	assert_int_equal(snap.waiting[0].lock, LOCK(2));
	assert_int_equal(snap.waiting[0].pid, 55);
	assert_int_equal(snap.waiting[0].ip, SITE(5));
	assert_int_equal(snap.waiting[0].since_ns, T0 + 5);
	assert_int_equal(snap.waiting[0].cpu, 1);
	assert_int_equal(snap.waiting[0].ctx, MR_LT_TASK);
	assert_no_misses();
}

/* A slot, a waiter or a tombstone being written (odd seq) is skipped. */
static void test_unstable_skipped(void **state)
{
	struct mr_lt_table *t = tab(1, MR_LT_HARDIRQ);

	(void)state;
	acquire(t, 1, T0);
	acquire(t, 2, T0 + 1);
	mr_lt_waiting_begin(t, LOCK(3), 9, SITE(3), T0 + 2);
	t->slot[1].seq++;
	take();
	assert_int_equal(snap.unstable, 1);
	assert_int_equal(snap.n_held, 1);
	assert_non_null(held_of(LOCK(1)));
	assert_int_equal(snap.n_waiting, 1);
	t->wait[0].seq++;
	take();
	assert_int_equal(snap.unstable, 2);
	assert_int_equal(snap.n_waiting, 0);
	t->slot[1].seq++;
	t->wait[0].seq++;
	take();
	assert_int_equal(snap.unstable, 0);
	assert_int_equal(snap.n_held, 2);
	assert_int_equal(snap.n_waiting, 1);
	/*
	 * A tombstone being written: some lock was released at some time
	 * before now, so nothing older than now is reported.
	 */
	tab(0, MR_LT_TASK)->tomb[3].seq++;
	take();
	assert_int_equal(snap.unstable, 1);
	assert_int_equal(snap.barrier_ns, snap.now_ns);
	assert_int_equal(snap.n_held, 0);
	assert_int_equal(snap.uncertain, 2);
}

static void test_waiter(void **state)
{
	struct mr_lt_table *t = tab(2, MR_LT_TASK);
	int w;

	(void)state;
	w = mr_lt_waiting_begin(t, LOCK(1), 42, SITE(1), T0);
	assert_int_equal(w, 0);
	take();
	assert_int_equal(snap.n_waiting, 1);
	assert_int_equal(snap.waiting[0].lock, LOCK(1));
	assert_int_equal(snap.waiting[0].since_ns, T0);
	assert_int_equal(snap.waiting[0].cpu, 2);
	assert_int_equal(snap.waiting[0].kind, MR_LT_RAW);
	mr_lt_waiting_end(t, w, LOCK(1), T0 + MS);
	take();
	assert_int_equal(snap.n_waiting, 0);
	/* Waiting for a lock this context holds itself: both shown. */
	acquire(t, 1, T0 + 2 * MS);
	w = mr_lt_waiting_begin(t, LOCK(1), 101, SITE(2), T0 + 3 * MS);
	take();
	assert_int_equal(snap.n_held, 1);
	assert_int_equal(snap.n_waiting, 1);
	assert_int_equal(snap.waiting[0].lock, held_of(LOCK(1))->lock);
	assert_no_misses();
	/* An end twice, or of no slot, is harmless. */
	mr_lt_waiting_end(t, w, LOCK(1), T0 + 4 * MS);
	mr_lt_waiting_end(t, w, LOCK(1), T0 + 5 * MS);
	mr_lt_waiting_end(t, -1, LOCK(1), T0 + 5 * MS);
	take();
	assert_int_equal(snap.n_waiting, 0);
	assert_no_misses();
}

/*
 * Sleeping waiters (PREEMPT_RT): several tasks of one CPU wait at once,
 * each in its own slot, each ending its own; one too many is counted and
 * ends as a no-op.
 */
static void test_many_waiters(void **state)
{
	struct mr_lt_table *t = tab(1, MR_LT_TASK);
	int w[MR_LT_WAITS], i;

	(void)state;
	for (i = 0; i < MR_LT_WAITS; i++) {
		w[i] = mr_lt_waiting_begin_rt(t, LOCK(i), 200 + i,
					      0x1000UL * (i + 1), SITE(i),
					      T0 + (u64)i * MS);
		assert_int_equal(w[i], i);
	}
	assert_int_equal(mr_lt_waiting_begin_rt(t, LOCK(99), 9, 0x9000, SITE(9),
						T0 + 50 * MS),
			 -1);
	assert_int_equal(t->counts.waits, 1);
	/* Every other one stops waiting; the rest stay, unchanged. */
	for (i = 0; i < MR_LT_WAITS; i += 2)
		mr_lt_waiting_end(t, w[i], LOCK(i), T0 + 60 * MS);
	take();
	assert_int_equal(snap.counts.waits, 1);
	assert_int_equal(snap.n_waiting, MR_LT_WAITS / 2);
	for (i = 0; i < MR_LT_WAITS / 2; i++) {
		const struct mr_lt_rec *r = &snap.waiting[i];
		int j = 2 * i + 1;

		assert_int_equal(r->lock, LOCK(j));
		assert_int_equal(r->pid, 200 + j);
		assert_int_equal(r->task, 0x1000UL * (j + 1));
		assert_int_equal(r->kind, MR_LT_RT);
		assert_int_equal(r->since_ns, T0 + (u64)j * MS);
	}
	/* A freed slot is taken again. */
	assert_int_equal(mr_lt_waiting_begin(t, LOCK(50), 1, SITE(1), T0), 0);
}

/*
 * Rule 4: a sleeping lock's entry is reported only when the lock's own
 * owner is the recorded task (verify); raw entries never ask.
 */
static unsigned long owner_of_lock[4];
static unsigned int verify_calls;

static bool verify_owner(const struct mr_lt_rec *r, void *arg)
{
	const unsigned long *owners = arg;
	unsigned int i;

	verify_calls++;
	for (i = 0; i < 4; i++)
		if (r->lock == LOCK(i))
			return owners[i] == r->task;
	return false;
}

static void test_rt_owner_verified(void **state)
{
	struct mr_lt_table *t = tab(0, MR_LT_TASK);

	(void)state;
	assert_true(mr_lt_acquired_rt(t, LOCK(1), 11, 0xaa00, SITE(1), T0));
	assert_true(mr_lt_acquired_rt(t, LOCK(2), 12, 0xbb00, SITE(2), T0));
	acquire(t, 3, T0);
	/* No verifier: no sleeping lock is reported; the raw one is. */
	take();
	assert_int_equal(snap.n_held, 1);
	assert_non_null(held_of(LOCK(3)));
	assert_int_equal(snap.unverified, 2);
	/* Lock 1 names its recorded owner, lock 2 another task. */
	owner_of_lock[1] = 0xaa00;
	owner_of_lock[2] = 0xcc00;
	snap.verify = verify_owner;
	snap.verify_arg = owner_of_lock;
	verify_calls = 0;
	take();
	assert_int_equal(verify_calls, 2);
	assert_int_equal(snap.n_held, 2);
	assert_non_null(held_of(LOCK(1)));
	assert_int_equal(held_of(LOCK(1))->kind, MR_LT_RT);
	assert_int_equal(held_of(LOCK(1))->task, 0xaa00);
	assert_int_equal(held_of(LOCK(1))->pid, 11);
	assert_null(held_of(LOCK(2)));
	assert_int_equal(snap.unverified, 1);
	assert_int_equal(snap.uncertain + snap.stale, 0);
	/* Released: gone, and never asked about again. */
	assert_true(mr_lt_releasing_at(t, LOCK(1), T0 + MS));
	verify_calls = 0;
	take();
	assert_null(held_of(LOCK(1)));
	assert_int_equal(verify_calls, 1);
	/* An entry already dropped by rules 1-3 is not asked about. */
	mr_lt_lost(tab(3, MR_LT_NMI), T0 + 2 * MS);
	verify_calls = 0;
	take();
	assert_int_equal(verify_calls, 0);
	assert_int_equal(snap.n_held, 0);
}

/*
 * The runqueue lock pattern after a migration: taken on CPU 0, released
 * on CPU 1. CPU 1 does not know it (counted) and its tombstone keeps CPU
 * 0's stale entry from being reported; CPU 0's other lock is untouched,
 * and a later acquisition of the same lock is reported again.
 */
static void test_cross_cpu_release(void **state)
{
	(void)state;
	acquire(tab(0, MR_LT_TASK), 1, T0);
	acquire(tab(0, MR_LT_TASK), 2, T0 + MS);
	assert_false(
		mr_lt_releasing_at(tab(1, MR_LT_TASK), LOCK(1), T0 + 5 * MS));
	take();
	assert_int_equal(snap.counts.unknown, 1);
	assert_int_equal(snap.stale, 1);
	assert_int_equal(snap.n_held, 1);
	assert_null(held_of(LOCK(1)));
	assert_non_null(held_of(LOCK(2)));
	acquire(tab(2, MR_LT_TASK), 1, T0 + 10 * MS);
	take();
	assert_int_equal(snap.stale, 1); /* CPU 0's, older than both */
	assert_entry(held_of(LOCK(1)), 1, T0 + 10 * MS, 2, MR_LT_TASK);
	/* Within the clock slack of the tombstone: not known to be held. */
	acquire(tab(3, MR_LT_TASK), 3, T0 + 20 * MS);
	assert_false(mr_lt_releasing_at(tab(1, MR_LT_SOFTIRQ), LOCK(3),
					T0 + 20 * MS + MR_LT_SLACK_NS / 2));
	take();
	assert_null(held_of(LOCK(3)));
}

/*
 * A lock recorded on two CPUs (a release missed on the first): only a
 * clearly newer entry is reported; two within the slack, neither. In
 * one table, the new acquisition replaces the old entry at once.
 */
static void test_acquired_again(void **state)
{
	struct mr_lt_table *t = tab(0, MR_LT_TASK);

	(void)state;
	acquire(t, 1, T0);
	acquire(tab(1, MR_LT_TASK), 1, T0 + 10 * MS);
	take();
	assert_int_equal(snap.n_held, 1);
	assert_int_equal(snap.stale, 1);
	assert_entry(held_of(LOCK(1)), 1, T0 + 10 * MS, 1, MR_LT_TASK);
	acquire(tab(2, MR_LT_HARDIRQ), 1, T0 + 10 * MS + MR_LT_SLACK_NS / 2);
	take();
	assert_int_equal(snap.n_held, 0);
	assert_int_equal(snap.stale, 1);
	assert_int_equal(snap.uncertain, 2);

	acquire(t, 2, T0 + MS);
	acquire(t, 2, T0 + 2 * MS);
	assert_int_equal(t->top, 2);
	take();
	assert_int_equal(snap.counts.replaced, 1);
	assert_entry(held_of(LOCK(2)), 2, T0 + 2 * MS, 0, MR_LT_TASK);
	assert_true(mr_lt_releasing_at(t, LOCK(2), T0 + 3 * MS));
	take();
	assert_null(held_of(LOCK(2)));
}

/* An event lost anywhere: every older entry is uncertain, newer ones not. */
static void test_lost_barrier(void **state)
{
	(void)state;
	acquire(tab(0, MR_LT_TASK), 1, T0);
	mr_lt_waiting_begin(tab(0, MR_LT_TASK), LOCK(7), 1, SITE(7), T0);
	mr_lt_waiting_begin(tab(1, MR_LT_TASK), LOCK(8), 2, SITE(8), T0);
	mr_lt_lost(tab(1, MR_LT_NMI), T0 + 10 * MS);
	mr_lt_lost(tab(1, MR_LT_TASK), T0 + 5 * MS);
	acquire(tab(2, MR_LT_TASK), 2, T0 + 20 * MS);
	take();
	assert_int_equal(snap.counts.lost, 2);
	assert_int_equal(snap.barrier_ns, T0 + 10 * MS);
	assert_int_equal(snap.n_held, 1);
	assert_non_null(held_of(LOCK(2)));
	/* Only the waiter of the table that lost an event. */
	assert_int_equal(snap.n_waiting, 1);
	assert_int_equal(snap.waiting[0].lock, LOCK(7));
	assert_int_equal(snap.uncertain, 2);
}

/*
 * An operation that finds its own table busy (it interrupted the table's
 * writer) writes nothing there but the nested count and barrier.
 */
static void test_nested_writer(void **state)
{
	struct mr_lt_table *t = tab(3, MR_LT_TASK);
	struct mr_lt_table before;

	(void)state;
	acquire(t, 1, T0);
	t->busy = 1;
	before = *t;
	assert_false(mr_lt_acquired(t, LOCK(2), 1, SITE(2), T0 + MS, 0));
	assert_false(mr_lt_releasing_at(t, LOCK(1), T0 + 2 * MS));
	assert_int_equal(
		mr_lt_waiting_begin(t, LOCK(3), 1, SITE(3), T0 + 3 * MS), -1);
	mr_lt_waiting_end(t, 0, LOCK(3), T0 + 4 * MS);
	mr_lt_lost(t, T0 + 5 * MS);
	assert_int_equal(t->counts.nested, 5);
	assert_int_equal(t->nested_ns, T0 + 5 * MS);
	before.counts.nested = t->counts.nested;
	before.nested_ns = t->nested_ns;
	assert_memory_equal(&before, t, sizeof(before));
	take();
	assert_int_equal(snap.counts.nested, 5);
	assert_int_equal(snap.n_held, 0);
	assert_int_equal(snap.uncertain, 1);
	/* Free again: recorded, and reported once newer than the barrier. */
	t->busy = 0;
	acquire(t, 2, T0 + 10 * MS);
	take();
	assert_int_equal(snap.n_held, 1);
	assert_non_null(held_of(LOCK(2)));
}

/*
 * More unknown releases than the ring holds: the evicted tombstone turns
 * into a barrier, so the stale entry it would have killed is not reported.
 */
static void test_tomb_evicted(void **state)
{
	struct mr_lt_table *t = tab(2, MR_LT_SOFTIRQ);
	unsigned int i;

	(void)state;
	acquire(tab(0, MR_LT_TASK), 1, T0);
	assert_false(mr_lt_releasing_at(t, LOCK(1), T0 + 10 * MS));
	acquire(tab(0, MR_LT_TASK), 2, T0 + 20 * MS);
	for (i = 0; i < MR_LT_TOMBS; i++)
		assert_false(mr_lt_releasing_at(t, LOCK(10 + i), T0 + 30 * MS));
	assert_int_equal(t->lost_ns, T0 + 10 * MS);
	take();
	assert_int_equal(snap.counts.unknown, MR_LT_TOMBS + 1);
	assert_null(held_of(LOCK(1)));
	assert_entry(held_of(LOCK(2)), 2, T0 + 20 * MS, 0, MR_LT_TASK);
	assert_int_equal(snap.uncertain, 1);
	assert_int_equal(snap.stale, 0);
}

/* Buffers too short: held entries all dropped, tombstones a barrier. */
static void test_short_buffers(void **state)
{
	(void)state;
	acquire(tab(0, MR_LT_TASK), 1, T0);
	acquire(tab(1, MR_LT_TASK), 2, T0 + 20 * MS);
	acquire(tab(2, MR_LT_TASK), 3, T0 + 20 * MS);
	mr_lt_waiting_begin(tab(0, MR_LT_TASK), LOCK(4), 1, SITE(4), T0);
	mr_lt_waiting_begin(tab(1, MR_LT_TASK), LOCK(5), 1, SITE(5), T0);
	snap.held_max = 2;
	snap.waiting_max = 1;
	take();
	assert_int_equal(snap.overflow_held, 1);
	assert_int_equal(snap.overflow_waiting, 1);
	assert_int_equal(snap.n_held, 0);
	assert_int_equal(snap.uncertain, 2);
	assert_int_equal(snap.n_waiting, 1);
	snap.held_max = NTABLES * MR_LT_SLOTS;
	assert_false(mr_lt_releasing_at(tab(3, MR_LT_TASK), LOCK(8), T0 + MS));
	assert_false(
		mr_lt_releasing_at(tab(3, MR_LT_TASK), LOCK(9), T0 + 10 * MS));
	snap.tombs_max = 1;
	take();
	assert_int_equal(snap.n_tombs, 1);
	assert_int_equal(snap.barrier_ns, T0 + 10 * MS);
	assert_null(held_of(LOCK(1)));
	assert_non_null(held_of(LOCK(2)));
	assert_non_null(held_of(LOCK(3)));
}

/*
 * One writer (the table's own CPU) against one reader (the ioctl on
 * another CPU): a torn copy shows (stress_round()).
 */
#define STRESS_ROUNDS 200000

static int stress_done;

/*
 * One round of a hook's calls. Every field of an entry is derived from a
 * generation (the pid); the waiter and one held entry are overwritten in
 * place (same lock, next generation), so a copy taken mid-write is torn.
 */
#define GEN(r) ((int)(r)->pid)
static void stress_round(struct mr_lt_table *t, unsigned long i)
{
	unsigned long a = LOCK(i % 64 + 1);
	unsigned long b = LOCK(i % 64 + 65);
	unsigned long g = (i * 2) & 0x3fffffff;
	unsigned long h = g + 1;

	int w;

	mr_lt_waiting_end(
		t, mr_lt_waiting_begin(t, a, (int)g, g * 5 + 1, g * 7), a, 1);
	w = mr_lt_waiting_begin(t, a, (int)h, h * 5 + 1, h * 7);
	mr_lt_acquired(t, a, (int)g, g * 5 + 1, g * 7, g ^ 0x200);
	mr_lt_acquired(t, a, (int)h, h * 5 + 1, h * 7, h ^ 0x200);
	mr_lt_acquired(t, b, (int)g, g * 5 + 1, g * 7, g ^ 0x200);
	/* As the hooks release: without a time, then with one if needed. */
	if (!mr_lt_releasing(t, a))
		mr_lt_releasing_at(t, a, 1);
	if (!mr_lt_releasing(t, b))
		mr_lt_releasing_at(t, b, 1);
	mr_lt_waiting_end(t, w, a, 1);
}

static void *stress_writer(void *arg)
{
	unsigned long i;

	for (i = 1; i <= STRESS_ROUNDS; i++)
		stress_round(arg, i);
	__atomic_store_n(&stress_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static bool consistent(const struct mr_lt_rec *r, bool waiter)
{
	u64 g = (u64)GEN(r);

	return r->lock && r->ip == g * 5 + 1 && r->since_ns == g * 7 &&
	       r->flags == (waiter ? 0 : g ^ 0x200);
}

/*
 * The reader interrupts the writer at any instruction, as an ioctl on
 * another CPU may overlap it at any point: a slot caught mid-write must be
 * skipped (unstable), never copied torn.
 */
static struct mr_lt_table *sig_table;
static struct mr_lt_snap sig_snap;
static struct mr_lt_rec sig_held[MR_LT_SLOTS], sig_wait[MR_LT_WAITS];
static volatile sig_atomic_t sig_reads, sig_torn, sig_unstable, sig_copied;

static void on_prof(int sig)
{
	unsigned int i;

	(void)sig;
	mr_lt_snap_begin(&sig_snap);
	mr_lt_snap_entries(&sig_snap, sig_table, 0, MR_LT_TASK);
	for (i = 0; i < sig_snap.n_held; i++)
		if (!consistent(&sig_held[i], false))
			sig_torn = sig_torn + 1;
	for (i = 0; i < sig_snap.n_waiting; i++)
		if (!consistent(&sig_wait[i], true))
			sig_torn = sig_torn + 1;
	sig_unstable = sig_unstable + (int)sig_snap.unstable;
	sig_copied = sig_copied + (int)(sig_snap.n_held + sig_snap.n_waiting);
	sig_reads = sig_reads + 1;
}

static void test_interrupting_reader(void **state)
{
	struct itimerval every = { { 0, 20 }, { 0, 20 } };
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	struct sigaction sa, old;
	unsigned long i;

	(void)state;
	sig_table = tab(0, MR_LT_TASK);
	sig_snap.held = sig_held;
	sig_snap.held_max = MR_LT_SLOTS;
	sig_snap.waiting = sig_wait;
	sig_snap.waiting_max = MR_LT_WAITS;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_prof;
	assert_int_equal(sigaction(SIGPROF, &sa, &old), 0);
	assert_int_equal(setitimer(ITIMER_PROF, &every, NULL), 0);
	for (i = 1; sig_reads < 200 && i < 100000000; i++)
		stress_round(sig_table, i);
	assert_int_equal(setitimer(ITIMER_PROF, &off, NULL), 0);
	assert_int_equal(sigaction(SIGPROF, &old, NULL), 0);
	print_message("interrupting reader: %d reads, %d copied, %d unstable\n",
		      (int)sig_reads, (int)sig_copied, (int)sig_unstable);
	assert_int_equal(sig_torn, 0);
	/* The reader did catch the writer mid-write: the test has teeth. */
	assert_true(sig_unstable > 0);
	assert_true(sig_copied > 0);
}

static void test_concurrent_reader(void **state)
{
	struct mr_lt_table *t = tab(1, MR_LT_TASK);
	unsigned int i, seen = 0, tries;
	pthread_t th;

	(void)state;
	/* Only this table: the writer's release times are not real times. */
	for (i = 0; i < NTABLES; i++)
		ptrs[i] = i == MR_LT_NR_CTX + MR_LT_TASK ? t : NULL;
	snap.slack_ns = 0;
	/*
	 * Again while the reader copied nothing: the scheduler may run the
	 * whole writer while the reader waits, and a reader that never
	 * overlapped it proves nothing.
	 */
	for (tries = 0; tries < 5 && !seen; tries++) {
		mr_lt_init(t);
		stress_done = 0;
		assert_int_equal(pthread_create(&th, NULL, stress_writer, t),
				 0);
		while (!__atomic_load_n(&stress_done, __ATOMIC_ACQUIRE)) {
			mr_lt_snap_begin(&snap);
			mr_lt_snap_entries(&snap, t, 1, MR_LT_TASK);
			for (i = 0; i < snap.n_held; i++)
				assert_true(consistent(&snap.held[i], false));
			for (i = 0; i < snap.n_waiting; i++)
				assert_true(consistent(&snap.waiting[i], true));
			seen += snap.n_held;
		}
		assert_int_equal(pthread_join(th, NULL), 0);
	}
	take();
	assert_int_equal(snap.n_held, 0);
	assert_int_equal(snap.n_waiting, 0);
	assert_int_equal(
		snap.counts.unknown + snap.counts.full + snap.counts.nested, 0);
	assert_int_equal(snap.counts.replaced, STRESS_ROUNDS);
	print_message("concurrent reader: %u entries copied\n", seen);
	/* It overlapped the writer: the consistency checks above ran. */
	assert_true(seen > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_in_order, setup),
		cmocka_unit_test_setup(test_out_of_order, setup),
		cmocka_unit_test_setup(test_full_table, setup),
		cmocka_unit_test_setup(test_full_reclaims_before_barrier,
				       setup),
		cmocka_unit_test_setup(test_full_reclaims_buried, setup),
		cmocka_unit_test_setup(test_full_reclaim_retried_on_change,
				       setup),
		cmocka_unit_test_setup(test_waiter_reclaimed, setup),
		cmocka_unit_test_setup(test_order_and_identity, setup),
		cmocka_unit_test_setup(test_failed_trylock, setup),
		cmocka_unit_test_setup(test_set_how, setup),
		cmocka_unit_test_setup(test_unknown_release, setup),
		cmocka_unit_test_setup(test_release_without_time, setup),
		cmocka_unit_test_setup(test_snapshot_tables, setup),
		cmocka_unit_test_setup(test_unstable_skipped, setup),
		cmocka_unit_test_setup(test_waiter, setup),
		cmocka_unit_test_setup(test_many_waiters, setup),
		cmocka_unit_test_setup(test_rt_owner_verified, setup),
		cmocka_unit_test_setup(test_cross_cpu_release, setup),
		cmocka_unit_test_setup(test_acquired_again, setup),
		cmocka_unit_test_setup(test_lost_barrier, setup),
		cmocka_unit_test_setup(test_nested_writer, setup),
		cmocka_unit_test_setup(test_tomb_evicted, setup),
		cmocka_unit_test_setup(test_short_buffers, setup),
		cmocka_unit_test_setup(test_interrupting_reader, setup),
		cmocka_unit_test_setup(test_concurrent_reader, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
