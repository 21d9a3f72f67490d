// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for cli/lib/diagnosis/verdict.c: verdict names and precedence over every
 * combination of facts, task attribution (op, in_code, stuck), and frame
 * parsing. Pure: no I/O.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diag.h"

static void names_are_exact(void **state)
{
	(void)state;
	assert_string_equal(mr_verdict_name(MR_VERDICT_BLOCKED), "blocked");
	assert_string_equal(mr_verdict_name(MR_VERDICT_QUARANTINED),
			    "quarantined");
	assert_string_equal(mr_verdict_name(MR_VERDICT_GOING), "going");
	assert_string_equal(mr_verdict_name(MR_VERDICT_COMING), "coming");
	assert_string_equal(mr_verdict_name(MR_VERDICT_HAS_HOLDERS),
			    "has-holders");
	assert_string_equal(mr_verdict_name(MR_VERDICT_IN_USE), "in-use");
	assert_string_equal(mr_verdict_name(MR_VERDICT_NO_EXIT), "no-exit");
	assert_string_equal(mr_verdict_name(MR_VERDICT_UNLOADABLE),
			    "unloadable");
	assert_string_equal(mr_verdict_name(MR_VERDICT_COUNT), "unknown");
	assert_string_equal(mr_verdict_name((enum mr_verdict) - 1), "unknown");
	assert_string_equal(mr_state_name(MR_STATE_LIVE), "live");
	assert_string_equal(mr_state_name(MR_STATE_COMING), "coming");
	assert_string_equal(mr_state_name(MR_STATE_GOING), "going");
	assert_string_equal(mr_state_name(MR_STATE_UNKNOWN), "unknown");
	assert_string_equal(mr_op_name(MR_OP_LOAD), "load");
	assert_string_equal(mr_op_name(MR_OP_UNLOAD), "unload");
	assert_string_equal(mr_op_name(MR_OP_OTHER), "other");
}

/*
 * Cases written out by hand, each with the verdict an admin must see and
 * why (not a second implementation of the rules: a row is a fact about one
 * module, checked on its own).
 * Columns: state, refcount (-2: unknown), holders, has exit (-1: unknown),
 * quarantined, task (0 none, 1 running in it, 2 stuck in it), verdict.
 */
struct verdict_case {
	enum mr_state state;
	long refcnt;
	unsigned int holders;
	int has_exit;
	bool quarantined;
	int task;
	enum mr_verdict want;
};

static const struct verdict_case verdict_cases[] = {
	/* A plain unused module with an exit: rmmod works. */
	{ MR_STATE_LIVE, 0, 0, 1, false, 0, MR_VERDICT_UNLOADABLE },
	/* Refcount unknown (no /sys/module/X/refcnt): nothing says in use. */
	{ MR_STATE_LIVE, -2, 0, 1, false, 0, MR_VERDICT_UNLOADABLE },
	/* Exit unknown: not claimed missing. */
	{ MR_STATE_LIVE, 0, 0, -1, false, 0, MR_VERDICT_UNLOADABLE },
	/* A reference: rmmod says "in use". */
	{ MR_STATE_LIVE, 1, 0, 1, false, 0, MR_VERDICT_IN_USE },
	{ MR_STATE_LIVE, 3, 0, 0, false, 0, MR_VERDICT_IN_USE },
	/* -1 is a GOING module's refcount, not a user. */
	{ MR_STATE_LIVE, -1, 0, 1, false, 0, MR_VERDICT_UNLOADABLE },
	/* No exit, unused: the kernel refuses without -f. */
	{ MR_STATE_LIVE, 0, 0, 0, false, 0, MR_VERDICT_NO_EXIT },
	/* Another module depends on it: first, before its refcount. */
	{ MR_STATE_LIVE, 1, 1, 1, false, 0, MR_VERDICT_HAS_HOLDERS },
	{ MR_STATE_LIVE, 0, 1, 0, false, 0, MR_VERDICT_HAS_HOLDERS },
	/* A running task is not a stuck one. */
	{ MR_STATE_LIVE, 0, 0, 1, false, 1, MR_VERDICT_UNLOADABLE },
	/* A crashed init: COMING, whatever its refcount or holders. */
	{ MR_STATE_COMING, 1, 0, 1, false, 0, MR_VERDICT_COMING },
	{ MR_STATE_COMING, 0, 1, 0, false, 1, MR_VERDICT_COMING },
	/* A crashed exit: GOING beats COMING's rules and users. */
	{ MR_STATE_GOING, -1, 0, 1, false, 0, MR_VERDICT_GOING },
	{ MR_STATE_GOING, 2, 1, 0, false, 1, MR_VERDICT_GOING },
	/* A task stuck in it: blocked, in any state. */
	{ MR_STATE_GOING, -1, 0, 1, false, 2, MR_VERDICT_BLOCKED },
	{ MR_STATE_COMING, 0, 0, 1, false, 2, MR_VERDICT_BLOCKED },
	{ MR_STATE_LIVE, 1, 1, 1, false, 2, MR_VERDICT_BLOCKED },
	/* A quarantined copy is that first, even with a task stuck in it. */
	{ MR_STATE_GOING, -1, 0, 1, true, 2, MR_VERDICT_QUARANTINED },
	{ MR_STATE_LIVE, 0, 0, 1, true, 0, MR_VERDICT_QUARANTINED },
	/* An unknown state changes nothing by itself. */
	{ MR_STATE_UNKNOWN, 0, 0, 1, false, 0, MR_VERDICT_UNLOADABLE },
};

static void verdict_table(void **state)
{
	char *holder = "hp_dep_b";
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(verdict_cases) / sizeof(verdict_cases[0]); i++) {
		const struct verdict_case *c = &verdict_cases[i];
		struct mr_task_ref ref = { 0 };
		struct mr_module m = { 0 };

		m.state = c->state;
		m.refcnt_known = c->refcnt != -2;
		m.refcnt = m.refcnt_known ? c->refcnt : 0;
		m.n_holders = c->holders;
		m.holders = c->holders ? &holder : NULL;
		m.has_exit_known = c->has_exit >= 0;
		m.has_exit = c->has_exit == 1;
		m.quarantined = c->quarantined;
		ref.stuck = c->task == 2;
		m.tasks = c->task ? &ref : NULL;
		m.n_tasks = c->task ? 1 : 0;
		if (mr_verdict_of(&m) != c->want)
			print_error("case %zu: got %s, want %s\n", i,
				    mr_verdict_name(mr_verdict_of(&m)),
				    mr_verdict_name(c->want));
		assert_int_equal(mr_verdict_of(&m), c->want);
	}
}

/* The precedence, pairwise: each verdict beats every later one. */
static void precedence_pairwise(void **state)
{
	char *holder = "x";
	struct mr_task_ref stuck = { .stuck = true };
	struct mr_module m;

	(void)state;
	/* All conditions at once: quarantined wins, then blocked. */
	memset(&m, 0, sizeof(m));
	m.state = MR_STATE_GOING;
	m.refcnt_known = true;
	m.refcnt = 2;
	m.holders = &holder;
	m.n_holders = 1;
	m.has_exit_known = true;
	m.has_exit = false;
	m.quarantined = true;
	m.tasks = &stuck;
	m.n_tasks = 1;
	assert_int_equal(mr_verdict_of(&m), MR_VERDICT_QUARANTINED);
	m.quarantined = false;
	assert_int_equal(mr_verdict_of(&m), MR_VERDICT_BLOCKED);
	m.n_tasks = 0;
	assert_int_equal(mr_verdict_of(&m), MR_VERDICT_GOING);
	m.state = MR_STATE_COMING;
	assert_int_equal(mr_verdict_of(&m), MR_VERDICT_COMING);
	m.state = MR_STATE_LIVE;
	assert_int_equal(mr_verdict_of(&m), MR_VERDICT_HAS_HOLDERS);
	m.n_holders = 0;
	assert_int_equal(mr_verdict_of(&m), MR_VERDICT_IN_USE);
	m.refcnt = 0;
	assert_int_equal(mr_verdict_of(&m), MR_VERDICT_NO_EXIT);
	m.has_exit = true;
	assert_int_equal(mr_verdict_of(&m), MR_VERDICT_UNLOADABLE);
	/* A task that is not stuck does not block. */
	stuck.stuck = false;
	m.n_tasks = 1;
	assert_int_equal(mr_verdict_of(&m), MR_VERDICT_UNLOADABLE);
}

static void frames(void **state)
{
	char buf[MR_MODNAME_LEN];

	(void)state;
	assert_true(mr_frame_module("hp_exit+0x12/0x30 [hp_heapwait]", buf,
				    sizeof(buf)));
	assert_string_equal(buf, "hp_heapwait");
	assert_true(mr_frame_module("f+0x1/0x2 [mod 0123456789abcdef]", buf,
				    sizeof(buf)));
	assert_string_equal(buf, "mod");
	assert_false(mr_frame_module("__do_sys_delete_module+0x1b9/0x330", buf,
				     sizeof(buf)));
	assert_string_equal(buf, "");
	assert_false(mr_frame_module("[x]", buf, sizeof(buf)));
	assert_false(mr_frame_module("f []", buf, sizeof(buf)));
	assert_false(mr_frame_module("f [", buf, sizeof(buf)));
	assert_false(mr_frame_module("", buf, sizeof(buf)));
	assert_false(mr_frame_module("f [abc]", buf, 3));

	mr_frame_func("hp_exit+0x12/0x30 [hp_heapwait]", buf, sizeof(buf));
	assert_string_equal(buf, "hp_exit");
	mr_frame_func("__do_sys_delete_module.constprop.0+0x178/0x250", buf,
		      sizeof(buf));
	assert_string_equal(buf, "__do_sys_delete_module");
	mr_frame_func("hp_spinoops_thread.cold+0x13/0x1e [hp_spinoops]", buf,
		      sizeof(buf));
	assert_string_equal(buf, "hp_spinoops_thread");
	mr_frame_func("0xffffffffc0123456", buf, sizeof(buf));
	assert_string_equal(buf, "0xffffffffc0123456");
	mr_frame_func("averyveryverylongname+0x1", buf, 5);
	assert_string_equal(buf, "aver");
	mr_frame_func("", buf, sizeof(buf));
	assert_string_equal(buf, "");
}

static char *exit_stack[] = {
	"hp_exitwait_exit+0x18/0x1000 [hp_exitwait]",
	"__do_sys_delete_module+0x1b9/0x330",
	"do_syscall_64+0x5d/0xb0",
};
static char *init_stack[] = {
	"hp_initblock_init+0x26/0x1000 [hp_initblock]",
	"do_one_initcall+0x59/0x220",
	"do_init_module+0x4a/0x1f0",
	"__do_sys_finit_module+0xac/0x120",
};
/* Module a's exit calls into module b, which blocks. */
static char *nested_stack[] = {
	"b_wait+0x1/0x2 [b]",
	"a_exit+0x1/0x2 [a]",
	"__do_sys_delete_module+0x1b9/0x330",
};
/* An rmmod stuck in hp_x's exit after the module was quarantined. */
static char *quarantined_stack[] = {
	"hp_x_exit+0x18/0x1000 [hp_x.q1]",
	"__do_sys_delete_module+0x1b9/0x330",
};
static char *kthread_stack[] = {
	"hp_mutexwait_thread+0x29/0x45 [hp_mutexwait]",
	"kthread+0xda/0x100",
};
static char *core_stack[] = { "load_module+0x8d4/0x21a0",
			      "__do_sys_finit_module+0xac/0x120" };

static struct mr_task task(long nr, char **stack, size_t n, char *target)
{
	struct mr_task t = { .pid = 93, .state = 'D', .syscall = nr };

	t.stack = stack;
	t.n_stack = n;
	t.stack_known = true;
	t.target = target;
	t.age_s = -1;
	return t;
}

static void relation(const struct mr_task *t, const char *mod, enum mr_state st,
		     bool related, enum mr_op op, bool in_code, bool stuck)
{
	struct mr_task_ref ref;

	assert_int_equal(mr_task_relation(t, mod, st, &ref), related);
	if (!related)
		return;
	assert_int_equal(ref.op, op);
	assert_int_equal(ref.in_code, in_code);
	assert_int_equal(mr_ref_is_stuck(st, &ref), stuck);
}

/* A task a contained panic parked in the helper, called from hp_panic. */
static char *parked_stack[] = {
	"mr_ct_try_park+0x9a/0x120 [modrescue]",
	"mr_ct_panic+0x1c0/0x200 [modrescue]",
	"hp_panic_thread+0x3a/0x60 [hp_panic]",
	"kthread+0xda/0x100",
};

static void parked_by_containment(void **state)
{
	struct mr_task t = task(MR_SYSCALL_NONE, parked_stack, 4, NULL);
	struct mr_task_ref ref;

	(void)state;
	assert_true(mr_task_parked(&t));
	assert_true(mr_task_relation(&t, "hp_panic", MR_STATE_LIVE, &ref));
	assert_true(ref.parked);
	assert_true(ref.in_code);
	assert_false(mr_ref_is_stuck(MR_STATE_LIVE, &ref));
	/* The same function name in another module is not the helper's. */
	parked_stack[0] = "mr_ct_try_park+0x9a/0x120 [other]";
	assert_false(mr_task_parked(&t));
	parked_stack[0] = "mr_ct_try_park+0x9a/0x120 [modrescue]";
	/* A task merely in the module's code is not parked. */
	t = task(MR_SYSCALL_NONE, kthread_stack, 2, NULL);
	assert_false(mr_task_parked(&t));
	assert_true(mr_task_relation(&t, "hp_mutexwait", MR_STATE_LIVE, &ref));
	assert_false(ref.parked);
}

static void attribution(void **state)
{
	struct mr_task t;
	char buf[MR_MODNAME_LEN];

	(void)state;
	/* rmmod in the exit: unload, in code, stuck. */
	t = task(MR_NR_DELETE_MODULE, exit_stack, 3, NULL);
	assert_string_equal(mr_task_subject(&t, buf, sizeof(buf)),
			    "hp_exitwait");
	relation(&t, "hp_exitwait", MR_STATE_GOING, true, MR_OP_UNLOAD, true,
		 true);
	relation(&t, "other", MR_STATE_LIVE, false, 0, 0, 0);

	/* The syscall argument wins over frames. */
	t = task(MR_NR_DELETE_MODULE, nested_stack, 3, "a");
	relation(&t, "a", MR_STATE_GOING, true, MR_OP_UNLOAD, true, true);
	relation(&t, "b", MR_STATE_LIVE, true, MR_OP_OTHER, true, false);
	/* Without it, the outermost module frame is the subject. */
	t = task(MR_NR_DELETE_MODULE, nested_stack, 3, NULL);
	assert_string_equal(mr_task_subject(&t, buf, sizeof(buf)), "a");
	relation(&t, "a", MR_STATE_GOING, true, MR_OP_UNLOAD, true, true);
	relation(&t, "b", MR_STATE_LIVE, true, MR_OP_OTHER, true, false);
	/* An empty target string counts as none. */
	t = task(MR_NR_DELETE_MODULE, nested_stack, 3, "");
	relation(&t, "a", MR_STATE_GOING, true, MR_OP_UNLOAD, true, true);

	/* insmod in the init, both load syscalls. */
	t = task(MR_NR_FINIT_MODULE, init_stack, 4, "hp_initblock");
	relation(&t, "hp_initblock", MR_STATE_COMING, true, MR_OP_LOAD, true,
		 true);
	t = task(MR_NR_INIT_MODULE, init_stack, 4, NULL);
	relation(&t, "hp_initblock", MR_STATE_COMING, true, MR_OP_LOAD, true,
		 true);

	/* A second insmod waiting outside the code: load, not stuck. */
	t = task(MR_NR_FINIT_MODULE, core_stack, 2, "hp_initblock");
	relation(&t, "hp_initblock", MR_STATE_COMING, true, MR_OP_LOAD, false,
		 false);
	/* ... and without a readable argument it relates to nothing. */
	t = task(MR_NR_FINIT_MODULE, core_stack, 2, NULL);
	assert_null(mr_task_subject(&t, buf, sizeof(buf)));
	relation(&t, "hp_initblock", MR_STATE_COMING, false, 0, 0, 0);

	/* rmmod past the exit (or spinning, stack hidden) of a GOING module. */
	t = task(MR_NR_DELETE_MODULE, core_stack, 2, "hp_x");
	relation(&t, "hp_x", MR_STATE_GOING, true, MR_OP_UNLOAD, false, true);
	/* rmmod not yet in (waiting for module_mutex) of a LIVE one. */
	relation(&t, "hp_x", MR_STATE_LIVE, true, MR_OP_UNLOAD, false, false);

	/* A kthread running the code: other, never stuck. */
	t = task(MR_SYSCALL_NONE, kthread_stack, 2, NULL);
	assert_null(mr_task_subject(&t, buf, sizeof(buf)));
	relation(&t, "hp_mutexwait", MR_STATE_GOING, true, MR_OP_OTHER, true,
		 false);

	/* A task with no frames and no syscall relates to nothing. */
	t = task(MR_SYSCALL_UNKNOWN, NULL, 0, NULL);
	relation(&t, "hp_x", MR_STATE_GOING, false, 0, 0, 0);
	/* Other syscalls' arguments are ignored. */
	t = task(0, NULL, 0, "hp_x");
	relation(&t, "hp_x", MR_STATE_GOING, false, 0, 0, 0);

	/*
	 * Quarantined under the rmmod: its argument says hp_x, its frames
	 * hp_x.q1. It is stuck unloading the copy, not the fixed build.
	 */
	t = task(MR_NR_DELETE_MODULE, quarantined_stack, 2, "hp_x");
	assert_string_equal(mr_task_subject(&t, buf, sizeof(buf)), "hp_x.q1");
	relation(&t, "hp_x.q1", MR_STATE_GOING, true, MR_OP_UNLOAD, true, true);
	relation(&t, "hp_x", MR_STATE_LIVE, false, 0, 0, 0);
	/* A frame in another module's copy does not override the argument. */
	t = task(MR_NR_DELETE_MODULE, quarantined_stack, 2, "hp_y");
	assert_string_equal(mr_task_subject(&t, buf, sizeof(buf)), "hp_y");
}

static void on_cpu_tasks_by_command_line(void **state)
{
	char *mods[] = { "hp_spinoops" };
	struct mr_task t;

	(void)state;
	t = task(MR_SYSCALL_UNKNOWN, NULL, 0, NULL);
	t.state = 'R';
	t.on_cpu = true;
	t.cmd_mods = mods;
	t.n_cmd_mods = 1;
	relation(&t, "hp_spinoops", MR_STATE_GOING, true, MR_OP_UNLOAD, false,
		 true);
	relation(&t, "hp_spinoops", MR_STATE_COMING, true, MR_OP_LOAD, false,
		 true);
	relation(&t, "hp_spinoops", MR_STATE_LIVE, false, 0, 0, 0);
	relation(&t, "hp_other", MR_STATE_GOING, false, 0, 0, 0);
	/* Only for tasks on a CPU without a stack. */
	t.on_cpu = false;
	relation(&t, "hp_spinoops", MR_STATE_GOING, false, 0, 0, 0);
	t.on_cpu = true;
	t.stack = core_stack;
	t.n_stack = 2;
	relation(&t, "hp_spinoops", MR_STATE_GOING, false, 0, 0, 0);
}

static void judge_fills_refs(void **state)
{
	struct mr_task tasks[3];
	struct mr_module mods[3];
	struct mr_diag d = { 0 };

	(void)state;
	tasks[0] = task(MR_NR_DELETE_MODULE, exit_stack, 3, NULL);
	tasks[1] = task(MR_SYSCALL_NONE, kthread_stack, 2, NULL);
	tasks[2] = task(MR_NR_DELETE_MODULE, nested_stack, 3, NULL);
	memset(mods, 0, sizeof(mods));
	mods[0].name = "hp_exitwait";
	mods[0].state = MR_STATE_GOING;
	mods[1].name = "b";
	mods[1].state = MR_STATE_LIVE;
	mods[2].name = "idle";
	mods[2].state = MR_STATE_LIVE;
	d.tasks = tasks;
	d.n_tasks = 3;
	d.mods = mods;
	d.n_mods = 3;
	assert_int_equal(mr_diag_judge(&d), 0);
	assert_int_equal(mods[0].n_tasks, 1);
	assert_int_equal(mods[0].tasks[0].task, 0);
	assert_true(mods[0].tasks[0].stuck);
	assert_int_equal(mods[0].verdict, MR_VERDICT_BLOCKED);
	assert_int_equal(mods[1].n_tasks, 1);
	assert_int_equal(mods[1].tasks[0].task, 2);
	assert_int_equal(mods[1].tasks[0].op, MR_OP_OTHER);
	assert_int_equal(mods[1].verdict, MR_VERDICT_UNLOADABLE);
	assert_int_equal(mods[2].n_tasks, 0);
	/* Judging again replaces the references. */
	assert_int_equal(mr_diag_judge(&d), 0);
	assert_int_equal(mods[0].n_tasks, 1);
	free(mods[0].tasks);
	free(mods[1].tasks);
	free(mods[2].tasks);
}

static void normalize(void **state)
{
	char s[] = "snd-hda-intel";

	(void)state;
	mr_modname_normalize(s);
	assert_string_equal(s, "snd_hda_intel");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_are_exact),
		cmocka_unit_test(verdict_table),
		cmocka_unit_test(precedence_pairwise),
		cmocka_unit_test(frames),
		cmocka_unit_test(attribution),
		cmocka_unit_test(parked_by_containment),
		cmocka_unit_test(on_cpu_tasks_by_command_line),
		cmocka_unit_test(judge_fills_refs),
		cmocka_unit_test(normalize),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
