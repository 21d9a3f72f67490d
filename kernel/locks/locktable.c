// SPDX-License-Identifier: GPL-2.0
/*
 * Lockwatch's per-CPU, per-context table of held spinlocks: see locktable.h.
 */
#ifdef __KERNEL__
#include <linux/compiler.h>
#include <linux/string.h>
#include <asm/barrier.h>
#else
#include <string.h>
/* The kernel's primitives, for the unit tests (C11 seqlock pattern). */
#define READ_ONCE(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define barrier() __atomic_signal_fence(__ATOMIC_SEQ_CST)
#define smp_wmb() __atomic_thread_fence(__ATOMIC_RELEASE) /* store order */
#define smp_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE) /* load order */
#define notrace
#endif

#include "locktable.h"

_Static_assert(sizeof(struct mr_lt_slot) == MR_LT_SLOT_ALIGN,
	       "a slot is one cache line");

/* Bump a counter the snapshot reads; only the table's writer writes it. */
#define MR_LT_COUNT(t, field) \
	WRITE_ONCE((t)->counts.field, (t)->counts.field + 1)

void mr_lt_init(struct mr_lt_table *t)
{
	memset(t, 0, sizeof(*t));
}

void mr_lt_set_peers(struct mr_lt_table *t,
		     const struct mr_lt_table *const *peers, unsigned int n)
{
	t->peers = peers;
	t->n_peers = n;
}

bool mr_lt_is_full(const struct mr_lt_table *t)
{
	unsigned int i;

	for (i = 0; i < MR_LT_SLOTS; i++)
		if (!READ_ONCE(t->slot[i].lock))
			return false;
	return true;
}

/*
 * Claim the table for one operation. An operation that finds it already
 * claimed interrupted its own table's writer: it writes only the nested
 * counter and barrier, which no claimed operation writes, and gives up.
 * Same CPU only, so a compiler barrier orders the flag and the writes.
 */
static notrace bool mr_lt_enter(struct mr_lt_table *t, u64 now_ns)
{
	if (READ_ONCE(t->busy)) {
		MR_LT_COUNT(t, nested);
		WRITE_ONCE(t->nested_ns, now_ns);
		return false;
	}
	WRITE_ONCE(t->busy, 1);
	barrier();
	return true;
}

static notrace void mr_lt_leave(struct mr_lt_table *t)
{
	barrier();
	WRITE_ONCE(t->busy, 0);
}

/* Seq-count write side: odd, fields, even. */
static notrace void mr_lt_write_begin(u32 *seq)
{
	WRITE_ONCE(*seq, *seq + 1);
	smp_wmb(); /* odd seq before the fields: mr_lt_read_slot() */
}

static notrace void mr_lt_write_end(u32 *seq)
{
	smp_wmb(); /* the fields before the even seq: mr_lt_read_slot() */
	WRITE_ONCE(*seq, *seq + 1);
}

/* What an operation records in a slot. */
struct mr_lt_ev {
	unsigned long lock;
	int pid;
	u64 start_ns;
	unsigned long task;
	unsigned long ip;
	unsigned long flags;
	u32 kind;
	u32 how;
};

static notrace void mr_lt_fill(struct mr_lt_table *t, struct mr_lt_slot *s,
			       const struct mr_lt_ev *ev, u64 now_ns)
{
	u64 order = ++t->order;

	mr_lt_write_begin(&s->seq);
	WRITE_ONCE(s->pid, ev->pid);
	WRITE_ONCE(s->start_ns, ev->start_ns);
	WRITE_ONCE(s->order, order);
	WRITE_ONCE(s->ip, ev->ip);
	WRITE_ONCE(s->word, ev->kind == MR_LT_RT ? ev->task : ev->flags);
	WRITE_ONCE(s->kind_how, MR_LT_KIND_HOW(ev->kind, ev->how));
	WRITE_ONCE(s->since_ns, now_ns);
	WRITE_ONCE(s->lock, ev->lock);
	mr_lt_write_end(&s->seq);
}

static notrace void mr_lt_clear(struct mr_lt_slot *s)
{
	mr_lt_write_begin(&s->seq);
	WRITE_ONCE(s->lock, 0);
	mr_lt_write_end(&s->seq);
}

static notrace u64 mr_lt_max(u64 a, u64 b)
{
	return a > b ? a : b;
}

/* A table's newest barrier (rule 3): any value read was a real one. */
static notrace u64 mr_lt_barrier_of(const struct mr_lt_table *t)
{
	return mr_lt_max(READ_ONCE(t->lost_ns), READ_ONCE(t->nested_ns));
}

/*
 * Does a tombstone of table p bury lock acquired at since_ns by at least
 * the slack (rule 1 with a margin)? A tombstone being written is skipped.
 */
static notrace bool mr_lt_buried(const struct mr_lt_table *p,
				 unsigned long lock, u64 since_ns)
{
	unsigned int i;

	for (i = 0; i < MR_LT_TOMBS; i++) {
		const struct mr_lt_tomb *tb = &p->tomb[i];
		u32 seq = READ_ONCE(tb->seq);
		unsigned long tlock;
		u64 when;

		if (seq & 1)
			continue;
		smp_rmb(); /* as in mr_lt_read_slot() */
		tlock = READ_ONCE(tb->lock);
		when = READ_ONCE(tb->when_ns);
		smp_rmb(); /* as in mr_lt_read_slot() */
		if (READ_ONCE(tb->seq) == seq && tlock == lock &&
		    since_ns + MR_LT_SLACK_NS <= when)
			return true;
	}
	return false;
}

/*
 * No held slot is free: reclaim those whose entry no rule can report nor
 * use to judge another (see Reclaim in locktable.h). The caller claimed
 * the table. Returns a freed slot, or NULL.
 */
static notrace struct mr_lt_slot *mr_lt_reclaim(struct mr_lt_table *t)
{
	const struct mr_lt_table *const *peers = READ_ONCE(t->peers);
	struct mr_lt_slot *free = NULL;
	u64 barrier = mr_lt_barrier_of(t), tombs = 0, oldest = ~0ULL;
	unsigned int i, p;

	for (p = 0; p < t->n_peers && peers; p++) {
		if (!peers[p])
			continue;
		barrier = mr_lt_max(barrier, mr_lt_barrier_of(peers[p]));
		tombs += READ_ONCE(peers[p]->tomb_gen);
	}
	smp_rmb(); /* the counts before the tombstones: mr_lt_bury() */
	if (t->reclaim_failed && tombs == t->reclaim_tombs &&
	    barrier < t->reclaim_oldest + MR_LT_SLACK_NS)
		return NULL;
	for (i = 0; i < MR_LT_SLOTS; i++) {
		struct mr_lt_slot *s = &t->slot[i];
		bool stale = s->since_ns + MR_LT_SLACK_NS <= barrier;

		for (p = 0; !stale && p < t->n_peers && peers; p++)
			stale = peers[p] && mr_lt_buried(peers[p], s->lock,
							 s->since_ns);
		if (!stale) {
			oldest = s->since_ns < oldest ? s->since_ns : oldest;
			continue;
		}
		mr_lt_clear(s);
		MR_LT_COUNT(t, reclaimed);
		if (!free)
			free = s;
	}
	t->reclaim_failed = !free;
	t->reclaim_oldest = oldest;
	t->reclaim_tombs = tombs;
	return free;
}

static notrace bool mr_lt_acquire(struct mr_lt_table *t,
				  const struct mr_lt_ev *ev, u64 now_ns)
{
	struct mr_lt_slot *free = NULL;
	unsigned int i, top;

	if (!ev->lock || !mr_lt_enter(t, now_ns))
		return false;
	top = t->top;
	for (i = 0; i < top; i++) {
		struct mr_lt_slot *s = &t->slot[i];

		/* Held here already: its release was missed (rule 2). */
		if (s->lock == ev->lock) {
			MR_LT_COUNT(t, replaced);
			free = s;
			break;
		}
		if (!s->lock && !free)
			free = s;
	}
	if (!free && top < MR_LT_SLOTS) {
		free = &t->slot[top];
		t->top = top + 1;
	}
	if (!free)
		free = mr_lt_reclaim(t);
	if (free) {
		mr_lt_fill(t, free, ev, now_ns);
	} else {
		/*
		 * Rule 3: the lock is now held by an acquisition no table
		 * records, so an older entry for it elsewhere would pass rule
		 * 2 (it is stale, or this one is); every entry before now
		 * becomes uncertain, as for a lost event.
		 */
		MR_LT_COUNT(t, full);
		if (now_ns > t->lost_ns)
			WRITE_ONCE(t->lost_ns, now_ns);
	}
	mr_lt_leave(t);
	return free;
}

notrace bool mr_lt_acquired_how(struct mr_lt_table *t, unsigned long lock,
				int pid, u64 start_ns, unsigned long ip,
				u64 now_ns, unsigned long flags,
				unsigned int how)
{
	struct mr_lt_ev ev = { .lock = lock, .pid = pid,
			       .start_ns = start_ns, .ip = ip, .flags = flags,
			       .kind = MR_LT_RAW, .how = how };

	return mr_lt_acquire(t, &ev, now_ns);
}

notrace bool mr_lt_acquired(struct mr_lt_table *t, unsigned long lock,
			    int pid, unsigned long ip, u64 now_ns,
			    unsigned long flags)
{
	return mr_lt_acquired_how(t, lock, pid, 0, ip, now_ns, flags,
				  flags ? MR_LT_HOW_IRQSAVE : MR_LT_HOW_PLAIN);
}

notrace bool mr_lt_acquired_rt_how(struct mr_lt_table *t, unsigned long lock,
				   int pid, u64 start_ns, unsigned long task,
				   unsigned long ip, u64 now_ns,
				   unsigned int how)
{
	struct mr_lt_ev ev = { .lock = lock, .pid = pid,
			       .start_ns = start_ns, .task = task, .ip = ip,
			       .kind = MR_LT_RT, .how = how };

	return mr_lt_acquire(t, &ev, now_ns);
}

notrace bool mr_lt_acquired_rt(struct mr_lt_table *t, unsigned long lock,
			       int pid, unsigned long task, unsigned long ip,
			       u64 now_ns)
{
	return mr_lt_acquired_rt_how(t, lock, pid, 0, task, ip, now_ns,
				     MR_LT_HOW_PLAIN);
}

/*
 * A release of a lock this table does not hold: remember it in the ring.
 * The tombstone it overwrites becomes a barrier first, published before
 * the tombstone is overwritten, so that a reader that sees the new one
 * sees the barrier too.
 */
static notrace void mr_lt_bury(struct mr_lt_table *t, unsigned long lock,
			       u64 now_ns)
{
	struct mr_lt_tomb *tb = &t->tomb[t->tomb_next];

	if (tb->lock && tb->when_ns > t->lost_ns) {
		WRITE_ONCE(t->lost_ns, tb->when_ns);
		smp_wmb(); /* barrier before the tomb: mr_lt_snap_tombs() */
	}
	mr_lt_write_begin(&tb->seq);
	WRITE_ONCE(tb->when_ns, now_ns);
	WRITE_ONCE(tb->lock, lock);
	mr_lt_write_end(&tb->seq);
	smp_wmb(); /* the tombstone before its count: mr_lt_reclaim() */
	WRITE_ONCE(t->tomb_gen, t->tomb_gen + 1);
	t->tomb_next = (t->tomb_next + 1) % MR_LT_TOMBS;
}

/* Clear lock's entry if this table holds it; the caller claimed it. */
static notrace bool mr_lt_forget(struct mr_lt_table *t, unsigned long lock)
{
	unsigned int i;

	/* Most recent first: locks are mostly released in reverse order. */
	for (i = t->top; i-- > 0;) {
		if (t->slot[i].lock == lock) {
			mr_lt_clear(&t->slot[i]);
			while (t->top && !t->slot[t->top - 1].lock)
				t->top--;
			return true;
		}
	}
	return false;
}

/*
 * The common release, which needs no time: anything else (a table that is
 * busy or does not hold the lock) writes nothing here and is left to
 * mr_lt_releasing_at(), which has one.
 */
notrace bool mr_lt_releasing(struct mr_lt_table *t, unsigned long lock)
{
	bool found;

	if (!lock || READ_ONCE(t->busy))
		return false;
	WRITE_ONCE(t->busy, 1);
	barrier();
	found = mr_lt_forget(t, lock);
	mr_lt_leave(t);
	return found;
}

notrace bool mr_lt_releasing_at(struct mr_lt_table *t, unsigned long lock,
				u64 now_ns)
{
	bool found;

	if (!lock || !mr_lt_enter(t, now_ns))
		return false;
	found = mr_lt_forget(t, lock);
	if (!found) {
		MR_LT_COUNT(t, unknown);
		mr_lt_bury(t, lock, now_ns);
	}
	mr_lt_leave(t);
	return found;
}

notrace bool mr_lt_set_how(struct mr_lt_table *t, unsigned long lock,
			   unsigned int how)
{
	unsigned int i;
	bool found = false;

	if (!lock || READ_ONCE(t->busy))
		return false;
	WRITE_ONCE(t->busy, 1);
	barrier();
	for (i = t->top; i-- > 0 && !found;) {
		if (t->slot[i].lock != lock)
			continue;
		mr_lt_write_begin(&t->slot[i].seq);
		WRITE_ONCE(t->slot[i].kind_how,
			   MR_LT_KIND_HOW(MR_LT_KIND_OF(t->slot[i].kind_how),
					  how));
		mr_lt_write_end(&t->slot[i].seq);
		found = true;
	}
	mr_lt_leave(t);
	return found;
}

static notrace int mr_lt_wait(struct mr_lt_table *t,
			      const struct mr_lt_ev *ev, u64 now_ns)
{
	int i, w = -1;

	if (!ev->lock || !mr_lt_enter(t, now_ns))
		return -1;
	for (i = 0; i < MR_LT_WAITS && w < 0; i++)
		if (!t->wait[i].lock)
			w = i;
	/*
	 * None free: reclaim the waiters before this table's own barrier,
	 * which the snapshot drops as uncertain anyway (a waiter is judged by
	 * nothing else, and judges nothing); a waiter whose end was refused
	 * on a busy table is one. Its own end, should it come, clears nothing
	 * (mr_lt_waiting_end() checks the lock).
	 */
	for (i = 0; i < MR_LT_WAITS && w < 0; i++) {
		if (t->wait[i].since_ns > mr_lt_barrier_of(t))
			continue;
		MR_LT_COUNT(t, reclaimed);
		w = i;
	}
	if (w >= 0)
		mr_lt_fill(t, &t->wait[w], ev, now_ns);
	else
		MR_LT_COUNT(t, waits);
	mr_lt_leave(t);
	return w;
}

notrace int mr_lt_waiting_begin(struct mr_lt_table *t, unsigned long lock,
				int pid, unsigned long ip, u64 now_ns)
{
	struct mr_lt_ev ev = { .lock = lock, .pid = pid, .ip = ip,
			       .kind = MR_LT_RAW };

	return mr_lt_wait(t, &ev, now_ns);
}

notrace int mr_lt_waiting_begin_rt(struct mr_lt_table *t, unsigned long lock,
				   int pid, unsigned long task,
				   unsigned long ip, u64 now_ns)
{
	struct mr_lt_ev ev = { .lock = lock, .pid = pid, .task = task,
			       .ip = ip, .kind = MR_LT_RT };

	return mr_lt_wait(t, &ev, now_ns);
}

notrace void mr_lt_waiting_end(struct mr_lt_table *t, int w,
			       unsigned long lock, u64 now_ns)
{
	if (w < 0 || w >= MR_LT_WAITS || !mr_lt_enter(t, now_ns))
		return;
	if (t->wait[w].lock == lock)
		mr_lt_clear(&t->wait[w]);
	mr_lt_leave(t);
}

notrace void mr_lt_lost(struct mr_lt_table *t, u64 now_ns)
{
	if (!mr_lt_enter(t, now_ns))
		return;
	MR_LT_COUNT(t, lost);
	if (now_ns > t->lost_ns)
		WRITE_ONCE(t->lost_ns, now_ns);
	mr_lt_leave(t);
}

/* Snapshot side. */

void mr_lt_snap_begin(struct mr_lt_snap *s)
{
	s->n_held = 0;
	s->n_waiting = 0;
	s->n_tombs = 0;
	s->unstable = 0;
	s->overflow_held = 0;
	s->overflow_waiting = 0;
	s->stale = 0;
	s->uncertain = 0;
	s->unverified = 0;
	s->barrier_ns = 0;
	memset(&s->counts, 0, sizeof(s->counts));
}

/*
 * Copy slot into rec if it is stable: returns 1 if it holds a lock, 0 if it
 * is free, -1 if it was being written.
 */
static int mr_lt_read_slot(const struct mr_lt_slot *slot, struct mr_lt_rec *rec)
{
	u32 seq = READ_ONCE(slot->seq), kind_how;
	unsigned long word;

	if (seq & 1)
		return -1;
	smp_rmb(); /* seq before the fields: mr_lt_write_begin() */
	rec->lock = READ_ONCE(slot->lock);
	rec->ip = READ_ONCE(slot->ip);
	word = READ_ONCE(slot->word);
	kind_how = READ_ONCE(slot->kind_how);
	rec->since_ns = READ_ONCE(slot->since_ns);
	rec->start_ns = READ_ONCE(slot->start_ns);
	rec->order = READ_ONCE(slot->order);
	rec->pid = READ_ONCE(slot->pid);
	smp_rmb(); /* the fields before seq again: mr_lt_write_end() */
	if (READ_ONCE(slot->seq) != seq)
		return -1;
	rec->kind = MR_LT_KIND_OF(kind_how);
	rec->how = MR_LT_HOW_OF(kind_how);
	rec->flags = rec->kind == MR_LT_RT ? 0 : word;
	rec->task = rec->kind == MR_LT_RT ? word : 0;
	return rec->lock ? 1 : 0;
}

/* Read one slot and append it to buf (of max) if it holds a lock. */
static void mr_lt_take(struct mr_lt_snap *s, const struct mr_lt_slot *slot,
		       struct mr_lt_rec *buf, unsigned int max,
		       unsigned int *n, unsigned int cpu, unsigned int ctx)
{
	struct mr_lt_rec rec;
	int got = mr_lt_read_slot(slot, &rec);

	if (got < 0) {
		s->unstable++;
		return;
	}
	if (!got)
		return;
	if (*n == max) {
		if (buf == s->held)
			s->overflow_held++;
		else
			s->overflow_waiting++;
		return;
	}
	rec.cpu = cpu;
	rec.ctx = ctx;
	buf[(*n)++] = rec;
}

void mr_lt_snap_entries(struct mr_lt_snap *s, const struct mr_lt_table *t,
			unsigned int cpu, unsigned int ctx)
{
	unsigned int i;

	for (i = 0; i < MR_LT_SLOTS; i++)
		mr_lt_take(s, &t->slot[i], s->held, s->held_max, &s->n_held,
			   cpu, ctx);
	for (i = 0; i < MR_LT_WAITS; i++)
		mr_lt_take(s, &t->wait[i], s->waiting, s->waiting_max,
			   &s->n_waiting, cpu, ctx);
}

static void mr_lt_raise(u64 *barrier, u64 when_ns)
{
	if (when_ns > *barrier)
		*barrier = when_ns;
}

/*
 * Copy one tombstone; one that stays unstable is a release of an unknown
 * lock at an unknown time (before now): a barrier at now.
 */
static void mr_lt_take_tomb(struct mr_lt_snap *s, const struct mr_lt_tomb *tb)
{
	struct mr_lt_trec rec;
	unsigned int try;
	u32 seq;

	for (try = 0; try < MR_LT_TOMB_TRIES; try++) {
		seq = READ_ONCE(tb->seq);
		if (seq & 1)
			continue;
		smp_rmb(); /* as in mr_lt_read_slot() */
		rec.lock = READ_ONCE(tb->lock);
		rec.when_ns = READ_ONCE(tb->when_ns);
		smp_rmb(); /* as in mr_lt_read_slot() */
		if (READ_ONCE(tb->seq) == seq)
			break;
	}
	if (try == MR_LT_TOMB_TRIES) {
		s->unstable++;
		mr_lt_raise(&s->barrier_ns, s->now_ns);
		return;
	}
	if (!rec.lock)
		return;
	if (s->n_tombs == s->tombs_max) {
		mr_lt_raise(&s->barrier_ns, rec.when_ns);
		return;
	}
	s->tombs[s->n_tombs++] = rec;
}

static void mr_lt_add_counts(struct mr_lt_counts *sum,
			     const struct mr_lt_counts *c)
{
	sum->full += READ_ONCE(c->full);
	sum->unknown += READ_ONCE(c->unknown);
	sum->replaced += READ_ONCE(c->replaced);
	sum->nested += READ_ONCE(c->nested);
	sum->lost += READ_ONCE(c->lost);
	sum->waits += READ_ONCE(c->waits);
	sum->reclaimed += READ_ONCE(c->reclaimed);
}

/*
 * A waiter is only ever cleared by its own table's writer: its own table's
 * barrier (an operation refused or lost there) makes it uncertain.
 */
static void mr_lt_check_waiters(struct mr_lt_snap *s, unsigned int cpu,
				unsigned int ctx, u64 barrier)
{
	unsigned int i;

	if (!barrier)
		return;
	for (i = 0; i < s->n_waiting; i++) {
		struct mr_lt_rec *w = &s->waiting[i];

		if (w->lock && w->cpu == cpu && w->ctx == ctx &&
		    w->since_ns <= barrier + s->slack_ns) {
			w->lock = 0; /* dropped by mr_lt_snap_finish() */
			s->uncertain++;
		}
	}
}

void mr_lt_snap_tombs(struct mr_lt_snap *s, const struct mr_lt_table *t,
		      unsigned int cpu, unsigned int ctx)
{
	u64 barrier;
	unsigned int i;

	smp_rmb(); /* tombs after the entries read: see locktable.h */
	for (i = 0; i < MR_LT_TOMBS; i++)
		mr_lt_take_tomb(s, &t->tomb[i]);
	smp_rmb(); /* the barrier after the tombs: mr_lt_bury() */
	barrier = READ_ONCE(t->lost_ns);
	mr_lt_raise(&barrier, READ_ONCE(t->nested_ns));
	mr_lt_raise(&s->barrier_ns, barrier);
	mr_lt_check_waiters(s, cpu, ctx, barrier);
	mr_lt_add_counts(&s->counts, &t->counts);
}

/* Is a time at or before when, allowing for the clock slack? */
static bool mr_lt_before(const struct mr_lt_snap *s, u64 t, u64 when)
{
	return t <= when + s->slack_ns;
}

/* Why held[i] is not reported: 0 (it is), MR_LT_STALE or MR_LT_UNCERTAIN. */
static unsigned int mr_lt_judge(const struct mr_lt_snap *s, unsigned int i)
{
	const struct mr_lt_rec *h = &s->held[i];
	unsigned int j, why = 0;

	if (s->overflow_held || s->distrust)
		return MR_LT_UNCERTAIN;
	/* Rule 1: released where it was not recorded, after it was taken. */
	for (j = 0; j < s->n_tombs; j++)
		if (s->tombs[j].lock == h->lock &&
		    mr_lt_before(s, h->since_ns, s->tombs[j].when_ns))
			return MR_LT_STALE;
	/* Rule 2: recorded elsewhere too; only a clearly newer entry holds. */
	for (j = 0; j < s->n_held; j++) {
		const struct mr_lt_rec *o = &s->held[j];

		if (j == i || o->lock != h->lock)
			continue;
		if (o->since_ns > h->since_ns + s->slack_ns)
			return MR_LT_STALE;
		if (mr_lt_before(s, h->since_ns, o->since_ns))
			why = MR_LT_UNCERTAIN;
	}
	/* Rule 3: an event was lost after it was taken. */
	if (s->barrier_ns && mr_lt_before(s, h->since_ns, s->barrier_ns))
		why = MR_LT_UNCERTAIN;
	/* Rule 4: a sleeping lock's own owner must be the recorded task. */
	if (!why && h->kind != MR_LT_RAW &&
	    (!s->verify || !s->verify(h, s->verify_arg)))
		why = MR_LT_UNVERIFIED;
	return why;
}

void mr_lt_snap_finish(struct mr_lt_snap *s)
{
	unsigned int i, n;

	for (i = 0; i < s->n_held; i++)
		s->held[i].drop = mr_lt_judge(s, i);
	for (i = n = 0; i < s->n_held; i++) {
		if (s->held[i].drop == MR_LT_STALE)
			s->stale++;
		else if (s->held[i].drop == MR_LT_UNCERTAIN)
			s->uncertain++;
		else if (s->held[i].drop == MR_LT_UNVERIFIED)
			s->unverified++;
		else
			s->held[n++] = s->held[i];
	}
	s->n_held = n;
	for (i = n = 0; i < s->n_waiting; i++)
		if (s->waiting[i].lock)
			s->waiting[n++] = s->waiting[i];
	s->n_waiting = n;
}

void mr_lt_snapshot(struct mr_lt_snap *s,
		    const struct mr_lt_table *const *tables, unsigned int n)
{
	unsigned int i;

	mr_lt_snap_begin(s);
	for (i = 0; i < n; i++)
		if (tables[i])
			mr_lt_snap_entries(s, tables[i], i / MR_LT_NR_CTX,
					   i % MR_LT_NR_CTX);
	/* Every entry first, then every tombstone: see locktable.h. */
	for (i = 0; i < n; i++)
		if (tables[i])
			mr_lt_snap_tombs(s, tables[i], i / MR_LT_NR_CTX,
					 i % MR_LT_NR_CTX);
	mr_lt_snap_finish(s);
}
