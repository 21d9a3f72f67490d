// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for releasing a dead owner's spinlock (issue 11, part 1), the
 * CLI's pure part: which lock `locks release LOCK` means (lockpick.c),
 * which locks an unload releases first and how that changes its plan
 * (plan.c), and the words for what the helper answered.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lockpick.h"
#include "plan.h"

struct fix {
	struct mr_lock_snapshot s;
	struct mr_diag d;
	struct mr_module m;
	struct mr_task task;
	struct mr_task_ref ref;
};

static void add_lock(struct mr_lock_snapshot *s, uint64_t addr, const char *sym,
		     const char *site, int pid, bool alive,
		     enum mr_lock_context ctx, bool sleeping)
{
	struct mr_held_lock l;

	memset(&l, 0, sizeof(l));
	l.addr = addr;
	l.symbol = (char *)sym;
	l.acquired_at = (char *)site;
	l.owner.task.pid = pid;
	snprintf(l.owner.task.comm, sizeof(l.owner.task.comm), "hp_x");
	l.owner.alive = alive;
	l.owner.context = ctx;
	l.held_ns = 5000000000ULL;
	l.sleeping = sleeping;
	assert_int_equal(mr_lock_snapshot_add_lock(s, &l), 0);
}

static void add_waiter(struct mr_lock_snapshot *s, uint64_t lock, int pid)
{
	struct mr_lock_waiter w;

	memset(&w, 0, sizeof(w));
	w.lock = lock;
	w.task.pid = pid;
	snprintf(w.task.comm, sizeof(w.task.comm), "rmmod");
	assert_int_equal(mr_lock_snapshot_add_waiter(s, &w), 0);
}

/* Module hp_x, LIVE and idle, or with rmmod (pid 93) spinning in exit. */
static void build(struct fix *f, bool spinning)
{
	memset(f, 0, sizeof(*f));
	mr_lock_snapshot_init(&f->s, true, 0);
	f->m.name = "hp_x";
	f->m.state = spinning ? MR_STATE_GOING : MR_STATE_LIVE;
	f->m.refcnt_known = true;
	f->m.refcnt = spinning ? -1 : 0;
	f->m.has_exit_known = true;
	f->m.has_exit = true;
	f->task.pid = 93;
	snprintf(f->task.comm, sizeof(f->task.comm), "rmmod");
	f->task.wchan = "";
	f->task.syscall = MR_NR_DELETE_MODULE;
	f->task.on_cpu = true;
	f->ref.op = MR_OP_UNLOAD;
	f->ref.stuck = true;
	f->ref.guessed = true;
	f->m.tasks = &f->ref;
	f->m.n_tasks = spinning ? 1 : 0;
	f->d.mods = &f->m;
	f->d.n_mods = 1;
	f->d.tasks = &f->task;
	f->d.n_tasks = 1;
}

static void plan(struct fix *f, struct mr_plan *p)
{
	mr_lock_snapshot_sort(&f->s);
	mr_plan_unload_locks(&f->d, &f->m, &f->s, 0, p);
}

static void steps_are(const struct mr_plan *p, const enum mr_step *want,
		      size_t n)
{
	size_t i;

	assert_int_equal(p->n_steps, n);
	for (i = 0; i < n; i++)
		assert_string_equal(mr_step_name(p->steps[i]),
				    mr_step_name(want[i]));
}

/* hp_spinoops before rmmod: the module's lock, its owner dead. */
static void idle_module_releases_its_lock_first(void **state)
{
	static const enum mr_step want[] = { MR_STEP_OPEN_HELPER,
					     MR_STEP_RELEASE_LOCKS,
					     MR_STEP_DELETE,
					     MR_STEP_CHECK_GONE };
	struct fix f;
	struct mr_plan p;

	(void)state;
	build(&f, false);
	add_lock(&f.s, 0x1000, "hp_x_lock [hp_x]",
		 "hp_x_thread+0x4a/0x90 [hp_x]", 0, false, MR_LOCK_CTX_TASK,
		 false);
	/* Someone else's dead lock, and a live owner's lock of hp_x. */
	add_lock(&f.s, 0x2000, "other_lock [hp_y]", "hp_y_fn+0x1/0x2 [hp_y]", 0,
		 false, MR_LOCK_CTX_TASK, false);
	add_lock(&f.s, 0x3000, "hp_x_other [hp_x]", "hp_x_fn+0x1/0x2 [hp_x]",
		 55, true, MR_LOCK_CTX_TASK, false);
	plan(&f, &p);
	assert_int_equal(p.kind, MR_PLAN_DELETE);
	steps_are(&p, want, 4);
	assert_int_equal(p.n_locks, 1);
	assert_int_equal(p.locks[0].id, 0x1000);
	assert_string_equal(
		p.locks[0].what,
		"hp_x_lock [hp_x], taken at hp_x_thread+0x4a/0x90 [hp_x]");
	mr_lock_snapshot_free(&f.s);
}

/* A lock taken in the module's code (no symbol) counts too. */
static void lock_taken_in_module_code(void **state)
{
	struct fix f;
	struct mr_plan p;

	(void)state;
	build(&f, false);
	add_lock(&f.s, 0x1000, NULL, "hp_x_thread+0x4a/0x90 [hp_x]", 0, false,
		 MR_LOCK_CTX_TASK, false);
	plan(&f, &p);
	assert_int_equal(p.n_locks, 1);
	assert_string_equal(
		p.locks[0].what,
		"an unnamed lock, taken at hp_x_thread+0x4a/0x90 [hp_x]");
	mr_lock_snapshot_free(&f.s);
}

/* rmmod spins in exit on a dead owner's lock: release, wait, plan again. */
static void spinning_rmmod_on_dead_lock(void **state)
{
	static const enum mr_step want[] = { MR_STEP_OPEN_HELPER,
					     MR_STEP_RELEASE_LOCKS,
					     MR_STEP_WAIT_STUCK };
	struct fix f;
	struct mr_plan p;

	(void)state;
	build(&f, true);
	/* A kernel lock, not the module's: its waiter is the module's task. */
	add_lock(&f.s, 0x4000, "some_lock", "some_fn+0x1/0x2", 0, false,
		 MR_LOCK_CTX_TASK, false);
	add_waiter(&f.s, 0x4000, 93);
	plan(&f, &p);
	assert_int_equal(p.kind, MR_PLAN_LOCKS);
	assert_int_equal(p.stuck_pid, 93);
	steps_are(&p, want, 3);
	assert_int_equal(p.locks[0].id, 0x4000);
	mr_lock_snapshot_free(&f.s);
}

/* Without lockwatch, or with a live owner, the plan is as before. */
static void unchanged_without_a_dead_owner(void **state)
{
	struct fix f;
	struct mr_plan p, q;

	(void)state;
	build(&f, true);
	add_lock(&f.s, 0x1000, "hp_x_lock [hp_x]",
		 "hp_x_thread+0x4a/0x90 [hp_x]", 55, true, MR_LOCK_CTX_TASK,
		 false);
	add_waiter(&f.s, 0x1000, 93);
	plan(&f, &p);
	assert_int_equal(p.kind, MR_PLAN_REFUSE);
	assert_int_equal(p.n_locks, 0);
	mr_plan_unload(&f.d, &f.m, 0, &q);
	assert_int_equal(q.kind, MR_PLAN_REFUSE);
	assert_string_equal(p.what, q.what);
	assert_non_null(strstr(p.what, "spins on a CPU"));
	mr_lock_snapshot_free(&f.s);

	build(&f, false);
	mr_plan_unload_locks(&f.d, &f.m, NULL, 0, &p);
	assert_int_equal(p.kind, MR_PLAN_DELETE);
	assert_int_equal(p.n_steps, 2);
	mr_lock_snapshot_free(&f.s);
}

/*
 * A context's lock is never planned. PREEMPT_RT's sleeping lock is never
 * released either, and a dead owner's one of the module's own means its
 * exit would sleep on it for good: quarantined (refused with
 * --no-quarantine).
 */
static void contexts_and_sleeping_locks_left_alone(void **state)
{
	static const enum mr_step quarantine[] = { MR_STEP_OPEN_HELPER,
						   MR_STEP_CHECK_USERS,
						   MR_STEP_QUARANTINE };
	struct fix f;
	struct mr_plan p;

	(void)state;
	build(&f, false);
	add_lock(&f.s, 0x1000, "hp_x_lock [hp_x]", "hp_x_irq+0x1/0x2 [hp_x]", 0,
		 false, MR_LOCK_CTX_HARDIRQ, false);
	/* A live owner's sleeping lock of hp_x, another module's dead one. */
	add_lock(&f.s, 0x2000, "hp_x_spin [hp_x]", "hp_x_thread+0x1/0x2 [hp_x]",
		 55, true, MR_LOCK_CTX_TASK, true);
	add_lock(&f.s, 0x3000, "hp_y_spin [hp_y]", "hp_y_thread+0x1/0x2 [hp_y]",
		 56, false, MR_LOCK_CTX_TASK, true);
	plan(&f, &p);
	assert_int_equal(p.kind, MR_PLAN_DELETE);
	assert_int_equal(p.n_locks, 0);
	assert_int_equal(p.n_steps, 2);
	mr_lock_snapshot_free(&f.s);

	build(&f, false);
	add_lock(&f.s, 0x2000, "hp_x_spin [hp_x]", "hp_x_thread+0x1/0x2 [hp_x]",
		 57, false, MR_LOCK_CTX_TASK, true);
	plan(&f, &p);
	assert_int_equal(p.kind, MR_PLAN_QUARANTINE_LIVE);
	assert_int_equal(p.n_locks, 0);
	assert_int_equal(p.stuck_pid, 0);
	steps_are(&p, quarantine, 3);
	assert_string_equal(
		p.what,
		"its exit would sleep for good on hp_x_spin [hp_x], taken at hp_x_thread+0x1/0x2 [hp_x], held by dead pid 57 (hp_x): a sleeping lock (PREEMPT_RT's spinlock_t, an rtmutex) that no exported function hands on from a dead owner");
	mr_lock_snapshot_sort(&f.s);
	mr_plan_unload_locks(&f.d, &f.m, &f.s, MR_UNLOAD_NO_QUARANTINE, &p);
	assert_int_equal(p.kind, MR_PLAN_REFUSE);
	assert_int_equal(p.n_steps, 0);
	assert_string_equal(
		p.what,
		"Module hp_x cannot be unloaded: its exit would sleep for good on hp_x_spin [hp_x], taken at hp_x_thread+0x1/0x2 [hp_x], held by dead pid 57 (hp_x): a sleeping lock (PREEMPT_RT's spinlock_t, an rtmutex) that no exported function hands on from a dead owner; not quarantined (--no-quarantine)");
	mr_lock_snapshot_free(&f.s);
}

/* A refusal (a holder module) releases nothing. */
static void refusal_releases_nothing(void **state)
{
	char *holders[] = { "hp_y" };
	struct fix f;
	struct mr_plan p;

	(void)state;
	build(&f, false);
	f.m.holders = holders;
	f.m.n_holders = 1;
	add_lock(&f.s, 0x1000, "hp_x_lock [hp_x]",
		 "hp_x_thread+0x4a/0x90 [hp_x]", 0, false, MR_LOCK_CTX_TASK,
		 false);
	plan(&f, &p);
	assert_int_equal(p.kind, MR_PLAN_REFUSE);
	assert_int_equal(p.n_steps, 0);
	mr_lock_snapshot_free(&f.s);
}

static void pick_by_id_and_symbol(void **state)
{
	struct mr_lock_snapshot s;
	uint64_t id = 0;
	size_t n;

	(void)state;
	mr_lock_snapshot_init(&s, true, 0);
	add_lock(&s, 0xffffffffc0001000ULL, "hp_x_lock [hp_x]", "f+0x1/0x2", 0,
		 false, MR_LOCK_CTX_TASK, false);
	add_lock(&s, 0x2000, "hp_dev+0x40 [hp_y]", "g+0x1/0x2", 0, false,
		 MR_LOCK_CTX_TASK, false);
	add_lock(&s, 0x3000, "hp_dev+0x40 [hp_z]", "g+0x1/0x2", 0, false,
		 MR_LOCK_CTX_TASK, false);
	mr_lock_snapshot_sort(&s);

	assert_int_equal(mr_lock_pick(&s, "0xffffffffc0001000", &id, &n), 0);
	assert_int_equal(id, 0xffffffffc0001000ULL);
	/* An id is the helper's to check, even one not in the snapshot. */
	assert_int_equal(mr_lock_pick(NULL, "0x1234", &id, &n), 0);
	assert_int_equal(id, 0x1234);
	assert_int_equal(mr_lock_pick(&s, "hp_x_lock", &id, &n), 0);
	assert_int_equal(id, 0xffffffffc0001000ULL);
	assert_int_equal(mr_lock_pick(&s, "hp_x_lock [hp_x]", &id, &n), 0);
	assert_int_equal(mr_lock_pick(&s, "hp_dev+0x40 [hp_z]", &id, &n), 0);
	assert_int_equal(id, 0x3000);
	assert_int_equal(mr_lock_pick(&s, "hp_dev+0x40", &id, &n), -EEXIST);
	assert_int_equal(n, 2);
	assert_int_equal(mr_lock_pick(&s, "hp_x", &id, &n), -ENOENT);
	assert_int_equal(mr_lock_pick(&s, "hp_x_loc", &id, &n), -ENOENT);
	assert_int_equal(mr_lock_pick(&s, "0xzz", &id, &n), -ENOENT);
	assert_int_equal(mr_lock_pick(&s, "", &id, &n), -EINVAL);
	mr_lock_snapshot_free(&s);
}

static void module_suffix(void **state)
{
	struct mr_held_lock l;

	(void)state;
	memset(&l, 0, sizeof(l));
	l.symbol = "hp_x_lock [hp_x]";
	l.acquired_at = "f+0x1/0x2";
	assert_true(mr_lock_of_module(&l, "hp_x"));
	assert_false(mr_lock_of_module(&l, "hp"));
	assert_false(mr_lock_of_module(&l, "x"));
	l.symbol = "hp_x_lock [hp_xy]";
	assert_false(mr_lock_of_module(&l, "hp_x"));
	l.symbol = NULL;
	l.acquired_at = "hp_x_thread+0x4a/0x90 [hp_x]";
	assert_true(mr_lock_of_module(&l, "hp_x"));
}

static void release_words(void **state)
{
	struct modrescue_lock_release o;
	char buf[512];

	(void)state;
	memset(&o, 0, sizeof(o));
	snprintf(o.owner.symbol, sizeof(o.owner.symbol), "hp_x_lock [hp_x]");
	snprintf(o.owner.site, sizeof(o.owner.site),
		 "hp_x_thread+0x4a/0x90 [hp_x]");
	o.dead_pid = 99;
	mr_lock_release_text(&o, "hp_x", buf, sizeof(buf));
	assert_string_equal(
		buf,
		"hp_x_lock [hp_x] held by dead pid 99 (hp_x), taken at hp_x_thread+0x4a/0x90 [hp_x]");
	mr_lock_release_text(&o, NULL, buf, sizeof(buf));
	assert_string_equal(
		buf,
		"hp_x_lock [hp_x] held by dead pid 99, taken at hp_x_thread+0x4a/0x90 [hp_x]");
	/* A live owner is named by its task. */
	o.reason = MODRESCUE_RELEASE_ALIVE;
	o.owner.pid = 57;
	snprintf(o.owner.comm, sizeof(o.owner.comm), "hp_lockhold");
	mr_lock_release_text(&o, NULL, buf, sizeof(buf));
	assert_string_equal(
		buf,
		"hp_x_lock [hp_x] held by live pid 57 (hp_lockhold), taken at hp_x_thread+0x4a/0x90 [hp_x]");
	/* An interrupt context's lock is that context's. */
	o.reason = MODRESCUE_RELEASE_CONTEXT;
	o.owner.context = MODRESCUE_LOCK_CTX_HARDIRQ;
	mr_lock_release_text(&o, NULL, buf, sizeof(buf));
	assert_string_equal(
		buf,
		"hp_x_lock [hp_x] held by its hardirq context, taken at hp_x_thread+0x4a/0x90 [hp_x]");
	/* Uncertain, no owner named: never called dead. */
	memset(&o.owner, 0, sizeof(o.owner));
	o.dead_pid = 0;
	o.lock = 0x1234;
	o.reason = MODRESCUE_RELEASE_UNCERTAIN;
	mr_lock_release_text(&o, NULL, buf, sizeof(buf));
	assert_string_equal(buf,
			    "lock 0x1234, whose holder lockwatch cannot name");
	o.owner.pid = 57;
	o.reason = MODRESCUE_RELEASE_ALIVE;
	/* Fields filled to the brim are never read past. */
	memset(o.owner.symbol, 'a', sizeof(o.owner.symbol));
	memset(o.owner.comm, 'c', sizeof(o.owner.comm));
	mr_lock_release_text(&o, NULL, buf, sizeof(buf));
	assert_non_null(
		strstr(buf, " held by live pid 57 (cccccccccccccccc),"));
	assert_string_equal(
		mr_lock_release_reason_name(MODRESCUE_RELEASE_ALIVE), "alive");
	assert_non_null(
		strstr(mr_lock_release_reason_text(MODRESCUE_RELEASE_SLEEPING),
		       "PREEMPT_RT"));
	assert_string_equal(mr_lock_release_reason_name(999), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(idle_module_releases_its_lock_first),
		cmocka_unit_test(lock_taken_in_module_code),
		cmocka_unit_test(spinning_rmmod_on_dead_lock),
		cmocka_unit_test(unchanged_without_a_dead_owner),
		cmocka_unit_test(contexts_and_sleeping_locks_left_alone),
		cmocka_unit_test(refusal_releases_nothing),
		cmocka_unit_test(pick_by_id_and_symbol),
		cmocka_unit_test(module_suffix),
		cmocka_unit_test(release_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
