// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for cli/lib/diagnosis/lockwait.c and oopslog.c: which tracked
 * locks a module's tasks wait for (matched by pid against lockwatch's
 * snapshot), who holds them, whether that owner is dead or oopsed (from the
 * kernel log's oops reports, 6.1 and 6.12 formats), and how why and status
 * say it, in text and JSON, from hand-built diagnoses and snapshots.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "explain.h"
#include "lockwait.h"
#include "oopslog.h"
#include "render.h"

#define LOCK_OOPS 0xffffffffc0a01000ULL
#define LOCK_LONG 0xffffffffc0b02000ULL
#define LOCK_CORE 0xffffffff82a03000ULL
#define SITE_OOPS "hp_spinoops_thread+0x4a/0x90 [hp_spinoops]"
#define SITE_LONG "hp_spinlong_thread+0x31/0x80 [hp_spinlong]"

/* Two modules: hp_spinoops GOING with rmmod (pid 123) spinning in its exit;
 * hp_spinlong LIVE, with its kthread (pid 77) running its code. */
struct world {
	struct mr_diag d;
	struct mr_module m[2];
	struct mr_task t[2];
	struct mr_task_ref r0[1], r1[1];
	struct mr_lock_snapshot s;
};

static char *kthread_stack[] = {
	"hp_spinlong_thread+0x50/0x80 [hp_spinlong]",
	"kthread+0xe8/0x110",
};

static void build(struct world *x)
{
	memset(x, 0, sizeof(*x));
	x->t[0].pid = 123;
	strcpy(x->t[0].comm, "rmmod");
	x->t[0].state = 'R';
	x->t[0].syscall = MR_SYSCALL_UNKNOWN;
	x->t[0].wchan = "";
	x->t[0].on_cpu = true;
	x->t[0].age_s = 4;
	x->r0[0].task = 0;
	x->r0[0].op = MR_OP_UNLOAD;
	x->r0[0].guessed = true;
	x->r0[0].stuck = true;
	x->m[0].name = "hp_spinoops";
	x->m[0].state = MR_STATE_GOING;
	x->m[0].refcnt_known = true;
	x->m[0].refcnt = -1;
	x->m[0].has_exit_known = true;
	x->m[0].has_exit = true;
	x->m[0].tasks = x->r0;
	x->m[0].n_tasks = 1;
	x->m[0].verdict = MR_VERDICT_BLOCKED;

	x->t[1].pid = 77;
	strcpy(x->t[1].comm, "hp_spinlong");
	x->t[1].state = 'S';
	x->t[1].syscall = MR_SYSCALL_NONE;
	x->t[1].wchan = "";
	x->t[1].stack = kthread_stack;
	x->t[1].n_stack = 2;
	x->t[1].stack_known = true;
	x->t[1].age_s = 9;
	x->r1[0].task = 1;
	x->r1[0].op = MR_OP_OTHER;
	x->r1[0].in_code = true;
	x->m[1].name = "hp_spinlong";
	x->m[1].state = MR_STATE_LIVE;
	x->m[1].refcnt_known = true;
	x->m[1].has_exit_known = true;
	x->m[1].has_exit = true;
	x->m[1].tasks = x->r1;
	x->m[1].n_tasks = 1;
	x->m[1].verdict = MR_VERDICT_UNLOADABLE;

	x->d.mods = x->m;
	x->d.n_mods = 2;
	x->d.tasks = x->t;
	x->d.n_tasks = 2;
	mr_lock_snapshot_init(&x->s, true, 0);
}

static void hold(struct world *x, uint64_t addr, const char *symbol, int pid,
		 const char *comm, int cpu, bool alive, const char *site,
		 uint64_t held_ns)
{
	struct mr_held_lock l = { .addr = addr,
				  .symbol = (char *)symbol,
				  .acquired_at = (char *)site,
				  .held_ns = held_ns };

	l.owner.task.pid = pid;
	l.owner.task.cpu = cpu;
	snprintf(l.owner.task.comm, sizeof(l.owner.task.comm), "%s", comm);
	l.owner.alive = alive;
	assert_int_equal(mr_lock_snapshot_add_lock(&x->s, &l), 0);
}

static void wait_on(struct world *x, int pid, const char *comm, uint64_t lock,
		    const char *symbol)
{
	struct mr_lock_waiter w = { .lock = lock, .waiting_ns = 3000000000ULL };

	w.task.pid = pid;
	w.task.cpu = 1;
	snprintf(w.task.comm, sizeof(w.task.comm), "%s", comm);
	snprintf(w.symbol, sizeof(w.symbol), "%s", symbol);
	assert_int_equal(mr_lock_snapshot_add_waiter(&x->s, &w), 0);
}

/* The spinoops case: the kthread died holding the lock, rmmod spins on it. */
static void spinoops(struct world *x)
{
	build(x);
	hold(x, LOCK_OOPS, "hp_spinoops_lock [hp_spinoops]", 0, "", 1, false,
	     SITE_OOPS, 12300000000ULL);
	wait_on(x, 123, "rmmod", LOCK_OOPS, "hp_spinoops_lock [hp_spinoops]");
	mr_lock_snapshot_sort(&x->s);
	assert_int_equal(mr_diag_lock_waits(&x->d, &x->s), 0);
}

static void release(struct world *x)
{
	size_t i;

	for (i = 0; i < x->d.n_mods; i++)
		mr_lock_waits_free(x->m[i].lock_waits, x->m[i].n_lock_waits);
	mr_lock_snapshot_free(&x->s);
}

static void feed(struct mr_oops_log *log, const char *const *lines)
{
	for (; *lines; lines++)
		assert_int_equal(mr_oops_log_line(log, *lines), 0);
}

/* 6.1's oops of hp_spinoops' kthread on CPU 1, preceded by a WARNING. */
static const char *const log_61[] = {
	"WARNING: CPU: 1 PID: 55 at kernel/foo.c:1 foo+0x1/0x2",
	"CPU: 1 PID: 55 Comm: kworker/1:1 Tainted: G           OE      6.1.0-57-amd64 #1  Debian 6.1.158-1",
	"RIP: 0010:hp_spinoops_thread+0x2d/0x90 [hp_spinoops]",
	"---[ end trace 0000000000000000 ]---",
	"hp_spinoops: dereferencing NULL with the lock held",
	"BUG: kernel NULL pointer dereference, address: 0000000000000000",
	"#PF: supervisor write access in kernel mode",
	"Oops: 0002 [#1] PREEMPT SMP NOPTI",
	"CPU: 1 PID: 99 Comm: hp_spinoops Tainted: G           OE      6.1.0-57-amd64 #1  Debian 6.1.158-1",
	"Hardware name: QEMU Standard PC (i440FX + PIIX, 1996)",
	"RIP: 0010:hp_spinoops_thread+0x2d/0x90 [hp_spinoops]",
	"Call Trace:",
	" <TASK>",
	" ? hp_spinoops_thread+0x2d/0x90 [hp_spinoops]",
	" kthread+0xd7/0x100",
	" </TASK>",
	"---[ end trace 0000000000000000 ]---",
	NULL,
};

static void oops_parse_61(void **state)
{
	struct mr_oops_log log;

	(void)state;
	mr_oops_log_init(&log);
	feed(&log, log_61);
	assert_int_equal(log.n, 1); /* the WARNING is no oops */
	assert_int_equal(log.oopses[0].cpu, 1);
	assert_int_equal(log.oopses[0].pid, 99);
	assert_string_equal(log.oopses[0].comm, "hp_spinoops");
	assert_non_null(strstr(log.oopses[0].text, "kthread+0xd7/0x100"));
	assert_false(log.in_report);
	mr_oops_log_free(&log);
}

static void oops_parse_612_and_kmsg(void **state)
{
	static const char *const recs[] = {
		"1,812,3501234,-;Oops: Oops: 0002 [#1] PREEMPT SMP NOPTI\n",
		"4,813,3501240,-;CPU: 0 UID: 0 PID: 4242 Comm: my worker Tainted: G           OE      6.12.117+deb12-amd64 #1  Debian 6.12.117-1\n",
		"4,814,3501250,-;RIP: 0010:hp_x_fn.isra.0+0x12/0x40 [hp_x]\n SUBSYSTEM=foo\n",
		"4,815,3501260,-;invalid opcode: 0000 [#2] PREEMPT SMP NOPTI\n",
		"4,816,3501270,-;CPU: 1 PID: 7 Comm: kworker/1:0 Not tainted 6.1.0 #1\n",
		"no semicolon",
	};
	struct mr_oops_log log;
	size_t i;

	(void)state;
	assert_true(mr_oops_header(
		"general protection fault, probably for non-canonical address 0xdead: 0000 [#3] SMP"));
	assert_false(mr_oops_header("hp_x: [#1] not a header"));
	assert_false(
		mr_oops_header("WARNING: CPU: 0 PID: 1 at x.c:2 f+0x1/0x2"));
	mr_oops_log_init(&log);
	for (i = 0; i < sizeof(recs) / sizeof(recs[0]); i++)
		assert_int_equal(mr_oops_log_kmsg_record(&log, recs[i],
							 strlen(recs[i])),
				 0);
	assert_int_equal(log.n, 2);
	assert_int_equal(log.oopses[0].cpu, 0);
	assert_int_equal(log.oopses[0].pid, 4242);
	assert_string_equal(log.oopses[0].comm, "my worker");
	assert_non_null(strstr(log.oopses[0].text, "hp_x_fn.isra.0+0x12"));
	assert_null(strstr(log.oopses[0].text, "SUBSYSTEM"));
	assert_int_equal(log.oopses[1].pid, 7);
	assert_string_equal(log.oopses[1].comm, "kworker/1:0");
	mr_oops_log_free(&log);
}

/* The oldest oopses go once MR_OOPS_MAX are kept. */
static void oops_log_bounded(void **state)
{
	struct mr_oops_log log;
	char cpu[80];
	int i;

	(void)state;
	mr_oops_log_init(&log);
	for (i = 0; i < MR_OOPS_MAX + 5; i++) {
		snprintf(cpu, sizeof(cpu), "CPU: 0 PID: %d Comm: t Tainted: G",
			 1000 + i);
		assert_int_equal(mr_oops_log_line(&log, "Oops: 0000 [#1] SMP"),
				 0);
		assert_int_equal(mr_oops_log_line(&log, cpu), 0);
	}
	assert_int_equal(log.n, MR_OOPS_MAX);
	assert_int_equal(log.oopses[0].pid, 1005);
	assert_int_equal(log.oopses[MR_OOPS_MAX - 1].pid,
			 1000 + MR_OOPS_MAX + 4);
	mr_oops_log_free(&log);
}

static void spinning_rmmod_names_the_lock(void **state)
{
	struct world x;
	const struct mr_lock_wait *w;

	(void)state;
	spinoops(&x);
	assert_int_equal(x.m[0].n_lock_waits, 1);
	assert_int_equal(x.m[1].n_lock_waits, 0);
	w = &x.m[0].lock_waits[0];
	assert_true(w->stuck);
	assert_true(w->module_task);
	assert_true(w->held);
	assert_int_equal(w->state, 'R');
	assert_true(mr_lock_owner_dead(&w->owner));
	assert_false(w->owner.oopsed);
	assert_string_equal(w->acquired_at, SITE_OOPS);
	assert_true(mr_diag_dead_owners(&x.d));
	release(&x);
}

static void oops_names_the_dead_owner(void **state)
{
	struct mr_oops_log log;
	struct world x;
	const struct mr_lock_wait *w;
	char text[1024];

	(void)state;
	spinoops(&x);
	mr_oops_log_init(&log);
	feed(&log, log_61);
	mr_diag_mark_oopses(&x.d, &log);
	w = &x.m[0].lock_waits[0];
	assert_true(w->owner.oopsed);
	assert_true(w->owner_from_log);
	assert_int_equal(w->owner.task.pid, 99);
	mr_lock_wait_text(w, text, sizeof(text));
	assert_string_equal(
		text,
		"pid 123 (rmmod) spins on hp_spinoops_lock [hp_spinoops], held 12.3 s by pid 99 (hp_spinoops, dead: oopsed), taken at " SITE_OOPS);
	mr_oops_log_free(&log);
	release(&x);
}

/* An oops elsewhere, or one whose trace lacks the acquire site: just dead. */
static void unrelated_oops_is_not_the_owners(void **state)
{
	static const char *const other_cpu[] = {
		"Oops: 0002 [#1] PREEMPT SMP NOPTI",
		"CPU: 0 PID: 99 Comm: hp_spinoops Tainted: G OE",
		"RIP: 0010:hp_spinoops_thread+0x2d/0x90 [hp_spinoops]",
		"Oops: 0002 [#2] PREEMPT SMP NOPTI",
		"CPU: 1 PID: 98 Comm: other Tainted: G OE",
		"RIP: 0010:hp_spinoops_thread_helper+0x2d/0x90 [hp_spinoops]",
		" xhp_spinoops_thread+0x1/0x2",
		NULL,
	};
	struct mr_oops_log log;
	struct world x;
	char text[1024];

	(void)state;
	spinoops(&x);
	mr_oops_log_init(&log);
	feed(&log, other_cpu);
	assert_int_equal(log.n, 2);
	mr_diag_mark_oopses(&x.d, &log);
	assert_false(x.m[0].lock_waits[0].owner.oopsed);
	mr_lock_wait_text(&x.m[0].lock_waits[0], text, sizeof(text));
	assert_string_equal(
		text,
		"pid 123 (rmmod) spins on hp_spinoops_lock [hp_spinoops], held 12.3 s by a task that has exited (dead, on cpu 1), taken at " SITE_OOPS);
	mr_oops_log_free(&log);
	release(&x);
}

/* A dead owner lockwatch still names (a zombie): its own pid and comm. */
static void zombie_owner_matched_by_pid(void **state)
{
	static const char *const log_lines[] = {
		"Oops: 0000 [#1] SMP",
		"CPU: 0 PID: 55 Comm: wrongname Tainted: G",
		"Oops: 0000 [#2] SMP",
		"CPU: 3 PID: 55 Comm: holder Tainted: G",
		NULL,
	};
	struct mr_lock_wait w;
	struct mr_oops_log log;

	(void)state;
	memset(&w, 0, sizeof(w));
	w.held = true;
	w.owner.task.pid = 55;
	w.owner.task.cpu = 1;
	strcpy(w.owner.task.comm, "holder");
	w.acquired_at = "f+0x1/0x2";
	mr_oops_log_init(&log);
	feed(&log, log_lines);
	w.owner.alive = true; /* alive: never marked */
	mr_lock_wait_mark_oops(&w, log.oopses, log.n);
	assert_false(w.owner.oopsed);
	w.owner.alive = false;
	mr_lock_wait_mark_oops(&w, log.oopses, 1); /* comm differs */
	assert_false(w.owner.oopsed);
	mr_lock_wait_mark_oops(&w, log.oopses, log.n);
	assert_true(w.owner.oopsed);
	assert_false(w.owner_from_log);
	assert_string_equal(mr_lock_owner_fate(&w.owner), "dead: oopsed");
	mr_oops_log_free(&log);
}

/* A gone owner the helper names by pid only: the log gives its comm. */
static void gone_owner_named_by_pid(void **state)
{
	struct mr_oops_log log;
	struct world x;
	const struct mr_lock_wait *w;
	char text[1024];

	(void)state;
	build(&x);
	hold(&x, LOCK_OOPS, "hp_spinoops_lock [hp_spinoops]", 99, "", 1, false,
	     SITE_OOPS, 12300000000ULL);
	wait_on(&x, 123, "rmmod", LOCK_OOPS, "hp_spinoops_lock [hp_spinoops]");
	mr_lock_snapshot_sort(&x.s);
	assert_int_equal(mr_diag_lock_waits(&x.d, &x.s), 0);
	w = &x.m[0].lock_waits[0];
	mr_lock_wait_text(w, text, sizeof(text));
	assert_string_equal(
		text,
		"pid 123 (rmmod) spins on hp_spinoops_lock [hp_spinoops], held 12.3 s by pid 99 (exited, dead, on cpu 1), taken at " SITE_OOPS);
	mr_oops_log_init(&log);
	feed(&log, log_61);
	mr_diag_mark_oopses(&x.d, &log);
	assert_true(w->owner.oopsed);
	assert_true(w->owner_from_log);
	assert_int_equal(w->owner.task.pid, 99);
	assert_string_equal(w->owner.task.comm, "hp_spinoops");
	mr_oops_log_free(&log);
	release(&x);
}

/* Who else waits: on the module's lock, held by its kthread, alive. */
static void waiter_on_a_modules_lock(void **state)
{
	struct world x;
	struct mr_why why;
	char text[1024];
	size_t i;
	bool found = false;

	(void)state;
	build(&x);
	hold(&x, LOCK_LONG, "hp_spinlong_lock [hp_spinlong]", 77, "hp_spinlong",
	     0, true, SITE_LONG, 2500000000ULL);
	hold(&x, LOCK_CORE, "core_lock", 300, "kworker/0:1", 0, true,
	     "core_fn+0x1/0x2", 9000000000ULL);
	wait_on(&x, 200, "cat", LOCK_LONG, "hp_spinlong_lock [hp_spinlong]");
	wait_on(&x, 201, "ls", LOCK_CORE, "core_lock");
	/* A core lock held by the module's kthread: its wait is the module's. */
	hold(&x, LOCK_CORE + 8, "other_lock", 77, "hp_spinlong", 0, true,
	     "core_fn+0x1/0x2", 1000);
	wait_on(&x, 202, "sh", LOCK_CORE + 8, "other_lock");
	mr_lock_snapshot_sort(&x.s);
	assert_int_equal(mr_diag_lock_waits(&x.d, &x.s), 0);
	assert_int_equal(x.m[0].n_lock_waits, 0);
	assert_int_equal(x.m[1].n_lock_waits, 2);
	assert_int_equal(x.m[1].lock_waits[0].waiter.pid, 200);
	assert_int_equal(x.m[1].lock_waits[1].waiter.pid, 202);
	assert_false(x.m[1].lock_waits[0].module_task);
	assert_false(mr_diag_dead_owners(&x.d));
	x.m[1].lock_waits[0].state = 'R';
	mr_lock_wait_text(&x.m[1].lock_waits[0], text, sizeof(text));
	assert_string_equal(
		text,
		"pid 200 (cat) spins on hp_spinlong_lock [hp_spinlong], held 2.5 s by pid 77 (hp_spinlong), taken at " SITE_LONG);
	assert_int_equal(mr_explain(&x.d, &x.m[1], &why), 0);
	for (i = 0; i < why.n_notes; i++)
		found = found || !strcmp(why.notes[i], text);
	assert_true(found);
	mr_why_free(&why);
	release(&x);
}

/* A stuck task's lock that lockwatch does not see held is still named. */
static void unknown_holder_and_sleeping_waiter(void **state)
{
	struct world x;
	char text[1024];

	(void)state;
	build(&x);
	x.t[0].state = 'D';
	wait_on(&x, 123, "rmmod", LOCK_OOPS, "hp_spinoops_lock [hp_spinoops]");
	mr_lock_snapshot_sort(&x.s);
	assert_int_equal(mr_diag_lock_waits(&x.d, &x.s), 0);
	assert_int_equal(x.m[0].n_lock_waits, 1);
	assert_false(x.m[0].lock_waits[0].held);
	assert_false(mr_diag_dead_owners(&x.d));
	mr_lock_wait_text(&x.m[0].lock_waits[0], text, sizeof(text));
	assert_string_equal(
		text,
		"pid 123 (rmmod) sleeps on hp_spinoops_lock [hp_spinoops], whose holder lockwatch does not know (taken before it was armed, or its state is uncertain)");
	release(&x);
}

static char *json_text(struct json_object *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(mr_json_print(f, o), 0);
	fclose(f);
	return buf;
}

static char *status_text(const struct mr_diag *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	mr_status_text(f, d);
	fclose(f);
	return buf;
}

static void why_and_status_say_it(void **state)
{
	struct mr_oops_log log;
	struct world x;
	struct json_object *o;
	struct mr_why why;
	char *s;

	(void)state;
	spinoops(&x);
	mr_oops_log_init(&log);
	feed(&log, log_61);
	mr_diag_mark_oopses(&x.d, &log);
	mr_oops_log_free(&log);

	/* why: right after the stuck task's reason, no lockwatch hint. */
	assert_int_equal(mr_explain(&x.d, &x.m[0], &why), 0);
	assert_true(why.n_reasons >= 2);
	assert_non_null(strstr(why.reasons[0], "rmmod (pid 123)"));
	assert_string_equal(
		why.reasons[1],
		"pid 123 (rmmod) spins on hp_spinoops_lock [hp_spinoops], held 12.3 s by pid 99 (hp_spinoops, dead: oopsed), taken at " SITE_OOPS);
	mr_why_free(&why);

	/* why --json: under the task and under the module. */
	o = mr_why_json(&x.d, &x.m[0], &why);
	assert_non_null(o);
	s = json_text(o);
	assert_non_null(strstr(
		s,
		"\"stack\":[],\"waits_for\":[{\"lock\":\"0xffffffffc0a01000\",\"symbol\":\"hp_spinoops_lock [hp_spinoops]\",\"waiting_ns\":3000000000,\"held\":true,\"owner\":{\"pid\":99,\"comm\":\"hp_spinoops\",\"cpu\":1,\"context\":\"task\",\"alive\":false,\"oopsed\":true,\"named_by\":\"kernel log\"},\"acquired_at\":\"" SITE_OOPS
		"\",\"held_ns\":12300000000}]}]"));
	assert_non_null(strstr(
		s,
		"\"lock_waits\":[{\"waiter\":{\"pid\":123,\"comm\":\"rmmod\",\"cpu\":1,\"state\":\"R\",\"stuck\":true},\"lock\":\"0xffffffffc0a01000\""));
	free(s);
	json_object_put(o);

	/* status: one line for the affected module only. */
	s = status_text(&x.d);
	assert_non_null(strstr(
		s,
		"\nhp_spinoops: pid 123 (rmmod) spins on hp_spinoops_lock [hp_spinoops], held 12.3 s by pid 99 (hp_spinoops, dead: oopsed), taken at " SITE_OOPS
		"\n"));
	assert_null(strstr(s, "hp_spinlong:"));
	free(s);
	o = mr_status_json(&x.d);
	s = json_text(o);
	assert_non_null(strstr(s, "\"name\":\"hp_spinlong\""));
	assert_non_null(strstr(s, "\"lock_waits\":[]"));
	free(s);
	json_object_put(o);
	release(&x);
}

/* Lockwatch off: no lock keys at all, and one hint for a spinning task. */
static void lockwatch_off(void **state)
{
	struct world x;
	struct json_object *o;
	struct mr_why why;
	size_t i, hints = 0;
	char *s;

	(void)state;
	build(&x);
	x.d.lockwatch = MR_LOCKWATCH_OFF;
	o = mr_status_json(&x.d);
	s = json_text(o);
	assert_null(strstr(s, "waits_for"));
	assert_null(strstr(s, "lock_waits"));
	free(s);
	json_object_put(o);
	assert_int_equal(mr_explain(&x.d, &x.m[0], &why), 0);
	for (i = 0; i < why.n_notes; i++)
		hints += strstr(why.notes[i], "lockwatch is off") != NULL;
	assert_int_equal(hints, 1);
	mr_why_free(&why);
	/* Not spinning (asleep in D): no hint. Not asked: no hint. */
	x.t[0].state = 'D';
	x.t[0].on_cpu = false;
	assert_int_equal(mr_explain(&x.d, &x.m[0], &why), 0);
	for (i = 0; i < why.n_notes; i++)
		assert_null(strstr(why.notes[i], "lockwatch"));
	mr_why_free(&why);
	x.t[0].state = 'R';
	x.t[0].on_cpu = true;
	x.d.lockwatch = MR_LOCKWATCH_UNASKED;
	assert_int_equal(mr_explain(&x.d, &x.m[0], &why), 0);
	for (i = 0; i < why.n_notes; i++)
		assert_null(strstr(why.notes[i], "lockwatch"));
	mr_why_free(&why);
	s = status_text(&x.d);
	assert_null(strstr(s, "spins on"));
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(oops_parse_61),
		cmocka_unit_test(oops_parse_612_and_kmsg),
		cmocka_unit_test(oops_log_bounded),
		cmocka_unit_test(spinning_rmmod_names_the_lock),
		cmocka_unit_test(oops_names_the_dead_owner),
		cmocka_unit_test(unrelated_oops_is_not_the_owners),
		cmocka_unit_test(zombie_owner_matched_by_pid),
		cmocka_unit_test(gone_owner_named_by_pid),
		cmocka_unit_test(waiter_on_a_modules_lock),
		cmocka_unit_test(unknown_holder_and_sleeping_waiter),
		cmocka_unit_test(why_and_status_say_it),
		cmocka_unit_test(lockwatch_off),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
