// SPDX-License-Identifier: GPL-2.0
#include "session.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "helper.h"
#include "helper_load.h"

void mr_session_init(struct mr_helper_session *s, bool keep)
{
	s->fd = -1;
	s->loaded_by_us = false;
	s->keep = keep;
}

int mr_session_open(struct mr_helper_session *s, struct mr_unload_report *r)
{
	if (s->fd >= 0)
		return 0;
	if (!mr_helper_is_loaded()) {
		char why[512];
		bool from_memory = false;
		int ret = mr_helper_load(&from_memory, why, sizeof(why));

		if (ret) {
			mr_report_result(r, MR_FAILED,
					 "cannot load the helper: %s", why);
			return ret;
		}
		s->loaded_by_us = true;
		mr_report_step(r, "loaded the helper (modrescue.ko%s)",
			       from_memory ? ", with init_module: the "
					     "idempotent-load table is not "
					     "touched" :
					     "");
	}
	s->fd = mr_helper_open();
	if (s->fd < 0) {
		mr_report_result(r, MR_FAILED, "cannot open %s: %s",
				 MODRESCUE_DEVICE_PATH, strerror(-s->fd));
		return s->fd;
	}
	return 0;
}

void mr_session_end(struct mr_helper_session *s, struct mr_unload_report *r)
{
	int ret;

	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	if (!s->loaded_by_us || s->keep)
		return;
	ret = mr_helper_unload();
	if (r) {
		if (ret)
			mr_report_step(r, "could not unload the helper: %s",
				       strerror(-ret));
		else
			mr_report_step(r, "unloaded the helper");
	}
	s->loaded_by_us = false;
}
