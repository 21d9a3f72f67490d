// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for cli/lib/render.c: the exact JSON of status and why (keys,
 * types, order), and the text forms, from hand-built diagnoses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "render.h"

static char *exit_stack[] = {
	"hp_exitwait_exit+0x18/0x1000 [hp_exitwait]",
	"__do_sys_delete_module+0x1b9/0x330",
};

struct two {
	struct mr_diag d;
	struct mr_module m[2];
	struct mr_task t[1];
	struct mr_task_ref r[1];
};

static void build(struct two *x)
{
	static char *holders[] = { "hp_dep_b" };

	memset(x, 0, sizeof(*x));
	x->t[0].pid = 93;
	strcpy(x->t[0].comm, "rmmod");
	x->t[0].state = 'D';
	x->t[0].syscall = MR_NR_DELETE_MODULE;
	x->t[0].wchan = "hp_exitwait_exit";
	x->t[0].stack = exit_stack;
	x->t[0].n_stack = 2;
	x->t[0].stack_known = true;
	x->t[0].age_s = 5;
	x->r[0].task = 0;
	x->r[0].op = MR_OP_UNLOAD;
	x->r[0].in_code = true;
	x->r[0].stuck = true;

	x->m[0].name = "hp_exitwait";
	x->m[0].state = MR_STATE_GOING;
	x->m[0].refcnt_known = true;
	x->m[0].refcnt = -1;
	x->m[0].has_exit_known = true;
	x->m[0].has_exit = true;
	x->m[0].tasks = x->r;
	x->m[0].n_tasks = 1;
	x->m[0].verdict = MR_VERDICT_BLOCKED;

	x->m[1].name = "hp_dep_a";
	x->m[1].state = MR_STATE_LIVE;
	x->m[1].refcnt_known = true;
	x->m[1].refcnt = 1;
	x->m[1].holders = holders;
	x->m[1].n_holders = 1;
	x->m[1].has_exit_known = true;
	x->m[1].has_exit = true;
	x->m[1].verdict = MR_VERDICT_HAS_HOLDERS;

	x->d.mods = x->m;
	x->d.n_mods = 2;
	x->d.tasks = x->t;
	x->d.n_tasks = 1;
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

static void status_json_exact(void **state)
{
	struct json_object *o;
	struct two x;
	char *s;

	(void)state;
	build(&x);
	o = mr_status_json(&x.d);
	assert_non_null(o);
	s = json_text(o);
	assert_string_equal(
		s,
		"{\"modules\":["
		"{\"name\":\"hp_exitwait\",\"state\":\"going\",\"refcnt\":-1,"
		"\"holders\":[],\"has_exit\":true,\"verdict\":\"blocked\","
		"\"tasks\":[{\"pid\":93,\"comm\":\"rmmod\",\"op\":\"unload\",\"parked\":false,"
		"\"wchan\":\"hp_exitwait_exit\",\"stack\":["
		"\"hp_exitwait_exit+0x18/0x1000 [hp_exitwait]\","
		"\"__do_sys_delete_module+0x1b9/0x330\"]}]},"
		"{\"name\":\"hp_dep_a\",\"state\":\"live\",\"refcnt\":1,"
		"\"holders\":[\"hp_dep_b\"],\"has_exit\":true,"
		"\"verdict\":\"has-holders\",\"tasks\":[]}]}\n");
	free(s);
	json_object_put(o);
}

static void status_json_unknowns_and_escapes(void **state)
{
	struct json_object *o;
	struct two x;
	char *s;

	(void)state;
	build(&x);
	x.m[1].name = "we\"ird\n/name";
	x.m[1].refcnt_known = false;
	x.m[1].has_exit_known = false;
	x.m[1].state = MR_STATE_UNKNOWN;
	x.d.n_mods = 2;
	o = mr_module_json(&x.d, &x.m[1]);
	s = json_text(o);
	assert_string_equal(
		s,
		"{\"name\":\"we\\\"ird\\n/name\",\"state\":\"unknown\",\"refcnt\":null,\"holders\":[\"hp_dep_b\"],\"has_exit\":null,\"verdict\":\"has-holders\",\"tasks\":[]}\n");
	free(s);
	json_object_put(o);

	/* No modules at all. */
	x.d.n_mods = 0;
	o = mr_status_json(&x.d);
	s = json_text(o);
	assert_string_equal(s, "{\"modules\":[]}\n");
	free(s);
	json_object_put(o);
}

static void why_json_exact(void **state)
{
	char *reasons[] = { "r1" }, *notes[] = { "n1", "n2" };
	struct mr_why w = { .reasons = reasons,
			    .n_reasons = 1,
			    .notes = notes,
			    .n_notes = 2,
			    .remedy = "do it" };
	struct json_object *o;
	struct two x;
	char *s;

	(void)state;
	build(&x);
	o = mr_why_json(&x.d, &x.m[1], &w);
	s = json_text(o);
	assert_string_equal(
		s,
		"{\"module\":{\"name\":\"hp_dep_a\",\"state\":\"live\",\"refcnt\":1,\"holders\":[\"hp_dep_b\"],\"has_exit\":true,\"verdict\":\"has-holders\",\"tasks\":[]},\"reasons\":[\"r1\"],\"notes\":[\"n1\",\"n2\"],\"unload\":\"do it\"}\n");
	free(s);
	json_object_put(o);
}

static char *capture_text(void (*fn)(FILE *, const void *), const void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	fn(f, arg);
	fclose(f);
	return buf;
}

static void status_text_fn(FILE *f, const void *arg)
{
	mr_status_text(f, arg);
}

static void status_table(void **state)
{
	struct two x;
	char *s;

	(void)state;
	build(&x);
	s = capture_text(status_text_fn, &x.d);
	assert_string_equal(
		s,
		"Module               State   Refs Exit Verdict      Used by\n"
		"hp_exitwait          going     -1 yes  blocked      rmmod[93]:unload\n"
		"hp_dep_a             live       1 yes  has-holders  hp_dep_b\n");
	free(s);

	/* Unknowns, a control character, a long name widens the column. */
	x.m[1].name = "a_very_long_module_name_for_the_table";
	x.m[1].refcnt_known = false;
	x.m[1].has_exit_known = false;
	x.m[1].n_holders = 0;
	x.m[0].n_tasks = 0;
	strcpy(x.t[0].comm, "a\tb");
	x.m[0].name = "m\x1b[2J";
	s = capture_text(status_text_fn, &x.d);
	assert_string_equal(
		s,
		"Module                                State   Refs Exit Verdict      Used by\n"
		"m?[2J                                 going     -1 yes  blocked      -\n"
		"a_very_long_module_name_for_the_table live       ? ?    has-holders  -\n");
	free(s);
}

struct why_arg {
	const struct mr_module *m;
	const struct mr_why *w;
};

static void why_text_fn(FILE *f, const void *arg)
{
	const struct why_arg *a = arg;

	mr_why_text(f, a->m, a->w);
}

static void why_text(void **state)
{
	char *reasons[] = { "rmmod (pid 93) has been blocked" },
	     *notes[] = { "a note" };
	struct mr_why w = { .reasons = reasons,
			    .n_reasons = 1,
			    .notes = notes,
			    .n_notes = 1,
			    .remedy = "modrescue unload would ..." };
	struct why_arg a;
	struct two x;
	char *s;

	(void)state;
	build(&x);
	a.m = &x.m[0];
	a.w = &w;
	s = capture_text(why_text_fn, &a);
	assert_string_equal(
		s,
		"hp_exitwait: blocked (state going, refcnt -1, has an exit)\n"
		"  rmmod (pid 93) has been blocked\n"
		"  note: a note\n"
		"modrescue unload would ...\n");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(status_json_exact),
		cmocka_unit_test(status_json_unknowns_and_escapes),
		cmocka_unit_test(why_json_exact),
		cmocka_unit_test(status_table),
		cmocka_unit_test(why_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
