// SPDX-License-Identifier: GPL-2.0
#include "lockread.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* A fixed-size field as a C string, never past its end. */
static void field(char *dst, size_t dst_len, const char *src, size_t src_len)
{
	size_t n = strnlen(src, src_len);

	if (n >= dst_len)
		n = dst_len - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void task_of(struct mr_lock_task *t, const struct modrescue_lock *e)
{
	t->pid = e->pid;
	t->cpu = (int)e->cpu;
	field(t->comm, sizeof(t->comm), e->comm, sizeof(e->comm));
}

static int add_held(struct mr_lock_snapshot *s, const struct modrescue_lock *e)
{
	char symbol[MODRESCUE_SYMBOL_LEN + 1], site[MODRESCUE_SYMBOL_LEN + 1];
	struct mr_held_lock l;

	memset(&l, 0, sizeof(l));
	field(symbol, sizeof(symbol), e->symbol, sizeof(e->symbol));
	field(site, sizeof(site), e->site, sizeof(e->site));
	l.addr = e->lock;
	l.symbol = symbol[0] ? symbol : NULL;
	task_of(&l.owner.task, e);
	l.owner.context = e->context < MR_LOCK_CTX_COUNT ?
				  (enum mr_lock_context)e->context :
				  MR_LOCK_CTX_TASK;
	l.owner.alive = e->flags & MODRESCUE_LOCK_ALIVE;
	l.acquired_at = site;
	l.held_ns = e->ns;
	l.sleeping = e->flags & MODRESCUE_LOCK_SLEEPING;
	return mr_lock_snapshot_add_lock(s, &l);
}

static int add_waiter(struct mr_lock_snapshot *s,
		      const struct modrescue_lock *e)
{
	struct mr_lock_waiter w;

	memset(&w, 0, sizeof(w));
	task_of(&w.task, e);
	w.lock = e->lock;
	w.waiting_ns = e->ns;
	field(w.symbol, sizeof(w.symbol), e->symbol, sizeof(e->symbol));
	w.sleeping = e->flags & MODRESCUE_LOCK_SLEEPING;
	return mr_lock_snapshot_add_waiter(s, &w);
}

int mr_locks_from_helper(struct mr_lock_snapshot *s,
			 const struct modrescue_lock *e, size_t n)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < n && !ret; i++)
		ret = (e[i].flags & MODRESCUE_LOCK_WAITER) ?
			      add_waiter(s, &e[i]) :
			      add_held(s, &e[i]);
	mr_lock_snapshot_sort(s);
	return ret;
}
