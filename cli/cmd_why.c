// SPDX-License-Identifier: GPL-2.0
/*
 * modrescue why [--json] MODULE: what blocks unloading MODULE, with its
 * evidence, and what modrescue unload would do about it. Reads only.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "diag.h"
#include "explain.h"
#include "render.h"

/* On stdout (--help) the options too; on a usage error the synopsis only. */
static void usage(FILE *out)
{
	fprintf(out, "usage: modrescue why [--json] MODULE\n");
	if (out != stdout)
		return;
	fprintf(out,
		"\n"
		"What keeps MODULE from unloading, with the evidence for each reason, and\n"
		"what unload would do about it. Reads only and loads nothing.\n"
		"\n"
		"  --json          print one JSON object, {\"module\":...,\"reasons\":[...],...}\n"
		"  -h, --help      print this help and exit\n"
		"\n"
		"Exit: 0 answered, 1 failed or MODULE not loaded, 2 usage, 5 no\n"
		"loadable-module support. modrescue(8) tells all.\n");
}

static int report(const struct mr_diag *d, const struct mr_module *m, bool json)
{
	struct mr_why w;
	int rc = MR_EXIT_OK;

	if (mr_explain(d, m, &w)) {
		fprintf(stderr, "modrescue: ERROR: out of memory\n");
		return MR_EXIT_FAILED;
	}
	if (json) {
		struct json_object *o = mr_why_json(d, m, &w);

		if (!o || mr_json_print(stdout, o))
			rc = MR_EXIT_FAILED;
		json_object_put(o);
	} else {
		mr_why_text(stdout, m, &w);
	}
	mr_why_free(&w);
	return rc;
}

int cmd_why(int argc, char **argv)
{
	struct mr_diag_opts opts = { .n_names = 1,
				     .want_openers = true,
				     .want_locks = true,
				     .want_crash = true };
	const struct mr_module *m;
	const char *names[1];
	char name[256] = "";
	bool json;
	struct mr_diag d;
	int err, rc;

	rc = mr_parse_read_opts(argc, argv, &json, usage);
	if (rc >= 0)
		return rc;
	if (argc - optind != 1) {
		if (argc - optind > 1)
			fprintf(stderr,
				"modrescue: ERROR: why takes one module\n");
		usage(stderr);
		return MR_EXIT_USAGE;
	}
	if (!mr_need_module_support())
		return MR_EXIT_NO_MODULES;
	snprintf(name, sizeof(name), "%s", argv[optind]);
	mr_modname_normalize(name);
	names[0] = name;
	opts.names = names;
	err = mr_diag_collect(NULL, &opts, &d);
	if (err) {
		fprintf(stderr,
			"modrescue: ERROR: could not read /proc/modules: %s\n",
			strerror(-err));
		return MR_EXIT_FAILED;
	}
	m = mr_diag_find(&d, name);
	if (!m) {
		fprintf(stderr,
			"modrescue: ERROR: Module %s is not currently loaded\n",
			name);
		rc = MR_EXIT_FAILED;
	} else {
		rc = report(&d, m, json);
	}
	if (m && d.tasks_denied)
		fprintf(stderr,
			"modrescue: note: not root: tasks stuck in a module's init or exit (or running its code) cannot be seen; run as root\n");
	mr_diag_free(&d);
	return rc;
}
