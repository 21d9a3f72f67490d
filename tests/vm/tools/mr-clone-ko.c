// SPDX-License-Identifier: GPL-2.0
/*
 * mr-clone-ko SRC.ko NAME DIR COUNT: write COUNT copies of a module under
 * new names, for benchmarks that need many loaded modules in the lab VM.
 *
 * Every occurrence of NAME in the file (the name in .gnu.linkonce.this_module
 * and in .modinfo, and the symbols and strings derived from it) is replaced
 * by a name of the same length, "bm" followed by the copy's number, so that
 * no offset in the ELF moves. Copies are DIR/<newname>.ko; their names are
 * printed one per line. NAME must be 5 to 55 characters long.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int clone_one(const char *buf, size_t len, const char *name,
		     const char *newname, const char *dir)
{
	size_t n = strlen(name), i;
	char path[4096], *copy;
	FILE *f;
	int ret = 0;

	copy = malloc(len);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, buf, len);
	for (i = 0; i + n <= len; i++) {
		if (!memcmp(copy + i, name, n)) {
			memcpy(copy + i, newname, n);
			i += n - 1;
		}
	}
	snprintf(path, sizeof(path), "%s/%s.ko", dir, newname);
	f = fopen(path, "wb");
	if (!f || fwrite(copy, 1, len, f) != len)
		ret = -EIO;
	if (f && fclose(f))
		ret = -EIO;
	free(copy);
	return ret;
}

int main(int argc, char **argv)
{
	char newname[64], *buf;
	size_t n, len, cap = 1 << 16;
	long count, i;
	FILE *f;

	if (argc != 5) {
		fprintf(stderr, "usage: mr-clone-ko SRC.ko NAME DIR COUNT\n");
		return 2;
	}
	n = strlen(argv[2]);
	count = strtol(argv[4], NULL, 10);
	if (n < 5 || n > 55 || count < 1 || count > 99999) {
		fprintf(stderr,
			"mr-clone-ko: NAME must have 5-55 characters, COUNT 1-99999\n");
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	buf = malloc(cap);
	len = 0;
	while (buf) {
		size_t got = fread(buf + len, 1, cap - len, f);
		char *nb;

		len += got;
		if (len < cap)
			break;
		cap *= 2;
		nb = realloc(buf, cap);
		if (!nb)
			free(buf);
		buf = nb;
	}
	fclose(f);
	if (!buf) {
		fprintf(stderr, "mr-clone-ko: out of memory\n");
		return 1;
	}
	for (i = 1; i <= count; i++) {
		snprintf(newname, sizeof(newname), "bm%0*ld", (int)n - 2, i);
		if (clone_one(buf, len, argv[2], newname, argv[3])) {
			fprintf(stderr, "mr-clone-ko: cannot write %s/%s.ko\n",
				argv[3], newname);
			free(buf);
			return 1;
		}
		printf("%s\n", newname);
	}
	free(buf);
	return 0;
}
