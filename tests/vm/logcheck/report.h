/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Serial-log classification for the QEMU lab: decides from a guest's console
 * log whether a scenario passed.
 *
 * Feed the log line by line, then call lc_finish(). The log holds the guest's
 * marker lines (see tests/vm/guest/lib.sh) mixed with kernel messages:
 *
 *   MR-BEGIN ...             the guest started the scenario
 *   MR-EXPECT KIND MIN MAX   adds MIN..MAX to the budget for KIND
 *   MR-FAIL: TEXT            a failed assertion
 *   MR-BASELINE PAYLOAD      one row of docs/baseline.md
 *   MR-EXPECT-LINE TEXT      a later line must hold TEXT (e.g. the kernel's
 *                            last words before an expected panic)
 *   MR-RESULT PASS|FAIL      the guest's verdict
 *
 * A printk timestamp ("[   12.345678] ") at the start of a line is skipped;
 * one in the middle of a line starts a new logical line, so that a kernel
 * message that interrupted guest output is seen on its own. Kernel reports
 * are found by substring search, so they are also found when glued to guest
 * text without a timestamp.
 *
 * Every kernel report is counted once and checked against the budget
 * declared so far: an MR-EXPECT printed after a report does not cover it.
 * Guest output must therefore not echo kernel report lines (e.g. dmesg).
 */
#ifndef MR_LOGCHECK_REPORT_H
#define MR_LOGCHECK_REPORT_H

#include <stddef.h>
#include <stdio.h>

enum lc_kind {
	LC_OOPS,
	LC_BUG,
	LC_WARNING,
	LC_SOFTLOCKUP,
	LC_HARDLOCKUP,
	LC_HUNG,
	LC_RCUSTALL,
	LC_PANIC,
	LC_NR_KINDS,
	LC_NONE = -1,
};

/* Verdicts of lc_finish(). */
#define LC_PASS 0
#define LC_FAIL 1
#define LC_NOMEM (-1)

struct logcheck;

/* A new, empty checker; NULL when out of memory. */
struct logcheck *lc_new(void);
void lc_free(struct logcheck *lc);

/*
 * Feed one line of LEN bytes (it needs no NUL terminator, may contain NUL
 * bytes, and may end in "\n" or "\r\n").
 */
void lc_feed_line(struct logcheck *lc, const char *line, size_t len);
/* Feed LEN bytes of text holding any number of lines. */
void lc_feed_text(struct logcheck *lc, const char *text, size_t len);
/* Feed a whole stream; 0 on success, -1 on a read error (errno is set). */
int lc_feed_file(struct logcheck *lc, FILE *fp);

/*
 * Apply the end-of-log rules and return LC_PASS, LC_FAIL or LC_NOMEM. Lines
 * fed afterwards are ignored; calling it again returns the same verdict.
 */
int lc_finish(struct logcheck *lc);

/* Failure reasons so far, in the order found; i < lc_nr_reasons(). */
size_t lc_nr_reasons(const struct logcheck *lc);
const char *lc_reason(const struct logcheck *lc, size_t i);

/* MR-BASELINE payloads (the text after "MR-BASELINE "), in log order. */
size_t lc_nr_baselines(const struct logcheck *lc);
const char *lc_baseline(const struct logcheck *lc, size_t i);

/* How many reports of KIND were seen, and the budget declared for it. */
unsigned int lc_count(const struct logcheck *lc, enum lc_kind kind);
unsigned int lc_min(const struct logcheck *lc, enum lc_kind kind);
unsigned int lc_max(const struct logcheck *lc, enum lc_kind kind);

/* "oops", "bug", ...; NULL for an invalid kind. */
const char *lc_kind_name(enum lc_kind kind);
/* The kind named NAME (LEN bytes), or LC_NONE. */
enum lc_kind lc_kind_parse(const char *name, size_t len);

/*
 * The kind of kernel report that the logical line TEXT (timestamp already
 * stripped) starts, or LC_NONE. Stateless: it does not know that the oops
 * header right after "kernel BUG at" belongs to that bug. *AT, if AT is not
 * NULL, is set to where in TEXT the report was found.
 */
enum lc_kind lc_classify(const char *text, const char **at);

#endif /* MR_LOGCHECK_REPORT_H */
