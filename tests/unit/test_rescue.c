// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for cli/lib/acting/rescue_policy.c: which stuck tasks are handed to
 * the helper for release (never one in kthread_stop(), never one waiting
 * in kernel code), the words for the helper's answers (never a raw kernel
 * address the helper did not give, a stack completion refused by name, the
 * risk that remains after a release), and quarantined names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "rescue.h"

static struct mr_task task(char state, char **frames, size_t n)
{
	struct mr_task t;

	memset(&t, 0, sizeof(t));
	t.pid = 93;
	snprintf(t.comm, sizeof(t.comm), "rmmod");
	t.state = state;
	t.wchan = "";
	t.stack = frames;
	t.n_stack = n;
	t.stack_known = true;
	t.syscall = MR_NR_DELETE_MODULE;
	return t;
}

static void release_allowed_in_own_wait(void **state)
{
	char *frames[] = { "hp_exitwait_exit+0x18/0x1000 [hp_exitwait]",
			   "__do_sys_delete_module+0x1b9/0x330",
			   "do_syscall_64+0x5d/0xb0" };
	struct mr_task t = task('D', frames, 3);
	char why[256];

	(void)state;
	assert_true(mr_release_allowed(&t, "hp_exitwait", why, sizeof(why)));
	assert_string_equal(why, "");
	/* An init: insmod, finit_module, the same rule. */
	frames[0] = "hp_initblock_init+0x26/0x1000 [hp_initblock]";
	frames[1] = "do_one_initcall+0x59/0x220";
	t.syscall = MR_NR_FINIT_MODULE;
	assert_true(mr_release_allowed(&t, "hp_initblock", why, sizeof(why)));
}

/* Seed 003: never complete the completion of kthread_stop(). */
static void release_never_in_kthread_stop(void **state)
{
	char *frames[] = { "kthread_stop+0x6c/0x1a0",
			   "hp_kthreadstop_exit+0x1b/0x1000 [hp_kthreadstop]",
			   "__do_sys_delete_module+0x1b9/0x330" };
	char *put[] = { "hp_x_exit+0x1/0x2 [hp_x]",
			"kthread_stop_put.cold+0x6c/0x1a0",
			"__do_sys_delete_module+0x1b9/0x330" };
	struct mr_task t = task('D', frames, 3);
	char why[256];

	(void)state;
	assert_false(
		mr_release_allowed(&t, "hp_kthreadstop", why, sizeof(why)));
	assert_non_null(strstr(why, "kthread_stop()"));
	/* Anywhere on the stack, and kthread_stop_put() too. */
	t = task('D', put, 3);
	assert_false(mr_release_allowed(&t, "hp_x", why, sizeof(why)));
	assert_non_null(strstr(why, "kthread_stop()"));
}

/* The kernel waits, not the module: the completion is not the module's. */
static void release_never_in_kernel_code(void **state)
{
	char *frames[] = { "__rt_mutex_slowlock_locked.constprop.0+0xc5/0x250",
			   "hp_mutexwait_exit+0x39/0xf60 [hp_mutexwait]" };
	char *other[] = { "hp_y_fn+0x1/0x2 [hp_y]",
			  "hp_x_exit+0x1/0x2 [hp_x]" };
	struct mr_task t = task('D', frames, 2);
	char why[256];

	(void)state;
	assert_false(mr_release_allowed(&t, "hp_mutexwait", why, sizeof(why)));
	assert_string_equal(
		why,
		"it waits in __rt_mutex_slowlock_locked, kernel code, not in hp_mutexwait's own code");
	/* Another module's code is not the module's either. */
	t = task('D', other, 2);
	assert_false(mr_release_allowed(&t, "hp_x", why, sizeof(why)));
}

static void release_never_without_sleep_or_stack(void **state)
{
	char *frames[] = { "hp_x_exit+0x1/0x2 [hp_x]" };
	struct mr_task t = task('R', frames, 1);
	char why[256];

	(void)state;
	assert_false(mr_release_allowed(&t, "hp_x", why, sizeof(why)));
	assert_string_equal(why, "it is not waiting uninterruptibly (state R)");
	t = task('D', NULL, 0);
	assert_false(mr_release_allowed(&t, "hp_x", why, sizeof(why)));
	assert_string_equal(why, "its kernel stack cannot be read");
	t = task('D', frames, 1);
	t.stack_known = false;
	assert_false(mr_release_allowed(&t, "hp_x", why, sizeof(why)));
	/* A tiny buffer is cut, never overrun. */
	t = task('S', frames, 1);
	assert_false(mr_release_allowed(&t, "hp_x", why, 4));
	assert_int_equal(strlen(why), 3);
}

static void reasons_in_words(void **state)
{
	unsigned int r;

	(void)state;
	for (r = 0; r < 20; r++)
		assert_non_null(mr_unblock_reason_text(r));
	assert_string_equal(mr_unblock_reason_text(MODRESCUE_UNBLOCK_OK),
			    "released");
	assert_non_null(strstr(
		mr_unblock_reason_text(MODRESCUE_UNBLOCK_NO_WAIT), "mutex"));
	assert_string_equal(mr_unblock_reason_text(1000), "the helper refused");
}

static void places_in_words(void **state)
{
	struct modrescue_unblock u;
	char buf[256];

	(void)state;
	memset(&u, 0, sizeof(u));
	u.kind = MODRESCUE_COMP_MODULE;
	snprintf(u.where, sizeof(u.where),
		 "hp_exitwait_done+0x0/0x20 [hp_exitwait]");
	mr_unblock_place_text(&u, buf, sizeof(buf));
	assert_string_equal(
		buf, "hp_exitwait_done [hp_exitwait], in the module's data");
	u.kind = MODRESCUE_COMP_SLAB;
	mr_unblock_place_text(&u, buf, sizeof(buf));
	assert_string_equal(buf, "a completion in a slab object");
	u.kind = MODRESCUE_COMP_STACK;
	u.owner_pid = 7;
	mr_unblock_place_text(&u, buf, sizeof(buf));
	assert_string_equal(buf, "a completion on the stack of pid 7");
	/* A where[] without a terminator is read within its bounds. */
	u.kind = MODRESCUE_COMP_MODULE;
	memset(u.where, 'a', sizeof(u.where));
	mr_unblock_place_text(&u, buf, sizeof(buf));
	assert_int_equal(strlen(buf),
			 sizeof(u.where) + strlen(", in the module's data"));
}

/* No "0x" kernel address in words unless the helper gave one. */
static void places_never_leak_addresses(void **state)
{
	struct modrescue_unblock u;
	char buf[256];

	(void)state;
	memset(&u, 0, sizeof(u));
	/* A raw address from sprint_symbol() (older helper): not shown. */
	u.kind = MODRESCUE_COMP_MODULE;
	snprintf(u.where, sizeof(u.where), "0xffffffffc0a01040");
	mr_unblock_place_text(&u, buf, sizeof(buf));
	assert_string_equal(buf, "a completion in the module's data");
	assert_null(strstr(buf, "0x"));
	u.where[0] = '\0';
	mr_unblock_place_text(&u, buf, sizeof(buf));
	assert_string_equal(buf, "a completion in the module's data");
	snprintf(u.caller, sizeof(u.caller), "0xffffffffc0a00012");
	mr_unblock_caller_text(&u, buf, sizeof(buf));
	assert_string_equal(buf, "an unnamed place");
	u.caller[0] = '\0';
	mr_unblock_caller_text(&u, buf, sizeof(buf));
	assert_string_equal(buf, "an unnamed place");
	/* A symbol's offsets are not addresses: kept. */
	snprintf(u.caller, sizeof(u.caller),
		 "hp_exitwait_exit+0x18/0x1000 [hp_exitwait]");
	mr_unblock_caller_text(&u, buf, sizeof(buf));
	assert_string_equal(buf, "hp_exitwait_exit+0x18/0x1000 [hp_exitwait]");
	/* completion 0 (kptr_restrict): no address in any kind's words. */
	for (u.kind = 0; u.kind < 5; u.kind++) {
		mr_unblock_place_text(&u, buf, sizeof(buf));
		assert_null(strstr(buf, "0x"));
	}
	/* Given by the helper: shown. */
	u.completion = 0xffff888003a1b2c0ULL;
	u.kind = MODRESCUE_COMP_SLAB;
	mr_unblock_place_text(&u, buf, sizeof(buf));
	assert_string_equal(
		buf, "a completion at 0xffff888003a1b2c0 in a slab object");
}

/* A stack completion is refused in words that say so, with its owner. */
static void stack_refusal_in_words(void **state)
{
	struct modrescue_unblock u;
	char buf[512];

	(void)state;
	assert_non_null(strstr(
		mr_unblock_reason_text(MODRESCUE_UNBLOCK_ON_STACK), "stack"));
	memset(&u, 0, sizeof(u));
	u.reason = MODRESCUE_UNBLOCK_ON_STACK;
	u.kind = MODRESCUE_COMP_STACK;
	u.owner_pid = 42;
	mr_unblock_refusal_text(&u, buf, sizeof(buf));
	assert_non_null(strstr(buf, "on the stack of pid 42"));
	assert_non_null(strstr(buf, "--force"));
	/* Any other reason: its plain words. */
	u.reason = MODRESCUE_UNBLOCK_NO_WAIT;
	mr_unblock_refusal_text(&u, buf, sizeof(buf));
	assert_string_equal(buf,
			    mr_unblock_reason_text(MODRESCUE_UNBLOCK_NO_WAIT));
}

/* After a release, the report says what remains at risk, per place. */
static void risk_in_words(void **state)
{
	struct modrescue_unblock u;
	char buf[512];

	(void)state;
	memset(&u, 0, sizeof(u));
	u.kind = MODRESCUE_COMP_MODULE;
	mr_unblock_risk_text(&u, buf, sizeof(buf));
	assert_non_null(strstr(buf, "risk: "));
	assert_non_null(strstr(buf, "complete() later"));
	assert_non_null(strstr(buf, "once it is unloaded"));
	u.kind = MODRESCUE_COMP_SLAB;
	mr_unblock_risk_text(&u, buf, sizeof(buf));
	assert_non_null(strstr(buf, "slab object"));
	u.kind = MODRESCUE_COMP_STACK;
	u.owner_pid = 42;
	mr_unblock_risk_text(&u, buf, sizeof(buf));
	assert_non_null(strstr(buf, "stack of pid 42"));
	assert_non_null(strstr(buf, "--force"));
	u.kind = MODRESCUE_COMP_NONE;
	mr_unblock_risk_text(&u, buf, sizeof(buf));
	assert_string_equal(buf, "");
	/* A tiny buffer is cut, never overrun. */
	u.kind = MODRESCUE_COMP_SLAB;
	mr_unblock_risk_text(&u, buf, 6);
	assert_string_equal(buf, "risk:");
}

static void quarantine_names(void **state)
{
	char base[MR_MODNAME_LEN];

	(void)state;
	assert_true(mr_quarantine_name("hp_x.q1", base, sizeof(base)));
	assert_string_equal(base, "hp_x");
	assert_true(mr_quarantine_name("hp_x.q12", NULL, 0));
	assert_false(mr_quarantine_name("hp_x", base, sizeof(base)));
	assert_false(mr_quarantine_name("hp_x.q", base, sizeof(base)));
	assert_false(mr_quarantine_name("hp_x.qa", base, sizeof(base)));
	assert_false(mr_quarantine_name("hp_x.r1", base, sizeof(base)));
	assert_false(mr_quarantine_name(".q1", base, sizeof(base)));
	assert_false(mr_quarantine_name("hp_x.q1x", base, sizeof(base)));
	assert_true(mr_quarantine_name("a.b.q3", base, sizeof(base)));
	assert_string_equal(base, "a.b");
	assert_true(mr_quarantine_name("long_name.q1", base, 5));
	assert_string_equal(base, "long");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(release_allowed_in_own_wait),
		cmocka_unit_test(release_never_in_kthread_stop),
		cmocka_unit_test(release_never_in_kernel_code),
		cmocka_unit_test(release_never_without_sleep_or_stack),
		cmocka_unit_test(reasons_in_words),
		cmocka_unit_test(places_in_words),
		cmocka_unit_test(places_never_leak_addresses),
		cmocka_unit_test(stack_refusal_in_words),
		cmocka_unit_test(risk_in_words),
		cmocka_unit_test(quarantine_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
