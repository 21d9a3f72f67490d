// SPDX-License-Identifier: GPL-2.0
/*
 * modrescue contain on [--panic MODULE... [--panic-max N]] | off | status
 * [--json]
 *
 * on: load the helper if needed and keep it loaded, arm lockwatch if it is
 * off, and hook the oops exit path: a task that dies of an oops first
 * releases the spinlocks it holds. --panic also hooks panic(): a panic
 * called from the code of one of the MODULEs named, in process context,
 * parks its task instead (at most N times, 3 by default); a panic from any
 * other code, the kernel's own included, is the kernel's. on again re-arms
 * as asked.
 * off: unhook both (lockwatch stays on: `lockwatch off` next).
 * status: what is armed, and the oopses and panics contained so far.
 * Exit: 0 done (or already so), 1 failed, 2 usage.
 */
#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "diag.h"
#include "render.h"
#include "helper.h"
#include "helper_load.h"
#include "session.h"

/* The kernel's MODULE_NAME_LEN: a longer name is no module's. */
#define MR_MODULE_NAME_LEN 56

/* On stdout (--help) the options too; on a usage error the synopsis only. */
static void usage(FILE *out)
{
	fprintf(out,
		"usage: modrescue contain on [--panic MODULE... [--panic-max N]] [--json]\n"
		"       modrescue contain off|status [--json]\n");
	if (out != stdout)
		return;
	fprintf(out,
		"\n"
		"Keep a machine alive through a module's oops or panic until it can be\n"
		"drained and rebooted.\n"
		"\n"
		"  on               arm lockwatch and hook the oops exit path: a task dying\n"
		"                   of an oops first releases its modules' own spinlocks\n"
		"  off              unhook; lockwatch stays on\n"
		"  status           what is armed, and what it has done\n"
		"  --panic MODULE...\n"
		"                   also park for good, instead of panicking, a task whose\n"
		"                   panic() is called from the named modules' code (1 to 8)\n"
		"  --panic-max N    park at most N panics (1 to 1000, default 3)\n"
		"  --json           print one JSON object, {\"contain\":{...}}\n"
		"  -h, --help       print this help and exit\n"
		"\n"
		"Exit: 0 done, 1 failed, 2 usage, 5 no loadable-module support.\n"
		"modrescue(8) tells all.\n");
}

/* The modules whose panics may be parked, as named on the command line. */
struct contain_names {
	char *const *v;
	unsigned int n;
};

static int contain_ioctl(int fd, unsigned int op, unsigned int flags,
			 unsigned int panic_max, const struct contain_names *m,
			 struct modrescue_contain *c)
{
	unsigned int i;

	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	c->op = op;
	c->flags = flags;
	c->panic_max = panic_max;
	for (i = 0; m && i < m->n; i++) {
		snprintf(c->modules[i], sizeof(c->modules[i]), "%s", m->v[i]);
		mr_modname_normalize(c->modules[i]);
	}
	c->n_modules = m ? m->n : 0;
	return ioctl(fd, MODRESCUE_IOC_CONTAIN, c) < 0 ? -errno : 0;
}

/* "a, b, c": the names in force, for the text output. */
static void names_text(const struct modrescue_contain *c, char *buf, size_t len)
{
	size_t at = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0;
	     i < c->n_modules && i < MODRESCUE_CONTAIN_MODULES && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s%.*s",
				       i ? ", " : "", MODRESCUE_NAME_LEN,
				       c->modules[i]);
}

static void print_state(const char *did, const struct modrescue_contain *c,
			bool json)
{
	bool panics = c->flags & MODRESCUE_CONTAIN_PANIC;
	char names[MODRESCUE_CONTAIN_MODULES * (MODRESCUE_NAME_LEN + 2)];
	char since[64] = "";
	time_t t = (time_t)c->since;
	struct tm tm;

	if (c->armed && localtime_r(&t, &tm))
		strftime(since, sizeof(since), "%Y-%m-%d %H:%M:%S", &tm);
	if (json) {
		struct json_object *o = json_object_new_object();
		struct json_object *l = json_object_new_object();

		json_object_object_add(l, "on",
				       json_object_new_boolean(c->armed));
		json_object_object_add(
			l, "since",
			c->armed ? json_object_new_string(since) : NULL);
		json_object_object_add(l, "oopses",
				       json_object_new_boolean(c->armed));
		json_object_object_add(l, "panics",
				       json_object_new_boolean(panics));
		json_object_object_add(l, "panic_max",
				       json_object_new_int((int)c->panic_max));
		if (panics) {
			struct json_object *a = json_object_new_array();
			unsigned int i;

			for (i = 0;
			     i < c->n_modules && i < MODRESCUE_CONTAIN_MODULES;
			     i++)
				json_object_array_add(
					a,
					json_object_new_string_len(
						c->modules[i],
						(int)strnlen(
							c->modules[i],
							MODRESCUE_NAME_LEN)));
			json_object_object_add(l, "panic_modules", a);
		} else {
			json_object_object_add(l, "panic_modules", NULL);
		}
		json_object_object_add(
			l, "oopses_seen",
			json_object_new_int64((int64_t)c->oopses));
		json_object_object_add(
			l, "panics_contained",
			json_object_new_int64((int64_t)c->panics));
		json_object_object_add(
			l, "locks_released",
			json_object_new_int64((int64_t)c->released));
		json_object_object_add(l, "locks_left",
				       json_object_new_int64((int64_t)c->left));
		json_object_object_add(l, "did", json_object_new_string(did));
		json_object_object_add(o, "contain", l);
		mr_json_print(stdout, o);
		json_object_put(o);
		return;
	}
	names_text(c, names, sizeof(names));
	if (c->armed && panics)
		printf("contain: on since %s: oopses, and panics from the code of %s (up to %u) (%s)\n",
		       since, names, c->panic_max, did);
	else if (c->armed)
		printf("contain: on since %s: oopses; panics are not contained (%s)\n",
		       since, did);
	else
		printf("contain: off (%s)\n", did);
	printf("contain: %llu oopses seen, %llu panics contained, %llu locks released, %llu left\n",
	       (unsigned long long)c->oopses, (unsigned long long)c->panics,
	       (unsigned long long)c->released, (unsigned long long)c->left);
}

static void explain_arm_error(int err, const struct modrescue_contain *c)
{
	const char *what = c->busy[0] ? c->busy : "a hook point";

	if (err == -ENOENT)
		fprintf(stderr,
			"modrescue: ERROR: cannot arm containment: this kernel cannot trace %s; nothing was hooked\n",
			what);
	else if (err == -EBUSY)
		fprintf(stderr,
			"modrescue: ERROR: cannot arm containment: %s is in the way (another ftrace user, or lockwatch cannot arm); nothing was hooked\n",
			what);
	else if (err == -EOPNOTSUPP && !strcmp(what, "the module list"))
		fprintf(stderr,
			"modrescue: ERROR: cannot arm panic containment: the helper was loaded without the module list, so it cannot tell which module called panic(); nothing was hooked\n");
	else if (err == -EINVAL)
		fprintf(stderr,
			"modrescue: ERROR: cannot arm containment: the helper refused the request (an older helper cannot limit panics to the modules named); nothing was hooked\n");
	else if (err == -EOPNOTSUPP)
		fprintf(stderr,
			"modrescue: ERROR: cannot arm containment: lockwatch cannot arm (this kernel inlines %s); nothing was hooked\n",
			what);
	else
		fprintf(stderr,
			"modrescue: ERROR: cannot arm containment: %s\n",
			strerror(-err));
}

static int contain_on(const struct contain_names *m, unsigned int panic_max,
		      bool json)
{
	bool panic_too = m->n > 0;
	struct mr_unload_report r = { 0 };
	struct mr_helper_session s;
	struct modrescue_contain c;
	const char *did;
	int ret;

	mr_session_init(&s, false);
	if (mr_session_open(&s, &r)) {
		fprintf(stderr, "modrescue: ERROR: %s\n",
			r.error ? r.error : "cannot open the helper");
		mr_report_free(&r);
		return MR_EXIT_FAILED;
	}
	ret = contain_ioctl(s.fd, MODRESCUE_CONTAIN_ON,
			    panic_too ? MODRESCUE_CONTAIN_PANIC : 0, panic_max,
			    m, &c);
	/* Armed, the helper stays loaded until contain off, lockwatch off. */
	s.keep = !ret || ret == -EALREADY || c.armed;
	mr_session_end(&s, NULL);
	mr_report_free(&r);
	if (ret && ret != -EALREADY) {
		explain_arm_error(ret, &c);
		return MR_EXIT_FAILED;
	}
	if (ret)
		did = "it was on already";
	else if (c.lockwatch == 2)
		did = "armed, and lockwatch with it";
	else
		did = "armed";
	print_state(did, &c, json);
	return MR_EXIT_OK;
}

static int contain_off(bool json)
{
	struct modrescue_contain c = { 0 };
	const char *did = "it was not on";
	int fd = mr_helper_open_loaded();

	if (fd >= 0) {
		int ret = contain_ioctl(fd, MODRESCUE_CONTAIN_OFF, 0, 0, NULL,
					&c);

		close(fd);
		if (ret && ret != -EALREADY) {
			fprintf(stderr,
				"modrescue: ERROR: cannot disarm containment: %s\n",
				strerror(-ret));
			return MR_EXIT_FAILED;
		}
		if (!ret)
			did = "disarmed; lockwatch stays on";
	}
	print_state(did, &c, json);
	return MR_EXIT_OK;
}

static int contain_status(bool json)
{
	struct modrescue_contain c = { 0 };
	int fd = mr_helper_open_loaded();

	if (fd >= 0) {
		int ret = contain_ioctl(fd, MODRESCUE_CONTAIN_STATUS, 0, 0,
					NULL, &c);

		close(fd);
		if (ret) {
			fprintf(stderr,
				"modrescue: ERROR: cannot ask the helper: %s\n",
				strerror(-ret));
			return MR_EXIT_FAILED;
		}
	}
	print_state(fd >= 0 ? "asked the helper" : "the helper is not loaded",
		    &c, json);
	return MR_EXIT_OK;
}

int cmd_contain(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "panic", no_argument, NULL, 'p' },
		{ "panic-max", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false, panic_too = false;
	struct contain_names names = { 0 };
	unsigned long panic_max = 0;
	unsigned int i;
	const char *op;
	char *end;
	int o;

	optind = 1;
	while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (o) {
		case 'j':
			json = true;
			break;
		case 'p':
			panic_too = true;
			break;
		case 'm':
			errno = 0;
			panic_max = strtoul(optarg, &end, 10);
			if (errno || *end || !*optarg || panic_max < 1 ||
			    panic_max > 1000) {
				fprintf(stderr,
					"modrescue: ERROR: --panic-max takes a number from 1 to 1000\n");
				return MR_EXIT_USAGE;
			}
			break;
		case 'h':
			usage(stdout);
			return MR_EXIT_OK;
		default:
			usage(stderr);
			return MR_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return MR_EXIT_USAGE;
	}
	op = argv[optind];
	names.v = argv + optind + 1;
	names.n = (unsigned int)(argc - optind - 1);
	if (strcmp(op, "on") && (panic_too || panic_max)) {
		fprintf(stderr,
			"modrescue: ERROR: --panic and --panic-max go with 'on'\n");
		return MR_EXIT_USAGE;
	}
	if (strcmp(op, "on") && names.n) {
		usage(stderr);
		return MR_EXIT_USAGE;
	}
	if (names.n && !panic_too) {
		fprintf(stderr,
			"modrescue: ERROR: module names go with --panic: only their panics are parked\n");
		return MR_EXIT_USAGE;
	}
	if (panic_too && !names.n) {
		fprintf(stderr,
			"modrescue: ERROR: missing module name: --panic parks only the panics of the modules named\n");
		return MR_EXIT_USAGE;
	}
	if (names.n > MODRESCUE_CONTAIN_MODULES) {
		fprintf(stderr,
			"modrescue: ERROR: --panic takes at most %d module names\n",
			MODRESCUE_CONTAIN_MODULES);
		return MR_EXIT_USAGE;
	}
	for (i = 0; i < names.n; i++) {
		size_t len = strlen(names.v[i]);

		if (!len || len >= MR_MODULE_NAME_LEN ||
		    strchr(names.v[i], '/')) {
			fprintf(stderr,
				"modrescue: ERROR: '%s' is not a module name\n",
				names.v[i]);
			return MR_EXIT_USAGE;
		}
	}
	if (panic_max && !panic_too) {
		fprintf(stderr,
			"modrescue: ERROR: --panic-max needs --panic\n");
		return MR_EXIT_USAGE;
	}
	if (!mr_need_module_support())
		return MR_EXIT_NO_MODULES;
	if (!mr_need_cap_sys_module("contain", "it talks to the helper"))
		return MR_EXIT_FAILED;
	if (!strcmp(op, "on"))
		return contain_on(&names, (unsigned int)panic_max, json);
	if (!strcmp(op, "off"))
		return contain_off(json);
	if (!strcmp(op, "status"))
		return contain_status(json);
	usage(stderr);
	return MR_EXIT_USAGE;
}
