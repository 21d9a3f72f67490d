// SPDX-License-Identifier: GPL-2.0
/*
 * holdfast: become a user of a module the way real programs do, say
 * "ready", and wait to be killed. The scenarios check that modrescue finds
 * each kind of user in the kernel:
 *   holdfast socket FAMILY TYPE PROTOCOL   an open socket
 *   holdfast map PATH                      a shared mapping of PATH, fd closed
 *   holdfast open PATH                     an open file (block devices too)
 *   holdfast flock PATH                    an exclusive flock() on PATH (as
 *                                          another modrescue holds its
 *                                          per-module lock file)
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

static int usage(void)
{
	fprintf(stderr, "usage: holdfast socket FAMILY TYPE PROTOCOL | "
			"map PATH | open PATH | flock PATH\n");
	return 2;
}

static int hold_socket(char **argv)
{
	int fd = socket(atoi(argv[0]), atoi(argv[1]), atoi(argv[2]));

	if (fd < 0) {
		perror("holdfast: socket");
		return -1;
	}
	return 0;
}

static int hold_map(const char *path)
{
	int fd = open(path, O_RDONLY);
	void *p;

	if (fd < 0) {
		perror("holdfast: open");
		return -1;
	}
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	close(fd); /* only the mapping holds it now */
	if (p == MAP_FAILED) {
		perror("holdfast: mmap");
		return -1;
	}
	return 0;
}

static int hold_open(const char *path)
{
	if (open(path, O_RDONLY) < 0) {
		perror("holdfast: open");
		return -1;
	}
	return 0;
}

static int hold_flock(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT, 0600);

	if (fd < 0 || flock(fd, LOCK_EX)) {
		perror("holdfast: flock");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int ret;

	if (argc == 5 && !strcmp(argv[1], "socket"))
		ret = hold_socket(argv + 2);
	else if (argc == 3 && !strcmp(argv[1], "map"))
		ret = hold_map(argv[2]);
	else if (argc == 3 && !strcmp(argv[1], "open"))
		ret = hold_open(argv[2]);
	else if (argc == 3 && !strcmp(argv[1], "flock"))
		ret = hold_flock(argv[2]);
	else
		return usage();
	if (ret)
		return 1;
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
