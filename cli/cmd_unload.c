// SPDX-License-Identifier: GPL-2.0
/*
 * modrescue unload [--cascade] [--force] [--dry-run] [--keep-helper]
 *                  [--no-quarantine] [--finish-exit] [--json] MODULE...
 *
 * Exit: 0 all unloaded (or, with --dry-run, all would be; a task stuck in
 * init or exit released first counts as unloaded), 1 a failure, 2 usage,
 * 3 a refusal (the module was left untouched), 4 quarantined (renamed
 * NAME.qN with its memory kept, because its stuck task could not be
 * released, or its crashed init or exit left something registered in it).
 */
#include <getopt.h>
#include <json-c/json.h>
#include <libkmod.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "render.h"
#include "diag.h"
#include "unload.h"

/* Deepest dependency chain --cascade follows before giving up. */
#define MAX_CASCADE_DEPTH 16

struct unload_run {
	struct kmod_ctx *ctx;
	struct mr_helper_session session;
	unsigned int flags;
	bool dry_run;
	struct mr_unload_report *reports;
	size_t n_reports;
};

static const char *result_name(enum mr_unload_result res)
{
	switch (res) {
	case MR_UNLOADED:
		return "unloaded";
	case MR_REFUSED:
		return "refused";
	case MR_PLANNED:
		return "planned";
	case MR_QUARANTINED:
		return "quarantined";
	default:
		return "failed";
	}
}

static struct mr_unload_report *new_report(struct unload_run *run)
{
	struct mr_unload_report *v;

	v = realloc(run->reports, (run->n_reports + 1) * sizeof(*v));
	if (!v)
		return NULL;
	run->reports = v;
	memset(&v[run->n_reports], 0, sizeof(*v));
	return &v[run->n_reports++];
}

/* The modules that depend on NAME, from libkmod (/sys/module/NAME/holders). */
static char **holders_of(struct kmod_ctx *ctx, const char *name, size_t *n)
{
	struct kmod_module *mod = NULL;
	struct kmod_list *list, *l;
	char **v = NULL, **nv;

	*n = 0;
	if (kmod_module_new_from_name(ctx, name, &mod) < 0)
		return NULL;
	list = kmod_module_get_holders(mod);
	kmod_list_foreach(l, list) {
		struct kmod_module *h = kmod_module_get_module(l);

		nv = realloc(v, (*n + 1) * sizeof(*v));
		if (nv) {
			v = nv;
			v[*n] = strdup(kmod_module_get_name(h));
			if (v[*n])
				(*n)++;
		}
		kmod_module_unref(h);
	}
	kmod_module_unref_list(list);
	kmod_module_unref(mod);
	return v;
}

/* The report of NAME if this run already handled it, or NULL. */
static const struct mr_unload_report *handled(const struct unload_run *run,
					      const char *name)
{
	size_t i;

	for (i = 0; i < run->n_reports; i++)
		if (run->reports[i].module &&
		    !strcmp(run->reports[i].module, name))
			return &run->reports[i];
	return NULL;
}

/*
 * Unload NAME; with --cascade, its holders first, deepest first. A module
 * several others lead to (bridge, which holds both stp and llc) is handled
 * once.
 */
static enum mr_unload_result unload_tree(struct unload_run *run,
					 const char *name, int depth)
{
	const struct mr_unload_report *done = handled(run, name);
	struct mr_unload_report *r;
	enum mr_unload_result res = MR_UNLOADED;
	char **holders = NULL;
	size_t i, n = 0;

	if (done)
		return done->result;

	if ((run->flags & MR_UNLOAD_CASCADE) && depth < MAX_CASCADE_DEPTH)
		holders = holders_of(run->ctx, name, &n);
	for (i = 0; i < n; i++) {
		if (res == MR_UNLOADED || res == MR_PLANNED)
			res = unload_tree(run, holders[i], depth + 1);
		free(holders[i]);
	}
	free(holders);

	r = new_report(run);
	if (!r)
		return MR_FAILED;
	if (res != MR_UNLOADED && res != MR_PLANNED) {
		r->module = strdup(name);
		mr_report_step(r, "not attempted: a module that depends on it "
				  "was not unloaded");
		r->result = res;
		return res;
	}
	return mr_unload_module(run->ctx, &run->session, name, run->flags,
				run->dry_run, r);
}

static void print_text(const struct mr_unload_report *r)
{
	size_t i;

	printf("%s: %s\n", r->module ? r->module : "?", result_name(r->result));
	for (i = 0; i < r->n_steps; i++)
		printf("  %s\n", r->steps[i]);
	if (r->error)
		fprintf(stderr, "modrescue: ERROR: %s\n", r->error);
}

static void print_json(const struct mr_unload_report *r)
{
	struct json_object *o = json_object_new_object();
	struct json_object *steps = json_object_new_array();
	size_t i;

	for (i = 0; i < r->n_steps; i++)
		json_object_array_add(steps,
				      json_object_new_string(r->steps[i]));
	json_object_object_add(o, "module",
			       json_object_new_string(r->module ? r->module :
								  ""));
	json_object_object_add(o, "steps", steps);
	json_object_object_add(o, "result",
			       json_object_new_string(result_name(r->result)));
	if (r->error)
		json_object_object_add(o, "error",
				       json_object_new_string(r->error));
	mr_json_print(stdout, o);
	json_object_put(o);
	if (r->error)
		fprintf(stderr, "modrescue: ERROR: %s\n", r->error);
}

/* On stdout (--help) the options too; on a usage error the synopsis only. */
static void usage(FILE *out)
{
	fprintf(out,
		"usage: modrescue unload [--cascade] [--force] [--dry-run] [--keep-helper] [--no-quarantine] [--finish-exit] [--json] MODULE...\n");
	if (out != stdout)
		return;
	fprintf(out,
		"\n"
		"Unload each MODULE the least invasive way that works, always through the\n"
		"kernel's own delete_module(). Any user found refuses the unload, whatever\n"
		"the options; a stuck task is released first where that is safe.\n"
		"\n"
		"  --cascade        unload the modules that use MODULE first, deepest first\n"
		"  --force          say the references no user explains are leaked: reset\n"
		"                   them, taint the kernel and unload (never overrides a user)\n"
		"  --dry-run        say what would be done, and do nothing\n"
		"  --keep-helper    leave the helper module loaded, for good\n"
		"  --no-quarantine  refuse rather than quarantine (rename to NAME.qN and keep\n"
		"                   its memory) a module that cannot be freed safely\n"
		"  --finish-exit    after a crashed exit or init, first undo what it left\n"
		"                   registered where the kernel has an exact undo\n"
		"  --json           print one JSON object per module\n"
		"  -h, --help       print this help and exit\n"
		"\n"
		"Exit: 0 unloaded, 1 failed, 2 usage, 3 refused, 4 quarantined, 5 no\n"
		"loadable-module support. modrescue(8) tells all.\n");
}

static int exit_code(const struct unload_run *run)
{
	int code = MR_EXIT_OK;
	size_t i;

	for (i = 0; i < run->n_reports; i++) {
		if (run->reports[i].result == MR_FAILED)
			return MR_EXIT_FAILED;
		if (run->reports[i].result == MR_REFUSED)
			code = MR_EXIT_REFUSED;
		else if (run->reports[i].result == MR_QUARANTINED &&
			 code == MR_EXIT_OK)
			code = MR_EXIT_QUARANTINED;
	}
	return code;
}

int cmd_unload(int argc, char **argv)
{
	static const struct option options[] = {
		{ "cascade", no_argument, NULL, 'c' },
		{ "force", no_argument, NULL, 'f' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "keep-helper", no_argument, NULL, 'k' },
		{ "json", no_argument, NULL, 'j' },
		{ "no-quarantine", no_argument, NULL, 'Q' },
		{ "finish-exit", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct unload_run run = { 0 };
	bool json = false, keep = false;
	int c, i, code;
	size_t k;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'c':
			run.flags |= MR_UNLOAD_CASCADE;
			break;
		case 'f':
			run.flags |= MR_UNLOAD_FORCE;
			break;
		case 'n':
			run.dry_run = true;
			break;
		case 'k':
			keep = true;
			break;
		case 'j':
			json = true;
			break;
		case 'Q':
			run.flags |= MR_UNLOAD_NO_QUARANTINE;
			break;
		case 'F':
			run.flags |= MR_UNLOAD_FINISH_EXIT;
			break;
		case 'h':
			usage(stdout);
			return MR_EXIT_OK;
		default:
			usage(stderr);
			return MR_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return MR_EXIT_USAGE;
	}
	if (!mr_need_module_support())
		return MR_EXIT_NO_MODULES;
	if (!run.dry_run &&
	    !mr_need_cap_sys_module("unload", "it removes kernel modules"))
		return MR_EXIT_FAILED;
	run.ctx = kmod_new(NULL, NULL);
	if (!run.ctx) {
		fprintf(stderr, "modrescue: ERROR: libkmod: cannot start\n");
		return MR_EXIT_FAILED;
	}
	mr_session_init(&run.session, keep);
	for (i = optind; i < argc; i++) {
		char *name = strdup(argv[i]);

		if (!name)
			break;
		mr_modname_normalize(name);
		unload_tree(&run, name, 0);
		free(name);
	}
	mr_session_end(&run.session,
		       run.n_reports ? &run.reports[run.n_reports - 1] : NULL);

	for (k = 0; k < run.n_reports; k++) {
		if (json)
			print_json(&run.reports[k]);
		else
			print_text(&run.reports[k]);
	}
	code = exit_code(&run);
	for (k = 0; k < run.n_reports; k++)
		mr_report_free(&run.reports[k]);
	free(run.reports);
	kmod_unref(run.ctx);
	return code;
}
