/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the caller may do: CAP_SYS_MODULE, and the kernel's lockdown mode.
 * Read-only commands need neither; the commands that act need both.
 */
#ifndef MODRESCUE_PRIVILEGE_H
#define MODRESCUE_PRIVILEGE_H

#include <stdbool.h>
#include <stddef.h>

/* Does this process have CAP_SYS_MODULE in its effective set? */
bool mr_have_cap_sys_module(void);

/*
 * The kernel's lockdown mode from /sys/kernel/security/lockdown ("[none]
 * integrity confidentiality"): "integrity" or "confidentiality" into BUF
 * and true when it is locked down; false when not, or when it cannot tell
 * (no securityfs; the helper then refuses in the kernel itself).
 */
bool mr_lockdown_active(const char *path, char *buf, size_t len);

/* The lockdown file; MODRESCUE_LOCKDOWN overrides it (tests). */
const char *mr_lockdown_path(void);

#endif /* MODRESCUE_PRIVILEGE_H */
