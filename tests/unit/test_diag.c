// SPDX-License-Identifier: GPL-2.0
/*
 * The diagnosis end to end, without a VM: /proc and /sys come from fixture
 * trees through the path-redirection shim (fakeroot.c, $MR_TEST_ROOT), and
 * libkmod reads them too.
 *
 * - fixtures/status/<kernel>/<case>/ were captured in the lab, one case per
 *   group of patient states (tests/vm/capture); every kernel must give every
 *   patient its verdict, facts and stuck task.
 * - Malformed trees are built here at run time: truncated and garbled
 *   files, odd module names, missing sysfs files, unreadable stacks.
 * - The commands (status, why) on those trees: output, messages, exit codes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
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

#include "commands.h"
#include "diag.h"
#include "explain.h"

/* ---- running the diagnosis on a tree ---- */

static int collect(const char *root, const char *const *names, size_t n,
		   bool openers, struct mr_diag *d)
{
	struct mr_diag_opts opts = { .names = names,
				     .n_names = n,
				     .want_openers = openers };
	int err;

	setenv("MR_TEST_ROOT", root, 1);
	err = mr_diag_collect(NULL, &opts, d);
	unsetenv("MR_TEST_ROOT");
	return err;
}

static const struct mr_task *task_of(const struct mr_diag *d,
				     const struct mr_module *m,
				     const char *comm, enum mr_op op,
				     bool want_stuck)
{
	size_t i;

	for (i = 0; i < m->n_tasks; i++) {
		const struct mr_task *t = &d->tasks[m->tasks[i].task];

		if (!strcmp(t->comm, comm) && m->tasks[i].op == op &&
		    m->tasks[i].stuck == want_stuck)
			return t;
	}
	return NULL;
}

static bool has_frame_in(const struct mr_task *t, const char *mod)
{
	char buf[MR_MODNAME_LEN];
	size_t i;

	for (i = 0; i < t->n_stack; i++)
		if (mr_frame_module(t->stack[i], buf, sizeof(buf)) &&
		    !strcmp(buf, mod))
			return true;
	return false;
}

static char *holders_csv(const struct mr_module *m)
{
	static char buf[256];
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < m->n_holders; i++) {
		if (i)
			strcat(buf, ",");
		strcat(buf, m->holders[i]);
	}
	return buf;
}

/* ---- the lab fixtures ---- */

/* A task the module must show: COMM with OP; FRAME: a frame in its code. */
struct want_task {
	const char *comm;
	enum mr_op op;
	bool stuck;
	bool frame;
};

struct want {
	const char *name;
	const char *verdict;
	const char *state;
	long refcnt;
	const char *holders;
	bool has_exit;
	struct want_task tasks[2];
	const char *why; /* a substring of one reason, or NULL */
};

struct fixture_case {
	const char *name;
	struct want mods[8];
};

#define NOTASK                        \
	{                             \
		{                     \
			NULL, 0, 0, 0 \
		}                     \
	}
#define T(c, o, s, f)              \
	{                          \
		c, MR_OP_##o, s, f \
	}

static const struct fixture_case cases[] = {
	{ "basics",
	  { { "loop", "unloadable", "live", 0, "", true, NOTASK, NULL } } },
	{ "live",
	  { { "hp_refleak", "in-use", "live", 1, "", true, NOTASK,
	      "that does not make it a leak" },
	    { "hp_noexit", "no-exit", "live", 0, "", false, NOTASK,
	      "no exit function" },
	    { "hp_dep_a", "has-holders", "live", 1, "hp_dep_b", true, NOTASK,
	      "needed by hp_dep_b" },
	    { "hp_dep_b", "unloadable", "live", 0, "", true, NOTASK, NULL },
	    { "hp_openfd", "in-use", "live", 1, "", true, NOTASK,
	      "(sleep) fd 0 /dev/hp_openfd" },
	    { "hp_panic",
	      "unloadable",
	      "live",
	      0,
	      "",
	      true,
	      { T("hp_panic", OTHER, false, true) },
	      NULL } } },
	{ "blocked",
	  { { "hp_exitwait",
	      "blocked",
	      "going",
	      -1,
	      "",
	      true,
	      { T("rmmod", UNLOAD, true, true) },
	      "has been blocked for " },
	    { "hp_heapwait",
	      "blocked",
	      "going",
	      -1,
	      "",
	      true,
	      { T("rmmod", UNLOAD, true, true) },
	      "[hp_heapwait] <- __do_sys_delete_module" },
	    { "hp_waitevent",
	      "blocked",
	      "going",
	      -1,
	      "",
	      true,
	      { T("rmmod", UNLOAD, true, true) },
	      "[hp_waitevent] <- __do_sys_delete_module" },
	    { "hp_mutexwait",
	      "blocked",
	      "going",
	      -1,
	      "",
	      true,
	      { T("rmmod", UNLOAD, true, true),
		T("hp_mutexwait", OTHER, false, true) },
	      "[hp_mutexwait] <- __do_sys_delete_module" },
	    { "hp_initblock",
	      "blocked",
	      "coming",
	      1,
	      "",
	      true,
	      { T("insmod", LOAD, true, true), T("insmod", LOAD, false, false) },
	      "[hp_initblock] <- do_one_initcall" } } },
	{ "crashed",
	  { { "hp_initoops", "coming", "coming", 1, "", true, NOTASK,
	      "init crashed: the module stayed COMING" },
	    { "hp_exitoops", "going", "going", -1, "", true, NOTASK,
	      "the module stayed GOING" },
	    { "hp_kthreadstop", "going", "going", -1, "", true, NOTASK,
	      "the module stayed GOING" } } },
	{ "spin",
	  { { "hp_spinoops",
	      "blocked",
	      "going",
	      -1,
	      "",
	      true,
	      /* R with no stack (6.1, 6.12), or D in exit (6.1-rt). */
	      { T("rmmod", UNLOAD, true, false) },
	      "rmmod (pid " } } },
};

static const char *const kernels[] = { "6.1", "6.12", "6.1-rt" };

static bool why_says(const struct mr_diag *d, const struct mr_module *m,
		     const char *text)
{
	struct mr_why w;
	bool found = false;
	size_t i;

	assert_int_equal(mr_explain(d, m, &w), 0);
	for (i = 0; i < w.n_reasons; i++)
		found = found || strstr(w.reasons[i], text);
	if (!found) {
		print_message("why %s lacks \"%s\":\n", m->name, text);
		for (i = 0; i < w.n_reasons; i++)
			print_message("  %s\n", w.reasons[i]);
	}
	mr_why_free(&w);
	return found;
}

/* Fail with the context when GOT is not WANT. */
static void same(const char *where, const char *mod, const char *what,
		 const char *got, const char *want)
{
	if (strcmp(got, want)) {
		print_message("%s: %s: %s is \"%s\", want \"%s\"\n", where, mod,
			      what, got, want);
		fail();
	}
}

static void check_module(const struct mr_diag *d, const struct want *w,
			 const char *where)
{
	const struct mr_module *m = mr_diag_find(d, w->name);
	char num[32], want[32];
	size_t i;

	if (!m) {
		print_message("%s: %s is missing\n", where, w->name);
		fail();
	}
	same(where, w->name, "verdict", mr_verdict_name(m->verdict),
	     w->verdict);
	same(where, w->name, "state", mr_state_name(m->state), w->state);
	snprintf(num, sizeof(num), "%ld", m->refcnt_known ? m->refcnt : 999);
	snprintf(want, sizeof(want), "%ld", w->refcnt);
	same(where, w->name, "refcnt", num, want);
	same(where, w->name, "holders", holders_csv(m), w->holders);
	same(where, w->name, "has_exit",
	     !m->has_exit_known ? "?" :
	     m->has_exit	? "true" :
				  "false",
	     w->has_exit ? "true" : "false");
	for (i = 0; i < 2 && w->tasks[i].comm; i++) {
		const struct want_task *wt = &w->tasks[i];
		const struct mr_task *t =
			task_of(d, m, wt->comm, wt->op, wt->stuck);

		if (!t || (wt->frame && !has_frame_in(t, w->name))) {
			print_message("%s: %s: no task %s, op %s%s%s\n", where,
				      w->name, wt->comm, mr_op_name(wt->op),
				      wt->stuck ? ", stuck" : "",
				      wt->frame ? ", with a module frame" : "");
			fail();
		}
	}
	if (!w->tasks[0].comm && m->n_tasks) {
		print_message("%s: %s: unexpected tasks\n", where, w->name);
		fail();
	}
	if (w->why && !why_says(d, m, w->why))
		fail();
}

static void lab_fixtures(void **state)
{
	char root[512];
	size_t k, c, i, checked = 0;

	(void)state;
	for (k = 0; k < sizeof(kernels) / sizeof(kernels[0]); k++) {
		for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
			const struct fixture_case *fc = &cases[c];
			struct mr_diag d;
			struct stat st;

			snprintf(root, sizeof(root), "%s/status/%s/%s",
				 FIXTURES_DIR, kernels[k], fc->name);
			if (stat(root, &st)) {
				print_message("missing fixture %s\n", root);
				fail();
			}
			assert_int_equal(collect(root, NULL, 0, true, &d), 0);
			assert_false(d.tasks_denied);
			for (i = 0; i < 8 && fc->mods[i].name; i++) {
				check_module(&d, &fc->mods[i], root);
				checked++;
			}
			mr_diag_free(&d);
		}
	}
	assert_true(checked >= 3 * 16);
}

/* Named modules come back in the order named, once each. */
static void lab_fixture_named(void **state)
{
	const char *names[] = { "hp_noexit", "hp_refleak", "hp_noexit",
				"hp_nothere" };
	char root[512];
	struct mr_diag d;

	(void)state;
	snprintf(root, sizeof(root), "%s/status/6.1/live", FIXTURES_DIR);
	assert_int_equal(collect(root, names, 4, false, &d), 0);
	assert_int_equal(d.n_mods, 2);
	assert_string_equal(d.mods[0].name, "hp_noexit");
	assert_string_equal(d.mods[1].name, "hp_refleak");
	assert_null(mr_diag_find(&d, "hp_nothere"));
	assert_false(d.openers_scanned);
	mr_diag_free(&d);
}

/* ---- trees built at run time ---- */

static char tmproot[64];

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int setup_tree(void **state)
{
	(void)state;
	snprintf(tmproot, sizeof(tmproot), "/tmp/mr-unit-diag-XXXXXX");
	return mkdtemp(tmproot) ? 0 : -1;
}

static int teardown_tree(void **state)
{
	(void)state;
	return nftw(tmproot, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void mkdirs(const char *path)
{
	char buf[1024], *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(buf, 0755);
			*p = '/';
		}
	}
	mkdir(buf, 0755);
}

/* Write tmproot/REL with LEN bytes of DATA (a string when LEN is -1). */
static void put_n(const char *rel, const char *data, ssize_t len)
{
	char path[1024], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmproot, rel);
	slash = strrchr(path, '/');
	*slash = '\0';
	mkdirs(path);
	*slash = '/';
	f = fopen(path, "w");
	assert_non_null(f);
	if (len < 0)
		len = (ssize_t)strlen(data);
	assert_int_equal(fwrite(data, 1, (size_t)len, f), (size_t)len);
	fclose(f);
}

static void put(const char *rel, const char *data)
{
	put_n(rel, data, -1);
}

static void put_link(const char *rel, const char *target)
{
	char path[1024], *slash;

	snprintf(path, sizeof(path), "%s/%s", tmproot, rel);
	slash = strrchr(path, '/');
	*slash = '\0';
	mkdirs(path);
	*slash = '/';
	assert_int_equal(symlink(target, path), 0);
}

static void chmod_rel(const char *rel, mode_t mode)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", tmproot, rel);
	assert_int_equal(chmod(path, mode), 0);
}

/* A thread's files; any NULL is left out. */
static void put_thread(int pid, int tid, const char *stack, const char *sys,
		       const char *comm, const char *stat)
{
	char rel[128];

	if (stack) {
		snprintf(rel, sizeof(rel), "proc/%d/task/%d/stack", pid, tid);
		put(rel, stack);
	}
	if (sys) {
		snprintf(rel, sizeof(rel), "proc/%d/task/%d/syscall", pid, tid);
		put(rel, sys);
	}
	if (comm) {
		snprintf(rel, sizeof(rel), "proc/%d/task/%d/comm", pid, tid);
		put(rel, comm);
	}
	if (stat) {
		snprintf(rel, sizeof(rel), "proc/%d/task/%d/stat", pid, tid);
		put(rel, stat);
	}
	snprintf(rel, sizeof(rel), "proc/%d/task/%d/wchan", pid, tid);
	put(rel, "0");
}

static void malformed_proc_modules(void **state)
{
	char longname[300], big[5000], path[1024];
	size_t wide_holders = 1, i;
	struct mr_diag d;
	struct mr_module *m;
	FILE *f;

	(void)state;
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	/* A holder list longer than libkmod's 4096-byte line buffer. */
	memset(big, 'h', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	for (i = 10; i < sizeof(big) - 1; i += 11) {
		big[i] = ',';
		wide_holders++;
	}
	put("proc/uptime", "100.00 50.00\n");
	put("proc/modules", "");
	snprintf(path, sizeof(path), "%s/proc/modules", tmproot);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("good 16384 0 - Live 0x0000000000000000 (OE)\n", f);
	fputs("\n", f);
	fputs("   \n", f);
	fputs("onlyname\n", f);
	fputs("../../etc 16384 0 - Live 0x0\n", f);
	fprintf(f, "%s 1 0 - Live 0x0\n", longname);
	fprintf(f, "wide 1 1 %s Live 0x0\n", big);
	fputs("cut 16384 2 a,b,", f); /* truncated, no newline */
	fclose(f);
	/* Sysfs for "good" only; "../../etc" must not be looked up there. */
	put("sys/module/good/initstate", "live\n");
	put("sys/module/good/refcnt", "0\n");
	snprintf(path, sizeof(path), "%s/sys/module/good/holders", tmproot);
	mkdirs(path);
	put("sys/module/refcnt", "9\n");
	assert_int_equal(collect(tmproot, NULL, 0, false, &d), 0);
	assert_int_equal(d.n_mods, 6);

	m = mr_diag_find(&d, "good");
	assert_non_null(m);
	assert_int_equal(m->n_holders, 0);
	assert_int_equal(m->verdict, MR_VERDICT_UNLOADABLE);

	m = mr_diag_find(&d, "onlyname");
	assert_non_null(m);
	assert_int_equal(m->state, MR_STATE_UNKNOWN);
	assert_false(m->refcnt_known);
	assert_false(m->has_exit_known);
	assert_int_equal(m->verdict, MR_VERDICT_UNLOADABLE);

	m = mr_diag_find(&d, "../../etc");
	assert_non_null(m);
	assert_int_equal(m->state, MR_STATE_LIVE);
	assert_int_equal(m->refcnt, 0);

	m = mr_diag_find(&d, longname);
	assert_non_null(m);
	assert_int_equal(m->state, MR_STATE_LIVE);

	m = mr_diag_find(&d, "wide");
	assert_non_null(m);
	assert_int_equal(m->n_holders, wide_holders);
	assert_int_equal(m->verdict, MR_VERDICT_HAS_HOLDERS);

	m = mr_diag_find(&d, "cut");
	assert_non_null(m);
	assert_int_equal(m->refcnt, 2);
	assert_int_equal(m->n_holders, 2);
	assert_int_equal(m->state, MR_STATE_UNKNOWN);
	assert_int_equal(m->verdict, MR_VERDICT_HAS_HOLDERS);
	mr_diag_free(&d);
}

static void sysfs_gaps_and_garbage(void **state)
{
	struct mr_diag d;
	struct mr_module *m;

	(void)state;
	put("proc/uptime", "100.00 50.00\n");
	put("proc/modules", "nostate 1 0 - Loading 0x0\n"
			    "truncstate 1 0 - Unloading 0x0\n"
			    "badref 1 3 - Live 0x0\n"
			    "going 1 -1 - Unloading 0x0\n"
			    "holders 1 1 user, Live 0x0\n"
			    "nosysfs 1 0 [permanent], Live 0x0\n");
	/* No initstate file, but the directory: libkmod says COMING. */
	put("sys/module/nostate/refcnt", "0\n");
	put("sys/module/truncstate/initstate", "goi");
	put("sys/module/badref/initstate", "live\n");
	put("sys/module/badref/refcnt", "garbage\n");
	put("sys/module/going/initstate", "going\n");
	put("sys/module/going/refcnt", "-1\n");
	put("sys/module/holders/initstate", "live\n");
	put("sys/module/holders/refcnt", "1\n");
	assert_int_equal(collect(tmproot, NULL, 0, false, &d), 0);
	assert_int_equal(d.n_mods, 6);

	m = mr_diag_find(&d, "nostate");
	assert_int_equal(m->state, MR_STATE_COMING);
	assert_int_equal(m->verdict, MR_VERDICT_COMING);
	m = mr_diag_find(&d, "truncstate");
	assert_int_equal(m->state, MR_STATE_GOING); /* from /proc/modules */
	m = mr_diag_find(&d, "badref");
	assert_int_equal(m->refcnt, 3); /* from /proc/modules */
	assert_int_equal(m->verdict, MR_VERDICT_IN_USE);
	m = mr_diag_find(&d, "going");
	assert_int_equal(m->refcnt, -1);
	assert_int_equal(m->verdict, MR_VERDICT_GOING);
	m = mr_diag_find(&d, "holders");
	assert_int_equal(m->n_holders, 1); /* no holders/ dir: /proc/modules */
	assert_string_equal(m->holders[0], "user");
	m = mr_diag_find(&d, "nosysfs");
	assert_int_equal(m->state, MR_STATE_LIVE);
	assert_false(m->has_exit);
	assert_int_equal(m->verdict, MR_VERDICT_NO_EXIT);
	mr_diag_free(&d);
}

static const char *const exit_stack =
	"[<0>] hp_x_exit+0x18/0x1000 [hp_x]\n"
	"[<0>] __do_sys_delete_module+0x1b9/0x330\n"
	"[<0>] do_syscall_64+0x5d/0xb0\n";
static const char *const stat_d =
	"50 (rmmod) D 1 50 1 0 -1 4194560 95 0 0 0 0 0 0 0 20 0 1 0 4000 2469888 164 0\n";

static void tasks_malformed(void **state)
{
	char mem[0x100];
	struct mr_diag d;
	struct mr_module *m;
	const struct mr_task *t;

	(void)state;
	put("proc/uptime", "100.00 50.00\n");
	put("proc/modules", "hp_x 1 -1 - Unloading 0x0\n"
			    "hp_y 1 0 - Live 0x0\n"
			    "hp_z 1 1 - Loading 0x0\n");
	/* The stuck rmmod, normal. Age: 100 - 4000/100 = 60 s. */
	put_thread(50, 50, exit_stack,
		   "176 0x40 0x800 0x0 0x0 0x0 0x0 0x1 0x2\n", "rmmod\n",
		   stat_d);
	/* Its delete_module argument, from "memory": the name at 0x40. */
	memset(mem, 0, sizeof(mem));
	strcpy(mem + 0x40, "hp_x");
	put_n("proc/50/task/50/mem", mem, sizeof(mem));
	/* Garbage syscall, truncated stat, no comm: frames in hp_y. */
	put_thread(51, 51, "[<0>] y_fn+0x1/0x2 [hp_y]\n", "gar bage\n", NULL,
		   "51 (ythread) S 2 0");
	/* A stack with garbage lines around a module frame of hp_y. */
	put_thread(
		52, 52,
		"\x01\x02 junk\n[<0 unterminated\n[<0>] f+0x1/0x2 [hp_y]\n[<0>]\n",
		"-1 0x1 0x2\n", "junk\n", "nonsense");
	/* Unreadable stack and syscall (what a non-root user gets). */
	put_thread(53, 53, "[<0>] z+0x1/0x2 [hp_z]\n", "175 0x1 0x2 0x3\n",
		   "insmod\n", NULL);
	chmod_rel("proc/53/task/53/stack", 0);
	chmod_rel("proc/53/task/53/syscall", 0);
	/* An empty thread directory, and a process without task/. */
	put("proc/54/task/54/.empty", "");
	put("proc/55/cmdline", "x");
	/* finit_module with no frames: the fd names the module. */
	put_thread(56, 56,
		   "[<0>] load_module+0x1/0x2\n"
		   "[<0>] __do_sys_finit_module+0xac/0x120\n",
		   "313 0x3 0x0 0x0\n", "insmod\n", NULL);
	put_link("proc/56/fd/3", "/lab/patients/hp-z.ko");
	/*
	 * A readable stack with neither a module frame nor a module syscall
	 * frame settles it: the syscall file is not read.
	 */
	put_thread(57, 57, "[<0>] do_nanosleep+0x1/0x2\n", "313 0x3 0x0 0x0\n",
		   "insmod\n", NULL);
	put_link("proc/57/fd/3", "/lab/patients/hp-z.ko");
	/* Non-numeric entries are ignored. */
	put("proc/self-not/task/1/stack", "[<0>] f [hp_y]\n");
	put("proc/60/task/abc/stack", "[<0>] f [hp_y]\n");

	assert_int_equal(collect(tmproot, NULL, 0, false, &d), 0);
	assert_true(d.tasks_denied);
	assert_int_equal(d.tasks_scanned, 7);

	m = mr_diag_find(&d, "hp_x");
	assert_int_equal(m->verdict, MR_VERDICT_BLOCKED);
	t = task_of(&d, m, "rmmod", MR_OP_UNLOAD, true);
	assert_non_null(t);
	assert_string_equal(t->target, "hp_x");
	assert_int_equal(t->age_s, 60);
	assert_int_equal(t->state, 'D');

	m = mr_diag_find(&d, "hp_y");
	assert_int_equal(m->verdict, MR_VERDICT_UNLOADABLE);
	assert_int_equal(m->n_tasks, 2);
	t = task_of(&d, m, "ythread", MR_OP_OTHER, false);
	assert_non_null(t);
	assert_int_equal(t->age_s, -1);
	assert_int_equal(t->syscall, MR_SYSCALL_UNKNOWN);
	t = task_of(&d, m, "junk", MR_OP_OTHER, false);
	assert_non_null(t);
	assert_int_equal(t->state, '?');

	/* The unreadable insmod is unseen; the finit one waits outside. */
	m = mr_diag_find(&d, "hp_z");
	assert_int_equal(m->verdict, MR_VERDICT_COMING);
	assert_int_equal(m->n_tasks, 1);
	t = task_of(&d, m, "insmod", MR_OP_LOAD, false);
	assert_non_null(t);
	assert_int_equal(t->pid, 56);
	assert_string_equal(t->target, "hp_z");
	mr_diag_free(&d);
}

static void openers(void **state)
{
	struct mr_diag d;
	struct mr_module *m;
	size_t i;

	(void)state;
	put("proc/uptime", "100.00 50.00\n");
	put("proc/modules", "hp_openfd 1 1 - Live 0x0\n"
			    "loop 1 2 - Live 0x0\n"
			    "quiet 1 0 - Live 0x0\n");
	put("proc/70/comm", "sleep\n");
	put_link("proc/70/fd/0", "/dev/hp_openfd");
	put_link("proc/70/fd/1", "/dev/hp_openfdx");
	put_link("proc/70/fd/2", "/dev/loop0");
	put_link("proc/71/fd/5", "/dev/loop12");
	put_link("proc/71/fd/6", "/tmp/loop");
	put_link("proc/71/fd/7", "/dev/quiet");
	assert_int_equal(collect(tmproot, NULL, 0, true, &d), 0);
	m = mr_diag_find(&d, "hp_openfd");
	assert_int_equal(m->n_openers, 1);
	assert_int_equal(m->openers[0].pid, 70);
	assert_int_equal(m->openers[0].fd, 0);
	assert_string_equal(m->openers[0].comm, "sleep");
	assert_string_equal(m->openers[0].path, "/dev/hp_openfd");
	m = mr_diag_find(&d, "loop");
	assert_int_equal(m->n_openers, 2);
	/* /proc is read in directory order: find pid 71 (no comm). */
	i = m->openers[0].pid == 71 ? 0 : 1;
	assert_int_equal(m->openers[i].pid, 71);
	assert_int_equal(m->openers[i].fd, 5);
	assert_string_equal(m->openers[i].comm, "?");
	/* No unexplained reference: not looked for. */
	m = mr_diag_find(&d, "quiet");
	assert_int_equal(m->n_openers, 0);
	mr_diag_free(&d);
}

static void no_proc_modules(void **state)
{
	struct mr_diag d;

	(void)state;
	put("proc/uptime", "1\n");
	assert_int_equal(collect(tmproot, NULL, 0, false, &d), -ENOENT);
	assert_int_equal(d.n_mods, 0);
	/* Empty: no modules, no task scan. */
	put("proc/modules", "");
	assert_int_equal(collect(tmproot, NULL, 0, false, &d), 0);
	assert_int_equal(d.n_mods, 0);
	assert_int_equal(d.tasks_scanned, 0);
	mr_diag_free(&d);
}

/* ---- the commands ---- */

struct run {
	int rc;
	char out[8192];
	char err[2048];
};

static void slurp(int fd, char *buf, size_t len)
{
	ssize_t n;

	lseek(fd, 0, SEEK_SET);
	n = read(fd, buf, len - 1);
	buf[n < 0 ? 0 : n] = '\0';
	close(fd);
}

/* Run CMD on the tree ROOT with the NULL-terminated ARGS. */
static void run_args(int (*cmd)(int, char **), const char *root, struct run *r,
		     const char *const *args)
{
	char *argv[8];
	int argc = 0, out, err, save_out, save_err;
	char tout[] = "/tmp/mr-unit-outXXXXXX",
	     terr[] = "/tmp/mr-unit-errXXXXXX";

	while (argc < 7 && args[argc]) {
		argv[argc] = (char *)args[argc];
		argc++;
	}
	argv[argc] = NULL;
	out = mkstemp(tout);
	err = mkstemp(terr);
	assert_true(out >= 0 && err >= 0);
	unlink(tout);
	unlink(terr);
	fflush(stdout);
	fflush(stderr);
	save_out = dup(1);
	save_err = dup(2);
	dup2(out, 1);
	dup2(err, 2);
	setenv("MR_TEST_ROOT", root, 1);
	r->rc = cmd(argc, argv);
	unsetenv("MR_TEST_ROOT");
	fflush(stdout);
	fflush(stderr);
	dup2(save_out, 1);
	dup2(save_err, 2);
	close(save_out);
	close(save_err);
	slurp(out, r->out, sizeof(r->out));
	slurp(err, r->err, sizeof(r->err));
}

#define run_cmd(cmd, root, r, ...) \
	run_args(cmd, root, r, (const char *const[]){ __VA_ARGS__ })

static void commands_on_fixture(void **state)
{
	char root[512];
	struct run r;

	(void)state;
	snprintf(root, sizeof(root), "%s/status/6.1/live", FIXTURES_DIR);

	run_cmd(cmd_status, root, &r, "status", "--json", "hp_dep_a", NULL);
	assert_int_equal(r.rc, MR_EXIT_OK);
	assert_string_equal(
		r.out,
		"{\"modules\":[{\"name\":\"hp_dep_a\",\"state\":\"live\",\"refcnt\":1,\"holders\":[\"hp_dep_b\"],\"has_exit\":true,\"verdict\":\"has-holders\",\"tasks\":[]}]}\n");
	assert_string_equal(r.err, "");

	run_cmd(cmd_status, root, &r, "status", "hp-refleak", "hp_nothere",
		NULL);
	assert_int_equal(r.rc, MR_EXIT_FAILED);
	assert_non_null(strstr(r.out, "hp_refleak"));
	assert_non_null(strstr(r.out, "in-use"));
	assert_string_equal(
		r.err,
		"modrescue: ERROR: Module hp_nothere is not currently loaded\n");

	run_cmd(cmd_status, root, &r, "status", "hp_nothere", NULL);
	assert_int_equal(r.rc, MR_EXIT_FAILED);
	assert_string_equal(r.out, "");

	run_cmd(cmd_status, root, &r, "status", NULL);
	assert_int_equal(r.rc, MR_EXIT_OK);
	assert_non_null(strstr(r.out, "Module "));
	assert_non_null(strstr(r.out, "hp_noexit"));

	run_cmd(cmd_status, root, &r, "status", "--nope", NULL);
	assert_int_equal(r.rc, MR_EXIT_USAGE);
	assert_non_null(
		strstr(r.err, "modrescue: ERROR: unknown option '--nope'\n"));
	/* Options may follow the modules, as with kmod's tools. */
	run_cmd(cmd_status, root, &r, "status", "hp_dep_a", "--json", NULL);
	assert_int_equal(r.rc, MR_EXIT_OK);
	assert_non_null(strstr(r.out, "\"name\":\"hp_dep_a\""));
	run_cmd(cmd_status, root, &r, "status", "--", "--json", NULL);
	assert_int_equal(r.rc, MR_EXIT_FAILED);
	assert_string_equal(
		r.err,
		"modrescue: ERROR: Module __json is not currently loaded\n");

	run_cmd(cmd_why, root, &r, "why", "hp_openfd", NULL);
	assert_int_equal(r.rc, MR_EXIT_OK);
	assert_non_null(strstr(
		r.out,
		"hp_openfd: in-use (state live, refcnt 1, has an exit)\n"));
	assert_non_null(strstr(r.out, "held open by pid "));

	run_cmd(cmd_why, root, &r, "why", "--json", "hp_noexit", NULL);
	assert_int_equal(r.rc, MR_EXIT_OK);
	assert_non_null(strstr(r.out, "{\"module\":{\"name\":\"hp_noexit\","));
	assert_non_null(strstr(
		r.out,
		"\"unload\":\"modrescue unload would force it out, as rmmod -f does\"}"));

	run_cmd(cmd_why, root, &r, "why", "hp_nothere", NULL);
	assert_int_equal(r.rc, MR_EXIT_FAILED);
	assert_string_equal(
		r.err,
		"modrescue: ERROR: Module hp_nothere is not currently loaded\n");
	run_cmd(cmd_why, root, &r, "why", NULL);
	assert_int_equal(r.rc, MR_EXIT_USAGE);
	run_cmd(cmd_why, root, &r, "why", "a", "b", NULL);
	assert_int_equal(r.rc, MR_EXIT_USAGE);
	run_cmd(cmd_why, root, &r, "why", "-x", "a", NULL);
	assert_int_equal(r.rc, MR_EXIT_USAGE);
	assert_non_null(strstr(r.err, "unknown option '-x'"));
	run_cmd(cmd_why, root, &r, "why", "--help", NULL);
	assert_int_equal(r.rc, MR_EXIT_OK);
}

static void commands_on_broken_trees(void **state)
{
	struct run r;

	(void)state;
	/*
	 * No /proc/modules while /proc is mounted: a kernel without
	 * loadable-module support, said as such, with its own exit code.
	 */
	put("proc/uptime", "1\n");
	run_cmd(cmd_status, tmproot, &r, "status", NULL);
	assert_int_equal(r.rc, MR_EXIT_NO_MODULES);
	assert_int_equal(MR_EXIT_NO_MODULES, 5);
	assert_string_equal(r.out, "");
	assert_string_equal(
		r.err,
		"modrescue: ERROR: this kernel has no loadable-module support (no /proc/modules): there is no module to look at, and no helper can be loaded\n");
	run_cmd(cmd_status, tmproot, &r, "status", "--prometheus", NULL);
	assert_int_equal(r.rc, MR_EXIT_NO_MODULES);
	assert_string_equal(r.out, "");
	run_cmd(cmd_why, tmproot, &r, "why", "x", NULL);
	assert_int_equal(r.rc, MR_EXIT_NO_MODULES);
	assert_non_null(
		strstr(r.err, "this kernel has no loadable-module support"));
	/* --help still answers there. */
	run_cmd(cmd_status, tmproot, &r, "status", "--help", NULL);
	assert_int_equal(r.rc, MR_EXIT_OK);

	/* Not root: stacks unreadable, said plainly on stderr. */
	put("proc/modules", "hp_x 1 -1 - Unloading 0x0\n");
	put_thread(50, 50, exit_stack, "176 0x0\n", "rmmod\n", stat_d);
	chmod_rel("proc/50/task/50/stack", 0);
	chmod_rel("proc/50/task/50/syscall", 0);
	run_cmd(cmd_status, tmproot, &r, "status", "--json", NULL);
	assert_int_equal(r.rc, MR_EXIT_OK);
	assert_non_null(strstr(r.out, "\"verdict\":\"going\",\"tasks\":[]"));
	assert_non_null(strstr(r.err, "not root"));
	run_cmd(cmd_why, tmproot, &r, "why", "hp_x", NULL);
	assert_int_equal(r.rc, MR_EXIT_OK);
	assert_non_null(strstr(r.out, "note: not root"));
	assert_non_null(strstr(r.err, "not root"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lab_fixtures),
		cmocka_unit_test(lab_fixture_named),
		cmocka_unit_test_setup_teardown(malformed_proc_modules,
						setup_tree, teardown_tree),
		cmocka_unit_test_setup_teardown(sysfs_gaps_and_garbage,
						setup_tree, teardown_tree),
		cmocka_unit_test_setup_teardown(tasks_malformed, setup_tree,
						teardown_tree),
		cmocka_unit_test_setup_teardown(openers, setup_tree,
						teardown_tree),
		cmocka_unit_test_setup_teardown(no_proc_modules, setup_tree,
						teardown_tree),
		cmocka_unit_test(commands_on_fixture),
		cmocka_unit_test_setup_teardown(commands_on_broken_trees,
						setup_tree, teardown_tree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
