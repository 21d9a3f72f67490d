// SPDX-License-Identifier: GPL-2.0
/*
 * Serial-log classification for the QEMU lab; see report.h.
 */
#define _POSIX_C_SOURCE 200809L

#include "report.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Largest MIN or MAX an MR-EXPECT line may declare. */
#define LC_MAX_EXPECT 100000U
/* Longest excerpt of a log line quoted in a reason, in bytes. */
#define LC_QUOTE_MAX 200
/*
 * An oops header at most this many lines after "kernel BUG at" is that bug's
 * (BUG() is an invalid opcode, and die() prints "invalid opcode: 0000 [#1]").
 */
#define LC_BUG_OOPS_WINDOW 5

struct lc_strv {
	char **v;
	size_t n;
	size_t cap;
};

struct logcheck {
	unsigned int count[LC_NR_KINDS];
	unsigned int min[LC_NR_KINDS];
	unsigned int max[LC_NR_KINDS];
	/*
	 * The open window: reports counted when it opened (the last
	 * MR-EXPECT-DONE), and the minimum its MR-EXPECTs declared.
	 */
	unsigned int win_from[LC_NR_KINDS];
	unsigned int win_min[LC_NR_KINDS];
	/* MR-EXPECT-PANIC: what the expected panic's message must say. */
	char *panic_text;
	bool panic_text_seen;
	/* MR-EXPECT-LINE: text still to be seen in the log, in any order. */
	struct lc_strv lines;
	unsigned int begins;
	bool result_pass;
	bool result_fail;
	bool result_skip;
	bool finished;
	bool nomem;
	int verdict;
	/* Logical lines seen, and the one holding the last "kernel BUG at". */
	unsigned long lineno;
	unsigned long bug_at_line;
	bool bug_at_pending;
	struct lc_strv reasons;
	struct lc_strv baselines;
	char *buf;
	size_t bufsz;
};

static const char *const lc_names[LC_NR_KINDS] = {
	[LC_OOPS] = "oops",
	[LC_BUG] = "bug",
	[LC_WARNING] = "warning",
	[LC_SOFTLOCKUP] = "softlockup",
	[LC_HARDLOCKUP] = "hardlockup",
	[LC_HUNG] = "hung",
	[LC_RCUSTALL] = "rcustall",
	[LC_PANIC] = "panic",
};

const char *lc_kind_name(enum lc_kind kind)
{
	if (kind < 0 || kind >= LC_NR_KINDS)
		return NULL;
	return lc_names[kind];
}

enum lc_kind lc_kind_parse(const char *name, size_t len)
{
	int k;

	for (k = 0; k < LC_NR_KINDS; k++) {
		if (strlen(lc_names[k]) == len &&
		    !memcmp(lc_names[k], name, len))
			return (enum lc_kind)k;
	}
	return LC_NONE;
}

/* ---- classification of kernel reports ---- */

/*
 * The die header "STR: %04lx [#N]" that __die_header() prints, e.g.
 * "general protection fault, probably for non-canonical address 0x..: 0000
 * [#1] PREEMPT SMP NOPTI", "invalid opcode: 0000 [#1]", or arm64's
 * "Internal error: Oops: 0000000096000005 [#1] PREEMPT SMP".
 */
static const char *find_die_header(const char *s)
{
	const char *p;

	for (p = strstr(s, " [#"); p; p = strstr(p + 1, " [#")) {
		const char *q = p + 3;
		const char *h = p;

		if (!isdigit((unsigned char)*q))
			continue;
		while (isdigit((unsigned char)*q))
			q++;
		if (*q != ']')
			continue;
		/* At least one hex digit, preceded by ": ". */
		while (h > s && isxdigit((unsigned char)h[-1]))
			h--;
		if (h < p && h - s >= 2 && h[-2] == ':' && h[-1] == ' ')
			return h - 2;
	}
	return NULL;
}

/* The "BUG: " lines that introduce an oops rather than report a bug. */
static bool is_oops_prefix(const char *bug)
{
	static const char *const prefixes[] = {
		"BUG: kernel NULL pointer dereference",
		"BUG: unable to handle",
	};
	size_t i;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		if (!strncmp(bug, prefixes[i], strlen(prefixes[i])))
			return true;
	}
	/* "BUG: TASK stack guard page was hit at ...", then die(). */
	return strstr(bug, "stack guard page was hit") != NULL;
}

/*
 * "WARNING: " that starts a report: WARN()'s "WARNING: CPU: 0 PID: 1 at",
 * or lockdep's "WARNING: possible circular locking dependency detected" and
 * friends; but not a subsystem's "Spectre V2 : WARNING: Unprivileged eBPF".
 */
static const char *find_warning(const char *s)
{
	const char *p = s;

	while ((p = strstr(p, "WARNING: ")) != NULL) {
		if (!strncmp(p, "WARNING: CPU: ", 14))
			return p;
		if (p - s < 2 || p[-1] != ' ' || p[-2] != ':')
			return p;
		p += 9;
	}
	return NULL;
}

static const char *find_rcu_stall(const char *s)
{
	const char *p;

	p = strstr(s, "self-detected stall");
	if (!p)
		p = strstr(s, "detected stalls on CPUs/tasks");
	if (!p && strstr(s, "INFO: ")) {
		p = strstr(s, "detected stall");
		if (!p)
			p = strstr(s, "detected expedited stall");
	}
	return p;
}

/* BUG()'s "kernel BUG at FILE:LINE!", or "Kernel BUG at ADDR" without it. */
static const char *find_bug_at(const char *s)
{
	const char *p = strstr(s, "kernel BUG at");

	return p ? p : strstr(s, "Kernel BUG at");
}

enum lc_kind lc_classify(const char *s, const char **at)
{
	enum lc_kind kind = LC_NONE;
	const char *p;

	if ((p = strstr(s, "Kernel panic - not syncing")) != NULL) {
		/* "---[ end Kernel panic - not syncing: ... ]---" ends it. */
		if (p - s >= 9 && !strncmp(p - 9, "---[ end ", 9))
			p = NULL;
		else
			kind = LC_PANIC;
	} else if ((p = strstr(s, "BUG: soft lockup")) != NULL) {
		kind = LC_SOFTLOCKUP;
	} else if ((p = strstr(s, "hard LOCKUP")) != NULL) {
		kind = LC_HARDLOCKUP;
	} else if ((p = strstr(s, "INFO: task ")) != NULL &&
		   strstr(p, "blocked for more than")) {
		kind = LC_HUNG;
	} else if ((p = find_rcu_stall(s)) != NULL) {
		kind = LC_RCUSTALL;
	} else if ((p = find_bug_at(s)) != NULL) {
		kind = LC_BUG;
	} else if ((p = strstr(s, "Oops: ")) != NULL ||
		   (p = find_die_header(s)) != NULL) {
		kind = LC_OOPS;
	} else if ((p = strstr(s, "BUG: ")) != NULL) {
		if (is_oops_prefix(p))
			p = NULL;
		else
			kind = LC_BUG;
	} else if ((p = find_warning(s)) != NULL) {
		kind = LC_WARNING;
	}
	if (at)
		*at = kind == LC_NONE ? NULL : p;
	return kind;
}

/* ---- state ---- */

static bool strv_push(struct lc_strv *sv, char *s)
{
	if (sv->n == sv->cap) {
		size_t cap = sv->cap ? 2 * sv->cap : 8;
		char **v = realloc(sv->v, cap * sizeof(*v));

		if (!v)
			return false;
		sv->v = v;
		sv->cap = cap;
	}
	sv->v[sv->n++] = s;
	return true;
}

static void strv_free(struct lc_strv *sv)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
}

static char *dup_mem(const char *s, size_t len)
{
	char *d = malloc(len + 1);

	if (d) {
		memcpy(d, s, len);
		d[len] = '\0';
	}
	return d;
}

__attribute__((format(printf, 2, 3))) static void
add_reason(struct logcheck *lc, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		lc->nomem = true;
		return;
	}
	s = malloc((size_t)n + 1);
	if (!s) {
		lc->nomem = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	if (!strv_push(&lc->reasons, s)) {
		free(s);
		lc->nomem = true;
	}
}

struct logcheck *lc_new(void)
{
	return calloc(1, sizeof(struct logcheck));
}

void lc_free(struct logcheck *lc)
{
	if (!lc)
		return;
	strv_free(&lc->reasons);
	strv_free(&lc->baselines);
	strv_free(&lc->lines);
	free(lc->panic_text);
	free(lc->buf);
	free(lc);
}

/* S without leading and trailing blanks: *LEN bytes from the result. */
static const char *trim(const char *s, size_t *len)
{
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	*len = n;
	return s;
}

static void report(struct logcheck *lc, enum lc_kind kind, const char *line,
		   const char *at)
{
	const char *quote;
	size_t len;

	if (kind == LC_OOPS && lc->bug_at_pending &&
	    lc->lineno - lc->bug_at_line <= LC_BUG_OOPS_WINDOW) {
		lc->bug_at_pending = false;
		return;
	}
	if (kind == LC_BUG && find_bug_at(at) == at) {
		lc->bug_at_pending = true;
		lc->bug_at_line = lc->lineno;
	}
	lc->count[kind]++;
	quote = trim(line, &len);
	if (kind == LC_PANIC && lc->panic_text) {
		if (strstr(at, lc->panic_text)) {
			lc->panic_text_seen = true;
		} else {
			add_reason(
				lc, "a panic saying something else: \"%.*s\"",
				(int)(len > LC_QUOTE_MAX ? LC_QUOTE_MAX : len),
				quote);
			return;
		}
	}
	if (lc->count[kind] <= lc->max[kind])
		return;
	if (len > LC_QUOTE_MAX)
		add_reason(lc, "unexpected %s: \"%.*s...\" (declared %u)",
			   lc_names[kind], LC_QUOTE_MAX, quote, lc->max[kind]);
	else
		add_reason(lc, "unexpected %s: \"%.*s\" (declared %u)",
			   lc_names[kind], (int)len, quote, lc->max[kind]);
}

/* ---- guest markers ---- */

enum marker {
	MK_NONE,
	MK_BEGIN,
	MK_EXPECT,
	MK_EXPECT_DONE,
	MK_EXPECT_PANIC,
	MK_EXPECT_LINE,
	MK_FAIL,
	MK_RESULT,
	MK_BASELINE,
};

static const struct {
	const char *prefix;
	enum marker type;
} markers[] = {
	{ .prefix = "MR-BEGIN", .type = MK_BEGIN },
	{ .prefix = "MR-EXPECT ", .type = MK_EXPECT },
	{ .prefix = "MR-EXPECT-DONE", .type = MK_EXPECT_DONE },
	{ .prefix = "MR-EXPECT-PANIC ", .type = MK_EXPECT_PANIC },
	{ .prefix = "MR-EXPECT-LINE ", .type = MK_EXPECT_LINE },
	{ .prefix = "MR-FAIL:", .type = MK_FAIL },
	{ .prefix = "MR-RESULT ", .type = MK_RESULT },
	{ .prefix = "MR-BASELINE ", .type = MK_BASELINE },
};

/* The first marker in S: its type, and in *AT where it starts. */
static enum marker find_marker(const char *s, const char **at,
			       const char **payload)
{
	const char *p = s;
	size_t i;

	while ((p = strstr(p, "MR-")) != NULL) {
		for (i = 0; i < sizeof(markers) / sizeof(markers[0]); i++) {
			size_t n = strlen(markers[i].prefix);

			if (strncmp(p, markers[i].prefix, n))
				continue;
			/* "MR-BEGIN" alone, or followed by a blank. */
			if (markers[i].type == MK_BEGIN && p[n] &&
			    !isspace((unsigned char)p[n]))
				continue;
			*at = p;
			*payload = p + n;
			return markers[i].type;
		}
		p += 3;
	}
	return MK_NONE;
}

static bool parse_count(const char **sp, unsigned int *val)
{
	const char *s = *sp;
	unsigned long v = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!isdigit((unsigned char)*s))
		return false;
	while (isdigit((unsigned char)*s)) {
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > LC_MAX_EXPECT)
			return false;
		s++;
	}
	*val = (unsigned int)v;
	*sp = s;
	return true;
}

/* "KIND MIN MAX", e.g. "oops 1 1". */
static void expect(struct logcheck *lc, const char *payload)
{
	const char *s = payload, *name;
	unsigned int min, max;
	enum lc_kind kind;
	size_t len;

	while (*s == ' ' || *s == '\t')
		s++;
	name = s;
	while (islower((unsigned char)*s))
		s++;
	kind = lc_kind_parse(name, (size_t)(s - name));
	if (kind == LC_NONE || !parse_count(&s, &min) ||
	    !parse_count(&s, &max) || min > max) {
		payload = trim(payload, &len);
		add_reason(lc, "bad expectation: \"MR-EXPECT %.*s\"", (int)len,
			   payload);
		return;
	}
	lc->min[kind] += min;
	lc->max[kind] += max;
	lc->win_min[kind] += min;
}

/*
 * Close the window: each kind's reports since it opened must reach the
 * minimum declared in it, and what was allowed but not used ends here, so
 * that a later step cannot spend it.
 */
static void close_window(struct logcheck *lc, const char *where)
{
	int k;

	for (k = 0; k < LC_NR_KINDS; k++) {
		unsigned int seen = lc->count[k] - lc->win_from[k];

		if (seen < lc->win_min[k])
			add_reason(lc, "expected at least %u %s%s, saw %u",
				   lc->win_min[k], lc_names[k], where, seen);
		if (lc->max[k] > lc->count[k])
			lc->max[k] = lc->count[k];
		lc->win_from[k] = lc->count[k];
		lc->win_min[k] = 0;
	}
}

static void marker(struct logcheck *lc, enum marker type, const char *payload)
{
	const char *text;
	size_t len;

	text = trim(payload, &len);
	switch (type) {
	case MK_BEGIN:
		if (++lc->begins == 2)
			add_reason(lc, "the guest started twice (rebooted?)");
		break;
	case MK_EXPECT:
		expect(lc, payload);
		break;
	case MK_EXPECT_DONE:
		close_window(lc, " before MR-EXPECT-DONE");
		break;
	case MK_EXPECT_PANIC:
		free(lc->panic_text);
		lc->panic_text = dup_mem(text, len);
		lc->panic_text_seen = false;
		if (!lc->panic_text)
			lc->nomem = true;
		break;
	case MK_EXPECT_LINE: {
		char *d = dup_mem(text, len);

		if (!d || !strv_push(&lc->lines, d)) {
			free(d);
			lc->nomem = true;
		}
		break;
	}
	case MK_FAIL:
		add_reason(lc, "assertion failed: %.*s", (int)len, text);
		break;
	case MK_RESULT:
		if (!strncmp(text, "PASS", 4))
			lc->result_pass = true;
		else if (!strncmp(text, "SKIP", 4))
			lc->result_skip = true;
		else if (!strncmp(text, "FAIL", 4))
			lc->result_fail = true;
		else
			add_reason(lc, "bad result: \"MR-RESULT %.*s\"",
				   (int)len, text);
		break;
	case MK_BASELINE: {
		char *d = dup_mem(text, len);

		if (!d || !strv_push(&lc->baselines, d)) {
			free(d);
			lc->nomem = true;
		}
		break;
	}
	case MK_NONE:
		break;
	}
}

/* Strike off the expected lines that S says (MR-EXPECT-LINE before it). */
static void strike_expected(struct logcheck *lc, const char *s)
{
	size_t i = 0;

	while (i < lc->lines.n) {
		if (strstr(s, lc->lines.v[i])) {
			free(lc->lines.v[i]);
			lc->lines.v[i] = lc->lines.v[--lc->lines.n];
		} else {
			i++;
		}
	}
}

/* One logical line: guest output, a kernel message, or both glued. */
static void feed_logical(struct logcheck *lc, const char *s)
{
	const char *kat, *mat = NULL, *payload = NULL;
	enum lc_kind kind;
	enum marker type;

	lc->lineno++;
	strike_expected(lc, s);
	kind = lc_classify(s, &kat);
	type = find_marker(s, &mat, &payload);
	/* The text a line must hold is not a report: "MR-EXPECT-LINE Oops". */
	if (type == MK_EXPECT_LINE && kind != LC_NONE && mat < kat)
		kind = LC_NONE;
	/* Both on one line: take them in the order they were printed. */
	if (type != MK_NONE && (kind == LC_NONE || mat < kat))
		marker(lc, type, payload);
	if (kind != LC_NONE)
		report(lc, kind, s, kat);
	if (type != MK_NONE && kind != LC_NONE && mat >= kat)
		marker(lc, type, payload);
}

/*
 * Length of the printk prefix at S: "[%5lu.%06lu]", then "[%6s]" when
 * CONFIG_PRINTK_CALLER is set, then one blank; 0 if there is none.
 */
static size_t timestamp_len(const char *s)
{
	const char *p = s;
	int frac = 0;

	if (*p++ != '[')
		return 0;
	while (*p == ' ')
		p++;
	if (!isdigit((unsigned char)*p))
		return 0;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p++ != '.')
		return 0;
	while (isdigit((unsigned char)*p)) {
		p++;
		frac++;
	}
	if (frac != 6 || *p++ != ']')
		return 0;
	if (p[0] == '[') {
		const char *q = p + 1;

		while (*q == ' ')
			q++;
		if ((*q == 'T' || *q == 'C') && isdigit((unsigned char)q[1])) {
			q++;
			while (isdigit((unsigned char)*q))
				q++;
			if (*q == ']')
				p = q + 1;
		}
	}
	if (*p == ' ')
		p++;
	return (size_t)(p - s);
}

void lc_feed_line(struct logcheck *lc, const char *line, size_t len)
{
	char *s, *p;
	size_t i;

	if (lc->finished)
		return;
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (len + 1 > lc->bufsz) {
		char *b = realloc(lc->buf, len + 1);

		if (!b) {
			lc->nomem = true;
			return;
		}
		lc->buf = b;
		lc->bufsz = len + 1;
	}
	for (i = 0; i < len; i++)
		lc->buf[i] = line[i] ? line[i] : ' ';
	lc->buf[len] = '\0';

	s = lc->buf + timestamp_len(lc->buf);
	for (p = strchr(s, '['); p; p = strchr(p + 1, '[')) {
		size_t n = timestamp_len(p);
		if (!n)
			continue;
		*p = '\0';
		feed_logical(lc, s);
		s = p + n;
		p = s - 1;
	}
	feed_logical(lc, s);
}

void lc_feed_text(struct logcheck *lc, const char *text, size_t len)
{
	const char *end = text + len;

	while (text < end) {
		const char *nl = memchr(text, '\n', (size_t)(end - text));
		size_t n = nl ? (size_t)(nl - text) + 1 : (size_t)(end - text);

		lc_feed_line(lc, text, n);
		text += n;
	}
}

int lc_feed_file(struct logcheck *lc, FILE *fp)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int ret = 0;

	errno = 0;
	while ((n = getline(&line, &cap, fp)) >= 0)
		lc_feed_line(lc, line, (size_t)n);
	if (ferror(fp)) {
		ret = -1;
	} else if (errno == ENOMEM) {
		lc->nomem = true;
	}
	free(line);
	return ret;
}

int lc_finish(struct logcheck *lc)
{
	static const char no_begin[] =
		"no MR-BEGIN: the guest never started the scenario";
	static const char no_result[] =
		"no result: the guest never finished (crash or timeout)";
	bool panic_end;
	size_t i;

	if (lc->finished)
		return lc->verdict;
	lc->finished = true;
	/* A panic ends the scenario: no MR-RESULT, if it was the one expected. */
	panic_end = lc->min[LC_PANIC] && lc->count[LC_PANIC];
	if (!lc->begins)
		add_reason(lc, "%s", no_begin);
	else if (!lc->result_pass && !lc->result_fail && !lc->result_skip &&
		 !panic_end)
		add_reason(lc, "%s", no_result);
	if (lc->result_fail)
		add_reason(lc, "the guest reported MR-RESULT FAIL");
	close_window(lc, "");
	if (lc->panic_text && !lc->panic_text_seen)
		add_reason(lc, "expected a panic saying \"%s\", saw none",
			   lc->panic_text);
	for (i = 0; i < lc->lines.n; i++)
		add_reason(lc, "expected a line saying \"%s\", saw none",
			   lc->lines.v[i]);
	if (lc->nomem)
		lc->verdict = LC_NOMEM;
	else if (lc->reasons.n)
		lc->verdict = LC_FAIL;
	else
		lc->verdict = lc->result_skip ? LC_SKIP : LC_PASS;
	return lc->verdict;
}

size_t lc_nr_reasons(const struct logcheck *lc)
{
	return lc->reasons.n;
}

const char *lc_reason(const struct logcheck *lc, size_t i)
{
	return i < lc->reasons.n ? lc->reasons.v[i] : NULL;
}

size_t lc_nr_baselines(const struct logcheck *lc)
{
	return lc->baselines.n;
}

const char *lc_baseline(const struct logcheck *lc, size_t i)
{
	return i < lc->baselines.n ? lc->baselines.v[i] : NULL;
}

static bool valid_kind(enum lc_kind kind)
{
	return kind >= 0 && kind < LC_NR_KINDS;
}

unsigned int lc_count(const struct logcheck *lc, enum lc_kind kind)
{
	return valid_kind(kind) ? lc->count[kind] : 0;
}

unsigned int lc_min(const struct logcheck *lc, enum lc_kind kind)
{
	return valid_kind(kind) ? lc->min[kind] : 0;
}

unsigned int lc_max(const struct logcheck *lc, enum lc_kind kind)
{
	return valid_kind(kind) ? lc->max[kind] : 0;
}
