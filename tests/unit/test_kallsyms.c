// SPDX-License-Identifier: GPL-2.0
/* Unit tests for cli/lib/helper/kallsyms.c: finding core-kernel data symbols. */
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

/* One pass finds several; it stops once all are found. */
static void finds_many_in_one_pass(void **state)
{
	const char *text = "ffffffff81000000 T _stext\n"
			   "ffffffff8212a4c0 d modules\n"
			   "ffffffff8212b000 b idem_hash\n"
			   "ffffffff8212b800 b idem_lock\n"
			   "ffffffff8212a4d0 D module_mutex\n"
			   "ffffffff8212a4e0 D after_all_found\n";
	struct mr_ksym syms[] = {
		{ .name = "module_mutex" }, { .name = "modules" },
		{ .name = "idem_hash" },    { .name = "idem_lock" },
		{ .name = "not_there" },
	};
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	char rest[64];

	(void)state;
	assert_non_null(f);
	assert_int_equal(mr_kallsyms_find_data_many(f, syms, 4), 4);
	assert_int_equal(syms[0].err, 0);
	assert_int_equal(syms[0].addr, 0xffffffff8212a4d0UL);
	assert_int_equal(syms[1].addr, 0xffffffff8212a4c0UL);
	assert_int_equal(syms[2].addr, 0xffffffff8212b000UL);
	assert_int_equal(syms[3].addr, 0xffffffff8212b800UL);
	/* It stopped right after the last one it wanted. */
	assert_non_null(fgets(rest, sizeof(rest), f));
	assert_string_equal(rest, "ffffffff8212a4e0 D after_all_found\n");
	rewind(f);
	assert_int_equal(mr_kallsyms_find_data_many(f, syms, 5), 4);
	assert_int_equal(syms[4].err, -ENOENT);
	assert_int_equal(syms[4].addr, 0);
	fclose(f);
}

/* 6.1 has no idempotent-load table: those two stay absent. */
static void absent_symbols_stay_enoent(void **state)
{
	const char *text = "ffffffff8212a4c0 d modules\n"
			   "ffffffff8212a4d0 D module_mutex\n"
			   "ffffffffc0002000 b idem_hash\t[hp_fake]\n";
	struct mr_ksym syms[] = { { .name = "idem_hash" },
				  { .name = "modules" } };
	FILE *f = fmemopen((void *)text, strlen(text), "r");

	(void)state;
	assert_non_null(f);
	assert_int_equal(mr_kallsyms_find_data_many(f, syms, 2), 1);
	assert_int_equal(syms[0].err, -ENOENT);
	assert_int_equal(syms[1].err, 0);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(finds_core_data_symbols),
		cmocka_unit_test(finds_many_in_one_pass),
		cmocka_unit_test(absent_symbols_stay_enoent),
		cmocka_unit_test(skips_functions_and_module_symbols),
		cmocka_unit_test(hidden_addresses_say_eperm),
		cmocka_unit_test(garbage_is_skipped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
