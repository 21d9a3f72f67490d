// SPDX-License-Identifier: GPL-2.0
/*
 * modrescue locks [--json] [--all] [--min-held MS]
 * modrescue locks release [--dry-run] [--json] LOCK
 *
 * The spinlocks held now (by default those held for 1 ms or more, or
 * waited for), their owners and acquire sites, the tasks spinning on them,
 * and deadlock cycles. Needs lockwatch on. Exit: 0, 1 (lockwatch off, or a
 * failure), 2 usage.
 *
 * release: release LOCK (an id as `locks` prints it, or a symbol) only if
 * its owner is dead; the helper checks it in the kernel and taints (R).
 * Exit: 0 released (--dry-run: would be), 1 lockwatch off, not held (or no
 * longer), or a failure, 2 usage, 3 refused (a live or exiting owner, an
 * uncertain record, a context's lock, a sleeping lock on PREEMPT_RT;
 * a lock not listed while lockwatch trusts no record, another ftrace user
 * sharing a hooked function).
 */
#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "render.h"
#include "cycles.h"
#include "helper.h"
#include "lockpick.h"
#include "lockread.h"
#include "lockrelease.h"
#include "lockrender.h"

/* On stdout (--help) the options too; on a usage error the synopsis only. */
static void usage(FILE *out)
{
	fprintf(out,
		"usage: modrescue locks [--json] [--all] [--min-held MS]\n"
		"       modrescue locks release [--dry-run] [--json] LOCK\n");
	if (out != stdout)
		return;
	fprintf(out,
		"\n"
		"With lockwatch on, the spinlocks held now: owner, acquire site, how long,\n"
		"waiters, and deadlock cycles. release frees LOCK (an id as listed, or a\n"
		"symbol) when its owner is dead and the helper proves it safe.\n"
		"\n"
		"  --all            list every held lock, not only those held 1 ms or waited for\n"
		"  --min-held MS    list the locks held at least MS milliseconds (default 1)\n"
		"  --dry-run        (release) say whether LOCK would be released, do nothing\n"
		"  --json           print one JSON object\n"
		"  -h, --help       print this help and exit\n"
		"\n"
		"Exit: 0 listed or released, 1 lockwatch off, LOCK not held, or failed,\n"
		"2 usage, 3 refused, 5 no loadable-module support. modrescue(8) tells all.\n");
}

static int off(void)
{
	fprintf(stderr,
		"modrescue: ERROR: lockwatch is off: run modrescue lockwatch on\n");
	return MR_EXIT_FAILED;
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
		mr_json_print(stdout, o);
		json_object_put(o);
	} else {
		mr_locks_text(stdout, s, f, &c);
	}
	mr_lock_cycles_free(&c);
	return MR_EXIT_OK;
}

/* How long a release is asked again while the helper says to wait. */
#define RELEASE_RETRY_MS 3000

/* Which helper answers are refusals (exit 3) rather than failures. */
static bool refused(int err, unsigned int reason)
{
	return err == -EBUSY || err == -EAGAIN || err == -EPERM ||
	       err == -EOPNOTSUPP || reason == MODRESCUE_RELEASE_HEAP ||
	       reason == MODRESCUE_RELEASE_NOT_A_LOCK;
}

static void release_json(const struct modrescue_lock_release *o, int err,
			 bool dry_run, const char *log_comm, bool oopsed,
			 const char *error)
{
	const struct modrescue_lock *e = &o->owner;
	struct json_object *j = json_object_new_object();
	struct json_object *own = json_object_new_object();
	char id[32];

	snprintf(id, sizeof(id), "0x%llx", (unsigned long long)o->lock);
	json_object_object_add(j, "lock", json_object_new_string(id));
	json_object_object_add(
		j, "symbol",
		e->symbol[0] ?
			json_object_new_string_len(
				e->symbol,
				(int)strnlen(e->symbol, sizeof(e->symbol))) :
			NULL);
	json_object_object_add(own, "pid",
			       json_object_new_int(e->pid > 0 ? e->pid :
								o->dead_pid));
	/* A task gone: the comm of its oops in the kernel log, if any. */
	json_object_object_add(
		own, "comm",
		e->comm[0] ? json_object_new_string_len(
				     e->comm,
				     (int)strnlen(e->comm, sizeof(e->comm))) :
			     json_object_new_string(log_comm));
	json_object_object_add(own, "alive",
			       json_object_new_boolean(e->flags &
						       MODRESCUE_LOCK_ALIVE));
	json_object_object_add(own, "oopsed", json_object_new_boolean(oopsed));
	/* No owner named (uncertain, not held): null, never "dead". */
	if (!e->pid && !o->dead_pid && !e->comm[0] &&
	    (o->reason == MODRESCUE_RELEASE_UNCERTAIN ||
	     o->reason == MODRESCUE_RELEASE_NOT_HELD)) {
		json_object_put(own);
		own = NULL;
	}
	json_object_object_add(j, "owner", own);
	json_object_object_add(j, "acquired_at",
			       json_object_new_string_len(
				       e->site,
				       (int)strnlen(e->site, sizeof(e->site))));
	json_object_object_add(j, "held_ns",
			       json_object_new_int64((int64_t)e->ns));
	json_object_object_add(j, "dry_run", json_object_new_boolean(dry_run));
	json_object_object_add(j, "released",
			       json_object_new_boolean(!err && !dry_run));
	json_object_object_add(
		j, "reason",
		json_object_new_string(mr_lock_release_reason_name(o->reason)));
	if (error)
		json_object_object_add(j, "error",
				       json_object_new_string(error));
	mr_json_print(stdout, j);
	json_object_put(j);
}

/*
 * Why lockwatch trusts none of its records now, or NULL: another ftrace
 * user shares a hooked function, so lock calls can go unseen. A lock it
 * does not list may then still be held, by anyone.
 */
static const char *distrusted(void)
{
	struct modrescue_lockwatch lw;
	int fd = mr_helper_open_loaded();
	int ret;

	if (fd < 0)
		return NULL;
	ret = mr_helper_lockwatch(fd, MODRESCUE_LOCKWATCH_STATUS, &lw);
	close(fd);
	if (ret || !lw.armed || !lw.shared)
		return NULL;
	return "another ftrace user shares a hooked function, so lock calls can go unseen: no held lock is trusted until lockwatch is turned off and on again";
}

/* Lockwatch's snapshot into S, or the exit code of why there is none. */
static int read_snapshot(struct mr_lock_snapshot *s)
{
	int ret = mr_locks_read(s);

	if (ret == -ENODATA || ret == -ENOENT)
		return off();
	if (ret) {
		fprintf(stderr, "modrescue: ERROR: cannot read the locks: %s\n",
			strerror(-ret));
		return MR_EXIT_FAILED;
	}
	return MR_EXIT_OK;
}

/* Turn LOCK into an id: as given, or the one held lock of that symbol. */
static int release_pick(const char *arg, uint64_t *id)
{
	struct mr_lock_snapshot s;
	const char *why;
	size_t n;
	int ret;

	if (mr_lock_pick(NULL, arg, id, &n) == 0)
		return MR_EXIT_OK;
	ret = read_snapshot(&s);
	if (ret != MR_EXIT_OK)
		return ret;
	ret = mr_lock_pick(&s, arg, id, &n);
	mr_lock_snapshot_free(&s);
	if (ret == -EEXIST) {
		fprintf(stderr,
			"modrescue: ERROR: %zu held locks are named %s: give the lock id `modrescue locks` prints\n",
			n, arg);
		return MR_EXIT_USAGE;
	}
	why = ret ? distrusted() : NULL;
	if (why) {
		fprintf(stderr,
			"modrescue: ERROR: lock %s: who holds it is uncertain: %s\n",
			arg, why);
		return MR_EXIT_REFUSED;
	}
	if (ret) {
		fprintf(stderr,
			"modrescue: ERROR: lock %s is not held (lockwatch reports no holder by that name)\n",
			arg);
		return MR_EXIT_FAILED;
	}
	return MR_EXIT_OK;
}

static int cmd_locks_release(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct modrescue_lock_release o;
	bool json = false, dry_run = false, oopsed;
	char what[512], error[768], comm[MR_LOCK_COMM_LEN];
	uint64_t id = 0;
	int c, fd, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'n':
			dry_run = true;
			break;
		case 'h':
			usage(stdout);
			return MR_EXIT_OK;
		default:
			usage(stderr);
			return MR_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return MR_EXIT_USAGE;
	}
	if (!mr_need_module_support())
		return MR_EXIT_NO_MODULES;
	if (!mr_need_cap_sys_module("locks release", "it writes a lock word"))
		return MR_EXIT_FAILED;
	ret = release_pick(argv[optind], &id);
	if (ret != MR_EXIT_OK)
		return ret;
	fd = mr_helper_open_loaded();
	if (fd < 0)
		return off();
	ret = mr_lock_release_retry(
		fd, id, dry_run ? MODRESCUE_LOCK_RELEASE_DRY_RUN : 0,
		RELEASE_RETRY_MS, &o);
	close(fd);
	if (ret == -ENODATA)
		return off();
	o.lock = id;
	mr_lock_release_describe(&o, what, sizeof(what), comm, &oopsed);
	if (ret == -ENOENT)
		snprintf(error, sizeof(error), "lock %s is not held: %s",
			 argv[optind], mr_lock_release_reason_text(o.reason));
	else if (ret)
		snprintf(error, sizeof(error), "not released: %s: %s", what,
			 o.reason != MODRESCUE_RELEASE_OK ?
				 mr_lock_release_reason_text(o.reason) :
				 strerror(-ret));
	if (json)
		release_json(&o, ret, dry_run, comm, oopsed,
			     ret ? error : NULL);
	else if (!ret)
		printf("%s %s%s\n", dry_run ? "would release" : "released",
		       what, dry_run ? "" : "; kernel tainted (R)");
	if (ret) {
		fprintf(stderr, "modrescue: ERROR: %s\n", error);
		return refused(ret, o.reason) ? MR_EXIT_REFUSED :
						MR_EXIT_FAILED;
	}
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
	const char *why;
	bool json = false;
	char *end;
	long ms;
	int c, ret;

	if (argc > 1 && !strcmp(argv[1], "release"))
		return cmd_locks_release(argc - 1, argv + 1);
	mr_lock_filter_default(&f);
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
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
	if (!mr_need_module_support())
		return MR_EXIT_NO_MODULES;
	if (!mr_need_cap_sys_module("locks", "it talks to the helper"))
		return MR_EXIT_FAILED;
	ret = read_snapshot(&s);
	if (ret != MR_EXIT_OK)
		return ret;
	ret = show(&s, &f, json);
	mr_lock_snapshot_free(&s);
	why = distrusted();
	if (why)
		fprintf(stderr, "modrescue: warning: %s\n", why);
	return ret;
}
