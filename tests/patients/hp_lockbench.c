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
 * Preemption: the pairs run in batches, each timed with ktime_get_ns()
 * around it, and only the batches are summed; cond_resched() between
 * batches lets the rest of the machine run. Preemption is not disabled
 * around a batch: on PREEMPT_RT spin_lock() is rt_spin_lock(), which may
 * sleep. A batch the scheduler or an interrupt cut into only reads slower,
 * and the benchmark keeps the best of several runs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>

#define HP_LOCKBENCH_BATCH 1000U
#define HP_LOCKBENCH_MAX_PAIRS 100000000U

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
	len += scnprintf(buf + len, PAGE_SIZE - len, "pairs=%u\n",
			 hp_lockbench_pairs);
	return len;
}

static const struct kernel_param_ops hp_lockbench_result_ops = {
	.get = hp_lockbench_result,
};
module_param_cb(result, &hp_lockbench_result_ops, NULL, 0444);
MODULE_PARM_DESC(result, "Nanoseconds per pair of each kind, last run");

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lockwatch bench: uncontended lock/unlock pairs, timed");
