// SPDX-License-Identifier: GPL-2.0
#include "lockrender.h"

#include <ctype.h>
#include <inttypes.h>
#include <string.h>

/* ---- JSON ---- */

static struct json_object *address_json(uint64_t addr)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%" PRIx64, addr);
	return json_object_new_string(buf);
}

/* json_object_object_add takes the value even on failure. */
static int add(struct json_object *obj, const char *key,
	       struct json_object *val)
{
	return json_object_object_add(obj, key, val);
}

/* Add VAL to ARR; on failure drop VAL and say so. */
static int append(struct json_object *arr, struct json_object *val)
{
	if (!val || json_object_array_add(arr, val)) {
		json_object_put(val);
		return -1;
	}
	return 0;
}

/* PID, comm and CPU of T into O. */
static int add_task(struct json_object *o, const struct mr_lock_task *t)
{
	return add(o, "pid", json_object_new_int(t->pid)) ||
	       add(o, "comm", json_object_new_string(t->comm)) ||
	       add(o, "cpu", json_object_new_int(t->cpu));
}

static struct json_object *owner_json(const struct mr_lock_owner *ow)
{
	struct json_object *o = json_object_new_object();

	if (!o || add_task(o, &ow->task) ||
	    add(o, "context",
		json_object_new_string(mr_lock_context_name(ow->context))) ||
	    add(o, "alive", json_object_new_boolean(ow->alive)) ||
	    add(o, "oopsed", json_object_new_boolean(ow->oopsed))) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static struct json_object *waiter_json(const struct mr_lock_waiter *w)
{
	struct json_object *o = json_object_new_object();

	if (!o || add_task(o, &w->task) ||
	    add(o, "waiting_ns", json_object_new_uint64(w->waiting_ns)) ||
	    (w->sleeping &&
	     add(o, "sleeping", json_object_new_boolean(true)))) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static struct json_object *waiters_json(const struct mr_lock_snapshot *s,
					uint64_t lock)
{
	struct json_object *arr = json_object_new_array();
	const struct mr_lock_waiter *first;
	size_t i, n = mr_lock_waiters_of(s, lock, &first);

	for (i = 0; arr && i < n; i++) {
		if (append(arr, waiter_json(&first[i]))) {
			json_object_put(arr);
			return NULL;
		}
	}
	return arr;
}

static struct json_object *lock_json(const struct mr_lock_snapshot *s,
				     const struct mr_held_lock *l)
{
	struct json_object *o = json_object_new_object(), *owner, *waiters;

	if (!o)
		return NULL;
	owner = owner_json(&l->owner);
	waiters = waiters_json(s, l->addr);
	if (add(o, "lock", address_json(l->addr)) ||
	    add(o, "symbol",
		l->symbol ? json_object_new_string(l->symbol) : NULL) ||
	    !owner || add(o, "owner", owner) ||
	    add(o, "acquired_at", json_object_new_string(l->acquired_at)) ||
	    add(o, "held_ns", json_object_new_uint64(l->held_ns)) ||
	    (l->sleeping &&
	     add(o, "sleeping", json_object_new_boolean(true))) ||
	    !waiters || add(o, "waiters", waiters)) {
		/* Whichever of OWNER and WAITERS O did not take yet. */
		if (!json_object_object_get(o, "owner"))
			json_object_put(owner);
		if (!json_object_object_get(o, "waiters"))
			json_object_put(waiters);
		json_object_put(o);
		return NULL;
	}
	return o;
}

static struct json_object *step_json(const struct mr_lock_cycle_step *st)
{
	struct json_object *o = json_object_new_object();

	if (!o || add(o, "pid", json_object_new_int(st->task.pid)) ||
	    add(o, "comm", json_object_new_string(st->task.comm)) ||
	    add(o, "holds", address_json(st->holds)) ||
	    add(o, "waits_for", address_json(st->waits_for))) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static struct json_object *cycle_json(const struct mr_lock_cycle *c)
{
	struct json_object *arr = json_object_new_array();
	size_t i;

	for (i = 0; arr && i < c->n_steps; i++) {
		if (append(arr, step_json(&c->steps[i]))) {
			json_object_put(arr);
			return NULL;
		}
	}
	return arr;
}

static struct json_object *lockwatch_json(const struct mr_lock_snapshot *s)
{
	struct json_object *o = json_object_new_object();

	if (!o || add(o, "on", json_object_new_boolean(s->on)) ||
	    add(o, "missed", json_object_new_uint64(s->missed))) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* The "locks" and "cycles" arrays into O, which already has them. */
static int fill_arrays(struct json_object *locks, struct json_object *cycles,
		       const struct mr_lock_snapshot *s,
		       const struct mr_lock_filter *f,
		       const struct mr_lock_cycles *c)
{
	size_t i;

	for (i = 0; i < s->n_locks; i++)
		if (mr_lock_listed(s, &s->locks[i], f) &&
		    append(locks, lock_json(s, &s->locks[i])))
			return -1;
	for (i = 0; i < c->n_cycles; i++)
		if (append(cycles, cycle_json(&c->cycles[i])))
			return -1;
	return 0;
}

struct json_object *mr_locks_json(const struct mr_lock_snapshot *s,
				  const struct mr_lock_filter *f,
				  const struct mr_lock_cycles *c)
{
	struct json_object *o = json_object_new_object();
	struct json_object *locks = json_object_new_array();
	struct json_object *cycles = json_object_new_array();

	if (!o || add(o, "lockwatch", lockwatch_json(s)) ||
	    !json_object_object_get(o, "lockwatch") || !locks ||
	    add(o, "locks", json_object_get(locks)) || !cycles ||
	    add(o, "cycles", json_object_get(cycles)) ||
	    add(o, "cycles_truncated", json_object_new_boolean(c->truncated)) ||
	    fill_arrays(locks, cycles, s, f, c)) {
		json_object_put(locks);
		json_object_put(cycles);
		json_object_put(o);
		return NULL;
	}
	json_object_put(locks);
	json_object_put(cycles);
	return o;
}

/* ---- text ---- */

void mr_lock_duration_text(uint64_t ns, char *buf, size_t len)
{
	const uint64_t us = 1000, ms = 1000 * us, sec = 1000 * ms;
	const uint64_t min = 60 * sec, hour = 60 * min;

	if (ns < us)
		snprintf(buf, len, "%" PRIu64 " ns", ns);
	else if (ns < ms)
		snprintf(buf, len, "%" PRIu64 ".%" PRIu64 " us", ns / us,
			 ns % us / (us / 10));
	else if (ns < sec)
		snprintf(buf, len, "%" PRIu64 ".%" PRIu64 " ms", ns / ms,
			 ns % ms / (ms / 10));
	else if (ns < min)
		snprintf(buf, len, "%" PRIu64 ".%" PRIu64 " s", ns / sec,
			 ns % sec / (sec / 10));
	else if (ns < hour)
		snprintf(buf, len, "%" PRIu64 "m%02" PRIu64 "s", ns / min,
			 ns % min / sec);
	else
		snprintf(buf, len, "%" PRIu64 "h%02" PRIu64 "m", ns / hour,
			 ns % hour / min);
}

/* Copy S into BUF with control characters made visible as '?'. */
static const char *clean(const char *s, char *buf, size_t len)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < len; i++)
		buf[i] = iscntrl((unsigned char)s[i]) ? '?' : s[i];
	buf[i] = '\0';
	return buf;
}

enum lock_column {
	COL_LOCK,
	COL_SYMBOL,
	COL_OWNER,
	COL_SITE,
	COL_HELD,
	COL_WAITERS,
	COL_COUNT,
};

static const char *const column_title[COL_COUNT] = {
	"LOCK", "SYMBOL", "OWNER", "ACQUIRED AT", "HELD FOR", "WAITERS",
};

#define CELL_LEN 256

/* "412 hp_kthread cpu1 task", marked when its owner is gone. */
static void owner_cell(const struct mr_lock_owner *o, char *buf, size_t len)
{
	char comm[MR_LOCK_COMM_LEN];

	snprintf(buf, len, "%d %s cpu%d %s%s%s", o->task.pid,
		 clean(o->task.comm, comm, sizeof(comm)), o->task.cpu,
		 mr_lock_context_name(o->context), o->oopsed ? " (oopsed)" : "",
		 o->alive ? "" : " (dead)");
}

/* "413 insmod cpu2 1.2 s, …, +N more", or "-". */
static void waiters_cell(const struct mr_lock_snapshot *s, uint64_t lock,
			 char *buf, size_t len)
{
	const struct mr_lock_waiter *first;
	size_t i, n = mr_lock_waiters_of(s, lock, &first), used;
	char comm[MR_LOCK_COMM_LEN], waited[24];

	snprintf(buf, len, "-");
	for (i = 0; i < n && i < MR_LOCK_TEXT_WAITERS; i++) {
		used = i ? strlen(buf) : 0;
		mr_lock_duration_text(first[i].waiting_ns, waited,
				      sizeof(waited));
		snprintf(buf + used, len - used, "%s%d %s cpu%d %s",
			 i ? ", " : "", first[i].task.pid,
			 clean(first[i].task.comm, comm, sizeof(comm)),
			 first[i].task.cpu, waited);
	}
	if (n > MR_LOCK_TEXT_WAITERS) {
		used = strlen(buf);
		snprintf(buf + used, len - used, ", +%zu more",
			 n - MR_LOCK_TEXT_WAITERS);
	}
}

static void lock_cell(const struct mr_lock_snapshot *s,
		      const struct mr_held_lock *l, enum lock_column col,
		      char *buf, size_t len)
{
	switch (col) {
	case COL_LOCK:
		snprintf(buf, len, "0x%" PRIx64, l->addr);
		break;
	case COL_SYMBOL:
		clean(l->symbol ? l->symbol : "-", buf, len);
		break;
	case COL_OWNER:
		owner_cell(&l->owner, buf, len);
		if (l->sleeping && strlen(buf) + 1 < len)
			snprintf(buf + strlen(buf), len - strlen(buf),
				 " (sleeping lock)");
		break;
	case COL_SITE:
		clean(l->acquired_at[0] ? l->acquired_at : "?", buf, len);
		break;
	case COL_HELD:
		mr_lock_duration_text(l->held_ns, buf, len);
		break;
	default:
		waiters_cell(s, l->addr, buf, len);
		break;
	}
}

/* Each column as wide as its widest listed cell; returns the rows listed. */
static size_t column_widths(const struct mr_lock_snapshot *s,
			    const struct mr_lock_filter *f,
			    int width[COL_COUNT])
{
	char cell[CELL_LEN];
	size_t i, rows = 0;
	int col, n;

	for (col = 0; col < COL_COUNT; col++)
		width[col] = (int)strlen(column_title[col]);
	for (i = 0; i < s->n_locks; i++) {
		if (!mr_lock_listed(s, &s->locks[i], f))
			continue;
		rows++;
		/* The last column is not padded. */
		for (col = 0; col < COL_WAITERS; col++) {
			lock_cell(s, &s->locks[i], col, cell, sizeof(cell));
			n = (int)strlen(cell);
			if (n > width[col])
				width[col] = n;
		}
	}
	return rows;
}

static void print_row(FILE *out, const char *const cells[COL_COUNT],
		      const int width[COL_COUNT])
{
	int col;

	for (col = 0; col < COL_WAITERS; col++)
		fprintf(out, "%-*s  ", width[col], cells[col]);
	fprintf(out, "%s\n", cells[COL_WAITERS]);
}

static void print_lock_row(FILE *out, const struct mr_lock_snapshot *s,
			   const struct mr_held_lock *l,
			   const int width[COL_COUNT])
{
	char cells[COL_COUNT][CELL_LEN];
	const char *ptrs[COL_COUNT];
	int col;

	for (col = 0; col < COL_COUNT; col++) {
		lock_cell(s, l, col, cells[col], sizeof(cells[col]));
		ptrs[col] = cells[col];
	}
	print_row(out, ptrs, width);
}

static void print_lockwatch_line(FILE *out, const struct mr_lock_snapshot *s)
{
	fprintf(out, "lockwatch: %s, %" PRIu64 " missed event%s%s\n",
		s->on ? "on" : "off", s->missed, s->missed == 1 ? "" : "s",
		s->missed ? " (a lock or a waiter may be missing below)" : "");
}

static void print_nothing_listed(FILE *out, const struct mr_lock_snapshot *s,
				 const struct mr_lock_filter *f)
{
	char held[24];

	if (f->all || !s->n_locks) {
		fprintf(out, "no lock held\n");
		return;
	}
	mr_lock_duration_text(f->min_held_ns, held, sizeof(held));
	fprintf(out,
		"no lock held for %s or more, or waited for (--all lists the %zu held)\n",
		held, s->n_locks);
}

static void print_cycle(FILE *out, size_t nr, const struct mr_lock_cycle *c)
{
	char comm[MR_LOCK_COMM_LEN];
	size_t i;

	fprintf(out, "  cycle %zu:", nr);
	for (i = 0; i < c->n_steps; i++) {
		const struct mr_lock_cycle_step *st = &c->steps[i];

		fprintf(out,
			" %d %s holds 0x%" PRIx64 ", waits for 0x%" PRIx64
			" ->",
			st->task.pid, clean(st->task.comm, comm, sizeof(comm)),
			st->holds, st->waits_for);
	}
	fprintf(out, " %d\n", c->n_steps ? c->steps[0].task.pid : 0);
}

static void print_cycles(FILE *out, const struct mr_lock_cycles *c)
{
	size_t i;

	if (!c->n_cycles) {
		if (c->truncated)
			fprintf(out,
				"no deadlock found, but the cycle search stopped at its bound: one may be missed\n");
		return;
	}
	fprintf(out, "deadlock: %zu cycle%s in the wait-for graph\n",
		c->n_cycles, c->n_cycles == 1 ? "" : "s");
	for (i = 0; i < c->n_cycles; i++)
		print_cycle(out, i + 1, &c->cycles[i]);
	if (c->truncated)
		fprintf(out,
			"  (the search stopped at its bound: more cycles may exist)\n");
}

/* The header and one row per listed lock, or a line saying none is. */
static void print_table(FILE *out, const struct mr_lock_snapshot *s,
			const struct mr_lock_filter *f)
{
	int width[COL_COUNT];
	size_t i;

	if (!column_widths(s, f, width)) {
		print_nothing_listed(out, s, f);
		return;
	}
	print_row(out, column_title, width);
	for (i = 0; i < s->n_locks; i++)
		if (mr_lock_listed(s, &s->locks[i], f))
			print_lock_row(out, s, &s->locks[i], width);
}

void mr_locks_text(FILE *out, const struct mr_lock_snapshot *s,
		   const struct mr_lock_filter *f,
		   const struct mr_lock_cycles *c)
{
	print_lockwatch_line(out, s);
	print_table(out, s, f);
	print_cycles(out, c);
}
