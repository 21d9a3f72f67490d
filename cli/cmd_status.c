// SPDX-License-Identifier: GPL-2.0
/*
 * modrescue status [--json] [MODULE...]: every loaded module, or the named
 * ones, with state, refcount, holders, exit, the tasks in its code or stuck
 * in its init/exit, and a one-word verdict. Reads only.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "diag.h"
#include "render.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: modrescue status [--json] [MODULE...]\n");
}

int cmd_status(int argc, char **argv)
{
	struct mr_diag_opts opts = { .want_locks = true };
	struct mr_diag d;
	bool json;
	char **names;
	int i, err, rc;
	size_t n = 0;

	rc = mr_parse_read_opts(argc, argv, &json, usage);
	if (rc >= 0)
		return rc;
	rc = MR_EXIT_OK;
	names = calloc((size_t)argc, sizeof(*names));
	if (!names)
		return MR_EXIT_FAILED;
	for (i = optind; i < argc; i++) {
		names[n] = strdup(argv[i]);
		if (!names[n])
			goto oom;
		mr_modname_normalize(names[n++]);
	}
	opts.names = (const char *const *)names;
	opts.n_names = n;
	err = mr_diag_collect(NULL, &opts, &d);
	if (err) {
		fprintf(stderr,
			"modrescue: ERROR: could not read /proc/modules: %s\n",
			strerror(-err));
		rc = MR_EXIT_FAILED;
		goto out;
	}
	for (i = 0; i < (int)n; i++) {
		if (!mr_diag_find(&d, names[i])) {
			fprintf(stderr,
				"modrescue: ERROR: Module %s is not currently loaded\n",
				names[i]);
			rc = MR_EXIT_FAILED;
		}
	}
	if (json) {
		struct json_object *o = mr_status_json(&d);

		if (!o || mr_json_print(stdout, o))
			rc = MR_EXIT_FAILED;
		json_object_put(o);
	} else if (d.n_mods || !n) {
		mr_status_text(stdout, &d);
	}
	if (d.tasks_denied)
		fprintf(stderr,
			"modrescue: note: not root: tasks stuck in a module's init or exit (or running its code) cannot be seen; run as root\n");
	mr_diag_free(&d);
out:
	for (i = 0; i < (int)n; i++)
		free(names[i]);
	free(names);
	return rc;
oom:
	for (i = 0; i < (int)n; i++)
		free(names[i]);
	free(names);
	fprintf(stderr, "modrescue: ERROR: out of memory\n");
	return MR_EXIT_FAILED;
}
