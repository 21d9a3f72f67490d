// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for cli/lib/diagnosis/procparse.c: the parsers of /proc/modules lines,
 * /proc/PID/{syscall,stat,stack}, /proc/uptime and .ko paths, on real
 * samples and on garbage.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "procparse.h"

static void procmod_live_with_holders(void **state)
{
	struct mr_procmod pm;

	(void)state;
	assert_int_equal(
		mr_parse_procmod_line(
			"hp_dep_a 16384 1 hp_dep_b, Live 0xffffffffc0a00000 (OE)",
			&pm),
		0);
	assert_string_equal(pm.name, "hp_dep_a");
	assert_true(pm.refcnt_known);
	assert_int_equal(pm.refcnt, 1);
	assert_true(pm.users_known);
	assert_int_equal(pm.n_users, 1);
	assert_string_equal(pm.users[0], "hp_dep_b");
	assert_false(pm.permanent);
	assert_int_equal(pm.state, MR_STATE_LIVE);
	mr_procmod_free(&pm);
}

static void procmod_permanent_and_states(void **state)
{
	struct mr_procmod pm;

	(void)state;
	assert_int_equal(
		mr_parse_procmod_line(
			"hp_noexit 12288 0 [permanent], Live 0x0000000000000000 (OE)",
			&pm),
		0);
	assert_true(pm.permanent);
	assert_int_equal(pm.n_users, 0);
	mr_procmod_free(&pm);

	assert_int_equal(mr_parse_procmod_line(
				 "a 1 2 b,c,[permanent], Loading 0x0", &pm),
			 0);
	assert_true(pm.permanent);
	assert_int_equal(pm.n_users, 2);
	assert_string_equal(pm.users[1], "c");
	assert_int_equal(pm.state, MR_STATE_COMING);
	mr_procmod_free(&pm);

	assert_int_equal(mr_parse_procmod_line("x 1 -1 - Unloading 0x0", &pm),
			 0);
	assert_int_equal(pm.refcnt, -1);
	assert_int_equal(pm.state, MR_STATE_GOING);
	assert_false(pm.permanent);
	assert_int_equal(pm.n_users, 0);
	mr_procmod_free(&pm);
}

static void procmod_truncated_and_garbage(void **state)
{
	struct mr_procmod pm;

	(void)state;
	assert_int_equal(mr_parse_procmod_line("", &pm), -EINVAL);
	assert_int_equal(mr_parse_procmod_line("   \t ", &pm), -EINVAL);

	/* Name only. */
	assert_int_equal(mr_parse_procmod_line("lonely", &pm), 0);
	assert_string_equal(pm.name, "lonely");
	assert_false(pm.refcnt_known);
	assert_false(pm.users_known);
	assert_int_equal(pm.state, MR_STATE_UNKNOWN);
	mr_procmod_free(&pm);

	/* Cut in the refcount column, and a garbled refcount. */
	assert_int_equal(mr_parse_procmod_line("m 16384", &pm), 0);
	assert_false(pm.refcnt_known);
	mr_procmod_free(&pm);
	assert_int_equal(mr_parse_procmod_line("m 16384 1x - Live", &pm), 0);
	assert_false(pm.refcnt_known);
	assert_int_equal(pm.state, MR_STATE_LIVE);
	mr_procmod_free(&pm);
	assert_int_equal(mr_parse_procmod_line(
				 "m 1 99999999999999999999999 - Live", &pm),
			 0);
	assert_false(pm.refcnt_known);
	mr_procmod_free(&pm);

	/* Unknown state word; empty holder entries. */
	assert_int_equal(mr_parse_procmod_line("m 1 0 ,,a,, Zombie", &pm), 0);
	assert_int_equal(pm.state, MR_STATE_UNKNOWN);
	assert_int_equal(pm.n_users, 1);
	assert_string_equal(pm.users[0], "a");
	mr_procmod_free(&pm);
}

static void modname_safety(void **state)
{
	char longname[MR_MODNAME_LEN + 1];

	(void)state;
	assert_true(mr_modname_is_safe("hp_refleak"));
	assert_true(mr_modname_is_safe("x"));
	assert_false(mr_modname_is_safe(""));
	assert_false(mr_modname_is_safe(NULL));
	assert_false(mr_modname_is_safe("."));
	assert_false(mr_modname_is_safe(".."));
	assert_false(mr_modname_is_safe("../../etc"));
	assert_false(mr_modname_is_safe("a/b"));
	assert_false(mr_modname_is_safe("a\nb"));
	assert_false(mr_modname_is_safe("a b"));
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_false(mr_modname_is_safe(longname));
	longname[MR_MODNAME_LEN - 1] = '\0';
	assert_true(mr_modname_is_safe(longname));
}

static void syscall_lines(void **state)
{
	unsigned long args[6];
	long nr;

	(void)state;
	assert_int_equal(
		mr_parse_syscall(
			"176 0x55d0c8a5b2a8 0x800 0x0 0x0 0x7f 0x1 0x7ffd1000 0x7f22\n",
			&nr, args),
		6);
	assert_int_equal(nr, 176);
	assert_int_equal(args[0], 0x55d0c8a5b2a8UL);
	assert_int_equal(args[1], 0x800);

	assert_int_equal(mr_parse_syscall("313 0x3 0x5612 0x0", &nr, args), 3);
	assert_int_equal(nr, 313);
	assert_int_equal(args[0], 3);
	assert_int_equal(args[5], 0);

	assert_int_equal(mr_parse_syscall("-1 0x7ffd 0x7f22\n", &nr, args), 0);
	assert_int_equal(nr, MR_SYSCALL_NONE);
	assert_int_equal(mr_parse_syscall("running\n", &nr, args), 0);
	assert_int_equal(nr, MR_SYSCALL_UNKNOWN);
	assert_int_equal(mr_parse_syscall("", &nr, args), 0);
	assert_int_equal(nr, MR_SYSCALL_UNKNOWN);
	assert_int_equal(mr_parse_syscall("17x6 0x1", &nr, args), 0);
	assert_int_equal(nr, MR_SYSCALL_UNKNOWN);
	assert_int_equal(
		mr_parse_syscall("99999999999999999999999 0x1", &nr, args), 0);
	assert_int_equal(nr, MR_SYSCALL_UNKNOWN);
	/* A number with garbage arguments: the number stands. */
	assert_int_equal(mr_parse_syscall("176 zz 0x1", &nr, args), 0);
	assert_int_equal(nr, 176);
	assert_int_equal(args[0], 0);
	assert_int_equal(mr_parse_syscall("176 0x", &nr, args), 0);
}

static void stat_lines(void **state)
{
	unsigned long long start;
	char st, comm[16];

	(void)state;
	assert_int_equal(
		mr_parse_stat(
			"93 (rmmod) D 1 93 1 0 -1 4194560 95 0 0 0 0 0 0 0 20 0 1 0 4242 2469888 164 18446744073709551615",
			&st, &start, comm, sizeof(comm)),
		0);
	assert_int_equal(st, 'D');
	assert_int_equal(start, 4242);
	assert_string_equal(comm, "rmmod");

	/* A comm with blanks and parentheses. */
	assert_int_equal(
		mr_parse_stat(
			"7 (a) b (c)) S 1 7 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 77 0 0",
			&st, &start, comm, sizeof(comm)),
		0);
	assert_int_equal(st, 'S');
	assert_int_equal(start, 77);
	assert_string_equal(comm, "a) b (c)");

	/* Truncated before starttime, no parentheses, empty. */
	assert_int_equal(mr_parse_stat("93 (rmmod) D 1 93", &st, &start, comm,
				       sizeof(comm)),
			 -EINVAL);
	assert_int_equal(st, 'D');
	assert_int_equal(mr_parse_stat("93 rmmod D", &st, &start, comm,
				       sizeof(comm)),
			 -EINVAL);
	assert_int_equal(st, '?');
	assert_int_equal(mr_parse_stat("", &st, &start, comm, sizeof(comm)),
			 -EINVAL);
	assert_int_equal(mr_parse_stat("1 (x)", &st, &start, comm,
				       sizeof(comm)),
			 -EINVAL);
	/* A long comm is cut to the buffer. */
	assert_int_equal(mr_parse_stat("1 (abcdefghijklmnopqrstuvwxyz) S", &st,
				       &start, comm, sizeof(comm)),
			 -EINVAL);
	assert_string_equal(comm, "abcdefghijklmno");
}

static void uptime_text(void **state)
{
	double up = 0;

	(void)state;
	assert_int_equal(mr_parse_uptime("123.45 678.90\n", &up), 0);
	assert_true(up > 123.4 && up < 123.5);
	assert_int_equal(mr_parse_uptime("", &up), -EINVAL);
	assert_int_equal(mr_parse_uptime("abc", &up), -EINVAL);
	assert_int_equal(mr_parse_uptime("-5", &up), -EINVAL);
}

static void stack_text(void **state)
{
	char **frames;
	int n;

	(void)state;
	n = mr_parse_stack(
		"[<0>] __wait_for_common+0x8c/0x150\n"
		"[<0>] hp_exit+0x12/0x30 [hp_heapwait]\n"
		"[<ffffffff81234567>] __do_sys_delete_module.constprop.0+0x178/0x250\n"
		"\n"
		"no prefix here\n"
		"[<0>] cut without newline",
		&frames);
	assert_int_equal(n, 5);
	assert_string_equal(frames[0], "__wait_for_common+0x8c/0x150");
	assert_string_equal(frames[1], "hp_exit+0x12/0x30 [hp_heapwait]");
	assert_string_equal(frames[2],
			    "__do_sys_delete_module.constprop.0+0x178/0x250");
	assert_string_equal(frames[3], "no prefix here");
	assert_string_equal(frames[4], "cut without newline");
	mr_strv_free(frames, (size_t)n);

	assert_int_equal(mr_parse_stack("", &frames), 0);
	assert_null(frames);
	assert_int_equal(mr_parse_stack("\n\n[<0>] \n", &frames), 0);
	assert_null(frames);
	/* An unterminated "[<" prefix is kept as text. */
	assert_int_equal(mr_parse_stack("[<0 broken", &frames), 1);
	assert_string_equal(frames[0], "[<0 broken");
	mr_strv_free(frames, 1);
}

static void ko_paths(void **state)
{
	char buf[MR_MODNAME_LEN];

	(void)state;
	assert_true(mr_modname_from_path("/lab/patients/hp_initblock.ko", buf,
					 sizeof(buf)));
	assert_string_equal(buf, "hp_initblock");
	assert_true(mr_modname_from_path(
		"/lib/modules/6.12/kernel/x/snd-hda-intel.ko.xz", buf,
		sizeof(buf)));
	assert_string_equal(buf, "snd_hda_intel");
	assert_true(mr_modname_from_path("a.ko.zst", buf, sizeof(buf)));
	assert_string_equal(buf, "a");
	assert_true(mr_modname_from_path("/tmp/b.ko.gz (deleted)", buf,
					 sizeof(buf)));
	assert_string_equal(buf, "b");
	assert_false(mr_modname_from_path("/dev/null", buf, sizeof(buf)));
	assert_false(mr_modname_from_path("/x/.ko", buf, sizeof(buf)));
	assert_false(mr_modname_from_path("", buf, sizeof(buf)));
	assert_false(mr_modname_from_path("/x/abc.ko", buf, 3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(procmod_live_with_holders),
		cmocka_unit_test(procmod_permanent_and_states),
		cmocka_unit_test(procmod_truncated_and_garbage),
		cmocka_unit_test(modname_safety),
		cmocka_unit_test(syscall_lines),
		cmocka_unit_test(stat_lines),
		cmocka_unit_test(uptime_text),
		cmocka_unit_test(stack_text),
		cmocka_unit_test(ko_paths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
