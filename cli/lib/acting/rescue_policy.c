// SPDX-License-Identifier: GPL-2.0
/* The pure part of the rescue of stuck tasks: see rescue.h. */
#include "rescue.h"

#include <stdio.h>
#include <string.h>

/* Does frame F call kthread_stop() (or kthread_stop_put())? */
static bool is_kthread_stop(const char *frame)
{
	char fn[128];

	mr_frame_func(frame, fn, sizeof(fn));
	return !strcmp(fn, "kthread_stop") || !strcmp(fn, "kthread_stop_put");
}

bool mr_release_allowed(const struct mr_task *t, const char *mod, char *why,
			size_t len)
{
	char m[MR_MODNAME_LEN];
	size_t i;

	if (len)
		why[0] = '\0';
	if (t->state != 'D') {
		snprintf(why, len,
			 "it is not waiting uninterruptibly (state %c)",
			 t->state);
		return false;
	}
	if (!t->stack_known || !t->n_stack) {
		snprintf(why, len, "its kernel stack cannot be read");
		return false;
	}
	for (i = 0; i < t->n_stack; i++) {
		if (is_kthread_stop(t->stack[i])) {
			snprintf(
				why, len,
				"it waits in kthread_stop() on a thread that may be gone: that completion lives in the thread's freed memory");
			return false;
		}
	}
	if (!mr_frame_module(t->stack[0], m, sizeof(m)) || strcmp(m, mod)) {
		char fn[128];

		mr_frame_func(t->stack[0], fn, sizeof(fn));
		snprintf(why, len,
			 "it waits in %s, kernel code, not in %s's own code",
			 fn, mod);
		return false;
	}
	return true;
}

const char *mr_unblock_reason_text(unsigned int reason)
{
	static const char *const text[] = {
		[MODRESCUE_UNBLOCK_OK] = "released",
		[MODRESCUE_UNBLOCK_NOT_SLEEPING] = "it is no longer asleep",
		[MODRESCUE_UNBLOCK_NO_WAIT] =
			"it does not wait on a completion (a mutex, a wait queue or a sleep cannot be released)",
		[MODRESCUE_UNBLOCK_BAD_LIST] =
			"the wait list it is on does not hold up",
		[MODRESCUE_UNBLOCK_NOT_COMPLETION] =
			"it is not inside a completion wait",
		[MODRESCUE_UNBLOCK_KTHREAD_STOP] =
			"it waits in kthread_stop(): that completion lives in the stopped thread, which may be freed",
		[MODRESCUE_UNBLOCK_FOREIGN_CALLER] =
			"the kernel, not the module, waits there: the completion is not the module's",
		[MODRESCUE_UNBLOCK_BAD_PLACE] =
			"the completion is not in the module's data, a slab object or a live stack frame",
		[MODRESCUE_UNBLOCK_NOT_FIRST] =
			"other tasks wait on that completion ahead of it",
		[MODRESCUE_UNBLOCK_DONE_SET] =
			"the completion's count is not zero",
		[MODRESCUE_UNBLOCK_LOCKED] =
			"the completion stays busy (its lock is held)",
		[MODRESCUE_UNBLOCK_RACED] =
			"it kept changing while it was checked",
		[MODRESCUE_UNBLOCK_MODULE_STATE] =
			"the module is no longer in that state",
		[MODRESCUE_UNBLOCK_NOT_USER] = "there is no such user task",
		[MODRESCUE_UNBLOCK_ON_STACK] =
			"the completion lives on a task's stack: its real completer may still write to it after that frame is gone (only modrescue unblock --force completes it)",
	};

	if (reason >= sizeof(text) / sizeof(text[0]) || !text[reason])
		return "the helper refused";
	return text[reason];
}

/* A symbol as "name [mod]", without its offset and size. */
static void short_symbol(const char *sym, char *buf, size_t len)
{
	const char *plus = strchr(sym, '+'), *mod = strchr(sym, '[');
	int n = plus ? (int)(plus - sym) : (int)strlen(sym);

	if (mod)
		snprintf(buf, len, "%.*s %s", n, sym, mod);
	else
		snprintf(buf, len, "%.*s", n, sym);
}

/*
 * Copy the symbol text SYM (N bytes, maybe unterminated) into BUF, or ""
 * when it is none: empty, or a raw address ("0x...") from an older helper.
 */
static void symbol_text(const char *sym, size_t n, char *buf, size_t len)
{
	snprintf(buf, len, "%.*s", (int)n, sym);
	if (!strncmp(buf, "0x", 2))
		buf[0] = '\0';
}

void mr_unblock_place_text(const struct modrescue_unblock *u, char *buf,
			   size_t len)
{
	char where[MODRESCUE_SYMBOL_LEN + 1], at[32] = "";

	/* Only an address the helper let us see: 0 means "not for you". */
	if (u->completion)
		snprintf(at, sizeof(at), " at 0x%llx",
			 (unsigned long long)u->completion);
	switch (u->kind) {
	case MODRESCUE_COMP_MODULE:
		symbol_text(u->where, sizeof(u->where), where, sizeof(where));
		if (where[0]) {
			char sym[MODRESCUE_SYMBOL_LEN + 8];

			short_symbol(where, sym, sizeof(sym));
			snprintf(buf, len, "%s%s, in the module's data", sym,
				 at);
		} else {
			snprintf(buf, len,
				 "a completion%s in the module's data", at);
		}
		break;
	case MODRESCUE_COMP_SLAB:
		snprintf(buf, len, "a completion%s in a slab object", at);
		break;
	case MODRESCUE_COMP_STACK:
		snprintf(buf, len, "a completion%s on the stack of pid %d", at,
			 u->owner_pid);
		break;
	default:
		snprintf(buf, len, "a completion%s", at);
		break;
	}
}

void mr_unblock_caller_text(const struct modrescue_unblock *u, char *buf,
			    size_t len)
{
	symbol_text(u->caller, sizeof(u->caller), buf, len);
	if (len && !buf[0])
		snprintf(buf, len, "an unnamed place");
}

void mr_unblock_refusal_text(const struct modrescue_unblock *u, char *buf,
			     size_t len)
{
	if (u->reason == MODRESCUE_UNBLOCK_ON_STACK &&
	    u->kind == MODRESCUE_COMP_STACK && u->owner_pid > 0)
		snprintf(
			buf, len,
			"the completion lives on the stack of pid %d: its real completer may still write to it after that frame is gone (only modrescue unblock --force completes it)",
			u->owner_pid);
	else
		snprintf(buf, len, "%s", mr_unblock_reason_text(u->reason));
}

void mr_unblock_risk_text(const struct modrescue_unblock *u, char *buf,
			  size_t len)
{
	static const char lead[] =
		"risk: whatever was meant to complete it may still call complete() later";

	switch (u->kind) {
	case MODRESCUE_COMP_MODULE:
		snprintf(
			buf, len,
			"%s; in module data that is harmless while the module is loaded, and a write into freed memory once it is unloaded",
			lead);
		break;
	case MODRESCUE_COMP_SLAB:
		snprintf(
			buf, len,
			"%s; in a slab object that is harmless while the object is allocated, and a write into freed or reused memory once it is freed",
			lead);
		break;
	case MODRESCUE_COMP_STACK:
		snprintf(
			buf, len,
			"%s; on the stack of pid %d that is harmless while its frame lives, and a write into whatever reuses that stack once the frame returns (--force)",
			lead, u->owner_pid);
		break;
	default:
		if (len)
			buf[0] = '\0';
		break;
	}
}
