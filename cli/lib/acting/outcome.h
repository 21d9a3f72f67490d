/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The report of what a command did to one module: its steps in order, the
 * result, and the kmod-style error line. Every acting unit writes here; the
 * command layer renders it.
 */
#ifndef MODRESCUE_OUTCOME_H
#define MODRESCUE_OUTCOME_H

#include <stddef.h>

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

#endif /* MODRESCUE_OUTCOME_H */
