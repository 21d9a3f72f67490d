/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a dead owner's lock may be released: is its memory provably still
 * the lock lockwatch saw taken? A qspinlock records no owner and a slab
 * object no generation, and frees are not tracked, so a lock in memory
 * that can be freed and handed to a new owner (slab, page allocator,
 * vmalloc) cannot be told from an unrelated object that reuses it: a
 * release would zero a byte of that object. Memory that is never freed,
 * or whose every new owner is seen arriving, can be trusted:
 *
 * - vmlinux's static writable data, [_sdata, _edata) and [__bss_start,
 *   __bss_stop), and each CPU's copy of its static per-CPU data: never
 *   freed;
 * - a module's writable data (not its text, rodata, ro_after_init or init
 *   memory) and each CPU's copy of its per-CPU data, if that module already
 *   had it when the lock was taken: module memory changes owners only when
 *   a module is loaded into it, and every load passes MODULE_STATE_COMING,
 *   which the helper records with its time in a ring (mr_lp_record()). A
 *   COMING event covering the lock newer than the acquisition (within the
 *   clock slack), an event evicted from the ring newer than it, or a
 *   COMING module whose event is not (yet) recorded, means the memory may
 *   have changed owners.
 *
 * Everything else is refused: MODRESCUE_RELEASE_HEAP. Without the kernel's
 * static areas, or the module list, a lock outside a module the helper
 * found cannot be placed: MODRESCUE_RELEASE_UNVALIDATED.
 *
 * Pure logic over facts the caller gathers (lockrelease.c: the static
 * areas, the CPUs' per-CPU offsets, the module around the address, under
 * RCU so that it stays), so the same code runs in the helper and in the
 * unit tests (tests/unit/test_lockplace.c). The caller serialises
 * mr_lp_record() and mr_lp_judge() on one ring.
 */
#ifndef _MODRESCUE_LOCKPLACE_H
#define _MODRESCUE_LOCKPLACE_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
typedef uint64_t u64;
typedef uint32_t u32;
#endif

/* COMING ranges remembered; older ones leave a barrier time. */
#define MR_LP_EVENTS 64

/* The address space a range is in. */
enum mr_lp_space {
	MR_LP_DIRECT = 0,	/* a kernel virtual address */
	MR_LP_PERCPU,		/* a per-CPU offset (per_cpu_ptr()'s input) */
};

/* One module's writable range, as it arrived (MODULE_STATE_COMING). */
struct mr_lp_event {
	u64 ns;			/* when (lockwatch's clock); 0: unused */
	unsigned long mod;	/* its struct module's address */
	unsigned long start, end;
	unsigned int space;	/* enum mr_lp_space */
	bool going;		/* MODULE_STATE_GOING: the range is let go */
};

struct mr_lp_ring {
	struct mr_lp_event ev[MR_LP_EVENTS];
	unsigned int next;	/* slot the next event goes to */
	u64 evicted_ns;		/* newest time of an event overwritten */
};

/* vmlinux's static areas (symbols.c), all zero when not given. */
struct mr_lp_static {
	unsigned long data_start, data_end;	/* _sdata, _edata */
	unsigned long bss_start, bss_end;	/* __bss_start, __bss_stop */
	unsigned long percpu_start, percpu_end;	/* __per_cpu_start, _end */
};

/* The module whose memory holds the address, as the caller found it. */
struct mr_lp_module {
	unsigned long id;	/* its struct module's address; 0: none */
	bool coming;		/* MODULE_STATE_COMING */
	unsigned long data_start, data_end;	/* its writable data */
	unsigned long percpu_start, percpu_end;	/* per-CPU offsets, or 0 0 */
};

/* Everything the decision needs. */
struct mr_lp_facts {
	unsigned long lock_at;		/* the lock's address */
	unsigned long len;
	u64 taken_ns;		/* acquired at (lockwatch's clock) */
	u64 slack_ns;		/* clock skew between CPUs */
	const struct mr_lp_static *st;
	const unsigned long *cpu_offsets;	/* each possible CPU's */
	unsigned int n_cpus;
	bool modules_known;	/* the module list was searched */
	struct mr_lp_module mod;
};

void mr_lp_ring_init(struct mr_lp_ring *r);
/* Remember that module MOD's range [start, end) of SPACE came at NS. */
void mr_lp_record(struct mr_lp_ring *r, u64 ns, unsigned long mod,
		  unsigned int space, unsigned long start, unsigned long end);
/*
 * ... and that it went (GOING) at NS: whatever comes there next, even a
 * struct module at the same address, is not the one before.
 */
void mr_lp_record_going(struct mr_lp_ring *r, u64 ns, unsigned int space,
			unsigned long start, unsigned long end);

/*
 * Is [start, end) holding [addr, addr + len) in one CPU's copy of the
 * per-CPU offsets [start, end)? True if so for some CPU of cpu_offsets.
 */
bool mr_lp_in_percpu(const unsigned long *cpu_offsets, unsigned int n_cpus,
		     unsigned long addr, unsigned long len,
		     unsigned long start, unsigned long end);

/*
 * May the lock at f->lock_at be written? MODRESCUE_RELEASE_OK,
 * _BAD_PLACE (an empty or wrapping range), _HEAP or _UNVALIDATED.
 */
u32 mr_lp_judge(const struct mr_lp_facts *f, const struct mr_lp_ring *r);

#endif /* _MODRESCUE_LOCKPLACE_H */
