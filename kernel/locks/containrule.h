/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Containment's decisions (issue 11, parts 2 and 3), as pure logic over
 * facts the caller gathers: which of lockwatch's held entries belong to the
 * dying or panicking task, in which order to release them, what they added
 * to its preempt count and RCU read-side depth, and whether a panic may be
 * contained at all. Nothing here looks anything up, so the same code runs
 * in the helper (contain.c) and in the unit tests
 * (tests/unit/test_containrule.c).
 */
#ifndef _MODRESCUE_CONTAINRULE_H
#define _MODRESCUE_CONTAINRULE_H

#include "locktable.h"

/* The task whose locks are wanted, and the CPU it runs on. */
struct mr_ct_who {
	unsigned int cpu;
	int pid;
	unsigned long task;	/* its address: an MR_LT_RT entry's task */
	u64 start_ns;		/* when it started (the table's clock) */
};

/*
 * What one acquisition of each kind (enum mr_lt_how, with MR_LT_RT kinds
 * apart) added to the preempt count and to the RCU read-side depth: the
 * kernel's own constants, passed in by the caller.
 */
struct mr_ct_costs {
	unsigned int preempt[MR_LT_NR_HOW];	/* a raw spinlock, by how */
	unsigned int preempt_rt;		/* a sleeping lock */
	unsigned int rcu_rt;			/* a sleeping lock */
};

/* The task's own locks, newest first, and what else this CPU holds. */
struct mr_ct_pick {
	unsigned int idx[MR_LT_SLOTS];	/* into the snapshot's held[] */
	unsigned int n;
	unsigned int ctx_held;	/* held in this CPU's softirq/hardirq/NMI */
	unsigned int preempt;	/* preempt count the n locks account for */
	unsigned int rcu;	/* RCU read-side depth they account for */
};

/*
 * Pick, from a snapshot's reported held entries (held[0..n)), those taken
 * by who in task context on who's CPU (an MR_LT_RT entry only if its task
 * is who's too; none taken before who started, with the clock slack: a
 * dead task's entry under a reused pid), newest acquisition first, and count the entries held in
 * that CPU's other contexts: those belong to the interrupt, not the task,
 * and are left alone. At most MR_LT_SLOTS are picked (a task context table
 * holds no more).
 */
void mr_ct_pick(const struct mr_lt_rec *held, unsigned int n,
		const struct mr_ct_who *who, const struct mr_ct_costs *costs,
		struct mr_ct_pick *out);

/* Why a panic is not contained (MR_CT_CONTAIN: it is). */
enum mr_ct_why {
	MR_CT_CONTAIN = 0,
	MR_CT_NOT_ARMED,	/* contain on --panic was not asked */
	MR_CT_NMI,
	MR_CT_HARDIRQ,
	MR_CT_SOFTIRQ,		/* serving a softirq */
	MR_CT_IDLE,		/* the idle task */
	MR_CT_INIT,		/* pid 1 */
	MR_CT_EXITING,		/* the task is already exiting */
	MR_CT_OOPS,		/* an oops is in progress */
	MR_CT_LIMIT,		/* as many panics contained as allowed */
	MR_CT_NOT_MODULE,	/* called from the kernel itself, not a module */
	MR_CT_STACK,		/* not on the task's own stack (an IST stack) */
	MR_CT_BUSY,		/* another containment is under way */
	MR_CT_ATOMIC,		/* preempt count not 0 after the releases */
	MR_CT_RCU,		/* in an RCU read-side section after them */
	MR_CT_NOT_NAMED,	/* from a module not named for containment */
	MR_CT_JOURNAL,		/* holds a journal handle (journal_info) */
	MR_CT_MMAP_LOCK,	/* holds its mm's mmap_lock for writing */
	MR_CT_RTNL,		/* holds rtnl_mutex */
	MR_CT_CORE_SPINLOCK,	/* holds a spinlock not its module's own */
	MR_CT_MODULE_INIT,	/* the module is still in its init (probe) */
	MR_CT_WORKER,		/* a workqueue worker (a queued probe...) */
	MR_CT_NR_WHY,
};

/* What the panic hook knows when it decides. */
struct mr_ct_facts {
	bool armed;		/* panic containment is on */
	bool nmi, hardirq, softirq;	/* in_nmi(), in_hardirq(), serving */
	bool idle, init, exiting;
	bool oops;		/* oops_in_progress */
	bool module_caller;	/* panic() was called from a module's code */
	bool named_caller;	/* ... of a module named for containment */
	/* The core kernel's sleeping locks the task is seen to hold: */
	bool journal;		/* current->journal_info is set */
	bool mmap_write;	/* current owns its mm's mmap_lock for writing */
	bool rtnl;		/* current owns rtnl_mutex */
	/*
	 * Where sleeping locks the task cannot be seen to hold are likely:
	 * the calling module's init (a driver's probe runs under its
	 * device's lock, and its parent's), a workqueue worker (a queued
	 * probe, a hotplug callback under cpus_read_lock).
	 */
	bool module_init;	/* the calling module is still COMING */
	bool wq_worker;		/* current is a workqueue worker */
	/* Read by mr_ct_panic_verdict() only: of the task's tracked locks, */
	unsigned int core_spinlocks;	/* not the calling module's own */
	bool on_task_stack;
	bool busy;		/* the snapshot buffer is taken */
	unsigned int contained;	/* panics contained so far */
	unsigned int limit;	/* how many may be */
	unsigned int preempt;	/* the task's preempt count at panic() */
	unsigned int rcu;	/* its RCU read-side depth */
	/* Read by mr_ct_panic_verdict() only: */
	const struct mr_ct_pick *pick;	/* its locks, to be released */
};

/*
 * The checks that need no snapshot of the locks, in this order: context
 * (NMI to MR_CT_LIMIT), caller (MR_CT_NOT_MODULE, MR_CT_NOT_NAMED), stack
 * (MR_CT_STACK), then the core's sleeping locks (MR_CT_JOURNAL,
 * MR_CT_MMAP_LOCK, MR_CT_RTNL): a parked task would keep them for good.
 * MR_CT_CONTAIN means "go on, take the snapshot".
 */
enum mr_ct_why mr_ct_panic_precheck(const struct mr_ct_facts *f);

/*
 * Contain the panic, or say why not: the first check that fails, in the
 * order of mr_ct_panic_precheck(), then MR_CT_BUSY, MR_CT_CORE_SPINLOCK
 * (a spinlock that is not the module's own, as for an oops: releasing it
 * would expose core data half-updated), MR_CT_ATOMIC, MR_CT_RCU. The task's preempt count and RCU depth must be
 * exactly what its tracked locks account for, so that releasing them
 * leaves a task that may sleep; anything else (an untracked lock, a
 * preempt_disable(), an rcu_read_lock()) falls through to the real panic.
 */
enum mr_ct_why mr_ct_panic_verdict(const struct mr_ct_facts *f);

/* Room for a module name, as the kernel's MODULE_NAME_LEN. */
#define MR_CT_NAME_LEN 56

/*
 * Is name one of the n names in names, each in MR_CT_NAME_LEN bytes (a
 * char [n][MR_CT_NAME_LEN])? An empty name (no module) never is. Names
 * are compared whole, up to MR_CT_NAME_LEN bytes.
 */
bool mr_ct_name_listed(const char *name, const char *names, unsigned int n);

/*
 * Does a lock's owner word name task? owner holds the owning task's
 * address with flag bits in the low bits flags_mask covers (struct
 * mutex's and rw_semaphore's owner word; an rtmutex's owner with its
 * waiters bit). A read-owned rwsem (reader_bit set in the word) has no
 * single owner: never task's. task 0 is never an owner.
 */
bool mr_ct_owner_is(unsigned long owner, unsigned long flags_mask,
		    unsigned long reader_bit, unsigned long task);

/*
 * Whose is a lock the oopsing task holds? Modules by identity (the
 * address of their struct module; 0: none, the kernel's own or the heap).
 */
struct mr_ct_lock_whose {
	unsigned long lock_mod;	/* the module whose memory holds the lock */
	unsigned long site_mod;	/* the module whose code took it */
	/*
	 * The lock lies in the kernel image's static data (or its static
	 * per-CPU data): a core lock, whoever's code took it (an inline
	 * spin_lock() on a core structure is compiled into the module).
	 */
	bool core_static;
};

/*
 * May an oops release this lock? Only a module's own lock: its memory lies
 * in the module, or the module's code took it. When the oops faulted in a
 * module's code (oops_mod, 0 if not or unknown), only that module's. Any
 * other lock (a core lock taken by the kernel's code on the task's behalf,
 * in memory that is not a module's) may fence half-updated core data: it
 * stays held.
 */
bool mr_ct_oops_releases(const struct mr_ct_lock_whose *w,
			 unsigned long oops_mod);

/*
 * Who has the snapshot buffer, seen by a hook in task (current)?
 * owner: the task that has it (0: nobody); working: the owner is using it
 * now (snapshot, releases), not merely holding it reserved (its die
 * notifier re-enabled BH and keeps it for its own make_task_dead() hook).
 */
enum mr_ct_owner_step {
	MR_CT_OWN_FREE,		/* nobody's: take it */
	MR_CT_OWN_RESERVED,	/* reserved for this task: go on with it */
	MR_CT_OWN_NESTED,	/* this task oopsed while using it: reset */
	MR_CT_OWN_OTHER,	/* another task's: busy */
};

enum mr_ct_owner_step mr_ct_owner_step(unsigned long owner,
				       unsigned long task, bool working);

/* A few words for why (for the log). */
const char *mr_ct_why_text(enum mr_ct_why why);

#endif /* _MODRESCUE_CONTAINRULE_H */
