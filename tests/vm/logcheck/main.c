// SPDX-License-Identifier: GPL-2.0
/*
 * logcheck: did a lab scenario pass? Reads a guest's serial console log.
 *
 *   logcheck [--quiet] LOGFILE   exit 0 passed, 1 failed (one line per
 *                                reason on stdout unless --quiet), 3
 *                                skipped
 *   logcheck --baseline LOGFILE  print the MR-BASELINE payloads
 *
 * Exit 2 on a usage or I/O error. LOGFILE "-" is standard input.
 */
#include "report.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define EXIT_USAGE 2
#define EXIT_SKIPPED 3

static void usage(FILE *fp)
{
	fprintf(fp, "usage: logcheck [--quiet] LOGFILE\n"
		    "       logcheck --baseline LOGFILE\n");
}

int main(int argc, char **argv)
{
	bool quiet = false, baseline = false;
	const char *path;
	struct logcheck *lc;
	FILE *fp;
	size_t i;
	int argi, verdict, err;

	for (argi = 1; argi < argc && argv[argi][0] == '-' && argv[argi][1];
	     argi++) {
		if (!strcmp(argv[argi], "--quiet") ||
		    !strcmp(argv[argi], "-q")) {
			quiet = true;
		} else if (!strcmp(argv[argi], "--baseline")) {
			baseline = true;
		} else if (!strcmp(argv[argi], "--help") ||
			   !strcmp(argv[argi], "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[argi], "--")) {
			argi++;
			break;
		} else {
			fprintf(stderr, "logcheck: unknown option %s\n",
				argv[argi]);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - argi != 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	path = argv[argi];

	fp = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!fp) {
		fprintf(stderr, "logcheck: %s: %s\n", path, strerror(errno));
		return EXIT_USAGE;
	}
	lc = lc_new();
	if (!lc) {
		fprintf(stderr, "logcheck: out of memory\n");
		return EXIT_USAGE;
	}
	err = lc_feed_file(lc, fp) ? errno : 0;
	if (fp != stdin)
		fclose(fp);
	if (err) {
		fprintf(stderr, "logcheck: %s: %s\n", path, strerror(err));
		lc_free(lc);
		return EXIT_USAGE;
	}

	verdict = lc_finish(lc);
	if (verdict == LC_NOMEM) {
		fprintf(stderr, "logcheck: out of memory\n");
		lc_free(lc);
		return EXIT_USAGE;
	}
	if (baseline) {
		for (i = 0; i < lc_nr_baselines(lc); i++)
			printf("%s\n", lc_baseline(lc, i));
		verdict = LC_PASS;
	} else if (!quiet) {
		for (i = 0; i < lc_nr_reasons(lc); i++)
			printf("%s\n", lc_reason(lc, i));
	}
	lc_free(lc);
	if (fflush(stdout)) {
		fprintf(stderr, "logcheck: stdout: %s\n", strerror(errno));
		return EXIT_USAGE;
	}
	if (verdict == LC_SKIP)
		return EXIT_SKIPPED;
	return verdict == LC_PASS ? 0 : 1;
}
