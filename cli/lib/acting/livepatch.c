// SPDX-License-Identifier: GPL-2.0
#include "livepatch.h"

#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

/*
 * A livepatch matches its objects by module name: forgetting references of
 * a livepatch module, or of a module one patches, could free code a patch
 * still redirects into. True, with WHY set, when NAME is either.
 */
bool mr_livepatch_involved(const char *name, char *why, size_t len)
{
	char path[PATH_MAX];
	glob_t g;
	bool found;

	snprintf(path, sizeof(path), "/sys/kernel/livepatch/%s", name);
	if (!access(path, F_OK)) {
		snprintf(
			why, len,
			"Module %s is a livepatch: modrescue never resets its references",
			name);
		return true;
	}
	snprintf(path, sizeof(path), "/sys/kernel/livepatch/*/%s", name);
	found = glob(path, 0, NULL, &g) == 0 && g.gl_pathc > 0;
	if (found)
		snprintf(
			why, len,
			"Module %s is patched by livepatch %s: modrescue never resets its references",
			name, g.gl_pathv[0]);
	globfree(&g);
	return found;
}
