// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for cli/lib/diagnosis/prom.c: the Prometheus exposition of
 * hand-built diagnoses, line for line (every # HELP and # TYPE, which
 * modules and tasks count, the lock filter), label escaping and the
 * atomic textfile writer (textfile.c). tests/metrics/ parses the real
 * CLI's output with a real parser.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "prom.h"
#include "textfile.h"

static char *exit_stack[] = { "hp_exitwait_exit+0x18/0x1000 [hp_exitwait]" };

struct diag3 {
	struct mr_diag d;
	struct mr_module m[3];
	struct mr_task t[3];
	struct mr_task_ref r[3];
};

/*
 * hp_exitwait: blocked, its rmmod stuck for 310 s; hp_thread.q1:
 * quarantined, a kthread in D in its code for 42 s and one sleeping in S
 * (not blocked); hp_ok: live and unloadable.
 */
static void build(struct diag3 *x)
{
	memset(x, 0, sizeof(*x));
	x->t[0].pid = 93;
	strcpy(x->t[0].comm, "rmmod");
	x->t[0].state = 'D';
	x->t[0].wchan = "hp_exitwait_exit";
	x->t[0].stack = exit_stack;
	x->t[0].n_stack = 1;
	x->t[0].age_s = 310;
	x->t[1].pid = 7;
	strcpy(x->t[1].comm, "kworker \"a\\b\"\n");
	x->t[1].state = 'D';
	x->t[1].wchan = "";
	x->t[1].age_s = 42;
	x->t[2].pid = 8;
	strcpy(x->t[2].comm, "sleeper");
	x->t[2].state = 'S';
	x->t[2].wchan = "";
	x->t[2].age_s = 50;
	x->r[0] = (struct mr_task_ref){
		.task = 0, .op = MR_OP_UNLOAD, .in_code = true, .stuck = true
	};
	x->r[1] = (struct mr_task_ref){ .task = 1, .in_code = true };
	x->r[2] = (struct mr_task_ref){ .task = 2, .in_code = true };

	x->m[0].name = "hp_exitwait";
	x->m[0].state = MR_STATE_GOING;
	x->m[0].tasks = &x->r[0];
	x->m[0].n_tasks = 1;
	x->m[0].verdict = MR_VERDICT_BLOCKED;
	x->m[1].name = "hp_thread.q1";
	x->m[1].quarantined = true;
	x->m[1].tasks = &x->r[1];
	x->m[1].n_tasks = 2;
	x->m[1].verdict = MR_VERDICT_QUARANTINED;
	x->m[2].name = "hp_ok";
	x->m[2].verdict = MR_VERDICT_UNLOADABLE;
	x->d.mods = x->m;
	x->d.n_mods = 3;
	x->d.tasks = x->t;
	x->d.n_tasks = 3;
	x->d.lockwatch = MR_LOCKWATCH_OFF;
}

static char *expose(const struct mr_diag *d, const struct mr_prom_facts *f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	assert_int_equal(mr_prom_write(out, d, f), 0);
	fclose(out);
	return buf;
}

static const char *const expected_off =
	"# HELP modrescue_module_stuck 1 for a module whose verdict is quarantined, blocked, going or coming (modrescue why MODULE says why).\n"
	"# TYPE modrescue_module_stuck gauge\n"
	"modrescue_module_stuck{module=\"hp_exitwait\",verdict=\"blocked\"} 1\n"
	"modrescue_module_stuck{module=\"hp_thread.q1\",verdict=\"quarantined\"} 1\n"
	"# HELP modrescue_stuck_modules Modules whose verdict is quarantined, blocked, going or coming.\n"
	"# TYPE modrescue_stuck_modules gauge\n"
	"modrescue_stuck_modules 2\n"
	"# HELP modrescue_quarantined_modules Modules renamed NAME.qN by modrescue's quarantine, their memory kept for a task stuck in them.\n"
	"# TYPE modrescue_quarantined_modules gauge\n"
	"modrescue_quarantined_modules 1\n"
	"# HELP modrescue_task_blocked_seconds Age in seconds of a task stuck in a module's init or exit (op load or unload), or in D state or parked by a contained panic in its code (op other).\n"
	"# TYPE modrescue_task_blocked_seconds gauge\n"
	"modrescue_task_blocked_seconds{module=\"hp_exitwait\",pid=\"93\",comm=\"rmmod\",op=\"unload\"} 310\n"
	"modrescue_task_blocked_seconds{module=\"hp_thread.q1\",pid=\"7\",comm=\"kworker \\\"a\\\\b\\\"\\n\",op=\"other\"} 42\n"
	"# HELP modrescue_tasks_visible 1 when every task's stack could be read; 0 when not (not root), so stuck tasks may be missing.\n"
	"# TYPE modrescue_tasks_visible gauge\n"
	"modrescue_tasks_visible 1\n"
	"# HELP modrescue_lockwatch_enabled 1 when lockwatch tracks spinlock owners, 0 when off; no sample when it could not be asked (not root).\n"
	"# TYPE modrescue_lockwatch_enabled gauge\n"
	"modrescue_lockwatch_enabled 0\n"
	"# HELP modrescue_lock_held_seconds With lockwatch on: seconds a spinlock held for at least 1 s has been held, by its owner.\n"
	"# TYPE modrescue_lock_held_seconds gauge\n"
	"# HELP modrescue_contained_total Oopsing tasks whose spinlocks modrescue contain handled (kind oops), and panics it contained (kind panic), since the helper was loaded; no sample when it could not be asked (not root).\n"
	"# TYPE modrescue_contained_total counter\n"
	"# HELP modrescue_kernel_taint_forced_rmmod 1 when the kernel carries taint R (forced module removal, bit 3), as modrescue's forced steps leave it.\n"
	"# TYPE modrescue_kernel_taint_forced_rmmod gauge\n"
	"modrescue_kernel_taint_forced_rmmod 1\n"
	"# HELP modrescue_lockwatch_unrecorded_total With lockwatch on: lock events not recorded since it was armed, because a CPU's table was full (reason table_full) or for another reason (reason other); no lock taken before the last one is released.\n"
	"# TYPE modrescue_lockwatch_unrecorded_total counter\n"
	"# HELP modrescue_lockwatch_reclaimed_total With lockwatch on: stale entries a full table dropped to make room since it was armed.\n"
	"# TYPE modrescue_lockwatch_reclaimed_total counter\n"
	"# HELP modrescue_lockwatch_tables_full With lockwatch on: per-CPU, per-context tables that are full now, so that their next lock goes unrecorded.\n"
	"# TYPE modrescue_lockwatch_tables_full gauge\n"
	"# HELP modrescue_lockwatch_shared With lockwatch on: 1 when another ftrace user shares a hooked function, so lock calls can go unseen and no holder is trusted.\n"
	"# TYPE modrescue_lockwatch_shared gauge\n";

static void exposition_exact(void **state)
{
	struct mr_prom_facts f = { .tainted = 8 | 4096 };
	struct diag3 x;
	char *s;

	(void)state;
	build(&x);
	s = expose(&x.d, &f);
	assert_string_equal(s, expected_off);
	free(s);
}

/* Unknowns leave samples out, never make up a value. */
static void unknowns(void **state)
{
	struct mr_prom_facts f = { .tainted = -1 };
	struct diag3 x;
	char *s;

	(void)state;
	build(&x);
	x.d.lockwatch = MR_LOCKWATCH_UNASKED;
	x.d.tasks_denied = true;
	x.t[0].age_s = -1;
	s = expose(&x.d, &f);
	assert_null(strstr(s, "\nmodrescue_lockwatch_enabled 0\n"));
	assert_null(strstr(s, "\nmodrescue_lockwatch_enabled 1\n"));
	assert_non_null(
		strstr(s, "# TYPE modrescue_lockwatch_enabled gauge\n"));
	assert_null(strstr(s, "\nmodrescue_kernel_taint_forced_rmmod 0\n"));
	assert_null(strstr(s, "\nmodrescue_kernel_taint_forced_rmmod 1\n"));
	assert_null(strstr(s, "pid=\"93\""));
	assert_non_null(strstr(s, "\nmodrescue_tasks_visible 0\n"));
	free(s);

	/* Taint without R. */
	f.tainted = 4096;
	s = expose(&x.d, &f);
	assert_non_null(strstr(s, "\nmodrescue_kernel_taint_forced_rmmod 0\n"));
	free(s);
}

/* Only the four stuck verdicts count, each once. */
static void stuck_verdicts(void **state)
{
	enum mr_verdict v;
	int n = 0;

	(void)state;
	for (v = 0; v < MR_VERDICT_COUNT; v++)
		n += mr_prom_verdict_stuck(v);
	assert_int_equal(n, 4);
	assert_true(mr_prom_verdict_stuck(MR_VERDICT_COMING));
	assert_true(mr_prom_verdict_stuck(MR_VERDICT_GOING));
	assert_false(mr_prom_verdict_stuck(MR_VERDICT_IN_USE));
	assert_false(mr_prom_verdict_stuck(MR_VERDICT_NO_EXIT));
}

static void add_lock(struct mr_lock_snapshot *s, uint64_t addr, const char *sym,
		     int pid, const char *comm, uint64_t ns)
{
	struct mr_held_lock l = { .addr = addr,
				  .symbol = (char *)sym,
				  .acquired_at = "f+0x1/0x2 [m]",
				  .held_ns = ns };

	l.owner.task.pid = pid;
	snprintf(l.owner.task.comm, sizeof(l.owner.task.comm), "%s", comm);
	assert_int_equal(mr_lock_snapshot_add_lock(s, &l), 0);
}

/* Locks held >= 1 s, once per lock and owner, with lockwatch on only. */
static void held_locks(void **state)
{
	struct mr_prom_facts f = { .tainted = 0 };
	struct mr_lock_snapshot s;
	struct diag3 x;
	char *out;

	(void)state;
	build(&x);
	mr_lock_snapshot_init(&s, true, 0);
	add_lock(&s, 0x2000, "hp_spinoops_lock [hp_spinoops]", 99,
		 "hp_spinoops", 12345678901ULL);
	add_lock(&s, 0x2000, "hp_spinoops_lock [hp_spinoops]", 99,
		 "hp_spinoops", 12345678901ULL);
	add_lock(&s, 0x1000, NULL, 5, "short", 999999999ULL);
	add_lock(&s, 0x3000, NULL, 6, "anon", 1000000000ULL);
	mr_lock_snapshot_sort(&s);
	f.locks = &s;

	/* Lockwatch off: no sample even with a snapshot. */
	out = expose(&x.d, &f);
	assert_null(strstr(out, "modrescue_lock_held_seconds{"));
	free(out);

	x.d.lockwatch = MR_LOCKWATCH_ON;
	out = expose(&x.d, &f);
	assert_non_null(strstr(out, "\nmodrescue_lockwatch_enabled 1\n"));
	assert_non_null(strstr(
		out,
		"# TYPE modrescue_lock_held_seconds gauge\n"
		"modrescue_lock_held_seconds{lock=\"0x2000\",symbol=\"hp_spinoops_lock [hp_spinoops]\",owner_pid=\"99\",owner_comm=\"hp_spinoops\"} 12.345\n"
		"modrescue_lock_held_seconds{lock=\"0x3000\",symbol=\"\",owner_pid=\"6\",owner_comm=\"anon\"} 1.000\n"
		"# HELP modrescue_contained_total"));
	free(out);
	mr_lock_snapshot_free(&s);
}

static void contained(void **state)
{
	struct mr_prom_facts f = { .tainted = 0,
				   .contain_known = true,
				   .contained_oops = 3,
				   .contained_panics = 1 };
	struct diag3 x;
	char *s;

	(void)state;
	build(&x);
	s = expose(&x.d, &f);
	assert_non_null(
		strstr(s, "\nmodrescue_contained_total{kind=\"oops\"} 3\n"
			  "modrescue_contained_total{kind=\"panic\"} 1\n"));
	free(s);
}

/* Lockwatch's blind spots, once it was asked. */
static void lockwatch_blind(void **state)
{
	struct mr_prom_facts f = { .tainted = 0,
				   .lockwatch_counts_known = true,
				   .lockwatch_full = 9,
				   .lockwatch_dropped = 2,
				   .lockwatch_reclaimed = 31,
				   .lockwatch_full_tables = 1,
				   .lockwatch_shared = true };
	struct diag3 x;
	char *s;

	(void)state;
	build(&x);
	s = expose(&x.d, &f);
	assert_non_null(strstr(
		s,
		"\nmodrescue_lockwatch_unrecorded_total{reason=\"table_full\"} 9\n"
		"modrescue_lockwatch_unrecorded_total{reason=\"other\"} 2\n"));
	assert_non_null(
		strstr(s, "\nmodrescue_lockwatch_reclaimed_total 31\n"));
	assert_non_null(strstr(s, "\nmodrescue_lockwatch_tables_full 1\n"));
	assert_non_null(strstr(s, "\nmodrescue_lockwatch_shared 1\n"));
	free(s);
}

static char *label_of(const char *in)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	mr_prom_label_value(out, in);
	fclose(out);
	return buf;
}

/* A task parked for good by a contained panic counts, in state I too. */
static void parked(void **state)
{
	struct mr_prom_facts f = { .tainted = 0 };
	struct diag3 x;
	char *s;

	(void)state;
	build(&x);
	s = expose(&x.d, &f);
	assert_null(strstr(s, "pid=\"8\""));
	free(s);
	x.t[2].state = 'I';
	x.r[2].parked = true;
	s = expose(&x.d, &f);
	assert_non_null(strstr(
		s,
		"\nmodrescue_task_blocked_seconds{module=\"hp_thread.q1\",pid=\"8\",comm=\"sleeper\",op=\"other\"} 50\n"));
	free(s);
}

static void label_escapes(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "plain", "plain" },
		{ "a\"b", "a\\\"b" },
		{ "a\\b", "a\\\\b" },
		{ "a\nb", "a\\nb" },
		{ "tab\there\x7f", "tab?here?" },
		/* UTF-8 kept: é, €, U+1F600. */
		{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
		  "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80" },
		/* Not UTF-8: a lone continuation, a cut sequence, overlong,
		 * a surrogate, past U+10FFFF. */
		{ "x\x80y", "x?y" },
		{ "x\xe2\x82", "x??" },
		{ "\xc0\xaf", "??" },
		{ "\xed\xa0\x80", "???" },
		{ "\xf4\x90\x80\x80", "????" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *s = label_of(cases[i].in);

		assert_string_equal(s, cases[i].out);
		free(s);
	}
}

static void textfile_atomic(void **state)
{
	char dir[] = "/tmp/mr-textfile-XXXXXX", path[256], buf[64];
	struct dirent *e;
	struct stat st;
	FILE *f;
	DIR *dh;
	size_t n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/modrescue.prom", dir);
	assert_int_equal(mr_textfile_write(dir, "modrescue.prom", "a 1\n", 4),
			 0);
	assert_int_equal(mr_textfile_write(dir, "modrescue.prom", "b 2\n", 4),
			 0);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	assert_string_equal(buf, "b 2\n");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	/* No temporary file left behind. */
	dh = opendir(dir);
	assert_non_null(dh);
	n = 0;
	while ((e = readdir(dh)))
		n += e->d_name[0] != '.' || strlen(e->d_name) > 2;
	closedir(dh);
	assert_int_equal(n, 1);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);
	/* A missing directory fails and says why. */
	assert_int_equal(mr_textfile_write(dir, "modrescue.prom", "x", 1),
			 -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exposition_exact),
		cmocka_unit_test(unknowns),
		cmocka_unit_test(stuck_verdicts),
		cmocka_unit_test(held_locks),
		cmocka_unit_test(contained),
		cmocka_unit_test(lockwatch_blind),
		cmocka_unit_test(parked),
		cmocka_unit_test(label_escapes),
		cmocka_unit_test(textfile_atomic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
