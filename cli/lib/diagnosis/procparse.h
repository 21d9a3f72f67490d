/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pure parsers for the text of /proc files: no I/O, any input accepted.
 * Each fills what it could read and says what it could not.
 */
#ifndef MODRESCUE_PROCPARSE_H
#define MODRESCUE_PROCPARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

/* One line of /proc/modules. */
struct mr_procmod {
	char *name;
	bool refcnt_known;
	long refcnt;
	bool users_known; /* the "used by" column was present */
	char **users; /* holders listed in the "used by" column */
	size_t n_users;
	bool permanent; /* "[permanent]": init without exit */
	enum mr_state state; /* Live, Loading, Unloading */
};

/*
 * Parse one line of /proc/modules ("name size refcnt users state addr"),
 * without its newline. Returns 0, -EINVAL for a line without a name, or
 * -ENOMEM. Missing or garbled columns are left unknown.
 */
int mr_parse_procmod_line(const char *line, struct mr_procmod *pm);
void mr_procmod_free(struct mr_procmod *pm);

/*
 * Is NAME safe to put in a /sys/module/NAME path: non-empty, shorter than
 * MR_MODNAME_LEN, no '/', not "." or "..", no control characters?
 */
bool mr_modname_is_safe(const char *name);

/*
 * Parse /proc/PID/syscall: "NR ARG0..ARG5 SP PC", "-1 SP PC", or
 * "running". *nr is MR_SYSCALL_UNKNOWN when it could not be read;
 * args[0..5] are 0 when absent. Returns the number of arguments read.
 */
int mr_parse_syscall(const char *text, long *nr, unsigned long args[6]);

/* Does /proc/PID/syscall say "running" (the task is on a CPU)? */
bool mr_syscall_is_running(const char *text);

/*
 * The module names a command line (/proc/PID/cmdline: LEN bytes of
 * NUL-separated arguments) mentions after argv[0]: arguments that are not
 * options or NAME=VALUE parameters, as module names (a .ko path by its
 * file name), normalized. Returns how many, or -ENOMEM; *mods is NULL when
 * there are none.
 */
int mr_parse_cmdline_modules(const char *buf, size_t len, char ***mods);

/*
 * Parse /proc/PID/stat: the state letter and starttime (field 22, in clock
 * ticks). Returns 0, or -EINVAL when the text is garbled (then *state is
 * '?' and *starttime 0 where unread).
 */
int mr_parse_stat(const char *text, char *state, unsigned long long *starttime,
		  char *comm, size_t comm_len);

/* Parse /proc/uptime's first field into seconds. Returns 0 or -EINVAL. */
int mr_parse_uptime(const char *text, double *uptime);

/*
 * Split /proc/PID/stack text into frames, dropping each line's "[<...>] "
 * prefix and empty lines. Returns the number of frames, or -ENOMEM.
 * *frames is NULL when there are none.
 */
int mr_parse_stack(const char *text, char ***frames);

/*
 * The module name a .ko path implies: the basename without .ko, .ko.xz,
 * .ko.zst or .ko.gz, with '-' turned into '_'. Returns false when PATH does
 * not look like a module file. (A path ending " (deleted)" counts.)
 */
bool mr_modname_from_path(const char *path, char *buf, size_t len);

/* Free a NULL-terminated or counted string vector. */
void mr_strv_free(char **v, size_t n);

#endif /* MODRESCUE_PROCPARSE_H */
