// SPDX-License-Identifier: GPL-2.0
#include "locks.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char *mr_lock_context_name(enum mr_lock_context ctx)
{
	static const char *const names[MR_LOCK_CTX_COUNT] = {
		[MR_LOCK_CTX_TASK] = "task",
		[MR_LOCK_CTX_SOFTIRQ] = "softirq",
		[MR_LOCK_CTX_HARDIRQ] = "hardirq",
		[MR_LOCK_CTX_NMI] = "nmi",
	};

	if ((unsigned int)ctx >= MR_LOCK_CTX_COUNT)
		return "?";
	return names[ctx];
}

void mr_lock_snapshot_init(struct mr_lock_snapshot *s, bool on, uint64_t missed)
{
	memset(s, 0, sizeof(*s));
	s->on = on;
	s->missed = missed;
	s->sorted = true;
}

/* Make room for one more element of SIZE in *ARR; 0 or -ENOMEM. */
static int grow(void **arr, size_t n, size_t *cap, size_t size)
{
	size_t want;
	void *p;

	if (n < *cap)
		return 0;
	want = *cap ? *cap * 2 : 16;
	if (want < *cap || want > SIZE_MAX / size)
		return -ENOMEM;
	p = realloc(*arr, want * size);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = want;
	return 0;
}

/* comm comes from outside: never trust it to be terminated. */
static void terminate_comm(struct mr_lock_task *t)
{
	t->comm[MR_LOCK_COMM_LEN - 1] = '\0';
}

int mr_lock_snapshot_add_lock(struct mr_lock_snapshot *s,
			      const struct mr_held_lock *l)
{
	struct mr_held_lock copy = *l;

	if (grow((void **)&s->locks, s->n_locks, &s->cap_locks,
		 sizeof(*s->locks)))
		return -ENOMEM;
	copy.symbol = l->symbol ? strdup(l->symbol) : NULL;
	copy.acquired_at = strdup(l->acquired_at ? l->acquired_at : "");
	if ((l->symbol && !copy.symbol) || !copy.acquired_at) {
		free(copy.symbol);
		free(copy.acquired_at);
		return -ENOMEM;
	}
	terminate_comm(&copy.owner.task);
	s->locks[s->n_locks++] = copy;
	s->sorted = false;
	return 0;
}

int mr_lock_snapshot_add_waiter(struct mr_lock_snapshot *s,
				const struct mr_lock_waiter *w)
{
	if (grow((void **)&s->waiters, s->n_waiters, &s->cap_waiters,
		 sizeof(*s->waiters)))
		return -ENOMEM;
	s->waiters[s->n_waiters] = *w;
	terminate_comm(&s->waiters[s->n_waiters].task);
	s->waiters[s->n_waiters].symbol[MR_LOCK_SYMBOL_LEN - 1] = '\0';
	s->n_waiters++;
	s->sorted = false;
	return 0;
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return (a > b) - (a < b);
}

static int cmp_int(int a, int b)
{
	return (a > b) - (a < b);
}

/* By address; several holders of one address (read locks) by pid, cpu. */
static int cmp_held_lock(const void *pa, const void *pb)
{
	const struct mr_held_lock *a = pa, *b = pb;
	int c = cmp_u64(a->addr, b->addr);

	if (!c)
		c = cmp_int(a->owner.task.pid, b->owner.task.pid);
	if (!c)
		c = cmp_int(a->owner.task.cpu, b->owner.task.cpu);
	return c;
}

static int cmp_waiter(const void *pa, const void *pb)
{
	const struct mr_lock_waiter *a = pa, *b = pb;
	int c = cmp_u64(a->lock, b->lock);

	if (!c)
		c = cmp_int(a->task.pid, b->task.pid);
	if (!c)
		c = cmp_int(a->task.cpu, b->task.cpu);
	return c;
}

void mr_lock_snapshot_sort(struct mr_lock_snapshot *s)
{
	if (s->n_locks)
		qsort(s->locks, s->n_locks, sizeof(*s->locks), cmp_held_lock);
	if (s->n_waiters)
		qsort(s->waiters, s->n_waiters, sizeof(*s->waiters),
		      cmp_waiter);
	s->sorted = true;
}

void mr_lock_snapshot_free(struct mr_lock_snapshot *s)
{
	size_t i;

	for (i = 0; i < s->n_locks; i++) {
		free(s->locks[i].symbol);
		free(s->locks[i].acquired_at);
	}
	free(s->locks);
	free(s->waiters);
	mr_lock_snapshot_init(s, false, 0);
}

size_t mr_lock_first_holder(const struct mr_lock_snapshot *s, uint64_t addr)
{
	size_t lo = 0, hi = s->n_locks;

	assert(s->sorted);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->locks[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->n_locks && s->locks[lo].addr == addr ? lo : s->n_locks;
}

/*
 * The index of the first waiter whose lock is at LOCK or above it, or with
 * PAST, above it: a binary search, so that a lock with many waiters costs
 * no more than one with few.
 */
static size_t waiters_bound(const struct mr_lock_snapshot *s, uint64_t lock,
			    bool past)
{
	size_t lo = 0, hi = s->n_waiters;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint64_t at = s->waiters[mid].lock;

		if (at < lock || (past && at == lock))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t mr_lock_waiters_of(const struct mr_lock_snapshot *s, uint64_t lock,
			  const struct mr_lock_waiter **first)
{
	size_t start, end;

	assert(s->sorted);
	*first = NULL;
	if (!s->n_waiters)
		return 0;
	start = waiters_bound(s, lock, false);
	end = waiters_bound(s, lock, true);
	*first = s->waiters + start;
	return end - start;
}

void mr_lock_filter_default(struct mr_lock_filter *f)
{
	f->all = false;
	f->min_held_ns = MR_LOCK_MIN_HELD_DEFAULT_NS;
}

bool mr_lock_listed(const struct mr_lock_snapshot *s,
		    const struct mr_held_lock *l,
		    const struct mr_lock_filter *f)
{
	const struct mr_lock_waiter *first;

	if (f->all || l->held_ns >= f->min_held_ns)
		return true;
	return mr_lock_waiters_of(s, l->addr, &first) > 0;
}
