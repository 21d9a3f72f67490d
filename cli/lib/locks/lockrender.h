/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Output of `modrescue locks`: JSON (json-c objects, exact keys) and the
 * text table. Pure: the caller owns the FILE, the snapshot (sorted), the
 * cycles and the objects.
 *
 * JSON: {"lockwatch":{"on":true,"missed":N},
 *        "locks":[{"lock":"0x…","symbol":"hp_x_lock [mod]"|null,
 *                  "owner":{"pid":N,"comm":"…","cpu":N,
 *                           "context":"task|softirq|hardirq|nmi",
 *                           "alive":true,"oopsed":false},
 *                  "acquired_at":"func+0x1a/0x40 [mod]","held_ns":N,
 *                  "waiters":[{"pid":N,"comm":"…","cpu":N,
 *                              "waiting_ns":N}]}],
 *        "cycles":[[{"pid":N,"comm":"…","holds":"0x…",
 *                    "waits_for":"0x…"}, …]],
 *        "cycles_truncated":false}
 * "locks" holds only the locks the filter lists; "cycles" is computed over
 * the whole snapshot (a lock in a cycle has a waiter, so it is listed).
 */
#ifndef MODRESCUE_LOCKRENDER_H
#define MODRESCUE_LOCKRENDER_H

#include <json-c/json.h>
#include <stdio.h>

#include "cycles.h"
#include "locks.h"

/* How many waiters a text row names before "+N more". */
#define MR_LOCK_TEXT_WAITERS 4

/* NULL on -ENOMEM. */
struct json_object *mr_locks_json(const struct mr_lock_snapshot *s,
				  const struct mr_lock_filter *f,
				  const struct mr_lock_cycles *c);

/*
 * The text: a lockwatch line, the table of listed locks (a dead or oopsed
 * owner marked so), and the cycles under a line starting "deadlock:".
 */
void mr_locks_text(FILE *out, const struct mr_lock_snapshot *s,
		   const struct mr_lock_filter *f,
		   const struct mr_lock_cycles *c);

/* NS in human units: "850 ns", "12.3 us", "4.0 ms", "2.5 s", "3m07s". */
void mr_lock_duration_text(uint64_t ns, char *buf, size_t len);

#endif /* MODRESCUE_LOCKRENDER_H */
