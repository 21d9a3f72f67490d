// SPDX-License-Identifier: GPL-2.0
/*
 * mr-lockload ROUNDTRIPS DIR...: a lock-heavy workload for lockwatch's
 * benchmark (tests/bench/lockwatch.sh). Two processes bounce one byte
 * through a pair of pipes ROUNDTRIPS times (wait-queue, pipe and runqueue
 * locks on every hop), then every DIR is walked without following links,
 * each entry stat'ed (dentry and inode locks). Prints
 * "pingpong_ms=MS walk_ms=MS total_ms=MS entries=N"; exits 1 on a failure.
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long entries;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The child: echo every byte back until the parent closes its end. */
static void echo_back(int in, int out)
{
	char c;

	while (read(in, &c, 1) == 1) {
		if (write(out, &c, 1) != 1)
			_exit(1);
	}
	_exit(0);
}

static int pingpong(long rounds)
{
	int to_child[2], to_parent[2], status;
	long i;
	char c = 'x';
	pid_t pid;

	if (pipe(to_child) || pipe(to_parent)) {
		perror("pipe");
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return -1;
	}
	if (pid == 0) {
		close(to_child[1]);
		close(to_parent[0]);
		echo_back(to_child[0], to_parent[1]);
	}
	close(to_child[0]);
	close(to_parent[1]);
	for (i = 0; i < rounds; i++) {
		if (write(to_child[1], &c, 1) != 1 ||
		    read(to_parent[0], &c, 1) != 1) {
			perror("mr-lockload: pipe round trip");
			return -1;
		}
	}
	close(to_child[1]);
	close(to_parent[0]);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return -1;
	return 0;
}

/* nftw stat'ed the entry already; unreadable or vanished ones still count. */
static int count_entry(const char *path, const struct stat *st, int flag,
		       struct FTW *ftw)
{
	(void)path;
	(void)st;
	(void)flag;
	(void)ftw;
	entries++;
	return 0;
}

int main(int argc, char **argv)
{
	double t0, t1, t2;
	long rounds;
	int i;

	if (argc < 3 || (rounds = strtol(argv[1], NULL, 10)) < 1) {
		fprintf(stderr, "usage: mr-lockload ROUNDTRIPS DIR...\n");
		return 2;
	}
	t0 = now_ms();
	if (pingpong(rounds))
		return 1;
	t1 = now_ms();
	for (i = 2; i < argc; i++) {
		if (nftw(argv[i], count_entry, 16, FTW_PHYS) < 0) {
			perror(argv[i]);
			return 1;
		}
	}
	t2 = now_ms();
	printf("pingpong_ms=%.1f walk_ms=%.1f total_ms=%.1f entries=%ld\n",
	       t1 - t0, t2 - t1, t2 - t0, entries);
	return 0;
}
