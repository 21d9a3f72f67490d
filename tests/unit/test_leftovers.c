// SPDX-License-Identifier: GPL-2.0
/* Unit tests for cli/lib/acting/leftovers.c, on a fake /sys and /proc tree. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "leftovers.h"

static char root[] = "/tmp/mr-left-XXXXXX";

static void put(const char *rel, const char *text)
{
	char path[PATH_MAX], cmd[PATH_MAX + 32];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p $(dirname %s)", path);
	assert_int_equal(system(cmd), 0);
	if (!text) {
		assert_int_equal(mkdir(path, 0755), 0);
		return;
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void lists_what_collides(void **state)
{
	char buf[512], cmd[PATH_MAX];

	(void)state;
	assert_non_null(mkdtemp(root));
	put("proc/devices", "Character devices:\n  1 mem\n 10 misc\n"
			    "240 hpdev\n\nBlock devices:\n  7 loop\n"
			    "250 hpdev\n");
	put("proc/filesystems", "nodev\tsysfs\n\text4\nnodev\thpdev\n");
	/* Nothing yet: nothing said. */
	assert_int_equal(mr_quarantine_leftovers(root, "other", "other.q1", buf,
						 sizeof(buf)),
			 0);
	assert_string_equal(buf, "");

	put("sys/module/hpdev.q1/drivers/platform:hpdev", NULL);
	put("sys/class/misc/hpdev", NULL);
	assert_int_equal(mr_quarantine_leftovers(root, "hpdev", "hpdev.q1", buf,
						 sizeof(buf)),
			 5);
	assert_string_equal(
		buf,
		"driver platform:hpdev, misc device /dev/hpdev, char device major 240 (hpdev), block device major 250 (hpdev), filesystem type hpdev");
	/* A short buffer is cut, never overrun; the count stays right. */
	assert_int_equal(
		mr_quarantine_leftovers(root, "hpdev", "hpdev.q1", buf, 10), 5);
	assert_true(strlen(buf) < 10);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lists_what_collides),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
