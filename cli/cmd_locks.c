// SPDX-License-Identifier: GPL-2.0
/*
 * modrescue locks [--json] [--all] [--min-held MS]
 *
 * The spinlocks held now (by default those held for 1 ms or more, or
 * waited for), their owners and acquire sites, the tasks spinning on them,
 * and deadlock cycles. Needs lockwatch on. Exit: 0, 1 (lockwatch off, or a
 * failure), 2 usage.
 */
#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "cycles.h"
#include "helper.h"
#include "lockread.h"
#include "lockrender.h"

/* Most held locks and waiters asked of the helper in one snapshot. */
#define MAX_ENTRIES 8192

static void usage(FILE *out)
{
	fprintf(out,
		"usage: modrescue locks [--json] [--all] [--min-held MS]\n");
}

static int off(void)
{
	fprintf(stderr,
		"modrescue: ERROR: lockwatch is off: run modrescue lockwatch on\n");
	return MR_EXIT_FAILED;
}

/* Ask the helper for a snapshot into S. Returns 0 or a negative errno. */
static int read_snapshot(struct mr_lock_snapshot *s)
{
	struct modrescue_lock *e = calloc(MAX_ENTRIES, sizeof(*e));
	struct modrescue_locks out;
	int fd, ret;

	if (!e)
		return -ENOMEM;
	fd = mr_helper_is_loaded() ? mr_helper_open() : -ENODATA;
	ret = fd < 0 ? fd : mr_helper_locks(fd, e, MAX_ENTRIES, &out);
	if (fd >= 0)
		close(fd);
	if (!ret) {
		mr_lock_snapshot_init(s, true, out.missed);
		ret = mr_locks_from_helper(
			s, e,
			out.found < MAX_ENTRIES ? out.found : MAX_ENTRIES);
	}
	free(e);
	return ret;
}

static int show(const struct mr_lock_snapshot *s,
		const struct mr_lock_filter *f, bool json)
{
	struct mr_lock_cycles c = { 0 };

	if (mr_lock_cycles_find(s, &c))
		return MR_EXIT_FAILED;
	if (json) {
		struct json_object *o = mr_locks_json(s, f, &c);

		if (!o) {
			mr_lock_cycles_free(&c);
			return MR_EXIT_FAILED;
		}
		printf("%s\n",
		       json_object_to_json_string_ext(
			       o, JSON_C_TO_STRING_PLAIN |
					  JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	} else {
		mr_locks_text(stdout, s, f, &c);
	}
	mr_lock_cycles_free(&c);
	return MR_EXIT_OK;
}

int cmd_locks(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "all", no_argument, NULL, 'a' },
		{ "min-held", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct mr_lock_snapshot s;
	struct mr_lock_filter f;
	bool json = false;
	char *end;
	long ms;
	int c, ret;

	mr_lock_filter_default(&f);
	optind = 1;
	while ((c = getopt_long(argc, argv, "jam:h", options, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'a':
			f.all = true;
			break;
		case 'm':
			ms = strtol(optarg, &end, 10);
			if (!*optarg || *end || ms < 0) {
				usage(stderr);
				return MR_EXIT_USAGE;
			}
			f.min_held_ns = (uint64_t)ms * 1000000ULL;
			break;
		case 'h':
			usage(stdout);
			return MR_EXIT_OK;
		default:
			usage(stderr);
			return MR_EXIT_USAGE;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return MR_EXIT_USAGE;
	}
	if (!mr_need_cap_sys_module("locks", "it talks to the helper"))
		return MR_EXIT_FAILED;
	ret = read_snapshot(&s);
	if (ret == -ENODATA || ret == -ENOENT)
		return off();
	if (ret) {
		fprintf(stderr, "modrescue: ERROR: cannot read the locks: %s\n",
			strerror(-ret));
		return MR_EXIT_FAILED;
	}
	ret = show(&s, &f, json);
	mr_lock_snapshot_free(&s);
	return ret;
}
