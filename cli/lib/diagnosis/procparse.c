// SPDX-License-Identifier: GPL-2.0
#include "procparse.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

void mr_strv_free(char **v, size_t n)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void mr_procmod_free(struct mr_procmod *pm)
{
	free(pm->name);
	mr_strv_free(pm->users, pm->n_users);
	memset(pm, 0, sizeof(*pm));
}

/* The next blank-separated field of *p, as [start, *len). */
static const char *next_field(const char **p, size_t *len)
{
	const char *s = *p;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s) {
		*p = s;
		return NULL;
	}
	*len = strcspn(s, " \t");
	*p = s + *len;
	return s;
}

static bool parse_long(const char *s, size_t len, long *out)
{
	char buf[32], *end;
	long v;

	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	v = strtol(buf, &end, 10);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

static int push_str(char ***v, size_t *n, const char *s, size_t len)
{
	char **nv, *dup;

	dup = strndup(s, len);
	if (!dup)
		return -ENOMEM;
	nv = realloc(*v, (*n + 1) * sizeof(**v));
	if (!nv) {
		free(dup);
		return -ENOMEM;
	}
	nv[(*n)++] = dup;
	*v = nv;
	return 0;
}

/* "a,b,[permanent]," or "-": holders, and the permanent marker. */
static int parse_users(const char *s, size_t len, struct mr_procmod *pm)
{
	size_t i = 0;

	pm->users_known = true;
	if (len == 1 && s[0] == '-')
		return 0;
	while (i < len) {
		size_t n = 0;

		while (i + n < len && s[i + n] != ',')
			n++;
		if (n == 11 && !memcmp(s + i, "[permanent]", 11))
			pm->permanent = true;
		else if (n > 0 && s[i] != '[' &&
			 push_str(&pm->users, &pm->n_users, s + i, n))
			return -ENOMEM;
		i += n + 1;
	}
	return 0;
}

static enum mr_state parse_state(const char *s, size_t len)
{
	if (len == 4 && !memcmp(s, "Live", 4))
		return MR_STATE_LIVE;
	if (len == 7 && !memcmp(s, "Loading", 7))
		return MR_STATE_COMING;
	if (len == 9 && !memcmp(s, "Unloading", 9))
		return MR_STATE_GOING;
	return MR_STATE_UNKNOWN;
}

int mr_parse_procmod_line(const char *line, struct mr_procmod *pm)
{
	const char *p = line, *f;
	size_t len = 0;
	long v;

	memset(pm, 0, sizeof(*pm));
	f = next_field(&p, &len);
	if (!f)
		return -EINVAL;
	pm->name = strndup(f, len);
	if (!pm->name)
		return -ENOMEM;
	/* size: not used */
	if (!next_field(&p, &len))
		return 0;
	f = next_field(&p, &len);
	if (!f)
		return 0;
	if (parse_long(f, len, &v)) {
		pm->refcnt_known = true;
		pm->refcnt = v;
	}
	f = next_field(&p, &len);
	if (!f)
		return 0;
	if (parse_users(f, len, pm)) {
		mr_procmod_free(pm);
		return -ENOMEM;
	}
	f = next_field(&p, &len);
	if (f)
		pm->state = parse_state(f, len);
	return 0;
}

bool mr_modname_is_safe(const char *name)
{
	const char *p;

	if (!name || !*name || strlen(name) >= MR_MODNAME_LEN)
		return false;
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	for (p = name; *p; p++)
		if (*p == '/' || iscntrl((unsigned char)*p) || *p == ' ')
			return false;
	return true;
}

int mr_parse_syscall(const char *text, long *nr, unsigned long args[6])
{
	const char *p = text;
	char *end;
	int n = 0;
	long v;

	memset(args, 0, 6 * sizeof(args[0]));
	*nr = MR_SYSCALL_UNKNOWN;
	while (*p == ' ')
		p++;
	if (!isdigit((unsigned char)*p) && *p != '-')
		return 0;
	errno = 0;
	v = strtol(p, &end, 10);
	if (errno || end == p || (*end && *end != ' ' && *end != '\n'))
		return 0;
	if (v < 0) {
		*nr = MR_SYSCALL_NONE;
		return 0;
	}
	*nr = v;
	p = end;
	while (n < 6) {
		unsigned long a;

		while (*p == ' ')
			p++;
		if (p[0] != '0' || (p[1] != 'x' && p[1] != 'X'))
			break;
		errno = 0;
		a = strtoul(p, &end, 16);
		if (errno || end <= p + 2)
			break;
		args[n++] = a;
		p = end;
	}
	return n;
}

bool mr_syscall_is_running(const char *text)
{
	return !strncmp(text, "running", 7);
}

int mr_parse_cmdline_modules(const char *buf, size_t len, char ***mods)
{
	size_t i = 0, n = 0;
	bool first = true;

	*mods = NULL;
	while (i < len) {
		const char *arg = buf + i;
		size_t alen = strnlen(arg, len - i);
		char name[MR_MODNAME_LEN];

		i += alen + 1;
		if (first || alen == 0 || arg[0] == '-' ||
		    memchr(arg, '=', alen) || alen >= 4096) {
			first = false;
			continue;
		}
		if (!mr_modname_from_path(arg, name, sizeof(name))) {
			if (alen >= sizeof(name))
				continue;
			memcpy(name, arg, alen);
			name[alen] = '\0';
			mr_modname_normalize(name);
			if (!mr_modname_is_safe(name))
				continue;
		}
		if (push_str(mods, &n, name, strlen(name))) {
			mr_strv_free(*mods, n);
			*mods = NULL;
			return -ENOMEM;
		}
	}
	return (int)n;
}

int mr_parse_stat(const char *text, char *state, unsigned long long *starttime,
		  char *comm, size_t comm_len)
{
	const char *open, *close, *p;
	int field;

	*state = '?';
	*starttime = 0;
	if (comm_len)
		comm[0] = '\0';
	open = strchr(text, '(');
	close = strrchr(text, ')');
	if (!open || !close || close < open)
		return -EINVAL;
	if (comm_len) {
		size_t n = (size_t)(close - open - 1);

		if (n >= comm_len)
			n = comm_len - 1;
		memcpy(comm, open + 1, n);
		comm[n] = '\0';
	}
	p = close + 1;
	if (*p != ' ' || !isalpha((unsigned char)p[1]))
		return -EINVAL;
	*state = p[1];
	/* Field 3 is the state; starttime is field 22. */
	for (field = 3; field < 22; field++) {
		p = strchr(p + 1, ' ');
		if (!p)
			return -EINVAL;
	}
	if (!isdigit((unsigned char)p[1]))
		return -EINVAL;
	*starttime = strtoull(p + 1, NULL, 10);
	return 0;
}

int mr_parse_uptime(const char *text, double *uptime)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(text, &end);
	if (errno || end == text || v < 0)
		return -EINVAL;
	*uptime = v;
	return 0;
}

int mr_parse_stack(const char *text, char ***frames)
{
	const char *p = text;
	size_t n = 0;

	*frames = NULL;
	while (*p) {
		size_t len = strcspn(p, "\n");
		const char *s = p, *e = p + len;

		p = *e ? e + 1 : e;
		if (s[0] == '[' && s[1] == '<') {
			const char *q = memchr(s, ']', len);

			if (q) {
				s = q + 1;
				while (s < e && *s == ' ')
					s++;
			}
		}
		while (e > s && isspace((unsigned char)e[-1]))
			e--;
		if (e == s)
			continue;
		if (push_str(frames, &n, s, (size_t)(e - s))) {
			mr_strv_free(*frames, n);
			*frames = NULL;
			return -ENOMEM;
		}
	}
	return (int)n;
}

static bool ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && !memcmp(s + len - n, suffix, n);
}

bool mr_modname_from_path(const char *path, char *buf, size_t len)
{
	static const char *const exts[] = { ".ko", ".ko.xz", ".ko.zst",
					    ".ko.gz" };
	const char *base = strrchr(path, '/');
	size_t n, i;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (ends_with(base, n, " (deleted)"))
		n -= strlen(" (deleted)");
	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		if (ends_with(base, n, exts[i])) {
			n -= strlen(exts[i]);
			break;
		}
	}
	if (i == sizeof(exts) / sizeof(exts[0]) || n == 0 || n >= len)
		return false;
	memcpy(buf, base, n);
	buf[n] = '\0';
	mr_modname_normalize(buf);
	return true;
}
