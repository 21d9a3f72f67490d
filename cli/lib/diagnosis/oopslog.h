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

struct mr_oops {
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
};

void mr_oops_log_init(struct mr_oops_log *l);
void mr_oops_log_free(struct mr_oops_log *l);
/* One log line, without the record's prefix; 0 or -ENOMEM. */
int mr_oops_log_line(struct mr_oops_log *l, const char *line);
/*
 * One /dev/kmsg record, "PRIO,SEQ,USEC,FLAGS;TEXT\n" followed by its
 * dictionary lines (which are skipped); 0 or -ENOMEM.
 */
int mr_oops_log_kmsg_record(struct mr_oops_log *l, const char *rec, size_t len);
/* Is TEXT die()'s header line, ": XXXX [#N]"? */
bool mr_oops_header(const char *text);

#endif /* MODRESCUE_OOPSLOG_H */
