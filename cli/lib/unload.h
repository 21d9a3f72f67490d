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

struct kmod_ctx;

enum mr_unload_result {
	MR_UNLOADED,
	MR_REFUSED,
	MR_FAILED,
	MR_PLANNED, /* --dry-run: the plan would go ahead */
	/* A task stuck in it could not be released: renamed NAME.qN, kept. */
	MR_QUARANTINED,
};

/* What was done to one module, step by step. */
struct mr_unload_report {
	char *module;
	char **steps;
	size_t n_steps;
	char *error; /* the kmod-style error line when refused or failed */
	enum mr_unload_result result;
};

/* The helper, loaded on first need and unloaded at the end if we loaded it. */
struct mr_helper_session {
	int fd; /* -1 until opened */
	bool loaded_by_us;
	bool keep; /* --keep-helper */
};

void mr_session_init(struct mr_helper_session *s, bool keep);
/*
 * Load the helper if needed and open it. Returns 0, or a negative errno
 * with R failed and its error set.
 */
int mr_session_open(struct mr_helper_session *s, struct mr_unload_report *r);
/* Close the device; unload the helper if we loaded it (unless keep). */
void mr_session_end(struct mr_helper_session *s, struct mr_unload_report *r);

/* Record a step (printf-style). */
void mr_report_step(struct mr_unload_report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * Set the result and, when FMT is not NULL, its error message
 * (printf-style); returns the result.
 */
enum mr_unload_result mr_report_result(struct mr_unload_report *r,
				       enum mr_unload_result res,
				       const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void mr_report_free(struct mr_unload_report *r);

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
