// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE /* vasprintf */
#include "outcome.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mr_report_step(struct mr_unload_report *r, const char *fmt, ...)
{
	char **v, *s = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	v = realloc(r->steps, (r->n_steps + 1) * sizeof(*v));
	if (!v) {
		free(s);
		return;
	}
	r->steps = v;
	r->steps[r->n_steps++] = s;
}

enum mr_unload_result mr_report_result(struct mr_unload_report *r,
				       enum mr_unload_result res,
				       const char *fmt, ...)
{
	va_list ap;

	r->result = res;
	if (!fmt)
		return res;
	free(r->error);
	r->error = NULL;
	va_start(ap, fmt);
	if (vasprintf(&r->error, fmt, ap) < 0)
		r->error = NULL;
	va_end(ap);
	return res;
}

void mr_report_free(struct mr_unload_report *r)
{
	size_t i;

	for (i = 0; i < r->n_steps; i++)
		free(r->steps[i]);
	free(r->steps);
	free(r->error);
	free(r->module);
	memset(r, 0, sizeof(*r));
}
