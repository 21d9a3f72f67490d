// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the lab's serial-log checker (tests/vm/logcheck/report.c).
 * The kernel excerpts are real 6.1 / 6.12 x86_64 console output, trimmed.
 */
#define _GNU_SOURCE

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report.h"

#ifndef FIXTURES_DIR
#define FIXTURES_DIR "fixtures"
#endif

/* ---- helpers ---- */

static void dump(const struct logcheck *lc)
{
	size_t i;

	for (i = 0; i < lc_nr_reasons(lc); i++)
		print_message("  reason: %s\n", lc_reason(lc, i));
}

/*
 * Check LOG; the checker is left in *STATE for the teardown (or the next
 * check()) to free.
 */
static struct logcheck *check(void **state, const char *log, int want)
{
	struct logcheck *lc;
	int verdict;

	lc_free(*state);
	*state = NULL;
	lc = lc_new();
	assert_non_null(lc);
	*state = lc;
	lc_feed_text(lc, log, strlen(log));
	verdict = lc_finish(lc);
	if (verdict != want)
		dump(lc);
	assert_int_equal(verdict, want);
	return lc;
}

static bool has_reason(const struct logcheck *lc, const char *text)
{
	size_t i;

	for (i = 0; i < lc_nr_reasons(lc); i++) {
		if (!strcmp(lc_reason(lc, i), text))
			return true;
	}
	return false;
}

static void assert_reason(const struct logcheck *lc, const char *text)
{
	if (!has_reason(lc, text)) {
		print_message("missing reason: %s\n", text);
		dump(lc);
		fail();
	}
}

static void assert_nr_reasons(const struct logcheck *lc, size_t n)
{
	if (lc_nr_reasons(lc) != n)
		dump(lc);
	assert_int_equal(lc_nr_reasons(lc), n);
}

static void assert_counts(const struct logcheck *lc, unsigned int oops,
			  unsigned int bug, unsigned int warning,
			  unsigned int panic)
{
	assert_int_equal(lc_count(lc, LC_OOPS), oops);
	assert_int_equal(lc_count(lc, LC_BUG), bug);
	assert_int_equal(lc_count(lc, LC_WARNING), warning);
	assert_int_equal(lc_count(lc, LC_PANIC), panic);
}

static int teardown(void **state)
{
	lc_free(*state);
	*state = NULL;
	return 0;
}

/* ---- fixtures ---- */

#define BOOT                                                                \
	"[    0.000000] Linux version 6.1.0-56-amd64 (debian-kernel@lists." \
	"debian.org) #1 SMP PREEMPT_DYNAMIC Debian 6.1.158-1\n"             \
	"[    1.234567] Run /init as init process\n"
#define BEGIN "MR-BEGIN test 6.1.0-56-amd64\n"
#define PASS "MR-RESULT PASS\n"

/* A NULL-pointer write in a module's init, as 6.1 reports it. */
#define OOPS_6_1                                                             \
	"[   12.480901] BUG: kernel NULL pointer dereference, address: "     \
	"0000000000000000\n"                                                 \
	"[   12.481012] #PF: supervisor write access in kernel mode\n"       \
	"[   12.481530] #PF: error_code(0x0002) - not-present page\n"        \
	"[   12.482031] PGD 0 P4D 0 \n"                                      \
	"[   12.482297] Oops: 0002 [#1] PREEMPT SMP NOPTI\n"                 \
	"[   12.482728] CPU: 0 PID: 73 Comm: insmod Tainted: G           OE" \
	"      6.1.0-56-amd64 #1  Debian 6.1.158-1\n"                        \
	"[   12.483634] Hardware name: QEMU Standard PC (i440FX + PIIX, "    \
	"1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014\n"                    \
	"[   12.484531] RIP: 0010:oops_init+0x11/0x1000 [mr_oops]\n"         \
	"[   12.485032] Code: Unable to access opcode bytes at "             \
	"0xffffffffc0142fe7.\n"                                              \
	"[   12.485612] RSP: 0018:ffffb0f6c01cbc38 EFLAGS: 00010246\n"       \
	"[   12.491060] Call Trace:\n"                                       \
	"[   12.491300]  <TASK>\n"                                           \
	"[   12.491510]  do_one_initcall+0x5b/0x220\n"                       \
	"[   12.491870]  do_init_module+0x4c/0x1f0\n"                        \
	"[   12.492220]  __do_sys_finit_module+0xac/0x120\n"                 \
	"[   12.492610]  do_syscall_64+0x55/0xb0\n"                          \
	"[   12.492950]  entry_SYSCALL_64_after_hwframe+0x6e/0xd8\n"         \
	"[   12.495000]  </TASK>\n"                                          \
	"[   12.495200] Modules linked in: mr_oops(OE+)\n"                   \
	"[   12.495580] CR2: 0000000000000000\n"                             \
	"[   12.495900] ---[ end trace 0000000000000000 ]---\n"              \
	"Killed\n"
#define OOPS_6_1_HEADER "Oops: 0002 [#1] PREEMPT SMP NOPTI"

/* BUG() in a module's init on 6.1: "kernel BUG at", then die(). */
#define KBUG_6_1                                                             \
	"[   20.100000] ------------[ cut here ]------------\n"              \
	"[   20.100500] kernel BUG at /lab/patients/mr_bug.c:14!\n"          \
	"[   20.101000] invalid opcode: 0000 [#1] PREEMPT SMP NOPTI\n"       \
	"[   20.101500] CPU: 0 PID: 80 Comm: insmod Tainted: G           OE" \
	"      6.1.0-56-amd64 #1  Debian 6.1.158-1\n"                        \
	"[   20.102000] RIP: 0010:bug_init+0x5/0x1000 [mr_bug]\n"            \
	"[   20.110000] ---[ end trace 0000000000000000 ]---\n"

/* The same on 6.12, where die() prefixes "Oops: ". */
#define KBUG_6_12                                                            \
	"[   20.100000] ------------[ cut here ]------------\n"              \
	"[   20.100500] kernel BUG at /lab/patients/mr_bug.c:14!\n"          \
	"[   20.101000] Oops: invalid opcode: 0000 [#1] PREEMPT SMP NOPTI\n" \
	"[   20.101500] CPU: 0 UID: 0 PID: 80 Comm: insmod Tainted: G      " \
	"     OE      6.12.57+deb12-amd64 #1  Debian 6.12.57-1~bpo12+1\n"    \
	"[   20.110000] ---[ end trace 0000000000000000 ]---\n"

#define WARN_6_1                                                               \
	"[   15.200000] ------------[ cut here ]------------\n"                \
	"[   15.200400] WARNING: CPU: 0 PID: 75 at /lab/patients/mr_warn.c:10" \
	" warn_init+0x15/0x1000 [mr_warn]\n"                                   \
	"[   15.201000] Modules linked in: mr_warn(OE+)\n"                     \
	"[   15.201500] CPU: 0 PID: 75 Comm: insmod Tainted: G           OE"   \
	"      6.1.0-56-amd64 #1  Debian 6.1.158-1\n"                          \
	"[   15.202000] RIP: 0010:warn_init+0x15/0x1000 [mr_warn]\n"           \
	"[   15.210000] ---[ end trace 0000000000000000 ]---\n"

#define SOFTLOCKUP_6_1                                                        \
	"[   48.123456] watchdog: BUG: soft lockup - CPU#0 stuck for 26s! "   \
	"[insmod:77]\n"                                                       \
	"[   48.124000] Modules linked in: mr_spin(OE+)\n"                    \
	"[   48.124500] CPU: 0 PID: 77 Comm: insmod Tainted: G           OEL" \
	"     6.1.0-56-amd64 #1  Debian 6.1.158-1\n"                          \
	"[   48.125000] RIP: 0010:spin_init+0x10/0x1000 [mr_spin]\n"

#define HUNG_6_1                                                               \
	"[  245.678901] INFO: task rmmod:90 blocked for more than 120 "        \
	"seconds.\n"                                                           \
	"[  245.679400]       Tainted: G           OE      6.1.0-56-amd64 #1"  \
	" Debian 6.1.158-1\n"                                                  \
	"[  245.680000] \"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" " \
	"disables this message.\n"                                             \
	"[  245.680600] task:rmmod           state:D stack:0     pid:90    "   \
	"ppid:1      flags:0x00004002\n"                                       \
	"[  245.681000] Call Trace:\n"

#define RCU_SELF_6_1                                                         \
	"[   35.000000] rcu: INFO: rcu_preempt self-detected stall on CPU\n" \
	"[   35.000500] rcu: \t0-....: (20999 ticks this GP) "               \
	"idle=3f4c/1/0x4000000000000000 softirq=1234/1234 fqs=5250\n"        \
	"[   35.001000] \t(t=21000 jiffies g=1493 q=215 ncpus=2)\n"

#define RCU_OTHER_6_1                                                     \
	"[   56.000000] rcu: INFO: rcu_preempt detected stalls on "       \
	"CPUs/tasks:\n"                                                   \
	"[   56.000400] rcu: \t1-...!: (0 ticks this GP) idle=9b8c/1/"    \
	"0x4000000000000000 softirq=2044/2044 fqs=0\n"                    \
	"[   56.000900] \t(detected by 0, t=21002 jiffies, g=1493, q=30 " \
	"ncpus=2)\n"

#define PANIC_6_1                                                              \
	"[   30.000000] Kernel panic - not syncing: Fatal exception\n"         \
	"[   30.000500] Kernel Offset: 0x1e000000 from 0xffffffff81000000 "    \
	"(relocation range: 0xffffffff80000000-0xffffffffbfffffff)\n"          \
	"[   30.001000] ---[ end Kernel panic - not syncing: Fatal exception " \
	"]---\n"

/* ---- end-of-log rules ---- */

static void test_clean_pass(void **state)
{
	struct logcheck *lc = check(state,
				    BOOT BEGIN
				    "ok: insmod status = 0\n"
				    "rmmod mr_plain: unloaded\n" PASS
				    "[   13.100000] reboot: Power down\n",
				    LC_PASS);
	int k;

	assert_nr_reasons(lc, 0);
	for (k = 0; k < LC_NR_KINDS; k++)
		assert_int_equal(lc_count(lc, (enum lc_kind)k), 0);
}

static void test_mr_fail(void **state)
{
	struct logcheck *lc = check(
		state,
		BOOT BEGIN "MR-FAIL: rmmod: expected 'unloaded', got 'EBUSY'\n"
			   "MR-RESULT FAIL\n",
		LC_FAIL);

	assert_reason(lc, "assertion failed: rmmod: expected 'unloaded', "
			  "got 'EBUSY'");
	assert_reason(lc, "the guest reported MR-RESULT FAIL");
	assert_nr_reasons(lc, 2);
}

static void test_missing_result(void **state)
{
	struct logcheck *lc = check(state,
				    BOOT BEGIN
				    "MR-NOTE: rmmod in background\n"
				    "rmmod mr_hang: hangs (D state)\n",
				    LC_FAIL);

	assert_reason(lc,
		      "no result: the guest never finished (crash or timeout)");
	assert_nr_reasons(lc, 1);
}

static void test_never_started(void **state)
{
	struct logcheck *lc = check(state, BOOT, LC_FAIL);

	assert_reason(lc, "no MR-BEGIN: the guest never started the scenario");
	assert_nr_reasons(lc, 1);
}

static void test_empty_log(void **state)
{
	struct logcheck *lc = check(state, "", LC_FAIL);

	assert_nr_reasons(lc, 1);
}

static void test_started_twice(void **state)
{
	struct logcheck *lc = check(state, BOOT BEGIN BOOT BEGIN PASS, LC_FAIL);

	assert_reason(lc, "the guest started twice (rebooted?)");
}

static void test_bad_result(void **state)
{
	struct logcheck *lc = check(state, BEGIN "MR-RESULT MAYBE\n", LC_FAIL);

	assert_reason(lc, "bad result: \"MR-RESULT MAYBE\"");
	assert_reason(lc,
		      "no result: the guest never finished (crash or timeout)");
}

/* ---- oops ---- */

static void test_unexpected_oops(void **state)
{
	struct logcheck *lc = check(state,
				    BOOT BEGIN OOPS_6_1
				    "ok: insmod status = 137\n" PASS,
				    LC_FAIL);

	assert_reason(lc,
		      "unexpected oops: \"" OOPS_6_1_HEADER "\" (declared 0)");
	assert_nr_reasons(lc, 1);
	/* The "BUG: kernel NULL pointer dereference" line is the oops's. */
	assert_counts(lc, 1, 0, 0, 0);
}

static void test_expected_oops(void **state)
{
	struct logcheck *lc =
		check(state, BOOT BEGIN "MR-EXPECT oops 1 1\n" OOPS_6_1 PASS,
		      LC_PASS);

	assert_counts(lc, 1, 0, 0, 0);
	assert_int_equal(lc_min(lc, LC_OOPS), 1);
	assert_int_equal(lc_max(lc, LC_OOPS), 1);
}

static void test_expectation_after_oops(void **state)
{
	struct logcheck *lc =
		check(state, BOOT BEGIN OOPS_6_1 "MR-EXPECT oops 1 1\n" PASS,
		      LC_FAIL);

	assert_reason(lc,
		      "unexpected oops: \"" OOPS_6_1_HEADER "\" (declared 0)");
	assert_nr_reasons(lc, 1);
}

static void test_gpf_6_1(void **state)
{
	struct logcheck *lc = check(
		state,
		BEGIN
		"[    9.804512] general protection fault, probably for "
		"non-canonical address 0xdead000000000122: 0000 [#1] PREEMPT "
		"SMP NOPTI\n"
		"[    9.805310] CPU: 1 PID: 81 Comm: insmod Tainted: G     OE\n" PASS,
		LC_FAIL);

	assert_counts(lc, 1, 0, 0, 0);
}

static void test_stack_guard_6_1(void **state)
{
	struct logcheck *lc = check(
		state,
		BEGIN
		"MR-EXPECT oops 1 1\n"
		"[    7.000000] BUG: TASK stack guard page was hit at "
		"00000000a4e6f0d5 (stack is 0000000077e1d2d4..000000003b7d3b1e)"
		"\n"
		"[    7.000100] stack guard page: 0000 [#1] PREEMPT SMP NOPTI\n" PASS,
		LC_PASS);

	assert_counts(lc, 1, 0, 0, 0);
}

static void test_min_not_reached(void **state)
{
	struct logcheck *lc = check(
		state, BOOT BEGIN "MR-EXPECT warning 1 1\n" PASS, LC_FAIL);

	assert_reason(lc, "expected at least 1 warning, saw 0");
	assert_nr_reasons(lc, 1);
}

static void test_over_max(void **state)
{
	struct logcheck *lc = check(
		state,
		BOOT BEGIN "MR-EXPECT warning 1 1\n" WARN_6_1 WARN_6_1 PASS,
		LC_FAIL);

	assert_reason(lc, "unexpected warning: \"WARNING: CPU: 0 PID: 75 at "
			  "/lab/patients/mr_warn.c:10 warn_init+0x15/0x1000 "
			  "[mr_warn]\" (declared 1)");
	assert_nr_reasons(lc, 1);
	assert_counts(lc, 0, 0, 2, 0);
}

static void test_range_and_sum(void **state)
{
	struct logcheck *lc = check(state,
				    BEGIN
				    "MR-EXPECT warning 1 3\n"
				    "MR-EXPECT warning 1 1\n" WARN_6_1 WARN_6_1
					    WARN_6_1 WARN_6_1 PASS,
				    LC_PASS);

	assert_int_equal(lc_min(lc, LC_WARNING), 2);
	assert_int_equal(lc_max(lc, LC_WARNING), 4);
	assert_int_equal(lc_count(lc, LC_WARNING), 4);
}

/*
 * An allowance ends with its step: "warning 0 2" and "oops 0 1" for a step
 * that produced neither leave no room for a later oops or warning.
 */
static void test_done_withdraws_unused(void **state)
{
	struct logcheck *lc = check(state,
				    BEGIN "MR-EXPECT oops 0 1\n"
					  "MR-EXPECT warning 0 2\n"
					  "MR-EXPECT-DONE\n" WARN_6_1 PASS,
				    LC_FAIL);

	assert_nr_reasons(lc, 1);
	assert_reason(lc, "unexpected warning: \"WARNING: CPU: 0 PID: 75 at "
			  "/lab/patients/mr_warn.c:10 warn_init+0x15/0x1000 "
			  "[mr_warn]\" (declared 0)");
}

/* What a step used stays used; a new expect opens room again. */
static void test_done_keeps_used(void **state)
{
	check(state,
	      BEGIN "MR-EXPECT warning 0 2\n" WARN_6_1 "MR-EXPECT-DONE\n"
		    "MR-EXPECT warning 1 1\n" WARN_6_1 "MR-EXPECT-DONE\n" PASS,
	      LC_PASS);
}

/* Each window's minimum must be reached inside it. */
static void test_done_checks_minimum(void **state)
{
	struct logcheck *lc = check(state,
				    BEGIN
				    "MR-EXPECT warning 1 1\n"
				    "MR-EXPECT-DONE\n"
				    "MR-EXPECT warning 0 1\n" WARN_6_1 PASS,
				    LC_FAIL);

	assert_nr_reasons(lc, 1);
	assert_reason(
		lc, "expected at least 1 warning before MR-EXPECT-DONE, saw 0");
}

/* An expected panic must be the one announced, by its message. */
static void test_panic_text(void **state)
{
	struct logcheck *lc;

	check(state,
	      BEGIN
	      "MR-EXPECT panic 1 1\nMR-EXPECT-PANIC Fatal exception\n" PANIC_6_1,
	      LC_PASS);
	lc = check(
		state,
		BEGIN
		"MR-EXPECT panic 1 1\nMR-EXPECT-PANIC hp_panic: x\n" PANIC_6_1,
		LC_FAIL);
	assert_reason(lc, "a panic saying something else: \"Kernel panic - "
			  "not syncing: Fatal exception\"");
	assert_reason(lc, "expected a panic saying \"hp_panic: x\", saw none");
	lc = check(state,
		   BEGIN "MR-EXPECT panic 1 1\nMR-EXPECT-PANIC hp_panic\n" PASS,
		   LC_FAIL);
	assert_reason(lc, "expected a panic saying \"hp_panic\", saw none");
}

/* An expected line must come after its marker; the marker is not it. */
static void test_expected_line(void **state)
{
	struct logcheck *lc;

	check(state,
	      BEGIN
	      "MR-EXPECT-LINE panic not contained: hardirq\n"
	      "[    1.000000] modrescue: panic not contained: hardirq\n" PASS,
	      LC_PASS);
	lc = check(state,
		   "modrescue: panic not contained: hardirq\n" BEGIN
		   "MR-EXPECT-LINE panic not contained: hardirq\n" PASS,
		   LC_FAIL);
	assert_nr_reasons(lc, 1);
	assert_reason(lc, "expected a line saying \"panic not contained: "
			  "hardirq\", saw none");
}

/* A skip is neither a pass nor a failure; a failure before it still is. */
static void test_skip(void **state)
{
	check(state, BEGIN "MR-SKIP: not on PREEMPT_RT\nMR-RESULT SKIP\n",
	      LC_SKIP);
	check(state, BEGIN "MR-FAIL: x\nMR-RESULT SKIP\n", LC_FAIL);
}

/* ---- bug ---- */

static void test_kernel_bug_is_one_bug(void **state)
{
	struct logcheck *lc = check(
		state, BOOT BEGIN "MR-EXPECT bug 1 1\n" KBUG_6_1 PASS, LC_PASS);

	assert_counts(lc, 0, 1, 0, 0);
}

static void test_kernel_bug_is_one_bug_6_12(void **state)
{
	struct logcheck *lc =
		check(state, BOOT BEGIN "MR-EXPECT bug 1 1\n" KBUG_6_12 PASS,
		      LC_PASS);

	assert_counts(lc, 0, 1, 0, 0);
}

static void test_kernel_bug_unexpected(void **state)
{
	struct logcheck *lc = check(state, BOOT BEGIN KBUG_6_1 PASS, LC_FAIL);

	assert_reason(lc, "unexpected bug: \"kernel BUG at "
			  "/lab/patients/mr_bug.c:14!\" (declared 0)");
	assert_nr_reasons(lc, 1);
}

/* An oops well after a "kernel BUG at" is an oops of its own. */
static void test_kernel_bug_then_later_oops(void **state)
{
	struct logcheck *lc =
		check(state,
		      BEGIN "MR-EXPECT bug 1 1\n"
			    "MR-EXPECT oops 1 1\n" KBUG_6_1
			    "ok: a\nok: b\nok: c\nok: d\n" OOPS_6_1 PASS,
		      LC_PASS);

	assert_counts(lc, 1, 1, 0, 0);
}

/* The window in which an oops header belongs to "kernel BUG at" is short. */
static void test_kernel_bug_window(void **state)
{
	struct logcheck *lc = check(state,
				    BEGIN "MR-EXPECT bug 1 1\n"
					  "kernel BUG at x.c:1!\n"
					  "1\n2\n3\n4\n5\n"
					  "Oops: 0000 [#1] SMP\n" PASS,
				    LC_FAIL);

	assert_counts(lc, 1, 1, 0, 0);
	lc = check(state,
		   BEGIN "MR-EXPECT bug 1 1\n"
			 "kernel BUG at x.c:1!\n"
			 "1\n2\n3\n4\n"
			 "Oops: 0000 [#1] SMP\n" PASS,
		   LC_PASS);
	assert_counts(lc, 0, 1, 0, 0);
}

static void test_other_bugs(void **state)
{
	struct logcheck *lc = check(
		state,
		BEGIN
		"MR-EXPECT bug 3 3\n"
		"[    5.000000] BUG: scheduling while atomic: insmod/73/0x00000002\n"
		"[    6.000000] BUG: sleeping function called from invalid "
		"context at kernel/locking/mutex.c:580\n"
		"[    7.000000] BUG: KASAN: slab-use-after-free in "
		"uaf_init+0x2c/0x1000 [mr_uaf]\n" PASS,
		LC_PASS);

	assert_counts(lc, 0, 3, 0, 0);
}

/* ---- lockups, hung tasks, stalls ---- */

static void test_soft_lockup(void **state)
{
	struct logcheck *lc = check(
		state, BEGIN "MR-EXPECT softlockup 1 1\n" SOFTLOCKUP_6_1 PASS,
		LC_PASS);

	assert_int_equal(lc_count(lc, LC_SOFTLOCKUP), 1);
	assert_counts(lc, 0, 0, 0, 0);
}

static void test_soft_lockup_unexpected(void **state)
{
	struct logcheck *lc = check(state, BEGIN SOFTLOCKUP_6_1 PASS, LC_FAIL);

	assert_reason(lc, "unexpected softlockup: \"watchdog: BUG: soft lockup"
			  " - CPU#0 stuck for 26s! [insmod:77]\" (declared 0)");
	assert_nr_reasons(lc, 1);
}

static void test_hard_lockup(void **state)
{
	struct logcheck *lc = check(
		state,
		BEGIN
		"MR-EXPECT hardlockup 1 1\n"
		"[   30.000000] watchdog: Watchdog detected hard LOCKUP on cpu 1\n" PASS,
		LC_PASS);

	assert_int_equal(lc_count(lc, LC_HARDLOCKUP), 1);
}

static void test_hung_task(void **state)
{
	struct logcheck *lc = check(
		state, BEGIN "MR-EXPECT hung 1 1\n" HUNG_6_1 PASS, LC_PASS);

	assert_int_equal(lc_count(lc, LC_HUNG), 1);
	lc = check(state, BEGIN HUNG_6_1 PASS, LC_FAIL);
	assert_reason(lc, "unexpected hung: \"INFO: task rmmod:90 blocked for "
			  "more than 120 seconds.\" (declared 0)");
}

static void test_rcu_stall(void **state)
{
	struct logcheck *lc = check(
		state,
		BEGIN
		"MR-EXPECT rcustall 2 2\n" RCU_SELF_6_1 RCU_OTHER_6_1 PASS,
		LC_PASS);

	assert_int_equal(lc_count(lc, LC_RCUSTALL), 2);
	lc = check(state, BEGIN RCU_SELF_6_1 PASS, LC_FAIL);
	assert_reason(lc, "unexpected rcustall: \"rcu: INFO: rcu_preempt "
			  "self-detected stall on CPU\" (declared 0)");
	assert_nr_reasons(lc, 1);
}

/* ---- warnings ---- */

static void test_warning(void **state)
{
	struct logcheck *lc = check(state, BEGIN WARN_6_1 PASS, LC_FAIL);

	assert_counts(lc, 0, 0, 1, 0);
	assert_nr_reasons(lc, 1);
}

static void test_lockdep_warning(void **state)
{
	struct logcheck *lc = check(
		state,
		BEGIN
		"MR-EXPECT warning 1 1\n"
		"[    8.000000] ======================================================\n"
		"[    8.000100] WARNING: possible circular locking dependency detected\n"
		"[    8.000200] 6.1.0-56-amd64 #1 Tainted: G           OE\n"
		"[    8.000300] ------------------------------------------------------\n" PASS,
		LC_PASS);

	assert_counts(lc, 0, 0, 1, 0);
}

static void test_not_a_warning(void **state)
{
	check(state,
	      "[    0.512345] Spectre V2 : WARNING: Unprivileged eBPF is enabled "
	      "with eIBRS on, data leaks possible via Spectre v2 BHB "
	      "attacks!\n" BEGIN PASS,
	      LC_PASS);
}

/* ---- panic ---- */

static void test_expected_panic_without_result(void **state)
{
	struct logcheck *lc = check(state,
				    BOOT BEGIN
				    "MR-EXPECT oops 1 1\n"
				    "MR-EXPECT panic 1 1\n" OOPS_6_1 PANIC_6_1,
				    LC_PASS);

	/* The "---[ end Kernel panic" line is not a second panic. */
	assert_counts(lc, 1, 0, 0, 1);
}

static void test_unexpected_panic(void **state)
{
	struct logcheck *lc = check(state,
				    BOOT BEGIN
				    "MR-EXPECT oops 1 1\n" OOPS_6_1 PANIC_6_1,
				    LC_FAIL);

	assert_reason(lc, "unexpected panic: \"Kernel panic - not syncing: "
			  "Fatal exception\" (declared 0)");
	assert_reason(lc,
		      "no result: the guest never finished (crash or timeout)");
	assert_nr_reasons(lc, 2);
}

static void test_expected_panic_never_came(void **state)
{
	struct logcheck *lc = check(
		state, BOOT BEGIN "MR-EXPECT panic 1 1\n" OOPS_6_1, LC_FAIL);

	assert_reason(lc,
		      "no result: the guest never finished (crash or timeout)");
	assert_reason(lc, "expected at least 1 panic, saw 0");
	assert_reason(lc,
		      "unexpected oops: \"" OOPS_6_1_HEADER "\" (declared 0)");
	assert_nr_reasons(lc, 3);
}

/* A panic's last words, declared before it with MR-EXPECT-LINE. */
static void test_expect_line(void **state)
{
	struct logcheck *lc = check(
		state,
		BOOT BEGIN "MR-EXPECT panic 1 1\n"
			   "MR-EXPECT-LINE panic not contained: in hardirq\n"
			   "[    5.1] modrescue: panic not contained: in "
			   "hardirq context\n" PANIC_6_1,
		LC_PASS);

	(void)lc;
	/* The panic's own message, expected: not a second panic. */
	lc = check(state,
		   BOOT BEGIN "MR-EXPECT panic 1 1\n"
			      "[    5.0] MR-EXPECT-LINE Kernel panic - not "
			      "syncing: Fatal exception\n" PANIC_6_1,
		   LC_PASS);
	assert_counts(lc, 0, 0, 0, 1);
	/* Not seen: the marker's own line does not count. */
	lc = check(state,
		   BOOT BEGIN "MR-EXPECT panic 1 1\n"
			      "MR-EXPECT-LINE panic not contained: in hardirq\n"
			      "[    5.1] modrescue: panic not contained: the "
			      "task holds rtnl_mutex\n" PANIC_6_1,
		   LC_FAIL);
	assert_reason(lc, "expected a line saying \"panic not contained: "
			  "in hardirq\", saw none");
	assert_nr_reasons(lc, 1);
	/* Only later lines count. */
	lc = check(state,
		   BOOT BEGIN "hello world\n"
			      "MR-EXPECT-LINE hello world\n" PASS,
		   LC_FAIL);
	assert_reason(lc, "expected a line saying \"hello world\", saw none");
}

/* ---- line handling ---- */

static void test_interleaved_with_timestamp(void **state)
{
	struct logcheck *lc = check(
		state,
		BEGIN "MR-EXPECT oops 1 1\n"
		      "ok: waiting for rmmod[   12.482297] Oops: 0002 [#1] "
		      "PREEMPT SMP NOPTI\n"
		      "MR-RESULT[   12.482728] CPU: 0 PID: 73 Comm: insmod\n"
		      " PASS\n"
		      "MR-RESULT PASS\n",
		LC_PASS);

	assert_counts(lc, 1, 0, 0, 0);

	/* The reason quotes the kernel's part of the line only. */
	lc = check(state,
		   BEGIN "ok: waiting for rmmod[   12.482297] " OOPS_6_1_HEADER
			 "\n" PASS,
		   LC_FAIL);
	assert_reason(lc,
		      "unexpected oops: \"" OOPS_6_1_HEADER "\" (declared 0)");
}

static void test_interleaved_without_timestamp(void **state)
{
	struct logcheck *lc = check(
		state,
		BEGIN
		"MR-EXPECT softlockup 1 1\n"
		"MR-NOTE: spinningwatchdog: BUG: soft lockup - CPU#1 stuck "
		"for 22s! [rmmod:90]\n"
		"ok: fooWARNING: CPU: 1 PID: 90 at kernel/module/main.c:"
		"812 __do_sys_delete_module+0x1e5/0x300\n"
		"[    5.100000] random: crng init doneMR-RESULT PASS\n",
		LC_FAIL);

	assert_int_equal(lc_count(lc, LC_SOFTLOCKUP), 1);
	assert_counts(lc, 0, 0, 1, 0);
	assert_nr_reasons(lc, 1);
}

/* A report and an MR-EXPECT glued on one line: printing order counts. */
static void test_same_line_order(void **state)
{
	struct logcheck *lc;

	check(state,
	      BEGIN
	      "MR-EXPECT warning 1 1[   15.200400] WARNING: CPU: 0 PID: 75 "
	      "at x.c:1 f+0x1/0x2\n" PASS,
	      LC_PASS);
	lc = check(state,
		   BEGIN "WARNING: CPU: 0 PID: 75 at x.c:1 f+0x1/0x2"
			 "MR-EXPECT warning 1 1\n" PASS,
		   LC_FAIL);
	assert_nr_reasons(lc, 1);
	/* No timestamp: the expectation was printed first, then the report. */
	lc = check(state,
		   BEGIN
		   "MR-EXPECT warning 1 1WARNING: CPU: 0 PID: 75 at x.c:1 "
		   "f+0x1/0x2\n" PASS,
		   LC_PASS);
	assert_counts(lc, 0, 0, 1, 0);
}

/* Only a real printk timestamp splits a line. */
static void test_not_a_timestamp(void **state)
{
	struct logcheck *lc = check(state,
				    BEGIN "MR-FAIL: got [1.5] want [ 2.000000 ]"
					  " not [3.1234567] [4.123456x]\n" PASS,
				    LC_FAIL);

	assert_reason(lc, "assertion failed: got [1.5] want [ 2.000000 ] not "
			  "[3.1234567] [4.123456x]");
	assert_nr_reasons(lc, 1);
}

static void test_caller_id_timestamp(void **state)
{
	struct logcheck *lc =
		check(state,
		      "[    1.000000][    T1] Run /init as init process\n" BEGIN
		      "[   12.482297][   T73] " OOPS_6_1_HEADER "\n" PASS,
		      LC_FAIL);

	assert_reason(lc,
		      "unexpected oops: \"" OOPS_6_1_HEADER "\" (declared 0)");
}

static void test_bad_expectation(void **state)
{
	struct logcheck *lc = check(state,
				    BEGIN
				    "MR-EXPECT frobnicate 1 1\n"
				    "MR-EXPECT oops 2 1\n"
				    "MR-EXPECT oops\n"
				    "MR-EXPECT bug -1 1\n"
				    "MR-EXPECT Oops 1 1\n"
				    "MR-EXPECT warning 99999999999 1\n" PASS,
				    LC_FAIL);

	assert_reason(lc, "bad expectation: \"MR-EXPECT frobnicate 1 1\"");
	assert_reason(lc, "bad expectation: \"MR-EXPECT oops 2 1\"");
	assert_reason(lc, "bad expectation: \"MR-EXPECT oops\"");
	assert_reason(lc, "bad expectation: \"MR-EXPECT bug -1 1\"");
	assert_reason(lc, "bad expectation: \"MR-EXPECT Oops 1 1\"");
	assert_nr_reasons(lc, 6);
	assert_int_equal(lc_max(lc, LC_OOPS), 0);
}

static void test_crlf(void **state)
{
	struct logcheck *lc = check(
		state,
		"[    1.234567] Run /init as init process\r\n"
		"MR-BEGIN crlf 6.1.0-56-amd64\r\n"
		"MR-EXPECT oops 1 1\r\n"
		"[   12.482297] Oops: 0002 [#1] PREEMPT SMP NOPTI\r\n"
		"MR-FAIL: state: expected 'live', got 'coming'\r\r\n"
		"MR-BASELINE patient=mr_oops|rmmod=EBUSY|rmmod -f=EBUSY\r\n"
		"MR-RESULT PASS\r\n",
		LC_FAIL);

	assert_reason(lc, "assertion failed: state: expected 'live', got "
			  "'coming'");
	assert_nr_reasons(lc, 1);
	assert_counts(lc, 1, 0, 0, 0);
	assert_string_equal(lc_baseline(lc, 0),
			    "patient=mr_oops|rmmod=EBUSY|rmmod -f=EBUSY");
}

static void test_baseline(void **state)
{
	struct logcheck *lc = check(
		state,
		BOOT BEGIN "rmmod mr_busy: refused: in use\n"
			   "MR-BASELINE patient=mr_busy|rmmod=refused: in use|"
			   "rmmod -f=unloaded\n"
			   "MR-NOTE: not a baseline\n"
			   "MR-BASELINE patient=mr_hang|rmmod=hangs (D state)|"
			   "rmmod -f=hangs (D state)  \n" PASS,
		LC_PASS);

	assert_int_equal(lc_nr_baselines(lc), 2);
	assert_string_equal(lc_baseline(lc, 0),
			    "patient=mr_busy|rmmod=refused: in use|"
			    "rmmod -f=unloaded");
	assert_string_equal(lc_baseline(lc, 1),
			    "patient=mr_hang|rmmod=hangs (D state)|"
			    "rmmod -f=hangs (D state)");
	assert_null(lc_baseline(lc, 2));
}

static void test_long_line_quote(void **state)
{
	char log[1024];
	const char *r;
	struct logcheck *lc;

	snprintf(log, sizeof(log),
		 BEGIN "[    9.000000] WARNING: CPU: 0 PID: 1 "
		       "at %0400d\n" PASS,
		 0);
	lc = check(state, log, LC_FAIL);
	r = lc_reason(lc, 0);
	assert_non_null(r);
	assert_true(strlen(r) < 300);
	assert_non_null(strstr(r, "...\" (declared 0)"));
}

static void test_feed_file(void **state)
{
	/* A NUL byte from the serial line, and no final newline. */
	static const char log[] =
		"MR-BEGIN f\n\0\0garbage\nMR-EXPECT bug 1 1\n"
		"[    5.000000] BUG: scheduling while atomic: "
		"insmod/73/0x00000002\n\0MR-RESULT PASS";
	struct logcheck *lc = lc_new();
	FILE *fp;

	assert_non_null(lc);
	*state = lc;
	fp = fmemopen((void *)log, sizeof(log) - 1, "r");
	assert_non_null(fp);
	assert_int_equal(lc_feed_file(lc, fp), 0);
	fclose(fp);
	assert_int_equal(lc_finish(lc), LC_PASS);
	assert_int_equal(lc_count(lc, LC_BUG), 1);
}

static void test_finish_is_final(void **state)
{
	struct logcheck *lc = check(state, BEGIN PASS, LC_PASS);

	lc_feed_text(lc, "MR-FAIL: late\n", 14);
	assert_int_equal(lc_finish(lc), LC_PASS);
	assert_nr_reasons(lc, 0);
}

/* ---- classification of single lines ---- */

static void test_classify(void **state)
{
	static const struct {
		const char *line;
		enum lc_kind kind;
	} cases[] = {
		{ "Oops: 0002 [#1] PREEMPT SMP NOPTI", LC_OOPS },
		{ "Oops: Oops: 0002 [#1] PREEMPT SMP NOPTI", LC_OOPS },
		{ "invalid opcode: 0000 [#1] PREEMPT SMP NOPTI", LC_OOPS },
		{ "double fault: 0000 [#1] PREEMPT SMP NOPTI", LC_OOPS },
		{ "stack segment: 0000 [#1] PREEMPT SMP NOPTI", LC_OOPS },
		{ "divide error: 0000 [#2] PREEMPT SMP NOPTI", LC_OOPS },
		{ "Internal error: Oops: 0000000096000005 [#1] PREEMPT SMP",
		  LC_OOPS },
		{ "Internal error: Oops - BUG: 00000000f2000800 [#1] PREEMPT SMP",
		  LC_OOPS },
		{ "BUG: kernel NULL pointer dereference, address: 0000000000000008",
		  LC_NONE },
		{ "BUG: unable to handle page fault for address: ffffffffc0142000",
		  LC_NONE },
		{ "BUG: unable to handle kernel paging request at ffffffffc0142000",
		  LC_NONE },
		{ "#PF: supervisor read access in kernel mode", LC_NONE },
		{ "kernel BUG at mm/slub.c:432!", LC_BUG },
		{ "Kernel BUG at 0xffffffffc0140005 [verbose debug info "
		  "unavailable]",
		  LC_BUG },
		{ "BUG: workqueue lockup - pool cpus=0 node=0 flags=0x0 nice=0 "
		  "stuck for 31s!",
		  LC_BUG },
		{ "BUG: soft lockup - CPU#0 stuck for 22s! [insmod:73]",
		  LC_SOFTLOCKUP },
		{ "Kernel panic - not syncing: softlockup: hung tasks",
		  LC_PANIC },
		{ "NMI watchdog: Watchdog detected hard LOCKUP on cpu 0",
		  LC_HARDLOCKUP },
		{ "Kernel panic - not syncing: Hard LOCKUP", LC_PANIC },
		{ "INFO: task insmod:73 blocked for more than 122 seconds.",
		  LC_HUNG },
		{ "INFO: task insmod:73 is blocked on a mutex likely owned by "
		  "task rmmod:80.",
		  LC_NONE },
		{ "INFO: rcu_sched self-detected stall on CPU", LC_RCUSTALL },
		{ "rcu: INFO: rcu_sched detected expedited stalls on CPUs/tasks: "
		  "{ 1-... } 21002 jiffies s: 1393 root: 0x2/.",
		  LC_RCUSTALL },
		{ "rcu: INFO: Stall ended before state dump start", LC_NONE },
		{ "\t(detected by 0, t=21002 jiffies, g=1493, q=30 ncpus=2)",
		  LC_NONE },
		{ "WARNING: CPU: 1 PID: 73 at lib/refcount.c:28 "
		  "refcount_warn_saturate+0xba/0x110",
		  LC_WARNING },
		{ "WARNING: suspicious RCU usage", LC_WARNING },
		{ "Spectre V2 : WARNING: Unprivileged eBPF is enabled with eIBRS "
		  "on, data leaks possible via Spectre v2 BHB attacks!",
		  LC_NONE },
		{ "---[ end Kernel panic - not syncing: Fatal exception ]---",
		  LC_NONE },
		{ "---[ end trace 0000000000000000 ]---", LC_NONE },
		{ "CPU: 0 PID: 73 Comm: insmod Tainted: G      D    OE",
		  LC_NONE },
		{ "Modules linked in: mr_oops(OE+) [last unloaded: mr_x]",
		  LC_NONE },
		{ "ok: mr_oops state = coming", LC_NONE },
		{ "rmmod mr_oops: killed (oops)", LC_NONE },
		{ "", LC_NONE },
	};
	const char *at;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum lc_kind kind = lc_classify(cases[i].line, &at);

		if (kind != cases[i].kind)
			print_message("line: %s\n", cases[i].line);
		assert_int_equal(kind, cases[i].kind);
		if (kind == LC_NONE)
			assert_null(at);
		else
			assert_non_null(at);
	}
}

static void test_kind_names(void **state)
{
	int k;

	(void)state;
	for (k = 0; k < LC_NR_KINDS; k++) {
		const char *name = lc_kind_name((enum lc_kind)k);

		assert_non_null(name);
		assert_int_equal(lc_kind_parse(name, strlen(name)), k);
	}
	assert_null(lc_kind_name(LC_NONE));
	assert_null(lc_kind_name(LC_NR_KINDS));
	assert_int_equal(lc_kind_parse("oopsy", 5), LC_NONE);
	assert_int_equal(lc_kind_parse("oops", 3), LC_NONE);
}

/* Every tests/unit/fixtures/NAME.pass.log passes, NAME.fail.log fails. */
static void test_fixture_files(void **state)
{
	DIR *dir = opendir(FIXTURES_DIR);
	const struct dirent *de;
	int seen = 0;

	(void)state;
	assert_non_null(dir);
	while ((de = readdir(dir)) != NULL) {
		size_t n = strlen(de->d_name);
		struct logcheck *lc;
		char path[4096];
		int want, verdict;
		FILE *fp;

		if (n > 9 && !strcmp(de->d_name + n - 9, ".pass.log"))
			want = LC_PASS;
		else if (n > 9 && !strcmp(de->d_name + n - 9, ".fail.log"))
			want = LC_FAIL;
		else
			continue;
		snprintf(path, sizeof(path), "%s/%s", FIXTURES_DIR, de->d_name);
		fp = fopen(path, "r");
		assert_non_null(fp);
		lc = lc_new();
		assert_non_null(lc);
		assert_int_equal(lc_feed_file(lc, fp), 0);
		fclose(fp);
		verdict = lc_finish(lc);
		if (verdict != want) {
			print_message("fixture %s\n", path);
			dump(lc);
		}
		lc_free(lc);
		assert_int_equal(verdict, want);
		seen++;
	}
	closedir(dir);
	assert_true(seen >= 4);
}

#define T(fn) cmocka_unit_test_teardown(fn, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_clean_pass),
		T(test_mr_fail),
		T(test_missing_result),
		T(test_never_started),
		T(test_empty_log),
		T(test_started_twice),
		T(test_bad_result),
		T(test_unexpected_oops),
		T(test_expected_oops),
		T(test_done_withdraws_unused),
		T(test_done_keeps_used),
		T(test_done_checks_minimum),
		T(test_skip),
		T(test_panic_text),
		T(test_expected_line),
		T(test_expectation_after_oops),
		T(test_gpf_6_1),
		T(test_stack_guard_6_1),
		T(test_min_not_reached),
		T(test_over_max),
		T(test_range_and_sum),
		T(test_kernel_bug_is_one_bug),
		T(test_kernel_bug_is_one_bug_6_12),
		T(test_kernel_bug_unexpected),
		T(test_kernel_bug_then_later_oops),
		T(test_kernel_bug_window),
		T(test_other_bugs),
		T(test_soft_lockup),
		T(test_soft_lockup_unexpected),
		T(test_hard_lockup),
		T(test_hung_task),
		T(test_rcu_stall),
		T(test_warning),
		T(test_lockdep_warning),
		T(test_not_a_warning),
		T(test_expected_panic_without_result),
		T(test_unexpected_panic),
		T(test_expected_panic_never_came),
		T(test_expect_line),
		T(test_interleaved_with_timestamp),
		T(test_interleaved_without_timestamp),
		T(test_same_line_order),
		T(test_not_a_timestamp),
		T(test_caller_id_timestamp),
		T(test_bad_expectation),
		T(test_crlf),
		T(test_baseline),
		T(test_long_line_quote),
		T(test_feed_file),
		T(test_finish_is_final),
		T(test_classify),
		T(test_kind_names),
		T(test_fixture_files),
	};

	return cmocka_run_group_tests_name("logcheck", tests, NULL, NULL);
}
