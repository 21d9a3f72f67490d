// SPDX-License-Identifier: GPL-2.0
/*
 * modrescue status [--json] [MODULE...]: every loaded module, or the named
 * ones, with state, refcount, holders, exit, the tasks in its code or stuck
 * in its init/exit, and a one-word verdict. Reads only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "diag.h"
#include "render.h"

static int usage(FILE *out, int rc)
{
	fprintf(out, "usage: modrescue status [--json] [MODULE...]\n");
	return rc;
}

int cmd_status(int argc, char **argv)
{
	struct mr_diag_opts opts = { 0 };
	struct mr_diag d;
	bool json = false, opts_done = false;
	char **names;
	int i, err, rc = MR_EXIT_OK;
	size_t n = 0;

	names = calloc((size_t)argc, sizeof(*names));
	if (!names)
		return MR_EXIT_FAILED;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!opts_done && !strcmp(a, "--json")) {
			json = true;
		} else if (!opts_done &&
			   (!strcmp(a, "-h") || !strcmp(a, "--help"))) {
			free(names);
			return usage(stdout, MR_EXIT_OK);
		} else if (!opts_done && !strcmp(a, "--")) {
			opts_done = true;
		} else if (!opts_done && a[0] == '-') {
			fprintf(stderr,
				"modrescue: ERROR: unknown option '%s'\n", a);
			free(names);
			return usage(stderr, MR_EXIT_USAGE);
		} else {
			names[n] = strdup(a);
			if (!names[n])
				goto oom;
			mr_modname_normalize(names[n++]);
		}
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
