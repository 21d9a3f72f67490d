// SPDX-License-Identifier: GPL-2.0
/* The options of the read-only commands (status, why): --json and --help. */
#include <getopt.h>
#include <stdio.h>

#include "commands.h"

int mr_parse_read_opts(int argc, char **argv, bool *json,
		       void (*usage)(FILE *out))
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*json = false;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'j':
			*json = true;
			break;
		case 'h':
			usage(stdout);
			return MR_EXIT_OK;
		default:
			fprintf(stderr,
				"modrescue: ERROR: unknown option '%s'\n",
				argv[optind - 1]);
			usage(stderr);
			return MR_EXIT_USAGE;
		}
	}
	return -1;
}
