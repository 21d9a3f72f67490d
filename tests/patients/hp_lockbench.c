// SPDX-License-Identifier: GPL-2.0
/*
 * hp_lockbench: times uncontended lock/unlock pairs on this module's own
 * static locks, for lockwatch's benchmark (tests/bench/lockwatch.sh), which
 * reads it with lockwatch off and on.
 *
 * Writing N to the "run" parameter times N pairs of each kind: spin_lock
 * (spinlock_t), raw_spin_lock (raw_spinlock_t) and spin_lock_irqsave. The
 * "result" parameter then reads "spin_lock=NS raw_spin_lock=NS
 * spin_lock_irqsave=NS pairs=N", NS the nanoseconds one pair took on
 * average, to the picosecond.
 *
 * Writing N to "contend" runs N pairs of spin_lock on one lock from one
 * kthread per online CPU (at most HP_LOCKBENCH_MAX_THREADS) at once;
 * "result" then also reads "contended=NS threads=T", NS the wall time
 * divided by every thread's pairs.
 *
 * Writing 1 to "anchor" registers one ftrace_ops with an empty callback on
 * the entry points lockwatch hooks (by name: the ten _raw_spin_*, or
 * PREEMPT_RT's rt_spin_*; a name the kernel inlines is skipped), 0
 * unregisters it: the floor any ftrace_ops hook pays, for the benchmark to
 * compare lockwatch with. Flags 0: no SAVE_REGS, no IPMODIFY, no recursion
 * guard of ftrace's, the cheapest an ops can be.
 *
 * Preemption: the pairs run in batches, each timed with ktime_get_ns()
 * around it, and only the batches are summed; cond_resched() between
 * batches lets the rest of the machine run. Preemption is not disabled
 * around a batch: on PREEMPT_RT spin_lock() is rt_spin_lock(), which may
 * sleep. A batch the scheduler or an interrupt cut into only reads slower,
 * and the benchmark keeps the best of several runs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/ftrace.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>

#define HP_LOCKBENCH_BATCH 1000U
#define HP_LOCKBENCH_MAX_PAIRS 100000000U
#define HP_LOCKBENCH_MAX_THREADS 4U

enum hp_lockbench_kind {
	HP_LB_SPIN,
	HP_LB_RAW,
	HP_LB_IRQSAVE,
	HP_LB_NR_KINDS,
};

static const char *const hp_lockbench_names[HP_LB_NR_KINDS] = {
	[HP_LB_SPIN] = "spin_lock",
	[HP_LB_RAW] = "raw_spin_lock",
	[HP_LB_IRQSAVE] = "spin_lock_irqsave",
};

static DEFINE_SPINLOCK(hp_lockbench_lock);
static DEFINE_RAW_SPINLOCK(hp_lockbench_raw_lock);
/* The critical section: one increment, so that the pair guards something. */
static unsigned long hp_lockbench_count;

/* Picoseconds a pair took in the last run, per kind; and that run's N. */
static u64 hp_lockbench_ps[HP_LB_NR_KINDS];
static unsigned int hp_lockbench_pairs;

/* One batch of n pairs of one kind; returns the nanoseconds it took. */
static noinline u64 hp_lockbench_batch(enum hp_lockbench_kind kind,
				       unsigned int n)
{
	unsigned long flags;
	unsigned int i;
	u64 t0 = ktime_get_ns();

	switch (kind) {
	case HP_LB_SPIN:
		for (i = 0; i < n; i++) {
			spin_lock(&hp_lockbench_lock);
			hp_lockbench_count++;
			spin_unlock(&hp_lockbench_lock);
		}
		break;
	case HP_LB_RAW:
		for (i = 0; i < n; i++) {
			raw_spin_lock(&hp_lockbench_raw_lock);
			hp_lockbench_count++;
			raw_spin_unlock(&hp_lockbench_raw_lock);
		}
		break;
	default:
		for (i = 0; i < n; i++) {
			spin_lock_irqsave(&hp_lockbench_lock, flags);
			hp_lockbench_count++;
			spin_unlock_irqrestore(&hp_lockbench_lock, flags);
		}
		break;
	}
	return ktime_get_ns() - t0;
}

static u64 hp_lockbench_time(enum hp_lockbench_kind kind, unsigned int pairs)
{
	unsigned int done = 0, n;
	u64 ns = 0;

	while (done < pairs) {
		n = min(pairs - done, HP_LOCKBENCH_BATCH);
		ns += hp_lockbench_batch(kind, n);
		done += n;
		cond_resched();
	}
	return div_u64(ns * 1000, pairs);
}

/* "run": parameter writes are serialized by the kernel's param lock. */
static int hp_lockbench_run(const char *val, const struct kernel_param *kp)
{
	unsigned int pairs, k;
	int ret;

	ret = kstrtouint(val, 0, &pairs);
	if (ret)
		return ret;
	if (!pairs || pairs > HP_LOCKBENCH_MAX_PAIRS)
		return -EINVAL;
	for (k = 0; k < HP_LB_NR_KINDS; k++)
		hp_lockbench_ps[k] = hp_lockbench_time(k, pairs);
	hp_lockbench_pairs = pairs;
	return 0;
}

static const struct kernel_param_ops hp_lockbench_run_ops = {
	.set = hp_lockbench_run,
};
module_param_cb(run, &hp_lockbench_run_ops, NULL, 0200);
MODULE_PARM_DESC(run, "Write N: time N uncontended pairs of each kind");

/* The contended case: threads hammering hp_lockbench_lock together. */
static u64 hp_lockbench_contended_ps;
static unsigned int hp_lockbench_threads;
static unsigned int hp_lockbench_contend_pairs;
static atomic_t hp_lockbench_go;
static atomic_t hp_lockbench_left;
static DECLARE_COMPLETION(hp_lockbench_done);

static int hp_lockbench_contender(void *unused)
{
	unsigned int done = 0, i, n;

	/* Start together: spin (yielding) until every thread is up. */
	while (!atomic_read(&hp_lockbench_go))
		cond_resched();
	while (done < hp_lockbench_contend_pairs) {
		n = min(hp_lockbench_contend_pairs - done, HP_LOCKBENCH_BATCH);
		for (i = 0; i < n; i++) {
			spin_lock(&hp_lockbench_lock);
			hp_lockbench_count++;
			spin_unlock(&hp_lockbench_lock);
		}
		done += n;
		cond_resched();
	}
	if (atomic_dec_and_test(&hp_lockbench_left))
		complete(&hp_lockbench_done);
	return 0;
}

/* "contend": serialized by the param lock, like "run". */
static int hp_lockbench_contend(const char *val,
				const struct kernel_param *kp)
{
	struct task_struct *t;
	unsigned int pairs, cpu, n = 0;
	u64 t0;
	int ret;

	ret = kstrtouint(val, 0, &pairs);
	if (ret)
		return ret;
	if (!pairs || pairs > HP_LOCKBENCH_MAX_PAIRS)
		return -EINVAL;
	hp_lockbench_contend_pairs = pairs;
	atomic_set(&hp_lockbench_go, 0);
	reinit_completion(&hp_lockbench_done);
	/* One more than the threads: the last is dropped below. */
	atomic_set(&hp_lockbench_left, 1);
	for_each_online_cpu(cpu) {
		if (n == HP_LOCKBENCH_MAX_THREADS)
			break;
		t = kthread_create(hp_lockbench_contender, NULL,
				   "hp_lockbench/%u", cpu);
		if (IS_ERR(t))
			break;
		kthread_bind(t, cpu);
		atomic_inc(&hp_lockbench_left);
		wake_up_process(t);
		n++;
	}
	t0 = ktime_get_ns();
	atomic_set(&hp_lockbench_go, 1);
	if (!atomic_dec_and_test(&hp_lockbench_left))
		wait_for_completion(&hp_lockbench_done);
	if (!n)
		return -ENOMEM;
	hp_lockbench_contended_ps = div_u64((ktime_get_ns() - t0) * 1000,
					   pairs * n);
	hp_lockbench_threads = n;
	return 0;
}

static const struct kernel_param_ops hp_lockbench_contend_ops = {
	.set = hp_lockbench_contend,
};
module_param_cb(contend, &hp_lockbench_contend_ops, NULL, 0200);
MODULE_PARM_DESC(contend, "Write N: N pairs on one lock from each CPU");

/* The anchor: an ftrace_ops that does nothing, on lockwatch's sites. */
static void notrace hp_lockbench_nop(unsigned long ip, unsigned long parent_ip,
				     struct ftrace_ops *op,
				     struct ftrace_regs *fregs)
{
}

static struct ftrace_ops hp_lockbench_anchor_ops = {
	.func = hp_lockbench_nop,
};

static const char *const hp_lockbench_sites[] = {
#ifdef CONFIG_PREEMPT_RT
	"rt_spin_lock", "rt_spin_unlock", "rt_spin_trylock",
	"rt_spin_trylock_bh",
#else
	"_raw_spin_lock", "_raw_spin_unlock", "_raw_spin_lock_irqsave",
	"_raw_spin_unlock_irqrestore", "_raw_spin_lock_irq",
	"_raw_spin_unlock_irq", "_raw_spin_lock_bh", "_raw_spin_unlock_bh",
	"_raw_spin_trylock", "_raw_spin_trylock_bh",
#endif
};

static bool hp_lockbench_anchored;
static bool hp_lockbench_filtered;

/*
 * The filter is set once and freed only at exit: ftrace_free_filter()
 * leaves the ops pointing at the hashes it freed (6.1), so an ops whose
 * filter was freed must not be given a new one.
 */
static int hp_lockbench_anchor(const char *val, const struct kernel_param *kp)
{
	unsigned int i, sites = 0;
	bool on;
	int ret;

	ret = kstrtobool(val, &on);
	if (ret)
		return ret;
	if (on == hp_lockbench_anchored)
		return 0;
	if (!on) {
		unregister_ftrace_function(&hp_lockbench_anchor_ops);
		hp_lockbench_anchored = false;
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(hp_lockbench_sites) &&
		    !hp_lockbench_filtered; i++) {
		char name[32];

		strscpy(name, hp_lockbench_sites[i], sizeof(name));
		/* A name the kernel inlines matches nothing: skipped. */
		if (!ftrace_set_filter(&hp_lockbench_anchor_ops, name,
				       strlen(name), 0))
			sites++;
	}
	if (!hp_lockbench_filtered && !sites)
		return -ENOENT;
	hp_lockbench_filtered = true;
	ret = register_ftrace_function(&hp_lockbench_anchor_ops);
	if (ret)
		return ret;
	hp_lockbench_anchored = true;
	return 0;
}

static const struct kernel_param_ops hp_lockbench_anchor_ops_param = {
	.set = hp_lockbench_anchor,
};
module_param_cb(anchor, &hp_lockbench_anchor_ops_param, NULL, 0200);
MODULE_PARM_DESC(anchor, "1: an empty ftrace_ops on the lock entry points");

static int hp_lockbench_result(char *buf, const struct kernel_param *kp)
{
	int len = 0;
	unsigned int k;

	for (k = 0; k < HP_LB_NR_KINDS; k++) {
		len += scnprintf(buf + len, PAGE_SIZE - len, "%s=%llu.%03llu ",
				 hp_lockbench_names[k],
				 hp_lockbench_ps[k] / 1000,
				 hp_lockbench_ps[k] % 1000);
	}
	len += scnprintf(buf + len, PAGE_SIZE - len,
			 "contended=%llu.%03llu threads=%u pairs=%u\n",
			 hp_lockbench_contended_ps / 1000,
			 hp_lockbench_contended_ps % 1000,
			 hp_lockbench_threads, hp_lockbench_pairs);
	return len;
}

static const struct kernel_param_ops hp_lockbench_result_ops = {
	.get = hp_lockbench_result,
};
module_param_cb(result, &hp_lockbench_result_ops, NULL, 0444);
MODULE_PARM_DESC(result, "Nanoseconds per pair of each kind, last run");

static void __exit hp_lockbench_exit(void)
{
	if (hp_lockbench_anchored)
		unregister_ftrace_function(&hp_lockbench_anchor_ops);
	if (hp_lockbench_filtered)
		ftrace_free_filter(&hp_lockbench_anchor_ops);
}
module_exit(hp_lockbench_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lockwatch bench: uncontended lock/unlock pairs, timed");
