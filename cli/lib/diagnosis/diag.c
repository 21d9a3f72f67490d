// SPDX-License-Identifier: GPL-2.0
/* The diagnosis: module facts, then tasks, then the verdicts. */
#include "diag.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "crashfacts.h"
#include "lockfacts.h"
#include "modfacts.h"
#include "mounts.h"
#include "taskscan.h"

void mr_diag_free(struct mr_diag *d)
{
	size_t i;

	for (i = 0; i < d->n_mods; i++)
		mr_module_free(&d->mods[i]);
	free(d->mods);
	for (i = 0; i < d->n_tasks; i++)
		mr_task_free(&d->tasks[i]);
	free(d->tasks);
	memset(d, 0, sizeof(*d));
}

struct mr_module *mr_diag_find(const struct mr_diag *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->n_mods; i++)
		if (!strcmp(d->mods[i].name, name))
			return &d->mods[i];
	return NULL;
}

/* The users of the modules' block devices (swap, dm/md): see mounts.h. */
static int bdev_users_scan(struct kmod_ctx *ctx, struct mr_diag *d)
{
	size_t i;
	int n;

	for (i = 0; i < d->n_mods; i++) {
		struct mr_module *m = &d->mods[i];

		if (m->state != MR_STATE_LIVE || !m->refcnt_known ||
		    m->refcnt <= (long)m->n_holders)
			continue;
		n = mr_module_bdev_users(ctx, "", m->name, &m->bdev_users);
		if (n == -ENOMEM)
			return n;
		m->n_bdev_users = n > 0 ? (size_t)n : 0;
	}
	return 0;
}

/*
 * The crash of every module that mr_crash_wanted(), from the kernel log,
 * read once and only when one is. 0 or -ENOMEM.
 */
static int crash_read(struct mr_diag *d)
{
	struct mr_oops_log log;
	bool any = false;
	size_t i;
	int err;

	for (i = 0; i < d->n_mods; i++)
		any = any || mr_crash_wanted(&d->mods[i]);
	if (!any)
		return 0;
	mr_oops_log_init(&log);
	err = mr_oops_log_read_kmsg(&log);
	for (i = 0; i < d->n_mods && !err; i++)
		if (mr_crash_wanted(&d->mods[i]))
			mr_crash_from_log(&d->mods[i], &log);
	mr_oops_log_free(&log);
	return err;
}

int mr_diag_collect(struct kmod_ctx *ctx, const struct mr_diag_opts *opts,
		    struct mr_diag *d)
{
	int err;

	memset(d, 0, sizeof(*d));
	err = mr_modfacts_read(ctx, opts->names, opts->n_names, d);
	/* Nothing asked for is loaded: no need to look at tasks. */
	if (!err && d->n_mods)
		err = mr_tasks_scan(d);
	if (!err)
		err = mr_diag_judge(d);
	if (!err && opts->want_openers)
		err = mr_openers_scan(d);
	if (!err && opts->want_openers)
		err = bdev_users_scan(ctx, d);
	if (!err && opts->want_locks && d->n_mods)
		err = mr_lockfacts_read(d);
	if (!err && opts->want_crash && d->n_mods)
		err = crash_read(d);
	if (err)
		mr_diag_free(d);
	return err;
}
