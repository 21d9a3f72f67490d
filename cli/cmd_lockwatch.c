// SPDX-License-Identifier: GPL-2.0
/*
 * modrescue lockwatch on|off|status [--json]
 *
 * on: load the helper if needed, keep it loaded, arm the spinlock hooks.
 * off: disarm them, then unload the helper if nothing else holds it.
 * status: on or off, since when, the entry points hooked, missed events.
 * Exit: 0 done (or already so), 1 failed, 2 usage.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "render.h"
#include "helper.h"
#include "helper_load.h"
#include "session.h"

/* On stdout (--help) the options too; on a usage error the synopsis only. */
static void usage(FILE *out)
{
	fprintf(out, "usage: modrescue lockwatch on|off|status [--json]\n");
	if (out != stdout)
		return;
	fprintf(out,
		"\n"
		"Track who holds which spinlock, from where, and who waits for it.\n"
		"\n"
		"  on               load the helper, keep it loaded, and hook the spinlock\n"
		"                   entry points\n"
		"  off              unhook, then unload the helper if nothing else holds it\n"
		"  status           whether it is on, since when, and where it is blind\n"
		"  --json           print one JSON object, {\"lockwatch\":{...}}\n"
		"  -h, --help       print this help and exit\n"
		"\n"
		"Exit: 0 done, 1 failed, 2 usage, 5 no loadable-module support.\n"
		"modrescue(8) tells all.\n");
}

/* Events went unrecorded, or may go unseen: some holders are unknown. */
static bool blind(const struct modrescue_lockwatch *lw)
{
	return lw->armed &&
	       (lw->full_tables || lw->full || lw->dropped || lw->shared);
}

static void print_state(const char *did, const struct modrescue_lockwatch *lw,
			bool json)
{
	char since[64] = "", untracked[160] = "";
	time_t t = (time_t)lw->since;
	struct tm tm;

	if (lw->armed && localtime_r(&t, &tm))
		strftime(since, sizeof(since), "%Y-%m-%d %H:%M:%S", &tm);
	/* Armed with busy set: the kernel inlines one raw entry point. */
	if (lw->armed && lw->busy[0])
		snprintf(untracked, sizeof(untracked),
			 "raw spinlocks (this kernel inlines %s)", lw->busy);
	if (json) {
		struct json_object *o = json_object_new_object();
		struct json_object *l = json_object_new_object();

		json_object_object_add(l, "on",
				       json_object_new_boolean(lw->armed));
		json_object_object_add(
			l, "since",
			lw->armed ? json_object_new_string(since) : NULL);
		json_object_object_add(l, "hooks",
				       json_object_new_int((int)lw->hooks));
		json_object_object_add(
			l, "missed",
			json_object_new_int64((int64_t)lw->missed));
		json_object_object_add(
			l, "untracked",
			untracked[0] ? json_object_new_string(untracked) :
				       NULL);
		json_object_object_add(
			l, "full", json_object_new_int64((int64_t)lw->full));
		json_object_object_add(
			l, "dropped",
			json_object_new_int64((int64_t)lw->dropped));
		json_object_object_add(
			l, "reclaimed",
			json_object_new_int64((int64_t)lw->reclaimed));
		json_object_object_add(
			l, "full_tables",
			json_object_new_int((int)lw->full_tables));
		json_object_object_add(l, "shared",
				       json_object_new_boolean(lw->shared));
		json_object_object_add(l, "blind",
				       json_object_new_boolean(blind(lw)));
		json_object_object_add(l, "did", json_object_new_string(did));
		json_object_object_add(o, "lockwatch", l);
		mr_json_print(stdout, o);
		json_object_put(o);
		return;
	}
	if (lw->armed && untracked[0])
		printf("lockwatch: on since %s, %u entry points hooked, %llu missed events (%s); not tracked: %s\n",
		       since, lw->hooks, (unsigned long long)lw->missed, did,
		       untracked);
	else if (lw->armed)
		printf("lockwatch: on since %s, %u entry points hooked, %llu missed events (%s)\n",
		       since, lw->hooks, (unsigned long long)lw->missed, did);
	else
		printf("lockwatch: off (%s)\n", did);
	if (!lw->armed)
		return;
	if (lw->full_tables || lw->full || lw->dropped)
		printf("lockwatch: blind spots since arming: %u table(s) full now, %llu acquisition(s) not recorded (table full), %llu other event(s) not recorded, %llu stale entries reclaimed; locks held before the last one are not released\n",
		       lw->full_tables, (unsigned long long)lw->full,
		       (unsigned long long)lw->dropped,
		       (unsigned long long)lw->reclaimed);
	if (lw->shared)
		printf("lockwatch: another ftrace user shares a hooked function, so lock calls can go unseen: no held lock is trusted until lockwatch is turned off and on again\n");
}

/* Where tracefs shows which ftrace callbacks sit on which function. */
static const char *const enabled_functions[] = {
	"/sys/kernel/tracing/enabled_functions",
	"/sys/kernel/debug/tracing/enabled_functions",
};

/*
 * The callback of the ftrace user that owns FUNC, from its line in
 * enabled_functions ("FUNC (1)    I  \ttramp: 0x... (cb+0x0/0x10 [mod])"
 * or "FUNC (1)    I   ->cb+0x0/0x10 [mod]"), into BUF; false when tracefs
 * is not mounted or does not say.
 */
static bool ftrace_owner_of(const char *func, char *buf, size_t len)
{
	size_t flen = strlen(func), i;
	char line[512];

	for (i = 0; i < sizeof(enabled_functions) / sizeof(*enabled_functions);
	     i++) {
		FILE *f = fopen(enabled_functions[i], "re");
		bool found = false;

		if (!f)
			continue;
		while (!found && fgets(line, sizeof(line), f)) {
			const char *from, *to;

			if (strncmp(line, func, flen) ||
			    (line[flen] != ' ' && line[flen] != '\t'))
				continue;
			from = strstr(line, "tramp:");
			if (from && (from = strchr(from, '(')) != NULL) {
				from++;
				to = strchr(from, ')');
			} else if ((from = strstr(line, "->")) != NULL) {
				from += 2;
				to = from + strcspn(from, "\t\n");
			} else {
				continue;
			}
			if (to && to > from) {
				snprintf(buf, len, "%.*s", (int)(to - from),
					 from);
				found = true;
			}
		}
		fclose(f);
		if (found)
			return true;
	}
	return false;
}

/* An error of arming, in words. */
static void explain_arm_error(int err, const struct modrescue_lockwatch *lw)
{
	const char *func = lw->busy[0] ? lw->busy : "an entry point";
	char owner[256];

	if (err == -EBUSY && lw->busy[0] &&
	    ftrace_owner_of(lw->busy, owner, sizeof(owner)))
		fprintf(stderr,
			"modrescue: ERROR: cannot arm lockwatch: %s is already redirected by another ftrace user, whose callback is %s (per tracefs enabled_functions); nothing was hooked\n",
			func, owner);
	else if (err == -EBUSY)
		fprintf(stderr,
			"modrescue: ERROR: cannot arm lockwatch: %s is already redirected by another ftrace user (a livepatch or a tracer; mount tracefs and read enabled_functions to see which); nothing was hooked\n",
			func);
	else if (err == -EOPNOTSUPP)
		fprintf(stderr,
			"modrescue: ERROR: cannot arm lockwatch: this kernel inlines %s, so half of every lock's life would go unseen; nothing was hooked\n",
			lw->busy);
	else
		fprintf(stderr, "modrescue: ERROR: cannot arm lockwatch: %s\n",
			strerror(-err));
}

static int lockwatch_on(bool json)
{
	struct mr_unload_report r = { 0 };
	struct mr_helper_session s;
	struct modrescue_lockwatch lw;
	int ret;

	mr_session_init(&s, false);
	if (mr_session_open(&s, &r)) {
		fprintf(stderr, "modrescue: ERROR: %s\n",
			r.error ? r.error : "cannot open the helper");
		mr_report_free(&r);
		return MR_EXIT_FAILED;
	}
	ret = mr_helper_lockwatch(s.fd, MODRESCUE_LOCKWATCH_ON, &lw);
	/* Armed, the helper stays loaded until lockwatch off. */
	s.keep = !ret || ret == -EALREADY;
	mr_session_end(&s, NULL);
	mr_report_free(&r);
	if (ret && ret != -EALREADY) {
		explain_arm_error(ret, &lw);
		return MR_EXIT_FAILED;
	}
	print_state(ret ? "it was on already" : "armed", &lw, json);
	return MR_EXIT_OK;
}

static int lockwatch_off(bool json)
{
	struct modrescue_lockwatch lw = { 0 };
	const char *did = "it was not on";
	int fd = mr_helper_open_loaded();

	if (fd >= 0) {
		int ret = mr_helper_lockwatch(fd, MODRESCUE_LOCKWATCH_OFF, &lw);

		close(fd);
		if (ret == -EBUSY) {
			fprintf(stderr,
				"modrescue: ERROR: cannot disarm lockwatch: containment needs it; run modrescue contain off first\n");
			return MR_EXIT_FAILED;
		}
		if (ret == -EDEADLK) {
			fprintf(stderr,
				"modrescue: ERROR: cannot disarm lockwatch: a CPU has not scheduled for 2 s (a task spinning on a lock whose owner died, say), and unhooking would wait for it for good; release that lock first (modrescue locks), then try again\n");
			return MR_EXIT_FAILED;
		}
		if (ret && ret != -EALREADY) {
			fprintf(stderr,
				"modrescue: ERROR: cannot disarm lockwatch: %s\n",
				strerror(-ret));
			return MR_EXIT_FAILED;
		}
		if (!ret)
			did = "disarmed";
		if (!mr_helper_unload_if_unused())
			did = ret ? "it was not on; unloaded the helper" :
				    "disarmed, unloaded the helper";
	}
	print_state(did, &lw, json);
	return MR_EXIT_OK;
}

static int lockwatch_status(bool json)
{
	struct modrescue_lockwatch lw = { 0 };
	int fd = mr_helper_open_loaded();

	if (fd >= 0) {
		int ret = mr_helper_lockwatch(fd, MODRESCUE_LOCKWATCH_STATUS,
					      &lw);

		close(fd);
		if (ret) {
			fprintf(stderr,
				"modrescue: ERROR: cannot ask the helper: %s\n",
				strerror(-ret));
			return MR_EXIT_FAILED;
		}
	}
	print_state(fd >= 0 ? "asked the helper" : "the helper is not loaded",
		    &lw, json);
	return MR_EXIT_OK;
}

int cmd_lockwatch(int argc, char **argv)
{
	bool json = false;
	int ret = mr_parse_read_opts(argc, argv, &json, usage);

	if (ret >= 0)
		return ret;
	if (optind != argc - 1) {
		usage(stderr);
		return MR_EXIT_USAGE;
	}
	if (!mr_need_module_support())
		return MR_EXIT_NO_MODULES;
	if (!mr_need_cap_sys_module("lockwatch", "it talks to the helper"))
		return MR_EXIT_FAILED;
	if (!strcmp(argv[optind], "on"))
		return lockwatch_on(json);
	if (!strcmp(argv[optind], "off"))
		return lockwatch_off(json);
	if (!strcmp(argv[optind], "status"))
		return lockwatch_status(json);
	usage(stderr);
	return MR_EXIT_USAGE;
}
