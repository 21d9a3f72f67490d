// SPDX-License-Identifier: GPL-2.0
#include "prom.h"

#include <inttypes.h>
#include <string.h>

bool mr_prom_verdict_stuck(enum mr_verdict v)
{
	return v == MR_VERDICT_QUARANTINED || v == MR_VERDICT_BLOCKED ||
	       v == MR_VERDICT_GOING || v == MR_VERDICT_COMING;
}

/* The length of the UTF-8 sequence at S, or 0 when it is not one. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	/* No overlong forms, no surrogates, nothing past U+10FFFF. */
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

void mr_prom_label_value(FILE *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	while (*s) {
		size_t n = utf8_len(s);

		if (*s == '\\' || *s == '"') {
			fputc('\\', out);
			fputc(*s, out);
		} else if (*s == '\n') {
			fputs("\\n", out);
		} else if (!n || *s < 0x20 || *s == 0x7f) {
			fputc('?', out);
			n = 1;
		} else {
			fwrite(s, 1, n, out);
		}
		s += n ? n : 1;
	}
}

static void header(FILE *out, const char *name, const char *type,
		   const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* One label, name="value", with a comma before it unless FIRST. */
static void label(FILE *out, bool first, const char *name, const char *value)
{
	fprintf(out, "%s%s=\"", first ? "" : ",", name);
	mr_prom_label_value(out, value);
	fputc('"', out);
}

static void modules(FILE *out, const struct mr_diag *d)
{
	size_t i, stuck = 0, quarantined = 0;

	header(out, "modrescue_module_stuck", "gauge",
	       "1 for a module whose verdict is quarantined, blocked, going or coming (modrescue why MODULE says why).");
	for (i = 0; i < d->n_mods; i++) {
		const struct mr_module *m = &d->mods[i];

		if (m->quarantined || m->verdict == MR_VERDICT_QUARANTINED)
			quarantined++;
		if (!mr_prom_verdict_stuck(m->verdict))
			continue;
		stuck++;
		fputs("modrescue_module_stuck{", out);
		label(out, true, "module", m->name);
		label(out, false, "verdict", mr_verdict_name(m->verdict));
		fputs("} 1\n", out);
	}
	header(out, "modrescue_stuck_modules", "gauge",
	       "Modules whose verdict is quarantined, blocked, going or coming.");
	fprintf(out, "modrescue_stuck_modules %zu\n", stuck);
	header(out, "modrescue_quarantined_modules", "gauge",
	       "Modules renamed NAME.qN by modrescue's quarantine, their memory kept for a task stuck in them.");
	fprintf(out, "modrescue_quarantined_modules %zu\n", quarantined);
}

/*
 * Is this task of M blocked: stuck in its init or exit, in D state in its
 * code, or parked there for good by a contained panic?
 */
static bool task_blocked(const struct mr_diag *d, const struct mr_task_ref *r)
{
	const struct mr_task *t = &d->tasks[r->task];

	return t->age_s >= 0 &&
	       (r->stuck || r->parked || (r->in_code && t->state == 'D'));
}

static void tasks(FILE *out, const struct mr_diag *d)
{
	char pid[16];
	size_t i, k;

	header(out, "modrescue_task_blocked_seconds", "gauge",
	       "Age in seconds of a task stuck in a module's init or exit (op load or unload), or in D state or parked by a contained panic in its code (op other).");
	for (i = 0; i < d->n_mods; i++) {
		const struct mr_module *m = &d->mods[i];

		for (k = 0; k < m->n_tasks; k++) {
			const struct mr_task *t = &d->tasks[m->tasks[k].task];

			if (!task_blocked(d, &m->tasks[k]))
				continue;
			snprintf(pid, sizeof(pid), "%d", t->pid);
			fputs("modrescue_task_blocked_seconds{", out);
			label(out, true, "module", m->name);
			label(out, false, "pid", pid);
			label(out, false, "comm", t->comm);
			label(out, false, "op", mr_op_name(m->tasks[k].op));
			fprintf(out, "} %ld\n", t->age_s);
		}
	}
	header(out, "modrescue_tasks_visible", "gauge",
	       "1 when every task's stack could be read; 0 when not (not root), so stuck tasks may be missing.");
	fprintf(out, "modrescue_tasks_visible %d\n", d->tasks_denied ? 0 : 1);
}

static void locks(FILE *out, const struct mr_diag *d,
		  const struct mr_lock_snapshot *s)
{
	const struct mr_held_lock *prev = NULL;
	char id[24], pid[16];
	size_t i;

	header(out, "modrescue_lockwatch_enabled", "gauge",
	       "1 when lockwatch tracks spinlock owners, 0 when off; no sample when it could not be asked (not root).");
	if (d->lockwatch != MR_LOCKWATCH_UNASKED)
		fprintf(out, "modrescue_lockwatch_enabled %d\n",
			d->lockwatch == MR_LOCKWATCH_ON ? 1 : 0);
	header(out, "modrescue_lock_held_seconds", "gauge",
	       "With lockwatch on: seconds a spinlock held for at least 1 s has been held, by its owner.");
	if (d->lockwatch != MR_LOCKWATCH_ON || !s)
		return;
	for (i = 0; i < s->n_locks; i++) {
		const struct mr_held_lock *l = &s->locks[i];

		if (l->held_ns < MR_PROM_MIN_HELD_NS)
			continue;
		/* One sample per lock and owner: the series must be unique. */
		if (prev && prev->addr == l->addr &&
		    prev->owner.task.pid == l->owner.task.pid)
			continue;
		prev = l;
		snprintf(id, sizeof(id), "0x%" PRIx64, l->addr);
		snprintf(pid, sizeof(pid), "%d", l->owner.task.pid);
		fputs("modrescue_lock_held_seconds{", out);
		label(out, true, "lock", id);
		label(out, false, "symbol", l->symbol ? l->symbol : "");
		label(out, false, "owner_pid", pid);
		label(out, false, "owner_comm", l->owner.task.comm);
		fprintf(out, "} %" PRIu64 ".%03" PRIu64 "\n",
			(uint64_t)(l->held_ns / 1000000000ULL),
			(uint64_t)(l->held_ns % 1000000000ULL / 1000000ULL));
	}
}

/* Where lockwatch cannot see: a lock taken there has no known holder. */
static void lockwatch_blind(FILE *out, const struct mr_prom_facts *f)
{
	header(out, "modrescue_lockwatch_unrecorded_total", "counter",
	       "With lockwatch on: lock events not recorded since it was armed, because a CPU's table was full (reason table_full) or for another reason (reason other); no lock taken before the last one is released.");
	if (f->lockwatch_counts_known) {
		fprintf(out,
			"modrescue_lockwatch_unrecorded_total{reason=\"table_full\"} %" PRIu64
			"\n",
			f->lockwatch_full);
		fprintf(out,
			"modrescue_lockwatch_unrecorded_total{reason=\"other\"} %" PRIu64
			"\n",
			f->lockwatch_dropped);
	}
	header(out, "modrescue_lockwatch_reclaimed_total", "counter",
	       "With lockwatch on: stale entries a full table dropped to make room since it was armed.");
	if (f->lockwatch_counts_known)
		fprintf(out,
			"modrescue_lockwatch_reclaimed_total %" PRIu64 "\n",
			f->lockwatch_reclaimed);
	header(out, "modrescue_lockwatch_tables_full", "gauge",
	       "With lockwatch on: per-CPU, per-context tables that are full now, so that their next lock goes unrecorded.");
	if (f->lockwatch_counts_known)
		fprintf(out, "modrescue_lockwatch_tables_full %u\n",
			f->lockwatch_full_tables);
	header(out, "modrescue_lockwatch_shared", "gauge",
	       "With lockwatch on: 1 when another ftrace user shares a hooked function, so lock calls can go unseen and no holder is trusted.");
	if (f->lockwatch_counts_known)
		fprintf(out, "modrescue_lockwatch_shared %d\n",
			f->lockwatch_shared ? 1 : 0);
}

int mr_prom_write(FILE *out, const struct mr_diag *d,
		  const struct mr_prom_facts *f)
{
	modules(out, d);
	tasks(out, d);
	locks(out, d, f->locks);
	header(out, "modrescue_contained_total", "counter",
	       "Oopsing tasks whose spinlocks modrescue contain handled (kind oops), and panics it contained (kind panic), since the helper was loaded; no sample when it could not be asked (not root).");
	if (f->contain_known) {
		fprintf(out,
			"modrescue_contained_total{kind=\"oops\"} %" PRIu64
			"\n",
			f->contained_oops);
		fprintf(out,
			"modrescue_contained_total{kind=\"panic\"} %" PRIu64
			"\n",
			f->contained_panics);
	}
	header(out, "modrescue_kernel_taint_forced_rmmod", "gauge",
	       "1 when the kernel carries taint R (forced module removal, bit 3), as modrescue's forced steps leave it.");
	if (f->tainted >= 0)
		fprintf(out, "modrescue_kernel_taint_forced_rmmod %d\n",
			(f->tainted & (1LL << 3)) ? 1 : 0);
	lockwatch_blind(out, f);
	fflush(out);
	return ferror(out) ? -1 : 0;
}
