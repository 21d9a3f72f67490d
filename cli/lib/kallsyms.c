// SPDX-License-Identifier: GPL-2.0
#include "kallsyms.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int mr_kallsyms_find_data(FILE *kallsyms, const char *name, unsigned long *addr)
{
	char line[512];

	while (fgets(line, sizeof(line), kallsyms)) {
		char sym[256], type, rest[2];
		unsigned long a;
		int n;

		/* "ffffffff82a3c4d0 D modules", and " [mod]" for modules. */
		n = sscanf(line, "%lx %c %255s %1s", &a, &type, sym, rest);
		if (n != 3 || strcmp(sym, name) != 0)
			continue;
		if (!strchr("bBdD", type))
			continue;
		if (!a)
			return -EPERM;
		*addr = a;
		return 0;
	}
	return -ENOENT;
}
