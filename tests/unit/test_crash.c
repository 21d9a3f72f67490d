// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for cli/lib/diagnosis/crashfacts.c and oopslog.c's search: the
 * oops that left a module GOING or COMING, from real kernel logs captured
 * in the lab as /dev/kmsg gives them (fixtures/kmsg):
 *  - 6.1-crashed: hp_initoops' init oops (#1, insmod), hp_exitoops' exit
 *    oops (#2, rmmod), then seed 003's kthread_stop on a freed thread: a
 *    refcount WARNING, then oops #3 with RIP in kthread_stop and the
 *    module's exit in the call trace;
 *  - 6.12-crashed: the same init and exit oopses in 6.12's format ("Oops:
 *    Oops:", "CPU: 0 UID: 0 PID:"; finit_module through
 *    idempotent_init_module);
 *  - 6.12-kthreadstop: seed 003 on 6.12 (WARNING, then oops #2 with RIP
 *    in kthread_stop), from the lab's serial console ("[    4.800881]
 *    text" turned into records, sequence numbers made up from 901);
 *  - 6.1-rotated: 6.1-crashed from record 472 on (the first two oopses
 *    rotated out); 6.1-no-oops: its records before the first oops.
 * And how why and status say it (explain.c, render.c).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crashfacts.h"
#include "explain.h"
#include "oopslog.h"
#include "render.h"

#define KMSG FIXTURES_DIR "/kmsg/"

/*
 * Read a kmsg fixture into LOG as mr_oops_log_read_kmsg() does, in reads
 * of CHUNK bytes so that records are cut and carried on.
 */
static void read_fixture(const char *name, size_t chunk,
			 struct mr_oops_log *log)
{
	char path[512], buf[8192];
	size_t have = 0, n;
	FILE *f;

	snprintf(path, sizeof(path), "%s%s.kmsg", KMSG, name);
	f = fopen(path, "re");
	assert_non_null(f);
	mr_oops_log_init(log);
	while ((n = fread(buf + have, 1,
			  chunk < sizeof(buf) - have ? chunk :
						       sizeof(buf) - have,
			  f)) > 0) {
		long done;

		have += n;
		done = mr_oops_log_kmsg_text(log, buf, have);
		assert_true(done >= 0);
		memmove(buf, buf + done, have - (size_t)done);
		have -= (size_t)done;
	}
	fclose(f);
	assert_int_equal(have, 0); /* every record ends with a newline */
}

static void module(struct mr_module *m, const char *name, enum mr_state st)
{
	memset(m, 0, sizeof(*m));
	m->name = (char *)name;
	m->state = st;
	m->refcnt_known = true;
	m->refcnt = st == MR_STATE_GOING ? -1 : 1;
	m->has_exit_known = true;
	m->has_exit = true;
	m->verdict = st == MR_STATE_GOING ? MR_VERDICT_GOING :
					    MR_VERDICT_COMING;
}

static void oopses_of_61(void **state)
{
	struct mr_oops_log log;

	(void)state;
	read_fixture("6.1-crashed", 333, &log);
	assert_int_equal(log.n, 3); /* the WARNING is none */
	assert_int_equal(log.first_seq, 0);
	assert_int_equal(log.first_usec, 0);
	assert_int_equal(log.oopses[0].usec, 2015248);
	assert_string_equal(log.oopses[0].comm, "insmod");
	assert_int_equal(log.oopses[0].pid, 97);
	assert_int_equal(mr_oops_where(&log.oopses[0]), MR_OOPS_IN_INIT);
	assert_string_equal(
		log.oopses[0].cause,
		"BUG: kernel NULL pointer dereference, address: 0000000000000000");
	assert_int_equal(mr_oops_where(&log.oopses[1]), MR_OOPS_IN_EXIT);
	assert_int_equal(mr_oops_where(&log.oopses[2]), MR_OOPS_IN_EXIT);
	mr_oops_log_free(&log);
}

static void exit_oops(void **state)
{
	struct mr_oops_log log;
	struct mr_module m;
	char text[512];

	(void)state;
	read_fixture("6.1-crashed", 8191, &log);
	module(&m, "hp_exitoops", MR_STATE_GOING);
	assert_true(mr_crash_wanted(&m));
	mr_crash_from_log(&m, &log);
	assert_int_equal(m.crash.seen, MR_CRASH_FOUND);
	assert_false(m.crash.in_init);
	assert_int_equal(m.crash.usec, 2142274);
	assert_int_equal(m.crash.pid, 99);
	assert_string_equal(m.crash.comm, "rmmod");
	assert_string_equal(m.crash.frame,
			    "hp_exitoops_exit+0x1d/0x1000 [hp_exitoops]");
	mr_crash_text(&m, text, sizeof(text));
	assert_string_equal(
		text,
		"its exit oopsed at 2.142274 s after boot, in pid 99 (rmmod), at hp_exitoops_exit+0x1d/0x1000 [hp_exitoops]: BUG: kernel NULL pointer dereference, address: 0000000000000000");
	mr_oops_log_free(&log);
}

static void init_oops(void **state)
{
	struct mr_oops_log log;
	struct mr_module m;
	char text[512];

	(void)state;
	read_fixture("6.1-crashed", 100, &log);
	module(&m, "hp_initoops", MR_STATE_COMING);
	mr_crash_from_log(&m, &log);
	assert_int_equal(m.crash.seen, MR_CRASH_FOUND);
	assert_true(m.crash.in_init);
	assert_int_equal(m.crash.pid, 97);
	assert_string_equal(m.crash.comm, "insmod");
	assert_string_equal(m.crash.frame,
			    "hp_initoops_init+0x22/0x1000 [hp_initoops]");
	mr_crash_text(&m, text, sizeof(text));
	assert_string_equal(
		text,
		"its init oopsed at 2.015248 s after boot, in pid 97 (insmod), at hp_initoops_init+0x22/0x1000 [hp_initoops]: BUG: kernel NULL pointer dereference, address: 0000000000000000");
	/* A GOING hp_initoops would want an exit oops: there is none. */
	module(&m, "hp_initoops", MR_STATE_GOING);
	mr_crash_from_log(&m, &log);
	assert_int_equal(m.crash.seen, MR_CRASH_NOT_IN_LOG);
	assert_true(m.crash.log_whole);
	mr_oops_log_free(&log);
}

/* RIP in kthread_stop: the module's frame is the call trace's. */
static void kthread_stop_oops(void **state)
{
	struct mr_oops_log log;
	struct mr_module m;
	char frame[160];

	(void)state;
	read_fixture("6.1-crashed", 4096, &log);
	module(&m, "hp_kthreadstop", MR_STATE_GOING);
	mr_crash_from_log(&m, &log);
	assert_int_equal(m.crash.seen, MR_CRASH_FOUND);
	assert_int_equal(m.crash.pid, 103);
	assert_string_equal(m.crash.comm, "rmmod");
	assert_int_equal(m.crash.usec, 2397609);
	assert_string_equal(m.crash.frame,
			    "hp_kthreadstop_exit+0x18/0xfb6 [hp_kthreadstop]");
	assert_string_equal(
		m.crash.cause,
		"BUG: kernel NULL pointer dereference, address: 0000000000000000");
	/* The RIP's own frame is no module's. */
	assert_false(mr_oops_module_frame(&log.oopses[2], "kthread_stop", frame,
					  sizeof(frame)));
	assert_true(mr_oops_module_frame(&log.oopses[2], "hp_kthreadstop",
					 frame, sizeof(frame)));
	mr_oops_log_free(&log);
}

static void formats_of_612(void **state)
{
	struct mr_oops_log log;
	struct mr_module m;

	(void)state;
	read_fixture("6.12-crashed", 8191, &log);
	assert_int_equal(log.n, 2);
	module(&m, "hp_exitoops", MR_STATE_GOING);
	mr_crash_from_log(&m, &log);
	assert_int_equal(m.crash.seen, MR_CRASH_FOUND);
	assert_int_equal(m.crash.usec, 3888633);
	assert_int_equal(m.crash.pid, 147);
	assert_string_equal(m.crash.comm, "rmmod");
	assert_string_equal(m.crash.frame,
			    "hp_exitoops_exit+0x2d/0xff0 [hp_exitoops]");
	module(&m, "hp_initoops", MR_STATE_COMING);
	mr_crash_from_log(&m, &log);
	assert_int_equal(m.crash.seen, MR_CRASH_FOUND);
	assert_int_equal(m.crash.pid, 145);
	assert_string_equal(m.crash.comm, "insmod");
	assert_string_equal(m.crash.frame,
			    "hp_initoops_init+0x41/0xff0 [hp_initoops]");
	/* seed 003's use-after-free went unnoticed there: no oops. */
	module(&m, "hp_kthreadstop", MR_STATE_GOING);
	mr_crash_from_log(&m, &log);
	assert_int_equal(m.crash.seen, MR_CRASH_NOT_IN_LOG);
	mr_oops_log_free(&log);

	/* ... and another run where it oopsed. */
	read_fixture("6.12-kthreadstop", 200, &log);
	assert_int_equal(log.n, 1); /* the WARNING before it is none */
	mr_crash_from_log(&m, &log);
	assert_int_equal(m.crash.seen, MR_CRASH_FOUND);
	assert_int_equal(m.crash.usec, 4800881);
	assert_int_equal(m.crash.pid, 153);
	assert_string_equal(m.crash.comm, "rmmod");
	assert_string_equal(m.crash.frame,
			    "hp_kthreadstop_exit+0x1c/0xfc0 [hp_kthreadstop]");
	assert_false(m.crash.log_whole); /* starts at record 901 */
	mr_oops_log_free(&log);
}

static void rotated_log(void **state)
{
	struct mr_oops_log log;
	struct mr_module m;
	char text[512];

	(void)state;
	read_fixture("6.1-rotated", 512, &log);
	assert_int_equal(log.first_seq, 472);
	module(&m, "hp_exitoops", MR_STATE_GOING);
	mr_crash_from_log(&m, &log);
	assert_int_equal(m.crash.seen, MR_CRASH_NOT_IN_LOG);
	assert_false(m.crash.log_whole);
	mr_crash_text(&m, text, sizeof(text));
	assert_string_equal(
		text,
		"the kernel log no longer shows the oops that left it GOING: its oldest record is from 2.151137 s after boot, older ones have rotated out");
	module(&m, "hp_initoops", MR_STATE_COMING);
	mr_crash_from_log(&m, &log);
	mr_crash_text(&m, text, sizeof(text));
	assert_string_equal(
		text,
		"the kernel log no longer shows the oops that left it COMING: its oldest record is from 2.151137 s after boot, older ones have rotated out");
	/* the newest oops is still there */
	module(&m, "hp_kthreadstop", MR_STATE_GOING);
	mr_crash_from_log(&m, &log);
	assert_int_equal(m.crash.seen, MR_CRASH_FOUND);
	mr_oops_log_free(&log);

	/* A log whole since boot without the oops: said so, not "rotated". */
	read_fixture("6.1-no-oops", 8191, &log);
	module(&m, "hp_exitoops", MR_STATE_GOING);
	mr_crash_from_log(&m, &log);
	assert_true(m.crash.log_whole);
	mr_crash_text(&m, text, sizeof(text));
	assert_string_equal(
		text,
		"the kernel log, whole since boot, shows no oops in its exit: it was left GOING some other way (a task killed in it, or an oops the log did not keep)");
	mr_oops_log_free(&log);

	/* Lines without kmsg's prefix: times and the log's start unknown. */
	mr_oops_log_init(&log);
	module(&m, "hp_exitoops", MR_STATE_GOING);
	mr_crash_from_log(&m, &log);
	mr_crash_text(&m, text, sizeof(text));
	assert_string_equal(
		text,
		"the kernel log no longer shows the oops that left it GOING (rotated out, or none was logged)");
	mr_oops_log_free(&log);
}

static void log_unreadable(void **state)
{
	struct mr_oops_log log;
	struct mr_module m;
	char text[512];

	(void)state;
	mr_oops_log_init(&log);
	log.read_err = -EPERM;
	module(&m, "hp_exitoops", MR_STATE_GOING);
	mr_crash_from_log(&m, &log);
	assert_int_equal(m.crash.seen, MR_CRASH_LOG_DENIED);
	mr_crash_text(&m, text, sizeof(text));
	assert_string_equal(
		text,
		"the kernel log cannot be read (Operation not permitted, dmesg_restrict): run as root to see the oops that left it GOING");
	mr_oops_log_free(&log);
}

/* Only a GOING or COMING module with no task left in it is looked at. */
static void wanted_only_without_tasks(void **state)
{
	struct mr_task_ref ref = { .op = MR_OP_UNLOAD, .stuck = true };
	struct mr_module m;

	(void)state;
	module(&m, "hp_x", MR_STATE_GOING);
	assert_true(mr_crash_wanted(&m));
	m.tasks = &ref;
	m.n_tasks = 1;
	assert_false(mr_crash_wanted(&m));
	ref.stuck = false;
	ref.op = MR_OP_LOAD; /* a loader unwinding a failed init */
	assert_false(mr_crash_wanted(&m));
	/* cppcheck-suppress redundantAssignment ; read through m.tasks */
	ref.op = MR_OP_OTHER; /* its kthread: still no task in init/exit */
	assert_true(mr_crash_wanted(&m));
	m.n_tasks = 0;
	m.state = MR_STATE_LIVE;
	assert_false(mr_crash_wanted(&m));
}

/* why's reasons and notes, and the "oops" object of its JSON. */
static void why_says_it(void **state)
{
	struct mr_diag d = { 0 };
	struct mr_oops_log log;
	struct mr_module m;
	struct mr_why w;
	struct json_object *o, *oops, *v;

	(void)state;
	read_fixture("6.1-crashed", 8191, &log);
	module(&m, "hp_kthreadstop", MR_STATE_GOING);
	mr_crash_from_log(&m, &log);
	mr_oops_log_free(&log);
	assert_int_equal(mr_explain(&d, &m, &w), 0);
	assert_true(w.n_reasons >= 2);
	assert_non_null(strstr(w.reasons[0], "unload started but no task"));
	assert_string_equal(
		w.reasons[1],
		"its exit oopsed at 2.397609 s after boot, in pid 103 (rmmod), at hp_kthreadstop_exit+0x18/0xfb6 [hp_kthreadstop]: BUG: kernel NULL pointer dereference, address: 0000000000000000");
	o = mr_why_json(&d, &m, &w);
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "module", &v));
	assert_true(json_object_object_get_ex(v, "oops", &oops));
	assert_true(
		json_object_get_boolean(json_object_object_get(oops, "found")));
	assert_string_equal(
		json_object_get_string(json_object_object_get(oops, "in")),
		"exit");
	assert_string_equal(json_object_to_json_string(
				    json_object_object_get(oops, "time")),
			    "2.397609");
	assert_int_equal(
		json_object_get_int(json_object_object_get(oops, "pid")), 103);
	assert_string_equal(json_object_get_string(
				    json_object_object_get(oops, "function")),
			    "hp_kthreadstop_exit+0x18/0xfb6 [hp_kthreadstop]");
	json_object_put(o);
	mr_why_free(&w);

	/* Rotated: a note, and "found": false in the JSON. */
	read_fixture("6.1-rotated", 8191, &log);
	module(&m, "hp_exitoops", MR_STATE_GOING);
	mr_crash_from_log(&m, &log);
	mr_oops_log_free(&log);
	assert_int_equal(mr_explain(&d, &m, &w), 0);
	assert_int_equal(w.n_reasons, 1);
	assert_true(w.n_notes >= 1);
	assert_non_null(strstr(w.notes[0], "no longer shows the oops"));
	o = mr_why_json(&d, &m, &w);
	assert_non_null(o);
	oops = json_object_object_get(json_object_object_get(o, "module"),
				      "oops");
	assert_false(
		json_object_get_boolean(json_object_object_get(oops, "found")));
	assert_string_equal(
		json_object_get_string(json_object_object_get(oops, "why")),
		"not in log");
	json_object_put(o);
	mr_why_free(&w);

	/* Not looked for: no "oops" key at all. */
	module(&m, "hp_live", MR_STATE_LIVE);
	m.refcnt = 0;
	m.verdict = MR_VERDICT_UNLOADABLE;
	o = mr_module_json(&d, &m);
	assert_non_null(o);
	assert_false(json_object_object_get_ex(o, "oops", NULL));
	json_object_put(o);
}

/* One /dev/kmsg record with its dictionary, and a record cut in two. */
static void kmsg_text_records(void **state)
{
	static const char text[] =
		"1,5,1000,-;BUG: unable to handle page fault for address: ffffffffc0a01000\n"
		" SUBSYSTEM=x\n"
		" DEVICE=+y\n"
		"4,6,1001,-;general protection fault, probably for non-canonical address 0xdead000000000122: 0000 [#1] PREEMPT SMP NOPTI\n"
		"4,7,1002,-;CPU: 0 PID: 5 Comm: rmmod Not tainted 6.1.0 #1\n"
		"4,8,1003,-;RIP: 0010:hp_x_exit+0x5/0x40 [hp_x]\n"
		"4,9,1004,c;Call Trace:\n"
		"4,10,1005,c; <TASK>\n"
		"4,11,1006,c; ? __die+0x1f/0x60\n"
		"4,12,1007,c; __do_sys_delete_module+0x1b9/0x330\n"
		"4,13,100";
	struct mr_oops_log log;
	long done;

	(void)state;
	mr_oops_log_init(&log);
	done = mr_oops_log_kmsg_text(&log, text, sizeof(text) - 1);
	assert_int_equal(done, (long)(strrchr(text, '\n') - text + 1));
	assert_int_equal(log.first_seq, 5);
	assert_int_equal(log.first_usec, 1000);
	assert_int_equal(log.n, 1);
	assert_int_equal(log.oopses[0].usec, 1001);
	/* the BUG line before the header (dictionary lines apart) */
	assert_string_equal(
		log.oopses[0].cause,
		"BUG: unable to handle page fault for address: ffffffffc0a01000");
	assert_null(strstr(log.oopses[0].text, "SUBSYSTEM"));
	assert_int_equal(mr_oops_where(&log.oopses[0]), MR_OOPS_IN_EXIT);
	mr_oops_log_free(&log);

	/* Without a BUG line, the header up to its error code. */
	mr_oops_log_init(&log);
	assert_int_equal(
		mr_oops_log_line(
			&log,
			"general protection fault, probably for non-canonical address 0xdead000000000122: 0000 [#1] PREEMPT SMP NOPTI"),
		0);
	assert_int_equal(mr_oops_log_line(&log, "Oops: Oops: 0002 [#2] SMP"),
			 0);
	assert_int_equal(log.n, 2);
	assert_string_equal(
		log.oopses[0].cause,
		"general protection fault, probably for non-canonical address 0xdead000000000122");
	assert_string_equal(log.oopses[1].cause, "Oops");
	assert_int_equal(log.oopses[0].usec, -1);
	mr_oops_log_free(&log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(oopses_of_61),
		cmocka_unit_test(exit_oops),
		cmocka_unit_test(init_oops),
		cmocka_unit_test(kthread_stop_oops),
		cmocka_unit_test(formats_of_612),
		cmocka_unit_test(rotated_log),
		cmocka_unit_test(log_unreadable),
		cmocka_unit_test(wanted_only_without_tasks),
		cmocka_unit_test(why_says_it),
		cmocka_unit_test(kmsg_text_records),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
