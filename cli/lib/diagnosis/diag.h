/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Read-only diagnosis of loaded modules: the data model shared by the
 * readers (modfacts.c, taskscan.c), the pure logic (verdict.c, explain.c),
 * the renderers (render.c) and the commands (status, why, and later unload).
 *
 * One struct mr_diag holds a snapshot: the modules asked about and the tasks
 * that matter to them. Modules refer to tasks by index, so the task array
 * can grow while it is being built.
 */
#ifndef MODRESCUE_DIAG_H
#define MODRESCUE_DIAG_H

#include <stdbool.h>
#include <stddef.h>

struct kmod_ctx;
struct mr_lock_wait;

/* x86_64 syscall numbers, as /proc/PID/syscall prints them. */
#define MR_NR_INIT_MODULE 175
#define MR_NR_DELETE_MODULE 176
#define MR_NR_FINIT_MODULE 313
/* struct mr_task.syscall when /proc/PID/syscall said "running" or nothing. */
#define MR_SYSCALL_UNKNOWN (-2L)
/* ... and when the task is not in a syscall (the kernel prints -1). */
#define MR_SYSCALL_NONE (-1L)

/* The kernel's MODULE_NAME_LEN, terminator included. */
#define MR_MODNAME_LEN 56
#define MR_COMM_LEN 64

enum mr_state {
	MR_STATE_UNKNOWN = 0,
	MR_STATE_LIVE,
	MR_STATE_COMING,
	MR_STATE_GOING,
};

/* What a task does with a module (see mr_task_relation()). */
enum mr_op {
	MR_OP_OTHER = 0, /* runs the module's code */
	MR_OP_LOAD, /* inside init_module/finit_module for it */
	MR_OP_UNLOAD, /* inside delete_module for it */
};

/*
 * Verdicts in precedence order: when several apply, the lowest value wins.
 * A quarantined copy ("NAME.qN") keeps its stuck task for good, so it says
 * quarantined rather than blocked.
 */
enum mr_verdict {
	MR_VERDICT_QUARANTINED = 0,
	MR_VERDICT_BLOCKED,
	MR_VERDICT_GOING,
	MR_VERDICT_COMING,
	MR_VERDICT_HAS_HOLDERS,
	MR_VERDICT_IN_USE,
	MR_VERDICT_NO_EXIT,
	MR_VERDICT_UNLOADABLE,
	MR_VERDICT_COUNT,
};

/* One thread, as read from /proc/PID/task/TID. */
struct mr_task {
	int pid; /* the thread id */
	int tgid;
	char comm[MR_COMM_LEN];
	char state; /* R, S, D, ... from stat; '?' when unknown */
	long syscall; /* syscall number, or MR_SYSCALL_NONE/_UNKNOWN */
	/* The module the load/unload syscall's arguments name, or NULL. */
	char *target;
	char *wchan; /* never NULL; "" when unreadable */
	char **stack; /* frames, innermost first, "[<0>] " prefix removed */
	size_t n_stack;
	bool stack_known; /* /proc/PID/stack was readable */
	long age_s; /* seconds since the task started; -1 when unknown */
	/*
	 * The task is on a CPU: the kernel shows neither its syscall
	 * ("running") nor its stack. Then the module names its command line
	 * gives (rmmod NAME, insmod PATH.ko) are all there is to go by.
	 */
	bool on_cpu;
	char **cmd_mods;
	size_t n_cmd_mods;
};

/* A task's relation to one module. */
struct mr_task_ref {
	size_t task; /* index into mr_diag.tasks */
	enum mr_op op;
	bool in_code; /* one of its frames is in the module's code */
	bool stuck; /* it is stuck in the module's init or exit */
	/* Parked for good in the module's code by a contained panic. */
	bool parked;
	/* Related by its command line only (an on-CPU task, see above). */
	bool guessed;
};

/* An open file that may pin a module (see mr_openers_scan()). */
struct mr_opener {
	int pid;
	char comm[MR_COMM_LEN];
	int fd;
	char *path;
};

/* What the kernel log says about the oops that left a module GOING/COMING. */
enum mr_crash_seen {
	MR_CRASH_UNASKED = 0, /* not looked for: LIVE, or a task is in it */
	MR_CRASH_FOUND, /* the fields below name it */
	MR_CRASH_NOT_IN_LOG, /* the log has no such oops (any more) */
	MR_CRASH_LOG_DENIED, /* /dev/kmsg cannot be read (dmesg_restrict) */
};

#define MR_CRASH_FRAME_LEN 160
#define MR_CRASH_CAUSE_LEN 128

struct mr_crash {
	enum mr_crash_seen seen;
	bool in_init; /* the oops was in its init; else in its exit */
	long long usec; /* when, microseconds since boot; -1 when unknown */
	int pid; /* as the kernel log gives it */
	char comm[16];
	/* Its frame in the module: "hp_x_exit+0x5/0x40 [hp_x]". */
	char frame[MR_CRASH_FRAME_LEN];
	char cause[MR_CRASH_CAUSE_LEN]; /* "BUG: kernel NULL pointer ..." */
	/*
	 * NOT_IN_LOG: the oldest record the log still has (its time, -1 when
	 * unknown), and whether the log is whole since boot (record 0).
	 */
	long long log_from_usec;
	bool log_whole;
	int log_err; /* LOG_DENIED: the negative errno of opening /dev/kmsg */
};

struct mr_module {
	char *name;
	enum mr_state state;
	bool refcnt_known;
	long refcnt; /* module_refcount(): -1 once an unload has started */
	char **holders; /* modules that depend on this one */
	size_t n_holders;
	bool has_exit_known;
	/*
	 * false when /proc/modules says "[permanent]": an init but no exit,
	 * which the kernel refuses to unload without force.
	 */
	bool has_exit;
	bool quarantined; /* named NAME.qN by modrescue's quarantine */
	struct mr_task_ref *tasks;
	size_t n_tasks;
	struct mr_opener *openers; /* filled only on request */
	size_t n_openers;
	enum mr_verdict verdict;
	/*
	 * With lockwatch on: tracked locks its tasks wait for, or its locks
	 * others wait for (lockwait.h). Filled only on request.
	 */
	struct mr_lock_wait *lock_waits;
	size_t n_lock_waits;
	/*
	 * GOING or COMING with no task left in it: the oops that left it so
	 * (crashfacts.c). Filled only on request.
	 */
	struct mr_crash crash;
	/*
	 * Users of its block devices that no process shows: "swap on
	 * /dev/loop0", "held by dm-0 (/sys/block/loop0/holders)" (see
	 * mounts.h). Filled with the openers, only on request.
	 */
	char **bdev_users;
	size_t n_bdev_users;
};

/* What lockwatch could tell the diagnosis. */
enum mr_lockwatch_seen {
	MR_LOCKWATCH_UNASKED = 0, /* not asked, or it could not be asked */
	MR_LOCKWATCH_OFF, /* the helper is not loaded, or not armed */
	MR_LOCKWATCH_ON, /* armed: mr_module.lock_waits are filled */
};

struct mr_diag {
	struct mr_module *mods;
	size_t n_mods;
	struct mr_task *tasks;
	size_t n_tasks;
	size_t tasks_scanned; /* threads looked at */
	/* Some stacks could not be read (not root): stuck tasks are unseen. */
	bool tasks_denied;
	bool openers_scanned;
	bool openers_denied;
	enum mr_lockwatch_seen lockwatch;
};

struct mr_diag_opts {
	/* The modules to diagnose (normalized names); none: all of them. */
	const char *const *names;
	size_t n_names;
	/* Also look for open files that may pin modules with references. */
	bool want_openers;
	/*
	 * Also ask lockwatch, when it is on, which tracked locks the modules'
	 * tasks wait for. Loads nothing and arms nothing.
	 */
	bool want_locks;
	/*
	 * Also read the kernel log for the oops that left a GOING or COMING
	 * module there, when no task is left in it.
	 */
	bool want_crash;
};

/*
 * Diagnose the loaded modules: their facts (libkmod, /proc/modules,
 * /sys/module), the tasks in their code or in their init/exit, and the
 * verdicts. Reads only. CTX may be NULL (a private context is made).
 * Named modules that are not loaded are simply absent from the result (see
 * mr_diag_find()). Returns 0, or a negative errno when /proc/modules cannot
 * be read; on error *d is empty.
 */
int mr_diag_collect(struct kmod_ctx *ctx, const struct mr_diag_opts *opts,
		    struct mr_diag *d);
void mr_diag_free(struct mr_diag *d);
struct mr_module *mr_diag_find(const struct mr_diag *d, const char *name);

/* kmod's normalization of a module name: '-' becomes '_'. In place. */
void mr_modname_normalize(char *name);

/* ---- pure logic (verdict.c) ---- */

const char *mr_state_name(enum mr_state s);
const char *mr_op_name(enum mr_op op);
const char *mr_verdict_name(enum mr_verdict v);

/*
 * Is NAME a quarantined module's name, "BASE.qN"? Then BASE goes to BUF
 * (when BUF is not NULL).
 */
bool mr_quarantine_name(const char *name, char *buf, size_t len);

/*
 * The module a task's load/unload syscall works on: the syscall's own
 * argument when it could be read, else the module of its outermost module
 * frame (the init or exit the syscall called). NULL if neither. A module
 * quarantined while the task was inside it shows as NAME.qN in the frames
 * while the argument still says NAME: then the frames win. The result
 * points into the task or into BUF.
 */
const char *mr_task_subject(const struct mr_task *t, char *buf, size_t len);

/*
 * Is T parked for good by modrescue's panic containment (a frame in the
 * helper's mr_ct_try_park)? Its frames in a module keep that module's code.
 */
bool mr_task_parked(const struct mr_task *t);

/*
 * How task T relates to module MOD (in STATE): true, with REF's op,
 * in_code and guessed filled, when T is inside a load/unload syscall for
 * MOD or has a frame in MOD's code; or, for a task on a CPU (syscall and
 * stack hidden) whose command line names MOD, guessed: unload when MOD is
 * GOING, load when it is COMING, unrelated when it is LIVE.
 */
bool mr_task_relation(const struct mr_task *t, const char *mod,
		      enum mr_state state, struct mr_task_ref *ref);

/*
 * Is a task with this relation stuck in the module's init or exit? A load
 * or unload with a frame in the module's code; an unload of a GOING module
 * even without one (a task past the exit is still inside the unload); or a
 * guessed one (its stack is hidden because it spins on a CPU).
 */
bool mr_ref_is_stuck(enum mr_state state, const struct mr_task_ref *ref);

/* The verdict from the facts and m->tasks[].stuck, in precedence order. */
enum mr_verdict mr_verdict_of(const struct mr_module *m);

/*
 * Fill every module's task references from d->tasks (replacing any), and
 * its verdict. Returns 0 or -ENOMEM.
 */
int mr_diag_judge(struct mr_diag *d);

/* ---- stack frames (verdict.c) ---- */

/*
 * The module of a frame "func+0x1/0x2 [mod]" into BUF (empty when the frame
 * is in the core kernel). Returns true for a module frame.
 */
bool mr_frame_module(const char *frame, char *buf, size_t len);
/* The function of a frame, without offset or compiler suffix, into BUF. */
void mr_frame_func(const char *frame, char *buf, size_t len);

#endif /* MODRESCUE_DIAG_H */
