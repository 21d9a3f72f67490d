/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MODRESCUE_COMMANDS_H
#define MODRESCUE_COMMANDS_H

#include <stdbool.h>
#include <stdio.h>

/* Exit codes shared by every command. */
enum {
	MR_EXIT_OK = 0,
	MR_EXIT_FAILED = 1,
	MR_EXIT_USAGE = 2,
	MR_EXIT_REFUSED = 3, /* unloading would hurt a live user */
	/* A stuck task could not be released: renamed NAME.qN, memory kept. */
	MR_EXIT_QUARANTINED = 4,
	/* The kernel has no loadable-module support (no /proc/modules). */
	MR_EXIT_NO_MODULES = 5,
};

struct mr_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
};

/*
 * Parse --json and --help (getopt_long; operands start at optind). Returns
 * -1 to go on, or the exit code to return (after --help, or a usage error,
 * which is reported kmod-style). USAGE prints the command's usage line.
 */
int mr_parse_read_opts(int argc, char **argv, bool *json,
		       void (*usage)(FILE *out));

/*
 * Does this process have CAP_SYS_MODULE? If not, say that CMD needs it
 * (BECAUSE it does what), kmod-style, and return false.
 */
bool mr_need_cap_sys_module(const char *cmd, const char *because);

/*
 * Can this kernel load modules at all? If not (no /proc/modules while /proc
 * is mounted), say so and return false: the caller exits
 * MR_EXIT_NO_MODULES.
 */
bool mr_need_module_support(void);

int cmd_version(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_why(int argc, char **argv);
int cmd_unload(int argc, char **argv);
int cmd_unblock(int argc, char **argv);
int cmd_lockwatch(int argc, char **argv);
int cmd_locks(int argc, char **argv);
int cmd_contain(int argc, char **argv);

#endif /* MODRESCUE_COMMANDS_H */
