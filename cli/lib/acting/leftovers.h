/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a quarantined copy still registers: NAME.qN keeps its memory, and
 * with it every driver, device and filesystem type it registered, under
 * the names a fixed build of NAME will ask for again. Saying so up front
 * spares the user a puzzling init failure of the fixed build.
 */
#ifndef MODRESCUE_LEFTOVERS_H
#define MODRESCUE_LEFTOVERS_H

#include <stddef.h>

/*
 * List in BUF what QNAME (the quarantined copy of NAME) still registers
 * that a fixed build of NAME is likely to collide with: its drivers
 * (/sys/module/QNAME/drivers), a misc device, a char or block major and a
 * filesystem type named like the module (/sys/class/misc, /proc/devices,
 * /proc/filesystems). ROOT prefixes every path ("" on a live system).
 * Returns how many were found.
 */
size_t mr_quarantine_leftovers(const char *root, const char *name,
			       const char *qname, char *buf, size_t len);

#endif /* MODRESCUE_LEFTOVERS_H */
