// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for kernel/locks/lockplace.c, where a dead owner's lock may be
 * released, built as in the kernel: vmlinux's .data, .bss and each CPU's
 * copy of its per-CPU data; a module's writable data or per-CPU copy that
 * no load has reached since the lock was taken (within the clock slack),
 * no evicted event newer than it, and the module's own arrival recorded;
 * everything else (heap, a module's text) refused as HEAP, or as
 * UNVALIDATED when the static areas or the module list are unknown.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <uapi/modrescue.h>

#include "lockplace.h"

#define MS 1000000ULL
#define T0 (100000 * MS)
#define SLACK MS

/* A made-up x86-64 layout. */
#define DATA 0xffffffff82000000UL
#define BSS 0xffffffff83000000UL
#define HEAP 0xffff888012345600UL
#define MOD 0xffffffffc0001000UL /* struct module */
#define MODTEXT 0xffffffffc0100000UL
#define MODDATA 0xffffffffc0200000UL
#define MODPCPU 0x30000UL /* its per-CPU offset */

static const struct mr_lp_static st = {
	.data_start = DATA,
	.data_end = DATA + 0x100000,
	.bss_start = BSS,
	.bss_end = BSS + 0x200000,
	.percpu_start = 0,
	.percpu_end = 0x20000,
};

static const unsigned long offsets[] = { 0xffff88807d000000UL,
					 0xffff88807d200000UL };

static struct mr_lp_ring ring;

static struct mr_lp_facts facts(unsigned long addr)
{
	struct mr_lp_facts f = {
		.lock_at = addr,
		.len = 4,
		.taken_ns = T0,
		.slack_ns = SLACK,
		.st = &st,
		.cpu_offsets = offsets,
		.n_cpus = 2,
		.modules_known = true,
	};
	return f;
}

/* f found in the module's memory (MODTEXT, MODDATA, per-CPU MODPCPU). */
static void in_module(struct mr_lp_facts *f, bool coming)
{
	f->mod.id = MOD;
	f->mod.coming = coming;
	f->mod.data_start = MODDATA;
	f->mod.data_end = MODDATA + 0x1000;
	f->mod.percpu_start = MODPCPU;
	f->mod.percpu_end = MODPCPU + 0x100;
}

static int setup(void **state)
{
	(void)state;
	mr_lp_ring_init(&ring);
	return 0;
}

static void test_static_areas(void **state)
{
	struct mr_lp_facts f = facts(DATA + 0x40);

	(void)state;
	assert_int_equal(mr_lp_judge(&f, &ring), MODRESCUE_RELEASE_OK);
	f = facts(BSS + 0x1ffffc);
	assert_int_equal(mr_lp_judge(&f, &ring), MODRESCUE_RELEASE_OK);
	/* CPU 1's copy of a static per-CPU variable at offset 0x1000. */
	f = facts(offsets[1] + 0x1000);
	assert_int_equal(mr_lp_judge(&f, &ring), MODRESCUE_RELEASE_OK);
	/* Across the end of .data, or past .bss: not inside. */
	f = facts(DATA + 0xffffe);
	assert_int_equal(mr_lp_judge(&f, &ring), MODRESCUE_RELEASE_HEAP);
	f = facts(BSS + 0x200000);
	assert_int_equal(mr_lp_judge(&f, &ring), MODRESCUE_RELEASE_HEAP);
	/* Past the static per-CPU area: the dynamic one, heap-like. */
	f = facts(offsets[0] + 0x20000);
	assert_int_equal(mr_lp_judge(&f, &ring), MODRESCUE_RELEASE_HEAP);
}

static void test_heap_refused(void **state)
{
	struct mr_lp_facts f = facts(HEAP);

	(void)state;
	assert_int_equal(mr_lp_judge(&f, &ring), MODRESCUE_RELEASE_HEAP);
	/* A module's text (or rodata, init): not a lock's memory. */
	in_module(&f, false);
	f.lock_at = MODTEXT;
	assert_int_equal(mr_lp_judge(&f, &ring), MODRESCUE_RELEASE_HEAP);
}

static void test_unvalidated(void **state)
{
	const struct mr_lp_static none = { 0 };
	struct mr_lp_facts f = facts(HEAP);

	(void)state;
	f.st = &none;
	assert_int_equal(mr_lp_judge(&f, &ring), MODRESCUE_RELEASE_UNVALIDATED);
	f.st = NULL;
	assert_int_equal(mr_lp_judge(&f, &ring), MODRESCUE_RELEASE_UNVALIDATED);
	f = facts(HEAP);
	f.modules_known = false;
	assert_int_equal(mr_lp_judge(&f, &ring), MODRESCUE_RELEASE_UNVALIDATED);
	/* A module found still decides without the static areas. */
	f = facts(MODDATA + 8);
	f.st = &none;
	in_module(&f, false);
	assert_int_equal(mr_lp_judge(&f, &ring), MODRESCUE_RELEASE_OK);
}

static void test_bad_range(void **state)
{
	struct mr_lp_facts f = facts(DATA);

	(void)state;
	f.len = 0;
	assert_int_equal(mr_lp_judge(&f, &ring), MODRESCUE_RELEASE_BAD_PLACE);
	f = facts(~0UL - 1);
	assert_int_equal(mr_lp_judge(&f, &ring), MODRESCUE_RELEASE_BAD_PLACE);
}

static void test_module_data(void **state)
{
	struct mr_lp_facts f = facts(MODDATA + 0x10);

	(void)state;
	in_module(&f, false);
	/* Loaded before helper load: no event. */
	assert_int_equal(mr_lp_judge(&f, &ring), MODRESCUE_RELEASE_OK);
	/* Its own arrival, long before the lock was taken. */
	mr_lp_record(&ring, T0 - 10 * MS, MOD, MR_LP_DIRECT, MODDATA,
		     MODDATA + 0x1000);
	assert_int_equal(mr_lp_judge(&f, &ring), MODRESCUE_RELEASE_OK);
	/* Its data ends before the lock's last byte: not inside. */
	f.lock_at = MODDATA + 0xffe;
	assert_int_equal(mr_lp_judge(&f, &ring), MODRESCUE_RELEASE_HEAP);
}

/* The measured bug's module form: the memory changed owners. */
static void test_module_reloaded(void **state)
{
	struct mr_lp_facts f = facts(MODDATA + 0x10);

	(void)state;
	in_module(&f, false);
	mr_lp_record(&ring, T0 - 10 * MS, MOD - 0x1000, MR_LP_DIRECT, MODDATA,
		     MODDATA + 0x1000);
	/* Another module came over the lock after it was taken. */
	mr_lp_record(&ring, T0 + 5 * MS, MOD, MR_LP_DIRECT, MODDATA - 0x800,
		     MODDATA + 0x14);
	assert_int_equal(mr_lp_judge(&f, &ring), MODRESCUE_RELEASE_HEAP);
	/* An event that ends right before the lock does not cover it. */
	mr_lp_ring_init(&ring);
	mr_lp_record(&ring, T0 + 5 * MS, MOD + 0x1000, MR_LP_DIRECT,
		     MODDATA - 0x800, MODDATA + 0x10);
	assert_int_equal(mr_lp_judge(&f, &ring), MODRESCUE_RELEASE_OK);
	/* Within the clock slack before the acquisition: not sure. */
	mr_lp_ring_init(&ring);
	mr_lp_record(&ring, T0 - SLACK / 2, MOD, MR_LP_DIRECT, MODDATA,
		     MODDATA + 0x1000);
	assert_int_equal(mr_lp_judge(&f, &ring), MODRESCUE_RELEASE_HEAP);
	/* A per-CPU event at the same numbers is another space. */
	mr_lp_ring_init(&ring);
	mr_lp_record(&ring, T0 + 5 * MS, MOD, MR_LP_PERCPU, MODDATA,
		     MODDATA + 0x1000);
	assert_int_equal(mr_lp_judge(&f, &ring), MODRESCUE_RELEASE_OK);
}

static void test_module_coming(void **state)
{
	struct mr_lp_facts f = facts(MODDATA + 0x10);

	(void)state;
	/* COMING, its notifier not yet run: its memory's past is unknown. */
	in_module(&f, true);
	assert_int_equal(mr_lp_judge(&f, &ring), MODRESCUE_RELEASE_HEAP);
	/* Another module's old event there does not stand for it. */
	mr_lp_record(&ring, T0 - 10 * MS, MOD + 0x1000, MR_LP_DIRECT, MODDATA,
		     MODDATA + 0x1000);
	assert_int_equal(mr_lp_judge(&f, &ring), MODRESCUE_RELEASE_HEAP);
	mr_lp_record(&ring, T0 - 5 * MS, MOD, MR_LP_DIRECT, MODDATA,
		     MODDATA + 0x1000);
	assert_int_equal(mr_lp_judge(&f, &ring), MODRESCUE_RELEASE_OK);
	/*
	 * Reloaded with its struct module at the same address: the old
	 * load's COMING, then its GOING, both before the lock was taken; the
	 * new one's COMING not recorded yet. Not its own event: moved.
	 */
	mr_lp_ring_init(&ring);
	mr_lp_record(&ring, T0 - 10 * MS, MOD, MR_LP_DIRECT, MODDATA,
		     MODDATA + 0x1000);
	mr_lp_record_going(&ring, T0 - 5 * MS, MR_LP_DIRECT, MODDATA,
			   MODDATA + 0x1000);
	assert_int_equal(mr_lp_judge(&f, &ring), MODRESCUE_RELEASE_HEAP);
	/* Its new COMING recorded after the GOING: its own again. */
	mr_lp_record(&ring, T0 - 3 * MS, MOD, MR_LP_DIRECT, MODDATA,
		     MODDATA + 0x1000);
	assert_int_equal(mr_lp_judge(&f, &ring), MODRESCUE_RELEASE_OK);
	/* LIVE, but a GOING over it after its last COMING: refused. */
	in_module(&f, false);
	mr_lp_record_going(&ring, T0 - 2 * MS, MR_LP_DIRECT, MODDATA,
			   MODDATA + 0x1000);
	assert_int_equal(mr_lp_judge(&f, &ring), MODRESCUE_RELEASE_HEAP);
}

static void test_module_percpu(void **state)
{
	/* CPU 0's copy of the module's per-CPU variable. */
	struct mr_lp_facts f = facts(offsets[0] + MODPCPU + 0x20);

	(void)state;
	in_module(&f, false);
	mr_lp_record(&ring, T0 - 10 * MS, MOD, MR_LP_PERCPU, MODPCPU,
		     MODPCPU + 0x100);
	assert_int_equal(mr_lp_judge(&f, &ring), MODRESCUE_RELEASE_OK);
	mr_lp_record(&ring, T0 + 10 * MS, MOD + 0x1000, MR_LP_PERCPU, MODPCPU,
		     MODPCPU + 0x100);
	assert_int_equal(mr_lp_judge(&f, &ring), MODRESCUE_RELEASE_HEAP);
	/* Past the module's per-CPU data: not its. */
	mr_lp_ring_init(&ring);
	f.lock_at = offsets[1] + MODPCPU + 0x100;
	assert_int_equal(mr_lp_judge(&f, &ring), MODRESCUE_RELEASE_HEAP);
}

static void test_eviction_barrier(void **state)
{
	struct mr_lp_facts f = facts(MODDATA + 0x10);
	unsigned int i;

	(void)state;
	in_module(&f, false);
	/* Events elsewhere, the first one after the lock was taken. */
	for (i = 0; i < MR_LP_EVENTS; i++)
		mr_lp_record(&ring, T0 + (i + 1) * MS, MOD + 0x1000 * (i + 2),
			     MR_LP_DIRECT, HEAP, HEAP + 0x1000);
	assert_int_equal(mr_lp_judge(&f, &ring), MODRESCUE_RELEASE_OK);
	assert_int_equal(ring.evicted_ns, 0);
	/* One more evicts it: it may have been about the lock's memory. */
	mr_lp_record(&ring, T0 + 100 * MS, MOD + 0x100000, MR_LP_DIRECT, HEAP,
		     HEAP + 0x1000);
	assert_int_equal(ring.evicted_ns, T0 + MS);
	assert_int_equal(mr_lp_judge(&f, &ring), MODRESCUE_RELEASE_HEAP);
	/* A lock taken after the evicted event is still judged. */
	f.taken_ns = T0 + 3 * MS;
	assert_int_equal(mr_lp_judge(&f, &ring), MODRESCUE_RELEASE_OK);
	/* Static data needs no ring. */
	f = facts(DATA);
	assert_int_equal(mr_lp_judge(&f, &ring), MODRESCUE_RELEASE_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_static_areas, setup),
		cmocka_unit_test_setup(test_heap_refused, setup),
		cmocka_unit_test_setup(test_unvalidated, setup),
		cmocka_unit_test_setup(test_bad_range, setup),
		cmocka_unit_test_setup(test_module_data, setup),
		cmocka_unit_test_setup(test_module_reloaded, setup),
		cmocka_unit_test_setup(test_module_coming, setup),
		cmocka_unit_test_setup(test_module_percpu, setup),
		cmocka_unit_test_setup(test_eviction_barrier, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
