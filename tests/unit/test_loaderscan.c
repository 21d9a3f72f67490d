// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for kernel/rescue/loaderscan.c, the helper's repair of a bucket of the
 * kernel's idempotent-load table, on synthetic memory: a bucket head, live
 * loaders' entries on "stacks" the test declares live, and stale entries
 * whose memory holds whatever a reused or freed stack holds. Live entries
 * survive in order with consistent links; stale ones, loops and garbage are
 * cut; nothing is written when nothing is stale or on a dry run; the scan
 * never writes to an entry it did not prove live; a bucket too long to
 * judge is left as found; a live loader's entry that is cut (the loader to
 * forget) is left unhashed; ia32 and x32 finit_module() callers are live.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "loaderscan.h"

#define WORD sizeof(unsigned long)

/* The synthetic kernel: one page of words at BASE; HEAD is word 0. */
#define BASE 0xffff888000100000UL
#define N_WORDS 1024
#define HEAD BASE
/* Entry i is two words (next, pprev) at word 8 + 4 * i. */
#define ENTRY(i) (BASE + (8 + 4 * (i)) * WORD)
/* An address no read succeeds at: a freed stack. */
#define UNMAPPED 0xffffc90000abc000UL

struct world {
	unsigned long mem[N_WORDS];
	bool live[N_WORDS]; /* by word index: entry there is live */
	bool forget[N_WORDS]; /* by word index: a live loader's, to cut */
	unsigned int writes;
	unsigned long written[16]; /* addresses written, in order */
};

static bool in_world(unsigned long addr)
{
	return addr >= BASE && addr < BASE + N_WORDS * WORD &&
	       !((addr - BASE) % WORD);
}

static unsigned long *word(struct world *w, unsigned long addr)
{
	return &w->mem[(addr - BASE) / WORD];
}

static int w_read(void *ctx, unsigned long addr, unsigned long *val)
{
	if (!in_world(addr))
		return -1;
	*val = *word(ctx, addr);
	return 0;
}

static void w_write(void *ctx, unsigned long addr, unsigned long val)
{
	struct world *w = ctx;

	assert_true(in_world(addr));
	if (w->writes < 16)
		w->written[w->writes] = addr;
	w->writes++;
	*word(w, addr) = val;
}

static enum mr_ls_owner w_owner(void *ctx, unsigned long node)
{
	struct world *w = ctx;

	if (!in_world(node))
		return MR_LS_DEAD;
	if (w->forget[(node - BASE) / WORD])
		return MR_LS_FORGET;
	return w->live[(node - BASE) / WORD] ? MR_LS_LIVE : MR_LS_DEAD;
}

static const struct mr_ls_ops ops = { w_read, w_write, w_owner };

/* Link entries (by index) after the head, as hlist_add_head() would. */
static void chain(struct world *w, const int *idx, size_t n)
{
	unsigned long slot = HEAD;
	size_t i;

	for (i = 0; i < n; i++) {
		*word(w, slot) = ENTRY(idx[i]);
		*word(w, ENTRY(idx[i]) + MR_LS_PPREV) = slot;
		slot = ENTRY(idx[i]) + MR_LS_NEXT;
	}
	*word(w, slot) = 0;
}

static void set_live(struct world *w, int i)
{
	w->live[(ENTRY(i) - BASE) / WORD] = true;
}

static void set_forget(struct world *w, int i)
{
	w->forget[(ENTRY(i) - BASE) / WORD] = true;
}

/* Was the word at addr written? */
static bool was_written(const struct world *w, unsigned long addr)
{
	unsigned int i;

	for (i = 0; i < w->writes && i < 16; i++)
		if (w->written[i] == addr)
			return true;
	return false;
}

/* The chain from the head holds exactly these entries, links consistent. */
static void assert_chain(struct world *w, const int *idx, size_t n)
{
	unsigned long slot = HEAD;
	size_t i;

	for (i = 0; i < n; i++) {
		assert_int_equal(*word(w, slot), ENTRY(idx[i]));
		assert_int_equal(*word(w, ENTRY(idx[i]) + MR_LS_PPREV), slot);
		slot = ENTRY(idx[i]) + MR_LS_NEXT;
	}
	assert_int_equal(*word(w, slot), 0);
}

static void repair(struct world *w, bool dry_run, struct mr_ls_result *res)
{
	static struct mr_ls_scratch scratch;

	mr_ls_repair_bucket(HEAD, &ops, w, dry_run, &scratch, res);
}

/* Repair for real and check the counts. */
static void repaired(struct world *w, unsigned int kept, unsigned int dropped)
{
	struct mr_ls_result res;

	repair(w, false, &res);
	assert_int_equal(res.kept, kept);
	assert_int_equal(res.dropped, dropped);
	assert_false(res.truncated);
}

static void test_empty_bucket(void **state)
{
	struct world w = { 0 };

	(void)state;
	repaired(&w, 0, 0);
	assert_int_equal(w.writes, 0);
}

static void test_all_live_untouched(void **state)
{
	struct world w = { 0 };
	const int idx[] = { 0, 1, 2 };

	(void)state;
	chain(&w, idx, 3);
	set_live(&w, 0);
	set_live(&w, 1);
	set_live(&w, 2);
	repaired(&w, 3, 0);
	assert_int_equal(w.writes, 0);
	assert_chain(&w, idx, 3);
}

/* The crashed loader's entry alone: the head is cleared, the entry not. */
static void test_lone_stale_entry(void **state)
{
	struct world w = { 0 };
	const int idx[] = { 0 };

	(void)state;
	chain(&w, idx, 1);
	repaired(&w, 0, 1);
	assert_chain(&w, NULL, 0);
	assert_int_equal(w.writes, 1);
	assert_int_equal(w.written[0], HEAD);
}

static void test_dry_run_writes_nothing(void **state)
{
	struct world w = { 0 };
	struct mr_ls_result res;
	const int idx[] = { 0, 1 };

	(void)state;
	chain(&w, idx, 2);
	set_live(&w, 0);
	repair(&w, true, &res);
	assert_int_equal(res.kept, 1);
	assert_int_equal(res.dropped, 1);
	assert_int_equal(w.writes, 0);
	assert_chain(&w, idx, 2);
}

/* live, stale, live: the stale one is spliced out, its memory untouched. */
static void test_stale_between_live(void **state)
{
	struct world w = { 0 };
	const int idx[] = { 0, 1, 2 };
	const int want[] = { 0, 2 };
	unsigned long stale_next, stale_pprev;
	unsigned int i;

	(void)state;
	chain(&w, idx, 3);
	set_live(&w, 0);
	set_live(&w, 2);
	stale_next = *word(&w, ENTRY(1) + MR_LS_NEXT);
	stale_pprev = *word(&w, ENTRY(1) + MR_LS_PPREV);
	repaired(&w, 2, 1);
	assert_chain(&w, want, 2);
	assert_int_equal(*word(&w, ENTRY(1) + MR_LS_NEXT), stale_next);
	assert_int_equal(*word(&w, ENTRY(1) + MR_LS_PPREV), stale_pprev);
	for (i = 0; i < w.writes && i < 16; i++)
		assert_true(w.written[i] < ENTRY(1) ||
			    w.written[i] >= ENTRY(2));
}

/*
 * The bug itself: the stale entry's stack was reused by a new loader at the
 * same depth, whose hlist_add_head() made the entry point at itself.
 */
static void test_self_loop_cut(void **state)
{
	struct world w = { 0 };
	const int want[] = { 0 };

	(void)state;
	*word(&w, HEAD) = ENTRY(0);
	*word(&w, ENTRY(0) + MR_LS_PPREV) = HEAD;
	*word(&w, ENTRY(0) + MR_LS_NEXT) = ENTRY(0);
	set_live(&w, 0);
	repaired(&w, 1, 1);
	assert_chain(&w, want, 1);
}

/* Stale entries pointing at each other forever. */
static void test_stale_cycle_cut(void **state)
{
	struct world w = { 0 };

	(void)state;
	*word(&w, HEAD) = ENTRY(0);
	*word(&w, ENTRY(0) + MR_LS_NEXT) = ENTRY(1);
	*word(&w, ENTRY(1) + MR_LS_NEXT) = ENTRY(0);
	repaired(&w, 0, 3);
	assert_chain(&w, NULL, 0);
}

/* A stale entry whose next points into freed memory ends the chain. */
static void test_stale_next_unreadable(void **state)
{
	struct world w = { 0 };
	const int want[] = { 0 };

	(void)state;
	*word(&w, HEAD) = ENTRY(0);
	*word(&w, ENTRY(0) + MR_LS_PPREV) = HEAD;
	*word(&w, ENTRY(0) + MR_LS_NEXT) = ENTRY(1);
	*word(&w, ENTRY(1) + MR_LS_PPREV) = ENTRY(0);
	*word(&w, ENTRY(1) + MR_LS_NEXT) = UNMAPPED;
	set_live(&w, 0);
	repaired(&w, 1, 2);
	assert_chain(&w, want, 1);
}

/*
 * An entry on a live loader's stack is not live unless it points back at
 * the slot it was reached from: a reused stack that happens to hold an
 * old entry, or the loader's own entry linked into another bucket.
 */
static void test_live_stack_wrong_back_link(void **state)
{
	struct world w = { 0 };

	(void)state;
	*word(&w, HEAD) = ENTRY(0);
	*word(&w, ENTRY(0) + MR_LS_PPREV) = ENTRY(5); /* another chain's */
	set_live(&w, 0);
	repaired(&w, 0, 1);
	assert_chain(&w, NULL, 0);
	assert_int_equal(*word(&w, ENTRY(0) + MR_LS_PPREV), ENTRY(5));
}

/* More live loaders than the bound: the bucket is left exactly as it is. */
static void test_too_many_live_untouched(void **state)
{
	struct world w = { 0 };
	struct mr_ls_result res;
	int idx[MR_LS_MAX_KEPT + 2];
	int i;

	(void)state;
	for (i = 0; i < MR_LS_MAX_KEPT + 2; i++) {
		idx[i] = i;
		set_live(&w, i);
	}
	chain(&w, idx, MR_LS_MAX_KEPT + 2);
	repair(&w, false, &res);
	assert_true(res.truncated);
	assert_int_equal(res.dropped, 0);
	assert_int_equal(w.writes, 0);
	assert_chain(&w, idx, MR_LS_MAX_KEPT + 2);
}

/*
 * A bucket longer than the walk bound, with a stale entry up front: the
 * entries past the bound were never judged, so nothing is cut (cutting
 * the stale one means relinking at the last judged entry, which cuts the
 * rest). Left exactly as found, counted as truncated, nothing dropped.
 */
static void test_too_long_left_as_found(void **state)
{
	static struct world w;
	struct mr_ls_result res;
	int idx[MR_LS_MAX_WALK + 8];
	int i;

	(void)state;
	memset(&w, 0, sizeof(w));
	for (i = 0; i < MR_LS_MAX_WALK + 8; i++)
		idx[i] = i;
	chain(&w, idx, MR_LS_MAX_WALK + 8);
	/* Entry 0 is stale; one live loader, too far down to be seen. */
	set_live(&w, MR_LS_MAX_WALK + 4);
	repair(&w, false, &res);
	assert_true(res.truncated);
	assert_int_equal(res.dropped, 0);
	assert_int_equal(w.writes, 0);
	assert_chain(&w, idx, MR_LS_MAX_WALK + 8);
	/* A dry run says the same. */
	repair(&w, true, &res);
	assert_true(res.truncated);
	assert_int_equal(res.dropped, 0);
}

/* More live loaders than can be kept, after a stale one: left as found. */
static void test_too_many_live_after_stale_untouched(void **state)
{
	struct world w = { 0 };
	struct mr_ls_result res;
	int idx[MR_LS_MAX_KEPT + 3];
	int i;

	(void)state;
	for (i = 0; i < MR_LS_MAX_KEPT + 3; i++) {
		idx[i] = i;
		if (i)
			set_live(&w, i);
	}
	chain(&w, idx, MR_LS_MAX_KEPT + 3);
	repair(&w, false, &res);
	assert_true(res.truncated);
	assert_int_equal(res.dropped, 0);
	assert_int_equal(w.writes, 0);
	assert_chain(&w, idx, MR_LS_MAX_KEPT + 3);
}

/*
 * The loader to forget (stuck for good in a quarantined init) is cut, and
 * its entry unhashed as hlist_del_init() leaves it (next and pprev NULL),
 * so that hlist_unhashed() is true for it; the stale entry beside it is
 * cut without a single write to its memory.
 */
static void test_forgotten_entry_unhashed(void **state)
{
	struct world w = { 0 };
	struct mr_ls_result res;
	const int idx[] = { 0, 1, 2, 3 };
	const int want[] = { 0, 3 };

	(void)state;
	chain(&w, idx, 4);
	set_live(&w, 0);
	set_forget(&w, 1);
	set_live(&w, 3);
	repair(&w, false, &res);
	assert_int_equal(res.kept, 2);
	assert_int_equal(res.dropped, 2);
	assert_int_equal(res.forgotten, 1);
	assert_false(res.truncated);
	assert_chain(&w, want, 2);
	assert_int_equal(*word(&w, ENTRY(1) + MR_LS_NEXT), 0);
	assert_int_equal(*word(&w, ENTRY(1) + MR_LS_PPREV), 0);
	assert_false(was_written(&w, ENTRY(2) + MR_LS_NEXT));
	assert_false(was_written(&w, ENTRY(2) + MR_LS_PPREV));
	assert_int_equal(*word(&w, ENTRY(2) + MR_LS_NEXT), ENTRY(3));
	assert_int_equal(*word(&w, ENTRY(2) + MR_LS_PPREV), ENTRY(1));
}

/* A dry run forgets nothing; a forget entry not linked back is not ours. */
static void test_forgotten_entry_dry_or_unlinked(void **state)
{
	struct world w = { 0 };
	struct mr_ls_result res;
	const int idx[] = { 0 };

	(void)state;
	chain(&w, idx, 1);
	set_forget(&w, 0);
	repair(&w, true, &res);
	assert_int_equal(res.dropped, 1);
	assert_int_equal(w.writes, 0);
	assert_chain(&w, idx, 1);
	/* Its back link points elsewhere: cut from here, never written. */
	*word(&w, ENTRY(0) + MR_LS_PPREV) = ENTRY(5);
	repair(&w, false, &res);
	assert_int_equal(res.dropped, 1);
	assert_int_equal(res.forgotten, 0);
	assert_int_equal(w.writes, 1);
	assert_int_equal(w.written[0], HEAD);
	assert_int_equal(*word(&w, ENTRY(0) + MR_LS_PPREV), ENTRY(5));
}

/*
 * finit_module() as each ABI's entry leaves it in orig_ax: native 313, x32
 * 313 with the x32 bit, ia32 350 (in a compat syscall). The same number in
 * the other table is another syscall.
 */
static void test_finit_module_numbers(void **state)
{
	(void)state;
	assert_true(mr_ls_is_finit_module(313, false));
	assert_true(mr_ls_is_finit_module(0x40000000L | 313, false));
	assert_true(mr_ls_is_finit_module(350, true));
	/* ia32 313 is splice, native 350 does not exist. */
	assert_false(mr_ls_is_finit_module(313, true));
	assert_false(mr_ls_is_finit_module(350, false));
	assert_false(mr_ls_is_finit_module(0x40000000L | 313, true));
	assert_false(mr_ls_is_finit_module(0x40000000L | 350, false));
	/* init_module, no syscall (-1), the bit alone. */
	assert_false(mr_ls_is_finit_module(175, false));
	assert_false(mr_ls_is_finit_module(-1, false));
	assert_false(mr_ls_is_finit_module(-1, true));
	assert_false(mr_ls_is_finit_module(0x40000000L, false));
}

/* An unreadable head (a wrong table address) is left alone. */
static void test_unreadable_head(void **state)
{
	struct world w = { 0 };
	struct mr_ls_result res;
	static struct mr_ls_scratch scratch;

	(void)state;
	mr_ls_repair_bucket(UNMAPPED, &ops, &w, false, &scratch, &res);
	assert_int_equal(res.kept, 0);
	assert_int_equal(res.dropped, 0);
	assert_int_equal(w.writes, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_bucket),
		cmocka_unit_test(test_all_live_untouched),
		cmocka_unit_test(test_lone_stale_entry),
		cmocka_unit_test(test_dry_run_writes_nothing),
		cmocka_unit_test(test_stale_between_live),
		cmocka_unit_test(test_self_loop_cut),
		cmocka_unit_test(test_stale_cycle_cut),
		cmocka_unit_test(test_stale_next_unreadable),
		cmocka_unit_test(test_live_stack_wrong_back_link),
		cmocka_unit_test(test_too_many_live_untouched),
		cmocka_unit_test(test_unreadable_head),
		cmocka_unit_test(test_too_long_left_as_found),
		cmocka_unit_test(test_too_many_live_after_stale_untouched),
		cmocka_unit_test(test_forgotten_entry_unhashed),
		cmocka_unit_test(test_forgotten_entry_dry_or_unlinked),
		cmocka_unit_test(test_finit_module_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
