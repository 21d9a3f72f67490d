/* SPDX-License-Identifier: GPL-2.0 */
/* Talking to the modrescue.ko helper through /dev/modrescue. */
#ifndef MODRESCUE_HELPER_H
#define MODRESCUE_HELPER_H

#include <stdbool.h>

#include <uapi/modrescue.h>

/* Is the helper module loaded and live? Uses libkmod; false on any error. */
bool mr_helper_is_loaded(void);

/*
 * Open the helper's device. Returns an fd, or a negative errno. The path is
 * MODRESCUE_DEVICE_PATH unless $MODRESCUE_DEVICE overrides it (tests).
 */
int mr_helper_open(void);

/* Ask the helper for its ABI version. Returns 0 or a negative errno. */
int mr_helper_get_version(int fd, struct modrescue_version *ver);

#endif /* MODRESCUE_HELPER_H */
