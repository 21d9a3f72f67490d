// SPDX-License-Identifier: GPL-2.0
/*
 * mr-time REPS CMD [ARG...]: run CMD REPS times (output to /dev/null) and
 * print "min=MS median=MS" of the wall-clock times, in milliseconds, for
 * benchmarks in the lab VM (busybox has no sub-second clock). Exits 1 if
 * CMD cannot run or fails: exits with a status other than $MR_TIME_EXIT
 * (0 when unset; modrescue unload's 4, quarantined, is a result too).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	const char *want_env = getenv("MR_TIME_EXIT");
	int want = want_env ? atoi(want_env) : 0;
	long reps, i;
	double *t;
	int status;

	if (argc < 3 || (reps = strtol(argv[1], NULL, 10)) < 1 ||
	    reps > 10000) {
		fprintf(stderr, "usage: mr-time REPS CMD [ARG...]\n");
		return 2;
	}
	t = calloc((size_t)reps, sizeof(*t));
	if (!t)
		return 1;
	for (i = 0; i < reps; i++) {
		double t0 = now_ms();
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork");
			free(t);
			return 1;
		}
		if (pid == 0) {
			int fd = open("/dev/null", O_WRONLY);

			if (fd >= 0) {
				dup2(fd, 1);
				dup2(fd, 2);
			}
			execvp(argv[2], argv + 2);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != want) {
			fprintf(stderr, "mr-time: %s failed\n", argv[2]);
			free(t);
			return 1;
		}
		t[i] = now_ms() - t0;
	}
	qsort(t, (size_t)reps, sizeof(*t), cmp);
	printf("min=%.1f median=%.1f\n", t[0], t[reps / 2]);
	free(t);
	return 0;
}
