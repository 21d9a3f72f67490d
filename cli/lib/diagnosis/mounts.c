// SPDX-License-Identifier: GPL-2.0
#include "mounts.h"

#include <errno.h>
#include <libkmod.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Does the fs-TYPE alias resolve to MODULE? */
static bool type_is_provided_by(struct kmod_ctx *ctx, const char *type,
				const char *module)
{
	struct kmod_list *list = NULL, *l;
	char alias[128];
	bool found = false;

	if (!strcmp(type, module))
		return true;
	if (!ctx)
		return false;
	snprintf(alias, sizeof(alias), "fs-%s", type);
	if (kmod_module_new_from_lookup(ctx, alias, &list) < 0)
		return false;
	kmod_list_foreach(l, list) {
		struct kmod_module *mod = kmod_module_get_module(l);

		if (!strcmp(kmod_module_get_name(mod), module))
			found = true;
		kmod_module_unref(mod);
	}
	kmod_module_unref_list(list);
	return found;
}

/*
 * A mountinfo line: "36 35 98:0 / /mnt rw,noatime master:1 - ext3 /dev/x rw"
 * The mount point is field 5; the type is the first field after " - ".
 */
static bool parse_mountinfo(char *line, char **mnt, char **type)
{
	char *sep = strstr(line, " - ");
	char *save = NULL;
	int i;

	if (!sep)
		return false;
	*sep = '\0';
	*type = strtok_r(sep + 3, " \n", &save);
	save = NULL;
	*mnt = strtok_r(line, " ", &save);
	for (i = 1; i < 5 && *mnt; i++)
		*mnt = strtok_r(NULL, " ", &save);
	return *mnt && *type;
}

int mr_module_mounts(struct kmod_ctx *ctx, const char *mountinfo,
		     const char *module, char ***out)
{
	char line[4096], **v = NULL;
	size_t n = 0;
	FILE *f;

	*out = NULL;
	f = fopen(mountinfo, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *mnt, *type, **nv, *s;

		if (!parse_mountinfo(line, &mnt, &type) ||
		    !type_is_provided_by(ctx, type, module))
			continue;
		nv = realloc(v, (n + 1) * sizeof(*v));
		if (!nv)
			break;
		v = nv;
		s = malloc(strlen(type) + strlen(mnt) + 5);
		if (!s)
			break;
		sprintf(s, "%s on %s", type, mnt);
		v[n++] = s;
	}
	fclose(f);
	*out = v;
	return (int)n;
}

void mr_mounts_free(char **mounts, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(mounts[i]);
	free(mounts);
}
