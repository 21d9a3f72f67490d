/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Carrying out an unload plan: the helper session, the surgery, the
 * kernel's own delete_module(), and the check that the module is gone,
 * with every step recorded for the report.
 */
#ifndef MODRESCUE_UNLOAD_H
#define MODRESCUE_UNLOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "plan.h"
#include "outcome.h"
#include "session.h"

struct kmod_ctx;

/*
 * Unload module NAME by its plan, or just describe the plan with
 * DRY_RUN. FLAGS are MR_UNLOAD_*. Holders are the caller's business
 * (--cascade unloads them first). A task stuck in its init or exit is
 * released, then the unload goes on; or the module is quarantined
 * (MR_QUARANTINED). Fills R; returns R->result.
 */
enum mr_unload_result mr_unload_module(struct kmod_ctx *ctx,
				       struct mr_helper_session *s,
				       const char *name, unsigned int flags,
				       bool dry_run,
				       struct mr_unload_report *r);

#endif /* MODRESCUE_UNLOAD_H */
