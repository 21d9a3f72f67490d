// SPDX-License-Identifier: GPL-2.0
/* Unit tests for cli/lib/diagnosis/mounts.c: mounts of a module's filesystem types. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "mounts.h"

static char path[] = "/tmp/mr-unit-mountinfoXXXXXX";

static int write_mountinfo(void **state)
{
	static const char text[] =
		"22 1 0:21 / /proc rw,nosuid - proc proc rw\n"
		"30 22 0:27 / /proc/sys/fs/binfmt_misc rw shared:12 - binfmt_misc binfmt_misc rw\n"
		"31 1 7:0 / /mnt/a\\040b rw - hpfs /dev/loop0 rw\n"
		"garbage without a separator\n"
		"32 1 0:30 / /tmp/x rw - binfmt_misc none rw\n";
	int fd = mkstemp(path);

	(void)state;
	if (fd < 0 || write(fd, text, sizeof(text) - 1) < 0)
		return -1;
	close(fd);
	return 0;
}

static int remove_mountinfo(void **state)
{
	(void)state;
	unlink(path);
	return 0;
}

static void finds_every_mount_of_its_type(void **state)
{
	char **mounts = NULL;
	int n;

	(void)state;
	n = mr_module_mounts(NULL, path, "binfmt_misc", &mounts);
	assert_int_equal(n, 2);
	assert_string_equal(mounts[0],
			    "binfmt_misc on /proc/sys/fs/binfmt_misc");
	assert_string_equal(mounts[1], "binfmt_misc on /tmp/x");
	mr_mounts_free(mounts, (size_t)n);
}

static void other_modules_have_none(void **state)
{
	char **mounts = NULL;
	int n;

	(void)state;
	n = mr_module_mounts(NULL, path, "hp_refleak", &mounts);
	assert_int_equal(n, 0);
	mr_mounts_free(mounts, 0);
	n = mr_module_mounts(NULL, path, "hpfs", &mounts);
	assert_int_equal(n, 1);
	assert_string_equal(mounts[0], "hpfs on /mnt/a\\040b");
	mr_mounts_free(mounts, (size_t)n);
}

static void missing_file_is_an_error(void **state)
{
	char **mounts = NULL;

	(void)state;
	assert_true(mr_module_mounts(NULL, "/nonexistent/mountinfo", "x",
				     &mounts) < 0);
	assert_null(mounts);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(finds_every_mount_of_its_type),
		cmocka_unit_test(other_modules_have_none),
		cmocka_unit_test(missing_file_is_an_error),
	};

	return cmocka_run_group_tests(tests, write_mountinfo, remove_mountinfo);
}
