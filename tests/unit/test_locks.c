// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for cli/lib/locks: the lock snapshot model and its filter, the
 * cycle finder over the wait-for graph (every elementary cycle once, from
 * its smallest pid, within bounds on hostile input), and the JSON and text
 * renderers, from hand-built snapshots.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cycles.h"
#include "lockrender.h"
#include "locks.h"

#define LOCK_A 0xffffffffc0a01000ULL
#define LOCK_B 0xffffffffc0a02000ULL
#define LOCK_C 0xffffffffc0a03000ULL
#define LOCK_D 0xffffffffc0a04000ULL
#define LOCK_E 0xffffffffc0a05000ULL
#define MS 1000000ULL

static struct mr_lock_task task(int pid, const char *comm, int cpu)
{
	struct mr_lock_task t = { .pid = pid, .cpu = cpu };

	snprintf(t.comm, sizeof(t.comm), "%s", comm);
	return t;
}

/* PID (comm "tPID", on cpu PID % 4) holds ADDR in CTX for HELD_NS. */
static void hold(struct mr_lock_snapshot *s, uint64_t addr, int pid,
		 enum mr_lock_context ctx, uint64_t held_ns)
{
	struct mr_held_lock l = { .addr = addr,
				  .symbol = "hp_x_lock [hp_x]",
				  .acquired_at = "hp_x_fn+0x1a/0x40 [hp_x]",
				  .held_ns = held_ns };
	char comm[MR_LOCK_COMM_LEN];

	snprintf(comm, sizeof(comm), "t%d", pid);
	l.owner.task = task(pid, comm, pid % 4);
	l.owner.context = ctx;
	l.owner.alive = true;
	assert_int_equal(mr_lock_snapshot_add_lock(s, &l), 0);
}

static void wait_for(struct mr_lock_snapshot *s, int pid, uint64_t lock,
		     uint64_t waiting_ns)
{
	struct mr_lock_waiter w = { .lock = lock, .waiting_ns = waiting_ns };
	char comm[MR_LOCK_COMM_LEN];

	snprintf(comm, sizeof(comm), "t%d", pid);
	w.task = task(pid, comm, pid % 4);
	assert_int_equal(mr_lock_snapshot_add_waiter(s, &w), 0);
}

/*
 * Sort S and find its cycles into C. A search that outruns its bounds would
 * hang `make unit`: SIGALRM ends the binary instead, a failure it reports.
 */
static void find(struct mr_lock_snapshot *s, struct mr_lock_cycles *c)
{
	mr_lock_snapshot_sort(s);
	alarm(30);
	assert_int_equal(mr_lock_cycles_find(s, c), 0);
	alarm(0);
}

static void assert_step(const struct mr_lock_cycle_step *st, int pid,
			uint64_t holds, uint64_t waits_for)
{
	assert_int_equal(st->task.pid, pid);
	assert_int_equal(st->holds, holds);
	assert_int_equal(st->waits_for, waits_for);
}

/* Whether task T holds LOCK in task context in S. */
static bool holds_in_task(const struct mr_lock_snapshot *s,
			  const struct mr_lock_task *t, uint64_t lock)
{
	size_t i;

	for (i = mr_lock_first_holder(s, lock);
	     i < s->n_locks && s->locks[i].addr == lock; i++)
		if (s->locks[i].owner.task.pid == t->pid &&
		    s->locks[i].owner.context == MR_LOCK_CTX_TASK)
			return true;
	return false;
}

/*
 * C is a real elementary cycle of S from its smallest pid: each step waits
 * for the lock it names, the next step holds it in task context, the next
 * step's "holds" is that lock, and no task comes twice.
 */
static void assert_valid_cycle(const struct mr_lock_snapshot *s,
			       const struct mr_lock_cycle *c)
{
	size_t i, j;

	assert_true(c->n_steps >= 1);
	for (i = 0; i < c->n_steps; i++) {
		const struct mr_lock_cycle_step *st = &c->steps[i];
		const struct mr_lock_cycle_step *next =
			&c->steps[(i + 1) % c->n_steps];
		const struct mr_lock_waiter *first;
		size_t n = mr_lock_waiters_of(s, st->waits_for, &first);
		bool waits = false;

		for (j = 0; j < n; j++)
			waits |= first[j].task.pid == st->task.pid;
		assert_true(waits);
		assert_true(holds_in_task(s, &next->task, st->waits_for));
		assert_int_equal(next->holds, st->waits_for);
		assert_true(c->steps[0].task.pid <= st->task.pid);
		for (j = 0; j < i; j++)
			assert_int_not_equal(c->steps[j].task.pid,
					     st->task.pid);
	}
}

/* No two cycles of C are the same sequence of tasks. */
static void assert_distinct_cycles(const struct mr_lock_cycles *c)
{
	size_t i, j, k;

	for (i = 0; i < c->n_cycles; i++)
		for (j = 0; j < i; j++) {
			const struct mr_lock_cycle *a = &c->cycles[i];
			const struct mr_lock_cycle *b = &c->cycles[j];
			bool same = a->n_steps == b->n_steps;

			for (k = 0; same && k < a->n_steps; k++)
				same = a->steps[k].task.pid ==
				       b->steps[k].task.pid;
			assert_false(same);
		}
}

static void release(struct mr_lock_snapshot *s, struct mr_lock_cycles *c)
{
	mr_lock_cycles_free(c);
	mr_lock_snapshot_free(s);
}

/* ---- cycles ---- */

static void no_cycle_in_a_plain_wait(void **state)
{
	struct mr_lock_snapshot s;
	struct mr_lock_cycles c;

	(void)state;
	mr_lock_snapshot_init(&s, true, 0);
	hold(&s, LOCK_A, 10, MR_LOCK_CTX_TASK, 5 * MS);
	wait_for(&s, 20, LOCK_A, MS);
	wait_for(&s, 30, LOCK_A, MS);
	/* 10 waits too, but for a lock nobody is recorded to hold. */
	wait_for(&s, 10, LOCK_B, MS);
	find(&s, &c);
	assert_int_equal(c.n_cycles, 0);
	assert_false(c.truncated);
	release(&s, &c);
}

static void ab_ba_is_one_cycle_from_the_smallest_pid(void **state)
{
	struct mr_lock_snapshot s;
	struct mr_lock_cycles c;

	(void)state;
	mr_lock_snapshot_init(&s, true, 0);
	hold(&s, LOCK_A, 42, MR_LOCK_CTX_TASK, 3 * MS);
	hold(&s, LOCK_B, 17, MR_LOCK_CTX_TASK, 3 * MS);
	wait_for(&s, 42, LOCK_B, 2 * MS);
	wait_for(&s, 17, LOCK_A, 2 * MS);
	find(&s, &c);
	assert_int_equal(c.n_cycles, 1);
	assert_int_equal(c.cycles[0].n_steps, 2);
	assert_step(&c.cycles[0].steps[0], 17, LOCK_B, LOCK_A);
	assert_step(&c.cycles[0].steps[1], 42, LOCK_A, LOCK_B);
	assert_string_equal(c.cycles[0].steps[0].task.comm, "t17");
	assert_false(c.truncated);
	release(&s, &c);
}

static void three_ring(void **state)
{
	struct mr_lock_snapshot s;
	struct mr_lock_cycles c;

	(void)state;
	mr_lock_snapshot_init(&s, true, 0);
	/* 30 -> 10 -> 20 -> 30 */
	hold(&s, LOCK_A, 10, MR_LOCK_CTX_TASK, MS);
	hold(&s, LOCK_B, 20, MR_LOCK_CTX_TASK, MS);
	hold(&s, LOCK_C, 30, MR_LOCK_CTX_TASK, MS);
	wait_for(&s, 30, LOCK_A, MS);
	wait_for(&s, 10, LOCK_B, MS);
	wait_for(&s, 20, LOCK_C, MS);
	find(&s, &c);
	assert_int_equal(c.n_cycles, 1);
	assert_int_equal(c.cycles[0].n_steps, 3);
	assert_step(&c.cycles[0].steps[0], 10, LOCK_A, LOCK_B);
	assert_step(&c.cycles[0].steps[1], 20, LOCK_B, LOCK_C);
	assert_step(&c.cycles[0].steps[2], 30, LOCK_C, LOCK_A);
	release(&s, &c);
}

static void self_wait(void **state)
{
	struct mr_lock_snapshot s;
	struct mr_lock_cycles c;

	(void)state;
	mr_lock_snapshot_init(&s, true, 0);
	hold(&s, LOCK_A, 7, MR_LOCK_CTX_TASK, 9 * MS);
	wait_for(&s, 7, LOCK_A, 8 * MS);
	find(&s, &c);
	assert_int_equal(c.n_cycles, 1);
	assert_int_equal(c.cycles[0].n_steps, 1);
	assert_step(&c.cycles[0].steps[0], 7, LOCK_A, LOCK_A);
	release(&s, &c);
}

static void two_disjoint_cycles(void **state)
{
	struct mr_lock_snapshot s;
	struct mr_lock_cycles c;

	(void)state;
	mr_lock_snapshot_init(&s, true, 0);
	/* A ring 50 -> 60 -> 70 -> 50, added before an AB-BA of 5 and 6. */
	hold(&s, LOCK_C, 50, MR_LOCK_CTX_TASK, MS);
	hold(&s, LOCK_D, 60, MR_LOCK_CTX_TASK, MS);
	hold(&s, LOCK_E, 70, MR_LOCK_CTX_TASK, MS);
	wait_for(&s, 50, LOCK_D, MS);
	wait_for(&s, 60, LOCK_E, MS);
	wait_for(&s, 70, LOCK_C, MS);
	hold(&s, LOCK_A, 5, MR_LOCK_CTX_TASK, MS);
	hold(&s, LOCK_B, 6, MR_LOCK_CTX_TASK, MS);
	wait_for(&s, 5, LOCK_B, MS);
	wait_for(&s, 6, LOCK_A, MS);
	find(&s, &c);
	assert_int_equal(c.n_cycles, 2);
	assert_int_equal(c.cycles[0].n_steps, 2);
	assert_step(&c.cycles[0].steps[0], 5, LOCK_A, LOCK_B);
	assert_step(&c.cycles[0].steps[1], 6, LOCK_B, LOCK_A);
	assert_int_equal(c.cycles[1].n_steps, 3);
	assert_step(&c.cycles[1].steps[0], 50, LOCK_C, LOCK_D);
	assert_step(&c.cycles[1].steps[1], 60, LOCK_D, LOCK_E);
	assert_step(&c.cycles[1].steps[2], 70, LOCK_E, LOCK_C);
	release(&s, &c);
}

static void cycle_with_a_tail_of_waiters(void **state)
{
	struct mr_lock_snapshot s;
	struct mr_lock_cycles c;

	(void)state;
	mr_lock_snapshot_init(&s, true, 0);
	hold(&s, LOCK_A, 40, MR_LOCK_CTX_TASK, MS);
	hold(&s, LOCK_B, 41, MR_LOCK_CTX_TASK, MS);
	wait_for(&s, 40, LOCK_B, MS);
	wait_for(&s, 41, LOCK_A, MS);
	/* A tail with smaller pids: 2 -> 3 -> (A, in the cycle). */
	hold(&s, LOCK_C, 3, MR_LOCK_CTX_TASK, MS);
	wait_for(&s, 3, LOCK_A, MS);
	wait_for(&s, 2, LOCK_C, MS);
	find(&s, &c);
	assert_int_equal(c.n_cycles, 1);
	assert_int_equal(c.cycles[0].n_steps, 2);
	assert_step(&c.cycles[0].steps[0], 40, LOCK_A, LOCK_B);
	assert_step(&c.cycles[0].steps[1], 41, LOCK_B, LOCK_A);
	release(&s, &c);
}

/*
 * 12 holds A in softirq context (pid 12 is only the interrupted task) and
 * 13 holds B in task context; 12 waits for B, 13 for A. The softirq will
 * release A when it returns, so there is no deadlock between 12 and 13.
 */
static void interrupt_holds_make_no_edge(void **state)
{
	struct mr_lock_snapshot s;
	struct mr_lock_cycles c;
	enum mr_lock_context ctx;

	(void)state;
	for (ctx = MR_LOCK_CTX_SOFTIRQ; ctx <= MR_LOCK_CTX_NMI; ctx++) {
		mr_lock_snapshot_init(&s, true, 0);
		hold(&s, LOCK_A, 12, ctx, MS);
		hold(&s, LOCK_B, 13, MR_LOCK_CTX_TASK, MS);
		wait_for(&s, 12, LOCK_B, MS);
		wait_for(&s, 13, LOCK_A, MS);
		find(&s, &c);
		assert_int_equal(c.n_cycles, 0);
		release(&s, &c);
	}
}

/* The idle tasks of two CPUs are two tasks, though both have pid 0. */
static void idle_tasks_of_two_cpus_are_distinct(void **state)
{
	struct mr_lock_snapshot s;
	struct mr_lock_cycles c;
	struct mr_held_lock l = { .addr = LOCK_A, .acquired_at = "x" };
	struct mr_lock_waiter w = { .lock = LOCK_B };

	(void)state;
	mr_lock_snapshot_init(&s, true, 0);
	/* swapper/0 holds A and waits for B, which swapper/1 holds. */
	l.owner.task = task(0, "swapper/0", 0);
	assert_int_equal(mr_lock_snapshot_add_lock(&s, &l), 0);
	l.addr = LOCK_B;
	l.owner.task = task(0, "swapper/1", 1);
	assert_int_equal(mr_lock_snapshot_add_lock(&s, &l), 0);
	w.task = task(0, "swapper/0", 0);
	assert_int_equal(mr_lock_snapshot_add_waiter(&s, &w), 0);
	find(&s, &c);
	assert_int_equal(c.n_cycles, 0);
	mr_lock_cycles_free(&c);
	/* ... until swapper/1 waits for A: then they deadlock. */
	w.task = task(0, "swapper/1", 1);
	w.lock = LOCK_A;
	assert_int_equal(mr_lock_snapshot_add_waiter(&s, &w), 0);
	find(&s, &c);
	assert_int_equal(c.n_cycles, 1);
	assert_int_equal(c.cycles[0].n_steps, 2);
	assert_int_equal(c.cycles[0].steps[0].task.cpu, 0);
	assert_int_equal(c.cycles[0].steps[1].task.cpu, 1);
	release(&s, &c);
}

/* Read locks: several tasks hold one address; each is a cycle of its own. */
static void several_holders_of_one_lock(void **state)
{
	struct mr_lock_snapshot s;
	struct mr_lock_cycles c;
	size_t i;

	(void)state;
	mr_lock_snapshot_init(&s, true, 0);
	hold(&s, LOCK_A, 1, MR_LOCK_CTX_TASK, MS);
	hold(&s, LOCK_A, 2, MR_LOCK_CTX_TASK, MS);
	hold(&s, LOCK_B, 3, MR_LOCK_CTX_TASK, MS);
	wait_for(&s, 1, LOCK_B, MS);
	wait_for(&s, 2, LOCK_B, MS);
	wait_for(&s, 3, LOCK_A, MS);
	find(&s, &c);
	assert_int_equal(c.n_cycles, 2);
	for (i = 0; i < c.n_cycles; i++)
		assert_valid_cycle(&s, &c.cycles[i]);
	assert_int_equal(c.cycles[0].steps[0].task.pid, 1);
	assert_int_equal(c.cycles[1].steps[0].task.pid, 2);
	release(&s, &c);
}

static uint64_t next_random(uint64_t *seed)
{
	*seed = *seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return *seed >> 33;
}

/*
 * A large random snapshot, with far more cycles than are reported: the
 * search ends, reports at most MR_LOCK_CYCLES_MAX of them, says it stopped,
 * and every cycle it reports is real and reported once.
 */
static void large_random_graph_stays_within_bounds(void **state)
{
	struct mr_lock_snapshot s;
	struct mr_lock_cycles c;
	uint64_t seed = 20240610;
	size_t i;

	(void)state;
	mr_lock_snapshot_init(&s, true, 0);
	for (i = 0; i < 20000; i++)
		hold(&s, 0x1000 + (next_random(&seed) % 3000) * 64,
		     1 + (int)(next_random(&seed) % 500), MR_LOCK_CTX_TASK, MS);
	for (i = 0; i < 20000; i++)
		wait_for(&s, 1 + (int)(next_random(&seed) % 500),
			 0x1000 + (next_random(&seed) % 3000) * 64, MS);
	find(&s, &c);
	assert_true(c.truncated);
	assert_true(c.n_cycles <= MR_LOCK_CYCLES_MAX);
	assert_true(c.n_cycles > 0);
	for (i = 0; i < c.n_cycles; i++)
		assert_valid_cycle(&s, &c.cycles[i]);
	assert_distinct_cycles(&c);
	release(&s, &c);
}

/* Every waiter on one lock that every task holds: the budget ends it. */
static void one_lock_held_by_all_stays_within_bounds(void **state)
{
	struct mr_lock_snapshot s;
	struct mr_lock_cycles c;
	int pid;

	(void)state;
	mr_lock_snapshot_init(&s, true, 0);
	for (pid = 1; pid <= 3000; pid++) {
		hold(&s, LOCK_A, pid, MR_LOCK_CTX_TASK, MS);
		wait_for(&s, pid, LOCK_A, MS);
	}
	find(&s, &c);
	assert_true(c.truncated);
	assert_int_equal(c.n_cycles, MR_LOCK_CYCLES_MAX);
	release(&s, &c);
}

/*
 * No cycle, but 2^40 paths: 40 layers of two tasks, each waiting for a lock
 * both tasks of the next layer hold (read locks). The search stops at its
 * budget and says a cycle may be missed.
 */
static void exponential_paths_stay_within_bounds(void **state)
{
	struct mr_lock_snapshot s;
	struct mr_lock_cycles c;
	int layer;

	(void)state;
	mr_lock_snapshot_init(&s, true, 0);
	for (layer = 0; layer < 40; layer++) {
		uint64_t lock = 0x20000 + (uint64_t)layer * 64;

		hold(&s, lock, 1 + 2 * layer, MR_LOCK_CTX_TASK, MS);
		hold(&s, lock, 2 + 2 * layer, MR_LOCK_CTX_TASK, MS);
		wait_for(&s, 1 + 2 * layer, lock + 64, MS);
		wait_for(&s, 2 + 2 * layer, lock + 64, MS);
	}
	find(&s, &c);
	assert_int_equal(c.n_cycles, 0);
	assert_true(c.truncated);
	release(&s, &c);
}

/* One long ring is found whole, and is the only cycle. */
static void long_ring_found_whole(void **state)
{
	struct mr_lock_snapshot s;
	struct mr_lock_cycles c;
	const int n = 1000;
	int i;

	(void)state;
	mr_lock_snapshot_init(&s, true, 0);
	for (i = 0; i < n; i++) {
		hold(&s, 0x10000 + (uint64_t)i * 64, 100 + i, MR_LOCK_CTX_TASK,
		     MS);
		wait_for(&s, 100 + i, 0x10000 + (uint64_t)((i + 1) % n) * 64,
			 MS);
	}
	find(&s, &c);
	assert_int_equal(c.n_cycles, 1);
	assert_int_equal(c.cycles[0].n_steps, n);
	assert_false(c.truncated);
	assert_valid_cycle(&s, &c.cycles[0]);
	release(&s, &c);
}

/* ---- filter ---- */

static void filter_lists_long_holds_and_waited_locks(void **state)
{
	struct mr_lock_snapshot s;
	struct mr_lock_filter f;

	(void)state;
	mr_lock_snapshot_init(&s, true, 0);
	hold(&s, LOCK_A, 1, MR_LOCK_CTX_TASK, MS / 2); /* short, no waiter */
	hold(&s, LOCK_B, 2, MR_LOCK_CTX_TASK, MS); /* exactly 1 ms */
	hold(&s, LOCK_C, 3, MR_LOCK_CTX_TASK, 1000); /* short, waited for */
	hold(&s, LOCK_D, 4, MR_LOCK_CTX_HARDIRQ, 7 * MS);
	wait_for(&s, 9, LOCK_C, 500);
	mr_lock_snapshot_sort(&s);

	mr_lock_filter_default(&f);
	assert_false(f.all);
	assert_int_equal(f.min_held_ns, MS);
	assert_false(mr_lock_listed(&s, &s.locks[0], &f));
	assert_true(mr_lock_listed(&s, &s.locks[1], &f));
	assert_true(mr_lock_listed(&s, &s.locks[2], &f));
	assert_true(mr_lock_listed(&s, &s.locks[3], &f));

	/* --min-held 5 */
	f.min_held_ns = 5 * MS;
	assert_false(mr_lock_listed(&s, &s.locks[0], &f));
	assert_false(mr_lock_listed(&s, &s.locks[1], &f));
	assert_true(mr_lock_listed(&s, &s.locks[2], &f));
	assert_true(mr_lock_listed(&s, &s.locks[3], &f));

	/* --all */
	f.all = true;
	assert_true(mr_lock_listed(&s, &s.locks[0], &f));
	assert_true(mr_lock_listed(&s, &s.locks[1], &f));
	mr_lock_snapshot_free(&s);
}

static void waiters_of_a_lock(void **state)
{
	const struct mr_lock_waiter *first;
	struct mr_lock_snapshot s;

	(void)state;
	mr_lock_snapshot_init(&s, true, 0);
	assert_int_equal(mr_lock_waiters_of(&s, LOCK_A, &first), 0);
	wait_for(&s, 9, LOCK_B, 1);
	wait_for(&s, 8, LOCK_A, 1);
	wait_for(&s, 7, LOCK_C, 1);
	wait_for(&s, 6, LOCK_B, 1);
	mr_lock_snapshot_sort(&s);
	assert_int_equal(mr_lock_waiters_of(&s, LOCK_B, &first), 2);
	assert_int_equal(first[0].task.pid, 6);
	assert_int_equal(first[1].task.pid, 9);
	assert_int_equal(mr_lock_waiters_of(&s, LOCK_D, &first), 0);
	mr_lock_snapshot_free(&s);
}

/* ---- rendering ---- */

/* AB-BA between 17 and 42, a dead owner of C with no waiter, and a short
 * unwaited lock D in softirq context without a symbol. */
static void build_rendered(struct mr_lock_snapshot *s, struct mr_lock_cycles *c)
{
	struct mr_held_lock dead = {
		.addr = LOCK_C,
		.symbol = "hp_dead_lock [hp_oops]",
		.acquired_at = "hp_oops_fn+0x22/0x80 [hp_oops]",
		.held_ns = 61 * 1000 * MS,
	};
	struct mr_held_lock soft = {
		.addr = LOCK_D,
		.symbol = NULL,
		.acquired_at = "net_rx_action+0x10/0x300",
		.held_ns = 3 * MS,
	};

	mr_lock_snapshot_init(s, true, 3);
	hold(s, LOCK_A, 42, MR_LOCK_CTX_TASK, 2500 * MS);
	hold(s, LOCK_B, 17, MR_LOCK_CTX_TASK, 2400 * MS);
	wait_for(s, 42, LOCK_B, 2300 * MS);
	wait_for(s, 17, LOCK_A, 2200 * MS);
	dead.owner.task = task(77, "hp_oops_thr", 3);
	dead.owner.alive = false;
	dead.owner.oopsed = true;
	assert_int_equal(mr_lock_snapshot_add_lock(s, &dead), 0);
	soft.owner.task = task(5, "bash", 1);
	soft.owner.context = MR_LOCK_CTX_SOFTIRQ;
	soft.owner.alive = true;
	assert_int_equal(mr_lock_snapshot_add_lock(s, &soft), 0);
	hold(s, LOCK_E, 8, MR_LOCK_CTX_TASK, 10); /* filtered out */
	find(s, c);
}

static struct json_object *rendered_json(const struct mr_lock_snapshot *s,
					 const struct mr_lock_cycles *c)
{
	struct mr_lock_filter f;
	struct json_object *o, *parsed;
	const char *text;

	mr_lock_filter_default(&f);
	o = mr_locks_json(s, &f, c);
	assert_non_null(o);
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	parsed = json_tokener_parse(text);
	assert_non_null(parsed);
	json_object_put(o);
	return parsed;
}

static struct json_object *member(struct json_object *o, const char *key,
				  enum json_type type)
{
	struct json_object *v = NULL;

	assert_true(json_object_object_get_ex(o, key, &v));
	assert_int_equal(json_object_get_type(v), type);
	return v;
}

static const char *string_of(struct json_object *o, const char *key)
{
	return json_object_get_string(member(o, key, json_type_string));
}

static int64_t int_of(struct json_object *o, const char *key)
{
	return json_object_get_int64(member(o, key, json_type_int));
}

static void json_lock_keys_and_values(void **state)
{
	struct json_object *root, *lw, *locks, *l, *owner, *waiters, *w;
	struct mr_lock_snapshot s;
	struct mr_lock_cycles c;

	(void)state;
	build_rendered(&s, &c);
	root = rendered_json(&s, &c);
	lw = member(root, "lockwatch", json_type_object);
	assert_true(
		json_object_get_boolean(member(lw, "on", json_type_boolean)));
	assert_int_equal(int_of(lw, "missed"), 3);

	/* A, B, C, D (by address); E is filtered out. */
	locks = member(root, "locks", json_type_array);
	assert_int_equal(json_object_array_length(locks), 4);
	l = json_object_array_get_idx(locks, 0);
	assert_string_equal(string_of(l, "lock"), "0xffffffffc0a01000");
	assert_string_equal(string_of(l, "symbol"), "hp_x_lock [hp_x]");
	assert_string_equal(string_of(l, "acquired_at"),
			    "hp_x_fn+0x1a/0x40 [hp_x]");
	assert_int_equal(int_of(l, "held_ns"), 2500 * MS);
	owner = member(l, "owner", json_type_object);
	assert_int_equal(int_of(owner, "pid"), 42);
	assert_string_equal(string_of(owner, "comm"), "t42");
	assert_int_equal(int_of(owner, "cpu"), 2);
	assert_string_equal(string_of(owner, "context"), "task");
	assert_true(json_object_get_boolean(
		member(owner, "alive", json_type_boolean)));
	waiters = member(l, "waiters", json_type_array);
	assert_int_equal(json_object_array_length(waiters), 1);
	w = json_object_array_get_idx(waiters, 0);
	assert_int_equal(int_of(w, "pid"), 17);
	assert_string_equal(string_of(w, "comm"), "t17");
	assert_int_equal(int_of(w, "cpu"), 1);
	assert_int_equal(int_of(w, "waiting_ns"), 2200 * MS);

	/* The dead owner, and the softirq holder with no symbol. */
	l = json_object_array_get_idx(locks, 2);
	owner = member(l, "owner", json_type_object);
	assert_false(json_object_get_boolean(
		member(owner, "alive", json_type_boolean)));
	assert_true(json_object_get_boolean(
		member(owner, "oopsed", json_type_boolean)));
	assert_int_equal(
		json_object_array_length(member(l, "waiters", json_type_array)),
		0);
	l = json_object_array_get_idx(locks, 3);
	member(l, "symbol", json_type_null);
	owner = member(l, "owner", json_type_object);
	assert_string_equal(string_of(owner, "context"), "softirq");
	assert_int_equal(int_of(owner, "pid"), 5);
	json_object_put(root);
	release(&s, &c);
}

static void json_cycles(void **state)
{
	struct json_object *root, *cycles, *cycle, *st;
	struct mr_lock_snapshot s;
	struct mr_lock_cycles c;

	(void)state;
	build_rendered(&s, &c);
	root = rendered_json(&s, &c);
	cycles = member(root, "cycles", json_type_array);
	assert_int_equal(json_object_array_length(cycles), 1);
	cycle = json_object_array_get_idx(cycles, 0);
	assert_int_equal(json_object_get_type(cycle), json_type_array);
	assert_int_equal(json_object_array_length(cycle), 2);
	st = json_object_array_get_idx(cycle, 0);
	assert_int_equal(int_of(st, "pid"), 17);
	assert_string_equal(string_of(st, "comm"), "t17");
	assert_string_equal(string_of(st, "holds"), "0xffffffffc0a02000");
	assert_string_equal(string_of(st, "waits_for"), "0xffffffffc0a01000");
	st = json_object_array_get_idx(cycle, 1);
	assert_int_equal(int_of(st, "pid"), 42);
	assert_string_equal(string_of(st, "holds"), "0xffffffffc0a01000");
	assert_string_equal(string_of(st, "waits_for"), "0xffffffffc0a02000");
	assert_false(json_object_get_boolean(
		member(root, "cycles_truncated", json_type_boolean)));
	json_object_put(root);
	release(&s, &c);
}

static void json_empty_snapshot(void **state)
{
	struct mr_lock_snapshot s;
	struct mr_lock_cycles c;
	struct mr_lock_filter f;
	struct json_object *o;

	(void)state;
	mr_lock_snapshot_init(&s, false, 0);
	find(&s, &c);
	mr_lock_filter_default(&f);
	o = mr_locks_json(&s, &f, &c);
	assert_non_null(o);
	assert_string_equal(
		json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
		"{\"lockwatch\":{\"on\":false,\"missed\":0},\"locks\":[],"
		"\"cycles\":[],\"cycles_truncated\":false}");
	json_object_put(o);
	release(&s, &c);
}

static char *text_of(const struct mr_lock_snapshot *s,
		     const struct mr_lock_filter *f,
		     const struct mr_lock_cycles *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	mr_locks_text(out, s, f, c);
	fclose(out);
	return buf;
}

/* The line of TEXT that starts with PREFIX, or NULL. */
static const char *line_starting(const char *text, const char *prefix)
{
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, prefix, strlen(prefix)))
			return p;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

static void text_table_and_deadlock(void **state)
{
	struct mr_lock_snapshot s;
	struct mr_lock_cycles c;
	struct mr_lock_filter f;
	const char *row;
	char *text;

	(void)state;
	build_rendered(&s, &c);
	mr_lock_filter_default(&f);
	text = text_of(&s, &f, &c);
	assert_non_null(line_starting(
		text, "lockwatch: on, 3 missed events (a lock or a waiter"));
	row = line_starting(text, "LOCK ");
	assert_non_null(row);
	assert_non_null(strstr(row, "SYMBOL"));
	assert_non_null(strstr(row, "ACQUIRED AT"));
	assert_non_null(strstr(row, "HELD FOR"));
	row = line_starting(text, "0xffffffffc0a01000 ");
	assert_non_null(row);
	assert_true(strstr(row, "42 t42 cpu2 task ") <
		    strstr(row, "hp_x_fn+0x1a/0x40 [hp_x]"));
	assert_non_null(strstr(row, "2.5 s"));
	assert_non_null(strstr(row, "17 t17 cpu1 2.2 s\n"));
	/* The dead owner is marked, the softirq holder named with its context. */
	row = line_starting(text, "0xffffffffc0a03000 ");
	assert_non_null(row);
	assert_non_null(
		strstr(row, "77 hp_oops_thr cpu3 task (oopsed) (dead)"));
	assert_non_null(strstr(row, "1m01s"));
	row = line_starting(text, "0xffffffffc0a04000  -  ");
	assert_non_null(row);
	assert_non_null(strstr(row, "5 bash cpu1 softirq "));
	assert_null(line_starting(text, "0xffffffffc0a05000 "));
	row = line_starting(text, "deadlock: 1 cycle in the wait-for graph\n");
	assert_non_null(row);
	assert_non_null(line_starting(
		row,
		"  cycle 1: 17 t17 holds 0xffffffffc0a02000, waits for 0xffffffffc0a01000 -> 42 t42 holds 0xffffffffc0a01000, waits for 0xffffffffc0a02000 -> 17\n"));
	free(text);
	release(&s, &c);
}

static void text_without_cycles_or_locks(void **state)
{
	struct mr_lock_snapshot s;
	struct mr_lock_cycles c;
	struct mr_lock_filter f;
	char *text;

	(void)state;
	mr_lock_snapshot_init(&s, true, 0);
	hold(&s, LOCK_A, 1, MR_LOCK_CTX_TASK, 10);
	find(&s, &c);
	mr_lock_filter_default(&f);
	text = text_of(&s, &f, &c);
	assert_string_equal(
		text,
		"lockwatch: on, 0 missed events\n"
		"no lock held for 1.0 ms or more, or waited for (--all lists the 1 held)\n");
	free(text);
	f.all = true;
	text = text_of(&s, &f, &c);
	assert_null(strstr(text, "deadlock"));
	assert_non_null(line_starting(text, "0xffffffffc0a01000  hp_x_lock "));
	free(text);
	release(&s, &c);
}

static void durations_in_human_units(void **state)
{
	static const struct {
		uint64_t ns;
		const char *text;
	} cases[] = {
		{ 0, "0 ns" },
		{ 999, "999 ns" },
		{ 1000, "1.0 us" },
		{ 12345, "12.3 us" },
		{ 999999, "999.9 us" },
		{ MS, "1.0 ms" },
		{ 4 * MS + 50000, "4.0 ms" },
		{ 2500 * MS, "2.5 s" },
		{ 187ULL * 1000 * MS, "3m07s" },
		{ 7322ULL * 1000 * MS, "2h02m" },
	};
	char buf[24];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mr_lock_duration_text(cases[i].ns, buf, sizeof(buf));
		assert_string_equal(buf, cases[i].text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_cycle_in_a_plain_wait),
		cmocka_unit_test(ab_ba_is_one_cycle_from_the_smallest_pid),
		cmocka_unit_test(three_ring),
		cmocka_unit_test(self_wait),
		cmocka_unit_test(two_disjoint_cycles),
		cmocka_unit_test(cycle_with_a_tail_of_waiters),
		cmocka_unit_test(interrupt_holds_make_no_edge),
		cmocka_unit_test(idle_tasks_of_two_cpus_are_distinct),
		cmocka_unit_test(several_holders_of_one_lock),
		cmocka_unit_test(large_random_graph_stays_within_bounds),
		cmocka_unit_test(one_lock_held_by_all_stays_within_bounds),
		cmocka_unit_test(exponential_paths_stay_within_bounds),
		cmocka_unit_test(long_ring_found_whole),
		cmocka_unit_test(filter_lists_long_holds_and_waited_locks),
		cmocka_unit_test(waiters_of_a_lock),
		cmocka_unit_test(json_lock_keys_and_values),
		cmocka_unit_test(json_cycles),
		cmocka_unit_test(json_empty_snapshot),
		cmocka_unit_test(text_table_and_deadlock),
		cmocka_unit_test(text_without_cycles_or_locks),
		cmocka_unit_test(durations_in_human_units),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
