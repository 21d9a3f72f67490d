// SPDX-License-Identifier: GPL-2.0
/* The diagnosis: module facts, then tasks, then the verdicts. */
#include "diag.h"

#include <stdlib.h>
#include <string.h>

#include "lockfacts.h"
#include "modfacts.h"
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
	if (!err && opts->want_locks && d->n_mods)
		err = mr_lockfacts_read(d);
	if (err)
		mr_diag_free(d);
	return err;
}
