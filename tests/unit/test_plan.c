// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for cli/lib/acting/plan.c: every combination of module state,
 * refcount, holders, exit function, tasks and flags maps to the right unload
 * plan, and users are judged as the issue says.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "plan.h"

enum task_kind { NO_TASK, STUCK_EXIT, STUCK_INIT, IN_CODE };

struct fixture {
	struct mr_diag d;
	struct mr_module m;
	struct mr_task task;
	struct mr_task_ref ref;
	char *holders[1];
	char *frames[2];
};

static void build(struct fixture *f, enum mr_state state, long refcnt,
		  bool holder, bool has_exit, enum task_kind task)
{
	memset(f, 0, sizeof(*f));
	f->m.name = "hp_x";
	f->m.state = state;
	f->m.refcnt_known = true;
	f->m.refcnt = refcnt;
	f->m.has_exit_known = true;
	f->m.has_exit = has_exit;
	f->holders[0] = "hp_y";
	f->m.holders = f->holders;
	f->m.n_holders = holder ? 1 : 0;
	f->task.pid = 93;
	snprintf(f->task.comm, sizeof(f->task.comm), "rmmod");
	f->task.wchan = "";
	f->frames[0] = "wait_for_completion+0x1/0x2";
	f->frames[1] = "hp_exit+0x1/0x2 [hp_x]";
	f->task.stack = f->frames;
	f->task.n_stack = 2;
	f->task.stack_known = true;
	f->task.syscall = task == STUCK_INIT ? MR_NR_FINIT_MODULE :
					       MR_NR_DELETE_MODULE;
	f->ref.task = 0;
	f->ref.op = task == STUCK_INIT ? MR_OP_LOAD :
		    task == IN_CODE    ? MR_OP_OTHER :
					 MR_OP_UNLOAD;
	f->ref.in_code = true;
	f->ref.stuck = task == STUCK_EXIT || task == STUCK_INIT;
	f->m.tasks = &f->ref;
	f->m.n_tasks = task == NO_TASK ? 0 : 1;
	f->d.mods = &f->m;
	f->d.n_mods = 1;
	f->d.tasks = &f->task;
	f->d.n_tasks = 1;
}

/* Does plan P check users (in the kernel) before anything is changed? */
static bool checks_users_first(const struct mr_plan *p)
{
	size_t i;

	for (i = 0; i < p->n_steps; i++) {
		if (p->steps[i] == MR_STEP_CHECK_USERS)
			return true;
		if (p->steps[i] == MR_STEP_SURGERY ||
		    p->steps[i] == MR_STEP_DELETE)
			return false;
	}
	return false;
}

/*
 * Plans written out by hand, one row per case, each with its reason (not a
 * second implementation of plan.c). E: the edits that take a crashed
 * module back to an unloadable LIVE: state, exit cleared, refcount.
 */
#define E                                                        \
	(MODRESCUE_EDIT_STATE_LIVE | MODRESCUE_EDIT_CLEAR_EXIT | \
	 MODRESCUE_EDIT_REFCNT_BASE)
#define R MODRESCUE_EDIT_REFCNT_BASE
#define F MR_UNLOAD_FORCE
#define CASCADE MR_UNLOAD_CASCADE

struct plan_case {
	enum mr_state state;
	long refcnt;
	bool holder, has_exit;
	enum task_kind task;
	unsigned int flags;
	enum mr_plan_kind kind;
	unsigned int edits, expect_state;
	bool trunc;
};

static const struct plan_case plan_cases[] = {
	/* Unused, with an exit: the kernel's own delete_module. */
	{ MR_STATE_LIVE, 0, false, true, NO_TASK, 0, MR_PLAN_DELETE, 0, 0,
	  false },
	/* No exit: delete_module needs O_TRUNC (rmmod -f), nothing else. */
	{ MR_STATE_LIVE, 0, false, false, NO_TASK, 0, MR_PLAN_DELETE_FORCED, 0,
	  0, true },
	/* References: users looked for first, then the count reset. */
	{ MR_STATE_LIVE, 2, false, true, NO_TASK, 0, MR_PLAN_SURGERY, R,
	  MODRESCUE_STATE_LIVE, false },
	{ MR_STATE_LIVE, 2, false, true, NO_TASK, F, MR_PLAN_SURGERY, R,
	  MODRESCUE_STATE_LIVE, false },
	{ MR_STATE_LIVE, 2, false, false, NO_TASK, F, MR_PLAN_SURGERY, R,
	  MODRESCUE_STATE_LIVE, true },
	/* A module using it: refused, --force or not. */
	{ MR_STATE_LIVE, 0, true, true, NO_TASK, 0, MR_PLAN_REFUSE, 0, 0,
	  false },
	{ MR_STATE_LIVE, 2, true, true, NO_TASK, F, MR_PLAN_REFUSE, 0, 0,
	  false },
	/* --cascade: the holder's own reference goes with the holder. */
	{ MR_STATE_LIVE, 2, true, true, NO_TASK, CASCADE, MR_PLAN_SURGERY, R,
	  MODRESCUE_STATE_LIVE, false },
	{ MR_STATE_LIVE, 1, true, true, NO_TASK, CASCADE, MR_PLAN_DELETE, 0, 0,
	  false },
	/* A task running its code, or a LIVE module "stuck in init". */
	{ MR_STATE_LIVE, 0, false, true, IN_CODE, F, MR_PLAN_REFUSE, 0, 0,
	  false },
	{ MR_STATE_LIVE, 0, false, true, STUCK_INIT, 0, MR_PLAN_REFUSE, 0, 0,
	  false },
	/* A crashed exit (GOING) or init (COMING), no task left: surgery. */
	{ MR_STATE_GOING, 0, false, true, NO_TASK, 0, MR_PLAN_SURGERY, E,
	  MODRESCUE_STATE_GOING, true },
	{ MR_STATE_GOING, 2, false, false, NO_TASK, 0, MR_PLAN_SURGERY, E,
	  MODRESCUE_STATE_GOING, true },
	{ MR_STATE_COMING, 0, false, true, NO_TASK, 0, MR_PLAN_SURGERY, E,
	  MODRESCUE_STATE_COMING, true },
	{ MR_STATE_COMING, 2, false, false, NO_TASK, F, MR_PLAN_SURGERY, E,
	  MODRESCUE_STATE_COMING, true },
	/* ... but a module using it still refuses. */
	{ MR_STATE_GOING, 2, true, true, NO_TASK, 0, MR_PLAN_REFUSE, 0, 0,
	  false },
	/* A task stuck in its exit or init: released (or quarantined). */
	{ MR_STATE_GOING, 0, false, true, STUCK_EXIT, 0, MR_PLAN_RESCUE, 0,
	  MODRESCUE_STATE_GOING, false },
	{ MR_STATE_GOING, 0, false, false, STUCK_EXIT, 0, MR_PLAN_RESCUE, 0,
	  MODRESCUE_STATE_GOING, true },
	{ MR_STATE_COMING, 0, false, true, STUCK_INIT, 0, MR_PLAN_RESCUE, 0,
	  MODRESCUE_STATE_COMING, false },
	/* Stuck comes first: the holder waits on it as well. */
	{ MR_STATE_GOING, 0, true, true, STUCK_EXIT, 0, MR_PLAN_RESCUE, 0,
	  MODRESCUE_STATE_GOING, false },
	/* A task running a crashed module's code: never freed under it. */
	{ MR_STATE_GOING, 0, false, true, IN_CODE, 0, MR_PLAN_REFUSE, 0, 0,
	  false },
	{ MR_STATE_COMING, 2, false, true, IN_CODE, F, MR_PLAN_REFUSE, 0, 0,
	  false },
};

static void plan_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(plan_cases) / sizeof(plan_cases[0]); i++) {
		const struct plan_case *c = &plan_cases[i];
		struct fixture f;
		struct mr_plan got;

		build(&f, c->state, c->refcnt, c->holder, c->has_exit, c->task);
		mr_plan_unload(&f.d, &f.m, c->flags, &got);
		if (got.kind != c->kind || got.edits != c->edits ||
		    got.expect_state != c->expect_state ||
		    got.trunc != c->trunc)
			print_error("case %zu: kind %d edits %#x state %u "
				    "trunc %d\n",
				    i, got.kind, got.edits, got.expect_state,
				    got.trunc);
		assert_int_equal(got.kind, c->kind);
		if (c->kind == MR_PLAN_REFUSE) {
			assert_non_null(strstr(got.what, "hp_x"));
			continue;
		}
		assert_int_equal(got.edits, c->edits);
		assert_int_equal(got.expect_state, c->expect_state);
		assert_int_equal(got.trunc, c->trunc);
		/* Users are looked for before any surgery changes anything. */
		assert_int_equal(checks_users_first(&got),
				 c->kind == MR_PLAN_SURGERY);
	}
}

/* The named steps of each kind of plan, in the order they are run. */
static void steps_in_order(void **state)
{
	struct fixture f;
	struct mr_plan p;
	char got[256];
	size_t i, n;

	(void)state;
#define STEPS(p)                                                           \
	do {                                                               \
		for (i = 0, n = 0, got[0] = '\0'; i < (p).n_steps; i++)    \
			n += (size_t)snprintf(got + n, sizeof(got) - n,    \
					      "%s%s", i ? " " : "",        \
					      mr_step_name((p).steps[i])); \
	} while (0)
	build(&f, MR_STATE_LIVE, 0, false, true, NO_TASK);
	mr_plan_unload(&f.d, &f.m, 0, &p);
	STEPS(p);
	assert_string_equal(got, "delete check-gone");
	build(&f, MR_STATE_LIVE, 2, false, true, NO_TASK);
	mr_plan_unload(&f.d, &f.m, MR_UNLOAD_FORCE, &p);
	STEPS(p);
	assert_string_equal(
		got, "open-helper check-users surgery delete check-gone");
	build(&f, MR_STATE_COMING, 1, false, true, NO_TASK);
	mr_plan_unload(&f.d, &f.m, 0, &p);
	STEPS(p);
	assert_string_equal(got, "open-helper check-users check-leftovers "
				 "surgery delete check-gone mend-loader");
	build(&f, MR_STATE_GOING, -1, false, true, NO_TASK);
	mr_plan_unload(&f.d, &f.m, 0, &p);
	STEPS(p);
	assert_string_equal(got, "open-helper check-users check-leftovers "
				 "surgery delete check-gone");
	build(&f, MR_STATE_GOING, -1, false, true, STUCK_EXIT);
	mr_plan_unload(&f.d, &f.m, 0, &p);
	STEPS(p);
	assert_string_equal(got, "open-helper rescue");
	build(&f, MR_STATE_LIVE, 1, true, true, NO_TASK);
	mr_plan_unload(&f.d, &f.m, 0, &p);
	assert_int_equal(p.n_steps, 0);
#undef STEPS
}

static void refusals_explain_themselves(void **state)
{
	struct fixture f;
	struct mr_plan p;

	(void)state;
	build(&f, MR_STATE_LIVE, 1, true, true, NO_TASK);
	mr_plan_unload(&f.d, &f.m, 0, &p);
	assert_string_equal(
		p.what,
		"Module hp_x is in use by: hp_y (unload them first, or use --cascade)");

	build(&f, MR_STATE_GOING, -1, false, true, STUCK_EXIT);
	mr_plan_unload(&f.d, &f.m, MR_UNLOAD_FORCE, &p);
	assert_int_equal(p.kind, MR_PLAN_RESCUE);
	assert_int_equal(p.task, 0);
	assert_non_null(strstr(p.what, "is stuck in its exit: pid 93 (rmmod)"));
	assert_non_null(strstr(p.what, "hp_exit [hp_x]"));

	/* A stuck task of a module that is LIVE makes no sense: refused. */
	build(&f, MR_STATE_LIVE, 0, false, true, STUCK_INIT);
	mr_plan_unload(&f.d, &f.m, 0, &p);
	assert_int_equal(p.kind, MR_PLAN_REFUSE);
	assert_non_null(strstr(p.what, "is stuck in its init"));

	build(&f, MR_STATE_LIVE, 0, false, true, IN_CODE);
	mr_plan_unload(&f.d, &f.m, MR_UNLOAD_FORCE, &p);
	assert_non_null(strstr(p.what, "is running code"));

	/* Spinning on a CPU in its exit: nothing to release, no helper. */
	build(&f, MR_STATE_GOING, -1, false, true, STUCK_EXIT);
	f.task.on_cpu = true;
	f.task.n_stack = 0;
	mr_plan_unload(&f.d, &f.m, MR_UNLOAD_FORCE, &p);
	assert_int_equal(p.kind, MR_PLAN_REFUSE);
	assert_string_equal(
		p.what,
		"Module hp_x is stuck in its exit: pid 93 (rmmod) spins on a CPU in it; it cannot be released, and no module (the helper included) can be loaded while it holds that CPU");
}

/* A quarantined module is never unloaded: its task sleeps in it. */
static void quarantined_is_refused(void **state)
{
	struct fixture f;
	struct mr_plan p;

	(void)state;
	build(&f, MR_STATE_GOING, -1, false, true, IN_CODE);
	f.m.name = "hp_x.q1";
	f.m.quarantined = true;
	mr_plan_unload(&f.d, &f.m, MR_UNLOAD_FORCE | MR_UNLOAD_CASCADE, &p);
	assert_int_equal(p.kind, MR_PLAN_REFUSE);
	assert_string_equal(
		p.what,
		"Module hp_x.q1 is quarantined: it cannot be freed while pid 93 (rmmod) sleeps in it");
	/* Even when the diagnosis sees no task in it. */
	f.m.n_tasks = 0;
	mr_plan_unload(&f.d, &f.m, 0, &p);
	assert_int_equal(p.kind, MR_PLAN_REFUSE);
	assert_non_null(strstr(p.what, "is quarantined"));
}

static struct modrescue_user user(unsigned int kind, int pid, int fd,
				  const char *comm, const char *name)
{
	struct modrescue_user u;

	memset(&u, 0, sizeof(u));
	u.kind = kind;
	u.pid = pid;
	u.fd = fd;
	snprintf(u.comm, sizeof(u.comm), "%s", comm);
	snprintf(u.name, sizeof(u.name), "%s", name);
	return u;
}

/*
 * A LIVE module whose only task in its code is parked for good by the panic
 * containment: quarantined, naming the task; refused with --no-quarantine,
 * with a holder, or when another task runs its code too.
 */
static void parked_live_is_quarantined(void **state)
{
	static const enum mr_step want[] = { MR_STEP_OPEN_HELPER,
					     MR_STEP_CHECK_USERS,
					     MR_STEP_QUARANTINE };
	struct mr_task_ref refs[2];
	struct fixture f;
	struct mr_plan p;
	size_t i;

	(void)state;
	build(&f, MR_STATE_LIVE, 0, false, true, IN_CODE);
	snprintf(f.task.comm, sizeof(f.task.comm), "hp_panic");
	f.ref.parked = true;
	mr_plan_unload(&f.d, &f.m, 0, &p);
	assert_int_equal(p.kind, MR_PLAN_QUARANTINE_LIVE);
	assert_int_equal(p.stuck_pid, 93);
	assert_string_equal(p.stuck_comm, "hp_panic");
	assert_int_equal(p.n_steps, 3);
	for (i = 0; i < 3; i++)
		assert_int_equal(p.steps[i], want[i]);
	assert_string_equal(
		p.what,
		"pid 93 (hp_panic) is parked for good in its code by modrescue's panic containment: its exit would wait for that task or free the code it sleeps in");

	mr_plan_unload(&f.d, &f.m, MR_UNLOAD_NO_QUARANTINE, &p);
	assert_int_equal(p.kind, MR_PLAN_REFUSE);
	assert_int_equal(p.n_steps, 0);
	assert_string_equal(
		p.what,
		"Module hp_x cannot be unloaded: pid 93 (hp_panic) is parked for good in its code by modrescue's panic containment: its exit would wait for that task or free the code it sleeps in; not quarantined (--no-quarantine)");

	/* A holder still refuses: modules using it would keep using it. */
	f.m.n_holders = 1;
	mr_plan_unload(&f.d, &f.m, 0, &p);
	assert_int_equal(p.kind, MR_PLAN_REFUSE);
	f.m.n_holders = 0;

	/* Another task in its code, not parked: refused for it. */
	refs[0] = f.ref;
	refs[1] = f.ref;
	refs[1].parked = false;
	f.m.tasks = refs;
	f.m.n_tasks = 2;
	mr_plan_unload(&f.d, &f.m, 0, &p);
	assert_int_equal(p.kind, MR_PLAN_REFUSE);

	/* Not LIVE (a parked task in a going module): not this plan. */
	build(&f, MR_STATE_GOING, 0, false, true, IN_CODE);
	f.ref.parked = true;
	mr_plan_unload(&f.d, &f.m, 0, &p);
	assert_int_not_equal(p.kind, MR_PLAN_QUARANTINE_LIVE);
}

/*
 * The users' verdict, case by case: a user found is never overridden; only
 * --force makes a LIVE module's unexplained references a leak.
 */
static void users_judged(void **state)
{
	const unsigned int live = MODRESCUE_STATE_LIVE;

	(void)state;
	assert_int_equal(mr_users_judge(0, 0, live, 0), MR_USERS_NONE);
	assert_int_equal(mr_users_judge(0, 0, live, MR_UNLOAD_FORCE),
			 MR_USERS_NONE);
	assert_int_equal(mr_users_judge(1, 0, live, 0), MR_USERS_FOUND);
	assert_int_equal(mr_users_judge(1, 1, live, MR_UNLOAD_FORCE),
			 MR_USERS_FOUND);
	assert_int_equal(mr_users_judge(2, 3, live,
					MR_UNLOAD_FORCE | MR_UNLOAD_CASCADE),
			 MR_USERS_FOUND);
	assert_int_equal(mr_users_judge(0, 1, live, 0), MR_USERS_UNEXPLAINED);
	assert_int_equal(mr_users_judge(0, 1, live, MR_UNLOAD_CASCADE),
			 MR_USERS_UNEXPLAINED);
	assert_int_equal(mr_users_judge(0, 2, live, MR_UNLOAD_FORCE),
			 MR_USERS_LEAKED);
	/* A crashed module's count is the crash's bookkeeping, not users. */
	assert_int_equal(mr_users_judge(0, 1, MODRESCUE_STATE_GOING, 0),
			 MR_USERS_NONE);
	assert_int_equal(mr_users_judge(0, 1, MODRESCUE_STATE_COMING, 0),
			 MR_USERS_NONE);
	assert_int_equal(mr_users_judge(1, 1, MODRESCUE_STATE_GOING, 0),
			 MR_USERS_FOUND);
	/* GOING's -1 is no reference. */
	assert_int_equal(mr_users_judge(0, -1, live, 0), MR_USERS_NONE);
}

static void users_are_described(void **state)
{
	struct modrescue_user file =
		user(MODRESCUE_USER_FILE, 93, 0, "sleep", "");
	struct modrescue_user kthr =
		user(MODRESCUE_USER_KTHREAD, 12, -1, "hp_k", "");
	struct modrescue_user v[6];
	const char *paths[] = { "/dev/hp_openfd" };
	const char *mounts[] = { "hpfs on /mnt" };
	char why[512];

	(void)state;
	assert_int_equal(
		mr_users_describe(NULL, 0, NULL, NULL, 0, why, sizeof(why)), 0);
	assert_string_equal(why, "");

	assert_int_equal(mr_users_describe(&file, 1, paths, NULL, 0, why,
					   sizeof(why)),
			 1);
	assert_string_equal(why, "pid 93 (sleep) fd 0 /dev/hp_openfd");

	assert_int_equal(mr_users_describe(NULL, 0, NULL, mounts, 1, why,
					   sizeof(why)),
			 1);
	assert_string_equal(why, "a mount of hpfs on /mnt");

	/* Every kind the helper reports, by what it is. */
	v[0] = user(MODRESCUE_USER_BLOCKDEV, 40, 3, "sleep", "loop0");
	v[1] = user(MODRESCUE_USER_SOCKET, 41, 4, "holdsock", "CAN");
	v[2] = user(MODRESCUE_USER_TASK, 0, -1, "rmmod", "");
	v[3] = user(MODRESCUE_USER_SYSCALL, 7, -1, "rmmod", "delete_module");
	v[4] = user(MODRESCUE_USER_MOUNT, 0, -1, "", "ext2:loop0");
	v[5] = kthr;
	assert_int_equal(
		mr_users_describe(v, 6, NULL, NULL, 0, why, sizeof(why)), 6);
	assert_string_equal(
		why,
		"pid 40 (sleep) fd 3 block device loop0, pid 41 (holdsock) fd 4 socket CAN, a task outside this PID namespace (rmmod) has a frame in its code, pid 7 (rmmod) is inside delete_module for it, mounted filesystem ext2:loop0, kthread pid 12 (hp_k) runs its code");

	/* A tiny buffer truncates but never overflows. */
	assert_int_equal(mr_users_describe(v, 6, NULL, NULL, 0, why, 8), 6);
	assert_int_equal(strlen(why), 7);
}

/* Unexplained references: what was checked, and --force named. */
static void unexplained_refs_text(void **state)
{
	char buf[512];

	(void)state;
	mr_unexplained_text("can", 2, buf, sizeof(buf));
	assert_non_null(strstr(buf, "Module can is in use: 2 references"));
	assert_non_null(strstr(buf, "in every namespace"));
	assert_non_null(strstr(buf, "modrescue unload --force can"));
	mr_unexplained_text("x", 1, buf, sizeof(buf));
	assert_non_null(strstr(buf, "1 reference that"));
}

static void edits_in_words(void **state)
{
	char buf[128];

	(void)state;
	mr_plan_edits_text(MODRESCUE_EDIT_ALL, buf, sizeof(buf));
	assert_string_equal(buf, "reset refcount, clear exit, state -> live");
	mr_plan_edits_text(MODRESCUE_EDIT_REFCNT_BASE, buf, sizeof(buf));
	assert_string_equal(buf, "reset refcount");
	mr_plan_edits_text(0, buf, sizeof(buf));
	assert_string_equal(buf, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plan_table),
		cmocka_unit_test(refusals_explain_themselves),
		cmocka_unit_test(quarantined_is_refused),
		cmocka_unit_test(steps_in_order),
		cmocka_unit_test(parked_live_is_quarantined),
		cmocka_unit_test(users_judged),
		cmocka_unit_test(users_are_described),
		cmocka_unit_test(unexplained_refs_text),
		cmocka_unit_test(edits_in_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
