// SPDX-License-Identifier: GPL-2.0
#include "session.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "helper.h"
#include "helper_load.h"
#include "privilege.h"

/*
 * Another modrescue may be loading or unloading the helper right now: its
 * device comes and goes. How often, and how long apart, we look again.
 */
#define SHARE_TRIES 50
#define SHARE_WAIT_MS 100

void mr_session_init(struct mr_helper_session *s, bool keep)
{
	s->fd = -1;
	s->loaded_by_us = false;
	s->keep = keep;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* The device is not there (yet, or any more): another instance's doing. */
static bool device_in_flux(int err)
{
	return err == -ENOENT || err == -ENODEV || err == -ENXIO;
}

/*
 * Load the helper unless it is loaded. -EEXIST (another instance loaded it
 * first) and -EBUSY (another is unloading it) are not failures here: the
 * caller looks again.
 */
static int load_unless_loaded(struct mr_helper_session *s,
			      struct mr_unload_report *r)
{
	char why[512], path[4096];
	bool from_memory = false;
	int ret;

	if (mr_helper_is_loaded())
		return 0;
	ret = mr_helper_load(&from_memory, path, sizeof(path), why,
			     sizeof(why));
	if (ret == -EEXIST || ret == -EBUSY)
		return 0;
	if (ret) {
		mr_report_result(r, MR_FAILED, "cannot load the helper: %s",
				 why);
		return ret;
	}
	s->loaded_by_us = true;
	mr_report_step(r, "loaded the helper (modrescue.ko%s) from %s",
		       from_memory ? ", with init_module: the "
				     "idempotent-load table is not "
				     "touched" :
				     "",
		       path);
	return 0;
}

/*
 * A helper of another version (left loaded, or an old build on disk) may
 * not speak this CLI's ABI: say which ABI each speaks, act on nothing.
 */
static int check_abi(struct mr_helper_session *s, struct mr_unload_report *r)
{
	struct modrescue_version ver;
	char why[512];
	int ret;

	ret = mr_helper_get_version(s->fd, &ver);
	if (!ret)
		ret = mr_helper_abi_check(&ver, why, sizeof(why));
	else
		snprintf(
			why, sizeof(why),
			"the helper does not say which ABI it speaks (%s); this modrescue speaks ABI %d",
			strerror(-ret), MODRESCUE_ABI_VERSION);
	if (!ret)
		return 0;
	close(s->fd);
	s->fd = -1;
	mr_report_result(r, MR_FAILED, "%s", why);
	return ret;
}

int mr_session_open(struct mr_helper_session *s, struct mr_unload_report *r)
{
	char mode[32];
	int tries, ret;

	if (s->fd >= 0)
		return 0;
	if (mr_lockdown_active(mr_lockdown_path(), mode, sizeof(mode))) {
		mr_report_result(
			r, MR_REFUSED,
			"the kernel is locked down (%s): modrescue's helper would change kernel memory, which lockdown forbids; nothing was changed (rmmod still works where nothing blocks it)",
			mode);
		return -EPERM;
	}
	for (tries = 0; tries < SHARE_TRIES; tries++) {
		ret = load_unless_loaded(s, r);
		if (ret)
			return ret;
		s->fd = mr_helper_open();
		if (s->fd >= 0)
			return check_abi(s, r);
		if (!device_in_flux(s->fd))
			break;
		sleep_ms(SHARE_WAIT_MS);
	}
	ret = s->fd;
	mr_report_result(r, MR_FAILED, "cannot open %s: %s",
			 MODRESCUE_DEVICE_PATH, strerror(-ret));
	return ret;
}

/* --keep-helper: a helper a command loaded is kept, from now on. */
static void keep_helper(struct mr_unload_report *r)
{
	int ret;

	if (!mr_helper_autoloaded())
		return;
	ret = mr_helper_keep();
	if (!r)
		return;
	if (ret)
		mr_report_step(r, "could not mark the helper kept: %s",
			       strerror(-ret));
	else
		mr_report_step(r, "kept the helper loaded (--keep-helper): "
				  "no modrescue command will unload it");
}

/*
 * Unload a helper a modrescue command loaded, unless another still has it
 * open or a feature armed in it (-EWOULDBLOCK). Whichever instance loaded
 * it, the last one out does it; an instance that did not load it says so
 * only when it did.
 */
static void unload_helper(struct mr_helper_session *s,
			  struct mr_unload_report *r)
{
	int ret;

	if (!mr_helper_autoloaded())
		return;
	ret = mr_helper_unload_if_unused();
	if (!r)
		return;
	if (!ret)
		mr_report_step(r, s->loaded_by_us ?
					  "unloaded the helper" :
					  "unloaded the helper (another "
					  "modrescue had loaded it; none "
					  "uses it now)");
	else if (!s->loaded_by_us)
		return;
	else if (ret == -EWOULDBLOCK)
		mr_report_step(r, "left the helper loaded: another modrescue "
				  "is using it");
	else if (ret != -ENOENT)
		mr_report_step(r, "could not unload the helper: %s",
			       strerror(-ret));
}

void mr_session_end(struct mr_helper_session *s, struct mr_unload_report *r)
{
	bool used = s->fd >= 0 || s->loaded_by_us;

	/* Marked kept while still open: nobody can unload it meanwhile. */
	if (used && s->keep)
		keep_helper(r);
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	if (used && !s->keep)
		unload_helper(s, r);
	s->loaded_by_us = false;
}
