// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for cli/lib/helper/privilege.c (the lockdown mode) and
 * cli/lib/acting/modlock.c (one modrescue at a time per module).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <cmocka.h>

#include "modlock.h"
#include "privilege.h"

static const char *write_tmp(const char *text)
{
	static char path[] = "/tmp/mr-lockdown-XXXXXX";
	int fd;

	strcpy(path, "/tmp/mr-lockdown-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void lockdown_mode_in_brackets(void **state)
{
	char mode[32] = "";
	const char *p;

	(void)state;
	p = write_tmp("[none] integrity confidentiality\n");
	assert_false(mr_lockdown_active(p, mode, sizeof(mode)));
	unlink(p);
	p = write_tmp("none [integrity] confidentiality\n");
	assert_true(mr_lockdown_active(p, mode, sizeof(mode)));
	assert_string_equal(mode, "integrity");
	unlink(p);
	p = write_tmp("none integrity [confidentiality]\n");
	assert_true(mr_lockdown_active(p, mode, sizeof(mode)));
	assert_string_equal(mode, "confidentiality");
	unlink(p);
	/* No file (no securityfs), or garbage: cannot tell, not locked. */
	assert_false(mr_lockdown_active("/nonexistent/lockdown", mode,
					sizeof(mode)));
	p = write_tmp("garbage [unterminated\n");
	assert_false(mr_lockdown_active(p, mode, sizeof(mode)));
	unlink(p);
}

static void module_lock_is_exclusive(void **state)
{
	char dir[] = "/tmp/mr-run-XXXXXX";
	char path[128];
	bool waited = true;
	int fd, other;

	(void)state;
	assert_non_null(mkdtemp(dir));
	fd = mr_module_lock(dir, "loop", &waited);
	assert_true(fd >= 0);
	assert_false(waited);
	/* Another open file description cannot take it while we hold it. */
	snprintf(path, sizeof(path), "%s/loop.lock", dir);
	other = open(path, O_RDWR);
	assert_true(other >= 0);
	assert_int_equal(flock(other, LOCK_EX | LOCK_NB), -1);
	assert_int_equal(errno, EWOULDBLOCK);
	/* Another module's lock is its own. */
	mr_module_unlock(mr_module_lock(dir, "can", &waited));
	assert_false(waited);
	mr_module_unlock(fd);
	assert_int_equal(flock(other, LOCK_EX | LOCK_NB), 0);
	close(other);
	unlink(path);
	snprintf(path, sizeof(path), "%s/can.lock", dir);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lockdown_mode_in_brackets),
		cmocka_unit_test(module_lock_is_exclusive),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
