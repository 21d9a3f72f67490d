// SPDX-License-Identifier: GPL-2.0
/*
 * modrescue status [--json | --prometheus [--textfile DIR]] [MODULE...]:
 * every loaded module, or the named ones, with state, refcount, holders,
 * exit, the tasks in its code or stuck in its init/exit, and a one-word
 * verdict. Reads only.
 *
 * --prometheus prints the Prometheus text exposition (prom.h); --textfile
 * DIR (which implies it) writes it to DIR/modrescue.prom atomically, for
 * node_exporter's textfile collector.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "commands.h"
#include "diag.h"
#include "helper.h"
#include "locksnap.h"
#include "prom.h"
#include "render.h"
#include "textfile.h"

enum format { TEXT, JSON, PROMETHEUS };

/* On stdout (--help) the options too; on a usage error the synopsis only. */
static void usage(FILE *out)
{
	fprintf(out,
		"usage: modrescue status [--json] [MODULE...]\n"
		"       modrescue status --prometheus [--textfile DIR] [MODULE...]\n");
	if (out != stdout)
		return;
	fprintf(out,
		"\n"
		"Every loaded module (or the named ones): its state, references, holders,\n"
		"whether it has an exit, the tasks stuck in it, and a one-word verdict.\n"
		"Reads only and loads nothing; only root sees the stacks of stuck tasks.\n"
		"\n"
		"  --json          print one JSON object, {\"modules\":[...]}\n"
		"  --prometheus    print Prometheus metrics (text exposition) instead\n"
		"  --textfile DIR  write the metrics to DIR/modrescue.prom atomically, for\n"
		"                  node_exporter's textfile collector (implies --prometheus)\n"
		"  -h, --help      print this help and exit\n"
		"\n"
		"Exit: 0 answered, 1 failed or a MODULE not loaded, 2 usage, 5 no\n"
		"loadable-module support. modrescue(8) tells all.\n");
}

/* -1 to go on, or the exit code (after --help or a usage error). */
static int parse(int argc, char **argv, enum format *fmt, const char **dir)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "prometheus", no_argument, NULL, 'p' },
		{ "textfile", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false, prom = false;
	int c;

	*dir = NULL;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'p':
			prom = true;
			break;
		case 't':
			if (!*optarg)
				goto bad;
			*dir = optarg;
			prom = true;
			break;
		case 'h':
			usage(stdout);
			return MR_EXIT_OK;
		case ':':
			fprintf(stderr,
				"modrescue: ERROR: option '%s' needs a directory\n",
				argv[optind - 1]);
			goto bad;
		default:
			fprintf(stderr,
				"modrescue: ERROR: unknown option '%s'\n",
				argv[optind - 1]);
			goto bad;
		}
	}
	if (json && prom) {
		fprintf(stderr,
			"modrescue: ERROR: --json and --prometheus are two formats: pick one\n");
		goto bad;
	}
	*fmt = json ? JSON : prom ? PROMETHEUS : TEXT;
	return -1;
bad:
	usage(stderr);
	return MR_EXIT_USAGE;
}

/* /proc/sys/kernel/tainted, or -1. */
static long long read_taint(void)
{
	FILE *f = fopen("/proc/sys/kernel/tainted", "re");
	long long v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/*
 * Lockwatch's snapshot into S (*HAVE set) when it is on, and d->lockwatch
 * settled: the diagnosis asks only when some module is loaded, and a
 * metric must say on or off all the same. Left UNASKED when the helper
 * cannot be asked (no privilege).
 */
static void ask_lockwatch(struct mr_diag *d, struct mr_lock_snapshot *s,
			  bool *have)
{
	int err;

	*have = false;
	if (d->lockwatch == MR_LOCKWATCH_OFF)
		return;
	err = mr_locks_read(s);
	if (!err) {
		*have = true;
		d->lockwatch = MR_LOCKWATCH_ON;
	} else if (err == -ENODATA) {
		d->lockwatch = MR_LOCKWATCH_OFF;
	}
}

/*
 * Containment's counters into F, from the helper when it is loaded (never
 * loading it): none contained when it is not. Unknown (no sample) when it
 * cannot be asked (no privilege).
 */
static void ask_contain(struct mr_prom_facts *f)
{
	struct modrescue_contain c;
	int fd;

	f->contain_known = false;
	if (!mr_helper_is_loaded()) {
		f->contain_known = true;
		return;
	}
	fd = mr_helper_open();
	if (fd < 0)
		return;
	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.op = MODRESCUE_CONTAIN_STATUS;
	if (!ioctl(fd, MODRESCUE_IOC_CONTAIN, &c)) {
		f->contain_known = true;
		f->contained_oops = c.oopses;
		f->contained_panics = c.panics;
	}
	close(fd);
}

/*
 * Lockwatch's blind spots into F, from the helper when it is loaded and
 * lockwatch armed (never loading it); unknown otherwise.
 */
static void ask_lockwatch_counts(struct mr_prom_facts *f)
{
	struct modrescue_lockwatch lw;
	int fd;

	f->lockwatch_counts_known = false;
	if (!mr_helper_is_loaded())
		return;
	fd = mr_helper_open();
	if (fd < 0)
		return;
	if (!mr_helper_lockwatch(fd, MODRESCUE_LOCKWATCH_STATUS, &lw) &&
	    lw.armed) {
		f->lockwatch_counts_known = true;
		f->lockwatch_full = lw.full;
		f->lockwatch_dropped = lw.dropped;
		f->lockwatch_reclaimed = lw.reclaimed;
		f->lockwatch_full_tables = lw.full_tables;
		f->lockwatch_shared = lw.shared;
	}
	close(fd);
}

/* The exposition of D, printed or written to DIR. */
static int prometheus(struct mr_diag *d, const char *dir)
{
	struct mr_prom_facts f = { .tainted = read_taint() };
	struct mr_lock_snapshot s;
	bool have_locks;
	char *buf = NULL;
	size_t len = 0;
	FILE *out;
	int rc = MR_EXIT_OK;

	ask_lockwatch(d, &s, &have_locks);
	ask_contain(&f);
	ask_lockwatch_counts(&f);
	if (have_locks)
		f.locks = &s;
	out = dir ? open_memstream(&buf, &len) : stdout;
	if (!out || mr_prom_write(out, d, &f))
		rc = MR_EXIT_FAILED;
	if (dir && out && fclose(out))
		rc = MR_EXIT_FAILED;
	if (dir && rc == MR_EXIT_OK) {
		int err = mr_textfile_write(dir, MR_PROM_TEXTFILE, buf, len);

		if (err) {
			fprintf(stderr,
				"modrescue: ERROR: cannot write %s/%s: %s\n",
				dir, MR_PROM_TEXTFILE, strerror(-err));
			rc = MR_EXIT_FAILED;
		}
	}
	free(buf);
	if (have_locks)
		mr_lock_snapshot_free(&s);
	return rc;
}

int cmd_status(int argc, char **argv)
{
	struct mr_diag_opts opts = { .want_locks = true, .want_crash = true };
	struct mr_diag d;
	enum format fmt = TEXT;
	const char *dir;
	char **names;
	int i, err, rc;
	size_t n = 0;

	rc = parse(argc, argv, &fmt, &dir);
	if (rc >= 0)
		return rc;
	if (!mr_need_module_support())
		return MR_EXIT_NO_MODULES;
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
	if (fmt == PROMETHEUS) {
		if (prometheus(&d, dir))
			rc = MR_EXIT_FAILED;
	} else if (fmt == JSON) {
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
