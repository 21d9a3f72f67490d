/* SPDX-License-Identifier: GPL-2.0 */
/* Small, careful readers for /proc and /sys files. */
#ifndef MODRESCUE_FSREAD_H
#define MODRESCUE_FSREAD_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Read PATH into BUF (at most SIZE - 1 bytes), NUL-terminated. Returns the
 * length, or a negative errno. A file longer than the buffer is cut short.
 */
ssize_t mr_read_small(const char *path, char *buf, size_t size);

/*
 * Read all of PATH (at most MAX bytes) into a malloc'd, NUL-terminated
 * buffer. Returns the length, or a negative errno.
 */
ssize_t mr_read_all(const char *path, size_t max, char **out);

/* Drop trailing newlines and blanks in place. */
void mr_chomp(char *s);

#endif /* MODRESCUE_FSREAD_H */
