// SPDX-License-Identifier: GPL-2.0
/*
 * holdfast: become a user of a module the way real programs do, say
 * "ready", and wait to be killed. The scenarios check that modrescue finds
 * each kind of user in the kernel:
 *   holdfast socket FAMILY TYPE PROTOCOL   an open socket
 *   holdfast map PATH                      a shared mapping of PATH, fd closed
 *   holdfast map-thread PATH               the same, then the main thread
 *                                          exits (as pthread_exit() does)
 *                                          while another thread runs on (a
 *                                          zombie leader)
 *   holdfast open PATH                     an open file (block devices too)
 *   holdfast flock PATH                    an exclusive flock() on PATH (as
 *                                          another modrescue holds its
 *                                          per-module lock file)
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static int usage(void)
{
	fprintf(stderr,
		"usage: holdfast socket FAMILY TYPE PROTOCOL | "
		"map PATH | map-thread PATH | open PATH | flock PATH\n");
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

/* The thread left running once main has exited: it says so, and waits. */
static void *run_on(void *arg)
{
	(void)arg;
	/* Say ready only once the main thread is a zombie. */
	for (;;) {
		char path[64], buf[512] = "", *p;
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", getpid(),
			 getpid());
		f = fopen(path, "re");
		if (f) {
			if (!fgets(buf, sizeof(buf), f))
				buf[0] = '\0';
			fclose(f);
		}
		p = strrchr(buf, ')');
		if (!f || (p && p[1] && p[2] == 'Z'))
			break;
		usleep(10000);
	}
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
	return NULL;
}

/* Map PATH, start a thread that runs on, and end the main thread. */
static int hold_map_thread(const char *path)
{
	pthread_t t;

	if (hold_map(path))
		return 1;
	if (pthread_create(&t, NULL, run_on, NULL)) {
		perror("holdfast: pthread_create");
		return 1;
	}
	/*
	 * What pthread_exit() does in the kernel: end this thread only.
	 * glibc's pthread_exit() would unwind through libgcc_s, which the
	 * lab's initramfs does not have.
	 */
	for (;;)
		syscall(SYS_exit, 0);
}

int main(int argc, char **argv)
{
	int ret;

	if (argc == 3 && !strcmp(argv[1], "map-thread"))
		return hold_map_thread(argv[2]);

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
