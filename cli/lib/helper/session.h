/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The helper session: load modrescue.ko on first need (or share the one
 * another modrescue loaded), open /dev/modrescue, and at the end unload the
 * helper only if this instance loaded it and nobody else uses it.
 */
#ifndef MODRESCUE_SESSION_H
#define MODRESCUE_SESSION_H

#include <stdbool.h>

#include "outcome.h"

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
/*
 * Close the device; unload the helper if we loaded it (unless keep) and no
 * other instance has it open. R may be NULL.
 */
void mr_session_end(struct mr_helper_session *s, struct mr_unload_report *r);

#endif /* MODRESCUE_SESSION_H */
