// SPDX-License-Identifier: GPL-2.0
/* modrescue: the command layer. Each command lives in cli/cmd_*.c. */
#include <stdio.h>
#include <string.h>

#include "commands.h"

static const struct mr_command commands[] = {
	{ "version", cmd_version, "print the CLI and helper ABI versions" },
	{ "status", cmd_status,
	  "loaded modules, their stuck tasks and verdicts" },
	{ "why", cmd_why, "what blocks unloading a module, and the remedy" },
	{ "unload", cmd_unload,
	  "unload modules the least invasive way that works" },
	{ "unblock", cmd_unblock,
	  "release a task stuck in a module's init or exit" },
	{ "lockwatch", cmd_lockwatch,
	  "on|off|status: track who holds which spinlock" },
	{ "locks", cmd_locks,
	  "spinlocks held now, their owners, waiters and deadlocks" },
	{ "contain", cmd_contain,
	  "on|off|status: release an oopsing task's locks, park panics" },
};

static void usage(FILE *out)
{
	size_t i;

	fprintf(out,
		"usage: modrescue [--version] COMMAND [ARGS]\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name,
			commands[i].help);
	fprintf(out,
		"\noptions:\n"
		"  --version        print the CLI's version, and the loaded helper's ABI\n"
		"  -h, --help       print this help and exit\n"
		"\nExit: 0 done, 1 failed, 2 usage, 3 refused, 4 quarantined, 5 no\n"
		"loadable-module support.\n"
		"`modrescue COMMAND --help` gives its options; modrescue(8) tells all.\n");
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return MR_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--version"))
		return cmd_version(argc - 1, argv + 1);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		/* help COMMAND: that command's --help. */
		for (i = 0;
		     argc == 3 && i < sizeof(commands) / sizeof(*commands);
		     i++) {
			if (!strcmp(argv[2], commands[i].name)) {
				char *args[] = { argv[2], "--help", NULL };

				return commands[i].run(2, args);
			}
		}
		usage(stdout);
		return 0;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "modrescue: ERROR: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return MR_EXIT_USAGE;
}
