// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for kernel/locks/containrule.c, containment's decisions, built as in
 * the kernel: the dying or panicking task's own locks are picked (its CPU,
 * task context, its pid, and its task for a sleeping lock), newest first,
 * with the preempt count and RCU depth they account for; an interrupt's
 * locks on that CPU are counted, never picked. A panic is contained only
 * from process context, from a module, on the task's stack, under the
 * limit, and when its locks account for its preempt count and RCU depth
 * exactly; every other case falls through, and says why.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "containrule.h"

#define T0 1000000000ULL
#define MS 1000000ULL
#define PID 321
#define TASK 0xffff888012340000UL

/* The kernel's constants on x86 (PREEMPT_LOCK_OFFSET, SOFTIRQ_LOCK_OFFSET). */
static const struct mr_ct_costs costs = {
	.preempt = { 1, 1, 1, 0x201 },
	.preempt_rt = 0,
	.rcu_rt = 1,
};

static const struct mr_ct_who who = { .cpu = 1,
				      .pid = PID,
				      .task = TASK,
				      .start_ns = T0 - 100 * MS };

static struct mr_lt_rec rec(unsigned long lock, unsigned int cpu,
			    unsigned int ctx, int pid, u64 since,
			    unsigned int how)
{
	struct mr_lt_rec r = { .lock = lock,
			       .cpu = cpu,
			       .ctx = ctx,
			       .pid = pid,
			       .since_ns = since,
			       .order = since, /* the tests' clock is exact */
			       .how = how,
			       .kind = MR_LT_RAW };
	return r;
}

/*
 * A coarse clock gives equal times: the table's sequence number says
 * which was taken last, so the inner lock is released before the outer
 * irqsave one restores interrupts.
 */
static void test_pick_equal_times_by_order(void **state)
{
	struct mr_lt_rec held[] = {
		rec(0x100, 1, MR_LT_TASK, PID, T0, MR_LT_HOW_IRQSAVE),
		rec(0x200, 1, MR_LT_TASK, PID, T0, MR_LT_HOW_PLAIN),
		rec(0x300, 1, MR_LT_TASK, PID, T0, MR_LT_HOW_PLAIN),
	};
	struct mr_ct_pick p;

	(void)state;
	held[0].order = 10; /* outer, taken first */
	held[1].order = 12; /* innermost */
	held[2].order = 11;
	mr_ct_pick(held, 3, &who, &costs, &p);
	assert_int_equal(p.n, 3);
	assert_int_equal(p.idx[0], 1);
	assert_int_equal(p.idx[1], 2);
	assert_int_equal(p.idx[2], 0);
}

/* The task's own, newest first, whatever the snapshot's order. */
static void test_pick_own_newest_first(void **state)
{
	struct mr_lt_rec held[] = {
		rec(0x100, 1, MR_LT_TASK, PID, T0 + 1 * MS, MR_LT_HOW_IRQSAVE),
		rec(0x300, 1, MR_LT_TASK, PID, T0 + 3 * MS, MR_LT_HOW_PLAIN),
		rec(0x200, 1, MR_LT_TASK, PID, T0 + 2 * MS, MR_LT_HOW_BH),
	};
	struct mr_ct_pick p;

	(void)state;
	mr_ct_pick(held, 3, &who, &costs, &p);
	assert_int_equal(p.n, 3);
	assert_int_equal(held[p.idx[0]].lock, 0x300);
	assert_int_equal(held[p.idx[1]].lock, 0x200);
	assert_int_equal(held[p.idx[2]].lock, 0x100);
	assert_int_equal(p.preempt, 1 + 0x201 + 1);
	assert_int_equal(p.rcu, 0);
	assert_int_equal(p.ctx_held, 0);
}

/* Other CPUs, other tasks: not picked; this CPU's interrupts: counted. */
static void test_pick_leaves_others(void **state)
{
	struct mr_lt_rec held[] = {
		rec(0x100, 0, MR_LT_TASK, PID, T0, MR_LT_HOW_PLAIN),
		rec(0x200, 1, MR_LT_TASK, PID + 1, T0, MR_LT_HOW_PLAIN),
		rec(0x300, 1, MR_LT_HARDIRQ, PID, T0, MR_LT_HOW_PLAIN),
		rec(0x400, 1, MR_LT_SOFTIRQ, 7, T0, MR_LT_HOW_PLAIN),
		rec(0x500, 0, MR_LT_HARDIRQ, PID, T0, MR_LT_HOW_PLAIN),
		rec(0x600, 1, MR_LT_TASK, PID, T0, MR_LT_HOW_PLAIN),
	};
	struct mr_ct_pick p;

	(void)state;
	mr_ct_pick(held, 6, &who, &costs, &p);
	assert_int_equal(p.n, 1);
	assert_int_equal(held[p.idx[0]].lock, 0x600);
	assert_int_equal(p.ctx_held, 2);
	assert_int_equal(p.preempt, 1);
}

/* A dead task's entry under a reused pid: taken before this one started. */
static void test_pick_not_before_start(void **state)
{
	struct mr_lt_rec held[] = {
		rec(0x100, 1, MR_LT_TASK, PID, T0 - 500 * MS, MR_LT_HOW_PLAIN),
		rec(0x200, 1, MR_LT_TASK, PID, T0, MR_LT_HOW_PLAIN),
	};
	struct mr_ct_pick p;

	(void)state;
	mr_ct_pick(held, 2, &who, &costs, &p);
	assert_int_equal(p.n, 1);
	assert_int_equal(held[p.idx[0]].lock, 0x200);
}

/* A sleeping lock is the task's only if its recorded task is. */
static void test_pick_rt_by_task(void **state)
{
	struct mr_lt_rec held[] = {
		rec(0x100, 1, MR_LT_TASK, PID, T0, MR_LT_HOW_PLAIN),
		rec(0x200, 1, MR_LT_TASK, PID, T0 + MS, MR_LT_HOW_BH),
	};
	struct mr_ct_pick p;

	(void)state;
	held[0].kind = MR_LT_RT;
	held[0].task = TASK;
	held[1].kind = MR_LT_RT;
	held[1].task = TASK + 0x1000; /* same pid, another task */
	mr_ct_pick(held, 2, &who, &costs, &p);
	assert_int_equal(p.n, 1);
	assert_int_equal(held[p.idx[0]].lock, 0x100);
	assert_int_equal(p.preempt, 0);
	assert_int_equal(p.rcu, 1);
}

/* No more than a table's slots, whatever the snapshot holds. */
static void test_pick_bounded(void **state)
{
	static struct mr_lt_rec held[MR_LT_SLOTS + 5];
	struct mr_ct_pick p;
	unsigned int i;

	(void)state;
	for (i = 0; i < MR_LT_SLOTS + 5; i++)
		held[i] = rec(0x1000 + i, 1, MR_LT_TASK, PID, T0 + i * MS,
			      MR_LT_HOW_PLAIN);
	mr_ct_pick(held, MR_LT_SLOTS + 5, &who, &costs, &p);
	assert_int_equal(p.n, MR_LT_SLOTS);
	for (i = 1; i < p.n; i++)
		assert_true(held[p.idx[i - 1]].since_ns >=
			    held[p.idx[i]].since_ns);
}

/* A kthread that panics holding one spin_lock_irqsave, from a module. */
static struct mr_ct_facts good(const struct mr_ct_pick *p)
{
	struct mr_ct_facts f = {
		.armed = true,
		.module_caller = true,
		.named_caller = true,
		.on_task_stack = true,
		.contained = 0,
		.limit = 3,
		.preempt = 1,
		.rcu = 0,
		.pick = p,
	};
	return f;
}

static void test_verdict_contains(void **state)
{
	struct mr_ct_pick p = { .n = 1, .preempt = 1 };
	struct mr_ct_facts f = good(&p);

	(void)state;
	assert_int_equal(mr_ct_panic_precheck(&f), MR_CT_CONTAIN);
	assert_int_equal(mr_ct_panic_verdict(&f), MR_CT_CONTAIN);
	assert_string_equal(mr_ct_why_text(MR_CT_CONTAIN), "contained");
}

/* Every context and condition that must fall through to the real panic. */
static void test_verdict_falls_through(void **state)
{
	struct mr_ct_pick p = { .n = 1, .preempt = 1 };
	struct mr_ct_facts f;

	(void)state;
#define CHECK(field, value, why)                                   \
	do {                                                       \
		f = good(&p);                                      \
		f.field = value;                                   \
		assert_int_equal(mr_ct_panic_verdict(&f), why);    \
		assert_string_not_equal(mr_ct_why_text(why), "?"); \
	} while (0)
	CHECK(armed, false, MR_CT_NOT_ARMED);
	CHECK(nmi, true, MR_CT_NMI);
	CHECK(hardirq, true, MR_CT_HARDIRQ);
	CHECK(softirq, true, MR_CT_SOFTIRQ);
	CHECK(idle, true, MR_CT_IDLE);
	CHECK(init, true, MR_CT_INIT);
	CHECK(exiting, true, MR_CT_EXITING);
	CHECK(oops, true, MR_CT_OOPS);
	CHECK(contained, 3, MR_CT_LIMIT);
	CHECK(module_caller, false, MR_CT_NOT_MODULE);
	CHECK(named_caller, false, MR_CT_NOT_NAMED);
	CHECK(on_task_stack, false, MR_CT_STACK);
	/* The core's sleeping locks a parked task would keep for good. */
	CHECK(journal, true, MR_CT_JOURNAL);
	CHECK(mmap_write, true, MR_CT_MMAP_LOCK);
	CHECK(rtnl, true, MR_CT_RTNL);
	/* Where locks it cannot see are likely held: init (probe), workers. */
	CHECK(module_init, true, MR_CT_MODULE_INIT);
	CHECK(wq_worker, true, MR_CT_WORKER);
	/* A core spinlock under the panic: never released, so not parked. */
	CHECK(core_spinlocks, 1, MR_CT_CORE_SPINLOCK);
	CHECK(busy, true, MR_CT_BUSY);
	CHECK(pick, NULL, MR_CT_BUSY);
	/* An untracked spinlock or preempt_disable() on top of the lock. */
	CHECK(preempt, 2, MR_CT_ATOMIC);
	/* Fewer than the locks account for: the record is off. */
	CHECK(preempt, 0, MR_CT_ATOMIC);
	CHECK(rcu, 1, MR_CT_RCU);
#undef CHECK
	/* The precheck stops before the locks are looked at. */
	f = good(NULL);
	assert_int_equal(mr_ct_panic_precheck(&f), MR_CT_CONTAIN);
	f.hardirq = true;
	assert_int_equal(mr_ct_panic_precheck(&f), MR_CT_HARDIRQ);
	assert_string_equal(mr_ct_why_text(MR_CT_NR_WHY), "?");
}

/* A hardirq panic that is also over the limit says hardirq: order. */
static void test_verdict_order(void **state)
{
	struct mr_ct_pick p = { .n = 1, .preempt = 1 };
	struct mr_ct_facts f = good(&p);

	(void)state;
	f.hardirq = true;
	f.contained = 9;
	f.module_caller = false;
	assert_int_equal(mr_ct_panic_verdict(&f), MR_CT_HARDIRQ);
	/* vmlinux's panic is never a named module's. */
	f = good(&p);
	f.module_caller = false;
	f.named_caller = false;
	f.journal = true;
	assert_int_equal(mr_ct_panic_verdict(&f), MR_CT_NOT_MODULE);
	/* Another module's panic is not parked, whatever it holds. */
	f = good(&p);
	f.named_caller = false;
	f.rtnl = true;
	assert_int_equal(mr_ct_panic_verdict(&f), MR_CT_NOT_NAMED);
	/* A named module's panic under a journal handle: the handle says. */
	f = good(&p);
	f.journal = true;
	f.mmap_write = true;
	assert_int_equal(mr_ct_panic_verdict(&f), MR_CT_JOURNAL);
	assert_string_equal(
		mr_ct_why_text(MR_CT_JOURNAL),
		"the task holds a filesystem journal handle (journal_info)");
	assert_string_equal(mr_ct_why_text(MR_CT_RTNL),
			    "the task holds rtnl_mutex");
}

/* Module names are matched whole: hp_panic is not hp_panic_b. */
static void test_name_listed(void **state)
{
	static const char list[][MR_CT_NAME_LEN] = { "hp_panic", "ext4" };
	const char *names = list[0];

	(void)state;
	assert_true(mr_ct_name_listed("hp_panic", names, 2));
	assert_true(mr_ct_name_listed("ext4", names, 2));
	assert_false(mr_ct_name_listed("hp_panic_b", names, 2));
	assert_false(mr_ct_name_listed("hp_pani", names, 2));
	assert_false(mr_ct_name_listed("ext4", names, 1));
	assert_false(mr_ct_name_listed("", names, 2));
	assert_false(mr_ct_name_listed(NULL, names, 2));
	assert_false(mr_ct_name_listed("hp_panic", names, 0));
}

/* A mutex's owner word (flags 0x07), an rwsem's (reader bit 1, flags 0x03). */
static void test_owner_is(void **state)
{
	(void)state;
	assert_true(mr_ct_owner_is(TASK, 0x07, 0, TASK));
	assert_true(mr_ct_owner_is(TASK | 0x05, 0x07, 0, TASK));
	assert_false(mr_ct_owner_is(TASK + 0x40, 0x07, 0, TASK));
	assert_false(mr_ct_owner_is(0, 0x07, 0, TASK));
	assert_false(mr_ct_owner_is(0, 0x07, 0, 0));
	/* An rwsem owned for writing by TASK, with the non-spinnable bit. */
	assert_true(mr_ct_owner_is(TASK | 0x2, 0x3, 0x1, TASK));
	/* Read-owned: the word keeps the last reader; never an owner. */
	assert_false(mr_ct_owner_is(TASK | 0x1, 0x3, 0x1, TASK));
	/* An rtmutex's owner with its has-waiters bit. */
	assert_true(mr_ct_owner_is(TASK | 0x1, 0x1, 0, TASK));
}

/* A task with no tracked lock, preemptible: contained; with a BH lock
 * on PREEMPT_RT's side (rcu) it must match too. */
static void test_verdict_no_locks_and_rt(void **state)
{
	struct mr_ct_pick none = { 0 };
	struct mr_ct_pick rt = { .n = 2, .rcu = 2 };
	struct mr_ct_facts f = good(&none);

	(void)state;
	f.preempt = 0;
	assert_int_equal(mr_ct_panic_verdict(&f), MR_CT_CONTAIN);
	f = good(&rt);
	f.preempt = 0;
	f.rcu = 2;
	assert_int_equal(mr_ct_panic_verdict(&f), MR_CT_CONTAIN);
	f.rcu = 3; /* an rcu_read_lock() of its own */
	assert_int_equal(mr_ct_panic_verdict(&f), MR_CT_RCU);
}

/* An oops releases a module's own locks only, the faulting module's first. */
static void test_oops_releases(void **state)
{
	const unsigned long a = 0xffffffffc0001000UL, b = 0xffffffffc0002000UL;
	/* hp's static lock, taken by hp's code. */
	struct mr_ct_lock_whose own = { .lock_mod = a, .site_mod = a };
	/* A heap wait queue's lock taken by __wake_up() for hp. */
	struct mr_ct_lock_whose core = { 0 };
	/* A heap lock hp's code took; a lock in hp taken by the kernel. */
	struct mr_ct_lock_whose heap_by_a = { .site_mod = a };
	struct mr_ct_lock_whose a_by_core = { .lock_mod = a };
	/* Another module's lock, taken by its own code. */
	struct mr_ct_lock_whose other = { .lock_mod = b, .site_mod = b };
	/* A lock in the kernel's static data, taken inline by hp's code. */
	struct mr_ct_lock_whose core_by_a = { .site_mod = a,
					      .core_static = true };

	(void)state;
	assert_true(mr_ct_oops_releases(&own, a));
	assert_false(mr_ct_oops_releases(&core, a));
	assert_true(mr_ct_oops_releases(&heap_by_a, a));
	assert_true(mr_ct_oops_releases(&a_by_core, a));
	assert_false(mr_ct_oops_releases(&other, a));
	/* The oops faulted in the kernel: any module's, never the core's. */
	assert_true(mr_ct_oops_releases(&own, 0));
	assert_true(mr_ct_oops_releases(&other, 0));
	assert_true(mr_ct_oops_releases(&heap_by_a, 0));
	assert_false(mr_ct_oops_releases(&core, 0));
	/* The kernel's static data is the kernel's, whoever took the lock. */
	assert_false(mr_ct_oops_releases(&core_by_a, a));
	assert_false(mr_ct_oops_releases(&core_by_a, 0));
}

/*
 * One containment at a time, and a die notifier's reservation kept for its
 * own task's make_task_dead() hook; an oops of the owner while it works on
 * the buffer (an oops inside a release) is a nested one, to be reset.
 */
static void test_owner_step(void **state)
{
	const unsigned long other = TASK + 0x4000;

	(void)state;
	assert_int_equal(mr_ct_owner_step(0, TASK, false), MR_CT_OWN_FREE);
	assert_int_equal(mr_ct_owner_step(0, TASK, true), MR_CT_OWN_FREE);
	assert_int_equal(mr_ct_owner_step(TASK, TASK, false),
			 MR_CT_OWN_RESERVED);
	assert_int_equal(mr_ct_owner_step(TASK, TASK, true), MR_CT_OWN_NESTED);
	assert_int_equal(mr_ct_owner_step(other, TASK, false), MR_CT_OWN_OTHER);
	assert_int_equal(mr_ct_owner_step(other, TASK, true), MR_CT_OWN_OTHER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pick_own_newest_first),
		cmocka_unit_test(test_pick_equal_times_by_order),
		cmocka_unit_test(test_pick_leaves_others),
		cmocka_unit_test(test_pick_not_before_start),
		cmocka_unit_test(test_pick_rt_by_task),
		cmocka_unit_test(test_pick_bounded),
		cmocka_unit_test(test_verdict_contains),
		cmocka_unit_test(test_verdict_falls_through),
		cmocka_unit_test(test_verdict_order),
		cmocka_unit_test(test_verdict_no_locks_and_rt),
		cmocka_unit_test(test_name_listed),
		cmocka_unit_test(test_owner_is),
		cmocka_unit_test(test_oops_releases),
		cmocka_unit_test(test_owner_step),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
