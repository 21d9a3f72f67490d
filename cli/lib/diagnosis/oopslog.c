// SPDX-License-Identifier: GPL-2.0
#include "oopslog.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

/* A "BUG: ..." line this many lines before the header is its cause. */
#define BUG_LINE_REACH 8

void mr_oops_log_init(struct mr_oops_log *l)
{
	memset(l, 0, sizeof(*l));
	l->first_seq = -1;
	l->first_usec = -1;
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
	o->usec = -1;
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

/* The cause of the oops whose header is LINE (see oopslog.h). */
static void set_cause(struct mr_oops_log *l, struct mr_oops *o,
		      const char *line)
{
	const char *end = strstr(line, " [#");
	size_t n;

	if (l->bug_line[0] && l->since_bug <= BUG_LINE_REACH) {
		snprintf(o->cause, sizeof(o->cause), "%s", l->bug_line);
		return;
	}
	/* "Oops: 0002 [#1]", "general protection fault, ...: 0000 [#1]" */
	n = end ? (size_t)(end - line) : strlen(line);
	if (n >= 6 && line[n - 6] == ':')
		n -= 6;
	while (n >= 10 && !strncmp(line, "Oops: Oops", 10)) {
		line += 6;
		n -= 6;
	}
	if (n >= sizeof(o->cause))
		n = sizeof(o->cause) - 1;
	memcpy(o->cause, line, n);
	o->cause[n] = '\0';
}

/* Remember a "BUG: ..." line: it names the cause of the oops that follows. */
static void remember_bug(struct mr_oops_log *l, const char *line)
{
	if (!strncmp(line, "BUG: ", 5) ||
	    !strncmp(line, "kernel BUG at ", 14)) {
		snprintf(l->bug_line, sizeof(l->bug_line), "%s", line);
		l->since_bug = 0;
	} else if (l->since_bug <= BUG_LINE_REACH) {
		l->since_bug++;
	}
}

int mr_oops_log_line_at(struct mr_oops_log *l, const char *line, long long usec)
{
	struct mr_oops *o;

	if (mr_oops_header(line)) {
		int err = start_oops(l);

		if (err)
			return err;
		o = &l->oopses[l->n - 1];
		o->usec = usec;
		set_cause(l, o, line);
		l->bug_line[0] = '\0';
		return 0;
	}
	remember_bug(l, line);
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

int mr_oops_log_line(struct mr_oops_log *l, const char *line)
{
	return mr_oops_log_line_at(l, line, -1);
}

/* "PRIO,SEQ,USEC,FLAGS;": SEQ and USEC, or false. */
static bool kmsg_prefix(const char *rec, const char *semi, long long *seq,
			long long *usec)
{
	char head[96], *p, *end;
	size_t n = (size_t)(semi - rec);
	int i;

	if (n >= sizeof(head))
		return false;
	memcpy(head, rec, n);
	head[n] = '\0';
	p = head;
	for (i = 0; i < 3; i++) {
		long long v;

		errno = 0;
		v = strtoll(p, &end, 10);
		if (end == p || errno || (*end != ',' && *end != '\0') || v < 0)
			return false;
		if (i == 1)
			*seq = v;
		else if (i == 2)
			*usec = v;
		if (*end != ',')
			return i == 2;
		p = end + 1;
	}
	return true;
}

int mr_oops_log_kmsg_record(struct mr_oops_log *l, const char *rec, size_t len)
{
	const char *semi = memchr(rec, ';', len), *end;
	long long seq = -1, usec = -1;
	char line[1024];
	size_t n;

	if (!semi)
		return 0;
	if (!kmsg_prefix(rec, semi, &seq, &usec))
		seq = usec = -1;
	if (l->first_seq < 0 && seq >= 0) {
		l->first_seq = seq;
		l->first_usec = usec;
	}
	semi++;
	end = memchr(semi, '\n', len - (size_t)(semi - rec));
	n = end ? (size_t)(end - semi) : len - (size_t)(semi - rec);
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	memcpy(line, semi, n);
	line[n] = '\0';
	return mr_oops_log_line_at(l, line, usec);
}

long mr_oops_log_kmsg_text(struct mr_oops_log *l, const char *buf, size_t len)
{
	size_t done = 0;
	int err;

	while (done < len) {
		const char *nl = memchr(buf + done, '\n', len - done);
		size_t n;

		if (!nl)
			break;
		n = (size_t)(nl - (buf + done)) + 1;
		/* A dictionary line (" SUBSYSTEM=...") belongs to the last. */
		if (buf[done] != ' ') {
			err = mr_oops_log_kmsg_record(l, buf + done, n);
			if (err)
				return err;
		}
		done += n;
	}
	return (long)done;
}

/* The next line of TEXT at *P into BUF, without leading blanks. */
static bool next_line(const char **p, char *buf, size_t len)
{
	const char *s = *p, *nl;
	size_t n;

	if (!*s)
		return false;
	nl = strchr(s, '\n');
	n = nl ? (size_t)(nl - s) : strlen(s);
	*p = nl ? nl + 1 : s + n;
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	if (n >= len)
		n = len - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return true;
}

/* A call trace's frame: "func+0x1/0x2 [mod]" or "? func+...", not "<TASK>". */
static const char *trace_frame(const char *line, bool *reliable)
{
	*reliable = strncmp(line, "? ", 2) != 0;
	if (!*reliable)
		line += 2;
	if (!strchr(line, '+') || line[0] == '<')
		return NULL;
	return line;
}

static enum mr_oops_in frame_in(const char *frame)
{
	char func[128];

	mr_frame_func(frame, func, sizeof(func));
	if (strstr(func, "delete_module"))
		return MR_OOPS_IN_EXIT;
	if (strstr(func, "init_module") || !strcmp(func, "do_one_initcall"))
		return MR_OOPS_IN_INIT;
	return MR_OOPS_IN_OTHER;
}

enum mr_oops_in mr_oops_where(const struct mr_oops *o)
{
	enum mr_oops_in in[2] = { MR_OOPS_IN_OTHER, MR_OOPS_IN_OTHER };
	const char *p = o->text ? o->text : "", *frame;
	bool trace = false, reliable;
	char line[512];

	while (next_line(&p, line, sizeof(line))) {
		if (!strncmp(line, "Call Trace:", 11)) {
			trace = true;
			continue;
		}
		if (!trace || !(frame = trace_frame(line, &reliable)))
			continue;
		if (in[reliable] == MR_OOPS_IN_OTHER)
			in[reliable] = frame_in(frame);
	}
	return in[1] != MR_OOPS_IN_OTHER ? in[1] : in[0];
}

static bool frame_of(const char *frame, const char *mod)
{
	char m[MR_MODNAME_LEN];

	return mr_frame_module(frame, m, sizeof(m)) && !strcmp(m, mod);
}

bool mr_oops_module_frame(const struct mr_oops *o, const char *mod, char *buf,
			  size_t len)
{
	const char *p = o->text ? o->text : "", *frame, *rip;
	char line[512], unreliable[512] = "";
	bool trace = false, reliable;

	while (next_line(&p, line, sizeof(line))) {
		if (!trace && !strncmp(line, "RIP: ", 5)) {
			/* "RIP: 0010:hp_x_exit+0x5/0x40 [hp_x]" */
			rip = strchr(line + 5, ':');
			if (rip && frame_of(rip + 1, mod)) {
				snprintf(buf, len, "%s", rip + 1);
				return true;
			}
			continue;
		}
		if (!strncmp(line, "Call Trace:", 11)) {
			trace = true;
			continue;
		}
		if (!trace || !(frame = trace_frame(line, &reliable)) ||
		    !frame_of(frame, mod))
			continue;
		if (reliable) {
			snprintf(buf, len, "%s", frame);
			return true;
		}
		if (!unreliable[0])
			snprintf(unreliable, sizeof(unreliable), "%s", frame);
	}
	if (!unreliable[0])
		return false;
	snprintf(buf, len, "%s", unreliable);
	return true;
}

const struct mr_oops *mr_oops_find(const struct mr_oops_log *l, const char *mod,
				   enum mr_oops_in in, char *buf, size_t len)
{
	size_t i;

	for (i = l->n; i-- > 0;)
		if (mr_oops_where(&l->oopses[i]) == in &&
		    mr_oops_module_frame(&l->oopses[i], mod, buf, len))
			return &l->oopses[i];
	return NULL;
}
