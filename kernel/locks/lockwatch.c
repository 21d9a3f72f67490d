// SPDX-License-Identifier: GPL-2.0
/*
 * Lockwatch's control: arming the spinlock hooks (lockhooks.c), all or
 * none, disarming them so that no task is left inside a wrapper, and the
 * snapshot of who holds which lock and who spins on one, from every CPU
 * and context (locktable.c does the bookkeeping and its rules).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/ftrace.h>
#include <linux/jiffies.h>
#include <linux/kdebug.h>
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pid_namespace.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <linux/stacktrace.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "locks.h"
#include "modrescue.h"

/* Arming and disarming; never taken by a hook. */
static DEFINE_MUTEX(mr_lw_mutex);
static bool mr_lw_armed;
/*
 * Disarmed while a task was still inside a wrapper (asleep in a lock that
 * never came, say): its tables and the helper's module reference are kept
 * until the last such task has left (mr_lw_reap()), and no new arming
 * starts until then.
 */
static bool mr_lw_stuck;
/* How long disarming waits for the tasks inside a wrapper to leave. */
#define MR_LW_DRAIN_MS 30000
/* How long each CPU has to schedule before disarming. */
#define MR_LW_SPIN_MS 2000
static time64_t mr_lw_since;
/* Users that need lockwatch armed (contain.c): OFF is refused meanwhile. */
static unsigned int mr_lw_holders;
/* Keys the lock ids of one arming: ids that hide the addresses. */
static siphash_key_t mr_lw_key;

static struct ftrace_ops mr_lw_ops = {
	.func = mr_lw_redirect,
	/*
	 * Redirects; one IPMODIFY user per function, so a conflict shows.
	 * PERMANENT: sysctl ftrace_enabled=0 would silence the hooks while
	 * the tables still look complete; it is refused while armed.
	 */
	.flags = FTRACE_OPS_FL_IPMODIFY | FTRACE_OPS_FL_PERMANENT,
};

/*
 * The unlock entry points: a plain callback that forgets the entry before
 * the real unlock runs (mr_lw_forget_hook(), lockhooks.c). No IPMODIFY: it
 * redirects nothing, so it shares its sites with another IPMODIFY user (a
 * livepatch); ftrace then calls it from its list function, which
 * mr_lw_shared reports (no entry is then taken as certain).
 */
static struct ftrace_ops mr_lw_unlock_ops = {
	.func = mr_lw_forget_hook,
	.flags = FTRACE_OPS_FL_PERMANENT,
};

/* The probe's callback: it must redirect nothing (the tables are gone). */
static void notrace mr_lw_probe_nop(unsigned long ip, unsigned long parent_ip,
				    struct ftrace_ops *op,
				    struct ftrace_regs *fregs)
{
}

/* Which entry point another IPMODIFY user already owns, into busy. */
static void mr_lw_find_owner(char *busy, size_t len)
{
	struct ftrace_ops probe = { .func = mr_lw_probe_nop,
				    .flags = FTRACE_OPS_FL_IPMODIFY };
	unsigned int i;

	for (i = 0; i < mr_lw_nr_hooks; i++) {
		int ret;

		if (!mr_lw_hooks[i].redirect)
			continue; /* an unlock shares its site */
		ret = ftrace_set_filter_ip(&probe, mr_lw_hooks[i].func, 0, 1);

		if (!ret)
			ret = register_ftrace_function(&probe);
		if (!ret) {
			unregister_ftrace_function(&probe);
		} else if (ret == -EBUSY) {
			strscpy(busy, mr_lw_hooks[i].name, len);
			break;
		}
	}
	ftrace_free_filter(&probe);
}

/* Every table, for a full one to reclaim by (locktable.h): NULL for holes. */
static const struct mr_lt_table **mr_lw_peers;

static void mr_lw_free_tables(void)
{
	free_percpu(mr_lw_cpus);
	mr_lw_cpus = NULL;
	kvfree(mr_lw_peers);
	mr_lw_peers = NULL;
}

static int mr_lw_alloc_tables(void)
{
	unsigned int cpu, c, n = nr_cpu_ids * MR_LT_NR_CTX;

	mr_lw_cpus = alloc_percpu(struct mr_lw_cpu);
	mr_lw_peers = kvcalloc(n, sizeof(*mr_lw_peers), GFP_KERNEL);
	if (!mr_lw_cpus || !mr_lw_peers) {
		mr_lw_free_tables();
		return -ENOMEM;
	}
	for_each_possible_cpu(cpu)
		for (c = 0; c < MR_LT_NR_CTX; c++)
			mr_lw_peers[cpu * MR_LT_NR_CTX + c] =
				&per_cpu_ptr(mr_lw_cpus, cpu)->ctx[c];
	for_each_possible_cpu(cpu)
		for (c = 0; c < MR_LT_NR_CTX; c++) {
			struct mr_lt_table *t =
				&per_cpu_ptr(mr_lw_cpus, cpu)->ctx[c];

			mr_lt_init(t);
			mr_lt_set_peers(t, mr_lw_peers, n);
		}
	return 0;
}

/*
 * A task that oopses inside a wrapper (spin_lock(&p->lock) with a bad p
 * faults in the wrapper's inlined lock body, or in the kernel's slow path
 * below it) dies there without counting itself out, and disarming would
 * wait for it for ever. The die chain's DIE_OOPS runs in that task,
 * before oops_end() kills it: its stack, unwound through the exception
 * frame, says how many wrapper frames it is in, and they are counted out
 * for it. Last on the chain (lowest priority): a notifier that stops the
 * chain (a debugger) keeps the task alive, and then this one is not
 * called. An oops that panics instead needs nothing. The unwinder must be
 * exact (ORC or frame pointers), or nothing is repaired.
 */
#define MR_LW_DIE_DEPTH 48

static int mr_lw_on_die(struct notifier_block *nb, unsigned long val,
			void *data)
{
	unsigned long trace[MR_LW_DIE_DEPTH], caller = 0;
	struct die_args *args = data;
	const char *hook = "";
	unsigned int n, frames;

	if (val != DIE_OOPS || !args->regs || user_mode(args->regs) ||
	    in_interrupt() ||
	    !(IS_ENABLED(CONFIG_UNWINDER_ORC) ||
	      IS_ENABLED(CONFIG_UNWINDER_FRAME_POINTER)))
		return NOTIFY_DONE;
	n = stack_trace_save(trace, ARRAY_SIZE(trace), 0);
	frames = mr_lw_wrapper_frames(trace, n, &hook, &caller);
	if (!frames)
		return NOTIFY_DONE;
	mr_lw_inflight_repair(frames);
	pr_err("lockwatch: %s[%d] oopsed inside the lock hook of %s, called from %pS: the fault is the caller's (a bad lock pointer, say), not the helper's; the hook no longer counts the task in\n",
	       current->comm, task_pid_nr(current), hook, (void *)caller);
	return NOTIFY_DONE;
}

static struct notifier_block mr_lw_die_nb = {
	.notifier_call = mr_lw_on_die,
	.priority = INT_MIN,
};

static int mr_lw_arm(struct modrescue_lockwatch *arg)
{
	unsigned int i;
	int ret;

	if (mr_lw_refuse) {
		strscpy(arg->busy, mr_lw_inlined, sizeof(arg->busy));
		return -EOPNOTSUPP;
	}
	if (mr_lw_stuck) {
		strscpy(arg->busy, "a task still inside a lock hook",
			sizeof(arg->busy));
		return -EBUSY;
	}
	ret = mr_lw_pass_init();
	if (ret)
		return ret;
	ret = mr_lw_alloc_tables();
	if (ret)
		return ret;
	WRITE_ONCE(mr_lw_shared, false);
	for (i = 0; i < mr_lw_nr_hooks && !ret; i++)
		ret = ftrace_set_filter_ip(mr_lw_hooks[i].redirect ?
					   &mr_lw_ops : &mr_lw_unlock_ops,
					   mr_lw_hooks[i].func, 0, 0);
	/*
	 * Two registrations arm every entry point, or none. Unlocks first:
	 * a release seen before any acquisition is recorded only leaves a
	 * tombstone, but an acquisition recorded while its release could
	 * still go unseen would stay behind as a stale entry that no rule
	 * drops (it was released, and nothing says so).
	 */
	if (!ret)
		ret = register_ftrace_function(&mr_lw_unlock_ops);
	if (!ret) {
		ret = register_ftrace_function(&mr_lw_ops);
		if (ret)
			unregister_ftrace_function(&mr_lw_unlock_ops);
	}
	if (ret) {
		mr_ftrace_free_filter(&mr_lw_ops);
		mr_ftrace_free_filter(&mr_lw_unlock_ops);
		mr_lw_free_tables();
		if (ret == -EBUSY)
			mr_lw_find_owner(arg->busy, sizeof(arg->busy));
		pr_info("lockwatch not armed: %d %s\n", ret, arg->busy);
		return ret;
	}
	register_die_notifier(&mr_lw_die_nb);
	/* Armed, the helper must stay: its wrappers are in the call path. */
	__module_get(THIS_MODULE);
	mr_lw_armed = true;
	mr_lw_since = ktime_get_real_seconds();
	get_random_bytes(&mr_lw_key, sizeof(mr_lw_key));
	mr_lr_reset();
	pr_info("lockwatch armed on %u entry points\n", mr_lw_nr_hooks);
	return 0;
}

/*
 * No task is inside a wrapper any more: free the tables and let the helper
 * go. RCU Tasks covers the last instructions of a wrapper after its exit
 * count (a task preempted there is still on a runqueue, which RCU Tasks
 * waits for). On 6.1 RCU Tasks takes the idle task for quiescent, so a
 * wrapper called from idle (or from a CPU going offline) is waited for by
 * RCU Tasks Rude, which schedules on every CPU; ftrace itself does both
 * before it frees a trampoline (ftrace_shutdown(), 6.1 and 6.12).
 */
static void mr_lw_release(void)
{
	unregister_die_notifier(&mr_lw_die_nb);
	synchronize_rcu_tasks();
	synchronize_rcu_tasks_rude();
	mr_lw_free_tables();
	mr_lw_stuck = false;
	module_put(THIS_MODULE);
}

/* Finish a disarming that had to leave a task inside a wrapper. */
static void mr_lw_reap(void)
{
	if (mr_lw_stuck && mr_lw_inflight_sum() <= 0) {
		mr_lw_release();
		pr_info("lockwatch: the last task left its lock hook\n");
	}
}

/*
 * Can every online CPU schedule? Unhooking (ftrace_shutdown() for a
 * module's ops) waits for RCU Tasks Rude, which runs a work item on each
 * CPU, and for RCU Tasks, which waits for each running task to switch: a
 * CPU spinning with preemption off (a task inside a wrapper, or anywhere,
 * on a lock whose owner died) would keep it, ftrace_lock and mr_lw_mutex
 * waiting for good. So a work item is queued on each online CPU first, and
 * all must run within MR_LW_SPIN_MS. A sleeping waiter (PREEMPT_RT's
 * rtmutex) does not stop its CPU: mr_lw_disarm() leaves it behind. Under
 * mr_lw_mutex; a probe still queued on a stuck CPU is queued again only
 * once it ran.
 */
struct mr_lw_probe {
	struct work_struct work;
	bool ran;
};
static DEFINE_PER_CPU(struct mr_lw_probe, mr_lw_probes);
static bool mr_lw_probes_ready;

static void mr_lw_probe_ran(struct work_struct *work)
{
	WRITE_ONCE(container_of(work, struct mr_lw_probe, work)->ran, true);
}

static bool mr_lw_cpus_schedule(void)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(MR_LW_SPIN_MS);
	bool all;
	int cpu;

	if (!mr_lw_probes_ready) {
		for_each_possible_cpu(cpu)
			INIT_WORK(&per_cpu_ptr(&mr_lw_probes, cpu)->work,
				  mr_lw_probe_ran);
		mr_lw_probes_ready = true;
	}
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		struct mr_lw_probe *p = per_cpu_ptr(&mr_lw_probes, cpu);

		if (work_pending(&p->work))
			continue;
		WRITE_ONCE(p->ran, false);
		queue_work_on(cpu, system_wq, &p->work);
	}
	for (;;) {
		all = true;
		for_each_online_cpu(cpu)
			all &= READ_ONCE(per_cpu_ptr(&mr_lw_probes, cpu)->ran);
		if (all || time_after(jiffies, deadline))
			break;
		msleep(20);
	}
	cpus_read_unlock();
	return all;
}

/* No probe may run once the helper's code is freed (module exit). */
static void mr_lw_probes_cancel(void)
{
	int cpu;

	if (!mr_lw_probes_ready)
		return;
	for_each_possible_cpu(cpu)
		cancel_work_sync(&per_cpu_ptr(&mr_lw_probes, cpu)->work);
}

static void mr_lw_disarm(void)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(MR_LW_DRAIN_MS);
	long inside;

	/*
	 * No task enters a wrapper after this (locks first, for the reason
	 * given where they are registered)...
	 */
	unregister_ftrace_function(&mr_lw_ops);
	unregister_ftrace_function(&mr_lw_unlock_ops);
	mr_ftrace_free_filter(&mr_lw_ops);
	mr_ftrace_free_filter(&mr_lw_unlock_ops);
	/*
	 * ... but some may be inside one: preempted, spinning, or (PREEMPT_RT)
	 * asleep in rt_spin_lock(), which RCU Tasks does not wait for (it
	 * skips sleeping tasks). Each counted itself in: wait until all have
	 * counted themselves out. Should one stay (a lock never granted), keep
	 * its tables and the helper rather than free code it will return to.
	 */
	while ((inside = mr_lw_inflight_sum()) > 0 &&
	       time_before(jiffies, deadline))
		msleep(20);
	mr_lw_armed = false;
	if (inside > 0) {
		mr_lw_stuck = true;
		pr_warn("lockwatch disarmed; %ld task(s) still inside a lock hook keep the helper loaded\n",
			inside);
		return;
	}
	mr_lw_release();
	pr_info("lockwatch disarmed\n");
}

/* What the tables say of their blindness, summed (arg's out fields). */
struct mr_lw_sums {
	u64 missed;
	u64 unknown;
	u64 full;
	u64 dropped;
	u64 reclaimed;
	u32 full_tables;
};

/* Sum the counters of every table. */
static void mr_lw_counts(struct mr_lw_sums *m)
{
	unsigned int cpu, c;

	memset(m, 0, sizeof(*m));
	if (!mr_lw_armed)
		return;
	for_each_possible_cpu(cpu) {
		for (c = 0; c < MR_LT_NR_CTX; c++) {
			const struct mr_lt_table *t =
				&per_cpu_ptr(mr_lw_cpus, cpu)->ctx[c];
			const struct mr_lt_counts *n = &t->counts;

			m->missed += READ_ONCE(n->full) + READ_ONCE(n->nested) +
				     READ_ONCE(n->lost) + READ_ONCE(n->waits);
			m->unknown += READ_ONCE(n->unknown);
			m->full += READ_ONCE(n->full);
			m->dropped += READ_ONCE(n->nested) +
				      READ_ONCE(n->lost);
			m->reclaimed += READ_ONCE(n->reclaimed);
			m->full_tables += mr_lt_is_full(t);
		}
	}
}

long mr_ioctl_lockwatch(struct modrescue_lockwatch *arg)
{
	struct mr_lw_sums sums;
	long ret = 0;

	BUILD_BUG_ON(sizeof(*arg) != MODRESCUE_LOCKWATCH_SIZE_V9);
	if (arg->op > MODRESCUE_LOCKWATCH_OFF)
		return -EINVAL;
	memset(arg->busy, 0, sizeof(arg->busy));
	ret = mutex_lock_killable(&mr_lw_mutex);
	if (ret)
		return ret;
	mr_lw_reap();
	if (arg->op == MODRESCUE_LOCKWATCH_ON)
		ret = mr_lw_armed ? -EALREADY : mr_lw_arm(arg);
	else if (arg->op == MODRESCUE_LOCKWATCH_OFF && !mr_lw_armed)
		ret = -EALREADY;
	else if (arg->op == MODRESCUE_LOCKWATCH_OFF && mr_lw_holders)
		ret = -EBUSY; /* containment needs it: contain off first */
	else if (arg->op == MODRESCUE_LOCKWATCH_OFF && !mr_lw_cpus_schedule())
		ret = -EDEADLK; /* release that lock first */
	else if (arg->op == MODRESCUE_LOCKWATCH_OFF)
		mr_lw_disarm();
	arg->armed = mr_lw_armed;
	arg->hooks = mr_lw_armed ? mr_lw_nr_hooks : 0;
	arg->since = mr_lw_armed ? mr_lw_since : 0;
	mr_lw_counts(&sums);
	arg->missed = sums.missed;
	arg->unknown = sums.unknown;
	arg->full = sums.full;
	arg->dropped = sums.dropped;
	arg->reclaimed = sums.reclaimed;
	arg->full_tables = sums.full_tables;
	arg->shared = mr_lw_armed && READ_ONCE(mr_lw_shared);
	/*
	 * Status names an entry point this kernel inlines: on PREEMPT_RT, why
	 * the raw spinlocks are not tracked (see lockhooks.c).
	 */
	if (!arg->busy[0] && mr_lw_inlined)
		strscpy(arg->busy, mr_lw_inlined, sizeof(arg->busy));
	mutex_unlock(&mr_lw_mutex);
	return ret;
}

/*
 * For contain.c: keep lockwatch armed until mr_lw_unhold(), arming it
 * first if it is off (*armed_now says so). Errors as for LOCKWATCH_ON,
 * with what is in the way in busy.
 */
int mr_lw_hold(bool *armed_now, char *busy, size_t len)
{
	struct modrescue_lockwatch arg = { };
	int ret = mutex_lock_killable(&mr_lw_mutex);

	if (ret)
		return ret;
	mr_lw_reap();
	*armed_now = !mr_lw_armed;
	if (!mr_lw_armed)
		ret = mr_lw_arm(&arg);
	if (!ret)
		mr_lw_holders++;
	else
		strscpy(busy, arg.busy, len);
	mutex_unlock(&mr_lw_mutex);
	return ret;
}

void mr_lw_unhold(void)
{
	mutex_lock(&mr_lw_mutex);
	if (!WARN_ON_ONCE(!mr_lw_holders))
		mr_lw_holders--;
	mutex_unlock(&mr_lw_mutex);
}

/*
 * Module exit. Armed, the helper holds a reference on itself, so only a
 * forced unload (rmmod -f, CONFIG_MODULE_FORCE_UNLOAD) gets here armed or
 * with a task still inside a wrapper; freeing the helper's text then would
 * send that task into freed memory when it returns. So wait, in TASK_IDLE
 * (the hung-task detector skips it, and no signal ends it), until the last
 * such task has left: the rmmod hangs rather than the kernel crashing. A
 * spinning one is waited for before disarming (mr_lw_cpus_schedule()), a
 * sleeping one (PREEMPT_RT) after.
 */
void mr_lockwatch_exit(void)
{
	mutex_lock(&mr_lw_mutex);
	if (mr_lw_armed && !mr_lw_cpus_schedule()) {
		pr_err("forced unload: a CPU has not scheduled for 2 s (a task spinning on a lock never granted?); waiting for it, the hooks still armed, before disarming\n");
		while (!mr_lw_cpus_schedule())
			mr_wait_idle(HZ);
	}
	if (mr_lw_armed)
		mr_lw_disarm();
	if (mr_lw_stuck) {
		pr_err("forced unload: %ld task(s) still inside a lock hook; waiting for them to leave before the helper's code is freed\n",
		       mr_lw_inflight_sum());
		while (mr_lw_inflight_sum() > 0)
			mr_wait_idle(HZ);
		mr_lw_release();
		pr_info("forced unload: the last task left its lock hook\n");
	}
	mr_lw_probes_cancel();
	mutex_unlock(&mr_lw_mutex);
}

/*
 * The same id for a lock's holder and waiters: its address where
 * kptr_restrict lets the caller see it, else a keyed hash of it (the
 * kernel's own %p hash needs a ready crng, which a fresh VM may lack).
 */
u64 mr_lw_lock_id(unsigned long lock)
{
	if (mr_user_visible_ptr((void *)lock) == lock)
		return lock;
	return siphash_1u64(lock, &mr_lw_key);
}

/* A symbol for addr, or "" where there is none (no bare address). */
static void mr_lw_symbol(unsigned long addr, char *buf, size_t len)
{
	char sym[KSYM_SYMBOL_LEN];

	sprint_symbol(sym, addr);
	if (!strncmp(sym, "0x", 2))
		sym[0] = '\0';
	strscpy(buf, sym, len);
}

/*
 * A lock's symbol without its size: "hp_x_lock [mod]" for the start of a
 * variable, "hp_dev+0x40 [mod]" for a lock inside one.
 */
void mr_lw_lock_symbol(unsigned long addr, char *buf, size_t len)
{
	char *plus, *slash, *rest;

	mr_lw_symbol(addr, buf, len);
	plus = strchr(buf, '+');
	slash = plus ? strchr(plus, '/') : NULL;
	if (!slash)
		return;
	rest = slash + strcspn(slash, " ");
	if (!strncmp(plus, "+0x0/", 5))
		slash = plus;
	memmove(slash, rest, strlen(rest) + 1);
}

/* One snapshot record as the ABI gives it to the caller. */
void mr_lw_fill(struct modrescue_lock *e, const struct mr_lt_rec *r,
		bool waiter, u64 now)
{
	struct pid_namespace *ns = task_active_pid_ns(current);
	struct task_struct *t;

	memset(e, 0, sizeof(*e));
	e->lock = mr_lw_lock_id(r->lock);
	e->ns = now > r->since_ns ? now - r->since_ns : 0;
	e->cpu = r->cpu;
	e->context = r->ctx;
	e->flags = waiter ? MODRESCUE_LOCK_WAITER : 0;
	if (r->kind == MR_LT_RT)
		e->flags |= MODRESCUE_LOCK_SLEEPING;
	mr_lw_lock_symbol(r->lock, e->symbol, sizeof(e->symbol));
	mr_lw_symbol(r->ip, e->site, sizeof(e->site));
	/*
	 * pid 0 is an idle task (swapper/N), which has no struct pid but never
	 * exits: alive. find_pid_ns(0) is NULL, so it would look gone.
	 */
	if (r->pid <= 0) {
		e->pid = 0;
		snprintf(e->comm, sizeof(e->comm), "swapper/%u", r->cpu);
		e->flags |= MODRESCUE_LOCK_ALIVE;
		return;
	}
	rcu_read_lock();
	t = pid_task(find_pid_ns(r->pid, &init_pid_ns), PIDTYPE_PID);
	/* A sleeping lock's task, not another that reused its pid. */
	if (t && r->task && (unsigned long)t != r->task)
		t = NULL;
	/*
	 * The task that took it, not another that reused its pid: the same
	 * pid with another start time is a stranger, and the owner is gone.
	 */
	if (t && r->start_ns && t->start_time != r->start_ns)
		t = NULL;
	if (t) {
		e->pid = task_pid_nr_ns(t, ns);
		strscpy(e->comm, t->comm, sizeof(e->comm));
		if (!(t->flags & PF_EXITING))
			e->flags |= MODRESCUE_LOCK_ALIVE;
	} else if (ns == &init_pid_ns) {
		/* Gone (a dead owner): its pid is all that is left of it. */
		e->pid = r->pid;
	}
	rcu_read_unlock();
}

/*
 * Locktable rule 4: is the owner a sleeping lock stores itself the task
 * that was recorded taking it? On PREEMPT_RT, spinlock_t is an rtmutex
 * whose owner word is the owner task, bit 0 meaning "has waiters"
 * (kernel/locking/rtmutex_common.h); the word's place comes from this
 * kernel's own headers. Read without faulting: the lock's memory may be
 * gone. Any other encoding compares unequal, and the entry is left out.
 */
#ifdef CONFIG_PREEMPT_RT
#define MR_LW_RT_HAS_WAITERS 1UL

bool mr_lw_verify(const struct mr_lt_rec *r, void *arg)
{
	spinlock_t *lock = (spinlock_t *)r->lock;
	unsigned long owner;

	if (copy_from_kernel_nofault(&owner, &lock->lock.owner, sizeof(owner)))
		return false;
	return r->task && (owner & ~MR_LW_RT_HAS_WAITERS) == r->task;
}
#else
/* No sleeping lock is hooked here: none is reported. */
bool mr_lw_verify(const struct mr_lt_rec *r, void *arg)
{
	return false;
}
#endif

void mr_lw_snap_prepare(struct mr_lt_snap *s)
{
	s->now_ns = ktime_get_mono_fast_ns();
	s->slack_ns = MR_LT_SLACK_NS;
	s->verify = mr_lw_verify;
	s->distrust = READ_ONCE(mr_lw_shared);
}

void mr_lw_snapbuf_free(struct mr_lw_snapbuf *b)
{
	kvfree(b->s.held);
	kvfree(b->s.waiting);
	kvfree(b->s.tombs);
	kvfree(b->tables);
}

int mr_lw_snapbuf_alloc(struct mr_lw_snapbuf *b)
{
	unsigned int cpu, c;

	b->n_tables = nr_cpu_ids * MR_LT_NR_CTX;
	b->s.held_max = b->n_tables * MR_LT_SLOTS;
	b->s.waiting_max = b->n_tables * MR_LT_WAITS;
	b->s.tombs_max = b->n_tables * MR_LT_TOMBS;
	b->s.held = kvcalloc(b->s.held_max, sizeof(*b->s.held), GFP_KERNEL);
	b->s.waiting = kvcalloc(b->s.waiting_max, sizeof(*b->s.waiting),
				GFP_KERNEL);
	b->s.tombs = kvcalloc(b->s.tombs_max, sizeof(*b->s.tombs), GFP_KERNEL);
	b->tables = kvcalloc(b->n_tables, sizeof(*b->tables), GFP_KERNEL);
	if (!b->s.held || !b->s.waiting || !b->s.tombs || !b->tables) {
		mr_lw_snapbuf_free(b);
		return -ENOMEM;
	}
	for_each_possible_cpu(cpu)
		for (c = 0; c < MR_LT_NR_CTX; c++)
			b->tables[cpu * MR_LT_NR_CTX + c] =
				&per_cpu_ptr(mr_lw_cpus, cpu)->ctx[c];
	return 0;
}

/* Copy the snapshot's held locks, then its waiters, to the caller. */
static int mr_lw_copy_out(struct modrescue_locks *arg,
			  const struct mr_lt_snap *s)
{
	struct modrescue_lock __user *out = u64_to_user_ptr(arg->entries);
	struct modrescue_lock e;
	unsigned int i, n = 0;

	for (i = 0; i < s->n_held + s->n_waiting; i++, n++) {
		bool waiter = i >= s->n_held;
		const struct mr_lt_rec *r = waiter ?
			&s->waiting[i - s->n_held] : &s->held[i];

		if (n >= arg->cap)
			continue;
		mr_lw_fill(&e, r, waiter, s->now_ns);
		if (copy_to_user(&out[n], &e, sizeof(e)))
			return -EFAULT;
	}
	arg->found = n;
	return 0;
}

long mr_ioctl_locks(struct modrescue_locks *arg)
{
	struct mr_lw_snapbuf b = { };
	struct mr_lw_sums sums;
	long ret;

	if (arg->flags)
		return -EINVAL;
	ret = mutex_lock_killable(&mr_lw_mutex);
	if (ret)
		return ret;
	if (!mr_lw_armed) {
		ret = -ENODATA;
		goto unlock;
	}
	ret = mr_lw_snapbuf_alloc(&b);
	if (ret)
		goto unlock;
	mr_lw_snap_prepare(&b.s);
	mr_lt_snapshot(&b.s, b.tables, b.n_tables);
	/* Locks released for a dead owner (lockrelease.c) are stale. */
	b.s.stale += mr_lr_forget(&b.s);
	mr_lw_counts(&sums);
	arg->missed = sums.missed;
	arg->uncertain = b.s.stale + b.s.uncertain + b.s.unstable +
			 b.s.unverified;
	ret = mr_lw_copy_out(arg, &b.s);
	mr_lw_snapbuf_free(&b);
unlock:
	mutex_unlock(&mr_lw_mutex);
	return ret;
}

/*
 * For lockrelease.c: take the lockwatch mutex, if lockwatch is armed
 * (-ENODATA, and the mutex not held, if not). mr_lw_unlock() drops it.
 */
int mr_lw_lock_armed(void)
{
	int ret = mutex_lock_killable(&mr_lw_mutex);

	if (ret)
		return ret;
	mr_lw_reap();
	if (!mr_lw_armed) {
		mutex_unlock(&mr_lw_mutex);
		return -ENODATA;
	}
	return 0;
}

void mr_lw_unlock(void)
{
	mutex_unlock(&mr_lw_mutex);
}

/* Snapshots tried while slots are being written. */
#define MR_LW_FIND_TRIES 5

/* Held entries of the snapshot for lock id, and the last one in *rec. */
static unsigned int mr_lw_count_id(const struct mr_lt_snap *s, u64 id,
				   struct mr_lt_rec *rec)
{
	unsigned int i, n = 0;

	for (i = 0; i < s->n_held; i++) {
		if (mr_lw_lock_id(s->held[i].lock) != id)
			continue;
		*rec = s->held[i];
		n++;
	}
	return n;
}

/*
 * For lockrelease.c, under the mutex (mr_lw_lock_armed()): the held entry
 * of lock id in a snapshot taken as LOCKS takes it (rules 1-4, released
 * locks forgotten), into *rec, with the snapshot's time. -ENOENT: none is
 * reported. -EAGAIN: the snapshot is not sure of it: an entry for it was
 * dropped (stale, uncertain or unverified), or more than one is reported,
 * or slots were being written in every try (one could be about it).
 */
int mr_lw_find_held(u64 id, struct mr_lt_rec *rec, u64 *now_ns)
{
	struct mr_lw_snapbuf b = { };
	unsigned int i, try, before = 0, after = 0;
	int ret;

	ret = mr_lw_snapbuf_alloc(&b);
	if (ret)
		return ret;
	for (try = 0; try < MR_LW_FIND_TRIES; try++) {
		mr_lw_snap_prepare(&b.s);
		mr_lt_snap_begin(&b.s);
		/* A CPU that is not possible (a hole in the mask) has none. */
		for (i = 0; i < b.n_tables; i++)
			if (b.tables[i])
				mr_lt_snap_entries(&b.s, b.tables[i],
						   i / MR_LT_NR_CTX,
						   i % MR_LT_NR_CTX);
		for (i = 0; i < b.n_tables; i++)
			if (b.tables[i])
				mr_lt_snap_tombs(&b.s, b.tables[i],
						 i / MR_LT_NR_CTX,
						 i % MR_LT_NR_CTX);
		mr_lr_forget(&b.s);
		before = mr_lw_count_id(&b.s, id, rec);
		mr_lt_snap_finish(&b.s);
		after = mr_lw_count_id(&b.s, id, rec);
		if (!b.s.unstable)
			break;
	}
	*now_ns = b.s.now_ns;
	if (b.s.unstable || before != after || after > 1)
		ret = -EAGAIN;
	else if (!after)
		ret = -ENOENT;
	mr_lw_snapbuf_free(&b);
	return ret;
}
