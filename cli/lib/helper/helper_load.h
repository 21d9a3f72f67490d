/* SPDX-License-Identifier: GPL-2.0 */
/* Loading and unloading the modrescue.ko helper with libkmod. */
#ifndef MODRESCUE_HELPER_LOAD_H
#define MODRESCUE_HELPER_LOAD_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Where modrescue.ko is: $MODRESCUE_HELPER, else the first that exists of
 * /lib/modules/$(uname -r)/{extra,updates/dkms}/modrescue.ko{,.xz,.zst,.gz}
 * (DKMS compresses it as the kernel's own modules are). Returns 0, or
 * -ENOENT with buf holding the last path tried.
 */
int mr_helper_path(char *buf, size_t len);

/*
 * Load the helper, passing it the addresses of the kernel's 'modules' and
 * 'module_mutex' (and on 6.4+ 'idem_hash' and 'idem_lock') from
 * /proc/kallsyms; it checks them itself. Where the kernel has the
 * idempotent-load table, the helper is loaded from memory (init_module), so
 * that its load never walks a table a crashed loader left broken; libkmod
 * (finit_module) otherwise, or if that is refused; *from_memory says
 * which; path is the file it loaded. Returns 0, or a negative errno with a
 * human explanation in why.
 */
int mr_helper_load(bool *from_memory, char *path, size_t path_len, char *why,
		   size_t why_len);

/*
 * Unload the helper unless another modrescue has it open or a feature
 * armed in it (the kernel then refuses: -EWOULDBLOCK). 0 or a negative
 * errno.
 */
int mr_helper_unload_if_unused(void);

/*
 * Did a modrescue command load the loaded helper for its own use (its
 * 'autoloaded' parameter)? Then the last command out unloads it. Not an
 * admin's own load (modprobe), nor one kept with --keep-helper.
 */
bool mr_helper_autoloaded(void);

/* --keep-helper: clear 'autoloaded', so that no command unloads it. */
int mr_helper_keep(void);

#endif /* MODRESCUE_HELPER_LOAD_H */
