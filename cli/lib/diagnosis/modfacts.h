/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Module facts: which modules are loaded (/proc/modules), and for each its
 * state, refcount and holders (libkmod, i.e. /sys/module/NAME), with
 * /proc/modules as the fallback for each fact, and "[permanent]" there as
 * the no-exit signal.
 */
#ifndef MODRESCUE_MODFACTS_H
#define MODRESCUE_MODFACTS_H

#include "diag.h"

/*
 * Append to d->mods the loaded modules, in /proc/modules order, or only the
 * named ones (NAMES, N), in the order named. Tasks and verdicts are not
 * touched. Returns 0, or a negative errno if /proc/modules cannot be read
 * (or -ENOMEM).
 */
int mr_modfacts_read(struct kmod_ctx *ctx, const char *const *names, size_t n,
		     struct mr_diag *d);

/* Free one module's contents. */
void mr_module_free(struct mr_module *m);

#endif /* MODRESCUE_MODFACTS_H */
