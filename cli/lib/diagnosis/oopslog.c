// SPDX-License-Identifier: GPL-2.0
#include "oopslog.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

void mr_oops_log_init(struct mr_oops_log *l)
{
	memset(l, 0, sizeof(*l));
}

void mr_oops_log_free(struct mr_oops_log *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->oopses[i].text);
	free(l->oopses);
	mr_oops_log_init(l);
}

bool mr_oops_header(const char *text)
{
	const char *p = strstr(text, " [#");
	int i;

	for (; p; p = strstr(p + 1, " [#")) {
		if (p - text < 6 || p[-6] != ':' || p[-5] != ' ' ||
		    !isdigit((unsigned char)p[3]))
			continue;
		for (i = 1; i <= 4; i++)
			if (!isxdigit((unsigned char)p[-i]))
				break;
		if (i > 4)
			return true;
	}
	return false;
}

/* A new oops at the end of L, the oldest dropped when L is full. */
static int start_oops(struct mr_oops_log *l)
{
	struct mr_oops *o;

	if (l->n == MR_OOPS_MAX) {
		free(l->oopses[0].text);
		memmove(l->oopses, l->oopses + 1,
			(l->n - 1) * sizeof(*l->oopses));
		l->n--;
	}
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 4;

		o = realloc(l->oopses, cap * sizeof(*o));
		if (!o)
			return -ENOMEM;
		l->oopses = o;
		l->cap = cap;
	}
	o = &l->oopses[l->n];
	memset(o, 0, sizeof(*o));
	o->cpu = -1;
	o->pid = -1;
	o->text = malloc(MR_OOPS_TEXT_MAX);
	if (!o->text)
		return -ENOMEM;
	o->text[0] = '\0';
	l->n++;
	l->in_report = true;
	return 0;
}

/* A decimal after KEY in LINE, or -1. */
static int number_after(const char *line, const char *key)
{
	const char *p = strstr(line, key);
	long v = 0;

	if (!p)
		return -1;
	p += strlen(key);
	if (!isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		v = v * 10 + (*p - '0');
		if (v > INT_MAX)
			return -1;
	}
	return (int)v;
}

/* "CPU: 1 PID: 99 Comm: hp_x Tainted: ..." (6.12: "CPU: 1 UID: 0 PID: ..."). */
static bool cpu_line(struct mr_oops *o, const char *line)
{
	const char *comm, *end;
	size_t n;

	if (strncmp(line, "CPU: ", 5))
		return false;
	o->cpu = number_after(line, "CPU: ");
	o->pid = number_after(line, " PID: ");
	comm = strstr(line, " Comm: ");
	if (o->cpu < 0 || o->pid < 0 || !comm)
		return false;
	comm += 7;
	end = strstr(comm, " Tainted: ");
	if (!end)
		end = strstr(comm, " Not tainted");
	n = end ? (size_t)(end - comm) : strlen(comm);
	if (n >= sizeof(o->comm))
		n = sizeof(o->comm) - 1;
	memcpy(o->comm, comm, n);
	o->comm[n] = '\0';
	return true;
}

static void add_text(struct mr_oops *o, const char *line)
{
	size_t n = strlen(line);

	if (o->text_len + n + 2 > MR_OOPS_TEXT_MAX)
		return;
	memcpy(o->text + o->text_len, line, n);
	o->text_len += n;
	o->text[o->text_len++] = '\n';
	o->text[o->text_len] = '\0';
}

int mr_oops_log_line(struct mr_oops_log *l, const char *line)
{
	struct mr_oops *o;

	if (mr_oops_header(line))
		return start_oops(l);
	if (!l->in_report)
		return 0;
	o = &l->oopses[l->n - 1];
	if (strstr(line, "---[ end trace")) {
		l->in_report = false;
		return 0;
	}
	if (o->cpu < 0 && cpu_line(o, line))
		return 0;
	add_text(o, line);
	return 0;
}

int mr_oops_log_kmsg_record(struct mr_oops_log *l, const char *rec, size_t len)
{
	const char *semi = memchr(rec, ';', len), *end;
	char line[1024];
	size_t n;

	if (!semi)
		return 0;
	semi++;
	end = memchr(semi, '\n', len - (size_t)(semi - rec));
	n = end ? (size_t)(end - semi) : len - (size_t)(semi - rec);
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	memcpy(line, semi, n);
	line[n] = '\0';
	return mr_oops_log_line(l, line);
}
