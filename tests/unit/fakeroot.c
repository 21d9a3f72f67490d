// SPDX-License-Identifier: GPL-2.0
/*
 * Path redirection for unit tests, after kmod's testsuite: while
 * $MR_TEST_ROOT is set, absolute paths under /proc, /sys, /dev and
 * /lib/modules resolve under that directory instead (except /proc/self and
 * /proc/thread-self, which the sanitizers and libc may need).
 *
 * The test executable defines these libc entry points, so both the code
 * under test and libkmod (which reads /proc/modules and /sys/module through
 * libc) call them first; each forwards to the next definition (ASan's
 * interceptor, then libc) with the rewritten path.
 *
 * A redirected file whose mode has no read bit fails to open for reading
 * with EACCES, even for root: that is how fixtures stand in for root-only
 * files such as /proc/PID/stack when the test plays an unprivileged user.
 *
 * Built without sanitizers: it sits under ASan's own interceptors.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Also declared by glibc's headers under some feature macros. */
int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);
int __openat_2(int dirfd, const char *path, int flags);

static bool under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return !strncmp(path, dir, n) && (path[n] == '\0' || path[n] == '/');
}

/* PATH, or its rewrite under $MR_TEST_ROOT in BUF. */
static const char *redirect(const char *path, char *buf, size_t len)
{
	const char *root = getenv("MR_TEST_ROOT");

	if (!root || !*root || !path || path[0] != '/')
		return path;
	if (under(path, "/proc/self") || under(path, "/proc/thread-self"))
		return path;
	if (!under(path, "/proc") && !under(path, "/sys") &&
	    !under(path, "/dev") && !under(path, "/lib/modules"))
		return path;
	if (snprintf(buf, len, "%s%s", root, path) >= (int)len)
		return path;
	return buf;
}

/* A redirected, existing file with no read permission bit at all. */
static bool unreadable(const char *orig, const char *path)
{
	struct stat st;
	int (*real_stat)(const char *, struct stat *);

	if (orig == path)
		return false;
	real_stat =
		(int (*)(const char *, struct stat *))dlsym(RTLD_NEXT, "stat");
	if (!real_stat || real_stat(path, &st))
		return false;
	return (st.st_mode & 0444) == 0;
}

static bool reads(int flags)
{
	return (flags & O_ACCMODE) != O_WRONLY;
}

#define REAL(name, type) ((type)dlsym(RTLD_NEXT, name))

typedef int (*open_fn)(const char *, int, ...);
typedef int (*openat_fn)(int, const char *, int, ...);

static int do_open(const char *name, const char *path, int flags, mode_t mode)
{
	char buf[PATH_MAX];
	const char *p = redirect(path, buf, sizeof(buf));
	open_fn real = REAL(name, open_fn);

	if (reads(flags) && unreadable(path, p)) {
		errno = EACCES;
		return -1;
	}
	if (!real) {
		errno = ENOSYS;
		return -1;
	}
	return real(p, flags, mode);
}

static mode_t mode_arg(int flags, va_list ap)
{
	if (flags & (O_CREAT | O_TMPFILE))
		return (mode_t)va_arg(ap, int);
	return 0;
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	return do_open("open", path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	return do_open("open64", path, flags, mode);
}

int __open_2(const char *path, int flags)
{
	return do_open("open", path, flags, 0);
}

int __open64_2(const char *path, int flags)
{
	return do_open("open64", path, flags, 0);
}

static int do_openat(const char *name, int dirfd, const char *path, int flags,
		     mode_t mode)
{
	char buf[PATH_MAX];
	const char *p = redirect(path, buf, sizeof(buf));
	openat_fn real = REAL(name, openat_fn);

	if (reads(flags) && unreadable(path, p)) {
		errno = EACCES;
		return -1;
	}
	if (!real) {
		errno = ENOSYS;
		return -1;
	}
	return real(dirfd, p, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	return do_openat("openat", dirfd, path, flags, mode);
}

int openat64(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	return do_openat("openat64", dirfd, path, flags, mode);
}

int __openat_2(int dirfd, const char *path, int flags)
{
	return do_openat("openat", dirfd, path, flags, 0);
}

static FILE *do_fopen(const char *name, const char *path, const char *mode)
{
	char buf[PATH_MAX];
	const char *p = redirect(path, buf, sizeof(buf));
	FILE *(*real)(const char *, const char *) =
		REAL(name, FILE * (*)(const char *, const char *));

	if (mode[0] == 'r' && unreadable(path, p)) {
		errno = EACCES;
		return NULL;
	}
	if (!real) {
		errno = ENOSYS;
		return NULL;
	}
	return real(p, mode);
}

FILE *fopen(const char *path, const char *mode)
{
	return do_fopen("fopen", path, mode);
}

FILE *fopen64(const char *path, const char *mode)
{
	return do_fopen("fopen64", path, mode);
}

DIR *opendir(const char *path)
{
	char buf[PATH_MAX];
	const char *p = redirect(path, buf, sizeof(buf));
	DIR *(*real)(const char *) = REAL("opendir", DIR * (*)(const char *));

	if (unreadable(path, p)) {
		errno = EACCES;
		return NULL;
	}
	if (!real) {
		errno = ENOSYS;
		return NULL;
	}
	return real(p);
}

#define STAT_LIKE(fn, st_type)                                       \
	int fn(const char *path, st_type *st)                        \
	{                                                            \
		char buf[PATH_MAX];                                  \
		int (*real)(const char *, st_type *) =               \
			REAL(#fn, int (*)(const char *, st_type *)); \
		if (!real) {                                         \
			errno = ENOSYS;                              \
			return -1;                                   \
		}                                                    \
		return real(redirect(path, buf, sizeof(buf)), st);   \
	}

STAT_LIKE(stat, struct stat)
STAT_LIKE(lstat, struct stat)
STAT_LIKE(stat64, struct stat64)
STAT_LIKE(lstat64, struct stat64)

int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	char buf[PATH_MAX];
	int (*real)(int, const char *, struct stat *, int) =
		REAL("fstatat", int (*)(int, const char *, struct stat *, int));

	if (!real) {
		errno = ENOSYS;
		return -1;
	}
	return real(dirfd, redirect(path, buf, sizeof(buf)), st, flags);
}

int fstatat64(int dirfd, const char *path, struct stat64 *st, int flags)
{
	char buf[PATH_MAX];
	int (*real)(int, const char *, struct stat64 *, int) = REAL(
		"fstatat64", int (*)(int, const char *, struct stat64 *, int));

	if (!real) {
		errno = ENOSYS;
		return -1;
	}
	return real(dirfd, redirect(path, buf, sizeof(buf)), st, flags);
}

int access(const char *path, int mode)
{
	char buf[PATH_MAX];
	int (*real)(const char *, int) =
		REAL("access", int (*)(const char *, int));

	if (!real) {
		errno = ENOSYS;
		return -1;
	}
	return real(redirect(path, buf, sizeof(buf)), mode);
}

ssize_t readlink(const char *path, char *out, size_t len)
{
	char buf[PATH_MAX];
	ssize_t (*real)(const char *, char *, size_t) =
		REAL("readlink", ssize_t(*)(const char *, char *, size_t));

	if (!real) {
		errno = ENOSYS;
		return -1;
	}
	return real(redirect(path, buf, sizeof(buf)), out, len);
}
