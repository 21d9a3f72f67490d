// SPDX-License-Identifier: GPL-2.0
/*
 * Elementary cycles of the wait-for graph (see cycles.h), by backtracking:
 * for each node S in ascending order, a depth-first search over simple paths
 * from S through nodes above S; every edge back to S closes a cycle whose
 * smallest node is S. So each cycle is found exactly once, from its
 * canonical start. The search is iterative (no recursion depth to overflow).
 * Building the graph spends one step of a fixed budget for every holder it
 * looks at, and the search one step of a fresh budget for every edge it
 * follows: backtracking may take exponential time on a hostile graph (many
 * read holders), and the budget is what makes the work bounded.
 */
#include "cycles.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define NO_NODE SIZE_MAX

/* Task FROM waits for LOCK, which task TO holds in task context. */
struct wait_edge {
	size_t from, to;
	uint64_t lock;
};

struct wait_graph {
	struct mr_lock_task *nodes; /* distinct waiting tasks, ascending */
	size_t n_nodes;
	struct wait_edge *edges; /* by from, then to; one per pair */
	size_t n_edges, cap_edges;
	size_t *first_edge; /* node N's edges: [first_edge[N], first_edge[N+1]) */
	size_t steps_left;
	bool truncated;
};

/* The depth-first search's current path from its start. */
struct wait_path {
	size_t *node;
	size_t *next_edge; /* of node[i]: the next edge to try */
	bool *on_path; /* by node */
	size_t depth;
};

/* pid names a task, except pid 0: every CPU has its own idle task. */
static int cmp_task(const struct mr_lock_task *a, const struct mr_lock_task *b)
{
	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	if (a->pid == 0 && a->cpu != b->cpu)
		return a->cpu < b->cpu ? -1 : 1;
	return 0;
}

static int cmp_task_qsort(const void *a, const void *b)
{
	return cmp_task(a, b);
}

static int cmp_edge(const void *pa, const void *pb)
{
	const struct wait_edge *a = pa, *b = pb;

	if (a->from != b->from)
		return a->from < b->from ? -1 : 1;
	if (a->to != b->to)
		return a->to < b->to ? -1 : 1;
	return (a->lock > b->lock) - (a->lock < b->lock);
}

/* One step of the budget; false (and truncated) once it is spent. */
static bool spend_step(struct wait_graph *g)
{
	if (!g->steps_left) {
		g->truncated = true;
		return false;
	}
	g->steps_left--;
	return true;
}

static size_t node_of(const struct wait_graph *g, const struct mr_lock_task *t)
{
	size_t lo = 0, hi = g->n_nodes;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_task(&g->nodes[mid], t);

		if (!c)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NO_NODE;
}

/* The nodes: every waiting task once, in ascending order. */
static int collect_nodes(struct wait_graph *g, const struct mr_lock_snapshot *s)
{
	size_t i;

	g->nodes = calloc(s->n_waiters ? s->n_waiters : 1, sizeof(*g->nodes));
	if (!g->nodes)
		return -ENOMEM;
	for (i = 0; i < s->n_waiters; i++)
		g->nodes[i] = s->waiters[i].task;
	if (s->n_waiters)
		qsort(g->nodes, s->n_waiters, sizeof(*g->nodes),
		      cmp_task_qsort);
	for (i = 0; i < s->n_waiters; i++)
		if (!g->n_nodes ||
		    cmp_task(&g->nodes[g->n_nodes - 1], &g->nodes[i]))
			g->nodes[g->n_nodes++] = g->nodes[i];
	return 0;
}

/* Append an edge; 1 (and truncated) at MR_LOCK_EDGES_MAX, or -ENOMEM. */
static int append_edge(struct wait_graph *g, size_t from, size_t to,
		       uint64_t lock)
{
	if (g->n_edges == MR_LOCK_EDGES_MAX) {
		g->truncated = true;
		return 1;
	}
	if (g->n_edges == g->cap_edges) {
		size_t cap = g->cap_edges ? g->cap_edges * 2 : 64;
		struct wait_edge *more;

		if (cap > MR_LOCK_EDGES_MAX)
			cap = MR_LOCK_EDGES_MAX;
		more = realloc(g->edges, cap * sizeof(*more));
		if (!more)
			return -ENOMEM;
		g->edges = more;
		g->cap_edges = cap;
	}
	g->edges[g->n_edges].from = from;
	g->edges[g->n_edges].to = to;
	g->edges[g->n_edges].lock = lock;
	g->n_edges++;
	return 0;
}

/*
 * The edges of waiter W: to each task-context holder of its lock that waits
 * too. 0, 1 when a bound stopped it, or -ENOMEM.
 */
static int add_edges_of(struct wait_graph *g, const struct mr_lock_snapshot *s,
			const struct mr_lock_waiter *w)
{
	size_t from = node_of(g, &w->task), i, to;
	int rc = 0;

	for (i = mr_lock_first_holder(s, w->lock);
	     !rc && i < s->n_locks && s->locks[i].addr == w->lock; i++) {
		const struct mr_lock_owner *o = &s->locks[i].owner;

		if (!spend_step(g))
			return 1;
		if (o->context != MR_LOCK_CTX_TASK)
			continue;
		to = node_of(g, &o->task);
		if (to != NO_NODE)
			rc = append_edge(g, from, to, w->lock);
	}
	return rc;
}

/*
 * Sort the edges, keep one per (from, to) pair (the lowest lock: cycles are
 * of tasks, and a second lock between the same two tasks would report the
 * same cycle again), and index them by node.
 */
static int index_edges(struct wait_graph *g)
{
	size_t i, kept = 0;

	if (g->n_edges)
		qsort(g->edges, g->n_edges, sizeof(*g->edges), cmp_edge);
	for (i = 0; i < g->n_edges; i++)
		if (!kept || g->edges[kept - 1].from != g->edges[i].from ||
		    g->edges[kept - 1].to != g->edges[i].to)
			g->edges[kept++] = g->edges[i];
	g->n_edges = kept;
	g->first_edge = calloc(g->n_nodes + 1, sizeof(*g->first_edge));
	if (!g->first_edge)
		return -ENOMEM;
	for (i = 0; i < g->n_edges; i++)
		g->first_edge[g->edges[i].from + 1]++;
	for (i = 0; i < g->n_nodes; i++)
		g->first_edge[i + 1] += g->first_edge[i];
	return 0;
}

static int build_graph(struct wait_graph *g, const struct mr_lock_snapshot *s)
{
	size_t i;
	int rc = 0;

	memset(g, 0, sizeof(*g));
	g->steps_left = MR_LOCK_SEARCH_STEPS;
	if (collect_nodes(g, s))
		return -ENOMEM;
	for (i = 0; !rc && i < s->n_waiters; i++)
		rc = add_edges_of(g, s, &s->waiters[i]);
	if (rc < 0)
		return rc;
	return index_edges(g);
}

static void free_graph(struct wait_graph *g)
{
	free(g->nodes);
	free(g->edges);
	free(g->first_edge);
}

/* Record the cycle the path closes: each step's edge is next_edge - 1. */
static int record_cycle(const struct wait_graph *g, const struct wait_path *p,
			struct mr_lock_cycles *out)
{
	struct mr_lock_cycle *more, *c;
	size_t i;

	more = realloc(out->cycles, (out->n_cycles + 1) * sizeof(*more));
	if (!more)
		return -ENOMEM;
	out->cycles = more;
	c = &out->cycles[out->n_cycles];
	c->steps = calloc(p->depth, sizeof(*c->steps));
	if (!c->steps)
		return -ENOMEM;
	c->n_steps = p->depth;
	for (i = 0; i < p->depth; i++) {
		c->steps[i].task = g->nodes[p->node[i]];
		c->steps[i].waits_for = g->edges[p->next_edge[i] - 1].lock;
	}
	for (i = 0; i < p->depth; i++)
		c->steps[i].holds =
			c->steps[(i + p->depth - 1) % p->depth].waits_for;
	out->n_cycles++;
	return 0;
}

static void push_node(const struct wait_graph *g, struct wait_path *p, size_t n)
{
	p->node[p->depth] = n;
	p->next_edge[p->depth] = g->first_edge[n];
	p->on_path[n] = true;
	p->depth++;
}

/*
 * Every cycle whose smallest node is START. Returns 0, 1 when a bound
 * stopped it, or -ENOMEM.
 */
static int cycles_from(struct wait_graph *g, size_t start, struct wait_path *p,
		       struct mr_lock_cycles *out)
{
	int rc = 0;

	push_node(g, p, start);
	while (p->depth && !rc) {
		size_t top = p->depth - 1, v = p->node[top], to;

		if (p->next_edge[top] == g->first_edge[v + 1]) {
			p->on_path[v] = false;
			p->depth--;
			continue;
		}
		if (!spend_step(g)) {
			rc = 1;
			break;
		}
		to = g->edges[p->next_edge[top]++].to;
		if (to == start) {
			rc = record_cycle(g, p, out);
			if (!rc && out->n_cycles == MR_LOCK_CYCLES_MAX) {
				g->truncated = true;
				rc = 1;
			}
		} else if (to > start && !p->on_path[to]) {
			push_node(g, p, to);
		}
	}
	for (; p->depth; p->depth--)
		p->on_path[p->node[p->depth - 1]] = false;
	return rc;
}

static int search_cycles(struct wait_graph *g, struct mr_lock_cycles *out)
{
	struct wait_path p = { 0 };
	size_t n = g->n_nodes ? g->n_nodes : 1, start;
	int rc = 0;

	p.node = calloc(n, sizeof(*p.node));
	p.next_edge = calloc(n, sizeof(*p.next_edge));
	p.on_path = calloc(n, sizeof(*p.on_path));
	if (!p.node || !p.next_edge || !p.on_path)
		rc = -ENOMEM;
	for (start = 0; !rc && start < g->n_nodes; start++)
		rc = cycles_from(g, start, &p, out);
	free(p.node);
	free(p.next_edge);
	free(p.on_path);
	return rc < 0 ? rc : 0;
}

int mr_lock_cycles_find(const struct mr_lock_snapshot *s,
			struct mr_lock_cycles *out)
{
	struct wait_graph g;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = build_graph(&g, s);
	/* A fresh budget: a build that spent its own still gets searched. */
	g.steps_left = MR_LOCK_SEARCH_STEPS;
	if (!rc)
		rc = search_cycles(&g, out);
	out->truncated = g.truncated;
	free_graph(&g);
	if (rc)
		mr_lock_cycles_free(out);
	return rc;
}

void mr_lock_cycles_free(struct mr_lock_cycles *c)
{
	size_t i;

	for (i = 0; i < c->n_cycles; i++)
		free(c->cycles[i].steps);
	free(c->cycles);
	memset(c, 0, sizeof(*c));
}
