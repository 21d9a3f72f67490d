// SPDX-License-Identifier: GPL-2.0
#include "kallsyms.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/*
 * Split a core-kernel line "ADDR TYPE NAME\n" in place. Module symbols
 * ("NAME\t[mod]") and malformed lines give false. Cheap on purpose:
 * /proc/kallsyms has some 200,000 lines, and under emulation a sscanf()
 * per line costs a good part of a second.
 */
static bool split_line(char *line, unsigned long *addr, char *type,
		       const char **name)
{
	char *end, *nl;

	*addr = strtoul(line, &end, 16);
	if (end == line || end[0] != ' ' || !end[1] || end[2] != ' ')
		return false;
	*type = end[1];
	*name = end + 3;
	nl = strchr(*name, '\n');
	if (nl)
		*nl = '\0';
	return **name && !strpbrk(*name, " \t[");
}

static struct mr_ksym *wanted(struct mr_ksym *syms, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (syms[i].err == -ENOENT && !strcmp(syms[i].name, name))
			return &syms[i];
	return NULL;
}

size_t mr_kallsyms_find_data_many(FILE *kallsyms, struct mr_ksym *syms,
				  size_t n)
{
	char line[512];
	size_t i, left = n;

	for (i = 0; i < n; i++) {
		syms[i].addr = 0;
		syms[i].err = -ENOENT;
	}
	while (left && fgets(line, sizeof(line), kallsyms)) {
		unsigned long addr;
		const char *name;
		struct mr_ksym *s;
		char type;

		if (!split_line(line, &addr, &type, &name) ||
		    !strchr("bBdDA", type))
			continue;
		s = wanted(syms, n, name);
		if (!s || (type == 'A' && !s->percpu))
			continue;
		s->addr = addr;
		s->err = addr || s->percpu ? 0 : -EPERM;
		left--;
	}
	return n - left;
}

int mr_kallsyms_find_data(FILE *kallsyms, const char *name, unsigned long *addr)
{
	struct mr_ksym s = { .name = name };

	mr_kallsyms_find_data_many(kallsyms, &s, 1);
	if (!s.err)
		*addr = s.addr;
	return s.err;
}
