// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for cli/lib/helper/helper.c: the device path override, and the
 * GET_VERSION exchange, with ioctl() replaced by a fake (--wrap=ioctl).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "helper.h"

int __wrap_ioctl(int fd, unsigned long request, ...);
int __real_ioctl(int fd, unsigned long request, ...);

/* The fake helper: checks what the CLI sends, answers what the test says. */
int __wrap_ioctl(int fd, unsigned long request, ...)
{
	struct modrescue_version *ver;
	va_list ap;
	int err;

	va_start(ap, request);
	ver = va_arg(ap, struct modrescue_version *);
	va_end(ap);
	check_expected(fd);
	check_expected(request);
	assert_int_equal(ver->size, sizeof(*ver));
	assert_int_equal(ver->reserved, 0);
	err = mock_type(int);
	if (err) {
		errno = err;
		return -1;
	}
	ver->abi_version = mock_type(unsigned int);
	return 0;
}

static void expect_version_ioctl(int fd, int err, unsigned int abi)
{
	expect_value(__wrap_ioctl, fd, fd);
	expect_value(__wrap_ioctl, request, MODRESCUE_IOC_GET_VERSION);
	will_return(__wrap_ioctl, err);
	if (!err)
		will_return(__wrap_ioctl, abi);
}

static void get_version_returns_abi(void **state)
{
	struct modrescue_version ver;

	(void)state;
	expect_version_ioctl(7, 0, MODRESCUE_ABI_VERSION);
	assert_int_equal(mr_helper_get_version(7, &ver), 0);
	assert_int_equal(ver.abi_version, MODRESCUE_ABI_VERSION);
}

static void get_version_passes_errno(void **state)
{
	struct modrescue_version ver;

	(void)state;
	expect_version_ioctl(3, ENOTTY, 0);
	assert_int_equal(mr_helper_get_version(3, &ver), -ENOTTY);
	expect_version_ioctl(3, EPERM, 0);
	assert_int_equal(mr_helper_get_version(3, &ver), -EPERM);
}

static void get_version_rejects_abi_zero(void **state)
{
	struct modrescue_version ver;

	(void)state;
	expect_version_ioctl(3, 0, 0);
	assert_int_equal(mr_helper_get_version(3, &ver), -EPROTO);
}

static void abi_check_accepts_same_and_newer(void **state)
{
	struct modrescue_version ver = { .abi_version = MODRESCUE_ABI_VERSION,
					 .min_abi_version = 1 };
	char why[512] = "";

	(void)state;
	assert_int_equal(mr_helper_abi_check(&ver, why, sizeof(why)), 0);
	ver.abi_version = MODRESCUE_ABI_VERSION + 3;
	assert_int_equal(mr_helper_abi_check(&ver, why, sizeof(why)), 0);
	assert_string_equal(why, "");
}

static void abi_check_names_both_abis(void **state)
{
	struct modrescue_version ver = {
		.abi_version = MODRESCUE_ABI_VERSION - 1, .min_abi_version = 1
	};
	char why[512], want[64];

	(void)state;
	assert_int_equal(mr_helper_abi_check(&ver, why, sizeof(why)), -EPROTO);
	snprintf(want, sizeof(want), "helper speaks ABI %d ",
		 MODRESCUE_ABI_VERSION - 1);
	assert_non_null(strstr(why, want));
	snprintf(want, sizeof(want),
		 "modrescue speaks ABI %d:", MODRESCUE_ABI_VERSION);
	assert_non_null(strstr(why, want));

	/* A newer helper that no longer serves this CLI's ABI. */
	ver.abi_version = MODRESCUE_ABI_VERSION + 5;
	ver.min_abi_version = MODRESCUE_ABI_VERSION + 1;
	assert_int_equal(mr_helper_abi_check(&ver, why, sizeof(why)), -EPROTO);
	snprintf(want, sizeof(want), "serves ABI %d to %d)",
		 MODRESCUE_ABI_VERSION + 1, MODRESCUE_ABI_VERSION + 5);
	assert_non_null(strstr(why, want));
}

static void open_honours_override(void **state)
{
	char path[] = "/tmp/mr-unit-devXXXXXX";
	int tmp, fd;

	(void)state;
	tmp = mkstemp(path);
	assert_true(tmp >= 0);
	setenv("MODRESCUE_DEVICE", path, 1);
	fd = mr_helper_open();
	assert_true(fd >= 0);
	close(fd);
	close(tmp);
	unlink(path);
	assert_int_equal(mr_helper_open(), -ENOENT);
	unsetenv("MODRESCUE_DEVICE");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(get_version_returns_abi),
		cmocka_unit_test(get_version_passes_errno),
		cmocka_unit_test(get_version_rejects_abi_zero),
		cmocka_unit_test(abi_check_accepts_same_and_newer),
		cmocka_unit_test(abi_check_names_both_abis),
		cmocka_unit_test(open_honours_override),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
