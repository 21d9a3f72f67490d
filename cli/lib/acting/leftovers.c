// SPDX-License-Identifier: GPL-2.0
#include "leftovers.h"

#include <dirent.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct list {
	char *buf;
	size_t len, used, count;
};

static void add(struct list *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add(struct list *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	l->count++;
	if (l->used >= l->len)
		return;
	if (l->used) {
		n = snprintf(l->buf + l->used, l->len - l->used, ", ");
		l->used += (size_t)n;
		if (l->used >= l->len)
			return;
	}
	va_start(ap, fmt);
	n = vsnprintf(l->buf + l->used, l->len - l->used, fmt, ap);
	va_end(ap);
	if (n > 0)
		l->used += (size_t)n;
}

/* Its drivers: the kernel links each one under /sys/module/QNAME/drivers. */
static void drivers(struct list *l, const char *root, const char *qname)
{
	char path[PATH_MAX];
	struct dirent *e;
	DIR *d;

	snprintf(path, sizeof(path), "%s/sys/module/%s/drivers", root, qname);
	d = opendir(path);
	if (!d)
		return;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			add(l, "driver %s", e->d_name);
	closedir(d);
}

/* A char or block major registered under NAME, from /proc/devices. */
static void majors(struct list *l, const char *root, const char *name)
{
	char path[PATH_MAX], line[256], word[128];
	const char *section = "char";
	FILE *f;
	int major;

	snprintf(path, sizeof(path), "%s/proc/devices", root);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Block devices:", 14))
			section = "block";
		if (sscanf(line, "%d %127s", &major, word) == 2 &&
		    !strcmp(word, name))
			add(l, "%s device major %d (%s)", section, major, name);
	}
	fclose(f);
}

/* A filesystem type named NAME, from /proc/filesystems ("[nodev]\tTYPE"). */
static void fstypes(struct list *l, const char *root, const char *name)
{
	char path[PATH_MAX], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/proc/filesystems", root);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *type = strchr(line, '\t');

		type = type ? type + 1 : line;
		type[strcspn(type, "\n")] = '\0';
		if (!strcmp(type, name))
			add(l, "filesystem type %s", name);
	}
	fclose(f);
}

static void misc_device(struct list *l, const char *root, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/sys/class/misc/%s", root, name);
	if (!access(path, F_OK))
		add(l, "misc device /dev/%s", name);
}

size_t mr_quarantine_leftovers(const char *root, const char *name,
			       const char *qname, char *buf, size_t len)
{
	struct list l = { .buf = buf, .len = len };

	if (len)
		buf[0] = '\0';
	drivers(&l, root, qname);
	misc_device(&l, root, name);
	majors(&l, root, name);
	fstypes(&l, root, name);
	return l.count;
}
