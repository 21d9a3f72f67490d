// SPDX-License-Identifier: GPL-2.0
/*
 * modrescue unblock [--force] [--dry-run] [--keep-helper] [--json] PID
 *
 * Only the release step of unload: PID must be stuck in a module's init or
 * exit, waiting on a completion the helper can find and check. The helper
 * completes it, and the task finishes its init or exit on its own; nothing
 * is unloaded or quarantined here. A completion on a task's stack is
 * refused unless --force (MODRESCUE_UNBLOCK_FORCE_STACK) is given: its
 * real completer may still write to it after that frame is gone. unload
 * never forces that.
 *
 * Exit: 0 released (and PID finished), or with --dry-run the helper would
 * release it; 1 a failure; 2 usage; 3 refused (PID is not stuck in a
 * module, or cannot be released safely).
 *
 * --json prints one line: {"pid":N,"result":"released|planned|refused|
 * failed","steps":["..."],"error":"..."} (error only on an error).
 */
#include <getopt.h>
#include <json-c/json.h>
#include <libkmod.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "render.h"
#include "rescue.h"
#include "unload.h"

/* On stdout (--help) the options too; on a usage error the synopsis only. */
static void usage(FILE *out)
{
	fprintf(out,
		"usage: modrescue unblock [--force] [--dry-run] [--keep-helper] [--json] PID\n");
	if (out != stdout)
		return;
	fprintf(out,
		"\n"
		"Release PID, a task stuck in a module's init or exit on a completion the\n"
		"helper can find and check; the task then finishes on its own. Nothing is\n"
		"unloaded.\n"
		"\n"
		"  --force          also complete a completion on a task's stack (its real\n"
		"                   completer could later write into a dead frame)\n"
		"  --dry-run        say whether the helper would release it, and do nothing\n"
		"  --keep-helper    leave the helper module loaded, for good\n"
		"  --json           print one JSON object, {\"pid\":N,\"result\":...}\n"
		"  -h, --help       print this help and exit\n"
		"\n"
		"Exit: 0 released, 1 failed, 2 usage, 3 refused, 5 no loadable-module\n"
		"support. modrescue(8) tells all.\n");
}

static const char *result_name(enum mr_unload_result res)
{
	switch (res) {
	case MR_UNLOADED:
		return "released";
	case MR_PLANNED:
		return "planned";
	case MR_REFUSED:
		return "refused";
	default:
		return "failed";
	}
}

static void print_json(int pid, const struct mr_unload_report *r)
{
	struct json_object *o = json_object_new_object();
	struct json_object *steps = json_object_new_array();
	size_t i;

	for (i = 0; i < r->n_steps; i++)
		json_object_array_add(steps,
				      json_object_new_string(r->steps[i]));
	json_object_object_add(o, "pid", json_object_new_int(pid));
	json_object_object_add(o, "result",
			       json_object_new_string(result_name(r->result)));
	json_object_object_add(o, "steps", steps);
	if (r->error)
		json_object_object_add(o, "error",
				       json_object_new_string(r->error));
	mr_json_print(stdout, o);
	json_object_put(o);
}

static int parse_pid(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v <= 0 || v > 0x3fffffff)
		return -1;
	return (int)v;
}

int cmd_unblock(int argc, char **argv)
{
	static const struct option options[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "force", no_argument, NULL, 'f' },
		{ "keep-helper", no_argument, NULL, 'k' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct mr_unload_report r = { 0 };
	struct mr_helper_session session;
	unsigned int flags = 0;
	bool keep = false, json = false;
	struct kmod_ctx *ctx;
	int c, pid, code;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'n':
			flags |= MODRESCUE_UNBLOCK_DRY_RUN;
			break;
		case 'f':
			flags |= MODRESCUE_UNBLOCK_FORCE_STACK;
			break;
		case 'k':
			keep = true;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return MR_EXIT_OK;
		default:
			usage(stderr);
			return MR_EXIT_USAGE;
		}
	}
	if (optind != argc - 1 || (pid = parse_pid(argv[optind])) < 0) {
		usage(stderr);
		return MR_EXIT_USAGE;
	}
	if (!mr_need_module_support())
		return MR_EXIT_NO_MODULES;
	if (!mr_need_cap_sys_module("unblock", "it loads the helper"))
		return MR_EXIT_FAILED;
	ctx = kmod_new(NULL, NULL);
	if (!ctx) {
		fprintf(stderr, "modrescue: ERROR: libkmod: cannot start\n");
		return MR_EXIT_FAILED;
	}
	mr_session_init(&session, keep);
	mr_unblock_pid(ctx, &session, pid, flags, &r);
	mr_session_end(&session, &r);

	if (json) {
		print_json(pid, &r);
	} else {
		size_t i;

		printf("pid %d: %s\n", pid,
		       r.result == MR_UNLOADED ? "released" :
		       r.result == MR_PLANNED  ? "would be released" :
		       r.result == MR_REFUSED  ? "refused" :
						 "failed");
		for (i = 0; i < r.n_steps; i++)
			printf("  %s\n", r.steps[i]);
	}
	if (r.error)
		fprintf(stderr, "modrescue: ERROR: %s\n", r.error);
	switch (r.result) {
	case MR_UNLOADED:
	case MR_PLANNED:
		code = MR_EXIT_OK;
		break;
	case MR_REFUSED:
		code = MR_EXIT_REFUSED;
		break;
	default:
		code = MR_EXIT_FAILED;
		break;
	}
	mr_report_free(&r);
	kmod_unref(ctx);
	return code;
}
