// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE /* vasprintf */
#include "mounts.h"

#include <dirent.h>
#include <errno.h>
#include <libkmod.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

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

/* ---- block devices: swap and stacked holders ---- */

/* A path into BUF; false when it does not fit. */
static bool __attribute__((format(printf, 3, 4)))
pathf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n >= 0 && (size_t)n < len;
}

struct strv {
	char **v;
	size_t n;
	int err;
};

static void __attribute__((format(printf, 2, 3)))
strv_add(struct strv *s, const char *fmt, ...)
{
	char **nv, *str = NULL;
	va_list ap;
	int n;

	if (s->err)
		return;
	va_start(ap, fmt);
	n = vasprintf(&str, fmt, ap);
	va_end(ap);
	nv = n >= 0 ? realloc(s->v, (s->n + 1) * sizeof(*nv)) : NULL;
	if (!nv) {
		free(n >= 0 ? str : NULL);
		s->err = -ENOMEM;
		return;
	}
	nv[s->n++] = str;
	s->v = nv;
}

/* The first line of ROOT/PATH, without its newline, into BUF. */
static bool read_line(const char *root, const char *path, char *buf, size_t len)
{
	char full[PATH_MAX];
	FILE *f;
	bool ok;

	pathf(full, sizeof(full), "%s%s", root, path);
	f = fopen(full, "re");
	if (!f)
		return false;
	ok = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

static bool same_module(const char *a, const char *module)
{
	for (; *a && *module; a++, module++)
		if (*a != *module && !((*a == '-' || *a == '_') &&
				       (*module == '-' || *module == '_')))
			return false;
	return !*a && !*module;
}

/* The name /proc/devices gives block major MAJ, into BUF. */
static bool blkdev_name(const char *root, unsigned int maj, char *buf,
			size_t len)
{
	char path[PATH_MAX], line[256], name[128];
	bool block = false, found = false;
	unsigned int m;
	FILE *f;

	pathf(path, sizeof(path), "%s/proc/devices", root);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Block devices:", 14))
			block = true;
		else if (!strncmp(line, "Character devices:", 18))
			block = false;
		else if (block && sscanf(line, "%u %127s", &m, name) == 2 &&
			 m == maj)
			found = true;
	}
	fclose(f);
	if (found)
		snprintf(buf, len, "%s", name);
	return found;
}

/* Does the alias "block-major-MAJ-MIN" resolve to MODULE? */
static bool alias_is(struct kmod_ctx *ctx, unsigned int maj, unsigned int min,
		     const char *module)
{
	char alias[64];
	bool found = false;
	struct kmod_list *list = NULL, *l;

	if (!ctx)
		return false;
	snprintf(alias, sizeof(alias), "block-major-%u-%u", maj, min);
	if (kmod_module_new_from_lookup(ctx, alias, &list) < 0)
		return false;
	kmod_list_foreach(l, list) {
		struct kmod_module *mod = kmod_module_get_module(l);

		if (same_module(kmod_module_get_name(mod), module))
			found = true;
		kmod_module_unref(mod);
	}
	kmod_module_unref_list(list);
	return found;
}

/* Is disk X (in /sys/block) MODULE's? See mounts.h. */
static bool disk_of(struct kmod_ctx *ctx, const char *root, const char *x,
		    const char *module)
{
	char path[PATH_MAX], target[PATH_MAX], dev[32], name[128];
	unsigned int maj, min;
	ssize_t n;

	pathf(path, sizeof(path), "%s/sys/block/%s/device/driver/module", root,
	      x);
	n = readlink(path, target, sizeof(target) - 1);
	if (n > 0) {
		const char *base;

		target[n] = '\0';
		base = strrchr(target, '/');
		return same_module(base ? base + 1 : target, module);
	}
	pathf(path, sizeof(path), "/sys/block/%s/dev", x);
	if (!read_line(root, path, dev, sizeof(dev)) ||
	    sscanf(dev, "%u:%u", &maj, &min) != 2)
		return false;
	if (blkdev_name(root, maj, name, sizeof(name)) &&
	    same_module(name, module))
		return true;
	return alias_is(ctx, maj, min, module);
}

/* /proc/swaps' "\040"-style escapes, in place. */
static void unescape(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' &&
		    s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*w++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
				      (s[3] - '0'));
			s += 3;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}

/* The swap devices (not files) of /proc/swaps. */
static void read_swaps(const char *root, struct strv *out)
{
	char path[PATH_MAX], line[PATH_MAX + 64];
	FILE *f;

	pathf(path, sizeof(path), "%s/proc/swaps", root);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *save = NULL, *name = strtok_r(line, " \t\n", &save);
		const char *type = name ? strtok_r(NULL, " \t\n", &save) : NULL;
		if (!type || strcmp(type, "partition"))
			continue;
		unescape(name);
		strv_add(out, "%s", name);
	}
	fclose(f);
}

/* Is swap device SWAP (a path) the block device NAME, DEV ("7:0")? */
static bool swap_is(const char *root, const char *swap, const char *name,
		    const char *dev)
{
	char path[PATH_MAX];
	const char *base = strrchr(swap, '/');
	unsigned int maj, min;
	struct stat st;

	pathf(path, sizeof(path), "%s%s", root, swap);
	if (!stat(path, &st) && S_ISBLK(st.st_mode))
		return sscanf(dev, "%u:%u", &maj, &min) == 2 &&
		       major(st.st_rdev) == maj && minor(st.st_rdev) == min;
	return !strcmp(base ? base + 1 : swap, name);
}

/* The users of block device SYSDIR (/sys/block/X or .../X/P), named NAME. */
static void users_of(const char *root, const char *sysdir, const char *name,
		     const struct strv *swaps, struct strv *out)
{
	char path[PATH_MAX], file[PATH_MAX], dev[32] = "";
	struct dirent *de;
	size_t i;
	DIR *dir;

	pathf(path, sizeof(path), "%s/dev", sysdir);
	read_line(root, path, dev, sizeof(dev));
	/*
	 * A bound loop device holds a reference on its driver for as long as
	 * it stays bound, open or not: a user, not a leak.
	 */
	pathf(path, sizeof(path), "%s/loop/backing_file", sysdir);
	if (read_line(root, path, file, sizeof(file)))
		strv_add(out, "%s bound to %s (losetup -d /dev/%s releases it)",
			 name, file, name);
	for (i = 0; i < swaps->n; i++)
		if (swap_is(root, swaps->v[i], name, dev))
			strv_add(out, "swap on %s", swaps->v[i]);
	pathf(path, sizeof(path), "%s%s/holders", root, sysdir);
	dir = opendir(path);
	if (!dir)
		return;
	while ((de = readdir(dir)) != NULL)
		if (de->d_name[0] != '.')
			strv_add(out, "held by %s (%s/holders)", de->d_name,
				 sysdir);
	closedir(dir);
}

/* Disk X and its partitions (subdirectories with a "partition" file). */
static void disk_users(const char *root, const char *x,
		       const struct strv *swaps, struct strv *out)
{
	char sysdir[PATH_MAX], path[PATH_MAX], part[PATH_MAX];
	struct dirent *de;
	struct stat st;
	DIR *dir;

	pathf(sysdir, sizeof(sysdir), "/sys/block/%s", x);
	users_of(root, sysdir, x, swaps, out);
	pathf(path, sizeof(path), "%s%s", root, sysdir);
	dir = opendir(path);
	if (!dir)
		return;
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		pathf(part, sizeof(part), "%s/%s/partition", path, de->d_name);
		if (stat(part, &st))
			continue;
		pathf(part, sizeof(part), "%s/%s", sysdir, de->d_name);
		users_of(root, part, de->d_name, swaps, out);
	}
	closedir(dir);
}

static int by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int mr_module_bdev_users(struct kmod_ctx *ctx, const char *root,
			 const char *module, char ***out)
{
	struct strv swaps = { 0 }, users = { 0 };
	char path[PATH_MAX];
	struct dirent *de;
	DIR *dir;

	*out = NULL;
	pathf(path, sizeof(path), "%s/sys/block", root);
	dir = opendir(path);
	if (!dir)
		return -errno;
	read_swaps(root, &swaps);
	while (!users.err && (de = readdir(dir)) != NULL) {
		size_t before = users.n;

		if (de->d_name[0] == '.')
			continue;
		disk_users(root, de->d_name, &swaps, &users);
		/* Only a disk with users needs its module found. */
		if (users.n == before || disk_of(ctx, root, de->d_name, module))
			continue;
		while (users.n > before)
			free(users.v[--users.n]);
	}
	closedir(dir);
	mr_mounts_free(swaps.v, swaps.n);
	if (users.err || !users.n) {
		mr_mounts_free(users.v, users.n);
		return users.err;
	}
	if (users.n > 1)
		qsort(users.v, users.n, sizeof(*users.v), by_text);
	*out = users.v;
	return (int)users.n;
}

size_t mr_bdev_users_append(struct kmod_ctx *ctx, const char *root,
			    const char *module, char *why, size_t len)
{
	char **users = NULL;
	size_t used = strlen(why), i;
	int n = mr_module_bdev_users(ctx, root, module, &users);

	if (n <= 0)
		return 0;
	for (i = 0; i < (size_t)n && used < len; i++) {
		snprintf(why + used, len - used, "%s%s", used ? ", " : "",
			 users[i]);
		used += strlen(why + used);
	}
	mr_mounts_free(users, (size_t)n);
	return (size_t)n;
}
