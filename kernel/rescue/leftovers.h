/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a module's crashed exit (or init) left registered in the kernel that
 * still points into it: looked for before such a module is freed.
 */
#ifndef _MODRESCUE_LEFTOVERS_H
#define _MODRESCUE_LEFTOVERS_H

#include <linux/module.h>
#include <uapi/modrescue.h>

#include "modrescue.h"

/*
 * Count what MOD (COMING or GOING, no task in it) left registered, the
 * first one named in FIRST (LEN bytes); the caller holds module_mutex. Looks twice, an RCU grace period apart, so a
 * timer whose callback ran during the first look is seen re-armed in the
 * second. Returns the count (0: nothing found), or -ENOMEM, -EINTR,
 * -EOPNOTSUPP (the kernel's static data was not given: it cannot look).
 */
int mr_leftovers_count(struct module *mod, char *first, size_t len);

/*
 * Held around anything that may free a COMING or GOING module (PREPARE),
 * so that it never runs while LEFTOVERS undoes what such a module left.
 * mr_leftovers_lock() returns 0 or -EINTR.
 */
int mr_leftovers_lock(void);
void mr_leftovers_unlock(void);

/* The LEFTOVERS command. */
long mr_ioctl_leftovers(struct modrescue_leftovers *arg);

#endif /* _MODRESCUE_LEFTOVERS_H */
