// SPDX-License-Identifier: GPL-2.0
/*
 * hp_openfd: /dev/hp_openfd held open pins the module; rmmod -f frees it
 * anyway and the later close oopses.
 *
 * exit_hold_ms, exit_leave: the release of a file closed by its exiting
 * owner (do_exit() closing its files) takes hp_openfd_lock, a raw
 * spinlock, and holds it exit_hold_ms while it sleeps (its preemption
 * count given back, so that it may sleep), then releases it; or, with
 * exit_leave, returns holding it, and the task dies holding it. For
 * `modrescue locks release`'s "exiting" and "recent" refusals. locked
 * says whether its lock word is held.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/sysfs.h>

static bool healthy;
module_param(healthy, bool, 0444);
MODULE_PARM_DESC(healthy, "Refuse opens, so that no process can pin the module");

static unsigned int exit_hold_ms;
module_param(exit_hold_ms, uint, 0644);
MODULE_PARM_DESC(exit_hold_ms, "Closed by an exiting task: hold hp_openfd_lock this long, asleep");

static bool exit_leave;
module_param(exit_leave, bool, 0644);
MODULE_PARM_DESC(exit_leave, "Closed by an exiting task: take hp_openfd_lock and never release it");

static DEFINE_RAW_SPINLOCK(hp_openfd_lock);

static int hp_openfd_locked_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", raw_spin_is_locked(&hp_openfd_lock));
}

static const struct kernel_param_ops hp_openfd_locked_ops = {
	.get = hp_openfd_locked_get,
};
module_param_cb(locked, &hp_openfd_locked_ops, NULL, 0444);
MODULE_PARM_DESC(locked, "1 while hp_openfd_lock's word is held");

/* Taken by a task in do_exit(): PF_EXITING, still running. */
static void hp_openfd_exit_lock(void)
{
	unsigned int ms = READ_ONCE(exit_hold_ms);

	if (!(current->flags & PF_EXITING) || (!ms && !READ_ONCE(exit_leave)))
		return;
	raw_spin_lock(&hp_openfd_lock);
	/* The word stays held; the count goes back, so that it may sleep. */
	preempt_enable();
	if (READ_ONCE(exit_leave)) {
		pr_info("exiting %s[%d] leaves hp_openfd_lock held\n",
			current->comm, task_pid_nr(current));
		return;
	}
	pr_info("exiting %s[%d] holds hp_openfd_lock for %u ms\n",
		current->comm, task_pid_nr(current), ms);
	msleep(ms);
	preempt_disable();
	raw_spin_unlock(&hp_openfd_lock);
	pr_info("exiting %s[%d] released hp_openfd_lock\n", current->comm,
		task_pid_nr(current));
}

static int hp_openfd_open(struct inode *inode, struct file *file)
{
	if (healthy)
		return -EBUSY;
	pr_info("opened by %s[%d]\n", current->comm, task_pid_nr(current));
	return 0;
}

static int hp_openfd_release(struct inode *inode, struct file *file)
{
	pr_info("released by %s[%d]\n", current->comm, task_pid_nr(current));
	hp_openfd_exit_lock();
	return 0;
}

/* Mappings outlive the fd: the module stays in use through vm_ops. */
static vm_fault_t hp_openfd_fault(struct vm_fault *vmf)
{
	return VM_FAULT_SIGBUS;
}

static const struct vm_operations_struct hp_openfd_vm_ops = {
	.fault = hp_openfd_fault,
};

static int hp_openfd_mmap(struct file *file, struct vm_area_struct *vma)
{
	vma->vm_ops = &hp_openfd_vm_ops;
	return 0;
}

static const struct file_operations hp_openfd_fops = {
	.owner = THIS_MODULE,
	.open = hp_openfd_open,
	.release = hp_openfd_release,
	.mmap = hp_openfd_mmap,
	.llseek = noop_llseek,
};

static struct miscdevice hp_openfd_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "hp_openfd",
	.fops = &hp_openfd_fops,
	.mode = 0444,
};

static int __init hp_openfd_init(void)
{
	int ret;

	ret = misc_register(&hp_openfd_dev);
	if (ret)
		return ret;
	pr_info("init done\n");
	return 0;
}

static void __exit hp_openfd_exit(void)
{
	misc_deregister(&hp_openfd_dev);
	pr_info("exit done\n");
}

module_init(hp_openfd_init);
module_exit(hp_openfd_exit);
MODULE_DESCRIPTION("modrescue patient: misc device held open by a process");
MODULE_LICENSE("GPL");
