/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * modrescue ioctl ABI on /dev/modrescue, shared by the helper module and the
 * CLI.
 *
 * Every argument struct starts with a __u32 size that the caller sets to the
 * size of the struct it was built with. The helper accepts an older (smaller)
 * struct, and a newer (larger) one when the bytes it does not know are zero,
 * so the ABI can grow by appending fields. Unknown commands fail with -ENOTTY;
 * a size the helper cannot accept fails with -EINVAL.
 */
#ifndef _UAPI_MODRESCUE_H
#define _UAPI_MODRESCUE_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define MODRESCUE_DEVICE_NAME	"modrescue"
#define MODRESCUE_DEVICE_PATH	"/dev/" MODRESCUE_DEVICE_NAME

/* Bumped whenever a command is added or a struct grows. */
#define MODRESCUE_ABI_VERSION	9

#define MODRESCUE_IOC_MAGIC	0xE5

/* Largest argument struct the helper will look at, in bytes. */
#define MODRESCUE_MAX_ARG_SIZE	4096

struct modrescue_version {
	__u32 size;		/* in: sizeof(struct modrescue_version) */
	__u32 abi_version;	/* out: MODRESCUE_ABI_VERSION of the helper */
	__u32 min_abi_version;	/* out: oldest ABI version still served */
	__u32 reserved;		/* in: must be zero */
};

#define MODRESCUE_VERSION_SIZE_V1	16

#define MODRESCUE_IOC_GET_VERSION \
	_IOWR(MODRESCUE_IOC_MAGIC, 0x00, struct modrescue_version)

/* Room for a module name; the kernel's own limit is MODULE_NAME_LEN (56). */
#define MODRESCUE_NAME_LEN	64

/* Module states as the kernel numbers them (enum module_state). */
#define MODRESCUE_STATE_LIVE		0
#define MODRESCUE_STATE_COMING		1
#define MODRESCUE_STATE_GOING		2
#define MODRESCUE_STATE_UNFORMED	3

/* struct modrescue_inspect.mod_flags */
#define MODRESCUE_MOD_HAS_INIT	(1u << 0)
#define MODRESCUE_MOD_HAS_EXIT	(1u << 1)

/* struct modrescue_user.kind: a live user of the module that the helper found. */
enum modrescue_user_kind {
	MODRESCUE_USER_FILE = 1,	/* an open file whose f_op is the module's */
	MODRESCUE_USER_KTHREAD = 2,	/* a kthread whose function is in the module */
	MODRESCUE_USER_MOUNT = 3,	/* a mounted filesystem of a type it owns */
	MODRESCUE_USER_NETDEV = 4,	/* a net device whose ops are the module's */
	MODRESCUE_USER_BLOCKDEV = 5,	/* an open block device of a disk it drives */
	MODRESCUE_USER_SOCKET = 6,	/* an open socket of its family or protocol */
	MODRESCUE_USER_CHARDEV = 7,	/* an open char device (tty...) it owns */
	MODRESCUE_USER_MAPPING = 8,	/* a mapping whose file or vm_ops are its */
	MODRESCUE_USER_TASK = 9,	/* a task with a frame in its code */
	MODRESCUE_USER_SYSCALL = 10,	/* a task in delete_module/init_module
					 * while it is GOING/COMING */
	MODRESCUE_USER_HOLDER = 11,	/* a module that uses it */
};

/*
 * PIDs are in the caller's PID namespace; 0 means the task is outside it
 * (the CLI runs in a container). fd is -1 where there is none; for MAPPING
 * it is also -1 and name holds the mapped file's name when there is one.
 */

struct modrescue_user {
	__u32 kind;		/* enum modrescue_user_kind */
	__s32 pid;		/* FILE, KTHREAD: the task's tgid / pid */
	__s32 fd;		/* FILE: the fd; otherwise -1 */
	__u32 reserved;
	char comm[16];		/* FILE, KTHREAD: the task's comm */
	char name[32];		/* MOUNT: "TYPE:s_id"; NETDEV: device name;
				 * HOLDER: module name; SOCKET: "family F";
				 * BLOCKDEV: disk name; TASK, SYSCALL: where */
};

/*
 * Look at a module and the users of it the kernel can see: open files,
 * kthreads running its code, mounts of its filesystems, net devices using
 * its ops. Changes nothing.
 */
struct modrescue_inspect {
	__u32 size;		/* in: sizeof(struct modrescue_inspect) */
	__u32 flags;		/* in: must be zero */
	char name[MODRESCUE_NAME_LEN];	/* in: NUL-terminated module name */
	__u64 users;		/* in: user pointer to struct modrescue_user[] */
	__u32 users_cap;	/* in: entries at users (may be 0) */
	__u32 users_found;	/* out: users found, even past users_cap */
	__u32 state;		/* out: MODRESCUE_STATE_* */
	__s32 refcnt;		/* out: module_refcount() */
	__u32 mod_flags;	/* out: MODRESCUE_MOD_* */
	__u32 reserved;		/* in: must be zero */
};

#define MODRESCUE_INSPECT_SIZE_V2	104

/* struct modrescue_prepare.edits: surgery on struct module, under module_mutex. */
#define MODRESCUE_EDIT_REFCNT_BASE	(1u << 0)	/* refcount back to its base */
#define MODRESCUE_EDIT_STATE_LIVE	(1u << 1)	/* COMING or GOING -> LIVE */
#define MODRESCUE_EDIT_CLEAR_EXIT	(1u << 2)	/* exit() never runs again */
#define MODRESCUE_EDIT_ALL		0x7u

/* struct modrescue_prepare.flags */
/*
 * The caller (the user, with --force) asserts that the references nobody
 * can explain are leaked: needed for REFCNT_BASE on a LIVE module. Found
 * users are never overridden, by this flag or any other.
 */
#define MODRESCUE_PREPARE_LEAKED	(1u << 0)

/*
 * Prepare a stuck module for the kernel's own delete_module(): apply the
 * listed edits, all or none, after checking that the module is still in
 * the state the caller diagnosed (-ESTALE if not) and that no user the
 * kernel can show would be hurt (-EBUSY, the first one in busy): open
 * files, mappings, mounts, net devices in any namespace, holders, tasks
 * with a frame in its code, tasks inside delete_module()/init_module() for
 * it, in any PID namespace. Refused (-EPERM) for a livepatch module, a
 * quarantined NAME.qN, and REFCNT_BASE on a LIVE module without
 * MODRESCUE_PREPARE_LEAKED. Each edit is logged and taints the kernel with
 * TAINT_FORCED_RMMOD. -EINTR when killed waiting for module_mutex.
 * A COMING or GOING module's exit must be cleared with it (an exit runs
 * only after a successful init, and never twice: -EINVAL otherwise), and
 * it is refused (-ENOTEMPTY) while its crashed init or exit left anything
 * registered that points into it (see MODRESCUE_IOC_LEFTOVERS).
 */
struct modrescue_prepare {
	__u32 size;		/* in: sizeof(struct modrescue_prepare) */
	__u32 edits;		/* in: MODRESCUE_EDIT_* */
	char name[MODRESCUE_NAME_LEN];	/* in: NUL-terminated module name */
	__u32 expect_state;	/* in: the MODRESCUE_STATE_* diagnosed */
	__u32 flags;		/* in: MODRESCUE_PREPARE_* */
	__u32 applied;		/* out: the edits made */
	__u32 old_state;	/* out: the state before */
	__s32 old_refcnt;	/* out: module_refcount() before */
	__u32 reserved;		/* in: must be zero */
	struct modrescue_user busy;	/* out: -EBUSY: the first user found */
};

#define MODRESCUE_PREPARE_SIZE_V2	96
#define MODRESCUE_PREPARE_SIZE_V5	160

#define MODRESCUE_IOC_INSPECT \
	_IOWR(MODRESCUE_IOC_MAGIC, 0x01, struct modrescue_inspect)
#define MODRESCUE_IOC_PREPARE_UNLOAD \
	_IOWR(MODRESCUE_IOC_MAGIC, 0x02, struct modrescue_prepare)

/* struct modrescue_unblock.flags */
#define MODRESCUE_UNBLOCK_DRY_RUN	(1u << 0)	/* find and check, do not complete */
/*
 * Complete it even when it lives on a task's stack: its real completer may
 * still write into that frame after it is gone (the user's --force).
 */
#define MODRESCUE_UNBLOCK_FORCE_STACK	(1u << 1)

/* struct modrescue_unblock.kind: where the completion lives. */
enum modrescue_comp_kind {
	MODRESCUE_COMP_NONE = 0,
	MODRESCUE_COMP_MODULE = 1,	/* the stuck module's own data */
	MODRESCUE_COMP_SLAB = 2,	/* a slab object (kmalloc, kmem_cache) */
	MODRESCUE_COMP_STACK = 3,	/* a live frame on a task's stack */
};

/* struct modrescue_unblock.reason: why a task was not released. */
enum modrescue_unblock_reason {
	MODRESCUE_UNBLOCK_OK = 0,		/* released (or, dry run, would be) */
	MODRESCUE_UNBLOCK_NOT_SLEEPING = 1,	/* not in an uninterruptible sleep */
	MODRESCUE_UNBLOCK_NO_WAIT = 2,		/* no completion wait on its stack */
	MODRESCUE_UNBLOCK_BAD_LIST = 3,		/* the wait list does not hold up */
	MODRESCUE_UNBLOCK_NOT_COMPLETION = 4,	/* not inside a completion wait */
	MODRESCUE_UNBLOCK_KTHREAD_STOP = 5,	/* in kthread_stop(): never */
	MODRESCUE_UNBLOCK_FOREIGN_CALLER = 6,	/* the module did not call the wait */
	MODRESCUE_UNBLOCK_BAD_PLACE = 7,	/* completion in no place we trust */
	MODRESCUE_UNBLOCK_NOT_FIRST = 8,	/* other tasks wait ahead of it */
	MODRESCUE_UNBLOCK_DONE_SET = 9,		/* the completion's count is not 0 */
	MODRESCUE_UNBLOCK_LOCKED = 10,		/* its lock is held: try again */
	MODRESCUE_UNBLOCK_RACED = 11,		/* it changed while checked: try again */
	MODRESCUE_UNBLOCK_MODULE_STATE = 12,	/* module not in expect_state */
	MODRESCUE_UNBLOCK_NOT_USER = 13,	/* a kthread, or the caller itself */
	MODRESCUE_UNBLOCK_ON_STACK = 14,	/* on a stack, no FORCE_STACK */
};

#define MODRESCUE_SYMBOL_LEN	96

/*
 * Release a task stuck in a module's init or exit by completing the
 * completion it waits on, found from the task's own kernel stack and checked
 * before it is written: the task's swait entry is linked into the
 * completion's wait list, first in line; the wait was called by the module's
 * own code (never from kthread_stop()); the completion lives in the module's
 * data, a slab object or a live stack frame; its count is 0 and its lock
 * free. Errors: -ESRCH no such task, -ENOENT no completion wait (or no such
 * module), -EINVAL a check failed, -ESTALE the task or module changed, -EBUSY
 * other waiters ahead, -EAGAIN the completion is busy (retry). reason says
 * which; the kernel is tainted with TAINT_FORCED_RMMOD on success.
 */
struct modrescue_unblock {
	__u32 size;		/* in: sizeof(struct modrescue_unblock) */
	__u32 flags;		/* in: MODRESCUE_UNBLOCK_* */
	__s32 pid;		/* in: the stuck task */
	__u32 expect_state;	/* in: MODRESCUE_STATE_GOING (exit) or _COMING (init) */
	char name[MODRESCUE_NAME_LEN];	/* in: the module it is stuck in */
	__u32 reason;		/* out: enum modrescue_unblock_reason */
	__u32 kind;		/* out: enum modrescue_comp_kind */
	__u64 completion;	/* out: its address; 0 unless kptr_restrict
				 * lets the caller see kernel pointers */
	__s32 owner_pid;	/* out: COMP_STACK: whose stack holds it */
	__u32 waiters;		/* out: tasks on its wait list, this one included */
	char caller[MODRESCUE_SYMBOL_LEN];	/* out: where the wait was called */
	char where[MODRESCUE_SYMBOL_LEN];	/* out: COMP_MODULE: its symbol */
	__u32 reserved[2];	/* in: must be zero */
};

#define MODRESCUE_UNBLOCK_SIZE_V3	304

/* struct modrescue_quarantine.flags */
#define MODRESCUE_QUARANTINE_NOLOAD	(1u << 0)	/* also park pid (TASK_IDLE) */
/*
 * A LIVE module whose exit can never run safely (expect_state
 * MODRESCUE_STATE_LIVE): its task parked for good by the panic
 * containment (pid, which must be the only user found), or, with pid 0 and
 * no user at all, a lock of its own that a dead task holds and no one can
 * hand on. Its exit is cleared and it is marked GOING, so that no
 * delete_module(), forced or not, ever runs or frees it.
 */
#define MODRESCUE_QUARANTINE_LIVE	(1u << 1)

/* struct modrescue_quarantine.done */
#define MODRESCUE_QUARANTINE_PARKED	(1u << 0)	/* pid is out of the hung-task check */
#define MODRESCUE_QUARANTINE_EXPORTS	(1u << 1)	/* its exported symbols were hidden */
/* 6.4+, COMING: pid's entry left the idempotent-load table (same file reloads) */
#define MODRESCUE_QUARANTINE_LOADER	(1u << 2)
/* LIVE: its exit was cleared and it is GOING, never to be unloaded */
#define MODRESCUE_QUARANTINE_EXIT_CLEARED	(1u << 3)

/*
 * Quarantine a module a task is stuck in, COMING or GOING: rename it to
 * NAME.qN (struct module, its /sys/module directory and the holders links
 * of the modules it uses), hide its exported symbols, and keep all of its
 * memory, so that a fixed build can be loaded under NAME while the stuck
 * task sleeps on valid memory. delete_module() still refuses it (not LIVE).
 * Taints the kernel (TAINT_FORCED_RMMOD). With MODRESCUE_QUARANTINE_NOLOAD,
 * the stuck task pid is also parked out of the hung-task detector when that
 * is safe (see kernel/rescue/quarantine.c), and a loader stuck in init leaves the
 * kernel's idempotent-load table (6.4+). With MODRESCUE_QUARANTINE_LIVE, a
 * LIVE module (see that flag); any other user found refuses (-EBUSY).
 * Errors: -ENOENT no such module, -ESTALE not in expect_state, -EINVAL a
 * LIVE module without MODRESCUE_QUARANTINE_LIVE or a bad argument, -EALREADY
 * already quarantined, -EBUSY other modules use it, -ENAMETOOLONG no room
 * for the suffix, -EEXIST no free suffix.
 */
struct modrescue_quarantine {
	__u32 size;		/* in: sizeof(struct modrescue_quarantine) */
	__u32 flags;		/* in: MODRESCUE_QUARANTINE_NOLOAD */
	char name[MODRESCUE_NAME_LEN];	/* in: NUL-terminated module name */
	__u32 expect_state;	/* in: MODRESCUE_STATE_COMING or _GOING */
	__s32 pid;		/* in: the stuck task, for NOLOAD; else 0 */
	char new_name[MODRESCUE_NAME_LEN];	/* out: NAME.qN */
	__u32 old_state;	/* out: the state it was in */
	__u32 done;		/* out: MODRESCUE_QUARANTINE_PARKED, _EXPORTS */
};

#define MODRESCUE_QUARANTINE_SIZE_V3	152

#define MODRESCUE_IOC_UNBLOCK \
	_IOWR(MODRESCUE_IOC_MAGIC, 0x03, struct modrescue_unblock)
#define MODRESCUE_IOC_QUARANTINE \
	_IOWR(MODRESCUE_IOC_MAGIC, 0x04, struct modrescue_quarantine)

/* struct modrescue_repair_loader.flags */
#define MODRESCUE_REPAIR_DRY_RUN	(1u << 0)	/* count, change nothing */

/*
 * Mend the kernel's idempotent-load table (6.4 and later). finit_module()
 * links an entry from its own stack into that table while it loads; a
 * loader killed in the module's init never unlinks it, and the next
 * finit_module() of a file in the same bucket walks dead stack memory (and
 * may spin forever). Only entries on the stack of a live task inside
 * finit_module(), with consistent links, are kept; the rest are cut out.
 * Each cut is logged and taints the kernel (TAINT_FORCED_RMMOD). Errors:
 * -EOPNOTSUPP the helper was not given the table (older kernels have none),
 * -EINVAL a bad flag.
 */
struct modrescue_repair_loader {
	__u32 size;		/* in: sizeof(struct modrescue_repair_loader) */
	__u32 flags;		/* in: MODRESCUE_REPAIR_* */
	__u32 kept;		/* out: live entries left in place */
	__u32 dropped;		/* out: entries cut: dead loaders', and what
				 * their reused memory pointed at */
	__u32 truncated;	/* out: buckets too long to judge: left as found */
	__u32 reserved;		/* in: must be zero */
};

#define MODRESCUE_REPAIR_LOADER_SIZE_V4	24

#define MODRESCUE_IOC_REPAIR_LOADER \
	_IOWR(MODRESCUE_IOC_MAGIC, 0x05, struct modrescue_repair_loader)

/* struct modrescue_lockwatch.op */
#define MODRESCUE_LOCKWATCH_STATUS	0	/* say how it is */
#define MODRESCUE_LOCKWATCH_ON		1	/* arm the hooks */
#define MODRESCUE_LOCKWATCH_OFF		2	/* disarm them */

/*
 * Lockwatch: track who holds which spinlock. ON hooks the ten _raw_spin_*
 * entry points, all or none, and keeps the helper loaded while armed; OFF
 * unhooks them and waits until no task is inside a hook. On PREEMPT_RT, ON
 * hooks spinlock_t's rt_spin_lock, rt_spin_trylock, rt_spin_trylock_bh and
 * rt_spin_unlock instead, and raw spinlocks are not tracked: that kernel
 * inlines _raw_spin_unlock, which busy names (also while armed). Errors:
 * -EBUSY another IPMODIFY user (livepatch, another tracer) owns an entry
 * point, named in busy (or a task is still inside a hook of the previous
 * arming); -EOPNOTSUPP this kernel inlines one (named in busy);
 * -EALREADY already in the state asked for.
 */
struct modrescue_lockwatch {
	__u32 size;		/* in: sizeof(struct modrescue_lockwatch) */
	__u32 op;		/* in: MODRESCUE_LOCKWATCH_* */
	__u32 armed;		/* out: 1 while the hooks are armed */
	__u32 hooks;		/* out: entry points hooked */
	__s64 since;		/* out: armed at, seconds since the epoch */
	__u64 missed;		/* out: events not recorded (a full or busy table) */
	__u64 unknown;		/* out: releases of a lock never seen taken */
	char busy[MODRESCUE_SYMBOL_LEN];	/* out: see the errors */
	/* Since arming (V9): what makes lockwatch blind, and how much. */
	__u64 full;		/* out: acquisitions not recorded: table full */
	__u64 dropped;		/* out: other events not recorded (busy table,
				 * recursion guard) */
	__u64 reclaimed;	/* out: stale entries reclaimed by a full table */
	__u32 full_tables;	/* out: CPU-context tables full now */
	__u32 shared;		/* out: 1: another ftrace user shares a hooked
				 * function, so events may be skipped unseen:
				 * no held lock is reported as certain */
};

#define MODRESCUE_LOCKWATCH_SIZE_V6	136
#define MODRESCUE_LOCKWATCH_SIZE_V9	168

/* struct modrescue_lock.context: where the holder (or waiter) ran. */
#define MODRESCUE_LOCK_CTX_TASK		0
#define MODRESCUE_LOCK_CTX_SOFTIRQ	1
#define MODRESCUE_LOCK_CTX_HARDIRQ	2
#define MODRESCUE_LOCK_CTX_NMI		3

/* struct modrescue_lock.flags */
#define MODRESCUE_LOCK_WAITER	(1u << 0)	/* a task spinning on lock */
#define MODRESCUE_LOCK_ALIVE	(1u << 1)	/* the task is still alive */
/*
 * A sleeping lock (PREEMPT_RT's spinlock_t, an rtmutex): its holder may be
 * preempted or asleep, its waiters sleep. Its owner was checked against
 * the owner the lock stores itself.
 */
#define MODRESCUE_LOCK_SLEEPING	(1u << 2)

/*
 * One held lock, or one task waiting for a lock. lock is an id that is the
 * same for the holder and the waiters of one lock: the address where
 * kptr_restrict lets the caller see kernel pointers, else its hash (%p).
 */
struct modrescue_lock {
	__u64 lock;
	__u64 ns;		/* held for, or waiting for, so far */
	__s32 pid;		/* caller's PID namespace; 0 outside it */
	__u32 cpu;
	__u32 context;		/* MODRESCUE_LOCK_CTX_* */
	__u32 flags;		/* MODRESCUE_LOCK_* */
	char comm[16];
	char symbol[MODRESCUE_SYMBOL_LEN];	/* the lock's, "" if none */
	char site[MODRESCUE_SYMBOL_LEN];	/* the lock call's caller */
};

/*
 * The locks held now and the tasks spinning on one, from every CPU and
 * context. Entries whose state is uncertain (an event was lost, or the
 * lock was released elsewhere) are left out and counted. Errors: -ENODATA
 * lockwatch is off.
 */
struct modrescue_locks {
	__u32 size;		/* in: sizeof(struct modrescue_locks) */
	__u32 flags;		/* in: must be zero */
	__u64 entries;		/* in: user pointer to struct modrescue_lock[] */
	__u32 cap;		/* in: entries at entries */
	__u32 found;		/* out: entries found, even past cap */
	__u64 missed;		/* out: as in struct modrescue_lockwatch */
	__u64 uncertain;	/* out: entries left out as uncertain or stale */
};

#define MODRESCUE_LOCKS_SIZE_V6	40

#define MODRESCUE_IOC_LOCKWATCH \
	_IOWR(MODRESCUE_IOC_MAGIC, 0x06, struct modrescue_lockwatch)
#define MODRESCUE_IOC_LOCKS \
	_IOWR(MODRESCUE_IOC_MAGIC, 0x07, struct modrescue_locks)

/* struct modrescue_lock_release.flags */
#define MODRESCUE_LOCK_RELEASE_DRY_RUN	(1u << 0)	/* check only */

/* struct modrescue_lock_release.reason: why a lock was not released. */
enum modrescue_lock_release_reason {
	MODRESCUE_RELEASE_OK = 0,		/* released (dry run: would be) */
	MODRESCUE_RELEASE_NOT_HELD = 1,		/* lockwatch reports no holder */
	MODRESCUE_RELEASE_UNCERTAIN = 2,	/* an event for it was missed */
	MODRESCUE_RELEASE_ALIVE = 3,		/* its owner is alive */
	MODRESCUE_RELEASE_EXITING = 4,		/* its owner exits, still runs */
	MODRESCUE_RELEASE_CONTEXT = 5,		/* taken in IRQ/softirq/NMI */
	MODRESCUE_RELEASE_RECENT = 6,		/* held too briefly to judge */
	MODRESCUE_RELEASE_FREE = 7,		/* the lock word says free */
	MODRESCUE_RELEASE_SLEEPING = 8,		/* an rtmutex (PREEMPT_RT) */
	MODRESCUE_RELEASE_BAD_PLACE = 9,	/* not in memory we may write */
	MODRESCUE_RELEASE_FULL = 10,		/* too many releases this arming */
	MODRESCUE_RELEASE_HEAP = 11,		/* memory may be reused: unprovable */
	MODRESCUE_RELEASE_NOT_A_LOCK = 12,	/* the word is not a held lock */
	MODRESCUE_RELEASE_UNVALIDATED = 13,	/* placement cannot be checked */
};

/*
 * Release a spinlock whose owner is dead (lockwatch on). The lock is the
 * id LOCKS gives. Released only when lockwatch reports it held, with no
 * missed event about it, by a task that is gone (or dead: never to run
 * again), taken in task context, held at least a second, and its lock word
 * is exactly a held lock, in memory that is provably still that lock:
 * vmlinux's static writable data (or a CPU's copy of its per-CPU data), or
 * a live module's writable data (or per-CPU data) that module already had
 * when the lock was taken. The locked byte is then swapped to 0 with a
 * compare-and-exchange of exactly the held value, and lockwatch forgets
 * the entry. Taints the kernel
 * (TAINT_FORCED_RMMOD). owner is the entry as LOCKS gives it; dead_pid the
 * pid lockwatch recorded (only in the initial PID namespace, else 0).
 * Errors: -ENODATA lockwatch is off, -ENOENT not reported held, -EAGAIN
 * uncertain or too recent (try again), -EBUSY the owner is alive or still
 * exiting, -EPERM a context's lock, -ESTALE the lock word says free,
 * -EFAULT not in memory the helper may write, -EOPNOTSUPP a sleeping lock
 * (PREEMPT_RT), -ENOSPC too many releases, -EFAULT its memory may have
 * been freed and reused (heap, vmalloc, a module's memory that changed
 * owners; HEAP), -EINVAL the lock word is not a held lock (NOT_A_LOCK),
 * -EOPNOTSUPP the placement cannot be checked (UNVALIDATED: the kernel's
 * static data addresses were not given); reason says which.
 */
struct modrescue_lock_release {
	__u32 size;		/* in: sizeof(struct modrescue_lock_release) */
	__u32 flags;		/* in: MODRESCUE_LOCK_RELEASE_* */
	__u64 lock;		/* in: the lock's id */
	__u32 reason;		/* out: enum modrescue_lock_release_reason */
	__s32 dead_pid;		/* out: see above */
	struct modrescue_lock owner;	/* out: the holder's entry */
	__u32 reserved[2];	/* in: must be zero */
};

#define MODRESCUE_LOCK_RELEASE_SIZE_V7	272

#define MODRESCUE_IOC_LOCK_RELEASE \
	_IOWR(MODRESCUE_IOC_MAGIC, 0x08, struct modrescue_lock_release)
/* struct modrescue_contain.op */
#define MODRESCUE_CONTAIN_STATUS	0	/* say how it is */
#define MODRESCUE_CONTAIN_ON		1	/* arm (or re-arm as asked) */
#define MODRESCUE_CONTAIN_OFF		2	/* disarm */

/* struct modrescue_contain.flags */
#define MODRESCUE_CONTAIN_PANIC		(1u << 0)	/* contain panics too */

/* Panics contained before the real panic() runs again, by default. */
#define MODRESCUE_CONTAIN_PANIC_MAX	3

/* How many modules' panics may be named for containment (ABI 9). */
#define MODRESCUE_CONTAIN_MODULES	8

/*
 * Containment (issue 11). ON keeps lockwatch armed (arming it if it is
 * off; lockwatch OFF is refused until containment is off) and hooks the
 * oops exit path, make_task_dead(): a task that dies of an oops in process
 * context first releases, newest first, the spinlocks lockwatch saw it
 * take that are a module's own (its memory, or taken by its code; only
 * the faulting module's when the oops is in a module's code), each with
 * the unlock that undoes its lock call; any other is logged and left. With
 * MODRESCUE_CONTAIN_PANIC it also hooks panic(): called from the code of
 * a module named in modules[], in preemptible process context, holding
 * none of the core kernel's sleeping locks it can see (a journal handle,
 * its mm's mmap_lock for writing, rtnl), at most panic_max times, the task's
 * locks are released and it is parked for good in TASK_IDLE instead; any
 * other panic is the kernel's own. ON again with other flags re-arms as
 * asked. OFF unhooks both, lockwatch stays on. Both taint the kernel when
 * they act. Errors: -EBUSY, -EOPNOTSUPP as for LOCKWATCH_ON (what is in
 * the way in busy; also a hook point another IPMODIFY user owns),
 * -ENOENT make_task_dead or panic cannot be traced, -EALREADY already in
 * the state asked for.
 */
struct modrescue_contain {
	__u32 size;		/* in: sizeof(struct modrescue_contain) */
	__u32 op;		/* in: MODRESCUE_CONTAIN_* */
	__u32 flags;		/* in (ON): MODRESCUE_CONTAIN_PANIC; out: armed */
	__u32 panic_max;	/* in (ON): 0 for the default; out: in force */
	__u32 armed;		/* out: 1 while oops containment is armed */
	__u32 lockwatch;	/* out: 1 lockwatch is on, 2 this call armed it */
	__s64 since;		/* out: armed at, seconds since the epoch */
	__u64 oopses;		/* out: oopsing tasks whose locks were looked at */
	__u64 panics;		/* out: panics contained (tasks parked) */
	__u64 released;		/* out: locks released */
	__u64 left;		/* out: locks left: an interrupt's, or unsure */
	char busy[MODRESCUE_SYMBOL_LEN];	/* out: see the errors */
	/*
	 * ABI 9. in (ON with MODRESCUE_CONTAIN_PANIC): the modules whose own
	 * panics may be parked, 1 to MODRESCUE_CONTAIN_MODULES names (a
	 * panic called from any other code, vmlinux included, is never
	 * parked; an older caller asking for panics without names gets
	 * -EINVAL); out: the names in force.
	 */
	__u32 n_modules;
	__u32 reserved9;	/* in: must be zero */
	char modules[MODRESCUE_CONTAIN_MODULES][MODRESCUE_NAME_LEN];
};

#define MODRESCUE_CONTAIN_SIZE_V7	160
#define MODRESCUE_CONTAIN_SIZE_V9	680

/* Number 0x09: 0x08 is LOCK_RELEASE (issue 11, part 1). */
#define MODRESCUE_IOC_CONTAIN \
	_IOWR(MODRESCUE_IOC_MAGIC, 0x09, struct modrescue_contain)

/* struct modrescue_leftover.kind: what a crashed exit or init left behind. */
enum modrescue_leftover_kind {
	MODRESCUE_LEFTOVER_UNKNOWN = 0,		/* the search could not look */
	MODRESCUE_LEFTOVER_POINTER = 1,		/* kernel data points into it */
	MODRESCUE_LEFTOVER_LINKED = 2,		/* its object is on a kernel list */
	MODRESCUE_LEFTOVER_TIMER = 3,		/* a pending timer_list */
	MODRESCUE_LEFTOVER_HRTIMER = 4,		/* a queued hrtimer */
	MODRESCUE_LEFTOVER_WORK = 5,		/* a pending work_struct */
	MODRESCUE_LEFTOVER_DELAYED_WORK = 6,	/* a pending delayed_work */
	MODRESCUE_LEFTOVER_MISC = 7,		/* a registered miscdevice */
	MODRESCUE_LEFTOVER_NOTIFIER = 8,	/* a notifier_block on a chain */
	MODRESCUE_LEFTOVER_CDEV = 9,		/* an added cdev */
	MODRESCUE_LEFTOVER_DRIVER = 10,		/* a registered device_driver */
	MODRESCUE_LEFTOVER_IRQ = 11,		/* an irqaction's handler */
};

/* struct modrescue_leftover.flags */
#define MODRESCUE_LEFTOVER_UNDOABLE	(1u << 0)	/* FINISH undoes it exactly */
#define MODRESCUE_LEFTOVER_UNDONE	(1u << 1)	/* FINISH undid it */
/* A fixed build of the module registers the same name again and fails. */
#define MODRESCUE_LEFTOVER_COLLIDES	(1u << 2)

#define MODRESCUE_LEFTOVER_TEXT_LEN	160

struct modrescue_leftover {
	__u32 kind;		/* enum modrescue_leftover_kind */
	__u32 flags;		/* MODRESCUE_LEFTOVER_* */
	__u64 object;		/* its address; 0 unless kptr_restrict allows */
	/* kmod-style: "timer hp_tick [hp_x] pending on CPU 1" */
	char what[MODRESCUE_LEFTOVER_TEXT_LEN];
};

/* struct modrescue_leftovers.flags */
/*
 * Undo what has an exact exported undo (timer_delete_sync, hrtimer_cancel,
 * cancel_work_sync, cancel_delayed_work_sync, misc_deregister, the reboot
 * and panic chains' unregister), then look again. Taints the kernel.
 */
#define MODRESCUE_LEFTOVERS_FINISH	(1u << 0)

/*
 * What a module whose exit (GOING) or init (COMING) crashed left registered
 * that still points into it, looked for in the kernel: objects in its
 * memory (and in the heap objects its memory points to) that the kernel's
 * own tests call registered (timer_pending, hrtimer_is_queued,
 * work_pending, a miscdevice or any list node linked from outside, an
 * added cdev, a registered driver); IRQ actions with its handlers; and any
 * word of the kernel's static data, every CPU's per-CPU data and other
 * modules' data that points into it. PREPARE_UNLOAD runs the same search
 * and refuses (-ENOTEMPTY) while anything is found. Entries past cap are
 * counted in found. Errors: -ENOENT, -ESTALE not in expect_state,
 * -EINVAL a LIVE module or a bad argument, -EBUSY a user was found (no
 * undo is done then), -EOPNOTSUPP the kernel's static data was not given.
 */
struct modrescue_leftovers {
	__u32 size;		/* in: sizeof(struct modrescue_leftovers) */
	__u32 flags;		/* in: MODRESCUE_LEFTOVERS_* */
	char name[MODRESCUE_NAME_LEN];	/* in: NUL-terminated module name */
	__u32 expect_state;	/* in: MODRESCUE_STATE_COMING or _GOING */
	__u32 cap;		/* in: entries at items (may be 0) */
	__u64 items;		/* in: user pointer to struct modrescue_leftover[] */
	__u32 found;		/* out: leftovers found (after the undo) */
	__u32 undone;		/* out: FINISH: leftovers undone */
	__u64 scanned;		/* out: bytes of kernel memory read */
	__u64 nsecs;		/* out: how long the search took */
	/* in: sizeof(struct modrescue_leftover) the caller has, or 0 */
	__u32 item_size;
	__u32 reserved;		/* in: must be zero */
};

#define MODRESCUE_LEFTOVERS_SIZE_V8	120

#define MODRESCUE_IOC_LEFTOVERS \
	_IOWR(MODRESCUE_IOC_MAGIC, 0x0a, struct modrescue_leftovers)

#endif /* _UAPI_MODRESCUE_H */
