/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the in-VM probes share: errno names for their "result=" lines, so
 * that scenarios compare names rather than numbers or locale text.
 */
#ifndef MODRESCUE_PROBE_H
#define MODRESCUE_PROBE_H

#include <errno.h>
#include <string.h>

static inline const char *probe_errname(int err)
{
	static const struct {
		int num;
		const char *name;
	} names[] = {
		{ EPERM, "EPERM" },	      { ENOENT, "ENOENT" },
		{ ESRCH, "ESRCH" },	      { EINVAL, "EINVAL" },
		{ EBUSY, "EBUSY" },	      { ESTALE, "ESTALE" },
		{ EAGAIN, "EAGAIN" },	      { EALREADY, "EALREADY" },
		{ EEXIST, "EEXIST" },	      { ENAMETOOLONG, "ENAMETOOLONG" },
		{ EOPNOTSUPP, "EOPNOTSUPP" }, { ENOTTY, "ENOTTY" },
		{ EFAULT, "EFAULT" },	      { ENOTEMPTY, "ENOTEMPTY" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].num == err)
			return names[i].name;
	return strerror(err);
}

#endif /* MODRESCUE_PROBE_H */
