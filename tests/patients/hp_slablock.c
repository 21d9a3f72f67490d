// SPDX-License-Identifier: GPL-2.0
/*
 * hp_slablock: a kthread oopses holding the spinlock of an object of the
 * module's own kmem_cache; once it is dead, the object is freed and a new
 * one is allocated from the same cache, on the same CPU, which hands back
 * the same memory (reused=Y). The new object is filled with a pattern
 * whose first byte is 1: exactly what a held lock's word looks like. A
 * release of the dead owner's lock would now zero the new object's first
 * byte; pattern shows its first 16 bytes.
 *
 * static_lock=1: the kthread oopses holding hp_slablock_static, in the
 * module's data, instead (no object is reused); the module unloads without
 * taking it. fake_held=1 (a later load, likely at the same address): no
 * kthread; hp_slablock_static's locked byte is set to 1 by hand, so the
 * old owner's lock word looks held in the new module's memory; word shows
 * its 4 bytes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

/* The lock first: the lock's address is the object's. */
struct hp_obj {
	spinlock_t lock;
	unsigned long payload[8];
};

/* Allocations tried to get the freed object's memory back. */
#define HP_TRIES 64
/* The new object's bytes: the first one as a held lock's locked byte. */
#define HP_FIRST 0x01
#define HP_FILL 0x5a

static bool reused;
module_param(reused, bool, 0444);
MODULE_PARM_DESC(reused, "The new object got the freed object's memory (read-only)");

static bool static_lock;
module_param(static_lock, bool, 0444);
MODULE_PARM_DESC(static_lock, "Oops holding hp_slablock_static, in module data, instead");
static bool fake_held;
module_param(fake_held, bool, 0444);
MODULE_PARM_DESC(fake_held, "No kthread: set hp_slablock_static's locked byte by hand");

static DEFINE_SPINLOCK(hp_slablock_static);
static struct kmem_cache *hp_cache;
static struct hp_obj *hp_old, *hp_new;
static struct task_struct *hp_thread;
static int *hp_nowhere;		/* never set: stays NULL */
static void hp_reuse_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(hp_reuse, hp_reuse_fn);

/* The new object's first 16 bytes in hex, or "none" before the reuse. */
static int hp_pattern_get(char *buf, const struct kernel_param *kp)
{
	struct hp_obj *o = READ_ONCE(hp_new);

	if (!o)
		return sysfs_emit(buf, "none\n");
	return sysfs_emit(buf, "%16phN\n", o);
}

static const struct kernel_param_ops hp_pattern_ops = {
	.get = hp_pattern_get,
};
module_param_cb(pattern, &hp_pattern_ops, NULL, 0444);
MODULE_PARM_DESC(pattern, "The new object's first 16 bytes, hex (read-only)");

static int hp_word_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%4phN\n", &hp_slablock_static);
}

static const struct kernel_param_ops hp_word_ops = {
	.get = hp_word_get,
};
module_param_cb(word, &hp_word_ops, NULL, 0444);
MODULE_PARM_DESC(word, "hp_slablock_static's first 4 bytes, hex (read-only)");

static int hp_slablock_thread(void *data)
{
	spinlock_t *lock = static_lock ? &hp_slablock_static : &hp_old->lock;
	int *p = READ_ONCE(hp_nowhere);

	spin_lock(lock);
	pr_info("dereferencing NULL with the %s lock held\n",
		static_lock ? "static" : "object's");
	*p = 1;
	spin_unlock(lock);
	return 0;
}

/* Once the owner is dead: free its object, and allocate until reused. */
static void hp_reuse_fn(struct work_struct *work)
{
	struct hp_obj *extra[HP_TRIES];
	unsigned int i, n = 0;

	if (!READ_ONCE(hp_thread->exit_state)) {
		schedule_delayed_work(&hp_reuse, HZ / 10);
		return;
	}
	kmem_cache_free(hp_cache, hp_old);
	while (n < HP_TRIES) {
		struct hp_obj *o = kmem_cache_alloc(hp_cache, GFP_KERNEL);

		if (!o)
			break;
		if (o == hp_old) {
			hp_new = o;
			break;
		}
		extra[n++] = o;
	}
	for (i = 0; i < n; i++) {
		if (!hp_new && i == n - 1) {
			hp_new = extra[i];
			break;
		}
		kmem_cache_free(hp_cache, extra[i]);
	}
	if (!hp_new)
		return;
	memset(hp_new, HP_FILL, sizeof(*hp_new));
	*(u8 *)hp_new = HP_FIRST;
	WRITE_ONCE(reused, hp_new == hp_old);
	hp_old = NULL;
	pr_info("owner dead: object freed and reallocated, %s\n",
		reused ? "same memory" : "other memory");
}

static int __init hp_slablock_init(void)
{
	hp_cache = kmem_cache_create("hp_slablock", sizeof(struct hp_obj), 0, 0,
				     NULL);
	if (!hp_cache)
		return -ENOMEM;
	hp_old = kmem_cache_zalloc(hp_cache, GFP_KERNEL);
	if (!hp_old)
		goto fail;
	spin_lock_init(&hp_old->lock);
	if (fake_held) {
		/* The old owner's locked byte, in the new module's memory. */
		WRITE_ONCE(*(u8 *)&hp_slablock_static, 1);
		pr_info("init done, hp_slablock_static looks held\n");
		return 0;
	}
	hp_thread = kthread_create(hp_slablock_thread, NULL, "hp_slablock");
	if (IS_ERR(hp_thread))
		goto fail;
	get_task_struct(hp_thread);
	wake_up_process(hp_thread);
	if (!static_lock)
		schedule_delayed_work(&hp_reuse, HZ / 10);
	pr_info("init done\n");
	return 0;
fail:
	if (hp_old)
		kmem_cache_free(hp_cache, hp_old);
	kmem_cache_destroy(hp_cache);
	return -ENOMEM;
}

static void __exit hp_slablock_exit(void)
{
	cancel_delayed_work_sync(&hp_reuse);
	if (hp_old)
		kmem_cache_free(hp_cache, hp_old);
	if (hp_new)
		kmem_cache_free(hp_cache, hp_new);
	kmem_cache_destroy(hp_cache);
	if (hp_thread)
		put_task_struct(hp_thread);
	pr_info("exit done\n");
}

module_init(hp_slablock_init);
module_exit(hp_slablock_exit);
MODULE_DESCRIPTION("modrescue patient: a dead owner's lock in a freed and reused slab object");
MODULE_LICENSE("GPL");
