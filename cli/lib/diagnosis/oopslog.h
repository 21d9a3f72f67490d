/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The oopses the kernel log reports: on which CPU, in which task, and the
 * report's text (RIP and call trace), so that a dead lock owner can be
 * matched to the oops that killed it (lockwait.c). Pure: lines in, oopses
 * out; lockfacts.c reads /dev/kmsg.
 *
 * An oops report starts with die()'s header, "Oops: 0002 [#1] ..." (6.1) or
 * "Oops: Oops: 0002 [#1] ..." (6.9+), "invalid opcode: 0000 [#1] ...",
 * "general protection fault ...: 0000 [#1] ...": a ": XXXX [#N]" with four
 * hex digits. The task is on the next "CPU: N [UID: U ]PID: P Comm: C" line
 * and the report ends at "---[ end trace" or at the next header. A WARNING
 * prints the same CPU line but no such header, so it is never taken for an
 * oops.
 *
 * For a module left GOING or COMING (why, status), mr_oops_find() names the
 * oops that left it there: the newest one with a frame in the module (its
 * RIP, else the first frame of its call trace in the module, as when
 * kthread_stop() oopses on a freed thread) inside delete_module() (an exit)
 * or the module's init (an init).
 */
#ifndef MODRESCUE_OOPSLOG_H
#define MODRESCUE_OOPSLOG_H

#include <stdbool.h>
#include <stddef.h>

#define MR_OOPS_COMM_LEN 16
/* Most report text kept per oops: the RIP and a few dozen frames. */
#define MR_OOPS_TEXT_MAX 4096
/* Most oopses kept (the newest win). */
#define MR_OOPS_MAX 64

/* Where an oops happened, by its call trace. */
enum mr_oops_in {
	MR_OOPS_IN_OTHER = 0,
	MR_OOPS_IN_EXIT, /* inside delete_module() */
	MR_OOPS_IN_INIT, /* inside init_module()/finit_module() */
};

#define MR_OOPS_CAUSE_LEN 128

struct mr_oops {
	/* The record's time, microseconds since boot; -1 when unknown. */
	long long usec;
	/*
	 * What the kernel said went wrong: the "BUG: ..." (or "kernel BUG
	 * at ...") line just before the header, else the header itself up to
	 * its error code, e.g. "general protection fault, ...".
	 */
	char cause[MR_OOPS_CAUSE_LEN];
	int cpu; /* -1 until the CPU line is seen */
	int pid; /* as the kernel log gives it (its initial PID namespace) */
	char comm[MR_OOPS_COMM_LEN];
	char *text; /* the report's lines after the header, '\n'-separated */
	size_t text_len;
};

struct mr_oops_log {
	struct mr_oops *oopses; /* oldest first */
	size_t n, cap;
	bool in_report; /* the last oops is still being read */
	/* The oldest record read: its sequence number and time; -1 if none. */
	long long first_seq, first_usec;
	/*
	 * mr_oops_log_read_kmsg(): 0 once /dev/kmsg was read, else the
	 * negative errno of opening it (-EPERM under dmesg_restrict).
	 */
	int read_err;
	/* The parser's own: the last "BUG: ..." line, and lines since. */
	char bug_line[MR_OOPS_CAUSE_LEN];
	unsigned int since_bug;
};

void mr_oops_log_init(struct mr_oops_log *l);
void mr_oops_log_free(struct mr_oops_log *l);
/* One log line, without the record's prefix; 0 or -ENOMEM. */
int mr_oops_log_line(struct mr_oops_log *l, const char *line);
/* The same, logged USEC microseconds after boot (-1: unknown). */
int mr_oops_log_line_at(struct mr_oops_log *l, const char *line,
			long long usec);
/*
 * One /dev/kmsg record, "PRIO,SEQ,USEC,FLAGS;TEXT\n" followed by its
 * dictionary lines (which are skipped); 0 or -ENOMEM.
 */
int mr_oops_log_kmsg_record(struct mr_oops_log *l, const char *rec, size_t len);
/*
 * Records as /dev/kmsg gives them, one or several in BUF (each record's
 * line, then its dictionary lines, which start with a blank): the
 * complete lines are parsed; returns how many bytes were (the rest is an
 * incomplete line to be continued), or -ENOMEM.
 */
long mr_oops_log_kmsg_text(struct mr_oops_log *l, const char *buf, size_t len);
/* Is TEXT die()'s header line, ": XXXX [#N]"? */
bool mr_oops_header(const char *text);

/* Where O happened: inside a module's exit or init, or elsewhere. */
enum mr_oops_in mr_oops_where(const struct mr_oops *o);
/*
 * O's frame in module MOD, as the kernel printed it ("hp_x_exit+0x5/0x40
 * [hp_x]"), into BUF: its RIP when that is in MOD, else the first reliable
 * frame of its call trace in MOD, else the first unreliable ("? ") one.
 * False when none is.
 */
bool mr_oops_module_frame(const struct mr_oops *o, const char *mod, char *buf,
			  size_t len);
/*
 * The newest oops of L with a frame in MOD that happened IN (its frame into
 * BUF), or NULL.
 */
const struct mr_oops *mr_oops_find(const struct mr_oops_log *l, const char *mod,
				   enum mr_oops_in in, char *buf, size_t len);

#endif /* MODRESCUE_OOPSLOG_H */
