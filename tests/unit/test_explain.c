// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for cli/lib/diagnosis/explain.c: the call chain of a stuck task, and the
 * reasons and remedy `why` gives for every verdict. Pure: no I/O.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "explain.h"

static char *heap_stack[] = {
	"wait_for_completion+0x8c/0x150",
	"hp_exit+0x12/0x30 [hp_heapwait]",
	"__do_sys_delete_module.constprop.0+0x178/0x250",
	"do_syscall_64+0x5d/0xb0",
	"entry_SYSCALL_64_after_hwframe+0x6e/0xd8",
};

static struct mr_task mk_task(int pid, const char *comm, char state, long nr,
			      char **stack, size_t n, long age)
{
	struct mr_task t = { .pid = pid, .state = state, .syscall = nr };

	strcpy(t.comm, comm);
	t.stack = stack;
	t.n_stack = n;
	t.stack_known = true;
	t.age_s = age;
	t.wchan = "";
	return t;
}

static void chain_of_the_issue_example(void **state)
{
	struct mr_task t = mk_task(93, "rmmod", 'D', MR_NR_DELETE_MODULE,
				   heap_stack, 5, 41);
	char buf[512];

	(void)state;
	mr_task_chain(&t, buf, sizeof(buf));
	assert_string_equal(
		buf,
		"wait_for_completion <- hp_exit [hp_heapwait] <- __do_sys_delete_module");
	/* The module frame first (6.1 hides the scheduler functions). */
	t.stack = heap_stack + 1;
	t.n_stack = 4;
	mr_task_chain(&t, buf, sizeof(buf));
	assert_string_equal(buf,
			    "hp_exit [hp_heapwait] <- __do_sys_delete_module");
	/* Only a module frame. */
	t.n_stack = 1;
	mr_task_chain(&t, buf, sizeof(buf));
	assert_string_equal(buf, "hp_exit [hp_heapwait]");
	/* No module frame: just where it is. */
	t.stack = heap_stack + 2;
	t.n_stack = 3;
	mr_task_chain(&t, buf, sizeof(buf));
	assert_string_equal(buf, "__do_sys_delete_module");
	/* No stack: wchan, else say why. */
	t.n_stack = 0;
	t.wchan = "load_module";
	mr_task_chain(&t, buf, sizeof(buf));
	assert_string_equal(buf, "load_module");
	t.wchan = "0";
	mr_task_chain(&t, buf, sizeof(buf));
	assert_string_equal(buf, "an unknown place (empty stack)");
	t.stack_known = false;
	mr_task_chain(&t, buf, sizeof(buf));
	assert_string_equal(buf, "an unknown place (stack unreadable)");
	t.on_cpu = true;
	mr_task_chain(&t, buf, sizeof(buf));
	assert_string_equal(
		buf,
		"an unknown place (it is on a CPU, where the kernel shows neither its stack nor its syscall)");
	/* Truncation is safe. */
	t.stack = heap_stack;
	t.n_stack = 5;
	mr_task_chain(&t, buf, 10);
	assert_int_equal(strlen(buf), 9);
}

/* A diagnosis of one module M with tasks T[0..n). */
struct fixture {
	struct mr_diag d;
	struct mr_module m;
	struct mr_task t[3];
	struct mr_task_ref r[3];
	struct mr_why w;
};

static void setup(struct fixture *f, const char *name, enum mr_state st,
		  long refcnt)
{
	memset(f, 0, sizeof(*f));
	f->m.name = (char *)name;
	f->m.state = st;
	f->m.refcnt_known = true;
	f->m.refcnt = refcnt;
	f->m.has_exit_known = true;
	f->m.has_exit = true;
	f->m.tasks = f->r;
	f->d.mods = &f->m;
	f->d.n_mods = 1;
	f->d.tasks = f->t;
	f->d.openers_scanned = true;
}

static void add_task(struct fixture *f, struct mr_task t, enum mr_op op,
		     bool in_code, bool stuck)
{
	size_t i = f->d.n_tasks++;

	f->t[i] = t;
	f->r[i].task = i;
	f->r[i].op = op;
	f->r[i].in_code = in_code;
	f->r[i].stuck = stuck;
	f->m.n_tasks++;
}

static void explain(struct fixture *f)
{
	f->m.verdict = mr_verdict_of(&f->m);
	assert_int_equal(mr_explain(&f->d, &f->m, &f->w), 0);
}

static bool has(char **v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

static void why_blocked(void **state)
{
	struct fixture f;

	(void)state;
	setup(&f, "hp_heapwait", MR_STATE_GOING, -1);
	add_task(&f,
		 mk_task(93, "rmmod", 'D', MR_NR_DELETE_MODULE, heap_stack, 5,
			 41),
		 MR_OP_UNLOAD, true, true);
	explain(&f);
	assert_int_equal(f.w.n_reasons, 1);
	assert_string_equal(
		f.w.reasons[0],
		"rmmod (pid 93) has been blocked for 41 s in wait_for_completion <- hp_exit [hp_heapwait] <- __do_sys_delete_module");
	assert_string_equal(
		f.w.remedy,
		"modrescue unload would release rmmod (pid 93) if it waits on a completion, and otherwise quarantine hp_heapwait (rename it and keep its memory) so that a fixed build can be loaded");
	mr_why_free(&f.w);

	/* Age unknown; a running (R) task. */
	f.t[0].age_s = -1;
	f.t[0].state = 'R';
	explain(&f);
	assert_string_equal(
		f.w.reasons[0],
		"rmmod (pid 93) has been stuck, running, in wait_for_completion <- hp_exit [hp_heapwait] <- __do_sys_delete_module");
	mr_why_free(&f.w);

	/* Guessed from the command line of an on-CPU task. */
	f.t[0].stack = NULL;
	f.t[0].n_stack = 0;
	f.t[0].on_cpu = true;
	f.t[0].age_s = 7;
	f.r[0].guessed = true;
	f.r[0].in_code = false;
	explain(&f);
	assert_string_equal(
		f.w.reasons[0],
		"rmmod (pid 93) has probably been stuck, running, for 7 s in its exit: it is on a CPU, where the kernel shows neither its stack nor its syscall, and its command line names hp_heapwait");
	mr_why_free(&f.w);
}

static char *init_stack[] = {
	"hp_initblock_init+0x26/0x1000 [hp_initblock]",
	"do_one_initcall+0x59/0x220",
};
static char *wait_stack[] = { "load_module+0x8d4/0x21a0" };
static char *thread_stack[] = { "hp_t+0x29/0x45 [hp_initblock]",
				"kthread+0xda/0x100" };

static void why_blocked_init_with_waiter_and_kthread(void **state)
{
	struct fixture f;

	(void)state;
	setup(&f, "hp_initblock", MR_STATE_COMING, 1);
	add_task(&f,
		 mk_task(80, "insmod", 'D', MR_NR_FINIT_MODULE, init_stack, 2,
			 12),
		 MR_OP_LOAD, true, true);
	add_task(&f,
		 mk_task(81, "insmod", 'S', MR_NR_FINIT_MODULE, wait_stack, 1,
			 3),
		 MR_OP_LOAD, false, false);
	add_task(&f,
		 mk_task(82, "hp_t", 'S', MR_SYSCALL_NONE, thread_stack, 2, 3),
		 MR_OP_OTHER, true, false);
	explain(&f);
	assert_int_equal(f.m.verdict, MR_VERDICT_BLOCKED);
	assert_int_equal(f.w.n_reasons, 2);
	assert_string_equal(
		f.w.reasons[0],
		"insmod (pid 80) has been blocked for 12 s in hp_initblock_init [hp_initblock] <- do_one_initcall");
	assert_string_equal(
		f.w.reasons[1],
		"insmod (pid 81) is waiting to load hp_initblock, outside its code, in load_module");
	assert_true(has(
		f.w.notes, f.w.n_notes,
		"hp_t (pid 82) is running its code: hp_t [hp_initblock] <- kthread"));
	mr_why_free(&f.w);
}

static void why_crashed(void **state)
{
	struct fixture f;

	(void)state;
	setup(&f, "hp_initoops", MR_STATE_COMING, 1);
	explain(&f);
	assert_int_equal(f.m.verdict, MR_VERDICT_COMING);
	assert_true(has(f.w.reasons, f.w.n_reasons,
			"init crashed: the module stayed COMING"));
	assert_string_equal(
		f.w.remedy,
		"modrescue unload would mark it LIVE and unload it through the kernel's delete_module, then (6.4+) cut the dead loader's entry from the kernel's idempotent-load table so the same .ko loads again");
	mr_why_free(&f.w);

	/* Not root: it cannot tell running from crashed. */
	f.d.tasks_denied = true;
	explain(&f);
	assert_true(has(
		f.w.reasons, f.w.n_reasons,
		"init is running or crashed (run as root to see which): the module stayed COMING"));
	assert_true(has(
		f.w.notes, f.w.n_notes,
		"not root: tasks stuck in its init or exit cannot be seen"));
	mr_why_free(&f.w);

	setup(&f, "hp_exitoops", MR_STATE_GOING, -1);
	explain(&f);
	assert_int_equal(f.m.verdict, MR_VERDICT_GOING);
	assert_true(has(
		f.w.reasons, f.w.n_reasons,
		"unload started but no task is left in it (its exit crashed or was killed): the module stayed GOING"));
	assert_string_equal(
		f.w.remedy,
		"modrescue unload would mark it LIVE with its exit cleared, so the half-run exit never runs again, and unload it through the kernel's delete_module");
	mr_why_free(&f.w);
}

static void why_holders_refs_noexit(void **state)
{
	char *holders[] = { "hp_dep_b", "hp_dep_c" };
	struct mr_opener op = {
		.pid = 93, .comm = "sleep", .fd = 0, .path = "/dev/hp_openfd"
	};
	struct fixture f;

	(void)state;
	setup(&f, "hp_dep_a", MR_STATE_LIVE, 1);
	f.m.holders = holders;
	f.m.n_holders = 1;
	explain(&f);
	assert_int_equal(f.m.verdict, MR_VERDICT_HAS_HOLDERS);
	assert_int_equal(f.w.n_reasons, 1);
	assert_string_equal(f.w.reasons[0],
			    "needed by hp_dep_b: it must be unloaded first");
	assert_string_equal(
		f.w.remedy,
		"modrescue unload refuses while hp_dep_b depends on it; modrescue unload --cascade would unload hp_dep_b first");
	mr_why_free(&f.w);

	/* Two holders and one reference too many. */
	f.m.n_holders = 2;
	f.m.refcnt = 3;
	explain(&f);
	assert_string_equal(
		f.w.reasons[0],
		"needed by hp_dep_b and hp_dep_c: they must be unloaded first");
	assert_string_equal(
		f.w.reasons[1],
		"refcnt is 3: 1 reference more than its holders explain");
	assert_string_equal(
		f.w.remedy,
		"modrescue unload refuses while hp_dep_b and hp_dep_c depend on it; modrescue unload --cascade would unload hp_dep_b and hp_dep_c first");
	mr_why_free(&f.w);

	/* A leak. */
	setup(&f, "hp_refleak", MR_STATE_LIVE, 1);
	explain(&f);
	assert_int_equal(f.m.verdict, MR_VERDICT_IN_USE);
	assert_string_equal(f.w.reasons[0],
			    "refcnt is 1: something holds a reference to it");
	assert_string_equal(
		f.w.reasons[1],
		"no process holds a device of it open; that does not make it a leak: a socket, a mount, a qdisc, a netfilter rule, a crypto transform or a bound device may hold it");
	assert_string_equal(
		f.w.remedy,
		"modrescue unload looks for every user in the kernel and refuses while any is found; if none is, and you know the reference is leaked, modrescue unload --force hp_refleak resets the refcount and unloads it through the kernel's delete_module");
	mr_why_free(&f.w);
	f.m.refcnt = 2;
	f.d.openers_denied = true;
	explain(&f);
	assert_string_equal(
		f.w.reasons[1],
		"run as root to look for processes holding it open");
	assert_string_equal(
		f.w.remedy,
		"modrescue unload looks for every user in the kernel and refuses while any is found; if none is, and you know the references are leaked, modrescue unload --force hp_refleak resets the refcount and unloads it through the kernel's delete_module");
	mr_why_free(&f.w);
	/*
	 * Live, but its loader has not returned yet (waiting for async work
	 * with the initial reference held): wait, no --force advice.
	 */
	setup(&f, "loop", MR_STATE_LIVE, 1);
	add_task(&f,
		 mk_task(121, "insmod", 'D', MR_NR_FINIT_MODULE, NULL, 0, 2),
		 MR_OP_LOAD, false, false);
	explain(&f);
	assert_int_equal(f.m.verdict, MR_VERDICT_IN_USE);
	assert_string_equal(
		f.w.remedy,
		"insmod (pid 121) has not finished loading it and holds the loader's reference until it returns; modrescue unload refuses until then, --force or not");
	mr_why_free(&f.w);
	/* GOING with its loader still inside: a failed init, unwinding. */
	setup(&f, "hp_initfail", MR_STATE_GOING, 0);
	add_task(&f,
		 mk_task(122, "insmod", 'D', MR_NR_FINIT_MODULE, NULL, 0, 1),
		 MR_OP_LOAD, false, false);
	explain(&f);
	assert_int_equal(f.m.verdict, MR_VERDICT_GOING);
	assert_string_equal(
		f.w.remedy,
		"insmod (pid 122) is unwinding its failed init and frees it itself; modrescue unload refuses until it returns, --force or not");
	mr_why_free(&f.w);
	setup(&f, "hp_refleak", MR_STATE_LIVE, 2);
	f.d.openers_denied = true;
	/* Openers not looked for (status): no claim either way. */
	f.d.openers_scanned = false;
	explain(&f);
	assert_int_equal(f.w.n_reasons, 1);
	mr_why_free(&f.w);

	/* Held open. */
	setup(&f, "hp_openfd", MR_STATE_LIVE, 1);
	f.m.openers = &op;
	f.m.n_openers = 1;
	explain(&f);
	assert_string_equal(f.w.reasons[1],
			    "held open by pid 93 (sleep) fd 0 /dev/hp_openfd");
	assert_string_equal(
		f.w.remedy,
		"modrescue unload refuses while pid 93 (sleep) holds it open; once it is closed, plain rmmod works");
	mr_why_free(&f.w);

	/* No exit. */
	setup(&f, "hp_noexit", MR_STATE_LIVE, 0);
	f.m.has_exit = false;
	explain(&f);
	assert_int_equal(f.m.verdict, MR_VERDICT_NO_EXIT);
	assert_string_equal(
		f.w.reasons[0],
		"it has no exit function ([permanent] in /proc/modules): the kernel refuses to unload it without force");
	assert_string_equal(
		f.w.remedy,
		"modrescue unload would force it out, as rmmod -f does");
	mr_why_free(&f.w);
}

static void why_unloadable_and_unknowns(void **state)
{
	struct fixture f;

	(void)state;
	setup(&f, "loop", MR_STATE_LIVE, 0);
	explain(&f);
	assert_int_equal(f.w.n_reasons, 0);
	assert_int_equal(f.w.n_notes, 0);
	assert_string_equal(f.w.remedy, "nothing blocks it: plain rmmod works");
	mr_why_free(&f.w);

	f.m.state = MR_STATE_UNKNOWN;
	f.m.refcnt_known = false;
	f.m.has_exit_known = false;
	explain(&f);
	assert_int_equal(f.m.verdict, MR_VERDICT_UNLOADABLE);
	assert_true(has(f.w.notes, f.w.n_notes, "its state could not be read"));
	assert_true(
		has(f.w.notes, f.w.n_notes, "its refcount could not be read"));
	mr_why_free(&f.w);

	setup(&f, "q", MR_STATE_LIVE, 0);
	f.m.quarantined = true;
	explain(&f);
	assert_int_equal(f.m.verdict, MR_VERDICT_QUARANTINED);
	assert_string_equal(
		f.w.remedy,
		"modrescue unload cannot free it while a task sleeps in it; a fixed build can be loaded under its original name");
	mr_why_free(&f.w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(chain_of_the_issue_example),
		cmocka_unit_test(why_blocked),
		cmocka_unit_test(why_blocked_init_with_waiter_and_kthread),
		cmocka_unit_test(why_crashed),
		cmocka_unit_test(why_holders_refs_noexit),
		cmocka_unit_test(why_unloadable_and_unknowns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
