/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Deadlock cycles in a lock snapshot's wait-for graph.
 *
 * The graph: a node is a task that waits (pid; for pid 0, the idle task of
 * one CPU). Task T waiting for lock L has an edge to every task O that holds
 * L in task context: T cannot go on before O does. A task holding a lock it
 * waits for has an edge to itself. Only waiting tasks are nodes, since a
 * task that waits for nothing cannot be in a cycle.
 *
 * Holds in softirq, hardirq or NMI context make no edge. Their owner pid is
 * the interrupted task, which does not hold the lock: the interrupt handler
 * does, and it releases the lock when it returns unless it is itself stuck.
 * An edge to the interrupted task would report cycles that resolve on their
 * own (T waits for the task P an interrupt on P's CPU briefly took L from,
 * while P waits for T). The cost: a handler that holds L and then spins on
 * another lock is not seen as part of a cycle, because a waiter carries no
 * context yet to tell it from its interrupted task. Such holders are still
 * listed, with their context, by the renderers. A waiter in any context does
 * make an edge from its pid: while the handler spins, the interrupted task
 * cannot run either.
 *
 * Every elementary cycle is reported once, starting at its smallest task
 * (pid, then cpu), in wait order: step i waits for a lock held by step i+1,
 * the last waits for one held by the first. Work is bounded on any input:
 * at most MR_LOCK_CYCLES_MAX cycles, MR_LOCK_EDGES_MAX edges, and
 * MR_LOCK_SEARCH_STEPS steps (a holder looked at, an edge followed) to build
 * the graph and as many to search it; hitting a bound sets `truncated`.
 * Past the bounds the cycles reported are still real, but maybe not all.
 */
#ifndef MODRESCUE_CYCLES_H
#define MODRESCUE_CYCLES_H

#include "locks.h"

#define MR_LOCK_CYCLES_MAX 64
#define MR_LOCK_EDGES_MAX 65536
#define MR_LOCK_SEARCH_STEPS 4000000

/* One task in a cycle. */
struct mr_lock_cycle_step {
	struct mr_lock_task task;
	uint64_t holds; /* the lock the previous step waits for */
	uint64_t waits_for; /* held by the next step */
};

struct mr_lock_cycle {
	struct mr_lock_cycle_step *steps;
	size_t n_steps;
};

struct mr_lock_cycles {
	struct mr_lock_cycle *cycles;
	size_t n_cycles;
	bool truncated; /* a bound was hit: there may be more cycles */
};

/* Find the cycles of the sorted snapshot S into OUT; 0 or -ENOMEM. */
int mr_lock_cycles_find(const struct mr_lock_snapshot *s,
			struct mr_lock_cycles *out);
void mr_lock_cycles_free(struct mr_lock_cycles *c);

#endif /* MODRESCUE_CYCLES_H */
