// SPDX-License-Identifier: GPL-2.0
/* Unit tests for cli/lib/kallsyms.c: finding core-kernel data symbols. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kallsyms.h"

static int find(const char *text, const char *name, unsigned long *addr)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret;

	assert_non_null(f);
	ret = mr_kallsyms_find_data(f, name, addr);
	fclose(f);
	return ret;
}

static void finds_core_data_symbols(void **state)
{
	const char *text = "ffffffff81000000 T _stext\n"
			   "ffffffff8212a4c0 d modules\n"
			   "ffffffff8212a4d0 D module_mutex\n"
			   "ffffffffc0002000 d modules\t[hp_fake]\n";
	unsigned long addr = 0;

	(void)state;
	assert_int_equal(find(text, "modules", &addr), 0);
	assert_int_equal(addr, 0xffffffff8212a4c0UL);
	assert_int_equal(find(text, "module_mutex", &addr), 0);
	assert_int_equal(addr, 0xffffffff8212a4d0UL);
}

static void skips_functions_and_module_symbols(void **state)
{
	/* A function of that name, or a module's symbol, is not the data. */
	const char *text = "ffffffff81000000 T modules\n"
			   "ffffffffc0002000 d modules\t[hp_fake]\n";
	unsigned long addr = 0;

	(void)state;
	assert_int_equal(find(text, "modules", &addr), -ENOENT);
	assert_int_equal(find(text, "module", &addr), -ENOENT);
	assert_int_equal(find("", "modules", &addr), -ENOENT);
}

static void hidden_addresses_say_eperm(void **state)
{
	/* Not root, or kptr_restrict: every address reads as zero. */
	const char *text = "0000000000000000 d modules\n";
	unsigned long addr = 0;

	(void)state;
	assert_int_equal(find(text, "modules", &addr), -EPERM);
}

static void garbage_is_skipped(void **state)
{
	const char *text = "not a line\n\n zz d modules\n"
			   "ffffffff8212a4c0\n"
			   "ffffffff8212a4c0 d modules\n";
	unsigned long addr = 0;

	(void)state;
	assert_int_equal(find(text, "modules", &addr), 0);
	assert_int_equal(addr, 0xffffffff8212a4c0UL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(finds_core_data_symbols),
		cmocka_unit_test(skips_functions_and_module_symbols),
		cmocka_unit_test(hidden_addresses_say_eperm),
		cmocka_unit_test(garbage_is_skipped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
