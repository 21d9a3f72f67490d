// SPDX-License-Identifier: GPL-2.0
#include "lockpick.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "0x" followed by hex digits only, fitting 64 bits. */
static bool parse_id(const char *arg, uint64_t *id)
{
	size_t n = strlen(arg);
	char *end;

	if (n < 3 || n > 18 || arg[0] != '0' ||
	    (arg[1] != 'x' && arg[1] != 'X'))
		return false;
	*id = strtoull(arg + 2, &end, 16);
	return *end == '\0' && arg[2] != '-' && arg[2] != '+';
}

/* Does SYM ("name [mod]", "name") match ARG, whole or up to " ["? */
static bool symbol_matches(const char *sym, const char *arg)
{
	size_t n = strlen(arg);

	if (!sym)
		return false;
	if (!strcmp(sym, arg))
		return true;
	return !strncmp(sym, arg, n) && !strncmp(sym + n, " [", 2);
}

int mr_lock_pick(const struct mr_lock_snapshot *s, const char *arg,
		 uint64_t *id, size_t *n)
{
	size_t i;

	*n = 0;
	if (!arg || !*arg)
		return -EINVAL;
	if (parse_id(arg, id)) {
		*n = 1;
		return 0;
	}
	for (i = 0; s && i < s->n_locks; i++) {
		const struct mr_held_lock *l = &s->locks[i];

		if (!symbol_matches(l->symbol, arg))
			continue;
		/* One lock has one id, however many entries name it. */
		if (*n && *id == l->addr)
			continue;
		*id = l->addr;
		(*n)++;
	}
	if (!*n)
		return -ENOENT;
	return *n > 1 ? -EEXIST : 0;
}

bool mr_lock_stale(const struct mr_held_lock *l)
{
	return !l->owner.alive && l->owner.context == MR_LOCK_CTX_TASK &&
	       !l->sleeping;
}

/* Does S end in " [MOD]"? */
static bool ends_in_module(const char *s, const char *mod)
{
	size_t n = s ? strlen(s) : 0, m = strlen(mod);

	return m && n >= m + 3 && !strcmp(s + n - 1, "]") &&
	       !strncmp(s + n - m - 3, " [", 2) &&
	       !strncmp(s + n - m - 1, mod, m);
}

bool mr_lock_of_module(const struct mr_held_lock *l, const char *mod)
{
	return ends_in_module(l->symbol, mod) ||
	       ends_in_module(l->acquired_at, mod);
}

static const struct {
	const char *name;
	const char *text;
} reasons[] = {
	[MODRESCUE_RELEASE_OK] = { "ok", "its owner is dead" },
	[MODRESCUE_RELEASE_NOT_HELD] = { "not-held",
					 "lockwatch reports no holder for it" },
	[MODRESCUE_RELEASE_UNCERTAIN] = { "uncertain",
					  "lockwatch missed an event about it, so who holds it is uncertain" },
	[MODRESCUE_RELEASE_ALIVE] = { "alive", "its owner is alive" },
	[MODRESCUE_RELEASE_EXITING] = { "exiting",
					"its owner is exiting but still runs, and may still release it" },
	[MODRESCUE_RELEASE_CONTEXT] = { "context",
					"it was taken in interrupt context, which belongs to no task" },
	[MODRESCUE_RELEASE_RECENT] = { "recent",
				       "it has been held too briefly to be sure its owner stopped running" },
	[MODRESCUE_RELEASE_FREE] = { "free", "its lock word says it is free" },
	[MODRESCUE_RELEASE_SLEEPING] = { "sleeping",
					 "it is a sleeping lock (PREEMPT_RT's spinlock_t, an rtmutex): handing it on from a dead owner needs rtmutex internals the kernel does not export; with modrescue contain on, a task that oopses releases its own locks as it dies" },
	[MODRESCUE_RELEASE_BAD_PLACE] = { "bad-place",
					  "its memory is not kernel or module data the helper may write" },
	[MODRESCUE_RELEASE_FULL] = { "full",
				     "the helper released too many locks since lockwatch was armed" },
	[MODRESCUE_RELEASE_HEAP] = { "heap",
				     "its memory may have been freed and reused since; modrescue cannot prove it is still the lock (only locks in the kernel's static data, or in data a module had before the lock was taken, are released)" },
	[MODRESCUE_RELEASE_NOT_A_LOCK] = { "not-a-lock",
					   "its lock word is not exactly a held spinlock" },
	[MODRESCUE_RELEASE_UNVALIDATED] = { "unvalidated",
					    "the helper cannot tell where its memory lies: it was not given the kernel's static data (/proc/kallsyms has no _sdata, __bss_start or __per_cpu_start?)" },
};

const char *mr_lock_release_reason_text(unsigned int reason)
{
	if (reason >= sizeof(reasons) / sizeof(reasons[0]))
		return "the helper gave an unknown reason";
	return reasons[reason].text;
}

const char *mr_lock_release_reason_name(unsigned int reason)
{
	if (reason >= sizeof(reasons) / sizeof(reasons[0]))
		return "unknown";
	return reasons[reason].name;
}

/* A fixed-size ABI field, never read past its end. */
static int field_len(const char *s, size_t max)
{
	return (int)strnlen(s, max);
}

void mr_lock_release_text(const struct modrescue_lock_release *o,
			  const char *comm, char *buf, size_t len)
{
	const struct modrescue_lock *e = &o->owner;
	const char *fate = "dead";
	char who[64];

	/*
	 * Uncertain or not held: the helper names no owner, and none may be
	 * called dead (a missed event may hide a live one).
	 */
	if ((o->reason == MODRESCUE_RELEASE_UNCERTAIN ||
	     o->reason == MODRESCUE_RELEASE_NOT_HELD) &&
	    !o->dead_pid && e->pid <= 0) {
		snprintf(buf, len,
			 "lock 0x%llx, whose holder lockwatch cannot name",
			 (unsigned long long)o->lock);
		return;
	}
	if (o->reason == MODRESCUE_RELEASE_ALIVE)
		fate = "live";
	else if (o->reason == MODRESCUE_RELEASE_EXITING)
		fate = "exiting";
	if (o->reason == MODRESCUE_RELEASE_CONTEXT)
		snprintf(who, sizeof(who), "%s context",
			 mr_lock_context_name(
				 e->context < MR_LOCK_CTX_COUNT ?
					 (enum mr_lock_context)e->context :
					 MR_LOCK_CTX_TASK));
	else if (e->pid > 0 && e->comm[0])
		snprintf(who, sizeof(who), "pid %d (%.*s)", e->pid,
			 field_len(e->comm, sizeof(e->comm)), e->comm);
	else if (o->dead_pid > 0 && comm && *comm)
		snprintf(who, sizeof(who), "pid %d (%s)", o->dead_pid, comm);
	else if (o->dead_pid > 0)
		snprintf(who, sizeof(who), "pid %d", o->dead_pid);
	else
		snprintf(who, sizeof(who), "a task");
	if (o->reason == MODRESCUE_RELEASE_CONTEXT)
		fate = "its";
	snprintf(buf, len, "%.*s held by %s %s, taken at %.*s",
		 e->symbol[0] ? field_len(e->symbol, sizeof(e->symbol)) : 15,
		 e->symbol[0] ? e->symbol : "an unnamed lock", fate, who,
		 e->site[0] ? field_len(e->site, sizeof(e->site)) : 15,
		 e->site[0] ? e->site : "an unknown site");
}
