// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for cli/lib/diagnosis/mounts.c: mounts of a module's
 * filesystem types, and its block devices used as swap or held by a
 * stacked device (fixture tree fixtures/bdev: loop0 is swap, loop1 is held
 * by dm-0, loop2 is bound and unused; virtio_blk's vda has vda1 held by md0
 * and vda2 as swap; a swap file does not count).
 */
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

#define BDEV FIXTURES_DIR "/bdev"

static void swap_and_holders_of_loop(void **state)
{
	char **users = NULL;
	int n;

	(void)state;
	n = mr_module_bdev_users(NULL, BDEV, "loop", &users);
	assert_int_equal(n, 4);
	assert_string_equal(users[0],
			    "held by dm-0 (/sys/block/loop1/holders)");
	assert_string_equal(
		users[1],
		"loop0 bound to /tmp/swap.img (losetup -d /dev/loop0 releases it)");
	assert_string_equal(
		users[2],
		"loop2 bound to /srv/disk.img (losetup -d /dev/loop2 releases it)");
	assert_string_equal(users[3], "swap on /dev/loop0");
	mr_mounts_free(users, (size_t)n);
}

/* A disk's driver (device/driver/module), and its partitions. */
static void partitions_of_a_driven_disk(void **state)
{
	char **users = NULL;
	int n;

	(void)state;
	n = mr_module_bdev_users(NULL, BDEV, "virtio_blk", &users);
	assert_int_equal(n, 2);
	assert_string_equal(users[0],
			    "held by md0 (/sys/block/vda/vda1/holders)");
	assert_string_equal(users[1], "swap on /dev/vda2");
	mr_mounts_free(users, (size_t)n);
	/* virtblk is /proc/devices' name for major 254, not the module's */
	n = mr_module_bdev_users(NULL, BDEV, "virtblk", &users);
	assert_int_equal(n, 0);
	assert_null(users);
}

static void other_modules_have_no_bdev_users(void **state)
{
	char **users = NULL;

	(void)state;
	assert_int_equal(mr_module_bdev_users(NULL, BDEV, "zram", &users), 0);
	assert_null(users);
	assert_int_equal(mr_module_bdev_users(NULL, BDEV, "dm_mod", &users), 0);
	assert_true(mr_module_bdev_users(NULL, "/nonexistent", "loop", &users) <
		    0);
	assert_null(users);
}

/* unload's list: after the helper's users, or alone; cut at LEN. */
static void appended_to_the_users(void **state)
{
	char why[512] = "pid 9 (sleep) fd 0 /dev/loop3";
	char small[24] = "";

	(void)state;
	assert_int_equal(
		mr_bdev_users_append(NULL, BDEV, "loop", why, sizeof(why)), 4);
	assert_string_equal(
		why,
		"pid 9 (sleep) fd 0 /dev/loop3, held by dm-0 (/sys/block/loop1/holders), loop0 bound to /tmp/swap.img (losetup -d /dev/loop0 releases it), loop2 bound to /srv/disk.img (losetup -d /dev/loop2 releases it), swap on /dev/loop0");
	assert_int_equal(mr_bdev_users_append(NULL, BDEV, "loop", small,
					      sizeof(small)),
			 4);
	assert_string_equal(small, "held by dm-0 (/sys/bloc");
	small[0] = '\0';
	assert_int_equal(mr_bdev_users_append(NULL, BDEV, "zram", small,
					      sizeof(small)),
			 0);
	assert_string_equal(small, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(finds_every_mount_of_its_type),
		cmocka_unit_test(other_modules_have_none),
		cmocka_unit_test(missing_file_is_an_error),
		cmocka_unit_test(swap_and_holders_of_loop),
		cmocka_unit_test(partitions_of_a_driven_disk),
		cmocka_unit_test(other_modules_have_no_bdev_users),
		cmocka_unit_test(appended_to_the_users),
	};

	return cmocka_run_group_tests(tests, write_mountinfo, remove_mountinfo);
}
