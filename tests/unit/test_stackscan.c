// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for kernel/rescue/stackscan.c, the helper's search for the completion
 * a stuck task waits on, on synthetic kernel memory: a victim stack image,
 * other tasks' stacks, a heap, kernel and module text with real "call
 * rel32" instructions before the return addresses. Good waits are found;
 * every wrong, hostile or garbage image is refused with the right reason
 * and never makes the scan read outside the memory it was given. A
 * completion on a stack is completed only when forced.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "stackscan.h"
#include "uapi/modrescue.h"

#define WORD sizeof(unsigned long)

/* Kernel-looking addresses for the synthetic world. */
#define KMIN 0xffff888000000000UL
#define TEXT_MIN 0xffffffff80000000UL
#define KTEXT 0xffffffff81000000UL
#define MTEXT 0xffffffffc0000000UL
#define MDATA 0xffffffffc0010000UL
#define STACK 0xffffc90000010000UL
#define STACK2 0xffffc90000020000UL
#define HEAP 0xffff888002000000UL
#define VICTIM 0xffff888001000000UL
#define OTHER 0xffff888001100000UL
#define STACK_SIZE 0x4000UL
#define TEXT_SIZE 0x10000UL
#define HEAP_SIZE 0x2000UL

/* Functions in the text regions, and what the scan is told they are. */
#define F_SCHED (KTEXT + 0x1000) /* schedule_timeout */
#define F_COMMON (KTEXT + 0x2000) /* wait_for_common */
#define F_WFC (KTEXT + 0x2400) /* wait_for_completion */
#define F_KSTOP (KTEXT + 0x3000) /* kthread_stop */
#define F_FLUSH (KTEXT + 0x4000) /* flush_work */
#define F_EXIT (MTEXT + 0x100) /* hp_exit, the stuck module's */
#define F_OTHERMOD (MTEXT + 0x8000) /* another module's code */
#define F_END 0x100

/* The victim's saved stack pointer, and where its frames sit. */
#define SP (STACK + 0x3000)
#define AT(off) (SP + (off))

struct region {
	unsigned long base;
	size_t size;
	unsigned char *mem;
};

struct world {
	struct region regions[8];
	size_t n_regions;
	unsigned char victim_stack[STACK_SIZE];
	unsigned char other_stack[STACK_SIZE];
	unsigned char heap[HEAP_SIZE];
	unsigned char ktext[TEXT_SIZE];
	unsigned char mtext[TEXT_SIZE];
	unsigned char mdata[0x1000];
	size_t reads;
	struct mr_ss_stack st;
	struct mr_ss_layout lo;
};

static struct region *find_region(struct world *w, unsigned long addr,
				  size_t len)
{
	size_t i;

	for (i = 0; i < w->n_regions; i++) {
		struct region *r = &w->regions[i];

		if (addr >= r->base && len <= r->size &&
		    addr - r->base <= r->size - len)
			return r;
	}
	return NULL;
}

static int w_read(void *ctx, unsigned long addr, void *buf, size_t len)
{
	struct world *w = ctx;
	struct region *r = find_region(w, addr, len);

	w->reads++;
	if (!r)
		return -1;
	memcpy(buf, r->mem + (addr - r->base), len);
	return 0;
}

static bool in_stack(unsigned long node, unsigned long base)
{
	return node >= base && node + 2 * WORD <= base + STACK_SIZE;
}

static bool w_is_waiter(void *ctx, unsigned long node, unsigned long task)
{
	(void)ctx;
	return (task == VICTIM && in_stack(node, STACK)) ||
	       (task == OTHER && in_stack(node, STACK2));
}

static enum mr_ss_sym w_sym(void *ctx, unsigned long addr)
{
	(void)ctx;
	if (addr >= F_COMMON && addr < F_COMMON + F_END)
		return MR_SS_SYM_WAIT;
	if (addr >= F_WFC && addr < F_WFC + F_END)
		return MR_SS_SYM_WAIT;
	if (addr >= F_KSTOP && addr < F_KSTOP + F_END)
		return MR_SS_SYM_KTHREAD_STOP;
	if (addr >= MTEXT && addr < MTEXT + 0x1000)
		return MR_SS_SYM_MODULE;
	return MR_SS_SYM_OTHER;
}

static const struct mr_ss_ops ops = {
	.read = w_read,
	.is_waiter = w_is_waiter,
	.sym = w_sym,
};

static void put_word(struct world *w, unsigned long addr, unsigned long v)
{
	struct region *r = find_region(w, addr, WORD);

	assert_non_null(r);
	memcpy(r->mem + (addr - r->base), &v, WORD);
}

static unsigned long get_word(struct world *w, unsigned long addr)
{
	unsigned long v = 0;

	assert_int_equal(w_read(w, addr, &v, WORD), 0);
	return v;
}

/* A "call TARGET" ending at RET; returns RET, the return address. */
static unsigned long put_call(struct world *w, unsigned long ret,
			      unsigned long target)
{
	struct region *r = find_region(w, ret - 5, 5);
	int32_t rel = (int32_t)(int64_t)(target - ret);
	unsigned char *p;

	assert_non_null(r);
	p = r->mem + (ret - 5 - r->base);
	p[0] = 0xe8;
	memcpy(p + 1, &rel, 4);
	return ret;
}

/* struct swait_queue at ADDR: { task, task_list { next, prev } }. */
static void put_entry(struct world *w, unsigned long addr, unsigned long task,
		      unsigned long next, unsigned long prev)
{
	put_word(w, addr, task);
	put_word(w, addr + WORD, next);
	put_word(w, addr + 2 * WORD, prev);
}

/* struct completion at ADDR: { done, pad, lock, pad, next, prev }. */
static void put_completion(struct world *w, unsigned long addr,
			   unsigned int done, unsigned int lock,
			   unsigned long next, unsigned long prev)
{
	put_word(w, addr, done);
	put_word(w, addr + WORD, lock);
	put_word(w, addr + 2 * WORD, next);
	put_word(w, addr + 3 * WORD, prev);
}

static void add_region(struct world *w, unsigned long base, void *mem,
		       size_t size)
{
	w->regions[w->n_regions].base = base;
	w->regions[w->n_regions].size = size;
	w->regions[w->n_regions].mem = mem;
	w->n_regions++;
}

/* The stack image the helper would copy: from SP to the top. */
static void snapshot(struct world *w)
{
	w->st.words = (const unsigned long *)(w->victim_stack + (SP - STACK));
	w->st.n_words = (STACK + STACK_SIZE - SP) / WORD;
	w->st.base = SP;
	w->st.victim = VICTIM;
	w->st.kernel_min = KMIN;
	w->st.text_min = TEXT_MIN;
}

static void world_init(struct world *w)
{
	memset(w, 0, sizeof(*w));
	add_region(w, STACK, w->victim_stack, STACK_SIZE);
	add_region(w, STACK2, w->other_stack, STACK_SIZE);
	add_region(w, HEAP, w->heap, HEAP_SIZE);
	add_region(w, KTEXT, w->ktext, TEXT_SIZE);
	add_region(w, MTEXT, w->mtext, TEXT_SIZE);
	add_region(w, MDATA, w->mdata, sizeof(w->mdata));
	/* The kernel's layout on x86_64 without spinlock debugging. */
	w->lo.entry_task = 0;
	w->lo.entry_list = 8;
	w->lo.comp_done = 0;
	w->lo.comp_lock = 8;
	w->lo.comp_list = 16;
	w->lo.comp_size = 32;
	snapshot(w);
}

/* Where the good wait puts things. */
#define ENTRY AT(0x40)
#define NODE (ENTRY + WORD)
#define COMP (MDATA + 0x100)
#define HEAD (COMP + 2 * WORD)
#define RET_SCHED (F_COMMON + 0x50) /* in wait_for_common, after schedule */
#define RET_EXIT (F_EXIT + 0x20) /* in hp_exit, after the wait call */

/*
 * The victim in wait_for_completion(&COMP) called by hp_exit: a return
 * into the wait below the entry, the entry linked alone into COMP, and a
 * return into hp_exit above it, with some noise around.
 */
static void good_wait(struct world *w)
{
	put_call(w, RET_SCHED, F_SCHED);
	put_call(w, RET_EXIT, F_WFC);
	put_word(w, AT(0x0), 0x1234); /* inactive_task_frame noise */
	put_word(w, AT(0x10), RET_SCHED);
	put_word(w, AT(0x18), VICTIM); /* a saved register */
	put_entry(w, ENTRY, VICTIM, HEAD, HEAD);
	put_word(w, AT(0x60), COMP); /* the pointer, in a saved register */
	put_word(w, AT(0x80), RET_EXIT);
	put_completion(w, COMP, 0, 0, NODE, NODE);
	/* Above: the syscall's frames. */
	put_word(w, AT(0x200), KTEXT + 0x7777);
	put_word(w, AT(0x208), 0xdeadbeef);
}

static int find(struct world *w, struct mr_ss_result *r)
{
	return mr_ss_find(&w->st, &w->lo, &ops, w, r);
}

static void found_in_module_data(void **state)
{
	struct mr_ss_result r;
	struct world *w = *state;

	good_wait(w);
	assert_int_equal(find(w, &r), 0);
	assert_int_equal(r.reason, MODRESCUE_UNBLOCK_OK);
	assert_true(r.entry == ENTRY);
	assert_true(r.head == HEAD);
	assert_true(r.completion == COMP);
	assert_true(r.caller == RET_EXIT);
	assert_int_equal(r.waiters, 1);
}

static void found_in_heap(void **state)
{
	unsigned long comp = HEAP + 0x40, head = comp + 2 * WORD;
	struct mr_ss_result r;
	struct world *w = *state;

	good_wait(w);
	put_entry(w, ENTRY, VICTIM, head, head);
	put_completion(w, comp, 0, 0, NODE, NODE);
	/* Garbage in the padding words does not matter. */
	put_word(w, comp, 0xabcd00000000UL);
	put_word(w, comp + WORD, 0x5a5a5a5a00000000UL);
	assert_int_equal(find(w, &r), 0);
	assert_true(r.completion == comp);
}

/* wait_for_completion() calling wait_for_common(): looked through. */
static void found_nested_wait_frames(void **state)
{
	unsigned long mid = F_WFC + 0x30;
	struct mr_ss_result r;
	struct world *w = *state;

	good_wait(w);
	put_call(w, mid, F_COMMON);
	put_word(w, AT(0x70), mid);
	assert_int_equal(find(w, &r), 0);
	assert_true(r.caller == RET_EXIT);
}

/* Older, unlinked entries and loose victim pointers are passed over. */
static void found_past_stale_entries(void **state)
{
	struct mr_ss_result r;
	struct world *w = *state;

	good_wait(w);
	/* Below the real one: list_del_init() left it self-linked. */
	put_entry(w, AT(0x20), VICTIM, AT(0x28), AT(0x28));
	/* Victim followed by pointers that do not point back. */
	put_entry(w, AT(0x100), VICTIM, HEAP + 0x300, HEAP + 0x400);
	/* Victim followed by unreadable pointers. */
	put_entry(w, AT(0x120), VICTIM, 0xffffea0000000000UL, KMIN + 8);
	/* Victim followed by small numbers and misaligned pointers. */
	put_entry(w, AT(0x140), VICTIM, 7, HEAD + 1);
	assert_int_equal(find(w, &r), 0);
	assert_true(r.entry == ENTRY);
}

/* The victim first, another task queued after it: complete() wakes ours. */
static void found_with_waiter_behind(void **state)
{
	unsigned long other = STACK2 + 0x3100, onode = other + WORD;
	struct mr_ss_result r;
	struct world *w = *state;

	good_wait(w);
	put_entry(w, ENTRY, VICTIM, onode, HEAD);
	put_entry(w, other, OTHER, HEAD, NODE);
	put_completion(w, COMP, 0, 0, NODE, onode);
	assert_int_equal(find(w, &r), 0);
	assert_int_equal(r.waiters, 2);
}

static void refused_not_first(void **state)
{
	unsigned long other = STACK2 + 0x3100, onode = other + WORD;
	struct mr_ss_result r;
	struct world *w = *state;

	good_wait(w);
	put_entry(w, ENTRY, VICTIM, HEAD, onode);
	put_entry(w, other, OTHER, NODE, HEAD);
	put_completion(w, COMP, 0, 0, onode, NODE);
	assert_int_equal(find(w, &r), -EBUSY);
	assert_int_equal(r.reason, MODRESCUE_UNBLOCK_NOT_FIRST);
}

static void refused_done_or_locked(void **state)
{
	struct mr_ss_result r;
	struct world *w = *state;

	good_wait(w);
	put_completion(w, COMP, 1, 0, NODE, NODE);
	assert_int_equal(find(w, &r), -EINVAL);
	assert_int_equal(r.reason, MODRESCUE_UNBLOCK_DONE_SET);
	put_completion(w, COMP, 0, 1, NODE, NODE);
	assert_int_equal(find(w, &r), -EAGAIN);
	assert_int_equal(r.reason, MODRESCUE_UNBLOCK_LOCKED);
}

/* Seed 003: kthread_stop() waits on the dead thread's completion. */
static void refused_kthread_stop_caller(void **state)
{
	struct world *w = *state;
	struct mr_ss_result r;
	unsigned long ret;

	good_wait(w);
	ret = put_call(w, F_KSTOP + 0x40, F_WFC);
	put_word(w, AT(0x80), ret);
	/* ... called from the module's exit further up. */
	put_word(w, AT(0xa0), RET_EXIT);
	assert_int_equal(find(w, &r), -EINVAL);
	assert_int_equal(r.reason, MODRESCUE_UNBLOCK_KTHREAD_STOP);
}

/* A kthread_stop() frame anywhere refuses, even far from the entry. */
static void refused_kthread_stop_anywhere(void **state)
{
	struct world *w = *state;
	struct mr_ss_result r;
	unsigned long ret;

	good_wait(w);
	ret = put_call(w, F_KSTOP + 0x60, F_SCHED);
	put_word(w, AT(0x800), ret);
	assert_int_equal(find(w, &r), -EINVAL);
	assert_int_equal(r.reason, MODRESCUE_UNBLOCK_KTHREAD_STOP);
	/* ... but not a bare pointer to it (no call before it). */
	put_word(w, AT(0x800), F_KSTOP + 0x10);
	assert_int_equal(find(w, &r), 0);
}

/* The kernel waits (flush_work()), not the module: its completion. */
static void refused_foreign_caller(void **state)
{
	struct world *w = *state;
	struct mr_ss_result r;
	unsigned long ret;

	good_wait(w);
	ret = put_call(w, F_FLUSH + 0x40, F_WFC);
	put_word(w, AT(0x80), ret);
	put_word(w, AT(0xa0), RET_EXIT);
	assert_int_equal(find(w, &r), -EINVAL);
	assert_int_equal(r.reason, MODRESCUE_UNBLOCK_FOREIGN_CALLER);
	/* Another module's code is foreign too. */
	put_word(w, AT(0x80), put_call(w, F_OTHERMOD + 0x40, F_WFC));
	assert_int_equal(find(w, &r), -EINVAL);
	assert_int_equal(r.reason, MODRESCUE_UNBLOCK_FOREIGN_CALLER);
}

static void refused_no_caller(void **state)
{
	struct mr_ss_result r;
	struct world *w = *state;

	good_wait(w);
	put_word(w, AT(0x80), 0);
	assert_int_equal(find(w, &r), -EINVAL);
	assert_int_equal(r.reason, MODRESCUE_UNBLOCK_FOREIGN_CALLER);
	/* A pointer to the module's code with no call before it. */
	put_word(w, AT(0x80), F_EXIT);
	assert_int_equal(find(w, &r), -EINVAL);
	/* The real caller beyond the window counts for nothing. */
	put_word(w, AT(0x80), 0);
	put_word(w, NODE + 2 * WORD + MR_SS_CALLER_WORDS * WORD, RET_EXIT);
	assert_int_equal(find(w, &r), -EINVAL);
	put_word(w, NODE + 2 * WORD + (MR_SS_CALLER_WORDS - 1) * WORD,
		 RET_EXIT);
	assert_int_equal(find(w, &r), 0);
}

/* A swait entry, but the task is not inside a completion wait. */
static void refused_not_completion(void **state)
{
	struct world *w = *state;
	struct mr_ss_result r;
	unsigned long ret;

	good_wait(w);
	ret = put_call(w, F_FLUSH + 0x20, F_SCHED);
	put_word(w, AT(0x10), ret);
	assert_int_equal(find(w, &r), -EINVAL);
	assert_int_equal(r.reason, MODRESCUE_UNBLOCK_NOT_COMPLETION);
	/* A wait function's address above the entry does not count. */
	put_word(w, AT(0x70), RET_SCHED);
	assert_int_equal(find(w, &r), -EINVAL);
	assert_int_equal(r.reason, MODRESCUE_UNBLOCK_NOT_COMPLETION);
}

/* Mutex and wait_event waiters: no swait entry of the victim. */
static void refused_other_waits(void **state)
{
	unsigned long wq = MDATA + 0x200, wqnode = AT(0x58);
	struct mr_ss_result r;
	struct world *w = *state;

	good_wait(w);
	put_entry(w, ENTRY, 0, 0, 0);
	put_completion(w, COMP, 0, 0, 0, 0);
	/* wait_queue_entry { flags, private = task, func, entry }. */
	put_word(w, AT(0x40), 0);
	put_word(w, AT(0x48), VICTIM);
	put_word(w, AT(0x50), KTEXT + 0x5000);
	put_word(w, wqnode, wq + WORD);
	put_word(w, wqnode + WORD, wq + WORD);
	put_word(w, wq + WORD, wqnode);
	put_word(w, wq + 2 * WORD, wqnode);
	assert_int_equal(find(w, &r), -ENOENT);
	assert_int_equal(r.reason, MODRESCUE_UNBLOCK_NO_WAIT);
	/* mutex_waiter { list, task }: the task comes after the list. */
	put_entry(w, AT(0x48), 0, 0, 0);
	put_word(w, AT(0x40), wq + 5 * WORD);
	put_word(w, AT(0x48), wq + 5 * WORD);
	put_word(w, AT(0x50), VICTIM);
	put_word(w, wq + 5 * WORD, AT(0x40));
	put_word(w, wq + 6 * WORD, AT(0x40));
	assert_int_equal(find(w, &r), -ENOENT);
}

/* A waiter ring of N nodes: our entry, N - 2 others, and the head last. */
static void build_ring(struct world *w, size_t n)
{
	unsigned long nodes[MR_SS_MAX_NODES + 1];
	size_t i;

	assert_true(n >= 2 && n <= MR_SS_MAX_NODES + 1);
	world_init(w);
	good_wait(w);
	nodes[0] = NODE;
	/* Other waiters on the other stack, 4 words apart. */
	for (i = 1; i < n - 1; i++)
		nodes[i] = STACK2 + 0x100 + i * 4 * WORD + WORD;
	nodes[n - 1] = HEAD;
	for (i = 0; i < n; i++) {
		unsigned long node = nodes[i];

		if (node != HEAD && node != NODE)
			put_word(w, node - WORD, OTHER);
		put_word(w, node, nodes[(i + 1) % n]);
		put_word(w, node + WORD, nodes[(i + n - 1) % n]);
	}
	w->reads = 0;
}

/* A ring of 64 nodes is walked; one more and it is refused. */
static void hostile_ring_too_long(void **state)
{
	struct mr_ss_result r;
	struct world *w = *state;

	build_ring(w, MR_SS_MAX_NODES);
	/* The head is last, so the victim is first. */
	assert_int_equal(find(w, &r), 0);
	assert_int_equal(r.waiters, MR_SS_MAX_NODES - 1);
	assert_true(w->reads < 4096);

	build_ring(w, MR_SS_MAX_NODES + 1);
	assert_int_equal(find(w, &r), -EINVAL);
	assert_int_equal(r.reason, MODRESCUE_UNBLOCK_BAD_LIST);
	assert_true(w->reads < 4096);
}

/* Links that loop without coming back, or disagree, are refused. */
static void hostile_broken_rings(void **state)
{
	unsigned long a = HEAP + 0x100, b = HEAP + 0x200, c = HEAP + 0x300;
	struct mr_ss_result r;
	struct world *w = *state;

	good_wait(w);
	/* NODE -> HEAD -> a -> b -> a ...: a rho, never back to NODE. */
	put_entry(w, ENTRY, VICTIM, HEAD, c);
	put_completion(w, COMP, 0, 0, a, NODE);
	put_word(w, a, b);
	put_word(w, a + WORD, HEAD);
	put_word(w, b, a);
	put_word(w, b + WORD, a);
	put_word(w, c, NODE);
	assert_int_equal(find(w, &r), -EINVAL);
	assert_int_equal(r.reason, MODRESCUE_UNBLOCK_BAD_LIST);
	/* A ring back to NODE, but whose last node is not NODE's prev. */
	put_word(w, b, NODE);
	assert_int_equal(find(w, &r), -EINVAL);
	assert_int_equal(r.reason, MODRESCUE_UNBLOCK_BAD_LIST);
	/* A node whose prev disagrees with the walk. */
	put_entry(w, ENTRY, VICTIM, HEAD, b);
	put_word(w, a + WORD, b);
	assert_int_equal(find(w, &r), -EINVAL);
	assert_int_equal(r.reason, MODRESCUE_UNBLOCK_BAD_LIST);
	/* Consistent at last, but a and b are no task's entries: 3 heads. */
	put_word(w, a + WORD, HEAD);
	assert_int_equal(find(w, &r), -EINVAL);
	assert_int_equal(r.reason, MODRESCUE_UNBLOCK_BAD_LIST);
	/* And NODE's prev not pointing back at it: not even a candidate. */
	put_word(w, b, a);
	assert_int_equal(find(w, &r), -ENOENT);
}

/* Every other node a waiter: no head. Two heads: which one? Neither. */
static void hostile_heads(void **state)
{
	unsigned long o1 = STACK2 + 0x3100, n1 = o1 + WORD;
	unsigned long h2 = HEAP + 0x300;
	struct mr_ss_result r;
	struct world *w = *state;

	good_wait(w);
	put_entry(w, ENTRY, VICTIM, n1, n1);
	put_entry(w, o1, OTHER, NODE, NODE);
	assert_int_equal(find(w, &r), -EINVAL);
	assert_int_equal(r.reason, MODRESCUE_UNBLOCK_BAD_LIST);

	put_entry(w, ENTRY, VICTIM, HEAD, h2);
	put_completion(w, COMP, 0, 0, h2, NODE);
	put_word(w, h2, NODE);
	put_word(w, h2 + WORD, HEAD);
	assert_int_equal(find(w, &r), -EINVAL);
	assert_int_equal(r.reason, MODRESCUE_UNBLOCK_BAD_LIST);

	/* A waiter's task word pointing at a task whose stack is elsewhere. */
	put_entry(w, ENTRY, VICTIM, n1, HEAD);
	put_entry(w, o1, VICTIM + 0x4000, HEAD, NODE);
	put_completion(w, COMP, 0, 0, NODE, n1);
	assert_int_equal(find(w, &r), -EINVAL);
	assert_int_equal(r.reason, MODRESCUE_UNBLOCK_BAD_LIST);
}

/* The victim twice on one list is impossible, hence refused. */
static void hostile_victim_twice(void **state)
{
	unsigned long v2 = AT(0x100), n2 = v2 + WORD;
	struct mr_ss_result r;
	struct world *w = *state;

	good_wait(w);
	put_entry(w, ENTRY, VICTIM, n2, HEAD);
	put_entry(w, v2, VICTIM, HEAD, NODE);
	put_completion(w, COMP, 0, 0, NODE, n2);
	assert_int_equal(find(w, &r), -EINVAL);
	assert_int_equal(r.reason, MODRESCUE_UNBLOCK_BAD_LIST);
}

/* The head sits where reading it fails (unmapped), or at address 8. */
static void hostile_unreadable(void **state)
{
	struct mr_ss_result r;
	struct world *w = *state;

	good_wait(w);
	put_entry(w, ENTRY, VICTIM, KMIN + 0x10, KMIN + 0x10);
	assert_int_equal(find(w, &r), -ENOENT);
	put_entry(w, ENTRY, VICTIM, 8, 8);
	assert_int_equal(find(w, &r), -ENOENT);
	put_entry(w, ENTRY, VICTIM, ~0UL - 7, ~0UL - 7);
	assert_int_equal(find(w, &r), -ENOENT);
}

static void hostile_tiny_and_uniform_stacks(void **state)
{
	static const unsigned long fills[] = {
		0, ~0UL, VICTIM, NODE, HEAD, RET_EXIT, RET_SCHED, KMIN
	};
	struct mr_ss_result r;
	struct world *w = *state;
	size_t n, i, k;

	for (n = 0; n < 4; n++) {
		good_wait(w);
		w->st.n_words = n;
		assert_int_not_equal(find(w, &r), 0);
	}
	for (k = 0; k < sizeof(fills) / sizeof(fills[0]); k++) {
		world_init(w);
		put_call(w, RET_SCHED, F_SCHED);
		put_call(w, RET_EXIT, F_WFC);
		for (i = 0; i < STACK_SIZE; i += WORD)
			put_word(w, STACK + i, fills[k]);
		for (i = 0; i < HEAP_SIZE; i += WORD)
			put_word(w, HEAP + i, fills[k]);
		assert_int_not_equal(find(w, &r), 0);
	}
}

static void hostile_bad_layout(void **state)
{
	struct mr_ss_result r;
	struct world *w = *state;

	good_wait(w);
	w->lo.entry_list = 12;
	assert_int_equal(find(w, &r), -EINVAL);
	w->lo.entry_list = 8;
	w->lo.comp_size = 16;
	assert_int_equal(find(w, &r), -EINVAL);
}

/*
 * Garbage: stacks and heaps of values drawn from a pool that makes near
 * misses likely. Whatever the scan says, it must not read outside the
 * world (ASan), must stay bounded, and a success must be a real wait.
 */
static void hostile_random(void **state)
{
	struct world *w = *state;
	struct mr_ss_result r;
	unsigned int seed = 12345;
	size_t iter, i, ok = 0;

	for (iter = 0; iter < 400; iter++) {
		unsigned long pool[12];

		world_init(w);
		put_call(w, RET_SCHED, F_SCHED);
		put_call(w, RET_EXIT, F_WFC);
		pool[0] = VICTIM;
		pool[1] = 0;
		pool[2] = RET_EXIT;
		pool[3] = RET_SCHED;
		pool[4] = ~0UL;
		pool[5] = KMIN;
		for (i = 6; i < 12; i++)
			pool[i] = (rand_r(&seed) % 2 ? STACK : HEAP) +
				  (unsigned long)(rand_r(&seed) % 0x200) * WORD;
		for (i = SP - STACK; i < STACK_SIZE; i += WORD)
			put_word(w, STACK + i, pool[rand_r(&seed) % 12]);
		for (i = 0; i < HEAP_SIZE; i += WORD)
			put_word(w, HEAP + i, pool[rand_r(&seed) % 12]);
		w->reads = 0;
		if (find(w, &r) == 0) {
			ok++;
			assert_true(get_word(w, r.entry) == VICTIM);
			assert_true(get_word(w, r.head) == r.entry + WORD);
			assert_true(r.completion == r.head - 16);
		}
		assert_true(w->reads < 200000);
	}
	/* The pool makes successes possible, not likely. */
	assert_true(ok < 400);
}

static void module_frame(void **state)
{
	struct world *w = *state;

	good_wait(w);
	assert_true(mr_ss_has_module_frame(&w->st, &ops, w));
	put_word(w, AT(0x80), F_EXIT);
	assert_false(mr_ss_has_module_frame(&w->st, &ops, w));
}

/*
 * Where the completion lives decides whether it may be completed: module
 * data and slab objects yes; a stack only when forced (its real completer
 * may still write into the frame after it is gone), dry run or not;
 * anywhere else never.
 */
static void place_policy(void **state)
{
	struct mr_ss_result res;
	const unsigned int dry = MODRESCUE_UNBLOCK_DRY_RUN;
	const unsigned int force = MODRESCUE_UNBLOCK_FORCE_STACK;
	unsigned int f;

	(void)state;
	for (f = 0; f <= (dry | force); f++) {
		memset(&res, 0, sizeof(res));
		assert_int_equal(mr_ss_allowed(MODRESCUE_COMP_MODULE, f, &res),
				 0);
		assert_int_equal(mr_ss_allowed(MODRESCUE_COMP_SLAB, f, &res),
				 0);
		assert_int_equal(res.reason, MODRESCUE_UNBLOCK_OK);
		assert_int_equal(mr_ss_allowed(MODRESCUE_COMP_NONE, f, &res),
				 -EINVAL);
		assert_int_equal(res.reason, MODRESCUE_UNBLOCK_BAD_PLACE);
		assert_int_equal(mr_ss_allowed(99, f, &res), -EINVAL);
	}
	memset(&res, 0, sizeof(res));
	assert_int_equal(mr_ss_allowed(MODRESCUE_COMP_STACK, 0, &res), -EINVAL);
	assert_int_equal(res.reason, MODRESCUE_UNBLOCK_ON_STACK);
	memset(&res, 0, sizeof(res));
	assert_int_equal(mr_ss_allowed(MODRESCUE_COMP_STACK, dry, &res),
			 -EINVAL);
	assert_int_equal(res.reason, MODRESCUE_UNBLOCK_ON_STACK);
	memset(&res, 0, sizeof(res));
	assert_int_equal(mr_ss_allowed(MODRESCUE_COMP_STACK, force, &res), 0);
	assert_int_equal(mr_ss_allowed(MODRESCUE_COMP_STACK, dry | force, &res),
			 0);
	assert_int_equal(res.reason, MODRESCUE_UNBLOCK_OK);
}

static int setup(void **state)
{
	struct world *w = malloc(sizeof(*w));

	if (!w)
		return -1;
	world_init(w);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(found_in_module_data),
		T(found_in_heap),
		T(found_nested_wait_frames),
		T(found_past_stale_entries),
		T(found_with_waiter_behind),
		T(refused_not_first),
		T(refused_done_or_locked),
		T(refused_kthread_stop_caller),
		T(refused_kthread_stop_anywhere),
		T(refused_foreign_caller),
		T(refused_no_caller),
		T(refused_not_completion),
		T(refused_other_waits),
		T(hostile_ring_too_long),
		T(hostile_broken_rings),
		T(hostile_heads),
		T(hostile_victim_twice),
		T(hostile_unreadable),
		T(hostile_tiny_and_uniform_stacks),
		T(hostile_bad_layout),
		T(hostile_random),
		T(module_frame),
		cmocka_unit_test(place_policy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
