/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Replace DIR/NAME atomically with DATA: a temporary file in DIR whose
 * name does not end in .prom (node_exporter reads only *.prom), written,
 * made 0644, fsynced, renamed over NAME, then DIR fsynced. A reader sees
 * the old file or the new one, never a part. 0 or a negative errno (the
 * temporary file is removed then).
 */
#ifndef MODRESCUE_TEXTFILE_H
#define MODRESCUE_TEXTFILE_H

#include <stddef.h>

int mr_textfile_write(const char *dir, const char *name, const char *data,
		      size_t len);

#endif /* MODRESCUE_TEXTFILE_H */
