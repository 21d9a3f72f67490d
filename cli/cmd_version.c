// SPDX-License-Identifier: GPL-2.0
/* modrescue --version: the CLI version, and the helper's ABI when loaded. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "helper.h"

#ifndef MODRESCUE_VERSION
#define MODRESCUE_VERSION "unknown"
#endif

int cmd_version(int argc, char **argv)
{
	struct modrescue_version ver;
	int fd, ret;

	if (argc == 2 &&
	    (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: modrescue --version\n       modrescue version\n"
		       "\nThe CLI's version and ABI, and the ABI of the helper when\n"
		       "it is loaded. Loads nothing.\n");
		return MR_EXIT_OK;
	}
	if (argc > 1) {
		fprintf(stderr,
			"usage: modrescue --version\n       modrescue version\n");
		return MR_EXIT_USAGE;
	}
	printf("modrescue %s (ABI %d)\n", MODRESCUE_VERSION,
	       MODRESCUE_ABI_VERSION);
	if (!mr_helper_is_loaded()) {
		printf("helper: not loaded\n");
		return MR_EXIT_OK;
	}
	fd = mr_helper_open();
	if (fd < 0) {
		printf("helper: loaded, ABI unknown (%s: %s)\n",
		       MODRESCUE_DEVICE_PATH, strerror(-fd));
		return MR_EXIT_OK;
	}
	ret = mr_helper_get_version(fd, &ver);
	close(fd);
	if (ret) {
		printf("helper: loaded, ABI unknown (GET_VERSION: %s)\n",
		       strerror(-ret));
	} else {
		char why[512];

		printf("helper: loaded, ABI %u%s\n", ver.abi_version,
		       mr_helper_abi_check(&ver, why, sizeof(why)) ?
			       " (this CLI cannot work with it)" :
			       "");
	}
	return MR_EXIT_OK;
}
