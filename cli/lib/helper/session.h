/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The helper session: load modrescue.ko on first need (or share the one
 * another modrescue loaded), open /dev/modrescue, and at the end unload a
 * helper that a modrescue command loaded once nobody else uses it.
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
 * Close the device. Unless keep, unload the helper if a modrescue command
 * (this one or another) loaded it and no other instance has it open: the
 * last one out unloads it. With keep, mark it kept for good. R may be NULL.
 */
void mr_session_end(struct mr_helper_session *s, struct mr_unload_report *r);

#endif /* MODRESCUE_SESSION_H */
